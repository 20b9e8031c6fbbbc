"""Raw inbound mail: stored sealed and unique before the IMAP server is told, then claimed."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow import leases
from workflow.crypto import Vault
from workflow.db import upsert_insert
from workflow.models import InboundMail, MailboxLock

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 5
RETRY_AFTER = timedelta(minutes=1)
MESSAGE_ID = re.compile(rb"^message-id:[ \t]*(<[^<>\s]+>)", re.IGNORECASE | re.MULTILINE)
HEADER_END = re.compile(rb"\r?\n\r?\n")


@dataclass(frozen=True)
class RawMail:
    """One message as fetched: where it was (for the unique key) and its bytes."""

    uid: int | None
    raw: bytes


def message_key(vault: Vault, raw: bytes) -> str:
    """A keyed hash of the Message-ID, or of the whole message when it has none."""
    head = HEADER_END.split(raw, maxsplit=1)[0][:65536]
    match = MESSAGE_ID.search(head)
    if match is not None:
        return vault.blind_index("mid:" + match.group(1).decode("ascii", "replace")) or ""
    return vault.blind_index("raw:" + hashlib.sha256(raw).hexdigest()) or ""


def store(
    session: Session,
    vault: Vault,
    mailbox: str,
    uidvalidity: int | None,
    mails: Sequence[RawMail],
    now: datetime,
) -> list[int]:
    """Insert what is new in one statement; a mail seen before (same place or same Message-ID)
    is absorbed by the unique keys. Returns the ids of the rows that are new."""
    if not mails:
        return []
    rows = list(
        {
            row["message_key"]: row
            for row in (_row(vault, mailbox, uidvalidity, mail, now) for mail in reversed(mails))
        }.values()
    )  # one row per key; the first of duplicates wins
    statement = (
        upsert_insert(session, InboundMail)
        .values(rows)
        .on_conflict_do_nothing()
        .returning(InboundMail.id)
    )
    return sorted(session.scalars(statement).all())


def _row(
    vault: Vault, mailbox: str, uidvalidity: int | None, mail: RawMail, now: datetime
) -> dict[str, Any]:
    return {
        "mailbox": mailbox,
        "uidvalidity": uidvalidity,
        "uid": mail.uid,
        "message_key": message_key(vault, mail.raw),
        "raw_enc": vault.seal_bytes(mail.raw),
        "size": len(mail.raw),
        "status": "pending",
        "attempts": 0,
        "received_at": now,
        "next_attempt_at": now,
    }


def known_uids(session: Session, mailbox: str, uidvalidity: int, uids: Sequence[int]) -> set[int]:
    """Which of these UIDs are stored already (a re-read after a crash before the move)."""
    if not uids:
        return set()
    statement = select(InboundMail.uid).where(
        InboundMail.mailbox == mailbox,
        InboundMail.uidvalidity == uidvalidity,
        InboundMail.uid.in_(list(uids)),
    )
    return {int(uid) for uid in session.scalars(statement) if uid is not None}


def due_ids(session: Session, now: datetime, limit: int = 500) -> list[int]:
    return leases.due_ids(session, InboundMail, now, limit)


def claim_many(session: Session, ids: list[int], now: datetime) -> list[int]:
    return leases.claim_many(session, InboundMail, ids, now, LEASE)


def take_lock(session: Session, mailbox: str, holder: str, now: datetime, ttl: timedelta) -> bool:
    """Take or renew the one-watcher-per-mailbox lock; False while another holder has it."""
    statement = (
        upsert_insert(session, MailboxLock)
        .values(mailbox=mailbox, holder=holder, expires_at=now + ttl)
        .on_conflict_do_update(
            index_elements=[MailboxLock.mailbox],
            set_={"holder": holder, "expires_at": now + ttl},
            where=(MailboxLock.holder == holder) | (MailboxLock.expires_at < now),
        )
        .returning(MailboxLock.holder)
    )
    return session.execute(statement).scalar_one_or_none() == holder


def release_lock(session: Session, mailbox: str, holder: str) -> None:
    lock = session.get(MailboxLock, mailbox)
    if lock is not None and lock.holder == holder:
        session.delete(lock)

"""One entry point for one inbound mail: parse, set machines aside, thread replies, open cases.

Rules are an ordered table (Mailman's chains, Zulip's email mirror): the first rule that
applies acts. Our own faults are retried a few times and then quarantined with the reason;
a mail that cannot be read is quarantined at once. Nothing is dropped silently.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from workflow import inbound, quarantine
from workflow.db import Database, UnitOfWork
from workflow.inbox_actions import (
    MailAtHand,
    act_on_bounce,
    act_on_duplicate,
    act_on_machine,
    act_on_reply,
    act_on_stranger_tag,
    open_from_mail,
)
from workflow.machine import classify_machine
from workflow.mailparse import ParsedMail, UnparseableMail, parse
from workflow.models import InboundMail
from workflow.outbox import Postman, written_mails

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class InboxConfig:
    """What the pipeline needs to know about us."""

    mail_from: str
    default_organisation: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What became of one inbound mail."""

    inbound_id: int
    status: str  # done | ignored | quarantined | retry | skipped
    outcome: str | None = None  # case | reply | machine | bounce | duplicate
    reference: str | None = None
    reason: str | None = None
    mail_ids: tuple[int, ...] = field(default=())


@dataclass(frozen=True)
class Rule:
    name: str
    applies: Callable[[MailAtHand], bool]
    act: Callable[[MailAtHand], tuple[str, str]]  # (status, outcome)


def _is_from_us(mail: MailAtHand) -> bool:
    sender = mail.parsed.from_address or ""
    local, _, domain = mail.config_mail_from.partition("@")
    return sender == mail.config_mail_from or (
        sender.endswith("@" + domain) and sender.startswith(local + "+")
    )


def _machine_kind(kind: str) -> Callable[[MailAtHand], bool]:
    def applies(mail: MailAtHand) -> bool:
        return mail.machine is not None and mail.machine.kind == kind

    return applies


RULES: tuple[Rule, ...] = (
    Rule("from-ourselves", _is_from_us, act_on_machine),
    Rule("bounce", _machine_kind("bounce"), act_on_bounce),
    Rule("auto-reply", _machine_kind("auto_reply"), act_on_machine),
    Rule("list-mail", _machine_kind("list"), act_on_machine),
    Rule("duplicate", lambda m: m.earlier_copy is not None, act_on_duplicate),
    Rule("reply", lambda m: m.thread.case is not None, act_on_reply),
    Rule("stranger-tag", lambda m: m.thread.stranger_tag is not None, act_on_stranger_tag),
    Rule("new-case", lambda m: True, open_from_mail),
)


BATCH = 50


def process(
    database: Database, postman: Postman, config: InboxConfig, inbound_id: int, now: datetime
) -> Outcome:
    """Process one stored mail once (the worker's task)."""
    outcomes = process_batch(database, postman, config, [inbound_id], now)
    return outcomes[0] if outcomes else Outcome(inbound_id, "skipped")


def process_batch(
    database: Database, postman: Postman, config: InboxConfig, ids: list[int], now: datetime
) -> list[Outcome]:
    """Claim the mails, then process each in a savepoint of one transaction.

    One mail's failure rolls back only its savepoint and is recorded; a crash before the
    commit loses the whole batch's work but not the mails: their leases run out.
    """
    with database.unit_of_work() as uow:
        claimed = inbound.claim_many(uow.session, ids, now)
        uow.commit()
    if not claimed:
        return []
    with database.unit_of_work() as uow:
        # Each mail ends with one flush, so its rows go out as a few batched statements.
        uow.session.autoflush = False
        outcomes = [_in_savepoint(uow, postman, config, i, now) for i in claimed]
        uow.commit()
    return outcomes


def _in_savepoint(
    uow: UnitOfWork, postman: Postman, config: InboxConfig, inbound_id: int, now: datetime
) -> Outcome:
    try:
        with uow.session.begin_nested():
            return _process_claimed(uow, postman, config, inbound_id, now)
    except UnparseableMail as error:
        return _quarantine(uow.session, inbound_id, now, f"unreadable mail: {error.reason}")
    except Exception as error:  # our fault: retry a few times, then quarantine with the reason
        log.exception("inbound mail %s failed", inbound_id)
        return _failed(uow.session, inbound_id, now, f"{type(error).__name__}: {error}"[:300])


def _process_claimed(
    uow: UnitOfWork, postman: Postman, config: InboxConfig, inbound_id: int, now: datetime
) -> Outcome:
    row = uow.session.get_one(InboundMail, inbound_id)
    parsed = parse(uow.vault.open_bytes(row.raw_enc))
    mail = MailAtHand(uow, postman, row, parsed, now, config.mail_from, config.default_organisation)
    if not row.treat_as_person:  # a coordinator said a person wrote it: no machine rules
        mail.machine = classify_machine(
            parsed.headers, parsed.subject, parsed.from_address, parsed.content_type,
            parsed.return_path,
        )  # fmt: skip
    rule = next(r for r in RULES if r.applies(mail))
    before = len(written_mails(uow.session))
    status, outcome = rule.act(mail)
    _finish(row, status, outcome, rule.name, now)
    new_mails = written_mails(uow.session)[before:]
    uow.session.flush()
    reference = mail.case.reference if mail.case is not None else None
    mail_ids = tuple(sorted(m.id for m in new_mails))
    return Outcome(inbound_id, status, outcome, reference, rule.name, mail_ids)


def _finish(row: InboundMail, status: str, outcome: str, reason: str, now: datetime) -> None:
    row.status, row.outcome, row.reason = status, outcome, reason
    row.processed_at, row.claimed_until = now, None


def _quarantine(session: Session, inbound_id: int, now: datetime, reason: str) -> Outcome:
    row = session.get_one(InboundMail, inbound_id)
    _finish(row, "quarantined", "quarantined", reason, now)
    return Outcome(inbound_id, "quarantined", "quarantined", reason=reason)


def _failed(session: Session, inbound_id: int, now: datetime, reason: str) -> Outcome:
    row = session.get_one(InboundMail, inbound_id)
    if row.attempts >= inbound.MAX_ATTEMPTS:
        _finish(row, "quarantined", "quarantined", f"gave up after {row.attempts}: {reason}", now)
        return Outcome(inbound_id, "quarantined", "quarantined", reason=row.reason)
    row.reason, row.claimed_until = reason, None
    row.next_attempt_at = now + inbound.RETRY_AFTER
    return Outcome(inbound_id, "retry", reason=reason)


def process_due(
    database: Database, postman: Postman, config: InboxConfig, now: datetime, limit: int = 500
) -> list[Outcome]:
    """Every stored mail whose time has come (`inbox poll --process`, the sweep)."""
    with database.session() as session:
        ids = inbound.due_ids(session, now, limit)
    outcomes: list[Outcome] = []
    for start in range(0, len(ids), BATCH):
        outcomes += process_batch(database, postman, config, ids[start : start + BATCH], now)
    return outcomes


def requeue(database: Database, inbound_id: int, now: datetime) -> bool:
    """Give a quarantined mail another go (a coordinator decided; the CLI and the web)."""
    with database.unit_of_work() as uow:
        if not quarantine.requeue(uow.session, inbound_id, now):
            return False
        uow.commit()
    return True


__all__ = [
    "RULES", "InboxConfig", "Outcome", "ParsedMail", "process", "process_batch", "process_due",
    "requeue",
]  # fmt: skip

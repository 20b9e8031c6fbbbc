"""The transactional outbox: mail rows written with the change that causes them."""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.charset import QP, Charset
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.policy import compat32
from email.utils import format_datetime
from typing import Protocol

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from workflow import leases
from workflow.crypto import Vault
from workflow.models import Case, OutboxMail

LEASE = timedelta(minutes=2)
ON_THE_WIRE = compat32.clone(linesep="\r\n")  # SMTP wants CRLF; smtplib leaves bytes alone
_UTF8_QP = Charset("utf-8")
_UTF8_QP.body_encoding = QP
MAX_ATTEMPTS = 8
BACKOFF_SECONDS = (30, 60, 120, 300, 600, 1200, 1800)  # well below any broker visibility timeout


class HeaderInjection(ValueError):
    """A value meant for a mail header contains a line break."""


class RenderedMailLike(Protocol):
    """A rendered mail (read-only, so a frozen dataclass fits)."""

    @property
    def subject(self) -> str: ...

    @property
    def text(self) -> str: ...

    @property
    def html(self) -> str: ...


class MailRenderer(Protocol):
    def __call__(
        self, name: str, language: str, context: Mapping[str, object]
    ) -> RenderedMailLike: ...


@dataclass(frozen=True)
class Postman:
    """Writes outgoing mail into the outbox; the edges hand it the template renderer."""

    render: MailRenderer
    mail_from: str
    base_url: str

    @property
    def domain(self) -> str:
        return self.mail_from.rpartition("@")[2]

    def reply_address(self, vault: Vault, reference: str) -> str:
        """`team+VP-2026-0042.<signature>@domain`: a reply threads into its case by address."""
        local, _, domain = self.mail_from.partition("@")
        return f"{local}+{signed_plus_reference(vault, reference)}@{domain}"

    def write(
        self,
        session: Session,
        vault: Vault,
        *,
        case: Case | None,
        template: str,
        language: str,
        recipient: str,
        context: Mapping[str, object],
        now: datetime,
    ) -> OutboxMail:
        """Render and add one mail to the session; it leaves when the transaction commits.

        A mail about no case (a staff sign-in link) has no reference and cannot be threaded.
        """
        reference = case.reference if case is not None else None
        rendered = self.render(template, language, {"reference": reference, **context})
        if reference is None:
            message_id = f"<{secrets.token_hex(16)}@{self.domain}>"
            reply_to = self.mail_from
        else:
            message_id = signed_message_id(vault, reference, self.domain)
            reply_to = self.reply_address(vault, reference)
        message = self._compose(rendered, recipient, message_id, reply_to, language, now)
        row = OutboxMail(
            case_id=case.id if case is not None else None,
            template=template,
            message_id=message_id,
            recipient_enc=vault.seal(recipient),
            recipient_hash=vault.blind_index(recipient),
            message_enc=vault.seal_bytes(message.as_bytes(policy=ON_THE_WIRE)),
            status="pending",
            attempts=0,
            created_at=now,
            next_attempt_at=now,
        )
        session.add(row)
        written_mails(session).append(row)
        return row

    def _compose(
        self,
        rendered: RenderedMailLike,
        recipient: str,
        message_id: str,
        reply_to: str,
        language: str,
        now: datetime,
    ) -> MIMEMultipart:
        # compat32 MIME classes: the modern header registry parsed every header we set,
        # which made composing cost four times as much (benchmarks/README.md).
        # "=_" cannot occur in quoted-printable text, so the generator need not search for it
        message = MIMEMultipart("alternative", boundary=f"=_vertrouwd_{secrets.token_hex(12)}")
        message["From"] = self.mail_from
        message["To"] = single_line(recipient)
        message["Reply-To"] = reply_to
        message["Subject"] = _subject(single_line(rendered.subject))
        message["Date"] = format_datetime(now)
        message["Message-ID"] = message_id
        message["Auto-Submitted"] = "auto-generated"  # RFC 3834: nobody should auto-answer
        message["X-Auto-Response-Suppress"] = "All"  # Exchange: no out-of-office back to us
        message["Content-Language"] = language
        message.attach(_text_part(rendered.text, "plain"))
        message.attach(_text_part(rendered.html, "html"))
        return message


def written_mails(session: Session) -> list[OutboxMail]:
    """Every mail `Postman.write` added in this session, in order: what a unit of work caused."""
    written: list[OutboxMail] = session.info.setdefault("outbox_written", [])
    return written


def _subject(subject: str) -> str:
    return subject if subject.isascii() else Header(subject, "utf-8").encode()


def _text_part(text: str, subtype: str) -> MIMENonMultipart:
    """UTF-8, quoted-printable: readable in any client, and no line over 76 characters."""
    part = MIMENonMultipart("text", subtype)
    part.set_payload(text, _UTF8_QP)
    return part


OUR_MESSAGE_ID = re.compile(r"<(VP-\d{4}-\d{4,})\.([0-9a-f]{8})\.([0-9a-f]{20})@([^<>\s]+)>")


def signed_message_id(vault: Vault, reference: str, domain: str) -> str:
    """`<REF.nonce.signature@domain>`: a reply's In-Reply-To proves which case it belongs to."""
    nonce = secrets.token_hex(4)
    return f"<{reference}.{nonce}.{vault.sign(f'{reference}.{nonce}')}@{domain}>"


def signed_plus_reference(vault: Vault, reference: str) -> str:
    return f"{reference}.{vault.sign('plus:' + reference)}"


def reference_of(vault: Vault, message_id: str) -> str | None:
    """The case reference of one of our Message-IDs, or None (forged, foreign or garbled)."""
    match = OUR_MESSAGE_ID.fullmatch(message_id.strip())
    if match is None:
        return None
    reference, nonce, signature = match.group(1, 2, 3)
    return reference if vault.verify(f"{reference}.{nonce}", signature) else None


def recently_sent(session: Session, recipient_hash: str, since: datetime) -> int:
    """How many mails went to one address since `since` (a last line against mail loops)."""
    statement = select(func.count(OutboxMail.id)).where(
        OutboxMail.recipient_hash == recipient_hash, OutboxMail.created_at >= since
    )
    return int(session.scalar(statement) or 0)


def single_line(value: str) -> str:
    """Refuse CR, LF and NUL in a header value (CVE-2024-6923 is open on Python < 3.11.10)."""
    if any(ch in value for ch in "\r\n\x00"):
        raise HeaderInjection("a mail header value may not contain a line break")
    return value


def due_ids(session: Session, now: datetime, limit: int = 100) -> list[int]:
    return leases.due_ids(session, OutboxMail, now, limit)


def claim(session: Session, outbox_id: int, now: datetime) -> OutboxMail | None:
    return leases.claim(session, OutboxMail, outbox_id, now, LEASE)


def mark_sent(mail: OutboxMail, now: datetime) -> None:
    mail.status = "sent"
    mail.sent_at = now
    mail.claimed_until = None
    mail.last_error = None


def mark_failed(mail: OutboxMail, now: datetime, error: str, *, is_transient: bool) -> None:
    """Schedule the next attempt with backoff, or give up for good (and say why)."""
    mail.claimed_until = None
    mail.last_error = error[:500]
    if not is_transient or mail.attempts >= MAX_ATTEMPTS:
        mail.status = "failed"
        return
    delay = BACKOFF_SECONDS[min(mail.attempts - 1, len(BACKOFF_SECONDS) - 1)]
    mail.next_attempt_at = now + timedelta(seconds=delay)


def retry_delay(mail: OutboxMail, now: datetime) -> float:
    return max(0.0, (mail.next_attempt_at - now).total_seconds())


def make_all_due(session: Session, now: datetime) -> int:
    """Bring every pending mail forward to now (`vertrouwd outbox flush`)."""
    result = session.execute(
        update(OutboxMail)
        .where(OutboxMail.status == "pending", OutboxMail.next_attempt_at > now)
        .values(next_attempt_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0))


def pending_ids_of_case(session: Session, reference: str) -> list[int]:
    statement = (
        select(OutboxMail.id)
        .join(Case, Case.id == OutboxMail.case_id)
        .where(Case.reference == reference, OutboxMail.status == "pending")
    )
    return list(session.scalars(statement))

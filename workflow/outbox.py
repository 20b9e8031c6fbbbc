"""The transactional outbox: mail rows written with the change that causes them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, make_msgid
from typing import Protocol

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from workflow.crypto import Vault
from workflow.models import Case, OutboxMail

LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 8
BACKOFF_SECONDS = (30, 60, 120, 300, 600, 1200, 1800)  # well below any broker visibility timeout


class HeaderInjection(ValueError):
    """A value meant for a mail header contains a line break."""


class RenderedMailLike(Protocol):
    subject: str
    text: str
    html: str


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

    def reply_address(self, reference: str) -> str:
        """`team+VP-2026-0042@domain`: a reply threads into its case even without a subject."""
        local, _, domain = self.mail_from.partition("@")
        return f"{local}+{reference}@{domain}"

    def write(
        self,
        session: Session,
        vault: Vault,
        *,
        case: Case,
        template: str,
        language: str,
        recipient: str,
        context: Mapping[str, object],
        now: datetime,
    ) -> OutboxMail:
        """Render and add one mail to the session; it leaves when the transaction commits."""
        rendered = self.render(template, language, {"reference": case.reference, **context})
        message_id = make_msgid(idstring=case.reference, domain=self.domain)
        message = self._compose(rendered, recipient, message_id, case.reference, language, now)
        row = OutboxMail(
            case_id=case.id,
            template=template,
            message_id=message_id,
            recipient_enc=vault.seal(recipient),
            message_enc=vault.seal_bytes(message.as_bytes(policy=SMTP_POLICY)),
            status="pending",
            attempts=0,
            created_at=now,
            next_attempt_at=now,
        )
        session.add(row)
        return row

    def _compose(
        self,
        rendered: RenderedMailLike,
        recipient: str,
        message_id: str,
        reference: str,
        language: str,
        now: datetime,
    ) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.mail_from
        message["To"] = single_line(recipient)
        message["Reply-To"] = self.reply_address(reference)
        message["Subject"] = single_line(rendered.subject)
        message["Date"] = format_datetime(now)
        message["Message-ID"] = message_id
        message["Auto-Submitted"] = "auto-generated"  # RFC 3834: nobody should auto-answer
        message["X-Auto-Response-Suppress"] = "All"  # Exchange: no out-of-office back to us
        message["Content-Language"] = language
        message.set_content(rendered.text)
        message.add_alternative(rendered.html, subtype="html")
        return message


def single_line(value: str) -> str:
    """Refuse CR, LF and NUL in a header value (CVE-2024-6923 is open on Python < 3.11.10)."""
    if any(ch in value for ch in "\r\n\x00"):
        raise HeaderInjection("a mail header value may not contain a line break")
    return value


def due_ids(session: Session, now: datetime, limit: int = 100) -> list[int]:
    """Pending mails whose time has come and that nobody holds a lease on."""
    statement = (
        select(OutboxMail.id)
        .where(OutboxMail.status == "pending", OutboxMail.next_attempt_at <= now)
        .where(or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until < now))
        .order_by(OutboxMail.id)
        .limit(limit)
    )
    return list(session.scalars(statement))


def claim(session: Session, outbox_id: int, now: datetime) -> OutboxMail | None:
    """Take a lease on one due mail; None when it is sent, not due, or held by another worker.

    A conditional UPDATE works the same on PostgreSQL and SQLite and needs no lock held
    during the SMTP conversation; a crashed worker's lease simply runs out.
    """
    result = session.execute(
        update(OutboxMail)
        .where(OutboxMail.id == outbox_id, OutboxMail.status == "pending")
        .where(OutboxMail.next_attempt_at <= now)
        .where(or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until < now))
        .values(claimed_until=now + LEASE, attempts=OutboxMail.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        return None
    return session.get(OutboxMail, outbox_id, populate_existing=True)


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

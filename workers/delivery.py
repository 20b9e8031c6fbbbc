"""SMTP delivery of outbox rows: claim by lease, send, record; transient errors retry later."""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime

from workflow import outbox
from workflow.db import Database
from workflow.settings import MailServer

log = logging.getLogger(__name__)
SMTP_TIMEOUT = 30


@dataclass(frozen=True)
class Outcome:
    """What became of one delivery attempt; `retry_in` is set when it should be tried again."""

    outbox_id: int
    status: str
    retry_in: float | None = None


class PermanentFailure(Exception):
    """The server refused for good (5xx): retrying would not help."""


def send(server: MailServer, sender: str, recipient: str, message: bytes) -> None:
    """One SMTP conversation; raises PermanentFailure on 5xx, anything else is transient."""
    with smtplib.SMTP(server.host, server.port, timeout=SMTP_TIMEOUT) as smtp:
        if server.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if server.user:
            smtp.login(server.user, server.password)
        try:
            smtp.sendmail(sender, [recipient], message)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            if all(code >= 500 for code in codes):
                raise PermanentFailure(f"recipient refused ({codes[0]})") from None
            raise
        except smtplib.SMTPResponseException as error:
            if error.smtp_code >= 500:
                raise PermanentFailure(f"refused with {error.smtp_code}") from None
            raise


@dataclass(frozen=True)
class Courier:
    """Carries outbox rows to the SMTP server, from the shared address."""

    database: Database
    server: MailServer
    sender: str

    def deliver(self, outbox_id: int, now: datetime) -> Outcome:
        """Deliver one mail at most once per lease; a sent or held mail is left alone."""
        with self.database.unit_of_work() as uow:
            mail = outbox.claim(uow.session, outbox_id, now)
            if mail is None:
                return Outcome(outbox_id, "skipped")
            recipient = uow.vault.open(mail.recipient_enc)
            message = uow.vault.open_bytes(mail.message_enc)
            uow.commit()
        error, is_transient = _attempt(self.server, self.sender, recipient, message)
        return self._record(outbox_id, now, error, is_transient)

    def deliver_due(self, now: datetime, limit: int = 500) -> list[Outcome]:
        """Every mail whose time has come (the sweep, and `vertrouwd outbox flush`)."""
        with self.database.session() as session:
            ids = outbox.due_ids(session, now, limit)
        return [self.deliver(outbox_id, now) for outbox_id in ids]

    def _record(
        self, outbox_id: int, now: datetime, error: str | None, is_transient: bool
    ) -> Outcome:
        with self.database.unit_of_work() as uow:
            mail = uow.session.get_one(outbox.OutboxMail, outbox_id)
            if error is None:
                outbox.mark_sent(mail, now)
            else:
                outbox.mark_failed(mail, now, error, is_transient=is_transient)
                log.warning("mail %s not delivered: %s", outbox_id, error)
            uow.commit()
            retry_in = outbox.retry_delay(mail, now) if mail.status == "pending" else None
            return Outcome(outbox_id, mail.status, retry_in)


def _attempt(
    server: MailServer, sender: str, recipient: str, message: bytes
) -> tuple[str | None, bool]:
    try:
        send(server, sender, recipient, message)
    except PermanentFailure as error:
        return str(error), False
    except (smtplib.SMTPException, OSError) as error:
        return f"{type(error).__name__} {getattr(error, 'smtp_code', '')}".strip(), True
    return None, False

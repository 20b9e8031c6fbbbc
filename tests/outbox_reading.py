"""Reading the outbox in tests: which mails were written to whom, their text, their links."""

from __future__ import annotations

import email
import email.policy
import re
from email.message import EmailMessage
from typing import NamedTuple, cast

from sqlalchemy import select

from workflow.db import Database
from workflow.models import Case, OutboxMail


class Sent(NamedTuple):
    """One outbox mail, opened: what it is, to whom, and the message itself."""

    template: str
    recipient: str
    message: EmailMessage


def mails_to(database: Database, address: str, template: str | None = None) -> list[OutboxMail]:
    """The rows written to `address` (matched as the outbox matches it), oldest first."""
    with database.session() as session:
        statement = select(OutboxMail).where(
            OutboxMail.recipient_hash == database.vault.blind_index(address)
        )
        if template:
            statement = statement.where(OutboxMail.template == template)
        return list(session.scalars(statement.order_by(OutboxMail.id)))


def templates_to(database: Database, address: str) -> list[str]:
    """The templates of the mails written to `address`, oldest first."""
    return [row.template for row in mails_to(database, address)]


def message_of(database: Database, row: OutboxMail) -> EmailMessage:
    raw = database.vault.open_bytes(row.message_enc)
    return cast(EmailMessage, email.message_from_bytes(raw, policy=email.policy.default))


def raw_mail(database: Database, row: OutboxMail) -> str:
    """The whole mail as it will be sent: headers, and every part still transfer-encoded."""
    return database.vault.open_bytes(row.message_enc).decode()


def mail_text(database: Database, row: OutboxMail) -> str:
    """The text/plain part of a mail, decoded."""
    body = message_of(database, row).get_body(preferencelist=("plain",))
    assert body is not None, f"no text part in {row.template}"
    return str(body.get_content())


def link_in_last_mail(database: Database, address: str, path: str) -> str:
    """The token of the newest `/path/<token>` link (path like "taak") in a mail to `address`."""
    for row in reversed(mails_to(database, address)):
        found = re.search(rf"/{path}/([A-Za-z0-9_\-]{{20,}})", mail_text(database, row))
        if found:
            return found.group(1)
    raise AssertionError(f"no /{path}/ link in any mail to {address}")


def outbox(database: Database, reference: str | None = None) -> list[Sent]:
    """Every mail in the outbox, or those of one case, opened; oldest first."""
    with database.session() as session:
        statement = select(OutboxMail).order_by(OutboxMail.id)
        if reference is not None:
            statement = statement.join(Case, OutboxMail.case_id == Case.id).where(
                Case.reference == reference
            )
        rows = session.scalars(statement).all()
        return [
            Sent(row.template, database.vault.open(row.recipient_enc), message_of(database, row))
            for row in rows
        ]

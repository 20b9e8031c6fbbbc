"""What the inbound rules do: set machine mail aside, mark bounces, thread replies, open cases."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow import states
from workflow.assignment import mail_staff, people_of
from workflow.cases import record
from workflow.casework import answer_by_mail, client_answered, command_word, write_to_client
from workflow.classify import Classification, classify
from workflow.db import UnitOfWork
from workflow.desk import WORKING_STATES, Desk, client_address
from workflow.intake import OpenCase, start_case
from workflow.machine import MachineSignal
from workflow.mailparse import ParsedMail
from workflow.models import (
    Advisor,
    Attachment,
    Case,
    InboundMail,
    Message,
    Organisation,
    OutboxMail,
)
from workflow.outbox import OUR_MESSAGE_ID, Postman, reference_of
from workflow.replies import Thread, find_thread, staff_of

DUPLICATE_WINDOW = timedelta(days=1)
RELAY_STATES = WORKING_STATES | {states.CLOSING}
PLUS_SLUG = re.compile(r"^[^@+]+\+([a-z0-9-]+)@", re.IGNORECASE)
DSN_STATUS = re.compile(r"^Status:\s*([245]\.\d{1,3}\.\d{1,3})", re.IGNORECASE | re.MULTILINE)
DSN_DIAGNOSTIC = re.compile(r"^Diagnostic-Code:\s*[^;\n]*;\s*([^\n]{1,120})", re.I | re.M)


@dataclass
class MailAtHand:
    """One inbound mail being processed, with what the rules learn about it on the way."""

    uow: UnitOfWork
    postman: Postman
    row: InboundMail
    parsed: ParsedMail
    now: datetime
    config_mail_from: str
    default_organisation: str | None
    machine: MachineSignal | None = None
    case: Case | None = field(default=None)

    @cached_property
    def thread(self) -> Thread:
        parsed = self.parsed
        return find_thread(
            self.uow.session,
            self.uow.vault,
            message_ids=(*parsed.in_reply_to, *reversed(parsed.references)),
            recipients=parsed.to_addresses,
            subject=parsed.subject,
            sender=parsed.from_address,
        )

    @cached_property
    def content_hash(self) -> str | None:
        text = " ".join(self.parsed.new_text.split())
        return self.uow.vault.blind_index(f"{self.parsed.from_address or ''}\n{text}")

    @cached_property
    def earlier_copy(self) -> InboundMail | None:
        """The same sender with the same text within a day (sent twice, or to two aliases)."""
        self.row.content_hash = self.content_hash
        statement = select(InboundMail).where(
            InboundMail.content_hash == self.content_hash,
            InboundMail.id != self.row.id,
            InboundMail.received_at >= self.now - DUPLICATE_WINDOW,
            InboundMail.outcome.in_(("case", "reply")),
        )
        return self.uow.session.scalars(statement.limit(1)).first()


def act_on_machine(mail: MailAtHand) -> tuple[str, str]:
    """Kept and shown, never answered, never opens or reopens a case (RFC 3834)."""
    case = mail.thread.case if mail.machine is not None else None
    if case is not None:
        mail.case = case
        mail.row.case_id = case.id
        record(mail.uow.session, case, "machine_mail", mail.now, detail=_machine_detail(mail))
    return "ignored", "machine"


def _machine_detail(mail: MailAtHand) -> str:
    return f"{mail.machine.kind}: {mail.machine.rule}" if mail.machine else "from ourselves"


def act_on_bounce(mail: MailAtHand) -> tuple[str, str]:
    """Mark the mail of ours that bounced as undeliverable and tell the people of the case."""
    bounced = _bounced_mail(mail)
    if bounced is None or bounced.case_id is None:
        return "ignored", "bounce"
    bounced.status = "undeliverable"
    case = mail.uow.session.get_one(Case, bounced.case_id)
    mail.case, mail.row.case_id = case, case.id
    record(mail.uow.session, case, "mail_bounced", mail.now, detail=bounced.template)
    if bounced.template == "acknowledgement":  # staff notices that bounce are only recorded
        _tell_staff_of_bounce(mail, case, bounced)
    return "ignored", "bounce"


def _bounced_mail(mail: MailAtHand) -> OutboxMail | None:
    raw = mail.uow.vault.open_bytes(mail.row.raw_enc).decode("latin-1")
    for match in OUR_MESSAGE_ID.finditer(raw):
        if reference_of(mail.uow.vault, match.group(0)):
            row = mail.uow.session.scalar(
                select(OutboxMail).where(OutboxMail.message_id == match.group(0))
            )
            if row is not None:
                return row
    return None


def _tell_staff_of_bounce(mail: MailAtHand, case: Case, bounced: OutboxMail) -> None:
    mail_staff(
        mail.uow.session, mail.uow.vault, mail.postman, case,
        people_of(mail.uow.session, case), "bounce_notice", mail.now,
        name_key="recipient_name", bounced_template=bounced.template,
        reason=_bounce_reason(mail),
    )  # fmt: skip


def _bounce_reason(mail: MailAtHand) -> str:
    """The status and diagnostic of a delivery report (RFC 3464), short and on one line."""
    text = mail.uow.vault.open_bytes(mail.row.raw_enc).decode("latin-1")
    status = DSN_STATUS.search(text)
    diagnostic = DSN_DIAGNOSTIC.search(text)
    parts = [m.group(1) for m in (status, diagnostic) if m is not None]
    return " ".join(" ".join(parts).split())[:160] or "unknown"


def act_on_duplicate(mail: MailAtHand) -> tuple[str, str]:
    earlier = mail.earlier_copy
    assert earlier is not None
    mail.row.case_id = earlier.case_id
    if earlier.case_id is not None:
        mail.case = mail.uow.session.get(Case, earlier.case_id)
    return "ignored", "duplicate"


def act_on_reply(mail: MailAtHand) -> tuple[str, str]:
    """A reply joins its case; the advisor is told that (not what) the client wrote."""
    case = mail.thread.case
    assert case is not None
    mail.case, mail.row.case_id = case, case.id
    sender = mail.parsed.from_address or ""
    staff = staff_of(mail.uow.session, case, sender) if sender else None
    if staff is not None:
        return _staff_reply(mail, case, staff)
    _keep_message(mail, case, author="client")
    _keep_attachments(mail, case)
    record(mail.uow.session, case, "client_replied", mail.now, actor="client",
           detail=f"threaded by {mail.thread.method}")  # fmt: skip
    client_answered(Desk(mail.uow, mail.postman, mail.now), case)
    _tell_of_reply(mail, case)
    return "done", "reply"


def _staff_reply(mail: MailAtHand, case: Case, staff: Advisor) -> tuple[str, str]:
    """Staff mail is a command or a message for the client, never a client message.

    The assigned advisor answers a task with "akkoord"/"weiger" as the first word; once
    working the case, what they write goes to the client from the shared address. Other
    staff mail stays in the case as a note.
    """
    desk = Desk(mail.uow, mail.postman, mail.now)
    text = mail.parsed.new_text or ""
    command = command_word(text)
    if command is not None:
        answer_by_mail(desk, case, staff, command)
        return "done", "command"
    if _relays_to_client(desk, case, staff, text):
        write_to_client(desk, case, staff, text.strip())
        _keep_attachments(mail, case)
        return "done", "relayed"
    _keep_message(mail, case, author="staff")
    _keep_attachments(mail, case)
    record(mail.uow.session, case, "staff_mail", mail.now, actor=staff.email)
    return "done", "reply"


def _relays_to_client(desk: Desk, case: Case, staff: Advisor, text: str) -> bool:
    return (
        case.advisor_id == staff.id
        and case.state in RELAY_STATES
        and bool(text.strip())
        and client_address(desk, case) is not None
    )


def _tell_of_reply(mail: MailAtHand, case: Case) -> None:
    mail_staff(
        mail.uow.session, mail.uow.vault, mail.postman, case,
        people_of(mail.uow.session, case), "client_replied", mail.now,
        name_key="recipient_name", is_urgent=case.is_urgent,
    )  # fmt: skip


def act_on_stranger_tag(mail: MailAtHand) -> tuple[str, str]:
    """A case tag from someone not in that case: a new case, with a note (never threaded)."""
    status, outcome = open_from_mail(mail)
    if mail.case is not None:
        record(mail.uow.session, mail.case, "foreign_reference", mail.now,
               detail="the subject named a case of someone else; not threaded")  # fmt: skip
    return status, outcome


def open_from_mail(mail: MailAtHand) -> tuple[str, str]:
    session = mail.uow.session
    organisations = _organisations(session)
    if not organisations:
        raise LookupError("no organisation is configured to receive mail")
    guess = classify(mail.parsed.new_text, mail.parsed.subject, organisations)
    slug, is_org_sure = _organisation(mail, guess, organisations)
    opened = start_case(mail.uow, mail.postman, _command(mail, guess, slug, is_org_sure), mail.now)
    mail.case = session.get_one(Case, opened.case_id)
    mail.row.case_id = mail.case.id
    _keep_attachments(mail, mail.case)
    return "done", "case"


def _organisations(session: Session) -> list[tuple[str, str]]:
    """Slugs and names, read once per transaction (a batch of mails), not once per mail."""
    cached: list[tuple[str, str]] | None = session.info.get("organisations")
    if cached is None:
        cached = [(o.slug, o.name) for o in session.scalars(select(Organisation))]
        session.info["organisations"] = cached
    return cached


def _command(mail: MailAtHand, guess: Classification, slug: str, is_org_sure: bool) -> OpenCase:
    parsed = mail.parsed
    return OpenCase(
        organisation_slug=slug, channel="email", kind=guess.kind.value,
        preferred_gender=guess.preferred_gender.value, language=guess.language.value,
        description=parsed.new_text or parsed.text or "(leeg bericht)",
        name=None if guess.wants_anonymity else parsed.from_name,
        email=parsed.from_address, counterpart_name=guess.counterpart_name,
        counterpart_role=guess.counterpart_role, is_anonymous=guess.wants_anonymity,
        is_urgent=guess.is_urgent, is_sure=guess.is_sure(), is_organisation_known=is_org_sure,
        classification=_classification_json(guess, is_org_sure),
        quoted_text=parsed.quoted_text or None, inbound_mail_id=mail.row.id,
    )  # fmt: skip


def _classification_json(guess: Classification, is_org_sure: bool) -> str:
    """The guesses and how sure they are, for the coordinator's triage: rule names, no text."""
    return json.dumps({
        "kind": [guess.kind.value, round(guess.kind.confidence, 2), guess.kind.reason],
        "preferred_gender": [guess.preferred_gender.value,
                             round(guess.preferred_gender.confidence, 2)],
        "language": [guess.language.value, round(guess.language.confidence, 2)],
        "organisation_sure": is_org_sure, "urgent": list(guess.safety_reasons),
    })  # fmt: skip


def _organisation(
    mail: MailAtHand, guess: Classification, organisations: list[tuple[str, str]]
) -> tuple[str, bool]:
    """By the address it was sent to (`team+slug@`), else the text, else the default."""
    slugs = {slug for slug, _ in organisations}
    for recipient in mail.parsed.to_addresses:
        match = PLUS_SLUG.match(recipient)
        if match and match.group(1).lower() in slugs:
            return match.group(1).lower(), True
    if guess.organisation_slug.value in slugs and guess.organisation_slug.confidence >= 0.6:
        return str(guess.organisation_slug.value), True
    if len(slugs) == 1:
        return next(iter(slugs)), True
    if mail.default_organisation in slugs:
        return str(mail.default_organisation), False
    return sorted(organisations)[0][0], False


def _keep_message(mail: MailAtHand, case: Case, *, author: str) -> None:
    vault = mail.uow.vault
    mail.uow.session.add(Message(
        case_id=case.id, direction="in", author=author,
        body_enc=vault.seal(mail.parsed.new_text or mail.parsed.text or ""),
        quoted_enc=vault.seal_optional(mail.parsed.quoted_text),
        inbound_mail_id=mail.row.id, created_at=mail.now,
    ))  # fmt: skip


def _keep_attachments(mail: MailAtHand, case: Case) -> None:
    vault = mail.uow.vault
    for attachment in mail.parsed.attachments:
        mail.uow.session.add(Attachment(
            inbound_mail_id=mail.row.id, case_id=case.id,
            filename_enc=vault.seal(attachment.filename), content_type=attachment.content_type,
            size=len(attachment.data), data_enc=vault.seal_bytes(attachment.data),
            created_at=mail.now,
        ))  # fmt: skip

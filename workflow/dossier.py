"""The client's own dossier (domain rule 9): how they get in, what they see, what they may do.

A client gets in with their private link, or (anonymous) with the reference and the code.
The page shows what the client wrote, what the advisor wrote to them, the mails we sent
them and their consents. It never shows staff notes, the advisor's e-mail address, other
cases or our classification. Every answer to a failed way in is the same: None.
"""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage

from sqlalchemy import select

from workflow import states, tokens
from workflow.assignment import mail_staff, people_of
from workflow.cases import record
from workflow.casework import client_answered
from workflow.consent import consents_of
from workflow.desk import Desk, NotAllowed, client_address, client_name, url
from workflow.intake import is_capped
from workflow.models import AccessToken, Case, Consent, Message, OutboxMail, Person
from workflow.vocabulary import CONSENT_ACTIONS, PATH_STEPS, PathStep, Term

MESSAGE_LIMIT = 5000
DOSSIER_LINK = re.compile(r"(/dossier/)[A-Za-z0-9_\-]{16,}")

# Where the case stands, in the client's terms: the page words are `stage_<key>`.
STAGES: Mapping[str, str] = {
    states.RECEIVED: "finding_advisor",
    states.TRIAGE: "finding_advisor",
    states.NEEDS_TRIAGE: "finding_advisor",
    states.ASSIGNED: "finding_advisor",
    states.ACCEPTED: "working",
    states.IN_PROGRESS: "working",
    states.CONSENT_PENDING: "your_answer",
    states.CLOSING: "evaluation",
    states.CLOSED: "closed",
    states.ANONYMISED: "closed",
    states.REFERRED: "referred",
    states.WITHDRAWN: "withdrawn",
    states.NOT_A_CASE: "not_a_case",
}


# --- getting in -------------------------------------------------------------------------


@dataclass(frozen=True)
class Access:
    """A way into one dossier: the case and the token row that opened it."""

    case: Case
    token_id: int


def access_by_token(desk: Desk, token: str) -> Access | None:
    row = tokens.find_valid(desk.session, desk.vault, token, "dossier", desk.now)
    if row is None:
        return None
    return Access(desk.session.get_one(Case, row.case_id), row.id)


def access_by_code(desk: Desk, reference: str, code: str) -> Access | None:
    """The reference and the code of an anonymous client; one query, one answer for failures."""
    row = desk.session.scalar(
        select(AccessToken)
        .join(Case, Case.id == AccessToken.case_id)
        .where(
            Case.reference == reference.strip().upper(),
            AccessToken.purpose == "dossier",
            AccessToken.code_hash == desk.vault.token_hash(normal_code(code)),
            AccessToken.used_at.is_(None),
            AccessToken.expires_at > desk.now,
        )
        .order_by(AccessToken.id.desc())
        .limit(1)
    )
    if row is None:
        return None
    return Access(desk.session.get_one(Case, row.case_id), row.id)


def access_again(desk: Desk, token_id: int, case_id: int) -> Case | None:
    """The case of a session that got in earlier, while its token is still unused and valid."""
    row = desk.session.get(AccessToken, token_id)
    if (
        row is None
        or row.purpose != "dossier"
        or row.case_id != case_id
        or row.used_at is not None
        or row.expires_at <= desk.now
    ):
        return None
    return desk.session.get_one(Case, row.case_id)


def normal_code(code: str) -> str:
    """As it was handed out ("ABCD-EF23"), however it was typed ("abcd ef23", "ABCDEF23")."""
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == 8 else code.strip().upper()


# --- what the client sees ---------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One message in the conversation: from the client, or from the advisor."""

    at: datetime
    is_from_client: bool
    text: str


@dataclass(frozen=True)
class SentMail:
    """A mail we sent the client, as they received it (the text part)."""

    at: datetime
    subject: str
    text: str


@dataclass(frozen=True)
class ConsentView:
    id: int
    action: Term
    what: str
    towards: str
    information: str
    status: str
    requested_at: datetime
    answered_at: datetime | None
    withdrawn_at: datetime | None

    @property
    def can_withdraw(self) -> bool:
        return self.status == "given"


@dataclass(frozen=True)
class DossierView:
    """Everything the dossier page shows, opened; nothing the client may not see."""

    reference: str
    state: str
    stage: str
    kind: str
    organisation_name: str
    advisor_name: str | None
    created_at: datetime
    is_open: bool
    written: tuple[Entry, ...]
    from_advisor: tuple[Entry, ...]
    mails: tuple[SentMail, ...]
    consents: tuple[ConsentView, ...]
    path_step: PathStep | None
    deadline_at: datetime | None

    @property
    def conversation(self) -> list[Entry]:
        return sorted((*self.written, *self.from_advisor), key=lambda entry: entry.at)


def view_of(desk: Desk, case: Case) -> DossierView:
    advisor = case.advisor
    return DossierView(
        reference=case.reference,
        state=case.state,
        stage=STAGES.get(case.state, "working"),
        kind=case.kind,
        organisation_name=case.organisation.name,
        advisor_name=advisor.name if advisor else None,
        created_at=case.created_at,
        is_open=case.state in states.OPEN_STATES,
        written=_messages(desk, case, from_client=True),
        from_advisor=_messages(desk, case, from_client=False),
        mails=_mails(desk, case),
        consents=tuple(_consent(desk, c) for c in consents_of(desk, case)),
        path_step=PATH_STEPS.get(case.path_step) if case.path_step else None,
        deadline_at=case.complaint_deadline_at,
    )


def _messages(desk: Desk, case: Case, *, from_client: bool) -> tuple[Entry, ...]:
    # The client's own words, and what the advisor sent them; never a note or staff mail.
    which = (
        (Message.direction == "in") & (Message.author == "client")
        if from_client
        else (Message.direction == "out")
    )
    rows = desk.session.scalars(
        select(Message).where(Message.case_id == case.id, which).order_by(Message.id)
    )
    return tuple(Entry(m.created_at, from_client, desk.vault.open(m.body_enc)) for m in rows)


def _mails(desk: Desk, case: Case) -> tuple[SentMail, ...]:
    if case.person is None or case.person.email_hash is None:
        return ()
    rows = desk.session.scalars(
        select(OutboxMail)
        .where(OutboxMail.case_id == case.id)
        .where(OutboxMail.recipient_hash == case.person.email_hash)
        .order_by(OutboxMail.created_at, OutboxMail.id)
    )
    return tuple(_read_mail(desk, row) for row in rows)


def _read_mail(desk: Desk, row: OutboxMail) -> SentMail:
    message = email.message_from_bytes(
        desk.vault.open_bytes(row.message_enc), policy=email.policy.default
    )
    assert isinstance(message, EmailMessage)
    body = message.get_body(preferencelist=("plain",))
    text = str(body.get_content()) if body is not None else ""
    text = DOSSIER_LINK.sub(r"\1…", text)  # the client is in already; the secret stays off screen
    return SentMail(row.sent_at or row.created_at, str(message["Subject"] or ""), text)


def _consent(desk: Desk, consent: Consent) -> ConsentView:
    open_ = desk.vault.open
    return ConsentView(
        id=consent.id,
        action=CONSENT_ACTIONS.get(consent.action, CONSENT_ACTIONS["other"]),
        what=open_(consent.what_enc),
        towards=open_(consent.towards_enc),
        information=open_(consent.information_enc),
        status=consent.status,
        requested_at=consent.requested_at,
        answered_at=consent.answered_at,
        withdrawn_at=consent.withdrawn_at,
    )


# --- what the client does ---------------------------------------------------------------


def add_message(desk: Desk, case: Case, text: str) -> Message:
    """The client writes from the dossier page: kept sealed; the advisor hears that, not what."""
    body = text.strip()
    if not body:
        raise NotAllowed("the message is empty")
    if len(body) > MESSAGE_LIMIT:
        raise NotAllowed(f"a message is at most {MESSAGE_LIMIT} characters")
    if case.state not in states.OPEN_STATES:
        raise NotAllowed(f"the case is {case.state}")
    message = Message(case_id=case.id, direction="in", author="client",
                      body_enc=desk.vault.seal(body), created_at=desk.now)  # fmt: skip
    desk.session.add(message)
    record(desk.session, case, "client_message", desk.now, actor="client", detail="via dossier")
    mail_staff(desk.session, desk.vault, desk.postman, case, people_of(desk.session, case),
               "client_replied", desk.now, name_key="recipient_name",
               is_urgent=case.is_urgent)  # fmt: skip
    client_answered(desk, case)
    return message


def send_new_links(desk: Desk, address: str) -> list[str]:
    """A new link for every case of this address, by mail; old links stop working.

    The caller answers the same whether or not the address is known; it gets the
    references mailed, to wake their delivery.
    """
    address_hash = desk.vault.blind_index(address)
    if address_hash is None:
        return []
    cases = list(desk.session.scalars(
        select(Case)
        .join(Person, Person.id == Case.person_id)
        # closed cases too: a client may always see their dossier (seed 003), until retention
        .where(Person.email_hash == address_hash, Case.state != states.ANONYMISED)
        .order_by(Case.id)
    ))  # fmt: skip
    return [case.reference for case in cases if _mail_new_link(desk, case)]


def _mail_new_link(desk: Desk, case: Case) -> bool:
    recipient = client_address(desk, case)
    if recipient is None:
        return False
    if is_capped(desk.uow, recipient, desk.now):
        record(desk.session, case, "dossier_link_capped", desk.now,
               detail="too many mails to this address")  # fmt: skip
        return False  # the old link keeps working: better than none at all
    tokens.spend_all(desk.session, case, "dossier", desk.now)
    issued = tokens.issue(desk.session, desk.vault, case, "dossier", desk.now,
                          tokens.DOSSIER_LIFETIME)  # fmt: skip
    record(desk.session, case, "dossier_link_issued", desk.now, actor="client",
           detail="asked for a new link")  # fmt: skip
    desk.postman.write(
        desk.session, desk.vault, case=case, template="dossier_link", language=case.language,
        recipient=recipient, now=desk.now,
        context={"organisation_name": case.organisation.name,
                 "contact_name": client_name(desk, case),
                 "dossier_url": url(desk, "dossier", issued.token),
                 "expires_at": desk.now + tokens.DOSSIER_LIFETIME},
    )  # fmt: skip
    return True

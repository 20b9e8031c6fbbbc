"""Opening a case from the web form (and later from mail): one command, one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from workflow import tokens
from workflow.assignment import alert_urgent, assign, send_to_triage
from workflow.cases import record, transition
from workflow.db import UnitOfWork
from workflow.models import Case, Message, Organisation, Person
from workflow.outbox import Postman, recently_sent
from workflow.references import next_reference
from workflow.sides import check_repeat, excluded_for_sides
from workflow.states import RECEIVED

AUTOMATIC_MAIL_CAP = 3
AUTOMATIC_MAIL_WINDOW = timedelta(minutes=10)


class UnknownOrganisation(LookupError):
    """No organisation has this slug."""


@dataclass(frozen=True)
class OpenCase:
    """A client asks for help."""

    organisation_slug: str
    channel: str
    kind: str
    preferred_gender: str
    language: str
    description: str
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    counterpart_name: str | None = None
    counterpart_role: str | None = None
    is_anonymous: bool = False
    submission_key: str | None = None
    is_urgent: bool = False
    is_sure: bool = True  # False: kind or wish is a guess; a coordinator decides, the client may
    is_organisation_known: bool = True  # False: a coordinator places it (never a guess)
    classification: str | None = None  # the guesses and their confidence as JSON; no content
    quoted_text: str | None = None
    inbound_mail_id: int | None = None


@dataclass(frozen=True)
class CaseOpened:
    """What the client is told: the reference and, when anonymous, the private link and code."""

    case_id: int
    reference: str
    kind: str
    state: str
    dossier: tokens.IssuedToken | None
    is_duplicate: bool = False


def open_case(uow: UnitOfWork, postman: Postman, command: OpenCase, now: datetime) -> CaseOpened:
    """Store the case, route it, and write the mails it causes, all in one commit."""
    opened = start_case(uow, postman, command, now)
    uow.commit()
    return opened


def start_case(uow: UnitOfWork, postman: Postman, command: OpenCase, now: datetime) -> CaseOpened:
    """`open_case` without the commit, for callers that add to the same transaction."""
    session = uow.session
    organisation = session.scalar(
        select(Organisation).where(Organisation.slug == command.organisation_slug)
    )
    if organisation is None:
        raise UnknownOrganisation(command.organisation_slug)
    submission_hash = uow.vault.blind_index(command.submission_key)
    if submission_hash and (earlier := _earlier_submission(uow, submission_hash)):
        return _already_opened(uow, earlier, now)
    case = _store(uow, organisation, command, submission_hash, now)
    transition(session, case, "start_triage", now, detail=_how_kind_was_set(command))
    if command.is_urgent:
        alert_urgent(session, uow.vault, postman, case, now)
    choose_url = None if command.is_sure else _choose_link(uow, postman, case, now)
    excluded = excluded_for_sides(session, case, now)  # one advisor, one side (seed 000)
    if command.is_sure and command.is_organisation_known:
        is_assigned = assign(session, uow.vault, postman, case, now, excluded=excluded).is_assigned
    else:
        reason = "unclassified" if not command.is_sure else "organisation_unknown"
        send_to_triage(session, uow.vault, postman, case, reason, now)
        is_assigned = False
    if case.counterpart_hash is not None:
        check_repeat(session, uow.vault, postman, case, now)
    dossier = _issue_dossier(uow, case, now) if command.is_anonymous or command.email else None
    if command.email:
        dossier_url = f"{postman.base_url}/dossier/{dossier.token}" if dossier else None
        _acknowledge(uow, postman, case, command, now, is_finding_advisor=not is_assigned,
                     choose_url=choose_url, dossier_url=dossier_url,
                     is_referred=bool(excluded))  # fmt: skip
    return CaseOpened(case.id, case.reference, case.kind, case.state, dossier)


def _how_kind_was_set(command: OpenCase) -> str:
    if command.channel == "web":
        return f"kind {command.kind} chosen by client"
    return f"kind {command.kind} {'recognised' if command.is_sure else 'unsure'} in mail"


def _choose_link(uow: UnitOfWork, postman: Postman, case: Case, now: datetime) -> str:
    """A page where the client says what it is about and whom they want (GET shows, POST acts)."""
    issued = tokens.issue(uow.session, uow.vault, case, "choose", now, tokens.CHOOSE_LIFETIME)
    record(uow.session, case, "choice_link_issued", now)
    return f"{postman.base_url}/kiezen/{issued.token}"


def _already_opened(uow: UnitOfWork, case: Case, now: datetime) -> CaseOpened:
    """A repeated submission (double click, reload) shows the first case again.

    An anonymous client may never have seen the first answer, so they get a fresh link and
    code; the first ones stay valid. Only the browser that loaded the form knows the key.
    """
    dossier = _issue_dossier(uow, case, now) if case.is_anonymous else None
    return CaseOpened(case.id, case.reference, case.kind, case.state, dossier, is_duplicate=True)


def _issue_dossier(uow: UnitOfWork, case: Case, now: datetime) -> tokens.IssuedToken:
    """The client's private link to their dossier; an anonymous client also gets a code."""
    dossier = tokens.issue(
        uow.session,
        uow.vault,
        case,
        "dossier",
        now,
        tokens.DOSSIER_LIFETIME,
        with_code=case.is_anonymous,
    )
    record(uow.session, case, "dossier_link_issued", now)
    return dossier


def _earlier_submission(uow: UnitOfWork, submission_hash: str) -> Case | None:
    return uow.session.scalar(select(Case).where(Case.submission_hash == submission_hash))


def _store(
    uow: UnitOfWork,
    organisation: Organisation,
    command: OpenCase,
    submission_hash: str | None,
    now: datetime,
) -> Case:
    vault, session = uow.vault, uow.session
    person = None
    if command.name or command.email or command.phone:
        person = Person(
            name_enc=vault.seal_optional(command.name),
            name_hash=vault.blind_index(command.name),
            email_enc=vault.seal_optional(command.email),
            email_hash=vault.blind_index(command.email),
            phone_enc=vault.seal_optional(command.phone),
            contact_preference=_contact_preference(command),
            created_at=now,
        )
    case = Case(
        reference=next_reference(session, now.year),
        organisation=organisation,
        person=person,
        channel=command.channel,
        kind=command.kind,
        preferred_gender=command.preferred_gender,
        language=command.language,
        state=RECEIVED,
        counterpart_name_enc=vault.seal_optional(command.counterpart_name),
        counterpart_hash=vault.blind_index(command.counterpart_name),
        counterpart_role_enc=vault.seal_optional(command.counterpart_role),
        is_anonymous=command.is_anonymous,
        is_urgent=command.is_urgent,
        classification=command.classification,
        submission_hash=submission_hash,
        created_at=now,
        updated_at=now,
    )
    session.add(case)
    session.flush()
    session.add(
        Message(
            case_id=case.id,
            direction="in",
            author="client",
            body_enc=vault.seal(command.description),
            quoted_enc=vault.seal_optional(command.quoted_text),
            inbound_mail_id=command.inbound_mail_id,
            created_at=now,
        )
    )
    record(session, case, "received", now, actor="client", detail=f"via {command.channel}")
    if command.is_urgent:
        record(session, case, "marked_urgent", now, detail="possible acute safety risk")
    return case


def _contact_preference(command: OpenCase) -> str:
    if command.email and command.phone:
        return "both"
    return "phone" if command.phone else "email"


def _acknowledge(
    uow: UnitOfWork,
    postman: Postman,
    case: Case,
    command: OpenCase,
    now: datetime,
    *,
    is_finding_advisor: bool,
    choose_url: str | None,
    dossier_url: str | None,
    is_referred: bool,
) -> None:
    assert command.email is not None
    if is_capped(uow, command.email, now):
        record(uow.session, case, "acknowledgement_capped", now, detail="too many to this address")
        return
    postman.write(
        uow.session,
        uow.vault,
        case=case,
        template="acknowledgement",
        language=case.language,
        recipient=command.email,
        now=now,
        context={
            "organisation_name": case.organisation.name,
            "kind": case.kind,
            "preferred_gender": case.preferred_gender,
            "is_finding_advisor": is_finding_advisor,
            "contact_name": None if command.is_anonymous else command.name,
            "dossier_url": dossier_url,
            "committee_email": case.organisation.committee_email,
            "choose_url": choose_url,
            "channel": case.channel,
            "is_referred_for_independence": is_referred,
        },
    )
    record(uow.session, case, "acknowledgement_queued", now)


def is_capped(uow: UnitOfWork, address: str, now: datetime) -> bool:
    """At most AUTOMATIC_MAIL_CAP automatic mails to one address in the window: a mail loop
    that slipped past every other rule still ends here."""
    address_hash = uow.vault.blind_index(address)
    if address_hash is None:
        return False
    sent = recently_sent(uow.session, address_hash, now - AUTOMATIC_MAIL_WINDOW)
    return sent >= AUTOMATIC_MAIL_CAP

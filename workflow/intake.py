"""Opening a case from the web form (and later from mail): one command, one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from workflow import tokens
from workflow.assignment import assign
from workflow.cases import record, transition
from workflow.db import UnitOfWork
from workflow.models import Case, Message, Organisation, Person
from workflow.outbox import Postman
from workflow.references import next_reference
from workflow.states import RECEIVED


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
    transition(session, case, "start_triage", now, detail=f"kind {case.kind} chosen by client")
    decision = assign(session, uow.vault, postman, case, now)
    dossier = _issue_dossier(uow, case, now) if command.is_anonymous else None
    if command.email and not command.is_anonymous:
        _acknowledge(uow, postman, case, command, now, is_finding_advisor=not decision.is_assigned)
    uow.commit()
    return CaseOpened(case.id, case.reference, case.kind, case.state, dossier)


def _already_opened(uow: UnitOfWork, case: Case, now: datetime) -> CaseOpened:
    """A repeated submission (double click, reload) shows the first case again.

    An anonymous client may never have seen the first answer, so they get a fresh link and
    code; the first ones stay valid. Only the browser that loaded the form knows the key.
    """
    dossier = None
    if case.is_anonymous:
        dossier = _issue_dossier(uow, case, now)
        uow.commit()
    return CaseOpened(case.id, case.reference, case.kind, case.state, dossier, is_duplicate=True)


def _issue_dossier(uow: UnitOfWork, case: Case, now: datetime) -> tokens.IssuedToken:
    dossier = tokens.issue(
        uow.session, uow.vault, case, "dossier", now, tokens.DOSSIER_LIFETIME, with_code=True
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
    if not command.is_anonymous:
        person = Person(
            name_enc=vault.seal_optional(command.name),
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
            created_at=now,
        )
    )
    record(session, case, "received", now, actor="client", detail=f"via {command.channel}")
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
) -> None:
    assert command.email is not None
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
            "contact_name": command.name or None,
            "dossier_url": None,
            "committee_email": case.organisation.committee_email,
        },
    )
    record(uow.session, case, "acknowledgement_queued", now)

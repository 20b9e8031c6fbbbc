"""The client's copy of their data (AVG art. 15): what we hold about them in one case, opened.

The client downloads it from their dossier (forms.client_rights, as JSON or PDF); asking to
erase it is workflow.rights.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow import dossier
from workflow.crypto import Vault
from workflow.desk import Desk
from workflow.models import Attachment, Case, DataRequest, Message
from workflow.rights import reason_of
from workflow.vocabulary import Term

EXPORT_FORMAT = "vertrouwd-export/1"
EVALUATION_NOTE = Term(
    "evaluation",
    "Uw antwoorden op de vragen over de hulp bewaren wij apart, zonder uw naam en zonder "
    "uw kenmerk. Niemand kan ze nog aan u koppelen. Daarom staan ze niet in dit overzicht.",
    "We keep your answers to the questions about the help apart, without your name and "
    "without your reference. Nobody can link them to you. That is why they are not here.",
)


def export_of(desk: Desk, case: Case, language: str) -> dict[str, Any]:
    """Everything we hold about the client in this case, opened; nothing about anyone else.

    Built on the dossier's view, so the download and the page never disagree: the client's
    own words, what the advisor wrote them, the mails we sent them and their consents. Not
    in it: staff notes and staff mail, our classification, hashes, staff addresses, other
    cases, signals, exclusions, the other side's case. Decision: the name and role of the
    person it is about ARE in it, as the client gave them in THIS case: the client's own
    words, which tell them nothing they did not tell us.
    """
    view = dossier.view_of(desk, case)
    return {
        "format": EXPORT_FORMAT,
        "made_at": _iso(desk.now),
        "language": language,
        "you": _you(desk, case),
        "case": _facts(case, view),
        "person_it_is_about": _counterpart(desk.vault, case),
        "messages": [{"at": _iso(e.at), "from": "you" if e.is_from_client else "advisor",
                      "text": e.text} for e in view.conversation],
        "mails_to_you": [{"at": _iso(m.at), "subject": m.subject,
                          "text": m.text.replace("\r\n", "\n")} for m in view.mails],
        "consents": [_consent(c, language) for c in view.consents],
        "files_you_sent": _files(desk, case),
        "requests": [_request(desk.vault, r) for r in _requests_of_case(desk.session, case)],
        "evaluation": {"is_linked_to_you": False, "note": EVALUATION_NOTE.label(language)},
    }  # fmt: skip


def _you(desk: Desk, case: Case) -> dict[str, Any]:
    person, vault = case.person, desk.vault
    if person is None:
        return {"name": None, "email": None, "phone": None, "contact_preference": None,
                "is_anonymous": case.is_anonymous}  # fmt: skip
    return {"name": vault.open_optional(person.name_enc),
            "email": vault.open_optional(person.email_enc),
            "phone": vault.open_optional(person.phone_enc),
            "contact_preference": person.contact_preference,
            "is_anonymous": case.is_anonymous}  # fmt: skip


def _facts(case: Case, view: dossier.DossierView) -> dict[str, Any]:
    return {"reference": case.reference, "organisation": view.organisation_name,
            "kind": case.kind, "wish": case.preferred_gender, "language": case.language,
            "channel": case.channel, "state": case.state, "stage": view.stage,
            "advisor": view.advisor_name, "step": case.path_step,
            "reported_at": _iso(case.created_at), "first_contact_at": _iso(case.first_contact_at),
            "complaint_filed_at": _iso(case.complaint_filed_at),
            "complaint_deadline_at": _iso(case.complaint_deadline_at),
            "closed_at": _iso(case.closed_at)}  # fmt: skip


def _counterpart(vault: Vault, case: Case) -> dict[str, str | None] | None:
    name = vault.open_optional(case.counterpart_name_enc)
    role = vault.open_optional(case.counterpart_role_enc)
    return None if name is None and role is None else {"name": name, "role": role}


def _consent(consent: dossier.ConsentView, language: str) -> dict[str, Any]:
    return {"about": consent.action.label(language), "what": consent.what,
            "towards": consent.towards, "information": consent.information,
            "status": consent.status, "asked_at": _iso(consent.requested_at),
            "answered_at": _iso(consent.answered_at),
            "withdrawn_at": _iso(consent.withdrawn_at)}  # fmt: skip


def _files(desk: Desk, case: Case) -> list[dict[str, Any]]:
    """The files that came with the client's own mails: name, type, size (not the content)."""
    rows = desk.session.scalars(
        select(Attachment)
        .join(Message, Message.inbound_mail_id == Attachment.inbound_mail_id)
        .where(Attachment.case_id == case.id, Message.case_id == case.id,
               Message.direction == "in", Message.author == "client")
        .order_by(Attachment.id)
    ).unique()  # fmt: skip
    return [{"name": desk.vault.open(a.filename_enc), "type": a.content_type, "size": a.size,
             "received_at": _iso(a.created_at)} for a in rows]  # fmt: skip


def _request(vault: Vault, request: DataRequest) -> dict[str, Any]:
    return {"kind": request.kind, "status": request.status,
            "asked_at": _iso(request.requested_at), "due_at": _iso(request.due_at),
            "settled_at": _iso(request.settled_at),
            "reason": reason_of(vault, request)}  # fmt: skip


def _requests_of_case(session: Session, case: Case) -> list[DataRequest]:
    statement = select(DataRequest).where(DataRequest.case_id == case.id)
    return list(session.scalars(statement.order_by(DataRequest.id)))


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()

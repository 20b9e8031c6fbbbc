"""The case timeline: state changes through the transitions table, each one an event."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow import states
from workflow.crypto import Vault
from workflow.models import Case, Event, Organisation


def record(
    session: Session,
    case: Case,
    name: str,
    now: datetime,
    *,
    actor: str = "system",
    detail: str = "",
) -> Event:
    """Add a timeline entry that is not a state change (detail: never personal data)."""
    event = Event(case=case, at=now, name=name, actor=actor, detail=detail)
    session.add(event)
    case.updated_at = now
    return event


def transition(
    session: Session,
    case: Case,
    action: str,
    now: datetime,
    *,
    actor: str = "system",
    detail: str = "",
) -> Event:
    """Apply `action` from the transitions table and write it on the timeline."""
    change = states.apply(case, action, now)
    event = record(session, case, action, now, actor=actor, detail=detail)
    event.from_state = change.from_state
    event.to_state = change.to_state
    if change.to_state == states.CLOSED:
        case.closed_at = now
    return event


def find_by_reference(session: Session, reference: str) -> Case | None:
    return session.scalar(select(Case).where(Case.reference == reference.strip().upper()))


def list_cases(session: Session, organisation_slug: str | None = None) -> list[Case]:
    statement = select(Case).order_by(Case.id)
    if organisation_slug:
        statement = statement.join(Organisation).where(Organisation.slug == organisation_slug)
    return list(session.scalars(statement))


def as_json(case: Case, vault: Vault, *, with_timeline: bool = True) -> dict[str, Any]:
    """The case in the shape of CONTRACT.md (`vertrouwd case REF --json`)."""
    advisor = case.advisor
    data: dict[str, Any] = {
        "reference": case.reference,
        "organisation": case.organisation.slug,
        "channel": case.channel,
        "kind": case.kind,
        "preferred_gender": case.preferred_gender,
        "language": case.language,
        "state": case.state,
        "advisor": {"email": advisor.email, "gender": advisor.gender} if advisor else None,
        "counterpart": vault.open_optional(case.counterpart_name_enc),
        "urgent": case.is_urgent,
        "anonymous": case.is_anonymous,
        "created_at": case.created_at.isoformat(),
        "path_step": case.path_step,
        "legal_deadline": _iso(case.complaint_deadline_at),
        "outcome": case.outcome,
        "support_form": case.support_form,
        "reason_category": case.reason_category,
        "evaluation": case.evaluation_state,
        "closed_at": _iso(case.closed_at),
    }
    if with_timeline:
        data["timeline"] = [
            {"at": e.at.isoformat(), "event": e.name, "detail": e.detail} for e in case.events
        ]
    return data


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()

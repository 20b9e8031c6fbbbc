"""One advisor, one side; and repeat signals when several cases name the same person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from workflow import states
from workflow.assignment import coordinators_of, mail_staff
from workflow.cases import record
from workflow.crypto import Vault
from workflow.models import Case, CaseExclusion, Person, Signal
from workflow.outbox import Postman

OTHER_SIDE = "other_side"
SIGNAL_OPEN = "open"
DAYS_PER_MONTH = 30.4


@dataclass(frozen=True)
class SideConflict:
    """An open case on the other side of the same conflict."""

    other_case_id: int
    other_reference: str
    advisor_id: int | None  # the advisor of the other case (None if it has none yet)


def side_conflicts(session: Session, case: Case) -> list[SideConflict]:
    """Open cases (any organisation: an advisor serves several) on the other side of `case`.

    Either the new case's counterpart is the other case's client, or the new case's client
    is the other case's counterpart. Only keyed hashes are compared; None never matches.
    """
    matches = _side_matches(case)
    if not matches:
        return []
    statement = (
        select(Case.id, Case.reference, Case.advisor_id)
        .outerjoin(Person, Person.id == Case.person_id)
        .where(Case.state.in_(states.OPEN_STATES), Case.id != case.id, or_(*matches))
        .order_by(Case.id)
    )
    return [SideConflict(i, ref, advisor) for i, ref, advisor in session.execute(statement)]


def _side_matches(case: Case) -> list[ColumnElement[bool]]:
    matches: list[ColumnElement[bool]] = []
    if case.counterpart_hash is not None:
        matches.append(Person.name_hash == case.counterpart_hash)
        matches.append(Person.email_hash == case.counterpart_hash)
    client = case.person
    if client is not None and (hashes := {h for h in (client.name_hash, client.email_hash) if h}):
        matches.append(Case.counterpart_hash.in_(sorted(hashes)))
    return matches


def exclusions_of(session: Session, case: Case) -> frozenset[int]:
    """Every advisor excluded from `case`, whatever the reason (declined, no answer, side)."""
    statement = select(CaseExclusion.advisor_id).where(CaseExclusion.case_id == case.id)
    return frozenset(session.scalars(statement))


def excluded_for_sides(session: Session, case: Case, now: datetime) -> frozenset[int]:
    """Exclude the advisors of the other side from `case`; return all its excluded advisors.

    Seed 000: the party that registers last is referred to another advisor, so the new case
    is the one moved away. Calling this again adds no rows and no events.
    """
    excluded = set(exclusions_of(session, case))
    already = frozenset(excluded)
    for conflict in side_conflicts(session, case):
        # already excluded (an earlier call, or declined): nothing new to write on the timeline
        if conflict.advisor_id is None or conflict.advisor_id in already:
            continue
        if conflict.advisor_id not in excluded:
            session.add(
                CaseExclusion(
                    case_id=case.id, advisor_id=conflict.advisor_id, reason=OTHER_SIDE,
                    created_at=now,
                )
            )  # fmt: skip
            excluded.add(conflict.advisor_id)
        detail = f"advisor of {conflict.other_reference} supports the other side"
        record(session, case, "other_side_excluded", now, detail=detail)
    return frozenset(excluded)


def check_repeat(
    session: Session, vault: Vault, postman: Postman, case: Case, now: datetime
) -> Signal | None:
    """Raise a signal when enough cases of one organisation name the same person (seed 004).

    A coordinator decides what happens; nothing is sent to the organisation itself. An open
    signal is kept up to date, not raised (or mailed) again.
    """
    if case.counterpart_hash is None:
        return None
    organisation = case.organisation
    references = _repeat_references(session, case, now)
    count = len(references)
    if count < organisation.signal_threshold:
        return None
    signal = _open_signal(session, case.organisation_id, case.counterpart_hash)
    if signal is not None:
        signal.case_count = count
        return signal
    signal = Signal(
        organisation_id=case.organisation_id, counterpart_hash=case.counterpart_hash,
        case_count=count, status=SIGNAL_OPEN, raised_at=now,
    )  # fmt: skip
    session.add(signal)
    window = organisation.signal_window_days
    detail = f"{count} cases name the same person within {window} days"
    record(session, case, "signal_raised", now, detail=detail)
    coordinators = coordinators_of(session, organisation)
    if not coordinators:
        record(session, case, "coordinator_missing", now, detail="no active coordinator to tell")
    mail_staff(
        session, vault, postman, case, coordinators, "signal_raised", now,
        name_key="coordinator_name", case_count=count,
        window_months=round(window / DAYS_PER_MONTH), references=references,
    )  # fmt: skip
    return signal


def _repeat_references(session: Session, case: Case, now: datetime) -> list[str]:
    """The references of the organisation's cases naming the same person within the window."""
    since = now - timedelta(days=case.organisation.signal_window_days)
    statement = select(Case.reference).where(
        Case.organisation_id == case.organisation_id,
        Case.counterpart_hash == case.counterpart_hash,
        Case.created_at >= since,
        Case.created_at <= now,
    )
    return sorted(session.scalars(statement))  # in Python: collations differ per database


def _open_signal(session: Session, organisation_id: int, counterpart_hash: str) -> Signal | None:
    statement = select(Signal).where(
        Signal.organisation_id == organisation_id,
        Signal.counterpart_hash == counterpart_hash,
        Signal.status == SIGNAL_OPEN,
    )
    return session.scalars(statement.order_by(Signal.id)).first()

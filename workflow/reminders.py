"""Work that falls due: rows with `due_at`, and the advisor's clock that stops for the client.

A reminder is a row first (ARCHITECTURE: the database is the truth, Redis only wakes),
so a sweep that runs late, twice, or on two workers at once still does each one once.
The advisor's clock (first contact, inactivity) counts business time and stops while
the case waits for the client; what was left is kept and counted on from their answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.business_time import BusinessHours
from workflow.models import Case, Organisation, Reminder

# Reminders on the advisor's clock: they wait while the case waits for the client.
ADVISOR_CLOCK = frozenset({"first_contact", "inactivity"})
ACTIVE = ("pending", "paused")


def hours_of(organisation: Organisation) -> BusinessHours:
    return BusinessHours(
        timezone=organisation.timezone,
        start_hour=organisation.business_start_hour,
        end_hour=organisation.business_end_hour,
    )


def after_business_days(organisation: Organisation, start: datetime, days: float) -> datetime:
    return hours_of(organisation).add_days(start, days)


def schedule(
    session: Session,
    case: Case,
    kind: str,
    due_at: datetime,
    now: datetime,
    *,
    subject_id: int | None = None,
) -> Reminder:
    """One active reminder per (case, kind, subject): a new one replaces the old."""
    cancel(session, case, (kind,), now, subject_id=subject_id)
    reminder = Reminder(
        case_id=case.id, kind=kind, subject_id=subject_id, status="pending",
        due_at=due_at, created_at=now,
    )  # fmt: skip
    if case.waiting_since is not None and kind in ADVISOR_CLOCK:
        _stop(reminder, hours_of(case.organisation), now)
    session.add(reminder)
    return reminder


def cancel(
    session: Session,
    case: Case,
    kinds: Iterable[str] | None,
    now: datetime,
    *,
    subject_id: int | None = None,
) -> int:
    """Cancel the case's active reminders of these kinds (all kinds when None)."""
    rows = active(session, case, kinds, subject_id=subject_id)
    for row in rows:
        row.status, row.done_at = "cancelled", now
    return len(rows)


def active(
    session: Session, case: Case, kinds: Iterable[str] | None, *, subject_id: int | None = None
) -> list[Reminder]:
    statement = select(Reminder).where(Reminder.case_id == case.id, Reminder.status.in_(ACTIVE))
    if kinds is not None:
        statement = statement.where(Reminder.kind.in_(tuple(kinds)))
    if subject_id is not None:
        statement = statement.where(Reminder.subject_id == subject_id)
    session.flush()  # rows added in this transaction count too (autoflush may be off)
    return list(session.scalars(statement))


def stop_clock(session: Session, case: Case, now: datetime) -> None:
    """The case waits for the client: the advisor's reminders keep what time they had left."""
    if case.waiting_since is not None:
        return
    case.waiting_since = now
    hours = hours_of(case.organisation)
    for row in active(session, case, ADVISOR_CLOCK):
        if row.status == "pending":
            _stop(row, hours, now)


def start_clock(session: Session, case: Case, now: datetime) -> None:
    """The client answered: the advisor's reminders count on from what they had left."""
    if case.waiting_since is None:
        return
    case.waiting_since = None
    hours = hours_of(case.organisation)
    for row in active(session, case, ADVISOR_CLOCK):
        if row.status == "paused":
            row.due_at = hours.add_seconds(now, row.remaining_seconds or 0.0)
            row.status, row.remaining_seconds = "pending", None


def _stop(row: Reminder, hours: BusinessHours, now: datetime) -> None:
    row.remaining_seconds = hours.seconds_between(now, row.due_at)
    row.status = "paused"


def due(session: Session, now: datetime, limit: int) -> list[Reminder]:
    """Due reminders, locked for this transaction; another sweeper skips them (PostgreSQL).

    SQLite takes the whole database for a write transaction, so there the lock is implied.
    """
    statement = (
        select(Reminder)
        .where(Reminder.status == "pending", Reminder.due_at <= now)
        .order_by(Reminder.due_at, Reminder.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.scalars(statement))

"""Claiming a queued row by lease: one conditional UPDATE, the same on PostgreSQL and SQLite."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

T = TypeVar("T")


def due_ids(session: Session, model: Any, now: datetime, limit: int) -> list[int]:
    """Pending rows whose time has come and that nobody holds a lease on, oldest first."""
    statement = (
        select(model.id)
        .where(model.status == "pending", model.next_attempt_at <= now)
        .where(or_(model.claimed_until.is_(None), model.claimed_until < now))
        .order_by(model.id)
        .limit(limit)
    )
    return list(session.scalars(statement))


def claim(
    session: Session, model: type[T], row_id: int, now: datetime, lease: timedelta
) -> T | None:
    """Take a lease on one due row and count the attempt; None when done, not due, or held.

    No lock is held while the work runs (an SMTP conversation, a long parse); a worker
    that dies simply lets its lease run out and the next one takes over.
    """
    table: Any = model
    result = session.execute(
        update(table)
        .where(table.id == row_id, table.status == "pending", table.next_attempt_at <= now)
        .where(or_(table.claimed_until.is_(None), table.claimed_until < now))
        .values(claimed_until=now + lease, attempts=table.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        return None
    return session.get(model, row_id, populate_existing=True)


def claim_many(
    session: Session, model: Any, row_ids: list[int], now: datetime, lease: timedelta
) -> list[int]:
    """`claim` for a batch in one statement; returns the ids this worker now holds."""
    if not row_ids:
        return []
    statement = (
        update(model)
        .where(model.id.in_(row_ids), model.status == "pending", model.next_attempt_at <= now)
        .where(or_(model.claimed_until.is_(None), model.claimed_until < now))
        .values(claimed_until=now + lease, attempts=model.attempts + 1)
        .returning(model.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(int(i) for i in session.scalars(statement))

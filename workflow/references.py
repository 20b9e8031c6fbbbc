"""Case references VP-YYYY-NNNN: unique under concurrent creation, gaps tolerated."""

from __future__ import annotations

from sqlalchemy.orm import Session

from workflow.db import upsert_insert
from workflow.models import CaseSequence

PREFIX = "VP"


def format_reference(year: int, number: int) -> str:
    return f"{PREFIX}-{year}-{number:04d}"


def next_reference(session: Session, year: int) -> str:
    """Take the next number of `year` with one atomic upsert.

    The row lock of the upsert (PostgreSQL) or the write lock of BEGIN IMMEDIATE (SQLite)
    serialises concurrent creators until they commit; a rolled-back transaction takes its
    increment with it, and the unique index on cases.reference is the last guard.
    """
    statement = (
        upsert_insert(session, CaseSequence)
        .values(year=year, last_value=1)
        .on_conflict_do_update(
            index_elements=[CaseSequence.year],
            set_={"last_value": CaseSequence.last_value + 1},
        )
        .returning(CaseSequence.last_value)
    )
    number = session.execute(statement).scalar_one()
    return format_reference(year, number)

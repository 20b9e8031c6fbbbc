"""Key rotation: every sealed value re-sealed under the newest key, in batches that resume."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, ColumnElement, MetaData, Table, func, or_, select
from sqlalchemy import update as update_statement
from sqlalchemy.orm import Session

from workflow.crypto import DecryptionError, Vault
from workflow.db import Database
from workflow.models import Base

SEALED_SUFFIX = "_enc"  # the naming rule of workflow.models: `_enc` columns hold Fernet tokens
DEFAULT_BATCH = 500

Progress = Callable[[str, int], None]
"""Told after each committed batch: the table and how many rows that batch held."""


class UndecryptableValue(Exception):
    """A stored value opens with none of the configured keys. Says where, never what."""

    def __init__(self, table: str, column: str, row_id: str) -> None:
        super().__init__(
            f"{table}.{column} of row {row_id} opens with none of the keys in ENCRYPTION_KEYS; "
            "nothing in that batch was changed"
        )
        self.table, self.column, self.row_id = table, column, row_id


@dataclass(frozen=True)
class SealedTable:
    """A table and its sealed columns, read from the metadata."""

    table: Table
    columns: tuple[Column[Any], ...]

    @property
    def name(self) -> str:
        return self.table.name

    @property
    def key(self) -> Column[Any]:
        [key] = self.table.primary_key.columns
        return key

    @property
    def holds_a_value(self) -> ColumnElement[bool]:
        return or_(*(column.is_not(None) for column in self.columns))


def sealed_tables(metadata: MetaData = Base.metadata) -> tuple[SealedTable, ...]:
    """Every table with a `*_enc` column, by name: a table added later is never forgotten."""
    found = []
    for table in sorted(metadata.tables.values(), key=lambda t: t.name):
        columns = tuple(c for c in table.columns if c.name.endswith(SEALED_SUFFIX))
        if not columns:
            continue
        if len(table.primary_key.columns) != 1:  # keyset paging and row locks need one key
            raise ValueError(f"{table.name} holds sealed columns but has no single-column key")
        found.append(SealedTable(table, columns))
    return tuple(found)


@dataclass
class Tally:
    """One table's rotation: rows visited, values re-sealed, values already under the newest key."""

    rows: int = 0
    rotated: int = 0
    skipped: int = 0


@dataclass(frozen=True)
class RotationResult:
    """What one run did, per table, and every `table.column` it visited."""

    tables: Mapping[str, Tally]
    columns: tuple[str, ...] = field(default=())

    @property
    def rotated(self) -> int:
        return sum(tally.rotated for tally in self.tables.values())

    @property
    def skipped(self) -> int:
        return sum(tally.skipped for tally in self.tables.values())


def rows_to_visit(database: Database) -> int:
    """How many rows hold at least one sealed value (the length of a progress bar)."""
    with database.session() as session:
        return sum(
            session.scalar(
                select(func.count()).select_from(sealed.table).where(sealed.holds_a_value)
            )
            or 0
            for sealed in sealed_tables()
        )


def rotate(
    database: Database, batch: int = DEFAULT_BATCH, progress: Progress | None = None
) -> RotationResult:
    """Re-seal every value under the newest key of `database.vault`.

    One short transaction per batch of `batch` rows, in primary-key order, so the service can
    keep running and an interrupted run leaves whole batches done; a rerun skips every value
    the newest key opens already. Raises UndecryptableValue (that batch rolled back).
    """
    if batch < 1:
        raise ValueError("batch must be at least 1")
    told = progress or _nobody
    tallies: dict[str, Tally] = {}
    visited: list[str] = []
    for sealed in sealed_tables():
        tallies[sealed.name] = _rotate_table(database, sealed, batch, told)
        visited += (f"{sealed.name}.{column.name}" for column in sealed.columns)
    return RotationResult(tallies, tuple(visited))


def _nobody(_table: str, _rows: int) -> None:
    return None


def _rotate_table(database: Database, sealed: SealedTable, batch: int, told: Progress) -> Tally:
    tally = Tally()
    after: Any = None
    while True:
        with database.unit_of_work() as uow:
            keys = _lock_batch(uow.session, sealed, after, batch)
            counts: Counter[str] = Counter()
            for key in keys:
                counts.update(_rotate_row(uow.session, uow.vault, sealed, key))
            uow.commit()
        tally.rows += len(keys)
        tally.rotated += counts["rotated"]
        tally.skipped += counts["skipped"]
        if keys:
            told(sealed.name, len(keys))
        if len(keys) < batch:
            return tally
        after = keys[-1]


def _lock_batch(session: Session, sealed: SealedTable, after: Any, batch: int) -> list[Any]:
    """The keys of the next batch, locked on PostgreSQL (SQLite: the write transaction locks).

    A concurrent writer waits for the batch instead of having its newer value overwritten
    by a stale one read before it wrote.
    """
    statement = select(sealed.key).where(sealed.holds_a_value)
    if after is not None:
        statement = statement.where(sealed.key > after)
    statement = statement.order_by(sealed.key).limit(batch).with_for_update()
    return list(session.scalars(statement))


def _rotate_row(session: Session, vault: Vault, sealed: SealedTable, key: Any) -> Counter[str]:
    """Read one row (raw mails can be large: one in memory at a time), re-seal, write back."""
    where = sealed.key == key
    stored = session.execute(select(*sealed.columns).where(where)).one_or_none()
    counts: Counter[str] = Counter()
    if stored is None:
        return counts
    changes: dict[Column[Any], bytes] = {}
    for column, token in zip(sealed.columns, stored, strict=True):
        if not token:  # NULL stays NULL; an empty value holds nothing under any key
            continue
        try:
            resealed = vault.reseal_if_old(bytes(token))
        except DecryptionError:
            raise UndecryptableValue(sealed.name, column.name, str(key)) from None
        if resealed is None:
            counts["skipped"] += 1
        else:
            changes[column] = resealed
    if changes:
        session.execute(update_statement(sealed.table).where(where).values(changes))
        counts["rotated"] += len(changes)
    return counts

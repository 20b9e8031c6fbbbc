"""Engines and the unit of work: one transaction that rolls back unless committed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from workflow.crypto import Vault

SQLITE_BUSY_TIMEOUT_MS = 30_000


def make_engine(database_url: str) -> Engine:
    """An engine for SQLite (WAL, foreign keys, write transactions) or PostgreSQL."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5})
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_begin_immediate)
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: object) -> None:
    # pysqlite would issue its own deferred BEGIN; we issue ours (BEGIN IMMEDIATE below)
    # so web, worker and beat processes never fail on a read-to-write lock upgrade.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Deleted rows are overwritten with zeros, not left in free pages for anyone who reads
    # the file: retention and erasure must remove personal data (workflow.anonymise).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _sqlite_begin_immediate(connection: Any) -> None:
    # Readers (Database.session) take no write lock, so pages and lists never wait on a worker.
    is_read_only = connection.get_execution_options().get("vertrouwd_read_only", False)
    connection.exec_driver_sql("BEGIN" if is_read_only else "BEGIN IMMEDIATE")


def upsert_insert(session: Session, table: Any) -> Any:
    """An INSERT with ON CONFLICT for the session's database (PostgreSQL or SQLite)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def check_connection(engine: Engine) -> None:
    """Raise if the database cannot be reached (used at start-up and by /healthz)."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


class UnitOfWork:
    """A session and the vault, committed only on `commit()`; anything else rolls back."""

    def __init__(self, session_factory: sessionmaker[Session], vault: Vault) -> None:
        self._session_factory = session_factory
        self.vault = vault
        self.session: Session

    def __enter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()


class Database:
    """What the edges hold on to: the engine, a session factory and the vault."""

    def __init__(self, engine: Engine, vault: Vault) -> None:
        self.engine = engine
        self.vault = vault
        self.session_factory = sessionmaker(engine, expire_on_commit=False)
        self._read_factory = sessionmaker(engine.execution_options(vertrouwd_read_only=True))

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory, self.vault)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session for reading; every change goes through `unit_of_work()`."""
        with self._read_factory() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()

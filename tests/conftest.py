"""Shared fixtures: settings, migrated databases (SQLite and PostgreSQL), a live web app."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from forms import create_app, utc_now
from mailtemplates import render
from tests.servers import SmtpSink, free_port
from workers.delivery import Courier
from workflow.crypto import Vault
from workflow.db import Database, UnitOfWork, make_engine
from workflow.desk import Desk
from workflow.migrate import upgrade
from workflow.organisations import add_advisor, add_organisation
from workflow.outbox import Postman
from workflow.settings import Settings, load_settings

pytest_plugins = ["tests.fixtures_servers", "tests.fixtures_browser"]

START = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


class Clock:
    """Time as a parameter: tests set and move it; nobody sleeps."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def settings_for(instance: Path, **overrides: str) -> Settings:
    """Settings as an operator would give them, for a test's own instance folder."""
    environ = {
        "VERTROUWD_ENV": "test",
        "VERTROUWD_INSTANCE": str(instance),
        "DATABASE_URL": f"sqlite:///{instance / 'test.sqlite'}",
        "SECRET_KEY": "s" * 40,
        "ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "HASH_KEY": "h" * 40,
        "BASE_URL": "http://vertrouwd.test",
        "MAIL_FROM": "vertrouwenspersonen@vertrouwd.test",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": "2",
        "FORM_RATE_LIMIT": "1000/minute",
        **overrides,
    }
    return load_settings(environ, read_dotenv=False)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return settings_for(tmp_path)


def migrated(settings: Settings, database_url: str) -> Database:
    upgrade(database_url)
    vault = Vault(settings.encryption_keys, settings.hash_key)
    return Database(make_engine(database_url), vault)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each repository test runs on SQLite and on a real PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'vertrouwd.sqlite'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def database(settings: Settings, database_url: str) -> Iterator[Database]:
    db = migrated(settings, database_url)
    yield db
    db.dispose()


@pytest.fixture
def sqlite_database(settings: Settings) -> Iterator[Database]:
    db = migrated(settings, settings.database_url)
    yield db
    db.dispose()


@pytest.fixture
def postman(settings: Settings) -> Postman:
    return Postman(render=render, mail_from=settings.mail_from, base_url=settings.base_url)


def seed_organisation(
    database: Database,
    now: datetime,
    staff: tuple[tuple[str, str, str], ...] = (
        ("Anna", "female", "vertrouwenspersoon"),
        ("Karim", "male", "vertrouwenspersoon"),
        ("Els", "female", "chair"),
        ("Coco", "female", "coordinator"),
    ),
    slug: str = "versa",
) -> None:
    """One organisation and its staff: `(name, gender, role)`; mail is name@example.org."""
    with database.unit_of_work() as uow:
        add_organisation(uow.session, slug=slug, name="Versa Welzijn", now=now)
        uow.session.flush()
        for name, gender, role in staff:
            add_advisor(
                uow.session,
                organisation_slug=slug,
                name=name,
                email=f"{name.lower()}@example.org",
                gender=gender,
                role=role,
                now=now,
            )
        uow.commit()


Enqueued = list[tuple[str, tuple[object, ...]]]


@dataclass
class WebApp:
    """The web app on its own SQLite database, with the organisation seeded."""

    app: Flask
    database: Database
    settings: Settings
    enqueued: Enqueued  # the tasks the app asked for, instead of a broker


@contextmanager
def web_app(
    instance: Path, clock: Callable[[], datetime] = utc_now, **overrides: str
) -> Iterator[WebApp]:
    """Build the app as `create_app` would be built in production, on `clock`'s time."""
    settings = settings_for(instance, **overrides)
    database = migrated(settings, settings.database_url)
    seed_organisation(database, clock())
    enqueued: Enqueued = []
    app = create_app(settings, database=database, enqueue=lambda t, a: enqueued.append((t, a)),
                     clock=clock)  # fmt: skip
    try:
        yield WebApp(app, database, settings, enqueued)
    finally:
        database.dispose()


@dataclass
class Web:
    """The web app for Flask's test client, on the test's clock."""

    app: Flask
    database: Database
    clock: Clock
    enqueued: Enqueued

    @property
    def postman(self) -> Postman:
        return self.app.extensions["vertrouwd"].postman

    def client(self) -> FlaskClient:
        return self.app.test_client()

    def desk(self, uow: UnitOfWork) -> Desk:
        return Desk(uow, self.postman, self.clock())


@pytest.fixture
def web(tmp_path: Path, clock: Clock) -> Iterator[Web]:
    with web_app(tmp_path, clock) as built:
        yield Web(built.app, built.database, clock, built.enqueued)


@dataclass
class LiveWeb:
    """The real web app served over HTTP on a free port, for browsers and HTTP clients."""

    url: str
    database: Database
    settings: Settings
    courier: Courier
    enqueued: Enqueued

    @property
    def postman(self) -> Postman:
        """A postman like the app's own: for writing cases as the app would."""
        settings = self.settings
        return Postman(render=render, mail_from=settings.mail_from, base_url=settings.base_url)


@contextmanager
def served(app: Flask, port: int) -> Iterator[str]:
    """The app over HTTP on 127.0.0.1:`port`, in a thread, for the block; its URL."""
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def live_web(tmp_path: Path, smtp_sink: SmtpSink) -> Iterator[LiveWeb]:
    """SQLite, the demo-like organisation, SMTP to the sink; mail leaves by `courier`."""
    port = free_port()
    with (
        web_app(
            tmp_path,
            BASE_URL=f"http://127.0.0.1:{port}",
            SMTP_HOST=smtp_sink.host,
            SMTP_PORT=str(smtp_sink.port),
        ) as built,
        served(built.app, port) as url,
    ):
        settings, database = built.settings, built.database
        courier = Courier(database, settings.smtp, settings.mail_from)
        yield LiveWeb(url, database, settings, courier, built.enqueued)


def poll(predicate: Callable[[], Any], timeout: float = 5.0, what: str = "condition") -> Any:
    """Wait for work with a bounded deadline (no sleeps standing in for synchronisation)."""
    from tests.servers import wait_until

    result: list[Any] = []

    def check() -> bool:
        value = predicate()
        if value:
            result.append(value)
        return bool(value)

    wait_until(check, timeout, what=what)
    return result[0]

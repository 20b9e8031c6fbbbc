"""Pytest plugin: real PostgreSQL, Redis, SMTP and IMAP servers, a clean slice of each per test."""

from __future__ import annotations

import itertools
import os
import secrets
from collections.abc import Iterator

import pytest
import redis

from tests.servers import (
    DovecotServer,
    ImapAccount,
    PostgresAdmin,
    PostgresServer,
    RedisServer,
    SmtpSink,
    redis_url_for_db,
)

REDIS_DATABASES = 16
_redis_db_numbers = itertools.cycle(range(REDIS_DATABASES))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresAdmin]:
    """The session's PostgreSQL: ``TEST_POSTGRES_URL`` (an admin URL) if set, else a private one.

    Yields an object with ``.url`` (SQLAlchemy admin URL), ``.create_database(name) -> url``
    and ``.drop_database(name)``.
    """
    external = os.environ.get("TEST_POSTGRES_URL")
    if external:
        yield PostgresAdmin(external)
        return
    server = PostgresServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresAdmin) -> Iterator[str]:
    """A fresh, empty database for this test (SQLAlchemy URL); dropped with FORCE afterwards."""
    name = f"vt_{secrets.token_hex(8)}"
    url = postgres_server.create_database(name)
    try:
        yield url
    finally:
        postgres_server.drop_database(name)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[str]:
    """The session's Redis base URL: ``TEST_REDIS_URL`` if set, else a private redis-server."""
    external = os.environ.get("TEST_REDIS_URL")
    if external:
        yield external
        return
    server = RedisServer().start()
    try:
        yield server.url
    finally:
        server.stop()


def _flushdb(url: str) -> None:
    """Empty only the database that ``url`` names."""
    with redis.Redis.from_url(url, socket_timeout=5) as client:
        client.flushdb()


@pytest.fixture
def redis_url(redis_server: str) -> Iterator[str]:
    """A Redis URL with its own database number (0..15, cycling), flushed before and after."""
    url = redis_url_for_db(redis_server, next(_redis_db_numbers))
    _flushdb(url)
    try:
        yield url
    finally:
        _flushdb(url)


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    """A started in-process SMTP sink on a free port; ``.messages`` holds what it accepted."""
    with SmtpSink() as sink:
        yield sink


@pytest.fixture(scope="session")
def dovecot_server() -> Iterator[DovecotServer]:
    """The session's private Dovecot (IMAP on a free port, LOGIN and XOAUTH2)."""
    with DovecotServer() as server:
        yield server


@pytest.fixture
def dovecot(dovecot_server: DovecotServer) -> ImapAccount:
    """A new user with an empty mailbox on the session's Dovecot, for this test alone."""
    return dovecot_server.new_account()

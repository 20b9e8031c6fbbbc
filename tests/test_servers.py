"""The real-server fixtures work, isolate tests from each other, and can fail."""

from __future__ import annotations

import smtplib
import time
from email.message import EmailMessage

import psycopg
import pytest
import redis
import sqlalchemy as sa

from tests.servers import (
    PostgresAdmin,
    SmtpSink,
    require_binary,
    sqlalchemy_to_conninfo,
    wait_until,
)

_seen_databases: list[str] = []


def _mail(subject: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "intake@vertrouwd.test"
    msg["To"] = "advisor@vertrouwd.test"
    msg["Subject"] = subject
    msg.set_content("Hallo,\n\nDit is een test.\n")
    return msg


def _table_names(url: str) -> list[str]:
    engine = sa.create_engine(url)
    try:
        return sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_postgres_url_is_a_fresh_database_with_a_table_created_here(postgres_url: str) -> None:
    assert postgres_url.startswith("postgresql+psycopg://")
    assert _table_names(postgres_url) == []
    engine = sa.create_engine(postgres_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("CREATE TABLE marker (id integer PRIMARY KEY)"))
            conn.execute(sa.text("INSERT INTO marker VALUES (1)"))
            assert conn.execute(sa.text("SELECT count(*) FROM marker")).scalar_one() == 1
    finally:
        engine.dispose()
    _seen_databases.append(postgres_url)


def test_postgres_url_of_another_test_is_distinct_and_empty(postgres_url: str) -> None:
    assert postgres_url not in _seen_databases
    assert _table_names(postgres_url) == []
    _seen_databases.append(postgres_url)


def _database_exists(admin_url: str, name: str) -> bool:
    with psycopg.connect(sqlalchemy_to_conninfo(admin_url)) as conn:
        query = "SELECT 1 FROM pg_database WHERE datname = %s"
        return conn.execute(query, (name,)).fetchone() is not None


def test_postgres_databases_are_dropped_after_their_tests(postgres_server: PostgresAdmin) -> None:
    for url in _seen_databases:  # left by the tests above, already torn down
        assert not _database_exists(postgres_server.url, str(sa.make_url(url).database))
    url = postgres_server.create_database("vt_roundtrip")
    assert sa.make_url(url).database == "vt_roundtrip"
    assert _database_exists(postgres_server.url, "vt_roundtrip")
    postgres_server.drop_database("vt_roundtrip")
    assert not _database_exists(postgres_server.url, "vt_roundtrip")


def test_create_database_rejects_unsafe_names(postgres_server: PostgresAdmin) -> None:
    with pytest.raises(ValueError, match="unsafe"):
        postgres_server.create_database('x"; DROP DATABASE postgres; --')


def test_redis_url_set_and_get(redis_url: str) -> None:
    with redis.Redis.from_url(redis_url) as client:
        assert client.dbsize() == 0
        client.set("vt:key", "waarde")
        assert client.get("vt:key") == b"waarde"


def test_redis_url_gives_each_test_its_own_empty_database(redis_url: str) -> None:
    with redis.Redis.from_url(redis_url) as client:
        assert client.dbsize() == 0
        assert client.get("vt:key") is None


def test_smtp_sink_receives_a_mail(smtp_sink: SmtpSink) -> None:
    with smtplib.SMTP(smtp_sink.host, smtp_sink.port, timeout=5) as client:
        client.send_message(_mail("Ontvangen"))
    [received] = smtp_sink.wait_for(1)
    assert received.mail_from == "intake@vertrouwd.test"
    assert received.rcpt_tos == ["advisor@vertrouwd.test"]
    assert received.message["Subject"] == "Ontvangen"
    assert received.message.get_content() == "Hallo,\n\nDit is een test.\n"
    assert b"Subject: Ontvangen" in received.data


def test_smtp_sink_refuse_next_fails_once_then_accepts(smtp_sink: SmtpSink) -> None:
    smtp_sink.refuse_next(1)
    body = _mail("Opnieuw").as_bytes()
    with smtplib.SMTP(smtp_sink.host, smtp_sink.port, timeout=5) as client:
        with pytest.raises(smtplib.SMTPDataError) as refused:
            client.sendmail("intake@vertrouwd.test", ["advisor@vertrouwd.test"], body)
        assert refused.value.smtp_code == 451
        client.sendmail("intake@vertrouwd.test", ["advisor@vertrouwd.test"], body)
    [received] = smtp_sink.wait_for(1)
    assert received.message["Subject"] == "Opnieuw"
    assert len(smtp_sink.messages) == 1


def test_smtp_sink_refuse_always_is_permanent(smtp_sink: SmtpSink) -> None:
    smtp_sink.refuse_always()
    with smtplib.SMTP(smtp_sink.host, smtp_sink.port, timeout=5) as client:
        for _ in range(2):
            with pytest.raises(smtplib.SMTPDataError) as refused:
                client.send_message(_mail("Nooit"))
            assert refused.value.smtp_code == 550
    assert smtp_sink.messages == []


def test_smtp_sink_wait_for_times_out_when_nothing_arrives(smtp_sink: SmtpSink) -> None:
    started = time.monotonic()
    with pytest.raises(TimeoutError, match=r"1 message\(s\).*0 arrived"):
        smtp_sink.wait_for(1, timeout=0.3)
    assert 0.3 <= time.monotonic() - started < 2.0


def test_wait_until_raises_naming_what_it_waited_for() -> None:
    with pytest.raises(TimeoutError, match="the impossible"):
        wait_until(lambda: False, 0.05, what="the impossible")


def test_require_binary_fails_loudly_when_missing() -> None:
    with pytest.raises(pytest.fail.Exception, match="apt-get install -y nothing"):
        require_binary("definitely-not-a-binary-xyz", "apt-get install -y nothing")


def test_require_binary_finds_server_binaries() -> None:
    assert require_binary("postgres", "apt-get install -y postgresql").endswith("/postgres")
    assert require_binary("redis-server", "apt-get install -y redis-server")

"""The inbox watcher against a real Dovecot: store first, move after, never twice, never lost."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from imapclient import IMAPClient
from imapclient.exceptions import LoginError
from sqlalchemy import select

from tests.conftest import Clock, poll, settings_for
from tests.servers import DovecotServer, ImapAccount
from workers.watcher import (
    MailboxBusy,
    MailboxConfig,
    PollResult,
    Watcher,
    backoff_delay,
    connect,
    poll_mailbox,
)
from workflow import inbound
from workflow.db import Database, UnitOfWork
from workflow.models import InboundMail, MailboxLock
from workflow.settings import SettingsError


class Crash(Exception):
    """Stands in for the process dying at one point of a poll."""


def mail(n: int, body: str = "Ik wil een klacht indienen over mijn begeleider.") -> bytes:
    return (
        f"Message-ID: <{n}.watcher@client.test>\r\nFrom: client{n}@example.org\r\n"
        f"To: intake@vertrouwd.test\r\nSubject: melding {n}\r\n\r\n{body}\r\n"
    ).encode()


def config_for(account: ImapAccount, **changes: str) -> MailboxConfig:
    return account.mailbox_config(**changes)


def stored(database: Database) -> list[InboundMail]:
    with database.session() as session:
        return list(session.scalars(select(InboundMail).order_by(InboundMail.id)))


def stored_raws(database: Database) -> list[bytes]:
    return [database.vault.open_bytes(row.raw_enc) for row in stored(database)]


def flat(batches: list[list[int]]) -> list[int]:
    return [inbound_id for batch in batches for inbound_id in batch]


class CountingWatcher(Watcher):
    """Counts its connections (a watcher that waits for the lock must make none)."""

    connects = 0

    def _connect(self) -> IMAPClient:
        self.connects += 1
        return super()._connect()


@contextmanager
def running(watcher: Watcher) -> Iterator[tuple[threading.Event, threading.Thread]]:
    """`watcher.run` in a thread, stopped (and checked to have ended) on the way out."""
    stop = threading.Event()
    thread = threading.Thread(target=watcher.run, args=(stop,), daemon=True)
    thread.start()
    try:
        yield stop, thread
    finally:
        stop.set()
        thread.join(timeout=10)
        assert not thread.is_alive(), "the watcher did not stop"


def inbox_done(database: Database, account: ImapAccount, count: int) -> bool:
    return len(stored(database)) == count and account.count("INBOX") == 0


def test_poll_stores_every_mail_then_moves_it_unread(
    database: Database, clock: Clock, dovecot: ImapAccount
) -> None:
    raws = [mail(n) for n in range(120)]  # two batches of FETCH
    dovecot.append_many("INBOX", raws)
    enqueued: list[list[int]] = []
    watcher = Watcher(config_for(dovecot), database, enqueued.append, clock)
    with connect(watcher.config) as client:
        assert not client.folder_exists("Processed")
        result = watcher.poll_once(client)
    assert result == PollResult(fetched=120, stored=120, moved=120)
    assert sorted(stored_raws(database)) == sorted(raws)
    rows = stored(database)
    assert {row.mailbox for row in rows} == {f"{dovecot.user}@{dovecot.host}/INBOX"}
    assert sorted(flat(enqueued)) == [row.id for row in rows] and len(enqueued) == 2
    assert dovecot.count("INBOX") == 0
    processed = dovecot.messages("Processed")
    assert sorted(m.raw for m in processed) == sorted(raws)
    assert not [m for m in processed if rb"\Seen" in m.flags]


class CrashOnFirstMove(Watcher):
    crashes = 1

    def _move(self, client: IMAPClient, uids: list[int]) -> None:
        if self.crashes:
            self.crashes -= 1
            raise Crash("between the commit and the move")
        super()._move(client, uids)


class ForgetfulWatcher(Watcher):
    """Fetches everything again, so the unique keys (not known_uids) absorb the re-read."""

    def _known_uids(self, uidvalidity: int | None, uids: object) -> set[int]:
        return set()


@pytest.mark.parametrize("second", [Watcher, ForgetfulWatcher])
def test_a_crash_between_store_and_move_gives_a_re_read_without_duplicates(
    database: Database, clock: Clock, dovecot: ImapAccount, second: type[Watcher]
) -> None:
    dovecot.append_many("INBOX", [mail(n) for n in range(5)])
    enqueued: list[list[int]] = []
    config = config_for(dovecot)
    with connect(config) as client, pytest.raises(Crash):
        CrashOnFirstMove(config, database, enqueued.append, clock).poll_once(client)
    assert len(stored(database)) == 5 and dovecot.count("INBOX") == 5
    first_ids = flat(enqueued)
    with connect(config) as client:
        result = second(config, database, enqueued.append, clock).poll_once(client)
    refetched = 5 if second is ForgetfulWatcher else 0
    assert result == PollResult(fetched=refetched, stored=0, moved=5)
    assert flat(enqueued) == first_ids == [row.id for row in stored(database)]
    assert dovecot.count("INBOX") == 0 and dovecot.count("Processed") == 5


def test_a_crash_before_the_commit_stores_and_moves_nothing(
    database: Database, clock: Clock, dovecot: ImapAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    raws = [mail(n) for n in range(5)]
    dovecot.append_many("INBOX", raws)
    enqueued: list[list[int]] = []
    config = config_for(dovecot)

    def crash(self: UnitOfWork) -> None:
        raise Crash("before the commit")

    with monkeypatch.context() as patch, connect(config) as client, pytest.raises(Crash):
        patch.setattr(UnitOfWork, "commit", crash)
        Watcher(config, database, enqueued.append, clock).poll_once(client)
    assert stored(database) == [] and enqueued == []
    assert dovecot.count("INBOX") == 5 and dovecot.count("Processed") == 0
    with connect(config) as client:
        result = Watcher(config, database, enqueued.append, clock).poll_once(client)
    assert result == PollResult(fetched=5, stored=5, moved=5)
    assert sorted(stored_raws(database)) == sorted(raws)
    assert flat(enqueued) == [row.id for row in stored(database)]
    assert dovecot.count("INBOX") == 0 and dovecot.count("Processed") == 5


def test_a_broker_error_does_not_stop_the_poll(
    sqlite_database: Database, clock: Clock, dovecot: ImapAccount
) -> None:
    def broker_down(ids: list[int]) -> None:
        raise ConnectionError("redis is down")

    dovecot.append("INBOX", mail(1))
    with connect(config_for(dovecot)) as client:
        watcher = Watcher(config_for(dovecot), sqlite_database, broker_down, clock)
        assert watcher.poll_once(client) == PollResult(fetched=1, stored=1, moved=1)
    assert [row.status for row in stored(sqlite_database)] == ["pending"]  # the sweep's work
    assert dovecot.count("INBOX") == 0


def test_idle_stores_and_moves_new_mail_within_two_seconds(
    sqlite_database: Database, dovecot: ImapAccount
) -> None:
    enqueued: list[list[int]] = []
    watcher = Watcher(config_for(dovecot), sqlite_database, enqueued.append)
    with running(watcher) as (stop, thread):
        poll(lambda: watcher.is_idling, what="the watcher to IDLE")
        appended_at = time.monotonic()
        dovecot.append("INBOX", mail(1))
        poll(lambda: inbox_done(sqlite_database, dovecot, 1), 2.0, "the mail stored and moved")
        latency = time.monotonic() - appended_at
        poll(lambda: watcher.is_idling, what="the watcher to IDLE again")
        stopped_at = time.monotonic()
        stop.set()
        thread.join(timeout=5)
        assert time.monotonic() - stopped_at < 1.5, "stop must end run within one IDLE check"
    print(f"IDLE latency append -> stored and moved: {latency:.3f} s")
    assert len(flat(enqueued)) == 1 and dovecot.count("Processed") == 1
    with sqlite_database.session() as session:
        assert session.scalars(select(MailboxLock)).all() == []  # released on stop


def test_mail_that_arrives_just_before_idle_is_not_missed(
    sqlite_database: Database, dovecot: ImapAccount
) -> None:
    class AppendBeforeIdle(Watcher):
        """Dovecot then sends `* 1 EXISTS` in the same packet as `+ idling`."""

        appended = False

        def _idle(self, client: IMAPClient, stop: threading.Event) -> None:
            if not self.appended:
                self.appended = True
                dovecot.append("INBOX", mail(1))
            super()._idle(client, stop)

    watcher = AppendBeforeIdle(config_for(dovecot), sqlite_database, lambda ids: None)
    with running(watcher):
        poll(lambda: inbox_done(sqlite_database, dovecot, 1), 2.0, "the mail stored and moved")


def test_mail_that_arrives_during_a_poll_is_not_missed(
    sqlite_database: Database, dovecot: ImapAccount
) -> None:
    class AppendDuringMove(Watcher):
        """Its `* 2 EXISTS` comes with the MOVE response, where IDLE will not repeat it."""

        appended = False

        def _move(self, client: IMAPClient, uids: list[int]) -> None:
            if not self.appended:
                self.appended = True
                dovecot.append("INBOX", mail(2))
            super()._move(client, uids)

    dovecot.append("INBOX", mail(1))
    watcher = AppendDuringMove(config_for(dovecot), sqlite_database, lambda ids: None)
    with running(watcher):
        poll(lambda: inbox_done(sqlite_database, dovecot, 2), 2.0, "both mails stored and moved")


def test_two_watchers_on_one_mailbox_store_each_mail_once(
    database: Database, dovecot: ImapAccount
) -> None:
    enqueued: list[list[int]] = []
    watchers = [
        CountingWatcher(config_for(dovecot), database, enqueued.append, holder=f"host-{n}:1:x")
        for n in (1, 2)
    ]

    def settled() -> bool:
        assert not all(w.is_holding_lock for w in watchers), "both watchers held the lock"
        return inbox_done(database, dovecot, 50)

    with running(watchers[0]), running(watchers[1]):
        poll(lambda: any(w.is_idling for w in watchers), what="one watcher to IDLE")
        dovecot.append_many("INBOX", [mail(n) for n in range(50)])
        poll(settled, 10.0, "50 mails stored and moved")
    ids = flat(enqueued)
    assert len(ids) == len(set(ids)) == 50
    worker, waiter = sorted(watchers, key=lambda w: w.totals.stored, reverse=True)
    assert worker.totals.stored == 50 and worker.connects == 1
    assert waiter.totals == PollResult() and waiter.connects == 0


def test_a_new_uidvalidity_does_not_store_the_same_message_again(
    database: Database, clock: Clock, dovecot: ImapAccount
) -> None:
    dovecot.append("Intake", mail(1))
    watcher = Watcher(config_for(dovecot, folder="Intake"), database, lambda ids: None, clock)
    with connect(watcher.config) as client:  # one connection: a stale UIDVALIDITY must not stick
        assert watcher.poll_once(client) == PollResult(fetched=1, stored=1, moved=1)
        old = client.select_folder("Intake")[b"UIDVALIDITY"]
        client.select_folder("INBOX")
        client.delete_folder("Intake")
        client.create_folder("Intake")
        dovecot.append("Intake", mail(1))  # the server renumbered: same mail, new UIDVALIDITY
        assert watcher.poll_once(client) == PollResult(fetched=1, stored=0, moved=1)
        new = client.select_folder("Intake")[b"UIDVALIDITY"]
    assert new != old
    assert [row.uidvalidity for row in stored(database)] == [old]
    assert dovecot.count("Intake") == 0 and dovecot.count("Processed") == 2


def test_the_watcher_reconnects_after_the_server_restarts(sqlite_database: Database) -> None:
    with DovecotServer() as server:
        account = server.account()
        watcher = CountingWatcher(config_for(account), sqlite_database, lambda ids: None)
        with running(watcher):
            poll(lambda: watcher.is_idling, what="the watcher to IDLE")
            server.restart()  # every session ends; the same port and mail come back
            account.append("INBOX", mail(1))
            poll(lambda: inbox_done(sqlite_database, account, 1), 15.0, "the mail after restart")
        assert watcher.connects >= 2


@pytest.mark.parametrize(
    "capability",
    ["IMAP4rev1 IDLE UIDPLUS", "IMAP4rev1 IDLE", "IMAP4rev1 UIDPLUS"],
    ids=["copy-uid-expunge", "copy-expunge", "no-idle"],
)
def test_a_server_without_move_still_empties_the_inbox(
    sqlite_database: Database, clock: Clock, capability: str
) -> None:
    with DovecotServer(capability=capability) as server:
        account = server.account()
        account.append_many("INBOX", [mail(n) for n in range(5)])
        watcher = Watcher(config_for(account), sqlite_database, lambda ids: None)
        watcher.batch_size, watcher.poll_seconds = 2, 0.2  # several batches; quick polling
        with connect(watcher.config) as client:
            assert not client.has_capability("MOVE")
            assert watcher.poll_once(client) == PollResult(fetched=5, stored=5, moved=5)
        assert account.count("INBOX") == 0 and account.count("Processed") == 5
        with running(watcher):
            account.append("INBOX", mail(6))
            poll(lambda: inbox_done(sqlite_database, account, 6), 5.0, "the sixth mail")
        assert account.count("Processed") == 6


def test_xoauth2_logs_in_with_the_token(
    sqlite_database: Database, dovecot_server: DovecotServer, dovecot: ImapAccount
) -> None:
    dovecot_server.add_oauth2_token("ya29.test-token", dovecot.user)
    dovecot.append("INBOX", mail(1))
    config = config_for(dovecot, password="not-the-password", oauth2_token="ya29.test-token")
    assert poll_mailbox(config, sqlite_database, lambda ids: None) == PollResult(1, 1, 1)
    with pytest.raises(LoginError):
        connect(replace(config, oauth2_token="ya29.revoked"))


def test_inbox_poll_refuses_while_a_watcher_holds_the_lock(
    sqlite_database: Database, clock: Clock, dovecot: ImapAccount
) -> None:
    config = config_for(dovecot)
    with sqlite_database.unit_of_work() as uow:
        lock_ttl = Watcher.lock_ttl
        assert inbound.take_lock(uow.session, config.mailbox, "elsewhere:1:x", clock(), lock_ttl)
        uow.commit()
    dovecot.append("INBOX", mail(1))
    with pytest.raises(MailboxBusy):
        poll_mailbox(config, sqlite_database, lambda ids: None, clock)
    assert stored(sqlite_database) == [] and dovecot.count("INBOX") == 1
    clock.advance(minutes=2)  # the other holder's lock ran out
    assert poll_mailbox(config, sqlite_database, lambda ids: None, clock) == PollResult(1, 1, 1)


def test_mailbox_config_comes_from_the_settings(tmp_path: Path) -> None:
    settings = settings_for(
        tmp_path,
        IMAP_HOST="imap.example.org",
        IMAP_USER="meldpunt@example.org",
        IMAP_PASSWORD="geheim-wachtwoord",
        IMAP_SSL="true",
        IMAP_FOLDER="Meldingen",
    )
    config = MailboxConfig.from_settings(settings)
    assert (config.port, config.ssl, config.processed_folder) == (993, True, "Processed")
    assert config.mailbox == "meldpunt@example.org@imap.example.org/Meldingen"
    assert "geheim" not in repr(config)
    with pytest.raises(SettingsError, match="IMAP_HOST"):
        MailboxConfig.from_settings(settings_for(tmp_path, IMAP_USER="meldpunt@example.org"))
    with pytest.raises(ValueError, match="processed folder"):
        replace(config, processed_folder="Meldingen")


def test_backoff_doubles_with_jitter_up_to_a_minute() -> None:
    for failures, full in [(1, 1), (2, 2), (3, 4), (6, 32), (7, 60), (50, 60)]:
        delays = [backoff_delay(failures) for _ in range(50)]
        assert all(0.8 * full <= delay <= full for delay in delays)
        assert len(set(delays)) > 1

"""The inbox watcher: store and commit each mail, wake the workers, then move it out."""

from __future__ import annotations

import logging
import os
import random
import secrets
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from imapclient import IMAPClient
from sqlalchemy.exc import SQLAlchemyError

from workers import imap
from workers.imap import MailboxConfig, connect
from workflow import inbound
from workflow.db import Database
from workflow.inbound import RawMail

__all__ = [
    "MailboxBusy",
    "MailboxConfig",
    "PollResult",
    "Watcher",
    "backoff_delay",
    "connect",
    "poll_mailbox",
]

log = logging.getLogger(__name__)
# What a reconnect (after a backoff) cures: the network, the IMAP server, the database.
RECOVERABLE = (OSError, IMAPClient.Error, SQLAlchemyError)
MAX_DRAIN_POLLS = 10


def utc_now() -> datetime:
    return datetime.now(UTC)


def default_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"[-120:]


def backoff_delay(failures: int, base: float = 1.0, cap: float = 60.0) -> float:
    """1 s, 2 s, 4 s … at most `cap`, each shortened by up to 20 % so watchers do not align."""
    delay = min(cap, base * 2.0 ** min(failures - 1, 16))
    return delay * random.uniform(0.8, 1.0)


@dataclass(frozen=True)
class PollResult:
    """What one poll did: mails fetched from the server, rows newly stored, mails moved."""

    fetched: int = 0
    stored: int = 0
    moved: int = 0

    def __add__(self, other: PollResult) -> PollResult:
        return PollResult(
            self.fetched + other.fetched, self.stored + other.stored, self.moved + other.moved
        )


class MailboxBusy(Exception):
    """Another watcher holds this mailbox's lock."""


class LockLost(Exception):
    """The lock ran out and another holder took it: stop touching the mailbox."""


class Watcher:
    """One watcher per mailbox (a lock row ensures it). The order store → commit → enqueue →
    move means a crash anywhere gives at most a re-read, which the unique keys absorb."""

    batch_size = 100
    lock_ttl = timedelta(seconds=60)
    lock_retry_seconds = 5.0
    idle_check_seconds = 1.0  # how quickly run() notices stop.set()
    idle_renew_seconds = 600.0  # RFC 2177: re-issue IDLE well inside 29 minutes
    poll_seconds = 30.0  # servers without IDLE
    backoff_base_seconds = 1.0
    backoff_cap_seconds = 60.0

    def __init__(
        self,
        config: MailboxConfig,
        database: Database,
        enqueue: Callable[[list[int]], None],
        clock: Callable[[], datetime] = utc_now,
        holder: str | None = None,
    ) -> None:
        self.config = config
        self.database = database
        self.enqueue = enqueue
        self.clock = clock
        self.holder = holder or default_holder()
        self.totals = PollResult()
        self.is_holding_lock = False
        self.is_idling = False
        self._failures = 0
        self._lock_renewed_at = 0.0
        self._stop = threading.Event()  # run() replaces it with its own

    # -- one poll ---------------------------------------------------------------------------

    def poll_once(self, client: IMAPClient) -> PollResult:
        """Store, enqueue and move every mail in the folder, in batches."""
        uidvalidity = imap.select(client, self.config.folder)
        uids = sorted(int(uid) for uid in client.search("ALL"))
        result = PollResult()
        if uids:
            imap.ensure_folder(client, self.config.processed_folder)
        for start in range(0, len(uids), self.batch_size):
            if self._stop.is_set():
                break  # every batch so far is stored and moved: a safe place to stop
            batch = uids[start : start + self.batch_size]
            result += self._poll_batch(client, uidvalidity, batch)
        if uids:
            imap.finish_moves(client)
            counts = (result.fetched, result.stored, result.moved, uids[0], uids[-1])
            log.info("inbox poll: %d fetched, %d new, %d moved (uid %d-%d)", *counts)
        self.totals += result
        return result

    def _poll_batch(
        self, client: IMAPClient, uidvalidity: int | None, uids: Sequence[int]
    ) -> PollResult:
        if self.is_holding_lock:
            self._renew_lock_if_due()  # a long backlog must not let the lock run out
        known = self._known_uids(uidvalidity, uids)  # stored before a crash: no need to fetch
        fetched = imap.fetch_raw(client, [uid for uid in uids if uid not in known])
        new_ids = self._store(uidvalidity, [RawMail(uid, raw) for uid, raw in fetched.items()])
        self._enqueue(new_ids)
        done = sorted(known | fetched.keys())
        self._move(client, done)
        return PollResult(len(fetched), len(new_ids), len(done))

    def _known_uids(self, uidvalidity: int | None, uids: Sequence[int]) -> set[int]:
        if uidvalidity is None:
            return set()
        with self.database.session() as session:
            return inbound.known_uids(session, self.config.mailbox, uidvalidity, uids)

    def _store(self, uidvalidity: int | None, mails: list[RawMail]) -> list[int]:
        """Persist first: the rows are committed before the server hears anything."""
        if not mails:
            return []
        with self.database.unit_of_work() as uow:
            mailbox = self.config.mailbox
            ids = inbound.store(uow.session, uow.vault, mailbox, uidvalidity, mails, self.clock())
            uow.commit()
        return ids

    def _enqueue(self, new_ids: list[int]) -> None:
        """Only a wake-up: if the broker is down the sweep finds the pending rows."""
        if not new_ids:
            return
        try:
            self.enqueue(new_ids)
        except Exception as error:
            log.warning(
                "enqueue of %d new mail(s) failed (%s); the sweep will pick them up",
                len(new_ids),
                type(error).__name__,
            )

    def _move(self, client: IMAPClient, uids: list[int]) -> None:
        imap.move(client, uids, self.config.processed_folder)

    # -- the lock ---------------------------------------------------------------------------

    def _take_lock(self) -> bool:
        """Take or renew the mailbox lock; False while another watcher holds it."""
        with self.database.unit_of_work() as uow:
            mailbox, now = self.config.mailbox, self.clock()
            is_ours = inbound.take_lock(uow.session, mailbox, self.holder, now, self.lock_ttl)
            uow.commit()
        self.is_holding_lock = is_ours
        self._lock_renewed_at = time.monotonic()
        return is_ours

    def _renew_lock_if_due(self) -> None:
        due = self.lock_ttl.total_seconds() / 3
        if time.monotonic() - self._lock_renewed_at >= due and not self._take_lock():
            raise LockLost

    def _release_lock(self) -> None:
        if not self.is_holding_lock:
            return
        self.is_holding_lock = False
        try:
            with self.database.unit_of_work() as uow:
                inbound.release_lock(uow.session, self.config.mailbox, self.holder)
                uow.commit()
        except SQLAlchemyError as error:  # it expires by itself after lock_ttl
            log.warning("could not release the mailbox lock (%s)", type(error).__name__)

    # -- running ----------------------------------------------------------------------------

    def run(self, stop: threading.Event) -> None:
        """Watch until `stop` is set: lock, connect, poll, IDLE, poll … reconnect on errors."""
        log.info("inbox watcher %s starting", self.holder)
        self._stop = stop
        try:
            while not stop.is_set():
                self._step(stop)
        finally:
            self._release_lock()
            log.info("inbox watcher %s stopped", self.holder)

    def _step(self, stop: threading.Event) -> None:
        try:
            if self._take_lock():
                self._serve(stop)
            else:
                stop.wait(self.lock_retry_seconds)  # another watcher has it: wait, never fetch
        except LockLost:
            log.warning("inbox watcher %s lost the mailbox lock; waiting", self.holder)
        except RECOVERABLE as error:
            self._failures += 1
            delay = backoff_delay(
                self._failures, self.backoff_base_seconds, self.backoff_cap_seconds
            )
            log.warning(
                "inbox watcher: %s (failure %d); reconnecting in %.1f s",
                type(error).__name__,
                self._failures,
                delay,
            )
            stop.wait(delay)

    def _connect(self) -> IMAPClient:
        return connect(self.config)

    def _serve(self, stop: threading.Event) -> None:
        """One connection: drain the folder, then wait for news and drain again."""
        client = self._connect()
        try:
            self._drain(client)
            self._failures = 0
            while not stop.is_set():
                self._wait_for_mail(client, stop)
                if not stop.is_set():
                    self._drain(client)
        finally:
            imap.close_quietly(client)

    def _drain(self, client: IMAPClient) -> None:
        """Poll until a poll finds nothing: an EXISTS that came during FETCH or MOVE went into
        imaplib's buffer unseen, and IDLE reports only what is newer than that."""
        for _ in range(MAX_DRAIN_POLLS):
            self._renew_lock_if_due()
            if not self.poll_once(client).moved:
                return

    def _wait_for_mail(self, client: IMAPClient, stop: threading.Event) -> None:
        if client.has_capability("IDLE"):
            self._idle(client, stop)
            return
        deadline = time.monotonic() + self.poll_seconds
        while not stop.is_set() and time.monotonic() < deadline:
            self._renew_lock_if_due()
            stop.wait(min(self.idle_check_seconds, max(0.0, deadline - time.monotonic())))

    def _idle(self, client: IMAPClient, stop: threading.Event) -> None:
        """IDLE in short checks (so stop and the lock are looked at) until news or renewal."""
        client.idle()
        self.is_idling = True
        try:
            has_news = imap.has_buffered_response(client)
            started = time.monotonic()
            while not (has_news or stop.is_set()):
                if time.monotonic() - started >= self.idle_renew_seconds:
                    return  # re-issue IDLE (and poll once, in case a notification was lost)
                self._renew_lock_if_due()
                has_news = self._idle_check(client)
        finally:
            self.is_idling = False
            client.idle_done()

    def _idle_check(self, client: IMAPClient) -> bool:
        began = time.monotonic()
        responses = client.idle_check(timeout=self.idle_check_seconds)
        if imap.has_news(responses):
            return True
        # imapclient swallows EOF and returns [] at once: leave IDLE so that DONE finds out.
        return not responses and time.monotonic() - began < self.idle_check_seconds / 2


def poll_mailbox(
    config: MailboxConfig,
    database: Database,
    enqueue: Callable[[list[int]], None],
    clock: Callable[[], datetime] = utc_now,
) -> PollResult:
    """One poll for `vertrouwd inbox poll`: lock, connect, poll, log out, unlock.

    Raises MailboxBusy while a watcher runs on this mailbox (it would do the same work).
    """
    watcher = Watcher(config, database, enqueue, clock)
    if not watcher._take_lock():
        raise MailboxBusy(f"a watcher holds the lock of mailbox {config.folder!r}")
    try:
        client = connect(config)
        try:
            return watcher.poll_once(client)
        finally:
            imap.close_quietly(client)
    finally:
        watcher._release_lock()

"""From APPEND to the acknowledgement at the SMTP server, with the watcher in IDLE.

A Watcher thread stores each new mail and hands the ids to a worker thread, which
processes them and delivers the mails they caused (the acknowledgement among them) to the
SmtpSink. One client mail is appended at a time.
"""

from __future__ import annotations

import math
import queue
import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from imapclient import IMAPClient

from benchmarks.harness import FOLDER, Bench, mailbox_config
from benchmarks.mails import ClientMail, client_mail
from tests.servers import ImapAccount, wait_until
from workers.watcher import Watcher
from workflow.db import Database
from workflow.pipeline import process

PAUSE = 0.2  # between an acknowledgement arriving and the next APPEND
ACK_TIMEOUT = 30.0
FIRST_SENDER = 900_000  # generated senders are `name.N@…`; these N do not clash with the mix


@dataclass(frozen=True)
class Sample:
    stored: float  # APPEND returned → the watcher enqueued the new id (IDLE wake, FETCH, store)
    acknowledged: float  # APPEND returned → the acknowledgement was accepted by the SMTP sink


@dataclass(frozen=True)
class Latency:
    samples: list[Sample]

    def percentile(self, share: float, what: str = "acknowledged") -> float:
        """Nearest-rank percentile, in seconds."""
        values: list[float] = sorted(getattr(s, what) for s in self.samples)
        return values[max(0, math.ceil(share * len(values)) - 1)]


class Pipeline:
    """The watcher and a worker that processes and delivers, each in its own thread."""

    def __init__(self, bench: Bench, database: Database, account: ImapAccount) -> None:
        self.bench, self.database = bench, database
        self.enqueued: list[float] = []  # perf_counter() of each enqueue
        self.ids: queue.Queue[list[int] | None] = queue.Queue()
        self.stop = threading.Event()
        self.watcher = Watcher(mailbox_config(account), database, self._enqueue)
        self.threads = [
            threading.Thread(target=self.watcher.run, args=(self.stop,), daemon=True),
            threading.Thread(target=self._work, daemon=True),
        ]

    def _enqueue(self, ids: list[int]) -> None:
        self.enqueued.append(time.perf_counter())
        self.ids.put(ids)

    def _work(self) -> None:
        courier = self.bench.courier(self.database)
        while (ids := self.ids.get()) is not None:
            for inbound_id in ids:
                now = datetime.now(UTC)
                outcome = process(
                    self.database, self.bench.postman, self.bench.inbox, inbound_id, now
                )
                for mail_id in outcome.mail_ids:
                    courier.deliver(mail_id, datetime.now(UTC))

    @contextmanager
    def running(self) -> Iterator[Pipeline]:
        for thread in self.threads:
            thread.start()
        try:
            wait_until(lambda: self.watcher.is_idling, 15.0, what="the watcher to IDLE")
            yield self
        finally:
            self.stop.set()
            self.ids.put(None)
            for thread in self.threads:
                thread.join(timeout=10)


def _one_sample(bench: Bench, pipeline: Pipeline, imap: IMAPClient, mail: ClientMail) -> Sample:
    """APPEND one mail and wait until its acknowledgement reaches the SMTP sink."""
    imap.append(FOLDER, mail.raw)
    appended = time.perf_counter()

    def acknowledged() -> bool:
        return any(mail.sender in m.rcpt_tos for m in bench.sink.messages)

    what = f"the acknowledgement to {mail.sender}"
    wait_until(acknowledged, ACK_TIMEOUT, interval=0.001, what=what)
    arrived = time.perf_counter()
    stored = next(t for t in pipeline.enqueued if t >= appended)
    return Sample(stored - appended, arrived - appended)


def measure_latency(bench: Bench, samples: int, seed: int) -> Latency:
    """`samples` client mails, one at a time; each waits for the previous acknowledgement."""
    rng = random.Random(seed)
    account = bench.dovecot.new_account()
    results: list[Sample] = []
    with (
        bench.fresh_database(datetime.now(UTC)) as database,
        Pipeline(bench, database, account).running() as pipeline,
        account.client() as imap,
    ):
        for n in range(samples):
            when, mail_from = datetime.now(UTC), bench.settings.mail_from
            mail = client_mail(rng, FIRST_SENDER + n, when, mail_from)
            results.append(_one_sample(bench, pipeline, imap, mail))
            time.sleep(PAUSE)
    return Latency(results)

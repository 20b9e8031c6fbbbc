"""Mails per second: the raw IMAP baseline and our whole intake, on fresh mailboxes."""

from __future__ import annotations

import cProfile
import email
import email.policy
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from time import perf_counter

from sqlalchemy import func, select

from benchmarks.harness import FOLDER, Bench, mailbox_config
from workers.watcher import poll_mailbox
from workflow.db import Database
from workflow.models import Case, OutboxMail
from workflow.pipeline import Outcome, process_due

BATCH = 100
MAX_ROUNDS = 1_000  # process_due rounds; a mail that stayed due for ever would show up here


@dataclass(frozen=True)
class BaselineRun:
    mails: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.mails / self.seconds


@dataclass(frozen=True)
class OursRun:
    """One poll + processing of the whole mix, with what became of every mail."""

    mails: int
    fetched: int
    stored: int
    poll_seconds: float
    process_seconds: float
    outcomes: dict[str, int]
    outbox: dict[str, int] = field(default_factory=dict)
    cases: int = 0

    @property
    def seconds(self) -> float:
        return self.poll_seconds + self.process_seconds

    @property
    def rate(self) -> float:
        return self.mails / self.seconds


def baseline_once(bench: Bench, raws: list[bytes]) -> BaselineRun:
    """Connect, SELECT, UID SEARCH, FETCH BODY.PEEK[] by 100 and parse each; nothing stored."""
    account = bench.filled_account(raws)
    parsed = 0
    started = perf_counter()
    with account.client() as client:  # LOGIN with TCP_NODELAY, LOGOUT on the way out
        client.select_folder(FOLDER, readonly=True)
        uids = client.search("ALL")  # imapclient sends UID SEARCH
        for start in range(0, len(uids), BATCH):
            fetched = client.fetch(uids[start : start + BATCH], [b"BODY.PEEK[]"])
            for data in fetched.values():
                email.message_from_bytes(data[b"BODY[]"], policy=email.policy.default)
                parsed += 1
    seconds = perf_counter() - started
    if parsed != len(raws):
        raise RuntimeError(f"baseline parsed {parsed} of {len(raws)} mails")
    return BaselineRun(parsed, seconds)


def process_everything(
    bench: Bench, database: Database, now: datetime, profile: cProfile.Profile | None = None
) -> list[Outcome]:
    """`process_due` until nothing is due at the fixed `now` (retries wait a minute)."""
    outcomes: list[Outcome] = []
    postman, inbox = bench.postman, bench.inbox
    for _ in range(MAX_ROUNDS):
        if profile is not None:
            profile.enable()
        batch = process_due(database, postman, inbox, now)
        if profile is not None:
            profile.disable()
        outcomes += batch
        if not batch or all(o.status == "skipped" for o in batch):
            return outcomes
    raise RuntimeError(f"mail was still due after {MAX_ROUNDS} rounds of process_due")


def ours_once(
    bench: Bench, raws: list[bytes], now: datetime, profile: cProfile.Profile | None = None
) -> OursRun:
    """Poll the whole folder into a fresh database, then process every stored mail."""
    account = bench.filled_account(raws)
    with bench.fresh_database(now) as database:
        started = perf_counter()
        polled = poll_mailbox(mailbox_config(account), database, lambda ids: None, lambda: now)
        polled_at = perf_counter()
        outcomes = process_everything(bench, database, now, profile)
        done_at = perf_counter()
        if polled.fetched != len(raws) or polled.moved != len(raws):
            raise RuntimeError(f"poll fetched {polled.fetched}, moved {polled.moved}")
        outbox, cases = _written(database)
    counted = Counter(o.outcome or o.status for o in outcomes)
    return OursRun(
        len(raws),
        polled.fetched,
        polled.stored,
        polled_at - started,
        done_at - polled_at,
        dict(sorted(counted.items())),
        outbox,
        cases,
    )


def _written(database: Database) -> tuple[dict[str, int], int]:
    """Outbox rows by template, and the number of cases: what the processing left behind."""
    with database.session() as session:
        rows = session.execute(
            select(OutboxMail.template, func.count(OutboxMail.id)).group_by(OutboxMail.template)
        ).all()
        cases = int(session.scalar(select(func.count(Case.id))) or 0)
    return {str(template): int(n) for template, n in sorted(rows)}, cases

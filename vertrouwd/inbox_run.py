"""Wiring of the inbox commands: `inbox poll [--process]` and `watch`."""

from __future__ import annotations

import signal
import sys
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import click

from vertrouwd.wiring import celery_app, require_database
from workers.imap import MailboxConfig
from workers.runtime import Runtime
from workers.watcher import MailboxBusy, Watcher, poll_mailbox
from workflow import inbound
from workflow.db import Database
from workflow.pipeline import process
from workflow.settings import Settings


class InboxFailure(Exception):
    """The inbox could not be read; the message says why (no personal data)."""


@dataclass
class PollSummary:
    fetched: int = 0
    stored: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)

    @property
    def quarantined(self) -> int:
        return self.outcomes["quarantined"]

    def line(self) -> str:
        done = ", ".join(f"{n} {name}" for name, n in sorted(self.outcomes.items()))
        return f"fetched {self.fetched}, stored {self.stored} new" + (f"; {done}" if done else "")


def _enqueue_by_broker(settings: Settings, database: Database) -> Callable[[list[int]], None]:
    celery = celery_app(settings, database)

    def enqueue(ids: list[int]) -> None:
        for inbound_id in ids:
            celery.send_task("vertrouwd.process_mail", args=[inbound_id])

    return enqueue


def poll_and_maybe_process(settings: Settings, *, also_process: bool) -> PollSummary:
    """Fetch every new mail once; with `also_process`, turn it into cases right here."""
    database = require_database(settings)
    config = MailboxConfig.from_settings(settings)
    enqueue = (lambda ids: None) if also_process else _enqueue_by_broker(settings, database)
    try:
        result = poll_mailbox(config, database, enqueue)
    except MailboxBusy as error:
        raise InboxFailure(str(error)) from None
    except OSError as error:
        raise InboxFailure(f"cannot reach IMAP_HOST: {type(error).__name__}") from None
    summary = PollSummary(result.fetched, result.stored)
    if also_process:
        _process_all(Runtime(settings, database), summary)
    return summary


def _process_all(runtime: Runtime, summary: PollSummary) -> None:
    """Every pending mail, with progress on stderr (the corpus takes a few seconds)."""
    now = datetime.now(UTC)
    with runtime.database.session() as session:
        ids = inbound.due_ids(session, now, limit=1_000_000)
    with click.progressbar(ids, label="processing", file=sys.stderr) as progress:
        for inbound_id in progress:
            outcome = process(runtime.database, runtime.postman, runtime.inbox, inbound_id, now)
            summary.outcomes[outcome.outcome or outcome.status] += 1


def watch_forever(settings: Settings) -> None:
    """The watcher until SIGTERM or Ctrl-C."""
    database = require_database(settings)
    config = MailboxConfig.from_settings(settings)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    Watcher(config, database, _enqueue_by_broker(settings, database)).run(stop)

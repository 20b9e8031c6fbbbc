"""Tasks are thin shells: take an id, let the domain do the work, retry what is transient."""

from __future__ import annotations

from typing import Any

from celery import Celery, Task

from workers.runtime import Runtime, utc_now
from workflow.pipeline import process, process_due
from workflow.sweep import sweep_due

MAX_RETRIES = 8


def runtime_of(task: Task) -> Runtime:
    runtime: Runtime = task.app.vertrouwd  # type: ignore[attr-defined]
    return runtime


def deliver_mail(self: Task, outbox_id: int) -> str:
    outcome = runtime_of(self).courier.deliver(outbox_id, utc_now())
    if outcome.retry_in is not None:
        # The row holds the truth; this retry only makes it quicker than the next sweep.
        raise self.retry(countdown=outcome.retry_in + 0.5)
    return outcome.status


def process_mail(self: Task, inbound_id: int) -> str:
    """Process one stored inbound mail, then wake delivery of the mails it caused."""
    runtime = runtime_of(self)
    outcome = process(runtime.database, runtime.postman, runtime.inbox, inbound_id, utc_now())
    for outbox_id in outcome.mail_ids:
        self.app.send_task("vertrouwd.deliver_mail", args=[outbox_id])
    return outcome.status


def sweep(self: Task) -> dict[str, Any]:
    """Process and deliver whatever is due, so a wake-up lost by the broker loses nothing."""
    runtime = runtime_of(self)
    processed = process_due(runtime.database, runtime.postman, runtime.inbox, utc_now())
    swept = sweep_due(runtime.database, runtime.postman, utc_now())
    outcomes = runtime.courier.deliver_due(utc_now())
    return {
        "processed": len(processed),
        "reminders": swept.total,
        "delivered": sum(o.status == "sent" for o in outcomes),
        "tried": len(outcomes),
    }


def register(app: Celery) -> None:
    """Register the same module-level functions on each app (tests build several apps)."""
    app.task(name="vertrouwd.deliver_mail", bind=True, max_retries=MAX_RETRIES)(deliver_mail)
    app.task(name="vertrouwd.process_mail", bind=True)(process_mail)
    app.task(name="vertrouwd.sweep", bind=True)(sweep)

"""Tasks are thin shells: take an id, let the domain do the work, retry what is transient."""

from __future__ import annotations

from typing import Any

from celery import Celery, Task

from workers.runtime import Runtime, utc_now

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


def sweep(self: Task) -> dict[str, Any]:
    """Deliver whatever is due, so a wake-up lost by the broker loses nothing."""
    outcomes = runtime_of(self).courier.deliver_due(utc_now())
    return {"delivered": sum(o.status == "sent" for o in outcomes), "tried": len(outcomes)}


def register(app: Celery) -> None:
    """Register the same module-level functions on each app (tests build several apps)."""
    app.task(name="vertrouwd.deliver_mail", bind=True, max_retries=MAX_RETRIES)(deliver_mail)
    app.task(name="vertrouwd.sweep", bind=True)(sweep)

"""The Celery app: broker from the settings, tasks by name, the beat schedule of the sweep."""

from __future__ import annotations

from typing import Any

from celery import Celery

from workers.runtime import Runtime
from workflow.settings import Settings

SWEEP_SECONDS = 10.0
VISIBILITY_TIMEOUT = 3600  # every countdown we use stays far below this (TESTING.md)
PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}


def make_celery(settings: Settings, runtime: Runtime | None = None) -> Celery:
    """Build the Celery app; nothing connects until a task is sent or a worker starts."""
    app = Celery("vertrouwd", broker=settings.broker_url, set_as_current=False)
    app.conf.update(
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        # The web answers the client even when the broker is down: the sweep delivers later.
        broker_connection_timeout=2.0,
        task_publish_retry_policy=PUBLISH_RETRY,
        broker_transport_options=_transport_options(settings),
        beat_schedule={"sweep": {"task": "vertrouwd.sweep", "schedule": SWEEP_SECONDS}},
        beat_schedule_filename=str(settings.instance_dir / "celerybeat-schedule"),
        worker_hijack_root_logger=False,
        timezone="UTC",
    )
    app.vertrouwd = runtime or Runtime(settings)  # type: ignore[attr-defined]
    from workers import tasks

    tasks.register(app)
    return app


def _transport_options(settings: Settings) -> dict[str, Any]:
    if not settings.broker_url.startswith("filesystem://"):
        return {"visibility_timeout": VISIBILITY_TIMEOUT}
    queue = settings.broker_folder / "queue"
    control = settings.broker_folder / "control"
    for folder in (queue, control):
        folder.mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "control_folder": str(control),
        "polling_interval": 0.05,
    }

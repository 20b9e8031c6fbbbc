"""Celery on a real Redis: a wake-up reaches a worker; the sweep covers lost wake-ups."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from sqlalchemy import select

from tests.conftest import Clock, migrated, seed_organisation, settings_for
from tests.servers import SmtpSink
from vertrouwd.wiring import celery_app
from workflow.db import Database
from workflow.intake import OpenCase, open_case
from workflow.models import OutboxMail
from workflow.outbox import Postman


@pytest.fixture
def stack(tmp_path: Path, redis_url: str, smtp_sink: SmtpSink) -> Iterator[tuple[Celery, Database]]:
    settings = settings_for(tmp_path, BROKER_URL=redis_url, SMTP_HOST=smtp_sink.host,
                            SMTP_PORT=str(smtp_sink.port))  # fmt: skip
    database = migrated(settings, settings.database_url)
    app = celery_app(settings, database)
    with start_worker(app, pool="threads", concurrency=2, perform_ping_check=False):
        yield app, database
    database.dispose()


def open_case_now(database: Database, postman: Postman, clock: Clock) -> list[int]:
    seed_organisation(database, clock())
    command = OpenCase(organisation_slug="versa", channel="web", kind="conduct",
                       preferred_gender="none", language="en", description="help",
                       email="client@example.org")  # fmt: skip
    with database.unit_of_work() as uow:
        open_case(uow, postman, command, clock())
    with database.session() as session:
        return list(session.scalars(select(OutboxMail.id)))


def test_a_wake_up_through_redis_makes_the_worker_deliver_each_mail_once(
    stack: tuple[Celery, Database], postman: Postman, clock: Clock, smtp_sink: SmtpSink
) -> None:
    app, database = stack
    clock.now = clock.now.replace(year=2020)  # the mail is due now, by the worker's clock too
    ids = open_case_now(database, postman, clock)
    for outbox_id in ids + ids:  # a duplicate wake-up must not send twice
        app.send_task("vertrouwd.deliver_mail", args=[outbox_id])
    received = smtp_sink.wait_for(2, timeout=15)
    assert len(received) == 2
    smtp_sink.wait_for(2, timeout=0.5)
    assert len(smtp_sink.messages) == 2


def test_the_sweep_delivers_mail_whose_wake_up_was_lost(
    stack: tuple[Celery, Database], postman: Postman, clock: Clock, smtp_sink: SmtpSink
) -> None:
    app, database = stack
    clock.now = datetime.now(UTC) - timedelta(minutes=1)  # due now; its reminders are not
    open_case_now(database, postman, clock)  # no wake-up sent at all: as if Redis lost it
    app.send_task("vertrouwd.sweep")
    assert len(smtp_sink.wait_for(2, timeout=15)) == 2


def test_with_the_broker_down_the_client_still_gets_an_answer_and_the_mail_waits(
    tmp_path: Path, clock: Clock
) -> None:
    from tests.conftest import poll
    from tests.servers import free_port
    from vertrouwd.wiring import web_app

    settings = settings_for(tmp_path, BROKER_URL=f"redis://127.0.0.1:{free_port()}/0")
    database = migrated(settings, settings.database_url)
    seed_organisation(database, clock())
    client = web_app(settings, database).test_client()
    page = client.get("/melden/versa").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/melden/versa", data={
        "csrf_token": token, "description": "hulp", "kind": "conduct",
        "preferred_gender": "none", "email": "c@example.org", "language": "nl", "privacy": "y",
    })  # fmt: skip
    assert response.status_code == 200
    with database.session() as session:
        statuses = poll(lambda: session.scalars(select(OutboxMail.status)).all(), what="rows")
    assert statuses == ["pending", "pending"]
    database.dispose()

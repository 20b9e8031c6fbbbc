"""Delivery to a real SMTP server: once each, retried after refusals, never twice, crash-safe."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from tests.conftest import Clock, seed_organisation
from tests.servers import SmtpSink
from workers.delivery import Courier
from workflow import outbox
from workflow.db import Database
from workflow.intake import OpenCase, open_case
from workflow.models import OutboxMail
from workflow.outbox import Postman
from workflow.settings import MailServer


@pytest.fixture
def courier(database: Database, smtp_sink: SmtpSink, postman: Postman) -> Courier:
    return Courier(database, MailServer(smtp_sink.host, smtp_sink.port), postman.mail_from)


def open_a_case(database: Database, postman: Postman, clock: Clock) -> str:
    seed_organisation(database, clock())
    command = OpenCase(organisation_slug="versa", channel="web", kind="conduct",
                       preferred_gender="female", language="nl", description="hulp",
                       email="client@example.org")  # fmt: skip
    with database.unit_of_work() as uow:
        return open_case(uow, postman, command, clock()).reference


def rows(database: Database) -> list[OutboxMail]:
    with database.session() as session:
        return list(session.scalars(select(OutboxMail).order_by(OutboxMail.id)))


def test_each_mail_reaches_the_server_once_and_a_second_run_sends_nothing(
    database: Database, postman: Postman, clock: Clock, courier: Courier, smtp_sink: SmtpSink
) -> None:
    reference = open_a_case(database, postman, clock)
    assert [o.status for o in courier.deliver_due(clock())] == ["sent", "sent"]
    assert [o.status for o in courier.deliver_due(clock())] == []
    received = smtp_sink.wait_for(2)
    assert sorted(r for m in received for r in m.rcpt_tos) == [
        "anna@example.org", "client@example.org",
    ]  # fmt: skip
    assert all(f"[{reference}]" in m.message["Subject"] for m in received)
    assert all(m.mail_from == postman.mail_from for m in received)
    assert all(row.status == "sent" and row.sent_at == clock() for row in rows(database))


def test_a_refusing_server_is_retried_with_backoff_and_the_mail_arrives_once(
    database: Database, postman: Postman, clock: Clock, courier: Courier, smtp_sink: SmtpSink
) -> None:
    open_a_case(database, postman, clock)
    smtp_sink.refuse_next(2)
    assert [o.status for o in courier.deliver_due(clock())] == ["pending", "pending"]
    assert [o.retry_in for o in courier.deliver_due(clock())] == []  # not due yet
    waiting = rows(database)
    assert all(r.attempts == 1 and "451" in (r.last_error or "") for r in waiting)
    clock.advance(seconds=outbox.BACKOFF_SECONDS[0])
    assert [o.status for o in courier.deliver_due(clock())] == ["sent", "sent"]
    assert len(smtp_sink.wait_for(2)) == 2
    assert [r.attempts for r in rows(database)] == [2, 2]


def test_a_permanent_refusal_is_not_retried_and_keeps_the_reason(
    database: Database, postman: Postman, clock: Clock, courier: Courier, smtp_sink: SmtpSink
) -> None:
    open_a_case(database, postman, clock)
    smtp_sink.refuse_always(550)
    assert [o.status for o in courier.deliver_due(clock())] == ["failed", "failed"]
    clock.advance(hours=5)
    assert courier.deliver_due(clock()) == []
    assert all("550" in (r.last_error or "") for r in rows(database))


def test_an_unreachable_server_is_transient(
    database: Database, postman: Postman, clock: Clock
) -> None:
    from tests.servers import free_port

    open_a_case(database, postman, clock)
    dead = Courier(database, MailServer("127.0.0.1", free_port()), postman.mail_from)
    assert [o.status for o in dead.deliver_due(clock())] == ["pending", "pending"]


def test_a_worker_that_crashed_after_claiming_leaves_the_mail_to_the_next_after_the_lease(
    database: Database, postman: Postman, clock: Clock, courier: Courier, smtp_sink: SmtpSink
) -> None:
    open_a_case(database, postman, clock)
    first = rows(database)[0].id
    with database.unit_of_work() as uow:  # a worker claims, commits, and dies before sending
        assert outbox.claim(uow.session, first, clock()) is not None
        uow.commit()
    assert courier.deliver(first, clock()).status == "skipped"
    clock.advance(seconds=outbox.LEASE.total_seconds() + 1)
    assert courier.deliver(first, clock()).status == "sent"
    assert len(smtp_sink.wait_for(1)) == 1


def test_many_workers_delivering_the_same_mails_send_each_once(
    database: Database, postman: Postman, clock: Clock, courier: Courier, smtp_sink: SmtpSink
) -> None:
    open_a_case(database, postman, clock)
    ids = [r.id for r in rows(database)] * 6
    with ThreadPoolExecutor(6) as pool:
        outcomes = list(pool.map(lambda i: courier.deliver(i, clock()), ids))
    assert sorted(o.status for o in outcomes if o.status != "skipped") == ["sent", "sent"]
    smtp_sink.wait_for(2)
    clock.advance(minutes=10)
    courier.deliver_due(clock())
    assert len(smtp_sink.messages) == 2


def test_flush_brings_waiting_mail_forward(
    database: Database, postman: Postman, clock: Clock, courier: Courier, smtp_sink: SmtpSink
) -> None:
    open_a_case(database, postman, clock)
    smtp_sink.refuse_next(2)
    courier.deliver_due(clock())
    with database.unit_of_work() as uow:
        assert outbox.make_all_due(uow.session, clock()) == 2
        uow.commit()
    assert [o.status for o in courier.deliver_due(clock())] == ["sent", "sent"]


def test_after_the_last_attempt_a_mail_is_failed_not_retried_forever(
    database: Database, postman: Postman, clock: Clock, courier: Courier, smtp_sink: SmtpSink
) -> None:
    open_a_case(database, postman, clock)
    smtp_sink.refuse_next(2 * outbox.MAX_ATTEMPTS)
    for _ in range(outbox.MAX_ATTEMPTS):
        courier.deliver_due(clock())
        clock.advance(hours=1)
    assert all(r.status == "failed" and r.attempts == outbox.MAX_ATTEMPTS for r in rows(database))
    assert smtp_sink.messages == []


def test_a_crash_between_sending_and_recording_resends_with_the_same_message_id(
    database: Database, postman: Postman, clock: Clock, courier: Courier, smtp_sink: SmtpSink
) -> None:
    """SMTP cannot join our transaction: delivery is at least once, and the fixed Message-ID
    lets the receiving side (and our own inbox) recognise the second copy."""
    from workers.delivery import send

    open_a_case(database, postman, clock)
    first = rows(database)[0].id
    with database.unit_of_work() as uow:  # claim, send, then die before recording "sent"
        mail = outbox.claim(uow.session, first, clock())
        assert mail is not None
        recipient = database.vault.open(mail.recipient_enc)
        message = database.vault.open_bytes(mail.message_enc)
        uow.commit()
    send(courier.server, courier.sender, recipient, message)
    clock.advance(seconds=outbox.LEASE.total_seconds() + 1)
    assert courier.deliver(first, clock()).status == "sent"
    copies = smtp_sink.wait_for(2)
    assert len({m.message["Message-ID"] for m in copies}) == 1

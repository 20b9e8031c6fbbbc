"""A mail to the shared inbox, end to end on real servers: Dovecot (IDLE) -> watcher -> Redis ->
Celery worker -> case -> acknowledgement accepted by the SMTP server."""

from __future__ import annotations

import threading
from pathlib import Path

from celery.contrib.testing.worker import start_worker

from tests.conftest import Clock, migrated, seed_organisation, settings_for
from tests.servers import ImapAccount, SmtpSink
from tests.test_pipeline import CONDUCT_NL, mail
from vertrouwd.wiring import celery_app
from workers.imap import MailboxConfig
from workers.watcher import Watcher


def test_a_mail_becomes_a_case_and_the_client_gets_the_acknowledgement(
    tmp_path: Path, dovecot: ImapAccount, redis_url: str, smtp_sink: SmtpSink, clock: Clock
) -> None:
    settings = settings_for(
        tmp_path, BROKER_URL=redis_url, SMTP_HOST=smtp_sink.host, SMTP_PORT=str(smtp_sink.port),
        IMAP_HOST=dovecot.host, IMAP_PORT=str(dovecot.port), IMAP_USER=dovecot.user,
        IMAP_PASSWORD=dovecot.password, MAIL_FROM="vertrouwenspersonen@vertrouwd.test",
    )  # fmt: skip
    database = migrated(settings, settings.database_url)
    seed_organisation(database, clock())
    app = celery_app(settings, database)

    def enqueue(ids: list[int]) -> None:
        for inbound_id in ids:
            app.send_task("vertrouwd.process_mail", args=[inbound_id])

    watcher = Watcher(MailboxConfig.from_settings(settings), database, enqueue)
    stop = threading.Event()
    thread = threading.Thread(target=watcher.run, args=(stop,), daemon=True)
    with start_worker(app, pool="threads", concurrency=2, perform_ping_check=False):
        thread.start()
        try:
            dovecot.append("INBOX", mail(CONDUCT_NL, to="vertrouwenspersonen@vertrouwd.test"))
            received = smtp_sink.wait_for(2, timeout=20)
        finally:
            stop.set()
            thread.join(timeout=10)
    by_recipient = {m.rcpt_tos[0]: m.message for m in received}
    assert set(by_recipient) == {"zwaantje@example.org", "anna@example.org"}
    assert "ontvangen" in by_recipient["zwaantje@example.org"]["Subject"]
    assert dovecot.count("INBOX") == 0 and dovecot.count("Processed") == 1
    database.dispose()

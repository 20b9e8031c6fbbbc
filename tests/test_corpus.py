"""Every real-world mail of the corpus is accounted for: a case, a reply, machine mail, or
quarantined with a reason. Never a crash, never a silent loss."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sqlalchemy import select

from tests.conftest import Clock, seed_organisation
from tests.corpus import corpus_files
from tests.http_client import clean_env, run_ok
from tests.servers import ImapAccount
from workflow import inbound
from workflow.db import Database
from workflow.inbound import RawMail
from workflow.models import InboundMail
from workflow.outbox import Postman
from workflow.pipeline import InboxConfig, process_due

FILES = corpus_files()


def test_the_corpus_is_there() -> None:
    assert len(FILES) == 348, "expected the 348 corpus files"


def store_all(database: Database, clock: Clock, raws: list[bytes]) -> list[int]:
    with database.unit_of_work() as uow:
        mails = [RawMail(uid, raw) for uid, raw in enumerate(raws, start=1)]
        ids = inbound.store(uow.session, uow.vault, "corpus", 1, mails, clock())
        uow.commit()
    return ids


def test_every_corpus_mail_becomes_a_case_reply_machine_mail_or_quarantine(
    sqlite_database: Database, postman: Postman, clock: Clock
) -> None:
    seed_organisation(sqlite_database, clock())
    raws = [path.read_bytes() for path in FILES]
    stored = store_all(sqlite_database, clock, raws)
    outcomes = process_due(sqlite_database, postman, InboxConfig(postman.mail_from), clock())
    statuses = Counter(o.status for o in outcomes)
    assert set(statuses) <= {"done", "ignored", "quarantined"}, statuses  # no retry: no bug
    assert len(outcomes) == len(stored)
    with sqlite_database.session() as session:
        rows = session.scalars(select(InboundMail)).all()
        keys = {row.message_key for row in rows}
        assert all(row.status in {"done", "ignored", "quarantined"} for row in rows)
        assert all(row.reason for row in rows if row.status == "quarantined")
    # files that share a Message-ID with another were absorbed by the unique key, not lost
    assert {inbound.message_key(sqlite_database.vault, raw) for raw in raws} == keys
    kinds = Counter(o.outcome for o in outcomes)
    assert kinds["machine"] + kinds["bounce"] >= 60, kinds  # bounces and auto-replies
    assert kinds["case"] >= 150, kinds


def test_inbox_poll_process_takes_the_whole_corpus_from_dovecot(
    tmp_path: Path, dovecot: ImapAccount
) -> None:
    accepted = append_what_dovecot_takes(dovecot, [p.read_bytes() for p in FILES])
    env = {
        **clean_env(),
        "VERTROUWD_INSTANCE": str(tmp_path / "instance"),
        "IMAP_HOST": dovecot.host, "IMAP_PORT": str(dovecot.port),
        "IMAP_USER": dovecot.user, "IMAP_PASSWORD": dovecot.password,
        "SMTP_HOST": "127.0.0.1", "SMTP_PORT": "2",
    }  # fmt: skip
    run_ok(["db", "upgrade"], tmp_path, env)
    run_ok(["demo"], tmp_path, env)
    summary = run_ok(["inbox", "poll", "--process"], tmp_path, env)
    assert f"fetched {accepted}," in summary, summary
    assert dovecot.count("INBOX") == 0
    assert dovecot.count("Processed") == accepted
    assert "retry" not in summary, summary


def append_what_dovecot_takes(account: ImapAccount, raws: list[bytes]) -> int:
    """APPEND one by one: a server may refuse a few (NUL bytes); those never reach an inbox."""
    accepted = 0
    with account.client() as client:
        for raw in raws:
            try:
                client.append("INBOX", raw)
            except Exception:  # a refusal by the server is what we count
                continue
            accepted += 1
    assert accepted >= 300, accepted
    return accepted

"""Storing raw mail: unique on place and on Message-ID, sealed, and the watcher lock."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, text

from tests.conftest import Clock
from workflow import inbound
from workflow.db import Database
from workflow.inbound import RawMail
from workflow.models import InboundMail


def mail(message_id: str | None, body: str = "Hallo, ik heb een klacht.") -> bytes:
    head = f"Message-ID: {message_id}\r\n" if message_id else ""
    return f"{head}From: jan@example.org\r\nSubject: hulp\r\n\r\n{body}\r\n".encode()


def store(database: Database, clock: Clock, uidvalidity: int, mails: list[RawMail]) -> list[int]:
    with database.unit_of_work() as uow:
        ids = inbound.store(uow.session, uow.vault, "INBOX", uidvalidity, mails, clock())
        uow.commit()
    return ids


def test_a_re_read_of_the_same_uid_or_message_id_is_absorbed(
    database: Database, clock: Clock
) -> None:
    first = store(database, clock, 7, [RawMail(1, mail("<a@x>")), RawMail(2, mail(None))])
    assert len(first) == 2
    assert store(database, clock, 7, [RawMail(1, mail("<a@x>")), RawMail(2, mail(None))]) == []
    # UIDVALIDITY changed: the server renumbered; the Message-ID key (or raw hash) absorbs it
    assert store(database, clock, 8, [RawMail(11, mail("<a@x>")), RawMail(12, mail(None))]) == []
    assert len(store(database, clock, 8, [RawMail(13, mail("<b@x>"))])) == 1


def test_the_same_message_twice_in_one_batch_is_stored_once(
    database: Database, clock: Clock
) -> None:
    assert (
        len(store(database, clock, 1, [RawMail(1, mail("<c@x>")), RawMail(2, mail("<c@x>"))])) == 1
    )


def test_raw_mail_is_sealed_at_rest(database: Database, clock: Clock) -> None:
    store(database, clock, 1, [RawMail(1, mail("<d@x>", body="Zwaantje vertelt iets geheims"))])
    with database.engine.connect() as connection:
        dump = repr(connection.execute(text("SELECT * FROM inbound_mails")).all())
    assert "Zwaantje" not in dump and "jan@example.org" not in dump
    with database.session() as session:
        row = session.scalars(select(InboundMail)).one()
        assert b"Zwaantje" in database.vault.open_bytes(row.raw_enc)


def test_known_uids_tells_what_a_crashed_watcher_already_stored(
    database: Database, clock: Clock
) -> None:
    store(database, clock, 5, [RawMail(3, mail("<e@x>")), RawMail(4, mail("<f@x>"))])
    with database.session() as session:
        assert inbound.known_uids(session, "INBOX", 5, [3, 4, 5]) == {3, 4}
        assert inbound.known_uids(session, "INBOX", 6, [3]) == set()


def test_one_watcher_holds_the_mailbox_until_its_lock_expires(
    database: Database, clock: Clock
) -> None:
    ttl = timedelta(seconds=30)

    def take(holder: str) -> bool:
        with database.unit_of_work() as uow:
            taken = inbound.take_lock(uow.session, "INBOX", holder, clock(), ttl)
            uow.commit()
        return taken

    assert take("watcher-a")
    assert not take("watcher-b")
    assert take("watcher-a")  # renewal
    clock.advance(seconds=31)
    assert take("watcher-b")
    assert not take("watcher-a")

"""Key rotation on SQLite and PostgreSQL: every sealed value moves to the newest key, resumably."""

from __future__ import annotations

import email
import email.policy
import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

import pyotp
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import Column, Integer, LargeBinary, MetaData, Table, select, text, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from tests.conftest import Clock, seed_organisation
from workflow import inbound
from workflow.crypto import DecryptionError, Vault
from workflow.db import Database
from workflow.inbound import RawMail
from workflow.intake import OpenCase, open_case
from workflow.keys import UndecryptableValue, rotate, rows_to_visit, sealed_tables
from workflow.models import (
    Advisor,
    Base,
    Case,
    Consent,
    DataRequest,
    Evaluation,
    Message,
    Organisation,
    Person,
    Signal,
)
from workflow.outbox import Postman
from workflow.pipeline import InboxConfig, process_due
from workflow.settings import Settings
from workflow.staff_auth import confirm_enrolment, start_enrolment

TEAM = "vertrouwenspersonen@vertrouwd.test"
CLIENT_NAME = "Zwaantje Pietersen-Ölçer"
CLIENT_EMAIL = "zwaantje@example.org"
MAIL_BODY = (
    "Goedendag,\n\nMijn begeleider Johan de Vries maakt steeds opmerkingen over mijn lichaam "
    "en heeft mij vorige week aangeraakt terwijl ik dat niet wilde.\n\nGroet, Zwaantje"
)
# What the seeded data fills: the metadata may hold more (see the visiting test).
FILLED = {
    "advisors.totp_pending_enc", "advisors.totp_secret_enc", "attachments.data_enc",
    "attachments.filename_enc", "cases.counterpart_name_enc", "cases.counterpart_role_enc",
    "consents.information_enc", "consents.towards_enc", "consents.what_enc",
    "data_requests.note_enc", "evaluations.advice_enc", "inbound_mails.raw_enc",
    "messages.body_enc", "messages.quoted_enc", "outbox.message_enc", "outbox.recipient_enc",
    "people.email_enc", "people.name_enc", "people.phone_enc", "signals.decision_enc",
}  # fmt: skip

Place = tuple[str, str, Any]  # table, column, row id


@dataclass
class Keys:
    """The database as the service wrote it (old key), and vaults for the rotation."""

    database: Database
    old: str
    new: str
    hash_key: bytes

    def vault(self, *keys: str) -> Vault:
        return Vault(keys, self.hash_key)

    def rotating(self, vault: Vault | None = None) -> Database:
        """The same database as `vertrouwd keys rotate` sees it: ENCRYPTION_KEYS=new,old."""
        return Database(self.database.engine, vault or self.vault(self.new, self.old))


def sealed_values(database: Database) -> dict[Place, bytes]:
    """Every non-NULL `*_enc` value of every table of the metadata, read independently."""
    found: dict[Place, bytes] = {}
    with database.session() as session:
        for table in Base.metadata.sorted_tables:
            for column in (c for c in table.columns if c.name.endswith("_enc")):
                [key] = table.primary_key.columns
                rows = session.execute(select(key, column).where(column.is_not(None)))
                found.update({(table.name, column.name, row_id): v for row_id, v in rows})
    return found


def plain_columns(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every other column of every table (keyed hashes among them), to see they stay put."""
    with database.session() as session:
        return {
            table.name: [
                tuple(row)
                for row in session.execute(
                    select(*(c for c in table.columns if not c.name.endswith("_enc"))).order_by(
                        *table.primary_key.columns
                    )
                )
            ]
            for table in Base.metadata.sorted_tables
        }


def opens(vault: Vault, token: bytes) -> bool:
    try:
        vault.open_bytes(token)
    except DecryptionError:
        return False
    return True


def attached_mail() -> bytes:
    message = EmailMessage()
    message["From"] = f"Zwaantje Pietersen <{CLIENT_EMAIL}>"
    message["To"] = TEAM
    message["Subject"] = "Hulp nodig"
    message["Message-ID"] = email.utils.make_msgid(domain="example.org")
    message.set_content(MAIL_BODY)
    message.add_attachment(b"%PDF-1.4 verslag", maintype="application", subtype="pdf",
                           filename="verslag.pdf")  # fmt: skip
    return message.as_bytes(policy=email.policy.default)


def fill(database: Database, postman: Postman, clock: Clock) -> None:
    """Cases from the form and from mail, then what casework and staff sign-in seal."""
    seed_organisation(database, clock())
    for number in range(3):
        with database.unit_of_work() as uow:
            open_case(uow, postman, OpenCase(
                organisation_slug="versa", channel="web", kind="conduct",
                preferred_gender="female", language="nl", description=f"Melding {number}",
                name=CLIENT_NAME, email=f"client{number}@example.org", phone="+31 6 1234 5678",
                counterpart_name="Johan de Vries", counterpart_role="begeleider",
                quoted_text="> eerder bericht",
            ), clock())  # fmt: skip
    with database.unit_of_work() as uow:
        inbound.store(uow.session, uow.vault, "test", None, [RawMail(None, attached_mail())],
                      clock())  # fmt: skip
        uow.commit()
    process_due(database, postman, InboxConfig(TEAM), clock())
    with database.unit_of_work() as uow:
        _casework_and_staff(uow.session, uow.vault, clock)
        uow.commit()


def _casework_and_staff(session: Session, vault: Vault, clock: Clock) -> None:
    now = clock()
    anna, karim = (
        session.scalar(select(Advisor).where(Advisor.email == f"{name}@example.org"))
        for name in ("anna", "karim")
    )
    start_enrolment(vault, anna)
    code = pyotp.TOTP(vault.open(anna.totp_pending_enc)).at(now)
    assert confirm_enrolment(vault, anna, code, now)
    start_enrolment(vault, karim)
    case = session.scalars(select(Case).order_by(Case.id)).first()
    organisation_id = session.scalar(select(Organisation.id))
    session.add_all([
        Consent(case_id=case.id, action="contact_manager", what_enc=vault.seal("gesprek"),
                towards_enc=vault.seal("de manager"), information_enc=vault.seal("wat er was"),
                requested_by="anna@example.org", requested_at=now),
        Signal(organisation_id=organisation_id, counterpart_hash=case.counterpart_hash,
               case_count=3, raised_at=now, decision_enc=vault.seal('{"decision": "watch"}')),
        Evaluation(organisation_id=organisation_id, kind="conduct", period="2026-Q4",
                   advice_enc=vault.seal("sneller antwoorden")),
        DataRequest(case_id=case.id, case_reference=case.reference,
                    organisation_id=organisation_id, requested_at=now,
                    due_at=now + timedelta(days=30), note_enc=vault.seal("wettelijke plicht")),
    ])  # fmt: skip


@pytest.fixture
def keys(database: Database, postman: Postman, clock: Clock, settings: Settings) -> Keys:
    fill(database, postman, clock)
    [old] = settings.encryption_keys
    return Keys(database, old, Fernet.generate_key().decode(), settings.hash_key)


# --- the vault ---------------------------------------------------------------------------


def test_reseal_if_old_leaves_the_newest_alone_moves_the_old_and_refuses_the_unknown() -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    vault = Vault([new, old], b"h" * 40)
    assert vault.reseal_if_old(vault.seal("nieuw")) is None
    moved = vault.reseal_if_old(Vault([old], b"h" * 40).seal("oud"))
    assert moved is not None and Vault([new], b"h" * 40).open(moved) == "oud"
    with pytest.raises(DecryptionError):
        vault.reseal_if_old(Vault([Fernet.generate_key().decode()], b"h" * 40).seal("vreemd"))


# --- rotation ----------------------------------------------------------------------------


def test_after_rotation_every_value_opens_with_the_new_key_alone_and_none_with_the_old(
    keys: Keys,
) -> None:
    before = sealed_values(keys.database)
    assert {f"{table}.{column}" for table, column, _ in before} >= FILLED
    plaintexts = {place: keys.vault(keys.old).open_bytes(v) for place, v in before.items()}
    untouched = plain_columns(keys.database)

    result = rotate(keys.rotating())

    after = sealed_values(keys.database)
    assert after.keys() == before.keys()
    only_new, only_old = keys.vault(keys.new), keys.vault(keys.old)
    assert {place: only_new.open_bytes(v) for place, v in after.items()} == plaintexts
    assert [place for place, v in after.items() if opens(only_old, v)] == []
    assert (result.rotated, result.skipped) == (len(before), 0)
    per_table = Counter(table for table, _, _ in before)
    assert {name: t.rotated for name, t in result.tables.items() if t.rotated} == per_table
    assert plain_columns(keys.database) == untouched  # keyed hashes need no rotation


def test_a_second_run_rotates_nothing_and_rewrites_nothing(keys: Keys) -> None:
    rotate(keys.rotating())
    first = sealed_values(keys.database)

    again = rotate(keys.rotating())

    assert (again.rotated, again.skipped) == (0, len(first))
    assert sealed_values(keys.database) == first


def test_an_interrupted_run_leaves_whole_batches_done_and_a_rerun_finishes(keys: Keys) -> None:
    only_old = keys.vault(keys.old)
    plaintexts = {p: only_old.open_bytes(v) for p, v in sealed_values(keys.database).items()}
    told: list[tuple[str, int]] = []

    def interrupt_after_four_batches(table: str, rows: int) -> None:
        told.append((table, rows))
        if len(told) == 4:
            raise Interrupted

    with pytest.raises(Interrupted):
        rotate(keys.rotating(), batch=2, progress=interrupt_after_four_batches)

    rows = rows_by_state(keys)
    assert rows["mixed"] == 0  # a row is never half done
    assert rows["new"] == sum(count for _, count in told)  # exactly the batches that were told
    assert rows["old"] > 0
    done = sum(opens(keys.vault(keys.new), v) for v in sealed_values(keys.database).values())

    rest = rotate(keys.rotating(), batch=2)

    assert rest.skipped == done and rest.rotated == len(plaintexts) - done
    after = sealed_values(keys.database)
    assert {p: keys.vault(keys.new).open_bytes(v) for p, v in after.items()} == plaintexts
    assert not any(opens(keys.vault(keys.old), v) for v in after.values())


class Interrupted(Exception):
    """Stands in for Ctrl-C or a killed process between two batches."""


def rows_by_state(keys: Keys) -> dict[str, int]:
    """How many rows have all their values under the new key, all under the old, or some of each."""
    is_new: dict[tuple[str, Any], set[bool]] = {}
    for (table, _, row_id), token in sealed_values(keys.database).items():
        is_new.setdefault((table, row_id), set()).add(opens(keys.vault(keys.new), token))
    states = ["mixed" if len(s) == 2 else "new" if True in s else "old" for s in is_new.values()]
    return {state: states.count(state) for state in ("new", "old", "mixed")}


def test_a_value_no_key_opens_stops_the_run_naming_where_and_leaves_its_batch_alone(
    keys: Keys,
) -> None:
    stranger = Vault([Fernet.generate_key().decode()], keys.hash_key)
    with keys.database.unit_of_work() as uow:
        last = uow.session.scalars(select(Message).order_by(Message.id.desc())).first()
        assert last is not None
        last.body_enc = stranger.seal("niet van ons")
        bad_id = last.id
        uow.commit()

    with pytest.raises(UndecryptableValue) as raised:
        rotate(keys.rotating())

    error = raised.value
    assert (error.table, error.column, error.row_id) == ("messages", "body_enc", str(bad_id))
    assert str(bad_id) in str(error) and "messages.body_enc" in str(error)
    assert "niet van ons" not in str(error)
    messages = {p: v for p, v in sealed_values(keys.database).items() if p[0] == "messages"}
    assert len(messages) > 2
    others = [v for (_, _, row_id), v in messages.items() if row_id != bad_id]
    assert all(opens(keys.vault(keys.old), v) for v in others)  # the batch rolled back


def test_every_sealed_column_of_the_metadata_is_visited(database: Database) -> None:
    expected = {
        f"{table.name}.{column.name}"
        for table in Base.metadata.tables.values()
        for column in table.columns
        if column.name.endswith("_enc")
    }
    assert expected >= FILLED

    result = rotate(database)

    assert set(result.columns) == expected
    assert set(result.tables) == {name.split(".")[0] for name in expected}


def test_a_table_with_sealed_columns_needs_a_single_column_key() -> None:
    metadata = MetaData()
    Table("pairs", metadata, Column("a", Integer, primary_key=True),
          Column("b", Integer, primary_key=True), Column("secret_enc", LargeBinary))  # fmt: skip
    with pytest.raises(ValueError, match="pairs"):
        sealed_tables(metadata)


def test_null_and_empty_values_stay_as_they_are(keys: Keys) -> None:
    with keys.database.unit_of_work() as uow:
        uow.session.execute(update(Person).values(phone_enc=None))
        uow.session.execute(update(Evaluation).values(advice_enc=b""))
        uow.commit()

    rotate(keys.rotating())

    with keys.database.session() as session:
        assert set(session.scalars(select(Person.phone_enc))) == {None}
        assert set(session.scalars(select(Evaluation.advice_enc))) == {b""}


def test_the_progress_counts_add_up_to_the_rows_holding_values(keys: Keys) -> None:
    told: list[int] = []
    total = rows_to_visit(keys.database)

    result = rotate(keys.rotating(), batch=3, progress=lambda _table, rows: told.append(rows))

    assert sum(told) == total == sum(t.rows for t in result.tables.values())
    assert max(told) == 3


# --- a service writing meanwhile -------------------------------------------------------


class Probing(Vault):
    """A vault that, as each value is re-sealed, has another connection try to write."""

    def __init__(self, keys: Keys, probe: Callable[[], bool]) -> None:
        super().__init__([keys.new, keys.old], keys.hash_key)
        self.probe = probe
        self.refused: list[bool] = []

    def reseal_if_old(self, token: bytes) -> bytes | None:
        if (
            self.open_bytes(token) == CLIENT_NAME.encode()
        ):  # a people row, in the middle of its batch
            self.refused.append(self.probe())
        return super().reseal_if_old(token)


def writer_is_refused(database: Database) -> Callable[[], bool]:
    """Another writer, not waiting: is it kept from changing the people rows right now?"""
    engine = database.engine
    if engine.dialect.name == "sqlite":

        def probe() -> bool:
            other = sqlite3.connect(str(engine.url.database), timeout=0, isolation_level=None)
            try:
                other.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:
                return True
            finally:
                other.close()
            return False

        return probe

    def probe_postgres() -> bool:
        with engine.connect() as other:
            try:
                other.execute(text("SELECT id FROM people FOR UPDATE NOWAIT")).all()
            except OperationalError:
                return True
            return False

    return probe_postgres


def test_a_row_being_re_encrypted_is_locked_against_a_concurrent_writer(keys: Keys) -> None:
    probing = Probing(keys, writer_is_refused(keys.database))

    rotate(keys.rotating(probing))

    assert probing.refused == [True, True, True]  # the three clients' names
    assert writer_is_refused(keys.database)() is False  # and the lock is gone afterwards

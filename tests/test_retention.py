# ruff: noqa: F811  (the fixtures imported from tests.test_cli are used as parameters)
"""Retention with time moved by `now`: the warning, anonymisation, set-aside mail, the file."""

from __future__ import annotations

import email
import email.policy
import sqlite3
import threading
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from mailtemplates import render
from tests.conftest import seed_organisation
from tests.http_client import clean_env, run_cli, run_ok
from tests.outbox_reading import link_in_last_mail, templates_to
from tests.test_cli import installation, versa_folder, versa_template  # noqa: F401 (fixtures)
from workflow import (
    anonymise,
    casework,
    consent,
    evaluation,
    inbound,
    reports,
    retention,
    states,
    triage,
)
from workflow.cases import find_by_reference, record
from workflow.db import Database
from workflow.desk import Desk
from workflow.inbound import RawMail
from workflow.intake import OpenCase, open_case
from workflow.models import (
    AccessToken,
    Advisor,
    Attachment,
    AuditEntry,
    Case,
    Consent,
    Evaluation,
    Event,
    InboundMail,
    Message,
    Organisation,
    OutboxMail,
    Person,
    Signal,
)
from workflow.organisations import set_casework_rules
from workflow.outbox import Postman
from workflow.pipeline import InboxConfig, process_due
from workflow.retention import add_months
from workflow.settings import Settings
from workflow.sweep import sweep_due

MONDAY = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
END = add_months(MONDAY, 12)  # a case closed on MONDAY is anonymised from here
TEAM = "vertrouwenspersonen@vertrouwd.test"
CLIENT = "fatima@example.net"


def run(database: Database, postman: Postman, now: datetime) -> dict[str, int]:
    """The retention pass alone (the reminders of the sweep are other tests' business)."""
    done, _ = retention.sweep(database, postman, now)
    return dict(done)


def open_conduct(database: Database, postman: Postman, now: datetime, **changes: Any) -> str:
    values: dict[str, Any] = dict(
        organisation_slug="versa", channel="web", kind="conduct", preferred_gender="female",
        language="nl", description="Mijn begeleider maakt steeds grappen over mijn lichaam.",
        name="Fatima El Amrani", email=CLIENT,
    )  # fmt: skip
    values.update(changes)
    with database.unit_of_work() as uow:
        return open_case(uow, postman, OpenCase(**values), now).reference


def work(database: Database, postman: Postman, reference: str, now: datetime, do: Any) -> Any:
    """Run `do(desk, case)` in one unit of work at `now`, and commit."""
    with database.unit_of_work() as uow:
        case = find_by_reference(uow.session, reference)
        assert case is not None
        result = do(Desk(uow, postman, now), case)
        uow.commit()
        return result


def close(database: Database, postman: Postman, reference: str, now: datetime,
          address: str = CLIENT) -> None:  # fmt: skip
    """Accepted, contacted, closed, and the client's evaluation answered: closed at `now`."""

    def to_closing(desk: Desk, case: Case) -> None:
        assert case.advisor is not None
        if case.state == states.ASSIGNED:
            casework.accept(desk, case, case.advisor, via="link")
            casework.record_first_contact(desk, case, case.advisor)
        casework.close(desk, case, case.advisor, outcome="resolved", support_form="mediation",
                       reason="unwanted_conduct")  # fmt: skip

    work(database, postman, reference, now, to_closing)
    token = link_in_last_mail(database, address, "evaluatie")
    with database.unit_of_work() as uow:
        answers: dict[str, Any] = dict(experience=4, useful="yes", themes=["listen_better"],
                                       advice="Luister naar Fatima.")  # fmt: skip
        assert evaluation.submit(Desk(uow, postman, now), token, **answers)
        uow.commit()


def closed_case(
    database: Database, postman: Postman, now: datetime = MONDAY, **changes: Any
) -> str:
    reference = open_conduct(database, postman, now, **changes)
    close(database, postman, reference, now, changes.get("email", CLIENT))
    return reference


def withdrawn_case(database: Database, postman: Postman, now: datetime, **changes: Any) -> str:
    reference = open_conduct(database, postman, now, **changes)
    work(database, postman, reference, now, casework.withdraw_case)
    return reference


def the_case(database: Database, reference: str) -> Case:
    with database.session() as session:
        case = find_by_reference(session, reference)
        assert case is not None
        session.expunge(case)
        return case


def event_names(database: Database, reference: str) -> list[str]:
    with database.session() as session:
        statement = select(Event.name).join(Case).where(Case.reference == reference)
        return list(session.scalars(statement.order_by(Event.id)))


@pytest.fixture
def office(database: Database, postman: Postman) -> tuple[Database, Postman]:
    seed_organisation(database, MONDAY)
    return database, postman


# --- the term, the warning, and anonymisation ----------------------------------------------


def test_a_month_later_is_the_same_day_or_the_last_day_of_a_shorter_month() -> None:
    assert add_months(datetime(2027, 1, 31, tzinfo=UTC), 1) == datetime(2027, 2, 28, tzinfo=UTC)
    assert add_months(datetime(2028, 1, 31, tzinfo=UTC), 1) == datetime(2028, 2, 29, tzinfo=UTC)
    assert add_months(MONDAY, 12) == datetime(2027, 11, 23, 9, 30, tzinfo=UTC)
    assert add_months(datetime(2027, 3, 31, tzinfo=UTC), -13) == datetime(2026, 2, 28, tzinfo=UTC)


def test_the_advisor_is_warned_72_hours_before_once_and_the_case_is_anonymised_at_the_end(
    office,
) -> None:
    database, postman = office
    reference = closed_case(database, postman)
    warn_at = END - timedelta(hours=72)
    assert run(database, postman, warn_at - timedelta(seconds=1)) == {"advice_deleted": 1}
    assert "retention_warning" not in templates_to(database, "anna@example.org")
    assert run(database, postman, warn_at) == {"retention_warned": 1}
    assert run(database, postman, END - timedelta(seconds=1)) == {}
    assert templates_to(database, "anna@example.org").count("retention_warning") == 1
    assert the_case(database, reference).retention_warned_at == warn_at
    assert run(database, postman, END) == {"anonymised": 1}
    assert run(database, postman, END + timedelta(days=1)) == {}  # idempotent
    case = the_case(database, reference)
    assert (case.state, case.anonymised_at) == (states.ANONYMISED, END)
    assert event_names(database, reference)[-2:] == ["retention_warned", "anonymise"]


def test_a_late_sweep_anonymises_at_once_without_waiting_for_a_warning(office) -> None:
    database, postman = office
    reference = closed_case(database, postman)
    assert run(database, postman, END + timedelta(days=40)) == {
        "anonymised": 1, "advice_deleted": 1}  # fmt: skip
    assert "retention_warning" not in templates_to(database, "anna@example.org")
    assert the_case(database, reference).state == states.ANONYMISED


def test_without_an_active_advisor_the_coordinators_are_warned(office) -> None:
    database, postman = office
    closed_case(database, postman)
    with database.unit_of_work() as uow:
        uow.session.execute(update(Advisor).where(Advisor.email == "anna@example.org")
                            .values(is_active=False))  # fmt: skip
        uow.commit()
    run(database, postman, END - timedelta(hours=1))
    assert templates_to(database, "coco@example.org")[-1] == "retention_warning"
    assert "retention_warning" not in templates_to(database, "anna@example.org")


def test_a_longer_term_set_after_the_warning_brings_a_new_warning_for_the_new_end(office) -> None:
    database, postman = office
    reference = closed_case(database, postman)
    assert run(database, postman, END - timedelta(hours=1))["retention_warned"] == 1
    with database.unit_of_work() as uow:
        set_casework_rules(uow.session, "versa", retention_months=13)
        uow.commit()
    assert run(database, postman, END) == {}
    new_end = add_months(MONDAY, 13)
    assert run(database, postman, new_end - timedelta(hours=2)) == {"retention_warned": 1}
    assert run(database, postman, new_end) == {"anonymised": 1}
    assert templates_to(database, "anna@example.org").count("retention_warning") == 2
    assert the_case(database, reference).state == states.ANONYMISED


def test_a_withdrawn_case_counts_from_its_withdrawal_not_from_later_events(office) -> None:
    database, postman = office
    reference = withdrawn_case(database, postman, MONDAY)
    later = MONDAY + timedelta(days=60)  # e.g. a bounce lands on its timeline
    work(database, postman, reference, later,
         lambda desk, case: record(desk.session, case, "mail_bounced", desk.now))  # fmt: skip
    assert run(database, postman, END - timedelta(seconds=1)).get("anonymised") is None
    assert run(database, postman, END) == {"anonymised": 1}


def test_every_anonymisation_is_in_the_audit_log(office) -> None:
    database, postman = office
    reference = closed_case(database, postman)
    run(database, postman, END)
    with database.session() as session:
        [entry] = session.scalars(select(AuditEntry).where(AuditEntry.action == "anonymised"))
        assert (entry.case_reference, entry.detail, entry.staff_role, entry.staff_id, entry.at) == (
            reference, "retention", "system", None, END)  # fmt: skip


def test_a_failing_case_does_not_stop_the_others_and_is_tried_again(
    office, monkeypatch: pytest.MonkeyPatch
) -> None:
    database, postman = office
    broken = closed_case(database, postman)
    fine = closed_case(database, postman, email="other@example.net")
    real = anonymise.erase
    broken_id = the_case(database, broken).id

    def failing(session: Any, cases: Any) -> Any:
        if broken_id in session.scalars(cases).all():
            raise RuntimeError("our bug")
        return real(session, cases)

    monkeypatch.setattr(anonymise, "erase", failing)
    done = run(database, postman, END)
    assert (done["anonymised"], done["retention_failed"]) == (1, 1)
    assert the_case(database, fine).state == states.ANONYMISED
    broken_case = the_case(database, broken)
    assert (broken_case.state, broken_case.person_id is not None) == (states.CLOSED, True)
    run(database, postman, END + timedelta(minutes=1))
    assert event_names(database, broken).count("retention_failed") == 1  # said once
    monkeypatch.setattr(anonymise, "erase", real)
    assert run(database, postman, END + timedelta(minutes=2)) == {"anonymised": 1}


def test_concurrent_sweepers_anonymise_each_case_once(
    office, monkeypatch: pytest.MonkeyPatch
) -> None:
    database, postman = office
    monkeypatch.setattr(retention, "BATCH", 2)  # several batches, so the sweepers interleave
    references = [closed_case(database, postman, email=f"client{n}@example.net") for n in range(6)]
    results: list[int] = []

    def sweeper() -> None:
        results.append(run(database, postman, END).get("anonymised", 0))

    threads = [threading.Thread(target=sweeper) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(results) == 6 and len(results) == 3
    for reference in references:
        assert event_names(database, reference).count("anonymise") == 1
    with database.session() as session:
        audited = session.scalar(select(func.count()).where(AuditEntry.action == "anonymised"))
    assert audited == 6


def test_an_erasure_anonymises_one_open_case_at_once(office) -> None:
    database, postman = office
    reference = open_conduct(database, postman, MONDAY, counterpart_name="Johan de Vries")
    work(database, postman, reference, MONDAY + timedelta(days=1), lambda desk, case:
         anonymise.anonymise(desk, case, reason=anonymise.ERASURE))  # fmt: skip
    case = the_case(database, reference)
    assert (case.state, case.person_id, case.counterpart_hash) == (states.ANONYMISED, None, None)
    assert event_names(database, reference)[-2:] == ["withdraw", "anonymise"]
    with database.session() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "anonymised")).one()
        assert entry.detail == "erasure_request"
        assert session.scalars(select(Message)).all() == []


def test_a_mail_still_to_be_sent_stays_until_it_has_gone(office) -> None:
    database, postman = office
    reference = closed_case(database, postman)
    run(database, postman, END)  # nothing was delivered in this test: every mail is pending
    with database.session() as session:
        pending = session.scalar(select(func.count()).where(OutboxMail.case_id.is_not(None)))
    assert pending
    with database.unit_of_work() as uow:
        uow.session.execute(update(OutboxMail).values(status="sent", sent_at=END))
        uow.commit()
    assert run(database, postman, END + timedelta(minutes=1)) == {"outbox_deleted": pending}
    with database.session() as session:
        case_id = the_case(database, reference).id
        assert session.scalars(select(OutboxMail).where(OutboxMail.case_id == case_id)).all() == []


def test_mail_that_reaches_an_anonymised_case_later_is_deleted_by_the_next_sweep(office) -> None:
    database, postman = office
    reference = closed_case(database, postman)
    with database.session() as session:
        acknowledgement = session.scalars(select(OutboxMail.message_id).where(
            OutboxMail.template == "acknowledgement")).one()  # fmt: skip
    run(database, postman, END)
    reply = inbox_mail("Ik wil nog iets zeggen over Johan.", subject="Re: oud",
                       **{"In-Reply-To": acknowledgement})  # fmt: skip
    [outcome] = deliver(database, postman, END + timedelta(days=1), reply.as_bytes())
    assert outcome.reference not in (None, reference)  # a new case: the old one takes nothing
    bounce = inbox_mail(
        "Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 user unknown\n\n"
        f"--- original headers ---\nMessage-ID: {acknowledgement}\n",
        subject="Undelivered Mail Returned to Sender",
    )  # fmt: skip
    bounce.replace_header("From", "MAILER-DAEMON@mx.example.org")
    deliver(database, postman, END + timedelta(days=1), bounce.as_bytes())
    assert run(database, postman, END + timedelta(days=1)).get("late_mail_deleted") == 1
    with database.session() as session:
        old = the_case(database, reference)
        assert session.scalars(select(Message).where(Message.case_id == old.id)).all() == []
        assert session.scalars(select(InboundMail).where(InboundMail.case_id == old.id)).all() == []


def test_a_signal_keeps_its_count_and_loses_the_person_when_no_case_names_them(office) -> None:
    database, postman = office
    for number in range(2):
        withdrawn_case(database, postman, MONDAY, email=f"c{number}@example.net",
                       counterpart_name="Johan de Vries")  # fmt: skip
    withdrawn_case(database, postman, MONDAY + timedelta(days=60), email="c2@example.net",
                   counterpart_name="Johan de Vries")  # fmt: skip
    with database.unit_of_work() as uow:
        signal = uow.session.scalars(select(Signal)).one()
        coordinator = uow.session.scalars(
            select(Advisor).where(Advisor.role == "coordinator")).one()  # fmt: skip
        triage.decide_signal(Desk(uow, postman, MONDAY + timedelta(days=61)), signal, coordinator,
                             "raised_with_management", "Johan is gesproken.")  # fmt: skip
        uow.commit()
    assert run(database, postman, END)["anonymised"] == 2
    with database.session() as session:
        signal = session.scalars(select(Signal)).one()
        assert signal.counterpart_hash and signal.decision_enc  # one case still names him
    assert run(database, postman, END + timedelta(days=61)) == {"anonymised": 1}
    with database.session() as session:
        signal = session.scalars(select(Signal)).one()
        assert (signal.counterpart_hash, signal.decision_enc, signal.case_count) == ("", None, 3)
        assert signal.raised_at == MONDAY + timedelta(days=60)


def test_a_timeline_detail_that_names_the_other_sides_case_is_blanked(office) -> None:
    database, postman = office
    first = open_conduct(database, postman, MONDAY, counterpart_name="Johan de Vries")
    second = withdrawn_case(database, postman, MONDAY, name="Johan de Vries",
                            email="johan@example.net", preferred_gender="none",
                            counterpart_name="Fatima El Amrani")  # fmt: skip
    with database.session() as session:
        detail = session.scalar(select(Event.detail).join(Case).where(
            Case.reference == second, Event.name == "other_side_excluded"))  # fmt: skip
    assert detail is not None and first in detail
    run(database, postman, END)
    with database.session() as session:
        detail = session.scalar(select(Event.detail).join(Case).where(
            Case.reference == second, Event.name == "other_side_excluded"))  # fmt: skip
    assert detail == ""


# --- the raw database file, and the report -------------------------------------------------


def inbox_mail(body: str, *, subject: str = "Hulp nodig", **headers: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Zwaantje Pietersen-Ölçer <zwaantje.uniek@example.org>"
    message["To"] = TEAM
    message["Subject"] = subject
    message["Message-ID"] = email.utils.make_msgid(domain="example.org")
    for name, value in headers.items():
        message[name] = value
    message.set_content(body)
    return message


def deliver(database: Database, postman: Postman, now: datetime, *raws: bytes) -> list[Any]:
    with database.unit_of_work() as uow:
        inbound.store(uow.session, uow.vault, "INBOX", None, [RawMail(None, r) for r in raws], now)
        uow.commit()
    return process_due(database, postman, InboxConfig(TEAM), now)


SECRETS = (
    "Zwaantje Pietersen-Ölçer", "zwaantje.uniek@example.org", "Johan de Vries",
    "Femke Bakker-Uniek", "femke.uniek@example.net", "+31 6 9876 5432", "Piet Tuinman",
    "raakte mij aan in de gang", "Hij deed het gisteren weer", "verslag-zwaantje.pdf",
    "INHOUD-VAN-DE-BIJLAGE", "Ik bel uw teamleider", "Luister naar Fatima",
)  # fmt: skip


def mail_case(database: Database, postman: Postman) -> str:
    """A case through the real inbox: with an attachment, a reply, and a bounce."""
    first = inbox_mail("Goedendag,\n\nMijn begeleider Johan de Vries raakte mij aan in de gang. "
                       "Ik wil graag met een vrouw praten.\n\nZwaantje")  # fmt: skip
    first.add_attachment(b"%PDF-1.4 INHOUD-VAN-DE-BIJLAGE", maintype="application",
                         subtype="pdf", filename="verslag-zwaantje.pdf")  # fmt: skip
    [opened] = deliver(database, postman, MONDAY, first.as_bytes())
    reference = opened.reference
    with database.session() as session:
        acknowledgement = session.scalars(select(OutboxMail).where(
            OutboxMail.template == "acknowledgement")).one()  # fmt: skip
    reply = inbox_mail("Hij deed het gisteren weer.", subject=f"Re: [{reference}]",
                       **{"In-Reply-To": acknowledgement.message_id})  # fmt: skip
    bounce = EmailMessage()
    bounce["From"], bounce["To"] = "MAILER-DAEMON@mx.example.org", TEAM
    bounce["Subject"] = "Undelivered"
    bounce.set_content(f"Status: 5.1.1\n\nMessage-ID: {acknowledgement.message_id}\n"
                       "To: zwaantje.uniek@example.org\n")  # fmt: skip
    outcomes = deliver(database, postman, MONDAY, reply.as_bytes(), bounce.as_bytes())
    assert sorted(o.outcome for o in outcomes) == ["bounce", "reply"]

    def consent_asked(desk: Desk, case: Case) -> None:
        assert case.advisor is not None
        casework.accept(desk, case, case.advisor, via="link")
        casework.record_first_contact(desk, case, case.advisor)
        consent.ask_consent(desk, case, case.advisor, "contact_manager",
                            what="Ik bel uw teamleider Piet Tuinman.", towards="Piet Tuinman",
                            information="Uw naam.")  # fmt: skip

    work(database, postman, reference, MONDAY, consent_asked)
    with database.unit_of_work() as uow:  # as if the client had given an address by the form
        case = find_by_reference(uow.session, reference)
        assert case is not None and case.person is not None
        case.person.email_enc = uow.vault.seal(CLIENT)
        uow.commit()
    close(database, postman, reference, MONDAY + timedelta(days=1))
    return reference


def stored_secrets(database: Database) -> set[bytes]:
    """Every sealed value and keyed hash stored about the clients, as bytes in the file."""
    columns = (
        (Person, ("name_enc", "name_hash", "email_enc", "email_hash", "phone_enc")),
        (Case, ("counterpart_name_enc", "counterpart_role_enc", "counterpart_hash",
                "submission_hash")),
        (Message, ("body_enc", "quoted_enc")),
        (Attachment, ("filename_enc", "data_enc")),
        (InboundMail, ("raw_enc", "message_key")),
        (Consent, ("what_enc", "towards_enc", "information_enc")),
        (OutboxMail, ("recipient_enc", "recipient_hash", "message_enc")),
        (AccessToken, ("token_hash", "code_hash")),
        (Evaluation, ("advice_enc",)),
    )  # fmt: skip
    found: set[bytes] = set()
    with database.session() as session:
        for model, names in columns:
            for row in session.scalars(select(model)):
                values = (getattr(row, name) for name in names)
                found |= {v if isinstance(v, bytes) else v.encode() for v in values if v}
    return found


def pieces(secret: bytes, size: int = 32) -> list[bytes]:
    """A long value lies in the file in parts (SQLite overflow pages): look for each part."""
    if len(secret) <= size:
        return [secret]
    return [secret[i : i + size] for i in range(0, len(secret) - size + 1, size)]


def file_bytes(path: Path) -> bytes:
    """The database file as anyone with the disk would read it, after the WAL is folded in."""
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def report_of(database: Database) -> tuple[Any, ...]:
    with database.session() as session:
        organisation = session.scalars(select(Organisation)).one()
        return tuple(
            (reports.tally(session, organisation, period),
             reports.build(session, ["versa"], period, date(2028, 1, 1)))
            for period in (reports.Period.parse("2026-Q4"), reports.Period.parse("2026"))
        )  # fmt: skip


def report_columns(database: Database) -> list[tuple[Any, ...]]:
    with database.session() as session:
        return [tuple(row) for row in session.execute(select(
            Case.organisation_id, Case.reference, Case.channel, Case.kind, Case.reason_category,
            Case.support_form, Case.outcome, Case.created_at, Case.first_contact_at,
            Case.closed_at, Case.complaint_filed_at, Case.complaint_deadline_at,
            Case.is_deadline_extended).order_by(Case.id))]  # fmt: skip


def test_after_retention_the_raw_file_holds_nothing_of_the_clients_and_the_report_is_the_same(
    sqlite_database: Database, postman: Postman, settings: Settings
) -> None:
    database = sqlite_database
    seed_organisation(database, MONDAY)
    by_mail = mail_case(database, postman)
    by_form = withdrawn_case(
        database, postman, MONDAY, name="Femke Bakker-Uniek", email="femke.uniek@example.net",
        phone="+31 6 9876 5432", counterpart_name="Johan de Vries", counterpart_role="begeleider",
        submission_key="form-submission-1",
    )  # fmt: skip
    with database.unit_of_work() as uow:  # the courier delivered every mail long ago
        uow.session.execute(update(OutboxMail).values(status="sent", sent_at=MONDAY))
        uow.commit()
    secrets = stored_secrets(database)
    assert len(secrets) > 40
    path = Path(database.engine.url.database or "")
    raw = file_bytes(path)
    assert all(any(piece in raw for piece in pieces(s)) for s in secrets)  # the test can see
    report, columns = report_of(database), report_columns(database)
    assert report[0][0].counts["ending"] == {"closed": 1, "withdrawn": 1, "referred": 0}

    done = sweep_due(database, postman, END + timedelta(days=1)).done
    assert done["anonymised"] == 2

    assert report_of(database) == report
    assert report_columns(database) == columns
    with database.session() as session:
        cases = session.scalars(select(Case).order_by(Case.id)).all()
        assert [(c.reference, c.state) for c in cases] == [
            (by_mail, states.ANONYMISED), (by_form, states.ANONYMISED)]  # fmt: skip
        for model in (Person, Message, Attachment, InboundMail, Consent, AccessToken):
            assert session.scalars(select(model)).all() == [], model
    database.dispose()
    raw = file_bytes(path)
    for secret in secrets:
        assert not any(piece in raw for piece in pieces(secret)), secret[:40]
    for text in SECRETS:
        assert text.encode() not in raw, text


# --- set-aside mail ------------------------------------------------------------------------


UNREADABLE = b"\x00\x01\x02 not a mail \xff" * 3


def test_machine_and_quarantined_mail_go_after_their_own_terms(office) -> None:
    database, postman = office
    seed_organisation(database, MONDAY, staff=(), slug="steunpunt")
    with database.unit_of_work() as uow:
        set_casework_rules(uow.session, "steunpunt", machine_mail_retention_days=7,
                           quarantine_retention_days=20)  # fmt: skip
        uow.commit()
    reference = open_conduct(database, postman, MONDAY)  # of versa: 30 and 90 days
    with database.session() as session:
        acknowledgement = session.scalars(select(OutboxMail.message_id).where(
            OutboxMail.template == "acknowledgement")).one()  # fmt: skip
    bounce = EmailMessage()
    bounce["From"], bounce["To"], bounce["Subject"] = "MAILER-DAEMON@x.example", TEAM, "Failed"
    bounce.set_content(f"Status: 5.1.1\n\nMessage-ID: {acknowledgement}\n")
    auto_reply = inbox_mail("Ik ben afwezig.", subject="Afwezig",
                            **{"Auto-Submitted": "auto-replied"})  # fmt: skip
    outcomes = deliver(database, postman, MONDAY, bounce.as_bytes(), auto_reply.as_bytes(),
                       UNREADABLE, UNREADABLE + b"2")  # fmt: skip
    assert sorted(o.status for o in outcomes) == ["ignored"] * 2 + ["quarantined"] * 2
    dismissed = max(o.inbound_id for o in outcomes if o.status == "quarantined")
    with database.unit_of_work() as uow:
        uow.session.execute(update(InboundMail).where(InboundMail.id == dismissed)
                            .values(status="dismissed"))  # fmt: skip
        uow.session.add(Attachment(inbound_mail_id=dismissed, filename_enc=b"x", content_type="x",
                                   size=1, data_enc=b"x", created_at=MONDAY))  # fmt: skip
        uow.commit()

    def left() -> list[str]:
        with database.session() as session:
            rows = session.execute(select(InboundMail.status, InboundMail.case_id)
                                   .order_by(InboundMail.id))  # fmt: skip
            return [status + ("" if case_id is None else " of a case") for status, case_id in rows]

    day = timedelta(days=1)
    assert run(database, postman, MONDAY + 7 * day) == {}  # mail of no case: the shortest term
    assert run(database, postman, MONDAY + 7 * day + timedelta(seconds=1)) == {
        "machine_mail_deleted": 1}  # fmt: skip
    assert run(database, postman, MONDAY + 21 * day) == {"quarantine_deleted": 2}
    assert left() == ["ignored of a case"]  # the bounce: its case's organisation, 30 days
    assert run(database, postman, MONDAY + 31 * day) == {"machine_mail_deleted": 1}
    with database.session() as session:
        assert session.scalars(select(Attachment)).all() == []
    assert the_case(database, reference).state == states.ASSIGNED  # the case itself stays


# --- the command line ----------------------------------------------------------------------


def test_org_set_changes_the_retention_terms(versa_folder: Path) -> None:
    said = run_ok(["org", "set", "--slug", "versa", "--retention-months", "6",
                   "--machine-mail-days", "14", "--quarantine-days", "60"],
                  versa_folder, clean_env())  # fmt: skip
    assert "anonymise 6 months after" in said
    assert "machine mail after 14 days, quarantine after 60 days" in said
    done = run_cli(["org", "set", "--slug", "versa", "--retention-months", "0"], versa_folder,
                   clean_env())  # fmt: skip
    assert done.returncode == 2 and "retention-months must be 1 to 240" in done.stderr


def test_tick_anonymises_what_has_come_to_its_end(versa_folder: Path) -> None:
    with installation(versa_folder) as (database, settings):
        postman = Postman(render=render, mail_from=settings.mail_from, base_url=settings.base_url)
        reference = withdrawn_case(database, postman, MONDAY, email="z@example.net")
    said = run_ok(["tick", "--now", (END + timedelta(hours=1)).isoformat(), "--no-deliver"],
                  versa_folder, clean_env())  # fmt: skip
    assert "anonymised: 1" in said
    with installation(versa_folder) as (database, _):
        assert the_case(database, reference).state == states.ANONYMISED


def test_the_sweep_counts_a_case_that_failed_as_a_failure(
    office, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`vertrouwd tick` exits 1 when something failed: the pass's failures reach the sweep."""
    database, postman = office
    closed_case(database, postman)
    real = anonymise.erase

    def failing(session: Any, cases: Any) -> Any:
        if session.scalars(cases).all():  # the case falling due; the tidying finds none
            raise RuntimeError("our bug")
        return real(session, cases)

    monkeypatch.setattr(anonymise, "erase", failing)
    result = sweep_due(database, postman, END)
    assert result.failed == 1 and "retention_failed" not in result.done

"""Opening a case on SQLite and on a real PostgreSQL: routing, timeline, outbox, encryption."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from tests.conftest import Clock, seed_organisation
from tests.outbox_reading import outbox
from workflow import cases, tokens
from workflow.db import Database
from workflow.intake import OpenCase, UnknownOrganisation, open_case
from workflow.models import AccessToken, Case, Message, OutboxMail, Person
from workflow.outbox import Postman

CLIENT = {
    "name": "Zwaantje Pietersen",
    "email": "zwaantje@example.org",
    "description": "Mijn begeleider Johan raakte mij steeds aan.",
}


def command(**changes: object) -> OpenCase:
    values: dict[str, object] = {
        "organisation_slug": "versa", "channel": "web", "kind": "conduct",
        "preferred_gender": "female", "language": "nl", **CLIENT,
        "counterpart_name": "Johan de Vries", "counterpart_role": "begeleider",
    }  # fmt: skip
    values.update(changes)
    return OpenCase(**values)  # type: ignore[arg-type]


def open_one(database: Database, postman: Postman, clock: Clock, **changes: object):
    with database.unit_of_work() as uow:
        return open_case(uow, postman, command(**changes), clock())


def test_a_conduct_case_with_a_female_wish_goes_to_the_female_vertrouwenspersoon(
    database: Database, postman: Postman, clock: Clock
) -> None:
    seed_organisation(database, clock())
    opened = open_one(database, postman, clock)
    with database.session() as session:
        case = cases.find_by_reference(session, opened.reference)
        assert case is not None
        data = cases.as_json(case, database.vault)
    assert data["state"] == "assigned"
    assert data["advisor"] == {"email": "anna@example.org", "gender": "female"}
    assert data["counterpart"] == "Johan de Vries"
    assert [e["event"] for e in data["timeline"]] == [
        "received", "start_triage", "assign", "dossier_link_issued", "acknowledgement_queued",
    ]  # fmt: skip


def test_the_reference_has_the_year_and_a_sequence(
    database: Database, postman: Postman, clock: Clock
) -> None:
    seed_organisation(database, clock())
    first = open_one(database, postman, clock)
    second = open_one(database, postman, clock)
    assert first.reference == "VP-2026-0001"
    assert second.reference == "VP-2026-0002"
    clock.now = clock.now.replace(year=2027, month=1, day=2)
    assert open_one(database, postman, clock).reference == "VP-2027-0001"


def test_acknowledgement_and_assignment_mails_are_in_the_outbox_with_our_headers(
    database: Database, postman: Postman, clock: Clock
) -> None:
    seed_organisation(database, clock())
    opened = open_one(database, postman, clock)
    by_recipient = {sent.recipient: sent.message for sent in outbox(database, opened.reference)}
    assert set(by_recipient) == {"zwaantje@example.org", "anna@example.org"}
    for message in by_recipient.values():
        assert f"[{opened.reference}]" in message["Subject"]
        assert message["Auto-Submitted"] == "auto-generated"
        assert message["Message-ID"].endswith("@vertrouwd.test>")
        assert message["From"] == "vertrouwenspersonen@vertrouwd.test"
        assert message["Reply-To"].startswith(f"vertrouwenspersonen+{opened.reference}.")
        assert message["Reply-To"].endswith("@vertrouwd.test")
    assignment = by_recipient["anna@example.org"].as_string()
    for secret in (*CLIENT.values(), "Johan"):
        assert secret not in assignment


def test_no_matching_advisor_goes_to_triage_tells_the_coordinator_and_the_client_honestly(
    database: Database, postman: Postman, clock: Clock
) -> None:
    seed_organisation(database, clock())
    opened = open_one(database, postman, clock, kind="complaint", preferred_gender="male")
    assert opened.state == "needs_triage"
    by_recipient = {sent.recipient: sent.message for sent in outbox(database, opened.reference)}
    assert set(by_recipient) == {"zwaantje@example.org", "coco@example.org"}
    acknowledgement = by_recipient["zwaantje@example.org"].get_body(("plain",))
    assert acknowledgement is not None
    assert "past bij uw wens" in acknowledgement.get_content()


def test_without_any_coordinator_the_timeline_says_nobody_was_told(
    database: Database, postman: Postman, clock: Clock
) -> None:
    seed_organisation(database, clock(), staff=(("Anna", "female", "vertrouwenspersoon"),))
    opened = open_one(database, postman, clock, preferred_gender="male")
    with database.session() as session:
        case = cases.find_by_reference(session, opened.reference)
        assert case is not None
        assert [e.name for e in case.events][2:4] == ["request_triage", "coordinator_missing"]


def test_an_anonymous_client_gets_a_dossier_link_and_code_that_are_stored_only_hashed(
    database: Database, postman: Postman, clock: Clock
) -> None:
    seed_organisation(database, clock())
    opened = open_one(database, postman, clock, is_anonymous=True, name=None, email=None)
    assert opened.dossier is not None and opened.dossier.code is not None
    with database.session() as session:
        row = session.scalars(select(AccessToken).where(AccessToken.purpose == "dossier")).one()
        assert opened.dossier.token not in (row.token_hash, row.code_hash)
        assert row.expires_at > clock() + timedelta(days=365)
        found = tokens.find_valid(session, database.vault, opened.dossier.token, "dossier", clock())
        assert found is not None and found.id == row.id
        later = clock() + timedelta(days=401)
        assert (
            tokens.find_valid(session, database.vault, opened.dossier.token, "dossier", later)
            is None
        )
        assert session.scalars(select(Person)).all() == []
    assert [sent.recipient for sent in outbox(database, opened.reference)] == ["anna@example.org"]


def test_personal_data_and_the_message_are_encrypted_in_the_database(
    database: Database, postman: Postman, clock: Clock
) -> None:
    seed_organisation(database, clock())
    open_one(database, postman, clock, phone="0612345678")
    with database.engine.connect() as connection:
        dump = " ".join(
            repr(row)
            for table in ("people", "cases", "messages", "outbox", "events")
            for row in connection.execute(text(f"SELECT * FROM {table}"))
        )
    for secret in (*CLIENT.values(), "Johan", "0612345678", "begeleider"):
        assert secret not in dump
    with database.session() as session:
        message = session.scalars(select(Message)).one()
        assert database.vault.open(message.body_enc) == CLIENT["description"]


def test_a_failure_before_commit_leaves_no_case_and_no_mail(
    database: Database, postman: Postman, clock: Clock
) -> None:
    seed_organisation(database, clock())

    def broken_render(name: str, language: str, context: object):
        if name == "acknowledgement":
            raise RuntimeError("template broke")
        return postman.render(name, language, context)  # type: ignore[arg-type]

    broken = Postman(render=broken_render, mail_from=postman.mail_from, base_url=postman.base_url)
    with pytest.raises(RuntimeError), database.unit_of_work() as uow:
        open_case(uow, broken, command(), clock())
    with database.session() as session:
        assert session.scalars(select(Case)).all() == []
        assert session.scalars(select(OutboxMail)).all() == []


def test_the_same_submission_twice_makes_one_case(
    database: Database, postman: Postman, clock: Clock
) -> None:
    seed_organisation(database, clock())
    first = open_one(database, postman, clock, submission_key="form-123")
    second = open_one(database, postman, clock, submission_key="form-123")
    assert second.is_duplicate and second.reference == first.reference
    with database.session() as session:
        assert len(session.scalars(select(Case)).all()) == 1
        assert len(session.scalars(select(OutboxMail)).all()) == 2


def test_an_unknown_organisation_is_refused(
    database: Database, postman: Postman, clock: Clock
) -> None:
    with pytest.raises(UnknownOrganisation):
        open_one(database, postman, clock, organisation_slug="nope")


def test_the_load_of_open_cases_spreads_work_without_a_wish(
    database: Database, postman: Postman, clock: Clock
) -> None:
    seed_organisation(database, clock())
    advisors = [open_one(database, postman, clock, preferred_gender="none") for _ in range(4)]
    with database.session() as session:
        emails = [cases.find_by_reference(session, o.reference).advisor.email for o in advisors]  # type: ignore[union-attr]
    assert sorted(emails) == ["anna@example.org"] * 2 + ["karim@example.org"] * 2


def test_an_anonymous_double_submit_gets_a_fresh_link_and_the_first_stays_valid(
    database: Database, postman: Postman, clock: Clock
) -> None:
    seed_organisation(database, clock())
    anonymous = {"is_anonymous": True, "name": None, "email": None, "submission_key": "k-1"}
    first = open_one(database, postman, clock, **anonymous)
    again = open_one(database, postman, clock, **anonymous)
    assert again.is_duplicate and again.reference == first.reference
    assert again.dossier is not None and first.dossier is not None
    assert again.dossier.token != first.dossier.token
    with database.session() as session:
        for issued in (first.dossier, again.dossier):
            assert tokens.find_valid(session, database.vault, issued.token, "dossier", clock())

"""Who sees which case, the append-only audit log, and leave that routing honours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from tests.conftest import Clock, seed_organisation
from workflow import access
from workflow.db import Database
from workflow.intake import OpenCase, open_case
from workflow.models import Absence, Advisor, AuditEntry, Case
from workflow.organisations import add_advisor, add_organisation
from workflow.outbox import Postman


def command(slug: str = "versa", **changes: object) -> OpenCase:
    values: dict[str, object] = {
        "organisation_slug": slug, "channel": "web", "kind": "conduct",
        "preferred_gender": "female", "language": "nl",
        "description": "Mijn begeleider raakte mij steeds aan.", "email": "client@example.org",
    }  # fmt: skip
    values.update(changes)
    return OpenCase(**values)  # type: ignore[arg-type]


def open_one(database: Database, postman: Postman, now: datetime, **changes: object) -> str:
    with database.unit_of_work() as uow:
        return open_case(uow, postman, command(**changes), now).reference


def staff(session: Session, name: str) -> Advisor:
    return session.scalars(select(Advisor).where(Advisor.email == f"{name}@example.org")).one()


def advisor_of(database: Database, reference: str) -> str | None:
    with database.session() as session:
        case = session.scalars(select(Case).where(Case.reference == reference)).one()
        return None if case.advisor is None else case.advisor.email


@dataclass(frozen=True)
class World:
    """Two organisations, each with its own coordinator, and cases in both."""

    anna_case: str
    karim_case: str
    urgent_case: str  # Anna's too, opened last
    haven_case: str  # Olga's, in the other organisation


@pytest.fixture
def world(database: Database, postman: Postman, clock: Clock) -> World:
    seed_organisation(database, clock())  # versa: Anna, Karim, Els, Coco (coordinator)
    with database.unit_of_work() as uow:
        session = uow.session
        add_advisor(session, organisation_slug="versa", name="Adam", email="adam@example.org",
                    gender="male", role="admin", now=clock())  # fmt: skip
        add_organisation(session, slug="dehaven", name="De Haven", now=clock())
        session.flush()
        for name, gender, role in (("Otto", "male", "coordinator"),
                                   ("Olga", "female", "vertrouwenspersoon")):  # fmt: skip
            add_advisor(session, organisation_slug="dehaven", name=name, gender=gender,
                        email=f"{name.lower()}@example.org", role=role, now=clock())  # fmt: skip
        uow.commit()
    anna_case = open_one(database, postman, clock())
    karim_case = open_one(database, postman, clock.advance(minutes=1), preferred_gender="male")
    urgent_case = open_one(database, postman, clock.advance(minutes=1), is_urgent=True)
    haven_case = open_one(database, postman, clock.advance(minutes=1), organisation_slug="dehaven")
    built = World(anna_case, karim_case, urgent_case, haven_case)
    assert advisor_of(database, anna_case) == "anna@example.org"
    assert advisor_of(database, karim_case) == "karim@example.org"
    assert advisor_of(database, urgent_case) == "anna@example.org"
    assert advisor_of(database, haven_case) == "olga@example.org"
    return built


def visible(database: Database, name: str, world: World) -> set[str]:
    """The references of the world that `name` can open, asked both ways (case_for, can_see)."""
    every = {world.anna_case, world.karim_case, world.urgent_case, world.haven_case}
    with database.session() as session:
        member = staff(session, name)
        by_reference = {ref for ref in every if access.case_for(session, member, ref) is not None}
        cases = session.scalars(select(Case).where(Case.reference.in_(every)))
        by_case = {case.reference for case in cases if access.can_see(member, case)}
    assert by_reference == by_case
    return by_reference


def listed(database: Database, name: str) -> list[str]:
    with database.session() as session:
        return [case.reference for case in access.cases_of(session, staff(session, name))]


def test_an_advisor_sees_only_their_own_cases(database: Database, world: World) -> None:
    assert visible(database, "anna", world) == {world.anna_case, world.urgent_case}
    assert visible(database, "karim", world) == {world.karim_case}
    assert visible(database, "olga", world) == {world.haven_case}
    assert visible(database, "els", world) == set()  # a chair without a case


def test_a_chair_sees_the_formal_complaints_of_their_organisation_once_filed(
    database: Database, world: World, clock: Clock
) -> None:
    with database.unit_of_work() as uow:
        for reference in (world.anna_case, world.haven_case):
            case = uow.session.scalars(select(Case).where(Case.reference == reference)).one()
            case.complaint_filed_at = clock()  # as casework.record_step does for the term
        uow.commit()
    assert visible(database, "els", world) == {world.anna_case}  # not De Haven's
    assert listed(database, "els") == [world.anna_case]


def test_a_coordinator_sees_only_the_organisations_they_coordinate(
    database: Database, world: World
) -> None:
    assert visible(database, "coco", world) == {
        world.anna_case, world.karim_case, world.urgent_case,
    }  # fmt: skip
    assert visible(database, "otto", world) == {world.haven_case}


def test_an_admin_sees_no_case(database: Database, world: World) -> None:
    assert visible(database, "adam", world) == set()
    assert listed(database, "adam") == []


def test_inactive_staff_see_nothing_not_even_their_own(database: Database, world: World) -> None:
    with database.unit_of_work() as uow:
        staff(uow.session, "anna").is_active = False
        staff(uow.session, "coco").is_active = False
        uow.commit()

    for name in ("anna", "coco"):
        assert visible(database, name, world) == set()
        assert listed(database, name) == []


def test_a_reference_is_found_however_it_is_typed_and_an_unknown_one_is_nothing(
    database: Database, world: World
) -> None:
    with database.session() as session:
        anna = staff(session, "anna")
        found = access.case_for(session, anna, f"  {world.anna_case.lower()} ")
        assert found is not None and found.reference == world.anna_case
        assert access.case_for(session, anna, "VP-2026-9999") is None


def test_lists_put_urgent_cases_first_then_the_longest_waiting(
    database: Database, world: World
) -> None:
    assert listed(database, "anna") == [world.urgent_case, world.anna_case]
    assert listed(database, "coco") == [world.urgent_case, world.anna_case, world.karim_case]
    assert listed(database, "otto") == [world.haven_case]
    assert listed(database, "karim") == [world.karim_case]


def test_a_closed_case_leaves_the_open_list_but_not_the_full_one(
    database: Database, world: World
) -> None:
    with database.unit_of_work() as uow:
        case = uow.session.scalars(select(Case).where(Case.reference == world.karim_case)).one()
        case.state = "closed"
        uow.commit()

    assert listed(database, "karim") == []
    with database.session() as session:
        everything = access.cases_of(session, staff(session, "karim"), open_only=False)
        assert [case.reference for case in everything] == [world.karim_case]


# --- the audit log ---------------------------------------------------------------------


def test_audit_entries_are_appended_with_who_when_and_what(
    database: Database, world: World, clock: Clock
) -> None:
    viewed_at = clock()
    with database.unit_of_work() as uow:
        anna = staff(uow.session, "anna")
        access.audit(uow.session, anna, "case_viewed", viewed_at, reference=world.anna_case)
        access.audit(uow.session, None, "sweep", clock.advance(seconds=1), detail="x" * 500)
        access.audit(uow.session, anna, "case_viewed", clock.advance(seconds=1),
                     reference=world.urgent_case)  # fmt: skip
        uow.commit()

    with database.session() as session:
        anna_id = staff(session, "anna").id
        trail = [entry for entry, _ in access.audit_trail(session)]
        of_one = [entry for entry, _ in access.audit_trail(session, reference=world.anna_case)]
    assert [(e.action, e.staff_role, e.case_reference) for e in trail] == [
        ("case_viewed", "vertrouwenspersoon", world.anna_case),
        ("sweep", "system", None),
        ("case_viewed", "vertrouwenspersoon", world.urgent_case),
    ]  # oldest first
    assert trail[2].staff_id == anna_id and trail[1].staff_id is None
    assert trail[0].at == viewed_at and trail[2].at == clock()
    assert len(trail[1].detail) == 200
    assert [e.case_reference for e in of_one] == [world.anna_case]


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_log SET action = 'tampered'", "DELETE FROM audit_log"],
    ids=["update", "delete"],
)
def test_the_audit_log_refuses_update_and_delete(
    database: Database, clock: Clock, statement: str
) -> None:
    with database.unit_of_work() as uow:
        access.audit(uow.session, None, "case_viewed", clock(), reference="VP-2026-0001")
        uow.commit()

    with database.unit_of_work() as uow, pytest.raises(DBAPIError, match="append-only"):
        uow.session.execute(text(statement))
        uow.commit()

    with database.session() as session:
        kept = session.scalars(select(AuditEntry)).all()
        assert [(e.action, e.case_reference) for e in kept] == [("case_viewed", "VP-2026-0001")]


# --- leave that routing honours --------------------------------------------------------


def test_routing_skips_an_advisor_on_leave_and_uses_them_again_after_it(
    database: Database, postman: Postman, clock: Clock
) -> None:
    seed_organisation(database, clock())  # Anna is the only female vertrouwenspersoon
    with database.unit_of_work() as uow:  # Monday 23 to Wednesday 25 November 2026
        anna = staff(uow.session, "anna")
        uow.session.add(Absence(advisor_id=anna.id, starts_on=date(2026, 11, 23),
                                ends_on=date(2026, 11, 25)))  # fmt: skip
        uow.commit()

    on_leave = open_one(database, postman, clock())
    anyone = open_one(database, postman, clock(), preferred_gender="none")
    # 23:30 in Amsterdam on the last day of leave is 22:30 UTC: still away.
    last_evening = open_one(database, postman, clock.now.replace(day=25, hour=22, minute=30))
    # 00:30 in Amsterdam the day after is still the 25th in UTC: back at work.
    back = open_one(database, postman, clock.now.replace(day=25, hour=23, minute=30))

    assert advisor_of(database, on_leave) is None  # a wish is never overruled: triage
    assert advisor_of(database, anyone) == "karim@example.org"
    assert advisor_of(database, last_evening) is None
    assert advisor_of(database, back) == "anna@example.org"
    with database.session() as session:
        waiting = session.scalars(select(Case.state).where(Case.reference == on_leave)).one()
    assert waiting == "needs_triage"


def test_leave_that_has_not_started_changes_nothing(
    database: Database, postman: Postman, clock: Clock
) -> None:
    seed_organisation(database, clock())
    with database.unit_of_work() as uow:
        anna = staff(uow.session, "anna")
        uow.session.add(Absence(advisor_id=anna.id, starts_on=date(2026, 11, 24),
                                ends_on=date(2026, 11, 30)))  # fmt: skip
        uow.commit()

    assert advisor_of(database, open_one(database, postman, clock())) == "anna@example.org"

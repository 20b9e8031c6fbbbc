"""One advisor, one side (seed 000) and repeat signals (seeds 000, 004), on both databases."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from jinja2 import TemplateNotFound
from sqlalchemy import select

from mailtemplates import RenderedMail, UnknownTemplateError, render
from tests.conftest import Clock, seed_organisation
from tests.outbox_reading import outbox
from workflow.db import Database, UnitOfWork
from workflow.models import (
    Advisor,
    Case,
    CaseExclusion,
    Event,
    Organisation,
    Person,
    Signal,
)
from workflow.outbox import Postman
from workflow.references import next_reference
from workflow.settings import Settings
from workflow.sides import (
    SideConflict,
    check_repeat,
    excluded_for_sides,
    exclusions_of,
    side_conflicts,
)

STAFF = (
    ("Anna", "female", "vertrouwenspersoon"),
    ("Karim", "male", "vertrouwenspersoon"),
    ("Coco", "female", "coordinator"),
    ("Dirk", "male", "coordinator"),
)
OTHER_STAFF = (("Bram", "male", "vertrouwenspersoon"), ("Dana", "female", "coordinator"))


def advisor(uow: UnitOfWork, name: str) -> Advisor:
    return uow.session.scalars(select(Advisor).where(Advisor.name == name)).one()


def add_case(
    uow: UnitOfWork,
    at: datetime,
    *,
    slug: str = "versa",
    client: str | None = None,
    email: str | None = None,
    counterpart: str | None = None,
    state: str = "in_progress",
    advisor_name: str | None = None,
) -> Case:
    """A case stored as intake would store it: sealed values with keyed hashes beside them."""
    session, vault = uow.session, uow.vault
    organisation = session.scalars(select(Organisation).where(Organisation.slug == slug)).one()
    person = None
    if client or email:
        person = Person(
            name_enc=vault.seal_optional(client), name_hash=vault.blind_index(client),
            email_enc=vault.seal_optional(email), email_hash=vault.blind_index(email),
            created_at=at,
        )  # fmt: skip
    case = Case(
        reference=next_reference(session, at.year), organisation=organisation, person=person,
        advisor=advisor(uow, advisor_name) if advisor_name else None, channel="web",
        kind="conduct", state=state, counterpart_name_enc=vault.seal_optional(counterpart),
        counterpart_hash=vault.blind_index(counterpart), created_at=at, updated_at=at,
    )  # fmt: skip
    session.add(case)
    session.flush()
    return case


def events_of(uow: UnitOfWork, case: Case, name: str) -> list[str]:
    statement = select(Event.detail).where(Event.case_id == case.id, Event.name == name)
    return list(uow.session.scalars(statement.order_by(Event.id)))


@pytest.fixture(autouse=True)
def staff(database: Database, clock: Clock) -> None:
    """Every test here starts in versa, with STAFF: two advisors and two coordinators."""
    seed_organisation(database, clock(), staff=STAFF)


# --- one advisor, one side -------------------------------------------------------------------


def test_a_counterpart_who_is_an_open_cases_client_excludes_that_cases_advisor(
    database: Database, clock: Clock
) -> None:
    with database.unit_of_work() as uow:
        first = add_case(uow, clock(), client="Johan de Vries", advisor_name="Anna")
        anna = advisor(uow, "Anna").id
        later = add_case(uow, clock(), client="Zwaantje", counterpart="  JOHAN   de  vries ")
        assert side_conflicts(uow.session, later) == [SideConflict(first.id, first.reference, anna)]
        assert excluded_for_sides(uow.session, later, clock()) == {anna}
        uow.commit()
    with database.unit_of_work() as uow:
        later = uow.session.get_one(Case, later.id)
        rows = uow.session.scalars(select(CaseExclusion)).all()
        assert [(r.case_id, r.advisor_id, r.reason) for r in rows] == [
            (later.id, anna, "other_side")
        ]
        assert events_of(uow, later, "other_side_excluded") == [
            f"advisor of {first.reference} supports the other side"
        ]
        assert events_of(uow, first, "other_side_excluded") == []  # the first stays where it is


def test_excluding_twice_adds_no_second_row_or_event(database: Database, clock: Clock) -> None:
    with database.unit_of_work() as uow:
        add_case(uow, clock(), client="Johan de Vries", advisor_name="Anna")
        later = add_case(uow, clock(), client="Zwaantje", counterpart="Johan de Vries")
        first_answer = excluded_for_sides(uow.session, later, clock())
        assert excluded_for_sides(uow.session, later, clock.advance(hours=1)) == first_answer
        uow.session.flush()
        assert len(uow.session.scalars(select(CaseExclusion)).all()) == 1
        assert len(events_of(uow, later, "other_side_excluded")) == 1


@pytest.mark.parametrize(
    ("client", "email", "earlier_counterpart"),
    [
        ("Zwaantje Pietersen", None, "zwaantje  PIETERSEN"),
        (None, "zwaantje@example.org", "Zwaantje@Example.org"),
    ],
    ids=["by-name", "by-email"],
)
def test_a_client_who_is_an_open_cases_counterpart_excludes_that_cases_advisor(
    database: Database,
    clock: Clock,
    client: str | None,
    email: str | None,
    earlier_counterpart: str,
) -> None:
    with database.unit_of_work() as uow:
        first = add_case(
            uow, clock(), client="Johan", counterpart=earlier_counterpart, advisor_name="Karim"
        )
        later = add_case(uow, clock(), client=client, email=email, counterpart="Someone Else")
        karim = advisor(uow, "Karim").id
        assert excluded_for_sides(uow.session, later, clock()) == {karim}
        assert events_of(uow, later, "other_side_excluded") == [
            f"advisor of {first.reference} supports the other side"
        ]


def test_the_other_side_is_found_in_another_organisation_too(
    database: Database, clock: Clock
) -> None:
    seed_organisation(database, clock(), staff=OTHER_STAFF, slug="anders")
    with database.unit_of_work() as uow:
        add_case(uow, clock(), slug="anders", client="Johan de Vries", advisor_name="Bram")
        later = add_case(uow, clock(), client="Zwaantje", counterpart="Johan de Vries")
        assert excluded_for_sides(uow.session, later, clock()) == {advisor(uow, "Bram").id}


@pytest.mark.parametrize("state", ["closed", "withdrawn", "referred", "anonymised"])
def test_a_case_that_is_no_longer_open_is_no_conflict(
    database: Database, clock: Clock, state: str
) -> None:
    with database.unit_of_work() as uow:
        add_case(uow, clock(), client="Johan de Vries", advisor_name="Anna", state=state)
        later = add_case(uow, clock(), client="Zwaantje", counterpart="Johan de Vries")
        assert side_conflicts(uow.session, later) == []
        assert excluded_for_sides(uow.session, later, clock()) == frozenset()
        assert events_of(uow, later, "other_side_excluded") == []


def test_missing_names_never_match_each_other(database: Database, clock: Clock) -> None:
    with database.unit_of_work() as uow:
        # no client data, no counterpart, and a client with an email only (no name hash)
        add_case(uow, clock(), advisor_name="Anna")
        add_case(uow, clock(), email="x@example.org", advisor_name="Karim")
        later = add_case(uow, clock(), email="zwaantje@example.org")
        nobody = add_case(uow, clock())
        assert side_conflicts(uow.session, later) == []
        assert side_conflicts(uow.session, nobody) == []
        assert excluded_for_sides(uow.session, later, clock()) == frozenset()


def test_the_case_itself_is_never_its_own_other_side(database: Database, clock: Clock) -> None:
    with database.unit_of_work() as uow:
        case = add_case(uow, clock(), client="Johan", counterpart="johan", advisor_name="Anna")
        assert side_conflicts(uow.session, case) == []


def test_an_other_side_without_an_advisor_is_reported_but_excludes_nobody(
    database: Database, clock: Clock
) -> None:
    with database.unit_of_work() as uow:
        first = add_case(uow, clock(), client="Johan de Vries", state="needs_triage")
        later = add_case(uow, clock(), client="Zwaantje", counterpart="Johan de Vries")
        assert side_conflicts(uow.session, later) == [SideConflict(first.id, first.reference, None)]
        assert excluded_for_sides(uow.session, later, clock()) == frozenset()
        assert events_of(uow, later, "other_side_excluded") == []


def test_all_exclusions_are_returned_declines_included(database: Database, clock: Clock) -> None:
    with database.unit_of_work() as uow:
        add_case(uow, clock(), client="Johan de Vries", advisor_name="Anna")
        later = add_case(uow, clock(), client="Zwaantje", counterpart="Johan de Vries")
        anna, karim = advisor(uow, "Anna").id, advisor(uow, "Karim").id
        uow.session.add(
            CaseExclusion(case_id=later.id, advisor_id=karim, reason="declined", created_at=clock())
        )
        uow.session.flush()
        assert exclusions_of(uow.session, later) == {karim}
        assert excluded_for_sides(uow.session, later, clock()) == {anna, karim}
        uow.session.flush()
        assert exclusions_of(uow.session, later) == {anna, karim}


# --- repeat signals --------------------------------------------------------------------------


@dataclass
class RecordingRenderer:
    """Records every call; renders with the real templates once they exist (they are new)."""

    calls: list[tuple[str, str, dict[str, object]]] = field(default_factory=list)

    def __call__(self, name: str, language: str, context: Mapping[str, object]) -> RenderedMail:
        self.calls.append((name, language, dict(context)))
        try:
            return render(name, language, context)
        except (UnknownTemplateError, TemplateNotFound):
            return RenderedMail(subject=f"{name} {context['reference']}", text="-\n", html="-\n")


@pytest.fixture
def renderer() -> RecordingRenderer:
    return RecordingRenderer()


@pytest.fixture
def signal_postman(settings: Settings, renderer: RecordingRenderer) -> Postman:
    return Postman(render=renderer, mail_from=settings.mail_from, base_url=settings.base_url)


def name_the_person(
    database: Database, postman: Postman, at: datetime, spelling: str, *, slug: str = "versa"
) -> tuple[str, int | None, int | None]:
    """A new case naming `spelling`, checked for repeats in its own transaction."""
    with database.unit_of_work() as uow:
        case = add_case(uow, at, slug=slug, client="A client", counterpart=spelling)
        signal = check_repeat(uow.session, uow.vault, postman, case, at)
        uow.commit()
        return case.reference, signal and signal.id, signal and signal.case_count


def signal_mails(database: Database) -> list[str]:
    """To whom a signal was mailed, in order."""
    return [sent.recipient for sent in outbox(database) if sent.template == "signal_raised"]


def assert_no_signal_for_johan(database: Database, postman: Postman, at: datetime) -> None:
    """Naming Johan once more raises no signal, and no coordinator has been mailed one."""
    assert name_the_person(database, postman, at, "Johan")[1] is None
    assert signal_mails(database) == []


def test_the_third_case_naming_one_person_raises_one_signal_for_the_coordinators(
    database: Database, signal_postman: Postman, renderer: RecordingRenderer, clock: Clock
) -> None:
    spellings = ["Johan de Vries", "johan DE vries", " Johan  de Vries ", "JOHAN DE VRIES"]
    references = []
    for spelling in spellings[:2]:
        reference, signal_id, _ = name_the_person(database, signal_postman, clock(), spelling)
        references.append(reference)
        assert signal_id is None
        clock.advance(days=30)
    assert signal_mails(database) == []

    third, signal_id, count = name_the_person(database, signal_postman, clock(), spellings[2])
    references.append(third)
    assert signal_id is not None and count == 3
    assert signal_mails(database) == ["coco@example.org", "dirk@example.org"]
    contexts = [c for name, _, c in renderer.calls if name == "signal_raised"]
    assert [c["coordinator_name"] for c in contexts] == ["Coco", "Dirk"]
    assert all(c["references"] == sorted(references) for c in contexts)
    assert all((c["case_count"], c["window_months"]) == (3, 12) for c in contexts)
    with database.unit_of_work() as uow:
        case = uow.session.scalars(select(Case).where(Case.reference == third)).one()
        assert events_of(uow, case, "signal_raised") == [
            "3 cases name the same person within 365 days"
        ]

    clock.advance(days=1)
    _, again, count = name_the_person(database, signal_postman, clock(), spellings[3])
    assert (again, count) == (signal_id, 4)
    assert len(signal_mails(database)) == 2  # an open signal is not mailed again
    with database.session() as session:
        signals = session.scalars(select(Signal)).all()
        assert [(s.status, s.case_count) for s in signals] == [("open", 4)]


def test_cases_older_than_the_window_do_not_count(
    database: Database, signal_postman: Postman, clock: Clock
) -> None:
    for days_ago in (400, 366, 10):
        name_the_person(database, signal_postman, clock() - timedelta(days=days_ago), "Johan")
    assert_no_signal_for_johan(database, signal_postman, clock())


def test_the_window_and_threshold_are_the_organisations_own(
    database: Database, signal_postman: Postman, clock: Clock
) -> None:
    with database.unit_of_work() as uow:
        organisation = uow.session.scalars(select(Organisation)).one()
        organisation.signal_threshold, organisation.signal_window_days = 2, 730
        uow.commit()
    name_the_person(database, signal_postman, clock() - timedelta(days=400), "Johan")
    assert name_the_person(database, signal_postman, clock(), "Johan")[2] == 2


def test_another_organisations_cases_do_not_count(
    database: Database, signal_postman: Postman, clock: Clock
) -> None:
    seed_organisation(database, clock(), staff=OTHER_STAFF, slug="anders")
    for slug in ("anders", "anders", "versa"):
        assert name_the_person(database, signal_postman, clock(), "Johan", slug=slug)[1] is None
    assert_no_signal_for_johan(database, signal_postman, clock())


def test_a_case_without_a_counterpart_never_raises_a_signal(
    database: Database, signal_postman: Postman, clock: Clock
) -> None:
    for _ in range(4):
        with database.unit_of_work() as uow:
            case = add_case(uow, clock(), client="A client")
            assert check_repeat(uow.session, uow.vault, signal_postman, case, clock()) is None

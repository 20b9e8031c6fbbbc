"""The figures of a period (workflow.reports) and their suppression (workflow.suppression).

On a generated data set whose true counts are worked out by hand below. Times are Amsterdam local:
2026-07-01 00:30 is 2026-06-30 22:30 UTC (summer time), so the period boundaries are tested
where UTC and local time disagree. Suppression is tested as an attacker would try it:
subtract, and solve the published sums as linear equations.
"""

from __future__ import annotations

import itertools
import json
import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from reports.csv_json import render_json
from tests.conftest import START
from workflow.db import Database
from workflow.models import Case, Evaluation, Event, Organisation, Signal
from workflow.reports import (
    ALL,
    HIDDEN,
    MARKS,
    NOT_SHOWN,
    TABLES,
    TOO_FEW,
    BadPeriod,
    Period,
    Report,
    Tally,
    UnknownOrganisation,
    build,
    organisations,
    periods_with_data,
    publish,
    tally,
)
from workflow.suppression import Sum, suppress

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    """A moment given in Amsterdam time, as UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM).astimezone(UTC)


@dataclass(frozen=True)
class Made:
    """One case of the data set, with only what a report may read."""

    created: datetime
    channel: str = "web"
    kind: str = "conduct"
    reason: str | None = None
    state: str = "in_progress"
    first_contact_days: float | None = None
    closed: datetime | None = None
    support: str | None = None
    outcome: str | None = None
    filed: datetime | None = None
    deadline: datetime | None = None
    extended: bool = False
    marks: tuple[tuple[str, datetime], ...] = ()


def versa_cases() -> list[Made]:
    """Versa's cases: 19 contacts in 2026-Q3, 26 in 2026 (see the expected figures below)."""
    made = [  # A: 8 closed in Q3 after exactly 10 days
        Made(at(2026, 7, 6 + i), "web", "conduct", "unwanted_conduct", "closed", 1,
             at(2026, 7, 16 + i), "listening", "resolved")
        for i in range(8)
    ]  # fmt: skip
    made += [  # B: 6 formal complaints filed in Q3, closed in Q4; one term passed, two extended
        Made(at(2026, 7, 20 + i), "email", "complaint", "quality_of_service", "closed", 3,
             at(2026, 10, 15), "complaint_support", "formal_complaint", at(2026, 8, 10),
             at(2026, 9, 21), extended=i < 2,
             marks=(("legal_term_passed", at(2026, 9, 22)),) if i == 5 else ())
        for i in range(6)
    ]  # fmt: skip
    made += [Made(at(2026, 8, 3 + i), "email", "question", None, "triage") for i in range(2)]  # C
    made += [
        Made(at(2026, 9, 30, 23, 30), "web", "conduct", "discrimination", "received"),  # D: Q3
        Made(at(2026, 7, 1, 0, 30), "email", "unknown", None, "withdrawn",  # E: Q3, withdrawn
             marks=(("withdraw", at(2026, 7, 3)),)),
        Made(at(2026, 8, 1), "web", "question", state="not_a_case",  # F: no contact
             marks=(("dismiss", at(2026, 8, 1, 13)),)),
        Made(at(2026, 8, 2), "email", "unknown", state="anonymised",  # G: no contact either
             marks=(("dismiss", at(2026, 8, 2, 13)),)),
        Made(at(2026, 6, 30, 23, 30), "web", "conduct", "communication", "closed", 1,  # H: Q2
             at(2026, 7, 10), "information", "advice_given"),
        Made(at(2026, 10, 1, 0, 30), "web", "conduct", None, "in_progress"),  # I: Q4
        Made(at(2026, 7, 2), "web", "conduct", "conflict", "in_progress",  # L: reopened
             closed=at(2026, 7, 20)),
        Made(at(2025, 8, 1), "email", "complaint", "privacy", "closed", 1, at(2025, 9, 1),
             "referral", "referred"),  # K: the year before
    ]  # fmt: skip
    made += [  # J: 5 in Q1, closed after 18 days
        Made(at(2026, 2, 2 + i), "web", "conduct", "bullying", "closed", 2, at(2026, 2, 20 + i),
             "mediation", "partly_resolved")
        for i in range(5)
    ]  # fmt: skip
    return made


def oost_cases() -> list[Made]:
    """A second provider of the same municipality (seed 004): 8 contacts in 2026-Q3."""
    made = [Made(at(2026, 8, 10 + i), "web", "question", "information", "triage", 2)
            for i in range(7)]  # fmt: skip
    return [*made, Made(at(2026, 9, 1), "email", "complaint", "privacy", "received")]


# (experience, useful, advice themes, period): how many; plus free text that must never show
EVALUATIONS = (
    (4, "yes", "listen_better,faster_response", "2026-Q3", 6),
    (2, "no", "staff_conduct", "2026-Q3", 1),
    (None, None, "", "2026-Q3", 1),
    (5, "partly", "nothing", "2026-Q1", 5),
)
FREE_TEXT = "Mevrouw Jansen van afdeling B moet weg"
SIGNALS = (at(2026, 8, 15), at(2026, 3, 1), at(2025, 5, 5))


def add_organisation_row(database: Database, slug: str, name: str, now: datetime) -> None:
    with database.unit_of_work() as uow:
        uow.session.add(Organisation(slug=slug, name=name, created_at=now))
        uow.commit()


def store(database: Database, slug: str, cases: list[Made], *, with_extras: bool = True) -> None:
    """Write the cases (and, for Versa, evaluations and signals) straight into the tables."""
    with database.unit_of_work() as uow:
        session = uow.session
        organisation = session.scalars(select(Organisation).where(Organisation.slug == slug)).one()
        for number, made in enumerate(cases, start=1):
            session.add(_case(organisation, number, made))
        if with_extras:
            for experience, useful, themes, period, count in EVALUATIONS:
                session.add_all(
                    Evaluation(organisation_id=organisation.id, kind="conduct", period=period,
                               experience=experience, useful=useful, advice_themes=themes,
                               advice_enc=uow.vault.seal(FREE_TEXT))
                    for _ in range(count)
                )  # fmt: skip
            session.add_all(
                Signal(organisation_id=organisation.id, counterpart_hash=f"h{i}", case_count=3,
                       raised_at=raised)
                for i, raised in enumerate(SIGNALS)
            )  # fmt: skip
        uow.commit()


def _case(organisation: Organisation, number: int, made: Made) -> Case:
    first = (
        made.created + timedelta(days=made.first_contact_days)
        if made.first_contact_days is not None
        else None
    )
    case = Case(
        reference=f"VP-{organisation.slug[:4].upper()}-{number:04d}", organisation=organisation,
        channel=made.channel, kind=made.kind, state=made.state, reason_category=made.reason,
        support_form=made.support, outcome=made.outcome, created_at=made.created,
        updated_at=made.created, first_contact_at=first, closed_at=made.closed,
        complaint_filed_at=made.filed, complaint_deadline_at=made.deadline,
        is_deadline_extended=made.extended,
    )  # fmt: skip
    case.events = [Event(at=when, name=name) for name, when in made.marks]
    return case


# --- what the data set holds, worked out by hand ------------------------------------------

VERSA_Q3 = {
    "channel": {"email": 9, "web": 10, "other": 0},
    "kind": {"complaint": 6, "conduct": 10, "question": 2, "unknown": 1},
    "reason": {"unwanted_conduct": 8, "quality_of_service": 6, "discrimination": 1,
               "conflict": 1, "not_recorded": 3},
    "ending": {"closed": 9, "withdrawn": 1, "referred": 0},
    "support_form": {"listening": 8, "information": 1, "not_recorded": 1},
    "outcome": {"resolved": 8, "advice_given": 1, "not_recorded": 1},
    "complaint_term": {"held": 5, "passed": 1, "running": 0},
    "complaint_extended": {"extended": 2, "not_extended": 4},
    "experience": {"4": 6, "2": 1, "not_answered": 1},
    "useful": {"yes": 6, "no": 1, "not_answered": 1},
    "advice": {"listen_better": 6, "faster_response": 6, "staff_conduct": 1},
    "signals": {"raised": 1},
}  # fmt: skip
VERSA_2026 = {
    "channel": {"email": 9, "web": 17, "other": 0},
    "kind": {"complaint": 6, "conduct": 17, "question": 2, "unknown": 1},
    "reason": {"unwanted_conduct": 8, "quality_of_service": 6, "discrimination": 1,
               "conflict": 1, "communication": 1, "bullying": 5, "not_recorded": 4},
    "ending": {"closed": 20, "withdrawn": 1, "referred": 0},
    "support_form": {"listening": 8, "information": 1, "complaint_support": 6, "mediation": 5,
                     "not_recorded": 1},
    "outcome": {"resolved": 8, "advice_given": 1, "formal_complaint": 6, "partly_resolved": 5,
                "not_recorded": 1},
    "complaint_term": {"held": 5, "passed": 1, "running": 0},
    "complaint_extended": {"extended": 2, "not_extended": 4},
    "experience": {"4": 6, "2": 1, "5": 5, "not_answered": 1},
    "useful": {"yes": 6, "partly": 5, "no": 1, "not_answered": 1},
    "advice": {"listen_better": 6, "faster_response": 6, "staff_conduct": 1, "nothing": 5},
    "signals": {"raised": 2},
}  # fmt: skip
# Medians in days: Q3 first contact 8 x 1 and 6 x 3; closing 8 x 10 and 9.52 (H, created
# 30 June 23:30). The year adds H (1), J (5 x 2) to first contact and B (82..87), J (5 x 18)
# to closing.
VERSA_Q3_DAYS = {"first_contact": 1.0, "closing": 10.0}
VERSA_2026_DAYS = {"first_contact": 2.0, "closing": 18.0}


# --- helpers ------------------------------------------------------------------------------

TODAY = date(2026, 11, 23)
Q3, YEAR = Period.parse("2026-Q3"), Period.parse("2026")


@pytest.fixture
def versa(database: Database) -> Database:
    """The data set in a migrated database (SQLite and PostgreSQL)."""
    add_organisation_row(database, "versa", "Versa Welzijn", START)
    store(database, "versa", versa_cases())
    return database


def tally_of(database: Database, slug: str, period: Period) -> Tally:
    with database.session() as session:
        [organisation] = organisations(session, [slug])
        return tally(session, organisation, period)


def report_of(database: Database, slugs: list[str], period: Period) -> Report:
    with database.session() as session:
        return build(session, slugs, period, TODAY)


def nonzero(counts: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, int]]:
    return {table: {k: v for k, v in row.items() if v} for table, row in counts.items()}


def published(report: Report, table: str, column: int = 0) -> dict[str, int | str]:
    """One column of a table as a reader sees it: numbers, "<5", and the total."""
    [found] = [t for t in report.tables if t.key == table]
    rows = [*found.rows, *([found.total] if found.total else [])]
    return {row.key: HIDDEN if row.counts[column] is None else row.counts[column] for row in rows}


def figure(report: Report, key: str, column: int = 0) -> float | str | None:
    [found] = [m for m in report.measures if m.key == key]
    shown = found.figures[column]
    return shown.value if shown.value is not None else shown.why_not


# --- periods ------------------------------------------------------------------------------


def test_a_period_is_a_quarter_or_a_year_in_the_organisations_time() -> None:
    assert Period.parse(" 2026-q3 ") == Period(2026, 3) and str(Period.parse("2026")) == "2026"
    assert Period(2026, 3).bounds("Europe/Amsterdam") == (
        datetime(2026, 6, 30, 22, 0, tzinfo=UTC),
        datetime(2026, 9, 30, 22, 0, tzinfo=UTC),
    )
    assert Period(2026, 1).bounds("Europe/Amsterdam")[0] == datetime(
        2025, 12, 31, 23, 0, tzinfo=UTC
    )  # winter time
    assert Period(2026).bounds("Europe/Amsterdam")[1] == datetime(2026, 12, 31, 23, 0, tzinfo=UTC)
    assert Period(2026).quarters == ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")
    for bad in ("2026-Q5", "2026-3", "Q3", "26", "2026-Q3-01", "1999", ""):
        with pytest.raises(BadPeriod):
            Period.parse(bad)


# --- the true figures ---------------------------------------------------------------------


@pytest.mark.parametrize(("period", "expected", "days"),
                         [(Q3, VERSA_Q3, VERSA_Q3_DAYS), (YEAR, VERSA_2026, VERSA_2026_DAYS)],
                         ids=["quarter", "year"])  # fmt: skip
def test_the_true_figures_of_the_data_set(
    versa: Database, period: Period, expected: dict[str, dict[str, int]], days: dict[str, float]
) -> None:
    found = tally_of(versa, "versa", period)

    assert nonzero(found.counts) == nonzero(expected)
    assert {name: statistics.median(values) for name, values in found.days.items()} == (
        pytest.approx(days))  # fmt: skip


def test_boundaries_of_a_quarter_follow_amsterdam_time(database: Database) -> None:
    add_organisation_row(database, "versa", "Versa Welzijn", START)
    store(database, "versa", [
        Made(at(2026, 6, 30, 23, 30), channel="email"),  # 21:30 UTC: Q2
        Made(at(2026, 7, 1, 0, 30)),  # 30 June 22:30 UTC: Q3
        Made(at(2026, 9, 30, 23, 30)),  # 21:30 UTC: Q3
        Made(at(2026, 10, 1, 0, 30), channel="email"),  # 30 September 22:30 UTC: Q4
    ], with_extras=False)  # fmt: skip

    assert tally_of(database, "versa", Q3).counts["channel"] == {"email": 0, "web": 2, "other": 0}
    assert tally_of(database, "versa", Period(2026, 2)).counts["channel"]["email"] == 1
    assert tally_of(database, "versa", Period(2026, 4)).counts["channel"]["email"] == 1


def test_the_figures_are_the_same_after_old_cases_are_anonymised(versa: Database) -> None:
    before = [tally_of(versa, "versa", p) for p in (Q3, YEAR)]
    with versa.unit_of_work() as uow:  # what anonymisation keeps: the report's columns, marks
        for case in uow.session.scalars(select(Case)):
            case.person_id = case.advisor_id = case.counterpart_name_enc = None
            case.counterpart_hash = case.counterpart_role_enc = case.classification = None
            case.submission_hash = case.path_step = case.evaluation_state = None
            if case.state in ("closed", "withdrawn", "not_a_case", "referred"):
                case.state = "anonymised"
                case.anonymised_at = START
            case.events = [e for e in case.events if e.name in MARKS]
            for event in case.events:
                event.detail, event.actor = "", "system"
        uow.commit()

    assert [tally_of(versa, "versa", p) for p in (Q3, YEAR)] == before


def test_unknown_organisations_are_refused(versa: Database) -> None:
    with versa.session() as session, pytest.raises(UnknownOrganisation, match="nope"):
        organisations(session, ["versa", "nope"])


def test_periods_offered_run_from_the_first_case_to_now(versa: Database) -> None:
    with versa.session() as session:
        ids = [o.id for o in organisations(session, ["versa"])]
        offered = [str(p) for p in periods_with_data(session, ids, TODAY)]

    assert offered[:6] == ["2026", "2026-Q4", "2026-Q3", "2026-Q2", "2026-Q1", "2025"]
    assert offered[-1] == "2025-Q3"  # case K, August 2025


# --- what is published --------------------------------------------------------------------


def test_the_published_quarter_hides_small_counts_and_what_gives_them_away(
    versa: Database,
) -> None:
    report = report_of(versa, ["versa"], Q3)

    assert published(report, "channel") == {"email": 9, "web": 10, "other": 0, "total": 19}
    assert nonzero_or_hidden(published(report, "kind")) == {
        "complaint": 6,
        "conduct": 10,
        "question": HIDDEN,
        "unknown": HIDDEN,
        "total": 19,
    }
    assert nonzero_or_hidden(published(report, "reason")) == {
        "unwanted_conduct": 8, "quality_of_service": 6, "discrimination": HIDDEN,
        "conflict": HIDDEN, "not_recorded": HIDDEN, "total": 19}  # fmt: skip
    # withdrawn 1 alone would be 10 - 9: the closed count goes too
    assert published(report, "ending") == {"closed": HIDDEN, "withdrawn": HIDDEN, "referred": 0,
                                           "total": 10}  # fmt: skip
    # two hidden cells of 1 each would be (10 - 8) / 2: the 8 goes too
    assert nonzero_or_hidden(published(report, "support_form")) == {
        "listening": HIDDEN,
        "information": HIDDEN,
        "not_recorded": HIDDEN,
        "total": 10,
    }
    assert nonzero_or_hidden(published(report, "complaint_term")) == {
        "held": HIDDEN,
        "passed": HIDDEN,
        "total": 6,
    }
    assert published(report, "complaint_extended") == {
        "extended": HIDDEN,
        "not_extended": HIDDEN,
        "total": 6,
    }
    assert nonzero_or_hidden(published(report, "advice")) == {
        "listen_better": 6,
        "faster_response": 6,
        "staff_conduct": HIDDEN,
    }
    assert published(report, "signals") == {"raised": HIDDEN}
    assert figure(report, "first_contact_days") == 1.0
    assert figure(report, "closing_days") == NOT_SHOWN  # rests on the hidden closed count
    assert figure(report, "useful_share") == NOT_SHOWN


def test_the_published_year(versa: Database) -> None:
    report = report_of(versa, ["versa"], YEAR)

    assert published(report, "channel") == {"email": 9, "web": 17, "other": 0, "total": 26}
    assert nonzero_or_hidden(published(report, "support_form")) == {
        "listening": 8, "information": HIDDEN, "complaint_support": 6, "mediation": HIDDEN,
        "not_recorded": HIDDEN, "total": 21}  # fmt: skip
    assert nonzero_or_hidden(published(report, "useful")) == {
        "yes": 6,
        "partly": HIDDEN,
        "no": HIDDEN,
        "not_answered": HIDDEN,
        "total": 13,
    }
    assert nonzero_or_hidden(published(report, "advice")) == {
        "listen_better": 6,
        "faster_response": 6,
        "staff_conduct": HIDDEN,
        "nothing": 5,
    }
    assert figure(report, "first_contact_days") == 2.0
    assert figure(report, "useful_share") == NOT_SHOWN


def nonzero_or_hidden(row: dict[str, int | str]) -> dict[str, int | str]:
    return {k: v for k, v in row.items() if v != 0}


def test_several_organisations_are_suppressed_per_organisation_and_together(
    versa: Database,
) -> None:
    add_organisation_row(versa, "oost", "Wijkteam Oost", START)
    store(versa, "oost", oost_cases(), with_extras=False)
    report = report_of(versa, ["versa", "oost"], Q3)

    assert [c.key for c in report.columns] == ["versa", "oost", ALL]
    # Oost's one e-mail would be 8 - 7; hiding the 7 exposes Versa's web in the column, and so on
    assert [published(report, "channel", i) for i in range(3)] == [
        {"email": HIDDEN, "web": HIDDEN, "other": 0, "total": 19},
        {"email": HIDDEN, "web": HIDDEN, "other": 0, "total": 8},
        {"email": 10, "web": 17, "other": 0, "total": 27},
    ]
    assert figure(report, "first_contact_days", 1) == 2.0  # Oost: 7 x 2 days
    assert figure(report, "first_contact_days", 2) == 2.0  # 8 x 1, 7 x 2, 6 x 3


def test_a_derived_figure_needs_five_cases_and_visible_counts() -> None:
    def tally_with(useful: dict[str, int], closing: tuple[float, ...]) -> Tally:
        counts = {spec.key: dict.fromkeys(spec.categories, 0) for spec in TABLES}
        counts["useful"].update(useful)
        counts["ending"]["closed"] = len(closing)
        return Tally("versa", "Versa", counts, {"first_contact": (), "closing": closing})

    enough = publish([tally_with({"yes": 6, "partly": 5, "no": 9}, (1, 2, 3, 4, 5))], Q3, TODAY)
    few = publish([tally_with({"yes": 6, "partly": 0, "no": 0}, (1.0,) * 4)], Q3, TODAY)
    hidden = publish([tally_with({"yes": 6, "partly": 2, "no": 9}, ())], Q3, TODAY)

    assert figure(enough, "useful_share") == pytest.approx(30.0)
    assert figure(enough, "useful_in_part_share") == pytest.approx(55.0)
    assert figure(enough, "closing_days") == 3
    assert figure(few, "closing_days") == NOT_SHOWN  # 4 closed: the count itself is hidden
    assert figure(few, "first_contact_days") == TOO_FEW
    assert figure(hidden, "useful_share") == NOT_SHOWN


# --- suppression, as an attacker tries it ---------------------------------------------------


def solved_by_attacker(values: Mapping[Any, int], sums: list[Sum[Any]],
                       hidden: frozenset[Any]) -> set[Any]:  # fmt: skip
    """The hidden cells that the published sums fix, by rank: x is fixed exactly when adding
    the equation "x = c" does not raise the rank of the system (written apart from the code)."""
    unknowns = sorted(hidden, key=repr)
    rows = []
    for line in sums:
        row = [Fraction(0)] * len(unknowns)
        for sign, key in [(1, p) for p in line.parts] + [(-1, line.total)]:
            if key in hidden:
                row[unknowns.index(key)] += sign
        rows.append(row)
    base = rank(rows)
    fixed = set()
    for i, key in enumerate(unknowns):
        unit = [Fraction(int(j == i)) for j in range(len(unknowns))]
        if rank([*rows, unit]) == base:
            fixed.add(key)
    return fixed


def rank(rows: list[list[Fraction]]) -> int:
    matrix = [list(r) for r in rows if any(r)]
    found = 0
    columns = len(matrix[0]) if matrix else 0
    for column in range(columns):
        pivot = next((r for r in range(found, len(matrix)) if matrix[r][column]), None)
        if pivot is None:
            continue
        matrix[found], matrix[pivot] = matrix[pivot], matrix[found]
        for r in range(len(matrix)):
            if r != found and matrix[r][column]:
                factor = matrix[r][column] / matrix[found][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[found], strict=True)]
        found += 1
    return found


def assert_nothing_recoverable(values: Mapping[Any, int], sums: list[Sum[Any]],
                               hidden: frozenset[Any]) -> None:  # fmt: skip
    assert all(key in hidden for key, value in values.items() if 0 < value < 5)
    assert all(values[key] > 0 for key in hidden), "a 0 is never hidden: it reveals nothing"
    for line in sums:
        shut = [k for k in (*line.parts, line.total) if k in hidden]
        assert len(shut) != 1, f"total minus the visible cells gives {shut}"
        if shut and line.total not in hidden:  # each hidden cell is at least 1
            assert sum(values[k] for k in shut) > len(shut), f"{shut} can only all be 1"
    assert solved_by_attacker(values, sums, hidden) == set()


def table_2d(cells: list[list[int]]) -> tuple[dict[str, int], list[Sum[str]]]:
    """A table with row totals, column totals and the grand total, as cells and sums."""
    values: dict[str, int] = {}
    sums: list[Sum[str]] = []
    for r, row in enumerate(cells):
        values.update({f"{r},{c}": v for c, v in enumerate(row)})
        values[f"{r},T"] = sum(row)
        sums.append(Sum(f"{r},T", tuple(f"{r},{c}" for c in range(len(row)))))
    for c in range(len(cells[0])):
        values[f"T,{c}"] = sum(row[c] for row in cells)
        sums.append(Sum(f"T,{c}", tuple(f"{r},{c}" for r in range(len(cells)))))
    values["T,T"] = sum(map(sum, cells))
    sums.append(Sum("T,T", tuple(f"{r},T" for r in range(len(cells)))))
    sums.append(Sum("T,T", tuple(f"T,{c}" for c in range(len(cells[0])))))
    return values, sums


COUNTS = st.one_of(st.integers(0, 5), st.integers(0, 40))


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 5).flatmap(lambda width: st.lists(
    st.lists(COUNTS, min_size=width, max_size=width), min_size=1, max_size=5)))  # fmt: skip
def test_no_hidden_cell_of_a_table_can_be_worked_out(cells: list[list[int]]) -> None:
    values, sums = table_2d(cells)

    assert_nothing_recoverable(values, sums, suppress(values, sums))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(COUNTS, min_size=1, max_size=6), min_size=2, max_size=4),
       st.integers(0, 40))  # fmt: skip
def test_no_hidden_cell_can_be_worked_out_across_tables_that_share_a_total(
    tables: list[list[int]], extra: int
) -> None:
    """Several breakdowns of the same contacts (channel, kind, reason) share one total."""
    total = max(sum(t) for t in tables) + extra
    values: dict[str, int] = {"total": total}
    sums: list[Sum[str]] = []
    for i, table in enumerate(tables):
        parts = [*table, total - sum(table)]  # each breakdown adds up to the same total
        values.update({f"{i}.{j}": v for j, v in enumerate(parts)})
        sums.append(Sum("total", tuple(f"{i}.{j}" for j in range(len(parts)))))

    assert_nothing_recoverable(values, sums, suppress(values, sums))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 9), min_size=1, max_size=5))
def test_a_single_row_keeps_every_hidden_cell_open_by_brute_force(row: list[int]) -> None:
    """Try every filling of the hidden cells (each at least 1): each takes two values or more."""
    values = {str(i): v for i, v in enumerate(row)} | {"T": sum(row)}
    line = Sum("T", tuple(str(i) for i in range(len(row))))
    hidden = suppress(values, [line])
    if not hidden or "T" in hidden:
        return  # nothing hidden, or the total too: nothing to subtract from
    shut = sorted(hidden)
    room = values["T"] - sum(v for k, v in values.items() if k not in hidden and k != "T")
    fillings = [f for f in itertools.product(range(1, room + 1), repeat=len(shut))
                if sum(f) == room]  # fmt: skip
    for i in range(len(shut)):
        assert len({f[i] for f in fillings}) >= 2, (row, shut)


def test_the_attacker_recovers_nothing_from_a_real_report(versa: Database) -> None:
    """The JSON of the two-organisation report: subtract every visible cell from every total,
    and solve all published sums together; no "<5" is ever pinned down."""
    add_organisation_row(versa, "oost", "Wijkteam Oost", START)
    store(versa, "oost", oost_cases(), with_extras=False)
    document = json.loads(render_json(report_of(versa, ["versa", "oost"], Q3), "nl"))
    cells = {
        (row["key"], row["organisation"]): row["value"]
        for row in document["rows"]
        if "." in row["key"]
    }  # counts are "table.category"; figures have no dot
    hidden = frozenset(key for key, value in cells.items() if value == HIDDEN)
    assert hidden and not any(isinstance(v, str) and v != HIDDEN for v in cells.values())
    sums = attacker_sums(cells)
    values = {key: 0 if key in hidden else int(value) for key, value in cells.items()}

    for line in sums:  # total minus the visible cells
        shut = [k for k in (*line.parts, line.total) if k in hidden]
        assert len(shut) != 1, f"{shut} = total - visible"
    assert solved_by_attacker(values, sums, hidden) == set()
    assert all(FREE_TEXT not in json.dumps(row) for row in document["rows"])


def attacker_sums(cells: Mapping[tuple[str, str], object]) -> list[Sum[tuple[str, str]]]:
    """What a reader knows adds up: rows to the table's total, organisations to "all"."""
    organisations_ = sorted({org for _, org in cells if org != ALL})
    by_table: dict[str, list[str]] = {}
    for key, _ in cells:
        table, category = key.split(".")
        if category != "total" and category not in by_table.setdefault(table, []):
            by_table[table].append(category)
    sums = []
    for table, categories in by_table.items():
        for org in [*organisations_, ALL]:
            if (f"{table}.total", org) in cells:
                sums.append(Sum((f"{table}.total", org),
                                tuple((f"{table}.{c}", org) for c in categories)))  # fmt: skip
        for category in [*categories, "total"]:
            key = f"{table}.{category}"
            if (key, ALL) in cells:
                sums.append(Sum((key, ALL), tuple((key, o) for o in organisations_)))
    return sums

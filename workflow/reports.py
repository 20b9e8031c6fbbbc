"""The anonymised report of a period: its true figures per organisation, then what may be shown.

Which date puts a case in the period (a quarter "2026-Q3" or a year "2026", in the
organisation's own time zone, `Organisation.timezone`):

- contacts (new cases by channel, kind and reason; time to first contact): the date the case
  was created. A message a coordinator set aside as not a case (state `not_a_case`, or its
  `dismiss` event once anonymised) is no contact; a withdrawn case is one: someone asked
  for help.
- endings (how, form of support, outcome; time to closing): the date the case ended, that is
  `closed_at`, or the last `withdraw` or `refer` event; a case reopened and open again has
  not ended. Time to closing counts the closed ones.
- formal complaints: the date filed (`complaint_filed_at`), with the legal term as it stood at
  the end of the period: passed (a `legal_term_passed` event by then), held (the deadline
  came before the end of the period without one), or still running.
- evaluations: their quarter (nothing finer is kept); signals: the date raised.

Only the columns and event names that anonymisation keeps are read (seed 000: the report is
anonymous), so a period gives the same figures before and after old cases are anonymised.

Publishing (`publish`): every count and every sum a reader could use go through
`workflow.suppression` (a count of 1 to 4 is published as "<5", and whatever would let one
work it out is hidden too). Derived figures (medians, shares, means) are shown only when
every count they rest on is visible and they rest on 5 or more.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.elements import ColumnElement

from workflow import states
from workflow.models import Case, Evaluation, Event, Organisation, Signal
from workflow.suppression import SMALLEST_SHOWN, Sum, suppress
from workflow.vocabulary import (
    ADVICE_THEMES,
    OUTCOMES,
    REASON_CATEGORIES,
    SUPPORT_FORMS,
    USEFUL_ANSWERS,
)

HIDDEN = "<5"  # a suppressed count, in every format
TOO_FEW = "<5 cases"  # a derived figure that rests on fewer than 5 cases
NOT_SHOWN = "hidden"  # a derived figure that would reveal a hidden count
TOTAL, ALL = "total", "all"
NOT_RECORDED, NOT_ANSWERED = "not_recorded", "not_answered"
SECTIONS = ("contacts", "endings", "complaints", "evaluations", "signals")
MARKS = ("dismiss", "withdraw", "refer", "legal_term_passed")  # event names read


class BadPeriod(ValueError):
    """Not a quarter (2026-Q3) or a year (2026)."""


class UnknownOrganisation(LookupError):
    """No organisation has this slug."""


# --- the period ------------------------------------------------------------------------------

_PERIOD = re.compile(r"(\d{4})(?:-Q([1-4]))?")


@dataclass(frozen=True)
class Period:
    """A quarter or a whole year: nothing finer is ever reported."""

    year: int
    quarter: int | None = None

    @classmethod
    def parse(cls, text: str) -> Period:
        found = _PERIOD.fullmatch(text.strip().upper())
        if found is None or not 2000 <= int(found[1]) <= 2999:
            raise BadPeriod(f"period {text!r}: expected a quarter such as 2026-Q3 or a year")
        return cls(int(found[1]), int(found[2]) if found[2] else None)

    def __str__(self) -> str:
        return f"{self.year}-Q{self.quarter}" if self.quarter else str(self.year)

    @property
    def quarters(self) -> tuple[str, ...]:
        """The evaluation periods it covers."""
        numbers = (self.quarter,) if self.quarter else (1, 2, 3, 4)
        return tuple(f"{self.year}-Q{n}" for n in numbers)

    def bounds(self, timezone: str) -> tuple[datetime, datetime]:
        """The first moment in the period and the first after it, in UTC."""
        zone = ZoneInfo(timezone)
        first = 3 * (self.quarter - 1) + 1 if self.quarter else 1
        after = first + (3 if self.quarter else 12)
        start = datetime(self.year, first, 1, tzinfo=zone)
        end = datetime(self.year + (after - 1) // 12, (after - 1) % 12 + 1, 1, tzinfo=zone)
        return start.astimezone(UTC), end.astimezone(UTC)


# --- what is counted: tables over one population each ---------------------------------------


@dataclass(frozen=True)
class TableSpec:
    """One table: its categories partition `population` (None: cells without a total)."""

    key: str
    section: str
    categories: tuple[str, ...]
    population: str | None


TABLES: tuple[TableSpec, ...] = (
    TableSpec("channel", "contacts", ("email", "web", "other"), "contacts"),
    TableSpec("kind", "contacts", ("complaint", "conduct", "question", "unknown"), "contacts"),
    TableSpec("reason", "contacts", (*REASON_CATEGORIES, NOT_RECORDED), "contacts"),
    TableSpec("ending", "endings", ("closed", "withdrawn", "referred"), "endings"),
    TableSpec("support_form", "endings", (*SUPPORT_FORMS, NOT_RECORDED), "endings"),
    TableSpec("outcome", "endings", (*OUTCOMES, NOT_RECORDED), "endings"),
    TableSpec("complaint_term", "complaints", ("held", "passed", "running"), "complaints"),
    TableSpec("complaint_extended", "complaints", ("extended", "not_extended"), "complaints"),
    TableSpec("experience", "evaluations", (*"12345", NOT_ANSWERED), "evaluations"),
    TableSpec("useful", "evaluations", (*USEFUL_ANSWERS, NOT_ANSWERED), "evaluations"),
    # An evaluation may name several themes: no total, each theme is a count of its own.
    TableSpec("advice", "evaluations", tuple(ADVICE_THEMES), None),
    TableSpec("signals", "signals", ("raised",), None),
)
SPECS = {spec.key: spec for spec in TABLES}
_FALLBACK = {"channel": "other", "kind": "unknown"}  # where a value outside the list goes


@dataclass(frozen=True)
class Tally:
    """One organisation's (or all together) true figures: never published as they are."""

    slug: str
    name: str
    counts: Mapping[str, Mapping[str, int]]  # table -> category -> count
    days: Mapping[str, tuple[float, ...]]  # "first_contact" / "closing" -> durations in days

    def total(self, spec: TableSpec) -> int:
        return sum(self.counts[spec.key].values())


@dataclass(frozen=True)
class _Facts:
    """The columns of a case that anonymisation keeps, and its marks (event name -> times)."""

    channel: str
    kind: str
    reason_category: str | None
    support_form: str | None
    outcome: str | None
    state: str
    created_at: datetime
    first_contact_at: datetime | None
    closed_at: datetime | None
    complaint_filed_at: datetime | None
    complaint_deadline_at: datetime | None
    is_deadline_extended: bool
    marks: Mapping[str, tuple[datetime, ...]]

    @property
    def is_contact(self) -> bool:
        return self.state != states.NOT_A_CASE and "dismiss" not in self.marks

    def ending(self) -> tuple[str, datetime] | None:
        """How and when the case ended, if it has."""
        if self.state in states.OPEN_STATES or not self.is_contact:
            return None
        ends = [("closed", self.closed_at)] if self.closed_at else []
        ends += [(how, at) for name, how in (("withdraw", "withdrawn"), ("refer", "referred"))
                 for at in self.marks.get(name, ())]  # fmt: skip
        return max(ends, key=lambda end: end[1]) if ends else None


def _bucket(table: str, value: str | None) -> str:
    if value in SPECS[table].categories:
        return str(value)
    return _FALLBACK.get(table, NOT_RECORDED)


def _days(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 86400


# --- gathering: one organisation, one period ---------------------------------------------


def organisations(session: Session, slugs: Iterable[str]) -> list[Organisation]:
    """The organisations by slug, in the order given (each once); UnknownOrganisation if not."""
    found: list[Organisation] = []
    for slug in dict.fromkeys(s.strip().lower() for s in slugs):
        organisation = session.scalar(select(Organisation).where(Organisation.slug == slug))
        if organisation is None:
            raise UnknownOrganisation(f"no organisation with slug {slug!r}")
        found.append(organisation)
    return found


def tally(session: Session, organisation: Organisation, period: Period) -> Tally:
    """Count one organisation's period (see the module docstring for which date counts)."""
    start, end = period.bounds(organisation.timezone)
    cases = _cases(session, organisation.id, start, end)
    counts: dict[str, Counter[str]] = {spec.key: Counter() for spec in TABLES}
    days: dict[str, list[float]] = {"first_contact": [], "closing": []}
    for facts in cases:
        _count_case(facts, start, end, counts, days)
    _count_evaluations(session, organisation.id, period, counts)
    counts["signals"]["raised"] = session.scalar(select(func.count(Signal.id)).where(
        Signal.organisation_id == organisation.id, Signal.raised_at >= start,
        Signal.raised_at < end)) or 0  # fmt: skip
    return Tally(
        organisation.slug, organisation.name,
        {spec.key: {c: counts[spec.key][c] for c in spec.categories} for spec in TABLES},
        {name: tuple(sorted(values)) for name, values in days.items()},
    )  # fmt: skip


def _count_case(facts: _Facts, start: datetime, end: datetime,
                counts: dict[str, Counter[str]], days: dict[str, list[float]]) -> None:  # fmt: skip
    if not facts.is_contact:
        return
    if start <= facts.created_at < end:
        for table, value in (("channel", facts.channel), ("kind", facts.kind),
                             ("reason", facts.reason_category)):  # fmt: skip
            counts[table][_bucket(table, value)] += 1
        if facts.first_contact_at is not None:
            days["first_contact"].append(_days(facts.created_at, facts.first_contact_at))
    ending = facts.ending()
    if ending is not None and start <= ending[1] < end:
        counts["ending"][ending[0]] += 1
        counts["support_form"][_bucket("support_form", facts.support_form)] += 1
        counts["outcome"][_bucket("outcome", facts.outcome)] += 1
        if ending[0] == "closed":
            days["closing"].append(_days(facts.created_at, ending[1]))
    filed = facts.complaint_filed_at
    if filed is not None and start <= filed < end:
        counts["complaint_term"][_term(facts, end)] += 1
        counts["complaint_extended"]["extended" if facts.is_deadline_extended
                                     else "not_extended"] += 1  # fmt: skip


def _term(facts: _Facts, end: datetime) -> str:
    """The legal term of a formal complaint as it stood at the end of the period."""
    if any(at < end for at in facts.marks.get("legal_term_passed", ())):
        return "passed"
    deadline = facts.complaint_deadline_at
    return "held" if deadline is not None and deadline < end else "running"


def _in(column: InstrumentedAttribute[datetime | None], start: datetime, end: datetime
        ) -> ColumnElement[bool]:  # fmt: skip
    return and_(column >= start, column < end)


def _cases(session: Session, organisation_id: int, start: datetime, end: datetime) -> list[_Facts]:
    """The cases that may count in the period: created, ended or filed in it."""
    ended_by_event = select(Event.case_id).where(
        Event.name.in_(("withdraw", "refer")), Event.at >= start, Event.at < end
    )
    rows = session.execute(select(
        Case.id, Case.channel, Case.kind, Case.reason_category, Case.support_form, Case.outcome,
        Case.state, Case.created_at, Case.first_contact_at, Case.closed_at,
        Case.complaint_filed_at, Case.complaint_deadline_at, Case.is_deadline_extended,
    ).where(Case.organisation_id == organisation_id, or_(
        and_(Case.created_at >= start, Case.created_at < end), _in(Case.closed_at, start, end),
        _in(Case.complaint_filed_at, start, end), Case.id.in_(ended_by_event),
    )).order_by(Case.id)).all()  # fmt: skip
    marks: dict[int, dict[str, list[datetime]]] = {}
    for case_id, name, at in session.execute(
        select(Event.case_id, Event.name, Event.at)
        .join(Case, Case.id == Event.case_id)
        .where(Case.organisation_id == organisation_id, Event.name.in_(MARKS))
    ):
        marks.setdefault(case_id, {}).setdefault(name, []).append(at)
    return [
        _Facts(**{k: v for k, v in row._mapping.items() if k != "id"},
               marks={name: tuple(times) for name, times in marks.get(row.id, {}).items()})
        for row in rows
    ]  # fmt: skip


def _count_evaluations(session: Session, organisation_id: int, period: Period,
                       counts: dict[str, Counter[str]]) -> None:  # fmt: skip
    """Scores, usefulness and advice themes; the free text (`advice_enc`) is never read."""
    rows = session.execute(select(
        Evaluation.experience, Evaluation.useful, Evaluation.advice_themes
    ).where(Evaluation.organisation_id == organisation_id,
            Evaluation.period.in_(period.quarters))).all()  # fmt: skip
    scores = SPECS["experience"].categories[:5]
    for experience, useful, themes in rows:
        counts["experience"][str(experience) if str(experience) in scores else NOT_ANSWERED] += 1
        counts["useful"][useful if useful is not None and useful in USEFUL_ANSWERS
                         else NOT_ANSWERED] += 1  # fmt: skip
        for theme in dict.fromkeys(t.strip() for t in (themes or "").split(",")):
            if theme in ADVICE_THEMES:
                counts["advice"][theme] += 1


def periods_with_data(
    session: Session, organisation_ids: Sequence[int], today: date
) -> list[Period]:
    """Years and quarters from the first case or evaluation to now, newest first."""
    first = session.scalar(select(func.min(Case.created_at)).where(
        Case.organisation_id.in_(organisation_ids)))  # fmt: skip
    first_evaluation = session.scalar(select(func.min(Evaluation.period)).where(
        Evaluation.organisation_id.in_(organisation_ids)))  # fmt: skip
    starts = [(today.year, (today.month - 1) // 3 + 1)]
    if first is not None:
        starts.append((first.year, (first.month - 1) // 3 + 1))
    if first_evaluation:
        starts.append((int(first_evaluation[:4]), int(first_evaluation[-1])))
    start_year, start_quarter = min(starts)
    found: list[Period] = []
    for year in range(today.year, start_year - 1, -1):
        last = starts[0][1] if year == today.year else 4
        first_quarter = start_quarter if year == start_year else 1
        found += [Period(year), *(Period(year, q) for q in range(last, first_quarter - 1, -1))]
    return found


# --- the published report -----------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """An organisation, or all of them together (key ALL)."""

    key: str
    name: str


@dataclass(frozen=True)
class Row:
    """A category's counts per column; None is a suppressed count ("<5")."""

    key: str
    counts: tuple[int | None, ...]


@dataclass(frozen=True)
class Table:
    key: str
    section: str
    rows: tuple[Row, ...]
    total: Row | None


@dataclass(frozen=True)
class Figure:
    """A derived figure, or why it is not shown (TOO_FEW or NOT_SHOWN)."""

    value: float | None
    why_not: str = ""


@dataclass(frozen=True)
class Measure:
    key: str
    section: str
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class Report:
    """What may be published: no true small count, no date finer than the period."""

    period: Period
    columns: tuple[Column, ...]
    tables: tuple[Table, ...]
    measures: tuple[Measure, ...]
    generated_on: date

    @property
    def is_combined(self) -> bool:
        return len(self.columns) > 1


Key = tuple[str, str, str]  # (table, category, column), or (TOTAL, population, column)


def build(session: Session, slugs: Iterable[str], period: Period, today: date) -> Report:
    """The report for these organisations (several: each and all together)."""
    return publish([tally(session, o, period) for o in organisations(session, slugs)],
                   period, today)  # fmt: skip


def publish(tallies: Sequence[Tally], period: Period, today: date) -> Report:
    """Suppress, then keep only what may be shown."""
    combined = [*tallies, _combined(tallies)] if len(tallies) > 1 else list(tallies)
    values, sums = _system(combined)
    hidden = suppress(values, sums)
    columns = tuple(Column(t.slug, t.name) for t in combined)

    def row(key: str, cells: Sequence[Key]) -> Row:
        return Row(key, tuple(None if c in hidden else values[c] for c in cells))

    tables = tuple(Table(
        spec.key, spec.section,
        tuple(row(cat, [(spec.key, cat, c.key) for c in columns]) for cat in spec.categories),
        row(TOTAL, [(TOTAL, spec.population, c.key) for c in columns]) if spec.population
        else None,
    ) for spec in TABLES)  # fmt: skip
    measures = tuple(Measure(m.key, m.section, tuple(
        _figure(m, t, hidden) for t in combined)) for m in MEASURES)  # fmt: skip
    return Report(period, columns, tables, measures, today)


def _combined(tallies: Sequence[Tally]) -> Tally:
    counts = {spec.key: {cat: sum(t.counts[spec.key][cat] for t in tallies)
                         for cat in spec.categories} for spec in TABLES}  # fmt: skip
    days = {name: tuple(sorted(d for t in tallies for d in t.days[name]))
            for name in tallies[0].days}  # fmt: skip
    return Tally(ALL, "", counts, days)


def _system(columns: Sequence[Tally]) -> tuple[dict[Key, int], list[Sum[Key]]]:
    """Every published count, and every sum a reader could use (with ALL: both ways)."""
    values: dict[Key, int] = {}
    sums: dict[Sum[Key], None] = {}  # ordered, each once (tables share their total)
    parts_of_all = [t.slug for t in columns if t.slug != ALL]
    for spec in TABLES:
        for t in columns:
            cells = tuple((spec.key, cat, t.slug) for cat in spec.categories)
            values.update(zip(cells, (t.counts[spec.key][c] for c in spec.categories),
                              strict=True))  # fmt: skip
            if spec.population:
                values[(TOTAL, spec.population, t.slug)] = t.total(spec)
                sums[Sum((TOTAL, spec.population, t.slug), cells)] = None
        if len(columns) > 1:
            keys = [(spec.key, cat) for cat in spec.categories]
            keys += [(TOTAL, spec.population)] if spec.population else []
            for first, second in keys:
                sums[Sum((first, second, ALL),
                         tuple((first, second, s) for s in parts_of_all))] = None  # fmt: skip
    return values, list(sums)


# --- derived figures ----------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureSpec:
    """A derived figure: the counts it rests on must all be visible."""

    key: str
    section: str
    rests_on: tuple[tuple[str, str], ...]  # (table, category) or (TOTAL, population)


MEASURES: tuple[MeasureSpec, ...] = (
    MeasureSpec("first_contact_days", "contacts", ((TOTAL, "contacts"),)),
    MeasureSpec("closing_days", "endings", (("ending", "closed"),)),
    MeasureSpec("useful_share", "evaluations", tuple(("useful", a) for a in USEFUL_ANSWERS)),
    MeasureSpec(
        "useful_in_part_share",
        "evaluations",
        (("useful", "yes"), ("useful", "partly"), ("useful", "no")),
    ),
    MeasureSpec("experience_mean", "evaluations", tuple(("experience", s) for s in "12345")),
)


def _figure(spec: MeasureSpec, t: Tally, hidden: frozenset[Key]) -> Figure:
    if any((first, second, t.slug) in hidden for first, second in spec.rests_on):
        return Figure(None, NOT_SHOWN)
    value, basis = _value(spec.key, t)
    if value is None or basis < SMALLEST_SHOWN:
        return Figure(None, TOO_FEW)
    return Figure(value)


def _value(key: str, t: Tally) -> tuple[float | None, int]:
    """The figure and how many cases it rests on."""
    if key in ("first_contact_days", "closing_days"):
        durations = t.days[key.removesuffix("_days")]
        return (statistics.median(durations) if durations else None), len(durations)
    useful, scores = t.counts["useful"], t.counts["experience"]
    answered = sum(useful[a] for a in USEFUL_ANSWERS)
    if key == "useful_share":
        return (100 * useful["yes"] / answered if answered else None), answered
    if key == "useful_in_part_share":
        return (100 * (useful["yes"] + useful["partly"]) / answered if answered else None), answered
    scored = sum(scores[s] for s in "12345")
    return (sum(int(s) * scores[s] for s in "12345") / scored if scored else None), scored

"""The report laid out for people: sections of tables, each with the bars of its chart.

HTML and PDF draw from the same layout, so they show the same content. A chart shows one
column (the organisation, or all together) with a text label on every bar: the number or
"<5"; a hidden count is a hatched marker, never a length that would hint at its value.
"""

from __future__ import annotations

from dataclasses import dataclass

from reports.text import (
    category_label,
    column_label,
    count_text,
    figure_text,
    period_label,
    title,
    words,
)
from workflow.reports import SECTIONS, Report, Table

CHART_WIDTH = 480  # the drawing's own units
BAR_SPACE = 440  # the longest bar
ROW_HEIGHT = 36  # a label line and a bar under it


@dataclass(frozen=True)
class Bar:
    label: str  # "e-mail: 12", "web: <5"
    width: float  # 0 for a zero; a small fixed marker when hidden
    is_hidden: bool
    top: int


@dataclass(frozen=True)
class TableView:
    key: str
    title: str
    chart_title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # label, the value per column
    total: tuple[str, tuple[str, ...]] | None
    bars: tuple[Bar, ...]

    @property
    def chart_height(self) -> int:
        return ROW_HEIGHT * len(self.bars) + 4


@dataclass(frozen=True)
class SectionView:
    key: str
    title: str
    tables: tuple[TableView, ...]
    measures: tuple[tuple[str, tuple[str, ...]], ...]  # label, the figure per column


@dataclass(frozen=True)
class ReportView:
    language: str
    title: str
    period: str
    organisations: str
    generated_on: str
    columns: tuple[str, ...]
    sections: tuple[SectionView, ...]


def layout(report: Report, language: str) -> ReportView:
    t = words(language)
    columns = tuple(column_label(c.key, c.name, language) for c in report.columns)
    sections = tuple(
        SectionView(
            key,
            t[f"section_{key}"],
            tuple(
                _table(report, table, columns, language)
                for table in report.tables
                if table.section == key
            ),
            tuple(
                (t[f"measure_{m.key}"], tuple(figure_text(m.key, f, language) for f in m.figures))
                for m in report.measures
                if m.section == key
            ),
        )
        for key in SECTIONS
    )
    return ReportView(
        language,
        title(report, language),
        period_label(report.period, language),
        ", ".join(c.name for c in report.columns if c.key != "all"),
        report.generated_on.isoformat(),
        columns,
        sections,
    )


def _table(report: Report, table: Table, columns: tuple[str, ...], language: str) -> TableView:
    t = words(language)
    name = t[f"table_{table.key}"]
    chart_title = t["chart_title"].format(
        table=name, column=t["chart_column"] if report.is_combined else ""
    )
    rows = tuple(
        (category_label(table.key, row.key, language), tuple(count_text(c) for c in row.counts))
        for row in table.rows
    )
    total = None
    if table.total is not None:
        total = (t["total"], tuple(count_text(c) for c in table.total.counts))
    return TableView(table.key, name, chart_title, columns, rows, total, _bars(table, language))


def _bars(table: Table, language: str) -> tuple[Bar, ...]:
    """The last column (one organisation, or all together) as bars."""
    shown = [row.counts[-1] for row in table.rows]
    longest = max((c for c in shown if c is not None), default=0) or 1
    return tuple(
        Bar(
            f"{category_label(table.key, row.key, language)}: {count_text(count)}",
            12 if count is None else BAR_SPACE * count / longest,
            count is None,
            i * ROW_HEIGHT,
        )
        for i, (row, count) in enumerate(zip(table.rows, shown, strict=True))
    )

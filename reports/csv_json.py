"""The report for further use: one CSV (section,key,label,value,organisation) and JSON.

The JSON holds the same rows plus what they are about: organisations, period, the date it
was made and the suppression rule. A suppressed count is the string "<5" in both, never a
number; a derived figure left out is "<5 cases" or "hidden".
"""

from __future__ import annotations

import csv
import io
import json

from reports.text import SUPPRESSION_RULE, category_label, count_text, figure_value, words
from workflow.reports import ALL, HIDDEN, TOTAL, Report, Row, Table

COLUMNS = ("section", "key", "label", "value", "organisation")
Value = int | float | str


def rows_of(report: Report, language: str) -> list[dict[str, Value]]:
    """Every published value: a table's rows and total per organisation, then the figures."""
    t = words(language)
    found: list[dict[str, Value]] = []
    for table in report.tables:
        lines = [*table.rows, *([table.total] if table.total else [])]
        for i, column in enumerate(report.columns):
            found += [_row(table, line, i, column.key, language) for line in lines]
    for measure in report.measures:
        for column, figure in zip(report.columns, measure.figures, strict=True):
            found.append(
                {
                    "section": measure.section,
                    "key": measure.key,
                    "label": t[f"measure_{measure.key}"],
                    "value": figure_value(figure),
                    "organisation": column.key,
                }
            )
    return found


def _row(table: Table, line: Row, i: int, organisation: str, language: str) -> dict[str, Value]:
    t = words(language)
    count = line.counts[i]
    return {
        "section": table.section,
        "key": f"{table.key}.{line.key}",
        "label": f"{t[f'table_{table.key}']}: {category_label(table.key, line.key, language)}",
        "value": count if count is not None else HIDDEN,
        "organisation": organisation,
    }


def render_csv(report: Report, language: str) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows_of(report, language):
        value = row["value"]
        writer.writerow({**row, "value": count_text(value) if isinstance(value, int) else value})
    return out.getvalue()


def render_json(report: Report, language: str) -> str:
    metadata = {
        "organisations": [{"slug": c.key, "name": c.name} for c in report.columns if c.key != ALL],
        "combined": ALL if report.is_combined else None,
        "period": str(report.period),
        "generated_at": report.generated_on.isoformat(),
        "language": language,
        "suppression": {"hidden": HIDDEN, "smallest_shown": 5, "rule": SUPPRESSION_RULE},
        "total_key": TOTAL,
    }
    document = {"metadata": metadata, "columns": list(COLUMNS), "rows": rows_of(report, language)}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"

"""The anonymised report as documents: HTML, PDF, CSV and JSON (figures: workflow.reports)."""

from __future__ import annotations

from collections.abc import Callable

from workflow.reports import Report

FORMATS = ("html", "pdf", "csv", "json")
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


def render(report: Report, form: str, language: str = "nl") -> bytes:
    """The report in one of FORMATS, as bytes (text in UTF-8)."""
    from reports.csv_json import render_csv, render_json
    from reports.html import render_document
    from reports.pdf import render_pdf

    renderers: dict[str, Callable[[Report, str], str | bytes]] = {
        "html": render_document,
        "pdf": render_pdf,
        "csv": render_csv,
        "json": render_json,
    }
    made = renderers[form](report, language)
    return made.encode("utf-8") if isinstance(made, str) else made


def file_name(slugs: list[str], period: str, form: str) -> str:
    """rapportage-versa-2026-Q3.pdf; several organisations: joined with '+'."""
    return f"rapportage-{'+'.join(slugs)}-{period}.{form}"

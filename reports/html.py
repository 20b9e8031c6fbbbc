"""The report as HTML: a whole document for the command line, or its body for a staff page.

No script. Each chart is an inline SVG with role="img" and a title, with a text label on
every bar (readable without colour), followed by its data table as the text alternative.
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from reports.text import words
from reports.views import CHART_WIDTH, layout
from workflow.reports import Report

_ENV = Environment(
    loader=PackageLoader("reports", "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_body(report: Report, language: str, level: int = 2) -> Markup:
    """The report's content, to put inside a page: sections are headings of `level`."""
    view = layout(report, language)
    html = _ENV.get_template("report_body.html").render(
        view=view, t=words(language), chart_width=CHART_WIDTH, level=level
    )
    return Markup(html)  # noqa: S704 (rendered by our autoescaping template)


def render_document(report: Report, language: str) -> str:
    """A whole HTML document that stands on its own (styles inline, nothing fetched)."""
    view = layout(report, language)
    return _ENV.get_template("report.html").render(view=view, body=render_body(report, language))

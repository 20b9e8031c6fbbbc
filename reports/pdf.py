"""The report as PDF (reportlab): the same layout as the HTML, tables and labelled bar charts.

Bars carry their number or "<5" as text and a hidden count is a hatched outline, so the
charts read in black and white; the title and sections are in the PDF's text layer.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as PdfTable

from reports.text import words
from reports.views import CHART_WIDTH, ROW_HEIGHT, ReportView, TableView, layout
from workflow.reports import Report

INK, BAR, RULE = colors.HexColor("#1b1b1b"), colors.HexColor("#00528a"), colors.HexColor("#c4c8cf")
SCALE = 0.75  # the layout's units to points: a 480-wide chart is 360 pt
_STYLES = getSampleStyleSheet()
CELL = ParagraphStyle("cell", parent=_STYLES["BodyText"], fontSize=9, leading=11)
NUMBER = ParagraphStyle("number", parent=CELL, alignment=2)


def render_pdf(report: Report, language: str) -> bytes:
    view = layout(report, language)
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=view.title,
        author="vertrouwd",
        lang=language,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )
    document.build(_story(view, language))
    return out.getvalue()


def _story(view: ReportView, language: str) -> list[Flowable]:
    t = words(language)
    story: list[Flowable] = [
        Paragraph(escape(view.title), _STYLES["Title"]),
        _meta(view, t),
        Paragraph(escape(t["about_title"]), _STYLES["Heading2"]),
        *(
            Paragraph(escape(t[key]), _STYLES["BodyText"])
            for key in ("about_anonymous", "about_dates", "about_figures")
        ),
    ]
    for section in view.sections:
        story += [CondPageBreak(60 * mm), Paragraph(escape(section.title), _STYLES["Heading2"])]
        for table in section.tables:
            story.append(
                KeepTogether(
                    [
                        Paragraph(escape(table.title), _STYLES["Heading3"]),
                        _chart(table),
                        Spacer(1, 3 * mm),
                        _grid(
                            t["category"],
                            table.columns,
                            [*table.rows, *([table.total] if table.total else [])],
                            has_total=table.total is not None,
                        ),
                    ]
                )
            )
        if section.measures:
            story += [
                Spacer(1, 4 * mm),
                Paragraph(
                    escape(t["figures_caption"].format(section=section.title)), _STYLES["Heading4"]
                ),
                _grid(t["figure"], view.columns, list(section.measures), has_total=False),
            ]
    return story


def _meta(view: ReportView, t: dict[str, str]) -> Flowable:
    label = t["organisations"] if len(view.columns) > 1 else t["organisation"]
    rows = [
        (label, view.organisations),
        (t["period"], view.period),
        (t["generated_on"], view.generated_on),
    ]
    return _grid("", (), [(k, (v,)) for k, v in rows], has_total=False, header=False)


def _grid(
    first: str,
    columns: tuple[str, ...],
    rows: list[tuple[str, tuple[str, ...]]],
    *,
    has_total: bool,
    header: bool = True,
) -> Flowable:
    """A table: labels left, values right; the total row in bold."""
    data = (
        [
            [Paragraph(f"<b>{escape(first)}</b>", CELL)]
            + [Paragraph(f"<b>{escape(c)}</b>", NUMBER) for c in columns]
        ]
        if header
        else []
    )
    for i, (label, values) in enumerate(rows):
        bold = has_total and i == len(rows) - 1
        data.append(
            [Paragraph(_bold(label, bold), CELL)]
            + [Paragraph(_bold(v, bold), NUMBER if header else CELL) for v in values]
        )
    width = 174 * mm
    count = max(len(data[0]) - 1, 1)
    label_width = 70 * mm if header else 40 * mm
    style = [("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    if header:
        style.append(("LINEBELOW", (0, 0), (-1, 0), 1, INK))
    return PdfTable(
        data,
        colWidths=[label_width] + [(width - label_width) / count] * count,
        style=TableStyle(style),
        repeatRows=1 if header else 0,
        hAlign="LEFT",
    )


def _bold(text: str, bold: bool) -> str:
    return f"<b>{escape(text)}</b>" if bold else escape(text)


def _chart(table: TableView) -> Drawing:
    """Bars of the table's last column, each with its label and number above it."""
    height = table.chart_height * SCALE
    drawing = Drawing(CHART_WIDTH * SCALE, height)
    for bar in table.bars:
        top = height - bar.top * SCALE
        drawing.add(String(0, top - 11, bar.label, fontName="Helvetica", fontSize=9, fillColor=INK))
        y = top - (19 + 12) * SCALE
        if bar.is_hidden:
            drawing.add(
                Rect(0.5, y, bar.width, 9, fillColor=colors.white, strokeColor=INK, strokeWidth=0.8)
            )
            for x in range(2, int(bar.width) - 3, 3):
                drawing.add(Line(x, y, x + 3, y + 9, strokeColor=INK, strokeWidth=0.6))
        elif bar.width:
            drawing.add(Rect(0, y, bar.width * SCALE, 9, fillColor=BAR, strokeColor=None))
    drawing.height = max(height, ROW_HEIGHT * SCALE)
    return drawing

"""The client's copy of their data as a plain, readable PDF: a title, sections, page numbers.

This module only lays out; what the sections say (in the client's language) is decided by
the caller (forms.client_rights). Text is written by people and may hold any character:
it is escaped for reportlab's markup, and a character the font cannot show becomes "?"
(the caller says so on the first page; the JSON copy keeps everything).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer

# A wide Unicode font when the system has one, else the one reportlab always brings along.
FONTS = (
    (
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ),
    (
        Path(reportlab.__file__).parent / "fonts" / "Vera.ttf",
        Path(reportlab.__file__).parent / "fonts" / "VeraBd.ttf",
    ),
)
REGULAR, BOLD = "CopyRegular", "CopyBold"
INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#4a4a4a")


@dataclass(frozen=True)
class Entry:
    """A dated piece of text: a message, a mail, a consent."""

    heading: str
    text: str = ""
    facts: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Section:
    """A heading with facts (label, value), entries and loose paragraphs, in that order."""

    title: str
    facts: tuple[tuple[str, str], ...] = ()
    entries: tuple[Entry, ...] = ()
    paragraphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    title: str
    language: str
    intro: tuple[str, ...]
    sections: tuple[Section, ...]
    page_label: str  # "Pagina {page}"


@functools.cache
def _glyphs() -> frozenset[int]:
    """Register the fonts once; the characters they can show."""
    regular, bold = next(pair for pair in FONTS if pair[0].exists() and pair[1].exists())
    font = TTFont(REGULAR, str(regular))
    pdfmetrics.registerFont(font)
    pdfmetrics.registerFont(TTFont(BOLD, str(bold)))
    return frozenset(font.face.charToGlyph)


def can_show(text: str) -> bool:
    """Whether every character of `text` has a glyph in the font (line breaks aside)."""
    shown = _glyphs()
    return all(ord(ch) in shown or ch in "\n\r\t" for ch in text)


@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    _glyphs()
    base = ParagraphStyle(
        "body", fontName=REGULAR, fontSize=11, leading=15, textColor=INK, spaceAfter=6
    )
    return {
        "title": ParagraphStyle(
            "title", parent=base, fontName=BOLD, fontSize=18, leading=23, spaceAfter=10
        ),
        # A heading never ends a page: it stays with what follows it.
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=BOLD,
            fontSize=14,
            leading=18,
            spaceBefore=12,
            spaceAfter=6,
            keepWithNext=1,
        ),
        "h3": ParagraphStyle(
            "h3",
            parent=base,
            fontName=BOLD,
            fontSize=11,
            spaceBefore=6,
            spaceAfter=2,
            keepWithNext=1,
        ),
        "label": ParagraphStyle("label", parent=base, fontName=BOLD, spaceAfter=0),
        "value": ParagraphStyle("value", parent=base, leftIndent=6 * mm),
        "body": base,
    }


def _text(text: str) -> str:
    """reportlab markup for plain text: escaped, unknown characters as "?", breaks kept."""
    shown = _glyphs()
    kept = "".join(ch if ord(ch) in shown or ch == "\n" else "?" for ch in text.replace("\r", ""))
    return escape(kept).replace("\n", "<br/>")


def _para(text: str, style: str) -> Paragraph:
    return Paragraph(_text(text), _styles()[style])


def _facts(facts: tuple[tuple[str, str], ...]) -> list[Flowable]:
    return [KeepTogether([_para(label, "label"), _para(value, "value")]) for label, value in facts]


def _section(section: Section) -> list[Flowable]:
    flow: list[Flowable] = [_para(section.title, "h2"), *_facts(section.facts)]
    for entry in section.entries:
        flow.append(_para(entry.heading, "h3"))
        flow += _facts(entry.facts)
        if entry.text:
            flow.append(_para(entry.text, "body"))
    flow += [_para(paragraph, "body") for paragraph in section.paragraphs]
    return flow


def render_pdf(document: Document) -> bytes:
    """The document as A4 PDF pages, with its title and language in the file's metadata."""
    _glyphs()
    out = BytesIO()
    pdf = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=document.title,
        lang=document.language,
        displayDocTitle=True,
        creator="vertrouwd",
    )
    flow: list[Flowable] = [_para(document.title, "title")]
    flow += [_para(line, "body") for line in document.intro]
    flow.append(Spacer(1, 4 * mm))
    for section in document.sections:
        flow += _section(section)

    def number(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 9)
        canvas.setFillColor(MUTED)
        label = document.page_label.format(page=doc.page)
        canvas.drawRightString(A4[0] - 20 * mm, 12 * mm, f"{document.title} · {label}")
        canvas.restoreState()

    pdf.build(flow, onFirstPage=number, onLaterPages=number)
    return out.getvalue()

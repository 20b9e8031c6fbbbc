"""The report as documents (reports/): HTML without script and with charts that have a text
alternative, a PDF that renders, and CSV and JSON that parse and say "<5" for hidden cells."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from html.parser import HTMLParser

import pypdfium2 as pdfium
import pytest

from reports import render
from reports.csv_json import COLUMNS, render_csv, render_json
from reports.html import render_body, render_document
from reports.pdf import render_pdf
from reports.text import WORDS, category_label
from tests.test_reports import Q3, TODAY, VERSA_Q3, YEAR
from workflow.reports import ALL, HIDDEN, TABLES, Report, Tally, publish


def tally_from(slug: str, name: str, counts: Mapping[str, Mapping[str, int]]) -> Tally:
    """A tally with these true counts (the rest 0), as the database would give it."""
    full = {spec.key: {c: counts.get(spec.key, {}).get(c, 0) for c in spec.categories}
            for spec in TABLES}  # fmt: skip
    return Tally(slug, name, full, {"first_contact": (1.0,) * 8 + (3.0,) * 6, "closing": ()})


VERSA = tally_from("versa", "Versa Welzijn", VERSA_Q3)
OOST = tally_from("oost", "Wijkteam Oost", {
    "channel": {"web": 7, "email": 1}, "kind": {"question": 7, "complaint": 1},
    "reason": {"information": 7, "privacy": 1},
})  # fmt: skip


@pytest.fixture(params=["one", "several"])
def report(request: pytest.FixtureRequest) -> Report:
    tallies = [VERSA] if request.param == "one" else [VERSA, OOST]
    return publish(tallies, Q3, TODAY)


class Page(HTMLParser):
    """What a check of the HTML needs: tags with attributes, the text inside each svg."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.svg_texts: list[list[str]] = []
        self.titles: dict[str, str] = {}
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in.append(tag)
        if tag == "svg":
            self.svg_texts.append([])
        if tag == "title" and dict(attrs).get("id"):
            self.titles[str(dict(attrs)["id"])] = ""

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "text" and "svg" in self._in:
            self.svg_texts[-1].append(data)
        elif self._in and self._in[-1] == "title" and "svg" in self._in:
            last = list(self.titles)[-1]
            self.titles[last] += data

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def parsed(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


# --- HTML ---------------------------------------------------------------------------------


def test_the_html_has_no_script_and_a_text_alternative_for_every_chart(report: Report) -> None:
    html = render_document(report, "nl")
    page = parsed(html)

    assert "<script" not in html.lower() and "javascript:" not in html.lower()
    assert not [a for _, attrs in page.tags for a in attrs if a.startswith("on")]
    charts = page.all("svg")
    assert len(charts) == len(TABLES)
    for chart, texts in zip(charts, page.svg_texts, strict=True):
        assert chart["role"] == "img"
        title = page.titles[str(chart["aria-labelledby"])]
        assert "Staafdiagram" in title and "tabel" in title  # says where the numbers are
        assert texts and all(re.search(r": (\d+|<5)$", text) for text in texts)
    data_tables = [t for t in page.all("table") if "report-figures" not in (t["class"] or "")]
    assert len(data_tables) == len(TABLES)  # each chart has its table
    assert len(page.all("caption")) == len(page.all("table"))


def test_bars_are_labelled_and_hidden_counts_are_hatched_not_coloured() -> None:
    page = parsed(render_body(publish([VERSA], Q3, TODAY), "nl"))
    [kind] = [i for i, spec in enumerate(TABLES) if spec.key == "kind"]
    expected = (("complaint", 6), ("conduct", 10), ("question", HIDDEN), ("unknown", HIDDEN))

    assert page.svg_texts[kind] == [
        f"{category_label('kind', key, 'nl')}: {value}" for key, value in expected
    ]
    hatched = [r for r in page.all("rect") if r.get("class") == "bar-hidden"]
    assert hatched and all(str(r["fill"]).startswith("url(#hatch-") for r in hatched)
    assert all(r["stroke"] for r in hatched)  # an outline: visible without colour


def test_the_html_shows_hidden_cells_as_less_than_five_and_the_true_number_nowhere() -> None:
    report = publish([VERSA], Q3, TODAY)
    html = render_body(report, "nl")
    kind_table = html.split('id="table-kind"')[1].split("</table>")[0]

    assert re.findall(r'<td class="number">([^<]*)</td>', kind_table) == [
        "6", "10", "&lt;5", "&lt;5", "19"]  # fmt: skip


def test_the_html_speaks_english_when_asked(report: Report) -> None:
    html = render_document(report, "en")

    assert '<html lang="en">' in html
    assert WORDS["en"]["section_contacts"] in html and WORDS["en"]["about_anonymous"][:30] in html
    if report.is_combined:
        assert ">Together</th>" in html


# --- PDF ----------------------------------------------------------------------------------


def test_the_pdf_renders_a_first_page_with_the_title_and_ink(report: Report) -> None:
    document = pdfium.PdfDocument(render_pdf(report, "nl"))
    try:
        page = document[0]
        image = page.render(scale=1).to_pil().convert("L")
        text = page.get_textpage().get_text_range()
        everything = " ".join(p.get_textpage().get_text_range() for p in document)
    finally:
        document.close()

    dark = sum(1 for value in image.tobytes() if value < 200)
    assert dark > 2000, "page 1 is (nearly) empty"
    assert "Rapportage vertrouwenspersoon" in text and "Versa Welzijn" in text
    assert "<5" in everything and "Nieuwe contacten per kanaal" in everything


def test_the_pdf_draws_the_charts_as_bars() -> None:
    document = pdfium.PdfDocument(render_pdf(publish([VERSA], YEAR, TODAY), "en"))
    try:
        image = document[0].render(scale=1).to_pil().convert("RGB")
    finally:
        document.close()

    pixels = image.tobytes()
    blue = sum(1 for i in range(0, len(pixels), 3) if pixels[i + 2] > 100 and pixels[i] < 60)
    assert blue > 500, "no bars on page 1"


# --- CSV and JSON -------------------------------------------------------------------------


def test_the_csv_parses_and_holds_less_than_five_for_hidden_cells(report: Report) -> None:
    rows = list(csv.DictReader(io.StringIO(render_csv(report, "nl"))))

    assert tuple(rows[0]) == COLUMNS
    values = {(r["key"], r["organisation"]): r["value"] for r in rows}
    assert values[("kind.question", "versa")] == HIDDEN
    assert values[("kind.conduct", "versa")] == "10"
    assert values[("signals.raised", "versa")] == HIDDEN
    counts = [r["value"] for r in rows if "." in r["key"]]
    assert all(v == HIDDEN or v.isdigit() for v in counts)
    if report.is_combined:
        assert values[("channel.web", ALL)] == "17"


def test_the_json_has_the_same_rows_and_metadata_and_never_a_hidden_number(
    report: Report,
) -> None:
    document = json.loads(render_json(report, "nl"))
    csv_rows = list(csv.DictReader(io.StringIO(render_csv(report, "nl"))))

    metadata = document["metadata"]
    assert metadata["period"] == "2026-Q3" and metadata["generated_at"] == "2026-11-23"
    assert [o["slug"] for o in metadata["organisations"]] == [
        c.key for c in report.columns if c.key != ALL]  # fmt: skip
    assert (
        metadata["suppression"]["hidden"] == HIDDEN and "1 to 4" in metadata["suppression"]["rule"]
    )
    assert [[r[c] for c in COLUMNS[:3]] for r in document["rows"]] == [
        [r[c] for c in COLUMNS[:3]] for r in csv_rows]  # fmt: skip
    for table in report.tables:
        for line in [*table.rows, *([table.total] if table.total else [])]:
            for column, count in zip(report.columns, line.counts, strict=True):
                [row] = [r for r in document["rows"] if r["key"] == f"{table.key}.{line.key}"
                         and r["organisation"] == column.key]  # fmt: skip
                assert row["value"] == (HIDDEN if count is None else count)
                assert isinstance(row["value"], str) == (count is None)


def test_no_document_holds_a_date_finer_than_the_period(report: Report) -> None:
    for form in ("html", "csv", "json"):
        text = render(report, form).decode()
        assert not re.search(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:", text), form
        dates = set(re.findall(r"\d{4}-\d{2}-\d{2}", text))
        assert dates <= {"2026-11-23"}, (form, dates)  # only the day the report was made

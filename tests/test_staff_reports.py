"""The coordinator's reports page over the Flask test client: who may see it, what it shows,
the downloads, and the audit of each view and download."""

from __future__ import annotations

import csv
import io
import json

import pypdfium2 as pdfium
import pytest

from forms.i18n import words
from tests.conftest import Web
from tests.test_reports import FREE_TEXT, oost_cases, store, versa_cases
from tests.test_staff_cases import ADA, COCO, OLGA, add_strangers, audit_entries, main_of, signed_in
from workflow.organisations import add_advisor

NL, EN = words("nl"), words("en")
PAGE, DOWNLOAD = "/medewerkers/rapportages", "/medewerkers/rapportages/download"
ANNA, ELS = "anna@example.org", "els@example.org"


@pytest.fixture
def data(web: Web) -> Web:
    """Versa's data set, and a second organisation (coordinated by Olga) with its own."""
    add_strangers(web)
    store(web.database, "versa", versa_cases())
    store(web.database, "other", oost_cases(), with_extras=False)
    return web


def coordinate_both(web: Web) -> None:
    """Coco coordinates the other organisation too (the municipality's view, seed 004)."""
    with web.database.unit_of_work() as uow:
        add_advisor(uow.session, organisation_slug="other", name="Coco", email=COCO,
                    gender="female", role="coordinator", now=web.clock())  # fmt: skip
        uow.commit()


def test_a_coordinator_reads_the_report_of_a_quarter(data: Web) -> None:
    response = signed_in(data, COCO).get(f"{PAGE}?org=versa&period=2026-Q3")
    page = main_of(response.get_data(as_text=True))

    assert response.status_code == 200
    assert "<script" not in page.lower()
    assert NL["reports_title"] in page and "Nieuwe contacten per kanaal" in page
    assert page.count('role="img"') == page.count("<svg") > 0
    assert "&lt;5" in page and FREE_TEXT not in page
    assert '<option value="2026-Q3" selected>' in page
    assert [(e.action, e.detail) for e in audit_entries(data, "view_report")] == [
        ("view_report", "versa 2026-Q3")
    ]


def test_the_periods_offered_and_the_current_quarter_by_default(data: Web) -> None:
    response = signed_in(data, COCO).get(PAGE)
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert '<option value="2026-Q4" selected>' in page  # the clock says 23 November 2026
    for offered in ("2026", "2026-Q3", "2025", "2025-Q3"):
        assert f'<option value="{offered}"' in page
    assert '<option value="2025-Q2"' not in page  # before the first case
    assert 'value="all"' not in page  # one organisation: nothing to put together


def test_a_bad_period_is_said_in_words(data: Web) -> None:
    response = signed_in(data, COCO).get(f"{PAGE}?org=versa&period=2026-Q9")
    page = main_of(response.get_data(as_text=True))

    assert response.status_code == 400
    assert NL["reports_bad_period"] in page and "<svg" not in page


def test_the_page_and_the_report_speak_english(data: Web) -> None:
    page = signed_in(data, COCO).get(f"{PAGE}?org=versa&period=2026&lang=en").get_data(as_text=True)

    assert EN["reports_title"] in page and "New contacts by channel" in page
    assert EN["reports_download_pdf"] in page


@pytest.mark.parametrize("who", [ANNA, ELS, ADA, OLGA], ids=["advisor", "chair", "admin",
                                                             "elsewhere"])  # fmt: skip
def test_anyone_but_the_organisations_coordinator_gets_404(data: Web, who: str) -> None:
    client = signed_in(data, who)

    assert client.get(f"{PAGE}?org=versa&period=2026-Q3").status_code == 404
    assert client.get(f"{DOWNLOAD}?org=versa&period=2026-Q3&format=csv").status_code == 404
    assert audit_entries(data, "view_report") == audit_entries(data, "export_report") == []


def test_a_coordinator_cannot_ask_for_another_organisation(data: Web) -> None:
    client = signed_in(data, COCO)

    assert client.get(f"{PAGE}?org=other&period=2026-Q3").status_code == 404
    assert client.get(f"{PAGE}?org=all&period=2026-Q3").status_code == 404
    assert client.get(f"{DOWNLOAD}?org=other&period=2026-Q3&format=pdf").status_code == 404
    assert signed_in(data, OLGA).get(f"{PAGE}?org=other&period=2026-Q3").status_code == 200


def test_signed_out_is_sent_to_sign_in(data: Web) -> None:
    for path in (PAGE, f"{DOWNLOAD}?org=versa&period=2026&format=csv"):
        response = data.client().get(path)
        assert response.status_code == 303
        assert "/medewerkers/inloggen" in response.headers["Location"]


@pytest.mark.parametrize("form", ["pdf", "csv", "json"])
def test_each_download_is_the_report_and_is_audited(data: Web, form: str) -> None:
    response = signed_in(data, COCO).get(f"{DOWNLOAD}?org=versa&period=2026-Q3&format={form}")

    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="rapportage-versa-2026-Q3.{form}"'
    body = response.get_data()
    if form == "pdf":
        assert response.mimetype == "application/pdf"
        document = pdfium.PdfDocument(body)
        try:
            assert "Versa Welzijn" in document[0].get_textpage().get_text_range()
        finally:
            document.close()
    elif form == "csv":
        rows = list(csv.DictReader(io.StringIO(body.decode())))
        assert {r["value"] for r in rows if r["key"] == "kind.question"} == {"<5"}
    else:
        assert json.loads(body)["metadata"]["period"] == "2026-Q3"
    assert FREE_TEXT.encode() not in body
    assert [e.detail for e in audit_entries(data, "export_report")] == [f"versa 2026-Q3 {form}"]


@pytest.mark.parametrize("query", ["format=html", "format=docx", "format="])
def test_only_the_download_formats_exist(data: Web, query: str) -> None:
    response = signed_in(data, COCO).get(f"{DOWNLOAD}?org=versa&period=2026&{query}")

    assert response.status_code == 404


def test_a_coordinator_of_several_sees_them_all_together(data: Web) -> None:
    coordinate_both(data)
    client = signed_in(data, COCO)
    page = main_of(client.get(f"{PAGE}?org=all&period=2026-Q3").get_data(as_text=True))
    download = client.get(f"{DOWNLOAD}?org=all&period=2026-Q3&format=json")

    assert f'<option value="all" selected>{NL["reports_all"]}</option>' in page
    assert ">Samen</th>" in page and ">Versa Welzijn</th>" in page
    document = json.loads(download.get_data())
    assert [o["slug"] for o in document["metadata"]["organisations"]] == ["other", "versa"]
    values = {(r["key"], r["organisation"]): r["value"] for r in document["rows"]}
    assert values[("channel.total", "all")] == 27
    assert [e.detail for e in audit_entries(data, "export_report")] == ["all 2026-Q3 json"]

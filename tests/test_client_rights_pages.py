"""The client's data section of the dossier over the Flask test client: the copy as JSON and
PDF, and asking to erase. A GET changes nothing; every change is a POST with a CSRF token."""

from __future__ import annotations

import json

import pypdfium2 as pdfium
from flask.testing import FlaskClient
from sqlalchemy import func, select

from forms.i18n import words
from tests.conftest import Web
from tests.outbox_reading import mails_to
from tests.test_client_pages import csrf_of, in_dossier, snapshot
from tests.test_dossier import CLIENT, DESCRIPTION, report
from tests.test_staff_cases import csrf_for
from workflow import rights
from workflow.cases import find_by_reference
from workflow.desk import Desk
from workflow.models import Advisor, DataRequest, Event

NL, EN = words("nl"), words("en")
COCO = "coco@example.org"
ERASE = "/dossier/wissen"


def requests_made(web: Web) -> int:
    with web.database.session() as session:
        return int(session.scalar(select(func.count(DataRequest.id))) or 0)


def exports(web: Web) -> list[str]:
    with web.database.session() as session:
        return list(session.scalars(
            select(Event.detail).where(Event.name == "data_exported").order_by(Event.id)
        ))  # fmt: skip


def dossier_of(web: Web, lang: str = "nl") -> tuple[FlaskClient, str, str]:
    """A client reports and opens their dossier: (browser, reference, the page)."""
    reference = report(web.database, web.postman, web.clock).reference
    client = web.client()
    return client, reference, in_dossier(web, client, lang)


def settle(web: Web, reference: str, *, grant: bool, reason: str = "") -> None:
    with web.database.unit_of_work() as uow:
        desk = Desk(uow, web.postman, web.clock())
        case = find_by_reference(uow.session, reference)
        assert case is not None
        found = rights.open_request_of(uow.session, case)
        coco = uow.session.scalars(select(Advisor).where(Advisor.email == COCO)).one()
        assert found is not None
        rights.settle(desk, found, coco, grant=grant, reason=reason)
        uow.commit()


# --- the section and GET ----------------------------------------------------------------------


def test_the_dossier_offers_the_copy_and_erasing_and_no_get_changes_anything(web: Web) -> None:
    client, _, page = dossier_of(web)
    for said in (NL["rights_title"], NL["rights_pdf"], NL["rights_json"], NL["rights_erase_link"]):
        assert said in page
    assert 'action="/dossier/gegevens.pdf?lang=nl"' in page
    assert 'action="/dossier/gegevens.json?lang=nl"' in page
    assert EN["rights_title"] in in_dossier(web, client, "en")
    before = (snapshot(web.database), requests_made(web))
    for path in ("/dossier/gegevens.json", "/dossier/gegevens.pdf", ERASE):
        for lang in ("nl", "en"):
            response = client.get(f"{path}?lang={lang}")
            assert response.status_code in (200, 303), path
            assert response.mimetype == "text/html"  # never the file itself
    assert (snapshot(web.database), requests_made(web)) == before
    assert exports(web) == [] and web.enqueued == []


def test_the_erase_page_explains_before_anything_happens(web: Web) -> None:
    client, _, _ = dossier_of(web)
    page = client.get(ERASE).get_data(as_text=True)
    for said in (NL["rights_erase_what_text"], NL["rights_erase_tell"], NL["rights_erase_confirm"]):
        assert said in page
    english = client.get(f"{ERASE}?lang=en").get_data(as_text=True)
    assert EN["rights_erase_page_title"] in english


# --- the copy ---------------------------------------------------------------------------------


def test_the_copy_comes_as_json_and_as_pdf_and_is_recorded(web: Web) -> None:
    client, reference, page = dossier_of(web)
    response = client.post("/dossier/gegevens.json", data={"csrf_token": csrf_of(page)})
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="dossier-{reference}.json"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert data["case"]["reference"] == reference and data["you"]["email"] == CLIENT
    assert data["messages"][0]["text"] == DESCRIPTION

    response = client.post("/dossier/gegevens.pdf?lang=en", data={"csrf_token": csrf_of(page)})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    document = pdfium.PdfDocument(response.get_data())
    first = document[0].get_textpage().get_text_range()
    assert f"Your data for report {reference}" in first and "Jan Jansen" in first
    assert exports(web) == ["json", "pdf"]


def test_a_post_without_csrf_token_gives_nothing_and_changes_nothing(web: Web) -> None:
    client, _, _ = dossier_of(web)
    before = (snapshot(web.database), requests_made(web))
    for path, data in (("/dossier/gegevens.json", {}), ("/dossier/gegevens.pdf", {}),
                       (ERASE, {"confirm": "y"})):  # fmt: skip
        response = client.post(path, data=data)
        assert response.status_code == 400, path
        assert NL["error_csrf"] in response.get_data(as_text=True)
    assert (snapshot(web.database), requests_made(web)) == before


def test_without_a_dossier_session_there_is_no_copy_and_no_request(web: Web) -> None:
    report(web.database, web.postman, web.clock)
    stranger = web.client()
    token = csrf_for(web.app, stranger)
    for path in ("/dossier/gegevens.json", "/dossier/gegevens.pdf", ERASE):
        response = stranger.post(path, data={"csrf_token": token, "confirm": "y"})
        assert response.status_code == 303 and response.headers["Location"].startswith("/dossier")
    assert exports(web) == [] and requests_made(web) == 0


def test_each_client_gets_only_their_own_copy(web: Web) -> None:
    first, first_reference, first_page = dossier_of(web)
    second, second_reference, second_page = dossier_of(web)
    both = ((first, first_page, first_reference, second_reference),
            (second, second_page, second_reference, first_reference))  # fmt: skip
    for client, page, mine, theirs in both:
        text = client.post("/dossier/gegevens.json",
                           data={"csrf_token": csrf_of(page)}).get_data(as_text=True)  # fmt: skip
        assert mine in text and theirs not in text


# --- asking to erase --------------------------------------------------------------------------


def test_asking_to_erase_needs_the_tick_and_then_shows_the_due_date(web: Web) -> None:
    client, reference, page = dossier_of(web)
    token = csrf_of(page)
    response = client.post(ERASE, data={"csrf_token": token})
    assert response.status_code == 400
    shown = response.get_data(as_text=True)
    assert NL["error_erase_confirm"].format(field=NL["rights_erase_confirm"]) in shown
    assert 'href="#confirm"' in shown and requests_made(web) == 0

    response = client.post(ERASE, data={"csrf_token": token, "confirm": "y"})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert NL["rights_erase_done"] in page
    due = "woensdag 23 december 2026"
    assert NL["rights_erase_open"].format(asked="maandag 23 november 2026", due=due) in page
    assert NL["rights_erase_link"] not in page
    assert [row.template for row in mails_to(web.database, COCO)][-1] == "erasure_requested"
    assert len(mails_to(web.database, CLIENT, "erasure_received")) == 1
    assert web.enqueued  # delivery woken

    again = client.post(ERASE, data={"csrf_token": token, "confirm": "y"})
    assert again.status_code == 200 and requests_made(web) == 1
    assert 'name="confirm"' not in again.get_data(as_text=True)  # asked already: no form
    assert len(mails_to(web.database, COCO, "erasure_requested")) == 1
    assert reference in page


def test_a_refusal_and_its_reason_show_on_the_dossier(web: Web) -> None:
    client, reference, page = dossier_of(web)
    client.post(ERASE, data={"csrf_token": csrf_of(page), "confirm": "y"})
    web.clock.advance(days=3)
    settle(web, reference, grant=False, reason="Er loopt nog een klacht.\nDie moet eerst klaar.")
    page = client.get("/dossier").get_data(as_text=True)
    assert NL["rights_erase_refused"].format(date="donderdag 26 november 2026") in page
    assert "Er loopt nog een klacht.<br>Die moet eerst klaar." in page
    assert NL["rights_erase_link"] in page  # they may ask again


def test_after_a_grant_the_dossier_does_not_open_any_more(web: Web) -> None:
    client, reference, page = dossier_of(web)
    client.post(ERASE, data={"csrf_token": csrf_of(page), "confirm": "y"})
    web.clock.advance(days=1)
    settle(web, reference, grant=True)
    page = client.get("/dossier").get_data(as_text=True)
    assert NL["dossier_open_title"] in page and reference not in page
    response = client.post("/dossier/gegevens.json", data={"csrf_token": csrf_of(page)})
    assert response.status_code == 303

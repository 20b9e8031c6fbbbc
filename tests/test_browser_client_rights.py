"""The client's data section, the erase page and the coordinator's requests pages in headless
Chromium: axe-core in Dutch and English, and the whole path without JavaScript."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page
from sqlalchemy import select

from forms.i18n import words
from tests.conftest import Clock, LiveWeb
from tests.outbox_reading import link_in_last_mail
from tests.test_browser import assert_no_wcag_violations, goto, press
from tests.test_browser_staff_cases import sign_in
from tests.test_dossier import CLIENT, report
from workflow import rights
from workflow.cases import find_by_reference
from workflow.desk import Desk
from workflow.models import Advisor, DataRequest

pytestmark = pytest.mark.browser

COCO = "coco@example.org"
Visit = Callable[[Page, LiveWeb, str], None]


def _reported(live_web: LiveWeb) -> str:
    return report(live_web.database, live_web.postman, Clock(datetime.now(UTC))).reference


def _in_dossier(page: Page, live_web: LiveWeb, lang: str) -> str:
    reference = _reported(live_web)
    token = link_in_last_mail(live_web.database, CLIENT, "dossier")
    goto(page, f"{live_web.url}/dossier/{token}?lang={lang}")
    return reference


def _ask(live_web: LiveWeb, reference: str) -> int:
    with live_web.database.unit_of_work() as uow:
        case = find_by_reference(uow.session, reference)
        assert case is not None
        request = rights.ask_erasure(Desk(uow, live_web.postman, datetime.now(UTC)), case)
        uow.commit()
        return request.id


def _refuse(live_web: LiveWeb, request_id: int) -> None:
    with live_web.database.unit_of_work() as uow:
        found = uow.session.get_one(DataRequest, request_id)
        coco = uow.session.scalars(select(Advisor).where(Advisor.email == COCO)).one()
        rights.settle(Desk(uow, live_web.postman, datetime.now(UTC)), found, coco, grant=False,
                      reason="Er loopt nog een klacht.\nDie moet eerst klaar zijn.")  # fmt: skip
        uow.commit()


# --- the client's pages -------------------------------------------------------------------


def _dossier(page: Page, live_web: LiveWeb, lang: str) -> None:
    _in_dossier(page, live_web, lang)
    assert page.get_by_role("heading", name=words(lang)["rights_title"], exact=True).is_visible()


def _dossier_asked(page: Page, live_web: LiveWeb, lang: str) -> None:
    _erase(page, live_web, lang)
    page.get_by_label(words(lang)["rights_erase_confirm"]).check()
    assert press(page, words(lang)["rights_erase_submit"]).status == 303
    assert page.locator("[data-erasure=open]").is_visible()


def _dossier_refused(page: Page, live_web: LiveWeb, lang: str) -> None:
    reference = _reported(live_web)
    _refuse(live_web, _ask(live_web, reference))
    token = link_in_last_mail(live_web.database, CLIENT, "dossier")
    goto(page, f"{live_web.url}/dossier/{token}?lang={lang}")
    assert page.locator("[data-erasure=refused]").is_visible()


def _erase(page: Page, live_web: LiveWeb, lang: str) -> None:
    _in_dossier(page, live_web, lang)
    with page.expect_navigation():
        page.get_by_role("link", name=words(lang)["rights_erase_link"]).click()
    assert (
        page.get_by_role("heading", level=1).inner_text() == words(lang)["rights_erase_page_title"]
    )


def _erase_errors(page: Page, live_web: LiveWeb, lang: str) -> None:
    _erase(page, live_web, lang)
    assert press(page, words(lang)["rights_erase_submit"]).status == 400
    assert page.locator(".error-summary").is_visible()


# --- the coordinator's pages --------------------------------------------------------------


def _requests(page: Page, live_web: LiveWeb, lang: str) -> None:
    _ask(live_web, _reported(live_web))
    _refuse(live_web, _ask(live_web, _reported(live_web)))
    sign_in(page, live_web, COCO)
    goto(page, f"{live_web.url}/medewerkers/verzoeken?lang={lang}")
    assert page.locator("table.cases tbody tr").count() == 2


def _request(page: Page, live_web: LiveWeb, lang: str) -> None:
    request_id = _ask(live_web, _reported(live_web))
    sign_in(page, live_web, COCO)
    goto(page, f"{live_web.url}/medewerkers/verzoeken/{request_id}?lang={lang}")
    assert page.get_by_role("heading", name=words(lang)["erasure_grant_title"]).is_visible()


def _request_errors(page: Page, live_web: LiveWeb, lang: str) -> None:
    _request(page, live_web, lang)
    assert press(page, words(lang)["erasure_refuse_submit"]).status == 400
    assert page.locator(".error-summary").is_visible()


def _request_refused(page: Page, live_web: LiveWeb, lang: str) -> None:
    _request(page, live_web, lang)
    page.get_by_label(words(lang)["erasure_refuse_reason"]).fill("Wettelijke plicht.")
    assert press(page, words(lang)["erasure_refuse_submit"]).status == 303
    assert page.get_by_role("heading", name=words(lang)["request_reason"]).is_visible()


PAGES: dict[str, Visit] = {
    "dossier": _dossier,
    "dossier-asked": _dossier_asked,
    "dossier-refused": _dossier_refused,
    "erase": _erase,
    "erase-errors": _erase_errors,
    "requests": _requests,
    "request": _request,
    "request-errors": _request_errors,
    "request-refused": _request_refused,
}


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_rights_page_has_no_wcag_violations(
    page: Page, live_web: LiveWeb, name: str, lang: str
) -> None:
    PAGES[name](page, live_web, lang)
    assert page.locator("html").get_attribute("lang") == lang
    assert_no_wcag_violations(page, f"{name} in {lang}")


# --- without JavaScript -------------------------------------------------------------------


def test_a_client_downloads_and_asks_to_erase_then_the_coordinator_erases_without_javascript(
    page_without_js: Page, live_web: LiveWeb, tmp_path: Path
) -> None:
    page, t = page_without_js, words("nl")
    reference = _in_dossier(page, live_web, "nl")
    for button, start in ((t["rights_pdf"], b"%PDF-"), (t["rights_json"], b"{")):
        with page.expect_download() as download:
            page.get_by_role("button", name=button).click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        assert saved.read_bytes().startswith(start)
    assert json.loads(saved.read_text())["case"]["reference"] == reference

    page.get_by_role("link", name=t["rights_erase_link"]).click()
    page.get_by_label(t["rights_erase_confirm"]).check()
    assert press(page, t["rights_erase_submit"]).status == 303
    assert t["rights_erase_done"] in page.locator("main").inner_text()

    page.context.clear_cookies()  # the same browser, now the coordinator
    sign_in(page, live_web, COCO)
    goto(page, f"{live_web.url}/medewerkers/verzoeken")
    with page.expect_navigation():
        page.get_by_role("link", name=reference).click()
    page.get_by_label(t["erasure_grant_confirm"]).check()
    assert press(page, t["erasure_grant_submit"]).status == 303
    assert page.get_by_text(t["erasure_grant_done"]).is_visible()
    with live_web.database.session() as session:
        case = find_by_reference(session, reference)
        assert case is not None and case.state == "anonymised"

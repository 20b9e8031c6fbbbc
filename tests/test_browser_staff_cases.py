"""The signed-in staff case pages in a real headless Chromium: axe-core in two languages.

The browser and its pages are fixtures (tests/fixtures_browser.py); the helpers come from
tests/test_browser.py. Signing in is not what is tested here: the browser gets a signed
session cookie, as after sign-in.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from playwright.sync_api import Page
from sqlalchemy import select

from forms.i18n import words
from tests.conftest import LiveWeb
from tests.test_advisor_pages import ANNA
from tests.test_browser import assert_no_wcag_violations, goto, press
from tests.test_browser_advisor import assigned_case, work_on
from workflow.cases import find_by_reference
from workflow.desk import Desk
from workflow.models import Advisor

pytestmark = pytest.mark.browser

NL = words("nl")


def sign_in(page: Page, live_web: LiveWeb, address: str) -> None:
    """Put the session cookie of a signed-in staff member (second factor given) in the browser."""
    with live_web.database.session() as session:
        staff_id = session.scalar(select(Advisor.id).where(Advisor.email == address))
    signer = Flask("signer")
    signer.secret_key = live_web.settings.secret_key
    serializer = SecureCookieSessionInterface().get_signing_serializer(signer)
    assert serializer is not None
    cookie = serializer.dumps({"staff": {"id": staff_id, "seen": time.time(),
                                         "second_factor": True}})  # fmt: skip
    page.context.add_cookies([{"name": "session", "value": cookie, "url": live_web.url}])


def worked_case(live_web: LiveWeb, *, is_urgent: bool = False) -> str:
    """Anna took a case on, wrote (with line breaks), and asked consent; its reference."""
    reference, task = assigned_case(live_web)
    with live_web.database.unit_of_work() as uow:
        desk = Desk(uow, live_web.postman, datetime.now(UTC))
        case, _ = work_on(desk, task, "Wanneer kan ik u bellen?\nGroet, Anna")
        case.is_urgent = is_urgent
        uow.commit()
    return reference


def _home(address: str, lang: str | None) -> Callable[[Page, LiveWeb], None]:
    def visit(page: Page, live_web: LiveWeb) -> None:
        worked_case(live_web, is_urgent=True)
        assigned_case(live_web)
        sign_in(page, live_web, address)
        goto(page, f"{live_web.url}/medewerkers{f'?lang={lang}' if lang else ''}")
        t = words(lang or "nl")
        assert page.get_by_role("heading", name=t["portal_home_title"]).is_visible()
        assert page.locator("table.cases tbody tr").count() == 2

    return visit


def _case(address: str, lang: str | None) -> Callable[[Page, LiveWeb], None]:
    def visit(page: Page, live_web: LiveWeb) -> None:
        reference = worked_case(live_web, is_urgent=True)
        sign_in(page, live_web, address)
        goto(page, f"{live_web.url}/medewerkers/zaken/{reference}{f'?lang={lang}' if lang else ''}")
        t = words(lang or "nl")
        assert page.get_by_role("heading", name=t["portal_timeline"]).is_visible()

    return visit


def _case_errors(page: Page, live_web: LiveWeb) -> None:
    _case(ANNA, None)(page, live_web)
    with page.expect_navigation():
        page.get_by_role("button", name=NL["work_close_submit"]).click()
    assert page.locator(".error-summary").is_visible()


def _assigned(page: Page, live_web: LiveWeb) -> None:
    reference, _ = assigned_case(live_web)
    sign_in(page, live_web, ANNA)
    goto(page, f"{live_web.url}/medewerkers/zaken/{reference}")
    assert page.get_by_role("button", name=NL["portal_accept_submit"]).is_visible()


STAFF_PAGES: dict[str, Callable[[Page, LiveWeb], None]] = {
    "home-advisor": _home(ANNA, None),
    "home-advisor-en": _home(ANNA, "en"),
    "home-coordinator": _home("coco@example.org", None),
    "home-coordinator-en": _home("coco@example.org", "en"),
    "case-advisor": _case(ANNA, None),
    "case-advisor-en": _case(ANNA, "en"),
    "case-coordinator": _case("coco@example.org", None),
    "case-coordinator-en": _case("coco@example.org", "en"),
    "case-errors": _case_errors,
    "case-assigned": _assigned,
}


@pytest.mark.parametrize("name", list(STAFF_PAGES))
def test_staff_case_page_has_no_wcag_violations(page: Page, live_web: LiveWeb, name: str) -> None:
    STAFF_PAGES[name](page, live_web)
    assert_no_wcag_violations(page, name)


def test_a_case_is_worked_from_the_list_to_closing_without_javascript(
    page_without_js: Page, live_web: LiveWeb
) -> None:
    page = page_without_js
    reference, _ = assigned_case(live_web)
    sign_in(page, live_web, ANNA)
    goto(page, f"{live_web.url}/medewerkers")
    with page.expect_navigation():
        page.get_by_role("link", name=reference).click()
    assert press(page, NL["portal_accept_submit"]).status == 303
    assert page.locator(".notice", has_text=NL["portal_accept_done"]).is_visible()
    assert "Fatima" in page.locator("main").inner_text()

    assert press(page, NL["work_first_contact_submit"]).status == 303
    page.get_by_label(NL["work_close_outcome"]).select_option("resolved")
    page.get_by_label(NL["work_close_support_form"]).select_option("listening")
    page.get_by_label(NL["work_close_reason"]).select_option("unwanted_conduct")
    assert press(page, NL["work_close_submit"]).status == 303
    assert page.locator(".notice", has_text=NL["work_close_done"]).is_visible()
    assert NL["portal_state_closing"] in page.locator("main").inner_text()
    with live_web.database.session() as session:
        case = find_by_reference(session, reference)
        assert case is not None and case.state == "closing"

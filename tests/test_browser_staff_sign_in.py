"""Staff sign-in in a real headless Chromium: axe-core in two languages, TOTP, no JavaScript.

The browser and its pages are fixtures (tests/fixtures_browser.py); the helpers come from
tests/test_browser.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import Locator, Page, Response

from forms.i18n import words
from tests.conftest import served, web_app
from tests.outbox_reading import link_in_last_mail
from tests.servers import free_port
from tests.test_browser import assert_no_wcag_violations, goto, press
from tests.test_staff_sign_in import ANNA, COCO, PASSWORD, WHO, ready_for_sign_in, totp_at
from workflow import staff_auth
from workflow.db import Database

pytestmark = pytest.mark.browser


@dataclass
class StaffWeb:
    """The app served over HTTP, with a test-only page that names who is signed in."""

    url: str
    database: Database


@pytest.fixture
def staff_web(tmp_path: Path) -> Iterator[StaffWeb]:
    port = free_port()
    with web_app(tmp_path, BASE_URL=f"http://127.0.0.1:{port}") as built:
        ready_for_sign_in(built.app, built.database)
        with served(built.app, port) as url:
            yield StaffWeb(url, built.database)


# --- helpers ------------------------------------------------------------------------------


def _field(page: Page, t: dict[str, str], label: str) -> Locator:
    """A required field by its whole visible label (one e-mail label contains the other)."""
    return page.get_by_label(f"{t[label]} {t['required']}", exact=True)


def _query(lang: str | None, next_path: str | None = None) -> str:
    parts = [f"lang={lang}"] if lang else []
    parts += [f"next={next_path}"] if next_path else []
    return "?" + "&".join(parts) if parts else ""


def _sign_in(page: Page, web: StaffWeb, email: str, lang: str | None = None,
             password: str = PASSWORD, next_path: str | None = None) -> Response:  # fmt: skip
    t = words(lang or "nl")
    goto(page, f"{web.url}/medewerkers/inloggen{_query(lang, next_path)}")
    _field(page, t, "signin_email").fill(email)
    _field(page, t, "signin_password").fill(password)
    return press(page, t["signin_submit"])


def _enrolled(web: StaffWeb, address: str) -> None:
    with web.database.unit_of_work() as uow:
        advisor = staff_auth.staff_by_email(uow.session, address)
        assert advisor is not None
        secret = pyotp.parse_uri(staff_auth.start_enrolment(uow.vault, advisor)).secret
        now = datetime.now(UTC)
        assert staff_auth.confirm_enrolment(uow.vault, advisor, pyotp.TOTP(secret).at(now), now)
        uow.commit()


def _link(web: StaffWeb, address: str) -> str:
    with web.database.unit_of_work() as uow:
        token = staff_auth.issue_sign_in_link(uow.session, uow.vault, address, datetime.now(UTC))
        uow.commit()
    assert token is not None
    return token


# --- every page, in both languages, without WCAG 2.1 AA violations --------------------------


Visit = Callable[[Page, StaffWeb], None]


def _sign_in_page(lang: str | None) -> Visit:
    return lambda page, web: goto(page, f"{web.url}/medewerkers/inloggen{_query(lang)}")


def _refused(lang: str | None) -> Visit:
    def visit(page: Page, web: StaffWeb) -> None:
        assert _sign_in(page, web, ANNA, lang, password="not the password").status == 200
        assert page.get_by_role("alert").is_visible()

    return visit


def _empty(lang: str | None) -> Visit:
    def visit(page: Page, web: StaffWeb) -> None:
        _sign_in_page(lang)(page, web)
        assert press(page, words(lang or "nl")["signin_submit"]).status == 400
        assert page.locator(".error-summary").is_visible()

    return visit


def _link_sent(lang: str | None) -> Visit:
    def visit(page: Page, web: StaffWeb) -> None:
        t = words(lang or "nl")
        _sign_in_page(lang)(page, web)
        _field(page, t, "signin_link_email").fill(ANNA)
        assert press(page, t["signin_link_submit"]).status == 200
        assert page.get_by_text(t["signin_link_sent"]).is_visible()

    return visit


def _link_page(lang: str | None) -> Visit:
    def visit(page: Page, web: StaffWeb) -> None:
        goto(page, f"{web.url}/medewerkers/inloggen/{_link(web, ANNA)}{_query(lang)}")
        assert page.get_by_role("button", name=words(lang or "nl")["signin_use_submit"]).count()

    return visit


def _open_mailed_link(page: Page, web: StaffWeb, address: str, lang: str | None,
                      next_path: str | None = None) -> None:  # fmt: skip
    """Open the sign-in link last mailed to `address` in this browser and press its button."""
    token = link_in_last_mail(web.database, address, "inloggen")
    goto(page, f"{web.url}/medewerkers/inloggen/{token}{_query(lang, next_path)}")
    assert press(page, words(lang or "nl")["signin_use_submit"]).status == 303


def _both(lang: str | None) -> Visit:
    def visit(page: Page, web: StaffWeb) -> None:
        _sign_in(page, web, COCO, lang)
        heading = page.get_by_role("heading", level=1).inner_text()
        assert heading == words(lang or "nl")["signin_both_title"]

    return visit


def _enrol(lang: str | None, refused: bool = False) -> Visit:
    def visit(page: Page, web: StaffWeb) -> None:
        t = words(lang or "nl")
        _sign_in(page, web, COCO, lang)
        _open_mailed_link(page, web, COCO, lang)
        assert page.get_by_role("heading", level=1).inner_text() == t["signin_enrol_title"]
        assert page.get_by_role("img", name=t["signin_qr_label"]).is_visible()
        if refused:
            _field(page, t, "signin_code").fill("000000")
            assert press(page, t["signin_enrol_submit"]).status == 200

    return visit


def _second_step(lang: str | None) -> Visit:
    def visit(page: Page, web: StaffWeb) -> None:
        _enrolled(web, COCO)
        _sign_in(page, web, COCO, lang)
        assert page.url.split("?")[0].endswith("/medewerkers/tweede-stap")

    return visit


def _offered(page: Page, web: StaffWeb) -> None:
    _sign_in(page, web, ANNA, next_path=WHO)
    goto(page, f"{web.url}/medewerkers/tweede-stap/instellen")
    assert words("nl")["signin_enrol_offered"] in page.locator("main").inner_text()


def _on(renew: bool) -> Visit:
    """Signed in with the second factor: the page that says it is on (and sets up a new phone)."""

    def visit(page: Page, web: StaffWeb) -> None:
        t = words("nl")
        _enrolled(web, ANNA)
        _sign_in(page, web, ANNA)
        _field(page, t, "signin_code").fill(totp_at(web.database, ANNA, time.time() + 30))
        assert press(page, t["signin_code_submit"]).status == 303
        goto(page, f"{web.url}/medewerkers/tweede-stap/instellen")
        assert page.get_by_text(t["signin_enrol_on"]).is_visible()
        if renew:
            assert press(page, t["signin_enrol_again"]).status == 303
            assert page.get_by_role("img", name=t["signin_qr_label"]).is_visible()

    return visit


PAGES: dict[str, Visit] = {
    "sign-in": _sign_in_page(None),
    "sign-in-en": _sign_in_page("en"),
    "refused": _refused(None),
    "refused-en": _refused("en"),
    "errors": _empty(None),
    "errors-en": _empty("en"),
    "link-sent": _link_sent(None),
    "link-sent-en": _link_sent("en"),
    "link": _link_page(None),
    "link-en": _link_page("en"),
    "both": _both(None),
    "both-en": _both("en"),
    "enrol": _enrol(None),
    "enrol-en": _enrol("en"),
    "enrol-refused": _enrol(None, refused=True),
    "enrol-offered": _offered,
    "enrol-on": _on(renew=False),
    "enrol-new-phone": _on(renew=True),
    "second-step": _second_step(None),
    "second-step-en": _second_step("en"),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_sign_in_page_has_no_wcag_violations(page: Page, staff_web: StaffWeb, name: str) -> None:
    PAGES[name](page, staff_web)
    lang = "en" if name.endswith("-en") else "nl"
    assert page.locator("html").get_attribute("lang") == lang
    assert_no_wcag_violations(page, name)


# --- the whole way in, with and without JavaScript -----------------------------------------


@pytest.mark.parametrize("which", ["page", "page_without_js"])
def test_a_coordinator_enrols_and_signs_in_with_a_code(
    request: pytest.FixtureRequest, staff_web: StaffWeb, which: str
) -> None:
    browser_page: Page = request.getfixturevalue(which)
    t = words("nl")
    assert _sign_in(browser_page, staff_web, COCO, next_path=WHO).status == 303
    assert browser_page.get_by_role("heading", level=1).inner_text() == t["signin_both_title"]
    _open_mailed_link(browser_page, staff_web, COCO, None, WHO)
    assert browser_page.get_by_role("heading", level=1).inner_text() == t["signin_enrol_title"]
    key = browser_page.locator(".secret-key").inner_text().replace(" ", "")
    _field(browser_page, t, "signin_code").fill(pyotp.TOTP(key).at(time.time()))
    assert press(browser_page, t["signin_enrol_submit"]).status == 303
    assert browser_page.url == f"{staff_web.url}{WHO}"
    assert browser_page.locator("body").inner_text() == "Coco"

    goto(browser_page, f"{staff_web.url}/medewerkers/tweede-stap/instellen")
    assert press(browser_page, t["signin_sign_out"]).status == 303
    assert t["signin_signed_out"] in browser_page.locator("main").inner_text()

    assert _sign_in(browser_page, staff_web, COCO, next_path=WHO).status == 303
    assert browser_page.get_by_role("heading", level=1).inner_text() == t["signin_code_title"]
    # The code of the next 30-second step: the one used to enrol is never accepted again.
    _field(browser_page, t, "signin_code").fill(totp_at(staff_web.database, COCO, time.time() + 30))
    assert press(browser_page, t["signin_code_submit"]).status == 303
    assert browser_page.locator("body").inner_text() == "Coco"

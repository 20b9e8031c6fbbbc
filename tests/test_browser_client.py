"""The client's casework pages in a real headless Chromium: axe-core in two languages, no JS.

The browser and its pages are fixtures (tests/fixtures_browser.py, one Chromium per module);
the helpers come from tests/test_browser.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page

from forms.i18n import words
from tests.conftest import Clock, LiveWeb
from tests.outbox_reading import link_in_last_mail
from tests.test_browser import assert_no_wcag_violations, goto
from tests.test_dossier import (
    CLIENT,
    case_awaiting_consent,
    case_awaiting_evaluation,
    desk_for,
    the_case,
)
from workflow import casework
from workflow.models import Consent
from workflow.outbox import Postman

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class World:
    """The live app with one client case in it, and the way to act as its advisor."""

    live_web: LiveWeb
    postman: Postman
    clock: Clock

    def url(self, path: str, lang: str) -> str:
        return f"{self.live_web.url}{path}?lang={lang}"

    def consent_case(self) -> tuple[str, int, str]:
        return case_awaiting_consent(self.live_web.database, self.postman, self.clock)


@pytest.fixture
def world(live_web: LiveWeb) -> World:
    return World(live_web, live_web.postman, Clock(datetime.now(UTC)))


def press(page: Page, name: str, status: int = 200) -> None:
    """Press a button (a real POST, no JavaScript needed) and wait for the page it leads to."""
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=name, exact=True).click()
    response = navigation.value
    assert response is not None and response.status == status, page.content()


# --- the pages, each reached the way a client reaches it --------------------------------------


def _consent(world: World, page: Page, lang: str) -> str:
    reference, _, token = world.consent_case()
    goto(page, world.url(f"/toestemming/{token}", lang))
    assert page.get_by_role("button", name=words(lang)["consent_yes"], exact=True).is_visible()
    return reference


def _consent_answered(world: World, page: Page, lang: str) -> str:
    reference = _consent(world, page, lang)
    press(page, words(lang)["consent_yes"])
    assert page.get_by_role("heading", level=1).inner_text() == words(lang)["consent_given_title"]
    return reference


def _evaluation(world: World, page: Page, lang: str) -> None:
    _, token = case_awaiting_evaluation(world.live_web.database, world.postman, world.clock)
    goto(page, world.url(f"/evaluatie/{token}", lang))


def _evaluation_done(world: World, page: Page, lang: str) -> None:
    _evaluation(world, page, lang)
    page.get_by_label(words(lang)["eval_experience_4"], exact=True).check()
    press(page, words(lang)["eval_submit"])


def _dossier(world: World, page: Page, lang: str) -> None:
    """A full dossier: a given consent to take back, a message from the advisor, mails."""
    reference = _consent_answered(world, page, lang)
    database = world.live_web.database
    with desk_for(database, world.postman, world.clock) as desk:
        case = the_case(desk, reference)
        assert case.advisor is not None
        casework.write_to_client(desk, case, case.advisor, "Ik bel Piet morgen.\nGroet, Anna")
        desk.uow.commit()
    goto(page, world.url(f"/dossier/{link_in_last_mail(database, CLIENT, 'dossier')}", lang))
    assert page.get_by_role("heading", level=1).inner_text() == words(lang)["dossier_title"]
    assert page.get_by_role("button", name=words(lang)["consent_withdraw"]).is_visible()
    assert "Ik bel Piet morgen." in page.locator("main").inner_text()


def _dossier_errors(world: World, page: Page, lang: str) -> None:
    _dossier(world, page, lang)
    press(page, words(lang)["dossier_send"], 400)
    assert page.locator(".error-summary").is_visible()


def _code_form(world: World, page: Page, lang: str) -> None:
    goto(page, world.url("/dossier", lang))
    assert page.get_by_label(words(lang)["dossier_code_field"]).is_visible()


def _code_form_errors(world: World, page: Page, lang: str) -> None:
    _code_form(world, page, lang)
    page.get_by_label(words(lang)["dossier_reference_field"]).fill("VP-2026-0001")
    press(page, words(lang)["dossier_open_submit"], 400)
    assert page.locator(".error-summary").is_visible()


def _lost_link(world: World, page: Page, lang: str) -> None:
    goto(page, world.url("/dossier/kwijt", lang))


def _lost_link_sent(world: World, page: Page, lang: str) -> None:
    _lost_link(world, page, lang)
    page.get_by_label(words(lang)["email"]).fill("iemand@example.net")
    press(page, words(lang)["lost_submit"])
    assert words(lang)["lost_sent"] in page.locator("main").inner_text()


CLIENT_PAGES: dict[str, Callable[[World, Page, str], None]] = {
    "consent": _consent,
    "consent-answered": _consent_answered,
    "evaluation": _evaluation,
    "evaluation-done": _evaluation_done,
    "dossier": _dossier,
    "dossier-errors": _dossier_errors,
    "code-form": _code_form,
    "code-form-errors": _code_form_errors,
    "lost-link": _lost_link,
    "lost-link-sent": _lost_link_sent,
}


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("name", list(CLIENT_PAGES))
def test_client_page_has_no_wcag_violations(page: Page, world: World, name: str, lang: str) -> None:
    CLIENT_PAGES[name](world, page, lang)
    assert page.locator("html").get_attribute("lang") == lang
    assert_no_wcag_violations(page, f"{name} in {lang}")


# --- without JavaScript -----------------------------------------------------------------------


def test_the_consent_page_works_without_javascript(page_without_js: Page, world: World) -> None:
    page = page_without_js
    _, consent_id, token = world.consent_case()
    goto(page, world.url(f"/toestemming/{token}", "nl"))
    text = page.locator("main").inner_text()
    assert "Ik bel uw teamleider Piet." in text and "Piet de Vries, teamleider" in text
    press(page, "Ja")
    assert page.get_by_role("heading", level=1).inner_text() == words("nl")["consent_given_title"]
    with world.live_web.database.session() as session:
        consent = session.get(Consent, consent_id)
        assert consent is not None and consent.status == "given"
    page.get_by_role("link", name=words("nl")["consent_to_dossier"]).click()
    page.wait_for_load_state("load")
    assert page.get_by_role("heading", level=1).inner_text() == words("nl")["dossier_open_title"]


def test_the_dossier_takes_back_a_yes_without_javascript(
    page_without_js: Page, world: World
) -> None:
    page = page_without_js
    _consent_answered(world, page, "nl")
    database = world.live_web.database
    goto(page, world.url(f"/dossier/{link_in_last_mail(database, CLIENT, 'dossier')}", "nl"))
    assert "/dossier?" in page.url, "the secret link left the address bar"
    press(page, words("nl")["consent_withdraw"])
    assert words("nl")["dossier_done_consent"] in page.locator("main").inner_text()
    with database.session() as session:
        assert session.get_one(Consent, 1).status == "withdrawn"

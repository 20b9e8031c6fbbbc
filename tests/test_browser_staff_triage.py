"""The coordinator's triage and signals pages in headless Chromium: axe-core, and triage done
without JavaScript (kind and wish set, an advisor chosen, the case gone from the queue)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page
from sqlalchemy import select

from forms.i18n import words
from tests.conftest import LiveWeb
from tests.test_browser import assert_no_wcag_violations, goto, press
from tests.test_browser_staff_cases import sign_in
from tests.test_staff_triage import open_unsure
from workflow.cases import find_by_reference
from workflow.models import Signal

pytestmark = pytest.mark.browser

COCO = "coco@example.org"
Visit = Callable[[Page, LiveWeb], None]


def _unsure(live_web: LiveWeb, counterpart: str | None = None) -> str:
    return open_unsure(live_web.database, live_web.postman, datetime.now(UTC),
                       counterpart=counterpart)  # fmt: skip


def _query(lang: str | None) -> str:
    return f"?lang={lang}" if lang else ""


def _queue(lang: str | None) -> Visit:
    def visit(page: Page, live_web: LiveWeb) -> None:
        _unsure(live_web)
        sign_in(page, live_web, COCO)
        goto(page, f"{live_web.url}/medewerkers/verdelen{_query(lang)}")
        assert page.locator("table.cases tbody tr").count() == 1

    return visit


def _case(lang: str | None) -> Visit:
    def visit(page: Page, live_web: LiveWeb) -> None:
        reference = _unsure(live_web)
        sign_in(page, live_web, COCO)
        goto(page, f"{live_web.url}/medewerkers/verdelen/{reference}{_query(lang)}")
        assert page.get_by_role("heading", name=words(lang or "nl")["triage_guesses"]).count()

    return visit


def _case_errors(page: Page, live_web: LiveWeb) -> None:
    _case(None)(page, live_web)
    assert press(page, words("nl")["triage_dismiss_submit"]).status == 400
    assert page.locator(".error-summary").is_visible()


def _signal_id(live_web: LiveWeb) -> int:
    for _ in range(3):
        _unsure(live_web, counterpart="Johan de Vries")
    with live_web.database.session() as session:
        return session.scalars(select(Signal.id)).one()


def _signals(lang: str | None) -> Visit:
    def visit(page: Page, live_web: LiveWeb) -> None:
        _signal_id(live_web)
        sign_in(page, live_web, COCO)
        goto(page, f"{live_web.url}/medewerkers/signalen{_query(lang)}")
        assert page.locator("table.cases tbody tr").count() == 1

    return visit


def _signal(lang: str | None, decided: bool = False) -> Visit:
    def visit(page: Page, live_web: LiveWeb) -> None:
        signal_id = _signal_id(live_web)
        sign_in(page, live_web, COCO)
        goto(page, f"{live_web.url}/medewerkers/signalen/{signal_id}{_query(lang)}")
        t = words(lang or "nl")
        if decided:
            page.get_by_label(t["signal_decide_decision"]).select_option("monitor")
            page.get_by_label(t["signal_decide_note"]).fill("Wij blijven het volgen.")
            assert press(page, t["signal_decide_submit"]).status == 303
            assert page.get_by_role("heading", name=t["signal_decided"]).is_visible()

    return visit


PAGES: dict[str, Visit] = {
    "triage": _queue(None),
    "triage-en": _queue("en"),
    "triage-case": _case(None),
    "triage-case-en": _case("en"),
    "triage-case-errors": _case_errors,
    "signals": _signals(None),
    "signals-en": _signals("en"),
    "signal": _signal(None),
    "signal-en": _signal("en"),
    "signal-decided": _signal(None, decided=True),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_triage_page_has_no_wcag_violations(page: Page, live_web: LiveWeb, name: str) -> None:
    PAGES[name](page, live_web)
    assert_no_wcag_violations(page, name)


def test_a_coordinator_triages_a_case_without_javascript(
    page_without_js: Page, live_web: LiveWeb
) -> None:
    page, t = page_without_js, words("nl")
    reference = _unsure(live_web)
    sign_in(page, live_web, COCO)
    goto(page, f"{live_web.url}/medewerkers/verdelen")
    with page.expect_navigation():
        page.get_by_role("link", name=reference).click()

    page.get_by_label(t["triage_kind_kind_complaint"]).check()
    page.get_by_label(t["triage_kind_wish_none"]).check()
    assert press(page, t["triage_kind_submit"]).status == 303
    assert page.get_by_text(t["triage_kind_done"]).is_visible()
    page.get_by_label(t["triage_assign_advisor"]).select_option(label="Els (0)")
    assert press(page, t["triage_assign_submit"]).status == 303
    assert page.get_by_text(t["triage_assign_done"]).is_visible()
    assert page.get_by_text(t["triage_none"]).is_visible()  # the queue is empty

    with live_web.database.session() as session:
        case = find_by_reference(session, reference)
        assert case is not None and case.advisor is not None
        assert (case.kind, case.state, case.advisor.name) == ("complaint", "assigned", "Els")

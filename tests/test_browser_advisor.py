"""The advisor's pages in a real headless Chromium: axe-core in two languages, no JavaScript.

The browser and its pages are fixtures (tests/fixtures_browser.py); the helpers come from
tests/test_browser.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page

from forms.i18n import words
from tests.conftest import LiveWeb
from tests.outbox_reading import link_in_last_mail
from tests.servers import SmtpSink
from tests.test_advisor_pages import ANNA, CLIENT, DESCRIPTION
from tests.test_browser import assert_no_wcag_violations, goto, mail_text, press
from workflow import casework, consent, tokens
from workflow.cases import find_by_reference
from workflow.desk import Desk
from workflow.intake import OpenCase, open_case
from workflow.models import Advisor, Case

pytestmark = pytest.mark.browser

NL, EN = words("nl"), words("en")


def assigned_case(live_web: LiveWeb) -> tuple[str, str]:
    """A new case assigned to Anna: its reference and the token of her task link."""
    command = OpenCase(organisation_slug="versa", channel="web", kind="conduct",
                       preferred_gender="female", language="nl", description=DESCRIPTION,
                       name="Fatima", email=CLIENT)  # fmt: skip
    with live_web.database.unit_of_work() as uow:
        reference = open_case(uow, live_web.postman, command, datetime.now(UTC)).reference
    return reference, link_in_last_mail(live_web.database, ANNA, "taak")


def work_on(desk: Desk, task: str, text: str) -> tuple[Case, Advisor]:
    """Anna accepts the task, writes `text` to the client and asks consent; the case, Anna."""
    answered = casework.answer_task(desk, task, "accept")
    assert answered is not None
    case, anna = answered.case, answered.advisor
    casework.write_to_client(desk, case, anna, text)
    consent.ask_consent(desk, case, anna, "contact_manager", what="Een gesprek",
                        towards="Uw leidinggevende", information="Uw naam")  # fmt: skip
    return case, anna


def case_with_work(live_web: LiveWeb, *, expired: bool = False) -> str:
    """Anna took the case on, wrote, and asked consent; the token of a work link to it."""
    _, task = assigned_case(live_web)
    with live_web.database.unit_of_work() as uow:
        desk = Desk(uow, live_web.postman, datetime.now(UTC))
        case, anna = work_on(desk, task, "Wanneer kan ik u bellen?")
        issued_at = desk.now - (
            tokens.WORK_LIFETIME + timedelta(days=1) if expired else timedelta()
        )
        issued = tokens.issue(uow.session, uow.vault, case, "work", issued_at,
                              tokens.WORK_LIFETIME, advisor_id=anna.id)  # fmt: skip
        uow.commit()
    return issued.token


def _task(answer: str, lang: str | None) -> Callable[[Page, LiveWeb], None]:
    def visit(page: Page, live_web: LiveWeb) -> None:
        _, task = assigned_case(live_web)
        goto(page, f"{live_web.url}/taak/{task}/{answer}{f'?lang={lang}' if lang else ''}")

    return visit


def _decline_errors(page: Page, live_web: LiveWeb) -> None:
    _task("weigeren", None)(page, live_web)
    with page.expect_navigation():
        page.get_by_role("button", name=NL["task_decline_submit"]).click()
    assert page.locator(".error-summary").is_visible()


def _work(lang: str | None, expired: bool = False) -> Callable[[Page, LiveWeb], None]:
    def visit(page: Page, live_web: LiveWeb) -> None:
        token = case_with_work(live_web, expired=expired)
        goto(page, f"{live_web.url}/werk/{token}{f'?lang={lang}' if lang else ''}")
        assert page.url.split("?")[0].endswith("/werk"), "the token left the address bar"
        t = words(lang or "nl")
        heading = t["work_expired_title"] if expired else t["work_actions"]
        assert page.get_by_role("heading", name=heading).is_visible()

    return visit


def _work_errors(page: Page, live_web: LiveWeb) -> None:
    _work(None)(page, live_web)
    with page.expect_navigation():
        page.get_by_role("button", name=NL["work_close_submit"]).click()
    assert page.locator(".error-summary").is_visible()


ADVISOR_PAGES: dict[str, Callable[[Page, LiveWeb], None]] = {
    "accept": _task("accepteren", None),
    "accept-en": _task("accepteren", "en"),
    "decline": _task("weigeren", None),
    "decline-en": _task("weigeren", "en"),
    "decline-errors": _decline_errors,
    "work": _work(None),
    "work-en": _work("en"),
    "work-errors": _work_errors,
    "expired": _work(None, expired=True),
    "expired-en": _work("en", expired=True),
}


@pytest.mark.parametrize("name", list(ADVISOR_PAGES))
def test_advisor_page_has_no_wcag_violations(page: Page, live_web: LiveWeb, name: str) -> None:
    ADVISOR_PAGES[name](page, live_web)
    assert_no_wcag_violations(page, name)


def test_advisor_accepts_and_works_without_javascript(
    page_without_js: Page, live_web: LiveWeb, smtp_sink: SmtpSink
) -> None:
    page = page_without_js
    reference, task = assigned_case(live_web)
    goto(page, f"{live_web.url}/taak/{task}/accepteren")
    assert reference in page.locator("main").inner_text()

    assert press(page, NL["task_accept_submit"]).status == 200
    assert page.get_by_role("heading", level=1).inner_text() == NL["task_accepted_title"]
    with live_web.database.session() as session:
        case = find_by_reference(session, reference)
        assert case is not None and case.state == "accepted"

    live_web.courier.deliver_due(datetime.now(UTC))
    [mail] = [m for m in smtp_sink.wait_for(3) if ANNA in m.rcpt_tos and "/werk/" in mail_text(m)]
    work_token = link_in_last_mail(live_web.database, ANNA, "werk")
    assert work_token in mail_text(mail)
    goto(page, f"{live_web.url}/werk/{work_token}")
    assert "Fatima" in page.locator("main").inner_text()

    assert press(page, NL["work_first_contact_submit"]).status == 303
    assert page.locator(".notice", has_text=NL["work_first_contact_done"]).is_visible()
    assert NL["work_state_in_progress"] in page.locator("main").inner_text()

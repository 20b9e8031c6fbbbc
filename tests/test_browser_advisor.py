"""The advisor's pages in a real headless Chromium: axe-core in two languages, no JavaScript.

The task pages are answered without signing in; the work link from the mail leads, by way
of the staff sign-in, to the signed-in case page (its own axe tests are in
tests/test_browser_staff_cases.py).

The browser and its pages are fixtures (tests/fixtures_browser.py); the helpers come from
tests/test_browser.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page

from forms.i18n import words
from tests.conftest import LiveWeb
from tests.outbox_reading import link_in_last_mail
from tests.servers import SmtpSink
from tests.test_advisor_pages import ANNA, CLIENT, DESCRIPTION
from tests.test_browser import assert_no_wcag_violations, goto, mail_text, press
from tests.test_staff_sign_in import PASSWORD, set_password
from workflow import casework, consent
from workflow.cases import find_by_reference
from workflow.desk import Desk
from workflow.intake import OpenCase, open_case
from workflow.models import Advisor, Case

pytestmark = pytest.mark.browser

NL = words("nl")


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


ADVISOR_PAGES: dict[str, Callable[[Page, LiveWeb], None]] = {
    "accept": _task("accepteren", None),
    "accept-en": _task("accepteren", "en"),
    "decline": _task("weigeren", None),
    "decline-en": _task("weigeren", "en"),
    "decline-errors": _decline_errors,
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

    # The work link from the mail leads to the case page, by way of signing in.
    set_password(live_web.database, ANNA)
    live_web.courier.deliver_due(datetime.now(UTC))
    [mail] = [m for m in smtp_sink.wait_for(3) if ANNA in m.rcpt_tos and "/werk/" in mail_text(m)]
    work_token = link_in_last_mail(live_web.database, ANNA, "werk")
    assert work_token in mail_text(mail)
    goto(page, f"{live_web.url}/werk/{work_token}")
    where = urlsplit(page.url)
    assert where.path == "/medewerkers/inloggen", "signing in comes first"
    assert parse_qs(where.query)["next"] == [f"/medewerkers/zaken/{reference}"]
    assert work_token not in page.url and "Fatima" not in page.locator("main").inner_text()
    page.get_by_label(f"{NL['signin_email']} {NL['required']}", exact=True).fill(ANNA)
    page.get_by_label(f"{NL['signin_password']} {NL['required']}", exact=True).fill(PASSWORD)
    assert press(page, NL["signin_submit"]).status == 303
    assert urlsplit(page.url).path == f"/medewerkers/zaken/{reference}"
    assert "Fatima" in page.locator("main").inner_text()

    assert press(page, NL["work_first_contact_submit"]).status == 303
    assert page.locator(".notice", has_text=NL["work_first_contact_done"]).is_visible()
    assert NL["portal_state_in_progress"] in page.locator("main").inner_text()

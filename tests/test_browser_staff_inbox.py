"""The coordinator's pages for set-aside mail in a real headless Chromium: axe-core in two
languages, and a coordinator who triages a quarantined mail and re-queues it.

The browser and its pages are fixtures (tests/fixtures_browser.py); the browser gets a signed
session cookie, as after sign-in (tests/test_browser_staff_cases.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from email.message import EmailMessage

import pytest
from playwright.sync_api import Page

from forms.i18n import words
from tests.conftest import LiveWeb
from tests.outbox_reading import outbox
from tests.test_browser import assert_no_wcag_violations, goto, press
from tests.test_browser_staff_cases import sign_in
from tests.test_pipeline import CONDUCT_NL, mail
from tests.test_staff_inbox import AUTO_REPLY, HTML_AUTO_REPLY, OUTLOOK, TO_VERSA, WITH_FILES
from workflow import inbound
from workflow.inbound import RawMail
from workflow.models import InboundMail
from workflow.outbox import Postman
from workflow.pipeline import InboxConfig, Outcome, process_due

pytestmark = pytest.mark.browser

NL = words("nl")
COCO = "coco@example.org"


def deliver(
    live_web: LiveWeb, raw: bytes, postman: Postman | None = None, attempts: int = 1
) -> Outcome:
    """Store one mail as the watcher does and process it `attempts` times, a minute apart."""
    config = InboxConfig(live_web.settings.mail_from, live_web.settings.inbox_default_organisation)
    now = datetime.now(UTC)
    with live_web.database.unit_of_work() as uow:
        inbound.store(uow.session, uow.vault, "INBOX", None, [RawMail(None, raw)], now)
        uow.commit()
    outcomes: list[Outcome] = []
    for _ in range(attempts):
        outcomes += process_due(live_web.database, postman or live_web.postman, config, now)
        now += inbound.RETRY_AFTER
    return outcomes[-1]


def quarantined_by_our_fault(live_web: LiveWeb, raw: bytes) -> int:
    def broken(name: str, language: str, context: object) -> object:
        raise RuntimeError("template store unreachable")

    bad = Postman(render=broken, mail_from=live_web.settings.mail_from, base_url=live_web.url)
    outcome = deliver(live_web, raw, bad, attempts=inbound.MAX_ATTEMPTS)
    assert outcome.status == "quarantined"
    return outcome.inbound_id


def linked_bounce(live_web: LiveWeb) -> int:
    """A delivery report of our acknowledgement: machine mail with a case."""
    assert deliver(live_web, mail(CONDUCT_NL, to=TO_VERSA)).outcome == "case"
    [acknowledgement] = [m for t, _, m in outbox(live_web.database) if t == "acknowledgement"]
    report = EmailMessage()
    report["From"] = "MAILER-DAEMON@mx.example.org"
    report["To"] = live_web.settings.mail_from
    report["Subject"] = "Undelivered Mail Returned to Sender"
    report.set_content(f"Status: 5.1.1\n\nMessage-ID: {acknowledgement['Message-ID']}\n")
    bounce = deliver(live_web, report.as_bytes())
    assert (bounce.outcome, bool(bounce.reference)) == ("bounce", True)
    return bounce.inbound_id


def set_aside(live_web: LiveWeb) -> dict[str, int]:
    """One of each: unreadable, quarantined by our fault, machine mail, machine mail of a case."""
    return {
        "unreadable": deliver(live_web, OUTLOOK).inbound_id,
        "failed": quarantined_by_our_fault(live_web, mail(CONDUCT_NL, to=TO_VERSA)),
        "auto_reply": deliver(live_web, AUTO_REPLY.read_bytes()).inbound_id,
        "html": deliver(live_web, HTML_AUTO_REPLY).inbound_id,
        "files": deliver(live_web, WITH_FILES).inbound_id,
        "bounce": linked_bounce(live_web),
    }


def _lists(lang: str | None, *, is_empty: bool = False) -> Callable[[Page, LiveWeb], None]:
    def visit(page: Page, live_web: LiveWeb) -> None:
        if not is_empty:
            set_aside(live_web)
        sign_in(page, live_web, COCO)
        goto(page, f"{live_web.url}/medewerkers/post{f'?lang={lang}' if lang else ''}")
        t = words(lang or "nl")
        assert page.get_by_role("heading", name=t["inbox_title"], level=1).is_visible()

    return visit


def _item(which: str, lang: str | None) -> Callable[[Page, LiveWeb], None]:
    def visit(page: Page, live_web: LiveWeb) -> None:
        inbound_id = set_aside(live_web)[which]
        sign_in(page, live_web, COCO)
        goto(page, f"{live_web.url}/medewerkers/post/{inbound_id}{f'?lang={lang}' if lang else ''}")
        t = words(lang or "nl")
        assert page.get_by_role("heading", name=t["inbox_content_title"]).is_visible()

    return visit


def _after_dismiss(page: Page, live_web: LiveWeb) -> None:
    _item("unreadable", None)(page, live_web)
    assert press(page, NL["inbox_dismiss_submit"]).status == 303
    assert page.locator(".notice", has_text=NL["inbox_dismiss_done"]).is_visible()


def _dismissed(page: Page, live_web: LiveWeb) -> None:
    _after_dismiss(page, live_web)
    with page.expect_navigation():
        page.get_by_role("link", name=NL["inbox_show_dismissed"]).click()
    assert page.locator('table[data-kind="dismissed"] tbody tr').count() == 1


INBOX_PAGES: dict[str, Callable[[Page, LiveWeb], None]] = {
    "lists": _lists(None),
    "lists-en": _lists("en"),
    "lists-empty": _lists(None, is_empty=True),
    "item-unreadable": _item("unreadable", None),
    "item-unreadable-en": _item("unreadable", "en"),
    "item-failed": _item("failed", None),
    "item-failed-en": _item("failed", "en"),
    "item-html": _item("html", None),
    "item-files": _item("files", None),
    "item-files-en": _item("files", "en"),
    "item-bounce-en": _item("bounce", "en"),
    "after-dismiss": _after_dismiss,
    "dismissed": _dismissed,
}


@pytest.mark.parametrize("name", list(INBOX_PAGES))
def test_inbox_page_has_no_wcag_violations(page: Page, live_web: LiveWeb, name: str) -> None:
    INBOX_PAGES[name](page, live_web)
    assert_no_wcag_violations(page, name)


def test_a_coordinator_triages_a_quarantined_mail_and_requeues_it(
    page_without_js: Page, live_web: LiveWeb
) -> None:
    page = page_without_js
    inbound_id = quarantined_by_our_fault(live_web, mail(CONDUCT_NL, to=TO_VERSA))
    sign_in(page, live_web, COCO)
    goto(page, f"{live_web.url}/medewerkers")
    with page.expect_navigation():
        page.get_by_role("link", name=NL["menu_quarantine"]).click()
    quarantined = page.locator('table[data-kind="quarantined"]')
    assert quarantined.get_by_text(NL["inbox_reason_gave_up"]).is_visible()
    with page.expect_navigation():
        quarantined.get_by_role("link", name=NL["inbox_mail"].format(id=inbound_id)).click()
    assert "Johan de Vries maakt steeds opmerkingen" in page.locator("pre.mail-text").inner_text()
    assert "template store unreachable" in page.locator("main").inner_text()

    assert press(page, NL["inbox_requeue_submit"]).status == 303
    assert page.locator(".notice", has_text=NL["inbox_requeue_done"]).is_visible()
    assert page.get_by_text(NL["inbox_none_quarantined"]).is_visible()
    assert ("vertrouwd.process_mail", (inbound_id,)) in live_web.enqueued
    config = InboxConfig(live_web.settings.mail_from)
    [outcome] = process_due(live_web.database, live_web.postman, config, datetime.now(UTC))
    assert (outcome.inbound_id, outcome.outcome) == (inbound_id, "case")
    with live_web.database.session() as session:
        assert session.get_one(InboundMail, inbound_id).status == "done"

    with page.expect_navigation():
        page.get_by_role("link", name=NL["menu_cases"]).click()
    assert page.get_by_role("link", name=str(outcome.reference)).is_visible()

"""The public pages in a real headless Chromium: without JavaScript, in two languages, with axe.

The browser and its pages are fixtures of tests/fixtures_browser.py. axe-core comes bundled
with axe-playwright-python and checks every page against WCAG 2.1 A and AA; the helpers here
(axe, going to a page, pressing a button) serve the other browser test modules too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import (
    Page,
    Response,
    expect,
)
from sqlalchemy import func, select

from forms.i18n import TEXT
from tests.conftest import LiveWeb
from tests.servers import ReceivedMail, SmtpSink
from workflow.models import Case

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
REFERENCE = re.compile(r"VP-\d{4}-\d{4}")
CODE = re.compile(r"[A-Z2-9]{4}-[A-Z2-9]{4}")

NL, EN = TEXT["nl"], TEXT["en"]

CLIENT_NAME = "Sanne Vermeulen-Testpersoon"
CLIENT_EMAIL = "sanne.vermeulen@example.net"
DESCRIPTION = "Mijn begeleider schreeuwt tegen mij tijdens het avondeten in de woongroep."


# --- helpers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """What a client fills in; `None` leaves a field alone."""

    description: str | None = DESCRIPTION
    kind: str | None = "conduct"
    wish: str | None = None
    name: str | None = None
    email: str | None = None
    anonymous: bool = False
    privacy: bool = True


def open_form(page: Page, live_web: LiveWeb, lang: str | None = None) -> Response:
    query = f"?lang={lang}" if lang else ""
    response = page.goto(f"{live_web.url}/melden/versa{query}")
    assert response is not None and response.status == 200
    return response


def fill(page: Page, report: Report, t: dict[str, str] = NL) -> None:
    """Fill the form the way a person does: find each field by its visible label."""
    if report.description is not None:
        page.get_by_label(t["description"]).fill(report.description)
    if report.kind is not None:
        page.get_by_label(t[f"kind_{report.kind}"], exact=True).check()
    if report.wish is not None:
        page.get_by_label(t[f"gender_{report.wish}"], exact=True).check()
    if report.name is not None:
        page.get_by_label(t["name"]).fill(report.name)
    if report.email is not None:
        page.get_by_label(t["email"]).fill(report.email)
    if report.anonymous:
        page.get_by_label(t["anonymous"]).check()
    if report.privacy:
        page.get_by_label(t["privacy"]).check()


def submit(page: Page, t: dict[str, str] = NL) -> Response:
    """Press the send button; return the answer to the POST."""
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name=t["submit"]).click()
    page.wait_for_load_state("load")
    return answer.value


def send_report(page: Page, live_web: LiveWeb, report: Report, lang: str | None = None) -> Page:
    t = TEXT[lang or "nl"]
    open_form(page, live_web, lang)
    fill(page, report, t)
    response = submit(page, t)
    assert response.status == 200, page.content()
    return page


def count_cases(live_web: LiveWeb) -> int:
    with live_web.database.session() as session:
        return int(session.scalar(select(func.count()).select_from(Case)) or 0)


def mail_text(mail: ReceivedMail) -> str:
    """Headers and every decoded text part of a mail, as one string to search in."""
    message: EmailMessage = mail.message
    parts = [f"{name}: {value}" for name, value in message.items()]
    for part in message.walk():
        if part.get_content_maintype() == "text":
            parts.append(str(part.get_content()))
    return "\n".join(parts)


def addressed_to(mails: list[ReceivedMail], recipient: str) -> list[ReceivedMail]:
    return [m for m in mails if recipient in m.rcpt_tos]


def axe_violations(page: Page) -> list[dict[str, Any]]:
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options)
    return list(results.response["violations"])


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"<{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {json.dumps(node['target'])}: {node.get('failureSummary', '')}")
    return "\n".join(lines)


def assert_references_resolve(page: Page) -> None:
    """Every id named by aria-describedby / aria-labelledby / label[for] exists on the page."""
    missing = page.evaluate(
        """() => {
            const missing = [];
            for (const el of document.querySelectorAll(
                    "[aria-describedby], [aria-labelledby], label[for]")) {
                const ids = [
                    ...(el.getAttribute("aria-describedby") || "").split(/\\s+/),
                    ...(el.getAttribute("aria-labelledby") || "").split(/\\s+/),
                    el.getAttribute("for") || "",
                ].filter(Boolean);
                for (const id of ids) {
                    if (!document.getElementById(id)) missing.push(id);
                }
            }
            return missing;
        }"""
    )
    assert missing == [], f"references to ids that do not exist: {missing}"


def assert_accessible(page: Page, what: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe found WCAG 2.1 AA violations on {what}:\n{describe(violations)}"


def assert_no_wcag_violations(page: Page, what: str) -> None:
    """Every id the page refers to exists, and axe finds nothing: `what` names the page."""
    assert_references_resolve(page)
    assert_accessible(page, f"{what} ({page.url})")


def goto(page: Page, url: str, status: int = 200) -> None:
    response = page.goto(url)
    assert response is not None and response.status == status, url


def press(page: Page, button: str) -> Response:
    """Press a button that posts and wait for the page it leads to; the POST's response."""
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name=button).click()
    page.wait_for_load_state("load")
    return answer.value


# --- the client's path, without JavaScript ----------------------------------------------------


def test_client_submits_the_form_and_sees_reference_and_mails_arrive(
    page_without_js: Page, live_web: LiveWeb, smtp_sink: SmtpSink
) -> None:
    page = page_without_js
    report = Report(kind="conduct", wish="female", name=CLIENT_NAME, email=CLIENT_EMAIL)

    send_report(page, live_web, report)

    reference = page.locator(".reference").inner_text().strip()
    assert REFERENCE.fullmatch(reference), reference
    assert page.get_by_role("heading", level=1).inner_text() == NL["thanks_title"]
    assert NL["thanks_mail"] in page.locator("main").inner_text()
    assert count_cases(live_web) == 1

    live_web.courier.deliver_due(datetime.now(UTC))
    mails = smtp_sink.wait_for(2)
    live_web.courier.deliver_due(datetime.now(UTC))  # a second sweep sends nothing again
    mails = smtp_sink.messages
    assert sorted(r for m in mails for r in m.rcpt_tos) == sorted(
        [CLIENT_EMAIL, "anna@example.org"]
    ), [(m.rcpt_tos, m.message["Subject"]) for m in mails]

    [acknowledgement] = addressed_to(mails, CLIENT_EMAIL)
    assert reference in str(acknowledgement.message["Subject"])

    [assignment] = addressed_to(mails, "anna@example.org")
    assert reference in str(assignment.message["Subject"])
    text = mail_text(assignment) + "\n" + assignment.data.decode("utf-8", "replace")
    for secret in (CLIENT_NAME, CLIENT_EMAIL, DESCRIPTION, "Vermeulen", "schreeuwt"):
        assert secret not in text, f"the advisor's mail leaks {secret!r}"


# --- errors in the client's language ----------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_an_empty_form_answers_400_with_errors_naming_the_fields_in_the_page_language(
    page_without_js: Page, live_web: LiveWeb, lang: str
) -> None:
    page = page_without_js
    t = TEXT[lang]
    open_form(page, live_web, lang if lang == "en" else None)
    assert page.locator("html").get_attribute("lang") == lang
    assert page.get_by_label(t["description"]).is_visible()
    assert page.get_by_label(t["email"]).is_visible()
    assert page.get_by_role("button", name=t["submit"]).is_visible()

    response = submit(page, t)

    assert response.status == 400
    summary = page.locator(".error-summary")
    assert summary.get_by_role("heading").inner_text() == t["errors_title"]
    messages = summary.get_by_role("listitem").all_inner_texts()
    assert t["error_required"].format(field=t["description"]) in messages
    assert t["error_choose"].format(field=t["kind"]) in messages
    assert t["error_privacy"].format(field=t["privacy"]) in messages
    assert t["error_contact"].format(field=t["email"]) in messages
    assert {"en": "What happened?", "nl": "Wat is er gebeurd?"}[lang] in summary.inner_text()
    # Focus lands on the summary (autofocus, no JavaScript needed); each message links to a
    # field that takes focus, and the field says it is invalid and why.
    expect(summary).to_be_focused()
    for href in summary.locator("a").evaluate_all("links => links.map(a => a.hash)"):
        target = page.locator(href)
        assert target.count() == 1, href
        assert target.evaluate("el => el.tagName") in ("INPUT", "TEXTAREA"), href
    description = page.get_by_label(t["description"])
    assert description.get_attribute("aria-invalid") == "true"
    assert "description-error" in (description.get_attribute("aria-describedby") or "")
    assert page.locator("#description-error").is_visible()
    assert_references_resolve(page)
    assert count_cases(live_web) == 0


# --- anonymous: a secret link and code --------------------------------------------------------


def test_anonymous_client_gets_a_dossier_link_and_code(
    page_without_js: Page, live_web: LiveWeb, smtp_sink: SmtpSink
) -> None:
    page = page_without_js
    # Contact details typed before ticking "anonymous" are dropped, not kept.
    report = Report(kind="question", anonymous=True, name=CLIENT_NAME, email=CLIENT_EMAIL)
    send_report(page, live_web, report)

    assert REFERENCE.fullmatch(page.locator(".reference").inner_text().strip())
    code = page.locator(".code").inner_text().strip()
    assert CODE.fullmatch(code), code
    link = page.locator(".dossier-link")
    href = link.get_attribute("href")
    assert href is not None and href.startswith(f"{live_web.url}/dossier/")
    assert link.inner_text().strip() == href

    assert NL["thanks_mail"] not in page.locator("main").inner_text(), "no mail goes out"

    opened = page.goto(href)
    assert opened is not None and opened.status == 200
    assert page.get_by_role("heading", level=1).inner_text() == NL["dossier_title"]

    made_up = page.goto(f"{live_web.url}/dossier/not-a-real-token-1234567890")
    assert made_up is not None and made_up.status == 404

    live_web.courier.deliver_due(datetime.now(UTC))
    recipients = [r for m in smtp_sink.messages for r in m.rcpt_tos]
    assert CLIENT_EMAIL not in recipients
    assert all(r.endswith("@example.org") for r in recipients), recipients


# --- axe-core on every public page ------------------------------------------------------------


def _visit(path: str, status: int = 200) -> Callable[[Page, LiveWeb], None]:
    return lambda page, live_web: goto(page, f"{live_web.url}{path}", status)


def _failed_submit(lang: str | None) -> Callable[[Page, LiveWeb], None]:
    def visit(page: Page, live_web: LiveWeb) -> None:
        open_form(page, live_web, lang)
        t = TEXT[lang or "nl"]
        # Some right, some wrong: errors next to filled-in fields too.
        page.get_by_label(t["email"]).fill("not-an-email")
        response = submit(page, t)
        assert response.status == 400
        assert page.locator(".error-summary").is_visible()

    return visit


def _thanks(report: Report, lang: str | None = None) -> Callable[[Page, LiveWeb], None]:
    def visit(page: Page, live_web: LiveWeb) -> None:
        send_report(page, live_web, report, lang)
        assert page.locator(".reference").is_visible()

    return visit


def _finding_advisor(page: Page, live_web: LiveWeb) -> None:
    # Complaints go to the chair; the only chair (Els) is a woman, the client wants a man.
    send_report(page, live_web, Report(kind="complaint", wish="male", email=CLIENT_EMAIL))
    assert page.locator(".notice", has_text=NL["thanks_finding"]).is_visible()


def _anonymous_thanks(page: Page, live_web: LiveWeb) -> None:
    send_report(page, live_web, Report(anonymous=True))
    assert page.locator(".dossier-link").is_visible()


def _dossier(page: Page, live_web: LiveWeb) -> None:
    _anonymous_thanks(page, live_web)
    href = page.locator(".dossier-link").get_attribute("href")
    assert href is not None
    goto(page, href)


def _invalid_dossier(page: Page, live_web: LiveWeb) -> None:
    _visit("/dossier/not-a-real-token-1234567890", 404)(page, live_web)


def _choice_page(with_errors: bool) -> Callable[[Page, LiveWeb], None]:
    """The page a mail's acknowledgement links to when we could not tell what it is about."""

    def visit(page: Page, live_web: LiveWeb) -> None:
        from datetime import UTC, datetime

        from workflow import tokens
        from workflow.cases import find_by_reference

        send_report(page, live_web, Report(email=CLIENT_EMAIL))
        reference = page.locator(".reference").inner_text()
        with live_web.database.unit_of_work() as uow:
            case = find_by_reference(uow.session, reference)
            assert case is not None
            issued = tokens.issue(uow.session, uow.vault, case, "choose", datetime.now(UTC),
                                  tokens.CHOOSE_LIFETIME)  # fmt: skip
            uow.commit()
        _visit(f"/kiezen/{issued.token}")(page, live_web)
        if with_errors:
            with page.expect_navigation():
                page.locator("button[type=submit]").click()
            assert page.locator(".error-summary").is_visible()

    return visit


PUBLIC_PAGES: dict[str, Callable[[Page, LiveWeb], None]] = {
    "index": _visit("/"),
    "index-en": _visit("/?lang=en"),
    "form": _visit("/melden/versa"),
    "form-en": _visit("/melden/versa?lang=en"),
    "form-errors": _failed_submit(None),
    "form-errors-en": _failed_submit("en"),
    "thanks-named": _thanks(Report(wish="female", name=CLIENT_NAME, email=CLIENT_EMAIL)),
    "thanks-named-en": _thanks(Report(wish="female", email=CLIENT_EMAIL), "en"),
    "thanks-anonymous": _anonymous_thanks,
    "thanks-finding-advisor": _finding_advisor,
    "not-found": _visit("/bestaat-niet", 404),
    "not-found-organisation": _visit("/melden/onbekend?lang=en", 404),
    "dossier": _dossier,
    "dossier-invalid": _invalid_dossier,
    "choose": _choice_page(with_errors=False),
    "choose-errors": _choice_page(with_errors=True),
}


@pytest.mark.parametrize("name", list(PUBLIC_PAGES))
def test_public_page_has_no_wcag_violations(page: Page, live_web: LiveWeb, name: str) -> None:
    PUBLIC_PAGES[name](page, live_web)
    assert_no_wcag_violations(page, name)


def test_healthz_is_json(page: Page, live_web: LiveWeb) -> None:
    response = page.goto(f"{live_web.url}/healthz")
    assert response is not None and response.status == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"status": "ok", "database": "ok"}


# --- keyboard ---------------------------------------------------------------------------------


def _focused(page: Page) -> dict[str, str]:
    return dict(
        page.evaluate(
            """() => {
                const el = document.activeElement;
                return {tag: el.tagName.toLowerCase(), id: el.id || "",
                        name: el.getAttribute("name") || "", cls: el.className || "",
                        text: (el.innerText || "").trim()};
            }"""
        )
    )


def test_first_tab_focuses_the_skip_link_and_it_moves_to_main(
    page: Page, live_web: LiveWeb
) -> None:
    open_form(page, live_web)

    page.keyboard.press("Tab")
    focused = _focused(page)
    assert focused["cls"] == "skip" and focused["text"] == NL["skip"], focused
    skip = page.locator("a.skip")
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, "skip link is off screen"

    page.keyboard.press("Enter")
    assert page.url.endswith("#inhoud")
    focused = _focused(page)
    assert focused["tag"] == "main" and focused["id"] == "inhoud", focused
    # The next Tab continues inside main, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")


def test_the_honeypot_is_a_real_input_that_keyboard_and_screen_readers_never_meet(
    page: Page, live_web: LiveWeb
) -> None:
    open_form(page, live_web)
    honeypot = page.locator("input[name=website]")
    assert honeypot.count() == 1

    names = []
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = _focused(page)
        names.append(focused["name"] or focused["tag"])
        if focused["tag"] == "button":
            break
    assert "button" in names, names
    assert "website" not in names, names
    assert NL["honeypot"] not in page.locator("body").aria_snapshot()


def test_fields_carry_their_hints_and_the_privacy_statement(
    page_without_js: Page, live_web: LiveWeb
) -> None:
    page = page_without_js
    open_form(page, live_web)
    expect(page.get_by_label(NL["description"])).to_have_accessible_description(
        NL["description_hint"]
    )
    expect(page.get_by_label(NL["anonymous"])).to_have_accessible_description(NL["anonymous_hint"])
    expect(page.get_by_label(NL["privacy"])).to_have_accessible_description(NL["privacy_text"])
    expect(page.get_by_role("group", name=NL["kind"])).to_be_visible()
    expect(page.get_by_role("group", name=NL["preferred_gender"])).to_be_visible()
    assert_references_resolve(page)

"""The admin pages in a real headless Chromium: axe-core in two languages, and one admin's round.

The browser and its pages are fixtures (tests/fixtures_browser.py); signing in is not what is
tested here: the browser gets a signed session cookie, as after sign-in (and second factor).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page
from sqlalchemy import select

from forms.i18n import words
from tests.conftest import LiveWeb
from tests.test_advisor_pages import ANNA
from tests.test_browser import assert_no_wcag_violations, goto, press
from tests.test_browser_staff_cases import sign_in, worked_case
from workflow import access
from workflow.models import Absence, Advisor, Organisation
from workflow.organisations import add_advisor

pytestmark = pytest.mark.browser

NL = words("nl")
ADA = "ada@example.org"
BASE = "/medewerkers/beheer"


def with_admin(live_web: LiveWeb) -> None:
    """Ada, the admin; Anna with leave to come and a second factor; a case seen (the log)."""
    reference = worked_case(live_web)
    today = datetime.now(UTC).astimezone(ZoneInfo("Europe/Amsterdam")).date()
    with live_web.database.unit_of_work() as uow:
        add_advisor(uow.session, organisation_slug="versa", name="Ada", email=ADA,
                    gender="female", role="admin", now=datetime.now(UTC))  # fmt: skip
        anna = uow.session.scalars(select(Advisor).where(Advisor.email == ANNA)).one()
        anna.totp_enabled_at = datetime.now(UTC)
        access.audit(uow.session, anna, "view_case", datetime.now(UTC), reference=reference)
        uow.session.add(Absence(advisor_id=anna.id, starts_on=today + timedelta(days=7),
                                ends_on=today + timedelta(days=9)))  # fmt: skip
        uow.commit()


def anna_id(live_web: LiveWeb) -> int:
    with live_web.database.session() as session:
        return int(session.scalar(select(Advisor.id).where(Advisor.email == ANNA)) or 0)


def _visit(path: Callable[[LiveWeb], str], heading: str, lang: str | None):
    def visit(page: Page, live_web: LiveWeb) -> None:
        with_admin(live_web)
        sign_in(page, live_web, ADA)
        goto(page, f"{live_web.url}{path(live_web)}{f'?lang={lang}' if lang else ''}")
        t = words(lang or "nl")
        name = t.get(heading, heading)
        assert page.get_by_role("heading", level=1, name=name).is_visible()

    return visit


def _organisations(lang: str | None) -> Callable[[Page, LiveWeb], None]:
    return _visit(lambda live: f"{BASE}/organisaties", "admin_org_title", lang)


def _organisation(lang: str | None) -> Callable[[Page, LiveWeb], None]:
    title = words(lang or "nl")["admin_org_edit_title"].format(name="Versa Welzijn")
    return _visit(lambda live: f"{BASE}/organisaties/versa", title, lang)


def _advisors(lang: str | None) -> Callable[[Page, LiveWeb], None]:
    return _visit(lambda live: f"{BASE}/medewerkers", "admin_staff_title", lang)


def _advisor(lang: str | None) -> Callable[[Page, LiveWeb], None]:
    def visit(page: Page, live_web: LiveWeb) -> None:
        _visit(lambda live: f"{BASE}/medewerkers/{anna_id(live)}", "Anna", lang)(page, live_web)
        t = words(lang or "nl")
        assert page.get_by_role("button", name=t["admin_leave_remove"]).is_visible()
        assert page.get_by_role("button", name=t["admin_factor_reset_submit"]).is_visible()

    return visit


def _audit(lang: str | None) -> Callable[[Page, LiveWeb], None]:
    def visit(page: Page, live_web: LiveWeb) -> None:
        _visit(lambda live: f"{BASE}/logboek", "admin_audit_title", lang)(page, live_web)
        assert page.locator("table.audit tbody tr").count() >= 1

    return visit


def _organisation_errors(lang: str | None) -> Callable[[Page, LiveWeb], None]:
    def visit(page: Page, live_web: LiveWeb) -> None:
        t = words(lang or "nl")
        _organisation(lang)(page, live_web)
        page.get_by_label(t["admin_org_business_end_hour"]).fill("8")
        page.get_by_label(t["admin_org_timezone"]).fill("Mars/Olympus")
        page.get_by_label(t["admin_org_name"]).fill("")
        assert press(page, t["admin_org_submit"]).status == 400
        assert page.locator(".error-summary li").count() == 3

    return visit


def _staff_errors(lang: str | None) -> Callable[[Page, LiveWeb], None]:
    def visit(page: Page, live_web: LiveWeb) -> None:
        t = words(lang or "nl")
        _advisors(lang)(page, live_web)
        page.get_by_label(t["admin_staff_email"]).fill("geen adres")
        assert press(page, t["admin_staff_new_submit"]).status == 400
        assert page.locator(".error-summary li").count() == 5  # name, email, role, gender, orgs
        assert page.locator("fieldset.has-error").count() == 3

    return visit


def _leave_errors(page: Page, live_web: LiveWeb) -> None:
    _advisor(None)(page, live_web)
    page.get_by_label(NL["admin_leave_starts_on"]).fill("2026-12-10")
    page.get_by_label(NL["admin_leave_ends_on"]).fill("2026-12-01")
    assert press(page, NL["admin_leave_submit"]).status == 400
    assert page.locator(".error-summary").is_visible()


ADMIN_PAGES: dict[str, Callable[[Page, LiveWeb], None]] = {
    "organisations": _organisations(None),
    "organisations-en": _organisations("en"),
    "organisation": _organisation(None),
    "organisation-en": _organisation("en"),
    "organisation-errors": _organisation_errors(None),
    "organisation-errors-en": _organisation_errors("en"),
    "staff": _advisors(None),
    "staff-en": _advisors("en"),
    "staff-errors": _staff_errors(None),
    "staff-errors-en": _staff_errors("en"),
    "staff-member": _advisor(None),
    "staff-member-en": _advisor("en"),
    "staff-member-leave-errors": _leave_errors,
    "audit": _audit(None),
    "audit-en": _audit("en"),
}


@pytest.mark.parametrize("name", list(ADMIN_PAGES))
def test_admin_page_has_no_wcag_violations(page: Page, live_web: LiveWeb, name: str) -> None:
    ADMIN_PAGES[name](page, live_web)
    assert_no_wcag_violations(page, name)


def test_an_admin_edits_an_organisation_and_adds_leave_without_javascript(
    page_without_js: Page, live_web: LiveWeb
) -> None:
    page = page_without_js
    with_admin(live_web)
    sign_in(page, live_web, ADA)
    goto(page, f"{live_web.url}{BASE}/organisaties")
    with page.expect_navigation():
        page.get_by_role("link", name="Versa Welzijn").click()
    page.get_by_label(NL["admin_org_first_contact_days"]).fill("5")
    page.get_by_role("group", name=NL["admin_org_question_role"]).get_by_label(
        NL["admin_role_chair"]).check()  # fmt: skip
    assert press(page, NL["admin_org_submit"]).status == 303
    assert page.locator(".notice", has_text=NL["admin_saved"]).is_visible()
    assert page.get_by_label(NL["admin_org_first_contact_days"]).input_value() == "5"
    with live_web.database.session() as session:
        versa = session.scalars(select(Organisation).where(Organisation.slug == "versa")).one()
        assert (versa.first_contact_days, versa.question_role) == (5, "chair")

    with page.expect_navigation():
        page.get_by_role("link", name=NL["menu_advisors"]).click()
    with page.expect_navigation():
        page.get_by_role("link", name="Karim").click()
    page.get_by_label(NL["admin_leave_starts_on"]).fill("2099-07-01")
    page.get_by_label(NL["admin_leave_ends_on"]).fill("2099-07-14")
    assert press(page, NL["admin_leave_submit"]).status == 303
    assert page.locator(".notice", has_text=NL["admin_leave_added"]).is_visible()
    period = NL["admin_leave_period"].format(start="woensdag 1 juli 2099",
                                             end="dinsdag 14 juli 2099")  # fmt: skip
    assert page.get_by_role("rowheader", name=period).is_visible()
    with live_web.database.session() as session:
        karim = select(Advisor.id).where(Advisor.name == "Karim").scalar_subquery()
        rows = session.execute(select(Absence.starts_on, Absence.ends_on)
                               .where(Absence.advisor_id == karim)).all()  # fmt: skip
    assert [(a.isoformat(), b.isoformat()) for a, b in rows] == [("2099-07-01", "2099-07-14")]

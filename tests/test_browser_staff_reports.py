"""The coordinator's reports page in headless Chromium: axe-core in Dutch and in English, and
the report read and downloaded without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from forms.i18n import words
from tests.conftest import LiveWeb
from tests.test_browser import assert_no_wcag_violations, goto
from tests.test_browser_staff_cases import sign_in
from tests.test_reports import store, versa_cases

pytestmark = pytest.mark.browser

COCO = "coco@example.org"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_reports_page_has_no_wcag_violations(page: Page, live_web: LiveWeb, lang: str) -> None:
    store(live_web.database, "versa", versa_cases())
    sign_in(page, live_web, COCO)
    goto(page, f"{live_web.url}/medewerkers/rapportages?org=versa&period=2026-Q3&lang={lang}")

    charts = page.locator("svg[role=img]").count()
    named = page.get_by_role("img", name=re.compile("^(Staafdiagram|Bar chart) ")).count()
    assert charts == named > 0  # every chart is announced by its title
    assert_no_wcag_violations(page, f"reports-{lang}")


def test_a_coordinator_chooses_a_period_and_downloads_without_javascript(
    page_without_js: Page, live_web: LiveWeb
) -> None:
    page, t = page_without_js, words("nl")
    store(live_web.database, "versa", versa_cases())
    sign_in(page, live_web, COCO)
    goto(page, f"{live_web.url}/medewerkers/rapportages")

    page.get_by_label(t["reports_period"]).select_option("2026")
    with page.expect_navigation():
        page.get_by_role("button", name=t["reports_show"]).click()
    assert "period=2026" in page.url
    assert page.get_by_role("heading", name="Nieuwe contacten per kanaal").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name=t["reports_download_csv"]).click()
    assert download.value.suggested_filename == "rapportage-versa-2026.csv"

"""The admin pages over the Flask test client: organisations, staff, leave, second factor, audit.

Forms are filled as a browser would: the page's own form is read (its prefilled values, its
checked boxes), changed where the test says, and posted to the form's own action.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import fields, replace
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from forms.admin_forms import ORG_GROUPS
from forms.i18n import words
from forms.staff_admin import BASE
from forms.staff_admin import ROUTES as STAFF_ADMIN_ROUTES
from forms.staff_audit import PAGE_SIZE
from forms.staff_audit import ROUTES as AUDIT_ROUTES
from tests.conftest import Clock, Web, seed_organisation
from tests.test_advisor_pages import ANNA, DESCRIPTION, advisor_id, case_of, open_assigned_case
from tests.test_staff_cases import (
    ADA,
    COCO,
    HOME,
    KARIM,
    OLGA,
    audit_entries,
    csrf_for,
    main_of,
    page_of,
    signed_in,
)
from tests.test_staff_cases import add_strangers as add_admin_and_olga
from workflow import access, staff_admin
from workflow.assignment import candidates_for
from workflow.db import Database
from workflow.models import Absence, Advisor, AuditEntry, Organisation, advisor_organisations
from workflow.organisations import RETENTION_SETTINGS, add_advisor
from workflow.staff_admin import Invalid, OrganisationSettings, Problem, StaffDetails

NL, EN = words("nl"), words("en")
ELS = "els@example.org"  # the chair
ORGANISATIONS, STAFF, AUDIT = f"{BASE}/organisaties", f"{BASE}/medewerkers", f"{BASE}/logboek"
TODAY = date(2026, 11, 23)  # the test clock's day (tests.conftest.START)
ROUTES = STAFF_ADMIN_ROUTES + AUDIT_ROUTES  # every admin route: organisations, staff, the audit log


# --- helpers ------------------------------------------------------------------------------


class _Forms(HTMLParser):
    """What a browser would send for each form of a page: text, hidden, checked boxes."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, list[str]]]] = []
        self._open: dict[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form":
            self._open = {}
            self.forms.append((found.get("action") or "", self._open))
        elif tag == "input" and self._open is not None and found.get("name"):
            if found.get("type") in ("radio", "checkbox") and "checked" not in found:
                return
            self._open.setdefault(str(found["name"]), []).append(found.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = None


def form_on(page: str, path: str) -> tuple[str, dict[str, list[str]]]:
    """The form that posts to `path`: its action (with the language) and its values."""
    parser = _Forms()
    parser.feed(page)
    for action, values in parser.forms:
        if urlsplit(action).path == path:
            return action, values
    raise AssertionError(f"no form posts to {path}")


def submit(
    client: FlaskClient, page: str, path: str, **changes: str | list[str] | None
) -> TestResponse:
    """Open `page`, fill its form for `path` as given (None: leave empty/unticked), post it."""
    action, values = form_on(client.get(page).get_data(as_text=True), path)
    for name, value in changes.items():
        values[name] = [] if value is None else [value] if isinstance(value, str) else value
    return client.post(action, data=values)


def staff_page(web: Web, address: str) -> str:
    return f"{STAFF}/{advisor_id(web, address)}"


def admin_tables(web: Web) -> tuple[object, ...]:
    """Everything an admin page may change."""
    tables = (Organisation.__table__, Advisor.__table__, advisor_organisations,
              Absence.__table__)  # fmt: skip
    with web.database.session() as session:
        return tuple(
            tuple(session.execute(select(table).order_by(*table.primary_key.columns)).all())
            for table in tables
        )


def admin_entries(web: Web) -> list[AuditEntry]:
    """The audit entries an admin's changes wrote (not views of the log)."""
    views = ("view_audit", "export_audit")
    return [e for e in audit_entries(web) if e.staff_role == "admin" and e.action not in views]


def organisation(web: Web, slug: str = "versa") -> Organisation:
    with web.database.session() as session:
        found = session.scalar(select(Organisation).where(Organisation.slug == slug))
        assert found is not None
        session.expunge(found)
        return found


def staff_member(web: Web, address: str) -> Advisor:
    with web.database.session() as session:
        found = session.scalar(select(Advisor).where(Advisor.email == address))
        assert found is not None
        found.organisations  # noqa: B018  (loaded before the session closes)
        session.expunge(found)
        return found


def leave_of(web: Web, address: str) -> list[tuple[date, date]]:
    with web.database.session() as session:
        rows = session.execute(select(Absence.starts_on, Absence.ends_on).where(
            Absence.advisor_id == advisor_id(web, address)).order_by(Absence.id))  # fmt: skip
        return [(first, last) for first, last in rows]


def summary(page: str) -> list[str]:
    """The links of the error summary."""
    found = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    return re.findall(r'<a href="#([^"]+)">', found.group(0)) if found else []


def said(page: str, key: str, t: dict[str, str] = NL, **values: object) -> bool:
    return t[key].format(**values) in page


@pytest.fixture
def admin(web: Web) -> FlaskClient:
    """Ada, the admin (of organisation versa), signed in; Olga coordinates `other`."""
    add_admin_and_olga(web)
    return signed_in(web, ADA)


# --- organisations -----------------------------------------------------------------------


def test_the_admin_sees_the_organisations_with_who_handles_what(web: Web, admin: FlaskClient):
    page = main_of(admin.get(ORGANISATIONS).get_data(as_text=True))
    assert said(page, "admin_org_title") and said(page, "admin_org_caption")
    assert f'href="{ORGANISATIONS}/versa?lang=nl"' in page and f"{ORGANISATIONS}/other" in page
    assert said(page, "admin_role_chair") and said(page, "admin_org_new_title")
    english = admin.get(f"{ORGANISATIONS}?lang=en").get_data(as_text=True)
    assert said(english, "admin_org_caption", EN) and said(english, "admin_role_chair", EN)


def test_an_admin_changes_an_organisations_settings_and_they_are_stored(
    web: Web, admin: FlaskClient
) -> None:
    path = f"{ORGANISATIONS}/versa"
    response = submit(admin, path, path, name="Versa Welzijn Utrecht",
                      committee_email="Commissie@Example.org", complaint_role="vertrouwenspersoon",
                      question_role="chair", assignment_reminder_days="2",
                      assignment_escalation_days="4", first_contact_days="5",
                      inactivity_days="20", timezone="Europe/Brussels", business_start_hour="8",
                      business_end_hour="16", signal_threshold="4",
                      signal_window_days="180")  # fmt: skip
    assert response.status_code == 303 and response.headers["Location"] == f"{path}?lang=nl"
    assert said(admin.get(response.headers["Location"]).get_data(as_text=True), "admin_saved")
    stored = organisation(web)
    assert (stored.name, stored.committee_email) == (
        "Versa Welzijn Utrecht",
        "commissie@example.org",
    )
    assert (stored.complaint_role, stored.conduct_role, stored.question_role) == (
        "vertrouwenspersoon", "vertrouwenspersoon", "chair")  # fmt: skip
    assert (stored.assignment_reminder_days, stored.assignment_escalation_days,
            stored.first_contact_days, stored.inactivity_days) == (2, 4, 5, 20)  # fmt: skip
    assert (stored.timezone, stored.business_start_hour, stored.business_end_hour) == (
        "Europe/Brussels", 8, 16)  # fmt: skip
    assert (stored.signal_threshold, stored.signal_window_days) == (4, 180)
    [entry] = admin_entries(web)
    assert (entry.action, entry.staff_id, entry.case_reference) == (
        "organisation_changed", advisor_id(web, ADA), None)  # fmt: skip
    assert entry.detail.startswith("organisation versa: name, committee_email, complaint_role")
    assert "Utrecht" not in entry.detail and "commissie@" not in entry.detail


def test_saving_the_form_unchanged_changes_nothing_and_says_so_in_the_log(
    web: Web, admin: FlaskClient
) -> None:
    path = f"{ORGANISATIONS}/versa"
    before = admin_tables(web)
    assert submit(admin, path, path).status_code == 303
    assert admin_tables(web) == before
    assert [e.detail for e in admin_entries(web)] == ["organisation versa: nothing changed"]


def test_every_organisation_setting_is_in_one_group_of_the_page() -> None:
    on_page = [name for _, group in ORG_GROUPS for name, _ in group]
    assert sorted(on_page) == sorted(f.name for f in fields(OrganisationSettings))


def test_the_page_shows_how_long_we_keep_data_with_the_current_terms(
    web: Web, admin: FlaskClient
) -> None:
    path = f"{ORGANISATIONS}/versa"
    with web.database.unit_of_work() as uow:
        versa = uow.session.scalars(select(Organisation).where(Organisation.slug == "versa")).one()
        versa.retention_months, versa.machine_mail_retention_days = 18, 14
        uow.commit()
    for lang, t in (("nl", NL), ("en", EN)):
        page = admin.get(f"{path}?lang={lang}").get_data(as_text=True)
        assert said(page, "admin_org_group_keeping", t)
        for name, (low, high) in RETENTION_SETTINGS.items():
            assert said(page, f"admin_org_{name}", t), name
            assert said(page, f"admin_org_{name}_hint", t, low=low, high=high), name
        _, values = form_on(page, path)
        assert [values[name] for name in RETENTION_SETTINGS] == [["18"], ["14"], ["90"]]


def test_an_admin_changes_how_long_we_keep_data_and_it_is_stored_and_audited(
    web: Web, admin: FlaskClient
) -> None:
    path = f"{ORGANISATIONS}/versa"
    response = submit(admin, path, path, retention_months=" 24", machine_mail_retention_days="7",
                      quarantine_retention_days="365")  # fmt: skip
    assert response.status_code == 303
    stored = organisation(web)
    assert (stored.retention_months, stored.machine_mail_retention_days,
            stored.quarantine_retention_days) == (24, 7, 365)  # fmt: skip
    assert [(e.action, e.detail) for e in admin_entries(web)] == [(
        "organisation_changed", "organisation versa: retention_months, "
        "machine_mail_retention_days, quarantine_retention_days")]  # fmt: skip


# (field, value, error key, values for the message): each refused, naming its field
BAD_SETTINGS = [
    ("name", "", "error_required", {}),
    ("name", "x" * 201, "error_too_long", {"max": 200}),
    ("committee_email", "commissie", "admin_error_email", {}),
    ("complaint_role", "boss", "admin_error_choice", {}),
    ("assignment_reminder_days", "0", "admin_error_range", {"low": 1, "high": 30}),
    ("inactivity_days", "tien", "admin_error_range", {"low": 1, "high": 90}),
    ("signal_window_days", "-5", "admin_error_range", {"low": 1, "high": 3650}),
    ("timezone", "Mars/Olympus_Mons", "admin_error_time_zone", {}),
    ("timezone", "../../etc/passwd", "admin_error_time_zone", {}),
    ("business_end_hour", "9", "admin_error_hours_order", {}),
    ("assignment_escalation_days", "1", "admin_error_escalation_order", {}),
    *((name, str(value), "admin_error_range", {"low": low, "high": high})
      for name, (low, high) in RETENTION_SETTINGS.items() for value in (low - 1, high + 1)),
]  # fmt: skip


@pytest.mark.parametrize(("field", "value", "key", "extra"), BAD_SETTINGS,
                         ids=[f"{f}={v[:12]}" for f, v, *_ in BAD_SETTINGS])  # fmt: skip
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_invalid_settings_answer_400_naming_the_field_in_the_page_language(
    web: Web, admin: FlaskClient, field: str, value: str, key: str, extra: dict[str, int],
    lang: str,
) -> None:  # fmt: skip
    t, path = words(lang), f"{ORGANISATIONS}/versa"
    before = admin_tables(web)
    response = submit(admin, f"{path}?lang={lang}", path, **{field: value})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    message = t[key].format(field=t[f"admin_org_{field}"], **extra)
    assert message in page, message
    assert f'<a href="#{field}' in page and 'class="error-summary"' in page
    assert admin_tables(web) == before
    [entry] = admin_entries(web)
    assert entry.action == "organisation_changed"
    assert entry.detail.startswith("organisation versa: invalid (") and field in entry.detail


def test_an_admin_adds_an_organisation_and_a_taken_or_odd_code_is_refused(
    web: Web, admin: FlaskClient
) -> None:
    response = submit(admin, ORGANISATIONS, ORGANISATIONS, slug="Buurtzorg-Oost",
                      name="Buurtzorg Oost", complaint_role="vertrouwenspersoon")  # fmt: skip
    assert response.status_code == 303
    assert response.headers["Location"] == f"{ORGANISATIONS}/buurtzorg-oost?lang=nl"
    assert said(admin.get(response.headers["Location"]).text, "admin_org_added")
    added = organisation(web, "buurtzorg-oost")
    assert (added.name, added.complaint_role, added.timezone) == (
        "Buurtzorg Oost", "vertrouwenspersoon", "Europe/Amsterdam")  # fmt: skip
    for slug, key in (("versa", "admin_error_slug_taken"), ("zorg oost", "admin_error_slug"),
                      ("zorg/oost", "admin_error_slug"), ("zörg", "admin_error_slug")):  # fmt: skip
        refused = submit(admin, f"{ORGANISATIONS}?lang=en", ORGANISATIONS, slug=slug, name="X")
        assert refused.status_code == 400, slug
        assert said(refused.text, key, EN, field=EN["admin_org_slug"]), slug
    assert [(e.action, e.detail) for e in admin_entries(web)][:2] == [
        ("organisation_added", "organisation buurtzorg-oost: added"),
        ("organisation_added", "organisation (new): invalid (slug slug_taken)"),
    ]


# --- staff -------------------------------------------------------------------------------


def test_the_staff_list_shows_everyone_of_every_organisation(web: Web, admin: FlaskClient):
    with web.database.unit_of_work() as uow:
        coco = uow.session.scalar(select(Advisor).where(Advisor.email == COCO))
        assert coco is not None
        coco.totp_enabled_at = web.clock()
        uow.session.add(Absence(advisor_id=coco.id, starts_on=TODAY + timedelta(days=7),
                                ends_on=TODAY + timedelta(days=9)))  # fmt: skip
        uow.session.add(Absence(advisor_id=coco.id, starts_on=date(2026, 1, 1),
                                ends_on=date(2026, 1, 9)))  # over: history  # fmt: skip
        uow.commit()
    page = main_of(admin.get(STAFF).get_data(as_text=True))
    for address in (ANNA, KARIM, ELS, COCO, OLGA, ADA):
        assert address in page and f'href="{staff_page(web, address)}?lang=nl"' in page
    coco_row = next(row for row in page.split("<tr") if COCO in row)
    for key in ("admin_role_coordinator", "admin_gender_female", "admin_yes", "admin_factor_on"):
        assert said(coco_row, key), key
    assert "Versa Welzijn" in coco_row and "maandag 30 november 2026" in coco_row
    assert "januari" not in coco_row
    assert said(next(row for row in page.split("<tr") if ANNA in row), "admin_factor_off")


def test_an_admin_changes_a_staff_members_details(web: Web, admin: FlaskClient) -> None:
    path = staff_page(web, KARIM)
    other = str(organisation(web, "other").id)
    response = submit(admin, path, path, name="Karim B.", role="chair", languages=["nl", "en"],
                      organisations=[str(organisation(web).id), other])  # fmt: skip
    assert response.status_code == 303 and response.headers["Location"] == f"{path}?lang=nl"
    karim = staff_member(web, KARIM)
    assert (karim.name, karim.role, karim.languages, karim.is_active) == (
        "Karim B.", "chair", "nl,en", True)  # fmt: skip
    assert {o.slug for o in karim.organisations} == {"versa", "other"}
    [entry] = admin_entries(web)
    assert (entry.action, entry.detail) == (
        "staff_changed",
        f"staff #{karim.id}: name, role, languages, organisations",
    )


def test_a_deactivated_staff_member_is_signed_out_and_gets_no_new_cases(
    web: Web, admin: FlaskClient
) -> None:
    anna = signed_in(web, ANNA)
    assert anna.get(HOME).status_code == 200
    path = staff_page(web, ANNA)
    assert submit(admin, path, path, is_active=None).status_code == 303
    assert staff_member(web, ANNA).is_active is False
    assert anna.get(HOME).status_code == 303  # to the sign-in page
    reference = open_assigned_case(web)
    assert case_of(web, reference).advisor_id != advisor_id(web, ANNA)
    assert admin_entries(web)[-1].detail == f"staff #{advisor_id(web, ANNA)}: is_active"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_invalid_staff_details_answer_400_naming_the_field(
    web: Web, admin: FlaskClient, lang: str
) -> None:
    t, path = words(lang), staff_page(web, KARIM)
    before = admin_tables(web)
    response = submit(admin, f"{path}?lang={lang}", path, name="", role="boss", gender=None,
                      languages=None, organisations=["999"])  # fmt: skip
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert said(page, "error_required", t, field=t["admin_staff_name"])
    assert said(page, "error_choose", t, field=t["admin_staff_gender"])
    assert said(page, "error_choose", t, field=t["admin_staff_languages"])
    # what could be read is checked as well: every error shows in the first round
    assert said(page, "admin_error_choice", t, field=t["admin_staff_role"])
    assert said(page, "admin_error_choice", t, field=t["admin_staff_organisations"])
    assert len(summary(page)) == 5
    response = submit(admin, f"{path}?lang={lang}", path, role="boss", organisations=["999"])
    assert response.status_code == 400 and len(summary(response.text)) == 2
    assert admin_tables(web) == before
    karim = advisor_id(web, KARIM)
    assert [e.detail for e in admin_entries(web)] == [
        f"staff #{karim}: invalid (name, role, gender, languages, organisations)",
        f"staff #{karim}: invalid (role choice, organisations choice)",
    ]


def test_an_admin_adds_a_staff_member_and_an_address_in_use_is_refused(
    web: Web, admin: FlaskClient
) -> None:
    ids = [str(organisation(web, slug).id) for slug in ("versa", "other")]
    response = submit(admin, STAFF, STAFF, name="Bea Bakker", email=" Bea@Example.org ",
                      role="vertrouwenspersoon", gender="female", languages=["en"],
                      organisations=ids)  # fmt: skip
    assert response.status_code == 303
    bea = staff_member(web, "bea@example.org")
    assert response.headers["Location"] == f"{STAFF}/{bea.id}?lang=nl"
    assert said(admin.get(response.headers["Location"]).text, "admin_staff_added")
    assert (bea.name, bea.role, bea.gender, bea.languages, bea.is_active) == (
        "Bea Bakker", "vertrouwenspersoon", "female", "en", True)  # fmt: skip
    assert {o.slug for o in bea.organisations} == {"versa", "other"}
    assert bea.password_hash is None and bea.totp_secret_enc is None

    before = admin_tables(web)
    for email, key in ((ANNA.upper(), "admin_error_email_taken"),
                       ("bea at example", "admin_error_email")):  # fmt: skip
        refused = submit(admin, STAFF, STAFF, name="X", email=email, role="chair",
                         gender="male", organisations=ids[:1])  # fmt: skip
        assert refused.status_code == 400
        assert said(refused.text, key, field=NL["admin_staff_email"])
    assert admin_tables(web) == before
    assert [(e.action, e.detail) for e in admin_entries(web)] == [
        ("staff_added", f"staff #{bea.id}: added as vertrouwenspersoon"),
        ("staff_added", "staff (new): invalid (email email_taken)"),
        ("staff_added", "staff (new): invalid (email email)"),
    ]


# --- the last admin ----------------------------------------------------------------------


def test_the_last_active_admin_cannot_demote_or_deactivate_themselves(
    web: Web, admin: FlaskClient
) -> None:
    path = staff_page(web, ADA)
    before = admin_tables(web)
    for changes, field in (({"role": "coordinator"}, "role"), ({"is_active": None}, "is_active")):
        for lang in ("nl", "en"):
            t = words(lang)
            response = submit(admin, f"{path}?lang={lang}", path, **changes)
            assert response.status_code == 400
            assert said(response.text, "admin_error_last_admin", t, field=t[f"admin_staff_{field}"])
    assert admin_tables(web) == before
    assert admin.get(STAFF).status_code == 200  # still the admin
    ada = advisor_id(web, ADA)
    assert {e.detail for e in admin_entries(web)} == {
        f"staff #{ada}: invalid (role last_admin)",
        f"staff #{ada}: invalid (is_active last_admin)",
    }


def test_with_another_admin_an_admin_may_hand_over_and_then_sees_no_admin_page(
    web: Web, admin: FlaskClient
) -> None:
    karim = staff_page(web, KARIM)
    assert submit(admin, karim, karim, role="admin").status_code == 303
    path = staff_page(web, ADA)
    response = submit(admin, path, path, role="coordinator")
    assert response.status_code == 303 and response.headers["Location"] == f"{HOME}?lang=nl"
    assert staff_member(web, ADA).role == "coordinator"
    assert admin.get(STAFF).status_code == 404
    # Karim is now the only admin: he cannot step down either.
    response = submit(signed_in(web, KARIM), karim, karim, role="chair")
    assert response.status_code == 400 and staff_member(web, KARIM).role == "admin"


# --- leave -------------------------------------------------------------------------------


def test_leave_is_added_and_routing_skips_the_advisor_meanwhile(web: Web, admin: FlaskClient):
    path = staff_page(web, ANNA)
    response = submit(admin, path, f"{path}/verlof", **{
        "leave-starts_on": TODAY.isoformat(), "leave-ends_on": "2026-11-27"})  # fmt: skip
    assert response.status_code == 303 and response.headers["Location"] == f"{path}?lang=nl"
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert said(page, "admin_leave_added")
    assert said(page, "admin_leave_period", start="maandag 23 november 2026",
                end="vrijdag 27 november 2026")  # fmt: skip
    assert leave_of(web, ANNA) == [(TODAY, date(2026, 11, 27))]
    [entry] = admin_entries(web)
    assert entry.action == "absence_added" and entry.detail.startswith(
        f"staff #{advisor_id(web, ANNA)}: leave #"
    )

    with web.database.session() as session:
        versa = session.scalar(select(Organisation).where(Organisation.slug == "versa"))
        assert versa is not None
        available = {c.advisor_id: c.is_active for c in candidates_for(session, versa, web.clock())}
        later = candidates_for(session, versa, web.clock() + timedelta(days=5))
    assert available[advisor_id(web, ANNA)] is False and available[advisor_id(web, KARIM)]
    assert {c.advisor_id: c.is_active for c in later}[advisor_id(web, ANNA)] is True
    reference = open_assigned_case(web)  # a woman asked for: Anna is the only one, and away
    assert case_of(web, reference).advisor_id is None


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_leave_that_ends_before_it_starts_or_is_over_or_no_date_is_refused(
    web: Web, admin: FlaskClient, lang: str
) -> None:
    t, path = words(lang), staff_page(web, ANNA)
    cases = (
        ("2026-12-10", "2026-12-01", "admin_error_leave_order", "ends_on"),
        ("2026-11-01", "2026-11-20", "admin_error_leave_past", "ends_on"),
        ("2026-12-01", "1 december", "admin_error_date", "ends_on"),
        ("", "2026-12-01", "error_required", "starts_on"),
    )
    for first, last, key, field in cases:
        response = submit(admin, f"{path}?lang={lang}", f"{path}/verlof",
                          **{"leave-starts_on": first, "leave-ends_on": last})  # fmt: skip
        assert response.status_code == 400, (first, last)
        assert said(response.text, key, t, field=t[f"admin_leave_{field}"]), key
        assert f'<a href="#leave-{field}">' in response.text
    assert leave_of(web, ANNA) == []
    assert len(admin_entries(web)) == len(cases)


def test_current_and_coming_leave_is_removed_and_past_leave_stays(
    web: Web, admin: FlaskClient
) -> None:
    anna, karim = advisor_id(web, ANNA), advisor_id(web, KARIM)
    with web.database.unit_of_work() as uow:
        spans = ((TODAY - timedelta(days=2), TODAY + timedelta(days=2)),
                 (date(2026, 10, 1), date(2026, 10, 5)))  # fmt: skip
        current, past = (Absence(advisor_id=anna, starts_on=a, ends_on=b) for a, b in spans)
        uow.session.add_all([current, past])
        uow.commit()
    token = csrf_for(web.app, admin)
    for wrong in (f"{STAFF}/{karim}/verlof/{current.id}/verwijderen",  # not Karim's
                  f"{STAFF}/{anna}/verlof/{past.id}/verwijderen",  # history
                  f"{STAFF}/{anna}/verlof/9999/verwijderen"):  # fmt: skip
        assert admin.post(wrong, data={"csrf_token": token}).status_code == 404, wrong
    assert len(leave_of(web, ANNA)) == 2

    path = staff_page(web, ANNA)
    response = submit(admin, path, f"{path}/verlof/{current.id}/verwijderen")
    assert response.status_code == 303
    assert said(admin.get(response.headers["Location"]).text, "admin_leave_removed")
    assert leave_of(web, ANNA) == [(date(2026, 10, 1), date(2026, 10, 5))]
    assert [(e.action, e.detail) for e in admin_entries(web)] == [
        ("absence_removed", f"staff #{anna}: leave #{current.id} removed")
    ]


# --- the second factor -------------------------------------------------------------------


def test_resetting_the_second_factor_clears_it(web: Web, admin: FlaskClient) -> None:
    with web.database.unit_of_work() as uow:
        coco = uow.session.scalar(select(Advisor).where(Advisor.email == COCO))
        assert coco is not None
        coco.totp_secret_enc = uow.vault.seal("JBSWY3DPEHPK3PXP")
        coco.totp_enabled_at, coco.totp_last_step = web.clock(), 42
        uow.commit()
    path = staff_page(web, COCO)
    page = admin.get(path).get_data(as_text=True)
    assert said(page, "admin_factor_is_on", name="Coco")
    response = submit(admin, path, f"{path}/tweede-stap/herstellen")
    assert response.status_code == 303
    assert said(admin.get(response.headers["Location"]).text, "admin_factor_reset_done")
    coco = staff_member(web, COCO)
    assert (coco.totp_secret_enc, coco.totp_enabled_at, coco.totp_last_step) == (None, None, None)
    assert [(e.action, e.detail) for e in admin_entries(web)] == [
        ("second_factor_reset", f"staff #{coco.id}: second factor reset")
    ]
    assert NL["admin_factor_reset_submit"] not in admin.get(path).text  # nothing left to reset


# --- the audit log -----------------------------------------------------------------------


def audit_rows(page: str) -> list[tuple[str, str, str]]:
    """(staff, action, reference) of each row shown."""
    row = (r'<td class="address">([^<]*)</td>\s*<td>[^<]*</td>\s*'
           r'<td lang="en"><code>([^<]*)</code></td>\s*'
           r'<td class="reference">([^<]*)</td>')  # fmt: skip
    return [(who, action, reference) for who, action, reference in re.findall(row, page)]


def test_the_audit_log_lists_entries_newest_first_and_filters(web: Web, admin: FlaskClient):
    first, second = open_assigned_case(web), open_assigned_case(web, name="Noor")
    anna = signed_in(web, ANNA)
    for reference in (first, second, first):
        web.clock.advance(minutes=1)
        assert anna.get(page_of(reference)).status_code == 200
    web.clock.advance(minutes=1)
    page = admin.get(AUDIT).get_data(as_text=True)
    assert audit_rows(page)[:3] == [(ANNA, "view_case", first), (ANNA, "view_case", second),
                                    (ANNA, "view_case", first)]  # fmt: skip
    assert said(page, "admin_audit_caption") and "2026-11-23 10:33:00" in page  # Amsterdam time
    assert DESCRIPTION not in page and "Fatima" not in page

    by_case = admin.get(f"{AUDIT}?reference={first.lower()}").get_data(as_text=True)
    assert {r[2] for r in audit_rows(by_case)} == {first}
    assert [r[1] for r in audit_rows(by_case)].count("view_case") == 2
    by_staff = admin.get(f"{AUDIT}?staff=ADA@example.org").get_data(as_text=True)
    assert {r[0] for r in audit_rows(by_staff)} == {ADA}
    assert [r[1] for r in audit_rows(by_staff)] == ["view_audit", "view_audit"]  # earlier views
    nobody = admin.get(f"{AUDIT}?staff=nobody@example.org&lang=en").get_data(as_text=True)
    assert audit_rows(nobody) == [] and said(nobody, "admin_audit_none", EN)

    views = [(e.case_reference, e.detail) for e in audit_entries(web, "view_audit")]
    assert views == [(None, ""), (first, "filters: reference"), (None, "filters: staff_email"),
                     (None, "filters: staff_email")]  # fmt: skip
    too_long = admin.get(f"{AUDIT}?reference={'X' * 21}")
    assert too_long.status_code == 400
    assert said(too_long.text, "error_too_long", field=NL["admin_audit_reference"], max=20)


def test_the_audit_log_shows_a_hundred_entries_a_page(web: Web, admin: FlaskClient) -> None:
    with web.database.unit_of_work() as uow:
        anna = uow.session.scalar(select(Advisor).where(Advisor.email == ANNA))
        for number in range(230):
            access.audit(uow.session, anna, f"test_{number:03d}", web.clock())
        uow.commit()
    seen: list[str] = []
    link: str | None = f"{AUDIT}?staff={ANNA}"
    while link:
        page = admin.get(link).get_data(as_text=True)
        actions = [action for _, action, _ in audit_rows(page)]
        assert len(actions) <= PAGE_SIZE
        seen += actions
        older = re.search(r'<a href="([^"]+)">' + NL["admin_audit_older"], page)
        link = older.group(1).replace("&amp;", "&") if older else None
        if seen != actions:
            assert said(page, "admin_audit_newest")
    assert seen == [f"test_{number:03d}" for number in reversed(range(230))]


def test_the_csv_export_has_the_filtered_entries_and_is_audited(web: Web, admin: FlaskClient):
    reference = open_assigned_case(web)
    assert signed_in(web, ANNA).get(page_of(reference)).status_code == 200
    with web.database.unit_of_work() as uow:
        add_advisor(uow.session, organisation_slug="versa", name="Eve", email="=cmd@example.org",
                    gender="female", now=web.clock())  # fmt: skip
        uow.commit()
    with web.database.unit_of_work() as uow:
        eve = uow.session.scalar(select(Advisor).where(Advisor.email == "=cmd@example.org"))
        access.audit(uow.session, eve, "view_case", web.clock(), reference=reference)
        uow.commit()
    response = admin.get(f"{AUDIT}.csv?reference={reference}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="logboek-')
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["staff"], r["role"], r["action"], r["reference"]) for r in rows] == [
        (ANNA, "vertrouwenspersoon", "view_case", reference),
        ("'=cmd@example.org", "vertrouwenspersoon", "view_case", reference),  # no formula
        (ADA, "admin", "export_audit", reference),  # this export, logged before it began
    ]
    assert rows[0]["at"] == "2026-11-23T09:30:00+00:00"
    [export] = audit_entries(web, "export_audit")
    assert (export.staff_id, export.case_reference, export.detail) == (
        advisor_id(web, ADA), reference, "filters: reference")  # fmt: skip
    everything = admin.get(f"{AUDIT}.csv").get_data(as_text=True).splitlines()
    assert everything[0] == "at,staff,role,action,reference,detail"
    assert everything[-1].split(",")[1:4] == [ADA, "admin", "export_audit"]  # oldest first


@pytest.mark.parametrize("cell", ["=1+2", "+31 6 1234", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_a_csv_cell_a_spreadsheet_would_run_gets_a_quote(cell: str) -> None:
    assert access.spreadsheet_safe(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["", ANNA, "VP-2026-0001", "a=b", "'=x", " =x"])
def test_a_plain_csv_cell_stays_as_it_is(cell: str) -> None:
    assert access.spreadsheet_safe(cell) == cell


def test_an_audit_row_names_the_system_or_a_removed_staff_member_by_number() -> None:
    at = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    by_system = AuditEntry(at=at, staff_id=None, staff_role="system", action="sweep",
                           case_reference=None, detail="")  # fmt: skip
    assert access.audit_row(by_system, None) == {
        "at": "2026-11-23T09:30:00+00:00", "staff": "system", "role": "system",
        "action": "sweep", "reference": "", "detail": ""}  # fmt: skip
    by_staff = AuditEntry(at=at, staff_id=7, staff_role="admin", action="view_case",
                          case_reference="VP-2026-0001", detail="filters")  # fmt: skip
    assert access.audit_row(by_staff, ANNA)["staff"] == ANNA
    assert access.audit_row(by_staff, None)["staff"] == "#7"  # the staff row was removed since
    assert tuple(access.audit_row(by_staff, ANNA)) == access.AUDIT_COLUMNS


# --- who may reach the admin pages -------------------------------------------------------


def concrete(web: Web, rule: str) -> str:
    """A route's path for Anna, her leave period and organisation versa."""
    with web.database.unit_of_work() as uow:
        absence = Absence(advisor_id=advisor_id(web, ANNA), starts_on=TODAY, ends_on=TODAY)
        uow.session.add(absence)
        uow.commit()
    return (BASE + rule).replace("<slug>", "versa").replace(
        "<int:advisor_id>", str(advisor_id(web, ANNA))).replace(
        "<int:absence_id>", str(absence.id))  # fmt: skip


def test_the_access_tests_cover_every_admin_route(web: Web) -> None:
    rules = {(r.rule, method) for r in web.app.url_map.iter_rules()
             if r.rule.startswith(BASE) for method in r.methods or ()
             if method in ("GET", "POST")}  # fmt: skip
    assert rules == {(BASE + path, method) for path, _, _, method in ROUTES}
    assert len(ROUTES) == 13


@pytest.mark.parametrize(("rule", "method"), [(r[0], r[3]) for r in ROUTES],
                         ids=[f"{r[3]}:{r[0]}" for r in ROUTES])  # fmt: skip
def test_only_an_admin_reaches_an_admin_route(web: Web, rule: str, method: str) -> None:
    add_admin_and_olga(web)
    path = concrete(web, rule)
    before, logged = admin_tables(web), len(audit_entries(web))
    for address in (ANNA, ELS, COCO):  # a vertrouwenspersoon, a chair, a coordinator
        client = signed_in(web, address)
        if method == "GET":
            response = client.get(path)
        else:
            token = csrf_for(web.app, client)
            response = client.post(path, data={"csrf_token": token, "leave-csrf_token": token})
        assert response.status_code == 404, (address, path)
        assert "Versa Welzijn" not in main_of(response.get_data(as_text=True))
    stranger = web.client()
    if method == "GET":
        response = stranger.get(path)
        assert response.status_code == 303
        assert response.headers["Location"].startswith("/medewerkers/inloggen?next=")
    else:
        token = csrf_for(web.app, stranger)
        response = stranger.post(path, data={"csrf_token": token, "leave-csrf_token": token})
        assert response.status_code == 403
    assert admin_tables(web) == before and len(audit_entries(web)) == logged


@pytest.mark.parametrize("rule", [r[0] for r in ROUTES if r[3] == "POST"])
def test_a_change_without_a_csrf_token_is_refused(web: Web, admin: FlaskClient, rule: str):
    path = concrete(web, rule)
    before = admin_tables(web)
    response = admin.post(path, data={"name": "Zonder token", "role": "chair"})
    assert response.status_code == 400 and said(response.text, "error_csrf")
    assert admin_tables(web) == before and admin_entries(web) == []


def test_looking_changes_nothing(web: Web, admin: FlaskClient) -> None:
    paths = [concrete(web, r[0]) for r in ROUTES if r[3] == "GET"]
    before = admin_tables(web)
    for path in paths + [f"{p}?lang=en" for p in paths]:
        assert admin.get(path).status_code == 200, path
    assert admin_tables(web) == before
    assert {e.action for e in audit_entries(web)} == {"view_audit", "export_audit"}


def test_an_unknown_organisation_or_staff_member_is_404(web: Web, admin: FlaskClient) -> None:
    token = csrf_for(web.app, admin)
    assert admin.get(f"{ORGANISATIONS}/nergens").status_code == 404
    assert admin.post(f"{ORGANISATIONS}/nergens", data={"csrf_token": token}).status_code == 404
    assert admin.get(f"{STAFF}/9999").status_code == 404
    for tail in ("", "/verlof", "/tweede-stap/herstellen", "/verlof/1/verwijderen"):
        response = admin.post(f"{STAFF}/9999{tail}", data={"csrf_token": token,
                                                           "leave-csrf_token": token})  # fmt: skip
        assert response.status_code == 404, tail
    assert admin_entries(web) == []


def test_admin_pages_are_not_cached_and_keep_the_policy(web: Web, admin: FlaskClient) -> None:
    for path in (ORGANISATIONS, STAFF, AUDIT, f"{AUDIT}.csv"):
        response = admin.get(path)
        assert response.headers["Cache-Control"] == "no-store"
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]


# --- the domain, on SQLite and on PostgreSQL ---------------------------------------------


@pytest.fixture
def staffed(database: Database, clock: Clock) -> Database:
    """Organisation versa with Anna, Karim, Els, Coco, and Ada the admin."""
    seed_organisation(database, clock(), staff=(("Anna", "female", "vertrouwenspersoon"),
                                                ("Karim", "male", "vertrouwenspersoon"),
                                                ("Ada", "female", "admin")))  # fmt: skip
    return database


def test_the_last_admin_rule_holds_on_both_databases(staffed: Database) -> None:
    with staffed.unit_of_work() as uow:
        ada, karim = (uow.session.scalars(select(Advisor).where(Advisor.email == address)).one()
                      for address in (ADA, KARIM))  # fmt: skip
        stepping_down = replace(StaffDetails.of(ada), role="coordinator", is_active=False)
        with pytest.raises(Invalid) as refused:
            staff_admin.change_staff(uow.session, ada, stepping_down)
        assert refused.value.problems == (Problem("role", "last_admin"),
                                          Problem("is_active", "last_admin"))  # fmt: skip
        assert (ada.role, ada.is_active) == ("admin", True)
        promoted = replace(StaffDetails.of(karim), role="admin")
        assert staff_admin.change_staff(uow.session, karim, promoted) == ["role"]
        uow.session.flush()
        assert staff_admin.change_staff(uow.session, ada, stepping_down) == ["role", "is_active"]
        uow.commit()
    with staffed.session() as session:
        roles = dict(session.execute(select(Advisor.email, Advisor.role)).all())
    assert (roles[ADA], roles[KARIM]) == ("coordinator", "admin")


def test_settings_and_leave_are_kept_on_both_databases(staffed: Database, clock: Clock) -> None:
    with staffed.unit_of_work() as uow:
        versa = uow.session.scalars(select(Organisation)).one()
        wanted = replace(OrganisationSettings.of(versa), name=" Versa Welzijn ", timezone="UTC",
                         business_end_hour=18)  # fmt: skip
        assert staff_admin.change_organisation(uow.session, versa, wanted) == [
            "timezone", "business_end_hour"]  # the name, tidied, is the same  # fmt: skip
        anna = uow.session.scalars(select(Advisor).where(Advisor.email == ANNA)).one()
        absence = staff_admin.add_leave(uow.session, anna, TODAY, TODAY, clock())
        with pytest.raises(Invalid):
            staff_admin.add_leave(uow.session, anna, TODAY, TODAY - timedelta(days=1), clock())
        uow.commit()
    with staffed.session() as session:
        versa = session.scalars(select(Organisation)).one()
        assert (versa.timezone, versa.business_end_hour) == ("UTC", 18)
        away = {c.advisor_id for c in candidates_for(session, versa, clock()) if not c.is_active}
        assert away == {absence.advisor_id}
    with staffed.unit_of_work() as uow:
        anna = uow.session.scalars(select(Advisor).where(Advisor.email == ANNA)).one()
        assert staff_admin.remove_leave(uow.session, anna, absence.id, clock())
        uow.commit()
    with staffed.session() as session:
        assert session.scalars(select(Absence)).all() == []


def test_the_audit_reader_filters_on_both_databases(staffed: Database, clock: Clock) -> None:
    with staffed.unit_of_work() as uow:
        anna, karim = (uow.session.scalars(select(Advisor).where(Advisor.email == address)).one()
                       for address in (ANNA, KARIM))  # fmt: skip
        for number in range(5):
            access.audit(uow.session, anna if number % 2 else karim, f"a{number}", clock(),
                         reference="VP-2026-0001" if number < 2 else None)  # fmt: skip
        access.audit(uow.session, None, "system_step", clock())
        uow.commit()
    with staffed.session() as session:

        def read(**filters: object) -> list[str]:
            return [e.action for e, _ in access.audit_trail(session, **filters)]  # type: ignore[arg-type]

        assert read() == ["a0", "a1", "a2", "a3", "a4", "system_step"]  # as before: oldest first
        assert read(reference="VP-2026-0001") == ["a0", "a1"]
        assert read(staff_email=" KARIM@example.org") == ["a0", "a2", "a4"]
        newest = read(newest_first=True, limit=2)
        assert newest == ["system_step", "a4"]
        last_id = max(e.id for e, _ in access.audit_trail(session, staff_email=KARIM))
        assert read(newest_first=True, before=last_id, staff_email=KARIM) == ["a2", "a0"]
        assert [email for _, email in access.audit_trail(session)][-1] is None


def test_the_pages_speak_the_admins_own_language(web: Web, admin: FlaskClient) -> None:
    with web.database.unit_of_work() as uow:
        ada = uow.session.scalars(select(Advisor).where(Advisor.email == ADA)).one()
        ada.languages = "en"
        uow.commit()
    for path, key in ((ORGANISATIONS, "admin_org_title"), (STAFF, "admin_staff_title"),
                      (AUDIT, "admin_audit_title"), (f"{ORGANISATIONS}/versa", "admin_org_submit"),
                      (staff_page(web, ANNA), "admin_staff_submit")):  # fmt: skip
        page = admin.get(path).get_data(as_text=True)
        assert said(page, key, EN) and said(page, "admin_audit_reference", EN) == (path == AUDIT)
    refused = admin.get(f"{AUDIT}?staff={'x' * 321}")
    assert refused.status_code == 400
    assert said(refused.text, "error_too_long", EN, field=EN["admin_audit_staff"], max=320)

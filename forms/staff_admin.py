"""The admin's pages of organisations and staff (with leave and the second factor).

Only an admin reaches them; anyone else signed in gets 404. An admin sees no case and no
client: these pages read organisations and staff, nothing else. A GET changes nothing. Each
change is a POST with a CSRF token, checked by workflow.staff_admin, and answered 303 with a
notice, or 400 with every error naming its field. The forms are in forms.admin_forms, the
audit log's pages in forms.staff_audit.

Decision: a change is audited in the same transaction as the change itself (as the case
actions are), rather than afterwards with audit_now: then no change is ever saved without
its entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, abort, flash, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as BaseResponse

from forms import services
from forms.admin_forms import (
    ORG_GROUPS,
    from_form,
    new_form,
    problem_codes,
    put_problems,
    with_organisations,
)
from forms.i18n import words
from forms.staff_session import role_required, signed_in
from mailtemplates import long_date
from workflow import access, staff_admin, staff_auth
from workflow.db import UnitOfWork
from workflow.models import Advisor, Organisation
from workflow.staff_admin import (
    Invalid,
    NewOrganisation,
    OrganisationSettings,
    Problem,
    StaffDetails,
)

Page = str | tuple[str, int] | BaseResponse
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
BASE = "/medewerkers/beheer"


# --- the common way of a change ------------------------------------------------------------


def install(app: Flask) -> None:
    """Add the routes; every one is for admins only."""
    for path, endpoint, view, method in ROUTES:
        app.add_url_rule(BASE + path, endpoint, role_required("admin")(view), methods=[method])


def _submit(uow: UnitOfWork, staff: Advisor, form: FlaskForm, action: str, subject: str,
            change: Callable[[], str], page: Callable[[], str],
            check: Callable[[], list[Problem]] = list) -> str | None:  # fmt: skip
    """Check the form, make the change and audit it, commit: None when done; else the page
    with the errors, 400 (the attempt audited too, with which fields failed).

    When some fields cannot even be read, `check` still finds what is wrong with the others,
    so every error shows at once, not one round after another."""
    now, invalid = services().clock(), None
    if form.validate_on_submit():
        try:
            detail = change()
        except Invalid as refused:
            uow.session.rollback()
            invalid = refused
            put_problems(form, refused.problems)
        else:
            access.audit(uow.session, staff, action, now, detail=detail)
            uow.commit()
            return None
    else:
        put_problems(form, tuple(p for p in check() if not form[p.field].errors))
    shown = page()
    access.audit(uow.session, staff, action, now,
                 detail=f"{subject}: invalid ({problem_codes(form, invalid)})")  # fmt: skip
    uow.commit()
    return shown


def _done(said: str, endpoint: str, **values: Any) -> BaseResponse:
    flash(said, "done")
    return redirect(url_for(endpoint, lang=request.args.get("lang"), **values), 303)


def render(template: str, **context: Any) -> str:
    """An admin's page, with the words and the long dates of the page's language."""
    return render_template(template, t=words(g.language), day=_long_day, **context)


def _long_day(day: date) -> str:
    """A date written out in the page's language ("dinsdag 1 december 2026")."""
    return long_date(datetime.combine(day, time(12), tzinfo=AMSTERDAM), g.language)


# --- organisations -------------------------------------------------------------------------

NEW_ORGANISATION = {"complaint_role": "chair", "conduct_role": "vertrouwenspersoon"}


def organisations_list() -> str:
    with services().database.session() as db:
        signed_in(db)
        return _organisations_page(db, new_form("org_new", formdata=None, data=NEW_ORGANISATION))


def _organisations_page(db: Session, form: FlaskForm) -> str:
    return render("staff_admin_organisations.html", form=form,
                  organisations=staff_admin.all_organisations(db))  # fmt: skip


def organisation_add() -> Page:
    with services().database.unit_of_work() as uow:
        staff, form = signed_in(uow.session), new_form("org_new")
        added: list[Organisation] = []

        def add() -> str:
            new = from_form(form, NewOrganisation())
            added.append(staff_admin.new_organisation(uow.session, new, services().clock()))
            return f"organisation {added[0].slug}: added"

        shown = _submit(uow, staff, form, "organisation_added", "organisation (new)", add,
                        lambda: _organisations_page(uow.session, form),
                        lambda: staff_admin.new_organisation_problems(
                            uow.session, from_form(form, NewOrganisation())))  # fmt: skip
    if shown is not None:
        return shown, 400
    return _done("admin_org_added", "staff_organisation", slug=added[0].slug)


def organisation_page(slug: str) -> str:
    with services().database.session() as db:
        signed_in(db)
        organisation = staff_admin.organisation_by_slug(db, slug) or abort(404)
        values = {k: v if isinstance(v, str | None) else str(v)
                  for k, v in asdict(OrganisationSettings.of(organisation)).items()}  # fmt: skip
        form = new_form("org", formdata=None, data=values)
        return render("staff_admin_organisation.html", organisation=organisation, form=form,
                      groups=ORG_GROUPS)  # fmt: skip


def organisation_save(slug: str) -> Page:
    with services().database.unit_of_work() as uow:
        staff, form = signed_in(uow.session), new_form("org")
        organisation = staff_admin.organisation_by_slug(uow.session, slug) or abort(404)

        kept = OrganisationSettings.of(organisation)

        def change() -> str:
            wanted = from_form(form, kept)
            changed = staff_admin.change_organisation(uow.session, organisation, wanted)
            return staff_admin.changes(f"organisation {slug}", changed)

        def page() -> str:
            return render("staff_admin_organisation.html", organisation=organisation,
                          form=form, groups=ORG_GROUPS)  # fmt: skip

        def check() -> list[Problem]:
            return staff_admin.organisation_problems(from_form(form, kept))

        subject = f"organisation {slug}"
        shown = _submit(uow, staff, form, "organisation_changed", subject, change, page, check)
    if shown is not None:
        return shown, 400
    return _done("admin_saved", "staff_organisation", slug=slug)


# --- staff ---------------------------------------------------------------------------------

NEW_STAFF = {"languages": ["nl"]}


def advisors_list() -> str:
    with services().database.session() as db:
        signed_in(db)
        return _advisors_page(db, new_form("staff_new", formdata=None, data=NEW_STAFF))


def _advisors_page(db: Session, form: FlaskForm) -> str:
    staff = staff_admin.all_staff(db)
    today = min((staff_admin.local_today(s, services().clock()) for s in staff),
                default=services().clock().date())  # fmt: skip
    return render("staff_admin_advisors.html", staff=staff,
                  leave=staff_admin.leave_of(db, [s.id for s in staff], today),
                  form=with_organisations(form, staff_admin.all_organisations(db)))  # fmt: skip


def advisor_add() -> Page:
    with services().database.unit_of_work() as uow:
        staff, form = signed_in(uow.session), new_form("staff_new")
        with_organisations(form, staff_admin.all_organisations(uow.session))
        added: list[Advisor] = []

        def add() -> str:
            details, now = from_form(form, StaffDetails()), services().clock()
            added.append(staff_admin.new_staff(uow.session, form.email.data, details, now))
            uow.session.flush()
            return f"staff #{added[0].id}: added as {added[0].role}"

        shown = _submit(uow, staff, form, "staff_added", "staff (new)", add,
                        lambda: _advisors_page(uow.session, form),
                        lambda: staff_admin.new_staff_problems(
                            uow.session, form.email.data or "",
                            from_form(form, StaffDetails())))  # fmt: skip
    if shown is not None:
        return shown, 400
    return _done("admin_staff_added", "staff_advisor", advisor_id=added[0].id)


def _advisor_or_404(db: Session, advisor_id: int) -> Advisor:
    return db.get(Advisor, advisor_id) or abort(404)


def advisor_page(advisor_id: int) -> str:
    with services().database.session() as db:
        signed_in(db)
        return _advisor_page(db, _advisor_or_404(db, advisor_id))


def _advisor_page(db: Session, advisor: Advisor, *, form: FlaskForm | None = None,
                  leave_form: FlaskForm | None = None) -> str:  # fmt: skip
    if form is None:
        details = StaffDetails.of(advisor)
        data = {**asdict(details), "languages": list(details.languages),
                "organisations": [str(i) for i in details.organisations]}  # fmt: skip
        form = new_form("staff", formdata=None, data=data)
    today = staff_admin.local_today(advisor, services().clock())
    return render(
        "staff_admin_advisor.html", advisor=advisor,
        form=with_organisations(form, staff_admin.all_organisations(db)),
        leave_form=leave_form or new_form("leave", prefix="leave", formdata=None),
        leave=staff_admin.leave_of(db, [advisor.id], today).get(advisor.id, []),
        has_second_factor=advisor.totp_enabled_at is not None,
        invalid=next((f for f in (form, leave_form) if f is not None and f.errors), None),
    )  # fmt: skip


def advisor_save(advisor_id: int) -> Page:
    with services().database.unit_of_work() as uow:
        staff, form = signed_in(uow.session), new_form("staff")
        advisor = _advisor_or_404(uow.session, advisor_id)
        with_organisations(form, staff_admin.all_organisations(uow.session))

        kept = StaffDetails.of(advisor)

        def change() -> str:
            changed = staff_admin.change_staff(uow.session, advisor, from_form(form, kept))
            return staff_admin.changes(f"staff #{advisor_id}", changed)

        shown = _submit(uow, staff, form, "staff_changed", f"staff #{advisor_id}", change,
                        lambda: _advisor_page(uow.session, advisor, form=form),
                        lambda: staff_admin.changed_staff_problems(
                            uow.session, advisor, from_form(form, kept)))  # fmt: skip
        is_still_admin = staff.role == "admin" and staff.is_active
    if shown is not None:
        return shown, 400
    if not is_still_admin:  # they handed the admin's work on: these pages are not theirs now
        return _done("admin_saved", "staff_home")
    return _done("admin_saved", "staff_advisor", advisor_id=advisor_id)


def leave_add(advisor_id: int) -> Page:
    with services().database.unit_of_work() as uow:
        staff, form = signed_in(uow.session), new_form("leave", prefix="leave")
        advisor = _advisor_or_404(uow.session, advisor_id)

        def add() -> str:
            first, last = (
                date.fromisoformat(f.data.strip()) for f in (form.starts_on, form.ends_on)
            )
            absence = staff_admin.add_leave(uow.session, advisor, first, last, services().clock())
            return f"staff #{advisor_id}: leave #{absence.id} added"

        shown = _submit(uow, staff, form, "absence_added", f"staff #{advisor_id}", add,
                        lambda: _advisor_page(uow.session, advisor, leave_form=form))  # fmt: skip
    if shown is not None:
        return shown, 400
    return _done("admin_leave_added", "staff_advisor", advisor_id=advisor_id)


def leave_remove(advisor_id: int, absence_id: int) -> Page:
    def remove(db: Session, advisor: Advisor) -> str | bool:
        is_removed = staff_admin.remove_leave(db, advisor, absence_id, services().clock())
        return is_removed and f"staff #{advisor_id}: leave #{absence_id} removed"

    return _button(advisor_id, "absence_removed", "admin_leave_removed", remove)


def second_factor_reset(advisor_id: int) -> Page:
    def reset(db: Session, advisor: Advisor) -> str:
        staff_auth.reset_second_factor(advisor)
        return f"staff #{advisor_id}: second factor reset"

    return _button(advisor_id, "second_factor_reset", "admin_factor_reset_done", reset)


def _button(advisor_id: int, action: str, said: str,
            change: Callable[[Session, Advisor], str | bool]) -> Page:  # fmt: skip
    """A form that is only a button: a missing thing is 404, a done thing is audited."""
    with services().database.unit_of_work() as uow:
        staff = signed_in(uow.session)
        advisor = _advisor_or_404(uow.session, advisor_id)
        if not new_form("button").validate_on_submit():
            abort(400)  # only without a CSRF token, which CSRFProtect answers first
        detail = change(uow.session, advisor) or abort(404)
        access.audit(uow.session, staff, action, services().clock(), detail=str(detail))
        uow.commit()
    return _done(said, "staff_advisor", advisor_id=advisor_id)


ROUTES: tuple[tuple[str, str, Callable[..., Page], str], ...] = (
    ("/organisaties", "staff_organisations", organisations_list, "GET"),
    ("/organisaties", "staff_organisation_add", organisation_add, "POST"),
    ("/organisaties/<slug>", "staff_organisation", organisation_page, "GET"),
    ("/organisaties/<slug>", "staff_organisation_save", organisation_save, "POST"),
    ("/medewerkers", "staff_advisors", advisors_list, "GET"),
    ("/medewerkers", "staff_advisor_add", advisor_add, "POST"),
    ("/medewerkers/<int:advisor_id>", "staff_advisor", advisor_page, "GET"),
    ("/medewerkers/<int:advisor_id>", "staff_advisor_save", advisor_save, "POST"),
    ("/medewerkers/<int:advisor_id>/verlof", "staff_advisor_leave_add", leave_add, "POST"),
    ("/medewerkers/<int:advisor_id>/verlof/<int:absence_id>/verwijderen",
     "staff_advisor_leave_remove", leave_remove, "POST"),
    ("/medewerkers/<int:advisor_id>/tweede-stap/herstellen", "staff_advisor_factor_reset",
     second_factor_reset, "POST"),
)  # fmt: skip

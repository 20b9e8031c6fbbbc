"""The admin's pages: organisations, staff (with leave and the second factor), the audit log.

Only an admin reaches them; anyone else signed in gets 404. An admin sees no case and no
client: these pages read organisations, staff and the audit log, nothing else. A GET changes
nothing (the audit log's pages add only their own entry). Each change is a POST with a CSRF
token, checked by workflow.staff_admin, and answered 303 with a notice, or 400 with every
error naming its field.

Decision: a change is audited in the same transaction as the change itself (as the case
actions are), rather than afterwards with audit_now: then no change is ever saved without
its entry. Views and exports of the audit log use audit_now, as the case views do.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import asdict, fields, replace
from datetime import date, datetime, time
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from flask import (
    Flask,
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as BaseResponse
from wtforms import BooleanField, RadioField, SelectChoice, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length, StopValidation

from forms import services
from forms.i18n import words
from forms.staff_session import audit_now, role_required, signed_in
from mailtemplates import long_date
from workflow import access, staff_admin, staff_auth
from workflow.db import UnitOfWork
from workflow.models import Advisor, Organisation
from workflow.organisations import CASEWORK_SETTINGS
from workflow.routing import GENDERS, HANDLING_ROLES, STAFF_ROLES
from workflow.staff_admin import (
    ROLE_FIELDS,
    Invalid,
    NewOrganisation,
    OrganisationSettings,
    Problem,
    StaffDetails,
)

Page = str | tuple[str, int] | BaseResponse
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PAGE_SIZE = 100  # audit entries per page
REFERENCE = re.compile(r"VP-\d{4}-\d{4}")
BASE = "/medewerkers/beheer"


# --- forms ---------------------------------------------------------------------------------

# The fields of every form, as data: (name, kind). The label of field `f` is the word
# `admin_<group>_<f>`, its hint `admin_<group>_<f>_hint`; the group is the form's first word.
FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "org": (("name", "text"), ("committee_email", "optional"),
            *((name, "handling_role") for name in ROLE_FIELDS),
            *((name, "number") for name in list(CASEWORK_SETTINGS)[:4]),
            ("timezone", "text"),
            *((name, "number") for name in list(CASEWORK_SETTINGS)[4:])),
    "org_new": (("slug", "text"), ("name", "text"), ("committee_email", "optional"),
                ("complaint_role", "handling_role"), ("conduct_role", "handling_role")),
    "staff": (("name", "text"), ("role", "staff_role"), ("gender", "gender"),
              ("languages", "languages"), ("organisations", "organisations"),
              ("is_active", "tick")),
    "staff_new": (("name", "text"), ("email", "text"), ("role", "staff_role"),
                  ("gender", "gender"), ("languages", "languages"),
                  ("organisations", "organisations")),
    "leave": (("starts_on", "date"), ("ends_on", "date")),
    "button": (),
    "audit": (("reference", "optional"), ("staff", "optional")),
}  # fmt: skip
LIMITS = {"name": staff_admin.NAME_LIMIT, "email": staff_admin.EMAIL_LIMIT, "staff": 320,
          "committee_email": staff_admin.EMAIL_LIMIT, "slug": staff_admin.SLUG_LIMIT,
          "timezone": staff_admin.ZONE_LIMIT, "reference": 20}  # fmt: skip
# Choices: the words' prefix of their labels, and the keys.
CHOICES: dict[str, tuple[str, tuple[str, ...]]] = {
    "handling_role": ("admin_role", HANDLING_ROLES),
    "staff_role": ("admin_role", STAFF_ROLES),
    "gender": ("admin_gender", GENDERS),
    "languages": ("admin_language", staff_admin.LANGUAGES),
    "organisations": ("", ()),  # the organisations of the day, set on each form
}
# The organisation's settings, in groups on the page: (legend, fields).
ORG_GROUPS = (
    ("admin_org_group_about", ("name", "committee_email")),
    ("admin_org_group_roles", ROLE_FIELDS),
    ("admin_org_group_days", tuple(CASEWORK_SETTINGS)[:4]),
    ("admin_org_group_hours", ("timezone", "business_start_hour", "business_end_hour")),
    ("admin_org_group_signals", ("signal_threshold", "signal_window_days")),
)


@cache
def _form(language: str, name: str) -> type[FlaskForm]:
    """The form `name` in one language (built once); its errors name the field."""
    t, group = words(language), name.split("_")[0]
    fields = {field: _field(t, f"admin_{group}_{field}", field, kind)
              for field, kind in FIELDS[name]}  # fmt: skip
    made: type[FlaskForm] = type(FlaskForm)(f"Admin_{name}_{language}", (FlaskForm,), fields)
    return made


def _field(t: dict[str, str], label: str, name: str, kind: str) -> Any:
    low, high = CASEWORK_SETTINGS.get(name, (0, 0))
    text, hint = t[label], t.get(f"{label}_hint", "").format(low=low, high=high)

    def say(key: str) -> str:
        return t[key].format(field=text, low=low, high=high, max=LIMITS.get(name, 0))

    if kind in CHOICES:
        prefix, keys = CHOICES[kind]
        shape = SelectMultipleField if kind in ("languages", "organisations") else RadioField
        return shape(text, choices=[SelectChoice(k, t[f"{prefix}_{k}"]) for k in keys],
                     validators=[InputRequired(say("error_choose"))], validate_choice=False,
                     description=hint)  # fmt: skip
    if kind == "tick":
        return BooleanField(text, description=hint)
    required = [InputRequired(say("error_required"))]
    if kind == "number":
        return StringField(text, validators=[*required, Check(_whole, say("admin_error_range"))],
                           description=hint, render_kw={"inputmode": "numeric"})  # fmt: skip
    if kind == "date":
        return StringField(text, validators=[*required, Check(_day, say("admin_error_date"))],
                           description=hint, render_kw={"type": "date"})  # fmt: skip
    limit = [Length(max=LIMITS[name], message=say("error_too_long"))]
    return StringField(text, validators=(required if kind == "text" else []) + limit,
                       description=hint)  # fmt: skip


class Check:
    """A validator from a test of the text: `message` when it fails."""

    def __init__(self, holds: Callable[[str], bool], message: str) -> None:
        self.holds, self.message = holds, message

    def __call__(self, form: Any, field: Any) -> None:
        if not self.holds((field.data or "").strip()):
            raise StopValidation(self.message)


def _whole(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) <= 6


def _day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10  # YYYY-MM-DD, as a date input sends it


def _new(name: str, **kwargs: Any) -> FlaskForm:
    return _form(g.language, name)(**kwargs)


def _put(form: FlaskForm, problems: tuple[Problem, ...]) -> None:
    """The domain's problems as errors of the form's fields, in the page's language."""
    t = words(g.language)
    for problem in problems:
        field = form[problem.field]
        message = t[f"admin_error_{problem.code}"].format(
            field=field.label.text, low=problem.low, high=problem.high, max=problem.high
        )
        field.errors = [*field.errors, message]  # fmt: skip


def _problems(form: FlaskForm, invalid: Invalid | None) -> str:
    """For the audit: which fields failed and why, as codes (never what was typed)."""
    if invalid is not None:
        return ", ".join(f"{p.field} {p.code}" for p in invalid.problems)
    return ", ".join(name for name, errors in form.errors.items() if errors)


def _with_organisations(form: FlaskForm, organisations: list[Organisation]) -> FlaskForm:
    form.organisations.choices = [SelectChoice(str(o.id), o.name) for o in organisations]
    return form


def _ids(values: list[str] | None) -> frozenset[int]:
    """The ticked organisations; something else than a number matches none (-1)."""
    return frozenset(int(v) if v.isascii() and v.isdigit() else -1 for v in values or [])


def _from_form(form: FlaskForm, kept: Any) -> Any:
    """The dataclass `kept` with the values the form gives, where it gives a readable one."""
    read: dict[str, Callable[[Any], Any]] = {
        "languages": lambda data: tuple(data or ()), "organisations": _ids,
        **{name: int for name in CASEWORK_SETTINGS},
    }  # fmt: skip
    given = {f.name: read.get(f.name, lambda data: data)(form[f.name].data) for f in fields(kept)
             if f.name in form._fields and not form[f.name].errors}  # fmt: skip
    return replace(kept, **given)


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
            _put(form, refused.problems)
        else:
            access.audit(uow.session, staff, action, now, detail=detail)
            uow.commit()
            return None
    else:
        _put(form, tuple(p for p in check() if not form[p.field].errors))
    shown = page()
    access.audit(uow.session, staff, action, now,
                 detail=f"{subject}: invalid ({_problems(form, invalid)})")  # fmt: skip
    uow.commit()
    return shown


def _done(said: str, endpoint: str, **values: Any) -> BaseResponse:
    flash(said, "done")
    return redirect(url_for(endpoint, lang=request.args.get("lang"), **values), 303)


def _render(template: str, **context: Any) -> str:
    return render_template(template, t=words(g.language), day=_long_day, **context)


def _long_day(day: date) -> str:
    """A date written out in the page's language ("dinsdag 1 december 2026")."""
    return long_date(datetime.combine(day, time(12), tzinfo=AMSTERDAM), g.language)


# --- organisations -------------------------------------------------------------------------

NEW_ORGANISATION = {"complaint_role": "chair", "conduct_role": "vertrouwenspersoon"}


def organisations_list() -> str:
    with services().database.session() as db:
        signed_in(db)
        return _organisations_page(db, _new("org_new", formdata=None, data=NEW_ORGANISATION))


def _organisations_page(db: Session, form: FlaskForm) -> str:
    return _render("staff_admin_organisations.html", form=form,
                   organisations=staff_admin.all_organisations(db))  # fmt: skip


def organisation_add() -> Page:
    with services().database.unit_of_work() as uow:
        staff, form = signed_in(uow.session), _new("org_new")
        added: list[Organisation] = []

        def add() -> str:
            new = _from_form(form, NewOrganisation())
            added.append(staff_admin.new_organisation(uow.session, new, services().clock()))
            return f"organisation {added[0].slug}: added"

        shown = _submit(uow, staff, form, "organisation_added", "organisation (new)", add,
                        lambda: _organisations_page(uow.session, form),
                        lambda: staff_admin.new_organisation_problems(
                            uow.session, _from_form(form, NewOrganisation())))  # fmt: skip
    if shown is not None:
        return shown, 400
    return _done("admin_org_added", "staff_organisation", slug=added[0].slug)


def organisation_page(slug: str) -> str:
    with services().database.session() as db:
        signed_in(db)
        organisation = staff_admin.organisation_by_slug(db, slug) or abort(404)
        values = {k: v if isinstance(v, str | None) else str(v)
                  for k, v in asdict(OrganisationSettings.of(organisation)).items()}  # fmt: skip
        return _render("staff_admin_organisation.html", organisation=organisation,
                       form=_new("org", formdata=None, data=values), groups=ORG_GROUPS)  # fmt: skip


def organisation_save(slug: str) -> Page:
    with services().database.unit_of_work() as uow:
        staff, form = signed_in(uow.session), _new("org")
        organisation = staff_admin.organisation_by_slug(uow.session, slug) or abort(404)

        kept = OrganisationSettings.of(organisation)

        def change() -> str:
            wanted = _from_form(form, kept)
            changed = staff_admin.change_organisation(uow.session, organisation, wanted)
            return staff_admin.changes(f"organisation {slug}", changed)

        def page() -> str:
            return _render("staff_admin_organisation.html", organisation=organisation,
                           form=form, groups=ORG_GROUPS)  # fmt: skip

        def check() -> list[Problem]:
            return staff_admin.organisation_problems(_from_form(form, kept))

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
        return _advisors_page(db, _new("staff_new", formdata=None, data=NEW_STAFF))


def _advisors_page(db: Session, form: FlaskForm) -> str:
    staff = staff_admin.all_staff(db)
    today = min((staff_admin.local_today(s, services().clock()) for s in staff),
                default=services().clock().date())  # fmt: skip
    return _render("staff_admin_advisors.html", staff=staff,
                   leave=staff_admin.leave_of(db, [s.id for s in staff], today),
                   form=_with_organisations(form, staff_admin.all_organisations(db)))  # fmt: skip


def advisor_add() -> Page:
    with services().database.unit_of_work() as uow:
        staff, form = signed_in(uow.session), _new("staff_new")
        _with_organisations(form, staff_admin.all_organisations(uow.session))
        added: list[Advisor] = []

        def add() -> str:
            details, now = _from_form(form, StaffDetails()), services().clock()
            added.append(staff_admin.new_staff(uow.session, form.email.data, details, now))
            uow.session.flush()
            return f"staff #{added[0].id}: added as {added[0].role}"

        shown = _submit(uow, staff, form, "staff_added", "staff (new)", add,
                        lambda: _advisors_page(uow.session, form),
                        lambda: staff_admin.new_staff_problems(
                            uow.session, form.email.data or "",
                            _from_form(form, StaffDetails())))  # fmt: skip
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
        form = _new("staff", formdata=None, data=data)
    today = staff_admin.local_today(advisor, services().clock())
    return _render(
        "staff_admin_advisor.html", advisor=advisor,
        form=_with_organisations(form, staff_admin.all_organisations(db)),
        leave_form=leave_form or _new("leave", prefix="leave", formdata=None),
        leave=staff_admin.leave_of(db, [advisor.id], today).get(advisor.id, []),
        has_second_factor=advisor.totp_enabled_at is not None,
        invalid=next((f for f in (form, leave_form) if f is not None and f.errors), None),
    )  # fmt: skip


def advisor_save(advisor_id: int) -> Page:
    with services().database.unit_of_work() as uow:
        staff, form = signed_in(uow.session), _new("staff")
        advisor = _advisor_or_404(uow.session, advisor_id)
        _with_organisations(form, staff_admin.all_organisations(uow.session))

        kept = StaffDetails.of(advisor)

        def change() -> str:
            changed = staff_admin.change_staff(uow.session, advisor, _from_form(form, kept))
            return staff_admin.changes(f"staff #{advisor_id}", changed)

        shown = _submit(uow, staff, form, "staff_changed", f"staff #{advisor_id}", change,
                        lambda: _advisor_page(uow.session, advisor, form=form),
                        lambda: staff_admin.changed_staff_problems(
                            uow.session, advisor, _from_form(form, kept)))  # fmt: skip
        is_still_admin = staff.role == "admin" and staff.is_active
    if shown is not None:
        return shown, 400
    if not is_still_admin:  # they handed the admin's work on: these pages are not theirs now
        return _done("admin_saved", "staff_home")
    return _done("admin_saved", "staff_advisor", advisor_id=advisor_id)


def leave_add(advisor_id: int) -> Page:
    with services().database.unit_of_work() as uow:
        staff, form = signed_in(uow.session), _new("leave", prefix="leave")
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
        if not _new("button").validate_on_submit():
            abort(400)  # only without a CSRF token, which CSRFProtect answers first
        detail = change(uow.session, advisor) or abort(404)
        access.audit(uow.session, staff, action, services().clock(), detail=str(detail))
        uow.commit()
    return _done(said, "staff_advisor", advisor_id=advisor_id)


# --- the audit log -------------------------------------------------------------------------


def _filters() -> tuple[FlaskForm, dict[str, Any]]:
    """The filter form (GET, no token: it changes nothing) and the reader's filters."""
    form = _new("audit", formdata=request.args, meta={"csrf": False})
    reference = (form.reference.data or "").strip().upper() or None
    email = (form.staff.data or "").strip().lower() or None
    return form, {"reference": reference, "staff_email": email}


def _audited(staff: Advisor, action: str, filters: dict[str, Any]) -> None:
    """What was looked at: the case it was about (if one was named) and which filters."""
    reference = filters["reference"]
    used = [name for name, value in filters.items() if value is not None]
    is_case = reference is not None and REFERENCE.fullmatch(reference) is not None
    audit_now(staff, action, reference if is_case else None,
              detail=f"filters: {', '.join(used)}" if used else "")  # fmt: skip


def audit_page() -> Page:
    before = request.args.get("before", type=int)
    with services().database.session() as db:
        staff = signed_in(db)  # first: the form speaks their language
        form, filters = _filters()
        if not form.validate():
            return _audit_page(form, [], filters), 400
        found = list(access.audit_trail(db, **filters, before=before, newest_first=True,
                                        limit=PAGE_SIZE + 1))  # fmt: skip
        rows = [(entry.id, _local(entry.at), staff_admin.audit_row(entry, email))
                for entry, email in found[:PAGE_SIZE]]  # fmt: skip
        older = rows[-1][0] if len(found) > PAGE_SIZE else None
        page = _audit_page(form, rows, filters, older=older, is_first=before is None)
    _audited(staff, "view_audit", filters)
    return page


def _audit_page(form: FlaskForm, rows: list[Any], filters: dict[str, Any],
                older: int | None = None, is_first: bool = True) -> str:  # fmt: skip
    return _render("staff_admin_audit.html", form=form, rows=rows, filters=filters,
                   older=older, is_first=is_first)  # fmt: skip


def _local(at: datetime) -> str:
    return f"{at.astimezone(AMSTERDAM):%Y-%m-%d %H:%M:%S}"


def audit_csv() -> Page:
    """The whole log under the filters, oldest first, as the command line's export has it."""
    with services().database.session() as db:
        staff = signed_in(db)
        form, filters = _filters()
        if not form.validate():
            return _audit_page(form, [], filters), 400
    _audited(staff, "export_audit", filters)  # before the first byte: a broken download counts
    database = services().database

    def lines() -> Iterator[str]:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=staff_admin.AUDIT_COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        with database.session() as db:
            for row in staff_admin.rows_of(access.audit_trail(db, **filters)):
                writer.writerow({key: _cell(value) for key, value in row.items()})
                yield out.getvalue()
                out.seek(0)
                out.truncate()
        yield out.getvalue()

    name = f"logboek-{services().clock().astimezone(AMSTERDAM):%Y%m%d-%H%M}.csv"
    return Response(stream_with_context(lines()), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


def _cell(value: str) -> str:
    """A spreadsheet must not run a cell as a formula (an address may start with = or +)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


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
    ("/logboek", "staff_audit", audit_page, "GET"),
    ("/logboek.csv", "staff_audit_csv", audit_csv, "GET"),
)  # fmt: skip

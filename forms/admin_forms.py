"""The admin's forms: their fields as data, built once per language, read into the domain's
values and given its problems back as errors that name their field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, replace
from datetime import date
from functools import cache
from typing import Any

from flask import g
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectChoice, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length, StopValidation

from forms.i18n import words
from workflow import staff_admin
from workflow.models import Organisation
from workflow.routing import GENDERS, HANDLING_ROLES, STAFF_ROLES
from workflow.staff_admin import ROLE_FIELDS, SETTING_RANGES, Invalid, Problem


def _numbers(*names: str) -> tuple[tuple[str, str], ...]:
    return tuple((name, "number") for name in names)


# The organisation's settings, in groups on the page: (legend, its fields). Each group names
# its fields, never a slice of a table: a setting added there cannot move another here.
ORG_GROUPS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("admin_org_group_about", (("name", "text"), ("committee_email", "optional"))),
    ("admin_org_group_roles", tuple((name, "handling_role") for name in ROLE_FIELDS)),
    ("admin_org_group_days", _numbers("assignment_reminder_days", "assignment_escalation_days",
                                      "first_contact_days", "inactivity_days")),
    ("admin_org_group_hours", (("timezone", "text"),
                               *_numbers("business_start_hour", "business_end_hour"))),
    ("admin_org_group_signals", _numbers("signal_threshold", "signal_window_days")),
    ("admin_org_group_keeping", _numbers("retention_months", "machine_mail_retention_days",
                                         "quarantine_retention_days")),
)  # fmt: skip
# The fields of every form, as data: (name, kind). The label of field `f` is the word
# `admin_<group>_<f>`, its hint `admin_<group>_<f>_hint`; the group is the form's first word.
FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "org": tuple(field for _, group in ORG_GROUPS for field in group),
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


@cache
def _form(language: str, name: str) -> type[FlaskForm]:
    """The form `name` in one language (built once); its errors name the field."""
    t, group = words(language), name.split("_")[0]
    fields = {field: _field(t, f"admin_{group}_{field}", field, kind)
              for field, kind in FIELDS[name]}  # fmt: skip
    made: type[FlaskForm] = type(FlaskForm)(f"Admin_{name}_{language}", (FlaskForm,), fields)
    return made


def _field(t: dict[str, str], label: str, name: str, kind: str) -> Any:
    low, high = SETTING_RANGES.get(name, (0, 0))
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


def new_form(name: str, **kwargs: Any) -> FlaskForm:
    """A form of FIELDS in the page's language."""
    return _form(g.language, name)(**kwargs)


def put_problems(form: FlaskForm, problems: tuple[Problem, ...]) -> None:
    """The domain's problems as errors of the form's fields, in the page's language."""
    t = words(g.language)
    for problem in problems:
        field = form[problem.field]
        message = t[f"admin_error_{problem.code}"].format(
            field=field.label.text, low=problem.low, high=problem.high, max=problem.high
        )
        field.errors = [*field.errors, message]  # fmt: skip


def problem_codes(form: FlaskForm, invalid: Invalid | None) -> str:
    """For the audit: which fields failed and why, as codes (never what was typed)."""
    if invalid is not None:
        return ", ".join(f"{p.field} {p.code}" for p in invalid.problems)
    return ", ".join(name for name, errors in form.errors.items() if errors)


def with_organisations(form: FlaskForm, organisations: list[Organisation]) -> FlaskForm:
    form.organisations.choices = [SelectChoice(str(o.id), o.name) for o in organisations]
    return form


def _ids(values: list[str] | None) -> frozenset[int]:
    """The ticked organisations; something else than a number matches none (-1)."""
    return frozenset(int(v) if v.isascii() and v.isdigit() else -1 for v in values or [])


def from_form(form: FlaskForm, kept: Any) -> Any:
    """The dataclass `kept` with the values the form gives, where it gives a readable one."""
    read: dict[str, Callable[[Any], Any]] = {
        "languages": lambda data: tuple(data or ()), "organisations": _ids,
        **{name: int for name in SETTING_RANGES},
    }  # fmt: skip
    given = {f.name: read.get(f.name, lambda data: data)(form[f.name].data) for f in fields(kept)
             if f.name in form._fields and not form[f.name].errors}  # fmt: skip
    return replace(kept, **given)

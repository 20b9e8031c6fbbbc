"""The public complaint form: fields named by CONTRACT.md, errors in the client's language."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.fields import EmailField
from wtforms.validators import Email, InputRequired, Length, Optional, StopValidation

from forms.i18n import words

DESCRIPTION_MAX = 20_000
LINE_MAX = 200
PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{5,24}$")


class ComplaintFormBase(FlaskForm):
    """Shared behaviour; the fields with their words come from `complaint_form(language)`."""

    language_of_page: str = "nl"

    def validate(self, extra_validators: Any = None) -> bool:
        is_valid = super().validate(extra_validators)
        return self._check_contact() and is_valid

    def _check_contact(self) -> bool:
        fields: Any = self
        if (
            fields.anonymous.data
            or (fields.email.data or "").strip()
            or (fields.phone.data or "").strip()
        ):
            return True
        text = words(self.language_of_page)
        fields.email.errors = [
            *fields.email.errors,
            text["error_contact"].format(field=text["email"]),
        ]
        return False

    def first_error_id(self) -> str | None:
        for field in self:
            if field.errors:
                return str(field.id)
        return None


class SingleLine:
    """Refuse line breaks in one-line fields (they could reach a mail header some day)."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form: Any, field: Any) -> None:
        if field.data and any(ch in field.data for ch in "\r\n\x00"):
            raise StopValidation(self.message)


class MustBeEmpty:
    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form: Any, field: Any) -> None:
        if field.data:
            raise StopValidation(self.message)


class PhoneNumber:
    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form: Any, field: Any) -> None:
        if field.data and not PHONE.match(field.data.strip()):
            raise StopValidation(self.message)


@cache
def complaint_form(page_language: str) -> type[ComplaintFormBase]:
    """The form class for one language (built once per language)."""
    t = words(page_language)

    def err(key: str, field: str, **extra: object) -> str:
        return t[key].format(field=t[field], **extra)

    def line(name: str) -> list[Any]:
        return [
            Optional(),
            SingleLine(err("error_line_break", name)),
            Length(max=LINE_MAX, message=err("error_too_long", name, max=LINE_MAX)),
        ]

    class ComplaintForm(ComplaintFormBase):
        language_of_page = page_language
        description = TextAreaField(
            t["description"],
            validators=[
                InputRequired(err("error_required", "description")),
                Length(
                    max=DESCRIPTION_MAX,
                    message=err("error_too_long", "description", max=DESCRIPTION_MAX),
                ),
            ],
        )
        kind = RadioField(
            t["kind"],
            choices=[SelectChoice(k, t[f"kind_{k}"]) for k in ("complaint", "conduct", "question")],
            validators=[InputRequired(err("error_choose", "kind"))],
        )
        preferred_gender = RadioField(
            t["preferred_gender"],
            choices=[SelectChoice(g, t[f"gender_{g}"]) for g in ("female", "male", "none")],
            default="none",
            validators=[InputRequired(err("error_choose", "preferred_gender"))],
        )
        counterpart_name = StringField(t["counterpart_name"], validators=line("counterpart_name"))
        counterpart_role = StringField(t["counterpart_role"], validators=line("counterpart_role"))
        name = StringField(t["name"], validators=line("name"))
        email = EmailField(
            t["email"],
            validators=[
                *line("email"),
                Email(err("error_email", "email"), check_deliverability=False),
            ],
        )
        phone = StringField(
            t["phone"], validators=[*line("phone"), PhoneNumber(err("error_phone", "phone"))]
        )
        anonymous = BooleanField(t["anonymous"])
        language = RadioField(
            t["language"],
            choices=[SelectChoice(code, t[f"language_{code}"]) for code in ("nl", "en")],
            default=page_language,
            validators=[InputRequired(err("error_choose", "language"))],
        )
        privacy = BooleanField(
            t["privacy"], validators=[InputRequired(err("error_privacy", "privacy"))]
        )
        website = StringField(
            t["honeypot"], validators=[MustBeEmpty(err("error_honeypot", "honeypot"))]
        )
        submission_id = HiddenField()

    return ComplaintForm

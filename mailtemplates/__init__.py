"""Every outgoing mail as a Jinja2 text/HTML template pair, and the function that renders it."""

# Templates live in <language>/<name>.txt and <language>/<name>.html; each
# extends that language's base.txt / base.html (client mails) or staff.txt /
# staff.html (staff mails). The .txt template defines {% block subject %} and
# {% block body %}; the .html template defines only {% block body %} and shows
# the subject, rendered once from the .txt template, as {{ subject }} in its
# <title>, so the two can never disagree. macros.html holds the macros shared
# by the HTML templates; it cannot be rendered by name.
#
# The templates reach the client's path and our labels through Jinja globals,
# not through the context: client_path(kind, language), kind_label(kind,
# language), gender_wish_label(preferred_gender, language), template_label(name,
# language) (mailtemplates.paths), long_date(value, language) and
# long_datetime(value, language) (mailtemplates.dates), one_of(value, choices)
# and short_reason(text). Each template passes its own language literally ("nl"
# in nl/, "en" in en/). Callers pass only the documented keys; render() adds
# "subject" for the HTML title and nothing else. Datetimes in the context are
# timezone-aware; the templates show them in Amsterdam time.
#
# Text written by a person (an advisor's message, what a consent is for) is
# escaped by autoescape in HTML and kept literal in text; line breaks become
# <br> through the lines() macro, never through |safe.
#
# Staff mails (STAFF_TEMPLATE_NAMES) never show what the client wrote or who the
# client is: mail leaves our servers, the case behind the login does not. Their
# footer does not say where a reply goes: once an advisor has accepted a case
# whose client gave an e-mail address, a reply to any mail about that case is
# sent on to the client (case_accepted says so).

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, select_autoescape

from mailtemplates.dates import long_date, long_datetime
from mailtemplates.languages import LANGUAGES, resolve_language
from mailtemplates.paths import client_path, gender_wish_label, kind_label, template_label

__all__ = [
    "CLIENT_TEMPLATE_NAMES",
    "LANGUAGES",
    "STAFF_TEMPLATE_NAMES",
    "TEMPLATE_NAMES",
    "RenderedMail",
    "UnknownTemplateError",
    "client_path",
    "gender_wish_label",
    "kind_label",
    "long_date",
    "long_datetime",
    "one_line_subject",
    "render",
    "resolve_language",
    "short_reason",
    "template_label",
]

STAFF_TEMPLATE_NAMES = (
    "assignment",
    "triage_needed",
    "client_replied",
    "urgent_case",
    "bounce_notice",
    "assignment_reminder",
    "reassigned",
    "case_accepted",
    "first_contact_reminder",
    "inactivity_reminder",
    "consent_answered",
    "confidentiality_broken",
    "deadline_reminder",
    "deadline_passed",
    "signal_raised",
    "case_withdrawn",
    "work_link",
    "sign_in_link",  # about no case: no reference in its context, subject or footer
    "erasure_requested",
    "erasure_reminder",
    "retention_warning",
)
CLIENT_TEMPLATE_NAMES = (
    "acknowledgement",
    "consent_request",
    "advisor_message",
    "evaluation_request",
    "deadline_extended",
    "dossier_link",
    "withdrawal_confirmed",
    "erasure_received",
    "erasure_settled",
    "referred",
)
TEMPLATE_NAMES = CLIENT_TEMPLATE_NAMES + STAFF_TEMPLATE_NAMES

_PACKAGE_DIR = Path(__file__).resolve().parent
# Spaces and tabs are collapsed inside a subject; CR, LF and every other control,
# line or paragraph separator character is refused.
_FOLDABLE_SPACE = (" ", "\t")
_REFUSED_CATEGORIES = ("Cc", "Zl", "Zp")
# A bounce reason is the receiving server's text (RFC 3464 Diagnostic-Code): it
# often quotes the recipient's address, which is client data, and whoever runs
# that server chose the rest. We keep one short line of it, without addresses.
_ADDRESS = re.compile(r"<?[^\s<>@]+@[^\s<>@]+>?")
_ADDRESS_HIDDEN = "[…]"
_REASON_LIMIT = 160


class UnknownTemplateError(LookupError):
    """A mail template name that is not one of TEMPLATE_NAMES."""


@dataclass(frozen=True)
class RenderedMail:
    """One mail, ready for the outbox: a one-line subject and two bodies."""

    subject: str
    text: str
    html: str


def one_line_subject(subject: str) -> str:
    """Collapse whitespace to single spaces; refuse an empty subject or one with a line break.

    Python 3.11.7 folds headers without rejecting CR or LF (CVE-2024-6923, fixed in
    3.11.10), so a line break in a subject could inject headers. We refuse it rather
    than silently join the lines, so the bug that put it there gets noticed.
    """
    for position, char in enumerate(subject):
        if char not in _FOLDABLE_SPACE and unicodedata.category(char) in _REFUSED_CATEGORIES:
            # The subject itself stays out of the message: it may end up in a log.
            raise ValueError(
                f"mail subject must be one line: U+{ord(char):04X} at position {position}"
            )
    collapsed = " ".join(subject.split())
    if not collapsed:
        raise ValueError("mail subject is empty")
    return collapsed


def one_of(value: str, choices: tuple[str, ...]) -> str:
    """Return value when it is one of choices; a template's guard against a typo'd value."""
    if value not in choices:
        raise ValueError(f"unexpected value {value!r}; expected one of {', '.join(choices)}")
    return value


def short_reason(text: str) -> str:
    """One line of at most _REASON_LIMIT characters from untrusted text, addresses hidden.

    Control, format (bidi overrides), line and paragraph separator characters
    become spaces. May return "" (the template then says the reason is unknown).
    HTML escaping is left to autoescape; this only shortens and redacts.
    """
    spaced = "".join(
        " " if unicodedata.category(char)[0] == "C" or char in "\u2028\u2029" else char
        for char in text
    )
    line = " ".join(_ADDRESS.sub(_ADDRESS_HIDDEN, spaced).split())
    if len(line) > _REASON_LIMIT:
        line = line[: _REASON_LIMIT - 1].rstrip() + "…"
    return line


@functools.cache
def _environment() -> Environment:
    """The one Environment, built on first use (nothing happens at import time)."""
    environment = Environment(
        loader=FileSystemLoader(_PACKAGE_DIR),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    environment.globals.update(
        client_path=client_path,
        kind_label=kind_label,
        gender_wish_label=gender_wish_label,
        template_label=template_label,
        long_date=long_date,
        long_datetime=long_datetime,
        one_of=one_of,
        short_reason=short_reason,
    )
    return environment


def _templates(name: str, language: str) -> tuple[Template, Template]:
    if name not in TEMPLATE_NAMES:
        raise UnknownTemplateError(
            f"unknown mail template {name!r}; known: {', '.join(TEMPLATE_NAMES)}"
        )
    environment = _environment()
    return (
        environment.get_template(f"{language}/{name}.txt"),
        environment.get_template(f"{language}/{name}.html"),
    )


def _render_subject(template: Template, values: Mapping[str, object]) -> str:
    block = template.blocks.get("subject")
    if block is None:
        raise ValueError(f"mail template {template.name} has no subject block")
    return one_line_subject("".join(block(template.new_context(dict(values)))))


def render(name: str, language: str, context: Mapping[str, object]) -> RenderedMail:
    """Render mail `name` in `language` (unknown languages fall back to Dutch).

    Raises UnknownTemplateError for an unknown name, jinja2.UndefinedError for a
    missing context key, and ValueError for a subject that is not one clean line
    or a value outside its allowed set.
    """
    text_template, html_template = _templates(name, resolve_language(language))
    subject = _render_subject(text_template, context)
    values = {**context, "subject": subject}
    return RenderedMail(
        subject=subject,
        text=text_template.render(values).strip() + "\n",
        html=html_template.render(values).strip() + "\n",
    )

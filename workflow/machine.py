"""Mail written by machines: auto-replies, bounces and lists are kept but never answered.

RFC 3834 (Auto-Submitted), RFC 3464 (multipart/report delivery status), RFC 2369 (List-*),
and the headers and subjects real auto-responders use in Dutch and English.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

Headers = Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class MachineSignal:
    """Why a mail counts as machine-made: a rule name, never content."""

    kind: str  # "bounce" | "auto_reply" | "list"
    rule: str


AUTO_REPLY_SUBJECT = re.compile(
    r"^\s*(out of (the )?office|automatic reply|auto(matic)?[- ]?re(ply|sponse)|auto:|"
    r"afwezig|automatisch antwoord|niet aanwezig|buiten kantoor|vakantie(melding)?|"
    r"abwesenheit|absence|away from (the )?office|on vacation|i am out)",
    re.IGNORECASE,
)
BOUNCE_SUBJECT = re.compile(
    r"^\s*(undeliver(ed|able)|delivery (status notification|failure|has failed)|"
    r"mail delivery (failed|failure|system)|returned mail|failure notice|"
    r"onbestelbaar|niet afgeleverd|kan niet worden bezorgd|non remis)",
    re.IGNORECASE,
)
MACHINE_SENDER = re.compile(r"^(mailer-daemon|postmaster|mail-daemon|bounces?)([+@-]|$)", re.I)
BULK_PRECEDENCE = {"bulk", "junk", "list", "auto_reply", "auto-reply"}


def _first(headers: Headers, name: str) -> str:
    values = headers.get(name, ())
    return values[0].strip().lower() if values else ""


def _auto_submitted(headers: Headers, subject: str, sender: str | None) -> str | None:
    value = _first(headers, "auto-submitted")
    return "auto-submitted" if value and value != "no" else None


def _autoreply_headers(headers: Headers, subject: str, sender: str | None) -> str | None:
    for name in ("x-autoreply", "x-autorespond", "x-autoresponder", "x-auto-response-suppress"):
        if headers.get(name):
            return name
    return None


def _precedence(headers: Headers, subject: str, sender: str | None) -> str | None:
    return "precedence" if _first(headers, "precedence") in BULK_PRECEDENCE - {"list"} else None


def _autoreply_subject(headers: Headers, subject: str, sender: str | None) -> str | None:
    return "out-of-office-subject" if AUTO_REPLY_SUBJECT.match(subject) else None


def _list_headers(headers: Headers, subject: str, sender: str | None) -> str | None:
    for name in ("list-id", "list-unsubscribe", "list-post", "mailing-list", "x-mailing-list"):
        if headers.get(name):
            return name
    return "precedence-list" if _first(headers, "precedence") == "list" else None


Rule = Callable[[Headers, str, "str | None"], "str | None"]

AUTO_REPLY_RULES: tuple[Rule, ...] = (
    _auto_submitted,
    _autoreply_headers,
    _precedence,
    _autoreply_subject,
)


def bounce_rule(
    headers: Headers, subject: str, sender: str | None, content_type: str, return_path: str | None
) -> str | None:
    """A delivery status notification, by structure first, then by sender and subject."""
    if content_type == "multipart/report":
        return "multipart-report"
    if return_path == "":
        return "null-return-path"
    local = (sender or "").partition("@")[0]
    if MACHINE_SENDER.match(local):
        return "mailer-daemon"
    return "bounce-subject" if BOUNCE_SUBJECT.match(subject) else None


def classify_machine(
    headers: Headers, subject: str, sender: str | None, content_type: str, return_path: str | None
) -> MachineSignal | None:
    """Bounce, auto-reply or list mail, in that order; None for mail a person wrote."""
    if rule := bounce_rule(headers, subject, sender, content_type, return_path):
        return MachineSignal("bounce", rule)
    for check in AUTO_REPLY_RULES:
        if rule := check(headers, subject, sender):
            return MachineSignal("auto_reply", rule)
    if rule := _list_headers(headers, subject, sender):
        return MachineSignal("list", rule)
    return None

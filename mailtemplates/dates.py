"""Dates and times in mail: written out in Dutch or English, shown in Amsterdam time."""

from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from mailtemplates.languages import resolve_language

# Every reader of our mail is in the Netherlands; we store UTC and show local time.
_AMSTERDAM = ZoneInfo("Europe/Amsterdam")

# Written out here, not taken from the C locale: the locale of a worker is not
# ours to choose, and a missing nl_NL locale would silently give English.
_DAYS: Mapping[str, tuple[str, ...]] = {
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_MONTHS: Mapping[str, tuple[str, ...]] = {
    "nl": (
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
_AT: Mapping[str, str] = {"nl": "om", "en": "at"}


def _local(value: datetime) -> datetime:
    """value in Amsterdam time; a naive datetime is refused, since we cannot know its zone."""
    # Touching the attribute first lets a missing template value (jinja2's
    # StrictUndefined) raise its own UndefinedError, as every other missing key does.
    tzinfo = getattr(value, "tzinfo", None)
    if not isinstance(value, datetime):
        raise TypeError(f"expected a datetime, got {type(value).__name__}")
    if tzinfo is None or value.utcoffset() is None:
        raise ValueError("naive datetime in a mail; pass a timezone-aware (UTC) datetime")
    return value.astimezone(_AMSTERDAM)


def long_date(value: datetime, language: str) -> str:
    """The day in Amsterdam, written out: "maandag 30 november 2026", "Monday 30 November 2026"."""
    local = _local(value)
    language = resolve_language(language)
    day = _DAYS[language][local.weekday()]
    month = _MONTHS[language][local.month - 1]
    return f"{day} {local.day} {month} {local.year}"


def long_datetime(value: datetime, language: str) -> str:
    """The day and the time in Amsterdam: "maandag 30 november 2026 om 15:00"."""
    local = _local(value)
    language = resolve_language(language)
    return f"{long_date(local, language)} {_AT[language]} {local:%H:%M}"

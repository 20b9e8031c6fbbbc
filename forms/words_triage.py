"""The words of the coordinator's triage and signals pages, Dutch first and English second."""

from __future__ import annotations

TRIAGE_TEXT: dict[str, dict[str, str]] = {
    "nl": {},
    "en": {},
}

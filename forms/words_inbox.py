"""The words of the quarantine and machine-mail pages, Dutch first and English second."""

from __future__ import annotations

INBOX_TEXT: dict[str, dict[str, str]] = {
    "nl": {},
    "en": {},
}

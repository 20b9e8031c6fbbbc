"""The words of the admin pages (organisations, staff, leave, audit log): Dutch, English."""

from __future__ import annotations

ADMIN_TEXT: dict[str, dict[str, str]] = {
    "nl": {},
    "en": {},
}

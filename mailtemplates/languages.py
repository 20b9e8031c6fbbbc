"""The languages our mails are written in, and the fallback for any other."""

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"


def resolve_language(language: str) -> str:
    """Map a language tag ("en", "EN", "en-GB", "de") to one we write in; Dutch otherwise."""
    primary = language.strip().lower().replace("_", "-").split("-")[0]
    return primary if primary in LANGUAGES else DEFAULT_LANGUAGE

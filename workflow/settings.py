"""The one settings object: built once from the environment, the only reader of it."""

from __future__ import annotations

import base64
import binascii
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography.fernet import Fernet
from dotenv import dotenv_values
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

ENVIRONMENTS = ("development", "production", "test")


class SettingsError(Exception):
    """A setting is missing or invalid; the message names the variable."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")
        self.variable = variable


@dataclass(frozen=True)
class MailServer:
    """Where outgoing mail goes."""

    host: str
    port: int
    user: str = ""
    password: str = field(default="", repr=False)
    starttls: bool = False
    is_embedded: bool = False


@dataclass(frozen=True)
class Settings:
    """Every setting of vertrouwd, typed; see the README's settings table."""

    environment: str
    instance_dir: Path
    database_url: str
    broker_url: str
    secret_key: str = field(repr=False)
    encryption_keys: tuple[str, ...] = field(repr=False)
    hash_key: bytes = field(repr=False)
    base_url: str
    mail_from: str
    smtp: MailServer
    form_rate_limit: str
    ratelimit_storage_url: str
    imap_host: str = ""
    imap_port: int = 143
    imap_user: str = ""
    imap_password: str = field(default="", repr=False)
    imap_folder: str = "INBOX"
    imap_ssl: bool = False
    imap_processed_folder: str = "Processed"
    imap_oauth2_token: str = field(default="", repr=False)
    imap_is_embedded: bool = False
    inbox_default_organisation: str | None = None

    @property
    def is_development(self) -> bool:
        return self.environment == "development"

    @property
    def has_mail_catcher(self) -> bool:
        """The embedded mail catcher is on: development with no SMTP server configured."""
        return self.is_development and self.smtp.is_embedded

    @property
    def has_embedded_mailbox(self) -> bool:
        """Development without IMAP_HOST: `vertrouwd run` starts a small IMAP server (pymap)."""
        return self.imap_is_embedded

    @property
    def broker_folder(self) -> Path:
        return self.instance_dir / "broker"

    @property
    def mail_catcher_folder(self) -> Path:
        return self.instance_dir / "mailcatcher"


def load_settings(
    environ: Mapping[str, str] | None = None, *, read_dotenv: bool = True
) -> Settings:
    """Build the settings from `environ` (default os.environ) and `.env`; raise SettingsError."""
    env = _merged_environment(environ, read_dotenv)
    environment = _choice(env, "VERTROUWD_ENV", ENVIRONMENTS, "development")
    instance_dir = Path(env.get("VERTROUWD_INSTANCE") or "instance").resolve()
    return Settings(
        environment=environment,
        instance_dir=instance_dir,
        database_url=_database_url(env, instance_dir),
        broker_url=_broker_url(env),
        secret_key=_secret(env, "SECRET_KEY", instance_dir, _new_secret, _check_secret),
        encryption_keys=_encryption_keys(env, instance_dir),
        hash_key=_secret(env, "HASH_KEY", instance_dir, _new_secret, _check_secret).encode(),
        base_url=_base_url(env),
        mail_from=_mail_address(env, "MAIL_FROM", "vertrouwenspersonen@localhost"),
        smtp=_smtp(env),
        form_rate_limit=_rate_limit(env),
        ratelimit_storage_url=env.get("RATELIMIT_STORAGE_URL") or "memory://",
        **_imap_server(env, environment, instance_dir),
        imap_folder=env.get("IMAP_FOLDER") or "INBOX",
        imap_ssl=_boolean(env, "IMAP_SSL", False),
        imap_processed_folder=env.get("IMAP_PROCESSED_FOLDER") or "Processed",
        imap_oauth2_token=env.get("IMAP_OAUTH2_TOKEN", ""),
        inbox_default_organisation=env.get("INBOX_DEFAULT_ORGANISATION") or None,
    )


def _merged_environment(environ: Mapping[str, str] | None, read_dotenv: bool) -> dict[str, str]:
    base = dict(os.environ if environ is None else environ)
    if not read_dotenv or not Path(".env").is_file():
        return base
    from_file = {k: v for k, v in dotenv_values(".env").items() if v is not None}
    return {**from_file, **base}


def _choice(env: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    value = env.get(name) or default
    if value not in allowed:
        raise SettingsError(name, f"must be one of {', '.join(allowed)}, not {value!r}")
    return value


def _integer(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(name, f"must be a whole number, not {raw!r}") from None
    if not 0 < value < 65536:
        raise SettingsError(name, f"must be a port number between 1 and 65535, not {value}")
    return value


def _boolean(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = (env.get(name) or "").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(name, f"must be true or false, not {raw!r}")


def _database_url(env: Mapping[str, str], instance_dir: Path) -> str:
    if not env.get("DATABASE_URL"):
        _required_in_production(env, "DATABASE_URL")
    raw = env.get("DATABASE_URL") or f"sqlite:///{instance_dir / 'vertrouwd.sqlite'}"
    try:
        url = make_url(raw)
    except ArgumentError:
        raise SettingsError(
            "DATABASE_URL",
            "is not a database URL (e.g. sqlite:///x.sqlite or postgresql+psycopg://user@host/db)",
        ) from None
    if url.get_backend_name() not in {"sqlite", "postgresql"}:
        raise SettingsError(
            "DATABASE_URL", f"must be SQLite or PostgreSQL, not {url.get_backend_name()!r}"
        )
    return raw


def _broker_url(env: Mapping[str, str]) -> str:
    raw = env.get("BROKER_URL") or "filesystem://"
    scheme = urlsplit(raw).scheme
    if scheme not in {"redis", "rediss", "filesystem", "memory"}:
        raise SettingsError(
            "BROKER_URL", f"must be redis://… (or filesystem:// embedded), not {scheme or raw!r}"
        )
    return raw


def _secret(
    env: Mapping[str, str],
    name: str,
    instance_dir: Path,
    generate: Callable[[], str],
    check: Callable[[str, str], str],
) -> str:
    raw = env.get(name)
    if raw:
        return check(name, raw)
    _required_in_production(env, name)
    return check(name, _kept_in_instance(instance_dir, name.lower(), generate))


def _required_in_production(env: Mapping[str, str], name: str) -> None:
    """Production never falls back to generated keys: a lost instance/ would lose all data."""
    if env.get("VERTROUWD_ENV") == "production":
        raise SettingsError(name, "is required in production (see .env.example)")


def _kept_in_instance(instance_dir: Path, filename: str, generate: Callable[[], str]) -> str:
    """Generate a secret once into instance/ (mode 0600) and read it back ever after."""
    path = instance_dir / filename
    if not path.exists():
        instance_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            fd = -1  # another process generated it first: read theirs
        if fd >= 0:
            with os.fdopen(fd, "w") as handle:
                handle.write(generate())
    return path.read_text().strip()


def _new_secret() -> str:
    return secrets.token_urlsafe(48)


def _check_secret(name: str, value: str) -> str:
    if len(value) < 32:
        raise SettingsError(name, "must be at least 32 characters long")
    return value


def _encryption_keys(env: Mapping[str, str], instance_dir: Path) -> tuple[str, ...]:
    if not env.get("ENCRYPTION_KEYS"):
        _required_in_production(env, "ENCRYPTION_KEYS")
    raw = env.get("ENCRYPTION_KEYS") or _kept_in_instance(
        instance_dir, "encryption_keys", lambda: Fernet.generate_key().decode()
    )
    keys = tuple(k.strip() for k in raw.split(",") if k.strip())
    if not keys:
        raise SettingsError("ENCRYPTION_KEYS", "needs at least one Fernet key")
    for position, key in enumerate(keys, start=1):
        if not _is_fernet_key(key):
            raise SettingsError(
                "ENCRYPTION_KEYS", f"key {position} is not a Fernet key (32 url-safe base64 bytes)"
            )
    return keys


def _is_fernet_key(key: str) -> bool:
    try:
        return len(base64.urlsafe_b64decode(key.encode())) == 32
    except (binascii.Error, ValueError):
        return False


def _base_url(env: Mapping[str, str]) -> str:
    raw = (env.get("BASE_URL") or "http://127.0.0.1:8000").rstrip("/")
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise SettingsError("BASE_URL", f"must be an http(s) URL, not {raw!r}")
    return raw


def _mail_address(env: Mapping[str, str], name: str, default: str) -> str:
    raw = (env.get(name) or default).strip()
    local, at, domain = raw.partition("@")
    if not at or not local or not domain or any(c in raw for c in " \r\n<>,;"):
        raise SettingsError(
            name, f"must be one plain mail address like team@example.org, not {raw!r}"
        )
    return raw


EMBEDDED_IMAP_PORT = 8143


def _imap_server(env: Mapping[str, str], environment: str, instance_dir: Path) -> dict[str, Any]:
    """The shared inbox; in development without IMAP_HOST, the embedded mailbox."""
    if env.get("IMAP_HOST") or environment != "development":
        return {
            "imap_host": env.get("IMAP_HOST", ""),
            "imap_port": _integer(
                env, "IMAP_PORT", 993 if _boolean(env, "IMAP_SSL", False) else 143
            ),
            "imap_user": env.get("IMAP_USER", ""),
            "imap_password": env.get("IMAP_PASSWORD", ""),
        }
    return {
        "imap_host": "127.0.0.1",
        "imap_port": _integer(env, "IMAP_PORT", EMBEDDED_IMAP_PORT),
        "imap_user": "vertrouwenspersonen",
        "imap_password": _kept_in_instance(instance_dir, "imap_password", _new_secret),
        "imap_is_embedded": True,
    }


def _smtp(env: Mapping[str, str]) -> MailServer:
    return MailServer(
        is_embedded=not env.get("SMTP_HOST"),
        host=env.get("SMTP_HOST") or "127.0.0.1",
        port=_integer(env, "SMTP_PORT", 8025),
        user=env.get("SMTP_USER", ""),
        password=env.get("SMTP_PASSWORD", ""),
        starttls=_boolean(env, "SMTP_STARTTLS", False),
    )


def _rate_limit(env: Mapping[str, str]) -> str:
    raw = env.get("FORM_RATE_LIMIT") or "5/minute;30/hour"
    for part in raw.split(";"):
        count, slash, period = part.strip().partition("/")
        if not (count.strip().isdigit() and slash and period.strip()):
            raise SettingsError("FORM_RATE_LIMIT", f"must look like 5/minute;30/hour, not {raw!r}")
    return raw

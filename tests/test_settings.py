"""One settings object: a bad or missing value stops start-up with a line naming the variable."""

from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from workflow.settings import SettingsError, load_settings


def load(tmp_path: Path, **environ: str):
    return load_settings({"VERTROUWD_INSTANCE": str(tmp_path), **environ}, read_dotenv=False)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "nonsense"),
        ("DATABASE_URL", "mysql://root@localhost/x"),
        ("BROKER_URL", "amqp://guest@localhost//"),
        ("ENCRYPTION_KEYS", "not-a-fernet-key"),
        ("SECRET_KEY", "short"),
        ("BASE_URL", "ftp://example.org"),
        ("MAIL_FROM", "team@example.org\r\nBcc: x@y.z"),
        ("MAIL_FROM", "no-at-sign"),
        ("SMTP_PORT", "abc"),
        ("SMTP_PORT", "70000"),
        ("IMAP_SSL", "maybe"),
        ("FORM_RATE_LIMIT", "lots"),
        ("VERTROUWD_ENV", "staging"),
    ],
)
def test_a_bad_value_names_its_variable(tmp_path: Path, variable: str, value: str) -> None:
    with pytest.raises(SettingsError) as raised:
        load(tmp_path, **{variable: value})
    assert raised.value.variable == variable
    assert str(raised.value).startswith(f"{variable}: ")
    assert "\n" not in str(raised.value)


def test_the_embedded_default_generates_keys_once_and_keeps_them(tmp_path: Path) -> None:
    first = load(tmp_path)
    second = load(tmp_path)
    assert first.encryption_keys == second.encryption_keys
    assert first.secret_key == second.secret_key and first.hash_key == second.hash_key
    assert (tmp_path / "encryption_keys").stat().st_mode & 0o777 == 0o600
    assert first.database_url == f"sqlite:///{tmp_path / 'vertrouwd.sqlite'}"
    assert first.has_mail_catcher


@pytest.mark.parametrize("missing", ["DATABASE_URL", "SECRET_KEY", "ENCRYPTION_KEYS", "HASH_KEY"])
def test_production_never_falls_back_to_generated_secrets(tmp_path: Path, missing: str) -> None:
    environ = {
        "VERTROUWD_ENV": "production",
        "DATABASE_URL": "postgresql+psycopg://u@db/v",
        "SECRET_KEY": "s" * 40,
        "ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "HASH_KEY": "h" * 40,
    }
    del environ[missing]
    with pytest.raises(SettingsError) as raised:
        load(tmp_path, **environ)
    assert raised.value.variable == missing
    assert not (tmp_path / missing.lower()).exists()


def test_keys_are_read_newest_first_and_a_configured_smtp_server_turns_off_the_catcher(
    tmp_path: Path,
) -> None:
    new, old = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings = load(tmp_path, ENCRYPTION_KEYS=f"{new}, {old}", SMTP_HOST="smtp.example.org")
    assert settings.encryption_keys == (new, old)
    assert not settings.has_mail_catcher
    assert settings.smtp.host == "smtp.example.org"


def test_the_settings_object_is_frozen(tmp_path: Path) -> None:
    settings = load(tmp_path)
    with pytest.raises(AttributeError):
        settings.base_url = "http://elsewhere"  # type: ignore[misc]


def test_dotenv_is_read_but_the_environment_wins(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("BASE_URL=https://from-dotenv.example\nMAIL_FROM=a@b.example\n")
    settings = load_settings({"VERTROUWD_INSTANCE": str(tmp_path), "MAIL_FROM": "env@b.example"})
    assert settings.base_url == "https://from-dotenv.example"
    assert settings.mail_from == "env@b.example"

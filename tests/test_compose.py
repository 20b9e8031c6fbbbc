"""docker-compose.yml, Dockerfile and .env.example, checked without a Docker engine.

The compose file is validated against the official compose-spec JSON schema
(tests/data/compose-spec.json, see the README, "Where the compose schema comes from"), and
its behaviour (health checks, start order, persistence, profiles) is asserted
on the parsed YAML.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from jsonschema.validators import validator_for

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
SCHEMA_FILE = ROOT / "tests" / "data" / "compose-spec.json"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"

APP_SERVICES = ("migrate", "web", "worker", "beat", "watcher")
LONG_RUNNING_APP_SERVICES = ("web", "worker", "beat", "watcher")
REQUIRED_ENV_KEYS = {
    "DATABASE_URL",
    "BROKER_URL",
    "SECRET_KEY",
    "ENCRYPTION_KEYS",
    "HASH_KEY",
    "BASE_URL",
    "MAIL_FROM",
    "SMTP_HOST",
    "SMTP_PORT",
    "IMAP_HOST",
}
# Every setting of the outside contract (shared/CONTRACT.md), plus the ones the
# compose deployment adds.
CONTRACT_ENV_KEYS = REQUIRED_ENV_KEYS | {
    "IMAP_PORT",
    "IMAP_USER",
    "IMAP_PASSWORD",
    "IMAP_FOLDER",
    "IMAP_SSL",
    "IMAP_PROCESSED_FOLDER",
    "SMTP_USER",
    "SMTP_PASSWORD",
    "SMTP_STARTTLS",
    "FORM_RATE_LIMIT",
    "RATELIMIT_STORAGE_URL",
    "VERTROUWD_ENV",
}
SECRET_KEYS = ("SECRET_KEY", "ENCRYPTION_KEYS", "HASH_KEY", "POSTGRES_PASSWORD")
ENV_LINE = re.compile(r"^(?P<key>[A-Z][A-Z0-9_]*)=(?P<value>.*)$")


# --- helpers ----------------------------------------------------------------


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> jsonschema.protocols.Validator:
    # The schema says "$schema": "https://json-schema.org/draft-07/schema"; jsonschema
    # only knows the http:// spelling, so fall back to Draft 7 explicitly.
    cls = validator_for(schema, default=jsonschema.Draft7Validator)
    return cls(schema)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


def parse_env_example() -> list[tuple[int, str, str]]:
    """(line number, key, value) for every assignment; fails on any other line."""
    assignments = []
    for number, line in enumerate(ENV_EXAMPLE.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = ENV_LINE.match(line)
        assert match, f".env.example:{number}: not a comment and not KEY=VALUE: {line!r}"
        assignments.append((number, match["key"], match["value"]))
    return assignments


def env_example() -> dict[str, str]:
    return {key: value.strip('"') for _, key, value in parse_env_example()}


def errors_of(validator: jsonschema.protocols.Validator, document: Any) -> list[str]:
    return [e.message for e in validator.iter_errors(document)]


def healthcheck_command(service: dict[str, Any]) -> str:
    test = service["healthcheck"]["test"]
    return test if isinstance(test, str) else " ".join(test)


# --- the schema itself ------------------------------------------------------


def test_schema_is_the_compose_spec_and_a_valid_draft7_schema(schema: dict[str, Any]) -> None:
    assert schema["title"] == "Compose Specification"
    assert "draft-07" in schema["$schema"]
    jsonschema.Draft7Validator.check_schema(schema)
    assert validator_for(schema, default=jsonschema.Draft7Validator) is jsonschema.Draft7Validator
    for key in ("services", "volumes", "networks", "secrets", "configs"):
        assert key in schema["properties"]


# --- validation -------------------------------------------------------------


def test_compose_file_is_valid_against_the_compose_spec(
    validator: jsonschema.protocols.Validator, compose: dict[str, Any]
) -> None:
    assert errors_of(validator, compose) == []


def test_compose_file_uses_the_compose_spec_without_version(compose: dict[str, Any]) -> None:
    assert "version" not in compose


@pytest.mark.parametrize(
    ("description", "break_it"),
    [
        ("ports of the wrong type", lambda c: c["services"]["web"].update(ports="abc")),
        ("unknown top-level key", lambda c: c.update(servics={})),
        ("unknown service key", lambda c: c["services"]["web"].update(restart_policy="always")),
        (
            "unknown depends_on condition",
            lambda c: c["services"]["web"]["depends_on"]["postgres"].update(condition="ready"),
        ),
        (
            "restart: no parsed as a boolean",
            lambda c: c["services"]["migrate"].update(restart=False),
        ),
        (
            "healthcheck test of the wrong type",
            lambda c: c["services"]["redis"]["healthcheck"].update(test=1),
        ),
    ],
)
def test_validation_rejects_a_broken_compose_file(
    validator: jsonschema.protocols.Validator,
    compose: dict[str, Any],
    description: str,
    break_it: Any,
) -> None:
    broken = copy.deepcopy(compose)
    break_it(broken)
    assert errors_of(validator, broken), f"{description} was accepted"


# --- behaviour --------------------------------------------------------------


def test_the_expected_services_exist(services: dict[str, dict[str, Any]]) -> None:
    assert set(services) == {"postgres", "redis", "mailcatcher", *APP_SERVICES}


def test_app_services_share_one_build_and_env_file(
    compose: dict[str, Any], services: dict[str, dict[str, Any]]
) -> None:
    shared = compose["x-app"]
    for name in APP_SERVICES:
        service = services[name]
        assert service["build"] == shared["build"] == ".", name
        assert service["env_file"] == shared["env_file"] == ".env", name
        assert "image" not in service, name
    for name in ("postgres", "redis", "mailcatcher"):
        assert "build" not in services[name], name
        assert "env_file" not in services[name], f"{name} must not see the app secrets"


def test_app_commands_are_the_contract_cli(services: dict[str, dict[str, Any]]) -> None:
    assert services["migrate"]["command"] == ["vertrouwd", "db", "upgrade"]
    assert services["web"]["command"] == [
        "vertrouwd",
        "web",
        "--host",
        "0.0.0.0",
        "--port",
        "8000",
    ]
    assert services["worker"]["command"] == ["vertrouwd", "worker"]
    assert services["beat"]["command"] == ["vertrouwd", "beat"]
    assert services["watcher"]["command"] == ["vertrouwd", "watch"]


def test_web_postgres_and_redis_have_healthchecks(services: dict[str, dict[str, Any]]) -> None:
    assert "pg_isready" in healthcheck_command(services["postgres"])
    assert services["postgres"]["image"] == "postgres:16"

    assert healthcheck_command(services["redis"]) == "CMD redis-cli ping"

    web = healthcheck_command(services["web"])
    assert web.startswith("CMD python -c ")
    assert "urllib.request.urlopen('http://127.0.0.1:8000/healthz'" in web
    assert "curl" not in web


def test_web_healthcheck_is_valid_python(services: dict[str, dict[str, Any]]) -> None:
    for name in ("web", "worker", "beat", "watcher"):
        test = services[name]["healthcheck"]["test"]
        assert test[:3] == ["CMD", "python", "-c"], name
        compile(test[3], f"<{name} healthcheck>", "exec")


def test_worker_and_beat_check_the_broker(services: dict[str, dict[str, Any]]) -> None:
    for name in ("worker", "beat"):
        command = healthcheck_command(services[name])
        assert "BROKER_URL" in command and ".ping()" in command, name


def test_web_port_8000_is_published(services: dict[str, dict[str, Any]]) -> None:
    assert "8000:8000" in services["web"]["ports"]
    published = [
        name for name, service in services.items() if name != "web" and service.get("ports")
    ]
    assert published == ["mailcatcher"], "only web (and the dev mail catcher) is published"


def test_redis_persists_to_a_volume(
    compose: dict[str, Any], services: dict[str, dict[str, Any]]
) -> None:
    redis = services["redis"]
    assert redis["image"] == "redis:7"
    command = " ".join(redis["command"])
    assert "--appendonly yes" in command
    volume = next(v.split(":")[0] for v in redis["volumes"] if v.endswith(":/data"))
    assert volume in compose["volumes"]


def test_postgres_persists_to_a_volume(
    compose: dict[str, Any], services: dict[str, dict[str, Any]]
) -> None:
    postgres = services["postgres"]
    data = [v for v in postgres["volumes"] if v.endswith(":/var/lib/postgresql/data")]
    assert len(data) == 1
    assert data[0].split(":")[0] in compose["volumes"]


def test_every_named_volume_is_declared(
    compose: dict[str, Any], services: dict[str, dict[str, Any]]
) -> None:
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if not source.startswith((".", "/")):
                assert source in compose["volumes"], f"{name}: {source}"


def test_app_services_wait_for_healthy_databases_and_completed_migrations(
    services: dict[str, dict[str, Any]],
) -> None:
    for name in LONG_RUNNING_APP_SERVICES:
        depends_on = services[name]["depends_on"]
        assert depends_on["postgres"]["condition"] == "service_healthy", name
        assert depends_on["redis"]["condition"] == "service_healthy", name
        assert depends_on["migrate"]["condition"] == "service_completed_successfully", name


def test_migrate_is_one_shot_after_postgres(services: dict[str, dict[str, Any]]) -> None:
    migrate = services["migrate"]
    assert migrate["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert migrate["restart"] == "no"


def test_restart_policies(services: dict[str, dict[str, Any]]) -> None:
    for name in (*LONG_RUNNING_APP_SERVICES, "postgres", "redis"):
        assert services[name]["restart"] == "unless-stopped", name


def test_dependencies_exist_and_are_not_in_a_profile(services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        for dependency in service.get("depends_on", {}):
            assert dependency in services, f"{name} -> {dependency}"
            assert "profiles" not in services[dependency], f"{name} -> {dependency}"


def test_mailcatcher_only_in_the_dev_profile(services: dict[str, dict[str, Any]]) -> None:
    mailcatcher = services["mailcatcher"]
    assert mailcatcher["image"].split(":")[0] == "axllent/mailpit"
    assert mailcatcher["profiles"] == ["dev"]
    in_a_profile = {name for name, service in services.items() if "profiles" in service}
    assert in_a_profile == {"mailcatcher"}
    assert any(str(p).endswith(":8025") for p in mailcatcher["ports"])


# --- .env.example -----------------------------------------------------------


def test_env_example_lines_are_comments_or_assignments() -> None:
    keys = [key for _, key, _ in parse_env_example()]
    assert len(keys) == len(set(keys)), "a key is set twice"


def test_every_env_example_variable_is_documented() -> None:
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
    for number, key, _ in parse_env_example():
        # Walk up through the block the assignment belongs to: there must be a
        # comment before the next blank line.
        index = number - 1
        documented = False
        while index > 0 and lines[index - 1].strip():
            if lines[index - 1].lstrip().startswith("#"):
                documented = True
                break
            index -= 1
        assert documented, f"{key} has no comment above it"


def test_env_example_covers_the_settings() -> None:
    keys = set(env_example())
    assert keys >= REQUIRED_ENV_KEYS, REQUIRED_ENV_KEYS - keys
    assert keys >= CONTRACT_ENV_KEYS, CONTRACT_ENV_KEYS - keys


def test_env_example_points_at_the_compose_services() -> None:
    env = env_example()
    assert env["VERTROUWD_ENV"] == "production"
    assert env["DATABASE_URL"].startswith("postgresql+psycopg://")
    assert "@postgres:5432/" in env["DATABASE_URL"]
    assert env["BROKER_URL"] == "redis://redis:6379/0"
    assert env["RATELIMIT_STORAGE_URL"] == "redis://redis:6379/1"


def test_database_url_matches_the_postgres_credentials() -> None:
    env = env_example()
    expected = (
        f"postgresql+psycopg://{env['POSTGRES_USER']}:{env['POSTGRES_PASSWORD']}"
        f"@postgres:5432/{env['POSTGRES_DB']}"
    )
    assert env["DATABASE_URL"] == expected


def test_secrets_are_placeholders_with_generators() -> None:
    env = env_example()
    for key in SECRET_KEYS:
        assert env[key] == "change-me", key
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    assert (
        'python -c "from cryptography.fernet import Fernet; '
        'print(Fernet.generate_key().decode())"' in text
    )
    assert 'python -c "import secrets; print(secrets.token_urlsafe(48))"' in text


def test_env_example_explains_the_dev_mail_catcher() -> None:
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    assert "SMTP_HOST=mailcatcher" in text
    assert "SMTP_PORT=1025" in text


def test_every_interpolated_variable_is_in_env_example() -> None:
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    # ${VAR}, ${VAR:-default}, ${VAR:?error}; $$ is an escaped dollar.
    referenced = set(re.findall(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)", text))
    assert referenced, "expected the postgres credentials to be interpolated"
    assert referenced <= set(env_example()), referenced - set(env_example())


# --- Dockerfile and build context -------------------------------------------


def test_dockerfile() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    instructions = [
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    code = "\n".join(instructions)
    froms = [line.split()[1] for line in instructions if line.startswith("FROM ")]
    assert froms and all(image == "python:3.11-slim" for image in froms)
    users = [line.split()[1] for line in instructions if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0"), "the image must run as a non-root user"
    assert re.search(r"pip install \.(\s|$)", code), "install the project without extras"
    assert "[test]" not in code
    cmds = [line for line in instructions if line.startswith("CMD ")]
    assert len(cmds) == 1
    assert json.loads(cmds[0][len("CMD ") :]) == [
        "vertrouwd",
        "web",
        "--host",
        "0.0.0.0",
        "--port",
        "8000",
    ]


def test_dockerignore_keeps_secrets_and_local_state_out() -> None:
    patterns = {
        line.strip()
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".env", "instance/", ".venv/", ".git/"} <= patterns
    assert "README.md" not in patterns, "pyproject.toml needs README.md to install"
    assert "pyproject.toml" not in patterns

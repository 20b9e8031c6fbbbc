"""The `vertrouwd` command as operators use it: real subprocesses, real HTTP, a real SMTP server."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from mailtemplates import render
from tests.http_client import (
    Browser,
    Page,
    clean_env,
    hidden_inputs,
    reference_in,
    run_cli,
    run_ok,
    start,
    stop,
    wait_for_http,
)
from tests.servers import SmtpSink, free_port
from workflow import inbound
from workflow.crypto import Vault
from workflow.db import Database, make_engine
from workflow.inbound import RawMail
from workflow.models import InboundMail
from workflow.outbox import Postman
from workflow.pipeline import InboxConfig, process_due
from workflow.settings import Settings, load_settings

WEB_START_SECONDS = 30
UNREACHABLE_DATABASE_SECONDS = 30

CLIENT_NAME = "Zwaantje Pietersen-Ölçer"
CLIENT_EMAIL = "zwaantje.uniek@example.org"
CLIENT_PHONE = "+31 6 9876 5432"
DESCRIPTION = "Mijn begeleider Johan raakte mij steeds aan"
COUNTERPART = "Johan de Vries"

STAFF = (
    ("Anna", "anna@example.org", "female", "vertrouwenspersoon"),
    ("Bram", "bram@example.org", "male", "vertrouwenspersoon"),
    ("Coco", "coco@example.org", "female", "coordinator"),
)


def one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    """The one line the contract allows on stderr for an error; fails on anything else."""
    assert "Traceback" not in done.stderr, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, (
        f"CONTRACT: errors go to stderr as one readable line; got {len(lines)}:\n{done.stderr}"
    )
    assert lines[0].startswith("vertrouwd: "), lines[0]
    return lines[0]


def contract_fields(form_page: Page, **overrides: str) -> dict[str, str]:
    """A complete, valid post of the contract's field names, with the page's hidden fields."""
    hidden = hidden_inputs(form_page.text)
    assert hidden.get("csrf_token"), "the form page has no csrf_token"
    assert hidden.get("submission_id"), "the form page has no submission_id"
    fields = {
        "csrf_token": hidden["csrf_token"],
        "submission_id": hidden["submission_id"],
        "description": DESCRIPTION,
        "kind": "conduct",
        "preferred_gender": "female",
        "counterpart_name": COUNTERPART,
        "counterpart_role": "begeleider",
        "name": CLIENT_NAME,
        "email": CLIENT_EMAIL,
        "phone": CLIENT_PHONE,
        "language": "nl",
        "privacy": "y",
        "website": "",
    }
    return {**fields, **overrides}


@dataclass
class Deployment:
    """A migrated SQLite installation in `folder` with `vertrouwd web` serving it at `url`."""

    folder: Path
    env: dict[str, str]
    url: str
    sink: SmtpSink

    def cli(self, *args: str) -> str:
        return run_ok(list(args), self.folder, self.env)

    def cli_json(self, *args: str) -> Any:
        return json.loads(self.cli(*args, "--json"))

    def form_url(self, slug: str = "versa") -> str:
        return f"{self.url}/melden/{slug}"

    def submit(self, browser: Browser | None = None, **overrides: str) -> Page:
        browser = browser or Browser()
        form = browser.get(self.form_url())
        assert form.status == 200, form.text[:500]
        return browser.post(self.form_url(), contract_fields(form, **overrides))


def set_up_versa(folder: Path, env: dict[str, str]) -> None:
    """`db upgrade`, the organisation and its staff, through the command line only."""
    run_ok(["db", "upgrade"], folder, env)
    run_ok(
        [
            *("org", "add", "--slug", "versa", "--name", "Versa Welzijn"),
            *("--complaint-role", "chair", "--conduct-role", "vertrouwenspersoon"),
        ],
        folder,
        env,
    )
    for name, email, gender, role in STAFF:
        run_ok(
            [
                *("advisor", "add", "--org", "versa", "--name", name),
                *("--email", email, "--gender", gender, "--role", role),
            ],
            folder,
            env,
        )


@pytest.fixture(scope="module")
def versa_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One installation set up through the command line, copied by every test that needs it."""
    folder = tmp_path_factory.mktemp("versa-template")
    set_up_versa(folder, clean_env())
    return folder


@pytest.fixture
def versa_folder(tmp_path: Path, versa_template: Path) -> Path:
    """A private copy of the template installation (database and generated keys)."""
    shutil.copytree(versa_template / "instance", tmp_path / "instance")
    return tmp_path


@pytest.fixture
def deployment(versa_folder: Path, smtp_sink: SmtpSink) -> Iterator[Deployment]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = clean_env(
        BASE_URL=url,
        SMTP_HOST=smtp_sink.host,
        SMTP_PORT=str(smtp_sink.port),
        BROKER_URL="filesystem://",
        FORM_RATE_LIMIT="1000/minute",
    )
    log = versa_folder / "web.log"
    web = start(["web", "--port", str(port)], versa_folder, env, log)
    try:
        wait_for_http(f"{url}/healthz", web, log, WEB_START_SECONDS)
        yield Deployment(versa_folder, env, url, smtp_sink)
    finally:
        stop(web)


# 1. Bad configuration stops start-up with one line naming the variable, exit status 2.


@pytest.mark.parametrize(
    ("settings", "command", "variable"),
    [
        ({"DATABASE_URL": "nonsense"}, ["web"], "DATABASE_URL"),
        ({"ENCRYPTION_KEYS": "not-a-key"}, ["cases"], "ENCRYPTION_KEYS"),
        ({"BASE_URL": "ftp://x"}, ["cases"], "BASE_URL"),
        ({"SMTP_PORT": "abc"}, ["cases"], "SMTP_PORT"),
        ({"VERTROUWD_ENV": "production"}, ["cases"], "DATABASE_URL"),
    ],
    ids=["database-url", "encryption-keys", "base-url", "smtp-port", "production-secrets"],
)
def test_bad_configuration_stops_with_one_line_naming_the_variable(
    tmp_path: Path, settings: dict[str, str], command: list[str], variable: str
) -> None:
    done = run_cli(command, tmp_path, clean_env(**settings))

    assert done.returncode == 2, done.stderr
    assert variable in one_error_line(done)


def test_unreachable_database_stops_web_quickly_naming_database_url(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/x"
    began = time.monotonic()

    done = run_cli(["web"], tmp_path, clean_env(DATABASE_URL=url), UNREACHABLE_DATABASE_SECONDS)

    assert time.monotonic() - began < UNREACHABLE_DATABASE_SECONDS
    assert done.returncode == 2, done.stderr
    assert "DATABASE_URL" in one_error_line(done)


# 2. Bad arguments exit 2; a case that is not there is a failure (1).


ADVISOR = ["advisor", "add", "--name", "Anna", "--email", "anna@example.org"]


@pytest.mark.parametrize(
    ("arguments", "status", "mentions"),
    [
        ([*ADVISOR, "--org", "nope", "--gender", "female"], 2, "nope"),
        ([*ADVISOR, "--org", "versa", "--gender", "other"], 2, "--gender"),
        (["org", "add", "--slug", "versa", "--name", "Nog eens Versa"], 2, "versa"),
        (["case", "VP-2026-9999"], 1, "VP-2026-9999"),
        (["tick", "--now", "next tuesday"], 2, "--now"),
        (["org", "set", "--slug", "versa", "--business-hours", "17-9"], 2, "business hours"),
        (["org", "set", "--slug", "versa", "--timezone", "Mars/Olympus"], 2, "Mars/Olympus"),
        (["org", "set", "--slug", "versa", "--inactivity-days", "0"], 2, "inactivity-days"),
    ],
    ids=[
        "unknown-organisation",
        "unknown-gender",
        "duplicate-slug",
        "case-not-found",
        "tick-now",
        "hours-reversed",
        "unknown-zone",
        "zero-days",
    ],
)
def test_bad_arguments_exit_with_one_line(
    versa_folder: Path, arguments: list[str], status: int, mentions: str
) -> None:
    done = run_cli(arguments, versa_folder, clean_env())

    assert done.returncode == status, done.stderr
    assert mentions in one_error_line(done)


def test_org_set_changes_the_casework_rules_of_one_organisation(versa_folder: Path) -> None:
    said = run_ok(["org", "set", "--slug", "versa", "--assignment-reminder-days", "2",
                   "--assignment-escalation-days", "4", "--business-hours", "8-16"],
                  versa_folder, clean_env())  # fmt: skip
    assert "reminder after 2, reassign after 4" in said and "hours 8-16" in said
    said = run_ok(["org", "set", "--slug", "versa", "--signal-threshold", "5"],
                  versa_folder, clean_env())  # fmt: skip
    assert "reminder after 2" in said and "signal at 5 cases" in said


# 3. The contract flow on SQLite with a real web server and a real SMTP server.


def test_contract_flow_from_form_to_mail_and_case_json(deployment: Deployment) -> None:
    answer = deployment.submit()
    assert answer.status == 200, answer.text[:2000]
    reference = reference_in(answer)

    deployment.cli("outbox", "flush")
    first = deployment.sink.messages
    deployment.cli("outbox", "flush")
    mails = deployment.sink.messages

    assert len(first) == 2
    assert len(mails) == 2, [m.message["Subject"] for m in mails]
    assert sorted(r for m in mails for r in m.rcpt_tos) == sorted(
        [CLIENT_EMAIL, "anna@example.org"]
    )
    assert all(f"[{reference}]" in str(m.message["Subject"]) for m in mails)
    assert_case_json(deployment.cli_json("case", reference), reference)
    listed = deployment.cli_json("cases")
    assert isinstance(listed, list)
    assert reference in [row["reference"] for row in listed]
    assert reference in deployment.cli("cases", "--org", "versa")
    # Every read at the command line is on the audit log, as an operator's.
    audit = deployment.cli("audit", "export", "--format", "json")
    reads = [(e["role"], e["action"], e["reference"]) for e in json.loads(audit)]
    assert reads == [("operator", "view_case", reference), ("operator", "list_cases", ""),
                     ("operator", "list_cases", "")]  # fmt: skip


def assert_case_json(case: dict[str, Any], reference: str) -> None:
    expected = {
        "reference": reference,
        "organisation": "versa",
        "channel": "web",
        "kind": "conduct",
        "preferred_gender": "female",
        "language": "nl",
        "state": "assigned",
        "advisor": {"email": "anna@example.org", "gender": "female"},
        "counterpart": COUNTERPART,
        "urgent": False,
    }
    assert {key: case.get(key) for key in expected} == expected
    created_at = datetime.fromisoformat(case["created_at"])
    assert created_at.utcoffset() is not None, f"created_at without offset: {case['created_at']}"
    timeline = case["timeline"]
    assert isinstance(timeline, list)
    assert all(set(entry) >= {"at", "event", "detail"} for entry in timeline), timeline
    events = [entry["event"] for entry in timeline]
    assert {"received", "assign"} <= set(events), events


# 4. Confidentiality at rest: no personal data in plaintext in the database files.


def test_personal_data_is_not_stored_in_plaintext(deployment: Deployment) -> None:
    reference = reference_in(deployment.submit())
    deployment.cli("outbox", "flush")
    assert deployment.cli_json("case", reference)["counterpart"] == COUNTERPART

    files = sorted((deployment.folder / "instance").glob("vertrouwd.sqlite*"))
    assert files, "no database file under instance/"
    stored = b"".join(path.read_bytes() for path in files)
    assert reference.encode() in stored, "the case is not in the files read (wrong files?)"
    for secret in (CLIENT_NAME, CLIENT_EMAIL, CLIENT_PHONE, DESCRIPTION, COUNTERPART):
        for encoding in ("utf-8", "utf-16-le"):
            assert secret.encode(encoding) not in stored, f"{secret!r} in plaintext ({encoding})"


# 5. A double submit (the same submission_id) opens one case.


def test_double_submit_opens_one_case(deployment: Deployment) -> None:
    browser = Browser()
    form = browser.get(deployment.form_url())
    fields = contract_fields(form)

    first = browser.post(deployment.form_url(), fields)
    second = browser.post(deployment.form_url(), fields)

    assert first.status == 200, first.text[:2000]
    assert second.status == 200, second.text[:2000]
    assert reference_in(second) == reference_in(first)
    assert [row["reference"] for row in deployment.cli_json("cases")] == [reference_in(first)]
    deployment.cli("outbox", "flush")
    assert len(deployment.sink.messages) == 2


# 6. Header injection through the email field is refused and creates nothing.


def test_line_break_in_email_is_refused_and_creates_nothing(deployment: Deployment) -> None:
    answer = deployment.submit(email="x@example.org\r\nBcc: evil@example.org")

    assert answer.status == 400
    assert deployment.cli_json("cases") == []
    deployment.cli("outbox", "flush")
    seen = [(m.rcpt_tos, m.data) for m in deployment.sink.messages]
    assert not any(
        "evil@example.org" in rcpts or b"evil@example.org" in data for rcpts, data in seen
    )


# 7. `inbox quarantine dismiss ID`: the coordinator's decision, from the command line.

OUTLOOK_FILE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8  # not a mail


@contextmanager
def installation(folder: Path) -> Iterator[tuple[Database, Settings]]:
    """The installation's own database and settings, opened the way the command opens them."""
    settings = load_settings({"VERTROUWD_INSTANCE": str(folder / "instance")}, read_dotenv=False)
    vault = Vault(settings.encryption_keys, settings.hash_key)
    database = Database(make_engine(settings.database_url), vault)
    try:
        yield database, settings
    finally:
        database.dispose()


def quarantined_in(folder: Path) -> int:
    """An unreadable mail stored and processed in the installation, as the worker would."""
    now = datetime.now(UTC)
    with installation(folder) as (database, settings):
        with database.unit_of_work() as uow:
            [inbound_id] = inbound.store(uow.session, uow.vault, "INBOX", None,
                                         [RawMail(None, OUTLOOK_FILE)], now)  # fmt: skip
            uow.commit()
        postman = Postman(render=render, mail_from=settings.mail_from, base_url=settings.base_url)
        [outcome] = process_due(database, postman, InboxConfig(settings.mail_from), now)
    assert (outcome.inbound_id, outcome.status) == (inbound_id, "quarantined")
    return inbound_id


def status_in(folder: Path, inbound_id: int) -> tuple[str, bytes]:
    with installation(folder) as (database, _), database.session() as session:
        row = session.get_one(InboundMail, inbound_id)
        return row.status, database.vault.open_bytes(row.raw_enc)


def test_inbox_quarantine_dismiss_takes_the_mail_off_the_list_and_keeps_it(
    versa_folder: Path,
) -> None:
    inbound_id = quarantined_in(versa_folder)
    env = clean_env()
    listed = json.loads(run_ok(["inbox", "quarantine", "list", "--json"], versa_folder, env))
    assert [row["id"] for row in listed] == [inbound_id]

    said = run_ok(["inbox", "quarantine", "dismiss", str(inbound_id)], versa_folder, env)
    assert said.strip() == f"mail {inbound_id} is dismissed: kept, but off the list"
    assert json.loads(run_ok(["inbox", "quarantine", "list", "--json"], versa_folder, env)) == []
    assert status_in(versa_folder, inbound_id) == ("dismissed", OUTLOOK_FILE)

    again = run_cli(["inbox", "quarantine", "dismiss", str(inbound_id)], versa_folder, env)
    assert again.returncode == 1
    assert one_error_line(again) == f"vertrouwd: no quarantined or machine mail {inbound_id}"
    no_id = run_cli(["inbox", "quarantine", "dismiss"], versa_folder, env)
    assert no_id.returncode == 2 and "needs the ID" in one_error_line(no_id)

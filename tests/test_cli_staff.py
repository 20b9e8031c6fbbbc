"""The staff commands of `vertrouwd` as an operator runs them: real processes on a real install."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.http_client import COMMAND, clean_env, run_cli, run_ok
from tests.test_cli import one_error_line, versa_folder, versa_template  # noqa: F401 (fixtures)
from workflow import access, staff_auth
from workflow.assignment import candidates_for
from workflow.crypto import Vault
from workflow.db import Database, make_engine
from workflow.models import Absence, Advisor, Organisation
from workflow.settings import load_settings

BASE_URL = "http://vertrouwd.test"
PASSWORD = "een lang en geheim wachtwoord"
NEW_ADMIN = [
    *("advisor", "add", "--org", "versa", "--name", "Adam", "--email", "adam@example.org"),
    *("--gender", "male", "--role", "admin", "--password-stdin"),
]


def run_with_stdin(
    args: list[str], cwd: Path, stdin: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`vertrouwd ARGS` with `stdin` piped in (run_cli gives the command no input at all)."""
    return subprocess.run(
        [*COMMAND, *args], cwd=cwd, env=env or clean_env(), input=stdin, capture_output=True,
        text=True, timeout=60, check=False,
    )  # fmt: skip


@pytest.fixture
def installed(versa_folder: Path) -> Iterator[Database]:  # noqa: F811
    """The installation's own database and keys, opened the way the command opens them."""
    settings = load_settings({"VERTROUWD_INSTANCE": str(versa_folder / "instance")},
                             read_dotenv=False)  # fmt: skip
    database = Database(
        make_engine(settings.database_url), Vault(settings.encryption_keys, settings.hash_key)
    )
    yield database
    database.dispose()


def staff_row(database: Database, email: str) -> Advisor | None:
    with database.session() as session:
        return session.scalar(select(Advisor).where(Advisor.email == email))


def signs_in(database: Database, email: str, password: str) -> bool:
    with database.unit_of_work() as uow:
        found = staff_auth.check_password(
            uow.session, uow.vault, email, password, "192.0.2.1", datetime.now(UTC)
        )
        return found is not None and found.email == email


# --- advisor add --password-stdin ------------------------------------------------------


@pytest.mark.parametrize("line_end", ["\n", "\r\n", ""], ids=["lf", "crlf", "no-newline"])
def test_a_password_from_stdin_is_stored_as_a_hash_and_never_echoed(
    versa_folder: Path,  # noqa: F811
    installed: Database,
    line_end: str,
) -> None:
    following = "the next line is not read\n" if line_end else ""  # "": the input simply ends
    done = run_with_stdin(NEW_ADMIN, versa_folder, PASSWORD + line_end + following)

    assert done.returncode == 0, done.stderr
    assert PASSWORD not in done.stdout + done.stderr
    assert "admin adam@example.org serves versa" in done.stdout
    adam = staff_row(installed, "adam@example.org")
    assert adam is not None and adam.password_hash is not None
    assert adam.password_hash.startswith("$argon2id$") and PASSWORD not in adam.password_hash
    assert signs_in(installed, "adam@example.org", PASSWORD)


def test_a_password_can_be_given_to_someone_already_there(
    versa_folder: Path,  # noqa: F811
    installed: Database,
) -> None:
    args = ["advisor", "add", "--org", "versa", "--name", "Anna", "--email", "anna@example.org",
            "--gender", "female", "--password-stdin"]  # fmt: skip
    done = run_with_stdin(args, versa_folder, PASSWORD + "\n")

    assert done.returncode == 0, done.stderr
    assert signs_in(installed, "anna@example.org", PASSWORD)


@pytest.mark.parametrize(
    "stdin", ["kort-maar\n", "", "\n", "elf tekens!\nde rest op de volgende regel\n"],
    ids=["short", "empty", "blank-line", "short-first-line"],
)  # fmt: skip
def test_a_short_or_missing_password_is_refused_and_nothing_is_added(
    versa_folder: Path,  # noqa: F811
    installed: Database,
    stdin: str,
) -> None:
    done = run_with_stdin(NEW_ADMIN, versa_folder, stdin)

    assert done.returncode == 2, done.stderr
    line = one_error_line(done)
    assert "--password-stdin" in line and "12" in line
    first_line = stdin.splitlines()[0] if stdin.strip() else None
    assert first_line is None or first_line not in done.stdout + done.stderr
    assert staff_row(installed, "adam@example.org") is None


# --- advisor sign-in-link --------------------------------------------------------------


def test_a_sign_in_link_is_printed_for_the_operator_and_works_once_for_fifteen_minutes(
    versa_folder: Path,  # noqa: F811
    installed: Database,
) -> None:
    printed = run_ok(["advisor", "sign-in-link", "--email", "Coco@example.org"], versa_folder,
                     clean_env(BASE_URL=BASE_URL)).strip()  # fmt: skip
    issued_at = datetime.now(UTC)

    found = re.fullmatch(rf"{re.escape(BASE_URL)}/medewerkers/inloggen/([A-Za-z0-9_-]{{32,}})",
                         printed)  # fmt: skip
    assert found, printed
    token = found.group(1)
    with installed.unit_of_work() as uow:
        session, vault = uow.session, uow.vault
        late = issued_at + staff_auth.SIGN_IN_LINK_LIFETIME + timedelta(seconds=5)
        assert staff_auth.sign_in_link_owner(session, vault, token, late) is None
        owner = staff_auth.sign_in_link_owner(session, vault, token, issued_at)
        assert owner is not None and owner.email == "coco@example.org"
        assert staff_auth.use_sign_in_link(session, vault, token, issued_at) is not None
        assert staff_auth.use_sign_in_link(session, vault, token, issued_at) is None
    with installed.session() as session:
        assert [e.action for e, _ in access.audit_trail(session)] == ["sign_in_link_issued"]


@pytest.mark.parametrize("email", ["nobody@example.org", "bram@example.org"],
                         ids=["unknown", "inactive"])  # fmt: skip
def test_no_sign_in_link_without_an_active_account(
    versa_folder: Path,  # noqa: F811
    installed: Database,
    email: str,
) -> None:
    with installed.unit_of_work() as uow:
        bram = uow.session.scalars(select(Advisor).where(Advisor.email == "bram@example.org"))
        bram.one().is_active = False
        uow.commit()

    done = run_cli(["advisor", "sign-in-link", "--email", email], versa_folder, clean_env())

    assert done.returncode == 1, done.stderr
    assert email in one_error_line(done)
    assert done.stdout == ""


# --- advisor absence add ---------------------------------------------------------------


def absence(email: str, first: date | str, last: date | str) -> list[str]:
    return ["advisor", "absence", "add", "--email", email, "--from", str(first), "--to", str(last)]


def test_leave_is_recorded_and_routing_honours_it(
    versa_folder: Path,  # noqa: F811
    installed: Database,
) -> None:
    today = datetime.now(UTC).date()  # two days either side: today in any time zone
    said = run_ok(absence("ANNA@example.org", today - timedelta(days=2), today + timedelta(days=2)),
                  versa_folder, clean_env())  # fmt: skip

    assert "anna@example.org" in said and str(today + timedelta(days=2)) in said
    with installed.session() as session:
        anna = session.scalars(select(Advisor).where(Advisor.email == "anna@example.org")).one()
        leave = session.scalars(select(Absence)).one()
        assert (leave.advisor_id, leave.starts_on) == (anna.id, today - timedelta(days=2))
        versa = session.scalars(select(Organisation).where(Organisation.slug == "versa")).one()
        available = {
            c.advisor_id: c.is_active for c in candidates_for(session, versa, datetime.now(UTC))
        }
        assert available[anna.id] is False
        after = datetime.now(UTC) + timedelta(days=4)
        assert {c.advisor_id: c.is_active for c in candidates_for(session, versa, after)}[anna.id]


def days_ahead(days: int) -> date:
    """A day to come: the command refuses leave that has ended, so no test day may pass."""
    return datetime.now(UTC).date() + timedelta(days=days)


def test_a_single_day_of_leave_is_a_period(versa_folder: Path) -> None:  # noqa: F811
    day = days_ahead(30)
    said = run_ok(absence("anna@example.org", day, day), versa_folder, clean_env())
    assert f"{day} to {day}" in said


@pytest.mark.parametrize(
    ("arguments", "status", "mentions"),
    [
        (absence("anna@example.org", "2026-12-31", "2026-12-01"), 2, "--to"),
        (absence("anna@example.org", "31-12-2026", "2027-01-02"), 2, "--from"),
        (absence("anna@example.org", "2026-12-01", "tomorrow"), 2, "--to"),
        (absence("nobody@example.org", "2026-12-01", "2026-12-02"), 1, "nobody@example.org"),
        (absence("anna@example.org", "2020-01-06", "2020-01-10"), 2, "--to 2020-01-10"),
    ],
    ids=["reversed", "bad-from", "bad-to", "unknown-staff", "ended"],
)
def test_bad_leave_is_refused_with_one_line(
    versa_folder: Path,  # noqa: F811
    installed: Database,
    arguments: list[str],
    status: int,
    mentions: str,
) -> None:
    done = run_cli(arguments, versa_folder, clean_env())

    assert done.returncode == status, done.stderr
    assert mentions in one_error_line(done)
    with installed.session() as session:
        assert session.scalars(select(Absence)).all() == []


# --- audit export ----------------------------------------------------------------------


@pytest.fixture
def logged(versa_folder: Path, installed: Database) -> Path:  # noqa: F811
    """Two operator actions through the command, then two case views by staff."""
    run_ok(["advisor", "sign-in-link", "--email", "anna@example.org"], versa_folder, clean_env())
    run_ok(absence("bram@example.org", days_ahead(8), days_ahead(12)), versa_folder, clean_env())
    at = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    with installed.unit_of_work() as uow:
        by_email = {a.email: a for a in uow.session.scalars(select(Advisor))}
        access.audit(uow.session, by_email["anna@example.org"], "case_viewed", at,
                     reference="VP-2026-0001")  # fmt: skip
        access.audit(uow.session, by_email["coco@example.org"], "case_assigned",
                     at + timedelta(minutes=1), reference="VP-2026-0002",
                     detail="to Bram")  # fmt: skip
        uow.commit()
    return versa_folder


EXPECTED = [
    ("system", "operator", "sign_in_link_issued", ""),
    ("system", "operator", "absence_added", ""),
    ("anna@example.org", "vertrouwenspersoon", "case_viewed", "VP-2026-0001"),
    ("coco@example.org", "coordinator", "case_assigned", "VP-2026-0002"),
]


def summary(rows: list[dict[str, str]]) -> list[tuple[str, str, str, str]]:
    return [(r["staff"], r["role"], r["action"], r["reference"]) for r in rows]


def test_the_audit_log_exports_as_csv_oldest_first(logged: Path) -> None:
    printed = run_ok(["audit", "export"], logged, clean_env())

    reader = csv.DictReader(io.StringIO(printed))
    rows = list(reader)
    assert reader.fieldnames == ["at", "staff", "role", "action", "reference", "detail"]
    assert summary(rows) == EXPECTED
    assert rows[2]["at"] == "2026-11-23T09:30:00+00:00"
    assert rows[3]["detail"] == "to Bram"


def test_the_audit_log_exports_as_json_to_a_file(logged: Path) -> None:
    target = logged / "audit.json"
    said = run_ok(["audit", "export", "--format", "json", "-o", str(target)], logged, clean_env())

    assert "4 audit entries" in said and str(target) in said
    rows = json.loads(target.read_text(encoding="utf-8"))
    assert summary(rows) == EXPECTED
    assert set(rows[0]) == {"at", "staff", "role", "action", "reference", "detail"}
    assert not list(logged.glob("*.part"))


@pytest.mark.parametrize("form", ["csv", "json"])
def test_the_export_of_one_case_holds_only_its_entries(logged: Path, form: str) -> None:
    printed = run_ok(["audit", "export", "--reference", " vp-2026-0001", "--format", form],
                     logged, clean_env())  # fmt: skip
    rows = json.loads(printed) if form == "json" else list(csv.DictReader(io.StringIO(printed)))
    assert summary(rows) == [EXPECTED[2]]

    printed = run_ok(["audit", "export", "--reference", "VP-2026-9999", "--format", form],
                     logged, clean_env())  # fmt: skip
    assert (json.loads(printed) if form == "json" else printed.splitlines()[1:]) == []


def test_a_csv_cell_a_spreadsheet_would_run_is_quoted_but_json_stays_raw(
    logged: Path, installed: Database
) -> None:
    formula = '=HYPERLINK("http://example.org")'  # an entry's detail, or a staff address
    with installed.unit_of_work() as uow:
        access.audit(uow.session, None, "noted", datetime.now(UTC), detail=formula,
                     role=access.OPERATOR)  # fmt: skip
        uow.commit()

    as_csv = list(csv.DictReader(io.StringIO(run_ok(["audit", "export"], logged, clean_env()))))
    as_json = json.loads(run_ok(["audit", "export", "--format", "json"], logged, clean_env()))
    assert summary(as_csv) == summary(as_json) == [*EXPECTED, ("system", "operator", "noted", "")]
    assert as_csv[-1]["detail"] == "'" + formula  # the web's export guards it the same way
    assert as_json[-1]["detail"] == formula  # read by programs, not spreadsheets


def test_an_export_that_cannot_be_written_fails_with_one_line(logged: Path) -> None:
    target = logged / "no-such-folder" / "audit.csv"
    done = run_cli(["audit", "export", "-o", str(target)], logged, clean_env())

    assert done.returncode == 1, done.stderr
    assert str(target) in one_error_line(done)


def test_reading_cases_at_the_command_line_is_audited(
    versa_folder: Path,  # noqa: F811
    installed: Database,
) -> None:
    run_ok(["cases", "--json"], versa_folder, clean_env())
    run_cli(["case", "VP-2026-9999"], versa_folder, clean_env())  # no such case: nothing read
    with installed.session() as session:
        entries = [
            (e.staff_role, e.action, e.case_reference) for e, _ in access.audit_trail(session)
        ]
    assert entries == [("operator", "list_cases", None)]

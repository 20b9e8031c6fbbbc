"""`vertrouwd report` as an operator runs it: a real process on a real install with data."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from sqlalchemy import select

from tests.http_client import COMMAND, clean_env, run_cli, run_ok
from tests.test_cli import one_error_line, versa_folder, versa_template  # noqa: F401 (fixtures)
from tests.test_reports import oost_cases, store, versa_cases
from workflow.crypto import Vault
from workflow.db import Database, make_engine
from workflow.models import AuditEntry
from workflow.settings import load_settings

PERIODS = ["2026-Q3", "2026"]
FORMATS = ["html", "pdf", "csv", "json"]


@pytest.fixture
def with_data(versa_folder: Path) -> Iterator[Path]:  # noqa: F811
    """The installation (set up through the command line) with the data set in it."""
    run_ok(["org", "add", "--slug", "oost", "--name", "Wijkteam Oost"], versa_folder, clean_env())
    settings = load_settings({"VERTROUWD_INSTANCE": str(versa_folder / "instance")},
                             read_dotenv=False)  # fmt: skip
    database = Database(
        make_engine(settings.database_url), Vault(settings.encryption_keys, settings.hash_key)
    )
    store(database, "versa", versa_cases())
    store(database, "oost", oost_cases(), with_extras=False)
    database.dispose()
    yield versa_folder


def run_bytes(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*COMMAND, *args], cwd=cwd, env=clean_env(), stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=60, check=False)  # fmt: skip


def check(form: str, made: bytes, period: str) -> None:
    """The document is what its format promises, for this period, with hidden cells."""
    if form == "pdf":
        assert made.startswith(b"%PDF")
        document = pdfium.PdfDocument(made)
        try:
            assert "Rapportage vertrouwenspersoon" in document[0].get_textpage().get_text_range()
        finally:
            document.close()
        return
    text = made.decode("utf-8")
    if form == "html":
        assert text.startswith("<!doctype html>") and "<svg" in text and "&lt;5" in text
        assert "<script" not in text
    elif form == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert {r["value"] for r in rows if r["key"] == "kind.question"} == {"<5"}
    else:
        document = json.loads(text)
        assert document["metadata"]["period"] == period
        assert any(row["value"] == "<5" for row in document["rows"])


@pytest.mark.parametrize("period", PERIODS)
@pytest.mark.parametrize("form", FORMATS)
def test_every_format_for_a_quarter_and_a_year_to_a_file_and_to_stdout(
    with_data: Path, form: str, period: str
) -> None:
    out = with_data / f"report.{form}"
    arguments = ["report", "--org", "versa", "--period", period, "--format", form]
    to_file = run_bytes([*arguments, "-o", str(out)], with_data)
    to_stdout = run_bytes(arguments, with_data)

    assert to_file.returncode == 0, to_file.stderr
    check(form, out.read_bytes(), period)
    assert b"counting" in to_file.stderr  # the progress
    assert f"report written to {out}".encode() in to_file.stderr
    assert not list(with_data.glob("*.part"))
    assert to_stdout.returncode == 0, to_stdout.stderr
    check(form, to_stdout.stdout, period)
    if form != "pdf":  # the same document (a PDF carries its own creation time)
        assert to_stdout.stdout == out.read_bytes()


def test_html_is_the_default_and_english_is_an_option(with_data: Path) -> None:
    dutch = run_ok(["report", "--org", "versa", "--period", "2026-Q3"], with_data, clean_env())
    english = run_ok(["report", "--org", "versa", "--period", "2026-Q3", "--language", "en"],
                     with_data, clean_env())  # fmt: skip

    assert '<html lang="nl">' in dutch and "Nieuwe contacten per kanaal" in dutch
    assert '<html lang="en">' in english and "New contacts by channel" in english


def test_several_organisations_give_each_and_all_together(with_data: Path) -> None:
    done = run_ok(["report", "--org", "versa", "--org", "oost", "--period", "2026-Q3",
                   "--format", "json"], with_data, clean_env())  # fmt: skip
    document = json.loads(done)

    assert [o["slug"] for o in document["metadata"]["organisations"]] == ["versa", "oost"]
    values = {(r["key"], r["organisation"]): r["value"] for r in document["rows"]}
    assert values[("channel.total", "all")] == 27
    assert values[("channel.web", "all")] == 17 and values[("channel.email", "oost")] == "<5"


@pytest.mark.parametrize(
    ("arguments", "mentions"),
    [
        (["--org", "versa", "--period", "2026-Q5"], "--period"),
        (["--org", "versa", "--period", "last year"], "--period"),
        (["--org", "nope", "--period", "2026"], "nope"),
        (["--org", "versa", "--org", "nope", "--period", "2026-Q3"], "nope"),
        (["--org", "versa", "--period", "2026", "--format", "docx"], "docx"),
        (["--period", "2026"], "--org"),
    ],
    ids=["quarter-5", "words", "unknown-org", "one-unknown-org", "format", "no-org"],
)
def test_bad_arguments_exit_2_with_one_line(
    with_data: Path, arguments: list[str], mentions: str
) -> None:
    done = run_cli(["report", *arguments], with_data, clean_env())

    assert done.returncode == 2, done.stderr
    assert mentions in one_error_line(done)
    assert done.stdout == ""


def test_a_pdf_is_not_written_to_a_terminal(with_data: Path) -> None:
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [*COMMAND, "report", "--org", "versa", "--period", "2026", "--format", "pdf"],
            cwd=with_data, env=clean_env(), stdin=subprocess.DEVNULL, stdout=follower,
            stderr=subprocess.PIPE, text=True, timeout=60, check=False,
        )  # fmt: skip
    finally:
        os.close(follower)
        os.close(leader)

    assert done.returncode == 2
    assert "-o FILE" in one_error_line(done)


def test_a_report_is_audited_as_the_operators(with_data: Path) -> None:
    run_ok(["report", "--org", "versa", "--period", "2026-Q3", "--format", "csv"], with_data,
           clean_env())  # fmt: skip
    settings = load_settings({"VERTROUWD_INSTANCE": str(with_data / "instance")},
                             read_dotenv=False)  # fmt: skip
    database = Database(
        make_engine(settings.database_url), Vault(settings.encryption_keys, settings.hash_key)
    )
    with database.session() as session:
        entries = list(session.scalars(select(AuditEntry).where(
            AuditEntry.action == "export_report")))  # fmt: skip
    database.dispose()

    assert [(e.staff_role, e.detail) for e in entries] == [("operator", "versa 2026-Q3 csv")]

"""`vertrouwd keys` as an operator runs it: real processes on a real install, keys in the env."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from mailtemplates import render
from tests.http_client import clean_env, run_cli, run_ok
from tests.test_cli import one_error_line, versa_folder, versa_template  # noqa: F401 (fixtures)
from workflow.crypto import DecryptionError, Vault
from workflow.db import Database, make_engine
from workflow.intake import OpenCase, open_case
from workflow.models import Case, Message
from workflow.outbox import Postman
from workflow.settings import load_settings

COUNTERPART = "Johan de Vries"


def instance_key(folder: Path) -> str:
    """The one key `make run` generated into instance/ (no ENCRYPTION_KEYS set)."""
    return (folder / "instance" / "encryption_keys").read_text().strip()


def with_a_new_key_first(folder: Path) -> dict[str, str]:
    """Step 1 of the procedure: ENCRYPTION_KEYS=new,old."""
    new = Fernet.generate_key().decode()
    return clean_env(ENCRYPTION_KEYS=f"{new},{instance_key(folder)}")


@pytest.fixture
def installed(versa_folder: Path) -> Iterator[Database]:  # noqa: F811
    """The installation's database and its own (old) key, with two cases written by the service."""
    settings = load_settings({"VERTROUWD_INSTANCE": str(versa_folder / "instance")},
                             read_dotenv=False)  # fmt: skip
    database = Database(
        make_engine(settings.database_url), Vault(settings.encryption_keys, settings.hash_key)
    )
    postman = Postman(render=render, mail_from=settings.mail_from, base_url=settings.base_url)
    for number in range(2):
        with database.unit_of_work() as uow:
            open_case(uow, postman, OpenCase(
                organisation_slug="versa", channel="web", kind="conduct",
                preferred_gender="female", language="nl", description=f"Melding {number}",
                name="Zwaantje", email=f"client{number}@example.org",
                counterpart_name=COUNTERPART, counterpart_role="begeleider",
            ), datetime.now(UTC))  # fmt: skip
    yield database
    database.dispose()


def bodies(database: Database) -> list[bytes]:
    with database.session() as session:
        return list(session.scalars(select(Message.body_enc).order_by(Message.id)))


def test_with_one_key_rotation_is_refused_in_one_line(
    versa_folder: Path,  # noqa: F811
    installed: Database,
) -> None:
    before = bodies(installed)

    done = run_cli(["keys", "rotate"], versa_folder, clean_env())

    assert done.returncode == 2
    assert "ENCRYPTION_KEYS=new,old" in one_error_line(done)
    assert bodies(installed) == before


def test_with_a_new_key_first_every_value_moves_to_it_and_the_old_key_can_go(
    versa_folder: Path,  # noqa: F811
    installed: Database,
) -> None:
    old, new = instance_key(versa_folder), run_ok(["keys", "new"], versa_folder, clean_env())
    new = new.strip()
    Fernet(new)  # a real Fernet key

    done = run_cli(["keys", "rotate", "--batch", "1"], versa_folder,
                   clean_env(ENCRYPTION_KEYS=f"{new},{old}"))  # fmt: skip

    assert done.returncode == 0, done.stderr
    assert "re-encrypting" in done.stderr and "Traceback" not in done.stderr
    assert "messages: 2 re-encrypted, 0 already under the newest key" in done.stdout
    assert "every value is now under the newest key" in done.stdout
    only_new, only_old = Vault([new], b""), Vault([old], b"")
    assert [only_new.open(token) for token in bodies(installed)] == ["Melding 0", "Melding 1"]
    with pytest.raises(DecryptionError):
        only_old.open(bodies(installed)[0])
    # step 3: the old key dropped, the service still reads every case
    cases = json.loads(run_ok(["cases", "--json"], versa_folder, clean_env(ENCRYPTION_KEYS=new)))
    assert [case["counterpart"] for case in cases] == [COUNTERPART, COUNTERPART]


def test_a_second_run_finds_nothing_left_to_do(
    versa_folder: Path,  # noqa: F811
    installed: Database,
) -> None:
    env = clean_env(
        ENCRYPTION_KEYS=f"{Fernet.generate_key().decode()},{instance_key(versa_folder)}"
    )
    run_ok(["keys", "rotate"], versa_folder, env)

    again = run_ok(["keys", "rotate"], versa_folder, env)

    assert "re-encrypted 0 values" in again


def test_a_value_no_key_opens_fails_in_one_line_naming_where_it_is(
    versa_folder: Path,  # noqa: F811
    installed: Database,
) -> None:
    stranger = Vault([Fernet.generate_key().decode()], b"")
    with installed.unit_of_work() as uow:
        case = uow.session.scalars(select(Case).order_by(Case.id)).first()
        assert case is not None
        case.counterpart_name_enc, case_id = stranger.seal(COUNTERPART), case.id
        uow.commit()
    env = clean_env(
        ENCRYPTION_KEYS=f"{Fernet.generate_key().decode()},{instance_key(versa_folder)}"
    )

    done = run_cli(["keys", "rotate"], versa_folder, env)

    assert done.returncode == 1
    *progress, line = [line for line in done.stderr.splitlines() if line.strip()]
    assert progress == ["re-encrypting"]  # the bar's label (no terminal), then the one error line
    assert line.startswith("vertrouwd: ") and "Traceback" not in done.stderr
    assert f"cases.counterpart_name_enc of row {case_id}" in line
    assert COUNTERPART not in done.stdout + done.stderr

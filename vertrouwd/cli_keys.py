"""The `keys` commands: a new encryption key, and rotation of every sealed value to the newest."""

from __future__ import annotations

import sys

import click
from cryptography.fernet import Fernet

from vertrouwd.cli import BadArgument, Failure, one_line_errors, settings
from vertrouwd.cli_data import database
from workflow.keys import DEFAULT_BATCH, UndecryptableValue, rotate, rows_to_visit


def register(main: click.Group) -> None:
    """Add the command to `vertrouwd`."""
    main.add_command(keys)


ROTATION = """
\b
To rotate the keys:
  1. `vertrouwd keys new`; put that key first, ENCRYPTION_KEYS=new,old, and
     restart web, worker, beat and watch (new writes use the new key);
  2. `vertrouwd keys rotate` (safe while the service runs; after an
     interruption run it again: it carries on where it stopped);
  3. drop the old key, ENCRYPTION_KEYS=new, and restart.
"""


@click.group(
    help="Encryption keys (ENCRYPTION_KEYS: comma-separated Fernet keys, newest first).\n"
    + ROTATION
)
def keys() -> None:
    pass


@keys.command("new")
def keys_new() -> None:
    """Print a fresh Fernet key for ENCRYPTION_KEYS (keep it as secret as the data)."""
    click.echo(Fernet.generate_key().decode())


@keys.command(
    "rotate",
    short_help="Re-encrypt every sealed value under the newest key; resumable.",
    help="Re-encrypt every sealed value under the newest key, in batches; resumable.\n" + ROTATION,
)
@click.option(
    "--batch",
    default=DEFAULT_BATCH,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="Rows per transaction (smaller: shorter locks while the service runs).",
)
@one_line_errors
def keys_rotate(batch: int) -> None:
    if len(settings().encryption_keys) < 2:
        raise BadArgument(
            "ENCRYPTION_KEYS holds one key: add the new key first: ENCRYPTION_KEYS=new,old"
        )
    db = database()
    total = rows_to_visit(db)
    try:
        with click.progressbar(length=total, label="re-encrypting", file=sys.stderr) as bar:
            result = rotate(db, batch, lambda _table, rows: bar.update(rows))
    except UndecryptableValue as error:
        raise Failure(str(error)) from None
    except KeyboardInterrupt:
        raise Failure("interrupted: run `vertrouwd keys rotate` again to finish") from None
    for table, tally in result.tables.items():
        click.echo(
            f"{table}: {tally.rotated} re-encrypted, {tally.skipped} already under the newest key"
        )
    click.echo(
        f"re-encrypted {result.rotated} values, {result.skipped} already under the newest key; "
        "every value is now under the newest key"
    )

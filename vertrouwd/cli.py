"""The `vertrouwd` command: exit 0 on success, 2 on bad arguments or settings, 1 on failure."""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import click

from workflow.organisations import StaffError
from workflow.settings import Settings, SettingsError, load_settings

F = TypeVar("F", bound=Callable[..., Any])


class Failure(Exception):
    """The command could not do its work (exit status 1)."""


class BadArgument(Exception):
    """The command was asked for something that cannot be (exit status 2)."""


def one_line_errors(command: F) -> F:
    """Turn every failure into one readable line on stderr and the contract's exit status."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (SettingsError, BadArgument, StaffError) as error:
            _fail(str(error), 2)
        except Failure as error:
            _fail(str(error), 1)

    return wrapper  # type: ignore[return-value]


def _fail(message: str, status: int) -> None:
    click.echo(f"vertrouwd: {message}", err=True)
    sys.exit(status)


def settings() -> Settings:
    return load_settings()


def now() -> datetime:
    return datetime.now(UTC)


class OneLineGroup(click.Group):
    """Usage errors, too, are one line on stderr with exit status 2 (CONTRACT.md)."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
        except click.exceptions.NoArgsIsHelpError as error:
            click.echo(error.format_message())  # a bare `vertrouwd` asks for the help text
            sys.exit(2)
        except click.ClickException as error:
            _fail(error.format_message().replace("\n", " "), error.exit_code)
        except click.Abort:
            _fail("aborted", 1)
        sys.exit(result if isinstance(result, int) else 0)


@click.group(cls=OneLineGroup, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """vertrouwd: intake and case workflow for confidential advisors."""
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@one_line_errors
def web(host: str, port: int, workers: int) -> None:
    """The web app under gunicorn."""
    from vertrouwd.servers import serve_web
    from vertrouwd.wiring import require_database

    config = settings()
    require_database(config).dispose()
    serve_web(config, host, port, workers)


@main.command()
@click.option("--concurrency", default=None, type=click.IntRange(1, 64))
@one_line_errors
def worker(concurrency: int | None) -> None:
    """A Celery worker (delivery, the sweep)."""
    from vertrouwd.servers import serve_worker
    from vertrouwd.wiring import require_database

    config = settings()
    require_database(config).dispose()
    serve_worker(config, concurrency)


@main.command()
@one_line_errors
def beat() -> None:
    """The periodic schedule (one per installation)."""
    from vertrouwd.servers import serve_beat
    from vertrouwd.wiring import require_database

    config = settings()
    require_database(config).dispose()
    serve_beat(config)


@main.command()
@one_line_errors
def watch() -> None:
    """The inbox watcher (one per mailbox): IMAP IDLE, store, then move."""
    from vertrouwd.inbox_run import watch_forever

    watch_forever(settings())


@main.command()
@one_line_errors
def run() -> None:
    """Everything in one process tree, with an embedded broker and mail catcher."""
    from vertrouwd.servers import run_everything

    run_everything(settings())


@main.group()
def db() -> None:
    """The database schema."""


@db.command("upgrade")
@one_line_errors
def db_upgrade() -> None:
    """Apply the migrations."""
    from workflow.migrate import upgrade

    config = settings()
    try:
        upgrade(config.database_url)
    except Exception as error:  # alembic and drivers raise many kinds; say it in one line
        raise Failure(f"migration failed: {_first_line(error)}") from None
    click.echo("database is up to date")


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0][:200] if text else type(error).__name__


from vertrouwd import cli_data  # noqa: E402  (registers the data commands on `main`)

cli_data.register(main)

from vertrouwd import cli_inbox  # noqa: E402

cli_inbox.register(main)

from vertrouwd import cli_reports  # noqa: E402

cli_reports.register(main)

from vertrouwd import cli_keys  # noqa: E402

cli_keys.register(main)

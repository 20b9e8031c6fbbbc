"""The `report` command: the anonymised report of a period as HTML, PDF, CSV or JSON.

Several --org give the view a municipality needs (seed 004): each organisation and all
together, suppressed as one table. Progress goes to stderr, the report to -o FILE or stdout.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from reports import FORMATS, render
from vertrouwd.cli import BadArgument, Failure, now, one_line_errors, settings
from workflow import access
from workflow import reports as figures
from workflow.db import Database


def database() -> Database:
    from vertrouwd.wiring import require_database

    return require_database(settings())


def register(main: click.Group) -> None:
    """Add the command to `vertrouwd`."""
    main.add_command(report)


@click.command()
@click.option("--org", "slugs", multiple=True, required=True, help="Repeat for several.")
@click.option("--period", required=True, help="A quarter (2026-Q3) or a year (2026).")
@click.option("--format", "form", default="html", show_default=True, type=click.Choice(FORMATS))
@click.option("--language", default="nl", show_default=True, type=click.Choice(["nl", "en"]))
@click.option("-o", "--output", default=None, type=click.Path(dir_okay=False, path_type=Path))
@one_line_errors
def report(
    slugs: tuple[str, ...], period: str, form: str, language: str, output: Path | None
) -> None:
    """The anonymised report of organisation(s) over a quarter or a year."""
    try:
        chosen = figures.Period.parse(period)
    except figures.BadPeriod as error:
        raise BadArgument(f"--period: {error}") from None
    if output is None and form == "pdf" and sys.stdout.isatty():
        raise BadArgument("a PDF does not belong on a terminal: use -o FILE or redirect stdout")
    made = _made(slugs, chosen, form, language)
    if output is None:
        sys.stdout.buffer.write(made)
        sys.stdout.flush()
        return
    _write(output, made)
    click.echo(f"report written to {output}", err=True)


def _made(slugs: tuple[str, ...], period: figures.Period, form: str, language: str) -> bytes:
    """Count each organisation (with progress on stderr), suppress, render; audited."""
    db, moment = database(), now()
    with db.session() as session:
        try:
            chosen = figures.organisations(session, slugs)
        except figures.UnknownOrganisation as error:
            raise BadArgument(f"--org: {error}") from None
        with click.progressbar(
            chosen, label=f"counting {period} of", file=sys.stderr, item_show_func=_slug_of
        ) as organisations:
            tallies = [figures.tally(session, o, period) for o in organisations]
    published = figures.publish(tallies, period, moment.date())
    made = render(published, form, language)
    with db.unit_of_work() as uow:
        detail = f"{'+'.join(t.slug for t in tallies)} {period} {form}"
        access.audit(uow.session, None, "export_report", moment, detail=detail,
                     role=access.OPERATOR)  # fmt: skip
        uow.commit()
    return made


def _slug_of(organisation: object) -> str | None:
    return getattr(organisation, "slug", None)


def _write(output: Path, made: bytes) -> None:
    """Write whole or not at all: a half-written report never stands under FILE."""
    partial = output.with_name(output.name + ".part")
    try:
        partial.write_bytes(made)
        os.replace(partial, output)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise Failure(f"cannot write {output}: {error.strerror or error}") from None

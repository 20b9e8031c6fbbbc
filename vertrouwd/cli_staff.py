"""Commands for staff access: a first sign-in link, leave periods, and the audit log export."""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import IO

import click
from sqlalchemy.orm import Session

from vertrouwd.cli import BadArgument, Failure, now, one_line_errors, settings
from workflow import staff_auth
from workflow.access import (
    AUDIT_COLUMNS,
    OPERATOR,
    audit,
    audit_trail,
    rows_of,
    spreadsheet_safe,
)
from workflow.db import Database
from workflow.models import Advisor
from workflow.staff_admin import Invalid, add_leave

# Why add_leave refused, in the command's own terms (its options, not the form's fields).
LEAVE_REFUSED = {
    "leave_order": "--to {ends_on} comes before --from {starts_on}",
    "leave_past": "--to {ends_on} has passed: leave that is over cannot be added",
}
EXPORT_BATCH = 1000  # rows fetched at a time, so a long log never sits in memory whole


def database() -> Database:
    from vertrouwd.wiring import require_database

    return require_database(settings())


def register(main: click.Group, advisor: click.Group) -> None:
    """Add `advisor sign-in-link`, `advisor absence add` and `audit export`."""
    advisor.add_command(sign_in_link)
    advisor.add_command(absence)
    main.add_command(audit_group)


def _staff_member(session: Session, email: str) -> Advisor:
    found = staff_auth.staff_by_email(session, email)
    if found is None:
        raise Failure(f"no active staff member has the address {email.strip().lower()}")
    return found


@click.command("sign-in-link")
@click.option("--email", required=True)
@one_line_errors
def sign_in_link(email: str) -> None:
    """Print a one-time sign-in link (15 minutes) for an operator to hand to a staff member."""
    config = settings()
    with database().unit_of_work() as uow:
        moment = now()
        staff = _staff_member(uow.session, email)
        token = staff_auth.issue_sign_in_link(uow.session, uow.vault, staff.email, moment)
        if token is None:  # cannot happen after _staff_member; keeps the types honest
            raise Failure(f"no active staff member has the address {staff.email}")
        audit(
            uow.session,
            None,
            "sign_in_link_issued",
            moment,
            detail=f"staff #{staff.id}",
            role=OPERATOR,
        )
        uow.commit()
    minutes = int(staff_auth.SIGN_IN_LINK_LIFETIME.total_seconds() // 60)
    click.echo(f"{config.base_url}/medewerkers/inloggen/{token}")
    click.echo(f"valid once, for {minutes} minutes", err=True)


@click.group()
def absence() -> None:
    """Leave periods: routing gives someone on leave no new case."""


@absence.command("add")
@click.option("--email", required=True)
@click.option("--from", "first_day", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--to", "last_day", required=True, type=click.DateTime(["%Y-%m-%d"]))
@one_line_errors
def absence_add(email: str, first_day: datetime, last_day: datetime) -> None:
    """Record leave from --from to --to, both days included (in the organisation's time)."""
    starts_on, ends_on = first_day.date(), last_day.date()
    with database().unit_of_work() as uow:
        staff, moment = _staff_member(uow.session, email), now()
        try:
            add_leave(uow.session, staff, starts_on, ends_on, moment)
        except Invalid as refused:
            said = LEAVE_REFUSED.get(refused.problems[0].code, str(refused))
            raise BadArgument(said.format(starts_on=starts_on, ends_on=ends_on)) from None
        detail = f"staff #{staff.id}"
        audit(uow.session, None, "absence_added", moment, detail=detail, role=OPERATOR)
        uow.commit()
    click.echo(f"{staff.email} is on leave from {starts_on} to {ends_on}")


@click.group("audit")
def audit_group() -> None:
    """The audit log: who saw or did what, and when."""


@audit_group.command("export")
@click.option("--reference", default=None, help="Only the entries of this case.")
@click.option("--format", "form", default="csv", type=click.Choice(["csv", "json"]))
@click.option("-o", "--output", default=None, type=click.Path(dir_okay=False, path_type=Path))
@one_line_errors
def audit_export(reference: str | None, form: str, output: Path | None) -> None:
    """Export the audit log, oldest first (to stdout, or to FILE)."""
    db = database()
    reference = reference.strip().upper() if reference else None
    if output is None:
        with db.session() as session:
            _write(form, _audit_rows(session, reference), sys.stdout)
        return
    partial = output.with_name(output.name + ".part")  # no half-written export under FILE
    try:
        with db.session() as session, partial.open("w", encoding="utf-8", newline="") as out:
            count = _write(form, _audit_rows(session, reference), out)
        os.replace(partial, output)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise Failure(f"cannot write {output}: {error.strerror or error}") from None
    click.echo(f"{count} audit entries written to {output}")


def _audit_rows(session: Session, reference: str | None) -> Iterator[dict[str, str]]:
    return rows_of(audit_trail(session, reference=reference, batch=EXPORT_BATCH))


def _write(form: str, rows: Iterator[dict[str, str]], out: IO[str]) -> int:
    """Write the rows as CSV (with a header, no cell a formula) or a JSON list; how many."""
    count = 0
    if form == "csv":
        writer = csv.DictWriter(out, fieldnames=AUDIT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({key: spreadsheet_safe(value) for key, value in row.items()})
            count += 1
        return count
    out.write("[")
    for row in rows:
        out.write((",\n  " if count else "\n  ") + json.dumps(row, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count

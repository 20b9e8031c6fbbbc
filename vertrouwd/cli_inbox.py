"""Commands for the shared inbox: poll, and what could not be processed (quarantine, machines)."""

from __future__ import annotations

import json
import sys
from typing import Any

import click
from sqlalchemy import select

from vertrouwd.cli import Failure, now, one_line_errors, settings
from vertrouwd.cli_data import database
from workflow.models import Case, InboundMail
from workflow.pipeline import requeue
from workflow.quarantine import dismiss


def register(main: click.Group) -> None:
    main.add_command(inbox)


@click.group()
def inbox() -> None:
    """The shared inbox."""


@inbox.command("poll")
@click.option("--process", "also_process", is_flag=True, help="Also process it here, no worker.")
@one_line_errors
def poll(also_process: bool) -> None:
    """Fetch all new mail once and exit."""
    from vertrouwd.inbox_run import InboxFailure, poll_and_maybe_process

    try:
        summary = poll_and_maybe_process(settings(), also_process=also_process)
    except InboxFailure as error:
        raise Failure(str(error)) from None
    click.echo(summary.line())
    if summary.quarantined:
        click.echo(f"{summary.quarantined} quarantined: see `vertrouwd inbox quarantine`", err=True)


@inbox.command("quarantine")
@click.argument("action", type=click.Choice(["list", "show", "requeue", "dismiss"]), default="list")
@click.argument("inbound_id", type=int, required=False)
@click.option("--json", "as_json", is_flag=True)
@one_line_errors
def quarantine(action: str, inbound_id: int | None, as_json: bool) -> None:
    """What could not be processed, and why; `requeue ID` tries it again, `dismiss ID` sets
    it aside for good (kept, off the list)."""
    if action != "list" and inbound_id is None:
        raise click.UsageError(f"`quarantine {action}` needs the ID of an item")
    db = database()
    if action == "requeue":
        assert inbound_id is not None
        if not requeue(db, inbound_id, now()):
            raise Failure(f"no quarantined mail {inbound_id}")
        click.echo(f"mail {inbound_id} will be processed again")
        return
    if action == "dismiss":
        assert inbound_id is not None
        _dismiss(db, inbound_id)
        return
    rows = _rows(db, "quarantined", inbound_id)
    if action == "show" and not rows:
        raise Failure(f"no quarantined mail {inbound_id}")
    _print(rows, as_json, show=action == "show")


def _dismiss(db: Any, inbound_id: int) -> None:
    """The same decision as the coordinator's page (workflow.quarantine.dismiss)."""
    with db.unit_of_work() as uow:
        if not dismiss(uow.session, inbound_id, now()):
            raise Failure(f"no quarantined or machine mail {inbound_id}")
        uow.commit()
    click.echo(f"mail {inbound_id} is dismissed: kept, but off the list")


@inbox.command("machine")
@click.option("--json", "as_json", is_flag=True)
@one_line_errors
def machine(as_json: bool) -> None:
    """Mail written by machines (auto-replies, bounces, lists): kept, never answered."""
    _print(_rows(database(), "ignored", None), as_json, show=False)


def _rows(db: Any, status: str, inbound_id: int | None) -> list[dict[str, Any]]:
    statement = (
        select(InboundMail, Case.reference)
        .outerjoin(Case, Case.id == InboundMail.case_id)
        .where(InboundMail.status == status)
        .order_by(InboundMail.id)
    )
    if inbound_id is not None:
        statement = statement.where(InboundMail.id == inbound_id)
    with db.session() as session:
        return [_describe(row, reference) for row, reference in session.execute(statement)]


def _describe(row: InboundMail, reference: str | None) -> dict[str, Any]:
    """What an operator may see without opening the mail: no addresses, no subject, no text."""
    return {
        "id": row.id,
        "received_at": row.received_at.isoformat(),
        "outcome": row.outcome,
        "reason": row.reason,
        "attempts": row.attempts,
        "size": row.size,
        "case": reference,
    }


def _print(rows: list[dict[str, Any]], as_json: bool, *, show: bool) -> None:
    if as_json or show:
        json.dump(rows if not show else rows[0], sys.stdout, indent=2, ensure_ascii=False)
        click.echo()
        return
    for row in rows:
        click.echo(f"{row['id']:>6}  {row['received_at'][:19]}  {row['outcome'] or '-':<12} "
                   f"{row['case'] or '-':<14} {row['reason']}")  # fmt: skip
    click.echo(f"{len(rows)} item(s)")

"""Commands that read or change data: demo, org, advisor, outbox, cases, case."""

from __future__ import annotations

import getpass
import json
import sys
from datetime import UTC, datetime
from typing import Any

import click

from vertrouwd.cli import BadArgument, Failure, now, one_line_errors, settings
from workflow import access
from workflow import cases as case_service
from workflow.db import Database
from workflow.organisations import (
    add_advisor,
    add_organisation,
    load_demo,
    set_casework_rules,
)
from workflow.outbox import due_ids, make_all_due
from workflow.staff_auth import MIN_PASSWORD_LENGTH, set_password


def database() -> Database:
    from vertrouwd.wiring import require_database

    return require_database(settings())


def register(main: click.Group) -> None:
    for command in (demo, org, advisor, outbox, list_cases, show_case, tick):
        main.add_command(command)
    from vertrouwd import cli_staff  # gets the `advisor` group handed over, never imports us

    cli_staff.register(main, advisor)


@click.command()
@one_line_errors
def demo() -> None:
    """Load demo organisations and advisors (safe to run twice)."""
    with database().unit_of_work() as uow:
        added = load_demo(uow.session, now())
        uow.commit()
    click.echo(f"demo data loaded ({added} new organisations)")


@click.group()
def org() -> None:
    """Organisations."""


@org.command("add")
@click.option("--slug", required=True)
@click.option("--name", required=True)
@click.option("--committee-email", default=None)
@click.option(
    "--complaint-role", default="chair", type=click.Choice(["vertrouwenspersoon", "chair"])
)
@click.option(
    "--conduct-role",
    default="vertrouwenspersoon",
    type=click.Choice(["vertrouwenspersoon", "chair"]),
)
@one_line_errors
def org_add(
    slug: str, name: str, committee_email: str | None, complaint_role: str, conduct_role: str
) -> None:
    """Add an organisation."""
    with database().unit_of_work() as uow:
        add_organisation(
            uow.session,
            slug=slug,
            name=name,
            now=now(),
            committee_email=committee_email,
            complaint_role=complaint_role,
            conduct_role=conduct_role,
        )
        uow.commit()
    click.echo(f"organisation {slug} added")


@org.command("set")
@click.option("--slug", required=True)
@click.option(
    "--assignment-reminder-days", type=int, help="Remind an advisor who has not answered."
)
@click.option("--assignment-escalation-days", type=int, help="Reassign and tell the coordinator.")
@click.option("--first-contact-days", type=int, help="Remind when no first contact is recorded.")
@click.option("--inactivity-days", type=int, help="Remind when nothing happens in a case.")
@click.option("--business-hours", default=None, metavar="START-END", help="e.g. 9-17")
@click.option("--timezone", default=None, help="e.g. Europe/Amsterdam")
@click.option("--signal-threshold", type=int, help="Cases naming one person that raise a signal.")
@click.option("--signal-window-days", type=int, help="Within how many days they count.")
@click.option("--retention-months", type=int, help="Anonymise a case this long after it ended.")
@click.option(
    "--machine-mail-days",
    "machine_mail_retention_days",
    type=int,
    help="Delete machine mail (auto-replies, bounces) this long after it came in.",
)
@click.option(
    "--quarantine-days",
    "quarantine_retention_days",
    type=int,
    help="Delete quarantined and dismissed mail this long after it came in.",
)
@one_line_errors
def org_set(
    slug: str, business_hours: str | None, timezone: str | None, **days: int | None
) -> None:
    """Change an organisation's reminder times (business days), hours, signal rule and
    retention terms."""
    values = {name: value for name, value in days.items() if value is not None}
    if business_hours is not None:
        start, _, end = business_hours.partition("-")
        if not (start.isdigit() and end.isdigit()):
            raise BadArgument(
                f"--business-hours: expected START-END such as 9-17, not {business_hours!r}"
            )
        values.update(business_start_hour=int(start), business_end_hour=int(end))
    with database().unit_of_work() as uow:
        organisation = set_casework_rules(uow.session, slug, timezone=timezone, **values)
        uow.commit()
        click.echo(
            f"organisation {slug}: reminder after {organisation.assignment_reminder_days}, "
            f"reassign after {organisation.assignment_escalation_days}, first contact "
            f"{organisation.first_contact_days}, inactivity {organisation.inactivity_days} "
            f"business days; hours {organisation.business_start_hour}-"
            f"{organisation.business_end_hour} {organisation.timezone}; signal at "
            f"{organisation.signal_threshold} cases in {organisation.signal_window_days} days; "
            f"anonymise {organisation.retention_months} months after a case ended, machine "
            f"mail after {organisation.machine_mail_retention_days} days, quarantine after "
            f"{organisation.quarantine_retention_days} days"
        )


@click.group()
def advisor() -> None:
    """Staff members."""


@advisor.command("add")
@click.option("--org", "organisation", required=True)
@click.option("--name", required=True)
@click.option("--email", required=True)
@click.option("--gender", required=True, type=click.Choice(["female", "male"]))
@click.option(
    "--role",
    default="vertrouwenspersoon",
    type=click.Choice(["vertrouwenspersoon", "chair", "coordinator", "admin"]),
)
@click.option("--languages", default="nl", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read a password from stdin (staff sign-in).")
@one_line_errors
def advisor_add(
    organisation: str,
    name: str,
    email: str,
    gender: str,
    role: str,
    languages: str,
    password_stdin: bool,
) -> None:
    """Add a staff member (an existing mail address gets the organisation added)."""
    password = _password_from_stdin() if password_stdin else None
    with database().unit_of_work() as uow:
        staff = add_advisor(
            uow.session,
            organisation_slug=organisation,
            name=name,
            email=email,
            gender=gender,
            role=role,
            now=now(),
            languages=languages,
        )
        if password is not None:
            set_password(staff, password)
        uow.commit()
    click.echo(f"{role} {email.lower()} serves {organisation}")
    if password is not None:
        click.echo(f"password set for {staff.email}")


def _password_from_stdin() -> str:
    """One line from stdin (without echo on a terminal), checked before anything is stored."""
    if sys.stdin.isatty():
        password = getpass.getpass("password: ")
    else:
        password = sys.stdin.readline().removesuffix("\n").removesuffix("\r")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise BadArgument(
            f"--password-stdin: a password needs at least {MIN_PASSWORD_LENGTH} characters"
        )
    return password


@click.group()
def outbox() -> None:
    """Outgoing mail."""


@outbox.command("flush")
@one_line_errors
def outbox_flush() -> None:
    """Deliver every pending outgoing mail now."""
    from workers.delivery import Courier

    config = settings()
    db = database()
    moment = now()
    with db.unit_of_work() as uow:
        make_all_due(uow.session, moment)
        uow.commit()
    courier = Courier(db, config.smtp, config.mail_from)
    with db.session() as session:
        ids = due_ids(session, moment, limit=1_000_000)
    with click.progressbar(ids, label="delivering", file=sys.stderr) as progress:
        outcomes = [courier.deliver(outbox_id, moment) for outbox_id in progress]
    counts = {s: sum(o.status == s for o in outcomes) for s in ("sent", "pending", "failed")}
    click.echo(f"sent {counts['sent']}, to retry {counts['pending']}, failed {counts['failed']}")
    if counts["pending"] or counts["failed"]:
        raise Failure("not every mail could be delivered (see `vertrouwd cases`)")


@click.command("tick")
@click.option(
    "--now",
    "moment",
    default=None,
    metavar="ISO-8601",
    help="Run as of this moment (default: now; without a zone: UTC).",
)
@click.option(
    "--deliver/--no-deliver",
    default=True,
    show_default=True,
    help="Deliver the mails the sweep wrote.",
)
@one_line_errors
def tick(moment: str | None, deliver: bool) -> None:
    """Run the reminder, deadline and evaluation sweep once, as of --now."""
    from workers.runtime import Runtime
    from workflow.sweep import sweep_due

    at = _moment(moment)
    runtime = Runtime(settings(), database())
    result = sweep_due(runtime.database, runtime.postman, at)
    for kind, count in sorted(result.done.items()):
        click.echo(f"{kind}: {count}")
    click.echo(f"handled {result.total}, failed {result.failed}, mails {len(result.mail_ids)}")
    if deliver and result.mail_ids:
        when = max(at, now())
        with click.progressbar(result.mail_ids, label="delivering", file=sys.stderr) as ids:
            outcomes = [runtime.courier.deliver(outbox_id, when) for outbox_id in ids]
        sent = sum(o.status == "sent" for o in outcomes)
        click.echo(f"sent {sent} of {len(outcomes)}")
    if result.failed:
        raise Failure(f"{result.failed} reminders failed (see `vertrouwd case REF`)")


def _moment(text: str | None) -> datetime:
    if text is None:
        return now()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadArgument(f"--now: not an ISO-8601 moment: {text!r}") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@click.command("cases")
@click.option("--org", "organisation", default=None)
@click.option("--json", "as_json", is_flag=True)
@one_line_errors
def list_cases(organisation: str | None, as_json: bool) -> None:
    """List cases."""
    db = database()
    with db.session() as session:
        rows = [
            case_service.as_json(c, db.vault, with_timeline=False)
            for c in case_service.list_cases(session, organisation)
        ]
        access.audit(
            session, None, "list_cases", now(), detail="command line", role=access.OPERATOR
        )
        session.commit()
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for row in rows:
        advisor_mail = row["advisor"]["email"] if row["advisor"] else "-"
        click.echo(
            f"{row['reference']}  {row['organisation']:<12} {row['kind']:<10} "
            f"{row['state']:<15} {advisor_mail}"
        )


@click.command("case")
@click.argument("reference")
@click.option("--json", "as_json", is_flag=True)
@one_line_errors
def show_case(reference: str, as_json: bool) -> None:
    """One case with its timeline."""
    db = database()
    with db.session() as session:
        case = case_service.find_by_reference(session, reference)
        if case is None:
            raise Failure(f"no case {reference}")
        data = case_service.as_json(case, db.vault)
        access.audit(session, None, "view_case", now(), reference=case.reference,
                     detail="command line", role=access.OPERATOR)  # fmt: skip
        session.commit()
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    _print_case(data)


def _print_case(data: dict[str, Any]) -> None:
    for key in (
        "reference",
        "organisation",
        "channel",
        "kind",
        "preferred_gender",
        "language",
        "state",
        "counterpart",
        "urgent",
        "created_at",
    ):
        click.echo(f"{key:>17}: {data[key]}")
    advisor_mail = data["advisor"]["email"] if data["advisor"] else "-"
    click.echo(f"{'advisor':>17}: {advisor_mail}")
    for entry in data["timeline"]:
        click.echo(f"  {entry['at']}  {entry['event']:<24} {entry['detail']}")

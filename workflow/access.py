"""Who may see which case, and the audit log of every view and action.

An advisor (vertrouwenspersoon or chair) sees their own cases; a committee chair also the
formal complaints of their organisations (the legal term is theirs to keep); a coordinator
the cases of the organisations they coordinate; an admin manages organisations and staff
and sees no case. A case someone may not see does not exist for them (the web answers 404).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime

from sqlalchemy import case as when
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from workflow import states
from workflow.models import Advisor, AuditEntry, Case, advisor_organisations
from workflow.routing import HANDLING_ROLES

HANDLING = frozenset(HANDLING_ROLES)
OPERATOR = "operator"  # the role on the audit log of what is done at the command line
# One row shape for every export of the audit log: the command line's and the admin's page.
AUDIT_COLUMNS = ("at", "staff", "role", "action", "reference", "detail")
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _organisation_ids(staff: Advisor) -> list[int]:
    return [organisation.id for organisation in staff.organisations]


def can_see(staff: Advisor, case: Case) -> bool:
    if not staff.is_active:
        return False
    if staff.role in HANDLING:
        return case.advisor_id == staff.id or _keeps_the_term(staff, case)
    if staff.role == "coordinator":
        return case.organisation_id in _organisation_ids(staff)
    return False


def _keeps_the_term(staff: Advisor, case: Case) -> bool:
    """A chair of the organisation's committee, once a formal complaint was filed."""
    return (
        staff.role == "chair"
        and case.complaint_filed_at is not None
        and case.organisation_id in _organisation_ids(staff)
    )


def case_for(session: Session, staff: Advisor, reference: str) -> Case | None:
    """The case by reference, or None when it does not exist or is not theirs to see."""
    found = session.scalar(select(Case).where(Case.reference == reference.strip().upper()))
    return found if found is not None and can_see(staff, found) else None


def cases_of(session: Session, staff: Advisor, *, open_only: bool = True) -> Sequence[Case]:
    """The cases on someone's list: urgent first, then what waits longest."""
    statement = select(Case)
    if not staff.is_active:  # as in can_see: a deactivated account sees nothing
        return []
    if staff.role in HANDLING:
        mine = Case.advisor_id == staff.id
        if staff.role == "chair":
            mine = or_(mine, Case.complaint_filed_at.is_not(None)
                       & Case.organisation_id.in_(_organisation_ids(staff)))  # fmt: skip
        statement = statement.where(mine)
    elif staff.role == "coordinator":
        coordinated = select(advisor_organisations.c.organisation_id).where(
            advisor_organisations.c.advisor_id == staff.id
        )
        statement = statement.where(Case.organisation_id.in_(coordinated))
    else:
        return []
    if open_only:
        statement = statement.where(Case.state.in_(states.OPEN_STATES))
    order = when((Case.is_urgent.is_(True), 0), else_=1)
    return list(session.scalars(statement.order_by(order, Case.updated_at, Case.id)))


def audit(
    session: Session,
    staff: Advisor | None,
    action: str,
    now: datetime,
    *,
    reference: str | None = None,
    detail: str = "",
    role: str = "system",
) -> None:
    """Append who did what (never content, never a client address).

    Without a staff member it was the system, or (`role="operator"`) someone at the
    command line, whose reads of a case are audited like any other.
    """
    session.add(AuditEntry(
        at=now, staff_id=staff.id if staff else None,
        staff_role=staff.role if staff else role, action=action,
        case_reference=reference, detail=detail[:200],
    ))  # fmt: skip


def audit_trail(
    session: Session,
    *,
    reference: str | None = None,
    batch: int = 1000,
    staff_email: str | None = None,
    before: int | None = None,
    newest_first: bool = False,
    limit: int | None = None,
) -> Iterator[tuple[AuditEntry, str | None]]:
    """The audit log oldest first, each entry with the staff member's address (None: system).

    Streamed in batches, so an export of years of entries does not load them all at once.
    Filters: one case, one staff member (by address), entries before an id (the next page
    of a newest-first list), and at most `limit` of them.
    """
    statement = (
        select(AuditEntry, Advisor.email)
        .outerjoin(Advisor, Advisor.id == AuditEntry.staff_id)
        .order_by(AuditEntry.id.desc() if newest_first else AuditEntry.id)
        .execution_options(yield_per=batch)
    )
    if reference is not None:
        statement = statement.where(AuditEntry.case_reference == reference)
    if staff_email is not None:
        statement = statement.where(func.lower(Advisor.email) == staff_email.strip().lower())
    if before is not None:
        statement = statement.where(AuditEntry.id < before)
    if limit is not None:
        statement = statement.limit(limit)
    return ((entry, email) for entry, email in session.execute(statement))


def audit_row(entry: AuditEntry, email: str | None) -> dict[str, str]:
    """One entry as a row of AUDIT_COLUMNS; who: an address, "system", or "#id" for a staff
    row removed since (its number is all we have)."""
    who = "system" if entry.staff_id is None else email or f"#{entry.staff_id}"
    return {"at": entry.at.isoformat(), "staff": who, "role": entry.staff_role,
            "action": entry.action, "reference": entry.case_reference or "",
            "detail": entry.detail}  # fmt: skip


def rows_of(trail: Iterable[tuple[AuditEntry, str | None]]) -> Iterator[dict[str, str]]:
    """The rows of an audit trail, as lazily as audit_trail streams it."""
    return (audit_row(entry, email) for entry, email in trail)


def spreadsheet_safe(value: str) -> str:
    """A CSV cell no spreadsheet runs as a formula (an address may start with = or +): such a
    cell gets a leading '. Only for CSV; JSON is read by programs and stays as it was."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value

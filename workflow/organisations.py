"""Tenants and their staff: adding organisations and advisors, and the demo set."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow.models import Advisor, Organisation
from workflow.routing import GENDERS, HANDLING_ROLES, STAFF_ROLES


class StaffError(ValueError):
    """An organisation or advisor cannot be added as asked; the message says why."""


def require_one_of(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise StaffError(f"{name} {value!r} must be one of {', '.join(allowed)}")


def add_organisation(
    session: Session,
    *,
    slug: str,
    name: str,
    now: datetime,
    committee_email: str | None = None,
    complaint_role: str = "chair",
    conduct_role: str = "vertrouwenspersoon",
) -> Organisation:
    slug = slug.strip().lower()
    if not slug or not slug.replace("-", "").isalnum():
        raise StaffError(f"slug {slug!r} may only hold letters, digits and '-'")
    for role in (complaint_role, conduct_role):
        require_one_of("role", role, HANDLING_ROLES)
    if session.scalar(select(Organisation).where(Organisation.slug == slug)):
        raise StaffError(f"organisation {slug!r} exists already")
    organisation = Organisation(
        slug=slug,
        name=name.strip(),
        committee_email=committee_email or None,
        complaint_role=complaint_role,
        conduct_role=conduct_role,
        question_role="vertrouwenspersoon",
        created_at=now,
    )
    session.add(organisation)
    return organisation


def add_advisor(
    session: Session,
    *,
    organisation_slug: str,
    name: str,
    email: str,
    gender: str,
    now: datetime,
    role: str = "vertrouwenspersoon",
    languages: str = "nl",
) -> Advisor:
    """Add a staff member; an existing mail address gets the organisation added instead."""
    require_one_of("gender", gender, GENDERS)
    require_one_of("role", role, STAFF_ROLES)
    if "@" not in email or any(c in email for c in " \r\n<>,;"):
        raise StaffError(f"email {email!r} is not one plain mail address")
    organisation = session.scalar(
        select(Organisation).where(Organisation.slug == organisation_slug)
    )
    if organisation is None:
        raise StaffError(f"no organisation {organisation_slug!r}")
    email = email.strip().lower()
    advisor = session.scalar(select(Advisor).where(func.lower(Advisor.email) == email))
    if advisor is None:
        advisor = Advisor(
            name=name.strip(),
            email=email,
            gender=gender,
            role=role,
            is_active=True,
            languages=languages,
            created_at=now,
        )
        session.add(advisor)
    if organisation not in advisor.organisations:
        advisor.organisations.append(organisation)
    return advisor


DEMO_ORGANISATIONS = (
    ("versa", "Versa Welzijn", "klachtencommissie@example.org", "chair", "vertrouwenspersoon"),
    (
        "steunpunt",
        "Steunpunt Vluchtelingen De Bilt",
        "klachtencommissie@example.org",
        "chair",
        "vertrouwenspersoon",
    ),
)
DEMO_STAFF = (
    ("Anna de Vries", "anna@example.org", "female", "vertrouwenspersoon"),
    ("Karim Bouzid", "karim@example.org", "male", "vertrouwenspersoon"),
    ("Els Jansen", "els@example.org", "female", "chair"),
    ("Peter Smit", "peter@example.org", "male", "chair"),
    ("Coco Coördinator", "coordinator@example.org", "female", "coordinator"),
)


def load_demo(session: Session, now: datetime) -> int:
    """Add the demo organisations and staff that are missing; return how many were added."""
    added = 0
    for slug, name, committee, complaint_role, conduct_role in DEMO_ORGANISATIONS:
        if session.scalar(select(Organisation).where(Organisation.slug == slug)) is None:
            add_organisation(
                session,
                slug=slug,
                name=name,
                now=now,
                committee_email=committee,
                complaint_role=complaint_role,
                conduct_role=conduct_role,
            )
            added += 1
    session.flush()
    for slug, *_ in DEMO_ORGANISATIONS:
        for name, email, gender, role in DEMO_STAFF:
            add_advisor(
                session,
                organisation_slug=slug,
                name=name,
                email=email,
                gender=gender,
                role=role,
                now=now,
                languages="nl,en",
            )
        session.flush()
    return added


# The casework settings an operator may change per organisation, with their allowed range.
CASEWORK_SETTINGS: dict[str, tuple[int, int]] = {
    "assignment_reminder_days": (1, 30),
    "assignment_escalation_days": (1, 30),
    "first_contact_days": (1, 30),
    "inactivity_days": (1, 90),
    "business_start_hour": (0, 23),
    "business_end_hour": (1, 24),
    "signal_threshold": (2, 100),
    "signal_window_days": (1, 3650),
}
# How long what has ended is kept (workflow.retention): months after a case ends, days for
# machine mail and for quarantined or dismissed mail. The admin's organisation form shows
# both tables (workflow.staff_admin.SETTING_RANGES).
RETENTION_SETTINGS: dict[str, tuple[int, int]] = {
    "retention_months": (1, 240),
    "machine_mail_retention_days": (1, 365),
    "quarantine_retention_days": (1, 365),
}


def set_casework_rules(
    session: Session, slug: str, *, timezone: str | None = None, **values: int
) -> Organisation:
    """Change reminder times, business hours, the signal rule and the retention terms."""
    organisation = session.scalar(select(Organisation).where(Organisation.slug == slug))
    if organisation is None:
        raise StaffError(f"no organisation {slug!r}")
    ranges = {**CASEWORK_SETTINGS, **RETENTION_SETTINGS}
    for name, value in values.items():
        low, high = ranges[name]
        if not low <= value <= high:
            raise StaffError(f"{name.replace('_', '-')} must be {low} to {high}, not {value}")
        setattr(organisation, name, value)
    if timezone is not None:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise StaffError(f"unknown time zone {timezone!r}") from None
        organisation.timezone = timezone
    if organisation.business_start_hour >= organisation.business_end_hour:
        raise StaffError("business hours must start before they end")
    if organisation.assignment_escalation_days <= organisation.assignment_reminder_days:
        raise StaffError("the escalation must come after the reminder")
    return organisation

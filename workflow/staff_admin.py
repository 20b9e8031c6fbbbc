"""What an admin changes: organisations' settings, staff, leave; checked, applied, summed up.

A check returns Problems (field, code, bounds) rather than sentences, so the web can word
each one in the page's language and name its field. A change returns the names of the
fields it changed: that, never the values, goes into the audit log. Nothing here reads a case
or a client: an admin manages the service, not its casework.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from workflow.models import Absence, Advisor, Organisation
from workflow.organisations import (
    CASEWORK_SETTINGS,
    RETENTION_SETTINGS,
    StaffError,
    add_advisor,
    add_organisation,
    set_casework_rules,
)
from workflow.routing import GENDERS, HANDLING_ROLES, STAFF_ROLES

LANGUAGES = ("nl", "en")
ROLE_FIELDS = ("complaint_role", "conduct_role", "question_role")
NAME_LIMIT, EMAIL_LIMIT, SLUG_LIMIT, ZONE_LIMIT = 200, 320, 64, 64
HOME_ZONE = "Europe/Amsterdam"  # for staff who serve no organisation (yet)
# Every number an admin sets for an organisation, with its range: the ones set_casework_rules
# checks, so the form refuses nothing it would take and takes nothing it would refuse.
SETTING_RANGES: dict[str, tuple[int, int]] = {**CASEWORK_SETTINGS, **RETENTION_SETTINGS}


@dataclass(frozen=True)
class Problem:
    """Why one field cannot be saved; the page words `code` with `low` and `high`."""

    field: str
    code: str
    low: int = 0
    high: int = 0


class Invalid(StaffError):
    """Nothing was changed; `problems` say which fields, and why."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.code}" for p in problems))
        self.problems = tuple(problems)


def _refuse_if(problems: Sequence[Problem]) -> None:
    if problems:
        raise Invalid(problems)


def _changed(before: Any, after: Any) -> list[str]:
    """The fields of two values of one dataclass that differ, in the dataclass's order."""
    return [f.name for f in fields(after) if getattr(before, f.name) != getattr(after, f.name)]


def _text(name: str, value: str | None, limit: int, *, required: bool = True) -> list[Problem]:
    value = (value or "").strip()
    if required and not value:
        return [Problem(name, "required")]
    if len(value) > limit or any(c in value for c in "\r\n\t"):
        return [Problem(name, "too_long" if len(value) > limit else "one_line", high=limit)]
    return []


def is_plain_address(email: str) -> bool:
    """One mail address, nothing around it (the rule of organisations.add_advisor, and a dot)."""
    local, at, domain = email.partition("@")
    bad = any(c in email for c in " \r\n\t<>,;\"'") or "@" in domain
    return bool(at and local and "." in domain.strip(".")) and not bad


def _email(name: str, value: str | None, *, required: bool) -> list[Problem]:
    problems = _text(name, value, EMAIL_LIMIT, required=required)
    if not problems and value and value.strip() and not is_plain_address(value.strip()):
        problems.append(Problem(name, "email"))
    return problems


def _choice(name: str, value: str, allowed: tuple[str, ...]) -> list[Problem]:
    return [] if value in allowed else [Problem(name, "choice")]


def is_time_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return bool(name) and len(name) <= ZONE_LIMIT


# --- organisations -------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationSettings:
    """Everything an admin may set for an organisation (its slug stays: it is in links)."""

    name: str
    committee_email: str | None
    complaint_role: str
    conduct_role: str
    question_role: str
    timezone: str
    assignment_reminder_days: int
    assignment_escalation_days: int
    first_contact_days: int
    inactivity_days: int
    business_start_hour: int
    business_end_hour: int
    signal_threshold: int
    signal_window_days: int
    retention_months: int
    machine_mail_retention_days: int
    quarantine_retention_days: int

    @classmethod
    def of(cls, organisation: Organisation) -> OrganisationSettings:
        return cls(**{f.name: getattr(organisation, f.name) for f in fields(cls)})

    def tidied(self) -> OrganisationSettings:
        email = (self.committee_email or "").strip().lower() or None
        return replace(self, name=self.name.strip(), committee_email=email,
                       timezone=self.timezone.strip())  # fmt: skip


# Rules across fields, as set_casework_rules has them; here they name the field to correct.
ORDER_RULES: tuple[tuple[str, str, Callable[[OrganisationSettings], bool]], ...] = (
    ("business_end_hour", "hours_order", lambda s: s.business_start_hour < s.business_end_hour),
    ("assignment_escalation_days", "escalation_order",
     lambda s: s.assignment_escalation_days > s.assignment_reminder_days),
)  # fmt: skip


def organisation_problems(wanted: OrganisationSettings) -> list[Problem]:
    problems = _text("name", wanted.name, NAME_LIMIT)
    problems += _email("committee_email", wanted.committee_email, required=False)
    for name in ROLE_FIELDS:
        problems += _choice(name, getattr(wanted, name), HANDLING_ROLES)
    for name, (low, high) in SETTING_RANGES.items():
        if not low <= getattr(wanted, name) <= high:
            problems.append(Problem(name, "range", low, high))
    if not is_time_zone(wanted.timezone.strip()):
        problems.append(Problem("timezone", "time_zone"))
    if not {p.field for p in problems} & set(CASEWORK_SETTINGS):  # compare only numbers in range
        problems += [Problem(name, code) for name, code, holds in ORDER_RULES if not holds(wanted)]
    return problems


def change_organisation(
    session: Session, organisation: Organisation, wanted: OrganisationSettings
) -> list[str]:
    """Save the settings; the names of the fields that changed. Raises Invalid, changing none."""
    wanted = wanted.tidied()
    _refuse_if(organisation_problems(wanted))
    changed = _changed(OrganisationSettings.of(organisation), wanted)
    organisation.name, organisation.committee_email = wanted.name, wanted.committee_email
    for name in ROLE_FIELDS:
        setattr(organisation, name, getattr(wanted, name))
    set_casework_rules(session, organisation.slug, timezone=wanted.timezone,
                       **{name: getattr(wanted, name) for name in SETTING_RANGES})  # fmt: skip
    return changed


@dataclass(frozen=True)
class NewOrganisation:
    slug: str = ""
    name: str = ""
    committee_email: str | None = None
    complaint_role: str = "chair"
    conduct_role: str = "vertrouwenspersoon"


def new_organisation_problems(session: Session, new: NewOrganisation) -> list[Problem]:
    slug = new.slug.strip().lower()
    problems = _text("slug", slug, SLUG_LIMIT)
    if not problems and not (slug.isascii() and slug.replace("-", "").isalnum()):
        problems.append(Problem("slug", "slug"))
    elif not problems and organisation_by_slug(session, slug) is not None:
        problems.append(Problem("slug", "slug_taken"))
    problems += _text("name", new.name, NAME_LIMIT)
    problems += _email("committee_email", new.committee_email, required=False)
    problems += _choice("complaint_role", new.complaint_role, HANDLING_ROLES)
    return problems + _choice("conduct_role", new.conduct_role, HANDLING_ROLES)


def new_organisation(session: Session, new: NewOrganisation, now: datetime) -> Organisation:
    """Add an organisation (organisations.add_organisation), with problems per field."""
    _refuse_if(new_organisation_problems(session, new))
    return add_organisation(
        session, slug=new.slug.strip().lower(), name=new.name, now=now,
        committee_email=(new.committee_email or "").strip().lower() or None,
        complaint_role=new.complaint_role, conduct_role=new.conduct_role,
    )  # fmt: skip


def organisation_by_slug(session: Session, slug: str) -> Organisation | None:
    return session.scalar(select(Organisation).where(Organisation.slug == slug))


def all_organisations(session: Session) -> list[Organisation]:
    statement = select(Organisation).options(selectinload(Organisation.advisors))
    return list(session.scalars(statement.order_by(Organisation.name, Organisation.id)))


# --- staff ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffDetails:
    """What an admin may set for a staff member (the address stays: it is how they sign in)."""

    name: str = ""
    role: str = ""
    gender: str = ""
    languages: tuple[str, ...] = ()
    is_active: bool = True
    organisations: frozenset[int] = frozenset()

    @classmethod
    def of(cls, advisor: Advisor) -> StaffDetails:
        return cls(advisor.name, advisor.role, advisor.gender,
                   tuple(advisor.languages.split(",")), advisor.is_active,
                   frozenset(o.id for o in advisor.organisations))  # fmt: skip

    def tidied(self) -> StaffDetails:
        spoken = tuple(code for code in LANGUAGES if code in self.languages)  # in a fixed order
        return replace(self, name=self.name.strip(), languages=spoken)


def staff_problems(session: Session, details: StaffDetails) -> list[Problem]:
    problems = _text("name", details.name, NAME_LIMIT)
    problems += _choice("role", details.role, STAFF_ROLES)
    problems += _choice("gender", details.gender, GENDERS)
    if not details.languages or not set(details.languages) <= set(LANGUAGES):
        problems.append(Problem("languages", "choice"))
    known = set(session.scalars(select(Organisation.id).where(
        Organisation.id.in_(details.organisations))))  # fmt: skip
    if not details.organisations or known != details.organisations:
        problems.append(Problem("organisations", "choice"))
    return problems


def _other_active_admins(session: Session, advisor: Advisor) -> int:
    """Locked (PostgreSQL): two admins demoting each other at once cannot both succeed."""
    statement = (select(Advisor.id).where(Advisor.role == "admin", Advisor.is_active.is_(True),
                                          Advisor.id != advisor.id).with_for_update())  # fmt: skip
    return len(session.scalars(statement).all())


def last_admin_problems(session: Session, advisor: Advisor, details: StaffDetails) -> list[Problem]:
    """Someone must always be left to manage the service: the last active admin stays one."""
    stays = details.role == "admin" and details.is_active
    if stays or advisor.role != "admin" or not advisor.is_active:
        return []
    if _other_active_admins(session, advisor):
        return []
    kept = {"role": details.role == "admin", "is_active": details.is_active}
    return [Problem(name, "last_admin") for name, is_kept in kept.items() if not is_kept]


def changed_staff_problems(
    session: Session, advisor: Advisor, details: StaffDetails
) -> list[Problem]:
    details = details.tidied()
    return staff_problems(session, details) + last_admin_problems(session, advisor, details)


def change_staff(session: Session, advisor: Advisor, details: StaffDetails) -> list[str]:
    """Save a staff member's details; the names of the fields that changed. Raises Invalid."""
    _refuse_if(changed_staff_problems(session, advisor, details))
    details = details.tidied()
    changed = _changed(StaffDetails.of(advisor), details)
    advisor.name, advisor.role, advisor.gender = details.name, details.role, details.gender
    advisor.languages, advisor.is_active = ",".join(details.languages), details.is_active
    if "organisations" in changed:
        advisor.organisations = _organisations(session, details.organisations)
    return changed


def _organisations(session: Session, ids: Iterable[int]) -> list[Organisation]:
    statement = select(Organisation).where(Organisation.id.in_(list(ids)))
    return list(session.scalars(statement.order_by(Organisation.id)))


def new_staff_problems(session: Session, email: str, details: StaffDetails) -> list[Problem]:
    email = email.strip().lower()
    problems = _email("email", email, required=True)
    in_use = select(Advisor.id).where(func.lower(Advisor.email) == email)
    if not problems and session.scalar(in_use) is not None:
        problems.append(Problem("email", "email_taken"))
    return problems + staff_problems(session, details.tidied())


def new_staff(session: Session, email: str, details: StaffDetails, now: datetime) -> Advisor:
    """Add a staff member (organisations.add_advisor); an address in use is refused here."""
    _refuse_if(new_staff_problems(session, email, details))
    details = details.tidied()
    first, *more = _organisations(session, details.organisations)
    advisor = add_advisor(session, organisation_slug=first.slug, name=details.name,
                          email=email.strip().lower(), gender=details.gender, now=now,
                          role=details.role, languages=",".join(details.languages))  # fmt: skip
    advisor.organisations.extend(more)
    return advisor


def all_staff(session: Session) -> list[Advisor]:
    statement = select(Advisor).options(selectinload(Advisor.organisations))
    return list(session.scalars(statement.order_by(Advisor.name, Advisor.id)))


# --- leave ---------------------------------------------------------------------------------


def local_today(advisor: Advisor, now: datetime) -> date:
    """Today where the staff member works; of several organisations, the earliest date."""
    zones = {o.timezone for o in advisor.organisations} or {HOME_ZONE}
    return min(now.astimezone(ZoneInfo(zone)).date() for zone in zones)


def leave_of(session: Session, advisor_ids: Iterable[int], today: date) -> dict[int, list[Absence]]:
    """Current and coming leave per staff member, earliest first (what is over is history)."""
    statement = (select(Absence).where(Absence.advisor_id.in_(list(advisor_ids)),
                                       Absence.ends_on >= today)
                 .order_by(Absence.starts_on, Absence.id))  # fmt: skip
    found: dict[int, list[Absence]] = {}
    for absence in session.scalars(statement):
        found.setdefault(absence.advisor_id, []).append(absence)
    return found


def add_leave(session: Session, advisor: Advisor, starts_on: date, ends_on: date,
              now: datetime) -> Absence:  # fmt: skip
    """A leave period, both days included: routing gives them no new case then."""
    if ends_on < starts_on:
        raise Invalid([Problem("ends_on", "leave_order")])
    if ends_on < local_today(advisor, now):
        raise Invalid([Problem("ends_on", "leave_past")])
    absence = Absence(advisor_id=advisor.id, starts_on=starts_on, ends_on=ends_on)
    session.add(absence)
    session.flush()  # its id, for the audit entry
    return absence


def remove_leave(session: Session, advisor: Advisor, absence_id: int, now: datetime) -> bool:
    """Remove a current or coming leave period of theirs; False when there is none such."""
    absence = session.get(Absence, absence_id)
    if absence is None or absence.advisor_id != advisor.id:
        return False
    if absence.ends_on < local_today(advisor, now):
        return False  # leave that is over is history, kept as it was
    session.delete(absence)
    return True


# --- the audit log ---------------------------------------------------------------------------


def changes(subject: str, changed: Sequence[str]) -> str:
    """The audit detail of a change: what, and which fields (never their values)."""
    return f"{subject}: {', '.join(changed) if changed else 'nothing changed'}"

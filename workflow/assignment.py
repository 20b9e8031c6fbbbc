"""Assigning a case: routing applied to the database, with the mails it causes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow import reminders, states, tokens
from workflow.cases import record, transition
from workflow.crypto import Vault
from workflow.models import Absence, Advisor, Case, Organisation, advisor_organisations
from workflow.outbox import Postman
from workflow.routing import Candidate, RoleRules, RoutingDecision, choose_advisor


def rules_of(organisation: Organisation) -> RoleRules:
    return RoleRules(
        complaint_role=organisation.complaint_role,
        conduct_role=organisation.conduct_role,
        question_role=organisation.question_role,
    )


def candidates_for(session: Session, organisation: Organisation, now: datetime) -> list[Candidate]:
    """The organisation's staff with their current load of open cases (in any organisation).

    Someone on leave today counts as not available: they get no new case.
    """
    load = (
        select(Case.advisor_id, func.count(Case.id).label("open_cases"))
        .where(Case.state.in_(states.OPEN_STATES), Case.advisor_id.is_not(None))
        .group_by(Case.advisor_id)
        .subquery()
    )
    rows = session.execute(
        select(Advisor, func.coalesce(load.c.open_cases, 0))
        .join(Advisor.organisations)
        .outerjoin(load, load.c.advisor_id == Advisor.id)
        .where(Organisation.id == organisation.id)
    ).all()
    today = now.astimezone(ZoneInfo(organisation.timezone)).date()
    away = set(session.scalars(
        select(Absence.advisor_id).where(Absence.starts_on <= today, Absence.ends_on >= today)
    ))  # fmt: skip
    return [
        Candidate(a.id, a.role, a.gender, a.is_active and a.id not in away, int(n)) for a, n in rows
    ]


def coordinators_of(session: Session, organisation: Organisation) -> list[Advisor]:
    statement = (
        select(Advisor)
        .join(advisor_organisations, advisor_organisations.c.advisor_id == Advisor.id)
        .where(advisor_organisations.c.organisation_id == organisation.id)
        .where(Advisor.role == "coordinator", Advisor.is_active.is_(True))
        .order_by(Advisor.id)
    )
    return list(session.scalars(statement))


def assign(
    session: Session,
    vault: Vault,
    postman: Postman,
    case: Case,
    now: datetime,
    *,
    excluded: frozenset[int] = frozenset(),
) -> RoutingDecision:
    """Route the case: assign and mail the advisor, or send it to the coordinator's triage.

    `excluded` are advisors who may not get it (declined, no answer, the other side).
    The advisor answers by the links in the mail; reminders follow in business days.
    """
    organisation = case.organisation
    decision = choose_advisor(
        rules_of(organisation),
        case.kind,
        case.preferred_gender,
        candidates_for(session, organisation, now),
        excluded,
    )
    if decision.advisor_id is None:
        send_to_triage(session, vault, postman, case, decision.reason, now)
        return decision
    hand_to(session, vault, postman, case, session.get_one(Advisor, decision.advisor_id), now)
    return decision


def hand_to(
    session: Session, vault: Vault, postman: Postman, case: Case, advisor: Advisor, now: datetime
) -> None:
    """Assign the case to this advisor: the task mail with its links, and its reminders."""
    organisation = case.organisation
    case.advisor = advisor
    transition(session, case, "assign", now, detail=f"{advisor.name} ({advisor.role})")
    accept_url, decline_url = task_links(session, vault, postman, case, advisor, now)
    mail_staff(
        session, vault, postman, case, [advisor], "assignment", now, name_key="advisor_name",
        kind=case.kind, preferred_gender=case.preferred_gender, client_language=case.language,
        channel=case.channel, is_urgent=case.is_urgent, accept_url=accept_url,
        decline_url=decline_url,
    )  # fmt: skip
    for kind, days in (
        ("assignment_reminder", organisation.assignment_reminder_days),
        ("assignment_escalation", organisation.assignment_escalation_days),
    ):
        due = reminders.after_business_days(organisation, now, days)
        reminders.schedule(session, case, kind, due, now, subject_id=advisor.id)  # fmt: skip


def task_links(
    session: Session, vault: Vault, postman: Postman, case: Case, advisor: Advisor, now: datetime
) -> tuple[str, str]:
    """Fresh accept and decline links for the advisor (one token: the first answer spends it)."""
    issued = tokens.issue(session, vault, case, "task", now, tokens.TASK_LIFETIME,
                          advisor_id=advisor.id)  # fmt: skip
    base = f"{postman.base_url}/taak/{issued.token}"
    return f"{base}/accepteren", f"{base}/weigeren"


def send_to_triage(
    session: Session, vault: Vault, postman: Postman, case: Case, reason: str, now: datetime
) -> None:
    """No advisor yet: the case waits for a coordinator, and every coordinator is told."""
    transition(session, case, "request_triage", now, detail=reason)
    coordinators = coordinators_of(session, case.organisation)
    if not coordinators:
        record(session, case, "coordinator_missing", now, detail="no active coordinator to tell")
    mail_staff(
        session, vault, postman, case, coordinators, "triage_needed", now,
        name_key="coordinator_name", kind=case.kind, preferred_gender=case.preferred_gender,
        reason=reason,
    )  # fmt: skip


def staff_language(advisor: Advisor) -> str:
    return "nl" if "nl" in advisor.languages.split(",") else "en"


def staff_case_url(postman: Postman, case: Case) -> str:
    return f"{postman.base_url}/medewerkers/zaken/{case.reference}"


def alert_urgent(
    session: Session, vault: Vault, postman: Postman, case: Case, now: datetime
) -> None:
    """A possible acute safety risk: every coordinator of the organisation is mailed at once."""
    coordinators = coordinators_of(session, case.organisation)
    mail_staff(
        session, vault, postman, case, coordinators, "urgent_case", now, name_key="coordinator_name"
    )


def people_of(session: Session, case: Case) -> list[Advisor]:
    """Who hears about a case: its advisor, or while it has none, the coordinators."""
    return [case.advisor] if case.advisor else coordinators_of(session, case.organisation)


def mail_staff(
    session: Session,
    vault: Vault,
    postman: Postman,
    case: Case,
    people: Iterable[Advisor],
    template: str,
    now: datetime,
    *,
    name_key: str,
    **context: object,
) -> None:
    """One staff mail per person: the organisation, their name and the link to the case."""
    for person in people:
        postman.write(
            session, vault, case=case, template=template, language=staff_language(person),
            recipient=person.email, now=now,
            context={
                "organisation_name": case.organisation.name, name_key: person.name,
                "case_url": staff_case_url(postman, case), **context,
            },
        )  # fmt: skip

"""The advisor's commands on a case: answer the task, contact the client, record steps, close.

Every command takes a Desk (the transaction, the postman and `now`), checks who may do it
and in which state, writes the timeline and the mails it causes in the same transaction,
and leaves the commit to the caller. Consent lives in workflow.consent, the closing
evaluation in workflow.evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from workflow import reminders, states, tokens
from workflow.assignment import (
    assign,
    coordinators_of,
    mail_staff,
    staff_case_url,
    task_links,
)
from workflow.cases import record, transition
from workflow.consent import end_open_requests, require_consent
from workflow.desk import (
    WORKING_STATES,
    Desk,
    NotAllowed,
    actor_of,
    client_address,
    client_name,
    note_activity,
    tell_client,
    work_link,
)
from workflow.evaluation import invite
from workflow.models import Advisor, Case, CaseExclusion, Message, Reminder
from workflow.sides import excluded_for_sides
from workflow.vocabulary import (
    DECLINE_REASONS,
    OUTCOMES,
    PATH_STEPS,
    REASON_CATEGORIES,
    SUPPORT_FORMS,
)

LEGAL_TERM = timedelta(weeks=6)  # Wkkgz: a formal complaint is handled within six weeks
MAX_EXTENSION_WEEKS = 4  # once, with notice to the client
DEADLINE_WARNINGS = (timedelta(days=14), timedelta(days=3))
ACCEPT_WORDS = frozenset({"akkoord", "accept", "accepteer", "accepteren", "accepted"})
DECLINE_WORDS = frozenset({"weiger", "weigeren", "decline", "declined", "afwijzen"})


# --- the assignment: accept or decline, by link or by reply -------------------------------


@dataclass(frozen=True)
class AdvisorLink:
    """An advisor who followed a link to their own case (a task to answer, or the case page)."""

    case: Case
    advisor: Advisor


def _advisor_link(desk: Desk, token: str, purpose: str) -> AdvisorLink | None:
    """The case and advisor of a valid link, only while that advisor still has the case."""
    row = tokens.find_valid(desk.session, desk.vault, token, purpose, desk.now)
    if row is None or row.advisor_id is None:
        return None
    case = desk.session.get_one(Case, row.case_id)
    if case.advisor_id != row.advisor_id:
        return None
    return AdvisorLink(case, desk.session.get_one(Advisor, row.advisor_id))


def task_of(desk: Desk, token: str) -> AdvisorLink | None:
    """The open assignment behind a task link; None when spent, expired, forged or stale."""
    link = _advisor_link(desk, token, "task")
    return link if link is not None and link.case.state == states.ASSIGNED else None


def answer_task(desk: Desk, token: str, answer: str, reason: str = "other") -> AdvisorLink | None:
    """The advisor's answer from the task page (POST): accept, or decline with a reason."""
    task = task_of(desk, token)
    if task is None:
        return None
    if answer == "accept":
        accept(desk, task.case, task.advisor, via="link")
    elif answer == "decline":
        decline(desk, task.case, task.advisor, reason, via="link")
    else:
        raise NotAllowed(f"unknown answer {answer!r}")
    return task


def command_word(text: str) -> str | None:
    """ "accept" or "decline" when the first word of a staff reply says so, else None."""
    words = text.split()
    first = words[0].strip(".,;:!?\"'*").casefold() if words else ""
    if first in ACCEPT_WORDS:
        return "accept"
    return "decline" if first in DECLINE_WORDS else None


def answer_by_mail(desk: Desk, case: Case, advisor: Advisor, command: str) -> bool:
    """Accept or decline by reply; False when the case no longer waits for this advisor."""
    if case.state != states.ASSIGNED or case.advisor_id != advisor.id:
        record(desk.session, case, "command_ignored", desk.now, actor=actor_of(advisor),
               detail=f"{command}: the case does not wait for this answer")  # fmt: skip
        return False
    if command == "accept":
        accept(desk, case, advisor, via="mail")
    else:
        decline(desk, case, advisor, "other", via="mail")
    return True


def accept(desk: Desk, case: Case, advisor: Advisor, *, via: str) -> None:
    _must_be_assigned_to(case, advisor)
    transition(desk.session, case, "accept", desk.now, actor=actor_of(advisor), detail=f"by {via}")
    tokens.spend_all(desk.session, case, "task", desk.now, advisor_id=advisor.id)
    reminders.cancel(desk.session, case, ASSIGNMENT_REMINDERS, desk.now)
    organisation = case.organisation
    reminders.schedule(
        desk.session, case, "first_contact",
        reminders.after_business_days(organisation, desk.now, organisation.first_contact_days),
        desk.now,
    )  # fmt: skip
    note_activity(desk, case)
    work_url, expires = work_link(desk, case, advisor)
    mail_staff(
        desk.session, desk.vault, desk.postman, case, [advisor], "case_accepted", desk.now,
        name_key="advisor_name", work_url=work_url, work_link_expires=expires,
        can_relay=client_address(desk, case) is not None, is_anonymous=case.is_anonymous,
        client_language=case.language, kind=case.kind, preferred_gender=case.preferred_gender,
    )  # fmt: skip


def decline(desk: Desk, case: Case, advisor: Advisor, reason: str, *, via: str) -> None:
    """The advisor will not take it: never offered to them again; the next one gets it."""
    _must_be_assigned_to(case, advisor)
    if reason not in DECLINE_REASONS:
        raise NotAllowed(f"unknown reason {reason!r}")
    transition(desk.session, case, "decline", desk.now, actor=actor_of(advisor),
               detail=f"{reason}, by {via}")  # fmt: skip
    tokens.spend_all(desk.session, case, "task", desk.now, advisor_id=advisor.id)
    _move_on(desk, case, advisor, "declined", decline_reason=reason)


def _must_be_assigned_to(case: Case, advisor: Advisor) -> None:
    if case.state != states.ASSIGNED or case.advisor_id != advisor.id:
        raise NotAllowed("this case is not waiting for this advisor's answer")


def _move_on(
    desk: Desk, case: Case, advisor: Advisor, why: str, *, decline_reason: str | None
) -> None:
    """Exclude the advisor, route again, and tell the coordinators what happened."""
    desk.session.add(CaseExclusion(case_id=case.id, advisor_id=advisor.id, reason=why,
                                   created_at=desk.now))  # fmt: skip
    reminders.cancel(desk.session, case, ASSIGNMENT_REMINDERS, desk.now)
    case.advisor = None
    desk.session.flush()
    decision = assign(desk.session, desk.vault, desk.postman, case, desk.now,
                      excluded=excluded_for_sides(desk.session, case, desk.now))  # fmt: skip
    coordinators = coordinators_of(desk.session, case.organisation)
    mail_staff(
        desk.session, desk.vault, desk.postman, case, coordinators, "reassigned", desk.now,
        name_key="coordinator_name", why=why, decline_reason=decline_reason,
        is_assigned=decision.is_assigned,
    )  # fmt: skip


ASSIGNMENT_REMINDERS = ("assignment_reminder", "assignment_escalation")


def remind_assignment(desk: Desk, reminder: Reminder, case: Case) -> None:
    advisor = _still_assigned(desk, reminder, case)
    if advisor is None:
        return
    escalation = reminders.active(desk.session, case, ("assignment_escalation",))
    if escalation and escalation[0].due_at <= desk.now:
        return  # the sweep ran late: the case moves on now, a reminder would only confuse
    accept_url, decline_url = task_links(
        desk.session, desk.vault, desk.postman, case, advisor, desk.now
    )
    mail_staff(
        desk.session, desk.vault, desk.postman, case, [advisor], "assignment_reminder", desk.now,
        name_key="advisor_name", accept_url=accept_url, decline_url=decline_url,
        escalates_at=escalation[0].due_at if escalation else desk.now,
    )  # fmt: skip
    record(desk.session, case, "assignment_reminded", desk.now)


def reassign_unanswered(desk: Desk, reminder: Reminder, case: Case) -> None:
    """No answer within the escalation time: the next eligible advisor, and the coordinator."""
    advisor = _still_assigned(desk, reminder, case)
    if advisor is None:
        return
    transition(desk.session, case, "unanswered", desk.now, detail="no answer in time")
    tokens.spend_all(desk.session, case, "task", desk.now, advisor_id=advisor.id)
    _move_on(desk, case, advisor, "no_answer", decline_reason=None)


def _still_assigned(desk: Desk, reminder: Reminder, case: Case) -> Advisor | None:
    if case.state != states.ASSIGNED or case.advisor_id != reminder.subject_id:
        return None
    return case.advisor


def work_of(desk: Desk, token: str) -> AdvisorLink | None:
    """The case behind a work link, only while its advisor still has it."""
    return _advisor_link(desk, token, "work")


def mail_work_link(desk: Desk, case: Case, advisor: Advisor) -> None:
    """A new link to the case page, to the advisor's own address (asked from an old link)."""
    work_url, expires = work_link(desk, case, advisor)
    mail_staff(desk.session, desk.vault, desk.postman, case, [advisor], "work_link", desk.now,
               name_key="advisor_name", work_url=work_url, expires_at=expires)  # fmt: skip


# --- working the case ------------------------------------------------------------------


def _must_work_on(case: Case, advisor: Advisor, allowed: frozenset[str] = WORKING_STATES) -> None:
    if case.advisor_id != advisor.id:
        raise NotAllowed("this is not the advisor's case")
    if case.state not in allowed:
        raise NotAllowed(f"not possible while the case is {case.state}")


def record_first_contact(desk: Desk, case: Case, advisor: Advisor) -> None:
    _must_work_on(case, advisor)
    _first_contact(desk, case, actor_of(advisor))


def _first_contact(desk: Desk, case: Case, actor: str) -> None:
    if case.first_contact_at is not None:
        return
    case.first_contact_at = desk.now
    if case.state == states.ACCEPTED:
        transition(desk.session, case, "start_work", desk.now, actor=actor,
                   detail="first contact with the client")  # fmt: skip
    else:
        record(desk.session, case, "first_contact", desk.now, actor=actor)
    reminders.cancel(desk.session, case, ("first_contact",), desk.now)
    note_activity(desk, case)


def remind_first_contact(desk: Desk, reminder: Reminder, case: Case) -> None:
    if case.first_contact_at is not None or case.state not in WORKING_STATES or not case.advisor:
        return
    work_url, _ = work_link(desk, case, case.advisor)
    mail_staff(desk.session, desk.vault, desk.postman, case, [case.advisor],
               "first_contact_reminder", desk.now, name_key="advisor_name", work_url=work_url,
               accepted_at=_accepted_at(case))  # fmt: skip
    record(desk.session, case, "first_contact_reminded", desk.now)


def _accepted_at(case: Case) -> datetime:
    return next((e.at for e in reversed(case.events) if e.name == "accept"), case.updated_at)


def remind_inactivity(desk: Desk, reminder: Reminder, case: Case) -> None:
    if case.state not in WORKING_STATES or case.advisor is None:
        return
    days = case.organisation.inactivity_days
    work_url, _ = work_link(desk, case, case.advisor)
    mail_staff(desk.session, desk.vault, desk.postman, case, [case.advisor],
               "inactivity_reminder", desk.now, name_key="advisor_name", work_url=work_url,
               business_days=days)  # fmt: skip
    record(desk.session, case, "inactivity_reminded", desk.now)
    note_activity(desk, case)  # and again after as many days, until something happens


def write_to_client(
    desk: Desk, case: Case, advisor: Advisor, text: str, *, awaits_answer: bool = False
) -> None:
    """Send the advisor's words from the shared address; the advisor's own stays private."""
    _must_work_on(case, advisor, WORKING_STATES | {states.CLOSING})
    address = client_address(desk, case)
    if address is None:
        raise NotAllowed("the client left no e-mail address")
    if not text.strip():
        raise NotAllowed("the message is empty")
    desk.session.add(Message(case_id=case.id, direction="out", author="staff",
                             body_enc=desk.vault.seal(text), created_at=desk.now))  # fmt: skip
    desk.postman.write(
        desk.session, desk.vault, case=case, template="advisor_message", language=case.language,
        recipient=address, now=desk.now,
        context={"organisation_name": case.organisation.name,
                 "contact_name": client_name(desk, case), "advisor_name": advisor.name,
                 "message": text, "dossier_url": None},
    )  # fmt: skip
    record(desk.session, case, "advisor_wrote", desk.now, actor=actor_of(advisor),
           detail="awaits the client's answer" if awaits_answer else "")  # fmt: skip
    if case.state in WORKING_STATES:
        _first_contact(desk, case, actor_of(advisor))
        note_activity(desk, case)
    if awaits_answer:
        reminders.stop_clock(desk.session, case, desk.now)


def client_answered(desk: Desk, case: Case) -> None:
    """The client wrote or answered: if the case waited for them, the advisor's clock runs."""
    if case.waiting_since is not None and not _consent_pending(case):
        reminders.start_clock(desk.session, case, desk.now)


def _consent_pending(case: Case) -> bool:
    return case.state == states.CONSENT_PENDING


def record_step(desk: Desk, case: Case, advisor: Advisor, step: str, *, on_behalf: bool) -> None:
    """Where the case stands on schema A or B; a step taken for the client needs consent."""
    _must_work_on(case, advisor)
    path_step = PATH_STEPS.get(step)
    if path_step is None:
        raise NotAllowed(f"unknown step {step!r}")
    if on_behalf and path_step.on_behalf is not None:
        require_consent(desk.session, case, path_step.on_behalf)
    case.path_step = step
    record(desk.session, case, "step_recorded", desk.now, actor=actor_of(advisor),
           detail=f"{step}{' (for the client)' if on_behalf else ''}")  # fmt: skip
    _first_contact(desk, case, actor_of(advisor))
    note_activity(desk, case)
    if path_step.starts_legal_term and case.complaint_filed_at is None:
        _start_legal_term(desk, case)


def _start_legal_term(desk: Desk, case: Case) -> None:
    case.complaint_filed_at = desk.now
    _set_deadline(desk, case, desk.now + LEGAL_TERM)


def _set_deadline(desk: Desk, case: Case, deadline: datetime) -> None:
    case.complaint_deadline_at = deadline
    record(desk.session, case, "legal_term_set", desk.now, detail=f"until {deadline.date()}")
    for number, before in enumerate(DEADLINE_WARNINGS):
        reminders.schedule(desk.session, case, "deadline_reminder", deadline - before, desk.now,
                           subject_id=number)  # fmt: skip
    reminders.schedule(desk.session, case, "deadline_passed", deadline, desk.now)


def extend_deadline(desk: Desk, case: Case, advisor: Advisor, weeks: int) -> None:
    """Once, by at most four weeks, and the client is told (Wkkgz)."""
    _must_work_on(case, advisor)
    old = case.complaint_deadline_at
    if old is None:
        raise NotAllowed("no formal complaint with a legal term")
    if case.is_deadline_extended:
        raise NotAllowed("the legal term was extended before; it may be extended only once")
    if not 1 <= weeks <= MAX_EXTENSION_WEEKS:
        raise NotAllowed(f"an extension is 1 to {MAX_EXTENSION_WEEKS} weeks")
    case.is_deadline_extended = True
    new = old + timedelta(weeks=weeks)
    _set_deadline(desk, case, new)
    record(desk.session, case, "legal_term_extended", desk.now, actor=actor_of(advisor),
           detail=f"{weeks} weeks")  # fmt: skip
    tell_client(desk, case, "deadline_extended", old_deadline=old, new_deadline=new)


def remind_deadline(desk: Desk, reminder: Reminder, case: Case) -> None:
    """Before the legal term ends: the committee's chair (and the case's advisor) are told."""
    deadline = case.complaint_deadline_at
    if deadline is None or case.state not in WORKING_STATES:
        return
    days_left = max(0, (deadline - desk.now).days)
    for person in _term_keepers(desk, case):
        work_url = (work_link(desk, case, person)[0] if person.id == case.advisor_id
                    else staff_case_url(desk.postman, case))  # fmt: skip
        mail_staff(desk.session, desk.vault, desk.postman, case, [person], "deadline_reminder",
                   desk.now, name_key="advisor_name", deadline=deadline, work_url=work_url,
                   days_left=days_left)  # fmt: skip
    record(desk.session, case, "legal_term_reminded", desk.now)


def _term_keepers(desk: Desk, case: Case) -> list[Advisor]:
    """The organisation's committee chairs, and the case's own advisor."""
    chairs = [a for a in case.organisation.advisors if a.role == "chair" and a.is_active]
    if case.advisor is not None and case.advisor not in chairs:
        chairs.append(case.advisor)
    return chairs


def deadline_passed(desk: Desk, reminder: Reminder, case: Case) -> None:
    deadline = case.complaint_deadline_at
    if deadline is None or case.state not in WORKING_STATES:
        return
    people = [*_term_keepers(desk, case), *coordinators_of(desk.session, case.organisation)]
    mail_staff(desk.session, desk.vault, desk.postman, case, people, "deadline_passed", desk.now,
               name_key="recipient_name", deadline=deadline)  # fmt: skip
    record(desk.session, case, "legal_term_passed", desk.now)


def break_confidentiality(
    desk: Desk, case: Case, advisor: Advisor, reason: str, client_told_on: datetime
) -> None:
    """Safety first: a separate, recorded step with a reason; the coordinators are told."""
    _must_work_on(case, advisor, WORKING_STATES | {states.CLOSING})
    if not reason.strip():
        raise NotAllowed("a reason is required")
    desk.session.add(Message(case_id=case.id, direction="note", author="staff",
                             body_enc=desk.vault.seal(f"Geheimhouding doorbroken: {reason}"),
                             created_at=desk.now))  # fmt: skip
    record(desk.session, case, "confidentiality_broken", desk.now, actor=actor_of(advisor),
           detail=f"client told on {client_told_on.date()}; reason in the case notes")  # fmt: skip
    mail_staff(desk.session, desk.vault, desk.postman, case,
               coordinators_of(desk.session, case.organisation), "confidentiality_broken",
               desk.now, name_key="coordinator_name", by_name=advisor.name,
               client_told_on=client_told_on)  # fmt: skip
    note_activity(desk, case)


def close(
    desk: Desk, case: Case, advisor: Advisor, *, outcome: str, support_form: str, reason: str
) -> None:
    """The advisor ends the support; the client gets the evaluation (workflow.evaluation)."""
    _must_work_on(case, advisor)
    for value, table, name in ((outcome, OUTCOMES, "outcome"), (support_form, SUPPORT_FORMS,
                               "support form"), (reason, REASON_CATEGORIES, "reason")):  # fmt: skip
        if value not in table:
            raise NotAllowed(f"unknown {name} {value!r}")
    case.outcome, case.support_form, case.reason_category = outcome, support_form, reason
    end_open_requests(desk, case)
    transition(desk.session, case, "begin_closing", desk.now, actor=actor_of(advisor),
               detail=f"outcome {outcome}, support {support_form}, reason {reason}")  # fmt: skip
    reminders.cancel(desk.session, case, None, desk.now)
    case.waiting_since = None
    invite(desk, case)


# --- the client's side of the case (from the dossier page or by mail) ---------------------


def withdraw_case(desk: Desk, case: Case) -> None:
    """The client stops: nothing more happens; the advisor is told."""
    if case.state not in states.OPEN_STATES:
        raise NotAllowed(f"the case is already {case.state}")
    end_open_requests(desk, case)
    transition(desk.session, case, "withdraw", desk.now, actor="client")
    reminders.cancel(desk.session, case, None, desk.now)
    tokens.spend_all(desk.session, case, "task", desk.now)
    tokens.spend_all(desk.session, case, "work", desk.now)
    if case.advisor is not None:
        mail_staff(desk.session, desk.vault, desk.postman, case, [case.advisor], "case_withdrawn",
                   desk.now, name_key="advisor_name")  # fmt: skip
    address = client_address(desk, case)
    if address is not None:
        desk.postman.write(
            desk.session, desk.vault, case=case, template="withdrawal_confirmed",
            language=case.language, recipient=address, now=desk.now,
            context={"organisation_name": case.organisation.name,
                     "contact_name": client_name(desk, case)},
        )  # fmt: skip

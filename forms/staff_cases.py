"""The staff pages: my cases and a case with its timeline and actions; every view audited.

Who may see which case is workflow.access: a case someone may not see answers 404, by
every route, so its existence is not given away. A GET writes nothing but its audit entry;
each change is a POST with a CSRF token that runs the same command, through the same
forms, as the actions defined in forms.advisor_pages.ACTIONS.

Decision: the client's words and contact data are for the advisor who took the case on.
A coordinator sees how a case goes (state, timeline, consents' status, what falls due),
not what was written and not how to reach the client; the page says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Flask, abort, flash, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as BaseResponse

from forms import services
from forms.advisor_pages import (
    ACTIONS,
    Action,
    case_papers,
    client_of,
    desk_for,
    form_class,
    run_action,
)
from forms.i18n import words
from forms.staff_session import audit_now, signed_in, staff_required
from mailtemplates import gender_wish_label, kind_label, long_date, long_datetime
from workflow import access, casework, reminders, states, triage
from workflow.desk import WORKING_STATES
from workflow.models import Advisor, Case, Consent, Message, Reminder
from workflow.vocabulary import CONSENT_ACTIONS, PATH_STEPS

BEFORE_ACCEPTING = frozenset({states.RECEIVED, states.TRIAGE, states.NEEDS_TRIAGE, states.ASSIGNED})
VIA = "staff page"  # how the answer came, on the timeline

# The answer to an assignment, beside the case actions; `decline` leaves the case.
ANSWERS: dict[str, Action] = {
    "accept": Action(frozenset({states.ASSIGNED}), lambda desk, case, advisor, x:
                     casework.accept(desk, case, advisor, via=VIA)),
    "decline": Action(frozenset({states.ASSIGNED}), lambda desk, case, advisor, x:
                      casework.decline(desk, case, advisor, x["reason"], via=VIA)),
}  # fmt: skip
STAFF_ACTIONS: dict[str, Action] = {**ANSWERS, **ACTIONS}
FORM_OF = {"accept": "task_accept", "decline": "task_decline", **{k: f"work_{k}" for k in ACTIONS}}
WORDS_OF = {"accept": "portal_accept", "decline": "portal_decline",
            **{k: f"work_{k}" for k in ACTIONS}}  # fmt: skip

# What waits in a case, first rule that holds; worded for the advisor or the coordinator.
WAITS: tuple[tuple[str, Callable[[Case], bool]], ...] = (
    ("triage", lambda case: case.state == states.NEEDS_TRIAGE),
    ("routing", lambda case: case.state in (states.RECEIVED, states.TRIAGE)),
    ("answer", lambda case: case.state == states.ASSIGNED),
    ("first_contact", lambda case: case.state in WORKING_STATES and not case.first_contact_at),
    ("consent", lambda case: case.state == states.CONSENT_PENDING),
    ("client", lambda case: case.waiting_since is not None),
    ("evaluation", lambda case: case.state == states.CLOSING),
    ("work", lambda case: True),
)


def install(app: Flask) -> None:
    """Add the routes."""
    app.add_url_rule("/medewerkers", "staff_home", staff_required(my_cases))
    app.add_url_rule("/medewerkers/zaken/<reference>", "staff_case", staff_required(case_page))
    app.add_url_rule("/medewerkers/zaken/<reference>/<action>", "staff_case_act",
                     staff_required(case_act), methods=["POST"])  # fmt: skip


def _group(staff: Advisor) -> str:
    return "advisor" if staff.role in access.HANDLING else "coordinator"


# --- my cases --------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One line of the list: the case, what waits, and the next date."""

    reference: str
    kind: str
    state: str
    is_urgent: bool
    waits: str
    due: Reminder | None


def my_cases() -> str:
    with services().database.session() as db:
        staff = signed_in(db)
        cases = access.cases_of(db, staff)
        rows = sorted((_row(db, staff, case) for case in cases), key=_urgent_then_due)
        page = render_template(
            "staff_cases.html", t=words(g.language), role=staff.role, group=_group(staff),
            rows=rows, triage=sum(case.state == states.NEEDS_TRIAGE for case in cases),
            organisations=", ".join(sorted(o.name for o in staff.organisations)),
            long_date=long_date,
        )  # fmt: skip
    audit_now(staff, "list_cases", None)
    return page


def _row(db: Session, staff: Advisor, case: Case) -> Row:
    t, language = words(g.language), g.language
    waits = t[f"portal_waits_{_group(staff)}_{next(n for n, holds in WAITS if holds(case))}"]
    state = t[f"portal_state_{case.state}"]
    return Row(case.reference, kind_label(case.kind, language), state, case.is_urgent, waits,
               next_due(db, case))  # fmt: skip


def next_due(db: Session, case: Case) -> Reminder | None:
    """The first reminder that runs (a paused one waits for the client and has no date)."""
    running = [r for r in reminders.active(db, case, None) if r.status == "pending"]
    return min(running, key=lambda r: r.due_at, default=None)


def _urgent_then_due(row: Row) -> tuple[bool, bool, datetime | None]:
    at = row.due.due_at if row.due else None
    return (not row.is_urgent, at is None, at)


# --- a case ----------------------------------------------------------------------------


# At one moment, what came in caused the events, and what went out followed from them.
SAME_MOMENT = {"message message-in": 0, "event": 1, "message message-out": 2}


@dataclass(frozen=True)
class Entry:
    """One line of the timeline: an event or a message (its text only for the advisor)."""

    at: datetime
    title: str
    note: str = ""
    actor: str = ""
    body: str | None = None
    css: str = "event"


def case_page(reference: str) -> str:
    with services().database.session() as db:
        staff = signed_in(db)
        case = access.case_for(db, staff, reference) or abort(404)
        page = _render_case(db, staff, case, {})
        reference = case.reference
    audit_now(staff, "view_case", reference)  # after rendering: only what was shown is logged
    return page


def can_read(staff: Advisor, case: Case) -> bool:
    """The client's words and contact data: only for the advisor who took the case on."""
    taken_on = any(event.name == "accept" for event in case.events)
    return case.advisor_id == staff.id and taken_on and case.state not in BEFORE_ACCEPTING


def _render_case(db: Session, staff: Advisor, case: Case, bound: dict[str, FlaskForm]) -> str:
    language, reads = g.language, can_read(staff, case)
    papers = case_papers(db, case, language) if reads else _outline(db, case, language)
    client = client_of(case) if reads else None
    step = PATH_STEPS.get(case.path_step or "")
    return render_template(
        "staff_case.html", t=words(language), case=case, client=client, reads=reads,
        is_advisor=case.advisor_id == staff.id, consents=papers["consents"], words_of=WORDS_OF,
        timeline=_timeline(case, papers["messages"], language),
        coming=reminders.active(db, case, None), forms=_forms(staff, case, client, bound),
        invalid=next((form for form in bound.values() if form.errors), None),
        kind=kind_label(case.kind, language), step=step.label(language) if step else None,
        can_triage=staff.role == "coordinator" and case.state in triage.REASSIGNABLE,
        wish=gender_wish_label(case.preferred_gender, language),
        long_date=long_date, long_datetime=long_datetime,
    )  # fmt: skip


def _outline(db: Session, case: Case, language: str) -> dict[str, list[tuple[Any, ...]]]:
    """What a reader without the advisor's rights sees: that there was a message, not what."""
    messages = db.execute(select(Message.direction, Message.created_at)
                          .where(Message.case_id == case.id))  # fmt: skip
    consents = db.execute(select(Consent.action, Consent.status, Consent.requested_at)
                          .where(Consent.case_id == case.id).order_by(Consent.id))  # fmt: skip
    return {
        "messages": [(direction, at, None) for direction, at in messages],
        "consents": [(CONSENT_ACTIONS[action].label(language), None, None, None, status, at)
                     for action, status, at in consents],
    }  # fmt: skip


def _timeline(case: Case, messages: list[tuple[Any, ...]], language: str) -> list[Entry]:
    t = words(language)
    names = {advisor.email[:64]: advisor.name for advisor in case.organisation.advisors}
    names |= {"system": t["portal_actor_system"], "client": t["portal_actor_client"]}
    entries = [Entry(e.at, t.get(f"portal_event_{e.name}", e.name.replace("_", " ")),
                     _note(e.name, e.detail, language), names.get(e.actor, e.actor))
               for e in case.events]  # fmt: skip
    entries += [Entry(at, t[f"portal_message_{direction}"], body=body,
                      css=f"message message-{direction}")
                for direction, at, body in messages]  # fmt: skip
    return sorted(entries, key=lambda entry: (entry.at, SAME_MOMENT.get(entry.css, 1)))


def _note(name: str, detail: str, language: str) -> str:
    """An event's detail (our own English words, never personal data); a step in words."""
    step = PATH_STEPS.get(detail.split(" ")[0]) if name == "step_recorded" else None
    return step.label(language) if step else detail


def _forms(
    staff: Advisor, case: Case, client: dict[str, str | None] | None, bound: dict[str, FlaskForm]
) -> list[tuple[str, FlaskForm]]:
    """The action forms for the case's own advisor: answer the assignment, or work the case."""
    if case.advisor_id != staff.id:
        return []
    address = client["email"] if client else None
    return [(key, bound.get(key) or form_class(g.language, FORM_OF[key])(prefix=key))
            for key, action in STAFF_ACTIONS.items() if action.shows(case, address)]  # fmt: skip


# --- the actions ----------------------------------------------------------------------


def case_act(reference: str, action: str) -> tuple[str, int] | BaseResponse:
    """Validate one form, run its command, audit, commit, wake delivery, and go back (303)."""
    svc = services()
    with svc.database.unit_of_work() as uow:
        staff = signed_in(uow.session)
        case = access.case_for(uow.session, staff, reference) or abort(404)
        if action not in STAFF_ACTIONS:
            abort(404)
        if case.advisor_id != staff.id:
            abort(403)  # a coordinator may see the case, not work it
        reference, now = case.reference, svc.clock()
        form = form_class(g.language, FORM_OF[action])(prefix=action)
        if not form.validate_on_submit():
            page = _render_case(uow.session, staff, case, {action: form})
            access.audit(uow.session, staff, action, now, reference=reference, detail="invalid")
            uow.commit()
            return page, 400
        category, said = run_action(desk_for(uow), action, case, staff, form.data, STAFF_ACTIONS)
        if category == "refused":
            uow.session.rollback()  # nothing of a refused command stays, only the audit
        access.audit(uow.session, staff, action, now, reference=reference,
                     detail="refused" if category == "refused" else "")  # fmt: skip
        uow.commit()
    if category == "done":
        svc.wake_delivery_for(reference)
        said = f"{WORDS_OF[action]}_done"
    flash(said, category)
    if action == "decline" and category == "done":  # no longer theirs: the page would 404
        return redirect(url_for("staff_home", lang=request.args.get("lang")), 303)
    return redirect(url_for("staff_case", reference=reference, lang=request.args.get("lang")), 303)

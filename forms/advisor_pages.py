"""The advisor's pages reached from mail, and the forms and commands of the case actions.

The task link (`/taak/<token>/accepteren|weigeren`) answers an assignment without signing in:
it shows no client data, a GET only shows (mail scanners open every link) and the answer is
a POST with a CSRF token. The work link (`/werk/<token>`) no longer opens the case by itself:
it only names the case, and leads to the signed-in case page (forms.staff_cases), where the
advisor signs in first. That page works the case with the forms and commands defined here
(FIELDS, form_class, ACTIONS, run_action); the old bearer work page is retired.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, Response, abort, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as BaseResponse
from wtforms import BooleanField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, StopValidation

from forms import services
from forms.i18n import LANGUAGES, words
from forms.staff_session import speak_to
from mailtemplates import gender_wish_label, kind_label
from workflow import casework, consent, states
from workflow.db import UnitOfWork
from workflow.desk import WORKING_STATES, Desk, NotAllowed
from workflow.models import AccessToken, Advisor, Case, Consent, Message
from workflow.vocabulary import (
    CONSENT_ACTIONS,
    DECLINE_REASONS,
    OUTCOMES,
    PATH_STEPS,
    REASON_CATEGORIES,
    SUPPORT_FORMS,
)

log = logging.getLogger(__name__)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
LIMITS = {"line": consent.TEXT_LIMIT, "area": 20_000}
RADIO_AT_MOST = 4  # up to this many choices show as radio buttons, more as a select
FormClass = Callable[..., FlaskForm]

# The fields of every form, as data: (name, kind). A kind is "line", "area", "date",
# "tick", "must_tick", a vocabulary table, or a tuple of keys labelled in the words.
# The label of field `f` in form `k` is the word `<k>_<f>`; `<k>_<f>_hint` is its hint.
FIELDS: dict[str, tuple[tuple[str, Any], ...]] = {
    "task_accept": (),
    "task_decline": (("reason", DECLINE_REASONS),),
    "work_first_contact": (),
    "work_write": (("text", "area"), ("awaits", "tick")),
    "work_step": (("step", PATH_STEPS), ("on_behalf", "tick")),
    "work_ask_consent": (("action", CONSENT_ACTIONS), ("what", "line"), ("towards", "line"),
                         ("information", "line")),
    "work_on_behalf": (("action", CONSENT_ACTIONS),),
    "work_extend": (("weeks", ("1", "2", "3", "4")),),
    "work_break": (("reason", "area"), ("told_on", "date"), ("confirm", "must_tick")),
    "work_close": (("outcome", OUTCOMES), ("support_form", SUPPORT_FORMS),
                   ("reason", REASON_CATEGORIES)),
}  # fmt: skip


def install(app: Flask) -> None:
    """Add the routes."""
    both = ["GET", "POST"]
    app.add_url_rule("/taak/<token>/accepteren", "task_accept", task_accept, methods=both)
    app.add_url_rule("/taak/<token>/weigeren", "task_decline", task_decline, methods=both)
    app.add_url_rule("/werk/<token>", "work_enter", work_enter)
    # The retired bearer work page: its addresses (and endpoint names: work_fields.html
    # still names work_act as its default target) stay, and only lead to the staff pages.
    app.add_url_rule("/werk", "work", work_retired)
    app.add_url_rule("/werk/nieuwe-link", "work_new_link", work_retired, methods=["POST"])
    app.add_url_rule("/werk/actie/<key>", "work_act", work_retired, methods=["POST"])
    # Decision: no CSRF check there. Nothing acts, so there is nothing to forge; and a form
    # left open in an old tab, whose token ended with the session at sign-in, still leads to
    # the staff pages instead of to "the form has expired".
    app.extensions["csrf"].exempt(work_retired)
    app.after_request(_private)


def _private(response: Response) -> Response:
    """Client data and secret links: never cached, never sent on as a referrer."""
    if (request.endpoint or "").startswith(("task_", "work")):
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
    return response


# --- forms ---------------------------------------------------------------------------------


def define_forms(fields: dict[str, tuple[tuple[str, Any], ...]]) -> None:
    """More forms built the same way, for other staff pages (a name is defined once)."""
    taken = fields.keys() & FIELDS.keys()
    if taken:
        raise ValueError(f"forms defined twice: {sorted(taken)}")
    FIELDS.update(fields)


@cache
def form_class(language: str, name: str) -> FormClass:
    """The form `name` in one language (built once); its errors name the field."""
    fields = {field: _field(language, f"{name}_{field}", kind) for field, kind in FIELDS[name]}
    made: FormClass = type(FlaskForm)(f"Form_{name}_{language}", (FlaskForm,), fields)
    return made


def _field(language: str, label: str, kind: Any) -> Any:
    t = words(language)
    text, hint = t[label], t.get(f"{label}_hint", "")

    def say(key: str, **extra: object) -> str:
        return t[key].format(field=text, **extra)

    if not isinstance(kind, str):
        return _choice(t, language, label, kind, [InputRequired(say("error_choose"))])
    if kind in ("tick", "must_tick"):
        ticked = [InputRequired(say("work_error_confirm"))] if kind == "must_tick" else []
        return BooleanField(text, validators=ticked, description=hint)
    required = InputRequired(say("error_required"))
    if kind == "date":
        is_date = IsoDate(say("work_error_date"), say("work_error_future"))
        return StringField(text, validators=[required, is_date], render_kw={"type": "date"})
    limit = Length(max=LIMITS[kind], message=say("error_too_long", max=LIMITS[kind]))
    shape = TextAreaField if kind == "area" else StringField
    return shape(text, validators=[required, limit], description=hint)


def _choice(t: dict[str, str], language: str, label: str, kind: Any, required: list[Any]) -> Any:
    """Radio buttons for a few choices, a select for more; labels from a table or the words."""
    is_table = isinstance(kind, Mapping)
    choices = [SelectChoice(key, kind[key].label(language) if is_table else t[f"{label}_{key}"])
               for key in kind]  # fmt: skip
    rules = [*required, AnyOf(list(kind), message=required[0].message)]
    hint = t.get(f"{label}_hint", "")
    if len(choices) <= RADIO_AT_MOST:
        return RadioField(t[label], choices=choices, validators=rules, validate_choice=False,
                          description=hint)  # fmt: skip
    choices.insert(0, SelectChoice("", t["work_choose_one"]))  # no answer until one is chosen
    return SelectField(t[label], choices=choices, validators=rules, validate_choice=False,
                       description=hint)  # fmt: skip


class IsoDate:
    """A date as the date input sends it (YYYY-MM-DD), not after today in Amsterdam."""

    def __init__(self, bad: str, future: str) -> None:
        self.bad, self.future = bad, future

    def __call__(self, form: Any, field: Any) -> None:
        try:
            day = date.fromisoformat((field.data or "").strip())
        except ValueError:
            raise StopValidation(self.bad) from None
        if day > services().clock().astimezone(AMSTERDAM).date():
            raise StopValidation(self.future)


# --- the task: accept or decline ---------------------------------------------------------


def desk_for(uow: UnitOfWork) -> Desk:
    svc = services()
    return Desk(uow, svc.postman, svc.clock())


def task_accept(token: str) -> tuple[str, int]:
    return _task(token, "accept")


def task_decline(token: str) -> tuple[str, int]:
    return _task(token, "decline")


def _task(token: str, answer: str) -> tuple[str, int]:
    svc = services()
    with svc.database.unit_of_work() as uow:
        task = casework.task_of(desk_for(uow), token)
        if task is None:
            abort(404)
        speak_to(task.advisor)
        case, language = task.case, g.language
        # What the mail told already: no client data before the case is taken on.
        facts = {"reference": case.reference, "kind": kind_label(case.kind, language),
                 "wish": gender_wish_label(case.preferred_gender, language),
                 "language": words(language)[f"language_{case.language}"]}  # fmt: skip
    t = words(language)
    form = form_class(language, f"task_{answer}")()
    if not form.validate_on_submit():
        page = render_template(f"task_{answer}.html", t=t, form=form, task=facts, token=token)
        return page, 400 if form.errors else 200
    with svc.database.unit_of_work() as uow:
        reason = form.data.get("reason") or "other"
        if casework.answer_task(desk_for(uow), token, answer, reason) is None:
            abort(404)  # answered meanwhile, by link or by mail
        uow.commit()
    svc.wake_delivery_for(facts["reference"])
    done = "accepted" if answer == "accept" else "declined"
    text = t[f"task_{done}"].format(reference=facts["reference"])
    return render_template("task_done.html", t=t, title=t[f"task_{done}_title"], text=text), 200


# --- the work link: on to the signed-in case page -----------------------------------------


def work_enter(token: str) -> BaseResponse:
    """Check the link, then 303 to the case page, where the advisor signs in; changes nothing.

    The link only says which case: the case page lets no one in without signing in, and lets
    only the case's own advisor act. So an expired link of the advisor who still has the case
    still leads there; a spent, forged or other advisor's link answers 404 (never why).
    """
    with services().database.unit_of_work() as uow:  # never committed: a GET changes nothing
        link = casework.work_of(desk_for(uow), token)
        case = link.case if link is not None else _held_case(uow, token)
        if case is None:
            abort(404)
        reference = case.reference
    return redirect(url_for("staff_case", reference=reference, lang=_lang()), 303)


def _held_case(uow: UnitOfWork, token: str) -> Case | None:
    """The case of an unspent work link, expired or not, while its advisor still has it."""
    row = uow.session.scalar(select(AccessToken).where(
        AccessToken.token_hash == uow.vault.token_hash(token), AccessToken.purpose == "work"
    ))  # fmt: skip
    if row is None or row.used_at is not None or row.advisor_id is None:
        return None
    case = uow.session.get(Case, row.case_id)
    return case if case is not None and case.advisor_id == row.advisor_id else None


def work_retired(key: str | None = None) -> BaseResponse:
    """The old work page and its forms: on to the signed-in pages; nothing acts here."""
    return redirect(url_for("staff_home", lang=_lang()), 303)


def _lang() -> str | None:
    """The language asked for in the address, kept on the way to the staff pages."""
    asked = request.args.get("lang")
    return asked if asked in LANGUAGES else None


# --- what the case page shows its advisor --------------------------------------------------


def case_papers(db: Session, case: Case, language: str) -> dict[str, list[tuple[Any, ...]]]:
    """The messages (direction, when, text) and consents of a case, opened: for its advisor."""
    vault = services().database.vault
    messages = db.scalars(select(Message).where(Message.case_id == case.id)
                          .order_by(Message.created_at, Message.id))  # fmt: skip
    consents = db.scalars(select(Consent).where(Consent.case_id == case.id).order_by(Consent.id))
    return {
        "messages": [(m.direction, m.created_at, vault.open(m.body_enc)) for m in messages],
        "consents": [(CONSENT_ACTIONS[c.action].label(language), vault.open(c.what_enc),
                      vault.open(c.towards_enc), vault.open(c.information_enc), c.status,
                      c.requested_at) for c in consents],
    }  # fmt: skip


def client_of(case: Case) -> dict[str, str | None]:
    """How to reach the client, and who it is about: in this case only."""
    opened, person = services().database.vault.open_optional, case.person
    about = (opened(case.counterpart_name_enc), opened(case.counterpart_role_enc))
    return {
        "name": None if person is None or case.is_anonymous else opened(person.name_enc),
        "email": None if person is None else opened(person.email_enc),
        "phone": None if person is None else opened(person.phone_enc),
        "preference": None if person is None else person.contact_preference,
        "counterpart": " – ".join(filter(None, about)) or None,
    }


# --- the actions: one POST form each, and the domain command it runs ----------------------


Run = Callable[[Desk, Case, Advisor, dict[str, Any]], object]


@dataclass(frozen=True)
class Action:
    """One form on the case page: when the page offers it, and the command it runs.

    The states mirror the domain's checks only to decide what to show; the domain still
    refuses anything else (then the page says "not possible now").
    """

    shown_in: frozenset[str]
    run: Run
    needs_address: bool = False
    shows_when: Callable[[Case], bool] = lambda case: True

    def shows(self, case: Case, address: str | None) -> bool:
        if self.needs_address and address is None:
            return False
        return case.state in self.shown_in and self.shows_when(case)


def _told_on(value: str) -> datetime:
    # Noon UTC is the same calendar day in Amsterdam, and the day is all the timeline keeps.
    return datetime.combine(date.fromisoformat(value.strip()), time(12), UTC)


OPEN = WORKING_STATES | {states.CLOSING}
TALKING = frozenset({states.IN_PROGRESS, states.CONSENT_PENDING})
ACTIONS: dict[str, Action] = {
    "first_contact": Action(WORKING_STATES, lambda desk, case, advisor, x:
        casework.record_first_contact(desk, case, advisor),
        shows_when=lambda case: case.first_contact_at is None),
    "write": Action(OPEN, lambda desk, case, advisor, x: casework.write_to_client(
        desk, case, advisor, x["text"], awaits_answer=x["awaits"]), needs_address=True),
    "step": Action(WORKING_STATES, lambda desk, case, advisor, x: casework.record_step(
        desk, case, advisor, x["step"], on_behalf=x["on_behalf"])),
    "ask_consent": Action(TALKING, lambda desk, case, advisor, x: consent.ask_consent(
        desk, case, advisor, x["action"], what=x["what"], towards=x["towards"],
        information=x["information"]), needs_address=True),
    "on_behalf": Action(WORKING_STATES, lambda desk, case, advisor, x:
        consent.act_on_behalf(desk, case, advisor, x["action"])),
    "extend": Action(WORKING_STATES, lambda desk, case, advisor, x: casework.extend_deadline(
        desk, case, advisor, int(x["weeks"])),
        shows_when=lambda case: bool(case.complaint_deadline_at)
        and not case.is_deadline_extended),
    "break": Action(OPEN, lambda desk, case, advisor, x: casework.break_confidentiality(
        desk, case, advisor, x["reason"], _told_on(x["told_on"]))),
    "close": Action(WORKING_STATES, lambda desk, case, advisor, x: casework.close(
        desk, case, advisor, outcome=x["outcome"], support_form=x["support_form"],
        reason=x["reason"])),
}  # fmt: skip


def run_action(
    desk: Desk,
    key: str,
    case: Case,
    advisor: Advisor,
    data: dict[str, Any],
    actions: Mapping[str, Action] = ACTIONS,
) -> tuple[str, str]:
    """Run one action's command: ("done", its word) or ("refused", why); the caller commits.

    The signed-in case page (forms.staff_cases) passes its own table, with accept and decline.
    """
    try:
        actions[key].run(desk, case, advisor, data)
    except consent.ConsentRequired:
        return "refused", "work_no_consent"
    except NotAllowed as refused:  # the case moved on since the page was shown
        log.info("case %s: %s refused: %s", case.reference, key, refused)
        return "refused", "work_not_now"
    return "done", f"work_{key}_done"

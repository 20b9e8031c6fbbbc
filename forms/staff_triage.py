"""The coordinator's pages: triage (kind, wish, assign, reassign, not a case) and signals.

Only coordinators get these pages (others get 404), and only for the organisations they
coordinate (workflow.access). To triage, a coordinator reads what the client wrote, never
how to reach them; that read is audited like every view. The commands and their rules
are workflow.triage; the forms follow the work page's (forms.advisor_pages.FIELDS).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, abort, flash, g, render_template
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response
from wtforms import SelectChoice, SelectField
from wtforms.validators import InputRequired, ValidationError

from forms import services
from forms.advisor_pages import define_forms, form_class
from forms.i18n import words
from forms.staff_actions import Refused, audit_and_commit, back, invalid, run
from forms.staff_session import audit_now, role_required, signed_in
from mailtemplates import gender_wish_label, kind_label, long_date, long_datetime
from workflow import access, triage
from workflow.desk import Desk
from workflow.models import Advisor, Case, Message, Organisation, Signal
from workflow.vocabulary import NOT_A_CASE_REASONS, SIGNAL_DECISIONS

define_forms({
    "triage_kind": (("kind", ("complaint", "conduct", "question")),
                    ("wish", ("female", "male", "none"))),
    "triage_dismiss": (("reason", NOT_A_CASE_REASONS),),
    "triage_refer": (("where", "area"),),
    "signal_decide": (("decision", SIGNAL_DECISIONS), ("note", "area")),
})  # fmt: skip
AUTOMATIC = "auto"
coordinator_only = role_required("coordinator")


def install(app: Flask) -> None:
    """Add the routes."""
    app.add_url_rule("/medewerkers/verdelen", "staff_triage", coordinator_only(queue_page))
    app.add_url_rule("/medewerkers/verdelen/<reference>", "staff_triage_case",
                     coordinator_only(case_page))  # fmt: skip
    app.add_url_rule("/medewerkers/verdelen/<reference>/<action>", "staff_triage_act",
                     coordinator_only(case_act), methods=["POST"])  # fmt: skip
    app.add_url_rule("/medewerkers/signalen", "staff_signals", coordinator_only(signals_page))
    app.add_url_rule("/medewerkers/signalen/<int:signal_id>", "staff_signal",
                     coordinator_only(signal_page))  # fmt: skip
    app.add_url_rule("/medewerkers/signalen/<int:signal_id>/besluit", "staff_signal_decide",
                     coordinator_only(signal_decide), methods=["POST"])  # fmt: skip


# --- the queue ------------------------------------------------------------------------------


def queue_page() -> str:
    with services().database.session() as db:
        staff = signed_in(db)
        waiting = triage.queue(db, staff)
        page = render_template(
            "staff_triage.html", t=words(g.language), cases=waiting,
            guesses={case.id: triage.guesses_of(case) for case in waiting},
            why={case.id: triage.why_in_triage(case) for case in waiting},
            kind_label=kind_label, long_datetime=long_datetime,
        )  # fmt: skip
    audit_now(staff, "list_triage")
    return page


# --- one case -------------------------------------------------------------------------------


def _triage_case(db: Session, staff: Advisor, reference: str) -> Case:
    """The case, if this coordinator may see it and it can still be (re)assigned; else 404."""
    case = access.case_for(db, staff, reference)
    if case is None or case.state not in triage.REASSIGNABLE:
        abort(404)
    return case


def case_page(reference: str) -> str:
    with services().database.session() as db:
        staff = signed_in(db)
        case = _triage_case(db, staff, reference)
        page = _render_case(db, case, {})
        reference = case.reference
    audit_now(staff, "view_triage", reference)
    return page


def _render_case(db: Session, case: Case, bound: dict[str, FlaskForm]) -> str:
    language, now = g.language, services().clock()
    offers = triage.offers(db, case, now)
    forms = {
        "kind": bound.get("kind") or _kind_form(case),
        "assign": bound.get("assign") or _assign_form(offers),
    }
    if case.state in triage.TRIAGE_STATES:  # before anyone has it: refer, or not a case
        for key in ("refer", "dismiss"):
            forms[key] = bound.get(key) or form_class(language, f"triage_{key}")(prefix=key)
    return render_template(
        "staff_triage_case.html", t=words(language), case=case, forms=forms, offers=offers,
        guesses=triage.guesses_of(case), why=triage.why_in_triage(case),
        message=_first_words(db, case) if case.state in triage.TRIAGE_STATES else None,
        invalid=next((form for form in bound.values() if form.errors), None),
        kind=kind_label(case.kind, language), wish=gender_wish_label(case.preferred_gender,
                                                                     language),
        kind_label=kind_label, long_date=long_date, long_datetime=long_datetime,
    )  # fmt: skip


def _first_words(db: Session, case: Case) -> str | None:
    """The client's first message, to tell what it is about (no contact data, no quote)."""
    sealed = db.scalars(select(Message.body_enc).where(
        Message.case_id == case.id, Message.direction == "in"
    ).order_by(Message.created_at, Message.id)).first()  # fmt: skip
    return services().database.vault.open(sealed) if sealed is not None else None


def _kind_form(case: Case) -> FlaskForm:
    data = {"kind": case.kind if case.kind != "unknown" else None, "wish": case.preferred_gender}
    return form_class(g.language, "triage_kind")(prefix="kind", data=data)


class _AssignForm(FlaskForm):  # type: ignore[misc]
    advisor = SelectField(validate_choice=False)


def _assign_form(offers: list[triage.Offer]) -> FlaskForm:
    """Routing's choice, or one of the eligible advisors (the only ones offered)."""
    t = words(g.language)
    form = _AssignForm(prefix="assign")
    label = t["triage_assign_advisor"]
    form.advisor.label.text = label
    form.advisor.description = t["triage_assign_hint"]
    form.advisor.choices = [SelectChoice(AUTOMATIC, t["triage_assign_automatic"])] + [
        SelectChoice(str(offer.advisor.id), f"{offer.advisor.name} ({offer.open_cases})")
        for offer in offers if offer.is_eligible
    ]  # fmt: skip
    message = t["error_choose"].format(field=label)
    form.advisor.validators = [InputRequired(message), _one_of_the_choices(message)]
    return form


def _one_of_the_choices(message: str) -> Callable[[Any, Any], None]:
    def check(form: Any, field: Any) -> None:
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(message)

    return check


Command = Callable[[Desk, Case, Advisor, FlaskForm], str]


def _set_kind(desk: Desk, case: Case, staff: Advisor, form: FlaskForm) -> str:
    triage.set_kind_and_wish(desk, case, staff, form.kind.data, form.wish.data)
    return "triage_kind_done"


def _assign(desk: Desk, case: Case, staff: Advisor, form: FlaskForm) -> str:
    chosen = form.advisor.data
    if case.kind not in ("complaint", "conduct", "question"):
        raise Refused("triage_refused_kind_first")
    is_assigned = triage.assign_to(desk, case, staff, None if chosen == AUTOMATIC else int(chosen))
    return "triage_assign_done" if is_assigned else "triage_assign_nobody"


def _dismiss(desk: Desk, case: Case, staff: Advisor, form: FlaskForm) -> str:
    triage.dismiss(desk, case, staff, form.reason.data)
    return "triage_dismiss_done"


def _refer(desk: Desk, case: Case, staff: Advisor, form: FlaskForm) -> str:
    triage.refer(desk, case, staff, form.where.data)
    return "triage_refer_done"


COMMANDS: dict[str, Command] = {
    "kind": _set_kind, "assign": _assign, "refer": _refer, "dismiss": _dismiss,
}  # fmt: skip


def case_act(reference: str, action: str) -> tuple[str, int] | Response:
    """Validate one form, run its command, audit, commit, wake delivery, and go back (303)."""
    svc = services()
    with svc.database.unit_of_work() as uow:
        staff = signed_in(uow.session)
        case = _triage_case(uow.session, staff, reference)
        if action not in COMMANDS:
            abort(404)
        reference = case.reference
        form = _bound_form(uow.session, case, action)
        if not form.validate_on_submit():
            return invalid(uow, staff, f"triage_{action}", reference,
                            lambda: _render_case(uow.session, case, {action: form}))  # fmt: skip
        category, said = run(
            uow, lambda desk: COMMANDS[action](desk, case, staff, form), "triage_not_now"
        )
        audit_and_commit(uow, staff, f"triage_{action}", reference, category)
    if category == "done":
        svc.wake_delivery_for(reference)
    flash(said, category)
    if category == "done" and action != "kind":  # assigned or dismissed: on to the next one
        return back("staff_triage")
    return back("staff_triage_case", reference=reference)


def _bound_form(db: Session, case: Case, action: str) -> FlaskForm:
    if action == "assign":
        return _assign_form(triage.offers(db, case, services().clock()))
    if action == "kind":
        return form_class(g.language, "triage_kind")(prefix="kind")
    return form_class(g.language, f"triage_{action}")(prefix=action)


# --- signals --------------------------------------------------------------------------------


def signals_page() -> str:
    with services().database.session() as db:
        staff = signed_in(db)
        found = triage.signals_of(db, staff)
        page = render_template("staff_signals.html", t=words(g.language), signals=found,
                               long_date=long_date)  # fmt: skip
    audit_now(staff, "list_signals")
    return page


def _signal(db: Session, staff: Advisor, signal_id: int) -> Signal:
    return triage.signal_for(db, staff, signal_id) or abort(404)


def signal_page(signal_id: int) -> str:
    with services().database.session() as db:
        staff = signed_in(db)
        page = _render_signal(db, _signal(db, staff, signal_id), None)
    audit_now(staff, "view_signal", detail=f"signal {signal_id}")
    return page


def _render_signal(db: Session, signal: Signal, bound: FlaskForm | None) -> str:
    language = g.language
    form = bound or form_class(language, "signal_decide")(prefix="decide")
    decision = triage.decision_of(services().database.vault, signal)
    return render_template(
        "staff_signal.html", t=words(language), signal=signal, form=form,
        cases=triage.cases_of_signal(db, signal), decision=decision,
        decision_label=SIGNAL_DECISIONS[decision.key].label(language)
        if decision and decision.key in SIGNAL_DECISIONS else None,
        invalid=bound if bound is not None and bound.errors else None,
        is_open=signal.status == "open", organisation=signal_organisation(db, signal),
        kind_label=kind_label, long_date=long_date, long_datetime=long_datetime,
        state_word=lambda case: words(language)[f"portal_state_{case.state}"],
    )  # fmt: skip


def signal_organisation(db: Session, signal: Signal) -> str:
    found = db.get(Organisation, signal.organisation_id)
    return found.name if found is not None else ""


def signal_decide(signal_id: int) -> tuple[str, int] | Response:
    svc = services()
    with svc.database.unit_of_work() as uow:
        staff = signed_in(uow.session)
        signal = _signal(uow.session, staff, signal_id)
        form = form_class(g.language, "signal_decide")(prefix="decide")
        detail = f"signal {signal_id}"
        if not form.validate_on_submit():
            return invalid(uow, staff, "decide_signal", None,
                            lambda: _render_signal(uow.session, signal, form), detail)  # fmt: skip
        category, said = run(uow, lambda desk: _decide(desk, signal, staff, form), "triage_not_now")
        audit_and_commit(uow, staff, "decide_signal", None, category, detail)
    flash(said, category)
    return back("staff_signal", signal_id=signal_id)


def _decide(desk: Desk, signal: Signal, staff: Advisor, form: FlaskForm) -> str:
    triage.decide_signal(desk, signal, staff, form.decision.data, form.note.data)
    return "signal_decide_done"

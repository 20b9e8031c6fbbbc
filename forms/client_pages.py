"""The client's casework pages: consent, evaluation and the dossier. GET shows, POST acts.

Links in mail are opened by scanners too, so a GET never changes anything. The dossier
link itself is traded at once for a session cookie (token id and case id, checked again on
every page), so the secret does not stay in the address bar, the history or a referrer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from flask import (
    Flask,
    abort,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_limiter import Limiter, RateLimitExceeded
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import (
    BooleanField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields import EmailField
from wtforms.validators import AnyOf, DataRequired, Email, InputRequired, Length, Optional

from forms import services
from forms.complaint import SingleLine
from forms.i18n import words
from forms.pages import too_many
from mailtemplates import kind_label, long_date, long_datetime
from workflow import consent as consents
from workflow import dossier, evaluation
from workflow.casework import withdraw_case
from workflow.consent import LAPSE_AFTER
from workflow.desk import Desk, NotAllowed
from workflow.models import Case
from workflow.vocabulary import ADVICE_THEMES

CODE_LIMIT = "10/hour"  # reference + code: about 40 bits of code, tried by hand
LOST_LINK_LIMIT = "5/hour"  # per address: no mail bombing through our form
LINE_MAX = 200


def install(app: Flask) -> None:
    limiter = _limiter_of(app)
    app.add_url_rule("/toestemming/<token>", "consent", consent_page, methods=["GET", "POST"])
    app.add_url_rule("/evaluatie/<token>", "evaluation", evaluation_page, methods=["GET", "POST"])
    app.add_url_rule("/dossier", "dossier_page", dossier_page)
    app.add_url_rule("/dossier/<token>", "dossier", dossier_enter)
    code = limiter.limit(CODE_LIMIT, methods=["POST"], on_breach=_too_many("code"))
    app.add_url_rule("/dossier/code", "dossier_code", code(dossier_code), methods=["POST"])
    app.add_url_rule("/dossier/bericht", "dossier_message", dossier_message, methods=["POST"])
    app.add_url_rule("/dossier/toestemming/<int:consent_id>/intrekken", "dossier_consent",
                     dossier_withdraw_consent, methods=["POST"])  # fmt: skip
    app.add_url_rule("/dossier/intrekken", "dossier_stop", dossier_stop, methods=["POST"])
    app.add_url_rule("/dossier/afmelden", "dossier_sign_out", dossier_sign_out, methods=["POST"])
    lost = limiter.limit(LOST_LINK_LIMIT, key_func=_address_key, methods=["POST"],
                         on_breach=_too_many("lost"))  # fmt: skip
    app.add_url_rule("/dossier/kwijt", "dossier_lost", lost(lost_link), methods=["GET", "POST"])
    app.register_error_handler(RateLimitExceeded, _limited)


def _limited(error: RateLimitExceeded) -> Any:
    """A limit with its own answer page (on_breach) shows it; any other gets the usual page."""
    if error.response is not None:
        return error.response
    return too_many(error)


def _limiter_of(app: Flask) -> Limiter:
    """The app's one Flask-Limiter (create_app makes it before the pages are installed)."""
    found = app.extensions.get("limiter")
    if not found:
        raise RuntimeError("the client pages need the app's Flask-Limiter")
    limiter: Limiter = next(iter(found))
    return limiter


def _address_key() -> str:
    # A keyed hash: the rate-limit storage never holds a readable address.
    address = request.form.get("email", "")
    return "lost-link:" + (services().database.vault.blind_index(address) or "-")


@contextmanager
def _desk() -> Iterator[Desk]:
    """One transaction; it rolls back unless the view commits."""
    svc = services()
    with svc.database.unit_of_work() as uow:
        yield Desk(uow, svc.postman, svc.clock())


def _page(template: str, status: int = 200, **context: Any) -> Response:
    t = words(g.language)
    context.setdefault("errors", [])
    response = make_response(
        render_template(template, t=t, day=_day, moment=_moment, **context), status
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _day(value: Any) -> str:
    """A date as the client reads it, in Amsterdam time."""
    return long_date(value, g.language)


def _moment(value: Any) -> str:
    return long_datetime(value, g.language)


def _error_list(t: dict[str, str], *forms: FlaskForm) -> list[tuple[str, str]]:
    """(id to link to, message) for the error summary; a radio group links its first option."""
    found = []
    for form in forms:
        for field in form:
            for message in field.errors:
                if field.name == "csrf_token":
                    found.append(("inhoud", t["error_csrf"]))
                elif field.type in ("RadioField", "SelectMultipleField"):
                    found.append((f"{field.id}-{field.choices[0].value}", message))
                else:
                    found.append((field.id, message))
    return found


# --- forms ------------------------------------------------------------------------------


class ButtonForm(FlaskForm):
    """A button that acts: only the CSRF token travels."""


def _say(t: dict[str, str], key: str, field: str, **extra: object) -> str:
    """An error message that names the field in the page language."""
    return t[key].format(field=t[field], **extra)


def _at_most(t: dict[str, str], field: str, limit: int) -> Length:
    return Length(max=limit, message=_say(t, "error_too_long", field, max=limit))


@cache
def consent_form(language: str) -> type[FlaskForm]:
    t = words(language)
    choose = _say(t, "error_choose", "consent_question")

    class ConsentForm(FlaskForm):
        answer = StringField(
            t["consent_question"], validators=[InputRequired(choose), AnyOf(["yes", "no"], choose)]
        )

    return ConsentForm


@cache
def evaluation_form(language: str) -> type[FlaskForm]:
    t = words(language)
    experiences = [SelectChoice(str(n), t[f"eval_experience_{n}"]) for n in range(1, 6)]
    usefuls = [SelectChoice(k, t[f"eval_useful_{k}"]) for k in ("yes", "partly", "no")]
    theme_choices = [SelectChoice(k, _capital(v.label(language))) for k, v in ADVICE_THEMES.items()]

    def optional(cls: Any, field: str, choices: list[SelectChoice]) -> Any:
        # Every question may stay empty; a value we never offered is named like any error.
        invalid = _say(t, "error_choose", field)
        return cls(t[field], choices=choices, validators=[Optional()],
                   invalid_choice_message=invalid)  # fmt: skip

    class EvaluationForm(FlaskForm):
        experience = optional(RadioField, "eval_experience", experiences)
        useful = optional(RadioField, "eval_useful", usefuls)
        themes = optional(SelectMultipleField, "eval_themes", theme_choices)
        advice = TextAreaField(
            t["eval_advice"],
            validators=[Optional(), _at_most(t, "eval_advice", evaluation.ADVICE_LIMIT)],
        )

    return EvaluationForm


@cache
def message_form(language: str) -> type[FlaskForm]:
    t = words(language)

    class MessageForm(FlaskForm):
        message = TextAreaField(
            t["dossier_message"],
            validators=[
                DataRequired(_say(t, "error_required", "dossier_message")),
                _at_most(t, "dossier_message", dossier.MESSAGE_LIMIT),
            ],
        )

    return MessageForm


@cache
def stop_form(language: str) -> type[FlaskForm]:
    t = words(language)

    class StopForm(FlaskForm):
        confirm = BooleanField(
            t["dossier_stop_confirm"],
            validators=[InputRequired(_say(t, "error_stop_confirm", "dossier_stop_confirm"))],
        )

    return StopForm


def _line(t: dict[str, str], field: str, limit: int = LINE_MAX) -> list[Any]:
    return [
        InputRequired(_say(t, "error_required", field)),
        SingleLine(_say(t, "error_line_break", field)),
        _at_most(t, field, limit),
    ]


@cache
def code_form(language: str) -> type[FlaskForm]:
    t = words(language)

    class CodeForm(FlaskForm):
        reference = StringField(
            t["dossier_reference_field"], validators=_line(t, "dossier_reference_field")
        )
        code = StringField(t["dossier_code_field"], validators=_line(t, "dossier_code_field"))

    return CodeForm


@cache
def lost_form(language: str) -> type[FlaskForm]:
    t = words(language)
    is_address = Email(_say(t, "error_email", "email"), check_deliverability=False)

    class LostForm(FlaskForm):
        email = EmailField(t["email"], validators=[*_line(t, "email", 320), is_address])

    return LostForm


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- consent ----------------------------------------------------------------------------


def consent_page(token: str) -> Response:
    t = words(g.language)
    with _desk() as desk:
        found = consents.consent_to_answer(desk, token)
        if found is None:
            abort(404)
        shown = _consent_shown(desk, found)
    form = consent_form(g.language)()
    if not form.validate_on_submit():
        status = 400 if form.errors else 200
        return _page("consent.html", status, consent=shown, form=form,
                     errors=_error_list(t, form))  # fmt: skip
    is_yes = form.answer.data == "yes"
    with _desk() as desk:
        answered = consents.answer_consent(desk, token, given=is_yes)
        if answered is None:
            abort(404)
        desk.uow.commit()
    services().wake_delivery_for(shown["reference"])
    return _page("consent.html", consent=shown, form=None, answer="yes" if is_yes else "no")


def _consent_shown(desk: Desk, found: Any) -> dict[str, Any]:
    case = desk.session.get_one(Case, found.case_id)
    return {
        "reference": case.reference,
        "action": consents.CONSENT_ACTIONS[found.action].label(g.language),
        "what": desk.vault.open(found.what_enc),
        "towards": desk.vault.open(found.towards_enc),
        "information": desk.vault.open(found.information_enc),
        "answer_by": found.requested_at + LAPSE_AFTER,
    }


# --- evaluation -------------------------------------------------------------------------


def evaluation_page(token: str) -> Response:
    t = words(g.language)
    with _desk() as desk:
        if evaluation.evaluation_to_fill(desk, token) is None:
            abort(404)
    form: Any = evaluation_form(g.language)()
    if not form.validate_on_submit():
        status = 400 if form.errors else 200
        return _page("evaluation.html", status, form=form, errors=_error_list(t, form))
    with _desk() as desk:
        is_stored = evaluation.submit(
            desk, token, experience=int(form.experience.data) if form.experience.data else None,
            useful=form.useful.data or None, themes=list(form.themes.data or []),
            advice=form.advice.data or None,
        )  # fmt: skip
        if not is_stored:
            abort(404)
        desk.uow.commit()
    return _page("evaluation.html", form=None, is_done=True)


# --- the dossier: getting in ------------------------------------------------------------


def dossier_enter(token: str) -> Response:
    """Trade the link for a session, then show the dossier at an address without the secret."""
    with _desk() as desk:
        access = dossier.access_by_token(desk, token)
        if access is None:
            abort(404)
        _remember(access)
    return _to_dossier()


def _remember(access: dossier.Access) -> None:
    session.clear()  # a new session for a new way in (no fixation)
    session["dossier"] = {"token_id": access.token_id, "case_id": access.case.id}


def case_of_session(desk: Desk) -> Case | None:
    """The case of this browser's dossier session while its link holds (forms.client_rights too)."""
    held = session.get("dossier")
    if not isinstance(held, dict):
        return None
    token_id, case_id = held.get("token_id"), held.get("case_id")
    if not isinstance(token_id, int) or not isinstance(case_id, int):
        return None
    return dossier.access_again(desk, token_id, case_id)


def _to_dossier() -> Response:
    return redirect(url_for("dossier_page", lang=g.language), 303)


def dossier_page() -> Response:
    with _desk() as desk:
        case = case_of_session(desk)
        if case is None:
            session.pop("dossier", None)
            return _page("dossier_code.html", form=code_form(g.language)())
        return _dossier(desk, case)


def _dossier(
    desk: Desk,
    case: Case,
    status: int = 200,
    message: FlaskForm | None = None,
    stop: FlaskForm | None = None,
) -> Response:
    t = words(g.language)
    message = message or message_form(g.language)(formdata=None)
    stop = stop or stop_form(g.language)(formdata=None)
    view = dossier.view_of(desk, case)
    return _page("dossier.html", status, view=view, message_form=message, stop_form=stop,
                 kind=_capital(kind_label(view.kind, g.language)),
                 errors=_error_list(t, message, stop))  # fmt: skip


def dossier_code() -> Response:
    t = words(g.language)
    form: Any = code_form(g.language)()
    if form.validate_on_submit():
        with _desk() as desk:
            access = dossier.access_by_code(desk, form.reference.data, form.code.data)
            if access is not None:
                _remember(access)
                return _to_dossier()
        form.code.errors.append(t["error_code"].format(field=t["dossier_code_field"]))
    return _page("dossier_code.html", 400, form=form, errors=_error_list(t, form))


def _too_many(which: str) -> Callable[[Any], Response]:
    """The answer when a limit is reached: the same for known and unknown addresses."""

    def answer(limit: Any) -> Response:
        t = words(g.language)
        if which == "lost":
            return _page("dossier_lost.html", 429, form=None, notice=t["lost_too_many"])
        return _page("dossier_code.html", 429, form=None, notice=t["dossier_too_many"])

    return answer


# --- the dossier: what the client does --------------------------------------------------


def dossier_message() -> Response:
    form: Any = message_form(g.language)()
    with _desk() as desk:
        case = case_of_session(desk)
        if case is None:
            return _to_dossier()
        if not form.validate_on_submit():
            return _dossier(desk, case, 400, message=form)
        reference = case.reference
        try:
            dossier.add_message(desk, case, form.message.data)
        except NotAllowed:
            return _not_possible()
        desk.uow.commit()
    return _done(reference, "dossier_done_sent")


def dossier_withdraw_consent(consent_id: int) -> Response:
    with _desk() as desk:
        case = case_of_session(desk)
        if case is None or not ButtonForm().validate_on_submit():
            return _to_dossier()
        reference = case.reference
        try:
            consents.withdraw_consent(desk, case, consent_id)
        except NotAllowed:
            return _not_possible()
        desk.uow.commit()
    return _done(reference, "dossier_done_consent")


def dossier_stop() -> Response:
    form: Any = stop_form(g.language)()
    with _desk() as desk:
        case = case_of_session(desk)
        if case is None:
            return _to_dossier()
        if not form.validate_on_submit():
            return _dossier(desk, case, 400, stop=form)
        reference = case.reference
        try:
            withdraw_case(desk, case)
        except NotAllowed:
            return _not_possible()
        desk.uow.commit()
    return _done(reference, "dossier_done_withdrawn")


def dossier_sign_out() -> Response:
    if ButtonForm().validate_on_submit():
        session.clear()
        flash("dossier_signed_out")
    return _to_dossier()


def _done(reference: str, notice: str) -> Response:
    """After a commit: wake delivery, then show the dossier again (POST, redirect, GET)."""
    services().wake_delivery_for(reference)
    flash(notice)
    return _to_dossier()


def _not_possible() -> Response:
    flash("dossier_not_possible")
    return _to_dossier()


# --- a new link -------------------------------------------------------------------------


def lost_link() -> Response:
    t = words(g.language)
    form: Any = lost_form(g.language)()
    if not form.validate_on_submit():
        status = 400 if form.errors else 200
        return _page("dossier_lost.html", status, form=form, errors=_error_list(t, form))
    with _desk() as desk:
        references = dossier.send_new_links(desk, form.email.data.strip())
        desk.uow.commit()
    for reference in references:
        services().wake_delivery_for(reference)
    # The same page whether or not we know the address.
    return _page("dossier_lost.html", form=None, is_sent=True)

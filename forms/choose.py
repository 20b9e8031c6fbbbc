"""The client's choice page, linked from the acknowledgement: GET shows it, POST acts."""

from __future__ import annotations

from functools import cache

from flask import Flask, abort, g, render_template
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice
from wtforms.validators import InputRequired

from forms import services
from forms.i18n import words
from workflow.choices import apply_choice, case_to_choose


@cache
def choice_form(language: str) -> type[FlaskForm]:
    t = words(language)

    class ChoiceForm(FlaskForm):
        kind = RadioField(
            t["kind"],
            choices=[SelectChoice(k, t[f"kind_{k}"]) for k in ("complaint", "conduct", "question")],
            validators=[InputRequired(t["error_choose"].format(field=t["kind"]))],
        )
        preferred_gender = RadioField(
            t["preferred_gender"],
            choices=[SelectChoice(x, t[f"gender_{x}"]) for x in ("female", "male", "none")],
            default="none",
            validators=[InputRequired(t["error_choose"].format(field=t["preferred_gender"]))],
        )

    return ChoiceForm


def install(app: Flask) -> None:
    app.add_url_rule("/kiezen/<token>", "choose", choose, methods=["GET", "POST"])


def choose(token: str) -> tuple[str, int]:
    svc = services()
    with svc.database.unit_of_work() as uow:
        case = case_to_choose(uow, token, svc.clock())
        if case is None:
            abort(404)
        reference = case.reference
    t = words(g.language)
    form = choice_form(g.language)()
    if not form.validate_on_submit():
        status = 400 if form.errors else 200
        return render_template("choose.html", t=t, form=form, reference=reference), status
    with svc.database.unit_of_work() as uow:
        made = apply_choice(uow, svc.postman, token, form.kind.data, form.preferred_gender.data,
                            svc.clock())  # fmt: skip
    if made is None:
        abort(404)
    svc.wake_delivery_for(made.reference)
    return render_template("message.html", t=t, title=t["choose_done_title"],
                           text=t["choose_done"].format(reference=reference)), 200  # fmt: skip

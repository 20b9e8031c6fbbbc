"""Public pages: where to go, the complaint form per organisation, the thank-you page."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Flask, abort, g, render_template, request
from flask_limiter import Limiter
from flask_wtf.csrf import CSRFError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from forms import services
from forms.complaint import complaint_form
from forms.i18n import words
from mailtemplates.paths import client_path
from workflow.intake import CaseOpened, OpenCase, open_case
from workflow.models import Organisation


def install(app: Flask, limiter: Limiter, rate_limit: str) -> None:
    app.add_url_rule("/", "index", index)
    app.add_url_rule("/melden/<slug>", "form", show_form, methods=["GET"])
    submit = limiter.limit(rate_limit, methods=["POST"])(submit_form)
    app.add_url_rule("/melden/<slug>", "submit", submit, methods=["POST"])
    app.register_error_handler(CSRFError, csrf_failed)


def index() -> str:
    with services().database.session() as session:
        organisations = list(session.scalars(select(Organisation).order_by(Organisation.name)))
        listing = [(o.slug, o.name) for o in organisations]
    return render_template("index.html", t=words(g.language), organisations=listing)


def _organisation_name(slug: str) -> str:
    with services().database.session() as session:
        name = session.scalar(select(Organisation.name).where(Organisation.slug == slug))
    if name is None:
        abort(404)
    return str(name)


def show_form(slug: str) -> str:
    name = _organisation_name(slug)
    form = complaint_form(g.language)(submission_id=secrets.token_urlsafe(16))
    return render_template(
        "form.html", t=words(g.language), form=form, slug=slug, organisation=name
    )


def submit_form(slug: str) -> tuple[str, int]:
    name = _organisation_name(slug)
    form = complaint_form(g.language)()
    if not form.validate_on_submit():
        page = render_template(
            "form.html", t=words(g.language), form=form, slug=slug, organisation=name
        )
        return page, 400
    opened = _open(slug, form)
    services().wake_delivery_for(opened.reference)
    # The page stays in the language the client reads; mail goes in the language they chose.
    return render_template(
        "thanks.html",
        t=words(g.language),
        opened=opened,
        steps=client_path(opened.kind, g.language),
        is_finding_advisor=opened.state == "needs_triage",
        is_mail_coming=bool(form.email.data) and not form.anonymous.data,
        dossier_url=_dossier_url(opened),
    ), 200


def _command(slug: str, form: Any) -> OpenCase:
    is_anonymous = bool(form.anonymous.data)

    def contact(value: str | None) -> str | None:
        return None if is_anonymous else (value or "").strip() or None

    return OpenCase(
        organisation_slug=slug,
        channel="web",
        kind=form.kind.data,
        preferred_gender=form.preferred_gender.data,
        language=form.language.data,
        description=form.description.data.strip(),
        name=contact(form.name.data),
        email=contact(form.email.data),
        phone=contact(form.phone.data),
        counterpart_name=(form.counterpart_name.data or "").strip() or None,
        counterpart_role=(form.counterpart_role.data or "").strip() or None,
        is_anonymous=is_anonymous,
        submission_key=form.submission_id.data or None,
    )


def _open(slug: str, form: Any) -> CaseOpened:
    svc = services()
    command = _command(slug, form)
    try:
        with svc.database.unit_of_work() as uow:
            return open_case(uow, svc.postman, command, svc.clock())
    except IntegrityError:
        # The same submission raced itself (double click): the first one won; show it.
        with svc.database.unit_of_work() as uow:
            return open_case(uow, svc.postman, command, svc.clock())


def _dossier_url(opened: CaseOpened) -> str | None:
    if opened.dossier is None:
        return None
    return f"{services().settings.base_url}/dossier/{opened.dossier.token}"


def csrf_failed(error: Exception) -> tuple[str, int]:
    """An expired or missing CSRF token: give the client their text back with a fresh token."""
    slug = (request.view_args or {}).get("slug")
    if request.endpoint != "submit" or not slug:
        t = words(g.language)
        return render_template(
            "message.html", t=t, title=t["errors_title"], text=t["error_csrf"]
        ), 400
    name = _organisation_name(str(slug))
    form = complaint_form(g.language)(formdata=request.form)
    form.validate()
    form.csrf_token.errors = [words(g.language)["error_csrf"]]
    page = render_template(
        "form.html", t=words(g.language), form=form, slug=slug, organisation=name
    )
    return page, 400

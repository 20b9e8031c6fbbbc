"""Staff sign-in: password or a mailed link, then the second factor (TOTP). GET shows, POST acts.

Every refusal reads the same, whether the account exists, the password was wrong or the
tries were throttled (workflow.staff_auth counts them). The mailed link opens a page with a
button, since mail scanners open every link. The second factor is asked after either first
factor; coordinators and admins enrol at their first sign-in. `next` only ever leads to a
staff page on this site.
"""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import urlencode, urlsplit

import segno
from flask import Flask, abort, flash, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from forms import services, staff_session
from forms.i18n import words
from forms.staff_session import STAFF_HOME
from workflow import access, staff_auth
from workflow.assignment import staff_language
from workflow.db import UnitOfWork
from workflow.models import Advisor

# Link requests are counted apart from failed sign-ins (their own keyed hashes), so asking
# for links cannot lock a password out, and at most ACCOUNT_LIMIT links go out per window.
LINK_REQUEST = "link request:"


def install(app: Flask) -> None:
    """Add the routes."""
    both = ["GET", "POST"]
    app.add_url_rule("/medewerkers/inloggen", "staff_sign_in", sign_in, methods=both)
    app.add_url_rule("/medewerkers/inloglink", "staff_sign_in_link_request", request_link,
                     methods=["POST"])  # fmt: skip
    app.add_url_rule("/medewerkers/inloggen/<token>", "staff_sign_in_link", sign_in_with_link,
                     methods=both)  # fmt: skip
    app.add_url_rule("/medewerkers/tweede-stap", "staff_second_factor", second_factor,
                     methods=both)  # fmt: skip
    app.add_url_rule("/medewerkers/tweede-stap/instellen", "staff_enrol", enrol, methods=both)
    app.add_url_rule("/medewerkers/tweede-stap/opnieuw", "staff_enrol_again", enrol_again,
                     methods=["POST"])  # fmt: skip
    app.add_url_rule("/medewerkers/uitloggen", "staff_sign_out", sign_out, methods=["POST"])
    # create_app sets HttpOnly, SameSite=Lax, and Secure whenever BASE_URL is https (so
    # outside development); the idle limit lives in staff_session, not in a cookie lifetime.


# --- forms ---------------------------------------------------------------------------------


@cache
def _form(language: str, name: str) -> type[FlaskForm]:
    t = words(language)

    def required(label: str, limit: int, field: Any = StringField) -> Any:
        return field(t[label], validators=[
            InputRequired(t["error_required"].format(field=t[label])),
            Length(max=limit, message=t["error_too_long"].format(field=t[label], max=limit)),
        ])  # fmt: skip

    fields = {
        "password": {"email": required("signin_email", 320),
                     "password": required("signin_password", 1024, PasswordField)},
        "link": {"email": required("signin_link_email", 320)},
        "code": {"code": required("signin_code", 16)},
        "button": {},
    }[name]  # fmt: skip
    made: type[FlaskForm] = type(FlaskForm)(f"SignIn_{name}_{language}", (FlaskForm,), fields)
    return made


def _new(name: str, **kwargs: Any) -> FlaskForm:
    return _form(g.language, name)(**kwargs)


# --- where to go, and in which language ---------------------------------------------------


def safe_next(value: str | None) -> str | None:
    """A path to a staff page of this site, or None: never another host or scheme."""
    if not value or any(c in value for c in "\\\r\n\t ") or not value.isprintable():
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or value.startswith("//"):
        return None
    if parts.path != STAFF_HOME and not parts.path.startswith(STAFF_HOME + "/"):
        return None
    return value


def _next() -> str | None:
    return safe_next(request.values.get("next"))


def _lang() -> str | None:
    asked = request.args.get("lang")
    return asked if asked in ("nl", "en") else None


def _to(endpoint: str, next_path: str | None = None) -> Response:
    """303 to one of our pages, keeping `next` and an asked-for language."""
    return redirect(url_for(endpoint, next=next_path or _next(), lang=_lang()), 303)


def _speak_to(advisor: Advisor) -> None:
    if _lang() is None:
        g.language = staff_language(advisor)


def _address() -> str:
    return request.remote_addr or "unknown"


# --- the first factor: password ------------------------------------------------------------


def sign_in() -> tuple[str, int] | Response:
    form = _new("password")
    if not form.validate_on_submit():
        return _sign_in_page(password=form), 400 if form.errors else 200
    svc = services()
    with svc.database.unit_of_work() as uow:
        advisor = staff_auth.check_password(
            uow.session, uow.vault, form.email.data, form.password.data, _address(), svc.clock()
        )
        uow.commit()  # a failure counts towards the throttle
        if advisor is None:
            return _sign_in_page(password=form, is_refused=True), 200
        return _after_first_factor(uow, advisor, "password")


def _sign_in_page(*, password: FlaskForm | None = None, link: FlaskForm | None = None,
                  is_refused: bool = False, is_link_sent: bool = False) -> str:  # fmt: skip
    password = password or _new("password")
    password.password.data = ""  # a password is never sent back to the browser
    return render_template(
        "staff_sign_in.html", t=words(g.language), form=password,
        link_form=link or _new("link", prefix="link"), next=_next(), lang=_lang(),
        is_refused=is_refused, is_link_sent=is_link_sent,
    )  # fmt: skip


def _after_first_factor(uow: UnitOfWork, advisor: Advisor, factor: str) -> Response:
    """Straight in, or on to the second factor (set it up first when the role needs it).

    Setting it up needs every first factor the account has: after the password, a sign-in
    link goes to the staff member's own address, to be opened in this browser.
    """
    if staff_auth.must_enrol(advisor):
        given = staff_session.begin_pending(advisor, factor)
        if "link" in staff_auth.factors_to_enrol(advisor) - given:
            _send_link(uow, advisor.email)
        return _to("staff_enrol")
    if staff_auth.needs_second_factor(advisor):
        staff_session.begin_pending(advisor, factor)
        return _to("staff_second_factor")
    target = _next() or STAFF_HOME
    staff_session.begin(advisor, second_factor=False)
    return redirect(target, 303)


# --- the first factor: a link by mail ------------------------------------------------------


def request_link() -> tuple[str, int] | Response:
    """The same answer whether or not the address belongs to someone."""
    form = _new("link", prefix="link")
    if not form.validate_on_submit():
        return _sign_in_page(link=form), 400
    with services().database.unit_of_work() as uow:
        _send_link(uow, form.email.data)
    if staff_session.pending_staff_id() is not None:  # asked again while setting up
        return _to("staff_enrol")
    return _sign_in_page(link=_new("link", prefix="link", formdata=None), is_link_sent=True), 200


def _send_link(uow: UnitOfWork, email: str) -> None:
    """Mail a sign-in link if the address is staff's and the requests are not throttled."""
    svc = services()
    now, account, address = svc.clock(), LINK_REQUEST + email, LINK_REQUEST + _address()
    if staff_auth.is_throttled(uow.session, uow.vault, account, address, now):
        return
    staff_auth.record_failure(uow.session, uow.vault, account, address, now)
    mail_id = _mail_link(uow, email)
    uow.commit()
    if mail_id is not None:
        svc.enqueue_quietly("vertrouwd.deliver_mail", mail_id)


def _mail_link(uow: UnitOfWork, email: str) -> int | None:
    svc, now = services(), services().clock()
    token = staff_auth.issue_sign_in_link(uow.session, uow.vault, email, now)
    advisor = staff_auth.staff_by_email(uow.session, email)
    if token is None or advisor is None:
        return None
    query = {k: v for k, v in (("next", _next()), ("lang", _lang())) if v}
    url = f"{svc.postman.base_url}/medewerkers/inloggen/{token}"
    context = {"staff_name": advisor.name, "expires_at": now + staff_auth.SIGN_IN_LINK_LIFETIME,
               "sign_in_url": f"{url}?{urlencode(query)}" if query else url}  # fmt: skip
    row = svc.postman.write(uow.session, uow.vault, case=None, template="sign_in_link",
                            language=staff_language(advisor), recipient=advisor.email,
                            now=now, context=context)  # fmt: skip
    uow.session.flush()
    return row.id


def sign_in_with_link(token: str) -> tuple[str, int] | Response:
    """GET shows a button and spends nothing; POST spends the link."""
    svc = services()
    form = _new("button")
    if not form.validate_on_submit():
        with svc.database.session() as db:
            owner = staff_auth.sign_in_link_owner(db, svc.database.vault, token, svc.clock())
            if owner is None:
                abort(404)
            _speak_to(owner)
        page = render_template("staff_sign_in_link.html", t=words(g.language), form=form,
                               next=_next(), lang=_lang())  # fmt: skip
        return page, 400 if form.errors else 200
    with svc.database.unit_of_work() as uow:
        advisor = staff_auth.use_sign_in_link(uow.session, uow.vault, token, svc.clock())
        if advisor is None:
            abort(404)
        uow.commit()
        return _after_first_factor(uow, advisor, "link")


# --- the second factor ---------------------------------------------------------------------


def second_factor() -> tuple[str, int] | Response:
    svc = services()
    with svc.database.unit_of_work() as uow:
        advisor = staff_session.pending_staff(uow.session)
        if advisor is None:
            return _to("staff_sign_in")
        if staff_auth.must_enrol(advisor):
            return _to("staff_enrol")
        _speak_to(advisor)
        form = _new("code")
        if not form.validate_on_submit():
            return _code_page("staff_sign_in_code.html", form), 400 if form.errors else 200
        if not _code_is_right(uow, advisor, form.code.data, staff_auth.check_code):
            return _code_page("staff_sign_in_code.html", form, is_refused=True), 200
        return _signed_in_fully(advisor)


def _code_is_right(uow: UnitOfWork, advisor: Advisor, code: str, check: Any) -> bool:
    """Throttled like passwords: a wrong code counts, and too many refuse even a right one."""
    now, vault = services().clock(), uow.vault
    if staff_auth.is_throttled(uow.session, vault, advisor.email, _address(), now):
        return False
    is_right = bool(check(vault, advisor, code, now))
    if not is_right:
        staff_auth.record_failure(uow.session, vault, advisor.email, _address(), now)
    uow.commit()  # the failure, or the step of the used code (never accepted twice)
    return is_right


def _code_page(template: str, form: FlaskForm, **extra: Any) -> str:
    form.code.data = ""
    return render_template(template, t=words(g.language), form=form, next=_next(),
                           lang=_lang(), **extra)  # fmt: skip


def _signed_in_fully(advisor: Advisor) -> Response:
    target = _next() or STAFF_HOME
    staff_session.begin(advisor, second_factor=True)
    return redirect(target, 303)


# --- setting up the second factor ----------------------------------------------------------


def enrol() -> tuple[str, int] | Response:
    """For one who must enrol before getting in, or a signed-in member who chooses to (or
    sets up a new phone: the new secret is pending until its first code confirms it)."""
    svc = services()
    with svc.database.unit_of_work() as uow:
        advisor = _enrolling(uow.session)
        if isinstance(advisor, Response):
            return advisor
        _speak_to(advisor)
        is_required = staff_auth.must_enrol(advisor)
        missing = staff_auth.factors_to_enrol(advisor) - staff_session.pending_factors()
        if is_required and missing:
            return _both_factors_page(advisor, missing), 200
        if advisor.totp_enabled_at is not None and not staff_auth.enrolment_secret(
            uow.vault, advisor
        ):
            return _code_page("staff_sign_in_enrol.html", _new("code"), is_on=True,
                              again=_new("button")), 200  # fmt: skip
        uri = _enrolment_uri(uow, advisor)
        form = _new("code")
        extra = {"qr": _qr(uri, words(g.language)["signin_qr_label"]),
                 "secret": _grouped(staff_auth.enrolment_secret(uow.vault, advisor) or ""),
                 "is_required": is_required}  # fmt: skip
        if not form.validate_on_submit():
            return _code_page("staff_sign_in_enrol.html", form, **extra), (
                400 if form.errors else 200
            )
        if not _code_is_right(uow, advisor, form.code.data, staff_auth.confirm_enrolment):
            return _code_page("staff_sign_in_enrol.html", form, is_refused=True, **extra), 200
        access.audit(uow.session, advisor, "second_factor_enrolled", svc.clock())
        uow.commit()
        return _signed_in_fully(advisor)


def _both_factors_page(advisor: Advisor, missing: frozenset[str]) -> str:
    """Before enrolling: the first factor still to give (the password, or the mailed link)."""
    password = _new("password", formdata=None, data={"email": advisor.email})
    return render_template(
        "staff_sign_in_both.html", t=words(g.language), missing=missing, form=password,
        link_form=_new("link", prefix="link", formdata=None, data={"email": advisor.email}),
        next=_next(), lang=_lang(),
    )  # fmt: skip


def enrol_again() -> Response:
    """A signed-in member sets up a new phone: a new secret waits beside the one in force."""
    svc = services()
    with svc.database.unit_of_work() as uow:
        advisor = staff_session.current_staff(uow.session)
        if advisor is None or not _new("button").validate_on_submit():
            abort(403)
        staff_auth.start_enrolment(uow.vault, advisor)
        access.audit(uow.session, advisor, "second_factor_renewal_started", svc.clock())
        uow.commit()
    return _to("staff_enrol")


def _enrolling(db: Session) -> Advisor | Response:
    """Who sets up the second factor here, or where to send the browser instead."""
    pending = staff_session.pending_staff(db)
    if pending is not None:
        # One who has the second factor must give it: enrolling anew would get around it.
        return pending if staff_auth.must_enrol(pending) else _to("staff_second_factor")
    signed_in = staff_session.current_staff(db)
    return signed_in if signed_in is not None else _to("staff_sign_in", request.path)


def _enrolment_uri(uow: UnitOfWork, advisor: Advisor) -> str:
    """The otpauth:// URI of the secret being set up; a new one only the first time.

    Written on GET: this page is reached only inside a session, never from a mail, and a
    reload must show the same QR code as before.
    """
    secret = staff_auth.enrolment_secret(uow.vault, advisor)
    if secret is None:
        uri = staff_auth.start_enrolment(uow.vault, advisor)
        uow.commit()
        return uri
    return staff_auth.provisioning_uri(advisor, secret)


def _grouped(secret: str) -> str:
    """The key in groups of four, easier to type (the apps ignore the spaces)."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _qr(uri: str, label: str) -> Markup:
    """The QR code as inline SVG (no script, no style: the CSP allows it), named for AT."""
    svg = segno.make(uri, error="m").svg_inline(scale=4, svgclass="qr", lineclass="qrline")
    named = f'<svg role="img" aria-label="{escape(label)}" focusable="false"'
    return Markup(svg.replace("<svg", named, 1))  # noqa: S704  (segno's own markup)


# --- signing out ---------------------------------------------------------------------------


def sign_out() -> Response:
    staff_session.end()
    flash("signin_signed_out", "signin")
    return redirect(url_for("staff_sign_in", lang=_lang()), 303)

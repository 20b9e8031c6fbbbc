"""The Flask app: app factory, the public form and pages, and (later) the staff pages."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import urlencode

from flask import Flask, current_app, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect

from forms.i18n import pick_language
from mailtemplates import render
from workflow.crypto import Vault
from workflow.db import Database, make_engine
from workflow.outbox import Postman
from workflow.settings import Settings

Enqueue = Callable[[str, tuple[object, ...]], None]
Clock = Callable[[], datetime]

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


def no_enqueue(task: str, args: tuple[object, ...]) -> None:
    """Without a broker the periodic sweep delivers; nothing is lost."""


def create_app(
    settings: Settings,
    *,
    database: Database | None = None,
    enqueue: Enqueue = no_enqueue,
    clock: Clock = utc_now,
) -> Flask:
    """Build the web app; nothing connects until the first request."""
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        WTF_CSRF_TIME_LIMIT=4 * 3600,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.base_url.startswith("https://"),
        MAX_CONTENT_LENGTH=256 * 1024,
        RATELIMIT_STORAGE_URI=settings.ratelimit_storage_url,
        RATELIMIT_HEADERS_ENABLED=True,
    )
    app.extensions["vertrouwd"] = Services(settings, database, enqueue, clock)
    app.before_request(_choose_language)
    app.add_template_global(in_language)  # first: CSRF errors are answered in the right language
    CSRFProtect(app)
    limiter = Limiter(get_remote_address, app=app, storage_uri=settings.ratelimit_storage_url)
    _register(app, settings, limiter)
    return app


class Services:
    """What the views need, reached through `services()`."""

    def __init__(
        self, settings: Settings, database: Database | None, enqueue: Enqueue, clock: Clock
    ) -> None:
        self.settings = settings
        self._database = database
        self.enqueue = enqueue
        self.clock = clock
        self.postman = Postman(
            render=render, mail_from=settings.mail_from, base_url=settings.base_url
        )

    @property
    def database(self) -> Database:
        if self._database is None:
            vault = Vault(self.settings.encryption_keys, self.settings.hash_key)
            self._database = Database(make_engine(self.settings.database_url), vault)
        return self._database

    def wake_delivery_for(self, reference: str) -> None:
        """After a commit: wake a worker for each pending mail of the case."""
        from workflow.outbox import pending_ids_of_case

        with self.database.session() as session:
            ids = pending_ids_of_case(session, reference)
        for outbox_id in ids:
            self.enqueue_quietly("vertrouwd.deliver_mail", outbox_id)

    def enqueue_quietly(self, task: str, *args: object) -> None:
        """Wake a worker; if the broker is down the sweep finds the row later."""
        try:
            self.enqueue(task, args)
        except Exception:  # any broker failure: the database row is the truth
            log.warning("could not enqueue %s; the sweep will pick it up", task)


def services() -> Services:
    """The running app's services (inside a request)."""
    found: Services = current_app.extensions["vertrouwd"]
    return found


def _register(app: Flask, settings: Settings, limiter: Limiter) -> None:
    from forms import (
        advisor_pages,
        choose,
        client_pages,
        client_rights,
        dev,
        pages,
        public,
        security,
        staff_admin,
        staff_audit,
        staff_cases,
        staff_inbox,
        staff_reports,
        staff_requests,
        staff_session,
        staff_sign_in,
        staff_triage,
    )

    security.install(app, settings)
    public.install(app, limiter, settings.form_rate_limit)
    pages.install(app)
    choose.install(app)
    client_pages.install(app)
    client_rights.install(app)
    advisor_pages.install(app)
    staff_session.install(app)
    staff_sign_in.install(app)
    staff_cases.install(app)
    staff_triage.install(app)
    staff_inbox.install(app)
    staff_admin.install(app)
    staff_audit.install(app)
    staff_reports.install(app)
    staff_requests.install(app)
    if settings.has_mail_catcher:
        dev.install(app)


def _choose_language() -> None:
    g.language = pick_language(request.args.get("lang"))


def in_language(language: str) -> str:
    """This page in another language: the same path and query (filters, choices), new lang."""
    query = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    return f"{request.path}?{urlencode([*query, ('lang', language)])}"

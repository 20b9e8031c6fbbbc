"""The coordinator's pages of the clients' requests to erase their data (AVG art. 17).

Only coordinators get these pages (others get 404), and only the requests of the
organisations they coordinate. The list puts what is due first on top (the overdue lead);
one request shows its dates and two forms: grant (a tick, because it cannot be undone) and
refuse (a reason, which the client reads). Every view and decision is audited; the rules
are workflow.rights. The structure follows forms.staff_triage.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, flash, g, render_template
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from forms import services
from forms.advisor_pages import define_forms, form_class
from forms.i18n import words
from forms.staff_actions import audit_and_commit, back, invalid, run
from forms.staff_session import audit_now, role_required, signed_in
from mailtemplates import long_date, long_datetime
from workflow import rights, states
from workflow.desk import Desk
from workflow.models import Advisor, Case, DataRequest, Organisation
from workflow.outbox import written_mails

define_forms({
    "erasure_grant": (("confirm", "must_tick"),),
    "erasure_refuse": (("reason", "area"),),
})  # fmt: skip
DECISIONS = ("grant", "refuse")  # in the address: /medewerkers/verzoeken/<id>/grant
coordinator_only = role_required("coordinator")


def install(app: Flask) -> None:
    """Add the routes."""
    app.add_url_rule("/medewerkers/verzoeken", "staff_requests", coordinator_only(list_page))
    app.add_url_rule("/medewerkers/verzoeken/<int:request_id>", "staff_request",
                     coordinator_only(request_page))  # fmt: skip
    app.add_url_rule("/medewerkers/verzoeken/<int:request_id>/<decision>", "staff_request_decide",
                     coordinator_only(decide), methods=["POST"])  # fmt: skip


def time_left(t: dict[str, str], days: int) -> str:
    """How long is left, in words: "nog 3 dagen", "vandaag", "2 dagen te laat"."""
    if days < 0:
        return t["requests_overdue_one"] if days == -1 else t["requests_overdue"].format(days=-days)
    if days <= 1:
        return t["requests_left_today" if days == 0 else "requests_left_one"]
    return t["requests_left"].format(days=days)


# --- the list ---------------------------------------------------------------------------------


def list_page() -> str:
    with services().database.session() as db:
        staff = signed_in(db)
        waiting, settled = rights.requests_for(db, staff)
        zones = {organisation.id: organisation.timezone for organisation in staff.organisations}
        now, t = services().clock(), words(g.language)
        left = {r.id: rights.days_left(r, now, zones[r.organisation_id]) for r in waiting}
        page = render_template(
            "staff_requests.html", t=t, waiting=waiting, settled=settled, left=left,
            left_words={r_id: time_left(t, days) for r_id, days in left.items()},
            long_date=long_date,
        )  # fmt: skip
    audit_now(staff, "list_requests")
    return page


# --- one request ------------------------------------------------------------------------------


def _data_request(db: Session, staff: Advisor, request_id: int) -> DataRequest:
    """The request, if this coordinator coordinates its organisation; else 404."""
    return rights.request_for(db, staff, request_id) or abort(404)


def request_page(request_id: int) -> str:
    with services().database.session() as db:
        staff = signed_in(db)
        found = _data_request(db, staff, request_id)
        page = _render(db, found, {})
        reference = found.case_reference
    audit_now(staff, "view_request", reference, detail=f"request {request_id}")
    return page


def _render(db: Session, found: DataRequest, bound: dict[str, FlaskForm]) -> str:
    language, t = g.language, words(g.language)
    organisation = db.get_one(Organisation, found.organisation_id)
    case = db.get(Case, found.case_id) if found.case_id is not None else None
    forms = {}
    if found.status == rights.OPEN:
        forms = {key: bound.get(key) or form_class(language, f"erasure_{key}")(prefix=key)
                 for key in DECISIONS}  # fmt: skip
    days = rights.days_left(found, services().clock(), organisation.timezone)
    return render_template(
        "staff_request.html", t=t, found=found, organisation=organisation.name, forms=forms,
        has_case=case is not None and case.state != states.ANONYMISED,
        reason=rights.reason_of(services().database.vault, found),
        left=time_left(t, days) if found.status == rights.OPEN else None, is_overdue=days < 0,
        invalid=next((form for form in bound.values() if form.errors), None),
        long_date=long_date, long_datetime=long_datetime,
    )  # fmt: skip


def decide(request_id: int, decision: str) -> tuple[str, int] | Response:
    """Validate the form, settle, audit, commit, wake delivery of the mails, go back (303)."""
    svc = services()
    if decision not in DECISIONS:
        abort(404)
    with svc.database.unit_of_work() as uow:
        staff = signed_in(uow.session)
        found = _data_request(uow.session, staff, request_id)
        reference, detail = found.case_reference, f"request {request_id}"
        form = form_class(g.language, f"erasure_{decision}")(prefix=decision)
        if not form.validate_on_submit():
            again = lambda: _render(uow.session, found, {decision: form})  # noqa: E731
            return invalid(uow, staff, f"{decision}_erasure", reference, again, detail)
        category, said = run(
            uow, lambda desk: _settle(desk, found, staff, decision, form), "request_not_now"
        )
        audit_and_commit(uow, staff, f"{decision}_erasure", reference, category, detail)
        mail_ids = [mail.id for mail in written_mails(uow.session)] if category == "done" else []
    for mail_id in mail_ids:  # the granted mail belongs to no case: wake it by its id
        svc.enqueue_quietly("vertrouwd.deliver_mail", mail_id)
    flash(said, category)
    return back("staff_request", request_id=request_id)


def _settle(desk: Desk, found: DataRequest, staff: Advisor, decision: str, form: Any) -> str:
    is_grant = decision == "grant"
    reason = "" if is_grant else form.reason.data
    rights.settle(desk, found, staff, grant=is_grant, reason=reason)
    return f"erasure_{decision}_done"

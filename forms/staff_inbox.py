"""The coordinator's pages for mail the pipeline set aside: quarantined and machine mail.

Who may see which item is workflow.quarantine: an item someone may not see answers 404, by
every route. A GET writes nothing but its audit entry; each decision is a POST with a CSRF
token, audited in the same transaction, and goes back to the lists (303) with a message.

The mail is shown as text only: decoded headers, the parsed text (HTML converted to text by
the parser), attachments by name, type and size. Jinja escapes all of it; no part of a mail
ever becomes markup, a link, an image or a frame, so nothing remote is ever loaded.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, abort, flash, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as BaseResponse

from forms import services
from forms.i18n import words
from forms.staff_session import audit_now, role_required, signed_in
from mailtemplates import long_datetime
from workflow import access, quarantine
from workflow.models import Advisor
from workflow.quarantine import Item

AUDIT_OF = {"requeue": "requeue_inbound", "dismiss": "dismiss_inbound",
            "treat_as_person": "treat_as_person"}  # fmt: skip
REPROCESSED = frozenset({"requeue", "treat_as_person"})  # these wake a worker

# The reason of an item in plain words: the first rule that holds gives the key.
MACHINE_REASONS = {
    "bounce": "inbox_reason_bounce",
    "auto-reply": "inbox_reason_auto_reply",
    "list-mail": "inbox_reason_list",
    "from-ourselves": "inbox_reason_ourselves",
}
REASONS: tuple[tuple[Callable[[Item], bool], Callable[[Item], str]], ...] = (
    (lambda item: item.outcome in quarantine.MACHINE_OUTCOMES,
     lambda item: MACHINE_REASONS.get(item.reason or "", "inbox_reason_machine")),
    (lambda item: (item.reason or "").startswith("unreadable mail"),
     lambda item: "inbox_reason_unreadable"),
    (lambda item: (item.reason or "").startswith("gave up after"),
     lambda item: "inbox_reason_gave_up"),
    (lambda item: True, lambda item: "inbox_reason_failed"),
)  # fmt: skip


class DecisionForm(FlaskForm):
    """Only the CSRF token: the button is the decision."""


def install(app: Flask) -> None:
    """Add the routes."""
    coordinator = role_required("coordinator")
    app.add_url_rule("/medewerkers/post", "staff_quarantine", coordinator(lists_page))
    app.add_url_rule("/medewerkers/post/<int:inbound_id>", "staff_inbound",
                     coordinator(item_page))  # fmt: skip
    app.add_url_rule("/medewerkers/post/<int:inbound_id>/<decision>", "staff_inbound_act",
                     coordinator(item_act), methods=["POST"])  # fmt: skip


def reason_words(item: Item, language: str) -> str:
    key = next(key(item) for holds, key in REASONS if holds(item))
    return words(language)[key]


def size_words(size: int, language: str) -> str:
    """Bytes, kB or MB, with a decimal comma in Dutch."""
    t = words(language)
    if size < 1024:
        return t["inbox_size_bytes"].format(size=size)
    value, key = size / 1024, "inbox_size_kb"
    if value >= 1024:
        value, key = value / 1024, "inbox_size_mb"
    shown = f"{value:.1f}"
    return t[key].format(size=shown.replace(".", ",") if language == "nl" else shown)


def _find(db: Session, staff: Advisor, inbound_id: int) -> Item:
    default = services().settings.inbox_default_organisation
    return quarantine.find(db, staff, inbound_id, default) or abort(404)


def _helpers() -> dict[str, object]:
    language = g.language
    return {
        "t": words(language),
        "reason": lambda item: reason_words(item, language),
        "size": lambda size: size_words(size, language),
        "long_datetime": long_datetime,
    }


# --- the lists and one item ------------------------------------------------------------


def lists_page() -> str:
    """Quarantined and machine mail, newest first; `?show=dismissed` the dismissed instead."""
    svc = services()
    is_dismissed = request.args.get("show") == "dismissed"
    kinds = ("dismissed",) if is_dismissed else ("quarantined", "machine")
    with svc.database.session() as db:
        staff = signed_in(db)
        found = quarantine.listing(db, staff, svc.settings.inbox_default_organisation, kinds)
        page = render_template("staff_inbox.html", listing=found, kinds=kinds,
                               is_dismissed=is_dismissed, **_helpers())  # fmt: skip
    audit_now(staff, "list_inbound", None, detail="dismissed" if is_dismissed else "")
    return page


def item_page(inbound_id: int) -> str:
    """One item with its reason and its sanitised content, and the decisions it allows."""
    database = services().database
    with database.session() as db:
        staff = signed_in(db)
        item = _find(db, staff, inbound_id)
        content = quarantine.content_of(db, database.vault, item.id)
        forms = [(key, DecisionForm(prefix=key)) for key in item.decisions]
        page = render_template("staff_inbox_item.html", item=item, content=content,
                               forms=forms, **_helpers())  # fmt: skip
    audit_now(staff, "view_inbound", item.reference, detail=f"mail {item.id}")
    return page


# --- the decisions ---------------------------------------------------------------------


def item_act(inbound_id: int, decision: str) -> BaseResponse:
    """Apply one decision, audit it in the same transaction, and go back to the lists (303)."""
    svc = services()
    with svc.database.unit_of_work() as uow:
        staff = signed_in(uow.session)
        item = _find(uow.session, staff, inbound_id)
        if decision not in quarantine.DECISIONS:
            abort(404)
        if not DecisionForm(prefix=decision).validate_on_submit():
            abort(400)  # CSRFProtect refuses a missing token first; this is the form's own check
        now = svc.clock()
        is_done = quarantine.decide(uow.session, item.id, decision, now)
        detail = f"mail {item.id}" if is_done else f"mail {item.id} refused"
        access.audit(uow.session, staff, AUDIT_OF[decision], now, reference=item.reference,
                     detail=detail)  # fmt: skip
        uow.commit()
    if is_done and decision in REPROCESSED:
        svc.enqueue_quietly("vertrouwd.process_mail", item.id)
    if is_done:
        flash(f"inbox_{decision}_done", "done")
    else:
        flash("inbox_refused", "refused")
    return redirect(url_for("staff_quarantine", lang=request.args.get("lang")), 303)

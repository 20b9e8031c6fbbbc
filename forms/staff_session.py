"""The signed-in staff member: who, since when, and whether the second factor was given.

The Flask session (signed cookie; HttpOnly, SameSite, Secure outside development) holds
only ids and times. A session idle for 30 minutes ends; signing in starts a new session,
so nothing from before (a dossier, a half sign-in) carries over.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, Response, abort, current_app, g, redirect, request, session, url_for
from sqlalchemy.orm import Session

from forms import services
from workflow import access, staff_auth
from workflow.assignment import staff_language
from workflow.models import Advisor

STAFF_HOME = "/medewerkers"  # every staff page lives under it
IDLE_LIMIT = timedelta(minutes=30)
STAFF = "staff"  # the session key: {"id": ..., "seen": epoch seconds, "second_factor": bool}
PENDING = "staff_pending"  # a first factor given, the second not yet: {"id", "at", "factors"}

F = TypeVar("F", bound=Callable[..., Any])


def begin(advisor: Advisor, *, second_factor: bool) -> None:
    """A fresh session for this staff member (renewed at sign-in)."""
    session.clear()
    session[STAFF] = {
        "id": advisor.id,
        "seen": services().clock().timestamp(),
        "second_factor": second_factor,
    }
    session.permanent = False


def begin_pending(advisor: Advisor, factor: str) -> frozenset[str]:
    """A first factor ("password" or "link") was right; the second is still to come.

    Another first factor of the same person in the same browser adds to what was given
    (enrolling the second factor needs both); anyone else starts a fresh session.
    Returns the first factors given so far.
    """
    held = session.get(PENDING)
    same = isinstance(held, dict) and held.get("id") == advisor.id
    given = set(held.get("factors", ())) if same and pending_staff_id() == advisor.id else set()
    session.clear()
    given.add(factor)
    session[PENDING] = {"id": advisor.id, "at": services().clock().timestamp(),
                        "factors": sorted(given)}  # fmt: skip
    return frozenset(given)


def pending_factors() -> frozenset[str]:
    held = session.get(PENDING)
    return frozenset(held.get("factors", ())) if isinstance(held, dict) else frozenset()


def pending_staff_id() -> int | None:
    """The id of who is between the factors, for at most the idle limit."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    if services().clock().timestamp() - float(pending.get("at", 0)) > IDLE_LIMIT.total_seconds():
        session.pop(PENDING, None)
        return None
    found = pending.get("id")
    return found if isinstance(found, int) else None


def pending_staff(db: Session) -> Advisor | None:
    """Who is between the first and the second factor, for at most the idle limit."""
    found = pending_staff_id()
    advisor = db.get(Advisor, found) if found is not None else None
    return advisor if advisor is not None and advisor.is_active else None


def end() -> None:
    session.clear()


def current_staff(db: Session) -> Advisor | None:
    """The signed-in, active staff member whose session has not been idle too long."""
    held = session.get(STAFF)
    if not isinstance(held, dict):
        return None
    now = services().clock().timestamp()
    if now - float(held.get("seen", 0)) > IDLE_LIMIT.total_seconds():
        session.clear()
        return None
    advisor = db.get(Advisor, held.get("id"))
    if advisor is None or not advisor.is_active:
        session.clear()
        return None
    if staff_auth.needs_second_factor(advisor) and not held.get("second_factor"):
        return None
    session[STAFF] = {**held, "seen": now}
    return advisor


def staff_required(view: F) -> F:
    """Any signed-in staff member (each page still checks what they may see)."""
    return _guarded(view, roles=None)


def role_required(*roles: str) -> Callable[[F], F]:
    """Only these roles; anyone else signed in gets 404, as if the page did not exist."""

    def decorate(view: F) -> F:
        return _guarded(view, roles=frozenset(roles))

    return decorate


def _guarded(view: F, roles: frozenset[str] | None) -> F:
    """Send someone who is not signed in to the sign-in page (and back afterwards)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with services().database.session() as db:
            staff = current_staff(db)
            role = staff.role if staff is not None else None
        if role is None:
            if request.method not in ("GET", "HEAD"):
                abort(403)
            back = request.full_path.rstrip("?")  # the language choice comes back too
            return redirect(url_for("staff_sign_in", next=back), 303)
        if roles is not None and role not in roles:
            abort(404)
        g.staff_role = role
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


# --- what every staff page uses ------------------------------------------------------------


def signed_in(db: Session) -> Advisor:
    """The staff member of this request (behind staff_required), speaking their language."""
    staff = current_staff(db)
    if staff is None:  # signed out between the decorator's check and now
        abort(403)
    speak_to(staff)
    g.staff_role = staff.role
    return staff


def speak_to(advisor: Advisor) -> None:
    """Staff pages speak the staff member's language unless the address asks for another."""
    if "lang" not in request.args:
        g.language = staff_language(advisor)


def audit_now(staff: Advisor, action: str, reference: str | None = None, detail: str = "") -> None:
    """One audit entry in its own transaction: who, when, what; never content."""
    svc = services()
    with svc.database.unit_of_work() as uow:
        access.audit(uow.session, staff, action, svc.clock(), reference=reference, detail=detail)
        uow.commit()


# The menu of the staff pages, per role: (endpoint, words key). Pages not installed are left
# out, so the menu never links to a page that does not exist.
MENU: dict[str, tuple[tuple[str, str], ...]] = {
    "vertrouwenspersoon": (("staff_home", "menu_cases"), ("staff_enrol", "menu_second_factor")),
    "chair": (("staff_home", "menu_cases"), ("staff_enrol", "menu_second_factor")),
    "coordinator": (
        ("staff_home", "menu_cases"), ("staff_triage", "menu_triage"),
        ("staff_quarantine", "menu_quarantine"), ("staff_signals", "menu_signals"),
        ("staff_requests", "menu_requests"), ("staff_reports", "menu_reports"),
        ("staff_enrol", "menu_second_factor"),
    ),
    "admin": (
        ("staff_organisations", "menu_organisations"), ("staff_advisors", "menu_advisors"),
        ("staff_audit", "menu_audit"), ("staff_enrol", "menu_second_factor"),
    ),
}  # fmt: skip


def staff_menu() -> list[tuple[str, str]]:
    """The menu for the signed-in role of this request (set by the guard)."""
    role = getattr(g, "staff_role", None)
    return [item for item in MENU.get(role or "", ()) if item[0] in current_app.view_functions]


def install(app: Flask) -> None:
    """The menu for the templates; no staff page is ever kept by a browser or a proxy."""
    app.add_template_global(staff_menu)

    @app.after_request
    def no_store(response: Response) -> Response:
        if request.path == STAFF_HOME or request.path.startswith(STAFF_HOME + "/"):
            response.headers["Cache-Control"] = "no-store"
        return response

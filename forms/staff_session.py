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

from flask import abort, redirect, request, session, url_for
from sqlalchemy.orm import Session

from forms import services
from workflow import staff_auth
from workflow.models import Advisor

IDLE_LIMIT = timedelta(minutes=30)
STAFF = "staff"  # the session key: {"id": ..., "seen": epoch seconds, "second_factor": bool}
PENDING = "staff_pending"  # password or link given, second factor not yet: {"id", "at"}

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


def begin_pending(advisor: Advisor) -> None:
    """The first factor was right; the second is still to come (or to be enrolled)."""
    session.clear()
    session[PENDING] = {"id": advisor.id, "at": services().clock().timestamp()}


def pending_staff(db: Session) -> Advisor | None:
    """Who is between the first and the second factor, for at most the idle limit."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    if services().clock().timestamp() - float(pending.get("at", 0)) > IDLE_LIMIT.total_seconds():
        session.pop(PENDING, None)
        return None
    advisor = db.get(Advisor, pending.get("id"))
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
    """Send someone who is not signed in to the sign-in page (and back afterwards)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with services().database.session() as db:
            signed_in = current_staff(db) is not None
        if not signed_in:
            if request.method not in ("GET", "HEAD"):
                abort(403)
            back = request.full_path.rstrip("?")  # the language choice comes back too
            return redirect(url_for("staff_sign_in", next=back), 303)
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]

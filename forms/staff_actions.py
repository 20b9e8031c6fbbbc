"""How a staff page runs a command: in one transaction with its audit entry, or not at all.

The coordinator's pages (triage, signals, the clients' requests) share it: a command runs on
the desk and answers with the word to show; a refusal (the case moved on, a rule says no)
rolls everything back but the audit entry; an invalid form is shown again with 400, and
that attempt is on the audit log too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import redirect, request, url_for
from werkzeug.wrappers import Response

from forms import services
from forms.advisor_pages import desk_for
from workflow import access
from workflow.db import UnitOfWork
from workflow.desk import Desk, NotAllowed
from workflow.models import Advisor


class Refused(Exception):
    """A command that may not run now, with the word that says why."""

    def __init__(self, said: str) -> None:
        super().__init__(said)
        self.said = said


def run(uow: UnitOfWork, command: Callable[[Desk], str], not_now: str) -> tuple[str, str]:
    """("done", its word) or ("refused", why); a refused command leaves nothing behind."""
    try:
        return "done", command(desk_for(uow))
    except Refused as refused:
        uow.session.rollback()
        return "refused", refused.said
    except NotAllowed:
        uow.session.rollback()
        return "refused", not_now


def audit_and_commit(uow: UnitOfWork, staff: Advisor, action: str, reference: str | None,
                     category: str, detail: str = "") -> None:  # fmt: skip
    """The audit entry in the command's own transaction, then commit both."""
    said = f"{detail} refused".strip() if category == "refused" else detail
    access.audit(uow.session, staff, action, services().clock(), reference=reference,
                 detail=said)  # fmt: skip
    uow.commit()


def invalid(uow: UnitOfWork, staff: Advisor, action: str, reference: str | None,
            render: Callable[[], str], detail: str = "") -> tuple[str, int]:  # fmt: skip
    """The form again, with its errors (400); the attempt is audited."""
    page = render()
    access.audit(uow.session, staff, action, services().clock(), reference=reference,
                 detail=f"{detail} invalid".strip())  # fmt: skip
    uow.commit()
    return page, 400


def back(endpoint: str, **values: Any) -> Response:
    """303 to a staff page, in the language asked for."""
    return redirect(url_for(endpoint, lang=request.args.get("lang"), **values), 303)

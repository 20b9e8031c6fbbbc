"""The client says what their mail is about and whom they want, by a link from the mail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from workflow import states, tokens
from workflow.assignment import assign
from workflow.cases import record
from workflow.db import UnitOfWork
from workflow.models import Case
from workflow.outbox import Postman
from workflow.routing import GENDER_WISHES, KINDS
from workflow.sides import excluded_for_sides


@dataclass(frozen=True)
class ChoiceMade:
    reference: str
    state: str


def case_to_choose(uow: UnitOfWork, token: str, now: datetime) -> Case | None:
    """The case behind a valid, unused choice link (GET shows the page, nothing changes)."""
    row = tokens.find_valid(uow.session, uow.vault, token, "choose", now)
    return None if row is None else uow.session.get(Case, row.case_id)


def apply_choice(
    uow: UnitOfWork, postman: Postman, token: str, kind: str, preferred_gender: str, now: datetime
) -> ChoiceMade | None:
    """Record the client's choice (single use) and route the case if it still waits for it.

    A wish that the current advisor does not meet moves the case to one who does: the wish is
    a hard constraint, also when it comes later.
    """
    if kind not in KINDS or preferred_gender not in GENDER_WISHES:
        raise ValueError("unknown kind or wish")
    row = tokens.find_valid(uow.session, uow.vault, token, "choose", now)
    if row is None:
        return None
    row.used_at = now
    case = uow.session.get_one(Case, row.case_id)
    case.kind, case.preferred_gender = kind, preferred_gender
    record(uow.session, case, "client_chose", now, actor="client",
           detail=f"kind {kind}, wish {preferred_gender}")  # fmt: skip
    if _needs_routing(case):
        assign(uow.session, uow.vault, postman, case, now,
               excluded=excluded_for_sides(uow.session, case, now))  # fmt: skip
    uow.commit()
    return ChoiceMade(case.reference, case.state)


def _needs_routing(case: Case) -> bool:
    if case.state == states.NEEDS_TRIAGE:
        return True
    wish_broken = (
        case.advisor is not None
        and case.preferred_gender in ("female", "male")
        and (case.advisor.gender != case.preferred_gender)
    )
    return case.state == states.ASSIGNED and wish_broken

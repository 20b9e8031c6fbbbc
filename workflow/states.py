"""The case lifecycle: one transitions table and the one function that applies it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


class InvalidTransition(Exception):
    """The action is not allowed from the case's current state."""

    def __init__(self, action: str, state: str) -> None:
        super().__init__(f"cannot {action} a case that is {state}")
        self.action = action
        self.state = state


RECEIVED = "received"
TRIAGE = "triage"
NEEDS_TRIAGE = "needs_triage"
ASSIGNED = "assigned"
ACCEPTED = "accepted"
IN_PROGRESS = "in_progress"
CONSENT_PENDING = "consent_pending"
CLOSING = "closing"
CLOSED = "closed"
ANONYMISED = "anonymised"
REFERRED = "referred"
WITHDRAWN = "withdrawn"
NOT_A_CASE = "not_a_case"

STATES = (
    RECEIVED,
    TRIAGE,
    NEEDS_TRIAGE,
    ASSIGNED,
    ACCEPTED,
    IN_PROGRESS,
    CONSENT_PENDING,
    CLOSING,
    CLOSED,
    ANONYMISED,
    REFERRED,
    WITHDRAWN,
    NOT_A_CASE,
)
OPEN_STATES = frozenset(
    {RECEIVED, TRIAGE, NEEDS_TRIAGE, ASSIGNED, ACCEPTED, IN_PROGRESS, CONSENT_PENDING, CLOSING}
)
_ACTIVE = frozenset({TRIAGE, NEEDS_TRIAGE, ASSIGNED, ACCEPTED, IN_PROGRESS, CONSENT_PENDING})


@dataclass(frozen=True)
class Transition:
    """An action, the states it may start from, and the state it leads to."""

    action: str
    sources: frozenset[str]
    target: str


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("start_triage", frozenset({RECEIVED}), TRIAGE),
        Transition("request_triage", frozenset({RECEIVED, TRIAGE, ASSIGNED}), NEEDS_TRIAGE),
        Transition("assign", frozenset({TRIAGE, NEEDS_TRIAGE, ASSIGNED}), ASSIGNED),
        Transition("decline", frozenset({ASSIGNED}), TRIAGE),
        Transition("unanswered", frozenset({ASSIGNED}), TRIAGE),
        Transition("accept", frozenset({ASSIGNED}), ACCEPTED),
        Transition("start_work", frozenset({ACCEPTED}), IN_PROGRESS),
        Transition("ask_consent", frozenset({IN_PROGRESS, CONSENT_PENDING}), CONSENT_PENDING),
        Transition("consent_answered", frozenset({CONSENT_PENDING}), IN_PROGRESS),
        Transition("begin_closing", frozenset({ACCEPTED, IN_PROGRESS, CONSENT_PENDING}), CLOSING),
        Transition("close", frozenset({CLOSING}), CLOSED),
        Transition("reopen", frozenset({CLOSING, CLOSED}), IN_PROGRESS),
        Transition("anonymise", frozenset({CLOSED, WITHDRAWN, NOT_A_CASE, REFERRED}), ANONYMISED),
        Transition("refer", _ACTIVE, REFERRED),
        Transition("withdraw", _ACTIVE | {RECEIVED, CLOSING}, WITHDRAWN),
        Transition("dismiss", frozenset({RECEIVED, TRIAGE, NEEDS_TRIAGE}), NOT_A_CASE),
    )
}


class HasState(Protocol):
    state: str


@dataclass(frozen=True)
class StateChange:
    """What `apply` did, for the caller to record on the timeline."""

    action: str
    from_state: str
    to_state: str
    at: datetime


def allowed_actions(state: str) -> tuple[str, ...]:
    return tuple(t.action for t in TRANSITIONS.values() if state in t.sources)


def apply(case: HasState, action: str, now: datetime) -> StateChange:
    """Move `case` by `action`, or raise InvalidTransition and leave it as it was."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise InvalidTransition(action, case.state)
    if case.state not in transition.sources:
        raise InvalidTransition(action, case.state)
    change = StateChange(action, case.state, transition.target, now)
    case.state = transition.target
    return change

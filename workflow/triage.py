"""The coordinator's work: cases the system was unsure about, reassigning, and signals.

A case lands in triage when routing found nobody (no advisor with the role, nobody who
meets the gender wish, a kind it could not tell) or while the client has not yet said
what it is about. The coordinator sees the system's guesses and how sure it was, sets the
kind and the wish, and assigns: to the lightest-loaded eligible advisor, or to one they
pick. The same rules hold as for routing (ARCHITECTURE rules 1 and 2): the role the
organisation set for the kind, a stated gender wish is never broken, and an advisor who
declined, did not answer, is on leave or supports the other side is never offered.

Signals (several cases naming one person) are decided by a coordinator; the decision is
kept sealed, and each case's timeline says that it was decided, not what.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow import access, reminders, states, tokens
from workflow.assignment import candidates_for, hand_to, rules_of, send_to_triage
from workflow.cases import record, transition
from workflow.crypto import Vault
from workflow.desk import Desk, NotAllowed, actor_of, tell_client
from workflow.models import Advisor, Case, Message, Signal
from workflow.routing import GENDER_WISHES, GENDERS, KINDS, Candidate, choose_advisor
from workflow.sides import SIGNAL_OPEN, excluded_for_sides, exclusions_of, side_conflicts
from workflow.vocabulary import NOT_A_CASE_REASONS, SIGNAL_DECISIONS

TRIAGE_STATES = frozenset({states.TRIAGE, states.NEEDS_TRIAGE})
REASSIGNABLE = TRIAGE_STATES | {states.ASSIGNED}  # before an advisor took it on
ASSIGNMENT_REMINDERS = ("assignment_reminder", "assignment_escalation")
SIGNAL_DECIDED = "decided"


# --- what the system guessed ---------------------------------------------------------------


@dataclass(frozen=True)
class Guess:
    """One guess of the classifier and how sure it was (0..1); the rule's name, no text."""

    value: str
    confidence: float | None
    reason: str = ""


@dataclass(frozen=True)
class Guesses:
    kind: Guess | None
    preferred_gender: Guess | None
    language: Guess | None
    organisation_sure: bool | None
    urgent: tuple[str, ...]


def guesses_of(case: Case) -> Guesses:
    """The guesses stored at intake (cases from the web form have none: the client chose)."""
    try:
        stored = json.loads(case.classification or "{}")
    except ValueError:
        stored = {}
    if not isinstance(stored, dict):
        stored = {}

    def guess(name: str) -> Guess | None:
        found = stored.get(name)
        if not isinstance(found, list) or not found:
            return None
        confidence = found[1] if len(found) > 1 and isinstance(found[1], int | float) else None
        return Guess(str(found[0]), confidence, str(found[2]) if len(found) > 2 else "")

    sure = stored.get("organisation_sure")
    urgent = stored.get("urgent")
    return Guesses(
        guess("kind"), guess("preferred_gender"), guess("language"),
        sure if isinstance(sure, bool) else None,
        tuple(str(r) for r in urgent) if isinstance(urgent, list) else (),
    )  # fmt: skip


def why_in_triage(case: Case) -> str:
    """Why the case waits: the routing reason, or that the client has not chosen yet."""
    if case.state == states.TRIAGE:
        return "waiting_for_client"
    asked = [event for event in case.events if event.name == "request_triage"]
    return asked[-1].detail if asked else "unclassified"


# --- the queue and the advisors on offer ---------------------------------------------------


def queue(session: Session, coordinator: Advisor) -> list[Case]:
    """The coordinator's cases that wait for triage: urgent first, then the oldest."""
    if coordinator.role != "coordinator":
        return []
    waiting = [
        case for case in access.cases_of(session, coordinator) if case.state in TRIAGE_STATES
    ]
    return sorted(waiting, key=lambda case: (not case.is_urgent, case.created_at, case.id))


@dataclass(frozen=True)
class Offer:
    """An advisor of the organisation and whether they may get this case (and if not, why)."""

    advisor: Advisor
    open_cases: int
    why_not: str | None  # wrong_role | wish | away | excluded | other_side | current

    @property
    def is_eligible(self) -> bool:
        return self.why_not is None


def offers(session: Session, case: Case, now: datetime) -> list[Offer]:
    """Every handling advisor of the organisation, eligible ones first (read only)."""
    role = rules_of(case.organisation).role_for(case.kind)
    excluded = exclusions_of(session, case)
    other_side = {c.advisor_id for c in side_conflicts(session, case) if c.advisor_id}
    found = []
    for candidate in candidates_for(session, case.organisation, now):
        advisor = session.get_one(Advisor, candidate.advisor_id)
        if candidate.role not in ("vertrouwenspersoon", "chair") or not advisor.is_active:
            continue
        why = _why_not(case, candidate, role, excluded, other_side)
        found.append(Offer(advisor, candidate.open_cases, why))
    return sorted(found, key=lambda o: (not o.is_eligible, o.open_cases, o.advisor.name))


def _why_not(
    case: Case, candidate: Candidate, role: str | None, excluded: frozenset[int], side: set[int]
) -> str | None:
    wish = case.preferred_gender
    rules = (
        ("current", candidate.advisor_id == case.advisor_id),
        ("other_side", candidate.advisor_id in side),
        ("excluded", candidate.advisor_id in excluded),
        ("wrong_role", candidate.role != role),
        ("wish", wish in GENDERS and candidate.gender != wish),
        ("away", not candidate.is_active),  # routing's word for "on leave today"
    )
    return next((name for name, holds in rules if holds), None)


# --- the coordinator's commands -------------------------------------------------------------


def set_kind_and_wish(desk: Desk, case: Case, coordinator: Advisor, kind: str, wish: str) -> None:
    """What it is about and whom the client wants, as the coordinator reads it."""
    _must_triage(case, coordinator, REASSIGNABLE)
    if kind not in KINDS or wish not in GENDER_WISHES:
        raise NotAllowed("unknown kind or wish")
    case.kind, case.preferred_gender = kind, wish
    record(desk.session, case, "triaged", desk.now, actor=actor_of(coordinator),
           detail=f"kind {kind}, wish {wish}")  # fmt: skip


def assign_to(desk: Desk, case: Case, coordinator: Advisor, advisor_id: int | None) -> bool:
    """Assign to the chosen advisor, or (None) to whoever routing picks; True if assigned.

    A case already assigned and not yet answered moves to the new advisor: the first one's
    links stop working and their reminders end; they are not excluded (it was not their no).
    """
    _must_triage(case, coordinator, REASSIGNABLE)
    if case.kind not in ("complaint", "conduct", "question"):
        raise NotAllowed("set what the case is about first")
    session, now = desk.session, desk.now
    excluded = excluded_for_sides(session, case, now)
    previous = case.advisor if case.state == states.ASSIGNED else None
    if advisor_id is not None:
        chosen = next((o for o in offers(session, case, now) if o.advisor.id == advisor_id), None)
        if chosen is None or not chosen.is_eligible:
            raise NotAllowed("this advisor may not get this case")
    if previous is not None:
        tokens.spend_all(session, case, "task", now, advisor_id=previous.id)
        reminders.cancel(session, case, ASSIGNMENT_REMINDERS, now)
        excluded |= {previous.id}  # routing picks someone else
        case.advisor = None
    record(session, case, "coordinator_assigns", now, actor=actor_of(coordinator),
           detail="chosen advisor" if advisor_id is not None else "by routing")  # fmt: skip
    if advisor_id is None:
        organisation = case.organisation
        decision = choose_advisor(rules_of(organisation), case.kind, case.preferred_gender,
                                  candidates_for(session, organisation, now), excluded)  # fmt: skip
        advisor_id = decision.advisor_id
        if advisor_id is None:  # nobody: it waits in triage (again), with the reason
            if case.state == states.ASSIGNED:
                send_to_triage(session, desk.vault, desk.postman, case, decision.reason, now)
            else:
                record(session, case, "routing_found_nobody", now, detail=decision.reason)
            return False
    if case.state == states.TRIAGE:  # the client had not chosen yet: the coordinator did
        tokens.spend_all(session, case, "choose", now)
    hand_to(session, desk.vault, desk.postman, case, session.get_one(Advisor, advisor_id), now)
    return True


def dismiss(desk: Desk, case: Case, coordinator: Advisor, reason: str) -> None:
    """Not a case (spam that got through, meant for someone else, a duplicate)."""
    _must_triage(case, coordinator, TRIAGE_STATES | {states.RECEIVED})
    if reason not in NOT_A_CASE_REASONS:
        raise NotAllowed(f"unknown reason {reason!r}")
    transition(desk.session, case, "dismiss", desk.now, actor=actor_of(coordinator),
               detail=reason)  # fmt: skip
    tokens.spend_all(desk.session, case, "choose", desk.now)
    reminders.cancel(desk.session, case, None, desk.now)


REFERRAL_LIMIT = 1000  # characters: where to go, and how to reach them


def refer(desk: Desk, case: Case, coordinator: Advisor, where: str) -> None:
    """Nobody here can help as the client wants (ARCHITECTURE rule 2): tell them where to go.

    The client's details are not passed on (that would need their consent); the client is
    told where they can turn, in the coordinator's words, and decides for themselves.
    """
    _must_triage(case, coordinator, TRIAGE_STATES)
    where = where.strip()
    if not where or len(where) > REFERRAL_LIMIT:
        raise NotAllowed("say where the client can turn (at most 1000 characters)")
    transition(desk.session, case, "refer", desk.now, actor=actor_of(coordinator),
               detail="referred outside the organisation")  # fmt: skip
    tokens.spend_all(desk.session, case, "choose", desk.now)
    reminders.cancel(desk.session, case, None, desk.now)
    desk.session.add(Message(case_id=case.id, direction="out", author="staff",
                             body_enc=desk.vault.seal(where), created_at=desk.now))  # fmt: skip
    tell_client(desk, case, "referred", where=where)


def _must_triage(case: Case, coordinator: Advisor, allowed: frozenset[str]) -> None:
    if coordinator.role != "coordinator" or not access.can_see(coordinator, case):
        raise NotAllowed("not a coordinator of this case's organisation")
    if case.state not in allowed:
        raise NotAllowed(f"not possible while the case is {case.state}")


# --- signals --------------------------------------------------------------------------------


def signals_of(session: Session, coordinator: Advisor) -> Sequence[Signal]:
    """The signals of the organisations they coordinate: open first, then the newest."""
    ids = [organisation.id for organisation in coordinator.organisations]
    if coordinator.role != "coordinator" or not coordinator.is_active or not ids:
        return []
    statement = select(Signal).where(Signal.organisation_id.in_(ids))
    found = session.scalars(statement).all()
    return sorted(found, key=lambda s: (s.status != SIGNAL_OPEN, -s.raised_at.timestamp(), -s.id))


def signal_for(session: Session, coordinator: Advisor, signal_id: int) -> Signal | None:
    """One signal, or None when it does not exist or is not theirs to see."""
    found = session.get(Signal, signal_id)
    if found is None or found not in signals_of(session, coordinator):
        return None
    return found


def cases_of_signal(session: Session, signal: Signal) -> list[Case]:
    """The organisation's cases that name the same person, oldest first."""
    statement = select(Case).where(
        Case.organisation_id == signal.organisation_id,
        Case.counterpart_hash == signal.counterpart_hash,
    )
    return list(session.scalars(statement.order_by(Case.created_at, Case.id)))


@dataclass(frozen=True)
class Decision:
    key: str
    note: str


def decide_signal(
    desk: Desk, signal: Signal, coordinator: Advisor, decision: str, note: str
) -> None:
    """Record what was done (sealed); the cases' timelines say only that it was decided."""
    if coordinator.role != "coordinator" or signal not in signals_of(desk.session, coordinator):
        raise NotAllowed("not a coordinator of this signal's organisation")
    if decision not in SIGNAL_DECISIONS:
        raise NotAllowed(f"unknown decision {decision!r}")
    if signal.status != SIGNAL_OPEN:
        raise NotAllowed("this signal was decided before")
    signal.status, signal.decided_at = SIGNAL_DECIDED, desk.now
    signal.decided_by = actor_of(coordinator)
    signal.decision_enc = desk.vault.seal(json.dumps({"decision": decision, "note": note}))
    for case in cases_of_signal(desk.session, signal):
        record(desk.session, case, "signal_decided", desk.now, actor=actor_of(coordinator),
               detail=f"signal {signal.id}: {decision}")  # fmt: skip


def decision_of(vault: Vault, signal: Signal) -> Decision | None:
    """The sealed decision, opened (for the coordinators of the organisation only)."""
    opened = vault.open_optional(signal.decision_enc)
    if opened is None:
        return None
    stored = json.loads(opened)
    return Decision(str(stored.get("decision", "")), str(stored.get("note", "")))

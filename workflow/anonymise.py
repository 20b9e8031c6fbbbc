"""Anonymising one case: every trace of its client deleted, what the reports count kept.

For the retention sweep (workflow.retention) and for an erasure a coordinator granted
(workflow.rights). Deleted, not flagged: the client's person (unless another case still
names them), messages, raw and sent mails, attachments, consents, access tokens, reminders,
the other side's name, role and hash, our classification, timeline details that lead to
the client, and the reasons of the case's requests; signals no case names any more lose
the person. Kept: the case row's categories, dates and state, its timeline's names and
times, evaluations and the counts of signals, and an audit entry saying it happened.

Deleted is deleted: SQLite overwrites deleted content (workflow.db, secure_delete);
PostgreSQL keeps dead tuples until (auto)VACUUM, which the sweep does not run.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import Select, delete, exists, or_, select, update
from sqlalchemy.orm import Session

from workflow import states
from workflow.access import audit
from workflow.cases import transition
from workflow.desk import Desk
from workflow.models import (
    AccessToken,
    Attachment,
    Case,
    Consent,
    DataRequest,
    InboundMail,
    Message,
    OutboxMail,
    Reminder,
    Signal,
)

RETENTION, ERASURE = "retention", "erasure_request"  # why a case was anonymised
# Bulk changes of rows no object in the session stands for (or none that is read after).
QUIET: dict[str, Any] = {"execution_options": {"synchronize_session": False}}
# Timeline details that lead to the client: "advisor of VP-… supports the other side" names
# the case in which this client is the counterpart. Every other detail is our own words.
PERSONAL_DETAILS = frozenset({"other_side_excluded"})


def anonymise(desk: Desk, case: Case, *, reason: str, actor: str = "system") -> None:
    """Delete every trace of the client in `case`, keep what the reports count, and audit it.

    For one case, at once: the sweep's retention, or an erasure a coordinator granted. An
    open case is withdrawn first (an erasure ends it); the caller tells whom it must. A mail
    still waiting to be sent stays until it has gone (then the sweep deletes it).
    """
    session, now = desk.session, desk.now
    if case.state == states.ANONYMISED:
        return
    if case.state in states.OPEN_STATES:
        transition(session, case, "withdraw", now, actor=actor, detail=reason)
    transition(session, case, "anonymise", now, actor=actor, detail=reason)
    case.anonymised_at = now
    counterpart_hash = case.counterpart_hash
    erase(session, select(Case.id).where(Case.id == case.id))
    _forget_person(session, case)
    case.counterpart_name_enc = case.counterpart_role_enc = None
    case.counterpart_hash = case.submission_hash = case.classification = None
    for event in case.events:
        if event.name in PERSONAL_DETAILS:
            event.detail = ""
    session.execute(update(DataRequest).where(DataRequest.case_id == case.id)
                    .values(note_enc=None))  # fmt: skip
    if counterpart_hash is not None:
        session.flush()
        release_signals(session, case.organisation_id, counterpart_hash)
    audit(session, None, "anonymised", now, reference=case.reference, detail=reason)


def erase(session: Session, cases: Select[int]) -> Counter[str]:
    """Delete what was written in these cases and about their clients: deleted, not flagged.

    Run for anonymised cases by every sweep too: mail that reached one later (a reply to an
    old message, an auto-reply) goes as well. Counts: raw mails and sent mails deleted.
    """
    mails = list(session.scalars(select(InboundMail.id).where(or_(
        InboundMail.case_id.in_(cases),
        InboundMail.id.in_(select(Message.inbound_mail_id).where(Message.case_id.in_(cases))),
    ))))  # fmt: skip
    for statement in (
        delete(Attachment).where(or_(Attachment.case_id.in_(cases),
                                     Attachment.inbound_mail_id.in_(mails))),
        delete(Message).where(Message.case_id.in_(cases)),
        # Another case's message from the same raw mail keeps its text, not the raw mail.
        update(Message).where(Message.inbound_mail_id.in_(mails)).values(inbound_mail_id=None),
        delete(Consent).where(Consent.case_id.in_(cases)),
        delete(AccessToken).where(AccessToken.case_id.in_(cases)),
        delete(Reminder).where(Reminder.case_id.in_(cases)),
    ):  # fmt: skip
        session.execute(statement, **QUIET)
    raw = session.execute(delete(InboundMail).where(InboundMail.id.in_(mails)), **QUIET)
    # A mail still to be sent stays until it has gone (the courier holds it meanwhile).
    sent = session.execute(delete(OutboxMail).where(
        OutboxMail.case_id.in_(cases), OutboxMail.status != "pending"), **QUIET)  # fmt: skip
    return Counter({"late_mail_deleted": rowcount(raw), "outbox_deleted": rowcount(sent)})


def _forget_person(session: Session, case: Case) -> None:
    person = case.person
    if person is None:
        return
    case.person = None
    session.flush()
    if not session.scalar(select(exists().where(Case.person_id == person.id))):
        session.delete(person)


def release_signals(
    session: Session, organisation_id: int | None = None, counterpart_hash: str | None = None
) -> int:
    """Signals no case names any more lose the person (hash, decision); the count stays."""
    named = exists().where(Case.organisation_id == Signal.organisation_id,
                           Case.counterpart_hash == Signal.counterpart_hash)  # fmt: skip
    statement = update(Signal).where(Signal.counterpart_hash != "", ~named)
    if organisation_id is not None:
        statement = statement.where(Signal.organisation_id == organisation_id)
    if counterpart_hash is not None:
        statement = statement.where(Signal.counterpart_hash == counterpart_hash)
    result = session.execute(statement.values(counterpart_hash="", decision_enc=None), **QUIET)
    return rowcount(result)


def rowcount(result: object) -> int:
    """How many rows a bulk statement changed (0 when the driver does not say)."""
    return int(getattr(result, "rowcount", 0) or 0)

"""Retention: warn, then anonymise what has ended; shorter terms for set-aside mail.

A case that has ended (closed, withdrawn, not a case, referred) is kept `retention_months`
(per organisation, 12 by default) and then anonymised: every trace of the client is deleted,
not flagged; what the reports count stays (the case row's categories, dates and state, its
timeline's names and times, evaluations, signals). An audit entry says it happened.

Decisions:
- The clock starts when the case ended: `closed_at` for a closed case; for withdrawn, not
  a case and referred, the time of the event that moved it into that state (a bounce or
  machine mail on its timeline later does not restart it); `updated_at` only without one.
- The term ends on the same day of the month (31 January + 1 month: 28 February). 72 hours
  before, the advisor (without an active advisor: the coordinators) is warned, once per
  end. A sweep that comes after the end anonymises at once: the warning is a courtesy,
  the term is the rule.
- Machine mail and quarantined or dismissed mail go after their own terms in days, counted
  from `received_at`: the terms of the case's organisation, or for mail of no case the
  shortest term of all organisations (a sweep does not know the inbox's default one).
- An evaluation's free-text advice goes once its quarter began `retention_months` ago: it
  cannot be linked to its case, and so it is never kept longer than that case.
- Deleted is deleted: SQLite overwrites deleted content (workflow.db, secure_delete);
  PostgreSQL keeps dead tuples until (auto)VACUUM, which the sweep does not run.
"""

from __future__ import annotations

import calendar
import logging
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    delete,
    exists,
    func,
    or_,
    select,
    type_coerce,
    update,
)
from sqlalchemy import case as when
from sqlalchemy.orm import Session

from workflow import states
from workflow.access import audit
from workflow.assignment import coordinators_of, mail_staff
from workflow.cases import record, transition
from workflow.db import Database
from workflow.desk import Desk
from workflow.evaluation import period_of
from workflow.models import (
    AccessToken,
    Attachment,
    Case,
    Consent,
    DataRequest,
    Evaluation,
    Event,
    InboundMail,
    Message,
    Organisation,
    OutboxMail,
    Reminder,
    Signal,
    UTCDateTime,
)
from workflow.outbox import Postman, written_mails

log = logging.getLogger(__name__)

RETENTION, ERASURE = "retention", "erasure_request"  # why a case was anonymised
ENDED = (states.CLOSED, states.WITHDRAWN, states.NOT_A_CASE, states.REFERRED)
WARN_BEFORE = timedelta(hours=72)
MONTH_END_SLACK = timedelta(days=4)  # the SQL filter is coarse by month ends; Python decides
BATCH = 100
# Bulk changes of rows no object in the session stands for (or none that is read after).
QUIET: dict[str, Any] = {"execution_options": {"synchronize_session": False}}
# Timeline details that lead to the client: "advisor of VP-… supports the other side" names
# the case in which this client is the counterpart. Every other detail is our own words.
PERSONAL_DETAILS = frozenset({"other_side_excluded"})
# Set-aside mail: status -> (the organisation's term in days, what the sweep reports).
SET_ASIDE = {
    "ignored": ("machine_mail_retention_days", "machine_mail_deleted"),
    "quarantined": ("quarantine_retention_days", "quarantine_deleted"),
    "dismissed": ("quarantine_retention_days", "quarantine_deleted"),
}


def sweep(database: Database, postman: Postman, now: datetime) -> tuple[Counter[str], list[int]]:
    """What falls due at `now`: per kind how many, and the mails written."""
    done: Counter[str] = Counter()
    mail_ids: list[int] = []
    with database.session() as session:
        organisations = list(session.scalars(select(Organisation).order_by(Organisation.id)))
    for organisation in organisations:
        _sweep_cases(database, postman, now, organisation.id, done, mail_ids)
    for organisation_id, terms in _set_aside_terms(organisations):
        cutoffs = {status: now - timedelta(days=days) for status, days in terms.items()}
        done.update(_delete_set_aside(database, organisation_id, cutoffs))
    _tidy(database, now, done)
    return done, mail_ids


def add_months(moment: datetime, months: int) -> datetime:
    """The same day `months` later (earlier when negative), or the month's last day."""
    year, month = divmod(moment.year * 12 + moment.month - 1 + months, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return moment.replace(year=year, month=month + 1, day=min(moment.day, last_day))


# --- cases ---------------------------------------------------------------------------------


def _sweep_cases(
    database: Database,
    postman: Postman,
    now: datetime,
    organisation_id: int,
    done: Counter[str],
    mail_ids: list[int],
) -> None:
    """The ended cases of one organisation, in batches of locked rows, each in one transaction."""
    after = 0
    while True:
        with database.unit_of_work() as uow:
            desk = Desk(uow, postman, now)
            organisation = uow.session.get_one(Organisation, organisation_id)
            rows = _ended_cases(uow.session, organisation, now, after)
            for case, ended_at in rows:
                _handle(desk, case, ended_at, done, mail_ids)
            uow.commit()
        if len(rows) < BATCH:
            return
        after = rows[-1][0].id  # onwards by id: a case not yet due is not read again


def ended_at() -> ColumnElement[datetime]:
    """When a case ended (see the module's decisions), as SQL."""
    entered = (
        select(func.max(Event.at))
        .where(Event.case_id == Case.id, Event.to_state == Case.state)
        .correlate(Case)
        .scalar_subquery()
    )
    moment = when((Case.state == states.CLOSED, Case.closed_at), else_=entered)
    return type_coerce(func.coalesce(moment, Case.updated_at), UTCDateTime())


def _ended_cases(
    session: Session, organisation: Organisation, now: datetime, after: int
) -> list[tuple[Case, datetime]]:
    """Ended cases whose warning may be due, locked; another sweeper skips them (PostgreSQL)."""
    ended = ended_at()
    horizon = add_months(now + WARN_BEFORE, -organisation.retention_months) + MONTH_END_SLACK
    statement = (
        select(Case, ended)
        .where(Case.organisation_id == organisation.id, Case.state.in_(ENDED),
               Case.anonymised_at.is_(None), Case.id > after, ended <= horizon)
        .order_by(Case.id)
        .limit(BATCH)
        .with_for_update(skip_locked=True, of=Case)
    )  # fmt: skip
    return [(case, moment) for case, moment in session.execute(statement)]


def _handle(
    desk: Desk, case: Case, ended: datetime, done: Counter[str], mail_ids: list[int]
) -> None:
    ends_at = add_months(ended, case.organisation.retention_months)
    if desk.now >= ends_at:
        kind = "anonymised"
    elif desk.now >= ends_at - WARN_BEFORE and not _is_warned(case, ends_at):
        kind = "retention_warned"
    else:
        return
    before = len(written_mails(desk.session))
    try:
        with desk.session.begin_nested():
            if kind == "anonymised":
                anonymise(desk, case, reason=RETENTION)
            else:
                warn(desk, case, ends_at)
    except Exception:  # our fault: the others go on, and the next sweep tries this one again
        log.exception("retention of case %s failed", case.id)
        done["retention_failed"] += 1
        if not desk.session.scalar(select(exists().where(
                Event.case_id == case.id, Event.name == "retention_failed"))):  # fmt: skip
            record(desk.session, case, "retention_failed", desk.now)  # shown once
        return
    done[kind] += 1
    mail_ids += [mail.id for mail in written_mails(desk.session)[before:]]


def _is_warned(case: Case, ends_at: datetime) -> bool:
    """Warned for this end: a term made longer since gets a warning of its own."""
    warned_at = case.retention_warned_at
    return warned_at is not None and warned_at >= ends_at - WARN_BEFORE


def warn(desk: Desk, case: Case, ends_at: datetime) -> None:
    """Tell the advisor (or the coordinators) when the case will be anonymised: no client data."""
    advisor = case.advisor
    if advisor is not None and advisor.is_active:
        people = [advisor]
    else:
        people = coordinators_of(desk.session, case.organisation)
    mail_staff(desk.session, desk.vault, desk.postman, case, people, "retention_warning",
               desk.now, name_key="recipient_name", anonymise_at=ends_at)  # fmt: skip
    case.retention_warned_at = desk.now
    told = f"{len(people)} staff told" if people else "nobody to tell"
    record(desk.session, case, "retention_warned", desk.now,
           detail=f"anonymised from {ends_at.date().isoformat()}; {told}")  # fmt: skip


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
    _erase(session, select(Case.id).where(Case.id == case.id))
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


def _erase(session: Session, cases: Select[int]) -> Counter[str]:
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
    return Counter({"late_mail_deleted": _rowcount(raw), "outbox_deleted": _rowcount(sent)})


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
    return _rowcount(result)


# --- set-aside mail and what is left over --------------------------------------------------


def _set_aside_terms(organisations: list[Organisation]) -> list[tuple[int | None, dict[str, int]]]:
    """Each organisation's terms in days per status; for mail of no case (None) the shortest."""
    terms: list[tuple[int | None, dict[str, int]]] = [
        (o.id, {status: int(getattr(o, setting)) for status, (setting, _) in SET_ASIDE.items()})
        for o in organisations
    ]
    shortest = {status: min((days[status] for _, days in terms), default=_default(setting))
                for status, (setting, _) in SET_ASIDE.items()}  # fmt: skip
    return [*terms, (None, shortest)]


def _delete_set_aside(
    database: Database, organisation_id: int | None, cutoffs: dict[str, datetime]
) -> Counter[str]:
    """Delete set-aside mail received before its status's cutoff: of the organisation's cases,
    or (None) of no case. Mail a message of a case was made from goes with that case."""
    deleted: Counter[str] = Counter()
    belongs = (InboundMail.case_id.is_(None) if organisation_id is None else
               InboundMail.case_id.in_(select(Case.id).where(
                   Case.organisation_id == organisation_id)))  # fmt: skip
    expired = or_(*(and_(InboundMail.status == status, InboundMail.received_at < cutoff)
                    for status, cutoff in cutoffs.items()))  # fmt: skip
    while True:
        with database.unit_of_work() as uow:
            rows = [(mail_id, status) for mail_id, status in uow.session.execute(
                select(InboundMail.id, InboundMail.status)
                .where(expired, belongs, ~exists().where(Message.inbound_mail_id == InboundMail.id))
                .order_by(InboundMail.id).limit(BATCH)
                .with_for_update(skip_locked=True, of=InboundMail)
            )]  # fmt: skip
            ids = [mail_id for mail_id, _ in rows]
            uow.session.execute(delete(Attachment).where(Attachment.inbound_mail_id.in_(ids)))
            uow.session.execute(delete(InboundMail).where(InboundMail.id.in_(ids)))
            uow.commit()
        deleted.update(SET_ASIDE[status][1] for _, status in rows)
        if len(rows) < BATCH:
            return deleted


def _tidy(database: Database, now: datetime, done: Counter[str]) -> None:
    """What reached anonymised cases since (mail sent since, late mail), signals nobody is
    named in any more, and evaluation advice older than its organisation's term."""
    with database.unit_of_work() as uow:
        session = uow.session
        erased = _erase(session, select(Case.id).where(Case.state == states.ANONYMISED))
        for kind, number in erased.items():
            _count(done, kind, number)
        _count(done, "signals_released", release_signals(session))
        _count(done, "advice_deleted", _forget_advice(session, now))
        uow.commit()


def _forget_advice(session: Session, now: datetime) -> int:
    forgotten = 0
    for organisation_id, months in session.execute(
        select(Organisation.id, Organisation.retention_months)
    ):
        expired = update(Evaluation).where(
            Evaluation.organisation_id == organisation_id, Evaluation.advice_enc.is_not(None),
            Evaluation.period <= period_of(add_months(now, -months)),  # the quarter's start
        )  # fmt: skip
        forgotten += _rowcount(session.execute(expired.values(advice_enc=None), **QUIET))
    return forgotten


def _default(setting: str) -> int:
    """The column's default, for mail of no case while there is no organisation at all."""
    default: Any = Organisation.__table__.c[setting].default
    return int(default.arg)


def _rowcount(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def _count(done: Counter[str], kind: str, number: int) -> None:
    if number:  # a sweep that did nothing reports nothing
        done[kind] += number

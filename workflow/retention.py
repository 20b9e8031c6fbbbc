"""Retention: when an ended case falls due, the warning before, and set-aside mail's terms.

A case that has ended (closed, withdrawn, not a case, referred) is kept `retention_months`
(per organisation, 12 by default) and then anonymised (workflow.anonymise says what goes
and what stays). The sweep here decides when, warns before, and tidies what is left over.

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
- Cases are read in batches of locked rows (skipped by another sweeper on PostgreSQL), each
  batch in one transaction; a case that fails is counted and tried again by the next sweep.
"""

from __future__ import annotations

import calendar
import logging
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, exists, func, or_, select, type_coerce, update
from sqlalchemy import case as when
from sqlalchemy.orm import Session

from workflow import states
from workflow.anonymise import QUIET, RETENTION, anonymise, erase, release_signals, rowcount
from workflow.assignment import coordinators_of, mail_staff
from workflow.cases import record
from workflow.db import Database
from workflow.desk import Desk
from workflow.evaluation import period_of
from workflow.models import (
    Attachment,
    Case,
    Evaluation,
    Event,
    InboundMail,
    Message,
    Organisation,
    UTCDateTime,
)
from workflow.outbox import Postman, written_mails

log = logging.getLogger(__name__)

ENDED = (states.CLOSED, states.WITHDRAWN, states.NOT_A_CASE, states.REFERRED)
WARN_BEFORE = timedelta(hours=72)
MONTH_END_SLACK = timedelta(days=4)  # the SQL filter is coarse by month ends; Python decides
BATCH = 100
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
        erased = erase(session, select(Case.id).where(Case.state == states.ANONYMISED))
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
        forgotten += rowcount(session.execute(expired.values(advice_enc=None), **QUIET))
    return forgotten


def _default(setting: str) -> int:
    """The column's default, for mail of no case while there is no organisation at all."""
    default: Any = Organisation.__table__.c[setting].default
    return int(default.arg)


def _count(done: Counter[str], kind: str, number: int) -> None:
    if number:  # a sweep that did nothing reports nothing
        done[kind] += number

"""The client's right to erasure (AVG art. 17): asking, settling, and the sweep's reminders.

The client may ask us from their dossier to erase what we hold about them in that case (their
copy of it, art. 15, is workflow.rights_export). A coordinator of the organisation settles
the request within the legal month (art. 12(3)); the sweep reminds the coordinators a week
before and on the day itself. Granting anonymises the case at once (workflow.anonymise);
refusing needs a reason, which the client is told (art. 12(4)).
"""

from __future__ import annotations

import calendar
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from workflow import access, anonymise, states
from workflow.assignment import coordinators_of, mail_staff
from workflow.cases import record
from workflow.crypto import Vault
from workflow.db import Database
from workflow.desk import Desk, NotAllowed, actor_of, client_address, client_name
from workflow.models import Advisor, Case, DataRequest, Organisation, OutboxMail
from workflow.outbox import Postman, written_mails

ERASURE = "erasure"
OPEN, GRANTED, REFUSED = "open", "granted", "refused"
REMIND_BEFORE = timedelta(days=7)
REASON_LIMIT = 20_000  # as long as the page's text area allows (forms.advisor_pages.LIMITS)
SETTLED_SHOWN = 100  # the coordinator's list: every open request, the newest settled ones


# --- asking to erase (art. 17) ---------------------------------------------------------------


def one_month_after(moment: datetime, zone: str) -> datetime:
    """The legal month (AVG art. 12(3), counted as Regulation 1182/71 art. 3(2)(c) does): the
    same day of the next calendar month, or that month's last day when it has none (31 January
    -> 28 or 29 February), in the organisation's time zone.

    Decision: due at the same clock time, not at the end of that day: never later than the law.
    """
    local = moment.astimezone(ZoneInfo(zone))
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day).astimezone(UTC)


def open_request_of(session: Session, case: Case) -> DataRequest | None:
    session.flush()
    return session.scalars(
        select(DataRequest).where(DataRequest.case_id == case.id, DataRequest.status == OPEN)
        .order_by(DataRequest.id)
    ).first()  # fmt: skip


def ask_erasure(desk: Desk, case: Case) -> DataRequest:
    """The client asks to erase their data: one open request per case, the coordinators told.

    Asked again while one is open, the open one is the answer (no second request, no mail).
    """
    if case.state == states.ANONYMISED:
        raise NotAllowed("the case is anonymised already")
    # Lock the case row: two clicks at once on PostgreSQL still make one request.
    desk.session.execute(select(Case.id).where(Case.id == case.id).with_for_update())
    found = open_request_of(desk.session, case)
    if found is not None:
        return found
    request = DataRequest(
        case_id=case.id, case_reference=case.reference, organisation_id=case.organisation_id,
        kind=ERASURE, status=OPEN, requested_at=desk.now,
        due_at=one_month_after(desk.now, case.organisation.timezone),
    )  # fmt: skip
    desk.session.add(request)
    desk.session.flush()
    record(desk.session, case, "erasure_requested", desk.now, actor="client",
           detail=f"request {request.id}, due {request.due_at.date().isoformat()}")  # fmt: skip
    _tell_coordinators(desk, case, request, "erasure_requested")
    address = client_address(desk, case)
    if address is not None:  # no address (anonymous, phone only): the dossier page says it
        desk.postman.write(
            desk.session, desk.vault, case=case, template="erasure_received",
            language=case.language, recipient=address, now=desk.now,
            context={"organisation_name": case.organisation.name,
                     "contact_name": client_name(desk, case), "due_at": request.due_at},
        )  # fmt: skip
    return request


def request_url(postman: Postman, request: DataRequest) -> str:
    return f"{postman.base_url}/medewerkers/verzoeken/{request.id}"


def _tell_coordinators(
    desk: Desk, case: Case, request: DataRequest, template: str, **context: object
) -> None:
    """Staff mail: the reference, the due date and the link; never who the client is."""
    coordinators = coordinators_of(desk.session, case.organisation)
    if not coordinators:
        record(desk.session, case, "coordinator_missing", desk.now,
               detail="no active coordinator to tell")  # fmt: skip
    mail_staff(desk.session, desk.vault, desk.postman, case, coordinators, template, desk.now,
               name_key="coordinator_name", due_at=request.due_at,
               request_url=request_url(desk.postman, request), **context)  # fmt: skip


# --- settling ---------------------------------------------------------------------------------


def may_settle(staff: Advisor, request: DataRequest, case: Case | None) -> bool:
    """A coordinator of the organisation (access.can_see, or by organisation without a case)."""
    if staff.role != "coordinator" or not staff.is_active:
        return False
    if case is not None:
        return access.can_see(staff, case)
    return request.organisation_id in {o.id for o in staff.organisations}


def settle(
    desk: Desk, request: DataRequest, coordinator: Advisor, *, grant: bool, reason: str = ""
) -> None:
    """Grant (the case is anonymised now) or refuse (with a reason); the client is told."""
    # Locked and read again: two coordinators deciding at once settle it once (PostgreSQL).
    desk.session.refresh(request, with_for_update=True)
    case = desk.session.get(Case, request.case_id) if request.case_id is not None else None
    if not may_settle(coordinator, request, case):
        raise NotAllowed("only a coordinator of the organisation settles a request")
    if request.status != OPEN:
        raise NotAllowed(f"the request is {request.status} already")
    if grant:
        _grant(desk, request, case, coordinator)
    else:
        _refuse(desk, request, case, coordinator, reason.strip())
    request.settled_at, request.settled_by = desk.now, actor_of(coordinator)


def _grant(desk: Desk, request: DataRequest, case: Case | None, coordinator: Advisor) -> None:
    request.status = GRANTED
    if case is None or case.state == states.ANONYMISED:
        return  # nothing of the client is left to erase, nor an address to tell
    address = client_address(desk, case)
    if address is not None:
        # Written first: the address goes with the case. Not linked to the case (case=None),
        # so anonymising the case cannot take the mail along; no name in it either.
        desk.postman.write(
            desk.session, desk.vault, case=None, template="erasure_settled",
            language=case.language, recipient=address, now=desk.now,
            context={"reference": case.reference, "organisation_name": case.organisation.name,
                     "contact_name": None, "is_granted": True, "reason": None},
        )  # fmt: skip
    if case.state in states.OPEN_STATES and case.advisor is not None:
        # anonymise withdraws an open case and leaves the telling to us: the advisor stops
        mail_staff(desk.session, desk.vault, desk.postman, case, [case.advisor],
                   "case_withdrawn", desk.now, name_key="advisor_name")  # fmt: skip
    record(desk.session, case, "erasure_granted", desk.now, actor=actor_of(coordinator),
           detail=f"request {request.id}")  # fmt: skip
    anonymise.anonymise(desk, case, reason=anonymise.ERASURE, actor=actor_of(coordinator))


def _refuse(
    desk: Desk, request: DataRequest, case: Case | None, coordinator: Advisor, reason: str
) -> None:
    """A refusal needs a reason (a legal duty to keep, an ongoing complaint): sealed, and told."""
    if not reason:
        raise NotAllowed("a refusal needs a reason")
    if len(reason) > REASON_LIMIT:
        raise NotAllowed(f"a reason is at most {REASON_LIMIT} characters")
    request.status, request.note_enc = REFUSED, desk.vault.seal(reason)
    if case is None:
        return
    record(desk.session, case, "erasure_refused", desk.now, actor=actor_of(coordinator),
           detail=f"request {request.id}")  # fmt: skip
    address = client_address(desk, case)
    if address is not None:
        desk.postman.write(
            desk.session, desk.vault, case=case, template="erasure_settled",
            language=case.language, recipient=address, now=desk.now,
            context={"organisation_name": case.organisation.name,
                     "contact_name": client_name(desk, case), "is_granted": False,
                     "reason": reason},
        )  # fmt: skip


def reason_of(vault: Vault, request: DataRequest) -> str | None:
    return vault.open_optional(request.note_enc)


# --- the coordinator's view -----------------------------------------------------------------


def _coordinated(staff: Advisor) -> list[int]:
    if staff.role != "coordinator" or not staff.is_active:
        return []
    return [organisation.id for organisation in staff.organisations]


def requests_for(session: Session, staff: Advisor) -> tuple[list[DataRequest], list[DataRequest]]:
    """(open requests, the due soonest first so the overdue lead; the newest settled ones)."""
    mine = DataRequest.organisation_id.in_(_coordinated(staff))
    open_ = session.scalars(select(DataRequest).where(mine, DataRequest.status == OPEN)
                            .order_by(DataRequest.due_at, DataRequest.id))  # fmt: skip
    settled = session.scalars(select(DataRequest).where(mine, DataRequest.status != OPEN)
                              .order_by(DataRequest.settled_at.desc(), DataRequest.id.desc())
                              .limit(SETTLED_SHOWN))  # fmt: skip
    return list(open_), list(settled)


def request_for(session: Session, staff: Advisor, request_id: int) -> DataRequest | None:
    """The request, or None when it does not exist or belongs to another organisation."""
    found = session.get(DataRequest, request_id)
    return found if found is not None and found.organisation_id in _coordinated(staff) else None


def days_left(request: DataRequest, now: datetime, zone: str) -> int:
    """Calendar days until the due date in the organisation's zone: 0 today, < 0 overdue."""
    tz = ZoneInfo(zone)
    return (request.due_at.astimezone(tz).date() - now.astimezone(tz).date()).days


# --- reminders --------------------------------------------------------------------------------


def reminder_due(request: DataRequest, now: datetime, zone: str) -> str | None:
    """Which reminder to send now: "week" (7 days before), "day" (on the due date), or None.

    Decision: two reminders at most, each once: a week before, and from the first moment
    of the due date while still open. A sweep that missed the week sends only the day one.
    `reminded_at` tells which was sent: before the due date's start, only the first.
    """
    due = request.due_at.astimezone(ZoneInfo(zone))
    day_starts = due.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)
    reminded = request.reminded_at
    if now >= day_starts:
        return "day" if reminded is None or reminded < day_starts else None
    if now >= request.due_at - REMIND_BEFORE and reminded is None:
        return "week"
    return None


def sweep(database: Database, postman: Postman, now: datetime) -> tuple[Counter[str], list[int]]:
    """Remind coordinators before a request's legal month passes; delete confirmations sent.

    The confirmation of an erasure belongs to no case (its case was anonymised), so
    retention does not tidy it: once it has gone (or failed for good) it goes here.
    """
    done: Counter[str] = Counter()
    with database.unit_of_work() as uow:
        desk = Desk(uow, postman, now)
        statement = (
            select(DataRequest)
            .where(DataRequest.status == OPEN, DataRequest.due_at <= now + REMIND_BEFORE)
            .order_by(DataRequest.due_at, DataRequest.id)
            .with_for_update(skip_locked=True)
        )
        for request in list(uow.session.scalars(statement)):
            if _remind(desk, request):
                done["erasure_reminder"] += 1
        gone = uow.session.execute(delete(OutboxMail).where(
            OutboxMail.case_id.is_(None), OutboxMail.template == "erasure_settled",
            OutboxMail.status != "pending",
        ).execution_options(synchronize_session=False))  # fmt: skip
        if deleted := int(getattr(gone, "rowcount", 0) or 0):
            done["erasure_mail_deleted"] += deleted
        uow.session.flush()
        mails = list(written_mails(uow.session))
        uow.commit()
    return done, [mail.id for mail in mails]


def _remind(desk: Desk, request: DataRequest) -> bool:
    """The reminder that is due, if any; an open request without its case is left alone."""
    organisation = desk.session.get_one(Organisation, request.organisation_id)
    case = desk.session.get(Case, request.case_id) if request.case_id is not None else None
    if reminder_due(request, desk.now, organisation.timezone) is None or case is None:
        return False
    request.reminded_at = desk.now
    _tell_coordinators(desk, case, request, "erasure_reminder",
                       days_left=days_left(request, desk.now, organisation.timezone))  # fmt: skip
    return True

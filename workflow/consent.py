"""Consent (seed 000): the advisor never acts for the client without their explicit consent.

A request names one action in the client's words: what will be done, towards whom, and
which information is shared. The client answers Yes or No on a page (POST only); no answer
in 14 days counts as No. A Yes can be withdrawn from the dossier page at any time.
`require_consent` is the one gate every action on the client's behalf passes through.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow import reminders, states, tokens
from workflow.assignment import mail_staff, staff_language
from workflow.cases import record, transition
from workflow.desk import (
    WORKING_STATES,
    Desk,
    NotAllowed,
    actor_of,
    client_address,
    client_name,
    note_activity,
    url,
    work_link,
)
from workflow.models import Advisor, Case, Consent, Reminder
from workflow.vocabulary import CONSENT_ACTIONS

REMIND_AFTER = (timedelta(days=3), timedelta(days=7))
LAPSE_AFTER = timedelta(days=14)
TEXT_LIMIT = 500
DECIDED = ("given", "refused", "withdrawn", "lapsed")


class ConsentRequired(NotAllowed):
    """The action needs the client's consent, and there is none (or it was withdrawn)."""

    def __init__(self, action: str) -> None:
        super().__init__(f"the client has not given consent to {action}")
        self.action = action


def require_consent(session: Session, case: Case, action: str) -> Consent:
    """The client's standing Yes for this action, or ConsentRequired.

    The latest decided request counts: a Yes that was later withdrawn, or a newer No or
    lapse, means no consent.
    """
    session.flush()
    latest = session.scalar(
        select(Consent)
        .where(Consent.case_id == case.id, Consent.action == action)
        .where(Consent.status.in_(DECIDED))
        .order_by(Consent.answered_at.desc(), Consent.id.desc())
        .limit(1)
    )
    if latest is None or latest.status != "given":
        raise ConsentRequired(action)
    return latest


def act_on_behalf(desk: Desk, case: Case, advisor: Advisor, action: str) -> None:
    """Record that the advisor did something for the client; refused without consent."""
    _must_handle(case, advisor)
    if action not in CONSENT_ACTIONS:
        raise NotAllowed(f"unknown action {action!r}")
    require_consent(desk.session, case, action)
    record(desk.session, case, "acted_on_behalf", desk.now, actor=actor_of(advisor),
           detail=action)  # fmt: skip
    note_activity(desk, case)


def ask_consent(
    desk: Desk, case: Case, advisor: Advisor, action: str, *, what: str, towards: str,
    information: str,
) -> Consent:  # fmt: skip
    """Ask the client, by mail with a link to a Yes/No page; the advisor's clock stops."""
    _must_handle(case, advisor, frozenset({states.IN_PROGRESS, states.CONSENT_PENDING}))
    if action not in CONSENT_ACTIONS:
        raise NotAllowed(f"unknown action {action!r}")
    texts = {"what": what.strip(), "towards": towards.strip(), "information": information.strip()}
    for name, text in texts.items():
        if not text or len(text) > TEXT_LIMIT:
            raise NotAllowed(f"{name} must be 1 to {TEXT_LIMIT} characters")
    if client_address(desk, case) is None:
        raise NotAllowed("the client left no e-mail address to ask consent")
    consent = Consent(
        case_id=case.id, action=action, what_enc=desk.vault.seal(texts["what"]),
        towards_enc=desk.vault.seal(texts["towards"]),
        information_enc=desk.vault.seal(texts["information"]), status="requested",
        requested_by=actor_of(advisor), requested_at=desk.now,
    )  # fmt: skip
    desk.session.add(consent)
    desk.session.flush()
    transition(desk.session, case, "ask_consent", desk.now, actor=actor_of(advisor),
               detail=f"consent {consent.id}: {action}")  # fmt: skip
    _mail_request(desk, case, consent, is_reminder=False)
    reminders.schedule(desk.session, case, "consent_reminder", desk.now + REMIND_AFTER[0],
                       desk.now, subject_id=consent.id)  # fmt: skip
    reminders.schedule(desk.session, case, "consent_lapse", desk.now + LAPSE_AFTER, desk.now,
                       subject_id=consent.id)  # fmt: skip
    reminders.stop_clock(desk.session, case, desk.now)
    return consent


def _must_handle(case: Case, advisor: Advisor, allowed: frozenset[str] = WORKING_STATES) -> None:
    if case.advisor_id != advisor.id:
        raise NotAllowed("this is not the advisor's case")
    if case.state not in allowed:
        raise NotAllowed(f"not possible while the case is {case.state}")


def _mail_request(desk: Desk, case: Case, consent: Consent, *, is_reminder: bool) -> None:
    address = client_address(desk, case)
    assert address is not None
    issued = tokens.issue(desk.session, desk.vault, case, "consent", desk.now,
                          tokens.CONSENT_LIFETIME, subject_id=consent.id)  # fmt: skip
    desk.postman.write(
        desk.session, desk.vault, case=case, template="consent_request", language=case.language,
        recipient=address, now=desk.now,
        context={
            "organisation_name": case.organisation.name, "contact_name": client_name(desk, case),
            "what": desk.vault.open(consent.what_enc),
            "towards": desk.vault.open(consent.towards_enc),
            "information": desk.vault.open(consent.information_enc),
            "consent_url": url(desk, "toestemming", issued.token),
            "answer_by": consent.requested_at + LAPSE_AFTER, "is_reminder": is_reminder,
        },
    )  # fmt: skip


def consent_to_answer(desk: Desk, token: str) -> Consent | None:
    """The open request behind a consent link (GET shows it; nothing changes)."""
    row = tokens.find_valid(desk.session, desk.vault, token, "consent", desk.now)
    if row is None or row.subject_id is None:
        return None
    consent = desk.session.get(Consent, row.subject_id)
    if consent is None or consent.case_id != row.case_id or consent.status != "requested":
        return None
    return consent


def answer_consent(desk: Desk, token: str, *, given: bool) -> Consent | None:
    """The client's Yes or No (POST): single use; the advisor is told."""
    consent = consent_to_answer(desk, token)
    if consent is None:
        return None
    case = desk.session.get_one(Case, consent.case_id)
    _decide(desk, case, consent, "given" if given else "refused", actor="client")
    return consent


def withdraw_consent(desk: Desk, case: Case, consent_id: int) -> Consent:
    """The client takes back a Yes (from the dossier page); from now on the action is refused."""
    consent = desk.session.get(Consent, consent_id)
    if consent is None or consent.case_id != case.id or consent.status != "given":
        raise NotAllowed("there is no given consent to withdraw")
    consent.status, consent.withdrawn_at = "withdrawn", desk.now
    record(desk.session, case, "consent_withdrawn", desk.now, actor="client",
           detail=f"consent {consent.id}: {consent.action}")  # fmt: skip
    _tell_advisor(desk, case, consent, "withdrawn")
    return consent


def _decide(desk: Desk, case: Case, consent: Consent, status: str, *, actor: str) -> None:
    consent.status, consent.answered_at = status, desk.now
    tokens.spend_all(desk.session, case, "consent", desk.now, subject_id=consent.id)
    reminders.cancel(desk.session, case, ("consent_reminder", "consent_lapse"), desk.now,
                     subject_id=consent.id)  # fmt: skip
    record(desk.session, case, f"consent_{status}", desk.now, actor=actor,
           detail=f"consent {consent.id}: {consent.action}")  # fmt: skip
    _tell_advisor(desk, case, consent, status)
    if case.state == states.CONSENT_PENDING and not _open_requests(desk, case):
        transition(desk.session, case, "consent_answered", desk.now, actor=actor)
        reminders.start_clock(desk.session, case, desk.now)
        note_activity(desk, case)


def _tell_advisor(desk: Desk, case: Case, consent: Consent, answer: str) -> None:
    advisor = case.advisor
    if advisor is None:
        return
    work_url, _ = work_link(desk, case, advisor)
    label = CONSENT_ACTIONS[consent.action].label(staff_language(advisor))
    mail_staff(desk.session, desk.vault, desk.postman, case, [advisor], "consent_answered",
               desk.now, name_key="advisor_name", work_url=work_url, answer=answer,
               consent_label=label)  # fmt: skip


def _open_requests(desk: Desk, case: Case) -> list[Consent]:
    desk.session.flush()
    return list(desk.session.scalars(
        select(Consent).where(Consent.case_id == case.id, Consent.status == "requested")
    ))  # fmt: skip


def remind(desk: Desk, reminder: Reminder, case: Case) -> None:
    consent = desk.session.get(Consent, reminder.subject_id)
    if consent is None or consent.status != "requested":
        return
    _mail_request(desk, case, consent, is_reminder=True)
    record(desk.session, case, "consent_reminded", desk.now, detail=f"consent {consent.id}")
    later = [consent.requested_at + after for after in REMIND_AFTER]
    upcoming = [at for at in later if at > desk.now]
    if upcoming:
        reminders.schedule(desk.session, case, "consent_reminder", upcoming[0], desk.now,
                           subject_id=consent.id)  # fmt: skip


def lapse(desk: Desk, reminder: Reminder, case: Case) -> None:
    """No answer in 14 days counts as No; the advisor is told."""
    consent = desk.session.get(Consent, reminder.subject_id)
    if consent is None or consent.status != "requested":
        return
    _decide(desk, case, consent, "lapsed", actor="system")


def end_open_requests(desk: Desk, case: Case) -> None:
    """The case ends (closed, withdrawn): open requests can no longer be answered."""
    for consent in _open_requests(desk, case):
        consent.status = "cancelled"
        tokens.spend_all(desk.session, case, "consent", desk.now, subject_id=consent.id)
        record(desk.session, case, "consent_cancelled", desk.now, detail=f"consent {consent.id}")
    reminders.cancel(desk.session, case, ("consent_reminder", "consent_lapse"), desk.now)


def consents_of(desk: Desk, case: Case) -> list[Consent]:
    desk.session.flush()
    return list(desk.session.scalars(
        select(Consent).where(Consent.case_id == case.id).order_by(Consent.id)
    ))  # fmt: skip

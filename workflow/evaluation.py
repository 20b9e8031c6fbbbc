"""The closing evaluation (seed 000): how was the support, was it useful, what should change.

The answers are stored apart from the case and the client (organisation, kind and quarter
only), so reports can count them and nobody can trace them back. One use, POST only;
a reminder after 7 days, and after 21 the case closes without it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from workflow import reminders, states, tokens
from workflow.cases import record, transition
from workflow.desk import Desk, NotAllowed, client_address, client_name, url
from workflow.models import Case, Evaluation, Reminder
from workflow.vocabulary import ADVICE_THEMES, USEFUL_ANSWERS

REMIND_AFTER = timedelta(days=7)
CLOSE_AFTER = timedelta(days=21)
ADVICE_LIMIT = 2000


def period_of(moment: datetime) -> str:
    """The quarter, "2026-Q4": nothing finer is kept with an evaluation."""
    return f"{moment.year}-Q{(moment.month - 1) // 3 + 1}"


def invite(desk: Desk, case: Case) -> None:
    """Send the evaluation, or close at once when there is no address to send it to."""
    address = client_address(desk, case)
    if address is None:
        case.evaluation_state = "not_sent"
        transition(desk.session, case, "close", desk.now, detail="no address for the evaluation")
        return
    case.evaluation_state = "sent"
    closes_at = desk.now + CLOSE_AFTER
    _mail(desk, case, address, closes_at, is_reminder=False)
    record(desk.session, case, "evaluation_sent", desk.now)
    reminders.schedule(desk.session, case, "evaluation_reminder", desk.now + REMIND_AFTER,
                       desk.now)  # fmt: skip
    reminders.schedule(desk.session, case, "evaluation_close", closes_at, desk.now)


def _mail(desk: Desk, case: Case, address: str, closes_at: datetime, *, is_reminder: bool) -> None:
    issued = tokens.issue(desk.session, desk.vault, case, "evaluation", desk.now,
                          closes_at - desk.now)  # fmt: skip
    desk.postman.write(
        desk.session, desk.vault, case=case, template="evaluation_request",
        language=case.language, recipient=address, now=desk.now,
        context={"organisation_name": case.organisation.name,
                 "contact_name": client_name(desk, case),
                 "evaluation_url": url(desk, "evaluatie", issued.token),
                 "closes_at": closes_at, "is_reminder": is_reminder},
    )  # fmt: skip


def evaluation_to_fill(desk: Desk, token: str) -> Case | None:
    """The case whose evaluation this link opens (GET shows the form; nothing changes)."""
    row = tokens.find_valid(desk.session, desk.vault, token, "evaluation", desk.now)
    if row is None:
        return None
    case = desk.session.get_one(Case, row.case_id)
    if case.state != states.CLOSING or case.evaluation_state != "sent":
        return None
    return case


def submit(
    desk: Desk,
    token: str,
    *,
    experience: int | None,
    useful: str | None,
    themes: list[str],
    advice: str | None,
) -> bool:
    """Store the answers without the case, spend the link, and close the case."""
    case = evaluation_to_fill(desk, token)
    if case is None:
        return False
    if experience is not None and not 1 <= experience <= 5:
        raise NotAllowed("experience is 1 to 5")
    if useful is not None and useful not in USEFUL_ANSWERS:
        raise NotAllowed(f"unknown answer {useful!r}")
    if any(theme not in ADVICE_THEMES for theme in themes):
        raise NotAllowed("unknown advice theme")
    text = (advice or "").strip()[:ADVICE_LIMIT]
    desk.session.add(Evaluation(
        organisation_id=case.organisation_id, kind=case.kind, period=period_of(desk.now),
        experience=experience, useful=useful, advice_themes=",".join(sorted(set(themes))),
        advice_enc=desk.vault.seal_optional(text),
    ))  # fmt: skip
    _finish(desk, case, "answered", actor="client")
    return True


def _finish(desk: Desk, case: Case, evaluation_state: str, *, actor: str) -> None:
    case.evaluation_state = evaluation_state
    tokens.spend_all(desk.session, case, "evaluation", desk.now)
    reminders.cancel(desk.session, case, ("evaluation_reminder", "evaluation_close"), desk.now)
    transition(desk.session, case, "close", desk.now, actor=actor,
               detail=f"evaluation {evaluation_state}")  # fmt: skip


def remind(desk: Desk, reminder: Reminder, case: Case) -> None:
    address = client_address(desk, case)
    if case.state != states.CLOSING or case.evaluation_state != "sent" or address is None:
        return
    closing = reminders.active(desk.session, case, ("evaluation_close",))
    closes_at = closing[0].due_at if closing else desk.now + CLOSE_AFTER - REMIND_AFTER
    _mail(desk, case, address, closes_at, is_reminder=True)
    record(desk.session, case, "evaluation_reminded", desk.now)


def expire(desk: Desk, reminder: Reminder, case: Case) -> None:
    """21 days without an answer: the case closes without an evaluation."""
    if case.state == states.CLOSING and case.evaluation_state == "sent":
        _finish(desk, case, "expired", actor="system")

"""The sweep: every reminder whose time has come, each handled once, in batches.

What a reminder does is one table (kind -> handler). A handler finds the case as it is
now and does nothing when the reason for the reminder has gone (the advisor answered,
the client said yes). Rows are locked per batch, so several sweepers can run at once.
After the reminders come the passes that look at time rather than at a reminder row
(PASSES: retention, the client's requests); each reports what it did per kind.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from workflow import casework, consent, evaluation, reminders, retention, rights
from workflow.cases import record
from workflow.db import Database
from workflow.desk import Desk
from workflow.models import Case, Reminder
from workflow.outbox import Postman, written_mails

log = logging.getLogger(__name__)

Handler = Callable[[Desk, Reminder, Case], None]

HANDLERS: Mapping[str, Handler] = {
    "assignment_reminder": casework.remind_assignment,
    "assignment_escalation": casework.reassign_unanswered,
    "first_contact": casework.remind_first_contact,
    "inactivity": casework.remind_inactivity,
    "deadline_reminder": casework.remind_deadline,
    "deadline_passed": casework.deadline_passed,
    "consent_reminder": consent.remind,
    "consent_lapse": consent.lapse,
    "evaluation_reminder": evaluation.remind,
    "evaluation_close": evaluation.expire,
}
BATCH = 100

# A pass: (database, postman, now) -> (what it did per kind, the ids of the mails it wrote);
# a kind ending in FAILED counts as failures (the pass kept the item to try again).
FAILED = "_failed"
Pass = Callable[[Database, Postman, datetime], tuple[Counter[str], list[int]]]
PASSES: tuple[Pass, ...] = (retention.sweep, rights.sweep)


@dataclass
class SweepResult:
    """What one sweep did: reminders handled per kind, failures, and the mails it wrote."""

    done: Counter[str] = field(default_factory=Counter)
    failed: int = 0
    mail_ids: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.done.values())


def sweep_due(
    database: Database, postman: Postman, now: datetime, batch: int = BATCH
) -> SweepResult:
    """Handle every reminder due at `now`; one transaction per batch."""
    result = SweepResult()
    while True:
        with database.unit_of_work() as uow:
            desk = Desk(uow, postman, now)
            rows = reminders.due(uow.session, now, batch)
            for row in rows:
                _handle(desk, row, result)
            uow.commit()
        if len(rows) < batch:
            break
    for sweep_pass in PASSES:
        done, mail_ids = sweep_pass(database, postman, now)
        failed = Counter({kind: n for kind, n in done.items() if kind.endswith(FAILED)})
        result.failed += failed.total()
        result.done.update(done - failed)
        result.mail_ids += mail_ids
    return result


def _handle(desk: Desk, row: Reminder, result: SweepResult) -> None:
    case = desk.session.get_one(Case, row.case_id)
    try:
        before = len(written_mails(desk.session))
        with desk.session.begin_nested():
            HANDLERS[row.kind](desk, row, case)
            row.status, row.done_at = "done", desk.now
        mails = written_mails(desk.session)[before:]
        result.done[row.kind] += 1
        result.mail_ids += [m.id for m in mails]
    except Exception:  # our fault: keep the row visible as failed, go on with the others
        log.exception("reminder %s (%s) failed", row.id, row.kind)
        row.status, row.done_at = "failed", desk.now
        record(desk.session, case, "reminder_failed", desk.now, detail=row.kind)
        result.failed += 1

"""Where casework happens: the Desk every command takes, and what all commands share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from workflow import reminders, states, tokens
from workflow.cases import record
from workflow.crypto import Vault
from workflow.db import UnitOfWork
from workflow.models import Advisor, Case
from workflow.outbox import Postman

WORKING_STATES = frozenset({states.ACCEPTED, states.IN_PROGRESS, states.CONSENT_PENDING})


class NotAllowed(Exception):
    """The command may not be done now, by this person, or with these values."""


@dataclass(frozen=True)
class Desk:
    """Where a command is done: one transaction, the postman for its mails, and the time."""

    uow: UnitOfWork
    postman: Postman
    now: datetime

    @property
    def session(self) -> Session:
        return self.uow.session

    @property
    def vault(self) -> Vault:
        return self.uow.vault


def actor_of(advisor: Advisor) -> str:
    return advisor.email[:64]


def url(desk: Desk, path: str, token: str) -> str:
    return f"{desk.postman.base_url}/{path}/{token}"


def work_link(desk: Desk, case: Case, advisor: Advisor) -> tuple[str, datetime]:
    """A link to the case for its advisor (`/werk/<token>`): it leads to the signed-in case page."""
    issued = tokens.issue(desk.session, desk.vault, case, "work", desk.now, tokens.WORK_LIFETIME,
                          advisor_id=advisor.id)  # fmt: skip
    return url(desk, "werk", issued.token), desk.now + tokens.WORK_LIFETIME


def note_activity(desk: Desk, case: Case) -> None:
    """Something happened: the inactivity reminder counts from now."""
    organisation = case.organisation
    due = reminders.after_business_days(organisation, desk.now, organisation.inactivity_days)
    reminders.schedule(desk.session, case, "inactivity", due, desk.now)


def client_address(desk: Desk, case: Case) -> str | None:
    if case.person is None:
        return None
    return desk.vault.open_optional(case.person.email_enc)


def client_name(desk: Desk, case: Case) -> str | None:
    if case.person is None or case.is_anonymous:
        return None
    return desk.vault.open_optional(case.person.name_enc)


def tell_client(desk: Desk, case: Case, template: str, **context: object) -> bool:
    """A mail to the client, in their language, from the shared address; False (and a line
    on the timeline) when they left no address to tell them at."""
    address = client_address(desk, case)
    if address is None:
        record(desk.session, case, "client_not_told", desk.now, detail="no e-mail address")
        return False
    desk.postman.write(
        desk.session, desk.vault, case=case, template=template, language=case.language,
        recipient=address, now=desk.now,
        context={"organisation_name": case.organisation.name,
                 "contact_name": client_name(desk, case), **context},
    )  # fmt: skip
    return True

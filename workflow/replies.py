"""Which case a reply belongs to: our signed Message-IDs, a +REF address, or the subject tag.

The subject tag and an unsigned +REF are easy to type for anyone, so they thread only mail
from a participant of that case (the client, or staff of its organisation); our signed
Message-ID and signed reply address prove the sender received our mail.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow import states
from workflow.cases import find_by_reference
from workflow.crypto import Vault
from workflow.models import Advisor, Case
from workflow.outbox import reference_of

SUBJECT_TAG = re.compile(r"\[(VP-\d{4}-\d{4,})\]")
PLUS_REFERENCE = re.compile(r"^[^@+]+\+(VP-\d{4}-\d{4,})(?:\.([0-9a-f]{20}))?@", re.IGNORECASE)


@dataclass(frozen=True)
class Thread:
    """The case a mail belongs to and how we know; `stranger_tag` notes an ignored tag."""

    case: Case | None
    method: str
    stranger_tag: str | None = None


def find_thread(
    session: Session,
    vault: Vault,
    *,
    message_ids: Iterable[str],
    recipients: Iterable[str],
    subject: str,
    sender: str | None,
) -> Thread:
    for message_id in message_ids:
        if (reference := reference_of(vault, message_id)) and (case := _case(session, reference)):
            return Thread(case, "message-id")
    for recipient in recipients:
        if thread := _by_plus_address(session, vault, recipient, sender):
            return thread
    tag = SUBJECT_TAG.search(subject)
    if tag is None:
        return Thread(None, "none")
    case = _case(session, tag.group(1))
    if case is not None and is_participant(session, vault, case, sender):
        return Thread(case, "subject-tag")
    return Thread(None, "none", stranger_tag=tag.group(1))


def _by_plus_address(
    session: Session, vault: Vault, recipient: str, sender: str | None
) -> Thread | None:
    match = PLUS_REFERENCE.match(recipient)
    if match is None:
        return None
    reference, signature = match.group(1).upper(), match.group(2)
    case = _case(session, reference)
    if case is None:
        return None
    if signature and vault.verify("plus:" + reference, signature.lower()):
        return Thread(case, "plus-address")
    if is_participant(session, vault, case, sender):
        return Thread(case, "plus-address")
    return None


def _case(session: Session, reference: str) -> Case | None:
    """The case a reply belongs to; an anonymised one takes nothing in (a reply opens a new
    case, so no personal data is added to what retention or an erasure emptied)."""
    found = find_by_reference(session, reference)
    return found if found is not None and found.state != states.ANONYMISED else None


def is_participant(session: Session, vault: Vault, case: Case, sender: str | None) -> bool:
    """The client of the case, or staff serving its organisation."""
    if not sender:
        return False
    if case.person is not None and case.person.email_hash == vault.blind_index(sender):
        return True
    return staff_of(session, case, sender) is not None


def staff_of(session: Session, case: Case, sender: str) -> Advisor | None:
    advisor = session.scalar(select(Advisor).where(Advisor.email == sender.strip().lower()))
    if advisor is None or case.organisation not in advisor.organisations:
        return None
    return advisor

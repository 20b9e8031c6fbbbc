"""The mail the pipeline set aside (quarantined, machine-made) and what a coordinator decides.

Who sees what: an item linked to a case is for the coordinators of that case's organisation.
An unlinked item belongs to the shared inbox: it is for the coordinators of the organisation
named by the setting `inbox_default_organisation` when that names one, otherwise for every
coordinator (the shared mailbox serves all their organisations). Anyone else sees nothing.

Decision: only set-aside mail is shown here. A mail that became a case or a reply holds the
client's words, which are for the case's advisor (forms.staff_cases); a duplicate is a copy
of such a mail, so it is not machine mail and is not shown either.

The decisions are one table (requeue, dismiss, treat as a person), each applied by one
conditional UPDATE, so two coordinators deciding at once cannot undo each other's work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, or_, select, true, update
from sqlalchemy.orm import Session

from workflow import mailtext
from workflow.crypto import Vault
from workflow.mailparse import UnparseableMail, parse
from workflow.models import Advisor, Case, InboundMail, Organisation

QUARANTINED, IGNORED, DISMISSED, PENDING = "quarantined", "ignored", "dismissed", "pending"
MACHINE_OUTCOMES = ("machine", "bounce")
LIST_CAP = 200  # per list, newest first; the page says how many there are in all
RAW_CAP = 20_000  # characters of an unreadable mail shown as text

# Each kind of item as a SQL condition; `kind_of` says the same in Python.
KINDS: dict[str, ColumnElement[bool]] = {
    "quarantined": InboundMail.status == QUARANTINED,
    "machine": (InboundMail.status == IGNORED) & InboundMail.outcome.in_(MACHINE_OUTCOMES),
    "dismissed": InboundMail.status == DISMISSED,
}


def kind_of(status: str, outcome: str | None) -> str | None:
    if status == IGNORED:
        return "machine" if outcome in MACHINE_OUTCOMES else None
    return status if status in (QUARANTINED, DISMISSED) else None


@dataclass(frozen=True)
class Decision:
    """What a coordinator may decide about which kind of item, and what it does to the row."""

    kinds: frozenset[str]
    values: tuple[tuple[str, Any], ...]  # the columns it sets; `now` stands for the time
    reasons: frozenset[str] | None = None  # only items set aside by these pipeline rules


AGAIN = (("status", PENDING), ("outcome", None), ("attempts", 0),
         ("next_attempt_at", "now"), ("claimed_until", None))  # fmt: skip
# A person may have written what the machine rules took for a bounce, an auto-reply or a
# list mail; never our own mail ("from-ourselves" does not look at the machine signal).
PERSON_RULES = frozenset({"bounce", "auto-reply", "list-mail"})

DECISIONS: dict[str, Decision] = {  # in the order the page offers them
    "requeue": Decision(frozenset({"quarantined"}), AGAIN),
    "treat_as_person": Decision(frozenset({"machine"}), (*AGAIN, ("treat_as_person", True)),
                                PERSON_RULES),
    "dismiss": Decision(frozenset({"quarantined", "machine"}),
                        (("status", DISMISSED), ("claimed_until", None))),
}  # fmt: skip


@dataclass(frozen=True)
class Item:
    """One set-aside mail as the coordinator's pages list it: facts, no content."""

    id: int
    kind: str  # quarantined | machine | dismissed
    outcome: str | None
    reason: str | None
    received_at: datetime
    size: int
    attempts: int
    reference: str | None  # the linked case, if any

    def can(self, decision: str) -> bool:
        rule = DECISIONS[decision]
        return self.kind in rule.kinds and (rule.reasons is None or self.reason in rule.reasons)

    @property
    def decisions(self) -> list[str]:
        return [name for name in DECISIONS if self.can(name)]


@dataclass(frozen=True)
class Listing:
    """The newest items of each kind asked for (at most LIST_CAP) and how many there are."""

    items: dict[str, list[Item]]
    counts: dict[str, int]


# --- who sees what ---------------------------------------------------------------------


def _visible(session: Session, staff: Advisor, default_organisation: str | None) -> Any:
    """The rows this staff member may see, as a SQL condition (on InboundMail joined to Case)."""
    if not staff.is_active or staff.role != "coordinator":
        return false()
    mine = [organisation.id for organisation in staff.organisations]
    linked = InboundMail.case_id.is_not(None) & Case.organisation_id.in_(mine)
    shared = InboundMail.case_id.is_(None) & (
        true() if _serves_shared_inbox(session, mine, default_organisation) else false()
    )
    return or_(linked, shared)


def _serves_shared_inbox(session: Session, mine: list[int], default: str | None) -> bool:
    """Unlinked mail: the default organisation's coordinators; without one (or when it names
    no organisation, as the pipeline then ignores it too), every coordinator."""
    if default is None:
        return True
    named = session.scalar(select(Organisation.id).where(Organisation.slug == default))
    return named is None or named in mine


def _items(condition: Any) -> Select[InboundMail, str]:
    return (
        select(InboundMail, Case.reference)
        .outerjoin(Case, Case.id == InboundMail.case_id)
        .where(condition)
    )


def _item(row: InboundMail, reference: str | None) -> Item:
    kind = kind_of(row.status, row.outcome)
    assert kind is not None, row.status
    return Item(row.id, kind, row.outcome, row.reason, row.received_at, row.size, row.attempts,
                reference)  # fmt: skip


def listing(
    session: Session,
    staff: Advisor,
    default_organisation: str | None,
    kinds: tuple[str, ...] = ("quarantined", "machine"),
    cap: int = LIST_CAP,
) -> Listing:
    """The items of these kinds this coordinator may see, newest first; counts of all kinds."""
    visible = _visible(session, staff, default_organisation)
    newest = (InboundMail.received_at.desc(), InboundMail.id.desc())
    items = {
        kind: [_item(row, reference) for row, reference in
               session.execute(_items(visible & KINDS[kind]).order_by(*newest).limit(cap))]
        for kind in kinds
    }  # fmt: skip
    counts = {
        kind: session.scalar(
            select(func.count(InboundMail.id))
            .outerjoin(Case, Case.id == InboundMail.case_id)
            .where(visible & condition)
        )
        or 0
        for kind, condition in KINDS.items()
    }
    return Listing(items, counts)


def find(
    session: Session, staff: Advisor, inbound_id: int, default_organisation: str | None
) -> Item | None:
    """One set-aside item, or None when it does not exist or is not theirs to see."""
    shown = or_(*KINDS.values())
    statement = _items(_visible(session, staff, default_organisation) & shown)
    found = session.execute(statement.where(InboundMail.id == inbound_id)).first()
    return _item(*found) if found is not None else None


# --- the decisions ---------------------------------------------------------------------


def decide(session: Session, inbound_id: int, decision: str, now: datetime) -> bool:
    """Apply one decision; False when the item is not (or no longer) of a kind it fits."""
    rule = DECISIONS[decision]
    condition = or_(*(KINDS[kind] for kind in rule.kinds))
    if rule.reasons is not None:
        condition = condition & InboundMail.reason.in_(rule.reasons)
    values = {name: now if value == "now" else value for name, value in rule.values}
    result = session.execute(
        update(InboundMail).where(InboundMail.id == inbound_id, condition).values(**values)
    )
    return getattr(result, "rowcount", 0) == 1


def requeue(session: Session, inbound_id: int, now: datetime) -> bool:
    """A quarantined mail goes back to pending, for another go from the start."""
    return decide(session, inbound_id, "requeue", now)


def dismiss(session: Session, inbound_id: int, now: datetime) -> bool:
    """Nothing more to do with it: a decision, not a deletion (the row and its bytes stay)."""
    return decide(session, inbound_id, "dismiss", now)


def treat_as_person(session: Session, inbound_id: int, now: datetime) -> bool:
    """A person wrote this machine-looking mail: processed again without the machine rules."""
    return decide(session, inbound_id, "treat_as_person", now)


# --- the content, sanitised --------------------------------------------------------------


@dataclass(frozen=True)
class FileFacts:
    """An attachment by name, type and size; its bytes are never offered."""

    name: str
    content_type: str
    size: int


@dataclass(frozen=True)
class Content:
    """A mail as plain text: decoded headers, the text (HTML converted), files listed.

    When nothing could be parsed, `unreadable` holds the parser's reason and `raw` the bytes
    as text (undecodable bytes replaced), at most RAW_CAP characters (`is_cut`).
    """

    headers: tuple[tuple[str, str], ...] = ()  # (from|to|subject|date, text)
    date: datetime | None = None
    text: str = ""
    files: tuple[FileFacts, ...] = ()
    defects: tuple[str, ...] = ()
    unreadable: str | None = None
    raw: str = ""
    is_cut: bool = False


HEADERS = ("from", "to", "subject", "date")


def content_of(session: Session, vault: Vault, inbound_id: int) -> Content:
    """The sanitised content of one stored mail (call `find` first: this checks no access)."""
    row = session.get_one(InboundMail, inbound_id)
    return content(vault.open_bytes(row.raw_enc))


def content(raw: bytes) -> Content:
    try:
        parsed = parse(raw)
    except UnparseableMail as error:
        return _as_raw_text(raw, error.reason)
    headers = tuple(
        (name, ", ".join(values)) for name in HEADERS if (values := parsed.headers.get(name))
    )
    files = tuple(FileFacts(a.filename, a.content_type, len(a.data)) for a in parsed.attachments)
    return Content(headers, parsed.date, parsed.text, files, parsed.defects)


def _as_raw_text(raw: bytes, reason: str) -> Content:
    head = raw[: RAW_CAP * 4]  # a character is at most four bytes of UTF-8
    text = mailtext.clean_text(head.decode("utf-8", errors="replace"))
    is_cut = len(text) > RAW_CAP or len(raw) > len(head)
    return Content(unreadable=reason, raw=text[:RAW_CAP], is_cut=is_cut)

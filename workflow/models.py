"""The tables: organisations, staff, cases, people, messages, events, tokens and the outbox.

Columns ending in `_enc` hold Fernet ciphertext (see workflow.crypto); columns ending in
`_hash` hold a keyed hash beside it where equality must be matched.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in and out, on PostgreSQL and on SQLite (which stores naive text)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("datetimes must be timezone-aware")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utc_column(nullable: bool = False) -> Mapped[datetime]:
    return mapped_column(UTCDateTime(), nullable=nullable)


advisor_organisations = Table(
    "advisor_organisations",
    Base.metadata,
    Column("advisor_id", ForeignKey("advisors.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
)


class Organisation(Base):
    """A tenant: a care or welfare organisation served by the central point."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    committee_email: Mapped[str | None] = mapped_column(String(320))
    complaint_role: Mapped[str] = mapped_column(String(32), default="chair")
    conduct_role: Mapped[str] = mapped_column(String(32), default="vertrouwenspersoon")
    question_role: Mapped[str] = mapped_column(String(32), default="vertrouwenspersoon")
    assignment_reminder_days: Mapped[int] = mapped_column(Integer, default=1)
    assignment_escalation_days: Mapped[int] = mapped_column(Integer, default=2)
    first_contact_days: Mapped[int] = mapped_column(Integer, default=3)
    inactivity_days: Mapped[int] = mapped_column(Integer, default=10)
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Amsterdam")
    business_start_hour: Mapped[int] = mapped_column(Integer, default=9)
    business_end_hour: Mapped[int] = mapped_column(Integer, default=17)
    signal_threshold: Mapped[int] = mapped_column(Integer, default=3)
    signal_window_days: Mapped[int] = mapped_column(Integer, default=365)
    retention_months: Mapped[int] = mapped_column(Integer, default=12)  # after closing
    machine_mail_retention_days: Mapped[int] = mapped_column(Integer, default=30)
    quarantine_retention_days: Mapped[int] = mapped_column(Integer, default=90)
    created_at: Mapped[datetime] = utc_column()

    advisors: Mapped[list[Advisor]] = relationship(
        secondary=advisor_organisations, back_populates="organisations"
    )


class Advisor(Base):
    """A staff member: vertrouwenspersoon, committee chair, coordinator or admin."""

    __tablename__ = "advisors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    gender: Mapped[str] = mapped_column(String(16))
    role: Mapped[str] = mapped_column(String(32))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    languages: Mapped[str] = mapped_column(String(64), default="nl")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    totp_secret_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    totp_enabled_at: Mapped[datetime | None] = utc_column(nullable=True)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)  # no code used twice
    totp_pending_enc: Mapped[bytes | None] = mapped_column(LargeBinary)  # a new one, unconfirmed
    created_at: Mapped[datetime] = utc_column()

    organisations: Mapped[list[Organisation]] = relationship(
        secondary=advisor_organisations, back_populates="advisors"
    )


class Person(Base):
    """The client: name and contact data, all sealed."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    name_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    email_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    email_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    phone_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    contact_preference: Mapped[str] = mapped_column(String(16), default="email")
    created_at: Mapped[datetime] = utc_column()


class CaseSequence(Base):
    """The last reference number handed out per year (VP-YYYY-NNNN)."""

    __tablename__ = "case_sequences"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(Integer)


class Case(Base):
    """One request for help and its place in the lifecycle."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    advisor_id: Mapped[int | None] = mapped_column(ForeignKey("advisors.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    preferred_gender: Mapped[str] = mapped_column(String(16), default="none")
    language: Mapped[str] = mapped_column(String(8), default="nl")
    state: Mapped[str] = mapped_column(String(24), index=True)
    counterpart_name_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    counterpart_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    counterpart_role_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    is_anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    is_urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    reason_category: Mapped[str | None] = mapped_column(String(48))
    submission_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    classification: Mapped[str | None] = mapped_column(Text)  # guesses and confidences, JSON
    path_step: Mapped[str | None] = mapped_column(String(48))
    support_form: Mapped[str | None] = mapped_column(String(48))
    outcome: Mapped[str | None] = mapped_column(String(48))
    first_contact_at: Mapped[datetime | None] = utc_column(nullable=True)
    waiting_since: Mapped[datetime | None] = utc_column(nullable=True)  # the clock stopped
    complaint_filed_at: Mapped[datetime | None] = utc_column(nullable=True)
    complaint_deadline_at: Mapped[datetime | None] = utc_column(nullable=True)
    is_deadline_extended: Mapped[bool] = mapped_column(Boolean, default=False)
    evaluation_state: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = utc_column()
    updated_at: Mapped[datetime] = utc_column()
    closed_at: Mapped[datetime | None] = utc_column(nullable=True)
    retention_warned_at: Mapped[datetime | None] = utc_column(nullable=True)
    anonymised_at: Mapped[datetime | None] = utc_column(nullable=True)

    organisation: Mapped[Organisation] = relationship()
    person: Mapped[Person | None] = relationship()
    advisor: Mapped[Advisor | None] = relationship()
    events: Mapped[list[Event]] = relationship(
        back_populates="case", order_by="Event.id", cascade="all, delete-orphan"
    )


class Message(Base):
    """What was written in a case; the body is always sealed."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    direction: Mapped[str] = mapped_column(String(8))
    author: Mapped[str] = mapped_column(String(16))
    body_enc: Mapped[bytes] = mapped_column(LargeBinary)
    quoted_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    inbound_mail_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_mails.id"))
    created_at: Mapped[datetime] = utc_column()


class Event(Base):
    """One line of a case's timeline. `detail` never holds personal data."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = utc_column()
    name: Mapped[str] = mapped_column(String(48))
    from_state: Mapped[str | None] = mapped_column(String(24))
    to_state: Mapped[str | None] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(String(64), default="system")
    detail: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[Case] = relationship(back_populates="events")


class AccessToken(Base):
    """A secret link (and optional code) for a client or advisor; only hashes are stored."""

    __tablename__ = "access_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(24))
    advisor_id: Mapped[int | None] = mapped_column(ForeignKey("advisors.id", ondelete="CASCADE"))
    subject_id: Mapped[int | None] = mapped_column(Integer)  # e.g. the consent it answers
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    code_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = utc_column()
    expires_at: Mapped[datetime] = utc_column()
    used_at: Mapped[datetime | None] = utc_column(nullable=True)


class CaseExclusion(Base):
    """An advisor who may not (or will not) handle a case: declined, no answer, or one side."""

    __tablename__ = "case_exclusions"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    advisor_id: Mapped[int] = mapped_column(
        ForeignKey("advisors.id", ondelete="CASCADE"), primary_key=True
    )
    reason: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = utc_column()


class Consent(Base):
    """The client's permission for one action: what, towards whom, which information (sealed)."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(48))
    what_enc: Mapped[bytes] = mapped_column(LargeBinary)
    towards_enc: Mapped[bytes] = mapped_column(LargeBinary)
    information_enc: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(16), default="requested")
    requested_by: Mapped[str] = mapped_column(String(320))
    requested_at: Mapped[datetime] = utc_column()
    answered_at: Mapped[datetime | None] = utc_column(nullable=True)
    withdrawn_at: Mapped[datetime | None] = utc_column(nullable=True)


class Reminder(Base):
    """Work that falls due: a reminder, an escalation, a lapse. Swept by beat and `tick`."""

    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_status_due_at", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    due_at: Mapped[datetime] = utc_column()
    remaining_seconds: Mapped[float | None] = mapped_column()  # business time left while paused
    created_at: Mapped[datetime] = utc_column()
    done_at: Mapped[datetime | None] = utc_column(nullable=True)


class Signal(Base):
    """Several cases name the same person in one organisation: a coordinator decides."""

    __tablename__ = "signals"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    counterpart_hash: Mapped[str] = mapped_column(String(64), index=True)
    case_count: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="open")
    raised_at: Mapped[datetime] = utc_column()
    decision_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    decided_by: Mapped[str | None] = mapped_column(String(320))
    decided_at: Mapped[datetime | None] = utc_column(nullable=True)


class Evaluation(Base):
    """A client's evaluation, kept apart from the case and the client: only the period."""

    __tablename__ = "evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    period: Mapped[str] = mapped_column(String(8))  # "2026-Q4": nothing finer
    experience: Mapped[int | None] = mapped_column(Integer)  # 1 (bad) .. 5 (good)
    useful: Mapped[str | None] = mapped_column(String(8))  # yes | partly | no
    advice_themes: Mapped[str] = mapped_column(String(255), default="")
    advice_enc: Mapped[bytes | None] = mapped_column(LargeBinary)


class DataRequest(Base):
    """A client's request under the privacy law (AVG art. 17: erase my data), and how it ended.

    It outlives the case's personal data: the reference and the dates stay, so the
    organisation can show it answered within the legal month.
    """

    __tablename__ = "data_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    case_reference: Mapped[str] = mapped_column(String(20), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="erasure")
    status: Mapped[str] = mapped_column(String(16), default="open")  # open|granted|refused
    requested_at: Mapped[datetime] = utc_column()
    due_at: Mapped[datetime] = utc_column()  # one month later (AVG art. 12(3))
    reminded_at: Mapped[datetime | None] = utc_column(nullable=True)
    settled_at: Mapped[datetime | None] = utc_column(nullable=True)
    settled_by: Mapped[str | None] = mapped_column(String(64))
    note_enc: Mapped[bytes | None] = mapped_column(LargeBinary)  # why refused, sealed


class StaffToken(Base):
    """A one-time sign-in link for staff: only the hash is stored."""

    __tablename__ = "staff_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    advisor_id: Mapped[int] = mapped_column(
        ForeignKey("advisors.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[str] = mapped_column(String(24))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = utc_column()
    expires_at: Mapped[datetime] = utc_column()
    used_at: Mapped[datetime | None] = utc_column(nullable=True)


class SignInAttempt(Base):
    """A failed sign-in, by keyed hash of the account and of the address: for throttling."""

    __tablename__ = "sign_in_attempts"
    __table_args__ = (Index("ix_sign_in_attempts_key_hash_at", "key_hash", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = utc_column()


class AuditEntry(Base):
    """Who saw or did what to a case, and when: no content, no address. Append-only."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = utc_column()
    staff_id: Mapped[int | None] = mapped_column(Integer, index=True)
    staff_role: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(48))
    case_reference: Mapped[str | None] = mapped_column(String(20), index=True)
    detail: Mapped[str] = mapped_column(String(200), default="")


class Absence(Base):
    """A period an advisor is away (leave): routing gives them no new cases then."""

    __tablename__ = "absences"

    id: Mapped[int] = mapped_column(primary_key=True)
    advisor_id: Mapped[int] = mapped_column(
        ForeignKey("advisors.id", ondelete="CASCADE"), index=True
    )
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)


class OutboxMail(Base):
    """An outgoing mail, written in the same transaction as the change that causes it."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="SET NULL"), index=True
    )
    template: Mapped[str] = mapped_column(String(48))
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    recipient_enc: Mapped[bytes] = mapped_column(LargeBinary)
    recipient_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    message_enc: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = utc_column()
    next_attempt_at: Mapped[datetime] = utc_column()
    claimed_until: Mapped[datetime | None] = utc_column(nullable=True)
    sent_at: Mapped[datetime | None] = utc_column(nullable=True)


class InboundMail(Base):
    """A raw mail from the shared inbox, stored (sealed) before the server is told we have it."""

    __tablename__ = "inbound_mails"
    __table_args__ = (
        UniqueConstraint("mailbox", "uidvalidity", "uid"),
        Index("ix_inbound_mails_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mailbox: Mapped[str] = mapped_column(String(200))
    uidvalidity: Mapped[int | None] = mapped_column(BigInteger)
    uid: Mapped[int | None] = mapped_column(BigInteger)
    message_key: Mapped[str] = mapped_column(String(64), unique=True)
    content_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    raw_enc: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    outcome: Mapped[str | None] = mapped_column(String(24))
    reason: Mapped[str | None] = mapped_column(Text)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="SET NULL"), index=True
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    treat_as_person: Mapped[bool] = mapped_column(Boolean, default=False)  # a coordinator said so
    received_at: Mapped[datetime] = utc_column()
    next_attempt_at: Mapped[datetime] = utc_column()
    claimed_until: Mapped[datetime | None] = utc_column(nullable=True)
    processed_at: Mapped[datetime | None] = utc_column(nullable=True)


class Attachment(Base):
    """A file that came with a mail: name and content sealed, size limited."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    inbound_mail_id: Mapped[int] = mapped_column(
        ForeignKey("inbound_mails.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    filename_enc: Mapped[bytes] = mapped_column(LargeBinary)
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    data_enc: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = utc_column()


class MailboxLock(Base):
    """One watcher per mailbox: a lock row with an expiry, renewed while the watcher lives."""

    __tablename__ = "mailbox_locks"

    mailbox: Mapped[str] = mapped_column(String(200), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    expires_at: Mapped[datetime] = utc_column()


__all__ = [
    "Absence",
    "AccessToken",
    "Advisor",
    "Attachment",
    "AuditEntry",
    "Base",
    "Case",
    "CaseExclusion",
    "CaseSequence",
    "Consent",
    "Evaluation",
    "Event",
    "InboundMail",
    "MailboxLock",
    "Message",
    "Organisation",
    "OutboxMail",
    "Person",
    "Reminder",
    "SignInAttempt",
    "Signal",
    "StaffToken",
    "advisor_organisations",
]

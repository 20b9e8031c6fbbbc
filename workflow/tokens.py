"""Secret links and codes: random, stored only as keyed hashes, expiring."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from workflow.crypto import Vault
from workflow.models import AccessToken, Case

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed by hand
DOSSIER_LIFETIME = timedelta(days=400)
CHOOSE_LIFETIME = timedelta(days=30)
TASK_LIFETIME = timedelta(days=14)  # accept or decline an assignment
WORK_LIFETIME = timedelta(days=7)  # the advisor's page of a case, until sign-in exists
CONSENT_LIFETIME = timedelta(days=14)
EVALUATION_LIFETIME = timedelta(days=21)


@dataclass(frozen=True)
class IssuedToken:
    """The secrets as handed out once; only their hashes are kept."""

    token: str
    code: str | None


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def issue(
    session: Session,
    vault: Vault,
    case: Case,
    purpose: str,
    now: datetime,
    lifetime: timedelta,
    *,
    with_code: bool = False,
    advisor_id: int | None = None,
    subject_id: int | None = None,
) -> IssuedToken:
    token = secrets.token_urlsafe(32)
    code = new_code() if with_code else None
    session.add(
        AccessToken(
            case_id=case.id,
            purpose=purpose,
            advisor_id=advisor_id,
            subject_id=subject_id,
            token_hash=vault.token_hash(token),
            code_hash=vault.token_hash(code) if code else None,
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    return IssuedToken(token, code)


def find_valid(
    session: Session, vault: Vault, token: str, purpose: str, now: datetime
) -> AccessToken | None:
    """The unexpired, unused token of this purpose, or None (one answer for every failure)."""
    row = session.scalar(
        select(AccessToken).where(
            AccessToken.token_hash == vault.token_hash(token), AccessToken.purpose == purpose
        )
    )
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    return row


def spend_all(
    session: Session,
    case: Case,
    purpose: str,
    now: datetime,
    *,
    advisor_id: int | None = None,
    subject_id: int | None = None,
) -> None:
    """Mark every unused token of this kind used: one answer ends all the links that ask it."""
    statement = update(AccessToken).where(
        AccessToken.case_id == case.id,
        AccessToken.purpose == purpose,
        AccessToken.used_at.is_(None),
    )
    if advisor_id is not None:
        statement = statement.where(AccessToken.advisor_id == advisor_id)
    if subject_id is not None:
        statement = statement.where(AccessToken.subject_id == subject_id)
    session.execute(statement.values(used_at=now).execution_options(synchronize_session="fetch"))

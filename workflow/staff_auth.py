"""Staff sign-in: a password (argon2) or a one-time link by mail, then a second factor (TOTP).

Every failure answers the same, whether or not the account exists. Failed attempts are
counted per account and per address (keyed hashes, no address is stored) and throttle
further tries for a while. Coordinators and admins must use the second factor; advisors
may. A TOTP code is never accepted twice.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow.crypto import Vault
from workflow.models import Advisor, SignInAttempt, StaffToken

SIGN_IN_LINK_LIFETIME = timedelta(minutes=15)
THROTTLE_WINDOW = timedelta(minutes=15)
ACCOUNT_LIMIT = 5  # failed tries per account in the window
ADDRESS_LIMIT = 20  # failed tries per client address in the window
MIN_PASSWORD_LENGTH = 12
SECOND_FACTOR_REQUIRED = frozenset({"coordinator", "admin"})
TOTP_ISSUER = "vertrouwd"

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))  # the same work when nobody matches


class WeakPassword(ValueError):
    """A password too short to keep a case file safe."""


def set_password(advisor: Advisor, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    advisor.password_hash = _hasher.hash(password)


def staff_by_email(session: Session, email: str) -> Advisor | None:
    return session.scalar(
        select(Advisor).where(Advisor.email == email.strip().lower(), Advisor.is_active.is_(True))
    )


def _keys(vault: Vault, email: str, address: str) -> tuple[str, str]:
    return (
        vault.token_hash("sign-in account:" + email.strip().lower()),
        vault.token_hash("sign-in address:" + address),
    )


def is_throttled(session: Session, vault: Vault, email: str, address: str, now: datetime) -> bool:
    account, origin = _keys(vault, email, address)
    since = now - THROTTLE_WINDOW
    rows = session.execute(
        select(SignInAttempt.key_hash, func.count())
        .where(SignInAttempt.key_hash.in_((account, origin)), SignInAttempt.at > since)
        .group_by(SignInAttempt.key_hash)
    ).all()
    counts = {key: int(count) for key, count in rows}
    return counts.get(account, 0) >= ACCOUNT_LIMIT or counts.get(origin, 0) >= ADDRESS_LIMIT


def record_failure(session: Session, vault: Vault, email: str, address: str, now: datetime) -> None:
    for key in _keys(vault, email, address):
        session.add(SignInAttempt(key_hash=key, at=now))


def check_password(
    session: Session, vault: Vault, email: str, password: str, address: str, now: datetime
) -> Advisor | None:
    """The staff member, or None for every kind of failure (and the failure is counted)."""
    if is_throttled(session, vault, email, address, now):
        return None
    advisor = staff_by_email(session, email)
    stored = advisor.password_hash if advisor is not None and advisor.password_hash else None
    try:
        _hasher.verify(stored or _DUMMY_HASH, password)
        is_right = stored is not None
    except (VerificationError, InvalidHashError):
        is_right = False
    if not is_right or advisor is None:
        record_failure(session, vault, email, address, now)
        return None
    if _hasher.check_needs_rehash(stored or ""):
        advisor.password_hash = _hasher.hash(password)
    return advisor


def issue_sign_in_link(session: Session, vault: Vault, email: str, now: datetime) -> str | None:
    """A one-time token for the mailed link, or None when there is no such active account."""
    advisor = staff_by_email(session, email)
    if advisor is None:
        return None
    token = secrets.token_urlsafe(32)
    session.add(StaffToken(
        advisor_id=advisor.id, purpose="sign_in", token_hash=vault.token_hash(token),
        created_at=now, expires_at=now + SIGN_IN_LINK_LIFETIME,
    ))  # fmt: skip
    return token


def sign_in_link_owner(session: Session, vault: Vault, token: str, now: datetime) -> Advisor | None:
    """Who a valid, unused link belongs to (GET shows the button; nothing is spent).

    Like `use_sign_in_link`, nobody for a deactivated account: no button that cannot work.
    """
    row = _valid_link(session, vault, token, now)
    advisor = None if row is None else session.get(Advisor, row.advisor_id)
    return advisor if advisor is not None and advisor.is_active else None


def use_sign_in_link(session: Session, vault: Vault, token: str, now: datetime) -> Advisor | None:
    """Spend the link (POST) and return its owner while still active."""
    row = _valid_link(session, vault, token, now)
    if row is None:
        return None
    row.used_at = now
    advisor = session.get(Advisor, row.advisor_id)
    return advisor if advisor is not None and advisor.is_active else None


def _valid_link(session: Session, vault: Vault, token: str, now: datetime) -> StaffToken | None:
    statement = select(StaffToken).where(
        StaffToken.token_hash == vault.token_hash(token), StaffToken.purpose == "sign_in"
    )
    row = session.scalar(statement)
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    return row


# --- the second factor ---------------------------------------------------------------


def needs_second_factor(advisor: Advisor) -> bool:
    return advisor.totp_enabled_at is not None or advisor.role in SECOND_FACTOR_REQUIRED


def factors_to_enrol(advisor: Advisor) -> frozenset[str]:
    """What must be given before setting up the second factor at sign-in: every first factor
    the account has. A stolen password alone cannot bind the attacker's phone to the
    account; the mailbox is needed too (and the password, when there is one)."""
    return frozenset({"link", "password"} if advisor.password_hash else {"link"})


def must_enrol(advisor: Advisor) -> bool:
    return advisor.role in SECOND_FACTOR_REQUIRED and advisor.totp_enabled_at is None


def start_enrolment(vault: Vault, advisor: Advisor) -> str:
    """A new secret, kept sealed and pending, and its otpauth:// URI for the QR code.

    The secret in force (if any) keeps working until a code of the new one confirms it, so
    setting up a new phone never locks the owner out halfway.
    """
    secret = pyotp.random_base32()
    advisor.totp_pending_enc = vault.seal(secret)
    return provisioning_uri(advisor, secret)


def provisioning_uri(advisor: Advisor, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=advisor.email, issuer_name=TOTP_ISSUER)


def enrolment_secret(vault: Vault, advisor: Advisor) -> str | None:
    """The secret being set up (not yet in force), if any."""
    return vault.open_optional(advisor.totp_pending_enc)


def confirm_enrolment(vault: Vault, advisor: Advisor, code: str, now: datetime) -> bool:
    """A right code of the pending secret puts it in force, in place of any earlier one."""
    pending = vault.open_optional(advisor.totp_pending_enc)
    step = None if pending is None else _matching_step(pending, code, now, None)
    if step is None:
        return False
    advisor.totp_secret_enc, advisor.totp_pending_enc = advisor.totp_pending_enc, None
    advisor.totp_last_step, advisor.totp_enabled_at = step, now
    return True


def reset_second_factor(advisor: Advisor) -> None:
    """An admin's reset (a lost phone): the owner sets it up anew at the next sign-in."""
    advisor.totp_secret_enc = advisor.totp_pending_enc = None
    advisor.totp_enabled_at = advisor.totp_last_step = None


def check_code(vault: Vault, advisor: Advisor, code: str, now: datetime) -> bool:
    """A code of the secret in force, of this or a neighbouring step, never one used before."""
    secret = vault.open_optional(advisor.totp_secret_enc) if advisor.totp_enabled_at else None
    if secret is None:
        return False
    step = _matching_step(secret, code, now, advisor.totp_last_step)
    if step is None:
        return False
    advisor.totp_last_step = step
    return True


def _matching_step(secret: str, code: str, now: datetime, last_step: int | None) -> int | None:
    """The 30-second step (this one or a neighbour) the code belongs to, if after last_step."""
    digits = "".join(code.split())
    # isdigit() alone lets through other scripts' digits ("١٢٣٤٥٦", "²"), which
    # compare_digest refuses with a TypeError: only six ASCII digits are a code.
    if not (digits.isascii() and digits.isdigit() and len(digits) == 6):
        return None
    totp = pyotp.TOTP(secret)
    step = int(now.timestamp()) // totp.interval
    for candidate in (step, step - 1, step + 1):
        if secrets.compare_digest(totp.at(candidate * totp.interval), digits):
            return None if last_step is not None and candidate <= last_step else candidate
    return None

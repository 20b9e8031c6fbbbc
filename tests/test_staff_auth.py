"""Staff sign-in on SQLite and PostgreSQL: argon2 passwords, throttling, one-time links, TOTP."""

from __future__ import annotations

from datetime import datetime, timedelta

import pyotp
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from tests.conftest import Clock, seed_organisation
from workflow import staff_auth
from workflow.db import Database
from workflow.models import Advisor, SignInAttempt

PASSWORD = "correct horse battery staple"
HERE = "192.0.2.10"  # documentation addresses (RFC 5737)
ELSEWHERE = "198.51.100.7"

STAFF = (
    ("Anna", "female", "vertrouwenspersoon"),
    ("Els", "female", "chair"),
    ("Coco", "female", "coordinator"),
    ("Adam", "male", "admin"),
)


@pytest.fixture
def staffed(database: Database, clock: Clock) -> Database:
    """The organisation with one staff member of each role; Anna has a password."""
    seed_organisation(database, clock(), staff=STAFF)
    with database.unit_of_work() as uow:
        staff_auth.set_password(staff(uow.session, "anna"), PASSWORD)
        uow.commit()
    return database


def staff(session: Session, name: str) -> Advisor:
    return session.scalars(select(Advisor).where(Advisor.email == f"{name}@example.org")).one()


def sign_in(
    database: Database, password: str, now: datetime, *, email: str = "anna@example.org",
    address: str = HERE,
) -> Advisor | None:  # fmt: skip
    """One password attempt in its own transaction, as one web request would make it."""
    with database.unit_of_work() as uow:
        found = staff_auth.check_password(uow.session, uow.vault, email, password, address, now)
        uow.commit()
        return found


def failures(database: Database) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(SignInAttempt)) or 0


# --- passwords -------------------------------------------------------------------------


def test_an_argon2_hash_is_stored_never_the_password(staffed: Database) -> None:
    with staffed.session() as session:
        stored = session.execute(
            text("SELECT password_hash FROM advisors WHERE email = 'anna@example.org'")
        ).scalar_one()
        every_row = " ".join(str(row) for row in session.execute(text("SELECT * FROM advisors")))
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored and PASSWORD not in every_row


def test_a_short_password_is_refused(staffed: Database) -> None:
    with staffed.unit_of_work() as uow, pytest.raises(staff_auth.WeakPassword):
        staff_auth.set_password(
            staff(uow.session, "els"), "x" * (staff_auth.MIN_PASSWORD_LENGTH - 1)
        )


def test_the_right_password_gives_the_staff_member_and_counts_nothing(
    staffed: Database, clock: Clock
) -> None:
    found = sign_in(staffed, PASSWORD, clock())

    assert found is not None and found.email == "anna@example.org"
    assert sign_in(staffed, PASSWORD, clock(), email="  ANNA@example.org ") is not None
    assert failures(staffed) == 0


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("anna@example.org", "not the password at all"),
        ("nobody@example.org", PASSWORD),
        ("els@example.org", PASSWORD),  # an account without a password
    ],
    ids=["wrong-password", "unknown-account", "no-password-set"],
)
def test_every_failure_answers_none_and_is_counted_per_account_and_address(
    staffed: Database, clock: Clock, email: str, password: str
) -> None:
    assert sign_in(staffed, password, clock(), email=email) is None
    assert failures(staffed) == 2  # one for the account, one for the address


def test_five_failures_throttle_the_account_even_for_the_right_password(
    staffed: Database, clock: Clock
) -> None:
    began = clock()
    for _ in range(staff_auth.ACCOUNT_LIMIT):
        assert sign_in(staffed, "a wrong guess!", clock()) is None

    assert sign_in(staffed, PASSWORD, clock()) is None
    assert sign_in(staffed, PASSWORD, clock(), address=ELSEWHERE) is None  # per account
    clock.now = began + staff_auth.THROTTLE_WINDOW - timedelta(seconds=1)
    assert sign_in(staffed, PASSWORD, clock()) is None
    clock.now = began + staff_auth.THROTTLE_WINDOW
    assert sign_in(staffed, PASSWORD, clock()) is not None


def test_twenty_failures_from_one_address_throttle_every_account_from_it(
    staffed: Database, clock: Clock
) -> None:
    for number in range(staff_auth.ADDRESS_LIMIT):  # one try per account: no account limit
        assert sign_in(staffed, PASSWORD, clock(), email=f"guess{number}@example.org") is None

    assert sign_in(staffed, PASSWORD, clock()) is None
    assert sign_in(staffed, PASSWORD, clock(), address=ELSEWHERE) is not None
    clock.advance(minutes=15)
    assert sign_in(staffed, PASSWORD, clock()) is not None


def test_fewer_failures_than_the_limits_do_not_throttle(staffed: Database, clock: Clock) -> None:
    for _ in range(staff_auth.ACCOUNT_LIMIT - 1):
        assert sign_in(staffed, "a wrong guess!", clock()) is None

    assert sign_in(staffed, PASSWORD, clock()) is not None


# --- sign-in links ---------------------------------------------------------------------


def issue(database: Database, now: datetime, email: str = "anna@example.org") -> str | None:
    with database.unit_of_work() as uow:
        token = staff_auth.issue_sign_in_link(uow.session, uow.vault, email, now)
        uow.commit()
        return token


def owner(database: Database, token: str, now: datetime) -> str | None:
    """What GET sees: the owner's address, and nothing is spent."""
    with database.unit_of_work() as uow:
        found = staff_auth.sign_in_link_owner(uow.session, uow.vault, token, now)
        uow.commit()
        return None if found is None else found.email


def use(database: Database, token: str, now: datetime) -> str | None:
    """What POST does: spend the link and sign in."""
    with database.unit_of_work() as uow:
        found = staff_auth.use_sign_in_link(uow.session, uow.vault, token, now)
        uow.commit()
        return None if found is None else found.email


def test_a_sign_in_link_is_single_use_and_looking_at_it_spends_nothing(
    staffed: Database, clock: Clock
) -> None:
    token = issue(staffed, clock())
    assert token is not None

    assert owner(staffed, token, clock()) == "anna@example.org"
    assert owner(staffed, token, clock()) == "anna@example.org"
    assert use(staffed, token, clock()) == "anna@example.org"
    assert use(staffed, token, clock()) is None
    assert owner(staffed, token, clock()) is None


def test_a_sign_in_link_expires_after_fifteen_minutes(staffed: Database, clock: Clock) -> None:
    token = issue(staffed, clock())
    assert token is not None
    began = clock()

    assert owner(staffed, token, began + timedelta(minutes=14, seconds=59)) is not None
    assert owner(staffed, token, began + staff_auth.SIGN_IN_LINK_LIFETIME) is None
    assert use(staffed, token, began + staff_auth.SIGN_IN_LINK_LIFETIME) is None


def test_only_the_hash_of_a_link_is_stored_and_a_made_up_token_is_nothing(
    staffed: Database, clock: Clock
) -> None:
    token = issue(staffed, clock())
    assert token is not None
    with staffed.session() as session:
        stored = session.execute(text("SELECT token_hash FROM staff_tokens")).scalar_one()

    assert stored != token and token not in stored
    assert owner(staffed, token[:-1] + ("A" if token[-1] != "A" else "B"), clock()) is None
    assert issue(staffed, clock(), email="nobody@example.org") is None


def test_inactive_staff_cannot_sign_in_by_password_or_link(staffed: Database, clock: Clock) -> None:
    earlier_link = issue(staffed, clock())
    assert earlier_link is not None
    with staffed.unit_of_work() as uow:
        staff(uow.session, "anna").is_active = False
        uow.commit()

    assert sign_in(staffed, PASSWORD, clock()) is None
    assert issue(staffed, clock()) is None
    assert owner(staffed, earlier_link, clock()) is None
    assert use(staffed, earlier_link, clock()) is None


# --- the second factor -----------------------------------------------------------------


def enrol(database: Database, name: str, now: datetime) -> pyotp.TOTP:
    """Start enrolment; the authenticator app's view of the secret, read from the QR URI."""
    with database.unit_of_work() as uow:
        uri = staff_auth.start_enrolment(uow.vault, staff(uow.session, name))
        uow.commit()
    parsed = pyotp.parse_uri(uri)
    assert isinstance(parsed, pyotp.TOTP)
    assert f"{name}%40example.org" in uri and "issuer=vertrouwd" in uri
    return parsed


def confirm(database: Database, name: str, code: str, now: datetime) -> bool:
    with database.unit_of_work() as uow:
        is_right = staff_auth.confirm_enrolment(uow.vault, staff(uow.session, name), code, now)
        uow.commit()
        return is_right


def in_force(database: Database, name: str, now: datetime) -> pyotp.TOTP:
    """Enrolled, with no code used yet (as if confirmed by a code long ago)."""
    authenticator = enrol(database, name, now)
    with database.unit_of_work() as uow:
        member = staff(uow.session, name)
        member.totp_secret_enc, member.totp_pending_enc = member.totp_pending_enc, None
        member.totp_enabled_at = now
        uow.commit()
    return authenticator


def check(database: Database, name: str, code: str, now: datetime) -> bool:
    """One code in its own transaction: what was used must be remembered across requests."""
    with database.unit_of_work() as uow:
        is_right = staff_auth.check_code(uow.vault, staff(uow.session, name), code, now)
        uow.commit()
        return is_right


@pytest.mark.parametrize(
    ("name", "is_required"),
    [("anna", False), ("els", False), ("coco", True), ("adam", True)],
)
def test_coordinators_and_admins_must_enrol_advisors_may(
    staffed: Database, clock: Clock, name: str, is_required: bool
) -> None:
    with staffed.session() as session:
        member = staff(session, name)
        assert staff_auth.must_enrol(member) is is_required
        assert staff_auth.needs_second_factor(member) is is_required

    authenticator = enrol(staffed, name, clock())
    assert confirm(staffed, name, authenticator.at(clock()), clock())

    with staffed.session() as session:
        member = staff(session, name)
        assert not staff_auth.must_enrol(member)
        assert staff_auth.needs_second_factor(member)  # once enrolled, always asked
        assert member.totp_enabled_at == clock()
        assert staffed.vault.open_optional(member.totp_secret_enc) == authenticator.secret
        assert staff_auth.enrolment_secret(staffed.vault, member) is None  # nothing pending
        assert member.totp_secret_enc is not None
        assert authenticator.secret.encode() not in member.totp_secret_enc


def test_a_wrong_code_does_not_confirm_enrolment(staffed: Database, clock: Clock) -> None:
    authenticator = enrol(staffed, "coco", clock())
    wrong = f"{(int(authenticator.at(clock())) + 1) % 1_000_000:06d}"

    assert not confirm(staffed, "coco", wrong, clock())
    with staffed.session() as session:
        assert staff_auth.must_enrol(staff(session, "coco"))


def test_a_code_is_refused_the_second_time(staffed: Database, clock: Clock) -> None:
    authenticator = enrol(staffed, "coco", clock())
    code = authenticator.at(clock())
    assert confirm(staffed, "coco", code, clock())

    assert not check(staffed, "coco", code, clock())
    assert not check(staffed, "coco", code, clock() + timedelta(seconds=20))
    later = clock() + timedelta(seconds=30)
    assert check(staffed, "coco", authenticator.at(later), later)


def test_codes_of_the_neighbouring_steps_are_accepted_and_no_further(
    staffed: Database, clock: Clock
) -> None:
    authenticator = in_force(staffed, "coco", clock())
    now = clock()
    step = timedelta(seconds=authenticator.interval)

    assert not check(staffed, "coco", authenticator.at(now - 2 * step), now)
    assert not check(staffed, "coco", authenticator.at(now + 2 * step), now)
    assert check(staffed, "coco", authenticator.at(now - step), now)  # a slow phone
    assert check(staffed, "coco", authenticator.at(now + step), now)  # a fast one
    # A code of a step no later than one already used is a replay, even if never typed.
    assert not check(staffed, "coco", authenticator.at(now), now)


def test_a_code_typed_with_a_space_is_accepted(staffed: Database, clock: Clock) -> None:
    authenticator = in_force(staffed, "coco", clock())
    code = authenticator.at(clock())

    assert check(staffed, "coco", f" {code[:3]} {code[3:]} ", clock())


@pytest.mark.parametrize(
    "malformed", ["", "12345", "1234567", "abcdef", "12a456", "١٢٣٤٥٦", "12345²", "123456\x00"]
)
def test_malformed_codes_are_refused(staffed: Database, clock: Clock, malformed: str) -> None:
    in_force(staffed, "coco", clock())

    assert not check(staffed, "coco", malformed, clock())
    with staffed.session() as session:
        assert staff(session, "coco").totp_last_step is None


def test_without_a_secret_no_code_is_right(staffed: Database, clock: Clock) -> None:
    assert not check(staffed, "coco", "123456", clock())


def test_a_new_phone_waits_beside_the_old_one_until_its_first_code(
    staffed: Database, clock: Clock
) -> None:
    old = enrol(staffed, "coco", clock())
    assert confirm(staffed, "coco", old.at(clock()), clock())
    later = clock() + timedelta(minutes=5)
    new = enrol(staffed, "coco", later)
    assert new.secret != old.secret

    assert check(staffed, "coco", old.at(later), later)  # the old phone still works
    assert not check(staffed, "coco", new.at(later + timedelta(seconds=30)), later)
    assert not confirm(staffed, "coco", old.at(later + timedelta(seconds=30)), later)
    confirmed_at = later + timedelta(seconds=30)
    assert confirm(staffed, "coco", new.at(confirmed_at), confirmed_at)

    then = confirmed_at + timedelta(seconds=30)
    assert not check(staffed, "coco", old.at(then), then)  # the old phone is out
    assert check(staffed, "coco", new.at(then), then)


def test_a_reset_clears_the_second_factor_and_the_role_must_enrol_again(
    staffed: Database, clock: Clock
) -> None:
    authenticator = enrol(staffed, "coco", clock())
    assert confirm(staffed, "coco", authenticator.at(clock()), clock())
    with staffed.unit_of_work() as uow:
        staff_auth.reset_second_factor(staff(uow.session, "coco"))
        uow.commit()

    with staffed.session() as session:
        member = staff(session, "coco")
        assert staff_auth.must_enrol(member)
        assert member.totp_secret_enc is None and member.totp_last_step is None
    later = clock() + timedelta(seconds=30)
    assert not check(staffed, "coco", authenticator.at(later), later)


@pytest.mark.parametrize(("has_password", "factors"),
                         [(True, {"password", "link"}), (False, {"link"})])  # fmt: skip
def test_enrolling_needs_every_first_factor_the_account_has(
    staffed: Database, has_password: bool, factors: set[str]
) -> None:
    with staffed.session() as session:
        member = staff(session, "coco")
        member.password_hash = None
        if has_password:
            staff_auth.set_password(member, "a long enough password")
        assert staff_auth.factors_to_enrol(member) == factors

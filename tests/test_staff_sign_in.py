"""Staff sign-in over the Flask test client: password, mailed link, TOTP, throttling, sessions."""

from __future__ import annotations

import re
from pathlib import Path

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from forms import services
from forms.staff_session import current_staff
from forms.words_sign_in import SIGN_IN_TEXT
from tests.conftest import Clock, Web, web_app
from tests.outbox_reading import link_in_last_mail, mail_text, mails_to, templates_to
from workflow import staff_auth
from workflow.db import Database
from workflow.models import AuditEntry, SignInAttempt, StaffToken

NL, EN = SIGN_IN_TEXT["nl"], SIGN_IN_TEXT["en"]
ANNA, COCO, NOBODY = "anna@example.org", "coco@example.org", "nobody@example.org"
PASSWORD = "correct horse battery staple"
WHO = "/medewerkers/test/wie"  # a test-only page: who is signed in, by the staff session
SIGN_IN, LINK, CODE, ENROL = (
    "/medewerkers/inloggen",
    "/medewerkers/inloglink",
    "/medewerkers/tweede-stap",
    "/medewerkers/tweede-stap/instellen",
)


def _who() -> str:
    with services().database.session() as db:
        advisor = current_staff(db)
        return "nobody" if advisor is None else advisor.name


def ready_for_sign_in(app: Flask, database: Database) -> None:
    """A test-only page naming who is signed in, and passwords for Anna and Coco."""
    app.add_url_rule(WHO, "test_who", _who)
    for address in (ANNA, COCO):
        set_password(database, address)


@pytest.fixture
def web(web: Web) -> Web:
    ready_for_sign_in(web.app, web.database)
    return web


# --- helpers ------------------------------------------------------------------------------


def set_password(database: Database, address: str, password: str = PASSWORD) -> None:
    with database.unit_of_work() as uow:
        advisor = staff_auth.staff_by_email(uow.session, address)
        assert advisor is not None
        staff_auth.set_password(advisor, password)
        uow.commit()


def csrf(client: FlaskClient, path: str = SIGN_IN) -> str:
    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="(?:link-)?csrf_token" type="hidden" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


def sign_in(
    client: FlaskClient, email: str = ANNA, password: str = PASSWORD, **extra: str
) -> TestResponse:
    data = {"csrf_token": csrf(client), "email": email, "password": password, **extra}
    return client.post(SIGN_IN, data=data)


def post_code(client: FlaskClient, path: str, code: str) -> TestResponse:
    return client.post(path, data={"csrf_token": csrf(client, path), "code": code})


def ask_link(client: FlaskClient, email: str = ANNA) -> TestResponse:
    return client.post(LINK, data={"link-csrf_token": csrf(client), "link-email": email})


def who(client: FlaskClient) -> str:
    return client.get(WHO).get_data(as_text=True)


def normalised(response: TestResponse, *emails: str) -> str:
    """The page without what may differ between two answers: the CSRF token, the address."""
    page = re.sub(r'csrf_token" type="hidden" value="[^"]+"', "", response.get_data(as_text=True))
    for address in emails:
        page = page.replace(address, "ADDRESS")
    return page


def failures(database: Database) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.count()).select_from(SignInAttempt)) or 0)


def totp_at(database: Database, address: str, at: float) -> str:
    """The code of `address`'s authenticator at `at` (seconds since the epoch)."""
    with database.session() as session:
        advisor = staff_auth.staff_by_email(session, address)
        assert advisor is not None
        secret = staff_auth.enrolment_secret(database.vault, advisor) or (
            database.vault.open_optional(advisor.totp_secret_enc)
        )
    assert secret is not None
    return pyotp.TOTP(secret).at(at)


def totp_code(web: Web, address: str, seconds_later: int = 0) -> str:
    return totp_at(web.database, address, web.clock.now.timestamp() + seconds_later)


def open_mailed_link(web: Web, client: FlaskClient, address: str) -> TestResponse:
    """Press the button of the sign-in link last mailed to `address`, in this browser."""
    path = f"{SIGN_IN}/{link_in_last_mail(web.database, address, 'inloggen')}"
    return client.post(path, data={"csrf_token": csrf(client, path)})


def enrol_coco(web: Web, client: FlaskClient) -> None:
    assert sign_in(client, COCO).headers["Location"].startswith(ENROL)
    assert open_mailed_link(web, client, COCO).headers["Location"].startswith(ENROL)
    assert client.get(ENROL).status_code == 200
    assert post_code(client, ENROL, totp_code(web, COCO)).headers["Location"] == "/medewerkers"


# --- password -----------------------------------------------------------------------------


def test_password_sign_in_starts_a_new_session(web: Web) -> None:
    client = web.client()
    with client.session_transaction() as session:
        session["work"] = {"token": 1, "advisor": 1, "case": 1}
        session["left_over"] = "from before"
    response = sign_in(client)
    assert response.status_code == 303 and response.headers["Location"] == "/medewerkers"
    with client.session_transaction() as session:
        assert "work" not in session and "left_over" not in session and "staff" in session
    assert who(client) == "Anna"


def test_the_sign_in_page_speaks_dutch_first_and_english_when_asked(web: Web) -> None:
    client = web.client()
    assert NL["signin_title"] in client.get(SIGN_IN).get_data(as_text=True)
    page = client.get(f"{SIGN_IN}?lang=en").get_data(as_text=True)
    assert EN["signin_title"] in page and EN["signin_link_submit"] in page
    assert 'action="/medewerkers/inloggen?lang=en"' in page


def test_wrong_password_unknown_account_and_throttled_all_answer_the_same(web: Web) -> None:
    client = web.client()
    wrong = sign_in(client, ANNA, "not the password at all")
    unknown = sign_in(client, NOBODY, PASSWORD)
    for _ in range(4):
        sign_in(client, ANNA, "still not the password")
    throttled = sign_in(client, ANNA, PASSWORD)
    assert {wrong.status_code, unknown.status_code, throttled.status_code} == {200}
    pages = {normalised(r, ANNA, NOBODY) for r in (wrong, unknown, throttled)}
    assert len(pages) == 1
    assert NL["signin_refused"] in pages.pop()
    assert PASSWORD not in throttled.get_data(as_text=True)
    assert who(client) == "nobody"


def test_after_five_failures_even_the_right_password_waits_a_quarter_of_an_hour(web: Web) -> None:
    client = web.client()
    for _ in range(staff_auth.ACCOUNT_LIMIT):
        assert sign_in(client, ANNA, "wrong password here").status_code == 200
    assert failures(web.database) == 2 * staff_auth.ACCOUNT_LIMIT  # account and address
    assert sign_in(client).status_code == 200
    web.clock.advance(minutes=14)
    assert sign_in(client).status_code == 200
    web.clock.advance(minutes=2)
    assert sign_in(client).status_code == 303
    assert who(client) == "Anna"


def test_many_failures_from_one_address_throttle_every_account(web: Web) -> None:
    client = web.client()
    for n in range(staff_auth.ADDRESS_LIMIT):
        sign_in(client, f"guess{n}@example.org", "a guessed password")
    assert sign_in(client).status_code == 200
    other = web.client()
    data = {"csrf_token": csrf(other), "email": ANNA, "password": PASSWORD}
    response = other.post(SIGN_IN, data=data, environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert response.status_code == 303


def test_an_empty_form_names_the_fields_and_counts_nothing(web: Web) -> None:
    client = web.client()
    response = client.post(SIGN_IN, data={"csrf_token": csrf(client)})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f"{NL['signin_email']}: vul dit in." in page
    assert failures(web.database) == 0


def test_a_post_without_csrf_token_is_refused(web: Web) -> None:
    response = web.client().post(SIGN_IN, data={"email": ANNA, "password": PASSWORD})
    assert response.status_code == 400
    assert failures(web.database) == 0


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/medewerkers", "//evil.example/medewerkers", "/\\evil.example",
     "/elders", "javascript:alert(1)", "/medewerkers\r\nSet-Cookie: x=1", "http:/medewerkers",
     "/medewerkersevil"],
)  # fmt: skip
def test_next_cannot_lead_off_site(web: Web, target: str) -> None:
    client = web.client()
    page = client.get(SIGN_IN, query_string={"next": target}).get_data(as_text=True)
    assert 'name="next"' not in page
    response = sign_in(client, next=target)
    assert response.status_code == 303 and response.headers["Location"] == "/medewerkers"


def test_next_leads_to_the_staff_page_asked_for(web: Web) -> None:
    client = web.client()
    page = client.get(SIGN_IN, query_string={"next": "/medewerkers/zaken/VP-2026-0001"})
    assert 'name="next" value="/medewerkers/zaken/VP-2026-0001"' in page.get_data(as_text=True)
    response = sign_in(client, next="/medewerkers/zaken/VP-2026-0001")
    assert response.headers["Location"] == "/medewerkers/zaken/VP-2026-0001"


# --- sessions -----------------------------------------------------------------------------


def test_a_session_ends_after_thirty_idle_minutes(web: Web) -> None:
    client = web.client()
    sign_in(client)
    web.clock.advance(minutes=29)
    assert who(client) == "Anna"
    web.clock.advance(minutes=29)  # each request counts as activity
    assert who(client) == "Anna"
    web.clock.advance(minutes=31)
    assert who(client) == "nobody"
    with client.session_transaction() as session:
        assert "staff" not in session


def test_signing_out_ends_the_session(web: Web) -> None:
    client = web.client()
    sign_in(client)
    response = client.post("/medewerkers/uitloggen", data={"csrf_token": csrf(client)})
    assert response.status_code == 303 and response.headers["Location"] == SIGN_IN
    assert who(client) == "nobody"
    assert NL["signin_signed_out"] in client.get(SIGN_IN).get_data(as_text=True)


@pytest.mark.parametrize(("base_url", "is_secure"), [("https://vertrouwd.test", True),
                                                     ("http://vertrouwd.test", False)])  # fmt: skip
def test_the_session_cookie_is_httponly_lax_and_secure_over_https(
    tmp_path: Path, clock: Clock, base_url: str, is_secure: bool
) -> None:
    with web_app(tmp_path, clock, BASE_URL=base_url) as built:
        set_password(built.database, ANNA)
        client = built.app.test_client()
        cookie = sign_in(client).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert ("Secure" in cookie) == is_secure
    assert "Expires" not in cookie  # a browser session; the idle limit is on our side


# --- the sign-in link ---------------------------------------------------------------------


def _token_row(web: Web) -> StaffToken:
    with web.database.session() as session:
        row = session.scalars(select(StaffToken).order_by(StaffToken.id.desc())).first()
        assert row is not None
        return row


def test_asking_a_link_mails_one_and_answers_the_same_for_an_unknown_address(web: Web) -> None:
    client = web.client()
    known, unknown = ask_link(client, ANNA), ask_link(client, NOBODY)
    assert known.status_code == unknown.status_code == 200
    assert normalised(known, ANNA, NOBODY) == normalised(unknown, ANNA, NOBODY)
    assert NL["signin_link_sent"] in known.get_data(as_text=True)
    [row] = mails_to(web.database, ANNA, "sign_in_link")
    assert mails_to(web.database, NOBODY) == []
    assert web.enqueued == [("vertrouwd.deliver_mail", (row.id,))]
    text = mail_text(web.database, row)
    assert "Beste Anna," in text and "http://vertrouwd.test/medewerkers/inloggen/" in text


def test_the_link_signs_in_once_and_get_spends_nothing(web: Web) -> None:
    client = web.client()
    ask_link(client)
    token = link_in_last_mail(web.database, ANNA, "inloggen")
    path = f"{SIGN_IN}/{token}"
    page = client.get(path)
    assert page.status_code == 200 and NL["signin_use_submit"] in page.get_data(as_text=True)
    assert client.get(path).status_code == 200
    assert _token_row(web).used_at is None
    assert who(client) == "nobody"
    response = client.post(path, data={"csrf_token": csrf(client, path)})
    assert response.status_code == 303 and response.headers["Location"] == "/medewerkers"
    assert who(client) == "Anna"
    assert _token_row(web).used_at is not None
    token_page = client.get(path)
    assert token_page.status_code == 404
    assert client.post(path, data={"csrf_token": csrf(client)}).status_code == 404


def test_the_link_expires_after_fifteen_minutes(web: Web) -> None:
    client = web.client()
    ask_link(client)
    path = f"{SIGN_IN}/{link_in_last_mail(web.database, ANNA, 'inloggen')}"
    token = csrf(client, path)
    web.clock.advance(minutes=15, seconds=1)
    assert client.get(path).status_code == 404
    assert client.post(path, data={"csrf_token": token}).status_code == 404
    assert who(client) == "nobody"


def test_an_unknown_link_is_not_found(web: Web) -> None:
    client = web.client()
    assert client.get(f"{SIGN_IN}/{'x' * 43}").status_code == 404
    assert (
        client.post(f"{SIGN_IN}/{'x' * 43}", data={"csrf_token": csrf(client)}).status_code == 404
    )


def test_link_requests_are_throttled_without_locking_the_password_out(web: Web) -> None:
    client = web.client()
    for _ in range(staff_auth.ACCOUNT_LIMIT + 2):
        assert ask_link(client).status_code == 200
    assert len(mails_to(web.database, ANNA, "sign_in_link")) == staff_auth.ACCOUNT_LIMIT
    assert sign_in(client).status_code == 303
    web.clock.advance(minutes=16)
    ask_link(client)
    assert len(mails_to(web.database, ANNA, "sign_in_link")) == staff_auth.ACCOUNT_LIMIT + 1


def test_the_link_keeps_the_page_asked_for(web: Web) -> None:
    client = web.client()
    client.post(LINK, data={"link-csrf_token": csrf(client), "link-email": ANNA,
                            "next": "/medewerkers/zaken/VP-2026-0001"})  # fmt: skip
    token = link_in_last_mail(web.database, ANNA, "inloggen")
    path = f"{SIGN_IN}/{token}?next=/medewerkers/zaken/VP-2026-0001"
    response = client.post(path, data={"csrf_token": csrf(client, path)})
    assert response.headers["Location"] == "/medewerkers/zaken/VP-2026-0001"


# --- the second factor --------------------------------------------------------------------


def test_a_coordinator_must_set_up_the_second_factor_before_getting_in(web: Web) -> None:
    client = web.client()
    response = sign_in(client, COCO)
    assert response.status_code == 303 and response.headers["Location"] == ENROL
    assert who(client) == "nobody"
    assert client.get(CODE).headers["Location"] == ENROL  # no way around the enrolment
    assert NL["signin_both_link_sent"] in client.get(ENROL).get_data(as_text=True)
    assert open_mailed_link(web, client, COCO).headers["Location"] == ENROL
    page = client.get(ENROL).get_data(as_text=True)
    assert f'<svg role="img" aria-label="{NL["signin_qr_label"]}"' in page
    assert NL["signin_enrol_required"] in page
    secret = totp_code(web, COCO)  # the secret exists now
    assert client.get(ENROL).get_data(as_text=True).count("<svg") == 1
    assert totp_code(web, COCO) == secret  # a reload shows the same QR code
    assert post_code(client, ENROL, "000000" if secret != "000000" else "111111").status_code == 200
    assert who(client) == "nobody"
    response = post_code(client, ENROL, totp_code(web, COCO))
    assert response.status_code == 303 and response.headers["Location"] == "/medewerkers"
    assert who(client) == "Coco"


def test_a_stolen_password_alone_cannot_set_up_the_second_factor(web: Web) -> None:
    client = web.client()
    sign_in(client, COCO)
    page = client.get(ENROL).get_data(as_text=True)
    assert NL["signin_both_link_sent"] in page and "<svg" not in page
    assert templates_to(web.database, COCO) == ["sign_in_link"]  # to the owner's mailbox
    refused = post_code(client, ENROL, "123456")
    assert refused.status_code == 200 and NL["signin_both_title"] in refused.get_data(as_text=True)
    with web.database.session() as session:
        coco = staff_auth.staff_by_email(session, COCO)
        assert coco is not None and coco.totp_pending_enc is None and coco.totp_enabled_at is None


def test_a_link_opened_elsewhere_asks_for_the_password_there_too(web: Web) -> None:
    sign_in(web.client(), COCO)  # the link goes out
    phone = web.client()
    assert open_mailed_link(web, phone, COCO).headers["Location"] == ENROL
    page = phone.get(ENROL).get_data(as_text=True)
    assert NL["signin_both_password_title"] in page and "<svg" not in page
    assert sign_in(phone, COCO).headers["Location"] == ENROL
    assert "<svg" in phone.get(ENROL).get_data(as_text=True)  # now both were given


def test_a_signed_in_member_sets_up_a_new_phone(web: Web) -> None:
    client = web.client()
    enrol_coco(web, client)
    page = client.get(ENROL).get_data(as_text=True)
    assert NL["signin_enrol_on"] in page
    again = client.post("/medewerkers/tweede-stap/opnieuw",
                        data={"csrf_token": csrf(client, ENROL)})  # fmt: skip
    assert again.headers["Location"] == ENROL
    assert "<svg" in client.get(ENROL).get_data(as_text=True)
    web.clock.advance(seconds=30)
    assert post_code(client, ENROL, totp_code(web, COCO)).status_code == 303
    with web.database.session() as session:
        coco = staff_auth.staff_by_email(session, COCO)
        assert coco is not None and coco.totp_pending_enc is None
        actions = [e.action for e in session.scalars(select(AuditEntry)) if e.staff_id == coco.id]
    assert actions == ["second_factor_enrolled", "second_factor_renewal_started",
                       "second_factor_enrolled"]  # fmt: skip


def test_a_used_code_is_refused_and_a_wrong_code_counts(web: Web) -> None:
    client = web.client()
    enrol_coco(web, client)
    again = web.client()
    assert sign_in(again, COCO).headers["Location"] == CODE
    assert who(again) == "nobody"
    reused = post_code(again, CODE, totp_code(web, COCO))
    assert reused.status_code == 200
    assert NL["signin_code_refused"] in reused.get_data(as_text=True)
    before = failures(web.database)
    assert post_code(again, CODE, "12345x").status_code == 200
    assert failures(web.database) == before + 2
    web.clock.advance(seconds=30)
    response = post_code(again, CODE, totp_code(web, COCO))
    assert response.status_code == 303 and who(again) == "Coco"


def test_wrong_codes_throttle_the_second_step(web: Web) -> None:
    client = web.client()
    enrol_coco(web, client)
    again = web.client()
    sign_in(again, COCO)
    for _ in range(staff_auth.ACCOUNT_LIMIT):
        post_code(again, CODE, "000000")
    web.clock.advance(seconds=30)
    assert post_code(again, CODE, totp_code(web, COCO)).status_code == 200
    assert who(again) == "nobody"


def test_the_second_step_without_a_first_goes_to_sign_in(web: Web) -> None:
    client = web.client()
    assert client.get(CODE).headers["Location"] == SIGN_IN
    assert client.get(ENROL).headers["Location"] == f"{SIGN_IN}?next={ENROL}"


def test_a_half_sign_in_expires_with_the_idle_limit(web: Web) -> None:
    client = web.client()
    sign_in(client, COCO)
    web.clock.advance(minutes=31)
    assert client.get(ENROL).headers["Location"].startswith(SIGN_IN)


def test_an_advisor_without_second_factor_signs_in_with_the_password_only(web: Web) -> None:
    client = web.client()
    assert sign_in(client).headers["Location"] == "/medewerkers"
    assert who(client) == "Anna"


def test_an_advisor_may_choose_the_second_factor_and_then_needs_it(web: Web) -> None:
    client = web.client()
    sign_in(client)
    page = client.get(ENROL).get_data(as_text=True)
    assert NL["signin_enrol_offered"] in page
    assert post_code(client, ENROL, totp_code(web, ANNA)).status_code == 303
    assert NL["signin_enrol_on"] in client.get(ENROL).get_data(as_text=True)
    other = web.client()
    assert sign_in(other).headers["Location"] == CODE
    assert who(other) == "nobody"
    web.clock.advance(seconds=30)
    assert post_code(other, CODE, totp_code(web, ANNA)).status_code == 303
    assert who(other) == "Anna"


def test_the_link_leads_a_coordinator_to_the_second_step_too(web: Web) -> None:
    client = web.client()
    enrol_coco(web, client)
    other = web.client()
    ask_link(other, COCO)
    path = f"{SIGN_IN}/{link_in_last_mail(web.database, COCO, 'inloggen')}"
    assert other.post(path, data={"csrf_token": csrf(other, path)}).headers["Location"] == CODE
    assert who(other) == "nobody"

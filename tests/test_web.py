"""The public form over the Flask test client: validation, CSRF, honeypot, rate limit, headers."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from forms import create_app
from tests.conftest import Clock, Enqueued, settings_for, web_app
from workflow.db import Database
from workflow.models import Case, OutboxMail


@pytest.fixture
def web(tmp_path: Path, clock: Clock) -> Iterator[tuple[Flask, Database, Enqueued]]:
    with web_app(tmp_path, clock, FORM_RATE_LIMIT="3/minute") as built:
        yield built.app, built.database, built.enqueued


def form_fields(client: FlaskClient, path: str = "/melden/versa") -> dict[str, str]:
    page = client.get(path).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    submission = re.search(r'name="submission_id" type="hidden" value="([^"]+)"', page)
    assert token and submission
    return {"csrf_token": token.group(1), "submission_id": submission.group(1)}


def valid(client: FlaskClient, **changes: str) -> dict[str, str]:
    data = {**form_fields(client), "description": "Er ging iets mis.", "kind": "complaint",
            "preferred_gender": "none", "email": "jan@example.org", "language": "nl",
            "privacy": "y", "website": ""}  # fmt: skip
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def count(database: Database, model: type = Case) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def errors(page: str) -> list[str]:
    return re.findall(r'class="error" id="[^"]+">([^<]+)<', page)


def test_a_valid_post_shows_the_reference_and_wakes_delivery(web) -> None:
    app, database, enqueued = web
    client = app.test_client()
    response = client.post("/melden/versa", data=valid(client))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'data-reference="VP-2026-0001"', page)
    assert "no-store" in response.headers["Cache-Control"]
    assert count(database) == 1
    assert sorted(t for t, _ in enqueued) == ["vertrouwd.deliver_mail"] * 2


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nl", ["Wat is er gebeurd?: vul dit in.", "Waar gaat het over?: kies een antwoord."]),
        (
            "en",
            ["What happened?: please fill this in.", "What is it about?: please choose an answer."],
        ),
    ],
)
def test_errors_name_the_field_in_the_clients_language(web, lang: str, expected: list[str]) -> None:
    app, database, _ = web
    client = app.test_client()
    data = valid(client, description="", kind=None)
    response = client.post(f"/melden/versa?lang={lang}", data=data)
    assert response.status_code == 400
    assert errors(response.get_data(as_text=True))[:2] == expected
    assert count(database) == 0


def test_contact_is_required_unless_anonymous(web) -> None:
    app, database, _ = web
    client = app.test_client()
    response = client.post("/melden/versa", data=valid(client, email=""))
    assert response.status_code == 400
    assert (
        "Uw e-mailadres: vul uw e-mailadres of telefoonnummer in"
        in errors(response.get_data(as_text=True))[0]
    )
    anonymous = client.post("/melden/versa", data=valid(client, email="", anonymous="y"))
    assert anonymous.status_code == 200
    assert count(database) == 1


def test_a_phone_number_alone_is_enough_and_nothing_is_mailed_to_the_client(web) -> None:
    app, database, _ = web
    client = app.test_client()
    assert (
        client.post("/melden/versa", data=valid(client, email="", phone="06 1234 5678")).status_code
        == 200
    )
    assert count(database, OutboxMail) == 1  # only the advisor's assignment


def test_a_post_without_csrf_token_creates_nothing_and_keeps_the_text(web) -> None:
    app, database, _ = web
    client = app.test_client()
    data = valid(client, description="Mijn eigen verhaal")
    del data["csrf_token"]
    response = client.post("/melden/versa", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Het formulier is verlopen" in page
    assert "Mijn eigen verhaal" in page
    assert count(database) == 0


def test_the_honeypot_field_filled_in_creates_nothing(web) -> None:
    app, database, _ = web
    client = app.test_client()
    response = client.post("/melden/versa", data=valid(client, website="http://spam.example"))
    assert response.status_code == 400
    assert count(database) == 0


@pytest.mark.parametrize("field", ["email", "name", "counterpart_name", "counterpart_role"])
def test_a_line_break_in_a_one_line_field_is_refused(web, field: str) -> None:
    app, database, _ = web
    client = app.test_client()
    value = "x@example.org\r\nBcc: evil@example.org" if field == "email" else "Jan\r\nBcc: e@x.y"
    response = client.post("/melden/versa", data=valid(client, **{field: value}))
    assert response.status_code == 400
    assert count(database) == 0


def test_an_invalid_email_address_is_named(web) -> None:
    app, _, _ = web
    client = app.test_client()
    response = client.post("/melden/versa?lang=en", data=valid(client, email="jan@", language="en"))
    assert response.status_code == 400
    assert errors(response.get_data(as_text=True)) == [
        "Your email address: this is not a valid email address, for example name@example.org."
    ]


def test_a_double_submit_makes_one_case_and_says_so(web) -> None:
    app, database, _ = web
    client = app.test_client()
    data = valid(client)
    first = client.post("/melden/versa", data=data).get_data(as_text=True)
    second = client.post("/melden/versa", data=data).get_data(as_text=True)
    assert "VP-2026-0001" in first and "VP-2026-0001" in second
    assert "Deze melding was al verstuurd" in second
    assert count(database) == 1


def test_too_many_posts_from_one_address_are_slowed_down(web) -> None:
    app, database, _ = web
    client = app.test_client()
    statuses = [client.post("/melden/versa", data=valid(client)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert count(database) == 3


def test_get_pages_never_create_anything_and_unknown_organisations_are_404(web) -> None:
    app, database, _ = web
    client = app.test_client()
    assert client.get("/").status_code == 200
    assert "Versa Welzijn" in client.get("/").get_data(as_text=True)
    assert client.get("/melden/nope").status_code == 404
    assert client.get("/melden/versa?lang=en").get_data(as_text=True).count('lang="en"') >= 1
    assert count(database) == 0


def test_healthz_answers_json_when_the_database_is_reachable(web) -> None:
    app, _, _ = web
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_is_gone(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:1/x")
    response = create_app(settings).test_client().get("/healthz")
    assert response.status_code == 503


def test_every_page_forbids_framing_sniffing_and_referrers(web) -> None:
    app, _, _ = web
    headers = app.test_client().get("/melden/versa").headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_the_development_mail_page_does_not_exist_outside_development(web) -> None:
    app, _, _ = web
    assert app.test_client().get("/dev/mail").status_code == 404


def test_the_thank_you_page_stays_in_the_language_the_client_reads(web) -> None:
    app, _, _ = web
    client = app.test_client()
    data = valid(client, language="nl")
    page = client.post("/melden/versa?lang=en", data=data).get_data(as_text=True)
    assert "Thank you, we have received your report" in page
    assert '<html lang="en">' in page


def test_an_anonymous_client_is_not_promised_a_mail(web) -> None:
    app, database, _ = web
    client = app.test_client()
    page = client.post("/melden/versa", data=valid(client, anonymous="y")).get_data(as_text=True)
    assert "U krijgt ook een e-mail" not in page
    assert count(database, OutboxMail) == 1


@pytest.mark.parametrize(
    "module",
    ["i18n", "words_client", "words_staff", "words_sign_in", "words_portal", "words_triage",
     "words_inbox", "words_admin", "words_rights",
     "words_reports"],
)  # fmt: skip
def test_every_word_is_there_in_dutch_and_in_english(module: str) -> None:
    found = importlib.import_module(f"forms.{module}")
    [table] = [value for name, value in vars(found).items() if name.endswith("TEXT")]
    assert set(table["nl"]) == set(table["en"])
    assert all(text.strip() for language in ("nl", "en") for text in table[language].values())


def test_the_language_link_keeps_the_page_and_its_query(web) -> None:
    app, _, _ = web
    page = app.test_client().get("/melden/versa?period=2026-Q3&lang=nl").get_data(as_text=True)
    assert 'href="/melden/versa?period=2026-Q3&amp;lang=en"' in page

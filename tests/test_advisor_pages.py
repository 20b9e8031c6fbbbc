"""The advisor's pages over the Flask test client: GET shows, POST (with CSRF) acts."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from forms.words_staff import STAFF_TEXT
from tests.conftest import Web
from tests.outbox_reading import link_in_last_mail, templates_to
from workflow import tokens
from workflow.cases import find_by_reference
from workflow.casework import withdraw_case
from workflow.consent import answer_consent
from workflow.db import Database
from workflow.intake import OpenCase, open_case
from workflow.models import AccessToken, Advisor, Case, Consent, Event, Message, OutboxMail
from workflow.organisations import add_advisor

NL, EN = STAFF_TEXT["nl"], STAFF_TEXT["en"]
ANNA, BEA, CLIENT = "anna@example.org", "bea@example.org", "fatima@example.net"
DESCRIPTION = "Mijn begeleider maakt steeds grapjes over mijn lichaam."


# --- helpers ------------------------------------------------------------------------------


def open_assigned_case(web: Web, name: str = "Fatima") -> str:
    """A conduct case for a woman: Anna (the first female vertrouwenspersoon) gets it."""
    command = OpenCase(organisation_slug="versa", channel="web", kind="conduct",
                       preferred_gender="female", language="nl", description=DESCRIPTION,
                       name=name, email=CLIENT)  # fmt: skip
    postman = web.postman
    with web.database.unit_of_work() as uow:
        return open_case(uow, postman, command, web.clock()).reference


def csrf(client: FlaskClient, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="(?:[\w]+-)?csrf_token" type="hidden" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


def case_of(web: Web, reference: str) -> Case:
    with web.database.session() as session:
        case = find_by_reference(session, reference)
        assert case is not None
        session.expunge(case)
        return case


def advisor_id(web: Web, address: str) -> int:
    with web.database.session() as session:
        return int(session.scalar(select(Advisor.id).where(Advisor.email == address)) or 0)


def snapshot(database: Database) -> tuple[object, ...]:
    """Everything a GET must leave alone."""
    with database.session() as session:
        counts = tuple(int(session.scalar(select(func.count()).select_from(model)) or 0)
                       for model in (Event, OutboxMail, Consent, Message, AccessToken))  # fmt: skip
        cases = tuple(session.execute(select(Case.reference, Case.state, Case.advisor_id)).all())
        spent = tuple(session.scalars(select(AccessToken.used_at).order_by(AccessToken.id)))
    return counts, cases, spent


def events_named(web: Web, name: str) -> int:
    with web.database.session() as session:
        return int(session.scalar(select(func.count()).where(Event.name == name)) or 0)


def accept(web: Web, client: FlaskClient, reference: str) -> str:
    """Accept by link and open the work page; returns the work token."""
    path = f"/taak/{link_in_last_mail(web.database, ANNA, 'taak')}/accepteren"
    assert client.post(path, data={"csrf_token": csrf(client, path)}).status_code == 200
    work_token = link_in_last_mail(web.database, ANNA, "werk")
    assert client.get(f"/werk/{work_token}").status_code == 303
    return work_token


def act(client: FlaskClient, key: str, **fields: str) -> str:
    """Post one form of the work page and follow the redirect; returns the page shown."""
    data = {
        f"{key}-csrf_token": csrf(client, "/werk"),
        **{f"{key}-{k}": v for k, v in fields.items()},
    }
    response = client.post(f"/werk/actie/{key}", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    assert response.headers["Location"].endswith("/werk")
    return client.get("/werk").get_data(as_text=True)


def field_errors(page: str) -> list[str]:
    return re.findall(r'class="error" id="[^"]+">([^<]+)<', page)


# --- the task pages -----------------------------------------------------------------------


def test_every_get_changes_nothing(web: Web) -> None:
    client = web.client()
    reference = open_assigned_case(web)
    task = link_in_last_mail(web.database, ANNA, "taak")
    before = snapshot(web.database)
    shown = client.get(f"/taak/{task}/accepteren").get_data(as_text=True)
    assert reference in shown and NL["task_accept_submit"] in shown
    assert DESCRIPTION not in shown and CLIENT not in shown  # nothing before it is accepted
    assert EN["task_accept_submit"] in client.get(f"/taak/{task}/accepteren?lang=en").text
    assert NL["task_decline_reason"] in client.get(f"/taak/{task}/weigeren").get_data(as_text=True)
    assert snapshot(web.database) == before

    work_token = accept(web, client, reference)
    before = snapshot(web.database)
    entered = client.get(f"/werk/{work_token}")
    assert entered.status_code == 303 and entered.headers["Location"] == "/werk"
    page = client.get("/werk").get_data(as_text=True)
    for shown_value in (reference, "Fatima", CLIENT, DESCRIPTION, NL["work_state_accepted"]):
        assert shown_value in page
    web.clock.advance(days=8)
    assert client.get(f"/werk/{work_token}").status_code == 303
    assert NL["work_new_link"] in client.get("/werk").get_data(as_text=True)
    assert snapshot(web.database) == before


def test_accepting_by_post_accepts_and_mails_the_work_link(web: Web) -> None:
    client = web.client()
    reference = open_assigned_case(web)
    path = f"/taak/{link_in_last_mail(web.database, ANNA, 'taak')}/accepteren"
    web.enqueued.clear()
    response = client.post(path, data={"csrf_token": csrf(client, path)})
    assert response.status_code == 200
    assert NL["task_accepted"].format(reference=reference) in response.get_data(as_text=True)
    assert case_of(web, reference).state == "accepted"
    assert templates_to(web.database, ANNA)[-1] == "case_accepted"
    assert "vertrouwd.deliver_mail" in [task for task, _ in web.enqueued]


def test_declining_with_a_reason_gives_the_case_to_the_next_advisor(web: Web) -> None:
    with web.database.unit_of_work() as uow:
        add_advisor(uow.session, organisation_slug="versa", name="Bea", email=BEA,
                    gender="female", now=web.clock())  # fmt: skip
        uow.commit()
    client = web.client()
    reference = open_assigned_case(web)
    path = f"/taak/{link_in_last_mail(web.database, ANNA, 'taak')}/weigeren"

    refused = client.post(path, data={"csrf_token": csrf(client, path)})
    assert refused.status_code == 400
    assert field_errors(refused.get_data(as_text=True)) == [
        "Waarom wijst u de melding af?: kies een antwoord."
    ]
    assert case_of(web, reference).advisor_id == advisor_id(web, ANNA)

    done = client.post(path, data={"csrf_token": csrf(client, path), "reason": "unavailable"})
    assert done.status_code == 200
    assert NL["task_declined"].format(reference=reference) in done.get_data(as_text=True)
    case = case_of(web, reference)
    assert (case.state, case.advisor_id) == ("assigned", advisor_id(web, BEA))
    assert link_in_last_mail(web.database, BEA, "taak")
    assert client.get(path).status_code == 404


def test_a_spent_task_link_answers_404(web: Web) -> None:
    client = web.client()
    reference = open_assigned_case(web)
    task = link_in_last_mail(web.database, ANNA, "taak")
    accept(web, client, reference)
    token = csrf(client, "/werk")
    for answer in ("accepteren", "weigeren"):
        assert client.get(f"/taak/{task}/{answer}").status_code == 404
        assert client.post(f"/taak/{task}/{answer}", data={"csrf_token": token}).status_code == 404
    assert client.get("/taak/forged-token-1234567890/accepteren").status_code == 404


def test_a_post_without_csrf_token_changes_nothing(web: Web) -> None:
    client = web.client()
    reference = open_assigned_case(web)
    task = link_in_last_mail(web.database, ANNA, "taak")
    before = snapshot(web.database)
    assert client.post(f"/taak/{task}/accepteren").status_code == 400
    assert snapshot(web.database) == before
    accept(web, client, reference)
    before = snapshot(web.database)
    assert client.post("/werk/actie/first_contact").status_code == 400
    assert snapshot(web.database) == before


# --- who may see the work page -----------------------------------------------------------


def test_another_advisors_work_link_answers_404(web: Web) -> None:
    client = web.client()
    reference = open_assigned_case(web)
    accept(web, client, reference)
    with web.database.unit_of_work() as uow:
        case = find_by_reference(uow.session, reference)
        assert case is not None
        karim = advisor_id(web, "karim@example.org")
        karims = tokens.issue(uow.session, uow.vault, case, "work", web.clock(),
                              tokens.WORK_LIFETIME, advisor_id=karim)  # fmt: skip
        uow.commit()
    other = web.client()
    assert other.get(f"/werk/{karims.token}").status_code == 404
    assert other.get("/werk").status_code == 404  # no session, no page
    web.clock.advance(days=8)  # expired too: still not Karim's case, so no new link either
    assert other.get(f"/werk/{karims.token}").status_code == 404


def test_a_session_for_a_case_no_longer_theirs_answers_404(web: Web) -> None:
    client = web.client()
    reference = open_assigned_case(web)
    accept(web, client, reference)
    token = csrf(client, "/werk")
    with web.database.unit_of_work() as uow:
        case = find_by_reference(uow.session, reference)
        assert case is not None
        withdraw_case(web.desk(uow), case)
        uow.commit()
    assert client.get("/werk").status_code == 404
    response = client.post("/werk/actie/first_contact", data={"first_contact-csrf_token": token})
    assert response.status_code == 404
    assert client.post("/werk/nieuwe-link", data={"csrf_token": token}).status_code == 404


def test_entering_another_case_ends_the_forms_of_the_first(web: Web) -> None:
    """Two cases in two tabs: a form of the first may never act on the second."""
    client = web.client()
    first = open_assigned_case(web)
    accept(web, client, first)
    token_of_first = csrf(client, "/werk")
    second = open_assigned_case(web, name="Noor")
    accept(web, client, second)  # the session now holds the second case, with a new secret
    response = client.post("/werk/actie/first_contact", data={
        "first_contact-csrf_token": token_of_first})  # fmt: skip
    assert response.status_code == 400
    assert case_of(web, second).first_contact_at is None
    assert case_of(web, first).first_contact_at is None


def test_work_pages_are_not_cached_and_send_no_referrer(web: Web) -> None:
    client = web.client()
    reference = open_assigned_case(web)
    task = link_in_last_mail(web.database, ANNA, "taak")
    responses = [client.get(f"/taak/{task}/accepteren")]
    work_token = accept(web, client, reference)
    responses += [client.get(f"/werk/{work_token}"), client.get("/werk")]
    for response in responses:
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Referrer-Policy"] == "no-referrer"


# --- working the case ---------------------------------------------------------------------


def test_consent_gates_acting_on_behalf(web: Web) -> None:
    client = web.client()
    reference = open_assigned_case(web)
    accept(web, client, reference)
    assert NL["work_first_contact_done"] in act(client, "first_contact")
    assert case_of(web, reference).state == "in_progress"

    page = act(client, "ask_consent", action="contact_manager", what="Een gesprek voeren",
               towards="De leidinggevende", information="Uw naam en uw klacht")  # fmt: skip
    assert NL["work_ask_consent_done"] in page and NL["work_consent_requested"] in page
    assert case_of(web, reference).state == "consent_pending"
    assert templates_to(web.database, CLIENT)[-1] == "consent_request"

    refused = act(client, "on_behalf", action="contact_manager")
    assert "De cliënt heeft hiervoor geen toestemming gegeven" in refused
    assert events_named(web, "acted_on_behalf") == 0
    step_refused = act(client, "step", step="talked_with_manager", on_behalf="y")
    assert NL["work_no_consent"] in step_refused

    consent_token = link_in_last_mail(web.database, CLIENT, "toestemming")
    with web.database.unit_of_work() as uow:
        assert answer_consent(web.desk(uow), consent_token, given=True) is not None
        uow.commit()
    allowed = act(client, "on_behalf", action="contact_manager")
    assert NL["work_on_behalf_done"] in allowed and NL["work_consent_given"] in allowed
    assert events_named(web, "acted_on_behalf") == 1
    assert NL["work_step_done"] in act(client, "step", step="talked_with_manager", on_behalf="y")


def test_writing_extending_and_breaking_confidentiality(web: Web) -> None:
    client = web.client()
    reference = open_assigned_case(web)
    accept(web, client, reference)
    page = act(client, "write", text="Wanneer kan ik u bellen?", awaits="y")
    assert NL["work_write_done"] in page and "Wanneer kan ik u bellen?" in page
    assert templates_to(web.database, CLIENT)[-1] == "advisor_message"

    assert NL["work_extend_title"] not in page  # no formal complaint, no term to extend
    page = act(client, "step", step="formal_complaint_filed")
    assert NL["work_extend_title"] in page
    before = case_of(web, reference).complaint_deadline_at
    assert NL["work_extend_done"] in act(client, "extend", weeks="2")
    case = case_of(web, reference)
    assert case.is_deadline_extended and before and case.complaint_deadline_at
    assert (case.complaint_deadline_at - before).days == 14
    assert templates_to(web.database, CLIENT)[-1] == "deadline_extended"

    page = act(client, "break", reason="Acuut gevaar", told_on="2026-11-23", confirm="y")
    assert NL["work_break_done"] in page
    assert events_named(web, "confidentiality_broken") == 1
    assert templates_to(web.database, "coco@example.org")[-1] == "confidentiality_broken"


def test_closing_mails_the_evaluation(web: Web) -> None:
    client = web.client()
    reference = open_assigned_case(web)
    accept(web, client, reference)
    page = act(client, "close", outcome="resolved", support_form="listening",
               reason="unwanted_conduct")  # fmt: skip
    assert NL["work_close_done"] in page
    assert case_of(web, reference).state == "closing"
    assert templates_to(web.database, CLIENT)[-1] == "evaluation_request"
    assert NL["work_close_title"] not in page  # and it cannot be closed twice


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nl", ["Uw bericht aan de cliënt: vul dit in."]),
        ("en", ["Your message to the client: please fill this in."]),
    ],
)
def test_errors_name_the_field(web: Web, lang: str, expected: list[str]) -> None:
    client = web.client()
    reference = open_assigned_case(web)
    accept(web, client, reference)
    before = snapshot(web.database)
    data = {"write-csrf_token": csrf(client, "/werk"), "write-text": ""}
    response = client.post(f"/werk/actie/write?lang={lang}", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert field_errors(page) == expected
    assert 'href="#write-text"' in page  # the summary links to the field
    data = {"break-csrf_token": data["write-csrf_token"], "break-reason": "Gevaar",
            "break-told_on": "2099-01-01"}  # fmt: skip
    errors = field_errors(client.post("/werk/actie/break", data=data).get_data(as_text=True))
    assert errors == [
        "Op welke datum heeft u dit aan de cliënt verteld?: deze datum ligt in de toekomst.",
        "Ik weet dat dit wordt vastgelegd en dat de coördinator bericht krijgt: "
        "vink dit aan om door te gaan.",
    ]
    assert snapshot(web.database) == before


def test_an_expired_link_offers_a_new_one_by_post(web: Web) -> None:
    client = web.client()
    reference = open_assigned_case(web)
    old = accept(web, client, reference)
    web.clock.advance(days=8)
    assert client.get(f"/werk/{old}").status_code == 303
    page = client.get("/werk").get_data(as_text=True)
    assert NL["work_expired_title"] in page and DESCRIPTION not in page
    assert client.post("/werk/actie/first_contact", data={
        "first_contact-csrf_token": csrf(client, "/werk")}).status_code == 303  # fmt: skip
    assert case_of(web, reference).first_contact_at is None

    response = client.post("/werk/nieuwe-link", data={"csrf_token": csrf(client, "/werk")})
    assert response.status_code == 200
    assert NL["work_link_sent"] in response.get_data(as_text=True)
    assert templates_to(web.database, ANNA)[-1] == "work_link"
    fresh = link_in_last_mail(web.database, ANNA, "werk")
    assert fresh != old
    assert client.get(f"/werk/{fresh}").status_code == 303
    assert DESCRIPTION in client.get("/werk").get_data(as_text=True)

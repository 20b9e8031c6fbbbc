"""The advisor's links from mail over the Flask test client: the task link and the work link.

A task link answers an assignment: GET shows, POST (with CSRF) acts. A work link only leads
to the signed-in case page; the case's actions are tested there, through the same forms.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from forms.i18n import words
from tests.conftest import Web
from tests.outbox_reading import link_in_last_mail, templates_to
from tests.test_staff_sign_in import set_password, sign_in
from workflow import tokens
from workflow.cases import find_by_reference
from workflow.casework import withdraw_case
from workflow.consent import answer_consent
from workflow.db import Database
from workflow.intake import OpenCase, open_case
from workflow.models import (
    AccessToken,
    Advisor,
    AuditEntry,
    Case,
    Consent,
    Event,
    Message,
    OutboxMail,
)
from workflow.organisations import add_advisor

NL, EN = words("nl"), words("en")
ANNA, BEA, CLIENT = "anna@example.org", "bea@example.org", "fatima@example.net"
KARIM = "karim@example.org"
DESCRIPTION = "Mijn begeleider maakt steeds grapjes over mijn lichaam."
HOME = "/medewerkers"


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


def audited(web: Web) -> int:
    with web.database.session() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def events_named(web: Web, name: str) -> int:
    with web.database.session() as session:
        return int(session.scalar(select(func.count()).where(Event.name == name)) or 0)


def accept_by_link(web: Web) -> str:
    """Anna takes her newest case on by the task link in her mail; the work link's token."""
    client = web.client()
    path = f"/taak/{link_in_last_mail(web.database, ANNA, 'taak')}/accepteren"
    assert client.post(path, data={"csrf_token": csrf(client, path)}).status_code == 200
    return link_in_last_mail(web.database, ANNA, "werk")


def field_errors(page: str) -> list[str]:
    return re.findall(r'class="error" id="[^"]+">([^<]+)<', page)


def page_of(reference: str) -> str:
    return f"{HOME}/zaken/{reference}"


# The signed-in case page's own helpers live in tests.test_staff_cases, which imports the
# helpers above: they are imported where used, so the two modules never import in a cycle.


def anna_signed_in(web: Web) -> FlaskClient:
    """A browser where Anna is signed in (second factor given)."""
    from tests.test_staff_cases import signed_in

    return signed_in(web, ANNA)


def act(client: FlaskClient, reference: str, key: str, **fields: str) -> str:
    """Post one form of the case page, follow the 303 back; returns the page shown."""
    from tests.test_staff_cases import act as act_on_case_page

    return act_on_case_page(client, reference, key, **fields)


# --- the task pages -----------------------------------------------------------------------


def test_every_get_of_a_task_page_changes_nothing(web: Web) -> None:
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
    open_assigned_case(web)
    path = f"/taak/{link_in_last_mail(web.database, ANNA, 'taak')}"
    token = csrf(client, f"{path}/accepteren")
    assert client.post(f"{path}/accepteren", data={"csrf_token": token}).status_code == 200
    for answer in ("accepteren", "weigeren"):
        assert client.get(f"{path}/{answer}").status_code == 404
        assert client.post(f"{path}/{answer}", data={"csrf_token": token}).status_code == 404
    assert client.get("/taak/forged-token-1234567890/accepteren").status_code == 404


def test_a_post_without_csrf_token_changes_nothing(web: Web) -> None:
    client = web.client()
    reference = open_assigned_case(web)
    task = link_in_last_mail(web.database, ANNA, "taak")
    before = snapshot(web.database)
    assert client.post(f"/taak/{task}/accepteren").status_code == 400
    assert snapshot(web.database) == before
    accept_by_link(web)
    anna = anna_signed_in(web)
    before, seen = snapshot(web.database), audited(web)
    response = anna.post(f"{page_of(reference)}/write", data={"write-text": "Hallo"})
    assert response.status_code == 400
    assert snapshot(web.database) == before and audited(web) == seen


def test_task_pages_and_work_links_are_not_cached_and_send_no_referrer(web: Web) -> None:
    client = web.client()
    open_assigned_case(web)
    task = link_in_last_mail(web.database, ANNA, "taak")
    responses = [client.get(f"/taak/{task}/accepteren")]
    responses.append(client.get(f"/werk/{accept_by_link(web)}"))
    for response in responses:
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Referrer-Policy"] == "no-referrer"


# --- the work link: on to the signed-in case page -----------------------------------------


def test_a_work_link_leads_to_the_case_page_and_changes_nothing(web: Web) -> None:
    reference = open_assigned_case(web)
    work = accept_by_link(web)
    client = web.client()
    before, seen = snapshot(web.database), audited(web)
    for asked, kept in (("", ""), ("?lang=en", "?lang=en"), ("?lang=xx", "")):
        response = client.get(f"/werk/{work}{asked}")
        assert response.status_code == 303
        assert response.headers["Location"] == page_of(reference) + kept
        assert "Set-Cookie" not in response.headers
    with client.session_transaction() as held:
        assert dict(held) == {}  # the link is no key: nothing in the session
    assert snapshot(web.database) == before and audited(web) == seen


def test_signed_out_a_work_link_leads_through_sign_in_to_the_case(web: Web) -> None:
    set_password(web.database, ANNA)
    reference = open_assigned_case(web)
    work = accept_by_link(web)
    client = web.client()
    to_case = client.get(f"/werk/{work}").headers["Location"]
    to_sign_in = client.get(to_case)
    assert to_sign_in.status_code == 303
    where = urlsplit(to_sign_in.headers["Location"])
    assert (where.path, parse_qs(where.query)["next"]) == ("/medewerkers/inloggen",
                                                           [page_of(reference)])  # fmt: skip
    sign_in_page = client.get(to_sign_in.headers["Location"]).get_data(as_text=True)
    assert f'name="next" value="{page_of(reference)}"' in sign_in_page
    assert DESCRIPTION not in sign_in_page and CLIENT not in sign_in_page

    signed = sign_in(client, ANNA, next=page_of(reference))
    assert signed.status_code == 303 and signed.headers["Location"] == page_of(reference)
    page = client.get(page_of(reference)).get_data(as_text=True)
    for shown in (reference, "Fatima", CLIENT, DESCRIPTION, NL["work_first_contact_submit"]):
        assert shown in page, shown


def test_an_expired_work_link_of_the_advisor_who_has_the_case_still_leads_there(
    web: Web,
) -> None:
    reference = open_assigned_case(web)
    work = accept_by_link(web)
    web.clock.advance(days=8)
    with web.database.session() as session:
        assert tokens.find_valid(session, web.database.vault, work, "work", web.clock()) is None
    response = web.client().get(f"/werk/{work}")
    assert response.status_code == 303 and response.headers["Location"] == page_of(reference)


def test_a_work_link_of_another_advisor_spent_or_unknown_answers_404(web: Web) -> None:
    reference = open_assigned_case(web)
    annas = accept_by_link(web)
    with web.database.unit_of_work() as uow:
        case = find_by_reference(uow.session, reference)
        assert case is not None
        karims = tokens.issue(uow.session, uow.vault, case, "work", web.clock(),
                              tokens.WORK_LIFETIME, advisor_id=advisor_id(web, KARIM))  # fmt: skip
        uow.commit()
    client = web.client()
    before = snapshot(web.database)
    assert client.get(f"/werk/{karims.token}").status_code == 404
    assert client.get("/werk/forged-token-1234567890").status_code == 404
    web.clock.advance(days=8)  # expired too: still not Karim's case
    assert client.get(f"/werk/{karims.token}").status_code == 404
    assert client.get(f"/werk/{annas}").status_code == 303  # Anna's: she has the case
    assert snapshot(web.database) == before
    with web.database.unit_of_work() as uow:
        case = find_by_reference(uow.session, reference)
        assert case is not None
        withdraw_case(web.desk(uow), case)  # spends every work link of the case
        uow.commit()
    assert client.get(f"/werk/{annas}").status_code == 404


def test_the_retired_work_page_and_its_forms_lead_to_the_staff_pages(web: Web) -> None:
    reference = open_assigned_case(web)
    accept_by_link(web)
    anna = anna_signed_in(web)
    token = csrf(anna, page_of(reference))
    before = snapshot(web.database)
    for client in (web.client(), anna):
        assert (client.get("/werk").status_code, client.get("/werk").headers["Location"]) == (
            303, HOME)  # fmt: skip
        assert client.get("/werk?lang=en").headers["Location"] == f"{HOME}?lang=en"
        for path, data in (("/werk/actie/first_contact", {"first_contact-csrf_token": token}),
                           ("/werk/actie/first_contact", {}),
                           ("/werk/nieuwe-link", {"csrf_token": token})):  # fmt: skip
            response = client.post(path, data=data)
            assert (response.status_code, response.headers["Location"]) == (303, HOME), path
    assert snapshot(web.database) == before  # no action, no new link
    assert case_of(web, reference).first_contact_at is None


# --- working the case on the signed-in case page (what tests.test_staff_cases leaves) -----


def test_consent_gates_acting_on_behalf(web: Web) -> None:
    reference = open_assigned_case(web)
    accept_by_link(web)
    anna = anna_signed_in(web)
    assert NL["work_first_contact_done"] in act(anna, reference, "first_contact")
    assert case_of(web, reference).state == "in_progress"

    page = act(anna, reference, "ask_consent", action="contact_manager",
               what="Een gesprek voeren", towards="De leidinggevende",
               information="Uw naam en uw klacht")  # fmt: skip
    assert NL["work_ask_consent_done"] in page and NL["work_consent_requested"] in page
    assert case_of(web, reference).state == "consent_pending"
    assert templates_to(web.database, CLIENT)[-1] == "consent_request"

    refused = act(anna, reference, "on_behalf", action="contact_manager")
    assert "De cliënt heeft hiervoor geen toestemming gegeven" in refused
    assert events_named(web, "acted_on_behalf") == 0
    step_refused = act(anna, reference, "step", step="talked_with_manager", on_behalf="y")
    assert NL["work_no_consent"] in step_refused

    consent_token = link_in_last_mail(web.database, CLIENT, "toestemming")
    with web.database.unit_of_work() as uow:
        assert answer_consent(web.desk(uow), consent_token, given=True) is not None
        uow.commit()
    allowed = act(anna, reference, "on_behalf", action="contact_manager")
    assert NL["work_on_behalf_done"] in allowed and NL["work_consent_given"] in allowed
    assert events_named(web, "acted_on_behalf") == 1
    done = act(anna, reference, "step", step="talked_with_manager", on_behalf="y")
    assert NL["work_step_done"] in done


def test_writing_extending_and_breaking_confidentiality(web: Web) -> None:
    reference = open_assigned_case(web)
    accept_by_link(web)
    anna = anna_signed_in(web)
    page = act(anna, reference, "write", text="Wanneer kan ik u bellen?", awaits="y")
    assert NL["work_write_done"] in page and "Wanneer kan ik u bellen?" in page
    assert templates_to(web.database, CLIENT)[-1] == "advisor_message"

    assert NL["work_extend_title"] not in page  # no formal complaint, no term to extend
    page = act(anna, reference, "step", step="formal_complaint_filed")
    assert NL["work_extend_title"] in page
    before = case_of(web, reference).complaint_deadline_at
    assert NL["work_extend_done"] in act(anna, reference, "extend", weeks="2")
    case = case_of(web, reference)
    assert case.is_deadline_extended and before and case.complaint_deadline_at
    assert (case.complaint_deadline_at - before).days == 14
    assert templates_to(web.database, CLIENT)[-1] == "deadline_extended"

    page = act(anna, reference, "break", reason="Acuut gevaar", told_on="2026-11-23", confirm="y")
    assert NL["work_break_done"] in page
    assert events_named(web, "confidentiality_broken") == 1
    assert templates_to(web.database, "coco@example.org")[-1] == "confidentiality_broken"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nl", ["Uw bericht aan de cliënt: vul dit in."]),
        ("en", ["Your message to the client: please fill this in."]),
    ],
)
def test_errors_name_the_field(web: Web, lang: str, expected: list[str]) -> None:
    reference = open_assigned_case(web)
    accept_by_link(web)
    anna = anna_signed_in(web)
    before = snapshot(web.database)
    data = {"write-csrf_token": csrf(anna, page_of(reference)), "write-text": ""}
    response = anna.post(f"{page_of(reference)}/write?lang={lang}", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert field_errors(page) == expected
    assert 'href="#write-text"' in page  # the summary links to the field
    data = {"break-csrf_token": data["write-csrf_token"], "break-reason": "Gevaar",
            "break-told_on": "2099-01-01"}  # fmt: skip
    broken = anna.post(f"{page_of(reference)}/break", data=data)
    assert field_errors(broken.get_data(as_text=True)) == [
        "Op welke datum heeft u dit aan de cliënt verteld?: deze datum ligt in de toekomst.",
        "Ik weet dat dit wordt vastgelegd en dat de coördinator bericht krijgt: "
        "vink dit aan om door te gaan.",
    ]
    assert snapshot(web.database) == before

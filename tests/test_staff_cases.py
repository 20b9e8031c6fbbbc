"""The signed-in staff pages over the Flask test client: my cases, a case, its actions, audit."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask import session as flask_session
from flask.testing import FlaskClient
from flask_wtf.csrf import generate_csrf
from sqlalchemy import exc, select, text

from forms.i18n import words
from forms.staff_cases import STAFF_ACTIONS
from tests.conftest import Web, seed_organisation
from tests.outbox_reading import templates_to
from tests.test_advisor_pages import (
    ANNA,
    BEA,
    CLIENT,
    DESCRIPTION,
    advisor_id,
    case_of,
    csrf,
    open_assigned_case,
    snapshot,
)
from workflow.assignment import send_to_triage
from workflow.cases import find_by_reference
from workflow.models import AuditEntry
from workflow.organisations import add_advisor

NL, EN = words("nl"), words("en")
KARIM, COCO = "karim@example.org", "coco@example.org"
OLGA, ADA = "olga@example.org", "ada@example.org"  # coordinator elsewhere, admin
HOME = "/medewerkers"


# --- helpers ------------------------------------------------------------------------------


def signed_in(web: Web, address: str) -> FlaskClient:
    """A browser with a session for this staff member, second factor given."""
    client = web.client()
    with client.session_transaction() as held:
        held["staff"] = {"id": advisor_id(web, address), "seen": web.clock().timestamp(),
                         "second_factor": True}  # fmt: skip
    return client


def add_strangers(web: Web) -> None:
    """A coordinator of another organisation (seed_organisation's staff have fixed addresses,
    so the second organisation gets none of them) and an admin."""
    seed_organisation(web.database, web.clock(), staff=(), slug="other")
    with web.database.unit_of_work() as uow:
        add_advisor(uow.session, organisation_slug="other", name="Olga", email=OLGA,
                    gender="female", role="coordinator", now=web.clock())  # fmt: skip
        add_advisor(uow.session, organisation_slug="versa", name="Ada", email=ADA,
                    gender="female", role="admin", now=web.clock())  # fmt: skip
        uow.commit()


def csrf_for(app: Flask, client: FlaskClient) -> str:
    """A valid CSRF token for a browser that was shown no form (the check runs before access)."""
    with app.test_request_context():
        token = generate_csrf()
        raw = flask_session["csrf_token"]
    with client.session_transaction() as held:
        held["csrf_token"] = raw
    return str(token)


def page_of(reference: str) -> str:
    return f"{HOME}/zaken/{reference}"


def act(client: FlaskClient, reference: str, key: str, **fields: str) -> str:
    """Post one form of the case page, follow the 303 back; returns the page shown."""
    data = {f"{key}-csrf_token": csrf(client, page_of(reference)),
            **{f"{key}-{name}": value for name, value in fields.items()}}  # fmt: skip
    response = client.post(f"{page_of(reference)}/{key}", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    return client.get(response.headers["Location"]).get_data(as_text=True)


def audit_entries(web: Web, action: str | None = None) -> list[AuditEntry]:
    with web.database.session() as session:
        statement = select(AuditEntry).order_by(AuditEntry.id)
        if action is not None:
            statement = statement.where(AuditEntry.action == action)
        return list(session.scalars(statement))


def accepted_case(web: Web) -> str:
    """Anna's case, taken on through the page."""
    reference = open_assigned_case(web)
    act(signed_in(web, ANNA), reference, "accept")
    return reference


def main_of(page: str) -> str:
    """The page's own content, without the header (whose language link repeats the path)."""
    found = re.search(r"<main[^>]*>(.*)</main>", page, re.S)
    assert found, page
    return found.group(1)


def rows(page: str) -> list[str]:
    """The references of the list, in the order shown."""
    return re.findall(r"<th scope=\"row\">\s*<a href=\"[^\"]+\">(VP-\d{4}-\d{4})</a>", page)


# --- my cases -----------------------------------------------------------------------------


def test_an_advisor_sees_their_open_cases_urgent_first_with_what_waits(web: Web) -> None:
    first = open_assigned_case(web)
    second = open_assigned_case(web, name="Noor")
    with web.database.unit_of_work() as uow:
        case = find_by_reference(uow.session, second)
        assert case is not None
        case.is_urgent = True
        uow.commit()
    page = signed_in(web, ANNA).get(HOME).get_data(as_text=True)
    assert rows(page) == [second, first]
    assert NL["portal_urgent"] in page and NL["portal_waits_advisor_answer"] in page
    assert NL["portal_reminder_assignment_reminder"] in page  # the next date, and what it is
    for secret in ("Fatima", "Noor", CLIENT, DESCRIPTION):
        assert secret not in page
    assert EN["portal_home_title"] in signed_in(web, ANNA).get(f"{HOME}?lang=en").text

    karims = signed_in(web, KARIM).get(HOME).get_data(as_text=True)
    assert rows(karims) == [] and NL["portal_no_cases"] in karims
    listed = audit_entries(web, "list_cases")
    assert [(e.staff_id, e.case_reference) for e in listed] == [
        (advisor_id(web, ANNA), None), (advisor_id(web, ANNA), None), (advisor_id(web, KARIM), None)
    ]  # fmt: skip


def test_a_coordinator_sees_the_cases_of_their_organisation_and_the_triage_queue(
    web: Web,
) -> None:
    add_strangers(web)
    working = accepted_case(web)
    waiting = open_assigned_case(web, name="Noor")
    with web.database.unit_of_work() as uow:
        case = find_by_reference(uow.session, waiting)
        assert case is not None
        postman = web.postman
        send_to_triage(uow.session, uow.vault, postman, case, "unclassified", web.clock())
        uow.commit()
    page = signed_in(web, COCO).get(HOME).get_data(as_text=True)
    assert sorted(rows(page)) == sorted([working, waiting])
    assert NL["portal_triage_count"].format(count=1) in page
    assert NL["portal_waits_coordinator_triage"] in page
    assert NL["portal_waits_coordinator_first_contact"] in page
    for secret in ("Fatima", "Noor", CLIENT, DESCRIPTION):
        assert secret not in page

    others = signed_in(web, OLGA).get(HOME).get_data(as_text=True)
    assert rows(others) == [] and NL["portal_triage_count"].format(count=0) in others
    admin = signed_in(web, ADA).get(HOME).get_data(as_text=True)
    assert rows(admin) == [] and NL["portal_admin"] in admin


# --- a case -------------------------------------------------------------------------------


def test_the_case_page_shows_the_timeline(web: Web) -> None:
    reference = accepted_case(web)
    anna = signed_in(web, ANNA)
    act(anna, reference, "write", text="Wanneer kan ik u bellen?", awaits="y")
    page = act(anna, reference, "ask_consent", action="contact_manager", what="Een gesprek",
               towards="De leidinggevende", information="Uw naam")  # fmt: skip
    for shown in (NL["portal_event_received"], NL["portal_event_accept"],
                  NL["portal_event_advisor_wrote"], NL["portal_event_ask_consent"],
                  NL["portal_message_in"], DESCRIPTION, "Wanneer kan ik u bellen?",
                  NL["work_consent_requested"], NL["portal_reminder_consent_lapse"],
                  NL["portal_paused"], NL["portal_state_consent_pending"]):  # fmt: skip
        assert shown in page, shown
    assert page.index(NL["portal_event_received"]) < page.index(NL["portal_event_ask_consent"])


def test_contact_data_only_for_the_advisor_after_accepting(web: Web) -> None:
    reference = open_assigned_case(web)
    anna, coco = signed_in(web, ANNA), signed_in(web, COCO)
    before = anna.get(page_of(reference)).get_data(as_text=True)
    assert NL["portal_accept_submit"] in before and NL["portal_not_yet_accepted"] in before
    for secret in ("Fatima", CLIENT, DESCRIPTION):
        assert secret not in before

    after = act(anna, reference, "accept")
    assert NL["portal_accept_done"] in after
    for secret in ("Fatima", CLIENT, DESCRIPTION):
        assert secret in after
    assert case_of(web, reference).state == "accepted"
    assert templates_to(web.database, ANNA)[-1] == "case_accepted"

    coordinator = coco.get(page_of(reference)).get_data(as_text=True)
    assert NL["portal_case_coordinator"] in coordinator
    assert NL["portal_hidden_body"] in coordinator and NL["portal_event_accept"] in coordinator
    for secret in ("Fatima", CLIENT, DESCRIPTION):
        assert secret not in coordinator
    assert NL["work_actions"] not in coordinator  # a coordinator sees, does not act
    data = {"first_contact-csrf_token": csrf_for(web.app, coco)}
    assert coco.post(f"{page_of(reference)}/first_contact", data=data).status_code == 403
    assert case_of(web, reference).first_contact_at is None


def test_message_bodies_are_shown_as_text(web: Web) -> None:
    reference = accepted_case(web)
    page = act(signed_in(web, ANNA), reference, "write",
               text="<b>Vet</b>\n<script>alert(1)</script>")  # fmt: skip
    assert "&lt;b&gt;Vet&lt;/b&gt;\n&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>Vet</b>" not in page and "<script>" not in page


# --- who may see a case: 404 by every route ----------------------------------------------

ROUTES = [("GET", "")] + [("POST", key) for key in STAFF_ACTIONS]


def test_the_access_test_covers_every_case_route(web: Web) -> None:
    rules = {r.rule for r in web.app.url_map.iter_rules() if r.endpoint.startswith("staff_case")}
    assert rules == {"/medewerkers/zaken/<reference>", "/medewerkers/zaken/<reference>/<action>"}
    assert {key for method, key in ROUTES if method == "POST"} == set(STAFF_ACTIONS)


@pytest.mark.parametrize(("method", "key"), ROUTES, ids=[m + ":" + k for m, k in ROUTES])
def test_a_case_that_is_not_yours_answers_404(web: Web, method: str, key: str) -> None:
    add_strangers(web)
    reference = accepted_case(web)
    before = snapshot(web.database)
    for address in (KARIM, OLGA, ADA):
        client = signed_in(web, address)
        path = f"{page_of(reference)}/{key}" if key else page_of(reference)
        if method == "GET":
            response = client.get(path)
        else:
            token = csrf_for(web.app, client)
            response = client.post(path, data={f"{key}-csrf_token": token, "csrf_token": token})
        assert response.status_code == 404, (address, path)
        assert reference not in main_of(response.get_data(as_text=True))
        stranger = advisor_id(web, address)
        assert not [e for e in audit_entries(web) if e.staff_id == stranger]
    assert snapshot(web.database) == before
    missing = signed_in(web, ANNA).get(page_of("VP-2099-9999"))
    assert missing.status_code == 404


def test_not_signed_in_is_sent_to_sign_in_or_refused(web: Web) -> None:
    reference = accepted_case(web)
    seen = len(audit_entries(web, "view_case"))
    client = web.client()
    for path in (HOME, page_of(reference)):
        response = client.get(path)
        assert response.status_code == 303
        assert response.headers["Location"].startswith("/medewerkers/inloggen?next=")
    token = csrf_for(web.app, client)
    response = client.post(f"{page_of(reference)}/first_contact",
                           data={"first_contact-csrf_token": token})  # fmt: skip
    assert response.status_code == 403
    idle = signed_in(web, ANNA)
    web.clock.advance(minutes=31)
    assert idle.get(page_of(reference)).status_code == 303
    with signed_in(web, COCO).session_transaction() as held:
        assert held["staff"]["second_factor"]
    half = web.client()  # a coordinator without the second factor is not signed in
    with half.session_transaction() as held:
        held["staff"] = {"id": advisor_id(web, COCO), "seen": web.clock().timestamp(),
                         "second_factor": False}  # fmt: skip
    assert half.get(HOME).status_code == 303
    assert len(audit_entries(web, "view_case")) == seen


# --- the audit log ------------------------------------------------------------------------


def test_every_view_writes_one_audit_entry_without_content(web: Web) -> None:
    reference = accepted_case(web)
    anna, coco = signed_in(web, ANNA), signed_in(web, COCO)
    before, seen = snapshot(web.database), len(audit_entries(web, "view_case"))
    for client in (anna, anna, coco):
        assert client.get(page_of(reference)).status_code == 200
    assert snapshot(web.database) == before  # a GET writes its audit entry, nothing else
    views = audit_entries(web, "view_case")[seen:]
    assert [(e.staff_id, e.staff_role, e.case_reference) for e in views] == [
        (advisor_id(web, ANNA), "vertrouwenspersoon", reference),
        (advisor_id(web, ANNA), "vertrouwenspersoon", reference),
        (advisor_id(web, COCO), "coordinator", reference),
    ]
    assert all(e.detail == "" and e.at == web.clock() for e in views)
    for entry in audit_entries(web):
        for secret in ("Fatima", CLIENT, DESCRIPTION):
            assert secret not in entry.detail


def test_every_action_is_audited_also_when_refused_or_invalid(web: Web) -> None:
    reference = accepted_case(web)
    anna = signed_in(web, ANNA)
    act(anna, reference, "first_contact")
    act(anna, reference, "on_behalf", action="contact_manager")  # no consent: refused
    data = {"write-csrf_token": csrf(anna, page_of(reference)), "write-text": ""}
    invalid = anna.post(f"{page_of(reference)}/write?lang=en", data=data)
    assert invalid.status_code == 400
    assert "Your message to the client: please fill this in." in invalid.get_data(as_text=True)
    actions = [(e.action, e.detail) for e in audit_entries(web) if e.action != "view_case"]
    assert actions == [
        ("accept", ""),
        ("first_contact", ""),
        ("on_behalf", "refused"),
        ("write", "invalid"),
    ]


def test_the_audit_log_cannot_be_changed_or_emptied(web: Web) -> None:
    reference = accepted_case(web)
    assert audit_entries(web)
    for statement in ("UPDATE audit_log SET detail = 'changed'", "DELETE FROM audit_log"):
        with web.database.engine.connect() as connection, pytest.raises(exc.DatabaseError):
            connection.execute(text(statement))
    assert [e.case_reference for e in audit_entries(web, "accept")] == [reference]


# --- working a case from the list to closing ----------------------------------------------


def test_a_case_is_worked_from_the_list_to_closing(web: Web) -> None:
    reference = open_assigned_case(web)
    anna = signed_in(web, ANNA)
    listed = anna.get(HOME).get_data(as_text=True)
    link = re.search(rf'href="([^"]+)">{reference}</a>', listed)
    assert link and NL["portal_waits_advisor_answer"] in listed
    assert anna.get(link.group(1).replace("&amp;", "&")).status_code == 200

    act(anna, reference, "accept")
    assert NL["portal_waits_advisor_first_contact"] in anna.get(HOME).get_data(as_text=True)
    assert NL["work_first_contact_done"] in act(anna, reference, "first_contact")
    assert NL["work_write_done"] in act(anna, reference, "write", text="Hoe gaat het?", awaits="y")
    assert NL["portal_waits_advisor_client"] in anna.get(HOME).get_data(as_text=True)
    assert NL["work_step_done"] in act(anna, reference, "step", step="formal_complaint_filed")
    assert NL["work_extend_done"] in act(anna, reference, "extend", weeks="2")
    page = act(anna, reference, "close", outcome="resolved", support_form="listening",
               reason="unwanted_conduct")  # fmt: skip
    assert NL["work_close_done"] in page and NL["work_close_title"] not in page
    assert case_of(web, reference).state == "closing"
    assert templates_to(web.database, CLIENT)[-1] == "evaluation_request"
    assert NL["portal_waits_advisor_evaluation"] in anna.get(HOME).get_data(as_text=True)
    assert "vertrouwd.deliver_mail" in [task for task, _ in web.enqueued]
    done = [e.action for e in audit_entries(web) if e.action not in ("view_case", "list_cases")]
    assert done == ["accept", "first_contact", "write", "step", "extend", "close"]


def test_declining_hands_the_case_on_and_it_leaves_the_list(web: Web) -> None:
    with web.database.unit_of_work() as uow:
        add_advisor(uow.session, organisation_slug="versa", name="Bea", email=BEA,
                    gender="female", now=web.clock())  # fmt: skip
        uow.commit()
    reference = open_assigned_case(web)
    anna = signed_in(web, ANNA)
    data = {"decline-csrf_token": csrf(anna, page_of(reference))}
    refused = anna.post(f"{page_of(reference)}/decline", data=data)
    assert refused.status_code == 400 and 'href="#decline-reason-' in refused.text
    response = anna.post(f"{page_of(reference)}/decline",
                         data={**data, "decline-reason": "unavailable"})  # fmt: skip
    assert response.status_code == 303 and response.headers["Location"].startswith(HOME)
    assert NL["portal_decline_done"] in anna.get(response.headers["Location"]).text
    assert case_of(web, reference).advisor_id == advisor_id(web, BEA)
    assert anna.get(page_of(reference)).status_code == 404
    assert reference in signed_in(web, BEA).get(HOME).get_data(as_text=True)


def test_staff_pages_are_not_cached_and_keep_the_policy(web: Web) -> None:
    reference = accepted_case(web)
    anna = signed_in(web, ANNA)
    for response in (anna.get(HOME), anna.get(page_of(reference))):
        assert response.headers["Cache-Control"] == "no-store"
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["Referrer-Policy"] == "no-referrer"

"""The coordinator's pages of the clients' requests to erase, over the Flask test client."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from forms.i18n import words
from tests.conftest import START, Web
from tests.outbox_reading import mail_text, mails_to
from tests.test_advisor_pages import ANNA, snapshot
from tests.test_dossier import CLIENT, DESCRIPTION, report
from tests.test_staff_cases import ADA, COCO, OLGA, add_strangers, audit_entries, csrf_for, main_of
from tests.test_staff_cases import signed_in as signed_in_as
from tests.test_staff_triage import ELS, post
from workflow import rights
from workflow.cases import find_by_reference
from workflow.desk import Desk
from workflow.models import DataRequest

NL, EN = words("nl"), words("en")
LIST = "/medewerkers/verzoeken"


def asked(web: Web, at: datetime | None = None) -> tuple[str, int]:
    """Jan reports and asks to erase (at `at`): (reference, request id)."""
    reference = report(web.database, web.postman, web.clock).reference
    with web.database.unit_of_work() as uow:
        case = find_by_reference(uow.session, reference)
        assert case is not None
        request = rights.ask_erasure(Desk(uow, web.postman, at or web.clock()), case)
        uow.commit()
        return reference, request.id


def page_of(request_id: int) -> str:
    return f"{LIST}/{request_id}"


def decide(web: Web, request_id: int, key: str, **fields: str) -> tuple[int, str]:
    return post(signed_in_as(web, COCO), f"{page_of(request_id)}/{key}", key, **fields)


def request_row(web: Web, request_id: int) -> DataRequest:
    with web.database.session() as session:
        found = session.get_one(DataRequest, request_id)
        session.expunge(found)
        return found


def everything(web: Web) -> tuple[object, ...]:
    """What a GET must leave alone, the requests too."""
    with web.database.session() as session:
        rows = tuple(session.execute(select(DataRequest.status, DataRequest.reminded_at)).all())
        count = session.scalar(select(func.count(DataRequest.id)))
    return snapshot(web.database), rows, count


def rows(page: str) -> list[str]:
    return re.findall(r"<th scope=\"row\"><a href=\"[^\"]+\">(VP-\d{4}-\d{4})</a></th>", page)


# --- the list -----------------------------------------------------------------------------


def test_the_list_puts_the_overdue_first_then_the_settled_without_client_data(web: Web) -> None:
    soon, _ = asked(web, START - timedelta(days=25))
    late, _ = asked(web, START - timedelta(days=40))
    later, _ = asked(web)
    refused, refused_id = asked(web)
    decide(web, refused_id, "refuse", reason="Wettelijke plicht om te bewaren.")
    page = main_of(signed_in_as(web, COCO).get(LIST).get_data(as_text=True))

    assert rows(page) == [late, soon, later, refused]
    assert NL["requests_overdue"].format(days=9) in page  # due 14 November, now 23 November
    assert NL["requests_left"].format(days=6) in page  # due 29 November
    assert NL["requests_status_refused"] in page
    for secret in ("Jan", CLIENT, DESCRIPTION, "Wettelijke plicht"):
        assert secret not in page
    assert EN["requests_title"] in signed_in_as(web, COCO).get(f"{LIST}?lang=en").text
    assert [e.action for e in audit_entries(web, "list_requests")] == ["list_requests"] * 2
    assert rows(signed_in_as(web, OLGA).get(LIST).get_data(as_text=True)) == []


def test_an_empty_list_says_so(web: Web) -> None:
    page = signed_in_as(web, COCO).get(LIST).get_data(as_text=True)
    assert NL["requests_open_none"] in page and NL["requests_settled_none"] in page


# --- one request --------------------------------------------------------------------------


def test_the_request_page_shows_the_dates_and_both_decisions_and_only_audits(web: Web) -> None:
    reference, request_id = asked(web)
    before = everything(web)
    page = main_of(signed_in_as(web, COCO).get(page_of(request_id)).get_data(as_text=True))

    assert everything(web) == before
    assert NL["request_title"].format(reference=reference) in page
    assert "woensdag 23 december 2026 om 10:30" in page
    assert NL["requests_left"].format(days=30) in page
    assert f'href="/medewerkers/zaken/{reference}' in page
    for key in ("grant-csrf_token", "grant-confirm", "refuse-csrf_token", "refuse-reason"):
        assert f'name="{key}"' in page
    for secret in ("Jan", CLIENT, DESCRIPTION):
        assert secret not in page
    [entry] = audit_entries(web, "view_request")
    assert (entry.case_reference, entry.detail) == (reference, f"request {request_id}")


def test_refusing_needs_a_reason_and_then_tells_the_client(web: Web) -> None:
    reference, request_id = asked(web)
    status, page = decide(web, request_id, "refuse", reason="")
    assert status == 400
    assert NL["error_required"].format(field=NL["erasure_refuse_reason"]) in page
    assert request_row(web, request_id).status == "open"

    why = "Er loopt nog een klacht bij de klachtencommissie."
    status, page = decide(web, request_id, "refuse", reason=why)
    assert status == 303 and NL["erasure_refuse_done"] in page
    assert why in page and NL["request_settled_by"].split("{")[0] in page
    assert "refuse-csrf_token" not in page and "grant-csrf_token" not in page
    assert request_row(web, request_id).status == "refused"
    [told] = mails_to(web.database, CLIENT, "erasure_settled")
    assert why in mail_text(web.database, told)
    details = [e.detail for e in audit_entries(web, "refuse_erasure")]
    assert details == [f"request {request_id} invalid", f"request {request_id}"]
    assert all(e.case_reference == reference for e in audit_entries(web, "refuse_erasure"))


def test_granting_needs_the_tick_then_erases_and_wakes_the_confirmation(web: Web) -> None:
    reference, request_id = asked(web)
    status, page = decide(web, request_id, "grant")
    assert status == 400
    assert NL["work_error_confirm"].format(field=NL["erasure_grant_confirm"]) in page
    assert request_row(web, request_id).status == "open"

    status, page = decide(web, request_id, "grant", confirm="y")
    assert status == 303 and NL["erasure_grant_done"] in page
    assert NL["request_case_gone"] in page and NL["requests_status_granted"] in page
    with web.database.session() as session:
        case = find_by_reference(session, reference)
        assert case is not None and case.state == "anonymised" and case.person_id is None
    [confirmation] = mails_to(web.database, CLIENT, "erasure_settled")
    assert confirmation.case_id is None
    assert ("vertrouwd.deliver_mail", (confirmation.id,)) in web.enqueued
    actions = [(e.action, e.detail) for e in audit_entries(web) if e.action == "grant_erasure"]
    assert actions == [("grant_erasure", f"request {request_id} invalid"),
                       ("grant_erasure", f"request {request_id}")]  # fmt: skip


def test_a_settled_request_is_not_settled_again(web: Web) -> None:
    _, request_id = asked(web)
    decide(web, request_id, "refuse", reason="Wettelijke plicht.")
    coco = signed_in_as(web, COCO)
    token = csrf_for(web.app, coco)
    response = coco.post(f"{page_of(request_id)}/grant",
                         data={"grant-csrf_token": token, "grant-confirm": "y"})  # fmt: skip
    assert response.status_code == 303
    page = coco.get(response.headers["Location"]).get_data(as_text=True)
    assert NL["request_not_now"] in page and request_row(web, request_id).status == "refused"
    assert audit_entries(web, "grant_erasure")[-1].detail == f"request {request_id} refused"


def test_a_post_without_csrf_token_changes_nothing(web: Web) -> None:
    _, request_id = asked(web)
    before = everything(web)
    response = signed_in_as(web, COCO).post(f"{page_of(request_id)}/grant",
                                            data={"grant-confirm": "y"})  # fmt: skip
    assert response.status_code == 400
    assert everything(web) == before


# --- access -------------------------------------------------------------------------------


def routes(web: Web) -> list[tuple[str, str, str]]:
    """Every route with an id: (method, path, form key)."""
    _, request_id = asked(web)
    posts = [("POST", f"{page_of(request_id)}/{key}", key) for key in ("grant", "refuse")]
    return [("GET", page_of(request_id), ""), *posts]


@pytest.mark.parametrize("who", [ANNA, ELS, ADA, OLGA])
def test_every_route_with_an_id_is_404_for_anyone_but_its_coordinators(web: Web, who: str) -> None:
    add_strangers(web)
    for method, path, key in routes(web):
        client = signed_in_as(web, who)
        before = everything(web)
        if method == "GET":
            response = client.get(path)
        else:
            token = csrf_for(web.app, client)
            data = {f"{key}-csrf_token": token, f"{key}-confirm": "y", f"{key}-reason": "x"}
            response = client.post(path, data=data)
        assert response.status_code == 404, (who, path)
        assert everything(web) == before
    if who != OLGA:  # the list is for coordinators only
        assert signed_in_as(web, who).get(LIST).status_code == 404


def test_an_unknown_request_or_decision_is_not_found(web: Web) -> None:
    _, request_id = asked(web)
    coco = signed_in_as(web, COCO)
    assert coco.get(page_of(request_id + 100)).status_code == 404
    token = csrf_for(web.app, coco)
    response = coco.post(f"{page_of(request_id)}/forget", data={"forget-csrf_token": token})
    assert response.status_code == 404


def test_every_route_with_an_id_is_listed(web: Web) -> None:
    taken = {str(rule) for rule in web.app.url_map.iter_rules()
             if rule.endpoint.startswith("staff_request") and rule.arguments}  # fmt: skip
    assert taken == {"/medewerkers/verzoeken/<int:request_id>",
                     "/medewerkers/verzoeken/<int:request_id>/<decision>"}  # fmt: skip

"""Every staff route that takes an id, found in the app's URL map: an outsider gets 404.

The outsider is an advisor with no case (and, apart, a coordinator of another
organisation). Each route is called with ids of things that exist, so a 404 means "not
yours", not "no such thing". A new route with an id fails this test until it is listed
in VALUES, so no route is ever left without the check.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from werkzeug.routing import Rule

from tests.conftest import Web
from tests.test_advisor_pages import advisor_id, case_of, snapshot
from tests.test_staff_cases import OLGA, add_strangers, csrf_for, open_assigned_case, signed_in
from tests.test_staff_triage import BEA, add_bea, signal_with_three_cases
from workflow.models import Absence, DataRequest, InboundMail

# Routes with a token from a mail: no signed-in owner; each has its own 404 tests.
TOKEN_ROUTES = {"staff_sign_in_link"}
KARIM = "karim@example.org"


def staff_routes(web: Web) -> list[Rule]:
    return [
        rule for rule in web.app.url_map.iter_rules()
        if rule.rule.startswith("/medewerkers") and rule.arguments
        and rule.endpoint not in TOKEN_ROUTES
    ]  # fmt: skip


def values(web: Web) -> dict[str, object]:
    """An existing thing for every kind of id a staff route takes."""
    add_strangers(web)
    add_bea(web)
    reference = open_assigned_case(web)  # Anna's
    signal_id, _ = signal_with_three_cases(web)
    now = web.clock()
    with web.database.unit_of_work() as uow:
        mail = InboundMail(
            mailbox="INBOX",
            message_key="quarantined-1",
            raw_enc=uow.vault.seal_bytes(b"x"),
            size=1,
            status="quarantined",
            outcome="quarantined",
            reason="unreadable mail",
            received_at=now,
            next_attempt_at=now,
            case_id=case_of(web, reference).id,
        )  # fmt: skip  (linked: only that organisation's coordinators may see it)
        soon = (now + timedelta(days=7)).date()
        leave = Absence(advisor_id=advisor_id(web, KARIM), starts_on=soon,
                        ends_on=soon + timedelta(days=2))  # fmt: skip
        uow.session.add_all([mail, leave])
        uow.session.flush()
        request = DataRequest(case_reference=reference, organisation_id=1, requested_at=now,
                              due_at=now + timedelta(days=30))  # fmt: skip
        uow.session.add(request)
        uow.session.flush()
        ids = {"inbound_id": mail.id, "absence_id": leave.id, "request_id": request.id}
        uow.commit()
    return {
        "reference": reference, "action": "first_contact", "signal_id": signal_id,
        "slug": "versa", "advisor_id": advisor_id(web, KARIM), "decision": "requeue", **ids,
    }  # fmt: skip


def paths(web: Web, known: dict[str, object]) -> list[tuple[str, str]]:
    """(method, path) of every staff route with an id, built with existing ids."""
    found = []
    for rule in staff_routes(web):
        missing = rule.arguments - set(known)
        assert not missing, f"{rule.rule}: add an existing value for {missing} to VALUES"
        path = rule.build({name: known[name] for name in rule.arguments})[1]
        found += [
            (method, path) for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        ]
    return found


LISTS = [
    "/medewerkers",
    "/medewerkers/verdelen",
    "/medewerkers/signalen",
    "/medewerkers/post",
    "/medewerkers/verzoeken",
    "/medewerkers/rapportages",
    "/medewerkers/beheer/logboek",
]


def test_signed_out_is_sent_to_sign_in_or_refused(web: Web) -> None:
    for method, path in [*(("GET", page) for page in LISTS), *paths(web, values(web))]:
        client = web.client()
        before = snapshot(web.database)
        if method == "GET":
            response = client.get(path)
            assert response.status_code == 303, path
            assert response.headers["Location"].startswith("/medewerkers/inloggen?next=")
        else:
            assert client.post(path, data={}).status_code in (400, 403), path
        assert snapshot(web.database) == before, path


@pytest.mark.parametrize("outsider", [BEA, OLGA])
def test_every_staff_route_with_an_id_is_404_for_an_outsider(web: Web, outsider: str) -> None:
    assert len(staff_routes(web)) >= 15  # cases, triage, signals, mail, admin, requests
    for method, path in paths(web, values(web)):
        client = signed_in(web, outsider)
        before = snapshot(web.database)
        if method == "GET":
            response = client.get(path)
        else:
            response = client.post(path, data={"csrf_token": csrf_for(web.app, client)})
        assert response.status_code == 404, (outsider, method, path)
        assert snapshot(web.database) == before, (outsider, method, path)

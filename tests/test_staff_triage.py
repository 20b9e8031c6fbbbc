"""The coordinator's triage and signals pages over the Flask test client, with the domain."""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from forms.i18n import words
from mailtemplates import kind_label
from tests.conftest import Web
from tests.outbox_reading import link_in_last_mail, mail_text, mails_to, templates_to
from tests.test_advisor_pages import ANNA, CLIENT, DESCRIPTION, advisor_id, case_of, snapshot
from tests.test_staff_cases import (
    ADA,
    COCO,
    KARIM,
    OLGA,
    add_strangers,
    audit_entries,
    csrf_for,
    main_of,
    open_assigned_case,
    signed_in,
)
from workflow import states
from workflow.db import Database
from workflow.intake import OpenCase, open_case
from workflow.models import Absence, Event, Signal
from workflow.organisations import add_advisor
from workflow.outbox import Postman

NL, EN = words("nl"), words("en")
ELS, BEA, LIES = "els@example.org", "bea@example.org", "lies@example.org"
QUEUE, SIGNALS = "/medewerkers/verdelen", "/medewerkers/signalen"
GUESSES = json.dumps({"kind": ["conduct", 0.41, "weak words"],
                      "preferred_gender": ["female", 0.9], "language": ["nl", 0.97],
                      "organisation_sure": True, "urgent": []})  # fmt: skip


# --- helpers ------------------------------------------------------------------------------


def open_unsure(database: Database, postman: Postman, now: datetime, *, wish: str = "female",
                counterpart: str | None = None) -> str:  # fmt: skip
    """A mail the system could not place: it waits for the coordinator's triage."""
    command = OpenCase(organisation_slug="versa", channel="email", kind="conduct",
                       preferred_gender=wish, language="nl", description=DESCRIPTION,
                       name="Fatima", email=CLIENT, is_sure=False, classification=GUESSES,
                       counterpart_name=counterpart)  # fmt: skip
    with database.unit_of_work() as uow:
        return open_case(uow, postman, command, now).reference


def unsure_case(web: Web, *, wish: str = "female", counterpart: str | None = None) -> str:
    return open_unsure(web.database, web.postman, web.clock(), wish=wish, counterpart=counterpart)


def add_bea(web: Web) -> None:
    with web.database.unit_of_work() as uow:
        add_advisor(uow.session, organisation_slug="versa", name="Bea", email=BEA,
                    gender="female", role="vertrouwenspersoon", now=web.clock())  # fmt: skip
        uow.commit()


def page_of(reference: str) -> str:
    return f"{QUEUE}/{reference}"


def post(client: FlaskClient, path: str, key: str, **fields: str) -> tuple[int, str]:
    """Post one form (CSRF from the page it is on); follow a 303; the status and the page."""
    page = path.split("?")[0].rsplit("/", 1)[0]
    token = re.search(rf'name="{key}-csrf_token" type="hidden" value="([^"]+)"',
                      client.get(page).get_data(as_text=True))  # fmt: skip
    assert token, f"no {key} form on {page}"
    data = {f"{key}-csrf_token": token.group(1), **{f"{key}-{k}": v for k, v in fields.items()}}
    response = client.post(path, data=data)
    if response.status_code == 303:
        return 303, client.get(response.headers["Location"]).get_data(as_text=True)
    return response.status_code, response.get_data(as_text=True)


def triage_act(client: FlaskClient, reference: str, key: str, **fields: str) -> tuple[int, str]:
    return post(client, f"{page_of(reference)}/{key}", key, **fields)


def rows(page: str) -> list[str]:
    return re.findall(r"<th scope=\"row\">\s*<a href=\"[^\"]+\">(VP-\d{4}-\d{4})</a>", page)


def signal_with_three_cases(web: Web) -> tuple[int, list[str]]:
    references = [unsure_case(web, counterpart="Johan de Vries") for _ in range(3)]
    with web.database.session() as session:
        signal = session.scalars(select(Signal)).one()
        return signal.id, references


# --- the queue and a case -----------------------------------------------------------------


def test_the_queue_shows_what_the_system_guessed_and_why(web: Web) -> None:
    add_strangers(web)
    unsure = unsure_case(web)
    routed = open_assigned_case(web)
    page = main_of(signed_in(web, COCO).get(QUEUE).get_data(as_text=True))

    assert rows(page) == [unsure]  # the routed case is not in triage
    assert NL["triage_confidence"].format(value=kind_label("conduct", "nl"), percent=41) in page
    assert NL["triage_why_unclassified"] in page
    assert DESCRIPTION not in page and CLIENT not in page  # the list shows no content
    assert rows(signed_in(web, OLGA).get(QUEUE).get_data(as_text=True)) == []
    assert routed not in page
    assert [e.action for e in audit_entries(web, "list_triage")] == ["list_triage", "list_triage"]


def test_the_case_page_shows_guesses_words_and_who_may_get_it(web: Web) -> None:
    add_bea(web)
    unsure = unsure_case(web)
    with web.database.unit_of_work() as uow:  # Bea is away today
        uow.session.add(Absence(advisor_id=advisor_id(web, BEA), starts_on=web.clock().date(),
                                ends_on=web.clock().date()))  # fmt: skip
        uow.commit()
    before = snapshot(web.database)
    page = main_of(signed_in(web, COCO).get(page_of(unsure)).get_data(as_text=True))

    assert snapshot(web.database) == before  # GET changes nothing but the audit log
    assert DESCRIPTION in page and CLIENT not in page and "Fatima" not in page
    assert NL["triage_confidence"].format(value=kind_label("conduct", "nl"), percent=41) in page
    eligible = re.findall(r'<tr data-eligible="yes">\s*<th scope="row">([^<]+)</th>', page)
    assert eligible == ["Anna"]
    assert NL["triage_not_away"] in page  # Bea
    assert NL["triage_not_wish"] in page  # Karim, for a client who asked for a woman
    assert NL["triage_not_wrong_role"] in page  # Els, a chair, for a conduct case
    assert re.findall(r'<option value="(\w+)"', page) == ["auto", str(advisor_id(web, ANNA))]
    [entry] = audit_entries(web, "view_triage")
    assert (entry.case_reference, entry.detail, entry.staff_role) == (unsure, "", "coordinator")


def test_setting_kind_and_wish_then_assigning_the_chosen_advisor(web: Web) -> None:
    add_bea(web)
    unsure = unsure_case(web)
    coco = signed_in(web, COCO)
    status, page = triage_act(coco, unsure, "kind", kind="complaint", wish="none")
    assert status == 303 and NL["triage_kind_done"] in page
    case = case_of(web, unsure)
    assert (case.kind, case.preferred_gender, case.state) == ("complaint", "none", "needs_triage")
    # A complaint goes to the chair: now only Els may get it.
    assert re.findall(r'<option value="(\w+)"', page) == ["auto", str(advisor_id(web, ELS))]

    status, page = triage_act(coco, unsure, "assign", advisor=str(advisor_id(web, ELS)))
    assert status == 303 and NL["triage_assign_done"] in page
    case = case_of(web, unsure)
    assert (case.state, case.advisor_id) == ("assigned", advisor_id(web, ELS))
    assert templates_to(web.database, ELS) == ["assignment"]
    assert rows(page) == []  # back on the queue, which is empty now
    actions = [e.action for e in audit_entries(web) if e.action.startswith("triage_")]
    assert actions == ["triage_kind", "triage_assign"]


def test_an_advisor_against_the_wish_is_never_accepted(web: Web) -> None:
    unsure = unsure_case(web, wish="female")
    coco = signed_in(web, COCO)
    status, page = triage_act(coco, unsure, "assign", advisor=str(advisor_id(web, KARIM)))
    assert status == 400
    assert NL["error_choose"].format(field=NL["triage_assign_advisor"]) in page
    assert case_of(web, unsure).state == "needs_triage"
    assert [e.detail for e in audit_entries(web, "triage_assign")] == ["invalid"]


def test_letting_routing_choose_assigns_the_lightest_load_or_waits_again(web: Web) -> None:
    unsure = unsure_case(web, wish="male")
    coco = signed_in(web, COCO)
    status, page = triage_act(coco, unsure, "assign", advisor="auto")
    assert status == 303 and NL["triage_assign_done"] in page
    assert case_of(web, unsure).advisor_id == advisor_id(web, KARIM)

    nobody = unsure_case(web, wish="male")
    with web.database.unit_of_work() as uow:
        uow.session.add(Absence(advisor_id=advisor_id(web, KARIM), starts_on=web.clock().date(),
                                ends_on=web.clock().date()))  # fmt: skip
        uow.commit()
    status, page = triage_act(coco, nobody, "assign", advisor="auto")
    assert status == 303 and NL["triage_assign_nobody"] in page
    case = case_of(web, nobody)
    assert (case.state, case.advisor_id) == ("needs_triage", None)


def test_reassigning_an_unanswered_case_ends_the_first_advisors_link(web: Web) -> None:
    add_bea(web)
    reference = open_assigned_case(web)
    anna_link = link_in_last_mail(web.database, ANNA, "taak")
    coco = signed_in(web, COCO)
    case_page = coco.get(f"/medewerkers/zaken/{reference}").get_data(as_text=True)
    assert page_of(reference) in case_page  # the coordinator's way to reassign

    status, page = triage_act(coco, reference, "assign", advisor=str(advisor_id(web, BEA)))
    assert status == 303 and NL["triage_assign_done"] in page
    case = case_of(web, reference)
    assert (case.state, case.advisor_id) == ("assigned", advisor_id(web, BEA))
    assert templates_to(web.database, BEA) == ["assignment"]
    anna = web.client()
    assert anna.get(f"/taak/{anna_link}/accepteren").status_code == 404
    assert "dismiss-csrf_token" not in coco.get(page_of(reference)).get_data(as_text=True)


def test_an_accepted_case_is_not_reassigned_here(web: Web) -> None:
    reference = open_assigned_case(web)
    from tests.test_staff_cases import act

    act(signed_in(web, ANNA), reference, "accept")
    assert signed_in(web, COCO).get(page_of(reference)).status_code == 404


def test_not_a_case_leaves_the_queue_and_mails_nobody(web: Web) -> None:
    unsure = unsure_case(web)
    before = len(templates_to(web.database, CLIENT))
    status, page = triage_act(signed_in(web, COCO), unsure, "dismiss", reason="spam")
    assert status == 303 and NL["triage_dismiss_done"] in page and rows(page) == []
    assert case_of(web, unsure).state == states.NOT_A_CASE
    assert len(templates_to(web.database, CLIENT)) == before


def test_referring_tells_the_client_where_to_turn_and_passes_nothing_on(web: Web) -> None:
    unsure = unsure_case(web, wish="male")
    where = "Vertrouwenspersoon Jan Smit, Stichting Hulp\nTelefoon 0800 1234"
    status, page = triage_act(signed_in(web, COCO), unsure, "refer", where=where)
    assert status == 303 and NL["triage_refer_done"] in page and rows(page) == []
    assert case_of(web, unsure).state == states.REFERRED
    [referred] = [m for m in mails_to(web.database, CLIENT) if m.template == "referred"]
    text = mail_text(web.database, referred)
    assert "Jan Smit" in text and "0800 1234" in text
    assert templates_to(web.database, KARIM) == []  # nobody else got the case
    assert [e.detail for e in audit_entries(web, "triage_refer")] == [""]


def test_errors_name_the_field_in_the_pages_language(web: Web) -> None:
    unsure = unsure_case(web)
    coco = signed_in(web, COCO)
    status, page = post(coco, f"{page_of(unsure)}/kind?lang=en", "kind")
    assert status == 400
    assert EN["error_choose"].format(field=EN["triage_kind_kind"]) in page
    assert EN["error_choose"].format(field=EN["triage_kind_wish"]) in page


def test_a_post_without_csrf_token_changes_nothing(web: Web) -> None:
    unsure = unsure_case(web)
    before = snapshot(web.database)
    response = signed_in(web, COCO).post(f"{page_of(unsure)}/dismiss",
                                         data={"dismiss-reason": "spam"})  # fmt: skip
    assert response.status_code == 400
    assert snapshot(web.database) == before


# --- signals ------------------------------------------------------------------------------


def test_a_signal_is_listed_opened_and_decided_once(web: Web) -> None:
    signal_id, references = signal_with_three_cases(web)
    coco = signed_in(web, COCO)
    listing = main_of(coco.get(SIGNALS).get_data(as_text=True))
    assert NL["signals_name"].format(id=signal_id) in listing
    assert NL["signals_status_open"] in listing and "Johan" not in listing
    page = main_of(coco.get(f"{SIGNALS}/{signal_id}").get_data(as_text=True))
    assert all(reference in page for reference in references) and "Johan" not in page

    note = "Besproken met de manager; zij spreekt de medewerker aan."
    status, page = post(coco, f"{SIGNALS}/{signal_id}/besluit", "decide",
                        decision="raised_with_management", note=note)  # fmt: skip
    assert status == 303 and NL["signal_decide_done"] in page and note in page
    with web.database.session() as session:
        signal = session.get_one(Signal, signal_id)
        assert signal.status == "decided" and signal.decision_enc is not None
        assert note.encode() not in signal.decision_enc  # sealed
        details = list(session.scalars(select(Event.detail).where(Event.name == "signal_decided")))
    assert details == [f"signal {signal_id}: raised_with_management"] * 3  # no note
    assert "decide-csrf_token" not in page  # decided once
    assert [e.detail for e in audit_entries(web, "decide_signal")] == [f"signal {signal_id}"]
    assert [e.detail for e in audit_entries(web, "view_signal")][-1] == f"signal {signal_id}"


# --- access -------------------------------------------------------------------------------


def routes(web: Web) -> list[tuple[str, str, str]]:
    """Every triage and signal route that takes an id: (method, path, form key)."""
    unsure = unsure_case(web)
    signal_id, _ = signal_with_three_cases(web)
    return [("GET", page_of(unsure), ""), ("GET", f"{SIGNALS}/{signal_id}", ""),
            *[("POST", f"{page_of(unsure)}/{key}", key)
              for key in ("kind", "assign", "refer", "dismiss")],
            ("POST", f"{SIGNALS}/{signal_id}/besluit", "decide")]  # fmt: skip


@pytest.mark.parametrize("who", [ANNA, ELS, ADA, OLGA])
def test_every_route_with_an_id_is_404_for_anyone_but_its_coordinators(web: Web, who: str) -> None:
    add_strangers(web)
    for method, path, key in routes(web):
        client = signed_in(web, who)
        before = snapshot(web.database)
        if method == "GET":
            response = client.get(path)
        else:
            response = client.post(path, data={f"{key}-csrf_token": csrf_for(web.app, client)})
        assert response.status_code == 404, (who, path)
        assert snapshot(web.database) == before
    if who != OLGA:  # the lists are for coordinators only
        assert signed_in(web, who).get(QUEUE).status_code == 404
        assert signed_in(web, who).get(SIGNALS).status_code == 404


def test_every_route_with_an_id_is_listed(web: Web) -> None:
    ours = ("staff_triage", "staff_signal")
    taken = {str(rule) for rule in web.app.url_map.iter_rules()
             if rule.endpoint.startswith(ours) and rule.arguments}  # fmt: skip
    assert taken == {"/medewerkers/verdelen/<reference>",
                     "/medewerkers/verdelen/<reference>/<action>",
                     "/medewerkers/signalen/<int:signal_id>",
                     "/medewerkers/signalen/<int:signal_id>/besluit"}  # fmt: skip

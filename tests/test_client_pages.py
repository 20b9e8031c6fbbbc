"""The client's pages over the Flask test client: consent, evaluation, dossier, a new link.

Links in mail are fetched by scanners: every GET here must leave the database as it was.
"""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from forms.words_client import CLIENT_TEXT
from tests.conftest import Web
from tests.outbox_reading import link_in_last_mail, mails_to
from tests.test_dossier import (
    CLIENT,
    DESCRIPTION,
    case_awaiting_consent,
    case_awaiting_evaluation,
    desk_for,
    report,
    the_case,
)
from workflow.consent import ConsentRequired, require_consent
from workflow.db import Database
from workflow.models import AccessToken, Case, Consent, Evaluation, Event, OutboxMail

NL, EN = CLIENT_TEXT["nl"], CLIENT_TEXT["en"]


def snapshot(database: Database) -> tuple[object, ...]:
    """What a GET must not change: answers, evaluations, timeline, spent links, mail."""
    with database.session() as session:
        statuses = sorted(session.scalars(select(Consent.status)))
        counts = [
            session.scalar(select(func.count()).select_from(model))
            for model in (Evaluation, Event, OutboxMail, AccessToken)
        ]
        spent = session.scalar(select(func.count(AccessToken.used_at)))
        states = sorted(session.scalars(select(Case.state)))
    return (statuses, counts, spent, states)


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


def errors(page: str) -> list[str]:
    return re.findall(r'class="error" id="[^"]+">([^<]+)<', page)


def consent_case(web: Web) -> tuple[str, int, str]:
    """A case whose advisor asks consent: (reference, consent id, the consent link's token)."""
    return case_awaiting_consent(web.database, web.postman, web.clock)


def closing_case(web: Web) -> tuple[str, str]:
    """A case whose support has ended: (reference, the evaluation link's token)."""
    return case_awaiting_evaluation(web.database, web.postman, web.clock)


def in_dossier(web: Web, client: FlaskClient, lang: str = "nl") -> str:
    """Follow the newest dossier link in the client's mail; the dossier page."""
    token = link_in_last_mail(web.database, CLIENT, "dossier")
    response = client.get(f"/dossier/{token}?lang={lang}", follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def consent_status(web: Web, consent_id: int) -> str:
    with web.database.session() as session:
        consent = session.get(Consent, consent_id)
        assert consent is not None
        return consent.status


# --- GET changes nothing ----------------------------------------------------------------------


def test_no_get_of_a_client_link_changes_anything(web: Web) -> None:
    _, _, consent_token = consent_case(web)
    _, evaluation_token = closing_case(web)
    dossier_token = link_in_last_mail(web.database, CLIENT, "dossier")
    before = snapshot(web.database)
    client = web.client()
    for path in (f"/toestemming/{consent_token}", f"/evaluatie/{evaluation_token}",
                 f"/dossier/{dossier_token}", "/dossier", "/dossier/kwijt"):  # fmt: skip
        for _ in range(2):
            assert client.get(path).status_code in (200, 303), path
            assert client.get(f"{path}?lang=en").status_code in (200, 303), path
    assert snapshot(web.database) == before
    assert web.enqueued == []


@pytest.mark.parametrize("path", ["/toestemming/", "/evaluatie/", "/dossier/"])
def test_a_made_up_link_is_not_found(web: Web, path: str) -> None:
    response = web.client().get(f"{path}not-a-real-token-1234567890")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet." in response.get_data(as_text=True)


# --- consent ----------------------------------------------------------------------------------


def test_the_consent_page_shows_what_towards_whom_and_which_information(web: Web) -> None:
    reference, _, token = consent_case(web)
    page = web.client().get(f"/toestemming/{token}").get_data(as_text=True)
    for text in ("Ik bel uw teamleider Piet.", "Piet de Vries, teamleider",
                 "Wat u mij vertelde over het eten.", reference, NL["consent_what"],
                 NL["consent_towards"], NL["consent_information"]):  # fmt: skip
        assert text in page
    assert re.search(r'<button type="submit" id="answer" name="answer" value="yes">Ja</button>',
                     page)  # fmt: skip
    assert re.search(r'name="answer" value="no"[^>]*>Nee</button>', page)
    english = web.client().get(f"/toestemming/{token}?lang=en").get_data(as_text=True)
    assert ">Yes</button>" in english and ">No</button>" in english


def test_yes_is_recorded_once_and_says_it_can_be_withdrawn(web: Web) -> None:
    _, consent_id, token = consent_case(web)
    client = web.client()
    csrf = csrf_of(client.get(f"/toestemming/{token}").get_data(as_text=True))
    response = client.post(f"/toestemming/{token}", data={"csrf_token": csrf, "answer": "yes"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert NL["consent_given_title"] in page and NL["consent_can_withdraw"] in page
    assert consent_status(web, consent_id) == "given"
    assert mails_to(web.database, "anna@example.org", "consent_answered")
    assert "vertrouwd.deliver_mail" in {task for task, _ in web.enqueued}
    assert client.get(f"/toestemming/{token}").status_code == 404
    again = client.post(f"/toestemming/{token}", data={"csrf_token": csrf, "answer": "no"})
    assert again.status_code == 404
    assert consent_status(web, consent_id) == "given"


def test_no_is_recorded_and_the_action_stays_blocked(web: Web) -> None:
    reference, consent_id, token = consent_case(web)
    client = web.client()
    csrf = csrf_of(client.get(f"/toestemming/{token}?lang=en").get_data(as_text=True))
    response = client.post(f"/toestemming/{token}?lang=en",
                           data={"csrf_token": csrf, "answer": "no"})  # fmt: skip
    assert response.status_code == 200
    assert EN["consent_refused_title"] in response.get_data(as_text=True)
    assert consent_status(web, consent_id) == "refused"
    with desk_for(web.database, web.postman, web.clock) as desk, pytest.raises(ConsentRequired):
        require_consent(desk.session, the_case(desk, reference), "contact_manager")


def test_a_consent_answer_without_csrf_token_is_refused(web: Web) -> None:
    _, consent_id, token = consent_case(web)
    before = snapshot(web.database)
    response = web.client().post(f"/toestemming/{token}", data={"answer": "yes"})
    assert response.status_code == 400
    assert "Het formulier is verlopen" in response.get_data(as_text=True)
    assert consent_status(web, consent_id) == "requested"
    assert snapshot(web.database) == before


def test_a_consent_answer_that_is_neither_yes_nor_no_changes_nothing(web: Web) -> None:
    _, consent_id, token = consent_case(web)
    client = web.client()
    csrf = csrf_of(client.get(f"/toestemming/{token}").get_data(as_text=True))
    response = client.post(f"/toestemming/{token}", data={"csrf_token": csrf, "answer": "maybe"})
    assert response.status_code == 400
    assert "Geeft u toestemming voor deze stap?: kies een antwoord." in response.get_data(
        as_text=True)  # fmt: skip
    assert consent_status(web, consent_id) == "requested"


# --- evaluation -------------------------------------------------------------------------------


def test_the_evaluation_is_stored_once_and_closes_the_case(web: Web) -> None:
    reference, token = closing_case(web)
    client = web.client()
    page = client.get(f"/evaluatie/{token}").get_data(as_text=True)
    for key in (
        "eval_experience",
        "eval_useful",
        "eval_themes",
        "eval_advice",
        "eval_experience_5",
    ):
        assert NL[key] in page
    data = {
        "csrf_token": csrf_of(page),
        "experience": "4",
        "useful": "partly",
        "themes": ["listen_better", "safety"],
        "advice": "Meer tijd voor de bewoners.",
    }
    response = client.post(f"/evaluatie/{token}", data=data)
    assert response.status_code == 200
    assert NL["eval_done"] in response.get_data(as_text=True)
    with web.database.session() as session:
        [stored] = session.scalars(select(Evaluation))
        assert (stored.experience, stored.useful, stored.advice_themes) == (
            4, "partly", "listen_better,safety")  # fmt: skip
        case = session.scalar(select(Case).where(Case.reference == reference))
        assert case is not None and case.state == "closed"
    assert client.get(f"/evaluatie/{token}").status_code == 404
    assert client.post(f"/evaluatie/{token}", data=data).status_code == 404


def test_every_evaluation_question_may_stay_empty(web: Web) -> None:
    _, token = closing_case(web)
    client = web.client()
    csrf = csrf_of(client.get(f"/evaluatie/{token}").get_data(as_text=True))
    assert client.post(f"/evaluatie/{token}", data={"csrf_token": csrf}).status_code == 200
    with web.database.session() as session:
        [stored] = session.scalars(select(Evaluation))
        assert (stored.experience, stored.useful, stored.advice_themes) == (None, None, "")


@pytest.mark.parametrize(("lang", "expected"), [
    ("nl", "Hoe vond u de hulp van de vertrouwenspersoon?: kies een antwoord."),
    ("en", "How was the help of the advisor?: please choose an answer."),
])  # fmt: skip
def test_an_evaluation_answer_we_never_offered_is_named_in_the_page_language(
    web: Web, lang: str, expected: str
) -> None:
    _, token = closing_case(web)
    client = web.client()
    csrf = csrf_of(client.get(f"/evaluatie/{token}?lang={lang}").get_data(as_text=True))
    response = client.post(f"/evaluatie/{token}?lang={lang}",
                           data={"csrf_token": csrf, "experience": "9"})  # fmt: skip
    assert response.status_code == 400
    assert errors(response.get_data(as_text=True)) == [expected]
    with web.database.session() as session:
        assert session.scalar(select(func.count()).select_from(Evaluation)) == 0


def test_an_evaluation_without_csrf_token_is_refused(web: Web) -> None:
    _, token = closing_case(web)
    response = web.client().post(f"/evaluatie/{token}", data={"experience": "5"})
    assert response.status_code == 400
    with web.database.session() as session:
        assert session.scalar(select(func.count()).select_from(Evaluation)) == 0


# --- the dossier ------------------------------------------------------------------------------


def test_the_dossier_link_is_traded_for_a_session_and_leaves_the_address_bar(web: Web) -> None:
    opened = report(web.database, web.postman, web.clock)
    token = link_in_last_mail(web.database, CLIENT, "dossier")
    client = web.client()
    response = client.get(f"/dossier/{token}")
    assert response.status_code == 303
    assert response.headers["Location"] == "/dossier?lang=nl"
    page = client.get("/dossier")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'data-reference="{opened.reference}"' in text
    assert DESCRIPTION in text
    assert page.headers["Cache-Control"] == "no-store"
    assert token not in text
    assert "anna@example.org" not in text


def test_without_a_session_the_dossier_asks_for_reference_and_code(web: Web) -> None:
    response = web.client().get("/dossier?lang=en")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert EN["dossier_open_title"] in page and EN["dossier_code_field"] in page
    assert 'href="/dossier/kwijt?lang=en"' in page
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_reference_and_code_open_the_dossier_and_a_wrong_code_is_named(web: Web, lang: str) -> None:
    opened = report(web.database, web.postman, web.clock, is_anonymous=True)
    assert opened.dossier is not None and opened.dossier.code is not None
    t = {"nl": NL, "en": EN}[lang]
    client = web.client()
    csrf = csrf_of(client.get(f"/dossier?lang={lang}").get_data(as_text=True))
    form = {"csrf_token": csrf, "reference": opened.reference}
    wrong = client.post(f"/dossier/code?lang={lang}", data={**form, "code": "AAAA-AAAA"})
    assert wrong.status_code == 400
    assert errors(wrong.get_data(as_text=True)) == [
        t["error_code"].format(field=t["dossier_code_field"])
    ]
    empty = client.post(f"/dossier/code?lang={lang}", data={"csrf_token": csrf})
    assert len(errors(empty.get_data(as_text=True))) == 2
    right = client.post(f"/dossier/code?lang={lang}", data={**form, "code": opened.dossier.code})
    assert right.status_code == 303
    page = client.get(f"/dossier?lang={lang}").get_data(as_text=True)
    assert f'data-reference="{opened.reference}"' in page


def test_a_message_from_the_dossier_reaches_the_case_and_tells_the_advisor(web: Web) -> None:
    report(web.database, web.postman, web.clock)
    client = web.client()
    page = in_dossier(web, client)
    empty = client.post("/dossier/bericht", data={"csrf_token": csrf_of(page), "message": " "})
    assert empty.status_code == 400
    assert errors(empty.get_data(as_text=True)) == [
        "Schrijf een bericht aan uw vertrouwenspersoon: vul dit in."
    ]
    sent = client.post("/dossier/bericht", data={"csrf_token": csrf_of(page),
                                                 "message": "Ik heb nog een vraag."})  # fmt: skip
    assert sent.status_code == 303
    after = client.get("/dossier").get_data(as_text=True)
    assert NL["dossier_done_sent"] in after and "Ik heb nog een vraag." in after
    assert len(mails_to(web.database, "anna@example.org", "client_replied")) == 1
    assert web.enqueued


def test_a_dossier_post_without_csrf_or_session_does_nothing(web: Web) -> None:
    report(web.database, web.postman, web.clock)
    client = web.client()
    page = in_dossier(web, client)
    before = snapshot(web.database)
    assert client.post("/dossier/bericht", data={"message": "Hallo"}).status_code == 400
    assert client.post("/dossier/intrekken", data={"confirm": "y"}).status_code == 400
    stranger = web.client()
    csrf = csrf_of(stranger.get("/dossier").get_data(as_text=True))
    refused = stranger.post("/dossier/bericht", data={"csrf_token": csrf, "message": "Hallo"})
    assert refused.status_code == 303
    assert snapshot(web.database) == before
    assert csrf_of(page)


def test_withdrawing_a_consent_blocks_the_action_again(web: Web) -> None:
    reference, consent_id, token = consent_case(web)
    client = web.client()
    csrf = csrf_of(client.get(f"/toestemming/{token}").get_data(as_text=True))
    client.post(f"/toestemming/{token}", data={"csrf_token": csrf, "answer": "yes"})
    with desk_for(web.database, web.postman, web.clock) as desk:
        require_consent(desk.session, the_case(desk, reference), "contact_manager")
    page = in_dossier(web, client)
    assert NL["consent_withdraw"] in page
    response = client.post(f"/dossier/toestemming/{consent_id}/intrekken",
                           data={"csrf_token": csrf_of(page)})  # fmt: skip
    assert response.status_code == 303
    assert consent_status(web, consent_id) == "withdrawn"
    with desk_for(web.database, web.postman, web.clock) as desk, pytest.raises(ConsentRequired):
        require_consent(desk.session, the_case(desk, reference), "contact_manager")
    after = client.get("/dossier").get_data(as_text=True)
    assert NL["dossier_done_consent"] in after and NL["consent_withdraw"] not in after


def test_stopping_needs_the_box_ticked_and_then_withdraws_the_case(web: Web) -> None:
    opened = report(web.database, web.postman, web.clock)
    client = web.client()
    page = in_dossier(web, client, "en")
    unticked = client.post("/dossier/intrekken?lang=en", data={"csrf_token": csrf_of(page)})
    assert unticked.status_code == 400
    assert errors(unticked.get_data(as_text=True)) == [
        EN["error_stop_confirm"].format(field=EN["dossier_stop_confirm"])
    ]
    ticked = client.post("/dossier/intrekken?lang=en",
                         data={"csrf_token": csrf_of(page), "confirm": "y"})  # fmt: skip
    assert ticked.status_code == 303
    after = client.get("/dossier?lang=en").get_data(as_text=True)
    assert EN["dossier_done_withdrawn"] in after and EN["stage_withdrawn"] in after
    assert EN["dossier_stop_button"] not in after
    with web.database.session() as session:
        case = session.scalar(select(Case).where(Case.reference == opened.reference))
        assert case is not None and case.state == "withdrawn"


def test_signing_out_ends_the_session(web: Web) -> None:
    report(web.database, web.postman, web.clock)
    client = web.client()
    page = in_dossier(web, client)
    assert client.post("/dossier/afmelden", data={"csrf_token": csrf_of(page)}).status_code == 303
    after = client.get("/dossier").get_data(as_text=True)
    assert NL["dossier_signed_out"] in after and NL["dossier_open_title"] in after
    assert DESCRIPTION not in after


# --- a new link -------------------------------------------------------------------------------


def test_the_lost_link_answer_is_the_same_for_known_and_unknown_addresses(web: Web) -> None:
    report(web.database, web.postman, web.clock)
    client = web.client()
    old = link_in_last_mail(web.database, CLIENT, "dossier")
    in_dossier(web, client)
    answers = []
    for address in (CLIENT, "onbekend@example.net"):
        other = web.client()
        csrf = csrf_of(other.get("/dossier/kwijt").get_data(as_text=True))
        response = other.post("/dossier/kwijt", data={"csrf_token": csrf, "email": address})
        assert response.status_code == 200
        answers.append(response.get_data(as_text=True))
    assert answers[0] == answers[1]
    assert NL["lost_sent"] in answers[0]
    assert len(mails_to(web.database, CLIENT, "dossier_link")) == 1
    assert mails_to(web.database, "onbekend@example.net") == []
    assert link_in_last_mail(web.database, CLIENT, "dossier") != old
    assert client.get("/dossier").get_data(as_text=True).count(NL["dossier_open_title"]) >= 1
    assert web.client().get(f"/dossier/{old}").status_code == 404


def test_a_lost_link_request_names_a_bad_address_and_is_limited_per_address(web: Web) -> None:
    client = web.client()
    csrf = csrf_of(client.get("/dossier/kwijt?lang=en").get_data(as_text=True))
    bad = client.post("/dossier/kwijt?lang=en", data={"csrf_token": csrf, "email": "jan@"})
    assert bad.status_code == 400
    assert errors(bad.get_data(as_text=True)) == [
        "Your email address: this is not a valid email address, for example name@example.org."
    ]
    statuses = [
        client.post(
            "/dossier/kwijt", data={"csrf_token": csrf, "email": "a@example.net"}
        ).status_code
        for _ in range(6)
    ]
    assert statuses == [200] * 5 + [429]
    limited = client.post("/dossier/kwijt", data={"csrf_token": csrf, "email": "A@example.net"})
    assert NL["lost_too_many"] in limited.get_data(as_text=True)
    other = client.post("/dossier/kwijt", data={"csrf_token": csrf, "email": "b@example.net"})
    assert other.status_code == 200


def test_guessing_codes_is_slowed_down(web: Web) -> None:
    opened = report(web.database, web.postman, web.clock, is_anonymous=True)
    client = web.client()
    csrf = csrf_of(client.get("/dossier").get_data(as_text=True))
    guess = {"csrf_token": csrf, "reference": opened.reference, "code": "AAAA-AAAA"}
    statuses = [client.post("/dossier/code", data=guess).status_code for _ in range(11)]
    assert statuses == [400] * 10 + [429]
    limited = client.post("/dossier/code", data=guess)
    assert NL["dossier_too_many"] in limited.get_data(as_text=True)

"""The client's dossier in the domain: ways in, what it shows, what the client may do."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select

from tests.conftest import Clock, seed_organisation
from tests.outbox_reading import link_in_last_mail, mail_text, mails_to
from workflow import casework, dossier
from workflow.cases import find_by_reference
from workflow.consent import ask_consent
from workflow.db import Database
from workflow.desk import Desk, NotAllowed
from workflow.intake import CaseOpened, OpenCase, open_case
from workflow.models import Advisor, Case, OutboxMail
from workflow.outbox import Postman

CLIENT = "jan.jansen@example.net"
DESCRIPTION = "Mijn begeleider schreeuwt tegen mij tijdens het eten."
NOTE = "Alleen voor ons: cliënt lijkt bang"


# --- helpers (also used by the client's pages) ----------------------------------------------


def report(
    database: Database, postman: Postman, clock: Clock, *, email_address: str | None = CLIENT,
    is_anonymous: bool = False,
) -> CaseOpened:  # fmt: skip
    """A client reports unwanted conduct and wants a woman: Anna gets it."""
    command = OpenCase(
        organisation_slug="versa", channel="web", kind="conduct", preferred_gender="female",
        language="nl", description=DESCRIPTION, name=None if is_anonymous else "Jan Jansen",
        email=None if is_anonymous else email_address, is_anonymous=is_anonymous,
    )  # fmt: skip
    with database.unit_of_work() as uow:
        return open_case(uow, postman, command, clock())


@contextmanager
def desk_for(database: Database, postman: Postman, clock: Clock) -> Iterator[Desk]:
    with database.unit_of_work() as uow:
        yield Desk(uow, postman, clock())


def the_case(desk: Desk, reference: str) -> Case:
    case = find_by_reference(desk.session, reference)
    assert case is not None
    return case


def anna_takes_it_on(desk: Desk, case: Case) -> Advisor:
    """Anna, the case's advisor, accepts it by its link and records the first contact."""
    anna = case.advisor
    assert anna is not None and anna.name == "Anna"
    casework.accept(desk, case, anna, via="link")
    casework.record_first_contact(desk, case, anna)
    return anna


def advisor_writes(
    database: Database, postman: Postman, clock: Clock, reference: str, text: str,
    *, awaits_answer: bool = False,
) -> None:  # fmt: skip
    """Anna accepts and writes to the client."""
    with desk_for(database, postman, clock) as desk:
        case = the_case(desk, reference)
        assert case.advisor is not None
        casework.accept(desk, case, case.advisor, via="link")
        casework.write_to_client(desk, case, case.advisor, text, awaits_answer=awaits_answer)
        desk.uow.commit()


def advisor_asks_consent(database: Database, postman: Postman, clock: Clock, reference: str) -> int:
    """Anna accepts, makes contact, and asks to talk with the manager."""
    with desk_for(database, postman, clock) as desk:
        case = the_case(desk, reference)
        anna = anna_takes_it_on(desk, case)
        consent = ask_consent(
            desk, case, anna, "contact_manager", what="Ik bel uw teamleider Piet.",
            towards="Piet de Vries, teamleider", information="Wat u mij vertelde over het eten.",
        )  # fmt: skip
        desk.uow.commit()
        return consent.id


def case_awaiting_evaluation(database: Database, postman: Postman, clock: Clock) -> tuple[str, str]:
    """A reported case whose support Anna has ended: (reference, the evaluation link's token)."""
    opened = report(database, postman, clock)
    with desk_for(database, postman, clock) as desk:
        case = the_case(desk, opened.reference)
        anna = anna_takes_it_on(desk, case)
        casework.close(desk, case, anna, outcome="resolved", support_form="listening",
                       reason="unwanted_conduct")  # fmt: skip
        desk.uow.commit()
    return opened.reference, link_in_last_mail(database, CLIENT, "evaluatie")


def case_awaiting_consent(
    database: Database, postman: Postman, clock: Clock
) -> tuple[str, int, str]:
    """A reported case whose advisor asks consent: (reference, consent id, the link's token)."""
    opened = report(database, postman, clock)
    consent_id = advisor_asks_consent(database, postman, clock, opened.reference)
    return opened.reference, consent_id, link_in_last_mail(database, CLIENT, "toestemming")


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture
def seeded(database: Database, clock: Clock) -> Database:
    seed_organisation(database, clock())
    return database


# --- getting in -----------------------------------------------------------------------------


def test_the_dossier_link_opens_the_case_and_a_forged_one_does_not(
    seeded: Database, postman: Postman, clock: Clock
) -> None:
    opened = report(seeded, postman, clock)
    assert opened.dossier is not None and opened.dossier.code is None
    assert link_in_last_mail(seeded, CLIENT, "dossier") == opened.dossier.token
    with desk_for(seeded, postman, clock) as desk:
        access = dossier.access_by_token(desk, opened.dossier.token)
        assert access is not None and access.case.reference == opened.reference
        assert dossier.access_by_token(desk, opened.dossier.token[:-2] + "xx") is None
        assert dossier.access_by_token(desk, "") is None


def test_an_anonymous_client_gets_in_with_reference_and_code_only(
    seeded: Database, postman: Postman, clock: Clock
) -> None:
    opened = report(seeded, postman, clock, is_anonymous=True)
    assert opened.dossier is not None and opened.dossier.code is not None
    code = opened.dossier.code
    with desk_for(seeded, postman, clock) as desk:
        assert dossier.access_by_code(desk, opened.reference, code) is not None
        typed = code.lower().replace("-", " ")
        assert dossier.access_by_code(desk, f" {opened.reference.lower()} ", typed) is not None
        assert dossier.access_by_code(desk, opened.reference, "AAAA-AAAA") is None
        assert dossier.access_by_code(desk, "VP-2026-9999", code) is None
        assert dossier.access_by_code(desk, opened.reference, "") is None


def test_a_client_with_an_address_has_no_code_to_guess(
    seeded: Database, postman: Postman, clock: Clock
) -> None:
    opened = report(seeded, postman, clock)
    with desk_for(seeded, postman, clock) as desk:
        assert dossier.access_by_code(desk, opened.reference, "") is None
        assert dossier.access_by_code(desk, opened.reference, "ABCD-EF23") is None


def test_an_expired_link_and_code_are_refused(
    seeded: Database, postman: Postman, clock: Clock
) -> None:
    opened = report(seeded, postman, clock, is_anonymous=True)
    assert opened.dossier is not None and opened.dossier.code is not None
    clock.advance(days=401)
    with desk_for(seeded, postman, clock) as desk:
        assert dossier.access_by_token(desk, opened.dossier.token) is None
        assert dossier.access_by_code(desk, opened.reference, opened.dossier.code) is None


def test_a_new_link_spends_the_old_one_and_ends_its_sessions(
    seeded: Database, postman: Postman, clock: Clock
) -> None:
    opened = report(seeded, postman, clock)
    assert opened.dossier is not None
    with desk_for(seeded, postman, clock) as desk:
        access = dossier.access_by_token(desk, opened.dossier.token)
        assert access is not None
        token_id, case_id = access.token_id, access.case.id
    clock.advance(minutes=30)
    with desk_for(seeded, postman, clock) as desk:
        assert dossier.send_new_links(desk, CLIENT.upper()) == [opened.reference]
        desk.uow.commit()
    [mail] = mails_to(seeded, CLIENT, "dossier_link")
    assert opened.reference in mail_text(seeded, mail)
    new = link_in_last_mail(seeded, CLIENT, "dossier")
    with desk_for(seeded, postman, clock) as desk:
        assert dossier.access_by_token(desk, opened.dossier.token) is None
        assert dossier.access_again(desk, token_id, case_id) is None
        again = dossier.access_by_token(desk, new)
        assert again is not None
        assert dossier.access_again(desk, again.token_id, case_id) is not None
        assert dossier.access_again(desk, again.token_id, case_id + 1) is None


def test_a_new_link_for_an_unknown_address_writes_no_mail(
    seeded: Database, postman: Postman, clock: Clock
) -> None:
    report(seeded, postman, clock)
    with seeded.session() as session:
        before = session.scalar(select(func.count()).select_from(OutboxMail))
    with desk_for(seeded, postman, clock) as desk:
        assert dossier.send_new_links(desk, "nobody@example.net") == []
        assert dossier.send_new_links(desk, "   ") == []
        desk.uow.commit()
    with seeded.session() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMail)) == before


def test_new_links_stop_at_the_mail_cap_and_the_old_link_keeps_working(
    seeded: Database, postman: Postman, clock: Clock
) -> None:
    opened = report(seeded, postman, clock)  # the acknowledgement is mail 1
    assert opened.dossier is not None
    for _ in range(4):
        with desk_for(seeded, postman, clock) as desk:
            dossier.send_new_links(desk, CLIENT)
            desk.uow.commit()
    assert len(mails_to(seeded, CLIENT, "dossier_link")) == 2
    newest = link_in_last_mail(seeded, CLIENT, "dossier")
    with desk_for(seeded, postman, clock) as desk:
        assert dossier.access_by_token(desk, newest) is not None


# --- what the client sees -------------------------------------------------------------------


def test_the_view_shows_the_clients_words_mails_and_consent_but_no_staff_notes(
    seeded: Database, postman: Postman, clock: Clock
) -> None:
    opened = report(seeded, postman, clock)
    advisor_asks_consent(seeded, postman, clock, opened.reference)
    with desk_for(seeded, postman, clock) as desk:
        case = the_case(desk, opened.reference)
        assert case.advisor is not None
        casework.break_confidentiality(desk, case, case.advisor, NOTE, clock())
        desk.uow.commit()
    with desk_for(seeded, postman, clock) as desk:
        view = dossier.view_of(desk, the_case(desk, opened.reference))
    assert view.reference == opened.reference
    assert view.stage == "your_answer" and view.is_open
    assert [entry.text for entry in view.written] == [DESCRIPTION]
    assert len(view.mails) == 2  # the acknowledgement and the consent request
    assert any("Ik bel uw teamleider Piet." in mail.text for mail in view.mails)
    assert all(opened.reference in mail.subject for mail in view.mails)
    [consent] = view.consents
    assert (consent.what, consent.towards, consent.status) == (
        "Ik bel uw teamleider Piet.", "Piet de Vries, teamleider", "requested")  # fmt: skip
    assert consent.action.key == "contact_manager" and not consent.can_withdraw
    shown = repr(view)
    for secret in (NOTE, "anna@example.org", "coco@example.org", "Geheimhouding"):
        assert secret not in shown


def test_the_view_shows_what_the_advisor_wrote(
    seeded: Database, postman: Postman, clock: Clock
) -> None:
    opened = report(seeded, postman, clock)
    advisor_writes(seeded, postman, clock, opened.reference, "Wanneer kunnen we bellen?")
    with desk_for(seeded, postman, clock) as desk:
        view = dossier.view_of(desk, the_case(desk, opened.reference))
    assert [e.text for e in view.from_advisor] == ["Wanneer kunnen we bellen?"]
    assert [e.is_from_client for e in view.conversation] == [True, False]
    assert view.advisor_name == "Anna" and view.stage == "working"


# --- what the client does -------------------------------------------------------------------


def test_a_message_tells_the_advisor_and_restarts_the_clock(
    seeded: Database, postman: Postman, clock: Clock
) -> None:
    opened = report(seeded, postman, clock)
    advisor_writes(seeded, postman, clock, opened.reference, "Wat wilt u?", awaits_answer=True)
    clock.advance(days=2)
    with desk_for(seeded, postman, clock) as desk:
        case = the_case(desk, opened.reference)
        assert case.waiting_since is not None  # the question stopped the clock
        dossier.add_message(desk, case, "  Ik wil een gesprek met de teamleider.  ")
        desk.uow.commit()
        assert case.waiting_since is None
        assert [e.name for e in case.events][-1] == "client_message"
        assert case.events[-1].actor == "client"
    [told] = mails_to(seeded, "anna@example.org", "client_replied")
    assert "teamleider" not in mail_text(seeded, told), "the staff mail never holds the words"
    with desk_for(seeded, postman, clock) as desk:
        view = dossier.view_of(desk, the_case(desk, opened.reference))
    assert view.written[-1].text == "Ik wil een gesprek met de teamleider."


def test_a_message_is_refused_when_empty_or_when_the_case_has_ended(
    seeded: Database, postman: Postman, clock: Clock
) -> None:
    opened = report(seeded, postman, clock)
    with desk_for(seeded, postman, clock) as desk:
        case = the_case(desk, opened.reference)
        with pytest.raises(NotAllowed):
            dossier.add_message(desk, case, " \n ")
        casework.withdraw_case(desk, case)
        with pytest.raises(NotAllowed):
            dossier.add_message(desk, case, "Nog iets")
        view = dossier.view_of(desk, case)
    assert view.stage == "withdrawn" and not view.is_open

"""Casework after intake, with time moved by `now`: answers, reminders, consent, terms, closing."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.conftest import seed_organisation
from tests.outbox_reading import link_in_last_mail, mail_text, mails_to, raw_mail, templates_to
from workflow import casework, consent, evaluation, states
from workflow.cases import find_by_reference
from workflow.db import Database
from workflow.desk import Desk, NotAllowed
from workflow.intake import OpenCase, open_case
from workflow.models import (
    Advisor,
    Case,
    Consent,
    Evaluation,
    Event,
    OutboxMail,
    Reminder,
    Signal,
)
from workflow.outbox import Postman
from workflow.sweep import sweep_due

MONDAY = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)  # 10:30 in Amsterdam


def open_conduct(database: Database, postman: Postman, now: datetime, **changes: Any) -> str:
    values: dict[str, Any] = dict(
        organisation_slug="versa", channel="web", kind="conduct", preferred_gender="female",
        language="nl", description="Mijn begeleider maakt steeds grappen over mijn lichaam.",
        name="Fatima El Amrani", email="fatima@example.net",
    )  # fmt: skip
    values.update(changes)
    with database.unit_of_work() as uow:
        return open_case(uow, postman, OpenCase(**values), now).reference


def act(database: Database, postman: Postman, now: datetime, do: Callable[..., Any]) -> Any:
    """Run `do(desk, case, advisor)` on the only case, as its advisor, and commit."""
    with database.unit_of_work() as uow:
        desk = Desk(uow, postman, now)
        case = uow.session.scalars(select(Case)).one()
        result = do(desk, case, case.advisor)
        uow.commit()
        return result


def the_case(database: Database) -> Case:
    with database.session() as session:
        case = session.scalars(select(Case)).one()
        session.expunge(case)
        return case


def events(database: Database) -> list[str]:
    with database.session() as session:
        return list(session.scalars(select(Event.name).order_by(Event.id)))


def sweep(database: Database, postman: Postman, now: datetime) -> dict[str, int]:
    return dict(sweep_due(database, postman, now).done)


@pytest.fixture
def office(database: Database, postman: Postman) -> tuple[Database, Postman]:
    seed_organisation(database, MONDAY)
    return database, postman


def accepted(database: Database, postman: Postman, now: datetime = MONDAY) -> str:
    reference = open_conduct(database, postman, now)
    token = link_in_last_mail(database, "anna@example.org", "taak")
    with database.unit_of_work() as uow:
        assert casework.answer_task(Desk(uow, postman, now), token, "accept") is not None
        uow.commit()
    return reference


def working(database: Database, postman: Postman, now: datetime = MONDAY) -> str:
    reference = accepted(database, postman, now)
    act(database, postman, now, casework.record_first_contact)
    return reference


@contextmanager
def contacted(database: Database, postman: Postman, **changes: Any) -> Iterator[tuple[Desk, Case]]:
    """A new case (with `changes`), accepted and first contact made, in a unit of work to go on."""
    reference = open_conduct(database, postman, MONDAY, **changes)
    with database.unit_of_work() as uow:
        case = find_by_reference(uow.session, reference)
        assert case is not None and case.advisor is not None
        desk = Desk(uow, postman, MONDAY)
        casework.accept(desk, case, case.advisor, via="link")
        casework.record_first_contact(desk, case, case.advisor)
        yield desk, case


def ask(database: Database, postman: Postman, now: datetime, action: str = "contact_manager"):
    return act(database, postman, now, lambda d, c, a: consent.ask_consent(
        d, c, a, action, what="Ik bel uw teamleider namens u.", towards="Uw teamleider",
        information="Uw naam en wat er is gebeurd."))  # fmt: skip


def act_for_client(
    database: Database, postman: Postman, now: datetime, action: str = "contact_manager"
) -> None:
    """The advisor acts on the client's behalf, which needs the client's consent to `action`."""
    act(database, postman, now, lambda d, c, a: consent.act_on_behalf(d, c, a, action))


def answer(database: Database, postman: Postman, now: datetime, *, given: bool) -> Any:
    token = link_in_last_mail(database, "fatima@example.net", "toestemming")
    with database.unit_of_work() as uow:
        result = consent.answer_consent(Desk(uow, postman, now), token, given=given)
        uow.commit()
    return result


# --- the assignment ---------------------------------------------------------------------


def test_the_assignment_mail_carries_accept_and_decline_links(office) -> None:
    database, postman = office
    open_conduct(database, postman, MONDAY)
    assert templates_to(database, "anna@example.org") == ["assignment"]
    token = link_in_last_mail(database, "anna@example.org", "taak")
    with database.unit_of_work() as uow:
        task = casework.task_of(Desk(uow, postman, MONDAY), token)
        assert task is not None and task.advisor.email == "anna@example.org"


def test_accepting_spends_the_link_and_sends_the_work_page(office) -> None:
    database, postman = office
    accepted(database, postman)
    assert the_case(database).state == states.ACCEPTED
    assert templates_to(database, "anna@example.org") == ["assignment", "case_accepted"]
    token = link_in_last_mail(database, "anna@example.org", "taak")
    with database.unit_of_work() as uow:
        assert casework.answer_task(Desk(uow, postman, MONDAY), token, "decline") is None
    assert the_case(database).state == states.ACCEPTED


def test_declining_goes_to_the_next_eligible_advisor_and_tells_the_coordinator(office) -> None:
    database, postman = office
    with database.unit_of_work() as uow:  # a second woman, so the wish can still be met
        from workflow.organisations import add_advisor

        add_advisor(uow.session, organisation_slug="versa", name="Bea", email="bea@example.org",
                    gender="female", role="vertrouwenspersoon", now=MONDAY)  # fmt: skip
        uow.commit()
    open_conduct(database, postman, MONDAY)
    first = the_case(database).advisor_id
    with database.session() as session:
        first_mail = session.get_one(Advisor, first).email
    token = link_in_last_mail(database, first_mail, "taak")
    with database.unit_of_work() as uow:
        casework.answer_task(Desk(uow, postman, MONDAY), token, "decline", "conflict_of_interest")
        uow.commit()
    case = the_case(database)
    assert case.state == states.ASSIGNED and case.advisor_id not in (first, None)
    assert templates_to(database, "coco@example.org")[-1] == "reassigned"


def test_declined_by_every_eligible_advisor_goes_to_triage_never_to_a_man(office) -> None:
    database, postman = office
    open_conduct(database, postman, MONDAY)
    token = link_in_last_mail(database, "anna@example.org", "taak")
    with database.unit_of_work() as uow:
        casework.answer_task(Desk(uow, postman, MONDAY), token, "decline", "unavailable")
        uow.commit()
    case = the_case(database)
    assert case.state == states.NEEDS_TRIAGE and case.advisor_id is None


def test_no_answer_brings_a_reminder_then_reassignment_in_business_days(office) -> None:
    database, postman = office
    with database.unit_of_work() as uow:
        from workflow.organisations import add_advisor

        add_advisor(uow.session, organisation_slug="versa", name="Bea", email="bea@example.org",
                    gender="female", role="vertrouwenspersoon", now=MONDAY)  # fmt: skip
        uow.commit()
    open_conduct(database, postman, MONDAY)
    first = the_case(database).advisor_id
    assert sweep(database, postman, MONDAY + timedelta(hours=23)) == {}
    assert sweep(database, postman, MONDAY + timedelta(days=1)) == {"assignment_reminder": 1}
    assert sweep(database, postman, MONDAY + timedelta(days=1, hours=1)) == {}
    assert sweep(database, postman, MONDAY + timedelta(days=2)) == {"assignment_escalation": 1}
    case = the_case(database)
    assert case.state == states.ASSIGNED and case.advisor_id != first
    assert "reassigned" in templates_to(database, "coco@example.org")
    assert "unanswered" in events(database)


def test_a_weekend_does_not_count_as_business_days(office) -> None:
    database, postman = office
    friday = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)  # 16:00 in Amsterdam
    open_conduct(database, postman, friday)
    assert sweep(database, postman, friday + timedelta(days=2)) == {}  # Sunday
    monday_late = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # one business day later
    assert sweep(database, postman, monday_late) == {"assignment_reminder": 1}


def test_reply_akkoord_accepts_and_a_later_akkoord_is_not_sent_to_the_client(office) -> None:
    database, postman = office
    open_conduct(database, postman, MONDAY)
    with database.unit_of_work() as uow:
        case = uow.session.scalars(select(Case)).one()
        desk = Desk(uow, postman, MONDAY)
        assert casework.command_word("Akkoord, ik pak hem op.") == "accept"
        assert casework.answer_by_mail(desk, case, case.advisor, "accept") is True
        assert casework.answer_by_mail(desk, case, case.advisor, "accept") is False
        uow.commit()
    assert the_case(database).state == states.ACCEPTED
    assert "command_ignored" in events(database)
    assert casework.command_word("Hallo, weiger maar") is None


def test_sweeping_twice_does_each_reminder_once(office) -> None:
    database, postman = office
    open_conduct(database, postman, MONDAY)
    later = MONDAY + timedelta(days=1)
    assert sweep(database, postman, later) == {"assignment_reminder": 1}
    assert sweep(database, postman, later) == {}
    assert templates_to(database, "anna@example.org").count("assignment_reminder") == 1


def test_concurrent_sweepers_handle_each_reminder_once(office) -> None:
    database, postman = office
    for number in range(6):
        open_conduct(database, postman, MONDAY, email=f"client{number}@example.net")
    later = MONDAY + timedelta(days=1)
    results: list[int] = []

    def run() -> None:
        results.append(sweep_due(database, postman, later, batch=2).total)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(results) == 6 * 1  # the assignment reminders of six cases, each once
    with database.session() as session:
        count = session.scalar(select(func.count()).where(OutboxMail.template ==
                                                          "assignment_reminder"))  # fmt: skip
    assert count == 6


# --- first contact, inactivity, and the clock that waits for the client ----------------


def test_no_first_contact_in_three_business_days_reminds_the_advisor(office) -> None:
    database, postman = office
    accepted(database, postman)
    assert sweep(database, postman, MONDAY + timedelta(days=2, hours=23)) == {}
    assert sweep(database, postman, MONDAY + timedelta(days=3)) == {"first_contact": 1}
    assert templates_to(database, "anna@example.org")[-1] == "first_contact_reminder"


def test_first_contact_cancels_its_reminder_and_inactivity_follows(office) -> None:
    database, postman = office
    working(database, postman)
    assert the_case(database).state == states.IN_PROGRESS
    assert sweep(database, postman, MONDAY + timedelta(days=5)) == {}
    assert sweep(database, postman, MONDAY + timedelta(days=14)) == {"inactivity": 1}
    assert templates_to(database, "anna@example.org")[-1] == "inactivity_reminder"


def test_the_clock_stops_while_consent_waits_and_runs_on_after_the_answer(office) -> None:
    database, postman = office
    working(database, postman)  # inactivity due 10 business days after Monday
    ask(database, postman, MONDAY + timedelta(days=1))  # 9 business days left
    assert the_case(database).waiting_since is not None
    answered_at = MONDAY + timedelta(days=9)  # 1 day before the lapse would come
    # only the client's reminders come; the advisor's clock stands still
    assert sweep(database, postman, MONDAY + timedelta(days=4)) == {"consent_reminder": 1}
    assert sweep(database, postman, answered_at) == {"consent_reminder": 1}
    answer(database, postman, answered_at, given=True)
    assert the_case(database).waiting_since is None
    with database.session() as session:
        inactivity = session.scalars(select(Reminder).where(
            Reminder.kind == "inactivity", Reminder.status == "pending")).one()  # fmt: skip
    assert inactivity.due_at > answered_at + timedelta(days=9)  # counted anew from the answer


def test_a_question_to_the_client_stops_the_clock_until_they_answer(office) -> None:
    database, postman = office
    working(database, postman)
    act(database, postman, MONDAY, lambda d, c, a: casework.write_to_client(
        d, c, a, "Wanneer kunt u bellen?", awaits_answer=True))  # fmt: skip
    assert sweep(database, postman, MONDAY + timedelta(days=30)) == {}
    with database.unit_of_work() as uow:
        case = uow.session.scalars(select(Case)).one()
        casework.client_answered(Desk(uow, postman, MONDAY + timedelta(days=30)), case)
        uow.commit()
    assert the_case(database).waiting_since is None
    # ten business days from the answer, over Christmas and New Year
    assert sweep(database, postman, MONDAY + timedelta(days=45)) == {}
    assert sweep(database, postman, MONDAY + timedelta(days=47)) == {"inactivity": 1}


# --- consent -----------------------------------------------------------------------------


def test_an_action_needs_consent_until_given_and_again_after_withdrawal(office) -> None:
    database, postman = office
    working(database, postman)
    with pytest.raises(consent.ConsentRequired):
        act_for_client(database, postman, MONDAY)
    ask(database, postman, MONDAY)
    assert the_case(database).state == states.CONSENT_PENDING
    with pytest.raises(consent.ConsentRequired):
        act_for_client(database, postman, MONDAY)
    answer(database, postman, MONDAY + timedelta(hours=2), given=True)
    assert the_case(database).state == states.IN_PROGRESS
    assert templates_to(database, "anna@example.org")[-1] == "consent_answered"
    act_for_client(database, postman, MONDAY + timedelta(hours=3))
    with database.unit_of_work() as uow:
        case = uow.session.scalars(select(Case)).one()
        given = uow.session.scalars(select(Consent)).one()
        consent.withdraw_consent(Desk(uow, postman, MONDAY + timedelta(days=1)), case, given.id)
        uow.commit()
    with pytest.raises(consent.ConsentRequired):
        act_for_client(database, postman, MONDAY + timedelta(days=1))


def test_consent_is_for_one_action_only(office) -> None:
    database, postman = office
    working(database, postman)
    ask(database, postman, MONDAY, "contact_manager")
    answer(database, postman, MONDAY, given=True)
    with pytest.raises(consent.ConsentRequired):
        act_for_client(database, postman, MONDAY, "share_with_committee")


def test_a_step_taken_for_the_client_needs_its_consent(office) -> None:
    database, postman = office
    working(database, postman)
    step = "talked_with_manager"
    with pytest.raises(consent.ConsentRequired):
        act(database, postman, MONDAY, lambda d, c, a: casework.record_step(
            d, c, a, step, on_behalf=True))  # fmt: skip
    act(
        database,
        postman,
        MONDAY,
        lambda d, c, a: casework.record_step(d, c, a, step, on_behalf=False),
    )  # the client talked to the manager themselves
    assert the_case(database).path_step == step


def test_a_refusal_is_final_for_that_request_and_the_link_is_spent(office) -> None:
    database, postman = office
    working(database, postman)
    ask(database, postman, MONDAY)
    token = link_in_last_mail(database, "fatima@example.net", "toestemming")
    assert answer(database, postman, MONDAY, given=False) is not None
    with database.unit_of_work() as uow:
        assert consent.answer_consent(Desk(uow, postman, MONDAY), token, given=True) is None
    with pytest.raises(consent.ConsentRequired):
        act_for_client(database, postman, MONDAY)


def test_unanswered_consent_is_reminded_twice_then_lapses_and_the_advisor_is_told(office) -> None:
    database, postman = office
    working(database, postman)
    ask(database, postman, MONDAY)
    assert sweep(database, postman, MONDAY + timedelta(days=3)) == {"consent_reminder": 1}
    assert sweep(database, postman, MONDAY + timedelta(days=7)) == {"consent_reminder": 1}
    assert sweep(database, postman, MONDAY + timedelta(days=14)) == {"consent_lapse": 1}
    client = templates_to(database, "fatima@example.net")
    assert client.count("consent_request") == 3
    with database.session() as session:
        assert session.scalars(select(Consent.status)).one() == "lapsed"
    assert the_case(database).state == states.IN_PROGRESS
    assert templates_to(database, "anna@example.org")[-1] == "consent_answered"


def test_consent_cannot_be_asked_of_a_client_without_an_address(office) -> None:
    database, postman = office
    no_address = contacted(database, postman, email=None, phone="0612345678")
    with no_address as (desk, case), pytest.raises(NotAllowed):
        consent.ask_consent(desk, case, case.advisor, "contact_manager", what="x", towards="y",
                            information="z")  # fmt: skip


# --- the legal term, confidentiality ---------------------------------------------------


def test_a_formal_complaint_starts_the_six_week_term_with_reminders_to_the_chair(office) -> None:
    database, postman = office
    working(database, postman)
    act(database, postman, MONDAY, lambda d, c, a: casework.record_step(
        d, c, a, "formal_complaint_filed", on_behalf=False))  # fmt: skip
    case = the_case(database)
    assert case.complaint_deadline_at == MONDAY + timedelta(weeks=6)
    done = sweep(database, postman, MONDAY + timedelta(weeks=6) - timedelta(days=14))
    assert done.get("deadline_reminder") == 1
    done = sweep(database, postman, MONDAY + timedelta(weeks=6))
    assert done.get("deadline_reminder") == 1 and done.get("deadline_passed") == 1
    assert "deadline_passed" in templates_to(database, "coco@example.org")
    assert templates_to(database, "els@example.org").count("deadline_reminder") == 2  # the chair


def test_the_term_is_extended_once_by_at_most_four_weeks_and_the_client_is_told(office) -> None:
    database, postman = office
    working(database, postman)
    act(database, postman, MONDAY, lambda d, c, a: casework.record_step(
        d, c, a, "formal_complaint_filed", on_behalf=False))  # fmt: skip
    with pytest.raises(NotAllowed):
        act(database, postman, MONDAY, lambda d, c, a: casework.extend_deadline(d, c, a, 5))
    act(database, postman, MONDAY, lambda d, c, a: casework.extend_deadline(d, c, a, 4))
    assert the_case(database).complaint_deadline_at == MONDAY + timedelta(weeks=10)
    assert templates_to(database, "fatima@example.net")[-1] == "deadline_extended"
    with pytest.raises(NotAllowed):
        act(database, postman, MONDAY, lambda d, c, a: casework.extend_deadline(d, c, a, 1))
    assert sweep(database, postman, MONDAY + timedelta(weeks=6)).get("deadline_passed") is None


def test_breaking_confidentiality_is_recorded_with_a_reason_and_the_coordinator_told(
    office,
) -> None:
    database, postman = office
    working(database, postman)
    act(database, postman, MONDAY, lambda d, c, a: casework.break_confidentiality(
        d, c, a, "Acuut gevaar voor de cliënt", MONDAY))  # fmt: skip
    assert "confidentiality_broken" in events(database)
    assert templates_to(database, "coco@example.org")[-1] == "confidentiality_broken"
    with database.session() as session:
        details = " ".join(session.scalars(select(Event.detail)))
    assert "Acuut" not in details  # the reason is sealed in the notes, not in the timeline
    with pytest.raises(NotAllowed):
        act(database, postman, MONDAY, lambda d, c, a: casework.break_confidentiality(
            d, c, a, "  ", MONDAY))  # fmt: skip


def test_commands_of_another_advisor_are_refused(office) -> None:
    database, postman = office
    working(database, postman)
    with database.unit_of_work() as uow:
        case = uow.session.scalars(select(Case)).one()
        karim = uow.session.scalars(select(Advisor).where(Advisor.name == "Karim")).one()
        desk = Desk(uow, postman, MONDAY)
        for command in (
            lambda: casework.record_first_contact(desk, case, karim),
            lambda: casework.write_to_client(desk, case, karim, "Hallo"),
            lambda: consent.act_on_behalf(desk, case, karim, "contact_manager"),
            lambda: casework.close(desk, case, karim, outcome="resolved",
                                   support_form="listening", reason="unwanted_conduct"),
        ):  # fmt: skip
            with pytest.raises(NotAllowed):
                command()


# --- closing and the evaluation -------------------------------------------------------


def close_it(database: Database, postman: Postman, now: datetime) -> None:
    act(database, postman, now, lambda d, c, a: casework.close(
        d, c, a, outcome="resolved", support_form="mediation",
        reason="unwanted_conduct"))  # fmt: skip


def test_closing_sends_the_evaluation_which_is_stored_apart_from_the_case(office) -> None:
    database, postman = office
    working(database, postman)
    close_it(database, postman, MONDAY + timedelta(days=2))
    case = the_case(database)
    assert case.state == states.CLOSING and case.evaluation_state == "sent"
    assert (case.outcome, case.support_form, case.reason_category) == (
        "resolved", "mediation", "unwanted_conduct")  # fmt: skip
    token = link_in_last_mail(database, "fatima@example.net", "evaluatie")
    with database.unit_of_work() as uow:
        desk = Desk(uow, postman, MONDAY + timedelta(days=3))
        assert evaluation.submit(desk, token, experience=4, useful="yes",
                                 themes=["listen_better"], advice="Luister beter.")  # fmt: skip
        uow.commit()
    case = the_case(database)
    assert case.state == states.CLOSED and case.evaluation_state == "answered"
    with database.session() as session:
        stored = session.scalars(select(Evaluation)).one()
        assert (stored.experience, stored.useful, stored.period) == (4, "yes", "2026-Q4")
        assert not hasattr(stored, "case_id")
    with database.unit_of_work() as uow:  # one use
        desk = Desk(uow, postman, MONDAY + timedelta(days=3))
        assert not evaluation.submit(desk, token, experience=1, useful="no", themes=[],
                                     advice=None)  # fmt: skip


def test_an_unanswered_evaluation_is_reminded_after_7_days_and_closes_after_21(office) -> None:
    database, postman = office
    working(database, postman)
    close_it(database, postman, MONDAY)
    assert sweep(database, postman, MONDAY + timedelta(days=7)) == {"evaluation_reminder": 1}
    assert templates_to(database, "fatima@example.net").count("evaluation_request") == 2
    assert sweep(database, postman, MONDAY + timedelta(days=21)) == {"evaluation_close": 1}
    case = the_case(database)
    assert case.state == states.CLOSED and case.evaluation_state == "expired"


def test_an_anonymous_client_without_contact_is_closed_without_evaluation(office) -> None:
    database, postman = office
    with contacted(database, postman, email=None, name=None, is_anonymous=True) as (desk, case):
        casework.close(desk, case, case.advisor, outcome="advice_given",
                       support_form="information", reason="unwanted_conduct")  # fmt: skip
        desk.uow.commit()
    case = the_case(database)
    assert case.state == states.CLOSED and case.evaluation_state == "not_sent"


def test_closing_ends_open_consent_requests_and_unknown_categories_are_refused(office) -> None:
    database, postman = office
    working(database, postman)
    ask(database, postman, MONDAY)
    with pytest.raises(NotAllowed):
        act(database, postman, MONDAY, lambda d, c, a: casework.close(
            d, c, a, outcome="great", support_form="mediation",
            reason="unwanted_conduct"))  # fmt: skip
    close_it(database, postman, MONDAY)
    with database.session() as session:
        assert session.scalars(select(Consent.status)).one() == "cancelled"
    assert answer(database, postman, MONDAY, given=True) is None


def test_the_client_withdraws_and_the_advisor_is_told(office) -> None:
    database, postman = office
    working(database, postman)
    with database.unit_of_work() as uow:
        case = uow.session.scalars(select(Case)).one()
        casework.withdraw_case(Desk(uow, postman, MONDAY), case)
        uow.commit()
    assert the_case(database).state == states.WITHDRAWN
    assert templates_to(database, "anna@example.org")[-1] == "case_withdrawn"
    assert templates_to(database, "fatima@example.net")[-1] == "withdrawal_confirmed"
    assert sweep(database, postman, MONDAY + timedelta(days=60)) == {}


def test_the_advisor_writes_from_the_shared_address_and_it_counts_as_contact(office) -> None:
    database, postman = office
    accepted(database, postman)
    act(database, postman, MONDAY, lambda d, c, a: casework.write_to_client(
        d, c, a, "Beste Fatima,\nIk bel u morgen om 10 uur."))  # fmt: skip
    case = the_case(database)
    assert case.state == states.IN_PROGRESS and case.first_contact_at == MONDAY
    [row] = mails_to(database, "fatima@example.net", "advisor_message")
    raw = raw_mail(database, row)
    assert "From: vertrouwenspersonen@" in raw or "From: " in raw
    assert "anna@example.org" not in raw


def test_a_sweep_names_every_mail_it_wrote_so_they_can_be_delivered_at_once(office) -> None:
    database, postman = office
    open_conduct(database, postman, MONDAY)
    result = sweep_due(database, postman, MONDAY + timedelta(days=2))  # reminder, then escalation
    with database.session() as session:
        written = session.scalars(select(OutboxMail.template).where(
            OutboxMail.id.in_(result.mail_ids))).all()  # fmt: skip
    assert sorted(written) == ["reassigned", "triage_needed"]  # no other woman: triage


# --- one advisor, one side; repeat signals (through intake) -----------------------------


def test_the_party_that_registers_last_is_referred_to_another_advisor_and_told(office) -> None:
    database, postman = office
    open_conduct(database, postman, MONDAY, counterpart_name="Johan de Vries")
    assert templates_to(database, "anna@example.org") == ["assignment"]
    second = open_conduct(
        database, postman, MONDAY + timedelta(hours=1), name="johan  de vries",
        email="johan@example.net", preferred_gender="none", counterpart_name="Fatima El Amrani",
    )  # fmt: skip
    with database.session() as session:
        case = find_by_reference(session, second)
        assert case is not None and case.advisor is not None
        assert case.advisor.email == "karim@example.org"  # never Anna, who helps Fatima
        names = [e.name for e in case.events]
    assert "other_side_excluded" in names
    [acknowledgement] = mails_to(database, "johan@example.net", "acknowledgement")
    assert "onafhankelijke" in mail_text(database, acknowledgement)
    assert "Fatima" not in raw_mail(database, acknowledgement)


def test_the_third_case_about_the_same_person_raises_one_signal(office) -> None:
    database, postman = office
    for number in range(4):
        open_conduct(database, postman, MONDAY + timedelta(days=number),
                     email=f"client{number}@example.net",
                     counterpart_name="Johan de Vries")  # fmt: skip
    assert templates_to(database, "coco@example.org").count("signal_raised") == 1
    with database.session() as session:
        signal = session.scalars(select(Signal)).one()
        assert (signal.case_count, signal.status) == (4, "open")


# --- crash points of the sweep -------------------------------------------------------------


def test_a_failing_reminder_is_kept_as_failed_and_the_others_are_still_done(
    office, monkeypatch: pytest.MonkeyPatch
) -> None:
    database, postman = office
    open_conduct(database, postman, MONDAY)
    open_conduct(database, postman, MONDAY, email="other@example.net", preferred_gender="none")

    def broken(desk: Desk, reminder: Reminder, case: Case) -> None:
        if case.preferred_gender == "female":
            raise RuntimeError("our bug")
        casework.remind_assignment(desk, reminder, case)

    from workflow import sweep as sweep_module

    monkeypatch.setitem(sweep_module.HANDLERS, "assignment_reminder", broken)  # type: ignore[index]
    result = sweep_due(database, postman, MONDAY + timedelta(days=1))
    assert (result.total, result.failed) == (1, 1)
    with database.session() as session:
        statuses = sorted(session.scalars(select(Reminder.status).where(
            Reminder.kind == "assignment_reminder")))  # fmt: skip
    assert statuses == ["done", "failed"]
    assert "reminder_failed" in events(database)
    assert sweep(database, postman, MONDAY + timedelta(days=1)) == {}  # not tried in a loop


def test_a_crash_before_the_commit_loses_nothing_and_the_next_sweep_does_it_once(
    office, monkeypatch: pytest.MonkeyPatch
) -> None:
    database, postman = office
    open_conduct(database, postman, MONDAY)
    later = MONDAY + timedelta(days=1)
    from workflow.db import UnitOfWork

    real_commit = UnitOfWork.commit

    def crash(self: UnitOfWork) -> None:
        raise ConnectionError("the worker died here")

    monkeypatch.setattr(UnitOfWork, "commit", crash)
    with pytest.raises(ConnectionError):
        sweep_due(database, postman, later)
    monkeypatch.setattr(UnitOfWork, "commit", real_commit)
    assert templates_to(database, "anna@example.org") == ["assignment"]  # nothing half-done
    assert sweep(database, postman, later) == {"assignment_reminder": 1}
    assert sweep(database, postman, later) == {}
    assert templates_to(database, "anna@example.org") == ["assignment", "assignment_reminder"]

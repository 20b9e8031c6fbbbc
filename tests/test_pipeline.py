"""The inbound pipeline on SQLite and PostgreSQL: cases, replies, machines, quarantine."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from sqlalchemy import select

from tests.conftest import Clock, seed_organisation
from tests.corpus import corpus_dir
from tests.outbox_reading import outbox
from workflow import inbound, quarantine
from workflow.cases import find_by_reference
from workflow.db import Database
from workflow.inbound import RawMail
from workflow.models import Attachment, Case, InboundMail, Message, OutboxMail
from workflow.outbox import Postman
from workflow.pipeline import InboxConfig, Outcome, process_due, requeue

TEAM = "vertrouwenspersonen@vertrouwd.test"
CONFIG = InboxConfig(TEAM)
CONDUCT_NL = (
    "Goedendag,\n\nMijn begeleider Johan de Vries maakt steeds opmerkingen over mijn lichaam "
    "en heeft mij vorige week aangeraakt terwijl ik dat niet wilde. Ik voel me niet veilig.\n"
    "Ik wil graag met een vrouw praten.\n\nGroet, Zwaantje"
)
COMPLAINT_EN = (
    "Hello,\n\nI am not happy with the help I get. My caseworker never calls me back and "
    "missed our last two appointments. I would like to make a complaint.\n\nRegards, Mark"
)


def mail(
    body: str,
    *,
    sender: str = "zwaantje@example.org",
    subject: str = "Hulp nodig",
    to: str = TEAM,
    headers: dict[str, str] | None = None,
    message_id: str | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = f"Zwaantje Pietersen <{sender}>"
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id or email.utils.make_msgid(domain="example.org")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    return message.as_bytes()


@pytest.fixture
def deliver(database: Database, postman: Postman, clock: Clock) -> Iterator:
    seed_organisation(database, clock())

    def run(*raws: bytes) -> list[Outcome]:
        with database.unit_of_work() as uow:
            mails = [RawMail(None, raw) for raw in raws]
            inbound.store(uow.session, uow.vault, "test", None, mails, clock())
            uow.commit()
        return process_due(database, postman, CONFIG, clock())

    yield run


def case_of(database: Database, reference: str | None) -> Case:
    assert reference is not None
    with database.session() as session:
        case = find_by_reference(session, reference)
        assert case is not None
        session.expunge_all()
        return case


def test_a_dutch_mail_about_conduct_becomes_a_case_for_a_female_advisor(
    database: Database, deliver
) -> None:
    [outcome] = deliver(mail(CONDUCT_NL))
    assert (outcome.status, outcome.outcome) == ("done", "case")
    case = case_of(database, outcome.reference)
    assert (case.channel, case.kind, case.preferred_gender, case.language) == (
        "email", "conduct", "female", "nl",
    )  # fmt: skip
    assert case.state == "assigned"
    sent = {template: (to, m) for template, to, m in outbox(database)}
    assert sent["assignment"][0] == "anna@example.org"
    to, acknowledgement = sent["acknowledgement"]
    assert to == "zwaantje@example.org"
    assert acknowledgement["Content-Language"] == "nl"
    assert f"[{case.reference}]" in acknowledgement["Subject"]


def test_an_english_complaint_is_acknowledged_in_english(database: Database, deliver) -> None:
    [outcome] = deliver(mail(COMPLAINT_EN, sender="mark@example.org", subject="complaint"))
    case = case_of(database, outcome.reference)
    assert (case.kind, case.language) == ("complaint", "en")
    [acknowledgement] = [m for t, _, m in outbox(database) if t == "acknowledgement"]
    assert acknowledgement["Subject"].startswith("We have received")


@pytest.mark.parametrize(
    ("headers", "subject"),
    [
        ({"Auto-Submitted": "auto-replied"}, "Re: Hulp nodig"),
        ({"X-Autoreply": "yes"}, "Hulp"),
        ({"Precedence": "bulk"}, "Nieuwsbrief"),
        ({}, "Afwezigheidsmelding: afwezig tot 1 december"),
        ({}, "Automatic reply: out of office"),
        ({"List-Id": "<nieuws.example.org>"}, "Nieuwsbrief november"),
    ],
)
def test_machine_mail_is_kept_but_never_answered_and_opens_no_case(
    database: Database, deliver, headers: dict[str, str], subject: str
) -> None:
    [outcome] = deliver(mail(CONDUCT_NL, subject=subject, headers=headers))
    assert (outcome.status, outcome.outcome) == ("ignored", "machine")
    assert outbox(database) == []
    with database.session() as session:
        assert session.scalars(select(Case)).all() == []


def test_a_bounce_of_our_acknowledgement_marks_it_and_tells_the_advisor(
    database: Database, deliver
) -> None:
    [first] = deliver(mail(CONDUCT_NL))
    [(_, _, acknowledgement)] = [x for x in outbox(database) if x[0] == "acknowledgement"]
    report = EmailMessage()
    report["From"] = "MAILER-DAEMON@mx.example.org"
    report["To"] = TEAM
    report["Subject"] = "Undelivered Mail Returned to Sender"
    report.set_content(
        "This is the mail system.\n\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 user "
        f"unknown\n\n--- original headers ---\nMessage-ID: {acknowledgement['Message-ID']}\n"
    )
    [outcome] = deliver(report.as_bytes())
    assert (outcome.status, outcome.outcome) == ("ignored", "bounce")
    assert outcome.reference == first.reference
    with database.session() as session:
        statuses = dict(session.execute(select(OutboxMail.template, OutboxMail.status)).all())
    assert statuses["acknowledgement"] == "undeliverable"
    [notice] = [(to, m) for t, to, m in outbox(database) if t == "bounce_notice"]
    assert notice[0] == "anna@example.org"
    assert "5.1.1" in notice[1].get_body(("plain",)).get_content()


def test_a_reply_by_in_reply_to_joins_its_case_and_tells_the_advisor(
    database: Database, deliver
) -> None:
    [first] = deliver(mail(CONDUCT_NL))
    [(_, _, acknowledgement)] = [x for x in outbox(database) if x[0] == "acknowledgement"]
    reply = mail("Dank u. Hij heeft het gisteren weer gedaan.", subject="Re: iets anders",
                 headers={"In-Reply-To": acknowledgement["Message-ID"]})  # fmt: skip
    [outcome] = deliver(reply)
    assert (outcome.outcome, outcome.reference) == ("reply", first.reference)
    assert [t for t, _, _ in outbox(database)].count("client_replied") == 1
    with database.session() as session:
        bodies = [database.vault.open(m.body_enc) for m in session.scalars(select(Message))]
    assert bodies[-1].startswith("Dank u. Hij heeft het gisteren weer gedaan.")
    assert len(bodies) == 2


def test_a_reply_to_an_anonymised_case_opens_a_new_case(database: Database, deliver) -> None:
    [first] = deliver(mail(CONDUCT_NL))
    [(_, _, acknowledgement)] = [x for x in outbox(database) if x[0] == "acknowledgement"]
    with database.unit_of_work() as uow:  # as retention or a granted erasure leaves it
        uow.session.scalars(select(Case)).one().state = "anonymised"
        uow.commit()
    reply = mail("Ik wil er toch nog iets over zeggen.", subject="Re: uw melding",
                 headers={"In-Reply-To": acknowledgement["Message-ID"]},
                 to=acknowledgement["Reply-To"])  # fmt: skip
    [outcome] = deliver(reply)
    assert outcome.outcome != "reply" and outcome.reference not in (None, first.reference)
    with database.session() as session:
        messages = session.scalars(select(Message)).all()
        anonymised = session.scalars(select(Case).where(Case.reference == first.reference)).one()
    assert [m.case_id for m in messages].count(anonymised.id) == 1  # only the first mail


def test_a_reply_to_our_signed_plus_address_joins_its_case_from_any_sender(
    database: Database, deliver
) -> None:
    [first] = deliver(mail(CONDUCT_NL))
    [(_, _, acknowledgement)] = [x for x in outbox(database) if x[0] == "acknowledgement"]
    reply = mail("Aanvulling van mijn zus.", sender="zus@example.net", subject="aanvulling",
                 to=acknowledgement["Reply-To"])  # fmt: skip
    [outcome] = deliver(reply)
    assert (outcome.outcome, outcome.reference) == ("reply", first.reference)


def test_the_subject_tag_threads_only_for_a_participant(database: Database, deliver) -> None:
    [first] = deliver(mail(CONDUCT_NL))
    tag = f"Re: Uw melding [{first.reference}]"
    [own] = deliver(mail("Nog een vraag van mij.", subject=tag))
    assert (own.outcome, own.reference) == ("reply", first.reference)
    [stranger] = deliver(mail("Ik wil ook iets melden over mijn begeleider die mij uitscheldt.",
                              sender="iemand@example.com", subject=tag))  # fmt: skip
    assert stranger.outcome == "case" and stranger.reference != first.reference
    case = case_of(database, stranger.reference)
    with database.session() as session:
        events = [e.name for e in session.get_one(Case, case.id).events]
    assert "foreign_reference" in events


def test_the_same_mail_twice_makes_one_case(database: Database, deliver) -> None:
    outcomes = deliver(mail(CONDUCT_NL), mail(CONDUCT_NL))
    assert sorted(o.outcome or "" for o in outcomes) == ["case", "duplicate"]
    assert len({o.reference for o in outcomes}) == 1


def test_an_unclear_mail_waits_for_a_coordinator_and_asks_the_client_to_choose(
    database: Database, deliver
) -> None:
    [outcome] = deliver(mail("Hallo, kunt u mij bellen? Groet", subject="hallo"))
    case = case_of(database, outcome.reference)
    assert case.state == "needs_triage"
    sent = {t: m for t, _, m in outbox(database)}
    assert "triage_needed" in sent
    assert "/kiezen/" in sent["acknowledgement"].get_body(("plain",)).get_content()


def test_an_acute_risk_marks_the_case_urgent_and_mails_the_coordinator_at_once(
    database: Database, deliver
) -> None:
    text = "Ik zie het niet meer zitten en wil dood. Mijn begeleider heeft mij bedreigd."
    [outcome] = deliver(mail(text))
    assert case_of(database, outcome.reference).is_urgent
    assert [to for t, to, _ in outbox(database) if t == "urgent_case"] == ["coco@example.org"]


def test_unreadable_mail_is_quarantined_with_a_reason_and_can_be_requeued(
    database: Database, deliver, clock: Clock, postman: Postman
) -> None:
    [outcome] = deliver(b"\x00\x01\x02 not a mail \xff" * 3)
    assert outcome.status == "quarantined"
    assert outcome.reason and outcome.reason.startswith("unreadable mail")
    assert requeue(database, outcome.inbound_id, clock())
    [again] = process_due(database, postman, CONFIG, clock())
    assert again.status == "quarantined"


def test_our_own_fault_is_retried_and_then_quarantined(
    database: Database, deliver, clock: Clock
) -> None:
    def broken(name: str, language: str, context: object):
        raise RuntimeError("template store unreachable")

    seed = mail(CONDUCT_NL)
    with database.unit_of_work() as uow:
        inbound.store(uow.session, uow.vault, "test", None, [RawMail(None, seed)], clock())
        uow.commit()
    bad = Postman(render=broken, mail_from=TEAM, base_url="http://vertrouwd.test")
    statuses = []
    for _ in range(inbound.MAX_ATTEMPTS):
        statuses += [o.status for o in process_due(database, bad, CONFIG, clock())]
        clock.advance(seconds=inbound.RETRY_AFTER.total_seconds())
    assert statuses == ["retry"] * (inbound.MAX_ATTEMPTS - 1) + ["quarantined"]
    with database.session() as session:
        row = session.scalars(select(InboundMail)).one()
        assert row.reason and "RuntimeError" in row.reason
        assert session.scalars(select(Case)).all() == []


def test_mail_from_our_own_address_is_never_answered(database: Database, deliver) -> None:
    [outcome] = deliver(mail(CONDUCT_NL, sender=TEAM))
    assert (outcome.status, outcome.outcome) == ("ignored", "machine")
    assert outbox(database) == []


def test_at_most_three_automatic_mails_to_one_address_in_ten_minutes(
    database: Database, deliver
) -> None:
    texts = [f"{CONDUCT_NL}\n\nBericht {i}: iets anders gebeurd op dag {i}." for i in range(5)]
    deliver(*(mail(text) for text in texts))
    acknowledgements = [to for t, to, _ in outbox(database) if t == "acknowledgement"]
    assert acknowledgements == ["zwaantje@example.org"] * 3


def test_attachments_are_kept_sealed_with_a_safe_name(database: Database, deliver) -> None:
    message = email.message_from_bytes(mail(CONDUCT_NL), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    message.add_attachment(b"%PDF-1.4 verslag", maintype="application", subtype="pdf",
                           filename="../../verslag.pdf")  # fmt: skip
    [outcome] = deliver(message.as_bytes())
    with database.session() as session:
        [attachment] = session.scalars(select(Attachment)).all()
        assert database.vault.open(attachment.filename_enc) == "verslag.pdf"
        assert database.vault.open_bytes(attachment.data_enc) == b"%PDF-1.4 verslag"
        assert attachment.case_id == case_of(database, outcome.reference).id


def test_the_organisation_comes_from_the_plus_address(database: Database, deliver, clock) -> None:
    seed_organisation(database, clock(), slug="steunpunt")
    [outcome] = deliver(mail(CONDUCT_NL, to="vertrouwenspersonen+steunpunt@vertrouwd.test"))
    with database.session() as session:
        case = find_by_reference(session, outcome.reference or "")
        assert case is not None and case.organisation.slug == "steunpunt"


def test_a_crash_before_the_commit_loses_nothing_and_the_next_worker_does_it_once(
    database: Database, postman: Postman, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker dies between processing and commit: the work rolls back with it, the lease
    runs out, and the next worker makes exactly one case and one acknowledgement."""
    from workflow.db import UnitOfWork

    seed_organisation(database, clock())
    with database.unit_of_work() as uow:
        inbound.store(uow.session, uow.vault, "t", None, [RawMail(None, mail(CONDUCT_NL))], clock())
        uow.commit()
    real_commit = UnitOfWork.commit
    calls = {"n": 0}

    def dying_commit(self: UnitOfWork) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # 1: the claim; 2: the processing
            raise SystemExit("worker killed")
        real_commit(self)

    monkeypatch.setattr(UnitOfWork, "commit", dying_commit)
    with pytest.raises(SystemExit):
        process_due(database, postman, CONFIG, clock())
    monkeypatch.setattr(UnitOfWork, "commit", real_commit)
    assert process_due(database, postman, CONFIG, clock()) == []  # the lease still holds
    clock.advance(seconds=inbound.LEASE.total_seconds() + 1)
    [outcome] = process_due(database, postman, CONFIG, clock())
    assert outcome.outcome == "case"
    with database.session() as session:
        assert len(session.scalars(select(Case)).all()) == 1
    assert [t for t, _, _ in outbox(database)].count("acknowledgement") == 1


def test_the_client_chooses_on_the_page_and_the_case_is_routed_by_that_choice(
    database: Database, deliver, clock: Clock, postman: Postman
) -> None:
    from forms import create_app
    from tests.conftest import settings_for

    [outcome] = deliver(mail("Hallo, kunt u mij bellen? Groet", subject="hallo"))
    [acknowledgement] = [m for t, _, m in outbox(database) if t == "acknowledgement"]
    text = acknowledgement.get_body(("plain",)).get_content()
    path = "/kiezen/" + text.split("/kiezen/")[1].split()[0]
    import tempfile
    from pathlib import Path

    settings = settings_for(Path(tempfile.mkdtemp()))
    app = create_app(settings, database=database, clock=clock)
    app.config["WTF_CSRF_ENABLED"] = False  # CSRF itself is tested on the public form
    client = app.test_client()
    assert client.get(path).status_code == 200
    assert case_of(database, outcome.reference).state == "needs_triage"  # GET changed nothing
    answer = client.post(path, data={"kind": "conduct", "preferred_gender": "female"})
    assert answer.status_code == 200
    case = case_of(database, outcome.reference)
    assert (case.kind, case.preferred_gender, case.state) == ("conduct", "female", "assigned")
    assert client.get(path).status_code == 404  # single use


def _reply_from_staff(database: Database, template: str, body: str, sender: str) -> bytes:
    [(_, _, notice)] = [x for x in outbox(database) if x[0] == template][-1:]
    return mail(body, sender=sender, subject=f"Re: {notice['Subject']}",
                headers={"In-Reply-To": notice["Message-ID"]})  # fmt: skip


def test_akkoord_as_the_first_word_of_the_advisors_reply_accepts_the_case(
    database: Database, deliver
) -> None:
    [first] = deliver(mail(CONDUCT_NL))
    reply = _reply_from_staff(database, "assignment", "Akkoord.\n\n> Nieuwe melding",
                              "anna@example.org")  # fmt: skip
    [outcome] = deliver(reply)
    assert outcome.outcome == "command"
    assert case_of(database, first.reference).state == "accepted"
    assert [t for t, _, _ in outbox(database)][-1] == "case_accepted"


def test_weiger_as_the_first_word_declines_and_routing_moves_on(
    database: Database, deliver
) -> None:
    [first] = deliver(mail(CONDUCT_NL))
    [outcome] = deliver(_reply_from_staff(database, "assignment", "weiger, ik ben op vakantie",
                                          "anna@example.org"))  # fmt: skip
    assert outcome.outcome == "command"
    case = case_of(database, first.reference)
    assert case.state == "needs_triage" and case.advisor_id is None  # no other woman


def test_the_advisors_reply_after_accepting_goes_to_the_client_from_our_address(
    database: Database, deliver
) -> None:
    [first] = deliver(mail(CONDUCT_NL))
    deliver(_reply_from_staff(database, "assignment", "akkoord", "anna@example.org"))
    [outcome] = deliver(_reply_from_staff(
        database, "case_accepted", "Beste Zwaantje, ik bel u morgen.\n\nAnna",
        "anna@example.org"))  # fmt: skip
    assert outcome.outcome == "relayed"
    [(template, recipient, relayed)] = outbox(database)[-1:]
    assert (template, recipient) == ("advisor_message", "zwaantje@example.org")
    assert "anna@example.org" not in relayed.as_string()
    assert relayed["From"] == TEAM
    assert "ik bel u morgen" in relayed.get_body(("plain",)).get_content()
    assert case_of(database, first.reference).state == "in_progress"


def test_a_reply_from_staff_never_counts_as_the_clients_message(
    database: Database, deliver
) -> None:
    deliver(mail(CONDUCT_NL))
    [outcome] = deliver(_reply_from_staff(database, "assignment", "Ik kijk er morgen naar.",
                                          "coco@example.org"))  # fmt: skip
    assert outcome.outcome == "reply"
    with database.session() as session:
        authors = list(session.scalars(select(Message.author).order_by(Message.id)))
    assert authors == ["client", "staff"]
    assert "client_replied" not in [t for t, _, _ in outbox(database)]


# --- what a coordinator decides about set-aside mail (workflow.quarantine) -----------------

AUTO_REPLY = corpus_dir() / "sisimai-set-of-emails" / "maildir" / "bsd" / "rfc3834-01.eml"


def decided(database: Database, inbound_id: int, decision: str, clock: Clock) -> bool:
    with database.unit_of_work() as uow:
        is_done = quarantine.decide(uow.session, inbound_id, decision, clock())
        uow.commit()
    return is_done


def test_an_auto_reply_a_coordinator_says_a_person_wrote_becomes_a_case(
    database: Database, deliver, clock: Clock, postman: Postman
) -> None:
    [machine] = deliver(AUTO_REPLY.read_bytes())
    assert (machine.status, machine.outcome, machine.reason) == ("ignored", "machine", "auto-reply")
    assert not requeue(database, machine.inbound_id, clock())  # machine mail is not quarantined
    assert decided(database, machine.inbound_id, "treat_as_person", clock)
    assert not decided(database, machine.inbound_id, "treat_as_person", clock)  # once
    [again] = process_due(database, postman, CONFIG, clock())
    assert (again.inbound_id, again.status, again.outcome) == (machine.inbound_id, "done", "case")
    assert case_of(database, again.reference).channel == "email"
    assert [to for t, to, _ in outbox(database) if t == "acknowledgement"] == [
        "kijitora@example.net"
    ]
    with database.session() as session:
        row = session.get_one(InboundMail, machine.inbound_id)
        assert (row.treat_as_person, row.attempts, row.reason) == (True, 1, "new-case")


def test_our_own_mail_and_duplicates_are_never_treated_as_a_persons(
    database: Database, deliver, clock: Clock
) -> None:
    [own] = deliver(mail(CONDUCT_NL, sender=TEAM))
    assert own.reason == "from-ourselves"
    assert not decided(database, own.inbound_id, "treat_as_person", clock)
    first = mail(COMPLAINT_EN, sender="mark@example.org")
    deliver(first)
    [copy] = deliver(first.replace(b"Message-ID: <", b"Message-ID: <copy-"))
    assert copy.outcome == "duplicate"
    for decision in quarantine.DECISIONS:  # a copy of a client's mail is not set aside
        assert not decided(database, copy.inbound_id, decision, clock)


def test_a_dismissed_mail_is_kept_and_never_processed_again(
    database: Database, deliver, clock: Clock, postman: Postman
) -> None:
    junk = b"\x00\x01\x02 not a mail \xff" * 3
    [outcome] = deliver(junk)
    assert decided(database, outcome.inbound_id, "dismiss", clock)
    assert not decided(database, outcome.inbound_id, "dismiss", clock)
    assert not requeue(database, outcome.inbound_id, clock())
    assert process_due(database, postman, CONFIG, clock()) == []
    with database.session() as session:
        row = session.get_one(InboundMail, outcome.inbound_id)
        assert (row.status, row.outcome) == ("dismissed", "quarantined")
        assert database.vault.open_bytes(row.raw_enc) == junk

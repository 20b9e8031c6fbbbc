"""The client's rights in the domain: the copy of their data, asking to erase, settling it,
the legal month and the coordinators' reminders."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pypdfium2 as pdfium
import pytest
from sqlalchemy import func, select

from forms.client_rights import document_of
from reports.dossier_pdf import render_pdf
from tests.conftest import START, Clock, seed_organisation
from tests.outbox_reading import mail_text, mails_to, outbox
from tests.servers import SmtpSink
from workers.delivery import Courier
from workflow import casework, rights
from workflow.cases import find_by_reference
from workflow.consent import ask_consent
from workflow.db import Database
from workflow.desk import Desk, NotAllowed
from workflow.intake import OpenCase, open_case
from workflow.models import (
    Advisor,
    Attachment,
    Case,
    DataRequest,
    InboundMail,
    Message,
    OutboxMail,
    Person,
    Signal,
)
from workflow.outbox import Postman
from workflow.rights_export import export_of
from workflow.settings import MailServer
from workflow.sweep import sweep_due

JAN, PETRA, JOHAN, KEES = (
    "jan.jansen@example.net", "petra.pieters@example.net", "johan.devries@example.net",
    "kees.klaassen@example.net",
)  # fmt: skip
COCO, OLGA, ANNA = "coco@example.org", "olga@example.org", "anna@example.org"
JANS_WORDS = "Mijn begeleider Johan schreeuwt tegen mij tijdens het eten."
NOTE = "NOTITIE-INTERN: cliënt lijkt bang"
STAFF_MAIL = "STAFFMAIL-INTERN: overleg met de teamleider"
# What other cases, the other side and the staff wrote: none of it may reach Jan's copy.
ELSEWHERE = ("Petra", PETRA, "PETRA-EIGEN-VERHAAL", "PETRA-ANTWOORD", JOHAN, "JOHAN-KANT",
             "Kees", KEES, "KEES-VERHAAL", NOTE, STAFF_MAIL, ANNA, COCO,
             "karim@example.org")  # fmt: skip
HASH = re.compile(r"\b[0-9a-f]{40,}\b")


# --- helpers ------------------------------------------------------------------------------


@contextmanager
def desk_for(database: Database, postman: Postman, now: datetime) -> Iterator[Desk]:
    with database.unit_of_work() as uow:
        yield Desk(uow, postman, now)


def opened(database: Database, postman: Postman, now: datetime, *, name: str | None,
           email: str | None, words: str, about: str | None, wish: str = "female",
           phone: str | None = None, role: str | None = None) -> str:  # fmt: skip
    command = OpenCase(
        organisation_slug="versa", channel="web", kind="conduct", preferred_gender=wish,
        language="nl", description=words, name=name, email=email, phone=phone,
        counterpart_name=about, counterpart_role=role, is_anonymous=name is None and not email,
    )  # fmt: skip
    with database.unit_of_work() as uow:
        return open_case(uow, postman, command, now).reference


def jans_case(database: Database, postman: Postman, now: datetime = START) -> str:
    """Jan reports Johan, his counsellor; Anna takes it on, writes, asks consent, keeps notes."""
    reference = opened(database, postman, now, name="Jan Jansen", email=JAN, words=JANS_WORDS,
                       about="Johan de Vries", role="begeleider", phone="06 1111 2222")  # fmt: skip
    with desk_for(database, postman, now) as desk:
        case = the_case(desk, reference)
        anna = case.advisor
        assert anna is not None and anna.name == "Anna"
        casework.accept(desk, case, anna, via="link")
        casework.record_first_contact(desk, case, anna)
        casework.write_to_client(desk, case, anna, "Ik bel u donderdag.\nGroet, Anna")
        ask_consent(desk, case, anna, "contact_manager", what="Ik bel uw teamleider Piet.",
                    towards="Piet de Vries, teamleider",
                    information="Wat u mij vertelde.")  # fmt: skip
        for direction, author, text in (("note", "staff", NOTE), ("in", "staff", STAFF_MAIL)):
            desk.session.add(Message(case_id=case.id, direction=direction, author=author,
                                     body_enc=desk.vault.seal(text), created_at=now))  # fmt: skip
        desk.uow.commit()
    return reference


def the_case(desk: Desk, reference: str) -> Case:
    case = find_by_reference(desk.session, reference)
    assert case is not None
    return case


def staff(desk: Desk, address: str) -> Advisor:
    return desk.session.scalars(select(Advisor).where(Advisor.email == address)).one()


def ask(database: Database, postman: Postman, reference: str, now: datetime) -> DataRequest:
    with desk_for(database, postman, now) as desk:
        request = rights.ask_erasure(desk, the_case(desk, reference))
        desk.uow.commit()
        return request


def settle(database: Database, postman: Postman, request_id: int, who: str, now: datetime,
           *, grant: bool, reason: str = "") -> None:  # fmt: skip
    with desk_for(database, postman, now) as desk:
        found = desk.session.get_one(DataRequest, request_id)
        rights.settle(desk, found, staff(desk, who), grant=grant, reason=reason)
        desk.uow.commit()


def export(database: Database, postman: Postman, reference: str, language: str = "nl") -> dict:
    with desk_for(database, postman, START) as desk:
        return export_of(desk, the_case(desk, reference), language)


def pdf_text(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


@pytest.fixture
def seeded(database: Database, clock: Clock) -> Database:
    seed_organisation(database, clock())
    seed_organisation(database, clock(), staff=(("Olga", "female", "coordinator"),), slug="other")
    return database


# --- the legal month ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("asked", "due"),
    [
        (datetime(2027, 1, 31, 9, tzinfo=UTC), datetime(2027, 2, 28, 9, tzinfo=UTC)),
        (datetime(2028, 1, 31, 9, tzinfo=UTC), datetime(2028, 2, 29, 9, tzinfo=UTC)),  # leap
        (datetime(2027, 3, 31, 8, tzinfo=UTC), datetime(2027, 4, 30, 8, tzinfo=UTC)),
        (datetime(2026, 12, 15, 9, tzinfo=UTC), datetime(2027, 1, 15, 9, tzinfo=UTC)),
        # 23:30 UTC on 31 January is 1 February in Amsterdam: due on 1 March there.
        (datetime(2027, 1, 31, 23, 30, tzinfo=UTC), datetime(2027, 2, 28, 23, 30, tzinfo=UTC)),
        # Winter to summer time: the same clock time in Amsterdam, an hour less in UTC.
        (datetime(2026, 3, 10, 12, tzinfo=UTC), datetime(2026, 4, 10, 11, tzinfo=UTC)),
    ],
)
def test_the_legal_month_ends_on_the_same_day_or_the_last_of_a_shorter_month(
    asked: datetime, due: datetime
) -> None:
    assert rights.one_month_after(asked, "Europe/Amsterdam") == due


# --- the copy -----------------------------------------------------------------------------


def test_the_copy_holds_exactly_the_clients_own_data(seeded: Database, postman: Postman) -> None:
    reference = jans_case(seeded, postman)
    others = [
        opened(seeded, postman, START, name="Petra Pieters", email=PETRA, about="Johan de Vries",
               words="PETRA-EIGEN-VERHAAL: Johan pakte mijn telefoon af."),
        opened(seeded, postman, START, name="Johan de Vries", email=JOHAN, about="Jan Jansen",
               words="JOHAN-KANT: Jan beschuldigt mij ten onrechte.", wish="none"),
        opened(seeded, postman, START, name="Kees Klaassen", email=KEES, about="Johan de Vries",
               words="KEES-VERHAAL: Johan lacht mij uit."),
    ]  # fmt: skip
    with desk_for(seeded, postman, START) as desk:
        petras = the_case(desk, others[0])
        assert petras.advisor is not None
        casework.accept(desk, petras, petras.advisor, via="link")
        casework.write_to_client(desk, petras, petras.advisor, "PETRA-ANTWOORD: ik bel u.")
        desk.uow.commit()
    with seeded.session() as session:
        assert session.scalar(select(func.count(Signal.id))) == 1  # Johan is named three times

    data = export(seeded, postman, reference)
    text = json.dumps(data, ensure_ascii=False)
    for mine in ("Jan Jansen", JAN, "06 1111 2222", JANS_WORDS, "Ik bel u donderdag.",
                 "Ik bel uw teamleider Piet.", reference, "Versa Welzijn", "Anna"):  # fmt: skip
        assert mine in text, mine
    for theirs in (*ELSEWHERE, *others):
        assert theirs not in text, theirs
    assert not HASH.search(text) and "hash" not in text
    assert data["person_it_is_about"] == {"name": "Johan de Vries", "role": "begeleider"}
    assert [m["from"] for m in data["messages"]] == ["you", "advisor"]
    assert any("toestemming" in m["subject"] for m in data["mails_to_you"])
    assert data["evaluation"]["is_linked_to_you"] is False
    assert data["you"]["contact_preference"] == "both"

    pdf = render_pdf(document_of(data, "nl"))
    words = pdf_text(pdf)
    assert reference in words and "Jan Jansen" in words and "Ik bel u donderdag." in words
    for theirs in (*ELSEWHERE, *others):
        assert theirs not in words, theirs
    page = pdfium.PdfDocument(pdf)[0].render(scale=1).to_pil().convert("L")
    assert sum(page.histogram()[:128]) > 2000  # dark pixels: there is text on the page


def test_files_the_client_sent_are_named_and_a_staff_mails_are_not(
    seeded: Database, postman: Postman
) -> None:
    reference = jans_case(seeded, postman)
    with desk_for(seeded, postman, START) as desk:
        case, vault = the_case(desk, reference), desk.vault
        for number, (author, name) in enumerate((("client", "foto-van-jan.jpg"),
                                                 ("staff", "STAFF-BIJLAGE.pdf"))):  # fmt: skip
            mail = InboundMail(mailbox="INBOX", message_key=f"k{number}", raw_enc=vault.seal("x"),
                               size=1, status="done", case_id=case.id, received_at=START,
                               next_attempt_at=START)  # fmt: skip
            desk.session.add(mail)
            desk.session.flush()
            desk.session.add_all([
                Message(case_id=case.id, direction="in", author=author, inbound_mail_id=mail.id,
                        body_enc=vault.seal("zie bijlage"), created_at=START),
                Attachment(inbound_mail_id=mail.id, case_id=case.id,
                           filename_enc=vault.seal(name), content_type="image/jpeg",
                           size=2048, data_enc=vault.seal("GEHEIME-INHOUD"), created_at=START),
            ])  # fmt: skip
        desk.uow.commit()
    data = export(seeded, postman, reference)
    assert [(f["name"], f["size"]) for f in data["files_you_sent"]] == [("foto-van-jan.jpg", 2048)]
    text = json.dumps(data)
    assert "STAFF-BIJLAGE" not in text and "GEHEIME-INHOUD" not in text
    words = pdf_text(render_pdf(document_of(data, "nl")))
    assert "foto-van-jan.jpg (2 kB)" in words


def test_the_copy_speaks_the_language_asked_for(seeded: Database, postman: Postman) -> None:
    reference = jans_case(seeded, postman)
    english = export(seeded, postman, reference, "en")
    assert english["consents"][0]["about"] == "contact the manager"
    assert english["evaluation"]["note"].startswith("We keep your answers")
    words = pdf_text(render_pdf(document_of(english, "en")))
    assert f"Your data for report {reference}" in words and "About you" in words


def test_characters_the_font_lacks_are_replaced_and_said(
    seeded: Database, postman: Postman
) -> None:
    reference = jans_case(seeded, postman)
    data = export(seeded, postman, reference)
    data["messages"][0]["text"] = "Hallo \U000e0001 <b>vet</b> & meer"  # a tag character
    words = pdf_text(render_pdf(document_of(data, "nl")))
    assert "Hallo ? <b>vet</b> & meer" in words
    assert "Sommige tekens passen niet in dit bestand." in words


# --- asking to erase ----------------------------------------------------------------------


def test_asking_twice_makes_one_request_and_tells_the_coordinators_nothing_of_the_client(
    seeded: Database, postman: Postman
) -> None:
    reference = jans_case(seeded, postman)
    first = ask(seeded, postman, reference, START)
    again = ask(seeded, postman, reference, START + timedelta(hours=1))
    assert again.id == first.id
    assert (first.status, first.due_at) == ("open", datetime(2026, 12, 23, 9, 30, tzinfo=UTC))
    [to_coco] = mails_to(seeded, COCO, "erasure_requested")
    said = mail_text(seeded, to_coco)
    assert reference in said and f"/medewerkers/verzoeken/{first.id}" in said
    for secret in ("Jan", JAN, JANS_WORDS, "Johan", "06 1111 2222"):
        assert secret not in said
    [to_jan] = mails_to(seeded, JAN, "erasure_received")
    assert "woensdag 23 december 2026" in mail_text(seeded, to_jan)
    assert mails_to(seeded, OLGA) == []  # another organisation's coordinator


def test_an_anonymous_client_asks_without_a_mail_back(seeded: Database, postman: Postman) -> None:
    reference = opened(seeded, postman, START, name=None, email=None, words=JANS_WORDS,
                       about=None)  # fmt: skip
    request = ask(seeded, postman, reference, START)
    assert request.status == "open"
    assert [sent.template for sent in outbox(seeded, reference)][-1] == "erasure_requested"


# --- settling -----------------------------------------------------------------------------


def test_granting_erases_at_once_and_the_confirmation_still_leaves(
    seeded: Database, postman: Postman, smtp_sink: SmtpSink
) -> None:
    reference = jans_case(seeded, postman)
    request = ask(seeded, postman, reference, START)
    settle(seeded, postman, request.id, COCO, START + timedelta(days=2), grant=True)

    with seeded.session() as session:
        case = find_by_reference(session, reference)
        assert case is not None and case.state == "anonymised" and case.person_id is None
        assert case.counterpart_name_enc is None
        assert session.scalar(select(func.count(Message.id)).where(Message.case_id == case.id)) == 0
        assert session.scalar(select(func.count(Person.id))) == 0  # gone, not emptied
        found = session.get_one(DataRequest, request.id)
        assert (found.status, found.settled_by, found.case_id) == ("granted", COCO, case.id)
    [confirmation] = mails_to(seeded, JAN, "erasure_settled")
    assert confirmation.case_id is None and confirmation.status == "pending"
    assert "Dat hebben wij gedaan." in mail_text(seeded, confirmation)
    assert "Jan" not in mail_text(seeded, confirmation)  # no name: only the address it needs
    assert [m.template for m in mails_to(seeded, ANNA)][-1] == "case_withdrawn"

    courier = Courier(seeded, MailServer(smtp_sink.host, smtp_sink.port), "team@vertrouwd.test")
    assert courier.deliver(confirmation.id, START + timedelta(days=2)).status == "sent"
    [arrived] = [m for m in smtp_sink.messages if m.rcpt_tos == [JAN]]
    assert str(arrived.message["Subject"]) == f"Wij hebben uw gegevens gewist [{reference}]"
    done = sweep_due(seeded, postman, START + timedelta(days=3))
    assert done.done["erasure_mail_deleted"] == 1
    assert mails_to(seeded, JAN, "erasure_settled") == []


def test_refusing_needs_a_reason_which_the_client_is_told(
    seeded: Database, postman: Postman
) -> None:
    reference = jans_case(seeded, postman)
    request = ask(seeded, postman, reference, START)
    with pytest.raises(NotAllowed, match="reason"):
        settle(seeded, postman, request.id, COCO, START, grant=False, reason="  ")
    why = "Er loopt nog een klacht bij de klachtencommissie."
    settle(seeded, postman, request.id, COCO, START + timedelta(days=1), grant=False, reason=why)

    with seeded.session() as session:
        found = session.get_one(DataRequest, request.id)
        assert found.status == "refused" and found.note_enc is not None
        assert why.encode() not in found.note_enc  # sealed
        case = find_by_reference(session, reference)
        assert case is not None and case.state == "consent_pending"  # nothing erased
    [told] = mails_to(seeded, JAN, "erasure_settled")
    said = mail_text(seeded, told)
    assert why in said and "Autoriteit Persoonsgegevens" in said and told.case_id is not None
    assert export(seeded, postman, reference)["requests"][0]["reason"] == why
    asked_again = ask(seeded, postman, reference, START + timedelta(days=2))
    assert asked_again.id != request.id  # refused before: a new request may be made


@pytest.mark.parametrize("who", [OLGA, ANNA])
def test_only_a_coordinator_of_the_organisation_settles(
    seeded: Database, postman: Postman, who: str
) -> None:
    reference = jans_case(seeded, postman)
    request = ask(seeded, postman, reference, START)
    with pytest.raises(NotAllowed, match="coordinator"):
        settle(seeded, postman, request.id, who, START, grant=True)
    settle(seeded, postman, request.id, COCO, START, grant=False, reason="Wettelijke plicht.")
    with pytest.raises(NotAllowed, match="refused already"):
        settle(seeded, postman, request.id, COCO, START, grant=True)


# --- reminders ----------------------------------------------------------------------------


def reminders_to_coco(database: Database) -> list[str]:
    return [mail_text(database, row) for row in mails_to(database, COCO, "erasure_reminder")]


def test_coordinators_are_reminded_a_week_before_and_on_the_day_each_once(
    seeded: Database, postman: Postman
) -> None:
    reference = jans_case(seeded, postman)
    request = ask(seeded, postman, reference, START)
    due = request.due_at  # Wednesday 23 December 2026, 10:30 in Amsterdam
    week_before = due - timedelta(days=7)
    due_day_starts = datetime(2026, 12, 22, 23, 0, tzinfo=UTC)  # midnight in Amsterdam

    def reminded(now: datetime) -> int:
        return sweep_due(seeded, postman, now).done["erasure_reminder"]

    assert reminded(week_before - timedelta(minutes=1)) == 0
    assert reminded(week_before) == 1
    assert reminded(week_before + timedelta(days=3)) == 0
    [first] = reminders_to_coco(seeded)
    assert "Dat is over 7 dagen." in first and reference in first
    assert reminded(due_day_starts - timedelta(seconds=1)) == 0
    assert reminded(due_day_starts) == 1
    assert reminded(due + timedelta(days=2)) == 0
    assert "Dat is vandaag." in reminders_to_coco(seeded)[-1]
    assert len(reminders_to_coco(seeded)) == 2


def test_a_sweep_that_missed_the_week_sends_one_overdue_reminder(
    seeded: Database, postman: Postman
) -> None:
    reference = jans_case(seeded, postman)
    request = ask(seeded, postman, reference, START)
    late = request.due_at + timedelta(days=2)
    assert sweep_due(seeded, postman, late).done["erasure_reminder"] == 1
    assert sweep_due(seeded, postman, late + timedelta(days=5)).done["erasure_reminder"] == 0
    [only] = mails_to(seeded, COCO, "erasure_reminder")
    assert "Die termijn is voorbij." in mail_text(seeded, only)


def test_a_settled_request_is_not_reminded(seeded: Database, postman: Postman) -> None:
    reference = jans_case(seeded, postman)
    request = ask(seeded, postman, reference, START)
    settle(seeded, postman, request.id, COCO, START, grant=False, reason="Wettelijke plicht.")
    assert sweep_due(seeded, postman, request.due_at).done["erasure_reminder"] == 0
    with seeded.session() as session:
        assert session.scalar(select(func.count(OutboxMail.id)).where(
            OutboxMail.template == "erasure_reminder")) == 0  # fmt: skip

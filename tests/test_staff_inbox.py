"""The coordinator's pages for quarantined and machine mail over the Flask test client.

Mail is stored and processed the way the watcher and the worker do it (inbound.store, then
the pipeline); what cannot be processed is real: an Outlook file, a corpus auto-reply, a
delivery report of our own acknowledgement, a mail our own fault kept failing on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from forms.i18n import words
from tests.conftest import Clock, Web, web_app
from tests.corpus import corpus_dir
from tests.outbox_reading import outbox
from tests.test_advisor_pages import advisor_id, csrf, snapshot
from tests.test_pipeline import CONDUCT_NL, mail
from tests.test_staff_cases import ADA, OLGA, add_strangers, audit_entries, csrf_for, signed_in
from workflow import inbound, quarantine
from workflow.inbound import RawMail
from workflow.models import Advisor, Case, InboundMail
from workflow.outbox import Postman
from workflow.pipeline import InboxConfig, Outcome, process_due

NL, EN = words("nl"), words("en")
COCO, KARIM, ELS = "coco@example.org", "karim@example.org", "els@example.org"
HOME = "/medewerkers/post"
TO_VERSA = "vertrouwenspersonen+versa@vertrouwd.test"  # the plus address names the organisation
MAILS = Path(__file__).parent / "mails"
AUTO_REPLY = corpus_dir() / "sisimai-set-of-emails" / "maildir" / "bsd" / "rfc3834-01.eml"
ACCENTS = MAILS / "latin1_accents_and_backslashes.eml"
# An Outlook .msg file sent as if it were a mail: the parser refuses it (OLE signature). Its
# bytes carry markup that must come out as text, never as an element.
OUTLOOK = (
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(1, 9)) * 4
    + b"<script>alert('x')</script><img src=\"http://remote.example/pixel.gif\">"
    + b" Beste vertrouwenspersoon, ik wil iets melden. \xe9\xff\n"
)  # fmt: skip
# The parser's own sample of an HTML-only mail (a script, a remote image), as an auto-reply.
HTML_AUTO_REPLY = (
    b"Auto-Submitted: auto-replied\n"
    + (MAILS / "html_only_with_script_and_remote_image.eml").read_bytes()
)
WITH_FILES = (
    b"Auto-Submitted: auto-generated\n"
    + (MAILS / "attachment_path_traversal_and_rfc2231_name.eml").read_bytes()
)


# --- storing and processing mail ---------------------------------------------------------


def config(web: Web) -> InboxConfig:
    settings = web.app.extensions["vertrouwd"].settings
    return InboxConfig(settings.mail_from, settings.inbox_default_organisation)


def store(web: Web, raw: bytes) -> int:
    with web.database.unit_of_work() as uow:
        [new] = inbound.store(uow.session, uow.vault, "INBOX", None, [RawMail(None, raw)],
                              web.clock())  # fmt: skip
        uow.commit()
    return new


def process(web: Web, postman: Postman | None = None) -> list[Outcome]:
    return process_due(web.database, postman or web.postman, config(web), web.clock())


def delivered(web: Web, raw: bytes) -> Outcome:
    store(web, raw)
    [outcome] = process(web)
    web.clock.advance(minutes=1)  # the next mail comes in later: the lists are newest first
    return outcome


def quarantined_by_our_fault(web: Web, raw: bytes) -> int:
    """A good mail that kept failing on our side (a template store down) until quarantined."""

    def broken(name: str, language: str, context: object) -> object:
        raise RuntimeError("template store unreachable")

    bad = Postman(render=broken, mail_from=config(web).mail_from, base_url="http://x.test")
    inbound_id = store(web, raw)
    for _ in range(inbound.MAX_ATTEMPTS):
        process(web, bad)
        web.clock.advance(seconds=inbound.RETRY_AFTER.total_seconds())
    assert row_of(web, inbound_id).status == "quarantined"
    return inbound_id


def linked_bounce(web: Web) -> tuple[int, str]:
    """A delivery report of our acknowledgement: machine mail linked to a case of versa."""
    case = delivered(web, mail(CONDUCT_NL, to=TO_VERSA))
    [acknowledgement] = [m for t, _, m in outbox(web.database) if t == "acknowledgement"]
    report = EmailMessage()
    report["From"] = "MAILER-DAEMON@mx.example.org"
    report["To"] = config(web).mail_from
    report["Subject"] = "Undelivered Mail Returned to Sender"
    report.set_content(
        "This is the mail system.\n\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 user "
        f"unknown\n\n--- original headers ---\nMessage-ID: {acknowledgement['Message-ID']}\n"
    )
    bounce = delivered(web, report.as_bytes())
    assert (bounce.status, bounce.outcome, bounce.reference) == ("ignored", "bounce",
                                                                 case.reference)  # fmt: skip
    assert case.reference is not None
    return bounce.inbound_id, case.reference


def row_of(web: Web, inbound_id: int) -> InboundMail:
    with web.database.session() as session:
        row = session.get_one(InboundMail, inbound_id)
        session.expunge(row)
        return row


def inbound_rows(web: Web) -> list[tuple[object, ...]]:
    """What a GET must leave alone of the stored mail."""
    with web.database.session() as session:
        statement = select(InboundMail.id, InboundMail.status, InboundMail.outcome,
                           InboundMail.reason, InboundMail.attempts, InboundMail.case_id,
                           InboundMail.treat_as_person, InboundMail.next_attempt_at)  # fmt: skip
        return [tuple(row) for row in session.execute(statement.order_by(InboundMail.id))]


# --- reading the pages ---------------------------------------------------------------------


def main_of(page: str) -> str:
    found = re.search(r"<main[^>]*>(.*)</main>", page, re.S)
    assert found, page
    return found.group(1)


def listed(page: str, kind: str) -> list[int]:
    """The ids in one list, in the order shown ([] when the list is empty)."""
    table = re.search(rf'<table class="inbound" data-kind="{kind}">(.*?)</table>', page, re.S)
    return [int(i) for i in re.findall(r'<tr data-id="(\d+)">', table.group(1))] if table else []


def decide(client: FlaskClient, inbound_id: int, decision: str) -> str:
    """Press one button of the item page, follow the 303; the page it leads to."""
    token = csrf(client, f"{HOME}/{inbound_id}")
    response = client.post(f"{HOME}/{inbound_id}/{decision}",
                           data={f"{decision}-csrf_token": token})  # fmt: skip
    assert response.status_code == 303, response.get_data(as_text=True)
    assert response.headers["Location"].startswith(HOME)
    return client.get(response.headers["Location"]).get_data(as_text=True)


# --- the lists -----------------------------------------------------------------------------


def test_the_lists_show_quarantined_and_machine_mail_newest_first(web: Web) -> None:
    unreadable = delivered(web, OUTLOOK)
    assert unreadable.status == "quarantined"
    auto_reply = delivered(web, AUTO_REPLY.read_bytes())
    assert (auto_reply.status, auto_reply.outcome) == ("ignored", "machine")
    bounce_id, reference = linked_bounce(web)

    page = signed_in(web, COCO).get(HOME).get_data(as_text=True)
    assert listed(page, "quarantined") == [unreadable.inbound_id]
    assert listed(page, "machine") == [bounce_id, auto_reply.inbound_id]
    for shown in (NL["inbox_reason_unreadable"], NL["inbox_reason_auto_reply"],
                  NL["inbox_reason_bounce"], NL["inbox_count"].format(total=2, shown=2),
                  NL["inbox_dismissed_count"].format(count=0), f"{len(OUTLOOK)} bytes",
                  f'href="/medewerkers/zaken/{reference}?lang=nl">{reference}</a>'):  # fmt: skip
        assert shown in page, shown
    case_mail = [row[0] for row in inbound_rows(web) if row[1] == "done"]
    assert case_mail and not set(case_mail) & set(listed(page, "machine"))  # a case is no item
    english = signed_in(web, COCO).get(f"{HOME}?lang=en").get_data(as_text=True)
    assert EN["inbox_machine_title"] in english and EN["inbox_reason_bounce"] in english
    coco_id = advisor_id(web, COCO)
    listings = [
        (e.staff_id, e.case_reference, e.detail) for e in audit_entries(web, "list_inbound")
    ]
    assert listings == [(coco_id, None, ""), (coco_id, None, "")]


def test_the_lists_say_when_there_is_nothing(web: Web) -> None:
    page = signed_in(web, COCO).get(HOME).get_data(as_text=True)
    assert NL["inbox_none_quarantined"] in page and NL["inbox_none_machine"] in page
    assert listed(page, "quarantined") == listed(page, "machine") == []


def test_the_machine_list_is_capped_and_says_how_many_there_are(web: Web) -> None:
    for number in range(3):
        delivered(web, mail(f"Bericht {number}", subject="Automatic reply: out of office"))
    with web.database.session() as session:
        staff = session.scalar(select(Advisor).where(Advisor.email == COCO))
        assert staff is not None
        capped = quarantine.listing(session, staff, None, ("machine",), cap=2)
    assert len(capped.items["machine"]) == 2 and capped.counts["machine"] == 3
    page = signed_in(web, COCO).get(HOME).get_data(as_text=True)
    assert NL["inbox_count"].format(total=3, shown=3) in page


# --- one item: its content as text ----------------------------------------------------------


def test_an_unreadable_mail_is_shown_as_escaped_raw_text_with_a_note(web: Web) -> None:
    inbound_id = delivered(web, OUTLOOK).inbound_id
    page = signed_in(web, COCO).get(f"{HOME}/{inbound_id}").get_data(as_text=True)
    main = main_of(page)
    assert NL["inbox_unreadable"] in main and NL["inbox_reason_unreadable"] in main
    assert "an Outlook .msg file (OLE), not a MIME message" in main
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in main
    assert "&lt;img src=&#34;http://remote.example/pixel.gif&#34;&gt;" in main
    assert "Beste vertrouwenspersoon, ik wil iets melden. \ufffd\ufffd" in main
    assert "<script" not in page and "<img" not in page and "<iframe" not in page
    assert NL["inbox_requeue_submit"] in main and NL["inbox_dismiss_submit"] in main
    assert NL["inbox_treat_as_person_submit"] not in main  # not machine mail
    [view] = audit_entries(web, "view_inbound")
    assert (view.staff_id, view.case_reference, view.detail) == (
        advisor_id(web, COCO), None, f"mail {inbound_id}"
    )  # fmt: skip


def test_a_huge_unreadable_mail_is_shown_capped() -> None:
    shown = quarantine.content(OUTLOOK + b"x" * 50_000)
    assert shown.unreadable and shown.is_cut and len(shown.raw) == quarantine.RAW_CAP
    assert not quarantine.content(OUTLOOK).is_cut


def test_an_html_mail_is_shown_as_plain_text_without_script_or_remote_image(web: Web) -> None:
    inbound_id = delivered(web, HTML_AUTO_REPLY).inbound_id
    page = signed_in(web, COCO).get(f"{HOME}/{inbound_id}").get_data(as_text=True)
    main = main_of(page)
    for shown in ("Jan Jansen &lt;jan@example.nl&gt;", "meldpunt@vertrouwd.example",
                  "Alleen HTML", "Ik heb een vraag over pesten &amp; intimidatie.",
                  "- eerste punt", NL["inbox_content_hint"], NL["inbox_no_files"]):  # fmt: skip
        assert shown in main, shown
    for hidden in ("<script", "<img", "<iframe", "<b>", "tracker.example.com", "geheim script",
                   "color: red", "Titel die niet telt"):  # fmt: skip
        assert hidden not in page, hidden
    assert (
        "img-src 'self'"
        in signed_in(web, COCO).get(f"{HOME}/{inbound_id}").headers["Content-Security-Policy"]
    )


def test_headers_are_decoded_and_attachments_listed_by_name_type_and_size_only(web: Web) -> None:
    accents = quarantined_by_our_fault(web, ACCENTS.read_bytes())
    page = main_of(signed_in(web, COCO).get(f"{HOME}/{accents}").get_data(as_text=True))
    for shown in ("Zoë de Vries", "Café en één vraag", "dinsdag 3 november 2026 om 10:12",
                  NL["inbox_reason_gave_up"], "RuntimeError: template store unreachable",
                  "C:\\Users\\Zoë\\Documenten"):  # fmt: skip
        assert shown in page, shown
    with_files = delivered(web, WITH_FILES).inbound_id
    page = main_of(signed_in(web, COCO).get(f"{HOME}/{with_files}?lang=en").get_data(as_text=True))
    for shown in ("<th scope=\"row\">passwd</th><td>application/octet-stream</td><td>10 bytes</td>",
                  "rapport ü.pdf", "application/pdf", EN["inbox_files_hint"]):  # fmt: skip
        assert shown in page, shown
    assert "root:x:0:0" not in page and "../../etc" not in page
    assert "download" not in page.lower()


# --- the decisions ------------------------------------------------------------------------


def test_a_requeued_mail_is_processed_into_a_case(web: Web) -> None:
    inbound_id = quarantined_by_our_fault(web, mail(CONDUCT_NL, to=TO_VERSA))
    coco = signed_in(web, COCO)
    page = decide(coco, inbound_id, "requeue")
    assert NL["inbox_requeue_done"] in page and listed(page, "quarantined") == []
    row = row_of(web, inbound_id)
    assert (row.status, row.attempts, row.outcome) == ("pending", 0, None)
    assert ("vertrouwd.process_mail", (inbound_id,)) in web.enqueued
    [outcome] = process(web)
    assert (outcome.inbound_id, outcome.status, outcome.outcome) == (inbound_id, "done", "case")
    assert row_of(web, inbound_id).case_id is not None
    assert coco.get(f"{HOME}/{inbound_id}").status_code == 404  # a case now: not set aside
    [entry] = audit_entries(web, "requeue_inbound")
    assert (entry.staff_id, entry.case_reference, entry.detail) == (
        advisor_id(web, COCO), None, f"mail {inbound_id}"
    )  # fmt: skip


def test_a_dismissed_mail_is_kept_and_leaves_the_list(web: Web) -> None:
    inbound_id = delivered(web, OUTLOOK).inbound_id
    machine_id = delivered(web, AUTO_REPLY.read_bytes()).inbound_id
    coco = signed_in(web, COCO)
    page = decide(coco, inbound_id, "dismiss")
    assert NL["inbox_dismiss_done"] in page
    assert listed(page, "quarantined") == [] and listed(page, "machine") == [machine_id]
    assert NL["inbox_dismissed_count"].format(count=1) in page
    row = row_of(web, inbound_id)
    assert (row.status, row.outcome, row.size) == ("dismissed", "quarantined", len(OUTLOOK))
    assert web.database.vault.open_bytes(row.raw_enc) == OUTLOOK  # a decision, not a deletion
    assert ("vertrouwd.process_mail", (inbound_id,)) not in web.enqueued

    dismissed = coco.get(f"{HOME}?show=dismissed").get_data(as_text=True)
    assert listed(dismissed, "dismissed") == [inbound_id]
    item = main_of(coco.get(f"{HOME}/{inbound_id}").get_data(as_text=True))
    assert NL["inbox_kind_dismissed"] in item and NL["inbox_no_actions"] in item
    token = csrf_for(web.app, coco)
    again = coco.post(f"{HOME}/{inbound_id}/requeue", data={"requeue-csrf_token": token})
    assert again.status_code == 303 and row_of(web, inbound_id).status == "dismissed"
    assert NL["inbox_refused"] in coco.get(again.headers["Location"]).get_data(as_text=True)
    assert [(e.action, e.detail) for e in audit_entries(web) if "inbound" in e.action] == [
        ("view_inbound", f"mail {inbound_id}"),
        ("dismiss_inbound", f"mail {inbound_id}"),
        ("list_inbound", ""),
        ("list_inbound", "dismissed"),
        ("view_inbound", f"mail {inbound_id}"),
        ("requeue_inbound", f"mail {inbound_id} refused"),
        ("list_inbound", ""),
    ]


def test_a_person_wrote_this_turns_an_auto_reply_into_a_case(web: Web) -> None:
    outcome = delivered(web, AUTO_REPLY.read_bytes())
    inbound_id = outcome.inbound_id
    coco = signed_in(web, COCO)
    item = main_of(coco.get(f"{HOME}/{inbound_id}").get_data(as_text=True))
    assert NL["inbox_reason_auto_reply"] in item and "Away until May 5" in item
    assert NL["inbox_requeue_submit"] not in item  # machine mail is not re-queued as it is
    page = decide(coco, inbound_id, "treat_as_person")
    assert NL["inbox_treat_as_person_done"] in page and listed(page, "machine") == []
    row = row_of(web, inbound_id)
    assert (row.status, row.treat_as_person) == ("pending", True)
    assert ("vertrouwd.process_mail", (inbound_id,)) in web.enqueued
    [again] = process(web)
    assert (again.status, again.outcome, again.reason) == ("done", "case", "new-case")
    with web.database.session() as session:
        case = session.get_one(Case, row_of(web, inbound_id).case_id)
        assert case.reference == again.reference and case.channel == "email"
    [entry] = audit_entries(web, "treat_as_person")
    assert entry.detail == f"mail {inbound_id}" and entry.case_reference is None


# --- who sees what: 404 by every route -----------------------------------------------------

ROUTES = [("GET", "")] + [("POST", key) for key in quarantine.DECISIONS]


def test_the_access_tests_cover_every_inbox_route(web: Web) -> None:
    rules = {r.rule for r in web.app.url_map.iter_rules() if "/medewerkers/post" in r.rule}
    assert rules == {HOME, f"{HOME}/<int:inbound_id>", f"{HOME}/<int:inbound_id>/<decision>"}
    assert [key for _, key in ROUTES[1:]] == ["requeue", "treat_as_person", "dismiss"]


def request(web: Web, client: FlaskClient, method: str, inbound_id: int, key: str) -> int:
    path = f"{HOME}/{inbound_id}/{key}" if key else f"{HOME}/{inbound_id}"
    if method == "GET":
        return client.get(path).status_code
    token = csrf_for(web.app, client)
    return client.post(path, data={f"{key}-csrf_token": token}).status_code


@pytest.mark.parametrize(("method", "key"), ROUTES, ids=[m + ":" + k for m, k in ROUTES])
def test_only_a_coordinator_of_its_organisation_sees_an_item(
    web: Web, method: str, key: str
) -> None:
    linked, reference = linked_bounce(web)
    unlinked = delivered(web, OUTLOOK).inbound_id
    add_strangers(web)
    before, rows = snapshot(web.database), inbound_rows(web)
    for address in (KARIM, ELS, ADA):  # an advisor, a chair, an admin: no such pages
        client = signed_in(web, address)
        assert client.get(HOME).status_code == 404
        for inbound_id in (linked, unlinked):
            assert request(web, client, method, inbound_id, key) == 404, (address, inbound_id)
    olga = signed_in(web, OLGA)  # a coordinator of another organisation
    assert request(web, olga, method, linked, key) == 404
    assert request(web, olga, method, 999_999, key) == 404
    others = olga.get(HOME).get_data(as_text=True)
    assert listed(others, "machine") == [] and reference not in others
    assert listed(others, "quarantined") == [unlinked]  # the shared inbox serves them all
    strangers = {advisor_id(web, a) for a in (KARIM, ELS, ADA)}
    assert not [e for e in audit_entries(web) if e.staff_id in strangers]
    assert not [e for e in audit_entries(web) if e.action != "list_inbound"]
    assert (snapshot(web.database), inbound_rows(web)) == (before, rows)


@pytest.fixture
def web_other_default(tmp_path: Path, clock: Clock) -> Iterator[Web]:
    """The shared inbox belongs to the organisation "other" (INBOX_DEFAULT_ORGANISATION)."""
    with web_app(tmp_path, clock, INBOX_DEFAULT_ORGANISATION="other") as built:
        yield Web(built.app, built.database, clock, built.enqueued)


@pytest.mark.parametrize(("method", "key"), ROUTES, ids=[m + ":" + k for m, k in ROUTES])
def test_unlinked_mail_is_for_the_coordinators_of_the_default_organisation(
    web_other_default: Web, method: str, key: str
) -> None:
    web = web_other_default
    linked, _ = linked_bounce(web)
    unlinked = delivered(web, OUTLOOK).inbound_id
    add_strangers(web)
    rows = inbound_rows(web)
    coco, olga = signed_in(web, COCO), signed_in(web, OLGA)
    assert request(web, coco, method, unlinked, key) == 404
    assert request(web, olga, method, linked, key) == 404
    assert inbound_rows(web) == rows
    assert listed(coco.get(HOME).get_data(as_text=True), "quarantined") == []
    assert listed(coco.get(HOME).get_data(as_text=True), "machine") == [linked]
    assert listed(olga.get(HOME).get_data(as_text=True), "quarantined") == [unlinked]
    assert olga.get(f"{HOME}/{unlinked}").status_code == 200


def test_a_default_that_names_no_organisation_leaves_the_shared_inbox_to_all(web: Web) -> None:
    unlinked = delivered(web, OUTLOOK).inbound_id
    add_strangers(web)
    with web.database.session() as session:
        for address in (COCO, OLGA):
            staff = session.scalar(select(Advisor).where(
                Advisor.email == address))  # fmt: skip
            assert staff is not None
            for default in (None, "nowhere"):
                assert quarantine.find(session, staff, unlinked, default) is not None
            only = "versa" if address == COCO else "other"
            assert quarantine.find(session, staff, unlinked, only) is not None


def test_not_signed_in_is_sent_to_sign_in_or_refused(web: Web) -> None:
    inbound_id = delivered(web, OUTLOOK).inbound_id
    rows, client = inbound_rows(web), web.client()
    for path in (HOME, f"{HOME}/{inbound_id}"):
        response = client.get(path)
        assert response.status_code == 303
        assert response.headers["Location"].startswith("/medewerkers/inloggen?next=")
    for key in quarantine.DECISIONS:
        assert request(web, client, "POST", inbound_id, key) == 403
    assert inbound_rows(web) == rows and audit_entries(web) == []


def test_a_decision_without_its_csrf_token_is_refused(web: Web) -> None:
    inbound_id = delivered(web, OUTLOOK).inbound_id
    rows, coco = inbound_rows(web), signed_in(web, COCO)
    for key in quarantine.DECISIONS:
        assert coco.post(f"{HOME}/{inbound_id}/{key}").status_code == 400
        wrong = coco.post(f"{HOME}/{inbound_id}/{key}", data={f"{key}-csrf_token": "forged"})
        assert wrong.status_code == 400
    unknown = coco.post(f"{HOME}/{inbound_id}/delete",
                        data={"delete-csrf_token": csrf_for(web.app, coco)})  # fmt: skip
    assert unknown.status_code == 404
    assert inbound_rows(web) == rows and audit_entries(web) == []


def test_a_get_writes_its_audit_entry_and_nothing_else(web: Web) -> None:
    linked, reference = linked_bounce(web)
    unlinked = delivered(web, OUTLOOK).inbound_id
    coco = signed_in(web, COCO)
    before, rows = snapshot(web.database), inbound_rows(web)
    for path in (HOME, f"{HOME}?show=dismissed", f"{HOME}/{linked}", f"{HOME}/{unlinked}",
                 f"{HOME}/{linked}?lang=en"):  # fmt: skip
        response = coco.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store"
    assert (snapshot(web.database), inbound_rows(web)) == (before, rows)
    entries = [(e.action, e.case_reference, e.detail, e.staff_role) for e in audit_entries(web)]
    assert entries == [
        ("list_inbound", None, "", "coordinator"),
        ("list_inbound", None, "dismissed", "coordinator"),
        ("view_inbound", reference, f"mail {linked}", "coordinator"),
        ("view_inbound", None, f"mail {unlinked}", "coordinator"),
        ("view_inbound", reference, f"mail {linked}", "coordinator"),
    ]

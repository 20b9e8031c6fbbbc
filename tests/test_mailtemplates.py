"""Rendering, snapshots and safety rules of the outgoing mail templates."""

import html
import os
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from jinja2 import UndefinedError

from mailtemplates import (
    CLIENT_TEMPLATE_NAMES,
    LANGUAGES,
    STAFF_TEMPLATE_NAMES,
    TEMPLATE_NAMES,
    RenderedMail,
    UnknownTemplateError,
    client_path,
    gender_wish_label,
    kind_label,
    long_date,
    long_datetime,
    one_line_subject,
    render,
    short_reason,
    template_label,
)

SNAPSHOT_DIR = Path(__file__).parent / "mail_snapshots"
TEXT_SEPARATOR = "\n----- text -----\n"
HTML_SEPARATOR = "\n----- html -----\n"
REFERENCE = "VP-2026-0042"
CASE_URL = "http://127.0.0.1:8000/staff/cases/VP-2026-0042"
CHOOSE_URL = "http://127.0.0.1:8000/kiezen/Y2hvb3Nl"
ACCEPT_URL = "http://127.0.0.1:8000/opdracht/YWNjZXB0/aannemen"
DECLINE_URL = "http://127.0.0.1:8000/opdracht/ZGVjbGluZQ/afwijzen"
WORK_URL = "http://127.0.0.1:8000/werk/d29yaw"
DOSSIER_URL = "http://127.0.0.1:8000/dossier/Zm9vYmFy"
CONSENT_URL = "http://127.0.0.1:8000/toestemming/Y29uc2VudA"
EVALUATION_URL = "http://127.0.0.1:8000/evaluatie/ZXZhbHVhdGU"
SIGN_IN_URL = "http://127.0.0.1:8000/medewerkers/inloggen/c2lnbiBpbg"
REQUEST_URL = "http://127.0.0.1:8000/medewerkers/verzoeken/7"
ORGANISATION = "Versa Welzijn"
# What "nothing happens until you press the button" starts with in each language;
# the consent mail names the button ("Yes"), so the phrase stops before it.
BUTTON = {"nl": "Er gebeurt pas iets als u op de knop", "en": "Nothing happens until you press the"}

CONTEXTS: Mapping[str, Mapping[str, object]] = {
    "acknowledgement": {
        "reference": REFERENCE,
        "organisation_name": "Versa Welzijn",
        "kind": "complaint",
        "preferred_gender": "female",
        "is_finding_advisor": False,
        "contact_name": "Sanne de Wit",
        "dossier_url": DOSSIER_URL,
        "committee_email": "klachtencommissie@regioverband.nl",
        "channel": "web",
        "choose_url": None,
        "is_referred_for_independence": False,
    },
    "assignment": {
        "reference": REFERENCE,
        "organisation_name": "Versa Welzijn",
        "advisor_name": "Anna Jansen",
        "kind": "conduct",
        "preferred_gender": "female",
        "client_language": "nl",
        "channel": "web",
        "is_urgent": False,
        "case_url": CASE_URL,
        "accept_url": ACCEPT_URL,
        "decline_url": DECLINE_URL,
    },
    "triage_needed": {
        "reference": REFERENCE,
        "organisation_name": "Versa Welzijn",
        "coordinator_name": "Karin Bakker",
        "kind": "conduct",
        "preferred_gender": "male",
        "reason": "no_matching_advisor",
        "case_url": CASE_URL,
    },
    "client_replied": {
        "reference": REFERENCE,
        "organisation_name": "Versa Welzijn",
        "recipient_name": "Anna Jansen",
        "case_url": CASE_URL,
        "is_urgent": False,
    },
    "urgent_case": {
        "reference": REFERENCE,
        "organisation_name": "Versa Welzijn",
        "coordinator_name": "Karin Bakker",
        "case_url": CASE_URL,
    },
    "bounce_notice": {
        "reference": REFERENCE,
        "organisation_name": "Versa Welzijn",
        "recipient_name": "Anna Jansen",
        "case_url": CASE_URL,
        "bounced_template": "acknowledgement",
        "reason": "5.1.1 user unknown",
    },
    "assignment_reminder": {
        "reference": REFERENCE,
        "organisation_name": ORGANISATION,
        "case_url": CASE_URL,
        "advisor_name": "Anna Jansen",
        "accept_url": ACCEPT_URL,
        "decline_url": DECLINE_URL,
        "escalates_at": datetime(2026, 11, 30, 14, 0, tzinfo=UTC),
    },
    "reassigned": {
        "reference": REFERENCE,
        "organisation_name": ORGANISATION,
        "case_url": CASE_URL,
        "coordinator_name": "Karin Bakker",
        "why": "no_answer",
        "decline_reason": None,
        "is_assigned": True,
    },
    "case_accepted": {
        "reference": REFERENCE,
        "organisation_name": ORGANISATION,
        "case_url": CASE_URL,
        "advisor_name": "Anna Jansen",
        "work_url": WORK_URL,
        "can_relay": True,
        "is_anonymous": False,
        "client_language": "nl",
        "kind": "conduct",
        "preferred_gender": "female",
    },
    "first_contact_reminder": {
        "reference": REFERENCE,
        "organisation_name": ORGANISATION,
        "case_url": CASE_URL,
        "advisor_name": "Anna Jansen",
        "work_url": WORK_URL,
        "accepted_at": datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
    },
    "inactivity_reminder": {
        "reference": REFERENCE,
        "organisation_name": ORGANISATION,
        "case_url": CASE_URL,
        "advisor_name": "Anna Jansen",
        "work_url": WORK_URL,
        "business_days": 10,
    },
    "consent_answered": {
        "reference": REFERENCE,
        "organisation_name": ORGANISATION,
        "case_url": CASE_URL,
        "advisor_name": "Anna Jansen",
        "work_url": WORK_URL,
        "consent_label": "contact opnemen met de teamleider",
        "answer": "given",
    },
    "confidentiality_broken": {
        "reference": REFERENCE,
        "organisation_name": ORGANISATION,
        "case_url": CASE_URL,
        "coordinator_name": "Karin Bakker",
        "by_name": "Anna Jansen",
        "client_told_on": datetime(2026, 12, 2, 10, 0, tzinfo=UTC),
    },
    "deadline_reminder": {
        "reference": REFERENCE,
        "organisation_name": ORGANISATION,
        "case_url": CASE_URL,
        "advisor_name": "Peter van Dam",
        "deadline": datetime(2027, 1, 11, 16, 0, tzinfo=UTC),
        "days_left": 5,
        "work_url": WORK_URL,
    },
    "deadline_passed": {
        "reference": REFERENCE,
        "organisation_name": ORGANISATION,
        "case_url": CASE_URL,
        "recipient_name": "Peter van Dam",
        "deadline": datetime(2027, 1, 11, 16, 0, tzinfo=UTC),
    },
    "signal_raised": {
        "reference": REFERENCE,
        "organisation_name": ORGANISATION,
        "case_url": CASE_URL,
        "coordinator_name": "Karin Bakker",
        "case_count": 3,
        "window_months": 12,
        "references": [REFERENCE, "VP-2026-0017", "VP-2025-0311"],
    },
    "case_withdrawn": {
        "reference": REFERENCE,
        "organisation_name": ORGANISATION,
        "case_url": CASE_URL,
        "advisor_name": "Anna Jansen",
    },
    "work_link": {
        "reference": REFERENCE,
        "organisation_name": ORGANISATION,
        "case_url": CASE_URL,
        "advisor_name": "Anna Jansen",
        "work_url": WORK_URL,
        "expires_at": datetime(2026, 12, 14, 16, 0, tzinfo=UTC),
    },
    # About no case: the outbox passes reference=None, and the template must not use it.
    "sign_in_link": {
        "staff_name": "Anna Jansen",
        "sign_in_url": SIGN_IN_URL,
        "expires_at": datetime(2026, 12, 14, 16, 0, tzinfo=UTC),
    },
    "consent_request": {
        "reference": REFERENCE,
        "organisation_name": ORGANISATION,
        "contact_name": "Sanne de Wit",
        "what": "Uw vertrouwenspersoon belt met de teamleider. "
        "Samen plannen zij een gesprek met u.",
        "towards": "Mevrouw P. Smit, teamleider Ambulante Begeleiding",
        "information": "Dat u een klacht heeft over hoe uw begeleider met u praat.\n"
        "Uw naam en uw telefoonnummer.",
        "consent_url": CONSENT_URL,
        "answer_by": datetime(2026, 12, 4, 16, 0, tzinfo=UTC),
        "is_reminder": False,
    },
    "advisor_message": {
        "reference": REFERENCE,
        "organisation_name": ORGANISATION,
        "contact_name": "Sanne de Wit",
        "advisor_name": "Anna Jansen",
        "message": "Dank u wel voor uw bericht.\n\nIk bel u donderdag om 10.00 uur.\n"
        "Komt dat niet goed uit? Laat het me weten.",
        "dossier_url": DOSSIER_URL,
    },
    "evaluation_request": {
        "reference": REFERENCE,
        "organisation_name": ORGANISATION,
        "contact_name": "Sanne de Wit",
        "evaluation_url": EVALUATION_URL,
        "closes_at": datetime(2027, 2, 1, 16, 0, tzinfo=UTC),
        "is_reminder": False,
    },
    "deadline_extended": {
        "reference": REFERENCE,
        "organisation_name": ORGANISATION,
        "contact_name": "Sanne de Wit",
        "old_deadline": datetime(2027, 1, 11, 16, 0, tzinfo=UTC),
        "new_deadline": datetime(2027, 2, 8, 16, 0, tzinfo=UTC),
    },
    "dossier_link": {
        "reference": REFERENCE,
        "organisation_name": ORGANISATION,
        "contact_name": "Sanne de Wit",
        "dossier_url": DOSSIER_URL,
        "expires_at": datetime(2026, 12, 14, 16, 0, tzinfo=UTC),
    },
    "withdrawal_confirmed": {
        "reference": REFERENCE,
        "organisation_name": ORGANISATION,
        "contact_name": "Sanne de Wit",
    },
    "erasure_requested": {
        "reference": REFERENCE,
        "organisation_name": ORGANISATION,
        "case_url": CASE_URL,
        "coordinator_name": "Karin Bakker",
        "due_at": datetime(2026, 12, 23, 9, 30, tzinfo=UTC),
        "request_url": REQUEST_URL,
    },
    "erasure_reminder": {
        "reference": REFERENCE,
        "organisation_name": ORGANISATION,
        "case_url": CASE_URL,
        "coordinator_name": "Karin Bakker",
        "due_at": datetime(2026, 12, 23, 9, 30, tzinfo=UTC),
        "request_url": REQUEST_URL,
        "days_left": 7,
    },
    "referred": {
        "reference": REFERENCE,
        "organisation_name": ORGANISATION,
        "contact_name": "Sanne de Wit",
        "where": "Landelijk Meldpunt Vertrouwenspersonen\n0800 1234 (gratis)",
    },
    "erasure_received": {
        "reference": REFERENCE,
        "organisation_name": ORGANISATION,
        "contact_name": "Sanne de Wit",
        "due_at": datetime(2026, 12, 23, 9, 30, tzinfo=UTC),
    },
    "erasure_settled": {
        "reference": REFERENCE,
        "organisation_name": ORGANISATION,
        "contact_name": "Sanne de Wit",
        "is_granted": False,
        "reason": "Er loopt nog een klacht bij de klachtencommissie.\n"
        "Wij moeten uw gegevens bewaren tot die klaar is.",
    },
    "retention_warning": {
        "reference": REFERENCE,
        "organisation_name": ORGANISATION,
        "case_url": CASE_URL,
        "recipient_name": "Anna Jansen",
        "anonymise_at": datetime(2027, 12, 7, 15, 0, tzinfo=UTC),
    },
}

# Snapshot file stem -> (template, changes to its CONTEXTS entry). The plain
# template name is the default context; the others are variants worth reading.
SNAPSHOTS: Mapping[str, tuple[str, Mapping[str, object]]] = {
    **{name: (name, {}) for name in CONTEXTS},
    "acknowledgement.email": ("acknowledgement", {"channel": "email"}),
    "acknowledgement.email_choose": (
        "acknowledgement",
        {
            "channel": "email",
            "choose_url": CHOOSE_URL,
            "kind": "unknown",
            "preferred_gender": "none",
            "contact_name": None,
            "committee_email": None,
        },
    ),
    "client_replied.urgent": ("client_replied", {"is_urgent": True}),
    "acknowledgement.referred": ("acknowledgement", {"is_referred_for_independence": True}),
    "consent_request.reminder": ("consent_request", {"is_reminder": True, "contact_name": None}),
    "reassigned.declined_waiting": (
        "reassigned",
        {"why": "declined", "decline_reason": "conflict_of_interest", "is_assigned": False},
    ),
    "case_accepted.anonymous_no_relay": (
        "case_accepted",
        {"can_relay": False, "is_anonymous": True, "client_language": "en"},
    ),
    "consent_answered.withdrawn": ("consent_answered", {"answer": "withdrawn"}),
    "evaluation_request.reminder": ("evaluation_request", {"is_reminder": True}),
    "erasure_reminder.due_day": ("erasure_reminder", {"days_left": 0}),
    "erasure_reminder.overdue": ("erasure_reminder", {"days_left": -2}),
    "erasure_settled.granted": (
        "erasure_settled",
        {"is_granted": True, "reason": None, "contact_name": None},
    ),
}
STAFF_TEMPLATES = STAFF_TEMPLATE_NAMES
CASELESS_TEMPLATES = ("sign_in_link",)  # mails about no case: no reference, no case link
# Every link that opens a page with a button, by template: the mail must say so.
BUTTON_LINKS = (
    ("assignment", "accept_url"),
    ("assignment_reminder", "accept_url"),
    ("work_link", "work_url"),
    ("sign_in_link", "sign_in_url"),
    ("consent_request", "consent_url"),
    ("advisor_message", "dossier_url"),
    ("evaluation_request", "evaluation_url"),
    ("dossier_link", "dossier_url"),
)
# Links to a case page for staff: they lead to sign-in first, and the mail says so.
SIGN_IN_LINKS = (
    ("case_accepted", "work_url"),
    ("first_contact_reminder", "work_url"),
    ("inactivity_reminder", "work_url"),
    ("consent_answered", "work_url"),
    ("deadline_reminder", "work_url"),
)

CLIENT_DATA = {
    "client_name": "Fatima El Amrani",
    "client_email": "fatima.elamrani@example.net",
    "client_phone": "06 1234 5678",
    "description": "Mijn begeleider raakte mij aan tegen mijn wil",
    "counterpart_name": "Johan de Vries",
    "message_body": "Hij zei dat hij mij weet te vinden",
}


def _render(name: str, language: str = "nl", **changes: object) -> RenderedMail:
    context = dict(CONTEXTS[name])
    return render(name, language, {**context, **changes})


def _words(text: str) -> str:
    """Text with markup removed and whitespace collapsed, to find wrapped sentences."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def _snapshot(mail: RenderedMail) -> str:
    return mail.subject + TEXT_SEPARATOR + mail.text + HTML_SEPARATOR + mail.html


ALL_MAILS = [(name, language) for name in TEMPLATE_NAMES for language in LANGUAGES]
STAFF_MAILS = [(name, language) for name in STAFF_TEMPLATES for language in LANGUAGES]


def test_every_template_has_a_context_and_a_snapshot() -> None:
    assert set(CONTEXTS) == set(TEMPLATE_NAMES)
    expected = {f"{stem}.{language}.txt" for stem in SNAPSHOTS for language in LANGUAGES}
    assert {path.name for path in SNAPSHOT_DIR.glob("*.txt")} == expected


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("stem", SNAPSHOTS)
def test_mail_matches_its_snapshot(stem: str, language: str) -> None:
    name, changes = SNAPSHOTS[stem]
    path = SNAPSHOT_DIR / f"{stem}.{language}.txt"
    actual = _snapshot(_render(name, language, **changes))
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.write_text(actual, encoding="utf-8")
    if not path.exists():
        pytest.fail(f"no snapshot {path}; create it with UPDATE_SNAPSHOTS=1 pytest {__file__}")
    assert actual == path.read_text(encoding="utf-8"), (
        f"{name}.{language} differs from {path}; if the change is intended, "
        "rerun with UPDATE_SNAPSHOTS=1 and review the diff"
    )


@pytest.mark.parametrize(("name", "language"), ALL_MAILS)
def test_subject_is_one_line_with_the_reference(name: str, language: str) -> None:
    subject = _render(name, language).subject
    if name in CASELESS_TEMPLATES:
        assert "[" not in subject and "VP-" not in subject
    else:
        assert f"[{REFERENCE}]" in subject
    assert "\n" not in subject and "\r" not in subject
    assert subject == subject.strip()


@pytest.mark.parametrize(("name", "language"), ALL_MAILS)
def test_html_is_self_contained_and_both_parts_say_they_are_automatic(
    name: str, language: str
) -> None:
    mail = _render(name, language)
    assert f'<html lang="{language}">' in mail.html
    assert f"<title>{html.escape(mail.subject)}</title>" in mail.html
    for remote in ("<img", "<link", "<script", "<style", "@import", "url(", "src="):
        assert remote not in mail.html
    automatic = {"nl": "automatisch bericht", "en": "automatic message"}[language]
    assert automatic in mail.text and automatic in mail.html


@pytest.mark.parametrize(
    ("name", "key"), [(name, key) for name, context in CONTEXTS.items() for key in context]
)
def test_missing_context_key_raises(name: str, key: str) -> None:
    context = dict(CONTEXTS[name])
    del context[key]
    with pytest.raises(UndefinedError):
        render(name, "nl", context)


def test_html_escapes_markup_while_text_keeps_it_literal() -> None:
    evil = "<script>alert(1)</script>"
    mail = _render("acknowledgement", organisation_name=evil, contact_name=evil)
    assert evil in mail.text
    assert "<script>" not in mail.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in mail.html
    assert evil not in mail.subject


@pytest.mark.parametrize(("name", "language"), STAFF_MAILS)
def test_staff_mail_carries_no_client_data_even_when_passed(name: str, language: str) -> None:
    mail = _render(name, language, **CLIENT_DATA)
    for value in CLIENT_DATA.values():
        assert value not in mail.subject
        assert value not in mail.text
        assert value not in mail.html
    if name in CASELESS_TEMPLATES:
        return
    assert CASE_URL in mail.text
    assert f'href="{CASE_URL}"' in mail.html


@pytest.mark.parametrize("language", LANGUAGES)
def test_assignment_says_what_it_is_about_and_where_the_details_are(language: str) -> None:
    mail = _render("assignment", language)
    assert kind_label("conduct", language) in mail.text
    assert gender_wish_label("female", language) in mail.text
    no_details = {"nl": "geen gegevens van de cliënt", "en": "no details of the client"}
    assert no_details[language] in mail.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_urgent_assignment_says_so_in_subject_and_body(language: str) -> None:
    urgent = _render("assignment", language, is_urgent=True)
    plain = _render("assignment", language)
    word = {"nl": "Dringend", "en": "Urgent"}[language]
    assert urgent.subject.startswith(word) and word not in plain.subject
    assert word.lower() in urgent.text.lower() and word.lower() not in plain.text.lower()


@pytest.mark.parametrize("language", LANGUAGES)
def test_urgent_client_reply_says_so_in_subject_and_body(language: str) -> None:
    urgent = _render("client_replied", language, is_urgent=True)
    plain = _render("client_replied", language)
    prefix = {"nl": "Dringend: nieuw bericht", "en": "Urgent: new message"}[language]
    assert urgent.subject.startswith(prefix) and not plain.subject.startswith(prefix)
    word = {"nl": "dringend", "en": "urgent"}[language]
    assert word in _words(urgent.html).lower() and word not in _words(plain.html).lower()
    assert word in urgent.text.lower() and word not in plain.text.lower()


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("nl", f"Dringend: mogelijk acuut risico [{REFERENCE}]"),
        ("en", f"Urgent: possible acute risk [{REFERENCE}]"),
    ],
)
def test_urgent_case_asks_to_act_now_by_the_protocol(language: str, subject: str) -> None:
    mail = _render("urgent_case", language)
    assert mail.subject == subject
    for part in (_words(mail.text), _words(mail.html)):
        assert "meldcode" in part and "112" in part
        assert {"nl": "Kijk nu", "en": "look at the case now"}[language] in part


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("nl", f"Bericht niet afgeleverd [{REFERENCE}]"),
        ("en", f"Message not delivered [{REFERENCE}]"),
    ],
)
def test_bounce_notice_names_the_mail_and_the_reason(language: str, subject: str) -> None:
    label = template_label("acknowledgement", language)
    mail = _render("bounce_notice", language)
    assert mail.subject == subject
    for part in (mail.text, mail.html):
        assert label in part and "5.1.1 user unknown" in part
        assert {"nl": "telefoonnummer", "en": "phone number"}[language] in part


@pytest.mark.parametrize("language", LANGUAGES)
def test_bounce_reason_with_markup_is_escaped_in_html(language: str) -> None:
    evil = '<script>alert(1)</script><a href="http://evil.example">'
    mail = _render("bounce_notice", language, reason=evil)
    assert "<script" not in mail.html and 'evil.example">' not in mail.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in mail.html
    assert evil in mail.text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "reason", ["5.1.1\r\nBcc: victim@example.org", "5.1.1\nSubject: pay now", "5.1.1\u2028X: y"]
)
def test_bounce_reason_with_line_breaks_stays_out_of_the_subject(
    reason: str, language: str
) -> None:
    mail = _render("bounce_notice", language, reason=reason)
    assert mail.subject == _render("bounce_notice", language).subject
    assert short_reason(reason) in mail.text
    reason_line = next(
        line for line in mail.text.splitlines() if line.endswith(short_reason(reason))
    )
    assert reason_line.split(":", 1)[1].strip().startswith("5.1.1 ")


@pytest.mark.parametrize("language", LANGUAGES)
def test_bounce_reason_quoting_the_client_address_does_not_show_it(language: str) -> None:
    address = str(CLIENT_DATA["client_email"])
    reason = f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
    mail = _render("bounce_notice", language, reason=reason)
    assert address not in mail.text and address not in mail.html
    assert "Recipient address rejected" in mail.text


@pytest.mark.parametrize(("language", "unknown"), [("nl", "onbekend"), ("en", "unknown")])
def test_empty_bounce_reason_reads_unknown(language: str, unknown: str) -> None:
    mail = _render("bounce_notice", language, reason=" \r\n ")
    assert unknown in mail.text and unknown in mail.html


def test_short_reason_makes_one_short_line_without_addresses() -> None:
    assert short_reason("  5.1.1\r\n\tuser\x00unknown \u202e ") == "5.1.1 user unknown"
    assert short_reason("to a.b+c@example.org failed") == "to […] failed"
    assert short_reason("<x@y.nl>: no such user") == "[…]: no such user"
    long = short_reason("x " * 500)
    assert len(long) <= 160 and long.endswith("…")
    assert short_reason("\r\n") == ""


@pytest.mark.parametrize(
    "value", ["VP-2026-0042\r\nBcc: victim@example.org", "VP\nX", "VP\rX", "VP\u2028X", "VP\x00"]
)
def test_line_break_reaching_a_subject_raises(value: str) -> None:
    with pytest.raises(ValueError, match="one line"):
        _render("acknowledgement", reference=value)


def test_one_line_subject_collapses_spaces_and_tabs() -> None:
    assert one_line_subject("  Uw   melding\tis [VP-1] ") == "Uw melding is [VP-1]"


@pytest.mark.parametrize("subject", ["a\r\nb", "a\x0bb", "a\x85b", "a\u2029b"])
def test_one_line_subject_refuses_line_breaks(subject: str) -> None:
    with pytest.raises(ValueError, match="one line"):
        one_line_subject(subject)


@pytest.mark.parametrize("subject", ["", " \t "])
def test_one_line_subject_refuses_empty(subject: str) -> None:
    with pytest.raises(ValueError, match="empty"):
        one_line_subject(subject)


@pytest.mark.parametrize(
    ("language", "expected"), [("de", "nl"), ("", "nl"), ("NL", "nl"), ("en-GB", "en")]
)
def test_unknown_language_falls_back_to_dutch(language: str, expected: str) -> None:
    assert _render("acknowledgement", language) == _render("acknowledgement", expected)


@pytest.mark.parametrize("name", ["welcome", "../nl/base", "nl/acknowledgement", "base"])
def test_unknown_template_name_raises(name: str) -> None:
    with pytest.raises(UnknownTemplateError, match="unknown mail template"):
        render(name, "nl", {})


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("wish", ["female", "none"])
def test_finding_advisor_tells_the_client_honestly(wish: str, language: str) -> None:
    ack = "acknowledgement"
    finding = _words(_render(ack, language, is_finding_advisor=True, preferred_gender=wish).text)
    found = _words(_render(ack, language, is_finding_advisor=False, preferred_gender=wish).text)
    looking = {"nl": "We zoeken nog een vertrouwenspersoon", "en": "We are still looking"}
    never = {"nl": "nooit een vertrouwenspersoon die u niet wilt", "en": "never give you"}
    assert looking[language] in finding and looking[language] not in found
    assert (never[language] in finding) == (wish != "none")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", ["complaint", "conduct", "question", "unknown"])
def test_acknowledgement_lists_the_path_of_its_kind(kind: str, language: str) -> None:
    mail = _render("acknowledgement", language, kind=kind)
    for step in client_path(kind, language):
        assert _words(step) in _words(mail.text)
        assert _words(step) in _words(mail.html)


def test_complaint_and_conduct_acknowledgements_show_different_paths() -> None:
    complaint = _words(_render("acknowledgement", kind="complaint").text)
    conduct = _words(_render("acknowledgement", kind="conduct").text)
    assert "voorzitter van de klachtencommissie" in complaint
    assert "voorzitter van de klachtencommissie" not in conduct
    assert "staat aan uw kant" in conduct
    assert "staat aan uw kant" not in complaint


@pytest.mark.parametrize("kind", ["conduct", "question", "unknown"])
def test_committee_address_only_in_complaint_acknowledgement(kind: str) -> None:
    email = str(CONTEXTS["acknowledgement"]["committee_email"])
    assert email in _render("acknowledgement", kind="complaint").text
    assert email not in _render("acknowledgement", kind=kind).text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("channel", ["web", "email"])
def test_choose_link_appears_only_when_given(channel: str, language: str) -> None:
    with_link = _render("acknowledgement", language, channel=channel, choose_url=CHOOSE_URL)
    without = _render("acknowledgement", language, channel=channel, choose_url=None)
    ask = {"nl": "Wilt u een vrouw of een man", "en": "Do you want a woman or a man"}[language]
    button = {"nl": "pas iets als u op de pagina op de knop drukt", "en": "until you press"}
    reply = {"nl": "antwoorden op deze e-mail", "en": "reply to this email"}[language]
    for part in (_words(with_link.text), _words(with_link.html)):
        assert ask in part and button[language] in part and reply in part
    assert CHOOSE_URL in with_link.text and f'href="{CHOOSE_URL}"' in with_link.html
    for part in (without.text, without.html):
        assert CHOOSE_URL not in part and ask not in _words(part)


@pytest.mark.parametrize(
    ("language", "web", "email"),
    [
        ("nl", "Dank u wel voor uw bericht", "Dank u wel voor uw e-mail"),
        ("en", "Thank you for your message", "Thank you for your email"),
    ],
)
def test_acknowledgement_thanks_for_an_email_or_a_report(
    language: str, web: str, email: str
) -> None:
    by_form = _render("acknowledgement", language, channel="web")
    by_mail = _render("acknowledgement", language, channel="email")
    for part in (_words(by_form.text), _words(by_form.html)):
        assert web in part and email not in part
    for part in (_words(by_mail.text), _words(by_mail.html)):
        assert email in part and web not in part
    assert by_form.subject == by_mail.subject


@pytest.mark.parametrize("language", LANGUAGES)
def test_acknowledgement_without_name_or_links_still_says_what_to_do_in_danger(
    language: str,
) -> None:
    mail = _render(
        "acknowledgement", language, contact_name=None, dossier_url=None, committee_email=None
    )
    assert {"nl": "Beste lezer,", "en": "Dear reader,"}[language] in mail.text
    assert "http" not in mail.text and "href" not in mail.html.replace('href="tel:112"', "")
    assert "112" in mail.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_triage_reasons_are_explained_differently(language: str) -> None:
    reasons = ("no_matching_advisor", "no_advisor", "unclassified")
    mails = [_render("triage_needed", language, reason=reason) for reason in reasons]
    assert len({mail.subject for mail in mails}) == len(reasons)
    assert len({mail.text for mail in mails}) == len(reasons)
    assert gender_wish_label("male", language) in mails[0].text


@pytest.mark.parametrize(
    ("name", "key", "value"),
    [
        ("triage_needed", "reason", "no_advisers"),
        ("assignment", "channel", "fax"),
        ("assignment", "client_language", "de"),
        ("acknowledgement", "kind", "gossip"),
        ("acknowledgement", "channel", "fax"),
        ("reassigned", "why", "forgotten"),
        ("reassigned", "decline_reason", "busy"),
        ("consent_answered", "answer", "maybe"),
        ("case_accepted", "client_language", "de"),
        ("case_accepted", "kind", "gossip"),
    ],
)
def test_value_outside_its_set_raises(name: str, key: str, value: str) -> None:
    with pytest.raises(ValueError, match=repr(value)):
        _render(name, **{key: value})


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", ["complaint", "conduct", "question", "unknown"])
def test_client_path_is_plain_data(kind: str, language: str) -> None:
    steps = client_path(kind, language)
    assert isinstance(steps, tuple) and steps
    assert all(isinstance(step, str) and step and "<" not in step for step in steps)


def test_gender_wish_labels() -> None:
    assert gender_wish_label("female", "nl") == "een vrouwelijke vertrouwenspersoon"
    assert gender_wish_label("male", "en") == "a male advisor"
    assert gender_wish_label("none", "nl") == "geen voorkeur"
    assert gender_wish_label("none", "en") == "no preference"


def test_paths_and_labels_refuse_unknown_values_and_fall_back_to_dutch() -> None:
    for function, value in ((client_path, "gossip"), (kind_label, "gossip")):
        with pytest.raises(ValueError, match="unknown kind"):
            function(value, "nl")
    with pytest.raises(ValueError, match="unknown preferred_gender"):
        gender_wish_label("any", "nl")
    assert client_path("conduct", "de") == client_path("conduct", "nl")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_template_has_its_own_label(language: str) -> None:
    labels = [template_label(name, language) for name in TEMPLATE_NAMES]
    assert all(labels) and len(set(labels)) == len(labels)
    assert template_label("acknowledgement", "nl") == "de ontvangstbevestiging"
    assert template_label("assignment", "en") == "the assignment to the advisor"
    assert template_label("bounce_notice", "de") == template_label("bounce_notice", "nl")
    with pytest.raises(ValueError, match="unknown template name"):
        template_label("welcome", language)


def test_staff_templates_here_are_the_staff_templates_of_the_package() -> None:
    assert set(CLIENT_TEMPLATE_NAMES) | set(STAFF_TEMPLATE_NAMES) == set(TEMPLATE_NAMES)
    assert not set(CLIENT_TEMPLATE_NAMES) & set(STAFF_TEMPLATE_NAMES)


@pytest.mark.parametrize(("name", "language"), STAFF_MAILS)
def test_staff_footer_does_not_say_where_a_reply_goes(name: str, language: str) -> None:
    # After case_accepted, a reply may go on to the client; the footer must not say otherwise.
    team = {"nl": "komt uw antwoord bij het team", "en": "your reply reaches the team"}[language]
    mail = _render(name, language)
    assert team not in _words(mail.text) and team not in _words(mail.html)


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        (datetime(2026, 11, 30, 14, 0, tzinfo=UTC), "nl", "maandag 30 november 2026 om 15:00"),
        (datetime(2026, 11, 30, 14, 0, tzinfo=UTC), "en", "Monday 30 November 2026 at 15:00"),
        # Summer time (CEST, UTC+2).
        (datetime(2026, 7, 1, 13, 0, tzinfo=UTC), "nl", "woensdag 1 juli 2026 om 15:00"),
        # Late in the evening UTC is already the next day in Amsterdam.
        (datetime(2026, 3, 28, 23, 30, tzinfo=UTC), "en", "Sunday 29 March 2026 at 00:30"),
        # Summer time starts on 29 March 2026 at 01:00 UTC: the clock jumps from 02:00 to 03:00.
        (datetime(2026, 3, 29, 0, 59, tzinfo=UTC), "nl", "zondag 29 maart 2026 om 01:59"),
        (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), "nl", "zondag 29 maart 2026 om 03:00"),
        # Summer time ends on 25 October 2026 at 01:00 UTC: 02:30 happens twice.
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "nl", "zondag 25 oktober 2026 om 02:30"),
        (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), "nl", "zondag 25 oktober 2026 om 02:30"),
        # Another zone is converted, not taken at face value.
        (
            datetime(2026, 12, 31, 20, 0, tzinfo=timezone(timedelta(hours=-5))),
            "en",
            "Friday 1 January 2027 at 02:00",
        ),
        # An unknown language falls back to Dutch, as render() does.
        (datetime(2026, 5, 4, 8, 5, tzinfo=UTC), "de", "maandag 4 mei 2026 om 10:05"),
    ],
)
def test_long_datetime_is_written_out_in_amsterdam_time(
    value: datetime, language: str, expected: str
) -> None:
    assert long_datetime(value, language) == expected
    assert long_date(value, language) == expected.rsplit(" ", 2)[0]


def test_long_date_names_every_day_and_month() -> None:
    monday = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    days = [long_date(monday + timedelta(days=n), "nl").split()[0] for n in range(7)]
    assert days == [
        "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"
    ]  # fmt: skip
    months = [
        long_date(datetime(2026, m, 15, 12, tzinfo=UTC), "en").split()[2] for m in range(1, 13)
    ]
    assert months[0] == "January" and months[4] == "May" and months[11] == "December"
    assert len(set(months)) == 12
    assert long_date(datetime(2026, 3, 15, 12, tzinfo=UTC), "nl") == "zondag 15 maart 2026"


@pytest.mark.parametrize("function", [long_date, long_datetime])
def test_naive_datetime_is_refused(function: Callable[[datetime, str], str]) -> None:
    with pytest.raises(ValueError, match="naive"):
        function(datetime(2026, 11, 30, 15, 0), "nl")


def test_naive_datetime_in_a_mail_context_raises() -> None:
    with pytest.raises(ValueError, match="naive"):
        _render("work_link", expires_at=datetime(2026, 12, 14, 17, 0))


SIGN_IN_FIRST = {"nl": "U logt eerst in.", "en": "You sign in first."}


@pytest.mark.parametrize(
    ("name", "key", "says"),
    [*((name, key, BUTTON) for name, key in BUTTON_LINKS),
     *((name, key, SIGN_IN_FIRST) for name, key in SIGN_IN_LINKS)],
)  # fmt: skip
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_link_says_what_happens_when_it_is_opened(
    name: str, key: str, says: dict[str, str], language: str
) -> None:
    """A page with a button (nothing happens before it is pressed), or sign-in first."""
    mail = _render(name, language)
    url = str(CONTEXTS[name][key])
    assert url in mail.text and f'href="{url}"' in mail.html
    for part in (_words(mail.text), _words(mail.html)):
        assert says[language] in part


@pytest.mark.parametrize("name", ["assignment", "assignment_reminder"])
@pytest.mark.parametrize(
    ("language", "words"), [("nl", ('"akkoord"', '"weiger"')), ("en", ('"accept"', '"decline"'))]
)
def test_assignment_offers_accept_and_decline_by_link_or_reply(
    name: str, language: str, words: tuple[str, str]
) -> None:
    mail = _render(name, language)
    for url in (ACCEPT_URL, DECLINE_URL):
        assert url in mail.text and f'href="{url}"' in mail.html
    first_word = {"nl": "als eerste woord", "en": "as the first word"}[language]
    for part in (_words(mail.text), _words(mail.html)):
        assert all(word in part for word in words) and first_word in part


@pytest.mark.parametrize("language", LANGUAGES)
def test_assignment_reminder_says_when_the_case_goes_to_someone_else(language: str) -> None:
    mail = _render("assignment_reminder", language)
    when = {"nl": "maandag 30 november 2026 om 15:00", "en": "Monday 30 November 2026 at 15:00"}
    someone_else = {"nl": "naar iemand anders", "en": "goes to someone else"}[language]
    for part in (_words(mail.text), _words(mail.html)):
        assert when[language] in part and someone_else in part


@pytest.mark.parametrize("language", LANGUAGES)
def test_referral_for_independence_is_told_only_when_it_applies(language: str) -> None:
    sentence = {
        "nl": "Een vertrouwenspersoon helpt in een zaak altijd maar één kant.",
        "en": "An advisor only ever helps one side in a matter.",
    }[language]
    referred = _render("acknowledgement", language, is_referred_for_independence=True)
    plain = _render("acknowledgement", language)
    for part in (_words(referred.text), _words(referred.html)):
        assert sentence in part
    assert sentence not in _words(plain.text) and sentence not in _words(plain.html)


@pytest.mark.parametrize("language", LANGUAGES)
def test_consent_request_names_the_one_thing_and_escapes_markup(language: str) -> None:
    what = 'Bellen met <b onclick="steal()">de teamleider</b> & plannen'
    towards = "Mevrouw P. Smit <script>x</script>"
    information = "Uw naam.\nUw klacht over <i>de begeleiding</i>."
    mail = _render("consent_request", language, what=what, towards=towards, information=information)
    for value in (what, towards, information):
        assert value in mail.text
    assert "<script" not in mail.html and "<b onclick" not in mail.html and "<i>" not in mail.html
    assert html.escape(what, quote=False) in mail.html.replace("&#34;", '"')
    assert html.escape(towards, quote=False) in mail.html
    assert "Uw naam.<br>\nUw klacht over &lt;i&gt;de begeleiding&lt;/i&gt;." in mail.html
    no = {"nl": "Nee zeggen mag altijd", "en": "You may always say no"}[language]
    counts_as_no = {"nl": "Dan is uw antwoord nee", "en": "Then your answer is no"}[language]
    take_back = {"nl": "uw ja terugnemen", "en": "take back your yes"}[language]
    for part in (_words(mail.text), _words(mail.html)):
        assert no in part and counts_as_no in part and take_back in part


@pytest.mark.parametrize("language", LANGUAGES)
def test_consent_reminder_starts_by_saying_there_is_no_answer_yet(language: str) -> None:
    not_yet = {"nl": "U heeft nog niet geantwoord", "en": "You have not answered"}[language]
    ask = {"nl": "Uw vertrouwenspersoon wil graag", "en": "Your advisor would like"}[language]
    reminder = _words(_render("consent_request", language, is_reminder=True).text)
    first = _words(_render("consent_request", language).text)
    assert 0 <= reminder.index(not_yet) < reminder.index(ask)
    assert not_yet not in first
    prefix = {"nl": "Herinnering:", "en": "Reminder:"}[language]
    assert _render("consent_request", language, is_reminder=True).subject.startswith(prefix)


@pytest.mark.parametrize("language", LANGUAGES)
def test_advisor_message_keeps_line_breaks_and_escapes_markup(language: str) -> None:
    message = "Goedemorgen,\r\n\r\nZie <a href='http://evil.example'>dit</a> & bel mij.\nAnna"
    mail = _render("advisor_message", language, message=message)
    assert "Zie <a href='http://evil.example'>dit</a> & bel mij.\nAnna" in mail.text
    assert "Goedemorgen,\r\n\r\nZie" in mail.text or "Goedemorgen,\n\nZie" in mail.text
    assert "evil.example'>" not in mail.html and "<a href='" not in mail.html
    assert (
        "Goedemorgen,<br>\n<br>\nZie &lt;a href=&#39;http://evil.example&#39;&gt;dit&lt;/a&gt; "
        "&amp; bel mij.<br>\nAnna"
    ) in mail.html
    reply = {"nl": "U kunt gewoon antwoorden", "en": "You can simply reply"}[language]
    assert reply in mail.text and reply in _words(mail.html)


@pytest.mark.parametrize("language", LANGUAGES)
def test_advisor_message_without_dossier_link_has_no_link(language: str) -> None:
    mail = _render("advisor_message", language, dossier_url=None)
    assert DOSSIER_URL not in mail.text and DOSSIER_URL not in mail.html


@pytest.mark.parametrize("language", LANGUAGES)
def test_case_accepted_explains_relay_and_anonymity_only_when_they_apply(language: str) -> None:
    relay = {
        "nl": "Dan sturen wij uw tekst naar de cliënt",
        "en": "we send your text to the client",
    }
    quoted = {"nl": "boven het geciteerde deel", "en": "above the quoted part"}[language]
    anonymous = {"nl": "Vraag niet naar de naam", "en": "Do not ask for the client's name"}
    relayed = _render("case_accepted", language, can_relay=True, is_anonymous=True)
    direct = _render("case_accepted", language, can_relay=False, is_anonymous=False)
    for part in (_words(relayed.text), _words(relayed.html)):
        assert relay[language] in part and quoted in part and anonymous[language] in part
    for part in (_words(direct.text), _words(direct.html)):
        assert relay[language] not in part and anonymous[language] not in part
    three_days = {"nl": "binnen 3 werkdagen", "en": "within 3 working days"}[language]
    assert three_days in _words(direct.text)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("answer", ["given", "refused", "withdrawn", "lapsed"])
def test_consent_answer_says_plainly_whether_the_advisor_may_act(
    answer: str, language: str
) -> None:
    may_not = {"nl": "U mag dit niet", "en": "You may not do"}[language]
    mail = _render("consent_answered", language, answer=answer)
    label = str(CONTEXTS["consent_answered"]["consent_label"])
    for part in (_words(mail.text), _words(mail.html)):
        assert label in part
        assert (may_not in part) == (answer != "given")


@pytest.mark.parametrize("language", LANGUAGES)
def test_reassigned_explains_why_and_whether_the_coordinator_must_act(language: str) -> None:
    waiting = _render(
        "reassigned", language, why="declined", decline_reason="unavailable", is_assigned=False
    )
    passed_on = _render("reassigned", language)
    unavailable = {"nl": "Reden: niet beschikbaar", "en": "Reason: not available"}[language]
    nothing_to_do = {"nl": "U hoeft niets te doen", "en": "You do not need to do anything"}
    assert unavailable in _words(waiting.text) and unavailable in _words(waiting.html)
    assert nothing_to_do[language] in _words(passed_on.text)
    assert nothing_to_do[language] not in _words(waiting.text)
    assert waiting.subject != passed_on.subject


@pytest.mark.parametrize("language", LANGUAGES)
def test_signal_lists_every_case_and_says_nothing_was_sent(language: str) -> None:
    mail = _render("signal_raised", language)
    sent = {"nl": "niets naar de organisatie gestuurd", "en": "sent nothing to the organisation"}
    for reference in ("VP-2026-0042", "VP-2026-0017", "VP-2025-0311"):
        assert f"- {reference}\n" in mail.text and f">{reference}</li>" in mail.html
    assert sent[language] in _words(mail.text) and sent[language] in _words(mail.html)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("days_left", "index"), [(0, 0), (1, 1), (5, 2)])
def test_deadline_reminder_counts_the_days_left(days_left: int, index: int, language: str) -> None:
    phrases = {
        "nl": ("Dat is vandaag.", "Dat is morgen.", "Dat is over 5 dagen."),
        "en": ("That is today.", "That is tomorrow.", "That is in 5 days."),
    }[language]
    mail = _render("deadline_reminder", language, days_left=days_left)
    assert phrases[index] in mail.text and phrases[index] in mail.html
    four_weeks = {"nl": "ten hoogste 4 weken", "en": "by at most 4 weeks"}[language]
    assert four_weeks in _words(mail.text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_sign_in_link_renders_as_the_outbox_passes_it_without_a_reference(language: str) -> None:
    mail = _render("sign_in_link", language, reference=None)
    assert mail == _render("sign_in_link", language)
    for part in (mail.subject, mail.text, mail.html):
        assert "None" not in part and "VP-" not in part
    until = {"nl": "maandag 14 december 2026 om 17:00", "en": "Monday 14 December 2026 at 17:00"}
    once = {"nl": "De link werkt één keer", "en": "The link works once"}[language]
    for part in (_words(mail.text), _words(mail.html)):
        assert until[language] in part and once in part

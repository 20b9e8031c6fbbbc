"""Rendering, snapshots and safety rules of the outgoing mail templates."""

import html
import os
import re
from collections.abc import Mapping
from pathlib import Path

import pytest
from jinja2 import UndefinedError

from mailtemplates import (
    LANGUAGES,
    TEMPLATE_NAMES,
    RenderedMail,
    UnknownTemplateError,
    client_path,
    gender_wish_label,
    kind_label,
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

CONTEXTS: Mapping[str, Mapping[str, object]] = {
    "acknowledgement": {
        "reference": REFERENCE,
        "organisation_name": "Versa Welzijn",
        "kind": "complaint",
        "preferred_gender": "female",
        "is_finding_advisor": False,
        "contact_name": "Sanne de Wit",
        "dossier_url": "http://127.0.0.1:8000/dossier/Zm9vYmFy",
        "committee_email": "klachtencommissie@regioverband.nl",
        "channel": "web",
        "choose_url": None,
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
}
STAFF_TEMPLATES = ("assignment", "triage_needed", "client_replied", "urgent_case", "bounce_notice")

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

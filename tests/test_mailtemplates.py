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
)

SNAPSHOT_DIR = Path(__file__).parent / "mail_snapshots"
TEXT_SEPARATOR = "\n----- text -----\n"
HTML_SEPARATOR = "\n----- html -----\n"
REFERENCE = "VP-2026-0042"

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
        "case_url": "http://127.0.0.1:8000/staff/cases/VP-2026-0042",
    },
    "triage_needed": {
        "reference": REFERENCE,
        "organisation_name": "Versa Welzijn",
        "coordinator_name": "Karin Bakker",
        "kind": "conduct",
        "preferred_gender": "male",
        "reason": "no_matching_advisor",
        "case_url": "http://127.0.0.1:8000/staff/cases/VP-2026-0042",
    },
}

CLIENT_DATA = {
    "client_name": "Fatima El Amrani",
    "client_email": "fatima.elamrani@example.net",
    "client_phone": "06 1234 5678",
    "description": "Mijn begeleider raakte mij aan tegen mijn wil",
    "counterpart_name": "Johan de Vries",
}


def _render(name: str, language: str = "nl", **changes: object) -> RenderedMail:
    return render(name, language, {**CONTEXTS[name], **changes})


def _words(text: str) -> str:
    """Text with markup removed and whitespace collapsed, to find wrapped sentences."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def _snapshot(mail: RenderedMail) -> str:
    return mail.subject + TEXT_SEPARATOR + mail.text + HTML_SEPARATOR + mail.html


ALL_MAILS = [(name, language) for name in TEMPLATE_NAMES for language in LANGUAGES]


@pytest.mark.parametrize(("name", "language"), ALL_MAILS)
def test_mail_matches_its_snapshot(name: str, language: str) -> None:
    path = SNAPSHOT_DIR / f"{name}.{language}.txt"
    actual = _snapshot(_render(name, language))
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


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_missing_context_key_raises(name: str) -> None:
    context = dict(CONTEXTS[name])
    del context["organisation_name"]
    with pytest.raises(UndefinedError):
        render(name, "nl", context)


def test_html_escapes_markup_while_text_keeps_it_literal() -> None:
    evil = "<script>alert(1)</script>"
    mail = _render("acknowledgement", organisation_name=evil, contact_name=evil)
    assert evil in mail.text
    assert "<script>" not in mail.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in mail.html
    assert evil not in mail.subject


@pytest.mark.parametrize("language", LANGUAGES)
def test_assignment_carries_no_client_data_even_when_passed(language: str) -> None:
    mail = _render("assignment", language, **CLIENT_DATA)
    for value in CLIENT_DATA.values():
        assert value not in mail.subject
        assert value not in mail.text
        assert value not in mail.html
    assert str(CONTEXTS["assignment"]["case_url"]) in mail.text


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

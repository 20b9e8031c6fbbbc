"""Inbound mail parsing: the real-world corpus, one sample per trap, and properties."""

from __future__ import annotations

import base64
import email
import email.policy
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage, Message
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.corpus import corpus_dir
from workflow.mailparse import ParsedMail, UnparseableMail, normalise_subject, parse

MAILS = Path(__file__).parent / "mails"
CORPUS = corpus_dir()

# The corpus README mentions a binary Outlook file, but no file of this copy is one (none
# starts with the OLE signature); every corpus file is readable. A binary Outlook .msg is
# covered by test_junk_is_quarantined_with_a_reason below.
EXPECTED_UNPARSEABLE: dict[str, str] = {}
# The stdlib's only "text" here is the unparsed MIME of a multipart with an unquoted boundary;
# repaired, it is a single JPEG and no text.
ONLY_MIME_STRUCTURE_AS_TEXT = {"mikel-mail/mime_emails/raw_email_with_binary_encoded.eml"}
PROPERTY_SETTINGS = settings(max_examples=300, deadline=None, database=None)


def sample(name: str) -> ParsedMail:
    return parse((MAILS / name).read_bytes())


def corpus_files() -> list[Path]:
    skip = {"README.md", "index.tsv"}
    return sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name not in skip)


def corpus_tags() -> dict[str, set[str]]:
    rows = (CORPUS / "index.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return {row.split("\t")[0]: set(row.split("\t")[1].split(",")) for row in rows}


def assert_well_formed(mail: ParsedMail) -> None:
    """What every consumer may rely on, whatever came in."""
    assert not set(mail.subject) & {"\r", "\n", "\0"} and len(mail.subject) <= 300
    assert mail.date is None or mail.date.utcoffset() == timedelta(0)
    assert all(address == address.lower() for address in mail.to_addresses)
    assert mail.from_address is None or mail.from_address == mail.from_address.lower()
    assert len(mail.text) <= 200_000 and (mail.new_text or not mail.text)
    for attachment in mail.attachments:
        assert 0 < len(attachment.filename) <= 120
        assert not set(attachment.filename) & {"/", "\\", "\0", "\n"}
    strings = [mail.subject, mail.text, mail.new_text, mail.quoted_text, mail.content_type]
    strings += [*mail.in_reply_to, *mail.references, *mail.to_addresses, *mail.defects]
    strings += [v for values in mail.headers.values() for v in values] + list(mail.headers)
    strings += [a.filename for a in mail.attachments]
    strings += [s for s in (mail.message_id, mail.from_name, mail.return_path) if s]
    for value in strings:
        value.encode("utf-8")  # no lone surrogates left by the email package


def parse_or_quarantine(raw: bytes) -> ParsedMail | None:
    try:
        mail = parse(raw)
    except UnparseableMail as refused:
        assert refused.reason.strip()
        return None
    assert_well_formed(mail)
    return mail


# --- the corpus ------------------------------------------------------------------------------


def test_every_corpus_mail_parses_or_is_quarantined_with_a_reason() -> None:
    files = corpus_files()
    assert len(files) == 348
    started = time.perf_counter()
    refused = {}
    for path in files:
        before = time.perf_counter()
        try:
            assert_well_formed(parse(path.read_bytes()))
        except UnparseableMail as error:
            assert error.reason.strip()
            refused[str(path.relative_to(CORPUS))] = error.reason
        assert time.perf_counter() - before < 2, path
    assert refused == EXPECTED_UNPARSEABLE
    assert time.perf_counter() - started < 10


def stdlib_finds_text(message: Message) -> bool:
    """Whether the email package itself can reach some non-attachment text payload."""
    for part in message.walk():
        kind = part.get_content_type()
        if part.is_multipart() or part.get_content_disposition() == "attachment":
            continue
        if kind in ("text/plain", "text/html") or kind.startswith("multipart/"):
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes) and payload.strip():
                return True
    return False


def stdlib_misses_body(path: Path) -> bool:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    return isinstance(message, EmailMessage) and message.get_body() is None


def test_corpus_mails_with_unknown_charset_or_no_stdlib_body_keep_their_text() -> None:
    tags = corpus_tags()
    unknown = {CORPUS / name for name, tag in tags.items() if "charset-unknown-to-python" in tag}
    bodyless = {path for path in corpus_files() if stdlib_misses_body(path)}
    assert len(unknown) == 4 and len(bodyless) >= 30
    checked = 0
    for path in sorted(unknown | bodyless):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        mail = parse(path.read_bytes())
        if str(path.relative_to(CORPUS)) in ONLY_MIME_STRUCTURE_AS_TEXT:
            assert not mail.text and mail.attachments and "repaired boundary" in mail.defects
        elif stdlib_finds_text(message):
            checked += 1
            assert mail.text.strip(), path
    assert checked >= 15


# --- samples, one per trap ---------------------------------------------------------------------


def test_latin1_accents_and_backslashes_survive_exactly() -> None:
    mail = sample("latin1_accents_and_backslashes.eml")
    assert "C:\\Users\\Zoë\\Documenten." in mail.text
    assert "café, één keer, ü." in mail.text
    assert mail.subject == "Café en één vraag"
    assert (mail.from_name, mail.from_address) == ("Zoë de Vries", "zoe.devries@example.nl")
    assert mail.date == datetime(2026, 11, 3, 9, 12, tzinfo=UTC)


def test_unknown_charset_is_decoded_not_dropped() -> None:
    mail = sample("unknown_charset.eml")
    assert mail.text == "Ik wil één ding melden: het gaat om mijn leidinggevende."
    assert mail.subject == "Vraag over één melding"
    assert "unknown charset" in mail.defects


@pytest.mark.parametrize(
    ("name", "defect", "text"),
    [
        ("bare_cr_line_endings.eml", "bare CR", "Eerste regel.\nTweede regel."),
        ("nul_bytes.eml", "NUL bytes", "Hallo, dit is mijn vraag."),
        ("mbox_from_line.eml", "mbox From line", "Dit bericht kwam uit een mbox-bestand."),
    ],
)
def test_broken_wire_formats_are_repaired_and_noted(name: str, defect: str, text: str) -> None:
    mail = sample(name)
    assert mail.text == text
    assert defect in mail.defects
    assert mail.from_address == "jan@example.nl"
    assert "\0" not in mail.subject and mail.message_id is not None


def test_html_only_mail_reads_as_text_without_script_or_remote_image() -> None:
    mail = sample("html_only_with_script_and_remote_image.eml")
    assert "Beste vertrouwenspersoon,\n\nIk heb een vraag over pesten & intimidatie." in mail.text
    assert "\nGroet, Jan" in mail.text and "- eerste punt\n- tweede punt" in mail.text
    for absent in ("geheim script", "tracker.example.com", "pixel.gif", "color", "Titel"):
        assert absent not in mail.text


def test_dutch_reply_keeps_only_the_new_words() -> None:
    mail = sample("dutch_reply_op_schreef.eml")
    assert mail.new_text == "Dank u, donderdag om 14:00 past mij goed."
    assert mail.quoted_text.startswith("Op ma 3 nov. 2026 om 10:12 schreef Vertrouwenspersonen")
    assert "> Wanneer kunt u langskomen?" in mail.quoted_text
    assert mail.in_reply_to == ("<vp-2026-0042.1@vertrouwd.example>",)
    assert mail.references[0] == "<vp-2026-0042.0@vertrouwd.example>"
    assert normalise_subject(mail.subject) == "Uw melding VP-2026-0042"


def test_outlook_reply_splits_at_the_from_sent_block() -> None:
    mail = sample("outlook_reply_from_sent.eml")
    assert mail.new_text == "Thursday works for me.\n\nRegards,\nJohn"
    assert mail.quoted_text.startswith("From: Vertrouwenspersonen <meldpunt@vertrouwd.example>")
    assert "When can you come by?" in mail.quoted_text


def test_signature_after_dash_dash_space_is_split_off_not_lost() -> None:
    mail = sample("signature_dash_dash_space.eml")
    assert mail.new_text == "Ik wil graag een afspraak maken."
    assert mail.quoted_text == "-- \nJan Jansen\nAfdeling Inkoop | 06-12345678"


def test_attachment_names_lose_paths_and_tricks_but_keep_rfc2231_text() -> None:
    mail = sample("attachment_path_traversal_and_rfc2231_name.eml")
    assert mail.text == "Zie de bijlagen."
    names = [(a.filename, a.content_type) for a in mail.attachments]
    assert names == [
        ("passwd", "application/octet-stream"),
        ("rapport ü.pdf", "application/pdf"),
        ("evilgpj.exe", "application/octet-stream"),  # the right-to-left override is gone
    ]
    assert mail.attachments[1].data == b"%PDF-1.4 rapport"


def test_deeply_nested_multipart_stops_at_the_depth_limit() -> None:
    started = time.perf_counter()
    mail = sample("deep_nesting_50_levels.eml")
    assert time.perf_counter() - started < 1
    assert "depth limit" in mail.defects
    assert mail.subject == "Vijftig niveaus diep"


def test_empty_group_in_to_does_not_hide_the_other_recipients() -> None:
    mail = sample("empty_group_to_header.eml")
    assert mail.to_addresses == ("meldpunt@vertrouwd.example",)
    assert mail.from_address == "mailer-daemon@mx.example.nl"


def test_from_with_an_encoded_line_break_is_read_as_one_line() -> None:
    mail = sample("from_encoded_line_break.eml")
    assert (mail.from_name, mail.from_address) == ("Jan Jansen", "jan@example.nl")
    assert mail.subject == "Regel einde in onderwerp"


def test_forwarded_original_goes_to_quoted_text_not_to_attachments() -> None:
    mail = sample("forwarded_as_attachment.eml")
    assert mail.attachments == ()
    assert mail.new_text == "Hieronder de mail van mijn manager."
    assert "Subject: Beoordeling" in mail.quoted_text
    assert "Jan, je beoordeling is onvoldoende." in mail.quoted_text


def test_bounce_keeps_null_return_path_report_type_and_machine_headers() -> None:
    mail = sample("bounce_null_return_path.eml")
    assert mail.return_path == ""
    assert mail.content_type == "multipart/report"
    assert mail.headers["auto-submitted"] == ("auto-replied",)
    assert mail.message_id == "<20261103101200.ABC@mx.example.nl>"  # brackets were missing
    assert mail.date == datetime(2026, 11, 3, 10, 12, tzinfo=UTC)
    assert mail.text == "Your message could not be delivered."
    assert "Beste Jan, uw melding is ontvangen." in mail.quoted_text
    assert [a.content_type for a in mail.attachments] == ["message/delivery-status"]


@pytest.mark.parametrize(
    ("label", "codec", "words"),
    [
        ("unicode-1-1-utf-7", "utf-7", "één café"),
        ("x-unknown", "utf-8", "één café"),
        ("unknown-8bit", "cp1252", "één café"),
        ("ks_c_5601-1987", "cp949", "안녕하세요"),
        ("gb2312", "gb2312", "你好"),
        ("iso-8859-8-i", "iso8859-8", "שלום"),
        ("x-mac-cyrillic", "mac-cyrillic", "Привет"),
        ("_iso-2022-jp$ESC", "iso2022_jp", "日本語"),
        ('"charset=us-ascii"', "utf-8", "één"),
        ("base64", "utf-8", "één"),  # a codec, but not a text charset
        ("unicode_escape", "utf-8", "C:\\Users\\één"),  # would eat the backslashes
    ],
)
def test_charset_labels_python_lacks_or_misreads_still_decode(
    label: str, codec: str, words: str
) -> None:
    head = b"Subject: =?%s?B?%s?=\nContent-Type: text/plain; charset=%s\n\n" % (
        label.strip('"').encode(),
        base64.b64encode(words.encode(codec)),
        label.encode(),
    )
    mail = parse(head + words.encode(codec))
    assert mail.text == words
    assert mail.subject == words


# --- junk and limits ---------------------------------------------------------------------------

HEAD = b"From: Jan Jansen <jan@example.nl>\nTo: meldpunt@vertrouwd.example\nSubject: Vraag\n"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty message"),
        (b" \r\n\r\n\t", "empty message"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8, "Outlook .msg"),
        (bytes(range(32)) * 64, "binary data"),
    ],
)
def test_junk_is_quarantined_with_a_reason(raw: bytes, reason: str) -> None:
    with pytest.raises(UnparseableMail) as refused:
        parse(raw)
    assert reason in refused.value.reason


def test_a_thousand_levels_of_nesting_are_cut_before_the_stdlib_recurses() -> None:
    levels = b"".join(
        b'Content-Type: multipart/mixed; boundary="n%d"\n\n--n%d\n' % (n, n) for n in range(1000)
    )
    started = time.perf_counter()
    mail = parse(HEAD + levels + b"Content-Type: text/plain\n\ndiep\n")
    assert time.perf_counter() - started < 2
    assert {"too many parts", "depth limit"} <= set(mail.defects)


def test_huge_headers_are_truncated_quickly() -> None:
    raw = HEAD + b"".join(b"X-Filler-%d: %s\n" % (n, b"x" * 900) for n in range(300))
    started = time.perf_counter()
    mail = parse(raw + b"\nDe vraag zelf.\n")
    assert time.perf_counter() - started < 1
    assert "huge headers" in mail.defects
    assert mail.text == "De vraag zelf." and mail.subject == "Vraag"


def test_one_giant_header_line_is_cut_not_dropped() -> None:
    mail = parse(b"From: jan@example.nl\nSubject: " + b"=?utf-8?q?hoi?= " * 20_000 + b"\n\nok")
    assert "huge headers" in mail.defects
    assert mail.from_address == "jan@example.nl" and mail.subject.startswith("hoihoi")
    assert mail.text == "ok"


@pytest.mark.parametrize("html", ["<div>" * 300_000, "<blockquote>x<br>" * 30_000])
def test_deeply_nested_html_is_cut_before_sanitising(html: str) -> None:
    started = time.perf_counter()
    mail = parse(HEAD + b"Content-Type: text/html\n\n" + html.encode())
    assert time.perf_counter() - started < 3
    assert "html truncated" in mail.defects
    assert all(len(line) < 100 for line in mail.text.splitlines())  # quote depth is capped


def test_text_is_capped_and_the_cap_is_noted() -> None:
    mail = parse(HEAD + b"\n" + b"lange regel\n" * 30_000)
    assert len(mail.text) == 200_000 and "text truncated" in mail.defects


def test_attachment_limits_are_noted_not_silent() -> None:
    parts = b"".join(
        b"--g\nContent-Type: application/pdf\nContent-Disposition: attachment; "
        b'filename="%d.pdf"\n\n%s\n' % (n, b"x" * n * 100)
        for n in range(1, 5)
    )
    raw = HEAD + b'Content-Type: multipart/mixed; boundary="g"\n\n' + parts + b"--g--\n"
    mail = parse(raw, max_attachment_bytes=250, max_attachments=1)
    assert [a.filename for a in mail.attachments] == ["1.pdf"]
    assert "too many attachments" in mail.defects
    assert "attachment too large" in parse(raw, max_attachment_bytes=250).defects


def test_subject_is_one_line_without_nul_and_capped() -> None:
    mail = parse(b"Subject: een\r\n\ttwee\x00 =?utf-8?Q?drie=0D=0Avier?= " + b"x" * 400 + b"\n\nok")
    assert mail.subject.startswith("een twee drie vier x") and len(mail.subject) == 300


def test_message_ids_are_found_with_or_without_angle_brackets() -> None:
    raw = (
        b"Message-ID: abc.123@example.nl\nIn-Reply-To: garbage\nReferences: <a@x> b@y <c@z>\n\nhoi"
    )
    mail = parse(raw)
    assert mail.message_id == "<abc.123@example.nl>"
    assert mail.in_reply_to == ()
    assert mail.references == ("<a@x>", "<c@z>")


# --- quoted history ----------------------------------------------------------------------------

QUOTE_MARKERS = [
    "> Eerder bericht",
    "On Mon, Nov 3, 2026 at 10:12 AM Vertrouwenspersonen <vp@example.nl> wrote:",
    "On Mon, Nov 3, 2026 at 10:12 AM Vertrouwenspersonen <\nvp@example.nl> wrote:",
    "Op 3 nov. 2026, om 10:12 heeft Vertrouwenspersonen <vp@example.nl> het volgende geschreven:",
    "-----Original Message-----",
    "-----Oorspronkelijk bericht-----",
    "Van: Vertrouwenspersonen <vp@example.nl>\nVerzonden: maandag 3 november 2026 10:12",
    "Begin forwarded message:",
    "---------- Forwarded message ---------",
    "________________________________",
    "--",
    "Verzonden vanaf mijn iPhone",
    "Sent from my iPhone",
]


@pytest.mark.parametrize("marker", QUOTE_MARKERS)
def test_quoted_history_is_split_off_at_each_known_marker(marker: str) -> None:
    body = f"Mijn antwoord.\n\n{marker}\n> Oude tekst.\n"
    mail = parse(HEAD + b"\n" + body.encode())
    assert mail.new_text == "Mijn antwoord."
    assert mail.quoted_text == f"{marker}\n> Oude tekst."


def test_top_level_forward_keeps_its_text_as_new_text() -> None:
    body = b"---------- Forwarded message ---------\nFrom: Manager <m@example.nl>\n\nOud.\n"
    mail = parse(HEAD + b"\n" + body)
    assert mail.new_text == mail.text and mail.text.endswith("Oud.")


def test_answers_written_between_quotes_stay_in_new_text() -> None:
    body = b"Hallo,\n> Wanneer kunt u?\nDonderdag.\n> Waar?\nOp kantoor.\n\n-- \nJan\n"
    mail = parse(HEAD + b"\n" + body)
    assert mail.new_text == "Hallo,\n> Wanneer kunt u?\nDonderdag.\n> Waar?\nOp kantoor."
    assert mail.quoted_text == "-- \nJan"


def test_html_reply_marks_its_blockquote_as_quoted() -> None:
    html = (
        b'<div dir="ltr">Prima, tot dan.</div><div class="gmail_quote">'
        b"<div>Op ma 3 nov 2026 om 10:12 schreef VP &lt;vp@example.nl&gt;:<br></div>"
        b"<blockquote>Komt donderdag uit?</blockquote></div>"
    )
    mail = parse(HEAD + b"Content-Type: text/html\n\n" + html)
    assert mail.new_text == "Prima, tot dan."
    assert mail.quoted_text.endswith("> Komt donderdag uit?")


# --- subjects ----------------------------------------------------------------------------------

PREFIXES = ["Re", "RE", "re", "Antw", "Antwoord", "Fw", "FW", "Fwd", "Doorst", "WG", "AW", "Aw"]


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Re: Uw melding", "Uw melding"),
        ("RE: Antw: Fwd:  Uw   melding ", "Uw melding"),
        ("Re[2]: Re [3] : WG:AW:Doorst: Antwoord: vraag", "vraag"),
        ("Reactie op melding", "Reactie op melding"),
        ("Re:", ""),
        ("Fwd: Re: \r\n\tGesprek", "Gesprek"),
    ],
)
def test_normalise_subject_strips_reply_and_forward_prefixes(subject: str, expected: str) -> None:
    assert normalise_subject(subject) == expected


# --- properties --------------------------------------------------------------------------------

HEADER_NAMES = ["From", "To", "Cc", "Subject", "Date", "Message-ID", "References", "Return-Path"]
HEADER_NAMES += ["Content-Type", "Content-Transfer-Encoding", "Content-Disposition"]
header_values = st.one_of(
    st.text(max_size=200),
    st.builds(
        "=?{}?{}?{}?= {}".format,
        st.sampled_from(["utf-8", "x-unknown", "iso-8859-8-i", "", "utf-7"]),
        st.sampled_from(["Q", "B", "b", "x"]),
        st.text(alphabet="=_AZaz09+/\n\r", max_size=40),
        st.text(max_size=40),
    ),
    st.sampled_from(["unlisted-recipients:;", "<>", "multipart/mixed; boundary=g", "base64"]),
)


@PROPERTY_SETTINGS
@given(st.binary(max_size=4096))
def test_parse_never_raises_anything_but_unparseable_on_bytes(raw: bytes) -> None:
    parse_or_quarantine(raw)


@PROPERTY_SETTINGS
@given(
    st.lists(st.tuples(st.sampled_from(HEADER_NAMES) | st.text(max_size=20), header_values)),
    st.text(max_size=1000),
)
def test_parse_never_raises_anything_but_unparseable_on_header_text(
    headers: list[tuple[str, str]], body: str
) -> None:
    text = "".join(f"{name}: {value}\n" for name, value in headers) + "\n" + body
    parse_or_quarantine(text.encode("utf-8"))


@PROPERTY_SETTINGS
@given(st.text())
def test_normalise_subject_is_idempotent(subject: str) -> None:
    once = normalise_subject(subject)
    assert normalise_subject(once) == once
    assert not set(once) & {"\r", "\n", "\0"}


@PROPERTY_SETTINGS
@given(
    st.lists(
        st.tuples(st.sampled_from(PREFIXES), st.sampled_from(["", "[2]", " [12]", " "])),
        min_size=1,
        max_size=5,
    ),
    st.text(),
)
def test_normalise_subject_strips_any_number_of_prefixes(
    prefixes: list[tuple[str, str]], rest: str
) -> None:
    subject = "".join(f"{prefix}{count}: " for prefix, count in prefixes) + rest
    assert normalise_subject(subject) == normalise_subject(rest)

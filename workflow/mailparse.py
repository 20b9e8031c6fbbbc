"""Inbound mail from raw bytes to plain data; only UnparseableMail escapes, and only for junk."""

from __future__ import annotations

import email.policy
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from functools import partial
from types import MappingProxyType
from typing import TypeVar

from workflow import mailtext as mt
from workflow.mailpolicy import READING
from workflow.mailtext import normalise_subject

__all__ = ["Attachment", "ParsedMail", "UnparseableMail", "normalise_subject", "parse"]

MAX_HEADER_BYTES = 64 * 1024
MAX_TEXT_CHARS = 200_000
MAX_DEPTH, MAX_PARTS = 20, 200
MAX_CONTAINERS = 100  # multipart/message headers in the raw bytes; the stdlib parser recurses
MAX_STRUCTURED = 16 * 1024  # the stdlib address parser is quadratic: ~1 s for 64 KiB
MAX_IDS, SUBJECT_CHARS = 100, 300
_T = TypeVar("_T")


class UnparseableMail(Exception):
    """The sender's (or the wire's) mistake: nothing readable; `.reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Attachment:
    """A file sent with the mail; the name is safe to store and to show."""

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class ParsedMail:
    """Everything the inbox rules read from one mail; the raw bytes stay the record."""

    message_id: str | None
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    from_address: str | None
    from_name: str | None
    to_addresses: tuple[str, ...]
    return_path: str | None
    subject: str
    date: datetime | None
    headers: Mapping[str, tuple[str, ...]] = field(hash=False)
    content_type: str
    text: str
    new_text: str
    quoted_text: str
    attachments: tuple[Attachment, ...]
    defects: tuple[str, ...]


def _guard(read: Callable[[], _T], fallback: _T) -> _T:
    """Call an email package accessor; they raise on what they cannot parse (corpus README)."""
    try:
        return read()
    except Exception:
        return fallback


# --- the raw bytes, before the email package sees them -------------------------------------

_MAGIC = {
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "an Outlook .msg file (OLE), not a MIME message",
    b"%PDF-": "a PDF file, not a mail",
    b"PK\x03\x04": "a ZIP file, not a mail",
}
_CONTROL_BYTES = bytes(byte for byte in range(32) if byte not in b"\t\n\r\f\x1b")
_HEADER_BLOCK = re.compile(rb"(?:[!-9;-~]+[ \t]*:[^\n]*\n(?:[ \t][^\n]*\n)*)*")
_CONTAINER = re.compile(rb"^content-type:\s*(?:multipart|message)/", re.I | re.M)
_MBOX_FROM = re.compile(rb"From (?![ \t]*:)")
_REPAIRS: tuple[tuple[str, Callable[[bytes], bool], Callable[[bytes], bytes]], ...] = (
    ("byte order mark", lambda b: b.startswith(b"\xef\xbb\xbf"), lambda b: b[3:]),
    ("NUL bytes", lambda b: b"\0" in b, lambda b: b.replace(b"\0", b"")),
    ("bare CR", lambda b: b"\r" in b, lambda b: b.replace(b"\r", b"\n")),  # after CRLF -> LF
    ("leading blank lines", lambda b: b[:1].isspace(), lambda b: b.lstrip()),
    ("mbox From line", lambda b: bool(_MBOX_FROM.match(b)), lambda b: b.split(b"\n", 1)[-1]),
)


def _refuse_junk(raw: bytes) -> None:
    if not raw.strip():
        raise UnparseableMail("empty message")
    for magic, reason in _MAGIC.items():
        if raw.startswith(magic):
            raise UnparseableMail(reason)
    head = raw[:4096]
    if (len(head) - len(head.translate(None, _CONTROL_BYTES))) * 10 > len(head):
        raise UnparseableMail("binary data, not a mail")


def _preclean(raw: bytes, defects: list[str]) -> bytes:
    """Repair what the parser would misread (a table: defect, test, repair), then cap it."""
    raw = raw.replace(b"\r\n", b"\n")
    for defect, is_broken, repair in _REPAIRS:
        if is_broken(raw):
            raw = repair(raw)
            defects.append(defect)
    header_end = _HEADER_BLOCK.match(raw)
    if header_end and header_end.end() > MAX_HEADER_BYTES:
        defects.append("huge headers")
        raw = raw[:MAX_HEADER_BYTES].rstrip(b"\n") + b"\n" + raw[header_end.end() :]
    for count, container in enumerate(_CONTAINER.finditer(raw)):
        if count == MAX_CONTAINERS:
            defects.append("too many parts")
            return raw[: container.start()]
    return raw


def _read(raw: bytes) -> Message | None:
    try:
        return BytesParser(policy=READING).parsebytes(raw)
    except Exception:  # RecursionError on nesting deeper than the container cap lets through
        return None


# --- headers, read raw and decoded leniently -----------------------------------------------

_ANGLE = re.compile(r"<([^<>]*)>")
_BARE_ADDRESS = re.compile(r'[^\s<>,;:"()]{1,64}@[^\s<>,;:"()]{1,253}')


def _header_map(message: Message) -> dict[str, list[str]]:
    """Lowercased name -> raw unfolded values; raw_items never parses, so it never raises."""
    headers: dict[str, list[str]] = {}
    no_items: list[tuple[str, object]] = []
    for name, value in _guard(lambda: list(message.raw_items()), no_items):
        unfolded = str(value).replace("\n", "")  # RFC 5322 section 2.2.3
        headers.setdefault(mt.clean_line(str(name), 200).lower(), []).append(unfolded)
    return headers


def _first(headers: dict[str, list[str]], name: str) -> str:
    return mt.header_text(headers.get(name, [""])[0])


def _parse_addresses(value: str) -> list[tuple[str, str]]:
    """(display name, addr-spec) pairs: the stdlib parser first; where it raises (AttributeError
    on an empty group, ValueError on an encoded line break) or would be slow, a plain split.
    Not email.utils.getaddresses: it recurses once per address and overflows on long lists."""
    value = mt.unescape(value)
    if len(value) <= MAX_STRUCTURED:
        header = _guard(lambda: READING.header_factory("to", value), None)
        pairs = _guard(lambda: [(a.display_name, a.addr_spec) for a in header.addresses], None)
        if pairs is not None:
            return pairs
    pairs = []
    for chunk in value.split(","):  # a quoted comma splits a name; the addresses survive
        if match := _ANGLE.search(chunk):
            pairs.append((mt.decode_words(chunk[: match.start()]), match.group(1)))
        else:
            pairs += [("", bare) for bare in _BARE_ADDRESS.findall(chunk)]
    return pairs


def _addresses(headers: dict[str, list[str]], *names: str) -> list[tuple[str, str | None]]:
    values = [value for name in names for value in headers.get(name, [])]
    pairs = [pair for value in values for pair in _parse_addresses(value)]
    return [(mt.clean_line(name, 200).strip("\"' "), mt.address(addr)) for name, addr in pairs]


def _return_path(values: list[str]) -> str | None:
    value = mt.unescape(values[0]).strip() if values else ""
    match = _ANGLE.search(value)
    if match and not match.group(1).strip():
        return ""  # RFC 5321 null reverse-path: a bounce or an auto-reply
    return mt.address(match.group(1) if match else value) if value else None


def _date(headers: dict[str, list[str]]) -> datetime | None:
    try:
        value = parsedate_to_datetime(_first(headers, "date"))
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


# --- the MIME tree ---------------------------------------------------------------------------

_BOUNDARY_LINE = re.compile(rb"^--([^\s\"\\]{1,200})[ \t]*\n(?=[!-9;-~]+[ \t]*:)", re.M)
_MESSAGES = ("message/rfc822", "message/global", "message/partial")


@dataclass
class _Texts:
    """The readable text of one message level; forwarded originals kept apart."""

    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    forwarded: list[str] = field(default_factory=list)

    def body(self) -> str:
        if any(text.strip() for text in self.plain):
            return "\n\n".join(text.strip("\n") for text in self.plain if text.strip())
        return "\n\n".join(filter(None, map(mt.html_to_text, self.html)))


def _payload_bytes(part: Message) -> bytes:
    data = _guard(lambda: part.get_payload(decode=True), None)  # None for a multipart
    return data if isinstance(data, bytes) else b""


def _serialised(part: Message) -> bytes:
    """message/delivery-status and friends: the stdlib splits them into header blocks."""
    payload = _guard(part.get_payload, None)
    blocks = [block for block in payload if isinstance(block, Message)] if payload else []
    compat = email.policy.compat32
    return b"\n".join(_guard(partial(block.as_bytes, policy=compat), b"") for block in blocks)


class _Walker:
    """Walks a parsed message with bounded depth and part count; collects text and files."""

    def __init__(self, max_bytes: int, max_count: int, defects: list[str]) -> None:
        self.max_bytes, self.max_count, self.defects = max_bytes, max_count, defects
        self.attachments: list[Attachment] = []
        self.parts = 0

    def collect(self, part: Message, depth: int, texts: _Texts) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS or depth > MAX_DEPTH:
            self.defects.append("too many parts" if self.parts > MAX_PARTS else "depth limit")
            return
        kind = _guard(part.get_content_type, "text/plain")
        # is_multipart() first: get_payload() on a leaf decodes it with the declared charset.
        children = _guard(part.get_payload, None) if part.is_multipart() else None
        if isinstance(children, list):
            self.container(part, kind, children, depth, texts)
        elif kind.startswith("multipart/"):
            self.unparsed(part, kind, depth, texts)
        elif kind == "text/html" and not _is_attachment(part):
            html, is_cut = mt.cap_html(self.decode(part))
            self.defects += ["html truncated"] if is_cut else []
            texts.html.append(html)
        elif kind == "text/plain" and not _is_attachment(part):
            texts.plain.append(self.decode(part))
        else:
            self.attach(part, kind, _payload_bytes(part))

    def container(
        self, part: Message, kind: str, children: Sequence[object], depth: int, texts: _Texts
    ) -> None:
        messages = [child for child in children if isinstance(child, Message)]
        if kind in _MESSAGES and messages:
            texts.forwarded.append(self.forwarded(messages[0], depth + 1))
        elif kind.startswith("message/"):
            self.attach(part, kind, _serialised(part))
        else:
            for child in messages:
                self.collect(child, depth + 1, texts)

    def forwarded(self, message: Message, depth: int) -> str:
        """A forwarded or returned original: its headers and text, marked, for quoted_text."""
        texts = _Texts()
        self.collect(message, depth, texts)
        headers = _header_map(message)
        lines = [mt.FORWARD_MARK]
        for label in ("From", "Date", "Subject", "To"):
            if value := _first(headers, label.lower())[:SUBJECT_CHARS]:
                lines.append(f"{label}: {value}")
        return "\n".join([*lines, "", texts.body(), *texts.forwarded]).strip()

    def unparsed(self, part: Message, kind: str, depth: int, texts: _Texts) -> None:
        """A multipart the stdlib left as one string: find the real boundary, else keep text."""
        data = _payload_bytes(part)
        if match := _BOUNDARY_LINE.search(data):
            head = b'Content-Type: %s; boundary="%s"\n\n' % (kind.encode(), match.group(1))
            repaired = _read(head + data)
            children = _guard(repaired.get_payload, None) if repaired else None
            if isinstance(children, list):
                self.defects.append("repaired boundary")
                self.container(part, kind, children, depth, texts)
                return
        if data.strip():
            self.defects.append("unparsed multipart")
            texts.plain.append(self.decode(part, data))

    def decode(self, part: Message, data: bytes | None = None) -> str:
        charset = _guard(part.get_content_charset, None)
        if mt.is_unknown_charset(charset):
            self.defects.append("unknown charset")
        return mt.decode_bytes(_payload_bytes(part) if data is None else data, charset)

    def attach(self, part: Message, kind: str, data: bytes) -> None:
        if len(self.attachments) >= self.max_count or len(data) > self.max_bytes:
            too_many = len(self.attachments) >= self.max_count
            self.defects.append("too many attachments" if too_many else "attachment too large")
            return
        name = mt.safe_filename(_guard(part.get_filename, None), len(self.attachments) + 1)
        self.attachments.append(Attachment(name, kind, data))


def _is_attachment(part: Message) -> bool:
    return _guard(part.get_content_disposition, None) == "attachment"


# --- the entry point -------------------------------------------------------------------------


def parse(
    raw: bytes, *, max_attachment_bytes: int = 10 * 1024 * 1024, max_attachments: int = 20
) -> ParsedMail:
    """Read one inbound mail; raises UnparseableMail (with a reason) when nothing is readable."""
    try:
        return _parse(bytes(raw), max_attachment_bytes, max_attachments)
    except UnparseableMail:
        raise
    except Exception as error:  # a trap not yet seen: quarantine the mail, never crash the run
        raise UnparseableMail(f"the parser failed ({type(error).__name__})") from error


def _parse(raw: bytes, max_bytes: int, max_count: int) -> ParsedMail:
    _refuse_junk(raw)
    defects: list[str] = []
    message = _read(_preclean(raw, defects))
    if message is None:
        raise UnparseableMail("the MIME structure could not be read")
    walker, texts, headers = _Walker(max_bytes, max_count, defects), _Texts(), _header_map(message)
    walker.collect(message, 0, texts)
    text, new_text, quoted_text = _body_fields(texts, defects)
    if not headers and not text and not walker.attachments:
        raise UnparseableMail("no headers and no body")
    sender_name, sender = (_addresses(headers, "from") or [("", None)])[0]
    recipients = _addresses(headers, "to", "cc", "delivered-to", "x-original-to")
    return ParsedMail(
        message_id=(mt.message_ids(headers.get("message-id", [])[:1]) or (None,))[0],
        in_reply_to=mt.message_ids(headers.get("in-reply-to", []), MAX_IDS),
        references=mt.message_ids(headers.get("references", []), MAX_IDS),
        from_address=sender,
        from_name=sender_name or None,
        to_addresses=tuple(dict.fromkeys(addr for _, addr in recipients if addr)),
        return_path=_return_path(headers.get("return-path", [])),
        subject=_first(headers, "subject")[:SUBJECT_CHARS],
        date=_date(headers),
        headers=MappingProxyType(
            {name: tuple(map(mt.header_text, values)) for name, values in headers.items()}
        ),
        content_type=_guard(message.get_content_type, "text/plain"),
        text=text,
        new_text=new_text,
        quoted_text=quoted_text,
        attachments=tuple(walker.attachments),
        defects=tuple(dict.fromkeys(defects)),
    )


def _body_fields(texts: _Texts, defects: list[str]) -> tuple[str, str, str]:
    """(text, new_text, quoted_text); a forward without own words reads as its original."""
    body = texts.body()
    if len(body) > MAX_TEXT_CHARS:
        body = body[:MAX_TEXT_CHARS]
        defects.append("text truncated")
    forwarded = [mt.clean_text(original)[:MAX_TEXT_CHARS] for original in texts.forwarded]
    text = mt.clean_text(body) or "\n\n".join(forwarded)[:MAX_TEXT_CHARS]
    new_text, quoted = mt.split_quoted(text)
    quoted_text = "\n\n".join(filter(None, (quoted, *forwarded)))[:MAX_TEXT_CHARS]
    return text, new_text, quoted_text

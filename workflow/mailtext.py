"""Text helpers for inbound mail: charsets, encoded words, HTML to text, quotes, subjects."""

from __future__ import annotations

import base64
import binascii
import codecs
import quopri
import re
import unicodedata
from html.parser import HTMLParser

import nh3

# Labels senders use that Python lacks or reads too narrowly (WHATWG Encoding Standard: a label
# names its superset). US-ASCII maps to nothing: 8-bit text labelled ASCII takes the chain.
_ALIASES: dict[str, str | None] = {
    **dict.fromkeys(["iso-8859-8-i", "iso-8859-8-e"], "iso8859-8"),
    **dict.fromkeys(["iso-8859-6-i", "iso-8859-6-e"], "iso8859-6"),
    **dict.fromkeys(["ks_c_5601-1987", "euc-kr"], "cp949"),
    **dict.fromkeys(["gb2312", "gbk", "x-gbk"], "gb18030"),
    **dict.fromkeys(["shift_jis", "x-sjis"], "cp932"),
    **dict.fromkeys(["iso-8859-1", "latin1"], "cp1252"),
    **dict.fromkeys(["us-ascii", "ascii"], None),
    "unicode-1-1-utf-7": "utf-7",
    "x-mac-cyrillic": "mac-cyrillic",
    "x-mac-roman": "mac-roman",
}
# Codecs that decode bytes but are not a text charset; a sender must not pick them.
_UNSAFE_CODECS = frozenset(
    {"idna", "punycode", "raw-unicode-escape", "unicode-escape", "undefined", "mbcs", "oem"}
)
_CHARSET_TOKEN = re.compile(r"[a-z][a-z0-9_.:-]*[a-z0-9]")
_ENCODED_WORD = re.compile(r"=\?([^?\s]{1,64})\?([bBqQ])\?([^?\s]*)\?=")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
_LINE_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _label(charset: str) -> str:
    return charset.strip().strip("\"'").lower().removeprefix("charset=")[:64]


def codec_for(charset: str | None) -> str | None:
    """The Python codec for a declared charset label, or None when there is no usable one."""
    if not charset:
        return None
    label = _label(charset)
    match = _CHARSET_TOKEN.search(label)
    token = match.group() if match else ""
    for name in (label, token):
        if name in _ALIASES:
            return _ALIASES[name]
    try:
        canonical = codecs.lookup(token).name
    except LookupError:
        return None
    return canonical if canonical not in _UNSAFE_CODECS and _is_text_codec(canonical) else None


def _is_text_codec(name: str) -> bool:
    try:
        b"a".decode(name)
    except UnicodeError:  # a text codec that merely rejects this byte (utf-16)
        return True
    except LookupError:  # bytes-to-bytes or str-to-str: base64, zlib, rot13
        return False
    return True


def is_unknown_charset(charset: str | None) -> bool:
    """True when a charset was declared but no codec could be found for it."""
    return bool(charset) and codec_for(charset) is None and _label(charset or "") not in _ALIASES


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """Decode text without ever failing or dropping it: declared charset, utf-8, cp1252, latin-1."""
    codec = codec_for(charset)
    chain = (codec, "utf-8") if codec else ("utf-8", "cp1252")
    for name in chain:
        try:
            return data.decode(name)
        except UnicodeError:
            continue
    return data.decode(codec or "latin-1", errors="replace")


def unescape(value: str) -> str:
    """Turn the surrogate-escaped 8-bit bytes that the email package leaves in headers into text."""
    if not _ESCAPED_BYTE.search(value):
        return value
    try:
        return decode_bytes(value.encode("utf-8", "surrogateescape"))
    except UnicodeError:
        return value.encode("utf-8", "replace").decode("utf-8")


def _decode_word(match: re.Match[str]) -> str:
    charset, encoding, payload = match.groups()
    try:
        if encoding in "bB":
            payload = payload.rstrip("=")
            data = base64.b64decode(payload + "=" * (-len(payload) % 4))
        else:
            data = quopri.decodestring(payload.encode("utf-8"), header=True)
    except (binascii.Error, ValueError):
        return match.group()
    return decode_bytes(data, charset.split("*", 1)[0])


def decode_words(value: str) -> str:
    """Decode RFC 2047 encoded words leniently (unknown charsets, bad padding, 8-bit bytes)."""
    value = unescape(value)
    pieces: list[str] = []
    position = 0
    for match in _ENCODED_WORD.finditer(value):
        between = value[position : match.start()]
        # RFC 2047 section 6.2: whitespace between two adjacent encoded words is not text.
        if position == 0 or between.strip():
            pieces.append(between)
        pieces.append(_decode_word(match))
        position = match.end()
    pieces.append(value[position:])
    return "".join(pieces)


_ADDR_SPEC = re.compile(
    r'[^\s@<>()\[\]\\,;:"\x00-\x1f\x7f\ud800-\udfff]{1,64}'
    r'@(?:[^\s@<>()\[\]\\,;:"\x00-\x1f\x7f\ud800-\udfff]{1,253}|\[[0-9a-f:.]{1,64}\])'
)
_MESSAGE_ID = re.compile(r"<([^<>\s\x00-\x1f]{1,250}@[^<>\s\x00-\x1f]{1,250})>")
_BARE_MESSAGE_ID = re.compile(r'[^<>\s,;"\x00-\x1f]{1,250}@[^<>\s,;"\x00-\x1f]{1,250}')
FORWARD_MARK = "---------- Forwarded message ----------"


def address(addr: str) -> str | None:
    """A lowercased addr-spec, or None when it is not a plausible one (no quoted local parts)."""
    addr = addr.strip().lower()
    return addr if _ADDR_SPEC.fullmatch(addr) else None


def message_ids(values: list[str], limit: int = 100) -> tuple[str, ...]:
    """The "<id@host>" message-ids in header values, brackets added where missing; the first
    and the latest ones when there are more than `limit`."""
    ids: list[str] = []
    for value in map(unescape, values):
        ids += _MESSAGE_ID.findall(value) or _BARE_MESSAGE_ID.findall(value)
    unique = [f"<{found}>" for found in dict.fromkeys(ids)]
    return tuple(unique if len(unique) <= limit else unique[:1] + unique[1 - limit :])


def header_text(value: str) -> str:
    """A raw header value as one line of readable text."""
    return clean_line(decode_words(value))


def clean_line(value: str, limit: int = 2000) -> str:
    """One line of text: whitespace (CR, LF, tabs) collapsed, control characters and NUL gone."""
    return " ".join(_LINE_CONTROL.sub(" ", value).split())[:limit]


def clean_text(text: str) -> str:
    """Body text with LF line ends, no control characters and no blank lines at its edges."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip("\n")


_SUBJECT_PREFIX = re.compile(
    r"^\s*(?:re|antw|antwoord|fw|fwd|doorst|wg|aw)\s*(?:\[\d+\]|\(\d+\))?\s*:", re.I
)


def normalise_subject(subject: str) -> str:
    """The subject without any reply or forward prefixes, whitespace collapsed."""
    subject = _LINE_CONTROL.sub(" ", subject)
    while (stripped := _SUBJECT_PREFIX.sub("", subject, count=1)) != subject:
        subject = stripped
    return " ".join(subject.split())


# HTML: nh3 (html5ever) does the hard parsing and drops everything active or remote; only
# text-bearing tags survive, without attributes, so no URL of an image or link remains.
_KEPT_TAGS = {"p", "br", "div", "li", "ul", "ol", "blockquote", "pre", "table", "tr", "td", "th"}
_KEPT_TAGS |= {"h1", "h2", "h3", "h4", "h5", "h6", "hr", "dl", "dt", "dd", "b", "i", "span"}
_DROPPED_WITH_CONTENT = {"script", "style", "head", "title", "template", "noscript"}
_QUOTE_OPEN, _QUOTE_CLOSE = "\x02", "\x03"  # blockquote edges, made "> " by _quote_lines
_OPENS = dict.fromkeys(
    ["p", "pre", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6"], "\n\n"
)
_OPENS |= dict.fromkeys(["div", "tr", "hr", "dl", "dt", "dd"], "\n")
_CLOSES = dict(_OPENS, blockquote=f"\n{_QUOTE_CLOSE}\n")
_OPENS |= {"br": "\n", "li": "\n- ", "td": " ", "th": " ", "blockquote": f"\n{_QUOTE_OPEN}\n"}
# html5ever's work grows with nesting depth times tags: 20,000 nested divs take over a second.
MAX_HTML_CHARS, MAX_HTML_TAGS, MAX_QUOTE_DEPTH = 1_000_000, 10_000, 10


class _TextMaker(HTMLParser):
    """Sanitised HTML to text: paragraphs, line breaks, list items, blockquotes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.in_pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.pieces.append(_OPENS.get(tag, ""))
        self.in_pre += tag == "pre"

    def handle_endtag(self, tag: str) -> None:
        self.pieces.append(_CLOSES.get(tag, ""))
        self.in_pre -= tag == "pre" and self.in_pre > 0

    def handle_data(self, data: str) -> None:
        data = _CONTROL.sub("", data) if self.in_pre else _LINE_CONTROL.sub(" ", data)
        self.pieces.append(data if self.in_pre else re.sub(r"\s+", " ", data))


def _quote_lines(text: str) -> str:
    depth, lines = 0, list[str]()
    for raw_line in text.split("\n"):
        line = raw_line.strip()
        if line in (_QUOTE_OPEN, _QUOTE_CLOSE):
            depth = max(0, depth + (1 if line == _QUOTE_OPEN else -1))
            continue
        line = f"{'> ' * min(depth, MAX_QUOTE_DEPTH)}{line}".rstrip()
        if line.strip("> ") or (lines and lines[-1].strip("> ")):
            lines.append(line)  # at most one blank (or blank quoted) line in a row
    return "\n".join(lines).strip("\n")


def cap_html(html: str) -> tuple[str, bool]:
    """HTML cut to a size and tag count that nh3 handles quickly; True when it was cut."""
    pieces = html[:MAX_HTML_CHARS].split("<", MAX_HTML_TAGS)
    capped = "<".join(pieces[:MAX_HTML_TAGS])
    return capped, len(capped) < len(html)


def html_to_text(html: str) -> str:
    """Readable text of an HTML body (cap it first), sanitised by nh3; entities decoded."""
    safe = nh3.clean(
        html,
        tags=_KEPT_TAGS,
        clean_content_tags=_DROPPED_WITH_CONTENT,
        attributes={},
        link_rel=None,
        strip_comments=True,
    )
    maker = _TextMaker()
    maker.feed(safe)
    maker.close()
    return _quote_lines("".join(maker.pieces))


# Where quoted history, a forwarded original or a signature begins; the first one wins.
# An attribution may wrap over two lines, so it is also tried on a line joined with the next.
_ATTRIBUTIONS = (
    re.compile(r"On\b.{0,250}\bwrote\s*:", re.I),
    re.compile(r"Op\b.{0,250}\bschreef\b.{0,250}:", re.I),
    re.compile(r"Op\b.{0,250}\bheeft\b.{0,250}\bhet volgende geschreven\s*:", re.I),
    re.compile(r"Am\b.{0,250}\bschrieb\b.{0,250}:", re.I),
)
_DEVICE = r"(?:my|mijn|outlook|mail|yahoo|samsung)\b.{0,40}"  # "Sent from my iPhone" and kin
_SEPARATORS = (
    re.compile(
        r"-{3,}\s*(?:original message|oorspronkelijk bericht|origineel bericht)\s*-{3,}", re.I
    ),
    re.compile(r"-{3,}\s*(?:forwarded message|doorgestuurd bericht)\s*-{3,}", re.I),
    re.compile(r"(?:begin forwarded message|begin doorgestuurd bericht)\s*:", re.I),
    re.compile(r"_{20,}"),  # Outlook's line above the quoted original
    re.compile(r"--"),  # RFC 3676 section 4.3: the signature separator "-- "
    re.compile(rf"(?:sent from|(?:verzonden|verstuurd) (?:vanaf|vanuit|met)) {_DEVICE}", re.I),
    re.compile(r"(?:get outlook for|outlook voor) (?:ios|android)\b.{0,20}", re.I),
)
_OUTLOOK_FROM = re.compile(r"\*?(?:from|van)\s*:", re.I)
_OUTLOOK_SENT = re.compile(r"\*?(?:sent|verzonden|date|datum)\s*:", re.I)
_LONGEST_MARKER = 600


def _last_own_line(lines: list[str]) -> int:
    """Index of the sender's last unquoted line before any separator; a later "> " block ends
    the message, an earlier one is answered inline and stays in the new text."""
    last = -1
    for index, raw_line in enumerate(lines):
        line = raw_line.strip()
        if len(line) < _LONGEST_MARKER and any(p.fullmatch(line) for p in _SEPARATORS):
            break
        if line and not line.startswith(">"):
            last = index
    return last


def _is_marker(lines: list[str], index: int, last_own: int) -> bool:
    line = lines[index].strip()
    if len(line) > _LONGEST_MARKER:
        return False
    if line.startswith(">"):
        return index > last_own
    if any(p.fullmatch(line) for p in _SEPARATORS):
        return True
    if _OUTLOOK_FROM.match(line):
        return any(_OUTLOOK_SENT.match(after.strip()) for after in lines[index + 1 : index + 4])
    after = lines[index + 1].strip() if index + 1 < len(lines) else ""
    joined = f"{line} {after}" if len(after) < _LONGEST_MARKER else line
    return any(p.fullmatch(line) or p.fullmatch(joined) for p in _ATTRIBUTIONS)


def split_quoted(text: str) -> tuple[str, str]:
    """(what the sender wrote now, the quoted history or signature after it); never empty."""
    lines = text.split("\n")
    last_own = _last_own_line(lines)
    for index in range(len(lines)):
        if _is_marker(lines, index, last_own):
            new_text = "\n".join(lines[:index]).rstrip()
            if not new_text.strip():
                return text, ""
            return new_text.strip("\n"), "\n".join(lines[index:]).strip("\n")
    return text, ""


_FILENAME_FORBIDDEN = re.compile(r'[<>:"|?*]')
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
FILENAME_CHARS = 120


def safe_filename(name: str | None, number: int) -> str:
    """A file name safe to store and show: no path parts, no control or bidi characters."""
    name = re.split(r"[/\\]", unescape(name or ""))[-1]
    name = "".join(char for char in name if unicodedata.category(char) not in _INVISIBLE)
    name = " ".join(_FILENAME_FORBIDDEN.sub("_", name).split()).strip(" .")
    if len(name) > FILENAME_CHARS:
        stem, dot, extension = name.rpartition(".")
        keep = FILENAME_CHARS - len(extension) - 1
        name = f"{stem[:keep]}.{extension}" if dot and 0 < len(extension) <= 10 else name
        name = name[:FILENAME_CHARS].strip(" .")
    return name or f"attachment-{number}.bin"

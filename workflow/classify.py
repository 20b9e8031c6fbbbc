"""Guess from a client's mail its kind, gender wish, language, organisation, counterpart, risk."""

from __future__ import annotations

import math
import operator
import re
import string
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from workflow import classify_words as w

T = TypeVar("T")

SUBJECT_FACTOR = 0.8  # the subject counts, a little less than the body
REPLY_SUBJECT_FACTOR = 0.3  # "Re:"/"Fwd:" subjects mostly echo someone else's words
MIN_WORDS = 3  # one or two words say too little to route on
MIN_SCORE = 2.0  # below this no kind is more than a hunch: "unknown"
CONFLICT_SEPARATION = 0.25  # two kinds this close: do not pick one
EVIDENCE_SCALE = 2.5  # one strong rule (3.0) gives evidence 0.7, two give 0.9
STRONG = 3.0  # a kind this strong absorbs the weaker kinds in DOMINANCE
REPEAT_BONUS = 0.5  # each repeat of a rule adds half its weight, at most twice
NOISE_THRESHOLD = 4.0  # a list word and a link, or four links: a newsletter
NEGATION_WINDOW = 4  # words before a match that can negate it
SHORT_WORD = 4  # first words this short are common: found by regex, not str.find
LANGUAGE_WORDS = 2_000  # plenty to tell Dutch from English
NO_WISH_CONFIDENCE = 0.7  # the client stated no wish; routing may pick anyone
# What the mail is about is read from its first pages (about four): the client's own words
# come first, and what follows is pasted letters or signatures whose keywords mislead.
# Safety, newsletter signs and language read all of it. This also bounds the time per mail.
READ_LIMIT = 8_000
# Schema B applies when harassment is told inside a complaint ("klacht" is said of both),
# and a complaint or report often ends with a question: the stronger kind absorbs the other.
DOMINANCE = (("conduct", "complaint", 0.4), ("conduct", "question", 0.3), ("complaint", "question", 0.5))  # fmt: skip  # noqa: E501


@dataclass(frozen=True)
class Guess(Generic[T]):
    """A value, a confidence in 0..1, and the names of the rules behind it (never client text)."""

    value: T
    confidence: float
    reason: str


@dataclass(frozen=True)
class Classification:
    """What the intake can route on; a coordinator triages whatever is not sure."""

    kind: Guess[str]
    preferred_gender: Guess[str]
    language: Guess[str]
    organisation_slug: Guess[str | None]
    counterpart_name: str | None
    counterpart_role: str | None
    wants_anonymity: bool
    is_urgent: bool
    safety_reasons: tuple[str, ...]

    def is_sure(self, threshold: float = 0.6) -> bool:
        kind, gender = self.kind, self.preferred_gender
        return kind.value != "unknown" and min(kind.confidence, gender.confidence) >= threshold


@dataclass(frozen=True)
class _Text:
    original: str  # quoted lines removed; as long as folded, so a match there marks a name here
    folded: str
    words: list[str]
    prefixes: frozenset[str]


@dataclass(frozen=True)
class _Hit:
    name: str
    weight: float
    start: int
    end: int
    is_negated: bool

    @property
    def label(self) -> str:
        return self.name.partition(":")[0]


_WORD = re.compile(r"\w+")
_SPACES = str.maketrans({c: " " for c in string.punctuation})
_QUOTED = re.compile(r"^[ \t]*>.*(?:\n|$)", re.MULTILINE)
_HAS_QUOTE = re.compile(r"\n[ \t]*>")
_ACCENTED = re.compile("[\u00e0-\u017f\u2010-\u2027\u00ab\u00bb]")
_FOLD = {
    chr(c): base
    for c in range(0xE0, 0x180)
    if (base := unicodedata.normalize("NFD", chr(c))[0]).isascii() and base.isalpha()
} | dict(
    zip(
        "\u2010\u2011\u2012\u2013\u2014\u2015\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2022\u2026\u00ab\u00bb",
        '------\'\'\'\'""""*.""',
        strict=True,
    )
)
_REPLY_PREFIX = re.compile(
    r"^\s*(?:(?:re|fw|fwd|aw|antw|doorst|wg|tr)\s*(?:\[\d+\])?\s*:\s*)+", re.I
)
_PATTERN_PART = re.compile(
    r"\\s\+|\\s[*?]|\\s(?!\{)|\\.|\[(?:\\.|[^\]])*\]|\(\?[:!=<]*|\{\d*,?\d*\}|[a-z0-9]+|."
)
_QUANTIFIERS = ("?", "*", "+")
_FIRST_3, _FIRST_5 = operator.itemgetter(slice(0, 3)), operator.itemgetter(slice(0, 5))
_WORD_BREAKS = ("", "\\s+", "\\s", " ", "'")
_NEGATOR = re.compile(r"(?<!\w)" + w.NEGATORS + r"(?!\w)")
_CLAUSE_WORDS = w.CLAUSE_WORDS | {"dat", "that"}
# For a gender, "ik wil niet dat een man ..." is a negated wish: "dat" does not end the clause.
_GENDER_CLAUSE_WORDS = w.CLAUSE_WORDS
_GENDER_CLAUSE = re.compile(r"[.,;!?()\n]|\b(?:maar|but|omdat|because|en|and|die|who|which)\b")
_SENTENCE_END = re.compile(r"[.!?\n]|\b(?:maar|but)\b")
_WISH = re.compile(w.WISH)
_UPPER = "A-ZÀ-ÖØ-Þ"
_PARTICLE = r"(?:van|de|der|den|ter|ten|te|het|in|op|'t)"
_NAME = (
    rf"(?:(?:Van|De|Den|Der|Ter|Ten|Te)[ \t]+(?:{_PARTICLE}[ \t]+)?)?[{_UPPER}][\w'-]+"
    rf"(?:[ \t]+(?:{_PARTICLE}[ \t]+)*[{_UPPER}][\w'-]+){{0,3}}"
)
_NAME_AFTER = re.compile(rf"(?:[ \t]*,[ \t]*|[ \t]+)({_NAME})")
_NAME_BEFORE = re.compile(rf"({_NAME})[ \t]*\([ \t]*(?:[\w']+[ \t]+)?$")
_PARTICLES = frozenset(("van", "de", "der", "den", "ter", "ten", "te", "het", "in", "op", "'t"))


class _Table:
    """A rule table compiled at import; a mail runs only the rules whose words it contains."""

    def __init__(
        self, rules: Iterable[w.Rule], limit: int = 3, clause: frozenset[str] = _CLAUSE_WORDS
    ) -> None:
        self.rules = tuple(rules)
        self.patterns = tuple(re.compile(rule.pattern) for rule in self.rules)
        # A rule that spells a negation itself ("niet geholpen") is not negated again.
        self.negatable = tuple(_NEGATOR.search(rule.pattern) is None for rule in self.rules)
        self.required = tuple(frozenset(_required_words(rule.pattern)) for rule in self.rules)
        groups: dict[str, dict[str, list[int]]] = {}
        for number, rule in enumerate(self.rules):
            key, literal = _required_words(rule.pattern)[0], _leading_literal(rule.pattern)
            groups.setdefault(key, {}).setdefault(literal, []).append(number)
        self.index = {
            key: tuple((literal, tuple(numbers)) for literal, numbers in by_literal.items())
            for key, by_literal in groups.items()
        }
        self.keys = frozenset(self.index)
        # Short first words ("ik", "met") are everywhere: one regex of the group's rules finds
        # the few places where any of them matches. A long one is rare: str.find is faster.
        self.finders = {
            literal: re.compile("|".join(f"(?:{self.rules[n].pattern})" for n in numbers))
            for by_literal in groups.values()
            for literal, numbers in by_literal.items()
            if len(literal) <= SHORT_WORD
        }
        self.limit = limit  # hits a rule needs at most; more only cost time
        self.clause = clause

    def scan(self, text: _Text) -> list[_Hit]:
        """Only rules whose words all start a word of the text run: a few per mail, not all."""
        prefixes, hits = text.prefixes, []
        for key in self.keys & prefixes:
            for literal, numbers in self.index[key]:
                active = [number for number in numbers if self.required[number] <= prefixes]
                if active:
                    hits += self._hits(literal, active, text.folded)
        return sorted(hits, key=lambda hit: (hit.start, hit.name))

    def _hits(self, literal: str, numbers: list[int], folded: str) -> list[_Hit]:
        """Find the rules' shared first word once, then try each rule where it starts a word."""
        left, hits = dict.fromkeys(numbers, self.limit), []
        for at in self._starts(literal, folded):
            if at and folded[at - 1].isalnum():
                continue
            for number in tuple(left):
                if match := self.patterns[number].match(folded, at):
                    rule, is_negated = self.rules[number], self.negatable[number]
                    is_negated = is_negated and self._negates(match)
                    hits.append(_Hit(rule.name, rule.weight, at, match.end(), is_negated))
                    left[number] -= 1
                    if not left[number]:
                        del left[number]
            if not left:
                break
        return hits

    def _starts(self, literal: str, folded: str) -> Iterator[int]:
        if literal in self.finders:
            yield from (found.start() for found in self.finders[literal].finditer(folded))
            return
        at = folded.find(literal)
        while at != -1:
            yield at
            at = folded.find(literal, at + 1)

    def _negates(self, match: re.Match[str]) -> bool:
        """A negator in the clause's last words before the match, in it, or just after it."""
        folded, (start, end) = match.string, match.span()
        words = _clause_before(folded, start, self.clause) + match.group().split()
        if any(_is_negator(words, at) for at in range(len(words))):
            return True
        # Dutch puts "niet" after the verb: "hij raakte me niet aan". Not for a gender.
        after = folded[end : end + 24].split()[:2]
        is_gender = self.clause is _GENDER_CLAUSE_WORDS
        return not is_gender and bool(after) and after[0] in ("niet", "nooit")


def _required_words(pattern: str) -> list[str]:
    """The first letters of the literal words a match needs, the anchor at the start first."""
    parts = _PATTERN_PART.findall(pattern)
    required: list[str] = []
    depth, is_word_start = 0, True
    for at, part in enumerate(parts):
        if depth == 0 and is_word_start and part[0].isalnum():
            required += _word_key(part, parts[at + 1] if at + 1 < len(parts) else "")
        if part == "|" and depth == 0:
            raise ValueError(f"split a rule with a top-level | into rules: {pattern!r}")
        depth += part.startswith("(") - (part == ")")
        if part in _QUANTIFIERS or part.startswith("{"):
            continue  # "(?:goed\\s+)?geholpen": a word still starts after the group
        is_word_start = part in _WORD_BREAKS or (part == ")" and parts[at - 1] in _WORD_BREAKS)
    if not (parts and parts[0][0].isalnum() and required):
        raise ValueError(f"a rule pattern must start with a literal word: {pattern!r}")
    return required


def _leading_literal(pattern: str) -> str:
    parts = _PATTERN_PART.findall(pattern)
    is_optional = len(parts) > 1 and parts[1][:1] in ("?", "*", "{")
    return parts[0][:-1] if is_optional else parts[0]


def _word_key(run: str, following: str) -> list[str]:
    """A whole short word ("ik", "niet") or the first five or three letters of a longer one."""
    if following[:1] in ("?", "*", "{"):
        run = run[:-1]  # the last letter is optional
    if len(run) >= 5:
        return [run[:5]]
    if following in _WORD_BREAKS:
        return [run] if run else []
    return [run[:3]] if len(run) >= 3 else []


def _clause_before(folded: str, start: int, clause: frozenset[str]) -> list[str]:
    """The last words before start, back to a clause word ("maar") or punctuation."""
    words: list[str] = []
    for word in reversed(folded[max(0, start - 50) : start].split()):
        if word in clause or not (word[-1].isalnum() or word[-1] == "'"):
            break
        words.append(word)
        if len(words) == NEGATION_WINDOW:
            break
    return words[::-1]


def _is_negator(words: list[str], at: int) -> bool:
    """ "niet", "didn't"; but "niet alleen" / "not only" does not negate."""
    word = words[at]
    if word not in w.NEGATOR_WORDS and not word.endswith("n't"):
        return False
    return at + 1 == len(words) or words[at + 1] not in ("alleen", "only", "just")


_KIND = _Table(w.KIND)
_GENDER_TERMS = _Table(w.GENDER_TERMS, clause=_GENDER_CLAUSE_WORDS)
_GENDER_NOUNS = _Table(w.GENDER_NOUNS, clause=_GENDER_CLAUSE_WORDS)
_INDIFFERENT = _Table(w.INDIFFERENT)
_INDIFFERENT_IF_GENDER = _Table(w.INDIFFERENT_IF_GENDER)
_SELF = _Table(w.SELF_DESCRIPTION)
_ANONYMITY = _Table(w.ANONYMITY)
_SAFETY = _Table(w.SAFETY, limit=1)
_IDIOMS = _Table(w.IDIOMS)
_NOISE = _Table(w.NOISE, limit=4)
_ROLES = _Table(w.ROLES, limit=5)
RULE_NAMES = frozenset(
    rule.name
    for table in (w.KIND, w.GENDER_TERMS, w.GENDER_NOUNS, w.INDIFFERENT, w.INDIFFERENT_IF_GENDER)
    + (w.ANONYMITY, w.SAFETY, w.NOISE)
    for rule in table
)


def classify(
    new_text: str, subject: str, organisations: Sequence[tuple[str, str]] = ()
) -> Classification:
    """Guess everything routing needs from what the client wrote now and the subject."""
    is_reply = _REPLY_PREFIX.match(subject) is not None
    body, topic = _prepare(new_text), _prepare(_REPLY_PREFIX.sub("", subject, count=1))
    head = _head(body)
    noise = sum(hit.weight for hit in _NOISE.scan(body))
    factor = REPLY_SUBJECT_FACTOR if is_reply else SUBJECT_FACTOR
    safety = tuple(dict.fromkeys(name for text in (body, topic) for name in _safety(text)))
    name, role = _counterpart(head)
    return Classification(
        kind=_guess_kind(head, topic, factor, noise),
        preferred_gender=_guess_gender((head, topic)),
        language=_guess_language(topic.words + body.words[:LANGUAGE_WORDS]),
        organisation_slug=_guess_organisation((head, topic), organisations),
        counterpart_name=name,
        counterpart_role=role,
        wants_anonymity=any(
            not hit.is_negated for text in (head, topic) for hit in _ANONYMITY.scan(text)
        ),
        is_urgent=bool(safety),
        safety_reasons=safety,
    )


def _prepare(raw: str) -> _Text:
    # NFC, and İ (the one letter whose lower() grows), so that folded keeps original's length.
    text = unicodedata.normalize("NFC", raw.replace("\u0130", "I"))
    if text.lstrip(" \t").startswith(">") or _HAS_QUOTE.search(text):
        text = _QUOTED.sub("", text)
    folded = _fold(text)
    # str.translate is ten times faster than a regex for ASCII; other letters become "?".
    words = folded.encode("ascii", "replace").decode("ascii").translate(_SPACES).split()
    unique = set(words)
    return _Text(text, folded, words, frozenset(map(_FIRST_3, unique)).union(map(_FIRST_5, unique)))


def _head(text: _Text) -> _Text:
    """The first READ_LIMIT characters; the whole text's words still gate the rules."""
    if len(text.folded) <= READ_LIMIT:
        return text
    head = text.original[:READ_LIMIT], text.folded[:READ_LIMIT]
    return _Text(head[0], head[1], text.words, text.prefixes)


def _fold(text: str) -> str:
    """Lower case without accents, one letter for one letter ("coördinator" -> "coordinator")."""
    folded = text.lower()
    if folded.isascii():
        return folded
    return _ACCENTED.sub(lambda found: _FOLD.get(found.group(), found.group()), folded)


def _guess_kind(body: _Text, topic: _Text, factor: float, noise: float) -> Guess[str]:
    if noise >= NOISE_THRESHOLD:
        return Guess("unknown", 0.1, "kind:newsletter")
    if len(body.words) + len(topic.words) < MIN_WORDS:
        return Guess("unknown", 0.1, "kind:too-short")
    scores: dict[str, float] = {}
    names: dict[str, set[str]] = {}
    for text, weight in ((body, 1.0), (topic, factor)):
        hits = _strongest(hit for hit in _KIND.scan(text) if not hit.is_negated)
        counts = Counter((hit.name, hit.label, hit.weight) for hit in hits)
        for (name, label, rule_weight), count in counts.items():
            repeated = 1 + REPEAT_BONUS * (min(count, 3) - 1)
            scores[label] = scores.get(label, 0.0) + rule_weight * repeated * weight
            names.setdefault(label, set()).add(name)
    return _decide_kind(scores, names)


def _strongest(hits: Iterable[_Hit]) -> list[_Hit]:
    """Of overlapping hits of one label ("slecht" in "slecht geholpen") keep the heaviest."""
    current: dict[str, _Hit] = {}
    kept: list[_Hit] = []
    for hit in sorted(hits, key=lambda hit: hit.start):
        previous = current.get(hit.label)
        if previous is not None and hit.start < previous.end:
            if hit.weight > previous.weight:
                current[hit.label] = hit
            continue
        if previous is not None:
            kept.append(previous)
        current[hit.label] = hit
    return kept + list(current.values())


def _decide_kind(scores: dict[str, float], names: dict[str, set[str]]) -> Guess[str]:
    for winner, loser, factor in DOMINANCE:
        if scores.get(winner, 0.0) >= STRONG and loser in scores:
            scores[loser] *= factor
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    evidence = ", ".join(sorted(name for label, _ in ranked for name in names[label]))
    if not ranked or ranked[0][1] < MIN_SCORE:
        return Guess("unknown", 0.2, f"kind:no-signal; {evidence}".rstrip("; "))
    kind, top = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    separation = (top - second) / top
    if separation < CONFLICT_SEPARATION:
        return Guess("unknown", 0.3, f"kind:conflict; {evidence}")
    confidence = (1 - math.exp(-top / EVIDENCE_SCALE)) * (0.5 + 0.5 * separation)
    return Guess(kind, round(confidence, 2), evidence)


def _guess_gender(texts: Iterable[_Text]) -> Guess[str]:
    scores: dict[str, float] = {}
    names: set[str] = set()
    hints = 0
    for text in texts:
        neutral = _indifference(text)
        masked = [_span_to_sentence_end(text.folded, hit) for hit in neutral]
        masked += [(hit.start, hit.end) for hit in _SELF.scan(text)]
        scores["none"] = scores.get("none", 0.0) + sum(hit.weight for hit in neutral)
        names.update(hit.name for hit in neutral)
        for hit in _gender_mentions(text):
            if any(start < hit.end and hit.start < end for start, end in masked):
                continue
            if not _WISH.search(_wish_clause(text.folded, hit)):
                hints += hit.name.split(":")[1].startswith("term")
                continue
            label = _wished_gender(text.folded, hit)
            scores[label] = scores.get(label, 0.0) + hit.weight
            names.add(hit.name if label == hit.label else f"{hit.name}(negated)")
    return _decide_gender(scores, names, hints)


def _indifference(text: _Text) -> list[_Hit]:
    """ "Geen voorkeur" always; "het maakt niet uit" only in a sentence about gender."""
    hits = _INDIFFERENT.scan(text)
    for hit in _INDIFFERENT_IF_GENDER.scan(text):
        start, end = _span_to_sentence_end(text.folded, hit)
        if w.GENDER_CONTEXT.intersection(_WORD.findall(text.folded[max(0, start - 200) : end])):
            hits.append(hit)
    return hits


def _span_to_sentence_end(folded: str, hit: _Hit) -> tuple[int, int]:
    found = _SENTENCE_END.search(folded, hit.end, hit.end + 300)
    return hit.start, found.start() if found else len(folded)


def _gender_mentions(text: _Text) -> list[_Hit]:
    """Adjectives count as they are; "vrouw"/"man" only after an article ("mijn vrouw" not)."""
    nouns = [hit for hit in _GENDER_NOUNS.scan(text) if _follows_article(text.folded, hit.start)]
    return _GENDER_TERMS.scan(text) + nouns


def _follows_article(folded: str, start: int) -> bool:
    before = folded[max(0, start - 20) : start].rstrip()
    words = before.split()
    return before.endswith(":") or bool(words and words[-1] in w.GENDER_ARTICLES)


def _wish_clause(folded: str, hit: _Hit) -> str:
    before = _GENDER_CLAUSE.split(folded[max(0, hit.start - 80) : hit.start])[-1]
    after = _GENDER_CLAUSE.split(folded[hit.end : hit.end + 80], maxsplit=1)[0]
    return f"{before} {after}"


def _wished_gender(folded: str, hit: _Hit) -> str:
    """ "Geen man", "niet met een man", "liever een vrouw dan een man": the other one."""
    before = folded[max(0, hit.start - 20) : hit.start].split()[-3:]
    is_rejected = hit.is_negated or "dan" in before or "than" in before
    if not is_rejected:
        return hit.label
    return "female" if hit.label == "male" else "male"


def _decide_gender(scores: dict[str, float], names: set[str], hints: int) -> Guess[str]:
    ranked = sorted(((score, label) for label, score in scores.items() if score), reverse=True)
    if not ranked:  # a gender word without a wish ("de coördinator was een vrouw") or nothing
        if hints:
            return Guess("none", 0.45, "gender:mention-without-wish")
        return Guess("none", NO_WISH_CONFIDENCE, "gender:no-wish")
    top, label = ranked[0]
    second = ranked[1][0] if len(ranked) > 1 else 0.0
    separation = (top - second) / top
    evidence = ", ".join(sorted(names))
    if separation < 0.4:
        return Guess("none", 0.3, f"gender:conflict; {evidence}")
    return Guess(label, round(0.55 + 0.35 * separation, 2), evidence)


def _guess_language(words: list[str]) -> Guess[str]:
    dutch = sum(map(w.NL_STOPWORDS.__contains__, words))
    english = sum(map(w.EN_STOPWORDS.__contains__, words))
    total = dutch + english
    if not total:
        return Guess("nl", 0.5, "language:no-stopwords")
    value = "en" if english > dutch else "nl"
    margin = abs(dutch - english) / total
    confidence = 0.5 + 0.5 * margin * (1 - math.exp(-total / 4))
    return Guess(value, round(confidence, 2), f"language:stopwords-{value}")


def _guess_organisation(
    texts: Sequence[_Text], organisations: Sequence[tuple[str, str]]
) -> Guess[str | None]:
    """The one organisation named by name or slug; a short name inside a longer one yields."""
    found: dict[str, tuple[str, float]] = {}
    for slug, name in organisations:
        needles = [n for n in (_fold(name).strip(), slug.lower(), slug.lower().replace("-", " "))
                   if len(n) >= 3]  # fmt: skip
        for needle in needles:
            first = _WORD.match(needle)
            if not first or not any(first.group()[:5] in text.prefixes for text in texts):
                continue  # not even the first word is there: skip the search
            if any(_has_phrase(text.folded, needle) for text in texts):
                found[slug] = (needle, 0.9 if len(needle) >= 5 else 0.5)
                break
    needles = [needle for needle, _ in found.values()]
    slugs = [s for s, (n, _) in found.items() if not any(n != o and n in o for o in needles)]
    if len(slugs) == 1:
        return Guess(slugs[0], found[slugs[0]][1], "organisation:named")
    reason = "organisation:ambiguous" if slugs else "organisation:not-mentioned"
    return Guess(None, 0.0, reason)


def _has_phrase(haystack: str, needle: str) -> bool:
    at = haystack.find(needle)
    while at != -1:
        end = at + len(needle)
        is_word_before = at > 0 and haystack[at - 1].isalnum()
        if not is_word_before and (end == len(haystack) or not haystack[end].isalnum()):
            return True
        at = haystack.find(needle, at + 1)
    return False


def _safety(text: _Text) -> list[str]:
    idioms = [(hit.start, hit.end) for hit in _IDIOMS.scan(text)]
    return [
        hit.name
        for hit in _SAFETY.scan(text)
        if not hit.is_negated and not any(s < hit.end and hit.start < e for s, e in idioms)
    ]


def _counterpart(text: _Text) -> tuple[str | None, str | None]:
    """The first role with a name ("mijn begeleider Johan de Vries", "Johan (mijn begeleider)")."""
    named_role = None
    for hit in _ROLES.scan(text):
        role = " ".join(text.original[hit.start : hit.end].lower().split())
        name = _name_after(text.original, hit.end) or _name_before(text.original, hit.start)
        if name:
            return name, role
        previous = text.folded[max(0, hit.start - 12) : hit.start].split()[-1:]
        if named_role is None and previous and previous[0] in w.POSSESSIVES:
            named_role = role
    return None, named_role


def _name_after(original: str, end: int) -> str | None:
    found = _NAME_AFTER.match(original, end)
    return _clean_name(found.group(1).split(), from_left=False) if found else None


def _name_before(original: str, start: int) -> str | None:
    if "(" not in original[max(0, start - 16) : start]:
        return None
    found = _NAME_BEFORE.search(original, max(0, start - 80), start)
    return _clean_name(found.group(1).split(), from_left=True) if found else None


def _clean_name(tokens: list[str], *, from_left: bool) -> str | None:
    """Cut at words that are not names ("Hij", "The"); keep "De Vries" whole."""
    stops = [at for at, token in enumerate(tokens) if _is_stop(tokens, at)]
    if stops:
        tokens = tokens[stops[-1] + 1 :] if from_left else tokens[: stops[0]]
    while tokens and tokens[-1].lower() in _PARTICLES:
        tokens.pop()
    return " ".join(tokens) or None


def _is_stop(tokens: list[str], at: int) -> bool:
    word = tokens[at].lower()
    starts_surname = word in _PARTICLES and at + 1 < len(tokens) and tokens[at + 1][0].isupper()
    return word in w.NAME_STOPS and not starts_surname

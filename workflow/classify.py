"""Guess from a client's mail its kind, gender wish, language, organisation, counterpart, risk."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from workflow import classify_words as w
from workflow.classify_words import Hit, Table, Text

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
NO_WISH_CONFIDENCE = 0.7  # the client stated no wish, which is an answer too
LANGUAGE_WORDS = 2_000  # plenty to tell Dutch from English
# What the mail is about is read from its first pages (about four): the client's own words
# come first, and what follows is pasted letters or signatures whose keywords mislead.
# Safety, newsletter signs and language read all of it. This also bounds the time per mail.
READ_LIMIT = 8_000
# Schema B applies to harassment told inside a complaint ("klacht" is said of both), and a
# complaint or a report often ends with a question: the stronger kind absorbs the weaker.
DOMINANCE = (
    ("conduct", "complaint", 0.25),
    ("conduct", "question", 0.3),
    ("complaint", "question", 0.5),
)


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


_KIND = Table(w.KIND)
_GENDER_TERMS = Table(w.GENDER_TERMS, is_gender=True)
_GENDER_NOUNS = Table(w.GENDER_NOUNS, is_gender=True)
_INDIFFERENT = Table(w.INDIFFERENT)
_INDIFFERENT_IF_GENDER = Table(w.INDIFFERENT_IF_GENDER)
_SELF = Table(w.SELF_DESCRIPTION)
_ANONYMITY = Table(w.ANONYMITY)
_SAFETY = Table(w.SAFETY, limit=1)
_IDIOMS = Table(w.IDIOMS)
_NOISE = Table(w.NOISE, limit=4)
_ROLES = Table(w.ROLES, limit=5)
_REASON_TABLES = (w.KIND, w.GENDER_TERMS, w.GENDER_NOUNS, w.INDIFFERENT, w.INDIFFERENT_IF_GENDER)
RULE_NAMES = frozenset(rule.name for table in (*_REASON_TABLES, w.SAFETY) for rule in table)

_REPLY_PREFIX = re.compile(
    r"^\s*(?:(?:re|fw|fwd|aw|antw|doorst|wg|tr)\s*(?:\[\d+\])?\s*:\s*)+", re.I
)
_WORD = re.compile(r"\w+")
_WISH = re.compile(w.WISH)
_WISH_CLAUSE = re.compile(r"[.,;!?()\n]|\b(?:maar|but|omdat|because|en|and|die|who|which)\b")
_SENTENCE_END = re.compile(r"[.!?\n]|\b(?:maar|but)\b")
_UPPER = "A-ZÀ-ÖØ-Þ"
_PARTICLE = r"(?:van|de|der|den|ter|ten|te|het|in|op|'t)"
_NAME = (
    rf"(?:(?:Van|De|Den|Der|Ter|Ten|Te)[ \t]+(?:{_PARTICLE}[ \t]+)?)?[{_UPPER}][\w'-]+"
    rf"(?:[ \t]+(?:{_PARTICLE}[ \t]+)*[{_UPPER}][\w'-]+){{0,3}}"
)
_HONORIFIC = r"(?i:(?:mevrouw|meneer|mevr\.?|mw\.?|dhr\.?|de\s+heer|mrs?\.?|ms\.?|miss)[ \t]+)"
_NAME_AFTER = re.compile(rf"(?:[ \t]*,[ \t]*|[ \t]+){_HONORIFIC}?({_NAME})")
_NAME_BEFORE = re.compile(rf"({_NAME})[ \t]*\([ \t]*(?:[\w']+[ \t]+)?$")
_PARTICLES = w.words("van de der den ter ten te het in op 't")


def classify(
    new_text: str, subject: str, organisations: Sequence[tuple[str, str]] = ()
) -> Classification:
    """Guess everything routing needs from what the client wrote now and the subject."""
    is_reply = _REPLY_PREFIX.match(subject) is not None
    body, topic = w.prepare(new_text), w.prepare(_REPLY_PREFIX.sub("", subject, count=1))
    head = body.head(READ_LIMIT)
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


def _guess_kind(body: Text, topic: Text, factor: float, noise: float) -> Guess[str]:
    if noise >= NOISE_THRESHOLD:
        return Guess("unknown", 0.1, "kind:newsletter")
    if len(body.words) + len(topic.words) < MIN_WORDS:
        return Guess("unknown", 0.1, "kind:too-short")
    scores: dict[str, float] = {}
    names: dict[str, set[str]] = {}
    for text, weight in ((body, 1.0), (topic, factor)):
        hits = _strongest(hit for hit in _KIND.scan(text) if not hit.is_negated)
        for (name, label, rule_weight), count in Counter(
            (hit.name, hit.label, hit.weight) for hit in hits
        ).items():
            repeated = 1 + REPEAT_BONUS * (min(count, 3) - 1)
            scores[label] = scores.get(label, 0.0) + rule_weight * repeated * weight
            names.setdefault(label, set()).add(name)
    return _decide_kind(scores, names)


def _strongest(hits: Iterable[Hit]) -> list[Hit]:
    """Of overlapping hits of one label ("slecht" in "slecht geholpen") keep the heaviest."""
    current: dict[str, Hit] = {}
    kept: list[Hit] = []
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
    """The best kind, sure as far as the evidence is strong and the runner-up far behind."""
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


def _guess_gender(texts: Iterable[Text]) -> Guess[str]:
    """A wish is a gender word in a clause that wishes ("liever een vrouw"); never a pronoun."""
    scores: dict[str, float] = {}
    names: set[str] = set()
    hints = 0
    for text in texts:
        neutral = _indifference(text)
        masked = [_sentence_of(text.folded, hit) for hit in neutral]
        masked += [(hit.start, hit.end) for hit in _SELF.scan(text)]
        scores["none"] = scores.get("none", 0.0) + sum(hit.weight for hit in neutral)
        names.update(hit.name for hit in neutral)
        for hit in _gender_mentions(text):
            if any(start < hit.end and hit.start < end for start, end in masked):
                continue
            if not _WISH.search(_wish_clause(text.folded, hit)):
                hints += ":term" in hit.name  # "vrouwelijke vertrouwenspersoon", no wish word
                continue
            label = _wished_gender(text.folded, hit)
            scores[label] = scores.get(label, 0.0) + hit.weight
            names.add(hit.name if label == hit.label else f"{hit.name} (negated)")
    return _decide_gender(scores, names, hints)


def _indifference(text: Text) -> list[Hit]:
    """ "Geen voorkeur" always; "het maakt niet uit" only in a sentence about gender."""
    hits = [hit for hit in _INDIFFERENT.scan(text) if not hit.is_negated]
    for hit in _INDIFFERENT_IF_GENDER.scan(text):
        start, end = _sentence_of(text.folded, hit)
        if w.GENDER_CONTEXT.intersection(_WORD.findall(text.folded[start:end])):
            hits.append(hit)
    return hits


def _sentence_of(folded: str, hit: Hit) -> tuple[int, int]:
    """The sentence around a hit, up to a "maar" ("geen voorkeur, maar liever een vrouw")."""
    start = max(folded.rfind(mark, max(0, hit.start - 300), hit.start) for mark in ".!?\n") + 1
    found = _SENTENCE_END.search(folded, hit.end, hit.end + 300)
    return start, found.start() if found else min(len(folded), hit.end + 300)


def _gender_mentions(text: Text) -> list[Hit]:
    nouns = [hit for hit in _GENDER_NOUNS.scan(text) if _follows_article(text.folded, hit.start)]
    return _GENDER_TERMS.scan(text) + nouns


def _follows_article(folded: str, start: int) -> bool:
    before = folded[max(0, start - 20) : start].rstrip()
    previous = before.split()[-1:]
    return before.endswith(":") or (bool(previous) and previous[0] in w.GENDER_ARTICLES)


def _wish_clause(folded: str, hit: Hit) -> str:
    before = _WISH_CLAUSE.split(folded[max(0, hit.start - 80) : hit.start])[-1]
    after = _WISH_CLAUSE.split(folded[hit.end : hit.end + 80], maxsplit=1)[0]
    return f"{before} {after}"


def _wished_gender(folded: str, hit: Hit) -> str:
    """ "Geen man", "niet met een man", "liever een vrouw dan een man": the other one."""
    before = folded[max(0, hit.start - 20) : hit.start].split()[-2:]  # "dan een", not "dan wil"
    if hit.is_negated or "dan" in before or "than" in before:
        return "female" if hit.label == "male" else "male"
    return hit.label


def _decide_gender(scores: dict[str, float], names: set[str], hints: int) -> Guess[str]:
    ranked = sorted(((score, label) for label, score in scores.items() if score), reverse=True)
    if not ranked:  # a gender word without a wish ("de coördinator was een vrouw"), or nothing
        if hints:
            return Guess("none", 0.45, "gender:mention-without-wish")
        return Guess("none", NO_WISH_CONFIDENCE, "gender:no-wish")
    top, label = ranked[0]
    second = ranked[1][0] if len(ranked) > 1 else 0.0
    separation = (top - second) / top
    evidence = ", ".join(sorted(names))
    if separation < 0.4:  # "geen voorkeur" and "liever een vrouw": a person should ask
        return Guess("none", 0.3, f"gender:conflict; {evidence}")
    return Guess(label, round(0.55 + 0.35 * separation, 2), evidence)


def _guess_language(found: list[str]) -> Guess[str]:
    dutch = sum(map(w.NL_STOPWORDS.__contains__, found))
    english = sum(map(w.EN_STOPWORDS.__contains__, found))
    total = dutch + english
    if not total:
        return Guess("nl", 0.5, "language:no-stopwords")
    value = "en" if english > dutch else "nl"
    margin = abs(dutch - english) / total
    confidence = 0.5 + 0.5 * margin * (1 - math.exp(-total / 4))
    return Guess(value, round(confidence, 2), f"language:stopwords-{value}")


def _guess_organisation(
    texts: Sequence[Text], organisations: Sequence[tuple[str, str]]
) -> Guess[str | None]:
    """The one organisation named by name or slug; a short name inside a longer one yields."""
    found: dict[str, tuple[str, float]] = {}
    for slug, name in organisations:
        for needle in (w.fold(name).strip(), slug.lower(), slug.lower().replace("-", " ")):
            first = _WORD.search(needle)  # "'s Heeren Loo": its first word is "s"
            if len(needle) < 3 or not first:
                continue
            if any(
                first.group()[:5] in t.prefixes and _has_phrase(t.folded, needle) for t in texts
            ):
                found[slug] = (needle, 0.9 if len(needle) >= 5 else 0.5)
                break
    needles = [needle for needle, _ in found.values()]
    slugs = [s for s, (n, _) in found.items() if not any(n != o and n in o for o in needles)]
    if len(slugs) == 1:
        return Guess(slugs[0], found[slugs[0]][1], "organisation:named")
    return Guess(None, 0.0, "organisation:ambiguous" if slugs else "organisation:not-named")


def _has_phrase(haystack: str, needle: str) -> bool:
    at = haystack.find(needle)
    while at != -1:
        end = at + len(needle)
        is_inside_word = (at > 0 and haystack[at - 1].isalnum()) or (
            end < len(haystack) and haystack[end].isalnum()
        )
        if not is_inside_word:
            return True
        at = haystack.find(needle, at + 1)
    return False


def _safety(text: Text) -> list[str]:
    idioms = [(hit.start, hit.end) for hit in _IDIOMS.scan(text)]
    return [
        hit.name
        for hit in _SAFETY.scan(text)
        if not hit.is_negated and not any(s < hit.end and hit.start < e for s, e in idioms)
    ]


def _counterpart(text: Text) -> tuple[str | None, str | None]:
    """The first role with a name ("mijn begeleider Johan de Vries", "Johan (mijn begeleider)");
    without one, the role of the first "mijn begeleider" / "my caseworker"."""
    possessed_role = None
    for hit in _ROLES.scan(text):
        role = " ".join(text.original[hit.start : hit.end].lower().split())
        name = _name_after(text.original, hit.end) or _name_before(text.original, hit.start)
        if name:
            return name, role
        previous = text.folded[max(0, hit.start - 20) : hit.start].split()[-2:]  # "mijn oude"
        if possessed_role is None and w.POSSESSIVES.intersection(previous):
            possessed_role = role
    return None, possessed_role


def _name_after(original: str, end: int) -> str | None:
    found = _NAME_AFTER.match(original, end)
    return _clean_name(found.group(1).split(), from_left=False) if found else None


def _name_before(original: str, start: int) -> str | None:
    if "(" not in original[max(0, start - 16) : start]:
        return None
    found = _NAME_BEFORE.search(original, max(0, start - 80), start)
    return _clean_name(found.group(1).split(), from_left=True) if found else None


def _clean_name(tokens: list[str], *, from_left: bool) -> str | None:
    """Cut at words that are no name ("Hij", "The"); keep "De Vries" whole."""
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

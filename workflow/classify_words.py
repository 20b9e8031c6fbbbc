"""How the mail classifier finds its words: the rule tables, and the matcher that runs them."""

from __future__ import annotations

import operator
import re
import string
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

# Patterns match lower-cased text with accents folded ("coördinator" -> "coordinator"). Each
# starts with a literal word, its anchor. A rule runs only when every literal word it needs
# starts a word of the mail; its anchor is then found with str.find, not a regex scan, so a
# mail costs what its own words trigger, not the size of the tables. Hence no pattern starts
# with "(", "[" or "\b", and none has a top-level "|" (make it two rules of one name).
# A rule whose pattern spells a negation itself ("niet geholpen") is never negated again; any
# other is marked negated when its clause negates it. Rule names are ours: a reason shows
# only rule names, never the client's words.

NEGATION_WINDOW = 4  # words before a match that can negate it
SHORT_WORD = 4  # first words this short are common: found by regex, not str.find


class Rule(NamedTuple):
    """One named pattern; the part of the name before ":" is the label it votes for."""

    name: str
    weight: float
    pattern: str


def rules(name: str, weight: float, *patterns: str) -> tuple[Rule, ...]:
    return tuple(Rule(name, weight, pattern) for pattern in patterns)


def each(name: str, weight: float, heads: Iterable[str], tail: str) -> tuple[Rule, ...]:
    """One rule per head word, so that every pattern keeps a literal anchor."""
    return tuple(Rule(name, weight, head + tail) for head in heads)


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


@dataclass(frozen=True)
class Text:
    """A text prepared once: as written (for names) and folded (for rules), of equal length."""

    original: str
    folded: str
    words: list[str]
    prefixes: frozenset[str]  # the first 3 and 5 letters of every word: which rules can match

    def head(self, limit: int) -> Text:
        """The first limit characters; the whole text's words still gate the rules."""
        if len(self.folded) <= limit:
            return self
        return Text(self.original[:limit], self.folded[:limit], self.words, self.prefixes)


@dataclass(frozen=True)
class Hit:
    """Where a rule matched, and whether its clause negates it."""

    name: str
    weight: float
    start: int
    end: int
    is_negated: bool

    @property
    def label(self) -> str:
        return self.name.partition(":")[0]


_QUOTED = re.compile(r"^[ \t]*>.*(?:\n|$)", re.MULTILINE)
_HAS_QUOTE = re.compile(r"\n[ \t]*>")
_FOLDABLE = re.compile("[\u00e0-\u017f\u2010-\u2027\u00ab\u00bb]")
_FOLD = {
    letter: base
    for letter in map(chr, range(0xE0, 0x180))
    if (base := unicodedata.normalize("NFD", letter)[0]).isascii() and base.isalpha()
} | dict(zip("\u2010\u2011\u2012\u2013\u2014\u2015\u2018\u2019\u201c\u201d\u2022\u2026\u00ab\u00bb",
             "------''\"\"*.\"\"", strict=True))  # fmt: skip
_SPACES = str.maketrans(dict.fromkeys(string.punctuation, " "))
_FIRST_3, _FIRST_5 = operator.itemgetter(slice(0, 3)), operator.itemgetter(slice(0, 5))


def prepare(raw: str) -> Text:
    """Drop quoted lines ("> ..."), fold, and note which words the text has."""
    # NFC, and İ (the one letter whose lower() grows), so folded stays as long as original.
    text = unicodedata.normalize("NFC", raw.replace("\u0130", "I"))
    if text.lstrip(" \t").startswith(">") or _HAS_QUOTE.search(text):
        text = _QUOTED.sub("", text)
    folded = fold(text)
    # str.translate is ten times faster than a regex, on ASCII; other letters become "?".
    found = folded.encode("ascii", "replace").decode("ascii").translate(_SPACES).split()
    unique = set(found)
    prefixes = frozenset(map(_FIRST_3, unique)).union(map(_FIRST_5, unique))
    return Text(text, folded, found, prefixes)


def fold(text: str) -> str:
    """Lower case without accents, one letter for one letter ("Coördinator" -> "coordinator")."""
    folded = text.lower()
    if folded.isascii():
        return folded
    return _FOLDABLE.sub(lambda found: _FOLD.get(found.group(), found.group()), folded)


_PATTERN_PART = re.compile(
    r"\\s\+|\\s[*?]|\\s(?!\{)|\\.|\[(?:\\.|[^\]])*\]|\(\?[:!=<]*|\{\d*,?\d*\}|[a-z0-9]+|."
)
_WORD_BREAKS = ("", "\\s+", "\\s", " ", "'")
_OPTIONAL = ("?", "*", "{")


class Table:
    """A rule table compiled once; a mail runs only the rules whose words it contains."""

    def __init__(self, table: Iterable[Rule], limit: int = 3, *, is_gender: bool = False) -> None:
        self.rules = tuple(table)
        self.patterns = tuple(re.compile(rule.pattern) for rule in self.rules)
        self.negatable = tuple(_NEGATOR.search(rule.pattern) is None for rule in self.rules)
        self.required = tuple(frozenset(required_words(rule.pattern)) for rule in self.rules)
        groups: dict[str, dict[str, list[int]]] = {}
        for number, rule in enumerate(self.rules):
            key, literal = required_words(rule.pattern)[0], _leading_literal(rule.pattern)
            groups.setdefault(key, {}).setdefault(literal, []).append(number)
        self.index = {key: tuple(by.items()) for key, by in groups.items()}
        self.keys = frozenset(self.index)
        # Short first words ("ik", "met") are everywhere: one regex of their rules finds the
        # few places where any of them matches. A longer word is rare: str.find is faster.
        self.finders = {
            literal: re.compile("|".join(f"(?:{self.rules[n].pattern})" for n in numbers))
            for by in groups.values()
            for literal, numbers in by.items()
            if len(literal) <= SHORT_WORD
        }
        self.limit = limit  # hits a rule needs at most; more only cost time
        # For a gender wish "ik wil niet dat een man ..." is negated: "dat" ends no clause.
        self.clause = CLAUSE_WORDS if is_gender else CLAUSE_WORDS | {"dat", "that"}
        self.is_gender = is_gender

    def scan(self, text: Text) -> list[Hit]:
        """All hits, in text order, of the rules the text's words allow."""
        prefixes, hits = text.prefixes, []
        for key in self.keys & prefixes:
            for literal, numbers in self.index[key]:
                active = [number for number in numbers if self.required[number] <= prefixes]
                if active:
                    hits += self._hits(literal, active, text.folded)
        return sorted(hits, key=lambda hit: (hit.start, hit.name))

    def _hits(self, literal: str, numbers: list[int], folded: str) -> list[Hit]:
        """Find the rules' shared first word once, then try each rule where it starts a word."""
        left, hits = dict.fromkeys(numbers, self.limit), []
        for at in self._starts(literal, folded):
            if at and folded[at - 1].isalnum():
                continue
            for number in tuple(left):
                if match := self.patterns[number].match(folded, at):
                    rule, is_negated = self.rules[number], self.negatable[number]
                    is_negated = is_negated and self._negates(match)
                    hits.append(Hit(rule.name, rule.weight, at, match.end(), is_negated))
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
        before = _clause_before(folded, start, self.clause) + match.group().split()
        if any(_is_negator(before, at) for at in range(len(before))):
            return True
        # Dutch puts "niet" after the verb ("hij raakte me niet aan"); not so for a gender.
        after = folded[end : end + 24].split()[:1]
        return not self.is_gender and bool(after) and after[0].rstrip(".,;!?") in ("niet", "nooit")


def required_words(pattern: str) -> list[str]:
    """The keys of the literal words a match cannot do without, its anchor first."""
    parts = _PATTERN_PART.findall(pattern)
    required: list[str] = []
    depth, is_word_start = 0, True
    for at, part in enumerate(parts):
        if depth == 0 and is_word_start and part[0].isalnum():
            required += _word_key(part, parts[at + 1] if at + 1 < len(parts) else "")
        if part == "|" and depth == 0:
            raise ValueError(f"split a rule with a top-level | into rules: {pattern!r}")
        depth += part.startswith("(") - (part == ")")
        if part in ("?", "*", "+") or part.startswith("{"):
            continue  # "(?:goed\s+)?geholpen": a word still starts after the group
        is_word_start = part in _WORD_BREAKS or (part == ")" and parts[at - 1] in _WORD_BREAKS)
    if not (parts and parts[0][0].isalnum() and required):
        raise ValueError(f"a rule pattern must start with a literal word: {pattern!r}")
    return required


def _leading_literal(pattern: str) -> str:
    first, *rest = _PATTERN_PART.findall(pattern)
    return str(first[:-1] if rest and rest[0][:1] in _OPTIONAL else first)


def _word_key(run: str, following: str) -> list[str]:
    """A whole short word ("ik", "niet"), else the first five or three letters of the word."""
    if following[:1] in _OPTIONAL:
        run = run[:-1]  # the last letter is optional
    if len(run) >= 5:
        return [run[:5]]
    if following in _WORD_BREAKS:
        return [run] if run else []
    return [run[:3]] if len(run) >= 3 else []


def _clause_before(folded: str, start: int, clause: frozenset[str]) -> list[str]:
    """The last words before start, back to a clause word ("maar") or punctuation."""
    found: list[str] = []
    for word in reversed(folded[max(0, start - 50) : start].split()):
        if word in clause or not (word[-1].isalnum() or word[-1] == "'"):
            break
        found.append(word)
        if len(found) == NEGATION_WINDOW:
            break
    return found[::-1]


def _is_negator(found: list[str], at: int) -> bool:
    """ "niet", "didn't"; but "niet alleen" / "not only" does not negate."""
    word = found[at]
    if word not in NEGATOR_WORDS and not word.endswith("n't"):
        return False
    return at + 1 == len(found) or found[at + 1] not in ("alleen", "only", "just")


NEGATOR_WORDS = words(
    "niet geen nooit niets niks niemand not never no nobody nothing cannot dont didnt doesnt "
    "wasnt werent isnt wont cant havent hasnt wouldnt"
)
_NEGATOR = re.compile(r"(?<!\w)(?:" + "|".join(sorted(NEGATOR_WORDS)) + r"|\w+n't)(?!\w)")
# Words that start a new clause: a negation before them does not reach past them.
CLAUSE_WORDS = words(
    "maar but omdat because die who which en and toen when als if of or terwijl while sinds since"
)


# fmt: off
# The tables, packed by hand: one line per rule name where it fits.

_CHILD_NL = ("kind", "kinderen", "kindje", "zoon", "zoontje", "dochter", "dochtertje", "baby")
_CHILD_EN = ("child", "children", "kid", "kids", "son", "daughter", "baby")
_HURT_NL = (r"\s+(?:wordt|worden|is|zijn)\s+(?:\w+\s+){0,3}?"
            r"(?:geslagen|mishandeld|misbruikt|geschopt|in\s+gevaar)\b")
_HURT_EN = r"\s+(?:is|are|gets?)\s+(?:being\s+)?(?:beaten|hit|abused|hurt|in\s+danger)\b"
_HITS_CHILD = (r"\s+(?:de|het|mijn|m'n|onze|ons|zijn|haar|the|my|our|his|her)\s+(?:kind|kinderen"
               r"|kindje|zoon\w*|dochter\w*|baby|kids?|child|children|son|daughter)\b")
# Someone at the door is a risk only with a threat near it ("de vakantie staat voor de deur").
_AT_DOOR_NL = (r"\s+(?:nu\s+|weer\s+|hier\s+|buiten\s+)*voor\s+(?:de|mijn|m'n|onze)\s+deur\b"
               r"(?=[^\n]{0,80}?\b(?:bedreig|dreig|sla|schreeuw|scheld|bang|help|politie|mes"
               r"|agressi|dronken|woedend|bonk|bons|trap|schop))")
_AT_DOOR_EN = (r"\s+(?:\w+\s+)?(?:outside|at)\s+(?:my|the)\s+(?:door|house|home)\b"
               r"(?=[^\n]{0,80}?\b(?:threat|hurt|hit|scared|afraid|help|police|knife|angry|drunk"
               r"|bang|shout|yell|kill|kick))")
_DOOR_NL = (r"\W+(?:\w+\W+){0,6}?(?:(?:hij|zij|ze)\s+(?:staat|staan)|(?:staat|staan)\s+"
            r"(?:hij|zij|ze))\s+(?:nu\s+|weer\s+|hier\s+)*voor\s+(?:de|mijn|m'n|onze)\s+deur\b")

# What a mail is about. Schema B (conduct): unwanted or transgressive behaviour. Schema A
# (complaint): dissatisfaction, conflict, a decision, not feeling helped. Or a question only.
KIND: tuple[Rule, ...] = (
    *rules("conduct:unwanted-nl", 3.0, r"ongewenst\w*"),
    *rules("conduct:boundary-nl", 3.5,
        r"grensoverschrijd\w*", r"grens\w*\s+(?:overschreden|overschrijd\w*)",
        r"over\s+(?:mijn|m'n)\s+grens\w*",
    ),
    *rules("conduct:intimidation", 3.0, r"intimid\w*", r"geintimideerd"),
    *rules("conduct:threat-nl", 3.0, r"bedreig\w*", r"gedreigd", r"dreigement\w*", r"vermoord\w*",
           r"dood\s*(?:te\s+)?maken\b"),
    *rules("conduct:discrimination", 3.0,
        r"discrimin\w*", r"gediscrimineerd", r"racis\w*", r"seksis\w*", r"sexis\w*", r"homofo\w*",
        r"homophob\w*",
    ),
    *rules("conduct:sexual", 3.0,
        r"seksu\w*", r"sexu\w*", r"aanrand\w*", r"aangerand", r"verkracht\w*", r"misbruik\w*",
        r"raped?\b", r"molest\w*", r"abus(?:e|ed|es|ive|ing)\b",
    ),
    *rules("conduct:touch-nl", 3.5,
        r"aanrak\w*", r"aangeraakt", r"raak(?:t|te|ten)\s+(?:me|mij|mijn|m'n)\b",
        r"zat\s+aan\s+(?:me|mij|mijn|m'n)\b", r"zit\s+aan\s+(?:me|mij|mijn|m'n)\b",
        r"zitten\s+aan\s+(?:me|mij|mijn)\b", r"handtastelijk\w*", r"betast\w*",
        r"knijp\w*\s+in\s+(?:mijn|m'n)\b", r"kuste\s+(?:me|mij)\b", r"zoende\s+(?:me|mij)\b",
    ),
    *rules("conduct:insult-nl", 3.0,
        r"scheld\w*", r"schold\w*", r"uitgescholden", r"beledig\w*", r"uitgelachen",
        r"belachelijk\s+gemaakt", r"vernederd\w*", r"vernederend\w*", r"kleiner(?:en|end\w*|de)\b",
        r"voor\s+(?:gek|schut|aap)\s+gezet", r"zet\w*\s+(?:me|mij)\s+voor\s+(?:gek|schut|aap)\b",
    ),
    *rules("conduct:bullying-nl", 3.0, r"pest(?:en|erij\w*|t)?\b(?!\s+aan\b)", r"gepest"),
    *rules("conduct:aggression-nl", 3.0,
        r"agressie\w*", r"agressief\w*", r"geslagen", r"sloeg\s+(?:me|mij)\b",
        r"slaat\s+(?:me|mij)\b", r"geduwd", r"duwde\s+(?:me|mij)\b", r"geschopt",
        r"geweld(?!ig)\w*",
    ),
    *rules("conduct:shouting-nl", 2.0, r"schreeuw\w*", r"geschreeuwd", r"brult\b", r"brulde\b"),
    *rules("conduct:remarks-nl", 3.5,
        r"opmerking\w*\s+over\s+(?:mijn|m'n|me)\s+(?:lichaam|uiterlijk|borsten|billen|kont|figuur|"
        r"kleding|lijf|gewicht|huidskleur|afkomst|geloof|hoofddoek)",
        r"vieze\s+(?:grap\w*|opmerking\w*|berichten|praat|foto\w*)",
        r"grap\w*\s+over\s+(?:mijn|m'n)\s+\w+",
    ),
    *rules("conduct:unsafe-nl", 2.0,
        r"onveilig\w*", r"niet\s+(?:meer\s+)?veilig",
        r"bang\s+voor\s+(?:hem|haar|die\s+man|die\s+vrouw)\b",
    ),
    *rules("conduct:stalking", 3.0, r"stalk\w*", r"achtervolg\w*"),
    *rules("conduct:harassment", 3.5,
        r"harass\w*", r"lastig\s*gevallen", r"valt\s+(?:me|mij)\s+lastig",
    ),
    *rules("conduct:unwanted-en", 3.0, r"unwanted\w*", r"inappropriat\w*"),
    *rules("conduct:threat-en", 3.0, r"threat\w*", r"kill\s+(?:me|you|my)\b"),
    *rules("conduct:advances", 3.0, r"ask(?:ed|ing|s)?\s+me\s+out\b", r"hitting\s+on\s+me\b",
           r"flirt\w*", r"versier\w*"),
    *rules("conduct:touch-en", 3.5,
        r"touch(?:ed|es|ing)?\s+(?:me|my)\b", r"grop\w*", r"grabb?(?:ed|ing|s)?\s+(?:me|my)\b",
        r"kissed\s+me\b",
    ),
    *rules("conduct:insult-en", 3.0,
        r"insult\w*", r"called\s+me\s+(?:names|stupid|an?\s+\w+)", r"swor\w*\s+at\s+me",
        r"swearing\s+at\s+me", r"humiliat\w*", r"mock(?:ed|s|ing)\s+me", r"laughed\s+at\s+me",
        r"belittl\w*",
    ),
    *rules("conduct:bullying-en", 3.0, r"bull(?:y|ies|ied|ying)\b"),
    *rules("conduct:aggression-en", 3.0,
        r"aggress\w*", r"violen\w*", r"hit\s+me\b", r"pushed\s+me\b", r"beat\s+me\b",
        r"slapped\s+me\b", r"kicked\s+me\b",
    ),
    *rules("conduct:shouting-en", 2.5,
        r"yell\w*\s+at\s+me", r"shout\w*\s+at\s+me", r"scream\w*\s+at\s+me",
    ),
    *rules("conduct:remarks-en", 3.5,
        r"comments?\s+about\s+my\s+(?:body|looks|appearance|breasts|weight|clothes|skin|figure)",
        r"remarks?\s+about\s+my\s+\w+", r"jokes?\s+about\s+my\s+\w+", r"dirty\s+jokes?",
        r"creepy\b",
    ),
    *rules("conduct:unsafe-en", 2.0,
        r"unsafe\b", r"not\s+safe\b", r"scared\s+of\s+(?:him|her)\b",
        r"afraid\s+of\s+(?:him|her)\b",
    ),
    *rules("complaint:dissatisfied-nl", 3.0,
        r"ontevreden\w*", r"onvrede\b", r"niet\s+(?:erg\s+|echt\s+|zo\s+|meer\s+)?tevreden",
        r"teleurgesteld", r"teleurstell\w*",
    ),
    *rules("complaint:complaint-nl", 2.0, r"klacht\w*", r"klaag\w*", r"klagen", r"beklag\w*"),
    *rules("complaint:file-nl", 1.0, r"indienen", r"dien\w*\s+(?:een\s+)?klacht"),
    *rules("complaint:not-helped-nl", 3.0,
        r"slecht\s+geholpen", r"niet\s+(?:goed\s+|echt\s+|meer\s+)?geholpen", r"geen\s+hulp\b",
        r"help(?:t|en)\s+(?:me|mij|ons)\s+niet",
        r"slechte?\s+(?:hulp|begeleiding|service|behandeling|zorg)",
    ),
    *rules("complaint:not-doing-nl", 2.5,
        r"doet\s+(?:het\s+|zijn\s+werk\s+|haar\s+werk\s+)?niet\s+goed",
        r"doet\s+(?:helemaal\s+)?(?:niks|niets)", r"niks\s+gedaan", r"niets\s+gedaan",
        r"doe(?:t|n)\s+(?:zijn|haar)\s+werk\s+niet",
    ),
    *rules("complaint:conflict", 3.0,
        r"conflict\w*", r"ruzie\w*", r"meningsverschil\w*", r"onenigheid", r"oneens\b",
        r"niet\s+eens\s+met", r"disagree\w*", r"dispute\w*",
    ),
    *rules("complaint:argument-en", 2.0, r"argument\b", r"arguments\b"),
    *rules("complaint:broken-promise-nl", 3.0,
        r"afspra(?:ak|ken)\s+(?:\w+\s+){0,3}?niet\s+(?:na|nagekomen|nakomen)\b",
        r"niet\s+nagekomen", r"nooit\s+nagekomen", r"komt\s+(?:\w+\s+){0,3}?(?:niet|nooit)\s+na\b",
        r"niet\s+aan\s+(?:de\s+|onze\s+|zijn\s+|haar\s+)?afspra\w*",
        r"afspraak\s+(?:\w+\s+)?vergeten", r"kwam\s+(?:\w+\s+)?niet\s+opdagen",
    ),
    *rules("complaint:no-callback-nl", 3.0,
        r"niet\s+(?:terug\s*gebeld|gebeld)", r"nooit\s+(?:terug\s*gebeld|gebeld)",
        r"belt\s+(?:\w+\s+){0,2}?(?:niet|nooit)\b", r"reageert\s+(?:\w+\s+){0,2}?(?:niet|nooit)\b",
        r"geen\s+(?:reactie|antwoord|bericht)\b", r"niet\s+gereageerd", r"nooit\s+gereageerd",
        r"niks\s+(?:meer\s+)?(?:gehoord|vernomen)", r"niets\s+(?:meer\s+)?(?:gehoord|vernomen)",
        r"onbereikbaar", r"niet\s+bereikbaar",
    ),
    *rules("complaint:decision-nl", 2.0,
        r"besluit\w*", r"beschikking\w*", r"bezwaar\w*", r"beslissing\w*", r"afgewezen",
        r"afwijzing\w*", r"stopgezet", r"ingetrokken",
    ),
    *rules("complaint:not-heard-nl", 2.5,
        r"niet\s+serieus\s+genomen", r"neemt\s+(?:me|mij)\s+niet\s+serieus",
        r"luistert\s+(?:\w+\s+)?niet\b", r"luistert\s+nooit", r"niet\s+(?:gehoord|geluisterd)",
    ),
    *rules("complaint:unfair-nl", 2.0, r"oneerlijk\w*", r"onterecht\w*", r"onheus\w*"),
    *rules("complaint:weak-nl", 1.0,
        r"probleem\w*", r"problemen", r"slecht\w*", r"boos\b", r"kwaad\b", r"fout\w*",
        r"wachtlijst\w*", r"wachttijd\w*", r"niet\s+goed\b", r"te\s+laat\b",
    ),
    *rules("complaint:dissatisfied-en", 3.0,
        r"not\s+(?:very\s+|really\s+|at\s+all\s+)?(?:happy|satisfied|pleased)", r"unhappy",
        r"dissatisf\w*", r"disappoint\w*", r"fed\s+up",
    ),
    *rules("complaint:complaint-en", 2.0, r"complain\w*"),
    *rules("complaint:not-helped-en", 3.0,
        r"not\s+(?:been\s+|being\s+)?helped", r"no\s+help\b", r"didn't\s+help", r"doesn't\s+help",
        r"did\s+not\s+help", r"does\s+not\s+help", r"never\s+help\w*", r"won't\s+help",
        r"poor(?:ly)?\s+(?:help\w*|service|support|treated|handled)",
        r"bad(?:ly)?\s+(?:help\w*|service|support|treated)", r"terrible\s+(?:help|service|support)",
        r"not\s+help\s+me\b", r"service\s+(?:is|was)\s+(?:terrible|bad|poor|awful)",
    ),
    *rules("complaint:no-callback-en", 3.0,
        r"never\s+(?:calls?|called|rings?|gets?|got)\s+(?:me\s+)?back",
        r"never\s+(?:responds?|answers?|replies|replied|reply)",
        r"didn't\s+(?:call|ring|get)\s+(?:me\s+)?back",
        r"doesn't\s+(?:call|ring|get)\s+(?:me\s+)?back",
        r"did\s+not\s+(?:call|get)\s+(?:me\s+)?back", r"no\s+(?:response|reply|answer)\b",
        r"not\s+(?:been\s+)?called\s+back", r"nobody\s+(?:answers|responds|calls|replies)\b",
        r"no\s+one\s+(?:answers|responds|calls|replies)\b",
    ),
    *rules("complaint:broken-promise-en", 3.0,
        r"missed\s+(?:\w+\s+)?appointments?", r"cancell?ed\s+(?:\w+\s+)?appointments?",
        r"didn't\s+show\s+up", r"did\s+not\s+show\s+up", r"broke\s+(?:\w+\s+)?promises?",
        r"didn't\s+keep", r"did\s+not\s+keep", r"never\s+keeps?\b",
    ),
    *rules("complaint:decision-en", 2.0,
        r"decision\w*", r"appeal\w*", r"rejected", r"refused", r"objection\w*",
    ),
    *rules("complaint:not-heard-en", 2.5,
        r"not\s+taken\s+seriously", r"doesn't\s+listen", r"does\s+not\s+listen", r"don't\s+listen",
        r"never\s+listens?", r"not\s+listening", r"ignor\w*",
    ),
    *rules("complaint:weak-en", 1.0,
        r"problems?\b", r"issues?\b", r"angry\b", r"upset\b", r"unfair\w*", r"frustrat\w*",
        r"killing\s+me\b", r"driving\s+me\s+crazy", r"mistakes?\b", r"waiting\s+list",
    ),
    *rules("question:ask-nl", 2.5,
        r"ik\s+heb\s+(?:een\s+)?(?:paar\s+|kleine\s+)?(?:vraag|vragen|vraagje)\b", r"vraagje\b",
        r"vraag\s+(?:me|mij)\s+af", r"ik\s+wil\s+(?:graag\s+)?(?:weten|informatie)",
        r"informatie\s+over",
    ),
    *rules("question:word-nl", 1.5, r"vraag\b", r"vragen\b"),
    *rules("question:how-nl", 2.5,
        r"hoe\s+(?:werkt|gaat|kan|moet|doe|zit)\b", r"helpen\s+(?:jullie|u)\s+ook\b",
        r"doen\s+(?:jullie|u)\s+ook\b",
        r"wat\s+(?:kan|doet|is|mag)\s+(?:een\s+|de\s+)?vertrouwens\w*",
        r"wat\s+(?:kunt|kan)\s+(?:u|jij|jullie)\b",
        r"kunt\s+u\s+(?:mij\s+|me\s+)?(?:uitleggen|vertellen|informeren|laten\s+weten)",
        r"is\s+het\s+mogelijk", r"waar\s+kan\s+ik\b",
    ),
    *rules("question:may-i-nl", 1.5, r"kan\s+ik\b", r"mag\s+ik\b"),
    *rules("question:ask-en", 2.5,
        r"i\s+have\s+(?:a\s+)?(?:quick\s+|few\s+|couple\s+of\s+)?questions?",
        r"i\s+would\s+like\s+to\s+know", r"i'd\s+like\s+to\s+know", r"information\s+about",
        r"wondering\b", r"quick\s+question\b",
    ),
    *rules("question:word-en", 1.5, r"questions?\b"),
    *rules("question:how-en", 2.5,
        r"how\s+(?:does|do|can|should|long)\b", r"can\s+you\s+(?:tell|explain|let)\b",
        r"do\s+you\s+(?:also\s+)?(?:help|offer|handle|work\s+with)\b",
        r"could\s+you\s+(?:tell|explain|let)\b",
        r"what\s+(?:does|can|is)\s+(?:a|an|the)\s+(?:confidential|advis|counsel)\w*",
        r"is\s+it\s+possible",
    ),
    *rules("question:may-i-en", 1.5, r"can\s+i\b", r"may\s+i\b"),
)

# A gender word is a wish when its clause has a wish word (WISH); a reversed one when negated.
GENDER_TERMS: tuple[Rule, ...] = (
    *rules("female:term-nl", 2.0, r"vertrouwensvrouw\w*", r"vrouwelijke?\b"),
    *rules("male:term-nl", 2.0, r"vertrouwensman\w*", r"mannelijke?\b"),
    *rules("female:term-en", 2.0, r"female\b", r"women\b"),
    *rules("male:term-en", 2.0, r"male\b"),
)

# A gender noun counts only after an article or preposition ("een vrouw", not "mijn vrouw").
GENDER_NOUNS: tuple[Rule, ...] = (
    *rules("female:noun-nl", 2.0, r"vrouw(?:en)?\b"),
    *rules("male:noun-nl", 2.0, r"man(?:nen)?\b"),
    *rules("female:noun-en", 2.0, r"woman\b", r"lad(?:y|ies)\b"),
    *rules("male:noun-en", 2.0, r"men\b", r"guys?\b", r"gentlem[ae]n\b"),
)

# "It does not matter to me": none, always, or only in a sentence about gender.
INDIFFERENT: tuple[Rule, ...] = (
    *rules("none:no-preference", 3.0, r"geen\s+voorkeur", r"no\s+preference"),
)

INDIFFERENT_IF_GENDER: tuple[Rule, ...] = (
    *rules("none:does-not-matter-nl", 3.0,
        r"maakt\s+(?:me\s+|mij\s+|ons\s+)?(?:echt\s+)?(?:niet|niks|niets)\s+uit",
        r"om\s+het\s+even",
    ),
    *rules("none:does-not-matter-en", 3.0,
        r"don't\s+mind", r"do\s+not\s+mind", r"dont\s+mind", r"doesn't\s+matter",
        r"does\s+not\s+matter", r"doesnt\s+matter", r"don't\s+care",
        r"either\s+(?:is\s+)?(?:fine|ok|okay|good)", r"any\s+(?:advisor|adviser|gender)",
    ),
)

# The writer describing themself is no wish ("ik ben een vrouw", "as a man").
SELF_DESCRIPTION: tuple[Rule, ...] = (
    *rules("self", 0.0,
        r"ik\s+ben\s+(?:een\s+)?(?:\w+\s+)?(?:man|vrouw)\b", r"als\s+(?:een\s+)?(?:man|vrouw)\b",
        r"i\s+am\s+an?\s+(?:\w+\s+)?(?:man|woman|lady|guy)\b",
        r"i'm\s+an?\s+(?:\w+\s+)?(?:man|woman|lady|guy)\b", r"as\s+an?\s+(?:man|woman)\b",
    ),
)

ANONYMITY: tuple[Rule, ...] = (
    *rules("anonymous", 1.0,
        r"anonie\w*", r"anonym\w*",
        r"naam\s+(?:\w+\s+){0,2}?(?:niet|nergens)\s+(?:\w+\s+)?(?:genoemd|noemen|vermeld\w*|"
        r"gebruik\w*|doorgeven|doorgegeven|delen|gedeeld|bekend\w*)",
        r"zonder\s+(?:mijn\s+|m'n\s+)?naam", r"naam\s+(?:\w+\s+){0,3}?geheim",
        r"don't\s+(?:use|mention|share|give|tell|say|reveal)\s+(?:\w+\s+)?my\s+name",
        r"do\s+not\s+(?:use|mention|share|give|tell|reveal)\s+(?:\w+\s+)?my\s+name",
        r"keep\s+my\s+name\s+(?:out|secret|private|confidential)", r"without\s+my\s+name",
        r"name\s+(?:\w+\s+){0,2}?not\s+be\s+(?:\w+\s+)?(?:mentioned|used|shared|given)",
    ),
)

# Idioms are no risk: a safety hit inside one does not count ("ik schrok me dood").
IDIOMS: tuple[Rule, ...] = (
    *rules("idiom", 0.0,
        r"schr(?:ok|ik|ik\w*)\s+(?:me|mij)\s+(?:bijna\s+|echt\s+|helemaal\s+)?dood",
        r"lach\w*\s+(?:me|mij)\s+(?:\w+\s+)?dood", r"doodmoe", r"dood\s+moe",
        r"verveel\w*\s+(?:me|mij)\s+dood", r"werk\w*\s+(?:me|mij|mezelf)\s+dood",
        r"schaam\w*\s+(?:me|mij)\s+dood", r"erger\w*\s+(?:me|mij)\s+dood",
        r"kan\s+(?:hem|haar|ze|die|jullie|hun)\s+wel\s+vermoorden", r"scared\s+to\s+death",
        r"bored\s+to\s+death", r"sick\s+to\s+death",
        r"could\s+(?:just\s+)?kill\s+(?:him|her|them|you)\b",
    ),
)

# A newsletter or list mail: links and list words, however many keywords it carries.
NOISE: tuple[Rule, ...] = (
    *rules("noise:link", 1.0, r"https?://", r"www\."),
    *rules("noise:list", 3.0,
        r"unsubscrib\w*", r"uitschrijv\w*", r"nieuwsbrief\w*", r"newsletter\w*", r"mailing\s*list",
        r"view\s+(?:this\s+)?(?:e-?mail\s+)?(?:online|in\s+(?:your\s+|a\s+)?browser)",
        r"bekijk\s+(?:deze\s+)?(?:e-?mail|mail|nieuwsbrief)\s+(?:online|in\s+(?:je|uw)\s+browser)",
        r"je\s+ontvangt\s+(?:deze|dit)", r"u\s+ontvangt\s+(?:deze|dit)",
        r"you\s+(?:are\s+)?receiv\w*\s+this", r"alle\s+rechten\s+voorbehouden",
        r"all\s+rights\s+reserved",
    ),
    *rules("noise:optout", 1.0, r"afmeld\w*", r"privacy\s*(?:statement|policy|verklaring)"),
)

# Acute safety: strong phrases only; the names are the safety reasons.
SAFETY: tuple[Rule, ...] = (
    *rules("self-harm-nl", 1.0,
        r"ik\s+wil\s+(?:gewoon\s+|echt\s+|liever\s+|het\s+liefst\s+|zo\s+graag\s+)?dood\b",
        r"dood\s+(?:wil|wou|zou\s+willen)\b", r"wil\s+niet\s+meer\s+leven",
        r"geen\s+zin\s+meer\s+in\s+(?:het\s+|mijn\s+)?leven",
        r"zie\s+het\s+(?:echt\s+|allemaal\s+|helemaal\s+)?niet\s+meer\s+zitten",
        r"einde?\s+aan\s+(?:mijn\s+|m'n\s+)?(?:leven|maken)\b", r"mezelf\s+(?:iets|wat)\s+aan",
        r"mijzelf\s+(?:iets|wat)\s+aan",
        r"mezelf\s+(?:van\s+het\s+leven|pijn\s+doen|snijden|ophangen|verdrinken)",
        r"zelfmoord(?!\s+gepleegd)\w*", r"zelfdoding", r"suicidaal\b", r"suicidale\b",
        r"zelfbeschadig\w*",
        r"snij\w*\s+(?:mezelf|mijzelf|in\s+mijn\s+(?:arm|armen|pols\w*))",
    ),
    *rules("self-harm-en", 1.0,
        r"kill\s+myself", r"end\s+my\s+(?:own\s+)?life", r"want\s+to\s+die\b", r"wanna\s+die\b",
        r"hurt\s+myself", r"harm\s+myself", r"suicidal\b", r"suicide\b(?<!committed\ssuicide)",
        r"take\s+my\s+(?:own\s+)?life",
        r"don't\s+want\s+to\s+live", r"no\s+reason\s+to\s+live", r"better\s+off\s+dead",
    ),
    *rules("threat-to-life-nl", 1.0,
        r"vermoord\w*", r"dood\s*(?:te\s+)?maken\b", r"doodmaken", r"doodsbedreiging\w*",
        r"met\s+de\s+dood\s+bedreigd", r"neersteken", r"steekt\s+(?:me|mij)\s+neer",
        r"heeft\s+een\s+(?:mes|pistool|vuurwapen|wapen)\b", r"wurg\w*",
    ),
    *rules("threat-to-life-en", 1.0,
        r"kill\s+(?:me|you|her|him|us|them|my)\b", r"murder\w*", r"death\s+threats?",
        r"threaten\w*\s+to\s+kill", r"has\s+a\s+(?:knife|gun|weapon)\b", r"strangl\w*",
        r"choked\s+me\b",
    ),
    *each("violence-now-nl", 1.0, (r"hij\s+staat", r"zij\s+staat", r"ze\s+staan?"), _AT_DOOR_NL),
    *each("violence-now-nl", 1.0, (r"staat\s+hij", r"staat\s+zij", r"staan?\s+ze"), _AT_DOOR_NL),
    *each("violence-now-nl", 1.0, ("help", "bang", "bedreigt"), _DOOR_NL),
    *rules("violence-now-nl", 1.0,
        r"slaat\s+(?:me|mij)\b", r"ik\s+ben\s+(?:nu\s+)?in\s+gevaar",
        r"ik\s+ben\s+(?:hier\s+|thuis\s+|nu\s+)*niet\s+(?:meer\s+)?veilig",
    ),
    *each("violence-now-en", 1.0, ("he's", r"he\s+is", "she's", r"she\s+is"), _AT_DOOR_EN),
    *rules("violence-now-en", 1.0,
        r"hitting\s+me\b", r"beating\s+me\b", r"hits\s+me\b", r"beats\s+me\b",
        r"i\s+am\s+in\s+danger", r"i'm\s+in\s+danger",
    ),
    *each("child-danger-nl", 1.0, _CHILD_NL, _HURT_NL),
    *each("child-danger-nl", 1.0, ("slaat", "schopt", "mishandelt", "misbruikt"), _HITS_CHILD),
    *rules("child-danger-nl", 1.0, r"kindermishandeling"),
    *each("child-danger-en", 1.0, _CHILD_EN, _HURT_EN),
    *each("child-danger-en", 1.0, ("hits", "beats", "abuses", "hurts"), _HITS_CHILD),
)

# The roles of the other party; the name that follows (or precedes, in brackets) is theirs.
ROLES: tuple[Rule, ...] = rules("role", 0.0,
    r"begeleider\b", r"begeleidster\b", r"woonbegeleider\b", r"trajectbegeleider\b",
    r"coordinator\b", r"coordinatrice\b", r"vrijwilliger\b", r"vrijwilligster\b",
    r"hulpverlener\b", r"hulpverleenster\b", r"medewerker\b", r"medewerkster\b",
    r"consulent\w*", r"caseworker\b", r"case\s+worker\b", r"casemanager\b", r"case\s+manager\b",
    r"counsell?or\b", r"volunteer\b", r"manager\b", r"leidinggevende\b", r"teamleider\b",
    r"mentor\b", r"jobcoach\b", r"wijkcoach\b", r"maatschappelijk\s+werker\b",
    r"social\s+worker\b", r"support\s+worker\b", r"supervisor\b",
)
WISH = (r"\b(?:wil|wilt|willen|wens\w*|graag|liever|liefst|voorkeur|zoek\w*|prefer\w*|rather"
        r"|want|wish|please|pls|plz|alsjeblieft|alstublieft|aub|a\.u\.b|fijn|prettig"
        r"|(?:would|i'd)\s+(?:like|love)|kan\s+ik|mag\s+ik|can\s+i|could\s+i|may\s+i"
        r"|mogelijk|possible|need|nodig)\b")
# fmt: on

GENDER_ARTICLES = words(
    "een geen met door bij aan dan liever liefst graag wil alleen a an no with by than not only "
    "want prefer"
)
GENDER_CONTEXT = words(
    "man mannen vrouw vrouwen mannelijke vrouwelijke mannelijk vrouwelijk vertrouwensman "
    "vertrouwensvrouw woman women men male female wie who geslacht gender"
)
POSSESSIVES = words("mijn m'n onze ons de het my our the his her zijn haar")
NAME_STOPS = words(
    "ik hij zij ze wij we jij u het de een en maar die dat dit is was heeft had zegt zei ook "
    "toen nu vandaag gisteren sinds niet nooit i he she they we you the a and but who that "
    "this is was has had says said also then now today yesterday since not never"
)
NL_STOPWORDS = words(
    "de het een en ik je jij u uw niet van dat die met mijn mij op te voor zijn maar wil heb "
    "hij zij ze er wat naar ook nog dan als bij om geen wel kan aan uit zo heeft hebben ben "
    "wordt werd worden hem haar ons onze jullie wij hoe waarom wanneer graag alsjeblieft "
    "niks niets nooit meer deze dit omdat want heel erg zeer toen mag moet kunt"
)
EN_STOPWORDS = words(
    "the a an and i you he she it that this with my of to for not are am were be been have "
    "has do does did but what how why when would could should can will your our they them "
    "his him there their from about please yes if or so just very don didn doesn"
)

"""Turn an explanation into clauses of concept tokens: fold, expand contractions, correct typos
against the lesson's vocabulary, stem, merge synonyms (``lexicon.py``), drop grammar words.

Everything here is deterministic and cached per word: scoring spends its time in dictionary
look-ups, not in string algorithms.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

import snowballstemmer  # type: ignore[import-untyped]
from rapidfuzz import process
from rapidfuzz.distance import OSA

from .anchoring import fold_plain
from .common_words import COMMON_WORDS
from .lexicon import (
    ESCALATE,
    GROUPS,
    LIGHT_WORDS,
    MORE_ESCALATES,
    NEGATED,
    NEGATIONS,
    NEGATIVE_OF,
    NEGATORS,
    NOT,
    NOT_BOUND,
    NOT_THAT,
    NOTS,
    STEM_COLLISIONS,
    STOPWORDS,
)

# Snowball's English (Porter 2) stemmer; snowballstemmer hands it to PyStemmer's C version when
# that is installed (requirements.txt installs it): the same stems, about 70 times faster
_STEMMER: Final = snowballstemmer.stemmer("english")
BREAK: Final = "."  # marks the end of a clause in a word list
SOFT: Final = ","  # a comma or dash inside a clause: ends a phrase, the scope of a negation
SEP: Final = "#sep"  # the concept token a SOFT break leaves in a clause
_WORD_OR_BREAK: Final = re.compile(r"[a-z0-9]+|[.;!?:\n,]")
CLAUSE_WORDS: Final = frozenset({"but", "however", "yet", "although", "though", "whereas",
                                 "because"})
TURN_WORDS: Final = frozenset({"but", "however", "yet"})  # what follows answers what came before
# (pattern, replacement, strings one of which every match contains): a pattern runs only on a
# text that has one of them, as searching for a plain string is many times faster
_APOSTROPHES: Final = [
    (re.compile(r"\bcan'?t\b"), "can not", ("can't", "cant")),
    (re.compile(r"\bwon'?t\b"), "will not", ("won't", "wont")),
    (re.compile(r"\bain'?t\b"), "is not", ("ain't", "aint")),
    (re.compile(r"\bshan'?t\b"), "shall not", ("shan't", "shant")),
    (re.compile(r"n't\b"), " not", ("n't",)),
    # \b(where|what|that|it|there|here|who|he|she)'s\b written as word_start writes it, for
    # speed: a tree of letters, the word's start tested after its first letter
    (re.compile(r"(w(?<!\w\w)h(?:ere|at|o)|t(?<!\w\w)h(?:at|ere)|i(?<!\w\w)t|h(?<!\w\w)e(?:re)?"
                r"|s(?<!\w\w)he)'s\b"), r"\1 is", ("'s",)),
    (re.compile(r"'(s|re|ve|ll|d|m)\b"), "", ("'",)),
]
# negated auxiliaries as learners misspell them ("dosent", "did'nt", "wasint"): a real word is
# never corrected into a negation by the speller, so these are read here, before the apostrophes
_MISSPELT_NEGATIONS: Final = {
    "does": "dosent dosnt dosn't doesent doesen't dosen't doesint doesnot does'nt",
    "did": "dident didint didnot did'nt",
    "is": "isint isent is'nt",
    "was": "wasint wasent wasen't was'nt",
    "are": "arnt are'nt",
    "were": "wernt wern't were'nt",
    "do": "donot do'nt",
    "has": "hasent has'nt",
    "have": "havnt have'nt",
    "could": "coudnt cudnt coudn't could'nt",
    "would": "woudnt wudnt woudn't would'nt",
    "should": "shoudnt shudnt shoudn't should'nt",
}
_MISSPELT_NEGATION: Final = {word: f"{verb} not" for verb, words in _MISSPELT_NEGATIONS.items()
                      for word in words.split()}


def word_start(words: Iterable[str], tails: Mapping[str, str] | None = None,
               before: str = r"\w") -> str:
    """A pattern for any of ``words`` (each followed by its pattern in ``tails``, if any) where a
    word starts (after no character of the class ``before``); the caller says how it ends.

    It is ``\\b(?:word|word|...)`` written for speed: the words as a tree of their letters, so
    that a place in the text is tried against a few letters rather than every word, and the test
    that a word starts there put after the first letter, so that the engine skips ahead to a
    letter some word starts with instead of stopping at every word. Every word must start with a
    letter, and the caller must end the pattern so that only a whole word matches (as ``\\b``
    does): then no two words match at one place, and the order of the branches is of no account.
    """
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for letter in word:
            node = node.setdefault(letter, {})
        node[""] = {}  # a word ends here
    tails = tails or {}

    def branch(node: dict, prefix: str) -> str:
        options = [re.escape(letter) + branch(child, prefix + letter)
                   for letter, child in sorted(node.items()) if letter]
        if "" in node:
            options.append(tails.get(prefix, ""))
        if len(options) == 1:
            return options[0]
        return "(?:" + "|".join(options) + ")"

    return "(?:" + "|".join(re.escape(letter) + rf"(?<!{before}\w)" + branch(child, letter)
                            for letter, child in sorted(tree.items())) + ")"


_MISSPELT_NEGATION_RE: Final = re.compile(word_start(_MISSPELT_NEGATION) + r"(?![\w'])")
_NO_APOSTROPHE_WORDS = ("do", "does", "did", "is", "are", "was", "were", "has", "have", "had",
                        "could", "would", "should", "ca", "wo")
# The same whole words found in the text read backwards (``text[::-1]``), to learn whether the
# pattern above matches at all (and "dont", "isnt", "cant" to spell them out there): read
# backwards, every word starts with "t", a plain character the engine skips ahead to, where
# forwards the words would be tried at each of seven common first letters (about 200
# instructions a character of the text, for a match in one note in 300)
_MISSPELT_NEGATION_BACKWARDS: Final = re.compile(
    word_start([word[::-1] for word in _MISSPELT_NEGATION], before=r"[\w']") + r"(?!\w)")
_NO_APOSTROPHE_BACKWARDS: Final = re.compile(
    word_start([f"{word}nt"[::-1] for word in _NO_APOSTROPHE_WORDS]) + r"(?!\w)")
_NO_APOSTROPHE_IS: Final = re.compile(r"\b(that|what|there|here)s\b")
# "its" before a word no possessive takes is "it's" ("like its still true", "as if its not"): read
# as "it is", so that "like it is" and "as if it is" find the phrases they belong to
_NO_APOSTROPHE_ITS = re.compile(r"\bits(?= (?:not|never|still|always|just|only|so|too|a|an|the)\b)")
_NO_APOSTROPHE_FULL: Final = {"ca": "can", "wo": "will"}


def _not_backwards(match: re.Match[str]) -> str:
    """A word of _NO_APOSTROPHE_BACKWARDS ("tnod") spelt out, read backwards ("ton od")."""
    verb = match.group()[::-1][:-2]
    return f"{_NO_APOSTROPHE_FULL.get(verb, verb)} not"[::-1]
_PUNCTUATION_AS_SPACE: Final = str.maketrans({c: " " for c in "-_/'\""})
_VERB_HINTS: Final = frozenset("""
is are was were be been being am has have had do does did can could will would should may might
must shall says said say means mean assumes happened happen seems seem thinks think knows
exists took proves lacks shows treats equates ignores gives makes
""".split())


WORD_CACHE_SIZE: Final = 50_000
CLAUSE_CACHE_SIZE: Final = 50_000
_STEMMER_LOCK: Final = threading.Lock()  # the stemmer keeps each word's state on itself


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    with _STEMMER_LOCK:  # one stemmer per process, shared by gunicorn's threads
        return _STEMMER.stemWord(word)


_ABBREVIATIONS: Final = {"u.s.": "usa", "u.s.a.": "usa", "u.k.": "uk", "e.g.": "for example",
                  "i.e.": "that is", "dr.": "dr", "mr.": "mr", "mrs.": "mrs", "ms.": "ms",
                  "vs.": "vs", "etc.": "etc"}


def _abbreviation(match: re.Match[str]) -> str:
    return _ABBREVIATIONS[match.group(0)]


def _stop_and_break(match: re.Match[str]) -> str:
    return match.group()[0] + "."


# (pattern, replacement, strings one of which the text must hold for the pattern to be tried)
_Replacements = list[tuple[re.Pattern[str], Any, tuple[str, ...]]]


_SYMBOLS: Final[_Replacements] = [  # as _APOSTROPHES
    (re.compile("\u2260|!=|=/=|=\\\\="), " is not the same as ", ("\u2260", "!=", "=/=", "=\\")),
    # "w/o evidence", "w/ a grain of salt", "b/c": shorthand with a slash
    (re.compile(r"\bw/o\b"), " without ", ("w/o",)),
    (re.compile(r"\bb/c\b"), " because ", ("b/c",)),
    (re.compile(r"\bw/(?=\s)"), " with ", ("w/",)),
    # a fallacy's Latin name is one name, not a run of keywords
    (re.compile(r"\b(post|cum) hoc,? ergo propter hoc\b"), r"\1 hoc fallacy", ("propter",)),
    (re.compile(r"(?<=\s)=(?=\s)|(?<=\w)=(?=\w)"), " means ", ("=",)),
    (re.compile(r"(?<=\s)\+(?=\s)|(?<=\w)\+(?=\w)"), " and ", ("+",)),
]
_ANSWER: Final = r"\s*(?:no|nope|yes|yeah|yep|well|ok|okay)\s*,"
# as _APOSTROPHES, and only in a text where _PAUSE finds one (before the abbreviations or after
# them: no pause is part of one)
_PAUSES: Final[_Replacements] = [
    # "No, it was ...", "ok, but": an answer that opens a sentence ends a clause; after a stop
    # first, then at the very start (which no stop can precede): a pattern that begins with the
    # stop itself, not with a look back at it, is found many times faster
    (re.compile(r"[.;!?]" + _ANSWER), _stop_and_break, (",",)),
    (re.compile(r"^" + _ANSWER), ".", (",",)),
    # "23,000" and "31.7" are one number each, not a clause break in the middle of one (the
    # digit before is looked back at after the comma or point: a pattern that begins with a
    # plain character is found many times faster)
    (re.compile(r",(?<=\d,)(?=\d{3}\b)"), "", (",",)),
    (re.compile(r"\.(?<=\d\.)(?=\d)"), "dot", (".",)),
]
# a match of any of _PAUSES but the one at the start (found by its first letters instead): most
# notes have a comma or a stop, for which each of those would run, and few an answer or a number
_PAUSE = re.compile(r"[.;!?,](?:(?<=[.;!?])" + _ANSWER + r"|(?<=\d,)(?=\d{3}\b)|(?<=\d\.)(?=\d))")
_ANSWER_OPENINGS: Final = ("no", "ye", "we", "ok")  # how an answer at the start begins
_ABBREVIATION_FORMS: Final[_Replacements] = [  # as _APOSTROPHES, on a text with a stop in it
    # "U.S.", "e.g.": abbreviations, not the ends of sentences
    (re.compile(r"\bu\.s\.(?:a\.)?|\bu\.k\.|\be\.g\.|\bi\.e\.|\bdr\.|\bmr\.|\bmrs\.|\bms\.|"
                r"\bvs\.|\betc\.(?=\s+[a-z])"), _abbreviation,
     ("u.s.", "u.k.", "e.g.", "i.e.", "dr.", "mr.", "mrs.", "ms.", "vs.", "etc.")),
]


def _replace_all(text: str, table: _Replacements) -> str:
    for pattern, replacement, needles in table:
        for needle in needles:
            if needle in text:
                text = pattern.sub(replacement, text)
                break
    return text


_UNITS: Final = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
_TENS: Final = {w: 10 * i for i, w in enumerate(
    "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if w != "_"}
# "twenty four", "twenty-four", "seventeen" ("zero" and "one" alone stay words); a tens word
# takes a unit word after it when it can
_NUMBER_WORDS: Final = re.compile(word_start(
    [*_TENS, *(set(_UNITS) - {"zero", "one"})],
    {tens: r"(?:[\s-]+" + word_start(list(_UNITS)[1:10]) + r"\b)?" for tens in _TENS}) + r"\b")
_NUMBER_GAP: Final = re.compile(r"[\s-]+")
# a piece of every number word: most notes have none, found sooner than by the pattern
_NUMBER_NEEDLES: Final = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                   "eleven", "twelve", "thirt", "fift", "twent", "forty")


def _number(match: re.Match[str]) -> str:
    first, *unit = _NUMBER_GAP.split(match.group())
    if first in _TENS:
        return str(_TENS[first] + (_UNITS[unit[0]] if unit else 0))
    return str(_UNITS[first])


_JUST_BECAUSE: Final = re.compile(r"\bjust because\b")
_HOWEVER_AS_WAY: Final = re.compile(
    r"\bhow ?ever(?= (?:you|it|they|we|he|she|people|someone|anyone|crimes?|it's|its) )")
_AGREE_MORE: Final = re.compile(r"\bcould(?: not|n'?t| nt) (?:possibly )?agree more\b")
_LIKE_TO: Final = re.compile(r"\bi(?: would|'d| d)? like to\b")
# "exactly the opposite", "what exactly", "the exact opposite": stress, not agreement (the
# adjective "exact" qualifies the noun after it)
_EXACTLY_AS_STRESS: Final = re.compile(
    r"\b(what|who|how|which|where|when|why)\s+exactly\b|\bexactly\s+(?=the (?:opposite|reverse|"
    r"other way)\b)|\b(the)\s+exact\b")
# "right at the end", "right after the coup": "right" as "just", not as agreement
_RIGHT_AS_JUST: Final = re.compile(
    r"\bright (?=(?:at|after|before|now|away|next|beside|below|above|under|behind|"
    r"from the (?:start|beginning|outset|first))\b)")
# "skips right over it", "goes right past the risks": stress on the verb's particle, dropped so
# that the verb and particle read as one ("skips over", "glosses over")
_RIGHT_AS_STRESS = re.compile(r"\bright (?=(?:over|through|past|across|into|round|around)\b)")
# "the real problem is ...", "no real risk": "real" as stress, not as "it happened" ("a real
# coup", "it is not real"), which it would put before a negated "happened" ("the real problem is
# that this coup never happened" read as "happened ... not happened")
_REAL_AS_STRESS: Final = re.compile(
    r"\breal (?=(?:problems?|issues?|questions?|points?|concerns?|dangers?|risks?|reasons?|"
    r"causes?|explanations?|differences?|worry|worries|flaws?|troubles?|story|catch|motives?|"
    r"agenda|aims?|goals?|purposes?|answers?|weakness(?:es)?|mistakes?|errors?|gaps?|"
    r"argument|takeaway|focus|priority|priorities)\b)")
# "Actually, it was ...", "but in fact ...", "in reality the US would ...": a clause that opens
# so says the speaker corrects something, not that anything happened ("actually happened" does;
# and a clause must follow: the lexicon's own "in reality" stays as it is)
_ACTUALLY_AS_STRESS: Final = re.compile(
    r"(^|[.;!?:\n,]\s*|\b(?:but|and|so|no|nope|yes|well|oh|because|though|although|however|"
    r"yet|or)\s+)(?:actually|in fact|in reality)\b(?!\s+(?:happen|happened|happens|occurred|"
    r"occur|took place|exist|existed|exists|real)\b)(?=[\s,]+[a-z0-9])"
    # "it could actually help", "they might actually want less": a counter-claim, stressed
    r"|\b((?:could|might|may|would|will|can|should|must)(?: not)? )actually\b"
    r"(?!\s+(?:happen|happened|happens|occur|exist|be real)\b)")
# "Suppressed premise: X", "Hidden assumption - X", "P2 (enthymeme): X": a label that says what
# follows is assumed; the colon after it does not end the thought ("it assumes X")
_ASSUMPTION_LABEL: Final = re.compile(
    # (not praise: "strong warrant: natural = safe", "fair assumption: ..." vouch for it)
    r"(^|[.;!?\n]\s*)(?:(?!(?:good|strong|fair|solid|reasonable|valid|sound|true|safe|correct|"
    r"nice|great|fine|ok|okay|right)\b)[a-z0-9']+\s+){0,2}?\(?(?:(?:the\s+)?(?:suppressed|hidden|"
    r"unstated|implicit|implied|missing|unspoken|tacit|underlying|buried|key)\s+"
    r"(?:premise|assumption|warrant|step)s?"
    r"|assumptions?|assumes|presuppositions?|presupposes|enthymemes?|premise|suppressed)\)?"
    r"\s*(?::|\s-+\s|->)"
    # "Missing: that it reaches the brain": the step the argument needs and takes as given
    r"|(^|[.;!?\n]\s*)(?:missing|needed|needs|required|unstated)\s*:\s*(?=that\b)")
# one of which every label has
_ASSUMPTION_LABEL_WORDS = ("assum", "premise", "presup", "enthymeme", "suppressed", "warrant",
                           "step", "missing", "need", "required", "unstated")
# "Assumes ceteris paribus: nothing else changed": what follows the colon is what is assumed
_ASSUMES_COLON: Final = re.compile(r"\b((?:assumes|presupposes)(?:\s+[a-z0-9']+){1,2})\s*:")
_SPACED_DASH: Final = re.compile(r"\s-+(?=\s)")
# "I wouldn't assume the coup happened", "don't take it for granted that ...": the learner refuses
# to assume what the article assumes, which says the article assumes it ("it assumes the coup
# happened"); "the author doesn't / didn't assume X" is about the article and stays negated
_REFUSED_ASSUMPTION: Final = re.compile(
    r"\b(?:(?:would|should|could|can|must|will|shall|do)\s+not|cannot)\s+"
    r"(?=(?:just\s+|simply\s+|really\s+|automatically\s+|blindly\s+|necessarily\s+)?"
    r"(?:assume|presume|take\s+(?:it|this|that)?\s*for\s+granted)\b)")
# "it shouldn't be assumed that ...", "this can't be taken for granted": it is assumed
_REFUSED_ASSUMPTION_PASSIVE: Final = re.compile(
    r"\b(?:(?:should|could|can|must)\s+not|cannot)\s+be\s+"
    r"(?=(?:just\s+|simply\s+)?(?:assumed|presumed|taken\s+for\s+granted)\b)")


def normalise(text: str) -> str:
    """Fold quotes, dashes, case and whitespace, spell out symbols and expand contractions."""
    return _normalised(text).translate(_PUNCTUATION_AS_SPACE)


def _normalised(text: str) -> str:
    """:func:`normalise` but for the dashes, slashes and quotes it turns into spaces, which
    :func:`words_and_breaks` skips as it skips spaces."""
    folded = fold_plain(text)
    # (a piece of every string _SYMBOLS looks for: most notes have none, found in fewer searches)
    if "=" in folded or "/" in folded or "+" in folded or "\u2260" in folded \
            or "propter" in folded:
        folded = _replace_all(folded, _SYMBOLS)
    if folded.lstrip()[:2] in _ANSWER_OPENINGS or _PAUSE.search(folded):
        folded = _replace_all(folded, _PAUSES)
    if "." in folded:
        folded = _replace_all(folded, _ABBREVIATION_FORMS)
    if _MISSPELT_NEGATION_BACKWARDS.search(folded[::-1]):
        folded = _MISSPELT_NEGATION_RE.sub(lambda m: _MISSPELT_NEGATION[m.group()], folded)
    if "'" in folded:
        folded = _replace_all(folded, _APOSTROPHES)
    if "ever " in folded:  # "however you report it": in whatever way, not a turn
        folded = _HOWEVER_AS_WAY.sub("whatever way", folded)
    if "agree more" in folded:  # "couldn't agree more" agrees
        folded = _AGREE_MORE.sub("agree completely", folded)
    for needle in _NUMBER_NEEDLES:
        if needle in folded:  # "twenty four people" reads as "24 people"
            folded = _NUMBER_WORDS.sub(_number, folded)
            break
    if "because" in folded:  # "just because X doesn't mean Y": a critique of an assumption
        folded = _JUST_BECAUSE.sub("assuming", folded)
    if "like to" in folded:  # "I'd like to know" asks; it does not approve ("i like")
        folded = _LIKE_TO.sub("i want to", folded)
    if "exact" in folded:
        folded = _EXACTLY_AS_STRESS.sub(lambda m: m.group(1) or m.group(2) or "", folded)
    if "right " in folded:
        folded = _RIGHT_AS_JUST.sub("just ", folded)
        folded = _RIGHT_AS_STRESS.sub("", folded)
    if "real " in folded:
        folded = _REAL_AS_STRESS.sub("very ", folded)
    if "actually" in folded or "in fact" in folded or "in reality" in folded:
        folded = _ACTUALLY_AS_STRESS.sub(lambda m: f"{m.group(1) or m.group(2) or ''}really",
                                         folded)
    if "%" in folded:
        folded = folded.replace("%", " percent ")
    if "hats" in folded or "heres" in folded:  # "thats", "whats"; "heres", "theres"
        folded = _NO_APOSTROPHE_IS.sub(r"\1 is", folded)
    if "its " in folded:
        folded = _NO_APOSTROPHE_ITS.sub("it is", folded)
    if "nt" in folded:  # "dont", "isnt", "cant"
        backwards, spelt = _NO_APOSTROPHE_BACKWARDS.subn(_not_backwards, folded[::-1])
        if spelt:
            folded = backwards[::-1]
    if (":" in folded or " -" in folded) and any(
            word in folded for word in _ASSUMPTION_LABEL_WORDS):
        folded = _ASSUMPTION_LABEL.sub(lambda m: f"{m.group(1) or m.group(2) or ''}it assumes ",
                                       folded)
        if "assumes" in folded or "presupposes" in folded:
            folded = _ASSUMES_COLON.sub(r"\1 that", folded)
    if "not" in folded and ("sum" in folded or "granted" in folded):
        folded = _REFUSED_ASSUMPTION.sub("", folded)
        folded = _REFUSED_ASSUMPTION_PASSIVE.sub("is ", folded)
    if " -" in folded:  # "no date - 'recent' could mean anything": a pause, like a comma
        folded = _SPACED_DASH.sub(" , ", folded)
    return folded


# the shorthand of notes typed on a phone, in full
SHORTHAND: Final[dict[str, tuple[str, ...]]] = {
    "u": ("you",), "ur": ("your",), "bc": ("because",), "bcos": ("because",),
    "bcuz": ("because",), "cuz": ("because",), "coz": ("because",), "ppl": ("people",),
    "tv": ("television",), "govt": ("government",), "thru": ("through",), "b4": ("before",),
    "smth": ("something",), "sth": ("something",), "rly": ("really",), "abt": ("about",),
    "probs": ("probably",), "esp": ("especially",), "diff": ("different",),
    "info": ("information",), "tho": ("though",), "altho": ("although",), "yrs": ("years",),
    "yr": ("year",),
}


# what a token of _WORD_OR_BREAK stands for, when not itself: shorthand in full (each is one
# word), a clause break as BREAK (a comma is SOFT already; a spaced dash is a comma by now)
_TOKEN_AS: Final = ({word: full for word, (full,) in SHORTHAND.items()}
                    | dict.fromkeys(".;!?:\n", BREAK))
_SHORTHAND_WORDS: Final = frozenset(SHORTHAND)
# _WORD_OR_BREAK's tokens of an ASCII text, found by str.split instead: every character of no
# token a space, every clause break BREAK (what _TOKEN_AS makes of each), then a space put on
# either side of each break and comma (str.translate of ASCII to single ASCII characters and
# str.split run in C a few times faster than findall, which tries the pattern at every character)
_TOKEN_SPACING: Final = str.maketrans(
    {chr(c): " " for c in range(128) if not ("a" <= chr(c) <= "z" or "0" <= chr(c) <= "9")}
    | dict.fromkeys(".;!?:\n", BREAK) | {SOFT: SOFT})


def words_and_breaks(text: str, commas: bool = False) -> list[str]:
    """Words of ``text`` (normalised), with ``"."`` wherever a clause ends (and ``","`` wherever
    a phrase ends inside one, when ``commas``)."""
    normalised = _normalised(text)
    if not normalised.isascii():
        tokens = _WORD_OR_BREAK.findall(normalised)
        get = _TOKEN_AS.get
        if commas:
            return [get(token, token) for token in tokens]
        return [get(token, token) for token in tokens if token != SOFT]
    tokens = normalised.translate(_TOKEN_SPACING).replace(BREAK, f" {BREAK} ").replace(
        SOFT, f" {SOFT} ").split()
    if not _SHORTHAND_WORDS.isdisjoint(tokens):  # most notes have no shorthand to spell out
        get = _TOKEN_AS.get
        tokens = [get(token, token) for token in tokens]
    if commas or SOFT not in normalised:
        return tokens
    return [token for token in tokens if token != SOFT]


def plain_words(text: str) -> list[str]:
    return [w for w in words_and_breaks(text) if w != BREAK]


class ConceptLexicon:
    """Stemmed single words and phrases mapped to concept tokens."""

    def __init__(self) -> None:
        self.single: dict[str, tuple[str, ...]] = {}
        # phrases by their first two stems, longest first
        self.multi: dict[tuple[str, str], list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        self.surface: set[str] = set()
        for concept, forms in GROUPS.items():
            target = ((NOT_BOUND, NEGATIVE_OF[concept]) if concept in NEGATIVE_OF
                      else (concept,))
            if concept in NEGATIONS:
                target = (concept,)
            for form in forms:
                self._add(form, target)
        # negators are matched by their surface form: "missing" negates, "misses" does not
        self.negators = frozenset(NEGATORS)
        for word, positive in NEGATED.items():
            positive_stems = tuple(stem(w) for w in plain_words(positive))
            base = self.single.get(positive_stems[0]) if len(positive_stems) == 1 else None
            self._add(word, (NOT_BOUND, *(base or positive_stems)))
        for entries in self.multi.values():
            entries.sort(key=lambda e: -len(e[0]))
        self.phrase_starts = frozenset(first for first, _ in self.multi)  # most words start none
        self.words: dict[str, tuple[str, tuple[str, ...] | None]] = {}
        self.clauses: dict[tuple[str, ...], tuple[str, ...]] = {}

    def clause(self, words: tuple[str, ...]) -> tuple[str, ...]:
        """:func:`concepts` of one clause's (corrected) words, with no ``SEP`` at the end; a
        class repeats its sentences, so each clause is read once (until the cache fills)."""
        found = self.clauses.get(words)
        if found is None:
            read = concepts(list(words), self)
            while read and read[-1] == SEP:
                read.pop()
            found = tuple(read)
            if len(self.clauses) >= CLAUSE_CACHE_SIZE:
                self.clauses.clear()
            self.clauses[words] = found
        return found

    def word(self, word: str) -> tuple[str, tuple[str, ...] | None]:
        """A word's stem and the concepts it names on its own (None for a grammar word that
        names none), worked out once per word."""
        found = self.words.get(word)
        if found is None:
            stemmed = stem(word)
            alone: tuple[str, ...] | None
            if word in self.negators:
                alone = (NOT,)  # by surface form: "did not fail", "not ... nothing" count twice
            elif word in STEM_COLLISIONS:
                alone = (word,)  # its own word, not the stem it shares with another
            else:
                alone = self.single.get(stemmed)
                if alone is None and word not in STOPWORDS and word not in LIGHT_WORDS:
                    alone = (stemmed,)
            found = (stemmed, alone)
            if len(self.words) < WORD_CACHE_SIZE:
                self.words[word] = found
        return found

    def _add(self, form: str, target: tuple[str, ...]) -> None:
        words = plain_words(form)
        if not words:
            return
        self.surface.update(words)
        stems = tuple(stem(w) for w in words)
        if len(stems) == 1:
            self.single.setdefault(stems[0], target)
        else:
            self.multi.setdefault((stems[0], stems[1]), []).append((stems, target))


@lru_cache(maxsize=1)
def concept_lexicon() -> ConceptLexicon:
    return ConceptLexicon()


@lru_cache(maxsize=1)
def _common_stems() -> frozenset[str]:
    return frozenset(stem(w) for w in COMMON_WORDS)


class Speller:
    """Corrects misspelt words to the nearest word of the lesson's vocabulary (same first letter,
    one edit for words up to 7 letters, two for longer ones, only swapped letters in four-letter
    words). A real word is never corrected: words of the lesson, of the lexicon and of a list of
    common English words (or sharing a stem with one) are left alone; nothing is corrected into a
    negation ("note" is not "none")."""

    def __init__(self, known: Iterable[str], targets: Iterable[str]) -> None:
        self.known = set(known) | COMMON_WORDS
        self.known_stems = _common_stems() | frozenset(
            stem(w) for w in self.known if len(w) >= 5 and w.isalpha())
        self.by_letter: dict[str, list[str]] = {}
        for word in sorted(set(targets) - NEGATORS):
            if len(word) >= 4 and word.isalpha():
                self.by_letter.setdefault(word[0], []).append(word)
        # by_letter's words near enough in length to be within the edit limit of a word of that
        # first letter and length, in by_letter's order (see _near)
        self.near: dict[tuple[str, int], list[str]] = {}
        self.cache: dict[str, str] = {}

    def _near(self, word: str, limit: int) -> list[str]:
        """The words of ``word``'s first letter whose length differs from its by at most
        ``limit``: no other is within ``limit`` edits of it (an edit adds or removes at most one
        letter), so the nearest is found among these alone, in the same order (the first of the
        nearest wins a tie), at a third of the cost."""
        key = (word[0], len(word))
        found = self.near.get(key)
        if found is None:
            found = [w for w in self.by_letter.get(word[0], ())
                     if abs(len(w) - len(word)) <= limit]
            self.near[key] = found
        return found

    def correct(self, word: str) -> str:
        hit = self.cache.get(word)  # every word read, so that a known word is one look-up too
        if hit is not None:
            return hit
        if word in self.known or len(word) < 4 or not word.isalpha():
            fixed = word
        elif stem(word) in self.known_stems:
            fixed = word  # an inflection of a real word ("notes", "cities")
        else:
            limit = 1 if len(word) <= 7 else 2
            found = process.extractOne(word, self._near(word, limit), scorer=OSA.distance,
                                       score_cutoff=limit)
            fixed = found[0] if found is not None else word
            if len(word) == 4 and sorted(fixed) != sorted(word):
                fixed = word  # a four-letter word is only corrected for swapped letters
        if len(self.cache) < WORD_CACHE_SIZE:
            self.cache[word] = fixed
        return fixed


# "more than anything / ever / before": emphasis, not a comparison with anyone (see concepts)
_EMPHATIC_THAN: Final = (["than", "anything"], ["than", "ever"], ["than", "before"],
                         ["than", "any"])


def concepts(words: list[str], lexicon: ConceptLexicon) -> list[str]:
    """Concept tokens of one clause's (already corrected) words."""
    known = lexicon.words
    read = [known.get(w) or lexicon.word(w) for w in words]
    stems = [stemmed for stemmed, _ in read]
    multi = lexicon.multi
    phrase_starts = lexicon.phrase_starts
    out: list[str] = []
    last: tuple[str, ...] = ()
    i = 0
    n = len(stems)
    while i < n:
        target: tuple[str, ...] | None = None
        width = 1
        if words[i] == SOFT:
            if out and out[-1] != SEP:
                out.append(SEP)
            i += 1
            continue
        if i + 1 < n and stems[i] in phrase_starts:
            for phrase, mapped in multi.get((stems[i], stems[i + 1]), ()):
                size = len(phrase)
                if tuple(stems[i:i + size]) == phrase:
                    target, width = mapped, size
                    break
        if target is None:
            target = read[i][1]
            if target is None:  # a grammar word
                i += 1
                continue
        if target[0] in MORE_ESCALATES and (
                words[i - 1:i] == ["more"]
                or (words[i + width:i + width + 1] == ["more"]
                    and words[i + width + 1:i + width + 3] not in _EMPHATIC_THAN)):
            # "want war more", "more weapons", "like war more than putin": escalation ("changed
            # war more than anything" is emphasis)
            target = (*target, ESCALATE)
        if target != last:  # "fake, made-up event" is one idea, "don't no" one negation
            if target[0] == "#know" and out and out[-1] == NOT:
                out[-1] = NOT_BOUND  # "we don't know what else changed": unknown, as "unknown"
                # says, and no denial that anything else changed
            out.extend(target)
            last = target
        i += width
    return out


def negations(concepts: Sequence[str]) -> int:
    """How many negations ``concepts`` make; "no date, no source" negates once, not twice."""
    if NOT_THAT not in concepts and NOTS.isdisjoint(concepts):
        return 0  # most clauses negate nothing: found without a loop in Python
    count = 0
    if SEP in concepts:
        concepts = [c for c in concepts if c != SEP]
    for i, concept in enumerate(concepts):
        if concept in NOTS and not (i >= 2 and concepts[i - 2] in NOTS
                                    and concepts[i - 1] not in NEGATIONS):
            count += 1
        elif concept == NOT_THAT:
            count += 1
    return count


_NONE: Final[frozenset[str]] = frozenset()


def negated(concepts: Sequence[str]) -> frozenset[str]:
    """Concepts that directly follow a negation ("not separatists" negates separatists)."""
    if NOTS.isdisjoint(concepts):
        return _NONE
    found = []  # (a loop that reads the word after a negation only: quicker than a generator)
    for i, concept in enumerate(concepts[:-1]):
        if concept in NOTS:
            after = concepts[i + 1]
            if after not in NEGATIONS and after != SEP:
                found.append(after)
    return frozenset(found)


@dataclass(frozen=True, slots=True)
class Explanation:
    """An explanation read for scoring."""

    clauses: tuple[tuple[str, ...], ...]  # concept tokens per clause
    concept_set: frozenset[str]
    word_count: int
    question: bool
    turns: frozenset[int] = frozenset()  # clauses that open with "but", "however" or "yet"
    # the last turn has nothing after it that names anything ("Nice for her, but so what?")
    bare_turn: bool = False


def looks_like_verb(word: str) -> bool:
    """A rough test for a verb: a common one, or a past form (not "unstated", "unsourced")."""
    return word in _VERB_HINTS or (len(word) > 4 and word.endswith("ed")
                                   and not word.startswith(("un", "non", "out")))


# ", and that it won't hurt anyone": a second thing the same verb ("assumes") governs (but not
# ", and that's right", which answers it)
_SAME_THAT: Final = frozenset({("and", "that"), ("or", "that")})


# words after which "i" goes on with the same statement ("a coup would be huge news and i saw
# nothing", "what i mean"; CLAUSE_WORDS such as "because" are here too: misspelt, "bcause" is
# corrected to one only after the test for a clause word)
_JOINS_I: Final = frozenset({
    "and", "but", "so", "because", "cause", "cos", "coz", "as", "that", "which", "what", "if",
    "when", "than", "or", "since", "until", "unless", "though", "although", "where", "why", "how",
    "who", "whether", "then", "yet", "nor", "till", "while", "whereas", "after", "before", "once"})


def read_explanation(words_with_breaks: Sequence[str], speller: Speller,
                     lexicon: ConceptLexicon, question: bool) -> Explanation:
    clauses: list[tuple[str, ...]] = []
    current: list[str] = []
    turns: set[int] = set()
    word_count = 0
    # most words are in the speller's cache (every word read is): looked up here, without a call
    # for each word (a stand-in for the speller with correct() alone has none)
    corrected = speller.cache.get if isinstance(speller, Speller) else {}.get
    correct = speller.correct
    read_clause = lexicon.clause

    def flush() -> None:
        if current:
            found = read_clause(tuple(current))
            if found:
                clauses.append(found)
            current.clear()

    for at, token in enumerate(words_with_breaks):
        if token == BREAK:
            flush()
            continue
        if token == SOFT:
            if tuple(words_with_breaks[at + 1:at + 3]) not in _SAME_THAT \
                    or words_with_breaks[at + 3:at + 4] in (["is"], ["s"], ["was"]):
                current.append(token)  # ", and that ..." goes on with what came before
            continue
        word_count += 1
        if token in CLAUSE_WORDS:
            flush()
            if token in TURN_WORDS:
                turns.add(len(clauses))
            continue
        if token == "i" and current and current[-1] != SOFT \
                and current[-1] not in _JOINS_I:  # noqa: S105 - a word token, not a password
            current.append(SOFT)  # "putin is gone i dont like him": a new statement, unpunctuated
        fixed = corrected(token)
        current.append(fixed if fixed is not None else correct(token))
    flush()
    concept_set = frozenset().union(*clauses) - {SEP}
    return Explanation(tuple(clauses), concept_set, word_count, question,
                       frozenset(t for t in turns if t < len(clauses)), len(clauses) in turns)

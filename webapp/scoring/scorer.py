"""Judge learner annotations against a lesson's premise rubric.

For each annotation: anchor the highlight (``anchoring.py``); reject what is not an explanation
(empty, copied from the article, a list of keywords, shuffled words, a note to the grader, an
off-topic text, a highlight of most of the article); read the explanation into clauses of concepts
(``language.py``: folding, contractions, typo correction, stemming, synonym groups); match every
rubric phrasing by the weighted share of its concepts that one clause (or two short ones together)
names, refusing matches whose negation parity differs from the phrasing's ("the coup happened" is
not "the coup never happened"); then decide per rubric item:

* full    -- the highlight overlaps one of the item's passages and the note names ``full_requires``
             of its key ideas (or matches an instructor-accepted answer);
* partial -- on the item's passage: a partial idea, a key idea half named, or a question or
             sceptical remark that names nothing ("Source?", "Not always."); or the premise named
             clearly with the highlight elsewhere;
* none    -- anything else, including a misreading that matches better than any key idea.

When the highlight overlaps several items, the explanation decides. The confidence is the
distance of the deciding score from its threshold, so doubtful cases can go to an instructor.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import accumulate, chain
from string import ascii_letters
from typing import Any, Final

import numpy as np

from ..content.schema import Lesson
from .anchoring import anchor
from .annotations import ParsedAnnotation, parse_annotations
from .language import (
    BREAK,
    SEP,
    SOFT,
    Explanation,
    looks_like_verb,
    negated,
    negations,
    plain_words,
    read_explanation,
    stem,
    word_start,
    words_and_breaks,
)
from .lexicon import (
    LIGHT_WORDS,
    NEGATIONS,
    NEGATORS,
    NOT,
    NOT_BOUND,
    NOT_THAT,
    NOTS,
    STOPWORDS,
)
from .prepared import (
    ACTOR_IGNORED,
    COPY_NGRAM,
    GENERIC_CONCEPTS,
    KEY,
    MISREADING,
    PARTIAL,
    PassageWords,
    Phrasing,
    PreparedLesson,
    prepare,
)
from .results import AnnotationScore, ItemScore, LessonScore


def _holds_any(text: str, words: tuple[str, ...]) -> bool:
    """Whether ``text`` holds any of ``words``: a loop, as a generator given to any() costs a
    third more for the notes that hold none (the most)."""
    for word in words:
        if word in text:
            return True
    return False


def _case_free(text: str) -> bool:
    """Whether ignoring case in ``text`` is lowering it: it is ASCII, or its other characters
    have no case (dashes, curly quotes, symbols, emoji), so that no pattern's letter matches
    them, and lowering keeps each where it is (see :class:`_CaseFree`)."""
    return text.isascii() or _caseless_beyond_ascii(text)


@lru_cache(maxsize=256)  # asked a dozen times of each note that is not ASCII
def _caseless_beyond_ascii(text: str) -> bool:
    return all(c.isascii() or c.lower() == c == c.upper() for c in set(text))


class _CaseFree:
    """A pattern that ignores case, searched in a note's lower-cased text without IGNORECASE when
    the note is ASCII (or :func:`_case_free`): there lower case is all that ignoring case means,
    so the matches are the same at the same positions, and the engine is two to three times
    quicker. ``lowered`` is always ``text.lower()``; the matches' groups come from it. ``needs``:
    words one of which every match holds, so that in such a note without any the pattern is not
    run at all."""

    __slots__ = ("folding", "lower", "needs")

    def __init__(self, pattern: re.Pattern[str], needs: tuple[str, ...] = ()) -> None:
        self.folding = pattern
        self.lower = re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)
        self.needs = needs

    def _absent(self, lowered: str) -> bool:
        return bool(self.needs) and not _holds_any(lowered, self.needs)

    def search(self, text: str, lowered: str, pos: int = 0) -> re.Match[str] | None:
        if _case_free(text):
            return None if self._absent(lowered) else self.lower.search(lowered, pos)
        return self.folding.search(text, pos)

    def match(self, text: str, lowered: str, pos: int = 0) -> re.Match[str] | None:
        if _case_free(text):
            return None if self._absent(lowered) else self.lower.match(lowered, pos)
        return self.folding.match(text, pos)

    def finditer(self, text: str, lowered: str) -> Iterator[re.Match[str]]:
        if _case_free(text):
            return iter(()) if self._absent(lowered) else self.lower.finditer(lowered)
        return self.folding.finditer(text)


class _Alternatives:
    """A pattern that ignores case, given as its alternatives (``a|b|...``), each with words one of
    which its every match holds in the lower-cased note. In an ASCII note (see :class:`_CaseFree`)
    only the alternatives whose words the note has are run, each alone: the one pattern of them
    all is tried at every character of the note. The match is the one pattern's: the leftmost,
    and of those that start there the first alternative's."""

    __slots__ = ("alternatives", "folding", "words")

    def __init__(self, flags: int, *alternatives: tuple[tuple[str, ...], str]) -> None:
        self.folding = re.compile("|".join(source for _, source in alternatives), flags)
        self.alternatives = tuple((needs, re.compile(source, flags & ~re.IGNORECASE))
                                  for needs, source in alternatives)
        # words one of which every match of any alternative holds: the alternatives' own, less
        # those that hold another ("rings" holds "ring"), for a caller to skip the search with
        every = {word for needs, _ in alternatives for word in needs}
        self.words = tuple(sorted(word for word in every
                                  if not any(other != word and other in word for other in every)))

    def search(self, text: str, lowered: str) -> re.Match[str] | None:
        if not _case_free(text):
            return self.folding.search(text)
        best = None
        for needs, pattern in self.alternatives:  # (loops, not any(): run for most notes)
            for word in needs:
                if word in lowered:
                    found = pattern.search(lowered)
                    if found is not None and (best is None or found.start() < best.start()):
                        best = found
                    break
        return best


KEY_MATCH: Final = 0.75  # weighted share of a phrasing's concepts that names the idea
FULL_MATCH: Final = 0.8  # partial ideas and misreadings must match more closely
WEAK_MATCH: Final = 0.7  # a key idea half-named: partial evidence on the right passage
# a partial idea or a misreading counts only from FULL_MATCH (its share rounded to 3 digits, or
# not): matching leaves out at once one whose share is below this before the checks, which can
# only lower it
BELOW_FULL: Final = FULL_MATCH - 0.001
ACCEPTED_MATCH: Final = 0.8
ELSEWHERE_MATCH: Final = 0.85  # premise named away from its passage: must be named clearly
MAX_HIGHLIGHT_SHARE: Final = 0.5
MIN_OVERLAP_CHARS: Final = 8
SPREAD_PENALTY: Final = 0.95
APPROVING_PENALTY: Final = 0.85
# concepts in an unpunctuated clause where a phrasing's may lie scattered
SCATTER_CLAUSE: Final = 10
SCATTER_SPAN: Final = 2  # concepts allowed between a phrasing's own, per concept shared
SHUFFLE_PENALTY: Final = 0.65  # below WEAK_MATCH: a shuffled full match earns nothing
CLAUSE_CACHE_SIZE: Final = 50_000
OFF_TOPIC_MIN_WORDS: Final = 20
OFF_TOPIC_SHARE: Final = 0.45
OFF_TOPIC_LONG: Final = 28
OFF_TOPIC_LONG_SHARE: Final = 0.6
# a long note little about the lesson must name a premise this surely, in one sentence, and be
# about its passage (share a word with it): "World War 2 ended after the atomic bombs" does not
# name the risk of a wider, nuclear war that the article never weighs
OFF_TOPIC_NAMED: Final = 0.9
BUZZWORDS: Final = frozenset("""premise premises assumption assumptions unstated fallacy bias
assumed asserted unsourced unsupported unproven generalisation generalization""".split())
# not "her": "told her it"
DETERMINERS: Final = frozenset("the a an its their his our my your".split())
STRICT_FUNCTION_WORDS: Final = frozenset("""
the a an this that these those its their his her our my your of in on at to for from with by
about into over under and or but so because if than as is are was were be been being am has have
had do does did can could will would should may might must it they he she we you i not no never
""".split())
# words that make a run of words a sentence rather than a list of keywords
SENTENCE_WORDS: Final = STRICT_FUNCTION_WORDS | frozenset("""
maybe just now too so very then there who what why how when where which also even still really
probably perhaps already anyway someone everyone inside outside another other within between
vs versus against more less than tho tbh lol got gets sounds seems looks way like
""".split())
# irregular past tenses, which no determiner goes before ("the grew", "a went")
PAST_TENSES: Final = frozenset("""
grew went came took gave said saw knew thought told became began ran wrote got did was were
""".split())
# a past tense that takes no object, and past tenses that are never participles: side by side
# ("fell grew", "rose went") they are words shuffled out of two sentences
INTRANSITIVE_PASTS: Final = frozenset("fell rose went came grew".split())
PURE_PASTS: Final = frozenset("fell grew went came took gave began wrote knew".split())
# prepositions that join the words of one keyword ("appeal to authority", "burden of proof")
KEYWORD_JOINS: Final = frozenset("to of for from in on by with vs versus and or not".split())
# "-ed" words that may come before "never" ("I'm tired, never again" aside, these are not verbs)
NOT_A_PAST_BEFORE_NEVER: Final = frozenset("need indeed speed seed feed breed bleed".split())
AFTER_VERB_NEVER: Final = frozenset("to again mind before ever once".split())
# not "a nobody", "a somebody"
INDEFINITE_PRONOUNS: Final = frozenset("""something anything everything nothing someone anyone
everyone anybody everybody""".split())
DANGLING_END: Final = frozenset("the a an of its their than".split())
# a note may stop on "and" or "or" when the learner was cut off ("... the coup is fictional and"):
# a run of words with no verb that ends so is shuffled, a sentence that ends so is unfinished
DANGLING_CONJUNCTIONS: Final = frozenset({"and", "or"})
ENDS_NO_SENTENCE: Final = frozenset({"the", "an"})  # whatever the punctuation
SENTENCE_SHARE: Final = 0.3  # ... and a sentence has at least this share of grammar words
# a note ends on "not" only after a word that can take it there ("or not", "maybe not", "is
# not", "I hope not"); after any other word it is out of place ("... confounder lower not")
ENDS_BEFORE_NOT: Final = frozenset("""
or if whether maybe perhaps probably possibly likely certainly definitely absolutely surely
apparently obviously clearly evidently hopefully course why is are was were be do does did can
could would should will shall may might must has have had hope think guess believe afraid better
still yet also just really often
""".split())
ITS_AS_IT_IS: Final = frozenset(
    "not never still always a an the all just only so too very with about got been from in on at "
    "because like for to by their his her our my your this that".split())
DOUBT_CONCEPTS: Final = frozenset({"#question", "#risk", "#vague", "#contradict"})
# words that find fault without saying which ("this is wrong", "feels manipulative", "a bit of a
# sneer", "oversimplification", "what a leap"): read as stems, they doubt the
# passage vaguely, as the lexicon's #question words do
# ("fishy", "dubious", "simplistic" are #question and "baseless", "unfounded" a negated #source
# in the lexicon already: they are doubts without being listed here)
# ("overgeneralis" is the stem of "overgeneralising", "overgener" that of "overgeneralisation")
FAULT_WORDS: Final = frozenset({"wrong", "manipul", "pushi", "dodgi", "sneer", "editorialis",
                         "oversimplif", "overgener", "overgeneralis", "scaremong", "flaw", "leap",
                         "hasti", "hype", "sweep", "tack", "iffi", "sneaki", "specul",
                         "unscientif", "fearmong"})
# ... and virtues a sentence denies the passage ("not very scientific", "hardly neutral")
DENIED_VIRTUES: Final = frozenset({"scientif", "neutral", "object", "imparti"})
# a complaint is vague when its sentence names at most this much else
FAULT_SENTENCE_CONCEPTS: Final = 3
# "not always", "not proven", "never explained", "no details", "not considered", "I don't agree":
# vague critiques
VAGUE_CRITIQUES: Final = frozenset({"#always", "#happen", "#source", "#know", "#mention", "#detail",
                             "#weigh", "#legal", "#ethical", "#agree"})
RESTATEMENT_CONCEPTS: Final = 4  # a note that restates its passage says at least this much
# a note this short with no concept but a sceptical word is a vague doubt
BARE_DOUBT_WORDS: Final = 6
SCEPTIC_WORDS: Final = frozenset("but too what why how really though yet only just even".split())
# "None of the risks? Really?": the passage's own words asked back in disbelief are a doubt
DOUBTING_WORDS: Final = frozenset("really seriously sure rly srsly".split())
# "how do they know it's becoming a fact of life?": the passage's words, asked about
_DOUBTING_QUESTION: Final = re.compile(
    r"\bhow (?:do|does|did|can|could|would) (?:we|they|you|i|he|she|it|the \w+) (?:even )?"
    r"(?:know|tell|be sure)\b|\bwho says\b|\bsays who\b|\bis (?:that|this|it) (?:even |actually )?"
    r"true\b|\bwhat(?:'s|\u2019s| is) the (?:evidence|proof|source)\b")
# "need more context for these numbers", "I'd want a date and a source for this", "generalisation -
# needs examples", "Check the map on this.", "fact-check w a pharmacist": a note that asks for
# the claim's grounds, or tells the reader to check it, doubts it as "no source" does
_GROUNDS_WANTED: Final = re.compile(
    r"\b(?:needs?|needed|want|wants|wanted|like to see|requires?)\s+(?:(?:a|an|some|more|the|any|"
    r"real|actual|proper|hard|better|clear|its|their|his|her|to\s+see|to\s+know|to\s+have|a\s+lot"
    r"|much|of|lot)\s+){0,3}(?:sources?|evidence|proof|examples?|context|dates?|details?|data|"
    r"info|information|citations?|references?|figures|numbers|stats|statistics|facts)\b"
    r"|(?:^|[.!?;:\u2013\u2014-]\s*)(?:fact[\s-]?)?check\b|\bfact[\s-]?check\b"
    r"|(?:^|[.!?;:\u2013\u2014-]\s*)(?:verify|double[\s-]?check)\b")
_GROUNDS_WORDS: Final = ("need", "want", "like to see", "requir", "check", "verify", "warrant")
# "no warrant (for this)": the claim's grounds are missing; whatever claim a "that" clause names
# is the text's (a premise named so matches before the doubt is read)
# ("no warrant needed" vouches)
_NO_WARRANT: Final = re.compile(
    r"\b(?:no|without|any)\s+(?:real\s+)?warrant\b(?!\s+(?:is\s+)?(?:needed|required|necessary))"
    r"|\bunwarranted\b")
# A doubt is vague: a note that asserts a point of its own (this many ideas or more, none of them
# the item's, with no question or hedge) is a different reading of the passage, not a vague doubt
# of it ("Paint and bollards are quite cheap compared to resurfacing, so the scheme wouldn't cost
# that much"); a long note (more words than DOUBT_POINT_WORDS) keeps the doubt's partial, for an
# instructor to review: it is more often an answer in words the rubric lacks
DOUBT_POINT_CONCEPTS: Final = 5
DOUBT_POINT_WORDS: Final = 40
# words that hedge ("maybe", "I'd check", "it feels", "rather simple"); "not sure", "I doubt",
# "I wonder" and the like are read as #question, with judgements of how the passage is put
# ("exaggerating", "biased", "emotional"): those hedge, these do not (_QUESTION_HEDGES)
HEDGES: Final = frozenset({"mayb", "perhap", "feel", "check", "confess", "rather", "simpl"})
# a hedge that, beside a negation in its sentence, doubts the claim ("maybe not distracted")
HEDGED_DENIAL: Final = frozenset({"mayb", "perhap", "probabl"})
# hedges in words, as a note says them ("maybe", "seems", "I think")
_HEDGED: Final = re.compile(
    r"\b(?:maybe|perhaps|probably|possibly|not sure|unsure|doubt\w*|wonder\w*|hmm+|seems?|might|"
    r"may|feels?|i think|i guess|not convinced|unconvinced)\b", re.IGNORECASE)
# words that doubt whether the claim is true ("I don't trust it", "not convinced"): a reason
# given for them is a reason to doubt the claim itself (_argues)
_DOUBT_OF_TRUTH: Final = r"true|truth|trust\w*|distrust\w*|believ\w*|convinc\w*"
_DOUBTS_CLAIM: Final = re.compile(rf"\b(?:{_DOUBT_OF_TRUTH})\b", re.IGNORECASE)
# a #question word hedges in a note that hedges in words (_HEDGED), doubts whether the claim is
# true, or asks whether it is shown ("big if", "nothing shows it", "really"); "the author is
# exaggerating how well the ban worked. it would need to be like 20% to matter" judges, and says
# what of its own
_QUESTION_HEDGES: Final = re.compile(
    rf"\b(?:{_DOUBT_OF_TRUTH}|disagree\w*|sure|know\w*|real|really|actually|show\w*|prove\w*|"
    r"proof|evidence|if)\b", re.IGNORECASE)
# "Contradiction?", "Outdated?": a bare question earns partial at most
BARE_QUESTION_WORDS: Final = 3
# The learner's own hesitation ("hmm", "not sure", "I wonder", a closing "Confusing."): a short
# note that hesitates names the premise only tentatively, and earns half credit at most ("attack
# and defend in the same sentence? hmm", "Is it still separatists? Not sure that's right."). Of
# the tune notes of at most HESITANT_WORDS words with one, teachers gave none full credit (180
# half); longer notes that open "not sure if this counts but ..." go on to argue their point
_HESITATION: Final = re.compile(
    r"\b(?:hmm+|not sure|unsure|i wonder)\b|(?:^|[.!?]\s*)(?:(?:so|very|bit|a bit|kind of|kinda|"
    r"quite|rather|pretty)\s+)?confus(?:ing|ed)\W*$")
HESITANT_WORDS: Final = 15

# Notes to the grader, in kinds, each with the words one of which its every match contains (in
# the lower-cased note): a kind's pattern runs only on a note with one of its words. Most notes
# have a word of some kind ("full", "give", "point"): one pattern of every alternative, tried at
# each character of such a note, cost as much as all the other pre-checks; a kind's alone costs
# little. Whether any kind matches is all that is asked.
_GRADER_NOTES: Final[tuple[tuple[tuple[str, ...], re.Pattern[str]], ...]] = (
    (("credit", "mark", "point", "score"), re.compile(
        r"\b(full|maximum|max|all|extra|bonus)\s+(credit|marks?|points?|score)\b"
        r"|\bmark (this|it|me) (as )?(correct|right)\b|\bscore (this|it|me)\b|\b1\.0 credit")),
    (("give", "award", "grant", "assign"), re.compile(
        # an order ("give me full marks", "please award this"), not "He give us only two choice"
        r"(?:^|[.!?;:,]\s*|\b(?:please|pls|plz|so|and|just|now)\s+)"
        r"(give|award|grant)\s+(me|this|it|us)\b"
        r"|\b(give|award|assign)\s+(me|this|it|us)\s+(a\s+)?(1(\.0)?|100|10|one|an? a)\b"
        r"|\b(give|award|assign)\s+1\.0\b")),
    (("grad", "marker", "scor", "marking"), re.compile(
        r"\b(grader|marker|grading(?! (?:your|their|his|her|its|our|my) own)|autograder|scorer)\b"
        r"|\b(scoring|grading|marking) (system|tool|software|bot|ai)\b")),
    (("ignore",), re.compile(
        # an order to the grader, not "the author ignore(s) all this"
        r"(?:^|[.!?;:]\s*|\bplease\s+|\b(?:and|so|just)\s+)"
        r"ignore (the|all|any|previous|prior|your|above)\b")),
    (("system", "rubric", "instruction"), re.compile(
        r"\b(system prompt|the rubric|your instructions|these instructions)\b")),
    (("deserv",), re.compile(
        r"\bi deserve\b"
        r"|\b(this )?deserves? (full|100|top|the highest|an? a\b|credit|marks?|points?)")),
    (("please",), re.compile(r"\bplease (give|award|accept|grade|pass)\b")),
    (("answer", "correct"), re.compile(
        # "this is the right answer", not "they know what the right answer is" (said of others)
        r"(?:^\W*|\b(?:this|that|it|here|mine|my answer) is |\b(?:here'?s|my|i gave|i have) )"
        r"(?:the |a )?(correct|right) answer\b|\bthis (answer )?is correct\b")),
    (("note to", "dear"), re.compile(
        r"\bnote to (the )?(teacher|grader|marker|system|ai|computer|instructor|checker)\b"
        r"|\bdear (teacher|grader|marker|instructor|ai|computer)\b")),
    (("10/10",), re.compile(r"\b10/10")),
)


def _to_grader(lowered: str) -> bool:
    """Whether a note (in lower case) is addressed to whoever grades it."""
    for words, pattern in _GRADER_NOTES:  # (loops, not any() of generators: run for every note)
        for word in words:
            if word in lowered:
                if pattern.search(lowered):
                    return True
                break
    return False

FEEDBACK_EMPTY: Final = "Write a note saying what this passage takes for granted."
FEEDBACK_WHOLE = ("Your highlight covers several paragraphs of the article. Highlight the passage "
                  "your note is about, then say what it takes for granted.")
FEEDBACK_COPIED = ("Your note repeats the article's own words. Say in your own words what the "
                   "passage takes for granted and why that matters.")
FEEDBACK_SALAD: Final = ("A list of keywords is not an explanation. Write a sentence saying "
                         "what the passage assumes and why that matters.")
FEEDBACK_GRADER = ("Notes addressed to whoever grades earn nothing. Explain what the passage takes "
                   "for granted.")
FEEDBACK_NOTHING = ("This note does not name an unstated premise of the article yet. Pick a claim "
                    "and ask what it takes for granted.")
FEEDBACK_OFF_TOPIC = ("This note is about something else. Say what this passage of the article "
                      "takes for granted.")
FEEDBACK_UNCLEAR: Final = ("Your note does not yet say what this passage takes for granted.")
FEEDBACK_DEFINES = ("That explains what a word means. Say instead what the passage takes for "
                    "granted: what must be true for it to make sense?")
FEEDBACK_ENDORSES = ("That agrees with the article. Ask instead what it takes for granted: what "
                     "would have to be true for this to hold, and is it?")


@dataclass
class ItemEvidence:
    """What one annotation's note says about one rubric item: for each kind of phrasing, the best
    share of its concepts found (``key`` per idea) and the weight behind the best match."""

    key: dict[str, float] = field(default_factory=dict)
    key_best: tuple[float, float] = (0.0, 0.0)
    key_spread: bool = False  # the best key phrasing was named only by the sentences together
    key_at: int = -1  # the clause the best key phrasing was named in (see _match)
    key_phrasing: int = -1  # ... and which phrasing it was
    partial: float = 0.0
    misreading_best: tuple[float, float] = (0.0, 0.0)
    misreading_label: str | None = None
    misreading_at: int = -1  # ... and the best misreading
    misreading_phrasing: int = -1
    misreading_spread: bool = False  # ... named only by the sentences read together
    misreading_alone: float = 0.0  # the best share of a misreading named in one sentence
    key_alone: float = 0.0  # the best share of a key phrasing named in one sentence
    accepted: float = 0.0
    denied: float = 0.0  # best share of a key phrasing the note says with the opposite polarity
    flat_denial: float = 0.0  # ... and of one it negates outright ("it is not a base rate issue")
    flat_weight: float = 0.0  # the weight of the rubric's words behind that denial
    # the note restates a misreading and then turns on it ("all failing students had phones, but
    # so do the passing ones"): the key idea named after "but" answers the misreading before it
    key_answers_misreading: bool = False

    # (written out: the scorer makes several per note, and the compiled build compiles an
    # __init__ written here, where the one dataclasses writes stays interpreted, four times as
    # slow; dataclasses keeps an __init__ the class defines)
    def __init__(self, key: dict[str, float] | None = None,
                 key_best: tuple[float, float] = (0.0, 0.0), key_spread: bool = False,
                 key_at: int = -1, key_phrasing: int = -1, partial: float = 0.0,
                 misreading_best: tuple[float, float] = (0.0, 0.0),
                 misreading_label: str | None = None, misreading_at: int = -1,
                 misreading_phrasing: int = -1, misreading_spread: bool = False,
                 misreading_alone: float = 0.0, key_alone: float = 0.0, accepted: float = 0.0,
                 denied: float = 0.0, flat_denial: float = 0.0, flat_weight: float = 0.0,
                 key_answers_misreading: bool = False) -> None:
        self.key = {} if key is None else key
        self.key_best = key_best
        self.key_spread = key_spread
        self.key_at = key_at
        self.key_phrasing = key_phrasing
        self.partial = partial
        self.misreading_best = misreading_best
        self.misreading_label = misreading_label
        self.misreading_at = misreading_at
        self.misreading_phrasing = misreading_phrasing
        self.misreading_spread = misreading_spread
        self.misreading_alone = misreading_alone
        self.key_alone = key_alone
        self.accepted = accepted
        self.denied = denied
        self.flat_denial = flat_denial
        self.flat_weight = flat_weight
        self.key_answers_misreading = key_answers_misreading


def _error(parsed: ParsedAnnotation, message: str) -> AnnotationScore:
    return AnnotationScore(id=parsed.id, item=None, credit=0.0, confidence=1.0,
                           feedback=f"This annotation could not be scored: {message}.",
                           error=message)


def _zero(parsed: ParsedAnnotation, span: tuple[int, int], feedback: str, confidence: float,
          flags: tuple[str, ...] = ()) -> AnnotationScore:
    return AnnotationScore(id=parsed.id, item=None, credit=0.0, confidence=round(confidence, 3),
                           feedback=feedback, start=span[0], end=span[1], flags=flags)


def _copied_mask(words: list[str], plain: list[str], prep: PreparedLesson) -> list[bool] | None:
    """Which of ``words`` are in a run of COPY_NGRAM words the article has too (``plain``: the
    words without breaks), or None when none is."""
    grams = prep.article_ngrams
    if grams.isdisjoint(zip(*(plain[j:] for j in range(COPY_NGRAM)), strict=False)):
        return None  # most notes copy nothing: no list to build and count
    positions = [i for i, w in enumerate(words) if w != BREAK and w != SOFT]
    mask = [False] * len(words)
    for k, gram in enumerate(zip(*(plain[j:] for j in range(COPY_NGRAM)), strict=False)):
        if gram in grams:
            for i in positions[k:k + COPY_NGRAM]:
                mask[i] = True
    return mask


PASSAGE_WORDS_ONLY: Final = 4  # a note of this many content words, every one the highlight's own


def _in_passage(word: str, passage: PassageWords) -> bool:
    """Whether ``word`` is one of the passage's words, or the same word in another form
    ("including" for "included", "shows" for "shown")."""
    if word in passage:
        return True
    root = stem(word)
    # (a root of four letters or more that one of the passage's words starts with)
    return root in passage or (len(root) >= 4 and root in passage.prefixes)


def _only_passage_words(plain: Sequence[str], passage: PassageWords) -> bool:
    """A note made only of the highlighted passage's words, in any order ("side effects plant
    natural no worry generations"): a restatement or a shuffled copy, however it is arranged. A
    word the passage lacks, a negation included, makes it the learner's own."""
    own = [w for w in plain if w not in STOPWORDS and w not in LIGHT_WORDS]
    if len(own) - sum(map(NEGATORS.__contains__, own)) < PASSAGE_WORDS_ONLY:
        return False  # (the words that are no negation, counted without a loop in Python)
    at = 0
    while at < len(own):
        if at + 1 < len(own) and own[at] + own[at + 1] in passage:
            at += 2  # "smart phone" for "smartphone"
        elif _in_passage(own[at], passage):
            at += 1
        else:
            return False
    return True


# words that label a copy as an assumption ("assumes: <the passage>") without adding to it
LABEL_WORDS: Final = frozenset("""
assume assumes assumed assuming assumption assumptions presume presumes presupposes premise
premises suppressed hidden unstated implicit granted treats author writer article text""".split())


def _labelled_copy(own: Sequence[str], passage: PassageWords) -> bool:
    """What is left of a mostly copied note besides the copy: only the passage's own words and
    words that call it an assumption ("assumes: the coup in russia created a window of
    opportunity ..."), so it names nothing the passage does not say."""
    rest = [w for w in own if w != BREAK and w != SOFT and w not in STOPWORDS
            and w not in LIGHT_WORDS and w not in LABEL_WORDS]
    return all(_in_passage(w, passage) for w in rest)


# "The writer says these are only details": the passage reported back, with nothing added
_REPORTS: Final = re.compile(
    r"^\W*(?:(?:the|this)\s+)?(?:writer|author|article|text|column|columnist|piece|he|she|they)"
    r"\s+(?:(?:just|only|basically|simply|is|was)\s+){0,2}"
    r"(?:says?|saying|said|states?|stating|claims?|claiming|argues?|arguing|writes?|tells?\s+us|"
    r"thinks?|believes?)\b\W*(?:that\b)?",
    re.IGNORECASE)
REPORTED_WORDS: Final = 3  # a report of the passage with this many content words, all the passage's


def _reports_passage(explanation: str, passage: PassageWords) -> bool:
    """A note that only says what the passage says ("The writer says these things are only
    details and the overall pattern is unmistakable"): a restatement, however it is introduced."""
    opening = _REPORTS.match(explanation)
    if opening is None:
        return False
    rest = [w for w in words_and_breaks(explanation[opening.end():])
            if w != BREAK and w not in STOPWORDS and w not in LIGHT_WORDS]
    if len(rest) < REPORTED_WORDS or any(w in NEGATORS for w in rest):
        return False
    return all(_in_passage(w, passage) for w in rest)


def _content_count(words: Sequence[str]) -> int:
    return sum(1 for w in words if w != BREAK and w != SOFT and w not in STOPWORDS
               and w not in LIGHT_WORDS)


_LIST_LABEL: Final = re.compile(r"^\W*(key ?words?|tags?|terms?|concepts?|premises?|assumptions?|"
                         r"fallac(?:y|ies)|topics?|(?:the )?flow|steps)"
                         r"\s*:", re.IGNORECASE)
_LIST_HEADING: Final = re.compile(r"^\W*([^:.;,?!\n]+):\s")
LIST_HEADING_WORDS: Final = 6
# "no second source", "the Millbrook example"
LIST_TAG_OPENERS: Final = frozenset({"no", "the", "a"})
# (and numbered items: "1) pilot = 1 lane 2) next yr both lanes"). It is the pattern
# [,.;:/|\u2022\n]+|\s[-\u2013\u2014]+\s|\s-+>\s|(?:^|\s)\d{1,2}[).](?=\s) written for speed: one
# class of the characters a break starts with, then what follows by what that character was
# (looked back at), so that the engine skips ahead to such a character instead of trying every
# alternative at every character of the note
_FRAGMENT_BREAK = re.compile(r"[,.;:!/|\u2022\n\s\d](?:(?<=[,.;:!/|\u2022\n])[,.;:!/|\u2022\n]*"
                             r"|(?<=\s)(?:[-\u2013\u2014]+\s|-+>\s|\d{1,2}[).](?=\s))"
                             r"|(?<=^\d)\d?[).](?=\s))")
_LIST_WORD: Final = re.compile(r"[a-z0-9']+")
# a run of this many words with no punctuation, less than this share of them grammar words
# ("the", "of", "is", "not") and this many content words somewhere in a row: no sentence (the
# credited notes this thin have at most five content words in a row)
THIN_RUN: Final = 12
THIN_SHARE: Final = 0.2
THIN_CONTENT_RUN: Final = 6


def _thin(plain: Sequence[str]) -> bool:
    grammar = 0
    run = longest = 0
    for w in plain:
        if w in STOPWORDS or w in NEGATORS:
            grammar += 1
            run = 0
        else:
            run += 1
            longest = max(longest, run)
    return grammar < THIN_SHARE * len(plain) and longest >= THIN_CONTENT_RUN
LONG_RUN: Final = 10  # words with no punctuation and one lone negation for grammar: a keyword list
BUZZ_RUN: Final = 6  # ... or this many, two of them BUZZWORDS
BARE_RUN: Final = 8  # ... or this many with no grammar word at all, whatever verbs they hold
# ("escalation ladder deterrence nuclear C2 risk weighed ignored BLUF")
LIST_FRAGMENT_WORDS: Final = 3  # "fake coup / putin still president / hypothetical": a list of tags
# more of _LIST_WORD's words than a tag has (LIST_FRAGMENT_WORDS, one more after a label), found
# at the start of a lower-cased fragment without making a list of them: runs of its characters
# with another character between each two (so that no run is split in two)
_TOO_LONG_FOR_A_TAG: Final = {labelled: re.compile(
    rf"[^a-z0-9']*[a-z0-9']+(?:[^a-z0-9']+[a-z0-9']+){{{LIST_FRAGMENT_WORDS + labelled}}}")
    for labelled in (False, True)}


def _keyword_list(explanation: str) -> bool:
    """Tags separated by punctuation ("Fake. Coup. Putin.", "Keywords: a, b, c"): no reasoning."""
    colon = ":" in explanation  # a label and a heading end with one; most notes have none
    labelled = _LIST_LABEL.match(explanation) if colon else None
    if labelled:
        return _tags(explanation[labelled.end():], 2, labelled=True)
    if _tags(explanation, 3):
        return True
    # a heading of its own ("Points for discussion on Thursday: ...") may head four or more
    # tags, judged as tags without it
    heading = _LIST_HEADING.match(explanation) if colon else None
    return heading is not None and len(heading.group(1).split()) <= LIST_HEADING_WORDS \
        and _tags(explanation[heading.end():], 4)


# _FRAGMENT_BREAK's first match starts at the first of: a mark of the first class; the space
# before a dash, an arrow or a number of a numbered item (found from the dash or digit, looked
# back from, which are few: _FRAGMENT_BREAK is tried at every space); a number at the start.
# The first two are one pattern, searched once: one class of the characters either starts with,
# then what follows by what that character was (as _FRAGMENT_BREAK)
_BREAK_MARKS: Final = ",.;:!/|\u2022\n"
_FIRST_BREAK: Final = re.compile(rf"[{_BREAK_MARKS}\-\u2013\u2014\d](?:(?<=[{_BREAK_MARKS}])"
                          r"|(?<=\s.)(?:(?<=[-\u2013\u2014])[-\u2013\u2014]*\s"
                          r"|(?<=-)-*>\s|(?<=\d)\d?[).](?=\s)))")
_NUMBERED_START: Final = re.compile(r"\d\d?[).](?=\s)")


def _first_fragment(body: str) -> str:
    """``_FRAGMENT_BREAK.split(body, 1)[0]``: what comes before the first break."""
    if body[:1].isdecimal() and _NUMBERED_START.match(body):  # (\d: a decimal digit)
        return ""
    found = _FIRST_BREAK.search(body)
    if found is None:
        return body
    end = found.start()
    if body[end] not in _BREAK_MARKS:
        end -= 1  # a dash, an arrow or a number: the space before it starts the break
    return body[:end]


def _tags(body: str, least: int, labelled: bool = False) -> bool:
    """Whether ``body`` is at least ``least`` tags separated by punctuation."""
    # most notes open with a sentence, not a tag: read up to the first break only to see that
    longest = LIST_FRAGMENT_WORDS + (1 if labelled else 0)
    if _TOO_LONG_FOR_A_TAG[labelled].match(_first_fragment(body).lower()):
        return False
    # the pieces of _FRAGMENT_BREAK.split(body), read as they are found: most notes have a
    # sentence in their second piece, and the rest of the note is not split (a too long piece
    # and too few pieces both say no)
    fragments: list[list[str]] = []
    at = 0
    for found in chain(_FRAGMENT_BREAK.finditer(body), (None,)):
        piece = body[at:found.start()] if found is not None else body[at:]
        if found is not None:
            at = found.end()
        words = _LIST_WORD.findall(piece.lower())
        if len(words) > longest:
            return False  # a fragment with a sentence in it
        if words:
            fragments.append(words)
    if len(fragments) < least:
        return False
    if labelled or sum(map(len, fragments)) <= 1.5 * len(fragments):
        return True  # "Keywords: ...", or one or two words a piece
    # four or more tags may each be a named fallacy: "appeal to authority" is still a tag
    # (so are "no second source" and "the Millbrook example", by their first word)
    long_list = len(fragments) >= 4
    if long_list and all(len(f) <= 2 for f in fragments) \
            and sum(w in BUZZWORDS for f in fragments for w in f) >= 2:
        # "premise!! assumption. biased. no evidence. one sided. loaded language": tags of one or
        # two words, critical-reading words among them, whatever their grammar
        return True
    joins = KEYWORD_JOINS if long_list else frozenset()
    return not any((w in SENTENCE_WORDS and w not in joins
                    and not (long_list and i == 0 and w in LIST_TAG_OPENERS))
                   or looks_like_verb(w) for f in fragments for i, w in enumerate(f))


# with no comma to pause on, "doesn't mean" and "does not prove" need an object before a
# conjunction: "natural doesn't mean because effects" is words shuffled out of a sentence
_VERB_WITHOUT_OBJECT: Final = _CaseFree(re.compile(
    r"\b(?:does|do|did|is|are|was|were)(?:n't|n\u2019t| not)\s+(?:mean|prove|cause)\s+"
    r"(?:because|and|or|but|so)\b", re.IGNORECASE),
    needs=("mean", "prove", "cause"))


# "could not causation": after "could not" comes a verb, never a noun of this form
_NOUN_AFTER_AUXILIARY: Final = _CaseFree(re.compile(
    word_start(("can", "could", "would", "should", "will", "may", "might", "must", "does", "did"))
    + r"\s+not\s+[a-z]+(?:tion|sion|ness|ity|ment|ism)s?\b", re.IGNORECASE),
    needs=("not",))


# function words that no English sentence puts side by side ("to in", "of at", "be can",
# "is are"): words shuffled out of order
_IMPOSSIBLE_PAIR: Final = _Alternatives(
    re.IGNORECASE,
    (("to", "of", "at", "by", "with"),
     word_start(("to", "of", "at", "by", "with"), {
         "to": r"\s+(?:in|on|at|of|by)", "of": r"\s+(?:in(?!\W*between)|on|at|to|for|by|with)",
         "at": r"\s+(?:in|to|of|on)", "by": r"\s+(?:in|to|of|at)", "with": r"\s+(?:in|of|to)"})
     + r"\b"),
    (("be",), r"\bbe\s+(?:can|could|will|would|should|might|must|may)\b"),
    (("can", "ould", "will", "might", "must", "may"),
     r"\b(?:can|could|will|would|should|might|must|may)\s+(?:can|could|will|would|should|might|"
     r"must|may)\b"),
    (("are", "is", "was", "were"),
     word_start(("are", "is", "was", "were")) + r"\s+(?:are|is|was|were)\b"),
    (("more the",), r"\bmore the\b(?!\s+(?:more|less|better|merrier|worse))"),
    (("when",), r"\b(?:is|are|was|were) when\W*$"),
    (("r more",), r"\b(?:easier|harder|bigger|smaller|higher|lower|fewer) more\b"),
    (("not but",), r"\bnot but\b"),
    (("own",),
     r"(?<!\bits)(?<!\btheir)(?<!\bhis)(?<!\bher)(?<!\bmy)(?<!\byour)(?<!\bour)(?<!\bwhose)"
     r"\s+own\W*$"),
    (("every",), r"\bevery\s+[a-z]+(?<!ss)(?<!us)(?<!is)(?<!ys)s\b"),
    # "passed only who means": "only" does not come right before "who" but in "not only who"
    (("only",), r"(?<!not )\bonly\s+who\b"),
    (("every",),
     r"\bevery\s+(?:who|which|what|with|the|a|an|of|is|are|was|were|not|no|nearly|almost|never|"
     r"too|very|really)\b"))
# "be" before a verb's base form ("can be need reviewed"), which no sentence puts side by side
_BE_BASE_VERB: Final = _CaseFree(re.compile(
    word_start(("be",)) + r"\s+(?:need|make|show|prove|mean|take|give|get|say|tell|know|think|"
    r"see|find|want|go|do|have|stop)\b", re.IGNORECASE),
    needs=("be",))
# a premise named elsewhere, with concepts of this much weight in a note of this many words,
# outranks a vague doubt on the highlighted passage
NAMED_ELSEWHERE_WORDS: Final = 6
NAMED_ELSEWHERE_WEIGHT: Final = 3.0
SHUFFLED_RUN: Final = 8  # words in a note that _BE_BASE_VERB is checked in
# a preposition right before "is" or another finite verb ("the old from is town", "with owns")
# makes a sentence only after a question word ("where it comes from is unclear")
# (as the patterns below, written with word_start and searched in the lower-cased note: see
# _CaseFree; a word boundary tried at every character cost about 50,000 instructions a note)
_PREPOSITION_IS: Final = _CaseFree(re.compile(
    word_start(("from", "of", "to", "with", "about", "for", "in", "on", "at", "by", "until"))
    + r"\s+(?:is|are|was|were|owns|tells|says|shows|means|proves|gives|makes|has|does)\b",
    re.IGNORECASE))
# "when road the lane": a subordinating word, one bare word, then "the" (real sentences put a
# participle there: "when asked the question", "if given the choice")
_SUBORDINATE_BARE: Final = _CaseFree(re.compile(
    word_start(("when", "if", "because", "while", "although", "unless", "whereas"))
    + r"\s+([a-z]+)\s+(?:the|a|an)\b", re.IGNORECASE))
NOT_A_BARE_NOUN: Final = frozenset("""
told given shown seen done made taken said found put set left kept held brought bought taught
thought sent spent paid lost won read without within after before during under over through into
onto like unlike despite against among between anything everything something nothing anyway ever
once again together alone home abroad possible necessary needed ready asked
""".split())
_QUESTION_WORD: Final = _CaseFree(re.compile(
    word_start(("what", "where", "who", "whom", "which", "how", "why", "when", "whatever")) + r"\b",
    re.IGNORECASE))

# ... unless the preposition ends a clause of its own after its verb or adverb ("all he relies
# on is one video", "the thing it points to is", "the story later on is never dated")
STRANDING_WORDS: Final = frozenset("""
later earlier early further then now rely depend focus point talk look count base refer build
lean draw come go""".split())


def _stranded(explanation: str, found: re.Match[str]) -> bool:
    if found.group().split()[-1].lower() not in COPULAS:
        return False  # "passing with owns": only "is" may follow a clause's last preposition
    before = _WORD_BEFORE.search(explanation, 0, found.start())
    if before is None:
        return False
    word = before.group(1).lower()
    return word in STRANDING_WORDS or (len(word) > 3 and word.endswith(("s", "ed", "ing"))
                                       and not word.endswith(("ss", "us", "is")))


# (looked for one by one with _holds_any, the commonest first: most notes have one of them, found
# at once, where a search for any of them would cost a pattern's run)
_SENTENCE_MARKS: Final = tuple(".?!;:()")
_PUNCTUATION_MARKS: Final = tuple(".,?!;:()'\u2019")


def _idiomatic_way(plain: Sequence[str], i: int) -> bool:
    """"no way", "way more", "way too": "way" making a sentence, not the keyword "middle way"."""
    before = plain[i - 1] if i else ""
    after = plain[i + 1] if i + 1 < len(plain) else ""
    return before == "no" or after in {"more", "less", "too", "better", "worse", "bigger",
                                       "smaller", "off", "out"}


_BRACKETED: Final = re.compile(r"\[[^\]]*\]")


def _only_bracketed(own: list[str], explanation: str) -> bool:
    """Whether a copied passage's own words are only a short tag in square brackets ("[citation
    needed]", "[sic]"): a mark-up of the copy, not a reading of it."""
    if "[" not in explanation:
        return False
    tags = [plain_words(tag) for tag in _BRACKETED.findall(explanation)]
    if any(len(tag) > LIST_FRAGMENT_WORDS for tag in tags):
        return False  # "[no sign the closure caused it]": a reading, in brackets
    tagged = {w for tag in tags for w in tag}
    return all(w in tagged for w in own if w not in (BREAK, SOFT))


_PAST_THEN_NEVER: Final = re.compile(
    r"\b([a-z]+ed|" + "|".join(sorted(PURE_PASTS)) + r")\s+never\b(?!\s*(?:"
    + "|".join(sorted(AFTER_VERB_NEVER)) + r")\b)", re.IGNORECASE)
# "no" goes before its noun ("no survey of customers"); straight after a plural noun, with a
# pause next and no question before it to answer, it is a word shuffled out of its place
_NOUN_THEN_NO: Final = re.compile(
    r"^[^?]*\b(?!(?:is|was|has|does|says|thinks|claims|yes|this|his|its|us|as|thus|plus|"
    r"always|perhaps|sometimes|guess|less|unless)\b)[a-z]{3,}s\s+no\s*[,.;:!]", re.IGNORECASE)
# how every match of _NOUN_THEN_NO ends: found alone (from its plain first letter) many times
# faster than the whole, which is tried from every character before it
_NO_THEN_PAUSE: Final = _CaseFree(re.compile(r"s\s+no\s*[,.;:!]", re.IGNORECASE))


# words that need something after them, found before a pause: words shuffled out of place. The
# pattern is searched in the note read backwards, where it starts with the pause: one character
# of a class is found many times faster than a word boundary is tried at every character
# (_dangling_at_pause turns what it finds the right way round)
_DANGLING_AT_PAUSE: Final = _CaseFree(re.compile(
    r"[,;:.!?\u2014](?:"
    # a determiner has its noun after it: "Heart, field, surgeon his, not evidence" (but "the
    # choice was his, not hers": "his" and "its" stand alone after a copula)
    r"(?<=[,;:.!?])\s*(?P<determiner>eht|na|rieht|ym|ruoy|ruo|yreve|sih|sti)"
    # nor do "and" or "than" end a sentence: "... as ethical risks and." (no word after the stop:
    # none before it, read backwards)
    r"|(?<=[;:.!])(?<!\w.)\s*(?:dna|naht)"
    # nor does a word that needs a clause after it: "so failing 94 percent nothing tells until;"
    r"|\s*(?:litnu|sselnu|hguohtla|saerehw))\b", re.IGNORECASE))


def _dangling_at_pause(explanation: str, lowered: str) -> list[tuple[int, str | None]]:
    """Where each word _DANGLING_AT_PAUSE finds starts in the note, first to last, with the
    determiner it is (None for another word)."""
    size = len(explanation)
    found = _DANGLING_AT_PAUSE.finditer(explanation[::-1], lowered[::-1])
    return [(size - match.end(), match["determiner"] and match["determiner"][::-1])
            for match in reversed(list(found))]


# and a number counts the noun after it: after a plural, before a pause, it is out of place
# ("Extremes two - middle outcomes")
_NUMBER_AFTER_PLURAL: Final = re.compile(
    r"\b[a-z]{3,}s\s+(?:two|three|four|five|six|seven|eight|nine|ten)\s*[,;:.!?\u2014-]",
    re.IGNORECASE)
_NUMBER_BEFORE_PAUSE: Final = _CaseFree(re.compile(  # how its every match ends (as _NO_THEN_PAUSE)
    r"s\s+(?:two|three|four|five|six|seven|eight|nine|ten)\s*[,;:.!?\u2014-]", re.IGNORECASE))
_NUMBER_WORDS: Final = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_WORD_BEFORE: Final = re.compile(r"([a-z']+)\s*$", re.IGNORECASE)
COPULAS: Final = frozenset("is was are were be been being 's".split())


def _before_never(explanation: str, lowered: str) -> int:
    """Where _PAST_THEN_NEVER's first match can start at the earliest: at the run of letters
    before the spaces before the first "never" (every match is a word, spaces and a "never", and
    one with a later "never" has the first in its word), in an ASCII note, whose lower case keeps
    its places (0 in any other). The pattern is tried at every word before it otherwise."""
    if not explanation.isascii():
        return 0
    return len(explanation[:lowered.find("never")].rstrip().rstrip(ascii_letters))


def _word_games(plain: list[str], explanation: str, lowered: str) -> tuple[str, str] | None:
    """Keyword lists and shuffled words: a run of words with no grammar to it (``lowered`` is
    ``explanation`` in lower case, worked out once by the caller)."""
    if _keyword_list(explanation):
        return "keyword-salad", FEEDBACK_SALAD
    if len(plain) >= SHUFFLED_RUN and _BE_BASE_VERB.search(explanation, lowered):
        return "shuffled-words", FEEDBACK_SALAD  # "... can be need reviewed ...", any punctuation
    if not INDEFINITE_PRONOUNS.isdisjoint(plain):
        for a, b in zip(plain, plain[1:], strict=False):
            if a in DETERMINERS and b in INDEFINITE_PRONOUNS and a != "its":
                # "the something", punctuated or not ("its someone" is "it's someone")
                return "shuffled-words", FEEDBACK_SALAD
    # "coup happened never": "never" comes before the verb it denies ("never happened"), except
    # before "to" or "again" ("decided never to", "said never again")
    pasts = _PAST_THEN_NEVER.finditer(explanation, _before_never(explanation, lowered)) \
        if "never" in lowered else ()
    if any(found.group(1).lower() in PURE_PASTS
           or (len(found.group(1)) > 4 and found.group(1).lower() not in NOT_A_PAST_BEFORE_NEVER)
           for found in pasts):
        return "shuffled-words", FEEDBACK_SALAD
    if "s no" in lowered and _NO_THEN_PAUSE.search(explanation, lowered) \
            and _NOUN_THEN_NO.search(explanation):
        return "shuffled-words", FEEDBACK_SALAD  # "survey customers no, ...": "no survey"
    for start, determiner in _dangling_at_pause(explanation, lowered):
        if (determiner or "").lower() not in ("his", "its"):
            return "shuffled-words", FEEDBACK_SALAD
        before = _WORD_BEFORE.search(explanation, 0, start)
        if before is None or before.group(1).lower() not in COPULAS:
            return "shuffled-words", FEEDBACK_SALAD
    if _holds_any(lowered, _NUMBER_WORDS) and _NUMBER_BEFORE_PAUSE.search(explanation, lowered) \
            and _NUMBER_AFTER_PLURAL.search(explanation):
        return "shuffled-words", FEEDBACK_SALAD
    if len(plain) >= 5 and plain[-1] in ENDS_NO_SENTENCE:
        return "shuffled-words", FEEDBACK_SALAD  # "... trust trial we'd: the", punctuated or not
    if len(plain) < 4 or _holds_any(explanation.strip().rstrip(".!?"), _SENTENCE_MARKS):
        return None
    if len(plain) >= THIN_RUN and "," not in explanation and _thin(plain):
        # "dementia years word-recall test six weeks not measured 24 people one study ...": a
        # long run with almost none of the small words every sentence of that length has
        return "keyword-salad", FEEDBACK_SALAD
    grammar = [w for i, w in enumerate(plain)
               if (w in SENTENCE_WORDS and (w != "way" or _idiomatic_way(plain, i)))
               or (len(w) > 4 and w.endswith("ly"))]
    if not grammar and (len(plain) >= BARE_RUN or not any(map(looks_like_verb, plain))
                        or any(w in BUZZWORDS for w in plain)):
        return "keyword-salad", FEEDBACK_SALAD
    if len(grammar) == 1 and (
            (grammar[0] in NEGATORS and len(plain) >= LONG_RUN
             and not any(map(looks_like_verb, plain)))
            or (len(plain) >= BUZZ_RUN and sum(w in BUZZWORDS for w in plain) >= 2)):
        # "... people not weeks small one study ...", "premise unstated framing outdated
        # asserted not shown successor generalisation"
        return "keyword-salad", FEEDBACK_SALAD
    if "," in explanation:
        return None
    if len(plain) >= 5 and (plain[-1] in DANGLING_END
                            or (plain[-1] == "if" and plain[-2] not in ("what", "as", "even"))
                            or (plain[-1] in DANGLING_CONJUNCTIONS and (
                                not any(w in COPULAS or looks_like_verb(w) for w in plain)
                                or sum(w in STOPWORDS for w in plain)
                                < SENTENCE_SHARE * len(plain)))
                            or (plain[-1] == "not" and plain[-2] not in ENDS_BEFORE_NOT)):
        # "... power coup the", "... safe lane cycle if": no sentence ends so
        return "shuffled-words", FEEDBACK_SALAD
    if _VERB_WITHOUT_OBJECT.search(explanation, lowered) \
            or _IMPOSSIBLE_PAIR.search(explanation, lowered) \
            or _NOUN_AFTER_AUXILIARY.search(explanation, lowered):
        return "shuffled-words", FEEDBACK_SALAD  # "natural doesn't mean because effects"
    if not _QUESTION_WORD.search(explanation, lowered) and any(
            not _stranded(explanation, found)
            for found in _PREPOSITION_IS.finditer(explanation, lowered)):
        return "shuffled-words", FEEDBACK_SALAD
    for found in _SUBORDINATE_BARE.finditer(explanation, lowered):
        word = found.group(1).lower()
        if word not in SENTENCE_WORDS and word not in NOT_A_BARE_NOUN \
                and not word.endswith(("ed", "en", "ing", "ly")):
            return "shuffled-words", FEEDBACK_SALAD  # "when road the lane"
    for k, (a, b) in enumerate(zip(plain, plain[1:], strict=False)):
        if a == "its" and b in ITS_AS_IT_IS:
            continue  # "its not ...": "it's" without its apostrophe
        if a in DETERMINERS and (b in STRICT_FUNCTION_WORDS
                                 or b in {"never", "still", "always", "every", "each"}
                                 or b in PAST_TENSES):
            return "shuffled-words", FEEDBACK_SALAD
        if a in INTRANSITIVE_PASTS and b in PURE_PASTS:
            return "shuffled-words", FEEDBACK_SALAD  # "population fell grew"
        if a == "a" and len(b) > 3 and b.endswith("s") and not b.endswith(("ss", "us", "is")) \
                and (k + 2 >= len(plain) or plain[k + 2] in STRICT_FUNCTION_WORDS):
            # "a screens", but not "a sellers website" (a possessive without its apostrophe)
            return "shuffled-words", FEEDBACK_SALAD
    return None


# a sentence this long with no comma ...
SHUFFLED_PROSE_WORDS: Final = 10
# ... at least this share of it words of the rubric's prose on one item
SHUFFLED_PROSE_SHARE: Final = 0.9
# ... at least this share the words of its premise, not its passages
SHUFFLED_PREMISE_SHARE: Final = 0.7
SHUFFLED_PROSE_PAIRS: Final = 0.4  # ... and at most this share of its pairs of words natural ones
# words a shuffle mixes into any item's prose ("premise outdated separatist the framing picture war
# pre-2022 assumes east")
SALAD_WORDS: Final = BUZZWORDS | frozenset({"assume", "assumes", "assuming"})


def _shuffled_prose(prep: PreparedLesson, words: Sequence[str], commas: bool = True) -> bool:
    """The words of the rubric's premise for one item, shuffled, as a sentence of the note ("fact
    coup established no asserted every source the date collapses on rests recommendation event
    founding"). A sentence that happens to use the premise's words says them in pairs that
    sentences about the lesson use (the article, the rubric's prose and phrasings: "since 2022
    ukraine has been fighting russia's own army not separatists"); a shuffle puts most of them
    side by side at random. ``words``: the note's words and breaks (words_and_breaks);
    ``commas``: whether the note has a comma, without which its pauses are spaced dashes, which
    a shuffle may hold too ("Putin overthrown coup has that a - stated fact established no source
    date")."""
    correct = prep.speller.correct
    prose = prep.prose_words
    # where each sentence ends: the breaks, found by list.index (not word by word)
    ends: list[int] = []
    for _ in range(words.count(BREAK)):
        ends.append(words.index(BREAK, ends[-1] + 1 if ends else 0))
    ends.append(len(words))
    start = 0
    for end in ends:
        sentence = words[start:end]
        start = end + 1
        if not commas and SOFT in sentence:
            sentence = [w for w in sentence if w != SOFT]
        if len(sentence) < SHUFFLED_PROSE_WORDS or SOFT in sentence:
            continue  # a sentence with commas in it is written, not shuffled
        # most sentences use words the rubric's prose does not, and are let go at the first
        # few (a loop that stops, not a sum over every word)
        allowed = len(sentence) - SHUFFLED_PROSE_SHARE * len(sentence)
        misses = 0
        for w in sentence:
            if w not in prose and w not in SALAD_WORDS and correct(w) not in prose:
                misses += 1
                if misses > allowed:
                    break
        if misses > allowed:
            continue
        pairs = list(zip(sentence, sentence[1:], strict=False))
        if sum(p in prep.natural_pairs for p in pairs) > SHUFFLED_PROSE_PAIRS * len(pairs):
            continue
        # (most of them the premise's own words: the passage's alone fill out a sentence about
        # it, "crime dropped in 2020 and 2021 pretty much everywhere because people were stuck")
        if any(sum(w in bag or w in SALAD_WORDS or correct(w) in bag for w in sentence)
               >= SHUFFLED_PROSE_SHARE * len(sentence)
               and sum(w in own or w in SALAD_WORDS or correct(w) in own for w in sentence)
               >= SHUFFLED_PREMISE_SHARE * len(sentence)
               for bag, own in zip(prep.item_prose, prep.item_premise, strict=True)):
            return True
    return False


def _topic_share(prep: PreparedLesson, plain: list[str]) -> float:
    content = [w for w in plain if w not in STOPWORDS and w not in LIGHT_WORDS and len(w) > 2]
    if not content:
        return 1.0
    # a class uses the same words over and over: each is looked up once
    on_topic = prep.on_topic
    known = 0
    for w in content:
        hit = on_topic.get(w)
        if hit is None:
            hit = stem(prep.speller.correct(w)) in prep.topic_stems
            if len(on_topic) < CLAUSE_CACHE_SIZE:
                on_topic[w] = hit
        known += hit
    return known / len(content)


# a question that asks whether ("is this right?", "does it follow?"), not which or why
_WHETHER_START: Final = re.compile(
    r"^\W*(is|are|was|were|can|could|would|does|do|did|should|has|have)\b", re.IGNORECASE)
# ... and the note's own answer to it, yes ("is there even a wave? yes there is")
_YES = re.compile(r"(yes|yeah|yep|yup|sure|of course|definitely|absolutely|indeed|true|right|"
                  r"exactly|obviously|certainly)\b", re.IGNORECASE)
_QUESTION_START: Final = re.compile(
    r"^\W*(how|why|what|who|when(?=\W+(?:did|was|were|is|are|does|do|will|has|had|would|could)\b)|"
    r"where|which|is|are|was|were|can|could|would|does|do|did|should|"
    r"has|have|isn'?t|aren'?t|doesn'?t|didn'?t|wouldn'?t)\b", re.IGNORECASE)


# the words one of which a premise "well-founded" or "supported by history" holds
_WELL_GROUNDED = ("supported", "founded", "grounded", "evidenced", "argued", "reasoned", "sourced")
# a note that vouches for the article's reasoning ("so the argument is solid", "the timing is all
# the proof you need", "the author is right") and sets nothing against it agrees with the text
_ENDORSES: Final = _Alternatives(
    re.IGNORECASE,
    (("solid", "sound", "strong", "correct", "right", "valid", "convincing", "airtight",
      "watertight", "justified", "reasonable", "fair", "spot on"),
     word_start(("argument", "reasoning", "logic", "explanation", "case", "conclusion", "article",
                 "author", "writer", "column", "claim", "plan", "advice", "recommendation",
                 "results", "figures", "data", "numbers", "evidence", "study", "survey",
                 "statistics", "stats"))
     + r"\b[^.?!;]{0,40}?\b(?:is|are|was|seems|looks|sounds)\s+"
     r"(?:very\s+|totally\s+|completely\s+|pretty\s+)?(?:solid|sound|strong|correct|right|valid|"
     r"convincing|airtight|watertight|justified|reasonable|fair|spot on)\b"),
    (("all the",), r"\ball the (?:proof|evidence) (?:you|we|anyone) (?:need|needs)\b"),
    (("clearly caused",), r"\bclearly caused\b"),
    (("sense",), r"\bmakes (?:total |perfect |complete )?sense\b"),
    (("checks out",), r"\bchecks out\b"),
    (("holds up",), r"\bholds up\b"),
    (("right", "correct"),
     r"\bthe (?:author|writer|article|column)(?:'s)? (?:is|was) (?:still |quite |"
     r"absolutely |completely |totally |probably )?(?:right|correct)\b"),
    (("hold", "stands", "works"),
     r"\b(?:argument|reasoning|logic|premise|assumption|claim)s? (?:holds|hold|stands|works)\b"),
    (("true", "correct", "right", "valid", "fine"),
     r"\b(?:premise|assumption|argument|reasoning|claim) is (?:true|correct|right|valid|fine)\b"),
    (("no need",), r"\bno need (?:for|to) (?:a |any )?(?:count|source|proof|evidence|check)"),
    (("agree", "so true", "exactly", "spot on", "absolutely", "well said"),
     r"^\W*(?:agreed|i agree|so true|totally agree|exactly(?: this| that| right)?|spot on|"
     r"absolutely|well said)\s*[.!]"),
    # a sentence of praise for the plan, point or device alone: "Good strategy. ...", "...
    # Effective imagery." ("Good example of a false dilemma" names one)
    (("good", "great", "excellent", "smart", "clever", "brilliant", "nice", "solid", "effective",
      "powerful", "persuasive"),
     r"(?P<praise>(?:^|[.!;]\s+)\W*(?:(?:very|really|such a|a)\s+)?(?:good|great|excellent|"
     r"smart|clever|brilliant|nice|solid|effective|powerful|persuasive)\s+(?:strategy|idea|plan|"
     r"point|move|"
     r"argument|call|thinking|reasoning|logic|tactics?|approach|imagery|hook|ending|closer|line|"
     r"writing|rhetoric|technique|framing)\s*(?:[.!]|$))"),
    # "sound. P1 ..., P2 ..., C ...": a verdict of one word first
    (("sound", "valid", "solid", "makes sense"),
     r"^\W*(?:sound|valid|solid|makes sense)\s*[.!]"),
    # "Agree with this actually - ...", "This rings very true."
    (("agree",),
     r"^\W*(?:i\s+)?(?:totally\s+|completely\s+|fully\s+|strongly\s+)?agree\s+with\s+(?:this|"
     r"that|it|him|her|them|the\s+(?:author|writer|article))\b"),
    (("rings", "ring"),
     r"(?:^|[.!;]\s*)\W*(?:this|that|it)\s+(?:really\s+)?rings?\s+(?:very\s+|so\s+|really\s+|"
     r"quite\s+)?true\s*(?:[.!,]|$)"),
    # "so this is reliable first-hand testimony", "Margaret's quote is good evidence"
    (("good", "strong", "solid", "reliable", "credible", "convincing", "hard", "great",
      "trustworthy", "valid"),
     r"\b(?:is|are|was|it[\u2019']?s|that[\u2019']?s|thats)\s+(?:very\s+|really\s+|pretty\s+|"
     r"quite\s+)?(?:good|strong|solid|reliable|credible|convincing|hard|great|trustworthy|valid)"
     r"\s+(?:first[- ]?hand\s+|real\s+|scientific\s+|direct\s+)?(?:evidence|proof|testimony|"
     r"source|data)\b(?!\s+(?:only|if|unless)\b)"),
    # "this doesn't need a source", "no proof needed": the claim is fine as it stands
    (("need", "requir", "necessar"),
     r"\b(?:does\s*n[o'\u2019]?t|don[\u2019']?t|dont|do not|won[\u2019']?t|wouldn[\u2019']?t|"
     r"shouldn[\u2019']?t)\s+(?:really\s+|even\s+)?need\s+(?:a\s+|any\s+)?(?:source|proof|"
     r"evidence|citation|reference)s?\b|\bneeds?\s+no\s+(?:source|proof|evidence|citation)"
     # "op-eds don't need to cite the obvious"
     r"|\b(?:does\s*n[o'\u2019]?t|don[\u2019']?t|dont|do not)\s+(?:really\s+|even\s+)?need\s+to\s+"
     r"(?:cite|source|prove|reference)\b"
     r"|\bno\s+(?:source|proof|evidence|citation|reference)s?\s+(?:is\s+|are\s+)?(?:needed|"
     r"required|necessary)\b"),
    # "Nothing to question here.", "so no issue here": nothing in the passage to doubt
    (("nothing", "no issue", "no problem"),
     r"(?:^|[.!;,:]\s*|\b(?:so|and|there[\u2019']?s|there is|i see|i can[\u2019']?t see|"
     r"i don[\u2019']?t see)\s+)(?:nothing\s+(?:to\s+(?:question|doubt|flag|criticise|criticize|"
     r"object to|worry about|complain about)|wrong|suspicious|questionable|problematic)|"
     r"no\s+(?:issue|problem)s?)(?:\s+(?:here|with\s+(?:this|that|it))\b|\s*(?:[.!]|$))"),
    # "so the premise is well supported", "This is well-founded", "the premise is supported by
    # history": the learner vouches for what the passage takes for granted
    (_WELL_GROUNDED,
     r"\b(?:this|that|it|premise|assumption|claim|argument|reasoning|point|conclusion)s?"
     r"(?:[\u2019']s|\s+is|\s+are|\s+seems|\s+looks)\s+(?:very\s+|quite\s+|pretty\s+|really\s+)?"
     r"(?:well[- ](?:supported|founded|grounded|evidenced|argued|reasoned|sourced)|"
     r"supported\s+by\s+(?:the\s+)?(?:history|evidence|data|facts|experience|research|record))"
     r"\b"),
    # "good ev, other towns prove it", "... MORE credible. strong ev": a verdict of its own on
    # the evidence
    (("good", "strong", "solid", "great", "hard"),
     r"(?:^|[.!;]\s*)\W*(?:very\s+|really\s+)?(?:good|strong|solid|great|hard)\s+"
     r"(?:ev|evidence|proof)\b(?=\s*(?:[.,!;]|$))"),
    # "so we can take the results at face value"
    (("face value",),
     r"\b(?:we|you|i|one|readers?)\s+(?:can|could|may|should)\s+(?:safely\s+|just\s+)?take\s+"
     r"(?:it|this|that|them|these|those|the\s+\w+)\s+at\s+face\s+value\b"),
    # "Quite so.", "Fair point." as a sentence of its own
    (("quite so", "quite right", "quite true", "fair point", "true enough", "too true"),
     r"(?:^|[.!;]\s*)\W*(?:quite\s+(?:so|right|true)|fair\s+point|true\s+enough|too\s+true)"
     r"\s*(?:[.!]|$)"),
    # "so there's precedent for this": the claim has happened before, so it holds
    (("precedent",),
     r"\bthere(?:[\u2019']s|\s+is)\s+(?:a\s+)?(?:clear\s+|good\s+|plenty\s+of\s+)?precedent"
     r"\s+for\s+(?:this|it|that)\b"),
    # "so this is a properly designed trial", "a proper scientific result"
    (("proper",),
     r"\b(?:is|be|was|seems|looks\s+like)\s+(?:a\s+)?(?:very\s+|really\s+)?proper(?:ly)?\s+"
     r"(?:(?:scientific|designed|controlled|run|conducted|randomi[sz]ed)\s+)?(?:trial|study|"
     r"result|experiment|survey|research|science)\b"),
    # "Valid & sound imo"
    (("sound",), r"\bvalid\s+(?:&|and)\s+sound\b"),
    # "The author is balanced here", "so it's balanced": the text weighs both sides
    (("balanced",),
     r"\b(?:author|writer|article|piece|text|column|conclusion|para(?:graph)?|it|this|he|she|"
     r"they)(?:[\u2019']s|[\u2019']re|s|\s+is|\s+are|\s+was|\s+seems|\s+looks|\s+sounds)\s+"
     r"(?:very\s+|quite\s+|pretty\s+|really\s+|nicely\s+|fairly\s+|being\s+)?(?:well[- ])?"
     r"balanced\b(?!\s+(?:only|at first|on the surface|at (?:a|first) glance|on paper|"
     r"in theory)\b)"))
_CONCEDING: Final = _CaseFree(re.compile(r"\W*(?:though|tho)\b", re.IGNORECASE))
_CONTRAST: Final = _CaseFree(re.compile(
    r"\b(?:but|however|although|though|yet|unless|only if|except|whereas)\b", re.IGNORECASE),
    needs=("but", "however", "though", "yet", "unless", "only if", "except", "whereas"))
_SO_ADVERB: Final = r"(?:honestly\s+|of course\s+|obviously\s+|clearly\s+|surely\s+|naturally\s+)*"
_PRONOUN: Final = r"(?:they|it|there|he|she|that|this|we|you|i)"
_AUXILIARY = r"(?:would|will|is|are|does|do|did|was|were|has|have|can)\b(?!\s*(?:not|never)\b)"
# a note that names the premise and then grants it: "the author assumes X, and that's obviously
# right", "..., which is fair enough", "..., which of course they would", "..., and there
# obviously is"; a contrast after the grant ("which is true, but ...") takes it back
_HEDGE: Final = (r"(?:(?:yeah|yes|well|honestly),?\s+)?(?:to be fair,?\s+)?"
          r"(?:i think\s+|i guess\s+|i suppose\s+|i reckon\s+|imo,?\s+|tbh,?\s+|to me\s+|"
          r"personally,?\s+)?")
_GRANTS: Final = _Alternatives(
    re.IGNORECASE,
    (("fair", "true", "right", "correct", "reasonable", "fine", "justified", "accurate",
      "the case", "safe"),
     word_start(("which", "and", "but", "so")) + r"\s+" + _HEDGE + _SO_ADVERB
     + r"(?:is|it'?s|that'?s|that is|this is|it is|seems|sounds|looks)\s+"
     r"(?:probably\s+|obviously\s+|clearly\s+|totally\s+|completely\s+|pretty\s+|perfectly\s+|"
     r"entirely\s+|quite\s+)?(?:fair(?:\s+enough)?|true|right|correct|reasonable|fine|justified|"
     r"accurate|the case|a (?:safe|fair|reasonable) (?:assumption|bet))\b"
     r"(?!\s+(?:that|to|of|for(?! a \w+ like)|in|until|before|back|only|then)\b)"),
    (("of course", "obviously", "clearly", "surely", "naturally"),
     r"\b(?:which|and)\s+(?:of course|obviously|clearly|surely|naturally)\s+" + _PRONOUN
     + r"\s+" + _AUXILIARY),
    (("obviously", "clearly", "certainly", "surely", "definitely"),
     r"\b(?:which|and)\s+" + _PRONOUN + r"\s+(?:obviously|clearly|certainly|surely|definitely)\s+"
     + _AUXILIARY),
    (("fair enough", "and rightly so", "a given"),
     r"\bfair enough\b|\band rightly so\b|\b(?:that|it|this)(?:'s| is) a given\b"),
    (("fair", "reasonable", "safe", "sensible", "valid", "sound", "fine"),
     r"\b(?:that|it|this)(?:'s|\u2019s|s| is) an? (?:perfectly |very |totally |completely |"
     r"pretty |quite )?(?:fair|reasonable|safe|sensible|valid|sound|fine) (?:assumption|premise|"
     r"thing to assume|bet)\b"),
    (("right",),
     r"\b(?:they|he|she)(?:'re|'s| are| is) (?:completely |totally |absolutely |quite )?right\b"
     r"(?!\s+(?:that|about|to)\b)"),
    # a sentence of its own after the premise is named: "... because it is natural. That is true"
    (("true", "right", "correct", "fair", "fine", "reasonable", "justified"),
     r"(?<=[.!;])\s*(?:and\s+)?" + _HEDGE + r"(?:that|this|it)(?:'s|\u2019s|s| is)\s+"
     r"(?:obviously\s+|clearly\s+|totally\s+|completely\s+|pretty\s+|perfectly\s+|quite\s+)?"
     r"(?:true|right|correct|fair|fine|reasonable|justified)\b"
     r"(?!\s+(?:that|to|of|for|in|until|before|back|only|then|if)\b)"),
    # "... I agree with him.", "... Agreed."
    (("agree",),
     r"(?<=[.!;])\s*(?:and\s+)?" + _HEDGE + r"(?:i\s+(?:totally\s+|completely\s+|fully\s+|"
     r"do\s+)?agree(?:\s+with\s+(?:him|her|them|this|that|it|the\s+(?:author|writer|article)))?"
     r"|agreed)\s*(?:[.!]|$)"),
    # "... Seems right, they always have.", "..., and that's basically how it works"
    (("safe", "right", "fair", "true", "reasonable", "correct"),
     r"(?<=[.!;])\s*" + _HEDGE + r"(?:seems|sounds|looks)\s+(?:like\s+)?(?:a\s+safe\s+bet|"
     r"(?:about\s+)?right|fair|true|reasonable|correct)\b(?!\s+(?:that|to|of|for|in|only|if)\b)"),
    (("how it",),
     word_start(("which", "and", "but", "so")) + r"\s+" + _HEDGE
     + r"that'?s\s+(?:basically\s+|just\s+|simply\s+)?how it (?:works|is|goes)\b"))


# words one of which every match of _GRANTS, or of _GRANTS_ASSUMED, contains: the pattern runs
# only then
_GRANTING_WORDS: Final = (
    "how it", "agree", "fair", "true", "right", "correct", "reasonable", "fine", "justified",
    "accurate", "the case", "safe", "course", "obvious", "clear", "sure", "natural", "certain",
    "definite", "given", "sensible", "valid", "sound")
_ASSUMING_WORDS: Final = ("assum", "presum", "granted", "treat", "believ")
# after "it assumes X": "Of course they would.", "..., and they do, people post what happens"
_GRANTS_ASSUMED: Final = _CaseFree(re.compile(
    r"\b(?:assum\w*|presum\w*|takes? (?:it )?for granted|treats?|believes?)\b.*?"
    r"\b(?:of course|obviously|clearly|surely|naturally|and|which)\s*,?\s+" + _PRONOUN
    + r"\s+(?:would|will|is|are|does|do|did|was|were|has|have|can)\s*(?=[.!?,;:]|$)"
    r"(?![.!?,;:]?\s*(?:until|before|in|back|once|then|at first|at the time|years ago|only)\b)",
    re.IGNORECASE | re.DOTALL))


# "who better to ask than ...?", "who else would know?": a question that vouches for a source
_VOUCHING_QUESTION: Final = re.compile(
    r"\b(?:who|what|where)\s+(?:better|else\s+(?:would|could|can|is\s+going\s+to)\s+know)\b"
    r"[^?]*\?", re.IGNORECASE)


def _vouches(explanation: str, lowered: str) -> re.Match[str] | None:
    """Where the note vouches for the article's reasoning with no contrast after it ("..., but
    the writer is still right" vouches; "the argument is solid, but ..." takes it back)."""
    # (in a plain ASCII note, where ignoring case is lowering it, the pattern runs only on one
    # with a word every endorsement holds one of)
    if _case_free(explanation) and not _holds_any(lowered, _ENDORSES.words):
        return None
    found = _ENDORSES.search(explanation, lowered)
    if found is None or _CONTRAST.search(explanation, lowered, found.end()) \
            or _DOUBTED_BEFORE.search(lowered, 0, found.start()) \
            or _MOCKED_AFTER.match(lowered, found.end()) \
            or _ATTRIBUTED_BEFORE.search(lowered, 0, found.start()):
        return None
    # (the alternative is found alone in an ASCII note, in the pattern of them all otherwise)
    if "praise" in found.re.groupindex and found.group("praise") is not None \
            and _CRITIQUE_WORD.search(lowered):
        return None  # "Great hook. It takes for granted that ...": praise, then the critique
    return found


# a doubt just before the vouching words, in the same sentence, takes them back: "not sure this
# holds up", "I doubt the argument is solid", "don't think the logic holds", "none of the advice
# makes sense"
_DOUBTED_BEFORE: Final = re.compile(
    r"\b(?:not sure|unsure|doubt|doubtful|don'?t think|do not think|dont think|wonder if|"
    r"whether|none|nothing|neither|nobody|apparently|supposedly)\b[^.?!;]{0,40}$")
# ... and a mocking word just after them: "No source needed, apparently."
_MOCKED_AFTER: Final = re.compile(r"[^\w.?!;]*(?:apparently|supposedly|lol|lmao|i guess)\b")


# ... and so does the author's voice: "the writer acts as if this needs no source", "he thinks
# there is nothing to question here" say what the text holds, not what the learner does
_ATTRIBUTED_BEFORE: Final = re.compile(
    r"(?:\bas (?:if|though)\b|\baccording to\b|\b(?:author|writer|article|text|column|he|she|"
    r"they|it)\s+(?:\w+\s+){0,2}?(?:acts?|writes?|think|thinks?|assum\w*|treats?|pretends?|"
    r"believes?|implies|suggests?|claims?|presents?)\b)[^.?!;]{0,40}$")


# in a note that praises a device or plan in a sentence of its own, words of a critique
# anywhere make the praise a concession ("Great hook. It takes for granted that ...")
_CRITIQUE_WORD: Final = re.compile(
    r"\b(?:assum\w*|presum\w*|for granted|as if|as though|ignor\w*|overlook\w*|forg[eo]t\w*|"
    r"leaves? out|never|not|no|without|doubt\w*|loaded|fallac\w*|unproven|unsupported|false|fake|"
    r"bias\w*|misleading|wrong|flaw\w*|problem\w*)\b"
    r"|n[\u2019']?t\b")


def _endorses(explanation: str, lowered: str) -> bool:
    """Whether the note vouches for the article's reasoning or grants what it assumes (a question
    vouches for nothing: the caller asks that of the few notes that do); ``lowered``:
    ``explanation`` in lower case, worked out once by the caller."""
    return _endorsed_at(explanation, lowered) is not None


def _endorsed_at(explanation: str, lowered: str) -> int | None:
    """Where the note's endorsement (see :func:`_endorses`) starts, if it has one."""
    found = _vouches(explanation, lowered)
    if found is not None:
        return found.start()
    granted = None
    if _holds_any(lowered, _GRANTING_WORDS):
        granted = _GRANTS.search(explanation, lowered)
    if granted is None and _holds_any(lowered, _ASSUMING_WORDS):
        granted = _GRANTS_ASSUMED.search(explanation, lowered)
    if granted is None:
        return None
    # "I think that's fair though, ..."
    after = _CONCEDING.match(explanation, lowered, granted.end())
    if _CONTRAST.search(explanation, lowered, after.end() if after else granted.end()):
        return None
    return granted.start()


# "'Sweeping' is a metaphor", "Lycra is a stretchy fabric", "NATO stands for ...": a note that
# explains what a word of the passage means, not what the passage takes for granted
_EXPLAINS_WORD: Final = re.compile(
    r"^\W*(?:the (?:word|term|phrase|expression)\s+)?[\"'\u2018\u201c]?"
    r"(?P<term>[a-z][a-z\-]*(?: [a-z\-]+){0,2}?)[\"'\u2019\u201d]?"
    r"(?:\s*=\s*(?:an?|the)\s+(?:[a-z\-]+\s+){0,3}?(?:clothing|clothes|fabric|material|word|term|"
    r"name|brand|metaphor)\b|\s+"
    r"(?:(?:is|are)\s+(?:just\s+|basically\s+|simply\s+|actually\s+)?an?\s+"
    r"(?!(?:strong|loaded|big|bold|vague|weasel|misleading|emotive|charged|heavy|scary)\b)"
    r"(?:[a-z\-]+\s+){0,2}?(?:metaphor|word|term|phrase|expression|idiom|fabric|material|cloth|"
    r"alliance|organi[sz]ation|abbreviation|acronym|synonym|figure of speech)\b(?!\s+for\b)"
    r"|is another word for|is a word for|is short for|stands for|is slang for|is jargon for))\b",
    re.IGNORECASE)


_CLAIM_AFTER = re.compile(r"\b(?:would|could|might|will|won'?t|wouldn'?t|can'?t|cannot|should|"
                          r"does not|doesn'?t|did not|didn'?t|is not|isn'?t|are not|aren'?t|"
                          r"never)\b", re.IGNORECASE)


def _explains_word(explanation: str, lowered: str, highlight: str) -> bool:
    """A definition of a word or phrase the highlight uses, with nothing set against it or
    claimed after it ("NATO is a defensive alliance, it would not back an offensive" argues)."""
    if explanation.isascii() and "=" not in explanation and "is" not in lowered \
            and "are" not in lowered and "stands" not in lowered:
        return False  # every match has one of these (most notes, ASCII, have "is" or "are")
    defined = _EXPLAINS_WORD.match(explanation)
    return defined is not None and defined.group("term").lower() in highlight.lower() \
        and not _CONTRAST.search(explanation, lowered) \
        and not _CLAIM_AFTER.search(explanation, defined.end())


# "idk", "no idea", "?": a note that says nothing about the passage
_NO_CONTENT: Final = re.compile(
    r"^\W*(?:(?:idk|i\s*d\s*k|dunno|i\s+(?:don'?t|do\s+not|dont)\s+know|no\s+idea|not\s+sure|"
    r"no\s+clue|idc|pass|skip|n\W?a|nothing|none|no\s+comment|lol|sorry|tbh|honestly|h+m+|u+m+|meh|"
    r"what\s+to\s+(?:say|write|put)(?:\s+here)?|what\s+this\s+means)[\W_]*)*$", re.IGNORECASE)


_ASKS_FOR_HELP: Final = re.compile(
    r"\bi(?:'m| am)?\s+(?:don'?t|do\s+not|dont|not\s+sure)\s+(?:know\s+)?what\s+to\s+"
    r"(?:say|write|put)"
    r"|\bno\s+idea\s+what\s+to\s+(?:say|write|put)"
    r"|\b(?:tutor|teacher|sir|miss|professor|lecturer|instructor|you)\s+(?:could|can|would|will|"
    r"might)\s+(?:please\s+)?explain\b")


# "should have checked whether the coup happened", "I wonder if ...": an embedded question
_INDIRECT_QUESTION: Final = _CaseFree(re.compile(
    word_start(("check", "ask", "wonder", "know", "sure", "see", "find out", "verify", "confirm"),
               dict.fromkeys(("check", "ask", "wonder"), "(?:ed|ing|s)?"))
    + r"\s+(?:whether|if)\b", re.IGNORECASE),
    needs=("if", "whether"))


# words that may open a question before its question word ("hmm, why ...", "ok but does ...")
_OPENING_WORDS: Final = r"hmm+|ok|okay|well|and|but|um+|erm+"
# the learner's own first thought, given up: "at first I thought the coup was made up but ...",
# "I was going to say ... but", "I first wondered whether ... But"; and a thought taken back
# mid-note: "... actually no, that's fine", "... wait, no". What the learner withdrew is not the
# note's point: the note is read from the turn (or the taking back) on
_GIVEN_UP: Final = _CaseFree(re.compile(
    r"^\W*(?:(?:at first|initially|originally|first),?\s+(?:i|we)\s+(?:thought|wondered|assumed|"
    r"believed|suspected|figured)|(?:i|we)\s+(?:first|initially|originally)\s+(?:thought|"
    r"wondered|assumed|believed|suspected|figured)|(?:i|we)\s+(?:was|were)\s+(?:going|gonna|"
    r"about)\s+to\s+(?:say|write|put|argue)|my\s+first\s+(?:thought|reaction|instinct|"
    r"guess)\s+was)\b[^?]*?(?=\b(?:but|however|yet)\b)", re.IGNORECASE | re.DOTALL),
    needs=("but", "however", "yet"))
_TAKEN_BACK: Final = _CaseFree(re.compile(
    r"[.!?;,:\u2026]\s*(?:(?:actually|wait|hmm|oh),?\s*(?:no|nah)|no,?\s+wait|scratch that|"
    r"on second thought)\b\W+(?=\w)", re.IGNORECASE),
    needs=("actually", "wait", "hmm", "oh", "scratch that", "second thought"))


def _withdrawn(explanation: str, lowered: str) -> int:
    """Where what the note still says starts, past a first thought the learner gives up
    (_GIVEN_UP, _TAKEN_BACK); 0 when it gives none up. ``lowered``: the note in lower case."""
    found = _GIVEN_UP.match(explanation, lowered)
    if found is not None:
        return found.end()
    return max((taken.end() for taken in _TAKEN_BACK.finditer(explanation, lowered)), default=0)


_FILLER_START: Final = re.compile(rf"^\W*(?:{_OPENING_WORDS}|so)\b\W*", re.IGNORECASE)


# a question word last, with no question mark: "Transition to what exactly", "says who" ("the
# article never says who" reports a gap instead)
QUESTION_WORDS: Final = frozenset("what who whom why where".split())
_AFTER_QUESTION_WORD: Final = frozenset("exactly tho though then now anyway".split())
_REPORTING_VERBS: Final = frozenset(
    "say says said tell tells know knows explain explains mention mentions names ask".split())
_LAST_WORDS: Final = re.compile(r"[a-z']+")


def _ends_on_question_word(explanation: str) -> bool:
    tail = explanation[-60:].lower()
    if "wh" not in tail and "how" not in tail:
        return False  # no question word (each has one of them), found without the pattern
    words = _LAST_WORDS.findall(tail)
    while words and words[-1] in _AFTER_QUESTION_WORD:
        words.pop()
    if words[-2:] == ["how", "so"]:
        return True
    return bool(words) and words[-1] in QUESTION_WORDS \
        and (len(words) < 2 or words[-2] not in _REPORTING_VERBS)


# a question after any run of them ("so do I" agrees: "so" is not among them here), as one
# pattern: the run, then the start of a question (none of them starts one: the longest run is
# the only one after which a question may start)
_OPENED_QUESTION: Final = re.compile(rf"^(?:\W*(?:{_OPENING_WORDS})\b)*"
                              + _QUESTION_START.pattern.removeprefix("^"), re.IGNORECASE)


def _after(opening: re.Pattern[str], text: str) -> str:
    """``text`` without what ``opening`` (a pattern that begins with ``^``) matches at its start:
    ``opening.sub("", text)``, for which the engine tries the pattern at every character."""
    found = opening.match(text)
    return text[found.end():] if found else text


def _is_question(explanation: str) -> bool:
    """A question, with or without its question mark ("how is this being paid for")."""
    quoted = explanation.lstrip()[:1] in ("'", '"', "\u2018", "\u201c")  # "'Could' is a hedge"
    # ("but did the closure actually cause it tho": a question after "but", "so" or "ok")
    return "?" in explanation or (not quoted and bool(_OPENED_QUESTION.match(explanation))) \
        or bool(_INDIRECT_QUESTION.search(explanation, explanation.lower())) \
        or _ends_on_question_word(explanation)


def _note_topic_share(prep: PreparedLesson, plain: list[str]) -> float:
    """:func:`_topic_share` of a note long enough for it to tell (OFF_TOPIC_MIN_WORDS), else 1."""
    return _topic_share(prep, plain) if len(plain) >= OFF_TOPIC_MIN_WORDS else 1.0


def _off_topic(share: float, words: int) -> int:
    """A long note mostly in words that appear nowhere in the article or the rubric (``share``:
    :func:`_note_topic_share`; ``words``: how many it has): 2 when most of its words are (it
    cannot be saved), 1 when a long note is only too little about the lesson (naming a premise
    in full saves it), else 0."""
    if share < OFF_TOPIC_SHARE:
        return 2
    return int(words >= OFF_TOPIC_LONG and share < OFF_TOPIC_LONG_SHARE)


_NOTHING: Final[frozenset[str]] = frozenset()


@dataclass(slots=True)  # not frozen: built for every clause, and a frozen init costs more
class NoteClause:
    """One clause of a note, with what the checks of every candidate phrasing ask of it worked
    out once (``Phrasing`` holds the same for the rubric's side)."""

    concepts: tuple[str, ...]
    first: dict[str, int]  # where each concept is first named (negations and commas left out)
    phrases: list[tuple[int, int]]  # (start, end) of its comma-separated phrases
    negates: bool  # it has a negation of any kind
    outer: int | None  # where its first statement-level negation is ("it is false that ...")
    outer_negations: int  # the negations from ``outer`` to its end
    negated: frozenset[str]  # concepts right after a negation
    under_negation: frozenset[str]  # concepts a negation reaches (see _under_negation)
    approving: bool  # it agrees ("True, ...") rather than doubts
    # how many negations of any kind come before each position (one entry more than concepts),
    # so that a scope with none is seen without reading it
    negations_before: tuple[int, ...]
    # where a negation repeats one two words before, a word that is no negation between ("no
    # date, no source" once commas are left out): :func:`negations` counts the two as one, in a
    # span that holds both (so a scope's negations are counted without reading it)
    repeated: tuple[int, ...]
    one_word: bool  # it has a one-word negation ("fake", "unsourced"), which counts only for its
    # own word (see _scopes)
    # negation parities of the scopes of _scopes, by the shared concepts (and the phrasing's
    # trailing negations): phrasings of one idea share their concepts, and so their scopes
    scope_parities: dict[tuple[frozenset[str], int], frozenset[int]] = field(
        default_factory=dict)

    def __init__(self, concepts: tuple[str, ...], first: dict[str, int],
                 phrases: list[tuple[int, int]], negates: bool, outer: int | None,
                 outer_negations: int, negated: frozenset[str], under_negation: frozenset[str],
                 approving: bool, negations_before: tuple[int, ...], repeated: tuple[int, ...],
                 one_word: bool) -> None:  # (written out: see ItemEvidence)
        self.concepts = concepts
        self.first = first
        self.phrases = phrases
        self.negates = negates
        self.outer = outer
        self.outer_negations = outer_negations
        self.negated = negated
        self.under_negation = under_negation
        self.approving = approving
        self.negations_before = negations_before
        self.repeated = repeated
        self.one_word = one_word
        self.scope_parities = {}

    @classmethod
    def read(cls, clause: tuple[str, ...], first: dict[str, int] | None = None) -> NoteClause:
        if first is None:
            first = _first_positions(clause)
        approving = "#agree" in first and any(
            c == "#agree" and (i == 0 or clause[i - 1] not in NOTS) and not _as_if(clause, i)
            for i, c in enumerate(clause))
        if NEGATIONS.isdisjoint(clause):
            return cls(clause, first, _phrases(clause), False, None, 0, _NOTHING, _NOTHING,
                       approving, (), (), False)
        outer = clause.index(NOT_THAT) if NOT_THAT in clause else None
        before = tuple(accumulate(map(NEGATIONS.__contains__, clause), initial=0))
        return cls(clause, first, _phrases(clause), True, outer,
                   negations(clause[outer:]) if outer is not None else 0, negated(clause),
                   _under_negation(clause, first), approving,
                   before, _repeated(clause) if before[-1] >= 2 else (), NOT_BOUND in clause)


def _repeated(clause: tuple[str, ...]) -> tuple[int, ...]:
    """Where a negation repeats one two words before it, with a word between that is no negation
    (see NoteClause.repeated)."""
    return tuple(at for at, (before, between, concept)
                 in enumerate(zip(clause, clause[1:], clause[2:], strict=False), 2)
                 if concept in NOTS and before in NOTS and between not in NEGATIONS)


def _first_positions(clause: tuple[str, ...]) -> dict[str, int]:
    """Where each concept of a clause is first named (negations and commas left out)."""
    first: dict[str, int] = {}
    for position, concept in enumerate(clause):
        if concept not in NEGATIONS and concept != SEP and concept not in first:
            first[concept] = position
    return first


def _same_polarity(phrasing: Phrasing, clause: NoteClause, shared: frozenset[str]) -> bool:
    """Whether the note negates what it shares with the phrasing as often (mod 2) as the phrasing.

    Negations are counted from two words before the first shared concept to the last one (and
    past it when the phrasing itself ends in a negation: "other options never come up"), so that
    "no date or source" still negates "source" and "not true that it never happened" cancels
    out. Misreadings must also agree concept by concept, so that a negation belonging to another
    word ("New regime unnamed, might be worse") does not turn a critique into agreement.
    """
    # A phrasing's own one-word negations always count: "the successor is unknown" is not
    # matched by "who is in charge now" (only the note's stray ones are dropped, in _scopes).
    own = phrasing.negations % 2
    if phrasing.kind != MISREADING and not clause.negates:
        return own == 0  # nothing in the note negates
    # a statement-level negation ("it is false that ...", "why would ...") covers the rest of
    # the clause: everything negated after it counts
    if clause.outer is not None and clause.outer < min(map(clause.first.__getitem__, shared)):
        if clause.outer_negations % 2 != own:
            return False
    elif own not in _scope_parities(clause, shared, phrasing.trailing):
        return False  # no phrase says it the phrasing's way round
    # the negation must not have moved to another concept: "separatists, not the Russian army"
    # against "Russia's own troops, not separatists" (most phrasings and clauses negate no
    # concept directly: no sets to make)
    own_negated = phrasing.negated & shared if phrasing.negated else _NOTHING
    if own_negated and clause.negated:
        note_negated = clause.negated & shared
        if (own_negated - note_negated) and (note_negated - own_negated):
            return False
    # "causation, not correlation" against "correlation doesn't mean causation": the note
    # negates a concept that no negation in the phrasing reaches
    if not phrasing.trailing and clause.under_negation and not phrasing.unnegated.isdisjoint(
            (clause.under_negation & shared) - own_negated):
        return False
    if phrasing.kind != MISREADING:
        return True
    positions = sorted(map(clause.first.__getitem__, shared))
    own_positions = sorted(phrasing.concepts.index(c) for c in shared)
    return (_local_negations(clause.concepts, positions) % 2
            == _local_negations(phrasing.concepts, own_positions) % 2)


def _phrases(clause: Sequence[str]) -> list[tuple[int, int]]:
    """(start, end) of each comma-separated phrase of a clause."""
    if SEP not in clause:
        return [(0, len(clause))]  # most clauses are one phrase: found without a loop in Python
    bounds: list[tuple[int, int]] = []
    start = 0
    for i, concept in enumerate(clause):
        if concept == SEP:
            bounds.append((start, i))
            start = i + 1
    bounds.append((start, len(clause)))
    return bounds


_EVEN: Final = frozenset({0})
# the sets of parities _scopes may find, by the bits it sets (1: an even scope, 2: an odd one):
# one shared set each, rather than a new one per clause and phrasing
_PARITIES: Final[tuple[frozenset[int], ...]] = (frozenset(), _EVEN, frozenset({1}),
                                                frozenset({0, 1}))


def _scope_parities(note: NoteClause, shared: frozenset[str], trailing: int) -> frozenset[int]:
    """Whether the negations that bear on the ``shared`` concepts are even (0) or odd (1), scope
    by scope: per phrase (between commas) that holds one of them, from two words before the
    first to the last (and past it when the phrasing ends in a negation, or when the phrase ends
    in one: "covid had nothing to do with it"). A one-word negation ("fake", "unsourced") counts
    only for its own word."""
    if not note.negates:
        return _EVEN if shared else frozenset()  # every scope is free of negations
    # the shared concepts fix where they are in the clause: they key the scopes' parities
    key = (shared, trailing)
    found = note.scope_parities.get(key)
    if found is None:
        positions = sorted(map(note.first.__getitem__, shared))
        found = note.scope_parities[key] = _PARITIES[_scopes(note, positions, trailing, shared)]
    return found


def _scopes(note: NoteClause, positions: list[int], trailing: int, shared: frozenset[str]) -> int:
    """The parities of :func:`_scope_parities`, worked out (``positions`` are sorted), as bits:
    1 for a scope with an even number of negations, 2 for one with an odd number."""
    clause = note.concepts
    before = note.negations_before
    parities = 0
    at, count = 0, len(positions)
    for start, end in note.phrases:
        # the phrases run left to right, as the positions do: this phrase's come next
        while at < count and positions[at] < start:
            at += 1
        if at == count:
            break  # no position left: the phrases after hold none
        if positions[at] >= end:
            continue
        # (conditions rather than min() and max(): this runs for most phrasings a negating
        # clause is checked against)
        low = positions[at] - 2 if positions[at] - 2 > start else start
        while at < count and positions[at] < end:
            at += 1
        high = positions[at - 1] + trailing
        if high > end - 1:
            high = end - 1
        if high + 1 < end and before[end] - before[high + 1] == end - high - 1:
            high = end - 1  # "covid had nothing to do with it": the phrase ends negated
        if before[high + 1] == before[low]:
            parities |= 1  # no negation of any kind in the scope
        elif not note.one_word:
            # negations(clause[low:high + 1]): each negation in the scope, but one that repeats
            # another two words before within the scope (a phrase holds no comma)
            found = before[high + 1] - before[low]
            if note.repeated:
                found -= sum(1 for i in note.repeated if low + 2 <= i <= high)
            parities |= 1 << (found % 2)
        else:
            span: Sequence[str] = clause[low:high + 1]
            if NOT_BOUND in span:
                kept: list[str] = []
                for i in range(low, high + 1):
                    concept = clause[i]
                    if concept == NOT_BOUND and (i + 1 >= len(clause)
                                                 or clause[i + 1] not in shared):
                        if kept and kept[-1] == NOT:
                            kept.pop()  # "not different": the negation belongs to the one-word one
                        continue
                    kept.append(concept)
                span = kept
            parities |= 1 << (negations(span) % 2)
        if parities == 3:
            break  # both parities found: no further scope changes the answer
    return parities


def _flat_denial(phrasing: Phrasing, clause: tuple[str, ...], first: dict[str, int]) -> bool:
    """Whether the note negates a positive phrasing outright: "not" right before the first of
    its concepts, all of them following in the same phrase ("it is not a base rate problem")."""
    if phrasing.negations:
        return False
    positions = sorted(first[c] for c in phrasing.content)
    start = positions[0]
    if start == 0 or clause[start - 1] != NOT:
        return False
    # the note must start where the phrasing starts: "ukraine doesn't hold the donbas, russia
    # does" does not deny "russia holds the donbas"
    if clause[start] != phrasing.order[0]:
        return False
    return SEP not in clause[start:positions[-1] + 1]


def _under_negation(clause: Sequence[str], first: Mapping[str, int]) -> frozenset[str]:
    """Concepts with a negation at most two words before them in their phrase ("never urge
    restraint" puts restraint under the negation)."""
    found: set[str] = set()
    size = len(clause)
    for i, concept in enumerate(clause):
        if concept == NOT:
            reach = 2
        elif concept == NOT_BOUND:
            reach = 1  # a one-word negation ("lying") reaches only its own word
        else:
            continue
        for at in range(i + 1, min(size, i + 1 + reach)):
            if clause[at] == SEP:
                break
            if first.get(clause[at]) == at:
                found.add(clause[at])
    return frozenset(found)


def _local_negations(concepts: Sequence[str], positions: list[int]) -> int:
    """Negations right before each of ``positions`` (two words of slack before the first)."""
    count = sum(c in NOTS for c in concepts[max(0, positions[0] - 2):positions[0]])
    for position in positions[1:]:
        before = position - 1
        while before >= 0 and concepts[before] in NOTS:
            count += 1
            before -= 1
    return count


def _concordance(phrasing: Phrasing, first: dict[str, int]) -> float:
    """Share of concept pairs the note says in the phrasing's order (the caller makes sure it
    shares at least two concepts with the phrasing: fewer have no order to keep)."""
    # (one pass, each concept against those before it: no list of positions, pairs or calls
    # to make, as this runs for most phrasings a clause names)
    in_order = 0
    seen: list[int] = []
    for concept in phrasing.order:
        at = first.get(concept)
        if at is not None:
            for before in seen:
                if before < at:
                    in_order += 1
            seen.append(at)
    return in_order / (len(seen) * (len(seen) - 1) // 2)


def _assumed(clause: tuple[str, ...], first: Mapping[str, int], shared: frozenset[str]) -> bool:
    """Whether the note negates what it shares with a phrasing inside "assumes" or "as if" ("as
    if you can't be a cyclist and a driver"): it states the article's belief, the other way
    round from the phrasing that corrects it ("you can be a driver and a cyclist")."""
    at = first.get("#assume")
    if at is None or not shared:
        return False
    start, end = min(first[c] for c in shared), max(first[c] for c in shared)
    # "assumes it's free, with no blowback, no retaliation": a list of negated things assumed
    listed = all(clause[i + 1] in NOTS for i in range(at, end) if clause[i] == SEP)
    return at < start and listed and any(c in NOTS for c in clause[at:end])


def _omits(clause: tuple[str, ...], first: Mapping[str, int], shared: frozenset[str]) -> bool:
    """Whether the note's negation of what it shares with a phrasing says the article leaves it
    out ("the article never divides the offences by the population"): the writer's omission, in
    the rubric's words, is the critique, not a denial of it."""
    start = min(first[c] for c in shared)
    at = start - 1
    if at < 1 or clause[at] not in NOTS:
        return False
    while at > 0 and clause[at] in NOTS:
        at -= 1
    return clause[at] == "#author" and all(
        c not in NOTS for c in clause[start:max(first[c] for c in shared) + 1])


def _as_if(clause: tuple[str, ...], at: int) -> bool:
    """Whether the concept at ``at`` sits inside an "as if" or "treats it as" with no pause
    between: "as if it were still true" is the article's belief, not the note agreeing."""
    for i in range(at - 1, -1, -1):
        if clause[i] == SEP:
            return False
        if clause[i] == "#assume":
            return True
    return False


def _eligible(prep: PreparedLesson, asking: bool, question: bool, assumes: bool, questioned: bool,
              size: int, negating: bool) -> np.ndarray:
    """The phrasings a clause of ``size`` concepts may name at all, whatever it shares with them
    (worked out once per kind of clause, as a mask over the rubric's phrasings); ``negating``:
    the clause has a negation of any kind."""
    size = min(size, ELIGIBLE_SIZES)
    key = (asking, question, assumes, questioned, size, negating)
    found = prep.eligible.get(key)
    if found is None:
        traits = prep.traits
        # an instructor-accepted note is compared whole note with whole note, in
        # _accepted_similarity
        found = ~traits.accepted
        if not asking:
            found &= ~traits.asks  # "is this true?" is a partial answer only when the note asks
        if question:
            # a misreading is a claim; a note that asks a question makes none
            found &= ~(traits.misreading & ~traits.asks)
            found &= ~traits.single_key
        if not assumes:
            found &= ~traits.assumes  # "it assumes X" is a critique; "X" alone agrees
        found &= size <= traits.alone_limit  # "source?" names an idea only in a note that says
        # little else
        if size > 3:
            found &= ~traits.thin_misreading  # a thin misreading ("the author is against X")
            # needs a note as thin
        if not questioned:
            found &= ~traits.vague_question  # one specific word ("leads") does not name
            # "exaggerating where it leads"
        if not negating:
            found &= ~traits.odd  # a clause with no negation never has a phrasing's polarity
            # when that phrasing negates (_same_polarity), nor denies it (only a phrasing
            # without negations is denied)
        prep.eligible[key] = found
    return found


def _least_weights(prep: PreparedLesson, asking: bool, question: bool, assumes: bool,
                   questioned: bool, size: int, negating: bool, spread: bool) -> np.ndarray:
    """Per phrasing, a little less than the weight a clause must share with it to name it at
    WEAK_MATCH (a key idea's) or BELOW_FULL (the others': its whole weight times that share,
    undone by SPREAD_PENALTY for the clauses read together), or infinity where
    :func:`_eligible` rules it out: the phrasings at or above it hold every one that may be
    named, and the share itself is worked out for those alone."""
    key = (asking, question, assumes, questioned, min(size, ELIGIBLE_SIZES), negating, spread)
    found = prep.least_weights.get(key)
    if found is None:
        share = np.where(prep.traits.key, WEAK_MATCH, BELOW_FULL)
        if spread:
            share /= SPREAD_PENALTY
        found = np.where(_eligible(prep, asking, question, assumes, questioned, size, negating),
                         prep.phrasing_weights * share * (1.0 - 1e-9), np.inf)
        prep.least_weights[key] = found
    return found


ELIGIBLE_SIZES: Final = 8  # clauses of this many concepts or more are alike to _eligible (its sizes
# go up to a phrasing's alone_limit, at most 5)


# words that place what is assumed ("no data behind it", "as fact when it is a claim"), not part
# of it
PLACE_WORDS = frozenset({"#date", "behind", "beyond", "against", "across", "around", "inside",
                         "outside", "within", "among", "toward", "near", "via", "upon"})


# _match_clause gives a phrasing the note denies a negative share, FLAT_DENIAL lower still when it
# denies it outright (_flat_denial): -share for a denial, -share - FLAT_DENIAL for a flat one
FLAT_DENIAL: Final = 10.0


def _denied_share(share: float) -> float:
    """The share of a phrasing the note denies, from its negative share (see FLAT_DENIAL)."""
    return -share % FLAT_DENIAL


def _sentence_end(clause: tuple[str, ...], at: int, parts: Sequence[tuple[str, ...]] = ()) -> int:
    """Where the sentence that position ``at`` of a clause lies in ends: the clause's end, or of
    ``parts`` (the sentences read together as the clause) the one that holds it."""
    if not parts:
        return len(clause)
    end = 0
    for part in parts:
        end += len(part)
        if end > at:
            break
    return end


def _said_assumed(clause: tuple[str, ...], assumed_at: int,
                  parts: Sequence[tuple[str, ...]] = ()) -> tuple[str, ...]:
    """What a clause says is assumed: its concepts after "assumes" (``assumed_at``), up to the
    next comma and within the sentence that says it (of ``parts``, the sentences read together),
    leaving out negations, concepts every item shares and PLACE_WORDS."""
    said: list[str] = []
    for concept in clause[assumed_at + 1:_sentence_end(clause, assumed_at, parts)]:
        if concept == SEP:
            break
        if concept not in NEGATIONS and concept not in GENERIC_CONCEPTS \
                and concept not in PLACE_WORDS:
            said.append(concept)
    return tuple(said)


def _critique_assumed(prep: PreparedLesson, phrasing: Phrasing, clause: tuple[str, ...],
                      first: Mapping[str, int], shared: frozenset[str], assumed_at: int,
                      parts: Sequence[tuple[str, ...]] = ()) -> bool:
    """"The author assumes countries in turmoil get more aggressive abroad": what the clause says
    the author assumes (after "assumes", up to the next comma, within its sentence) holds every
    concept it shares with a critique (a key phrasing that does not say what is assumed), as
    often negated, and nothing that the critique's idea does not say: the note puts the critique
    in the author's mouth. A word of its own ("assumes russia's nukes are a bluff") may turn it
    round, and keeps the match."""
    end = _sentence_end(clause, assumed_at, parts)
    if SEP in clause[assumed_at:end]:
        end = clause.index(SEP, assumed_at)
    if not all(assumed_at < first[c] < end for c in shared):
        return False
    said = clause[assumed_at + 1:end]
    if negations(said) % 2 != phrasing.negations % 2:
        return False
    # "assumes russia will retreat when it could get more aggressive": another claim inside
    # the critique's words is the premise set against it
    inside = clause[min(first[c] for c in shared):max(first[c] for c in shared)]
    if any(c not in phrasing.content and c not in NEGATIONS and c not in GENERIC_CONCEPTS
           for c in inside):
        return False
    own = prep.critique_concepts.get((phrasing.item, phrasing.idea), _NOTHING)
    return all(c in own or c in NEGATIONS or c in GENERIC_CONCEPTS for c in said)


def _foreign_claim(prep: PreparedLesson, phrasing: Phrasing, assumed: tuple[str, ...]) -> bool:
    """"The author assumes the coup was violent": what the note says is assumed (``assumed``, see
    :func:`_said_assumed`) names, beyond the phrasing's own concepts, one that none of the item's
    ideas has and none that they have. Against a phrasing that itself says what is assumed ("the
    whole article assumes Putin is gone"), the ideas are those the item's other such phrasings
    say are assumed, and words that judge the claim ("really", "no source") are no claim of their
    own: "the author assumes a coup always leads to instability" is another claim than the coup."""
    attributed = "#assume" in phrasing.content
    known = (prep.assumed_concepts if attributed else prep.item_concepts)[phrasing.item]
    beyond = [c for c in assumed if c not in phrasing.content
              and not (attributed and c in JUDGING_CONCEPTS)]
    return bool(beyond) and all(c not in known for c in beyond)


def _swapped_actor(prep: PreparedLesson, phrasing: Phrasing, clause: tuple[str, ...],
                   first: Mapping[str, int], shared: frozenset[str]) -> bool:
    """"Assumes Ukraine has nuclear weapons" against "russia has nuclear weapons": the phrasing
    opens on one of the lesson's actors (a name the article capitalises) that the clause leaves
    out, and the clause names another actor, one the phrasing does not, in the words just before
    what it shares with it (since the last comma or "assumes"): the claim given to the wrong one."""
    subject = prep.actor_subjects.get(phrasing.index)
    if subject is None or subject in first:
        return False
    start = min((first[c] for c in shared if c not in ACTOR_IGNORED), default=None)
    if start is None:
        return False
    for at in range(start - 1, -1, -1):
        concept = clause[at]
        if concept == SEP or concept in ACTOR_IGNORED:
            return False
        if concept in prep.actors and concept not in phrasing.content:
            return True
    return False


def _unknown_at(clause: tuple[str, ...]) -> int | None:
    """Where a clause says something is not known ("we don't know", "unknown", "who knows": a
    bound negation before "#know"), or None."""
    for at in range(1, len(clause)):
        if clause[at] == "#know" and clause[at - 1] == NOT_BOUND:
            return at
    return None


def _unknown(clause: tuple[str, ...], at: int, first: Mapping[str, int],
             shared: frozenset[str]) -> bool:
    """Whether some of the concepts a clause shares with a phrasing lie in the phrase that says
    they are not known (from ``at``, :func:`_unknown_at`, to the next pause): "we don't know what
    else changed at Millbrook" leaves the change open, it does not say that nothing else
    changed."""
    end = clause.index(SEP, at) if SEP in clause[at:] else len(clause)
    return any(at < first[c] < end for c in shared)


def _match_clause(prep: PreparedLesson, clause: tuple[str, ...], spread: bool, bare: bool,
                  asking: bool, question: bool, floor: Mapping[int, float] | None = None,
                  parts: Sequence[tuple[str, ...]] = ()) -> list[tuple[int, float, float]]:
    """The phrasings one clause names: (phrasing index, share of its concepts, their weight),
    leaving out those whose share could not exceed their ``floor``."""
    first = _first_positions(clause)
    concept_rows = prep.concept_rows
    rows = [concept_rows[c] for c in first if c in concept_rows]
    if not rows:
        return []
    least = _least_weights(prep, asking, question, "#assume" in first, "#question" in first,
                           len(first), not NEGATIONS.isdisjoint(clause), spread)
    # each phrasing's weight shared with the clause, added up concept by concept in the clause's
    # order (bincount adds its weights in the order given)
    if len(rows) == 1:
        owners, weights = rows[0]
    else:
        owners = np.concatenate([owners for owners, _ in rows])
        weights = np.concatenate([weights for _, weights in rows])
    gathered = np.bincount(owners, weights, minlength=len(least))
    # the few phrasings that may be named closely enough are checked one by one from here on,
    # in Python, which is quicker than a pass of numpy over every phrasing for each check
    pool = (gathered >= least).nonzero()[0]
    found: list[tuple[int, float, float]] = []
    if not pool.size:
        return found
    negating, plain_parts = 0, []
    for part in parts:
        if NEGATIONS.isdisjoint(part):
            plain_parts.append(frozenset(part))
        else:
            negating += 1
    # the parts that may count for a phrasing: the negating ones, and the plain ones it shares
    # a concept with (those it is disjoint from are taken off below)
    named = negating + len(plain_parts)
    concepts = frozenset(first)
    phrasings = prep.phrasings
    totals = prep.totals
    said: NoteClause | None = None  # read once a phrasing is left to check against it
    # a bare run of words (no punctuation) must also keep the order of two-word phrasings
    # (a note that is little more than the phrasing's words must keep their order too,
    # unless it asks: a question turns the order round)
    # (clauses read together keep each clause's order, not the phrasing's: "screens may
    # cause it but the survey cannot tell us if that is true" names the cause first)
    strict = bare and not spread
    assumed_at = first.get("#assume")
    assumed: tuple[str, ...] | None = None  # what the clause says is assumed, once needed
    unknown_at = _unknown_at(clause) if "#know" in first else None
    ordered = 2 if strict and (len(clause) >= 6 or (len(clause) <= 3 and not question)) else 3
    scattered = strict and len(clause) >= SCATTER_CLAUSE
    for p, got in zip(pool.tolist(), gathered[pool].tolist(), strict=True):
        share = got / totals[p]  # (as numpy divides and multiplies: the same float)
        if spread:
            share *= SPREAD_PENALTY
        phrasing = phrasings[p]
        if share < (WEAK_MATCH if phrasing.kind == KEY else BELOW_FULL):
            continue
        if phrasing.specifics.isdisjoint(concepts):
            continue  # it shares only concepts every item has
        if floor and share <= floor.get(p, 0.0):
            continue  # every check below can only lower the share
        # the clauses together name only what no one clause names alone: phrasings with
        # concepts in at least two of them, or concepts in one and a negation in another ("Stories
        # get called evidence here, but they are not.")
        if parts and named - sum(map(phrasing.content.isdisjoint, plain_parts)) < 2:
            continue
        if said is None:
            said = NoteClause.read(clause, first)
        shared = phrasing.content & concepts
        if phrasing.kind == MISREADING and phrasing.negations and said.negates \
                and "#author" not in phrasing.content and _omits(clause, first, shared):
            continue  # "the column doesn't divide by the population" against "no need to"
        if phrasing.kind == MISREADING and unknown_at is not None \
                and "#know" not in phrasing.content and _unknown(clause, unknown_at, first, shared):
            continue  # "we don't know what else changed" against "nothing else changed"
        same = _same_polarity(phrasing, said, shared)
        if not same \
                and not (phrasing.kind == KEY and not phrasing.negations
                         and "#assume" not in phrasing.content
                         and (_assumed(clause, first, shared) or _omits(clause, first, shared))):
            if phrasing.kind == KEY and not question and not spread and not phrasing.negations \
                    and len(shared) == len(phrasing.content) and phrasing.specific >= 2:
                # "it is not a slippery slope": the note denies the premise in the rubric's words
                strong = FLAT_DENIAL if _flat_denial(phrasing, clause, first) else 0.0
                found.append((p, -share - strong, got))
            continue  # "the coup happened" against "the coup never happened"
        if phrasing.kind == KEY and assumed_at is not None and phrasing.specific <= 1:
            if assumed is None:
                assumed = _said_assumed(clause, assumed_at, parts)
            if _foreign_claim(prep, phrasing, assumed):
                continue  # "the author assumes the coup was violent": another claim than the item's
        if same and p in prep.actor_subjects and phrasing.kind == KEY \
                and _swapped_actor(prep, phrasing, clause, first, shared):
            continue  # "assumes Ukraine has nuclear weapons" against "russia has nuclear weapons"
        if same and phrasing.kind == KEY and assumed_at and clause[assumed_at - 1] == "#author" \
                and "#assume" not in phrasing.content \
                and _critique_assumed(prep, phrasing, clause, first, shared, assumed_at, parts):
            continue  # "the author assumes russia will get more aggressive": the critique
            # put in the author's mouth
        if said.approving and phrasing.kind == KEY:
            share *= APPROVING_PENALTY  # "True, only men in lycra cycle": agreement, not critique
        if len(shared) >= ordered:  # fewer shared concepts have no order to keep
            order = _concordance(phrasing, first)
            if order < 0.3 or (strict and order < 0.5):
                share *= SHUFFLE_PENALTY  # the right words in a shuffled order
        if scattered and len(shared) >= 2:
            # ... or scattered through a long run of words: "students failing compared ... with
            # it passed" does not say "what about the students who passed"
            where = [first[c] for c in shared]
            if max(where) - min(where) > SCATTER_SPAN * len(shared) + 3:
                share *= SHUFFLE_PENALTY
        found.append((p, share, got))
    if assumed_at and clause[assumed_at - 1] == "#author" and found:
        found = _attributed_against(phrasings, found, first, assumed_at)
    return found


def _attributed_against(phrasings: Sequence[Phrasing], found: list[tuple[int, float, float]],
                        first: Mapping[str, int], assumed_at: int
                        ) -> list[tuple[int, float, float]]:
    """"The author assumes the new leader will be worse for Ukraine": the clause says the author
    assumes the opposite of what the rubric says the text assumes (it denies "it assumes the new
    leader is better for Ukraine"), so a critique named in the words after "assumes" ("the next
    ruler might be worse") is the claim it puts in the author's mouth, not the learner's point."""
    against = {phrasings[p].item for p, share, _ in found
               if share < 0 and _denied_share(share) >= FULL_MATCH
               and "#assume" in phrasings[p].content}
    if not against:
        return found
    return [(p, share, got) for p, share, got in found
            if share < 0 or phrasings[p].kind != KEY or phrasings[p].item not in against
            or "#assume" in phrasings[p].content
            or any(first.get(c, -1) < assumed_at for c in phrasings[p].content)]


def _accepted_similarity(prep: PreparedLesson, note: Explanation
                         ) -> list[tuple[int, float, float]]:
    """Instructor-accepted answers are whole learner notes: compare whole note with whole note
    (phrasing index, cosine-like similarity, shared weight) for those at least half alike."""
    found: list[tuple[int, float, float]] = []
    if not prep.accepted:
        return found
    note_weight = math.fsum(prep.weight(c) for c in note.concept_set if c not in NEGATIONS)
    if not note_weight:
        return found
    note_negations = sum(negations(clause) for clause in note.clauses)
    for phrasing in prep.accepted:
        if phrasing.negations % 2 != note_negations % 2:
            continue
        shared = math.fsum(prep.weight(c) for c in phrasing.content & note.concept_set)
        similarity = shared / math.sqrt(phrasing.weight * note_weight)
        if similarity >= 0.5:
            found.append((phrasing.index, similarity, shared))
    return found


# what a sentence may say of the claim before it to judge it ("Unsupported and possibly false.",
# "Dubious.", "No evidence for this.")
JUDGING_CONCEPTS = frozenset({"#source", "#question", "#vague", "#happen", "#know", "#always",
                              "#detail", "#mention", "possibl", "probabl", "complet", "total",
                              "pure", "realli", "#author"})


def _judges(clause: tuple[str, ...]) -> bool:
    """Whether ``clause`` only doubts or denies what came before it."""
    doubts = "#question" in clause or "#vague" in clause or not NEGATIONS.isdisjoint(clause)
    return doubts and all(c in JUDGING_CONCEPTS or c in NEGATIONS or c == SEP for c in clause)


def _corroborate(prep: PreparedLesson, best: dict[int, tuple[float, float]],
                 weakly: Mapping[int, frozenset[str]]) -> None:
    """Raise to KEY_MATCH the key phrasings of an item that the note names only weakly
    (WEAK_MATCH to KEY_MATCH) in two ways, each with specific concepts the other lacks
    ("crime dropped everywhere cos people were stuck at home ... the drop lines up with the
    pandemic": one phrasing lacks "house", another "line"). Half-named once, a premise may be a
    guess at it; named by two different sets of its words, the note says it. One set inside the
    other ("attack and defend in the same sentence" against "attacks are framed as defence" and
    "the article dresses attacks up as defence") is the same few words named once."""
    items: dict[int, list[int]] = {}
    for p, (share, _) in best.items():
        if p in weakly and WEAK_MATCH <= share < KEY_MATCH:
            items.setdefault(prep.phrasings[p].item, []).append(p)
    for found in items.values():
        for i, p in enumerate(found):
            for q in found[i + 1:]:
                if not (weakly[p] <= weakly[q] or weakly[q] <= weakly[p]):
                    best[p] = (KEY_MATCH, best[p][1])
                    best[q] = (KEY_MATCH, best[q][1])


def _negates_as(phrasing: Phrasing, clause: tuple[str, ...]) -> bool:
    """Whether ``clause`` negates (at all) just when ``phrasing`` does: a weak match is loose
    enough to let "attack is not different from defence" half-name "attacks are framed as
    defence", and two such make no naming of the premise."""
    return NEGATIONS.isdisjoint(clause) == (not phrasing.negations)


def _match(prep: PreparedLesson, note: Explanation, bare: bool = False,
           given: frozenset[str] | None = None, asking: bool | None = None
           ) -> dict[int, ItemEvidence]:
    """``asking``: :func:`_doubts` of the note, when the caller has it already."""
    best: dict[int, tuple[float, float]] = {}
    where: dict[int, int] = {}  # the clause each phrasing's best share was found in
    alone: dict[int, float] = {}  # each misreading's best share in one sentence
    # the specific concepts that each key phrasing named only weakly (its best share below
    # KEY_MATCH) shares with the clause it was named in, for _corroborate
    weakly: dict[int, frozenset[str]] = {}
    denied: dict[int, float] = {}
    flat: dict[int, tuple[float, float]] = {}
    if asking is None:
        asking = _doubts(note)
    clauses = list(note.clauses)
    spread_at = -1
    if 1 < len(clauses) <= 4:
        # An idea spread over two sentences ("A vacuum gets filled. Whoever fills it...").
        spread_at = len(clauses)
        clauses.append(tuple(chain.from_iterable(note.clauses)))
    # "P2: a new leader will be better for Ukraine. Unsupported.": a claim judged by the
    # sentence after it is named as an assumption ("it assumes a new leader will be better")
    judged: set[int] = set()
    if not note.question:  # a question claims nothing
        for before, after in zip(note.clauses, note.clauses[1:], strict=False):
            if _judges(after) and "#assume" not in before and NEGATIONS.isdisjoint(before):
                judged.add(len(clauses))
                clauses.append(("#assume", *before))
    for number, clause in enumerate(clauses):
        spread = number == spread_at
        # the clauses together count only where they name a phrasing better than each one
        # alone, which the clauses themselves decide
        key = (note.clauses if spread else clause, spread, bare, asking, note.question)
        found = prep.clause_matches.get(key)
        if found is None:
            floor = {p: share for p, (share, _) in best.items()} if spread else None
            found = _match_clause(prep, clause, spread, bare, asking, note.question, floor,
                                  note.clauses if spread else ())
            if len(prep.clause_matches) >= CLAUSE_CACHE_SIZE:
                prep.clause_matches.clear()
            prep.clause_matches[key] = found
        for p, share, got in found:
            if share < 0:
                item = prep.phrasings[p].item
                if share <= -FLAT_DENIAL:
                    flat[item] = max(flat.get(item, (0.0, 0.0)), (-share - FLAT_DENIAL, got))
                denied[item] = max(denied.get(item, 0.0), _denied_share(share))
            else:
                if share > best.get(p, (0.0, 0.0))[0]:
                    best[p] = (share, got)
                    where[p] = number
                    if share < KEY_MATCH and prep.phrasings[p].kind == KEY \
                            and _negates_as(prep.phrasings[p], clause):
                        weakly[p] = prep.phrasings[p].specifics.intersection(clause)
                # (a note of two clauses read together is the whole note: it names what they
                # name, as one sentence does)
                if (not spread or len(note.clauses) == 2) and share > alone.get(p, 0.0) \
                        and prep.phrasings[p].kind == MISREADING:
                    alone[p] = share
    if len(weakly) > 1 and not note.question:
        # (a question names its words without saying them: "are they still called separatists?
        # feels old" half-names the outdated framing in several ways and claims none)
        _corroborate(prep, best, weakly)
    for index, similarity, shared in _accepted_similarity(prep, note):
        best[index] = (similarity, shared)
    evidence: dict[int, ItemEvidence] = {}
    if given is not None and not _adds_to(note, given):
        # A note that only restates the highlighted passage names no premise: at most partial.
        for p, (share, got) in list(best.items()):
            if prep.phrasings[p].kind == KEY:
                best[p] = (min(share, WEAK_MATCH), got)
    for item, share in denied.items():
        evidence.setdefault(item, ItemEvidence()).denied = round(share, 3)
    for item, (share, got) in flat.items():
        evidence[item].flat_denial = round(share, 3)
        evidence[item].flat_weight = got
    rounded = prep.rounded
    phrasings = prep.phrasings
    misread_at: dict[int, int] = {}  # per item, the first clause that states a misreading of it
    several = len(note.clauses) > 1
    for p, (share, got) in best.items():
        phrasing = phrasings[p]
        item_evidence = evidence.get(phrasing.item)
        if item_evidence is None:
            item_evidence = evidence[phrasing.item] = ItemEvidence()
        # so that 0.9999... and 1.0 compare as equal (looked up: the same phrasings match the
        # same shares note after note, and round() to digits is slow)
        exact = share
        looked_up = rounded.get(exact)
        if looked_up is None:
            share = round(exact, 3)
            if len(rounded) < CLAUSE_CACHE_SIZE:
                rounded[exact] = share
        else:
            share = looked_up
        if phrasing.kind == KEY:
            known = item_evidence.key.get(phrasing.idea)
            if known is None or share > known:
                item_evidence.key[phrasing.idea] = share
            if (share, got) > item_evidence.key_best:
                item_evidence.key_best = (share, got)
                item_evidence.key_spread = where.get(p) == spread_at
                item_evidence.key_at = where.get(p, -1)
                item_evidence.key_phrasing = p
            if where.get(p) != spread_at and share > item_evidence.key_alone:
                item_evidence.key_alone = share
        elif phrasing.kind == PARTIAL:
            item_evidence.partial = max(item_evidence.partial, share)
        elif phrasing.kind == MISREADING:
            item_evidence.misreading_alone = max(item_evidence.misreading_alone, alone.get(p, 0.0))
            if share >= FULL_MATCH and (share, got) > item_evidence.misreading_best:
                item_evidence.misreading_best = (share, got)
                item_evidence.misreading_label = phrasing.idea
                item_evidence.misreading_at = where.get(p, -1)
                item_evidence.misreading_phrasing = p
                item_evidence.misreading_spread = where.get(p) == spread_at
            if several and exact >= FULL_MATCH and p in where:
                misread_at[phrasing.item] = min(misread_at.get(phrasing.item, 99), where[p])
        else:
            item_evidence.accepted = max(item_evidence.accepted, share)
    if misread_at:  # a key idea that answers a misreading stated before it
        for p, (share, _) in best.items():
            phrasing = phrasings[p]
            at = where.get(p, -1)
            misread = misread_at.get(phrasing.item, 99)
            # the key named after the misreading: in a turn ("X causes Y, but the survey cannot
            # show that"); by the clauses together when a turn follows the misreading ("but it
            # cannot tell us if that is true": "that" is the misreading's claim); as the claim
            # a later sentence judges; or in a later sentence that doubts or denies ("P2: a new
            # leader will be better for Ukraine. Nothing says who took over.")
            if phrasing.kind == KEY and share >= KEY_MATCH and misread < at and (
                    at in note.turns or at in judged
                    or (at == spread_at and any(t > misread for t in note.turns))
                    or (at < len(note.clauses) and not NEGATIONS.isdisjoint(note.clauses[at]))):
                evidence[phrasing.item].key_answers_misreading = True
    return evidence


def _margin(score: float, threshold: float) -> float:
    """Confidence from the distance between a score and the threshold it was compared with."""
    return max(0.5, min(0.97, 0.5 + abs(score - threshold) * 2.0))


@dataclass(slots=True)  # not frozen: one is made per item a note may name, and a frozen init
# (object.__setattr__ per field) costs several times as much; nothing changes one once made
class Verdict:
    item: int
    credit: float
    strength: float  # the deciding score, for ranking between items
    confidence: float
    ideas: tuple[str, ...]
    feedback: str
    flags: tuple[str, ...] = ()
    weight: float = 0.0  # how much of the rubric's wording the note matched, to break ties

    def __init__(self, item: int, credit: float, strength: float, confidence: float,
                 ideas: tuple[str, ...], feedback: str, flags: tuple[str, ...] = (),
                 weight: float = 0.0) -> None:  # (written out: see ItemEvidence)
        self.item = item
        self.credit = credit
        self.strength = strength
        self.confidence = confidence
        self.ideas = ideas
        self.feedback = feedback
        self.flags = flags
        self.weight = weight


def _doubts(note: Explanation) -> bool:
    """A bare question or a sceptical remark ("Source?", "Not always.", "Sounds risky.")."""
    if note.question:
        return True
    if "#assume" in note.concept_set and not note.concept_set - GENERIC_CONCEPTS - NEGATIONS:
        return True  # "Sounds like a generalisation.", "Big assumption!"
    last_turn = max(note.turns, default=0)
    for at, clause in enumerate(note.clauses):
        if DOUBT_CONCEPTS.intersection(clause):
            return True
        if not HEDGED_DENIAL.isdisjoint(clause) and not NOTS.isdisjoint(clause) \
                and at >= last_turn:
            return True  # "maybe not distracted", "allies probably wouldn't want this": the
            # claim denied, hedged; not when a turn follows ("maybe not, but it did happen")
        if "#ignore" in clause and "#author" in clause[:clause.index("#ignore")]:
            return True  # "The writer ignores what the councillors say"
        for i, concept in enumerate(clause[:-1]):
            if concept in NOTS and clause[i + 1] in VAGUE_CRITIQUES \
                    and NOT_THAT not in clause[:i]:
                return True
    return False


def _wants_grounds(lowered: str) -> bool:
    """Whether a note (in lower case) asks for the claim's grounds or to check it
    (_GROUNDS_WANTED), without saying in a "that" clause which claim ("I'd want a source for the
    claim that the allies are all in NATO" is about a claim of the learner's, read as such)."""
    if not _holds_any(lowered, _GROUNDS_WORDS):
        return False  # (most notes)
    if "warrant" in lowered and _NO_WARRANT.search(lowered):
        return True  # "no warrant for this", "no warrant that russia is actually preoccupied"
    found = _GROUNDS_WANTED.search(lowered)
    return found is not None and not _CLAIM_THAT.match(lowered, found.end())


_CLAIM_THAT: Final = re.compile(r"[^.!?;]*\bthat\s+\w")


def _finds_fault(note: Explanation) -> bool:
    """A vague complaint ("this is wrong", "feels manipulative"), but not "87 percent can't be
    wrong", nor a conclusion from reasons of the note's own: "donbas is part of russia not
    ukraine so this is wrong". Unlike a doubt, it does not make the note ask (see _eligible)."""
    for clause in note.clauses:
        for i, concept in enumerate(clause):
            if (concept in FAULT_WORDS and NOTS.isdisjoint(clause[:i])) or (
                    concept in DENIED_VIRTUES and not NOTS.isdisjoint(clause[max(0, i - 2):i])):
                # a sentence that says little else: "the survey is fine, they asked lots of
                # parents, so this complaint is wrong" gives reasons of its own
                said = set(clause) - GENERIC_CONCEPTS - FAULT_WORDS - DENIED_VIRTUES - NOTS - {SEP}
                return len(said) <= FAULT_SENTENCE_CONCEPTS
    return False


def _approves(note: Explanation) -> bool:
    """Agreement or praise ("Yes, great point?", "Good, the author mentions the risk"), unless a
    turn takes it back ("Nice for her, but so what?": what comes after the last turn counts)."""
    if note.bare_turn:
        return False  # "Nice for her, but so what?", "Sounds great but really?": taken back
    start = max(note.turns, default=0)
    if not any("#question" in clause or not FAULT_WORDS.isdisjoint(clause)
               for clause in note.clauses[start:]):
        start = 0  # "right, it is risky but necessary": the turn takes nothing back
    for clause in note.clauses[start:]:
        for i, concept in enumerate(clause):
            if concept in ("#agree", "#better") and (i == 0 or clause[i - 1] not in NOTS) \
                    and not (concept == "#agree" and "#question" in clause[max(0, i - 3):i]) \
                    and "#only" not in clause[max(0, i - 2):i]:
                # not "only the good ones", "only the benefits", "only talks about the
                # benefits": a restriction, not praise
                return True
    return False


# a sentence that opens with praise ("Good that homework is included", "Great point", "this is
# good because ..."; not "nice story", which is as often a sneer), with nothing after it that turns
# ("but", "though") in the rest of the note
_PRAISE_OPENING: Final = re.compile(
    r"(?:^|[.!?;]\s+)\W*(?:(?:this|that|it)(?:'s|\u2019s| is)\s+)?(?:really\s+|very\s+)?"
    r"(?:good|great|excellent|brilliant|well done|love)\b", re.IGNORECASE)
_PRAISE_WORDS: Final = ("good", "great", "excellent", "brilliant", "well done", "love")
_TURN_WORD: Final = re.compile(r"\b(?:but|however|though|although|yet)\b", re.IGNORECASE)


def _praises(explanation: str, lowered: str) -> bool:
    """Whether a sentence of the note opens with praise that nothing after it takes back ("good
    that homework is included, it makes the measure more complete"; not "nice story but idk if it
    proves much"). ``lowered``: the note in lower case."""
    if not _holds_any(lowered, _PRAISE_WORDS):
        return False  # most notes praise nothing: found without the pattern
    found = _PRAISE_OPENING.search(explanation)
    return found is not None and not _TURN_WORD.search(explanation, found.end())


def _topical(prep: PreparedLesson, note: Explanation) -> bool:
    """Whether a doubting note is about the text at all ("Really?" is, "Can I go now?" is not)."""
    if note.word_count <= 5:
        return True  # a short question on a passage is about that passage
    return any(c.startswith("#") or c in prep.topic_stems for c in note.concept_set)


def _own_ideas(concepts: Iterable[str]) -> set[str]:
    """The ideas of ``concepts`` that say something: without the generic ones, negations,
    doubts, vague critiques and sentence breaks (what _own_point, _states, _argues and
    _beyond_item count)."""
    return set(concepts) - GENERIC_CONCEPTS - NEGATIONS - DOUBT_CONCEPTS - VAGUE_CRITIQUES - {SEP}


def _own_point(explanation: str, note: Explanation) -> bool:
    """Whether a doubting note makes a point of its own rather than a vague doubt (see
    DOUBT_POINT_CONCEPTS)."""
    if note.word_count > DOUBT_POINT_WORDS or note.question or not HEDGES.isdisjoint(
            note.concept_set):
        return False
    if "#question" in note.concept_set and (
            "?" in explanation or _HEDGED.search(explanation)
            or _QUESTION_HEDGES.search(explanation)
            or not PRESCRIPTION_GROUNDS.isdisjoint(note.concept_set)
            or not any(_states(clause) for clause in note.clauses)):
        return False
    return len(_own_ideas(note.concept_set)) >= DOUBT_POINT_CONCEPTS


STATEMENT_CONCEPTS: Final = 2  # a sentence that judges nothing and says this much states a point


def _states(clause: tuple[str, ...]) -> bool:
    """Whether a sentence of a note states something without judging the passage ("The
    separatists are locals with their own grievances", "it would need to be like 20% to matter"):
    beside a judgement in another sentence, a point of the note's own. A judgement elaborated in
    its own sentence ("sensational, the column opens like a tabloid with a scary headline") is
    still a vague doubt, as "Rather a sensational way to begin; more tabloid than broadsheet." is
    to instructors."""
    if "#question" in clause:
        return False
    return len(_own_ideas(clause)) >= STATEMENT_CONCEPTS


# "the author should say 'rebels'", "Should not call him 'President'", "they should list them":
# a note that tells the writer what to write makes a point of its own about the wording, not a
# vague doubt of what the passage claims. Not in a question ("why should we trust him?", "should
# they?"), nor when it asks for the claim's grounds ("should give a source", "should tell us how
# they know") or whether it holds ("should have checked whether the coup really happened"), nor
# when what it should say is the claim itself ("shouldn't say this so confidently", "should not
# present it as certain", "should be more careful"): that doubts the claim (see _prescribes)
_PRESCRIPTION: Final = re.compile(
    r"(?:^|[.!;:,\u2013\u2014-]\s*|\b(?:author|writer|article|journalist|reporter|piece|column|"
    r"text|he|she|they|it)\s+)(?:should|ought\s+to)(?:n'?t|\s+not)?\s+"
    r"(?!(?:we|i|you|they|not)\b|(?:have\s+)?(?:be|been)\b|(?:have\s+)?(?:say|said|state|stated|"
    r"present|presented|claim|claimed|assert|asserted|put|write|written|report|reported)\s+"
    r"(?:this|it|that)\b)", re.IGNORECASE)
PRESCRIPTION_GROUNDS: Final = frozenset({"#source", "#know", "#happen"})
_ASKS_WHETHER: Final = re.compile(r"\b(?:whether|if)\b", re.IGNORECASE)


def _prescribes(explanation: str, lowered: str, note: Explanation) -> bool:
    """Whether a sentence of the note, not a question, tells the writer what to write instead
    (_PRESCRIPTION); ``lowered``: ``explanation`` in lower case."""
    if "should" not in lowered and "ought" not in lowered:
        return False  # (most notes)
    if not PRESCRIPTION_GROUNDS.isdisjoint(note.concept_set):
        return False
    for found in _PRESCRIPTION.finditer(explanation):
        rest = explanation[found.end():]
        end = re.search(r"[.!?;]|\s[\u2013\u2014-]\s", rest)
        if (end is None or end.group() != "?") \
                and not _ASKS_WHETHER.search(rest, 0, end.start() if end else len(rest)):
            return True
    return False


# "her sister is biased because she sells the tea", "'Russian-backed' is loaded language because
# it puts the blame on Russia", "NATO isn't a country so it's odd to list it": a complaint that
# gives its own reason, unhedged and unasked, is a point of the learner's own (which matched none of
# the item's ideas), not a vague doubt; "so" joins a reason only before a clause ("so the", "so
# it"), not in "so simple"
_REASON: Final = re.compile(
    r"\b(?:because|cos|coz|since(?!\s+\d)|as(?=\s+(?:it|it'?s|its|they|he|she|the|this|that|there|"
    r"we|you)\b))\b|\bso\s+(?=(?:the|this|that|it|"
    r"it'?s|its|they|we|you|he|she|there|many|some|people|i)\b)", re.IGNORECASE)
ARGUED_CONCEPTS: Final = 3  # a reasoned complaint says at least this much beyond generic words


def _argues(explanation: str, note: Explanation) -> bool:
    """Whether the note finds fault for a reason it gives (_REASON), with no question or hedge."""
    if "?" in explanation or not _REASON.search(explanation) or _HEDGED.search(explanation) \
            or _DOUBTS_CLAIM.search(explanation):
        return False  # "I don't trust it, because ...": a reason to doubt the claim itself
    if not PRESCRIPTION_GROUNDS.isdisjoint(note.concept_set):
        return False  # "misleading, because no source is given" doubts the claim's grounds
    return len(_own_ideas(note.concept_set)) >= ARGUED_CONCEPTS


# "The author assumes Russia is backing the separatists, which is biased", "this assumes russia
# is already a democracy?": a note that says what the text assumes names a premise; one that is
# none of the item's ideas is a different reading of the passage, not a vague doubt of it (as
# "big assumption" or "the article just assumes you can drink it" are). Read from the verb ("a
# sweeping generalisation about countries in crisis" only sums the passage up)
_ASSUMES: Final = re.compile(r"\b(?:assum(?:es?|ed|ing)|presum(?:es?|ed|ing)|suppos(?:es|ed|ing)|"
                      r"presuppos(?:es?|ed|ing)|takes? (?:it )?for granted)\b", re.IGNORECASE)
NAMED_ASSUMPTION_CONCEPTS: Final = 2  # what a note says the text assumes: this many ideas or more


def _names_assumption(explanation: str, note: Explanation) -> bool:
    """Whether the note says what the text assumes (_ASSUMES), in a clause of ideas of its own."""
    if note.word_count > DOUBT_POINT_WORDS or not _ASSUMES.search(explanation):
        return False
    for clause in note.clauses:
        if "#assume" in clause:
            said = [c for c in clause[clause.index("#assume") + 1:]
                    if c not in NEGATIONS and c not in DOUBT_CONCEPTS
                    and c not in ("#author", "#assume", SEP)]
            if len(said) >= NAMED_ASSUMPTION_CONCEPTS:
                return True
    return False


# a point of the note's own is about something else only when it says something else: this share
# of its ideas or more lie outside the item's words ("misleading, because kids who struggle at
# school spend more time on screens" is the premise in words the rubric lacks, and stays a doubt)
BEYOND_ITEM_SHARE: Final = 0.25


def _beyond_item(prep: PreparedLesson, index: int, note: Explanation) -> bool:
    """Whether enough of the note's own ideas lie outside item ``index``'s words
    (BEYOND_ITEM_SHARE)."""
    specific = _own_ideas(note.concept_set)
    beyond = specific - prep.item_concepts[index]
    return bool(specific) and len(beyond) >= BEYOND_ITEM_SHARE * len(specific)


class _NotePoint:
    """Whether a note makes a point of its own rather than a vague doubt, read only when the
    vague-doubt path of :func:`_judge_item` asks (most notes never reach it), and then once for
    all the items it is judged against."""

    def __init__(self, explanation: str, lowered: str, note: Explanation) -> None:
        self.explanation, self.lowered, self.note = explanation, lowered, note

    @cached_property
    def _stated(self) -> bool:
        return _own_point(self.explanation, self.note)

    @cached_property
    def judged(self) -> bool:
        """A point of its own beside a word that judges how the passage is put (#question):
        read as the other readings of :attr:`asserts` are."""
        return self._stated and "#question" in self.note.concept_set

    @cached_property
    def own(self) -> bool:
        """A point of its own with no such word (_own_point): never a vague doubt."""
        return self._stated and not self.judged

    @cached_property
    def asserts(self) -> bool:
        """It judges how the passage is put beside a point (:attr:`judged`), tells the writer
        what to write instead (_prescribes), gives a complaint a reason of its own (_argues) or
        says what the text assumes (_names_assumption): a point about something else when it
        says something else (_beyond_item)."""
        return self.judged or _prescribes(self.explanation, self.lowered, self.note) \
            or _argues(self.explanation, self.note) \
            or _names_assumption(self.explanation, self.note)


def _misread(found: ItemEvidence, note: Explanation) -> bool:
    """Whether the misreading the note names outweighs the best key idea it names. Named as
    fully in a sentence of its own, the key idea wins unless the misreading says clearly more of
    the rubric's words ("It supposes Ukraine still hold Donbas. Actually after the 2022 full
    invasion the Russian army occupy big part of the east."), but not when the misreading turns
    on it ("Old data but still reliable"); in one sentence the words beyond the key decide."""
    (misread, misread_weight), (key, key_weight) = found.misreading_best, found.key_best
    if found.misreading_spread and misread < POOLED_MISREADING and found.key_alone >= KEY_MATCH:
        # the key idea said in one sentence, the misreading only some of its words gathered from
        # several ("Author mix defence and attack. It say 'attack more' and then 'this is
        # securing sovereignty'"): the sentence outweighs the words pooled. A misreading the
        # sentences together say in full still decides ("Self-selected, yes, but with over
        # 3,000 parents it hardly matters")
        return False
    turns = note.turns
    if misread == key and misread_weight < KEY_TIE_WEIGHT * key_weight and _apart(found, turns):
        return False
    if misread < MOSTLY_NAMED and key >= KEY_MATCH and found.key_at == found.misreading_at \
            and key_weight >= KEY_OUTWEIGHS * misread_weight:
        # one sentence that says what is assumed names a key idea in many of the rubric's words
        # and only most of a short misreading's ("assumes the allies will give more weapons just
        # cos they dont like the coup" against "the allies give ukraine weapons"): the
        # misreading's few words are the article's claim the key idea is about, not a claim of
        # the note's own (a sentence that only states the claim, "allies will send more weapons,
        # no doubt about it", still agrees with it)
        said = note.clauses[found.key_at] if found.key_at < len(note.clauses) \
            else note.concept_set
        if "#assume" in said:
            return False
    if found.misreading_spread and found.misreading_alone < FULL_MATCH and found.key_spread \
            and key >= misread:
        # both named only by the sentences read together, the key idea as fully, and no one
        # sentence names the misreading: the pooled words of a note that retells the article
        # before turning on it ("a recording effect. nobody went to the station over a stolen
        # bike before, now they tap an app. the stats count reporting habits as much as actual
        # crime") hold more of the article's words than its critique does, and their weight is
        # no sign that the misreading is meant
        return False
    return (misread, misread_weight) > (key, key_weight)


def _negated_tie(prep: PreparedLesson, found: ItemEvidence, note: Explanation) -> bool:
    """Whether one sentence names a key phrasing that negates and a misreading that does not,
    both as fully, with a negation of the note before some of the misreading's words in their
    phrase ("more gets logged, that doesn't mean more crime happens", "the successor is unknown
    so whether it is better is a guess"): the key idea reads the negation, the misreading reads
    past it, so the misreading's greater weight does not decide."""
    at = found.key_at
    if at != found.misreading_at or not 0 <= at < len(note.clauses) \
            or found.key_best[0] != found.misreading_best[0]:
        return False
    key, misreading = prep.phrasings[found.key_phrasing], prep.phrasings[found.misreading_phrasing]
    if key.negations % 2 == 0 or misreading.negations:
        return False
    negated = False  # a negation earlier in the phrase reaches the words after it
    for concept in note.clauses[at]:
        if concept == SEP:
            negated = False
        elif concept in NOTS:
            negated = True
        elif negated and concept in misreading.content:
            return True
    return False


def _apart(found: ItemEvidence, turns: frozenset[int]) -> bool:
    """Whether the best key idea and the best misreading were named in different sentences,
    the misreading's not a turn on the key's ("Old data but still reliable")."""
    return found.key_at != found.misreading_at \
        and not (found.misreading_at in turns and found.misreading_at > found.key_at)


POOLED_MISREADING: Final = SPREAD_PENALTY - 0.001  # below it, the sentences read together name only
# part of a misreading (their share is at most SPREAD_PENALTY)
BOTH_NAMED_CONFIDENCE: Final = 0.55  # a premise and a misreading of it named in different sentences
# a misreading named below this share is named only in part ...
MOSTLY_NAMED: Final = 0.95
# ... and loses to a key idea of the same sentence with this much more weight
KEY_OUTWEIGHS: Final = 1.4
KEY_TIE_WEIGHT: Final = 1.1  # a misreading named as fully as the key idea wins only with this much
# more weight


def _label(note: Explanation, at: int) -> bool:
    """Whether clause ``at`` of the note is a bare label ("Selection bias:", "A fair
    generalisation:"): at most LABEL_CONCEPTS ideas beyond generic words."""
    return 0 <= at < len(note.clauses) and len(
        set(note.clauses[at]) - GENERIC_CONCEPTS - NEGATIONS - {SEP}) <= LABEL_CONCEPTS


LABEL_CONCEPTS: Final = 3
# a premise named with the highlight elsewhere earns half credit in a note of at most this many
# words: past it, the words that name it are an essay's about something else ("Crimea has a long
# and complicated history ...")
ELSEWHERE_WORDS: Final = 40
# ... unless the premise takes up a real share of what it says: this much of the rubric's weight
# per word of the note ("The article describes the enemy as 'Russian-backed separatists' ... the
# picture from 2014 to 2021. Since the Feb 2022 invasion ...", 43 words, about 0.14 a word; the
# essays above name theirs with 0.04 to 0.07 a word)
ELSEWHERE_WEIGHT_PER_WORD: Final = 0.1
# ... or named less closely (a share of 0.7) by a heavy match: "He sets it up as only 2 options -
# cars or dead shops - and ignores all the middle ground." (0.76 of a phrasing, weight 5.2) or
# "crime should be per 1000 people not a total, because the town grew so much" (0.79, 4.9)
# name the premise as well as a short note that reaches 0.85; a light match at that share
# ("assumes allies agree" elsewhere) does not
ELSEWHERE_HEAVY_MATCH: Final = 0.7
ELSEWHERE_HEAVY_WEIGHT: Final = 4.9


def _judge_item(prep: PreparedLesson, index: int, found: ItemEvidence, on_passage: bool,
                note: Explanation, claims: bool = False, inquires: bool = False,
                doubts: bool | None = None, praised: bool = False,
                plain_question: bool = False, point: _NotePoint | None = None,
                hesitant: bool = False) -> Verdict | None:
    """``inquires``: the note asks whether ("is that a good idea?"), so its words of approval are
    what it doubts, not approval. ``doubts``: :func:`_doubts` of the note, when the caller has it
    already. ``praised``: a sentence of it opens with praise no turn takes back (_praises).
    ``plain_question``: the note is one plain question and nothing else (_bare_question).
    ``point``: whether the note makes a point of its own instead of a vague doubt (_NotePoint).
    ``hesitant``: a short note with the learner's own hesitation in it (_HESITATION)."""
    item = prep.items[index]
    strong = {idea: s for idea, s in found.key.items() if s >= KEY_MATCH}
    best_key = max(found.key.values(), default=0.0)
    named = len(strong) >= item.full_requires or found.accepted >= ACCEPTED_MATCH
    decisive = max(best_key, found.accepted)
    ideas = tuple(sorted(strong)) + (("accepted",) if found.accepted >= ACCEPTED_MATCH else ())
    if found.misreading_label is not None and _misread(found, note) \
            and not _negated_tie(prep, found, note) \
            and found.accepted < ACCEPTED_MATCH and not found.key_answers_misreading:
        if not on_passage:
            return None
        misreading = next((m for m in item.misreadings if m.label == found.misreading_label),
                          None)
        feedback = misreading.feedback if misreading else FEEDBACK_UNCLEAR
        if strong and _apart(found, note.turns) and not found.key_spread \
                and not (found.key_at < found.misreading_at and _label(note, found.key_at)):
            # the premise named in one sentence and a misreading of it in another ("It supposes
            # Ukraine still holds the Donbas. Since 2022 the separatists are the enemy"): which
            # one the learner means is the instructor's call, so half credit, queued for review.
            # The misreading decides when it turns on the premise ("Old data, but still
            # reliable"), when it follows a bare label ("Reverse causality: screens cause bad
            # grades") or when the premise is named only by the sentences read together
            return Verdict(index, 0.5, found.misreading_best[0], BOTH_NAMED_CONFIDENCE, (),
                           feedback, ("misreading-and-key",))
        return Verdict(index, 0.0, found.misreading_best[0], 0.75 if strong else 0.9, (),
                       feedback, ("misreading",))
    if found.accepted < ACCEPTED_MATCH and (
            (found.flat_denial >= FULL_MATCH and found.flat_weight >= found.key_best[1])
            or (found.denied >= FULL_MATCH and best_key < KEY_MATCH)):
        # "It is not a slippery slope": denies the premise in the rubric's own words
        return (Verdict(index, 0.0, found.denied, 0.75, (), item.feedback.partial, ("denies",))
                if on_passage else None)
    if not on_passage:
        # a premise named less closely but at length, in the lexicon's words and not only the
        # article's (a paraphrase of its paragraph names nothing)
        heavy = best_key >= ELSEWHERE_HEAVY_MATCH \
            and found.key_best[1] >= ELSEWHERE_HEAVY_WEIGHT \
            and any(c.startswith("#") for c in note.concept_set - GENERIC_CONCEPTS)
        if ((named and decisive >= ELSEWHERE_MATCH) or heavy) and not claims \
                and (note.word_count <= ELSEWHERE_WORDS
                     or found.key_best[1] >= ELSEWHERE_WEIGHT_PER_WORD * note.word_count) \
                and not (
                found.key_spread and note.word_count > 35):
            hint = (f"You named a real premise, but your highlight is not on the passage where it "
                    f"lives. {item.feedback.missed}")
            return Verdict(index, 0.5, decisive, _margin(decisive, ELSEWHERE_MATCH), ideas, hint,
                           ("elsewhere",), weight=found.key_best[1])
        return None
    if named and note.question and (note.word_count <= BARE_QUESTION_WORDS or (
            note.word_count <= BARE_QUESTION_WORDS + 1
            and len(note.concept_set - GENERIC_CONCEPTS - NEGATIONS) <= 1)):
        return Verdict(index, 0.5, decisive, 0.7, ideas, item.feedback.partial,
                       ("bare-question",), weight=found.key_best[1])
    if named and plain_question:
        # "Is attacking the only option?": a longer question points at the premise without
        # saying that the text takes it for granted; instructors give it half credit too
        return Verdict(index, 0.5, decisive, _margin(decisive, KEY_MATCH), ideas,
                       item.feedback.partial, ("question",), weight=found.key_best[1])
    if named and hesitant:
        # "attack/defend blurred together hmm": named, but only tentatively
        return Verdict(index, 0.5, decisive, _margin(decisive, KEY_MATCH), ideas,
                       item.feedback.partial, ("hesitant",), weight=found.key_best[1])
    if named:
        return Verdict(index, 1.0, decisive, _margin(decisive, KEY_MATCH), ideas,
                       item.feedback.full, weight=found.key_best[1])
    if praised and (strong or found.partial >= FULL_MATCH or best_key >= WEAK_MATCH) \
            and not (_doubts(note) if doubts is None else doubts):
        return None  # "good that homework is included, it makes the measure more reliable"
    if strong:  # some but not all of the required key ideas
        return Verdict(index, 0.5, best_key, _margin(best_key, KEY_MATCH) * 0.9, ideas,
                       item.feedback.partial)
    if found.partial >= FULL_MATCH:
        return Verdict(index, 0.5, found.partial, _margin(found.partial, FULL_MATCH),
                       (), item.feedback.partial)
    if best_key >= WEAK_MATCH and "#agree" not in note.concept_set:
        return Verdict(index, 0.5, best_key, min(_margin(best_key, KEY_MATCH), 0.65), (),
                       item.feedback.partial, ("weak",), weight=found.key_best[1])
    if doubts is None:
        doubts = _doubts(note)
    if (doubts or _finds_fault(note)) and _topical(prep, note) \
            and (inquires or not _approves(note)) \
            and not claims and not (point is not None and (
                point.own or (point.asserts and _beyond_item(prep, index, note)))):
        # ties between overlapping items go to the one whose wording the note comes closest to
        closeness = math.fsum(prep.weight(c)
                              for c in note.concept_set & prep.item_concepts[index]
                              if c not in GENERIC_CONCEPTS)
        return Verdict(index, 0.5, 0.4, 0.6, (), item.feedback.partial, ("doubt",),
                       weight=closeness)
    return None


def _overlaps(prep: PreparedLesson, span: tuple[int, int]) -> dict[int, int]:
    """Rubric items whose passages the highlight overlaps, with the overlap in characters."""
    found = prep.span_overlaps.get(span)
    if found is not None:
        return found
    found = {}
    start, end = span
    for passage in prep.passages:
        if passage.end <= start or passage.start >= end:
            continue
        shared = min(end, passage.end) - max(start, passage.start)
        if shared >= min(MIN_OVERLAP_CHARS, passage.end - passage.start, end - start):
            found[passage.item] = max(found.get(passage.item, 0), shared)
    if len(prep.span_overlaps) >= CLAUSE_CACHE_SIZE:
        prep.span_overlaps.clear()
    prep.span_overlaps[span] = found
    return found


def _highlight_words(prep: PreparedLesson, span: tuple[int, int]) -> PassageWords:
    """The words of the highlighted text, cached per span."""
    found = prep.span_words.get(span)
    if found is None:
        words = words_and_breaks(prep.lesson.article_text[span[0]:span[1]])
        found = PassageWords.of(frozenset(words) | frozenset(stem(w) for w in words))
        if len(prep.span_words) >= CLAUSE_CACHE_SIZE:
            prep.span_words.clear()
        prep.span_words[span] = found
    return found


def _highlight_concepts(prep: PreparedLesson, span: tuple[int, int]) -> frozenset[str]:
    """The concepts of the highlighted text, cached per span, with the short forms a note may
    restate its words in: initials ("GPAs" for "grade point averages") and "1" for "one"."""
    found = prep.span_concepts.get(span)
    if found is None:
        text = prep.lesson.article_text[span[0]:span[1]]
        words = plain_words(text)
        short = {"".join(w[0] for w in words[i:i + n]) for n in range(2, 5)
                 for i in range(len(words) - n + 1)}
        found = prep.read(text).concept_set | short | {f"{s}s" for s in short} \
            | ({"1"} if "one" in words else set())
        if len(prep.span_concepts) >= CLAUSE_CACHE_SIZE:
            prep.span_concepts.clear()
        prep.span_concepts[span] = found
    return found


# words that report what a passage says, or narrate where the article goes, without judging it
# ("the council maintains that ...", "the writer then turns to ...", "officials say ...")
REPORTING_CONCEPTS: Final = frozenset({"#mention", "maintain", "insist", "state", "argu", "report",
                                "describ", "point", "anywher", "turn", "move", "talk", "focus"})
# one idea in other words, for a note that restates its passage ("paid for" for "funded")
RESTATED_AS = (frozenset({"paid", "pay", "fund", "financ", "sponsor", "bankrol", "money", "cash",
                          "grant"}),
               frozenset({"largest", "biggest"}))


def _context_concepts(prep: PreparedLesson, span: tuple[int, int],
                      given: frozenset[str]) -> frozenset[str]:
    """The concepts of the highlighted text (``given``) and of the sentence it lies in, cached per
    span: a union of two sets of some fifty concepts costs more than the look-up."""
    found = prep.span_context.get(span)
    if found is None:
        found = given | _highlight_concepts(prep, _sentence(prep, span))
        if len(prep.span_context) >= CLAUSE_CACHE_SIZE:
            prep.span_context.clear()
        prep.span_context[span] = found
    return found


def _sentence(prep: PreparedLesson, span: tuple[int, int]) -> tuple[int, int]:
    """The span of the sentence or sentences the highlight ``span`` lies in: from the end of the
    last sentence break before it to the first break in or after its last character (found in
    the breaks worked out once per lesson, not by reading the article again for every note)."""
    start, end = span
    before = bisect_right(prep.break_ends, start)
    after = bisect_left(prep.break_starts, max(start, end - 1))
    return (prep.break_ends[before - 1] if before else 0,
            prep.break_starts[after] + 1 if after < len(prep.break_starts)
            else len(prep.lesson.article_text))


def _adds_to(note: Explanation, given: frozenset[str]) -> bool:
    """Whether the note says anything its highlighted passage does not (a negation, a question
    or a concept of its own; "sells" restates "seller")."""
    # (a clause negates at least once exactly when it holds a negation: its concept_set's)
    if note.question or not NEGATIONS.isdisjoint(note.concept_set):
        return True
    if len(note.concept_set - GENERIC_CONCEPTS) < RESTATEMENT_CONCEPTS:
        return True  # "Putin is the president of Russia": too short to be a restatement
    restated = frozenset().union(*(group for group in RESTATED_AS if not group.isdisjoint(given)))
    words: list[str] | None = None
    for concept in note.concept_set - given - GENERIC_CONCEPTS - REPORTING_CONCEPTS:
        if concept in restated:
            continue  # "paid for by" restates "funded by"
        if concept.startswith("#") or len(concept) < 4:
            return True
        if words is None:
            # the passage's words of four letters or more, in order: the first not before the
            # concept is the one word that may start with it (each word read once per note, not
            # once per concept)
            words = sorted(g for g in given if len(g) >= 4 and not g.startswith("#"))
            starts = tuple(words)
        at = bisect_left(words, concept)
        if not concept.startswith(starts) \
                and not (at < len(words) and words[at].startswith(concept)):
            return True
    return False


def _spans_paragraphs(prep: PreparedLesson, span: tuple[int, int]) -> bool:
    """Whether a highlight takes in two whole paragraphs, or touches three (headings aside):
    a passage is a phrase or a sentence or two, and one premise lives in one place."""
    start, end = span
    touched = whole = 0
    for p_start, p_end in prep.paragraphs:
        if p_end <= start or p_start >= end:
            continue
        touched += 1
        if start <= p_start and p_end <= end:
            whole += 1
    return touched >= 3 or whole >= 2


# a question with something after it: its answer, if it asks whether
_ANSWERED: Final = re.compile(r"\?\W*\w")
# inside a question, what would make it more than one plain question: a pause, a stop, a dash
_INSIDE_QUESTION: Final = re.compile(r"[.,;:!?()\u2013\u2014]|\s-+\s")


def _bare_question(explanation: str) -> bool:
    """One plain question and nothing else ("Hmm, why would a new leader help Ukraine?"): no
    statement beside it, no pause inside it (after an opening "hmm" or "so")."""
    if not explanation.rstrip().endswith("?"):
        return False  # (most notes, found without the pattern below)
    body = _after(_FILLER_START, explanation).strip()
    if not body.endswith("?"):
        return False
    return not _INSIDE_QUESTION.search(body.rstrip("?!. "))


def _prompt_hint(prep: PreparedLesson, index: int) -> str:
    item = prep.items[index]
    for prompt_id in item.prompts:
        prompt = prep.lesson.prompt(prompt_id)
        if prompt is not None and prompt.hints:
            return prompt.hints[0]
    return item.feedback.missed


def judge(prep: PreparedLesson, parsed: ParsedAnnotation) -> AnnotationScore:
    """Score one parsed annotation."""
    if parsed.problem:
        return _error(parsed, parsed.problem)
    text = prep.lesson.article_text
    span = anchor(text, parsed.selectors)
    if span is None:
        return _error(parsed, "the highlighted text was not found in the article")
    if span[1] - span[0] > MAX_HIGHLIGHT_SHARE * len(text) or _spans_paragraphs(prep, span):
        return _zero(parsed, span, FEEDBACK_WHOLE, 0.95, ("whole-article",))
    explanation = parsed.explanation.strip()
    words = words_and_breaks(explanation, commas=True)
    plain = [w for w in words if w != BREAK and w != SOFT]
    if not plain or _NO_CONTENT.match(explanation):
        return _zero(parsed, span, FEEDBACK_EMPTY, 0.97, ("empty",))
    asks = _is_question(explanation)
    lowered = explanation.lower()
    if _to_grader(lowered):
        return _zero(parsed, span, FEEDBACK_GRADER, 0.9, ("grader-note",))
    doubted = asks and (not DOUBTING_WORDS.isdisjoint(plain)
                        or bool(_DOUBTING_QUESTION.search(lowered)))
    all_words = words  # (before a copied passage is taken out of them)
    mask = _copied_mask(words, plain, prep)
    copied = sum(mask) if mask is not None else 0
    total = len(plain)
    passage = _highlight_words(prep, span)
    if mask is not None and copied and copied >= 0.5 * total:
        own = [w for w, m in zip(words, mask, strict=True) if not m]
        if not doubted:  # "None of the risks? Really?": the passage's words, doubted, stay
            if _content_count(own) < 2 or _only_bracketed(own, explanation) \
                    or _labelled_copy(own, passage):
                return _zero(parsed, span, FEEDBACK_COPIED, 0.9, ("copied-passage",))
            words = own
    if (not doubted and _only_passage_words(plain, passage)) \
            or _reports_passage(explanation, passage):
        return _zero(parsed, span, FEEDBACK_COPIED, 0.85, ("passage-words",))
    if prep.accepted:
        # An answer an instructor accepted as a model answer earns full credit on its item's
        # passage even when a word-game filter (a list of keywords, shuffled words, another
        # language) would reject it: the instructor has already judged it.
        overlaps = _overlaps(prep, span)
        draft = read_explanation(words, prep.speller, prep.lexicon, asks)
        hits = [(similarity, prep.phrasings[index].item)
                for index, similarity, _ in _accepted_similarity(prep, draft)
                if similarity >= ACCEPTED_MATCH and prep.phrasings[index].item in overlaps]
        if hits:
            similarity, index = max(hits)
            item = prep.items[index]
            return AnnotationScore(
                id=parsed.id, item=item.id, credit=1.0,
                confidence=round(_margin(similarity, ACCEPTED_MATCH), 3),
                feedback=item.feedback.full, start=span[0], end=span[1],
                matched_ideas=("accepted",))
    gaming = _word_games(plain, explanation, lowered)
    if gaming is not None:
        return _zero(parsed, span, gaming[1], 0.85, (gaming[0],))
    if len(plain) >= SHUFFLED_PROSE_WORDS and _shuffled_prose(prep, all_words, "," in explanation):
        return _zero(parsed, span, FEEDBACK_SALAD, 0.85, ("shuffled-words",))
    # a long note mostly about something else is off topic, unless it names a premise in full
    # on its passage along the way ("When I sat on the parish council we would not have changed
    # the bus timetable on a survey as small as that")
    topic_share = _note_topic_share(prep, plain)  # (read once: the premise named elsewhere below)
    off_topic = _off_topic(topic_share, len(plain))
    if off_topic == 2:
        return _zero(parsed, span, FEEDBACK_OFF_TOPIC, 0.85, ("off-topic",))
    withdrawn = _withdrawn(explanation, lowered) if words is all_words else 0
    if withdrawn:
        explanation = explanation[withdrawn:]
        lowered = explanation.lower()
        asks = _is_question(explanation)
        words = words_and_breaks(explanation, commas=True)
    endorsed = _endorsed_at(explanation, lowered)
    if endorsed is not None:
        # unless it asks: an indirect question ("she would know if ...") does not take back
        # "which is fair enough", nor does a question that vouches ("who better to ask than the
        # ones who made it?"); a question the endorsement answers does not either ("the cost is
        # money? but ukraine gets money from allies so its fine")
        unvouched = _VOUCHING_QUESTION.sub("", explanation) if "?" in explanation else explanation
        if ("?" not in unvouched or explanation.rfind("?") < endorsed) \
                and not _QUESTION_START.match(unvouched):
            return _zero(parsed, span, FEEDBACK_ENDORSES, 0.8, ("endorses",))
    if _explains_word(explanation, lowered, text[span[0]:span[1]]):
        return _zero(parsed, span, FEEDBACK_DEFINES, 0.8, ("explains-word",))
    note = read_explanation(words, prep.speller, prep.lexicon, asks)

    overlaps = _overlaps(prep, span)
    bare = not _holds_any(explanation.strip().rstrip(".!?"), _PUNCTUATION_MARKS)
    given = _highlight_concepts(prep, span)
    # asked by the matching and by each item: read once
    doubts = _doubts(note) or _wants_grounds(lowered)
    # a note that only restates the sentence its highlight sits in adds nothing to it
    # ("officials say part of rise is from online reporting system" on the system's half of
    # "Part of the rise, officials admit, reflects the ... online reporting system")
    evidence = _match(prep, note, bare, _context_concepts(prep, span, given), doubts)
    verdicts: list[Verdict] = []
    # a note that makes a misreading's claim on one passage is not a vague doubt on another
    claims = any(e.misreading_label is not None and i in overlaps for i, e in evidence.items())
    # a question with no answer after it, or one that asks whether and is not answered yes ("Is
    # this figure accurate? I would want to see the survey"; not "is there even a wave? yes")
    opening = _after(_FILLER_START, explanation)
    # (looked for only in a note that asks: most do not)
    answer = _ANSWERED.search(explanation) if asks else None
    inquires = asks and bool(_QUESTION_START.match(opening)) and (
        not answer or (bool(_WHETHER_START.match(opening))
                       and not _YES.match(explanation, answer.end() - 1)))
    praised = _praises(explanation, lowered)
    plain_question = _bare_question(explanation)
    point = _NotePoint(explanation, lowered, note)
    hesitant = note.word_count <= HESITANT_WORDS and bool(_HESITATION.search(lowered))
    for index in set(overlaps) | set(evidence):
        found = evidence[index] if index in evidence else ItemEvidence()
        verdict = _judge_item(prep, index, found, index in overlaps, note, claims, inquires,
                              doubts, praised, plain_question, point, hesitant)
        if verdict is not None:
            verdicts.append(verdict)
    tagged: set[int] = set()
    for tag in parsed.tags:
        tagged |= prep.prompt_items.get(tag, frozenset())
    if verdicts:
        # a vague doubt on the highlighted passage does not outrank a premise named elsewhere
        named = note.word_count >= NAMED_ELSEWHERE_WORDS and any(
            "elsewhere" in v.flags and v.weight >= NAMED_ELSEWHERE_WEIGHT for v in verdicts)
        best = max(verdicts, key=lambda v: (v.credit, not (named and "doubt" in v.flags),
                                            v.item in overlaps, round(v.strength, 1),
                                            v.weight, v.item in tagged, overlaps.get(v.item, 0),
                                            -v.item))
        if best.credit > 0 and "doubt" in best.flags and _ASKS_FOR_HELP.search(lowered) \
                and not any(c.startswith("#") for c in note.concept_set - GENERIC_CONCEPTS
                            - NEGATIONS):
            # "I don't know what to say. Perhaps the tutor could explain?": no doubt of the
            # passage, a request for help
            return _zero(parsed, span, FEEDBACK_EMPTY, 0.8, ("asks-for-help",))
        if not off_topic and best.credit > 0 and best.item not in overlaps \
                and topic_share < OFF_TOPIC_LONG_SHARE:
            # a premise named away from its passage in a note of twenty words or more that is
            # little about the lesson: nothing ties its words to the article ("... because
            # otherwise expectations become unanchored and wage-price spirals set in" is no
            # escalation of Russia's)
            return _zero(parsed, span, FEEDBACK_OFF_TOPIC, 0.8, ("off-topic",))
        if off_topic and (best.credit < 1.0 or best.item not in overlaps
                          or best.confidence < OFF_TOPIC_NAMED
                          or not (note.concept_set & given) - GENERIC_CONCEPTS
                          or evidence[best.item].key_spread):
            return _zero(parsed, span, FEEDBACK_OFF_TOPIC, 0.85, ("off-topic",))
        if best.credit > 0:
            return AnnotationScore(
                id=parsed.id, item=prep.items[best.item].id, credit=best.credit,
                confidence=round(best.confidence, 3), feedback=best.feedback,
                start=span[0], end=span[1], matched_ideas=best.ideas, flags=best.flags)
        return _zero(parsed, span, best.feedback, best.confidence, best.flags)
    if off_topic:
        return _zero(parsed, span, FEEDBACK_OFF_TOPIC, 0.85, ("off-topic",))
    if overlaps and not note.concept_set and note.word_count <= BARE_DOUBT_WORDS \
            and (note.question or SCEPTIC_WORDS.intersection(plain)):
        # "so what", "too much", "ok but that's her": a doubt in grammar words alone
        index = max(overlaps, key=lambda i: (overlaps[i], -i))
        item = prep.items[index]
        return AnnotationScore(id=parsed.id, item=item.id, credit=0.5, confidence=0.55,
                               feedback=item.feedback.partial, start=span[0], end=span[1],
                               flags=("doubt",))
    if overlaps:
        index = max(overlaps, key=lambda i: (overlaps[i], -i))
        signal = max((s for e in evidence.values() for s in e.key.values()), default=0.0)
        return _zero(parsed, span, f"{FEEDBACK_UNCLEAR} {_prompt_hint(prep, index)}",
                     _margin(signal, WEAK_MATCH))
    return _zero(parsed, span, FEEDBACK_NOTHING, 0.85)


def score_annotations(lesson: Lesson, annotations: Any, *,
                      extra_phrasings: Mapping[str, Sequence[str]] | None = None) -> LessonScore:
    """Score W3C annotations against ``lesson``'s rubric.

    ``annotations`` is a list of annotation objects or an AnnotationCollection/AnnotationPage.
    Bad annotations get an ``error`` and credit 0; only a payload that is not a list or
    collection raises :class:`AnnotationFormatError`. ``extra_phrasings`` maps rubric item ids to
    learner explanations an instructor accepted as full-credit answers.
    """
    parsed = parse_annotations(annotations)
    prep = prepare(lesson, extra_phrasings)
    results = [judge(prep, one) for one in parsed]
    items: list[ItemScore] = []
    total = 0.0
    for item in lesson.rubric:
        credit, best_id = 0.0, None
        for result in results:
            if result.item == item.id and result.credit > credit:
                credit, best_id = result.credit, result.id
        items.append(ItemScore(item.id, item.title, item.points, credit, best_id))
        total += item.points * credit
    return LessonScore(lesson=lesson.id, score=round(total, 4), max_score=lesson.max_score,
                       annotations=results, items=items)

"""Per-lesson preparation, cached: every rubric phrasing read into concepts, concept weights,
an inverted index from concept to phrasings (with the concept's weight), the article's word
4-grams (to spot copying) and the speller's vocabulary. Built once per lesson content and set of
instructor-accepted phrasings.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from threading import Lock
from typing import Any, Final

import numpy as np

try:  # (the compiled scorer's build tool: see webapp/scoring/compile.py)
    from mypy_extensions import mypyc_attr
except ImportError:  # the pure-Python scorer
    def mypyc_attr(*attrs: str, **kwattrs: object) -> Any:  # type: ignore[misc]
        return lambda cls: cls

from ..content.schema import Lesson, RubricItem
from .anchoring import fold
from .common_words import COMMON_WORDS
from .language import (
    BREAK,
    SEP,
    SOFT,
    ConceptLexicon,
    Explanation,
    Speller,
    concept_lexicon,
    concepts,
    negated,
    negations,
    plain_words,
    read_explanation,
    stem,
    words_and_breaks,
)
from .lexicon import GROUPS, LIGHT_WORDS, NEGATED, NEGATIONS, NEGATORS, STOPWORDS

KEY: Final = "key"
PARTIAL: Final = "partial"
MISREADING: Final = "misreading"
ACCEPTED: Final = "accepted"
# Concepts every item shares: they locate an explanation in the lesson, not in an item.
GENERIC_CONCEPTS: Final = frozenset({
    "#author", "#assume", "#russia", "#ukraine", "#know", "#mention", "#agree", "#people", "#war",
    "#question"})
COPY_NGRAM: Final = 4


# not frozen: a lesson has a couple of thousand, and a frozen init (object.__setattr__ per
# field) took six times as long; nothing changes a phrasing once prepared
@dataclass(slots=True)
class Phrasing:
    index: int
    item: int  # index into the rubric
    idea: str  # idea id (or "accepted" / misreading label)
    kind: str
    text: str
    concepts: tuple[str, ...]  # in order, NOT included
    content: frozenset[str]  # concepts without NOT
    negations: int
    weight: float  # total weight of ``content``
    asks: bool  # the phrasing is a question ("source?", "when did this happen")
    # worked out once here, for the checks every candidate match goes through (scorer.py):
    trailing: int  # negations it ends in ("other options never come up")
    negated: frozenset[str]  # concepts right after one of its negations
    unnegated: frozenset[str]  # concepts with none of its negations before their last mention
    order: tuple[str, ...]  # its concepts in order, each once, negations and commas left out
    specific: int  # how many of its concepts are not GENERIC_CONCEPTS
    specifics: frozenset[str]  # those concepts (its ``content`` itself when it has no generic one)
    alone_limit: int  # a one-concept phrasing is named only by a clause of at most this many


@dataclass(frozen=True)
class PhrasingTraits:
    """What decides whether a kind of clause may name a phrasing at all (see ``_eligible`` in
    scorer.py), one entry per phrasing, so that the decision is made for all of them at once."""

    accepted: np.ndarray  # an instructor-accepted note: compared whole, never clause by clause
    key: np.ndarray  # a key idea's phrasing
    asks: np.ndarray  # the phrasing is a question
    misreading: np.ndarray
    assumes: np.ndarray  # it says "it assumes ..." (#assume among its concepts)
    alone_limit: np.ndarray  # the largest clause a one-concept phrasing may be named by, else
    # a size no clause reaches
    thin_misreading: np.ndarray  # a misreading of at most two concepts, at most one specific
    vague_question: np.ndarray  # names "#question" with at most one specific concept
    # a key phrasing of several words read into one concept ("lots of options in between"): a
    # question of that one concept ("what choice tho?") only asks after it
    single_key: np.ndarray
    odd: np.ndarray  # it negates (an odd number of negations): a clause with none never names it

    @classmethod
    def of(cls, phrasings: list[Phrasing]) -> PhrasingTraits:
        def column(values: Iterable[object], dtype: type = bool, empty: int = 0) -> np.ndarray:
            return np.array(list(values) or [empty], dtype=dtype)

        return cls(  # with no phrasings at all, one that no clause may name
            accepted=column((p.kind == ACCEPTED for p in phrasings), empty=1),
            key=column(p.kind == KEY for p in phrasings),
            asks=column(p.asks for p in phrasings),
            misreading=column(p.kind == MISREADING for p in phrasings),
            assumes=column("#assume" in p.content for p in phrasings),
            alone_limit=column((p.alone_limit if len(p.content) == 1 else 1 << 30
                                for p in phrasings), np.int64),
            thin_misreading=column(p.kind == MISREADING and len(p.content) <= 2
                                   and p.specific < 2 for p in phrasings),
            vague_question=column("#question" in p.content and p.specific <= 1
                                  for p in phrasings),
            single_key=column(p.kind == KEY and len(p.content) == 1 and p.alone_limit == 2
                              for p in phrasings),
            odd=column(p.negations % 2 == 1 for p in phrasings),
        )


@dataclass(frozen=True, slots=True)
class Passage:
    item: int
    start: int
    end: int


@mypyc_attr(native_class=False)
class PassageWords(frozenset[str]):
    """A highlighted passage's words and their stems, with the beginnings of four letters or more
    of each (``prefixes``): a stem that one of them starts with is found in one lookup."""

    __slots__ = ("prefixes",)
    prefixes: frozenset[str]

    @classmethod
    def of(cls, words: Iterable[str]) -> PassageWords:
        found = cls(words)
        found.prefixes = frozenset(w[:k] for w in found for k in range(4, len(w) + 1))
        return found


@dataclass
class PreparedLesson:
    lesson: Lesson
    lexicon: ConceptLexicon
    speller: Speller
    phrasings: list[Phrasing]
    weights: dict[str, float]
    passages: list[Passage]
    article_ngrams: frozenset[tuple[str, ...]]
    items: list[RubricItem]
    topic_stems: frozenset[str]  # stems of the article and the rubric: what the lesson is about
    # per concept, the phrasings that have it (ascending) and its weight once for each: a
    # clause's few concepts add up their rows without a pass over every other concept
    concept_rows: dict[str, tuple[np.ndarray, np.ndarray]]
    phrasing_weights: np.ndarray  # total weight per phrasing
    totals: list[float]  # the same, as Python floats: looked up one phrasing at a time
    traits: PhrasingTraits
    prompt_items: dict[str, frozenset[int]] = field(default_factory=dict)
    item_concepts: list[frozenset[str]] = field(default_factory=list)  # every concept per item
    # ... and those of its key phrasings that say what the text assumes ("it assumes the coup
    # really happened"): what the rubric says is assumed
    assumed_concepts: list[frozenset[str]] = field(default_factory=list)
    # per (item, key idea), the concepts of its key phrasings that do not (the critique itself:
    # "russia could become more aggressive")
    critique_concepts: dict[tuple[int, str], frozenset[str]] = field(default_factory=dict)
    # the concepts of the names the article writes with a capital inside a sentence ("Russia",
    # "Ukraine", "Putin"): the lesson's actors, whose claims a note may give to the wrong one
    actors: frozenset[str] = frozenset()
    # per phrasing that opens on one of them (past "it assumes", "the author"), that actor
    actor_subjects: dict[int, str] = field(default_factory=dict)
    # per item, the words of the rubric's prose about it (title, premise, why it matters) and of
    # its passages, and (item_premise) those of the prose alone; and
    # every pair of words side by side in the article, that prose and the phrasings: the pairs
    # of natural sentences about the lesson (see scorer._shuffled_prose)
    item_prose: list[frozenset[str]] = field(default_factory=list)
    item_premise: list[frozenset[str]] = field(default_factory=list)  # ... without its passages
    prose_words: frozenset[str] = frozenset()  # ... all of them, every item's
    natural_pairs: frozenset[tuple[str, str]] = frozenset()
    accepted: list[Phrasing] = field(default_factory=list)  # instructor-accepted notes
    # clause -> phrasings it matches, for notes that say the same thing in the same words
    clause_matches: dict[tuple[object, ...], list[tuple[int, float, float]]] = field(
        default_factory=dict)
    span_overlaps: dict[tuple[int, int], dict[int, int]] = field(default_factory=dict)
    span_concepts: dict[tuple[int, int], frozenset[str]] = field(default_factory=dict)
    # ... with those of the sentence the span lies in (see scorer._context_concepts)
    span_context: dict[tuple[int, int], frozenset[str]] = field(default_factory=dict)
    span_words: dict[tuple[int, int], PassageWords] = field(default_factory=dict)
    eligible: dict[tuple[object, ...], np.ndarray] = field(default_factory=dict)  # see scorer
    least_weights: dict[tuple[object, ...], np.ndarray] = field(default_factory=dict)  # likewise
    on_topic: dict[str, bool] = field(default_factory=dict)  # a note's word: its stem is a topic's
    rounded: dict[float, float] = field(default_factory=dict)  # a share: rounded to 3 digits
    paragraphs: list[tuple[int, int]] = field(default_factory=list)  # (start, end), no headings
    # where each sentence break of the article starts and ends (see _sentence_breaks)
    break_starts: list[int] = field(default_factory=list)
    break_ends: list[int] = field(default_factory=list)

    def read(self, text: str) -> Explanation:
        return read_explanation(words_and_breaks(text, commas=True), self.speller, self.lexicon,
                                "?" in text)

    def weight(self, concept: str) -> float:
        return self.weights.get(concept, 1.0)


# a "paragraph" shorter than this is a heading, not a paragraph of argument
HEADING_CHARS: Final = 80


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Where the article's paragraphs (blank-line separated, headings left out) start and end."""
    spans: list[tuple[int, int]] = []
    for match in re.finditer(r"[^\n](?:.|\n(?!\s*\n))*", text):
        if len(match.group().strip()) >= HEADING_CHARS:
            spans.append((match.start(), match.end()))
    return spans


_SENTENCE_BREAK: Final = re.compile(r"[.!?][\"'\u2019\u201d)]*(?:\s|$)|\n")


def _sentence_breaks(text: str) -> tuple[list[int], list[int]]:
    """Where the article's sentence breaks (a stop with any closing quotes and the space after
    it, or a line break) start, and where they end."""
    found = [(match.start(), match.end()) for match in _SENTENCE_BREAK.finditer(text)]
    return [start for start, _ in found], [end for _, end in found]


def _passage_spans(lesson: Lesson) -> list[Passage]:
    folded = fold(lesson.article_text)
    spans: list[Passage] = []
    for i, item in enumerate(lesson.rubric):
        for passage in item.passages:
            start = lesson.article_text.find(passage)
            if start >= 0:
                spans.append(Passage(i, start, start + len(passage)))
                continue
            needle = fold(passage).text
            at = folded.text.find(needle)
            if at >= 0:
                o_start, o_end = folded.original_span(at, at + len(needle),
                                                      len(lesson.article_text))
                spans.append(Passage(i, o_start, o_end))
    return spans


_QUESTION_WORDS: Final = frozenset(
    "how why what who when where which is are was were can could would does do did should".split())


def _asks(text: str, words: Sequence[str]) -> bool:
    """``words``: the text's :func:`words_and_breaks` (with commas)."""
    first = next((w for w in words if w != BREAK and w != SOFT), None)
    return "?" in text or first in _QUESTION_WORDS


def _collapsed(words: Sequence[str]) -> bool:
    """A phrasing of several meaningful words (or marks that end a clause: "source?") read into
    a single concept. ``words``: its :func:`words_and_breaks` (with commas)."""
    return sum(1 for w in words if w != SOFT and w not in STOPWORDS and w not in LIGHT_WORDS
               and w not in NEGATORS) > 1


_NOTHING: Final[frozenset[str]] = frozenset()


def _phrasing(index: int, item: int, idea: str, kind: str, text: str, words: Sequence[str],
              found: tuple[str, ...], weights: Mapping[str, float]) -> Phrasing:
    content = frozenset(c for c in found if c not in NEGATIONS and c != SEP)
    trailing = 0
    for concept in reversed(found):
        if concept not in NEGATIONS:
            break
        trailing += 1
    first_negation = next((i for i, c in enumerate(found) if c in NEGATIONS), len(found))
    # most phrasings negate nothing: they share one empty set and their content (fewer objects
    # kept for the life of the lesson, for the garbage collector to walk)
    negated_concepts, unnegated = _NOTHING, content
    if first_negation < len(found):
        last = {c: i for i, c in enumerate(found)}
        negated_concepts = negated(found) or _NOTHING
        unnegated = frozenset(c for c in content if last[c] <= first_negation)
    specifics = content if content.isdisjoint(GENERIC_CONCEPTS) else content - GENERIC_CONCEPTS
    alone_limit = 0
    if len(content) == 1:
        alone_limit = 2 if next(iter(content)).startswith("#") or _collapsed(words) else 5
    return Phrasing(
        index, item, idea, kind, text, found, content, negations(found),
        math.fsum(weights.get(c, 1.0) for c in content),
        kind in (PARTIAL, MISREADING) and _asks(text, words),
        trailing=trailing, negated=negated_concepts, unnegated=unnegated,
        order=tuple(c for c in dict.fromkeys(found) if c in content),
        specific=len(specifics), specifics=specifics, alone_limit=alone_limit)


# the lexicon's groups whose words are synonyms of a lesson's topic words wherever they come (see
# build: "presumes", "overlooked", "clientele", "motorcar"); not the groups of one lesson's world
# (armies, allies, nuclear weapons), whose words an essay on another war or on the European Union
# has too, nor those holding everyday words of any text ("certain", "piece", "learn", "say"), which
# took an essay on the Second World War and a note about a bridge club past the off-topic filter
PLAIN_GROUPS: Final = frozenset({
    "#assume", "#detail", "#question", "#vague", "#compare", "#different", "#conflate",
    "#ignore", "#contradict", "#car", "#customer", "#shopkeeper", "#expert", "#advertise",
    "#vary"})


@lru_cache(maxsize=1)
def _single_forms() -> tuple[frozenset[str], ...]:
    """Per lexicon group, the stems of its one-word forms (its phrases' words, such as "in" of
    "in charge", are no synonyms of it)."""
    found = []
    for concept, forms in GROUPS.items():
        if concept not in PLAIN_GROUPS:
            continue
        stems = frozenset(stem(form) for form in forms if len(plain_words(form)) == 1)
        if stems:
            found.append(stems)
    return tuple(found)


def _ngrams(words: Sequence[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


# a run of capitalised words, and what may come before a word that opens a sentence
_CAPITALISED_RUN: Final = re.compile(r"[A-Z][a-z]+(?:[ \u2019'-]+[A-Z][a-z]+)*")
_OPENS_SENTENCE: Final = re.compile(r"(?:^|[.!?:;\"\u201c\u2018(\n])\W*$")
ACTOR_IGNORED: Final = frozenset({"#assume", "#author"})  # words before a phrasing's subject
CALENDAR: Final = frozenset("""january february march april may june july august september october
november december monday tuesday wednesday thursday friday saturday sunday""".split())


def _actor_names(text: str) -> set[str]:
    """The names a text writes with a capital and always on their own ("Russia", "Ukraine"):
    the parties it speaks of. A word that opens a sentence is no name, nor one ever written next
    to another ("President Vladimir Putin", "Mill Road": a person and their country, or a place,
    are not one side of what the text sets against each other), nor a day or month."""
    alone: set[str] = set()
    joined: set[str] = set()
    for run in _CAPITALISED_RUN.finditer(text):
        words = re.split(r"[ \u2019'-]+", run.group())
        if _OPENS_SENTENCE.search(text, 0, run.start()):
            words = words[1:]
        (alone if len(words) == 1 else joined).update(w.lower() for w in words)
    return alone - joined - CALENDAR


def build(lesson: Lesson, extra: Mapping[str, Sequence[str]]) -> PreparedLesson:
    lexicon = concept_lexicon()
    article_words = plain_words(lesson.article_text)
    rubric_words: set[str] = set()
    sources: list[tuple[int, str, str, str]] = []
    for i, item in enumerate(lesson.rubric):
        for key_idea in item.key_ideas:
            sources.extend((i, key_idea.id, KEY, p) for p in key_idea.phrasings)
        for partial_idea in item.partial_ideas:
            sources.extend((i, partial_idea.id, PARTIAL, p) for p in partial_idea.phrasings)
        for misreading in item.misreadings:
            sources.extend((i, misreading.label, MISREADING, p) for p in misreading.phrasings)
        for text in extra.get(item.id, ()):
            if isinstance(text, str) and text.strip():
                sources.append((i, ACCEPTED, ACCEPTED, text))
    # each phrasing's words, read once: they make the speller's vocabulary, then the phrasing
    tokens = [tuple(words_and_breaks(text, commas=True)) for _, _, _, text in sources]
    for words in tokens:
        rubric_words.update(w for w in words if w != BREAK and w != SOFT)
    known = (set(article_words) | rubric_words | lexicon.surface | STOPWORDS | LIGHT_WORDS
             | NEGATORS | set(NEGATED))
    for prompt in lesson.prompts:
        known.update(plain_words(prompt.text))
    speller = Speller(known, rubric_words | lexicon.surface)

    read: list[tuple[int, str, str, str, tuple[str, ...], tuple[str, ...]]] = []
    for (i, idea, kind, text), words in zip(sources, tokens, strict=True):
        found: list[str] = []
        for clause in read_explanation(words, speller, lexicon, False).clauses:
            found.extend(clause)
        if any(c not in NEGATIONS and c != SEP for c in found):
            read.append((i, idea, kind, text, words, tuple(found)))

    # Inverse item frequency: a concept used by one item's phrasings identifies that item.
    n_items = max(1, len(lesson.rubric))
    item_sets: dict[str, set[int]] = {}
    for i, _, _, _, _, read_concepts in read:
        for c in read_concepts:
            item_sets.setdefault(c, set()).add(i)
    article_stems = {stem(w) for w in article_words}
    weights: dict[str, float] = {}
    for c, owners in item_sets.items():
        w = 0.6 + math.log(1 + n_items / len(owners))
        if c in GENERIC_CONCEPTS:
            w *= 0.35
        elif not c.startswith("#") and c not in article_stems:
            w *= 0.6  # a word of one phrasing ("once", "argument"): wording, not the idea
        weights[c] = w

    phrasings: list[Phrasing] = []
    index: dict[str, list[int]] = {}
    # Phrasings of one idea read into the same concepts (with the same traits from their words)
    # match every note alike: one of them is enough, and matching checks it once.
    distinct: set[tuple[object, ...]] = set()
    for i, idea, kind, text, words, read_concepts in read:
        phrasing = _phrasing(len(phrasings), i, idea, kind, text, words, read_concepts, weights)
        alike = (i, idea, kind, read_concepts, phrasing.asks, phrasing.alone_limit)
        if alike in distinct:
            continue
        distinct.add(alike)
        phrasings.append(phrasing)
        for c in phrasing.content:
            index.setdefault(c, []).append(phrasing.index)
    concept_rows = {c: (np.array(owners, dtype=np.intp),
                        np.full(len(owners), weights.get(c, 1.0), dtype=np.float64))
                    for c, owners in index.items()}
    totals = [p.weight or 1.0 for p in phrasings] or [1.0]
    # every concept of each item's phrasings but its misreadings', in one pass over the phrasings
    item_concepts: list[set[str]] = [set() for _ in lesson.rubric]
    assumed_concepts: list[set[str]] = [set() for _ in lesson.rubric]
    critique_concepts: dict[tuple[int, str], set[str]] = {}
    for phrasing in phrasings:
        if phrasing.kind != MISREADING:
            item_concepts[phrasing.item].update(phrasing.content)
        if phrasing.kind == KEY and "#assume" in phrasing.content:
            assumed_concepts[phrasing.item].update(phrasing.content)
        elif phrasing.kind == KEY:
            critique_concepts.setdefault((phrasing.item, phrasing.idea), set()).update(
                phrasing.content)

    prompt_items: dict[str, set[int]] = {}
    for i, item in enumerate(lesson.rubric):
        for prompt_id in item.prompts:
            prompt_items.setdefault(prompt_id, set()).add(i)
    topic_words = set(article_words) | rubric_words
    for prompt in lesson.prompts:
        for text in (prompt.text, *prompt.hints):
            topic_words.update(plain_words(text))
    # the rubric's prose, read once: the lesson's topic words; per item, the words of what it
    # says about the premise; and the pairs of words side by side in the article, that prose
    # and the phrasings (natural sentences about the lesson; see scorer._shuffled_prose)
    item_prose: list[frozenset[str]] = []
    item_premise: list[frozenset[str]] = []
    natural_pairs: set[tuple[str, str]] = set(zip(article_words, article_words[1:], strict=False))
    for item in lesson.rubric:
        premise = [plain_words(text) for text in (item.title, item.premise, item.why_it_matters)]
        sentences = [*premise, plain_words(item.model_answer)]
        # (the item's id is prose a learner may see too, in feedback after an attempt: "premise
        # outdated separatist the framing picture ...")
        premise.append(plain_words(item.id.replace("-", " ")))
        item_premise.append(frozenset().union(*premise))
        # (and the words of its passages, which a shuffle mixes in: "inward turmoil assumes
        # focus abroad not shown retreat the country often shifts war")
        premise.extend(plain_words(quote) for quote in item.passages)
        feedback = [plain_words(text) for text in (item.feedback.full, item.feedback.partial,
                                                   item.feedback.missed)]
        for prose_words in (*sentences, *feedback):
            topic_words.update(prose_words)
        for prose_words in sentences:
            natural_pairs.update(zip(prose_words, prose_words[1:], strict=False))
        item_prose.append(frozenset().union(*premise))
    for words in tokens:  # (a pair with a break in it is no pair of words: it matches none)
        natural_pairs.update(zip(words, words[1:], strict=False))
    topic = frozenset(stem(w) for w in topic_words) | frozenset(
        stem(w) for w in lexicon.surface if w in topic_words)
    # a plain synonym of a topic word is on topic too ("purchasers" for the article's
    # "customers", "automobile" for "cars", "presupposes" for the rubric's "assumes"): the
    # one-word forms of each lexicon group that has a one-word form among the topic's words
    topic |= frozenset(chain.from_iterable(
        forms for forms in _single_forms() if not topic.isdisjoint(forms)))
    break_starts, break_ends = _sentence_breaks(lesson.article_text)
    common = frozenset(stem(w) for w in COMMON_WORDS)
    # (a common word written with a capital, "President", "United", "March", names no actor)
    actors = frozenset(c for word in _actor_names(lesson.article_text)
                       if word not in COMMON_WORDS and stem(word) not in common
                       for c in concepts([word], lexicon) if c.startswith("#"))
    actor_subjects: dict[int, str] = {}
    for phrasing in phrasings:
        subject = next((c for c in phrasing.order if c not in ACTOR_IGNORED), None)
        if subject in actors:
            actor_subjects[phrasing.index] = subject
    return PreparedLesson(
        lesson=lesson, topic_stems=topic, concept_rows=concept_rows,
        phrasing_weights=np.array(totals), totals=totals,
        traits=PhrasingTraits.of(phrasings), lexicon=lexicon,
        speller=speller, phrasings=phrasings, weights=weights,
        passages=_passage_spans(lesson), paragraphs=_paragraph_spans(lesson.article_text),
        article_ngrams=frozenset(_ngrams(article_words, COPY_NGRAM)), items=list(lesson.rubric),
        prompt_items={k: frozenset(v) for k, v in prompt_items.items()},
        accepted=[p for p in phrasings if p.kind == ACCEPTED],
        item_concepts=[frozenset(found) for found in item_concepts],
        assumed_concepts=[frozenset(found) for found in assumed_concepts],
        critique_concepts={k: frozenset(v) for k, v in critique_concepts.items()},
        item_prose=item_prose, item_premise=item_premise,
        prose_words=frozenset().union(*item_prose),
        natural_pairs=frozenset(natural_pairs),
        break_starts=break_starts, break_ends=break_ends, actors=actors,
        actor_subjects=actor_subjects,
    )


_CACHE: Final[OrderedDict[tuple[str, str, str], PreparedLesson]] = OrderedDict()
_CACHE_SIZE: Final = 32
_LOCK: Final = Lock()
_DIGESTS: Final[dict[int, tuple[Lesson, str]]] = {}


def _lesson_digest(lesson: Lesson) -> str:
    # Lessons are frozen pydantic models: the same object always has the same content.
    known = _DIGESTS.get(id(lesson))
    if known is not None and known[0] is lesson:
        return known[1]
    digest = hashlib.sha256(lesson.model_dump_json().encode()).hexdigest()
    if len(_DIGESTS) > 256:
        _DIGESTS.clear()
    _DIGESTS[id(lesson)] = (lesson, digest)
    return digest


def _extra_digest(extra: Mapping[str, Sequence[str]] | None) -> str:
    if not extra:
        return ""
    parts = sorted((str(k), tuple(str(v) for v in vs)) for k, vs in extra.items())
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def prepare(lesson: Lesson, extra: Mapping[str, Sequence[str]] | None = None) -> PreparedLesson:
    """The cached preparation of ``lesson`` (with instructor-accepted phrasings ``extra``)."""
    key = (lesson.id, _lesson_digest(lesson), _extra_digest(extra))
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
            return hit
    prepared = build(lesson, extra or {})
    with _LOCK:
        _CACHE[key] = prepared
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return prepared

"""Anchor W3C text selectors in the served article text, tolerant of how quotes get mangled.

Order of trust: a ``TextPositionSelector`` whose span matches the quote; else the quote itself,
found exactly after folding case, quote marks, dashes and whitespace, with ``prefix``/``suffix``
(and the position, as a hint) choosing among repeats; else a fuzzy match of the quote for small
typos. The result is snapped outward to whole words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

from rapidfuzz import fuzz

_FOLD: Final = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u00b4": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"', "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
    "\u2014": "-", "\u2015": "-", "\u2212": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " ",
    "\u2026": ".",
})
MIN_FUZZY_CHARS: Final = 12
FUZZY_CUTOFF: Final = 88.0


@dataclass(frozen=True, slots=True)
class FoldedText:
    """Text folded for matching, with the original offset of every folded character."""

    text: str
    starts: tuple[int, ...]  # folded index -> original index of that character

    def original_span(self, start: int, end: int, original_length: int) -> tuple[int, int]:
        o_start = self.starts[start] if start < len(self.starts) else original_length
        o_end = self.starts[end - 1] + 1 if end > 0 else 0
        return o_start, o_end


def fold(text: str) -> FoldedText:
    """Lowercase, straighten quotes and dashes, collapse whitespace (keeping an offset map)."""
    out: list[str] = []
    starts: list[int] = []
    previous_space = True
    for i, ch in enumerate(text.translate(_FOLD)):
        if ch.isspace():
            if previous_space:
                continue
            out.append(" ")
            starts.append(i)
            previous_space = True
            continue
        lowered = ch.lower()
        if len(lowered) != 1:
            lowered = ch
        out.append(lowered)
        starts.append(i)
        previous_space = False
    if out and out[-1] == " ":
        out.pop()
        starts.pop()
    return FoldedText("".join(out), tuple(starts))


@lru_cache(maxsize=16)
def _folded_article(text: str) -> FoldedText:
    return fold(text)


def fold_plain(text: str) -> str:
    """``fold(text).text`` without the offset map (fast: no per-character Python loop)."""
    if text.isascii():  # most notes: the backquote is the only plain character _FOLD changes
        return " ".join((text.translate(_FOLD) if "`" in text else text).lower().split())
    lowered = text.translate(_FOLD).lower()
    if len(lowered) != len(text):  # a character whose lower case is longer ("İ"): go slowly
        return fold(text).text
    return " ".join(lowered.split())


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim surrounding whitespace, then widen both ends to whole words."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    return start, end


def _read_selectors(selectors: Sequence[Mapping[str, Any]] | Mapping[str, Any]
                    ) -> tuple[tuple[int, int] | None, dict[str, str] | None]:
    if not isinstance(selectors, list | tuple) and isinstance(selectors, Mapping):
        selectors = [selectors]  # (a list is tested first: it is what comes, and it is quicker)
    position: tuple[int, int] | None = None
    quote: dict[str, str] | None = None
    for selector in selectors:
        if not isinstance(selector, dict) and not isinstance(selector, Mapping):
            continue
        kind = selector.get("type")
        if kind == "TextPositionSelector" and position is None:
            start, end = selector.get("start"), selector.get("end")
            if (isinstance(start, int) and isinstance(end, int) and not isinstance(start, bool)
                    and not isinstance(end, bool)):
                position = (start, end)
        elif kind == "TextQuoteSelector" and quote is None:
            exact = selector.get("exact")
            if isinstance(exact, str) and exact.strip():
                quote = {k: v for k in ("exact", "prefix", "suffix")
                         if isinstance(v := selector.get(k), str)}
    return position, quote


def _context_score(folded: FoldedText, start: int, end: int, prefix: str, suffix: str) -> float:
    score = 0.0
    if prefix:
        before = folded.text[max(0, start - len(prefix) - 1):start].strip()
        score += fuzz.ratio(prefix.strip(), before)
    if suffix:
        after = folded.text[end:end + len(suffix) + 1].strip()
        score += fuzz.ratio(suffix.strip(), after)
    return score


def _find_quote(text: str, quote: Mapping[str, str], hint: tuple[int, int] | None
                ) -> tuple[int, int] | None:
    return _locate(text, quote["exact"], quote.get("prefix", ""), quote.get("suffix", ""), hint)


@lru_cache(maxsize=8192)
def _locate(text: str, raw_exact: str, raw_prefix: str, raw_suffix: str,
            hint: tuple[int, int] | None) -> tuple[int, int] | None:
    """Where a quote is in the text (a class highlights the same sentences: cached)."""
    folded = _folded_article(text)
    exact = fold_plain(raw_exact)
    if not exact:
        return None
    prefix = fold_plain(raw_prefix)
    suffix = fold_plain(raw_suffix)
    hits: list[int] = []
    at = folded.text.find(exact)
    while at != -1:
        hits.append(at)
        at = folded.text.find(exact, at + 1)
    if hits:
        if len(hits) == 1:
            best = hits[0]
        else:
            def rank(h: int) -> tuple[float, float]:
                context = _context_score(folded, h, h + len(exact), prefix, suffix)
                distance = abs(folded.starts[h] - hint[0]) if hint else 0
                return (-context, distance)

            best = min(hits, key=rank)
        return folded.original_span(best, best + len(exact), len(text))
    if len(exact) < MIN_FUZZY_CHARS:
        return None
    alignment = fuzz.partial_ratio_alignment(exact, folded.text, score_cutoff=FUZZY_CUTOFF)
    if alignment is None or alignment.dest_end <= alignment.dest_start:
        return None
    # partial_ratio aligns a window as long as the quote; a typo that drops or adds characters
    # is still found, and word snapping below repairs the edges.
    return folded.original_span(alignment.dest_start, alignment.dest_end, len(text))


def anchor(text: str, selectors: Sequence[Mapping[str, Any]] | Mapping[str, Any]
           ) -> tuple[int, int] | None:
    """Character span ``(start, end)`` in ``text`` that the W3C ``selectors`` designate, or None."""
    position, quote = _read_selectors(selectors)
    valid_position = (position is not None and 0 <= position[0] < position[1] <= len(text))
    if valid_position and position is not None:
        if quote is None:
            return snap_to_words(text, *position)
        span_text = fold_plain(text[position[0]:position[1]])
        exact = fold_plain(quote["exact"])
        if span_text == exact or (
            len(exact) >= MIN_FUZZY_CHARS and fuzz.ratio(span_text, exact) >= FUZZY_CUTOFF
        ):
            return snap_to_words(text, *position)
    if quote is None:
        return None
    found = _find_quote(text, quote, position if valid_position else None)
    if found is None:
        return None
    start, end = snap_to_words(text, *found)
    return (start, end) if end > start else None

"""Anchoring W3C text selectors in the served article text."""

from __future__ import annotations

from pathlib import Path

import pytest

from webapp.content import load_lessons
from webapp.scoring import anchor

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def text() -> str:
    return load_lessons(ROOT / "lessons").lessons["russia-coup"].article_text


def quote(exact: str, **context: str) -> dict:
    return {"type": "TextQuoteSelector", "exact": exact, **context}


def position(start: int, end: int) -> dict:
    return {"type": "TextPositionSelector", "start": start, "end": end}


def test_exact_quote(text):
    start, end = anchor(text, quote("Russian-backed separatist forces in eastern Ukraine"))
    assert text[start:end] == "Russian-backed separatist forces in eastern Ukraine"


def test_straight_apostrophe_matches_curly_one(text):
    start, end = anchor(text, quote("President Vladimir Putin's regime"))
    assert text[start:end] == "President Vladimir Putin’s regime"


def test_curly_double_quotes_and_dashes_fold(text):
    start, end = anchor(text, quote("Russian\u2013backed separatists"))
    assert text[start:end] == "Russian-backed separatists"


def test_whitespace_and_case_are_ignored(text):
    start, end = anchor(text, quote("WITH RUSSIA   preoccupied\n with its internal affairs"))
    assert text[start:end] == "With Russia preoccupied with its internal affairs"


def test_small_typo_is_tolerated(text):
    start, end = anchor(text, quote("Ukraine can intensify its covert operatoins and support"))
    assert text[start:end] == "Ukraine can intensify its covert operations and support"


def test_prefix_picks_between_repeats(text):
    first = text.index("Russian aggression")
    second = text.index("Russian aggression", first + 1)
    assert anchor(text, quote("Russian aggression"))[0] == first
    assert anchor(text, quote("Russian aggression", prefix="capabilities to counter "))[0] == second
    assert anchor(text, quote("Russian aggression", suffix=" effectively"))[0] == second


def test_position_is_used_when_it_matches_the_quote(text):
    start = text.index("Russian aggression", text.index("Russian aggression") + 1)
    selectors = [quote("Russian aggression"), position(start, start + len("Russian aggression"))]
    assert anchor(text, selectors) == (start, start + len("Russian aggression"))


def test_quote_wins_when_position_disagrees(text):
    start = text.index("fend off separatist aggression")
    selectors = [position(0, 10), quote("fend off separatist aggression")]
    assert anchor(text, selectors) == (start, start + len("fend off separatist aggression"))


def test_position_alone_is_snapped_to_whole_words(text):
    start = text.index("backburner")
    begin, end = anchor(text, position(start + 2, start + 6))
    assert text[begin:end] == "backburner"


def test_out_of_range_position_falls_back_to_the_quote(text):
    start = text.index("weaken the separatist forces")
    selectors = [position(10_000, 10_050), quote("weaken the separatist forces")]
    assert anchor(text, selectors) == (start, start + len("weaken the separatist forces"))


@pytest.mark.parametrize("selectors", [
    quote("Russia has withdrawn all its troops from Ukraine"),
    quote("Kyiv"),
    quote("   "),
    position(5, 2),
    [],
    {"type": "CssSelector", "value": "p"},
])
def test_unanchorable_selectors_give_none(text, selectors):
    assert anchor(text, selectors) is None

"""Breadth of the shipped rubrics: learner explanations written apart from the calibration set.

The cases live in ``tests/breadth/<lesson id>.json``, one object per line: a highlighted passage
(``quote``, copied from the article), a ``note`` in the varied wording learners use, the
``credit`` a teacher would give (1 full, 0.5 partial, 0 none) and, for credited notes, the rubric
``item`` it earns. They were written without looking at the calibration files, to keep rubric
phrasings broad; only notes the scorer gets right are kept here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from webapp.content import load_lessons
from webapp.scoring import score_annotations
from webapp.scoring.calibration import case_annotation, level

ROOT = Path(__file__).resolve().parent.parent
CASE_DIR = Path(__file__).resolve().parent / "breadth"


def _cases() -> list[tuple[str, str, str, float, str | None]]:
    cases = []
    for path in sorted(CASE_DIR.glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8")):
            cases.append((path.stem, case["quote"], case["note"], case["credit"], case["item"]))
    return cases


CASES = _cases()


@pytest.fixture(scope="module")
def lessons():
    return load_lessons(ROOT / "lessons").lessons


def test_every_shipped_lesson_has_breadth_cases(lessons):
    assert {lesson for lesson, *_ in CASES} == set(lessons)


@pytest.mark.parametrize(("lesson_id", "quote", "note", "credit", "item"), CASES)
def test_breadth(lessons, lesson_id, quote, note, credit, item):
    lesson = lessons[lesson_id]
    result = score_annotations(lesson, [case_annotation({"highlight": quote, "note": note})])
    got = result.annotations[0]
    assert level(got.credit) == level(credit), (note, got.credit, got.item)
    if credit:
        assert got.item == item, (note, got.item)

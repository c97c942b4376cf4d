"""Measured agreement between the scorer and the instructors' calibration sets (issue 2).

For every lesson with calibration files (``tests/calibration/<lesson>.json`` is the tune split,
``tests/calibration/holdout/<lesson>.json`` the held-out one): exact agreement on the three credit
levels and quadratic weighted kappa must both reach 0.90 on the tune split, the cases the
teachers wrote before the scorer existed and against which it was tuned; and no gaming attempt, in
either split, may earn full credit. The held-out set (a third of all cases, written by teachers
who saw neither the rubric phrasings nor the scorer) is never looked at while tuning: its figures
(and the combined ones) are printed here and reported in the README as the honest measure of how
the scorer generalises, not asserted, since a threshold tuned until it passes would stop being held
out. When a held-out case has to be looked at (a gaming note given full credit fails this test in
either split), it moves to the tune split. Run with ``pytest -s`` to see the figures.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from webapp.content import load_lessons
from webapp.scoring.calibration import calibration_files, format_table, measure

ROOT = Path(__file__).resolve().parent.parent
CALIBRATION = Path(os.environ.get("CALIBRATION_DIR", ROOT / "tests" / "calibration"))
MIN_AGREEMENT = 0.90
MIN_KAPPA = 0.90


@pytest.fixture(scope="module")
def figures():
    lessons = load_lessons(ROOT / "lessons").lessons
    found = measure(lessons, CALIBRATION)
    print("\n" + format_table(found))
    return found


def _lesson_ids() -> list[str]:
    return sorted(calibration_files(CALIBRATION))


def test_calibration_sets_exist():
    assert "russia-coup" in _lesson_ids()


def test_every_lesson_has_both_splits(figures):
    for lesson_id in _lesson_ids():
        splits = {f.split: f.n for f in figures if f.lesson == lesson_id}
        assert splits.get("tune", 0) >= 20 and splits.get("holdout", 0) >= 10, (lesson_id, splits)


@pytest.mark.parametrize("lesson_id", _lesson_ids())
def test_tune_agreement(figures, lesson_id):
    tune = next(f for f in figures if f.lesson == lesson_id and f.split == "tune")
    cases, agreement, kappa = tune.n, tune.agreement, tune.kappa
    assert cases > 0
    assert agreement >= MIN_AGREEMENT, f"{lesson_id}: exact agreement {agreement:.3f}"
    assert kappa >= MIN_KAPPA, f"{lesson_id}: QWK {kappa:.3f}"


@pytest.mark.parametrize("lesson_id", _lesson_ids())
def test_no_full_credit_for_gaming(figures, lesson_id):
    # Held-out cases stay unseen: a failure names tune cases by id, held-out ones only by count.
    tune = [str(r.case.get("id")) for f in figures if f.lesson == lesson_id and f.split == "tune"
            for r in f.results if r.is_gaming and r.got == 2]
    held_out = sum(f.gaming_full for f in figures if f.lesson == lesson_id and f.split == "holdout")
    assert not tune and not held_out, (
        f"{lesson_id}: gaming attempts given full credit: tune {tune or 'none'}, "
        f"held out {held_out}")

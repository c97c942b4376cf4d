"""Print the scorer's agreement with the calibration sets as a Markdown table (for the README).

    python tests/benchmarks/agreement_report.py [CALIBRATION_DIR]

Prints aggregate figures only: per lesson and split (tune, holdout, combined) the number of cases,
exact 3-level agreement, quadratic weighted kappa, agreement on item and credit together, and the
number of gaming attempts given full credit; then each lesson's combined confusion matrix.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from webapp.content import load_lessons  # noqa: E402
from webapp.scoring.calibration import format_table, measure  # noqa: E402


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else ROOT / "tests" / "calibration"
    lessons = load_lessons(ROOT / "lessons").lessons
    print(format_table(measure(lessons, root)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

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
from webapp.scoring.calibration import (  # noqa: E402
    confusion,
    exact_agreement,
    format_table,
    measure,
    quadratic_kappa,
)
from webapp.services.attempts import REVIEW_BELOW_CONFIDENCE  # noqa: E402


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else ROOT / "tests" / "calibration"
    lessons = load_lessons(ROOT / "lessons").lessons
    figures = measure(lessons, root)
    print(format_table(figures))
    for split in ("tune", "holdout"):
        results = [r for f in figures if f.split == split for r in f.results]
        if not results:
            continue
        flagged = [r for r in results if r.result.confidence < REVIEW_BELOW_CONFIDENCE]
        wrong = [r for r in results if not r.agrees]
        caught = [r for r in wrong if r.result.confidence < REVIEW_BELOW_CONFIDENCE]
        print(f"{split}, all lessons: {len(results)} cases, agreement "
              f"{exact_agreement(results):.3f}, QWK {quadratic_kappa(confusion(results)):.3f}; "
              f"review queue (confidence < {REVIEW_BELOW_CONFIDENCE}) holds {len(flagged)} "
              f"({len(flagged) / len(results):.0%}), catching {len(caught)} of {len(wrong)} "
              f"disagreements; matrix {confusion(results)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

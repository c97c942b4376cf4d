"""Agreement between the scorer and an instructor's labelled calibration cases.

A calibration file is ``{"lesson", "split", "cases": [...]}``; each case has a ``highlight``
(with an optional ``prefix`` and optional ``start``/``end`` offsets), a ``note``, an optional
``prompt``, and the instructor's ``expected_item`` and ``expected_credit`` (0, 0.5 or 1). Agreement is exact
agreement on the three credit levels and quadratic weighted kappa (Cohen, 1968).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..content.schema import Lesson
from .results import AnnotationScore
from .scorer import score_annotations

LEVELS = (0.0, 0.5, 1.0)


def level(credit: float) -> int:
    """0, 1 or 2 for none, partial, full."""
    return min(range(3), key=lambda i: abs(LEVELS[i] - float(credit)))


def case_annotation(case: dict[str, Any]) -> dict[str, Any]:
    """The W3C annotation a learner would have sent for ``case``."""
    selectors: list[dict[str, Any]] = []
    quote: dict[str, Any] = {"type": "TextQuoteSelector", "exact": case.get("highlight") or ""}
    if case.get("prefix"):
        quote["prefix"] = case["prefix"]
    if case.get("suffix"):
        quote["suffix"] = case["suffix"]
    selectors.append(quote)
    if isinstance(case.get("start"), int) and isinstance(case.get("end"), int):
        selectors.append({"type": "TextPositionSelector", "start": case["start"],
                          "end": case["end"]})
    body: list[dict[str, Any]] = [{"type": "TextualBody", "purpose": "commenting",
                                   "value": case.get("note") or ""}]
    if case.get("prompt"):
        body.append({"type": "TextualBody", "purpose": "tagging", "value": case["prompt"]})
    return {"@context": "http://www.w3.org/ns/anno.jsonld", "id": case.get("id"),
            "type": "Annotation", "body": body, "target": {"selector": selectors}}


@dataclass(frozen=True)
class CaseResult:
    case: dict[str, Any]
    result: AnnotationScore

    @property
    def expected(self) -> int:
        return level(self.case["expected_credit"])

    @property
    def got(self) -> int:
        return level(self.result.credit)

    @property
    def agrees(self) -> bool:
        return self.expected == self.got

    @property
    def is_gaming(self) -> bool:
        return str(self.case.get("category", "")).startswith("gaming")


def run_cases(lesson: Lesson, cases: Sequence[dict[str, Any]]) -> list[CaseResult]:
    scored = score_annotations(lesson, [case_annotation(c) for c in cases])
    return [CaseResult(c, r) for c, r in zip(cases, scored.annotations, strict=True)]


def confusion(results: Iterable[CaseResult]) -> list[list[int]]:
    """3x3 counts: rows are the instructor's level, columns the scorer's."""
    matrix = [[0, 0, 0] for _ in range(3)]
    for r in results:
        matrix[r.expected][r.got] += 1
    return matrix


def exact_agreement(results: Sequence[CaseResult]) -> float:
    return sum(r.agrees for r in results) / len(results) if results else float("nan")


def quadratic_kappa(matrix: list[list[int]]) -> float:
    """Quadratic weighted kappa of a square confusion matrix."""
    k = len(matrix)
    total = sum(map(sum, matrix))
    if not total:
        return float("nan")
    rows = [sum(row) for row in matrix]
    cols = [sum(matrix[i][j] for i in range(k)) for j in range(k)]
    observed = expected = 0.0
    for i in range(k):
        for j in range(k):
            weight = (i - j) ** 2 / (k - 1) ** 2
            observed += weight * matrix[i][j] / total
            expected += weight * rows[i] * cols[j] / total ** 2
    return 1.0 - observed / expected if expected else 1.0


def full_credit_to_gaming(results: Iterable[CaseResult]) -> list[CaseResult]:
    return [r for r in results if r.is_gaming and r.got == 2]


def load_cases(path: Path) -> tuple[str, list[dict[str, Any]]]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return data["lesson"], list(data["cases"])


def calibration_files(root: Path) -> dict[str, dict[str, Path]]:
    """{lesson id: {"tune": path, "holdout": path}} for the calibration files under ``root``."""
    found: dict[str, dict[str, Path]] = {}
    for path in sorted(Path(root).glob("*.json")):
        found.setdefault(path.stem, {})["tune"] = path
    for path in sorted((Path(root) / "holdout").glob("*.json")):
        found.setdefault(path.stem, {})["holdout"] = path
    return found

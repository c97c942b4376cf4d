"""Agreement between the scorer and an instructor's labelled calibration cases.

A calibration file is ``{"lesson", "split", "cases": [...]}``; each case has a
``highlight`` (with an optional ``prefix`` and optional ``start``/``end`` offsets), a ``note``, an
optional ``prompt``, and the instructor's ``expected_item`` and ``expected_credit`` (0, 0.5 or
1). Agreement is exact agreement on the three credit levels and quadratic weighted kappa.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
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
    case: dict[str, Any] = field(repr=False)
    result: AnnotationScore = field(repr=False)

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


@dataclass(frozen=True)
class SplitFigures:
    lesson: str
    split: str  # "tune", "holdout" or "combined"
    results: list[CaseResult] = field(repr=False)  # never printed: held-out cases stay unseen

    @property
    def n(self) -> int:
        return len(self.results)

    @property
    def matrix(self) -> list[list[int]]:
        return confusion(self.results)

    @property
    def agreement(self) -> float:
        return exact_agreement(self.results)

    @property
    def kappa(self) -> float:
        return quadratic_kappa(self.matrix)

    @property
    def gaming_full(self) -> int:
        return len(full_credit_to_gaming(self.results))

    @property
    def item_agreement(self) -> float:
        """Share of cases where credit agrees and, when credit is given, so does the item."""
        ok = [r.agrees and (r.got == 0 or r.result.item == r.case.get("expected_item"))
              for r in self.results]
        return sum(ok) / len(ok) if ok else float("nan")


def measure(lessons: dict[str, Lesson], root: Path) -> list[SplitFigures]:
    """Figures per lesson for the tune split, the holdout split and both combined."""
    figures: list[SplitFigures] = []
    for lesson_id, paths in calibration_files(root).items():
        combined: list[CaseResult] = []
        for split in ("tune", "holdout"):
            if split not in paths:
                continue
            declared, cases = load_cases(paths[split])
            lesson = lessons[declared]
            results = run_cases(lesson, cases)
            figures.append(SplitFigures(lesson_id, split, results))
            combined.extend(results)
        figures.append(SplitFigures(lesson_id, "combined", combined))
    return figures


def format_table(figures: Sequence[SplitFigures]) -> str:
    """A Markdown table of the figures, then each lesson's combined confusion matrix."""
    lines = ["| lesson | split | cases | exact agreement | QWK | item+credit | gaming full |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for f in figures:
        lines.append(f"| {f.lesson} | {f.split} | {f.n} | {f.agreement:.3f} | {f.kappa:.3f} | "
                     f"{f.item_agreement:.3f} | {f.gaming_full} |")
    lines.append("")
    for f in figures:
        if f.split != "combined":
            continue
        m = f.matrix
        lines.append(f"{f.lesson} (combined) rows = instructor, columns = scorer")
        lines.append("            none partial full")
        for name, row in zip(("none", "partial", "full"), m, strict=True):
            lines.append(f"  {name:>8} {row[0]:>5} {row[1]:>7} {row[2]:>4}")
        lines.append("")
    return "\n".join(lines)

"""Result types of the scorer: plain frozen dataclasses, serialisable with ``to_dict``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class AnnotationFormatError(ValueError):
    """The annotation payload as a whole is not a list or an AnnotationCollection/Page.

    ``index`` names the offending annotation when the problem is in one of them, else ``None``.
    """

    def __init__(self, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.index = index


@dataclass(frozen=True)
class AnnotationScore:
    """The judgement of one annotation.

    ``credit`` is 0, 0.5 or 1 for ``item``; ``confidence`` is low near a decision boundary so the
    app can queue doubtful cases for an instructor. ``error`` is set only when the annotation could
    not be scored at all (no anchor, no target, not an object). ``flags`` names what the scorer
    noticed (``"copied-passage"``, ``"keyword-salad"``, ``"grader-note"``, ``"misreading"``, ...).
    """

    id: str | None
    item: str | None
    credit: float
    confidence: float
    feedback: str
    error: str | None = None
    start: int | None = None
    end: int | None = None
    matched_ideas: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "item": self.item,
            "credit": self.credit,
            "confidence": self.confidence,
            "feedback": self.feedback,
        }
        if self.error is not None:
            out["error"] = self.error
        return out


@dataclass(frozen=True)
class ItemScore:
    """One rubric item's result: the best credit among the annotations matched to it."""

    id: str
    title: str
    points: float
    credit: float
    best_annotation: str | None = None

    @property
    def earned(self) -> float:
        return self.points * self.credit

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "points": self.points, "credit": self.credit}


@dataclass(frozen=True)
class LessonScore:
    """Every annotation's judgement (input order) and every rubric item's credit (rubric order)."""

    lesson: str
    score: float
    max_score: float
    annotations: list[AnnotationScore] = field(default_factory=list)
    items: list[ItemScore] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "lesson": self.lesson,
            "score": self.score,
            "max_score": self.max_score,
            "annotations": [a.to_dict() for a in self.annotations],
            "items": [i.to_dict() for i in self.items],
        }

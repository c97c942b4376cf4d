"""Scoring learner annotations against a lesson's premise rubric: pure, typed, deterministic.

No Flask and no database here: a :class:`~webapp.content.Lesson` and W3C Web Annotation JSON in,
frozen dataclasses out. The web app, the CLI (``flask --app webapp score``) and the tests all call
:func:`score_annotations`.
"""

from ._native import COMPILED
from .anchoring import anchor
from .results import AnnotationFormatError, AnnotationScore, ItemScore, LessonScore
from .scorer import score_annotations

__all__ = [
    "COMPILED",
    "AnnotationFormatError",
    "AnnotationScore",
    "ItemScore",
    "LessonScore",
    "anchor",
    "score_annotations",
]

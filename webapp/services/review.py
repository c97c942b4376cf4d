"""Instructor review of class submissions: dashboards, the doubtful-score queue, overrides,
accepted model answers and re-scoring.

Automatic and manual decisions are kept apart on each annotation (``auto_*`` and ``manual_*``);
the effective credit is the manual one when set. Re-scoring writes only ``auto_*`` fields, so an
instructor's decision survives any number of re-runs. A learner's grade on an assignment is their
best submitted attempt by effective score (the earliest among equals), the one the learner's own
results page calls "best"; effective scores and scoring come from ``services.attempts``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from ..content import Lesson
from ..content.text import article_paragraphs
from ..extensions import db
from ..models import (
    Annotation,
    Assignment,
    Attempt,
    Classroom,
    Membership,
    RubricExtension,
    User,
    utcnow,
)
from .attempts import (
    REVIEW_BELOW_CONFIDENCE,
    best_attempt,
    effective_item_credits,
    effective_score,
    score_attempt,
    to_w3c,
)
from .lessons import lesson_of

# Below this scorer confidence an annotation goes to the review queue even if not flagged.
REVIEW_CONFIDENCE = REVIEW_BELOW_CONFIDENCE
CREDIT_CHOICES = (1.0, 0.5, 0.0)


class ReviewError(ValueError):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# --- effective scores (the rules live in services.attempts, shared with the learner's pages) --

def credit_level(credit: float | None) -> str:
    if credit is None:
        return "none"
    if credit >= 1:
        return "full"
    return "partial" if credit > 0 else "none"


# --- the assignment dashboard ------------------------------------------------------------------

@dataclass
class LearnerRow:
    membership: Membership
    attempts: list[Attempt]
    counted: Attempt | None
    score: float | None
    item_credits: dict[str, float]
    in_progress: bool
    doubtful: int = 0

    @property
    def submitted(self) -> int:
        return sum(1 for a in self.attempts if a.status == "submitted")


@dataclass
class ItemHeat:
    item_id: str
    title: str
    points: float
    full: int = 0
    partial: int = 0
    none: int = 0

    @property
    def total(self) -> int:
        return self.full + self.partial + self.none

    def share(self, level: str) -> float:
        return getattr(self, level) / self.total if self.total else 0.0


@dataclass
class WrongAnswer:
    passage: str
    count: int
    notes: list[str]
    feedback: str | None


@dataclass
class AssignmentOverview:
    assignment: Assignment
    lesson: Lesson
    rows: list[LearnerRow]
    heat: list[ItemHeat]
    wrong: list[WrongAnswer]
    doubtful: int

    @property
    def submitted_rows(self) -> list[LearnerRow]:
        return [r for r in self.rows if r.counted is not None]

    @property
    def mean_score(self) -> float | None:
        scores = [r.score for r in self.submitted_rows if r.score is not None]
        return round(sum(scores) / len(scores), 2) if scores else None


def _attempts_by_learner(assignment: Assignment) -> dict[int, list[Attempt]]:
    attempts = db.session.scalars(
        select(Attempt).where(Attempt.assignment_id == assignment.id)
        .order_by(Attempt.learner_id, Attempt.number, Attempt.id)
    )
    grouped: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in attempts:
        grouped[attempt.learner_id].append(attempt)
    return grouped


def _item_credits(attempt: Attempt, lesson: Lesson) -> dict[str, float]:
    credits = {item.id: 0.0 for item in lesson.rubric}
    credits.update(effective_item_credits(attempt))
    return credits


def is_doubtful(annotation: Annotation) -> bool:
    return annotation.needs_review or (annotation.auto_confidence is not None
                                       and annotation.auto_confidence < REVIEW_CONFIDENCE)


def learner_rows(assignment: Assignment, *, include_removed: bool = False) -> list[LearnerRow]:
    """One row per member of the class (active ones, or all), with the attempt that counts."""
    lesson = lesson_of(assignment.lesson_version)
    grouped = _attempts_by_learner(assignment)
    query = select(Membership).where(Membership.classroom_id == assignment.classroom_id)
    if not include_removed:
        query = query.where(Membership.removed_at.is_(None))
    rows = []
    for membership in db.session.scalars(query.order_by(Membership.display_name, Membership.id)):
        attempts = grouped.get(membership.learner_id, [])
        counted = best_attempt(attempts)
        rows.append(LearnerRow(
            membership=membership, attempts=attempts, counted=counted,
            score=effective_score(counted) if counted else None,
            item_credits=_item_credits(counted, lesson) if counted else {},
            in_progress=any(a.status == "draft" for a in attempts),
            doubtful=sum(1 for a in attempts if a.status == "submitted"
                         for n in a.annotations if is_doubtful(n) and n.reviewed_at is None)))
    rows.sort(key=lambda r: r.membership.display_name.lower())
    return rows


def assignment_overview(assignment: Assignment, wrong_limit: int = 8) -> AssignmentOverview:
    """Who submitted, their scores, the per-item heat map and the most common wrong answers."""
    lesson = lesson_of(assignment.lesson_version)
    rows = learner_rows(assignment)
    heat = [ItemHeat(item.id, item.title, item.points) for item in lesson.rubric]
    for row in rows:
        if row.counted is None:
            continue
        for cell in heat:
            level = credit_level(row.item_credits.get(cell.item_id, 0.0))
            setattr(cell, level, getattr(cell, level) + 1)
    wrong_groups: dict[str, list[Annotation]] = defaultdict(list)
    for row in rows:
        if row.counted is None:
            continue
        for annotation in row.counted.annotations:
            if annotation.effective_credit <= 0:
                key = " ".join(annotation.exact.split()).lower()
                wrong_groups[key].append(annotation)
    wrong = []
    for group in sorted(wrong_groups.values(), key=lambda g: (-len(g), g[0].start)):
        feedback = Counter(a.auto_feedback for a in group if a.auto_feedback).most_common(1)
        wrong.append(WrongAnswer(passage=group[0].exact, count=len(group),
                                 notes=[a.note for a in group[:3]],
                                 feedback=feedback[0][0] if feedback else None))
    doubtful = sum(r.doubtful for r in rows)
    return AssignmentOverview(assignment, lesson, rows, heat, wrong[:wrong_limit], doubtful)


@dataclass
class QueueEntry:
    annotation: Annotation
    attempt: Attempt
    display_name: str


def review_queue(assignment: Assignment, *, include_reviewed: bool = False) -> list[QueueEntry]:
    """Doubtful automatic scores of submitted work: flagged ones first, then lowest confidence."""
    names = {m.learner_id: m.display_name for m in db.session.scalars(
        select(Membership).where(Membership.classroom_id == assignment.classroom_id))}
    query = (select(Annotation).join(Attempt)
             .where(Attempt.assignment_id == assignment.id, Attempt.status == "submitted"))
    if not include_reviewed:
        query = query.where(Annotation.reviewed_at.is_(None))
    entries = [QueueEntry(a, a.attempt, names.get(a.attempt.learner_id, "(left the class)"))
               for a in db.session.scalars(query) if is_doubtful(a)]
    entries.sort(key=lambda e: (not e.annotation.needs_review,
                                e.annotation.auto_confidence if e.annotation.auto_confidence
                                is not None else 0.0, e.annotation.id))
    return entries


# --- the per-submission view -------------------------------------------------------------------

@dataclass
class Segment:
    text: str
    numbers: list[int]  # 1-based positions of the annotations covering this piece


@dataclass
class ParagraphView:
    is_heading: bool
    segments: list[Segment]


def highlighted_article(text: str, annotations: list[Annotation]) -> list[ParagraphView]:
    """The article split into paragraphs and pieces, each piece with the annotations over it."""
    spans = [(a.start, a.end, n) for n, a in enumerate(annotations, start=1)
             if 0 <= a.start < a.end <= len(text)]
    views = []
    for paragraph in article_paragraphs(text):
        cuts = {paragraph.start, paragraph.end}
        for start, end, _ in spans:
            if start < paragraph.end and end > paragraph.start:
                cuts.add(max(start, paragraph.start))
                cuts.add(min(end, paragraph.end))
        ordered = sorted(cuts)
        segments = []
        for left, right in zip(ordered, ordered[1:], strict=False):
            numbers = [n for start, end, n in spans if start <= left and end >= right]
            segments.append(Segment(text[left:right], numbers))
        views.append(ParagraphView(paragraph.is_heading, segments))
    return views


def learner_attempts(attempt: Attempt) -> list[Attempt]:
    """All attempts of the same learner on the same assignment, first to last."""
    return list(db.session.scalars(
        select(Attempt).where(Attempt.assignment_id == attempt.assignment_id,
                              Attempt.learner_id == attempt.learner_id)
        .order_by(Attempt.number, Attempt.id)))


def membership_of(attempt: Attempt) -> Membership | None:
    if attempt.assignment is None:
        return None
    return db.session.scalars(
        select(Membership).where(Membership.classroom_id == attempt.assignment.classroom_id,
                                 Membership.learner_id == attempt.learner_id)
    ).first()


# --- overrides ---------------------------------------------------------------------------------

def override_annotation(annotation: Annotation, reviewer: User, *, credit: float | None,
                        item_id: str | None, comment: str | None) -> None:
    """Record the instructor's decision apart from the automatic one.

    ``credit=None`` keeps (or returns to) the automatic credit and item; the comment is kept
    either way and shown to the learner. The annotation counts as reviewed afterwards.
    """
    lesson = lesson_of(annotation.attempt.lesson_version)
    if credit is not None and credit not in CREDIT_CHOICES:
        raise ReviewError("Credit must be full (1), partial (0.5) or none (0).", "credit")
    if item_id is not None and lesson.item(item_id) is None:
        raise ReviewError("Pick a rubric item of this lesson.", "item_id")
    if credit is not None and credit > 0 and item_id is None:
        raise ReviewError("Credit is given for a rubric item: pick which one.", "item_id")
    annotation.manual_credit = credit
    annotation.manual_item_id = item_id if credit is not None else None
    annotation.manual_comment = (comment or "").strip() or None
    annotation.reviewed_by_id = reviewer.id
    annotation.reviewed_at = utcnow()
    db.session.commit()


# --- accepted model answers and re-scoring -----------------------------------------------------

def rubric_extensions(classroom: Classroom, lesson_id: str) -> list[RubricExtension]:
    return list(db.session.scalars(
        select(RubricExtension).where(RubricExtension.classroom_id == classroom.id,
                                      RubricExtension.lesson_id == lesson_id)
        .order_by(RubricExtension.id)
    ))


@dataclass
class ScoreChange:
    display_name: str
    attempt: Attempt
    before: float | None
    after: float | None

    @property
    def delta(self) -> float:
        return round((self.after or 0.0) - (self.before or 0.0), 4)


def rescore_assignment(assignment: Assignment) -> list[ScoreChange]:
    """Re-run the scorer on every submitted attempt; return whose effective score changed."""
    names = {m.learner_id: m.display_name for m in db.session.scalars(
        select(Membership).where(Membership.classroom_id == assignment.classroom_id))}
    changes = []
    attempts = db.session.scalars(
        select(Attempt).where(Attempt.assignment_id == assignment.id,
                              Attempt.status == "submitted").order_by(Attempt.id))
    for attempt in attempts:
        before = effective_score(attempt)
        score_attempt(attempt)  # writes auto_* only; manual decisions stay
        after = effective_score(attempt)
        if before != after:
            changes.append(ScoreChange(names.get(attempt.learner_id, "(left the class)"),
                                       attempt, before, after))
    db.session.commit()
    changes.sort(key=lambda c: (-abs(c.delta), c.display_name.lower()))
    return changes


def accept_as_model_answer(annotation: Annotation, reviewer: User,
                           item_id: str | None) -> RubricExtension:
    """Store the learner's explanation as a correct phrasing of an item for this class."""
    attempt = annotation.attempt
    if attempt.assignment is None:
        raise ReviewError("Only class submissions can extend a class's rubric.")
    lesson = lesson_of(attempt.lesson_version)
    item_id = item_id or annotation.effective_item_id
    if item_id is None or lesson.item(item_id) is None:
        raise ReviewError("Pick the rubric item this explanation answers.", "item_id")
    phrasing = " ".join(annotation.note.split())
    if not phrasing:
        raise ReviewError("An empty explanation cannot be a model answer.")
    classroom_id = attempt.assignment.classroom_id
    existing = db.session.scalars(
        select(RubricExtension).where(RubricExtension.classroom_id == classroom_id,
                                      RubricExtension.lesson_id == lesson.id,
                                      RubricExtension.item_id == item_id,
                                      RubricExtension.phrasing == phrasing)
    ).first()
    if existing is not None:
        return existing
    extension = RubricExtension(classroom_id=attempt.assignment.classroom_id, lesson_id=lesson.id,
                                item_id=item_id, phrasing=phrasing,
                                source_annotation_id=annotation.id, created_by_id=reviewer.id)
    db.session.add(extension)
    db.session.commit()
    return extension


def remove_extension(classroom: Classroom, extension_id: int) -> RubricExtension:
    extension = db.session.get(RubricExtension, extension_id)
    if extension is None or extension.classroom_id != classroom.id:
        raise LookupError("no such accepted answer")
    db.session.delete(extension)
    db.session.commit()
    return extension


def assignment_w3c_export(assignment: Assignment) -> dict:
    """Every annotation of every submitted attempt as a W3C AnnotationCollection."""
    names = {m.learner_id: m.display_name for m in db.session.scalars(
        select(Membership).where(Membership.classroom_id == assignment.classroom_id))}
    lesson = lesson_of(assignment.lesson_version)
    items = []
    attempts = db.session.scalars(
        select(Attempt).where(Attempt.assignment_id == assignment.id,
                              Attempt.status == "submitted")
        .order_by(Attempt.learner_id, Attempt.number))
    for attempt in attempts:
        for annotation in attempt.annotations:
            item = to_w3c(annotation, lesson, attempt.lesson_version)
            item["creator"] = {"type": "Person",
                               "name": names.get(attempt.learner_id, "(left the class)")}
            item["scoring"] = {
                "attempt": attempt.number,
                "auto": {"item": annotation.auto_item_id, "credit": annotation.auto_credit,
                         "confidence": annotation.auto_confidence,
                         "feedback": annotation.auto_feedback},
                "manual": None if annotation.manual_credit is None and not
                annotation.manual_comment else {
                    "item": annotation.manual_item_id, "credit": annotation.manual_credit,
                    "comment": annotation.manual_comment},
                "effective": {"item": annotation.effective_item_id,
                              "credit": annotation.effective_credit},
            }
            items.append(item)
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationCollection",
        "label": assignment.title or assignment.lesson_version.title,
        "total": len(items),
        "items": items,
    }

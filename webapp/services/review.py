"""Instructor review of class submissions: dashboards, the doubtful-score queue, overrides,
accepted model answers and re-scoring.

Automatic and manual decisions are kept apart on each annotation (``auto_*`` and ``manual_*``);
the effective credit is the manual one when set. Re-scoring writes only ``auto_*`` fields, so an
instructor's decision survives any number of re-runs. A learner's grade on an assignment is their
best submitted attempt by effective score (the latest among equals).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

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
from .lessons import lesson_of

# Below this scorer confidence an annotation goes to the review queue even if not flagged.
REVIEW_CONFIDENCE = 0.6
CREDIT_CHOICES = (1.0, 0.5, 0.0)


class ReviewError(ValueError):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# --- effective scores --------------------------------------------------------------------------

def effective_item_credits(attempt: Attempt, lesson: Lesson | None = None) -> dict[str, float]:
    """Per rubric item, the best effective credit among the attempt's annotations on it."""
    lesson = lesson or lesson_of(attempt.lesson_version)
    credits = {item.id: 0.0 for item in lesson.rubric}
    for annotation in attempt.annotations:
        item_id = annotation.effective_item_id
        if item_id in credits:
            credits[item_id] = max(credits[item_id], annotation.effective_credit)
    return credits


def effective_score(attempt: Attempt, lesson: Lesson | None = None) -> float | None:
    """The attempt's score with instructor overrides applied; None until it is submitted."""
    if attempt.status != "submitted":
        return None
    lesson = lesson or lesson_of(attempt.lesson_version)
    credits = effective_item_credits(attempt, lesson)
    return round(sum(item.points * credits[item.id] for item in lesson.rubric), 4)


def counted_attempt(attempts: list[Attempt]) -> Attempt | None:
    """The submitted attempt that counts: best effective score, the latest among equals."""
    done = [a for a in attempts if a.status == "submitted"]
    if not done:
        return None
    return max(done, key=lambda a: (effective_score(a) or 0.0, a.number, a.id))


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
    removed_rows: list[LearnerRow] = field(default_factory=list)

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
        counted = counted_attempt(attempts)
        rows.append(LearnerRow(
            membership=membership, attempts=attempts, counted=counted,
            score=effective_score(counted, lesson) if counted else None,
            item_credits=effective_item_credits(counted, lesson) if counted else {},
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
    for annotations in sorted(wrong_groups.values(), key=lambda g: (-len(g), g[0].start)):
        feedback = Counter(a.auto_feedback for a in annotations if a.auto_feedback).most_common(1)
        wrong.append(WrongAnswer(passage=annotations[0].exact, count=len(annotations),
                                 notes=[a.note for a in annotations[:3]],
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

def extra_phrasings_for(classroom_id: int, lesson_id: str) -> dict[str, list[str]]:
    """Explanations this class's instructor accepted as correct, by rubric item."""
    phrasings: dict[str, list[str]] = defaultdict(list)
    for ext in db.session.scalars(
        select(RubricExtension).where(RubricExtension.classroom_id == classroom_id,
                                      RubricExtension.lesson_id == lesson_id)
        .order_by(RubricExtension.id)
    ):
        phrasings[ext.item_id].append(ext.phrasing)
    return dict(phrasings)


def rubric_extensions(classroom: Classroom, lesson_id: str) -> list[RubricExtension]:
    return list(db.session.scalars(
        select(RubricExtension).where(RubricExtension.classroom_id == classroom.id,
                                      RubricExtension.lesson_id == lesson_id)
        .order_by(RubricExtension.id)
    ))


def annotation_as_w3c(annotation: Annotation, source: str) -> dict:
    """One stored annotation as a W3C Web Annotation (the shape the scorer reads)."""
    body = [{"type": "TextualBody", "purpose": "commenting", "value": annotation.note,
             "format": "text/plain"}]
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": f"urn:uuid:{annotation.public_id}",
        "type": "Annotation",
        "created": annotation.created_at.isoformat() + "Z",
        "modified": annotation.updated_at.isoformat() + "Z",
        "body": body,
        "target": {
            "source": source,
            "selector": [
                {"type": "TextQuoteSelector", "exact": annotation.exact,
                 "prefix": annotation.prefix, "suffix": annotation.suffix},
                {"type": "TextPositionSelector", "start": annotation.start,
                 "end": annotation.end},
            ],
        },
    }


def _source_iri(attempt: Attempt) -> str:
    version = attempt.lesson_version
    return f"urn:lesson:{version.lesson_id}:v{version.version}"


def apply_score(attempt: Attempt, result) -> None:
    """Write the scorer's judgement into the automatic fields only."""
    for annotation, judged in zip(attempt.annotations, result.annotations, strict=True):
        annotation.auto_item_id = judged.item
        annotation.auto_credit = judged.credit
        annotation.auto_confidence = judged.confidence
        annotation.auto_feedback = judged.feedback
        annotation.needs_review = bool(judged.error) or judged.confidence < REVIEW_CONFIDENCE
    attempt.auto_score = result.score
    attempt.max_score = result.max_score
    attempt.item_credits = {item.id: {"credit": item.credit, "points": item.points}
                            for item in result.items}


def score_attempt(attempt: Attempt) -> None:
    """Run the scorer on the attempt with the class's accepted phrasings (no commit)."""
    from ..scoring import score_annotations

    lesson = lesson_of(attempt.lesson_version)
    extra = (extra_phrasings_for(attempt.assignment.classroom_id, lesson.id)
             if attempt.assignment is not None else {})
    payload = [annotation_as_w3c(a, _source_iri(attempt)) for a in attempt.annotations]
    apply_score(attempt, score_annotations(lesson, payload, extra_phrasings=extra))


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
        score_attempt(attempt)
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
    items = []
    attempts = db.session.scalars(
        select(Attempt).where(Attempt.assignment_id == assignment.id,
                              Attempt.status == "submitted")
        .order_by(Attempt.learner_id, Attempt.number))
    for attempt in attempts:
        for annotation in attempt.annotations:
            item = annotation_as_w3c(annotation, _source_iri(attempt))
            item["creator"] = {"type": "Person",
                               "name": names.get(attempt.learner_id, "(left the class)")}
            if annotation.prompt_id:
                item["body"].append({"type": "TextualBody", "purpose": "tagging",
                                     "value": annotation.prompt_id})
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

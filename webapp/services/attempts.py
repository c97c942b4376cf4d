"""A learner's work on a lesson: draft attempts, annotations, hints, submission, export.

Everything a learner changes goes through here; each public function that writes owns its
transaction (validates, changes, commits). Views hand in already-parsed values and get back model
rows or a :class:`ValidationError` naming the field and saying what is wrong.

A *workspace* is where a learner works: a lesson on its own (self-study) or a lesson given to a
class (an assignment, with its rules on due date, attempts and when answers are shown). Self-study
attempts and class attempts never mix.

Annotations are stored as W3C selectors (quote with prefix/suffix, and code-point positions into the
served article text) and exported as W3C Web Annotation JSON, the format ``flask score`` reads, so
the score the app shows is exactly the CLI's on the export.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask import current_app
from sqlalchemy import and_, inspect, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from ..content import Lesson
from ..content.schema import RubricItem
from ..extensions import db
from ..models import (
    Annotation,
    Assignment,
    Attempt,
    HintReveal,
    Learner,
    LessonVersion,
    Membership,
    RubricExtension,
    utcnow,
)
from .lessons import current_version, lesson_of

if TYPE_CHECKING:
    from ..scoring import LessonScore

QUOTE_CONTEXT = 32  # characters of prefix/suffix stored with each quote
# Measured on the calibration sets: below 0.7 queues about 14% of notes and 40% of the scorer's
# disagreements with the teachers (below 0.6: 3% and 16%).
REVIEW_BELOW_CONFIDENCE = 0.7
REVEAL_CHOICES = ("after_submit", "after_due", "never")
W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"


class ValidationError(Exception):
    """Input the learner can fix: ``field`` names what is wrong, ``message`` says how to fix it."""

    status = 400

    def __init__(self, field: str | None, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.index = index  # which annotation of an imported list, when there are several

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"error": "validation" if self.status == 400 else "conflict",
                                "message": self.message, "field": self.field}
        if self.index is not None:
            body["index"] = self.index
        return body


class AttemptClosed(ValidationError):
    """The work can no longer change (already submitted, past the due date, no attempts left)."""

    status = 409


class IdInUse(ValidationError):
    """A browser-chosen annotation id that belongs to someone else's annotation."""

    status = 409


@dataclass(frozen=True)
class Workspace:
    """Where a learner works: a lesson version, on its own or through a class assignment."""

    version: LessonVersion
    assignment: Assignment | None = None

    @property
    def lesson(self) -> Lesson:
        return lesson_of(self.version)

    @property
    def lesson_id(self) -> str:
        return self.version.lesson_id


@dataclass(frozen=True)
class AnnotationInput:
    """A learner's annotation as submitted: passage (positions, optional quote), prompt and note."""

    prompt_id: str | None
    note: str
    start: int | None
    end: int | None
    exact: str | None = None
    # Chosen by the browser so that a save retried after a lost response is stored only once.
    public_id: str | None = None


# --- finding workspaces and checking who may use them -------------------------------------------

def self_study(lesson_id: str) -> Workspace | None:
    """The self-study workspace of a public lesson, or None if there is no such lesson."""
    version = current_version(lesson_id)
    if version is None or not version.shared:
        return None
    return Workspace(version)


def is_member(learner: Learner | None, assignment: Assignment) -> bool:
    """Whether the learner is a current (not removed) member of the assignment's class."""
    if learner is None:
        return False
    return db.session.scalars(
        select(Membership.id).where(Membership.classroom_id == assignment.classroom_id,
                                    Membership.learner_id == learner.id,
                                    Membership.removed_at.is_(None))
    ).first() is not None


def for_assignment(assignment_id: int, learner: Learner | None) -> Workspace | None:
    """The assignment's workspace when the learner is in its class, else None (shown as 404)."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or not is_member(learner, assignment):
        return None
    return Workspace(assignment.lesson_version, assignment)


# --- the rules of a workspace ------------------------------------------------------------------

def is_past_due(ws: Workspace, now: datetime | None = None) -> bool:
    due = ws.assignment.due_at if ws.assignment else None
    return due is not None and (now or utcnow()) > due


def attempts_left(learner: Learner | None, ws: Workspace) -> int | None:
    """Submissions still allowed (None: unlimited)."""
    allowed = ws.assignment.attempts_allowed if ws.assignment else None
    if allowed is None:
        return None
    used = sum(1 for a in attempts_of(learner, ws) if a.status == "submitted")
    return max(0, allowed - used)


def answers_revealed(ws: Workspace, attempt: Attempt, now: datetime | None = None) -> bool:
    """Whether model answers may be shown with this attempt's results."""
    if attempt.status != "submitted":
        return False
    rule = ws.assignment.reveal_answers if ws.assignment else "after_submit"
    if rule == "never":
        return False
    if rule == "after_due" and ws.assignment is not None and ws.assignment.due_at is not None:
        return is_past_due(ws, now)
    return True


def classmates_shown(ws: Workspace, attempt: Attempt) -> bool:
    return (ws.assignment is not None and ws.assignment.classmates_visible == "after_submit"
            and attempt.status == "submitted")


def closed_reason(learner: Learner | None, ws: Workspace) -> str | None:
    """Why the learner cannot change their work here right now (None: they can)."""
    if is_past_due(ws):
        return "This assignment is past its due date: your work can be read, not changed."
    attempts = attempts_of(learner, ws)
    if attempts and attempts[-1].status == "submitted":
        return "You submitted this attempt."
    if attempts_left(learner, ws) == 0:
        return "You have used all the attempts this assignment allows."
    return None


def can_try_again(learner: Learner | None, ws: Workspace) -> bool:
    """Whether "Try again" may start a new attempt: the last one is submitted and rules allow."""
    attempts = attempts_of(learner, ws)
    return (bool(attempts) and attempts[-1].status == "submitted" and not is_past_due(ws)
            and attempts_left(learner, ws) != 0)


def _check_open(learner: Learner | None, ws: Workspace) -> None:
    if is_past_due(ws):
        raise AttemptClosed(None, "This assignment is past its due date, so it can no longer be "
                                  "changed or submitted. Your saved work is still here to read.")
    if attempts_left(learner, ws) == 0:
        raise AttemptClosed(None, "You have used all the attempts this assignment allows.")


# --- attempts ----------------------------------------------------------------------------------

def _in_workspace(ws: Workspace):
    """SQL condition: an attempt made in this workspace."""
    if ws.assignment is not None:
        return Attempt.assignment_id == ws.assignment.id
    return and_(Attempt.assignment_id.is_(None), Attempt.lesson_version_id.in_(
        select(LessonVersion.id).where(LessonVersion.lesson_id == ws.lesson_id)))


def _attempts_query(learner: Learner, ws: Workspace):
    return select(Attempt).where(Attempt.learner_id == learner.id, _in_workspace(ws))


def attempts_of(learner: Learner | None, ws: Workspace) -> list[Attempt]:
    """The learner's attempts in this workspace, oldest first (self-study: every lesson version)."""
    if learner is None:
        return []
    query = _attempts_query(learner, ws).order_by(Attempt.number, Attempt.id)
    return list(db.session.scalars(query))


def draft_of(learner: Learner | None, ws: Workspace) -> Attempt | None:
    """The learner's draft in this workspace (the latest, should there be several)."""
    if learner is None:
        return None
    query = (_attempts_query(learner, ws).where(Attempt.status == "draft")
             .order_by(Attempt.number.desc(), Attempt.id.desc()).limit(1))
    return db.session.scalars(query).first()


def learner_and_draft(learner_public_id: object,
                      ws: Workspace) -> tuple[Learner | None, Attempt | None]:
    """The learner with this public id and their draft here, in one query (for saves)."""
    if not isinstance(learner_public_id, str):
        return None, None
    row = db.session.execute(
        select(Learner, Attempt)
        .outerjoin(Attempt, and_(Attempt.learner_id == Learner.id, Attempt.status == "draft",
                                 _in_workspace(ws)))
        .where(Learner.public_id == learner_public_id)
        .order_by(Attempt.number.desc(), Attempt.id.desc()).limit(1)).first()
    return (row.Learner, row.Attempt) if row is not None else (None, None)


def latest_attempt(learner: Learner | None, ws: Workspace) -> Attempt | None:
    attempts = attempts_of(learner, ws)
    return attempts[-1] if attempts else None


def best_attempt(attempts: list[Attempt]) -> Attempt | None:
    """The submitted attempt with the highest effective score (the earliest among ties)."""
    submitted = [a for a in attempts if a.status == "submitted"]
    if not submitted:
        return None
    return max(submitted, key=lambda a: (effective_score(a) or 0.0, -a.number))


def _new_attempt(learner: Learner, ws: Workspace, version: LessonVersion) -> Attempt:
    number = max((a.number for a in attempts_of(learner, ws)), default=0) + 1
    attempt = Attempt(learner_id=learner.id, lesson_version_id=version.id,
                      assignment_id=ws.assignment.id if ws.assignment else None, number=number)
    db.session.add(attempt)
    db.session.flush()
    return attempt


def _open_draft(learner: Learner, ws: Workspace, known_draft: Attempt | None = None) -> Attempt:
    """The draft to write into, created (on the workspace's version) when there is none.

    ``known_draft``: the learner's draft here when the caller has looked it up already.
    """
    draft = known_draft or draft_of(learner, ws)
    if draft is not None:
        if is_past_due(ws):
            _check_open(learner, ws)
        return draft
    # Two saves racing on a learner with no draft must not open two: take the learner's row lock
    # (PostgreSQL) / the write lock (SQLite) with a no-op update, then look again.
    db.session.execute(update(Learner).where(Learner.id == learner.id)
                       .values(public_id=Learner.public_id))
    draft = draft_of(learner, ws)
    if draft is not None:
        return draft
    _check_open(learner, ws)
    if any(a.status == "submitted" for a in attempts_of(learner, ws)):
        raise AttemptClosed(None, "This attempt is submitted. Choose “Try again” to start a new "
                                  "one with your annotations copied.")
    return _new_attempt(learner, ws, ws.version)


def _lock_draft(attempt: Attempt, *, adding: int = 0) -> None:
    """Hold the draft's row (SQLite: the write lock) until commit, so that a save and a submit of
    the same attempt run one after the other; AttemptClosed if it was submitted meanwhile.

    The same statement counts ``adding`` annotations (negative when deleting) into
    ``annotation_count`` and, when adding, refuses to go past the per-attempt limit. The count is
    read from the locked row itself, so saves racing each other cannot overshoot the limit.
    """
    claim = update(Attempt).where(Attempt.id == attempt.id, Attempt.status == "draft")
    limit = current_app.config["MAX_ANNOTATIONS_PER_ATTEMPT"]
    if adding > 0:
        claim = claim.where(Attempt.annotation_count + adding <= limit)
    claimed = db.session.execute(
        claim.values(annotation_count=Attempt.annotation_count + adding)
        .execution_options(synchronize_session=False)).rowcount
    if claimed == 1:
        return
    status, count = db.session.execute(
        select(Attempt.status, Attempt.annotation_count).where(Attempt.id == attempt.id)).one()
    db.session.rollback()
    if status != "draft":
        raise AttemptClosed(None, "This attempt has just been submitted, so it can no longer "
                                  "change. Choose “Try again” to improve it.")
    if adding == 1:
        raise ValidationError("annotations", f"An attempt can hold at most {limit} annotations. "
                                             "Delete one or improve an existing one instead.")
    raise ValidationError("annotations", f"An attempt can hold at most {limit} annotations; "
                                         f"this would make {count + adding}.")


def _draft_for_change(annotation: Annotation) -> Attempt:
    attempt = annotation.attempt
    if attempt.status != "draft":
        raise AttemptClosed(None, "This annotation belongs to a submitted attempt and can no "
                                  "longer change. Choose “Try again” to improve it.")
    ws = workspace_of(attempt)
    if ws.assignment is not None and not is_member(attempt.learner, ws.assignment):
        raise AttemptClosed(None, "You are no longer a member of this class, so this work can "
                                  "no longer change.")
    if is_past_due(ws):
        _check_open(attempt.learner, ws)
    return attempt


def workspace_of(attempt: Attempt) -> Workspace:
    if attempt.assignment is not None:
        return Workspace(attempt.assignment.lesson_version, attempt.assignment)
    return Workspace(current_version(attempt.lesson_version.lesson_id) or attempt.lesson_version)


# --- annotations -------------------------------------------------------------------------------

def _clean_note(note: str | None) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError("note", "Write what the passage takes for granted before saving: "
                                      "the explanation is empty.")
    limit = current_app.config["NOTE_MAX_CHARS"]
    if len(note) > limit:
        raise ValidationError("note", f"Your explanation is {len(note):,} characters long; the "
                                      f"limit is {limit:,}. Shorten it and save again.")
    return note


def _check_prompt(lesson: Lesson, prompt_id: str | None) -> str:
    if not prompt_id:
        raise ValidationError("prompt_id", "Choose the prompt this annotation answers.")
    if lesson.prompt(prompt_id) is None:
        raise ValidationError("prompt_id", f"This lesson has no prompt {prompt_id!r}; choose one "
                                           "of its prompts.")
    return prompt_id


def resolve_selection(text: str, start: int | None, end: int | None,
                      exact: str | None) -> tuple[int, int]:
    """Check a selection against the article; return its offsets trimmed of outer whitespace.

    When the quote does not match at the given offsets but occurs elsewhere in the article, the
    occurrence nearest the given start is used (a client counting offsets differently).
    """
    if start is None or end is None:
        raise ValidationError("selection", "Select a passage of the article to annotate.")
    if not (0 <= start < end <= len(text)):
        raise ValidationError("selection", f"The selection ({start}–{end}) is outside the "
                                           f"article, which has {len(text):,} characters. Select "
                                           "a passage in the text.")
    if exact is not None and text[start:end] != exact:
        found = _nearest_occurrence(text, exact, start) if exact.strip() else None
        if found is None:
            raise ValidationError("selection", "The selected words do not match the article at "
                                               "that place. Reload the page and select again.")
        start, end = found, found + len(exact)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise ValidationError("selection", "The selection holds no words. Select a passage.")
    return start, end


def _nearest_occurrence(text: str, exact: str, near: int) -> int | None:
    best = None
    index = text.find(exact)
    while index != -1:
        if best is None or abs(index - near) < abs(best - near):
            best = index
        index = text.find(exact, index + 1)
    return best


def _set_selection(annotation: Annotation, text: str, start: int, end: int) -> None:
    annotation.start, annotation.end = start, end
    annotation.exact = text[start:end]
    annotation.prefix = text[max(0, start - QUOTE_CONTEXT):start]
    annotation.suffix = text[end:end + QUOTE_CONTEXT]


def add_annotation(learner: Learner, ws: Workspace, data: AnnotationInput) -> Annotation:
    """Save a new annotation in the learner's draft (starting the draft if needed).

    With ``data.public_id`` the save is idempotent: sending the same id again (a retry after a
    lost answer) returns the annotation already stored instead of storing a second one.
    """
    return save_annotation(learner, ws, data)[0]


def save_annotation(learner: Learner, ws: Workspace, data: AnnotationInput,
                    draft: Attempt | None = None) -> tuple[Annotation, bool]:
    """:func:`add_annotation`, also saying whether it stored a new row (False: a retry's).

    ``draft``: the learner's draft here, when the caller has it (see :func:`learner_and_draft`).

    The hot path of a class at work, so it costs few statements: the draft, one update that locks
    it and counts the annotation in under the limit, the insert, the commit. A retried save is not
    looked up first: the unique ``public_id`` refuses the second insert, and only then (or when
    the save is refused, as a retry may be once the attempt is full or submitted) is the stored
    annotation looked for.
    """
    learner_id = learner.id  # a learner created by this request is gone again after a rollback
    try:
        note = _clean_note(data.note)
        attempt = _open_draft(learner, ws, draft)
        lesson = lesson_of(attempt.lesson_version)
        prompt_id = _check_prompt(lesson, data.prompt_id)
        start, end = resolve_selection(lesson.article_text, data.start, data.end, data.exact)
        _lock_draft(attempt, adding=1)
    except ValidationError:
        stored = _stored_by_retry(learner_id, data.public_id)
        if stored is None:
            raise
        return stored, False
    annotation = Annotation(attempt_id=attempt.id, prompt_id=prompt_id, note=note)
    if data.public_id is not None:
        annotation.public_id = data.public_id
    _set_selection(annotation, lesson.article_text, start, end)
    db.session.add(annotation)
    try:
        _commit_keeping(annotation)
    except IntegrityError:
        # A retry (or the same save sent twice at once): the id is stored already.
        db.session.rollback()
        stored = _stored_by_retry(learner_id, data.public_id)
        if stored is None:
            raise
        return stored, False
    return annotation, True


def _stored_by_retry(learner_id: int, public_id: str | None) -> Annotation | None:
    """The learner's annotation with this browser-chosen id; IdInUse if it is someone else's."""
    if public_id is None:
        return None
    row = db.session.execute(
        select(Annotation, Attempt.learner_id).join(Attempt)
        .where(Annotation.public_id == public_id)).first()
    if row is None:
        return None
    if row.learner_id != learner_id:
        raise IdInUse("id", "This annotation id is already in use; reload the page and save the "
                            "note again.")
    return row.Annotation


def _commit_keeping(row: Any) -> None:
    """Commit, keeping the values just written loaded on ``row``.

    A commit expires every loaded value, so answering with the row would read back, in one more
    SELECT, exactly what this request wrote. The values (with the id and the defaults the insert
    filled in) are the committed ones, so they are set back as such.
    """
    db.session.flush()
    written = {attr.key: getattr(row, attr.key) for attr in inspect(row).mapper.column_attrs}
    db.session.commit()
    for key, value in written.items():
        set_committed_value(row, key, value)


def update_annotation(annotation: Annotation, *, note: str | None = None,
                      prompt_id: str | None = None, start: int | None = None,
                      end: int | None = None, exact: str | None = None) -> Annotation:
    """Change the note, the prompt and/or the passage of an annotation in a draft."""
    attempt = _draft_for_change(annotation)
    _lock_draft(attempt)
    lesson = lesson_of(attempt.lesson_version)
    if note is not None:
        annotation.note = _clean_note(note)
    if prompt_id is not None:
        annotation.prompt_id = _check_prompt(lesson, prompt_id)
    if start is not None or end is not None or exact is not None:
        s, e = resolve_selection(lesson.article_text, start, end, exact)
        _set_selection(annotation, lesson.article_text, s, e)
    annotation.updated_at = utcnow()
    db.session.commit()
    return annotation


def delete_annotation(annotation: Annotation) -> None:
    _lock_draft(_draft_for_change(annotation), adding=-1)
    db.session.delete(annotation)
    db.session.commit()


def _w3c_items(payload: Any) -> list[Any]:
    if isinstance(payload, list):
        return payload
    if isinstance(payload, dict):
        for items in (payload.get("items"), (payload.get("first") or {}).get("items")
                      if isinstance(payload.get("first"), dict) else None,
                      payload.get("annotations")):
            if isinstance(items, list):
                return items
    raise ValidationError("annotations", "Expected W3C Web Annotation JSON: a list of "
                                         "annotations or an AnnotationCollection with items "
                                         "(the file “Export” gives).")


def _w3c_parts(raw: Any) -> tuple[str, list[str], Any]:
    """(explanation, tags, selectors) of one W3C annotation."""
    if not isinstance(raw, dict):
        raise ValueError("annotation", "is not a JSON object")
    bodies = raw.get("body", [])
    bodies = bodies if isinstance(bodies, list) else [bodies]
    note = raw.get("bodyValue") if isinstance(raw.get("bodyValue"), str) else ""
    tags: list[str] = []
    for body in bodies:
        if isinstance(body, dict) and isinstance(body.get("value"), str):
            if body.get("purpose") == "tagging":
                tags.append(body["value"])
            elif not note:
                note = body["value"]
    target = raw.get("target")
    selectors = target.get("selector") if isinstance(target, dict) else None
    if not selectors:
        raise ValueError("target", "has no selector: it needs a TextQuoteSelector or a "
                                   "TextPositionSelector")
    return note, tags, selectors


def import_annotations(learner: Learner, ws: Workspace, payload: Any) -> list[Annotation]:
    """Add W3C annotations (for example an export from another browser) to the draft.

    All or nothing: the first problem raises a ValidationError with the annotation's ``index``.
    """
    from ..scoring import anchor

    items = _w3c_items(payload)
    if not items:
        raise ValidationError("annotations", "The file holds no annotations.")
    attempt = _open_draft(learner, ws)
    lesson = lesson_of(attempt.lesson_version)
    limit = current_app.config["MAX_ANNOTATIONS_PER_ATTEMPT"]
    total = attempt.annotation_count + len(items)
    if total > limit:  # said before the items' own problems; counted again under the lock
        raise ValidationError("annotations", f"An attempt can hold at most {limit} annotations; "
                                             f"this would make {total}.")
    new: list[Annotation] = []
    for index, raw in enumerate(items):
        where = f"Annotation {index + 1}"
        try:
            note, tags, selectors = _w3c_parts(raw)
        except ValueError as exc:
            field, problem = exc.args
            raise ValidationError(field, f"{where} {problem}.", index) from None
        prompt_id = next((t for t in tags if lesson.prompt(t) is not None), None)
        if prompt_id is None:
            raise ValidationError("prompt_id", f"{where} names no prompt of this lesson (a "
                                               "tagging body with the prompt id).", index)
        try:
            note = _clean_note(note)
            span = anchor(lesson.article_text, selectors)
        except ValidationError as exc:
            raise ValidationError(exc.field, f"{where}: {exc.message}", index) from None
        except (TypeError, ValueError, KeyError, AttributeError):
            span = None
        if span is None:
            raise ValidationError("selection", f"{where}: its passage cannot be found in this "
                                               "lesson's article.", index)
        annotation = Annotation(attempt_id=attempt.id, prompt_id=prompt_id, note=note)
        _set_selection(annotation, lesson.article_text, *span)
        new.append(annotation)
    _lock_draft(attempt, adding=len(new))
    db.session.add_all(new)
    db.session.commit()
    return new


def find_annotation(learner: Learner | None, public_id: str) -> Annotation | None:
    """The learner's own annotation with this id (None for anyone else's: shown as 404)."""
    if learner is None:
        return None
    return db.session.scalars(
        select(Annotation).join(Attempt).where(Annotation.public_id == public_id,
                                               Attempt.learner_id == learner.id)
    ).first()


def find_attempt(learner: Learner | None, attempt_id: int) -> Attempt | None:
    """The learner's own attempt (None for anyone else's: shown as 404)."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or learner is None or attempt.learner_id != learner.id:
        return None
    return attempt


# --- hints -------------------------------------------------------------------------------------

def hints_revealed(attempt: Attempt | None) -> dict[str, int]:
    return {h.prompt_id: h.revealed for h in attempt.hint_reveals} if attempt else {}


def reveal_hint(learner: Learner, ws: Workspace, prompt_id: str | None) -> tuple[Attempt, int]:
    """Reveal the next hint of a prompt; returns the draft and how many hints are now shown."""
    attempt = _open_draft(learner, ws)
    lesson = lesson_of(attempt.lesson_version)
    prompt_id = _check_prompt(lesson, prompt_id)
    prompt = lesson.prompt(prompt_id)
    reveal = next((h for h in attempt.hint_reveals if h.prompt_id == prompt_id), None)
    if reveal is None:
        reveal = HintReveal(attempt=attempt, prompt_id=prompt_id, revealed=0)
        db.session.add(reveal)
    if reveal.revealed >= len(prompt.hints):
        raise ValidationError("prompt_id", "You have seen every hint for this prompt.")
    reveal.revealed += 1
    db.session.commit()
    return attempt, reveal.revealed


# --- submitting and scoring --------------------------------------------------------------------

def w3c_id(annotation: Annotation) -> str:
    return uuid.UUID(hex=annotation.public_id).urn


def lesson_source(version: LessonVersion) -> str:
    return f"urn:x-premise-finder:lesson:{version.lesson_id}:v{version.version}"


def to_w3c(annotation: Annotation, lesson: Lesson | None = None,
           version: LessonVersion | None = None) -> dict[str, Any]:
    """One annotation as a W3C Web Annotation (JSON-LD)."""
    version = version or annotation.attempt.lesson_version
    body: list[dict[str, Any]] = [
        {"type": "TextualBody", "purpose": "commenting", "value": annotation.note,
         "format": "text/plain", "language": "en"},
    ]
    if annotation.prompt_id:
        body.append({"type": "TextualBody", "purpose": "tagging", "value": annotation.prompt_id})
    return {
        "@context": W3C_CONTEXT,
        "id": w3c_id(annotation),
        "type": "Annotation",
        "motivation": "commenting",
        "created": annotation.created_at.isoformat() + "Z",
        "modified": annotation.updated_at.isoformat() + "Z",
        "body": body,
        "target": {
            "source": lesson_source(version),
            "selector": [
                {"type": "TextQuoteSelector", "exact": annotation.exact,
                 "prefix": annotation.prefix, "suffix": annotation.suffix},
                {"type": "TextPositionSelector", "start": annotation.start, "end": annotation.end},
            ],
        },
    }


def export_attempt(attempt: Attempt) -> dict[str, Any]:
    """An attempt's annotations as a W3C AnnotationCollection (what ``flask score`` reads)."""
    version = attempt.lesson_version
    lesson = lesson_of(version)
    items = [to_w3c(a, lesson, version) for a in attempt.annotations]
    return {
        "@context": W3C_CONTEXT,
        "id": f"urn:x-premise-finder:attempt:{attempt.id}",
        "type": "AnnotationCollection",
        "label": f"{lesson.title} — attempt {attempt.number}",
        "lesson": version.lesson_id,
        "lesson_version": version.version,
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def extra_phrasings_for(attempt: Attempt) -> dict[str, list[str]]:
    """Phrasings the class's instructor accepted for this lesson's rubric items."""
    if attempt.assignment is None:
        return {}
    rows = db.session.scalars(
        select(RubricExtension).where(
            RubricExtension.classroom_id == attempt.assignment.classroom_id,
            RubricExtension.lesson_id == attempt.lesson_version.lesson_id)
        .order_by(RubricExtension.id)
    )
    extra: dict[str, list[str]] = {}
    for row in rows:
        extra.setdefault(row.item_id, []).append(row.phrasing)
    return extra


def score_attempt(attempt: Attempt) -> LessonScore:
    """Score the attempt with the scorer and store the automatic results (never manual ones).

    Does not commit: :func:`submit` and the instructor's re-scoring commit with their own work.
    """
    from ..scoring import score_annotations

    lesson = lesson_of(attempt.lesson_version)
    payload = [to_w3c(a, lesson, attempt.lesson_version) for a in attempt.annotations]
    result = score_annotations(lesson, payload, extra_phrasings=extra_phrasings_for(attempt))
    by_id = {r.id: r for r in result.annotations}
    for annotation in attempt.annotations:
        scored = by_id[w3c_id(annotation)]
        annotation.auto_item_id = scored.item
        annotation.auto_credit = float(scored.credit)
        annotation.auto_confidence = float(scored.confidence)
        annotation.auto_feedback = scored.error or scored.feedback
        annotation.needs_review = float(scored.confidence) < REVIEW_BELOW_CONFIDENCE
    attempt.auto_score = float(result.score)
    attempt.max_score = float(result.max_score)
    attempt.item_credits = {
        item.id: {"credit": float(item.credit), "points": float(item.points),
                  "best_annotation": item.best_annotation}
        for item in result.items
    }
    return result


def submit(attempt: Attempt) -> Attempt:
    """Score a draft and mark it submitted."""
    if attempt.status != "draft":
        raise AttemptClosed(None, "This attempt is already submitted.")
    ws = workspace_of(attempt)
    _check_open(attempt.learner, ws)
    _lock_draft(attempt)
    db.session.expire(attempt, ["annotations"])  # saves committed while we waited count too
    if not attempt.annotations:
        raise ValidationError("annotations", "Add at least one annotation before submitting.")
    score_attempt(attempt)
    attempt.status = "submitted"
    attempt.submitted_at = utcnow()
    db.session.commit()
    return attempt


def try_again(learner: Learner, ws: Workspace) -> Attempt:
    """Start a new draft holding copies of the latest attempt's annotations to improve.

    A self-study lesson edited since then is re-anchored on its new text; annotations whose passage
    is gone are left out of the copy (they stay in the earlier attempt).
    """
    existing = draft_of(learner, ws)
    if existing is not None:
        return existing
    _check_open(learner, ws)
    latest = latest_attempt(learner, ws)
    attempt = _new_attempt(learner, ws, ws.version)
    if latest is not None:
        text = lesson_of(ws.version).article_text
        for old in latest.annotations:
            span = _reanchor(old, text, same=latest.lesson_version_id == ws.version.id)
            if span is None:
                continue
            copy = Annotation(attempt=attempt, prompt_id=old.prompt_id, note=old.note)
            _set_selection(copy, text, *span)
            db.session.add(copy)
            attempt.annotation_count += 1
        for hint in latest.hint_reveals:
            db.session.add(HintReveal(attempt=attempt, prompt_id=hint.prompt_id,
                                      revealed=hint.revealed))
    db.session.commit()
    return attempt


def _reanchor(annotation: Annotation, text: str, *, same: bool) -> tuple[int, int] | None:
    if same:
        return annotation.start, annotation.end
    from ..scoring import anchor

    selectors = [{"type": "TextQuoteSelector", "exact": annotation.exact,
                  "prefix": annotation.prefix, "suffix": annotation.suffix},
                 {"type": "TextPositionSelector", "start": annotation.start,
                  "end": annotation.end}]
    return anchor(text, selectors)


def effective_score(attempt: Attempt) -> float | None:
    """The attempt's score with instructors' overrides applied (the automatic one otherwise).

    Same rule as the scorer's lesson score: each rubric item counts once, points × the best
    credit among the annotations assigned to it, here with ``Annotation.effective_credit`` and
    ``effective_item_id``.
    """
    if attempt.status != "submitted" or attempt.auto_score is None:
        return None
    if not any(a.is_overridden for a in attempt.annotations):
        return attempt.auto_score
    lesson = lesson_of(attempt.lesson_version)
    best: dict[str, float] = {}
    for annotation in attempt.annotations:
        item = annotation.effective_item_id
        if item is not None:
            best[item] = max(best.get(item, 0.0), annotation.effective_credit)
    return sum(item.points * best.get(item.id, 0.0) for item in lesson.rubric)


def effective_item_credits(attempt: Attempt) -> dict[str, float]:
    """Per rubric item, the credit (0..1) that counts, with overrides applied."""
    credits = {k: float(v["credit"]) for k, v in (attempt.item_credits or {}).items()}
    if any(a.is_overridden for a in attempt.annotations):
        credits = {k: 0.0 for k in credits}
        for annotation in attempt.annotations:
            item = annotation.effective_item_id
            if item is not None:
                credits[item] = max(credits.get(item, 0.0), annotation.effective_credit)
    return credits


@dataclass(frozen=True)
class ItemResult:
    """How an attempt did on one rubric item, overrides applied."""

    item: RubricItem
    credit: float
    annotations: list[int]  # 1-based numbers of the annotations credited for this item
    passages: list[tuple[int, int]]  # where the premise lives in the text (when asked for)

    @property
    def earned(self) -> float:
        return self.credit * self.item.points

    @property
    def state(self) -> str:
        return "found" if self.credit >= 1 else ("partial" if self.credit > 0 else "missed")


def item_results(attempt: Attempt, *, with_passages: bool) -> list[ItemResult]:
    """Every rubric item with its effective credit; its passages located when answers are shown."""
    from ..scoring import anchor

    lesson = lesson_of(attempt.lesson_version)
    credits = effective_item_credits(attempt)
    out = []
    for item in lesson.rubric:
        spans: list[tuple[int, int]] = []
        if with_passages:
            for passage in item.passages:
                span = anchor(lesson.article_text, {"type": "TextQuoteSelector", "exact": passage})
                if span is not None:
                    spans.append(span)
        numbers = [n for n, a in enumerate(attempt.annotations, start=1)
                   if a.effective_item_id == item.id and a.effective_credit > 0]
        out.append(ItemResult(item, credits.get(item.id, 0.0), numbers, spans))
    return out


def classmate_highlights(learner: Learner, ws: Workspace) -> list[tuple[int, int]]:
    """Passages classmates highlighted in their latest submitted attempts, without who or what."""
    if ws.assignment is None:
        return []
    members = select(Membership.learner_id).where(
        Membership.classroom_id == ws.assignment.classroom_id, Membership.removed_at.is_(None),
        Membership.learner_id != learner.id)
    attempts = db.session.scalars(
        select(Attempt).where(Attempt.assignment_id == ws.assignment.id,
                              Attempt.status == "submitted", Attempt.learner_id.in_(members))
        .order_by(Attempt.learner_id, Attempt.number)
    ).all()
    latest: dict[int, Attempt] = {}
    for attempt in attempts:
        latest[attempt.learner_id] = attempt
    spans = [(a.start, a.end) for att in latest.values() for a in att.annotations]
    return sorted(spans)

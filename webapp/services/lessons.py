"""The lesson catalogue: lesson files mirrored into immutable ``LessonVersion`` rows.

Each distinct content of a lesson gets its own version row, so attempts and assignments keep the
exact text they were made on. Validated lessons are cached per version id (versions never change).
"""

from __future__ import annotations

import hashlib
import json
import logging

from sqlalchemy import func, select

from ..content import Lesson
from ..extensions import db
from ..models import LessonVersion

log = logging.getLogger(__name__)


def content_hash(lesson: Lesson) -> str:
    payload = json.dumps(lesson.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def store_version(lesson: Lesson, *, origin: str = "file", author_id: int | None = None,
                  shared: bool = True) -> LessonVersion:
    """Return the version row for this exact content, creating a new version when it changed."""
    digest = content_hash(lesson)
    existing = db.session.scalars(
        select(LessonVersion).where(LessonVersion.lesson_id == lesson.id,
                                    LessonVersion.content_hash == digest)
        .order_by(LessonVersion.version.desc())
    ).first()
    latest = db.session.scalars(
        select(LessonVersion).where(LessonVersion.lesson_id == lesson.id)
        .order_by(LessonVersion.version.desc())
    ).first()
    if existing is not None and existing is latest:
        return existing
    number = db.session.scalar(
        select(func.coalesce(func.max(LessonVersion.version), 0)).where(
            LessonVersion.lesson_id == lesson.id)
    ) + 1
    row = LessonVersion(lesson_id=lesson.id, version=number, content_hash=digest,
                        title=lesson.title, origin=origin, author_id=author_id, shared=shared,
                        data=lesson.model_dump(mode="json"))
    db.session.add(row)
    db.session.flush()
    return row


def sync_file_lessons(lessons: dict[str, Lesson]) -> list[str]:
    """Mirror the lessons loaded from files into version rows (run at start-up).

    A file whose id an instructor already uses for a lesson written in the app is skipped (the
    authored lesson keeps its id and its author); the returned messages say which.
    """
    skipped: list[str] = []
    for lesson in lessons.values():
        latest = current_version(lesson.id)
        if latest is not None and latest.origin != "file":
            skipped.append(f"lessons/{lesson.id}: id {lesson.id!r} is already used by a lesson "
                           "written in the app; rename the folder and its id")
            continue
        store_version(lesson)
    db.session.commit()
    for message in skipped:
        log.error("lesson file not loaded: %s", message)
    return skipped


_parsed: dict[str, Lesson] = {}


def lesson_of(version: LessonVersion) -> Lesson:
    """The validated lesson a version row holds (cached by content hash; versions are immutable)."""
    lesson = _parsed.get(version.content_hash)
    if lesson is None:
        lesson = _parsed[version.content_hash] = Lesson.model_validate(version.data)
    return lesson


def current_version(lesson_id: str) -> LessonVersion | None:
    """The newest version of a lesson, or None if there is no such lesson."""
    return db.session.scalars(
        select(LessonVersion).where(LessonVersion.lesson_id == lesson_id)
        .order_by(LessonVersion.version.desc())
    ).first()


def public_versions() -> list[LessonVersion]:
    """The newest version of every lesson anyone may open (file lessons and shared ones)."""
    newest = (
        select(LessonVersion.lesson_id, func.max(LessonVersion.version).label("v"))
        .group_by(LessonVersion.lesson_id).subquery()
    )
    rows = db.session.scalars(
        select(LessonVersion).join(
            newest, (LessonVersion.lesson_id == newest.c.lesson_id)
            & (LessonVersion.version == newest.c.v))
        .where(LessonVersion.shared.is_(True))
        .order_by(LessonVersion.title)
    ).all()
    return list(rows)

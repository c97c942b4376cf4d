"""Database models.

Lessons live as files in ``lessons/`` and are mirrored into ``lesson_versions`` (one row per
distinct content), so an attempt stays tied to the exact text it annotated even after the lesson
is edited.
Annotation scores keep the automatic and manual decisions apart (nbgrader's auto/manual split): the
effective value is the manual one when an instructor set it, and re-scoring never touches it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_public_id() -> str:
    return uuid.uuid4().hex


class User(UserMixin, db.Model):
    """An instructor account (learners need no account)."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_instructor: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Changing this invalidates every session of the user (logout everywhere, password change).
    session_token: Mapped[str] = mapped_column(String(32), default=new_public_id)

    classrooms: Mapped[list[Classroom]] = relationship(back_populates="owner")

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"


class Learner(db.Model):
    """Someone who reads and annotates; identified by a random id kept in the signed session."""

    __tablename__ = "learners"
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(back_populates="learner")
    attempts: Mapped[list[Attempt]] = relationship(back_populates="learner")


class LessonVersion(db.Model):
    """One immutable version of a lesson's content (article, prompts, rubric) as validated JSON."""

    __tablename__ = "lesson_versions"
    __table_args__ = (UniqueConstraint("lesson_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[str] = mapped_column(String(80), index=True)
    version: Mapped[int] = mapped_column()
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(200))
    origin: Mapped[str] = mapped_column(String(16), default="file")  # file | authored
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    shared: Mapped[bool] = mapped_column(default=True)  # authored lessons start private
    # Loaded only when a version is not in the parsed-lesson cache (lesson_of): saves stay light.
    data: Mapped[dict] = mapped_column(JSON, deferred=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Classroom(db.Model):
    """A class run by one instructor; learners join it with its join code."""

    __tablename__ = "classrooms"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    owner: Mapped[User] = relationship(back_populates="classrooms")
    memberships: Mapped[list[Membership]] = relationship(back_populates="classroom")
    assignments: Mapped[list[Assignment]] = relationship(back_populates="classroom")


class Membership(db.Model):
    """A learner in a class, under the display name they chose when joining."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("classroom_id", "learner_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classrooms.id"), index=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id"), index=True)
    display_name: Mapped[str] = mapped_column(String(80))
    # Lets a learner come back to the class from another browser without an account.
    rejoin_code: Mapped[str | None] = mapped_column(String(16))
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column()

    classroom: Mapped[Classroom] = relationship(back_populates="memberships")
    learner: Mapped[Learner] = relationship(back_populates="memberships")


class Assignment(db.Model):
    """A lesson (one fixed version) given to a class."""

    __tablename__ = "assignments"
    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classrooms.id"), index=True)
    lesson_version_id: Mapped[int] = mapped_column(ForeignKey("lesson_versions.id"))
    title: Mapped[str | None] = mapped_column(String(200))
    due_at: Mapped[datetime | None] = mapped_column()
    attempts_allowed: Mapped[int | None] = mapped_column()  # None: unlimited
    reveal_answers: Mapped[str] = mapped_column(String(16), default="after_submit")
    # after_submit: classmates' anonymised highlights shown once you submitted; never: not shown
    classmates_visible: Mapped[str] = mapped_column(String(16), default="after_submit")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    classroom: Mapped[Classroom] = relationship(back_populates="assignments")
    lesson_version: Mapped[LessonVersion] = relationship()


class Attempt(db.Model):
    """One learner's work on one lesson version: a draft until submitted, then scored."""

    __tablename__ = "attempts"
    __table_args__ = (Index("ix_attempts_learner_lesson", "learner_id", "lesson_version_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id"))
    lesson_version_id: Mapped[int] = mapped_column(ForeignKey("lesson_versions.id"))
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignments.id"), index=True)
    number: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft | submitted
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column()
    auto_score: Mapped[float | None] = mapped_column()
    max_score: Mapped[float | None] = mapped_column()
    # Per rubric item: {"item_id": {"credit": .., "points": ..}} as last computed by the scorer.
    item_credits: Mapped[dict | None] = mapped_column(JSON)
    # How many annotations the attempt holds, kept by services/attempts.py in the statement that
    # locks the draft row: the per-attempt limit is checked without loading or counting them.
    annotation_count: Mapped[int] = mapped_column(default=0, server_default="0")

    learner: Mapped[Learner] = relationship(back_populates="attempts")
    lesson_version: Mapped[LessonVersion] = relationship()
    assignment: Mapped[Assignment | None] = relationship()
    annotations: Mapped[list[Annotation]] = relationship(
        back_populates="attempt", order_by="Annotation.id", cascade="all, delete-orphan"
    )
    hint_reveals: Mapped[list[HintReveal]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan"
    )


class HintReveal(db.Model):
    """How many hints of one prompt a learner has revealed in one attempt."""

    __tablename__ = "hint_reveals"
    __table_args__ = (UniqueConstraint("attempt_id", "prompt_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), index=True)
    prompt_id: Mapped[str] = mapped_column(String(80))
    revealed: Mapped[int] = mapped_column(default=0)

    attempt: Mapped[Attempt] = relationship(back_populates="hint_reveals")


class Annotation(db.Model):
    """A highlighted passage with the learner's explanation, stored as W3C selectors."""

    __tablename__ = "annotations"
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), index=True)
    prompt_id: Mapped[str | None] = mapped_column(String(80))
    exact: Mapped[str] = mapped_column(Text)
    prefix: Mapped[str] = mapped_column(String(64), default="")
    suffix: Mapped[str] = mapped_column(String(64), default="")
    start: Mapped[int] = mapped_column()
    end: Mapped[int] = mapped_column()
    note: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    auto_item_id: Mapped[str | None] = mapped_column(String(80))
    auto_credit: Mapped[float | None] = mapped_column()
    auto_confidence: Mapped[float | None] = mapped_column()
    auto_feedback: Mapped[str | None] = mapped_column(Text)
    needs_review: Mapped[bool] = mapped_column(default=False)

    manual_credit: Mapped[float | None] = mapped_column()  # set => instructor override
    manual_item_id: Mapped[str | None] = mapped_column(String(80))
    manual_comment: Mapped[str | None] = mapped_column(Text)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column()

    attempt: Mapped[Attempt] = relationship(back_populates="annotations")

    @property
    def is_overridden(self) -> bool:
        return self.manual_credit is not None

    @property
    def effective_credit(self) -> float:
        if self.manual_credit is not None:
            return self.manual_credit
        return self.auto_credit or 0.0

    @property
    def effective_item_id(self) -> str | None:
        return self.manual_item_id if self.manual_credit is not None else self.auto_item_id


class RubricExtension(db.Model):
    """An explanation an instructor accepted as a correct phrasing of a rubric item, in a class."""

    __tablename__ = "rubric_extensions"
    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classrooms.id"), index=True)
    lesson_id: Mapped[str] = mapped_column(String(80))
    item_id: Mapped[str] = mapped_column(String(80))
    phrasing: Mapped[str] = mapped_column(Text)
    source_annotation_id: Mapped[int | None] = mapped_column(ForeignKey("annotations.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

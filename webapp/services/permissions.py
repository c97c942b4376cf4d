"""Who may do what, named in one place.

Instructors see only their own classes: anything belonging to another instructor's class is a 404
(its existence is not revealed). A signed-in account that is not an instructor gets 403. Learners
(anonymous ids in the signed session) see only classes they are active members of.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db, login_manager
from ..models import Annotation, Assignment, Attempt, Classroom, Learner, Membership

F = TypeVar("F", bound=Callable[..., Any])


def instructor_required(view: F) -> F:
    """Anonymous visitors are sent to the login page; other signed-in accounts get 403."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_instructor:
            abort(403, description="This page is for instructors.")
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def owned_classroom_or_404(classroom_id: int) -> Classroom:
    """The current instructor's class, or 404 (also for another instructor's class)."""
    classroom = db.session.get(Classroom, classroom_id)
    if classroom is None or classroom.owner_id != current_user.id:
        abort(404, description="No such class among yours.")
    return classroom


def owned_assignment_or_404(assignment_id: int) -> Assignment:
    """An assignment of one of the current instructor's classes, or 404."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.classroom.owner_id != current_user.id:
        abort(404, description="No such assignment in your classes.")
    return assignment


def owned_attempt_or_404(attempt_id: int) -> Attempt:
    """A class submission the current instructor may review (never self-study work), or 404."""
    attempt = db.session.get(Attempt, attempt_id)
    if (attempt is None or attempt.assignment is None
            or attempt.assignment.classroom.owner_id != current_user.id):
        abort(404, description="No such submission in your classes.")
    return attempt


def owned_annotation_or_404(annotation_id: int) -> Annotation:
    """An annotation in a submission the current instructor may review, or 404."""
    annotation = db.session.get(Annotation, annotation_id)
    if annotation is None:
        abort(404, description="No such annotation in your classes.")
    owned_attempt_or_404(annotation.attempt_id)
    return annotation


def active_membership(learner: Learner | None, classroom_id: int) -> Membership | None:
    """The learner's membership of a class, unless they left or were removed."""
    if learner is None:
        return None
    return db.session.scalars(
        select(Membership).where(Membership.classroom_id == classroom_id,
                                 Membership.learner_id == learner.id,
                                 Membership.removed_at.is_(None))
    ).first()


def is_member_of(learner: Learner | None, classroom_id: int) -> bool:
    return active_membership(learner, classroom_id) is not None


def member_assignment_or_404(learner: Learner | None, assignment_id: int) -> Assignment:
    """An assignment of a class the learner is an active member of, or 404."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or not is_member_of(learner, assignment.classroom_id):
        abort(404, description="No such assignment in your classes.")
    return assignment

"""Classes, memberships and assignments.

Join codes are short and drawn from an alphabet without look-alike characters (no 0/O, 1/I/L),
so they can be read aloud or copied from a projector. Learners have no accounts: a membership ties
the anonymous learner of one browser to a class, and its rejoin code lets the learner take that
identity to another browser. Class work is attempts with ``assignment_id`` set; self-study work
keeps ``assignment_id`` NULL and never shows in a class.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from ..extensions import db
from ..models import (
    Assignment,
    Attempt,
    Classroom,
    Learner,
    LessonVersion,
    Membership,
    User,
    utcnow,
)
from . import attempts as attempts_service
from .lessons import public_versions

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
JOIN_CODE_LENGTH = 6
REJOIN_CODE_LENGTH = 8
REVEAL_RULES = {
    "after_submit": "After the learner submits",
    "after_due": "After the due date",
    "never": "Never",
}
CLASSMATES_RULES = {
    "after_submit": "Show classmates' anonymised highlights once the learner has submitted",
    "never": "Never show classmates' highlights",
}


class ClassError(ValueError):
    """A request the class rules refuse; ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _random_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_code(code: str) -> str:
    """Upper-case, without spaces or dashes (``abc-def`` and ``ABC DEF`` are ``ABCDEF``)."""
    return re.sub(r"[\s\-_.]", "", code or "").upper()


def format_code(code: str) -> str:
    """A join code split in two halves for reading aloud: ``ABC-DEF``."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def _unused_join_code() -> str:
    for _ in range(50):
        code = _random_code(JOIN_CODE_LENGTH)
        if db.session.scalar(select(Classroom.id).where(Classroom.join_code == code)) is None:
            return code
    raise RuntimeError("could not find an unused join code")  # 31^6 codes: practically never


def create_classroom(owner: User, name: str) -> Classroom:
    name = name.strip()
    if not name:
        raise ClassError("Give the class a name.", "name")
    classroom = Classroom(name=name, owner_id=owner.id, join_code=_unused_join_code())
    db.session.add(classroom)
    db.session.commit()
    return classroom


def rename_classroom(classroom: Classroom, name: str) -> None:
    name = name.strip()
    if not name:
        raise ClassError("Give the class a name.", "name")
    classroom.name = name
    db.session.commit()


def regenerate_join_code(classroom: Classroom) -> str:
    """A new join code; the old one stops working (members already in stay in)."""
    classroom.join_code = _unused_join_code()
    db.session.commit()
    return classroom.join_code


def classroom_by_code(code: str) -> Classroom | None:
    code = normalise_code(code)
    if not code:
        return None
    return db.session.scalars(select(Classroom).where(Classroom.join_code == code)).first()


def instructor_classrooms(user: User) -> list[Classroom]:
    return list(db.session.scalars(
        select(Classroom).where(Classroom.owner_id == user.id).order_by(Classroom.created_at.desc(),
                                                                        Classroom.id.desc())
    ))


def active_members(classroom: Classroom) -> list[Membership]:
    return list(db.session.scalars(
        select(Membership).where(Membership.classroom_id == classroom.id,
                                 Membership.removed_at.is_(None))
        .order_by(func.lower(Membership.display_name), Membership.id)
    ))


def member_counts(classrooms: list[Classroom]) -> dict[int, int]:
    if not classrooms:
        return {}
    rows = db.session.execute(
        select(Membership.classroom_id, func.count(Membership.id))
        .where(Membership.classroom_id.in_([c.id for c in classrooms]),
               Membership.removed_at.is_(None))
        .group_by(Membership.classroom_id)
    )
    return {cid: n for cid, n in rows}


def join_classroom(learner: Learner, code: str, display_name: str) -> Membership:
    """Add the learner to the class whose join code this is, under the name they chose."""
    display_name = " ".join(display_name.split())
    if not display_name:
        raise ClassError("Choose the name your instructor will see.", "display_name")
    classroom = classroom_by_code(code)
    if classroom is None:
        raise ClassError("No class has this code. Check it with your instructor.", "join_code")
    existing = db.session.scalars(
        select(Membership).where(Membership.classroom_id == classroom.id,
                                 Membership.learner_id == learner.id)
    ).first()
    if existing is not None:
        if existing.removed_at is not None:
            raise ClassError("Your instructor removed you from this class. Ask them to add you "
                             "back.", "join_code")
        return existing
    taken = db.session.scalar(
        select(Membership.id).where(Membership.classroom_id == classroom.id,
                                    func.lower(Membership.display_name) == display_name.lower(),
                                    Membership.removed_at.is_(None))
    )
    if taken is not None:
        raise ClassError("Someone in this class already uses that name. Add an initial or a "
                         "number.", "display_name")
    membership = Membership(classroom_id=classroom.id, learner_id=learner.id,
                            display_name=display_name,
                            rejoin_code=_random_code(REJOIN_CODE_LENGTH))
    db.session.add(membership)
    db.session.commit()
    return membership


def membership_by_rejoin_code(join_code: str, rejoin_code: str) -> Membership | None:
    """The active membership these two codes identify, or None."""
    classroom = classroom_by_code(join_code)
    rejoin_code = normalise_code(rejoin_code)
    if classroom is None or not rejoin_code:
        return None
    membership = db.session.scalars(
        select(Membership).where(Membership.classroom_id == classroom.id,
                                 Membership.removed_at.is_(None))
        .where(Membership.rejoin_code == rejoin_code)
    ).first()
    return membership


def remove_member(classroom: Classroom, membership_id: int) -> Membership:
    """Take a learner out of the class; their submissions stay for the record."""
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.classroom_id != classroom.id:
        raise LookupError("no such member")
    if membership.removed_at is None:
        membership.removed_at = utcnow()
        db.session.commit()
    return membership


def restore_member(classroom: Classroom, membership_id: int) -> Membership:
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.classroom_id != classroom.id:
        raise LookupError("no such member")
    membership.removed_at = None
    db.session.commit()
    return membership


def removed_members(classroom: Classroom) -> list[Membership]:
    return list(db.session.scalars(
        select(Membership).where(Membership.classroom_id == classroom.id,
                                 Membership.removed_at.is_not(None))
        .order_by(Membership.removed_at.desc())
    ))


# --- assignments -------------------------------------------------------------------------------

def assignable_versions(user: User) -> list[LessonVersion]:
    """Lessons an instructor may assign: the library plus their own unshared lessons."""
    versions = {v.lesson_id: v for v in public_versions()}
    own = db.session.scalars(
        select(LessonVersion).where(LessonVersion.author_id == user.id)
        .order_by(LessonVersion.version.desc())
    )
    for version in own:
        versions.setdefault(version.lesson_id, version)
    return sorted(versions.values(), key=lambda v: v.title.lower())


def create_assignment(classroom: Classroom, user: User, *, lesson_id: str,
                      title: str | None = None, due_at: datetime | None = None,
                      attempts_allowed: int | None = None, reveal_answers: str = "after_submit",
                      classmates_visible: str = "after_submit") -> Assignment:
    """Give the newest version of a lesson to a class; the assignment keeps that version."""
    version = next((v for v in assignable_versions(user) if v.lesson_id == lesson_id), None)
    if version is None:
        raise ClassError("Pick a lesson from the library.", "lesson_id")
    _check_rules(due_at, attempts_allowed, reveal_answers, classmates_visible)
    assignment = Assignment(classroom_id=classroom.id, lesson_version_id=version.id,
                            title=(title or "").strip() or None, due_at=due_at,
                            attempts_allowed=attempts_allowed, reveal_answers=reveal_answers,
                            classmates_visible=classmates_visible)
    db.session.add(assignment)
    db.session.commit()
    return assignment


def _check_rules(due_at: datetime | None, attempts_allowed: int | None, reveal_answers: str,
                 classmates_visible: str) -> None:
    if reveal_answers not in REVEAL_RULES:
        raise ClassError("Pick when model answers are shown.", "reveal_answers")
    if reveal_answers == "after_due" and due_at is None:
        raise ClassError("Set a due date to reveal answers after it.", "due_at")
    if classmates_visible not in CLASSMATES_RULES:
        raise ClassError("Pick whether classmates' highlights are shown.", "classmates_visible")
    if attempts_allowed is not None and attempts_allowed < 1:
        raise ClassError("Allow at least one attempt, or leave empty for no limit.",
                         "attempts_allowed")


def update_assignment(assignment: Assignment, *, title: str | None, due_at: datetime | None,
                      attempts_allowed: int | None, reveal_answers: str,
                      classmates_visible: str) -> Assignment:
    """Change an assignment's rules; its lesson version stays (submissions are tied to it)."""
    _check_rules(due_at, attempts_allowed, reveal_answers, classmates_visible)
    assignment.title = (title or "").strip() or None
    assignment.due_at = due_at
    assignment.attempts_allowed = attempts_allowed
    assignment.reveal_answers = reveal_answers
    assignment.classmates_visible = classmates_visible
    db.session.commit()
    return assignment


def assignment_title(assignment: Assignment) -> str:
    return assignment.title or assignment.lesson_version.title


def classroom_assignments(classroom: Classroom) -> list[Assignment]:
    return list(db.session.scalars(
        select(Assignment).where(Assignment.classroom_id == classroom.id)
        .order_by(Assignment.created_at.desc(), Assignment.id.desc())
    ))


@dataclass
class AssignmentStatus:
    """Where a learner stands on one assignment, for the "My classes" page."""

    assignment: Assignment
    title: str
    state: str  # not started | in progress | submitted
    submitted: int
    attempts_left: int | None
    best_score: float | None
    max_score: float | None
    past_due: bool


@dataclass
class LearnerClass:
    membership: Membership
    classroom: Classroom
    assignments: list[AssignmentStatus]


def learner_classes(learner: Learner | None) -> list[LearnerClass]:
    """The learner's active classes, each with its assignments and the learner's status."""
    if learner is None:
        return []
    memberships = db.session.scalars(
        select(Membership).where(Membership.learner_id == learner.id,
                                 Membership.removed_at.is_(None))
        .order_by(Membership.joined_at.desc())
    )
    result = []
    for membership in memberships:
        statuses = []
        for assignment in classroom_assignments(membership.classroom):
            attempts = list(db.session.scalars(
                select(Attempt).where(Attempt.assignment_id == assignment.id,
                                      Attempt.learner_id == learner.id)
            ))
            done = [a for a in attempts if a.status == "submitted"]
            if done:
                state = "submitted"
            elif attempts:
                state = "in progress"
            else:
                state = "not started"
            workspace = attempts_service.Workspace(assignment.lesson_version, assignment)
            scores = [s for s in (attempts_service.effective_score(a) for a in done)
                      if s is not None]
            statuses.append(AssignmentStatus(
                assignment=assignment, title=assignment_title(assignment), state=state,
                submitted=len(done),
                attempts_left=attempts_service.attempts_left(learner, workspace),
                best_score=max(scores) if scores else None,
                max_score=done[0].max_score if done else None,
                past_due=attempts_service.is_past_due(workspace)))
        result.append(LearnerClass(membership, membership.classroom, statuses))
    return result

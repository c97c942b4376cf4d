"""Helpers shared by the classroom tests (no tests here): accounts, log-in, joining, submissions."""

from __future__ import annotations

from conftest import csrf_from

from webapp.extensions import db
from webapp.models import Annotation, Attempt, Classroom, Learner, Membership, User, utcnow
from webapp.services import accounts, classes
from webapp.services.lessons import lesson_of

PASSWORD = "correct horse battery"  # noqa: S105

COUP = "The recent coup in Russia, which saw the overthrow of President Vladimir Putin’s regime"
SEPARATISTS = "Russian-backed separatist forces in eastern Ukraine"


def make_instructor(app, email="teacher@example.org", name="Ms Teacher") -> int:
    with app.app_context():
        return accounts.create_instructor(email, name, PASSWORD).id


def login(client, email="teacher@example.org", password=PASSWORD):
    token = csrf_from(client.get("/auth/login").get_data(as_text=True))
    return client.post("/auth/login", data={"email": email, "password": password,
                                            "csrf_token": token})


def token(client, url="/classes/") -> str:
    """A CSRF token of this client's session (read from any page's meta tag)."""
    return csrf_from(client.get(url).get_data(as_text=True))


def post(client, url, data=None, **kwargs):
    body = dict(data or {})
    body["csrf_token"] = token(client)
    return client.post(url, data=body, **kwargs)


def make_class(app, owner_id: int, name="Period 3") -> tuple[int, str]:
    with app.app_context():
        room = classes.create_classroom(db.session.get(User, owner_id), name)
        return room.id, room.join_code


def make_assignment(app, owner_id: int, classroom_id: int, lesson_id="russia-coup",
                    **rules) -> int:
    with app.app_context():
        room = db.session.get(Classroom, classroom_id)
        return classes.create_assignment(room, db.session.get(User, owner_id),
                                         lesson_id=lesson_id, **rules).id


def join(client, code: str, name: str):
    return post(client, "/classes/join", {"join_code": code, "display_name": name})


def learner_id_of(app, classroom_id: int, name: str) -> int:
    with app.app_context():
        return db.session.query(Membership).filter_by(classroom_id=classroom_id,
                                                       display_name=name).one().learner_id


def passage_span(app, assignment_id: int, exact: str) -> tuple[int, int]:
    from webapp.models import Assignment

    with app.app_context():
        text = lesson_of(db.session.get(Assignment, assignment_id).lesson_version).article_text
        start = text.index(exact)
        return start, start + len(exact)


def scored_attempt(app, learner_id: int, assignment_id: int,
                   annotations: list[dict], number: int = 1) -> int:
    """A submitted attempt whose automatic scores are given (stands for the scorer's output).

    Each dict: exact, note, auto_item_id, auto_credit, auto_confidence (optional), needs_review.
    """
    from webapp.models import Assignment

    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        lesson = lesson_of(assignment.lesson_version)
        text = lesson.article_text
        attempt = Attempt(learner_id=learner_id, lesson_version_id=assignment.lesson_version_id,
                          assignment_id=assignment_id, number=number, status="submitted",
                          submitted_at=utcnow(), max_score=lesson.max_score)
        db.session.add(attempt)
        best: dict[str, float] = {}
        for spec in annotations:
            start = text.index(spec["exact"])
            db.session.add(Annotation(
                attempt=attempt, exact=spec["exact"], start=start, end=start + len(spec["exact"]),
                note=spec["note"], prompt_id=spec.get("prompt_id"),
                auto_item_id=spec.get("auto_item_id"), auto_credit=spec.get("auto_credit", 0.0),
                auto_confidence=spec.get("auto_confidence", 0.9),
                auto_feedback=spec.get("auto_feedback", "feedback"),
                needs_review=spec.get("needs_review", False)))
            if spec.get("auto_item_id"):
                best[spec["auto_item_id"]] = max(best.get(spec["auto_item_id"], 0.0),
                                                 spec.get("auto_credit", 0.0))
        attempt.item_credits = {i.id: {"credit": best.get(i.id, 0.0), "points": i.points}
                                for i in lesson.rubric}
        attempt.auto_score = sum(i.points * best.get(i.id, 0.0) for i in lesson.rubric)
        db.session.commit()
        return attempt.id


def new_learner(app) -> int:
    with app.app_context():
        learner = Learner()
        db.session.add(learner)
        db.session.commit()
        return learner.id


TURMOIL = ("During times of internal turmoil, a country’s focus often shifts inward, leaving "
           "external conflicts temporarily on the backburner")


SUCCESSOR = "the change in leadership could potentially turn the tide in Ukraine’s favor"
PROMPT_OF = {COUP: "the-event", SEPARATISTS: "the-enemy", TURMOIL: "the-chain",
             SUCCESSOR: "the-chain"}


def submit_work(app, learner_id: int, assignment_id: int, notes: list[tuple[str, str]]) -> int:
    """Annotate and submit through the learner's service, scored by the real scorer."""
    from webapp.services import attempts

    with app.app_context():
        learner = db.session.get(Learner, learner_id)
        workspace = attempts.for_assignment(assignment_id, learner)
        assert workspace is not None, "learner is not a member of the assignment's class"
        text = lesson_of(workspace.version).article_text
        annotation = None
        for exact, note in notes:
            start = text.index(exact)
            annotation = attempts.add_annotation(learner, workspace, attempts.AnnotationInput(
                prompt_id=PROMPT_OF.get(exact, "the-event"), note=note, start=start,
                end=start + len(exact)))
        attempts.submit(annotation.attempt)
        return annotation.attempt_id


def class_with_learners(app, names: list[str], **rules):
    """An instructor, a class, an assignment of russia-coup and members joined by the web form."""
    owner = make_instructor(app)
    room_id, code = make_class(app, owner)
    assignment_id = make_assignment(app, owner, room_id, **rules)
    learners = {}
    for name in names:
        client = app.test_client()
        join(client, code, name)
        learners[name] = (client, learner_id_of(app, room_id, name))
    return owner, room_id, code, assignment_id, learners

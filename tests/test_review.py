"""Instructor review: dashboard, queue, overrides, accepted model answers, re-scoring, export."""

from __future__ import annotations

import json
import re

from test_classroom_support import (
    COUP,
    SEPARATISTS,
    SUCCESSOR,
    TURMOIL,
    class_with_learners,
    join,
    learner_id_of,
    login,
    make_assignment,
    make_class,
    post,
    scored_attempt,
    submit_work,
)

from webapp.extensions import db
from webapp.models import Annotation, Attempt, RubricExtension
from webapp.scoring import score_annotations
from webapp.services.lessons import current_version, lesson_of

RIGHT_COUP = "The coup never happened; Putin is still in power."
RIGHT_SEPARATISTS = "This is a 2014 description; since 2022 Russia's own army fights Ukraine."
# A right answer in words the rubric does not foresee: the scorer gives it nothing until the
# instructor accepts it for the class: an allusion (a successor can be worse), in two wordings.
UNUSUAL = "Stalin followed Lenin, and that went great."
UNUSUAL_TOO = "Stalin came after Lenin and that went great."


def _row(page: str, row_id: str) -> str:
    start = page.index(f'<tr id="{row_id}">')
    return page[start:page.index("</tr>", start)]


def _teacher(app):
    client = app.test_client()
    login(client)
    return client


def test_dashboard_shows_who_submitted_scores_heat_and_wrong_answers(app):
    _, _, _, assignment_id, learners = class_with_learners(app, ["Ann", "Ben", "Cat", "Dan"])
    submit_work(app, learners["Ann"][1], assignment_id,
                [(COUP, RIGHT_COUP), (SEPARATISTS, RIGHT_SEPARATISTS)])
    submit_work(app, learners["Ben"][1], assignment_id, [(COUP, "Grandpa says no")])
    # (a bare "Check the BBC" asks for the event to be checked: the scorer gives it the half a
    # vague doubt earns, so the wrong answer here praises the passage instead)
    submit_work(app, learners["Cat"][1], assignment_id, [(COUP, "Nice opening sentence")])
    teacher = _teacher(app)
    page = teacher.get(f"/teach/assignments/{assignment_id}").get_data(as_text=True)
    assert "3 of 4 submitted" in page
    assert "4 / 11" in page and "0 / 11" in page  # Ann found two 2-point items; Ben none
    assert "not started" in page  # Dan
    # Heat map: a third of the submitters found the coup premise fully, two thirds not at all.
    coup_row = _row(page, "heat-hypothetical-coup")
    assert re.findall(r"(\d+)% ", coup_row) == ["33", "0", "67"]
    separatist_row = _row(page, "heat-outdated-separatist-framing")
    assert re.findall(r"(\d+)% ", separatist_row) == ["33", "0", "67"]
    wrong = page[page.index("Most often wrong"):]
    assert "2×" in wrong and "Grandpa says no" in wrong and "Nice opening sentence" in wrong


def test_override_is_kept_apart_survives_rescore_and_reaches_the_learner(app):
    _, _, _, assignment_id, learners = class_with_learners(app, ["Ann"])
    client, learner_id = learners["Ann"]
    attempt_id = submit_work(app, learner_id, assignment_id, [(COUP, "Grandpa says no")])
    with app.app_context():
        annotation = db.session.query(Annotation).one()
        annotation_id, auto = annotation.id, (annotation.auto_item_id, annotation.auto_credit)
    assert auto == (None, 0.0)
    teacher = _teacher(app)
    view = teacher.get(f"/teach/submissions/{attempt_id}").get_data(as_text=True)
    assert "<mark" in view and "Grandpa says no" in view
    response = post(teacher, f"/teach/annotations/{annotation_id}/override", {
        f"a{annotation_id}-credit": "0.5", f"a{annotation_id}-item_id": "hypothetical-coup",
        f"a{annotation_id}-comment": "Your grandfather is right, but say why: no such coup."})
    assert response.status_code == 302
    with app.app_context():
        annotation = db.session.get(Annotation, annotation_id)
        assert (annotation.manual_credit, annotation.manual_item_id) == (0.5, "hypothetical-coup")
        assert (annotation.auto_item_id, annotation.auto_credit) == auto
        assert annotation.reviewed_by_id is not None
    view = teacher.get(f"/teach/submissions/{attempt_id}").get_data(as_text=True)
    assert "1 / 11" in view and "(automatic: 0)" in view
    # Re-scoring writes only the automatic fields.
    rescored = post(teacher, f"/teach/assignments/{assignment_id}/rescore")
    assert rescored.status_code == 200 and "No submission changed score" in rescored.get_data(
        as_text=True)
    with app.app_context():
        annotation = db.session.get(Annotation, annotation_id)
        assert (annotation.manual_credit, annotation.manual_comment) == (
            0.5, "Your grandfather is right, but say why: no such coup.")
    results = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert "Your grandfather is right, but say why: no such coup." in results
    assert "1 / 11" in client.get("/classes/").get_data(as_text=True)
    gradebook = teacher.get(f"/teach/assignments/{assignment_id}/gradebook.csv")
    assert "Ann,submitted,1,1,11," in gradebook.get_data(as_text=True)
    # "Keep the automatic credit" drops the manual credit but keeps the comment.
    post(teacher, f"/teach/annotations/{annotation_id}/override", {
        f"a{annotation_id}-credit": "", f"a{annotation_id}-item_id": "",
        f"a{annotation_id}-comment": "Say why."})
    with app.app_context():
        annotation = db.session.get(Annotation, annotation_id)
        assert (annotation.manual_credit, annotation.manual_comment) == (None, "Say why.")
    assert "0 / 11" in teacher.get(f"/teach/submissions/{attempt_id}").get_data(as_text=True)


def test_override_refuses_bad_input_and_changes_nothing(app):
    _, _, _, assignment_id, learners = class_with_learners(app, ["Ann"])
    attempt_id = submit_work(app, learners["Ann"][1], assignment_id, [(COUP, RIGHT_COUP)])
    with app.app_context():
        annotation_id = db.session.query(Annotation).one().id
    teacher = _teacher(app)
    url = f"/teach/annotations/{annotation_id}/override"
    for data, message in [
        ({"credit": "0.7", "item_id": "hypothetical-coup"}, "Not a valid choice"),
        ({"credit": "1", "item_id": ""}, "pick which one"),
        ({"credit": "1", "item_id": "made-up-item"}, "Not a valid choice"),
        ({"credit": "0", "item_id": "", "comment": "x" * 2001}, "2000"),
    ]:
        response = post(teacher, url, {f"a{annotation_id}-{k}": v for k, v in data.items()})
        assert response.status_code == 302
        page = teacher.get(response.headers["Location"]).get_data(as_text=True)
        assert message in page, message
    with app.app_context():
        annotation = db.session.get(Annotation, annotation_id)
        assert annotation.manual_credit is None and annotation.reviewed_at is None
    assert teacher.post(url, data={f"a{annotation_id}-credit": "0"}).status_code == 400  # no CSRF
    assert attempt_id


def test_queue_puts_flagged_then_least_confident_first(app):
    owner, room_id, _, assignment_id, learners = class_with_learners(app, ["Ann", "Ben"])
    scored_attempt(app, learners["Ann"][1], assignment_id, [
        {"exact": COUP, "note": "note-sure", "auto_confidence": 0.95},
        {"exact": SEPARATISTS, "note": "note-unsure", "auto_confidence": 0.3},
    ])
    scored_attempt(app, learners["Ben"][1], assignment_id, [
        {"exact": COUP, "note": "note-flagged", "auto_confidence": 0.8, "needs_review": True},
        {"exact": TURMOIL, "note": "note-middling", "auto_confidence": 0.5},
    ])
    teacher = _teacher(app)
    page = teacher.get(f"/teach/assignments/{assignment_id}/queue").get_data(as_text=True)
    order = [page.index(f">{n}</td>") for n in ("note-flagged", "note-unsure", "note-middling")]
    assert order == sorted(order) and "note-sure" not in page
    assert "Review queue (3 doubtful)" in teacher.get(
        f"/teach/assignments/{assignment_id}").get_data(as_text=True)
    with app.app_context():
        flagged = db.session.query(Annotation).filter_by(note="note-flagged").one().id
    post(teacher, f"/teach/annotations/{flagged}/override", {
        f"a{flagged}-credit": "", f"a{flagged}-item_id": "", f"a{flagged}-comment": ""})
    page = teacher.get(f"/teach/assignments/{assignment_id}/queue").get_data(as_text=True)
    assert "note-flagged" not in page and "note-unsure" in page


def test_accept_as_model_answer_rescores_the_class_only(app):
    owner, room_id, _, assignment_id, learners = class_with_learners(app, ["Ann", "Ben"])
    ann_attempt = submit_work(app, learners["Ann"][1], assignment_id, [(SUCCESSOR, UNUSUAL)])
    submit_work(app, learners["Ben"][1], assignment_id, [(SUCCESSOR, UNUSUAL_TOO)])
    # The same words in another class of the same instructor are not touched.
    other_room, other_code = make_class(app, owner, "Period 5")
    other_assignment = make_assignment(app, owner, other_room)
    outsider = app.test_client()
    join(outsider, other_code, "Zed")
    zed_attempt = submit_work(app, learner_id_of(app, other_room, "Zed"), other_assignment,
                              [(SUCCESSOR, UNUSUAL)])
    with app.app_context():
        scores = {a.id: a.auto_score for a in db.session.query(Attempt)}
        annotation_id = db.session.query(Annotation).filter_by(attempt_id=ann_attempt).one().id
    assert set(scores.values()) == {0.0}, "the scorer credits these notes on its own now: " \
        "choose other unusual phrasings for this test"
    teacher = _teacher(app)
    response = post(teacher, f"/teach/annotations/{annotation_id}/accept",
                    {f"m{annotation_id}-item_id": "successor-unknown"})
    assert response.status_code == 200
    summary = response.get_data(as_text=True)
    assert "2 submissions changed score" in summary
    assert "Ann" in summary and "Ben" in summary and "+1" in summary
    with app.app_context():
        extension = db.session.query(RubricExtension).one()
        assert (extension.classroom_id, extension.item_id, extension.phrasing) == (
            room_id, "successor-unknown", UNUSUAL)
        assert db.session.get(Attempt, ann_attempt).auto_score == 1.0
        assert db.session.get(Attempt, zed_attempt).auto_score == 0.0
    page = teacher.get(f"/teach/classes/{room_id}").get_data(as_text=True)
    assert "Accepted model answers" in page and UNUSUAL in page
    # Accepting the same explanation again adds nothing and changes no score.
    again = post(teacher, f"/teach/annotations/{annotation_id}/accept",
                 {f"m{annotation_id}-item_id": "successor-unknown"})
    assert "No submission changed score" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(RubricExtension).count() == 1
    # Future submissions in the class are scored with it too.
    late = app.test_client()
    with app.app_context():
        from webapp.models import Classroom

        code = db.session.get(Classroom, room_id).join_code
    join(late, code, "Late")
    late_attempt = submit_work(app, learner_id_of(app, room_id, "Late"), assignment_id,
                               [(SUCCESSOR, UNUSUAL_TOO)])
    with app.app_context():
        assert db.session.get(Attempt, late_attempt).auto_score == 1.0


def test_accept_needs_an_item(app):
    _, _, _, assignment_id, learners = class_with_learners(app, ["Ann"])
    submit_work(app, learners["Ann"][1], assignment_id, [(COUP, "Grandpa says no")])
    with app.app_context():
        annotation_id = db.session.query(Annotation).one().id
    teacher = _teacher(app)
    response = post(teacher, f"/teach/annotations/{annotation_id}/accept",
                    {f"m{annotation_id}-item_id": ""})
    assert response.status_code == 302
    assert "Pick the rubric item" in teacher.get(response.headers["Location"]).get_data(
        as_text=True)
    with app.app_context():
        assert db.session.query(RubricExtension).count() == 0


def test_w3c_export_of_an_assignment_scores_like_the_app(app):
    _, _, _, assignment_id, learners = class_with_learners(app, ["Ann", "Ben"])
    ann = submit_work(app, learners["Ann"][1], assignment_id,
                      [(COUP, RIGHT_COUP), (SEPARATISTS, RIGHT_SEPARATISTS)])
    submit_work(app, learners["Ben"][1], assignment_id, [(COUP, "<script>alert(1)</script>")])
    teacher = _teacher(app)
    response = teacher.get(f"/teach/assignments/{assignment_id}/annotations.json")
    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["type"] == "AnnotationCollection" and data["total"] == 3
    names = sorted(item["creator"]["name"] for item in data["items"])
    assert names == ["Ann", "Ann", "Ben"]
    first = data["items"][0]
    assert first["@context"] == "http://www.w3.org/ns/anno.jsonld"
    kinds = {s["type"] for s in first["target"]["selector"]}
    assert kinds == {"TextQuoteSelector", "TextPositionSelector"}
    with app.app_context():
        lesson = lesson_of(current_version("russia-coup"))
        ann_items = [i for i in data["items"] if i["creator"]["name"] == "Ann"]
        assert score_annotations(lesson, ann_items).score == db.session.get(
            Attempt, ann).auto_score == 4.0


def test_submission_view_escapes_learner_text(app):
    _, _, _, assignment_id, learners = class_with_learners(app, ["<img src=x onerror=alert(1)>"])
    name = "<img src=x onerror=alert(1)>"
    attempt_id = submit_work(app, learners[name][1], assignment_id,
                             [(COUP, "<script>alert('x')</script>")])
    teacher = _teacher(app)
    page = teacher.get(f"/teach/submissions/{attempt_id}").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "<img src=x" not in page
    dashboard = teacher.get(f"/teach/assignments/{assignment_id}").get_data(as_text=True)
    assert "<img src=x" not in dashboard and "&lt;img src=x" in dashboard


def test_highlighted_article_splits_overlapping_highlights():
    from types import SimpleNamespace

    from webapp.services.review import highlighted_article

    text = "Heading one\n\nAlpha beta gamma delta.\n\nEpsilon zeta."
    first = SimpleNamespace(start=text.index("beta"), end=text.index("delta") + 5)
    second = SimpleNamespace(start=text.index("gamma"), end=text.index("zeta") + 4)
    outside = SimpleNamespace(start=5, end=500)  # not inside the text: ignored
    views = highlighted_article(text, [first, second, outside])
    assert [v.is_heading for v in views] == [True, False, False]
    assert [(s.text, s.numbers) for s in views[0].segments] == [("Heading one", [])]
    assert [(s.text, s.numbers) for s in views[1].segments] == [
        ("Alpha ", []), ("beta ", [1]), ("gamma delta", [1, 2]), (".", [2])]
    assert [(s.text, s.numbers) for s in views[2].segments] == [("Epsilon zeta", [2]), (".", [])]

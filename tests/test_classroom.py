"""Classes: creating, join codes, joining and rejoining, removing learners, assignments."""

from __future__ import annotations

import re

from test_classroom_support import (
    COUP,
    join,
    learner_id_of,
    login,
    make_assignment,
    make_class,
    make_instructor,
    post,
    scored_attempt,
)

from webapp.extensions import db
from webapp.models import Assignment, Attempt, Classroom, Membership
from webapp.services import classes


def test_create_class_gets_an_unambiguous_join_code(app, client):
    make_instructor(app)
    login(client)
    response = post(client, "/teach/classes/new", {"name": "Period 3 <b>"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Period 3 &lt;b&gt;" in page
    with app.app_context():
        room = db.session.query(Classroom).one()
        assert re.fullmatch(f"[{classes.CODE_ALPHABET}]{{6}}", room.join_code)
        assert not set(room.join_code) & set("01OIL")
        assert classes.format_code(room.join_code) in page
    assert "Period 3 &lt;b&gt;" in client.get("/teach/").get_data(as_text=True)


def test_empty_class_name_is_refused(app, client):
    make_instructor(app)
    login(client)
    response = post(client, "/teach/classes/new", {"name": "  "})
    assert response.status_code == 400
    assert "This field is required" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Classroom).count() == 0


def test_join_with_code_and_name_then_my_classes_lists_assignments(app, client):
    owner = make_instructor(app)
    room_id, code = make_class(app, owner)
    assignment_id = make_assignment(app, owner, room_id, title="Coup essay", attempts_allowed=2)
    learner = app.test_client()
    typed = f"{code[:3].lower()}-{code[3:].lower()}"  # as read from a projector
    response = join(learner, typed, "  Sam   Lee ")
    assert response.status_code == 302
    page = learner.get("/classes/").get_data(as_text=True)
    assert "Period 3" in page and "Sam Lee" in page
    assert f'href="/assignments/{assignment_id}"' in page and "Coup essay" in page
    assert "not started" in page and "2 attempts allowed" in page
    with app.app_context():
        membership = db.session.query(Membership).one()
        assert membership.display_name == "Sam Lee"
        assert re.fullmatch(f"[{classes.CODE_ALPHABET}]{{8}}", membership.rejoin_code)
        assert membership.rejoin_code in page  # shown so the learner can come back
    assert learner.get(f"/assignments/{assignment_id}").status_code == 200


def test_join_errors_name_the_field(app, client):
    owner = make_instructor(app)
    _, code = make_class(app, owner)
    wrong = join(client, "ZZZZZZ", "Sam")
    assert wrong.status_code == 400
    assert "No class has this code" in wrong.get_data(as_text=True)
    empty = join(client, code, "")
    assert empty.status_code == 400
    assert "Choose the name your instructor will see" in empty.get_data(as_text=True)
    assert join(client, code, "Sam").status_code == 302
    other = app.test_client()
    taken = join(other, code, "sam")
    assert taken.status_code == 400
    assert "already uses that name" in taken.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Membership).count() == 1


def test_joining_twice_keeps_one_membership(app, client):
    owner = make_instructor(app)
    _, code = make_class(app, owner)
    join(client, code, "Sam")
    join(client, code, "Samuel")
    with app.app_context():
        assert [m.display_name for m in db.session.query(Membership)] == ["Sam"]


def test_rejoin_from_another_browser(app, client):
    owner = make_instructor(app)
    room_id, code = make_class(app, owner)
    assignment_id = make_assignment(app, owner, room_id)
    join(client, code, "Sam")
    with app.app_context():
        rejoin_code = db.session.query(Membership).one().rejoin_code
    other = app.test_client()
    assert other.get(f"/assignments/{assignment_id}").status_code == 404
    bad = post(other, "/classes/rejoin", {"re-join_code": code, "re-rejoin_code": "AAAAAAAA"})
    assert bad.status_code == 400 and "do not match" in bad.get_data(as_text=True)
    good = post(other, "/classes/rejoin", {"re-join_code": code,
                                          "re-rejoin_code": rejoin_code.lower()})
    assert good.status_code == 302
    assert "Sam" in other.get("/classes/").get_data(as_text=True)
    assert other.get(f"/assignments/{assignment_id}").status_code == 200


def test_regenerated_code_replaces_the_old_one(app, client):
    owner = make_instructor(app)
    room_id, old_code = make_class(app, owner)
    member = app.test_client()
    join(member, old_code, "Early")
    login(client)
    assert post(client, f"/teach/classes/{room_id}/join-code").status_code == 302
    with app.app_context():
        new_code = db.session.get(Classroom, room_id).join_code
    assert new_code != old_code
    late = app.test_client()
    assert join(late, old_code, "Late").status_code == 400
    assert join(late, new_code, "Late").status_code == 302
    assert "Period 3" in member.get("/classes/").get_data(as_text=True)  # still a member


def test_removed_learner_loses_access_and_cannot_rejoin(app, client):
    owner = make_instructor(app)
    room_id, code = make_class(app, owner)
    assignment_id = make_assignment(app, owner, room_id)
    learner = app.test_client()
    join(learner, code, "Sam")
    with app.app_context():
        membership_id = db.session.query(Membership).one().id
    login(client)
    response = post(client, f"/teach/classes/{room_id}/members/{membership_id}/remove")
    assert response.status_code == 302
    page = client.get(f"/teach/classes/{room_id}").get_data(as_text=True)
    assert "Removed learners (1)" in page and "Sam was removed from the class." in page
    assert learner.get(f"/assignments/{assignment_id}").status_code == 404
    assert "Period 3" not in learner.get("/classes/").get_data(as_text=True)
    again = join(learner, code, "Sam")
    assert again.status_code == 400 and "removed you" in again.get_data(as_text=True)
    post(client, f"/teach/classes/{room_id}/members/{membership_id}/restore")
    page = client.get(f"/teach/classes/{room_id}").get_data(as_text=True)
    assert "Sam is back in the class." in page
    assert learner.get(f"/assignments/{assignment_id}").status_code == 200


def test_remove_member_of_another_class_is_404(app, client):
    owner = make_instructor(app)
    room_a, _ = make_class(app, owner, "A")
    _, code_b = make_class(app, owner, "B")
    join(app.test_client(), code_b, "Sam")
    with app.app_context():
        membership_id = db.session.query(Membership).one().id
    login(client)
    assert post(client, f"/teach/classes/{room_a}/members/{membership_id}/remove"
                ).status_code == 404


def test_create_assignment_from_the_library(app, client):
    owner = make_instructor(app)
    room_id, _ = make_class(app, owner)
    login(client)
    form = client.get(f"/teach/classes/{room_id}/assignments/new").get_data(as_text=True)
    assert 'value="russia-coup"' in form
    response = post(client, f"/teach/classes/{room_id}/assignments/new", {
        "lesson_id": "russia-coup", "title": "", "due_at": "2030-05-01T09:30",
        "attempts_allowed": "3", "reveal_answers": "after_due", "classmates_visible": "never"})
    assert response.status_code == 302
    with app.app_context():
        assignment = db.session.query(Assignment).one()
        assert assignment.lesson_version.lesson_id == "russia-coup"
        assert assignment.due_at.isoformat() == "2030-05-01T09:30:00"
        assert (assignment.attempts_allowed, assignment.reveal_answers,
                assignment.classmates_visible) == (3, "after_due", "never")
    review = client.get(response.headers["Location"])
    assert review.status_code == 200 and "0 of 0 submitted" in review.get_data(as_text=True)
    # The lesson's teacher note is there for the instructor, its Markdown paragraphs rendered.
    assert "Teacher&#39;s note for this lesson" in review.get_data(as_text=True) or \
        "Teacher's note for this lesson" in review.get_data(as_text=True)
    assert "<p>This text reads like ordinary strategic commentary" in review.get_data(as_text=True)


def test_assignment_form_errors(app, client):
    owner = make_instructor(app)
    room_id, _ = make_class(app, owner)
    login(client)
    unknown = post(client, f"/teach/classes/{room_id}/assignments/new", {
        "lesson_id": "no-such-lesson", "reveal_answers": "after_submit",
        "classmates_visible": "after_submit"})
    assert unknown.status_code == 400 and "Not a valid choice" in unknown.get_data(as_text=True)
    no_due = post(client, f"/teach/classes/{room_id}/assignments/new", {
        "lesson_id": "russia-coup", "reveal_answers": "after_due",
        "classmates_visible": "after_submit"})
    assert no_due.status_code == 400
    assert "Set a due date" in no_due.get_data(as_text=True)
    zero = post(client, f"/teach/classes/{room_id}/assignments/new", {
        "lesson_id": "russia-coup", "attempts_allowed": "0", "reveal_answers": "never",
        "classmates_visible": "never"})
    assert zero.status_code == 400
    with app.app_context():
        assert db.session.query(Assignment).count() == 0


def test_self_study_stays_out_of_the_class(app, client):
    owner = make_instructor(app)
    room_id, code = make_class(app, owner)
    assignment_id = make_assignment(app, owner, room_id)
    join(client, code, "Sam")
    learner_id = learner_id_of(app, room_id, "Sam")
    with app.app_context():
        version_id = db.session.get(Assignment, assignment_id).lesson_version_id
        db.session.add(Attempt(learner_id=learner_id, lesson_version_id=version_id,
                               status="submitted", auto_score=7, max_score=11))
        db.session.commit()
    scored_attempt(app, learner_id, assignment_id, [
        {"exact": COUP, "note": "n", "auto_item_id": "hypothetical-coup", "auto_credit": 0.5}])
    teacher = app.test_client()
    login(teacher)
    page = teacher.get(f"/teach/assignments/{assignment_id}").get_data(as_text=True)
    assert "1 / 11" in page and "7 / 11" not in page
    my = client.get("/classes/").get_data(as_text=True)
    assert "1 / 11" in my and "submitted" in my


def test_other_instructor_cannot_see_or_change_my_class(app):
    owner = make_instructor(app)
    make_instructor(app, email="other@example.org", name="Other")
    room_id, code = make_class(app, owner)
    other = app.test_client()
    login(other, email="other@example.org")
    assert other.get(f"/teach/classes/{room_id}").status_code == 404
    assert post(other, f"/teach/classes/{room_id}/join-code").status_code == 404
    assert "Period 3" not in other.get("/teach/").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Classroom, room_id).join_code == code


def test_edit_assignment_rules_keeps_the_lesson_version(app, client):
    owner = make_instructor(app)
    room_id, _ = make_class(app, owner)
    assignment_id = make_assignment(app, owner, room_id, title="Coup", attempts_allowed=1)
    login(client)
    form = client.get(f"/teach/assignments/{assignment_id}/edit").get_data(as_text=True)
    assert 'value="Coup"' in form and 'name="lesson_id"' not in form
    bad = post(client, f"/teach/assignments/{assignment_id}/edit", {
        "title": "Coup", "reveal_answers": "after_due", "classmates_visible": "never"})
    assert bad.status_code == 400 and "Set a due date" in bad.get_data(as_text=True)
    ok = post(client, f"/teach/assignments/{assignment_id}/edit", {
        "title": "Coup, second go", "due_at": "2031-01-02T08:00", "attempts_allowed": "",
        "reveal_answers": "after_due", "classmates_visible": "never"})
    assert ok.status_code == 302
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        assert (assignment.title, assignment.attempts_allowed, assignment.reveal_answers,
                assignment.classmates_visible) == ("Coup, second go", None, "after_due", "never")
        assert assignment.due_at.isoformat() == "2031-01-02T08:00:00"
        assert assignment.lesson_version.lesson_id == "russia-coup"

"""Instructor area: classes, members, assignments, review, overrides and exports.

Every view is for instructors only (``instructor_required``) and looks its object up through the
``owned_*_or_404`` helpers, so another instructor's class is a 404.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ..services import classes, gradebook, review
from ..services.lessons import lesson_of
from ..services.permissions import (
    instructor_required,
    owned_annotation_or_404,
    owned_assignment_or_404,
    owned_attempt_or_404,
    owned_classroom_or_404,
)
from .forms import (
    AcceptForm,
    ActionForm,
    AssignmentForm,
    AssignmentRulesForm,
    ClassForm,
    OverrideForm,
)

bp = Blueprint("instructor", __name__, url_prefix="/teach")


def _me():
    return current_user._get_current_object()


def _item_choices(lesson, none_label: str) -> list[SelectChoice]:
    return [SelectChoice("", none_label)] + [SelectChoice(item.id, item.title)
                                             for item in lesson.rubric]


def _flash_form_errors(form) -> None:
    for name, errors in form.errors.items():
        label = getattr(form, name).label.text if hasattr(form, name) else name
        for error in errors:
            flash(f"{label}: {error}", "error")


def _rules(form) -> dict:
    """An assignment's title, due date, attempts and visibility rules, as the forms hold them."""
    return {"title": form.title.data, "due_at": form.due_at.data,
            "attempts_allowed": form.attempts_allowed.data,
            "reveal_answers": form.reveal_answers.data,
            "classmates_visible": form.classmates_visible.data}


def _change_member(classroom_id: int, membership_id: int, change, message: str, category: str):
    """Remove or restore a member of an owned class, then back to the class page."""
    room = owned_classroom_or_404(classroom_id)
    try:
        membership = change(room, membership_id)
    except LookupError:
        abort(404, description="No such member in this class.")
    flash(message.format(name=membership.display_name), category)
    return redirect(url_for(".classroom", classroom_id=room.id))


def _download(body: str, filename: str, mimetype: str) -> Response:
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store"})


# --- classes -----------------------------------------------------------------------------------

@bp.route("/")
@instructor_required
def dashboard():
    """My classes, with their join codes, member counts and assignments."""
    mine = classes.instructor_classrooms(_me())
    return render_template("instructor/dashboard.html", classrooms=mine,
                           counts=classes.member_counts(mine), form=ClassForm(),
                           format_code=classes.format_code)


@bp.route("/classes/new", methods=["GET", "POST"])
@instructor_required
def new_class():
    """Create a class; it gets a join code at once."""
    form = ClassForm()
    if form.validate_on_submit():
        try:
            classroom = classes.create_classroom(_me(), form.name.data)
        except classes.ClassError as error:
            form.name.errors.append(str(error))
        else:
            flash(f"Class created. Learners join with code "
                  f"{classes.format_code(classroom.join_code)}.", "success")
            return redirect(url_for(".classroom", classroom_id=classroom.id))
    return render_template("instructor/class_new.html", form=form), 400 if form.errors else 200


@bp.route("/classes/<int:classroom_id>")
@instructor_required
def classroom(classroom_id: int):
    """One class: join code, members, assignments and accepted model answers."""
    room = owned_classroom_or_404(classroom_id)
    assignments = classes.classroom_assignments(room)
    extensions = {a.lesson_version.lesson_id: review.rubric_extensions(room,
                                                                        a.lesson_version.lesson_id)
                  for a in assignments}
    return render_template(
        "instructor/classroom.html", classroom=room, members=classes.active_members(room),
        removed=classes.removed_members(room), assignments=assignments, extensions=extensions,
        action=ActionForm(), rename=ClassForm(obj=room), format_code=classes.format_code,
        title_of=classes.assignment_title, lesson_of=lesson_of)


@bp.route("/classes/<int:classroom_id>/rename", methods=["POST"])
@instructor_required
def rename_class(classroom_id: int):
    """Rename a class."""
    room = owned_classroom_or_404(classroom_id)
    form = ClassForm()
    if form.validate_on_submit():
        classes.rename_classroom(room, form.name.data)
        flash("Class renamed.", "success")
    else:
        _flash_form_errors(form)
    return redirect(url_for(".classroom", classroom_id=room.id))


@bp.route("/classes/<int:classroom_id>/join-code", methods=["POST"])
@instructor_required
def regenerate_code(classroom_id: int):
    """Replace the join code (the old one stops working; members stay)."""
    room = owned_classroom_or_404(classroom_id)
    code = classes.regenerate_join_code(room)
    flash(f"New join code: {classes.format_code(code)}. The old code no longer works.", "success")
    return redirect(url_for(".classroom", classroom_id=room.id))


@bp.route("/classes/<int:classroom_id>/members/<int:membership_id>/remove", methods=["POST"])
@instructor_required
def remove_member(classroom_id: int, membership_id: int):
    """Remove a learner from the class (their past submissions are kept)."""
    return _change_member(classroom_id, membership_id, classes.remove_member,
                          "{name} was removed from the class.", "info")


@bp.route("/classes/<int:classroom_id>/members/<int:membership_id>/restore", methods=["POST"])
@instructor_required
def restore_member(classroom_id: int, membership_id: int):
    """Take a removed learner back into the class."""
    return _change_member(classroom_id, membership_id, classes.restore_member,
                          "{name} is back in the class.", "success")


@bp.route("/classes/<int:classroom_id>/assignments/new", methods=["GET", "POST"])
@instructor_required
def new_assignment(classroom_id: int):
    """Give a lesson from the library to the class, with its rules."""
    room = owned_classroom_or_404(classroom_id)
    form = AssignmentForm()
    form.lesson_id.choices = [SelectChoice("", "Choose a lesson…")] + [
        SelectChoice(v.lesson_id, v.title) for v in classes.assignable_versions(_me())]
    if form.validate_on_submit():
        try:
            assignment = classes.create_assignment(
                room, _me(), lesson_id=form.lesson_id.data, **_rules(form))
        except classes.ClassError as error:
            getattr(form, error.field or "lesson_id").errors.append(str(error))
        else:
            flash("Assignment created. Learners see it in “My classes”.", "success")
            return redirect(url_for(".assignment", assignment_id=assignment.id))
    status = 400 if form.errors else 200
    return render_template("instructor/assignment_new.html", form=form, classroom=room), status


@bp.route("/classes/<int:classroom_id>/extensions/<int:extension_id>/delete", methods=["POST"])
@instructor_required
def delete_extension(classroom_id: int, extension_id: int):
    """Withdraw an accepted model answer; submissions keep their scores until re-scored."""
    room = owned_classroom_or_404(classroom_id)
    try:
        review.remove_extension(room, extension_id)
    except LookupError:
        abort(404, description="No such accepted answer in this class.")
    flash("Accepted answer withdrawn. Re-score an assignment to apply the change.", "info")
    return redirect(url_for(".classroom", classroom_id=room.id))


@bp.route("/classes/<int:classroom_id>/gradebook.csv")
@instructor_required
def classroom_gradebook(classroom_id: int):
    """The class gradebook: one row a learner, one column per assignment."""
    room = owned_classroom_or_404(classroom_id)
    return _download(gradebook.classroom_csv(room),
                     gradebook.csv_filename(room.name, "gradebook"), "text/csv")


# --- assignments and review --------------------------------------------------------------------

@bp.route("/assignments/<int:assignment_id>")
@instructor_required
def assignment(assignment_id: int):
    """Review dashboard: who submitted, scores, per-item heat map, most frequent wrong answers."""
    item = owned_assignment_or_404(assignment_id)
    return render_template("instructor/assignment.html", overview=review.assignment_overview(item),
                           assignment=item, title=classes.assignment_title(item),
                           action=ActionForm(), level=review.credit_level,
                           reveal_rules=classes.REVEAL_RULES,
                           classmates_rules=classes.CLASSMATES_RULES)


@bp.route("/assignments/<int:assignment_id>/edit", methods=["GET", "POST"])
@instructor_required
def edit_assignment(assignment_id: int):
    """Change an assignment's title, due date, attempts and visibility rules."""
    item = owned_assignment_or_404(assignment_id)
    form = AssignmentRulesForm(obj=item)
    if form.validate_on_submit():
        try:
            classes.update_assignment(item, **_rules(form))
        except classes.ClassError as error:
            getattr(form, error.field or "title").errors.append(str(error))
        else:
            flash("Assignment updated.", "success")
            return redirect(url_for(".assignment", assignment_id=item.id))
    status = 400 if form.errors else 200
    return render_template("instructor/assignment_edit.html", form=form, assignment=item,
                           title=classes.assignment_title(item)), status


@bp.route("/assignments/<int:assignment_id>/queue")
@instructor_required
def queue(assignment_id: int):
    """Doubtful automatic scores to review first: flagged, then least confident."""
    item = owned_assignment_or_404(assignment_id)
    return render_template("instructor/queue.html", assignment=item,
                           title=classes.assignment_title(item),
                           entries=review.review_queue(item), lesson=lesson_of(item.lesson_version),
                           level=review.credit_level)


@bp.route("/assignments/<int:assignment_id>/rescore", methods=["POST"])
@instructor_required
def rescore(assignment_id: int):
    """Re-score every submission with the class's accepted answers; show whose scores changed."""
    item = owned_assignment_or_404(assignment_id)
    changes = review.rescore_assignment(item)
    return render_template("instructor/rescore.html", assignment=item,
                           title=classes.assignment_title(item), changes=changes, accepted=None)


@bp.route("/assignments/<int:assignment_id>/gradebook.csv")
@instructor_required
def assignment_gradebook(assignment_id: int):
    """The assignment's per-item sheet as CSV."""
    item = owned_assignment_or_404(assignment_id)
    return _download(gradebook.assignment_csv(item),
                     gradebook.csv_filename(item.classroom.name, classes.assignment_title(item)),
                     "text/csv")


@bp.route("/assignments/<int:assignment_id>/annotations.json")
@instructor_required
def assignment_annotations(assignment_id: int):
    """Every submitted annotation of the assignment as W3C Web Annotation JSON."""
    item = owned_assignment_or_404(assignment_id)
    body = json.dumps(review.assignment_w3c_export(item), ensure_ascii=False, indent=1)
    name = gradebook.csv_filename(item.classroom.name, classes.assignment_title(item),
                                  "annotations")[:-4] + ".jsonld"
    return _download(body, name, "application/ld+json")


@bp.route("/submissions/<int:attempt_id>")
@instructor_required
def submission(attempt_id: int):
    """One learner's attempt: the text with their highlights and each annotation's score."""
    attempt = owned_attempt_or_404(attempt_id)
    lesson = lesson_of(attempt.lesson_version)
    overrides, accepts = {}, {}
    for annotation in attempt.annotations:
        form = OverrideForm(prefix=f"a{annotation.id}", formdata=None, data={
            "credit": "" if annotation.manual_credit is None else f"{annotation.manual_credit:g}",
            "item_id": annotation.manual_item_id or annotation.auto_item_id or "",
            "comment": annotation.manual_comment or ""})
        form.item_id.choices = _item_choices(lesson, "No rubric item")
        overrides[annotation.id] = form
        accept = AcceptForm(prefix=f"m{annotation.id}", formdata=None,
                            data={"item_id": annotation.effective_item_id or ""})
        accept.item_id.choices = _item_choices(lesson, "Choose an item…")
        accepts[annotation.id] = accept
    membership = review.membership_of(attempt)
    siblings = [a for a in review.learner_attempts(attempt) if a.id != attempt.id]
    return render_template(
        "instructor/submission.html", attempt=attempt, lesson=lesson,
        assignment=attempt.assignment, title=classes.assignment_title(attempt.assignment),
        name=membership.display_name if membership else "(left the class)",
        paragraphs=review.highlighted_article(lesson.article_text, attempt.annotations),
        overrides=overrides, accepts=accepts, score=review.effective_score(attempt),
        level=review.credit_level, doubtful=review.is_doubtful, siblings=siblings)


@bp.route("/annotations/<int:annotation_id>/override", methods=["POST"])
@instructor_required
def override(annotation_id: int):
    """Set or clear the manual credit and item of an annotation, with a comment."""
    annotation = owned_annotation_or_404(annotation_id)
    lesson = lesson_of(annotation.attempt.lesson_version)
    form = OverrideForm(prefix=f"a{annotation.id}")
    form.item_id.choices = _item_choices(lesson, "No rubric item")
    target = url_for(".submission", attempt_id=annotation.attempt_id,
                     _anchor=f"annotation-{annotation.id}")
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return redirect(target)
    credit = float(form.credit.data) if form.credit.data else None
    try:
        review.override_annotation(annotation, _me(), credit=credit,
                                   item_id=form.item_id.data or None, comment=form.comment.data)
    except review.ReviewError as error:
        flash(str(error), "error")
    else:
        flash("Decision saved." if credit is not None else "Automatic credit kept; saved.",
              "success")
    return redirect(target)


@bp.route("/annotations/<int:annotation_id>/accept", methods=["POST"])
@instructor_required
def accept(annotation_id: int):
    """Accept the explanation as a model answer for the class, then re-score the assignment."""
    annotation = owned_annotation_or_404(annotation_id)
    lesson = lesson_of(annotation.attempt.lesson_version)
    form = AcceptForm(prefix=f"m{annotation.id}")
    form.item_id.choices = _item_choices(lesson, "Choose an item…")
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return redirect(url_for(".submission", attempt_id=annotation.attempt_id))
    try:
        extension = review.accept_as_model_answer(annotation, _me(), form.item_id.data or None)
    except review.ReviewError as error:
        flash(str(error), "error")
        return redirect(url_for(".submission", attempt_id=annotation.attempt_id,
                                _anchor=f"annotation-{annotation.id}"))
    item = annotation.attempt.assignment
    changes = review.rescore_assignment(item)
    return render_template("instructor/rescore.html", assignment=item,
                           title=classes.assignment_title(item), changes=changes,
                           accepted=extension, accepted_item=lesson.item(extension.item_id))

"""Authoring views: lesson editor (form and YAML), preview, try the rubric, share, export, import.

Every view here is for instructors, and a lesson is visible only to its author: anyone else gets
404, whether or not the lesson exists (its existence is not revealed).
"""

from __future__ import annotations

from types import SimpleNamespace

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from jinja2 import TemplateNotFound
from wtforms.fields.choices import SelectChoice

from ..content import LessonError, article_paragraphs
from ..extensions import login_manager
from ..models import LessonVersion
from ..services import authoring
from ..services.lessons import lesson_of, public_versions
from .forms import (
    ImportForm,
    LessonForm,
    ShareForm,
    TryForm,
    YamlForm,
    blank_entry,
    errors_by_field,
    field_title,
    find_list,
    form_data,
    input_names,
    lesson_document_from_form,
)

bp = Blueprint("authoring", __name__, url_prefix="/author")

INVALID = 422  # the submission was understood but the lesson it describes is not valid


@bp.before_request
def instructors_only():
    """Anonymous visitors go to the login page; signed-in accounts that do not teach get 403."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.is_instructor:
        abort(403, description="Writing lessons is for instructors.")
    return None


def _owned_or_404(lesson_id: str) -> LessonVersion:
    version = authoring.owned_version(lesson_id, current_user)
    if version is None:
        abort(404, description="No such lesson among the ones you wrote.")
    return version


def _lessons_dir() -> str:
    return current_app.config["LESSONS_DIR"]


def _max_bytes() -> int:
    return int(current_app.config["LESSON_FILE_MAX_BYTES"])


@bp.get("/")
def index():
    """The lessons the instructor wrote, with their actions."""
    return render_template("authoring/index.html",
                           versions=authoring.authored_lessons(current_user),
                           library=public_versions())


# ----------------------------------------------------------------------------- the form editor

def _apply_list_action(form: LessonForm, action: str) -> bool:
    """Add or remove an entry of a list (the no-JavaScript path); False if the action is unknown."""
    verb, _, target = action.partition(":")
    if verb == "add":
        field_list = find_list(form, target)
        if field_list is None:
            return False
        if field_list.max_entries and len(field_list.entries) >= field_list.max_entries:
            flash(f"At most {field_list.max_entries} entries here.", "error")
        else:
            field_list.append_entry()
        return True
    if verb == "remove":
        list_name, _, _index = target.rpartition("-")
        field_list = find_list(form, list_name)
        if field_list is None:
            return False
        field_list.entries = [e for e in field_list.entries if e.name != target]
        return True
    return False


def _editor(form: LessonForm, version: LessonVersion | None, *, errors=None, status: int = 200):
    return render_template("authoring/edit.html", form=form, version=version,
                           errors=errors or {}, blank_entry=blank_entry,
                           history=authoring.version_history(version.lesson_id) if version else [],
                           inputs=input_names(form) if errors else set(),
                           field_title=field_title), status


def _store(lesson, version: LessonVersion | None) -> LessonVersion:
    """Save a valid lesson as a new lesson or the next version, and say what happened.

    Raises :class:`authoring.AuthoringError` when the id may not be used.
    """
    if version is None:
        saved = authoring.create_lesson(lesson, current_user, lessons_dir=_lessons_dir())
        flash(f"Lesson “{saved.title}” saved (version 1). It is private until you share it.",
              "success")
        return saved
    result = authoring.update_lesson(version.lesson_id, lesson, current_user)
    number = result.version.version
    flash(f"Saved as version {number}. Work already done on earlier versions stays with them."
          if result.created else f"No changes to save: still version {number}.", "success")
    return result.version


def _save_from_form(form: LessonForm, version: LessonVersion | None):
    lesson_id = version.lesson_id if version else None
    document, names = lesson_document_from_form(form, lesson_id=lesson_id)
    lesson, problems = authoring.parse_inline(authoring.dump_yaml(document),
                                              file_name="the lesson", max_bytes=_max_bytes())
    if lesson is not None:
        try:
            saved = _store(lesson, version)
            return redirect(url_for(".edit", lesson_id=saved.lesson_id))
        except authoring.AuthoringError as exc:
            problems = exc.errors
    flash("The lesson was not saved: correct the fields marked below.", "error")
    return _editor(form, version, errors=errors_by_field(problems, names), status=INVALID)


def _edit_or_create(version: LessonVersion | None):
    if request.method == "GET":
        data = form_data(lesson_of(version)) if version else None
        return _editor(LessonForm(data=data) if data else LessonForm(), version)
    form = LessonForm()
    if not form.validate():  # only the CSRF token and the level choice are checked here
        return _editor(form, version, errors={k: list(v) for k, v in form.errors.items()
                                              if isinstance(v, list)}, status=400)
    action = request.form.get("action", "save")
    if action != "save":
        if not _apply_list_action(form, action):
            abort(400, description=f"Unknown editor action {action!r}.")
        return _editor(form, version)
    return _save_from_form(form, version)


@bp.route("/new", methods=["GET", "POST"])
def new():
    """Write a new lesson in the form editor, from scratch or from a copy of a library lesson."""
    source_id = request.args.get("from")
    if request.method == "GET" and source_id:
        source = authoring.copyable_version(source_id, current_user)
        if source is None:
            abort(404, description="No such lesson in the library or among yours.")
        data = form_data(lesson_of(source))
        data["id"] = ""
        data["title"] = f"{data['title']} (adapted)"
        flash(f"A copy of “{source.title}”: give it an id of its own, change what you like, and "
              "save. The original is not changed.", "info")
        return _editor(LessonForm(data=data), None)
    return _edit_or_create(None)


@bp.route("/<lesson_id>/edit", methods=["GET", "POST"])
def edit(lesson_id: str):
    """Edit a lesson in the form editor; saving makes a new version."""
    return _edit_or_create(_owned_or_404(lesson_id))


# ----------------------------------------------------------------------------- the YAML editor

def _yaml_editor(version: LessonVersion | None):
    form = YamlForm()
    if request.method == "GET":
        form.document.data = (authoring.lesson_yaml(lesson_of(version)) if version else
                              render_template("authoring/starter.yaml"))
        return render_template("authoring/yaml.html", form=form, version=version, errors=[])
    errors: list[LessonError] = []
    if form.validate():
        lesson, errors = authoring.parse_inline(form.document.data or "", max_bytes=_max_bytes())
        if lesson is not None:
            try:
                saved = _store(lesson, version)
                return redirect(url_for(".edit_yaml", lesson_id=saved.lesson_id))
            except authoring.AuthoringError as exc:
                errors = exc.errors
    return render_template("authoring/yaml.html", form=form, version=version,
                           errors=errors), 400 if form.errors else INVALID


@bp.route("/new/yaml", methods=["GET", "POST"])
def new_yaml():
    """Write a new lesson as a lesson file, with the article inline."""
    return _yaml_editor(None)


@bp.route("/<lesson_id>/yaml", methods=["GET", "POST"])
def edit_yaml(lesson_id: str):
    """Edit a lesson as its lesson file; saving makes a new version."""
    return _yaml_editor(_owned_or_404(lesson_id))


# ----------------------------------------------------------------------------- preview and try

@bp.get("/<lesson_id>/preview")
def preview(lesson_id: str):
    """The lesson as a learner will see it, newest or an earlier version (nothing is saved)."""
    latest = _owned_or_404(lesson_id)
    version = latest
    number = request.args.get("version", type=int)
    if number is not None and number != latest.version:
        version = authoring.version_of(lesson_id, number)
        if version is None:
            abort(404, description=f"This lesson has no version {number}.")
    lesson = lesson_of(version)
    try:
        return _learner_preview(lesson, version, latest)
    except (ImportError, TemplateNotFound):  # the learner's reading view is not there
        pass
    return render_template("authoring/preview.html", lesson=lesson, version=version,
                           newest=latest, paragraphs=article_paragraphs(lesson.article_text))


def _learner_preview(lesson, version: LessonVersion, newest: LessonVersion) -> str:
    """The learner's own reading template, read-only (nothing to save), every hint shown."""
    from ..learner.text import render_article

    workspace = SimpleNamespace(assignment=None, lesson_id=lesson.id, version=version)
    return render_template(
        "authoring/preview_learner.html", ws=workspace, lesson=lesson, version=version,
        newest=newest,
        paragraphs=render_article(lesson.article_text), annotations=[],
        prompts={p.id: (n, p) for n, p in enumerate(lesson.prompts, start=1)},
        hints={p.id: list(p.hints) for p in lesson.prompts}, draft=None, latest=None,
        attempts=[], editable=False, closed_reason=None, can_try_again=False, form=None,
        edit_form=None, editing=None, action=None, hint_form=None,
        ws_url=lambda endpoint="", **values: url_for(".preview", lesson_id=lesson.id),
        api_url="", note_max=current_app.config["NOTE_MAX_CHARS"], attempts_left=None)


@bp.route("/<lesson_id>/try", methods=["GET", "POST"])
def try_rubric(lesson_id: str):
    """Score a sample annotation against the saved rubric, as a learner's would be."""
    version = _owned_or_404(lesson_id)
    lesson = lesson_of(version)
    form = TryForm()
    form.prompt_id.choices = [SelectChoice("", "No prompt")] + [
        SelectChoice(p.id, p.text) for p in lesson.prompts]
    result = None
    status = 200
    if request.method == "POST":
        if form.validate():
            start = form.start.data
            end = form.end.data
            offsets = (int(start), int(end)) if start and end and start.isdigit() and \
                end.isdigit() else (None, None)
            result = authoring.try_rubric(lesson, form.exact.data, form.note.data,
                                          prompt_id=form.prompt_id.data or None,
                                          start=offsets[0], end=offsets[1])
        else:
            status = INVALID
    item = lesson.item(result.item) if result is not None else None
    return render_template("authoring/try.html", lesson=lesson, version=version, form=form,
                           result=result, item=item,
                           paragraphs=article_paragraphs(lesson.article_text)), status


# ----------------------------------------------------------------------------- share, export

@bp.post("/<lesson_id>/share")
def share(lesson_id: str):
    """Share the lesson with everyone, or make it private again."""
    _owned_or_404(lesson_id)
    form = ShareForm()
    if not form.validate():
        abort(400, description="The sharing form was incomplete.")
    shared = form.shared.data == "1"
    version = authoring.set_shared(lesson_id, current_user, shared)
    flash(f"“{version.title}” is now in the library for everyone." if shared else
          f"“{version.title}” is private again: only you see it.", "success")
    return redirect(request.referrer if request.referrer and request.referrer.startswith(
        request.host_url) else url_for(".index"))


@bp.get("/<lesson_id>/export.yaml")
def export_yaml(lesson_id: str):
    """Download the lesson as one YAML file with the article inline."""
    lesson = lesson_of(_owned_or_404(lesson_id))
    return Response(authoring.lesson_yaml(lesson), mimetype="application/yaml",
                    headers={"Content-Disposition":
                             f'attachment; filename="{lesson.id}.lesson.yaml"'})


@bp.get("/<lesson_id>/export.zip")
def export_zip(lesson_id: str):
    """Download the lesson as a zip of lesson.yaml and article.txt (a lessons/ folder)."""
    lesson = lesson_of(_owned_or_404(lesson_id))
    return Response(authoring.lesson_zip(lesson), mimetype="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{lesson.id}.zip"'})


@bp.route("/import", methods=["GET", "POST"])
def import_lesson():
    """Add a lesson from a lesson file; every problem in the file is listed."""
    form = ImportForm()
    errors: list[LessonError] = []
    if request.method == "POST":
        if not form.validate():
            return render_template("authoring/import.html", form=form, errors=[]), 400
        upload = form.lesson_file.data
        if not upload or not upload.filename:
            form.lesson_file.errors = ["Choose a lesson file to import."]
            return render_template("authoring/import.html", form=form, errors=[]), INVALID
        article = form.article_file.data
        limit = _max_bytes()
        lesson, errors = authoring.parse_upload(
            upload.filename, upload.read(limit + 1),
            article_raw=article.read(limit + 1) if article and article.filename else None,
            max_bytes=limit)
        if lesson is not None:
            try:
                result = authoring.import_lesson(lesson, current_user, lessons_dir=_lessons_dir())
            except authoring.AuthoringError as exc:
                errors = exc.errors
            else:
                flash(f"Imported “{lesson.title}” as version {result.version.version}."
                      if result.created else
                      f"“{lesson.title}” is the same as your latest version; nothing changed.",
                      "success")
                return redirect(url_for(".edit", lesson_id=lesson.id))
        return render_template("authoring/import.html", form=form, errors=errors), INVALID
    return render_template("authoring/import.html", form=form, errors=errors)

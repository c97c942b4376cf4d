"""Learner pages: library, reading view, annotations API, results, export.

Views stay thin: parse (WTForms for forms, a pydantic schema for JSON), call a service in
``services/attempts.py``, render. Every lesson page exists twice: ``/lessons/<id>`` for self-study
and ``/assignments/<n>`` for a class assignment (members only: 404 for anyone else).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from pydantic import BaseModel, ConfigDict, StrictInt, StrictStr, StringConstraints
from pydantic import ValidationError as SchemaError

from ..content import Lesson
from ..models import Annotation, Attempt
from ..services import attempts as svc
from ..services.identity import SESSION_KEY, current_learner, reserve_learner_id
from ..services.lessons import lesson_of, public_versions
from .forms import (
    ActionForm,
    AnnotationForm,
    EditAnnotationForm,
    HintForm,
    ImportForm,
    LibraryFilterForm,
    choices,
)
from .text import excerpt, render_article, sentences

bp = Blueprint("learner", __name__)


@bp.before_request
def _choose_learner_id() -> None:
    """Pick this browser's learner id on its first page, before any save can race another."""
    if request.method == "GET" and not request.path.startswith("/api/"):
        reserve_learner_id()


# --- helpers -----------------------------------------------------------------------------------

def _workspace(lesson_id: str | None = None, assignment_id: int | None = None) -> svc.Workspace:
    if assignment_id is not None:
        ws = svc.for_assignment(assignment_id, current_learner())
        if ws is None:
            abort(404, "There is no such assignment in your classes.")
        return ws
    ws = svc.self_study(lesson_id or "")
    if ws is None:
        abort(404, f"There is no lesson called “{lesson_id}”. Choose one from the library.")
    return ws


def _writer(ws: svc.Workspace):
    """The learner about to write: created on first write for self-study."""
    learner = current_learner(create=ws.assignment is None)
    if learner is None:
        abort(404)
    return learner


def _ws_url(ws: svc.Workspace, endpoint: str = "", **values: Any) -> str:
    if ws.assignment is not None:
        return url_for(f"learner.assignment{endpoint}", assignment_id=ws.assignment.id, **values)
    return url_for(f"learner.lesson{endpoint}", lesson_id=ws.lesson_id, **values)


def _api_url(ws: svc.Workspace) -> str:
    if ws.assignment is not None:
        return f"/api/assignments/{ws.assignment.id}"
    return f"/api/lessons/{ws.lesson_id}"


def _annotation_json(a: Annotation) -> dict[str, Any]:
    return {"id": a.public_id, "prompt_id": a.prompt_id, "note": a.note, "start": a.start,
            "end": a.end, "exact": a.exact, "prefix": a.prefix, "suffix": a.suffix,
            "updated_at": a.updated_at.isoformat() + "Z"}


def _hints_json(lesson: Lesson, attempt: Attempt | None) -> dict[str, list[str]]:
    shown = svc.hints_revealed(attempt)
    return {p.id: list(p.hints[:shown.get(p.id, 0)]) for p in lesson.prompts}


def _json_error(error: svc.ValidationError, index: int | None = None):
    body = error.to_dict()
    if index is not None:
        body["index"] = index
    return jsonify(body), error.status


def _prompt_choices(lesson: Lesson) -> list[tuple[str, str]]:
    return choices([("", "Choose a prompt…")] + [
        (p.id, f"{n}. {p.text}") for n, p in enumerate(lesson.prompts, start=1)])


def _sentence_choices(lesson: Lesson) -> list[tuple[str, str]]:
    out = [("", "Choose a sentence…")]
    for s in sentences(lesson.article_text):
        label = s.text if len(s.text) <= 140 else s.text[:137] + "…"
        out.append((f"{s.start}-{s.end}", f"{s.index + 1}. {label}"))
    return choices(out)


def _empty_to_none(form_value: str | None) -> str | None:
    return form_value or None


# --- library -----------------------------------------------------------------------------------

@bp.get("/")
def library():
    """Every public lesson with its level, time, prompts, skills and my progress; filterable."""
    versions = public_versions()
    lessons = [(v, lesson_of(v)) for v in versions]
    form = LibraryFilterForm(request.args)
    premise_types = sorted({t for _, lesson in lessons for t in lesson.premise_types})
    form.premise.choices = choices([("", "Any premise type")] + [
        (t, t.replace("-", " ").capitalize()) for t in premise_types])
    filters_ok = form.validate() if request.args else True
    shown = lessons
    if filters_ok:
        if form.level.data:
            shown = [(v, lesson) for v, lesson in shown if lesson.level == form.level.data]
        if form.time.data:
            shown = [(v, lesson) for v, lesson in shown
                     if lesson.estimated_minutes <= int(form.time.data)]
        if form.premise.data:
            shown = [(v, lesson) for v, lesson in shown
                     if form.premise.data in lesson.premise_types]
    learner = current_learner()
    progress = {v.lesson_id: _progress(learner, svc.Workspace(v)) for v, _ in shown}
    status = 200 if filters_ok else 400
    return render_template("learner/library.html", lessons=shown, form=form, progress=progress,
                           total=len(lessons), filters_ok=filters_ok), status


def _progress(learner, ws: svc.Workspace) -> dict[str, Any]:
    attempts = svc.attempts_of(learner, ws)
    if not attempts:
        return {"state": "not-started", "label": "Not started"}
    best = svc.best_attempt(attempts)
    draft = next((a for a in reversed(attempts) if a.status == "draft"), None)
    out: dict[str, Any] = {"state": "in-progress", "label": "In progress"}
    if best is not None:
        out = {"state": "submitted", "label": f"Best score {svc.effective_score(best):g} of "
                                              f"{best.max_score:g}"}
    if draft is not None:
        count = draft.annotation_count  # kept by every save, delete and import
        out["label"] += f" · draft with {count} annotation{'s' if count != 1 else ''}"
    out["submitted"] = sum(1 for a in attempts if a.status == "submitted")
    return out


# --- reading view ------------------------------------------------------------------------------

@bp.get("/lessons/<lesson_id>")
def lesson(lesson_id: str):
    """The reading view of a lesson for self-study."""
    return _reading(_workspace(lesson_id=lesson_id))


@bp.get("/assignments/<int:assignment_id>")
def assignment(assignment_id: int):
    """The reading view of a lesson given to one of my classes."""
    return _reading(_workspace(assignment_id=assignment_id))


def _reading(ws: svc.Workspace, *, form: AnnotationForm | None = None,
             edit_form: EditAnnotationForm | None = None, edit_id: str | None = None,
             status: int = 200):
    learner = current_learner()
    attempts = svc.attempts_of(learner, ws)
    draft = next((a for a in reversed(attempts) if a.status == "draft"), None)
    latest = attempts[-1] if attempts else None
    version = draft.lesson_version if draft else ws.version
    lesson = lesson_of(version)
    shown_attempt = draft or latest
    annotations = list(shown_attempt.annotations) if shown_attempt else []
    closed_reason = svc.closed_reason(learner, ws)
    editable = closed_reason is None
    can_try_again = svc.can_try_again(learner, ws)

    if form is None:
        form = AnnotationForm(formdata=None, prefix="new")
    form.prompt_id.choices = _prompt_choices(lesson)
    form.sentence.choices = _sentence_choices(lesson)
    edit_id = edit_id or request.args.get("edit")
    editing = next((a for a in annotations if a.public_id == edit_id), None) if editable else None
    if editing is not None and edit_form is None:
        edit_form = EditAnnotationForm(formdata=None, prefix="edit", prompt_id=editing.prompt_id,
                                       note=editing.note)
    if edit_form is not None:
        edit_form.prompt_id.choices = _prompt_choices(lesson)

    paragraphs = render_article(lesson.article_text,
                                own=[(a.start, a.end) for a in annotations])
    hints = _hints_json(lesson, shown_attempt)
    prompts = {p.id: (n, p) for n, p in enumerate(lesson.prompts, start=1)}
    return render_template(
        "learner/reading.html", ws=ws, lesson=lesson, version=version, paragraphs=paragraphs,
        annotations=annotations, prompts=prompts, hints=hints, draft=draft, latest=latest,
        attempts=attempts, editable=editable, closed_reason=closed_reason,
        can_try_again=can_try_again, form=form, edit_form=edit_form, editing=editing,
        action=ActionForm(), hint_form=HintForm(), import_form=ImportForm(),
        ws_url=lambda e="", **v: _ws_url(ws, e, **v),
        api_url=_api_url(ws), note_max=_note_max(), attempts_left=svc.attempts_left(learner, ws),
    ), status


def _note_max() -> int:
    from flask import current_app

    return int(current_app.config["NOTE_MAX_CHARS"])


# --- no-JavaScript forms -----------------------------------------------------------------------

@bp.post("/lessons/<lesson_id>/annotations")
@bp.post("/assignments/<int:assignment_id>/annotations")
def add_annotation_form(lesson_id: str | None = None, assignment_id: int | None = None):
    """Add an annotation from the plain form (a chosen sentence, optionally narrowed)."""
    ws = _workspace(lesson_id, assignment_id)
    lesson = ws.lesson
    draft = svc.draft_of(current_learner(), ws)
    if draft is not None:
        lesson = lesson_of(draft.lesson_version)
    form = AnnotationForm(prefix="new")
    form.prompt_id.choices = _prompt_choices(lesson)
    form.sentence.choices = _sentence_choices(lesson)
    if not form.validate():
        return _reading(ws, form=form, status=400)
    start, end = (int(x) for x in form.sentence.data.split("-"))
    if form.words.data and form.words.data.strip():
        words = form.words.data.strip()
        sentence_text = lesson.article_text[start:end]
        at = sentence_text.find(words)
        if at < 0:
            at = sentence_text.lower().find(words.lower())
        if at < 0:
            form.words.errors.append("These words are not in the chosen sentence. Copy them "
                                     "exactly, or leave this empty to annotate the whole sentence.")
            return _reading(ws, form=form, status=400)
        start, end = start + at, start + at + len(words)
    data = svc.AnnotationInput(prompt_id=form.prompt_id.data, note=form.note.data or "",
                               start=start, end=end)
    try:
        svc.add_annotation(_writer(ws), ws, data)
    except svc.ValidationError as error:
        _form_error(form, error)
        return _reading(ws, form=form, status=error.status)
    flash("Annotation saved.", "success")
    return redirect(_ws_url(ws) + "#annotations")


def _form_error(form, error: svc.ValidationError) -> None:
    field = {"selection": "sentence"}.get(error.field or "", error.field or "")
    target = getattr(form, field, None)
    if target is not None and hasattr(target, "errors"):
        target.errors = [*target.errors, error.message]
    else:
        form.form_errors.append(error.message)


@bp.post("/annotations/<public_id>/edit")
def edit_annotation_form(public_id: str):
    """Change an annotation's prompt or note from the plain form."""
    annotation = svc.find_annotation(current_learner(), public_id)
    if annotation is None:
        abort(404, "There is no such annotation among yours.")
    ws = svc.workspace_of(annotation.attempt)
    form = EditAnnotationForm(prefix="edit")
    form.prompt_id.choices = _prompt_choices(lesson_of(annotation.attempt.lesson_version))
    if not form.validate():
        return _reading(ws, edit_form=form, edit_id=public_id, status=400)
    try:
        svc.update_annotation(annotation, note=form.note.data or "", prompt_id=form.prompt_id.data)
    except svc.ValidationError as error:
        _form_error(form, error)
        return _reading(ws, edit_form=form, edit_id=public_id, status=error.status)
    flash("Annotation updated.", "success")
    return redirect(_ws_url(ws) + f"#ann-{public_id}")


@bp.post("/annotations/<public_id>/delete")
def delete_annotation_form(public_id: str):
    """Delete an annotation from the plain form."""
    annotation = svc.find_annotation(current_learner(), public_id)
    if annotation is None:
        abort(404, "There is no such annotation among yours.")
    ws = svc.workspace_of(annotation.attempt)
    if not ActionForm().validate():
        abort(400, "The form was incomplete; reload the page and try again.")
    try:
        svc.delete_annotation(annotation)
    except svc.ValidationError as error:
        flash(error.message, "error")
        return redirect(_ws_url(ws))
    flash("Annotation deleted.", "success")
    return redirect(_ws_url(ws) + "#annotations")


@bp.post("/lessons/<lesson_id>/hints")
@bp.post("/assignments/<int:assignment_id>/hints")
def hint_form(lesson_id: str | None = None, assignment_id: int | None = None):
    """Reveal the next hint of a prompt (plain form)."""
    ws = _workspace(lesson_id, assignment_id)
    form = HintForm()
    if not form.validate():
        abort(400, "Choose the prompt whose hint you want.")
    try:
        svc.reveal_hint(_writer(ws), ws, form.prompt_id.data)
    except svc.ValidationError as error:
        flash(error.message, "error")
    return redirect(_ws_url(ws) + f"#prompt-{form.prompt_id.data}")


@bp.post("/lessons/<lesson_id>/submit")
@bp.post("/assignments/<int:assignment_id>/submit")
def submit_form(lesson_id: str | None = None, assignment_id: int | None = None):
    """Submit the draft for scoring and show the results."""
    ws = _workspace(lesson_id, assignment_id)
    if not ActionForm().validate():
        abort(400, "The form was incomplete; reload the page and try again.")
    draft = svc.draft_of(current_learner(), ws)
    if draft is None:
        flash("There is nothing to submit yet: add an annotation first.", "error")
        return redirect(_ws_url(ws))
    try:
        svc.submit(draft)
    except svc.ValidationError as error:
        flash(error.message, "error")
        return redirect(_ws_url(ws))
    return redirect(url_for("learner.results", attempt_id=draft.id))


@bp.post("/lessons/<lesson_id>/try-again")
@bp.post("/assignments/<int:assignment_id>/try-again")
def try_again_form(lesson_id: str | None = None, assignment_id: int | None = None):
    """Start a new attempt with the latest annotations copied in."""
    ws = _workspace(lesson_id, assignment_id)
    if not ActionForm().validate():
        abort(400, "The form was incomplete; reload the page and try again.")
    try:
        svc.try_again(_writer(ws), ws)
    except svc.ValidationError as error:
        flash(error.message, "error")
        return redirect(_ws_url(ws))
    flash("New attempt started with your annotations copied: improve them and submit again.",
          "success")
    return redirect(_ws_url(ws))


# --- JSON API ----------------------------------------------------------------------------------

class AnnotationPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # Chosen by the browser (32 hex digits) so a retried save is stored once.
    id: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")] | None = None
    prompt_id: StrictStr | None = None
    note: StrictStr
    start: StrictInt
    end: StrictInt
    exact: StrictStr | None = None


class AnnotationPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    prompt_id: StrictStr | None = None
    note: StrictStr | None = None
    start: StrictInt | None = None
    end: StrictInt | None = None
    exact: StrictStr | None = None


class HintPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    prompt_id: StrictStr


def _payload(schema: type[BaseModel]):
    """Parse the JSON body with ``schema``; a (response, status) tuple when it is malformed."""
    raw = request.get_json(silent=True)
    if not isinstance(raw, dict):
        return None, (jsonify(error="bad_json", field=None,
                              message="Send a JSON object in the request body."), 400)
    try:
        return schema.model_validate(raw), None
    except SchemaError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or None
        message = {"missing": "is required", "extra_forbidden": "is not a known field",
                   "int_type": "must be a whole number", "string_type": "must be text"
                   }.get(err["type"], err["msg"])
        return None, (jsonify(error="validation", field=field, message=f"{field}: {message}"),
                      400)


@bp.get("/api/lessons/<lesson_id>/annotations")
@bp.get("/api/assignments/<int:assignment_id>/annotations")
def api_state(lesson_id: str | None = None, assignment_id: int | None = None):
    """The learner's current work in this lesson: annotations of the draft (or latest) and hints."""
    ws = _workspace(lesson_id, assignment_id)
    learner = current_learner()
    attempt = svc.draft_of(learner, ws) or svc.latest_attempt(learner, ws)
    lesson = lesson_of(attempt.lesson_version) if attempt else ws.lesson
    return jsonify(
        attempt_id=attempt.id if attempt else None,
        status=attempt.status if attempt else None,
        annotations=[_annotation_json(a) for a in (attempt.annotations if attempt else [])],
        hints=_hints_json(lesson, attempt),
    )


@bp.post("/api/lessons/<lesson_id>/annotations")
@bp.post("/api/assignments/<int:assignment_id>/annotations")
def api_create(lesson_id: str | None = None, assignment_id: int | None = None):
    """Save a new annotation; 201 with it, or 4xx {error, message, field}."""
    ws = _workspace(lesson_id, assignment_id)
    data, error = _payload(AnnotationPayload)
    if error:
        return error
    fields = data.model_dump()
    public_id = fields.pop("id")
    learner, draft = svc.learner_and_draft(session.get(SESSION_KEY), ws)
    try:
        annotation, created = svc.save_annotation(
            learner or _writer(ws), ws, svc.AnnotationInput(**fields, public_id=public_id), draft)
    except svc.ValidationError as exc:
        return _json_error(exc)
    return jsonify(_annotation_json(annotation)), 201 if created else 200


@bp.post("/api/lessons/<lesson_id>/import")
@bp.post("/api/assignments/<int:assignment_id>/import")
def api_import(lesson_id: str | None = None, assignment_id: int | None = None):
    """Add W3C annotations (e.g. an export) to the draft; all or nothing, errors name the index."""
    ws = _workspace(lesson_id, assignment_id)
    payload = request.get_json(silent=True)
    if payload is None:
        return jsonify(error="bad_json", field=None,
                       message="Send W3C Web Annotation JSON in the request body."), 400
    try:
        added = svc.import_annotations(_writer(ws), ws, payload)
    except svc.ValidationError as exc:
        return _json_error(exc)
    return jsonify(imported=len(added), annotations=[_annotation_json(a) for a in added]), 201


@bp.post("/lessons/<lesson_id>/import")
@bp.post("/assignments/<int:assignment_id>/import")
def import_form(lesson_id: str | None = None, assignment_id: int | None = None):
    """Import an exported W3C JSON file into the draft (plain form)."""
    ws = _workspace(lesson_id, assignment_id)
    form = ImportForm()
    if not form.validate():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
        return redirect(_ws_url(ws) + "#import")
    try:
        payload = json.loads(form.file.data.read().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        flash(f"That file is not JSON ({exc}). Choose a file made by “Export”.", "error")
        return redirect(_ws_url(ws) + "#import")
    try:
        added = svc.import_annotations(_writer(ws), ws, payload)
    except svc.ValidationError as error:
        flash(f"Nothing was imported. {error.message}", "error")
        return redirect(_ws_url(ws) + "#import")
    flash(f"Imported {len(added)} annotation{'s' if len(added) != 1 else ''}.", "success")
    return redirect(_ws_url(ws) + "#annotations")


@bp.route("/api/annotations/<public_id>", methods=["PATCH", "PUT"])
def api_update(public_id: str):
    """Change an annotation's note, prompt or passage."""
    annotation = svc.find_annotation(current_learner(), public_id)
    if annotation is None:
        abort(404, "There is no such annotation among yours.")
    data, error = _payload(AnnotationPatch)
    if error:
        return error
    try:
        svc.update_annotation(annotation, **data.model_dump())
    except svc.ValidationError as exc:
        return _json_error(exc)
    return jsonify(_annotation_json(annotation))


@bp.delete("/api/annotations/<public_id>")
def api_delete(public_id: str):
    """Delete an annotation of the draft."""
    annotation = svc.find_annotation(current_learner(), public_id)
    if annotation is None:
        abort(404, "There is no such annotation among yours.")
    try:
        svc.delete_annotation(annotation)
    except svc.ValidationError as exc:
        return _json_error(exc)
    return jsonify(deleted=public_id)


@bp.post("/api/lessons/<lesson_id>/hints")
@bp.post("/api/assignments/<int:assignment_id>/hints")
def api_hint(lesson_id: str | None = None, assignment_id: int | None = None):
    """Reveal the next hint of a prompt; returns the hints now shown for it."""
    ws = _workspace(lesson_id, assignment_id)
    data, error = _payload(HintPayload)
    if error:
        return error
    try:
        attempt, revealed = svc.reveal_hint(_writer(ws), ws, data.prompt_id)
    except svc.ValidationError as exc:
        return _json_error(exc)
    prompt = lesson_of(attempt.lesson_version).prompt(data.prompt_id)
    return jsonify(prompt_id=prompt.id, revealed=revealed, total=len(prompt.hints),
                   hints=list(prompt.hints[:revealed]))


@bp.post("/api/lessons/<lesson_id>/submit")
@bp.post("/api/assignments/<int:assignment_id>/submit")
def api_submit(lesson_id: str | None = None, assignment_id: int | None = None):
    """Submit the draft; returns the score and where to read the results."""
    ws = _workspace(lesson_id, assignment_id)
    draft = svc.draft_of(current_learner(), ws)
    if draft is None:
        return jsonify(error="validation", field="annotations",
                       message="There is nothing to submit yet: add an annotation first."), 400
    try:
        svc.submit(draft)
    except svc.ValidationError as exc:
        return _json_error(exc)
    return jsonify(attempt_id=draft.id, score=svc.effective_score(draft),
                   max_score=draft.max_score,
                   results_url=url_for("learner.results", attempt_id=draft.id))


# --- results and export ------------------------------------------------------------------------

def _own_attempt(attempt_id: int) -> Attempt:
    attempt = svc.find_attempt(current_learner(), attempt_id)
    if attempt is None:
        abort(404, "There is no such attempt among yours.")
    return attempt


@bp.get("/attempts/<int:attempt_id>")
def results(attempt_id: int):
    """Score, each rubric item found/partial/missed, feedback per annotation, model answers."""
    attempt = _own_attempt(attempt_id)
    ws = svc.workspace_of(attempt)
    if attempt.status != "submitted":
        return redirect(_ws_url(ws))
    lesson = lesson_of(attempt.lesson_version)
    text = lesson.article_text
    revealed = svc.answers_revealed(ws, attempt)
    annotations = list(attempt.annotations)
    items = svc.item_results(attempt, with_passages=revealed)
    model_spans = [span for row in items for span in row.passages]
    classmates = (svc.classmate_highlights(attempt.learner, ws)
                  if svc.classmates_shown(ws, attempt) else [])
    paragraphs = render_article(text, own=[(a.start, a.end) for a in annotations],
                                model=model_spans, classmates=classmates)
    all_attempts = svc.attempts_of(attempt.learner, ws)
    best = svc.best_attempt(all_attempts)
    latest = all_attempts[-1] if all_attempts else None
    hints_used = sum(svc.hints_revealed(attempt).values())
    prompts = {p.id: (n, p) for n, p in enumerate(lesson.prompts, start=1)}
    can_try_again = svc.can_try_again(attempt.learner, ws)
    return render_template(
        "learner/results.html", attempt=attempt, ws=ws, lesson=lesson, items=items,
        annotations=annotations, excerpts=[excerpt(text, a.start, a.end) for a in annotations],
        paragraphs=paragraphs, revealed=revealed, score=svc.effective_score(attempt),
        all_attempts=all_attempts, best=best, latest=latest, hints_used=hints_used,
        hints=svc.hints_revealed(attempt), prompts=prompts, classmates=len(classmates),
        classmates_shown=svc.classmates_shown(ws, attempt), can_try_again=can_try_again,
        effective_score=svc.effective_score, action=ActionForm(),
        ws_url=lambda e="", **v: _ws_url(ws, e, **v),
    )


@bp.get("/attempts/<int:attempt_id>/export.json")
def export(attempt_id: int):
    """The attempt's annotations as W3C Web Annotation JSON (what ``flask score`` reads)."""
    attempt = _own_attempt(attempt_id)
    body = json.dumps(svc.export_attempt(attempt), ensure_ascii=False, indent=2)
    name = f"{attempt.lesson_version.lesson_id}-attempt-{attempt.number}.jsonld"
    return Response(body, mimetype="application/ld+json",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


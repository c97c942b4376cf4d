"""Forms of the lesson editor.

The fields hold text exactly as the author typed it and carry no validators of their own: a
submitted form becomes a lesson document (:func:`lesson_document_from_form`) that goes through the
lesson-file validation, and each error found there is shown beside the field it names
(:func:`errors_by_field`). Lists of strings are typed one per line (hints, passages, phrasings) or
separated by commas (prompt ids, premise types), so the editor works without JavaScript.
"""

from __future__ import annotations

import re
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from ..content import Lesson
from ..services.authoring import slugify

# Above every limit of the schema, so that too many entries get the schema's own error instead of
# being dropped by the form; and a bound on how much one request can make the server build.
MAX_ENTRIES = 60

LEVELS = [SelectChoice("introductory", "Introductory"),
          SelectChoice("intermediate", "Intermediate"), SelectChoice("advanced", "Advanced")]


class IdeaForm(Form):
    id = StringField("Id", description="Short name, e.g. never-happened (made from the label if "
                     "left empty)")
    label = StringField("What the idea says (shown to instructors)")
    phrasings = TextAreaField("Phrasings learners use, one per line")


class MisreadingForm(Form):
    label = StringField("The misreading")
    phrasings = TextAreaField("How learners put it, one per line")
    feedback = TextAreaField("Feedback to give")


class FeedbackForm(Form):
    full = TextAreaField("Feedback for full credit")
    partial = TextAreaField("Feedback for partial credit (a hint, not the answer)")
    missed = TextAreaField("Feedback when missed (shown after submission)")


class PromptForm(Form):
    id = StringField("Id", description="Short name, e.g. event (prompt-N if left empty)")
    text = TextAreaField("Prompt")
    hints = TextAreaField("Hints, one per line, gentlest first")


class RubricItemForm(Form):
    id = StringField("Id", description="Short name, e.g. hypothetical-coup (made from the title "
                     "if left empty)")
    title = StringField("Title")
    points = StringField("Points")
    prompts = StringField("Prompts that lead here", description="Prompt ids separated by commas "
                          "(optional)")
    passages = TextAreaField("Target passages, one per line", description="Each copied exactly "
                             "from the article. Select text in the article and press “Add the "
                             "selected passage”.")
    premise = TextAreaField("The unstated premise, said plainly")
    why_it_matters = TextAreaField("Why it matters")
    key_ideas = FieldList(FormField(IdeaForm), min_entries=1, max_entries=MAX_ENTRIES)
    full_requires = StringField("Key ideas needed for full credit", default="1")
    partial_ideas = FieldList(FormField(IdeaForm), max_entries=MAX_ENTRIES)
    misreadings = FieldList(FormField(MisreadingForm), max_entries=MAX_ENTRIES)
    feedback = FormField(FeedbackForm)
    model_answer = TextAreaField("Model answer (shown after submission)")


class LessonForm(FlaskForm):
    id = StringField("Lesson id", description="Lowercase letters, digits and hyphens; it appears "
                     "in the lesson's address and cannot change later")
    title = StringField("Title")
    summary = TextAreaField("Summary for the library card")
    level = SelectField("Level", choices=LEVELS, default="intermediate")
    estimated_minutes = StringField("Estimated minutes", default="20")
    premise_types = StringField("Premise types", description="Tags separated by commas, e.g. "
                                "correlation-as-cause, outdated-framing")
    skills = TextAreaField("Skills practised, one per line")
    teacher_note = TextAreaField("Note for teachers")
    source = StringField("Source (optional)")
    article_text = TextAreaField("Article", description="Plain text; separate paragraphs with a "
                                 "blank line")
    prompts = FieldList(FormField(PromptForm), min_entries=1, max_entries=MAX_ENTRIES)
    rubric = FieldList(FormField(RubricItemForm), min_entries=1, max_entries=MAX_ENTRIES)


class YamlForm(FlaskForm):
    document = TextAreaField("Lesson file (YAML, with the article under article_text)")


class ImportForm(FlaskForm):
    lesson_file = FileField("Lesson file", description="A .yaml file with the article inline, "
                            "a lesson.yaml (with its article file below), or a .zip of both")
    article_file = FileField("Article file (only with a lesson.yaml that names one)")


class ShareForm(FlaskForm):
    shared = HiddenField()


class TryForm(FlaskForm):
    prompt_id = SelectField("Prompt it answers (optional)", choices=[SelectChoice("", "No prompt")],
                            validators=[Optional()])
    exact = TextAreaField("Highlighted passage", validators=[DataRequired(
        "Select or paste the passage the sample annotation highlights.")])
    start = HiddenField()
    end = HiddenField()
    note = TextAreaField("Explanation", validators=[DataRequired(
        "Write the explanation a learner might give."), Length(max=2000)])


# ----------------------------------------------------------------------------- form -> document

def _blank(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_blank(v) for v in value.values())
    if isinstance(value, list):
        return all(_blank(v) for v in value)
    return value is None or (isinstance(value, str) and not value.strip())


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _tags(text: str | None) -> list[str]:
    return [tag for tag in re.split(r"[,\s]+", text or "") if tag]


def _number(text: str | None) -> int | float | str:
    value = (text or "").strip()
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            pass
    return value  # left for the schema to reject with its own message


_DEFAULTED = {"full_requires"}  # has a default value, so it does not make an entry non-blank


class _Builder:
    """Builds the lesson document and remembers which form field each part came from."""

    def __init__(self) -> None:
        self.names: dict[tuple, str] = {}

    def text(self, doc: dict, path: tuple, key: str, field, *, multiline: bool = False) -> None:
        self.names[path + (key,)] = field.name
        value = (field.data or "").strip()
        if not multiline:
            value = re.sub(r"\s+", " ", value)
        if value:
            doc[key] = value

    def listing(self, doc: dict, path: tuple, key: str, field, split, *,
                keep_empty: bool = False) -> None:
        self.names[path + (key,)] = field.name
        values = split(field.data)
        if values or keep_empty:
            doc[key] = values

    def entries(self, path: tuple, field_list) -> list:
        """The non-blank entries of a FieldList, registered under their compacted index."""
        self.names[path] = field_list.name
        kept = [entry for entry in field_list.entries if not _blank(
            {k: v for k, v in entry.data.items() if k not in _DEFAULTED})]
        for index, entry in enumerate(kept):
            self.names[path + (index,)] = entry.name
        return kept


def _idea(builder: _Builder, path: tuple, entry, fallback: str) -> dict:
    form = entry.form
    doc: dict[str, Any] = {}
    builder.names[path + ("id",)] = form.id.name
    doc["id"] = (form.id.data or "").strip() or slugify(form.label.data or "") or fallback
    builder.text(doc, path, "label", form.label)
    builder.listing(doc, path, "phrasings", form.phrasings, _lines, keep_empty=True)
    return doc


def lesson_document_from_form(form: LessonForm, *, lesson_id: str | None = None
                              ) -> tuple[dict[str, Any], dict[tuple, str]]:
    """The lesson document a submitted editor form describes, and the form name of each part."""
    b = _Builder()
    doc: dict[str, Any] = {"schema_version": 1}
    root: tuple = ()
    if lesson_id is not None:
        b.names[("id",)] = form.id.name
        doc["id"] = lesson_id
    else:
        b.text(doc, root, "id", form.id)
    for key in ("title", "summary"):
        b.text(doc, root, key, form[key])
    b.names[("level",)] = form.level.name
    doc["level"] = form.level.data
    b.names[("estimated_minutes",)] = form.estimated_minutes.name
    if (form.estimated_minutes.data or "").strip():
        doc["estimated_minutes"] = _number(form.estimated_minutes.data)
    b.listing(doc, root, "premise_types", form.premise_types, _tags)
    b.listing(doc, root, "skills", form.skills, _lines)
    b.text(doc, root, "teacher_note", form.teacher_note, multiline=True)
    b.text(doc, root, "source", form.source)
    b.names[("article",)] = form.article_text.name
    b.names[("article_text",)] = form.article_text.name
    doc["article_text"] = form.article_text.data or ""

    prompts = []
    for index, entry in enumerate(b.entries(("prompts",), form.prompts)):
        path = ("prompts", index)
        prompt: dict[str, Any] = {}
        b.names[path + ("id",)] = entry.form.id.name
        prompt["id"] = (entry.form.id.data or "").strip() or f"prompt-{index + 1}"
        b.text(prompt, path, "text", entry.form.text, multiline=True)
        b.listing(prompt, path, "hints", entry.form.hints, _lines, keep_empty=True)
        prompts.append(prompt)
    doc["prompts"] = prompts

    rubric = []
    for index, entry in enumerate(b.entries(("rubric",), form.rubric)):
        path = ("rubric", index)
        f = entry.form
        item: dict[str, Any] = {}
        b.names[path + ("id",)] = f.id.name
        item["id"] = (f.id.data or "").strip() or slugify(f.title.data or "") or f"item-{index + 1}"
        b.text(item, path, "title", f.title)
        b.names[path + ("points",)] = f.points.name
        if (f.points.data or "").strip():
            item["points"] = _number(f.points.data)
        b.listing(item, path, "prompts", f.prompts, _tags)
        b.listing(item, path, "passages", f.passages, _lines, keep_empty=True)
        b.text(item, path, "premise", f.premise, multiline=True)
        b.text(item, path, "why_it_matters", f.why_it_matters, multiline=True)
        for key in ("key_ideas", "partial_ideas"):
            ideas = [_idea(b, path + (key, k), idea, f"idea-{k + 1}")
                     for k, idea in enumerate(b.entries(path + (key,), f[key]))]
            if ideas or key == "key_ideas":
                item[key] = ideas
        b.names[path + ("full_requires",)] = f.full_requires.name
        if (f.full_requires.data or "").strip():
            item["full_requires"] = _number(f.full_requires.data)
        misreadings = []
        for k, mis in enumerate(b.entries(path + ("misreadings",), f.misreadings)):
            mpath = path + ("misreadings", k)
            doc_m: dict[str, Any] = {}
            b.text(doc_m, mpath, "label", mis.form.label)
            b.listing(doc_m, mpath, "phrasings", mis.form.phrasings, _lines, keep_empty=True)
            b.text(doc_m, mpath, "feedback", mis.form.feedback, multiline=True)
            misreadings.append(doc_m)
        if misreadings:
            item["misreadings"] = misreadings
        b.names[path + ("feedback",)] = f.feedback.name
        feedback: dict[str, Any] = {}
        for key in ("full", "partial", "missed"):
            b.text(feedback, path + ("feedback",), key, f.feedback.form[key], multiline=True)
        item["feedback"] = feedback
        b.text(item, path, "model_answer", f.model_answer, multiline=True)
        rubric.append(item)
    doc["rubric"] = rubric
    return doc, b.names


_TOKEN = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


def field_path(text: str) -> tuple:
    """``rubric[0].key_ideas[1]`` -> ``("rubric", 0, "key_ideas", 1)``."""
    return tuple(int(i) if i else name for i, name in _TOKEN.findall(text))


def errors_by_field(errors, names: dict[tuple, str]) -> dict[str, list[str]]:
    """Group validation errors by the form field (or fieldset) they belong to; ``""`` for the rest.

    An error on a list element (``hints[1]``) goes to the field holding the list, with the element
    named in the message, since the list is one text box.
    """
    grouped: dict[str, list[str]] = {}
    for error in errors:
        path = field_path(error.field)
        for cut in range(len(path), 0, -1):
            name = names.get(path[:cut])
            if name is not None:
                rest = path[cut:]
                break
        else:
            name, rest = "", path
        message = error.message
        if message.startswith("String should match pattern"):  # the id pattern, said in words
            message = ("use lowercase letters, digits and hyphens only, starting with a letter "
                       "or digit (at most 80)")
        if rest and isinstance(rest[0], int):
            comma_separated = name == "premise_types" or re.fullmatch(r"rubric-\d+-prompts", name)
            unit = "entry" if comma_separated else "line"
            message = f"{unit} {rest[0] + 1}: {message}"
        elif rest or not name:
            message = f"{error.field}: {message}" if error.field else message
        grouped.setdefault(name, []).append(message)
    return grouped


# ----------------------------------------------------------------------------- lesson -> form

def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _idea_data(idea) -> dict[str, str]:
    return {"id": idea.id, "label": idea.label,
            "phrasings": "\n".join(_one_line(p) for p in idea.phrasings)}


def form_data(lesson: Lesson) -> dict[str, Any]:
    """The editor's field values for a stored lesson."""
    return {
        "id": lesson.id, "title": lesson.title, "summary": lesson.summary, "level": lesson.level,
        "estimated_minutes": str(lesson.estimated_minutes),
        "premise_types": ", ".join(lesson.premise_types), "skills": "\n".join(lesson.skills),
        "teacher_note": lesson.teacher_note, "source": lesson.source or "",
        "article_text": lesson.article_text,
        "prompts": [{"id": p.id, "text": p.text, "hints": "\n".join(_one_line(h) for h in p.hints)}
                    for p in lesson.prompts],
        "rubric": [{
            "id": item.id, "title": item.title, "points": f"{item.points:g}",
            "prompts": ", ".join(item.prompts),
            "passages": "\n".join(_one_line(p) for p in item.passages),
            "premise": item.premise, "why_it_matters": item.why_it_matters,
            "key_ideas": [_idea_data(i) for i in item.key_ideas],
            "full_requires": str(item.full_requires),
            "partial_ideas": [_idea_data(i) for i in item.partial_ideas],
            "misreadings": [{"label": m.label,
                             "phrasings": "\n".join(_one_line(p) for p in m.phrasings),
                             "feedback": m.feedback} for m in item.misreadings],
            "feedback": {"full": item.feedback.full, "partial": item.feedback.partial,
                         "missed": item.feedback.missed},
            "model_answer": item.model_answer,
        } for item in lesson.rubric],
    }


def find_list(form: LessonForm, name: str):
    """The FieldList called ``name`` (e.g. ``rubric-0-key_ideas``) in the editor, or None."""
    lists = [form.prompts, form.rubric]
    for item in form.rubric.entries:
        lists += [item.form.key_ideas, item.form.partial_ideas, item.form.misreadings]
    return next((field for field in lists if field.name == name), None)


def blank_entry(field_list):
    """A fresh entry of a list, not kept in it: the page's template that JavaScript clones."""
    entry = field_list.append_entry()
    field_list.pop_entry()
    return entry


def input_names(form) -> set[str]:
    """The names (equal to the ids) of every input in the editor, nested entries included."""
    names: set[str] = set()
    for field in form:
        if isinstance(field, FieldList):
            for entry in field.entries:
                names |= input_names(entry.form)
        elif isinstance(field, FormField):
            names |= input_names(field.form)
        else:
            names.add(field.name)
    return names


_LIST_TITLES = {"prompts": "Prompt", "rubric": "Rubric item", "key_ideas": "key idea",
                "partial_ideas": "partial idea", "misreadings": "misreading"}


def field_title(name: str) -> str:
    """``rubric-0-key_ideas-1-phrasings`` -> ``Rubric item 1, key idea 2, phrasings``."""
    parts: list[str] = []
    tokens = name.split("-")
    for position, token in enumerate(tokens):
        if token.isdigit() and parts:
            parts[-1] = f"{parts[-1]} {int(token) + 1}"
        elif position + 1 < len(tokens):
            parts.append(_LIST_TITLES.get(token, token.replace("_", " ")))
        else:  # a whole list, or a field
            parts.append(token.replace("_", " "))
    title = ", ".join(parts)
    return title[:1].upper() + title[1:]

"""Forms of the learner pages: the library filter and the no-JavaScript annotation forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms select choices."""
    return [SelectChoice(value, label) for value, label in pairs]


LEVELS = choices([("", "Any level"), ("introductory", "Introductory"),
                  ("intermediate", "Intermediate"), ("advanced", "Advanced")])
TIMES = choices([("", "Any length"), ("15", "15 minutes or less"), ("30", "30 minutes or less"),
                 ("60", "An hour or less")])


class LibraryFilterForm(FlaskForm):
    """GET filters of the lesson library (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    level = SelectField("Level", choices=LEVELS, default="", validate_choice=True)
    time = SelectField("Time", choices=TIMES, default="", validate_choice=True)
    premise = SelectField("Premise type", choices=choices([("", "Any premise type")]), default="")


class AnnotationForm(FlaskForm):
    """Annotate without selecting: pick a sentence, optionally narrow it to some of its words."""

    sentence = SelectField("Passage (a sentence of the article)", validators=[DataRequired()])
    words = StringField("Only these words of it (optional)",
                        validators=[Optional(), Length(max=1000)])
    prompt_id = SelectField("Prompt it answers", validators=[DataRequired()])
    note = TextAreaField("What does this passage take for granted?")


class EditAnnotationForm(FlaskForm):
    prompt_id = SelectField("Prompt it answers", validators=[DataRequired()])
    note = TextAreaField("What does this passage take for granted?")


class HintForm(FlaskForm):
    prompt_id = HiddenField(validators=[DataRequired()])


class ActionForm(FlaskForm):
    """A button that changes something (delete, submit, try again): only the CSRF token."""


class ImportForm(FlaskForm):
    file = FileField("W3C annotations file (from “Export”)",
                     validators=[FileRequired("Choose the file to import.")])

"""Forms of the instructor area."""

from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..services.classes import CLASSMATES_RULES, REVEAL_RULES


class ClassForm(FlaskForm):
    name = StringField("Class name", validators=[DataRequired(), Length(max=120)])


class AssignmentForm(FlaskForm):
    lesson_id = SelectField("Lesson", validators=[DataRequired(message="Pick a lesson.")])
    title = StringField("Title shown to learners (optional)", validators=[Optional(),
                                                                         Length(max=200)])
    due_at = DateTimeLocalField("Due (UTC, optional)", format="%Y-%m-%dT%H:%M",
                                validators=[Optional()])
    attempts_allowed = IntegerField("Attempts allowed (empty: no limit)",
                                    validators=[Optional(), NumberRange(min=1, max=100)])
    reveal_answers = RadioField("Show the model answers", default="after_submit",
                                choices=[SelectChoice(v, t) for v, t in REVEAL_RULES.items()])
    classmates_visible = RadioField(
        "Classmates' highlights", default="after_submit",
        choices=[SelectChoice(v, t) for v, t in CLASSMATES_RULES.items()])


class AssignmentRulesForm(AssignmentForm):
    """The same rules without the lesson: an assignment keeps the lesson version it was given."""

    lesson_id = None


CREDIT_FORM_CHOICES = [SelectChoice("", "Keep the automatic credit"),
                       SelectChoice("1", "Full credit"), SelectChoice("0.5", "Partial credit"),
                       SelectChoice("0", "No credit")]


class OverrideForm(FlaskForm):
    credit = SelectField("Credit", choices=CREDIT_FORM_CHOICES, default="")
    item_id = SelectField("Rubric item", choices=[])
    comment = TextAreaField("Comment for the learner",
                            validators=[Optional(), Length(max=2000)])


class AcceptForm(FlaskForm):
    item_id = SelectField("Accept as a correct phrasing of", choices=[])


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""

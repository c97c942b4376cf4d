"""Forms of the learner's class pages."""

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class JoinForm(FlaskForm):
    join_code = StringField("Class code", validators=[
        DataRequired(message="Enter the code your instructor gave you."), Length(max=20)])
    display_name = StringField("Your name in this class", validators=[
        DataRequired(message="Choose the name your instructor will see."), Length(max=80)])


class RejoinForm(FlaskForm):
    join_code = StringField("Class code", validators=[
        DataRequired(message="Enter the class code."), Length(max=20)])
    rejoin_code = StringField("Your rejoin code", validators=[
        DataRequired(message="Enter the rejoin code shown when you joined."), Length(max=20)])

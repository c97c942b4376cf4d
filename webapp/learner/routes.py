"""Learner pages: library, reading view, annotations API, results."""

from flask import Blueprint

bp = Blueprint("learner", __name__)

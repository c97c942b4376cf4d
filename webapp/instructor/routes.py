"""Instructor area: classes, assignments, review, overrides, gradebook."""

from flask import Blueprint

bp = Blueprint("instructor", __name__, url_prefix="/teach")

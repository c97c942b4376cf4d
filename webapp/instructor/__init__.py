"""Instructor area: classes, assignments, review, overrides, gradebook."""

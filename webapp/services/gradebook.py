"""CSV gradebooks, safe to open in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be read by
Excel, LibreOffice or Google Sheets as a formula (CSV injection, OWASP); such text cells get a
leading apostrophe. Numbers we computed are written as numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from ..models import Assignment, Classroom
from .classes import active_members, assignment_title, classroom_assignments
from .lessons import lesson_of
from .review import learner_rows

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Neutralise text that a spreadsheet would run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else value
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def to_csv(header: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
    return out.getvalue()


def _status(row) -> str:
    if row.counted is not None:
        return "submitted"
    return "in progress" if row.in_progress else "not started"


def assignment_csv(assignment: Assignment) -> str:
    """Per-item sheet: one row a learner, their counted score and the credit on each item."""
    lesson = lesson_of(assignment.lesson_version)
    header = ["learner", "status", "attempts submitted", "score", "max score", "submitted at"]
    header += [f"{item.id} ({item.points:g} pt)" for item in lesson.rubric]
    rows = []
    for row in learner_rows(assignment):
        counted = row.counted
        rows.append([
            row.membership.display_name, _status(row), row.submitted,
            row.score, lesson.max_score,
            counted.submitted_at.isoformat(timespec="minutes") if counted and counted.submitted_at
            else None,
            *[row.item_credits.get(item.id) if counted else None for item in lesson.rubric],
        ])
    return to_csv(header, rows)


def classroom_csv(classroom: Classroom) -> str:
    """One row a learner, one column per assignment (the counted score), plus the total."""
    assignments = list(reversed(classroom_assignments(classroom)))  # oldest first, like a term
    names = {m.id: m.display_name for m in active_members(classroom)}
    scores: dict[int, dict[int, float | None]] = {mid: {} for mid in names}
    for assignment in assignments:
        for row in learner_rows(assignment):
            scores[row.membership.id][assignment.id] = row.score
    header = ["learner"]
    for assignment in assignments:
        points = lesson_of(assignment.lesson_version).max_score
        header.append(f"{assignment_title(assignment)} (/{points:g})")
    header += ["total", "max total"]
    max_total = sum(lesson_of(a.lesson_version).max_score for a in assignments)
    rows = []
    for membership_id, name in sorted(names.items(), key=lambda kv: kv[1].lower()):
        values = [scores[membership_id].get(a.id) for a in assignments]
        total = sum(v for v in values if v is not None)
        rows.append([name, *values, total, max_total])
    return to_csv(header, rows)


def csv_filename(*parts: str) -> str:
    """A download name made of safe characters only."""
    cleaned = "-".join("".join(ch if ch.isalnum() else "-" for ch in p).strip("-") for p in parts)
    while "--" in cleaned:
        cleaned = cleaned.replace("--", "-")
    return (cleaned.lower() or "gradebook")[:80] + ".csv"

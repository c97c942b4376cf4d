"""CSV gradebooks: per assignment (per-item sheet) and per class, safe against formula injection."""

from __future__ import annotations

import csv
import io

import pytest
from test_classroom_support import (
    COUP,
    SEPARATISTS,
    class_with_learners,
    login,
    make_assignment,
    scored_attempt,
)

from webapp.extensions import db
from webapp.services.gradebook import csv_filename, safe_cell, to_csv


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx",
                                  '=HYPERLINK("http://evil.example","click")'])
def test_cells_that_a_spreadsheet_would_run_get_an_apostrophe(text):
    assert safe_cell(text) == "'" + text
    row = list(csv.reader(io.StringIO(to_csv(["h"], [[text]]))))[1]
    assert row == ["'" + text]


@pytest.mark.parametrize("value, expected", [("Sam", "Sam"), ("a=b", "a=b"), (2.5, "2.5"),
                                             (4.0, "4"), (-1.0, "-1"), (None, ""), (3, 3)])
def test_plain_values_are_left_alone(value, expected):
    assert safe_cell(value) == expected


def test_download_names_are_safe():
    assert csv_filename('Period "3"; rm -rf', "Coup/essay") == "period-3-rm-rf-coup-essay.csv"


def test_assignment_gradebook_one_row_a_learner_with_item_columns(app):
    owner, room_id, _, assignment_id, learners = class_with_learners(
        app, ["=cmd|' /C calc'!A0", "Ann", "Ben"])
    evil = "=cmd|' /C calc'!A0"
    scored_attempt(app, learners["Ann"][1], assignment_id, [
        {"exact": COUP, "note": "n", "auto_item_id": "hypothetical-coup", "auto_credit": 1.0},
        {"exact": SEPARATISTS, "note": "n", "auto_item_id": "outdated-separatist-framing",
         "auto_credit": 0.5}])
    scored_attempt(app, learners[evil][1], assignment_id, [
        {"exact": COUP, "note": "n", "auto_item_id": "hypothetical-coup", "auto_credit": 0.5}])
    teacher = app.test_client()
    login(teacher)
    response = teacher.get(f"/teach/assignments/{assignment_id}/gradebook.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    rows = _rows(response)
    header = rows[0]
    assert header[:6] == ["learner", "status", "attempts submitted", "score", "max score",
                          "submitted at"]
    assert header[6:8] == ["hypothetical-coup (2 pt)", "outdated-separatist-framing (2 pt)"]
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"'" + evil, "Ann", "Ben"}
    assert by_name["Ann"][1:5] == ["submitted", "1", "3", "11"]
    assert by_name["Ann"][6:8] == ["1", "0.5"]
    assert by_name["'" + evil][3] == "1"
    assert by_name["Ben"][1:4] == ["not started", "0", ""]


def test_class_gradebook_one_column_per_assignment(app):
    owner, room_id, _, first, learners = class_with_learners(app, ["Ann", "Ben"],
                                                             title="First")
    second = make_assignment(app, owner, room_id, title="-Second")
    scored_attempt(app, learners["Ann"][1], first, [
        {"exact": COUP, "note": "n", "auto_item_id": "hypothetical-coup", "auto_credit": 1.0}])
    # Two attempts on the second: the best one counts.
    scored_attempt(app, learners["Ann"][1], second, [
        {"exact": COUP, "note": "n", "auto_item_id": "hypothetical-coup", "auto_credit": 0.5}])
    scored_attempt(app, learners["Ann"][1], second, [
        {"exact": COUP, "note": "n", "auto_item_id": "hypothetical-coup", "auto_credit": 0.0}],
        number=2)
    scored_attempt(app, learners["Ben"][1], second, [
        {"exact": SEPARATISTS, "note": "n", "auto_item_id": "outdated-separatist-framing",
         "auto_credit": 1.0}])
    teacher = app.test_client()
    login(teacher)
    with app.app_context():
        from webapp.models import Attempt

        first_try = db.session.query(Attempt).filter_by(assignment_id=second, number=1).first()
    page = teacher.get(f"/teach/submissions/{first_try.id}").get_data(as_text=True)
    assert "Other attempts:" in page and "attempt 2" in page
    rows = _rows(teacher.get(f"/teach/classes/{room_id}/gradebook.csv"))
    assert rows[0] == ["learner", "First (/11)", "'-Second (/11)", "total", "max total"]
    assert rows[1:] == [["Ann", "2", "1", "3", "22"], ["Ben", "", "2", "2", "22"]]

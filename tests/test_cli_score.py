"""``flask --app webapp score LESSON_ID FILE``: JSON out, exit 2 with a message on bad input."""

from __future__ import annotations

import json

COUP = "The recent coup in Russia, which saw the overthrow of President Vladimir Putin’s regime"
ANNOTATIONS = [
    {"id": "urn:a:1", "type": "Annotation", "bodyValue": "There was no coup; Putin still rules.",
     "target": {"selector": {"type": "TextQuoteSelector", "exact": COUP}}},
    {"id": "urn:a:2", "type": "Annotation", "bodyValue": "When did this happen?",
     "target": {"selector": {"type": "TextQuoteSelector", "exact": "not in the article at all"}}},
]


def test_prints_the_score_as_json(runner, tmp_path):
    path = tmp_path / "notes.json"
    path.write_text(json.dumps(ANNOTATIONS), encoding="utf-8")
    result = runner.invoke(args=["score", "russia-coup", str(path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"lesson", "score", "max_score", "annotations", "items"}
    assert data["lesson"] == "russia-coup" and data["max_score"] == 11
    assert [a["id"] for a in data["annotations"]] == ["urn:a:1", "urn:a:2"]
    first, second = data["annotations"]
    assert first["item"] == "hypothetical-coup" and first["credit"] == 1.0
    assert "error" not in first and 0 <= first["confidence"] <= 1 and first["feedback"]
    assert second["credit"] == 0 and second["item"] is None and "not found" in second["error"]
    assert data["score"] == 2.0
    assert [i["id"] for i in data["items"]][0] == "hypothetical-coup"
    assert set(data["items"][0]) == {"id", "points", "credit"}


def test_reads_a_collection_from_stdin(runner):
    payload = json.dumps({"type": "AnnotationCollection", "items": ANNOTATIONS[:1]})
    result = runner.invoke(args=["score", "russia-coup", "-"], input=payload)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["score"] == 2.0


def test_unknown_lesson_exits_2(runner, tmp_path):
    path = tmp_path / "notes.json"
    path.write_text("[]", encoding="utf-8")
    result = runner.invoke(args=["score", "no-such-lesson", str(path)])
    assert result.exit_code == 2
    assert "unknown lesson 'no-such-lesson'" in result.stderr
    assert "russia-coup" in result.stderr
    assert "Traceback" not in result.output


def test_malformed_json_exits_2_naming_the_place(runner):
    result = runner.invoke(args=["score", "russia-coup", "-"], input='[{"id": "a",]')
    assert result.exit_code == 2
    assert "not valid JSON" in result.stderr and "line 1 column" in result.stderr
    assert "Traceback" not in result.output


def test_payload_that_is_not_a_list_exits_2(runner):
    result = runner.invoke(args=["score", "russia-coup", "-"], input='{"hello": "world"}')
    assert result.exit_code == 2
    assert "expected a list of annotations" in result.stderr


def test_unreadable_file_exits_2(runner, tmp_path):
    result = runner.invoke(args=["score", "russia-coup", str(tmp_path / "missing.json")])
    assert result.exit_code == 2
    assert "cannot read" in result.stderr

    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00[")
    result = runner.invoke(args=["score", "russia-coup", str(binary)])
    assert result.exit_code == 2
    assert "cannot read" in result.stderr


def test_bad_annotation_is_reported_with_its_index_but_scored(runner):
    result = runner.invoke(args=["score", "russia-coup", "-"],
                           input=json.dumps([ANNOTATIONS[0], "oops"]))
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["annotations"][1]["error"] == "annotation 1 is not an object"
    assert "annotation 1" in result.stderr

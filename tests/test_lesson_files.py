"""Lesson files: the shipped lessons validate, and each kind of error is reported where it is."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from webapp.content import load_lesson_dir, load_lessons, served_text
from webapp.content.text import article_paragraphs

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "lessons" / "russia-coup"
SOURCE = ROOT.parent / "shared" / "lessons-source" / "russia-coup.txt"


def test_all_shipped_lessons_are_valid():
    report = load_lessons(ROOT / "lessons")
    assert [str(e) for e in report.errors] == []
    assert "russia-coup" in report.lessons


def test_seed_article_is_verbatim():
    if not SOURCE.exists():
        pytest.skip("../shared/lessons-source is not beside this checkout")
    assert (SEED / "article.txt").read_bytes() == SOURCE.read_bytes()
    lesson, errors = load_lesson_dir(SEED)
    assert errors == []
    text = lesson.article_text
    assert text.startswith("The recent coup in Russia, which saw the overthrow of President Vladimir Putin’s regime")
    assert "Russian-backed separatist forces in eastern Ukraine" in text
    headings = [p.text for p in article_paragraphs(text) if p.is_heading]
    assert headings == ["1. Shifting power dynamics:", "2. Support from international allies:",
                        "3. Capitalizing on domestic unrest in Russia:",
                        "4. Preserving territorial sovereignty:"]


def test_seed_rubric_has_required_items():
    lesson, _ = load_lesson_dir(SEED)
    ids = {item.id for item in lesson.rubric}
    assert {"hypothetical-coup", "outdated-separatist-framing", "turmoil-means-retreat",
            "successor-unknown", "allies-back-escalation", "covert-destabilization",
            "unsourced-claims", "escalation-risk-ignored", "attack-as-defense"} <= ids
    assert 4 <= len(lesson.prompts) <= 6


def test_served_text_joins_paragraphs_with_one_blank_line():
    assert served_text("  A\r\nb  \n\n\n\nC\n") == "A\nb\n\nC"


@pytest.fixture
def lesson_copy(tmp_path) -> Path:
    target = tmp_path / "russia-coup"
    shutil.copytree(SEED, target)
    return target


def _rewrite(folder: Path, old: str, new: str) -> None:
    path = folder / "lesson.yaml"
    content = path.read_text(encoding="utf-8")
    assert old in content
    path.write_text(content.replace(old, new, 1), encoding="utf-8")


def _line_of(folder: Path, needle: str) -> int:
    lines = (folder / "lesson.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_unknown_key_is_named_with_field_and_line(lesson_copy):
    _rewrite(lesson_copy, "estimated_minutes: 25", "estimated_minutes: 25\nestimated_minuts: 3")
    lesson, errors = load_lesson_dir(lesson_copy)
    assert lesson is None
    assert len(errors) == 1
    assert errors[0].field == "estimated_minuts"
    assert errors[0].line == _line_of(lesson_copy, "estimated_minuts")
    assert "unknown field" in errors[0].message
    assert str(errors[0]).startswith(f"{lesson_copy}/lesson.yaml:{errors[0].line}: estimated_minuts")


def test_passage_not_in_article_is_an_error(lesson_copy):
    _rewrite(lesson_copy, '- "Russian-backed separatist forces in eastern Ukraine"',
             '- "Russian-backed rebels in western Ukraine"')
    _, errors = load_lesson_dir(lesson_copy)
    assert len(errors) == 1
    assert errors[0].field == "rubric[1].passages[0]"
    assert "not found in the article" in errors[0].message
    assert errors[0].line == _line_of(lesson_copy, "rebels in western Ukraine")


def test_all_errors_are_reported_at_once(lesson_copy):
    _rewrite(lesson_copy, "level: intermediate", "level: expert")
    _rewrite(lesson_copy, "points: 2", "points: -1")
    _rewrite(lesson_copy, "prompts: [the-event]", "prompts: [no-such-prompt]")
    _, errors = load_lesson_dir(lesson_copy)
    fields = {e.field for e in errors}
    assert {"level", "rubric[0].points"} <= fields
    assert all(e.line for e in errors)


def test_reference_to_missing_prompt(lesson_copy):
    _rewrite(lesson_copy, "prompts: [the-event]", "prompts: [no-such-prompt]")
    _, errors = load_lesson_dir(lesson_copy)
    assert [(e.field, e.message) for e in errors] == [
        ("rubric[0].prompts[0]", "names prompt 'no-such-prompt', which the lesson does not have")]


def test_duplicate_ids(lesson_copy):
    _rewrite(lesson_copy, "- id: the-enemy", "- id: the-event")
    _, errors = load_lesson_dir(lesson_copy)
    assert any(e.field == "prompts[1].id" and "used twice" in e.message for e in errors)


def test_yaml_syntax_error_has_line(lesson_copy):
    _rewrite(lesson_copy, "level: intermediate", "level: [intermediate")
    _, errors = load_lesson_dir(lesson_copy)
    assert len(errors) == 1 and "not valid YAML" in errors[0].message and errors[0].line


def test_folder_name_must_match_id(tmp_path):
    target = tmp_path / "other-name"
    shutil.copytree(SEED, target)
    _, errors = load_lesson_dir(target)
    assert [e.field for e in errors] == ["id"]


def test_missing_article_file(lesson_copy):
    (lesson_copy / "article.txt").unlink()
    _, errors = load_lesson_dir(lesson_copy)
    assert errors[0].field == "article" and "not found" in errors[0].message


def test_cli_check_reports_errors_and_exit_code(runner, lesson_copy):
    _rewrite(lesson_copy, "level: intermediate", "level: expert")
    result = runner.invoke(args=["lessons", "check", str(lesson_copy)])
    assert result.exit_code == 1
    assert "level" in result.output and "lesson.yaml:" in result.output
    ok = runner.invoke(args=["lessons", "check", str(SEED)])
    assert ok.exit_code == 0 and "ok: russia-coup" in ok.output


def test_file_lesson_does_not_take_over_an_authored_lesson_id(app):
    from webapp.content import load_lessons
    from webapp.extensions import db
    from webapp.models import LessonVersion, User
    from webapp.services.lessons import current_version, store_version, sync_file_lessons

    lesson = load_lessons(ROOT / "lessons").lessons["russia-coup"]
    authored = lesson.model_copy(update={"id": "my-own", "title": "Mine"})
    with app.app_context():
        user = User(email="t@example.org", display_name="T", password_hash="x")
        db.session.add(user)
        db.session.flush()
        store_version(authored, origin="authored", author_id=user.id, shared=False)
        db.session.commit()
        clash = lesson.model_copy(update={"id": "my-own", "title": "From a file"})
        skipped = sync_file_lessons({"my-own": clash})
        assert skipped and "already used by a lesson written in the app" in skipped[0]
        latest = current_version("my-own")
        assert latest.origin == "authored" and latest.title == "Mine"
        assert db.session.query(LessonVersion).filter_by(lesson_id="my-own").count() == 1


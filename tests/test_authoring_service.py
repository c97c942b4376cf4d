"""Authoring service: create, edit into new versions, share, export and import, id collisions."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from webapp.content import load_lesson_dir
from webapp.extensions import db
from webapp.models import Attempt, Learner, LessonVersion, User
from webapp.services import authoring
from webapp.services.lessons import lesson_of, public_versions

ROOT = Path(__file__).resolve().parent.parent

ARTICLE = """Ferry fares will rise

The council says the new timetable proves the ferry is losing money, so fares must rise by a third.

Since the bridge opened last spring, fewer people take the ferry, and everyone agrees it is the only
way to cross in winter."""

SMALL = """\
schema_version: 1
id: {id}
title: "{title}"
summary: "A short piece on ferry fares."
level: introductory
estimated_minutes: 10
premise_types: [missing-evidence]
skills: ["Asking what a number is compared with"]
teacher_note: "Learners tend to accept the timetable as proof."
prompts:
  - id: proof
    text: "What does the council offer as proof?"
    hints: ["Look at the second paragraph.", "Does a timetable show money?"]
rubric:
  - id: timetable-proof
    title: "A timetable taken as proof of losses"
    points: 2
    prompts: [proof]
    passages:
      - "the new timetable proves the ferry is losing money"
    premise: "That a timetable can show the ferry's finances."
    why_it_matters: "A schedule says nothing about costs or takings."
    key_ideas:
      - id: timetable-not-accounts
        label: "a timetable is not financial evidence"
        phrasings: ["a timetable does not show money", "no accounts are given",
                    "schedule is not evidence of losses"]
    feedback:
      full: "Right: a timetable is no evidence of losses."
      partial: "What would actually show a loss?"
      missed: "Look at what the council offers as proof."
    model_answer: "A timetable shows when boats sail, not what they earn or cost."
article_text: |
{article}
"""


def small_yaml(lesson_id: str = "ferry-fares", title: str = "Ferry fares",
               article: str = ARTICLE) -> str:
    indented = "\n".join(("  " + line) if line else "" for line in article.splitlines())
    return SMALL.format(id=lesson_id, title=title, article=indented)


def small_lesson(lesson_id: str = "ferry-fares", **kwargs):
    lesson, errors = authoring.parse_inline(small_yaml(lesson_id, **kwargs))
    assert errors == []
    return lesson


def make_user(email: str, *, instructor: bool = True) -> User:
    user = User(email=email, display_name=email.split("@")[0], password_hash="x",
                is_instructor=instructor)
    db.session.add(user)
    db.session.commit()
    return user


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


def test_create_is_private_version_one(ctx):
    ada = make_user("ada@example.org")
    row = authoring.create_lesson(small_lesson(), ada)
    assert (row.version, row.origin, row.author_id, row.shared) == (1, "authored", ada.id, False)
    assert "ferry-fares" not in {v.lesson_id for v in public_versions()}
    assert [v.lesson_id for v in authoring.authored_lessons(ada)] == ["ferry-fares"]
    bob = make_user("bob@example.org")
    assert authoring.owned_version("ferry-fares", bob) is None
    assert authoring.authored_lessons(bob) == []


def test_edit_makes_a_new_version_and_old_work_keeps_its_text(ctx):
    ada = make_user("ada@example.org")
    v1 = authoring.create_lesson(small_lesson(), ada)
    learner = Learner()
    db.session.add(learner)
    db.session.flush()
    attempt = Attempt(learner_id=learner.id, lesson_version_id=v1.id)
    db.session.add(attempt)
    db.session.commit()

    edited = small_lesson(article=ARTICLE.replace("by a third", "by half"))
    saved = authoring.update_lesson("ferry-fares", edited, ada)
    assert saved.created and saved.version.version == 2
    assert authoring.owned_version("ferry-fares", ada).id == saved.version.id
    again = authoring.update_lesson("ferry-fares", edited, ada)
    assert not again.created and again.version.id == saved.version.id

    db.session.expire_all()
    old = db.session.get(Attempt, attempt.id)
    assert old.lesson_version_id == v1.id
    assert "by a third" in lesson_of(old.lesson_version).article_text
    assert "by half" in lesson_of(saved.version).article_text
    assert "by a third" not in lesson_of(saved.version).article_text


def test_edit_keeps_the_id_and_only_the_author_may_edit(ctx):
    ada, bob = make_user("ada@example.org"), make_user("bob@example.org")
    authoring.create_lesson(small_lesson(), ada)
    with pytest.raises(authoring.AuthoringError) as exc:
        authoring.update_lesson("ferry-fares", small_lesson("other-id"), ada)
    assert exc.value.errors[0].field == "id"
    with pytest.raises(LookupError):
        authoring.update_lesson("ferry-fares", small_lesson(), bob)


def test_share_then_edit_stays_shared_and_unshare_hides_it(ctx):
    ada = make_user("ada@example.org")
    authoring.create_lesson(small_lesson(), ada)
    authoring.set_shared("ferry-fares", ada, True)
    assert "ferry-fares" in {v.lesson_id for v in public_versions()}
    v2 = authoring.update_lesson("ferry-fares", small_lesson(title="Ferry fares, again"), ada)
    assert v2.version.shared
    public = {v.lesson_id: v for v in public_versions()}
    assert public["ferry-fares"].version == 2
    authoring.set_shared("ferry-fares", ada, False)
    assert "ferry-fares" not in {v.lesson_id for v in public_versions()}
    rows = db.session.scalars(select(LessonVersion).where(
        LessonVersion.lesson_id == "ferry-fares")).all()
    assert [r.shared for r in rows] == [False, False]


def test_ids_of_file_lessons_and_other_authors_are_refused(ctx):
    ada, bob = make_user("ada@example.org"), make_user("bob@example.org")
    with pytest.raises(authoring.AuthoringError, match="files"):
        authoring.create_lesson(small_lesson("russia-coup"), ada)
    authoring.create_lesson(small_lesson(), ada)
    with pytest.raises(authoring.AuthoringError, match="another author"):
        authoring.create_lesson(small_lesson(), bob)
    with pytest.raises(authoring.AuthoringError, match="another author"):
        authoring.import_lesson(small_lesson(), bob)
    with pytest.raises(authoring.AuthoringError, match="already have"):
        authoring.create_lesson(small_lesson(), ada)
    with pytest.raises(authoring.AuthoringError, match="reserved"):
        authoring.create_lesson(small_lesson("new"), ada)
    # a folder in lessons/ that does not load is still a file lesson's id
    assert "files" in authoring.id_problem("some-folder", ada, lessons_dir=_dir_with("some-folder"))


def _dir_with(name: str) -> str:
    import tempfile

    root = Path(tempfile.mkdtemp())
    (root / name).mkdir()
    return str(root)


@pytest.mark.parametrize("lesson_dir", sorted(p.name for p in (ROOT / "lessons").iterdir()
                                              if (p / "lesson.yaml").is_file()))
def test_export_then_import_round_trip_is_equal(lesson_dir):
    lesson, errors = load_lesson_dir(ROOT / "lessons" / lesson_dir)
    assert errors == []
    inline, errors = authoring.parse_upload(f"{lesson.id}.lesson.yaml",
                                            authoring.lesson_yaml(lesson).encode(),
                                            max_bytes=10**6)
    assert errors == [] and inline == lesson
    zipped, errors = authoring.parse_upload(f"{lesson.id}.zip", authoring.lesson_zip(lesson),
                                            max_bytes=10**6)
    assert errors == [] and zipped == lesson
    with zipfile.ZipFile(io.BytesIO(authoring.lesson_zip(lesson))) as archive:
        yaml_text = archive.read(f"{lesson.id}/lesson.yaml").decode()
        article = archive.read(f"{lesson.id}/article.txt").decode()
    assert "article_text" not in yaml_text
    two_files, errors = authoring.parse_upload("lesson.yaml", yaml_text.encode(),
                                               article_raw=article.encode(), max_bytes=10**6)
    assert errors == [] and two_files == lesson


def test_exported_zip_is_a_lesson_folder_the_loader_reads(tmp_path):
    lesson = small_lesson()
    with zipfile.ZipFile(io.BytesIO(authoring.lesson_zip(lesson))) as archive:
        archive.extractall(tmp_path)
    loaded, errors = load_lesson_dir(tmp_path / "ferry-fares")
    assert errors == [] and loaded == lesson


def test_import_lists_every_error_with_field_and_line():
    text = small_yaml().replace("points: 2", "points: lots").replace(
        "level: introductory", "level: easy").replace(
        '"the new timetable proves the ferry is losing money"', '"a sentence not in the text"'
    ).replace("    prompts: [proof]", "    prompts: [proof]\n    colour: red")
    lesson, errors = authoring.parse_upload("bad.yaml", text.encode(), max_bytes=10**6)
    assert lesson is None
    fields = {e.field: e for e in errors}
    assert {"level", "rubric[0].points", "rubric[0].colour"} <= set(fields)
    assert all(e.line for e in errors)
    assert fields["level"].line == text.splitlines().index("level: easy") + 1
    # the passage check runs once the schema passes
    only_passage = small_yaml().replace('"the new timetable proves the ferry is losing money"',
                                        '"a sentence not in the text"')
    _, errors = authoring.parse_upload("bad.yaml", only_passage.encode(), max_bytes=10**6)
    assert [e.field for e in errors] == ["rubric[0].passages[0]"]
    assert "not found in the article" in errors[0].message


@pytest.mark.parametrize("name,payload,message", [
    ("x.zip", b"PK\x03\x04 broken", "not a readable zip"),
    ("x.yaml", b"\xff\xfe bad", "not UTF-8"),
    ("x.yaml", b"id: [unclosed", "not valid YAML"),
    ("x.yaml", b"- a list", "must be a mapping"),
    ("x.yaml", b"a" * 2000, "larger than"),
])
def test_unreadable_uploads_get_a_clear_error(name, payload, message):
    lesson, errors = authoring.parse_upload(name, payload, max_bytes=1000)
    assert lesson is None and len(errors) == 1 and message in errors[0].message


def test_zip_without_its_article_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ferry/lesson.yaml", authoring.lesson_yaml(small_lesson(),
                                                                   inline_article=False))
    lesson, errors = authoring.parse_upload("ferry.zip", buffer.getvalue(), max_bytes=10**6)
    assert lesson is None and errors[0].field == "article"


def test_sample_annotation_is_w3c():
    annotation = authoring.sample_annotation("the ferry", "a note", prompt_id="proof",
                                             start=3, end=12)
    assert annotation["type"] == "Annotation"
    assert {s["type"] for s in annotation["target"]["selector"]} == {"TextQuoteSelector",
                                                                   "TextPositionSelector"}
    assert annotation["body"][0] == {"type": "TextualBody", "purpose": "commenting",
                                     "value": "a note"}
    assert annotation["body"][1]["purpose"] == "tagging"


@pytest.mark.parametrize("note,item,credit", [
    ("A timetable does not show money; the council gives no accounts at all.",
     "timetable-proof", 1.0),
    ("I agree, fares must rise.", None, 0.0),
])
def test_try_rubric_scores_like_a_learner_annotation(note, item, credit):
    lesson = small_lesson()
    exact = "the new timetable proves the ferry is losing money"
    start = lesson.article_text.index(exact)
    result = authoring.try_rubric(lesson, exact, note, prompt_id="proof", start=start,
                                  end=start + len(exact))
    assert (result.item, result.credit) == (item, credit)
    assert 0 <= result.confidence <= 1 and result.feedback


def test_try_rubric_with_offsets_of_another_text_anchors_by_the_quote():
    lesson = small_lesson()
    exact = "the new timetable proves the ferry is losing money"
    result = authoring.try_rubric(lesson, exact, "A timetable does not show money.",
                                  start=0, end=len(exact))
    assert result.error is None and result.item == "timetable-proof"
    missing = authoring.try_rubric(lesson, "words that are nowhere in it", "A note.")
    assert missing.credit == 0 and missing.error


def test_an_assignment_keeps_the_version_it_was_given(ctx):
    from webapp.services import classes

    ada = make_user("ada@example.org")
    authoring.create_lesson(small_lesson(), ada)
    classroom = classes.create_classroom(ada, "Year 10")
    assignment = classes.create_assignment(classroom, ada, lesson_id="ferry-fares")
    assert assignment.lesson_version.version == 1
    authoring.update_lesson("ferry-fares", small_lesson(
        article=ARTICLE.replace("by a third", "by half")), ada)
    db.session.expire_all()
    assert assignment.lesson_version.version == 1
    assert "by a third" in lesson_of(assignment.lesson_version).article_text
    later = classes.create_assignment(classroom, ada, lesson_id="ferry-fares")
    assert later.lesson_version.version == 2
    learner = Learner()
    db.session.add(learner)
    db.session.flush()
    db.session.add(Attempt(learner_id=learner.id, lesson_version_id=assignment.lesson_version_id,
                           assignment_id=assignment.id))
    db.session.commit()
    history = authoring.version_history("ferry-fares")
    assert [(u.version.version, u.assignments, u.attempts) for u in history] == [
        (2, 1, 0), (1, 1, 1)]


def test_a_corrupt_zip_member_is_an_error_not_a_crash():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("lesson.yaml", small_yaml())
    data = bytearray(buffer.getvalue())
    at = data.index(b"schema_version")
    data[at] ^= 0x20  # the stored CRC no longer matches
    lesson, errors = authoring.parse_upload("x.zip", bytes(data), max_bytes=10**6)
    assert lesson is None and "not readable" in errors[0].message

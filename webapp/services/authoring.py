"""Lessons written in the browser: create, edit (a new version each time), share, export, import.

An authored lesson is stored like a file lesson, as immutable ``LessonVersion`` rows (origin
``authored``, ``author_id`` set), so assignments and attempts keep the version they were made on.
It is private to its author (``shared`` false) until shared; sharing is a property of the lesson,
so it is set on every version and inherited by later ones. Validation is the lesson-file
validation itself (:func:`webapp.content.loader.parse_lesson`), on a YAML document that carries the
article inline under ``article_text``: the same document the app exports and imports.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ..content import Lesson, LessonError
from ..content.loader import LESSON_FILE, parse_lesson
from ..extensions import db
from ..models import Assignment, Attempt, LessonVersion, User
from .lessons import current_version, store_version

ORIGIN = "authored"
INLINE_FILE = "lesson.yaml"
MAX_ZIP_MEMBERS = 20
RESERVED_IDS = frozenset({"new", "import"})  # would clash with the authoring pages' addresses


class AuthoringError(Exception):
    """A lesson could not be saved; ``errors`` says where and why (field and line)."""

    def __init__(self, errors: list[LessonError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class SavedLesson:
    version: LessonVersion
    created: bool  # False when the content was the same as the newest version


# ----------------------------------------------------------------------------- lesson <-> YAML

class _LessonDumper(yaml.SafeDumper):
    """Writes multi-line strings as literal blocks so an exported article stays readable."""


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_LessonDumper.add_representer(str, _str_representer)


def dump_yaml(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_LessonDumper, sort_keys=False, allow_unicode=True, width=100)


def lesson_document(lesson: Lesson, *, inline_article: bool = True) -> dict[str, Any]:
    """The lesson as the mapping a lesson file holds (defaults left out)."""
    data = lesson.model_dump(mode="json", exclude_defaults=True, exclude={"article_text"})
    data["schema_version"] = lesson.schema_version
    if inline_article:
        data.pop("article", None)
        data["article_text"] = lesson.article_text
    return data


def lesson_yaml(lesson: Lesson, *, inline_article: bool = True) -> str:
    """The lesson as YAML: with the article inline (one file), or naming ``article.txt``."""
    return dump_yaml(lesson_document(lesson, inline_article=inline_article))


def lesson_zip(lesson: Lesson) -> bytes:
    """A zip of ``<id>/lesson.yaml`` and ``<id>/<article>`` laid out as lessons/README.md says."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{lesson.id}/{LESSON_FILE}", lesson_yaml(lesson, inline_article=False))
        archive.writestr(f"{lesson.id}/{lesson.article}", lesson.article_text + "\n")
    return buffer.getvalue()


def parse_inline(yaml_text: str, *, file_name: str = INLINE_FILE, max_bytes: int | None = None
                 ) -> tuple[Lesson | None, list[LessonError]]:
    """Validate a lesson document with the article inline (the file validation, unchanged).

    ``max_bytes`` is the lesson-file size limit, applied to the document as a whole.
    """
    if max_bytes is not None and len(yaml_text.encode("utf-8")) > max_bytes:
        return None, [LessonError(file_name, "", f"the lesson is larger than {max_bytes} bytes, "
                                  "the limit for a lesson file")]
    return parse_lesson(yaml_text, None, file_name=file_name)


def _decode(raw: bytes, name: str) -> tuple[str | None, list[LessonError]]:
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        return None, [LessonError(name, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})")]


def parse_upload(file_name: str, raw: bytes, *, article_raw: bytes | None = None,
                 max_bytes: int) -> tuple[Lesson | None, list[LessonError]]:
    """Validate an uploaded lesson file and list every error.

    Accepted: one YAML file with the article inline under ``article_text``; a ``lesson.yaml``
    together with its article file (``article_raw``); or a zip holding ``lesson.yaml`` and the
    article file it names, at the top or in one folder (what :func:`lesson_zip` writes).
    """
    name = PurePosixPath(file_name.replace("\\", "/")).name or "upload"
    if len(raw) > max_bytes:
        return None, [LessonError(name, "", f"file is larger than {max_bytes} bytes")]
    if raw[:4] == b"PK\x03\x04" or name.lower().endswith(".zip"):
        return _parse_zip(name, raw, max_bytes=max_bytes)
    text, errors = _decode(raw, name)
    if text is None:
        return None, errors
    if article_raw is not None:
        if len(article_raw) > max_bytes:
            return None, [LessonError("article", "", f"file is larger than {max_bytes} bytes")]
        article, errors = _decode(article_raw, "article")
        if article is None:
            return None, errors
        return parse_lesson(text, article, file_name=name)
    return parse_inline(text, file_name=name, max_bytes=max_bytes)


def _parse_zip(name: str, raw: bytes, *, max_bytes: int) -> tuple[Lesson | None, list[LessonError]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, ValueError) as exc:
        return None, [LessonError(name, "", f"not a readable zip file ({exc})")]
    if len(members) > MAX_ZIP_MEMBERS:
        return None, [LessonError(name, "", f"holds {len(members)} files; a lesson zip holds "
                                  "lesson.yaml and its article")]
    by_name = {PurePosixPath(m.filename): m for m in members}
    lesson_files = [p for p in by_name if p.name == LESSON_FILE and len(p.parts) <= 2]
    if len(lesson_files) != 1:
        found = "no" if not lesson_files else "more than one"
        return None, [LessonError(name, "", f"{found} {LESSON_FILE} found; the zip must hold "
                                  f"{LESSON_FILE} and its article, at the top or in one folder")]
    lesson_path = lesson_files[0]
    shown = f"{name}/{lesson_path}"

    def read(path: PurePosixPath) -> tuple[str | None, list[LessonError]]:
        member = by_name[path]
        too_large = [LessonError(f"{name}/{path}", "", f"file is larger than {max_bytes} bytes")]
        if member.file_size > max_bytes:
            return None, too_large
        try:  # read at most max_bytes + 1: the sizes a zip states can be forged
            with archive.open(member) as handle:
                data = handle.read(max_bytes + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            return None, [LessonError(f"{name}/{path}", "", f"not readable ({exc})")]
        if len(data) > max_bytes:
            return None, too_large
        return _decode(data, f"{name}/{path}")

    yaml_text, errors = read(lesson_path)
    if yaml_text is None:
        return None, errors
    try:
        data = yaml.safe_load(yaml_text)
    except yaml.YAMLError:
        data = None
    if isinstance(data, dict) and "article_text" in data:
        return parse_inline(yaml_text, file_name=shown)
    article_name = data.get("article", "article.txt") if isinstance(data, dict) else "article.txt"
    if not isinstance(article_name, str) or "/" in article_name or article_name.startswith("."):
        return None, [LessonError(shown, "article", "must be a file name beside lesson.yaml")]
    article_path = lesson_path.parent / article_name
    if article_path not in by_name:
        return None, [LessonError(shown, "article", f"article file {article_name!r} not found "
                                  "in the zip beside lesson.yaml")]
    article, errors = read(article_path)
    if article is None:
        return None, errors
    return parse_lesson(yaml_text, article, file_name=shown)


# ----------------------------------------------------------------------------- who owns what

def authored_lessons(author: User) -> list[LessonVersion]:
    """The newest version of each lesson this author wrote, by title."""
    rows = db.session.scalars(
        select(LessonVersion).where(LessonVersion.origin == ORIGIN,
                                    LessonVersion.author_id == author.id)
        .order_by(LessonVersion.lesson_id, LessonVersion.version.desc())
    ).all()
    newest: dict[str, LessonVersion] = {}
    for row in rows:
        newest.setdefault(row.lesson_id, row)
    return sorted(newest.values(), key=lambda v: (v.title.lower(), v.lesson_id))


def owned_version(lesson_id: str, author: User) -> LessonVersion | None:
    """The newest version of ``lesson_id`` if ``author`` wrote it in the app, else None."""
    row = current_version(lesson_id)
    if row is None or row.origin != ORIGIN or row.author_id != author.id:
        return None
    return row


@dataclass(frozen=True, slots=True)
class VersionUse:
    """One version of a lesson and the work tied to it."""

    version: LessonVersion
    assignments: int
    attempts: int


def copyable_version(lesson_id: str, user: User) -> LessonVersion | None:
    """The newest version of a lesson ``user`` may start a lesson of their own from: one in the
    library (a file lesson or a shared one) or one they wrote."""
    row = current_version(lesson_id)
    if row is None or not (row.shared or (row.origin == ORIGIN and row.author_id == user.id)):
        return None
    return row


def version_of(lesson_id: str, number: int) -> LessonVersion | None:
    """Version ``number`` of a lesson, or None."""
    return db.session.scalars(select(LessonVersion).where(
        LessonVersion.lesson_id == lesson_id, LessonVersion.version == number)).first()


def version_history(lesson_id: str) -> list[VersionUse]:
    """Every version of a lesson, newest first, with how many assignments and attempts use it."""
    versions = db.session.scalars(
        select(LessonVersion).where(LessonVersion.lesson_id == lesson_id)
        .order_by(LessonVersion.version.desc())).all()
    ids = [v.id for v in versions]

    def counts(model) -> dict[int, int]:
        rows = db.session.execute(
            select(model.lesson_version_id, func.count(model.id))
            .where(model.lesson_version_id.in_(ids)).group_by(model.lesson_version_id))
        return {version_id: count for version_id, count in rows}

    assignments, attempts = counts(Assignment), counts(Attempt)
    return [VersionUse(v, assignments.get(v.id, 0), attempts.get(v.id, 0)) for v in versions]


def id_problem(lesson_id: str, author: User, *,
               lessons_dir: str | Path | None = None) -> str | None:
    """Why ``author`` may not use ``lesson_id`` for a new lesson, or None if it is free."""
    if lesson_id in RESERVED_IDS:
        return f"{lesson_id!r} is reserved by the app; choose another id"
    rows = db.session.scalars(
        select(LessonVersion).where(LessonVersion.lesson_id == lesson_id)).all()
    if any(r.origin != ORIGIN for r in rows) or (
            lessons_dir is not None and (Path(lessons_dir) / lesson_id).exists()):
        return f"{lesson_id!r} is the id of a lesson in the library's files; choose another id"
    if any(r.author_id != author.id for r in rows):
        return f"{lesson_id!r} is already used by another author's lesson; choose another id"
    if rows:
        return f"you already have a lesson with the id {lesson_id!r}; edit it instead"
    return None


def _id_error(message: str) -> AuthoringError:
    return AuthoringError([LessonError(INLINE_FILE, "id", message)])


# ----------------------------------------------------------------------------- state changes

def create_lesson(lesson: Lesson, author: User, *,
                  lessons_dir: str | Path | None = None) -> LessonVersion:
    """Store a new private lesson written by ``author`` (version 1)."""
    problem = id_problem(lesson.id, author, lessons_dir=lessons_dir)
    if problem:
        raise _id_error(problem)
    try:
        row = store_version(lesson, origin=ORIGIN, author_id=author.id, shared=False)
        db.session.commit()
    except IntegrityError as exc:  # someone took the id between the check and the insert
        db.session.rollback()
        raise _id_error(f"{lesson.id!r} was just taken by another lesson; choose another id") \
            from exc
    return row


def update_lesson(lesson_id: str, lesson: Lesson, author: User) -> SavedLesson:
    """Store edited content as the next version; earlier versions stay as they were."""
    latest = owned_version(lesson_id, author)
    if latest is None:
        raise LookupError(lesson_id)
    if lesson.id != lesson_id:
        raise _id_error(f"is {lesson.id!r} but this lesson is {lesson_id!r}; a lesson keeps its "
                        "id (import the file as a new lesson to change it)")
    try:
        row = store_version(lesson, origin=ORIGIN, author_id=author.id, shared=latest.shared)
        db.session.commit()
    except IntegrityError as exc:  # two saves of the same lesson at once
        db.session.rollback()
        raise AuthoringError([LessonError(INLINE_FILE, "", "the lesson was saved from elsewhere "
                                          "at the same moment; reload and try again")]) from exc
    return SavedLesson(row, created=row.id != latest.id)


def import_lesson(lesson: Lesson, author: User, *,
                  lessons_dir: str | Path | None = None) -> SavedLesson:
    """Add an imported lesson: a new lesson, or a new version of the author's own one."""
    if owned_version(lesson.id, author) is not None:
        return update_lesson(lesson.id, lesson, author)
    return SavedLesson(create_lesson(lesson, author, lessons_dir=lessons_dir), created=True)


def set_shared(lesson_id: str, author: User, shared: bool) -> LessonVersion:
    """Share the lesson with everyone (the library lists it) or make it private again."""
    latest = owned_version(lesson_id, author)
    if latest is None:
        raise LookupError(lesson_id)
    db.session.execute(update(LessonVersion).where(LessonVersion.lesson_id == lesson_id)
                       .values(shared=shared))
    db.session.commit()
    db.session.refresh(latest)
    return latest


# ----------------------------------------------------------------------------- try the rubric

def sample_annotation(exact: str, note: str, *, prompt_id: str | None = None,
                      start: int | None = None, end: int | None = None) -> dict[str, Any]:
    """A W3C Web Annotation for one sample highlight and note (what learners' exports hold)."""
    selectors: list[dict[str, Any]] = [{"type": "TextQuoteSelector", "exact": exact}]
    if start is not None and end is not None:
        selectors.append({"type": "TextPositionSelector", "start": start, "end": end})
    body: list[dict[str, Any]] = [{"type": "TextualBody", "purpose": "commenting", "value": note}]
    if prompt_id:
        body.append({"type": "TextualBody", "purpose": "tagging", "value": prompt_id})
    return {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "urn:try-the-rubric:1",
            "type": "Annotation", "body": body, "target": {"selector": selectors}}


def try_rubric(lesson: Lesson, exact: str, note: str, *, prompt_id: str | None = None,
               start: int | None = None, end: int | None = None):
    """Score one sample annotation exactly as a learner's would be; returns its result."""
    from ..scoring import score_annotations

    if start is not None and end is not None and lesson.article_text[start:end] != exact:
        start = end = None  # the offsets belong to another text; anchor by the quote
    annotation = sample_annotation(exact, note, prompt_id=prompt_id, start=start, end=end)
    return score_annotations(lesson, [annotation]).annotations[0]


def slugify(text: str, *, limit: int = 40) -> str:
    """A lesson-file id made from a title or label."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].rstrip("-")

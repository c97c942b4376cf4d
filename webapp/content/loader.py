"""Load lesson folders, collecting every error with its file, field and line (CTFd-style import).

A lesson folder holds ``lesson.yaml`` and the article file it names. Nothing raises on bad content:
:func:`load_lessons` returns the lessons that validated and the full list of errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .schema import Lesson
from .text import served_text

LESSON_FILE = "lesson.yaml"
DEFAULT_MAX_BYTES = 512 * 1024


@dataclass(frozen=True, slots=True)
class LessonError:
    """One problem in one lesson file."""

    file: str
    field: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        if self.field:
            return f"{where}: {self.field}: {self.message}"
        return f"{where}: {self.message}"


@dataclass
class LessonLoadReport:
    lessons: dict[str, Lesson] = field(default_factory=dict)
    errors: list[LessonError] = field(default_factory=list)
    sources: dict[str, Path] = field(default_factory=dict)


def _field_path(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _line_of(node: yaml.Node | None, loc: Iterable[Any]) -> int | None:
    """Follow a pydantic error location through the YAML node tree to a 1-based line."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == part:
                    node, line = value, key.start_mark.line + 1
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return line
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _normalise_ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed: ~10x faster


def _parse_yaml(yaml_text: str) -> tuple[yaml.Node | None, Any]:
    """Parse once, keeping both the node tree (for line numbers) and the plain data."""
    loader = _Loader(yaml_text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, data


def parse_lesson(
    yaml_text: str,
    article_raw: str | None,
    *,
    file_name: str,
    expected_id: str | None = None,
    _parsed: tuple[yaml.Node | None, Any] | None = None,
) -> tuple[Lesson | None, list[LessonError]]:
    """Validate one lesson given its YAML text and raw article text.

    ``article_raw`` of None means the YAML must carry the article inline under ``article_text``
    (used by lessons written in the browser and by lesson export/import).
    """
    errors: list[LessonError] = []
    try:
        node, data = _parsed if _parsed is not None else _parse_yaml(yaml_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [LessonError(file_name, "", f"not valid YAML: {problem}",
                                  mark.line + 1 if mark else None)]
    if not isinstance(data, dict):
        return None, [LessonError(file_name, "", "must be a mapping of fields (key: value)", 1)]
    if article_raw is not None:
        if "article_text" in data:
            errors.append(LessonError(file_name, "article_text",
                                      "not allowed in a lesson file; put the article in its "
                                      "own file",
                                      _line_of(node, ["article_text"])))
            return None, errors
        data["article_text"] = served_text(article_raw)
    elif isinstance(data.get("article_text"), str):
        data["article_text"] = served_text(data["article_text"])
    try:
        lesson = Lesson.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
            message = err["msg"]
            if err["type"] == "extra_forbidden":
                message = "unknown field (check the spelling; see lessons/README.md)"
            elif err["type"] == "missing":
                message = "required field is missing"
            errors.append(LessonError(file_name, _field_path(loc), message, _line_of(node, loc)))
        return None, errors

    if not lesson.article_text.strip():
        errors.append(LessonError(file_name, "article", "the article is empty",
                                  _line_of(node, ["article"])))
    if expected_id is not None and lesson.id != expected_id:
        errors.append(LessonError(file_name, "id", f"is {lesson.id!r} but the folder is named "
                                  f"{expected_id!r}; they must match", _line_of(node, ["id"])))
    _check_unique(errors, file_name, node, "prompts", [p.id for p in lesson.prompts])
    _check_unique(errors, file_name, node, "rubric", [i.id for i in lesson.rubric])
    prompt_ids = {p.id for p in lesson.prompts}
    plain = _normalise_ws(lesson.article_text)
    for i, item in enumerate(lesson.rubric):
        for j, ref in enumerate(item.prompts):
            if ref not in prompt_ids:
                loc = ["rubric", i, "prompts", j]
                errors.append(LessonError(file_name, _field_path(loc),
                                          f"names prompt {ref!r}, which the lesson does not have",
                                          _line_of(node, loc)))
        for j, passage in enumerate(item.passages):
            if passage not in lesson.article_text and _normalise_ws(passage) not in plain:
                loc = ["rubric", i, "passages", j]
                errors.append(LessonError(file_name, _field_path(loc),
                                          f"passage not found in the article: {passage[:60]!r}",
                                          _line_of(node, loc)))
        seen: set[str] = set()
        for k, idea in enumerate(item.key_ideas + item.partial_ideas):
            if idea.id in seen:
                loc = ["rubric", i, "key_ideas" if k < len(item.key_ideas) else "partial_ideas"]
                errors.append(LessonError(file_name, _field_path(loc),
                                          f"idea id {idea.id!r} is used twice",
                                          _line_of(node, loc)))
            seen.add(idea.id)
    return (None if errors else lesson), errors


def _check_unique(errors: list[LessonError], file_name: str, node: yaml.Node, key: str,
                  ids: list[str]) -> None:
    seen: set[str] = set()
    for index, ident in enumerate(ids):
        if ident in seen:
            loc = [key, index, "id"]
            errors.append(LessonError(file_name, _field_path(loc), f"id {ident!r} is used twice",
                                      _line_of(node, loc)))
        seen.add(ident)


def load_lesson_dir(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES,
                    root: Path | None = None) -> tuple[Lesson | None, list[LessonError]]:
    """Load and validate one lesson folder."""
    path = Path(path)
    shown = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
    lesson_file = path / LESSON_FILE
    name = f"{shown}/{LESSON_FILE}"
    if not lesson_file.is_file():
        return None, [LessonError(name, "", "missing: a lesson folder needs a lesson.yaml")]
    try:
        if lesson_file.stat().st_size > max_bytes:
            return None, [LessonError(name, "", f"file is larger than {max_bytes} bytes")]
        yaml_text = lesson_file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [LessonError(name, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})")]
    parsed: tuple[yaml.Node | None, Any] | None = None
    article_name: Any = "article.txt"
    try:
        parsed = _parse_yaml(yaml_text)
        if isinstance(parsed[1], dict):
            article_name = parsed[1].get("article", "article.txt")
    except yaml.YAMLError:
        pass  # parse_lesson reports it with its line
    if not isinstance(article_name, str) or "/" in article_name or article_name.startswith("."):
        return None, [LessonError(name, "article", "must be a file name inside the lesson folder")]
    article_path = path / article_name
    if not article_path.is_file():
        return None, [LessonError(name, "article", f"article file {article_name!r} not found "
                                  f"in {shown}/")]
    try:
        if article_path.stat().st_size > max_bytes:
            return None, [LessonError(f"{shown}/{article_name}", "",
                                      f"file is larger than {max_bytes} bytes")]
        article_raw = article_path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [LessonError(f"{shown}/{article_name}", "",
                                  f"not UTF-8 text ({exc.reason} at byte {exc.start})")]
    return parse_lesson(yaml_text, article_raw, file_name=name, expected_id=path.name,
                        _parsed=parsed)


def load_lessons(root: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> LessonLoadReport:
    """Load every lesson folder under ``root`` (or ``root`` itself if it is one lesson)."""
    root = Path(root)
    report = LessonLoadReport()
    if (root / LESSON_FILE).is_file():
        folders = [root]
        base = root.parent
    else:
        folders = sorted(p for p in root.iterdir()
                         if p.is_dir() and not p.name.startswith((".", "_")))
        base = root
    for folder in folders:
        lesson, errors = load_lesson_dir(folder, max_bytes=max_bytes, root=base)
        report.errors.extend(errors)
        if lesson is not None:
            if lesson.id in report.lessons:
                report.errors.append(LessonError(f"{folder.name}/{LESSON_FILE}", "id",
                                                 f"lesson id {lesson.id!r} is used by two folders"))
                continue
            report.lessons[lesson.id] = lesson
            report.sources[lesson.id] = folder
    return report

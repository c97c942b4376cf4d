"""The compiled scorer (``python -m webapp.scoring.compile``) is used only when it was built from
the source beside it: an edit to the scorer is never shadowed by an old build.

Each test copies the webapp package (its source only) to a temporary directory, puts a file named
as the compiled ``scorer`` module beside ``scorer.py`` there (not a real extension: importing it
fails), and imports the scorer in a fresh interpreter. Last, the records whose ``__init__`` is
written out for the compiled build to compile store every field.
"""

from __future__ import annotations

import importlib.machinery
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from webapp.scoring._native import source_digest

ROOT = Path(__file__).resolve().parents[1]
PROBE = (
    "import webapp.scoring as s, webapp.scoring.scorer as sc\n"
    "from webapp.content import load_lesson_dir\n"
    "from pathlib import Path\n"
    "lesson, _ = load_lesson_dir(Path({lessons!r}) / 'russia-coup')\n"
    "r = s.score_annotations(lesson, [{{'bodyValue': 'There was no coup in Russia at all: it is"
    " made up.', 'target': {{'selector': {{'type': 'TextQuoteSelector', 'exact': 'The recent"
    " coup in Russia'}}}}}}])\n"
    "print(s.COMPILED, Path(sc.__file__).name, r.annotations[0].item,"
    " r.annotations[0].credit)\n"
)


def _copy_source(where: Path) -> None:
    """A copy of the webapp package's source (no build) in ``where``."""
    shutil.copytree(ROOT / "webapp", where / "webapp",
                    ignore=shutil.ignore_patterns("__pycache__", "*.so", "compiled.stamp"))


@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    """A copy of the webapp package's source, with a fake compiled scorer beside scorer.py."""
    _copy_source(tmp_path)
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    (tmp_path / "webapp" / "scoring" / f"scorer{suffix}").write_bytes(b"not a shared library")
    return tmp_path


def _run(where: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "SCORER_PURE"} | env
    return subprocess.run(
        [sys.executable, "-W", "default", "-c", PROBE.format(lessons=str(ROOT / "lessons"))],
        cwd=where, env=environment, capture_output=True, text=True, timeout=120, check=False)


def _stamp(where: Path, text: str | None = None) -> None:
    """The stamp a build leaves: ``text``, or the digest of the copy's source, as the build
    works it out."""
    package = where / "webapp" / "scoring"
    (package / "compiled.stamp").write_text(
        (text if text is not None else source_digest(package)) + "\n", encoding="utf-8")


def test_a_build_from_other_source_is_not_loaded(copy: Path) -> None:
    _stamp(copy, "0" * 64)  # built from some earlier source
    done = _run(copy)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "scorer.py", "hypothetical-coup", "1.0"]
    assert "built from other source" in done.stderr
    assert "python -m webapp.scoring.compile" in done.stderr


def test_a_build_without_a_stamp_is_not_loaded(copy: Path) -> None:
    done = _run(copy)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[:2] == ["False", "scorer.py"]
    assert "built from other source" in done.stderr


def test_a_build_from_this_source_is_loaded_unless_pure_is_asked_for(copy: Path) -> None:
    _stamp(copy)
    # the build matches: it is what gets imported (here a fake, which cannot load)
    done = _run(copy)
    assert done.returncode != 0
    assert "ImportError" in done.stderr and "scorer" in done.stderr
    # SCORER_PURE=1 runs the source, quietly
    done = _run(copy, SCORER_PURE="1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "scorer.py", "hypothetical-coup", "1.0"]
    assert "RuntimeWarning" not in done.stderr


def test_without_a_build_the_source_runs_quietly(tmp_path: Path) -> None:
    _copy_source(tmp_path)
    done = _run(tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "scorer.py", "hypothetical-coup", "1.0"]
    assert "RuntimeWarning" not in done.stderr


# A value of each field's type other than its default, to see that the written-out __init__ of
# each record the scorer makes per clause and per item (written out so that the compiled build
# compiles it) stores every argument under its own field.
_OTHER = {bool: True, int: 7, float: 0.25, str: "label"}


def _other(default: object) -> object:
    if isinstance(default, tuple):
        return tuple(x + 0.5 for x in default) if default else ("flag",)
    return _OTHER[type(default)] if default is not None else "label"


def test_item_evidence_stores_every_field_it_is_given() -> None:
    from dataclasses import MISSING, fields

    from webapp.scoring.scorer import ItemEvidence

    empty = ItemEvidence()
    for f in fields(ItemEvidence):
        default = f.default_factory() if f.default is MISSING else f.default  # type: ignore[misc]
        assert getattr(empty, f.name) == default, f.name
        given = {"x": 1.0} if isinstance(default, dict) else _other(default)
        assert getattr(ItemEvidence(**{f.name: given}), f.name) == given, f.name


def test_verdict_and_note_clause_set_every_field() -> None:
    from dataclasses import fields

    from webapp.scoring.scorer import NoteClause, Verdict

    verdict = Verdict(3, 0.5, 0.8, 0.9, ("idea",), "feedback")
    assert (verdict.item, verdict.credit, verdict.strength, verdict.confidence, verdict.ideas,
            verdict.feedback, verdict.flags, verdict.weight) == (
        3, 0.5, 0.8, 0.9, ("idea",), "feedback", (), 0.0)
    given = dict(zip([f.name for f in fields(Verdict)],
                     (4, 1.0, 0.7, 0.6, ("a",), "text", ("doubt",), 2.5), strict=True))
    assert {f.name: getattr(Verdict(**given), f.name) for f in fields(Verdict)} == given
    for clause in (("coup", "#happen"), ("#not", "coup", "#happen", ",", "#source")):
        read = NoteClause.read(clause)
        # (a field left unset in a slotted class would make repr fail)
        assert repr(read).startswith("NoteClause(")
        assert read.concepts == clause and read.scope_parities == {}

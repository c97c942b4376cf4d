"""Which scorer runs: the compiled one (``python -m webapp.scoring.compile``) or the source.

Imported by ``webapp.scoring`` before any of its modules. When a compiled build lies beside the
source but the source has changed since it was built (its stamp no longer matches), or when
``SCORER_PURE=1`` is set, the modules are loaded from their source, so that an edit to the
scorer is never shadowed by an old build.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

PACKAGE_DIR = Path(__file__).resolve().parent
PACKAGE = __name__.rpartition(".")[0]
# the modules the build compiles: all of the scoring package that judges a note
COMPILED_MODULES = ("scorer", "language", "prepared", "lexicon", "anchoring", "annotations",
                    "results")
STAMP = PACKAGE_DIR / "compiled.stamp"


def source_digest(package_dir: Path = PACKAGE_DIR) -> str:
    """One SHA-256 over the compiled modules' source (in ``package_dir``), in order."""
    digest = hashlib.sha256()
    for name in COMPILED_MODULES:
        digest.update((package_dir / f"{name}.py").read_bytes())
    return digest.hexdigest()


def built_files() -> list[Path]:
    """The files a build made: the extension modules and the stamp."""
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    found = [p for p in PACKAGE_DIR.iterdir() if p.name.endswith(suffixes)]
    return sorted(found + ([STAMP] if STAMP.exists() else []))


class _SourceFirst(importlib.abc.MetaPathFinder):
    """Loads the compiled modules' names from their ``.py`` files."""

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        package, _, name = fullname.rpartition(".")
        if package != PACKAGE or name not in COMPILED_MODULES:
            return None
        return importlib.util.spec_from_file_location(fullname, PACKAGE_DIR / f"{name}.py")


def _choose() -> bool:
    """Whether the compiled build is used (installing the source-first finder otherwise)."""
    if not any(p.name != STAMP.name for p in built_files()):
        return False  # no build: plain Python, nothing to do
    if os.environ.get("SCORER_PURE") != "1":  # (asked for: the source, quietly)
        if STAMP.exists() and STAMP.read_text(encoding="utf-8").strip() == source_digest():
            return True
        warnings.warn("the compiled scorer was built from other source than webapp/scoring's; "
                      "running the source instead (rebuild: python -m webapp.scoring.compile)",
                      RuntimeWarning, stacklevel=3)
    sys.meta_path.insert(0, _SourceFirst())
    return False


COMPILED = _choose()

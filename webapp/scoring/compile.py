"""Build the compiled scorer: the scoring package turned into C extension modules by mypyc.

    python -m webapp.scoring.compile          # build (needs mypy and a C compiler)
    python -m webapp.scoring.compile --clean  # remove the build: back to pure Python

The same typed source, compiled: the results are the same, note for note (the test suite and
``tests/benchmarks/bench_scorer.py`` run on either), and a class is scored in about seven tenths
of the instructions (see the README's Speed section). The build is optional: without it the
package runs as plain Python. The extension modules lie beside their source
(``webapp/scoring/scorer.cpython-311-x86_64-linux-gnu.so`` next to ``scorer.py``) with a stamp
of the source they were built from; when the source has changed since, ``webapp.scoring`` loads
the source instead and warns (see :mod:`webapp.scoring._native`).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from ._native import COMPILED_MODULES, PACKAGE_DIR, STAMP, built_files, source_digest

ROOT = PACKAGE_DIR.parents[1]  # the directory holding the webapp package
GROUP = "webapp.scoring._compiled"  # the extension holding the modules' shared code

# run in a fresh interpreter from ROOT: setuptools' build_ext with mypyc's extensions, in place
_SETUP = """
import sys
from setuptools import setup
from mypyc.build import mypycify
paths = sys.argv[1:]
sys.argv[1:] = ["build_ext", "--inplace", "--build-temp", {temp!r}, "--build-lib", {lib!r}]
setup(name="critical-reading-scorer", packages=[], py_modules=[],
      ext_modules=mypycify(["--follow-imports=silent", "--ignore-missing-imports", *paths],
                           opt_level="3", group_name={group!r}))
"""


def clean() -> list[Path]:
    """Remove the compiled modules and their stamp; the files removed."""
    removed = built_files()
    for path in removed:
        path.unlink()
    return removed


def build(verbose: bool = False) -> int:
    try:
        import mypyc  # noqa: F401
    except ImportError:
        print("webapp.scoring.compile: mypyc is not installed: pip install mypy "
              "(it needs a C compiler and the Python headers too)", file=sys.stderr)
        return 2
    clean()
    paths = [str(Path("webapp", "scoring", f"{name}.py")) for name in COMPILED_MODULES]
    with tempfile.TemporaryDirectory(prefix="scorer-build-") as temp:
        script = _SETUP.format(temp=os.path.join(temp, "temp"), lib=os.path.join(temp, "lib"),
                               group=GROUP)
        done = subprocess.run([sys.executable, "-c", script, *paths], cwd=ROOT,  # noqa: S603
                              capture_output=not verbose, text=True, check=False)
        if done.returncode:
            if not verbose:
                sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
            print("webapp.scoring.compile: the build failed (above); the scorer stays pure "
                  "Python", file=sys.stderr)
            clean()
            return 1
    STAMP.write_text(source_digest() + "\n", encoding="utf-8")
    built = [p.name for p in built_files() if p != STAMP]
    print(f"compiled scorer built: {len(built)} extension modules in {PACKAGE_DIR}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m webapp.scoring.compile",
                                     description="Build (or remove) the compiled scorer.")
    parser.add_argument("--clean", action="store_true", help="remove the compiled scorer")
    parser.add_argument("--verbose", action="store_true", help="show the compiler's output")
    args = parser.parse_args(argv)
    if args.clean:
        removed = clean()
        print(f"removed {len(removed)} files of the compiled scorer")
        return 0
    return build(args.verbose)


if __name__ == "__main__":
    raise SystemExit(main())

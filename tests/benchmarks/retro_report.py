"""Agreement on notes the rubrics had not seen, rebuilt from the repository's history.

    python tests/benchmarks/retro_report.py [FIRST_ROUND] [LAST_ROUND]

Each blind calibration set ("round", case ids ``<prefix>-r<N>-<NNN>``) was scored once on arrival
and then tuned on: two thirds of it joined the tune split and the rubrics were broadened to fit
them. This script scores those tune notes again with today's scorer but with the lessons as they
were when the round arrived (``git archive`` of ``lessons/`` at the commit that added the round),
so the rubrics have not seen them. The figures stand in for unseen notes when judging a change to
the scorer's mechanisms: a change that only helps notes the rubrics were tuned on shows nothing
here. Only tune notes are read; the held-out split is not touched. Needs the git history (a clone,
not an export). Prints aggregate figures per round and in all; lessons whose files at that commit
no longer load are skipped with a message.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from webapp.content import load_lessons  # noqa: E402
from webapp.scoring import score_annotations  # noqa: E402
from webapp.scoring.calibration import case_annotation, level, quadratic_kappa  # noqa: E402

CALIBRATION = ROOT / "tests" / "calibration"


def _git(*args: str) -> bytes:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, check=True).stdout


def arrival_commit(prefix: str, number: int) -> str | None:
    """The first commit that added a case of round ``number`` (ids ``<prefix>-r<number>-...``)."""
    found = _git("log", "--format=%H", "--reverse", "-S", f'"{prefix}-r{number}-0',
                 "--", "tests/calibration/").decode().split()
    return found[0] if found else None


def lessons_at(commit: str, into: Path) -> dict:
    """The lessons as they were at ``commit``, loaded from an archive of ``lessons/``."""
    archive = _git("archive", "--format=tar", commit, "lessons")
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    report = load_lessons(into / "lessons")
    return dict(report.lessons)


def _figures(pairs: list[tuple[int, int]]) -> str:
    matrix = [[0, 0, 0] for _ in range(3)]
    for expected, got in pairs:
        matrix[expected][got] += 1
    agreement = sum(matrix[i][i] for i in range(3)) / len(pairs)
    return f"{len(pairs)} notes, agreement {agreement:.3f}, QWK {quadratic_kappa(matrix):.3f}"


def main(argv: list[str]) -> int:
    tune = {path.stem: json.loads(path.read_text(encoding="utf-8"))["cases"]
            for path in sorted(CALIBRATION.glob("*.json"))}
    rounds = sorted({int(m.group(1)) for cases in tune.values() for case in cases
                     if (m := re.search(r"-r(\d+)-\d+$", case["id"]))})
    first = int(argv[0]) if argv else 7
    last = int(argv[1]) if len(argv) > 1 else max(rounds, default=0)
    everything: list[tuple[int, int]] = []
    for number in (r for r in rounds if first <= r <= last):
        prefix = next(m.group(1) for cases in tune.values() for case in cases
                      if (m := re.match(rf"([a-z]+)-r{number}-\d+$", case["id"])))
        commit = arrival_commit(prefix, number)
        if commit is None:
            print(f"round {number}: no commit adds it; skipped")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            lessons = lessons_at(commit, Path(tmp))
        pairs: list[tuple[int, int]] = []
        for lesson_id, cases in tune.items():
            mine = [c for c in cases if re.search(rf"-r{number}-\d+$", c["id"])]
            if not mine:
                continue
            if lesson_id not in lessons:
                print(f"round {number}: {lesson_id} does not load at {commit[:9]}; skipped")
                continue
            results = score_annotations(lessons[lesson_id],
                                        [case_annotation(c) for c in mine]).annotations
            pairs += [(level(c["expected_credit"]), level(r.credit))
                      for c, r in zip(mine, results, strict=True)]
        if pairs:
            print(f"round {number} (lessons of {commit[:9]}): {_figures(pairs)}")
            everything += pairs
    if everything:
        print(f"all rounds: {_figures(everything)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Benchmark the scorer: throughput, lesson-load time, cold start and peak memory.

    python tests/benchmarks/bench_scorer.py [N] [--repeat R]

Scores N (default 10,000) annotations built from the russia-coup calibration tune split, each
perturbed (a typo, sometimes a swapped word, an opening or closing phrase) with a fixed seed so
that notes rarely repeat exactly. Also times a class of 300 learners x 10 annotations (goal:
under 0.5 s on one core) R times (default 5) in each of two states: straight after the rubric is
prepared, with nothing cached (each time a fresh preparation of the lesson, the lexicon's caches
emptied), and after the N, with every cache warm; it prints the fastest, the median and every
run, since one run on a shared machine can be a third slower than the next. Last, a cold start
in a fresh interpreter: import, lesson load and the first score (goal: under 1 s).

It measures whichever scorer ``webapp.scoring`` loads: the compiled one when it has been built
(``python -m webapp.scoring.compile``), else the source; ``SCORER_PURE=1`` forces the source.
CPU time is process time: what the scorer itself spent, whatever else the machine ran.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from webapp.content import load_lesson_dir, load_lessons  # noqa: E402
from webapp.scoring import COMPILED, score_annotations  # noqa: E402
from webapp.scoring.calibration import case_annotation  # noqa: E402
from webapp.scoring.language import concept_lexicon  # noqa: E402
from webapp.scoring.prepared import prepare  # noqa: E402

LESSON = "russia-coup"
OPENERS = ["Hmm.", "I think", "Honestly,", "Note:", "OK so", "Well,", "To me", "Basically"]
ADDED = ["I think.", "This matters for the whole argument.", "Not sure though.",
         "See also the last paragraph.", "The author should say more."]

COLD_START = """
import time
t0 = time.perf_counter()
from webapp.content import load_lesson_dir  # with pydantic and PyYAML, without Flask
ta = time.perf_counter()
from pathlib import Path
from webapp.scoring import score_annotations
lesson, _ = load_lesson_dir(Path("lessons") / "russia-coup")
t1 = time.perf_counter()
score_annotations(lesson, [{"id": "a", "bodyValue": "There was no coup.", "target": {"selector":
    {"type": "TextQuoteSelector", "exact": "The recent coup in Russia"}}}])
t2 = time.perf_counter()
print(f"{ta - t0:.4f} {t1 - t0:.4f} {t2 - t1:.4f} {t2 - t0:.4f}")
"""


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def perturbed(cases: list[dict], n: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        case = dict(rng.choice(cases))
        words = (case.get("note") or "").split()
        # every note is changed, so that few notes repeat exactly (a class repeats more)
        if words:
            k = rng.randrange(len(words))
            words[k] = _typo(words[k], rng)
        if len(words) > 3 and rng.random() < 0.3:
            a, b = rng.sample(range(len(words)), 2)
            words[a], words[b] = words[b], words[a]
        if rng.random() < 0.5:
            words.append(rng.choice(ADDED))
        if rng.random() < 0.5:
            words.insert(0, rng.choice(OPENERS))
        case["note"] = " ".join(words)
        case["id"] = f"bench-{i}"
        out.append(case_annotation(case))
    return out


def _cpu_seconds(run) -> float:
    cpu = time.process_time()
    run()
    return time.process_time() - cpu


def _runs(cpu_times: list[float]) -> str:
    return (f"fastest {min(cpu_times):.3f} s, median {statistics.median(cpu_times):.3f} s CPU "
            f"(runs: {', '.join(f'{t:.3f}' for t in cpu_times)})")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench_scorer.py", description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=_positive, default=10_000,
                        help="annotations to score for throughput (10,000)")
    parser.add_argument("--repeat", type=_positive, default=5,
                        help="runs of the class in each state (5)")
    args = parser.parse_args(argv)
    n, repeat = args.n, args.repeat
    t = time.perf_counter()
    report = load_lessons(ROOT / "lessons")
    all_load = time.perf_counter() - t
    t = time.perf_counter()
    lesson, errors = load_lesson_dir(ROOT / "lessons" / LESSON)
    one_load = time.perf_counter() - t
    assert lesson is not None, errors

    cases = json.loads((ROOT / "tests" / "calibration" / f"{LESSON}.json").read_text())["cases"]
    batch = perturbed(cases, n)
    class_batch = perturbed(cases, 3000, seed=11)

    # a class scored straight after the rubric is prepared, nothing cached: each run on a
    # preparation of its own (a copy of the lesson under another title is prepared anew) and
    # with the lexicon's caches, which every preparation shares, emptied
    lexicon = concept_lexicon()
    prep_times, cold_cpu = [], []
    for run in range(repeat):
        fresh = lesson.model_copy(update={"title": f"{lesson.title} (run {run})"})
        lexicon.words.clear()
        lexicon.clauses.clear()
        t = time.perf_counter()
        prepare(fresh)
        prep_times.append(time.perf_counter() - t)
        cold_cpu.append(_cpu_seconds(lambda fresh=fresh: score_annotations(fresh, class_batch)))

    prepare(lesson)
    wall, cpu = time.perf_counter(), time.process_time()
    result = score_annotations(lesson, batch)
    elapsed, elapsed_cpu = time.perf_counter() - wall, time.process_time() - cpu
    # a class after the N, each run a class of its own (the same notes again would find every
    # clause cached): each run also warms the caches a little more for the next
    warm_cpu = [_cpu_seconds(lambda run=run: score_annotations(
        lesson, perturbed(cases, 3000, seed=101 + run))) for run in range(repeat)]

    tracemalloc.start()
    score_annotations(lesson, perturbed(cases, 2000, seed=13))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    colds = []
    for _ in range(3):
        t = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", COLD_START], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
        colds.append((time.perf_counter() - t, *map(float, out)))
    cold_process, cold_content, cold_import, cold_score, cold_total = min(colds)

    credits = [a.credit for a in result.annotations]
    print("scorer: " + ("compiled (python -m webapp.scoring.compile)" if COMPILED else
                        "pure Python (no compiled build, or SCORER_PURE=1)"))
    print(f"lessons loaded: {len(report.lessons)} in {all_load * 1000:.1f} ms; "
          f"{LESSON} alone {one_load * 1000:.1f} ms; rubric preparation "
          f"{min(prep_times) * 1000:.1f} ms (fastest of {repeat})")
    print(f"scored {n} annotations in {elapsed:.3f} s wall, {elapsed_cpu:.3f} s CPU: "
          f"{n / elapsed:,.0f} annotations/s wall, {n / elapsed_cpu:,.0f}/s CPU "
          f"(full {credits.count(1.0)}, partial {credits.count(0.5)}, none {credits.count(0.0)})")
    print(f"class of 300 x 10 = 3000 new annotations, goal < 0.5 s; straight after preparing "
          f"the rubric: {_runs(cold_cpu)}")
    print(f"... other classes, after the {n} above, caches warm: {_runs(warm_cpu)}")
    print(f"cold start in a fresh interpreter (best of 3): import + load {cold_import * 1000:.0f}"
          f" ms (of which the lesson loader with pydantic {cold_content * 1000:.0f} ms; Flask is "
          f"not loaded), first score with rubric preparation {cold_score * 1000:.0f} ms, total "
          f"{cold_total * 1000:.0f} ms; whole process with interpreter start-up "
          f"{cold_process * 1000:.0f} ms (goal < 1 s)")
    print(f"peak traced Python memory while scoring 2000 annotations: {peak / 1e6:.1f} MB; "
          f"process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB "
          f"(holding {repeat + 1} preparations of the lesson)")
    print(f"load average while measuring: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

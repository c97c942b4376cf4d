"""gunicorn runs gthread workers: code shared by a worker's threads must be thread-safe.

Found by tests/benchmarks/bench_load.py: concurrent submissions crashed the scorer (500) because
one Snowball stemmer object, which keeps per-word state on itself, was shared by every thread.
"""

from __future__ import annotations

import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from snowballstemmer.english_stemmer import EnglishStemmer

from webapp.scoring import language

WORDS = [f"{base}{suffix}" for base in ("generalis", "nationaliz", "connect", "hypothes",
                                        "relat", "predict", "assum", "conditional", "fabricat")
         for suffix in ("ation", "ations", "ing", "ed", "ness", "ement", "ically", "izer", "s")]


def test_stemming_from_many_threads_matches_stemming_from_one():
    # switch threads every microsecond, as a loaded server effectively does
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        _stem_concurrently()
    finally:
        sys.setswitchinterval(previous)


def _stem_concurrently() -> None:
    expected = {w: EnglishStemmer().stemWord(w) for w in WORDS}
    failures: list[str] = []
    for _ in range(15):
        language.stem.cache_clear()  # every call reaches the stemmer, as with new words
        barrier = threading.Barrier(8)

        def work(offset: int, barrier: threading.Barrier = barrier) -> dict[str, str]:
            barrier.wait()
            words = WORDS[offset:] + WORDS[:offset]
            return {w: language.stem(w) for w in words * 3}

        with ThreadPoolExecutor(max_workers=8) as pool:
            futures = [pool.submit(work, n * 7) for n in range(8)]
            for future in futures:
                try:
                    got = future.result()
                except Exception as exc:  # noqa: BLE001 - the bug shows as IndexError
                    failures.append(repr(exc))
                    continue
                failures.extend(f"{w}: {got[w]!r} != {expected[w]!r}"
                                for w in WORDS if got[w] != expected[w])
    assert failures == []

"""Fault benchmark: kill -9 a gunicorn worker mid-load, then crash and restart the whole server.

    python tests/benchmarks/bench_fault.py                  # PostgreSQL, 100 learners
    python tests/benchmarks/bench_fault.py --db sqlite -n 60

Simulated learners (as in bench_load.py) open the seed lesson and save annotations one after
another. A save the client sees fail without an answer (connection reset or refused, 5xx) is
retried, as a learner does when the reading page says the save failed (it keeps the note).
When a third of the saves are acknowledged one worker gets SIGKILL; at two thirds the master
and every worker get SIGKILL and a new server starts on the same port and database. Then every
acknowledged save (201 with an id) is looked up in the database:

* lost: acknowledged but not stored (must be 0);
* corrupted: stored with another note, passage or prompt than was sent (must be 0);
* stored but never acknowledged: the server committed, the answer died with it (allowed; the
  retry then saves a duplicate, counted too).

Prints the figures; exit status 1 if anything was lost or corrupted. Uses 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_load import (  # noqa: E402
    LESSON,
    Database,
    Learner,
    Record,
    Server,
    lesson_plan,
    percentile,
    verify_saved,
)

SAVES_PER_LEARNER = 10
GIVE_UP_AFTER = 90.0  # seconds a single save keeps retrying


class FaultLearner(Learner):
    retries = 0
    failed: list[str] = []

    async def open_until_ready(self, deadline: float) -> None:
        while self.token is None and time.monotonic() < deadline:
            await self.open_lesson()
            if self.token is None:
                await asyncio.sleep(0.2)

    async def save_retrying(self, k: int, deadline: float) -> None:
        payload = self.annotation(k)
        body = json.dumps(payload).encode()
        while time.monotonic() < deadline:
            status, data = await self.timed("POST annotation (save)", "POST",
                                            f"/api/lessons/{LESSON}/annotations", body=body,
                                            headers=self._json_headers())
            if status in (200, 201):  # 200: a retry of a save the server had already stored
                self.record.acknowledged[json.loads(data)["id"]] = payload
                return
            if status is not None and status < 500:
                FaultLearner.failed.append(f"learner {self.number} save {k}: {status} "
                                           f"{data[:200]!r}")
                return
            FaultLearner.retries += 1
            await asyncio.sleep(0.2)
        FaultLearner.failed.append(f"learner {self.number} save {k}: gave up")

    async def work(self) -> None:
        deadline = time.monotonic() + GIVE_UP_AFTER
        await self.open_until_ready(deadline)
        for k in range(SAVES_PER_LEARNER):
            await self.save_retrying(k, time.monotonic() + GIVE_UP_AFTER)
            await asyncio.sleep(0.05)  # a moment of reading between annotations


async def controller(server: Server, record: Record, total: int, events: list[str]) -> None:
    """Kill one worker at a third of the saves; crash and restart the server at two thirds."""
    loop = asyncio.get_running_loop()
    start = time.monotonic()
    while len(record.acknowledged) < total // 3:
        await asyncio.sleep(0.02)
    victim = server.worker_pids()[0]
    os.kill(victim, signal.SIGKILL)
    events.append(f"{time.monotonic() - start:6.2f} s  SIGKILL worker {victim} at "
                  f"{len(record.acknowledged)} acknowledged saves")
    while len(record.acknowledged) < 2 * total // 3:
        await asyncio.sleep(0.02)
    acked = len(record.acknowledged)
    await loop.run_in_executor(None, lambda: server.stop(hard=True))
    events.append(f"{time.monotonic() - start:6.2f} s  SIGKILL master and workers at {acked} "
                  f"acknowledged saves")
    down = time.monotonic()
    await loop.run_in_executor(None, server.start)
    events.append(f"{time.monotonic() - start:6.2f} s  server restarted "
                  f"({time.monotonic() - down:.1f} s down)")


def integrity(database: Database) -> str:
    from sqlalchemy import text

    engine = database.engine()
    with engine.connect() as conn:
        if database.kind == "sqlite":
            result = conn.execute(text("PRAGMA integrity_check")).scalar()
        else:
            bad = conn.execute(text(
                "SELECT count(*) FROM annotations WHERE \"end\" <= start OR note = '' "
                "OR attempt_id IS NULL")).scalar()
            result = "ok" if bad == 0 else f"{bad} malformed rows"
        duplicates = conn.execute(text(
            "SELECT count(*) FROM (SELECT note FROM annotations GROUP BY attempt_id, note "
            "HAVING count(*) > 1) d")).scalar()
    engine.dispose()
    return f"{result}; duplicated saves (stored twice after a retry): {duplicates}"


def run(learners: int, db_kind: str) -> int:
    database = Database(db_kind)
    server = Server(database.url).start()
    record = Record()
    plan, prompts = lesson_plan()
    crowd = [FaultLearner(i, server.port, record, plan, prompts) for i in range(learners)]
    events: list[str] = []

    async def main() -> None:
        control = asyncio.create_task(
            controller(server, record, learners * SAVES_PER_LEARNER, events))
        await asyncio.gather(*(x.work() for x in crowd))
        if not control.done():
            control.cancel()
            events.append("load ended before every fault was injected")
        for learner in crowd:
            await learner.client.close()

    started = time.perf_counter()
    try:
        asyncio.run(main())
    finally:
        server.stop()
    elapsed = time.perf_counter() - started
    check = verify_saved(database, record.acknowledged)
    saves = record.latency.get("POST annotation (save)", [])
    print(f"\n== fault run: {learners} learners × {SAVES_PER_LEARNER} saves, gunicorn 2 workers, "
          f"{db_kind}, {os.cpu_count()} cores, {elapsed:.1f} s ==")
    for event in events:
        print("  " + event)
    statuses = Counter()
    for endpoint in record.statuses.values():
        statuses.update(endpoint)
    errors = sum(record.errors.values())
    print(f"requests answered: {dict(statuses)}; without an answer (reset/refused): {errors}; "
          f"retries: {FaultLearner.retries}")
    print(f"save latency p50 {percentile(saves, 50) * 1000:.1f} ms, p99 "
          f"{percentile(saves, 99) * 1000:.1f} ms, max {max(saves) * 1000:.0f} ms")
    print("rows:", ", ".join(f"{k} {v}" for k, v in check.items()))
    print("integrity:", integrity(database))
    if FaultLearner.failed:
        print(f"saves that never succeeded: {len(FaultLearner.failed)}")
        for line in FaultLearner.failed[:10]:
            print("  " + line)
    database.drop()
    ok = check["lost"] == 0 and check["corrupted"] == 0 and check["orphaned"] == 0
    print("RESULT:", "zero lost, zero corrupted" if ok else "DATA LOST OR CORRUPTED")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", "--learners", type=int, default=100)
    parser.add_argument("--db", choices=["postgres", "sqlite"], action="append")
    args = parser.parse_args()
    return max(run(args.learners, db) for db in (args.db or ["postgres"]))


if __name__ == "__main__":
    sys.exit(main())

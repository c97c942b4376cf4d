"""Load benchmark: N simulated learners against gunicorn (2 workers) on loopback.

    python tests/benchmarks/bench_load.py                 # N = 50 and 200, PostgreSQL
    python tests/benchmarks/bench_load.py --db sqlite -n 50
    python tests/benchmarks/bench_load.py --pace 3           # ~3 s of writing before each save

Each learner opens the seed lesson (which gives it a session and a CSRF token), saves 10
annotations through the JSON API, then submits (the scorer runs). The phases run one after the
other for all learners at once, so each has a clean throughput. In the same run and the same
workers, a bare Flask JSON endpoint (``/bare/echo``: parse the body, answer it) takes the same
number of requests, as a baseline. By default learners save back to back, a stress test whose
latencies are mostly queueing (N learners / throughput); ``--pace`` gives each a pause before each
save, as when a class writes notes together. Afterwards every acknowledged save (201 with an
id) is looked up in the database, with the note and passage it was sent with.

Not a pytest test: it prints figures. Uses 127.0.0.1 only. The PostgreSQL run uses a schema of its
own in the ``test`` database and drops it afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LESSON = "russia-coup"
PG_BASE = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SAVES_PER_LEARNER = 10


# --- the served application: the real app plus a bare Flask endpoint --------------------------

def bench_app():
    """WSGI app for gunicorn: the real app, with a bare Flask app mounted at /bare."""
    from flask import Flask, jsonify, request
    from werkzeug.middleware.dispatcher import DispatcherMiddleware

    from webapp import create_app

    bare = Flask("bare")

    @bare.post("/echo")
    def echo():
        return jsonify(request.get_json()), 201

    @bare.get("/ping")
    def ping():
        return jsonify(ok=True)

    app = create_app()
    app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {"/bare": bare})
    return app


# --- the server ---------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Database:
    """A private database for one benchmark run: a PostgreSQL schema or a SQLite file."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        if kind == "postgres":
            self.schema = f"bench_{os.getpid()}"
            self.url = f"{PG_BASE}?options=-csearch_path%3D{self.schema}"
            self._admin(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE',
                        f'CREATE SCHEMA "{self.schema}"')
        else:
            self.dir = tempfile.mkdtemp(prefix="bench-")
            self.url = f"sqlite:///{self.dir}/bench.sqlite"

    def _admin(self, *statements: str) -> None:
        from sqlalchemy import create_engine, text

        engine = create_engine(PG_BASE)
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
        engine.dispose()

    def engine(self):
        from sqlalchemy import create_engine

        return create_engine(self.url)

    def drop(self) -> None:
        if self.kind == "postgres":
            self._admin(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE')


class Server:
    """gunicorn with webapp/gunicorn_conf.py, as deployed, on a loopback port."""

    def __init__(self, db_url: str, *, workers: int = 2, threads: int = 4,
                 worker_class: str = "gthread", log_path: str | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("AUTO_MIGRATE", "FLASK_ENV", "PROXY_FIX")}
        self.env.update(
            DATABASE_URL=db_url, APP_ENV="production", SECRET_KEY=os.urandom(16).hex(),
            SESSION_COOKIE_SECURE="0", REDIS_URL="redis://127.0.0.1:6379/0",
            WEB_CONCURRENCY=str(workers), GUNICORN_THREADS=str(threads),
            GUNICORN_WORKER_CLASS=worker_class,
            GUNICORN_BIND=f"127.0.0.1:{self.port}", GUNICORN_ACCESS_LOG="",
            GUNICORN_LOG_LEVEL="warning", LESSONS_DIR=str(ROOT / "lessons"),
            PYTHONPATH=f"{HERE}{os.pathsep}{ROOT}",
        )
        self.log_path = log_path or tempfile.mktemp(prefix="bench-gunicorn-", suffix=".log")
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 90) -> Server:
        log = open(self.log_path, "a")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "webapp" / "gunicorn_conf.py"),
             "bench_load:bench_app()"],
            cwd=str(ROOT), env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.proc.returncode}); see {self.log_path}")
            try:
                with urllib.request.urlopen(self.url + "/bare/ping", timeout=2) as r:  # noqa: S310
                    if r.status == 200 and len(self.worker_pids()) >= 1:
                        return self
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer in {timeout} s; see {self.log_path}")

    def worker_pids(self) -> list[int]:
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        try:
            return [int(p) for p in path.read_text().split()]
        except OSError:
            return []

    def stop(self, *, hard: bool = False) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        if hard:
            os.killpg(self.proc.pid, signal.SIGKILL)
        else:
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


# --- a small keep-alive HTTP/1.1 client on asyncio ----------------------------------------------

class HttpError(Exception):
    pass


class StaleConnection(Exception):
    """Closed before a single byte of response: usually an idle keep-alive connection."""


class Client:
    """One simulated browser: a keep-alive connection and a cookie jar."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except OSError:
                pass
            self.writer = None

    async def request(self, method: str, path: str, *, body: bytes | None = None,
                      headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
        reused = self.writer is not None
        try:
            return await self._request(method, path, body=body, headers=headers)
        except StaleConnection:
            if not reused:
                raise HttpError("connection closed before any response") from None
            # the server closed an idle keep-alive connection: resend once, as browsers do
            try:
                return await self._request(method, path, body=body, headers=headers)
            except StaleConnection:
                raise HttpError("connection closed before any response") from None

    async def _request(self, method: str, path: str, *, body: bytes | None = None,
                       headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
        if self.writer is None:
            try:
                await self._connect()
            except OSError as exc:
                raise HttpError(f"cannot connect: {exc}") from exc
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}")
        if body is not None:
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b""))
        try:
            await self.writer.drain()
            status_line = await self.reader.readline()
        except (OSError, asyncio.IncompleteReadError):
            status_line = b""
        if not status_line:
            await self.close()
            raise StaleConnection
        try:
            status = int(status_line.split()[1])
            response_headers: dict[str, list[str]] = defaultdict(list)
            while True:
                line = await self.reader.readline()
                if line in (b"\r\n", b"\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                response_headers[name.strip().lower()].append(value.strip())
            if "chunked" in ",".join(response_headers.get("transfer-encoding", [])):
                data = b""
                while True:
                    size = int((await self.reader.readline()).strip(), 16)
                    if size == 0:
                        await self.reader.readline()
                        break
                    data += await self.reader.readexactly(size)
                    await self.reader.readline()
            else:
                length = int(response_headers.get("content-length", ["0"])[0])
                data = await self.reader.readexactly(length)
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
            await self.close()
            raise HttpError(str(exc) or type(exc).__name__) from exc
        for cookie in response_headers.get("set-cookie", []):
            pair = cookie.split(";", 1)[0]
            name, _, value = pair.partition("=")
            self.cookies[name.strip()] = value.strip()
        if "close" in ",".join(response_headers.get("connection", [])).lower():
            await self.close()
        return status, response_headers, data


# --- the simulated learners -------------------------------------------------------------------

CSRF_META = re.compile(rb'<meta name="csrf-token" content="([^"]+)"')


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids, *, reaped_children: bool = False) -> float:
    """User + system CPU seconds the processes used so far (gone processes count 0).

    ``reaped_children``: add what their children that have exited used (gunicorn's master reaps
    the workers it recycles after ``max_requests``).
    """
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
        if reaped_children:
            total += int(fields[13]) + int(fields[14])  # cutime, cstime
    return total / CLOCK_TICKS


def database_pids() -> list[int]:
    """PostgreSQL server processes on this machine (every one: its backends come and go)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except OSError:
                pass
    return pids


class CpuMeter:
    """CPU used per phase by the gunicorn workers, PostgreSQL and this load generator.

    Read from /proc: on a shared machine the PostgreSQL figure includes other users' queries.
    """

    def __init__(self, server: Server | None) -> None:
        self.server = server
        self.used: dict[str, dict[str, float]] = {}

    def sample(self) -> dict[str, float]:
        gunicorn = 0.0
        if self.server is not None and self.server.proc is not None:
            gunicorn = (cpu_seconds([self.server.proc.pid], reaped_children=True)
                        + cpu_seconds(self.server.worker_pids()))
        return {"gunicorn": gunicorn,
                "PostgreSQL": cpu_seconds(database_pids(), reaped_children=True),
                "load generator": sum(os.times()[:2])}

    def phase(self, name: str, before: dict[str, float]) -> None:
        after = self.sample()
        self.used[name] = {k: after[k] - before[k] for k in after}


@dataclass
class Record:
    """Latencies per endpoint and the saves the server acknowledged."""

    latency: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    statuses: dict[str, dict[int, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    acknowledged: dict[str, dict] = field(default_factory=dict)  # public id -> what was sent
    phase_seconds: dict[str, float] = field(default_factory=dict)

    def add(self, endpoint: str, seconds: float, status: int | None) -> None:
        if status is None:
            self.errors[endpoint] += 1
            return
        self.statuses[endpoint][status] += 1
        self.latency[endpoint].append(seconds)


def lesson_plan() -> tuple[list[tuple[int, int, str]], list[str]]:
    """Ten passages (start, end, exact) of the seed article and its prompt ids."""
    from webapp.content import load_lesson_dir

    lesson, errors = load_lesson_dir(ROOT / "lessons" / LESSON)
    assert lesson is not None, errors
    text = lesson.article_text
    spans = []
    for match in re.finditer(r"[^\s.!?][^.!?\n]{30,200}[.!?]", text):
        spans.append((match.start(), match.end(), match.group(0)))
    step = max(1, len(spans) // SAVES_PER_LEARNER)
    chosen = spans[::step][:SAVES_PER_LEARNER]
    assert len(chosen) == SAVES_PER_LEARNER
    return chosen, [p.id for p in lesson.prompts]


class Learner:
    def __init__(self, number: int, port: int, record: Record, plan, prompts) -> None:
        self.number = number
        self.client = Client(port)
        self.record = record
        self.plan = plan
        self.prompts = prompts
        self.token: str | None = None
        self.rng = random.Random(number)

    async def timed(self, endpoint: str, method: str, path: str, **kwargs):
        start = time.perf_counter()
        try:
            status, headers, data = await self.client.request(method, path, **kwargs)
        except HttpError:
            self.record.add(endpoint, time.perf_counter() - start, None)
            return None, b""
        self.record.add(endpoint, time.perf_counter() - start, status)
        return status, data

    async def open_lesson(self) -> None:
        status, page = await self.timed("GET lesson page", "GET", f"/lessons/{LESSON}")
        match = CSRF_META.search(page or b"")
        if status == 200 and match:
            self.token = match.group(1).decode()

    def _json_headers(self) -> dict[str, str]:
        return {"Content-Type": "application/json", "X-CSRFToken": self.token or "",
                "Accept": "application/json"}

    def annotation(self, k: int) -> dict:
        start, end, exact = self.plan[k % len(self.plan)]
        # Like the reading page, name the annotation so that a retried save is stored once.
        return {"id": uuid.uuid4().hex, "start": start, "end": end, "exact": exact,
                "prompt_id": self.prompts[k % len(self.prompts)],
                "note": f"Learner {self.number}, note {k}: the author takes for granted that "
                        f"this really happened — no source, no date, no place is given."}

    async def save(self, k: int, *, retries: int = 0) -> bool:
        """Save annotation k; True when acknowledged. Retries on a dropped connection."""
        payload = self.annotation(k)
        body = json.dumps(payload).encode()
        for _ in range(retries + 1):
            status, data = await self.timed("POST annotation (save)", "POST",
                                            f"/api/lessons/{LESSON}/annotations", body=body,
                                            headers=self._json_headers())
            if status in (200, 201):
                self.record.acknowledged[json.loads(data)["id"]] = payload
                return True
            if status is not None and status < 500:
                return False
            await asyncio.sleep(0.05)
        return False

    async def save_all(self, pace: float = 0.0) -> None:
        for k in range(SAVES_PER_LEARNER):
            if pace:  # reading and writing the next note: pace/2 to 3*pace/2 seconds
                await asyncio.sleep(self.rng.uniform(pace / 2, 3 * pace / 2))
            await self.save(k)

    async def submit(self) -> None:
        await self.timed("POST submit (scores)", "POST", f"/api/lessons/{LESSON}/submit",
                         body=b"{}", headers=self._json_headers())

    async def bare(self, requests: int) -> None:
        body = json.dumps(self.annotation(0)).encode()
        for _ in range(requests):
            await self.timed("POST bare Flask JSON", "POST", "/bare/echo", body=body,
                             headers={"Content-Type": "application/json"})


async def run_phase(record: Record, name: str, coroutines, meter: CpuMeter | None = None) -> None:
    before = meter.sample() if meter else None
    start = time.perf_counter()
    await asyncio.gather(*coroutines)
    record.phase_seconds[name] = time.perf_counter() - start
    if meter:
        meter.phase(name, before)


async def simulate(port: int, learners: int, pace: float = 0.0,
                   meter: CpuMeter | None = None) -> Record:
    record = Record()
    plan, prompts = lesson_plan()
    crowd = [Learner(i, port, record, plan, prompts) for i in range(learners)]
    await run_phase(record, "GET lesson page", [x.open_lesson() for x in crowd], meter)
    await run_phase(record, "POST annotation (save)", [x.save_all(pace) for x in crowd], meter)
    await run_phase(record, "POST submit (scores)", [x.submit() for x in crowd], meter)
    await run_phase(record, "POST bare Flask JSON", [x.bare(SAVES_PER_LEARNER) for x in crowd],
                    meter)
    for learner in crowd:
        await learner.client.close()
    return record


# --- checking what was stored ------------------------------------------------------------------

def verify_saved(database: Database, acknowledged: dict[str, dict]) -> dict[str, int]:
    """Every acknowledged save is stored with the passage and note it was sent with."""
    from sqlalchemy import text

    engine = database.engine()
    with engine.connect() as conn:
        rows = conn.execute(text(
            'SELECT public_id, start, "end", exact, note, prompt_id FROM annotations')).all()
        attempts = conn.execute(text(
            "SELECT status, count(*) FROM attempts GROUP BY status")).all()
        orphans = conn.execute(text(
            "SELECT count(*) FROM annotations a LEFT JOIN attempts t ON t.id = a.attempt_id "
            "WHERE t.id IS NULL")).scalar()
    engine.dispose()
    stored = {r.public_id: r for r in rows}
    lost = [pid for pid in acknowledged if pid not in stored]
    corrupted = [
        pid for pid, sent in acknowledged.items() if pid in stored and (
            stored[pid].note != sent["note"] or stored[pid].start != sent["start"]
            or stored[pid].end != sent["end"] or stored[pid].exact != sent["exact"]
            or stored[pid].prompt_id != sent["prompt_id"])
    ]
    return {"acknowledged": len(acknowledged), "stored": len(stored), "lost": len(lost),
            "corrupted": len(corrupted), "orphaned": int(orphans),
            "stored_not_acknowledged": len(set(stored) - set(acknowledged)),
            **{f"attempts_{status}": n for status, n in attempts}}


# --- reporting ------------------------------------------------------------------------------------

def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summarise(record: Record) -> dict[str, dict]:
    out = {}
    for endpoint, seconds in record.latency.items():
        ok = sum(n for s, n in record.statuses[endpoint].items() if s < 400)
        phase = record.phase_seconds.get(endpoint) or float("nan")
        out[endpoint] = {
            "requests": len(seconds) + record.errors.get(endpoint, 0),
            "ok": ok, "statuses": dict(record.statuses[endpoint]),
            "errors": record.errors.get(endpoint, 0),
            "p50_ms": percentile(seconds, 50) * 1000, "p95_ms": percentile(seconds, 95) * 1000,
            "p99_ms": percentile(seconds, 99) * 1000,
            "mean_ms": statistics.fmean(seconds) * 1000 if seconds else float("nan"),
            "throughput_rps": ok / phase,
        }
    return out


def print_cpu(meter: CpuMeter, summary: dict[str, dict]) -> None:
    """CPU milliseconds per request, per process group, for each phase."""
    print("CPU ms per request (gunicorn / PostgreSQL / load generator): " + "; ".join(
        f"{endpoint.split(' (')[0]} " + " / ".join(
            f"{1000 * seconds / max(1, summary[endpoint]['requests']):.2f}"
            for seconds in used.values())
        for endpoint, used in meter.used.items() if endpoint in summary))


def print_table(learners: int, db: str, summary: dict[str, dict]) -> None:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n== {learners} learners, gunicorn 2 {os.environ.get('BENCH_WORKER_CLASS', 'gthread')}"
          f" workers × {os.environ.get('BENCH_THREADS', 4)} threads, {db}, {os.cpu_count()} cores,"
          f" load average after {load} ==")
    print(f"{'endpoint':26} {'requests':>8} {'ok':>6} {'p50 ms':>8} {'p95 ms':>8} "
          f"{'p99 ms':>8} {'req/s':>8}")
    for endpoint, s in summary.items():
        print(f"{endpoint:26} {s['requests']:8d} {s['ok']:6d} {s['p50_ms']:8.1f} "
              f"{s['p95_ms']:8.1f} {s['p99_ms']:8.1f} {s['throughput_rps']:8.1f}")
        odd = {k: v for k, v in s["statuses"].items() if k >= 400}
        if odd or s["errors"]:
            print(f"{'':26} non-2xx: {odd} connection errors: {s['errors']}")
    save = summary.get("POST annotation (save)")
    bare = summary.get("POST bare Flask JSON")
    if save and bare:
        ratio = save["throughput_rps"] / bare["throughput_rps"]
        print(f"save vs bare Flask: throughput {ratio:.0%}, p95 {save['p95_ms']:.1f} ms vs "
              f"{bare['p95_ms']:.1f} ms ({save['p95_ms'] / bare['p95_ms']:.1f}×)")


def run(learners: int, db_kind: str, threads: int, pace: float = 0.0,
        worker_class: str = "gthread") -> dict:
    database = Database(db_kind)
    server = Server(database.url, threads=threads, worker_class=worker_class).start()
    meter = CpuMeter(server)
    try:
        record = asyncio.run(simulate(server.port, learners, pace, meter))
    finally:
        server.stop()
    summary = summarise(record)
    os.environ["BENCH_THREADS"] = str(threads)
    os.environ["BENCH_WORKER_CLASS"] = worker_class
    print_table(learners, db_kind + (f", saves paced ~{pace:g} s apart" if pace else
                                     ", no pause between saves"), summary)
    print_cpu(meter, summary)
    check = verify_saved(database, record.acknowledged)
    print("rows:", ", ".join(f"{k} {v}" for k, v in check.items()))
    database.drop()
    return {"learners": learners, "db": db_kind, "summary": summary, "rows": check,
            "cpu_seconds": meter.used}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", "--learners", type=int, action="append",
                        help="simulated learners (repeatable; default 50 and 200)")
    parser.add_argument("--db", choices=["postgres", "sqlite"], action="append",
                        help="database (repeatable; default postgres)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--worker-class", default="gthread", choices=["gthread", "sync"],
                        help="gunicorn worker class (sync: one request at a time, --threads 1)")
    parser.add_argument("--pace", type=float, default=0.0,
                        help="mean seconds each learner waits before each save (0: none, a "
                             "stress test; a learner writing a note takes far longer)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    threads = 1 if args.worker_class == "sync" else args.threads
    results = [run(n, db, threads, args.pace, args.worker_class) for db in (args.db or ["postgres"])
               for n in (args.learners or [50, 200])]
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    bad = [r for r in results if r["rows"]["lost"] or r["rows"]["corrupted"]]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

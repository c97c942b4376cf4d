"""Where the time of one annotation save goes: SQL statements and a per-phase breakdown.

    python tests/benchmarks/bench_save.py                 # PostgreSQL (schema of its own)
    python tests/benchmarks/bench_save.py --db sqlite -n 1000

Runs the real app in this process through Flask's test client (no gunicorn, no network client),
saving annotations the way bench_load.py's learners do: ten per learner, each with a browser-chosen
id. Prints the SQL statements of one save and the mean wall time of each phase, measured by
wrapping the functions that run it; "rest" is Flask and Werkzeug around them (routing, request and
response objects, the test client). Not a pytest test: it prints figures.
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
for path in (str(ROOT), str(HERE)):
    if path not in sys.path:
        sys.path.insert(0, path)

from bench_load import CSRF_META, LESSON, PG_BASE, lesson_plan  # noqa: E402

SAVES_PER_LEARNER = 10


def build_app(db_kind: str):
    from sqlalchemy import create_engine, text

    if db_kind == "postgres":
        schema = f"bench_save_{os.getpid()}"
        engine = create_engine(PG_BASE)
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = f"{PG_BASE}?options=-csearch_path%3D{schema}"
    else:
        schema, engine = None, None
        url = f"sqlite:///{tempfile.mkdtemp(prefix='bench-save-')}/bench.sqlite"
    os.environ.update(DATABASE_URL=url, APP_ENV="production", SECRET_KEY=os.urandom(16).hex(),
                      SESSION_COOKIE_SECURE="0", LESSONS_DIR=str(ROOT / "lessons"))
    from webapp import create_app

    def drop() -> None:
        if engine is not None:
            with engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            engine.dispose()

    return create_app(), drop


class Phases:
    """Wall time spent in wrapped functions, by phase name."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def wrap(self, owner, name: str, phase: str) -> None:
        function = getattr(owner, name)

        @functools.wraps(function)
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[phase] += time.perf_counter() - start

        setattr(owner, name, timed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("-n", "--saves", type=int, default=1000)
    args = parser.parse_args()

    app, drop = build_app(args.db)
    import flask_wtf.csrf
    from sqlalchemy import event

    from webapp.extensions import db
    from webapp.learner import routes
    from webapp.services import attempts as svc

    phases = Phases()
    phases.wrap(app.session_interface, "open_session", "session cookie: verify")
    phases.wrap(app.session_interface, "save_session", "session cookie: re-sign")
    phases.wrap(flask_wtf.csrf.CSRFProtect, "protect", "CSRF token check")
    phases.wrap(routes, "_workspace", "lesson version: 1 SELECT (+ pool checkout)")
    phases.wrap(routes, "_payload", "JSON body to schema (pydantic)")
    phases.wrap(svc, "learner_and_draft", "learner and draft: 1 SELECT")
    phases.wrap(routes, "_writer", "new learner row (first save only)")
    phases.wrap(svc, "_open_draft", "draft checks (first save: new draft)")
    for name in ("_clean_note", "_check_prompt", "resolve_selection"):
        phases.wrap(svc, name, "note, prompt, passage checks")
    phases.wrap(svc, "_lock_draft", "lock draft and count: 1 UPDATE")
    phases.wrap(svc, "_commit_keeping", "INSERT and COMMIT")
    phases.wrap(routes, "_annotation_json", "response JSON")
    phases.wrap(routes, "jsonify", "response JSON")

    statements: list[str] = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute",
                     lambda conn, cursor, statement, *rest: statements.append(statement))
    plan, prompts = lesson_plan()

    def learner():
        client = app.test_client()
        token = CSRF_META.search(client.get(f"/lessons/{LESSON}").data).group(1).decode()
        return client, {"X-CSRFToken": token, "Accept": "application/json"}

    def save(client, headers, k: int) -> None:
        start, end, exact = plan[k % len(plan)]
        body = {"id": uuid.uuid4().hex, "start": start, "end": end, "exact": exact,
                "prompt_id": prompts[k % len(prompts)],
                "note": f"Note {k}: the author takes for granted that this really happened."}
        response = client.post(f"/api/lessons/{LESSON}/annotations", json=body, headers=headers)
        assert response.status_code == 201, response.data

    crowd = [learner() for _ in range(args.saves // SAVES_PER_LEARNER + 2)]
    for k in range(2 * SAVES_PER_LEARNER):  # warm up: caches, connection pool
        save(*crowd[k // SAVES_PER_LEARNER], k)
    statements.clear()
    save(*crowd[1], 2 * SAVES_PER_LEARNER)  # the second learner's 11th save: a draft exists
    print(f"SQL statements of one save (draft exists), {args.db}: {len(statements)} + COMMIT")
    for statement in statements:
        print("   ", re.sub(r"\s+", " ", statement)[:110])

    phases.seconds.clear()
    whole = [0.0]
    wsgi = app.wsgi_app

    def timed_wsgi(environ, start_response):
        start = time.perf_counter()
        try:
            return wsgi(environ, start_response)
        finally:
            whole[0] += time.perf_counter() - start

    app.wsgi_app = timed_wsgi
    cpu = time.process_time()
    for k in range(args.saves):
        save(*crowd[2 + k // SAVES_PER_LEARNER], k)
    cpu = time.process_time() - cpu
    n = args.saves
    print(f"\nmean of {n} saves ({SAVES_PER_LEARNER} per learner), wall ms per save:")
    for phase, seconds in sorted(phases.seconds.items(), key=lambda kv: -kv[1]):
        print(f"  {phase:45} {1000 * seconds / n:6.3f}")
    rest = whole[0] - sum(phases.seconds.values())
    print(f"  {'rest: Flask, Werkzeug, hooks, test client':45} {1000 * rest / n:6.3f}")
    print(f"  {'whole request':45} {1000 * whole[0] / n:6.3f}")
    print(f"CPU of this process per save (app, driver, test client): {1000 * cpu / n:.3f} ms")
    drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

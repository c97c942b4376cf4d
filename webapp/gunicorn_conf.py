"""gunicorn settings: ``gunicorn -c webapp/gunicorn_conf.py "webapp:create_app()"``.

Every value can be set from the environment.

Sizing
------
``gthread`` workers: each worker is a process with ``GUNICORN_THREADS`` threads. Scoring a
submission and rendering pages are Python work that holds the GIL, so parallelism comes from
processes; threads cover the time a request waits on the database. Defaults:

* ``WEB_CONCURRENCY`` (workers): 2 per CPU core (4 on a 2-core machine). Each worker costs about
  80-120 MB of memory; do not go beyond what memory allows.
* ``GUNICORN_THREADS``: 4 per worker. Every thread may hold one database connection, so keep
  ``workers × threads`` below the database's connection limit (PostgreSQL: ``max_connections``,
  100 by default) minus what backups and migrations need; with PgBouncer in front this is moot.
  Measured with ``tests/benchmarks/bench_load.py`` (2 cores, 2 workers, PostgreSQL on the same
  machine, 2026-11-25): 1, 2 and 4 threads gave the same annotation-save throughput within the
  run-to-run noise (200-370 saves/s, ~4 ms of worker CPU a save whatever the threads); 8 threads
  (212-238/s) and ``sync`` workers (262/s, no keep-alive) were no better. The saves are CPU-bound,
  so more threads only help while requests wait (on the database, on slow clients without a
  buffering proxy); 4 leaves room for that at little cost.
* ``GUNICORN_WORKER_CLASS``: ``gthread``. ``sync`` (one request at a time, no keep-alive; set
  ``GUNICORN_THREADS=1``) only behind a buffering proxy such as nginx.
* ``GUNICORN_TIMEOUT``: 30 s. A worker silent for longer is killed and replaced; the slowest
  request (submitting and scoring an attempt) takes well under a second.
* ``GUNICORN_GRACEFUL_TIMEOUT``: 30 s for in-flight requests on restart or scale-down.
* ``GUNICORN_KEEPALIVE``: 5 s, for a reverse proxy that reuses connections.
* ``GUNICORN_MAX_REQUESTS``: 2000 (with up to 10 % jitter) requests before a worker is recycled,
  which bounds slow memory growth; 0 turns recycling off.

Start-up: the master process runs the migrations once (``on_starting``) and then sets
``AUTO_MIGRATE=0`` for the workers it forks, so N workers do not queue on the migration lock at
every start or restart. A ``kill -HUP`` reload re-forks workers without this hook: deploy new
code with a full restart (or ``db-upgrade`` first). With ``AUTO_MIGRATE=0`` set by the
operator, the master does nothing and ``flask --app webapp db-upgrade`` must be run before the new
code serves traffic.
"""

from __future__ import annotations

import multiprocessing
import os


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _env_on(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{_env_int('PORT', 8000)}"
worker_class = os.environ.get("GUNICORN_WORKER_CLASS") or "gthread"
workers = _env_int("WEB_CONCURRENCY", max(2, 2 * multiprocessing.cpu_count()))
threads = _env_int("GUNICORN_THREADS", 4)
timeout = _env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _env_int("GUNICORN_KEEPALIVE", 5)
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
backlog = _env_int("GUNICORN_BACKLOG", 2048)
# Heartbeat files in memory, not on a disk that may stall (containers with overlay filesystems).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The app reads X-Forwarded-* itself through PROXY_FIX (a count of trusted proxies); gunicorn's
# own handling is left at its default (trust only 127.0.0.1).
proc_name = "premise-finder"
# gunicorn 25+ opens a control socket at one fixed path per user, so two servers on one machine
# would fight over it: off unless GUNICORN_CONTROL_SOCKET names a path.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True


def on_starting(server) -> None:  # noqa: ARG001
    """Migrate once in the master before any worker starts (unless AUTO_MIGRATE=0)."""
    if not _env_on("AUTO_MIGRATE", True):
        return
    from webapp import create_app
    from webapp.extensions import db

    app = create_app()  # migrates under the start-up lock and mirrors the lesson files
    with app.app_context():
        db.engine.dispose()  # no connection may be shared with the forked workers
    os.environ["AUTO_MIGRATE"] = "0"

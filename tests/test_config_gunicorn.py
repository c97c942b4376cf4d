"""The gunicorn configuration: sizing from the environment, and a real start with two workers."""

from __future__ import annotations

import os
import runpy
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import ROOT, TEST_DATABASE_URL, _reset_database, assert_one_version_per_content

CONF = ROOT / "webapp" / "gunicorn_conf.py"


def _load(monkeypatch, **env) -> dict:
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_TIMEOUT", "GUNICORN_BIND",
                 "PORT", "GUNICORN_MAX_REQUESTS", "GUNICORN_CONTROL_SOCKET"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_defaults_follow_the_documented_sizing(monkeypatch):
    conf = _load(monkeypatch)
    assert conf["worker_class"] == "gthread"
    assert conf["workers"] == max(2, 2 * os.cpu_count())
    assert conf["threads"] == 4
    assert conf["timeout"] == 30
    assert conf["bind"] == "127.0.0.1:8000"
    assert conf["control_socket_disable"] is True


def test_sizing_comes_from_the_environment(monkeypatch):
    conf = _load(monkeypatch, WEB_CONCURRENCY="3", GUNICORN_THREADS="8", GUNICORN_TIMEOUT="60",
                 GUNICORN_BIND="0.0.0.0:9000", GUNICORN_MAX_REQUESTS="0")
    assert (conf["workers"], conf["threads"], conf["timeout"]) == (3, 8, 60)
    assert conf["bind"] == "0.0.0.0:9000"
    assert conf["max_requests"] == 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback
        return response.status, response.read()


def test_two_workers_start_on_an_empty_database_and_serve(tmp_path: Path):
    """The master migrates once; both workers come up; a killed worker is replaced."""
    db_url = TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'gunicorn.sqlite'}"
    if TEST_DATABASE_URL:
        _reset_database(db_url)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("APP_ENV", "FLASK_ENV", "SECRET_KEY")}
    env.update(DATABASE_URL=db_url, WEB_CONCURRENCY="2", GUNICORN_THREADS="2",
               GUNICORN_BIND=f"127.0.0.1:{port}", LESSONS_DIR=str(ROOT / "lessons"),
               AUTO_MIGRATE="1", GUNICORN_ACCESS_LOG="", PYTHONPATH=str(ROOT))
    log = (tmp_path / "gunicorn.log").open("w+")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(CONF), "webapp:create_app()"],
        cwd=str(ROOT), env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        status = _wait_for(f"http://127.0.0.1:{port}/", server, log)
        assert status == 200
        workers = _children(server.pid)
        assert len(workers) == 2, workers
        os.kill(workers[0], signal.SIGKILL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            now = _children(server.pid)
            if len(now) == 2 and workers[0] not in now:
                break
            time.sleep(0.2)
        assert workers[0] not in _children(server.pid) and len(_children(server.pid)) == 2
        for _ in range(6):  # whichever worker answers, it serves
            assert _get(f"http://127.0.0.1:{port}/")[0] == 200
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.seek(0)
        output = log.read()
        log.close()
    assert "Traceback" not in output, output
    assert_one_version_per_content(db_url)


def _wait_for(url: str, server: subprocess.Popen, log) -> int:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)
            raise AssertionError(f"gunicorn exited with {server.returncode}:\n{log.read()}")
        try:
            return _get(url, timeout=2)[0]
        except OSError:
            time.sleep(0.3)
    raise AssertionError("gunicorn did not answer within 60 s")


def _children(pid: int) -> list[int]:
    """Worker pids: the master's child processes (from /proc)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []

"""Configuration from the environment, SQLite safety settings and state shared between workers."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid

import pytest
import redis
from flask import session
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import IntegrityError

from tests.conftest import ROOT, TEST_DATABASE_URL, _reset_database, assert_one_version_per_content
from webapp import Config, TestConfig, create_app
from webapp.config import DEV_SECRET_KEY
from webapp.extensions import db, limiter
from webapp.models import Attempt, LessonVersion

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No deployment variables leak in from the shell running the tests."""
    for name in ("SECRET_KEY", "APP_ENV", "FLASK_ENV", "DATABASE_URL", "REDIS_URL", "AUTO_MIGRATE",
                 "SESSION_COOKIE_SECURE", "PROXY_FIX", "RATELIMIT_ENABLED"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LESSONS_DIR", str(ROOT / "lessons"))
    monkeypatch.setenv("DATABASE_URL", TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'env.sqlite'}")
    if TEST_DATABASE_URL:
        _reset_database(TEST_DATABASE_URL)
    return monkeypatch


def _dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_production_refuses_the_development_secret_key(clean_env):
    clean_env.setenv("APP_ENV", "production")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()
    clean_env.setenv("SECRET_KEY", DEV_SECRET_KEY)  # set explicitly to the known value: still no
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_production_starts_with_a_real_secret_key_and_secure_cookies(clean_env):
    clean_env.setenv("APP_ENV", "production")
    clean_env.setenv("SECRET_KEY", uuid.uuid4().hex)
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    _dispose(app)


def test_development_default_is_not_production(clean_env):
    app = create_app()
    assert app.config["APP_ENV"] == "development"
    assert app.config["SESSION_COOKIE_SECURE"] is False
    _dispose(app)


def test_database_url_is_honoured(clean_env, tmp_path):
    url = TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'chosen.sqlite'}"
    clean_env.setenv("DATABASE_URL", url)
    app = create_app()
    with app.app_context():
        assert db.engine.url.render_as_string(hide_password=False) == url
        # migrated on start and the shipped lessons mirrored into that database
        count = db.session.scalar(select(func.count()).select_from(LessonVersion))
        assert count >= 1
    _dispose(app)
    if not TEST_DATABASE_URL:
        assert (tmp_path / "chosen.sqlite").exists()


def test_auto_migrate_off_waits_for_the_db_upgrade_command(clean_env, caplog):
    """AUTO_MIGRATE=0: start-up leaves the schema alone; `flask db-upgrade` migrates and syncs."""
    clean_env.setenv("AUTO_MIGRATE", "0")
    app = create_app()  # an empty database: starts, warns, writes nothing
    assert "db-upgrade" in caplog.text
    with app.app_context():
        assert inspect(db.engine).get_table_names() == []
    result = app.test_cli_runner().invoke(args=["db-upgrade"])
    assert result.exit_code == 0, result.output
    assert "(was empty)" in result.output
    with app.app_context():
        assert "alembic_version" in inspect(db.engine).get_table_names()
        assert db.session.scalar(select(func.count()).select_from(LessonVersion)) >= 1
    _dispose(app)
    again = create_app()  # now current: starts without migrating and mirrors nothing new
    with again.app_context():
        assert db.session.scalar(select(func.count()).select_from(LessonVersion)) >= 1
    _dispose(again)


def test_redis_url_selects_redis_for_rate_limits(clean_env):
    clean_env.setenv("REDIS_URL", "redis://cache.internal:6379/2")
    assert Config().RATELIMIT_STORAGE_URI == "redis://cache.internal:6379/2"
    clean_env.delenv("REDIS_URL")
    assert Config().RATELIMIT_STORAGE_URI == "memory://"


@pytest.fixture
def sqlite_app(tmp_path):
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'pragmas.sqlite'}"
    config.LESSONS_DIR = str(ROOT / "lessons")
    app = create_app(config)
    yield app
    _dispose(app)


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_busy_timeout(sqlite_app):
    with sqlite_app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_sqlite_enforces_foreign_keys(sqlite_app):
    with sqlite_app.app_context():
        db.session.add(Attempt(learner_id=999_999, lesson_version_id=999_999))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


# --- several workers ----------------------------------------------------------------------------


def _worker_app(db_url: str, **settings):
    """An app as another gunicorn worker would build it: same settings, its own process memory."""
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = db_url
    config.LESSONS_DIR = str(ROOT / "lessons")
    for key, value in settings.items():
        setattr(config, key, value)
    return create_app(config)


def test_rate_limits_are_counted_in_redis_across_workers(tmp_path):
    """With Redis storage, hits on one worker count against the limit on another."""
    store = redis.Redis.from_url(REDIS_URL)
    try:
        store.ping()
    except redis.ConnectionError:
        pytest.fail(f"Redis is not answering at {REDIS_URL} (.ci/run starts it)")
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    db_url = TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'limits.sqlite'}"
    if TEST_DATABASE_URL:
        _reset_database(db_url)
    settings = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": REDIS_URL,
                "RATELIMIT_KEY_PREFIX": prefix}
    apps = []
    for _ in range(2):
        app = _worker_app(db_url, **settings)

        @app.get("/limited-probe")
        @limiter.limit("3 per minute")
        def limited_probe():
            return {"ok": True}

        apps.append(app)
    try:
        first, second = (app.test_client() for app in apps)
        assert [first.get("/limited-probe").status_code for _ in range(2)] == [200, 200]
        assert second.get("/limited-probe").status_code == 200
        refused = second.get("/limited-probe")
        assert refused.status_code == 429
        assert any(prefix in key.decode() for key in store.scan_iter(match=f"*{prefix}*"))
    finally:
        for key in store.scan_iter(match=f"*{prefix}*"):
            store.delete(key)
        for app in apps:
            _dispose(app)
        limiter.enabled = False  # the shared limiter object: leave it as TestConfig apps expect


def _with_session_probe(app):
    @app.get("/session-probe/<value>")
    def write(value):
        session["probe"] = value
        return {"ok": True}

    @app.get("/session-probe")
    def read():
        return {"probe": session.get("probe")}

    return app


def test_sessions_signed_by_one_worker_are_accepted_by_another(tmp_path):
    """Nothing about a visitor lives in process memory: the signed cookie carries it."""
    db_url = TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'sessions.sqlite'}"
    if TEST_DATABASE_URL:
        _reset_database(db_url)
    apps = [_with_session_probe(_worker_app(db_url)) for _ in range(2)]
    apps.append(_with_session_probe(_worker_app(db_url, SECRET_KEY="another-deployment")))
    writer, reader, stranger = (app.test_client() for app in apps)
    writer.get("/session-probe/hello")
    cookie = writer.get_cookie("session")
    assert cookie is not None
    reader.set_cookie("session", cookie.value)
    assert reader.get("/session-probe").get_json() == {"probe": "hello"}
    # signed, not merely encoded: an app with another key ignores the cookie
    stranger.set_cookie("session", cookie.value)
    assert stranger.get("/session-probe").get_json() == {"probe": None}
    for app in apps:
        _dispose(app)


STARTER = """
import os, sys, time
from webapp import create_app
go = float(os.environ["START_AT"])
time.sleep(max(0.0, go - time.time()))
create_app()
"""


def test_concurrent_worker_start_up_migrates_and_mirrors_lessons_once(tmp_path):
    """Four processes starting at the same instant on an empty database all come up cleanly."""
    db_url = TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'race.sqlite'}"
    if TEST_DATABASE_URL:
        _reset_database(db_url)
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "APP_ENV", "FLASK_ENV")}
    env.update(DATABASE_URL=db_url, LESSONS_DIR=str(ROOT / "lessons"), AUTO_MIGRATE="1",
               START_AT=str(time.time() + 3.0), PYTHONPATH=str(ROOT))
    procs = [subprocess.Popen([sys.executable, "-c", STARTER], env=env, cwd=str(ROOT),
                              stderr=subprocess.PIPE, text=True) for _ in range(4)]
    failures = []
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        if proc.returncode != 0:
            failures.append(err.strip().splitlines()[-1] if err.strip() else proc.returncode)
    assert failures == []
    assert_one_version_per_content(db_url)

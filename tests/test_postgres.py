"""PostgreSQL specifics, run when ``TEST_DATABASE_URL`` points at PostgreSQL (the second CI run).

The rest of the suite runs unchanged on PostgreSQL; these check what only exists there: the
private schema each test run works in, and the advisory lock that serialises start-ups.
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import ROOT, TEST_DATABASE_URL, _reset_database, _schema_of
from webapp import TestConfig, create_app
from webapp.db_setup import STARTUP_LOCK_KEY
from webapp.extensions import db

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not (TEST_DATABASE_URL or "").startswith("postgresql"),
                       reason="TEST_DATABASE_URL is not a PostgreSQL URL"),
]


def _advisory_locks_held() -> int:
    engine = create_engine(TEST_DATABASE_URL)
    with engine.connect() as conn:
        held = conn.execute(text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = :key"),
            {"key": STARTUP_LOCK_KEY}).scalar()
    engine.dispose()
    return int(held)


def _config() -> TestConfig:
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = TEST_DATABASE_URL
    config.LESSONS_DIR = str(ROOT / "lessons")
    return config


def test_each_run_works_in_a_private_schema(app):
    schema = _schema_of(TEST_DATABASE_URL)
    assert schema.startswith("test_") and schema != "public"
    with app.app_context():
        assert db.session.execute(text("SELECT current_schema()")).scalar() == schema
        tables = db.session.execute(text(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = :s"),
            {"s": schema}).scalars().all()
    assert "annotations" in tables and "alembic_version" in tables


def test_start_up_releases_the_advisory_lock():
    _reset_database(TEST_DATABASE_URL)
    app = create_app(_config())
    assert _advisory_locks_held() == 0
    with app.app_context():
        db.engine.dispose()


def test_a_failed_start_up_releases_the_advisory_lock(monkeypatch):
    """Otherwise every later start would wait on the lock forever."""
    _reset_database(TEST_DATABASE_URL)

    def broken_sync(lessons):
        raise RuntimeError("lesson sync failed")

    monkeypatch.setattr("webapp.services.lessons.sync_file_lessons", broken_sync)
    with pytest.raises(RuntimeError, match="lesson sync failed"):
        create_app(_config())
    assert _advisory_locks_held() == 0
    monkeypatch.undo()
    app = create_app(_config())  # and the next start goes through
    with app.app_context():
        assert db.session.execute(text("SELECT count(*) FROM lesson_versions")).scalar() >= 1
        db.engine.dispose()

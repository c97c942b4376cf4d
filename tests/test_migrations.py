"""Alembic migrations upgrade a populated database in place and round-trip without losing rows.

The database is built at the first revision, filled with rows in every table that revision has,
then brought to head the way a deployment does it (``create_app`` migrating on start). Every row and
every column the first revision had must come back unchanged. Runs on SQLite, and on PostgreSQL when
``TEST_DATABASE_URL`` points there.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, create_engine, inspect, select, text

from tests.conftest import ROOT, TEST_DATABASE_URL, _reset_database
from webapp import TestConfig, create_app
from webapp.db_setup import alembic_config

FIRST = "0001"
T0 = datetime(2026, 9, 1, 8, 30, 0)
T1 = datetime(2026, 9, 2, 14, 5, 59)
NOTE = "It takes for granted that the coup “happened” — no date, no source; 🤔 <b>not</b> checked."

# Rows for every table of the first revision, in foreign-key order. Explicit ids so references
# are stable on every database.
ROWS_AT_FIRST: dict[str, list[dict]] = {
    "learners": [
        {"id": 1, "public_id": "a" * 32, "created_at": T0},
        {"id": 2, "public_id": "b" * 32, "created_at": T1},
    ],
    "users": [
        {"id": 1, "email": "teacher@example.org", "display_name": "Ms Ōtake",
         "password_hash": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", "is_instructor": True,
         "created_at": T0, "session_token": "c" * 32},
        {"id": 2, "email": "helper@example.org", "display_name": "Helper",
         "password_hash": "x", "is_instructor": False, "created_at": T1,
         "session_token": "d" * 32},
    ],
    "classrooms": [
        {"id": 1, "name": "Year 10 — Media literacy", "owner_id": 1, "join_code": "JOIN-ABC-123",
         "created_at": T0},
    ],
    "lesson_versions": [
        {"id": 1, "lesson_id": "russia-coup", "version": 1, "content_hash": "e" * 64,
         "title": "A coup that may not have happened", "origin": "file", "author_id": None,
         "shared": True, "data": {"id": "russia-coup", "prompts": [{"id": "event", "hints": []}],
                                  "nested": {"list": [1, 2.5, None, "ü"]}},
         "created_at": T0},
        {"id": 2, "lesson_id": "my-draft", "version": 3, "content_hash": "f" * 64,
         "title": "Authored", "origin": "authored", "author_id": 1, "shared": False,
         "data": {"id": "my-draft"}, "created_at": T1},
    ],
    "assignments": [
        {"id": 1, "classroom_id": 1, "lesson_version_id": 1, "title": "Week 3", "due_at": T1,
         "attempts_allowed": 2, "reveal_answers": "after_due", "classmates_visible": "never",
         "created_at": T0},
    ],
    "memberships": [
        {"id": 1, "classroom_id": 1, "learner_id": 1, "display_name": "Sam <3",
         "rejoin_code": "RJ-1", "joined_at": T0, "removed_at": None},
        {"id": 2, "classroom_id": 1, "learner_id": 2, "display_name": "Alex",
         "rejoin_code": None, "joined_at": T0, "removed_at": T1},
    ],
    "attempts": [
        {"id": 1, "learner_id": 1, "lesson_version_id": 1, "assignment_id": 1, "number": 1,
         "status": "submitted", "started_at": T0, "submitted_at": T1, "auto_score": 3.5,
         "max_score": 8.0, "item_credits": {"hypothetical-coup": {"credit": 1.0, "points": 2}}},
        {"id": 2, "learner_id": 2, "lesson_version_id": 2, "assignment_id": None, "number": 1,
         "status": "draft", "started_at": T1, "submitted_at": None, "auto_score": None,
         "max_score": None, "item_credits": None},
    ],
    "annotations": [
        {"id": 1, "public_id": "1" * 32, "attempt_id": 1, "prompt_id": "event",
         "exact": "the coup in Russia", "prefix": "After ", "suffix": ", the", "start": 6,
         "end": 24, "note": NOTE, "created_at": T0, "updated_at": T1,
         "auto_item_id": "hypothetical-coup", "auto_credit": 0.75, "auto_confidence": 0.9,
         "auto_feedback": "Good: you questioned the event.", "needs_review": True,
         "manual_credit": 1.0, "manual_item_id": "hypothetical-coup",
         "manual_comment": "Full marks", "reviewed_by_id": 1, "reviewed_at": T1},
        {"id": 2, "public_id": "2" * 32, "attempt_id": 2, "prompt_id": None,
         "exact": "x" * 5000, "prefix": "", "suffix": "", "start": 0, "end": 5000,
         "note": "n" * 2000, "created_at": T1, "updated_at": T1, "auto_item_id": None,
         "auto_credit": None, "auto_confidence": None, "auto_feedback": None,
         "needs_review": False, "manual_credit": None, "manual_item_id": None,
         "manual_comment": None, "reviewed_by_id": None, "reviewed_at": None},
    ],
    "hint_reveals": [
        {"id": 1, "attempt_id": 1, "prompt_id": "event", "revealed": 2},
    ],
    "rubric_extensions": [
        {"id": 1, "classroom_id": 1, "lesson_id": "russia-coup", "item_id": "hypothetical-coup",
         "phrasing": "assumes the coup is real", "source_annotation_id": 1, "created_by_id": 1,
         "created_at": T1},
    ],
}


@pytest.fixture
def db_url(tmp_path) -> str:
    """An empty database: a fresh SQLite file, or this run's emptied PostgreSQL schema."""
    url = TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'migrate.sqlite'}"
    _reset_database(url)
    return url


def _app_tables(engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def _populate(engine) -> None:
    meta = MetaData()
    meta.reflect(engine)
    with engine.begin() as conn:
        for table, rows in ROWS_AT_FIRST.items():
            conn.execute(meta.tables[table].insert(), rows)
            if conn.dialect.name == "postgresql":  # explicit ids: move the sequence past them
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT max(id) FROM {table}))"))


def _assert_rows_intact(engine) -> None:
    """Every row inserted at the first revision is there, every original column unchanged."""
    meta = MetaData()
    meta.reflect(engine)
    with engine.connect() as conn:
        for name, expected in ROWS_AT_FIRST.items():
            assert name in meta.tables, f"table {name} was dropped"
            table = meta.tables[name]
            ids = [row["id"] for row in expected]  # the app may have added rows of its own
            stored = [row._asdict() for row in conn.execute(
                select(table).where(table.c.id.in_(ids)).order_by(table.c.id))]
            assert len(stored) == len(expected), f"{name}: {len(stored)} rows, not {len(expected)}"
            for want, got in zip(expected, stored, strict=True):
                for column, value in want.items():
                    assert column in got, f"{name}.{column} was dropped"
                    assert got[column] == value, f"{name}.{column} changed: {got[column]!r}"


def _revisions(cfg) -> list[str]:
    """Revision ids from the first to head."""
    script = ScriptDirectory.from_config(cfg)
    return [rev.revision for rev in reversed(list(script.walk_revisions("base", "heads")))]


def test_first_revision_is_the_base_and_history_is_linear():
    cfg = alembic_config()
    script = ScriptDirectory.from_config(cfg)
    assert len(script.get_heads()) == 1, f"several heads, merge them: {script.get_heads()}"
    assert _revisions(cfg)[0] == FIRST


def test_populated_database_upgrades_in_place_on_start(db_url):
    """Rows of every table written at the first revision survive the upgrade create_app runs."""
    engine = create_engine(db_url)
    command.upgrade(alembic_config(db_url), FIRST)
    assert _app_tables(engine) == set(ROWS_AT_FIRST), "a table of the first revision has no rows"
    _populate(engine)

    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = db_url
    config.LESSONS_DIR = str(ROOT / "lessons")
    app = create_app(config)  # AUTO_MIGRATE is on: upgrades to head, then mirrors lesson files

    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    assert current == _revisions(alembic_config(db_url))[-1]
    _assert_rows_intact(engine)
    with app.app_context():
        from webapp.extensions import db
        from webapp.models import LessonVersion

        # the app reads the migrated rows through its models
        assert db.session.get(LessonVersion, 2).title == "Authored"
        db.engine.dispose()
    engine.dispose()


def test_downgrade_and_upgrade_round_trip_keeps_rows(db_url):
    """Each later revision can be undone and redone on a populated database without loss."""
    cfg = alembic_config(db_url)
    engine = create_engine(db_url)
    command.upgrade(cfg, FIRST)
    _populate(engine)
    command.upgrade(cfg, "head")
    revisions = _revisions(cfg)
    for previous, _revision in reversed(list(zip(revisions, revisions[1:], strict=False))):
        command.downgrade(cfg, previous)
        _assert_rows_intact(engine)
        command.upgrade(cfg, "head")
        _assert_rows_intact(engine)
    engine.dispose()


def test_schema_round_trips_through_base(db_url):
    """Downgrading to base removes every table; upgrading again rebuilds the same schema."""
    cfg = alembic_config(db_url)
    engine = create_engine(db_url)
    command.upgrade(cfg, "head")
    before = {t: sorted(c["name"] for c in inspect(engine).get_columns(t))
              for t in _app_tables(engine)}
    command.downgrade(cfg, "base")
    assert _app_tables(engine) == set()
    command.upgrade(cfg, "head")
    after = {t: sorted(c["name"] for c in inspect(engine).get_columns(t))
             for t in _app_tables(engine)}
    assert after == before
    engine.dispose()


def test_migrations_at_head_match_the_models(db_url):
    """A model changed without a migration shows up here (autogenerate finds a difference)."""
    from webapp import models  # noqa: F401  (registers the tables)
    from webapp.extensions import db

    engine = create_engine(db_url)
    command.upgrade(alembic_config(db_url), "head")
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = compare_metadata(context, db.metadata)
    engine.dispose()
    assert diffs == []


def test_annotation_counts_are_filled_in_on_upgrade(db_url):
    """Revision 0002 counts the annotations each existing attempt holds (the limit reads it)."""
    cfg = alembic_config(db_url)
    engine = create_engine(db_url)
    command.upgrade(cfg, FIRST)
    _populate(engine)
    command.upgrade(cfg, "0002")
    with engine.connect() as conn:
        counts = dict(conn.execute(text("SELECT id, annotation_count FROM attempts")).all())
    engine.dispose()
    assert counts == {1: 1, 2: 1}

"""Database engine settings, Alembic migrations run programmatically, and the start-up lock.

Several processes may start at once against one database (gunicorn workers, two app servers behind
a load balancer). Migrating and mirroring the lesson files are then serialised by ``startup_lock``:
a PostgreSQL advisory lock, or an exclusive ``flock`` on a file beside the SQLite database, so two
processes never run the same migration or insert the same lesson version concurrently.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import event, make_url, text
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Arbitrary constant naming this app's start-up lock among PostgreSQL advisory locks.
STARTUP_LOCK_KEY = 720_461_193


def configure_engine_options(app: Flask) -> None:
    """SQLite: wait on locks instead of failing at once (busy timeout)."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if uri.startswith("sqlite"):
        options.setdefault("connect_args", {}).setdefault("timeout", 15)
        options.pop("pool_pre_ping", None)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:  # noqa: ARG001
    """Foreign keys on, WAL journal and a busy timeout for every SQLite connection."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def alembic_config(url: str | None = None) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


@contextlib.contextmanager
def startup_lock(app: Flask) -> Iterator[None]:
    """Hold a lock shared by every process using this database while the block runs."""
    from .extensions import db

    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "postgresql":
        with db.engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": STARTUP_LOCK_KEY})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"),
                                   {"key": STARTUP_LOCK_KEY})
                connection.commit()
        return
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        lock_path = Path(url.database).with_name(Path(url.database).name + ".startup-lock")
        with open(lock_path, "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        return
    yield


def upgrade_database(app: Flask, revision: str = "head") -> None:
    """Bring the schema to ``revision``; creates the database on first run."""
    from .extensions import db

    cfg = alembic_config()
    with db.engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def current_revision(app: Flask) -> str | None:
    """The revision the database is at (None when it was never migrated)."""
    from .extensions import db

    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def prepare_database(app: Flask, lessons: dict, *, migrate: bool) -> bool:
    """Migrate (when asked) and mirror the lesson files, one process at a time.

    With ``migrate`` off and the schema behind, nothing is written and a warning says how to
    migrate; returns whether the database is ready. Call inside an app context.
    """
    from .services.lessons import sync_file_lessons

    with startup_lock(app):
        if migrate:
            upgrade_database(app)
        elif (current := current_revision(app)) != head_revision():
            log.warning("database schema is at %s, not %s: run `flask --app webapp db-upgrade`",
                        current or "no revision (empty)", head_revision())
            return False
        sync_file_lessons(lessons)
    return True

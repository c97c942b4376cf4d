"""Shared fixtures: a fresh app and database per test (flaskr style).

Set ``TEST_DATABASE_URL`` (e.g. ``postgresql+psycopg://postgres@127.0.0.1:5432/test``) to run the
suite on another database; each test then starts from an empty schema.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from webapp import TestConfig, create_app

ROOT = Path(__file__).resolve().parent.parent


def _private_schema_url(url: str | None) -> str | None:
    """On PostgreSQL, confine this test run to a schema of its own (``test_<pid>``).

    Several runs may share one database (parallel CI jobs, developers on one server); each then
    drops and recreates only its own schema, never another run's tables.
    """
    if not url or not url.startswith("postgresql"):
        return url
    parsed = make_url(url)
    if "options" in parsed.query:  # the caller chose a search_path already
        return url
    schema = f"test_{os.getpid()}"
    return parsed.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False)


def _schema_of(url: str) -> str:
    options = make_url(url).query.get("options", "")
    match = re.search(r"search_path=([A-Za-z0-9_]+)", str(options))
    return match.group(1) if match else "public"


def _parse_lesson_files_once() -> None:
    """Parse each lesson folder once per test session instead of once per app.

    Every test builds a fresh app, and parsing the shipped lesson files (YAML and schema) was most
    of an app's start-up: about 0.9 s of ~400 tests, twice in CI. The cache key holds every
    file's path, size and modification time, so a test that writes or edits lesson files gets them
    parsed anew; the lessons themselves are immutable (frozen models), each call gets its own
    report.
    """
    import webapp.content as content
    from webapp.content.loader import LessonLoadReport

    parse = content.load_lessons
    reports: dict[tuple, LessonLoadReport] = {}

    def load_lessons(root, **kwargs) -> LessonLoadReport:
        root = Path(root)
        try:
            files = sorted(p for p in root.rglob("*") if p.is_file())
            stamp = tuple((str(p), st.st_mtime_ns, st.st_size) for p in files
                          for st in (p.stat(),))
        except OSError:
            return parse(root, **kwargs)
        key = (str(root.resolve()), tuple(sorted(kwargs.items())), stamp)
        if key not in reports:
            reports[key] = parse(root, **kwargs)
        report = reports[key]
        return LessonLoadReport(lessons=dict(report.lessons), errors=list(report.errors),
                                sources=dict(report.sources))

    content.load_lessons = load_lessons


_parse_lesson_files_once()
TEST_DATABASE_URL = _private_schema_url(os.environ.get("TEST_DATABASE_URL"))
if TEST_DATABASE_URL:
    # Fixtures elsewhere (tests/browser) read the variable: give them the private schema too.
    os.environ["TEST_DATABASE_URL"] = TEST_DATABASE_URL


def _reset_database(url: str, *, keep_schema: bool = False) -> None:
    """Empty the PostgreSQL schema the URL points at (SQLite tests use a fresh file instead).

    ``keep_schema``: when the schema is already migrated to head, only empty its tables
    (TRUNCATE, ids restarting at 1), which saves the migration on every test; otherwise, and by
    default, drop and recreate the schema.
    """
    if not url.startswith("postgresql"):
        return
    from webapp.db_setup import head_revision

    schema = _schema_of(url)
    engine = create_engine(url)
    with engine.begin() as conn:
        tables = conn.execute(text(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = :schema"),
            {"schema": schema}).scalars().all()
        current = (conn.execute(text(f'SELECT version_num FROM "{schema}".alembic_version'))
                   .scalar() if "alembic_version" in tables else None)
        if keep_schema and current is not None and current == head_revision():
            names = ", ".join(f'"{schema}"."{t}"' for t in tables if t != "alembic_version")
            if names:
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()


def pytest_sessionfinish(session, exitstatus):  # noqa: ARG001
    """Drop this run's private PostgreSQL schema."""
    if TEST_DATABASE_URL and TEST_DATABASE_URL.startswith("postgresql"):
        schema = _schema_of(TEST_DATABASE_URL)
        if schema != "public":
            engine = create_engine(TEST_DATABASE_URL)
            with engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            engine.dispose()


@pytest.fixture
def app_config(tmp_path) -> dict:
    """Per-test settings; override in a test module to change them."""
    url = TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'test.sqlite'}"
    return {"SQLALCHEMY_DATABASE_URI": url, "LESSONS_DIR": str(ROOT / "lessons")}


@pytest.fixture
def app(app_config):
    if TEST_DATABASE_URL:
        _reset_database(app_config["SQLALCHEMY_DATABASE_URI"], keep_schema=True)
    application = _build(app_config)
    yield application
    from webapp.extensions import db

    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def _build(app_config: dict):
    config = TestConfig()
    for key, value in app_config.items():
        setattr(config, key, value)
    return create_app(config)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def assert_one_version_per_content(db_url: str) -> None:
    """Start-up mirrored each lesson once: one version row per distinct content (a lesson file
    edited during the run may add a version, never a duplicate)."""
    engine = create_engine(db_url)
    with engine.connect() as conn:
        per_lesson = conn.execute(text(
            "SELECT lesson_id, count(*) FROM lesson_versions GROUP BY lesson_id, content_hash"
        )).all()
    engine.dispose()
    assert per_lesson and all(count == 1 for _, count in per_lesson), per_lesson


_META_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def csrf_from(html: str) -> str:
    """The CSRF token a page carries in its <meta name="csrf-token">."""
    match = _META_TOKEN.search(html)
    assert match, "page has no csrf-token meta tag"
    return match.group(1)

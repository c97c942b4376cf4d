"""Shared fixtures: a fresh app and database per test (flaskr style).

Set ``TEST_DATABASE_URL`` (e.g. ``postgresql+psycopg://postgres@127.0.0.1:5432/test``) to run the
suite on another database; each test then starts from an empty schema.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from webapp import TestConfig, create_app

ROOT = Path(__file__).resolve().parent.parent
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


def _reset_database(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture
def app_config(tmp_path) -> dict:
    """Per-test settings; override in a test module to change them."""
    url = TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'test.sqlite'}"
    return {"SQLALCHEMY_DATABASE_URI": url, "LESSONS_DIR": str(ROOT / "lessons")}


@pytest.fixture
def app(app_config):
    if TEST_DATABASE_URL:
        _reset_database(app_config["SQLALCHEMY_DATABASE_URI"])
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


_META_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def csrf_from(html: str) -> str:
    """The CSRF token a page carries in its <meta name="csrf-token">."""
    match = _META_TOKEN.search(html)
    assert match, "page has no csrf-token meta tag"
    return match.group(1)

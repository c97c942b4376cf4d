"""Configuration read from the environment.

Every setting has a safe development default except ``SECRET_KEY`` in production: when
``FLASK_ENV``/``APP_ENV`` is ``production`` and no ``SECRET_KEY`` is set, the app refuses to start.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - development default, refused in production


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


class Config:
    """Settings shared by every environment, each overridable by an environment variable."""

    def __init__(self) -> None:
        self.SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
        self.APP_ENV = os.environ.get("APP_ENV", os.environ.get("FLASK_ENV", "development"))
        # None means "SQLite file in the instance folder", resolved in create_app.
        self.SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or None
        self.SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
        self.LESSONS_DIR = os.environ.get("LESSONS_DIR", str(ROOT / "lessons"))
        self.REDIS_URL = os.environ.get("REDIS_URL") or None
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"
        self.RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
        self.RATELIMIT_HEADERS_ENABLED = True
        self.WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session
        self.WTF_CSRF_HEADERS = ["X-CSRFToken", "X-CSRF-Token"]
        self.SIGNUP_OPEN = _bool("SIGNUP_OPEN", True)
        # Throttles (Flask-Limiter syntax), per client address; never a lockout.
        self.LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
        self.SIGNUP_RATE_LIMIT = os.environ.get("SIGNUP_RATE_LIMIT", "5 per minute")
        self.JOIN_RATE_LIMIT = os.environ.get("JOIN_RATE_LIMIT", "20 per minute")
        self.MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH", 1024 * 1024)
        self.NOTE_MAX_CHARS = _int("NOTE_MAX_CHARS", 2000)
        self.MAX_ANNOTATIONS_PER_ATTEMPT = _int("MAX_ANNOTATIONS_PER_ATTEMPT", 200)
        self.LESSON_FILE_MAX_BYTES = _int("LESSON_FILE_MAX_BYTES", 512 * 1024)
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", self.APP_ENV == "production")
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.PROXY_FIX = _int("PROXY_FIX", 0)  # number of trusted reverse proxies in front
        self.AUTO_MIGRATE = _bool("AUTO_MIGRATE", True)


class TestConfig(Config):
    """Settings for the test suite: CSRF stays ON (tests send tokens), limiter off by default."""

    __test__ = False  # not a pytest test class, despite its name

    def __init__(self) -> None:
        super().__init__()
        self.TESTING = True
        self.SECRET_KEY = "test-secret"  # noqa: S105
        self.RATELIMIT_ENABLED = False
        self.RATELIMIT_STORAGE_URI = "memory://"

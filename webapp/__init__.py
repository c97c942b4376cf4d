"""Critical-reading teaching tool: the application factory.

Flask, its extensions and SQLAlchemy are imported inside the factory, not here, so that the
pure-Python scorer (``webapp.scoring``) and the lesson loader (``webapp.content``) load without
them: a grading script that imports the scorer does not pay for the web app.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from .config import DEV_SECRET_KEY, Config, TestConfig

if TYPE_CHECKING:
    from flask import Flask

__all__ = ["create_app", "Config", "TestConfig"]

log = logging.getLogger(__name__)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def create_app(config: Config | dict | None = None) -> Flask:
    """Build the app: config -> extensions -> database and lessons -> blueprints -> CLI."""
    from flask import Flask

    app = Flask(__name__, instance_relative_config=True)
    settings = config if isinstance(config, Config) else Config()
    app.config.from_object(settings)
    if isinstance(config, dict):
        app.config.update(config)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = (
            "sqlite:///" + os.path.join(app.instance_path, "critical-reading.sqlite")
        )
    if app.config.get("APP_ENV") == "production" and app.config["SECRET_KEY"] == DEV_SECRET_KEY:
        raise RuntimeError("SECRET_KEY must be set in the environment in production")
    if app.config.get("PROXY_FIX"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["PROXY_FIX"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    _init_extensions(app)
    _init_database(app)
    _register_blueprints(app)
    from .rendering import render_markdown

    app.add_template_filter(render_markdown, "markdown")
    _register_error_handlers(app)
    _register_request_checks(app)
    _register_headers(app)

    from .cli import register_cli

    register_cli(app)
    return app


def _init_extensions(app: Flask) -> None:
    from .db_setup import configure_engine_options
    from .extensions import csrf, db, limiter, login_manager

    configure_engine_options(app)
    db.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    limiter.init_app(app)

    from .models import User

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        ident, _, token = user_id.partition(":")
        if not ident.isdigit():
            return None
        user = db.session.get(User, int(ident))
        return user if user is not None and user.session_token == token else None


def _init_database(app: Flask) -> None:
    from .content import load_lessons
    from .db_setup import prepare_database

    report = load_lessons(Path(app.config["LESSONS_DIR"]),
                          max_bytes=app.config["LESSON_FILE_MAX_BYTES"])
    for error in report.errors:
        log.error("lesson not loaded: %s", error)
    app.extensions["lesson_report"] = report
    with app.app_context():
        # Under a lock: concurrent workers must not migrate or add lesson versions twice.
        prepare_database(app, report.lessons, migrate=app.config.get("AUTO_MIGRATE", True))


def _register_blueprints(app: Flask) -> None:
    from .auth.routes import bp as auth_bp
    from .authoring.routes import bp as authoring_bp
    from .classes.routes import bp as classes_bp
    from .instructor.routes import bp as instructor_bp
    from .learner.routes import bp as learner_bp

    app.register_blueprint(learner_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(authoring_bp)
    app.register_blueprint(instructor_bp)
    app.register_blueprint(classes_bp)


def wants_json() -> bool:
    """True for API calls (fetch from our scripts) and clients that prefer JSON."""
    from flask import request

    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes[
        "text/html"]


def _register_error_handlers(app: Flask) -> None:
    from flask import jsonify, render_template, request
    from flask_wtf.csrf import CSRFError
    from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

    from .extensions import db

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        message = ("Your form expired or was sent without its security token. "
                   "Reload the page and try again.")
        if wants_json():
            return jsonify(error="csrf", message=message), 400
        return render_template("error.html", code=400, title="Please try again",
                               message=message), 400

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error: RequestEntityTooLarge):
        limit_kb = int(app.config.get("MAX_CONTENT_LENGTH") or 0) // 1024
        message = (f"What you sent is too large: at most {limit_kb:,} KB can be sent at once. "
                   "Shorten it and try again.")
        if wants_json():
            return jsonify(error="too_large", message=message), 413
        return render_template("error.html", code=413, title="Too large", message=message), 413

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        message = error.description or error.name
        if wants_json():
            return jsonify(error=error.name.lower().replace(" ", "_"), message=message), error.code
        return render_template("error.html", code=error.code, title=error.name,
                               message=message), error.code

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        message = "Something went wrong on our side. Your saved work is safe; please try again."
        if wants_json():
            return jsonify(error="server_error", message=message), 500
        return render_template("error.html", code=500, title="Server error", message=message), 500


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _register_request_checks(app: Flask) -> None:
    from flask import jsonify, request

    @app.before_request
    def reject_malformed_json():
        """A body sent to the JSON API must parse: a garbled request never reaches a view."""
        if not request.path.startswith("/api/") or request.method not in {"POST", "PUT", "PATCH",
                                                                          "DELETE"}:
            return None
        body = request.get_data(cache=True)  # raises 413 past MAX_CONTENT_LENGTH
        if not body.strip():
            return None
        try:
            json.loads(body, parse_constant=_refuse_constant)  # strict JSON: no NaN/Infinity
        except ValueError:
            return jsonify(error="bad_json", field=None,
                           message="The request body is not valid JSON. Send a JSON object."), 400
        return None


def _register_headers(app: Flask) -> None:
    from flask import request

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy",
                                    "camera=(), microphone=(), geolocation=()")
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security",
                                        "max-age=31536000; includeSubDomains")
        return response

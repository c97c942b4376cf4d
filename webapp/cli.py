"""Command-line interface: ``lessons check``, ``score``, ``create-instructor`` and more."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

lessons_cli = AppGroup("lessons", help="Check and list lesson files.")


@lessons_cli.command("check")
@click.argument("path", required=False, type=click.Path(path_type=Path))
def lessons_check(path: Path | None) -> None:
    """Validate lesson files (all of lessons/ by default); exit 1 if any has errors."""
    from .content import load_lessons

    root = path or Path(current_app.config["LESSONS_DIR"])
    if not root.exists():
        click.echo(f"error: {root} does not exist", err=True)
        sys.exit(2)
    report = load_lessons(root, max_bytes=current_app.config["LESSON_FILE_MAX_BYTES"])
    for error in report.errors:
        click.echo(f"error: {error}", err=True)
    for lesson_id, lesson in sorted(report.lessons.items()):
        click.echo(f"ok: {lesson_id} ({len(lesson.prompts)} prompts, {len(lesson.rubric)} rubric "
                   f"items, {lesson.max_score:g} points)")
    if report.errors:
        click.echo(f"{len(report.errors)} error(s) found", err=True)
        sys.exit(1)


@click.command("db-upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Migrate the database to the latest schema and mirror the lesson files (AUTO_MIGRATE=0)."""
    from .db_setup import current_revision, head_revision, prepare_database

    before = current_revision(current_app)
    prepare_database(current_app, current_app.extensions["lesson_report"].lessons, migrate=True)
    click.echo(f"database at {head_revision()} (was {before or 'empty'})")


@click.command("create-instructor")
@click.option("--email", prompt=True, help="The instructor's email (their log-in).")
@click.option("--name", prompt="Name", help="The name shown to learners and in the menu.")
@click.password_option(help="At least 10 characters; asked twice when not given.")
@with_appcontext
def create_instructor(email: str, name: str, password: str) -> None:
    """Create an instructor account (works even when sign-up is closed)."""
    from .services.accounts import AccountError
    from .services.accounts import create_instructor as create

    try:
        user = create(email, name, password)
    except AccountError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    click.echo(f"Instructor {user.email} created. Log in at /auth/login.")


@click.command("score")
@click.argument("lesson_id")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=str))
@with_appcontext
def score_command(lesson_id: str, file: str) -> None:
    """Score W3C annotations in FILE ('-' for stdin) against LESSON_ID's rubric; print JSON."""
    import json

    from .scoring import AnnotationFormatError, score_annotations

    lessons = current_app.extensions["lesson_report"].lessons
    lesson = lessons.get(lesson_id)
    if lesson is None:
        known = ", ".join(sorted(lessons)) or "none loaded"
        click.echo(f"error: unknown lesson {lesson_id!r} (known lessons: {known})", err=True)
        sys.exit(2)
    name = "stdin" if file == "-" else file
    try:
        if file == "-":
            raw = sys.stdin.buffer.read().decode("utf-8")
        else:
            raw = Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        click.echo(f"error: cannot read {name}: {reason}", err=True)
        sys.exit(2)
    try:
        payload = json.loads(raw)
    except json.JSONDecodeError as exc:
        click.echo(f"error: {name} is not valid JSON: {exc.msg} at line {exc.lineno} column "
                   f"{exc.colno}", err=True)
        sys.exit(2)
    try:
        result = score_annotations(lesson, payload)
    except AnnotationFormatError as exc:
        where = f" (annotation {exc.index})" if exc.index is not None else ""
        click.echo(f"error: {name}{where}: {exc}", err=True)
        sys.exit(2)
    for index, annotation in enumerate(result.annotations):
        if annotation.error:
            click.echo(f"warning: annotation {index} (id {annotation.id!r}) not scored: "
                       f"{annotation.error}", err=True)
    click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))


def register_cli(app: Flask) -> None:
    app.cli.add_command(lessons_cli)
    app.cli.add_command(score_command)
    app.cli.add_command(create_instructor)
    app.cli.add_command(db_upgrade)

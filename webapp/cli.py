"""Command-line interface: ``flask --app webapp lessons check``, ``score``, ``create-instructor``."""

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


def register_cli(app: Flask) -> None:
    app.cli.add_command(lessons_cli)
    app.cli.add_command(create_instructor)
    app.cli.add_command(db_upgrade)

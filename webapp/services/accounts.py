"""Instructor accounts: creation, password checks (argon2id), and ending sessions."""

from __future__ import annotations

from collections.abc import Callable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select

from ..extensions import db
from ..models import User, new_public_id

_hasher = PasswordHasher()
# Verified against when the email is unknown, so a wrong email costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password")

MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    """A request the account rules refuse; ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalars(
        select(User).where(func.lower(User.email) == normalise_email(email))
    ).first()


def create_instructor(email: str, display_name: str, password: str) -> User:
    """Create an instructor account; refuses a taken email or a short password."""
    email = normalise_email(email)
    display_name = display_name.strip()
    if not email or "@" not in email:
        raise AccountError("Enter a valid email address.", "email")
    if not display_name:
        raise AccountError("Enter your name.", "display_name")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Use at least {MIN_PASSWORD_LENGTH} characters.", "password")
    if find_by_email(email) is not None:
        raise AccountError("An account with this email already exists.", "email")
    user = User(email=email, display_name=display_name, password_hash=_hasher.hash(password),
                is_instructor=True)
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user whose email and password match, or None. Upgrades outdated hashes."""
    user = find_by_email(email)
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if user is None:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
        db.session.commit()
    return user


def end_all_sessions(user: User) -> None:
    """Rotate the session token: every browser signed in as this user is signed out."""
    user.session_token = new_public_id()
    db.session.commit()


def configured_limit(setting: str, default: str) -> Callable[[], str]:
    """A Flask-Limiter limit read from config at request time (e.g. ``"10 per minute"``)."""
    from flask import current_app

    return lambda: current_app.config.get(setting) or default

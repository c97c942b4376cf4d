"""Instructor accounts: sign up (closable with SIGNUP_OPEN), log in, log out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import limiter
from ..services import accounts
from .forms import LoginForm, LogoutForm, SignupForm

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect would let a link log you in elsewhere."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") \
                and not target.startswith("//") and "\\" not in target:
            return target
    return url_for("instructor.dashboard")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(accounts.configured_limit("LOGIN_RATE_LIMIT", "10 per minute"), methods=["POST"])
def login():
    """Log an instructor in with email and password."""
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append("Email or password is not right.")
    return render_template("auth/login.html", form=form,
                           signup_open=current_app.config.get("SIGNUP_OPEN", True))


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(accounts.configured_limit("SIGNUP_RATE_LIMIT", "5 per minute"), methods=["POST"])
def signup():
    """Create an instructor account (only while SIGNUP_OPEN is on)."""
    if not current_app.config.get("SIGNUP_OPEN", True):
        abort(403, description="Sign-up is closed on this site. Ask the administrator for an "
                               "account.")
    form = SignupForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_instructor(form.email.data, form.display_name.data,
                                              form.password.data)
        except accounts.AccountError as error:
            getattr(form, error.field or "email").errors.append(str(error))
        else:
            login_user(user)
            flash("Welcome! Create your first class.", "success")
            return redirect(url_for("instructor.dashboard"))
    return render_template("auth/signup.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Log out here and in every other browser (the session token is rotated)."""
    form = LogoutForm()
    if not form.validate_on_submit():
        abort(400, description="Log-out form was not valid.")
    accounts.end_all_sessions(current_user._get_current_object())
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))

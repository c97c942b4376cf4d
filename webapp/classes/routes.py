"""Learner side of classes: join with a code and a display name, see my classes, rejoin.

Learners have no account: joining ties the anonymous learner of this browser (see
``services.identity``) to the class. The rejoin code moves that identity to another browser.
"""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, session, url_for

from ..extensions import db, limiter
from ..services import classes
from ..services.accounts import configured_limit
from ..services.identity import SESSION_KEY, current_learner
from .forms import JoinForm, RejoinForm

bp = Blueprint("classes", __name__, url_prefix="/classes")

_join_limit = limiter.limit(configured_limit("JOIN_RATE_LIMIT", "20 per minute"),
                            methods=["POST"], scope="class-join")


def _page(join: JoinForm | None = None, rejoin: RejoinForm | None = None, status: int = 200):
    learner = current_learner()
    return render_template("classes/my_classes.html",
                           entries=classes.learner_classes(learner),
                           join=join or JoinForm(), rejoin=rejoin or RejoinForm(prefix="re"),
                           format_code=classes.format_code), status


@bp.route("/")
def my_classes():
    """My classes with their assignments and my status, plus the join form."""
    return _page()


@bp.route("/join", methods=["POST"])
@_join_limit
def join():
    """Join a class with its code and the name the instructor will see."""
    form = JoinForm()
    if not form.validate_on_submit():
        return _page(join=form, status=400)
    had_learner = current_learner() is not None
    learner = current_learner(create=True)
    try:
        membership = classes.join_classroom(learner, form.join_code.data, form.display_name.data)
    except classes.ClassError as error:
        db.session.rollback()
        if not had_learner:
            session.pop(SESSION_KEY, None)
            g.pop("_learner", None)
        getattr(form, error.field or "join_code").errors.append(str(error))
        return _page(join=form, status=400)
    flash(f"You joined {membership.classroom.name} as {membership.display_name}. "
          f"Your rejoin code is {membership.rejoin_code}: keep it to come back from another "
          f"browser.", "success")
    return redirect(url_for(".my_classes"))


@bp.route("/rejoin", methods=["POST"])
@_join_limit
def rejoin():
    """Continue as the learner these codes belong to (e.g. on another computer)."""
    form = RejoinForm(prefix="re")
    if not form.validate_on_submit():
        return _page(rejoin=form, status=400)
    membership = classes.membership_by_rejoin_code(form.join_code.data, form.rejoin_code.data)
    if membership is None:
        form.rejoin_code.errors.append("These codes do not match a member of a class. Check "
                                       "both with your instructor.")
        return _page(rejoin=form, status=400)
    session[SESSION_KEY] = membership.learner.public_id
    session.permanent = True
    g.pop("_learner", None)
    flash(f"Welcome back, {membership.display_name}.", "success")
    return redirect(url_for(".my_classes"))

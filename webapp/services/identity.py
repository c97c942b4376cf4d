"""Who the learner is: an anonymous id kept in the signed session cookie.

Self-study needs no account. The first time a learner saves something, a ``Learner`` row is created
and its random ``public_id`` goes into the (signed, permanent) session, so progress survives a
browser restart and stays on the server. Reading pages never creates a row.
"""

from __future__ import annotations

from flask import g, session
from sqlalchemy import select

from ..extensions import db
from ..models import Learner

SESSION_KEY = "learner"


def current_learner(create: bool = False) -> Learner | None:
    """The learner of this session; with ``create=True`` make one if there is none yet.

    The new row is flushed, not committed: the caller's service commits it with its own work.
    """
    cached = g.get("_learner")
    if cached is not None:
        return cached
    learner = None
    public_id = session.get(SESSION_KEY)
    if isinstance(public_id, str):
        learner = db.session.scalars(select(Learner).where(Learner.public_id == public_id)).first()
    if learner is None and create:
        learner = Learner()
        db.session.add(learner)
        db.session.flush()
        session[SESSION_KEY] = learner.public_id
        session.permanent = True
    if learner is not None:
        g._learner = learner
    return learner

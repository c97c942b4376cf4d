"""Who the learner is: an anonymous id kept in the signed session cookie.

Self-study needs no account. Opening a learner page puts a random ``public_id`` into the (signed,
permanent) session; the first time the learner saves something, the ``Learner`` row with that id is
created, so progress survives a browser restart and stays on the server. Reading pages never
creates a row. Because the id is chosen before any save, two saves sent at once from a new browser
(a hint and a note, say) end up with the same learner instead of two.
"""

from __future__ import annotations

import re

from flask import g, session
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import Learner, new_public_id, utcnow

SESSION_KEY = "learner"
_PUBLIC_ID = re.compile(r"^[0-9a-f]{32}$")


def reserve_learner_id() -> str:
    """The learner id of this browser, chosen now if it has none (no database row yet)."""
    public_id = session.get(SESSION_KEY)
    if not isinstance(public_id, str) or not _PUBLIC_ID.match(public_id):
        public_id = session[SESSION_KEY] = new_public_id()
        session.permanent = True
    return public_id


def _insert_if_absent(public_id: str) -> None:
    """Create the learner row unless a concurrent request of the same browser already did."""
    dialect = db.session.get_bind().dialect.name
    values = {"public_id": public_id, "created_at": utcnow()}
    if dialect == "postgresql":
        statement = postgresql.insert(Learner).values(**values).on_conflict_do_nothing()
    elif dialect == "sqlite":
        statement = sqlite.insert(Learner).values(**values).on_conflict_do_nothing()
    else:  # pragma: no cover - other databases: plain insert
        db.session.add(Learner(**values))
        db.session.flush()
        return
    db.session.execute(statement)


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
        public_id = reserve_learner_id()
        _insert_if_absent(public_id)
        learner = db.session.scalars(select(Learner).where(Learner.public_id == public_id)).one()
    if learner is not None:
        g._learner = learner
    return learner

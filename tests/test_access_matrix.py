"""Every route of the app, as five roles, with the status each must get.

The route list comes from ``app.url_map``: a route added without an entry in ``EXPECTED`` fails
``test_every_route_is_listed``, so nobody can add a page without deciding who may open it.
Roles: ``anon`` (a fresh browser), ``learner`` (member of the class, owner of the work),
``other_learner`` (a learner outside the class), ``instructor`` (owns the class) and
``other_instructor`` (another instructor). Each route is tried on a fresh copy of one seeded
database, roles in an order where the owner acts last, so one role's change cannot hide another's
result. Requests that change state carry a valid CSRF token here; ``test_state_changes_need_csrf``
sends them without one.
"""

from __future__ import annotations

import os
import shutil

import pytest
from conftest import ROOT, csrf_from
from sqlalchemy import select

from webapp import TestConfig, create_app
from webapp.extensions import db
from webapp.models import Annotation, Attempt, Learner, Membership, RubricExtension, User
from webapp.services import accounts, attempts, classes
from webapp.services.lessons import current_version, lesson_of

PASSWORD = "correct horse battery"  # noqa: S105
ROLES = ("anon", "other_learner", "other_instructor", "learner", "instructor")
COUP = "The recent coup in Russia, which saw the overthrow of President Vladimir Putin’s regime"
AUTHORED = "owned-lesson"

A, B, R, F, N, X = 200, 400, 302, 403, 404, 405  # short names keep the table readable


def row(anon, learner, other_learner, instructor, other_instructor):
    return {"anon": anon, "learner": learner, "other_learner": other_learner,
            "instructor": instructor, "other_instructor": other_instructor}


# (method, rule) -> codes for anon, learner, other_learner, instructor, other_instructor.
# Requests are sent with a valid CSRF token and an empty form / JSON body, so a role that may use
# a route gets the route's own answer to empty input (400/422 for forms, 302 after a flash).
EXPECTED: dict[tuple[str, str], dict[str, int]] = {
    # Public pages: the library, self-study lessons, static files, the class join page.
    ("GET", "/"): row(A, A, A, A, A),
    ("GET", "/static/<path:filename>"): row(A, A, A, A, A),
    ("GET", "/lessons/<lesson_id>"): row(A, A, A, A, A),
    ("GET", "/api/lessons/<lesson_id>/annotations"): row(A, A, A, A, A),
    ("POST", "/api/lessons/<lesson_id>/annotations"): row(B, B, B, B, B),
    ("POST", "/api/lessons/<lesson_id>/hints"): row(B, B, B, B, B),
    # Each browser submits its own self-study draft; a browser without one has nothing to submit.
    ("POST", "/api/lessons/<lesson_id>/submit"): row(B, A, A, B, B),
    ("POST", "/lessons/<lesson_id>/annotations"): row(B, B, B, B, B),
    ("POST", "/lessons/<lesson_id>/hints"): row(B, B, B, B, B),
    ("POST", "/lessons/<lesson_id>/submit"): row(R, R, R, R, R),
    ("POST", "/lessons/<lesson_id>/try-again"): row(R, R, R, R, R),
    ("POST", "/lessons/<lesson_id>/import"): row(R, R, R, R, R),
    ("POST", "/api/lessons/<lesson_id>/import"): row(B, B, B, B, B),
    ("GET", "/classes/"): row(A, A, A, A, A),
    ("POST", "/classes/join"): row(B, B, B, B, B),
    ("POST", "/classes/rejoin"): row(B, B, B, B, B),
    # A learner's own annotations and attempts: 404 for everyone else, instructors included
    # (they review class work in /teach).
    ("POST", "/annotations/<public_id>/delete"): row(N, R, N, N, N),
    ("POST", "/annotations/<public_id>/edit"): row(N, B, N, N, N),
    ("DELETE", "/api/annotations/<public_id>"): row(N, A, N, N, N),
    ("PATCH", "/api/annotations/<public_id>"): row(N, A, N, N, N),
    ("PUT", "/api/annotations/<public_id>"): row(N, A, N, N, N),
    ("GET", "/attempts/<int:attempt_id>"): row(N, A, N, N, N),
    ("GET", "/attempts/<int:attempt_id>/export.json"): row(N, A, N, N, N),
    # Assignments: members of the class only.
    ("GET", "/assignments/<int:assignment_id>"): row(N, A, N, N, N),
    ("POST", "/assignments/<int:assignment_id>/annotations"): row(N, B, N, N, N),
    ("POST", "/assignments/<int:assignment_id>/hints"): row(N, B, N, N, N),
    ("POST", "/assignments/<int:assignment_id>/submit"): row(N, R, N, N, N),
    ("POST", "/assignments/<int:assignment_id>/try-again"): row(N, R, N, N, N),
    ("POST", "/assignments/<int:assignment_id>/import"): row(N, R, N, N, N),
    ("POST", "/api/assignments/<int:assignment_id>/import"): row(N, B, N, N, N),
    ("GET", "/api/assignments/<int:assignment_id>/annotations"): row(N, A, N, N, N),
    ("POST", "/api/assignments/<int:assignment_id>/annotations"): row(N, B, N, N, N),
    ("POST", "/api/assignments/<int:assignment_id>/hints"): row(N, B, N, N, N),
    ("POST", "/api/assignments/<int:assignment_id>/submit"): row(N, B, N, N, N),
    # Accounts. Signed-in instructors are sent on from the log-in page.
    ("GET", "/auth/login"): row(A, A, A, R, R),
    ("POST", "/auth/login"): row(A, A, A, R, R),
    ("POST", "/auth/logout"): row(R, R, R, R, R),
    ("GET", "/auth/signup"): row(A, A, A, A, A),
    ("POST", "/auth/signup"): row(A, A, A, A, A),
    # Lesson authoring: instructors; another author's lesson is a 404.
    ("GET", "/author/"): row(R, R, R, A, A),
    ("GET", "/author/new"): row(R, R, R, A, A),
    ("POST", "/author/new"): row(R, R, R, 422, 422),
    ("GET", "/author/new/yaml"): row(R, R, R, A, A),
    ("POST", "/author/new/yaml"): row(R, R, R, 422, 422),
    ("GET", "/author/import"): row(R, R, R, A, A),
    ("POST", "/author/import"): row(R, R, R, 422, 422),
    ("GET", "/author/<lesson_id>/edit"): row(R, R, R, A, N),
    ("POST", "/author/<lesson_id>/edit"): row(R, R, R, 422, N),
    ("GET", "/author/<lesson_id>/yaml"): row(R, R, R, A, N),
    ("POST", "/author/<lesson_id>/yaml"): row(R, R, R, 422, N),
    ("GET", "/author/<lesson_id>/preview"): row(R, R, R, A, N),
    ("GET", "/author/<lesson_id>/try"): row(R, R, R, A, N),
    ("POST", "/author/<lesson_id>/try"): row(R, R, R, 422, N),
    ("POST", "/author/<lesson_id>/share"): row(R, R, R, R, N),
    ("GET", "/author/<lesson_id>/export.yaml"): row(R, R, R, A, N),
    ("GET", "/author/<lesson_id>/export.zip"): row(R, R, R, A, N),
    # The instructor area: log-in first; another instructor's class and its contents are a 404.
    ("GET", "/teach/"): row(R, R, R, A, A),
    ("GET", "/teach/classes/new"): row(R, R, R, A, A),
    ("POST", "/teach/classes/new"): row(R, R, R, B, B),
    ("GET", "/teach/classes/<int:classroom_id>"): row(R, R, R, A, N),
    ("POST", "/teach/classes/<int:classroom_id>/rename"): row(R, R, R, R, N),
    ("POST", "/teach/classes/<int:classroom_id>/join-code"): row(R, R, R, R, N),
    ("POST", "/teach/classes/<int:classroom_id>/members/<int:membership_id>/remove"):
        row(R, R, R, R, N),
    ("POST", "/teach/classes/<int:classroom_id>/members/<int:membership_id>/restore"):
        row(R, R, R, R, N),
    ("GET", "/teach/classes/<int:classroom_id>/assignments/new"): row(R, R, R, A, N),
    ("POST", "/teach/classes/<int:classroom_id>/assignments/new"): row(R, R, R, B, N),
    ("POST", "/teach/classes/<int:classroom_id>/extensions/<int:extension_id>/delete"):
        row(R, R, R, R, N),
    ("GET", "/teach/classes/<int:classroom_id>/gradebook.csv"): row(R, R, R, A, N),
    ("GET", "/teach/assignments/<int:assignment_id>"): row(R, R, R, A, N),
    ("GET", "/teach/assignments/<int:assignment_id>/edit"): row(R, R, R, A, N),
    ("POST", "/teach/assignments/<int:assignment_id>/edit"): row(R, R, R, R, N),
    ("GET", "/teach/assignments/<int:assignment_id>/queue"): row(R, R, R, A, N),
    ("POST", "/teach/assignments/<int:assignment_id>/rescore"): row(R, R, R, A, N),
    ("GET", "/teach/assignments/<int:assignment_id>/gradebook.csv"): row(R, R, R, A, N),
    ("GET", "/teach/assignments/<int:assignment_id>/annotations.json"): row(R, R, R, A, N),
    ("GET", "/teach/submissions/<int:attempt_id>"): row(R, R, R, A, N),
    ("POST", "/teach/annotations/<int:annotation_id>/override"): row(R, R, R, R, N),
    ("POST", "/teach/annotations/<int:annotation_id>/accept"): row(R, R, R, R, N),
}


def _seed(app) -> dict[str, object]:
    """Two instructors, a class with an assignment, a member's submitted and draft work."""
    with app.app_context():
        owner = db.session.scalars(select(User).where(User.email == "owner@example.org")).first()
        if owner is None:  # kept between routes on PostgreSQL (hashing a password is slow)
            owner = accounts.create_instructor("owner@example.org", "Owner", PASSWORD)
            accounts.create_instructor("other@example.org", "Other", PASSWORD)
        room = classes.create_classroom(owner, "Period 3")
        assignment = classes.create_assignment(room, owner, lesson_id="russia-coup")
        member, outsider = Learner(), Learner()
        db.session.add_all([member, outsider])
        db.session.commit()
        membership = classes.join_classroom(member, room.join_code, "Member")
        ws = attempts.for_assignment(assignment.id, member)
        text = lesson_of(ws.version).article_text
        start = text.index(COUP)
        note = attempts.AnnotationInput(prompt_id="the-event", note="The coup never happened.",
                                        start=start, end=start + len(COUP))
        submitted = attempts.add_annotation(member, ws, note)
        attempts.submit(submitted.attempt)
        draft = attempts.add_annotation(member, attempts.self_study("russia-coup"), note)
        attempts.add_annotation(outsider, attempts.self_study("russia-coup"), note)
        extension = RubricExtension(classroom_id=room.id, lesson_id="russia-coup",
                                    item_id="hypothetical-coup", phrasing="never happened",
                                    source_annotation_id=submitted.id, created_by_id=owner.id)
        db.session.add(extension)
        from webapp.services import authoring

        lesson = lesson_of(current_version("russia-coup")).model_copy(update={"id": AUTHORED})
        authoring.create_lesson(lesson, owner)
        db.session.commit()
        return {
            "classroom_id": room.id, "assignment_id": assignment.id,
            "attempt_id": submitted.attempt_id, "annotation_id": submitted.id,
            "membership_id": membership.id, "extension_id": extension.id,
            "public_id": draft.public_id, "member": member.public_id,
            "outsider": outsider.public_id,
        }


def _config(url: str) -> TestConfig:
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = url
    config.LESSONS_DIR = str(ROOT / "lessons")
    return config


class World:
    """One app for the module; its database is put back to the seeded state before each route.

    SQLite: the seeded file is copied back (fast; the roles' session cookies stay valid because
    the users and their session tokens are the same). PostgreSQL: every table but the users is
    emptied and seeded again.
    """

    def __init__(self, base) -> None:
        self.url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{base / 'db.sqlite'}"
        self.path = None if os.environ.get("TEST_DATABASE_URL") else base / "db.sqlite"
        self.seed_copy = base / "seed"
        if self.path is None:
            from conftest import _reset_database

            _reset_database(self.url)
        self.app = create_app(_config(self.url))
        self.values = _seed(self.app)
        with self.app.app_context():  # what a log-out route changes, put back on PostgreSQL
            self.tokens = dict(db.session.execute(select(User.id, User.session_token)).all())
        self._dispose()
        if self.path is not None:
            self.seed_copy.mkdir()
            for name in self._files(self.path.parent):
                shutil.copy(self.path.parent / name, self.seed_copy / name)
        self.cookies = self._log_in()

    @staticmethod
    def _files(folder) -> list[str]:
        return [n for n in os.listdir(folder) if n.startswith("db.sqlite")]

    def _dispose(self) -> None:
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()

    def _log_in(self, roles=ROLES) -> dict[str, str | None]:
        cookies = {}
        for role in roles:
            client = _client(self.app, role, self.values)
            cookie = client.get_cookie("session")
            cookies[role] = cookie.value if cookie else None
        return cookies

    def reset(self) -> None:
        self._dispose()
        if self.path is not None:
            for name in self._files(self.path.parent):
                os.remove(self.path.parent / name)
            for name in os.listdir(self.seed_copy):
                shutil.copy(self.seed_copy / name, self.path.parent / name)
            return
        # PostgreSQL: empty every table but the users (ids restart) and seed again. The users'
        # session tokens are put back, so the roles' cookies stay valid without a new log-in.
        from webapp.services.lessons import sync_file_lessons

        with self.app.app_context():
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables
                               if t.name != "users")
            db.session.execute(db.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            for user in db.session.scalars(select(User)):
                user.session_token = self.tokens[user.id]
            db.session.commit()
            sync_file_lessons(self.app.extensions["lesson_report"].lessons)
            self.values = _seed(self.app)
        self._dispose()
        # The learners were made again with new random ids: their cookies must follow.
        self.cookies.update(self._log_in(("learner", "other_learner")))

    def client(self, role: str):
        """A fresh browser for the role, carrying only its session cookie."""
        client = self.app.test_client()
        if self.cookies[role]:
            client.set_cookie("session", self.cookies[role])
        return client


@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    world = World(tmp_path_factory.mktemp("matrix"))
    yield world
    world._dispose()


@pytest.fixture
def world(matrix):
    matrix.reset()
    return matrix


def _client(app, role: str, values: dict):
    client = app.test_client()
    if role in ("learner", "other_learner"):
        with client.session_transaction() as session:
            session["learner"] = values["member" if role == "learner" else "outsider"]
    elif role in ("instructor", "other_instructor"):
        email = "owner@example.org" if role == "instructor" else "other@example.org"
        token = csrf_from(client.get("/auth/login").get_data(as_text=True))
        response = client.post("/auth/login", data={"email": email, "password": PASSWORD,
                                                    "csrf_token": token})
        assert response.status_code == 302, "log-in failed"
    return client


def _url(rule, values: dict) -> str:
    args = {}
    for name in rule.arguments:
        if name == "lesson_id":
            args[name] = AUTHORED if rule.endpoint.startswith("authoring.") else "russia-coup"
        elif name == "filename":
            args[name] = "css/app.css"
        elif name in values:
            args[name] = values[name]
        else:
            pytest.fail(f"{rule.rule}: no test value for <{name}>; add one to _url")
    return rule.build(args)[1]


def _send(client, method: str, url: str, *, with_token: bool = True):
    headers = {}
    token = csrf_from(client.get("/classes/").get_data(as_text=True)) if with_token else None
    if method == "GET":
        return client.get(url)
    if url.startswith("/api/"):
        if token:
            headers["X-CSRFToken"] = token
        return client.open(url, method=method, json={}, headers=headers)
    return client.open(url, method=method, data={"csrf_token": token} if token else {})


def _routes(app) -> set[tuple[str, str]]:
    return {(method, rule.rule) for rule in app.url_map.iter_rules()
            for method in rule.methods - {"HEAD", "OPTIONS"}}


def _rule(app, method: str, path: str):
    return next(r for r in app.url_map.iter_rules() if r.rule == path and method in r.methods)


def test_every_route_is_listed(matrix):
    routes = _routes(matrix.app)
    missing = sorted(routes - EXPECTED.keys())
    stale = sorted(EXPECTED.keys() - routes)
    assert not missing, f"routes without expected codes (add them to EXPECTED): {missing}"
    assert not stale, f"EXPECTED lists routes the app no longer has: {stale}"


@pytest.mark.parametrize("method, path", sorted(EXPECTED), ids=lambda v: v)
def test_route_access(world, method, path):
    url = _url(_rule(world.app, method, path), world.values)
    observed = {role: _send(world.client(role), method, url).status_code for role in ROLES}
    expected = {role: EXPECTED[(method, path)][role] for role in ROLES}
    assert observed == expected, f"{method} {url}"


UNSAFE = sorted(key for key in EXPECTED if key[0] != "GET")


@pytest.mark.parametrize("method, path", UNSAFE, ids=lambda v: v)
def test_state_changes_need_csrf(world, method, path):
    """Without a token every state change is refused with 400 for the role allowed to make it."""
    app = world.app
    url = _url(_rule(app, method, path), world.values)
    # The role that may use the route: instructors in their areas, the learner everywhere else.
    role = "instructor" if path.startswith(("/teach", "/author", "/auth")) else "learner"
    assert EXPECTED[(method, path)][role] not in (F, N, X), f"{role} may not use {path}"
    with app.app_context():
        before = _snapshot()
    response = _send(world.client(role), method, url, with_token=False)
    assert response.status_code == 400, f"{method} {url} as {role}"
    body = response.get_data(as_text=True)
    assert "security token" in body or "csrf" in body.lower()
    with app.app_context():
        assert _snapshot() == before


def _snapshot() -> tuple:
    """What a refused request must not have changed."""
    return (
        [(u.id, u.session_token) for u in db.session.scalars(select(User))],
        [(m.id, m.removed_at, m.display_name) for m in db.session.scalars(select(Membership))],
        [(a.id, a.note, a.manual_credit, a.manual_comment)
         for a in db.session.scalars(select(Annotation))],
        [(a.id, a.status, a.auto_score) for a in db.session.scalars(select(Attempt))],
        db.session.scalar(select(db.func.count()).select_from(RubricExtension)),
    )

"""Instructor accounts: sign-up, log-in, log-out everywhere, hashing, throttling, the CLI."""

from __future__ import annotations

from conftest import csrf_from
from test_classroom_support import PASSWORD, login, make_instructor

from webapp.extensions import db
from webapp.models import User


def _signup(client, **overrides):
    token = csrf_from(client.get("/auth/signup").get_data(as_text=True))
    data = {"display_name": "Ada Teacher", "email": "ada@example.org", "password": PASSWORD,
            "confirm": PASSWORD, "csrf_token": token}
    data.update(overrides)
    return client.post("/auth/signup", data=data)


def test_signup_creates_an_instructor_and_logs_in(app, client):
    response = _signup(client)
    assert response.status_code == 302 and response.headers["Location"].endswith("/teach/")
    page = client.get("/teach/")
    assert page.status_code == 200 and "Ada Teacher" in page.get_data(as_text=True)
    with app.app_context():
        user = db.session.query(User).filter_by(email="ada@example.org").one()
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash


def test_signup_refuses_taken_email_short_password_and_mismatch(app, client):
    make_instructor(app, email="ada@example.org")
    taken = _signup(client, email="ADA@example.org")
    assert "already exists" in taken.get_data(as_text=True)
    short = _signup(client, email="b@example.org", password="short", confirm="short")
    assert "at least 10 characters" in short.get_data(as_text=True)
    mismatch = _signup(client, email="c@example.org", confirm="something else entirely")
    assert "The two passwords differ" in mismatch.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(User).count() == 1


def test_signup_can_be_closed(app, client):
    app.config["SIGNUP_OPEN"] = False
    assert client.get("/auth/signup").status_code == 403
    assert "Sign up" not in client.get("/auth/login").get_data(as_text=True)
    response = client.post("/auth/signup", data={
        "display_name": "X", "email": "x@example.org", "password": PASSWORD, "confirm": PASSWORD,
        "csrf_token": csrf_from(client.get("/auth/login").get_data(as_text=True))})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.query(User).count() == 0


def test_login_with_wrong_password_shows_an_error(app, client):
    make_instructor(app)
    response = login(client, password="wrong password!")
    assert response.status_code == 200
    assert "Email or password is not right" in response.get_data(as_text=True)
    assert client.get("/teach/").status_code == 302
    unknown = login(client, email="nobody@example.org")
    assert "Email or password is not right" in unknown.get_data(as_text=True)


def test_login_then_dashboard_and_next_must_stay_on_site(app, client):
    make_instructor(app)
    response = client.get("/teach/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    token = csrf_from(client.get("/auth/login").get_data(as_text=True))
    evil = client.post("/auth/login?next=//evil.example/x", data={
        "email": "TEACHER@example.org", "password": PASSWORD, "csrf_token": token})
    assert evil.status_code == 302
    assert evil.headers["Location"] == "/teach/"
    client.post("/auth/logout", data={"csrf_token": token})
    token = csrf_from(client.get("/auth/login").get_data(as_text=True))
    ok = client.post("/auth/login?next=/teach/classes/new", data={
        "email": "teacher@example.org", "password": PASSWORD, "csrf_token": token})
    assert ok.headers["Location"] == "/teach/classes/new"


def test_logout_ends_every_session_of_the_user(app):
    make_instructor(app)
    laptop, phone = app.test_client(), app.test_client()
    login(laptop)
    login(phone)
    assert phone.get("/teach/").status_code == 200
    token = csrf_from(laptop.get("/teach/").get_data(as_text=True))
    assert laptop.post("/auth/logout", data={"csrf_token": token}).status_code == 302
    assert laptop.get("/teach/").status_code == 302
    assert phone.get("/teach/").status_code == 302  # the session token was rotated


def test_logout_needs_post_with_csrf(app, client):
    make_instructor(app)
    login(client)
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").status_code == 400
    assert client.get("/teach/").status_code == 200


def test_login_without_csrf_token_is_refused(app, client):
    make_instructor(app)
    response = client.post("/auth/login", data={"email": "teacher@example.org",
                                                 "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/teach/").status_code == 302


def test_create_instructor_command(app, runner):
    result = runner.invoke(args=["create-instructor", "--email", "Cli@Example.org",
                                 "--name", "Cli Teacher", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    assert "created" in result.output
    again = runner.invoke(args=["create-instructor", "--email", "cli@example.org",
                                "--name", "Other", "--password", PASSWORD])
    assert again.exit_code == 1 and "already exists" in again.output
    short = runner.invoke(args=["create-instructor", "--email", "x@example.org",
                                "--name", "X", "--password", "short"])
    assert short.exit_code == 1
    with app.app_context():
        assert [u.email for u in db.session.query(User)] == ["cli@example.org"]
    client = app.test_client()
    assert login(client, email="cli@example.org").status_code == 302


def test_create_instructor_prompts_for_the_password(app, runner):
    result = runner.invoke(args=["create-instructor"],
                           input=f"p@example.org\nPrompted\n{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.query(User).filter_by(email="p@example.org").one().display_name == \
            "Prompted"


def test_an_account_that_does_not_teach_gets_403(app, client):
    user_id = make_instructor(app)
    with app.app_context():
        db.session.get(User, user_id).is_instructor = False
        db.session.commit()
    login(client)
    assert client.get("/teach/").status_code == 403
    assert client.get("/teach/classes/new").status_code == 403

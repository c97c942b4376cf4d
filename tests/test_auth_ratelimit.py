"""Log-in, sign-up and class join are throttled per client address (no account lockout)."""

from __future__ import annotations

import pytest
from conftest import csrf_from
from test_classroom_support import login, make_class, make_instructor


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute",
            "SIGNUP_RATE_LIMIT": "2 per minute", "JOIN_RATE_LIMIT": "2 per minute"}


def test_login_is_throttled_not_locked(app, client):
    make_instructor(app)
    codes = [login(client, password="wrong password!").status_code for _ in range(3)]
    assert codes == [200, 200, 200]
    throttled = login(client)  # the right password, but too many tries this minute
    assert throttled.status_code == 429
    assert "Too Many Requests" in throttled.get_data(as_text=True)
    assert client.get("/auth/login").status_code == 200  # reading the page is not limited
    # Another address still logs in to the same account: a throttle, not a lockout.
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.0.0.2"
    assert login(other).status_code == 302


def test_signup_is_throttled(app, client):
    def attempt(n):
        token = csrf_from(client.get("/auth/signup").get_data(as_text=True))
        return client.post("/auth/signup", data={
            "display_name": "T", "email": f"t{n}@example.org", "password": "short",
            "confirm": "short", "csrf_token": token}).status_code

    assert [attempt(n) for n in range(3)] == [200, 200, 429]


def test_class_join_is_throttled(app, client):
    owner = make_instructor(app)
    make_class(app, owner)
    token = csrf_from(client.get("/classes/").get_data(as_text=True))
    codes = [client.post("/classes/join", data={"join_code": "WRONG9", "display_name": "Sam",
                                                "csrf_token": token}).status_code
             for _ in range(3)]
    assert codes == [400, 400, 429]

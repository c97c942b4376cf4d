"""Security properties checked over the whole URL map, so new routes are covered as they appear.

* every POST/PUT/PATCH/DELETE route refuses a request without a valid CSRF token;
* every state-changing route answers an oversized body with 413 and a message, never 500;
* every /api/ route answers malformed JSON with 400 and a message, never 500;
* security headers on pages, JSON, errors and static files; secure cookies behind a TLS proxy.
"""

from __future__ import annotations

import re
import uuid

import pytest
from flask_wtf.csrf import generate_csrf
from test_classroom_support import login, make_assignment, make_class, make_instructor
from werkzeug.routing import IntegerConverter

from tests.conftest import ROOT, TEST_DATABASE_URL, _reset_database
from webapp import TestConfig, create_app
from webapp.extensions import db

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_MESSAGE = "security token"
SEED = "russia-coup"


def _state_changing_routes(app) -> list[tuple[str, str, object]]:
    """(method, endpoint, rule) for every rule that accepts a state-changing method."""
    out = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods & STATE_CHANGING):
            out.append((method, rule.endpoint, rule))
    return out


def _url(rule, values: dict | None = None) -> str:
    """Fill a rule's arguments: given values first, then 1 for numbers and the seed lesson id."""
    values = dict(values or {})
    args = {}
    for name in rule.arguments:
        if name in values:
            args[name] = values[name]
        elif isinstance(rule._converters[name], IntegerConverter):
            args[name] = 1
        else:
            args[name] = SEED if name == "lesson_id" else "x" * 32
    path = rule.rule
    for name, value in args.items():
        path = re.sub(r"<(?:[^:<>]+:)?" + name + r">", str(value), path)
    return path


def _is_csrf_refusal(response) -> bool:
    if response.status_code != 400:
        return False
    if response.is_json:
        return (response.get_json() or {}).get("error") == "csrf"
    return CSRF_MESSAGE in response.get_data(as_text=True)


def _session_token(app, client) -> str:
    """A valid CSRF token for this client's session (as a page's meta tag would carry)."""
    with app.test_request_context():
        token = generate_csrf()
        from flask import session

        raw = session["csrf_token"]
    with client.session_transaction() as sess:
        sess["csrf_token"] = raw
    return token


def test_the_route_walk_sees_the_application(app):
    routes = _state_changing_routes(app)
    endpoints = {endpoint for _, endpoint, _ in routes}
    # the walk would pass vacuously on an empty map: make sure the real blueprints are in it
    assert len(routes) >= 20
    assert {"learner.api_create", "auth.login", "classes.join"} <= endpoints


def test_every_state_changing_route_refuses_requests_without_a_csrf_token(app):
    anonymous = app.test_client()
    with_session = app.test_client()
    with_session.get("/")  # a page that puts a token in the session
    instructor = app.test_client()
    make_instructor(app)
    login(instructor)
    unprotected = []
    for method, endpoint, rule in _state_changing_routes(app):
        url = _url(rule)
        for name, client, headers in (
            ("anonymous", anonymous, {}),
            ("session without token", with_session, {}),
            ("wrong token", with_session, {"X-CSRFToken": "forged"}),
            ("logged-in instructor", instructor, {}),
        ):
            for body in ({"data": {"csrf_token": "forged"}} if name == "wrong token" else {},
                         {"json": {"note": "x"}}):
                response = client.open(url, method=method, headers=headers, **body)
                if not _is_csrf_refusal(response):
                    unprotected.append(f"{method} {url} ({endpoint}, {name}): "
                                       f"{response.status_code}")
    assert unprotected == []


def test_a_valid_token_passes_the_csrf_check_on_every_route(app):
    """The control for the test above: with the token, no route answers with the CSRF refusal."""
    client = app.test_client()
    token = _session_token(app, client)
    refused = []
    for method, endpoint, rule in _state_changing_routes(app):
        response = client.open(_url(rule), method=method, headers={"X-CSRFToken": token},
                               data={"csrf_token": token})
        if _is_csrf_refusal(response):
            refused.append(f"{method} {rule.rule} ({endpoint})")
        assert response.status_code < 500, f"{method} {rule.rule}: {response.status_code}"
    assert refused == []


def test_oversized_bodies_get_413_with_a_message_on_every_state_changing_route(app):
    client = app.test_client()
    token = _session_token(app, client)
    limit = app.config["MAX_CONTENT_LENGTH"]
    wrong = []
    for method, endpoint, rule in _state_changing_routes(app):
        url = _url(rule)
        for kind, body in (
            ("form", {"data": {"csrf_token": token, "note": "x" * (limit + 1)}}),
            ("json", {"data": b'{"note": "' + b"x" * (limit + 1) + b'"}',
                      "content_type": "application/json"}),
        ):
            response = client.open(url, method=method, headers={"X-CSRFToken": token}, **body)
            text = response.get_data(as_text=True)
            if response.status_code != 413 or "too large" not in text.lower():
                wrong.append(f"{method} {url} ({endpoint}, {kind}): {response.status_code}")
    assert wrong == []


# --- the JSON API with real state behind it ----------------------------------------------------


@pytest.fixture
def api_state(app):
    """A learner with a self-study draft and a class assignment, and one saved annotation."""
    owner = make_instructor(app)
    classroom_id, code = make_class(app, owner)
    assignment_id = make_assignment(app, owner, classroom_id)
    client = app.test_client()
    token = _session_token(app, client)
    joined = client.post("/classes/join", data={"join_code": code, "display_name": "Sam",
                                                "csrf_token": token})
    assert joined.status_code in (200, 302), joined.status_code
    state = client.get(f"/api/lessons/{SEED}/annotations").get_json()
    assert state["annotations"] == []
    with app.app_context():
        from webapp.services.lessons import current_version, lesson_of

        lesson = lesson_of(current_version(SEED))
    exact = "The recent coup in Russia"
    start = lesson.article_text.index(exact)
    saved = client.post(f"/api/lessons/{SEED}/annotations", headers={"X-CSRFToken": token},
                        json={"note": "Assumes the coup happened.", "start": start,
                              "end": start + len(exact), "exact": exact,
                              "prompt_id": lesson.prompts[0].id})
    assert saved.status_code == 201, saved.get_data(as_text=True)
    values = {"lesson_id": SEED, "assignment_id": assignment_id,
              "public_id": saved.get_json()["id"]}
    return client, token, values


MALFORMED = [
    ("truncated", b'{"note": "unfinished'),
    ("not json", b"note=hello&start=1"),
    ("single quotes", b"{'note': 'x'}"),
    ("bad utf-8", b'{"note": "\xff\xfe"}'),
    ("nan", b'{"note": NaN}'),
]


@pytest.mark.parametrize(("label", "body"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_json_gets_400_with_a_message_on_every_api_route(app, api_state, label, body):
    client, token, values = api_state
    wrong = []
    api_routes = [(m, e, r) for m, e, r in _state_changing_routes(app)
                  if r.rule.startswith("/api/")]
    assert api_routes
    for method, endpoint, rule in api_routes:
        url = _url(rule, values)
        response = client.open(url, method=method, data=body, content_type="application/json",
                               headers={"X-CSRFToken": token})
        payload = response.get_json(silent=True) or {}
        if response.status_code != 400 or not payload.get("message"):
            wrong.append(f"{method} {url} ({endpoint}): {response.status_code} {payload}")
    assert wrong == []
    # and nothing was changed by the refused requests
    state = client.get(f"/api/lessons/{SEED}/annotations").get_json()
    assert [a["id"] for a in state["annotations"]] == [values["public_id"]]
    assert state["status"] == "draft"


def test_api_rejects_wrong_shapes_and_bad_selectors_with_named_fields(api_state):
    client, token, values = api_state
    url = f"/api/lessons/{SEED}/annotations"
    headers = {"X-CSRFToken": token}
    cases = [
        ([1, 2, 3], None),
        ({"note": "x", "start": "5", "end": 9}, "start"),
        ({"note": "x", "start": 5, "end": 9, "colour": "red"}, "colour"),
        ({"note": "why", "start": 90, "end": 10}, None),
        ({"note": "why", "start": -5, "end": 10}, None),
        ({"note": "why", "start": 0, "end": 10_000_000}, None),
        ({"note": "why", "start": 0, "end": 10, "exact": "not these words"}, None),
        ({"note": "n" * 5000, "start": 0, "end": 10}, "note"),
    ]
    for body, field in cases:
        response = client.post(url, json=body, headers=headers)
        payload = response.get_json()
        assert response.status_code == 400, (body, response.status_code, payload)
        assert payload.get("message"), body
        if field:
            assert field in (payload.get("field") or "") + payload["message"], (body, payload)


# --- headers and cookies -----------------------------------------------------------------------


def _assert_security_headers(response, where: str) -> None:
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    script_src = re.search(r"script-src ([^;]*)", csp)
    assert script_src, f"{where}: no script-src in CSP {csp!r}"
    assert "'unsafe-inline'" not in script_src.group(1), where
    assert "'unsafe-eval'" not in script_src.group(1), where
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp, where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("X-Frame-Options") == "DENY", where
    assert headers.get("Referrer-Policy"), where


def test_security_headers_on_pages_api_errors_and_static_files(app, client):
    for url in ("/", f"/lessons/{SEED}", "/auth/login", f"/api/lessons/{SEED}/annotations",
                "/no-such-page", "/api/lessons/no-such-lesson/annotations",
                "/static/css/app.css"):
        response = client.get(url)
        assert response.status_code < 500, url
        _assert_security_headers(response, url)
    assert "Strict-Transport-Security" not in client.get("/").headers  # plain HTTP: no HSTS


@pytest.fixture
def https_app(tmp_path, monkeypatch):
    """The production configuration behind one TLS-terminating reverse proxy."""
    for name in ("DATABASE_URL", "REDIS_URL", "SESSION_COOKIE_SECURE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", uuid.uuid4().hex)
    monkeypatch.setenv("PROXY_FIX", "1")
    monkeypatch.setenv("RATELIMIT_ENABLED", "0")
    monkeypatch.setenv("LESSONS_DIR", str(ROOT / "lessons"))
    url = TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'https.sqlite'}"
    if TEST_DATABASE_URL:
        _reset_database(url)
    monkeypatch.setenv("DATABASE_URL", url)
    app = create_app()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


PROXIED_HTTPS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7",
                 "X-Forwarded-Host": "reading.example.org"}


def _cookie_attributes(response, name: str) -> str:
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(name + "="):
            return header
    raise AssertionError(f"no {name} cookie in {response.headers.getlist('Set-Cookie')}")


def test_cookies_are_secure_httponly_samesite_over_https(https_app):
    client = https_app.test_client()
    page = client.get("/auth/login", headers=PROXIED_HTTPS)
    assert page.status_code == 200
    cookie = _cookie_attributes(page, "session")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie, cookie
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")
    _assert_security_headers(page, "https login page")


def test_learner_session_cookie_is_secure_after_saving_over_https(https_app):
    client = https_app.test_client()
    page = client.get(f"/lessons/{SEED}", headers=PROXIED_HTTPS).get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    with https_app.app_context():
        from webapp.services.lessons import current_version, lesson_of

        lesson = lesson_of(current_version(SEED))
    start = lesson.article_text.index("The recent coup")
    # over HTTPS Flask-WTF also checks that the Referer is this site (strict SSL check)
    headers = dict(PROXIED_HTTPS, **{"X-CSRFToken": token,
                                     "Referer": f"https://reading.example.org/lessons/{SEED}"})
    saved = client.post(f"/api/lessons/{SEED}/annotations", headers=headers,
                        json={"note": "Assumes it happened.", "start": start,
                              "end": start + len("The recent coup"),
                              "prompt_id": lesson.prompts[0].id})
    assert saved.status_code == 201, saved.get_data(as_text=True)
    cookie = _cookie_attributes(saved, "session")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie, cookie
    cross_site = dict(headers, Referer="https://evil.example.net/")
    refused = client.post(f"/api/lessons/{SEED}/annotations", headers=cross_site,
                          json={"note": "x", "start": start, "end": start + 3})
    assert refused.status_code == 400


def test_proxy_headers_are_ignored_without_proxy_fix(app, client):
    """Without PROXY_FIX a client cannot claim HTTPS (or another IP) with forged headers."""
    response = client.get("/", headers=PROXIED_HTTPS)
    assert "Strict-Transport-Security" not in response.headers


def test_the_test_configuration_keeps_csrf_on(app):
    """The suite exercises the real protection: TestConfig must not switch CSRF off."""
    assert getattr(TestConfig(), "WTF_CSRF_ENABLED", True) is True
    assert app.config.get("WTF_CSRF_ENABLED", True) is True

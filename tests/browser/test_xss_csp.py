"""The Content-Security-Policy holds on every page without breaking it.

The CSP allows no inline script or style (``script-src 'self'; style-src 'self'``). A template
that slipped in an inline ``<script>``, an ``onclick=`` or a ``style=`` attribute would be blocked
by the browser: the page would silently lose that behaviour or look. Every page a learner or an
instructor opens is loaded in Chromium with the policy enforced, and any violation the browser
reports fails the test, as does a page served without the policy.
"""

from __future__ import annotations

import re

from test_classroom_support import PASSWORD, make_instructor

from tests.browser.test_xss import _post_form, _token
from webapp.extensions import db
from webapp.models import Assignment, Classroom
from webapp.services.lessons import current_version, lesson_of

LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} `
                    + `(${(e.sample || '').slice(0, 60)})`);
});
"""


def test_no_page_violates_the_content_security_policy(live_server, browser):
    app = live_server.app
    make_instructor(app)
    teacher = app.test_client()
    assert teacher.post("/auth/login", data={
        "email": "teacher@example.org", "password": PASSWORD,
        "csrf_token": _token(teacher, "/auth/login")}).status_code == 302
    assert _post_form(teacher, "/teach/classes/new", {"name": "Period 2"},
                      token_from="/teach/classes/new").status_code == 302
    with app.app_context():
        room = db.session.query(Classroom).one()
        room_id, join_code = room.id, room.join_code
    assert _post_form(teacher, f"/teach/classes/{room_id}/assignments/new",
                      {"lesson_id": "russia-coup", "reveal_answers": "after_submit",
                       "classmates_visible": "after_submit"},
                      token_from=f"/teach/classes/{room_id}/assignments/new").status_code == 302
    with app.app_context():
        assignment_id = db.session.query(Assignment).one().id
        lesson = lesson_of(current_version("russia-coup"))
    learner = app.test_client()
    assert _post_form(learner, "/classes/join", {"join_code": join_code, "display_name": "Sam"},
                      token_from="/classes/").status_code == 302
    token = _token(learner, f"/assignments/{assignment_id}")
    sentence = re.findall(r"[A-Z][^.!?\n]{30,150}[.!?]", lesson.article_text)[0]
    start = lesson.article_text.index(sentence)
    assert learner.post(f"/api/assignments/{assignment_id}/annotations", headers={
        "X-CSRFToken": token}, json={"note": "It assumes the event happened.", "start": start,
                                     "end": start + len(sentence), "exact": sentence,
                                     "prompt_id": lesson.prompts[0].id}).status_code == 201
    submitted = learner.post(f"/api/assignments/{assignment_id}/submit", json={},
                             headers={"X-CSRFToken": token})
    attempt_id = submitted.get_json()["attempt_id"]

    pages = {
        None: ["/", "/lessons/russia-coup", "/classes/", "/auth/login", "/auth/signup",
               "/no-such-page"],
        learner: [f"/assignments/{assignment_id}", f"/attempts/{attempt_id}", "/classes/"],
        teacher: ["/teach/", f"/teach/classes/{room_id}", f"/teach/assignments/{assignment_id}",
                  f"/teach/assignments/{assignment_id}/queue", f"/teach/submissions/{attempt_id}",
                  f"/teach/classes/{room_id}/assignments/new", "/teach/classes/new",
                  "/author/", "/author/new", "/author/new/yaml", "/author/import"],
    }
    problems: list[str] = []
    visited = 0
    for who, paths in pages.items():
        ctx = browser.new_context()
        ctx.add_init_script(LISTEN)
        if who is not None:
            ctx.add_cookies([{"name": "session", "value": who.get_cookie("session").value,
                              "url": live_server.url}])
        for path in paths:
            page = ctx.new_page()
            response = page.goto(live_server.url + path)
            page.wait_for_load_state("networkidle")
            csp = response.headers.get("content-security-policy", "")
            if "script-src 'self'" not in csp or "'unsafe-inline'" in csp:
                problems.append(f"{path}: policy {csp!r}")
            problems += [f"{path}: {v}" for v in page.evaluate("window.__csp")]
            page.close()
            visited += 1
        ctx.close()
    assert visited == sum(len(p) for p in pages.values())
    assert problems == [], "\n".join(problems)

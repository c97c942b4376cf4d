"""XSS: hostile text typed by learners and instructors never runs in anyone's browser.

Every payload below is entered through the app's own routes as an annotation note, a learner's
display name in a class, a class name and the text of a lesson written in the browser (article,
title, summary, prompts, hints, rubric). Each page that shows them is then opened in real Chromium
with the Content-Security-Policy bypassed, so this tests the escaping itself and not only the CSP
(which would stop inline script on its own). A test fails if

* a payload ran: they call ``__xss(n)`` (or ``alert``/``confirm``/``prompt``), which the page
  records, or a dialog opened;
* a payload became markup even without running: an element with an ``on*`` handler, a
  ``javascript:`` URL, an ``iframe``/``object``/``embed``/``base``/``meta``/``svg`` or script
  carrying a payload;
* a payload was evaluated as a template (``{{7*7}}`` shown as 49, the secret key shown).

Each page must also show the payloads as text, so the test cannot pass by showing nothing.
"""

from __future__ import annotations

import re

import pytest
import yaml
from test_classroom_support import PASSWORD, make_instructor

from webapp.extensions import db
from webapp.models import Assignment, Classroom, Membership
from webapp.services.lessons import current_version, lesson_of

PAYLOADS = [
    "<script>__xss(1)</script>",
    "<SCRIPT SRC=data:text/javascript,__xss(2)></SCRIPT>",
    "<img src=x onerror=__xss(3)>",
    '<img src="x" onerror="__xss(4)">',
    "<svg onload=__xss(5)>",
    "<svg><script>__xss(6)</script></svg>",
    "<body onload=__xss(7)>",
    '<iframe src="javascript:__xss(8)"></iframe>',
    '<iframe srcdoc="<script>parent.__xss(9)</script>"></iframe>',
    '<a href="javascript:__xss(10)">read the source</a>',
    '<a href=" JaVaScRiPt:__xss(11)">x</a>',
    "[the source](javascript:__xss(12))",
    '![chart](x" onerror="__xss(13))',
    '"><script>__xss(14)</script>',
    "'><img src=x onerror=__xss(15)>",
    "</textarea><script>__xss(16)</script>",
    "</title><script>__xss(17)</script>",
    "<input autofocus onfocus=__xss(18)>",
    "<details open ontoggle=__xss(19)>",
    "<video><source onerror=__xss(20)></video>",
    "<audio src=x onerror=__xss(21)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=__xss(22)>",
    '<object data="javascript:__xss(23)"></object>',
    '<embed src="javascript:__xss(24)">',
    "<marquee onstart=__xss(25)>hi</marquee>",
    '<div style="background:url(javascript:__xss(26))">x</div>',
    "<scr<script>ipt>__xss(27)</scr</script>ipt>",
    '<img """><script>__xss(28)</script>">',
    "<<script>__xss(29)//<</script>",
    "<img src=x onerror=&#95;&#95;xss(30)>",
    "{{7*7}}",
    "{{ config.SECRET_KEY }}",
    "{% for x in range(3) %}loop{% endfor %}",
    "${__xss(34)}",
    "</script><script>__xss(35)</script>",
    "\\u003cscript\\u003e__xss(36)\\u003c/script\\u003e",
    "<form><button formaction=javascript:__xss(37)>go</button></form>",
    '<meta http-equiv="refresh" content="0;url=javascript:__xss(38)">',
    '<base href="javascript:__xss(39)//">',
    "<style>@import 'javascript:__xss(40)';</style>",
    '<svg><a xlink:href="javascript:__xss(41)"><text>x</text></a></svg>',
    '<noscript><p title="</noscript><img src=x onerror=__xss(42)>">',
    "javascript:__xss(43)",
    "<img src=x onerror=alert(44)>",
    "' onmouseover='__xss(45)' x='",
    '" onfocus="__xss(46)" autofocus="',
    "<svg/onload=confirm(47)>",
    "<a href=data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX194c3MoNDgpPC9zY3JpcHQ+>y</a>",
]

HOOK = """
window.__xssHits = [];
window.__xss = (n) => { window.__xssHits.push(String(n)); };
for (const name of ['alert', 'confirm', 'prompt']) {
  window[name] = (message) => { window.__xssHits.push(name + ':' + message); };
}
"""

MARKUP_SCAN = """
() => {
  const found = [];
  const urlAttrs = ['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'srcdoc',
                    'content', 'poster', 'background', 'style'];
  const risky = ['IFRAME', 'OBJECT', 'EMBED', 'BASE', 'META', 'LINK', 'STYLE', 'svg', 'SVG',
                 'MARQUEE', 'VIDEO', 'AUDIO', 'DETAILS', 'MATH', 'math'];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value;
      if (name.startsWith('on')) found.push(`${el.tagName} ${name}="${value}"`);
      if (urlAttrs.includes(name) && /__xss|alert|confirm\\(|^\\s*javascript:/i.test(value)
          && /xss|alert|confirm/i.test(value)) {
        found.push(`${el.tagName} ${name}="${value}"`);
      }
    }
    if (el.tagName === 'SCRIPT' && /__xss|alert\\(/.test(el.textContent)
        && !/json/.test(el.type || '')) found.push(`SCRIPT ${el.textContent.slice(0, 80)}`);
    // an element a payload made: its opening tag carries the payload (the app's own elements
    // may contain escaped payload text, which is fine)
    const openingTag = el.outerHTML.slice(0, el.outerHTML.indexOf('>') + 1);
    if (risky.includes(el.tagName) && /__xss|alert|confirm/.test(openingTag)) {
      found.push(`${el.tagName} ${openingTag.slice(0, 80)}`);
    }
    if (el.tagName === 'STYLE' && /__xss/.test(el.textContent)) {
      found.push(`STYLE ${el.textContent.slice(0, 80)}`);
    }
  }
  return found;
}
"""


@pytest.fixture
def xss_context(browser):
    """A browser context that ignores the CSP: escaping alone must hold."""
    ctx = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(15_000)
    ctx.add_init_script(HOOK)
    yield ctx
    ctx.close()


class Visitor:
    """Opens pages in one browser context and collects everything a payload could do."""

    def __init__(self, ctx, base_url: str, secret: str) -> None:
        self.ctx = ctx
        self.base_url = base_url
        self.secret = secret
        self.problems: list[str] = []
        self.visited = 0

    def use_session_of(self, client) -> None:
        self.ctx.clear_cookies()
        cookie = client.get_cookie("session")
        assert cookie is not None, "the test client has no session yet"
        self.ctx.add_cookies([{"name": "session", "value": cookie.value, "url": self.base_url}])

    def visit(self, path: str, must_show: list[str], *, min_shown: float = 1.0) -> str:
        page = self.ctx.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(f"{d.type}: {d.message}"), d.dismiss()))
        response = page.goto(self.base_url + path)
        assert response is not None and response.status == 200, (path, response and
                                                                   response.status)
        page.wait_for_load_state("networkidle")
        # interactions that fire handlers a payload might have planted
        page.mouse.move(10, 10)
        page.mouse.move(600, 450)
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        page.wait_for_timeout(150)
        hits = page.evaluate("window.__xssHits || []")
        frames_hits = [f.evaluate("window.__xssHits || []") for f in page.frames[1:]
                       if not f.is_detached()]
        markup = page.evaluate(MARKUP_SCAN)
        text = page.evaluate("document.body.innerText")
        values = page.evaluate("Array.from(document.querySelectorAll('input, textarea'))"
                               ".map(e => e.value).join('\\n')")
        html = page.content()
        page.close()
        self.visited += 1
        where = f"{path}:"
        self.problems += [f"{where} ran {h}" for h in hits]
        self.problems += [f"{where} ran in a frame {h}" for fh in frames_hits for h in fh]
        self.problems += [f"{where} dialog {d}" for d in dialogs]
        self.problems += [f"{where} markup {m}" for m in markup]
        if self.secret in html:
            self.problems.append(f"{where} the SECRET_KEY is in the page")
        if "loop loop" in text or "looplooploop" in text:
            self.problems.append(f"{where} a Jinja loop in user text was executed")
        shown = _norm(text + "\n" + values)
        present = [p for p in must_show if _norm(p) in shown]
        if len(present) < min_shown * len(must_show):
            missing = [p for p in must_show if _norm(p) not in shown]
            self.problems.append(f"{where} only {len(present)} of {len(must_show)} payloads shown "
                                 f"as text; missing e.g. {missing[:3]}")
        if "{{7*7}}" in must_show and "{{7*7}}" not in shown:
            self.problems.append(f"{where} {{{{7*7}}}} was not shown literally")
        return text


def _norm(value: str) -> str:
    return " ".join(value.split())


def _token(client, path: str = "/") -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def _post_form(client, path: str, data: dict, token_from: str = "/"):
    body = dict(data, csrf_token=_token(client, token_from))
    return client.post(path, data=body)


def _lesson_document() -> dict:
    """A valid lesson whose every text field is made of payloads."""
    paragraphs = [f"Paragraph {n}. {p} The text goes on here." for n, p in enumerate(PAYLOADS)]
    prompts = [{"id": f"prompt-{n}", "text": f"Question {n}: {PAYLOADS[n]}",
                "hints": [PAYLOADS[(n + 10) % len(PAYLOADS)], PAYLOADS[(n + 20) % len(PAYLOADS)]]}
               for n in range(5)]
    rubric = []
    for n in range(3):
        rubric.append({
            "id": f"item-{n}", "title": PAYLOADS[n + 5], "points": 1,
            "prompts": [f"prompt-{n}"], "passages": [paragraphs[n + 1]],
            "premise": PAYLOADS[n + 8], "why_it_matters": PAYLOADS[n + 11],
            "key_ideas": [{"id": f"idea-{n}", "label": PAYLOADS[n + 14],
                           "phrasings": [PAYLOADS[n + 17], "the event never happened"]}],
            "feedback": {"full": PAYLOADS[n + 20], "partial": PAYLOADS[n + 23],
                         "missed": PAYLOADS[n + 26]},
            "model_answer": PAYLOADS[n + 29],
        })
    return {
        "schema_version": 1, "id": "xss-lesson", "title": "XSS " + PAYLOADS[0],
        "summary": PAYLOADS[2] + " " + PAYLOADS[30], "level": "introductory",
        "estimated_minutes": 10, "premise_types": ["hostile-input"],
        "skills": [PAYLOADS[3], PAYLOADS[31]], "teacher_note": PAYLOADS[4] + "\n" + PAYLOADS[32],
        "source": PAYLOADS[42], "prompts": prompts, "rubric": rubric,
        "article_text": "\n\n".join(paragraphs),
    }


def test_xss_payloads_never_run_anywhere(live_server, xss_context):
    assert len(PAYLOADS) >= 40
    assert len(set(PAYLOADS)) == len(PAYLOADS)
    assert all(len(p) <= 80 for p in PAYLOADS), "display names are at most 80 characters"
    app = live_server.app
    secret = app.config["SECRET_KEY"]
    visitor = Visitor(xss_context, live_server.url, secret)

    # --- an instructor makes a class per payload, and a lesson made of payloads ----------------
    make_instructor(app)
    teacher = app.test_client()
    logged_in = teacher.post("/auth/login", data={
        "email": "teacher@example.org", "password": PASSWORD,
        "csrf_token": _token(teacher, "/auth/login")})
    assert logged_in.status_code == 302
    for payload in PAYLOADS:
        created = _post_form(teacher, "/teach/classes/new", {"name": payload},
                             token_from="/teach/classes/new")
        assert created.status_code == 302, (payload, created.status_code)
    with app.app_context():
        rooms = {c.name: (c.id, c.join_code) for c in db.session.query(Classroom)}
    assert set(rooms) == set(PAYLOADS), "class names were changed on the way in"
    room_id, join_code = rooms[PAYLOADS[0]]
    saved = _post_form(teacher, "/author/new/yaml",
                       {"document": yaml.safe_dump(_lesson_document(), allow_unicode=True)},
                       token_from="/author/new/yaml")
    assert saved.status_code == 302, saved.get_data(as_text=True)[-3000:]
    shared = _post_form(teacher, "/author/xss-lesson/share", {"shared": "1"},
                        token_from="/author/")
    assert shared.status_code == 302
    assigned = _post_form(teacher, f"/teach/classes/{room_id}/assignments/new",
                          {"lesson_id": "russia-coup", "reveal_answers": "after_submit",
                           "classmates_visible": "after_submit"},
                          token_from=f"/teach/classes/{room_id}/assignments/new")
    assert assigned.status_code == 302, assigned.get_data(as_text=True)[-2000:]
    with app.app_context():
        assignment_id = db.session.query(Assignment).filter_by(classroom_id=room_id).one().id

    # --- learners join under payload names; the first writes payload notes and submits ---------
    learners = []
    for payload in PAYLOADS:
        learner = app.test_client()
        joined = _post_form(learner, "/classes/join",
                            {"join_code": join_code, "display_name": payload},
                            token_from="/classes/")
        assert joined.status_code == 302, (payload, joined.get_data(as_text=True)[-1500:])
        learners.append(learner)
    with app.app_context():
        names = {m.display_name for m in db.session.query(Membership)}
    assert names == {_norm(p) for p in PAYLOADS}
    writer = learners[0]
    for other_room in list(rooms.values())[1:4]:  # a few more classes, with payload names
        _post_form(writer, "/classes/join", {"join_code": other_room[1],
                                             "display_name": "Writer"}, token_from="/classes/")
    with app.app_context():
        lesson = lesson_of(current_version("russia-coup"))
    text = lesson.article_text
    token = _token(writer, f"/assignments/{assignment_id}")
    for n, payload in enumerate(PAYLOADS):
        sentence = re.findall(r"[A-Z][^.!?\n]{20,150}[.!?]", text)[n % 12]
        start = text.index(sentence)
        response = writer.post(f"/api/assignments/{assignment_id}/annotations",
                               json={"note": payload, "start": start, "end": start + len(sentence),
                                     "exact": sentence, "prompt_id": lesson.prompts[0].id},
                               headers={"X-CSRFToken": token})
        assert response.status_code == 201, (payload, response.get_data(as_text=True))
    submitted = writer.post(f"/api/assignments/{assignment_id}/submit", json={},
                            headers={"X-CSRFToken": token})
    assert submitted.status_code == 200, submitted.get_data(as_text=True)
    attempt_id = submitted.get_json()["attempt_id"]

    # --- every page that shows them, as the learner ---------------------------------------------
    visitor.use_session_of(writer)
    visitor.visit(f"/assignments/{assignment_id}", PAYLOADS)            # notes, reading view
    visitor.visit(f"/attempts/{attempt_id}", PAYLOADS, min_shown=0.5)  # notes + scorer feedback
    visitor.visit("/classes/", [PAYLOADS[0], *list(rooms)[1:4]])       # class names
    visitor.visit("/", ["XSS " + PAYLOADS[0]])                         # library card of the lesson
    visitor.visit("/lessons/xss-lesson", [p for p in PAYLOADS], min_shown=1.0)  # lesson text

    # --- and as the instructor -------------------------------------------------------------------
    visitor.use_session_of(teacher)
    visitor.visit("/teach/", PAYLOADS)                                  # every class name
    visitor.visit(f"/teach/classes/{room_id}", PAYLOADS)                # every display name
    visitor.visit(f"/teach/assignments/{assignment_id}", [PAYLOADS[0]])
    visitor.visit(f"/teach/assignments/{assignment_id}/queue", [PAYLOADS[0]], min_shown=0)
    visitor.visit(f"/teach/submissions/{attempt_id}", PAYLOADS, min_shown=0.5)
    visitor.visit("/author/", ["XSS " + PAYLOADS[0]])
    visitor.visit("/author/xss-lesson/preview", PAYLOADS)
    visitor.visit("/author/xss-lesson/edit", PAYLOADS[:5], min_shown=1.0)
    visitor.visit("/author/xss-lesson/yaml", [], min_shown=0)
    visitor.visit("/author/xss-lesson/try", PAYLOADS, min_shown=0.9)

    assert visitor.visited == 15
    assert visitor.problems == [], "\n".join(visitor.problems)

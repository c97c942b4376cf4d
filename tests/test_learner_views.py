"""View tests of the learner pages and JSON API: every error is a clear 4xx and loses nothing."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from tests.conftest import csrf_from
from webapp.extensions import db
from webapp.models import (
    Annotation,
    Assignment,
    Attempt,
    Classroom,
    Learner,
    Membership,
    User,
    utcnow,
)
from webapp.services.identity import SESSION_KEY
from webapp.services.lessons import current_version, lesson_of

COUP = "The recent coup in Russia, which saw the overthrow of President Vladimir Putin’s regime"
SEPARATISTS = "Russian-backed separatist forces in eastern Ukraine"
API = "/api/lessons/russia-coup"


@pytest.fixture
def text(app):
    with app.app_context():
        return lesson_of(current_version("russia-coup")).article_text


class Learn:
    """A browser session of one learner: keeps the CSRF token of the last page."""

    def __init__(self, client):
        self.client = client
        self.token = csrf_from(client.get("/lessons/russia-coup").get_data(as_text=True))

    def api(self, method, url, body=None, raw=None):
        kwargs = {"headers": {"X-CSRFToken": self.token}}
        if raw is not None:
            kwargs["data"] = raw
            kwargs["content_type"] = "application/json"
        elif body is not None:
            kwargs["json"] = body
        return self.client.open(url, method=method, **kwargs)

    def annotate(self, text, phrase, note, prompt="the-event", base=API):
        start = text.index(phrase)
        return self.api("POST", f"{base}/annotations", {
            "prompt_id": prompt, "note": note, "start": start, "end": start + len(phrase),
            "exact": phrase})

    def form(self, url, data):
        return self.client.post(url, data={"csrf_token": self.token, **data})


@pytest.fixture
def learn(client):
    return Learn(client)


def test_library_lists_lessons_with_progress(client, learn, text):
    page = client.get("/").get_data(as_text=True)
    assert "A window of opportunity?" in page and "Intermediate" in page
    assert "About 25 minutes" in page and "Not started" in page
    assert "Checking whether a reported event actually happened" in page  # skills
    learn.annotate(text, COUP, "The coup never happened.")
    page = client.get("/").get_data(as_text=True)
    assert "draft with 1 annotation" in page


def test_library_filters(client):
    intro = client.get("/?level=advanced").get_data(as_text=True)
    assert "A window of opportunity?" not in intro
    page = client.get("/?level=intermediate&premise=fabricated-event").get_data(as_text=True)
    assert "A window of opportunity?" in page
    assert "Showing 1 of" in page
    assert "A window of opportunity?" not in client.get("/?time=15").get_data(as_text=True)
    bad = client.get("/?level=expert")
    assert bad.status_code == 400
    assert "Not a valid choice" in bad.get_data(as_text=True)


def test_reading_page_needs_no_account_and_creates_no_learner(client, app):
    page = client.get("/lessons/russia-coup")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'class="sentence"' in html and "1. Shifting power dynamics:" in html
    assert "Show a hint (1 of 3)" in html
    with client.session_transaction() as session:
        reserved = session[SESSION_KEY]  # the id is chosen now, the row only on the first save
    assert re.fullmatch(r"[0-9a-f]{32}", reserved)
    with app.app_context():
        assert db.session.query(Learner).count() == 0
    client.get("/")
    with client.session_transaction() as session:
        assert session[SESSION_KEY] == reserved


def test_saves_racing_from_a_new_browser_share_one_learner(client, app, text):
    """A save that lands after another request of the same browser created the learner joins it."""
    client.get("/lessons/russia-coup")
    with client.session_transaction() as session:
        reserved = session[SESSION_KEY]
    with app.app_context():  # the racing request committed the row first
        db.session.add(Learner(public_id=reserved))
        db.session.commit()
    learn = Learn(client)
    assert learn.annotate(text, COUP, "The coup never happened.").status_code == 201
    with app.app_context():
        learners = db.session.query(Learner).all()
        assert [learner.public_id for learner in learners] == [reserved]
        assert len(learners[0].attempts) == 1


def test_article_dom_text_is_the_served_text(client, text):
    html = client.get("/lessons/russia-coup").get_data(as_text=True)
    import html as htmllib

    blocks = re.findall(r'<(p|h3) class="article-(?:para|heading)" data-start="(\d+)" '
                        r'data-end="(\d+)">(.*?)</\1>', html, flags=re.S)
    assert blocks
    for _, start, end, inner in blocks:
        plain = htmllib.unescape(re.sub(r"<[^>]+>", "", inner))
        assert plain == text[int(start):int(end)]


def test_unknown_lesson_is_404_on_page_and_api(client, learn):
    page = client.get("/lessons/no-such-lesson")
    assert page.status_code == 404
    assert "There is no lesson called “no-such-lesson”" in page.get_data(as_text=True)
    api = learn.api("POST", "/api/lessons/no-such-lesson/annotations", {"note": "x"})
    assert api.status_code == 404 and api.is_json
    assert "no-such-lesson" in api.get_json()["message"]


def test_annotation_crud_over_the_api(learn, text):
    created = learn.annotate(text, COUP, "The coup never happened.")
    assert created.status_code == 201
    body = created.get_json()
    assert body["exact"] == COUP and body["start"] == 0
    ann = body["id"]
    changed = learn.api("PATCH", f"/api/annotations/{ann}", {"note": "It is fictional."})
    assert changed.status_code == 200 and changed.get_json()["note"] == "It is fictional."
    state = learn.api("GET", f"{API}/annotations").get_json()
    assert [a["note"] for a in state["annotations"]] == ["It is fictional."]
    assert state["status"] == "draft"
    assert learn.api("DELETE", f"/api/annotations/{ann}").status_code == 200
    assert learn.api("GET", f"{API}/annotations").get_json()["annotations"] == []


@pytest.mark.parametrize(("body", "field", "words"), [
    ({"note": "", "prompt_id": "the-event", "start": 0, "end": 10}, "note", "empty"),
    ({"note": "y" * 2001, "prompt_id": "the-event", "start": 0, "end": 10}, "note", "2,000"),
    ({"note": "ok", "prompt_id": "the-event", "start": 0, "end": 999999}, "selection",
     "outside the article"),
    ({"note": "ok", "prompt_id": "the-event", "start": 0, "end": 10, "exact": "nope nope"},
     "selection", "do not match"),
    ({"note": "ok", "prompt_id": "nonsense", "start": 0, "end": 10}, "prompt_id", "no prompt"),
    ({"note": "ok", "prompt_id": "the-event", "start": "0", "end": 10}, "start", "whole number"),
    ({"note": "ok", "prompt_id": "the-event", "end": 10}, "start", "required"),
    ({"note": "ok", "prompt_id": "the-event", "start": 0, "end": 10, "color": "red"}, "color",
     "not a known field"),
])
def test_api_errors_name_the_field_and_lose_nothing(learn, text, body, field, words):
    kept = learn.annotate(text, COUP, "The coup never happened.").get_json()
    response = learn.api("POST", f"{API}/annotations", body)
    assert response.status_code == 400
    error = response.get_json()
    assert error["field"] == field and words in error["message"]
    assert error["error"] == "validation"
    notes = [a["id"] for a in learn.api("GET", f"{API}/annotations").get_json()["annotations"]]
    assert notes == [kept["id"]]


def test_update_errors_keep_the_saved_note(learn, text):
    ann = learn.annotate(text, COUP, "The coup never happened.").get_json()["id"]
    response = learn.api("PATCH", f"/api/annotations/{ann}", {"note": "z" * 5000})
    assert response.status_code == 400 and response.get_json()["field"] == "note"
    state = learn.api("GET", f"{API}/annotations").get_json()
    assert state["annotations"][0]["note"] == "The coup never happened."


def test_malformed_json_and_missing_csrf(learn, client):
    response = learn.api("POST", f"{API}/annotations", raw="{not json")
    assert response.status_code == 400 and response.get_json()["error"] == "bad_json"
    no_token = client.post(f"{API}/annotations", json={"note": "x"})
    assert no_token.status_code == 400 and no_token.get_json()["error"] == "csrf"


def test_other_learners_work_is_404(app, learn, text):
    ann = learn.annotate(text, COUP, "The coup never happened.").get_json()["id"]
    learn.api("POST", f"{API}/submit")
    other = Learn(app.test_client())
    assert other.api("PATCH", f"/api/annotations/{ann}", {"note": "mine now"}).status_code == 404
    assert other.api("DELETE", f"/api/annotations/{ann}").status_code == 404
    assert other.client.get("/attempts/1").status_code == 404
    assert other.client.get("/attempts/1/export.json").status_code == 404
    assert learn.client.get("/attempts/1").status_code == 200


def test_submitted_work_cannot_change(learn, text):
    ann = learn.annotate(text, COUP, "The coup never happened.").get_json()["id"]
    submitted = learn.api("POST", f"{API}/submit")
    assert submitted.status_code == 200
    assert submitted.get_json()["score"] == 2.0
    response = learn.api("PATCH", f"/api/annotations/{ann}", {"note": "late change"})
    assert response.status_code == 409
    assert "Try again" in response.get_json()["message"]
    again = learn.annotate(text, SEPARATISTS, "Outdated.", "the-enemy")
    assert again.status_code == 409


def test_submit_with_nothing_is_refused(learn):
    response = learn.api("POST", f"{API}/submit")
    assert response.status_code == 400 and response.get_json()["field"] == "annotations"


def test_hints_api(learn):
    first = learn.api("POST", f"{API}/hints", {"prompt_id": "the-enemy"}).get_json()
    assert first["revealed"] == 1 and first["total"] == 2 and len(first["hints"]) == 1
    learn.api("POST", f"{API}/hints", {"prompt_id": "the-enemy"})
    done = learn.api("POST", f"{API}/hints", {"prompt_id": "the-enemy"})
    assert done.status_code == 400 and "every hint" in done.get_json()["message"]
    unknown = learn.api("POST", f"{API}/hints", {"prompt_id": "nope"})
    assert unknown.status_code == 400 and unknown.get_json()["field"] == "prompt_id"


def test_results_page(learn, text):
    learn.annotate(text, COUP, "The coup never happened: Putin is still in power.")
    learn.annotate(text, SEPARATISTS, SEPARATISTS, "the-enemy")
    learn.api("POST", f"{API}/hints", {"prompt_id": "the-event"})
    url = learn.api("POST", f"{API}/submit").get_json()["results_url"]
    html = learn.client.get(url).get_data(as_text=True)
    assert "<strong>2</strong> out of 11 points" in html
    assert re.search(r'id="item-hypothetical-coup">\s*<h3>A coup asserted as fact\s*'
                     r'<span class="item-state">Found', html)
    assert "Missed" in html
    assert "Putin remains in power" in html  # model answer, revealed after submitting
    assert 'class="hl hl-model"' in html
    # Each item lists its first three passages; the rest fold away behind "N more places".
    section = html.split('id="item-hypothetical-coup">', 1)[1].split('id="item-', 1)[0]
    shown, folded = section.split("<details", 1)
    assert shown.count('class="hl hl-model"') == 3
    assert "more places it shows up" in folded and folded.count('class="hl hl-model"') >= 1
    assert "Full credit" in html and "No credit" in html
    assert 'id="hints-used">1<' in html
    assert "Best" in html and "Latest" in html


def test_export_is_w3c(learn, text):
    learn.annotate(text, COUP, "The coup never happened.")
    response = learn.client.get("/attempts/1/export.json")
    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    assert "attachment" in response.headers["Content-Disposition"]
    doc = json.loads(response.get_data(as_text=True))
    assert doc["type"] == "AnnotationCollection"
    item = doc["first"]["items"][0]
    assert item["target"]["selector"][0]["exact"] == COUP


def test_export_scores_the_same_in_the_cli(learn, text, runner, tmp_path):
    learn.annotate(text, COUP, "The coup never happened: Putin is still in power.")
    learn.annotate(text, SEPARATISTS, "Since 2022 it is Russia's own army, not separatists.",
                   "the-enemy")
    learn.annotate(text, "has not only caught the attention of the world", "Source?",
                   "the-evidence")
    app_score = learn.api("POST", f"{API}/submit").get_json()
    export = tmp_path / "export.jsonld"
    export.write_bytes(learn.client.get("/attempts/1/export.json").data)
    result = runner.invoke(args=["score", "russia-coup", str(export)])
    assert result.exit_code == 0, result.output
    cli = json.loads(result.output)
    assert cli["score"] == app_score["score"]
    assert cli["max_score"] == app_score["max_score"]
    with runner.app.app_context():
        stored = db.session.query(Annotation).order_by(Annotation.id).all()
        assert [a["credit"] for a in cli["annotations"]] == [a.auto_credit for a in stored]
        assert [a["item"] for a in cli["annotations"]] == [a.auto_item_id for a in stored]


def test_no_js_forms(learn, text):
    sentence_start = text.index("This power vacuum")
    sentence_end = text.index("in eastern Ukraine.") + len("in eastern Ukraine.")
    page = learn.client.get("/lessons/russia-coup").get_data(as_text=True)
    assert f'value="{sentence_start}-{sentence_end}"' in page
    saved = learn.form("/lessons/russia-coup/annotations", {
        "new-sentence": f"{sentence_start}-{sentence_end}", "new-words": SEPARATISTS,
        "new-prompt_id": "the-enemy", "new-note": "Outdated framing."})
    assert saved.status_code == 302
    state = learn.api("GET", f"{API}/annotations").get_json()["annotations"]
    assert [a["exact"] for a in state] == [SEPARATISTS]

    # An empty note: 400, the message beside the field, the choices kept.
    refused = learn.form("/lessons/russia-coup/annotations", {
        "new-sentence": f"{sentence_start}-{sentence_end}", "new-prompt_id": "the-enemy",
        "new-note": "  "})
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "the explanation is empty" in html
    assert '<option selected value="the-enemy">' in html

    # Words not in the sentence, and a note too long: the note comes back to be shortened.
    long_note = "Long " * 500
    refused = learn.form("/lessons/russia-coup/annotations", {
        "new-sentence": f"{sentence_start}-{sentence_end}", "new-words": "not there",
        "new-prompt_id": "the-enemy", "new-note": long_note})
    assert refused.status_code == 400
    assert "not in the chosen sentence" in refused.get_data(as_text=True)
    refused = learn.form("/lessons/russia-coup/annotations", {
        "new-sentence": f"{sentence_start}-{sentence_end}", "new-prompt_id": "the-enemy",
        "new-note": long_note})
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "the limit is 2,000" in html and long_note.strip() in html

    ann = state[0]["id"]
    edit_page = learn.client.get(f"/lessons/russia-coup?edit={ann}").get_data(as_text=True)
    assert 'id="edit"' in edit_page
    learn.form(f"/annotations/{ann}/edit", {"edit-prompt_id": "the-enemy",
                                           "edit-note": "Fits 2014, not 2022."})
    state = learn.api("GET", f"{API}/annotations").get_json()["annotations"]
    assert state[0]["note"] == "Fits 2014, not 2022."
    learn.form("/lessons/russia-coup/hints", {"prompt_id": "the-enemy"})
    assert "Find every place" in learn.client.get("/lessons/russia-coup").get_data(as_text=True)
    done = learn.form("/lessons/russia-coup/submit", {})
    assert done.status_code == 302 and done.headers["Location"].startswith("/attempts/")
    again = learn.form("/lessons/russia-coup/try-again", {})
    assert again.status_code == 302
    state = learn.api("GET", f"{API}/annotations").get_json()
    assert state["status"] == "draft" and len(state["annotations"]) == 1
    learn.form(f"/annotations/{state['annotations'][0]['id']}/delete", {})
    assert learn.api("GET", f"{API}/annotations").get_json()["annotations"] == []


def _class_with(app, learn_client, **rules):
    """Put the learner of ``learn_client`` in a class with one assignment of the seed lesson."""
    with learn_client.session_transaction() as session:
        public_id = session.get(SESSION_KEY)
    with app.app_context():
        learner = db.session.query(Learner).filter_by(public_id=public_id).one()
        owner = User(email="t@example.org", display_name="T", password_hash="x")
        room = Classroom(name="Year 9 Civics", owner=owner, join_code="XYZ789")
        db.session.add_all([owner, room])
        db.session.flush()
        db.session.add(Membership(classroom_id=room.id, learner_id=learner.id,
                                  display_name="Ana"))
        assignment = Assignment(classroom_id=room.id,
                                lesson_version_id=current_version("russia-coup").id, **rules)
        db.session.add(assignment)
        db.session.commit()
        return assignment.id


def test_assignment_pages(app, learn, text):
    learn.api("POST", f"{API}/hints", {"prompt_id": "the-event"})  # gives this client a learner
    aid = _class_with(app, learn.client, attempts_allowed=1, reveal_answers="never")
    base = f"/api/assignments/{aid}"
    page = learn.client.get(f"/assignments/{aid}")
    assert page.status_code == 200 and "Year 9 Civics" in page.get_data(as_text=True)
    assert learn.annotate(text, COUP, "Putin is still in power.", base=base).status_code == 201
    result = learn.api("POST", f"{base}/submit").get_json()
    html = learn.client.get(result["results_url"]).get_data(as_text=True)
    assert "Putin remains in power" not in html  # reveal_answers = never
    assert "Try again" not in html  # one attempt allowed
    with app.app_context():
        assert db.session.get(Attempt, result["attempt_id"]).assignment_id == aid
    stranger = Learn(app.test_client())
    assert stranger.client.get(f"/assignments/{aid}").status_code == 404
    assert stranger.annotate(text, COUP, "x", base=base).status_code == 404
    assert stranger.client.get(result["results_url"]).status_code == 404


def test_past_due_assignment_is_read_only(app, learn, text):
    learn.api("POST", f"{API}/hints", {"prompt_id": "the-event"})
    aid = _class_with(app, learn.client, due_at=utcnow() - timedelta(days=1))
    html = learn.client.get(f"/assignments/{aid}").get_data(as_text=True)
    assert "past its due date" in html and "Submit for feedback" not in html
    response = learn.annotate(text, COUP, "Putin is still in power.",
                              base=f"/api/assignments/{aid}")
    assert response.status_code == 409 and "due date" in response.get_json()["message"]


def test_results_show_the_teachers_decision(app, learn, text):
    learn.annotate(text, SEPARATISTS, SEPARATISTS, "the-enemy")
    url = learn.api("POST", f"{API}/submit").get_json()["results_url"]
    assert "<strong>0</strong> out of 11" in learn.client.get(url).get_data(as_text=True)
    with app.app_context():
        annotation = db.session.query(Annotation).one()
        annotation.manual_credit = 0.5
        annotation.manual_item_id = "outdated-separatist-framing"
        annotation.manual_comment = "Right passage: now say what changed in 2022."
        db.session.commit()
    html = learn.client.get(url).get_data(as_text=True)
    assert "<strong>1</strong> out of 11" in html
    assert "Your teacher set the credit to partial credit" in html
    assert "now say what changed in 2022" in html
    assert re.search(r'id="item-outdated-separatist-framing">\s*<h3>[^<]*\s*'
                     r'<span class="item-state">Partly found', html)


def test_classmates_highlights_after_submitting(app, learn, text):
    learn.api("POST", f"{API}/hints", {"prompt_id": "the-event"})
    aid = _class_with(app, learn.client, classmates_visible="after_submit")
    with app.app_context():
        room_id = db.session.get(Assignment, aid).classroom_id
    other = Learn(app.test_client())
    other.api("POST", f"{API}/hints", {"prompt_id": "the-event"})
    with other.client.session_transaction() as session:
        other_public = session[SESSION_KEY]
    with app.app_context():
        other_id = db.session.query(Learner).filter_by(public_id=other_public).one().id
        db.session.add(Membership(classroom_id=room_id, learner_id=other_id,
                                  display_name="Zebulon"))
        db.session.commit()
    base = f"/api/assignments/{aid}"
    other.annotate(text, SEPARATISTS, "Outdated framing: it is Russia's army.", "the-enemy",
                   base=base)
    other.api("POST", f"{base}/submit")
    learn.annotate(text, COUP, "The coup never happened.", base=base)
    url = learn.api("POST", f"{base}/submit").get_json()["results_url"]
    html = learn.client.get(url).get_data(as_text=True)
    assert "highlighted by classmates</mark> (1 highlight, anonymous)" in html
    assert re.search(r'<mark class="hl (?:hl-model )?hl-class">Russian-backed', html)
    assert "Zebulon" not in html and "Outdated framing: it is" not in html


def test_import_an_export_into_another_browser(app, learn, text):
    learn.annotate(text, COUP, "The coup never happened.")
    learn.annotate(text, SEPARATISTS, "Outdated framing.", "the-enemy")
    exported = learn.client.get("/attempts/1/export.json").get_json(force=True)
    other = Learn(app.test_client())
    response = other.api("POST", f"{API}/import", exported)
    assert response.status_code == 201 and response.get_json()["imported"] == 2
    state = other.api("GET", f"{API}/annotations").get_json()["annotations"]
    assert [(a["exact"], a["note"], a["prompt_id"]) for a in state] == [
        (COUP, "The coup never happened.", "the-event"),
        (SEPARATISTS, "Outdated framing.", "the-enemy")]


@pytest.mark.parametrize(("mutate", "field", "words"), [
    (lambda items: items[1]["body"].pop(), "prompt_id", "names no prompt"),
    (lambda items: items[1]["body"][0].update(value=""), "note", "empty"),
    (lambda items: items[1]["target"].update(selector=[{"type": "TextQuoteSelector",
                                                        "exact": "not in this article at all"}]),
     "selection", "cannot be found"),
    (lambda items: items.__setitem__(1, "a string"), "annotation", "not a JSON object"),
])
def test_import_errors_name_the_annotation(app, learn, text, mutate, field, words):
    learn.annotate(text, COUP, "The coup never happened.")
    learn.annotate(text, SEPARATISTS, "Outdated framing.", "the-enemy")
    items = learn.client.get("/attempts/1/export.json").get_json(force=True)["first"]["items"]
    mutate(items)
    other = Learn(app.test_client())
    response = other.api("POST", f"{API}/import", items)
    assert response.status_code == 400
    error = response.get_json()
    assert (error["index"], error["field"]) == (1, field)
    assert error["message"].startswith("Annotation 2") and words in error["message"]
    assert other.api("GET", f"{API}/annotations").get_json()["annotations"] == []


def test_import_form(app, learn, text):
    import io

    learn.annotate(text, COUP, "The coup never happened.")
    data = learn.client.get("/attempts/1/export.json").data
    other = Learn(app.test_client())
    done = other.client.post("/lessons/russia-coup/import", data={
        "csrf_token": other.token, "file": (io.BytesIO(data), "export.jsonld")},
        content_type="multipart/form-data", follow_redirects=True)
    assert "Imported 1 annotation." in done.get_data(as_text=True)
    bad = other.client.post("/lessons/russia-coup/import", data={
        "csrf_token": other.token, "file": (io.BytesIO(b"{oops"), "x.json")},
        content_type="multipart/form-data", follow_redirects=True)
    assert "That file is not JSON" in bad.get_data(as_text=True)
    assert len(other.api("GET", f"{API}/annotations").get_json()["annotations"]) == 1


def test_first_saves_sent_at_once_land_in_one_draft(app, text, monkeypatch):
    """Two notes saved at the same moment on a lesson with no draft both land in one draft."""
    import threading
    import time

    from webapp.models import Attempt
    from webapp.services import attempts as svc

    real_check = svc._check_open

    def slow_check(*args, **kwargs):  # widen the window between "no draft yet" and creating one
        time.sleep(0.2)
        return real_check(*args, **kwargs)

    monkeypatch.setattr(svc, "_check_open", slow_check)
    for round_number in range(2):
        client = app.test_client()
        learn = Learn(client)  # opens the reading page: the browser's learner id is chosen
        with client.session_transaction() as session:
            reserved = session[SESSION_KEY]
        with app.app_context():  # a learner who has worked before, on other lessons
            db.session.add(Learner(public_id=reserved))
            db.session.commit()
        barrier = threading.Barrier(2)
        codes: list[int] = []

        def save(note, learn=learn, barrier=barrier, codes=codes):
            barrier.wait()
            codes.append(learn.annotate(text, COUP, note).status_code)

        threads = [threading.Thread(target=save, args=(f"Round {round_number}: no coup {n}.",))
                   for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert codes == [201, 201]
        with client.session_transaction() as session:
            public_id = session[SESSION_KEY]
        with app.app_context():
            learner = db.session.query(Learner).filter_by(public_id=public_id).one()
            drafts = db.session.query(Attempt).filter_by(learner_id=learner.id).all()
            assert len(drafts) == 1 and len(drafts[0].annotations) == 2


def test_a_retried_save_is_stored_once(client, app, text):
    """The browser names each new annotation; sending the same save again stores nothing new."""
    learn = Learn(client)
    start = text.index(COUP)
    body = {"id": "a" * 32, "prompt_id": "the-event", "note": "The coup never happened.",
            "start": start, "end": start + len(COUP), "exact": COUP}
    first = learn.api("POST", f"{API}/annotations", body)
    again = learn.api("POST", f"{API}/annotations", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["id"] == again.get_json()["id"] == "a" * 32
    state = learn.api("GET", f"{API}/annotations").get_json()
    assert [a["id"] for a in state["annotations"]] == ["a" * 32]

    other = Learn(app.test_client())  # another browser cannot reuse that id
    taken = other.api("POST", f"{API}/annotations", body)
    assert taken.status_code == 409 and taken.get_json()["field"] == "id"
    bad = learn.api("POST", f"{API}/annotations", {**body, "id": "not-hex"})
    assert bad.status_code == 400 and bad.get_json()["field"] == "id"


def test_the_annotation_past_the_limit_is_refused_and_a_retry_still_answers(app, client,
                                                                             text):
    """The N+1th save is a clear 400; a retry of a save already stored answers 200 even then."""
    app.config["MAX_ANNOTATIONS_PER_ATTEMPT"] = 2
    learn = Learn(client)
    start = text.index(COUP)
    bodies = [{"id": f"{n:032x}", "prompt_id": "the-event", "note": f"Note {n}.", "start": start,
               "end": start + len(COUP), "exact": COUP} for n in range(1, 4)]
    assert [learn.api("POST", f"{API}/annotations", b).status_code for b in bodies[:2]] == [
        201, 201]
    refused = learn.api("POST", f"{API}/annotations", bodies[2])
    assert refused.status_code == 400
    assert refused.get_json()["field"] == "annotations"
    assert "at most 2 annotations" in refused.get_json()["message"]
    again = learn.api("POST", f"{API}/annotations", bodies[1])  # its answer was lost: retried
    assert again.status_code == 200 and again.get_json()["note"] == "Note 2."
    assert learn.api("POST", f"{API}/submit").status_code == 200
    after_submit = learn.api("POST", f"{API}/annotations", bodies[0])
    assert after_submit.status_code == 200 and after_submit.get_json()["id"] == f"{1:032x}"
    assert learn.api("POST", f"{API}/annotations", bodies[2]).status_code == 409
    deleted = learn.api("DELETE", f"/api/annotations/{1:032x}")
    assert deleted.status_code == 409  # submitted work stays as it was


def test_saves_racing_for_the_last_place_store_one(app, text, monkeypatch):
    """Two saves sent at once for the last place under the limit: one is stored, one refused."""
    import threading
    import time

    from webapp.services import attempts as svc

    app.config["MAX_ANNOTATIONS_PER_ATTEMPT"] = 2
    learn = Learn(app.test_client())
    assert learn.annotate(text, COUP, "The coup never happened.").status_code == 201
    real_resolve = svc.resolve_selection

    def slow_resolve(*args, **kwargs):  # both are checked before either takes the draft's lock
        time.sleep(0.2)
        return real_resolve(*args, **kwargs)

    monkeypatch.setattr(svc, "resolve_selection", slow_resolve)
    barrier = threading.Barrier(2)
    codes: list[int] = []

    def save(note):
        barrier.wait()
        codes.append(learn.annotate(text, SEPARATISTS, note, "the-enemy").status_code)

    threads = [threading.Thread(target=save, args=(f"Outdated framing {n}.",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [201, 400]
    with app.app_context():
        attempt = db.session.query(Attempt).one()
        assert attempt.annotation_count == len(attempt.annotations) == 2


def test_a_save_answers_with_the_stored_annotation(client, app, text):
    """The save's answer holds what was stored (trimmed passage, quote context, time)."""
    learn = Learn(client)
    start = text.index(SEPARATISTS)
    saved = learn.api("POST", f"{API}/annotations", {
        "prompt_id": "the-enemy", "note": "  Outdated.  ", "start": start - 1,
        "end": start + len(SEPARATISTS)})
    assert saved.status_code == 201
    body = saved.get_json()
    assert set(body) == {"id", "prompt_id", "note", "start", "end", "exact", "prefix", "suffix",
                         "updated_at"}
    state = learn.api("GET", f"{API}/annotations").get_json()["annotations"]
    assert state == [body]
    assert (body["exact"], body["note"]) == (SEPARATISTS, "Outdated.")


def test_a_save_racing_a_submit_is_scored_or_refused(app, text, monkeypatch):
    """A note saved while the same attempt is being submitted never sits unscored in it."""
    import threading
    import time

    from webapp.models import Annotation
    from webapp.services import attempts as svc

    client = app.test_client()
    learn = Learn(client)
    assert learn.annotate(text, COUP, "The coup never happened.").status_code == 201
    real_set = svc._set_selection

    def slow_set(*args, **kwargs):  # the second save is half-way when the submit arrives
        time.sleep(0.3)
        return real_set(*args, **kwargs)

    monkeypatch.setattr(svc, "_set_selection", slow_set)
    codes: dict[str, int] = {}

    def save():
        codes["save"] = learn.annotate(text, SEPARATISTS, "Those are Russia's own troops since "
                                       "2022.", "the-enemy").status_code

    def submit():
        time.sleep(0.1)
        codes["submit"] = learn.api("POST", f"{API}/submit").status_code

    threads = [threading.Thread(target=save), threading.Thread(target=submit)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert codes["submit"] == 200 and codes["save"] in (201, 409)
    with app.app_context():
        stored = db.session.query(Annotation).all()
        assert all(a.attempt.status == "submitted" and a.auto_credit is not None for a in stored)
        assert len(stored) == (2 if codes["save"] == 201 else 1)

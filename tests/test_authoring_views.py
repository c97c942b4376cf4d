"""Authoring pages: who may open them, the editor's round trip, errors beside their fields."""

from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import csrf_from
from tests.test_authoring_service import ARTICLE, make_user, small_lesson, small_yaml
from webapp.content import load_lesson_dir
from webapp.extensions import db
from webapp.models import LessonVersion
from webapp.services import authoring


class FormReader(HTMLParser):
    """The fields a browser would submit from the page's forms (template contents skipped)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._template = 0
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "template":
            self._template += 1
        if self._template:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "file"):
            self.fields[a["name"]] = a.get("value") or ""
        elif tag == "textarea":
            self._textarea = a["name"]
            self.fields[self._textarea] = ""
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and ("selected" in a or
                                                  self._select not in self.fields):
            self.fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "template":
            self._template -= 1
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea and not self._template:
            self.fields[self._textarea] += data


def form_fields(html: str) -> dict[str, str]:
    reader = FormReader()
    reader.feed(html)
    # browsers drop the newline that follows <textarea>
    return {k: re.sub(r"^\r?\n", "", v) for k, v in reader.fields.items()}


def login(client, user_id: str) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = user_id


@pytest.fixture
def ada(app, client):
    with app.app_context():
        user = make_user("ada@example.org")
        user_id = user.get_id()
    login(client, user_id)
    return user_id


def create_small(app, email="ada@example.org", lesson_id="ferry-fares"):
    with app.app_context():
        from webapp.models import User

        user = db.session.query(User).filter_by(email=email).one()
        authoring.create_lesson(small_lesson(lesson_id), user)


LESSON_PAGES = ["/author/ferry-fares/edit", "/author/ferry-fares/yaml",
                "/author/ferry-fares/preview", "/author/ferry-fares/try",
                "/author/ferry-fares/export.yaml", "/author/ferry-fares/export.zip"]
ALL_PAGES = ["/author/", "/author/new", "/author/new/yaml", "/author/import", *LESSON_PAGES]


@pytest.mark.parametrize("url", ALL_PAGES)
def test_anonymous_visitors_are_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("url", ALL_PAGES + ["/author/ferry-fares/share"])
def test_pages_for_owner_other_instructor_and_non_instructor(app, client, ada, url):
    create_small(app)
    is_post = url.endswith("/share")
    if not is_post:
        assert client.get(url).status_code == 200
    with app.app_context():
        bob = make_user("bob@example.org").get_id()
        carol = make_user("carol@example.org", instructor=False).get_id()
    login(client, bob)
    token = csrf_from(client.get("/author/").data.decode())
    response = client.post(url, data={"csrf_token": token, "shared": "1"}) if is_post \
        else client.get(url)
    assert response.status_code == (404 if "ferry-fares" in url else 200)
    login(client, carol)
    token = csrf_from(client.get("/").data.decode()) if is_post else None
    response = client.post(url, data={"csrf_token": token, "shared": "1"}) if is_post \
        else client.get(url)
    assert response.status_code == 403


def test_unknown_lesson_is_404(client, ada):
    assert client.get("/author/no-such-lesson/edit").status_code == 404


def test_file_lessons_cannot_be_edited_here(client, ada):
    assert client.get("/author/russia-coup/edit").status_code == 404


def test_create_in_the_form_editor_then_edit_makes_version_two(app, client, ada):
    page = client.get("/author/new").data.decode()
    fields = form_fields(page)
    lesson = small_lesson()
    fields.update({
        "id": "ferry-fares", "title": "Ferry fares", "summary": "A short piece.",
        "level": "introductory", "estimated_minutes": "10", "premise_types": "missing-evidence",
        "skills": "Asking what a number is compared with", "teacher_note": "A note.",
        "article_text": ARTICLE,
        "prompts-0-id": "proof", "prompts-0-text": "What is offered as proof?",
        "prompts-0-hints": "Look at the second paragraph.\nDoes a timetable show money?",
        "rubric-0-title": "A timetable taken as proof", "rubric-0-points": "2",
        "rubric-0-prompts": "proof",
        "rubric-0-passages": "the new timetable proves the ferry is losing money",
        "rubric-0-premise": "A timetable shows finances.",
        "rubric-0-why_it_matters": "It does not.",
        "rubric-0-key_ideas-0-label": "a timetable is not financial evidence",
        "rubric-0-key_ideas-0-phrasings": "a timetable does not show money\nno accounts given",
        "rubric-0-feedback-full": "Right.", "rubric-0-feedback-partial": "What shows a loss?",
        "rubric-0-feedback-missed": "Look at the proof.", "rubric-0-model_answer": "Timetables "
        "show sailings, not money.",
        "action": "save",
    })
    response = client.post("/author/new", data=fields)
    assert response.status_code == 302, response.data.decode()[:2000]
    assert response.headers["Location"].endswith("/author/ferry-fares/edit")
    with app.app_context():
        from webapp.services.lessons import current_version, lesson_of

        row = current_version("ferry-fares")
        stored = lesson_of(row)
        assert (row.version, row.shared, row.origin) == (1, False, "authored")
    # ids left empty are made from the title and label
    assert stored.rubric[0].id == "a-timetable-taken-as-proof"
    assert stored.rubric[0].key_ideas[0].id == "a-timetable-is-not-financial-evidence"
    assert stored.prompts[0].hints == lesson.prompts[0].hints

    # the editor shows the saved lesson; saving it unchanged makes no new version
    edit = client.get("/author/ferry-fares/edit").data.decode()
    fields = form_fields(edit)
    assert fields["rubric-0-passages"] == "the new timetable proves the ferry is losing money"
    fields["action"] = "save"
    response = client.post("/author/ferry-fares/edit", data=fields, follow_redirects=True)
    assert "No changes to save: still version 1" in response.data.decode()
    fields["title"] = "Ferry fares (revised)"
    fields["id"] = "an-attempt-to-rename"  # the id is read-only; the server keeps it
    response = client.post("/author/ferry-fares/edit", data=fields, follow_redirects=True)
    assert "Saved as version 2" in response.data.decode()
    with app.app_context():
        titles = [v.title for v in db.session.query(LessonVersion)
                  .filter_by(lesson_id="ferry-fares").order_by(LessonVersion.version)]
    assert titles == ["Ferry fares", "Ferry fares (revised)"]


def _error_beside(html: str, field_id: str) -> str:
    """The error list right after the field, which the field names in aria-describedby."""
    match = re.search(rf'<(?:input|textarea|select)[^>]*aria-describedby="[^"]*{field_id}-errors'
                      rf'[^"]*"[^>]*aria-invalid="true"[^>]*id="{field_id}"', html) or re.search(
        rf'<(?:input|textarea|select)[^>]*aria-invalid="true"[^>]*id="{field_id}"', html)
    assert match, f"{field_id} is not marked invalid"
    errors = re.search(rf'<ul class="field-errors" id="{field_id}-errors">(.*?)</ul>', html, re.S)
    assert errors, f"no error list beside {field_id}"
    assert html.index(errors.group(0)) > match.start()
    return re.sub(r"<[^>]+>", " ", errors.group(1))


def test_validation_errors_are_shown_beside_their_fields(client, ada):
    page = client.get("/author/new").data.decode()
    fields = form_fields(page)
    fields.update({
        "id": "Bad Id!", "title": "", "estimated_minutes": "soon",
        "article_text": ARTICLE, "prompts-0-text": "Why?", "prompts-0-hints": "",
        "rubric-0-title": "Item", "rubric-0-points": "-1", "rubric-0-prompts": "nope",
        "rubric-0-passages": "a quote that is not there",
        "rubric-0-key_ideas-0-label": "idea", "rubric-0-full_requires": "3",
        "action": "save",
    })
    response = client.post("/author/new", data=fields)
    assert response.status_code == 422
    html = response.data.decode()
    assert "lowercase letters, digits and hyphens" in _error_beside(html, "id")
    assert "required" in _error_beside(html, "title")
    assert "integer" in _error_beside(html, "estimated_minutes")
    assert "at least 1" in _error_beside(html, "prompts-0-hints")
    assert "greater than 0" in _error_beside(html, "rubric-0-points")
    assert "required" in _error_beside(html, "rubric-0-premise")
    assert "at least 1" in _error_beside(html, "rubric-0-key_ideas-0-phrasings")
    assert "required" in _error_beside(html, "rubric-0-feedback-full")
    # the summary links each problem to its field
    assert '<a href="#rubric-0-points">Rubric item 1, points</a>' in html
    assert '<a href="#rubric-0-key_ideas-0-phrasings">Rubric item 1, key idea 1, phrasings</a>' \
        in html
    # what the author typed is still there
    assert "a quote that is not there" in html
    assert 'role="alert"' in html


def test_passage_and_prompt_errors_name_the_line_in_the_box(client, ada):
    page = client.get("/author/new").data.decode()
    fields = form_fields(page)
    fields.update({
        "id": "ferry-fares", "title": "T", "summary": "S", "teacher_note": "N",
        "article_text": ARTICLE, "prompts-0-id": "proof", "prompts-0-text": "Why?",
        "prompts-0-hints": "h", "rubric-0-title": "Item", "rubric-0-points": "1",
        "rubric-0-prompts": "proof, missing-one",
        "rubric-0-passages": "the new timetable proves\nnot in the article at all",
        "rubric-0-premise": "p", "rubric-0-why_it_matters": "w",
        "rubric-0-key_ideas-0-label": "idea", "rubric-0-key_ideas-0-phrasings": "an idea",
        "rubric-0-feedback-full": "f", "rubric-0-feedback-partial": "p",
        "rubric-0-feedback-missed": "m", "rubric-0-model_answer": "m", "action": "save",
    })
    html = client.post("/author/new", data=fields).data.decode()
    passages = _error_beside(html, "rubric-0-passages")
    assert "line 2" in passages and "not found in the article" in passages
    assert "entry 2: names prompt &#39;missing-one&#39;" in _error_beside(html, "rubric-0-prompts")


def test_id_taken_by_a_file_lesson_is_shown_beside_the_id(client, ada):
    fields = form_fields(client.get("/author/new/yaml").data.decode())
    fields["document"] = small_yaml("russia-coup")
    response = client.post("/author/new/yaml", data=fields)
    assert response.status_code == 422
    assert "library&#39;s files" in response.data.decode() or "library's files" in \
        response.data.decode()


def test_list_entries_are_added_and_removed_without_javascript(client, ada):
    fields = form_fields(client.get("/author/new").data.decode())
    fields["title"] = "Kept while adding"
    response = client.post("/author/new", data={**fields, "action": "add:rubric-0-key_ideas"})
    assert response.status_code == 200
    html = response.data.decode()
    after = form_fields(html)
    assert "rubric-0-key_ideas-1-label" in after and after["title"] == "Kept while adding"
    after["rubric-0-key_ideas-1-label"] = "second idea"
    after["prompts-0-text"] = "first prompt"
    html = client.post("/author/new", data={**after, "action": "add:prompts"}).data.decode()
    after = form_fields(html)
    assert "prompts-1-text" in after
    after["prompts-1-text"] = "second prompt"
    html = client.post("/author/new", data={**after, "action": "remove:prompts-0"}).data.decode()
    after = form_fields(html)
    assert [v for k, v in after.items() if k.endswith("-text") and k.startswith("prompts")] == [
        "second prompt"]
    assert after["rubric-0-key_ideas-1-label"] == "second idea"
    with_nothing_saved = client.get("/author/").data.decode()
    assert "You have not written a lesson yet" in with_nothing_saved


@pytest.mark.parametrize("action", ["explode", "add:nowhere", "remove:nowhere-3"])
def test_unknown_editor_actions_are_400(client, ada, action):
    fields = form_fields(client.get("/author/new").data.decode())
    assert client.post("/author/new", data={**fields, "action": action}).status_code == 400


def test_posts_without_csrf_token_are_refused(app, client, ada):
    create_small(app)
    assert client.post("/author/new/yaml", data={"document": small_yaml("x-y")}).status_code == 400
    assert client.post("/author/ferry-fares/share", data={"shared": "1"}).status_code == 400


def test_yaml_editor_lists_errors_with_lines(client, ada):
    fields = form_fields(client.get("/author/new/yaml").data.decode())
    fields["document"] = small_yaml().replace("points: 2", "points: lots").replace(
        "level: introductory", "level: easy")
    response = client.post("/author/new/yaml", data=fields)
    assert response.status_code == 422
    html = response.data.decode()
    assert re.search(r"line 5</span> <code>level</code>", html)
    assert "<code>rubric[0].points</code>" in html
    assert "points: lots" in html  # the text is kept for correcting
    fields["document"] = "id: [unclosed"
    assert "not valid YAML" in client.post("/author/new/yaml", data=fields).data.decode()


def test_share_puts_it_in_public_versions_and_back(app, client, ada):
    create_small(app)
    token = csrf_from(client.get("/author/").data.decode())
    client.post("/author/ferry-fares/share", data={"csrf_token": token, "shared": "1"})
    with app.app_context():
        from webapp.services.lessons import public_versions

        assert "ferry-fares" in {v.lesson_id for v in public_versions()}
    assert "Make private" in client.get("/author/").data.decode()
    client.post("/author/ferry-fares/share", data={"csrf_token": token, "shared": "0"})
    with app.app_context():
        assert "ferry-fares" not in {v.lesson_id for v in public_versions()}


def test_export_downloads_and_import_round_trip(app, client, ada):
    create_small(app)
    exported = client.get("/author/ferry-fares/export.yaml")
    assert exported.headers["Content-Disposition"] == \
        'attachment; filename="ferry-fares.lesson.yaml"'
    zipped = client.get("/author/ferry-fares/export.zip")
    assert zipfile.ZipFile(io.BytesIO(zipped.data)).namelist() == [
        "ferry-fares/lesson.yaml", "ferry-fares/article.txt"]
    # another instructor imports the zip under a new id
    with app.app_context():
        bob = make_user("bob@example.org").get_id()
    login(client, bob)
    token = csrf_from(client.get("/author/import").data.decode())
    taken = client.post("/author/import", data={
        "csrf_token": token, "lesson_file": (io.BytesIO(zipped.data), "ferry-fares.zip")})
    assert taken.status_code == 422 and "another author" in taken.data.decode()
    renamed = exported.data.replace(b"id: ferry-fares", b"id: ferry-fares-bob")
    done = client.post("/author/import", data={
        "csrf_token": token, "lesson_file": (io.BytesIO(renamed), "mine.yaml")})
    assert done.status_code == 302 and done.headers["Location"].endswith(
        "/author/ferry-fares-bob/edit")
    with app.app_context():
        from webapp.services.lessons import current_version, lesson_of

        theirs = lesson_of(current_version("ferry-fares"))
        mine = lesson_of(current_version("ferry-fares-bob"))
        assert mine.model_copy(update={"id": "ferry-fares"}) == theirs
        assert current_version("ferry-fares-bob").shared is False
    # importing it again, changed, makes version 2 of bob's lesson
    changed = renamed.replace(b"Ferry fares", b"Ferry fares, imported again")
    again = client.post("/author/import", data={
        "csrf_token": token, "lesson_file": (io.BytesIO(changed), "mine.yaml")},
        follow_redirects=True)
    assert "as version 2" in again.data.decode()


def test_import_errors_are_all_listed(client, ada):
    token = csrf_from(client.get("/author/import").data.decode())
    bad = small_yaml().replace("points: 2", "points: lots").replace("level: introductory",
                                                                   "level: easy")
    response = client.post("/author/import", data={
        "csrf_token": token, "lesson_file": (io.BytesIO(bad.encode()), "bad.yaml")})
    assert response.status_code == 422
    html = response.data.decode()
    assert "2 problem(s) found" in html
    assert "<code>level</code>" in html and "<code>rubric[0].points</code>" in html
    empty = client.post("/author/import", data={"csrf_token": token})
    assert empty.status_code == 422 and "Choose a lesson file" in empty.data.decode()
    broken = client.post("/author/import", data={
        "csrf_token": token, "lesson_file": (io.BytesIO(b"PK\x03\x04junk"), "x.zip")})
    assert broken.status_code == 422 and "not a readable zip" in broken.data.decode()


def test_preview_shows_the_lesson_as_learners_see_it(app, client, ada):
    create_small(app)
    html = client.get("/author/ferry-fares/preview").data.decode()
    assert 'id="reader"' in html  # the learner's own reading template
    assert "the new timetable proves the ferry is losing money" in html
    assert "What does the council offer as proof?" in html
    assert "Look at the second paragraph." in html
    assert "A timetable shows when boats sail" not in html  # no model answers before submission


def test_try_the_rubric_shows_item_credit_confidence_and_feedback(app, client, ada):
    create_small(app)
    page = client.get("/author/ferry-fares/try").data.decode()
    fields = form_fields(page)
    fields.update({"exact": "the new timetable proves the ferry is losing money",
                   "prompt_id": "proof",
                   "note": "A timetable does not show money; there are no accounts."})
    html = client.post("/author/ferry-fares/try", data=fields).data.decode()
    assert re.search(r'data-result="item">A timetable taken as proof of losses', html)
    assert re.search(r'data-result="credit">1 \(full\)', html)
    assert re.search(r'data-result="confidence">0\.\d\d', html)
    assert "Right: a timetable is no evidence of losses." in html
    fields["note"] = ""
    response = client.post("/author/ferry-fares/try", data=fields)
    assert response.status_code == 422
    assert "Write the explanation" in _error_beside(response.data.decode(), "note")
    fields.update({"note": "x" * 2001})
    assert client.post("/author/ferry-fares/try", data=fields).status_code == 422


def test_yaml_editor_edits_into_a_new_version_and_keeps_the_id(app, client, ada):
    create_small(app)
    fields = form_fields(client.get("/author/ferry-fares/yaml").data.decode())
    assert "article_text: |" in fields["document"]
    assert "the new timetable proves the ferry is losing money" in fields["document"]
    renamed = fields["document"].replace("id: ferry-fares", "id: ferry-fares-2", 1)
    response = client.post("/author/ferry-fares/yaml", data={**fields, "document": renamed})
    assert response.status_code == 422 and "keeps its" in response.data.decode()
    edited = fields["document"].replace("title: Ferry fares", "title: Ferry fares, edited")
    response = client.post("/author/ferry-fares/yaml", data={**fields, "document": edited},
                           follow_redirects=True)
    assert "Saved as version 2" in response.data.decode()


def test_a_lesson_larger_than_the_file_limit_is_refused(app, client, ada):
    app.config["LESSON_FILE_MAX_BYTES"] = 4000
    fields = form_fields(client.get("/author/new/yaml").data.decode())
    big = small_yaml(article=ARTICLE + "\n\n" + "More words here. " * 300)
    response = client.post("/author/new/yaml", data={**fields, "document": big})
    assert response.status_code == 422 and "larger than 4000 bytes" in response.data.decode()


def test_private_lessons_stay_out_of_the_library_until_shared(app, client, ada):
    create_small(app)
    assert client.get("/lessons/ferry-fares").status_code == 404
    assert "Ferry fares" not in client.get("/").data.decode()
    token = csrf_from(client.get("/author/").data.decode())
    client.post("/author/ferry-fares/share", data={"csrf_token": token, "shared": "1"})
    assert "Ferry fares" in client.get("/").data.decode()
    assert client.get("/lessons/ferry-fares").status_code == 200


def test_the_editor_says_where_the_lesson_is_assigned(app, client, ada):
    create_small(app)
    with app.app_context():
        from webapp.models import User
        from webapp.services import classes

        user = db.session.query(User).filter_by(email="ada@example.org").one()
        classes.create_assignment(classes.create_classroom(user, "Year 10"), user,
                                  lesson_id="ferry-fares")
    html = client.get("/author/ferry-fares/edit").data.decode()
    assert "Versions (1) · assigned in 1 class assignment(s)" in html


SHIPPED = sorted(p.name for p in (Path(__file__).resolve().parent.parent / "lessons").iterdir()
                 if (p / "lesson.yaml").is_file())


@pytest.mark.parametrize("lesson_dir", SHIPPED)
def test_the_form_editor_round_trips_every_shipped_lesson(app, client, ada, lesson_dir):
    """Every field of a real lesson survives the form: saving it unchanged makes no version."""
    lesson, errors = load_lesson_dir(Path(__file__).resolve().parent.parent / "lessons" /
                                     lesson_dir)
    assert errors == []
    with app.app_context():
        from webapp.models import User

        user = db.session.query(User).filter_by(email="ada@example.org").one()
        authoring.create_lesson(lesson.model_copy(update={"id": "copy"}), user)
    fields = form_fields(client.get("/author/copy/edit").data.decode())
    response = client.post("/author/copy/edit", data={**fields, "action": "save"},
                           follow_redirects=True)
    assert "No changes to save: still version 1" in response.data.decode()


def test_start_from_a_copy_of_a_library_lesson(app, client, ada):
    assert "russia-coup" in client.get("/author/").data.decode()
    page = client.get("/author/new?from=russia-coup").data.decode()
    fields = form_fields(page)
    assert fields["id"] == "" and fields["title"].endswith("(adapted)")
    response = client.post("/author/new", data={**fields, "id": "my-coup", "action": "save"})
    assert response.status_code == 302
    with app.app_context():
        from webapp.services.lessons import current_version, lesson_of

        original = lesson_of(current_version("russia-coup"))
        copy = lesson_of(current_version("my-coup"))
        assert copy.model_copy(update={"id": original.id, "title": original.title}) == original
        assert current_version("russia-coup").version == 1  # the original is untouched
    # another author's private lesson cannot be copied
    with app.app_context():
        make_user("bob@example.org")
    create_small(app, email="bob@example.org")
    assert client.get("/author/new?from=ferry-fares").status_code == 404
    assert client.get("/author/new?from=no-such-lesson").status_code == 404


def test_earlier_versions_can_be_previewed(app, client, ada):
    create_small(app)
    with app.app_context():
        from webapp.models import User

        user = db.session.query(User).filter_by(email="ada@example.org").one()
        authoring.update_lesson("ferry-fares", small_lesson(
            article=ARTICLE.replace("by a third", "by half")), user)
    newest = client.get("/author/ferry-fares/preview").data.decode()
    assert "by half" in newest and "an earlier version" not in newest
    old = client.get("/author/ferry-fares/preview?version=1").data.decode()
    assert "by a third" in old and "by half" not in old
    assert "Preview of version 1, an earlier version" in old
    assert "?version=1" in client.get("/author/ferry-fares/edit").data.decode()
    assert client.get("/author/ferry-fares/preview?version=9").status_code == 404
    with app.app_context():
        login(client, make_user("bob@example.org").get_id())
    assert client.get("/author/ferry-fares/preview?version=1").status_code == 404

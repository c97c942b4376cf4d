"""Authoring in real Chromium: write a small lesson, pick its passage by selecting it in the
article, save, preview it, try the rubric and read the credit; and an axe check of every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.mouse import drag_across
from tests.test_authoring_service import ARTICLE, make_user, small_lesson
from webapp.content import served_text
from webapp.services import authoring

PASSAGE = "the new timetable proves the ferry is losing money"
SECOND = "fewer people take the ferry"


def log_in(context, live_server, email: str = "ada@example.org") -> None:
    """A signed session cookie for a new instructor (the login form is tested elsewhere)."""
    app = live_server.app
    with app.app_context():
        user_id = make_user(email).get_id()
    cookie = app.session_interface.get_signing_serializer(app).dumps(
        {"_user_id": user_id, "_fresh": True})
    context.add_cookies([{"name": app.config["SESSION_COOKIE_NAME"], "value": cookie,
                          "url": live_server.url}])


def select_text(page, container_id: str, phrase: str) -> None:
    """Drag the mouse across ``phrase`` inside the element ``container_id``."""
    drag_across(page, phrase, container_id)
    assert page.evaluate("() => window.getSelection().toString().trim()") == phrase


def test_write_pick_save_preview_and_try_the_rubric(page, context, live_server):
    log_in(context, live_server)
    base = live_server.url
    page.goto(f"{base}/author/new")
    page.fill("#id", "ferry-fares")
    page.fill("#title", "Ferry fares")
    page.fill("#summary", "A short piece on ferry fares.")
    page.select_option("#level", "introductory")
    page.fill("#estimated_minutes", "10")
    page.fill("#teacher_note", "Learners accept the timetable as proof.")
    page.fill("#article_text", ARTICLE)
    page.fill("#prompts-0-id", "proof")
    page.fill("#prompts-0-text", "What does the council offer as proof?")
    page.fill("#prompts-0-hints", "Look at the second paragraph.")

    # a second prompt, added and then removed again without a round trip to the server
    page.get_by_role("button", name="Add a prompt").click()
    expect(page.locator("#prompts-1-text")).to_be_focused()
    page.locator("[data-list-remove='prompts-1']").click()
    expect(page.locator("#prompts-1-text")).to_have_count(0)

    item = page.locator("[data-entry='rubric-0']")
    page.fill("#rubric-0-title", "A timetable taken as proof of losses")
    page.fill("#rubric-0-points", "2")
    page.fill("#rubric-0-prompts", "proof")
    # the passage: selected in the article beside the form, then added to the item
    expect(page.locator("#article-picker")).to_contain_text("losing money")
    select_text(page, "article-picker", PASSAGE)
    item.get_by_role("button", name="Add the selected passage").click()
    expect(page.locator("#rubric-0-passages")).to_have_value(PASSAGE)
    expect(page.locator("#picker-status")).to_contain_text("Passage added")
    # the keyboard path: select with Shift+arrows in the Article box, then add it to the item
    page.focus("#article_text")
    page.evaluate("(at) => document.getElementById('article_text').setSelectionRange(at, at)",
                  ARTICLE.index(SECOND))
    for _ in SECOND:
        page.keyboard.press("Shift+ArrowRight")
    expect(page.locator("#picker-status")).to_contain_text(f"Selected: “{SECOND}”")
    item.get_by_role("button", name="Add the selected passage").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#rubric-0-passages")).to_have_value(f"{PASSAGE}\n{SECOND}")
    page.fill("#rubric-0-passages", PASSAGE)
    page.fill("#rubric-0-premise", "That a timetable shows the ferry's finances.")
    page.fill("#rubric-0-why_it_matters", "A schedule says nothing about costs or takings.")
    page.fill("#rubric-0-key_ideas-0-label", "a timetable is not financial evidence")
    page.fill("#rubric-0-key_ideas-0-phrasings",
              "a timetable does not show money\nno accounts are given")
    item.get_by_role("button", name="Add a key idea").click()
    page.fill("#rubric-0-key_ideas-1-label", "fewer passengers since the bridge")
    page.fill("#rubric-0-key_ideas-1-phrasings", "the bridge took the passengers")
    page.fill("#rubric-0-feedback-full", "Right: a timetable is no evidence of losses.")
    page.fill("#rubric-0-feedback-partial", "What would actually show a loss?")
    page.fill("#rubric-0-feedback-missed", "Look at what the council offers as proof.")
    page.fill("#rubric-0-model_answer", "A timetable shows sailings, not money.")
    page.locator(".save-bar button").first.click()

    expect(page).to_have_url(f"{base}/author/ferry-fares/edit")
    expect(page.locator(".flashes")).to_contain_text("saved (version 1)")
    expect(page.locator("#rubric-0-passages")).to_have_value(PASSAGE)
    expect(page.locator("#rubric-0-key_ideas-1-label")).to_have_value(
        "fewer passengers since the bridge")
    with live_server.app.app_context():
        from webapp.services.lessons import current_version, lesson_of

        stored = lesson_of(current_version("ferry-fares"))
        assert stored.rubric[0].passages == [PASSAGE]
        assert [p.id for p in stored.prompts] == ["proof"]

    page.get_by_role("link", name="Preview").click()
    expect(page).to_have_url(f"{base}/author/ferry-fares/preview")
    expect(page.get_by_role("heading", name="Ferry fares", exact=True)).to_be_visible()
    expect(page.locator("#article")).to_contain_text(PASSAGE)
    expect(page.get_by_text("What does the council offer as proof?")).to_be_visible()

    page.get_by_role("link", name="Try the rubric").click()
    expect(page).to_have_url(f"{base}/author/ferry-fares/try")
    page.wait_for_load_state("load")
    select_text(page, "article", PASSAGE)
    expect(page.locator("#picker-status")).to_contain_text("Passage chosen")
    expect(page.locator("#exact")).to_have_value(PASSAGE)
    start = served_text(ARTICLE).index(PASSAGE)  # offsets count into the text as served
    expect(page.locator("#start")).to_have_value(str(start))
    page.select_option("#prompt_id", "proof")
    page.fill("#note", "A timetable does not show any money, so it proves no loss.")
    page.get_by_role("button", name="Score this annotation").click()
    expect(page.locator("[data-result='item']")).to_contain_text(
        "A timetable taken as proof of losses")
    expect(page.locator("[data-result='credit']")).to_have_text("1 (full)")
    expect(page.locator("[data-result='confidence']")).to_have_text(re.compile(r"0\.\d\d|1\.00"))
    expect(page.locator("[data-result='feedback']")).to_contain_text("Right:")


def test_errors_appear_beside_fields_in_the_browser(page, context, live_server):
    log_in(context, live_server)
    page.goto(f"{live_server.url}/author/new")
    page.fill("#id", "Not A Slug")
    page.fill("#article_text", ARTICLE)
    page.fill("#rubric-0-passages", "a sentence that is not in the article")
    page.locator(".save-bar button").first.click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#id")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id-errors")).to_be_visible()
    expect(page.locator("#title-errors")).to_contain_text("required")
    expect(page.locator("#rubric-0-passages")).to_have_value(
        "a sentence that is not in the article")


AXE_PAGES = ["/author/", "/author/new", "/author/new/yaml", "/author/import",
             "/author/ferry-fares/edit", "/author/ferry-fares/yaml",
             "/author/ferry-fares/preview", "/author/ferry-fares/try"]


@pytest.fixture
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def _serious(results) -> list[str]:
    return [f"{v['id']} ({v['impact']}): {v['help']} at "
            f"{[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def test_authoring_pages_pass_axe(page, context, live_server, axe):
    log_in(context, live_server)
    with live_server.app.app_context():
        from webapp.extensions import db
        from webapp.models import User

        ada = db.session.query(User).filter_by(email="ada@example.org").one()
        authoring.create_lesson(small_lesson(), ada)
    problems = {}
    for path in AXE_PAGES:
        page.goto(live_server.url + path)
        found = _serious(axe.run(page))
        if found:
            problems[path] = found
    # with validation errors shown, and with a scored sample
    page.goto(f"{live_server.url}/author/new")
    page.fill("#id", "Not A Slug")
    page.locator(".save-bar button").first.click()
    problems.update({"/author/new (errors)": f} for f in [_serious(axe.run(page))] if f)
    page.goto(f"{live_server.url}/author/ferry-fares/try")
    page.fill("#exact", PASSAGE)
    page.fill("#note", "A timetable does not show money.")
    page.get_by_role("button", name="Score this annotation").click()
    expect(page.locator("[data-result='credit']")).to_be_visible()
    problems.update({"/author/ferry-fares/try (result)": f} for f in [_serious(axe.run(page))] if f)
    assert problems == {}


def test_the_editor_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    try:
        log_in(context, live_server)
        page = context.new_page()
        base = live_server.url
        page.goto(f"{base}/author/new")
        expect(page.get_by_role("button", name="Add the selected passage")).to_be_hidden()
        page.fill("#id", "ferry-fares")
        page.fill("#title", "Ferry fares")
        page.fill("#summary", "A short piece on ferry fares.")
        page.fill("#teacher_note", "Learners accept the timetable as proof.")
        page.fill("#article_text", ARTICLE)
        page.fill("#prompts-0-text", "What does the council offer as proof?")
        page.fill("#prompts-0-hints", "Look at the second paragraph.")
        page.fill("#rubric-0-title", "A timetable taken as proof of losses")
        page.fill("#rubric-0-points", "2")
        page.fill("#rubric-0-passages", PASSAGE)  # typed, since nothing can be selected into it
        page.fill("#rubric-0-key_ideas-0-label", "a timetable is not financial evidence")
        page.fill("#rubric-0-key_ideas-0-phrasings", "a timetable does not show money")
        # the server adds the entry and sends the form back with everything typed so far
        page.locator("[data-entry='rubric-0']").get_by_role("button",
                                                           name="Add a misreading").click()
        expect(page.locator("#rubric-0-misreadings-0-label")).to_be_visible()
        expect(page.locator("#rubric-0-passages")).to_have_value(PASSAGE)
        page.fill("#rubric-0-misreadings-0-label", "agrees fares must rise")
        page.fill("#rubric-0-misreadings-0-phrasings", "fares should rise")
        page.fill("#rubric-0-misreadings-0-feedback", "That accepts the council's claim.")
        page.fill("#rubric-0-premise", "That a timetable shows the ferry's finances.")
        page.fill("#rubric-0-why_it_matters", "A schedule says nothing about costs.")
        page.fill("#rubric-0-feedback-full", "Right.")
        page.fill("#rubric-0-feedback-partial", "What would show a loss?")
        page.fill("#rubric-0-feedback-missed", "Look at the proof offered.")
        page.fill("#rubric-0-model_answer", "A timetable shows sailings, not money.")
        page.locator(".save-bar button").first.click()
        expect(page).to_have_url(f"{base}/author/ferry-fares/edit")
        expect(page.locator(".flashes")).to_contain_text("saved (version 1)")
        expect(page.locator("#rubric-0-misreadings-0-label")).to_have_value(
            "agrees fares must rise")
    finally:
        context.close()


def test_entries_added_by_script_reach_the_server_with_their_names(page, context, live_server):
    log_in(context, live_server)
    page.goto(f"{live_server.url}/author/new")
    page.get_by_role("button", name="Add a rubric item").click()
    second = page.locator("[data-entry='rubric-1']")
    expect(second).to_have_count(1)
    expect(page.locator("#rubric-1-title")).to_be_focused()
    # the new item's own lists work too: their templates were renamed with it
    second.get_by_role("button", name="Add a key idea").click()
    second.get_by_role("button", name="Add a partial idea").click()
    second.get_by_role("button", name="Add a misreading").click()
    page.fill("#rubric-1-title", "Second item")
    page.fill("#rubric-1-key_ideas-1-label", "second key idea")
    page.fill("#rubric-1-partial_ideas-0-label", "a partial idea")
    page.fill("#rubric-1-misreadings-0-label", "a misreading")
    page.fill("#article_text", ARTICLE)
    # removing the first item leaves a gap in the numbering, which the server accepts
    page.locator("[data-list-remove='rubric-0']").click()
    expect(page.locator("[data-entry='rubric-0']")).to_have_count(0)
    page.locator(".save-bar button").first.click()
    # not a valid lesson yet: the page comes back with the entries as typed, renumbered
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#rubric-0-title")).to_have_value("Second item")
    expect(page.locator("#rubric-0-key_ideas-1-label")).to_have_value("second key idea")
    expect(page.locator("#rubric-0-partial_ideas-0-label")).to_have_value("a partial idea")
    expect(page.locator("#rubric-0-misreadings-0-label")).to_have_value("a misreading")
    expect(page.locator("#rubric-1-title")).to_have_count(0)

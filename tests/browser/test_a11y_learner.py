"""Accessibility (axe-core) of the learner pages: no serious or critical violation."""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

AXE = Axe()
BLOCKING = {"serious", "critical"}


def assert_accessible(page, where: str) -> None:
    results = AXE.run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in BLOCKING]
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
                    for n in v["nodes"][:5])
        for v in bad)
    assert not bad, f"{where}:\n{details}"


def test_learner_pages_pass_axe(page):
    page.goto(page.base_url + "/")
    assert_accessible(page, "library")
    page.goto(page.base_url + "/?level=intermediate")
    assert_accessible(page, "library, filtered")

    page.goto(page.base_url + "/lessons/russia-coup")
    assert_accessible(page, "reading view")

    # Annotate with the keyboard, open a hint, and check the editor dialog and the filled page.
    page.get_by_role("button", name="Select by sentence").click()
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog", name="New annotation")).to_be_visible()
    assert_accessible(page, "reading view, editor open")
    page.locator("#editor-prompt").select_option("the-event")
    page.locator("#editor-note").fill("The coup never happened; Putin is still in power.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#status")).to_have_text("Saved.")
    page.locator("#prompt-the-event").get_by_role("button", name=re.compile("Show a hint")).click()
    expect(page.locator("#prompt-the-event .hint")).to_have_count(1)
    page.keyboard.press("Escape")
    assert_accessible(page, "reading view with an annotation and a hint")

    page.get_by_role("button", name="Submit for feedback").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    assert_accessible(page, "results")

    # The check itself works: an image without a text alternative is caught.
    page.evaluate("() => document.querySelector('main').append(document.createElement('img'))")
    violations = AXE.run(page).response["violations"]
    assert any(v["id"] == "image-alt" and v["impact"] in BLOCKING for v in violations)


def test_every_shipped_lesson_passes_axe(page):
    """Each lesson in lessons/ (reading view and results) has no serious or critical violation."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent.parent / "lessons"
    lesson_ids = sorted(p.name for p in root.iterdir() if (p / "lesson.yaml").is_file())
    assert len(lesson_ids) >= 4
    for lesson_id in lesson_ids:
        page.goto(f"{page.base_url}/lessons/{lesson_id}")
        expect(page.locator("#reader.is-enhanced")).to_have_count(1)
        assert_accessible(page, f"reading view of {lesson_id}")
        page.get_by_role("button", name="Select by sentence").click()
        page.keyboard.press("Enter")
        dialog = page.get_by_role("dialog", name="New annotation")
        expect(dialog).to_be_visible()
        page.locator("#editor-prompt").select_option(index=1)
        page.locator("#editor-note").fill("This takes for granted something it never shows.")
        page.get_by_role("button", name="Save").click()
        expect(page.locator("#status")).to_have_text("Saved.")
        page.get_by_role("button", name="Submit for feedback").click()
        expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
        assert_accessible(page, f"results of {lesson_id}")

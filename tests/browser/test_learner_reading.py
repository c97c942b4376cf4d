"""The learner path in real Chromium: annotate with the mouse and the keyboard, reload, edit,
delete, use a hint, submit, read the results; and the same page with JavaScript off."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.mouse import drag_across, phrase_box

PHRASE = "Russian-backed separatist forces in eastern Ukraine"


def select_phrase(page, phrase: str) -> None:
    """Drag the mouse across ``phrase`` in the article, like a reader would."""
    drag_across(page, phrase)


def highlight_count(page) -> int:
    return page.evaluate(
        "() => CSS.highlights.get('pf-annotation').size + CSS.highlights.get('pf-active').size")


def test_mouse_annotate_reload_edit_delete(page):
    page.goto(page.base_url + "/lessons/russia-coup")
    select_phrase(page, PHRASE)
    assert page.evaluate("() => window.getSelection().toString()") == PHRASE
    page.get_by_role("button", name="Annotate", exact=True).click()
    dialog = page.get_by_role("dialog", name="New annotation")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#editor-quote")).to_have_text(PHRASE)
    expect(dialog.get_by_role("button", name="Delete")).to_be_hidden()
    dialog.get_by_label("Prompt it answers").select_option("the-enemy")
    dialog.get_by_label("What does this passage take for granted?").fill(
        "Separatists fit 2014; since the 2022 invasion Ukraine fights Russia's own army.")
    dialog.get_by_role("button", name="Save").click()
    expect(page.locator("#status")).to_have_text("Saved.")
    expect(dialog).to_be_hidden()
    items = page.locator("#annotation-list > li")
    expect(items).to_have_count(1)
    expect(items.first.locator(".quote")).to_have_text(PHRASE)

    page.reload()
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("since the 2022 invasion")
    assert highlight_count(page) == 1

    # Clicking the highlighted words opens the note.
    box = phrase_box(page, "separatist forces")
    page.mouse.click(box["x1"] + 10, box["y1"])
    dialog = page.get_by_role("dialog", name="Edit annotation")
    expect(dialog).to_be_visible()
    note = dialog.get_by_label("What does this passage take for granted?")
    expect(note).to_have_value(re.compile("since the 2022 invasion"))
    note.fill("Outdated: before 2022 the enemy was separatists; now it is Russia's regular army.")
    dialog.get_by_role("button", name="Save").click()
    expect(page.locator("#status")).to_have_text("Saved.")
    page.reload()
    expect(items.first).to_contain_text("Russia's regular army")

    # From the list: Edit opens the note, and focus comes back to the button afterwards.
    edit = items.first.get_by_role("button", name=re.compile("^Edit"))
    edit.click()
    dialog = page.get_by_role("dialog", name="Edit annotation")
    dialog.get_by_role("button", name="Cancel").click()
    expect(edit).to_be_focused()
    page.keyboard.press("Enter")
    dialog.get_by_label("Prompt it answers").select_option("the-evidence")
    dialog.get_by_role("button", name="Save").click()
    expect(page.locator("#status")).to_have_text("Saved.")
    expect(items.first.get_by_role("button", name=re.compile("^Edit"))).to_be_focused()
    expect(items.first.locator(".ann-prompt")).to_have_text("Prompt 4")

    # Cancel and reopen faster than the dialog's queued close event: the reopened edit still saves.
    page.evaluate("""() => {
        const edit = document.querySelector("#annotation-list [data-edit-id]");
        edit.click();
        document.getElementById("editor-cancel").click();
        edit.click();
    }""")
    dialog = page.get_by_role("dialog", name="Edit annotation")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Prompt it answers").select_option("the-enemy")
    dialog.get_by_role("button", name="Save").click()
    expect(page.locator("#status")).to_have_text("Saved.")
    expect(items.first.locator(".ann-prompt")).to_have_text("Prompt 2")

    items.first.get_by_role("button", name=re.compile("^Delete")).click()
    expect(page.locator("#status")).to_have_text("Annotation deleted.")
    expect(items).to_have_count(0)
    page.reload()
    expect(items).to_have_count(0)
    assert highlight_count(page) == 0


def test_errors_keep_the_note(page):
    page.goto(page.base_url + "/lessons/russia-coup")
    # A drag that starts above the article keeps the part inside it.
    box = phrase_box(page, "The recent coup")
    page.mouse.move(box["x1"] + 2, box["y1"] - 150)
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=5)
    page.mouse.up()
    page.get_by_role("button", name="Annotate", exact=True).click()
    expect(page.locator("#editor-quote")).to_have_text("The recent coup")
    page.get_by_role("button", name="Cancel").click()
    select_phrase(page, "The recent coup in Russia")
    page.get_by_role("button", name="Annotate", exact=True).click()
    dialog = page.get_by_role("dialog", name="New annotation")
    dialog.get_by_label("Prompt it answers").select_option("the-event")
    long_note = "x" * 2001
    dialog.get_by_label("What does this passage take for granted?").fill(long_note)
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.locator("#editor-note-error")).to_contain_text("the limit is 2,000")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("What does this passage take for granted?")).to_have_value(long_note)
    expect(page.locator("#annotation-list > li")).to_have_count(0)

    # A note not saved yet survives a reload, and is saved once shortened.
    page.reload()
    dialog = page.get_by_role("dialog", name="New annotation")
    expect(dialog).to_be_visible()
    note = dialog.get_by_label("What does this passage take for granted?")
    expect(note).to_have_value(long_note)
    expect(dialog.locator("#editor-quote")).to_have_text("The recent coup in Russia")
    note.fill("No such coup ever happened.")
    dialog.get_by_role("button", name="Save").click()
    expect(page.locator("#status")).to_have_text("Saved.")
    page.reload()
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(page.locator("#annotation-list > li .quote")).to_have_text("The recent coup in Russia")


def test_keyboard_hint_submit_results(page):
    page.goto(page.base_url + "/lessons/russia-coup")
    expect(page.get_by_role("link", name="Choose a sentence")).to_be_hidden()
    expect(page.locator("form.annotate-form")).to_be_hidden()
    mode = page.get_by_role("button", name="Select by sentence")
    mode.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#article")).to_be_focused()
    expect(page.locator("#status")).to_contain_text("Sentence 1 of")
    page.keyboard.press("Shift+ArrowDown")
    expect(page.locator("#status")).to_contain_text("Sentences 1 to 2 of")
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="New annotation")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#editor-quote")).to_contain_text("The recent coup in Russia")
    expect(dialog.locator("#editor-quote")).to_contain_text("turn the tide in Ukraine’s favor.")
    expect(dialog.get_by_label("Prompt it answers")).to_be_focused()
    dialog.get_by_label("Prompt it answers").select_option("the-event")
    page.keyboard.press("Tab")
    page.keyboard.type("The coup never happened: Putin is still in power, and no date or source "
                       "is given.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#status")).to_have_text("Saved.")
    expect(page.locator("#annotation-list > li")).to_have_count(1)

    # Back in the article: the next sentence, narrowed to some of its words.
    expect(page.locator("#article")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.locator("#status")).to_contain_text("Sentence 3 of")
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    # The prompt chosen last time is kept, so the note has focus; the words field is before it.
    expect(dialog.get_by_label("What does this passage take for granted?")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    expect(dialog.get_by_label("Only these words of it (optional)")).to_be_focused()
    page.keyboard.type("step up its attacks and defend its sovereignty")
    page.keyboard.press("Tab")
    dialog.get_by_label("Prompt it answers").select_option("the-costs")
    page.keyboard.press("Tab")
    page.keyboard.type("Attacking is treated as the same thing as defending.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#status")).to_have_text("Saved.")
    expect(page.locator("#annotation-list .quote")).to_have_text([
        re.compile("^The recent coup in Russia"), "step up its attacks and defend its sovereignty"])

    # A hint, revealed one at a time.
    prompt = page.locator("#prompt-the-enemy")
    prompt.get_by_role("button", name="Show a hint (1 of 2)").click()
    expect(prompt.locator(".hint")).to_have_count(1)
    expect(prompt.get_by_role("button", name="Show a hint (2 of 2)")).to_be_visible()

    page.reload()
    expect(prompt.locator(".hint")).to_have_count(1)
    page.get_by_role("button", name="Submit for feedback").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    expect(page.locator("#score")).to_contain_text("out of 11 points")
    expect(page.locator("#hints-used")).to_have_text("1")
    coup = page.locator("#item-hypothetical-coup")
    expect(coup.locator(".item-state")).to_have_text("Found")
    expect(page.locator("#item-outdated-separatist-framing .item-state")).to_have_text("Missed")
    expect(coup.locator(".model-answer")).to_contain_text("Putin remains in power")
    expect(page.locator(".feedback-item")).to_have_count(2)
    expect(page.locator(".feedback-item .credit").first).to_contain_text("Full credit")
    assert page.locator(".results-text mark.hl-model").count() > 0

    page.get_by_role("button", name="Try again").click()
    expect(page.locator("#annotation-list > li")).to_have_count(2)
    expect(page.locator("#annotation-list")).to_contain_text("The coup never happened")


def test_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/lessons/russia-coup")
        # Without scripts the sentence form is open, and the tools above the text point to it.
        expect(page.get_by_role("link", name="Choose a sentence")).to_be_visible()
        expect(page.get_by_role("button", name="Select by sentence")).to_be_hidden()
        form = page.locator("form.annotate-form")
        expect(form).to_be_visible()
        passage = page.get_by_label("Passage (a sentence of the article)")
        value = passage.locator("option", has_text="7. This power vacuum").get_attribute("value")
        passage.select_option(value)
        form.get_by_label("Only these words of it (optional)").fill(PHRASE)
        form.get_by_label("Prompt it answers").select_option("the-enemy")
        form.get_by_label("What does this passage take for granted?").fill(
            "Since 2022 Russia's own army fights Ukraine, not separatists.")
        page.get_by_role("button", name="Save annotation").click()
        expect(page.locator(".flash")).to_have_text("Annotation saved.")
        items = page.locator("#annotation-list > li")
        expect(items).to_have_count(1)
        expect(items.first.locator(".quote")).to_have_text(PHRASE)
        expect(page.locator("#article mark.hl-own")).to_have_text(PHRASE)

        # An empty note is refused with a message next to the field; the choices stay.
        page.get_by_label("Passage (a sentence of the article)").select_option(index=1)
        form.get_by_label("Prompt it answers").select_option("the-event")
        page.get_by_role("button", name="Save annotation").click()
        expect(page.locator("#new-note-err")).to_contain_text("the explanation is empty")
        expect(form.get_by_label("Prompt it answers")).to_have_value("the-event")

        page.goto(live_server.url + "/lessons/russia-coup")
        items.first.get_by_role("link", name="Edit").click()
        page.locator("#edit").get_by_label("What does this passage take for granted?").fill(
            "It describes the war as it was before the 2022 invasion.")
        page.get_by_role("button", name="Save changes").click()
        expect(items.first).to_contain_text("before the 2022 invasion")
        items.first.get_by_role("button", name="Delete").click()
        expect(page.locator(".flash")).to_have_text("Annotation deleted.")
        expect(items).to_have_count(0)
    finally:
        context.close()


def test_mark_fallback_without_highlight_api(page):
    """Browsers without the CSS Custom Highlight API get <mark> elements that open their note."""
    page.add_init_script("delete window.Highlight")
    page.goto(page.base_url + "/lessons/russia-coup")
    select_phrase(page, PHRASE)
    page.get_by_role("button", name="Annotate", exact=True).click()
    dialog = page.get_by_role("dialog", name="New annotation")
    dialog.get_by_label("Prompt it answers").select_option("the-enemy")
    dialog.get_by_label("What does this passage take for granted?").fill("Outdated framing.")
    dialog.get_by_role("button", name="Save").click()
    expect(page.locator("#status")).to_have_text("Saved.")
    page.reload()
    marks = page.locator("#article mark.pf-mark")
    expect(marks).to_have_text([PHRASE])
    marks.first.click()
    expect(page.get_by_role("dialog", name="Edit annotation")).to_be_visible()
    # Offsets still count from the text, marks or not: annotate the sentence after the mark.
    page.get_by_role("button", name="Cancel").click()
    select_phrase(page, "With Russia preoccupied")
    page.get_by_role("button", name="Annotate", exact=True).click()
    dialog = page.get_by_role("dialog", name="New annotation")
    dialog.get_by_label("Prompt it answers").select_option("the-chain")
    dialog.get_by_label("What does this passage take for granted?").fill("Assumes distraction.")
    dialog.get_by_role("button", name="Save").click()
    expect(page.locator("#status")).to_have_text("Saved.")
    quotes = page.locator("#annotation-list .quote")
    expect(quotes).to_have_text([PHRASE, "With Russia preoccupied"])

"""The classroom in real Chromium: an instructor sets up a class and an assignment, two learners
(separate browsers) join and submit, the instructor overrides a credit with a comment and
downloads the gradebook, and the learner reads the comment."""

from __future__ import annotations

import csv
import io
import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.mouse import drag_across

COUP = "The recent coup in Russia, which saw the overthrow of President Vladimir Putin’s regime"
AXE = Axe()
COMMENT = "Right instinct: now say why. No such coup took place; Putin is still in power."


def _accessible(page, where: str) -> None:
    """No serious or critical axe-core violation on the page as it is now."""
    violations = [v for v in AXE.run(page).response["violations"]
                  if v.get("impact") in {"serious", "critical"}]
    assert not violations, f"{where}: " + "; ".join(
        f"{v['id']} ({v['impact']}) at {[n['target'] for n in v['nodes'][:3]]}"
        for v in violations)


def _watch(page, errors: list[str]) -> None:
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    page.on("console", lambda msg: errors.append(f"console: {msg.text}")
            if msg.type == "error" and "status of 4" not in msg.text else None)


def _learner_joins_and_submits(browser, base: str, code: str, name: str, note: str,
                               errors: list[str]):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    _watch(page, errors)
    page.goto(base + "/classes/")
    _accessible(page, "my classes (not joined)")
    join_form = page.locator("form[action$='/classes/join']")
    join_form.get_by_label("Class code").fill(code.lower())
    join_form.get_by_label("Your name in this class").fill(name)
    join_form.get_by_role("button", name="Join").click()
    expect(page.locator(".flash")).to_contain_text(f"as {name}")
    expect(page.locator(".rejoin-code")).to_have_count(1)
    _accessible(page, "my classes")
    page.get_by_role("link", name="Coup op-ed").click()
    expect(page.locator("#reader.is-enhanced")).to_have_count(1)  # the reader script is running
    drag_across(page, COUP)
    page.get_by_role("button", name="Annotate", exact=True).click()
    dialog = page.get_by_role("dialog", name="New annotation")
    dialog.get_by_label("Prompt it answers").select_option("the-event")
    dialog.get_by_label("What does this passage take for granted?").fill(note)
    dialog.get_by_role("button", name="Save").click()
    expect(page.locator("#status")).to_have_text("Saved.")
    page.get_by_role("button", name="Submit for feedback").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    return context, page


def test_instructor_class_two_learners_override_and_gradebook(page, browser, tmp_path):
    base = page.base_url
    errors: list[str] = []

    # The instructor signs up, creates a class and assigns the seed lesson.
    page.goto(base + "/auth/signup")
    _accessible(page, "sign-up")
    page.get_by_label("Your name").fill("Ms Rivera")
    page.get_by_label("Email").fill("rivera@example.org")
    page.get_by_label("Password", exact=True).fill("a long enough password")
    page.get_by_label("Repeat the password").fill("a long enough password")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="My classes")).to_be_visible()
    page.get_by_label("Class name").fill("Period 3 civics")
    page.get_by_role("button", name="Create class").click()
    expect(page.get_by_role("heading", name="Period 3 civics")).to_be_visible()
    _accessible(page, "class page")
    code = page.locator("#join-code").inner_text().replace("-", "")
    assert len(code) == 6
    page.get_by_role("link", name="Assign a lesson").click()
    _accessible(page, "new assignment")
    page.get_by_label("Lesson").select_option("russia-coup")
    page.get_by_label("Title shown to learners (optional)").fill("Coup op-ed")
    page.get_by_label("Attempts allowed (empty: no limit)").fill("2")
    page.get_by_role("button", name="Create assignment").click()
    expect(page.get_by_role("heading", name="Coup op-ed")).to_be_visible()
    expect(page.get_by_text("0 of 0 submitted")).to_be_visible()

    # Two learners in their own browsers join with the code and submit.
    ana_ctx, _ = _learner_joins_and_submits(
        browser, base, code, "Ana", "The coup never happened; Putin is still in power.", errors)
    ben_ctx, ben = _learner_joins_and_submits(browser, base, code, "Ben", "Grandpa says no",
                                              errors)

    # The instructor sees both submissions and overrides Ben's credit with a comment.
    page.reload()
    expect(page.get_by_text("2 of 2 submitted")).to_be_visible()
    expect(page.locator("tr", has_text="Ana")).to_contain_text("2 / 11")
    expect(page.locator("tr", has_text="Ben")).to_contain_text("0 / 11")
    _accessible(page, "assignment dashboard")
    page.get_by_role("link", name="Ben").click()
    expect(page.locator("mark.hl")).to_contain_text("The recent coup in Russia")
    card = page.locator(".annotation-card").first
    expect(card).to_contain_text("Grandpa says no")
    card.get_by_label("Credit").select_option("0.5")
    card.get_by_label("Rubric item").select_option("hypothetical-coup")
    card.get_by_label("Comment for the learner").fill(COMMENT)
    card.get_by_role("button", name="Save decision").click()
    expect(page.locator(".flash")).to_contain_text("Decision saved.")
    expect(page.locator("#effective-score")).to_have_text("1 / 11")
    _accessible(page, "submission review")

    # The gradebook download reflects the override.
    page.get_by_role("link", name="Coup op-ed").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Gradebook (CSV)").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    path = tmp_path / "gradebook.csv"
    download.save_as(path)
    rows = {r[0]: r for r in csv.reader(io.StringIO(path.read_text(encoding="utf-8")))}
    assert rows["Ana"][3] == "2" and rows["Ben"][3] == "1"
    assert rows["Ben"][6] == "0.5"  # the hypothetical-coup column

    # Ben sees the instructor's comment with his results.
    ben.reload()
    expect(ben.get_by_text(COMMENT)).to_be_visible()
    ben.goto(base + "/classes/")
    expect(ben.locator("tr", has_text="Coup op-ed")).to_contain_text("1 / 11")

    ana_ctx.close()
    ben_ctx.close()
    assert not errors, "\n".join(errors)

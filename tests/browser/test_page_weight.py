"""The reading page stays light and self-contained: < 100 KB transferred, no other host contacted.

Counted in real Chromium, every request the page makes (document, CSS, scripts, the API call its
script makes on load, fonts, images), response headers included, as served by the app without
compression (a reverse proxy that gzips makes it smaller still).
"""

from __future__ import annotations

from urllib.parse import urlsplit

PAGE_BUDGET = 100 * 1024


def _weigh(page, url: str) -> tuple[int, list[str], list[tuple[str, int]]]:
    responses = []
    page.on("requestfinished", lambda request: responses.append(request))
    other_hosts: list[str] = []
    page.on("request", lambda request: other_hosts.append(request.url)
            if urlsplit(request.url).hostname not in ("127.0.0.1", None)
            and not request.url.startswith("data:") else None)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    sizes = []
    for request in responses:
        size = request.sizes()
        sizes.append((request.url, size["responseBodySize"] + size["responseHeadersSize"]))
    return sum(s for _, s in sizes), other_hosts, sizes


def test_reading_page_weighs_under_100_kb_and_calls_no_other_host(page, live_server):
    total, other_hosts, sizes = _weigh(page, f"{live_server.url}/lessons/russia-coup")
    assert page.locator("article, .article, main").first.is_visible()
    assert any(url.endswith(".js") for url, _ in sizes), "the page's scripts were not loaded"
    assert other_hosts == []
    detail = "\n".join(f"{s:>8} {u}" for u, s in sorted(sizes, key=lambda x: -x[1]))
    assert total < PAGE_BUDGET, f"{total} bytes:\n{detail}"


def test_library_page_calls_no_other_host(page, live_server):
    _, other_hosts, sizes = _weigh(page, f"{live_server.url}/")
    assert sizes and other_hosts == []


def test_reading_page_with_ten_annotations_and_an_empty_cache_stays_under_100_kb(
        browser, context, page, live_server):
    """A learner coming back on another device: the page now lists their annotations."""
    import re

    from webapp.services.lessons import current_version, lesson_of

    url = f"{live_server.url}/lessons/russia-coup"
    page.goto(url)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.content()).group(1)
    with live_server.app.app_context():
        lesson = lesson_of(current_version("russia-coup"))
    sentences = re.findall(r"[A-Z][^.!?\n]{40,200}[.!?]", lesson.article_text)[:10]
    for n, sentence in enumerate(sentences):
        start = lesson.article_text.index(sentence)
        saved = context.request.post(
            f"{live_server.url}/api/lessons/russia-coup/annotations",
            headers={"X-CSRFToken": token},
            data={"start": start, "end": start + len(sentence), "exact": sentence,
                  "prompt_id": lesson.prompts[n % len(lesson.prompts)].id,
                  "note": "The author takes it for granted that this happened and that the "
                          "reader already agrees; no source or date is given for it."})
        assert saved.status == 201, saved.text()
    other_device = browser.new_context()
    other_device.add_cookies(context.cookies())
    try:
        returning = other_device.new_page()
        total, other_hosts, sizes = _weigh(returning, url)
        assert returning.get_by_text("no source or date is given").count() >= 10
    finally:
        other_device.close()
    assert other_hosts == []
    detail = "\n".join(f"{s:>8} {u}" for u, s in sorted(sizes, key=lambda x: -x[1]))
    assert total < PAGE_BUDGET, f"{total} bytes:\n{detail}"

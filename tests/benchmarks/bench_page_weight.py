"""Page weight: bytes Chromium transfers for the reading page, and requests to other hosts.

    python tests/benchmarks/bench_page_weight.py

Serves the app with gunicorn (as deployed, SQLite in a temporary folder) on 127.0.0.1, opens the
seed lesson's reading page in Debian's Chromium (Playwright), and counts every request the page
makes until the network is idle: document, CSS, scripts, the API call made on load. Three times: a
first visit, a return visit after saving 10 annotations (the page then lists them), and the same
with an empty cache (another device of the same learner). Prints
each resource with its size as sent (headers + body, no compression) and what gzip would make of
the body, the total against the 100 KB goal, and every request to a host other than 127.0.0.1.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent))

from bench_load import LESSON, Database, Server, lesson_plan  # noqa: E402

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

BUDGET = 100 * 1024


def weigh(page, url: str) -> tuple[list[tuple[str, int, int]], list[str]]:
    finished = []
    other_hosts = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.on("request", lambda r: other_hosts.append(r.url)
            if urlsplit(r.url).hostname not in ("127.0.0.1", None) else None)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    rows = []
    for request in finished:
        sizes = request.sizes()
        response = request.response()
        sent = sizes["responseHeadersSize"] + sizes["responseBodySize"]
        if response is None or sizes["responseBodySize"] == 0:  # revalidated (304): no body
            rows.append((request.url, sent, sent))
            continue
        rows.append((request.url, sent,
                     len(gzip.compress(response.body(), 6)) + sizes["responseHeadersSize"]))
    return rows, other_hosts


def report(title: str, rows, other_hosts) -> int:
    total = sum(size for _, size, _ in rows)
    zipped = sum(z for _, _, z in rows)
    print(f"\n== {title} ==")
    print(f"{'bytes':>8} {'gzip':>8}  resource")
    for url, size, z in sorted(rows, key=lambda r: -r[1]):
        print(f"{size:8d} {z:8d}  {urlsplit(url).path}")
    verdict = "under" if total < BUDGET else "OVER"
    print(f"{total:8d} {zipped:8d}  total, {len(rows)} requests: {total / 1024:.1f} KB "
          f"({verdict} the 100 KB goal; {zipped / 1024:.1f} KB with gzip)")
    print(f"requests to other hosts: {len(other_hosts)}" + "".join(f"\n  {u}" for u in other_hosts))
    return total


def main() -> int:
    from playwright.sync_api import sync_playwright

    database = Database("sqlite")
    server = Server(database.url).start()
    totals = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=CHROMIUM_ARGS)
            context = browser.new_context()
            page = context.new_page()
            url = f"{server.url}/lessons/{LESSON}"
            rows, others = weigh(page, url)
            totals.append(report("reading page, first visit", rows, others))
            token = re.search(r'<meta name="csrf-token" content="([^"]+)"',
                              page.content()).group(1)
            plan, prompts = lesson_plan()
            for k, (start, end, exact) in enumerate(plan):
                response = context.request.post(
                    f"{server.url}/api/lessons/{LESSON}/annotations",
                    headers={"X-CSRFToken": token, "Content-Type": "application/json"},
                    data=json.dumps({"start": start, "end": end, "exact": exact,
                                     "prompt_id": prompts[k % len(prompts)],
                                     "note": "The author takes for granted that this happened "
                                             "and that the reader already agrees with it."}))
                assert response.status == 201, response.text()
            page2 = context.new_page()
            rows, others = weigh(page2, url)
            totals.append(report("reading page, return visit with 10 annotations", rows, others))
            cold = browser.new_context()  # another device: same learner, empty cache
            cold.add_cookies(context.cookies())
            rows, others = weigh(cold.new_page(), url)
            totals.append(report("reading page with 10 annotations, empty cache", rows, others))
            cold.close()
            with urllib.request.urlopen(url) as r:  # noqa: S310 - loopback
                print(f"\n(HTML document alone, fetched without cookies: {len(r.read())} bytes)")
            browser.close()
    finally:
        server.stop()
        database.drop()
    return 0 if all(t < BUDGET for t in totals) else 1


if __name__ == "__main__":
    sys.exit(main())

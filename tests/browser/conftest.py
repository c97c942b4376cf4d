"""Browser fixtures: the app served on a loopback port and Debian's Chromium driven by Playwright.

Every test in this folder is marked ``browser``. Chromium is looked up at ``CHROMIUM_PATH`` or
``/usr/bin/chromium``; when it is missing the tests fail (CI installs it), unless
``SKIP_BROWSER_TESTS=1`` is set for a quick local run.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from webapp import TestConfig, create_app

ROOT = Path(__file__).resolve().parent.parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            if os.environ.get("SKIP_BROWSER_TESTS") == "1":
                item.add_marker(pytest.mark.skip(reason="SKIP_BROWSER_TESTS=1"))


class LiveServer:
    """The app on a background thread; ``url`` is its base address."""

    def __init__(self, app) -> None:
        self.app = app
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> LiveServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)


@pytest.fixture
def live_app_config(tmp_path) -> dict:
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'live.sqlite'}"
    return {"SQLALCHEMY_DATABASE_URI": url, "LESSONS_DIR": str(ROOT / "lessons")}


@pytest.fixture
def live_server(live_app_config) -> Iterator[LiveServer]:
    if os.environ.get("TEST_DATABASE_URL"):
        from tests.conftest import _reset_database

        _reset_database(live_app_config["SQLALCHEMY_DATABASE_URI"])
    config = TestConfig()
    for key, value in live_app_config.items():
        setattr(config, key, value)
    server = LiveServer(create_app(config)).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium (CI does this)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context, live_server):
    """A fresh page whose console errors and failed requests to other hosts fail the test."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    page.on("console", lambda msg: errors.append(f"console {msg.type}: {msg.text}")
            if msg.type == "error" and "status of 4" not in msg.text else None)
    page.base_url = live_server.url  # type: ignore[attr-defined]
    yield page
    page.close()
    assert not errors, "\n".join(errors)

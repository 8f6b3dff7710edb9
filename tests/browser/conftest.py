"""Browser tests: the app served by a threaded werkzeug server, driven by Debian's Chromium.

Only SQLite here: what a browser sees does not depend on the database, and the integration
suite already runs every view on both backends. The server thread answers each request in
its own app context (its own ``db.session``); the test's own session must not hold a
transaction while the browser works, because on SQLite a transaction begun outside a
request takes the write lock (``BEGIN IMMEDIATE``). Seed data first, then ``settle()``.

CSRF protection is on: every form the browser submits carries its token.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask, request, request_finished
from werkzeug.serving import WSGIRequestHandler, make_server

from eventhub.extensions import db
from tests.conftest import unavailable
from tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {
    "viewport": {"width": 375, "height": 812},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(config, items):
    """Every test in this folder drives the browser, whether or not its module says so."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def backend():
    """Overrides the suite's parametrized backend: browser tests run once, on SQLite."""
    return "sqlite"


@pytest.fixture
def config_overrides():
    # CSRF on, as in production. Static files are cached for an hour, as a production proxy
    # would serve them, so each page load does not revalidate every stylesheet and font.
    return {"WTF_CSRF_ENABLED": True, "SEND_FILE_MAX_AGE_DEFAULT": 3600}


def settle() -> None:
    """End the test thread's transaction so the server's requests can write."""
    db.session.rollback()


# --- the server ---------------------------------------------------------------------------


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # the record below is what tests read
        pass


@dataclass(frozen=True)
class Served:
    method: str
    path: str  # with the query string, if any
    endpoint: str | None
    status: int


class LiveServer:
    """The test's app on 127.0.0.1:<free port>, one thread per request."""

    def __init__(self, app: Flask):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.served: list[Served] = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(
            target=self.server.serve_forever, name="live-server", daemon=True
        )

    def _record(self, sender, response, **extra) -> None:
        entry = Served(
            request.method, request.full_path.rstrip("?"), request.endpoint, response.status_code
        )
        with self._lock:
            self.served.append(entry)

    def pages_since(self, mark: int) -> list[Served]:
        """Requests other than static files served after ``mark = len(server.served)``."""
        with self._lock:
            return [s for s in self.served[mark:] if s.endpoint != "static"]

    def start(self) -> None:
        request_finished.connect(self._record, self.app)
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=10)
        request_finished.disconnect(self._record, self.app)


@pytest.fixture
def live_server(app) -> Iterator[LiveServer]:
    server = LiveServer(app)
    app.config["BASE_URL"] = server.url  # links in mail lead back to this server
    settle()
    server.start()
    yield server
    server.stop()
    errors = [s for s in server.served if s.status >= 500]
    if errors:
        pytest.fail(f"the server answered with an error: {errors}")


# --- the browser --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        unavailable(
            "browser", f"Chromium not available: {CHROMIUM} is missing (apt-get install chromium)"
        )
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError as exc:
        unavailable("browser", f"Chromium not available: Playwright is not installed ({exc})")
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
    except Error as exc:
        playwright.stop()
        unavailable(
            "browser",
            "Chromium not available: launch failed: "
            + (exc.message.strip().splitlines() or ["?"])[0],
        )
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def new_page(browser, live_server) -> Iterator[Callable]:
    """``new_page("desktop" | "phone")``: a page in a fresh context (own cookies) on the
    live server, so ``page.goto("/events")`` works. Uncaught script errors fail the test.
    Other context options pass through or replace the preset's:
    ``new_page("desktop", java_script_enabled=False)``, ``new_page(viewport={...})``."""
    contexts, script_errors = [], []

    def make(kind: str = "desktop", **options):
        preset = {"desktop": DESKTOP, "phone": PHONE}[kind]
        context = browser.new_context(base_url=live_server.url, **{**preset, **options})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: script_errors.append(f"{page.url}: {exc}"))
        return page

    yield make
    for context in contexts:
        context.close()
    assert not script_errors, "uncaught script errors in the page:\n" + "\n".join(script_errors)


@pytest.fixture
def desktop(new_page):
    return new_page("desktop")


@pytest.fixture
def phone(new_page):
    return new_page("phone")


@pytest.fixture
def sign_in():
    """Sign in through the real form: ``sign_in(page, email[, password])``."""
    from playwright.sync_api import expect

    def sign(page, email: str, password: str = PASSWORD) -> None:
        page.goto("/login")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    return sign


# --- accessibility ------------------------------------------------------------------------


class AxeCheck:
    """axe-core (bundled by axe-playwright-python) limited to WCAG 2.0/2.1 A and AA rules."""

    def __init__(self):
        from axe_playwright_python.sync_playwright import Axe

        self._axe = Axe()

    def violations(self, page) -> list[dict]:
        options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
        return self._axe.run(page, options=options).response["violations"]

    def __call__(self, page, where: str = "") -> str:
        """An empty string when the page passes, else a report a person can act on."""
        return describe_violations(self.violations(page), where or page.url)


def describe_violations(violations: list[dict], where: str) -> str:
    if not violations:
        return ""
    lines = [f"{where}: {len(violations)} axe violation(s)"]
    for v in violations:
        lines.append(f"  - {v['id']} [{v.get('impact')}] {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"      at {target}: {summary}")
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe() -> AxeCheck:
    return AxeCheck()


MARKUP_JS = """() => {
  const seen = new Map();
  for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) || 0) + 1);
  const duplicates = [...seen].filter(([id, n]) => n > 1).map(([id, n]) => `#${id} (${n} times)`);
  const none = [];
  for (const el of document.querySelectorAll('*'))
    for (const attr of el.attributes)
      if (attr.value === 'None') none.push(`${el.tagName.toLowerCase()}[${attr.name}="None"]`);
  return {duplicates, none: [...new Set(none)]};
}"""


def markup_problems(page, where: str = "") -> str:
    """What axe only reports as "needs review": ids used twice (an aria-describedby then
    names the wrong element) and attributes a template filled with Python's None."""
    found = page.evaluate(MARKUP_JS)
    problems = []
    if found["duplicates"]:
        problems.append("duplicate ids: " + ", ".join(found["duplicates"]))
    if found["none"]:
        problems.append("attributes rendered from None: " + ", ".join(found["none"]))
    return f"{where or page.url}: " + "; ".join(problems) if problems else ""


OVERFLOW_JS = """() => {
  const width = Math.min(window.innerWidth, document.documentElement.clientWidth);
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.classList.length ? '.' + [...el.classList].join('.') : '');
  const wide = [], scrollers = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 0.5)
      wide.push(`${name(el)} (right edge ${Math.round(box.right)})`);
    const overflow = getComputedStyle(el).overflowX;
    if ((overflow === 'auto' || overflow === 'scroll') && el.scrollWidth > el.clientWidth + 1)
      scrollers.push(`${name(el)} (${el.scrollWidth} px in ${el.clientWidth} px)`);
  }
  return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 8), scrollers};
}"""


def horizontal_overflow(page, where: str = "") -> str:
    """An empty string when nothing scrolls sideways, else what sticks out. A box that
    scrolls sideways inside the page (a table container, say) counts too."""
    found = page.evaluate(OVERFLOW_JS)
    problems = []
    if found["scroll"] > found["width"]:
        problems.append(
            f"the page scrolls sideways ({found['scroll']} px of content in "
            f"{found['width']} px); sticking out: {', '.join(found['wide'])}"
        )
    if found["scrollers"]:
        problems.append("boxes scroll sideways: " + ", ".join(found["scrollers"]))
    return f"{where or page.url}: " + "; ".join(problems) if problems else ""

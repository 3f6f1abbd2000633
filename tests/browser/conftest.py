"""Playwright driving Debian's Chromium against the live server, with the site fixture tree
(tests/content/site) loaded.

Missing Chromium (or axe-core, for the accessibility test) skips these tests on a developer's
machine and fails them in CI (CI=true), where they must run.
"""

import os
from pathlib import Path

import pytest
from content_trees import SITE
from django.conf import settings

from roadmap.content.loader import content_load

# Playwright's sync API runs an event loop in this thread; the ORM calls of the fixtures are safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
AXE = Path(settings.BASE_DIR) / "node_modules/axe-core/axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def require(path: Path, what: str, install: str) -> None:
    """Skip when a tool is missing on a developer's machine; fail in CI, which must have it."""
    if path.exists():
        return
    message = f"{what} not found at {path}; install it with `{install}`"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def axe_violations(page) -> list[dict]:
    """What axe-core finds wrong on the page (run through DevTools, which CSP does not govern)."""
    require(AXE, "axe-core", "npm ci --no-audit --no-fund")
    page.evaluate(AXE.read_text())
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [{"rule": v["id"], "where": [n["target"] for n in v["nodes"][:5]]} for v in found]


@pytest.fixture(scope="session")
def browser():
    require(CHROMIUM, "Chromium", "apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site(live_server):
    """The live server's address, serving the site fixture tree (reloaded for each test)."""
    content_load(root=SITE, actor="tests")
    return live_server.url


class Problems(list):
    """What must never happen on a page: console errors (Content-Security-Policy violations are
    reported there), uncaught exceptions, and a script, style or image that fails to load."""

    def watch(self, page):
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.append(f"exception: {error}"))
        page.on("response", self._response)

    def _console(self, message):
        # A page that answers 404 on purpose logs this too; failed files are caught below.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.append(f"console: {message.text}")

    def _response(self, response):
        if response.status >= 400 and response.request.resource_type != "document":
            self.append(f"{response.status}: {response.url}")


def new_page(browser, site: str, problems: Problems, **options):
    context = browser.new_context(base_url=site, **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems.watch(page)
    page.problems = problems
    return page


@pytest.fixture
def page(browser, site):
    """A desktop-sized page with JavaScript; the test fails on any console error."""
    problems = Problems()
    page = new_page(browser, site, problems, viewport={"width": 1280, "height": 900})
    yield page
    page.context.close()
    assert not problems, problems


@pytest.fixture
def make_page(browser, site):
    """Pages with other options (no JavaScript, a phone, dark mode); each must stay error-free."""
    problems, pages = Problems(), []

    def make(**options):
        pages.append(new_page(browser, site, problems, **options))
        return pages[-1]

    yield make
    for page in pages:
        page.context.close()
    assert not problems, problems

"""Fixtures for the browser tests: the BUILT site served like GitHub Pages, and Chromium driven by Playwright.

The site must be built for the address it is served at (instant navigation only works then):
    SITE_URL=http://127.0.0.1:8765/ scripts/build
    .venv/bin/python -m pytest tests/browser -q
``B12_SITE_DIR`` / ``B12_SITE_URL`` (see tests/conftest.py) choose another build or address; ``B12_CHROMIUM``
another browser binary (default /usr/bin/chromium, Debian's package, installed by scripts/test). A missing
browser or site FAILS the tests with a message: nothing is skipped.
"""

from __future__ import annotations

import json
import os
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

try:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
except ImportError as exc:  # pragma: no cover - the test extra is not installed
    raise pytest.UsageError(
        f"the browser tests need Playwright (pip install -e '.[test]'; scripts/test does it): {exc}"
    ) from exc

CHROMIUM = os.environ.get("B12_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
#: Longest wait for the engine to boot in a cold context (measured ~3-5 s on a busy 2-core machine).
BOOT_TIMEOUT_MS = 45_000

# Helpers run in the page. They import the widget's own module (the same instance the page loaded), so
# the tests need no global hook: the widget reports results as events on its mount element.
JS_NEXT_ANSWER = """
async (request) => {
  const root = document.getElementById("b12-calculator");
  const form = root.querySelector('[data-b12="form"]');
  const src = document.querySelector('script[src$="javascripts/calculator.js"]').src;
  const widget = await import(src);
  const answer = new Promise((resolve) => {
    const done = (kind) => (event) => {
      root.removeEventListener("b12:result", onResult);
      root.removeEventListener("b12:errors", onErrors);
      resolve({ kind, detail: event.detail });
    };
    const onResult = done("result");
    const onErrors = done("errors");
    root.addEventListener("b12:result", onResult);
    root.addEventListener("b12:errors", onErrors);
  });
  if (request !== null) {
    widget.requestToForm(form, request);
    form.dispatchEvent(new Event("input", { bubbles: true }));
  }
  const out = await answer;
  out.sent = widget.formToRequest(form);
  return out;
}
"""


@dataclass
class Traffic:
    """Every request a browser context made (page, workers and all)."""

    origin: str
    urls: list[str] = field(default_factory=list)

    def foreign(self) -> list[str]:
        """Requests that left the test server (data:/blob: URLs are not network requests)."""
        return [u for u in self.urls
                if not u.startswith(("data:", "blob:")) and _origin(u) != self.origin]


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run 'apt-get install -y chromium' (scripts/test "
                    f"does it) or point B12_CHROMIUM at a Chromium/Chrome binary")
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def site(served_site: str, site_dir: Path) -> str:
    """Base URL of the served, built site; fails clearly when the build has no calculator in it."""
    if not (site_dir / "javascripts" / "calculator.js").is_file():
        pytest.fail(f"{site_dir} has no javascripts/calculator.js: rebuild the site (scripts/build)")
    if not (site_dir / "pyodide" / "pyodide.asm.wasm").is_file():
        pytest.fail(f"{site_dir} has no Pyodide runtime in pyodide/: rebuild the site (scripts/build)")
    return served_site


def _new_context(browser: Browser, site: str, **options: Any) -> tuple[BrowserContext, Traffic]:
    """A fresh context (empty cache: a cold visit) that records every request it makes."""
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
    context.set_default_timeout(BOOT_TIMEOUT_MS)
    traffic = Traffic(origin=_origin(site))
    context.on("request", lambda request: traffic.urls.append(request.url))
    return context, traffic


@pytest.fixture
def make_context(browser: Browser, site: str) -> Iterator[Callable[..., tuple[BrowserContext, Traffic]]]:
    """Factory for extra fresh contexts (options as for browser.new_context); closed after the test."""
    made: list[BrowserContext] = []

    def make(**options: Any) -> tuple[BrowserContext, Traffic]:
        context, traffic = _new_context(browser, site, **options)
        made.append(context)
        return context, traffic

    yield make
    for context in made:
        context.close()


@pytest.fixture
def context_and_traffic(
    make_context: Callable[..., tuple[BrowserContext, Traffic]],
) -> tuple[BrowserContext, Traffic]:
    return make_context()


@pytest.fixture
def page(context_and_traffic: tuple[BrowserContext, Traffic]) -> Page:
    return context_and_traffic[0].new_page()


@pytest.fixture
def traffic(context_and_traffic: tuple[BrowserContext, Traffic]) -> Traffic:
    return context_and_traffic[1]


@dataclass
class Calculator:
    """A calculator page whose engine is ready, shared by the tests of one module."""

    page: Page
    traffic: Traffic

    def answer(self, request: dict[str, Any] | None) -> dict[str, Any]:
        """Put ``request`` in the form (None: leave it) and return the widget's next answer:
        {kind: "result"|"errors", detail, sent} where ``sent`` is the form read back as a request."""
        return dict(self.page.evaluate(JS_NEXT_ANSWER, request))

    def reset(self) -> dict[str, Any]:
        return self.answer({})


def wait_for_result(page: Page) -> None:
    """Wait until the widget shows a result (the engine has booted and answered)."""
    page.wait_for_selector('[data-b12="result"][data-status]', state="attached", timeout=BOOT_TIMEOUT_MS)


@pytest.fixture(scope="session")
def wait_result() -> Callable[[Page], None]:
    return wait_for_result


@pytest.fixture(scope="session")
def next_answer() -> Callable[[Page, dict[str, Any] | None], dict[str, Any]]:
    """For a calculator page of the test's own (any viewport): as Calculator.answer."""
    return lambda page, request: dict(page.evaluate(JS_NEXT_ANSWER, request))


@pytest.fixture(scope="session")
def open_calculator(browser: Browser, site: str) -> Callable[..., tuple[BrowserContext, Page]]:
    """A fresh context (options as for browser.new_context) on the calculator page, its engine ready;
    the caller closes the context."""
    def open_page(**options: Any) -> tuple[BrowserContext, Page]:
        context, _ = _new_context(browser, site, **options)
        page = context.new_page()
        page.goto(site + "calculator/")
        wait_for_result(page)
        return context, page
    return open_page


@pytest.fixture(scope="module")
def calculator(browser: Browser, site: str) -> Iterator[Calculator]:
    """One calculator page with a ready engine for a whole test module (tests reset the form)."""
    context, traffic = _new_context(browser, site)
    page = context.new_page()
    page.goto(site + "calculator/")
    wait_for_result(page)
    yield Calculator(page, traffic)
    context.close()


@pytest.fixture(scope="session")
def as_json() -> Callable[[Any], Any]:
    """What a value looks like after a trip through JSON (as the widget receives it)."""
    return lambda value: json.loads(json.dumps(value))

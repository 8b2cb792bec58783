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
import subprocess
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

try:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Playwright, sync_playwright
except ImportError as exc:  # pragma: no cover - the test extra is not installed
    raise pytest.UsageError(
        f"the browser tests need Playwright (pip install -e '.[test]'; scripts/test does it): {exc}"
    ) from exc

from calc import evaluate
from tools.browser import CHROMIUM, TEST_CHROMIUM_ARGS
from tools.serve_site import port_in_use, start_server

#: Longest wait for the engine to boot in a cold context (measured ~3-5 s on a busy 2-core machine).
BOOT_TIMEOUT_MS = 45_000
#: The page's engine (engine-client.js, reached through calculator.js's module graph): its state, what its
#: worker said when ready (version, timings, boot kind, startedAt), the snapshot maker's report, any error,
#: and when the page started it (ms on the page's clock).
JS_ENGINE = """
async () => {
  const src = document.querySelector('script[src$="javascripts/calculator.js"]').src;
  const engine = (await import(src)).getEngine();
  return { state: engine.state, ready: engine.readyInfo, snapshot: engine.snapshotInfo, error: engine.error,
           title: engine.errorTitle, startedAt: engine.startedAt };
}
"""

# Helpers run in the page. They import the widget's own module (the same instance the page loaded), so
# the tests need no global hook: the widget reports results as events on its mount element.
JS_NEXT_ANSWER = """
async (request) => {
  const BOOT_TIMEOUT_MS = __BOOT_TIMEOUT_MS__;
  const root = document.getElementById("b12-calculator");
  const form = root.querySelector('[data-b12="form"]');
  const src = document.querySelector('script[src$="javascripts/calculator.js"]').src;
  const widget = await import(src);
  // A missing event fails the test after the boot timeout instead of hanging the run.
  const answer = new Promise((resolve, reject) => {
    const fail = () => reject(new Error("no b12:result or b12:errors event"));
    const deadline = setTimeout(fail, BOOT_TIMEOUT_MS);
    const done = (kind) => (event) => {
      clearTimeout(deadline);
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
""".replace("__BOOT_TIMEOUT_MS__", str(BOOT_TIMEOUT_MS))

# Arms window.__b12NextResult: it turns true when the widget has rendered its next result.
JS_AWAIT_NEXT_RESULT = """
() => {
  window.__b12NextResult = false;
  document.getElementById("b12-calculator").addEventListener(
    "b12:result", () => { window.__b12NextResult = true; }, { once: true });
}
"""

# The request the form holds now, as the widget would send it.
JS_FORM_REQUEST = """async () => {
  const src = document.querySelector('script[src$="javascripts/calculator.js"]').src;
  const widget = await import(src);
  return widget.formToRequest(document.querySelector('#b12-calculator [data-b12="form"]'));
}"""


# An init script: records each Worker the page constructs (its URL, name, what had happened on the page by
# then, and the call stack that made it), so a test can count engines made rather than engines alive.
RECORD_WORKERS = """
window.__b12Workers = [];
const NativeWorker = window.Worker;
window.Worker = class extends NativeWorker {
  constructor(url, options) {
    window.__b12Workers.push({
      url: String(url), name: (options && options.name) || "",
      themeHasRun: Boolean(window.document$), readyState: document.readyState,
      stack: new Error().stack,
    });
    super(url, options);
  }
};
"""


def engine_workers_made(page: Page) -> list[dict[str, Any]]:
    """The engine workers the page has constructed so far (``RECORD_WORKERS`` must be an init script)."""
    made: list[dict[str, Any]] = page.evaluate("window.__b12Workers")
    return [w for w in made if w["url"].endswith("javascripts/engine/engine-worker.js")]


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
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=TEST_CHROMIUM_ARGS)
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
    """A fresh context (empty cache: a cold visit) that records every request it makes.

    The site's pages carry a strict Content-Security-Policy <meta>. Playwright's string predicates
    (wait_for_function) and add_script_tag run as eval / inline script in the page, which that policy
    refuses, so contexts bypass it by default; the tests of the policy itself (test_csp.py, and the
    offline and sub-path checks) pass ``bypass_csp=False``. page.evaluate works either way."""
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, "bypass_csp": True,
                                     **options})
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


def clear_form(page: Page) -> None:
    """Press "Clear the form" and wait until the address forgets the inputs."""
    page.click('#b12-calculator [data-b12="form"] button[type=reset]')
    page.wait_for_function("!location.hash")


def show_case(
    page: Page, next_answer: Callable[..., dict[str, Any]], request: dict[str, Any]
) -> dict[str, Any]:
    """Put ``request`` in the form and wait for its result; check the plan shown is CPython's plan for it,
    and return CPython's result."""
    answer = next_answer(page, request)
    assert answer["kind"] == "result", answer
    expected = evaluate(request)
    plan = '#b12-calculator [data-b12="result"] [data-plan]'
    assert page.get_attribute(plan, "data-plan-regimen-id") == (expected["plan"]["regimen_id"] or "")
    return expected


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


#: A phone (the UX review's 390x844) and a desktop, as browser.new_context options; the clipboard granted.
PHONE: dict[str, Any] = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
                         "is_mobile": True, "has_touch": True}
DESKTOP: dict[str, Any] = {"viewport": {"width": 1366, "height": 900}}
CLIPBOARD: dict[str, Any] = {"permissions": ["clipboard-read", "clipboard-write"]}


@pytest.fixture(scope="module")
def phone(open_calculator: Callable[..., tuple[BrowserContext, Page]]) -> Iterator[Page]:
    """A calculator page on a phone, its engine ready, for a whole test module."""
    context, page = open_calculator(**PHONE, **CLIPBOARD)
    yield page
    context.close()


@pytest.fixture(scope="module")
def desktop(open_calculator: Callable[..., tuple[BrowserContext, Page]]) -> Iterator[Page]:
    """A calculator page on a desktop, its engine ready, for a whole test module."""
    context, page = open_calculator(**DESKTOP, **CLIPBOARD)
    yield page
    context.close()


@pytest.fixture(scope="module")
def calculator(browser: Browser, site: str) -> Iterator[Calculator]:
    """One calculator page with a ready engine for a whole test module (tests reset the form)."""
    context, traffic = _new_context(browser, site)
    page = context.new_page()
    page.goto(site + "calculator/")
    wait_for_result(page)
    yield Calculator(page, traffic)
    context.close()


#: The Cache Storage cache the engine keeps its memory snapshot in (engine-snapshot.js).
SNAPSHOT_CACHE = "b12-engine-snapshot-v1"
#: How long a cold machine may take to boot the engine twice (the page's and the snapshot maker's).
SNAPSHOT_WAIT_S = 90
# The snapshots stored, as soon as there is one (or none after `timeoutMs`): the page waits, not the test.
JS_STORED = f"""
async (timeoutMs) => {{
  const deadline = Date.now() + timeoutMs;
  for (;;) {{
    const stored = (await (await caches.open("{SNAPSHOT_CACHE}")).keys()).map((request) => request.url);
    if (stored.length || Date.now() > deadline) return stored;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }}
}}
"""


def wait_for_snapshot(page: Page) -> list[str]:
    """Wait until the page's first visit has stored the engine's memory snapshot; its cache keys."""
    stored = list(page.evaluate(JS_STORED, SNAPSHOT_WAIT_S * 1000))
    assert stored, f"no memory snapshot stored within {SNAPSHOT_WAIT_S} s: {page.evaluate(JS_ENGINE)}"
    return stored


@pytest.fixture(scope="module")
def visited_context(browser: Browser, site: str) -> Iterator[BrowserContext]:
    """A browser that has opened the calculator once and kept the engine's memory snapshot, as a returning
    reader's has: its new pages restore the engine from the snapshot (test_engine_snapshot.py checks that
    path gives the same answers). For the tests of what a page does with a link, a reload or the history,
    which do not depend on how the engine started; the first visit is what the other fixtures open."""
    context, _ = _new_context(browser, site)
    page = context.new_page()
    page.goto(site + "calculator/")
    wait_for_result(page)
    wait_for_snapshot(page)
    page.close()
    yield context
    context.close()


@pytest.fixture
def returning_tab(visited_context: BrowserContext) -> Iterator[Page]:
    """A new tab in ``visited_context`` (a returning reader's browser), closed after the test."""
    tab = visited_context.new_page()
    yield tab
    tab.close()


@pytest.fixture(scope="session")
def as_json() -> Callable[[Any], Any]:
    """What a value looks like after a trip through JSON (as the widget receives it)."""
    return lambda value: json.loads(json.dumps(value))


# --- the site built for a project sub-path (https://<owner>.github.io/<repo>/) and its own server -------

#: The sub-path the deployment tests serve the site under, like a GitHub Pages project site.
SUBPATH = "/b12-calc/"


def worker() -> str:
    """The pytest-xdist worker running this ("gw0", "gw1"...; scripts/test runs two), or "" without one."""
    return os.environ.get("PYTEST_XDIST_WORKER", "")


def second_port() -> int:
    """Port for the tests' own servers (sub-path site, offline checks): B12_TEST_PORT2, else the test
    port + 10 (scripts/test's default test port is 8765, so 8775); each parallel worker 100 further on
    (8875 for gw1), so that two workers never start a server on the same port."""
    index = int(worker().removeprefix("gw") or 0)
    if os.environ.get("B12_TEST_PORT2"):
        return int(os.environ["B12_TEST_PORT2"]) + 100 * index
    test_port = urllib.parse.urlsplit(os.environ.get("B12_SITE_URL", "http://127.0.0.1:8765/")).port or 8765
    return test_port + 10 + 100 * index


@dataclass
class SiteServer:
    """A GitHub-Pages-like server for one built site that a test can stop ("network off") and restart.
    Service workers and Cache Storage belong to the origin, so they survive a stop and restart."""

    site_dir: Path
    port: int
    prefix: str = "/"
    _stop: Callable[[], None] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.prefix}"

    def start(self) -> None:
        if self._stop is not None:
            return
        if port_in_use(self.port):
            pytest.fail(f"127.0.0.1:{self.port} is already in use (set B12_TEST_PORT2 to a free port)")
        _, self._stop = start_server(self.site_dir, port=self.port, prefix=self.prefix)

    def stop(self) -> None:
        if self._stop is not None:
            self._stop()
            self._stop = None


@pytest.fixture(scope="session")
def subpath_site_dir(repo_root: Path) -> Path:
    """The site built once per session, by the same build_site step as scripts/build, for
    http://127.0.0.1:<second port>/b12-calc/ into build/site-subpath (-gwN for a parallel worker: each
    worker has its own second port). B12_SUBPATH_SITE_DIR reuses a build
    made earlier for the same address (to iterate quickly)."""
    url = f"http://127.0.0.1:{second_port()}{SUBPATH}"
    reuse = os.environ.get("B12_SUBPATH_SITE_DIR")
    if reuse:
        return Path(reuse).resolve()
    out = repo_root / "build" / "-".join(filter(None, ("site-subpath", worker())))
    if not (repo_root / ".venv" / "bin" / "mkdocs").is_file():
        pytest.fail("no .venv with mkdocs: run scripts/build first (scripts/test does it)")
    done = subprocess.run(
        ["bash", "-c", '. scripts/lib.sh && build_site "$1"', "build_site", str(out)],
        cwd=repo_root, env={**os.environ, "SITE_URL": url}, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.fail(f"building the sub-path site failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return out


@pytest.fixture
def subpath_server(subpath_site_dir: Path) -> Iterator[SiteServer]:
    """The sub-path site served at http://127.0.0.1:<second port>/b12-calc/ for one test (stopped after)."""
    server = SiteServer(subpath_site_dir, second_port(), SUBPATH)
    server.start()
    yield server
    server.stop()


def new_context_for(browser: Browser, base_url: str, **options: Any) -> tuple[BrowserContext, Traffic]:
    """A fresh context (empty cache, no service worker yet) for a site at ``base_url``."""
    return _new_context(browser, base_url, **options)


# --- Content Security Policy violations ---------------------------------------------------------------
# A listener added by an init script reports each violation through the console, so collecting them needs
# no evaluation in the page (which the policy would refuse for string predicates).

VIOLATION_TAG = "b12-csp-violation "
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error("TAG" + JSON.stringify({
    directive: event.effectiveDirective, blocked: event.blockedURI, source: event.sourceFile,
    line: event.lineNumber, sample: event.sample,
  }));
}, true);
""".replace("TAG", VIOLATION_TAG)


@dataclass
class Watch:
    """CSP violations and console errors of one page."""

    violations: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.text.startswith(VIOLATION_TAG):
            self.violations.append(json.loads(message.text[len(VIOLATION_TAG):]))
        elif message.type == "error":
            self.errors.append(message.text)

    def csp_problems(self) -> list[Any]:
        return [*self.violations, *[e for e in self.errors if "Content Security Policy" in e]]


def watched(page: Page) -> Watch:
    """Start collecting ``page``'s CSP violations and console errors (call before its first goto)."""
    watch = Watch()
    page.add_init_script(REPORT_VIOLATIONS)
    page.on("console", watch.on_console)
    page.on("pageerror", lambda error: watch.errors.append(f"page error: {error}"))
    return watch


def open_calculator_at(browser: Browser, base_url: str) -> tuple[BrowserContext, Page, Watch]:
    """A fresh context for the site at ``base_url`` (its CSP enforced), its calculator page watched
    (``watched``) and opened, once the widget shows its first state."""
    context, _ = new_context_for(browser, base_url, bypass_csp=False)
    page = context.new_page()
    watch = watched(page)
    page.goto(base_url + "calculator/")
    wait_for_result(page)
    return context, page, watch

"""The offline copy of the site (tools/build_service_worker.mjs, docs/javascripts/site/sw-precache-reuse.js,
offline.js; README "Deployment, offline use and the security policy"):

* each file is downloaded once per visit: making the offline copy after a first visit to the calculator
  reuses what the page and the engine have just fetched (Workbox alone re-downloaded every revisioned
  file, the 3.5 MB runtime included);
* the reader is told, in plain words, once the offline copy is complete, and every page says so after;
* a mistyped address while offline shows the site's own 404 page, from the offline copy, not the
  browser's error page.

"Network off" is real here (the site's server is stopped), and the site is the sub-path build, as in
test_offline.py.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from conftest import BOOT_TIMEOUT_MS, SiteServer, new_context_for, open_calculator_at
from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError

from tools.browser import JS_SERVICE_WORKER_ACTIVATED  # waits until precaching is done

RESULT = '#b12-calculator [data-b12="result"]'
FORM = '#b12-calculator [data-b12="form"]'
READY_NOTE = '[data-b12="offline-ready"]'
CUE = '[data-b12="offline-cue"]'


def test_a_first_visit_downloads_each_file_once_offline_copy_included(
    browser: Browser, subpath_server: SiteServer, subpath_site_dir: Path,
) -> None:
    context, _ = new_context_for(browser, subpath_server.url)
    bodies: dict[str, int] = {}
    by_service_worker: list[str] = []

    def finished(request: Any) -> None:
        try:
            body = request.sizes()["responseBodySize"]
        except PlaywrightError:  # its worker has ended; a body it had would have been counted by now
            return
        path = request.url.split("?")[0]
        if request.service_worker is not None:
            by_service_worker.append(path)
        if body > 0:  # 0: answered from the HTTP cache (or a 304)
            bodies[path] = bodies.get(path, 0) + 1

    context.on("requestfinished", finished)
    page = context.new_page()
    page.goto(subpath_server.url + "calculator/")
    page.wait_for_selector(f"{RESULT}[data-status]", state="attached", timeout=BOOT_TIMEOUT_MS)
    page.evaluate(JS_SERVICE_WORKER_ACTIVATED)
    # Sanity: the offline copy was made in this visit and its requests were seen.
    assert any(path.endswith("/pyodide/pyodide.asm.wasm") for path in by_service_worker)
    # The install's last responses can be reported after activation: pump Playwright's events until the
    # page never visited has been seen (a condition, with a deadline), then count.
    deadline = time.monotonic() + 30
    while not any(path.endswith("/about/index.html") for path in bodies) and time.monotonic() < deadline:
        page.evaluate("() => new Promise((resolve) => setTimeout(resolve, 100))")
    assert any(path.endswith("/about/index.html") for path in bodies), "a page never visited: downloaded once"
    twice = sorted(path for path, n in bodies.items() if n > 1)
    assert twice == [], f"downloaded more than once in one visit: {twice}"


def test_the_reader_is_told_once_the_site_works_offline(
    browser: Browser, subpath_server: SiteServer,
) -> None:
    _, page, watch = open_calculator_at(browser, subpath_server.url)
    assert page.locator(READY_NOTE).count() == 0 or page.locator(READY_NOTE).inner_text() == "", \
        "nothing is claimed before the offline copy exists"
    page.evaluate(JS_SERVICE_WORKER_ACTIVATED)
    note = page.locator(READY_NOTE)
    note.wait_for(state="visible", timeout=BOOT_TIMEOUT_MS)
    assert note.get_attribute("role") == "status", "announced politely, not as an alert"
    assert "works offline" in note.inner_text()
    page.get_by_role("button", name="OK").click()
    assert note.inner_text() == "", "dismissed"
    assert page.locator(CUE).inner_text() == "Works offline in this browser"
    assert page.locator(CUE).is_visible()

    # Another page, with the network off: the lasting cue, and no second announcement.
    subpath_server.stop()
    page.goto(subpath_server.url + "treatment/")
    page.locator(CUE).wait_for(state="attached")
    assert page.locator(CUE).inner_text() == "Works offline in this browser"
    assert page.locator(READY_NOTE).count() == 0
    assert watch.csp_problems() == []


def test_a_mistyped_address_offline_shows_the_sites_404_page(
    browser: Browser, subpath_server: SiteServer,
) -> None:
    context, _ = new_context_for(browser, subpath_server.url, bypass_csp=False)
    page = context.new_page()
    # Online, the server answers a mistyped address with the site's 404 page and status 404.
    response = page.goto(subpath_server.url + "no-such-page/")
    assert response is not None and response.status == 404
    page.goto(subpath_server.url)
    page.evaluate(JS_SERVICE_WORKER_ACTIVATED)
    page.reload()  # controlled by the service worker from here on

    subpath_server.stop()  # the network is off from here on
    response = page.goto(subpath_server.url + "no-such-page/")
    assert response is not None and response.from_service_worker
    assert page.locator("article h1").inner_text() == "404 - Not found"
    # The theme's page around it works: its stylesheet came from the offline copy too.
    assert page.locator("header.md-header").is_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('header.md-header')).position") != "static"

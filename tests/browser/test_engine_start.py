"""How the calculator page starts its engine (site_build/pyodide_assets.py add_engine_start,
docs/javascripts/engine/engine-client.js and engine-worker.js; README "Deployment, offline use and the
security policy"): a small inline script in the page's <head>, allowed by the page's CSP hash, starts the
engine's worker while the page is still being parsed, before the theme's JavaScript has run; the page's engine
client adopts that worker (one engine per visit, not two); the page asks the browser to preload
nothing it does not itself use (a worker cannot use a page's preloads: Chromium then warns that they were
"preloaded using link preload but not used within a few seconds"); and the worker, which starts
downloading at once, compiles the runtime and starts Python only after the page's own start-up (its load
event): on a two-core machine that compile had doubled the length of the theme's start-up tasks.
"""

from __future__ import annotations

from typing import Any

from conftest import BOOT_TIMEOUT_MS, JS_ENGINE, RECORD_WORKERS, engine_workers_made, watched

from tools.browser import JS_SERVICE_WORKER_ACTIVATED

RESULT = '#b12-calculator [data-b12="result"]'


def test_the_engine_worker_starts_before_the_themes_javascript_and_is_the_only_one(
    make_context: Any, site: str,
) -> None:
    context, _ = make_context()
    context.add_init_script(RECORD_WORKERS)
    page = context.new_page()
    watch = watched(page)
    page.goto(site + "calculator/")
    page.wait_for_selector(f"{RESULT}[data-status]", state="attached", timeout=BOOT_TIMEOUT_MS)
    engines = engine_workers_made(page)
    assert len(engines) == 1, f"one engine per visit: the page adopted the early worker ({engines})"
    assert engines[0]["name"] == "b12-engine"
    assert engines[0]["readyState"] == "loading", "started while the page was being parsed"
    assert engines[0]["themeHasRun"] is False, "started before the theme's JavaScript ran"
    page.fill('#b12-calculator [data-b12="form"] [name=total_b12]', "150")
    page.wait_for_selector(f"{RESULT}[data-status=deficient]")
    assert watch.csp_problems() == [], "the inline start script is allowed by the page's CSP hash"


def test_a_cold_calculator_load_preloads_nothing_it_leaves_unused(make_context: Any, site: str) -> None:
    context, _ = make_context()
    page = context.new_page()
    # Chromium reports unused preloads in its log (not through console.*): read it over CDP.
    log: list[str] = []
    cdp = context.new_cdp_session(page)
    cdp.on("Log.entryAdded", lambda event: log.append(event["entry"]["text"]))
    cdp.send("Log.enable")
    page.on("console", lambda message: log.append(message.text))
    page.goto(site + "calculator/")
    page.wait_for_selector(f"{RESULT}[data-status]", state="attached", timeout=BOOT_TIMEOUT_MS)
    # The offline copy starts 3 s after the first answer and ends later still: by then Chromium has had
    # its "few seconds" after the load event to warn about any preload left unused.
    page.evaluate(JS_SERVICE_WORKER_ACTIVATED)
    unused = [text for text in log if "preload" in text.lower()]
    assert unused == []
    assert page.locator('link[rel="preload"]').count() == 0


#: The page's load event, in ms since the epoch (the worker's clock has another origin).
JS_LOAD_ENDED_AT = "performance.timeOrigin + performance.getEntriesByType('navigation')[0].loadEventEnd"


def test_a_first_visit_starts_python_only_after_the_page_has_loaded(make_context: Any, site: str) -> None:
    context, _ = make_context()
    page = context.new_page()
    page.goto(site + "calculator/")
    page.wait_for_selector(f"{RESULT}[data-status]", state="attached", timeout=BOOT_TIMEOUT_MS)
    engine = page.evaluate(JS_ENGINE)
    assert engine["state"] == "ready" and engine["ready"]["boot"] == "normal", engine
    ready = engine["ready"]
    timings = ready["timings"]
    loaded_at = page.evaluate(JS_LOAD_ENDED_AT)
    # The worker was told the page had started, after the load event (the worker's marks are whole ms);
    # Python started after that.
    assert ready["startedAt"] + timings["page_started"] >= loaded_at - 1, (ready, loaded_at)
    assert timings["page_started"] <= timings["runtime_compiled"] <= timings["python_ready"], timings
    # The wait ended on the page's word, not on the worker's fallback (PAGE_START_WAIT_MAX_MS = 10 s): this
    # page loads in well under that here.
    assert timings["page_started"] < 10_000, timings

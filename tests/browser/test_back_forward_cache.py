"""Going Back to the calculator: Chromium restores the page whole from its back/forward cache (the form, the
plan on screen and the running engine), so the reader's plan is back at once and the engine does not boot
again. Anything that makes the page ineligible (an unload handler, an API the cache refuses, in the page or
in its workers) fails here with Chromium's own reasons.

Playwright starts Chromium with that cache switched off (--disable-back-forward-cache), so this module
starts its own browser without the switch.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from conftest import BOOT_TIMEOUT_MS, CHROMIUM, TEST_CHROMIUM_ARGS
from playwright.sync_api import Browser, Playwright

RESULT = '#b12-calculator [data-b12="result"]'
HEADLINE = f"{RESULT} [data-plan-headline]"
JS_WATCH_PAGESHOW = """
() => {
  window.__b12Shows = [];
  window.addEventListener("pageshow", (event) => window.__b12Shows.push(event.persisted));
}
"""
# When this page's engine started (its own clock): the same value after Back means the same engine.
JS_ENGINE_STARTED_AT = """
async () => {
  const src = document.querySelector('script[src$="javascripts/calculator.js"]').src;
  return (await import(src)).getEngine().startedAt;
}
"""


@pytest.fixture(scope="module")
def cache_browser(playwright_instance: Playwright) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, args=TEST_CHROMIUM_ARGS,
        ignore_default_args=["--disable-back-forward-cache"],
    )
    yield browser
    browser.close()


def test_back_to_the_calculator_restores_the_plan_and_its_engine(
    cache_browser: Browser, site: str, wait_result: Any, next_answer: Any
) -> None:
    context = cache_browser.new_context(bypass_csp=True, viewport={"width": 390, "height": 844})
    context.set_default_timeout(BOOT_TIMEOUT_MS)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Page.enable")
        refused: list[list[tuple[str, str]]] = []
        cdp.on("Page.backForwardCacheNotUsed", lambda event: refused.append(
            [(why["type"], why["reason"]) for why in event["notRestoredExplanations"]]))

        page.goto(site + "calculator/#v=x&total_b12=150&age_years=67")
        wait_result(page)
        page.wait_for_selector(f"{RESULT}[data-status=deficient]")
        headline = page.inner_text(HEADLINE)
        engine_started = page.evaluate(JS_ENGINE_STARTED_AT)
        page.evaluate(JS_WATCH_PAGESHOW)

        page.goto(site + "about/")  # a full navigation away (not the theme's instant one)
        page.go_back(wait_until="commit")
        # Restored: this page's pageshow listener runs again. Loaded afresh: the listener is gone.
        page.wait_for_function("() => document.readyState === 'complete'"
                               " && (window.__b12Shows === undefined || window.__b12Shows.length > 0)")

        assert refused == [], f"Chromium did not restore the calculator from its cache: {refused}"
        assert page.evaluate("window.__b12Shows") == [True], "the same page, restored, not loaded again"
        assert page.inner_text(HEADLINE) == headline, "the plan is on screen as it was"
        # The restored engine answers the next edit: no new boot, no failure shown.
        answer = next_answer(page, {"total_b12": 250, "age_years": 67})
        assert answer["kind"] == "result"
        assert answer["detail"]["lab"]["status"] == "indeterminate"
        assert page.evaluate(JS_ENGINE_STARTED_AT) == engine_started, "the engine from before, not a new one"
        assert page.locator('#b12-calculator [data-b12="status"][data-state=ready]').count() == 1
    finally:
        context.close()

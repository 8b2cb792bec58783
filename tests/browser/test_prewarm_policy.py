"""What a visit to a content page downloads beyond the page (docs/javascripts/site/data-policy.js, prewarm.js,
offline.js; README "Prewarm policy"): on a phone, on a slow or metered link, and under Save-Data a stay on
a content page starts neither the engine (about 5 MB) nor the offline copy (about 6 MB), so a first visit
costs what the page needs; intent on a calculator link still starts the engine there; on a desktop on a
fast link both start after a short stay (the controls).

Nothing is timed: the page's clock is Playwright's, so the 2 s stay, the 3 s registration delay and the
idle moments after them pass at once, and the answers are the page's own state (has the engine started,
has the offline copy been asked for), not the absence of a request that might still come.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page

PHONE: dict[str, Any] = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 900}}
# A link to the calculator in the home page's content (the primary button).
CTA = "article a.b12-cta"


def connection(**fields: Any) -> str:
    """An init script giving the page this navigator.connection (Network Information API)."""
    values = {"saveData": False, "effectiveType": "4g", **fields}
    return f"Object.defineProperty(navigator, 'connection', {{value: {json.dumps(values)}}});"


# Records each call of navigator.serviceWorker.register (the start of the offline copy), then makes it.
RECORD_REGISTRATIONS = """
window.__b12Registrations = [];
if (navigator.serviceWorker) {
  const register = navigator.serviceWorker.register.bind(navigator.serviceWorker);
  navigator.serviceWorker.register = (...args) => {
    window.__b12Registrations.push(String(args[0]));
    return register(...args);
  };
}
"""
JS_ENGINE_STARTED = """
async () => {
  const src = document.querySelector('script[src$="javascripts/calculator.js"]').src;
  return (await import(new URL("engine/engine-client.js", src).href)).engineStarted();
}
"""
JS_OFFLINE_COPY_ASKED = "() => window.__b12Registrations.length > 0"


def stay_on_home(make_context: Any, site: str, device: dict[str, Any], init: str | None = None) -> Page:
    """Open Home on the given device (and connection), then let 10 s of the page's clock pass."""
    context, _ = make_context(**device)
    if init:
        context.add_init_script(init)
    context.add_init_script(RECORD_REGISTRATIONS)
    page: Page = context.new_page()
    page.clock.install()
    page.goto(site)
    page.wait_for_function("Boolean(window.document$)")
    page.clock.run_for(10_000)
    return page


@pytest.mark.parametrize(("device", "init"), [
    pytest.param(PHONE, None, id="phone"),
    pytest.param(DESKTOP, connection(saveData=True), id="save-data"),
    pytest.param(DESKTOP, connection(effectiveType="3g"), id="slow-link-3g"),
    pytest.param(DESKTOP, connection(effectiveType="slow-2g"), id="slow-link-2g"),
    pytest.param(DESKTOP, connection(type="cellular"), id="metered-cellular"),
    pytest.param(PHONE, connection(saveData=True), id="phone-save-data"),
])
def test_a_stay_on_a_content_page_downloads_nothing_more(
    make_context: Any, site: str, device: dict[str, Any], init: str | None,
) -> None:
    page = stay_on_home(make_context, site, device, init)
    assert page.evaluate(JS_ENGINE_STARTED) is False, "no engine prewarm"
    assert page.evaluate(JS_OFFLINE_COPY_ASKED) is False, "no offline copy from a content page"


def test_a_stay_on_a_desktop_with_a_fast_link_prewarms_and_makes_the_offline_copy(
    make_context: Any, site: str,
) -> None:
    """Control for the test above: the same stay, on the same clock, starts both."""
    page = stay_on_home(make_context, site, DESKTOP, connection(effectiveType="4g", type="wifi"))
    assert page.evaluate(JS_ENGINE_STARTED) is True
    assert page.evaluate(JS_OFFLINE_COPY_ASKED) is True


def test_on_a_phone_a_touch_on_a_calculator_link_still_starts_the_engine(
    make_context: Any, site: str,
) -> None:
    page = stay_on_home(make_context, site, PHONE)
    assert page.evaluate(JS_ENGINE_STARTED) is False
    page.dispatch_event(CTA, "touchstart")
    assert page.evaluate(JS_ENGINE_STARTED) is True

"""The calculator in the site: instant navigation, one engine per visit, no third-party request, the
loading state, the fallback when WebAssembly cannot load (HAZ-08), and the prewarm policy on content pages
(docs/javascripts/engine/prewarm.js). Nothing here is timed: what started the engine, and whether it
started, is read from the page; the engine's speed is measured by bench/bench_calculator.py."""

from __future__ import annotations

from typing import Any

from conftest import JS_AWAIT_NEXT_RESULT, JS_ENGINE, RECORD_WORKERS, engine_workers_made
from playwright.sync_api import Page, Route

RESULT = '#b12-calculator [data-b12="result"]'
FORM = '#b12-calculator [data-b12="form"]'
STATUS = '#b12-calculator [data-b12="status"]'
NAV_CALCULATOR = '.md-sidebar--primary a.md-nav__link[href$="calculator/"]'
# The first entry of the primary navigation (instant navigation rewrites hrefs to absolute URLs).
NAV_HOME = ".md-sidebar--primary .md-nav--primary > .md-nav__list > .md-nav__item:first-child > a"


def engine_workers(page: Page) -> list[str]:
    return [w.url for w in page.workers if w.url.endswith("/javascripts/engine/engine-worker.js")]


# Whether something in this visit has started the engine: asked of the page's own engine-client module
# (the same instance the page imported), so a negative answer needs no waiting for a worker that might
# still appear.
JS_ENGINE_STARTED = """
async () => {
  const src = document.querySelector('script[src$="javascripts/calculator.js"]').src;
  return (await import(new URL("engine/engine-client.js", src).href)).engineStarted();
}
"""
# Records every state the calculator's status shows from now on, across instant navigation (the window
# survives it; the status element is made again when the calculator mounts).
JS_RECORD_STATUS_STATES = """
() => {
  window.__b12States = [];
  const record = () => {
    const status = document.querySelector('#b12-calculator [data-b12="status"]');
    const state = status && status.dataset.state;
    if (state && window.__b12States.at(-1) !== state) window.__b12States.push(state);
  };
  new MutationObserver(record).observe(document.body, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["data-state"] });
}
"""
SAVE_DATA = "Object.defineProperty(navigator, 'connection', {value: {saveData: true, effectiveType: '4g'}})"


def test_loading_state_is_visible_before_the_engine_is_ready(page: Page, site: str, wait_result: Any) -> None:
    # The runtime is held until the loading state has been seen: the engine starts from the page's <head>,
    # so on a busy machine it could otherwise be ready before the page had shown anything.
    held: list[Route] = []
    released = False

    def hold_until_released(route: Route) -> None:
        if released:
            route.continue_()
        else:
            held.append(route)

    page.route("**/pyodide/pyodide.asm.wasm", hold_until_released)
    page.goto(site + "calculator/", wait_until="domcontentloaded")
    page.wait_for_selector(f"{STATUS}[data-state=booting]")
    status = page.locator(STATUS).inner_text()
    assert "Loading calculator engine" in status
    assert page.locator(f"{STATUS} progress").count() == 1
    assert page.locator(f"{FORM} [name=total_b12]").is_editable(), "the form is usable while loading"
    page.fill(f"{FORM} [name=total_b12]", "400")
    released = True
    for route in held:
        route.continue_()
    wait_result(page)
    page.wait_for_selector(f"{RESULT}[data-status=unlikely]")
    assert page.locator(f'{STATUS}[data-state="ready"]').count() == 1


# Records when the page posts an evaluation to a worker (exports carry a format and are not counted).
INIT_COUNT_EVALUATIONS = """
(() => {
  const sent = [];
  Object.defineProperty(window, "__sentEvaluations", { value: sent });
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message, ...rest) {
    const evaluation = message && message.request !== undefined && message.format === undefined;
    if (evaluation) sent.push(performance.now());
    return post.call(this, message, ...rest);
  };
})();
"""

CASE_URL = "calculator/#v=x&total_b12=150&age_years=67"


def open_case(make_context: Any, site: str, wait_result: Any, *init_scripts: str) -> Page:
    """A fresh context on the calculator with a deficient case in the form, its first result shown."""
    context, _ = make_context()
    for script in init_scripts:
        context.add_init_script(script)
    page: Page = context.new_page()
    page.goto(site + CASE_URL)
    wait_result(page)
    return page


def test_the_form_is_sent_once_while_the_engine_boots(make_context: Any, site: str, wait_result: Any) -> None:
    # The first answer must not wait for a round trip after "ready", nor be asked for twice.
    page = open_case(make_context, site, wait_result, INIT_COUNT_EVALUATIONS)
    sent = page.evaluate("window.__sentEvaluations")
    engine = page.evaluate(JS_ENGINE)
    ready_at = engine["startedAt"] + engine["ready"]["ms"]  # on the page's clock
    assert len(sent) == 1, f"one evaluation for the first result, not {len(sent)}"
    assert sent[0] < ready_at, "the form was sent while the engine booted"
    assert page.locator(f"{RESULT}[data-status=deficient]").count() == 1
    assert page.locator(f"{FORM} [name=total_b12]").input_value() == "150"


def test_leaving_a_date_unchanged_asks_nothing(make_context: Any, site: str, wait_result: Any) -> None:
    # Focus leaving a date re-checks it (a half-typed date fires no input); an unchanged form is not sent
    # again, so the result is not re-rendered under a keyboard reader on their way into it.
    page = open_case(make_context, site, wait_result, INIT_COUNT_EVALUATIONS)
    before = len(page.evaluate("window.__sentEvaluations"))
    page.focus(f"{FORM} [name=start_date]")
    page.keyboard.press("Shift+Tab")  # focus leaves the date, nothing typed
    page.evaluate(JS_AWAIT_NEXT_RESULT)
    page.fill(f"{FORM} [name=age_years]", "70")
    page.wait_for_function("window.__b12NextResult === true")
    assert len(page.evaluate("window.__sentEvaluations")) == before + 1, "one request: the age, not the date"


def test_a_new_result_keeps_focus_where_it_was(make_context: Any, site: str, wait_result: Any) -> None:
    # The answer to the last keystroke can arrive after a quick Tab has taken focus into the result: the
    # re-rendered result puts focus on the same control of the new result, not on <body>. (Here the form
    # changes while focus stays in the result, which is the same thing without the timing.)
    page = open_case(make_context, site, wait_result)
    page.focus(f"{RESULT} button[data-action=copy-link]")
    page.evaluate(JS_AWAIT_NEXT_RESULT)
    page.evaluate("() => { const age = document.querySelector('#b12-calculator [name=age_years]');"
                  " age.value = '70'; age.dispatchEvent(new Event('input', {bubbles: true})); }")
    page.wait_for_function("window.__b12NextResult === true")
    assert page.input_value(f"{FORM} [name=age_years]") == "70"
    focused = page.evaluate(
        "() => { const el = document.activeElement;"
        " return [el.tagName, el.dataset.action || '', Boolean(el.closest('[data-b12=result]'))]; }"
    )
    assert focused == ["BUTTON", "copy-link", True]


def test_reached_by_clicking_from_home_with_instant_navigation(
    make_context: Any, site: str,
) -> None:
    context, traffic = make_context()
    context.add_init_script(RECORD_WORKERS)
    page = context.new_page()
    page.goto(site)
    page.evaluate("window.__b12TestMarker = 'set before the click'")
    page.click(NAV_CALCULATOR)
    page.wait_for_url(site + "calculator/")
    page.wait_for_selector(f"{RESULT}[data-status]", state="attached")
    assert page.evaluate("window.__b12TestMarker") == "set before the click", "instant navigation, no reload"
    page.fill(f"{FORM} [name=total_b12]", "250")
    page.wait_for_selector(f"{RESULT}[data-status=indeterminate]")

    # Away and back again: the same single engine answers, without booting again.
    page.click(NAV_HOME)
    page.wait_for_url(site)
    page.evaluate(JS_RECORD_STATUS_STATES)
    page.click(NAV_CALCULATOR)
    page.wait_for_url(site + "calculator/")
    page.wait_for_selector(f"{RESULT}[data-status]", state="attached")
    assert "booting" not in page.evaluate("window.__b12States"), "the engine started again"
    page.fill(f"{FORM} [name=total_b12]", "150")
    page.wait_for_selector(f"{RESULT}[data-status=deficient]")
    assert page.evaluate("window.__b12TestMarker") == "set before the click"
    made = engine_workers_made(page)
    assert len(made) == 1, f"one engine worker per visit: {made}"
    assert traffic.foreign() == []


def test_zero_requests_to_other_origins(page: Page, site: str, traffic: Any, wait_result: Any) -> None:
    page.goto(site)
    page.click(NAV_CALCULATOR)
    page.wait_for_url(site + "calculator/")
    wait_result(page)
    page.fill(f"{FORM} [name=total_b12]", "150")
    page.wait_for_selector(f"{RESULT}[data-status=deficient]")
    page.goto(site + "references/")
    page.goto(site + "calculator/")
    wait_result(page)
    assert any(u.endswith("/pyodide/pyodide.asm.wasm") for u in traffic.urls), "worker requests are recorded"
    assert any(u.endswith(".whl") for u in traffic.urls), "the wheel comes from the site"
    assert traffic.foreign() == [], "requests left the test server"


def test_fallback_when_webassembly_cannot_load(page: Page, site: str, wait_result: Any) -> None:
    page.route("**/pyodide.asm.wasm", lambda route: route.abort())
    page.goto(site + "calculator/")
    fallback = page.locator(f"{STATUS} [role=alert]")
    fallback.wait_for(timeout=30_000)
    assert "could not start" in fallback.inner_text()
    retry = page.get_by_role("button", name="Retry")
    assert retry.is_visible()
    assert page.locator(f"{RESULT}[data-status]").count() == 0
    # The static tables further down the page stay visible.
    for anchor in ("static-bands", "static-route", "static-fields", "static-limits"):
        heading = page.locator(f"#{anchor}")
        assert heading.is_visible(), anchor
    tables = page.locator("#static-bands ~ .md-typeset__scrollwrap table, #static-bands ~ table")
    assert tables.first.is_visible()

    page.unroute("**/pyodide.asm.wasm")
    retry.click()
    wait_result(page)
    assert page.locator(f"{STATUS} [role=alert]").count() == 0


def test_fallback_when_the_worker_script_is_missing(page: Page, site: str) -> None:
    page.route("**/javascripts/engine/engine-worker.js",
               lambda route: route.fulfill(status=404, body="missing"))
    page.goto(site + "calculator/")
    page.locator(f"{STATUS} [role=alert]").wait_for(timeout=15_000)
    assert page.get_by_role("button", name="Retry").is_visible()


def test_content_page_prewarms_after_a_short_stay(page: Page, site: str) -> None:
    page.goto(site)
    assert engine_workers(page) == [], "a content page starts no engine at once"
    with page.expect_worker(lambda w: w.url.endswith("/javascripts/engine/engine-worker.js"), timeout=8_000):
        pass


def test_intent_on_a_calculator_link_prewarms_at_once(make_context: Any, site: str) -> None:
    # A reader who saves data gets no prewarm after a stay (the next test): so here only the hover can
    # start the engine, however long the page takes.
    context, _ = make_context()
    context.add_init_script(SAVE_DATA)
    page = context.new_page()
    page.goto(site, wait_until="domcontentloaded")
    page.wait_for_function("Boolean(window.document$)")
    assert page.evaluate(JS_ENGINE_STARTED) is False
    with page.expect_worker(lambda w: w.url.endswith("/javascripts/engine/engine-worker.js")):
        page.hover(NAV_CALCULATOR)


def test_no_prewarm_when_the_reader_saves_data(make_context: Any, site: str) -> None:
    # The page's clock is Playwright's: the 2 s stay and the idle moment after it pass at once.
    context, _ = make_context()
    context.add_init_script(SAVE_DATA)
    page = context.new_page()
    page.clock.install()
    page.goto(site)
    page.wait_for_function("Boolean(window.document$)")
    page.clock.run_for(10_000)
    assert page.evaluate(JS_ENGINE_STARTED) is False
    assert engine_workers(page) == []


def test_a_stay_prewarms_when_the_reader_does_not_save_data(make_context: Any, site: str) -> None:
    """Control for the test above: the same stay, on the same clock, starts the engine."""
    context, _ = make_context()
    page = context.new_page()
    page.clock.install()
    page.goto(site)
    page.wait_for_function("Boolean(window.document$)")
    assert page.evaluate(JS_ENGINE_STARTED) is False
    page.clock.run_for(10_000)
    assert page.evaluate(JS_ENGINE_STARTED) is True

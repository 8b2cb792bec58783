"""Accessibility (HAZ-22): axe-core (npm, pinned in package.json) finds no violation of any impact (minor
and moderate ones such as landmark-unique included) on any page, and on the calculator in every state, at
desktop and phone widths (in dark mode, the rules that read colours); a case can be completed by keyboard
alone; a settled result is announced once, not on every keystroke.

axe is injected from node_modules by the test (a local file, not a request the site makes).

The calculator's states are a matrix (STATES x schemes x the viewports each state exists at: the summary
bar is a phone layout). At each width every page, and the calculator for its states, is loaded once and
checked in both schemes, switched with the theme's own toggle. A state whose interface is missing from
the page (the plan's collapsible groups, the phone summary bar) FAILS: that is a regression, not
something to skip.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import DESKTOP, JS_AWAIT_NEXT_RESULT, JS_NEXT_ANSWER, PHONE, new_context_for
from playwright.sync_api import Browser, BrowserContext, Page

from calc import evaluate

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCHEMES = ["light", "dark"]
VIEWPORTS = {"desktop": DESKTOP["viewport"], "phone": PHONE["viewport"]}
ROOT = "#b12-calculator"
FORM = f'{ROOT} [data-b12="form"]'
RESULT = f'{ROOT} [data-b12="result"]'
STATUS = f'{ROOT} [data-b12="status"]'
LIVE = f'{ROOT} [data-b12="live"]'

# A case with a plan, warnings and a schedule; and one with an error in three fields.
CASE = {"total_b12": 150, "causes": ["autoimmune_gastritis"], "start_date": "2026-01-05"}
# A review visit whose plan changes the treatment (a prescription with counselling and checks).
REVIEW_CASE = {"visit": "review", "causes": ["unknown"], "current_treatment": "oral", "response": "unchanged",
               "adherence": "good", "total_b12": 150}
BAD_CASE = {"total_b12": -5, "mma": "abc", "age_years": 200}


def site_pages(site_dir: Path) -> list[str]:
    """Every page of the built site, as paths under its address ("" is Home): new pages are checked too."""
    pages = sorted(str(p.parent.relative_to(site_dir)) + "/" for p in site_dir.glob("*/index.html")
                   if p.parent.name not in ("pyodide", "assets", "search"))
    assert len(pages) >= 10, pages
    return ["", *pages]


#: The axe rules whose answer depends on colours. The theme's two schemes differ in colours only (its
#: palette sets CSS custom properties from data-md-color-scheme; the markup is the same), so a dark-scheme
#: run checks these rules and the light run of the same page and width checks every rule.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


def rules_for(scheme: str) -> list[str] | None:
    """The axe rules a run in ``scheme`` checks (None: every rule)."""
    return COLOUR_RULES if scheme == "dark" else None


def axe_violations(page: Page, where: str, rules: list[str] | None = None) -> list[str]:
    """axe's violations on the page as it is now, of any impact, one line each; ``rules`` limits the run to
    those rules (None: every rule)."""
    assert AXE.is_file(), f"{AXE} missing: run scripts/build (npm ci installs axe-core)"
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if rules is not None:
        options["runOnly"] = {"type": "rule", "values": rules}
    result = page.evaluate("(options) => axe.run(document, options)", options)
    found = []
    for violation in result["violations"]:
        targets = [" ".join(map(str, n["target"])) for n in violation["nodes"][:3]]
        found.append(f"{where}: {violation['id']} ({violation['impact']}): {targets}")
    return found


#: The theme's name for each colour scheme (mkdocs.yml's palette: "default" light, "slate" dark).
THEME_SCHEME = {"light": "default", "dark": "slate"}


def use_scheme(page: Page, scheme: str) -> None:
    """Show ``page`` in ``scheme`` with the theme's own palette toggle in the header, as a reader switches.
    The theme stores the choice for the context's next pages; the two schemes differ in the attribute the
    toggle sets (the stylesheets have no prefers-color-scheme rule of their own), so a reader whose system
    is dark sees the same colours. Waits until the switch is over (the theme turns transitions off while
    the attribute it sets is there), so axe measures the scheme's colours, not a frame of a fade."""
    wanted = THEME_SCHEME[scheme]
    if page.get_attribute("body", "data-md-color-scheme") != wanted:
        page.click("[data-md-component=palette] label:not([hidden])")
    page.wait_for_selector(f"body[data-md-color-scheme={wanted}]:not([data-md-color-switching])",
                           state="attached")


@pytest.fixture(scope="module")
def page_sweep(
    browser: Browser, site: str, site_dir: Path, wait_result: Callable[[Any], None]
) -> Callable[[str], dict[str, list[str]]]:
    """axe over every page at one width, each page loaded once and checked in both schemes (all rules
    light, the colour rules dark): {scheme: violations}. Made once per width for the module's tests."""
    swept: dict[str, dict[str, list[str]]] = {}

    def sweep(viewport: str) -> dict[str, list[str]]:
        if viewport in swept:
            return swept[viewport]
        context, _ = new_context_for(browser, site, viewport=VIEWPORTS[viewport])
        page = context.new_page()
        found: dict[str, list[str]] = {scheme: [] for scheme in SCHEMES}
        try:
            for path in site_pages(site_dir):
                page.goto(site + path)
                if path == "calculator/":
                    wait_result(page)
                    page.fill(f"{FORM} [name=total_b12]", "150")
                    page.wait_for_selector(f"{RESULT}[data-status=deficient]")
                for scheme in SCHEMES:
                    use_scheme(page, scheme)
                    where = f"/{path} [{scheme}, {viewport}]"
                    found[scheme] += axe_violations(page, where, rules_for(scheme))
        finally:
            context.close()
        swept[viewport] = found
        return found

    return sweep


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_accessibility_violations(
    page_sweep: Callable[[str], dict[str, list[str]]], scheme: str, viewport: str
) -> None:
    """HAZ-22: zero violations on every page, in both colour schemes and at both widths (the
    calculator page with a result on screen); in the dark scheme, of the rules that read colours."""
    found = page_sweep(viewport)[scheme]
    assert not found, "\n".join(found)


# --- the calculator in every state ------------------------------------------------------------------------


@dataclass
class CalculatorPage:
    page: Page

    def show(self, request: dict[str, Any]) -> str:
        """Put ``request`` in the form (widget's own requestToForm) and wait for the answer's kind."""
        kind: str = self.page.evaluate(JS_NEXT_ANSWER, request)["kind"]
        return kind


@pytest.fixture(scope="module")
def calculator_pages(browser: Browser, site: str) -> Iterator[Callable[[str, str], CalculatorPage]]:
    """One calculator page with a ready engine per viewport, shared by the state tests; each test's
    scheme is switched to with the theme's toggle (``use_scheme``)."""
    made: dict[str, tuple[BrowserContext, CalculatorPage]] = {}

    def get(scheme: str, viewport: str) -> CalculatorPage:
        if viewport not in made:
            # CSP bypassed (conftest's default): axe goes in as an inline script (test_csp.py checks the
            # policy itself)
            context, _ = new_context_for(browser, site, viewport=VIEWPORTS[viewport])
            page = context.new_page()
            page.goto(site + "calculator/")
            page.wait_for_selector(f"{RESULT}[data-status]", state="attached")
            made[viewport] = (context, CalculatorPage(page))
        calc = made[viewport][1]
        calc.page.emulate_media(media="screen")
        calc.page.evaluate("window.scrollTo(0, 0)")
        use_scheme(calc.page, scheme)
        return calc

    yield get
    for context, _ in made.values():
        context.close()


def state_empty(calc: CalculatorPage, viewport: str) -> None:
    assert calc.show({}) == "result"
    # The empty form is the first thing a reader meets: no field is marked invalid.
    assert calc.page.locator(f"{FORM} [aria-invalid=true]").count() == 0


def state_result(calc: CalculatorPage, viewport: str) -> None:
    assert calc.show(CASE) == "result"
    calc.page.wait_for_selector(f"{RESULT}[data-status=deficient]")


def state_errors(calc: CalculatorPage, viewport: str) -> None:
    assert calc.show(BAD_CASE) == "errors"
    assert calc.page.locator(f"{FORM} [aria-invalid=true]").count() >= 3


def state_plan_expanded(calc: CalculatorPage, viewport: str) -> None:
    state_result(calc, viewport)
    groups = calc.page.locator(f"{RESULT} details")
    assert groups.count() > 0, "the result has no collapsible parts (alternatives, other guidance)"
    opened = calc.page.evaluate(
        f"() => {{ const all = [...document.querySelectorAll('{RESULT} details')];"
        " all.forEach((d) => { d.open = true; }); return all.filter((d) => d.open).length; }"
    )
    assert opened == groups.count()


def state_summary_bar(calc: CalculatorPage, viewport: str) -> None:
    state_result(calc, viewport)
    bar = calc.page.locator(f"{STATUS} [data-plan-bar]")
    assert bar.count() == 1, "no summary bar ([data-plan-bar]) on a phone"
    # Scroll into the result: the bar stays in view above it (sticky).
    calc.page.locator(RESULT).scroll_into_view_if_needed()
    calc.page.evaluate(f"document.querySelector('{RESULT}').scrollIntoView({{block: 'center'}})")
    assert bar.is_visible()
    top = bar.evaluate("(el) => el.getBoundingClientRect().top")
    assert 0 <= top < VIEWPORTS[viewport]["height"], "the bar is on screen while the plan is scrolled"
    # Scrolling swaps the theme's header title for the page title with a fade: wait until the swap has
    # happened and no transition runs, so axe measures the colours a reader sees, not a frame of the fade.
    calc.page.wait_for_function(JS_HEADER_SETTLED)


# The theme's header shows the page title once the page is scrolled (class md-header__title--active), with
# CSS transitions; settled when that is so and no animation or transition is running on the page.
JS_HEADER_SETTLED = """
() => document.querySelector(".md-header__title--active") !== null
  && document.getAnimations().every((a) => a.playState !== "running")
"""


def state_review(calc: CalculatorPage, viewport: str) -> None:
    """The review's questions shown and answered, its plan with the prescription's lists open."""
    assert calc.show(REVIEW_CASE) == "result"
    calc.page.wait_for_selector(f"{FORM} fieldset[data-group=review]", state="visible")
    calc.page.wait_for_selector(f"{RESULT} [data-plan][data-plan-action=change] [data-prescription]")
    calc.page.evaluate(f"() => document.querySelectorAll('{RESULT} [data-prescription] details')"
                       ".forEach((d) => { d.open = true; })")


def state_print(calc: CalculatorPage, viewport: str) -> None:
    state_result(calc, viewport)
    calc.page.emulate_media(media="print")


STATES: dict[str, Callable[[CalculatorPage, str], None]] = {
    "empty": state_empty,
    "result": state_result,
    "errors": state_errors,
    "plan expanded": state_plan_expanded,
    "phone summary bar": state_summary_bar,
    "review": state_review,
    "print": state_print,
}
#: The viewports a state exists at (the others: all of VIEWPORTS).
STATE_VIEWPORTS = {"phone summary bar": ["phone"]}
# (state, scheme, viewport), in the order and with the ids of the full matrix: "state-scheme-viewport".
STATE_CASES = [
    pytest.param(state, scheme, viewport, id=f"{state}-{scheme}-{viewport}")
    for state in STATES for scheme in SCHEMES for viewport in STATE_VIEWPORTS.get(state, list(VIEWPORTS))
]


@pytest.mark.parametrize(("state", "scheme", "viewport"), STATE_CASES)
def test_calculator_states_have_no_violations(
    calculator_pages: Callable[[str, str], CalculatorPage], state: str, scheme: str, viewport: str
) -> None:
    """HAZ-22: zero axe violations on the calculator in each state, light and dark,
    desktop (1366x900) and phone (390x844)."""
    calc = calculator_pages(scheme, viewport)
    STATES[state](calc, viewport)
    found = axe_violations(calc.page, f"calculator [{state}, {scheme}, {viewport}]", rules_for(scheme))
    calc.page.emulate_media(media="screen")
    assert not found, "\n".join(found)


def test_no_aria_prohibited_attributes(calculator_pages: Callable[[str, str], CalculatorPage]) -> None:
    """HAZ-22: an older axe (4.12, as bundled by axe-playwright-python) reported 'aria-prohibited-attr'
    (serious) on /calculator/: an aria-label on an element whose role does not allow naming. Checked in
    every outcome axe has (violation, or 'needs review'), in each state, so neither axe version can find
    it."""
    calc = calculator_pages("light", "desktop")
    found = []
    for state in ("empty", "result", "errors"):
        STATES[state](calc, "desktop")
        if not calc.page.evaluate("typeof window.axe === 'object'"):
            calc.page.add_script_tag(path=str(AXE))
        result = calc.page.evaluate(
            "axe.run(document, {runOnly: ['aria-prohibited-attr'],"
            " resultTypes: ['violations', 'incomplete']})"
        )
        for outcome in ("violations", "incomplete"):
            for item in result[outcome]:
                found += [f"{state} ({outcome}): {n['target']} {n.get('failureSummary', '')}"
                          for n in item["nodes"]]
    assert not found, "\n".join(found)


# --- keyboard and screen reader --------------------------------------------------------------------------


def _active(page: Page) -> dict[str, Any]:
    info: dict[str, Any] = page.evaluate(
        "() => { const el = document.activeElement;"
        " return {name: el.name || '', value: el.value || '', tag: el.tagName.toLowerCase(),"
        " type: el.type || '', text: (el.textContent || '').trim().slice(0, 80),"
        " inResult: Boolean(el.closest('[data-b12=result]')),"
        " inStatus: Boolean(el.closest('[data-b12=status]')), id: el.id || ''}; }"
    )
    return info


def _where_headlines(page: Page) -> dict[str, Any]:
    """Where the plan headlines and the focused element are, for a failure's message."""
    where: dict[str, Any] = page.evaluate(
        """() => {
          const box = (el) => {
            const r = el.getBoundingClientRect();
            return [Math.round(r.top), Math.round(r.bottom)];
          };
          const result = document.querySelector('#b12-calculator [data-b12=result]');
          const focused = document.activeElement;
          return {
            scrollY: Math.round(scrollY),
            result: { scrollTop: result.scrollTop, clientHeight: result.clientHeight, hidden: result.hidden },
            headlines: [...document.querySelectorAll('#b12-calculator [data-plan-headline]')].map(box),
            focused: [focused.tagName, (focused.textContent || '').trim().slice(0, 40), ...box(focused)],
          };
        }"""
    )
    return where


def _tab_to(
    page: Page, match: Callable[[dict[str, Any]], bool], limit: int = 120, back: bool = False
) -> None:
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        if match(_active(page)):
            return
    raise AssertionError(f"never reached the control by {'Shift+' if back else ''}Tab; last: {_active(page)}")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_case_completed_by_keyboard_alone(
    make_context: Callable[..., tuple[BrowserContext, Any]], site: str, viewport: str
) -> None:
    """From the top of the page, with Tab, typing and Space only: enter a total B12, tick a cause, and
    reach the plan (focus inside the result, the plan's headline on screen)."""
    context, _ = make_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    page.goto(site + "calculator/")
    page.wait_for_selector(f"{RESULT}[data-status]", state="attached")
    _tab_to(page, lambda a: a["name"] == "total_b12")
    page.keyboard.type("150")
    _tab_to(page, lambda a: a["name"] == "causes" and a["value"] == "autoimmune_gastritis")
    page.evaluate(JS_AWAIT_NEXT_RESULT)
    page.keyboard.press("Space")
    page.wait_for_function("window.__b12NextResult === true")  # the result for the ticked cause
    page.wait_for_selector(f"{FORM} [name=causes][value=autoimmune_gastritis]:checked")
    page.wait_for_selector(f"{RESULT}[data-status=deficient]")
    # On into the result: the plan card (beside the form on a wide screen, below it on a phone).
    _tab_to(page, lambda a: a["inResult"])
    assert page.locator(f"{RESULT} [data-plan-headline]").first.is_visible(), "the plan has a headline"
    # The headline is on screen: in the card itself, or in the phone's sticky summary bar above it.
    on_screen = page.eval_on_selector_all(
        f"{ROOT} [data-plan-headline]",
        "(els, height) => els.some((el) => { const r = el.getBoundingClientRect();"
        " return r.height > 0 && r.bottom > 0 && r.top < height; })",
        VIEWPORTS[viewport]["height"],
    )
    assert on_screen, f"the plan headline is in view: {_where_headlines(page)}"
    assert page.locator(f"{FORM} [aria-invalid=true]").count() == 0


JS_WATCH_LIVE = """
() => {
  const live = document.querySelector('#b12-calculator [data-b12="live"]');
  window.__b12Announced = [];
  // One observer at a time: a second burst must not be recorded twice.
  if (window.__b12LiveObserver) window.__b12LiveObserver.disconnect();
  window.__b12LiveObserver = new MutationObserver(() => window.__b12Announced.push(live.textContent));
  window.__b12LiveObserver.observe(live, { childList: true, characterData: true, subtree: true });
  return live.textContent;
}
"""


def test_plan_announced_once_per_settled_result(
    calculator_pages: Callable[[str, str], CalculatorPage],
) -> None:
    """HAZ-22: the polite live region speaks once after typing settles, not on every keystroke, and says
    the same as when the final value is entered in one go.

    No fixed waits: each step waits for the announcement of the result it expects (the plan's one-line
    summary). Announcements are timers of the same delay, so they fire in the order they were made: by the
    time the last result is announced, any announcement of an earlier keystroke has been made too."""
    calc = calculator_pages("light", "desktop")
    page = calc.page
    field = page.locator(f"{FORM} [name=total_b12]")

    before = evaluate({"total_b12": 150})["plan"]["summary"]
    final = evaluate({"total_b12": 2000})["plan"]["summary"]
    assert before != final

    def announced(summary: str) -> str:
        return f"document.querySelector('{LIVE}').textContent.includes({summary!r})"

    def burst(text: str, delay: int) -> list[str]:
        calc.show({"total_b12": 150})  # a different outcome first (deficient), so the final one is news
        page.wait_for_function(announced(before))  # that announcement has been made: nothing is pending
        page.evaluate(JS_WATCH_LIVE)
        if delay:  # key by key, replacing the value: one input event (and one result) per key
            field.focus()
            page.keyboard.press("Control+A")
            field.press_sequentially(text, delay=delay)
        else:  # the whole value in one input event
            field.fill(text)
        page.wait_for_selector(f"{RESULT}[data-status=unlikely]")
        page.wait_for_function(announced(final))
        spoken: list[str] = page.evaluate("window.__b12Announced.filter((t) => t.trim())")
        return spoken

    typed = burst("2000", delay=30)  # "2", "20", "200", "2000": four results, deficient to unlikely
    assert len(typed) == 1, f"announced {len(typed)} times during one burst of typing: {typed}"
    at_once = burst("2000", delay=0)
    assert at_once == typed, "the burst ends with the same announcement as entering the value at once"
    assert re.search(r"\w", typed[0]) and len(typed[0]) < 300

"""The calculator page on a phone and a desk, and on paper (README: "The plan comes first"; the result
leaves the page as notes text, a link and a one- or two-page print): the phone's sticky bar carries the
take-away actions and stays out of the way of the plan's own headline; the form starts on the first
screen; a new patient's result starts at the top of the desktop's result column; no empty headings;
dependent inputs shown only when they count; colours that do not read as errors; nothing moves while
the page loads; every UX case prints on at most two A4 pages with lines for the patient's name.
Expectations come from calc.evaluate in CPython."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from conftest import DESKTOP, JS_FORM_REQUEST, PHONE, clear_form, show_case
from core.ux_cases import UX_CASES  # tests/core, shared with the export tests
from playwright.sync_api import Browser, Page

from calc import render_json

FORM = '#b12-calculator [data-b12="form"]'
RESULT = '#b12-calculator [data-b12="result"]'
STATUS = '#b12-calculator [data-b12="status"]'
PLAN = f"{RESULT} [data-plan]"
BAR = "#b12-calculator [data-plan-bar]"
PHONE_HEIGHT = PHONE["viewport"]["height"]
NEURO = UX_CASES["b"]
#: The UX review's cases, and its US neurological case (b under US guidance), which printed on 3 pages.
PRINT_CASES = {**UX_CASES, "b-us": {**UX_CASES["b"], "guidance": "us"}, "empty": {}}
#: Largest cumulative layout shift allowed while the page loads and the engine starts (web.dev's "good"
#: is 0.1; the page reserves the room its parts take, so it should stay near zero).
CLS_LIMIT = 0.02

# Records every layout shift not caused by input, from the first paint on.
JS_RECORD_SHIFTS = """
window.__b12Shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__b12Shifts.push(entry.value);
  }
}).observe({ type: "layout-shift", buffered: true });
"""
# Whether the status bar says the plan's headline is on screen.
JS_HEADLINE_IN_VIEW = ("([sel, want]) => "
                       "document.querySelector(sel).hasAttribute('data-plan-in-view') === want")
# True once the result on screen is the one for the link that test_new_patients_result_starts_at_the_top_of_
# the_column opens (its entered values: 70 years, 150).
JS_SHOWS_LINKED_CASE = ("(sel) => { const values = [...document.querySelectorAll(`${sel} dd`)]"
                        ".map((dd) => dd.textContent); "
                        "return values.includes('70 years') && values.some((v) => v.startsWith('150 ')); }")
# Resolves after two frames: layout shifts of the last rendered frame have been reported by then.
JS_TWO_FRAMES = ("() => new Promise((done) => "
                 "requestAnimationFrame(() => requestAnimationFrame(() => done(true))))")


show = show_case  # put a case in the form; CPython's result for it (conftest)


def fully_in_viewport(page: Page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    size = page.viewport_size
    assert size is not None
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"]


def stub_print(page: Page) -> None:
    """Count window.print() calls instead of opening the dialog."""
    page.evaluate("() => { window.print = () => { document.body.dataset.testPrinted = "
                  "String(Number(document.body.dataset.testPrinted || 0) + 1); }; }")


# --- the phone: the bar carries the actions and gives way to the plan's headline -------------------

def test_phone_bar_copies_the_link_and_prints(phone: Page, next_answer: Any) -> None:
    """HAZ-12: the link the bar copies is the one holding this patient's values, as the result's own."""
    show(phone, next_answer, NEURO)
    # Far down the form, the bar (sticky) still offers the take-away actions.
    phone.locator(f"{FORM} [name=start_date]").scroll_into_view_if_needed()
    for action in ("copy-text", "copy-link", "print"):
        assert fully_in_viewport(phone, f'{BAR} button[data-action="{action}"]'), action
    phone.click(f'{BAR} button[data-action="copy-link"]')
    said = phone.locator(f'{BAR} [data-b12="action-status"]')
    phone.wait_for_function("(sel) => document.querySelector(sel).textContent !== ''",
                            arg=f'{BAR} [data-b12="action-status"]')
    assert said.inner_text() == "Link copied."
    copied = phone.evaluate("navigator.clipboard.readText()")
    assert copied == phone.evaluate("location.href") and "total_b12=120" in copied
    stub_print(phone)
    phone.click(f'{BAR} button[data-action="print"]')
    assert phone.evaluate("document.body.dataset.testPrinted") == "1"


def test_desktop_bar_offers_the_actions_on_the_first_screen(desktop: Page, next_answer: Any) -> None:
    """On a wide screen the plan's own buttons sit at the end of a card that can be taller than the
    screen: the bar above the form offers them where the page opens."""
    show(desktop, next_answer, NEURO)
    desktop.evaluate("window.scrollTo(0, 0)")
    for action in ("copy-text", "copy-link", "print"):
        assert fully_in_viewport(desktop, f'{BAR} button[data-action="{action}"]'), action


def test_phone_bar_copies_the_engines_notes(phone: Page, next_answer: Any) -> None:
    """HAZ-10: the bar's "Copy for notes" copies calc's notes text, unaltered."""
    show(phone, next_answer, NEURO)
    phone.evaluate("navigator.clipboard.writeText('')")
    phone.click(f'{BAR} button[data-action="copy-text"]')
    phone.wait_for_function("(sel) => document.querySelector(sel).textContent === 'Copied for the notes.'",
                            arg=f'{BAR} [data-b12="action-status"]')
    notes = json.loads(render_json(json.dumps(NEURO), "notes"))["text"]
    assert phone.evaluate("navigator.clipboard.readText()") == notes


def test_phone_bar_leaves_out_the_headline_while_the_plans_is_on_screen(phone: Page,
                                                                       next_answer: Any) -> None:
    show(phone, next_answer, NEURO)
    phone.evaluate("window.scrollTo(0, 0)")
    bar_headline = phone.locator(f"{BAR} [data-plan-headline]")
    plan_headline = phone.locator(f"{PLAN} [data-plan-headline]")
    # The plan is below the form: the bar gives the dose.
    phone.locator(f"{FORM} [name=total_b12]").scroll_into_view_if_needed()
    phone.wait_for_function(JS_HEADLINE_IN_VIEW, arg=[STATUS, False])
    assert bar_headline.is_visible()
    # The plan's own headline in view below the sticky bar: the bar does not repeat it, its actions stay.
    phone.click(f"{BAR} .b12-calc__jump")
    phone.wait_for_function(JS_HEADLINE_IN_VIEW, arg=[STATUS, True])
    assert not bar_headline.is_visible()
    assert fully_in_viewport(phone, f"{PLAN} [data-plan-headline]")
    bar_bottom = phone.locator(STATUS).bounding_box()
    plan_box = plan_headline.bounding_box()
    assert bar_bottom is not None and plan_box is not None
    assert plan_box["y"] >= bar_bottom["y"] + bar_bottom["height"] - 1, "the headline is not under the bar"
    assert phone.locator(f'{BAR} button[data-action="copy-link"]').is_visible()
    # Back up in the form, the bar shows the dose again.
    phone.locator(f"{FORM} [name=age_years]").scroll_into_view_if_needed()
    phone.wait_for_function(JS_HEADLINE_IN_VIEW, arg=[STATUS, False])
    assert bar_headline.is_visible()


def test_phone_form_starts_on_the_first_screen(open_calculator: Any) -> None:
    """A cold visit on a phone: the first input (the visit switch) is on the first screen, and the total
    B12 field starts there too, with the page scrolled to its top, once the engine has answered (the UX
    review measured the total B12 field below the first screen)."""
    context, page = open_calculator(**PHONE)
    try:
        page.evaluate(JS_TWO_FRAMES)
        assert page.evaluate("window.scrollY") == 0
        assert fully_in_viewport(page, f"{FORM} [data-field=visit] .b12-calc__segmented")
        total = page.locator(f"{FORM} [name=total_b12]").bounding_box()
        assert total is not None and total["y"] + total["height"] / 2 < PHONE_HEIGHT
    finally:
        context.close()


# --- the desk: a new patient's result starts at the top of its column ------------------------------

def column_scroll(page: Page) -> int:
    return int(page.evaluate(f"document.querySelector('{RESULT}').scrollTop"))


def test_new_patients_result_starts_at_the_top_of_the_column(desktop: Page, next_answer: Any) -> None:
    show(desktop, next_answer, NEURO)
    desktop.evaluate(f"document.querySelector('{RESULT}').scrollTop = 400")
    assert column_scroll(desktop) == 400
    # A keystroke in the same patient's form keeps the reader's place.
    desktop.fill(f"{FORM} [name=age_years]", "46")
    desktop.wait_for_function("(sel) => document.querySelector(sel).textContent.includes('46')",
                              arg=f"{RESULT} .b12-calc__entered")
    assert column_scroll(desktop) == 400
    # "Clear the form": the next result is a new patient's, shown from its headline.
    desktop.evaluate("window.__b12Cleared = false; document.getElementById('b12-calculator')"
                     ".addEventListener('b12:result', () => { window.__b12Cleared = true; }, { once: true })")
    clear_form(desktop)
    desktop.wait_for_function("window.__b12Cleared === true")
    assert column_scroll(desktop) == 0
    assert desktop.locator(f"{PLAN} [data-plan-headline]").is_visible()
    box = desktop.locator(f"{PLAN} [data-plan-headline]").bounding_box()
    column = desktop.locator(RESULT).bounding_box()
    assert box is not None and column is not None and box["y"] >= column["y"]
    # A new case from a link (the address changes to another patient's values): the top too.
    show(desktop, next_answer, NEURO)
    desktop.evaluate(f"document.querySelector('{RESULT}').scrollTop = 400")
    # The theme's instant navigation may answer a hand-set fragment by swapping the page's content (the
    # widget then mounts again from it): wait for the linked patient's result, not for an event on the
    # element that was there before.
    desktop.evaluate("location.hash = '#v=2026.12.03&total_b12=150&age_years=70&causes=unknown'")
    desktop.wait_for_function(JS_SHOWS_LINKED_CASE, arg=f"{RESULT} .b12-calc__entered")
    assert desktop.evaluate(JS_FORM_REQUEST) == {"total_b12": 150, "age_years": 70, "causes": ["unknown"]}
    assert column_scroll(desktop) == 0


# --- the card: no empty heading, the scope said once ------------------------------------------------

@pytest.mark.parametrize("case", ["f", "empty", "indeterminate", "a"])
def test_next_steps_heading_only_with_steps(desktop: Page, next_answer: Any, case: str) -> None:
    others: dict[str, dict[str, Any]] = {"empty": {}, "indeterminate": {"total_b12": 250}}
    request = others[case] if case in others else UX_CASES[case]
    show(desktop, next_answer, request)
    sections = desktop.locator(f"{PLAN} .b12-calc__section--next")
    for i in range(sections.count()):
        section = sections.nth(i)
        assert section.locator("li, button").count() > 0, f"an empty Next steps heading ({case})"
    for heading in desktop.locator(f"{PLAN} .b12-calc__section > h3").all():
        body = heading.evaluate("h => h.parentElement.innerText.replace(h.innerText, '').trim()")
        assert body, f"the heading {heading.inner_text()!r} has nothing under it ({case})"


def test_child_card_gives_the_scope_sentence_once(desktop: Page, next_answer: Any) -> None:
    """HAZ-04: under 16 the card says once that NICE's logic covers people aged 16 and over."""
    expected = show(desktop, next_answer, UX_CASES["f"])
    text = desktop.locator(f"{RESULT} .b12-calc__card").inner_text()
    assert text.count(expected["scope"]["text"]) == 1


# --- inputs -------------------------------------------------------------------------------------------

def test_ileal_length_only_with_an_ileal_resection(desktop: Page, next_answer: Any) -> None:
    """HAZ-17: a length typed for an ileal resection that is then unticked is not sent unseen."""
    show(desktop, next_answer, {"total_b12": 150})
    length = desktop.locator(f"{FORM} [name=ileal_resection_cm]")
    box = desktop.locator(f"{FORM} [name=causes][value=ileal_resection]")
    assert not length.is_visible()
    assert box.get_attribute("aria-controls") == length.get_attribute("id")
    box.check()
    length.fill("30")
    desktop.wait_for_function("location.hash.includes('ileal_resection_cm=30')")
    assert desktop.evaluate(JS_FORM_REQUEST)["ileal_resection_cm"] == 30
    box.uncheck()
    assert not length.is_visible()
    desktop.wait_for_function("!location.hash.includes('ileal_resection_cm')")
    assert "ileal_resection_cm" not in desktop.evaluate(JS_FORM_REQUEST)


def test_date_hint_does_not_claim_a_format(desktop: Page) -> None:
    """The native date control shows the reader's locale format: the hint names no other."""
    hint = desktop.locator("#b12-start_date-hint").inner_text()
    assert "first dose" in hint
    assert not re.search(r"YYYY|MM|DD", hint)


# --- colours and the theme's parts ---------------------------------------------------------------

@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_colours_do_not_read_as_errors(desktop: Page, next_answer: Any, scheme: str) -> None:
    show(desktop, next_answer, NEURO)
    desktop.evaluate("(s) => document.body.setAttribute('data-md-color-scheme', s)", scheme)
    styles = desktop.evaluate(f"""() => {{
      const css = (el, prop, pseudo) => getComputedStyle(el, pseudo || null).getPropertyValue(prop).trim();
      const probe = document.createElement('span');
      probe.style.color = 'var(--md-primary-fg-color)';
      document.querySelector('{FORM}').append(probe);
      const primary = getComputedStyle(probe).color;
      const accent = (probe.style.color = 'var(--md-accent-fg-color)', getComputedStyle(probe).color);
      const body = (probe.style.color = 'var(--md-default-fg-color)', getComputedStyle(probe).color);
      const link = (probe.style.color = 'var(--md-typeset-a-color)', getComputedStyle(probe).color);
      probe.remove();
      const box = document.querySelector('{FORM} [name=neurological_symptoms]');
      const summary = document.querySelector('{RESULT} details > summary');
      return {{ primary, accent, body, link, tick: css(box, 'accent-color'),
               icon: css(summary, 'display', '::before'),
               title: getComputedStyle(document.querySelector('.md-content h1')).color }};
    }}""")
    # The primary teal; on the dark background its light tint (the scheme's link colour), never the accent.
    assert styles["tick"] == (styles["primary"] if scheme == "default" else styles["link"])
    assert styles["tick"] != styles["accent"]
    assert styles["icon"] == "none", "no pencil icon on the collapsed groups"
    assert styles["title"] == styles["body"], "the page title in the body text colour"


JS_TOP_OVER_WARNING = """() => {
  const top = document.querySelector('.md-top');
  const warning = document.querySelector('.md-content .admonition.warning');
  if (!top || !warning || top.hidden || getComputedStyle(top).display === 'none') return false;
  const a = top.getBoundingClientRect(), b = warning.getBoundingClientRect();
  return a.width > 0 && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}"""


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_back_to_top_never_covers_the_warning(request: pytest.FixtureRequest, size: str) -> None:
    """The theme shows its "Back to top" button while the reader scrolls up: on the way back to the top
    of the calculator page it never sits over the warning box."""
    page: Page = request.getfixturevalue(size)  # the module's calculator page at that size
    page.wait_for_selector(PLAN, state="attached")
    page.mouse.move(100, 400)
    page.evaluate("window.scrollTo(0, 1500)")
    covered = []
    while (y := page.evaluate("window.scrollY")) > 0:
        page.mouse.wheel(0, -100)
        page.wait_for_function("(y) => window.scrollY < y", arg=y)
        page.evaluate(JS_TWO_FRAMES)
        if page.evaluate(JS_TOP_OVER_WARNING):
            covered.append(page.evaluate("window.scrollY"))
    assert covered == [], f"the button covers the warning at scrollY {covered}"


# --- loading: nothing moves ------------------------------------------------------------------------

@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_loading_moves_nothing(browser: Browser, site: str, size: str) -> None:
    """A cold visit: the form mounting, the engine starting and its first answer shift no content
    (cumulative layout shift at most CLS_LIMIT)."""
    options = PHONE if size == "phone" else DESKTOP
    context = browser.new_context(**options, bypass_csp=True)
    try:
        page = context.new_page()
        page.add_init_script(JS_RECORD_SHIFTS)
        page.goto(site + "calculator/")
        page.wait_for_selector(f"{PLAN}", state="attached", timeout=45_000)
        page.evaluate(JS_TWO_FRAMES)
        shifts = page.evaluate("window.__b12Shifts")
        assert sum(shifts) <= CLS_LIMIT, shifts
    finally:
        context.close()


# --- print ----------------------------------------------------------------------------------------

def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


@pytest.fixture(scope="module")
def printer(desktop: Page) -> Page:
    """The module's desktop calculator, its print dialog counted instead of opened."""
    stub_print(desktop)
    return desktop


@pytest.mark.parametrize("case", sorted(PRINT_CASES))
def test_every_ux_case_prints_on_two_a4_pages_at_most(printer: Page, next_answer: Any, case: str) -> None:
    """HAZ-21: the printed plan is a clinical document: lines for the patient's name and identifier,
    the references' heading kept with its list, and at most two A4 pages."""
    show(printer, next_answer, PRINT_CASES[case])
    printer.click(f'{RESULT} button[data-action="print"]')
    lines = printer.locator(f"{RESULT} [data-print-lines]")
    assert not lines.is_visible(), "the name lines are for paper only"
    printer.emulate_media(media="print")
    try:
        assert lines.is_visible()
        assert "Patient's name" in lines.inner_text() and "number" in lines.inner_text()
        refs = printer.locator(f"{RESULT} .b12-calc__refs")
        if refs.count():
            assert refs.locator("h2").evaluate("h => getComputedStyle(h).breakAfter") == "avoid"
        pages = _pdf_pages(printer.pdf(format="A4"))
        assert 1 <= pages <= 2, (case, pages)
    finally:
        printer.emulate_media(media="screen")

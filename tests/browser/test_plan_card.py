"""The plan comes first: on a phone the dose is in view while typing, on a wide screen the plan sits beside
the form; the guidance switch, the schedule choice and the card's wording (no internal ids, no repeated
units, "plan" not in the error colour). Every expectation comes from calc.evaluate in CPython."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from conftest import DESKTOP, PHONE, clear_form
from core.ux_cases import UX_CASES  # tests/core, shared with the export tests
from playwright.sync_api import Page

from calc import REQUEST_FIELDS, evaluate, load_guideline

FORM = '#b12-calculator [data-b12="form"]'
RESULT = '#b12-calculator [data-b12="result"]'
PLAN = f"{RESULT} [data-plan]"
BAR = '#b12-calculator [data-plan-bar]'


def wait_for_plan(page: Page, request: dict[str, Any]) -> dict[str, Any]:
    """Wait until the card shows the plan CPython gives for ``request``, dated schedule included (the
    plan is often the same before a start date arrives, so the plan alone can match a stale card); return
    CPython's result."""
    expected = evaluate(request)
    plan = expected["plan"]
    dates = [e["date"] for e in expected["schedule"]]
    page.wait_for_function(
        """([sel, id, action, dates]) => { const p = document.querySelector(sel);
            if (!p || p.closest('[hidden]')) return false;
            if (p.dataset.planRegimenId !== id || p.dataset.planAction !== action) return false;
            const shown = [...p.querySelectorAll('table[data-schedule-for] time')].map(t => t.dateTime);
            return JSON.stringify(shown) === JSON.stringify(dates); }""",
        arg=[PLAN, plan["regimen_id"] or "", plan["action"], dates])
    return expected


def in_viewport(page: Page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    assert box is not None and size is not None, selector
    return box["y"] >= 0 and box["y"] + box["height"] <= size["height"] and box["width"] > 0


def not_covered(page: Page, selector: str) -> bool:
    """The element is what a tap at its centre hits (not hidden under the sticky header)."""
    return bool(page.eval_on_selector(selector, """el => { const r = el.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return Boolean(hit) && (el === hit || el.contains(hit) || hit.contains(el)); }"""))


# --- the plan comes first ---------------------------------------------------------------------------

def test_phone_shows_the_dose_while_typing(phone: Page) -> None:
    clear_form(phone)
    phone.fill(f"{FORM} [name=age_years]", "67")
    phone.fill(f"{FORM} [name=total_b12]", "150")
    expected = wait_for_plan(phone, {"age_years": 67, "total_b12": 150})
    headline = f"{BAR} [data-plan-headline]"
    assert phone.locator(headline).inner_text() == expected["plan"]["headline"]
    assert expected["plan"]["headline"] and re.search(r"\d+ ?(mg|micrograms)", expected["plan"]["headline"])
    assert in_viewport(phone, headline), "the dose is visible without scrolling"
    assert not_covered(phone, headline)
    # Further down the form the bar stays in view and follows the input.
    phone.fill(f"{FORM} [name=start_date]", "")
    phone.check(f"{FORM} [name=neurological_symptoms]")
    expected = wait_for_plan(phone, {"age_years": 67, "total_b12": 150, "neurological_symptoms": True})
    phone.wait_for_function("([sel, text]) => document.querySelector(sel).textContent === text",
                            arg=[headline, expected["plan"]["headline"]])
    assert in_viewport(phone, headline) and not_covered(phone, headline)
    assert phone.locator(f"{BAR} [data-plan-headline]").inner_text() != ""


def test_jump_to_the_plan_lands_below_the_sticky_bars(phone: Page) -> None:
    clear_form(phone)
    phone.fill(f"{FORM} [name=total_b12]", "150")
    wait_for_plan(phone, {"total_b12": 150})
    phone.click(f"{BAR} .b12-calc__jump")
    phone.wait_for_function("document.activeElement && document.activeElement.hasAttribute('data-plan')")
    title = f"{PLAN} .b12-plan__title"
    assert in_viewport(phone, title) and not_covered(phone, title)
    assert in_viewport(phone, f"{PLAN} [data-plan-headline]")
    assert "#v=" in phone.url, "the jump keeps the state fragment"


def test_wide_screen_keeps_the_plan_beside_the_form(desktop: Page) -> None:
    clear_form(desktop)
    desktop.fill(f"{FORM} [name=total_b12]", "150")
    wait_for_plan(desktop, {"total_b12": 150})
    form = desktop.locator(FORM).bounding_box()
    plan = desktop.locator(PLAN).bounding_box()
    assert form and plan
    assert plan["x"] >= form["x"] + form["width"], "the plan is to the right of the form"
    assert in_viewport(desktop, f"{PLAN} [data-plan-headline]")
    # Down at the last fields of the form, the plan is still in view (a sticky column).
    desktop.locator(f"{FORM} [name=start_date]").scroll_into_view_if_needed()
    desktop.fill(f"{FORM} [name=start_date]", "2026-12-01")
    wait_for_plan(desktop, {"total_b12": 150, "start_date": "2026-12-01"})
    assert desktop.evaluate("window.scrollY") > 300
    assert in_viewport(desktop, f"{PLAN} [data-plan-headline]")
    assert not_covered(desktop, f"{PLAN} [data-plan-headline]")


def test_guidance_switch_changes_the_plan(desktop: Page) -> None:
    clear_form(desktop)
    patient = {"age_years": 45, "total_b12": 120, "causes": ["autoimmune_gastritis"]}
    desktop.fill(f"{FORM} [name=age_years]", "45")
    desktop.fill(f"{FORM} [name=total_b12]", "120")
    desktop.check(f"{FORM} [name=causes][value=autoimmune_gastritis]")
    uk = wait_for_plan(desktop, patient)
    assert desktop.is_checked(f"{FORM} [name=guidance][value=uk]"), "UK is the default"
    desktop.click(f"{FORM} label[for=b12-guidance-us]")
    us = wait_for_plan(desktop, {**patient, "guidance": "us"})
    assert uk["plan"]["regimen_id"] != us["plan"]["regimen_id"]
    assert desktop.locator(f"{PLAN} [data-plan-headline]").inner_text() == us["plan"]["headline"]
    assert us["plan"]["guidance_label"] in desktop.locator(PLAN).inner_text()


def test_neurological_schedule_ends_at_a_reassessment(desktop: Page) -> None:
    clear_form(desktop)
    request = UX_CASES["b"]
    desktop.fill(f"{FORM} [name=age_years]", "45")
    desktop.fill(f"{FORM} [name=total_b12]", "120")
    desktop.check(f"{FORM} [name=causes][value=autoimmune_gastritis]")
    desktop.check(f"{FORM} [name=neurological_symptoms]")
    desktop.fill(f"{FORM} [name=start_date]", "2026-12-01")
    expected = wait_for_plan(desktop, request)
    # The plan itself is the same before the start date is typed: wait for the dated answer.
    desktop.wait_for_selector(f"{PLAN} table[data-schedule-for] tbody tr[data-kind=reassess]")
    rows = desktop.eval_on_selector_all(
        f"{PLAN} table[data-schedule-for] tbody tr",
        "rows => rows.map(r => [r.querySelector('time').getAttribute('datetime'), r.dataset.kind])")
    assert rows == [[e["date"], e["kind"]] for e in expected["schedule"]]
    kinds = [kind for _, kind in rows]
    assert "reassess" in kinds
    assert "dose" not in kinds[kinds.index("reassess"):], "no loading dose is dated past the reassessment"
    assert kinds.count("dose") < 15, "weeks of doses, not months"
    reassess = desktop.locator(f"{PLAN} tr[data-kind=reassess]")
    assert "Reassess" in reassess.inner_text()
    assert reassess.evaluate("r => getComputedStyle(r.cells[0]).borderTopStyle") != "none", "set apart"


def test_schedule_can_use_another_shown_regimen(desktop: Page) -> None:
    clear_form(desktop)
    request: dict[str, Any] = {"total_b12": 150, "start_date": "2026-12-01"}
    desktop.fill(f"{FORM} [name=total_b12]", "150")
    desktop.fill(f"{FORM} [name=start_date]", "2026-12-01")
    expected = wait_for_plan(desktop, request)
    other = next(r for r in expected["regimens"] if r["group"] == "alternative")
    group = desktop.locator(f'{RESULT} details[data-group="alternative"]')
    group.locator("summary").click()
    group.locator(f'[data-regimen-id="{other["id"]}"] button[data-action="schedule-regimen"]').click()
    chosen = evaluate({**request, "schedule_regimen_id": other["id"]})
    desktop.wait_for_selector(f'{PLAN} table[data-schedule-for="{other["id"]}"]')
    dates = desktop.eval_on_selector_all(f"{PLAN} table[data-schedule-for] time",
                                         "ts => ts.map(t => t.dateTime)")
    assert dates == [e["date"] for e in chosen["schedule"]]
    plan_id = desktop.get_attribute(PLAN, "data-plan-regimen-id")
    assert plan_id == expected["plan"]["regimen_id"], "the plan itself is unchanged"
    assert "schedule_regimen_id=" in desktop.url
    desktop.click(f'{PLAN} button[data-action="schedule-regimen"][data-regimen-id=""]')
    desktop.wait_for_selector(f'{PLAN} table[data-schedule-for="{expected["schedule_regimen_id"]}"]')


def test_weekdays_only_moves_doses_off_weekends(desktop: Page) -> None:
    clear_form(desktop)
    request = {**UX_CASES["b"], "weekdays_only": True}
    desktop.fill(f"{FORM} [name=total_b12]", "120")
    desktop.fill(f"{FORM} [name=age_years]", "45")
    desktop.check(f"{FORM} [name=causes][value=autoimmune_gastritis]")
    desktop.check(f"{FORM} [name=neurological_symptoms]")
    desktop.fill(f"{FORM} [name=start_date]", "2026-12-01")
    desktop.check(f"{FORM} [name=weekdays_only]")
    expected = wait_for_plan(desktop, request)
    # The plan is the same with and without weekdays_only: wait for the moved dates themselves.
    want = json.dumps([e["date"] for e in expected["schedule"] if e["kind"] == "dose"], separators=(",", ":"))
    desktop.wait_for_function(
        "([sel, want]) => JSON.stringify([...document.querySelectorAll(sel)].map(t => t.dateTime)) === want",
        arg=[f"{PLAN} tr[data-kind=dose] time", want])
    dates = desktop.eval_on_selector_all(f"{PLAN} tr[data-kind=dose] time", "ts => ts.map(t => t.dateTime)")
    assert dates == [e["date"] for e in expected["schedule"] if e["kind"] == "dose"]
    weekdays = desktop.eval_on_selector_all(
        f"{PLAN} tr[data-kind=dose] time",
        "ts => ts.map(t => new Date(t.dateTime + 'T00:00:00Z').getUTCDay())")
    assert weekdays and all(day not in (0, 6) for day in weekdays)


# --- the card's wording -------------------------------------------------------------------------------

def internal_names() -> set[str]:
    """Words a reader should never see: regimen ids, cause codes and field names that look like code."""
    g = load_guideline()
    names = {r.id for r in g.regimens} | {c.code for c in g.causes} | {f.name for f in REQUEST_FIELDS}
    return {n for n in names if "_" in n or "-" in n}


@pytest.mark.parametrize("case", sorted(UX_CASES))
def test_card_order_and_wording(desktop: Page, case: str, next_answer: Any) -> None:
    request = UX_CASES[case]
    clear_form(desktop)
    answer = next_answer(desktop, request)
    assert answer["kind"] == "result"
    expected = evaluate(request)
    plan = expected["plan"]
    assert desktop.get_attribute(PLAN, "data-plan-action") == plan["action"]
    assert desktop.get_attribute(PLAN, "data-plan-regimen-id") == (plan["regimen_id"] or "")
    if plan["headline"]:
        assert desktop.locator(f"{PLAN} [data-plan-headline]").inner_text() == plan["headline"]
    # The plan comes first; every other regimen waits in a collapsed group of its own.
    assert desktop.eval_on_selector(f"{RESULT} .b12-calc__card", """c => [...c.children]
        .filter(e => getComputedStyle(e).display !== 'none')
        .filter(e => !e.classList.contains('b12-calc__out-of-scope'))[0].hasAttribute('data-plan')""")
    groups = desktop.eval_on_selector_all(f"{RESULT} details[data-group]",
                                          "ds => ds.map(d => [d.dataset.group, d.open])")
    assert all(not is_open for _, is_open in groups), "collapsed"
    for group in ("alternative", "other_guidance", "for_comparison"):
        ids = desktop.eval_on_selector_all(f'{RESULT} details[data-group="{group}"] article[data-regimen-id]',
                                           "els => els.map(e => e.dataset.regimenId)")
        assert ids == [r["id"] for r in expected["regimens"] if r["group"] == group], group
    planned = {c["code"] for c in plan["cautions"]}
    standing = desktop.eval_on_selector_all(f'{RESULT} details[data-group="standing-cautions"] [data-code]',
                                            "els => els.map(e => e.dataset.code)")
    assert standing == [w["code"] for w in expected["warnings"] if w["code"] not in planned]
    # Open everything, then read what a reader can see: no internal names, no unit said twice.
    desktop.eval_on_selector_all(f"{RESULT} details", "ds => ds.forEach(d => { d.open = true; })")
    text = desktop.locator(RESULT).inner_text()
    leaked = sorted(n for n in internal_names() if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text))
    assert leaked == [], leaked
    assert not re.search(r"(\d[\d.]* ?(ng/L|pmol/L|pg/mL)).*= .*\2", text.split("\n")[0])
    for line in text.splitlines():
        units = re.findall(r"\b\d[\d.]* ?(ng/L|pmol/L|pg/mL)", line)
        assert len(units) == len(set(units)), f"a unit repeated: {line}"


def test_plan_badge_is_not_the_error_colour(desktop: Page, next_answer: Any) -> None:
    next_answer(desktop, UX_CASES["a"])
    for scheme in ("default", "slate"):
        desktop.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)", scheme)
        colours = desktop.eval_on_selector(f"{PLAN} .b12-calc__badge--action", """b => {
            const s = getComputedStyle(b);
            const probe = document.createElement('p');
            probe.className = 'b12-calc__error';
            document.querySelector('#b12-calculator [data-b12=form]').append(probe);
            const error = getComputedStyle(probe).color;
            probe.remove();
            return {fg: s.color, bg: s.backgroundColor, error,
                    accent: getComputedStyle(document.body).getPropertyValue('--md-accent-fg-color').trim()};
        }""")
        assert colours["bg"] not in (colours["error"],), scheme
        assert _rgb(colours["bg"]) != _hex(colours["accent"]), scheme
        assert _contrast(_rgb(colours["fg"]), _rgb(colours["bg"])) >= 4.5, (scheme, colours)
    desktop.evaluate("document.body.setAttribute('data-md-color-scheme', 'default')")


def _rgb(css: str) -> tuple[int, int, int]:
    r, g, b = (int(float(x)) for x in re.findall(r"[\d.]+", css)[:3])
    return r, g, b


def _hex(css: str) -> tuple[int, int, int]:
    css = css.lstrip("#")
    return int(css[0:2], 16), int(css[2:4], 16), int(css[4:6], 16)


def _contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    def luminance(rgb: tuple[int, int, int]) -> float:
        def channel(c: int) -> float:
            s = c / 255
            return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
        r, g, bl = (channel(c) for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * bl
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# --- Home -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("options", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_home_calls_to_the_calculator_above_the_fold(make_context: Any, site: str,
                                                     options: dict[str, Any]) -> None:
    context, _ = make_context(**options)
    page = context.new_page()
    page.goto(site)
    cta = page.locator(".md-content a.b12-cta")
    assert cta.count() == 1
    assert cta.is_visible() and in_viewport(page, ".md-content a.b12-cta")
    assert (cta.get_attribute("href") or "").rstrip("/").endswith("calculator")
    assert "calculator" in cta.inner_text().lower()

"""The calculator widget on its page: the form mirrors the contract, results and errors show as specified,
and the widget gives the same JSON as calc.evaluate in CPython for the golden cases.

All tests of this module share one calculator page whose engine is ready (fixture ``calculator``); each
test sets the whole form itself.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from calc import REQUEST_FIELDS, evaluate, evaluate_json, load_guideline
from site_build.form import SHOWN_WITH

GOLDEN_FILE = Path(__file__).resolve().parents[1] / "core" / "golden_cases.toml"
FORM = '#b12-calculator [data-b12="form"]'
RESULT = '#b12-calculator [data-b12="result"]'


def golden_cases() -> list[dict[str, Any]]:
    if GOLDEN_FILE.is_file():
        return list(tomllib.loads(GOLDEN_FILE.read_text(encoding="utf-8"))["case"])
    # A small stand-in, should the core suite's table move.
    return [
        {"name": "deficient", "request": {"total_b12": 150}},
        {"name": "pmol", "request": {"total_b12": 100, "total_b12_unit": "pmol/L"}},
        {"name": "schedule", "request": {"total_b12": 150, "causes": ["autoimmune_gastritis"],
                                         "start_date": "2026-01-05"}},
        {"name": "negative", "request": {"total_b12": -5}, "errors": ["total_b12"]},
    ]


def representable(request: dict[str, Any]) -> bool:
    """Whether the form can hold ``request`` exactly (it cannot hold e.g. a string in a number field)."""
    g = load_guideline()
    specs = {f.name: f for f in REQUEST_FIELDS}
    for name, value in request.items():
        spec = specs.get(name)
        if spec is None:
            return False
        if spec.kind == "number":
            ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
        elif spec.kind == "unit":
            ok = value in spec.choices
        elif spec.kind == "boolean":
            ok = isinstance(value, bool)
        elif spec.kind == "causes":
            ok = isinstance(value, list) and all(v in {c.code for c in g.causes} for v in value)
        elif spec.kind == "choice":
            ok = value in (*spec.choices, "", None)
        elif spec.kind == "regimen":
            ok = value in {r.id for r in g.regimens}
        else:  # date: the browser's date control only holds real dates
            try:
                ok = isinstance(value, str) and date.fromisoformat(value).isoformat() == value
            except ValueError:
                ok = False
        if not ok:
            return False
    # A part of the form shown only with another field's value (site_build/form.py) is sent only then.
    for name, shown in SHOWN_WITH.items():
        held = request.get(shown.field)
        if name in request and not ((held is True and shown.value == "true") or held == shown.value
                                    or (isinstance(held, list) and shown.value in held)):
            return False
    return True


def canonical(request: dict[str, Any]) -> dict[str, Any]:
    """A request without the entries that mean 'default' (what the form sends for it); the causes as a
    sorted list (their order means nothing, and the form lists them in the guideline's order)."""
    defaults = {f.name: f.default for f in REQUEST_FIELDS if f.default is not None}
    return {k: sorted(v) if isinstance(v, list) else v for k, v in request.items()
            if v not in (None, False, "", []) and defaults.get(k) != v}


CASES = golden_cases()
WIDGET_CASES = [c for c in CASES if representable(c["request"])]


# --- the form mirrors the contract ----------------------------------------------------------------

def test_every_contract_field_has_a_named_control(calculator: Any) -> None:
    page = calculator.page
    controls = page.eval_on_selector_all(
        f"{FORM} [name]",
        "els => els.map(e => ({name: e.name, tag: e.tagName.toLowerCase(), type: e.type, value: e.value}))",
    )
    by_name: dict[str, list[dict[str, str]]] = {}
    for c in controls:
        by_name.setdefault(c["name"], []).append(c)
    assert set(by_name) == {f.name for f in REQUEST_FIELDS}
    for spec in REQUEST_FIELDS:
        found = by_name[spec.name]
        kinds = {(c["tag"], c["type"]) for c in found}
        if spec.kind == "number":
            assert kinds == {("input", "text")}, spec.name
        elif spec.kind == "unit":
            assert kinds == {("select", "select-one")}, spec.name
            select = f"{FORM} select[name={spec.name}]"
            options = page.eval_on_selector(select, "s => [...s.options].map(o => o.value)")
            assert options == list(spec.choices), spec.name
        elif spec.kind == "boolean":
            assert kinds == {("input", "checkbox")}, spec.name
        elif spec.kind == "causes":
            assert kinds == {("input", "checkbox")}
            assert [c["value"] for c in found] == [c.code for c in load_guideline().causes]
        elif spec.kind == "choice":
            assert kinds <= {("input", "radio"), ("select", "select-one")}, spec.name
            # A choice with a default (the guidance) has no empty option; the others offer "no preference".
            empty = [] if spec.default else [""]
            assert sorted(c["value"] for c in found) == sorted([*empty, *spec.choices])
        elif spec.kind == "date":
            assert kinds == {("input", "date")}, spec.name
        elif spec.kind == "regimen":
            # Chosen on the result (a regimen's "use this regimen for the schedule" button), held here.
            assert kinds == {("input", "hidden")}, spec.name
    assert {"total_b12_unit", "mma_unit"} <= {n for n, cs in by_name.items() if cs[0]["tag"] == "select"}


def test_every_control_has_an_accessible_name_and_hint(calculator: Any) -> None:
    page = calculator.page
    visible_controls = f"{FORM} input:not([type=hidden]), {FORM} select"
    missing = page.eval_on_selector_all(visible_controls, """els => els.filter(e => {
        const label = e.labels && e.labels.length ? e.labels[0].textContent : e.getAttribute('aria-label');
        return !(label || '').trim();
    }).map(e => e.id || e.name)""")
    assert missing == []
    for spec in REQUEST_FIELDS:
        if spec.kind in ("number", "unit", "boolean", "date"):
            hint_id = page.get_attribute(f"{FORM} [name={spec.name}]", "aria-describedby")
            assert hint_id and page.locator(f"#{hint_id.split()[0]}").inner_text().strip(), spec.name


def test_live_region_is_polite(calculator: Any) -> None:
    live = calculator.page.locator('#b12-calculator [data-b12="live"]')
    assert live.get_attribute("aria-live") == "polite"
    calculator.answer({"total_b12": 151})
    calculator.page.wait_for_function(
        "document.querySelector('#b12-calculator [data-b12=live]').textContent.includes('Deficiency')")
    text = live.inner_text()
    assert len(text) < 250, "the live region announces a short summary, not the whole card"


# --- results ----------------------------------------------------------------------------------------

def test_filled_form_shows_the_result(calculator: Any) -> None:
    page = calculator.page
    calculator.reset()
    expected = evaluate({"total_b12": 100, "total_b12_unit": "pmol/L"})
    page.select_option(f"{FORM} select[name=total_b12_unit]", "pmol/L")
    page.fill(f"{FORM} [name=total_b12]", "100")
    page.wait_for_function(
        f"document.querySelector('{RESULT}').dataset.status === '{expected['lab']['status']}' && "
        f"document.querySelector('{RESULT}').textContent.includes('100 pmol/L (')")
    result = page.locator(RESULT)
    assert result.get_attribute("data-status") == expected["lab"]["status"] == "deficient"
    # The plan first, then every other regimen once, in its group.
    plan = expected["plan"]
    assert page.get_attribute(f"{RESULT} [data-plan]", "data-plan-regimen-id") == plan["regimen_id"]
    assert page.locator(f"{RESULT} [data-plan] [data-plan-headline]").inner_text() == plan["headline"]
    ids = page.eval_on_selector_all(f"{RESULT} article[data-regimen-id]",
                                    "els => els.map(e => e.dataset.regimenId)")
    assert sorted([*ids, plan["regimen_id"]]) == sorted(r["id"] for r in expected["regimens"])
    text = result.inner_text()
    lab = expected["lab"]
    # Each unit once: the value as entered, then the other unit.
    assert f"100 pmol/L ({round(lab['total_b12_ng_per_l'], 1):g} ng/L)" in text
    assert "Decision support, not a prescription" in text
    assert expected["disclaimer"] in text
    assert expected["scope"]["text"] in text
    assert expected["lab"]["rule_text"] in (result.text_content() or ""), "kept, collapsed"
    for regimen in expected["regimens"]:
        if regimen["id"] == plan["regimen_id"]:
            continue
        card = page.locator(f'{RESULT} article[data-regimen-id="{regimen["id"]}"]').text_content() or ""
        for piece in (regimen["label"], regimen["headline"], regimen["whose"]):
            assert piece in card, (regimen["id"], piece)


def test_schedule_warnings_and_citations(calculator: Any, site: str, site_dir: Path) -> None:
    page = calculator.page
    request = {"total_b12": 150, "causes": ["autoimmune_gastritis"], "neurological_symptoms": True,
               "start_date": "2026-01-05"}
    answer = calculator.answer(request)
    assert answer["kind"] == "result"
    expected = evaluate(request)
    rows = page.eval_on_selector_all(f"{RESULT} table[data-schedule-for] tbody time",
                                     "times => times.map(t => t.getAttribute('datetime'))")
    assert rows == [e["date"] for e in expected["schedule"]]
    severities = page.eval_on_selector_all(f"{RESULT} [data-severity]", "e => e.map(x => x.dataset.severity)")
    assert sorted(severities) == sorted(a["severity"] for a in expected["warnings"] + expected["monitoring"])
    links = page.eval_on_selector_all(f"{RESULT} a[data-ref]", "els => els.map(a => a.href)")
    assert links, "the result cites its sources"
    references_html = (site_dir / "references" / "index.html").read_text(encoding="utf-8")
    for href in set(links):
        assert href.startswith(site + "references/#ref-"), href
        assert f'id="{href.split("#", 1)[1]}"' in references_html, href


# --- bad input --------------------------------------------------------------------------------------

def test_field_errors_are_shown_next_to_their_fields(calculator: Any) -> None:
    page = calculator.page
    calculator.reset()
    page.fill(f"{FORM} [name=total_b12]", "-5")
    page.fill(f"{FORM} [name=mma]", "abc")
    page.wait_for_selector(f"{FORM} [name=mma][aria-invalid=true]")
    expected = json.loads(evaluate_json(json.dumps({"total_b12": -5, "mma": "abc"})))["errors"]
    assert {e["field"] for e in expected} == {"total_b12", "mma"}
    for error in expected:
        control = page.locator(f"{FORM} [name={error['field']}]")
        assert control.get_attribute("aria-invalid") == "true"
        described = (control.get_attribute("aria-describedby") or "").split()
        message_ids = [i for i in described if page.locator(f"#{i}").inner_text() == error["message"]]
        assert message_ids, f"{error['field']}: aria-describedby must point to the message"
        box = page.locator(f"#{message_ids[0]}")
        assert box.is_visible()
        # The message sits inside the field's own block, next to the control.
        assert page.locator(f"{FORM} [data-field={error['field']}] #{message_ids[0]}").count() == 1
    result = page.locator(RESULT)
    assert result.get_attribute("data-status") is None
    assert not result.is_visible()
    assert page.locator(f"{RESULT} [data-regimen-id]").count() == 0

    page.fill(f"{FORM} [name=total_b12]", "150")
    page.fill(f"{FORM} [name=mma]", "")
    page.wait_for_selector(f"{RESULT}[data-status=deficient]")
    assert page.locator(f"{FORM} [aria-invalid=true]").count() == 0
    assert page.locator(f"{FORM} [data-error-for]:visible").count() == 0


def test_half_typed_date_is_an_error_not_a_silent_blank(calculator: Any) -> None:
    page = calculator.page
    calculator.reset()
    page.fill(f"{FORM} [name=total_b12]", "150")
    page.wait_for_selector(f"{RESULT}[data-status=deficient]")
    page.focus(f"{FORM} [name=start_date]")
    page.keyboard.type("05")  # one part only: the control holds no value yet
    page.focus(f"{FORM} [name=total_b12]")
    page.wait_for_selector(f"{FORM} [name=start_date][aria-invalid=true]")
    assert page.locator(f"{RESULT}[data-status]").count() == 0


# --- keyboard ---------------------------------------------------------------------------------------

def test_keyboard_only(calculator: Any) -> None:
    page = calculator.page
    calculator.reset()
    # From the last link before the form, Tab reaches the first field.
    page.evaluate("""() => {
        const form = document.querySelector('#b12-calculator [data-b12=form]');
        const links = [...document.querySelectorAll('a[href]')].filter(a =>
            a.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING);
        links[links.length - 1].focus();
    }""")
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "total_b12":
            break
    assert page.evaluate("document.activeElement.name") == "total_b12"
    page.keyboard.type("400")
    page.wait_for_selector(f"{RESULT}[data-status=unlikely]")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "total_b12_unit"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("150")
    page.wait_for_selector(f"{RESULT}[data-status=deficient]")
    # A checkbox toggles with Space and the result follows.
    page.focus(f"{FORM} [name=neurological_symptoms]")
    page.keyboard.press("Space")
    page.wait_for_function(
        f"document.querySelector('{RESULT} [data-route]')?.dataset.route === 'im'")
    # Radios move with the arrow keys.
    page.focus(f"{FORM} [name=route_preference][value='']")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.value") in ("oral", "im")


# --- the widget gives the same JSON as CPython ------------------------------------------------------

def test_golden_cases_give_the_same_json_as_cpython(calculator: Any, as_json: Any) -> None:
    assert len(WIDGET_CASES) >= 10
    mismatches = []
    for case in WIDGET_CASES:
        request = case["request"]
        answer = calculator.answer(request)
        assert canonical(answer["sent"]) == canonical(request), f"{case['name']}: form round trip"
        if "errors" in case:
            expected = json.loads(evaluate_json(json.dumps(request)))["errors"]
            got = answer["detail"] if answer["kind"] == "errors" else None
        else:
            expected = as_json(evaluate(request))
            got = answer["detail"] if answer["kind"] == "result" else None
        if got != expected:
            mismatches.append(case["name"])
    assert mismatches == []
    assert calculator.traffic.foreign() == []


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("1,000", r"could mean 1000 or 1\b"),  # a thousands separator or a decimal comma: asked, not guessed
        ("1.500", r"could mean 1500 or 1\.5\b"),  # Number("1.500") is 1.5: the page sends the text instead
        ("0x10", r"not 'x10'"),
        ("Infinity", r"must be a number"),
        ("1e400", r"far too large"),
        ("12 ng", r"not 'ng'"),
        ("110 pmol/L", r"typed in pmol/L but the unit chosen is ng/L"),  # HAZ-01: never converted
    ],
)
def test_numbers_are_never_guessed(calculator: Any, text: str, says: str) -> None:
    """A value that is not a plain number is passed as typed, so the engine words the error (README,
    "Numbers typed as text"): 1,000 must not become 1, nor 1000, and a unit typed with the figure must be
    the unit chosen."""
    page = calculator.page
    calculator.reset()
    page.fill(f"{FORM} [name=total_b12]", text)
    page.wait_for_selector(f"{FORM} [name=total_b12][aria-invalid=true]")
    message = page.locator(f"{FORM} [data-error-for=total_b12]").inner_text()
    assert re.search(says, message), message


@pytest.mark.parametrize("text", ["150,5", "150,5 ng/L"])
def test_decimal_comma_is_read(calculator: Any, text: str) -> None:
    """README, "Numbers typed as text": a decimal comma is read, on the page as in the engine."""
    page = calculator.page
    calculator.reset()
    page.fill(f"{FORM} [name=total_b12]", text)
    page.wait_for_function(
        f"document.querySelector('{RESULT}').dataset.status === 'deficient' && "
        f"document.querySelector('{RESULT}').textContent.includes('150.5 ng/L')")
    assert page.locator(f"{FORM} [name=total_b12][aria-invalid=true]").count() == 0


def test_blank_age_is_said_with_the_plan(calculator: Any) -> None:
    """README contract, "A blank age" (HAZ-04): without an age the plan's own cautions say an adult is
    assumed, shown inside the plan; entering an age removes it."""
    page = calculator.page
    calculator.reset()
    assumed = f'{RESULT} [data-plan] [data-code="age_not_given"]'
    page.fill(f"{FORM} [name=total_b12]", "150")
    page.wait_for_selector(assumed)
    assert "adult assumed" in page.locator(assumed).inner_text()
    page.fill(f"{FORM} [name=age_years]", "40")
    page.wait_for_selector(assumed, state="detached")
    assert page.locator(f"{RESULT} [data-plan]").count() == 1

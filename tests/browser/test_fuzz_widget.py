"""Generated requests through the widget: the page gives the same answer as calc in CPython.

A fixed, seeded sample of the hostile requests that tests/core/test_properties.py generates (valid values,
near misses, arbitrary JSON values, certainly-bad values, over every request field) is put into the form
with the widget's own requestToForm; the widget's answer must be exactly what calc.evaluate (or
evaluate_json's field errors) gives in CPython for the request the form then holds. Also: a burst of
typing settles on the answer to the last keystroke, and entered values never reach the address bar.
"""

from __future__ import annotations

import importlib.util
import json
import math
import random
from pathlib import Path
from types import ModuleType
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings

from calc import InputError, evaluate, evaluate_json

PROPERTIES = Path(__file__).resolve().parents[1] / "core" / "test_properties.py"
FORM = '#b12-calculator [data-b12="form"]'
RESULT = '#b12-calculator [data-b12="result"]'
SAMPLE_SIZE = 50
SAMPLE_SEED = 20261129
MAX_SAFE_INTEGER = 2**53 - 1

# Every answer the widget renders, in order (the widget dispatches b12:result / b12:errors on its root).
JS_RECORD_ANSWERS = """
() => {
  const root = document.getElementById("b12-calculator");
  const log = [];
  for (const kind of ["result", "errors"]) {
    root.addEventListener(`b12:${kind}`, (event) => log.push({ kind, detail: event.detail }));
  }
  window.__b12Answers = log;
  return true;
}
"""
# Resolves once the engine has no request in flight and the page has handled its last answer (the page
# sends the next request, if the form changed meanwhile, in the same task as it handles an answer).
JS_ENGINE_IDLE = """
async () => {
  const src = document.querySelector('script[src$="javascripts/calculator.js"]').src;
  const engine = (await import(new URL("engine/engine-client.js", src).href)).getEngine();
  while (engine.pending.size) await new Promise((resolve) => setTimeout(resolve, 10));
  await new Promise((resolve) => setTimeout(resolve));
}
"""


def _properties_module() -> ModuleType:
    """tests/core/test_properties.py, loaded by path (tests/core also runs on its own inside Pyodide)."""
    spec = importlib.util.spec_from_file_location("b12_core_properties", PROPERTIES)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def generated_sample() -> list[dict[str, Any]]:
    """SAMPLE_SIZE hostile requests, the same on every run (seeded; generation only, no shrinking)."""
    properties = _properties_module()
    drawn: list[dict[str, Any]] = []

    @seed(SAMPLE_SEED)
    @settings(max_examples=SAMPLE_SIZE, phases=[Phase.generate], database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(properties.hostile_requests())
    def collect(pair: tuple[dict[str, Any], frozenset[str]]) -> None:
        drawn.append(pair[0])

    collect()
    return drawn


def transportable(value: Any) -> Any:
    """The value as Playwright can hand it to the page (JavaScript numbers are doubles)."""
    if isinstance(value, bool) or value is None or isinstance(value, str | float):
        return value
    if isinstance(value, int):
        if abs(value) <= MAX_SAFE_INTEGER:
            return value
        try:
            return float(value)
        except OverflowError:
            return math.inf if value > 0 else -math.inf
    if isinstance(value, list):
        return [transportable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): transportable(v) for k, v in value.items()}
    raise TypeError(f"not a JSON value: {value!r}")


def test_generated_requests_give_the_same_answer_as_cpython(calculator: Any, as_json: Any) -> None:
    sample = generated_sample()
    assert len(sample) >= SAMPLE_SIZE
    kinds = {"result": 0, "errors": 0}
    mismatches = []
    for number, request in enumerate(sample):
        answer = calculator.answer(transportable(request))
        sent = answer["sent"]
        try:
            expected: Any = ("result", as_json(evaluate(sent)))
        except InputError:  # the widget must show evaluate_json's field errors, exactly
            expected = ("errors", json.loads(evaluate_json(json.dumps(sent)))["errors"])
        kinds[answer["kind"]] += 1
        if (answer["kind"], answer["detail"]) != expected:
            mismatches.append(f"#{number}: form sent {sent!r} (generated from {request!r})")
    assert not mismatches, "\n".join(mismatches)
    # The sample reaches both sides of the contract through the widget.
    assert kinds["result"] >= 5 and kinds["errors"] >= 5, kinds
    assert calculator.traffic.foreign() == []


def test_burst_of_typing_settles_on_the_last_input(calculator: Any, as_json: Any) -> None:
    """HAZ-18, a result shown for an earlier input. Type values fast, key by key; whatever arrives in
    between, the last answer rendered is the one for the last state of the form, and it stays."""
    page = calculator.page
    rng = random.Random(SAMPLE_SEED)
    calculator.reset()
    page.evaluate(JS_RECORD_ANSWERS)
    field = page.locator(f"{FORM} [name=total_b12]")
    for final in ("2000", "349.9", "17", "180.1"):
        page.evaluate("window.__b12Answers.length = 0")
        field.fill("")
        field.focus()
        field.press_sequentially(final, delay=rng.choice([0, 5, 20]))
        expected = as_json(evaluate({"total_b12": float(final)}))
        page.wait_for_function(
            "(want) => { const log = window.__b12Answers; const last = log[log.length - 1];"
            " return last && last.kind === 'result' && last.detail.request.total_b12 === want; }",
            arg=float(final),
        )
        page.evaluate(JS_ENGINE_IDLE)  # anything still in flight has arrived
        log = page.evaluate("window.__b12Answers")
        assert log[-1] == {"kind": "result", "detail": expected}, final
        shown = page.locator(RESULT).get_attribute("data-status")
        assert shown == expected["lab"]["status"], final


def test_entered_values_add_no_history_and_reach_no_server(calculator: Any, site: str) -> None:
    """HAZ-12, a link shared with another patient's values. Entering values adds no history entry (Back
    never walks through earlier patients' values) and sends nothing: if the address carries the values at
    all, it is in the fragment, which browsers never send to a server."""
    page = calculator.page
    calculator.reset()
    before = page.evaluate("[location.pathname, location.search, history.length]")
    seen = len(calculator.traffic.urls)
    for request in ({"total_b12": 123, "age_years": 47}, {"total_b12": 123, "age_years": 47,
                    "causes": ["metformin"], "start_date": "2026-03-02"}):
        assert calculator.answer(request)["kind"] == "result"
    after = page.evaluate("[location.pathname, location.search, history.length]")
    assert after == before, "same path, no query string, no new history entry"
    sent = calculator.traffic.urls[seen:]
    assert not [u for u in sent if "123" in u or "metformin" in u or "2026-03-02" in u], sent

"""The measuring half of bench/bench_core.py: runs unchanged in CPython (a subprocess importing ``calc``
from the directory it is started in) and under Pyodide (bench/bench_core_pyodide.mjs runs this file's text
after installing the wheel). Standard library and ``calc`` only; prints nothing by itself."""

from __future__ import annotations

import importlib
import json
import time
from collections.abc import Callable
from typing import Any

import calc

# CPU time of this process, not wall time: on a shared machine other processes' load would otherwise be
# measured too. Under Pyodide, process_time comes from Emscripten's clock(), which follows the wall clock:
# run the benchmark on a quiet machine for the Pyodide figures.
_clock = time.process_time


def _rate(fn: Callable[[Any], object], arg: Any, seconds: float, rounds: int) -> dict[str, float]:
    """Calls per CPU second: median of ``rounds`` rounds of about ``seconds`` each, after a warm-up round."""
    n = 1
    while True:  # calibrate a batch size that takes about a tenth of a round
        t0 = _clock()
        for _ in range(n):
            fn(arg)
        took = _clock() - t0
        if took >= seconds / 10:
            break
        n *= 2
    batches = max(1, int(seconds / took)) if took > 0 else 1
    rates = []
    for i in range(rounds + 1):
        t0 = _clock()
        for _ in range(batches):
            for _ in range(n):
                fn(arg)
        elapsed = _clock() - t0
        if i:  # round 0 is the warm-up
            rates.append(batches * n / elapsed)
    rates.sort()
    return {"median": rates[len(rates) // 2], "min": rates[0], "max": rates[-1]}


def _evaluate_or_errors(request: dict[str, Any]) -> object:
    try:
        return calc.evaluate(request)
    except calc.InputError as exc:
        return exc.as_list()


def _cycling(fn: Callable[[Any], object], items: list[Any]) -> Callable[[Any], object]:
    """``fn`` over ``items`` in turn (the argument _rate passes is ignored)."""
    state = [0]

    def call(_: Any) -> object:
        i = state[0]
        state[0] = (i + 1) % len(items)
        return fn(items[i])

    return call


def _forgetting(fn: Callable[[Any], object]) -> Callable[[Any], object]:
    """``fn`` with every remembered decision dropped first: the cost of a situation met for the first time."""
    forget = getattr(importlib.import_module("calc.evaluate"), "forget_decisions", None)
    if forget is None:  # a core from before decisions were remembered (--source)
        return fn

    def call(arg: Any) -> object:
        forget()
        return fn(arg)

    return call


def bench(requests: dict[str, dict[str, Any]], seconds: float, rounds: int) -> dict[str, Any]:
    """evaluate() and evaluate_json() rates for each request, and for typing and first-time situations."""
    out: dict[str, Any] = {}
    for name, request in requests.items():
        text = json.dumps(request)
        out[name] = {
            "evaluate": _rate(_evaluate_or_errors, request, seconds, rounds),
            "evaluate_json": _rate(calc.evaluate_json, text, seconds, rounds),
        }
    # The same figure on every call flatters a core that remembers its decisions: also time typing (a new
    # total B12 on each call, 100-399.5 ng/L, across all three bands) and a situation met for the first
    # time on every call.
    typing = [dict(requests["typical"], total_b12=100 + i / 2) for i in range(600)]
    typing_text = [json.dumps(r) for r in typing]
    out["typical, typing (a new total B12 each call)"] = {
        "evaluate": _rate(_cycling(_evaluate_or_errors, typing), None, seconds, rounds),
        "evaluate_json": _rate(_cycling(calc.evaluate_json, typing_text), None, seconds, rounds),
    }
    text = json.dumps(requests["typical"])
    out["typical, first time in its situation"] = {
        "evaluate": _rate(_forgetting(_evaluate_or_errors), requests["typical"], seconds, rounds),
        "evaluate_json": _rate(_forgetting(calc.evaluate_json), text, seconds, rounds),
    }
    return out


def run(requests_json: str, seconds: float, rounds: int) -> str:
    """The figures as JSON text, with this interpreter's Python version and where its calc came from (what
    both halves print)."""
    import sys

    results = bench(json.loads(requests_json), seconds, rounds)
    return json.dumps({"python": sys.version.split()[0], "calc": calc.__file__, "results": results})

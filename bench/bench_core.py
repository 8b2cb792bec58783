"""Benchmark the clinical core: ``calc.evaluate`` evaluations per second (a benchmark, not a test: it prints
numbers and never fails on them).

    .venv/bin/python bench/bench_core.py [--seconds 1.0] [--rounds 5] [--no-pyodide] [--wheel PATH]
                                           [--source DIR]

Measures, for a typical request and a few representative ones, how many times a second ``calc.evaluate``
(and ``calc.evaluate_json``, the browser bridge) runs:

  * in CPython: this interpreter, with ``calc`` imported from the repository;
  * under Pyodide: Node with ``node_modules/pyodide`` (offline), the wheel from ``build/wheel`` unpacked into
    site-packages as tools/pyodide_pytest.mjs does. The same measuring code runs in both.

--source DIR imports ``calc`` from DIR instead (with --wheel, to compare another version of the core, e.g.
``git archive <commit> calc | tar -x -C /tmp/old`` and a wheel built from it).

Rates are per second of this process's CPU time (time.process_time), so that other processes on a shared
machine do not count. Each figure is the median of ROUNDS rounds of about SECONDS each (after one warm-up
round); the slowest and fastest rounds are in brackets. Prints a Markdown table with the date and machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent

#: The requests timed. "typical" is the headline figure: a GP's deficient result with a cause and a start
#: date (so lab, route, regimens, advice and the schedule all run).
REQUESTS: dict[str, dict[str, Any]] = {
    "typical": {
        "total_b12": 150,
        "age_years": 54,
        "causes": ["autoimmune_gastritis"],
        "start_date": "2026-01-05",
    },
    "empty form": {},
    "indeterminate + MMA (nmol/L)": {
        "total_b12": 250,
        "active_b12": 40,
        "mma": 450,
        "mma_unit": "nmol/L",
    },
    "neuro, pregnant, anticoagulated": {
        "total_b12": 100,
        "total_b12_unit": "pmol/L",
        "neurological_symptoms": True,
        "pregnant_or_breastfeeding": True,
        "anticoagulated": True,
        "causes": ["dietary", "metformin"],
        "start_date": "2026-03-02",
    },
    "child": {"total_b12": 120, "age_years": 9},
    "bad input (3 field errors)": {"total_b12": -5, "mma_unit": "mg/L", "start_date": "2026-02-30"},
}

# Runs unchanged in CPython and in Pyodide: time evaluate() and evaluate_json() on each request.
MEASURE = textwrap.dedent(
    """
    import importlib as _importlib
    import json as _json
    import time as _time

    import calc as _calc


    # CPU time of this process, not wall time: on a shared machine other processes' load would otherwise
    # be measured too. Under Pyodide, process_time comes from Emscripten's clock(), which follows the wall
    # clock: run the benchmark on a quiet machine for the Pyodide figures.
    _clock = _time.process_time


    def _rate(fn, arg, seconds, rounds):
        # calls per CPU second: median of `rounds` rounds of about `seconds` each, after a warm-up round
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


    def _evaluate_or_errors(request):
        try:
            return _calc.evaluate(request)
        except _calc.InputError as exc:
            return exc.as_list()


    def _cycling(fn, items):
        # fn over items in turn (the argument _rate passes is ignored)
        state = [0]

        def call(_):
            i = state[0]
            state[0] = (i + 1) % len(items)
            return fn(items[i])

        return call


    def _forgetting(fn):
        # fn with every remembered decision dropped first: the cost of a situation met for the first time
        forget = getattr(_importlib.import_module("calc.evaluate"), "forget_decisions", None)
        if forget is None:  # a core from before decisions were remembered (--source)
            return fn

        def call(arg):
            forget()
            return fn(arg)

        return call


    def bench(requests, seconds, rounds):
        out = {}
        for name, request in requests.items():
            text = _json.dumps(request)
            out[name] = {
                "evaluate": _rate(_evaluate_or_errors, request, seconds, rounds),
                "evaluate_json": _rate(_calc.evaluate_json, text, seconds, rounds),
            }
        # The same figure on every call flatters a core that remembers its decisions: also time typing
        # (a new total B12 on each call, 100-399.5 ng/L, across all three bands) and a situation met for
        # the first time on every call.
        typing = [dict(requests["typical"], total_b12=100 + i / 2) for i in range(600)]
        typing_text = [_json.dumps(r) for r in typing]
        out["typical, typing (a new total B12 each call)"] = {
            "evaluate": _rate(_cycling(_evaluate_or_errors, typing), None, seconds, rounds),
            "evaluate_json": _rate(_cycling(_calc.evaluate_json, typing_text), None, seconds, rounds),
        }
        text = _json.dumps(requests["typical"])
        out["typical, first time in its situation"] = {
            "evaluate": _rate(_forgetting(_evaluate_or_errors), requests["typical"], seconds, rounds),
            "evaluate_json": _rate(_forgetting(_calc.evaluate_json), text, seconds, rounds),
        }
        return out
    """
)

# Node side: boot Pyodide from node_modules, unpack the wheel, run MEASURE, print its JSON on one line.
NODE_RUNNER = textwrap.dedent(
    """
    import { readFileSync } from "node:fs";
    import { loadPyodide } from "pyodide";

    const [wheel, measure, requests, seconds, rounds] = process.argv.slice(1);
    const py = await loadPyodide({ env: { PYTHONDONTWRITEBYTECODE: "1" } });
    const sitePackages = py.runPython("import site; site.getsitepackages()[0]");
    py.unpackArchive(new Uint8Array(readFileSync(wheel)), "wheel", { extractDir: sitePackages });
    py.runPython(measure);
    py.globals.set("REQUESTS_JSON", requests);
    const out = py.runPython(
      `import json; json.dumps({"python": __import__("sys").version.split()[0], ` +
      `"results": bench(json.loads(REQUESTS_JSON), ${Number(seconds)}, ${Number(rounds)})})`,
    );
    process.stdout.write(`BENCH ${out}\\n`);
    """
)


def bench_cpython(seconds: float, rounds: int, source: Path = REPO) -> dict[str, Any]:
    sys.path.insert(0, str(source))
    namespace: dict[str, Any] = {}
    exec(compile(MEASURE, "<bench_core.MEASURE>", "exec"), namespace)  # our own constant, shared with Pyodide
    results: dict[str, Any] = namespace["bench"](REQUESTS, seconds, rounds)
    return {"python": platform.python_version(), "results": results}


def find_wheel() -> Path | None:
    wheels = sorted((REPO / "build" / "wheel").glob("b12_calc-*.whl"))
    return wheels[-1] if wheels else None


def bench_pyodide(wheel: Path, seconds: float, rounds: int) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node not found on PATH")
    if not (REPO / "node_modules" / "pyodide").is_dir():
        raise RuntimeError("node_modules/pyodide missing: run scripts/build")
    proc = subprocess.run(
        [node, "--input-type=module", "-e", NODE_RUNNER, str(wheel), MEASURE, json.dumps(REQUESTS),
         str(seconds), str(rounds)],
        cwd=REPO, capture_output=True, text=True, check=False, timeout=1800,
    )
    line = next((x for x in proc.stdout.splitlines() if x.startswith("BENCH ")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"Pyodide run failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(line[len("BENCH "):])
    return result


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def fmt(rate: dict[str, float]) -> str:
    return f"{rate['median']:,.0f} ({rate['min']:,.0f}-{rate['max']:,.0f})"


def table(runs: dict[str, dict[str, Any]]) -> str:
    header = ["Request"]
    for label in runs:
        header += [f"{label}: evaluate/s", f"{label}: evaluate_json/s"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name in next(iter(runs.values()))["results"]:
        row = [name]
        for run in runs.values():
            row += [fmt(run["results"][name]["evaluate"]), fmt(run["results"][name]["evaluate_json"])]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=1.0, help="length of one round (default 1.0)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per figure (default 5)")
    parser.add_argument("--no-pyodide", action="store_true", help="CPython only")
    parser.add_argument("--wheel", type=Path, help="the calc wheel for Pyodide (default: build/wheel/)")
    parser.add_argument("--source", type=Path, default=REPO, help="import calc from this directory")
    args = parser.parse_args()

    runs: dict[str, dict[str, Any]] = {}
    cpython = bench_cpython(args.seconds, args.rounds, args.source.resolve())
    runs[f"CPython {cpython['python']}"] = cpython
    notes = []
    if not args.no_pyodide:
        wheel = args.wheel or find_wheel()
        if wheel is None or not wheel.is_file():
            notes.append("Pyodide: skipped, no wheel in build/wheel (run scripts/build).")
        else:
            try:
                pyodide = bench_pyodide(wheel, args.seconds, args.rounds)
                runs[f"Pyodide (Python {pyodide['python']})"] = pyodide
                shown = wheel.relative_to(REPO) if wheel.is_relative_to(REPO) else wheel
                notes.append(f"Pyodide: wheel {shown}.")
            except (RuntimeError, subprocess.TimeoutExpired) as exc:
                notes.append(f"Pyodide: not measured: {exc}")

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"Core benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: {os.cpu_count()} CPUs ({cpu_model()}), "
        f"{platform.platform()}, node {_node_version()}, load average {load:.2f} at the end; "
        f"calls per CPU second, median of {args.rounds} rounds of ~{args.seconds:g} s "
        "(slowest-fastest round in brackets).\n"
    )
    print(table(runs))
    typical = {label: run["results"]["typical"]["evaluate"]["median"] for label, run in runs.items()}
    print()
    for label, rate in typical.items():
        print(f"typical request, {label}: {rate:,.0f} evaluations/s")
    for note in notes:
        print(note)
    return 0


def _node_version() -> str:
    node = shutil.which("node")
    if node is None:
        return "absent"
    return subprocess.run([node, "--version"], capture_output=True, text=True, check=False).stdout.strip()


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark the clinical core: ``calc.evaluate`` evaluations per second (a benchmark, not a test: it prints
numbers and never fails on them).

    .venv/bin/python bench/bench_core.py [--seconds 1.0] [--rounds 5] [--no-pyodide] [--wheel PATH]
                                         [--source DIR]

Measures, for a typical request and a few representative ones, how many times a second ``calc.evaluate``
(and ``calc.evaluate_json``, the browser bridge) runs:

  * in CPython: this interpreter (in a subprocess), with ``calc`` imported from the repository;
  * under Pyodide: Node with ``node_modules/pyodide`` (offline), the wheel from ``build/wheel`` unpacked into
    site-packages as the tests' run does (tools/pyodide_node.mjs). The same measuring code,
    bench/measure_core.py, runs in both.

--source DIR imports ``calc`` from DIR instead (with --wheel, to compare another version of the core, e.g.
``git archive <commit> calc | tar -x -C /tmp/old`` and a wheel built from it).

Rates are per second of the measuring process's CPU time (time.process_time), so that other processes
on a shared machine do not count. Each figure is the median of ROUNDS rounds of about SECONDS each (after
one warm-up round); the slowest and fastest rounds are in brackets. Prints a Markdown table with the date
and machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
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
        "causes": ["vegan", "metformin"],
        "start_date": "2026-03-02",
    },
    "child": {"total_b12": 120, "age_years": 9},
    "bad input (3 field errors)": {"total_b12": -5, "mma_unit": "mg/L", "start_date": "2026-02-30"},
}

#: The measuring code: the same file runs in CPython and under Pyodide.
MEASURE = Path(__file__).resolve().parent / "measure_core.py"
#: Boots Pyodide under Node, installs the wheel, runs MEASURE (tools/pyodide_node.mjs does the first two).
PYODIDE_RUNNER = Path(__file__).resolve().parent / "bench_core_pyodide.mjs"


def _figures(proc: subprocess.CompletedProcess[str], what: str) -> dict[str, Any]:
    line = next((x for x in proc.stdout.splitlines() if x.startswith("BENCH ")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"{what} run failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(line[len("BENCH "):])
    return result


def bench_cpython(seconds: float, rounds: int, source: Path = REPO) -> dict[str, Any]:
    """This interpreter, in a subprocess started in ``source``: its ``calc`` is the one imported (the
    directory a ``python -c`` command starts in comes first on its path)."""
    code = (f"import runpy, sys; run = runpy.run_path({str(MEASURE)!r})['run']; "
            f"print('BENCH ' + run(sys.argv[1], {float(seconds)!r}, {int(rounds)!r}))")
    proc = subprocess.run([sys.executable, "-c", code, json.dumps(REQUESTS)], cwd=source,
                          capture_output=True, text=True, check=False, timeout=1800)
    return _figures(proc, "CPython")


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
        [node, str(PYODIDE_RUNNER), str(wheel), str(MEASURE), json.dumps(REQUESTS), str(seconds),
         str(rounds)],
        cwd=REPO, capture_output=True, text=True, check=False, timeout=1800,
    )
    return _figures(proc, "Pyodide")


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
    notes = [f"CPython: calc from {cpython['calc']}."]
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

"""Benchmarks: they print figures and never fail on them (performance is measured here, never in tests).

    .venv/bin/python bench/bench_calculator.py   the calculator in Chromium: cold, return, Back, input
    .venv/bin/python bench/bench_core.py         calc.evaluate per CPU second, CPython and Pyodide
    .venv/bin/python bench/bench_offline.py      the offline precache and an offline reload
"""

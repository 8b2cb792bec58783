"""Benchmark offline use (a benchmark, not a test): what the service worker precaches, how long the
install takes after a first visit, and how long an offline reload of the calculator takes to a result.

    .venv/bin/python bench/bench_offline.py [--runs 5] [--site-dir site] [--port 8783]

Uses an existing build (scripts/build); serves it like GitHub Pages (tools/serve_site.py) on PORT and
drives Chromium (B12_CHROMIUM, default /usr/bin/chromium). Each run: a fresh browser profile visits the
calculator page, waits for the first result and for the service worker to finish precaching, then the
server is STOPPED (the network is really off) and the page is reloaded: the time from reload to the first
result is the offline figure. A second offline reload shows the warm figure.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from tools.browser import CHROMIUM, CHROMIUM_ARGS, JS_SERVICE_WORKER_ACTIVATED
from tools.serve_site import start_server  # the same server as the tests

RESULT = '#b12-calculator [data-b12="result"][data-status]'
MANIFEST_ENTRY = re.compile(r'\{url:"([^"]+)",revision:"[0-9a-f]+"\}')


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--site-dir", type=Path, default=Path(__file__).resolve().parent.parent / "site")
    parser.add_argument("--port", type=int, default=8783)
    args = parser.parse_args(argv)

    sw_js = args.site_dir / "sw.js"
    if not sw_js.is_file():
        print(f"error: {sw_js} missing: run scripts/build", file=sys.stderr)
        return 1
    entries = MANIFEST_ENTRY.findall(sw_js.read_text(encoding="utf-8"))
    precached = sum((args.site_dir / url).stat().st_size for url in entries)

    first: list[float] = []
    install: list[float] = []
    cold: list[float] = []
    warm: list[float] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for run in range(args.runs):
            base, stop = start_server(args.site_dir, port=args.port)
            context = browser.new_context()
            page = context.new_page()
            started = time.monotonic()
            page.goto(base + "calculator/")
            page.wait_for_selector(RESULT, state="attached", timeout=90_000)
            loaded = time.monotonic()
            first.append(loaded - started)
            page.evaluate(JS_SERVICE_WORKER_ACTIVATED)
            install.append(time.monotonic() - loaded)
            stop()  # network off
            for series in (cold, warm):
                started = time.monotonic()
                page.reload()
                page.wait_for_selector(RESULT, state="attached", timeout=90_000)
                series.append(time.monotonic() - started)
            context.close()
            print(f"run {run + 1}: first visit -> {first[-1]:.2f} s; precache done {install[-1]:.2f} s "
                  f"after it; offline reload -> result {cold[-1]:.2f} s, again {warm[-1]:.2f} s", flush=True)
        browser.close()

    load = os.getloadavg()[0]
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"\nOffline benchmark, {when}: {os.cpu_count()} CPUs, load average {load:.2f} at the end; "
          f"n = {args.runs} (median / p95)")
    print(f"| Precached by the service worker | {len(entries)} files, {precached:,} bytes |")
    for label, values in (("First visit, online and cold -> first result (for scale)", first),
                          ("Install finished, after the first result (first visit)", install),
                          ("Offline reload of the calculator -> first result", cold),
                          ("Second offline reload -> first result", warm)):
        print(f"| {label} | {statistics.median(values):.2f} s / {percentile(values, 0.95):.2f} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark offline use (a benchmark, not a test): what the service worker precaches, how long the
install takes after a first visit, how long an offline reload of the calculator takes to a result, and
the bytes a first visit costs, offline copy included.

    .venv/bin/python bench/bench_offline.py [--runs 5] [--site-dir site] [--port 8783] [--bytes-only]

Uses an existing build (scripts/build); serves it like GitHub Pages (tools/serve_site.py) on PORT and
drives Chromium (B12_CHROMIUM, default /usr/bin/chromium). Each run: a fresh browser profile visits the
calculator page, waits for the first result and for the service worker to finish precaching, then the
server is STOPPED (the network is really off) and the page is reloaded: the time from reload to the first
result is the offline figure. A second offline reload shows the warm figure.

First-visit bytes: a fresh profile opens Home or the calculator page (the calculator: waits for its first
result), as a desktop (1280x900) and as a phone (390x844, touch, mobile), then waits until the offline copy
is complete (the service worker is active) or, where none was started, PHONE_WAIT_S seconds; it adds up every
response (encoded body and headers; the page's, the engine worker's and the service worker's) and counts
the files transferred more than once (a body each time).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from tools.browser import CHROMIUM, CHROMIUM_ARGS, JS_SERVICE_WORKER_ACTIVATED
from tools.serve_site import start_server  # the same server as the tests

RESULT = '#b12-calculator [data-b12="result"][data-status]'
MANIFEST_ENTRY = re.compile(r'\{url:"([^"]+)",revision:"[0-9a-f]+"[,}]')


#: How long a first visit that makes no offline copy is watched (a benchmark may wait; tests may not).
PHONE_WAIT_S = 12
DEVICES: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
              "device_scale_factor": 3},
}
# True once the offline copy is complete; false if none was started within `ms` (one that was started
# is waited for, up to 90 s more).
JS_OFFLINE_COPY_DONE = """
async (ms) => {
  if (!navigator.serviceWorker) return false;
  const done = new Promise((resolve) => navigator.serviceWorker.ready.then(() => resolve(true)));
  const until = (t) => new Promise((resolve) => setTimeout(() => resolve(false), t));
  if (await Promise.race([done, until(ms)])) return true;
  if (!(await navigator.serviceWorker.getRegistration())) return false;
  return Promise.race([done, until(90000)]);
}
"""


def first_visit_bytes(browser: Browser, base: str, path: str, device: str) -> dict[str, Any]:
    context = browser.new_context(**DEVICES[device])
    finished: list[Any] = []
    context.on("requestfinished", lambda request: finished.append(request))
    page = context.new_page()
    page.goto(base + path)
    if path.startswith("calculator"):
        page.wait_for_selector(RESULT, state="attached", timeout=90_000)
    wait_s = 90 if device == "desktop" else PHONE_WAIT_S
    offline_copy = bool(page.evaluate(JS_OFFLINE_COPY_DONE, wait_s * 1000))
    page.wait_for_timeout(1000)  # the last responses' "finished" events
    total = sw = 0
    bodies: dict[str, int] = {}
    for request in finished:
        try:
            sizes = request.sizes()
        except PlaywrightError:
            continue
        body = max(sizes.get("responseBodySize", 0), 0)
        size = body + max(sizes.get("responseHeadersSize", 0), 0)
        total += size
        if request.service_worker is not None:
            sw += size
        if body > 0:
            bodies[request.url.split("?")[0]] = bodies.get(request.url.split("?")[0], 0) + 1
    context.close()
    twice = sorted(url for url, n in bodies.items() if n > 1)
    return {"bytes": total, "service_worker": sw, "offline_copy": offline_copy, "twice": twice}


def bytes_table(browser: Browser, site_dir: Path, port: int, runs: int) -> list[str]:
    rows = []
    for label, path in (("Home", ""), ("Calculator", "calculator/")):
        for device in DEVICES:
            results = []
            for _ in range(runs):
                base, stop = start_server(site_dir, port=port)
                try:
                    results.append(first_visit_bytes(browser, base, path, device))
                finally:
                    stop()
                print(f"  {label} {device}: {results[-1]['bytes']:,} bytes "
                      f"(service worker {results[-1]['service_worker']:,}), offline copy "
                      f"{results[-1]['offline_copy']}, twice: {len(results[-1]['twice'])}", flush=True)
            total = statistics.median(r["bytes"] for r in results)
            sw = statistics.median(r["service_worker"] for r in results)
            twice = statistics.median(len(r["twice"]) for r in results)
            copies = sum(r["offline_copy"] for r in results)
            example = ", ".join(u.rsplit("/", 1)[-1] for u in results[-1]["twice"][:6])
            rows.append(f"| {label}, {device} | {total / 1e6:.2f} MB | {sw / 1e6:.2f} MB "
                        f"| {copies} of {runs} | {twice:.0f} {('(' + example + ')') if example else ''} |")
    return ["| First visit | Bytes in all | … by the service worker | Offline copy made | Files transferred "
            "twice |", "|---|---|---|---|---|", *rows]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--site-dir", type=Path, default=Path(__file__).resolve().parent.parent / "site")
    parser.add_argument("--port", type=int, default=8783)
    parser.add_argument("--bytes-only", action="store_true", help="only the first-visit bytes")
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
        byte_rows = bytes_table(browser, args.site_dir, args.port, args.runs)
        for run in range(0 if args.bytes_only else args.runs):
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
    timed = (("First visit, online and cold -> first result (for scale)", first),
             ("Install finished, after the first result (first visit)", install),
             ("Offline reload of the calculator -> first result", cold),
             ("Second offline reload -> first result", warm))
    for label, values in () if args.bytes_only else timed:
        print(f"| {label} | {statistics.median(values):.2f} s / {percentile(values, 0.95):.2f} s |")
    print("\n" + "\n".join(byte_rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())

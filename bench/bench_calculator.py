"""Benchmark the in-browser calculator (a benchmark, not a test: it prints numbers and never fails on them).

    .venv/bin/python bench/bench_calculator.py [--runs 3] [--edits 50] [--no-build] [--out FILE.md]

It builds the site for the address it serves it at (scripts/build, unless --no-build), serves it like
GitHub Pages (tools/serve_site.py, gzip + 10-minute caching) and drives Debian's Chromium with Playwright.
These builds are served, interleaved run by run so that all see the same machine load:

  * shipped:     the site as built (trimmed standard library; the calculator page starts the engine's
                 worker from its <head>, and on a first visit that worker fetches the runtime at once and
                 compiles it once the page's own start-up is over);
  * full stdlib: the same site with the full precompiled standard library as python_stdlib.zip (the
                 build before the cut);
  * no early start: the same site without that <head> script (the engine starts when the page's modules
                 run, after the theme's JavaScript);
  * no service worker: the same site without sw.js (the offline precache is not installed on the first
                 visit), to show what that precache costs a cold visit.
  * compile at once: the same site whose engine worker compiles the runtime and starts Python as soon as
                 it is downloaded, not after the page's own start-up (the build before that wait).

Measured:

  * cold 4G: a fresh profile (empty HTTP, code and Cache Storage) under simulated 4G (CDP
    Network.emulateNetworkConditions: 9 Mbit/s down and up, 150 ms round trip) opens the calculator page;
    time from the navigation's start to the widget's first result (its ``b12:result`` event), and the
    bytes transferred (encoded, headers included, the worker's requests included);
  * cold unthrottled: the shipped build and the compile-at-once build the same way without throttling
    (the machine's own speed), where the wait for the page's start-up can cost time;
  * return visit: in one profile, after a first visit has left the runtime in the HTTP cache and a memory
    snapshot in Cache Storage, navigate away and back; navigation start -> first result (page load
    included), which boot path ran, bytes; and the same with the snapshot deleted before each visit (a
    normal warm boot, for comparison); and the snapshot return visit of the build without the early start
    and of the build without the service worker;
  * back: in a profile with Chromium's back/forward cache on (Playwright switches it off by default), go
    from the calculator to another page (a full navigation) and press Back: ms on the driver's clock
    until the page is shown again with its result, and how many of the returns were restored from that
    cache (the same page, engine and all) rather than loaded afresh;
  * the longest main-thread task (PerformanceObserver 'longtask') between the engine's start and the
    first result, cold and warm, and over the whole cold load;
  * input -> result: once ready (snapshot-restored engine), N edits of the total B12 field, each timed
    from the input event to the rendered result (and to the next animation frame).

Prints a Markdown table (for the README) with the date, the machine (nproc, CPU model, load average,
Chromium version) and the targets the README states.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Page, Playwright, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from tools.browser import CHROMIUM, CHROMIUM_ARGS
from tools.serve_site import start_server  # the same server as the tests

REPO = Path(__file__).resolve().parent.parent
TIMEOUT_MS = 120_000

# Bench-only instrumentation, injected before any page script: long tasks, the first result (the widget's
# b12:result event does not bubble, so it is caught in the capture phase) and the last click.
INIT_SCRIPT = """
(() => {
  const bench = { longtasks: [], scripts: [], first: null, click: null, restored: null };
  Object.defineProperty(window, "__bench", { value: bench });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) bench.longtasks.push([e.startTime, e.duration]);
    }).observe({ type: "longtask", buffered: true });
    // Long animation frames name the scripts that ran in them: attribution to our own code.
    new PerformanceObserver((list) => {
      for (const frame of list.getEntries()) {
        for (const s of frame.scripts || []) bench.scripts.push([s.sourceURL || s.invoker || "", s.duration]);
      }
    }).observe({ type: "long-animation-frame", buffered: true });
  } catch (e) {}
  document.addEventListener("b12:result", () => {
    if (bench.first === null) bench.first = performance.now();
  }, true);
  // Back to a page kept in the back/forward cache: the same document, shown again.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) bench.restored = performance.now();
  });
  document.addEventListener("click", () => {
    bench.click = performance.now();
    bench.first = null;
  }, true);
})();
"""

JS_EDITS = """
async (n) => {
  const root = document.getElementById("b12-calculator");
  const input = root.querySelector('[name="total_b12"]');
  const toResult = [], toFrame = [];
  for (let i = 0; i < n; i++) {
    const done = new Promise((resolve) => root.addEventListener("b12:result", resolve, { once: true }));
    const t = performance.now();
    input.value = String(120 + (i * 37) % 600);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    await done;
    toResult.push(performance.now() - t);
    await new Promise((resolve) => requestAnimationFrame(() => resolve()));
    toFrame.push(performance.now() - t);
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  return { toResult, toFrame };
}
"""

JS_ENGINE_START = """
async () => {
  const src = document.querySelector('script[src$="javascripts/calculator.js"]').src;
  const widget = await import(src);
  const engine = widget.getEngine();
  return { startedAt: engine.startedAt, ready: engine.readyInfo };
}
"""


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def stats(values: list[float]) -> dict[str, float]:
    return {
        "median": statistics.median(values),
        "p95": pct(values, 0.95),
        "n": len(values),
        "min": min(values),
        "max": max(values),
    }


def fmt_s(ms: float) -> str:
    return f"{ms / 1000:.2f} s"


def fmt_ms(ms: float) -> str:
    return f"{ms:.0f} ms" if ms >= 10 else f"{ms:.1f} ms"


def fmt_bytes(n: float) -> str:
    return f"{n / 1e6:.2f} MB" if n >= 1e5 else f"{n / 1e3:.1f} kB"


# Simulated 4G: 9 Mbit/s, 150 ms round trip. CDP takes bytes per second and one-way latency in ms
# added to each request (Chromium applies it per request, so it stands for the round trip).
FOUR_G = {"offline": False, "latency": 150, "downloadThroughput": 9e6 / 8, "uploadThroughput": 9e6 / 8}

JS_STORED_SNAPSHOTS = """
async () => (await (await caches.open("b12-engine-snapshot-v1")).keys()).map((request) => request.url)
"""
# After Back: the restored page has shown itself again, or a page loaded afresh has its first result.
JS_SHOWN_AGAIN = """
() => (window.__bench.left ? window.__bench.restored !== null : window.__bench.first !== null)
  && document.querySelector('[data-b12="result"][data-status]') !== null
"""
JS_DROP_SNAPSHOTS = "async () => caches.delete('b12-engine-snapshot-v1')"


class Bench:
    def __init__(self, pw: Playwright, args: argparse.Namespace) -> None:
        self.pw = pw
        self.args = args
        self.version = ""
        #: Finished requests whose sizes could not be read: their target (a worker that has ended, such as
        #: the snapshot maker) was gone. Reported with the figures; they are not counted in the bytes.
        self.unmeasured = 0

    @contextmanager
    def profile(self, back_forward_cache: bool = False) -> Iterator[BrowserContext]:
        """A fresh browser profile (its own user-data-dir: empty HTTP, wasm code and Cache Storage).
        Playwright switches Chromium's back/forward cache off unless ``back_forward_cache``."""
        with tempfile.TemporaryDirectory(prefix="b12-bench-") as user_data:
            context = self.pw.chromium.launch_persistent_context(
                user_data,
                executable_path=CHROMIUM,
                args=CHROMIUM_ARGS,
                ignore_default_args=["--disable-back-forward-cache"] if back_forward_cache else None,
                viewport={"width": 1280, "height": 900},
                # The site's strict CSP <meta> forbids string evaluation, which wait_for_function needs.
                bypass_csp=True,
            )
            context.set_default_timeout(TIMEOUT_MS)
            context.add_init_script(INIT_SCRIPT)
            self.version = self.version or (context.browser.version if context.browser else "")
            try:
                yield context
            finally:
                context.close()

    @staticmethod
    def record_bytes(context: BrowserContext) -> tuple[list[Any], Callable[[Any], None]]:
        finished: list[Any] = []

        def listener(request: Any) -> None:
            finished.append(request)

        context.on("requestfinished", listener)
        return finished, listener

    def total_bytes(self, requests: list[Any], service_worker: bool | None = None) -> int:
        """Bytes of ``requests``; ``service_worker`` True/False: only those the offline service worker
        made (its precache) / only the page's and the engine worker's."""
        total = 0
        for request in requests:
            if service_worker is not None and (request.service_worker is not None) != service_worker:
                continue
            try:
                sizes = request.sizes()
            except PlaywrightError:
                self.unmeasured += 1
                continue
            total += max(sizes.get("responseBodySize", 0), 0) + max(sizes.get("responseHeadersSize", 0), 0)
        return total

    @staticmethod
    def wait_first(page: Page) -> float:
        page.wait_for_function("window.__bench.first !== null", timeout=TIMEOUT_MS, polling=20)
        return float(page.evaluate("window.__bench.first"))

    @staticmethod
    def longest(page: Page, start: float, end: float) -> tuple[float, float, float]:
        """In ms: (longest task starting between ``start`` -- or the page's load event, if later: the
        theme's own start-up tasks are not the engine's -- and ``end``; longest task of the whole load;
        longest script run of the site's own modules seen in a long animation frame). 0 means none of
        50 ms or more (the 'longtask' threshold), or no long frame with our scripts in it."""
        tasks = page.evaluate("window.__bench.longtasks")
        loaded = page.evaluate("performance.getEntriesByType('navigation')[0]?.loadEventEnd || 0")
        during = [d for s, d in tasks if max(start, loaded) <= s <= end]
        scripts = page.evaluate("window.__bench.scripts")
        ours = [d for url, d in scripts if "/javascripts/" in url and "/assets/javascripts/" not in url]
        return (max(during, default=0.0), max((d for _, d in tasks), default=0.0), max(ours, default=0.0))

    def open_calculator(self, context: BrowserContext, page: Page, url: str) -> dict[str, Any]:
        finished, listener = self.record_bytes(context)
        page.goto(url + "calculator/")
        first = self.wait_first(page)
        engine = page.evaluate(JS_ENGINE_START)
        boot_task, load_task, own_script = self.longest(page, engine["startedAt"], first)
        page.wait_for_timeout(500)
        context.remove_listener("requestfinished", listener)
        ready = engine["ready"] or {}
        return {
            "first": first,
            "boot_task": boot_task,
            "load_task": load_task,
            "own_script": own_script,
            "bytes": self.total_bytes(finished),
            "bytes_page_and_engine": self.total_bytes(finished, service_worker=False),
            "bytes_service_worker": self.total_bytes(finished, service_worker=True),
            "boot": ready.get("boot"),
            "stdlib": ready.get("stdlib"),
            "timings": ready.get("timings"),
        }

    def cold(self, url: str, throttled: bool) -> dict[str, Any]:
        with self.profile() as context:
            page = context.new_page()
            if throttled:
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send("Network.emulateNetworkConditions", FOUR_G)
            return self.open_calculator(context, page, url)

    def return_visits(self, url: str, runs: int, edits: int) -> dict[str, Any]:
        """Runs with a snapshot (the shipped path), then runs with it deleted before each visit."""
        with self.profile() as context:
            page = context.new_page()
            page.goto(url + "calculator/")
            self.wait_first(page)
            waited = 0
            while not page.evaluate(JS_STORED_SNAPSHOTS):
                if waited > 180_000:
                    raise RuntimeError("no memory snapshot was stored within 3 minutes")
                page.wait_for_timeout(500)
                waited += 500
            snapshot, normal = [], []
            for _ in range(runs):
                page.goto("about:blank")
                page.wait_for_timeout(500)
                snapshot.append(self.open_calculator(context, page, url))
            timing = page.evaluate(JS_EDITS, edits) if edits else {}
            for _ in range(runs if edits else 0):
                # A same-origin page that starts no engine, to delete the snapshot before the visit.
                page.goto(url + "pyodide/engine-manifest.json")
                page.evaluate(JS_DROP_SNAPSHOTS)
                page.wait_for_timeout(500)
                normal.append(self.open_calculator(context, page, url))
            return {"snapshot": snapshot, "normal": normal, **timing}

    def back_visits(self, url: str, runs: int) -> dict[str, Any]:
        """Back to the calculator from another page (a full navigation away): ms from the driver's Back
        until the page is shown again with its plan, and how many returns Chromium restored from its
        back/forward cache rather than loading the page again."""
        shown, restored = [], 0
        with self.profile(back_forward_cache=True) as context:
            page = context.new_page()
            page.goto(url + "calculator/")
            self.wait_first(page)
            for _ in range(runs):
                page.evaluate("window.__bench.left = true")  # a page loaded afresh has no such mark
                page.goto(url + "about/")
                page.wait_for_timeout(500)
                started = time.monotonic()
                page.go_back(wait_until="commit")
                page.wait_for_function(JS_SHOWN_AGAIN, timeout=TIMEOUT_MS, polling=10)
                shown.append((time.monotonic() - started) * 1000)
                restored += bool(page.evaluate("window.__bench.left === true"))
                page.evaluate("window.__bench.restored = null")
        return {"shown": shown, "restored": restored}


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ""
    with suppress(OSError):
        load = Path("/proc/loadavg").read_text().split()[0]
    return {"nproc": str(os.cpu_count()), "cpu": cpu, "os": platform.platform(), "load": load}


def make_variant(site_dir: Path, root: Path, name: str) -> Path:
    """A copy of the built site: "full-stdlib" ships the full precompiled standard library as the default
    zip (the build before the cut; manifest updated to match); "no-early-start" drops the calculator page's
    <head> script that starts the engine;
    "no-service-worker" has no sw.js (its registration fails), so the first visit precaches nothing;
    "compile-at-once": the engine worker does not wait for the page's start-up before it starts Python."""
    target = root / name
    shutil.copytree(site_dir, target)
    pyodide = target / "pyodide"
    if name == "full-stdlib":
        shutil.copyfile(pyodide / "python_stdlib.full.zip", pyodide / "python_stdlib.zip")
        manifest = json.loads((pyodide / "engine-manifest.json").read_text(encoding="utf-8"))
        manifest["stdlib"] = {**manifest["stdlib_full"], "file": "python_stdlib.zip"}
        (pyodide / "engine-manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    elif name == "no-service-worker":
        (target / "sw.js").unlink()
    elif name == "no-early-start":
        for page in target.rglob("*.html"):
            html = page.read_text(encoding="utf-8")
            if "data-b12-engine-start" in html:
                kept = [line for line in html.split("\n") if "data-b12-engine-start" not in line]
                page.write_text("\n".join(kept), encoding="utf-8")
    elif name == "compile-at-once":
        worker = target / "javascripts" / "engine" / "engine-worker.js"
        code = worker.read_text(encoding="utf-8")
        wait = "    await pageStart;\n"
        if wait not in code:
            raise ValueError(f"{worker}: no {wait.strip()!r} to take out")
        worker.write_text(code.replace(wait, "", 1), encoding="utf-8")
    else:
        raise ValueError(name)
    return target


@contextmanager
def serving(directory: Path, url: str) -> Iterator[str]:
    parts = urllib.parse.urlsplit(url)
    base, stop = start_server(directory, port=parts.port or 80, host=parts.hostname or "127.0.0.1")
    try:
        yield base
    finally:
        stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (default 3)")
    parser.add_argument("--edits", type=int, default=50, help="edits for input -> result (default 50)")
    parser.add_argument("--no-build", action="store_true", help="use the site as it is")
    parser.add_argument("--out", type=Path, help="also write the Markdown table to this file")
    args = parser.parse_args(argv)

    url = os.environ.get("B12_SITE_URL", "http://127.0.0.1:8765/")
    url = url if url.endswith("/") else url + "/"
    site_dir = Path(os.environ.get("B12_SITE_DIR", REPO / "site")).resolve()
    if not Path(CHROMIUM).is_file():
        print(f"error: Chromium not found at {CHROMIUM} (apt-get install -y chromium)", file=sys.stderr)
        return 1
    if not args.no_build:
        subprocess.run([str(REPO / "scripts" / "build"), url], check=True, stdout=sys.stderr)
    if not (site_dir / "calculator" / "index.html").is_file():
        print(f"error: no built site in {site_dir}", file=sys.stderr)
        return 1

    n = args.runs
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="b12-bench-sites-") as tmp, sync_playwright() as pw:
        bench = Bench(pw, args)
        sites = {
            "shipped": site_dir,
            "full": make_variant(site_dir, Path(tmp), "full-stdlib"),
            "no_preload": make_variant(site_dir, Path(tmp), "no-early-start"),
            "no_sw": make_variant(site_dir, Path(tmp), "no-service-worker"),
            "at_once": make_variant(site_dir, Path(tmp), "compile-at-once"),
        }
        cold: dict[str, list[Any]] = {name: [] for name in sites}
        cold["unthrottled"] = []
        cold["unthrottled_at_once"] = []
        # Interleave the builds so that all see the same machine load.
        def cold_run(directory: Path, throttled: bool, label: str) -> dict[str, Any]:
            with serving(directory, url) as base:
                result = bench.cold(base, throttled)
            print(f"  {label}: {json.dumps(result)}", file=sys.stderr, flush=True)
            return result

        for i in range(n):
            for name, directory in sites.items():
                cold[name].append(cold_run(directory, True, f"cold 4G, {name} {i + 1}/{n}"))
            cold["unthrottled"].append(cold_run(site_dir, False, f"cold unthrottled, shipped {i + 1}/{n}"))
            cold["unthrottled_at_once"].append(
                cold_run(sites["at_once"], False, f"cold unthrottled, at_once {i + 1}/{n}"))
        with serving(site_dir, url) as base:
            print("  return visits and edits ...", file=sys.stderr, flush=True)
            warm = bench.return_visits(base, n, args.edits)
            print(f"  {json.dumps(warm['snapshot'])}\n  {json.dumps(warm['normal'])}", file=sys.stderr)
        with serving(sites["no_preload"], url) as base:
            print("  return visits without the early start ...", file=sys.stderr, flush=True)
            warm_no_preload = bench.return_visits(base, n, 0)
            print(f"  {json.dumps(warm_no_preload['snapshot'])}", file=sys.stderr)
        with serving(sites["no_sw"], url) as base:
            print("  return visits without the service worker ...", file=sys.stderr, flush=True)
            warm_no_sw = bench.return_visits(base, n, 0)
            print(f"  {json.dumps(warm_no_sw['snapshot'])}", file=sys.stderr)
        with serving(site_dir, url) as base:
            print("  back to the calculator (back/forward cache) ...", file=sys.stderr, flush=True)
            back = bench.back_visits(base, n)
            print(f"  {json.dumps(back)}", file=sys.stderr)
        results.update(cold=cold, warm=warm, warm_no_preload=warm_no_preload, warm_no_sw=warm_no_sw,
                       back=back, unmeasured=bench.unmeasured)
        chromium = bench.version

    table = report(results, args, chromium)
    print(table)
    if args.out:
        args.out.write_text(table, encoding="utf-8")
    return 0


def report(r: dict[str, Any], args: argparse.Namespace, chromium: str) -> str:
    m = machine()
    cold = r["cold"]
    first = {name: stats([x["first"] for x in runs]) for name, runs in cold.items()}
    size = {name: stats([x["bytes"] for x in runs]) for name, runs in cold.items()}
    warm_snapshot = stats([x["first"] for x in r["warm"]["snapshot"]])
    warm_normal = stats([x["first"] for x in r["warm"]["normal"]])
    warm_no_preload = stats([x["first"] for x in r["warm_no_preload"]["snapshot"]])
    warm_no_sw = stats([x["first"] for x in r["warm_no_sw"]["snapshot"]])
    boots = sorted({str(x["boot"]) for x in r["warm"]["snapshot"]})
    warm_bytes = stats([x["bytes"] for x in r["warm"]["snapshot"]])
    back = stats(r["back"]["shown"])
    boot_task = stats([x["boot_task"] for x in cold["shipped"] + cold["unthrottled"]]
                      + [x["boot_task"] for x in r["warm"]["snapshot"]])
    load_task = stats([x["load_task"] for x in cold["unthrottled"]])
    load_task_at_once = stats([x["load_task"] for x in cold["unthrottled_at_once"]])
    own_script = stats([x["own_script"] for x in cold["unthrottled"]])
    edits = stats(r["warm"]["toResult"])
    frames = stats(r["warm"]["toFrame"])
    ratio = first["shipped"]["median"] / first["full"]["median"]
    no_sw_ratio = first["no_sw"]["median"] / first["full"]["median"]
    engine_bytes = stats([x["bytes_page_and_engine"] for x in cold["shipped"]])
    sw_bytes = stats([x["bytes_service_worker"] for x in cold["shipped"]])
    preload_ratio = first["shipped"]["median"] / first["no_preload"]["median"]

    def ok(value: float, limit: float) -> str:
        return "yes" if value <= limit else "**no**"

    def s_(name: str) -> str:
        return f"{fmt_s(first[name]['median'])} / {fmt_s(first[name]['p95'])}"

    rows = [
        ("Cold 4G: open the calculator page → first result, shipped build", "", s_("shipped"), ""),
        ("Cold 4G: the same with the full standard library (the build before the cut, same run)", "",
         s_("full"), ""),
        ("Ratio cold 4G shipped / full stdlib (medians)", "≤ 0.75", f"{ratio:.2f}", ok(ratio, 0.75)),
        ("Cold 4G: shipped build without the early engine start (same run)", "", s_("no_preload"), ""),
        ("Ratio cold 4G with / without the early start (medians)", "< 1 to keep it", f"{preload_ratio:.2f}",
         "kept" if preload_ratio < 1 else "**no gain**"),
        ("Bytes transferred, cold visit to the calculator page up to 0.5 s after the first result, shipped: "
         "all (page, engine worker and any offline precache by then)", "",
         fmt_bytes(size["shipped"]["median"]), ""),
        ("… of which the page and the engine worker (without the service worker's precache)", "≤ 6 MB",
         fmt_bytes(engine_bytes["median"]), ok(engine_bytes["median"], 6e6)),
        ("… of which the offline service worker's precache (it starts after the first answer)", "",
         fmt_bytes(sw_bytes["median"]), ""),
        ("Cold 4G: shipped build without the offline service worker (same run)", "", s_("no_sw"), ""),
        ("Ratio cold 4G shipped without the service worker / full stdlib (medians)", "",
         f"{no_sw_ratio:.2f}", ""),
        ("Bytes transferred, cold visit, full stdlib", "", fmt_bytes(size["full"]["median"]), ""),
        ("Bytes transferred, cold visit, without the early start", "",
         fmt_bytes(size["no_preload"]["median"]), ""),
        ("Cold 4G: shipped build compiling the runtime at once, not after the page's start-up (same run)", "",
         s_("at_once"), ""),
        ("Cold unthrottled (this machine): first result, shipped", "", s_("unthrottled"), ""),
        ("Cold unthrottled: the build compiling at once (same run)", "", s_("unthrottled_at_once"), ""),
        (f"Return visit (runtime cached, snapshot present; boot: {', '.join(boots)}) → first result, "
         "page load included", "≤ 0.5 s", f"{fmt_s(warm_snapshot['median'])} / {fmt_s(warm_snapshot['p95'])}",
         ok(warm_snapshot["median"], 500)),
        ("Return visit with the snapshot deleted (normal warm boot, for comparison)", "",
         f"{fmt_s(warm_normal['median'])} / {fmt_s(warm_normal['p95'])}", ""),
        ("Return visit with the snapshot, build without the early start (same run)", "",
         f"{fmt_s(warm_no_preload['median'])} / {fmt_s(warm_no_preload['p95'])}", ""),
        ("Return visit with the snapshot, build without the offline service worker (same run)", "",
         f"{fmt_s(warm_no_sw['median'])} / {fmt_s(warm_no_sw['p95'])}", ""),
        ("Bytes transferred, return visit", "", fmt_bytes(warm_bytes["median"]), ""),
        (f"Back to the calculator from another page → shown again with its plan (driver's clock; "
         f"{r['back']['restored']} of {len(r['back']['shown'])} restored from the back/forward cache)", "",
         f"{fmt_s(back['median'])} / {fmt_s(back['p95'])}", ""),
        ("Longest main-thread task while the engine boots (page loaded → first result), cold and return; "
         "0 = none ≥ 50 ms", "≤ 50 ms", f"{fmt_ms(boot_task['median'])} / {fmt_ms(boot_task['p95'])}",
         ok(boot_task["p95"], 50)),
        ("Longest run of the site's own modules inside a long animation frame, cold (0 = never in one)", "",
         f"{fmt_ms(own_script['median'])} / {fmt_ms(own_script['p95'])}", ""),
        ("Longest main-thread task over the whole cold page load (theme included)", "",
         f"{fmt_ms(load_task['median'])} / {fmt_ms(load_task['p95'])}", ""),
        ("… the same, the build compiling at once (same run)", "",
         f"{fmt_ms(load_task_at_once['median'])} / {fmt_ms(load_task_at_once['p95'])}", ""),
        (f"Input → result rendered, {args.edits} edits once ready", "p95 ≤ 30 ms",
         f"{fmt_ms(edits['median'])} / {fmt_ms(edits['p95'])}", ok(edits["p95"], 30)),
        ("Input → next frame after the result", "",
         f"{fmt_ms(frames['median'])} / {fmt_ms(frames['p95'])}", ""),
    ]
    timings = {
        name: {k: statistics.median([x["timings"][k] for x in runs if k in (x.get("timings") or {})])
               for k in (runs[0].get("timings") or {})}
        for name, runs in [("cold 4G shipped", cold["shipped"]), ("cold 4G full", cold["full"]),
                           ("return, snapshot", r["warm"]["snapshot"]),
                           ("return, no snapshot", r["warm"]["normal"])]
    }
    lines = [
        f"Calculator benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: {m['nproc']} CPUs ({m['cpu']}), "
        f"{m['os']}, Chromium {chromium}, load average {m['load']} at the end; n = {args.runs} runs per "
        f"measurement (median / p95); site served locally with gzip and a 10-minute cache like GitHub Pages; "
        f"4G = CDP Network.emulateNetworkConditions, 9 Mbit/s, 150 ms.",
        "",
        "| Measure | Target | Median / p95 | Met |",
        "|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows),
        "",
        "Engine worker timings (ms from the worker's start, medians): "
        + "; ".join(f"{name}: {json.dumps(t)}" for name, t in timings.items()),
        "",
        f"Requests whose size could not be read (their worker had ended; not counted): {r['unmeasured']}.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark the in-browser calculator (a benchmark, not a test: it prints numbers and never fails on them).

    .venv/bin/python scripts/bench_calculator.py [--runs 5] [--edits 50] [--dwell 5] [--no-build]
                                                 [--out FILE.md]

It builds the site for the address it serves it at (scripts/build, unless --no-build), serves it like
GitHub Pages (scripts/serve_site.py, gzip + 10-minute caching) and drives Debian's Chromium with Playwright:

  * cold: a fresh profile per run (empty HTTP and code caches) opens the calculator page; time from the
    navigation's start to the widget's first result (its ``b12:result`` event);
  * warm: the same profile navigates to the page again;
  * the longest main-thread task (PerformanceObserver 'longtask') between the engine's start and the first
    result, and over the whole load;
  * input -> result: once ready, N edits of the total B12 field, each timed from the input event to the
    rendered result (and to the next animation frame);
  * bytes transferred (encoded, headers included) on a cold and on a warm visit;
  * "reached by clicking": a fresh profile opens Home, stays DWELL seconds, clicks the Calculator link in
    the navigation; time from the click to the first result;
  * a plain MAIN-THREAD Pyodide page (a tiny HTML page and module script loading Pyodide on the main thread
    and evaluating one request) with the runtime as npm ships it, measured cold in the same run, for the
    ratio cold-worker / cold-main-thread; and the same page with the files our site ships (its stdlib
    precompiled by scripts/compile_stdlib.mjs), to show how much is the worker and how much the build.

Prints a Markdown table (for the README) with the date and the machine (nproc, CPU model, Chromium version).
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
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Page, Playwright, sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
from serve_site import start_server  # noqa: E402

CHROMIUM = os.environ.get("B12_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 120_000
NAV_CALCULATOR = '.md-sidebar--primary a.md-nav__link[href$="calculator/"]'

# Bench-only instrumentation, injected before any page script: long tasks, the first result (the widget's
# b12:result event does not bubble, so it is caught in the capture phase) and the last click.
INIT_SCRIPT = """
(() => {
  const bench = { longtasks: [], scripts: [], first: null, click: null };
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
  document.addEventListener("click", () => {
    bench.click = performance.now();
    bench.first = null;
  }, true);
})();
"""

# The plain main-thread page: what a site gets by loading Pyodide the simplest way.
MAIN_THREAD_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Pyodide on the main thread</title></head>
<body><p id="out">Loading…</p><script type="module" src="main-thread.js"></script></body></html>
"""
MAIN_THREAD_JS = """
const base = new URL("./pyodide/", import.meta.url);
const { loadPyodide } = await import(new URL("pyodide.mjs", base).href);
const py = await loadPyodide({ indexURL: base.href, lockFileURL: new URL("pyodide-lock.json", base).href,
                               packages: ["b12-calc"] });
const evaluateJson = py.pyimport("calc").evaluate_json;
const result = JSON.parse(evaluateJson(JSON.stringify({ total_b12: 150 })));
document.getElementById("out").textContent = result.lab.status;
document.dispatchEvent(new CustomEvent("b12:result", { detail: result }));
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


class Bench:
    def __init__(self, pw: Playwright, args: argparse.Namespace) -> None:
        self.pw = pw
        self.args = args
        self.version = ""

    @contextmanager
    def profile(self) -> Iterator[BrowserContext]:
        """A fresh browser profile (its own user-data-dir: empty HTTP cache and wasm code cache)."""
        with tempfile.TemporaryDirectory(prefix="b12-bench-") as user_data:
            context = self.pw.chromium.launch_persistent_context(
                user_data,
                executable_path=CHROMIUM,
                args=CHROMIUM_ARGS,
                viewport={"width": 1280, "height": 900},
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

    @staticmethod
    def total_bytes(requests: list[Any]) -> int:
        total = 0
        for request in requests:
            sizes = request.sizes()
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
        longest script run of calculator.js seen in a long animation frame). 0 means none of 50 ms or
        more (the 'longtask' threshold), or no long frame with our script in it."""
        tasks = page.evaluate("window.__bench.longtasks")
        loaded = page.evaluate("performance.getEntriesByType('navigation')[0]?.loadEventEnd || 0")
        during = [d for s, d in tasks if max(start, loaded) <= s <= end]
        scripts = page.evaluate("window.__bench.scripts")
        ours = [d for url, d in scripts if "/javascripts/calculator.js" in url]
        return (max(during, default=0.0), max((d for _, d in tasks), default=0.0), max(ours, default=0.0))

    def cold_calculator(self, url: str) -> dict[str, float]:
        with self.profile() as context:
            finished, _ = self.record_bytes(context)
            page = context.new_page()
            page.goto(url + "calculator/")
            first = self.wait_first(page)
            engine = page.evaluate(JS_ENGINE_START)
            boot_task, load_task, own_script = self.longest(page, engine["startedAt"], first)
            page.wait_for_timeout(500)
            return {
                "first": first,
                "boot_task": boot_task,
                "load_task": load_task,
                "own_script": own_script,
                "bytes": self.total_bytes(finished),
                "engine_start": engine["startedAt"],
            }

    def warm_calculator(self, url: str, runs: int, edits: int) -> dict[str, Any]:
        with self.profile() as context:
            page = context.new_page()
            page.goto(url + "calculator/")
            self.wait_first(page)
            page.wait_for_timeout(1000)
            firsts, tasks, sizes = [], [], []
            for _ in range(runs):
                page.goto("about:blank")
                page.wait_for_timeout(500)
                finished, listener = self.record_bytes(context)
                page.goto(url + "calculator/")
                first = self.wait_first(page)
                engine = page.evaluate(JS_ENGINE_START)
                tasks.append(self.longest(page, engine["startedAt"], first)[0])
                firsts.append(first)
                page.wait_for_timeout(500)
                context.remove_listener("requestfinished", listener)
                sizes.append(self.total_bytes(finished))
            timing = page.evaluate(JS_EDITS, edits)
            return {"first": firsts, "boot_task": tasks, "bytes": sizes, **timing}

    def clicked(self, url: str, dwell_s: float) -> float:
        with self.profile() as context:
            page = context.new_page()
            page.goto(url)
            page.wait_for_timeout(int(dwell_s * 1000))
            page.click(NAV_CALCULATOR)
            first = self.wait_first(page)
            if page.url != url + "calculator/":
                raise RuntimeError(f"the click led to {page.url}")
            clicked_at = page.evaluate("window.__bench.click")
            if clicked_at is None:
                raise RuntimeError("the click reloaded the page: instant navigation is not working")
            return first - float(clicked_at)

    def cold_main_thread(self, url: str) -> dict[str, float]:
        with self.profile() as context:
            page = context.new_page()
            page.goto(url + "main-thread.html")
            first = self.wait_first(page)
            _, load_task, _ = self.longest(page, 0, first)
            return {"first": first, "load_task": load_task}


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


def make_main_thread_site(site_dir: Path, root: Path, stock_stdlib: bool) -> Path:
    """A bare page that loads Pyodide on the main thread and evaluates one request. With ``stock_stdlib``
    it uses the runtime exactly as npm ships it (the plain page a site would start from); without, the
    same files our site ships (its precompiled stdlib), to separate the worker's effect from the build's."""
    target = root / ("main-thread-stock" if stock_stdlib else "main-thread-same-files")
    shutil.copytree(site_dir / "pyodide", target / "pyodide")
    if stock_stdlib:
        shutil.copyfile(REPO / "node_modules/pyodide/python_stdlib.zip", target / "pyodide/python_stdlib.zip")
    (target / "main-thread.html").write_text(MAIN_THREAD_HTML, encoding="utf-8")
    (target / "main-thread.js").write_text(MAIN_THREAD_JS, encoding="utf-8")
    return target


@contextmanager
def serving(directory: Path, url: str) -> Iterator[str]:
    parts = urllib.parse.urlsplit(url)
    base, stop = start_server(directory, port=parts.port or 80, host=parts.hostname or "127.0.0.1")
    try:
        yield base
    finally:
        stop()


def repeat(n: int, label: str, fn: Callable[[], Any]) -> list[Any]:
    out = []
    for i in range(n):
        value = fn()
        print(
            f"  {label} {i + 1}/{n}: {json.dumps(value) if isinstance(value, dict) else value}",
            file=sys.stderr,
            flush=True,
        )
        out.append(value)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (default 5)")
    parser.add_argument("--edits", type=int, default=50, help="edits for input -> result (default 50)")
    parser.add_argument("--dwell", type=float, default=5.0, help="seconds on Home before the click")
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
        stock_site = make_main_thread_site(site_dir, Path(tmp), stock_stdlib=True)
        same_site = make_main_thread_site(site_dir, Path(tmp), stock_stdlib=False)
        # Interleave the three pages so that all see the same machine load.
        cold, main_cold, main_same = [], [], []
        for i in range(n):
            with serving(site_dir, url) as base:
                cold += repeat(1, f"cold calculator {i + 1}", lambda base=base: bench.cold_calculator(base))
            with serving(stock_site, url) as base:
                main_cold += repeat(
                    1,
                    f"cold main-thread page, stock runtime {i + 1}",
                    lambda base=base: bench.cold_main_thread(base),
                )
            with serving(same_site, url) as base:
                main_same += repeat(
                    1,
                    f"cold main-thread page, same files {i + 1}",
                    lambda base=base: bench.cold_main_thread(base),
                )
        with serving(site_dir, url) as base:
            print("  warm runs and edits ...", file=sys.stderr, flush=True)
            warm = bench.warm_calculator(base, n, args.edits)
            clicked = repeat(n, "clicked after dwell", lambda: bench.clicked(base, args.dwell))
        results.update(cold=cold, main_cold=main_cold, main_same=main_same, warm=warm, clicked=clicked)
        chromium = bench.version

    table = report(results, args, chromium)
    print(table)
    if args.out:
        args.out.write_text(table, encoding="utf-8")
    return 0


def report(r: dict[str, Any], args: argparse.Namespace, chromium: str) -> str:
    m = machine()
    cold = stats([x["first"] for x in r["cold"]])
    main_cold = stats([x["first"] for x in r["main_cold"]])
    main_same = stats([x["first"] for x in r["main_same"]])
    warm = stats(r["warm"]["first"])
    boot_task = stats([x["boot_task"] for x in r["cold"]] + r["warm"]["boot_task"])
    own_script = stats([x["own_script"] for x in r["cold"]])
    load_task = stats([x["load_task"] for x in r["cold"]])
    main_task = stats([x["load_task"] for x in r["main_cold"]])
    edits = stats(r["warm"]["toResult"])
    frames = stats(r["warm"]["toFrame"])
    clicked = stats(r["clicked"])
    cold_bytes = stats([x["bytes"] for x in r["cold"]])
    warm_bytes = stats(r["warm"]["bytes"])
    ratio = cold["median"] / main_cold["median"]

    def ok(value: float, limit: float) -> str:
        return "yes" if value <= limit else "**no**"

    rows = [
        (
            "Cold: open the calculator page → first result (engine in a module worker)",
            "",
            f"{fmt_s(cold['median'])} / {fmt_s(cold['p95'])}",
            "",
        ),
        (
            "Cold: plain main-thread Pyodide page, runtime as npm ships it → first result (same run)",
            "",
            f"{fmt_s(main_cold['median'])} / {fmt_s(main_cold['p95'])}",
            "",
        ),
        (
            "Ratio cold worker page / plain main-thread page (medians)",
            "≤ 0.7",
            f"{ratio:.2f}",
            ok(ratio, 0.7),
        ),
        (
            "Cold: main-thread page with our precompiled stdlib → first result (for comparison)",
            "",
            f"{fmt_s(main_same['median'])} / {fmt_s(main_same['p95'])}",
            "",
        ),
        (
            "Ratio cold worker page / main-thread page with the same files",
            "",
            f"{cold['median'] / main_same['median']:.2f}",
            "",
        ),
        (
            "Warm: navigate to the calculator page again → first result",
            "",
            f"{fmt_s(warm['median'])} / {fmt_s(warm['p95'])}",
            "",
        ),
        (
            "Longest main-thread task while the engine boots (page loaded → first result), cold and warm; "
            "0 = none ≥ 50 ms",
            "≤ 50 ms",
            f"{fmt_ms(boot_task['median'])} / {fmt_ms(boot_task['p95'])}",
            ok(boot_task["p95"], 50),
        ),
        (
            "Longest run of calculator.js inside a long animation frame, cold (0 = never in one)",
            "",
            f"{fmt_ms(own_script['median'])} / {fmt_ms(own_script['p95'])}",
            "",
        ),
        (
            "Longest main-thread task over the whole cold page load (theme included)",
            "",
            f"{fmt_ms(load_task['median'])} / {fmt_ms(load_task['p95'])}",
            "",
        ),
        (
            "Longest main-thread task, plain main-thread Pyodide page",
            "",
            f"{fmt_ms(main_task['median'])} / {fmt_ms(main_task['p95'])}",
            "",
        ),
        (
            f"Input → result rendered, {args.edits} edits once ready",
            "p95 ≤ 30 ms",
            f"{fmt_ms(edits['median'])} / {fmt_ms(edits['p95'])}",
            ok(edits["p95"], 30),
        ),
        (
            "Input → next frame after the result",
            "",
            f"{fmt_ms(frames['median'])} / {fmt_ms(frames['p95'])}",
            "",
        ),
        (
            f"Clicked from Home after {args.dwell:g} s there (cold profile): click → first result",
            "≤ 0.3 s",
            f"{fmt_s(clicked['median'])} / {fmt_s(clicked['p95'])}",
            ok(clicked["median"], 300),
        ),
        (
            "Bytes transferred, cold visit to the calculator page",
            "",
            f"{fmt_bytes(cold_bytes['median'])}",
            "",
        ),
        ("Bytes transferred, warm visit", "", f"{fmt_bytes(warm_bytes['median'])}", ""),
    ]
    lines = [
        f"Calculator benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: {m['nproc']} CPUs ({m['cpu']}), "
        f"{m['os']}, Chromium {chromium}, load average {m['load']} at the end; n = {args.runs} runs per "
        f"measurement (median / p95); site served locally with gzip and a 10-minute cache like GitHub Pages.",
        "",
        "| Measure | Target | Median / p95 | Met |",
        "|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())

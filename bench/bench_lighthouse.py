"""Lighthouse scores of the built site (a benchmark, not a test: it prints numbers and never fails on them).

    .venv/bin/python bench/bench_lighthouse.py [--runs 3] [--site-dir site] [--port 8793]
                                                [--url http://127.0.0.1:8773/] [--out FILE.md]

Lighthouse is pinned to 12.2.3, the last release that runs on Node 20 (13.x needs Node 22). It is a
benchmark tool, not a dependency of the site or the tests, so this script installs it on first use into
build/bench-tools/ (``npm install --save-exact lighthouse@12.2.3`` there; git ignores build/) instead of
package.json, which every ``npm ci`` of the build and CI would then have to install.

Pages: Home, Calculator, Treatment, References; form factors: mobile (Lighthouse's default: Moto G Power
emulation, simulated 150 ms / 1.6 Mbit/s and a 4x CPU slowdown) and desktop (``--preset=desktop``). Each
run uses a fresh Chromium profile (no HTTP cache, no service worker). Runs are interleaved (run 1 of every
page and form factor, then run 2, ...) so that all see the same machine load. Printed per page and form
factor: the medians of the four category scores, LCP, TBT, CLS and the transfer bytes (Lighthouse's
``total-byte-weight``), and the CPU benchmark index Lighthouse measured (higher is a faster machine).

Known limits (2026-12): with Chromium 156 six audits error (``frame_sequence``: the LCP element and the
layout-shift list), and Lighthouse stops a few seconds after the load event, so it never sees the
calculator's first answer or the service worker's precache.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tools.browser import CHROMIUM
from tools.serve_site import start_server  # the same server as the tests

REPO = Path(__file__).resolve().parent.parent
LIGHTHOUSE_VERSION = "12.2.3"
TOOLS_DIR = REPO / "build" / "bench-tools"
LIGHTHOUSE_CLI = TOOLS_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
PAGES = (("Home", ""), ("Calculator", "calculator/"), ("Treatment", "treatment/"),
         ("References", "references/"))
FORMS = ("mobile", "desktop")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-dev-shm-usage"


def ensure_lighthouse() -> Path:
    """The pinned Lighthouse CLI, installed into build/bench-tools/ when missing or another version."""
    package = LIGHTHOUSE_CLI.parent.parent / "package.json"
    if package.is_file() and json.loads(package.read_text(encoding="utf-8"))["version"] == LIGHTHOUSE_VERSION:
        return LIGHTHOUSE_CLI
    TOOLS_DIR.mkdir(parents=True, exist_ok=True)
    print(f"installing lighthouse@{LIGHTHOUSE_VERSION} into {TOOLS_DIR} ...", file=sys.stderr, flush=True)
    subprocess.run(["npm", "install", "--prefix", str(TOOLS_DIR), "--save-exact", "--no-audit", "--no-fund",
                    f"lighthouse@{LIGHTHOUSE_VERSION}"], check=True, stdout=sys.stderr)
    return LIGHTHOUSE_CLI


def run_lighthouse(cli: Path, url: str, form: str, out: Path) -> dict[str, Any]:
    """One Lighthouse run; the figures this benchmark reports."""
    command = ["node", str(cli), url, f"--chrome-flags={CHROME_FLAGS}", "--output=json",
               f"--output-path={out}", "--quiet", "--max-wait-for-load=90000"]
    if form == "desktop":
        command.append("--preset=desktop")
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=600)
    report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]

    def numeric(audit: str) -> float:
        value = audits.get(audit, {}).get("numericValue")
        return float(value) if value is not None else float("nan")

    return {
        "scores": {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES},
        "lcp_ms": numeric("largest-contentful-paint"),
        "tbt_ms": numeric("total-blocking-time"),
        "cls": numeric("cumulative-layout-shift"),
        "bytes": numeric("total-byte-weight"),
        "benchmark_index": float(report.get("environment", {}).get("benchmarkIndex") or 0),
        "warnings": report.get("runWarnings", []),
    }


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def table(results: dict[tuple[str, str], list[dict[str, Any]]], runs: int) -> str:
    lines = [
        "| Page | Form | Perf | A11y | Best pr. | SEO | LCP | TBT | CLS | Transfer | Perf per run "
        "| CPU index |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for (name, form), rows in results.items():
        scores = {c: median([r["scores"][c] for r in rows]) for c in CATEGORIES}
        lcp, tbt = median([r["lcp_ms"] for r in rows]) / 1000, median([r["tbt_ms"] for r in rows])
        lines.append(
            f"| {name} | {form} | {scores['performance']:.0f} | {scores['accessibility']:.0f} "
            f"| {scores['best-practices']:.0f} | {scores['seo']:.0f} "
            f"| {lcp:.2f} s | {tbt:.0f} ms "
            f"| {median([r['cls'] for r in rows]):.3f} | {median([r['bytes'] for r in rows]) / 1024:.0f} KiB "
            f"| {'/'.join(str(r['scores']['performance']) for r in rows)} "
            f"| {median([r['benchmark_index'] for r in rows]):.0f} |")
    load = os.getloadavg()
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    head = (f"Lighthouse {LIGHTHOUSE_VERSION}, {when}: {os.cpu_count()} CPUs, load average "
            f"{load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f} at the end; medians of n = {runs}")
    return head + "\n\n" + "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--site-dir", type=Path, default=REPO / "site")
    parser.add_argument("--port", type=int, default=8793)
    parser.add_argument("--url", help="an already served site (default: serve --site-dir on --port)")
    parser.add_argument("--pages", default=",".join(name for name, _ in PAGES),
                        help="comma-separated subset of: " + ", ".join(name for name, _ in PAGES))
    parser.add_argument("--forms", default=",".join(FORMS))
    parser.add_argument("--out", type=Path, help="also write the table (Markdown) here")
    args = parser.parse_args(argv)

    cli = ensure_lighthouse()
    stop = None
    if args.url:
        base = args.url if args.url.endswith("/") else args.url + "/"
    else:
        if not (args.site_dir / "index.html").is_file():
            print(f"error: {args.site_dir} has no built site: run scripts/build", file=sys.stderr)
            return 1
        base, stop = start_server(args.site_dir, port=args.port)
    wanted = set(args.pages.split(","))
    pages = [(name, path) for name, path in PAGES if name in wanted]
    forms = [form for form in FORMS if form in set(args.forms.split(","))]
    results: dict[tuple[str, str], list[dict[str, Any]]] = {(n, f): [] for n, _ in pages for f in forms}
    try:
        with tempfile.TemporaryDirectory(prefix="b12-lighthouse-") as tmp:
            for run in range(args.runs):
                for name, path in pages:
                    for form in forms:
                        row = run_lighthouse(cli, base + path, form, Path(tmp) / f"{run}-{form}.json")
                        results[(name, form)].append(row)
                        print(f"run {run + 1} {name} {form}: perf {row['scores']['performance']}, "
                              f"LCP {row['lcp_ms']:.0f} ms, TBT {row['tbt_ms']:.0f} ms, "
                              f"CLS {row['cls']:.3f}, "
                              f"{row['bytes'] / 1024:.0f} KiB, CPU index {row['benchmark_index']:.0f}",
                              file=sys.stderr, flush=True)
    finally:
        if stop is not None:
            stop()
    text = table(results, args.runs)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

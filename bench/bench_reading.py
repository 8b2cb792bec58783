"""What a reader has to read (a benchmark, not a test: it prints numbers and never fails on them).

    .venv/bin/python bench/bench_reading.py [--site-dir site] [--port 8794] [--out FILE.md]

For each of the UX review's patient cases (tests/core/ux_cases.py), opened from a shareable link on the
calculator page, as a phone (390x844) and a desktop (1366x900), it prints:

- words of the plan's lead: the kicker, title, headline, whose dose and the prescription's line (what a
  GP or a pharmacist reads before deciding; counselling and checks are collapsed below it);
- visible words of the plan card and of the whole result (collapsed groups count only their summary line:
  ``innerText`` leaves out what is not rendered);
- where the plan's headline and the take-away actions (Copy for notes, Copy link, Print) are, in screens
  from the top of the page as opened (1.0 = one screen down): the status bar's, where it shows them (it is
  sticky on a phone), else the plan card's own;
- collapsed groups in the result.

Uses an existing build (scripts/build) served like GitHub Pages (tools/serve_site.py) and Debian's
Chromium (tools/browser.py).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

from playwright.sync_api import Page, ViewportSize, sync_playwright

from calc import load_guideline
from tests.core.ux_cases import UX_CASES
from tools.browser import CHROMIUM, CHROMIUM_ARGS
from tools.serve_site import start_server  # the same server as the tests

REPO = Path(__file__).resolve().parent.parent
RESULT = '#b12-calculator [data-b12="result"][data-status]'
VIEWPORTS: dict[str, ViewportSize] = {"phone": {"width": 390, "height": 844},
                                     "desktop": {"width": 1366, "height": 900}}
BOOT_TIMEOUT_MS = 90_000

#: Read in the page: word counts and positions (in screens from the top of the page as opened).
JS_READING = """
() => {
  const words = (el) => (el ? el.innerText.split(/\\s+/).filter((w) => /\\w/.test(w)).length : 0);
  const plan = document.querySelector('[data-plan]');
  const lead = ['.b12-plan__kicker', '.b12-plan__title', '.b12-plan__headline', '.b12-plan__whose',
                '[data-prescription-line]'].map((s) => plan && plan.querySelector(s));
  const screens = (el) => {
    if (!el || !el.getClientRects().length) return null;
    return (el.getBoundingClientRect().top + window.scrollY) / window.innerHeight;
  };
  const bar = document.querySelector('.b12-calc__bar-actions');
  const barShown = bar && getComputedStyle(bar).display !== 'none';
  const actions = barShown ? bar : document.querySelector('[data-plan] [data-action="copy-text"]');
  return {
    lead: lead.reduce((n, el) => n + words(el), 0),
    plan: words(plan),
    result: words(document.querySelector('#b12-calculator [data-b12="result"]')),
    headline: screens(plan && plan.querySelector('.b12-plan__headline')),
    actions: screens(actions),
    collapsed: document.querySelectorAll('#b12-calculator [data-b12="result"] details:not([open])').length,
  };
}
"""


def case_link(base: str, request: dict[str, Any], version: str) -> str:
    """The calculator's shareable link for ``request`` under content ``version``
    (docs/javascripts/page/share-link.js's format)."""
    parts = [f"v={quote(version)}"]
    for name, value in request.items():
        if isinstance(value, bool):
            text = "1" if value else ""
        elif isinstance(value, list):
            text = ",".join(quote(str(item)) for item in value)
        else:
            text = quote(str(value), safe="/")
        if text:
            parts.append(f"{name}={text}")
    return f"{base}calculator/#{'&'.join(parts)}"


def read_case(page: Page, base: str, request: dict[str, Any], version: str) -> dict[str, Any]:
    page.goto("about:blank")
    page.goto(case_link(base, request, version))
    page.wait_for_selector(RESULT, state="attached", timeout=BOOT_TIMEOUT_MS)
    page.wait_for_function("document.querySelector('[data-plan]') !== null", timeout=BOOT_TIMEOUT_MS)
    page.evaluate("document.fonts.ready")
    return dict(page.evaluate(JS_READING))


def screens(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site-dir", type=Path, default=REPO / "site")
    parser.add_argument("--port", type=int, default=8794)
    parser.add_argument("--out", type=Path, help="also write the table (Markdown) here")
    args = parser.parse_args(argv)
    if not (args.site_dir / "calculator" / "index.html").is_file():
        print(f"no built site in {args.site_dir}: run scripts/build first", file=sys.stderr)
        return 2
    rows = ["| Case | Screen | Lead words | Plan words | Result words | Headline at (screens) "
            "| Actions at (screens) | Collapsed groups |", "|---|---|---|---|---|---|---|---|"]
    version = load_guideline().meta.content_version
    base, stop = start_server(args.site_dir, port=args.port)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for screen, viewport in VIEWPORTS.items():
                context = browser.new_context(viewport=viewport, is_mobile=screen == "phone",
                                              has_touch=screen == "phone")
                page = context.new_page()
                for name, request in UX_CASES.items():
                    got = read_case(page, base, request, version)
                    rows.append(f"| {name} | {screen} | {got['lead']} | {got['plan']} | {got['result']} "
                                f"| {screens(got['headline'])} | {screens(got['actions'])} "
                                f"| {got['collapsed']} |")
                    print(rows[-1], flush=True)
                context.close()
            browser.close()
    finally:
        stop()
    table = "\n".join(rows)
    print("\n" + table)
    if args.out:
        args.out.write_text(table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

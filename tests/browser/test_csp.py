"""The Content Security Policy every page carries as its first <meta> (site_build/csp.py, added by the
mkdocs hook; HAZ-23): what it says, that every page and every calculator state runs under it without a
single violation, and that it does block an injected inline script.

Violations are caught twice: a ``securitypolicyviolation`` listener added by an init script (it reports
through the console, so reading it needs no evaluation in the page) and Chromium's own console errors.
Before counting them, a test lets the page finish what its last action queued (``settled``): a violation
is reported from a task, which runs before the next animation frame's timeout, and console messages reach
Playwright in the order the page sent them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from conftest import BOOT_TIMEOUT_MS, VIOLATION_TAG, Traffic, watched
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Route

from calc import load_guideline
from site_build.csp import inline_hashes  # the build's own hashing

FORM = '#b12-calculator [data-b12="form"]'
RESULT = '#b12-calculator [data-b12="result"]'
# The top-level entries of the primary navigation: one link per page.
NAV_PAGES = ".md-sidebar--primary .md-nav--primary > .md-nav__list > .md-nav__item > a.md-nav__link"
CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
REQUIRED = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'none'"],
}


def html_pages(site_dir: Path) -> list[str]:
    """Every HTML page of the built site, as paths relative to the site root (directory URLs)."""
    paths = []
    for file in sorted(site_dir.rglob("*.html")):
        rel = file.relative_to(site_dir).as_posix()
        paths.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return paths


def settled(page: Page) -> None:
    """Return once the page has run the tasks its last action queued (the next frame, then a task)."""
    page.evaluate("() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)))")


def search_for(page: Page, url: str, query: str) -> None:
    """Open ``url`` and type ``query`` into the theme's search as a person does, key by key, then wait for
    its results. The theme reads the box on a key release, on focus, and once when its index is ready;
    ``page.fill`` releases no key, so a query filled in after the index was ready was never searched for
    (on a loaded machine the index is often ready first: this test failed in about one CI run in five)."""
    box = "[data-md-component=search-query]"
    page.goto(url)
    page.click(box)
    page.keyboard.type(query)
    page.wait_for_selector(".md-search-result__item", state="attached", timeout=60_000)


def parse_policy(text: str) -> dict[str, list[str]]:
    directives = {}
    for part in text.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


# --- the policy in the built HTML ----------------------------------------------------------------------

def test_every_page_has_one_policy_before_any_script_style_or_link(site_dir: Path) -> None:
    pages = list(site_dir.rglob("*.html"))
    assert len(pages) >= 10
    for file in pages:
        text = file.read_text(encoding="utf-8")
        metas = list(CSP_META.finditer(text))
        assert len(metas) == 1, f"{file}: {len(metas)} CSP <meta> elements"
        before = text[text.index("<head>") + len("<head>"): metas[0].start()]
        assert re.fullmatch(r'\s*<meta charset="utf-8">\s*', before), f"{file}: not first: {before!r}"
        first_governed = min(i for i in (text.find(tag) for tag in ("<script", "<style", "<link")) if i >= 0)
        assert metas[0].start() < first_governed


def test_policy_is_strict_and_lists_exactly_the_inline_scripts_of_its_page(site_dir: Path) -> None:
    for file in site_dir.rglob("*.html"):
        text = file.read_text(encoding="utf-8")
        policy = parse_policy(CSP_META.findall(text)[0].replace("&amp;", "&"))
        for name, values in REQUIRED.items():
            assert policy.get(name) == values, f"{file}: {name} {policy.get(name)}"
        scripts = policy["script-src"]
        assert scripts[0] == "'self'"
        assert not {"'unsafe-inline'", "'unsafe-eval'", "'wasm-unsafe-eval'", "*", "data:"} & set(scripts)
        assert not {"'unsafe-inline'", "*"} & set(policy["style-src"])
        without_meta = CSP_META.sub("", text)
        script_hashes, style_hashes = inline_hashes(without_meta)
        assert scripts[1:] == script_hashes, f"{file}: hashes do not match the page's inline scripts"
        assert policy["style-src"][1:] == style_hashes
        assert len(script_hashes) >= 1, "the theme's inline scripts are expected (hashes computed at build)"


# --- every page in Chromium -------------------------------------------------------------------------------

def test_every_page_loads_without_a_violation(
    make_context: Callable[..., tuple[BrowserContext, Traffic]], site: str, site_dir: Path,
) -> None:
    context, _ = make_context(bypass_csp=False)
    page = context.new_page()
    watch = watched(page)
    pages = html_pages(site_dir)
    for path in pages:
        page.goto(site + path, wait_until="load")
        # The theme's own modules run after load (search worker, palette, instant navigation set-up).
        page.wait_for_selector("[data-md-component=search-query]", state="attached")
    # And the theme's search (its worker, and a submitted search form: form-action 'none').
    search_for(page, site, "dose")
    page.press("[data-md-component=search-query]", "Enter")
    settled(page)
    assert watch.csp_problems() == [], f"{len(pages)} pages: {watch.csp_problems()}"
    assert watch.errors == []


def test_instant_navigation_through_every_page_keeps_to_the_policy(
    make_context: Callable[..., tuple[BrowserContext, Traffic]], site: str, site_dir: Path,
) -> None:
    """With instant navigation the first page's policy stays in force while the theme swaps in the next
    page's content and re-runs its inline scripts: they must be allowed by every page's policy."""
    context, _ = make_context(bypass_csp=False)
    page = context.new_page()
    watch = watched(page)
    page.goto(site)
    page.evaluate("window.__b12TestMarker = 'before the first click'")
    links = page.locator(NAV_PAGES)
    count = links.count()
    assert count >= 8
    for i in [*range(1, count), 0]:
        href = links.nth(i).get_attribute("href")
        links.nth(i).click()
        page.wait_for_url(str(href))
        page.wait_for_selector("article h1")
    assert page.evaluate("window.__b12TestMarker") == "before the first click", "instant navigation"
    assert watch.csp_problems() == []


# --- the calculator in each state -----------------------------------------------------------------------

def test_calculator_states_run_without_a_violation(
    make_context: Callable[..., tuple[BrowserContext, Traffic]], site: str,
) -> None:
    context, _ = make_context(bypass_csp=False, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    watch = watched(page)
    page.goto(site + "calculator/")
    page.wait_for_selector(f"{RESULT}[data-status]", state="attached", timeout=BOOT_TIMEOUT_MS)
    # A result.
    page.fill(f"{FORM} [name=total_b12]", "150")
    page.wait_for_selector(f"{RESULT}[data-status=deficient]")
    # Field errors.
    page.fill(f"{FORM} [name=total_b12]", "-5")
    page.wait_for_selector(f"{FORM} [data-error-for=total_b12]:visible")
    page.fill(f"{FORM} [name=total_b12]", "150")
    page.wait_for_selector(f"{RESULT}[data-status=deficient]")
    # Enter in a field must not submit the form (form-action 'none' would report it).
    page.press(f"{FORM} [name=total_b12]", "Enter")
    # Print: the print stylesheet and a PDF rendering.
    page.emulate_media(media="print")
    assert page.pdf(format="A4")[:4] == b"%PDF"
    page.emulate_media(media="screen")
    # The result's exports: notes and link to the clipboard, the calendar file (needs a start date).
    page.fill(f"{FORM} [name=start_date]", "2026-12-01")
    page.wait_for_selector('#b12-calculator [data-action="download-ics"]:enabled')
    page.click('#b12-calculator [data-b12=result] [data-action="copy-text"]')
    page.click('#b12-calculator [data-b12=result] [data-action="copy-link"]')
    with page.expect_download():
        page.click('#b12-calculator [data-action="download-ics"]')
    settled(page)
    assert watch.csp_problems() == []
    assert watch.errors == []


def test_a_shared_link_opens_without_a_violation(
    make_context: Callable[..., tuple[BrowserContext, Traffic]], site: str,
) -> None:
    """A link carrying the form's values in its fragment (the shareable link,
    docs/javascripts/page/share-link.js), opened, then back and forward."""
    context, _ = make_context(bypass_csp=False)
    page = context.new_page()
    watch = watched(page)
    version = load_guideline().meta.content_version
    page.goto(site)
    page.goto(site + f"calculator/#v={version}&total_b12=150&total_b12_unit=ng/L&age_years=40")
    page.wait_for_selector(f"{RESULT}[data-status=deficient]", state="attached", timeout=BOOT_TIMEOUT_MS)
    page.go_back()
    page.go_forward()
    page.wait_for_selector(f"{RESULT}[data-status=deficient]", state="attached", timeout=BOOT_TIMEOUT_MS)
    assert watch.csp_problems() == []
    assert watch.errors == []


# --- the policy blocks what it should ------------------------------------------------------------------

def test_an_injected_inline_script_is_blocked_and_reported(
    make_context: Callable[..., tuple[BrowserContext, Traffic]], site: str,
) -> None:
    context, _ = make_context(bypass_csp=False)
    page = context.new_page()
    watch = watched(page)

    def inject(route: Route) -> None:
        response = route.fetch()
        body = response.text().replace(
            "</body>", '<script>document.documentElement.dataset.injected = "ran";</script></body>')
        route.fulfill(response=response, body=body)

    page.route(site + "calculator/", inject)
    page.goto(site + "calculator/")
    page.wait_for_selector(f"{RESULT}[data-status]", state="attached", timeout=BOOT_TIMEOUT_MS)
    assert page.get_attribute("html", "data-injected") is None, "the injected inline script ran"
    blocked = [v for v in watch.violations if v["blocked"] == "inline"]
    assert blocked and blocked[0]["directive"].startswith("script-src"), watch.violations


def test_a_script_from_another_origin_is_blocked(
    make_context: Callable[..., tuple[BrowserContext, Traffic]], site: str,
) -> None:
    context, _ = make_context(bypass_csp=False)
    page = context.new_page()
    watch = watched(page)
    failures: dict[str, str | None] = {}
    page.on("requestfailed", lambda request: failures.__setitem__(request.url, request.failure))

    def inject(route: Route) -> None:
        response = route.fetch()
        body = response.text().replace(
            "</body>", '<script src="https://cdn.example.invalid/x.js"></script></body>')
        route.fulfill(response=response, body=body)

    def reports_the_cdn(message: ConsoleMessage) -> bool:
        return message.text.startswith(VIOLATION_TAG) and "cdn.example.invalid" in message.text

    page.route(site, inject)
    with page.expect_console_message(reports_the_cdn), page.expect_event(
        "requestfailed", lambda request: request.url == "https://cdn.example.invalid/x.js"
    ):
        page.goto(site)
    assert any(v["blocked"].startswith("https://cdn.example.invalid") for v in watch.violations)
    assert failures.get("https://cdn.example.invalid/x.js") == "csp", "refused by the policy, not sent"


def test_playwright_can_still_evaluate_under_the_policy(
    make_context: Callable[..., tuple[BrowserContext, Traffic]], site: str,
) -> None:
    """page.evaluate is DevTools evaluation, which the page's policy does not govern (only eval inside the
    page is: Playwright's string predicates for wait_for_function are, hence bypass_csp in conftest)."""
    context, _ = make_context(bypass_csp=False)
    page = context.new_page()
    watch = watched(page)
    page.goto(site)
    assert page.evaluate("() => 6 * 7") == 42
    assert page.evaluate("document.querySelectorAll('meta[http-equiv]').length") == 1
    assert watch.csp_problems() == []

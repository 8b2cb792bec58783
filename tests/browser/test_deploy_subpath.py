"""The GitHub Pages deployment: a project site lives under a sub-path, https://<owner>.github.io/<repo>/.
The site is built for such an address (conftest: subpath_site_dir, the same build step as scripts/build)
and served only under /b12-calc/ (tools/serve_site.py --prefix); every page, the calculator and the
instant navigation must work there, with every request staying under the sub-path. The offline check
under the sub-path is in test_offline.py; the workflow itself is linted by scripts/test (zizmor)."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

from conftest import BOOT_TIMEOUT_MS, SUBPATH, SiteServer, new_context_for, second_port
from playwright.sync_api import Browser, Response

FORM = '#b12-calculator [data-b12="form"]'
RESULT = '#b12-calculator [data-b12="result"]'
NAV_CALCULATOR = '.md-sidebar--primary a.md-nav__link[href$="calculator/"]'


def test_the_built_pages_point_into_the_sub_path(subpath_site_dir: Path) -> None:
    home = (subpath_site_dir / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="http://127.0.0.1:{second_port()}{SUBPATH}">' in home
    not_found = (subpath_site_dir / "404.html").read_text(encoding="utf-8")
    assert f'src="{SUBPATH}javascripts/calculator.js"' in not_found, "404.html uses absolute sub-path URLs"


def test_the_calculator_works_under_the_sub_path(browser: Browser, subpath_server: SiteServer) -> None:
    base = subpath_server.url
    context, traffic = new_context_for(browser, base, bypass_csp=False)
    failed: list[str] = []

    def check(response: Response) -> None:
        if response.status >= 400:
            failed.append(f"{response.status} {response.url}")

    context.on("response", check)
    page = context.new_page()
    page.goto(base)
    page.evaluate("window.__b12TestMarker = 'home'")
    page.click(NAV_CALCULATOR)
    page.wait_for_url(base + "calculator/")
    page.wait_for_selector(f"{RESULT}[data-status]", state="attached", timeout=BOOT_TIMEOUT_MS)
    assert page.evaluate("window.__b12TestMarker") == "home", "instant navigation works under the sub-path"
    page.fill(f"{FORM} [name=total_b12]", "150")
    page.wait_for_selector(f"{RESULT}[data-status=deficient]")
    assert failed == []
    assert traffic.urls and all(url.startswith(base) for url in traffic.urls), \
        [u for u in traffic.urls if not u.startswith(base)]


def test_nothing_is_served_outside_the_sub_path(subpath_server: SiteServer) -> None:
    root = subpath_server.url[: -len(SUBPATH)] + "/"
    for url in (root, root + "calculator/", root + "sw.js"):
        try:
            urllib.request.urlopen(url, timeout=10)
        except urllib.error.HTTPError as error:
            assert error.code == 404, url
        else:
            raise AssertionError(f"{url} answered outside the sub-path")
    with urllib.request.urlopen(subpath_server.url.rstrip("/"), timeout=10) as response:
        assert response.url == subpath_server.url, "/b12-calc redirects to /b12-calc/"

"""Accessibility: axe-core (npm, pinned in package.json) finds no serious or critical violation on any page,
in light or dark mode, with the calculator showing a result.

axe is injected from node_modules by the test (a local file, not a request the site makes)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = [
    "",
    "diagnosis/",
    "treatment/",
    "special-populations/",
    "route/",
    "monitoring/",
    "safety/",
    "calculator/",
    "references/",
    "about/",
]
BLOCKING = ("serious", "critical")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations(
    make_context: Callable[..., tuple[BrowserContext, Any]],
    site: str,
    scheme: str,
    wait_result: Callable[[Any], None],
) -> None:
    """Issue 4 ('accessible from the start') and the product direction: zero serious violations on every
    page. The calculator page is checked with a result and its regimen cards on screen."""
    assert AXE.is_file(), f"{AXE} missing: run scripts/build (npm ci installs axe-core)"
    context, _ = make_context(color_scheme=scheme)
    page = context.new_page()
    found = []
    for path in PAGES:
        page.goto(site + path)
        if path == "calculator/":
            wait_result(page)
            page.fill("#b12-calculator [name=total_b12]", "150")
            page.wait_for_selector("#b12-calculator [data-status=deficient]")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        for violation in result["violations"]:
            if violation["impact"] in BLOCKING:
                targets = [" ".join(map(str, n["target"])) for n in violation["nodes"][:3]]
                found.append(f"/{path} [{scheme}] {violation['id']} ({violation['impact']}): {targets}")
    assert not found, "\n".join(found)

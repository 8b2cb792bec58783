"""Shared fixtures for tests/site and tests/browser.

tests/core must not depend on anything here: tools/pyodide_pytest.mjs runs tests/core inside
Pyodide with only that directory mounted, so this file is not loaded there.

Environment (scripts/test sets all three):
    B12_SITE_DIR     the built site (default: <repo>/site)
    B12_SITE_URL     the origin the site was built for and is served at in tests
                     (default: http://127.0.0.1:8765/; scripts/build must have used the same SITE_URL)
    B12_SITE_SERVED  "1": the site is already served at B12_SITE_URL (scripts/test serves it once for
                     its parallel pytest workers, which must share the one origin the site was built for)
"""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.serve_site import port_in_use, start_server

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SITE_URL = "http://127.0.0.1:8765/"


#: The files of the two-worker stage that take more than a few seconds, longest first (busy CPU seconds
#: each, run alone on the 2-CPU machines, 2026-12-04: from 99 down to 7). scripts/test runs pytest-xdist
#: with --no-loadscope-reorder, so the files are handed out in this order and then the others, all short,
#: in collection order: they fill in at the end, and the two workers finish together (longest first).
#: xdist's own order, by number of tests, left long three-test files to the end, on one worker. A stale
#: list costs time, never a test.
LONGEST_FIRST = (
    "tests/browser/test_accessibility.py",
    "tests/browser/test_share_result.py",
    "tests/core/test_situation_space.py",
    "tests/browser/test_calculator_site.py",
    "tests/browser/test_csp.py",
    "tests/browser/test_offline.py",
    "tests/browser/test_page_layout.py",
    "tests/browser/test_engine_failures.py",
    "tests/browser/test_offline_copy.py",
    "tests/browser/test_plan_card.py",
    "tests/browser/test_calculator_form.py",
    "tests/browser/test_prewarm_policy.py",
    "tests/browser/test_engine_snapshot.py",
    "tests/browser/test_engine_start.py",
    "tests/browser/test_deploy_subpath.py",
    "tests/browser/test_review_visit.py",
    "tests/browser/test_fuzz_widget.py",
    "tests/browser/test_schedule_choice.py",
    "tests/core/test_properties.py",
    "tests/browser/test_back_forward_cache.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {path: i for i, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def site_dir() -> Path:
    """The built site. A missing site fails the test (it is not skipped): run scripts/build."""
    path = Path(os.environ.get("B12_SITE_DIR", REPO_ROOT / "site")).resolve()
    if not (path / "index.html").is_file():
        pytest.fail(f"no built site in {path}: run scripts/build {DEFAULT_SITE_URL} (or scripts/test)")
    return path


@pytest.fixture(scope="session")
def site_url() -> str:
    """Base URL (ending in "/") the test site was built for."""
    url = os.environ.get("B12_SITE_URL", DEFAULT_SITE_URL)
    return url if url.endswith("/") else url + "/"


@pytest.fixture(scope="session")
def served_site(site_dir: Path, site_url: str) -> Iterator[str]:
    """Serve the built site at ``site_url`` (GitHub-Pages-like server) for the session; yields the URL.
    With B12_SITE_SERVED=1, whoever set it serves the site there, for the whole run."""
    parts = urllib.parse.urlsplit(site_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    if os.environ.get("B12_SITE_SERVED") == "1":
        if not port_in_use(port, host):
            pytest.fail(f"B12_SITE_SERVED=1, but nothing serves the site at {host}:{port}")
        yield site_url
        return
    if port_in_use(port, host):
        pytest.fail(f"{host}:{port} is already in use: stop whatever listens there before the tests")
    base_url, stop = start_server(site_dir, port=port, host=host)
    try:
        yield base_url.rstrip("/") + parts.path
    finally:
        stop()

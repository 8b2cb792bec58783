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

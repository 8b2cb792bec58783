"""Chromium as the browser tests and the benchmarks drive it: which binary, with which arguments, and the
page-side helper both use to wait for the offline service worker.

Playwright's own browser download does not work on the development machines: Debian's ``chromium`` is
used (``B12_CHROMIUM`` names another binary, e.g. the GitHub runner's Google Chrome).
"""

from __future__ import annotations

import os

#: The browser binary (scripts/test exports B12_CHROMIUM; /usr/bin/chromium is Debian's package).
CHROMIUM = os.environ.get("B12_CHROMIUM", "/usr/bin/chromium")
#: Headless, no sandbox (root in containers), and nothing the browser would fetch on its own.
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
#: The browser tests' arguments: the same, with V8 compiling WebAssembly with its baseline compiler only
#: (Liftoff; no optimising recompile of hot functions on background threads). The tests check behaviour,
#: which does not depend on the compiler tier, and each cold engine start then costs about 2.9 CPU seconds
#: instead of 4.2 on the 2-CPU machines (busy CPU over 5 cold calculator loads each, 2026-12-04): the
#: browser stage starts the engine many times. The benchmarks measure what readers get: CHROMIUM_ARGS.
TEST_CHROMIUM_ARGS = [*CHROMIUM_ARGS, "--js-flags=--liftoff-only"]

#: For page.evaluate: resolves once the page's service worker is active, i.e. has finished precaching
#: (activation follows the install); returns the registration's scope.
JS_SERVICE_WORKER_ACTIVATED = """
async () => {
  const registration = await navigator.serviceWorker.ready;
  const worker = registration.active;
  if (worker.state !== "activated") {
    await new Promise((resolve) => worker.addEventListener("statechange", () => {
      if (worker.state === "activated") resolve();
    }));
  }
  return registration.scope;
}
"""

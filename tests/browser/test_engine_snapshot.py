"""The engine's two boot paths (HAZ-25; README, Set-up and commands: the memory snapshot): a normal boot
that leaves a memory snapshot in Cache Storage (made by a separate worker, before any input), and a later
visit that restores it; a snapshot that cannot be restored falls back to a normal boot. Answers are the
same either way (checked against CPython)."""

from __future__ import annotations

import json
from typing import Any

from conftest import JS_ENGINE, JS_STORED, SNAPSHOT_CACHE, wait_for_snapshot
from playwright.sync_api import Page

from calc import evaluate

RESULT = '#b12-calculator [data-b12="result"]'
FORM = '#b12-calculator [data-b12="form"]'
# The key this build's snapshot is stored under, computed by the site's own module from its manifest.
JS_KEY = """
async (site) => {
  const snapshots = await import(new URL("javascripts/engine/engine-snapshot.js", site).href);
  const manifest = await (await fetch(new URL("pyodide/engine-manifest.json", site))).json();
  return snapshots.snapshotKey(manifest);
}
"""
JS_SNAPSHOT_HAS = f"""
async (needles) => {{
  const cache = await caches.open("{SNAPSHOT_CACHE}");
  const [request] = await cache.keys();
  const bytes = new Uint8Array(await (await cache.match(request)).arrayBuffer());
  const text = new TextDecoder("latin1").decode(bytes);
  return {{ size: bytes.length, found: needles.map((needle) => text.includes(needle)) }};
}}
"""


def result_for(page: Page, total_b12: str) -> dict[str, Any]:
    """Type a total B12 and return the widget's result for it (its b12:result event)."""
    root = page.locator("#b12-calculator")
    root.evaluate("(root) => root.addEventListener('b12:result', (e) => {"
                  " root.dataset.testResult = JSON.stringify(e.detail);"
                  " root.dataset.testTotal = String(e.detail.request.total_b12); })")
    page.fill(f"{FORM} [name=total_b12]", total_b12)
    page.wait_for_selector(f'#b12-calculator[data-test-total="{total_b12}"]', state="attached")
    return dict(json.loads(root.get_attribute("data-test-result") or "{}"))


def test_return_visit_restores_a_snapshot_made_before_any_input(
    make_context: Any, site: str, wait_result: Any, as_json: Any
) -> None:
    context, traffic = make_context()
    page = context.new_page()
    page.goto(site + "calculator/")
    wait_result(page)
    first = page.evaluate(JS_ENGINE)
    assert first["ready"]["boot"] == "normal"
    assert first["ready"]["stdlib"] == "trimmed"
    # Patient input before the snapshot exists: it must never end up in it.
    page.fill(f"{FORM} [name=total_b12]", "123.456789")
    page.wait_for_selector(f"{RESULT}[data-status=deficient]")

    stored = wait_for_snapshot(page)
    assert stored == [page.evaluate(JS_KEY, site)], "one snapshot, under this build's key"
    content = page.evaluate(JS_SNAPSHOT_HAS, ["123.456789", "autoimmune_gastritis"])
    assert content["size"] > 10_000_000
    assert content["found"] == [False, True], "the warm-up is in the snapshot, the reader's input is not"

    page.goto("about:blank")
    page.goto(site + "calculator/")
    wait_result(page)
    again = page.evaluate(JS_ENGINE)
    assert again["ready"]["boot"] == "snapshot"
    assert again["ready"]["version"] == first["ready"]["version"]
    got = result_for(page, "150")
    assert got == as_json(evaluate({"total_b12": 150})), "a restored engine answers as CPython does"
    assert traffic.foreign() == []


def test_a_snapshot_that_cannot_be_restored_means_a_normal_boot(
    make_context: Any, site: str, wait_result: Any, as_json: Any
) -> None:
    context, _ = make_context()
    page = context.new_page()
    # A page of the site that starts no engine: store a broken snapshot under this build's key.
    page.goto(site + "pyodide/engine-manifest.json")
    key = page.evaluate(JS_KEY, site)
    page.evaluate(f"""async (key) => {{
      const cache = await caches.open("{SNAPSHOT_CACHE}");
      await cache.put(key, new Response(new Uint8Array(4096).fill(7)));
    }}""", key)
    assert page.evaluate(JS_STORED, 0) == [key]

    warnings: list[str] = []
    page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
    page.goto(site + "calculator/")
    wait_result(page)
    engine = page.evaluate(JS_ENGINE)
    assert engine["ready"]["boot"] == "normal"
    assert any("did not restore" in w for w in warnings), warnings
    got = result_for(page, "150")
    assert got == as_json(evaluate({"total_b12": 150}))
    # The broken entry is gone; a good one replaces it once the snapshot maker has run.
    stored = wait_for_snapshot(page)
    size = page.evaluate(JS_SNAPSHOT_HAS, [])["size"]
    assert stored == [key] and size > 10_000_000

// Memory snapshots of the engine's Python, kept in Cache Storage: the one place that knows about them.
//
// A snapshot is Pyodide's whole wasm memory (~31.5 MB) taken right after `import calc` and the warm-up
// (engine-boot.js), before any patient input: a separate, short-lived worker makes it at idle after the
// page's first result (engine-worker.js, mode "snapshot"), so the engine that sees the reader's input is
// never snapshotted and the first result never waits. Later visits restore it instead of starting Python
// (about 4x faster). Keyed by the runtime's, the wheel's and the stdlib's sha256 (engine-manifest.json,
// written by the build), so a new build never restores an old snapshot; only the newest is kept.
//
// The snapshot API is private to the pinned Pyodide (314.0.7: the loadPyodide options `_makeSnapshot`
// and `_loadSnapshot`, and `pyodide.makeMemorySnapshot()`): `supported()` checks it exists, and every
// failure (no Cache Storage, no API, quota, a corrupt or foreign snapshot) means a normal boot.

const CACHE_NAME = "b12-engine-snapshot-v1";
// Cache Storage keys are URLs; this one is never fetched.
const KEY_BASE = new URL("../../pyodide/memory-snapshot/", import.meta.url);
// Room needed beyond the snapshot itself before storing one (the quota is shared with the site's cache).
const HEADROOM_BYTES = 64 * 1024 * 1024;

/** True if this context can store snapshots (Cache Storage) and the runtime can make/restore them. */
export function supported(py = null) {
  if (typeof caches !== "object" || !caches || typeof caches.open !== "function") return false;
  return py === null || typeof py.makeMemorySnapshot === "function";
}

/** The key of a snapshot for this build: runtime, wheel and stdlib hashes from the manifest. */
export function snapshotKey(manifest) {
  const wheel = manifest.lock.packages[manifest.package];
  const short = (sha) => String(sha).slice(0, 16);
  return new URL(`runtime-${short(manifest.runtime.sha256)}-wheel-${short(wheel.sha256)}-stdlib-${short(manifest.stdlib.sha256)}.bin`,
    KEY_BASE).href;
}

/** The stored snapshot for `key` as a Response (its body not read yet), or null. Never throws. */
export async function find(key) {
  if (!supported()) return null;
  try {
    const cache = await caches.open(CACHE_NAME);
    return (await cache.match(key)) || null;
  } catch {
    return null;
  }
}

/** The private loadPyodide options that restore a snapshot (a Response from find(), or its bytes). */
export function restoreOptions(source) {
  return { _loadSnapshot: typeof source.arrayBuffer === "function" ? source.arrayBuffer() : source };
}

/** The private loadPyodide option that allows making a snapshot later. */
export const MAKE_OPTIONS = { _makeSnapshot: true };

/** Make a snapshot of `py` (booted with MAKE_OPTIONS) and store it under `key`, replacing older ones. */
export async function make(py, key) {
  if (!supported(py)) return { stored: false, reason: "unsupported" };
  const bytes = py.makeMemorySnapshot();
  if (navigator.storage && typeof navigator.storage.estimate === "function") {
    const { quota = Infinity, usage = 0 } = await navigator.storage.estimate();
    if (quota - usage < bytes.length + HEADROOM_BYTES) return { stored: false, reason: "quota", bytes: bytes.length };
  }
  const cache = await caches.open(CACHE_NAME);
  for (const old of await cache.keys()) {
    if (old.url !== key) await cache.delete(old);
  }
  await cache.put(key, new Response(bytes, { headers: { "content-type": "application/octet-stream" } }));
  return { stored: true, bytes: bytes.length };
}

/** Forget a snapshot that failed to restore. Never throws. */
export async function drop(key) {
  try {
    const cache = await caches.open(CACHE_NAME);
    await cache.delete(key);
  } catch {
    // nothing stored, or no Cache Storage: nothing to forget
  }
}

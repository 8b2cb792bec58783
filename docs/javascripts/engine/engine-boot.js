// How the calculator's Python starts: ONE path, shared by the engine worker (engine-worker.js) and the build
// step that derives the trimmed standard library from it (tools/stdlib_cut.mjs, under Node). Whatever
// this file makes Python import is, by construction, what the cut records; so a change here is checked by
// the next build.
//
// The wheel is installed by unpackArchive after our own sha256 check against the lockfile entry, not by
// `loadPyodide({packages})`: a memory snapshot cannot be made after a lockfile install, and a checksum
// failure gets its own plain message. Both boots (normal and snapshot restore) end in readyEngine.
//
// No DOM, no `self`, no fetch: callers pass bytes and URLs, so Node and the worker can both use it.

/**
 * A representative request evaluated during boot: imports every module the rules use and parses the
 * guideline data and, through weekdays_only, the bank holidays (a restored snapshot has no files to read
 * them from later), so the first real request is answered in milliseconds. Synthetic, never patient input:
 * a memory snapshot may be taken right after it.
 */
export const WARM_UP = JSON.stringify({
  total_b12: 150, active_b12: 40, mma: 0.5, mma_upper_limit: 0.4, age_years: 40,
  causes: ["autoimmune_gastritis"], route_preference: "oral", start_date: "2026-01-05", weekdays_only: true,
});

/** The calculator's code did not match its lockfile entry (damaged or altered in transit). */
export class WheelChecksumError extends Error {}

function hex(buffer) {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Resolve to `bytes` if their sha256 is the lockfile entry's; otherwise throw WheelChecksumError. */
export async function checkWheel(bytes, entry) {
  const actual = hex(await crypto.subtle.digest("SHA-256", bytes));
  if (actual !== entry.sha256) {
    throw new WheelChecksumError(
      "The calculator's code did not match its checksum: it was damaged or altered on the way.");
  }
  return bytes;
}

/**
 * Start the interpreter. `lock`: the lockfile object (or a promise of it), passed as contents so Pyodide
 * fetches no lockfile of its own. `snapshotOptions`: engine-snapshot.js's private options (restore one,
 * or allow making one), or nothing for a plain start.
 */
export function startPython(loadPyodide, { indexURL, stdLibURL, lock, fsInit, stdout, stderr }, snapshotOptions = {}) {
  return loadPyodide({ indexURL, stdLibURL, lockFileContents: lock, fsInit, stdout, stderr, ...snapshotOptions });
}

/** Unpack the (checked) wheel into site-packages: ~20 ms, no package manager involved. */
export function installWheel(py, bytes) {
  const sitePackages = py.runPython("import site; site.getsitepackages()[0]");
  py.unpackArchive(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), "wheel", { extractDir: sitePackages });
}

/**
 * After a snapshot restore: the snapshot froze the state of `random` (if anything had imported it) at the
 * moment it was made, on this device. calc uses no randomness; re-seed it anyway from the OS (crypto)
 * source, so nothing restored shares a stream with an earlier visit. The str hash seed cannot be changed
 * in a running interpreter; it stays the one chosen when this device made its snapshot.
 */
export function reseed(py) {
  py.runPython("import sys\nif 'random' in sys.modules: sys.modules['random'].seed()");
}

/**
 * The engine, once Python runs: a normal start installs the (checked) wheel, then imports calc and warms
 * it up. A restored snapshot already holds calc imported and warmed up, its data parsed, in memory; files
 * are not part of a snapshot, and none is unpacked (about 50 ms on a return visit): calc reads none after
 * its warm-up, which the build checks by answering every golden case and bad-input class, in every export
 * format, from a restored snapshot (tools/stdlib_cut.mjs). `wheel`: the wheel's bytes (a normal start).
 */
export function readyEngine(py, { restored, wheel = null }) {
  if (restored) reseed(py);
  else installWheel(py, wheel);
  return importCalc(py);
}

/** Import calc, hold its entry points and evaluate the warm-up request. */
export function importCalc(py) {
  const calc = py.pyimport("calc");
  const engine = {
    evaluateJson: calc.evaluate_json,
    renderJson: calc.render_json,
    version: String(calc.__version__),
  };
  engine.evaluateJson(WARM_UP);
  return engine;
}

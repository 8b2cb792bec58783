// Pyodide under Node, for the build, the tests and the benchmarks: ONE place that boots the runtime from
// node_modules/pyodide (offline: the npm package holds the whole runtime) and installs wheels into it.
//
//   import { bootPyodide, installWheels } from "./pyodide_node.mjs";
//   const py = await bootPyodide({ env: { B12_PYODIDE: "1" } });   // options as for loadPyodide
//   installWheels(py, ["build/wheel/b12_calc-0.1.0-py3-none-any.whl"]);
//
// Wheels are installed the way the site's engine installs its own (docs/javascripts/engine/engine-boot.js,
// installWheel: unpacked into site-packages, no package manager), from files on disk.
// Users: tools/compile_stdlib.mjs, tools/stdlib_cut.mjs (which boots through engine-boot.js itself, with
// this loadPyodide and indexURL), tools/pyodide_pytest.mjs, bench/bench_core_pyodide.mjs.

import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "pyodide";

import { installWheel } from "../docs/javascripts/engine/engine-boot.js";

export { loadPyodide };

/** The repository's root directory (this file is in tools/). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Where the runtime's files are: the npm package, as `npm ci` installed it. */
export const indexURL = `${join(repoRoot, "node_modules", "pyodide")}/`;

/** Start Pyodide from node_modules; `options` go to loadPyodide (env, stdout, stdLibURL, ...). */
export function bootPyodide(options = {}) {
  return loadPyodide({ indexURL, ...options });
}

/** Unpack each wheel file into the interpreter's site-packages, in order. */
export function installWheels(py, files) {
  // A Node Buffer is a Uint8Array that Pyodide refuses ("Unknown typed array type 'Buffer'"): copy it.
  for (const file of files) installWheel(py, new Uint8Array(readFileSync(file)));
}

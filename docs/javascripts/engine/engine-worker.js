// The calculator engine: a module Web Worker that starts the self-hosted Pyodide runtime and installs our
// wheel (or restores a memory snapshot holding both), then answers requests with calc.evaluate_json /
// calc.render_json. Nothing here touches the page; engine-client.js is the other side.
//
// Protocol (plain objects):
//   page -> worker  {pageStarted: true}           the page's own start-up is over (see PAGE_START_WAIT_MAX_MS)
//                   {id, request}                 request: a mapping of the contract (calc.REQUEST_FIELDS)
//                   {id, request, format}         the result rendered by calc.render_json (notes, ics, ...)
//   worker -> page  {id, result}                  the evaluate() result
//                   {id, export: {format, media_type, filename, text}}   for a request with a format
//                   {id, errors}                  [{field, message}] when the request is invalid
//                   {id, fatal}                   the engine failed on this request (a message)
//                   {alive: {lock}}               first: the name of a Web Lock this worker holds until it
//                                                 ends, so the page notices a crash without polling
//                   {progress: {step, steps, label, percent}}   during boot, in order
//                   {ready: {version, timings, boot, stdlib}}   once, after a warm-up evaluation
//                   {restart: {module, message}}  a module outside the trimmed stdlib was needed (at boot or
//                                                 on a request): start again with the full one
//                   {crashed: message}            the interpreter died; this worker then closes
//                   {fatal}                       boot failed (no id): the page shows its fallback
// Requests that arrive during boot wait for it and are answered in arrival order.
//
// The worker's name (set by the page) selects a mode: "b12-engine" (default), "b12-engine:full-stdlib"
// (after a restart for a missing module), "b12-engine:retry" (after a failure: never a snapshot), and
// "b12-engine:snapshot" (the snapshot maker, started by this worker itself; see engine-snapshot.js).
//
// Every URL is resolved against this script's own URL, so the site also works under a sub-path.
// The helper modules are imported dynamically, in parallel with the first downloads: static imports would
// hold this script back by one round trip before anything else is requested.
const helpers = Promise.all([import("./engine-boot.js"), import("./engine-snapshot.js")]);

const PYODIDE_URL = new URL("../../pyodide/", import.meta.url);
// Written by the build (site_build/pyodide_assets.py): runtime, stdlib and wheel hashes, and the lockfile.
const MANIFEST_URL = new URL("engine-manifest.json", PYODIDE_URL);
const WASM_URL = new URL("pyodide.asm.wasm", PYODIDE_URL);
const MODE = String(self.name || "").split(":")[1] || "default";
const FULL_STDLIB = MODE === "full-stdlib";
// The runtime's loader and its 1.25 MB JavaScript half are requested and compiled at once, beside the
// manifest, not one after the other behind it: loadPyodide later imports the same URL and finds the
// module already loaded. Failures are reported through the boot.
const loader = import(new URL("pyodide.mjs", PYODIDE_URL).href);
loader.catch(() => {});
import(new URL("pyodide.asm.mjs", PYODIDE_URL).href).catch(() => {});
// The runtime's two large files start downloading now too, not a round trip later when Pyodide asks for
// them (after the manifest): Pyodide's own requests for the same URLs then find them in the HTTP cache or
// join the download in flight. Done here rather than as <link rel=preload> in the page: a worker cannot use
// the page's preloads (Chromium only reads them from its HTTP cache, and warns that they went unused).
// Not when the offline copy exists: the service worker then answers both from it, and reading each file
// twice made the return visit slower.
if (MODE === "default" && typeof caches === "object") {
  caches.keys().then((names) => {
    if (names.some((name) => name.startsWith("b12-calc-precache"))) return;
    for (const name of ["pyodide.asm.wasm", "python_stdlib.zip"]) {
      fetch(new URL(name, PYODIDE_URL)).then((response) => response.body && response.body.pipeTo(new WritableStream()))
        .catch(() => {}); // a failure is Pyodide's to report, on its own request
    }
  }).catch(() => {});
}

// Pyodide only logs (and then waits forever) when the wasm download fails. If boot is still running after
// this long, one HEAD request checks that the runtime can be fetched at all, so a blocked or missing file
// ends in a clear message within seconds instead of at the page's overall boot timeout.
const PROBE_AFTER_MS = 4000;
// A normal boot downloads at once but compiles the runtime and starts Python only once the page says its own
// start-up is over ({pageStarted}: after its load event, at the first idle moment), or after this long
// (a fallback: the page's engine client always says it).
// V8 compiles the 9.6 MB runtime on background threads: on a two-core machine that compile doubled the length
// of the theme's start-up tasks (Lighthouse, mobile, calculator page: total blocking time about 1,000 ms ->
// 520 ms with the compile after the page's start-up). On a phone's network the download outlasts the page's
// start-up, so the wait costs nothing there; a return visit's snapshot restore does not wait.
const PAGE_START_WAIT_MAX_MS = 10000;
let pageStarted;
const pageStart = new Promise((resolve) => {
  pageStarted = resolve;
  setTimeout(resolve, PAGE_START_WAIT_MAX_MS);
});

// The snapshot maker starts once the page has been quiet (no request) this long after the first answer.
const SNAPSHOT_AFTER_QUIET_MS = 1500;

const STEPS = [
  "Downloading the Python runtime",
  "Starting Python and installing the calculator",
  "Loading the guideline data",
];

const started = performance.now();
const timings = {};

function mark(name) {
  timings[name] = Math.round(performance.now() - started);
}

function progress(step, percent) {
  postMessage({ progress: { step: step + 1, steps: STEPS.length, label: STEPS[step], percent } });
}

/** One line for the page: a Python error's "Type: message" line (Pyodide may add hints after it), else
 * the first line. */
function describe(error) {
  const text = error && error.message ? String(error.message) : String(error);
  const lines = text.split("\n").map((line) => line.trim()).filter(Boolean);
  const pythonLine = lines.filter((line) => /^[A-Za-z_.]*(Error|Exception)\b/.test(line)).at(-1);
  return String((error && error.type && pythonLine) || lines[0] || text).slice(0, 300);
}

/** The module a ModuleNotFoundError names, or null for any other error. Python's own start-up reports it
 * inside another message ("Failed to import _pyodide_core" + the captured traceback), so the text counts. */
function missingModule(error) {
  if (!error) return null;
  const match = /No module named '([^']+)'/.exec(String(error.message || error));
  if (match) return match[1];
  return error.type === "ModuleNotFoundError" ? "?" : null;
}

const isFatal = (error) => Boolean(error && error.pyodide_fatal_error);

async function fetchOk(url, what) {
  let response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`${what} could not be downloaded (${describe(error)}).`);
  }
  if (!response.ok) throw new Error(`${what} could not be downloaded (HTTP ${response.status}).`);
  return response;
}

async function probeRuntime() {
  let response;
  try {
    response = await fetch(WASM_URL, { method: "HEAD", cache: "no-store" });
  } catch (error) {
    throw new Error(`The Python runtime could not be downloaded (${describe(error)}).`);
  }
  if (!response.ok) {
    throw new Error(`The Python runtime could not be downloaded (HTTP ${response.status}).`);
  }
  // Reachable: the boot itself decides (or the page's overall timeout does).
}

// Started at once, in parallel with the runtime: the manifest (with the lockfile) and then the wheel.
const manifest = fetchOk(MANIFEST_URL, "The calculator's file list").then((response) => response.json());
const wheel = manifest.then(async (m) => {
  const entry = m.lock.packages[m.package];
  const response = await fetchOk(new URL(entry.file_name, PYODIDE_URL), "The calculator's code");
  const [{ checkWheel }] = await helpers;
  return checkWheel(new Uint8Array(await response.arrayBuffer()), entry);
});
wheel.catch(() => {}); // reported through the boot

function pythonOptions(m) {
  const stdlib = FULL_STDLIB ? m.stdlib_full : m.stdlib;
  return {
    indexURL: PYODIDE_URL.href,
    stdLibURL: new URL(stdlib.file, PYODIDE_URL).href,
    lock: m.lock,
    // Called once the runtime is downloaded and compiled, just before Python starts.
    fsInit: async () => {
      mark("runtime_compiled");
      progress(1, 40);
    },
    stdout: (line) => console.debug("[b12 engine]", line),
    stderr: (line) => console.warn("[b12 engine]", line),
  };
}

/** A normal start, or (if one is stored for this build) a snapshot restore; a failed restore starts normally. */
async function boot() {
  if (typeof WebAssembly !== "object") {
    throw new Error("This browser does not support WebAssembly.");
  }
  progress(0, 5);
  const [[{ readyEngine, startPython }, snapshots], m] = await Promise.all([helpers, manifest]);
  const key = snapshots.snapshotKey(m);
  const [{ loadPyodide }, stored] = await Promise.all([
    loader,
    MODE === "default" ? snapshots.find(key) : null,
  ]);
  mark("runtime_module");
  const options = pythonOptions(m);
  if (stored) {
    let py = null;
    try {
      py = await startPython(loadPyodide, options, snapshots.restoreOptions(stored));
      mark("python_ready");
    } catch (error) {
      console.warn("[b12 engine] the memory snapshot did not restore; starting normally:", describe(error));
      py = null;
    }
    if (py) {
      try {
        progress(2, 85);
        const engine = readyEngine(py, { restored: true });
        mark("warmed_up");
        return { ...engine, py, boot: "snapshot", key, snapshots };
      } catch (error) {
        console.warn("[b12 engine] the restored engine failed its warm-up; starting normally:", describe(error));
      }
    }
    await snapshots.drop(key);
  }
  if (MODE === "default") {
    await pageStart;
    mark("page_started");
  }
  const py = await startPython(loadPyodide, options, MODE === "snapshot" ? snapshots.MAKE_OPTIONS : {});
  mark("python_ready");
  progress(2, 85);
  const engine = readyEngine(py, { restored: false, wheel: await wheel });
  mark("warmed_up");
  return { ...engine, py, boot: "normal", key, snapshots };
}

// --- the snapshot maker (mode "snapshot"): boot, snapshot before any request, store, report, close -------

if (MODE === "snapshot") {
  boot()
    .then(async ({ py, key, snapshots }) => {
      const t = performance.now();
      const outcome = await snapshots.make(py, key);
      postMessage({ snapshot: { ...outcome, ms: Math.round(performance.now() - t), timings } });
    })
    .catch((error) => postMessage({ snapshot: { stored: false, reason: describe(error) } }))
    .finally(() => close());
} else {
  runEngine();
}

// --- the engine -------------------------------------------------------------------------------------------

function holdLifeLock() {
  // A Web Lock is released when its holder ends (crash, close, terminate): the page waits on it.
  if (!(self.navigator && navigator.locks && typeof navigator.locks.request === "function")) return;
  const lock = `b12-engine-alive-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  navigator.locks.request(lock, () => {
    postMessage({ alive: { lock } });
    return new Promise(() => {}); // held for this worker's whole life
  }).catch(() => {});
}

function runEngine() {
  holdLifeLock();
  const engine = new Promise((resolve, reject) => {
    const probe = setTimeout(() => probeRuntime().catch(reject), PROBE_AFTER_MS);
    // A wheel that fails to download or its checksum ends the boot at once, not when Python is up.
    wheel.catch(reject);
    boot().then(resolve, reject).finally(() => clearTimeout(probe));
  });

  engine.then(
    ({ version, boot: how }) => postMessage({
      // startedAt: when this worker started, in ms since the epoch (the page's clock has another origin).
      ready: { version, timings, startedAt: performance.timeOrigin + started, boot: how,
        stdlib: FULL_STDLIB ? "full" : "trimmed" },
    }),
    (error) => {
      const module = missingModule(error);
      if (module && !FULL_STDLIB) postMessage({ restart: { module, message: describe(error) } });
      else postMessage({ fatal: describe(error) });
    },
  );

  let queue = Promise.resolve();
  let quietTimer = 0;
  let snapshotMaker = null;

  // At idle after the first answer, if this build has no snapshot yet, a separate worker makes one (this
  // one has seen the reader's input and is never snapshotted).
  function maybeMakeSnapshot(state) {
    if (MODE !== "default" || state.boot !== "normal" || snapshotMaker || !state.snapshots.supported()) return;
    if (typeof Worker !== "function") return; // no nested workers here
    clearTimeout(quietTimer);
    quietTimer = setTimeout(() => {
      snapshotMaker = new Worker(import.meta.url, { type: "module", name: "b12-engine:snapshot" });
      snapshotMaker.onmessage = (event) => {
        const { snapshot } = event.data || {};
        if (snapshot) postMessage({ snapshot }); // for the page's diagnostics and the benchmark
      };
      snapshotMaker.onerror = (event) => event.preventDefault();
    }, SNAPSHOT_AFTER_QUIET_MS);
  }

  self.onmessage = (event) => {
    const { id, request, format } = event.data || {};
    if (event.data && event.data.pageStarted) pageStarted();
    if (id === undefined) return;
    clearTimeout(quietTimer);
    queue = queue.then(async () => {
      let answer;
      let state;
      try {
        state = await engine;
        const text = JSON.stringify(request ?? {});
        const parsed = JSON.parse(format ? state.renderJson(text, String(format)) : state.evaluateJson(text));
        if (parsed.errors) answer = { id, errors: parsed.errors };
        else answer = format ? { id, export: parsed } : { id, result: parsed };
      } catch (error) {
        const module = missingModule(error);
        if (state && module && !FULL_STDLIB) {
          postMessage({ restart: { module, message: describe(error) } });
          return;
        }
        if (state && isFatal(error)) {
          postMessage({ crashed: describe(error) });
          close();
          return;
        }
        answer = { id, fatal: describe(error) };
      }
      postMessage(answer);
      if (state) maybeMakeSnapshot(state);
    });
  };
}

// The calculator engine: a module Web Worker that boots the self-hosted Pyodide runtime, installs our
// wheel (fetched and sha256-checked through the site's own lockfile while Python starts) and answers
// evaluation requests with calc.evaluate_json. Nothing here touches the page; calculator.js owns the UI.
//
// Protocol (plain objects; calculator.js is the other side):
//   page -> worker  {id, request}                 request: a mapping of the contract (calc.REQUEST_FIELDS)
//                   {id, request, format}         the result rendered by calc.render_json (notes, ics, ...)
//   worker -> page  {id, result}                  the evaluate() result
//                   {id, export: {format, media_type, filename, text}}   for a request with a format
//                   {id, errors}                  [{field, message}] when the request is invalid
//                   {id, fatal}                   the engine failed on this request (a message)
//                   {progress: {step, steps, label, percent}}   during boot, in order
//                   {ready: {version, timings}}   once, after a warm-up evaluation: answers are now instant
//                   {fatal}                       boot failed (no id): the page shows its fallback
// Requests that arrive during boot wait for it and are answered in arrival order.
//
// Every URL is resolved against this script's own URL, so the site also works under a sub-path.

const PYODIDE_URL = new URL("../pyodide/", import.meta.url);
const LOCKFILE_URL = new URL("pyodide-lock.json", PYODIDE_URL);
const WASM_URL = new URL("pyodide.asm.wasm", PYODIDE_URL);
const PACKAGE = "b12-calc";

// Pyodide only logs (and then waits forever) when the wasm download fails. If boot is still running after
// this long, one HEAD request checks that the runtime can be fetched at all, so a blocked or missing file
// ends in a clear message within seconds instead of at the page's overall boot timeout.
const PROBE_AFTER_MS = 4000;

// A representative request evaluated during boot: imports every module the rules use and parses the
// guideline data, so the first real request is answered in milliseconds.
const WARM_UP = JSON.stringify({
  total_b12: 150, active_b12: 40, mma: 0.5, mma_upper_limit: 0.4, age_years: 40,
  causes: ["autoimmune_gastritis"], route_preference: "oral", start_date: "2026-01-05",
});

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

function describe(error) {
  const text = error && error.message ? String(error.message) : String(error);
  return text.split("\n")[0].slice(0, 300);
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

async function boot() {
  if (typeof WebAssembly !== "object") {
    throw new Error("This browser does not support WebAssembly.");
  }
  progress(0, 5);
  const { loadPyodide } = await import(new URL("pyodide.mjs", PYODIDE_URL).href);
  mark("runtime_module");
  const py = await loadPyodide({
    indexURL: PYODIDE_URL.href,
    lockFileURL: LOCKFILE_URL.href,
    packages: [PACKAGE],
    // Called once the runtime is downloaded and compiled, just before Python starts.
    fsInit: async () => {
      mark("runtime_compiled");
      progress(1, 40);
    },
    stdout: (line) => console.debug("[b12 engine]", line),
    stderr: (line) => console.warn("[b12 engine]", line),
  });
  mark("python_ready");
  progress(2, 85);
  const calc = py.pyimport("calc");
  const evaluateJson = calc.evaluate_json;
  const renderJson = calc.render_json;
  const version = String(calc.__version__);
  evaluateJson(WARM_UP);
  mark("warmed_up");
  return { evaluateJson, renderJson, version };
}

const engine = new Promise((resolve, reject) => {
  const probe = setTimeout(() => probeRuntime().catch(reject), PROBE_AFTER_MS);
  boot().then(resolve, reject).finally(() => clearTimeout(probe));
});

engine.then(
  ({ version }) => postMessage({ ready: { version, timings } }),
  (error) => postMessage({ fatal: describe(error) }),
);

let queue = Promise.resolve();

self.onmessage = (event) => {
  const { id, request, format } = event.data || {};
  queue = queue.then(async () => {
    let answer;
    try {
      const { evaluateJson, renderJson } = await engine;
      const text = JSON.stringify(request ?? {});
      const parsed = JSON.parse(format ? renderJson(text, String(format)) : evaluateJson(text));
      if (parsed.errors) answer = { id, errors: parsed.errors };
      else answer = format ? { id, export: parsed } : { id, result: parsed };
    } catch (error) {
      answer = { id, fatal: describe(error) };
    }
    postMessage(answer);
  });
};

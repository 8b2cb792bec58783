// Derive the trimmed Python standard library the site ships, from the engine's REAL boot path, and check it.
//
//   node tools/stdlib_cut.mjs --full <compiled python_stdlib.zip> --lockfile <pyodide-lock.json>
//        --golden tests/core/golden_cases.toml --out <trimmed zip> --report <report.json>
//
// 1. Record (interpreter A, the full compiled zip): boot exactly as engine-worker.js does -- the same
//    functions of docs/javascripts/engine/engine-boot.js (lockfile contents, wheel sha256-checked and unpacked,
//    `import calc`, the warm-up), plus a memory snapshot made and restored as the snapshot path does --
//    then send through the same JS proxies every golden case of tests/core/golden_cases.toml and every
//    bad-input class, to calc.evaluate_json and to calc.render_json in every format of
//    calc.exports.FORMATS, and a Python exception across to JavaScript (the missing-module path).
//    sys.modules then names every module used; each maps to its file in the zip.
// 2. Add the margin (MARGIN below, and why): whole packages where imports are lazy.
// 3. Write the trimmed zip (entries copied byte for byte from the full one).
// 4. Check (interpreters B and C, the trimmed zip): the same boot and the same requests must give the SAME
//    output text as A (a calendar's DTSTAMP, the time of making, masked), with no ModuleNotFoundError; C is restored from a snapshot that B made. Any
//    difference exits 1, and scripts/build fails.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

import * as boot from "../docs/javascripts/engine/engine-boot.js";
import * as snapshots from "../docs/javascripts/engine/engine-snapshot.js";
import { indexURL, loadPyodide } from "./pyodide_node.mjs";

// The margin: names kept although the recorded run did not import them (or only part of them), because
// they load lazily -- by name at run time, or on paths that no request here takes. A package name keeps
// the whole package; a module name keeps that module. A module outside the cut that is still met at run
// time makes the engine restart with the full zip (engine-worker.js): the margin trades bytes for fewer
// such restarts. Not in the margin, though a lockfile install needs them: email, importlib.metadata and
// tarfile (the engine unpacks its wheel itself, and the recorded run shows none of them is imported).
const MARGIN = {
  json: "whole package: the pure-Python decoder/encoder load when the C accelerator declines an input",
  tomllib: "whole package: calc's data parser; its error paths are not taken by valid data",
  re: "whole package: the compiler and parser load per pattern feature",
  collections: "whole package (collections.abc)",
  zipfile: "whole package: the wheel is unpacked with zipfile; its _path helpers load lazily",
  _pyodide: "whole package: Pyodide's bootstrap helpers",
  "importlib.resources": "whole package: calc reads its TOML data with importlib.resources",
  "encodings.ascii": "codecs are looked up by name when first used",
  "encodings.latin_1": "codec",
  "encodings.utf_8_sig": "codec",
  "encodings.utf_16": "codec",
  "encodings.utf_16_le": "codec",
  "encodings.utf_16_be": "codec",
  "encodings.utf_32": "codec",
  "encodings.idna": "codec",
  "encodings.punycode": "codec (used by idna)",
  "encodings.unicode_escape": "codec",
  "encodings.raw_unicode_escape": "codec",
  "pyodide.ffi": "whole package: JS <-> Python conversions loaded on demand",
  _pydatetime: "the pure-Python datetime, used if the C module is unavailable",
  _strptime: "loaded lazily by date and time parsing",
  traceback: "formats every Python exception that crosses to JavaScript (the recorded run raises one)",
  linecache: "used by traceback",
  tokenize: "used by linecache",
  token: "used by tokenize",
  textwrap: "calc's text renderer",
  calendar: "calc's schedule",
  random: "re-seeded after a snapshot restore when present",
  bisect: "used by random",
  warnings: "loaded on first warning",
  reprlib: "calc's error messages",
};

function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, "");
    if (!["full", "lockfile", "golden", "out", "report"].includes(key) || i + 1 >= argv.length) {
      console.error("usage: node tools/stdlib_cut.mjs --full ZIP --lockfile JSON --golden TOML --out ZIP --report JSON");
      process.exit(2);
    }
    opts[key] = resolve(argv[i + 1]);
  }
  for (const key of ["full", "lockfile", "golden", "out", "report"]) {
    if (!opts[key]) {
      console.error(`stdlib_cut: --${key} is required`);
      process.exit(2);
    }
  }
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const lockfile = JSON.parse(readFileSync(opts.lockfile, "utf-8"));
const entry = lockfile.packages["b12-calc"];
if (!entry) throw new Error(`no b12-calc entry in ${opts.lockfile}`);
const wheelBytes = new Uint8Array(readFileSync(join(dirname(opts.lockfile), entry.file_name)));
const quiet = { stdout: () => {}, stderr: (line) => console.error(`    [python] ${line}`) };

/** The worker's boot, step for step (engine-worker.js: normal boot; the snapshot maker's boot). */
async function bootLikeTheWorker(stdLibURL, { makeSnapshot = false, snapshot = null } = {}) {
  const py = await boot.startPython(loadPyodide, { indexURL, stdLibURL, lock: Promise.resolve(lockfile), ...quiet },
    snapshot ? snapshots.restoreOptions(snapshot) : makeSnapshot ? snapshots.MAKE_OPTIONS : {});
  const wheel = await boot.checkWheel(wheelBytes, entry);
  return { py, engine: boot.readyEngine(py, { restored: Boolean(snapshot), wheel }) };
}

/** Every request text the check sends: golden cases, bad-input classes, pathological texts. */
function requestTexts(py) {
  const golden = JSON.parse(py.runPython(`
import json, tomllib
with open("/tmp/golden_cases.toml", "rb") as f:
    cases = tomllib.load(f)["case"]
json.dumps([json.dumps(c["request"]) for c in cases])  # request texts (some hold NaN)
`, { globals: py.toPy({}) }));
  const fields = JSON.parse(py.runPython("import calc, json; json.dumps([f.name for f in calc.REQUEST_FIELDS])"));
  const badValues = [-1, 0, 1e300, "abc", "", "12", true, false, null, [1], { v: 1 }, "2026-02-30",
    "99999-01-01", "x".repeat(300), "\u00b5mol/L", "NaN"];
  const texts = [...golden];
  for (const field of fields) {
    for (const value of badValues) texts.push(JSON.stringify({ total_b12: 150, [field]: value }));
  }
  texts.push(
    "", "not json", "[]", "1", "\"text\"", "null", "{}", "{\"colour\": \"red\"}", "{\"total_b12\": NaN}",
    "{\"total_b12\": Infinity}", `{"total_b12": 1${"0".repeat(5000)}}`, `{"total_b12": 1e${"9".repeat(400)}}`,
    "[".repeat(50) + "]".repeat(50), `{"a": ${"[".repeat(10)}${"]".repeat(10)}}`, "x".repeat(20001),
    "{\"total_b12\": 150, \"total_b12\": 200}", "{\"total_b12\": \"\\ud800\"}", "\ufeff{}",
  );
  return texts;
}

/** Send every text through the engine's proxies; return the outputs in order. */
function exercise(py, engine, texts) {
  const formats = JSON.parse(py.runPython("import calc.exports, json; json.dumps(list(calc.exports.FORMATS))"));
  const outputs = [];
  for (const text of texts) {
    outputs.push(engine.evaluateJson(text));
    for (const format of [...formats, "no-such-format"]) outputs.push(engine.renderJson(text, format));
  }
  // The worker's missing-module path: a Python exception crossing to JavaScript, its type read there.
  try {
    py.pyimport("b12_no_such_module");
    outputs.push("imported?");
  } catch (error) {
    outputs.push(`${error.type}: ${String(error.message).split("\n").at(-2)}`);
  }
  return { outputs, formats };
}

function usedModules(py) {
  return JSON.parse(py.runPython(`
import json, sys
json.dumps(sorted((name, getattr(m, "__file__", None) or "", bool(getattr(m, "__path__", None)))
                  for name, m in list(sys.modules.items()) if m is not None))
`));
}

const started = Date.now();
const fullBytes = readFileSync(opts.full);

// --- 1. record ------------------------------------------------------------------------------------------
const A = await bootLikeTheWorker(opts.full, { makeSnapshot: true });
A.py.makeMemorySnapshot(); // the snapshot maker's step (JS only; recorded for completeness)
A.py.FS.writeFile("/tmp/golden_cases.toml", readFileSync(opts.golden));
const texts = requestTexts(A.py);
const recordedRun = exercise(A.py, A.engine, texts);
const modules = usedModules(A.py); // before anything below imports more

// --- 2. map to zip entries, add the margin ----------------------------------------------------------------
A.py.FS.writeFile("/tmp/full.zip", fullBytes);
A.py.globals.set("USED", A.py.toPy(modules));
A.py.globals.set("MARGIN", A.py.toPy(Object.keys(MARGIN)));
const summary = JSON.parse(A.py.runPython(`
import json, zipfile

PREFIX = "/lib/python314.zip/"
with zipfile.ZipFile("/tmp/full.zip") as z:
    infos = {i.filename: i for i in z.infolist()}

def entries_of_module(name):
    """The zip entries a module name can be loaded from (compiled, or kept as source)."""
    base = name.replace(".", "/")
    return [n for n in (base + ".pyc", base + ".py", base + "/__init__.pyc", base + "/__init__.py") if n in infos]

def entries_of_package(name):
    folder = name.replace(".", "/") + "/"
    return [n for n in infos if n.startswith(folder)]

seen_in_zip, elsewhere = set(), []
for name, file, is_pkg in USED:
    if file.startswith(PREFIX):
        seen_in_zip.add(file[len(PREFIX):])
    elif file:
        elsewhere.append(name)
keep = set(seen_in_zip)
tops = sorted({n.split("/")[0] for n in seen_in_zip if "/" in n})
margin_found, margin_absent = [], []
for name in MARGIN:
    entries = entries_of_package(name) or entries_of_module(name)
    (margin_found if entries else margin_absent).append(name)
    keep.update(entries)
# A kept module needs its parent packages' __init__.
for n in list(keep):
    parts = n.split("/")[:-1]
    for i in range(1, len(parts) + 1):
        keep.update(entries_of_module(".".join(parts[:i])))
# Data files beside kept modules of a package (e.g. a grammar or table read at import) stay with them.
for n in list(keep):
    folder = n.rsplit("/", 1)[0] + "/" if "/" in n else None
    if folder:
        keep.update(k for k in infos if k.startswith(folder) and "/" not in k[len(folder):]
                    and not k.endswith((".py", ".pyc")))
with zipfile.ZipFile("/tmp/full.zip") as zin, zipfile.ZipFile("/tmp/cut.zip", "w") as out:
    for info in zin.infolist():
        if info.filename in keep:
            out.writestr(info, zin.read(info.filename))
json.dumps({
    "modules_used": len(USED),
    "from_zip": sorted(seen_in_zip),
    "not_from_zip": sorted(elsewhere),
    "packages_touched": tops,
    "margin_absent_from_zip": margin_absent,
    "entries_kept": len(keep),
    "entries_total": len(infos),
})
`));
const cutBytes = A.py.FS.readFile("/tmp/cut.zip");
// Checked under a temporary name; only a zip that passed is ever at opts.out.
const candidate = `${opts.out}.unchecked`;
mkdirSync(dirname(opts.out), { recursive: true });
rmSync(opts.out, { force: true });
writeFileSync(candidate, cutBytes);

// --- 3. check with the trimmed zip: normal boot (B), then a snapshot made by B restored (C) ---------------
// The one part of an output that may differ between two runs: a calendar's creation time (DTSTAMP).
const normalize = (text) => String(text).replace(/DTSTAMP:\d{8}T\d{6}Z/g, "DTSTAMP:<now>");

function compare(label, run) {
  const bad = [];
  for (let i = 0; i < recordedRun.outputs.length; i++) {
    if (normalize(run.outputs[i]) !== normalize(recordedRun.outputs[i])) bad.push(i);
  }
  const missing = run.outputs.filter((o) => /ModuleNotFoundError/.test(o) && !/b12_no_such_module/.test(o));
  if (bad.length || missing.length) {
    const i = bad[0];
    console.error(`stdlib_cut: FAILED (${label}): ${bad.length} of ${run.outputs.length} outputs differ from the full zip's`);
    if (i !== undefined) {
      console.error(`  first difference, request ${JSON.stringify(texts[Math.floor(i / (recordedRun.formats.length + 2))]).slice(0, 200)}`);
      console.error(`  full zip:    ${String(recordedRun.outputs[i]).slice(0, 300)}`);
      console.error(`  trimmed zip: ${String(run.outputs[i]).slice(0, 300)}`);
    }
    for (const m of missing.slice(0, 3)) console.error(`  ${m.slice(0, 300)}`);
    console.error("  Add the missing module (or its package) to MARGIN in tools/stdlib_cut.mjs, or find why it is lazy.");
    process.exit(1);
  }
}

let B;
try {
  B = await bootLikeTheWorker(candidate, { makeSnapshot: true });
} catch (error) {
  console.error(`stdlib_cut: FAILED: the engine does not boot with the trimmed zip: ${error.message}`);
  process.exit(1);
}
const snapshot = B.py.makeMemorySnapshot(); // before any request, as the snapshot maker does
compare("normal boot", exercise(B.py, B.engine, texts));
let C;
try {
  C = await bootLikeTheWorker(candidate, { snapshot });
} catch (error) {
  console.error(`stdlib_cut: FAILED: a snapshot made with the trimmed zip does not restore: ${error.message}`);
  process.exit(1);
}
compare("snapshot restore", exercise(C.py, C.engine, texts));

const report = {
  ...summary,
  margin: MARGIN,
  margin_entries: summary.entries_kept - summary.from_zip.length,
  requests_checked: texts.length,
  outputs_compared: recordedRun.outputs.length,
  formats: recordedRun.formats,
  bytes_full: fullBytes.length,
  bytes_cut: cutBytes.length,
};
writeFileSync(opts.report, `${JSON.stringify(report, null, 1)}\n`);
renameSync(candidate, opts.out);
console.log(
  `    stdlib cut: ${summary.entries_kept} of ${summary.entries_total} files (${(cutBytes.length / 1e6).toFixed(2)} MB of `
  + `${(fullBytes.length / 1e6).toFixed(2)} MB); ${summary.from_zip.length} modules seen + margin; `
  + `${texts.length} requests x (evaluate + ${recordedRun.formats.length} formats) identical with the full zip, `
  + `normal boot and snapshot restore (${((Date.now() - started) / 1000).toFixed(1)} s) -> ${opts.out}`,
);
process.exit(0);

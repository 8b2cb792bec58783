// Run the tests/core suite inside Pyodide (Node, offline), against the wheel the site ships.
//
//   node tools/pyodide_pytest.mjs [--wheel PATH] [--deps DIR] [--tests DIR] [-- PYTEST_ARGS...]
//
// Defaults: --wheel site/pyodide/b12_calc-*.whl (what the site serves), --deps
// build/pyodide-test-wheels (pytest, hypothesis and their deps for pyemscripten; scripts/test
// downloads them), --tests tests/core. Exits with pytest's return code.
//
// Only the tests directory is mounted (NODEFS, at /repo/tests/core): `calc` can come only from the
// installed wheel, which is checked. Nothing is written into the mounted directory: no bytecode, no
// pytest cache, hypothesis' example database under /tmp in the in-memory file system.
// The tests see B12_PYODIDE=1 in os.environ (e.g. to pick a hypothesis profile without deadlines).

import { readFileSync, readdirSync, existsSync, writeSync } from "node:fs";
import path from "node:path";

import { bootPyodide, installWheels, repoRoot } from "./pyodide_node.mjs";

function usage(message) {
  if (message) console.error(`error: ${message}`);
  console.error("usage: node tools/pyodide_pytest.mjs [--wheel PATH] [--deps DIR] [--tests DIR] [-- PYTEST_ARGS...]");
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {
    wheel: null,
    deps: path.join(repoRoot, "build", "pyodide-test-wheels"),
    tests: path.join(repoRoot, "tests", "core"),
    pytestArgs: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      opts.pytestArgs = argv.slice(i + 1);
      break;
    } else if (arg === "--wheel" || arg === "--deps" || arg === "--tests") {
      if (i + 1 >= argv.length) usage(`${arg} needs a value`);
      opts[arg.slice(2)] = path.resolve(argv[++i]);
    } else if (arg === "-h" || arg === "--help") {
      usage();
    } else {
      usage(`unknown argument ${arg}`);
    }
  }
  if (!opts.wheel) {
    const dir = path.join(repoRoot, "site", "pyodide");
    const found = existsSync(dir) ? readdirSync(dir).filter((f) => /^b12_calc-.*\.whl$/.test(f)) : [];
    if (found.length !== 1) {
      usage(`expected exactly one b12_calc-*.whl in ${dir} (run scripts/build), found: ${found.join(", ") || "none"}`);
    }
    opts.wheel = path.join(dir, found[0]);
  }
  return opts;
}

function wheelsIn(dir) {
  if (!existsSync(dir)) usage(`test wheel directory ${dir} not found (scripts/test downloads it)`);
  const wheels = readdirSync(dir).filter((f) => f.endsWith(".whl")).sort();
  if (!wheels.some((f) => f.startsWith("pytest-"))) usage(`no pytest wheel in ${dir}`);
  return wheels.map((f) => path.join(dir, f));
}

const opts = parseArgs(process.argv.slice(2));
if (!existsSync(opts.tests)) usage(`tests directory ${opts.tests} not found`);
if (!existsSync(opts.wheel)) usage(`wheel ${opts.wheel} not found`);
const depWheels = wheelsIn(opts.deps);

const write = (fd) => ({
  write(buf) {
    writeSync(fd, buf);
    return buf.length;
  },
});

const t0 = Date.now();
const py = await bootPyodide({
  env: {
    HOME: "/home/pyodide",
    PYTHONDONTWRITEBYTECODE: "1",
    HYPOTHESIS_STORAGE_DIRECTORY: "/tmp/hypothesis",
    B12_PYODIDE: "1",
  },
});
py.setStdout(write(1));
py.setStderr(write(2));

const sitePackages = py.runPython("import site; site.getsitepackages()[0]");
installWheels(py, [...depWheels, opts.wheel]);

// The same pytest configuration as under CPython ([tool.pytest.ini_options]: markers, addopts);
// a copy in the in-memory file system, so rootdir is /repo as in the repository.
py.FS.mkdirTree("/repo");
py.FS.writeFile("/repo/pyproject.toml", readFileSync(path.join(repoRoot, "pyproject.toml")));

const mountPoint = "/repo/tests/core";
py.FS.mkdirTree(mountPoint);
py.mountNodeFS(mountPoint, opts.tests);

const bootMs = Date.now() - t0;
console.log(
  `Pyodide ${py.version}: installed ${path.relative(repoRoot, opts.wheel)} + ${depWheels.length} test wheels ` +
    `into ${sitePackages} in ${(bootMs / 1000).toFixed(1)} s; running pytest on ${path.relative(repoRoot, opts.tests)}`,
);

// `-m ""`: every test, the "slow" ones too (pyproject's addopts leaves them out of a plain run; CPython
// runs them in a stage of their own at full size, Pyodide at the size of its hypothesis profile).
py.globals.set("PYTEST_ARGS", py.toPy(["-q", "-p", "no:cacheprovider", "-m", "", "tests/core", ...opts.pytestArgs]));
py.globals.set("SITE_PACKAGES", sitePackages);
let rc;
try {
  rc = py.runPython(`
import importlib, os, sys

import js

sys.dont_write_bytecode = True
os.makedirs("/tmp/hypothesis", exist_ok=True)
os.chdir("/repo")
importlib.invalidate_caches()


def _calc_origin():
    import calc

    return calc.__file__ or ""


def _check_calc(when):
    origin = _calc_origin()
    if not origin.startswith(SITE_PACKAGES + "/"):
        print(f"ERROR ({when}): calc was imported from {origin!r}, not from the installed wheel "
              f"in {SITE_PACKAGES}", file=sys.stderr)
        return False
    return True


class _CurrentTest:
    """Tells JavaScript which test runs, to name it if the interpreter itself dies (fatal error)."""

    def pytest_runtest_logstart(self, nodeid, location):
        js.globalThis.b12CurrentTest = nodeid


if not _check_calc("before pytest"):
    _rc = 3
else:
    import pytest

    _rc = int(pytest.main(list(PYTEST_ARGS), plugins=[_CurrentTest()]))
    if not _check_calc("after pytest"):
        _rc = _rc or 3
_rc
`);
} catch (err) {
  const where = globalThis.b12CurrentTest ? ` while running ${globalThis.b12CurrentTest}` : "";
  const fatal = err && err.pyodide_fatal_error ? "Pyodide fatal error (the interpreter died)" : "error";
  console.error(`\npyodide_pytest: ${fatal}${where}: ${err && err.message ? err.message : err}`);
  process.exit(1);
}
console.log(`pyodide_pytest: pytest exit code ${rc} (${((Date.now() - t0) / 1000).toFixed(1)} s in total)`);
process.exit(rc);

// The Pyodide half of bench/bench_core.py: boot Pyodide under Node (offline), install the calc wheel the
// way the site's engine does, run bench/measure_core.py and print its figures on one line ("BENCH {...}").
//
//   node bench/bench_core_pyodide.mjs WHEEL MEASURE_PY REQUESTS_JSON SECONDS ROUNDS

import { readFileSync } from "node:fs";

import { bootPyodide, installWheels } from "../tools/pyodide_node.mjs";

const [wheel, measure, requests, seconds, rounds] = process.argv.slice(2);
if (!rounds) {
  console.error("usage: node bench/bench_core_pyodide.mjs WHEEL MEASURE_PY REQUESTS_JSON SECONDS ROUNDS");
  process.exit(2);
}
const py = await bootPyodide({ env: { PYTHONDONTWRITEBYTECODE: "1" } });
installWheels(py, [wheel]);
const namespace = py.toPy({});
py.runPython(readFileSync(measure, "utf-8"), { globals: namespace });
const out = namespace.get("run")(requests, Number(seconds), Number(rounds));
process.stdout.write(`BENCH ${out}\n`);

// Precompile Pyodide's standard library to bytecode, with Pyodide's own CPython (3.14), under Node.
//
//   node tools/compile_stdlib.mjs <python_stdlib.zip in> <python_stdlib.zip out>
//
// Why: Pyodide 314's python_stdlib.zip ships only .py source, so every cold start in the browser spends
// about 2 s compiling the standard library before the calculator can answer (measured by
// bench/bench_calculator.py: engine boot 3.3 s -> 1.6 s). The host's Python cannot do this -- Pyodide
// rejects 3.11/3.13 bytecode ("bad magic number") -- so the runtime compiles its own library, once, at
// build time. Modules are written as unchecked hash-based .pyc (no source to compare against); a file
// that does not compile (e.g. a test fixture with deliberate syntax errors) is kept as source.
import { readFileSync, writeFileSync } from "node:fs";

import { bootPyodide } from "./pyodide_node.mjs";

const [src, dst] = process.argv.slice(2);
if (!src || !dst) {
  console.error("usage: node tools/compile_stdlib.mjs <in.zip> <out.zip>");
  process.exit(2);
}
const py = await bootPyodide();
py.FS.writeFile("/tmp/in.zip", readFileSync(src));
const [compiled, kept] = py.runPython(`
import zipfile, importlib._bootstrap_external as bootstrap
compiled = kept = 0
with zipfile.ZipFile("/tmp/in.zip") as zin, \\
        zipfile.ZipFile("/tmp/out.zip", "w", zipfile.ZIP_DEFLATED) as out:
    for info in zin.infolist():
        data = zin.read(info.filename)
        if info.filename.endswith(".py"):
            try:
                code = compile(data, info.filename, "exec", dont_inherit=True)
            except SyntaxError:
                out.writestr(info, data)
                kept += 1
                continue
            pyc = bootstrap._code_to_hash_pyc(code, bytes(8), checked=False)
            out.writestr(zipfile.ZipInfo(info.filename + "c", info.date_time), bytes(pyc),
                         compress_type=zipfile.ZIP_DEFLATED)
            compiled += 1
        else:
            out.writestr(info, data)
[compiled, kept]
`).toJs();
writeFileSync(dst, py.FS.readFile("/tmp/out.zip"));
console.log(`    compiled ${compiled} stdlib modules to .pyc (${kept} kept as source) -> ${dst}`);

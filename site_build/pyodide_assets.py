"""Copy the self-hosted Pyodide runtime, the standard library (trimmed and full) and the site's own wheel
into a built site, with the manifest the engine worker reads.

Called from the mkdocs hook's ``on_post_build``, so ``mkdocs build`` and ``mkdocs serve`` both get the
runtime.

Inputs (made by ``scripts/build``):
    node_modules/pyodide/{pyodide.mjs, pyodide.asm.mjs, pyodide.asm.wasm}  (npm ci)
    build/pyodide-stdlib/python_stdlib.zip      the runtime's stdlib precompiled (tools/compile_stdlib.mjs)
    build/pyodide-stdlib/python_stdlib.cut.zip  that zip cut to what the engine uses (tools/stdlib_cut.mjs)
    build/pyodide/{pyodide-lock.json, b12_calc-*.whl}  (pip wheel + ``pyodide lockfile add-wheels``)
Output, in ``<site_dir>/pyodide/``:
    pyodide.mjs, pyodide.asm.mjs, pyodide.asm.wasm   the runtime
    python_stdlib.zip        the TRIMMED standard library: what the engine loads by default
    python_stdlib.full.zip   the full one, loaded only when the trimmed one lacks a module at run time
                             (not for precaching: most visits never fetch it)
    b12_calc-*.whl           our wheel
    engine-manifest.json     see :func:`manifest`: hashes for the snapshot key, file names, and the
                             lockfile entry of our wheel (passed to Pyodide as lockfile contents)
The page side (:func:`add_engine_start`, called by the mkdocs hook for each page) starts the engine's worker
from the calculator page's ``<head>``, so the runtime starts downloading while the page is parsed.

Standard library only. Usable as ``python -m site_build.pyodide_assets [SITE_DIR]`` too.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
import shutil
import sys
from pathlib import Path
from typing import Any

from site_build.pages import CALCULATOR_MOUNT

__all__ = [
    "FULL_STDLIB_NAME",
    "MANIFEST_NAME",
    "RUNTIME_FILES",
    "STDLIB_NAME",
    "PyodideAssetsError",
    "add_engine_start",
    "copy_pyodide_assets",
    "manifest",
]

#: Files of the npm package ``pyodide`` that the browser needs (the npm package ships no wheels).
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
#: python_stdlib.zip compiled to bytecode by tools/compile_stdlib.mjs (made by scripts/build).
COMPILED_STDLIB = Path("build") / "pyodide-stdlib" / "python_stdlib.zip"
#: The compiled zip cut to the modules the engine uses, checked by tools/stdlib_cut.mjs.
CUT_STDLIB = Path("build") / "pyodide-stdlib" / "python_stdlib.cut.zip"

#: Names in the site (engine-worker.js uses the manifest's names).
STDLIB_NAME = "python_stdlib.zip"
FULL_STDLIB_NAME = "python_stdlib.full.zip"
MANIFEST_NAME = "engine-manifest.json"
LOCKFILE = "pyodide-lock.json"
PACKAGE = "b12-calc"

#: V8's explicit compile hint (Chromium 136+; a comment elsewhere): compile every function of the file
#: at once, so the code cache stored with the file holds them all. Pyodide's JavaScript half runs nearly
#: all of its functions while Python starts; without the hint each visit compiled them one by one as
#: they were first called (about 0.1 s of the engine's start on a return visit, Chromium traces of
#: 2026-11-29). The hint is added to the copy in the site; the npm file is unchanged.
COMPILE_HINT = b"//# allFunctionsCalledOnLoad\n"
COMPILE_HINTED_FILES = ("pyodide.asm.mjs",)
ENGINE_START_MARKER = "data-b12-engine-start"
#: The engine's worker, site-relative (engine-client.js resolves the same file against its own URL).
ENGINE_WORKER = "javascripts/engine/engine-worker.js"
_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>')


class PyodideAssetsError(RuntimeError):
    """A file that the site's Pyodide runtime needs is missing: run scripts/build."""


def _sha256(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _sources(repo_root: Path) -> dict[str, Path]:
    """Destination name -> source path, or PyodideAssetsError listing everything missing."""
    npm_dir = repo_root / "node_modules" / "pyodide"
    build_dir = repo_root / "build" / "pyodide"
    wanted: dict[str, Path] = {name: npm_dir / name for name in RUNTIME_FILES}
    wanted[STDLIB_NAME] = repo_root / CUT_STDLIB
    wanted[FULL_STDLIB_NAME] = repo_root / COMPILED_STDLIB
    wanted[LOCKFILE] = build_dir / LOCKFILE
    missing = [str(path) for path in wanted.values() if not path.is_file()]
    wheels = sorted(build_dir.glob("*.whl"))
    if len(wheels) != 1:
        missing.append(f"{build_dir / 'b12_calc-*.whl'} (exactly one; found {len(wheels)})")
    if missing:
        raise PyodideAssetsError(
            "Pyodide assets missing (run scripts/build: it runs `npm ci`, builds the wheel, the "
            "lockfile and the stdlib cut before mkdocs):\n  " + "\n  ".join(missing)
        )
    wanted[wheels[0].name] = wheels[0]
    return wanted


def manifest(sources: dict[str, Path]) -> dict[str, Any]:
    """What the engine worker needs to know before it starts Python:

    * ``runtime``: Pyodide's version and the sha256 of its three files,
    * ``stdlib`` / ``stdlib_full``: file name, sha256 and size of each standard library zip,
    * ``package`` and ``lock``: our package's name and a lockfile holding only its entry (file name,
      sha256) and the runtime's ``info``; the worker checks the wheel against it and hands it to Pyodide
      as lockfile contents, so no 119 KB lockfile of packages the site does not ship is downloaded.

    The runtime, wheel and stdlib hashes key the memory snapshot (engine-snapshot.js)."""
    lock = json.loads(sources[LOCKFILE].read_text(encoding="utf-8"))
    entry = lock["packages"].get(PACKAGE)
    if not entry:
        raise PyodideAssetsError(f"no {PACKAGE} entry in {sources[LOCKFILE]}")

    def stdlib(name: str) -> dict[str, Any]:
        return {"file": name, "sha256": _sha256(sources[name]), "bytes": sources[name].stat().st_size}

    package_json = sources[RUNTIME_FILES[0]].parent / "package.json"
    version = ""
    if package_json.is_file():
        version = json.loads(package_json.read_text(encoding="utf-8"))["version"]
    return {
        "runtime": {
            "version": version,
            "sha256": _sha256(*(sources[name] for name in RUNTIME_FILES)),
        },
        "stdlib": stdlib(STDLIB_NAME),
        "stdlib_full": stdlib(FULL_STDLIB_NAME),
        "package": PACKAGE,
        "lock": {"info": lock["info"], "packages": {PACKAGE: entry}},
    }


def copy_pyodide_assets(site_dir: Path, repo_root: Path) -> list[Path]:
    """Copy the runtime, both standard libraries and our wheel into ``<site_dir>/pyodide/`` and write the
    manifest. Returns the destination paths. Raises :class:`PyodideAssetsError` if a source file is
    missing (nothing is copied then). Idempotent: files are overwritten, stale files removed."""
    site_dir = Path(site_dir)
    repo_root = Path(repo_root)
    sources = _sources(repo_root)
    engine_manifest = manifest(sources)

    dest_dir = site_dir / "pyodide"
    dest_dir.mkdir(parents=True, exist_ok=True)
    shipped = {name for name in sources if name != LOCKFILE} | {MANIFEST_NAME}
    # A wheel from an earlier version, or an earlier layout's lockfile, must not linger.
    for old in dest_dir.iterdir():
        if old.is_file() and old.name not in shipped:
            old.unlink()

    copied: list[Path] = []
    for name, src in sources.items():
        if name == LOCKFILE:
            continue
        dest = dest_dir / name
        if name in COMPILE_HINTED_FILES:
            dest.write_bytes(COMPILE_HINT + src.read_bytes())
        else:
            shutil.copyfile(src, dest)
        copied.append(dest)
    manifest_path = dest_dir / MANIFEST_NAME
    manifest_path.write_text(json.dumps(engine_manifest, indent=1) + "\n", encoding="utf-8")
    copied.append(manifest_path)
    return copied


def add_engine_start(page_html: str, page_url: str) -> str:
    """On a page that holds the calculator, start the engine's worker from a small inline script in
    ``<head>``, right after the viewport ``<meta>`` (behind the CSP ``<meta>``, whose hash list must then
    include it: call this before site_csp.add_csp_meta). The worker then starts while the page is parsed,
    before the theme's JavaScript and the page's modules have loaded; it fetches the runtime's large files
    at once itself (engine-worker.js). The script keeps the worker and any message it sends before the page's
    engine client adopts it (engine-client.js); it starts none when the visit already has an engine (instant
    navigation may run it again). No ``<link rel="preload">``: a worker cannot use the page's
    preloads (Chromium reads them only from the HTTP cache and warns that they went unused).
    Idempotent; other pages are returned unchanged. ``page_url`` is the page's site-relative URL."""
    if CALCULATOR_MOUNT not in page_html or ENGINE_START_MARKER in page_html:
        return page_html
    viewport = _VIEWPORT.search(page_html)
    if not viewport:
        return page_html
    directory = page_url if page_url.endswith("/") else posixpath.dirname(page_url)
    worker_url = json.dumps(posixpath.relpath(ENGINE_WORKER, directory or "."))
    script = (
        f"<script {ENGINE_START_MARKER}>"
        "if (!(\"__b12EngineStart\" in window) && typeof Worker === \"function\" "
        "&& typeof WebAssembly === \"object\") try { "
        f"const worker = new Worker({worker_url}, {{ type: \"module\", name: \"b12-engine\" }}); "
        "const early = []; "
        "worker.onmessage = (event) => early.push(event); "
        "worker.onerror = (event) => { event.preventDefault(); early.push(event); }; "
        "worker.onmessageerror = (event) => early.push(event); "
        "window.__b12EngineStart = { worker, early }; } catch (error) {}</script>"
    )
    return page_html[: viewport.end()] + "\n      " + script + page_html[viewport.end():]


def main(argv: list[str]) -> int:
    repo_root = Path(__file__).resolve().parent.parent
    site_dir = Path(argv[1]) if len(argv) > 1 else repo_root / "site"
    try:
        copied = copy_pyodide_assets(site_dir, repo_root)
    except PyodideAssetsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"copied {len(copied)} Pyodide files into {site_dir / 'pyodide'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

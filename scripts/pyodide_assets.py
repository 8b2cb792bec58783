"""Copy the self-hosted Pyodide runtime and the site's own wheel + lockfile into a built site.

Called from the mkdocs hook's ``on_post_build``, so ``mkdocs build`` and ``mkdocs serve`` both get the
runtime.

Inputs (made by ``scripts/build``):
    node_modules/pyodide/{pyodide.mjs, pyodide.asm.mjs, pyodide.asm.wasm}  (npm ci)
    build/pyodide-stdlib/python_stdlib.zip  (the runtime's stdlib precompiled by scripts/compile_stdlib.mjs)
    build/pyodide/{pyodide-lock.json, b12_calc-*.whl}  (pip wheel + ``pyodide lockfile add-wheels``)
Output:
    <site_dir>/pyodide/ with all of the above, side by side, so that
    ``loadPyodide({indexURL: "<site>/pyodide/", lockFileURL: "<site>/pyodide/pyodide-lock.json",
    packages: ["b12-calc"]})`` finds the wheel (its ``file_name`` is relative to the lockfile).

Standard library only. Usable as ``python scripts/pyodide_assets.py [SITE_DIR]`` too.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

__all__ = ["RUNTIME_FILES", "PyodideAssetsError", "copy_pyodide_assets"]

#: Files of the npm package ``pyodide`` that the browser needs (the npm package ships no wheels).
#: The standard library is not among them: the site ships the precompiled one (COMPILED_STDLIB).
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
#: python_stdlib.zip compiled to bytecode by scripts/compile_stdlib.mjs (made by scripts/build).
COMPILED_STDLIB = Path("build") / "pyodide-stdlib" / "python_stdlib.zip"

LOCKFILE = "pyodide-lock.json"


class PyodideAssetsError(RuntimeError):
    """A file that the site's Pyodide runtime needs is missing: run scripts/build."""


def _sources(repo_root: Path) -> list[Path]:
    npm_dir = repo_root / "node_modules" / "pyodide"
    build_dir = repo_root / "build" / "pyodide"
    missing: list[str] = []

    sources: list[Path] = []
    for name in RUNTIME_FILES:
        path = npm_dir / name
        if path.is_file():
            sources.append(path)
        else:
            missing.append(str(path))

    stdlib = repo_root / COMPILED_STDLIB
    if stdlib.is_file():
        sources.append(stdlib)
    else:
        missing.append(str(stdlib))

    lockfile = build_dir / LOCKFILE
    if lockfile.is_file():
        sources.append(lockfile)
    else:
        missing.append(str(lockfile))

    wheels = sorted(build_dir.glob("*.whl"))
    if wheels:
        sources.extend(wheels)
    else:
        missing.append(str(build_dir / "b12_calc-*.whl"))

    if missing:
        raise PyodideAssetsError(
            "Pyodide assets missing (run scripts/build: it runs `npm ci`, builds the wheel and the "
            "lockfile before mkdocs):\n  " + "\n  ".join(missing)
        )
    return sources


def copy_pyodide_assets(site_dir: Path, repo_root: Path) -> list[Path]:
    """Copy the Pyodide runtime, our lockfile and our wheel into ``<site_dir>/pyodide/``.

    Returns the destination paths. Raises :class:`PyodideAssetsError` if a source file is missing
    (nothing is copied then). Idempotent: files are overwritten, stale wheels in the target removed.
    """
    site_dir = Path(site_dir)
    repo_root = Path(repo_root)
    sources = _sources(repo_root)

    dest_dir = site_dir / "pyodide"
    dest_dir.mkdir(parents=True, exist_ok=True)
    wanted = {src.name for src in sources}
    # A wheel from an earlier version must not linger next to the lockfile.
    for old in dest_dir.glob("*.whl"):
        if old.name not in wanted:
            old.unlink()

    copied: list[Path] = []
    for src in sources:
        dest = dest_dir / src.name
        shutil.copyfile(src, dest)
        copied.append(dest)
    return copied


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

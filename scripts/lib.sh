# shellcheck shell=bash
# Shared functions for scripts/build, scripts/serve and scripts/test.
# Source it after `cd` to the repository root:  . scripts/lib.sh
#
# Every ensure_* function is idempotent: it records a stamp (a sha256 of its inputs) and does
# nothing when the stamp still matches, so a re-run of scripts/build costs seconds.

# --- output ---------------------------------------------------------------------------------------

section() {
    printf '\n\033[1m==> %s\033[0m\n' "$*"
}

note() {
    printf '    %s\n' "$*"
}

die() {
    printf '\nERROR: %s\n' "$*" >&2
    exit 1
}

# sha256 of the concatenated contents of the given files (and of any extra strings passed via stdin).
hash_files() {
    cat "$@" | sha256sum | cut -d' ' -f1
}

# True if nothing listens at 127.0.0.1:PORT (bash's /dev/tcp: no other tool needed).
port_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Wait (up to 30 s) until something listens at 127.0.0.1:PORT; fail otherwise.
wait_for_port() {
    local tries=150
    while port_free "$1"; do
        ((--tries > 0)) || return 1
        sleep 0.2
    done
}

# --- Python >= 3.12 -------------------------------------------------------------------------------

# Print the path of a Python >= 3.12 interpreter, or fail with a clear message.
# Order: $B12_PYTHON, python3.12 on PATH (a pyenv shim that is not activated fails and is skipped),
# python3 if it is already >= 3.12, then pyenv's own installs.
find_python312() {
    local candidates=() cand
    [[ -n "${B12_PYTHON:-}" ]] && candidates+=("$B12_PYTHON")
    candidates+=(python3.12 python3)
    local pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
    local d
    for d in "$pyenv_root"/versions/3.12*/bin/python3 /root/.pyenv/versions/3.12*/bin/python3; do
        [[ -x "$d" ]] && candidates+=("$d")
    done
    for cand in "${candidates[@]}"; do
        if "$cand" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then
            command -v "$cand"
            return 0
        fi
    done
    die "No Python >= 3.12 found (tried: ${candidates[*]}).
       pyodide-build needs a host Python >= 3.12. Install one (e.g. 'pyenv install 3.12',
       or actions/setup-python with python-version 3.12) or point B12_PYTHON at it."
}

# uv, which installs the project's pinned packages into .venv: about 11 s where pip takes about 31 on the
# 2-CPU machines (2026-12-04; the same 69 versions either way), and the set-up is on the critical path of
# scripts/test. It compiles the bytecode as pip does: these machines set PYTHONDONTWRITEBYTECODE, so
# without it every Python process would compile what it imports. It comes from pip, pinned; pip stays in
# .venv (scripts/build's wheel, the Pyodide test wheels).
UV_VERSION=0.13.9

# Create .venv with Python >= 3.12 and install the project with all optional groups.
# Re-installs only when pyproject.toml (or the interpreter) changed.
ensure_venv() {
    local py stamp_file=.venv/.b12-install-stamp want
    if [[ -x .venv/bin/python ]] \
        && .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
        py=.venv/bin/python
    else
        py="$(find_python312)"
        note "creating .venv with $py ($("$py" --version 2>&1))"
        rm -rf .venv
        "$py" -m venv .venv
    fi
    want="$( (cat pyproject.toml; .venv/bin/python --version) | sha256sum | cut -d' ' -f1)"
    if [[ -f "$stamp_file" && "$(cat "$stamp_file")" == "$want" ]]; then
        note ".venv up to date ($(.venv/bin/python --version))"
        return 0
    fi
    note "uv pip install -e '.[docs,test,build]' into .venv (uv $UV_VERSION)"
    rm -f "$stamp_file"
    # pip's own warnings about unreachable local mirrors in the machine's pip.conf are noise.
    .venv/bin/python -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION" \
        2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
    .venv/bin/uv pip install --quiet --compile-bytecode --python .venv/bin/python -e '.[docs,test,build]'
    printf '%s\n' "$want" >"$stamp_file"
}

# --- Node / npm -----------------------------------------------------------------------------------

# npm ci from package-lock.json; re-runs only when the lock changed (or node_modules is damaged).
ensure_node_modules() {
    command -v node >/dev/null || die "node not found: install Node.js >= 18 (20 is used in CI)."
    command -v npm >/dev/null || die "npm not found: install npm alongside Node.js."
    local stamp_file=node_modules/.b12-lock-stamp want
    want="$(hash_files package-lock.json)"
    if [[ -f "$stamp_file" && "$(cat "$stamp_file")" == "$want" && -f node_modules/pyodide/pyodide.mjs ]]; then
        note "node_modules up to date (pyodide $(node -p 'require("./node_modules/pyodide/package.json").version'))"
        return 0
    fi
    note "npm ci"
    npm ci --no-audit --no-fund --loglevel=error
    printf '%s\n' "$want" >"$stamp_file"
}

# The Node side of the set-up (npm ci, then the standard library's compile, which needs only node_modules)
# in the background, beside the Python environment's install: they are independent, and on a fresh clone
# each takes tens of seconds. finish_node_setup waits for it and shows its output. scripts/build and
# scripts/test (which installs the Python environment before the rest of the build) both use it.
NODE_SETUP_LOG=build/node-setup.log
NODE_SETUP_PID=""

start_node_setup() {
    mkdir -p build
    (ensure_node_modules && ensure_compiled_stdlib) >"$NODE_SETUP_LOG" 2>&1 &
    NODE_SETUP_PID=$!
}

finish_node_setup() {
    [[ -n "$NODE_SETUP_PID" ]] || return 0
    local rc=0
    wait "$NODE_SETUP_PID" || rc=$?
    NODE_SETUP_PID=""
    cat "$NODE_SETUP_LOG"
    [[ $rc -eq 0 ]] || die "the Node set-up failed (see above)"
}

# --- Chromium (Debian package) --------------------------------------------------------------------

# Playwright's own browser download does not work on these machines: use Debian's chromium.
# B12_CHROMIUM (exported for the browser tests) names the browser binary: default /usr/bin/chromium,
# installed with apt-get when missing. CI on Ubuntu sets it to the runner's Google Chrome instead.
ensure_chromium() {
    if [[ -n "${B12_CHROMIUM:-}" && "$B12_CHROMIUM" != /usr/bin/chromium ]]; then
        [[ -x "$B12_CHROMIUM" ]] || die "B12_CHROMIUM=$B12_CHROMIUM is not an executable"
        note "using B12_CHROMIUM=$B12_CHROMIUM ($("$B12_CHROMIUM" --version 2>/dev/null || echo '?'))"
        export B12_CHROMIUM
        return 0
    fi
    export B12_CHROMIUM=/usr/bin/chromium
    if [[ -x /usr/bin/chromium ]]; then
        note "/usr/bin/chromium present ($(/usr/bin/chromium --version 2>/dev/null || echo '?'))"
        return 0
    fi
    local sudo=()
    if [[ "$(id -u)" -ne 0 ]]; then
        command -v sudo >/dev/null || die "/usr/bin/chromium is missing and this user is not root (no sudo):
       run 'apt-get install -y chromium' as root."
        sudo=(sudo)
    fi
    note "apt-get install chromium (about 120 MB)"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
    [[ -x /usr/bin/chromium ]] || die "apt-get install chromium did not provide /usr/bin/chromium"
}

# --- precompiled standard library for the browser ------------------------------------------------

COMPILED_STDLIB=build/pyodide-stdlib/python_stdlib.zip

# Pyodide's stdlib compiled to .pyc by Pyodide itself (see tools/compile_stdlib.mjs for why).
# Redone only when the runtime's zip or the script changes.
ensure_compiled_stdlib() {
    local want
    want="$(cat node_modules/pyodide/python_stdlib.zip tools/compile_stdlib.mjs | sha256sum | cut -d' ' -f1)"
    if [[ -f "$COMPILED_STDLIB.stamp" && "$(cat "$COMPILED_STDLIB.stamp")" == "$want" && -f "$COMPILED_STDLIB" ]]; then
        note "precompiled stdlib cached in $COMPILED_STDLIB"
        return 0
    fi
    mkdir -p "$(dirname "$COMPILED_STDLIB")"
    node tools/compile_stdlib.mjs node_modules/pyodide/python_stdlib.zip "$COMPILED_STDLIB"
    printf '%s\n' "$want" >"$COMPILED_STDLIB.stamp"
}

# The compiled stdlib cut to the modules the engine's real boot path and every golden case use, plus a
# documented margin, and checked: the same requests must give the same output with the cut as with the
# full zip, after a normal boot and after a snapshot restore (tools/stdlib_cut.mjs; it exits 1 -- and
# the build fails -- when they do not). Needs the wheel and lockfile in build/pyodide. Redone when any
# input changes: the compiled zip, the wheel, the golden cases, the boot path or the script.
CUT_STDLIB=build/pyodide-stdlib/python_stdlib.cut.zip
CUT_REPORT=build/pyodide-stdlib/stdlib-cut.json

ensure_stdlib_cut() {
    local want
    want="$(cat "$COMPILED_STDLIB" build/pyodide/pyodide-lock.json build/pyodide/*.whl \
        tests/core/golden_cases.toml docs/javascripts/engine/engine-boot.js docs/javascripts/engine/engine-snapshot.js \
        tools/stdlib_cut.mjs | sha256sum | cut -d' ' -f1)"
    if [[ -f "$CUT_STDLIB.stamp" && "$(cat "$CUT_STDLIB.stamp")" == "$want" && -f "$CUT_STDLIB" ]]; then
        note "stdlib cut cached in $CUT_STDLIB ($(stat -c %s "$CUT_STDLIB") bytes)"
        return 0
    fi
    rm -f "$CUT_STDLIB.stamp"
    node tools/stdlib_cut.mjs --full "$COMPILED_STDLIB" --lockfile build/pyodide/pyodide-lock.json \
        --golden tests/core/golden_cases.toml --out "$CUT_STDLIB" --report "$CUT_REPORT" \
        || die "the trimmed standard library fails the engine (see above); the build stops here"
    printf '%s\n' "$want" >"$CUT_STDLIB.stamp"
}

# --- test wheels for Pyodide ----------------------------------------------------------------------

PYODIDE_TEST_WHEELS=build/pyodide-test-wheels
PYODIDE_WHEEL_PLATFORM=pyemscripten_2026_0_wasm32

# Download pytest + hypothesis (and their deps) built for Pyodide 314 (CPython 3.14, emscripten).
# The versions are those installed in .venv (pinned in pyproject.toml), so CPython and Pyodide run
# the suite with the same tools. Cached in build/; re-downloads only when the venv's pins change.
ensure_pyodide_test_wheels() {
    local dir=$PYODIDE_TEST_WHEELS constraints want
    mkdir -p build
    constraints=build/pyodide-test-constraints.txt
    .venv/bin/python -m pip freeze --exclude-editable --disable-pip-version-check >"$constraints"
    want="$( (cat "$constraints"; echo "$PYODIDE_WHEEL_PLATFORM") | sha256sum | cut -d' ' -f1)"
    if [[ -f "$dir/.b12-stamp" && "$(cat "$dir/.b12-stamp")" == "$want" ]]; then
        note "Pyodide test wheels cached in $dir"
        return 0
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    note "pip download pytest + hypothesis for $PYODIDE_WHEEL_PLATFORM into $dir"
    .venv/bin/python -m pip download --quiet --disable-pip-version-check \
        --only-binary=:all: --python-version 3.14 --implementation cp --abi cp314 \
        --platform "$PYODIDE_WHEEL_PLATFORM" -c "$constraints" -d "$dir" pytest hypothesis \
        2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
    printf '%s\n' "$want" >"$dir/.b12-stamp"
}

# --- the site -------------------------------------------------------------------------------------

# Build the site into DIR (default site/) for $SITE_URL (unset: mkdocs.yml's default): mkdocs (whose hook
# renders the tables, adds each page's CSP and copies the Pyodide runtime), then the service worker that
# precaches the result for offline use (tools/build_service_worker.mjs; Workbox from node_modules).
# scripts/build uses it for site/, and the sub-path deployment test for its own build.
build_site() {
    local dir="${1:-site}"
    NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs build --strict --site-dir "$dir"
    node tools/build_service_worker.mjs "$dir"
}


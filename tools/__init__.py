"""Tools for building, serving and checking the site, outside the calc wheel.

    serve_site.py              serve a built site like GitHub Pages (scripts/serve, the tests, the benchmarks)
    browser.py                 Chromium for the browser tests and the benchmarks: binary, launch arguments
    pyodide_node.mjs           Pyodide under Node: boot the runtime, install wheels (the helpers below use it)
    compile_stdlib.mjs         the runtime's standard library compiled to bytecode (scripts/build)
    stdlib_cut.mjs             the standard library cut to what the engine uses, and checked (scripts/build)
    build_service_worker.mjs   the offline service worker, sw.js (scripts/build)
    pyodide_pytest.mjs         tests/core inside Pyodide, against the wheel the site ships (scripts/test)
"""

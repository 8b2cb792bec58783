"""Core test suite for ``calc`` (stdlib + pytest + hypothesis only; also runs inside Pyodide).

This file makes ``tests/core`` a package so its module names (``core.test_cli`` ...) cannot clash with
test modules of the same base name elsewhere under ``tests/``.
"""

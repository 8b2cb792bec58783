"""Hypothesis profiles for the core suite (stdlib + pytest + hypothesis only: this directory is also run
inside Pyodide, where it is mounted on its own, without tests/conftest.py).

Profile: ``HYPOTHESIS_PROFILE`` if set; otherwise "pyodide" when scripts/pyodide_pytest.mjs runs us
(it sets ``B12_PYODIDE=1``), else "ci". Neither profile writes an example database (under Pyodide the
test directory is a NODEFS mount of the repository).
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", max_examples=200, deadline=None, database=None)
settings.register_profile("pyodide", max_examples=60, deadline=None, database=None)
settings.register_profile("dev", max_examples=20, deadline=None, database=None)

_DEFAULT_PROFILE = "pyodide" if os.environ.get("B12_PYODIDE") == "1" else "ci"
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", _DEFAULT_PROFILE))

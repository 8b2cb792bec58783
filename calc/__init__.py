"""Vitamin B12 deficiency decision support: cited guideline data, the rules that apply it, and one
contract -- :func:`evaluate` -- shared by the CLI, the site's tables and the in-browser calculator.

Standard library only, so the same wheel runs under CPython and Pyodide. Decision support, not a
prescription.
"""

__version__ = "0.1.0"

from .bridge import evaluate_json
from .errors import DataError, FieldError, InputError
from .evaluate import evaluate
from .exports import render_json
from .loader import load_guideline
from .request import REQUEST_FIELDS

__all__ = [
    "REQUEST_FIELDS",
    "DataError",
    "FieldError",
    "InputError",
    "__version__",
    "evaluate",
    "evaluate_json",
    "load_guideline",
    "render_json",
]

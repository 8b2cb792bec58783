"""The JSON text bridge of the browser and the CLI: ``evaluate_json(text) -> text``, which never raises
(bad input comes back as ``{"errors": [...]}``), and the bounded parsing of request text it shares with
calc/exports.py.
"""

from __future__ import annotations

import json
from typing import Any

from .errors import FieldError, InputError
from .evaluate import _evaluate
from .serialise import result_json

# A real request is a flat object of a few hundred characters. Bounding size and nesting before parsing
# keeps hostile input from exhausting the parser's recursion (under Pyodide that would kill the engine).
MAX_REQUEST_CHARS = 20_000
MAX_REQUEST_DEPTH = 4


def json_nesting_depth(text: str) -> int:
    """Deepest bracket nesting in JSON text, ignoring brackets inside strings (a linear scan)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _errors_json(message: str) -> str:
    return json.dumps({"errors": [FieldError("request", message).as_dict()]})


def parse_json_request(text: object) -> str | list[Any]:
    """Parse request text for the JSON bridges. Returns the decoded value wrapped in a one-item list, or
    an ``{"errors": ...}`` JSON string when the text is not acceptable (size and nesting are bounded
    before parsing)."""
    if not isinstance(text, str):
        return _errors_json("The request must be JSON text.")
    if len(text) > MAX_REQUEST_CHARS:
        return _errors_json(
            f"The request is too large ({len(text)} characters; at most {MAX_REQUEST_CHARS})."
        )
    if json_nesting_depth(text) > MAX_REQUEST_DEPTH:
        return _errors_json("The request is nested too deeply to be a calculator request.")
    try:
        request = json.loads(text)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, over-long integers, deep nesting
        return _errors_json(f"The request is not valid JSON: {str(exc)[:200]}")
    return [request]


def evaluate_json(text: str) -> str:
    """The browser bridge: JSON in, JSON out; bad input comes back as ``{"errors": [...]}``, never raised."""
    parsed = parse_json_request(text)
    if isinstance(parsed, str):
        return parsed
    try:
        result, decision, shared = _evaluate(parsed[0])
    except InputError as exc:
        return json.dumps({"errors": exc.as_list()}, ensure_ascii=False)
    return result_json(result, shared, decision.encoded)

"""Renderers behind one entry point for the page: ``render_json(request_text, format)``.

The page never assembles clinical text itself: it asks the engine for a rendering of the same request
(the worker calls this function), so the notes text, the calendar file and the CLI share one renderer.
Each format is a function of the evaluated result; adding a format is one entry in :data:`FORMATS`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .bridge import parse_json_request
from .errors import FieldError, InputError
from .evaluate import evaluate
from .render_ics import render_ics
from .render_notes import render_notes, render_patient
from .render_text import render_result_text


@dataclass(frozen=True, slots=True)
class ExportFormat:
    name: str
    media_type: str
    extension: str
    render: Callable[[dict[str, Any]], str]


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("notes", "text/plain", "txt", render_notes),
        ExportFormat("patient", "text/plain", "txt", render_patient),
        ExportFormat("ics", "text/calendar", "ics", render_ics),
        ExportFormat("text", "text/plain", "txt", render_result_text),
    )
}


def render(result: dict[str, Any], fmt: str) -> str:
    """Render an evaluated result in one of :data:`FORMATS`."""
    if fmt not in FORMATS:
        known = ", ".join(FORMATS)
        raise InputError([FieldError("format", f"Unknown format {fmt!r}: choose one of {known}.")])
    return FORMATS[fmt].render(result)


def render_json(text: str, fmt: str) -> str:
    """JSON request text in, ``{"format", "media_type", "filename", "text"}`` or ``{"errors": [...]}`` out."""
    parsed = parse_json_request(text)
    if isinstance(parsed, str):
        return parsed
    try:
        result = evaluate(parsed[0])
        body = render(result, fmt)
    except InputError as exc:
        return json.dumps({"errors": exc.as_list()}, ensure_ascii=False)
    spec = FORMATS[fmt]
    return json.dumps(
        {
            "format": fmt,
            "media_type": spec.media_type,
            "filename": f"b12-plan.{spec.extension}",
            "text": body,
        },
        ensure_ascii=False,
    )

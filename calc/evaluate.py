"""The contract: ``evaluate(request) -> dict`` and ``evaluate_json(text) -> str``.

Data flows one way: the request is validated (request.py), the rules run (lab, route, regimens, advice,
schedule), and the result is serialised here into plain JSON types for every renderer.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from . import __version__
from .advice import Context, select_monitoring, select_warnings
from .errors import FieldError, InputError
from .lab import LabAssessment, assess_lab_result
from .loader import load_guideline
from .model import VERIFICATION_LABELS, Advice, Guideline
from .regimens import RegimenOption, is_child, select_regimens
from .request import Request, parse_request
from .route import RouteDecision, choose_route
from .schedule import ScheduleEvent, add_months, build_schedule
from .wording import describe_phase

RESULT_KEYS = (
    "calculator",
    "disclaimer",
    "scope",
    "request",
    "lab",
    "route",
    "regimens",
    "monitoring",
    "warnings",
    "schedule",
    "references",
)


def evaluate(request: Mapping[str, Any]) -> dict[str, Any]:
    """Evaluate one request. Raises :class:`InputError` (a ``ValueError``) listing every bad field."""
    guideline = load_guideline()
    parsed = parse_request(request, guideline)
    lab = assess_lab_result(parsed, guideline)
    route = choose_route(parsed, guideline)
    options = tuple(select_regimens(parsed, lab, route, guideline))
    ctx = Context(parsed, lab, route, options, guideline)
    monitoring = select_monitoring(ctx)
    warnings = select_warnings(ctx)
    schedule_regimen, schedule = _schedule(parsed, options, guideline)

    result: dict[str, Any] = {
        "calculator": {
            "name": "b12-calc",
            "version": __version__,
            "content_version": guideline.meta.content_version,
            "last_reviewed": guideline.meta.last_reviewed,
            "review_status": guideline.meta.review_status,
        },
        "disclaimer": guideline.meta.disclaimer,
        "scope": {
            "text": guideline.meta.scope,
            "nice_min_age_years": guideline.meta.nice_min_age_years,
            "within_nice_scope": not is_child(parsed, guideline),
        },
        "request": parsed.as_dict(),
        "lab": _lab(lab),
        "route": _route(route),
        "regimens": [_regimen(o) for o in options],
        "monitoring": [_advice(m) for m in monitoring],
        "warnings": [_advice(w) for w in warnings],
        "schedule_regimen_id": schedule_regimen,
        "schedule": [e.as_dict() for e in schedule],
    }
    result["references"] = _references(result, guideline)
    return result


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
        return json.dumps(evaluate(parsed[0]), ensure_ascii=False)
    except InputError as exc:
        return json.dumps({"errors": exc.as_list()}, ensure_ascii=False)


def _lab(lab: LabAssessment) -> dict[str, Any]:
    # Every field of the assessment, tuples as JSON lists.
    return {key: list(value) if isinstance(value, tuple) else value for key, value in asdict(lab).items()}


def _route(route: RouteDecision) -> dict[str, Any]:
    return {
        "preferred": route.preferred,
        "preference_honoured": route.preference_honoured,
        "reasons": [r.as_dict() for r in route.reasons],
    }


def _regimen(option: RegimenOption) -> dict[str, Any]:
    r = option.regimen
    return {
        "id": r.id,
        "label": r.label,
        "source": r.source,
        "whose": r.whose,
        "jurisdiction": r.jurisdiction,
        "drug": r.drug,
        "route": r.route,
        "phases": [{**p.as_dict(), "text": describe_phase(p)} for p in r.phases],
        "applies_because": option.applies_because,
        "refs": list(r.refs),
        "recommended": option.recommended,
        "verification": r.verification,
        "verification_label": VERIFICATION_LABELS[r.verification],
        "note": r.note or None,
    }


def _advice(item: Advice) -> dict[str, Any]:
    return {
        "code": item.code,
        "title": item.title,
        "severity": item.severity,
        "text": item.text,
        "refs": list(item.refs),
    }


def _schedule(
    request: Request, options: tuple[RegimenOption, ...], guideline: Guideline
) -> tuple[str | None, list[ScheduleEvent]]:
    if request.start_date is None:
        return None, []
    chosen = next((o.regimen for o in options if o.recommended), None)
    if chosen is None:
        return None, []
    months = (
        guideline.review.months_pregnant_or_breastfeeding
        if request.pregnant_or_breastfeeding
        else guideline.review.months
    )
    review = add_months(request.start_date, months)
    label = f"Review symptoms ({months} month{'s' if months > 1 else ''} after starting; NICE)"
    return chosen.id, build_schedule(chosen, request.start_date, review, label)


def _references(result: dict[str, Any], guideline: Guideline) -> list[dict[str, Any]]:
    """Full entries for every key the result cites, in the site's numbering."""
    keys: set[str] = set(result["lab"]["refs"])
    keys |= {k for reason in result["route"]["reasons"] for k in reason["refs"]}
    for section in ("regimens", "monitoring", "warnings"):
        keys |= {k for item in result[section] for k in item["refs"]}
    return [r.as_dict() for r in guideline.references if r.key in keys]

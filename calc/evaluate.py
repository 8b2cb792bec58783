"""The contract: ``evaluate(request) -> dict`` and ``evaluate_json(text) -> str``.

Data flows one way: the request is validated (request.py), the rules run (lab, route, regimens, plan,
advice, schedule), and the result is serialised here into plain JSON types for every renderer. The parts
of the result that depend only on the data (each regimen's wording, each reference entry) are built once
per loaded guideline (:class:`StaticParts`), not on every call.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from . import __version__
from .advice import Context, select_monitoring, select_warnings
from .errors import FieldError, InputError
from .lab import STATUS_LABELS, LabAssessment, assess_lab_result
from .loader import load_guideline
from .model import VERIFICATION_LABELS, Advice, Guideline, Regimen
from .plan import (
    ACTION_LABELS,
    PlacedRegimen,
    Plan,
    build_plan,
    guidance_label,
    select_cautions,
    summary_line,
)
from .regimens import guidance_of, is_child, select_regimens
from .request import Request, parse_request
from .route import RouteDecision, choose_route
from .schedule import ScheduleEvent, add_months, build_schedule, next_weekday
from .wording import describe_phase, regimen_headline

RESULT_KEYS = (
    "calculator",
    "disclaimer",
    "scope",
    "request",
    "causes",
    "plan",
    "lab",
    "route",
    "regimens",
    "monitoring",
    "warnings",
    "schedule_regimen_id",
    "schedule",
    "references",
)
ROUTE_LABELS: dict[str, str] = {
    "oral": "Oral",
    "im": "Intramuscular injection (IM)",
    "either": "Either route: a shared decision",
}


@dataclass(frozen=True, slots=True)
class StaticParts:
    """What the result repeats from the data, serialised once per loaded guideline."""

    regimens: dict[str, dict[str, Any]]
    references: dict[str, dict[str, Any]]
    reference_order: dict[str, int]


_STATIC: dict[int, tuple[Guideline, StaticParts]] = {}


def static_parts(guideline: Guideline) -> StaticParts:
    cached = _STATIC.get(id(guideline))
    if cached is None or cached[0] is not guideline:  # keep the guideline alive so its id is not reused
        parts = StaticParts(
            regimens={r.id: _regimen_static(r) for r in guideline.regimens},
            references={r.key: r.as_dict() for r in guideline.references},
            reference_order={r.key: i for i, r in enumerate(guideline.references)},
        )
        cached = _STATIC[id(guideline)] = (guideline, parts)
    return cached[1]


def evaluate(request: Mapping[str, Any]) -> dict[str, Any]:
    """Evaluate one request. Raises :class:`InputError` (a ``ValueError``) listing every bad field."""
    guideline = load_guideline()
    static = static_parts(guideline)
    parsed = parse_request(request, guideline)
    lab = assess_lab_result(parsed, guideline)
    route = choose_route(parsed, guideline)
    options = tuple(select_regimens(parsed, lab, route, guideline))
    plan = build_plan(parsed, lab, route, options, guideline)
    ctx = Context(parsed, lab, route, plan.action, frozenset(plan.recommended_routes), guideline)
    monitoring = select_monitoring(ctx)
    warnings = select_warnings(ctx)
    schedule_regimen, schedule = _schedule(parsed, plan, guideline)

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
        "causes": [{"code": c, "label": guideline.cause(c).label} for c in parsed.causes],
        "plan": _plan(plan, select_cautions(warnings)),
        "lab": _lab(lab),
        "route": _route(route),
        "regimens": [_regimen(p, static) for p in plan.placed],
        "monitoring": [_advice(m) for m in monitoring],
        "warnings": [_advice(w) for w in warnings],
        "schedule_regimen_id": schedule_regimen,
        "schedule": [e.as_dict() for e in schedule],
    }
    result["references"] = _references(result, static)
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


_LAB_FIELDS = tuple(f.name for f in fields(LabAssessment))


def _lab(lab: LabAssessment) -> dict[str, Any]:
    # Every field of the assessment (all flat values), tuples as JSON lists, and the status in words.
    out = {}
    for key in _LAB_FIELDS:
        value = getattr(lab, key)
        out[key] = list(value) if isinstance(value, tuple) else value
    out["status_label"] = STATUS_LABELS[lab.status]
    return out


def _route(route: RouteDecision) -> dict[str, Any]:
    return {
        "preferred": route.preferred,
        "preferred_label": ROUTE_LABELS[route.preferred],
        "preference_honoured": route.preference_honoured,
        "reasons": [r.as_dict() for r in route.reasons],
    }


def _regimen_static(r: Regimen) -> dict[str, Any]:
    return {
        "id": r.id,
        "label": r.label,
        "source": r.source,
        "whose": r.whose,
        "jurisdiction": r.jurisdiction,
        "guidance": guidance_of(r),
        "drug": r.drug,
        "route": r.route,
        "headline": regimen_headline(r),
        "phases": [{**p.as_dict(), "text": describe_phase(p)} for p in r.phases],
        "refs": list(r.refs),
        "verification": r.verification,
        "verification_label": VERIFICATION_LABELS[r.verification],
        "note": r.note or None,
    }


def _regimen(placed: PlacedRegimen, static: StaticParts) -> dict[str, Any]:
    out = dict(static.regimens[placed.option.regimen.id])  # a shallow copy: callers may edit the top level
    out["group"] = placed.group
    out["recommended"] = placed.recommended
    out["applies_because"] = placed.reason or placed.option.applies_because
    return out


def _advice(item: Advice) -> dict[str, Any]:
    return {
        "code": item.code,
        "title": item.title,
        "severity": item.severity,
        "text": item.text,
        "refs": list(item.refs),
    }


def _plan(plan: Plan, cautions: list[Advice]) -> dict[str, Any]:
    regimen = plan.regimen
    return {
        "guidance": plan.guidance,
        "guidance_label": guidance_label(plan.guidance),
        "action": plan.action,
        "action_label": ACTION_LABELS[plan.action],
        "title": f"{plan.status_label}: {ACTION_LABELS[plan.action].lower()}",
        "regimen_id": regimen.id if regimen else None,
        "headline": plan.headline,
        "whose": regimen.whose if regimen else None,
        "refs": list(regimen.refs) if regimen else [],
        "why": [s.as_dict() for s in plan.why],
        "alternatives": [
            {
                "regimen_id": a.option.regimen.id,
                "headline": regimen_headline(a.option.regimen),
                "whose": a.option.regimen.whose,
                "reason": a.reason,
                "refs": list(a.option.regimen.refs),
            }
            for a in plan.alternatives
        ],
        "next_steps": [s.as_dict() for s in plan.next_steps],
        "review": {
            "text": plan.review.text,
            "date": plan.review.date.isoformat() if plan.review.date else None,
            "refs": list(plan.review.refs),
        },
        "cautions": [_advice(c) for c in cautions],
        "summary": summary_line(plan),
    }


def _schedule(request: Request, plan: Plan, guideline: Guideline) -> tuple[str | None, list[ScheduleEvent]]:
    """Dates for the regimen the request names (if shown), else for the plan's regimen."""
    if request.start_date is None:
        return None, []
    shown = {p.option.regimen.id: p.option.regimen for p in plan.placed}
    if request.schedule_regimen_id is not None:
        chosen = shown.get(request.schedule_regimen_id)
        if chosen is None:
            message = "That regimen is not shown for this patient: choose one of those listed."
            raise InputError([FieldError("schedule_regimen_id", message)])
    else:
        chosen = plan.regimen
    if chosen is None:
        return None, []
    policy = guideline.review
    months = policy.months_pregnant_or_breastfeeding if request.pregnant_or_breastfeeding else policy.months
    review = plan.review.date
    if review is None:  # a regimen scheduled for comparison when the plan itself is not to treat
        review = add_months(request.start_date, months)
    if request.weekdays_only:
        review = next_weekday(review)
    label = f"Review symptoms ({months} month{'s' if months > 1 else ''} after starting; NICE)"
    events = build_schedule(
        chosen,
        request.start_date,
        review,
        label,
        reassess_after_weeks=guideline.plan.open_loading_reassess_weeks,
        weekdays_only=request.weekdays_only,
    )
    return chosen.id, events


def _references(result: dict[str, Any], static: StaticParts) -> list[dict[str, Any]]:
    """Full entries for every key the result cites, in the site's numbering."""
    keys: set[str] = set(result["lab"]["refs"])
    keys |= {k for reason in result["route"]["reasons"] for k in reason["refs"]}
    for section in ("regimens", "monitoring", "warnings"):
        keys |= {k for item in result[section] for k in item["refs"]}
    plan = result["plan"]
    keys |= {k for part in ("why", "next_steps") for item in plan[part] for k in item["refs"]}
    keys |= set(plan["review"]["refs"])
    return [static.references[k] for k in sorted(keys, key=static.reference_order.__getitem__)]

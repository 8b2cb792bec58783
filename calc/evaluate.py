"""The contract: ``evaluate(request) -> dict``.

Data flows one way: the request is validated (request.py), the lab result assessed (lab.py) and reduced
to a :class:`~calc.situation.Situation`; the rules decide for that situation once (memo.py: the decision
table read by decide.py, put into words by plan.py and serialised by serialise.py, remembered per
situation); the dates (review, schedule) and the figures in warning texts come from the request. This
module is that pipeline and nothing else; bridge.py is the JSON text bridge (``evaluate_json``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from . import __version__
from .advice import text_values
from .decide import review_months_if_treated
from .errors import FieldError, InputError
from .lab import assess_lab_result
from .loader import load_guideline
from .memo import Decision, Prepared, prepared
from .model import Guideline
from .plan import Plan
from .request import Request, parse_request
from .schedule import add_months
from .serialise import advice_dict, filled, lab_dict
from .situation import Situation, situation_of
from .vocabulary import date_text, entered_values, lab_values_text, regimen_groups
from .wording import plural

RESULT_KEYS = (
    "calculator",
    "disclaimer",
    "scope",
    "request",
    "entered",
    "causes",
    "plan",
    "lab",
    "route",
    "regimens",
    "regimen_groups",
    "monitoring",
    "warnings",
    "schedule_regimen_id",
    "schedule",
    "references",
)


def evaluate(request: Mapping[str, Any]) -> dict[str, Any]:
    """Evaluate one request. Raises :class:`InputError` (a ``ValueError``) listing every bad field.

    Treat the result as read-only: parts of it (a regimen's phases, the plan's steps, ...) are worked
    out once per situation and shared with other results; ``copy.deepcopy`` it before editing in place."""
    return _evaluate(request)[0]


def _evaluate(request: Mapping[str, Any]) -> tuple[dict[str, Any], Decision, tuple[str, ...]]:
    """The result, the situation's decision, and the result's keys whose JSON text is the same for every
    request of the situation (calc/bridge.py re-uses that text)."""
    guideline = load_guideline()
    parts = prepared(guideline)
    parsed = parse_request(request, guideline)
    lab = assess_lab_result(parsed, guideline)
    situation = situation_of(parsed, lab, guideline)
    decision = parts.decide(situation)
    if decision.figures_in_text:
        warnings = filled(decision.warnings, text_values(parsed, situation, guideline))
    else:
        warnings = [dict(w) for w in decision.warnings]
    review_date = _review_date(parsed, decision.plan)
    schedule_regimen, schedule = _schedule(parsed, situation, decision.plan, review_date, parts)
    plan = dict(decision.plan_part)
    if review_date is not None and parsed.weekdays_only:
        # The schedule moves the review to a working day: the plan gives the same date.
        moved = next((e["date"] for e in schedule if e["kind"] == "review"), None)
        review_date = date.fromisoformat(moved) if moved else review_date
    plan["review"] = {
        **plan["review"],
        "date": review_date.isoformat() if review_date else None,
        "date_text": date_text(review_date, weekday=True) if review_date else None,
    }
    plan["cautions"] = [dict(w) for w in warnings if w["code"] in decision.cautions]
    references = decision.references
    shared = decision.shared_keys()
    assumed = _assumed(parsed, guideline)
    if assumed:  # told wherever the plan is: with its cautions (so in the notes text) and the warnings
        warnings = [*warnings, *assumed]
        plan["cautions"] += [dict(a) for a in assumed]
        references = _citing(references, assumed, parts)
        # These now differ from the situation's other requests (an age given): never their cached text.
        shared = tuple(k for k in shared if k not in ("warnings", "references"))

    request_part = parsed.as_dict()
    causes = [{"code": c, "label": guideline.cause(c).label} for c in parsed.causes]
    lab_part = lab_dict(lab, guideline)
    lab_part["values_text"] = lab_values_text(request_part, lab_part)
    regimens = [dict(r) for r in decision.regimens]
    result = {
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
            "within_nice_scope": not situation.child,
        },
        "request": request_part,
        "entered": entered_values(request_part, lab_part, causes, regimens),
        "causes": causes,
        "plan": plan,
        "lab": lab_part,
        "route": {**decision.route, "reasons": [dict(r) for r in decision.route["reasons"]]},
        "regimens": regimens,
        "regimen_groups": regimen_groups({r["group"] for r in regimens}, plan["guidance_label"]),
        "monitoring": [dict(m) for m in decision.monitoring],
        "warnings": warnings,
        "schedule_regimen_id": schedule_regimen,
        "schedule": [dict(e) for e in schedule],
        "references": list(references),
    }
    return result, decision, shared


def _assumed(request: Request, guideline: Guideline) -> list[dict[str, Any]]:
    """The data's assumptions for the request fields left blank (an adult when no age is given)."""
    return [advice_dict(a.advice) for a in guideline.assumptions if getattr(request, a.field) is None]


def _citing(
    references: tuple[dict[str, Any], ...], items: list[dict[str, Any]], parts: Prepared
) -> tuple[dict[str, Any], ...]:
    """The result's references with those ``items`` cite added, in the reference list's order."""
    keys = {r["key"] for r in references}
    missing = {k for item in items for k in item["refs"] if k not in keys}
    if not missing:
        return references
    merged = [*references, *(parts.references[k] for k in missing)]
    return tuple(sorted(merged, key=lambda r: parts.reference_order[r["key"]]))


def _review_date(request: Request, plan: Plan) -> date | None:
    months = plan.review.months
    return add_months(request.start_date, months) if request.start_date and months else None


def _schedule(
    request: Request, situation: Situation, plan: Plan, review: date | None, parts: Prepared
) -> tuple[str | None, tuple[dict[str, str], ...]]:
    """Dates for the regimen the request names (if shown), else for the plan's regimen."""
    if request.start_date is None:
        return None, ()
    shown = {p.regimen.id: p.regimen for p in plan.placed}
    if request.schedule_regimen_id is not None:
        chosen = shown.get(request.schedule_regimen_id)
        if chosen is None:
            message = "That regimen is not shown for this patient: choose one of those listed."
            raise InputError([FieldError("schedule_regimen_id", message)])
    else:
        chosen = plan.regimen
    if chosen is None:
        return None, ()
    months = plan.review.months or review_months_if_treated(situation, parts.guideline)
    if review is None:  # a regimen scheduled for comparison when the plan itself is not to treat
        review = add_months(request.start_date, months)
    label = f"Review symptoms ({plural(months, 'month')} after starting; NICE)"
    key = (chosen.id, request.start_date, review, label, request.weekdays_only, request.holiday_region)
    return chosen.id, parts.schedule(key)

"""Serialising: the rules' answer as plain JSON types, and the result as JSON text re-using the text of
the parts a situation shares. Serialisers only serialise: every label comes from the data or the plan.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import fields
from operator import attrgetter
from typing import Any

from .decide import RouteDecision
from .lab import LabAssessment
from .model import VERIFICATION_LABELS, Advice, Guideline, Regimen
from .plan import PlacedRegimen, Plan, guidance_label
from .regimens import guidance_of
from .table import TREATING
from .vocabulary import preference_text
from .wording import describe_phase, regimen_headline


def result_json(result: dict[str, Any], shared: tuple[str, ...], encoded: dict[str, str]) -> str:
    """``json.dumps(result, ensure_ascii=False)``, character for character, re-using the JSON text of the
    parts the situation shares (most of the result's 50 kB: regimens, references, advice): ``shared``
    names them, and ``encoded`` keeps their text between calls."""
    parts = []
    for key, value in result.items():
        text = encoded.get(key) if key in shared else None
        if text is None:
            text = _ENCODER.encode(value)
            if key in shared:
                encoded[key] = text
        parts.append(f"{_ENCODER.encode(key)}: {text}")
    return "{" + ", ".join(parts) + "}"


# json.dumps(..., ensure_ascii=False) would build an encoder per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False)


_LAB_FIELDS = tuple(f.name for f in fields(LabAssessment))
_LAB_VALUES = attrgetter(*_LAB_FIELDS)
_LAB_TUPLES = tuple(f.name for f in fields(LabAssessment) if str(f.type).startswith("tuple"))


def lab_dict(lab: LabAssessment, guideline: Guideline) -> dict[str, Any]:
    # Every field of the assessment (all flat values), tuples as JSON lists, and the status in words.
    out = dict(zip(_LAB_FIELDS, _LAB_VALUES(lab), strict=True))
    for key in _LAB_TUPLES:
        out[key] = list(out[key])
    out["status_label"] = guideline.decisions.facts["lab"].word(lab.status)
    return out


def route_dict(route: RouteDecision, guideline: Guideline) -> dict[str, Any]:
    return {
        "preferred": route.preferred,
        "preferred_label": guideline.decisions.facts["route"].word(route.preferred),
        "preference_honoured": route.preference_honoured,
        "preference_text": preference_text(route.preference_honoured),
        "reasons": [r.as_dict() for r in route.reasons],
    }


def regimen_static(r: Regimen) -> dict[str, Any]:
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


def placed_regimen(placed: PlacedRegimen, static: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    out = dict(static[placed.regimen.id])
    out["group"] = placed.group
    out["recommended"] = placed.recommended
    out["applies_because"] = placed.reason
    if placed.course is not None:
        out["headline"] = placed.headline  # with the plan's course
    return out


def advice_dict(item: Advice) -> dict[str, Any]:
    return {
        "code": item.code,
        "title": item.title,
        "severity": item.severity,
        "text": item.text,
        "refs": list(item.refs),
    }


def filled(warnings: Iterable[dict[str, Any]], values: dict[str, str]) -> list[dict[str, Any]]:
    """Copies of serialised warnings with their {placeholders} filled from ``values``."""
    out = [dict(w) for w in warnings]
    for warning in out:
        if "{" in warning["text"]:
            warning["text"] = warning["text"].format_map(values)
    return out


def plan_dict(plan: Plan, guideline: Guideline) -> dict[str, Any]:
    """The plan serialised, except what each request fills in: the review date and the cautions."""
    regimen = plan.regimen
    return {
        "guidance": plan.guidance,
        "guidance_label": guidance_label(plan.guidance, guideline),
        "action": plan.action,
        "action_label": plan.action_label,
        "treating": plan.action in TREATING,
        "status_label": plan.status_label,
        "title": plan.title,
        "regimen_id": regimen.id if regimen else None,
        "headline": plan.headline,
        "course": (
            {"kind": plan.course_kind, "text": plan.course} if plan.course is not None else None
        ),
        "whose": regimen.whose if regimen else None,
        "refs": list(regimen.refs) if regimen else [],
        "why": [s.as_dict() for s in plan.why],
        "alternatives": [
            {
                "regimen_id": a.regimen.id,
                "headline": a.headline,
                "whose": a.regimen.whose,
                "reason": a.reason,
                "refs": list(a.regimen.refs),
            }
            for a in plan.alternatives
        ],
        "next_steps": [s.as_dict() for s in plan.next_steps],
        "review": {"text": plan.review.text, "date": None, "refs": list(plan.review.refs)},
        "cautions": [],
        "summary": plan.summary,
        "decided_by": {table: list(codes) for table, codes in plan.decided_by.items()},
        "prescription": plan.prescription.as_dict() if plan.prescription else None,
    }

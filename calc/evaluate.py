"""The contract: ``evaluate(request) -> dict`` and ``evaluate_json(text) -> str``.

Data flows one way: the request is validated (request.py), the lab result assessed (lab.py) and reduced
to a :class:`~calc.situation.Situation`; the rules (route, regimens, plan, advice) decide for that
situation; the dates (review, schedule) and the figures in warning texts come from the request; and the
result is serialised here into plain JSON types for every renderer.

Work is done once where the data allows (:class:`Prepared`, one per loaded guideline): each regimen's
wording and each reference entry once per guideline; the rules' decision and its serialised parts once
per situation (a bounded memo), so typing another figure in the same band, or a date, re-runs only the
lab assessment, the dates and the serialisation of what changed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from operator import attrgetter
from typing import Any, TypeVar

from . import __version__
from .advice import text_values
from .decide import RouteDecision, decide, review_months_if_treated
from .errors import FieldError, InputError
from .lab import LabAssessment, assess_lab_result
from .loader import load_guideline
from .model import VERIFICATION_LABELS, Advice, Guideline, Regimen
from .plan import PlacedRegimen, Plan, build_plan, guidance_label, select_cautions
from .regimens import guidance_of
from .request import Request, parse_request
from .schedule import add_months, build_schedule
from .situation import Situation, situation_of
from .wording import describe_phase, plural, regimen_headline

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
ScheduleKey = tuple[str, date, date, str, bool, str]
#: The result's keys whose values depend only on the situation (and "warnings", unless a figure from the
#: request is written into one).
SHARED_KEYS = ("calculator", "disclaimer", "scope", "route", "regimens", "monitoring", "references")
#: Situations (and schedules) remembered per guideline. A session meets a handful; the bound keeps a
#: long-running process (a server, a fuzzer) from growing without limit.
MAX_REMEMBERED = 256
K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class Decision:
    """The rules' answer for one situation, with the serialised parts every request in it shares (shared
    between results: evaluate copies what a caller might edit)."""

    plan: Plan
    warnings: tuple[dict[str, Any], ...]  # serialised; texts with {placeholders} left when figures_in_text
    figures_in_text: bool  # some warning text takes a figure from the request (a unit-slip reading)
    cautions: frozenset[str]  # codes of the warnings the plan repeats as its cautions
    route: dict[str, Any]
    regimens: tuple[dict[str, Any], ...]
    plan_part: dict[str, Any]  # the serialised plan, review date and cautions still to fill
    monitoring: tuple[dict[str, Any], ...]
    references: tuple[dict[str, Any], ...]
    #: JSON text of the result's parts that are the same for every request in the situation, encoded
    #: by evaluate_json the first time it needs them.
    encoded: dict[str, str] = field(default_factory=dict)

    def shared_keys(self) -> tuple[str, ...]:
        """The result's keys whose values are the same for every request in the situation."""
        return SHARED_KEYS if self.figures_in_text else (*SHARED_KEYS, "warnings")


@dataclass(frozen=True, slots=True)
class Prepared:
    """What evaluate works out once per loaded guideline: static serialisations and decisions so far."""

    guideline: Guideline
    regimens: dict[str, dict[str, Any]]
    references: dict[str, dict[str, Any]]
    reference_order: dict[str, int]
    decisions: dict[Situation, Decision] = field(default_factory=dict)
    schedules: dict[ScheduleKey, tuple[dict[str, str], ...]] = field(default_factory=dict)

    def decide(self, situation: Situation) -> Decision:
        decision = self.decisions.get(situation)
        if decision is None:
            decision = _remember(self.decisions, situation, _decide(situation, self))
        return decision

    def schedule(self, key: ScheduleKey) -> tuple[dict[str, str], ...]:
        """The serialised schedule for (regimen, start, review, review label, weekdays only, region)."""
        events = self.schedules.get(key)
        if events is None:
            regimen_id, start, review, label, weekdays_only, region = key
            dated = build_schedule(
                self.guideline.regimen(regimen_id),
                start,
                review,
                label,
                reassess_after_weeks=self.guideline.plan.open_loading_reassess_weeks,
                weekdays_only=weekdays_only,
                holiday_region=region,
            )
            events = _remember(self.schedules, key, tuple(e.as_dict() for e in dated))
        return events


def _remember(memo: dict[K, V], key: K, value: V) -> V:
    if len(memo) >= MAX_REMEMBERED:
        memo.clear()  # rare, cheap to refill, and safe if another thread is reading
    memo[key] = value
    return value


_PREPARED: dict[int, Prepared] = {}


def prepared(guideline: Guideline) -> Prepared:
    cached = _PREPARED.get(id(guideline))
    if cached is None or cached.guideline is not guideline:  # it keeps the guideline alive: ids not reused
        cached = _PREPARED[id(guideline)] = Prepared(
            guideline=guideline,
            regimens={r.id: _regimen_static(r) for r in guideline.regimens},
            references={r.key: r.as_dict() for r in guideline.references},
            reference_order={r.key: i for i, r in enumerate(guideline.references)},
        )
    return cached


def forget_decisions() -> None:
    """Drop every remembered decision (tests compare results worked out afresh with remembered ones)."""
    for cached in _PREPARED.values():
        cached.decisions.clear()
        cached.schedules.clear()


def _decide(situation: Situation, parts: Prepared) -> Decision:
    guideline = parts.guideline
    decided = decide(situation, guideline)
    plan = build_plan(situation, decided, guideline)
    monitoring = tuple(_advice(m) for m in decided.monitoring)
    # A figure from the request appears in warning texts only with a unit-slip reading.
    figures_in_text = situation.other_unit_reading is not None
    warnings = tuple(_advice(w) for w in decided.warnings)
    if not figures_in_text:
        warnings = tuple(_filled(warnings, text_values(None, situation, guideline)))
    route_part = _route(decided.route, guideline)
    regimens = tuple(_regimen(p, parts) for p in plan.placed)
    plan_part = _plan(plan, guideline)
    cited = [situation.lab.refs, *(r["refs"] for r in route_part["reasons"]), *(r["refs"] for r in regimens)]
    cited += [m["refs"] for m in monitoring] + [w["refs"] for w in warnings]
    cited += [s["refs"] for part in ("why", "next_steps") for s in plan_part[part]]
    cited.append(plan_part["review"]["refs"])
    prescription = plan_part["prescription"]
    if prescription is not None:
        cited += [prescription["refs"], *(check["refs"] for check in prescription["checks"])]
    keys = {key for refs in cited for key in refs}
    references = tuple(parts.references[k] for k in sorted(keys, key=parts.reference_order.__getitem__))
    cautions = frozenset(w.code for w in select_cautions(decided.warnings))
    return Decision(
        plan, warnings, figures_in_text, cautions, route_part, regimens, plan_part, monitoring, references
    )


def evaluate(request: Mapping[str, Any]) -> dict[str, Any]:
    """Evaluate one request. Raises :class:`InputError` (a ``ValueError``) listing every bad field.

    Treat the result as read-only: parts of it (a regimen's phases, the plan's steps, ...) are worked
    out once per situation and shared with other results; ``copy.deepcopy`` it before editing in place."""
    return _evaluate(request)[0]


def _evaluate(request: Mapping[str, Any]) -> tuple[dict[str, Any], Decision]:
    guideline = load_guideline()
    parts = prepared(guideline)
    parsed = parse_request(request, guideline)
    lab = assess_lab_result(parsed, guideline)
    situation = situation_of(parsed, lab, guideline)
    decision = parts.decide(situation)
    if decision.figures_in_text:
        warnings = _filled(decision.warnings, text_values(parsed, situation, guideline))
    else:
        warnings = [dict(w) for w in decision.warnings]
    review_date = _review_date(parsed, decision.plan)
    schedule_regimen, schedule = _schedule(parsed, situation, decision.plan, review_date, parts)
    plan = dict(decision.plan_part)
    if review_date is not None and parsed.weekdays_only:
        # The schedule moves the review to a working day: the plan gives the same date.
        moved = next((e["date"] for e in schedule if e["kind"] == "review"), None)
        review_date = date.fromisoformat(moved) if moved else review_date
    plan["review"] = {**plan["review"], "date": review_date.isoformat() if review_date else None}
    plan["cautions"] = [dict(w) for w in warnings if w["code"] in decision.cautions]

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
        "request": parsed.as_dict(),
        "causes": [{"code": c, "label": guideline.cause(c).label} for c in parsed.causes],
        "plan": plan,
        "lab": _lab(lab, guideline),
        "route": {**decision.route, "reasons": [dict(r) for r in decision.route["reasons"]]},
        "regimens": [dict(r) for r in decision.regimens],
        "monitoring": [dict(m) for m in decision.monitoring],
        "warnings": warnings,
        "schedule_regimen_id": schedule_regimen,
        "schedule": [dict(e) for e in schedule],
        "references": list(decision.references),
    }
    return result, decision


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
        result, decision = _evaluate(parsed[0])
    except InputError as exc:
        return json.dumps({"errors": exc.as_list()}, ensure_ascii=False)
    return result_json(result, decision)


def result_json(result: dict[str, Any], decision: Decision) -> str:
    """``json.dumps(result, ensure_ascii=False)``, character for character, re-using the JSON text of the
    parts the situation shares (most of the result's 50 kB: regimens, references, advice)."""
    shared = decision.shared_keys()
    parts = []
    for key, value in result.items():
        text = decision.encoded.get(key) if key in shared else None
        if text is None:
            text = _ENCODER.encode(value)
            if key in shared:
                decision.encoded[key] = text
        parts.append(f"{_ENCODER.encode(key)}: {text}")
    return "{" + ", ".join(parts) + "}"


# json.dumps(..., ensure_ascii=False) would build an encoder per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False)


_LAB_FIELDS = tuple(f.name for f in fields(LabAssessment))
_LAB_VALUES = attrgetter(*_LAB_FIELDS)
_LAB_TUPLES = tuple(f.name for f in fields(LabAssessment) if str(f.type).startswith("tuple"))


def _lab(lab: LabAssessment, guideline: Guideline) -> dict[str, Any]:
    # Every field of the assessment (all flat values), tuples as JSON lists, and the status in words.
    out = dict(zip(_LAB_FIELDS, _LAB_VALUES(lab), strict=True))
    for key in _LAB_TUPLES:
        out[key] = list(out[key])
    out["status_label"] = guideline.decisions.facts["lab"].word(lab.status)
    return out


def _route(route: RouteDecision, guideline: Guideline) -> dict[str, Any]:
    return {
        "preferred": route.preferred,
        "preferred_label": guideline.decisions.facts["route"].word(route.preferred),
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


def _regimen(placed: PlacedRegimen, parts: Prepared) -> dict[str, Any]:
    out = dict(parts.regimens[placed.regimen.id])
    out["group"] = placed.group
    out["recommended"] = placed.recommended
    out["applies_because"] = placed.reason
    if placed.course is not None:
        out["headline"] = placed.headline  # with the plan's course
    return out


def _advice(item: Advice) -> dict[str, Any]:
    return {
        "code": item.code,
        "title": item.title,
        "severity": item.severity,
        "text": item.text,
        "refs": list(item.refs),
    }


def _filled(warnings: Iterable[dict[str, Any]], values: dict[str, str]) -> list[dict[str, Any]]:
    """Copies of serialised warnings with their {placeholders} filled from ``values``."""
    out = [dict(w) for w in warnings]
    for warning in out:
        if "{" in warning["text"]:
            warning["text"] = warning["text"].format_map(values)
    return out


def _plan(plan: Plan, guideline: Guideline) -> dict[str, Any]:
    """The plan serialised, except what each request fills in: the review date and the cautions."""
    regimen = plan.regimen
    return {
        "guidance": plan.guidance,
        "guidance_label": guidance_label(plan.guidance, guideline),
        "action": plan.action,
        "action_label": plan.action_label,
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

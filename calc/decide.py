"""The one interpreter of the decision table: a situation in, every decision the rules make out.

The policy is data (calc/data/decisions.toml, with the warnings and monitoring of guideline.toml); this
module only reads it, in the order its header states:

1. the situation's facts (:func:`facts_of`);
2. ``route``: the first row that holds decides oral, IM or either; the other safety and leaning rows that
   hold are listed as reasons, and ``route_preference`` notes say what became of a stated preference;
3. ``action``: the first row that holds;
4. when treating, ``plan``: the first row of the chosen guidance that holds gives the regimen and its
   alternatives (those of the other route are dropped when the route is decided); the other guidance's
   row for the same situation is kept for comparison; ``course``: the first row that holds;
5. ``next_step`` (every row that holds), ``review`` (the first), warnings and monitoring (every item
   that holds), with the plan's routes known.

Nothing here names a cause, a regimen or a threshold.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .conditions import FactValue
from .errors import DataError
from .model import Advice, Guideline
from .situation import Situation
from .table import TREATING, ActionRow, CourseRow, PlanRow, ReviewActionRow, ReviewRow, Row, StepRow

_SEVERITY_ORDER = {"urgent": 0, "caution": 1, "info": 2}


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    text: str
    refs: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "text": self.text, "refs": list(self.refs)}


@dataclass(frozen=True, slots=True)
class RouteDecision:
    preferred: str  # "oral" | "im" | "either"
    reasons: tuple[Reason, ...]
    preference_honoured: bool | None  # None: no preference was stated


@dataclass(frozen=True, slots=True)
class Decided:
    """Every decision for one situation, with the rows that made it (for the page and the CSV)."""

    facts: Mapping[str, FactValue]
    route: RouteDecision
    action: ActionRow | ReviewActionRow  # a review visit's row at a review
    plan: PlanRow | None  # None unless the action has a regimen (TREATING)
    alternatives: tuple[str, ...]  # the plan row's alternatives that suit the decided route
    other_plan: PlanRow | None  # the other guidance's plan row for the same situation
    course: CourseRow | None
    next_steps: tuple[StepRow, ...]
    review: ReviewRow
    warnings: tuple[Advice, ...]  # most severe first
    monitoring: tuple[Advice, ...]

    @property
    def treating(self) -> bool:
        return self.action.action in TREATING

    def rows(self) -> dict[str, tuple[str, ...]]:
        """The codes of the rows that decided, by table."""
        action_table = "review_action" if isinstance(self.action, ReviewActionRow) else "action"
        single = {action_table: self.action, "plan": self.plan, "course": self.course, "review": self.review}
        out: dict[str, tuple[str, ...]] = {t: (row.code,) for t, row in single.items() if row is not None}
        out["next_step"] = tuple(s.code for s in self.next_steps)
        return out


def first[R: Row | Advice](rows: Iterable[R], facts: Mapping[str, FactValue], table: str) -> R:
    """The first row that holds. The data's last rows hold always, so this fails only on a data bug."""
    for row in rows:
        if row.when.holds(facts):
            return row
    raise DataError(f"{table}: no row holds for {dict(facts)!r}")


def every[R: Row | Advice](rows: Iterable[R], facts: Mapping[str, FactValue]) -> tuple[R, ...]:
    return tuple([row for row in rows if row.when.holds(facts)])


def resection_of(situation: Situation, guideline: Guideline) -> str:
    """none | short | long | unknown: the ileal resection, against the data's threshold."""
    resected = situation.ileal_resection_cm
    if resected is None:
        return "unknown" if "ileal_resection" in situation.causes else "none"
    return "long" if resected > guideline.plan.long_ileal_resection_cm else "short"


def facts_of(situation: Situation, guideline: Guideline) -> dict[str, FactValue]:
    """The facts a condition may test (calc/conditions.py FACT_KINDS), before any row is read.

    ``cause_found``: some selected cause accounts for a deficiency (the data's ``explains_deficiency``);
    an ileal resection counts unless it is known to be short."""
    lab = situation.lab
    resection = resection_of(situation, guideline)
    found = any(
        guideline.cause(code).explains_deficiency and not (code == "ileal_resection" and resection == "short")
        for code in situation.causes
    )
    return {
        "guidance": situation.guidance,
        "age": "child" if situation.child else "adult",
        "lab": lab.status,
        "lab_test": lab.test,
        "neurological_symptoms": situation.neurological_symptoms,
        "pregnant_or_breastfeeding": situation.pregnant_or_breastfeeding,
        "critically_ill": situation.critically_ill,
        "anticoagulated": situation.anticoagulated,
        "needle_phobia": situation.needle_phobia,
        "causes": frozenset(situation.causes),
        "cause_found": found,
        "resection": resection,
        "route_preference": situation.route_preference or "none",
        "unit_check": situation.other_unit_reading is not None,
        "very_high_total_b12": situation.very_high_total_b12,
        "mma_used": lab.mma_used,
        "mma_default_limit": lab.mma_default_limit_used,
        "visit": situation.visit,
        "current_treatment": situation.current_treatment or "none",
        "response": situation.response or "none",
        "new_neurological_symptoms": situation.new_neurological_symptoms,
        "adherence": situation.adherence or "unknown",
        "intrinsic_factor_antibodies": situation.intrinsic_factor_antibodies or "unknown",
        "coeliac_serology": situation.coeliac_serology or "unknown",
        "cause_resolved": situation.cause_resolved,
    }


def decide_route(facts: dict[str, FactValue], guideline: Guideline) -> RouteDecision:
    table = guideline.decisions
    holding = every(table.route, facts)
    decider = holding[0]  # the last row holds always
    facts["route"] = decider.route
    reasons = [
        Reason(row.code, row.text, row.refs)
        for row in holding
        if row is decider or row.kind in ("safety", "leaning")
    ]
    reasons += [Reason(row.code, row.text, row.refs) for row in every(table.route_preference, facts)]
    preference = facts["route_preference"]
    honoured = None if preference == "none" else preference == decider.route
    return RouteDecision(decider.route, tuple(reasons), honoured)


def plan_row(facts: Mapping[str, FactValue], guidance: str, guideline: Guideline) -> PlanRow:
    return first(guideline.decisions.plan_rows(guidance), {**facts, "guidance": guidance}, "plan")


def decide(situation: Situation, guideline: Guideline) -> Decided:
    table = guideline.decisions
    facts = facts_of(situation, guideline)
    route = decide_route(facts, guideline)
    action: ActionRow | ReviewActionRow
    if facts["visit"] == "review":
        action = first(table.review_action, facts, "review_action")
        if action.route != "same":
            facts["route"] = action.route
        elif facts["current_treatment"] != "none":
            facts["route"] = facts["current_treatment"]
        route = RouteDecision(str(facts["route"]), route.reasons, route.preference_honoured)
    else:
        action = first(table.action, facts, "action")
    facts["action"] = action.action
    plan = other = course = None
    alternatives: tuple[str, ...] = ()
    if action.action in TREATING:
        plan = plan_row(facts, situation.guidance, guideline)
        alternatives = tuple(
            a for a in plan.alternatives if route.preferred in ("either", guideline.regimen(a).route)
        )
        other_guidance = next(g for g in table.facts["guidance"].values if g != situation.guidance)
        other = plan_row(facts, other_guidance, guideline)
        course = first(table.course, facts, "course")
    facts["plan_routes"] = frozenset(
        guideline.regimen(r).route for r in ((plan.regimen, *alternatives) if plan else ())
    )
    warnings = every(guideline.warnings, facts)
    return Decided(
        facts=facts,
        route=route,
        action=action,
        plan=plan,
        alternatives=alternatives,
        other_plan=other,
        course=course,
        next_steps=every(table.next_step, facts),
        review=first(table.review, facts, "review"),
        warnings=tuple(sorted(warnings, key=lambda w: _SEVERITY_ORDER[w.severity])),
        monitoring=every(guideline.monitoring, facts),
    )


def review_months_if_treated(situation: Situation, guideline: Guideline) -> int:
    """The review interval this situation would get if treated (to date a regimen scheduled for
    comparison when the plan itself is not to treat)."""
    facts: dict[str, FactValue] = {**facts_of(situation, guideline), "action": "treat"}
    decide_route(facts, guideline)
    facts["plan_routes"] = frozenset()
    months = first(guideline.decisions.review, facts, "review").months
    if months is None:
        raise DataError("review: the row for a treated patient gives no months")
    return months

"""What evaluate works out once: per loaded guideline, the static serialisations (regimens, references);
per situation, the rules' decision and its serialised parts (a bounded memo), so typing another figure in
the same band, or a date, re-runs only the lab assessment, the dates and the serialisation of what changed.
Parts of a decision are shared between results: a result is read-only (the contract).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .advice import text_values
from .decide import decide
from .model import Guideline
from .plan import Plan, build_plan, select_cautions
from .schedule import build_schedule
from .serialise import advice_dict, filled, placed_regimen, plan_dict, regimen_static, route_dict
from .situation import Situation

#: (regimen, start, review, review label, working days only, bank-holiday region).
ScheduleKey = tuple[str, date, date, str, bool, str]

SHARED_KEYS = ("calculator", "disclaimer", "scope", "route", "regimens", "monitoring", "references")
#: Situations (and schedules) remembered per guideline. A session meets a handful; the bound keeps a
#: long-running process (a server, a fuzzer) from growing without limit.
MAX_REMEMBERED = 256


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


def _remember[K, V](memo: dict[K, V], key: K, value: V) -> V:
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
            regimens={r.id: regimen_static(r) for r in guideline.regimens},
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
    monitoring = tuple(advice_dict(m) for m in decided.monitoring)
    # A figure from the request appears in warning texts only with a unit-slip reading.
    figures_in_text = situation.other_unit_reading is not None
    warnings = tuple(advice_dict(w) for w in decided.warnings)
    if not figures_in_text:
        warnings = tuple(filled(warnings, text_values(None, situation, guideline)))
    route_part = route_dict(decided.route, guideline)
    regimens = tuple(placed_regimen(p, parts.regimens) for p in plan.placed)
    plan_part = plan_dict(plan, guideline)
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

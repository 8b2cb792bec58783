"""Which monitoring items and warnings apply to a request.

Each item in the data carries a ``when`` trigger; this module is the one place that gives the triggers
meaning -- what each says in words (for the site) and when it holds (for the calculator), side by side --
and :data:`TRIGGERS` lists the fixed ones so that a typo in the data fails a test, not silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from .model import Advice, Guideline
from .request import FLAG_FIELDS, REQUEST_FIELDS, Request
from .route import RouteDecision
from .situation import Situation


@dataclass(frozen=True, slots=True)
class Context:
    situation: Situation
    route: RouteDecision
    action: str  # the plan's action (calc/plan.py)
    recommended_routes: frozenset[str]  # routes of the plan and its alternatives
    guideline: Guideline

    @property
    def lab_status(self) -> str:
        return self.situation.lab.status

    @property
    def treating(self) -> bool:
        return self.action in ("treat", "consider_treatment")

    def treatment_routes(self) -> set[str]:
        """Routes of the recommended regimens; without any, the routes the decision allows."""
        if self.recommended_routes:
            return set(self.recommended_routes)
        return {"oral", "im"} if self.route.preferred == "either" else {self.route.preferred}

    def resection_status(self) -> str | None:
        threshold = next((r.min_resection_cm for r in self.guideline.regimens if r.min_resection_cm), None)
        resected = self.situation.ileal_resection_cm
        if "ileal_resection" not in self.situation.causes and resected is None:
            return None
        if resected is None:
            return "unknown"
        if threshold is not None and resected <= threshold:
            return "short"
        return "long"


# trigger -> (what it means in words, when it holds)
_TRIGGERS: dict[str, tuple[str, Callable[[Context], bool]]] = {
    "always": ("always", lambda ctx: True),
    "treatment": ("whenever treatment is suggested", lambda ctx: ctx.treating),
    "treatment_not_pregnant": (
        "whenever treatment is suggested, outside pregnancy and breastfeeding",
        lambda ctx: ctx.treating and not ctx.situation.pregnant_or_breastfeeding,
    ),
    "treatment_and_flag:pregnant_or_breastfeeding": (
        "when treatment is suggested in pregnancy or breastfeeding",
        lambda ctx: ctx.treating and ctx.situation.pregnant_or_breastfeeding,
    ),
    "oral": ("when oral treatment is an option", lambda ctx: "oral" in ctx.treatment_routes()),
    "im": ("when injections are an option", lambda ctx: "im" in ctx.treatment_routes()),
    "child": ("for a child under 16", lambda ctx: ctx.situation.child),
    "im_and_flag:anticoagulated": (
        "when injections are advised for an anticoagulated patient",
        lambda ctx: ctx.route.preferred == "im" and ctx.situation.anticoagulated,
    ),
    "lab:unlikely": ("when the result makes deficiency unlikely", lambda ctx: ctx.lab_status == "unlikely"),
    "lab:not_tested": ("when no B12 result is entered", lambda ctx: ctx.lab_status == "not_tested"),
    "lab:tested": ("when a B12 result is entered", lambda ctx: ctx.lab_status != "not_tested"),
    "lab:very_high_total_b12": (
        "when total B12 is above {very_high:g} ng/L",
        lambda ctx: ctx.situation.very_high_total_b12,
    ),
    "lab:unit_changes_band": (
        "when reading the total B12 figure in the other unit would change its band",
        lambda ctx: ctx.situation.other_unit_reading is not None,
    ),
    "lab:indeterminate": (
        "when the result is indeterminate",
        lambda ctx: ctx.lab_status == "indeterminate",
    ),
    "mma_default": (
        "when MMA is interpreted without the lab's upper limit",
        lambda ctx: ctx.situation.lab.mma_default_limit_used,
    ),
    "mma_used": ("when MMA settles an indeterminate result", lambda ctx: ctx.situation.lab.mma_used),
    "resection_short": (
        "after an ileal resection of {threshold_cm:g} cm or less",
        lambda ctx: ctx.resection_status() == "short",
    ),
    "resection_unknown": (
        "after an ileal resection of unknown length",
        lambda ctx: ctx.resection_status() == "unknown",
    ),
}
TRIGGERS: tuple[str, ...] = tuple(_TRIGGERS)


def describe_trigger(when: str, guideline: Guideline) -> str:
    """When an item is shown, in words (for the site's tables)."""
    if when.startswith("flag:"):
        name = when.removeprefix("flag:")
        label = next(f.label for f in REQUEST_FIELDS if f.name == name)
        return f"when '{label.lower()}' is ticked"
    if when.startswith("cause:"):
        return f"when the cause '{guideline.cause(when.removeprefix('cause:')).label}' is selected"
    threshold = next((r.min_resection_cm for r in guideline.regimens if r.min_resection_cm), 0.0)
    return _TRIGGERS[when][0].format(
        threshold_cm=threshold, very_high=guideline.plan.very_high_total_b12_ng_per_l
    )


def is_known_trigger(when: str, guideline: Guideline) -> bool:
    if when in _TRIGGERS:
        return True
    if when.startswith("flag:"):
        return when.removeprefix("flag:") in FLAG_FIELDS
    if when.startswith("cause:"):
        return any(c.code == when.removeprefix("cause:") for c in guideline.causes)
    return False


def applies(item: Advice, ctx: Context) -> bool:
    return _predicate(item.when)(ctx)


@cache
def _predicate(when: str) -> Callable[[Context], bool]:
    """The test a ``when`` trigger stands for, worked out once per trigger (evaluate runs it per item)."""
    if when.startswith("flag:"):
        name = when.removeprefix("flag:")
        return lambda ctx: bool(getattr(ctx.situation, name))
    if when.startswith("cause:"):
        code = when.removeprefix("cause:")
        return lambda ctx: code in ctx.situation.causes
    return _TRIGGERS[when][1]


def select_monitoring(ctx: Context) -> list[Advice]:
    return [m for m in ctx.guideline.monitoring if applies(m, ctx)]


def select_warnings(ctx: Context) -> list[Advice]:
    """The triggered warnings, most severe first ({placeholders} unfilled: see :func:`text_values`)."""
    order = {"urgent": 0, "caution": 1, "info": 2}
    chosen = [w for w in ctx.guideline.warnings if applies(w, ctx)]
    return sorted(chosen, key=lambda w: order[w.severity])  # stable: data order within a severity


def text_values(request: Request | None, situation: Situation, guideline: Guideline) -> dict[str, str]:
    """Values for the {placeholders} in warning texts: figures from the data, and from the request when
    there is a unit-slip reading (without the request, only the data's)."""
    values = {"threshold": f"{guideline.plan.very_high_total_b12_ng_per_l:g}"}
    reading = situation.other_unit_reading
    if reading is not None and request is not None and request.total_b12 is not None:
        other, other_band, band = reading
        values |= {
            "value": f"{request.total_b12:g} {request.total_b12_unit}",
            "other_unit": other,
            "other_band": other_band,
            "band": band,
        }
    return values

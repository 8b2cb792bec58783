"""Which monitoring items and warnings apply to a request.

Each item in the data carries a ``when`` trigger; this module is the one place that gives the triggers
meaning, and :data:`TRIGGERS` lists the fixed ones so that a typo in the data fails a test, not silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .lab import LabAssessment
from .model import Advice, Guideline
from .regimens import RegimenOption, is_child
from .request import FLAG_FIELDS, REQUEST_FIELDS, Request
from .route import RouteDecision

_TRIGGER_TEXT = {
    "always": "always",
    "treatment": "whenever treatment is considered (the result does not make deficiency unlikely)",
    "oral": "when oral treatment is an option",
    "im": "when injections are an option",
    "child": "for a child under 16",
    "im_and_flag:anticoagulated": "when injections are advised for an anticoagulated patient",
    "lab:unlikely": "when the result makes deficiency unlikely",
    "lab:not_tested": "when no B12 result is entered",
    "lab:tested": "when a B12 result is entered",
    "mma_default": "when MMA is interpreted without the lab's upper limit",
    "mma_used": "when MMA settles an indeterminate result",
    "resection_short": "after an ileal resection of 20 cm or less",
    "resection_unknown": "after an ileal resection of unknown length",
}
TRIGGERS: tuple[str, ...] = tuple(_TRIGGER_TEXT)


def describe_trigger(when: str, guideline: Guideline) -> str:
    """When an item is shown, in words (for the site's tables)."""
    if when.startswith("flag:"):
        name = when.removeprefix("flag:")
        label = next(f.label for f in REQUEST_FIELDS if f.name == name)
        return f"when '{label.lower()}' is ticked"
    if when.startswith("cause:"):
        return f"when the cause '{guideline.cause(when.removeprefix('cause:')).label}' is selected"
    return _TRIGGER_TEXT[when]


def is_known_trigger(when: str, guideline: Guideline) -> bool:
    if when in TRIGGERS:
        return True
    if when.startswith("flag:"):
        return when.removeprefix("flag:") in FLAG_FIELDS
    if when.startswith("cause:"):
        return any(c.code == when.removeprefix("cause:") for c in guideline.causes)
    return False


@dataclass(frozen=True, slots=True)
class Context:
    request: Request
    lab: LabAssessment
    route: RouteDecision
    options: tuple[RegimenOption, ...]
    guideline: Guideline

    def treatment_routes(self) -> set[str]:
        """Routes of the recommended regimens; without any, the routes the decision allows."""
        routes: set[str] = {o.regimen.route for o in self.options if o.recommended}
        if routes:
            return routes
        return {"oral", "im"} if self.route.preferred == "either" else {self.route.preferred}

    def resection_status(self) -> str | None:
        threshold = next((r.min_resection_cm for r in self.guideline.regimens if r.min_resection_cm), None)
        if "ileal_resection" not in self.request.causes and self.request.ileal_resection_cm is None:
            return None
        if self.request.ileal_resection_cm is None:
            return "unknown"
        if threshold is not None and self.request.ileal_resection_cm <= threshold:
            return "short"
        return "long"


def applies(item: Advice, ctx: Context) -> bool:
    when, request = item.when, ctx.request
    if when.startswith("flag:"):
        return bool(getattr(request, when.removeprefix("flag:")))
    if when.startswith("cause:"):
        return when.removeprefix("cause:") in request.causes
    checks: dict[str, Callable[[], bool]] = {
        "always": lambda: True,
        "treatment": lambda: ctx.lab.status != "unlikely",
        "oral": lambda: "oral" in ctx.treatment_routes(),
        "im": lambda: "im" in ctx.treatment_routes(),
        "child": lambda: is_child(request, ctx.guideline),
        "im_and_flag:anticoagulated": lambda: ctx.route.preferred == "im" and request.anticoagulated,
        "lab:unlikely": lambda: ctx.lab.status == "unlikely",
        "lab:not_tested": lambda: ctx.lab.status == "not_tested",
        "lab:tested": lambda: ctx.lab.status != "not_tested",
        "mma_default": lambda: ctx.lab.mma_default_limit_used,
        "mma_used": lambda: ctx.lab.mma_used,
        "resection_short": lambda: ctx.resection_status() == "short",
        "resection_unknown": lambda: ctx.resection_status() == "unknown",
    }
    return checks[when]()


def select_monitoring(ctx: Context) -> list[Advice]:
    return [m for m in ctx.guideline.monitoring if applies(m, ctx)]


def select_warnings(ctx: Context) -> list[Advice]:
    order = {"urgent": 0, "caution": 1, "info": 2}
    chosen = [w for w in ctx.guideline.warnings if applies(w, ctx)]
    return sorted(chosen, key=lambda w: order[w.severity])  # stable: data order within a severity

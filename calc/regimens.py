"""Which regimens are shown for a situation beside the plan, and why each is shown. Which one is the plan,
and its alternatives, is the decision table's choice (calc/decide.py); this module lists the rest for
comparison.

- adults (16 and over, or age not given) see the general adult regimens plus those tied to a selected
  cause; children see only children's regimens (outside NICE's scope, none recommended);
- a regimen tied to neurological involvement is shown only with neurological symptoms, and its
  counterpart only without;
- a regimen for a long ileal resection is shown after a resection that is long or of unknown length;
- figures kept on the site only as errata of the article it started from are never listed;
- order: UK, US, EU, other; then the data's order.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Guideline, Regimen
from .situation import Situation

JURISDICTION_ORDER = ("UK", "US", "EU", "international", "NL")
#: Which guidance (the request's ``guidance`` field) each jurisdiction's regimens belong to.
GUIDANCE_OF_JURISDICTION: dict[str, str] = {"UK": "uk", "US": "us"}


def guidance_of(regimen: Regimen) -> str | None:
    return GUIDANCE_OF_JURISDICTION.get(regimen.jurisdiction)


@dataclass(frozen=True, slots=True)
class RegimenOption:
    regimen: Regimen
    applies_because: str


def _lower_first(text: str) -> str:
    return f"{text[:1].lower()}{text[1:]}"


def _visible_because(regimen: Regimen, situation: Situation, guideline: Guideline) -> str | None:
    if not regimen.in_calculator:
        return None
    child = situation.child
    if (regimen.population == "child") != child:
        return None
    if regimen.neuro is not None and regimen.neuro != situation.neurological_symptoms:
        return None
    if child:
        return "Shown for reference for a child under 16: choose with a paediatric specialist."
    if not regimen.causes:
        variant = {None: "", True: " with", False: " without"}[regimen.neuro]
        involvement = f"{variant} neurological involvement" if variant else ""
        return f"General adult regimen{involvement}."
    selected = [c for c in regimen.causes if c in situation.causes]
    if regimen.after_long_resection:
        resected = situation.ileal_resection_cm
        threshold = guideline.plan.long_ileal_resection_cm
        if resected is not None:
            long = resected > threshold
            return f"Shown because more than {threshold:g} cm of ileum was resected." if long else None
        unknown = "ileal_resection" in selected
        return "Shown because of an ileal resection of unknown length." if unknown else None
    if not selected:
        return None
    return f"For {_lower_first(guideline.cause(selected[0]).label)}."


def shown_regimens(situation: Situation, guideline: Guideline) -> list[RegimenOption]:
    options = []
    for regimen in guideline.regimens:
        because = _visible_because(regimen, situation, guideline)
        if because is not None:
            options.append(RegimenOption(regimen, because))
    order = {r.id: i for i, r in enumerate(guideline.regimens)}
    return sorted(
        options, key=lambda o: (JURISDICTION_ORDER.index(o.regimen.jurisdiction), order[o.regimen.id])
    )

"""Which regimens to show for a situation, which of them fit (``fits``), and in what order. Which one is
the plan, and how the rest are grouped, is calc/plan.py's decision.

Policy, stated once:
- adults (16 and over, or age not given) see the general adult regimens plus those tied to a selected
  cause; children see only children's regimens, none recommended (outside NICE's scope);
- a regimen tied to neurological involvement is shown only with neurological symptoms, and its
  counterpart only without;
- ``fits`` needs: a primary regimen (never an unverified one, never a child's), a route the
  route decision allows, a lab result that does not make deficiency unlikely, and -- for NICE's oral
  dose for malabsorption -- a cause that is (or may be) malabsorption; with no lab result the
  options still show, beside a warning that NICE tests first (except with neurological symptoms);
- when every selected cause leaves absorption normal (dietary), injections are recommended only if
  the route decision or the stated preference asks for them (US cyanocobalamin label: long-term
  treatment with normal absorption should be oral);
- order: fitting first; then the lead route (the decided route; else the stated preference; else
  injections for autoimmune gastritis or bariatric surgery, where the US labels call oral therapy not
  dependable and BOMSS uses injections; else oral); with neurological symptoms the regimen for
  neurological involvement first; cause-specific before general; UK, US, EU, other. Within the chosen
  guidance, the first fitting regimen becomes the plan (calc/plan.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Guideline, Regimen
from .route import RouteDecision
from .situation import Situation

JURISDICTION_ORDER = ("UK", "US", "EU", "international", "NL")
#: Which guidance (the request's ``guidance`` field) each jurisdiction's regimens belong to.
GUIDANCE_OF_JURISDICTION: dict[str, str] = {"UK": "uk", "US": "us"}


def guidance_of(regimen: Regimen) -> str | None:
    return GUIDANCE_OF_JURISDICTION.get(regimen.jurisdiction)


@dataclass(frozen=True, slots=True)
class RegimenOption:
    regimen: Regimen
    fits: bool
    applies_because: str


def _resection_over_threshold(situation: Situation, threshold: float) -> bool | None:
    """True/False when the resected length is known, None when it is not."""
    if situation.ileal_resection_cm is None:
        return None
    return situation.ileal_resection_cm > threshold


def _visible_because(regimen: Regimen, situation: Situation, child: bool, guideline: Guideline) -> str | None:
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
    if regimen.min_resection_cm is not None:
        over = _resection_over_threshold(situation, regimen.min_resection_cm)
        if over is False:
            return None
        if "ileal_resection" not in situation.causes and over is None:
            return None  # Crohn's without a resection does not raise the risk
        why = (
            f"more than {regimen.min_resection_cm:g} cm of ileum resected"
            if over
            else "ileal resection (length not given)"
        )
        return f"Shown because of {why}."
    if not selected:
        return None
    return f"For {guideline.cause(selected[0]).label[:1].lower()}{guideline.cause(selected[0]).label[1:]}."


def _fits(regimen: Regimen, situation: Situation, route: RouteDecision, guideline: Guideline) -> bool:
    if not regimen.primary or situation.lab.status == "unlikely":
        return False
    if route.preferred not in ("either", regimen.route):
        return False
    if regimen.route == "im" and route.preferred != "im" and situation.route_preference != "im":
        selected = [guideline.cause(code) for code in situation.causes]
        if selected and all(c.oral_when_absorption_normal for c in selected):
            return False
    if regimen.malabsorption_only:
        return malabsorption_possible(situation, guideline)
    return True


def long_ileal_resection(situation: Situation, guideline: Guideline) -> bool:
    """More ileum resected than the data's threshold (Battat 2014: more than 20 cm warrants treatment)."""
    threshold = next((r.min_resection_cm for r in guideline.regimens if r.min_resection_cm), None)
    resected = situation.ileal_resection_cm
    return threshold is not None and resected is not None and resected > threshold


def cause_unexplained(situation: Situation, guideline: Guideline) -> bool:
    """No selected cause explains a deficiency: none given, 'unknown', or only causes that do not on their
    own (the data's ``explains_deficiency``; e.g. Crohn's disease without a long ileal resection)."""
    explained = any(guideline.cause(code).explains_deficiency for code in situation.causes)
    return not explained and not long_ileal_resection(situation, guideline)


def malabsorption_possible(situation: Situation, guideline: Guideline) -> bool:
    """NICE's oral dose 'where malabsorption is the cause (or suspected)': a malabsorptive cause, a long
    ileal resection, or a deficiency no selected cause explains (treated as possible malabsorption while
    the cause is looked for: NICE via SPS)."""
    if any(guideline.cause(code).malabsorption for code in situation.causes):
        return True
    return long_ileal_resection(situation, guideline) or cause_unexplained(situation, guideline)


def _lead_route(situation: Situation, route: RouteDecision) -> str:
    """The route listed first among recommended regimens (and so used for the schedule)."""
    if route.preferred != "either":
        return route.preferred
    if situation.route_preference is not None:
        return situation.route_preference
    if {"autoimmune_gastritis", "bariatric_surgery"} & set(situation.causes):
        return "im"
    return "oral"


def select_regimens(situation: Situation, route: RouteDecision, guideline: Guideline) -> list[RegimenOption]:
    child = situation.child
    options: list[RegimenOption] = []
    for regimen in guideline.regimens:
        because = _visible_because(regimen, situation, child, guideline)
        if because is None:
            continue
        fits = not child and _fits(regimen, situation, route, guideline)
        options.append(RegimenOption(regimen, fits, because))

    lead = _lead_route(situation, route)
    order = {r.id: i for i, r in enumerate(guideline.regimens)}

    def sort_key(option: RegimenOption) -> tuple[int, int, int, int, int, int]:
        r = option.regimen
        return (
            0 if option.fits else 1,
            0 if r.route == lead else 1,
            0 if r.neuro else 1,  # with neurological symptoms, the regimen for neurological involvement
            0 if r.causes else 1,  # cause-specific advice before general advice
            JURISDICTION_ORDER.index(r.jurisdiction),
            order[r.id],
        )

    return sorted(options, key=sort_key)

"""Route selection: oral, IM or either, with the cited reasons.

Safety reasons decide first (neurological symptoms or critical illness -> IM; anticoagulation -> oral);
needle phobia leans oral unless the person states otherwise; a stated preference is honoured when no
safety reason points the other way.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Guideline
from .situation import Situation


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


def choose_route(situation: Situation, guideline: Guideline) -> RouteDecision:
    def reason(code: str) -> Reason:
        rule = guideline.route_rule(code)
        return Reason(rule.code, rule.text, rule.refs)

    im_safety = [reason(c) for c in ("neurological_symptoms", "critically_ill") if getattr(situation, c)]
    oral_safety = [reason("anticoagulated")] if situation.anticoagulated else []
    oral_leaning = [reason("needle_phobia")] if situation.needle_phobia else []
    preference = situation.route_preference

    if im_safety:
        preferred, reasons = "im", im_safety + oral_safety + oral_leaning
    elif oral_safety:
        preferred, reasons = "oral", oral_safety + oral_leaning
    elif preference is not None:
        preferred, reasons = preference, oral_leaning
    elif oral_leaning:
        preferred, reasons = "oral", oral_leaning
    else:
        preferred, reasons = "either", [reason("either")]

    honoured: bool | None = None
    if preference is not None:
        honoured = preference == preferred
        label = {"oral": "oral treatment", "im": "injections"}[preference]
        if honoured:
            text = f"The stated preference for {label} is honoured: no safety reason points the other way."
        else:
            text = (
                f"The stated preference for {label} is not followed because of the safety reason above; "
                "discuss it with the patient."
            )
        reasons.append(Reason("preference", text, guideline.route_rule("either").refs))
    return RouteDecision(preferred=preferred, reasons=tuple(reasons), preference_honoured=honoured)

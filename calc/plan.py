"""The plan: what the decision table decided (calc/decide.py), put into words for the patient in front of
you under one guidance (UK by default).

Nothing here decides. It turns the rows that held into the plan's parts: the headline of the one regimen
with the course's duration, the reasons (the action's, the lab's, the route's, the regimen's and the
course's), the regimens shown beside it in their groups, the next steps, the review and the cautions.

Groups: ``plan``; ``alternative`` (the plan row's alternatives that suit the decided route);
``other_guidance`` (the other guidance's plan for the same situation); ``for_comparison`` (the rest of
the regimens shown for this patient: historical label regimens, children's regimens, ...).
"""

from __future__ import annotations

from dataclasses import dataclass

from .decide import Decided, RouteDecision
from .model import Advice, Guideline, Regimen
from .products import Prescription, prescription_for
from .regimens import RegimenOption, guidance_of, shown_regimens
from .situation import Situation
from .wording import regimen_headline

GROUPS: tuple[str, ...] = ("plan", "alternative", "other_guidance", "for_comparison")


@dataclass(frozen=True, slots=True)
class Step:
    text: str
    refs: tuple[str, ...]
    results_for: str = ""  # a next step whose result a review takes: that result's fact

    def as_dict(self) -> dict[str, object]:
        return {"text": self.text, "refs": list(self.refs), "results_for": self.results_for or None}


@dataclass(frozen=True, slots=True)
class PlacedRegimen:
    """A shown regimen with its group and why it is shown (for an alternative, why it is not first)."""

    regimen: Regimen
    group: str
    reason: str
    course: str | None = None  # the plan's course wording, for the plan and its alternatives
    maintenance_only: bool = False  # the plan at a review that continues treatment

    @property
    def recommended(self) -> bool:
        return self.group in ("plan", "alternative")

    @property
    def headline(self) -> str:
        return regimen_headline(self.regimen, self.course, self.maintenance_only)


@dataclass(frozen=True, slots=True)
class Review:
    text: str
    months: int | None  # after the start of treatment (dated by calc/evaluate.py from the start date)
    refs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Plan:
    guidance: str
    action: str
    action_label: str
    status_label: str
    regimen: Regimen | None
    course: str | None  # how long, in words (replaces the last phase's open duration)
    course_kind: str | None  # lifelong | indefinite | ends
    why: tuple[Step, ...]
    placed: tuple[PlacedRegimen, ...]
    next_steps: tuple[Step, ...]
    review: Review
    decided_by: dict[str, tuple[str, ...]]
    prescription: Prescription | None = None
    #: A review that continues treatment: the patient is past any loading course.
    maintenance_only: bool = False

    @property
    def alternatives(self) -> tuple[PlacedRegimen, ...]:
        return tuple(p for p in self.placed if p.group == "alternative")

    @property
    def headline(self) -> str | None:
        if self.regimen is None:
            return None
        return regimen_headline(self.regimen, self.course, self.maintenance_only)

    @property
    def recommended_routes(self) -> set[str]:
        return {p.regimen.route for p in self.placed if p.recommended}

    @property
    def title(self) -> str:
        return f"{self.status_label}: {self.action_label[:1].lower()}{self.action_label[1:]}"

    @property
    def summary(self) -> str:
        """One line for a summary bar: the status, the action and, when treating, the dose."""
        if self.headline is not None:
            return f"{self.status_label}. {self.action_label}: {self.headline}."
        first = self.next_steps[0].text if self.next_steps else self.review.text
        return f"{self.status_label}. {self.action_label}: {first}"


def _alternative_reason(plan: Regimen, alternative: Regimen, guideline: Guideline) -> str:
    wording = guideline.decisions.wording
    if alternative.route != plan.route:
        return wording[f"alternative_{alternative.route}"]
    return wording["alternative_same_route"].format(whose=alternative.whose)


def place_regimens(
    decided: Decided, options: tuple[RegimenOption, ...], guideline: Guideline, maintenance_only: bool = False
) -> tuple[PlacedRegimen, ...]:
    placed: list[PlacedRegimen] = []
    course = decided.course.text if decided.course else None
    if decided.plan is not None:
        chosen = guideline.regimen(decided.plan.regimen)
        placed.append(PlacedRegimen(chosen, "plan", decided.plan.text, course, maintenance_only))
        for regimen_id in decided.alternatives:
            alternative = guideline.regimen(regimen_id)
            reason = _alternative_reason(chosen, alternative, guideline)
            placed.append(PlacedRegimen(alternative, "alternative", reason, course))
    if decided.other_plan is not None:
        other = guideline.regimen(decided.other_plan.regimen)
        guidance = guideline.decisions.facts["guidance"].word(decided.other_plan.guidance)
        reason = guideline.decisions.wording["other_guidance"].format(guidance=guidance)
        placed.append(PlacedRegimen(other, "other_guidance", reason))
    taken = {p.regimen.id for p in placed}
    placed += [
        PlacedRegimen(o.regimen, "for_comparison", o.applies_because)
        for o in options
        if o.regimen.id not in taken
    ]
    return tuple(placed)


def _why(situation: Situation, decided: Decided, route: RouteDecision, lab_text: str) -> tuple[Step, ...]:
    lab = situation.lab
    action = decided.action
    steps = [Step(action.text or lab_text, action.refs if action.text else lab.refs)]
    first_visit = situation.visit == "first"
    if decided.plan is not None:
        if first_visit and action.text and lab.status not in ("not_tested", "not_interpreted"):
            steps.append(Step(lab_text, lab.refs))
        if first_visit:
            steps += [Step(r.text, r.refs) for r in route.reasons if r.code != "either"]
        steps.append(Step(decided.plan.text, decided.plan.refs))
        if decided.course is not None:
            steps.append(Step(decided.course.reason, decided.course.refs))
    seen: set[str] = set()
    unique = []
    for step in steps:  # the same sentence twice reads as a slip
        if step.text not in seen:
            seen.add(step.text)
            unique.append(step)
    return tuple(unique)


def _status_label(situation: Situation, guideline: Guideline) -> str:
    """What the plan's title leads with: the lab status at a first visit, 'Review visit' at a review."""
    facts = guideline.decisions.facts
    if situation.visit == "review":
        return facts["visit"].word("review")
    return facts["lab"].word(situation.lab.status)


def build_plan(situation: Situation, decided: Decided, guideline: Guideline) -> Plan:
    facts = guideline.decisions.facts
    action = decided.action
    options = tuple(shown_regimens(situation, guideline))
    review = decided.review
    regimen = guideline.regimen(decided.plan.regimen) if decided.plan else None
    course = decided.course.text if decided.course else None
    maintenance_only = situation.visit == "review" and action.action == "continue"
    return Plan(
        guidance=situation.guidance,
        action=action.action,
        action_label=facts["action"].word(action.action),
        status_label=action.status_label or _status_label(situation, guideline),
        regimen=regimen,
        course=course,
        course_kind=decided.course.kind if decided.course else None,
        why=_why(situation, decided, decided.route, situation.lab.rule_text),
        placed=place_regimens(decided, options, guideline, maintenance_only),
        next_steps=tuple(Step(s.text, s.refs, s.results_for) for s in decided.next_steps),
        review=Review(review.text, review.months, review.refs),
        decided_by=decided.rows(),
        prescription=prescription_for(regimen, course, decided.facts, maintenance_only),
        maintenance_only=maintenance_only,
    )


def select_cautions(warnings: tuple[Advice, ...]) -> list[Advice]:
    """The triggered warnings that change what to do for this patient (not the standing ones)."""
    return [w for w in warnings if not w.standing]


def guidance_label(guidance: str, guideline: Guideline) -> str:
    """E.g. "UK guidance (NICE NG239, BNF)": the guidance and whose sources its plans follow."""
    word = guideline.decisions.facts["guidance"].word(guidance)
    return f"{word} ({guideline.decisions.wording[f'sources_{guidance}']})"


__all__ = ["GROUPS", "PlacedRegimen", "Plan", "Step", "build_plan", "guidance_of", "select_cautions"]

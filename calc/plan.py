"""The plan: one answer for the patient in front of you, under one guidance (UK by default).

Rules, in order (each cites its source through the data it uses):

1. **action**
   - under 16 -> ``refer`` (NICE NG239 covers 16 and over: no adult dose, no adult band);
   - neurological symptoms, unless the result makes deficiency unlikely -> ``treat`` without waiting
     for results (BNF; CKS via the data's route rule);
   - a confirmed deficiency -> ``treat``;
   - a cause after which replacement is lifelong whatever the level (bariatric surgery; an ileal
     resection longer than the data's threshold) -> ``treat``;
   - deficiency unlikely -> ``no_treatment``; indeterminate -> the data's ``indeterminate_action``
     (``test_first`` until NG239's final text on treating an indeterminate result is confirmed);
     no result -> ``test_first``.
2. **regimen**: for ``treat``/``consider_treatment``, the first regimen that fits (calc/regimens.py's
   order) among those of the chosen guidance; the other fitting regimens of that guidance are the
   ``alternatives``, each with the reason it is not first.
3. **groups**: every shown regimen is ``plan``, ``alternative``, ``other_guidance`` (a primary regimen
   of the other guidance) or ``for_comparison`` (historical label regimens, figures from the source
   article, regimens that do not fit this patient, children's regimens).
4. **next steps** come from the data's ``next_steps`` by their ``when`` triggers; **review** is NICE's
   symptom review; **cautions** are the triggered warnings that change what to do for this patient
   (standing cautions, shown with every treatment, stay in ``warnings``).
"""

from __future__ import annotations

from dataclasses import dataclass

from .lab import STATUS_LABELS
from .model import Advice, Guideline, Regimen
from .regimens import RegimenOption, cause_unexplained, guidance_of, long_ileal_resection
from .request import GUIDANCE_LABELS
from .route import RouteDecision
from .situation import Situation
from .wording import plural, regimen_headline

GROUPS: tuple[str, ...] = ("plan", "alternative", "other_guidance", "for_comparison")
ACTION_LABELS: dict[str, str] = {
    "treat": "Treat",
    "consider_treatment": "Consider treatment",
    "test_first": "Test first",
    "no_treatment": "No B12 treatment",
    "refer": "Refer",
}
#: Whose sources each guidance follows, for the plan's label.
GUIDANCE_SOURCES: dict[str, str] = {"uk": "NICE NG239, BNF", "us": "US labels, AFP"}
#: Warning triggers that hold for (almost) every treated patient: collapsed as standing cautions, not
#: repeated in the plan.
STANDING_TRIGGERS = frozenset({"always", "treatment", "treatment_not_pregnant", "oral", "im", "lab:tested"})
_ROUTE_NAMES = {"oral": "Oral", "im": "Injection"}


@dataclass(frozen=True, slots=True)
class Step:
    text: str
    refs: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {"text": self.text, "refs": list(self.refs)}


@dataclass(frozen=True, slots=True)
class PlacedRegimen:
    """A shown regimen with its group and, for an alternative, why it is not first."""

    option: RegimenOption
    group: str
    reason: str = ""

    @property
    def recommended(self) -> bool:
        return self.group in ("plan", "alternative")


@dataclass(frozen=True, slots=True)
class Review:
    text: str
    months: int | None  # after the start of treatment (dated by calc/evaluate.py from the start date)
    refs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Plan:
    guidance: str
    action: str
    regimen: Regimen | None
    why: tuple[Step, ...]
    placed: tuple[PlacedRegimen, ...]
    next_steps: tuple[Step, ...]
    review: Review
    status_label: str

    @property
    def alternatives(self) -> tuple[PlacedRegimen, ...]:
        return tuple(p for p in self.placed if p.group == "alternative")

    @property
    def headline(self) -> str | None:
        r = self.regimen
        return None if r is None else regimen_headline(r)

    @property
    def recommended_routes(self) -> set[str]:
        return {p.option.regimen.route for p in self.placed if p.recommended}


def lifelong_cause(situation: Situation, guideline: Guideline) -> str | None:
    """The label of a selected cause after which replacement is lifelong whatever the level, if any."""
    for code in situation.causes:
        cause = guideline.cause(code)
        if cause.treat_whatever_the_level:
            return cause.label
    if long_ileal_resection(situation, guideline):
        threshold = next(r.min_resection_cm for r in guideline.regimens if r.min_resection_cm)
        return f"ileal resection of more than {threshold:g} cm"
    return None


def decide_action(situation: Situation, guideline: Guideline) -> tuple[str, Step]:
    """The action and the main reason for it."""
    lab = situation.lab
    if situation.child:
        return "refer", Step(guideline.meta.scope, ("nice-ng239", "bnfc-2011"))
    lab_step = Step(lab.rule_text, lab.refs)
    if situation.neurological_symptoms and lab.status != "unlikely":
        rule = guideline.route_rule("neurological_symptoms")
        return "treat", Step(rule.text, rule.refs)
    if lab.status == "deficient":
        return "treat", lab_step
    lifelong = lifelong_cause(situation, guideline)
    if lifelong is not None:
        causes = [guideline.cause(c) for c in situation.causes]
        cause_refs = next((c.refs for c in causes if c.treat_whatever_the_level), ("battat-2014",))
        text = f"Lifelong replacement after {lifelong[:1].lower()}{lifelong[1:]}, whatever the level."
        return "treat", Step(text, cause_refs)
    if lab.status == "unlikely":
        return "no_treatment", lab_step
    if lab.status == "indeterminate":
        return guideline.plan.indeterminate_action, Step(lab.rule_text, guideline.plan.indeterminate_refs)
    return "test_first", lab_step


def _alternative_reason(plan: Regimen, alt: Regimen, guideline: Guideline) -> str:
    if alt.route != plan.route:
        if alt.route == "oral":
            return "Oral option: high-dose tablets work as well as injections for most people."
        return "Injection option: if the person prefers injections, or tablets do not help."
    if plan.causes and not alt.causes:
        label = guideline.cause(plan.causes[0]).label
        return f"General adult regimen; the plan uses the one for {label[:1].lower()}{label[1:]}."
    return f"Another {_ROUTE_NAMES[alt.route].lower()} regimen that fits ({alt.whose})."


def _other_reason(option: RegimenOption, situation: Situation) -> str:
    other = guidance_of(option.regimen)
    if option.regimen.primary and other is not None and other != situation.guidance:
        return f"{GUIDANCE_LABELS[other]}: choose it above to compare."
    return option.applies_because


def place_regimens(
    options: tuple[RegimenOption, ...], situation: Situation, action: str, guideline: Guideline
) -> tuple[RegimenOption | None, tuple[PlacedRegimen, ...]]:
    treating = action in ("treat", "consider_treatment")
    own = [o for o in options if o.fits and guidance_of(o.regimen) == situation.guidance] if treating else []
    chosen = own[0] if own else None
    own_ids = {o.regimen.id for o in own}
    placed: list[PlacedRegimen] = []
    for option in options:
        r = option.regimen
        if chosen is not None and option is chosen:
            placed.append(PlacedRegimen(option, "plan", option.applies_because))
        elif chosen is not None and r.id in own_ids:
            reason = _alternative_reason(chosen.regimen, r, guideline)
            placed.append(PlacedRegimen(option, "alternative", reason))
        elif r.primary and guidance_of(r) not in (None, situation.guidance):
            placed.append(PlacedRegimen(option, "other_guidance", _other_reason(option, situation)))
        else:
            placed.append(PlacedRegimen(option, "for_comparison", option.applies_because))
    order = {g: i for i, g in enumerate(GROUPS)}
    placed.sort(key=lambda p: order[p.group])  # stable: regimens.py's order within a group
    return chosen, tuple(placed)


def _step_applies(when: str, situation: Situation, action: str, guideline: Guideline) -> bool:
    kind, _, value = when.partition(":")
    if kind == "always":
        return True
    if kind == "action":
        return action == value
    if kind == "lab":
        return situation.lab.status == value
    if kind == "flag":
        return bool(getattr(situation, value))
    if kind == "cause":
        return value in situation.causes
    if kind == "cause_unknown":
        return action == "treat" and cause_unexplained(situation, guideline)
    raise ValueError(f"unknown next-step trigger {when!r}")



def select_next_steps(situation: Situation, action: str, guideline: Guideline) -> tuple[Step, ...]:
    applies = [n for n in guideline.next_steps if _step_applies(n.when, situation, action, guideline)]
    return tuple(Step(n.text, n.refs) for n in applies)


def review_for(situation: Situation, action: str, guideline: Guideline) -> Review:
    policy = guideline.review
    if action in ("treat", "consider_treatment"):
        months = policy.months_for(situation.pregnant_or_breastfeeding)
        when = f"{plural(months, 'month')} after starting"
        reason = " (pregnant or breastfeeding)" if situation.pregnant_or_breastfeeding else ""
        text = f"Review symptoms {when}{reason}: a review of symptoms, not a repeat B12 test."
        return Review(text, months, policy.refs)
    texts = {
        "test_first": "Decide on treatment when the next result is back.",
        "no_treatment": "No B12 review is needed on this result; follow up the symptoms themselves.",
        "refer": "Follow-up is for the paediatric specialist.",
    }
    return Review(texts[action], None, ())


def build_plan(
    situation: Situation, route: RouteDecision, options: tuple[RegimenOption, ...], guideline: Guideline
) -> Plan:
    lab = situation.lab
    action, main_reason = decide_action(situation, guideline)
    chosen, placed = place_regimens(options, situation, action, guideline)
    why = [main_reason]
    if chosen is not None:
        if main_reason.text != lab.rule_text and lab.status not in ("not_tested", "not_interpreted"):
            why.append(Step(lab.rule_text, lab.refs))
        # The route's own reasons, except the one already given and the "no reason either way" default.
        skip = ("neurological_symptoms", "either")
        why += [Step(r.text, r.refs) for r in route.reasons if r.code not in skip]
        for code in chosen.regimen.causes:
            if code in situation.causes:
                cause = guideline.cause(code)
                why.append(Step(cause.text, cause.refs))
    return Plan(
        guidance=situation.guidance,
        action=action,
        regimen=chosen.regimen if chosen else None,
        why=tuple(why),
        placed=placed,
        next_steps=select_next_steps(situation, action, guideline),
        review=review_for(situation, action, guideline),
        status_label=STATUS_LABELS[lab.status],
    )


def select_cautions(warnings: list[Advice]) -> list[Advice]:
    """The triggered warnings that change what to do for this patient (not the standing ones)."""
    return [w for w in warnings if w.when not in STANDING_TRIGGERS]


def guidance_label(guidance: str) -> str:
    return f"{GUIDANCE_LABELS[guidance]} ({GUIDANCE_SOURCES[guidance]})"


def summary_line(plan: Plan) -> str:
    """One line for a summary bar: the status, the action and, when treating, the dose."""
    if plan.headline is not None:
        return f"{plan.status_label}. {ACTION_LABELS[plan.action]}: {plan.headline}."
    if plan.action in ("treat", "consider_treatment"):
        none_fits = "no regimen of this guidance fits; see the other guidance"
        return f"{plan.status_label}. {ACTION_LABELS[plan.action]}: {none_fits}."
    first = plan.next_steps[0].text if plan.next_steps else ""
    return f"{plan.status_label}. {ACTION_LABELS[plan.action]}: {first}".rstrip(": ")

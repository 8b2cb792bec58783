"""Safety invariants over the situation space, each quoting its source.

Each invariant takes a situation, what the rules decided for it and the plan in words, and returns a
complaint or None. tests/core/test_situation_space.py checks them over the walk of calc/situations.py
in the README's test command; bench/situation_space.py runs them over the full product, uncapped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from calc.decide import Decided, decide
from calc.lab import assess_lab_result
from calc.loader import load_guideline
from calc.model import Guideline
from calc.plan import Plan, build_plan
from calc.request import parse_request
from calc.situation import Situation, situation_of
from calc.situations import review_space, space
from calc.table import TREATING

Invariant = Callable[[Situation, Decided, Plan], "str | None"]
DOSE = re.compile(r"\b\d[\d,.]*(?:-\d[\d,.]*)? ?(?:mg|micrograms)\b")
DOSE_UNIT = re.compile(r"\b(?:ONE|TWO|THREE|FOUR)\b.*tablets?|\d[\d.]* (?:to [\d.]+ )?mL\b")
WANTS = {"treat": TREATING, "test": {"test_first"}, "no_treatment": {"no_treatment"}, "refer": {"refer"}}


def distinct_situations(
    guideline: Guideline, *, full: bool = False, review: bool = False
) -> dict[Situation, dict[str, object]]:
    """Every distinct situation of the space (or of the review visit's), with the first request that made it
    (as evaluate builds it)."""
    seen: dict[Situation, dict[str, object]] = {}
    for request in review_space(guideline) if review else space(guideline, full=full):
        parsed = parse_request(request, guideline)
        situation = situation_of(parsed, assess_lab_result(parsed, guideline), guideline)
        seen.setdefault(situation, request)
    return seen


def decided(
    situations: dict[Situation, dict[str, object]], guideline: Guideline, stride: int = 1
) -> Iterator[tuple[Situation, dict[str, object], Decided, Plan]]:
    for index, (situation, request) in enumerate(situations.items()):
        if index % stride == 0:
            outcome = decide(situation, guideline)
            yield situation, request, outcome, build_plan(situation, outcome, guideline)


def treating_means_exactly_one_regimen_with_a_dose(s: Situation, d: Decided, p: Plan) -> str | None:
    """Contract (README, the plan): 'When treating: regimen_id is exactly one regimen of the chosen guidance,
    headline one line a prescriber could copy (drug, dose, route, frequency, duration)'; HAZ-30: 'treat or
    consider => exactly one regimen with a dose in the chosen guidance'."""
    if p.action in TREATING:
        if p.regimen is None or p.headline is None:
            return "treating with no regimen"
        if p.regimen.jurisdiction.lower() != s.guidance:
            return f"{p.regimen.id} is not a regimen of {s.guidance} guidance"
        if not DOSE.search(p.headline) or not DOSE.search(p.summary):
            return f"no dose in {p.headline!r}"
        if [x.regimen.id for x in p.placed if x.group == "plan"] != [p.regimen.id]:
            return "the plan group does not hold exactly the plan's regimen"
    elif p.regimen is not None or p.alternatives or DOSE.search(p.summary):
        return f"{p.action} with a regimen or a dose"
    return None


def action_summary_next_steps_and_cautions_never_contradict(s: Situation, d: Decided, p: Plan) -> str | None:
    """HAZ-30: 'action, summary, next steps and cautions never contradict each other' (the audit's E12:
    'No B12 treatment' beside 'Start injections now'; 'treat for life' beside 'measure MMA'). Each next step
    says what it asks (its stance in the data); the plan's words are read as a clinician would."""
    for step in d.next_steps:
        if step.stance in WANTS and d.action.action not in WANTS[step.stance]:
            return f"next step {step.code} ({step.stance}) beside {d.action.action}"
    texts = [p.summary, *(x.text for x in p.next_steps), *(w.text for w in d.warnings if not w.standing)]
    starts = [t for t in texts if re.search(r"\b[Ss]tart (injections|replacement|treatment)\b", t)]
    if starts and p.action not in TREATING:
        return f"'start' beside {p.action}: {starts[0][:60]}"
    if any("not indicated on this result" in t for t in texts) and p.action != "no_treatment":
        return f"'not indicated' beside {p.action}"
    if not s.child and any("paediatric" in x.text.lower() for x in p.next_steps):
        return "a paediatric step for an adult"
    if not p.summary.startswith(f"{p.status_label}. {p.action_label}"):
        return f"summary does not lead with the action: {p.summary[:60]}"
    return None


def neurology_or_nitrous_oxide_never_no_treatment(s: Situation, d: Decided, p: Plan) -> str | None:
    """BSH 2014 (rec 4): 'In the presence of discordance between the test result and strong clinical features
    of deficiency, treatment should not be delayed'; RCEM 2024: nitrous oxide toxicity 'treatment should be
    initiated before the return of definitive diagnostic results'; RCH: 'Measured vitamin B12 may be
    normal'."""
    if p.action == "no_treatment" and (s.neurological_symptoms or "nitrous_oxide" in s.causes):
        return "no treatment with neurological symptoms or nitrous oxide"
    if not s.child and s.neurological_symptoms and p.action != "treat":
        return f"neurological symptoms answered {p.action}"
    return None


def a_lifelong_cause_is_never_left_without_a_regimen(s: Situation, d: Decided, p: Plan) -> str | None:
    """BOMSS 2020: after SG, RYGB or BPD/DS 'recommend routine supplementation with vitamin B12
    intramuscular injections'; UK product information: 'Prophylaxis ... resulting from gastrectomy, ileal
    resection ...: 1mg every two to three months' (a resection over 20 cm: Battat 2014)."""
    long_resection = d.facts["resection"] == "long"
    first = s.visit == "first"
    if first and not s.child and ("bariatric_surgery" in s.causes or long_resection) and p.regimen is None:
        return "a lifelong cause without a regimen"
    return None


def under_16_is_referred_with_no_adult_dose(s: Situation, d: Decided, p: Plan) -> str | None:
    """NICE NG239: 'This guideline covers recognising, diagnosing and managing vitamin B12 deficiency in
    people aged 16 and over'; children need a paediatric specialist and the BNF for Children."""
    if s.child and (p.action != "refer" or p.regimen is not None or DOSE.search(p.summary)):
        return f"child answered {p.action}"
    if s.child and any(x.recommended or x.regimen.population == "adult" for x in p.placed):
        return "child shown an adult regimen"
    return None


def pregnancy_with_treatment_has_the_specialist_step(s: Situation, d: Decided, p: Plan) -> str | None:
    """SPS: 'Prescribers should seek urgent advice from a haematologist when treating vitamin B12 deficiency
    anaemia during pregnancy.'"""
    if s.pregnant_or_breastfeeding and p.action in TREATING:
        if "pregnancy_haematology_advice" not in {x.code for x in d.next_steps}:
            return "treating in pregnancy without haematology advice"
        if p.review.months != 1:
            return "pregnancy review is not at 1 month"
    return None


def for_life_only_from_a_lifelong_course(s: Situation, d: Decided, p: Plan) -> str | None:
    """HAZ-30: '"for life" only from a row whose source says lifelong' (NHS: after a poor diet tablets may
    stop 'once their levels of vitamin B12 have returned to normal and their diet has improved')."""
    lifelong = d.course is not None and d.course.kind == "lifelong"
    if ("for life" in (p.headline or "")) != lifelong:
        return f"'for life' with a {d.course.kind if d.course else 'missing'} course"
    return None


def reversible_causes_get_a_course_that_ends(s: Situation, d: Decided, p: Plan) -> str | None:
    """NHS: a poor diet: 'may be advised to stop taking the tablets once their levels of vitamin B12 have
    returned to normal'; NICE via SPS: a cause addressed, symptoms improved -> treatment may stop (nitrous
    oxide stopped)."""
    antibodies = s.intrinsic_factor_antibodies == "positive"  # autoimmune gastritis after all
    single_reversible = set(s.causes) in ({"low_intake"}, {"nitrous_oxide"})
    reversible = p.action in TREATING and single_reversible and not antibodies
    if reversible and (d.course is None or d.course.kind != "ends"):
        return f"reversible cause with a {d.course.kind if d.course else 'missing'} course"
    return None


def established_deficiency_starts_with_loading(s: Situation, d: Decided, p: Plan) -> str | None:
    """Audit 2026-12 C11: BOMSS's 3-monthly injections are 'routine supplementation, not treatment of an
    established deficiency'; the BNF starts with 'Initially 1 mg 3 times a week for 2 weeks'."""
    injections = p.action in TREATING and p.regimen is not None and p.regimen.route == "im"
    if injections and s.lab.status == "deficient" and p.regimen and len(p.regimen.phases) < 2:
        return f"{p.regimen.id}: no loading course for an established deficiency"
    return None


def us_plans_rest_on_us_sources(s: Situation, d: Decided, p: Plan) -> str | None:
    """HAZ-30: 'US plans follow US practice sources with US reasons' (not NICE bands and a NICE review
    alone)."""
    guideline = load_guideline()
    if s.guidance == "us" and d.plan is not None:
        jurisdictions = {guideline.reference(k).jurisdiction for k in d.plan.refs}
        if "US" not in jurisdictions:
            return f"US plan row {d.plan.code} cites no US source"
    return None


def cautions_and_alternatives_suit_the_plan(s: Situation, d: Decided, p: Plan) -> str | None:
    """Audit 2026-12 C2: 'the "Oral treatment in autoimmune gastritis" caution is noise when oral is
    excluded'; an anticoagulation caution belongs to an injection plan; a decided route admits no
    alternative of the other route."""
    codes = {w.code for w in d.warnings}
    routes = p.recommended_routes
    if "oral_in_autoimmune_gastritis" in codes and "oral" not in routes:
        return "oral caution without an oral option"
    if "im_anticoagulated" in codes and d.route.preferred != "im":
        return "anticoagulation caution without injections"
    decided_route = d.route.preferred
    if decided_route != "either" and any(x.regimen.route != decided_route for x in p.alternatives):
        return "an alternative of the other route"
    return None


def treating_means_a_prescription_line(s: Situation, d: Decided, p: Plan) -> str | None:
    """Contract: 'Every treat plan carries a cited prescription line' with the product (generic name, form,
    strength), its licensed status and directions a patient can follow."""
    if p.action in TREATING:
        rx = p.prescription
        if rx is None or not rx.product.refs or not rx.product.status or not DOSE_UNIT.search(rx.directions):
            return f"treating with no prescription line for {p.regimen.id if p.regimen else None}"
        lifelong = d.course is not None and d.course.kind == "lifelong"
        if not lifelong and any("rest of your life" in c for c in rx.product.counselling):
            return "counselling says lifelong beside a course that is not"
    elif p.prescription is not None:
        return f"a prescription line beside {p.action}"
    return None


LIFELONG_CAUSES = {"autoimmune_gastritis", "bariatric_surgery", "vegan"}


def review_never_stops_a_lifelong_cause(s: Situation, d: Decided, p: Plan) -> str | None:
    """Contract: 'no stop for a lifelong cause'; NICE: 'Some causes of vitamin B12 deficiency are
    irreversible and therefore treatment is needed for life'; positive intrinsic factor antibodies: 'should
    have lifelong therapy with cobalamin' (PAS)."""
    lifelong = bool(LIFELONG_CAUSES & set(s.causes)) or s.intrinsic_factor_antibodies == "positive"
    lifelong = lifelong or d.facts["resection"] == "long"
    if s.visit == "review" and p.action == "stop" and lifelong:
        return "stop for a lifelong cause"
    return None


def review_ends_when_the_cause_is_dealt_with(s: Situation, d: Decided, p: Plan) -> str | None:
    """Contract: '`ended` plans never say "continue"'; SPS on NICE's follow-up: 'treatment may be stopped if
    the cause/suspected cause of deficiency has been addressed' -- and only then."""
    if s.visit != "review":
        return None
    ended = d.course is not None and d.course.kind == "ends"
    better = s.response in ("resolved", "improved")
    referred = s.new_neurological_symptoms or s.coeliac_serology == "positive"
    calm = not (referred or s.pregnant_or_breastfeeding)
    if ended and better and s.cause_resolved and calm and p.action == "continue":
        return "continue after a reversible cause was dealt with"
    if p.action == "stop" and not (s.cause_resolved and better):
        return "stop without the cause dealt with and symptoms better"
    return None


def review_new_neurology_is_referred(s: Situation, d: Decided, p: Plan) -> str | None:
    """CKS (reproduced): 'Seek urgent advice from a haematologist if the person has neurological symptoms or
    is pregnant'; the Orobalin SmPC: 'In the event that neuropathy is suspected, parenteral treatment should
    be used'."""
    if s.visit == "review" and s.new_neurological_symptoms and p.action != "refer":
        return f"new neurological symptoms answered {p.action}"
    return None


#: Every invariant, in the order they are reported.
INVARIANTS: tuple[Invariant, ...] = (
    treating_means_exactly_one_regimen_with_a_dose,
    action_summary_next_steps_and_cautions_never_contradict,
    neurology_or_nitrous_oxide_never_no_treatment,
    a_lifelong_cause_is_never_left_without_a_regimen,
    under_16_is_referred_with_no_adult_dose,
    pregnancy_with_treatment_has_the_specialist_step,
    for_life_only_from_a_lifelong_course,
    reversible_causes_get_a_course_that_ends,
    established_deficiency_starts_with_loading,
    us_plans_rest_on_us_sources,
    treating_means_a_prescription_line,
    review_never_stops_a_lifelong_cause,
    review_ends_when_the_cause_is_dealt_with,
    review_new_neurology_is_referred,
    cautions_and_alternatives_suit_the_plan,
)

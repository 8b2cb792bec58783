"""The situation space: every combination of the categories the rules read, as requests.

The rules (calc/decide.py) read only categories: guidance, age band, the lab outcome, the flags, the
causes and the resection, the route preference. So the space of situations is finite and can be walked:
:func:`space` yields one representative request per combination, for the proof over the situation space
(tests/core/test_situation_space.py), the CSV for a clinical safety review, and the benchmark.

``pairwise`` (the default) takes every cause alone and in pairs (with each resection length) x every lab
outcome x neurological symptoms x pregnancy x age band x guidance, and crosses it with a covering array
of the other flags and the route preference (every pair of their values occurs); ``full`` crosses with
all of their combinations.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations, product
from typing import Any

from .model import Guideline

#: One request fragment per lab outcome the rules can tell apart (status, what it rests on, and the
#: figure-dependent flags: a unit-slip reading, a very high level, MMA with and without the lab's limit).
LAB_OUTCOMES: dict[str, dict[str, Any]] = {
    "no result": {},
    "total B12 deficient": {"total_b12": 150},
    "total B12 indeterminate": {"total_b12": 250},
    "total B12 normal": {"total_b12": 500},
    "active B12 deficient": {"active_b12": 20},
    "active B12 indeterminate": {"active_b12": 40},
    "active B12 normal": {"active_b12": 90},
    "total and active B12 discordant": {"total_b12": 150, "active_b12": 90},
    "MMA raised (lab's limit)": {"total_b12": 250, "mma": 0.6, "mma_upper_limit": 0.4},
    "MMA normal (default limit)": {"total_b12": 250, "mma": 0.2},
    "total B12 unit in doubt": {"total_b12": 150, "total_b12_unit": "pmol/L"},
    "total B12 very high": {"total_b12": 2000},
}
#: Lengths of ileal resection the rules tell apart: unknown, short, long (against the data's threshold).
RESECTIONS: tuple[float | None, ...] = (None, 10, 60)
AGES: dict[str, float] = {"adult": 40, "child": 10}
ROUTE_PREFERENCES: tuple[str | None, ...] = (None, "oral", "im")
#: (critically_ill, anticoagulated, needle_phobia, route_preference): every pair of values of any two of
#: these occurs in some row (the first six rows are a covering array of strength 2, the fewest possible).
PAIRWISE_OTHER_FLAGS: tuple[tuple[bool, bool, bool, str | None], ...] = (
    (False, False, False, None),
    (True, True, True, None),
    (False, True, True, "oral"),
    (True, False, False, "oral"),
    (False, False, True, "im"),
    (True, True, False, "im"),
    (True, False, True, None),
    (False, True, False, "im"),
    # Each flag and each preference alone, and all at once: the cases a reviewer looks for first.
    (False, False, False, "oral"),
    (False, False, False, "im"),
    (True, False, False, None),
    (False, True, False, None),
    (False, False, True, None),
    (True, True, True, "im"),
)
FULL_OTHER_FLAGS: tuple[tuple[bool, bool, bool, str | None], ...] = tuple(
    product((False, True), (False, True), (False, True), ROUTE_PREFERENCES)
)


def cause_sets(guideline: Guideline) -> Iterator[tuple[tuple[str, ...], float | None]]:
    """No cause, every cause alone and every pair, each with every resection length when it includes an
    ileal resection."""
    codes = [c.code for c in guideline.causes]
    sets = [(), *((c,) for c in codes), *combinations(codes, 2)]
    for causes in sets:
        for resected in RESECTIONS if "ileal_resection" in causes else (None,):
            yield causes, resected


def space(guideline: Guideline, *, full: bool = False) -> Iterator[dict[str, Any]]:
    """One request per combination (see the module's docstring)."""
    others = FULL_OTHER_FLAGS if full else PAIRWISE_OTHER_FLAGS
    guidances = tuple(guideline.decisions.facts["guidance"].values)
    for (causes, resected), lab, neuro, pregnant, age, guidance, other in product(
        cause_sets(guideline), LAB_OUTCOMES, (False, True), (False, True), AGES, guidances, others
    ):
        critically_ill, anticoagulated, needle_phobia, preference = other
        request: dict[str, Any] = {
            "guidance": guidance,
            "age_years": AGES[age],
            "causes": list(causes),
            "neurological_symptoms": neuro,
            "pregnant_or_breastfeeding": pregnant,
            "critically_ill": critically_ill,
            "anticoagulated": anticoagulated,
            "needle_phobia": needle_phobia,
            **LAB_OUTCOMES[lab],
        }
        if resected is not None:
            request["ileal_resection_cm"] = resected
        if preference is not None:
            request["route_preference"] = preference
        yield request


def describe(request: dict[str, Any]) -> dict[str, str]:
    """The request's categories as columns for the review CSV (the lab outcome by its name)."""
    lab = next(
        name
        for name, fragment in LAB_OUTCOMES.items()
        if all(request.get(k) == v for k, v in fragment.items())
        and not (set(request) & {"total_b12", "active_b12", "mma"}) - set(fragment)
    )
    return {
        "guidance": request["guidance"],
        "age": "child" if request["age_years"] < 16 else "adult",
        "result": lab,
        "causes": " + ".join(request["causes"]) or "none",
        "ileal_resection_cm": f"{request.get('ileal_resection_cm', '')}",
        "neurological_symptoms": "yes" if request["neurological_symptoms"] else "",
        "pregnant_or_breastfeeding": "yes" if request["pregnant_or_breastfeeding"] else "",
        "critically_ill": "yes" if request["critically_ill"] else "",
        "anticoagulated": "yes" if request["anticoagulated"] else "",
        "needle_phobia": "yes" if request["needle_phobia"] else "",
        "route_preference": request.get("route_preference") or "",
    }


def review_space(guideline: Guideline) -> Iterator[dict[str, Any]]:
    """One request per combination a review visit tells apart: no cause or each cause alone (a long
    resection for an ileal resection) x current route x response x new neurological symptoms x adherence x
    intrinsic factor antibodies x coeliac serology x cause dealt with x pregnancy x guidance."""
    codes = [None, *(c.code for c in guideline.causes)]
    guidances = tuple(guideline.decisions.facts["guidance"].values)
    for cause, route, response, neuro, adherence, ifab, coeliac, resolved, pregnant, guidance in product(
        codes,
        ("oral", "im"),
        ("resolved", "improved", "unchanged", "worse"),
        (False, True),
        ("good", "poor"),
        (None, "positive", "negative"),
        (None, "positive"),
        (False, True),
        (False, True),
        guidances,
    ):
        request: dict[str, Any] = {
            "visit": "review",
            "guidance": guidance,
            "age_years": AGES["adult"],
            "total_b12": 150,
            "causes": [cause] if cause else [],
            "current_treatment": route,
            "response": response,
            "new_neurological_symptoms": neuro,
            "adherence": adherence,
            "cause_resolved": resolved,
            "pregnant_or_breastfeeding": pregnant,
        }
        if cause == "ileal_resection":
            request["ileal_resection_cm"] = 60
        if ifab:
            request["intrinsic_factor_antibodies"] = ifab
        if coeliac:
            request["coeliac_serology"] = coeliac
        yield request

"""The situation: what the rules after the lab assessment read.

The lab assessment (calc/lab.py) turns the figures into a band. The rules after it (route, regimens, plan,
advice) read only categories: the guidance, the flags, the causes, the lab's outcome, whether the patient
is a child, and how the figures compare with the data's thresholds. :class:`Situation` holds exactly
those, so two requests in the same situation get the same decisions, and calc/evaluate.py works them out
once per situation (typing another figure in the same band re-uses them). The rules take a
``Situation``, never a ``Request``: mypy rejects a rule that reads anything the situation does not hold.
Figures that end up in text (a warning's "{value}") are filled in per request by calc/advice.py.
"""

from __future__ import annotations

from operator import attrgetter
from typing import NamedTuple

from .lab import LabAssessment
from .model import Guideline
from .request import Request
from .units import total_b12_to_ng_per_l


class LabOutcome(NamedTuple):
    """The parts of a :class:`~calc.lab.LabAssessment` that the later rules read (no figures, except
    those already written into ``rule_text``)."""

    status: str
    rule_text: str
    refs: tuple[str, ...]
    total_b12_band: str | None
    mma_used: bool
    mma_default_limit_used: bool
    test: str  # what the status rests on: none | total | active | mma (the decision table's lab_test)


class Situation(NamedTuple):
    """A memo key as much as a value: a named tuple, so building and hashing it is cheap (evaluate makes
    one per request)."""

    guidance: str
    child: bool  # under the data's NICE minimum age (16)
    # Every boolean request field (calc/request.py FLAG_FIELDS), for the data's "flag:" triggers.
    pregnant_or_breastfeeding: bool
    neurological_symptoms: bool
    critically_ill: bool
    anticoagulated: bool
    needle_phobia: bool
    weekdays_only: bool
    causes: tuple[str, ...]
    ileal_resection_cm: float | None  # compared with the data's resection threshold
    route_preference: str | None
    # A review visit's answers (request fields of the same names; "first" visits leave them empty).
    visit: str
    current_treatment: str | None
    response: str | None
    new_neurological_symptoms: bool
    adherence: str | None
    intrinsic_factor_antibodies: str | None
    coeliac_serology: str | None
    cause_resolved: bool
    lab: LabOutcome
    very_high_total_b12: bool  # above the data's very-high threshold
    #: (other unit, band if read in it, band as entered) when reading the total B12 figure in the other
    #: family of units would change its band; else None.
    other_unit_reading: tuple[str, str, str] | None


def is_child(request: Request, guideline: Guideline) -> bool:
    return request.age_years is not None and request.age_years < guideline.meta.nice_min_age_years


def other_unit_reading(
    request: Request, lab: LabAssessment, guideline: Guideline
) -> tuple[str, str, str] | None:
    """The unit-slip check: the band the total B12 figure would fall in, read in the other unit family
    (ng/L or pg/mL vs pmol/L), when that band differs from the one as entered."""
    if request.total_b12 is None or request.total_b12_ng_per_l is None or lab.total_b12_band is None:
        return None
    other = "ng/L" if request.total_b12_unit == "pmol/L" else "pmol/L"
    as_other = total_b12_to_ng_per_l(request.total_b12, other, guideline.molar_mass_g_per_mol)
    other_band = guideline.band("total_b12").classify(as_other)
    if other_band == lab.total_b12_band:
        return None
    return other, other_band, lab.total_b12_band


def lab_test(request: Request, lab: LabAssessment) -> str:
    """What the lab status rests on: no test, total B12 alone, active B12 (alone or with total B12), or
    MMA after an indeterminate first-line result."""
    if lab.mma_used:
        return "mma"
    if request.active_b12 is not None:
        return "active"
    return "total" if request.total_b12 is not None else "none"


def situation_of(request: Request, lab: LabAssessment, guideline: Guideline) -> Situation:
    total = request.total_b12_ng_per_l
    return Situation(
        **dict(zip(_COPIED_FIELDS, _copied_values(request), strict=True)),
        child=is_child(request, guideline),
        lab=LabOutcome._make((*_lab_outcome_values(lab), lab_test(request, lab))),
        very_high_total_b12=total is not None and total > guideline.plan.very_high_total_b12_ng_per_l,
        other_unit_reading=other_unit_reading(request, lab, guideline),
    )


#: The situation's fields that are the request's own, copied by name (the rest are worked out above).
_COPIED_FIELDS = tuple(name for name in Situation._fields if name in Request.__dataclass_fields__)
_copied_values = attrgetter(*_COPIED_FIELDS)
_lab_outcome_values = attrgetter(*(f for f in LabOutcome._fields if f != "test"))

"""Interpretation of B12 test results against NICE NG239's bands, with MMA as the second-line test."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Guideline
from .request import Request
from .units import ng_per_l_to_pmol_per_l


@dataclass(frozen=True, slots=True)
class LabAssessment:
    status: str
    rule: str
    rule_text: str
    total_b12_ng_per_l: float | None
    total_b12_pmol_per_l: float | None
    total_b12_band: str | None
    active_b12_band: str | None
    mma_used: bool
    mma_default_limit_used: bool
    mma_upper_limit_umol_per_l: float | None
    within_nice_scope: bool
    notes: tuple[str, ...]
    next_steps: tuple[str, ...]
    refs: tuple[str, ...] = field(default=())


def _round(value: float | None, places: int = 1) -> float | None:
    return None if value is None else round(value, places)


def assess_lab_result(request: Request, guideline: Guideline) -> LabAssessment:
    """Classify the first-line tests (total and/or active B12), then let MMA settle an indeterminate
    result. Rules, in order:

    0. under 16 with a result -> ``not_interpreted``: NICE's bands are adult values, so no band is stated
       as a diagnosis (the plan refers instead);
    1. no total or active B12 -> ``not_tested`` (MMA alone is not interpreted: NICE uses it only after
       an indeterminate first-line test);
    2. one first-line test, or two in the same band -> that band;
    3. two tests in different bands -> ``indeterminate`` ("discordant results"), MMA as the next step;
    4. indeterminate and MMA given -> ``deficient`` if MMA is above the upper limit, else ``unlikely``.
    """
    total_band_def = guideline.band("total_b12")
    active_band_def = guideline.band("active_b12")
    total_ng = request.total_b12_ng_per_l
    total_band = total_band_def.classify(total_ng) if total_ng is not None else None
    active_band = active_band_def.classify(request.active_b12) if request.active_b12 is not None else None
    refs: list[str] = []
    notes: list[str] = []
    in_scope = request.age_years is None or request.age_years >= guideline.meta.nice_min_age_years
    if not in_scope:
        notes.append(
            f"NICE's bands apply to people aged {guideline.meta.nice_min_age_years} and over; "
            "interpret a child's result against paediatric reference ranges."
        )

    if not in_scope and (total_band is not None or active_band is not None):
        # Adult bands are not a child's diagnosis: keep the values (converted), state no band.
        return LabAssessment(
            status="not_interpreted",
            rule="paediatric_ranges",
            rule_text=(
                f"Under {guideline.meta.nice_min_age_years}: NICE's bands are for adults, so this result is "
                "not classified here. Interpret it against the laboratory's paediatric reference range."
            ),
            total_b12_ng_per_l=_round(total_ng),
            total_b12_pmol_per_l=_round(
                None if total_ng is None else ng_per_l_to_pmol_per_l(total_ng, guideline.molar_mass_g_per_mol)
            ),
            total_b12_band=None,
            active_b12_band=None,
            mma_used=False,
            mma_default_limit_used=False,
            mma_upper_limit_umol_per_l=request.mma_upper_limit_umol_per_l,
            within_nice_scope=False,
            notes=tuple(notes),
            next_steps=("Ask a paediatric specialist to interpret the result and advise on treatment.",),
            refs=tuple(dict.fromkeys(("nice-ng239", *total_band_def.refs))),
        )

    bands = [b for b in (total_band, active_band) if b is not None]
    if total_band is not None:
        refs += total_band_def.refs
    if active_band is not None:
        refs += [r for r in active_band_def.refs if r not in refs]

    if not bands:
        status, rule = "not_tested", "no_first_line_test"
        rule_text = "No total or active B12 result was given."
        if request.mma_umol_per_l is not None:
            notes.append(
                "MMA on its own is not interpreted here: NICE uses it after an indeterminate "
                "total or active B12 result."
            )
    elif len(bands) == 2 and bands[0] != bands[1]:
        status, rule = "indeterminate", "discordant_results"
        rule_text = (
            f"Discordant results: total B12 is {total_band} and active B12 is {active_band} "
            "by NICE's bands, so the combined result is indeterminate."
        )
        notes.append("Discordant results: total and active B12 fall in different bands.")
    else:
        status = bands[0]
        if len(bands) == 2:
            rule = "concordant_results"
            rule_text = f"Total and active B12 are both in NICE's '{status}' band."
        elif total_band is not None:
            rule = "total_b12_band"
            rule_text = _band_text(
                "Total B12",
                total_band,
                total_band_def.deficient_below,
                total_band_def.unlikely_above,
                total_band_def.unit,
            )
        else:
            rule = "active_b12_band"
            rule_text = _band_text(
                "Active B12",
                status,
                active_band_def.deficient_below,
                active_band_def.unlikely_above,
                active_band_def.unit,
            )

    mma_used = False
    default_limit_used = False
    upper = request.mma_upper_limit_umol_per_l
    if status == "indeterminate" and request.mma_umol_per_l is not None:
        mma_used = True
        if upper is None:
            upper = guideline.mma_default_upper_limit_umol_per_l
            default_limit_used = True
        # NICE's "consider MMA" step (BMJ summary) and the source of the default limit.
        refs += [r for r in ("sands-2024-bmj", *guideline.mma_refs) if r not in refs]
        limit_text = f"{upper:g} µmol/L" + (
            " (default; not the lab's own limit)" if default_limit_used else " (lab's upper limit)"
        )
        if request.mma_umol_per_l > upper:
            status, rule = "deficient", "mma_above_upper_limit"
            rule_text += (
                f" MMA {request.mma_umol_per_l:g} µmol/L is above {limit_text}: deficiency confirmed by MMA."
            )
        else:
            status, rule = "unlikely", "mma_within_upper_limit"
            rule_text += (
                f" MMA {request.mma_umol_per_l:g} µmol/L is at or below {limit_text}: deficiency unlikely."
            )
    elif request.mma_umol_per_l is not None and status != "not_tested":
        notes.append("MMA was not needed: the first-line result is not indeterminate.")

    return LabAssessment(
        status=status,
        rule=rule,
        rule_text=rule_text,
        total_b12_ng_per_l=_round(total_ng),
        total_b12_pmol_per_l=_round(
            ng_per_l_to_pmol_per_l(total_ng, guideline.molar_mass_g_per_mol) if total_ng is not None else None
        ),
        total_b12_band=total_band,
        active_b12_band=active_band,
        mma_used=mma_used,
        mma_default_limit_used=default_limit_used,
        mma_upper_limit_umol_per_l=upper if mma_used else request.mma_upper_limit_umol_per_l,
        within_nice_scope=in_scope,
        notes=tuple(notes),
        next_steps=tuple(_next_steps(status, request)),
        refs=tuple(refs) or ("sands-2024-bmj",),
    )


def _band_text(label: str, band: str, low: float, high: float, unit: str) -> str:
    where = {
        "deficient": f"below {low:g} {unit}",
        "indeterminate": f"between {low:g} and {high:g} {unit} inclusive",
        "unlikely": f"above {high:g} {unit}",
    }[band]
    return f"{label} is {where}: NICE's '{band}' band."


def _next_steps(status: str, request: Request) -> list[str]:
    steps = {
        "deficient": ["Start replacement (see the plan) and look for the cause."],
        "indeterminate": [
            "If the person has symptoms or signs of deficiency, consider measuring MMA (NICE), and judge it "
            "against the lab's upper limit and kidney function."
        ],
        "unlikely": ["Deficiency is unlikely: consider other causes of the symptoms."],
        "not_tested": [
            "Offer a total or active B12 test if the person has at least one symptom or sign and at "
            "least one risk factor (NICE); in pregnancy, active B12 is preferred."
        ],
    }[status]
    if request.neurological_symptoms and status != "unlikely":
        steps.append("Neurological symptoms: start treatment now; do not wait for results.")
    return steps

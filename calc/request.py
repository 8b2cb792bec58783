"""The request side of the contract: which fields exist, and turning a raw mapping into a validated
:class:`Request` -- or an :class:`InputError` that lists every bad field at once.

``REQUEST_FIELDS`` is the single description of the inputs: the CLI builds its flags from it, the site
renders the calculator form and the field table from it, and the validator below enforces it.
"""

from __future__ import annotations

import math
import re
import reprlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from typing import Any, Literal

from .errors import FieldError, InputError
from .holidays import DEFAULT_HOLIDAY_REGION, HOLIDAY_REGION_LABELS
from .model import Guideline
from .typed_numbers import AMBIGUOUS, COMPARISON, read_typed_number
from .units import (
    MMA_UNITS,
    TOTAL_B12_UNITS,
    canonical_unit,
    display_unit,
    mma_to_umol_per_l,
    same_scale,
    total_b12_to_ng_per_l,
)

FieldKind = Literal["number", "unit", "boolean", "causes", "choice", "date", "regimen"]
Group = Literal["visit", "lab", "patient", "causes", "review", "preferences"]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    kind: FieldKind
    group: Group
    label: str
    hint: str
    unit: str = ""  # for numbers: the fixed unit, or the name of the field that holds the unit
    choices: tuple[str, ...] = ()
    default: str | None = None


#: How the guidance choices read on screen and in text (the value itself stays the contract's).
GUIDANCE_LABELS: dict[str, str] = {"uk": "UK guidance", "us": "US guidance"}

REQUEST_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "visit",
        "choice",
        "visit",
        "Visit",
        "A first visit plans treatment; a review answers what to do next on treatment or with new results.",
        choices=("first", "review"),
        default="first",
    ),
    FieldSpec(
        "guidance",
        "choice",
        "preferences",
        "Guidance",
        "Whose guidance the plan follows; the other's regimens stay listed for comparison.",
        choices=tuple(GUIDANCE_LABELS),
        default="uk",
    ),
    FieldSpec(
        "total_b12",
        "number",
        "lab",
        "Total B12",
        "Serum cobalamin, as reported by the lab.",
        unit="total_b12_unit",
    ),
    FieldSpec(
        "total_b12_unit",
        "unit",
        "lab",
        "Total B12 unit",
        "ng/L and pg/mL are the same quantity.",
        choices=TOTAL_B12_UNITS,
        default="ng/L",
    ),
    FieldSpec("active_b12", "number", "lab", "Active B12", "Holotranscobalamin, in pmol/L.", unit="pmol/L"),
    FieldSpec(
        "mma",
        "number",
        "lab",
        "Methylmalonic acid (MMA)",
        "Used only when total or active B12 is indeterminate.",
        unit="mma_unit",
    ),
    FieldSpec(
        "mma_unit", "unit", "lab", "MMA unit", "1 umol/L = 1000 nmol/L.", choices=MMA_UNITS, default="umol/L"
    ),
    FieldSpec(
        "mma_upper_limit",
        "number",
        "lab",
        "Lab's MMA upper limit",
        "The upper reference limit on the lab report, in the same unit as MMA.",
        unit="mma_unit",
    ),
    FieldSpec("age_years", "number", "patient", "Age", "NICE's logic applies from age 16.", unit="years"),
    FieldSpec(
        "pregnant_or_breastfeeding",
        "boolean",
        "patient",
        "Pregnant or breastfeeding",
        "Review after 1 month instead of 3.",
    ),
    FieldSpec(
        "neurological_symptoms",
        "boolean",
        "patient",
        "Neurological symptoms",
        "For example pins and needles, numbness, unsteadiness, memory or vision changes.",
    ),
    FieldSpec("critically_ill", "boolean", "patient", "Critically ill", "Favours injections."),
    FieldSpec(
        "anticoagulated",
        "boolean",
        "patient",
        "Taking an anticoagulant",
        "Intramuscular injections carry a bleeding risk.",
    ),
    FieldSpec("needle_phobia", "boolean", "preferences", "Needle phobia", "Favours oral treatment."),
    FieldSpec("causes", "causes", "causes", "Cause or risk factor", "Tick all that apply."),
    FieldSpec(
        "ileal_resection_cm",
        "number",
        "causes",
        "Length of ileum resected",
        "From the operation note; a long resection warrants lifelong replacement.",
        unit="cm",
    ),
    FieldSpec(
        "current_treatment",
        "choice",
        "review",
        "Current treatment",
        "The route the patient is on now.",
        choices=("oral", "im"),
    ),
    FieldSpec(
        "weeks_on_treatment",
        "number",
        "review",
        "Weeks on treatment",
        "Since treatment started.",
        unit="weeks",
    ),
    FieldSpec(
        "response",
        "choice",
        "review",
        "Response",
        "How the symptoms have changed on treatment.",
        choices=("resolved", "improved", "unchanged", "worse"),
    ),
    FieldSpec(
        "new_neurological_symptoms",
        "boolean",
        "review",
        "New or worse neurological symptoms",
        "Since the last visit: numbness, pins and needles, unsteadiness, memory or vision changes.",
    ),
    FieldSpec(
        "adherence",
        "choice",
        "review",
        "Taking it as prescribed",
        "Tablets taken daily, or injections given on time.",
        choices=("good", "poor"),
    ),
    FieldSpec(
        "intrinsic_factor_antibodies",
        "choice",
        "review",
        "Intrinsic factor antibodies",
        "If the result is back.",
        choices=("positive", "negative"),
    ),
    FieldSpec(
        "coeliac_serology",
        "choice",
        "review",
        "Coeliac serology",
        "If the result is back.",
        choices=("positive", "negative"),
    ),
    FieldSpec(
        "cause_resolved",
        "boolean",
        "review",
        "The cause has been dealt with",
        "For example the diet has improved, nitrous oxide or the medicine has stopped.",
    ),
    FieldSpec(
        "route_preference",
        "choice",
        "preferences",
        "Preferred route",
        "Honoured unless a safety reason points the other way.",
        choices=("oral", "im"),
    ),
    FieldSpec(
        "start_date", "date", "preferences", "Start date",
        "The first dose's date: the schedule and the review are dated from it."
    ),
    FieldSpec(
        "weekdays_only",
        "boolean",
        "preferences",
        "Working days only (skip weekends and bank holidays)",
        "Injections, the reassessment and the review move to the next working day, never closer together "
        "than the regimen's own interval.",
    ),
    FieldSpec(
        "holiday_region",
        "choice",
        "preferences",
        "Bank holidays of",
        "The UK nation whose bank holidays a working-days schedule skips.",
        choices=tuple(HOLIDAY_REGION_LABELS),
        default=DEFAULT_HOLIDAY_REGION,
    ),
    FieldSpec(
        "schedule_regimen_id",
        "regimen",
        "preferences",
        "Regimen to schedule",
        "One of the regimens shown in the result; empty means the plan's regimen.",
    ),
)
FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in REQUEST_FIELDS)
FLAG_FIELDS: tuple[str, ...] = tuple(f.name for f in REQUEST_FIELDS if f.kind == "boolean")
DATE_FIELDS: tuple[str, ...] = tuple(f.name for f in REQUEST_FIELDS if f.kind == "date")
_KNOWN_FIELDS = frozenset(FIELD_NAMES)
_FIELD_VALUES = attrgetter(*FIELD_NAMES)  # one C-level call for the echo of every field
_SPECS: dict[str, FieldSpec] = {f.name: f for f in REQUEST_FIELDS}
#: The choice fields of a review visit (and the visit itself), validated alike.
REVIEW_CHOICES = (
    "visit", "current_treatment", "response", "adherence", "intrinsic_factor_antibodies", "coeliac_serology"
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class Request:
    """A validated request, with lab values also held in their canonical units."""

    total_b12: float | None = None
    total_b12_unit: str = "ng/L"
    active_b12: float | None = None
    mma: float | None = None
    mma_unit: str = "umol/L"
    mma_upper_limit: float | None = None
    age_years: float | None = None
    pregnant_or_breastfeeding: bool = False
    neurological_symptoms: bool = False
    critically_ill: bool = False
    anticoagulated: bool = False
    needle_phobia: bool = False
    causes: tuple[str, ...] = ()
    ileal_resection_cm: float | None = None
    route_preference: str | None = None
    start_date: date | None = None
    guidance: str = "uk"
    weekdays_only: bool = False
    holiday_region: str = DEFAULT_HOLIDAY_REGION
    schedule_regimen_id: str | None = None
    visit: str = "first"
    current_treatment: str | None = None
    weeks_on_treatment: float | None = None
    response: str | None = None
    new_neurological_symptoms: bool = False
    adherence: str | None = None
    intrinsic_factor_antibodies: str | None = None
    coeliac_serology: str | None = None
    cause_resolved: bool = False
    # canonical values, derived by parse_request
    total_b12_ng_per_l: float | None = None
    mma_umol_per_l: float | None = None
    mma_upper_limit_umol_per_l: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """The request as a JSON-friendly echo (only the contract's fields)."""
        out = dict(zip(FIELD_NAMES, _FIELD_VALUES(self), strict=True))
        for name in DATE_FIELDS:
            if out[name] is not None:
                out[name] = out[name].isoformat()
        out["causes"] = list(self.causes)
        return out


_SHOW = reprlib.Repr()  # keyword arguments only arrived in Python 3.12
_SHOW.maxlevel, _SHOW.maxstring, _SHOW.maxother, _SHOW.maxlist, _SHOW.maxdict = 2, 40, 40, 4, 4


def _show(value: object) -> str:
    """A short, bounded repr of user input for messages (never the whole of a huge or deep value)."""
    return _SHOW.repr(value)


def _fmt(value: float) -> str:
    return f"{value:g}"


def _either(units: tuple[str, ...]) -> str:
    shown = [display_unit(u) for u in units]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"


class _Collector:
    """Validates one field at a time and keeps every error, so the user sees them all at once."""

    def __init__(self, raw: Mapping[str, Any], guideline: Guideline) -> None:
        self.raw = raw
        self.guideline = guideline
        self.errors: list[FieldError] = []

    def fail(self, field_name: str, message: str) -> None:
        self.errors.append(FieldError(field_name, message))

    def get(self, name: str) -> Any:
        value = self.raw.get(name)
        # JSON null and an empty form field both mean "not given".
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return value

    def number(self, name: str, label: str, unit: str | None = None) -> float | None:
        """A number field: a JSON number, or the text as typed (calc/typed_numbers.py). ``unit`` is the unit
        the figure is entered in (the unit field's value, or the field's fixed unit); None when the unit
        field is itself bad, so a unit typed with the figure is checked only against the field's units."""
        value = self.get(name)
        if value is None:
            return None
        if isinstance(value, str):
            value = self._typed(name, label, value, unit)
            if value is None:
                return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(name, f"{label} must be a number, not {_show(value)}.")
            return None
        try:
            value = float(value)
        except OverflowError:  # an int too large for a float
            self.fail(name, f"{label} is far too large to be a measurement.")
            return None
        if not math.isfinite(value):
            self.fail(name, f"{label} must be a finite number.")
            return None
        if value < 0:
            self.fail(name, f"{label} cannot be negative.")
            return None
        return float(value)

    def _typed(self, name: str, label: str, text: str, unit: str | None) -> float | str | None:
        """The figure a typed text states, checked against a unit typed with it; None after a field error
        (the text itself when it is no number, for the caller's message)."""
        read = read_typed_number(text)
        if read.problem == COMPARISON:
            self.fail(
                name,
                f"{label} {_show(text.strip())} is a bound, not a figure: enter a number. "
                "If the lab reported it as below a detection limit, enter that limit.",
            )
            return None
        if read.problem == AMBIGUOUS:
            assert read.readings is not None
            grouped, decimal = map(_fmt, read.readings)
            self.fail(
                name,
                f"{label} {_show(text.strip())} could mean {grouped} or {decimal}: type it without a "
                f"thousands separator ({grouped}), or with a decimal point ({decimal}).",
            )
            return None
        if read.value is None:
            return text
        if not math.isfinite(read.value):  # "1e400": a number, but beyond any float
            self.fail(name, f"{label} is far too large to be a measurement.")
            return None
        if read.unit and not self._typed_unit_agrees(name, label, read.unit, unit):
            return None
        return read.value

    def _typed_unit_agrees(self, name: str, label: str, typed_text: str, unit: str | None) -> bool:
        """A unit typed with the figure must be one of the field's and mean the same as the unit chosen:
        never a silent conversion (HAZ unit slip: pmol/L vs ng/L, µmol/L vs nmol/L)."""
        spec = _SPECS[name]
        unit_field = spec.unit if spec.unit.endswith("_unit") else None
        allowed = _SPECS[unit_field].choices if unit_field else (spec.unit,)
        typed = canonical_unit(typed_text)
        if typed not in allowed:
            self.fail(name, f"{label} is entered in {_either(allowed)}, not {_show(typed_text)}.")
            return False
        assert typed is not None
        if unit is None or same_scale(typed, unit):
            return True
        if unit_field is None:  # a fixed unit: only its own spellings are allowed above
            return True
        self.fail(
            name,
            f"{label} is typed in {display_unit(typed)} but the unit chosen is {display_unit(unit)}: "
            f"choose {display_unit(typed)} as the unit, or correct the figure.",
        )
        return False

    def unit(self, name: str, allowed: tuple[str, ...], default: str) -> str | None:
        value = self.get(name)
        if value is None:
            return default
        if isinstance(value, str):
            # Labs print "ng/l" and "ng/L" alike: the spellings of calc/units.py, in the contract's form.
            match = canonical_unit(value)
            if match in allowed:
                return match
        self.fail(name, f"Unknown unit {_show(value)}: choose one of {', '.join(allowed)}.")
        return None

    def flag(self, name: str, label: str) -> bool:
        value = self.get(name)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.fail(name, f"{label} must be true or false, not {_show(value)}.")
            return False
        return value

    def within_limit(
        self, name: str, label: str, value: float, shown: float, unit: str, hint: str = ""
    ) -> bool:
        """Check ``value`` (canonical unit) against the data's plausibility limit; ``shown`` is the value
        in the unit the user chose, for the message."""
        limit = self.guideline.limit(name)
        if limit.admits(value):
            return True
        if limit.min_exclusive is not None and value <= limit.min_exclusive:
            self.fail(
                name,
                f"{label} must be greater than {_fmt(limit.min_exclusive)} {display_unit(limit.unit)}. "
                "If the lab reported it as below a detection limit, enter that limit.",
            )
        else:
            assert limit.max is not None
            self.fail(
                name,
                f"{label} of {_fmt(shown)} {display_unit(unit)} is outside the plausible range "
                f"({_fmt(limit.lower)}-{_fmt(limit.max)} {display_unit(limit.unit)}). "
                f"{hint}{limit.rationale}",
            )
        return False


def parse_request(raw: Mapping[str, Any], guideline: Guideline) -> Request:
    """Validate ``raw`` against the contract; raise :class:`InputError` listing every bad field."""
    if not isinstance(raw, Mapping):
        raise InputError([FieldError("request", "The request must be an object of named fields.")])
    c = _Collector(raw, guideline)
    for key in raw:
        if key not in _KNOWN_FIELDS:
            name = key if isinstance(key, str) and len(key) <= 100 else _show(key)
            c.fail(name, f"Unknown field {_show(key)}. Known fields: {', '.join(FIELD_NAMES)}.")

    molar_mass = guideline.molar_mass_g_per_mol
    total_unit = c.unit("total_b12_unit", TOTAL_B12_UNITS, "ng/L")
    total = c.number("total_b12", "Total B12", total_unit)
    total_ng = None
    if total is not None and total_unit is not None:
        total_ng = total_b12_to_ng_per_l(total, total_unit, molar_mass)
        if not c.within_limit("total_b12", "Total B12", total_ng, total, total_unit):
            total_ng = None

    active = c.number("active_b12", "Active B12", "pmol/L")
    if active is not None and not c.within_limit("active_b12", "Active B12", active, active, "pmol/L"):
        active = None

    mma_unit = c.unit("mma_unit", MMA_UNITS, "umol/L")
    mma = c.number("mma", "MMA", mma_unit)
    upper = c.number("mma_upper_limit", "MMA upper limit", mma_unit)
    mma_umol = upper_umol = None
    if mma_unit is not None:
        if mma is not None:
            mma_umol = mma_to_umol_per_l(mma, mma_unit)
            # A unit slip shows as a value far outside the range: name the other unit when it would fit.
            other = "nmol/L" if mma_unit == "umol/L" else "umol/L"
            fits_other = guideline.limit("mma").admits(mma_to_umol_per_l(mma, other))
            shown = display_unit(other)
            slip = f"If your lab reports MMA in {shown}, choose {shown}. " if fits_other else ""
            if not c.within_limit("mma", "MMA", mma_umol, mma, mma_unit, slip):
                mma_umol = None
        if upper is not None:
            upper_umol = mma_to_umol_per_l(upper, mma_unit)
            other = "nmol/L" if mma_unit == "umol/L" else display_unit("umol/L")
            hint = f"It looks like a value in {other}: check the MMA unit. "
            if not c.within_limit("mma_upper_limit", "MMA upper limit", upper_umol, upper, mma_unit, hint):
                upper_umol = None

    age = c.number("age_years", "Age", "years")
    if age is not None and not c.within_limit("age_years", "Age", age, age, "years"):
        age = None
    resection = c.number("ileal_resection_cm", "Length of ileum resected", "cm")
    if resection is not None and not c.within_limit(
        "ileal_resection_cm", "Length of ileum resected", resection, resection, "cm"
    ):
        resection = None

    weeks = c.number("weeks_on_treatment", "Weeks on treatment", "weeks")
    label = "Weeks on treatment"
    if weeks is not None and not c.within_limit("weeks_on_treatment", label, weeks, weeks, "weeks"):
        weeks = None
    review = {name: _choice(c, _spec(name)) for name in REVIEW_CHOICES}

    flags = {name: c.flag(name, _label(name)) for name in FLAG_FIELDS}
    _impossible_combinations(c, age, weeks, flags["pregnant_or_breastfeeding"])
    causes = _causes(c, guideline)
    preference = _choice(c, _spec("route_preference"))
    guidance = _choice(c, _spec("guidance"))
    holiday_region = _choice(c, _spec("holiday_region"))
    start = _start_date(c, guideline)
    schedule_regimen = _regimen_id(c, guideline)

    if c.errors:
        order = {name: i for i, name in enumerate(FIELD_NAMES)}
        raise InputError(sorted(c.errors, key=lambda e: order.get(e.field, len(order))))
    return Request(
        total_b12=total,
        total_b12_unit=total_unit or "ng/L",
        active_b12=active,
        mma=mma,
        mma_unit=mma_unit or "umol/L",
        mma_upper_limit=upper,
        age_years=age,
        causes=causes,
        ileal_resection_cm=resection,
        route_preference=preference,
        start_date=start,
        guidance=guidance or "uk",
        holiday_region=holiday_region or DEFAULT_HOLIDAY_REGION,
        schedule_regimen_id=schedule_regimen,
        weeks_on_treatment=weeks,
        visit=review["visit"] or "first",
        current_treatment=review["current_treatment"],
        response=review["response"],
        adherence=review["adherence"],
        intrinsic_factor_antibodies=review["intrinsic_factor_antibodies"],
        coeliac_serology=review["coeliac_serology"],
        total_b12_ng_per_l=total_ng,
        mma_umol_per_l=mma_umol,
        mma_upper_limit_umol_per_l=upper_umol,
        **flags,
    )


#: Weeks in a year (365.25 days), to compare a time on treatment with the patient's age.
WEEKS_PER_YEAR = 365.25 / 7


def _impossible_combinations(c: _Collector, age: float | None, weeks: float | None, pregnant: bool) -> None:
    """Fields each valid on its own that no patient can have together: a field message on the field that
    is the likelier slip, naming the other (checked only when both values passed their own checks)."""
    if age is None:
        return
    limit = c.guideline.limit("pregnant_or_breastfeeding")
    if pregnant and not limit.admits(age):
        c.fail(
            "pregnant_or_breastfeeding",
            f"Pregnant or breastfeeding at age {_fmt(age)}: check the age, or untick this box. "
            f"{limit.rationale}",
        )
    if weeks is not None and weeks > age * WEEKS_PER_YEAR:
        c.fail(
            "weeks_on_treatment",
            f"{_fmt(weeks)} weeks on treatment is longer than the patient has lived (age {_fmt(age)}): "
            "check both.",
        )


def _label(name: str) -> str:
    return _SPECS[name].label


#: The cause code used before vegan and other low intake were told apart (their durations differ).
RETIRED_DIETARY_CAUSE = "dietary"


def _causes(c: _Collector, guideline: Guideline) -> tuple[str, ...]:
    value = c.get("causes")
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, list | tuple):
        c.fail("causes", "Causes must be a list of cause codes.")
        return ()
    known = [cause.code for cause in guideline.causes]
    unknown = [v for v in value if not isinstance(v, str) or v not in known]
    if unknown == [RETIRED_DIETARY_CAUSE]:  # a link or script from before the diet causes were split
        c.fail(
            "causes",
            "'dietary' is now two causes: choose 'vegan' (vegan diet) or 'low_intake' (other low intake).",
        )
        return ()
    if unknown:
        c.fail(
            "causes",
            f"Unknown cause(s) {', '.join(map(_show, unknown[:5]))}: choose from {', '.join(known)}.",
        )
        return ()
    # Keep the data's order and drop repeats, so equal requests give equal results.
    return tuple(code for code in known if code in value)


def _spec(name: str) -> FieldSpec:
    return _SPECS[name]


def _choice(c: _Collector, spec: FieldSpec) -> str | None:
    """One of the field's choices (matched without regard to case), else None (the contract's default)."""
    value = c.get(spec.name)
    if value is None:
        return spec.default
    wanted = value.strip().lower() if isinstance(value, str) else None
    match = wanted if wanted in spec.choices else None
    if match is None:
        quoted = " or ".join(f"'{ch}'" for ch in spec.choices)
        c.fail(spec.name, f"{spec.label} must be {quoted}, not {_show(value)}.")
    return match


def _regimen_id(c: _Collector, guideline: Guideline) -> str | None:
    value = c.get("schedule_regimen_id")
    if value is None:
        return None
    known = {r.id for r in guideline.regimens}
    if not isinstance(value, str) or value not in known:
        c.fail("schedule_regimen_id", f"Unknown regimen {_show(value)}: choose one shown in the result.")
        return None
    return value


def _start_date(c: _Collector, guideline: Guideline) -> date | None:
    value = c.get("start_date")
    if value is None:
        return None
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        c.fail("start_date", f"Start date must be a date written YYYY-MM-DD, not {_show(value)}.")
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        c.fail("start_date", f"{_show(value)} is not a real calendar date.")
        return None
    limit = guideline.limit("start_date")
    if not limit.admits(parsed.year):
        c.fail(
            "start_date",
            f"Start date year {parsed.year} is outside {_fmt(limit.lower)}-"
            f"{_fmt(limit.max or 0)}. {limit.rationale}",
        )
        return None
    return parsed

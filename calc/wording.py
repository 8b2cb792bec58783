"""Plain-text wording of doses, intervals and phases, shared by every renderer (result, CLI, site tables)
so a regimen reads the same everywhere."""

from __future__ import annotations

from .model import Amount, Phase, Regimen, Span
from .vocabulary import ROUTE_WORDS

#: Between the ends of a range ("2 to 3 months"): an en dash (U+2013), as typeset, not a hyphen.
RANGE = "\u2013"
_ADVERBS = {"day": "daily", "week": "weekly", "month": "monthly"}
_OPEN = {
    "indefinite": "indefinitely",
    "lifelong": "for life",
    "until_no_further_improvement": "until no further improvement",
    "until_remission": "until full remission",
    "until_blood_count_normal": "until the blood count is normal",
}


def format_amount(amount: Amount) -> str:
    """Micrograms, with mg alongside for 1000 ug and above so a mg/ug slip is visible."""

    def one(value: float) -> str:
        return f"{value:g}"

    mg = amount.min >= 1000
    if amount.max is None:
        return f"at least {one(amount.min)} µg" + (f" ({amount.min / 1000:g} mg)" if mg else "")
    if amount.max == amount.min:
        return f"{one(amount.min)} µg" + (f" ({amount.min / 1000:g} mg)" if mg else "")
    text = f"{one(amount.min)}{RANGE}{one(amount.max)} µg"
    if amount.min >= 1000:
        text += f" ({amount.min / 1000:g}{RANGE}{amount.max / 1000:g} mg)"
    return text


def plural(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def describe_span(span: Span) -> str:
    if span.n_max is None:
        return plural(span.n, span.unit)
    return f"{span.n}{RANGE}{span.n_max} {span.unit}s"


def describe_interval(every: Span, times: int = 1) -> str:
    if times > 1:
        per = f"a {every.unit}" if every.n == 1 and every.n_max is None else f"every {describe_span(every)}"
        return f"{times} times {per}"
    if every.n == 1 and every.n_max is None:
        return _ADVERBS[every.unit]
    if every.unit == "day" and every.n == 2 and every.n_max is None:
        return "on alternate days"
    return f"every {describe_span(every)}"


def describe_duration(phase: Phase) -> str:
    if isinstance(phase.duration, Span):
        return f"for {describe_span(phase.duration)}"
    return _OPEN[phase.duration]


def describe_phase(phase: Phase) -> str:
    """E.g. '1000 µg (1 mg) 3 times a week for 2 weeks'."""
    if phase.every is None:
        assert phase.total_dose_ug is not None
        how = f"in divided doses to a total of {format_amount(phase.total_dose_ug)}"
    else:
        how = describe_interval(phase.every, phase.times_per_interval)
    return f"{format_amount(phase.dose_ug)} {how} {describe_duration(phase)}"


def format_dose_for_prescriber(amount: Amount) -> str:
    """A dose as a prescriber writes it: mg from 1 mg up, otherwise "micrograms" in full (never "µg", which
    is misread as "mg" in handwriting and some fonts)."""

    def value(ug: float) -> str:
        return f"{ug / 1000:g}" if amount.min >= 1000 else f"{ug:g}"

    unit = "mg" if amount.min >= 1000 else "micrograms"
    if amount.max is None:
        return f"at least {value(amount.min)} {unit}"
    if amount.max == amount.min:
        return f"{value(amount.min)} {unit}"
    return f"{value(amount.min)}{RANGE}{value(amount.max)} {unit}"


_ROUTE_WORDS = ROUTE_WORDS["short"]


def describe_headline(drug: str, route: str, phases: tuple[Phase, ...], course: str | None = None) -> str:
    """One line a prescriber could copy: drug, dose, route, frequency and duration, loading then
    maintenance, e.g. 'Hydroxocobalamin 1 mg IM 3 times a week for 2 weeks, then 1 mg every 2-3 months
    for life'. ``course`` (the decision table's words for how long, from the cause) replaces the open
    duration of the last phase."""
    parts = []
    for index, phase in enumerate(phases):
        if phase.every is None:
            assert phase.total_dose_ug is not None
            how = f"in divided doses to a total of {format_dose_for_prescriber(phase.total_dose_ug)}"
        else:
            how = describe_interval(phase.every, phase.times_per_interval)
        route_word = f" {_ROUTE_WORDS[route]}" if index == 0 else ""
        dose = format_dose_for_prescriber(phase.dose_ug)
        last = index == len(phases) - 1
        duration = course if course and last and not phase.is_finite else describe_duration(phase)
        parts.append(f"{dose}{route_word} {how} {duration}")
    return f"{drug[:1].upper()}{drug[1:]} " + ", then ".join(parts)


_HEADLINES: dict[tuple[int, str | None, bool], tuple[Regimen, str]] = {}


def regimen_headline(regimen: Regimen, course: str | None = None, maintenance_only: bool = False) -> str:
    """:func:`describe_headline` of a regimen (with a course; only its last phase for a patient already on
    maintenance), worked out once per loaded regimen."""
    key = (id(regimen), course, maintenance_only)
    cached = _HEADLINES.get(key)
    if cached is None or cached[0] is not regimen:  # hold the regimen so its id cannot be reused
        phases = regimen.phases[-1:] if maintenance_only else regimen.phases
        headline = describe_headline(regimen.drug, regimen.route, phases, course)
        cached = _HEADLINES[key] = (regimen, headline)
    return cached[1]

"""Turn a regimen into dated events from a start date: injection dates through the loading phase and
maintenance up to the first symptom review, then the review itself.

Conventions (stated on the calculator page):
- an interval range ("every 2-3 months") is dated at its shorter end; a duration range ("5-10 days")
  at its longer end, so a loading course is never cut short;
- "three times a week" spreads the doses over the week (days 0, 2 and 4 of each week);
- each phase starts one of its own intervals after the previous phase's last dose;
- an oral regimen is shown as one event per phase ("take ... daily from this date"), not a pill a day;
- "until no further improvement" is dated up to the review, where it is reassessed.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from .model import OPEN_UNTIL, Phase, Regimen, Span
from .wording import describe_duration, describe_interval, format_amount


@dataclass(frozen=True, slots=True)
class ScheduleEvent:
    date: date
    kind: str  # "dose" | "review"
    label: str

    def as_dict(self) -> dict[str, str]:
        return {"date": self.date.isoformat(), "kind": self.kind, "label": self.label}


def add_months(start: date, months: int) -> date:
    """Calendar months, clamping to the month's last day (31 January + 1 month = 28 or 29 February)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def advance(start: date, n: int, unit: str) -> date:
    if unit == "day":
        return start + timedelta(days=n)
    if unit == "week":
        return start + timedelta(weeks=n)
    return add_months(start, n)


def _interval_starts(phase: Phase, every: Span, first: date, end: date) -> list[date]:
    """Dose dates from ``first`` while before ``end`` (exclusive)."""
    dates: list[date] = []
    k = phase.times_per_interval
    period = 0
    while True:
        anchor = advance(first, every.n * period, every.unit)
        if anchor >= end:
            return dates
        if k == 1:
            dates.append(anchor)
        else:
            span_days = (advance(anchor, every.n, every.unit) - anchor).days
            dates += [d for i in range(k) if (d := anchor + timedelta(days=(i * span_days) // k)) < end]
        period += 1


def build_schedule(regimen: Regimen, start: date, review: date, review_label: str) -> list[ScheduleEvent]:
    events: list[ScheduleEvent] = []
    route = "by mouth" if regimen.route == "oral" else "by injection"
    after_review = review + timedelta(days=1)
    phase_start = start
    for index, phase in enumerate(regimen.phases):
        if phase_start > review:
            break
        finite = phase.duration if isinstance(phase.duration, Span) else None
        if regimen.route == "oral" or phase.every is None:
            events.append(ScheduleEvent(phase_start, "dose", f"{phase.name}: start {_how(phase)} {route}"))
            if finite is None:
                break
            phase_start = advance(phase_start, finite.n_max or finite.n, finite.unit)
            continue
        end = (
            after_review
            if finite is None
            else min(after_review, advance(phase_start, finite.n_max or finite.n, finite.unit))
        )
        suffix = f" (continue {describe_duration(phase)})" if phase.duration in OPEN_UNTIL else ""
        dates = _interval_starts(phase, phase.every, phase_start, end)
        events += [
            ScheduleEvent(d, "dose", f"{phase.name}: {format_amount(phase.dose_ug)} {route}{suffix}")
            for d in dates
        ]
        if finite is None or index + 1 == len(regimen.phases):
            break  # open-ended: runs to the review (which decides when "no further improvement" is reached)
        following = regimen.phases[index + 1].every
        last = dates[-1] if dates else phase_start
        # The next phase starts one of its own intervals after this phase's last dose.
        phase_start = advance(last, following.n, following.unit) if following else end
    events.append(ScheduleEvent(review, "review", review_label))
    return sorted(events, key=lambda e: (e.date, e.kind != "dose"))


def _how(phase: Phase) -> str:
    if phase.every is None:
        assert phase.total_dose_ug is not None
        return f"{format_amount(phase.dose_ug)} doses to a total of {format_amount(phase.total_dose_ug)}"
    return f"{format_amount(phase.dose_ug)} {describe_interval(phase.every, phase.times_per_interval)}"

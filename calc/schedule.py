"""Turn a regimen into dated events from a start date: injection dates through the loading phase and
maintenance up to the first symptom review, then the review itself.

Conventions (stated on the calculator page):
- an interval range ("every 2-3 months") is dated at its shorter end; a duration range ("5-10 days")
  at its longer end, so a loading course is never cut short;
- "three times a week" spreads the doses over the week (days 0, 2 and 4 of each week);
- each phase starts one of its own intervals after the previous phase's last dose;
- an oral regimen is shown as one event per phase ("take ... daily from this date"), not a pill a day;
- an open-ended loading phase ("until no further improvement", "until remission", "until the blood
  count is normal") is dated up to a reassessment event (the data's
  ``open_loading_reassess_weeks``, a checkpoint the calculator sets), and nothing after it is dated;
- with ``weekdays_only`` (working days only), the dates are worked out as above and then moved: an
  injection on a Saturday, a Sunday or a bank holiday of the chosen region (calc/data/bank_holidays.toml)
  moves to the next working day, and each later injection keeps at least its due gap from the one before,
  so no interval gets shorter and no dose is added or lost on the way; the reassessment and the review
  move to the next working day too (the reassessment never before a dose of an earlier, finite phase);
  a loading dose moved past its reassessment is left to that decision, not dated after it (one moved onto
  the day itself is given at that visit). Tablets are taken every day, so an oral phase starts on the day
  it is due. A moved date in a year whose bank holidays the data does not list says so in its label.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from .holidays import DEFAULT_HOLIDAY_REGION, HolidayRegion, load_bank_holidays
from .model import OPEN_UNTIL, Phase, Regimen, Span
from .vocabulary import EVENT_KIND_LABELS, ROUTE_WORDS, date_text
from .wording import describe_duration, describe_interval, describe_phase, format_amount


@dataclass(frozen=True, slots=True)
class ScheduleEvent:
    date: date
    kind: str  # "dose" | "reassess" | "review"
    label: str

    def as_dict(self) -> dict[str, str]:
        return {
            "date": self.date.isoformat(),
            "date_text": date_text(self.date, weekday=True),
            "kind": self.kind,
            "kind_label": EVENT_KIND_LABELS[self.kind],
            "label": self.label,
        }


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


def next_weekday(day: date) -> date:
    """The day itself, or the Monday after a Saturday or Sunday."""
    return day + timedelta(days=max(0, 7 - day.weekday())) if day.weekday() >= 5 else day


def off_weekends(dates: list[date]) -> list[date]:
    """Move doses off weekends without shortening any gap between consecutive doses."""
    return _moved(dates, next_weekday)


def _moved(dates: list[date], to_working_day: Callable[[date], date]) -> list[date]:
    """Move each dose to a working day, no earlier than the previous moved dose plus their nominal gap."""
    moved: list[date] = []
    for index, nominal in enumerate(dates):
        earliest = nominal if not moved else max(nominal, moved[-1] + (nominal - dates[index - 1]))
        moved.append(to_working_day(earliest))
    return moved


def _not_listed(region: HolidayRegion, day: date) -> str:
    """The note on a working-days date in a year whose bank holidays the data does not list."""
    if region.covers(day):
        return ""
    return f" (check this is a working day: {region.label} bank holidays for {day.year} are not listed here)"


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


def build_schedule(
    regimen: Regimen,
    start: date,
    review: date,
    review_label: str,
    *,
    reassess_after_weeks: int,
    weekdays_only: bool = False,
    holiday_region: str = DEFAULT_HOLIDAY_REGION,
) -> list[ScheduleEvent]:
    """Dated events from ``start`` up to ``review`` (the review as due; with ``weekdays_only`` every date
    is then moved to a working day of ``holiday_region``)."""
    events, open_from = _due(regimen, start, review, review_label, reassess_after_weeks)
    if weekdays_only:
        region = load_bank_holidays().region(holiday_region)
        events = _on_working_days(events, open_from, region, oral=regimen.route == "oral")
    order = {"dose": 0, "reassess": 1, "review": 2}
    return sorted(events, key=lambda e: (e.date, order[e.kind]))


def _due(
    regimen: Regimen, start: date, review: date, review_label: str, reassess_after_weeks: int
) -> tuple[list[ScheduleEvent], int]:
    """The events as due, in order: doses, then a reassessment (if any), then the review; and how many
    doses come before the open-ended phase that the reassessment closes."""
    events: list[ScheduleEvent] = []
    route = ROUTE_WORDS["full"][regimen.route]
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
        open_loading = phase.duration in OPEN_UNTIL
        reassess = start + timedelta(weeks=reassess_after_weeks)
        if finite is not None:
            end = min(after_review, advance(phase_start, finite.n_max or finite.n, finite.unit))
        else:
            end = min(after_review, reassess) if open_loading else after_review
        dates = _interval_starts(phase, phase.every, phase_start, end)
        before = len(events)
        events += [
            ScheduleEvent(d, "dose", f"{phase.name}: {format_amount(phase.dose_ug)} {route}") for d in dates
        ]
        if open_loading and reassess <= review:
            following = regimen.phases[index + 1] if index + 1 < len(regimen.phases) else None
            then = f", then {following.name.lower()}: {describe_phase(following)}" if following else ""
            label = (
                f"Reassess at {reassess_after_weeks} weeks (a checkpoint the calculator sets, not a "
                f"guideline's): continue "
                f"{phase.name.lower()} doses {describe_duration(phase)}{then}"
            )
            events.append(ScheduleEvent(reassess, "reassess", label))
            # nothing after an open-ended loading phase is dated before that decision
            return [*events, ScheduleEvent(review, "review", review_label)], before
        if finite is None or index + 1 == len(regimen.phases):
            break  # open-ended: runs to the review
        following_every = regimen.phases[index + 1].every
        last = dates[-1] if dates else phase_start
        # The next phase starts one of its own intervals after this phase's last dose.
        phase_start = advance(last, following_every.n, following_every.unit) if following_every else end
    events.append(ScheduleEvent(review, "review", review_label))
    return events, len(events) - 1


def _on_working_days(
    events: list[ScheduleEvent], open_from: int, region: HolidayRegion, *, oral: bool
) -> list[ScheduleEvent]:
    """The due events moved to working days: the injections as one sequence (each no earlier than due and
    no closer to the one before than due), then the reassessment and the review. A dose moved past the
    review, or past the reassessment of its open-ended phase, is left to that visit."""
    doses = [e for e in events if e.kind == "dose"]
    if not oral:  # tablets are taken every day: an oral phase starts on the day it is due
        moved = _moved([e.date for e in doses], region.next_working_day)
        doses = [replace(e, date=day) for e, day in zip(doses, moved, strict=True)]
    review = next(e for e in events if e.kind == "review")
    review = replace(review, date=region.next_working_day(review.date))
    doses = [e for e in doses if e.date <= review.date]
    dated = [review]
    reassess = next((e for e in events if e.kind == "reassess"), None)
    if reassess is not None:
        # Never before a dose of an earlier, finite phase: that course is given in full first.
        earlier = doses[:open_from]
        due = max(reassess.date, earlier[-1].date) if earlier else reassess.date
        reassess = replace(reassess, date=region.next_working_day(due))
        doses = earlier + [e for e in doses[open_from:] if e.date <= reassess.date]
        dated.append(reassess)
    return [
        e if oral and e.kind == "dose" else replace(e, label=e.label + _not_listed(region, e.date))
        for e in doses + dated
    ]


def _how(phase: Phase) -> str:
    if phase.every is None:
        assert phase.total_dose_ug is not None
        return f"{format_amount(phase.dose_ug)} doses to a total of {format_amount(phase.total_dose_ug)}"
    return f"{format_amount(phase.dose_ug)} {describe_interval(phase.every, phase.times_per_interval)}"

"""The .ics file read back by an independent parser (the `icalendar` package, CPython only: under Pyodide
it costs about a second to import, so the page's engine never uses it)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import icalendar  # the test extra installs it: a missing oracle fails, it does not skip
import pytest

from calc import evaluate
from calc.render_ics import render_ics


@pytest.mark.parametrize(
    "request_",
    [
        {"total_b12": 120, "neurological_symptoms": True, "start_date": "2026-12-01", "weekdays_only": True},
        {"total_b12": 150, "route_preference": "im", "start_date": "2026-01-05"},
        {"active_b12": 20, "pregnant_or_breastfeeding": True, "start_date": "2026-12-31"},
    ],
)
def test_icalendar_reads_back_the_schedule(request_: dict[str, object]) -> None:
    result = evaluate(request_)
    calendar = icalendar.Calendar.from_ical(render_ics(result, now=datetime(2026, 11, 29, tzinfo=UTC)))
    events = calendar.walk("VEVENT")
    scheduled_dates = [date.fromisoformat(e["date"]) for e in result["schedule"]]
    assert [e.decoded("DTSTART") for e in events] == scheduled_dates
    for event, scheduled in zip(events, result["schedule"], strict=True):
        assert scheduled["label"] in str(event.get("SUMMARY"))
        assert event.decoded("DTEND") == event.decoded("DTSTART").fromordinal(
            event.decoded("DTSTART").toordinal() + 1
        )
        assert "Decision support, not a prescription." in str(event.get("DESCRIPTION"))

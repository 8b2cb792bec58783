"""Schedule generator: dose and review dates from a start date, for the first recommended regimen.

Expected dates are worked by hand here (calendar arithmetic written out in the test), not taken from calc.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from calc import evaluate


def schedule(request: dict) -> list[tuple[str, str]]:
    return [(e["date"], e["kind"]) for e in evaluate(request)["schedule"]]


def doses(events: list[tuple[str, str]]) -> list[str]:
    return [d for d, kind in events if kind == "dose"]


def test_no_start_date_no_schedule() -> None:
    """Contract: 'schedule (when start_date given: ...)' -- none without a start date."""
    result = evaluate({"total_b12": 150})
    assert result["schedule"] == []
    assert result.get("schedule_regimen_id") is None


def test_schedule_is_for_the_first_recommended_regimen() -> None:
    """Contract: the schedule is 'for the first recommended regimen'."""
    for request in (
        {"total_b12": 150},
        {"total_b12": 150, "causes": ["bariatric_surgery"]},
        {"total_b12": 150, "neurological_symptoms": True},
        {"total_b12": 150, "anticoagulated": True},
        {"total_b12": 150, "causes": ["vegan"], "route_preference": "im"},
    ):
        result = evaluate({**request, "start_date": "2026-03-02"})
        first = next(r for r in result["regimens"] if r["recommended"])
        assert result["schedule_regimen_id"] == first["id"]
        assert (result["schedule"][0]["date"], result["schedule"][0]["kind"]) == ("2026-03-02", "dose")


def test_event_shape() -> None:
    """Contract: 'list of {date, kind "dose"/"review", label}'."""
    events = evaluate({"total_b12": 150, "route_preference": "im", "start_date": "2026-01-05"})["schedule"]
    for event in events:
        assert set(event) == {"date", "kind", "label"}
        assert event["kind"] in ("dose", "review")
        assert date.fromisoformat(event["date"])
        assert event["label"].strip()
    assert [e["date"] for e in events] == sorted(e["date"] for e in events)


def test_bnf_loading_course_is_six_injections_in_two_weeks() -> None:
    """D3: 'Schedule generator: from a start date, list injection dates for the loading phase and the first
    maintenance dates; count the injections (e.g. 6 in 2 weeks).' BNF: 'three times a week for 2 weeks'."""
    start = date(2026, 6, 1)
    events = schedule({"total_b12": 150, "route_preference": "im", "start_date": start.isoformat()})
    loading = [d for d in doses(events) if date.fromisoformat(d) < start + timedelta(weeks=2)]
    assert len(loading) == 6
    # three in each of the two weeks
    assert sum(date.fromisoformat(d) < start + timedelta(weeks=1) for d in loading) == 3


def test_bnf_schedule_across_the_new_year() -> None:
    """BNF 'three times a week for 2 weeks, then ... every 2-3 months' from Monday 2026-12-28: days 0, 2, 4 of
    each week -> 12-28, 12-30, 01-01, 01-04, 01-06, 01-08; maintenance 2 months after 01-08 -> 03-08; NICE
    review 3 months after the start -> 2027-03-28."""
    assert schedule({"total_b12": 150, "route_preference": "im", "start_date": "2026-12-28"}) == [
        ("2026-12-28", "dose"),
        ("2026-12-30", "dose"),
        ("2027-01-01", "dose"),
        ("2027-01-04", "dose"),
        ("2027-01-06", "dose"),
        ("2027-01-08", "dose"),
        ("2027-03-08", "dose"),
        ("2027-03-28", "review"),
    ]


@pytest.mark.parametrize(
    ("start", "pregnant", "review"),
    [
        ("2026-01-05", False, "2026-04-05"),
        ("2026-01-05", True, "2026-02-05"),
        ("2026-01-31", False, "2026-04-30"),  # 31 April does not exist
        ("2026-01-31", True, "2026-02-28"),
        ("2028-01-31", True, "2028-02-29"),  # leap year
        ("2027-11-30", False, "2028-02-29"),
        ("2026-10-15", False, "2027-01-15"),
        ("2099-12-31", False, "2100-03-31"),
    ],
)
def test_review_date(start: str, pregnant: bool, review: str) -> None:
    """NASGP (S): 'People should be reviewed after 3m of treatment (or after 1m in those pregnant or
    breastfeeding)' -- calendar months; a day that does not exist in the target month falls on its last day.
    """
    events = schedule({"total_b12": 150, "pregnant_or_breastfeeding": pregnant, "start_date": start})
    reviews = [d for d, kind in events if kind == "review"]
    assert reviews == [review]
    assert events[-1] == (review, "review")


def test_everything_between_start_and_review() -> None:
    """Contract: 'covering loading and maintenance up to and including the first review'."""
    for request in (
        {"neurological_symptoms": True},
        {"route_preference": "im"},
        {"causes": ["bariatric_surgery"]},
        {"pregnant_or_breastfeeding": True, "route_preference": "im"},
    ):
        events = schedule({"total_b12": 150, "start_date": "2026-05-31", **request})
        review = next(d for d, kind in events if kind == "review")
        assert all("2026-05-31" <= d <= review for d, _ in events)


def test_neuro_schedule_in_pregnancy_stops_at_the_reassessment() -> None:
    """BNF (S): 'on alternate days until there is no further improvement'; NASGP: review 'after 1m in those
    pregnant or breastfeeding'. 'Until no further improvement' is dated only up to the reassessment 2 weeks
    in (this site's default): from 2026-01-05 every other day before 2026-01-19 -> 01-05 ... 01-17 (7 doses),
    reassess 01-19, review 02-05."""
    events = schedule(
        {
            "total_b12": 150,
            "neurological_symptoms": True,
            "pregnant_or_breastfeeding": True,
            "start_date": "2026-01-05",
        }
    )
    expected = [f"2026-01-{day:02d}" for day in (5, 7, 9, 11, 13, 15, 17)]
    assert doses(events) == expected
    assert ("2026-01-19", "reassess") in events
    assert events[-1] == ("2026-02-05", "review")


def test_oral_regimen_is_one_start_event() -> None:
    """calc/schedule.py convention (stated on the calculator page): 'an oral regimen is shown as one event per
    phase ("take ... daily from this date"), not a pill a day'."""
    events = evaluate({"total_b12": 150, "anticoagulated": True, "start_date": "2026-01-05"})["schedule"]
    assert [(e["date"], e["kind"]) for e in events] == [("2026-01-05", "dose"), ("2026-04-05", "review")]
    assert "daily" in events[0]["label"]


def test_no_schedule_without_a_recommended_regimen() -> None:
    """Contract: the schedule is for 'the first recommended regimen' -- none for children (nothing is
    recommended outside NICE's scope) or when deficiency is unlikely."""
    for request in ({"total_b12": 150, "age_years": 12}, {"total_b12": 400}):
        result = evaluate({**request, "start_date": "2026-01-05"})
        assert result["schedule"] == []
        assert result["schedule_regimen_id"] is None


def test_review_label_says_months() -> None:
    """NASGP: 'after 3m ... (or after 1m ...)' -- the review event says which."""
    three = evaluate({"total_b12": 150, "start_date": "2026-01-05"})["schedule"][-1]["label"]
    one = evaluate({"total_b12": 150, "start_date": "2026-01-05", "pregnant_or_breastfeeding": True})[
        "schedule"
    ]
    assert "3 months" in three
    assert "1 month" in one[-1]["label"]

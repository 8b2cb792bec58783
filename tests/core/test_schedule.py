"""Schedule generator: dose and review dates from a start date, for the first recommended regimen.

Expected dates are worked by hand here (calendar arithmetic written out in the test), not taken from calc.
"""

from __future__ import annotations

import tomllib
from datetime import date, timedelta
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calc import evaluate, load_guideline
from calc.schedule import ScheduleEvent, add_months, build_schedule


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
    """Contract: 'schedule ({date, date_text, kind ∈ dose/reassess/review, kind_label, label})'; the date
    and the kind in words come with the event (the page keeps no label map)."""
    events = evaluate({"total_b12": 150, "route_preference": "im", "start_date": "2026-01-05"})["schedule"]
    for event in events:
        assert set(event) == {"date", "date_text", "kind", "kind_label", "label"}
        assert event["kind"] in ("dose", "review")
        day = date.fromisoformat(event["date"])
        assert event["date_text"] == f"{day:%a} {day.day} {day:%b %Y}"  # "Mon 5 Jan 2026"
        assert event["kind_label"] == event["kind"].capitalize()
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


# --- working days only: weekends and the region's bank holidays -------------------------------------------
#
# The bank holidays are read from the data file itself (the oracle does not call calc.holidays); each date in
# the hand-worked cases below is checked against GOV.UK's list for that nation (calc/data/bank_holidays.toml).

_DATA = load_guideline()
REASSESS_WEEKS = _DATA.plan.open_loading_reassess_weeks
_HOLIDAY_DATA = tomllib.loads(resources.files("calc.data").joinpath("bank_holidays.toml").read_text("utf-8"))
#: {region: (first year listed, last year listed, the bank holidays)}
BANK_HOLIDAYS: dict[str, tuple[int, int, set[date]]] = {
    r["code"]: (r["first_year"], r["last_year"], {h["date"] for h in r["holidays"]})
    for r in _HOLIDAY_DATA["regions"]
}
REGIONS = sorted(BANK_HOLIDAYS)


def working(day: date, region: str) -> bool:
    return day.weekday() < 5 and day not in BANK_HOLIDAYS[region][2]


def first_working_day(day: date, region: str) -> date:
    while not working(day, region):
        day += timedelta(days=1)
    return day


def dated(regimen_id: str, start: date, region: str | None, months: int = 3) -> list[ScheduleEvent]:
    """The schedule of a regimen of the data from ``start``, on working days of ``region`` (None: any day)."""
    return build_schedule(
        _DATA.regimen(regimen_id),
        start,
        add_months(start, months),
        "Review",
        reassess_after_weeks=REASSESS_WEEKS,
        weekdays_only=region is not None,
        holiday_region=region or "england_wales",
    )


def brief(events: list[ScheduleEvent]) -> list[tuple[str, str]]:
    return [(e.date.isoformat(), e.kind) for e in events]


def test_working_days_keep_the_loading_doses_before_the_reassessment() -> None:
    """UX review 2026-12 (case b, problem 3): hydroxocobalamin 1 mg IM on alternate days "until no further
    improvement" from Tuesday 2026-12-01 with weekdays only was dated Mon 14 Dec loading -> Tue 15 Dec
    reassess -> Wed 16 Dec loading. Worked by hand: due 01, 03, 05, 07, 09, 11, 13 (before the reassessment
    due Tue 15); moved, keeping each gap >= 2 days: 01; 03; Sat 05 -> Mon 07; max(07, 07+2) = Wed 09;
    max(09, 11) = Fri 11; max(11, 13) = Sun 13 -> Mon 14; max(13, 16) = Wed 16, after the reassessment:
    left to that decision. No bank holiday falls in these days. Review 3 months on: Mon 2027-03-01."""
    request = {"total_b12": 120, "neurological_symptoms": True, "start_date": "2026-12-01"}
    assert schedule({**request, "weekdays_only": True}) == [
        ("2026-12-01", "dose"),
        ("2026-12-03", "dose"),
        ("2026-12-07", "dose"),
        ("2026-12-09", "dose"),
        ("2026-12-11", "dose"),
        ("2026-12-14", "dose"),
        ("2026-12-15", "reassess"),
        ("2027-03-01", "review"),
    ]


def test_review_on_new_years_day_moves_to_the_next_working_day() -> None:
    """UX review 2026-12 (case e): a 1-month review from 2026-12-01 fell on Friday 1 January 2027, a bank
    holiday everywhere in the UK; Sat 2 and Sun 3 follow, so the review is Monday 4 January. In Scotland
    2 January is a bank holiday too, but it is a Saturday in 2027 and its substitute is Monday 4 January, so
    the Scottish review is Tuesday 5 January."""
    request = {"total_b12": 120, "pregnant_or_breastfeeding": True, "start_date": "2026-12-01"}
    assert schedule(request)[-1] == ("2027-01-01", "review")  # no working days asked for
    assert schedule({**request, "weekdays_only": True})[-1] == ("2027-01-04", "review")
    scotland = {**request, "weekdays_only": True, "holiday_region": "scotland"}
    assert schedule(scotland)[-1] == ("2027-01-05", "review")


@pytest.mark.parametrize(
    ("regimen_id", "start", "region", "doses", "reassess", "review"),
    [
        pytest.param(
            # England and Wales, Christmas 2026: Fri 25 Dec Christmas Day; Sat 26 Dec Boxing Day, whose
            # substitute is Mon 28 Dec; Fri 1 Jan 2027 New Year's Day. Alternate days due 18, 20, 22, 24,
            # 26, 28, 30 Dec (before the reassessment due Fri 1 Jan). Moved: Fri 18; Sun 20 -> Mon 21;
            # max(22, 21+2) = Wed 23; max(24, 23+2) = Fri 25 (holiday), Sat, Sun, Mon 28 (holiday) -> Tue 29;
            # max(26, 29+2) = Thu 31; max(28, 31+2) = Sat 2 Jan -> Mon 4 Jan; max(30, 4+2) = Wed 6 Jan,
            # after the reassessment. Reassessment due Fri 1 Jan (holiday) -> Mon 4 Jan, with the dose due
            # that day given at that visit. Review due Thu 18 Mar 2027: a working day.
            "bnf-hydroxocobalamin-neuro",
            "2026-12-18",
            "england_wales",
            "2026-12-18 2026-12-21 2026-12-23 2026-12-29 2026-12-31 2027-01-04",
            "2027-01-04",
            "2027-03-18",
            id="england-wales-christmas-neuro",
        ),
        pytest.param(
            # The BNF course without neurological involvement over the same Christmas: three times a week
            # on days 0, 2, 4 of each week, due Fri 18, Sun 20, Tue 22, Fri 25, Sun 27, Tue 29 Dec (gaps 2,
            # 2, 3, 2, 2). Moved: Fri 18; Sun 20 -> Mon 21; max(22, 21+2) = Wed 23; max(25, 23+3) = Sat 26,
            # Sun, Mon 28 (Boxing Day substitute) -> Tue 29; max(27, 29+2) = Thu 31; max(29, 31+2) = Sat 2 Jan
            # -> Mon 4 Jan. Six injections, none lost. Maintenance due 2 months after Tue 29 Dec = Sun 28 Feb
            # (no 29 Feb in 2027), 61 days after it: max(28 Feb, 4 Jan + 61) = Sat 6 Mar -> Mon 8 Mar.
            # Review due Thu 18 Mar.
            "bnf-hydroxocobalamin",
            "2026-12-18",
            "england_wales",
            "2026-12-18 2026-12-21 2026-12-23 2026-12-29 2026-12-31 2027-01-04 2027-03-08",
            None,
            "2027-03-18",
            id="england-wales-christmas-three-a-week",
        ),
        pytest.param(
            # Scotland from Mon 28 Dec 2026 (Boxing Day substitute): 2 January 2027 is a Saturday, its
            # substitute Mon 4 Jan. Due Mon 28, Wed 30 Dec, Fri 1, Mon 4, Wed 6, Fri 8 Jan (gaps 2, 2, 3, 2,
            # 2). Moved: Mon 28 (holiday) -> Tue 29; max(30, 29+2) = Thu 31; max(1, 31+2) = Sat 2 Jan, Sun,
            # Mon 4 (holiday) -> Tue 5; max(4, 5+3) = Fri 8; max(6, 8+2) = Sun 10 -> Mon 11; max(8, 11+2) =
            # Wed 13. Maintenance due 2 months after Fri 8 Jan = Mon 8 Mar, 59 days: max(8 Mar, 13 Jan + 59) =
            # Sat 13 Mar -> Mon 15 Mar. Review due Sun 28 Mar -> Mon 29 Mar (Easter Monday is not a bank
            # holiday in Scotland).
            "bnf-hydroxocobalamin",
            "2026-12-28",
            "scotland",
            "2026-12-29 2026-12-31 2027-01-05 2027-01-08 2027-01-11 2027-01-13 2027-03-15",
            None,
            "2027-03-29",
            id="scotland-2-january",
        ),
        pytest.param(
            # The same start in England and Wales, where 4 January is a working day and Easter Monday (29 Mar
            # 2027) a bank holiday: Tue 29; Thu 31; Sat 2 -> Mon 4; max(4, 4+3) = Thu 7; max(6, 7+2) = Sat 9
            # -> Mon 11; max(8, 11+2) = Wed 13. Maintenance as in Scotland: Sat 13 Mar -> Mon 15 Mar. Review
            # due Sun 28 Mar, Mon 29 (Easter Monday) -> Tue 30 Mar.
            "bnf-hydroxocobalamin",
            "2026-12-28",
            "england_wales",
            "2026-12-29 2026-12-31 2027-01-04 2027-01-07 2027-01-11 2027-01-13 2027-03-15",
            None,
            "2027-03-30",
            id="england-wales-same-start-as-scotland",
        ),
        pytest.param(
            # Northern Ireland from Mon 15 Mar 2027: St Patrick's Day Wed 17 Mar, Good Friday 26 Mar, Easter
            # Monday 29 Mar. Due Mon 15, Wed 17, Fri 19, Mon 22, Wed 24, Fri 26 (gaps 2, 2, 3, 2, 2). Moved:
            # Mon 15; Wed 17 (holiday) -> Thu 18; max(19, 18+2) = Sat 20 -> Mon 22; max(22, 22+3) = Thu 25;
            # max(24, 25+2) = Sat 27, Sun, Mon 29 (holiday) -> Tue 30; max(26, 30+2) = Thu 1 Apr. Maintenance
            # due 2 months after Fri 26 Mar = Wed 26 May, 61 days: max(26 May, 1 Apr + 61) = Tue 1 Jun.
            # Review due Tue 15 Jun.
            "bnf-hydroxocobalamin",
            "2027-03-15",
            "northern_ireland",
            "2027-03-15 2027-03-18 2027-03-22 2027-03-25 2027-03-30 2027-04-01 2027-06-01",
            None,
            "2027-06-15",
            id="northern-ireland-st-patricks-day",
        ),
        pytest.param(
            # Northern Ireland, the Twelfth: tablets from Mon 12 Apr 2027 (an oral start is never moved);
            # review due Mon 12 Jul 2027, Battle of the Boyne (Orangemen's Day) -> Tue 13 Jul.
            "nice-oral-malabsorption",
            "2027-04-12",
            "northern_ireland",
            "2027-04-12",
            None,
            "2027-07-13",
            id="northern-ireland-twelfth-of-july",
        ),
        pytest.param(
            # The product information's course: alternate days for 1-2 weeks (dated at 2 weeks), then weekly
            # "until the blood count is normal". Due 18, 20, 22, 24, 26, 28, 30 Dec; moved as in the first
            # case to Fri 18, Mon 21, Wed 23, Tue 29, Thu 31, Mon 4 Jan, Wed 6 Jan. That finite course is
            # given in full, so the reassessment (due Fri 1 Jan, a holiday) is no earlier than its last dose:
            # Wed 6 Jan.
            "smpc-hydroxocobalamin",
            "2026-12-18",
            "england_wales",
            "2026-12-18 2026-12-21 2026-12-23 2026-12-29 2026-12-31 2027-01-04 2027-01-06",
            "2027-01-06",
            "2027-03-18",
            id="england-wales-finite-course-before-reassessment",
        ),
    ],
)
def test_hand_worked_working_day_schedules(
    regimen_id: str, start: str, region: str, doses: str, reassess: str | None, review: str
) -> None:
    """Golden schedules on working days, worked by hand from the calendar and GOV.UK's bank holidays (a dose
    due on the day of the reassessment is listed before it)."""
    expected = [(day, "dose") for day in doses.split()]
    expected += [(reassess, "reassess")] if reassess else []
    assert brief(dated(regimen_id, date.fromisoformat(start), region)) == [*expected, (review, "review")]


def test_dates_beyond_the_listed_years_say_so() -> None:
    """A date whose year's bank holidays are not in the data is never passed off as a working day: from Mon
    18 Dec 2028 (alternate days: 18, 20, 22 Dec; Mon 25 and Tue 26 Dec are bank holidays -> Wed 27;
    max(26, 27+2) = Fri 29; max(28, 29+2) = Sun 31 -> Mon 1 Jan 2029, the day the reassessment is due) the
    2029 dates, New Year's Day among them, carry a note; the 2028 ones do not."""
    events = dated("bnf-hydroxocobalamin-neuro", date(2028, 12, 18), "england_wales")
    assert brief(events) == [
        ("2028-12-18", "dose"),
        ("2028-12-20", "dose"),
        ("2028-12-22", "dose"),
        ("2028-12-27", "dose"),
        ("2028-12-29", "dose"),
        ("2029-01-01", "dose"),
        ("2029-01-01", "reassess"),
        ("2029-03-19", "review"),
    ]
    note = "check this is a working day: England and Wales bank holidays for 2029 are not listed here"
    for event in events:
        assert (note in event.label) is (event.date.year == 2029), event
    # Without working days nothing is moved, so nothing needs the note.
    anyday = dated("bnf-hydroxocobalamin-neuro", date(2028, 12, 18), None)
    assert not any("bank holidays" in e.label for e in anyday)


def test_the_region_only_matters_with_working_days() -> None:
    """holiday_region changes nothing unless weekdays_only is asked for; the echo keeps what was sent."""
    request = {"total_b12": 150, "route_preference": "im", "start_date": "2026-12-28"}
    plain = evaluate(request)
    scottish = evaluate({**request, "holiday_region": "Scotland"})
    assert scottish["schedule"] == plain["schedule"]
    assert plain["request"]["holiday_region"] == "england_wales"
    assert scottish["request"]["holiday_region"] == "scotland"


start_dates = st.dates(min_value=date(2024, 10, 1), max_value=date(2029, 3, 31))


@given(
    st.sampled_from([r.id for r in _DATA.regimens]),
    start_dates,
    st.sampled_from(REGIONS),
    st.sampled_from([1, 3]),
)
def test_working_day_schedules_of_every_regimen(
    regimen_id: str, start: date, region: str, months: int
) -> None:
    """HAZ-11: for every regimen in the data, any start date and each region, with working days only:
    no injection, reassessment or review on a weekend or a bank holiday of the region; the review and the
    reassessment on the first working day on or after their due dates (the reassessment no earlier than the
    doses before it); no dose after the reassessment; the injections are those due without working days,
    none earlier, none added, and no gap between consecutive ones shorter; tablets start on the day due."""
    due = dated(regimen_id, start, None, months)
    events = dated(regimen_id, start, region, months)
    oral = _DATA.regimen(regimen_id).route == "oral"
    first, last, _ = BANK_HOLIDAYS[region]
    for event in events:
        if event.kind != "dose" or not oral:
            assert working(event.date, region), event
            assert ("bank holidays for" in event.label) is not (first <= event.date.year <= last), event

    review = events[-1]
    assert review.kind == "review" and [e.kind for e in events].count("review") == 1
    assert review.date == first_working_day(add_months(start, months), region)
    assert all(start <= e.date <= review.date for e in events)
    assert [e.date for e in events] == sorted(e.date for e in events)

    doses = [e.date for e in events if e.kind == "dose"]
    reassess = [e.date for e in events if e.kind == "reassess"]
    if reassess:
        (day,) = reassess
        assert all(d <= day for d in doses)
        on_time = first_working_day(start + timedelta(weeks=REASSESS_WEEKS), region)
        assert day == on_time or day == doses[-1] > on_time  # later only to follow a course's last dose
    # The injections are the ones due, in order, each moved later or not at all, with no gap closed up; only
    # the last ones can be left to the reassessment or the review.
    due_doses = [e.date for e in due if e.kind == "dose"]
    assert len(doses) <= len(due_doses)
    if oral:
        assert doses == due_doses[: len(doses)]
    for i, day in enumerate(doses):
        assert day >= due_doses[i]
        assert not i or day - doses[i - 1] >= due_doses[i] - due_doses[i - 1], (i, doses, due_doses)


def test_the_plan_gives_the_review_date_the_working_day_schedule_gives() -> None:
    """With working days only, the schedule moves a review off a weekend or bank holiday; the plan's review
    date is the same day (start Mon 28 Dec 2026 + 3 months = Sun 28 Mar 2027, then Easter Monday 29 Mar in
    England and Wales: Tue 30 Mar 2027), so the card and the calendar never disagree."""
    result = evaluate({"total_b12": 150, "start_date": "2026-12-28", "weekdays_only": True})
    review = [e["date"] for e in result["schedule"] if e["kind"] == "review"]
    assert review == ["2027-03-30"] == [result["plan"]["review"]["date"]]

"""The words a reader sees that are not clinical policy (calc/vocabulary.py), carried by the result so no
renderer keeps a label map (README, "The contract": every reader-facing word, unit and date comes with the
result)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from calc import REQUEST_FIELDS, evaluate
from calc.units import display_unit
from calc.vocabulary import CHOICE_LABELS, GROUP_TITLES, date_text, number_text

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def test_every_choice_of_the_request_has_its_words() -> None:
    for spec in REQUEST_FIELDS:
        if spec.kind == "choice":
            assert set(spec.choices) <= set(CHOICE_LABELS[spec.name]), spec.name


def test_dates_read_the_same_whatever_the_locale() -> None:
    """Written out, not strftime's %b/%a (which follow the process's locale)."""
    day = date(2026, 1, 1)
    for _ in range(400):
        expected = f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
        assert date_text(day) == expected == date_text(day.isoformat())
        assert date_text(day, weekday=True) == f"{_DAYS[day.weekday()]} {expected}"
        day += timedelta(days=1)


@pytest.mark.parametrize(
    ("value", "text"), [(110.67, "110.7"), (150.0, "150"), (0.05, "0.1"), (1000.0, "1000"), (0.44, "0.4")]
)
def test_numbers_keep_at_most_one_decimal(value: float, text: str) -> None:
    assert number_text(value) == text


def test_the_lab_line_gives_each_value_once_in_the_unit_entered_then_the_other() -> None:
    """A unit slip shows: the value as entered, then converted (NICE NG239 gives both units' bands)."""
    ng = evaluate({"total_b12": 150})["lab"]["values_text"]
    assert ng == "Total B12 150 ng/L (110.7 pmol/L), deficient"
    pmol = evaluate({"total_b12": 110.7, "total_b12_unit": "pmol/L"})["lab"]["values_text"]
    assert pmol.startswith("Total B12 110.7 pmol/L (150 ng/L)")
    both = evaluate({"total_b12": 250, "active_b12": 40, "mma": 500, "mma_unit": "nmol/L"})["lab"]
    assert both["values_text"] == (
        "Total B12 250 ng/L (184.5 pmol/L), indeterminate; active B12 40 pmol/L, indeterminate; "
        "MMA 500 nmol/L"
    )
    assert evaluate({})["lab"]["values_text"] is None
    mma = evaluate({"total_b12": 250, "mma": 0.5})["lab"]["values_text"]
    assert mma.endswith("MMA 0.5 µmol/L")


def test_entered_values_are_words_and_units_never_codes() -> None:
    result = evaluate({
        "total_b12": 150, "age_years": 67, "causes": ["autoimmune_gastritis", "metformin"],
        "route_preference": "im", "start_date": "2026-12-07", "pregnant_or_breastfeeding": True,
        "mma": 0.5, "mma_unit": "umol/L",
    })
    rows = {row["field"]: row for row in result["entered"]}
    assert rows["total_b12"]["value"] == "150 ng/L (110.7 pmol/L)"
    assert rows["age_years"] == {"field": "age_years", "label": "Age", "value": "67 years"}
    assert rows["mma"]["value"] == "0.5 µmol/L"
    assert rows["pregnant_or_breastfeeding"]["value"] == "yes"
    assert rows["route_preference"]["value"] == "Intramuscular injection (IM)"
    assert rows["start_date"]["value"] == "7 Dec 2026"
    assert rows["causes"]["value"] == ", ".join(c["label"] for c in result["causes"])
    for row in result["entered"]:
        assert not re.search(r"[a-z]+_[a-z]+", row["value"]), f"a code reaches the reader: {row}"
    # Defaults, unit fields and what does not count are left out.
    assert {"total_b12_unit", "mma_unit", "visit", "holiday_region", "current_treatment"}.isdisjoint(rows)


def test_a_figure_of_zero_is_entered_not_left_out() -> None:
    rows = {r["field"]: r["value"] for r in evaluate({"visit": "review", "weeks_on_treatment": 0})["entered"]}
    assert rows["weeks_on_treatment"] == "0 weeks"


def test_a_review_gives_its_answers_and_a_first_visit_does_not() -> None:
    answers = {"current_treatment": "oral", "response": "unchanged", "weeks_on_treatment": 12}
    first = {row["field"] for row in evaluate({"total_b12": 150, **answers})["entered"]}
    assert first.isdisjoint(answers)
    review = {r["field"]: r["value"] for r in evaluate({"visit": "review", **answers})["entered"]}
    assert review["visit"] == "Review"
    assert review["current_treatment"] == "Oral (tablets)" and review["response"] == "Unchanged"
    assert review["weeks_on_treatment"] == "12 weeks"


def test_the_regimen_to_schedule_is_named_not_given_by_its_id() -> None:
    base = {"total_b12": 150, "start_date": "2026-12-07"}
    other = next(r for r in evaluate(base)["regimens"] if r["group"] == "alternative")
    rows = {r["field"]: r["value"] for r in evaluate({**base, "schedule_regimen_id": other["id"]})["entered"]}
    assert rows["schedule_regimen_id"] == other["label"]


def test_regimen_lists_are_titled_in_order_without_nested_brackets() -> None:
    for guidance in ("uk", "us"):
        result = evaluate({"total_b12": 150, "guidance": guidance})
        groups = [g["group"] for g in result["regimen_groups"]]
        shown = [g for g in GROUP_TITLES if any(r["group"] == g for r in result["regimens"])]
        assert groups == shown
        for group in result["regimen_groups"]:
            assert not re.search(r"\([^()]*\(", group["title"]), group["title"]
        assert result["regimen_groups"][0]["title"].endswith(result["plan"]["guidance_label"])


def test_schedule_and_review_dates_come_in_words() -> None:
    result = evaluate({"total_b12": 150, "route_preference": "im", "start_date": "2026-12-07"})
    review = result["plan"]["review"]
    assert review["date_text"] == date_text(review["date"], weekday=True)
    assert [e["date_text"] for e in result["schedule"]] == [
        date_text(e["date"], weekday=True) for e in result["schedule"]
    ]
    assert evaluate({"total_b12": 150})["plan"]["review"]["date_text"] is None


def test_route_preference_in_a_sentence() -> None:
    assert evaluate({"total_b12": 150})["route"]["preference_text"] is None
    honoured = evaluate({"total_b12": 150, "route_preference": "im"})["route"]
    assert honoured["preference_honoured"] is True and "honoured" in honoured["preference_text"]


def test_units_as_readers_write_them() -> None:
    assert display_unit("umol/L") == "µmol/L" and display_unit("ng/L") == "ng/L"
    assert display_unit("1 umol/L = 1000 nmol/L.") == "1 µmol/L = 1000 nmol/L."


def test_steps_whose_results_a_review_takes_say_so() -> None:
    """The page offers "When the results come back: review" from the result alone (no rule codes in the
    page): a step asking for intrinsic factor antibodies or coeliac serology names the review's question."""
    from calc.request import REQUEST_FIELDS as FIELDS

    review_questions = {f.name for f in FIELDS if f.group == "review"}
    steps = evaluate({"total_b12": 150})["plan"]["next_steps"]
    assert {s["results_for"] for s in steps} >= {"intrinsic_factor_antibodies", "coeliac_serology"}
    for step in steps:
        assert step["results_for"] is None or step["results_for"] in review_questions
    assert all(s["results_for"] is None for s in evaluate({"total_b12": 500})["plan"]["next_steps"])
    assert evaluate({"total_b12": 150})["plan"]["treating"] is True
    assert evaluate({"total_b12": 500})["plan"]["treating"] is False

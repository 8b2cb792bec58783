"""Request validation: every class of bad input is an InputError (a ValueError) that lists every bad field,
and the JSON bridge answers {"errors": [...]} instead of raising."""

from __future__ import annotations

import json

import pytest

from calc import REQUEST_FIELDS, InputError, evaluate, evaluate_json

NUMBER_FIELDS = [f.name for f in REQUEST_FIELDS if f.kind == "number"]
FLAG_FIELDS = [f.name for f in REQUEST_FIELDS if f.kind == "boolean"]
UNIT_FIELDS = [f.name for f in REQUEST_FIELDS if f.kind == "unit"]
CONTRACT_FIELDS = {
    "total_b12",
    "total_b12_unit",
    "active_b12",
    "mma",
    "mma_unit",
    "mma_upper_limit",
    "age_years",
    "pregnant_or_breastfeeding",
    "neurological_symptoms",
    "critically_ill",
    "anticoagulated",
    "needle_phobia",
    "guidance",
    "weekdays_only",
    "holiday_region",
    "schedule_regimen_id",
    "causes",
    "ileal_resection_cm",
    "route_preference",
    "start_date",
    # A review visit.
    "visit",
    "current_treatment",
    "weeks_on_treatment",
    "response",
    "new_neurological_symptoms",
    "adherence",
    "intrinsic_factor_antibodies",
    "coeliac_serology",
    "cause_resolved",
}


def error_fields(request: object) -> list[str]:
    with pytest.raises(InputError) as caught:
        evaluate(request)  # type: ignore[arg-type]
    return [e["field"] for e in caught.value.as_list()]


def test_request_fields_are_the_contracts() -> None:
    """Contract: CLI flags are 'named after fields' (--total-b12, --total-b12-unit, --cause ...)."""
    assert {f.name for f in REQUEST_FIELDS} == CONTRACT_FIELDS


def test_input_error_is_a_value_error_with_field_messages() -> None:
    """Contract: 'Bad input raises calc.InputError (a ValueError) listing EVERY bad field as [{field,
    message}]'."""
    with pytest.raises(ValueError) as caught:
        evaluate({"total_b12": -1})
    assert isinstance(caught.value, InputError)
    assert caught.value.as_list() == [{"field": "total_b12", "message": caught.value.as_list()[0]["message"]}]
    assert "total_b12" in str(caught.value)


@pytest.mark.parametrize("request_", [[], None, "total_b12=150", 150, [("total_b12", 150)]])
def test_request_must_be_a_mapping(request_: object) -> None:
    """Contract: evaluate(mapping) -- anything else is bad input, not a crash."""
    assert error_fields(request_) == ["request"]


@pytest.mark.parametrize("field", NUMBER_FIELDS)
@pytest.mark.parametrize(
    "value",
    [
        -1, -0.001, float("nan"), float("inf"), float("-inf"), True, False, "abc", "nan", "1_000", "1,500",
        "<150", "150 furlongs", [150], {"value": 150},
    ],
)
def test_bad_numbers(field: str, value: object) -> None:
    """Contract: 'Negative, non-numeric, NaN/inf, bool-as-number ... all rejected.'"""
    base = {"total_b12": 250} if field.startswith("mma") else {}
    assert error_fields({**base, field: value}) == [field]


@pytest.mark.parametrize("field", NUMBER_FIELDS)
def test_null_means_not_given(field: str) -> None:
    """JSON null is the absence of a value, not an error."""
    evaluate({field: None})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("total_b12_unit", "mg/dL"),
        ("total_b12_unit", "nmol/L"),
        ("total_b12_unit", 1),
        ("total_b12_unit", ["ng/L"]),
        ("mma_unit", "mg/L"),
        ("mma_unit", "pmol/L"),
        ("mma_unit", True),
    ],
)
def test_unknown_units(field: str, value: object) -> None:
    """Contract: 'unknown units ... rejected'; the message offers the known ones."""
    with pytest.raises(InputError) as caught:
        evaluate({"total_b12": 150, field: value})
    (error,) = caught.value.errors
    assert error.field == field
    choices = ("ng/L", "pg/mL", "pmol/L") if field == "total_b12_unit" else ("umol/L", "nmol/L")
    assert all(choice in error.message for choice in choices)


@pytest.mark.parametrize("value", ["dietary", ["martian"], ["dietary", "martian"], [1], {"dietary": True}, 5])
def test_bad_causes(value: object) -> None:
    """Contract: 'unknown ... causes ... rejected'."""
    assert error_fields({"causes": value}) == ["causes"]


def test_repeated_cause_is_not_an_error() -> None:
    """A repeated cause code is the same selection."""
    a = evaluate({"total_b12": 150, "causes": ["vegan", "vegan"]})
    b = evaluate({"total_b12": 150, "causes": ["vegan"]})
    assert a == b


def test_unknown_keys_each_named() -> None:
    """Contract: 'unknown ... keys ... rejected' -- each unknown key is its own error."""
    assert sorted(error_fields({"total_b12": 150, "totalb12": 1, "Total_B12": 2, "units": "ng/L"})) == [
        "Total_B12",
        "totalb12",
        "units",
    ]


@pytest.mark.parametrize("field", FLAG_FIELDS)
@pytest.mark.parametrize("value", ["yes", "true", 1, 0, [True]])
def test_flags_must_be_booleans(field: str, value: object) -> None:
    """Contract: flags are true or false; a string or number is not guessed at."""
    assert error_fields({field: value}) == [field]


@pytest.mark.parametrize("value", ["iv", "IV", "sc", "subcutaneous", 1, True, ["im"]])
def test_route_preference_choices(value: object) -> None:
    """Contract: route_preference is 'oral' or 'im'."""
    assert error_fields({"route_preference": value}) == ["route_preference"]


@pytest.mark.parametrize("value", ["wales", "england", "uk", "england-wales", 1, True, ["scotland"]])
def test_holiday_region_choices(value: object) -> None:
    """Contract: holiday_region is england_wales (the default), scotland or northern_ireland."""
    assert error_fields({"holiday_region": value}) == ["holiday_region"]


@pytest.mark.parametrize(
    ("value", "echo"),
    [
        (None, "england_wales"),
        ("", "england_wales"),
        ("Scotland", "scotland"),
        (" NORTHERN_IRELAND ", "northern_ireland"),
    ],
)
def test_holiday_region_is_echoed(value: object, echo: str) -> None:
    """Contract: names match case-insensitively; not given means England and Wales."""
    assert evaluate({"holiday_region": value, "weekdays_only": True})["request"]["holiday_region"] == echo


@pytest.mark.parametrize(
    "value",
    [
        "2026-02-30",
        "2026-02-29",
        "2026-13-01",
        "2026-00-10",
        "2026-01-32",
        "2026/01/05",
        "05/01/2026",
        "2026-1-5",
        "20260105",
        "tomorrow",
        "2026-01-05T10:00",
        20260105,
        ["2026-01-05"],
        "1999-12-31",
        "2100-01-01",
        "0001-01-01",
    ],
)
def test_bad_dates(value: object) -> None:
    """Contract: 'bad dates' are rejected (YYYY-MM-DD, a real calendar date, year within [[limits]]
    start_date)."""
    assert error_fields({"start_date": value}) == ["start_date"]


@pytest.mark.parametrize("value", ["2028-02-29", "2000-01-01", "2099-12-31"])
def test_good_dates(value: str) -> None:
    """A real calendar date in range is accepted and echoed."""
    assert evaluate({"start_date": value})["request"]["start_date"] == value


def test_every_bad_field_is_listed_once() -> None:
    """Contract: InputError lists 'EVERY bad field', not just the first."""
    request = {
        "total_b12": "x",
        "total_b12_unit": "furlongs",
        "active_b12": -2,
        "mma": float("nan"),
        "mma_unit": "?",
        "mma_upper_limit": True,
        "age_years": 999,
        "pregnant_or_breastfeeding": "no",
        "neurological_symptoms": 2,
        "critically_ill": "y",
        "anticoagulated": None,
        "needle_phobia": [],
        "causes": ["x"],
        "ileal_resection_cm": -1,
        "route_preference": "nasal",
        "start_date": "soon",
        "extra": 1,
    }
    fields = error_fields(request)
    assert sorted(fields) == sorted(set(request) - {"anticoagulated"})
    assert len(fields) == len(set(fields))


def test_implausible_mma_message_suggests_the_unit_slip() -> None:
    """D4 guardrails catch 'mg/ug errors of the kind found in the source material'; B3: MMA limits are 270-450
    nmol/L -- a limit of 400 in umol/L is a nmol/L value."""
    with pytest.raises(InputError) as caught:
        evaluate({"total_b12": 250, "mma": 0.5, "mma_upper_limit": 400})
    assert "nmol/L" in caught.value.errors[0].message


# --- the JSON bridge ----------------------------------------------------------------------------------------


def test_evaluate_json_round_trip() -> None:
    """Contract: 'evaluate_json(str) -> str' carries the same result as evaluate."""
    request = {"total_b12": 150, "causes": ["bariatric_surgery"], "start_date": "2026-01-05"}
    assert json.loads(evaluate_json(json.dumps(request))) == json.loads(json.dumps(evaluate(request)))


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        "{",
        "[]",
        "null",
        "150",
        '"total_b12"',
        "{'total_b12': 1}",
        '{"total_b12": NaN}',
        '{"total_b12": -Infinity}',
        '{"total_b12": 1e400}',
        # pathological JSON (bugs found by this suite)
        '{"total_b12": 1' + "0" * 400 + "}",  # beyond float range: OverflowError inside evaluate
        '{"total_b12": ' + "1" * 5000 + "}",  # more than 4300 digits: ValueError inside json.loads
        "1" * 5000,
        nested(2000),  # CPython: RecursionError inside json.loads
        '{"causes": ' + nested(2000) + "}",
    ],
)
def test_evaluate_json_answers_errors(text: str) -> None:
    """Contract: 'evaluate_json returns {"errors": [...]} instead' of raising, for any text."""
    answer = json.loads(evaluate_json(text))
    assert set(answer) == {"errors"}
    assert answer["errors"] and all({"field", "message"} <= set(e) for e in answer["errors"])


# --- huge numbers and pathological JSON (bugs found by this suite) -----------------------------------------


@pytest.mark.parametrize("field", NUMBER_FIELDS)
def test_huge_integer_is_an_input_error(field: str) -> None:
    """Contract: 'implausible values ... all rejected' with InputError -- an integer too large for a float
    (JSON allows any number of digits) must not escape as OverflowError."""
    assert error_fields({field: 10**400}) == [field]


def test_huge_negative_integer_is_an_input_error() -> None:
    """Contract: 'Negative ... all rejected' with InputError, however many digits."""
    assert error_fields({"total_b12": -(10**400)}) == ["total_b12"]


def test_evaluate_json_never_raises_on_very_deep_nesting() -> None:
    """Contract: evaluate_json never raises, for any text -- including 100 000 nested arrays, and 9000 (under
    the size limit, so the nesting guard itself answers). Under Pyodide, parsing JSON nested ~5000+ deep
    kills the interpreter (a JS stack overflow, not a RecursionError): the guard acts before parsing."""
    for text in (
        nested(100_000),
        '{"total_b12": ' + nested(100_000) + "}",
        nested(9000),
        '{"causes": ' + nested(9000) + "}",
    ):
        assert set(json.loads(evaluate_json(text))) == {"errors"}


def test_deeply_nested_value_is_an_input_error() -> None:
    """Contract: 'non-numeric ... rejected' with InputError -- also for a value nested 2000 lists deep (the
    error message must not fail while describing it)."""
    value: list = []
    for _ in range(2000):
        value = [value]
    assert error_fields({"total_b12": value, "causes": [value]}) == ["total_b12", "causes"]


@pytest.mark.parametrize("name", [f.name for f in REQUEST_FIELDS])
def test_empty_string_means_not_given(name: str) -> None:
    """Contract (calc.request): JSON null and an empty form field both mean "not given" -- an emptied
    input in the page must give the same answer as leaving the field out, for every field."""
    base = {"total_b12": 150} if name not in ("total_b12", "total_b12_unit") else {"active_b12": 20}
    assert evaluate({**base, name: ""}) == evaluate({**base, name: None}) == evaluate(base)


@pytest.mark.parametrize("spelled,canonical", [("ng/l", "ng/L"), ("PG/ML", "pg/mL"), ("pmol/l", "pmol/L")])
def test_unit_spelling_is_case_insensitive(spelled: str, canonical: str) -> None:
    """Labs print 'ng/l' and 'ng/L' alike: the same unit in another case is the same unit (no slip)."""
    a = evaluate({"total_b12": 150, "total_b12_unit": spelled})
    b = evaluate({"total_b12": 150, "total_b12_unit": canonical})
    assert a["lab"] == b["lab"] and a["request"]["total_b12_unit"] == canonical


# --- combinations no patient can have (README contract, "Combinations") -------------------------------------


@pytest.mark.parametrize("age", [70, 69.5, 120, 7, 0.5, "70", "70 years"])
def test_pregnant_or_breastfeeding_outside_the_recorded_ages_is_a_field_error(age: object) -> None:
    """guideline.toml [[limits]] pregnant_or_breastfeeding, 8-69 years (periods can start from 8, NHS;
    births over 65 recorded in England, ONS): 'pregnant at 70' is a field message naming the age, on the
    box, never a plan (HAZ-05, HAZ-17)."""
    with pytest.raises(InputError) as caught:
        evaluate({"total_b12": 150, "age_years": age, "pregnant_or_breastfeeding": True})
    (error,) = caught.value.errors
    assert error.field == "pregnant_or_breastfeeding"
    assert "check the age" in error.message and "8\u201369 years" in error.message


@pytest.mark.parametrize("age", [8, 15, 16, 45, 69, None])
def test_pregnant_or_breastfeeding_within_the_recorded_ages_is_accepted(age: float | None) -> None:
    """The edges of the [[limits]] range are accepted; without an age the box is taken as ticked."""
    result = evaluate({"total_b12": 150, "age_years": age, "pregnant_or_breastfeeding": True})
    assert result["request"]["pregnant_or_breastfeeding"] is True


def test_an_implausible_age_is_reported_once_not_again_with_pregnancy() -> None:
    """An age outside its own limit is the age's error; the combination is checked only between values
    that passed their own checks (one message per field, the cause named once)."""
    assert error_fields({"age_years": 130, "pregnant_or_breastfeeding": True}) == ["age_years"]


@pytest.mark.parametrize(
    ("age", "weeks", "bad"),
    [(1, 60, True), (0.5, 27, True), (1, 52, False), (40, 5200, True), (40, 2000, False)],
)
def test_longer_on_treatment_than_alive_is_a_field_error(age: float, weeks: float, bad: bool) -> None:
    """Weeks on treatment longer than the patient's age (365.25 days a year) cannot be: a field message on
    weeks_on_treatment naming the age."""
    request = {"visit": "review", "age_years": age, "weeks_on_treatment": weeks}
    if bad:
        with pytest.raises(InputError) as caught:
            evaluate(request)
        (error,) = caught.value.errors
        assert error.field == "weeks_on_treatment" and f"age {age:g}" in error.message
    else:
        evaluate(request)

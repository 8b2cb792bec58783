"""Numbers typed as text (README contract, "Numbers typed as text"): the page passes any number field that
is not a plain JavaScript number as typed, so the engine reads "150,5", "1,500.5" and "110 pmol/L" itself
-- and never guesses (HAZ-17: bad input silently interpreted; HAZ-01/HAZ-02: a unit slip).

The oracles are the contract's sentences, written out per case or built from Python's own formatting of a
figure, never calc's reader."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calc import REQUEST_FIELDS, InputError, evaluate

NUMBER_FIELDS = [f.name for f in REQUEST_FIELDS if f.kind == "number"]


def echoed(request: dict[str, Any], field: str = "total_b12") -> float:
    """The figure the result says it read for ``field``."""
    value = evaluate(request)["request"][field]
    assert isinstance(value, float)
    return value


def field_errors(request: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(InputError) as caught:
        evaluate(request)
    return {e.field: e.message for e in caught.value.errors}


# --- golden examples ---------------------------------------------------------------------------------------

READ = [
    # Contract: "one point or one comma is the decimal separator"; "surrounding spaces are ignored".
    ("150", 150.0),
    ("150,5", 150.5),
    (" 150,5 ", 150.5),
    ("150.5", 150.5),
    ("\u00a0150,5\t", 150.5),
    ("1500,25", 1500.25),  # four digits before the comma: not a thousands group
    ("150,55", 150.55),
    ("150,5555", 150.5555),
    ("+150", 150.0),
    # Contract: a grouping separator is read "only when the text cannot mean anything else".
    ("1,500.5", 1500.5),
    ("1.500,5", 1500.5),
    ("12,345.0", 12345.0),
    # Contract: a unit may follow the figure, with or without a space, in any letter case.
    ("150 ng/L", 150.0),
    ("150ng/l", 150.0),
    ("150 NG/L", 150.0),
    ("150,5 ng / L", 150.5),
    ("150 pg/mL", 150.0),  # the same quantity as ng/L: no conversion, the same figure
]


@pytest.mark.parametrize(("text", "figure"), READ)
def test_typed_total_b12_is_read(text: str, figure: float) -> None:
    """Contract: '150,5' and ' 150,5 ' read as 150.5; '150 ng/L' and '150ng/l' as 150 (ng/L chosen)."""
    assert echoed({"total_b12": text}) == figure
    # The figure read from the text gives the same result as the figure sent as a JSON number.
    assert evaluate({"total_b12": text})["lab"] == evaluate({"total_b12": figure})["lab"]


@pytest.mark.parametrize(
    ("request_", "field", "figure"),
    [
        ({"total_b12": "110 pmol/L", "total_b12_unit": "pmol/L"}, "total_b12", 110.0),
        ({"total_b12": "110pmol/l", "total_b12_unit": "pmol/L"}, "total_b12", 110.0),
        ({"total_b12": 250, "mma": "0.5 \u00b5mol/L"}, "mma", 0.5),  # micro sign
        ({"total_b12": 250, "mma": "0,5 \u03bcmol/L"}, "mma", 0.5),  # Greek mu
        ({"total_b12": 250, "mma": "0.5 umol/L"}, "mma", 0.5),
        ({"total_b12": 250, "mma": "500 nmol/L", "mma_unit": "nmol/L"}, "mma", 500.0),
        ({"total_b12": 250, "mma": 0.5, "mma_upper_limit": "0,35 umol/l"}, "mma_upper_limit", 0.35),
        ({"active_b12": "45 pmol/L"}, "active_b12", 45.0),
        ({"age_years": "70 years"}, "age_years", 70.0),
        ({"age_years": "45,5"}, "age_years", 45.5),
        ({"ileal_resection_cm": "25 cm"}, "ileal_resection_cm", 25.0),
        ({"visit": "review", "weeks_on_treatment": "12 weeks"}, "weeks_on_treatment", 12.0),
    ],
)
def test_typed_unit_that_agrees_is_read(request_: dict[str, Any], field: str, figure: float) -> None:
    """Contract: '110 pmol/L', '0.5 µmol/L' / '0.5 umol/L' / '500 nmol/L' are read: the number, and the
    unit checked against the unit chosen (or the field's own unit)."""
    assert echoed(request_, field) == figure


@pytest.mark.parametrize(
    ("request_", "field", "named"),
    [
        ({"total_b12": "110 pmol/L"}, "total_b12", ("pmol/L", "ng/L")),  # the unit left at its default
        ({"total_b12": "110 pmol/L", "total_b12_unit": "pg/mL"}, "total_b12", ("pmol/L", "pg/mL")),
        ({"total_b12": "150 ng/L", "total_b12_unit": "pmol/L"}, "total_b12", ("ng/L", "pmol/L")),
        ({"total_b12": 250, "mma": "500 nmol/L"}, "mma", ("nmol/L", "\u00b5mol/L")),
        (
            {"total_b12": 250, "mma": "0.5 \u00b5mol/L", "mma_unit": "nmol/L"},
            "mma",
            ("\u00b5mol/L", "nmol/L"),
        ),
        ({"total_b12": 250, "mma": 0.5, "mma_upper_limit": "400 nmol/L"}, "mma_upper_limit", ("nmol/L",)),
    ],
)
def test_typed_unit_that_differs_from_the_chosen_unit_is_a_field_error(
    request_: dict[str, Any], field: str, named: tuple[str, ...]
) -> None:
    """Contract: a typed unit that differs from the unit chosen is a field message naming both -- never a
    silent conversion and never a result (HAZ-01: pmol/L vs ng/L; HAZ-02: µmol/L vs nmol/L)."""
    errors = field_errors(request_)
    assert list(errors) == [field]
    assert all(unit in errors[field] for unit in named), errors[field]


@pytest.mark.parametrize(
    ("field", "text", "listed"),
    [
        ("total_b12", "150 nmol/L", ("ng/L", "pg/mL", "pmol/L")),
        ("total_b12", "150 \u00b5g/L", ("ng/L", "pg/mL", "pmol/L")),
        ("total_b12", "150 mg", ("ng/L", "pg/mL", "pmol/L")),
        ("mma", "0.3 mg/L", ("\u00b5mol/L", "nmol/L")),
        ("active_b12", "45 ng/L", ("pmol/L",)),
        ("age_years", "6 months", ("years",)),
        ("ileal_resection_cm", "2 m", ("cm",)),
    ],
)
def test_unknown_typed_unit_lists_the_accepted_ones(field: str, text: str, listed: tuple[str, ...]) -> None:
    """Contract: 'an unknown unit text is a field message listing the accepted ones'."""
    base = {"total_b12": 250} if field == "mma" else {}
    errors = field_errors({**base, field: text})
    assert list(errors) == [field]
    assert all(unit in errors[field] for unit in listed), errors[field]


@pytest.mark.parametrize(
    ("text", "readings"),
    [("1,500", ("1500", "1.5")), ("1.500", ("1500", "1.5")), ("12,345", ("12345", "12.345")),
     (" 1,500 ng/L", ("1500", "1.5")), ("999.999", ("999999", "999.999"))],
)
def test_thousands_or_decimal_is_asked_not_guessed(text: str, readings: tuple[str, str]) -> None:
    """Contract: one separator followed by exactly three digits, after 1-3 digits that do not start with 0,
    could be a thousands separator or a decimal one: a field message giving both readings, never a guess
    (HAZ-17) -- even where one reading is implausible for the field."""
    errors = field_errors({"total_b12": text})
    assert list(errors) == ["total_b12"]
    assert all(reading in errors["total_b12"] for reading in readings), errors["total_b12"]


@pytest.mark.parametrize("text", ["0,350", "0.350", ",350"])
def test_a_leading_zero_is_never_a_thousands_group(text: str) -> None:
    """Contract: '... after 1-3 digits that do not start with 0': 0,350 is 0.35 (an MMA as labs print it)."""
    assert echoed({"total_b12": 250, "mma": text}, "mma") == 0.35


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("abc", "must be a number"),
        ("1_000", "must be a number"),  # Python's float() reads 1000
        ("nan", "must be a number"),
        ("infinity", "must be a number"),
        ("\u0661\u0665\u0660", "must be a number"),  # Arabic-Indic 150: float() reads it
        ("\uff11\uff15\uff10", "must be a number"),  # full-width 150
        ("1 500", "must be a number"),
        ("1.5.5", "must be a number"),
        ("1,234,5", "must be a number"),  # groups of three only
        ("150/", "must be a number"),
        ("ng/L 150", "must be a number"),
        ("<150", "a bound"),
        (">2000", "a bound"),
        ("\u2264150", "a bound"),
        ("1e400", "far too large"),
        ("-150", "cannot be negative"),
        ("-1,5", "cannot be negative"),
    ],
)
def test_text_that_states_no_figure_is_a_field_error(text: str, says: str) -> None:
    """Contract: bad input gets a field-level message, never a traceback and never a silent reading."""
    errors = field_errors({"total_b12": text})
    assert list(errors) == ["total_b12"]
    assert says in errors["total_b12"], errors["total_b12"]


@pytest.mark.parametrize("field", NUMBER_FIELDS)
def test_every_number_field_reads_a_decimal_comma(field: str) -> None:
    """Contract: the decimal comma is read "for every numeric lab field" (and the other number fields)."""
    base = {"mma": {"total_b12": 250}, "mma_upper_limit": {"total_b12": 250}}.get(field, {})
    figure = {"total_b12": "150,5", "mma": "0,5", "mma_upper_limit": "0,5"}.get(field, "12,5")
    assert echoed({**base, field: figure}, field) == float(figure.replace(",", "."))


# --- properties --------------------------------------------------------------------------------------------

decimals = st.decimals(min_value=10, max_value=50000, places=2, allow_nan=False, allow_infinity=False)


@given(decimals)
def test_decimal_comma_and_point_read_alike(figure: Any) -> None:
    """Property: a figure with its decimal point written as a comma reads as the figure itself, unless the
    text is a thousands-or-decimal ambiguity (exactly three digits after the separator: impossible with two
    places)."""
    text = f"{figure:f}"
    assert echoed({"total_b12": text.replace(".", ",")}) == echoed({"total_b12": text}) == float(figure)


@given(st.integers(min_value=1000, max_value=49_999), st.sampled_from(["", ".25", ".5"]))
def test_unambiguous_thousands_groups_are_read(whole: int, fraction: str) -> None:
    """Property: Python's own grouping (f"{n:,}") with a decimal part is read as the number, in either
    convention ("12,345.25" and "12.345,25"); without one, a single group is asked about, never read."""
    grouped = f"{whole:,}"
    if fraction:
        english = grouped + fraction
        continental = grouped.replace(",", ".") + fraction.replace(".", ",")
        figure = float(f"{whole}{fraction}")
        assert echoed({"total_b12": english}) == echoed({"total_b12": continental}) == figure
    else:
        for text in (grouped, grouped.replace(",", ".")):
            assert list(field_errors({"total_b12": text})) == ["total_b12"]


UNIT_SPELLINGS = {
    "ng/L": ["ng/L", "ng/l", "NG/L", "ng / L"],
    "pg/mL": ["pg/mL", "pg/ml", "PG/ML"],
    "pmol/L": ["pmol/L", "pmol/l", "PMOL/L"],
}


@given(
    st.sampled_from(sorted(UNIT_SPELLINGS)),
    st.sampled_from(sorted(UNIT_SPELLINGS)),
    st.integers(min_value=0, max_value=3),
    st.decimals(min_value=20, max_value=3000, places=1),
    st.sampled_from(["", " ", "  "]),
)
def test_a_typed_unit_is_never_converted(
    typed: str, chosen: str, spelling: int, figure: Any, space: str
) -> None:
    """Property (HAZ-01): whatever unit is typed with the figure and whatever unit is chosen, the result
    either reads the figure unchanged in the chosen unit (the two units are the same quantity: ng/L and
    pg/mL, or the same unit) or is a field error on total_b12 naming both units -- never a conversion."""
    spellings = UNIT_SPELLINGS[typed]
    text = f"{figure}{space}{spellings[spelling % len(spellings)]}"
    request = {"total_b12": text, "total_b12_unit": chosen}
    same = {typed, chosen} <= {"ng/L", "pg/mL"} or typed == chosen
    if same:
        result = evaluate(request)
        assert result["request"]["total_b12"] == float(figure)
        assert result["request"]["total_b12_unit"] == chosen
    else:
        errors = field_errors(request)
        assert list(errors) == ["total_b12"]
        assert typed in errors["total_b12"] and chosen in errors["total_b12"]

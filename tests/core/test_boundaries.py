"""Every band edge in every unit, the MMA limit in both units, and the plausibility limits.

The pmol/L edges are computed here from the molar mass (1355.37 g/mol), independently of calc's own
conversion code.
"""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from calc import InputError, evaluate

MOLAR_MASS = 1355.37
PMOL_PER_NG = 1000 / MOLAR_MASS
EDGE_LOW_PMOL = 180 * PMOL_PER_NG  # 132.805... pmol/L
EDGE_HIGH_PMOL = 350 * PMOL_PER_NG  # 258.232... pmol/L

LIMITS = {
    lim["field"]: lim
    for lim in tomllib.loads(resources.files("calc.data").joinpath("guideline.toml").read_text("utf-8"))[
        "limits"
    ]
}


def status(**request: object) -> str:
    return evaluate(request)["lab"]["status"]


def test_independent_pmol_edges() -> None:
    """B1: 'NICE bands in both units: 180 ng/L = 133 pmol/L; 350 ng/L = 258 pmol/L (calculated: 132.8 and
    258.2)'. Guards the constants this module uses."""
    assert pytest.approx(132.805, abs=5e-4) == EDGE_LOW_PMOL
    assert pytest.approx(258.232, abs=5e-4) == EDGE_HIGH_PMOL


@pytest.mark.parametrize("unit", ["ng/L", "pg/mL"])
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (179.9, "deficient"),
        (180, "indeterminate"),
        (180.0, "indeterminate"),
        (180.1, "indeterminate"),
        (349.9, "indeterminate"),
        (350, "indeterminate"),
        (350.0, "indeterminate"),
        (350.1, "unlikely"),
    ],
)
def test_total_b12_edges_mass_units(unit: str, value: float, expected: str) -> None:
    """NICE NG239: 'Total B12: <180 ng/L ... = confirmed; 180-350 ng/L ... = indeterminate; >350 ng/L ...
    = unlikely' -- both edges belong to the indeterminate band; ng/L == pg/mL ('1 pg/mL = 1 ng/L')."""
    assert status(total_b12=value, total_b12_unit=unit) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (EDGE_LOW_PMOL - 0.01, "deficient"),
        (EDGE_LOW_PMOL - 0.001, "deficient"),
        (EDGE_LOW_PMOL + 0.001, "indeterminate"),
        (EDGE_LOW_PMOL + 0.01, "indeterminate"),
        (132.80, "deficient"),
        (132.81, "indeterminate"),
        (EDGE_HIGH_PMOL - 0.01, "indeterminate"),
        (EDGE_HIGH_PMOL - 0.001, "indeterminate"),
        (EDGE_HIGH_PMOL + 0.001, "unlikely"),
        (EDGE_HIGH_PMOL + 0.01, "unlikely"),
        (258.23, "indeterminate"),
        (258.24, "unlikely"),
    ],
)
def test_total_b12_edges_in_pmol(value: float, expected: str) -> None:
    """D4: 'Convert using 0.7378 pmol/L per ng/L (MW 1355.37)': the NICE edges in pmol/L are 180 and 350 ng/L
    converted (132.805 and 258.232 pmol/L), not NICE's rounded 133 and 258."""
    assert status(total_b12=value, total_b12_unit="pmol/L") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (132.9, "indeterminate"),
        (133, "indeterminate"),
        (258, "indeterminate"),
        (258.3, "unlikely"),
    ],
)
def test_nices_rounded_pmol_figures_fall_where_the_conversion_puts_them(value: float, expected: str) -> None:
    """Contract: 'conversion uses molar mass 1355.37 g/mol' -- 133 pmol/L is 180.3 ng/L (indeterminate) and
    258 pmol/L is 349.7 ng/L (indeterminate)."""
    assert status(total_b12=value, total_b12_unit="pmol/L") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (24.9, "deficient"),
        (25, "indeterminate"),
        (25.1, "indeterminate"),
        (69.9, "indeterminate"),
        (70, "indeterminate"),
        (70.1, "unlikely"),
    ],
)
def test_active_b12_edges(value: float, expected: str) -> None:
    """NICE NG239: 'Active B12: <25 pmol/L = confirmed; 25-70 pmol/L = indeterminate; >70 pmol/L =
    unlikely.'"""
    assert status(active_b12=value) == expected


@pytest.mark.parametrize(
    ("mma", "limit", "unit", "expected"),
    [
        (0.28, 0.28, "umol/L", "unlikely"),
        (0.281, 0.28, "umol/L", "deficient"),
        (0.45, 0.45, "umol/L", "unlikely"),
        (0.4501, 0.45, "umol/L", "deficient"),
        (280, 280, "nmol/L", "unlikely"),
        (281, 280, "nmol/L", "deficient"),
        (450, 450, "nmol/L", "unlikely"),
        (450.1, 450, "nmol/L", "deficient"),
    ],
)
def test_mma_against_the_labs_limit(mma: float, limit: float, unit: str, expected: str) -> None:
    """Contract: 'Indeterminate + MMA above the upper limit -> "deficient"; at or below -> "unlikely"';
    mma_unit umol/L or nmol/L. (B3: upper limits quoted in the sources run from 270-280 to 450 nmol/L.)"""
    assert status(total_b12=250, mma=mma, mma_upper_limit=limit, mma_unit=unit) == expected


@pytest.mark.parametrize(
    ("mma", "unit", "expected"),
    [
        (0.40, "umol/L", "unlikely"),
        (0.401, "umol/L", "deficient"),
        (400, "nmol/L", "unlikely"),
        (401, "nmol/L", "deficient"),
    ],
)
def test_mma_against_the_default_limit(mma: float, unit: str, expected: str) -> None:
    """Stabler 2013 (V): 'Normal <400 nmol/L (0.40 umol/L)' -- the documented default when no lab limit is
    given."""
    result = evaluate({"total_b12": 250, "mma": mma, "mma_unit": unit})
    assert result["lab"]["status"] == expected
    assert result["lab"]["mma_default_limit_used"] is True


# --- plausibility limits (guideline.toml [[limits]]) ---------------------------------------------------


def _accepted(request: dict) -> bool:
    try:
        evaluate(request)
    except InputError as exc:
        assert len(exc.errors) == 1
        return False
    return True


def test_limits_table_has_the_fields_the_contract_checks() -> None:
    """Contract: 'implausible values (limits in guideline.toml [[limits]])' are rejected."""
    assert {
        "total_b12",
        "active_b12",
        "mma",
        "mma_upper_limit",
        "age_years",
        "ileal_resection_cm",
        "start_date",
    } <= set(LIMITS)


@pytest.mark.parametrize("field", ["total_b12", "active_b12", "mma", "ileal_resection_cm", "age_years"])
def test_number_limits_edges(field: str) -> None:
    """Contract: implausible values are rejected at the [[limits]] edges: the max itself is accepted,
    just above it is not; an exclusive minimum rejects the minimum itself."""
    limit = LIMITS[field]
    base = {"total_b12": 250} if field == "mma" else {}
    top = limit["max"]
    assert _accepted({**base, field: top})
    assert not _accepted({**base, field: top * 1.001})
    if "min_exclusive" in limit:
        low = limit["min_exclusive"]
        assert not _accepted({**base, field: low})
        assert _accepted({**base, field: low + 1e-6})
    else:
        low = limit["min"]
        assert _accepted({**base, field: low})


def test_total_b12_limit_applies_after_conversion() -> None:
    """[[limits]] total_b12 is in ng/L: 50000 ng/L = 36890 pmol/L (x 0.73781)."""
    top_pmol = LIMITS["total_b12"]["max"] * PMOL_PER_NG
    assert _accepted({"total_b12": top_pmol * 0.9999, "total_b12_unit": "pmol/L"})
    assert not _accepted({"total_b12": top_pmol * 1.0001, "total_b12_unit": "pmol/L"})
    assert _accepted({"total_b12": LIMITS["total_b12"]["max"], "total_b12_unit": "pg/mL"})


@pytest.mark.parametrize("unit", ["umol/L", "nmol/L"])
def test_mma_limits_in_both_units(unit: str) -> None:
    """[[limits]] mma (max, umol/L) and mma_upper_limit (min-max, umol/L), checked in the unit chosen
    (1 umol/L = 1000 nmol/L)."""
    factor = 1000 if unit == "nmol/L" else 1
    mma_max = LIMITS["mma"]["max"] * factor
    lo, hi = LIMITS["mma_upper_limit"]["min"] * factor, LIMITS["mma_upper_limit"]["max"] * factor
    assert _accepted({"total_b12": 250, "mma": mma_max, "mma_unit": unit})
    assert not _accepted({"total_b12": 250, "mma": mma_max * 1.01, "mma_unit": unit})
    for ok in (lo, hi):
        assert _accepted({"total_b12": 250, "mma": 0.3 * factor, "mma_upper_limit": ok, "mma_unit": unit})
    for bad in (lo * 0.99, hi * 1.01):
        assert not _accepted(
            {"total_b12": 250, "mma": 0.3 * factor, "mma_upper_limit": bad, "mma_unit": unit}
        )


def test_start_date_year_limits() -> None:
    """[[limits]] start_date: years 2000-2099."""
    lo, hi = LIMITS["start_date"]["min"], LIMITS["start_date"]["max"]
    assert _accepted({"start_date": f"{lo}-01-01"})
    assert _accepted({"start_date": f"{hi}-12-31"})
    assert not _accepted({"start_date": f"{lo - 1}-12-31"})
    assert not _accepted({"start_date": f"{hi + 1}-01-01"})

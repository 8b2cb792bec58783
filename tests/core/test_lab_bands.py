"""Laboratory interpretation rules (NICE NG239 bands, MMA as the second-line test, unit conversion).

Expected values are worked from the sources, not from calc: the molar mass 1355.37 g/mol is written here
again on purpose, so a change to calc's conversion cannot pass unnoticed.
"""

from __future__ import annotations

import pytest

from calc import evaluate

MOLAR_MASS = 1355.37  # g/mol, cyanocobalamin (Wikipedia infobox, V)
PMOL_PER_NG = 1000 / MOLAR_MASS  # 1 ng/L = 1e-9 g/L / 1355.37 g/mol = 0.7378 pmol/L
STATUSES = {"deficient", "indeterminate", "unlikely", "not_tested"}


def lab(**request: object) -> dict:
    return evaluate(request)["lab"]


# --- total B12 bands ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "status"),
    [(50, "deficient"), (150, "deficient"), (250, "indeterminate"), (400, "unlikely"), (2000, "unlikely")],
)
def test_total_b12_bands(value: float, status: str) -> None:
    """NICE NG239 (as reproduced by the seed, S): 'Total B12: <180 ng/L (133 pmol/L) = confirmed;
    180-350 ng/L (133-258 pmol/L) = indeterminate; >350 ng/L (258 pmol/L) = unlikely.'"""
    result = lab(total_b12=value)
    assert result["status"] == status
    assert result["total_b12_band"] == status
    assert result["rule"] == "total_b12_band"


@pytest.mark.parametrize(
    ("value", "status"),
    [(5, "deficient"), (24, "deficient"), (40, "indeterminate"), (71, "unlikely"), (150, "unlikely")],
)
def test_active_b12_bands(value: float, status: str) -> None:
    """NICE NG239: 'Active B12: <25 pmol/L = confirmed; 25-70 pmol/L = indeterminate; >70 pmol/L =
    unlikely.'"""
    result = lab(active_b12=value)
    assert result["status"] == status
    assert result["active_b12_band"] == status
    assert result["rule"] == "active_b12_band"


def test_band_result_cites_nice() -> None:
    """D3: 'Interpretation band using NICE NG239 (both units shown), with the rule applied and a citation.'"""
    result = lab(total_b12=150)
    assert "nice-ng239" in result["refs"]
    assert result["rule_text"]
    assert result["next_steps"]


# --- unit conversion ---------------------------------------------------------------------------------


def test_ng_per_l_and_pg_per_ml_are_the_same_quantity() -> None:
    """labtests.co.in (V): '1 pg/mL = 1000 pg/L = 1 ng/L'."""
    a, b = lab(total_b12=222.2), lab(total_b12=222.2, total_b12_unit="pg/mL")
    assert a["total_b12_ng_per_l"] == b["total_b12_ng_per_l"] == 222.2
    assert a["total_b12_pmol_per_l"] == b["total_b12_pmol_per_l"]


@pytest.mark.parametrize("ng", [10.0, 100.0, 150.0, 180.0, 349.9, 1000.0, 12345.6])
def test_both_units_reported_rounded_to_one_decimal(ng: float) -> None:
    """D4: 'Convert using 0.7378 pmol/L per ng/L (MW 1355.37). Display both units, rounded.'
    Contract: the converted total_b12_ng_per_l and total_b12_pmol_per_l, rounded to 1 decimal."""
    result = lab(total_b12=ng)
    assert result["total_b12_ng_per_l"] == pytest.approx(round(ng, 1), abs=1e-9)
    assert result["total_b12_pmol_per_l"] == pytest.approx(round(ng * PMOL_PER_NG, 1), abs=1e-9)


@pytest.mark.parametrize("pmol", [50.0, 100.0, 132.8, 200.0, 258.3, 1000.0])
def test_pmol_input_converted_to_ng(pmol: float) -> None:
    """labtests.co.in (V): '1 pmol/L = 1.355 pg/mL' (exactly 1355.37/1000)."""
    result = lab(total_b12=pmol, total_b12_unit="pmol/L")
    assert result["total_b12_ng_per_l"] == pytest.approx(round(pmol / PMOL_PER_NG, 1), abs=1e-9)
    assert result["total_b12_pmol_per_l"] == pytest.approx(round(pmol, 1), abs=1e-9)


def test_conversion_matches_stablers_paired_values() -> None:
    """Stabler 2013 NEJM case (V): '205 pg per milliliter (151.2 pmol per liter)' (ratio 0.7376, so the
    one-decimal figures may differ by one unit in the last place)."""
    result = lab(total_b12=205, total_b12_unit="pg/mL")
    assert abs(result["total_b12_pmol_per_l"] - 151.2) <= 0.1 + 1e-9


def test_nice_edges_in_pmol_match_nices_rounded_figures() -> None:
    """NICE via the seed: '<180 ng/L (133 pmol/L) ... >350 ng/L (258 pmol/L)' (calculated: 132.8 and
    258.2)."""
    assert lab(total_b12=180)["total_b12_pmol_per_l"] == pytest.approx(132.8, abs=1e-9)
    assert lab(total_b12=350)["total_b12_pmol_per_l"] == pytest.approx(258.2, abs=1e-9)
    assert round(lab(total_b12=180)["total_b12_pmol_per_l"]) == 133
    assert round(lab(total_b12=350)["total_b12_pmol_per_l"]) == 258


def test_no_total_b12_means_no_converted_values() -> None:
    """Contract: the converted values describe the total B12 result; with only active B12 there is none."""
    result = lab(active_b12=40)
    assert result["total_b12_ng_per_l"] is None
    assert result["total_b12_pmol_per_l"] is None


# --- two first-line tests ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "active", "status"), [(150, 20, "deficient"), (250, 40, "indeterminate"), (400, 80, "unlikely")]
)
def test_concordant_first_line_tests(total: float, active: float, status: str) -> None:
    """BMJ summary (V): 'Offer an initial diagnostic test (total or active B12)': two tests in the same
    NICE band give that band."""
    assert lab(total_b12=total, active_b12=active)["status"] == status


@pytest.mark.parametrize(
    ("total", "active"), [(150, 40), (150, 80), (250, 20), (250, 80), (400, 20), (400, 40)]
)
def test_discordant_first_line_tests_are_indeterminate(total: float, active: float) -> None:
    """Contract: 'Total and active in different bands -> "indeterminate" with a discordant note and MMA as
    next step' (BMJ summary: consider MMA after 'an indeterminate total or active B12 test result')."""
    result = lab(total_b12=total, active_b12=active)
    assert result["status"] == "indeterminate"
    assert result["rule"] == "discordant_results"
    assert any("discordant" in n.lower() for n in result["notes"])
    assert any("MMA" in s for s in result["next_steps"])


# --- MMA ---------------------------------------------------------------------------------------------


def test_indeterminate_result_suggests_mma() -> None:
    """BMJ summary (V): 'Consider a further test to measure serum methylmalonic acid concentrations in people
    who have symptoms or signs of vitamin B12 deficiency and an indeterminate total or active B12 test
    result'."""
    result = lab(total_b12=250)
    assert result["status"] == "indeterminate"
    assert any("MMA" in s for s in result["next_steps"])
    assert result["mma_used"] is False


@pytest.mark.parametrize(
    ("mma", "limit", "status"),
    [
        (0.50, 0.35, "deficient"),
        (0.36, 0.35, "deficient"),
        (0.35, 0.35, "unlikely"),
        (0.20, 0.35, "unlikely"),
    ],
)
def test_mma_settles_an_indeterminate_result(mma: float, limit: float, status: str) -> None:
    """Contract: 'Indeterminate + MMA above the upper limit -> "deficient"; at or below -> "unlikely".'
    B3: 'ask for the lab's upper limit for MMA' -- the lab's own limit is used when given."""
    result = lab(total_b12=250, mma=mma, mma_upper_limit=limit)
    assert result["status"] == status
    assert result["mma_used"] is True
    assert result["mma_default_limit_used"] is False
    assert result["mma_upper_limit_umol_per_l"] == pytest.approx(limit)


def test_mma_settles_an_indeterminate_active_b12() -> None:
    """BMJ summary: MMA after 'an indeterminate total or active B12 test result' -- active counts too."""
    assert lab(active_b12=40, mma=0.6, mma_upper_limit=0.4)["status"] == "deficient"
    assert lab(active_b12=40, mma=0.3, mma_upper_limit=0.4)["status"] == "unlikely"


def test_mma_default_limit_is_stablers_and_declared() -> None:
    """Contract: 'MMA upper limit absent -> documented default (0.40 umol/L, Stabler) and the result says so
    (mma_default_limit_used, warning code mma_default_limit)'. Stabler 2013 (V): 'Normal <400 nmol/L'."""
    result = evaluate({"total_b12": 250, "mma": 0.41})
    assert result["lab"]["status"] == "deficient"
    assert result["lab"]["mma_default_limit_used"] is True
    assert result["lab"]["mma_upper_limit_umol_per_l"] == pytest.approx(0.40)
    assert "stabler-2013-nejm" in result["lab"]["refs"]
    warning = next(w for w in result["warnings"] if w["code"] == "mma_default_limit")
    assert "0.40" in warning["text"]
    assert "stabler-2013-nejm" in warning["refs"]


def test_mma_default_limit_is_not_called_a_nice_value() -> None:
    """D4: 'Treat MMA thresholds as lab-specific. Do not label any MMA number as "NICE".'"""
    result = evaluate({"total_b12": 250, "mma": 0.41})
    warning = next(w for w in result["warnings"] if w["code"] == "mma_default_limit")
    assert "not a NICE value" in warning["text"]
    assert "default" in result["lab"]["rule_text"]


def test_mma_in_nmol_per_l() -> None:
    """Contract: 'mma_unit umol/L or nmol/L (1 umol/L = 1000 nmol/L)'."""
    assert lab(total_b12=250, mma=450, mma_unit="nmol/L", mma_upper_limit=400)["status"] == "deficient"
    assert lab(total_b12=250, mma=350, mma_unit="nmol/L", mma_upper_limit=400)["status"] == "unlikely"
    result = lab(total_b12=250, mma=401, mma_unit="nmol/L")
    assert result["status"] == "deficient"
    assert result["mma_default_limit_used"] is True


@pytest.mark.parametrize("unit", ["\u00b5mol/L", "\u03bcmol/L"])
def test_micro_sign_spellings_of_umol(unit: str) -> None:
    """D2: 'MMA (umol/L or nmol/L)' -- the micro sign and Greek mu are the same unit as umol/L."""
    assert lab(total_b12=250, mma=0.5, mma_unit=unit, mma_upper_limit=0.4)["status"] == "deficient"


@pytest.mark.parametrize(("total", "status"), [(150, "deficient"), (400, "unlikely")])
def test_mma_not_used_when_first_line_is_clear(total: float, status: str) -> None:
    """NICE uses MMA only for 'an indeterminate total or active B12 test result': a clear band stands."""
    result = evaluate({"total_b12": total, "mma": 0.9 if status == "unlikely" else 0.1})
    assert result["lab"]["status"] == status
    assert result["lab"]["mma_used"] is False
    assert "mma_default_limit" not in {w["code"] for w in result["warnings"]}


def test_kidney_caveat_when_mma_is_used() -> None:
    """B3 (V): 'Unadjusted MMA overestimates deficiency by about 40% when eGFR is reduced'; C9: the seed gives
    'no warning that impaired kidney function raises MMA'."""
    result = evaluate({"total_b12": 250, "mma": 0.5, "mma_upper_limit": 0.4})
    codes = {w["code"] for w in result["warnings"]}
    assert "mma_kidney_function" in codes
    assert "mma_kidney_function" not in {w["code"] for w in evaluate({"total_b12": 250})["warnings"]}


# --- not tested, scope -------------------------------------------------------------------------------


def test_no_first_line_test_is_not_tested() -> None:
    """BMJ summary (V): 'Offer an initial diagnostic test (total or active B12) ... to people who have at
    least one common symptom or sign and at least one common risk factor'."""
    result = lab()
    assert result["status"] == "not_tested"
    assert any("symptom" in s for s in result["next_steps"])


def test_neurological_symptoms_do_not_wait_for_results() -> None:
    """gpreasoning NG239 (S): neurological features -> 'do not wait on blood results - start immediate
    replacement'."""
    for request in ({"neurological_symptoms": True}, {"total_b12": 150, "neurological_symptoms": True}):
        steps = lab(**request)["next_steps"]
        assert any("do not wait" in s for s in steps)


def test_child_result_is_flagged_outside_nice_scope() -> None:
    """C5: 'NG239 covers people aged 16 and over only, so its thresholds and recommendations should not be
    applied to children.'"""
    child, adult = lab(total_b12=150, age_years=15), lab(total_b12=150, age_years=16)
    assert child["within_nice_scope"] is False
    assert any("16" in n for n in child["notes"])
    assert adult["within_nice_scope"] is True
    assert not adult["notes"]


def test_status_is_always_one_of_four() -> None:
    """Contract: 'status in deficient/indeterminate/unlikely/not_tested'."""
    for request in ({}, {"total_b12": 10}, {"active_b12": 70}, {"total_b12": 300, "mma": 1}):
        assert lab(**request)["status"] in STATUSES

"""The bundled data: build_guideline rejects broken data (calc.DataError), and the data says what the sources
say.

The TOML is read through importlib.resources (as calc does), so this also works from the installed wheel
inside Pyodide, where only tests/core is mounted."""

from __future__ import annotations

import copy
import tomllib
from importlib import resources
from typing import Any

import pytest

from calc import DataError
from calc.advice import is_known_trigger
from calc.loader import build_guideline, load_guideline

_DATA_DIR = resources.files("calc.data")
RULES: dict[str, Any] = tomllib.loads(_DATA_DIR.joinpath("guideline.toml").read_text("utf-8"))
REFS: dict[str, Any] = tomllib.loads(_DATA_DIR.joinpath("references.toml").read_text("utf-8"))


def fresh() -> tuple[dict[str, Any], dict[str, Any]]:
    return copy.deepcopy(RULES), copy.deepcopy(REFS)


def test_unmodified_data_builds() -> None:
    """Control for the rejections below: the copies themselves are valid."""
    rules, refs = fresh()
    guideline = build_guideline(rules, refs)
    assert len(guideline.regimens) == len(RULES["regimens"])
    assert len(guideline.references) == len(REFS["references"])


def test_rejects_regimen_citing_unknown_reference() -> None:
    """Every number cites reference keys from references.toml (guideline.toml header): an unknown key is a
    data bug."""
    rules, refs = fresh()
    rules["regimens"][0]["refs"].append("no-such-reference-2099")
    with pytest.raises(DataError, match="unknown reference"):
        build_guideline(rules, refs)


def test_rejects_warning_citing_unknown_reference() -> None:
    """Contract: warnings carry refs that resolve."""
    rules, refs = fresh()
    rules["warnings"][0]["refs"] = ["no-such-reference-2099"]
    with pytest.raises(DataError, match="unknown reference"):
        build_guideline(rules, refs)


def test_rejects_duplicate_reference_key() -> None:
    """references.toml: 'key  stable identifier, never reused'."""
    rules, refs = fresh()
    refs["references"].append(copy.deepcopy(refs["references"][0]))
    with pytest.raises(DataError, match="duplicate"):
        build_guideline(rules, refs)


def test_rejects_r_verified_primary_regimen() -> None:
    """Verification key: R = 'from the researcher's knowledge, not confirmed in any archived copy. Check it
    before publishing.' -- policy: an R regimen is never primary (never recommended)."""
    rules, refs = fresh()
    primary = next(r for r in rules["regimens"] if r["primary"])
    primary["verification"] = "R"
    with pytest.raises(DataError, match="R regimen cannot be primary"):
        build_guideline(rules, refs)


def test_rejects_primary_childrens_regimen() -> None:
    """C5: NG239 covers 16 and over only -- policy: a children's regimen is never primary."""
    rules, refs = fresh()
    child = next(r for r in rules["regimens"] if r["population"] == "child" and r["verification"] != "R")
    child["primary"] = True
    with pytest.raises(DataError, match="child"):
        build_guideline(rules, refs)


@pytest.mark.parametrize(("low", "high"), [(350, 180), (180, 180), (0, 350), (-5, 350)])
def test_rejects_band_edges_out_of_order(low: float, high: float) -> None:
    """NICE: '<180 ... 180-350 ... >350' -- the deficient edge must lie below the unlikely edge."""
    rules, refs = fresh()
    rules["bands"][0]["deficient_below"], rules["bands"][0]["unlikely_above"] = low, high
    with pytest.raises(DataError, match="out of order"):
        build_guideline(rules, refs)


def test_rejects_reference_without_doi_or_url() -> None:
    """D3: 'Evidence panel for every recommendation: source name, year, jurisdiction, evidence type ...,
    direct link'."""
    rules, refs = fresh()
    entry = refs["references"][0]
    entry.pop("doi", None)
    entry.pop("url", None)
    with pytest.raises(DataError, match="DOI or a URL"):
        build_guideline(rules, refs)


@pytest.mark.parametrize("status", ["X", "v", "", "verified"])
def test_rejects_unknown_verification_status(status: str) -> None:
    """Verification key used throughout: V, S or R."""
    rules, refs = fresh()
    refs["references"][0]["verification"] = status
    with pytest.raises(DataError):
        build_guideline(rules, refs)


def test_rejects_missing_field() -> None:
    """A misspelt or missing field is a DataError, not a KeyError."""
    rules, refs = fresh()
    del rules["regimens"][0]["phases"]
    with pytest.raises(DataError):
        build_guideline(rules, refs)


# --- the data itself ---------------------------------------------------------------------------------------


def test_every_when_trigger_is_known() -> None:
    """calc/advice.py: 'TRIGGERS lists the fixed ones so that a typo in the data fails a test, not
    silently'."""
    guideline = load_guideline()
    for section in ("monitoring", "warnings", "caveats"):
        for item in RULES[section]:
            when = item.get("when", "always")
            assert is_known_trigger(when, guideline), f"{section} {item['code']}: unknown trigger {when!r}"


def test_is_known_trigger_rejects_typos() -> None:
    """The trigger check can fail: misspelt triggers, flags and causes are unknown."""
    guideline = load_guideline()
    for when in ("alway", "flag:neuro", "cause:vegan", "lab:deficent", ""):
        assert not is_known_trigger(when, guideline)


def test_every_reference_has_a_verification_status() -> None:
    """Verification key: 'V Verified ... S Secondary ... R Recall'."""
    for ref in REFS["references"]:
        assert ref.get("verification") in ("V", "S", "R"), ref["key"]
        assert ref.get("doi") or ref.get("url"), ref["key"]


def test_references_tagged_as_in_the_research() -> None:
    """A (sources): NICE NG239 (V), BMJ summary (V), AFP 2017 (V), Lacombe 2024 (V), US hydroxocobalamin label
    (V), Wolffenbuttel 2019 '(R) ... No archived copy was found', ESPEN IBD wording (R), BOMSS 2020 (V),
    Battat 2014 (V), BNF via PAS (S), ADA via secondary sources (S), NASGP (S), Cochrane 2018 (V), Delphi 2024
    (V)."""
    status = {r["key"]: r["verification"] for r in REFS["references"]}
    assert status["nice-ng239"] == "V"
    assert status["sands-2024-bmj"] == "V"
    assert status["langan-2017-afp"] == "V"
    assert status["lacombe-2024"] == "V"
    assert status["us-label-hydroxocobalamin"] == "V"
    assert status["wolffenbuttel-2019"] == "S"  # details seen in a copy; the '50%' wording never
    assert status["espen-ibd"] == "R"
    assert status["bomss-2020"] == "V"
    assert status["battat-2014"] == "V"
    assert status["bnf-hydroxocobalamin"] == "S"
    assert status["ada-standards"] == "S"
    assert status["nasgp-2024"] == "S"
    assert status["wang-2018-cochrane"] == "V"
    assert status["obeid-2024-delphi"] == "V"


def test_bands_are_nices() -> None:
    """NICE NG239: 'Total B12: <180 ng/L ... >350 ng/L'; 'Active B12: <25 pmol/L ... >70 pmol/L'."""
    bands = {b["test"]: b for b in RULES["bands"]}
    assert (bands["total_b12"]["deficient_below"], bands["total_b12"]["unlikely_above"]) == (180, 350)
    assert bands["total_b12"]["unit"] == "ng/L"
    assert (bands["active_b12"]["deficient_below"], bands["active_b12"]["unlikely_above"]) == (25, 70)
    assert bands["active_b12"]["unit"] == "pmol/L"
    for b in bands.values():
        assert "nice-ng239" in b["refs"]


def test_conversion_molar_mass() -> None:
    """B1 (V): 'Molar mass of cyanocobalamin 1355.37 g/mol (C63H88CoN14O14P)'."""
    assert RULES["conversion"]["molar_mass_g_per_mol"] == 1355.37


def test_mma_default_is_stablers_not_nices() -> None:
    """B3: 'Normal <400 nmol/L (0.40 umol/L) -- Stabler 2013 (V)'; 'Do not hard-code 0.45 umol/L as
    "NICE"'."""
    assert RULES["mma"]["default_upper_limit_umol_per_l"] == 0.40
    assert "stabler-2013-nejm" in RULES["mma"]["refs"]
    assert "Not a NICE value" in RULES["mma"]["default_source"]


def test_review_policy() -> None:
    """NASGP (S): 'People should be reviewed after 3m of treatment (or after 1m in those pregnant or
    breastfeeding)'."""
    assert RULES["review"]["months"] == 3
    assert RULES["review"]["months_pregnant_or_breastfeeding"] == 1


def test_nice_minimum_age() -> None:
    """NICE NG239: 'Vitamin B12 deficiency in over 16s' -- 'covers people aged 16 and over only'."""
    assert RULES["meta"]["nice_min_age_years"] == 16


def test_every_r_regimen_is_not_primary_and_every_child_regimen_is_not_primary() -> None:
    """Policy (calc/regimens.py): 'never an unverified one, never a child's'."""
    for r in RULES["regimens"]:
        if r["verification"] == "R" or r["population"] == "child":
            assert not r["primary"], r["id"]


def test_malabsorption_classification_of_causes() -> None:
    """BMJ summary (V): oral >= 1 mg a day for deficiency 'caused, or suspected to be caused, by
    malabsorption'. Diet (low intake with normal absorption) and nitrous oxide (inactivation) are not
    malabsorption; autoimmune gastritis (no intrinsic factor), bariatric surgery and ileal resection are; an
    unknown cause is 'suspected'."""
    malabsorption = {c["code"]: c["malabsorption"] for c in RULES["causes"]}
    assert malabsorption["dietary"] is False
    assert malabsorption["nitrous_oxide"] is False
    for code in ("autoimmune_gastritis", "bariatric_surgery", "ileal_resection", "unknown"):
        assert malabsorption[code] is True


def test_children_regimens_are_bnfc_or_label() -> None:
    """C5: 'BNFC uses 1 mg regimens'; the US label children's regimen is shown as label text."""
    children = [r for r in RULES["regimens"] if r["population"] == "child"]
    assert {r["source"] for r in children} <= {"bnfc-2011", "us-label-hydroxocobalamin"}
    assert len(children) >= 2

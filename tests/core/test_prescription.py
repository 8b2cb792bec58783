"""The prescription line (calc/products.py, calc/data/products.toml): a product a pharmacist can dispense,
with directions worked out from the plan's regimen and the pharmacist checks that apply."""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any

import pytest

from calc import DataError, evaluate, load_guideline
from calc.products import build_catalogue, load_catalogue

DATA = tomllib.loads(resources.files("calc.data").joinpath("products.toml").read_text("utf-8"))


def rx(request: dict[str, Any]) -> dict[str, Any]:
    prescription = evaluate(request)["plan"]["prescription"]
    assert prescription is not None, request
    return prescription


def test_every_regimen_a_plan_can_name_has_a_product() -> None:
    """Contract: 'Every treat plan carries a cited prescription line' -- so every regimen of the decision
    table's plan rows (and their alternatives) is served by a product of its own country."""
    guideline = load_guideline()
    catalogue = load_catalogue()
    for row in guideline.decisions.plan:
        for regimen_id in (row.regimen, *row.alternatives):
            assert catalogue.product_for(guideline.regimen(regimen_id)) is not None, regimen_id


@pytest.mark.parametrize(
    ("request_", "product", "directions"),
    [
        # NICE: 'at least 1 mg a day' -> one Orobalin 1 mg tablet (SmPC: 'Normally, 1 tablet daily').
        ({"total_b12": 150}, "Cyanocobalamin 1 mg film-coated tablets", "Take ONE tablet daily"),
        # NHS formulary: 50-150 micrograms daily -> one to three 50 microgram tablets (Cytacon PIL: '1 to 3').
        (
            {"total_b12": 150, "causes": ["vegan"]},
            "Cyanocobalamin 50 microgram tablets",
            "Take ONE to THREE tablets daily",
        ),
        # BNF: 1 mg three times a week for 2 weeks, then every 2-3 months -> 1 mL of the 1 mg/mL solution.
        (
            {"total_b12": 150, "causes": ["autoimmune_gastritis"]},
            "Hydroxocobalamin 1 mg in 1 mL solution for injection",
            "1 mL by intramuscular injection 3 times a week for 2 weeks, "
            "then 1 mL every 2\u20133 months for life",
        ),
        # BNF neurological: alternate days until no further improvement.
        (
            {"total_b12": 150, "neurological_symptoms": True},
            "Hydroxocobalamin 1 mg in 1 mL solution for injection",
            "1 mL by intramuscular injection on alternate days until no further improvement, "
            "then 1 mL every 2 months",
        ),
        # US practice: cyanocobalamin 1000 micrograms daily for 1-2 weeks, weekly for a month, then monthly.
        (
            {"total_b12": 150, "guidance": "us", "causes": ["autoimmune_gastritis"]},
            "Cyanocobalamin Injection, USP 1000 mcg/mL",
            "1 mL by intramuscular injection daily for 1\u20132 weeks, then 1 mL weekly for 1 month, "
            "then 1 mL monthly for life",
        ),
    ],
)
def test_the_line_names_the_product_and_directions(
    request_: dict[str, Any], product: str, directions: str
) -> None:
    """Contract: the product (generic name, form, strength, e.g. 'Cyanocobalamin 1 mg tablets'), its
    licensed status, and directions a patient can follow ('Take ONE tablet daily'; '1 mL by intramuscular
    injection three times a week for 2 weeks, then every 2-3 months')."""
    line = rx(request_)
    assert line["product"].startswith(product)
    assert line["directions"].startswith(directions), line["directions"]
    assert line["status"] and line["refs"] and line["line"].startswith(line["product"])


def test_licence_status_is_stated() -> None:
    """Contract: 'its licensed status under the chosen guidance (UK licence holder / a food supplement; US Rx
    or OTC)'."""
    assert "POM" in rx({"total_b12": 150, "causes": ["autoimmune_gastritis"]})["status"]
    assert "licensed" in rx({"total_b12": 150})["status"].lower()
    assert "OTC" in rx({"total_b12": 150, "guidance": "us"})["status"] or "supplement" in rx(
        {"total_b12": 150, "guidance": "us"}
    )["status"].lower()


def test_pharmacist_checks_attach_to_the_product_and_the_patient() -> None:
    """Contract: 'chloramphenicol, the absorption-reducing drugs, cobalt allergy and Leber's disease where
    they apply to the plan's product ... shown only when relevant'."""
    tablets = {c["title"] for c in rx({"total_b12": 150})["checks"]}
    assert any("Chloramphenicol" in t for t in tablets) and any("cobalt" in t.lower() for t in tablets)
    assert not any("Metformin" in t for t in tablets), "metformin only when the patient takes it"
    on_metformin = {c["title"] for c in rx({"total_b12": 150, "causes": ["metformin"]})["checks"]}
    assert any("Metformin" in t for t in on_metformin)
    injection = {c["title"] for c in rx({"total_b12": 150, "causes": ["autoimmune_gastritis"]})["checks"]}
    assert not any("Leber" in t for t in injection), "hydroxocobalamin is the form for Leber's disease"


def test_no_prescription_line_without_treatment() -> None:
    """A plan that does not treat names no product."""
    for request in ({}, {"total_b12": 500}, {"total_b12": 150, "age_years": 10}):
        assert evaluate(request)["plan"]["prescription"] is None


def test_a_product_for_a_regimen_of_another_route_fails_the_load() -> None:
    """Never dispense tablets for an injection regimen: the data fail to load."""
    data = {**DATA, "products": [dict(p) for p in DATA["products"]]}
    tablets = next(p for p in data["products"] if p["route"] == "oral")
    tablets["regimens"] = [*tablets["regimens"], "bnf-hydroxocobalamin"]
    with pytest.raises(DataError, match="another route"):
        build_catalogue(data, load_guideline())

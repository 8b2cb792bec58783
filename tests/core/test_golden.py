"""Golden cases: hand-worked expectations from the clinical sources (golden_cases.toml), one test per case.

Each case's ``source`` string says where its expectation comes from; the docstring of each check below
quotes the contract clause it enforces.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from calc import InputError, evaluate, evaluate_json

GOLDEN_FILE = Path(__file__).with_name("golden_cases.toml")
CASES: list[dict[str, Any]] = tomllib.loads(GOLDEN_FILE.read_text(encoding="utf-8"))["case"]
GOOD = [c for c in CASES if "errors" not in c]
BAD = [c for c in CASES if "errors" in c]


def test_golden_table_is_well_formed() -> None:
    """Every case has a unique name and says where its expectation comes from."""
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names)), "duplicate golden case names"
    for case in CASES:
        assert case.get("source", "").strip(), f"{case['name']}: no source"
        assert isinstance(case.get("request"), dict), f"{case['name']}: no request table"
        if "errors" not in case:
            for key in ("lab_status", "route", "recommended", "warnings", "plan_action", "plan_regimen"):
                assert key in case, f"{case['name']}: missing {key}"
    assert len(GOOD) >= 30 and len(BAD) >= 15


@pytest.mark.parametrize("case", GOOD, ids=[c["name"] for c in GOOD])
def test_golden_result(case: dict[str, Any]) -> None:
    """Contract: lab.status, route.preferred, plan.action and plan.regimen_id (exactly one regimen of the
    chosen guidance, or none for a non-treatment action), the dose in the plan's headline, the set of
    recommended regimens (the plan and its alternatives), the required warnings and, where worked by hand,
    the exact schedule ({date, kind}) for the plan's regimen."""
    result = evaluate(case["request"])
    name = case["name"]
    lab, route = result["lab"], result["route"]
    ids = [r["id"] for r in result["regimens"]]
    recommended = {r["id"] for r in result["regimens"] if r["recommended"]}
    warnings = {w["code"] for w in result["warnings"]}
    monitoring = {m["code"] for m in result["monitoring"]}

    plan = result["plan"]
    assert lab["status"] == case["lab_status"], f"{name}: {lab['rule_text']}"
    assert route["preferred"] == case["route"], name
    assert plan["action"] == case["plan_action"], f"{name}: {plan['summary']}"
    expected_regimen = None if case["plan_regimen"] == "none" else case["plan_regimen"]
    assert plan["regimen_id"] == expected_regimen, name
    if expected_regimen is None:
        assert plan["headline"] is None and plan["alternatives"] == [], name
    else:
        plan_entries = [r for r in result["regimens"] if r["group"] == "plan"]
        assert [r["id"] for r in plan_entries] == [expected_regimen], name
        assert plan_entries[0]["guidance"] == result["request"]["guidance"], name
        assert case["headline_mentions"] in plan["headline"], f"{name}: {plan['headline']}"
        assert {a["regimen_id"] for a in plan["alternatives"]} == recommended - {expected_regimen}, name
    assert recommended == set(case["recommended"]), name
    assert set(case["warnings"]) <= warnings, f"{name}: missing {set(case['warnings']) - warnings}"
    assert set(case.get("monitoring", [])) <= monitoring, name
    assert not set(case.get("absent_warnings", [])) & warnings, f"{name}: unexpected warnings"
    assert set(case.get("shown", [])) <= set(ids), name
    assert not set(case.get("not_shown", [])) & set(ids), name
    if "shown_exactly" in case:
        assert sorted(ids) == sorted(case["shown_exactly"]), name
    if "preference_honoured" in case:
        assert route["preference_honoured"] is case["preference_honoured"], name
    if "within_nice_scope" in case:
        assert result["scope"]["within_nice_scope"] is case["within_nice_scope"], name
        assert lab["within_nice_scope"] is case["within_nice_scope"], name
    if "mma_default_limit_used" in case:
        assert lab["mma_default_limit_used"] is case["mma_default_limit_used"], name
    if "total_ng" in case:
        assert lab["total_b12_ng_per_l"] == pytest.approx(case["total_ng"], abs=1e-9), name
        assert lab["total_b12_pmol_per_l"] == pytest.approx(case["total_pmol"], abs=1e-9), name
    if "next_steps_mention" in case:
        assert any(case["next_steps_mention"].lower() in s.lower() for s in lab["next_steps"]), name
    if "notes_mention" in case:
        assert any(case["notes_mention"] in n for n in lab["notes"]), name
    if case.get("schedule_empty"):
        assert result["schedule"] == [], name
    if "schedule" in case:
        got = [{"date": e["date"], "kind": e["kind"]} for e in result["schedule"]]
        assert got == case["schedule"], name
    if "schedule_regimen" in case:
        assert result["schedule_regimen_id"] == case["schedule_regimen"], name


@pytest.mark.parametrize("case", BAD, ids=[c["name"] for c in BAD])
def test_golden_bad_input(case: dict[str, Any]) -> None:
    """Contract: 'Bad input raises calc.InputError (a ValueError) listing EVERY bad field as [{field,
    message}]; evaluate_json returns {"errors": [...]} instead.'"""
    with pytest.raises(InputError) as caught:
        evaluate(case["request"])
    assert isinstance(caught.value, ValueError)
    errors = caught.value.as_list()
    fields = [e["field"] for e in errors]
    assert sorted(fields) == sorted(case["errors"]), case["name"]
    assert all(isinstance(e["message"], str) and e["message"].strip() for e in errors)

    # The same request through the JSON bridge (NaN/Infinity are JavaScript's JSON extensions).
    text = json.dumps(case["request"])
    answer = json.loads(evaluate_json(text))
    assert set(answer) == {"errors"}
    assert sorted(e["field"] for e in answer["errors"]) == sorted(case["errors"])

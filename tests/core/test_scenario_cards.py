"""An independent oracle: scenario cards written from the sources alone, by someone who had not read the
rules (tests/core/scenario_cards.toml, its header says who, when and from what), run as golden tests.

The cards use their own words for next steps and cautions; :data:`STEP_TOPICS` and
:data:`CAUTION_TOPICS` translate them to the result's codes. Where the engine and a card disagree and the
evidence favours the engine, the disagreement is settled in tests/core/scenario_disagreements.toml with
that evidence; every other expectation must hold. A settled entry that no longer disagrees fails too, so
the ledger cannot go stale.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from calc import InputError, evaluate

HERE = Path(__file__).parent
CARDS: list[dict[str, Any]] = tomllib.loads((HERE / "scenario_cards.toml").read_text("utf-8"))["card"]
SETTLED: dict[tuple[str, str], dict[str, Any]] = {
    (d["card"], d["expectation"]): d
    for d in tomllib.loads((HERE / "scenario_disagreements.toml").read_text("utf-8")).get("disagreement", [])
}

#: The cards' next-step words -> the next steps (and, for folate, the warnings) of the result that say it.
STEP_TOPICS: dict[str, set[str]] = {
    "intrinsic_factor_antibodies": {"test_for_autoimmune_gastritis"},
    "coeliac_serology": {"consider_coeliac"},
    "mma": {"measure_mma", "confirm_functional_deficiency"},
    "homocysteine": {"nitrous_oxide_homocysteine", "confirm_functional_deficiency"},
    "haematology_advice": {"urgent_specialist_advice", "pregnancy_haematology_advice"},
    "urgent_haematology_advice": {"urgent_specialist_advice", "pregnancy_haematology_advice"},
    "paediatric_referral": {"paediatric_referral", "urgent_paediatric_referral"},
    "stop_nitrous_oxide": {"nitrous_oxide_homocysteine"},
    "dietary_advice": {"dietary_advice"},
    "specialist_pregnancy": {"pregnancy_haematology_advice"},
    "check_cause": {"test_for_autoimmune_gastritis", "look_elsewhere"},
    "folate": {"folate_masking", "folate_in_pregnancy"},
    "repeat_b12": set(),
    "gastroenterology": set(),
}
#: The cards' caution words -> the warnings, monitoring items or next steps of the result that say it.
CAUTION_TOPICS: dict[str, set[str]] = {
    "folate_before_b12": {"folate_masking", "folate_in_pregnancy"},
    "check_unit": {"total_b12_unit_check"},
    "very_high_b12": {"very_high_total_b12"},
    "total_b12_in_pregnancy": {"pregnancy_testing", "pregnancy_active_b12"},
    "im_anticoagulated": {"im_anticoagulated"},
    "hypokalaemia": {"potassium_48h"},
    "oral_in_malabsorption": {"oral_in_autoimmune_gastritis"},
    "not_for_under_16": {"paediatric_scope"},
}
#: The course kinds in the cards' words: 'lifelong' = for life or indefinitely, whatever the level.
DURATIONS = {"lifelong": "lifelong", "indefinite": "lifelong", "ends": "ends", "review": "open"}
EVERY = re.compile(r"^(\d+)(?:-(\d+))? (day|week|month)s?$")


def _said(result: dict[str, Any]) -> set[str]:
    """Every code the result shows: next steps (by their decision row), warnings, monitoring."""
    plan = result["plan"]
    codes = set(plan["decided_by"].get("next_step", []))
    return codes | {w["code"] for w in result["warnings"]} | {m["code"] for m in result["monitoring"]}


def observed(card: dict[str, Any]) -> dict[str, Any]:
    """What the engine answers, in the card's terms (only the keys the card asks about)."""
    try:
        result = evaluate(card["request"])
    except InputError as exc:  # a field message instead of an answer
        return {"action": f"field error on {', '.join(e['field'] for e in exc.as_list())}"}
    plan = result["plan"]
    regimen = next((r for r in result["regimens"] if r["group"] == "plan"), None)
    phases = regimen["phases"] if regimen else []
    said = _said(result)
    out: dict[str, Any] = {"action": plan["action"]}
    if regimen:
        last = phases[-1]
        every = last["every"]
        out |= {
            "route": regimen["route"],
            "drug": regimen["drug"],
            "loading": len(phases) > 1,
            "first_dose_ug": phases[0]["dose_ug"]["min"],
            "maintenance_dose_ug": last["dose_ug"]["min"],
            "maintenance_every": (every["n"], every.get("n_max"), every["unit"]) if every else None,
            "duration": DURATIONS.get((plan["course"] or {}).get("kind"), "open"),
        }
    for key, topics in (("next_steps", STEP_TOPICS), ("cautions", CAUTION_TOPICS)):
        out[key] = {topic for topic, codes in topics.items() if codes & said}
    out["review_months"] = _review_months(plan["review"]["text"])
    return out


def _review_months(text: str) -> int | None:
    found = re.search(r"(\d+) months? after starting", text)
    return int(found.group(1)) if found else None


def mismatches(card: dict[str, Any]) -> dict[str, str]:
    """Each expectation of the card that the engine does not meet, with what the engine said."""
    want = card["expect"]
    got = observed(card)
    out: dict[str, str] = {}

    def differ(key: str, expected: object, actual: object) -> None:
        out[key] = f"expected {expected!r}, engine {actual!r}"

    if got["action"] != want["action"]:
        differ("action", want["action"], got["action"])
    if got["action"].startswith("field error"):
        return out
    for key in ("route", "loading", "first_dose_ug", "maintenance_dose_ug"):
        if key in want and got.get(key) != want[key]:
            differ(key, want[key], got.get(key))
    if "drug" in want and want["drug"] not in str(got.get("drug", "")).lower():
        differ("drug", want["drug"], got.get("drug"))
    if "maintenance_every" in want:
        match = EVERY.match(want["maintenance_every"])
        assert match, f"{card['id']}: cannot read {want['maintenance_every']!r}"
        n, n_max, unit = int(match.group(1)), match.group(2), match.group(3)
        expected = (n, int(n_max) if n_max else None, unit)
        if got.get("maintenance_every") != expected:
            differ("maintenance_every", expected, got.get("maintenance_every"))
    if want.get("duration") in ("lifelong", "ends") and got.get("duration") != want["duration"]:
        differ("duration", want["duration"], got.get("duration"))
    if "review" in want:
        expected_months = int(want["review"].split()[0])
        if got["review_months"] != expected_months:
            differ("review", expected_months, got["review_months"])
    for key, negative in (("next_steps", "no_next_steps"), ("cautions", "no_cautions")):
        for topic in want.get(key, []):
            if topic not in got[key]:
                differ(f"{key}:{topic}", "shown", "not shown")
        for topic in want.get(negative, []):
            if topic in got[key]:
                differ(f"{negative}:{topic}", "not shown", "shown")
    return out


def test_the_cards_are_many_and_cited() -> None:
    """HAZ-30: 'At least 60 scenario cards written from the sources alone', each with its evidence."""
    assert len(CARDS) >= 60
    assert len({c["id"] for c in CARDS}) == len(CARDS)
    for card in CARDS:
        evidence = card["evidence"]
        assert evidence["sources"] and evidence["quote"] and evidence["url"], card["id"]


@pytest.mark.parametrize("card", CARDS, ids=[c["id"] for c in CARDS])
def test_scenario_card(card: dict[str, Any]) -> None:
    """The engine meets every expectation of the card, except those settled with evidence."""
    unsettled = {k: v for k, v in mismatches(card).items() if (card["id"], k) not in SETTLED}
    assert not unsettled, f"{card['id']} {card['title']}: {unsettled}"


def test_every_settled_disagreement_still_disagrees_and_has_evidence() -> None:
    """The ledger cannot go stale: a settled entry whose card now agrees must be removed."""
    cards = {c["id"]: c for c in CARDS}
    for (card_id, expectation), entry in SETTLED.items():
        assert entry["evidence"].strip() and entry["decision"].strip(), (card_id, expectation)
        assert expectation in mismatches(cards[card_id]), f"{card_id} {expectation}: now agrees; remove it"

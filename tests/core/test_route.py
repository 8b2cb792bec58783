"""Route selection: IM for neurological symptoms or critical illness, oral for anticoagulation or needle
phobia, otherwise either; a stated preference is honoured unless a safety reason points the other way."""

from __future__ import annotations

import itertools

import pytest

from calc import evaluate


def route(**request: object) -> dict:
    return evaluate({"total_b12": 150, **request})["route"]


def codes(decision: dict) -> list[str]:
    return [r["code"] for r in decision["reasons"]]


def test_no_reason_gives_either() -> None:
    """AFP 2017 (V): 'Oral administration of high-dose vitamin B12 (1 to 2 mg daily) is as effective as
    intramuscular administration for correcting anemia and neurologic symptoms'; C3: present the route 'as a
    choice for the patient and clinician, not as settled'."""
    decision = route()
    assert decision["preferred"] == "either"
    assert decision["preference_honoured"] is None
    assert codes(decision) == ["either"]
    assert "langan-2017-afp" in decision["reasons"][0]["refs"]


def test_neurological_symptoms_give_im() -> None:
    """BNF (S): with neurological involvement '1 mg IM on alternate days until no further improvement';
    gpreasoning NG239: 'do not wait on blood results - start immediate replacement'."""
    decision = route(neurological_symptoms=True)
    assert decision["preferred"] == "im"
    assert "neurological_symptoms" in codes(decision)


def test_critical_illness_gives_im() -> None:
    """US hydroxocobalamin label (V): 'If the patient is critically ill ... considerably higher doses may be
    indicated' (the product 'should be given only intramuscularly')."""
    decision = route(critically_ill=True)
    assert decision["preferred"] == "im"
    assert "critically_ill" in codes(decision)
    assert "us-label-hydroxocobalamin" in decision["reasons"][0]["refs"]


def test_anticoagulation_gives_oral() -> None:
    """Obeid 2024 Delphi (V): 'Contraindications of intramuscular injections such as concurrent anticoagulant
    medication can lead to prioritizing oral B12 treatment.'"""
    decision = route(anticoagulated=True)
    assert decision["preferred"] == "oral"
    assert "anticoagulated" in codes(decision)
    assert "obeid-2024-delphi" in decision["reasons"][0]["refs"]


def test_needle_phobia_gives_oral() -> None:
    """BSH 2014 via PAS: 'High dose oral cobalamin would be a reasonable alternative as maintenance in
    patients unable to tolerate intramuscular injections provided there is good compliance'."""
    decision = route(needle_phobia=True)
    assert decision["preferred"] == "oral"
    assert "needle_phobia" in codes(decision)


@pytest.mark.parametrize("oral_reason", ["anticoagulated", "needle_phobia"])
@pytest.mark.parametrize("im_reason", ["neurological_symptoms", "critically_ill"])
def test_im_safety_reason_outranks_oral_reasons(im_reason: str, oral_reason: str) -> None:
    """Contract: 'anticoagulation or needle phobia (without those) -> "oral"' -- with neurological symptoms or
    critical illness the answer is IM, and the other reason is still shown."""
    decision = route(**{im_reason: True, oral_reason: True})
    assert decision["preferred"] == "im"
    assert {im_reason, oral_reason} <= set(codes(decision))


@pytest.mark.parametrize("preference", ["oral", "im"])
def test_preference_honoured_without_safety_reason(preference: str) -> None:
    """Contract: 'a stated route_preference is honoured (and said so) unless it conflicts with a safety
    reason'."""
    decision = route(route_preference=preference)
    assert decision["preferred"] == preference
    assert decision["preference_honoured"] is True
    said = next(r for r in decision["reasons"] if r["code"] == f"preference_{preference}")
    assert "no safety reason points the other way" in said["text"]
    assert said["refs"]


@pytest.mark.parametrize(
    ("flags", "preference", "expected"),
    [
        ({"neurological_symptoms": True}, "oral", "im"),
        ({"critically_ill": True}, "oral", "im"),
        ({"anticoagulated": True}, "im", "oral"),
    ],
)
def test_preference_not_honoured_against_safety(flags: dict, preference: str, expected: str) -> None:
    """Contract: the preference is honoured 'unless it conflicts with a safety reason' -- and the result says
    it was not followed."""
    decision = route(**flags, route_preference=preference)
    assert decision["preferred"] == expected
    assert decision["preference_honoured"] is False
    said = next(r for r in decision["reasons"] if r["code"] == f"preference_{preference}_overridden")
    assert "not followed" in said["text"]


def test_needle_phobia_is_not_a_safety_reason() -> None:
    """Route rule data: needle phobia is a preference ('Favours oral treatment'), so a stated wish for
    injections wins over it; the safety reasons (neurological, critical illness, anticoagulation) do not
    yield."""
    decision = route(needle_phobia=True, route_preference="im")
    assert decision["preferred"] == "im"
    assert decision["preference_honoured"] is True


@pytest.mark.parametrize("preference", ["oral", "im"])
def test_matching_safety_and_preference(preference: str) -> None:
    """A preference that agrees with the safety reason is honoured."""
    flags = {"neurological_symptoms": True} if preference == "im" else {"anticoagulated": True}
    decision = route(**flags, route_preference=preference)
    assert decision["preferred"] == preference
    assert decision["preference_honoured"] is True


FLAGS = ("neurological_symptoms", "critically_ill", "anticoagulated", "needle_phobia")


@pytest.mark.parametrize("combo", list(itertools.product([False, True], repeat=4)))
@pytest.mark.parametrize("preference", [None, "oral", "im"])
def test_route_truth_table(combo: tuple[bool, ...], preference: str | None) -> None:
    """Contract, all 48 combinations: 'neurological symptoms or critical illness -> "im"; anticoagulation or
    needle phobia (without those) -> "oral"; otherwise "either"; a stated route_preference is honoured (and
    said so) unless it conflicts with a safety reason.'"""
    neuro, critical, anticoag, phobia = combo
    request = {name: True for name, on in zip(FLAGS, combo, strict=True) if on}
    if preference:
        request["route_preference"] = preference
    if neuro or critical:
        expected = "im"
    elif anticoag:
        expected = "oral"
    elif preference:
        expected = preference
    elif phobia:
        expected = "oral"
    else:
        expected = "either"
    decision = route(**request)
    assert decision["preferred"] == expected
    assert decision["preference_honoured"] is (None if preference is None else preference == expected)
    for reason in decision["reasons"]:
        assert reason["text"] and reason["refs"]

"""Warnings (the safety panel) and monitoring: what triggers each, and that the text says what the source
says."""

from __future__ import annotations

import json

import pytest

from calc import evaluate


def warnings(request: dict) -> dict[str, dict]:
    return {w["code"]: w for w in evaluate(request)["warnings"]}


def monitoring(request: dict) -> dict[str, dict]:
    return {m["code"]: m for m in evaluate(request)["monitoring"]}


DEFICIENT = {"total_b12": 150}


def test_every_warning_has_code_text_and_refs() -> None:
    """Contract: 'warnings (each code, text, refs)'."""
    for request in (
        DEFICIENT,
        {
            "total_b12": 250,
            "mma": 0.5,
            "neurological_symptoms": True,
            "anticoagulated": True,
            "critically_ill": True,
            "pregnant_or_breastfeeding": True,
            "age_years": 12,
            "causes": ["autoimmune_gastritis", "nitrous_oxide", "vegan", "ileal_resection"],
        },
    ):
        result = evaluate(request)
        for item in result["warnings"] + result["monitoring"]:
            assert item["code"] and item["text"].strip() and item["refs"]


def test_neurological_symptoms_urgent() -> None:
    """gpreasoning NG239 (S): safety step for neurological features: 'do not wait on blood results — start
    immediate replacement'; D3: 'Neurological symptoms: urgent treatment, do not wait for results, seek
    specialist advice.'"""
    w = warnings({**DEFICIENT, "neurological_symptoms": True})
    assert w["neuro_urgent"]["severity"] == "urgent"
    assert "specialist" in w["neuro_urgent"]["text"]
    assert "neuro_urgent" not in warnings(DEFICIENT)


def test_folate_masking() -> None:
    """C12 (S): 'Folate masking: folic acid >0.1 mg/day can correct the anaemia while neurological damage
    progresses'; D3: 'Do not give folic acid alone; treat B12 first or together.'"""
    w = warnings(DEFICIENT)["folate_masking"]
    assert "0.1 mg" in w["text"]
    assert "folate_masking" not in warnings({"total_b12": 400})


def test_cobalt_and_lebers() -> None:
    """C12: 'Cobalt/B12 hypersensitivity (S). Avoid cyanocobalamin in Leber's disease (S); the BNF uses
    hydroxocobalamin for Leber's optic atrophy (V).'"""
    w = warnings(DEFICIENT)
    assert "cobalt" in w["cobalt_allergy"]["text"].lower()
    assert "hydroxocobalamin" in w["lebers_cyanocobalamin"]["text"]


def test_im_in_anticoagulated_patient_flagged() -> None:
    """C12: 'IM injections in anticoagulated patients (V, Delphi)' -- flagged when injections are advised
    anyway."""
    w = warnings({**DEFICIENT, "anticoagulated": True, "neurological_symptoms": True})
    assert "obeid-2024-delphi" in w["im_anticoagulated"]["refs"]
    assert "im_anticoagulated" not in warnings({**DEFICIENT, "anticoagulated": True})


def test_critically_ill_higher_doses() -> None:
    """US hydroxocobalamin label (V): 'If the patient is critically ill, or has neurologic disease, an
    infectious disease or hyperthyroidism, considerably higher doses may be indicated.'"""
    w = warnings({**DEFICIENT, "critically_ill": True})
    assert "higher doses" in w["higher_doses_critical"]["text"]
    assert "higher_doses_critical" not in warnings(DEFICIENT)


def test_more_frequent_injections_is_labelled_expert_opinion() -> None:
    """A[4]: 'the BNF itself does not say "up to 50%". The 50% figure is expert or clinical-experience opinion
    and should be labelled as such'; PAS (V): 'Some patients need injections every two weeks while others can
    manage eight weeks'."""
    w = warnings({**DEFICIENT, "route_preference": "im"})["more_frequent_injections"]
    assert "expert opinion" in w["text"]
    assert "not a BNF statement" in w["text"]
    assert "more_frequent_injections" not in warnings({**DEFICIENT, "route_preference": "oral"})


def test_autoimmune_gastritis_oral_is_a_shared_decision() -> None:
    """C3: 'Both US labels say "Oral therapy is not dependable"' yet Lacombe 2024 (26 patients) supports 1
    mg/day; 'The site should present this as a choice for the patient and clinician, not as settled.'"""
    w = warnings({**DEFICIENT, "causes": ["autoimmune_gastritis"]})["oral_in_autoimmune_gastritis"]
    assert "not dependable" in w["text"]
    assert "lacombe-2024" in w["refs"]


def test_nitrous_oxide_testing() -> None:
    """Audit A14/B11: NICE names homocysteine ('use homocysteine as the initial test', draft; 'the preferred
    test is plasma homocysteine', Pulse on NG239) -- MMA is not NICE's test; RCEM: 'treatment should be
    initiated before the return of definitive diagnostic results' and offer 'referral to drug/alcohol liaison
    services'; stopping use is the mainstay of management (RCH)."""
    w = warnings({**DEFICIENT, "causes": ["nitrous_oxide"]})["nitrous_oxide"]
    assert "homocysteine" in w["text"] and "MMA" not in w["text"]
    assert "stopping" in w["text"] and "drug and alcohol services" in w["text"]
    assert "before the results" in w["text"]


def test_pregnancy_active_b12_and_one_month_review() -> None:
    """B2 (S): 'Pregnancy: active B12 preferred'; NASGP: 'reviewed ... after 1m in those pregnant or
    breastfeeding'."""
    w = warnings({**DEFICIENT, "pregnant_or_breastfeeding": True})["pregnancy_testing"]
    assert "active B12" in w["text"] and "1 month" in w["text"]


@pytest.mark.parametrize(
    ("cm", "code"),
    [(5, "ileal_resection_short"), (20, "ileal_resection_short"), (None, "ileal_resection_length_unknown")],
)
def test_ileal_resection_notes(cm: float | None, code: str) -> None:
    """Battat 2014 (V): 'Only ileal resections greater than 20 cm in Crohn's disease predispose to deficiency
    and warrant treatment'; 2006 Nutrition study: 'terminal ileal resections <20 cm are not at risk'."""
    request = {**DEFICIENT, "causes": ["ileal_resection"]}
    if cm is not None:
        request["ileal_resection_cm"] = cm
    w = warnings(request)
    assert code in w
    assert "battat-2014" in w[code]["refs"]
    assert not {"ileal_resection_short", "ileal_resection_length_unknown"} & set(
        warnings({**DEFICIENT, "causes": ["ileal_resection"], "ileal_resection_cm": 20.5})
    )


def test_vegan_plan_uses_the_uk_diet_dose_not_the_untraced_figure() -> None:
    """C6: 'The vegan/vegetarian dose "250-350 ug daily or 1000 ug weekly" cannot be traced'; 'UK
    dietary-deficiency treatment is 50-150 ug/day (V)'. The untraced figure is only ever for comparison."""
    result = evaluate({**DEFICIENT, "causes": ["vegan"]})
    assert result["plan"]["regimen_id"] == "nhs-oral-dietary"
    assert "seed-vegan" not in {r["id"] for r in result["regimens"]}
    assert "source article" not in json.dumps(result).lower()


def test_paediatric_scope() -> None:
    """C5: 'NG239 covers people aged 16 and over only'; D4: 'scope limits: >=16 years for NICE logic; children
    -> BNFC or specialist.'"""
    w = warnings({**DEFICIENT, "age_years": 15})
    assert w["paediatric_scope"]["severity"] == "urgent"
    assert "paediatric_scope" not in warnings({**DEFICIENT, "age_years": 16})
    assert "paediatric_scope" not in warnings(DEFICIENT)  # age not given: adult


def test_result_makes_deficiency_unlikely() -> None:
    """NICE via the seed: '>350 ng/L ... = unlikely' -- look for another cause."""
    assert "treatment_not_indicated" in warnings({"total_b12": 351})
    assert "treatment_not_indicated" not in warnings({"total_b12": 350})


def test_no_lab_result() -> None:
    """BMJ summary (V): test people 'who have at least one common symptom or sign and at least one common risk
    factor'."""
    assert "no_lab_result" in warnings({})
    assert "no_lab_result" not in warnings(DEFICIENT)


def test_otc_supplements_and_ethnicity_caveat_when_tested() -> None:
    """C12 (S): NICE's testing exceptions: 'OTC supplements masking results, Black ethnicity reference
    ranges'."""
    assert "otc_b12_masking" in warnings(DEFICIENT)
    assert "otc_b12_masking" in warnings({"active_b12": 40})
    assert "otc_b12_masking" not in warnings({})


# --- monitoring -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("request_", [DEFICIENT, {"total_b12": 400, "causes": ["bariatric_surgery"]}])
def test_symptom_review_not_level_titration(request_: dict) -> None:
    """C8: 'NICE reviews symptoms at 3 months, or 1 month in pregnancy and breastfeeding (S)'; NHG (V):
    'Controles van de vitamine-B12-spiegel tijdens de behandeling worden over het algemeen als weinig zinvol
    beschouwd'; D3: 'Explicitly do not titrate on serum B12 during treatment.'"""
    m = monitoring(request_)
    assert "3 months" in m["symptom_review"]["text"] and "1 month" in m["symptom_review"]["text"]
    assert "not a repeat B12 test" in m["symptom_review"]["text"]
    assert "Do not adjust the dose on serum B12" in m["no_level_titration"]["text"]


@pytest.mark.parametrize("request_", [{}, {"total_b12": 400}, {**DEFICIENT, "age_years": 10}])
def test_treatment_monitoring_only_with_treatment(request_: dict) -> None:
    """Monitoring of a treatment (symptom review, no titration on levels) is shown only with a plan to treat:
    beside 'test first', 'no B12 treatment' or 'refer' it would contradict the action."""
    assert not {"symptom_review", "no_level_titration"} & set(monitoring(request_))


def test_follow_up_by_route() -> None:
    """B9 (S, NICE visual summary): after oral replacement '... increase the dose or switch to IM'; after IM
    replacement 'increase the frequency of injections if needed in line with manufacturer's product
    information'."""
    oral = monitoring({**DEFICIENT, "anticoagulated": True})
    im = monitoring({**DEFICIENT, "neurological_symptoms": True})
    assert "follow_up_oral" in oral and "follow_up_im" not in oral
    assert "follow_up_im" in im and "follow_up_oral" not in im
    assert "switch to IM" in oral["follow_up_oral"]["text"]
    assert "frequency" in im["follow_up_im"]["text"]


def test_potassium_with_injections() -> None:
    """US hydroxocobalamin label (V): 'Serum potassium should be closely observed the first 48 hours'; UK
    SmPC (V): 'Cardiac arrhythmias secondary to hypokalaemia during initial therapy have been reported. Plasma
    potassium should therefore be monitored during this period.' -- not only severe anaemia (audit F6)."""
    m = monitoring({**DEFICIENT, "critically_ill": True})
    assert "48 hours" in m["potassium_48h"]["text"]
    assert "initial treatment" in m["potassium_48h"]["text"]
    assert "megaloblastic" not in m["potassium_48h"]["text"]
    assert "potassium_48h" not in monitoring({**DEFICIENT, "anticoagulated": True})


def test_metformin_monitoring() -> None:
    """ADA Standards (S): 'periodic B12 measurement in metformin-treated patients, especially with anaemia or
    peripheral neuropathy'."""
    m = monitoring({**DEFICIENT, "causes": ["metformin"]})
    assert "ada-standards" in m["metformin_b12"]["refs"]
    assert "metformin_b12" not in monitoring(DEFICIENT)


def test_time_course() -> None:
    """Lacombe 2024 (V): 'The median time to reverse initial vitamin B12 deficiency abnormalities ranged from
    1 mo for hemolysis to 4 mo for mucosal symptoms'."""
    text = monitoring(DEFICIENT)["time_course"]["text"]
    assert "1 month" in text and "4 months" in text


def test_every_flag_a_trigger_can_name_is_part_of_the_situation() -> None:
    """The data's "flag:<field>" triggers are read from the Situation (calc/situation.py), the only input
    the rules see: a boolean request field missing there would make its trigger fail, or, worse, two
    requests that differ in it share one remembered decision."""
    from calc import load_guideline
    from calc.lab import assess_lab_result
    from calc.request import FLAG_FIELDS, parse_request
    from calc.situation import situation_of

    guideline = load_guideline()

    def situation(request: dict) -> object:
        parsed = parse_request(request, guideline)
        return situation_of(parsed, assess_lab_result(parsed, guideline), guideline)

    for flag in FLAG_FIELDS:
        ticked = situation({"total_b12": 150, flag: True})
        assert getattr(ticked, flag) is True
        assert ticked != situation({"total_b12": 150}), flag

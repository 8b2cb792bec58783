"""Regimens: the numbers against the sources, the contract's shape, and the recommendation policy stated in
calc/regimens.py ("R-verified regimens and children's regimens are never recommended", etc.)."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

import pytest

from calc import evaluate
from calc.model import OPEN_DURATIONS

DATA = tomllib.loads(resources.files("calc.data").joinpath("guideline.toml").read_text("utf-8"))
DATA_REGIMENS = {r["id"]: r for r in DATA["regimens"]}

# Requests that between them show every regimen in the data (adult general, each cause, neuro, children).
SHOWCASE = [
    {"total_b12": 150},
    {"total_b12": 150, "neurological_symptoms": True},
    {"total_b12": 150, "causes": ["bariatric_surgery"]},
    {"total_b12": 150, "causes": ["ileal_resection"], "ileal_resection_cm": 30},
    {"total_b12": 150, "causes": ["vegan"]},
    {"total_b12": 150, "age_years": 10},
    {"total_b12": 150, "age_years": 10, "neurological_symptoms": True},
]


@cache
def shown() -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for request in SHOWCASE:
        for regimen in evaluate(request)["regimens"]:
            out.setdefault(regimen["id"], regimen)
    return out


def regimen(regimen_id: str) -> dict[str, Any]:
    return shown()[regimen_id]


def phase_tuple(phase: dict[str, Any]) -> tuple:
    every = phase["every"]
    return (
        phase["dose_ug"]["min"],
        phase["dose_ug"]["max"],
        None if every is None else (every["n"], every.get("n_max"), every["unit"]),
        phase["times_per_interval"],
        phase["duration"]
        if isinstance(phase["duration"], str)
        else (phase["duration"]["n"], phase["duration"].get("n_max"), phase["duration"]["unit"]),
    )


def test_every_regimen_in_the_data_can_be_shown() -> None:
    """D3: 'Regimen options side by side, each labelled with its source and jurisdiction' -- no regimen in the
    data is unreachable, except the source article's figures, kept on the site only as errata ('Source
    article (AI-written)' in every adult result is research wording, not a clinical statement)."""
    errata = {rid for rid, data in DATA_REGIMENS.items() if data.get("in_calculator") is False}
    assert errata == {"seed-im-monthly", "seed-vegan"}
    assert set(shown()) == set(DATA_REGIMENS) - errata


# --- numbers against the sources -------------------------------------------------------------------------


def test_bnf_without_neurological_involvement() -> None:
    """BNF via PAS (S): 'Initially administer hydroxocobalamin 1 mg intramuscularly three times a week for 2
    weeks, then administer hydroxocobalamin 1 mg intramuscularly every 2-3 months for life.'"""
    r = regimen("bnf-hydroxocobalamin")
    assert (r["drug"], r["route"], r["jurisdiction"]) == ("hydroxocobalamin", "im", "UK")
    assert [phase_tuple(p) for p in r["phases"]] == [
        (1000, 1000, (1, None, "week"), 3, (2, None, "week")),
        (1000, 1000, (2, 3, "month"), 1, "lifelong"),
    ]


def test_bnf_with_neurological_involvement() -> None:
    """BNF via PAS (S): '...on alternate days until there is no further improvement, then ... 1 mg
    intramuscularly every 2 months.'"""
    r = regimen("bnf-hydroxocobalamin-neuro")
    assert (r["drug"], r["route"]) == ("hydroxocobalamin", "im")
    loading, maintenance = (phase_tuple(p) for p in r["phases"])
    assert loading == (1000, 1000, (2, None, "day"), 1, "until_no_further_improvement")
    assert maintenance[:4] == (1000, 1000, (2, None, "month"), 1)


def test_nice_oral_dose_for_malabsorption() -> None:
    """BMJ summary (V): 'When offering oral vitamin B12 replacement to people with vitamin B12 deficiency
    caused, or suspected to be caused, by malabsorption, prescribe a dosage of at least 1 mg a day'."""
    r = regimen("nice-oral-malabsorption")
    assert r["route"] == "oral"
    assert r["source"] == "nice-ng239"
    (phase,) = r["phases"]
    assert phase["dose_ug"] == {"min": 1000, "max": None}  # 'at least 1 mg'
    assert phase["every"] == {"n": 1, "unit": "day"}


def test_dietary_deficiency_dose() -> None:
    """NHS Scotland formulary (V): 'cyanocobalamin tablets can be used in doses of 50-150micrograms daily for
    vegans or patients who have proven dietary deficiency'."""
    (phase,) = regimen("nhs-oral-dietary")["phases"]
    assert phase_tuple(phase)[:4] == (50, 150, (1, None, "day"), 1)


def test_afp_high_dose_oral() -> None:
    """AFP 2017 (V): 'Oral administration of high-dose vitamin B12 (1 to 2 mg daily) is as effective as
    intramuscular administration'."""
    (phase,) = regimen("afp-oral-high-dose")["phases"]
    assert phase_tuple(phase)[:4] == (1000, 2000, (1, None, "day"), 1)
    assert regimen("afp-oral-high-dose")["route"] == "oral"


def test_afp_bariatric() -> None:
    """AFP 2017 (V): 'Patients who have had bariatric surgery should receive 1 mg of oral vitamin B12 per day
    indefinitely.'"""
    r = regimen("afp-bariatric-oral")
    (phase,) = r["phases"]
    assert r["route"] == "oral"
    assert phase_tuple(phase) == (1000, 1000, (1, None, "day"), 1, "indefinite")


def test_bomss_bariatric() -> None:
    """BOMSS 2020 (V): 'recommend routine supplementation with vitamin B12 intramuscular injections';
    'recommended frequency ... is every 3 months'."""
    r = regimen("bomss-im")
    (phase,) = r["phases"]
    assert r["route"] == "im"
    assert phase["every"] == {"n": 3, "unit": "month"}
    assert phase["duration"] in ("lifelong", "indefinite")


def test_asmbs_in_micrograms_not_mg() -> None:
    """B8: 'Oral 350-500 [ug] daily, or IM/SC 1000 [ug] monthly (the summary misprints ug as "mg")'."""
    (oral,) = regimen("asmbs-oral")["phases"]
    (im,) = regimen("asmbs-im")["phases"]
    assert phase_tuple(oral)[:3] == (350, 500, (1, None, "day"))
    assert phase_tuple(im)[:3] == (1000, 1000, (1, None, "month"))


def test_espen_ileal_resection() -> None:
    """B8: 'Crohn's disease, ileal resection ... >20 cm: 1000 ug monthly indefinitely' (ESPEN IBD
    wording: R)."""
    r = regimen("espen-ileal-resection")
    (phase,) = r["phases"]
    assert phase_tuple(phase)[:3] == (1000, 1000, (1, None, "month"))
    assert DATA_REGIMENS["espen-ileal-resection"]["after_long_resection"] is True
    assert r["verification"] == "R"


def test_us_hydroxocobalamin_label() -> None:
    """US hydroxocobalamin label (V): 'Thirty mcg daily for 5 to 10 days followed by 100 to 200 mcg monthly
    injected intramuscularly.'"""
    r = regimen("us-label-hydroxocobalamin")
    assert r["route"] == "im" and r["jurisdiction"] == "US"
    assert [phase_tuple(p)[:3] for p in r["phases"]] == [
        (30, 30, (1, None, "day")),
        (100, 200, (1, None, "month")),
    ]
    assert phase_tuple(r["phases"][0])[4] == (5, 10, "day")


def test_us_cyanocobalamin_label() -> None:
    """US cyanocobalamin label (V): '100 mcg IM or deep SC daily for 6-7 days; if response, alternate days for
    7 doses, then every 3-4 days for 2-3 weeks, then 100 mcg monthly for life' ('This regimen should be
    followed by 100 mcg monthly for life.')."""
    phases = [phase_tuple(p) for p in regimen("us-label-cyanocobalamin")["phases"]]
    assert phases == [
        (100, 100, (1, None, "day"), 1, (6, 7, "day")),
        (100, 100, (2, None, "day"), 1, (14, None, "day")),  # 7 alternate-day doses span 14 days
        (100, 100, (3, 4, "day"), 1, (2, 3, "week")),
        (100, 100, (1, None, "month"), 1, "lifelong"),
    ]


def test_bmj_best_practice() -> None:
    """B5 (V): 'Cyanocobalamin 1000 ug IM or SC daily for 1-2 weeks, then 1000 ug weekly for 1 month'; the
    monthly maintenance is the CDC's as quoted in J Fam Pract ('then monthly for life', S), so the regimen
    is S and may be the US injection plan."""
    r = regimen("bmj-bp-cyanocobalamin")
    phases = [phase_tuple(p) for p in r["phases"]]
    assert phases[0] == (1000, 1000, (1, None, "day"), 1, (1, 2, "week"))
    assert phases[1] == (1000, 1000, (1, None, "week"), 1, (1, None, "month"))
    assert phases[2][:3] == (1000, 1000, (1, None, "month"))
    assert r["verification"] == "S" and r["jurisdiction"] == "US"


def test_children_regimens() -> None:
    """BNFC 2011-12 (V): '1 month-18 years: 1 mg IM alternate days until no further improvement, then 1 mg
    every 2 months'; without neurological involvement '1 mg 3 times a week for 2 weeks, then 1 mg every 3
    months' (R); US label: '1-5 mg total as 100 mcg doses over >=2 weeks, then 30-50 mcg every 4 weeks' (S/R).
    """
    neuro = [phase_tuple(p) for p in regimen("bnfc-hydroxocobalamin-neuro")["phases"]]
    assert neuro[0] == (1000, 1000, (2, None, "day"), 1, "until_no_further_improvement")
    assert neuro[1][:3] == (1000, 1000, (2, None, "month"))
    plain = [phase_tuple(p) for p in regimen("bnfc-hydroxocobalamin")["phases"]]
    assert plain[0] == (1000, 1000, (1, None, "week"), 3, (2, None, "week"))
    assert plain[1][:3] == (1000, 1000, (3, None, "month"))
    assert regimen("bnfc-hydroxocobalamin")["verification"] == "R"
    label = regimen("us-label-hydroxocobalamin-children")["phases"]
    assert label[0]["dose_ug"]["min"] == 100
    assert label[0]["total_dose_ug"] == {"min": 1000, "max": 5000}
    assert phase_tuple(label[1])[:3] == (30, 50, (4, None, "week"))


@pytest.mark.parametrize(
    ("regimen_id", "status"),
    [
        ("bnf-hydroxocobalamin", "S"),
        ("bnf-hydroxocobalamin-neuro", "V"),  # both phases confirmed in the UK SmPC (emc 31182)
        ("smpc-hydroxocobalamin", "V"),
        ("orobalin-oral", "V"),
        ("nhs-oral-not-diet", "S"),
        ("nice-oral-malabsorption", "V"),
        ("nhs-oral-dietary", "V"),
        ("afp-oral-high-dose", "V"),
        ("afp-bariatric-oral", "V"),
        ("espen-ileal-resection", "R"),
        ("bnfc-hydroxocobalamin", "R"),
        ("bnfc-hydroxocobalamin-neuro", "V"),
        ("us-label-hydroxocobalamin", "V"),
        ("us-label-cyanocobalamin", "V"),
        ("asmbs-oral", "S"),
        ("asmbs-im", "S"),
    ],
)
def test_verification_status_matches_the_research(regimen_id: str, status: str) -> None:
    """Verification key: 'V Verified ... S Secondary ... R Recall: from the researcher's knowledge, not
    confirmed in any archived copy. Check it before publishing.' (statuses as tagged in sections A-B)."""
    assert regimen(regimen_id)["verification"] == status


def test_dose_guardrails_hold_for_every_regimen() -> None:
    """D4: 'Store every dose internally in ug. Ask for confirmation if an oral dose is <10 ug (treatment) or
    >5000 ug, or if an IM single dose is >1000 ug. This catches mg/ug errors.' No regimen in the data trips
    them."""
    for r in shown().values():
        for phase in r["phases"]:
            low, high = phase["dose_ug"]["min"], phase["dose_ug"]["max"]
            if r["route"] == "oral":
                assert low >= 10 and (high is None or high <= 5000), r["id"]
            else:
                assert (high if high is not None else low) <= 1000, r["id"]


# --- the contract's shape ---------------------------------------------------------------------------------


REGIMEN_KEYS = {
    "id",
    "label",
    "source",
    "jurisdiction",
    "drug",
    "route",
    "phases",
    "applies_because",
    "refs",
    "recommended",
}


def test_regimen_shape() -> None:
    """Contract: 'each has id, label, source (reference key), jurisdiction, drug, route oral/im, phases
    (dose_ug {min,max}; every {n, unit, n_max?}; times_per_interval; duration {n,unit} or
    "indefinite"/"lifelong"/"until_no_further_improvement"), applies_because, refs, recommended (bool).'"""
    for r in shown().values():
        assert set(r) >= REGIMEN_KEYS, r["id"]
        assert r["route"] in ("oral", "im")
        assert isinstance(r["recommended"], bool)
        assert r["source"] in r["refs"]
        assert r["label"] and r["drug"] and r["jurisdiction"] and r["applies_because"]
        for phase in r["phases"]:
            assert set(phase["dose_ug"]) == {"min", "max"}
            assert isinstance(phase["times_per_interval"], int) and phase["times_per_interval"] >= 1
            duration = phase["duration"]
            if isinstance(duration, str):
                assert duration in OPEN_DURATIONS
            else:
                assert {"n", "unit"} <= set(duration) and duration["unit"] in ("day", "week", "month")
            if phase["every"] is not None:
                assert {"n", "unit"} <= set(phase["every"]) <= {"n", "unit", "n_max"}


def test_every_phase_has_an_interval_or_a_divided_total() -> None:
    """Contract: phases have 'every {n, unit, n_max?}'; the documented exception (README, contract) is a
    phase given as a total in divided doses -- the US label's children's loading, '1-5 mg total as 100 mcg
    doses over >= 2 weeks' -- which has 'every': null and 'total_dose_ug' instead."""
    for r in shown().values():
        for phase in r["phases"]:
            if phase["every"] is None:
                assert phase["total_dose_ug"] is not None, (r["id"], phase["name"])
                assert phase["total_dose_ug"]["min"] > phase["dose_ug"]["min"], (r["id"], phase["name"])
            else:
                assert isinstance(phase["every"], dict) and phase["every"]["n"] >= 1, (r["id"], phase["name"])


# --- recommendation policy ---------------------------------------------------------------------------


def test_r_verified_and_non_primary_regimens_are_never_recommended() -> None:
    """calc/regimens.py policy: 'recommended needs: a primary regimen (never an unverified one, never a
    child's)'; verification key: R = 'not confirmed in any archived copy. Check it before publishing.'"""
    for request in SHOWCASE:
        for r in evaluate(request)["regimens"]:
            data = DATA_REGIMENS[r["id"]]
            if r["recommended"]:
                assert data["primary"] and r["verification"] != "R" and data["population"] == "adult", r["id"]


def test_children_see_only_childrens_regimens_none_recommended() -> None:
    """C5: 'NG239 covers people aged 16 and over only'; policy: 'children see only children's regimens, none
    recommended (outside NICE's scope)'."""
    for age in (0, 1, 10, 15, 15.99):
        result = evaluate({"total_b12": 150, "age_years": age})
        assert result["regimens"]
        for r in result["regimens"]:
            assert DATA_REGIMENS[r["id"]]["population"] == "child"
            assert r["recommended"] is False
    for r in evaluate({"total_b12": 150, "age_years": 16})["regimens"]:
        assert DATA_REGIMENS[r["id"]]["population"] == "adult"


@pytest.mark.parametrize("neuro", [False, True])
def test_neuro_variants_shown_only_for_their_case(neuro: bool) -> None:
    """BNF: one regimen 'without neurological involvement', another 'with neurological involvement'; policy:
    'a regimen tied to neurological involvement is shown only with neurological symptoms, and its counterpart
    only without'."""
    ids = {r["id"] for r in evaluate({"total_b12": 150, "neurological_symptoms": neuro})["regimens"]}
    assert ("bnf-hydroxocobalamin-neuro" in ids) is neuro
    assert ("bnf-hydroxocobalamin" in ids) is not neuro


@pytest.mark.parametrize(
    "request_",
    [
        {"total_b12": 150},
        {"total_b12": 150, "causes": ["bariatric_surgery"]},
        {"total_b12": 150, "anticoagulated": True},
        {"total_b12": 150, "causes": ["vegan"], "route_preference": "im"},
        {"total_b12": 500},
    ],
)
def test_recommended_ones_first(request_: dict) -> None:
    """Contract: 'Recommended ones first.'"""
    flags = [r["recommended"] for r in evaluate(request_)["regimens"]]
    assert flags == sorted(flags, reverse=True)


@pytest.mark.parametrize(
    "preferred_by",
    [
        {"anticoagulated": True},
        {"neurological_symptoms": True},
        {"route_preference": "oral"},
        {"critically_ill": True},
    ],
)
def test_recommended_regimens_follow_the_route_decision(preferred_by: dict) -> None:
    """Policy: recommended needs 'a route the route decision allows'."""
    result = evaluate({"total_b12": 150, "causes": ["bariatric_surgery"], **preferred_by})
    preferred = result["route"]["preferred"]
    recommended = [r for r in result["regimens"] if r["recommended"]]
    assert recommended
    assert all(r["route"] == preferred for r in recommended)


@pytest.mark.parametrize("request_", [{"total_b12": 400}, {"active_b12": 90}, {"total_b12": 250, "mma": 0.2}])
def test_nothing_recommended_when_deficiency_is_unlikely(request_: dict) -> None:
    """Policy: recommended needs 'a lab result that does not make deficiency unlikely'; D3: regimens stay
    listed for reference."""
    result = evaluate(request_)
    assert result["lab"]["status"] == "unlikely"
    assert result["regimens"]
    assert not any(r["recommended"] for r in result["regimens"])


@pytest.mark.parametrize(
    ("cause", "malabsorption"),
    [
        ("vegan", False),
        ("low_intake", False),
        ("autoimmune_gastritis", True),
        ("bariatric_surgery", True),
        ("ileal_resection", True),
        ("metformin", True),
        ("unknown", True),
    ],
)
def test_nice_oral_dose_needs_a_malabsorption_cause(cause: str, malabsorption: bool) -> None:
    """BMJ summary (V): the 'at least 1 mg a day' oral dose is for deficiency 'caused, or suspected to be
    caused, by malabsorption'; a diet-related deficiency (normal absorption) is not. (Nitrous oxide, which
    inactivates B12, gets it as an alternative to injections: NICE's consultation offered either route by
    preference; see the decision table's uk_nitrous_oxide row.)"""
    result = evaluate({"total_b12": 150, "causes": [cause]})
    nice = next(r for r in result["regimens"] if r["id"] == "nice-oral-malabsorption")
    assert nice["recommended"] is malabsorption


def test_mixed_causes_any_malabsorption_qualifies() -> None:
    """BMJ summary: 'caused, or suspected to be caused, by malabsorption' -- one malabsorption cause
    suffices."""
    result = evaluate({"total_b12": 150, "causes": ["vegan", "metformin"]})
    assert next(r for r in result["regimens"] if r["id"] == "nice-oral-malabsorption")["recommended"]


def test_cause_specific_regimens_hidden_without_the_cause() -> None:
    """Policy: 'adults ... see the general adult regimens plus those tied to a selected cause'."""
    ids = {r["id"] for r in evaluate({"total_b12": 150})["regimens"]}
    for regimen_id, data in DATA_REGIMENS.items():
        if data.get("causes") or data["population"] == "child":
            assert regimen_id not in ids


def test_applies_because_names_the_cause() -> None:
    """Contract: each regimen has applies_because, naming the cause in words (never its code)."""
    result = evaluate({"total_b12": 150, "causes": ["bariatric_surgery"]})
    bomss = next(r for r in result["regimens"] if r["id"] == "bomss-im")
    assert "bariatric surgery" in bomss["applies_because"]
    assert "bariatric_surgery" not in bomss["applies_because"]

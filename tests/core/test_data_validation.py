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
from calc.loader import build_guideline, load_guideline

_DATA_DIR = resources.files("calc.data")
RULES: dict[str, Any] = tomllib.loads(_DATA_DIR.joinpath("guideline.toml").read_text("utf-8"))
REFS: dict[str, Any] = tomllib.loads(_DATA_DIR.joinpath("references.toml").read_text("utf-8"))
DECISIONS: dict[str, Any] = tomllib.loads(_DATA_DIR.joinpath("decisions.toml").read_text("utf-8"))


def fresh() -> tuple[dict[str, Any], dict[str, Any]]:
    return copy.deepcopy(RULES), copy.deepcopy(REFS)


def test_unmodified_data_builds() -> None:
    """Control for the rejections below: the copies themselves are valid."""
    rules, refs = fresh()
    guideline = build_guideline(rules, refs, copy.deepcopy(DECISIONS))
    assert len(guideline.regimens) == len(RULES["regimens"])
    assert len(guideline.references) == len(REFS["references"])


def test_rejects_regimen_citing_unknown_reference() -> None:
    """Every number cites reference keys from references.toml (guideline.toml header): an unknown key is a
    data bug."""
    rules, refs = fresh()
    rules["regimens"][0]["refs"].append("no-such-reference-2099")
    with pytest.raises(DataError, match="unknown reference"):
        build_guideline(rules, refs, copy.deepcopy(DECISIONS))


def test_rejects_warning_citing_unknown_reference() -> None:
    """Contract: warnings carry refs that resolve."""
    rules, refs = fresh()
    rules["warnings"][0]["refs"] = ["no-such-reference-2099"]
    with pytest.raises(DataError, match="unknown reference"):
        build_guideline(rules, refs, copy.deepcopy(DECISIONS))


def test_rejects_duplicate_reference_key() -> None:
    """references.toml: 'key  stable identifier, never reused'."""
    rules, refs = fresh()
    refs["references"].append(copy.deepcopy(refs["references"][0]))
    with pytest.raises(DataError, match="duplicate"):
        build_guideline(rules, refs, copy.deepcopy(DECISIONS))


def test_rejects_r_verified_primary_regimen() -> None:
    """Verification key: R = 'from the researcher's knowledge, not confirmed in any archived copy. Check it
    before publishing.' -- policy: an R regimen is never primary (never recommended)."""
    rules, refs = fresh()
    primary = next(r for r in rules["regimens"] if r["primary"])
    primary["verification"] = "R"
    with pytest.raises(DataError, match="R regimen cannot be primary"):
        build_guideline(rules, refs, copy.deepcopy(DECISIONS))


def test_rejects_primary_childrens_regimen() -> None:
    """C5: NG239 covers 16 and over only -- policy: a children's regimen is never primary."""
    rules, refs = fresh()
    child = next(r for r in rules["regimens"] if r["population"] == "child" and r["verification"] != "R")
    child["primary"] = True
    with pytest.raises(DataError, match="child"):
        build_guideline(rules, refs, copy.deepcopy(DECISIONS))


@pytest.mark.parametrize(("low", "high"), [(350, 180), (180, 180), (0, 350), (-5, 350)])
def test_rejects_band_edges_out_of_order(low: float, high: float) -> None:
    """NICE: '<180 ... 180-350 ... >350' -- the deficient edge must lie below the unlikely edge."""
    rules, refs = fresh()
    rules["bands"][0]["deficient_below"], rules["bands"][0]["unlikely_above"] = low, high
    with pytest.raises(DataError, match="out of order"):
        build_guideline(rules, refs, copy.deepcopy(DECISIONS))


def test_rejects_reference_without_doi_or_url() -> None:
    """D3: 'Evidence panel for every recommendation: source name, year, jurisdiction, evidence type ...,
    direct link'."""
    rules, refs = fresh()
    entry = refs["references"][0]
    entry.pop("doi", None)
    entry.pop("url", None)
    with pytest.raises(DataError, match="DOI or a URL"):
        build_guideline(rules, refs, copy.deepcopy(DECISIONS))


@pytest.mark.parametrize("status", ["X", "v", "", "verified"])
def test_rejects_unknown_verification_status(status: str) -> None:
    """Verification key used throughout: V, S or R."""
    rules, refs = fresh()
    refs["references"][0]["verification"] = status
    with pytest.raises(DataError):
        build_guideline(rules, refs, copy.deepcopy(DECISIONS))


def test_rejects_missing_field() -> None:
    """A misspelt or missing field is a DataError, not a KeyError."""
    rules, refs = fresh()
    del rules["regimens"][0]["phases"]
    with pytest.raises(DataError):
        build_guideline(rules, refs, copy.deepcopy(DECISIONS))


# --- the data itself ---------------------------------------------------------------------------------------


def build_with_decisions(change: Any) -> None:
    """Build the data after ``change(decisions)`` has edited a copy of the decision table."""
    decisions = copy.deepcopy(DECISIONS)
    change(decisions)
    build_guideline(copy.deepcopy(RULES), copy.deepcopy(REFS), decisions)


@pytest.mark.parametrize(
    ("when", "match"),
    [
        ({"neuro": True}, "unknown fact 'neuro'"),
        ({"lab": "deficent"}, "no value 'deficent'"),
        ({"causes": "martian"}, "no value 'martian'"),
        ({"causes": "dietary"}, "no value 'dietary'"),
        ({"neurological_symptoms": "yes"}, "true or false"),
        ({"lab_only": ["deficient"]}, "several values"),
        ({"lab": []}, "lists no value"),
    ],
)
def test_rejects_bad_condition(when: dict[str, Any], match: str) -> None:
    """calc/conditions.py: 'an unknown fact, value or cause, or a boolean fact given a word, fails the load
    (DataError), never a calculation' (issue: 'an unknown cause, flag or status in a condition fails the
    load')."""

    def change(decisions: dict[str, Any]) -> None:
        decisions["action"][1]["when"] = when

    with pytest.raises(DataError, match=match):
        build_with_decisions(change)


def test_rejects_a_fact_not_known_yet() -> None:
    """The chain reads route, then action, then plan: an action row cannot test the action."""

    def change(decisions: dict[str, Any]) -> None:
        decisions["action"][1]["when"] = {"action": "treat"}

    with pytest.raises(DataError, match="not known yet"):
        build_with_decisions(change)


@pytest.mark.parametrize("table", ["route", "action", "course", "review"])
def test_rejects_a_first_match_table_without_a_last_row_for_every_case(table: str) -> None:
    """decisions.toml: 'The first-match tables end with a row that always holds, so every situation meets a
    row'."""

    def change(decisions: dict[str, Any]) -> None:
        decisions[table].pop()

    with pytest.raises(DataError, match="last row must hold always"):
        build_with_decisions(change)


@pytest.mark.parametrize(
    ("regimen", "match"),
    [
        ("no-such-regimen", "unknown regimen"),
        ("seed-im-monthly", "may not be recommended"),
        ("afp-oral-high-dose", "not a regimen of uk guidance"),
    ],
)
def test_rejects_a_plan_row_naming_a_wrong_regimen(regimen: str, match: str) -> None:
    """Policy: a plan names one regimen of its own guidance that may be recommended (never an unverified or
    comparison regimen, never another country's)."""

    def change(decisions: dict[str, Any]) -> None:
        decisions["plan"][0]["regimen"] = regimen

    with pytest.raises(DataError, match=match):
        build_with_decisions(change)


def test_rejects_for_life_from_a_course_that_is_not_lifelong() -> None:
    """HAZ-30: '"for life" only from a row whose source says lifelong'."""

    def change(decisions: dict[str, Any]) -> None:
        row = next(r for r in decisions["course"] if r["kind"] == "ends")
        row["text"] = "for life"

    with pytest.raises(DataError, match="for life"):
        build_with_decisions(change)


def test_rejects_a_next_step_whose_results_answer_no_known_question() -> None:
    """The page offers the review from ``results_for``: a misspelt fact would silently drop that offer."""

    def change(decisions: dict[str, Any]) -> None:
        row = next(r for r in decisions["next_step"] if r.get("results_for"))
        row["results_for"] = "intrinsic_factor_antibody"

    with pytest.raises(DataError, match="results_for names no fact"):
        build_with_decisions(change)


def test_rejects_facts_that_differ_from_the_interpreter() -> None:
    """The facts the data declare are exactly those calc/decide.py computes."""

    def change(decisions: dict[str, Any]) -> None:
        decisions["facts"]["mood"] = {"label": "Mood", "values": {"good": "good"}}

    with pytest.raises(DataError, match="facts differ"):
        build_with_decisions(change)


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
    months = {row["code"]: row.get("months") for row in DECISIONS["review"]}
    assert months["treatment"] == 3 and months["treatment_pregnancy"] == 1


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
    assert malabsorption["vegan"] is False
    assert malabsorption["nitrous_oxide"] is False
    for code in ("autoimmune_gastritis", "bariatric_surgery", "ileal_resection", "unknown"):
        assert malabsorption[code] is True


def test_children_regimens_are_bnfc_or_label() -> None:
    """C5: 'BNFC uses 1 mg regimens'; the US label children's regimen is shown as label text."""
    children = [r for r in RULES["regimens"] if r["population"] == "child"]
    assert {r["source"] for r in children} <= {"bnfc-2011", "us-label-hydroxocobalamin"}
    assert len(children) >= 2


# --- fact-level verification (README) ----------------------------------------------------------------------


def test_every_fact_carries_a_check() -> None:
    """README: 'Make verification a property of each fact (threshold, phase, warning, rule)'. Every band,
    limit, cause, route rule, regimen, monitoring item, warning, caveat, reference value, risk factor, the
    conversion, the MMA default and the review policy has a check record."""
    facts = load_guideline().fact_checks()
    missing = [name for name, check in facts if check is None]
    assert not missing, f"facts without a check record: {missing}"
    assert len(facts) >= 100


def test_checks_are_well_formed() -> None:
    """README: 'For each fact record the copy's URL, a quote of at most 25 words, the date checked and a
    status' -- and an unconfirmed fact says why."""
    for name, check in load_guideline().fact_checks():
        assert check is not None
        assert check.status in ("V", "S", "R"), name
        assert len(check.quote.split()) <= 25, name
        assert check.checked_date.year >= 2026, name
        if check.status == "R":
            assert check.note, name
        else:
            assert check.url.startswith(("http://", "https://")) and check.quote, name


def _first_check(rules: dict[str, Any]) -> dict[str, Any]:
    return rules["causes"][0]["check"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("quote", " ".join(["word"] * 26), "longer than 25 words"),
        ("checked", "29/11/2026", "ISO date"),
        ("status", "verified", "V, S or R"),
        ("source", "no-such-reference-2099", "unknown reference"),
        ("url", "", "needs the URL"),
    ],
)
def test_rejects_malformed_check(field: str, value: str, message: str) -> None:
    """The check record validates itself: quote length, ISO date, status, a known reference, a URL."""
    rules, refs = fresh()
    _first_check(rules)[field] = value
    with pytest.raises(DataError, match=message):
        build_guideline(rules, refs, copy.deepcopy(DECISIONS))


def test_rejects_unconfirmed_check_without_reason() -> None:
    """R = 'not confirmed': the record must say why."""
    rules, refs = fresh()
    check = _first_check(rules)
    check.update(status="R", note="")
    with pytest.raises(DataError, match="saying why"):
        build_guideline(rules, refs, copy.deepcopy(DECISIONS))


def test_regimen_status_is_its_weakest_phase() -> None:
    """README: keep the regimen-level verification consistent with its facts' checks (phase-level where the
    numbers differ in status): a stated status that disagrees fails to load."""
    guideline = load_guideline()
    bnf = guideline.regimen("bnf-hydroxocobalamin")
    assert [p.check.status for p in bnf.phases if p.check] == ["S", "V"]  # BNF loading only via quotes
    assert bnf.verification == "S"
    rules, refs = fresh()
    entry = next(r for r in rules["regimens"] if r["id"] == "bnf-hydroxocobalamin-neuro")
    entry["verification"] = "S"  # its phases are both confirmed in the UK SmPC
    with pytest.raises(DataError, match="differs from its facts' checks"):
        build_guideline(rules, refs, copy.deepcopy(DECISIONS))


def test_comparison_regimens_are_never_primary() -> None:
    """README: the source-article and historical US label regimens are 'for comparison'."""
    guideline = load_guideline()
    comparison = {r.id for r in guideline.regimens if r.for_comparison}
    # The US cyanocobalamin label is not among them: it is the US regulator's injection regimen, the plan
    # under US guidance when injections are needed.
    expected = {"seed-im-monthly", "seed-vegan", "us-label-hydroxocobalamin"}
    assert expected <= comparison
    assert not any(guideline.regimen(i).primary for i in comparison)


def test_bsh_2014_is_superseded() -> None:
    """BSH: 'this 2014 British Society for Haematology Guideline has been superseded by ... NICE ...
    published on 6 March 2024'."""
    bsh = load_guideline().reference("bsh-2014")
    assert "NG239" in bsh.superseded


def test_crohns_alone_is_not_malabsorption() -> None:
    """Battat 2014 (V): 'Crohn's disease without ileal resection, regardless of disease location in the ileum,
    did not increase the risk for Cbl deficiency'; 'Only ileal resections greater than 20 cm ... warrant
    treatment' (the resection rule stays)."""
    causes = {c["code"]: c for c in RULES["causes"]}
    assert causes["crohns"]["malabsorption"] is False
    assert causes["ileal_resection"]["malabsorption"] is True
    assert RULES["plan"]["long_ileal_resection_cm"] == 20


def _phases(regimen_id: str) -> list[tuple[float, float | None, Any, int, Any]]:
    regimen = load_guideline().regimen(regimen_id)
    return [
        (
            p.dose_ug.min,
            p.dose_ug.max,
            (p.every.n, p.every.n_max, p.every.unit) if p.every else None,
            p.times_per_interval,
            p.duration if isinstance(p.duration, str) else (p.duration.n, p.duration.n_max, p.duration.unit),
        )
        for p in regimen.phases
    ]


def test_orobalin_licensed_regimen() -> None:
    """Orobalin SmPC (emc 11887): 'Remission treatment: Usually, 2 tablets twice daily until full remission.'
    'Maintenance treatment/prophylaxis: Normally, 1 tablet daily.' 'In the event that neuropathy is
    suspected, parenteral treatment should be used.'"""
    assert _phases("orobalin-oral") == [
        (2000, 2000, (1, None, "day"), 2, "until_remission"),
        (1000, 1000, (1, None, "day"), 1, "indefinite"),
    ]
    orobalin = load_guideline().regimen("orobalin-oral")
    assert orobalin.jurisdiction == "UK" and orobalin.primary and orobalin.verification == "V"
    assert orobalin.neuro is False and "neuropathy" in orobalin.note


def test_uk_smpc_hydroxocobalamin_regimen() -> None:
    """emc 31182: 'Initially: 250 micrograms to 1mg intramuscularly on alternate days for one or two weeks,
    then 250 micrograms weekly until blood count is normal. Maintenance: 1mg every two or three months.'"""
    assert _phases("smpc-hydroxocobalamin") == [
        (250, 1000, (2, None, "day"), 1, (1, 2, "week")),
        (250, 250, (1, None, "week"), 1, "until_blood_count_normal"),
        (1000, 1000, (2, 3, "month"), 1, "indefinite"),
    ]


def test_nhs_oral_doses() -> None:
    """NHS cyanocobalamin page: diet-related 'the usual dose is 50 micrograms to 150 micrograms, taken once a
    day'; not diet-related 'one to two 1,000 microgram tablets, taken once or twice a day. This is usually if
    you cannot have vitamin B12 injections' (so not a first choice)."""
    assert _phases("nhs-oral-dietary") == [(50, 150, (1, None, "day"), 1, "indefinite")]
    assert _phases("nhs-oral-not-diet") == [(1000, 4000, (1, None, "day"), 1, "indefinite")]
    assert not load_guideline().regimen("nhs-oral-not-diet").primary


def test_potassium_follows_the_uk_smpc() -> None:
    """Audit F6: not limited to severe anaemia; UK SmPC 'during initial therapy'; trigger: injections."""
    item = next(m for m in RULES["monitoring"] if m["code"] == "potassium_48h")
    assert item["when"] == {"plan_routes": "im"}
    assert "smpc-cobalin-h" in item["refs"] and "severe megaloblastic" not in item["text"]


def test_cobalt_advice_is_the_mhras_under_uk() -> None:
    """MHRA DSU (Dec 2023): 'advise patients with known cobalt allergy to be vigilant'; 'assess the individual
    benefits and risks of continuing treatment'. The US label's contraindication is a separate caveat."""
    warning = next(w for w in RULES["warnings"] if w["code"] == "cobalt_allergy")
    assert warning["refs"] == ["mhra-cobalt-2023"] and "benefits and risks" in warning["text"]
    assert "Contraindicated" not in warning["text"]
    caveat = next(c for c in RULES["caveats"] if c["code"] == "cobalt_us_label")
    assert "us-label-cyanocobalamin" in caveat["refs"]



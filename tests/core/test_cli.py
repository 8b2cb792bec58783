"""The command line, in-process (``calc.cli.main([...])`` with capsys): no subprocess, so it also runs in
Pyodide.

Contract: 'python -m calc flags named after fields (--total-b12 150 --total-b12-unit pmol/L --cause
bariatric_surgery), --json, exit 2 with field messages on bad input.'"""

from __future__ import annotations

import json
import re
import tomllib
from importlib import resources

import pytest

from calc import evaluate
from calc.cli import main

REFS = tomllib.loads(resources.files("calc.data").joinpath("references.toml").read_text("utf-8"))[
    "references"
]
NUMBER = {ref["key"]: i for i, ref in enumerate(REFS, start=1)}  # the site's numbering: file order


def test_plain_text_answer_is_cited(capsys: pytest.CaptureFixture[str]) -> None:
    """D3: 'Interpretation band using NICE NG239 ..., with the rule applied and a citation' -- the answer says
    DEFICIENCY CONFIRMED and cites NICE and the BMJ summary by their reference numbers, which are listed."""
    assert main(["--total-b12", "150"]) == 0
    out = capsys.readouterr().out
    assert "DEFICIENCY CONFIRMED" in out
    nice, bmj = NUMBER["nice-ng239"], NUMBER["sands-2024-bmj"]
    lab_line = next(line for line in out.splitlines() if "DEFICIENCY CONFIRMED" in line)
    cited = {int(n) for n in re.findall(r"\d+", lab_line.split("DEFICIENCY CONFIRMED", 1)[1])}
    assert {nice, bmj} <= cited
    assert re.search(rf"^\[{nice}\] National Institute for Health and Care Excellence", out, re.MULTILINE)
    # every number cited anywhere is listed under References
    listed = {int(n) for n in re.findall(r"^\[(\d+)\]", out, re.MULTILINE)}
    cited_all = {int(n) for group in re.findall(r"\[(\d+(?:, \d+)*)\]", out) for n in group.split(", ")}
    assert cited_all <= listed
    assert "110.7 pmol/L" in out  # both units shown: 150 ng/L x 0.73781


def test_plain_text_mentions_decision_support(capsys: pytest.CaptureFixture[str]) -> None:
    """D4: 'Add a disclaimer ("decision support, not a prescription")'."""
    assert main(["--total-b12", "150"]) == 0
    assert "not a prescription" in capsys.readouterr().out.lower()


def test_json_equals_evaluate(capsys: pytest.CaptureFixture[str]) -> None:
    """Contract: '--json' prints the contract's JSON, equal to evaluate({"total_b12": 150})."""
    assert main(["--total-b12", "150", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(json.dumps(evaluate({"total_b12": 150})))


def test_flags_named_after_fields(capsys: pytest.CaptureFixture[str]) -> None:
    """Contract: '--total-b12 150 --total-b12-unit pmol/L --cause bariatric_surgery'; booleans are bare flags;
    --cause repeats."""
    argv = [
        "--total-b12",
        "150",
        "--total-b12-unit",
        "pmol/L",
        "--cause",
        "bariatric_surgery",
        "--cause",
        "metformin",
        "--active-b12",
        "30",
        "--mma",
        "420",
        "--mma-unit",
        "nmol/L",
        "--mma-upper-limit",
        "400",
        "--age-years",
        "52",
        "--pregnant-or-breastfeeding",
        "--needle-phobia",
        "--ileal-resection-cm",
        "10",
        "--route-preference",
        "im",
        "--start-date",
        "2026-01-05",
        "--json",
    ]
    assert main(argv) == 0
    expected = evaluate(
        {
            "total_b12": 150,
            "total_b12_unit": "pmol/L",
            "causes": ["bariatric_surgery", "metformin"],
            "active_b12": 30,
            "mma": 420,
            "mma_unit": "nmol/L",
            "mma_upper_limit": 400,
            "age_years": 52,
            "pregnant_or_breastfeeding": True,
            "needle_phobia": True,
            "ileal_resection_cm": 10,
            "route_preference": "im",
            "start_date": "2026-01-05",
        }
    )
    got = json.loads(capsys.readouterr().out)
    assert got == json.loads(json.dumps(expected))
    assert got["lab"]["status"] == "deficient"  # 150 pmol/L = 203 ng/L indeterminate; MMA 420 > 400 nmol/L
    assert got["route"]["preferred"] == "im"


@pytest.mark.parametrize("flag", ["--neurological-symptoms", "--critically-ill"])
def test_boolean_flags_reach_the_route(flag: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Contract: neurological symptoms or critical illness -> 'im'."""
    assert main(["--total-b12", "150", flag, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["route"]["preferred"] == "im"


def test_bad_input_exits_2_naming_every_flag(capsys: pytest.CaptureFixture[str]) -> None:
    """Contract: 'exit 2 with field messages on bad input' -- one line per bad field, naming its flag."""
    argv = [
        "--total-b12",
        "abc",
        "--total-b12-unit",
        "mg/dL",
        "--cause",
        "martian",
        "--start-date",
        "2026-02-30",
        "--anticoagulated",
        "--route-preference",
        "iv",
    ]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = [line for line in captured.err.splitlines() if line.strip()]
    for flag in ("--total-b12:", "--total-b12-unit:", "--cause:", "--start-date:", "--route-preference:"):
        assert sum(flag in line for line in lines) == 1, flag
    assert len(lines) == 5


@pytest.mark.parametrize(
    ("argv", "flag"),
    [
        (["--total-b12", "-5"], "--total-b12"),
        (["--total-b12", "nan"], "--total-b12"),
        (["--total-b12", "inf"], "--total-b12"),
        (["--total-b12", "60000"], "--total-b12"),
        (["--active-b12", "0"], "--active-b12"),
        (["--mma", "450", "--total-b12", "250"], "--mma"),
        (["--age-years", "old"], "--age-years"),
        (["--ileal-resection-cm", "700"], "--ileal-resection-cm"),
        (["--mma-unit", "mg/L"], "--mma-unit"),
        (["--start-date", "05/01/2026"], "--start-date"),
    ],
)
def test_each_bad_value_exits_2(argv: list[str], flag: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Contract: negative, non-numeric, NaN/inf, implausible values, unknown units and bad dates are rejected;
    the CLI exits 2 and names the flag."""
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert re.search(rf"^error: {re.escape(flag)}: \S", err, re.MULTILINE)


def test_json_output_for_a_child(capsys: pytest.CaptureFixture[str]) -> None:
    """C5: NG239 'covers people aged 16 and over only' -- through the CLI as through evaluate."""
    assert main(["--total-b12", "150", "--age-years", "12", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["scope"]["within_nice_scope"] is False
    assert not any(r["recommended"] for r in result["regimens"])


def test_plain_text_puts_the_plan_first(capsys: pytest.CaptureFixture[str]) -> None:
    """Contract: 'python -m calc prints the plan first (the headline right under the title), then the
    alternatives, then the rest'. NICE (via the BMJ summary): 'at least 1 mg a day' orally where
    malabsorption is (or may be) the cause."""
    assert main(["--total-b12", "150"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith("PLAN (UK guidance") and lines[1].endswith("TREAT")
    assert "at least 1 mg by mouth daily" in lines[2]
    text = "\n".join(lines)
    assert text.index("Alternatives (same guidance):") < text.index("Lab result:")


def test_notes_flag_prints_the_short_entry(capsys: pytest.CaptureFixture[str]) -> None:
    """Contract: '--notes' prints the same plain text the page copies: plan headline, review and the
    disclaimer, within 1,200 characters for a typical case."""
    args = ["--total-b12", "120", "--cause", "autoimmune_gastritis", "--age-years", "45", "--notes"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("Vitamin B12 plan, UK guidance")
    assert "Decision support, not a prescription." in out
    # Contract: '`python -m calc --notes` includes it' (the prescription line: product, directions, status).
    assert "Plan: Hydroxocobalamin 1 mg in 1 mL solution for injection" in out
    assert "1 mL by intramuscular injection 3 times a week for 2 weeks" in out and "POM" in out
    assert "Review: " in out and len(out) <= 1200


def test_ics_flag_needs_a_start_date(capsys: pytest.CaptureFixture[str]) -> None:
    """A calendar needs dates: without --start-date the CLI names that flag and exits 2."""
    assert main(["--total-b12", "150", "--ics"]) == 2
    assert "--start-date" in capsys.readouterr().err
    assert main(["--total-b12", "150", "--start-date", "2026-12-01", "--ics"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("BEGIN:VCALENDAR") and "DTSTART;VALUE=DATE:20261201" in out


def test_holiday_region_flag_reaches_the_schedule(capsys: pytest.CaptureFixture[str]) -> None:
    """HAZ-30: --holiday-region is the request's holiday_region. A 1-month review from 2026-12-01 is due on
    New Year's Day 2027 (a Friday): with working days it is Monday 4 January in England and Wales, and Tuesday
    5 January in Scotland, whose 2 January bank holiday (a Saturday) has Monday 4 January as substitute."""
    base = ["--total-b12", "120", "--pregnant-or-breastfeeding", "--start-date", "2026-12-01", "--ics"]
    assert main([*base, "--weekdays-only"]) == 0
    assert "DTSTART;VALUE=DATE:20270104" in capsys.readouterr().out
    assert main([*base, "--weekdays-only", "--holiday-region", "scotland"]) == 0
    assert "DTSTART;VALUE=DATE:20270105" in capsys.readouterr().out
    assert main([*base, "--weekdays-only", "--holiday-region", "wales"]) == 2
    assert "--holiday-region" in capsys.readouterr().err

"""The renderings that leave the page (calc.exports): notes text, the patient's plan, the .ics calendar.

Each property quotes the requirement it checks (the contract, RFC 5545). These run under CPython and inside
Pyodide; tests/export/ adds a CPython-only check against an independent iCalendar parser.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime

import pytest

from calc import evaluate, load_guideline, render_json
from calc.render_ics import escape_text, fold, render_ics
from calc.render_notes import NOTES_MAX_CHARS, render_notes, render_patient

from .ux_cases import UX_CASES

_DATA = load_guideline()
INTERNAL_IDS = {r.id for r in _DATA.regimens} | {c.code for c in _DATA.causes if "_" in c.code}


@pytest.mark.parametrize("case", sorted(UX_CASES))
def test_notes_are_short_plain_and_complete(case: str) -> None:
    """Contract: 'plain text with the inputs and their units, the lab interpretation, the plan (headline,
    review, next steps), the cautions that matter, short citations, the content version and date, and the
    disclaimer. At most 1,200 characters for a typical case, no markup.' With the prescription line too
    (still <= 1,200 characters for a typical case)."""
    result = evaluate(UX_CASES[case])
    text = render_notes(result, today=date(2026, 11, 29))
    assert len(text) <= NOTES_MAX_CHARS == 1200
    assert not re.search(r"[<>*#_`|]", text), "no markup"
    assert not any(i in text for i in INTERNAL_IDS), "no internal ids"
    plan = result["plan"]
    # Contract: the prescription line in the notes text, else the headline or the action.
    rx = plan["prescription"]
    expected = rx["line"] if rx else plan["headline"] or plan["action_label"]
    assert expected in text
    assert plan["status_label"] in text and "Review: " in text
    assert result["calculator"]["content_version"] in text and "2026-11-29" in text
    assert result["disclaimer"] in text
    if result["request"]["total_b12"] is not None:
        assert f"{result['request']['total_b12']:g} {result['request']['total_b12_unit']}" in text
    cited = {int(n) for group in re.findall(r"\[([\d,]+)\]", text) for n in group.split(",")}
    listed = {int(n) for n in re.findall(r"\[(\d+)\] [^\[;]+", text.split("Sources: ", 1)[-1])}
    assert cited <= listed, "every cited number has a short source"


def test_patient_plan_is_plain_language() -> None:
    """Contract: 'A plain-language patient version ("your treatment plan")': the regimen in words, the dates,
    the check-up, and no clinician shorthand such as MMA or internal ids."""
    result = evaluate(UX_CASES["b"])
    text = render_patient(result, today=date(2026, 11, 29))
    assert text.startswith("Your vitamin B12 treatment plan")
    assert result["plan"]["headline"] in text and "1 Dec 2026" in text
    assert "MMA" not in text and not any(i in text for i in INTERNAL_IDS)


def _content_lines(ics: str) -> list[str]:
    """RFC 5545 3.1 unfolding: a CRLF followed by one space or tab joins two physical lines."""
    return re.sub(r"\r\n[ \t]", "", ics).split("\r\n")[:-1]


@pytest.mark.parametrize("case", ["b", "e"])
def test_ics_follows_rfc_5545(case: str) -> None:
    """RFC 5545: 3.1 'Lines of text SHOULD NOT be longer than 75 octets, excluding the line break' and are
    delimited by CRLF; 3.6.1 each VEVENT has UID and DTSTAMP; all-day events use VALUE=DATE; one event per
    scheduled dose, reassessment and review, on the schedule's dates."""
    result = evaluate(UX_CASES[case])
    ics = render_ics(result, now=datetime(2026, 11, 29, 12, 0, tzinfo=UTC))
    assert ics.endswith("\r\n") and "\n" not in ics.replace("\r\n", "")
    assert all(len(line.encode("utf-8")) <= 75 for line in ics.split("\r\n"))
    lines = _content_lines(ics)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR" and "VERSION:2.0" in lines
    starts = [line.split(":", 1)[1] for line in lines if line.startswith("DTSTART;VALUE=DATE:")]
    assert starts == [e["date"].replace("-", "") for e in result["schedule"]]
    uids = [line for line in lines if line.startswith("UID:")]
    assert len(uids) == len(set(uids)) == len(result["schedule"])
    assert lines.count("DTSTAMP:20261129T120000Z") == len(result["schedule"])
    # the same request gives the same UIDs (a re-import updates instead of duplicating)
    again = _content_lines(render_ics(evaluate(UX_CASES[case]), now=datetime(2027, 1, 1, tzinfo=UTC)))
    assert [line for line in again if line.startswith("UID:")] == uids


def test_ics_text_escaping_and_folding() -> None:
    """RFC 5545 3.3.11: backslash, semicolon, comma and newline are escaped in TEXT; 3.1: folding never
    splits a multi-octet UTF-8 character."""
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = fold("X:" + "µ" * 80)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "X:" + "µ" * 80


def test_export_formats_through_the_json_bridge() -> None:
    """The page asks the engine for each format by name; a calendar without a start date is a field error
    on start_date, and an unknown format is a field error on format."""
    request = json.dumps(UX_CASES["a"])
    for fmt, media_type in (("notes", "text/plain"), ("patient", "text/plain"), ("text", "text/plain")):
        answer = json.loads(render_json(request, fmt))
        assert answer["media_type"] == media_type and answer["text"] and answer["format"] == fmt
    assert json.loads(render_json(request, "ics"))["errors"][0]["field"] == "start_date"
    assert json.loads(render_json(json.dumps(UX_CASES["b"]), "ics"))["media_type"] == "text/calendar"
    assert json.loads(render_json(request, "pdf"))["errors"][0]["field"] == "format"
    assert json.loads(render_json("{", "notes"))["errors"][0]["field"] == "request"


@pytest.mark.parametrize("region", ["england_wales", "scotland", "northern_ireland"])
def test_ics_follows_the_working_day_schedule(region: str) -> None:
    """HAZ-30: the calendar has the schedule's own dates, working days and region included (the BNF course
    from Monday 28 December 2026 over Christmas and New Year)."""
    request = {
        "total_b12": 150,
        "route_preference": "im",
        "start_date": "2026-12-28",
        "weekdays_only": True,
        "holiday_region": region,
    }
    result = evaluate(request)
    ics = render_ics(result, now=datetime(2026, 12, 3, tzinfo=UTC))
    starts = [line.split(":", 1)[1] for line in _content_lines(ics) if line.startswith("DTSTART")]
    assert starts == [e["date"].replace("-", "") for e in result["schedule"]]
    assert json.loads(render_json(json.dumps(request), "ics"))["text"].count("BEGIN:VEVENT") == len(starts)


def test_notes_of_a_review_say_the_answers_and_the_decision() -> None:
    """The review visit leaves the page the same way: the notes give what was asked at the review, the
    decision with its reason, and the prescription line to go on with."""
    result = evaluate(
        {
            "visit": "review",
            "age_years": 59,  # a typical review: without an age the plan adds "adult assumed"
            "causes": ["unknown"],
            "current_treatment": "oral",
            "response": "unchanged",
            "adherence": "good",
            "weeks_on_treatment": 12,
        }
    )
    text = render_notes(result, today=date(2026, 12, 3))
    assert "current treatment: Oral (tablets)" in text and "response: Unchanged" in text
    assert "weeks on treatment 12;" in text
    assert "Decision: Change treatment: Not better on tablets taken as prescribed" in text
    assert result["plan"]["prescription"]["line"] in text and len(text) <= NOTES_MAX_CHARS

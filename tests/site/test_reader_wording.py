"""No research or developer wording reaches readers (common rules: readers never see internal ids, developer
wording, or how a fact was researched). Checked over the visible text of every built page and over
everything the calculator says for the UX review's cases: every string of the result, and the notes, the
patient sheet and the full text made from it.

How a fact was researched ("stored copy", "copies read", "source article", "AI-written") is provenance: it
belongs on one page, How this content is checked, whose purpose is to say how each fact was confirmed and
where the site began. Developer wording ("engineering", "this site's default") is allowed nowhere, that
page included: it says nothing a reader can act on."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from reader_text import reader_pages, visible_text, visible_text_of

from calc import evaluate, render_json
from tests.core.hedging import strings_in
from tests.core.ux_cases import UX_CASES

#: How a fact was researched: fine on the provenance page only.
RESEARCH_WORDING = re.compile(
    r"source article|\bcop(?:y|ies) read\b|not in the (?:stored )?copies|stored cop(?:y|ies)"
    r"|AI[- ](?:written|generated)|we researched|read for this site|the seed\b|seed article",
    re.I,
)
#: Developer wording: allowed nowhere.
DEVELOPER_WORDING = re.compile(r"engineering|this site's default|\binternal id\b", re.I)
PROVENANCE_PAGE = "how-we-check/index.html"


def _matches(text: str, provenance_allowed: bool) -> list[re.Match[str]]:
    found = list(DEVELOPER_WORDING.finditer(text))
    if not provenance_allowed:
        found += RESEARCH_WORDING.finditer(text)
    return found


def _findings(text: str, provenance_allowed: bool) -> list[str]:
    return [m.group(0) for m in _matches(text, provenance_allowed)]


def _contexts(text: str, provenance_allowed: bool) -> list[str]:
    return [text[max(0, m.start() - 60): m.end() + 60] for m in _matches(text, provenance_allowed)]


def test_no_page_shows_research_or_developer_wording(site_dir: Path) -> None:
    offenders = {}
    for path in reader_pages(site_dir):
        page = str(path.relative_to(site_dir))
        text = visible_text(path)
        found = _contexts(text, provenance_allowed=page == PROVENANCE_PAGE)
        if found:
            offenders[page] = found
    count = sum(len(v) for v in offenders.values())
    assert not offenders, f"{count} occurrences: {json.dumps(offenders, indent=1, ensure_ascii=False)}"


def test_the_provenance_page_has_no_developer_wording(site_dir: Path) -> None:
    text = visible_text(site_dir / PROVENANCE_PAGE)
    assert not _findings(text, provenance_allowed=True)



#: The UX review's cases under each guidance, and the empty form.
CASES: dict[str, dict[str, Any]] = {
    **{f"{name} uk": {**req, "guidance": "uk"} for name, req in UX_CASES.items()},
    **{f"{name} us": {**req, "guidance": "us"} for name, req in UX_CASES.items()},
    "empty form": {},
    "b weekdays": {**UX_CASES["b"], "weekdays_only": True},
    "a2 im": {**UX_CASES["a"], "start_date": "2026-12-01", "route_preference": "im"},
    # UX review 3.3: "Deficiency unlikely: no b12 treatment"
    "deficiency unlikely": {"total_b12": 600},
    "neurological symptoms, normal level": {"total_b12": 600, "neurological_symptoms": True},
}

def _calculator_text(request: dict[str, Any]) -> str:
    parts = strings_in(evaluate(request))
    for fmt in ("notes", "patient", "text"):
        out = json.loads(render_json(json.dumps(request), fmt))
        parts.append(out.get("text", ""))
    return "\n".join(parts)


@pytest.mark.parametrize("case", list(CASES))
def test_calculator_output_has_no_research_or_developer_wording(case: str) -> None:
    text = _calculator_text(CASES[case])
    found = _contexts(text, provenance_allowed=False)
    assert not found, found


def test_the_check_finds_each_kind_of_wording() -> None:
    """Control: each kind of phrase is found in visible text, and hidden text is not read."""
    sample = (
        "<p>The source article's vegan dose; not in the copies of NG239; the copy read; a stored copy; "
        "AI-written; this site's default; an engineering limit.</p>"
        '<p hidden>source article</p><div aria-hidden="true"><span>stored copy</span></div>'
        "<script>const x = 'engineering';</script><style>.engineering {}</style>"
    )
    text = visible_text_of(sample)
    assert sorted(_findings(text, provenance_allowed=False)) == sorted(
        ["source article", "not in the copies", "copy read", "stored copy", "AI-written",
         "this site's default", "engineering"]
    )
    assert sorted(_findings(text, provenance_allowed=True)) == ["engineering", "this site's default"]


#: "b12" in lower case as a word (UX review 6, "no b12 treatment"); file names such as b12-plan.ics and the
#: program's name b12-calc are not words of a sentence.
LOWER_B12 = re.compile(r"(?<![\w./-])b12(?![\w-])")


def test_b12_is_written_with_a_capital_b(site_dir: Path) -> None:
    offenders = [
        str(path.relative_to(site_dir)) for path in reader_pages(site_dir) if LOWER_B12.search(visible_text(path))
    ]
    offenders += [case for case, request in CASES.items() if LOWER_B12.search(_calculator_text(request))]
    assert not offenders


def test_the_capital_b_check_can_fail() -> None:
    assert LOWER_B12.findall("Deficiency unlikely: no b12 treatment; b12-plan.ics; b12-calc 0.1.0") == ["b12"]

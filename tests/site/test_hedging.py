"""The hedging budget (README, Where the facts come from): the built site's visible text (scripts and styles
removed; badge labels included) carries at most 45 of the phrases that tell a clinician "do not rely on
this" (40 until content 2026.12.03 added the products' and the review's rows, whose secondary-source badges
are the honest status of facts a pharmacist needs). Before content 2026.11.29 it carried 221 (one every ~87 words). Verification is shown once per fact
as a badge instead."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from test_built_site import html_files, parse

from tests.core.hedging import HEDGE_PHRASES, count_hedges  # the phrase list shared with tests/core

BUDGET = 45


#: Pages whose purpose is to show each rule's check status (HAZ-30: 'each row: when, what, why, source,
#: check status'): their badges are the point, not hedging.
CHECK_STATUS_PAGES = ("how-it-decides/index.html",)


def _counts(site_dir: Path) -> dict[str, Counter[str]]:
    pages = [
        p for p in html_files(site_dir)
        if p.name != "404.html" and str(p.relative_to(site_dir)) not in CHECK_STATUS_PAGES
    ]
    return {str(p.relative_to(site_dir)): count_hedges(parse(p).visible_text) for p in pages}


def test_hedging_phrases_within_budget(site_dir: Path) -> None:
    per_page = _counts(site_dir)
    total = sum((c for c in per_page.values()), Counter())
    detail = {page: dict(c) for page, c in per_page.items() if c}
    assert sum(total.values()) <= BUDGET, f"{sum(total.values())} hedging phrases: {detail}"


def test_no_page_calls_the_whole_site_a_draft(site_dir: Path) -> None:
    """'draft' stays only where a page still rests on unconfirmed facts and says which; the footer of every
    page says what it was checked against."""
    for path in html_files(site_dir):
        text = parse(path).visible_text
        if "Last reviewed:" in text:
            assert "Checked against:" in text, path
        assert "not yet checked against" not in text.lower(), path


def test_the_budget_counter_finds_hedges() -> None:
    """Control: every budgeted phrase is counted, case-insensitively, plurals included."""
    sample = "Secondary sources; unverified; Draft; recall; archived copies; not yet checked; could not be verified"
    assert count_hedges(sample) == Counter({name: 1 for name in HEDGE_PHRASES})

"""The pages' structure (external audit 2026-12, section 4: HTML_CodeSniffer H42 "heading markup should be
used", H39.3 "data table without a caption"; axe landmark-unique on two "Table (scrolls sideways)" regions)
and what Home and Treatment lead with (UX review 2026-12, section 7: "Home's short answer opens with a US
review"; "No single 'correct dose' exists" beside a calculator that gives one UK plan)."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from reader_text import reader_pages, visible_text, visible_text_of

from calc import evaluate, load_guideline
from site_build.tables import UK_PLAN_SITUATIONS


class _Structure(HTMLParser):
    """Tables (caption, aria-label) and paragraphs inside the page's <article>, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_article = 0
        self.tables: list[dict[str, str]] = []
        self.paragraphs: list[str] = []  # each paragraph's markup, to find bold-only ones
        self.order: list[str] = []  # "h2:<id>" and "table" in the article, in order
        self._caption: list[str] | None = None
        self._paragraph: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "article":
            self.in_article += 1
        if not self.in_article:
            return
        if tag == "table":
            self.tables.append({"caption": "", "label": a.get("aria-label", "") or a.get("aria-labelledby", "")})
            self.order.append("table")
        elif tag == "caption":
            self._caption = []
        elif tag == "p":
            self._paragraph = []
        elif tag == "h2":
            self.order.append(f"h2:{a.get('id', '')}")
        if self._paragraph is not None and tag != "p":
            self._paragraph.append(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.in_article -= 1
        if tag == "caption" and self._caption is not None:
            self.tables[-1]["caption"] = re.sub(r"\s+", " ", "".join(self._caption)).strip()
            self._caption = None
        elif tag == "p" and self._paragraph is not None:
            self.paragraphs.append("".join(self._paragraph))
            self._paragraph = None
        elif self._paragraph is not None:
            self._paragraph.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self._caption is not None:
            self._caption.append(data)
        if self._paragraph is not None:
            self._paragraph.append(data)


def structure_of(markup: str) -> _Structure:
    parser = _Structure()
    parser.feed(markup)
    parser.close()
    return parser


def _structure(path: Path) -> _Structure:
    return structure_of(path.read_text(encoding="utf-8"))


#: A paragraph that is nothing but bold text: a heading in disguise ("**Open actions:**").
PSEUDO_HEADING = re.compile(r"^\s*<strong>[^<]*</strong>\s*$")


def test_every_table_has_a_unique_accessible_name(site_dir: Path) -> None:
    unnamed, shared = {}, {}
    for path in reader_pages(site_dir):
        tables = _structure(path).tables
        page = str(path.relative_to(site_dir))
        if missing := [i for i, t in enumerate(tables) if not (t["caption"] or t["label"])]:
            unnamed[page] = missing
        names = Counter(t["caption"] or t["label"] for t in tables)
        if twice := [name for name, n in names.items() if n > 1 and name]:
            shared[page] = twice
    assert not unnamed, f"tables without a caption (by index): {unnamed}"
    assert not shared, f"tables sharing a name: {shared}"


def test_no_bold_paragraph_poses_as_a_heading(site_dir: Path) -> None:
    offenders = {}
    for path in reader_pages(site_dir):
        found = [p for p in _structure(path).paragraphs if PSEUDO_HEADING.match(p)]
        if found:
            offenders[str(path.relative_to(site_dir))] = found
    assert not offenders, offenders


def _uk_plans() -> list[tuple[str, str, str]]:
    low = load_guideline().band("total_b12")
    plans = []
    for situation, extra in UK_PLAN_SITUATIONS:
        plan = evaluate({"total_b12": low.deficient_below - 1, "total_b12_unit": low.unit, **extra})["plan"]
        plans.append((situation, plan["headline"], plan["whose"]))
    return plans


@pytest.mark.parametrize("page", ["index.html", "treatment/index.html"])
def test_home_and_treatment_lead_with_the_uk_plan(site_dir: Path, page: str) -> None:
    """The first table is the UK plan for adults 16 and over, and each row is the calculator's own plan."""
    markup = (site_dir / page).read_text(encoding="utf-8")
    structure = structure_of(markup)
    leads = structure.order[:1] == ["table"] or structure.order[:2] == ["h2:uk-plan", "table"]
    assert leads, structure.order[:3]
    first = structure.tables[0]["caption"]
    assert first.startswith("The UK plan for adults aged 16 and over"), first
    article = markup.split("<article", 1)[1].split("</article>", 1)[0]
    table = visible_text_of(article.split("<table", 1)[1].split("</table>", 1)[0])
    for situation, headline, whose in _uk_plans():
        assert situation in table and headline in table and whose in table, (situation, headline)
    # Nothing before the plan names another country's guidance.
    before = visible_text_of(article.split("<table", 1)[0])
    assert not re.search(r"\bUS\b|United States|American", before), before


def test_no_page_says_there_is_no_single_dose(site_dir: Path) -> None:
    """The calculator gives one plan for the chosen guidance; no page contradicts it."""
    pattern = re.compile(r"no single (?:\"|“)?(?:correct )?dose|no single dose is", re.I)
    offenders = [str(p.relative_to(site_dir)) for p in reader_pages(site_dir) if pattern.search(visible_text(p))]
    assert not offenders


def test_the_checks_find_what_they_look_for() -> None:
    """Control: an unnamed table, a shared name, a bold paragraph and a leading US review are found."""
    sample = structure_of(
        "<article><p><strong>Open actions:</strong></p><p><strong>Cause.</strong> Text.</p>"
        "<table><caption>Regimens</caption></table><table><caption>Regimens</caption></table><table></table>"
        "</article>"
    )
    assert [bool(PSEUDO_HEADING.match(p)) for p in sample.paragraphs] == [True, False]
    assert [t["caption"] for t in sample.tables] == ["Regimens", "Regimens", ""]

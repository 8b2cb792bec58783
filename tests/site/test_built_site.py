"""Checks on the built site (scripts/build runs `mkdocs build --strict` first).

The site is the guideline rendered for people: every page must exist, every citation must resolve to a
reference, every reference must be cited (or be further reading on purpose), the tables must be the
ones rendered from calc's data, no internal link may be broken and nothing may be fetched from another
origin.
"""

from __future__ import annotations

import html
import re
import urllib.parse
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest

from calc import load_guideline
from calc.model import EVIDENCE_TYPES, Regimen
from site_build.pages import CALCULATOR_MOUNT, CALCULATOR_PAGE_CLASS
from site_build.tables import RENDERERS, anchor, short_date
from calc.wording import describe_phase

PAGES = {
    "index.html": "Home",
    "diagnosis/index.html": "Diagnosis",
    "treatment/index.html": "Treatment",
    "special-populations/index.html": "Special populations",
    "route/index.html": "Route selection",
    "monitoring/index.html": "Monitoring",
    "safety/index.html": "Caveats and safety",
    "calculator/index.html": "Calculator",
    "references/index.html": "References",
    "how-we-check/index.html": "How this content is checked",
    "changelog/index.html": "Content changelog",
    "about/index.html": "About",
}
REPO_ROOT = Path(__file__).resolve().parents[2]


class _Page(HTMLParser):
    """Collects ids, links, resource URLs and visible text of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (href, title)
        self.resources: list[tuple[str, str]] = []  # (tag, url) the browser fetches by itself
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.links.append((a["href"], a.get("title", "")))
        if tag in ("script", "img", "iframe", "source", "audio", "video") and a.get("src"):
            self.resources.append((tag, a["src"]))
        if tag == "link" and a.get("rel") in ("stylesheet", "preload", "modulepreload", "icon", "manifest"):
            self.resources.append((tag, a.get("href", "")))
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)

    @property
    def visible_text(self) -> str:
        # Joined without spaces: inline tags (<abbr>, <strong>) split words from their punctuation.
        return re.sub(r"\s+", " ", "".join(self.text))


@cache
def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def html_files(site_dir: Path) -> list[Path]:
    return sorted(p for p in site_dir.rglob("*.html") if "pyodide" not in p.parts)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_exists_with_review_status(site_dir: Path, page: str) -> None:
    """HAZ-06, HAZ-07: each page shows a 'last reviewed' date and its review status."""
    path = site_dir / page
    assert path.is_file(), f"{page} was not built"
    text = parse(path).visible_text
    assert "Last reviewed:" in text and "Status:" in text, f"{page} lacks the review footer"


def test_no_placeholder_text(site_dir: Path) -> None:
    """README, Where the facts come from: no page contains "TODO" or "lorem"."""
    offenders = [
        str(p.relative_to(site_dir))
        for p in html_files(site_dir)
        if re.search(r"\bTODO\b|lorem ipsum|\blorem\b|\bTBD\b", parse(p).visible_text, re.I)
    ]
    assert not offenders


def _citation_links(site_dir: Path) -> list[tuple[str, str, str]]:
    """(page, reference key, tooltip) for every numbered citation link on every page."""
    found = []
    for path in html_files(site_dir):
        for href, title in parse(path).links:
            fragment = urllib.parse.urlsplit(href).fragment
            if fragment.startswith("ref-") and "references" in href:
                found.append((str(path.relative_to(site_dir)), fragment.removeprefix("ref-"), title))
    return found


def test_every_citation_resolves_to_a_reference(site_dir: Path) -> None:
    """HAZ-06: every citation marker resolves to a reference (with a hover tooltip)."""
    references = parse(site_dir / "references/index.html")
    citations = _citation_links(site_dir)
    assert len(citations) > 50, "the pages should cite their sources"
    for page, key, title in citations:
        assert anchor(key) in references.ids, f"{page} cites {key!r}, missing from the References page"
        assert title, f"{page}: the citation of {key!r} has no tooltip"


def test_every_reference_is_cited_or_further_reading(site_dir: Path) -> None:
    """README, Where the facts come from: every reference on the References page is cited somewhere (or is
    further reading)."""
    guideline = load_guideline()
    cited = {key for page, key, _ in _citation_links(site_dir) if not page.startswith("references/")}
    cited |= guideline.cited_keys()
    uncited = [r.key for r in guideline.references if r.key not in cited]
    assert not uncited, f"references never cited: {uncited}"


def test_references_page_lists_every_reference_with_its_status(site_dir: Path) -> None:
    """HAZ-06: each entry shows evidence type, jurisdiction, date checked, and "superseded" where so."""
    page = parse(site_dir / "references/index.html")
    text = page.visible_text
    for ref in load_guideline().references:
        if ref.evidence == "source_article":
            # The article the site began from is no source of any fact: the provenance page names it
            # (common rules: how a fact was researched is told there only).
            provenance = {href for href, _ in parse(site_dir / "how-we-check/index.html").links}
            assert ref.url in provenance, ref.key
            assert anchor(ref.key) not in page.ids, ref.key
            continue
        assert anchor(ref.key) in page.ids
        assert f"[{ref.number}] {ref.authors}" in text
        assert f"{EVIDENCE_TYPES[ref.evidence]} · {ref.jurisdiction}" in text, ref.key
        if ref.checked:
            assert f"{EVIDENCE_TYPES[ref.evidence]} · {ref.jurisdiction} · checked {short_date(ref.checked)}" in text
        if ref.superseded:
            assert f"Superseded by {ref.superseded}" in text, ref.key
    assert "Superseded by NICE NG239" in text  # BSH 2014


def test_every_fact_badge_is_rendered_with_its_source(site_dir: Path) -> None:
    """HAZ-06: a compact badge per fact whose tooltip gives source, quote and date."""
    badges = re.compile(r'<span class="b12-check b12-check--([vsr])" title="([^"]*)">([^<]*)</span>')
    found = []
    for path in html_files(site_dir):
        found += badges.findall(path.read_text(encoding="utf-8"))
    assert len(found) > 80
    for status, title, label in found:
        title = html.unescape(title)
        assert "Source: [" in title and "Checked " in title, title
        if status == "v":
            assert label.startswith("Checked ") and "Quote:" in title
        elif status == "s":
            assert label == "Secondary source" and "Quote:" in title
        else:
            assert label == "Not confirmed"


def _included_by(name: str) -> list[str]:
    pages = []
    for md in sorted((REPO_ROOT / "docs").glob("*.md")):
        if "{!" + name + "!}" in md.read_text(encoding="utf-8"):
            pages.append(md.stem)
    return pages


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_each_generated_table_is_included_somewhere(name: str) -> None:
    """HAZ-03 (README, Architecture: site_build renders every table from calc's data): tables come from
    calc's data through markdown-include, never typed by hand."""
    assert _included_by(name), f"no page includes {{!{name}!}}"


def _page_for(site_dir: Path, stem: str) -> Path:
    return site_dir / ("index.html" if stem == "index" else f"{stem}/index.html")


def _phase_texts(regimen: Regimen) -> list[str]:
    return [describe_phase(p) for p in regimen.phases]


@pytest.mark.parametrize(
    "include,population", [("regimens-adult.md", "adult"), ("regimens-children.md", "child")]
)
def test_regimen_tables_match_calc_data(site_dir: Path, include: str, population: str) -> None:
    """HAZ-03: a test fails if a rendered table drifts from the data."""
    regimens = [r for r in load_guideline().regimens if r.population == population and r.in_calculator]
    for stem in _included_by(include):
        text = parse(_page_for(site_dir, stem)).visible_text
        for regimen in regimens:
            assert html.unescape(regimen.label) in text, f"{stem}: {regimen.id} missing"
            for phase_text in _phase_texts(regimen):
                assert phase_text in text, f"{stem}: {regimen.id} phase {phase_text!r} missing"


def test_figures_no_source_gives_are_named_only_on_the_provenance_page(site_dir: Path) -> None:
    """Figures kept in the data only to say no source gives them (in_calculator false) are not shown as
    regimens beside the sourced ones; How this content is checked names them with their doses."""
    not_used = [r for r in load_guideline().regimens if not r.in_calculator]
    assert not_used
    provenance = parse(site_dir / "how-we-check/index.html").visible_text
    for regimen in not_used:
        assert html.unescape(regimen.label) in provenance, regimen.id
        for stem in _included_by("regimens-adult.md"):
            assert html.unescape(regimen.label) not in parse(_page_for(site_dir, stem)).visible_text, stem


def test_band_table_matches_calc_data(site_dir: Path) -> None:
    guideline = load_guideline()
    for stem in _included_by("lab-bands.md"):
        text = parse(_page_for(site_dir, stem)).visible_text
        for band in guideline.bands:
            assert f"below {band.deficient_below:g} {band.unit}" in text
            assert f"above {band.unlikely_above:g} {band.unit}" in text


def test_no_hand_typed_dose_tables_in_docs() -> None:
    """One source of truth: a Markdown table row in docs/ never carries a dose or a lab threshold."""
    pattern = re.compile(r"\d\s*(µg|mcg|ug|mg|ng/L|pg/mL|pmol/L|µmol/L|nmol/L)\b")
    offenders = []
    for md in sorted((REPO_ROOT / "docs").rglob("*.md")):
        for number, line in enumerate(md.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith("|") and pattern.search(line):
                offenders.append(f"{md.relative_to(REPO_ROOT)}:{number}")
    assert not offenders, f"hand-typed numbers in tables (render them from calc data): {offenders}"


def _resolve(site_dir: Path, page: Path, url: str, site_url: str) -> tuple[Path, str] | None:
    """Map a same-site URL to (file, fragment); None for another origin or a non-http scheme."""
    parts = urllib.parse.urlsplit(url)
    base = urllib.parse.urlsplit(site_url)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None
    if parts.netloc and (parts.scheme or base.scheme, parts.netloc) != (base.scheme, base.netloc):
        return None
    path = urllib.parse.unquote(parts.path)
    if parts.netloc or path.startswith("/"):
        if not path.startswith(base.path):
            return site_dir / "(outside the site)" / path.lstrip("/"), parts.fragment
        target = site_dir / path.removeprefix(base.path)
    elif path:
        target = page.parent / path
    else:
        target = page
    if target.is_dir():
        target = target / "index.html"
    return target.resolve(), parts.fragment


def test_no_broken_internal_links_or_anchors(site_dir: Path, site_url: str) -> None:
    """README, Tests (tests/site): internal links and anchors all resolve."""
    broken = []
    for path in html_files(site_dir):
        for href, _ in parse(path).links:
            resolved = _resolve(site_dir, path, href, site_url)
            if resolved is None:
                continue
            target, fragment = resolved
            where = f"{path.relative_to(site_dir)} -> {href}"
            if not target.exists():
                broken.append(where)
            elif fragment and target.suffix == ".html" and fragment not in parse(target).ids:
                broken.append(where + " (no such anchor)")
    assert not broken, "\n".join(broken)


def test_no_third_party_resources(site_dir: Path, site_url: str) -> None:
    """Non-negotiable 4: scripts, styles, images and fonts come from the site itself."""
    foreign = []
    for path in html_files(site_dir):
        for tag, url in parse(path).resources:
            if _resolve(site_dir, path, url, site_url) is None:
                foreign.append(f"{path.relative_to(site_dir)}: <{tag}> {url}")
    for css in site_dir.rglob("*.css"):
        for url in re.findall(
            r"@import\s+url\(([^)]+)\)|url\((https?:[^)]+)\)", css.read_text(encoding="utf-8")
        ):
            foreign.append(f"{css.relative_to(site_dir)}: {url}")
    assert not foreign, "\n".join(foreign)


def test_no_inline_scripts_in_our_content(site_dir: Path) -> None:
    """Future strict CSP: our pages' content never carries inline <script> (the widget loads as a module)."""
    for page in PAGES:
        content = (site_dir / page).read_text(encoding="utf-8")
        article = content.split("<article", 1)[-1].split("</article>", 1)[0]
        assert "<script" not in article, f"{page}: inline script inside the article"


def test_disclaimer_and_scope_are_stated(site_dir: Path) -> None:
    """Non-negotiable 6: decision support, not a prescription; NICE scope (16 and over) stated."""
    home = parse(site_dir / "index.html").visible_text.lower()
    calculator = parse(site_dir / "calculator/index.html").visible_text.lower()
    for text in (home, calculator):
        assert "not a prescription" in text
        assert "16" in text


def test_shipped_runtime_is_pyodides_own_with_a_compile_hint(site_dir: Path) -> None:
    """The site's copy of Pyodide's JavaScript half is the npm file byte for byte after V8's compile-hint
    comment (site_build/pyodide_assets.py): nothing of the runtime itself is changed."""
    npm = Path(__file__).resolve().parents[2] / "node_modules" / "pyodide"
    shipped = (site_dir / "pyodide" / "pyodide.asm.mjs").read_bytes()
    hint = b"//# allFunctionsCalledOnLoad\n"
    assert shipped.startswith(hint)
    assert shipped[len(hint):] == (npm / "pyodide.asm.mjs").read_bytes()
    for name in ("pyodide.mjs", "pyodide.asm.wasm"):
        assert (site_dir / "pyodide" / name).read_bytes() == (npm / name).read_bytes(), name


def test_only_the_calculator_page_carries_its_page_class(site_dir: Path) -> None:
    """The stylesheet's rules for the page around the calculator key on a class the build puts on the
    theme's container (site_build/pages.py with_page_class), not on ``:has(#b12-calculator)``, which the
    browser re-matched over the whole article at every change to the calculator."""
    marked = sorted(str(p.relative_to(site_dir)) for p in html_files(site_dir)
                    if f'<div class="md-container {CALCULATOR_PAGE_CLASS}"' in p.read_text(encoding="utf-8"))
    holding = sorted(str(p.relative_to(site_dir)) for p in html_files(site_dir)
                     if CALCULATOR_MOUNT in p.read_text(encoding="utf-8"))
    assert marked == holding == ["calculator/index.html"]
    stylesheets = (site_dir / "stylesheets").glob("*.css")
    assert not [s.name for s in stylesheets if ":has(#b12-calculator)" in s.read_text(encoding="utf-8")]

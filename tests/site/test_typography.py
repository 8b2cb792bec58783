"""Typography of reader text (UX review 2026-12, section 6: "Ranges use a hyphen ('50-150', '2-3 months')
where an en dash belongs"): a range of two numbers is written with an en dash, in the built pages' visible
text and in the calculator's data wording. Dates (2026-11-29), ISO codes and identifiers a reader never sees
are not ranges."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from reader_text import reader_pages, visible_text, visible_text_of

from calc import evaluate, load_guideline
from calc.model import Regimen
from calc.wording import describe_phase
from site_build.tables import UK_PLAN_SITUATIONS

DATA = Path(__file__).resolve().parents[2] / "calc" / "data"

#: A number, a hyphen, a number: "50-150", "2-3 months", "1.5-2", "2011-12". Not part of a longer token
#: (a product licence "PL 10972/0028", a version "1.2-3", a word such as "B12-deficient").
HYPHEN_RANGE = re.compile(r"(?<![\w./:-])\d+(?:[.,]\d+)?-\d+(?:[.,]\d+)?(?![\w./-]*\d)")
#: Dates and date-times (ISO 8601) are not ranges.
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:T[\d:.]+Z?)?\b")


def hyphen_ranges(text: str) -> list[str]:
    text = ISO_DATE.sub(" ", text)
    return [text[max(0, m.start() - 40): m.end() + 20] for m in HYPHEN_RANGE.finditer(text)]


def _engine_wording() -> set[str]:
    """Reader text the engine writes, not this content's data: the phases and plan headlines (calc/wording.py,
    calc/plan.py) and the decision and product tables' wording (decisions.toml, products.toml)."""
    regimens: list[Regimen] = list(load_guideline().regimens)
    texts = {describe_phase(p) for r in regimens for p in r.phases}
    low = load_guideline().band("total_b12")
    for _, extra in UK_PLAN_SITUATIONS:
        plan = evaluate({"total_b12": low.deficient_below - 1, "total_b12_unit": low.unit, **extra})["plan"]
        texts.add(plan["headline"] or "")
    for name in ("decisions.toml", "products.toml"):
        data = tomllib.loads((DATA / name).read_text(encoding="utf-8"))
        texts.update(_reader_wording(data))
    return {t for t in texts if hyphen_ranges(t)}


def test_pages_write_numeric_ranges_with_an_en_dash(site_dir: Path) -> None:
    offenders = {}
    for path in reader_pages(site_dir):
        found = hyphen_ranges(visible_text(path))
        if found:
            offenders[str(path.relative_to(site_dir))] = found
    assert not offenders, offenders


def _data_strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _data_strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _data_strings(v)]
    return []


READER_KEYS = ("label", "whose", "note", "text", "title", "rationale", "items", "group", "reason",
               "status_label", "review_status", "bnf_version", "scope", "disclaimer", "source")


def _reader_wording(table: dict[str, object]) -> list[str]:
    """Reader-facing values of a data file: labels and texts, not check records (quotes keep the source's
    own typography, and URLs and dates are not prose)."""
    found: list[str] = []
    for key, value in table.items():
        if key == "check":
            continue
        if isinstance(value, dict):
            found += _reader_wording(value)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    found += _reader_wording(item)
                elif key in READER_KEYS:
                    found += _data_strings(item)
        elif key in READER_KEYS and isinstance(value, str):
            found.append(value)
    return found


@pytest.mark.parametrize("name", ["guideline.toml", "references.toml"])
def test_data_wording_writes_numeric_ranges_with_an_en_dash(name: str) -> None:
    data = tomllib.loads((DATA / name).read_text(encoding="utf-8"))
    offenders = [r for text in _reader_wording(data) for r in hyphen_ranges(text)]
    assert not offenders, offenders


def test_engine_wording_uses_an_en_dash() -> None:
    assert not _engine_wording()


def test_the_check_finds_hyphen_ranges_and_leaves_dates_and_codes() -> None:
    """Control: ranges are found; dates, licence numbers, versions and words are not ranges."""
    sample = visible_text_of(
        "<p>Take 50-150 µg; every 2-3 months; 0.27-0.45 µmol/L; the 2011-12 edition.</p>"
        "<p>Checked 2026-11-29; PL 10972/0028; HAZ-06; B12-deficient; 50–150 µg; ICD-10.</p>"
    )
    assert len(hyphen_ranges(sample)) == 4
    found = [m.group(0) for m in HYPHEN_RANGE.finditer(ISO_DATE.sub(" ", sample))]
    assert found == ["50-150", "2-3", "0.27-0.45", "2011-12"]

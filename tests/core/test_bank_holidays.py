"""The bank holidays in calc/data/bank_holidays.toml: what GOV.UK lists, re-derived here from each holiday's
rule (the Banking and Financial Dealings Act 1971, the St Andrew's Day Bank Holiday (Scotland) Act 2007 and
the substitute days proclaimed each year), and the loader's checks on the file."""

from __future__ import annotations

import copy
import tomllib
from datetime import date, timedelta
from importlib import resources
from typing import Any

import pytest

from calc import DataError, load_guideline
from calc.holidays import HOLIDAY_REGION_LABELS, build_bank_holidays, load_bank_holidays

DATA: dict[str, Any] = tomllib.loads(
    resources.files("calc.data").joinpath("bank_holidays.toml").read_text("utf-8")
)
REFERENCE_KEYS = frozenset(r.key for r in load_guideline().references)
#: One-off bank holidays proclaimed for a single year, which no rule gives.
ONE_OFF = {"scotland": {(date(2026, 6, 15), "World Cup bank holiday", False)}}


def easter_sunday(year: int) -> date:
    """The Gregorian Easter (the anonymous algorithm in Meeus, Astronomical Algorithms)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return date(year, month, day + 1)


def monday(year: int, month: int, *, last: bool) -> date:
    """The first or last Monday of a month."""
    if last:
        day = (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)
        return day - timedelta(days=day.weekday())
    day = date(year, month, 1)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def expected(region: str, year: int) -> set[tuple[date, str, bool]]:
    """The region's bank holidays in ``year``: fixed dates that fall on a weekend get the first weekday after
    them that is not already a bank holiday (so Christmas Day and Boxing Day on a Saturday and Sunday become
    Monday 27 and Tuesday 28 December), Mondays and Easter as they fall."""
    easter = easter_sunday(year)
    fixed = [(date(year, 1, 1), "New Year's Day")]
    moving = [(easter - timedelta(days=2), "Good Friday")]
    moving.append((monday(year, 5, last=False), "Early May bank holiday"))
    moving.append((monday(year, 5, last=True), "Spring bank holiday"))
    if region == "scotland":
        fixed += [(date(year, 1, 2), "2nd January"), (date(year, 11, 30), "St Andrew's Day")]
        moving.append((monday(year, 8, last=False), "Summer bank holiday"))
    else:
        moving += [(easter + timedelta(days=1), "Easter Monday")]
        moving.append((monday(year, 8, last=True), "Summer bank holiday"))
    if region == "northern_ireland":
        fixed += [
            (date(year, 3, 17), "St Patrick's Day"),
            (date(year, 7, 12), "Battle of the Boyne (Orangemen's Day)"),
        ]
    fixed += [(date(year, 12, 25), "Christmas Day"), (date(year, 12, 26), "Boxing Day")]
    days = {(day, name, False) for day, name in moving}
    days |= {(day, name, False) for day, name in fixed if day.weekday() < 5}
    for day, name in sorted(fixed):
        if day.weekday() >= 5:
            taken = {d for d, _, _ in days}
            while day.weekday() >= 5 or day in taken:
                day += timedelta(days=1)
            days.add((day, name, True))
    return days


@pytest.mark.parametrize("region", DATA["regions"], ids=lambda r: r["code"])
def test_every_listed_year_is_the_rules_year(region: dict[str, Any]) -> None:
    """Each year from first_year to last_year lists exactly the bank holidays the rules give (with their
    substitute days), plus the one-off days proclaimed for it."""
    listed = {(h["date"], h["name"], h.get("substitute", False)) for h in region["holidays"]}
    for year in range(region["first_year"], region["last_year"] + 1):
        one_off = {h for h in ONE_OFF.get(region["code"], set()) if h[0].year == year}
        assert {h for h in listed if h[0].year == year} == expected(region["code"], year) | one_off, year


def test_the_tricky_days_of_2026_and_2027() -> None:
    """HAZ-11: 2026 Boxing Day is a Saturday -> Monday 28 December; in 2027 Christmas Day and Boxing Day
    fall on a Saturday and a Sunday -> 27 and 28 December; Scotland's 2 January 2027 is a Saturday -> Monday
    4 January; Northern Ireland's 12 July 2026 is a Sunday -> Monday 13 July."""
    holidays = load_bank_holidays()
    for code in HOLIDAY_REGION_LABELS:
        region = holidays.region(code)
        assert not region.is_working_day(date(2026, 12, 28)) and region.is_working_day(date(2026, 12, 29))
        assert not region.is_working_day(date(2027, 12, 27)) and not region.is_working_day(date(2027, 12, 28))
        assert region.next_working_day(date(2027, 12, 24)) == date(2027, 12, 24)
        assert region.next_working_day(date(2027, 12, 25)) == date(2027, 12, 29)
    scotland, england = holidays.region("scotland"), holidays.region("england_wales")
    assert scotland.next_working_day(date(2027, 1, 1)) == date(2027, 1, 5)
    assert england.next_working_day(date(2027, 1, 1)) == date(2027, 1, 4)
    assert holidays.region("northern_ireland").next_working_day(date(2026, 7, 12)) == date(2026, 7, 14)
    assert england.next_working_day(date(2026, 7, 12)) == date(2026, 7, 13)


def test_each_region_cites_its_source_with_a_check_record() -> None:
    """Every fact carries a check record (guideline.toml's header); the source is an entry of references.toml,
    with GOV.UK's address."""
    holidays = load_bank_holidays()
    assert [r.code for r in holidays.regions] == list(HOLIDAY_REGION_LABELS)
    for region in holidays.regions:
        assert region.label == HOLIDAY_REGION_LABELS[region.code]
        assert region.source in REFERENCE_KEYS and region.check.source == region.source
        assert region.check.status in ("V", "S", "R") and region.check.checked_date
        assert region.first_year <= 2026 and region.last_year >= 2028
        assert region.covers(date(2026, 1, 1)) and not region.covers(date(region.last_year + 1, 1, 1))
    reference = load_guideline().reference(holidays.regions[0].source)
    assert reference.url == "https://www.gov.uk/bank-holidays" and reference.jurisdiction == "UK"


def _broken(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(DATA)
    change(data["regions"][0])
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r["holidays"].append({"date": date(2026, 12, 26), "name": "Boxing Day"}), "weekend"),
        (lambda r: r.update(last_year=r["last_year"] + 1), "every year"),
        (lambda r: r["holidays"].reverse(), "in order"),
        (lambda r: r.update(source="no-such-reference"), "source"),
        (lambda r: r.update(code="wales"), "unknown region"),
        (lambda r: r["check"].update(quote=""), "quote"),
        (lambda r: r.pop("holidays"), "malformed"),
    ],
    ids=[
        "weekend",
        "missing-year",
        "order",
        "unknown-source",
        "unknown-region",
        "check-without-quote",
        "missing",
    ],
)
def test_broken_data_is_rejected(change: Any, message: str) -> None:
    """A malformed file fails when it is loaded (calc.DataError), never halfway through a schedule."""
    with pytest.raises(DataError, match=message):
        build_bank_holidays(_broken(change), REFERENCE_KEYS)


def test_unknown_source_key_is_rejected() -> None:
    """The region's source must be a reference in references.toml."""
    with pytest.raises(DataError, match="unknown reference"):
        build_bank_holidays(DATA, frozenset())

"""UK bank holidays (``calc/data/bank_holidays.toml``) and the working days they leave, for schedules dated
on working days only.

The data is loaded once, when a schedule first needs it, into frozen dataclasses that check themselves
(in the style of :mod:`calc.model`): each region lists every bank holiday of the years it covers, cites a
reference in ``references.toml`` and carries a check record. A date outside a region's years is never
taken for a working day silently: :meth:`HolidayRegion.covers` says whether its bank holidays are known.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

from .errors import DataError
from .loader import load_guideline
from .model import Check

#: The request's ``holiday_region`` values, in the order they are offered, with how each reads.
HOLIDAY_REGION_LABELS: dict[str, str] = {
    "england_wales": "England and Wales",
    "scotland": "Scotland",
    "northern_ireland": "Northern Ireland",
}
DEFAULT_HOLIDAY_REGION = "england_wales"


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise DataError(message)


@dataclass(frozen=True, slots=True)
class BankHoliday:
    date: date
    name: str
    substitute: bool = False  # a weekday standing in for a holiday that falls on a weekend

    def __post_init__(self) -> None:
        _require(isinstance(self.date, date), f"bank holiday {self.name!r}: date must be a TOML date")
        _require(bool(self.name.strip()), f"bank holiday on {self.date}: needs a name")
        _require(self.date.weekday() < 5, f"bank holiday {self.name!r} on {self.date} falls on a weekend")


@dataclass(frozen=True, slots=True)
class HolidayRegion:
    """One region's bank holidays for the whole years ``first_year`` to ``last_year``."""

    code: str
    label: str
    source: str
    first_year: int
    last_year: int
    check: Check
    holidays: tuple[BankHoliday, ...]
    _days: frozenset[date] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        who = f"bank holidays of {self.code!r}"
        _require(self.code in HOLIDAY_REGION_LABELS, f"{who}: unknown region")
        _require(self.label == HOLIDAY_REGION_LABELS[self.code], f"{who}: label must be {self.label!r}")
        _require(self.check.source == self.source, f"{who}: the check must cite the region's source")
        _require(self.first_year <= self.last_year, f"{who}: first_year after last_year")
        days = [h.date for h in self.holidays]
        _require(days == sorted(set(days)), f"{who}: dates must be in order, each once")
        years = {d.year for d in days}
        wanted = set(range(self.first_year, self.last_year + 1))
        _require(years == wanted, f"{who}: every year from {self.first_year} to {self.last_year}, no other")
        object.__setattr__(self, "_days", frozenset(days))

    def covers(self, day: date) -> bool:
        """Whether the region's bank holidays in ``day``'s year are known."""
        return self.first_year <= day.year <= self.last_year

    def is_working_day(self, day: date) -> bool:
        """Monday to Friday and not a bank holiday (a year not covered counts weekends only)."""
        return day.weekday() < 5 and day not in self._days

    def next_working_day(self, day: date) -> date:
        """The day itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day


@dataclass(frozen=True, slots=True)
class BankHolidays:
    regions: tuple[HolidayRegion, ...]

    def __post_init__(self) -> None:
        wanted = list(HOLIDAY_REGION_LABELS)
        _require([r.code for r in self.regions] == wanted, f"bank holiday regions must be {wanted}")

    def region(self, code: str) -> HolidayRegion:
        return next(r for r in self.regions if r.code == code)


def build_bank_holidays(table: dict[str, Any], reference_keys: frozenset[str]) -> BankHolidays:
    """The parsed TOML document as validated :class:`BankHolidays` (exposed for tests of the validation)."""
    try:
        regions = tuple(
            HolidayRegion(
                code=r["code"],
                label=r["label"],
                source=r["source"],
                first_year=r["first_year"],
                last_year=r["last_year"],
                check=Check(**r["check"]),
                holidays=tuple(BankHoliday(**h) for h in r["holidays"]),
            )
            for r in table["regions"]
        )
    except (KeyError, TypeError) as exc:  # a missing or misspelt field in the data file
        raise DataError(f"bank holiday data is malformed: {exc!r}") from exc
    for region in regions:
        _require(region.source in reference_keys, f"{region.code}: cites unknown reference {region.source!r}")
    return BankHolidays(regions)


@cache
def load_bank_holidays() -> BankHolidays:
    """The bundled bank holidays, parsed and validated once per process."""
    text = resources.files("calc.data").joinpath("bank_holidays.toml").read_text(encoding="utf-8")
    keys = frozenset(r.key for r in load_guideline().references)
    return build_bank_holidays(tomllib.loads(text), keys)

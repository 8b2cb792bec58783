"""Unit conversions for laboratory values, and the unit spellings the calculator reads. Everything is
converted once, at the edge, into one canonical unit per quantity (total B12 in ng/L, MMA in umol/L), so
the rules never see a unit."""

from __future__ import annotations

TOTAL_B12_UNITS: tuple[str, ...] = ("ng/L", "pg/mL", "pmol/L")
MMA_UNITS: tuple[str, ...] = ("umol/L", "nmol/L")

#: How people type each unit -- lower case, spaces removed -- and the contract's spelling of it. Labs print
#: "ng/l" and "ng/L" alike; micro is written with the micro sign (U+00B5), Greek mu (U+03BC) or "u". A
#: figure's unit typed with it ("150 ng/L", "70 years") is read with these too (calc/request.py).
UNIT_SPELLINGS: dict[str, str] = {
    "ng/l": "ng/L",
    "pg/ml": "pg/mL",
    "pmol/l": "pmol/L",
    "umol/l": "umol/L",
    "\u00b5mol/l": "umol/L",
    "\u03bcmol/l": "umol/L",
    "nmol/l": "nmol/L",
    "years": "years",
    "year": "years",
    "yrs": "years",
    "yr": "years",
    "y": "years",
    "weeks": "weeks",
    "week": "weeks",
    "wks": "weeks",
    "wk": "weeks",
    "w": "weeks",
    "cm": "cm",
}

#: Units that measure the same quantity on the same scale: a figure in one is the same figure in the other.
_SAME_SCALE: dict[str, str] = {"pg/mL": "ng/L"}


def canonical_unit(text: str) -> str | None:
    """The contract's spelling of a unit as typed ("ng/l", "µmol / L"); None for a unit not known here."""
    return UNIT_SPELLINGS.get("".join(text.split()).lower())


def same_scale(unit: str, other: str) -> bool:
    """True when a figure means the same in either unit (ng/L and pg/mL; a unit and itself)."""
    return _SAME_SCALE.get(unit, unit) == _SAME_SCALE.get(other, other)


def display_unit(unit: str) -> str:
    """The unit as a reader writes it (µmol/L, not the contract's ASCII umol/L)."""
    return unit.replace("umol/L", "\u00b5mol/L")


def pmol_per_l_per_ng_per_l(molar_mass_g_per_mol: float) -> float:
    """1 ng/L of cobalamin in pmol/L: 1e-9 g/L / M g/mol = 1e-9/M mol/L = 1000/M pmol/L."""
    return 1000.0 / molar_mass_g_per_mol


def total_b12_to_ng_per_l(value: float, unit: str, molar_mass_g_per_mol: float) -> float:
    """Convert a total B12 result to ng/L (ng/L and pg/mL are the same quantity)."""
    if unit in ("ng/L", "pg/mL"):
        return value
    if unit == "pmol/L":
        return value / pmol_per_l_per_ng_per_l(molar_mass_g_per_mol)
    raise ValueError(f"unknown total B12 unit {unit!r}")


def ng_per_l_to_pmol_per_l(value: float, molar_mass_g_per_mol: float) -> float:
    return value * pmol_per_l_per_ng_per_l(molar_mass_g_per_mol)


def mma_to_umol_per_l(value: float, unit: str) -> float:
    if unit == "umol/L":
        return value
    if unit == "nmol/L":
        return value / 1000.0
    raise ValueError(f"unknown MMA unit {unit!r}")

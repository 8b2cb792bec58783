"""Unit conversions for laboratory values. Everything is converted once, at the edge, into one canonical
unit per quantity (total B12 in ng/L, MMA in umol/L), so the rules never see a unit."""

from __future__ import annotations

TOTAL_B12_UNITS: tuple[str, ...] = ("ng/L", "pg/mL", "pmol/L")
MMA_UNITS: tuple[str, ...] = ("umol/L", "nmol/L")

# Spellings people type for the same unit: the micro sign (U+00B5) and Greek mu (U+03BC).
UNIT_ALIASES: dict[str, str] = {"\u00b5mol/L": "umol/L", "\u03bcmol/L": "umol/L"}


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

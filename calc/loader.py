"""Read the bundled TOML data (a package resource, so it works from a wheel and under Pyodide) into a
validated :class:`~calc.model.Guideline`."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from .errors import DataError
from .model import (
    Advice,
    Amount,
    Band,
    Cause,
    Check,
    DietaryReferenceValue,
    Guideline,
    Limit,
    Meta,
    NextStep,
    Phase,
    PlanPolicy,
    Reference,
    Regimen,
    ReviewPolicy,
    RiskFactor,
    RouteRule,
    Span,
    weakest,
)

Table = dict[str, Any]


def _read(name: str) -> Table:
    text = resources.files("calc.data").joinpath(name).read_text(encoding="utf-8")
    return tomllib.loads(text)


def _refs(table: Table) -> tuple[str, ...]:
    return tuple(table.get("refs", ()))


def _check(table: Table) -> Check | None:
    """The fact's inline ``check = {status, source, url, quote, checked, note}``, if it has one."""
    check = table.get("check")
    return Check(**check) if check is not None else None


def _with_check(table: Table) -> Table:
    """A table's fields with refs as a tuple and check parsed, for dataclasses built with ``**``."""
    return {**table, "refs": _refs(table), "check": _check(table)}


def _span(table: Table) -> Span:
    return Span(n=table["n"], unit=table["unit"], n_max=table.get("n_max"))


def _amount(value: Table | float) -> Amount:
    if isinstance(value, int | float):
        return Amount(min=float(value), max=float(value))  # a bare number is a fixed dose
    return Amount(min=float(value["min"]), max=float(value["max"]) if "max" in value else None)


def _phase(table: Table) -> Phase:
    duration = table["duration"]
    return Phase(
        name=table["name"],
        dose_ug=_amount(table["dose_ug"]),
        every=_span(table["every"]) if "every" in table else None,
        times_per_interval=table.get("times_per_interval", 1),
        duration=_span(duration) if isinstance(duration, dict) else duration,
        total_dose_ug=_amount(table["total_dose_ug"]) if "total_dose_ug" in table else None,
        check=_check(table),
    )


def _regimen(table: Table) -> Regimen:
    phases = tuple(_phase(p) for p in table["phases"])
    check = _check(table)
    # The regimen's status is its weakest fact's; a stated one must agree (checked by Regimen).
    on_phases = all(p.check is not None for p in phases)
    derived = weakest(tuple(p.check for p in phases) if on_phases else (check,))
    verification = table.get("verification") or derived
    if verification is None:
        raise DataError(f"regimen {table.get('id')!r}: needs a verification status or checks")
    return Regimen(
        id=table["id"],
        label=table["label"],
        source=table["source"],
        whose=table["whose"],
        jurisdiction=table["jurisdiction"],
        drug=table["drug"],
        route=table["route"],
        population=table["population"],
        primary=table["primary"],
        verification=verification,
        refs=_refs(table),
        phases=phases,
        note=table.get("note", ""),
        neuro=table.get("neuro"),
        causes=tuple(table.get("causes", ())),
        malabsorption_only=table.get("malabsorption_only", False),
        min_resection_cm=table.get("min_resection_cm"),
        check=check,
        for_comparison=table.get("for_comparison", False),
    )


def _advice(table: Table) -> Advice:
    return Advice(
        code=table["code"],
        text=table["text"],
        refs=_refs(table),
        title=table.get("title", ""),
        when=table.get("when", "always"),
        severity=table.get("severity", "info"),
        check=_check(table),
    )


def build_guideline(rules: Table, refs: Table) -> Guideline:
    """Turn the two parsed TOML documents into a Guideline (exposed for tests of the validation)."""
    try:
        references = tuple(
            Reference(number=i, **{k: v for k, v in r.items()}) for i, r in enumerate(refs["references"], 1)
        )
        mma = rules["mma"]
        return Guideline(
            meta=Meta(**rules["meta"]),
            references=references,
            molar_mass_g_per_mol=float(rules["conversion"]["molar_mass_g_per_mol"]),
            conversion_refs=_refs(rules["conversion"]),
            bands=tuple(Band(**_with_check(b)) for b in rules["bands"]),
            mma_default_upper_limit_umol_per_l=float(mma["default_upper_limit_umol_per_l"]),
            mma_default_source=mma["default_source"],
            mma_refs=_refs(mma),
            limits=tuple(Limit(**_with_check(lim)) for lim in rules["limits"]),
            causes=tuple(Cause(**_with_check(c)) for c in rules["causes"]),
            route_rules=tuple(RouteRule(**_with_check(r)) for r in rules["route_rules"]),
            regimens=tuple(_regimen(r) for r in rules["regimens"]),
            review=ReviewPolicy(**_with_check(rules["review"])),
            monitoring=tuple(_advice(m) for m in rules["monitoring"]),
            warnings=tuple(_advice(w) for w in rules["warnings"]),
            caveats=tuple(_advice(c) for c in rules["caveats"]),
            dietary_reference_values=tuple(
                DietaryReferenceValue(**_with_check(d)) for d in rules["dietary_reference_values"]
            ),
            plan=PlanPolicy(
                **{**rules["plan"], "indeterminate_refs": tuple(rules["plan"]["indeterminate_refs"])}
            ),
            next_steps=tuple(NextStep(**_with_check(n)) for n in rules["next_steps"]),
            conversion_check=_check(rules["conversion"]),
            mma_check=_check(mma),
            risk_factors=tuple(RiskFactor(**_with_check(f)) for f in rules.get("risk_factors", ())),
        )
    except (KeyError, TypeError) as exc:  # a missing or misspelt field in the data file
        raise DataError(f"guideline data is malformed: {exc!r}") from exc


@cache
def load_guideline() -> Guideline:
    """The bundled guideline, parsed and validated once per process."""
    return build_guideline(_read("guideline.toml"), _read("references.toml"))

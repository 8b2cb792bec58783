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
    RouteRule,
    Span,
)

Table = dict[str, Any]


def _read(name: str) -> Table:
    text = resources.files("calc.data").joinpath(name).read_text(encoding="utf-8")
    return tomllib.loads(text)


def _refs(table: Table) -> tuple[str, ...]:
    return tuple(table.get("refs", ()))


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
    )


def _regimen(table: Table) -> Regimen:
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
        verification=table["verification"],
        refs=_refs(table),
        phases=tuple(_phase(p) for p in table["phases"]),
        note=table.get("note", ""),
        neuro=table.get("neuro"),
        causes=tuple(table.get("causes", ())),
        malabsorption_only=table.get("malabsorption_only", False),
        min_resection_cm=table.get("min_resection_cm"),
    )


def _advice(table: Table) -> Advice:
    return Advice(
        code=table["code"],
        text=table["text"],
        refs=_refs(table),
        title=table.get("title", ""),
        when=table.get("when", "always"),
        severity=table.get("severity", "info"),
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
            bands=tuple(Band(**{**b, "refs": _refs(b)}) for b in rules["bands"]),
            mma_default_upper_limit_umol_per_l=float(mma["default_upper_limit_umol_per_l"]),
            mma_default_source=mma["default_source"],
            mma_refs=_refs(mma),
            limits=tuple(Limit(**{**lim, "refs": _refs(lim)}) for lim in rules["limits"]),
            causes=tuple(Cause(**{**c, "refs": _refs(c)}) for c in rules["causes"]),
            route_rules=tuple(RouteRule(**{**r, "refs": _refs(r)}) for r in rules["route_rules"]),
            regimens=tuple(_regimen(r) for r in rules["regimens"]),
            review=ReviewPolicy(**{**rules["review"], "refs": _refs(rules["review"])}),
            monitoring=tuple(_advice(m) for m in rules["monitoring"]),
            warnings=tuple(_advice(w) for w in rules["warnings"]),
            caveats=tuple(_advice(c) for c in rules["caveats"]),
            dietary_reference_values=tuple(
                DietaryReferenceValue(**{**d, "refs": _refs(d)}) for d in rules["dietary_reference_values"]
            ),
            plan=PlanPolicy(
                **{**rules["plan"], "indeterminate_refs": tuple(rules["plan"]["indeterminate_refs"])}
            ),
            next_steps=tuple(NextStep(**{**n, "refs": _refs(n)}) for n in rules["next_steps"]),
        )
    except (KeyError, TypeError) as exc:  # a missing or misspelt field in the data file
        raise DataError(f"guideline data is malformed: {exc!r}") from exc


@cache
def load_guideline() -> Guideline:
    """The bundled guideline, parsed and validated once per process."""
    return build_guideline(_read("guideline.toml"), _read("references.toml"))

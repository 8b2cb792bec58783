"""Read the bundled TOML data (a package resource, so it works from a wheel and under Pyodide) into a
validated :class:`~calc.model.Guideline`."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from .conditions import FACT_KINDS, Condition, Fact, parse_condition
from .errors import DataError
from .model import (
    Advice,
    Amount,
    Assumption,
    Band,
    Cause,
    Check,
    DietaryReferenceValue,
    Guideline,
    Limit,
    Meta,
    Phase,
    PlanPolicy,
    Reference,
    Regimen,
    RiskFactor,
    Span,
    weakest,
)
from .table import (
    ActionRow,
    CourseRow,
    DecisionTable,
    NoteRow,
    PlanRow,
    ReviewActionRow,
    ReviewRow,
    RouteRow,
    StepRow,
)

Table = dict[str, Any]


def _read(name: str) -> Table:
    text = resources.files("calc.data").joinpath(name).read_text(encoding="utf-8")
    return tomllib.loads(text)


def _step(row: StepRow, facts: Mapping[str, Fact]) -> StepRow:
    if row.results_for and row.results_for not in facts:
        raise DataError(f"next_step row {row.code}: results_for names no fact ({row.results_for!r})")
    return row


def _refs(table: Table) -> tuple[str, ...]:
    return _refs_of(table, "refs")


def _refs_of(table: Table, key: str) -> tuple[str, ...]:
    return tuple(table.get(key, ()))


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
        after_long_resection=table.get("after_long_resection", False),
        check=check,
        for_comparison=table.get("for_comparison", False),
        in_calculator=table.get("in_calculator", True),
    )


def _advice(table: Table, facts: Mapping[str, Fact]) -> Advice:
    return Advice(
        code=table["code"],
        text=table["text"],
        refs=_refs(table),
        title=table.get("title", ""),
        when=_when(table, facts, f"advice {table.get('code')}", "advice"),
        severity=table.get("severity", "info"),
        check=_check(table),
        standing=table.get("standing", False),
    )


def _when(table: Table, facts: Mapping[str, Fact], owner: str, stage: str) -> Condition:
    """A row's ``when``: one table of tests, or a list of them of which any may hold."""
    when = table.get("when", {})
    if isinstance(when, list):
        if not when:
            raise DataError(f"{owner}: 'when' lists no alternative")
        alternatives = [parse_condition(w, facts, owner, stage) for w in when]
        return Condition(alternatives=tuple(alternatives))
    return parse_condition(when, facts, owner, stage)


def _facts(declared: Table, causes: list[Table], values: dict[str, float]) -> dict[str, Fact]:
    """The facts as the data declare them, checked against those calc/decide.py computes."""
    if set(declared) != set(FACT_KINDS):
        missing, unknown = set(FACT_KINDS) - set(declared), set(declared) - set(FACT_KINDS)
        raise DataError(f"decisions: facts differ from the interpreter's: missing {missing}, "
            f"unknown {unknown}")
    facts = {}
    for name, kind in FACT_KINDS.items():
        spec = declared[name]
        words = {k: v.format_map(values) for k, v in spec.get("values", {}).items()}
        if name == "causes":
            words = {c["code"]: c["label"] for c in causes}
        if kind == "bool" and words:
            raise DataError(f"decisions: fact {name} is true or false and takes no values")
        if kind != "bool" and not words:
            raise DataError(f"decisions: fact {name} needs its values")
        facts[name] = Fact(name, kind, spec["label"], words, spec.get("help", ""))
    return facts


def _decisions(data: Table, causes: list[Table], values: dict[str, float]) -> DecisionTable:
    facts = _facts(data["facts"], causes, values)

    def common(table: Table, name: str, stage: str) -> dict[str, Any]:
        fields = {k: v for k, v in table.items() if k not in ("when", "refs", "check")}
        for key in ("text", "reason"):
            if key in fields:
                fields[key] = fields[key].format_map(values)
        return {
            **fields,
            "when": _when(table, facts, f"{name} row {table.get('code')}", stage),
            "refs": _refs(table),
            "check": _check(table),
        }

    return DecisionTable(
        facts=facts,
        route=tuple(RouteRow(**common(t, "route", "route")) for t in data["route"]),
        route_preference=tuple(
            NoteRow(**common(t, "route_preference", "route_preference")) for t in data["route_preference"]
        ),
        action=tuple(ActionRow(**common(t, "action", "action")) for t in data["action"]),
        review_action=tuple(
            ReviewActionRow(**common(t, "review_action", "review_action")) for t in data["review_action"]
        ),
        plan=tuple(
            PlanRow(**{**common(t, "plan", "plan"), "alternatives": tuple(t["alternatives"])})
            for t in data["plan"]
        ),
        course=tuple(CourseRow(**common(t, "course", "course")) for t in data["course"]),
        next_step=tuple(
            _step(StepRow(**common(t, "next_step", "next_step")), facts) for t in data["next_step"]
        ),
        review=tuple(ReviewRow(**common(t, "review", "review")) for t in data["review"]),
        wording=dict(data["wording"]),
    )


def build_guideline(rules: Table, refs: Table, decisions: Table) -> Guideline:
    """Turn the three parsed TOML documents into a Guideline (exposed for tests of the validation)."""
    try:
        plan = rules["plan"]
        values = {"long_ileal_resection_cm": float(plan["long_ileal_resection_cm"])}
        table = _decisions(decisions, rules["causes"], values)
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
            regimens=tuple(_regimen(r) for r in rules["regimens"]),
            monitoring=tuple(_advice(m, table.facts) for m in rules["monitoring"]),
            warnings=tuple(_advice(w, table.facts) for w in rules["warnings"]),
            caveats=tuple(_advice(c, table.facts) for c in rules["caveats"]),
            dietary_reference_values=tuple(
                DietaryReferenceValue(**_with_check(d)) for d in rules["dietary_reference_values"]
            ),
            plan=PlanPolicy(
                **{**plan, "long_ileal_resection_refs": _refs_of(plan, "long_ileal_resection_refs")}
            ),
            decisions=table,
            conversion_check=_check(rules["conversion"]),
            mma_check=_check(mma),
            risk_factors=tuple(RiskFactor(**_with_check(f)) for f in rules.get("risk_factors", ())),
            assumptions=tuple(
                Assumption(a["field"], _advice(a, table.facts)) for a in rules.get("assumptions", ())
            ),
        )
    except (KeyError, TypeError) as exc:  # a missing or misspelt field in the data file
        raise DataError(f"guideline data is malformed: {exc!r}") from exc


@cache
def load_guideline() -> Guideline:
    """The bundled guideline, parsed and validated once per process."""
    return build_guideline(_read("guideline.toml"), _read("references.toml"), _read("decisions.toml"))

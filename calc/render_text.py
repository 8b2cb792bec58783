"""Plain-text rendering of a result (the CLI's default output; later also "copy as text" in the page)."""

from __future__ import annotations

import textwrap
from typing import Any

WIDTH = 100


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ")


def _cite(refs: list[str], numbers: dict[str, int]) -> str:
    return "[" + ", ".join(str(n) for n in sorted(numbers[k] for k in refs)) + "]"


def format_reference(ref: dict[str, Any]) -> str:
    """One reference as a line of text: who, what, where, when, link, and how solid it is."""
    year = f", {ref['year']}" if ref["year"] else ""
    return (
        f"{ref['authors']}. {ref['title']}. {ref['publisher']}{year}. {ref['link']} "
        f"({ref['evidence_label']}; {ref['jurisdiction']}; {ref['verification_label']})"
    )


def render_result_text(result: dict[str, Any]) -> str:
    numbers = {r["key"]: r["number"] for r in result["references"]}
    lab, route = result["lab"], result["route"]
    out = ["VITAMIN B12 CALCULATOR (decision support, not a prescription)", ""]

    out.append(f"Lab result: {lab['status'].upper().replace('_', ' ')} {_cite(lab['refs'], numbers)}")
    if lab["total_b12_ng_per_l"] is not None:
        out.append(
            f"  Total B12 = {lab['total_b12_ng_per_l']:g} ng/L = {lab['total_b12_pmol_per_l']:g} pmol/L"
        )
    out.append(_wrap(f"Rule: {lab['rule_text']}"))
    out += [_wrap(f"Note: {n}") for n in lab["notes"]]
    out += [_wrap(f"Next: {s}") for s in lab["next_steps"]]

    out += ["", f"Route: {route['preferred'].upper()}"]
    out += [_wrap(f"- {r['text']} {_cite(r['refs'], numbers)}") for r in route["reasons"]]

    out += ["", "Regimen options (recommended first; each says whose it is):"]
    for reg in result["regimens"]:
        mark = "RECOMMENDED" if reg["recommended"] else "for comparison"
        out.append(f"* {reg['label']} [{mark}]")
        out.append(
            _wrap(
                f"{reg['whose']}; {reg['jurisdiction']}; {reg['drug']}, {reg['route'].upper()}; "
                f"evidence: {reg['verification_label']} {_cite(reg['refs'], numbers)}",
                "    ",
            )
        )
        out += [_wrap(f"{p['name']}: {p['text']}", "    ") for p in reg["phases"]]
        if reg["note"]:
            out.append(_wrap(f"Note: {reg['note']}", "    "))

    if result["schedule"]:
        out += ["", f"Schedule ({result['schedule_regimen_id']}):"]
        out += [f"  {e['date']}  {e['kind']:<6}  {e['label']}" for e in result["schedule"]]

    out += ["", "Monitoring:"]
    out += [_wrap(f"- {m['text']} {_cite(m['refs'], numbers)}") for m in result["monitoring"]]
    out += ["", "Warnings:"]
    out += [_wrap(f"- [{w['severity']}] {w['text']} {_cite(w['refs'], numbers)}") for w in result["warnings"]]

    out += ["", "References:"]
    for ref in result["references"]:
        out.append(_wrap(f"[{ref['number']}] {format_reference(ref)}", ""))
    out += ["", result["disclaimer"], result["scope"]["text"]]
    return "\n".join(out)

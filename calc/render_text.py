"""Plain-text rendering of a result (the CLI's default output; later also "copy as text" in the page)."""

from __future__ import annotations

import textwrap
from typing import Any

WIDTH = 100


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ")


def _cite(refs: list[str], numbers: dict[str, int]) -> str:
    return "[" + ", ".join(str(n) for n in sorted(numbers[k] for k in refs)) + "]" if refs else ""


def format_reference(ref: dict[str, Any]) -> str:
    """One reference as a line of text: who, what, where, when, link, and how solid it is."""
    year = f", {ref['year']}" if ref["year"] else ""
    return (
        f"{ref['authors']}. {ref['title']}. {ref['publisher']}{year}. {ref['link']} "
        f"({ref['evidence_label']}; {ref['jurisdiction']}; {ref['verification_label']})"
    )


def render_result_text(result: dict[str, Any]) -> str:
    """The whole result, the plan first (its headline right under the title), then the alternatives,
    then the rest."""
    numbers = {r["key"]: r["number"] for r in result["references"]}
    plan, lab, route = result["plan"], result["lab"], result["route"]
    out = ["VITAMIN B12 CALCULATOR (decision support, not a prescription)"]
    out.append(f"PLAN ({plan['guidance_label']}): {plan['action_label'].upper()}")
    if plan["headline"]:
        out.append(_wrap(f"{plan['headline']}. Source: {plan['whose']} {_cite(plan['refs'], numbers)}"))
    rx = plan["prescription"]
    if rx:
        out.append(_wrap(f"Prescription: {rx['line']} {rx['status']}. {_cite(rx['refs'], numbers)}"))
        out += [_wrap(f"Counselling: {point}", "    ") for point in rx["counselling"]]
        checks = [f"Check: {c['title']}: {c['text']} {_cite(c['refs'], numbers)}" for c in rx["checks"]]
        out += [_wrap(check, "    ") for check in checks]
    out += [_wrap(f"Why: {s['text']} {_cite(s['refs'], numbers)}") for s in plan["why"]]
    out += [_wrap(f"Next: {s['text']} {_cite(s['refs'], numbers)}") for s in plan["next_steps"]]
    review = plan["review"]
    due = f" Due {review['date']}." if review["date"] else ""
    out.append(_wrap(f"Review: {review['text']}{due} {_cite(review['refs'], numbers)}".rstrip()))
    out += [_wrap(f"Caution: {c['text']} {_cite(c['refs'], numbers)}") for c in plan["cautions"]]
    if plan["alternatives"]:
        out += ["", "Alternatives (same guidance):"]
        for alt in plan["alternatives"]:
            out.append(_wrap(f"- {alt['headline']} ({alt['whose']}) {_cite(alt['refs'], numbers)}"))
            out.append(_wrap(alt["reason"], "    "))
    out.append("")

    out.append(f"Lab result: {lab['status_label'].upper()} {_cite(lab['refs'], numbers)}")
    if lab["total_b12_ng_per_l"] is not None:
        out.append(
            f"  Total B12 = {lab['total_b12_ng_per_l']:g} ng/L = {lab['total_b12_pmol_per_l']:g} pmol/L"
        )
    out.append(_wrap(f"Rule: {lab['rule_text']}"))
    out += [_wrap(f"Note: {n}") for n in lab["notes"]]

    out += ["", f"Route: {route['preferred_label']}"]
    out += [_wrap(f"- {r['text']} {_cite(r['refs'], numbers)}") for r in route["reasons"]]

    others = [r for r in result["regimens"] if r["group"] in ("other_guidance", "for_comparison")]
    if others:
        out += ["", "Other guidance and regimens for comparison:"]
    for reg in others:
        group = "other guidance" if reg["group"] == "other_guidance" else "for comparison"
        out.append(f"* {reg['label']} [{group}]")
        out.append(
            _wrap(
                f"{reg['whose']}; {reg['jurisdiction']}; {reg['headline']}; "
                f"evidence: {reg['verification_label']} {_cite(reg['refs'], numbers)}",
                "    ",
            )
        )
        if reg["note"]:
            out.append(_wrap(f"Note: {reg['note']}", "    "))

    if result["schedule"]:
        scheduled = next(r for r in result["regimens"] if r["id"] == result["schedule_regimen_id"])
        out += ["", f"Schedule ({scheduled['label']}):"]
        out += [f"  {e['date']}  {e['kind']:<8}  {e['label']}" for e in result["schedule"]]

    out += ["", "Monitoring:"]
    out += [_wrap(f"- {m['text']} {_cite(m['refs'], numbers)}") for m in result["monitoring"]]
    out += ["", "Warnings:"]
    out += [_wrap(f"- [{w['severity']}] {w['text']} {_cite(w['refs'], numbers)}") for w in result["warnings"]]

    out += ["", "References:"]
    for ref in result["references"]:
        out.append(_wrap(f"[{ref['number']}] {format_reference(ref)}", ""))
    out += ["", result["disclaimer"], result["scope"]["text"]]
    return "\n".join(out)

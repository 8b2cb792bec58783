"""The table of plans for a clinical safety review (downloads/calculator-plans.csv on the site).

One row per situation of the core of the situation space (calc/situations.py): every cause alone and in
pairs (with each resection length) x every lab outcome x neurological symptoms x pregnancy x age band x
guidance, with the other boxes unticked and no stated preference. Each row gives what the calculator
answers and the numbers of the rules that decided it, as the page "How the calculator decides" numbers
them. The whole space, every combination of the other boxes too, is walked by the tests and by
bench/situation_space.py.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from calc.decide import decide
from calc.lab import assess_lab_result
from calc.model import Guideline
from calc.plan import build_plan
from calc.request import parse_request
from calc.situation import Situation, situation_of
from calc.situations import describe, space

CSV_PATH = "downloads/calculator-plans.csv"
OTHER_BOXES = ("critically_ill", "anticoagulated", "needle_phobia")


def core_requests(guideline: Guideline) -> Iterator[dict[str, Any]]:
    """The core of the space: no other box ticked, no stated preference."""
    for request in space(guideline):
        if not any(request[box] for box in OTHER_BOXES) and "route_preference" not in request:
            yield request


def rule_numbers(guideline: Guideline) -> dict[str, dict[str, int]]:
    """Each table's rule codes -> the numbers the page shows (plan rules numbered per guidance)."""
    t = guideline.decisions
    numbers = {
        "action": {r.code: n for n, r in enumerate(t.action, 1)},
        "course": {r.code: n for n, r in enumerate(t.course, 1)},
        "next_step": {r.code: n for n, r in enumerate(t.next_step, 1)},
        "review": {r.code: n for n, r in enumerate(t.review, 1)},
    }
    for guidance in t.facts["guidance"].values:
        rows = [r for r in t.plan if r.guidance == guidance]
        numbers.setdefault("plan", {}).update({r.code: n for n, r in enumerate(rows, 1)})
    return numbers


def render_review_csv(guideline: Guideline) -> str:
    numbers = rule_numbers(guideline)
    names = {"action": "Action", "plan": "Regimen", "course": "How long", "review": "Review"}
    out = io.StringIO()
    writer: Any = None
    seen: set[Situation] = set()
    for request in core_requests(guideline):
        parsed = parse_request(request, guideline)
        situation = situation_of(parsed, assess_lab_result(parsed, guideline), guideline)
        if situation in seen:
            continue
        seen.add(situation)
        decided = decide(situation, guideline)
        plan = build_plan(situation, decided, guideline)
        rules = decided.rows()
        row = {
            **describe(request),
            "status": plan.status_label,
            "action": plan.action_label,
            "plan": plan.headline or "",
            "prescription": plan.prescription.line if plan.prescription else "",
            "next steps (rule numbers)": " ".join(str(numbers["next_step"][c]) for c in rules["next_step"]),
            "cautions": "; ".join(w.title for w in decided.warnings if not w.standing),
            "review": plan.review.text,
            "rules": "; ".join(
                f"{names[table]} {numbers[table][code]}"
                for table in ("action", "plan", "course", "review")
                for code in rules.get(table, ())
            ),
        }
        for box in (*OTHER_BOXES, "route_preference"):
            row.pop(box, None)
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(row), lineterminator="\n")
            writer.writeheader()
        writer.writerow(row)
    return out.getvalue()

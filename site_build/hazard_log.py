"""The Clinical safety page's includes, rendered from the hazard log (clinical-safety/hazard-log.toml):
the risk matrix with what its ratings mean, and every hazard with its cause, effect, risks, mitigations,
open actions and the automated tests that cover it (tests/site/test_hazard_log.py checks both sides)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from site_build import SiteBuildError
from site_build.tables import cell

HAZARD_LOG = Path(__file__).resolve().parent.parent / "clinical-safety" / "hazard-log.toml"


def _risk(log: dict[str, Any], rating: dict[str, str]) -> str:
    """'3 (undesirable): Medium likelihood, Major severity', looked up in the log's own matrix."""
    matrix = log["matrix"]
    likelihood, severity = rating["likelihood"], rating["severity"]
    if likelihood not in matrix["likelihood"] or severity not in matrix["severity"]:
        raise SiteBuildError(f"{HAZARD_LOG.name}: unknown rating {rating}")
    risk = matrix["risk"][matrix["likelihood"].index(likelihood)][matrix["severity"].index(severity)]
    label = matrix["risk_meaning"][str(risk)]["label"]
    return f"{risk} ({label}): {likelihood.lower()} likelihood, {severity.lower()} severity"


def render_hazard_log(path: Path = HAZARD_LOG) -> dict[str, str]:
    """The clinical-safety page's includes: the risk matrix and the hazard log, from the log's data."""
    log = tomllib.loads(path.read_text(encoding="utf-8"))
    matrix = log["matrix"]
    out = ["Risk matrix: likelihood against severity", "{: .b12-caption }", "",
           "| Likelihood \\ Severity | " + " | ".join(matrix["severity"]) + " |",
           "|---|" + "---|" * len(matrix["severity"])]
    for likelihood, row in reversed(list(zip(matrix["likelihood"], matrix["risk"], strict=True))):
        out.append(f"| **{likelihood}** | " + " | ".join(str(r) for r in row) + " |")
    out += ["", "Likelihood:", ""]
    out += [f"- **{k}:** {v}" for k, v in matrix["likelihood_meaning"].items()]
    out += ["", "Severity:", ""]
    out += [f"- **{k}:** {v}" for k, v in matrix["severity_meaning"].items()]
    out += ["", "Risk ratings:", ""]
    out += [f"- **{k} ({v['label']}).** {v['text']}" for k, v in matrix["risk_meaning"].items()]
    matrix_md = "\n".join(out) + "\n"

    hazards = log["hazards"]
    out = ["Hazards, their risk before and after mitigation, and open actions",
           "{: .b12-caption .b12-stack }", "",
           "| Hazard | Initial risk | Residual risk | Open actions |", "|---|---|---|---|"]
    for h in hazards:
        initial, residual = _risk(log, h["initial"]), _risk(log, h["residual"])
        out.append(f"| [{h['id']}: {cell(h['title'])}](#{h['id'].lower()}) | {initial.split(':')[0]} | "
                   f"{residual.split(':')[0]} | {len(h.get('actions', []))} |")
    for h in hazards:
        out += ["", f"### {h['id']}: {h['title']} {{ #{h['id'].lower()} }}", "",
                f"**Cause.** {h['cause']}", "", f"**Effect.** {h['effect']}", "",
                f"**Initial risk:** {_risk(log, h['initial'])}.", "",
                f"**Residual risk:** {_risk(log, h['residual'])}.", ""]
        # Open actions stay in view; the mitigations and tests are one click away (the page ran to 40
        # phone screens). Collapsible blocks, not bold paragraphs posing as headings.
        if h.get("actions"):
            out += [f'!!! warning "Open actions ({len(h["actions"])})"', ""]
            out += [f"    - {a}" for a in h["actions"]]
            out += [""]
        out += [f'??? success "Mitigations in the product ({len(h["mitigations"])})"', ""]
        out += [f"    - {m}" for m in h["mitigations"]]
        out += ["", f'??? info "Automated tests that cover it ({len(h["tests"])})"', ""]
        out += [f"    - `{t}`" for t in h["tests"]]
    return {"hazard-matrix.md": matrix_md, "hazard-log.md": "\n".join(out) + "\n"}

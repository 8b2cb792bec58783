"""The UX review's patient cases (a)-(g) (shared/research/ux-review-2026-11.md, section 4.2), shared by
the export tests here and the browser's plan-card tests."""

from __future__ import annotations

from typing import Any

UX_CASES: dict[str, dict[str, Any]] = {
    "a": {"age_years": 67, "total_b12": 150, "causes": ["unknown"]},
    "b": {"age_years": 45, "causes": ["autoimmune_gastritis"], "total_b12": 120,
          "neurological_symptoms": True, "start_date": "2026-12-01"},
    "c": {"age_years": 30, "causes": ["vegan"], "total_b12": 250, "mma": 0.5},
    "d": {"age_years": 52, "causes": ["bariatric_surgery"], "total_b12": 200, "total_b12_unit": "pmol/L"},
    "e": {"age_years": 31, "pregnant_or_breastfeeding": True, "active_b12": 20, "start_date": "2026-12-01"},
    "f": {"age_years": 8, "total_b12": 150},
    "g": {"age_years": 63, "causes": ["metformin"], "total_b12": 300},
}

"""Figures written into warning texts.

Which warnings and monitoring items apply is the decision table's business (each item's ``when`` is a
condition, read by calc/decide.py). A few warning texts name a figure from the request (a unit-slip
reading) or from the data (the very-high threshold); this module supplies those values.
"""

from __future__ import annotations

from .model import Guideline
from .request import Request
from .situation import Situation


def text_values(request: Request | None, situation: Situation, guideline: Guideline) -> dict[str, str]:
    """Values for the {placeholders} in warning texts: figures from the data, and from the request when
    there is a unit-slip reading (without the request, only the data's)."""
    values = {"threshold": f"{guideline.plan.very_high_total_b12_ng_per_l:g}"}
    reading = situation.other_unit_reading
    if reading is not None and request is not None and request.total_b12 is not None:
        other, other_band, band = reading
        values |= {
            "value": f"{request.total_b12:g} {request.total_b12_unit}",
            "other_unit": other,
            "other_band": other_band,
            "band": band,
        }
    return values

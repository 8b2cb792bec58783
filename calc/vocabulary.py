"""The words a reader sees that are not clinical policy: units as written, dates, the bands of one test, the
kinds of schedule event, the titles of the regimen lists and the sentence about a preferred route.

Made once here and carried by the result (``lab.values_text``, ``entered``, ``schedule[].date_text`` and
``kind_label``, ``plan.review.date_text``, ``regimen_groups``, ``route.preference_text``), so the page, the
notes, the calendar and the site's tables never keep a label map of their own (README, "The contract").
Clinical wording (actions, statuses, routes, causes) lives in the data files instead.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .holidays import HOLIDAY_REGION_LABELS
from .request import GUIDANCE_LABELS, REQUEST_FIELDS
from .units import display_unit

#: Month abbreviations written out rather than ``%b``, which follows the process's locale.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
#: One test's band (the lab status of the whole result is worded by the data's ``facts.lab``).
BAND_WORDS = {
    "deficient": "deficient",
    "indeterminate": "indeterminate",
    "unlikely": "deficiency unlikely",
}
#: The word before a schedule event's own label on the page and in the calendar.
EVENT_KIND_LABELS = {"dose": "Dose", "reassess": "Reassess", "review": "Review"}
#: The collapsed lists of regimens beside the plan, in the order they are shown.
GROUP_TITLES = {
    "alternative": "Alternatives",
    "other_guidance": "Other guidance",
    "for_comparison": "For comparison",
}
#: How each choice of the request reads (form, print, notes); the values stay the contract's. "" is the empty
#: option of a choice without a default (nothing chosen). A choice field without its words here fails a test.
CHOICE_LABELS: dict[str, dict[str, str]] = {
    "visit": {"first": "First visit", "review": "Review"},
    "guidance": GUIDANCE_LABELS,
    "holiday_region": HOLIDAY_REGION_LABELS,
    "route_preference": {"": "No preference", "oral": "Oral (tablets)", "im": "Intramuscular injection (IM)"},
    "current_treatment": {"": "Not given", "oral": "Oral (tablets)", "im": "Injections"},
    "response": {"": "Not given", "resolved": "Resolved", "improved": "Improved", "unchanged": "Unchanged",
                 "worse": "Worse"},
    "adherence": {"": "Not given", "good": "Yes", "poor": "Not reliably"},
    "intrinsic_factor_antibodies": {"": "Not back yet", "positive": "Positive", "negative": "Negative"},
    "coeliac_serology": {"": "Not back yet", "positive": "Positive", "negative": "Negative"},
}
#: A route in a sentence: "short" in a regimen's one-line headline (prescribers' "IM"), "full" where a patient
#: reads it (a product's directions, the calendar).
ROUTE_WORDS = {
    "short": {"oral": "by mouth", "im": "IM"},
    "full": {"oral": "by mouth", "im": "by intramuscular injection"},
}
_PREFERENCE_TEXT = {
    True: "The preferred route is honoured.",
    False: "The preferred route is not the suggested one (see the reasons).",
}


def number_text(value: float) -> str:
    """A lab value as a reader writes it: at most one decimal, no trailing zero (110.67 -> "110.7")."""
    return f"{round(value, 1):g}"


def date_text(day: date | str, *, weekday: bool = False) -> str:
    """``2026-12-01`` -> "1 Dec 2026" (with ``weekday``: "Tue 1 Dec 2026")."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    text = f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    return f"{_WEEKDAYS[day.weekday()]} {text}" if weekday else text


def lab_values_text(request: dict[str, Any], lab: dict[str, Any]) -> str | None:
    """The values entered, each unit once with the other unit after a total B12, and each test's band:
    "Total B12 150 ng/L (110.7 pmol/L), deficient; MMA 0.5 µmol/L"; None when no value was entered."""
    parts = []
    if request["total_b12"] is not None:
        parts.append(f"total B12 {_total_b12_text(request, lab)}{_band(lab['total_b12_band'])}")
    if request["active_b12"] is not None:
        parts.append(f"active B12 {number_text(request['active_b12'])} pmol/L{_band(lab['active_b12_band'])}")
    if request["mma"] is not None:
        parts.append(f"MMA {number_text(request['mma'])} {display_unit(request['mma_unit'])}")
    if not parts:
        return None
    text = "; ".join(parts)
    return text[0].upper() + text[1:]


def _total_b12_text(request: dict[str, Any], lab: dict[str, Any]) -> str:
    """"150 ng/L (110.7 pmol/L)": the value as entered, then in the other unit, so a unit slip shows."""
    unit = request["total_b12_unit"]
    if unit == "pmol/L":
        other = f"{number_text(lab['total_b12_ng_per_l'])} ng/L"
    else:
        other = f"{number_text(lab['total_b12_pmol_per_l'])} pmol/L"
    return f"{number_text(request['total_b12'])} {display_unit(unit)} ({other})"


def _band(code: str | None) -> str:
    return f", {BAND_WORDS[code]}" if code else ""


def regimen_groups(groups_shown: set[str], guidance_label: str) -> list[dict[str, str]]:
    """The titles of the collapsed regimen lists that have regimens, in display order."""
    out = []
    for group, title in GROUP_TITLES.items():
        if group in groups_shown:
            if group == "alternative":
                title = f"{title} under {guidance_label}"
            out.append({"group": group, "title": title})
    return out


def preference_text(honoured: bool | None) -> str | None:
    """Whether the reader's preferred route was followed, as a sentence; None without a preference."""
    return None if honoured is None else _PREFERENCE_TEXT[honoured]


def entered_values(
    request: dict[str, Any], lab: dict[str, Any], causes: list[dict[str, str]], regimens: list[dict[str, Any]]
) -> list[dict[str, str]]:
    """What was entered, as {field, label, value} rows in the form's order, as a reader would write it
    down (the printed plan, the notes): values with units, ticked boxes, causes by name, choices in
    words. Fields left at their default, and those that do not count (the review's at a first visit, the
    bank holidays' nation without working days), are left out."""
    review = request["visit"] == "review"
    regimen_labels = {r["id"]: r["label"] for r in regimens}
    rows = []
    for spec in REQUEST_FIELDS:
        value = request[spec.name]
        # Not "value in (None, False, [])": 0 == False, and a figure of 0 was entered.
        if value is None or value is False or value == [] or spec.kind == "unit":
            continue
        if spec.group == "review" and not review:
            continue
        if spec.name == "holiday_region" and not request["weekdays_only"]:
            continue
        if spec.kind == "choice" and value == spec.default and spec.name != "guidance":
            continue
        if spec.kind == "number":
            unit = request.get(spec.unit, spec.unit)
            shown = f"{number_text(value)} {display_unit(unit)}"
            if spec.name == "total_b12":
                shown = _total_b12_text(request, lab)
        elif spec.kind == "boolean":
            shown = "yes"
        elif spec.kind == "causes":
            shown = ", ".join(c["label"] for c in causes)
        elif spec.kind == "choice":
            shown = CHOICE_LABELS[spec.name][value]
        elif spec.kind == "date":
            shown = date_text(value)
        else:  # the regimen to schedule, by its name
            shown = regimen_labels.get(value, "")
        rows.append({"field": spec.name, "label": spec.label, "value": shown})
    return rows

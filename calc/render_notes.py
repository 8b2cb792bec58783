"""Plain text that leaves the page: a short entry for the clinical notes, and a plain-language plan for
the patient. Both are renderings of an evaluated result (no rules here), so the page, the CLI
(``--notes``, ``--patient``) and the tests share one wording.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from .request import GUIDANCE_LABELS
from .vocabulary import date_text

#: A typical case must fit in a record system's free-text box.
NOTES_MAX_CHARS = 1200
def _cite(refs: list[str], numbers: dict[str, int]) -> str:
    shown = sorted({numbers[k] for k in refs if k in numbers})
    return f" [{','.join(map(str, shown))}]" if shown else ""


#: Entered values the notes leave out: the visit and the guidance (their first line names them) and the
#: calendar's settings.
_NOT_IN_NOTES = {"visit", "guidance", "start_date", "weekdays_only", "holiday_region", "schedule_regimen_id"}


def entered_text(result: dict[str, Any]) -> str:
    """The entered values on one line: "total B12 150 ng/L (110.7 pmol/L); age 67 years; needle phobia;
    response: improved"."""
    parts = []
    for row in result["entered"]:
        if row["field"] in _NOT_IN_NOTES:
            continue
        label, value = row["label"][0].lower() + row["label"][1:], row["value"]
        number, _, unit = value.partition(" ")
        if unit and unit in label:  # "weeks on treatment 12", not "... 12 weeks"
            value = number
        if value == "yes":
            parts.append(label)
        else:
            parts.append(f"{label} {value}" if value[0].isdigit() else f"{label}: {value}")
    return "; ".join(parts) or "nothing"


def render_notes(result: dict[str, Any], today: date | None = None) -> str:
    """A short plain-text entry for the clinical notes (<= NOTES_MAX_CHARS for a typical case): inputs,
    result, plan, review, next steps (their first sentence), cautions by title, short sources."""
    numbers = {r["key"]: r["number"] for r in result["references"]}
    plan, lab = result["plan"], result["lab"]
    visit = "review" if result["request"]["visit"] == "review" else "plan"
    lines = [f"Vitamin B12 {visit}, {GUIDANCE_LABELS[plan['guidance']]}"]
    lines.append(f"Entered: {entered_text(result)}")
    if result["request"]["visit"] == "review":
        why = plan["why"][0] if plan["why"] else None
        # The reason's lead clause ('Not better on tablets taken as prescribed'): the plan line says the rest.
        lead = _first_sentence(why["text"]).split(":")[0].rstrip(".") if why else ""
        reason = f": {lead}{_cite(why['refs'], numbers)}" if why else ""
        lines.append(f"Decision: {plan['action_label']}{reason}")
    else:
        lines.append(f"Result: {plan['status_label']}{_cite(lab['refs'], numbers)}")
    rx = plan["prescription"]
    if rx:  # the line a pharmacist dispenses from: product, directions, first supply, licence status
        status = _short_status(rx["status"])
        lines.append(f"Plan: {rx['line']} {status}. Source: {plan['whose']}{_cite(plan['refs'], numbers)}")
    elif plan["headline"]:
        lines.append(f"Plan: {plan['headline']}. Source: {plan['whose']}{_cite(plan['refs'], numbers)}")
    else:
        lines.append(f"Plan: {plan['action_label']}")
    review = plan["review"]
    due = f" Due {date_text(review['date'])}." if review["date"] else ""
    lines.append(f"Review: {review['text']}{due}")
    lines += [f"Next: {_first_sentence(s['text'])}{_cite(s['refs'], numbers)}" for s in plan["next_steps"]]
    if plan["cautions"]:
        lines.append("Cautions: " + "; ".join(c["title"] for c in plan["cautions"]))
    cited = sorted({numbers[k] for refs in _all_refs(result) for k in refs if k in numbers})
    by_number = {r["number"]: r for r in result["references"]}
    if cited:
        lines.append("Sources: " + "; ".join(f"[{n}] {_short_reference(by_number[n])}" for n in cited))
    meta = result["calculator"]
    stamp = (today or date.today()).isoformat()
    lines.append(f"b12-calc {meta['version']}, content {meta['content_version']}, {stamp}.")
    lines.append(result["disclaimer"])
    return "\n".join(lines) + "\n"


def _short_status(status: str) -> str:
    """'Prescription-only medicine (POM), licensed in the UK' -> 'POM': the abbreviation where the status
    gives one, else its first clause."""
    head = status.split(",")[0]
    found = re.search(r"\(([A-Z]{1,4})\)", head)
    return found.group(1) if found else head


def _first_sentence(text: str) -> str:
    head, dot, _ = text.partition(". ")
    return head + "." if dot else text


def _all_refs(result: dict[str, Any]) -> list[list[str]]:
    plan, lab = result["plan"], result["lab"]
    return [lab["refs"], plan["refs"], *(s["refs"] for s in plan["next_steps"])]


def _short_reference(ref: dict[str, Any]) -> str:
    """Who and when, in a few words: the first author, else the publishing body, and the year."""
    candidates = (ref["authors"].split(",")[0], ref["publisher"].split(",")[0], ref["title"].split(":")[0])
    who = next((c.strip() for c in candidates if len(c.strip()) <= 30), candidates[-1][:30].rstrip())
    return f"{who} {ref['year']}" if ref["year"] else who


def render_patient(result: dict[str, Any], today: date | None = None) -> str:
    """'Your treatment plan' in plain language, for the patient to take home."""
    plan = result["plan"]
    lines = ["Your vitamin B12 treatment plan", ""]
    if plan["headline"]:
        lines.append(f"Your treatment: {plan['headline']}.")
        lines.append(f"This follows {plan['whose']}.")
    else:
        plain = {
            "test_first": "Your clinician will decide on treatment when your next blood test result is back.",
            "no_treatment": "Your result does not point to a lack of vitamin B12, so B12 treatment is not "
            "suggested. Your clinician will look for other causes of your symptoms.",
            "refer": "A specialist in children's medicine will advise on the next steps.",
        }
        lines.append(plain.get(plan["action"], plan["action_label"]))
    doses = [e for e in result["schedule"] if e["kind"] == "dose"]
    if doses:
        lines += ["", "Your dates:"]
        lines += [f"  {date_text(e['date'])}: {e['label']}" for e in result["schedule"]]
    review = plan["review"]
    if plan["headline"]:
        due = f" (around {date_text(review['date'])})" if review["date"] else ""
        lines += ["", f"Check-up: your clinician will ask how your symptoms are{due}. This is about how you "
                  "feel; a repeat B12 blood test is not usually needed."]
        lines.append("Tell your clinician sooner if your symptoms get worse or you notice new ones.")
    pregnant = result["request"]["pregnant_or_breastfeeding"]
    medicines = "any other medicines as prescribed, including folic acid in pregnancy" if pregnant else (
        "your other medicines as prescribed"
    )
    lines += ["", f"Keep taking {medicines}."]
    meta = result["calculator"]
    stamp = (today or date.today()).isoformat()
    lines += ["", f"Printed {stamp} from the b12-calc decision-support tool (content "
              f"{meta['content_version']}). Your clinician's advice comes first."]
    return "\n".join(lines) + "\n"

"""The schedule as an iCalendar file (RFC 5545), written with the standard library.

One all-day VEVENT per scheduled dose, reassessment and review. The text rules that matter for
interoperability: CRLF line ends (3.1), lines folded at 75 octets without splitting a UTF-8 character
(3.1), TEXT values escaped (3.3.11: backslash, semicolon, comma, newline), a UID per event (3.8.4.7,
stable for the same request so a re-import updates rather than duplicates) and a DTSTAMP in UTC (3.8.7.2).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from .errors import FieldError, InputError

PRODID = "-//b12-calc//Vitamin B12 plan//EN"


def escape_text(value: str) -> str:
    """RFC 5545 3.3.11 TEXT escaping."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """RFC 5545 3.1: lines longer than 75 octets are split, continuation lines starting with a space,
    never inside a multi-octet UTF-8 character."""
    out: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def render_ics(result: dict[str, Any], now: datetime | None = None) -> str:
    """The result's schedule as a VCALENDAR. A result without a schedule is a field error on start_date."""
    events = result["schedule"]
    if not events:
        raise InputError([FieldError("start_date", "Enter a start date to make a calendar of the schedule.")])
    regimen = next(r for r in result["regimens"] if r["id"] == result["schedule_regimen_id"])
    seed = hashlib.sha256(json.dumps(result["request"], sort_keys=True).encode("utf-8")).hexdigest()[:16]
    stamp = _stamp(now or datetime.now(UTC))
    description = (
        f"{regimen['headline']} ({regimen['whose']}). {result['disclaimer']} "
        f"b12-calc content {result['calculator']['content_version']}."
    )
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    for index, event in enumerate(events):
        day = date.fromisoformat(event["date"])
        lines += [
            "BEGIN:VEVENT",
            f"UID:{seed}-{index}-{event['kind']}@b12-calc",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape_text(f"B12 {event['kind_label'].lower()}: {event['label']}")}",
            f"DESCRIPTION:{escape_text(description)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"

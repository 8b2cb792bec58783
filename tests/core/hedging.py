"""The hedging phrases the README budgets: words that tell a clinician "do not rely on this". Shared by the
built-site budget (tests/site/test_hedging.py) and the calculator-result check (test_result_hedging.py); and
the walk over a result's strings that the result check and the reader-wording check
(tests/site/test_reader_wording.py) both read."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

HEDGE_PHRASES: dict[str, re.Pattern[str]] = {
    "secondary source": re.compile(r"\bsecondary sources?\b", re.I),
    "unverified": re.compile(r"\bunverified\b", re.I),
    "draft": re.compile(r"\bdrafts?\b", re.I),
    "recall": re.compile(r"\brecall\b", re.I),
    "archived copy": re.compile(r"\barchived cop(?:y|ies)\b", re.I),
    "not yet checked": re.compile(r"\bnot yet checked\b", re.I),
    "could not be verified": re.compile(r"\bcould not be verified\b", re.I),
}


def count_hedges(text: str) -> Counter[str]:
    """How often each budgeted phrase occurs in some visible text."""
    return Counter({name: n for name, pattern in HEDGE_PHRASES.items() if (n := len(pattern.findall(text)))})


def strings_in(value: Any) -> list[str]:
    """Every string in a JSON value (a result, a plan, an export), depth first."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings_in(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings_in(v)]
    return []

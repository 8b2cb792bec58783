"""The hedging phrases the README budgets: words that tell a clinician "do not rely on this". Shared by the
built-site budget (tests/site/test_hedging.py) and the calculator-result check (test_result_hedging.py)."""

from __future__ import annotations

import re
from collections import Counter

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

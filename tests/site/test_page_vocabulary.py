"""The page keeps no label map: every reader-facing word for a code (routes, statuses, actions, bands, event
kinds, regimen lists, choices, units) comes with the engine's result or the form the build renders from
calc (README, "The contract"). A string literal in the page's modules that is one of calc's words for a
code is a second copy that can drift."""

from __future__ import annotations

import re
from pathlib import Path

from calc import load_guideline
from calc.vocabulary import BAND_WORDS, CHOICE_LABELS, EVENT_KIND_LABELS, GROUP_TITLES

MODULES = sorted((Path(__file__).parents[2] / "docs" / "javascripts").rglob("*.js"))
# String literals: "...", '...' and template text, comments removed first.
_COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)
_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"|\'((?:[^\'\\\n]|\\.)*)\'|`((?:[^`\\]|\\.)*)`', re.S)


def calc_words() -> set[str]:
    """calc's words for codes, each at least two words long or a unit, so that everyday single words the
    page may use in its own sentences ("Review" as a button's verb) do not count."""
    facts = load_guideline().decisions.facts
    words = {w for name in ("route", "action", "lab") for w in facts[name].values.values()}
    words |= set(BAND_WORDS.values()) | set(EVENT_KIND_LABELS.values()) | set(GROUP_TITLES.values())
    words |= {w for labels in CHOICE_LABELS.values() for w in labels.values() if w}
    return {w for w in words if " " in w} | {"µmol/L", "\\u00b5mol/L"}


def literals(path: Path) -> list[str]:
    text = _COMMENT.sub("", path.read_text(encoding="utf-8"))
    return [next(g for g in m.groups() if g is not None) for m in _STRING.finditer(text)]


def test_the_page_modules_spell_no_word_of_calc() -> None:
    words = calc_words()
    assert {"Intramuscular injection (IM)", "deficiency unlikely", "Deficiency confirmed"} <= words
    assert len(MODULES) >= 10
    found = [(p.name, s) for p in MODULES for s in literals(p) for w in words if w in s]
    assert found == [], f"label maps in the page: {found}"

"""Reading a number as a person typed it: "150,5", " 1,500.5 ", "110 pmol/L".

The page passes a number field that is not a plain JavaScript number as the text typed, so this module
decides what that text means (the rule is the README's contract, "Numbers typed as text"):

- surrounding spaces are ignored; a unit (starting with a letter) may follow the figure, with or without a
  space;
- one point or one comma is the decimal separator: "150.5" and "150,5" are both 150.5;
- a grouping separator is read only when the text cannot mean anything else: groups of three digits with
  the other mark as the decimal separator ("1,500.5", "1.500,5") or more than one group ("1,500,000");
- one separator followed by exactly three digits after 1-3 digits that do not start with 0 ("1,500",
  "1.500", "12,345") could be either: it is :data:`AMBIGUOUS`, never guessed;
- "<150" and ">2000" (a result beyond the assay's range) are :data:`COMPARISON`, never read as the figure;
- ASCII digits only: Python's ``float`` would also take "1_000", "infinity" and other scripts' digits.

The messages are worded in calc/request.py, which knows the field's label and unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Problem = Literal["not_a_number", "ambiguous", "comparison"]
NOT_A_NUMBER: Problem = "not_a_number"
AMBIGUOUS: Problem = "ambiguous"
COMPARISON: Problem = "comparison"

_FLAGS = re.ASCII | re.DOTALL
# A sign, the figure (digits, points and commas, then an exponent as JavaScript writes one), the rest.
_SPLIT = re.compile(r"([+-]?)([0-9.,]*[0-9][0-9.,]*(?:[eE][+-]?[0-9]+)?)\s*(.*)", _FLAGS)
_AMBIGUOUS = re.compile(r"[1-9][0-9]{0,2}[.,][0-9]{3}", _FLAGS)
_GROUPED_BY_COMMA = re.compile(r"[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?", _FLAGS)
_GROUPED_BY_POINT = re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+(?:,[0-9]+)?", _FLAGS)
_PLAIN = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", _FLAGS)
_DECIMAL_COMMA = re.compile(r"[0-9]+,[0-9]*|,[0-9]+", _FLAGS)
_COMPARISONS = "<>\u2264\u2265"


@dataclass(frozen=True, slots=True)
class TypedNumber:
    """What a typed text says: the figure and the unit text after it, or the problem with it."""

    value: float | None = None
    unit: str = ""  # as typed after the figure ("" when none)
    problem: Problem | None = None
    #: For an ambiguous text: (the figure with the separator read as a thousands separator, as a decimal).
    readings: tuple[float, float] | None = None


def read_typed_number(text: str) -> TypedNumber:
    """The figure (and any unit typed after it) that ``text`` states, or why it states none."""
    stripped = text.strip()
    if stripped[:1] in tuple(_COMPARISONS):
        return TypedNumber(problem=COMPARISON)
    split = _SPLIT.fullmatch(stripped)
    if split is None:
        return TypedNumber(problem=NOT_A_NUMBER)
    sign, figure, unit = split.groups()
    if unit and not unit[0].isalpha():  # "1_000", "1 500", "150/": not a figure followed by a unit
        return TypedNumber(problem=NOT_A_NUMBER)
    negative = -1.0 if sign == "-" else 1.0
    if _AMBIGUOUS.fullmatch(figure):
        digits = figure.replace(",", "").replace(".", "")
        decimal = figure.replace(",", ".")
        return TypedNumber(
            unit=unit, problem=AMBIGUOUS, readings=(negative * float(digits), negative * float(decimal))
        )
    if _GROUPED_BY_COMMA.fullmatch(figure):
        plain = figure.replace(",", "")
    elif _GROUPED_BY_POINT.fullmatch(figure):
        plain = figure.replace(".", "").replace(",", ".")
    elif _PLAIN.fullmatch(figure):
        plain = figure
    elif _DECIMAL_COMMA.fullmatch(figure):
        plain = figure.replace(",", ".")
    else:
        return TypedNumber(problem=NOT_A_NUMBER)
    # ``plain`` is ASCII digits, at most one point and an exponent: float reads it exactly as JavaScript.
    return TypedNumber(value=negative * float(plain), unit=unit)

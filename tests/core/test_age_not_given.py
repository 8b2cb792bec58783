"""A blank age (README contract, "A blank age"): the adult logic applies, and the result says so wherever
the plan is -- in the plan's cautions, which the page shows with the plan and the notes text lists
(HAZ-04: adult logic applied to a child)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from calc import evaluate, evaluate_json
from calc.memo import forget_decisions
from calc.render_notes import render_notes
from calc.render_text import render_result_text

CODE = "age_not_given"
REQUESTS: list[dict[str, Any]] = [
    {},
    {"total_b12": 150},
    {"total_b12": 150, "guidance": "us"},
    {"total_b12": 500, "neurological_symptoms": True},
    {"total_b12": 150, "age_years": None},
    {"total_b12": 150, "age_years": ""},
    {"visit": "review", "current_treatment": "oral", "response": "improved"},
]


def codes(items: list[dict[str, Any]]) -> list[str]:
    return [item["code"] for item in items]


@pytest.mark.parametrize("request_", REQUESTS)
def test_blank_age_says_an_adult_is_assumed(request_: dict[str, Any]) -> None:
    """'Age not given: the plan assumes an adult (16 or over)' -- carried by the plan's cautions and the
    warnings, with its citation resolved, for every guidance and visit."""
    result = evaluate(request_)
    assert result["scope"]["within_nice_scope"] is True  # the adult logic applies
    (caution,) = [c for c in result["plan"]["cautions"] if c["code"] == CODE]
    assert "adult" in caution["title"] and "16 or over" in caution["text"]
    assert codes(result["warnings"]).count(CODE) == 1
    keys = {r["key"] for r in result["references"]}
    assert set(caution["refs"]) <= keys


@pytest.mark.parametrize("age", [16, 40, 15.9, 10, 0.5, "40", "40 years"])
def test_a_given_age_assumes_nothing(age: object) -> None:
    """With an age (adult or child), nothing is assumed and nothing is said about it."""
    result = evaluate({"total_b12": 150, "age_years": age})
    assert CODE not in codes(result["plan"]["cautions"]) and CODE not in codes(result["warnings"])


def test_the_notes_and_the_text_say_it() -> None:
    """'Include it in the notes text': the notes list the plan's cautions by title; the full text too."""
    result = evaluate({"total_b12": 150})
    caution = next(c for c in result["plan"]["cautions"] if c["code"] == CODE)
    title = caution["title"]
    assert title in render_notes(result)
    assert caution["text"] in " ".join(render_result_text(result).split())
    assert title not in render_notes(evaluate({"total_b12": 150, "age_years": 40}))


def test_the_caution_does_not_leak_into_the_next_result() -> None:
    """Results share their situation's parts (calc/memo.py): a caution added for one request must not
    appear in the next request of the same situation that gives an age (HAZ-24)."""
    first = evaluate({"total_b12": 150})
    second = evaluate({"total_b12": 150, "age_years": 40})
    third = evaluate({"total_b12": 150})
    assert CODE in codes(first["plan"]["cautions"]) and CODE in codes(third["plan"]["cautions"])
    assert CODE not in codes(second["plan"]["cautions"]) and CODE not in codes(second["warnings"])
    assert codes(third["warnings"]).count(CODE) == 1


@pytest.mark.parametrize("first_age", [40, None])
def test_the_json_bridge_does_not_reuse_another_requests_text(first_age: float | None) -> None:
    """calc/bridge.py re-uses the JSON text of the parts a situation shares: with and without an age the
    situation is the same, but the warnings and references differ, so each answer must be its own result's
    JSON, in either order (HAZ-24; found by the slow hostile-input run, HAZ-17)."""
    forget_decisions()
    order = [first_age, 40 if first_age is None else None, first_age]
    for age in order:
        request = {"total_b12": 1001, "route_preference": "im", "age_years": age}
        assert json.loads(evaluate_json(json.dumps(request))) == json.loads(json.dumps(evaluate(request)))

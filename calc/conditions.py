"""The condition language of the decision table (calc/data/decisions.toml), and its one interpreter.

A row of the table says *when* it applies as a TOML inline table of tests on the situation's facts, all of
which must hold::

    when = { lab = ["deficient", "indeterminate"], neurological_symptoms = true, not_causes = ["vegan"] }

- ``fact = value`` or ``fact = [values]``: the fact has that value, or one of them;
- for a set-valued fact (``causes``, ``plan_routes``): at least one of the values is present;
- ``fact_only = [values]`` (set-valued facts): at least one is present and every present one is listed;
- ``not_fact = ...``: the negation of the same test;
- ``when = {}``: always.

The facts, their values and how they read in words are declared in the data (``[facts.*]``); which facts
exist is fixed here (:data:`FACT_KINDS`), because calc/decide.py computes them. Every condition is
checked when the data load: an unknown fact, value or cause, or a boolean fact given a word, fails the
load (:class:`~calc.errors.DataError`), never a calculation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .errors import DataError

FactKind = Literal["bool", "enum", "set"]
FactValue = str | bool | frozenset[str]

#: Every fact a condition may test, and its kind. The order is the order in which the decision chain makes
#: them known: the situation's own facts, then ``route`` (the route rows), ``action`` (the action rows)
#: and ``plan_routes`` (the plan rows).
FACT_KINDS: dict[str, FactKind] = {
    "guidance": "enum",
    "age": "enum",
    "lab": "enum",
    "lab_test": "enum",
    "neurological_symptoms": "bool",
    "pregnant_or_breastfeeding": "bool",
    "critically_ill": "bool",
    "anticoagulated": "bool",
    "needle_phobia": "bool",
    "causes": "set",
    "cause_found": "bool",
    "resection": "enum",
    "route_preference": "enum",
    "unit_check": "bool",
    "very_high_total_b12": "bool",
    "mma_used": "bool",
    "mma_default_limit": "bool",
    "visit": "enum",
    "current_treatment": "enum",
    "response": "enum",
    "new_neurological_symptoms": "bool",
    "adherence": "enum",
    "intrinsic_factor_antibodies": "enum",
    "coeliac_serology": "enum",
    "cause_resolved": "bool",
    "route": "enum",
    "action": "enum",
    "plan_routes": "set",
}
#: Facts the decision chain works out itself: a row may test only those made known before its table.
DERIVED_FACTS: dict[str, str] = {"route": "route", "action": "action", "plan_routes": "plan"}
#: The tables in the order the chain reads them, and the derived facts known to each.
TABLE_STAGES: dict[str, frozenset[str]] = {
    "route": frozenset(),
    "route_preference": frozenset({"route"}),
    "action": frozenset({"route"}),
    "review_action": frozenset({"route"}),
    "plan": frozenset({"route", "action"}),
    "course": frozenset({"route", "action"}),
    "next_step": frozenset({"route", "action", "plan_routes"}),
    "review": frozenset({"route", "action", "plan_routes"}),
    "advice": frozenset({"route", "action", "plan_routes"}),
}


@dataclass(frozen=True, slots=True)
class Fact:
    """A fact as the data declare it: its name, kind, label and the words for each of its values."""

    name: str
    kind: FactKind
    label: str
    values: Mapping[str, str]  # value -> words ("" for a boolean fact: it reads as its label)
    help: str = ""

    def word(self, value: str | bool) -> str:
        if self.kind == "bool":
            return self.label if value else f"not {self.label[:1].lower()}{self.label[1:]}"
        return self.values[str(value)]


@dataclass(frozen=True, slots=True)
class Test:
    fact: str
    values: frozenset[str | bool]
    negate: bool = False
    only: bool = False

    def holds(self, facts: Mapping[str, FactValue]) -> bool:
        value = facts[self.fact]
        if isinstance(value, frozenset):
            ok = bool(value) and value <= self.values if self.only else not value.isdisjoint(self.values)
        else:
            ok = value in self.values
        return ok is not self.negate


@dataclass(frozen=True, slots=True)
class Condition:
    """All of ``tests`` hold; or, when ``alternatives`` are given (a ``when`` list), any one of them does."""

    tests: tuple[Test, ...] = ()
    alternatives: tuple[Condition, ...] = ()

    def holds(self, facts: Mapping[str, FactValue]) -> bool:
        # Plain loops: the situation-space walk evaluates conditions millions of times.
        if self.alternatives:
            for alternative in self.alternatives:  # noqa: SIM110
                if alternative.holds(facts):
                    return True
            return False
        for test in self.tests:  # noqa: SIM110
            if not test.holds(facts):
                return False
        return True

    @property
    def always(self) -> bool:
        return not self.tests and not self.alternatives

    def branches(self) -> tuple[Condition, ...]:
        """The alternatives, or the condition itself when it has none."""
        return self.alternatives or (self,)

    def facts(self) -> frozenset[str]:
        return frozenset(t.fact for branch in self.branches() for t in branch.tests)


ALWAYS = Condition()


def parse_condition(
    when: Any, facts: Mapping[str, Fact], owner: str, stage: str = "advice"
) -> Condition:
    """A row's ``when`` table as a :class:`Condition`, checked against the declared facts."""
    if not isinstance(when, dict):
        raise DataError(f"{owner}: 'when' must be a table of tests, got {when!r}")
    known = TABLE_STAGES[stage]
    tests = []
    for key, raw in when.items():
        negate = key.startswith("not_")
        name = key.removeprefix("not_")
        only = name.endswith("_only")
        name = name.removesuffix("_only")
        fact = facts.get(name)
        if fact is None:
            raise DataError(f"{owner}: unknown fact {key!r} in 'when'")
        if name in DERIVED_FACTS and name not in known:
            raise DataError(f"{owner}: {name!r} is not known yet when the {stage} rows are read")
        if only and fact.kind != "set":
            raise DataError(f"{owner}: '{key}' needs a fact with several values at once")
        values = raw if isinstance(raw, list) else [raw]
        if not values:
            raise DataError(f"{owner}: '{key}' lists no value")
        for value in values:
            if fact.kind == "bool":
                if not isinstance(value, bool):
                    raise DataError(f"{owner}: '{key}' is true or false, not {value!r}")
            elif not isinstance(value, str) or value not in fact.values:
                raise DataError(f"{owner}: '{key}' has no value {value!r} (known: {sorted(fact.values)})")
        tests.append(Test(name, frozenset(values), negate=negate, only=only))
    return Condition(tuple(tests))


def describe_condition(condition: Condition, facts: Mapping[str, Fact]) -> str:
    """The condition in words, for the page that shows how the calculator decides."""
    if condition.always:
        return "In every other case"
    if condition.alternatives:
        return " — or — ".join(describe_condition(branch, facts) for branch in condition.alternatives)
    parts = []
    for test in condition.tests:
        fact = facts[test.fact]
        if fact.kind == "bool":
            (value,) = test.values
            parts.append(fact.word(bool(value) != test.negate))
            continue
        order = list(fact.values)
        words = " or ".join(fact.word(str(v)) for v in sorted(test.values, key=lambda v: order.index(str(v))))
        if fact.kind == "set":
            if test.only:
                text = f"{fact.label.lower()}: only {words}"
            else:
                text = f"{fact.label.lower()}: {'none of ' if test.negate else ''}{words}"
            parts.append(text if not (test.only and test.negate) else f"not ({text})")
        else:
            parts.append(f"{fact.label.lower()}: {'not ' if test.negate else ''}{words}")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]

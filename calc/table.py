"""The decision table (calc/data/decisions.toml) as frozen, self-validating rows.

Each row is a condition (calc/conditions.py), an outcome, its citations and a check record. The rows are
read by one interpreter, calc/decide.py; this module only holds and validates them. Cross-references
(regimen ids, reference keys) are checked with the rest of the data in :class:`~calc.model.Guideline`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .conditions import Condition, Fact
from .errors import DataError
from .model import Check

ACTIONS: tuple[str, ...] = ("treat", "consider_treatment", "test_first", "no_treatment", "refer")
#: A review visit's actions (and refer, shared with the first visit).
REVIEW_ACTIONS: tuple[str, ...] = ("continue", "change", "stop", "refer")
#: Actions with a regimen: the plan rows name one, and a prescription line follows.
TREATING: frozenset[str] = frozenset({"treat", "consider_treatment", "continue", "change"})
ROUTE_KINDS: tuple[str, ...] = ("safety", "preference", "leaning", "default")
COURSE_KINDS: tuple[str, ...] = ("lifelong", "indefinite", "review", "ends")
#: What a next step tells the clinician to do (for the consistency checks): start or continue treatment,
#: decide by a test, no B12 treatment, refer, or a test or advice that goes with any action.
STANCES: tuple[str, ...] = ("treat", "test", "no_treatment", "refer", "neutral")


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise DataError(message)


@dataclass(frozen=True, slots=True)
class Row:
    """What every row has: an identifier, when it applies, its citations and its check record."""

    code: str
    when: Condition
    refs: tuple[str, ...]
    check: Check | None

    def validate(self, table: str) -> None:
        _require(bool(self.refs), f"{table} row {self.code}: cites no reference")
        _require(len(set(self.refs)) == len(self.refs), f"{table} row {self.code}: cites a reference twice")
        _require(self.check is not None, f"{table} row {self.code}: has no check record")


@dataclass(frozen=True, slots=True)
class RouteRow(Row):
    route: str
    kind: str
    text: str

    def __post_init__(self) -> None:
        self.validate("route")
        _require(self.route in ("oral", "im", "either"), f"route row {self.code}: bad route {self.route!r}")
        _require(self.kind in ROUTE_KINDS, f"route row {self.code}: bad kind {self.kind!r}")


@dataclass(frozen=True, slots=True)
class NoteRow(Row):
    """A row whose outcome is a sentence (route-preference notes)."""

    text: str

    def __post_init__(self) -> None:
        self.validate("note")
        _require(bool(self.text.strip()), f"row {self.code}: needs text")


@dataclass(frozen=True, slots=True)
class ActionRow(Row):
    action: str
    text: str = ""  # empty: the lab result's own reading is the reason
    status_label: str = ""  # replaces the lab status's words in the plan's title, when set

    def __post_init__(self) -> None:
        self.validate("action")
        _require(self.action in ACTIONS, f"action row {self.code}: unknown action {self.action!r}")


@dataclass(frozen=True, slots=True)
class ReviewActionRow(Row):
    """At a review visit: what to do next, and the route to go on with ('same': the current one)."""

    action: str
    text: str
    route: str = "same"
    status_label: str = ""

    def __post_init__(self) -> None:
        self.validate("review action")
        who = f"review action row {self.code}"
        _require(self.action in REVIEW_ACTIONS, f"{who}: unknown action {self.action!r}")
        _require(self.route in ("same", "oral", "im"), f"review action row {self.code}: bad route")


@dataclass(frozen=True, slots=True)
class PlanRow(Row):
    regimen: str
    alternatives: tuple[str, ...]
    text: str

    @property
    def guidance(self) -> str:
        """The guidance the row belongs to: every plan row (each of its alternatives) names exactly one."""
        test = next(t for t in self.when.branches()[0].tests if t.fact == "guidance")
        return str(next(iter(test.values)))

    def __post_init__(self) -> None:
        self.validate("plan")
        who = f"plan row {self.code}"
        _require(self.regimen not in self.alternatives, f"{who}: its regimen is an alternative")
        _require(
            len(set(self.alternatives)) == len(self.alternatives), f"{who}: repeated alternative"
        )


@dataclass(frozen=True, slots=True)
class CourseRow(Row):
    kind: str
    text: str  # replaces the open duration of the plan's last phase ("for life", "until ...")
    reason: str

    def __post_init__(self) -> None:
        self.validate("course")
        _require(self.kind in COURSE_KINDS, f"course row {self.code}: unknown kind {self.kind!r}")
        _require(
            ("for life" in self.text) == (self.kind == "lifelong"),
            f"course row {self.code}: 'for life' is the wording of a lifelong course, and only of it",
        )


@dataclass(frozen=True, slots=True)
class StepRow(Row):
    stance: str
    text: str
    #: The fact whose result this step asks for and a review visit takes (e.g. intrinsic factor antibodies),
    #: so the plan can offer the review when the result is back; "" for none. Checked against the facts
    #: when the data load.
    results_for: str = ""

    def __post_init__(self) -> None:
        self.validate("next step")
        _require(self.stance in STANCES, f"next step {self.code}: unknown stance {self.stance!r}")


@dataclass(frozen=True, slots=True)
class ReviewRow(Row):
    text: str
    months: int | None = None

    def __post_init__(self) -> None:
        self.validate("review")
        _require(self.months is None or 1 <= self.months <= 12, f"review row {self.code}: months 1-12")


@dataclass(frozen=True, slots=True)
class DecisionTable:
    facts: Mapping[str, Fact]
    route: tuple[RouteRow, ...]
    route_preference: tuple[NoteRow, ...]
    action: tuple[ActionRow, ...]
    review_action: tuple[ReviewActionRow, ...]
    plan: tuple[PlanRow, ...]
    course: tuple[CourseRow, ...]
    next_step: tuple[StepRow, ...]
    review: tuple[ReviewRow, ...]
    wording: Mapping[str, str]
    # The plan rows of each guidance, in order: the walk of the situation space asks for them millions of
    # times (decide.plan_row).
    _plan_by_guidance: dict[str, tuple[PlanRow, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        needed = {"alternative_oral", "alternative_im", "alternative_same_route", "other_guidance"}
        missing = (needed | {"sources_uk", "sources_us"}) - set(self.wording)
        _require(not missing, f"wording: missing {sorted(missing)}")
        for name in ("route", "action", "course", "review"):
            rows = getattr(self, name)
            _require(bool(rows) and rows[-1].when.always, f"{name}: the last row must hold always")
            codes = [r.code for r in rows]
            _require(len(set(codes)) == len(codes), f"{name}: duplicate row code")
        guidances = tuple(self.facts["guidance"].values)
        by_guidance = {g: tuple(r for r in self.plan if r.guidance == g) for g in guidances}
        object.__setattr__(self, "_plan_by_guidance", by_guidance)
        for guidance, rows in by_guidance.items():
            _require(bool(rows), f"plan: no row for guidance {guidance!r}")
            last = rows[-1].when.branches()[0].tests
            _require(
                len(last) == 1 and last[0].fact == "guidance",
                f"plan: the last {guidance} row must test nothing but the guidance",
            )
        for row in self.plan:
            named: set[str | bool] = set()
            for branch in row.when.branches():
                tests = [t for t in branch.tests if t.fact == "guidance"]
                _require(
                    len(tests) == 1 and len(tests[0].values) == 1 and not tests[0].negate,
                    f"plan row {row.code}: must name exactly one guidance (in each of its alternatives)",
                )
                named |= tests[0].values
            _require(len(named) == 1, f"plan row {row.code}: its alternatives name different guidance")
        last = self.review_action[-1].when.tests if self.review_action else ()
        _require(
            [(t.fact, t.values, t.negate) for t in last] == [("visit", frozenset({"review"}), False)],
            "review_action: the last row must hold for every review visit (when = { visit = \"review\" })",
        )
        for name in ("plan", "next_step", "route_preference", "review_action"):
            codes = [r.code for r in getattr(self, name)]
            _require(len(set(codes)) == len(codes), f"{name}: duplicate row code")

    def plan_rows(self, guidance: str) -> tuple[PlanRow, ...]:
        """The plan rows of ``guidance``, in the table's order."""
        return self._plan_by_guidance[guidance]

    def rows(self) -> tuple[tuple[str, tuple[Row, ...]], ...]:
        """Every table with its rows, in the order the decision chain reads them."""
        return (
            ("route", self.route),
            ("route_preference", self.route_preference),
            ("action", self.action),
            ("review_action", self.review_action),
            ("plan", self.plan),
            ("course", self.course),
            ("next_step", self.next_step),
            ("review", self.review),
        )

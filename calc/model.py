"""Frozen, self-validating dataclasses for the guideline data in ``calc/data/*.toml``.

Each class checks its own invariants in ``__post_init__`` and raises :class:`DataError`, so a malformed
data file fails when the package loads, never halfway through a calculation. Cross-references (every
cited key exists) are checked once for the whole :class:`Guideline`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

from .conditions import ALWAYS, Condition
from .errors import DataError

if TYPE_CHECKING:
    from .table import DecisionTable

Verification = Literal["V", "S", "R"]
Route = Literal["oral", "im"]
IntervalUnit = Literal["day", "week", "month"]
OpenDuration = Literal[
    "indefinite", "lifelong", "until_no_further_improvement", "until_remission", "until_blood_count_normal"
]

# Reader-facing wording of a verification status (badges, result cards, the References page).
VERIFICATION_LABELS: dict[str, str] = {
    "V": "Checked against the source",
    "S": "Secondary source",
    "R": "Not confirmed",
}
# What each status means, for tooltips and the "How this content is checked" page.
VERIFICATION_MEANINGS: dict[str, str] = {
    "V": "confirmed in a stored copy of the primary source (guideline, product information, paper)",
    "S": "confirmed only in a secondary copy (a summary, laboratory page or society page quoting the source)",
    "R": "not confirmed in any stored copy that could be read",
}
# How a reference entry itself was read (its facts carry their own checks).
REFERENCE_READ_LABELS: dict[str, str] = {
    "V": "read in its own text",
    "S": "read as quoted elsewhere",
    "R": "not read in a stored copy",
}
MAX_QUOTE_WORDS = 25
EVIDENCE_TYPES: dict[str, str] = {
    "guideline": "Guideline",
    "formulary": "Formulary",
    "product_label": "Product label",
    "systematic_review": "Systematic review",
    "rct": "Randomised controlled trial",
    "cohort": "Cohort study",
    "review": "Review",
    "consensus": "Expert consensus",
    "expert_opinion": "Expert opinion",
    "reference_values": "Reference values",
    "web_summary": "Web summary",
    "safety_update": "Regulatory safety update",
    "source_article": "Source article (AI-generated)",
}
JURISDICTIONS = ("UK", "US", "EU", "NL", "international")
OPEN_DURATIONS: tuple[str, ...] = (
    "indefinite",
    "lifelong",
    "until_no_further_improvement",
    "until_remission",
    "until_blood_count_normal",
)
# Open durations that end on a clinical event, so another phase may follow them.
OPEN_UNTIL: tuple[str, ...] = ("until_no_further_improvement", "until_remission", "until_blood_count_normal")
INTERVAL_UNITS: tuple[str, ...] = ("day", "week", "month")


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise DataError(message)


def _require_refs(owner: str, refs: tuple[str, ...]) -> None:
    _require(len(refs) > 0, f"{owner}: cites no reference")
    _require(len(set(refs)) == len(refs), f"{owner}: cites a reference twice")


@dataclass(frozen=True, slots=True)
class Check:
    """How one fact was verified: its status, the reference it was checked against, the stored copy read,
    a short quote from it and the date. ``R`` (not confirmed) needs a note saying why."""

    status: Verification
    source: str
    checked: str
    url: str = ""
    quote: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        who = f"check against {self.source!r}"
        _require(self.status in VERIFICATION_LABELS, f"{who}: status must be V, S or R")
        _require(bool(self.source), "check: needs a source reference key")
        try:
            date.fromisoformat(self.checked)
        except (TypeError, ValueError):
            raise DataError(f"{who}: checked must be an ISO date, not {self.checked!r}") from None
        _require(
            len(self.quote.split()) <= MAX_QUOTE_WORDS,
            f"{who}: quote longer than {MAX_QUOTE_WORDS} words: {self.quote[:60]!r}",
        )
        _require(not self.url or self.url.startswith(("http://", "https://")), f"{who}: URL must be http(s)")
        if self.status in ("V", "S"):
            _require(bool(self.url and self.quote), f"{who}: a confirmed fact needs the URL read and a quote")
        else:
            _require(bool(self.note), f"{who}: an unconfirmed fact needs a note saying why")

    @property
    def checked_date(self) -> date:
        return date.fromisoformat(self.checked)

    def as_dict(self) -> dict[str, object]:
        return {
            "status": self.status,
            "label": VERIFICATION_LABELS[self.status],
            "source": self.source,
            "url": self.url or None,
            "quote": self.quote or None,
            "checked": self.checked,
            "note": self.note or None,
        }


def weakest(checks: list[Check | None] | tuple[Check | None, ...]) -> Verification | None:
    """The weakest status among some checks (R < S < V); None when there are none."""
    statuses = [c.status for c in checks if c is not None]
    order: tuple[Verification, ...] = ("R", "S", "V")
    for status in order:
        if status in statuses:
            return status
    return None


@dataclass(frozen=True, slots=True)
class Reference:
    key: str
    number: int
    authors: str
    title: str
    publisher: str
    year: int
    evidence: str
    jurisdiction: str
    verification: Verification
    note: str
    doi: str = ""
    url: str = ""
    seed: str = ""
    superseded: str = ""  # what replaced it, when the source is historical
    checked: str = ""  # ISO date the entry was last checked against a stored copy

    def __post_init__(self) -> None:
        who = f"reference {self.key!r}"
        if self.checked:
            try:
                date.fromisoformat(self.checked)
            except ValueError:
                raise DataError(f"{who}: checked must be an ISO date") from None
        _require(bool(self.key) and self.key == self.key.strip().lower(), f"{who}: key must be lower case")
        _require(self.number >= 1, f"{who}: numbers start at 1")
        _require(bool(self.authors and self.title and self.publisher), f"{who}: authors/title/publisher")
        _require(self.year == 0 or 1900 <= self.year <= 2100, f"{who}: implausible year {self.year}")
        _require(self.evidence in EVIDENCE_TYPES, f"{who}: unknown evidence type {self.evidence!r}")
        _require(self.jurisdiction in JURISDICTIONS, f"{who}: unknown jurisdiction {self.jurisdiction!r}")
        _require(self.verification in VERIFICATION_LABELS, f"{who}: verification must be V, S or R")
        _require(bool(self.doi or self.url), f"{who}: needs a DOI or a URL")
        _require(not self.url or self.url.startswith(("http://", "https://")), f"{who}: URL must be http(s)")
        _require(not self.doi or self.doi.startswith("10."), f"{who}: DOI must start with '10.'")

    @property
    def link(self) -> str:
        """Where a reader can find the source: the DOI resolver when there is a DOI, else the URL."""
        return f"https://doi.org/{self.doi}" if self.doi else self.url

    def as_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "number": self.number,
            "authors": self.authors,
            "title": self.title,
            "publisher": self.publisher,
            "year": self.year or None,
            "doi": self.doi or None,
            "url": self.url or None,
            "link": self.link,
            "evidence": self.evidence,
            "evidence_label": EVIDENCE_TYPES[self.evidence],
            "jurisdiction": self.jurisdiction,
            "verification": self.verification,
            "verification_label": REFERENCE_READ_LABELS[self.verification],
            "seed_citation": self.seed or None,
            "note": self.note,
            "superseded": self.superseded or None,
            "checked": self.checked or None,
        }


@dataclass(frozen=True, slots=True)
class Band:
    """NICE's three bands for one first-line test: below ``deficient_below`` is deficient, above
    ``unlikely_above`` is unlikely, and both edges belong to the indeterminate middle band."""

    test: str
    label: str
    unit: str
    deficient_below: float
    unlikely_above: float
    source: str
    refs: tuple[str, ...]
    check: Check | None = None

    def __post_init__(self) -> None:
        _require(self.test in ("total_b12", "active_b12"), f"band: unknown test {self.test!r}")
        _require(0 < self.deficient_below < self.unlikely_above, f"band {self.test}: edges out of order")
        _require_refs(f"band {self.test}", self.refs)

    def classify(self, value: float) -> str:
        if value < self.deficient_below:
            return "deficient"
        if value > self.unlikely_above:
            return "unlikely"
        return "indeterminate"


@dataclass(frozen=True, slots=True)
class Limit:
    """A plausibility limit for one numeric input, in the field's canonical unit."""

    field: str
    unit: str
    rationale: str
    refs: tuple[str, ...]
    min: float | None = None
    min_exclusive: float | None = None
    max: float | None = None
    check: Check | None = None

    def __post_init__(self) -> None:
        _require((self.min is None) != (self.min_exclusive is None), f"limit {self.field}: one lower bound")
        _require(self.max is not None, f"limit {self.field}: needs a max")
        _require(bool(self.rationale), f"limit {self.field}: needs a rationale")

    @property
    def lower(self) -> float:
        value = self.min if self.min is not None else self.min_exclusive
        assert value is not None
        return value

    def admits(self, value: float) -> bool:
        assert self.max is not None
        if self.min_exclusive is not None and value <= self.min_exclusive:
            return False
        if self.min is not None and value < self.min:
            return False
        return value <= self.max


@dataclass(frozen=True, slots=True)
class Cause:
    code: str
    label: str
    malabsorption: bool
    text: str
    refs: tuple[str, ...]
    # False where the cause, on its own, does not account for a deficiency (Crohn's without a long ileal
    # resection; 'unknown'): the deficiency is then treated as possible malabsorption.
    explains_deficiency: bool = True
    check: Check | None = None


@dataclass(frozen=True, slots=True)
class Amount:
    """A dose in micrograms: ``max == min`` is a fixed dose, ``max > min`` a range, and ``max is None``
    means "at least ``min``" (NICE's "at least 1 mg a day")."""

    min: float
    max: float | None = None

    def __post_init__(self) -> None:
        _require(math.isfinite(self.min) and self.min > 0, "dose: min must be a positive number of ug")
        _require(self.max is None or self.max >= self.min, "dose: max must not be below min")

    def as_dict(self) -> dict[str, float | None]:
        return {"min": self.min, "max": self.max}


@dataclass(frozen=True, slots=True)
class Span:
    """An interval or a finite duration: ``n`` (to ``n_max``) units."""

    n: int
    unit: IntervalUnit
    n_max: int | None = None

    def __post_init__(self) -> None:
        _require(self.unit in INTERVAL_UNITS, f"span: unknown unit {self.unit!r}")
        _require(self.n >= 1, "span: n must be at least 1")
        _require(self.n_max is None or self.n_max > self.n, "span: n_max must exceed n")

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"n": self.n, "unit": self.unit}
        if self.n_max is not None:
            out["n_max"] = self.n_max
        return out


@dataclass(frozen=True, slots=True)
class Phase:
    name: str
    dose_ug: Amount
    duration: Span | OpenDuration
    every: Span | None = None
    times_per_interval: int = 1
    total_dose_ug: Amount | None = None
    check: Check | None = None

    def __post_init__(self) -> None:
        _require(
            self.every is not None or self.total_dose_ug is not None,
            f"phase {self.name}: needs an interval (or a total given in divided doses)",
        )
        _require(self.times_per_interval >= 1, f"phase {self.name}: times_per_interval >= 1")
        _require(
            isinstance(self.duration, Span) or self.duration in OPEN_DURATIONS,
            f"phase {self.name}: bad duration {self.duration!r}",
        )

    @property
    def is_finite(self) -> bool:
        return isinstance(self.duration, Span)

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "dose_ug": self.dose_ug.as_dict(),
            "every": self.every.as_dict() if self.every else None,
            "times_per_interval": self.times_per_interval,
            "duration": self.duration.as_dict() if isinstance(self.duration, Span) else self.duration,
            "total_dose_ug": self.total_dose_ug.as_dict() if self.total_dose_ug else None,
        }


@dataclass(frozen=True, slots=True)
class Regimen:
    id: str
    label: str
    source: str
    whose: str
    jurisdiction: str
    drug: str
    route: Route
    population: Literal["adult", "child"]
    primary: bool
    verification: Verification
    refs: tuple[str, ...]
    phases: tuple[Phase, ...]
    note: str = ""
    neuro: bool | None = None
    causes: tuple[str, ...] = ()
    malabsorption_only: bool = False
    #: Shown only after an ileal resection that is long or of unknown length.
    after_long_resection: bool = False
    check: Check | None = None
    for_comparison: bool = False  # shown so readers can compare (source-article figures, historical labels)
    #: False for figures kept on the site only as errata of the article the site started from: the
    #: calculator never lists them beside a plan.
    in_calculator: bool = True

    def __post_init__(self) -> None:
        who = f"regimen {self.id}"
        _require(self.route in ("oral", "im"), f"{who}: route must be oral or im")
        _require(self.population in ("adult", "child"), f"{who}: population must be adult or child")
        _require(self.jurisdiction in JURISDICTIONS, f"{who}: unknown jurisdiction")
        _require(self.verification in VERIFICATION_LABELS, f"{who}: verification must be V, S or R")
        _require_refs(who, self.refs)
        _require(self.source in self.refs, f"{who}: its source must be among its refs")
        _require(len(self.phases) >= 1, f"{who}: needs at least one phase")
        _require(all(p.is_finite for p in self.phases[:-1]) or self._open_loading_ok(), f"{who}: phase order")
        # Safety policy: an unverified (recall) regimen, or a children's one, is never recommended.
        _require(not (self.primary and self.verification == "R"), f"{who}: an R regimen cannot be primary")
        _require(not (self.primary and self.population == "child"), f"{who}: child regimens aren't primary")
        derived = weakest(self.checks)
        _require(
            derived is None or derived == self.verification,
            f"{who}: verification {self.verification} differs from its facts' checks ({derived})",
        )

    def _open_loading_ok(self) -> bool:
        # Only a phase that ends on a clinical event ("until no further improvement") may be followed.
        return all(p.is_finite or p.duration in OPEN_UNTIL for p in self.phases[:-1])

    @property
    def checks(self) -> tuple[Check | None, ...]:
        """The checks its verification rests on: its phases' when every phase has one (the numbers), else its
        own (the regimen as a whole)."""
        if all(p.check is not None for p in self.phases):
            return tuple(p.check for p in self.phases)
        return (self.check,)


@dataclass(frozen=True, slots=True)
class Advice:
    """A monitoring item, warning or caveat: coded text with citations and what triggers it."""

    code: str
    text: str
    refs: tuple[str, ...]
    title: str = ""
    when: Condition = ALWAYS
    severity: str = "info"
    check: Check | None = None
    #: Holds for (almost) every treated patient: collapsed with the standing cautions, not repeated in the
    #: plan's own cautions.
    standing: bool = False

    def __post_init__(self) -> None:
        _require_refs(f"advice {self.code}", self.refs)
        _require(self.severity in ("urgent", "caution", "info"), f"advice {self.code}: bad severity")


@dataclass(frozen=True, slots=True)
class Assumption:
    """What the plan takes for a request field left blank (``field``), told to the reader as a caution."""

    field: str
    advice: Advice


@dataclass(frozen=True, slots=True)
class PlanPolicy:
    """Settings of the plan (calc/plan.py) that are data, not logic."""

    open_loading_reassess_weeks: int
    very_high_total_b12_ng_per_l: float
    long_ileal_resection_cm: float
    long_ileal_resection_refs: tuple[str, ...]

    def __post_init__(self) -> None:
        _require_refs("plan", self.long_ileal_resection_refs)
        _require(self.long_ileal_resection_cm > 0, "plan: the long resection threshold must be positive")
        _require(1 <= self.open_loading_reassess_weeks <= 12, "plan: reassess after 1-12 weeks")
        _require(self.very_high_total_b12_ng_per_l > 0, "plan: very high B12 flag must be positive")


@dataclass(frozen=True, slots=True)
class DietaryReferenceValue:
    group: str
    refs: tuple[str, ...]
    us_rda_ug: float | None = None
    uk_rni_ug: float | None = None
    efsa_ai_ug: float | None = None
    check: Check | None = None


@dataclass(frozen=True, slots=True)
class RiskFactor:
    """One line of NICE's list of common risk factors (for the diagnosis page; not a calculator cause)."""

    group: str
    items: str
    refs: tuple[str, ...]
    check: Check | None = None

    def __post_init__(self) -> None:
        _require_refs(f"risk factor {self.group}", self.refs)


@dataclass(frozen=True, slots=True)
class Meta:
    content_version: str
    last_reviewed: str
    review_status: str
    bnf_version: str
    disclaimer: str
    scope: str
    nice_min_age_years: int


@dataclass(frozen=True, slots=True)
class Guideline:
    meta: Meta
    references: tuple[Reference, ...]
    molar_mass_g_per_mol: float
    conversion_refs: tuple[str, ...]
    bands: tuple[Band, ...]
    mma_default_upper_limit_umol_per_l: float
    mma_default_source: str
    mma_refs: tuple[str, ...]
    limits: tuple[Limit, ...]
    causes: tuple[Cause, ...]
    regimens: tuple[Regimen, ...]
    monitoring: tuple[Advice, ...]
    warnings: tuple[Advice, ...]
    caveats: tuple[Advice, ...]
    dietary_reference_values: tuple[DietaryReferenceValue, ...]
    plan: PlanPolicy
    decisions: DecisionTable
    conversion_check: Check | None = None
    mma_check: Check | None = None
    risk_factors: tuple[RiskFactor, ...] = ()
    assumptions: tuple[Assumption, ...] = ()
    _by_key: dict[str, Reference] = field(init=False, repr=False, compare=False)
    _causes_by_code: dict[str, Cause] = field(init=False, repr=False, compare=False)
    _bands_by_test: dict[str, Band] = field(init=False, repr=False, compare=False)
    _limits_by_field: dict[str, Limit] = field(init=False, repr=False, compare=False)
    _regimens_by_id: dict[str, Regimen] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        keys = [r.key for r in self.references]
        _require(len(set(keys)) == len(keys), "references: duplicate key")
        _require(
            [r.number for r in self.references] == list(range(1, len(keys) + 1)), "references: numbering"
        )
        object.__setattr__(self, "_by_key", {r.key: r for r in self.references})
        object.__setattr__(self, "_causes_by_code", {c.code: c for c in self.causes})
        object.__setattr__(self, "_bands_by_test", {b.test: b for b in self.bands})
        object.__setattr__(self, "_limits_by_field", {lim.field: lim for lim in self.limits})
        object.__setattr__(self, "_regimens_by_id", {r.id: r for r in self.regimens})
        for owner, refs in self._citations():
            unknown = [k for k in refs if k not in self._by_key]
            _require(not unknown, f"{owner}: cites unknown reference(s) {unknown}")
        for unique in (
            "bands", "limits", "causes", "regimens", "monitoring", "warnings"
        ):
            codes = [getattr(x, _ID_FIELD[unique]) for x in getattr(self, unique)]
            _require(len(set(codes)) == len(codes), f"{unique}: duplicate identifier")
        assumed = [a.advice for a in self.assumptions]
        untitled = [a.code for a in (*self.monitoring, *self.warnings, *assumed) if not a.title]
        _require(not untitled, f"monitoring/warnings/assumptions without a title: {untitled}")
        # An assumption joins the warnings of a result: its code must not be a warning's too.
        codes = [a.code for a in (*self.warnings, *assumed)]
        _require(len(set(codes)) == len(codes), "assumptions: a code already used by a warning or another")
        for owner, check in self.fact_checks():
            if check is not None:
                known = check.source in self._by_key
                _require(known, f"{owner}: check cites unknown reference {check.source!r}")
        cause_codes = {c.code for c in self.causes}
        for regimen in self.regimens:
            _require(set(regimen.causes) <= cause_codes, f"regimen {regimen.id}: unknown cause")
        self._check_decisions()

    def _check_decisions(self) -> None:
        """The decision table names only regimens that exist and may be recommended, of its own guidance."""
        regimens = {r.id: r for r in self.regimens}
        for row in self.decisions.plan:
            for regimen_id in (row.regimen, *row.alternatives):
                regimen = regimens.get(regimen_id)
                _require(regimen is not None, f"plan row {row.code}: unknown regimen {regimen_id!r}")
                assert regimen is not None
                _require(regimen.primary, f"plan row {row.code}: {regimen_id} may not be recommended")
                _require(
                    regimen.jurisdiction.lower() == row.guidance,
                    f"plan row {row.code}: {regimen_id} is not a regimen of {row.guidance} guidance",
                )

    def _citations(self) -> list[tuple[str, tuple[str, ...]]]:
        cited: list[tuple[str, tuple[str, ...]]] = [
            ("conversion", self.conversion_refs),
            ("mma", self.mma_refs),
        ]
        cited += [(f"band {b.test}", b.refs) for b in self.bands]
        cited += [(f"limit {lim.field}", lim.refs) for lim in self.limits]
        cited += [(f"cause {c.code}", c.refs) for c in self.causes]
        cited += [(f"regimen {r.id}", r.refs) for r in self.regimens]
        cited += [(f"advice {a.code}", a.refs) for a in (*self.monitoring, *self.warnings, *self.caveats)]
        cited += [(f"assumption {a.advice.code}", a.advice.refs) for a in self.assumptions]
        cited += [(f"reference values {d.group}", d.refs) for d in self.dietary_reference_values]
        cited += [(f"risk factor {f.group}", f.refs) for f in self.risk_factors]
        cited.append(("plan", self.plan.long_ileal_resection_refs))
        for table, rows in self.decisions.rows():
            cited += [(f"{table} row {r.code}", r.refs) for r in rows]
        return cited

    def fact_checks(self) -> list[tuple[str, Check | None]]:
        """Every fact in the data with its check (None where it has none), named for messages and counts."""
        facts: list[tuple[str, Check | None]] = [
            ("conversion", self.conversion_check),
            ("mma default limit", self.mma_check),
        ]
        facts += [(f"band {b.test}", b.check) for b in self.bands]
        facts += [(f"limit {lim.field}", lim.check) for lim in self.limits]
        facts += [(f"cause {c.code}", c.check) for c in self.causes]
        for r in self.regimens:
            facts.append((f"regimen {r.id}", r.check))
            facts += [(f"regimen {r.id} phase {p.name}", p.check) for p in r.phases if p.check is not None]
            _require(not (r.primary and r.for_comparison), f"{r.id}: comparison regimens are not primary")
        facts += [(f"monitoring {a.code}", a.check) for a in self.monitoring]
        facts += [(f"warning {a.code}", a.check) for a in self.warnings]
        facts += [(f"caveat {a.code}", a.check) for a in self.caveats]
        facts += [(f"assumption {a.advice.code}", a.advice.check) for a in self.assumptions]
        facts += [(f"reference values {d.group}", d.check) for d in self.dietary_reference_values]
        facts += [(f"risk factor {f.group}", f.check) for f in self.risk_factors]
        for table, rows in self.decisions.rows():
            facts += [(f"{table} row {r.code}", r.check) for r in rows]
        return facts

    def cited_keys(self) -> set[str]:
        """Every reference key the data cites anywhere."""
        return {key for _, refs in self._citations() for key in refs}

    def reference(self, key: str) -> Reference:
        return self._by_key[key]

    def band(self, test: str) -> Band:
        return self._bands_by_test[test]

    def limit(self, field_name: str) -> Limit:
        return self._limits_by_field[field_name]

    def cause(self, code: str) -> Cause:
        return self._causes_by_code[code]

    def regimen(self, regimen_id: str) -> Regimen:
        return self._regimens_by_id[regimen_id]


_ID_FIELD = {
    "bands": "test",
    "limits": "field",
    "causes": "code",
    "regimens": "id",
    "monitoring": "code",
    "warnings": "code",
}

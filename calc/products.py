"""Products and pharmacist checks (calc/data/products.toml): the prescription line of a plan.

A plan's regimen is served by one product of its guidance's country (the data's ``regimens``); the line
names it (generic name, form, strength, licence status), gives directions worked out from the regimen's
phases in the product's units ("Take ONE tablet daily", "1 mL by intramuscular injection 3 times a week
for 2 weeks, then ..."), the product's own directions, a first supply where a source gives one, the
counselling points, and the pharmacist checks attached to the product that hold for this patient.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from .conditions import ALWAYS, Condition, FactValue, parse_condition
from .errors import DataError
from .loader import load_guideline
from .model import Check, Guideline, Phase, Regimen
from .vocabulary import ROUTE_WORDS
from .wording import describe_duration, describe_interval

_NUMBERS = {1: "ONE", 2: "TWO", 3: "THREE", 4: "FOUR"}
_ROUTES = ROUTE_WORDS["full"]


@dataclass(frozen=True, slots=True)
class Product:
    id: str
    jurisdiction: str
    generic: str
    form: str
    strength_ug: float
    unit: str  # what one dose is measured in: tablet | mL
    route: str
    status: str
    regimens: tuple[str, ...]
    directions: str
    counselling: tuple[str, ...]
    refs: tuple[str, ...]
    check: Check
    brands: tuple[str, ...] = ()
    first_supply: str = ""

    def __post_init__(self) -> None:
        if self.strength_ug <= 0 or self.unit not in ("tablet", "mL") or self.route not in _ROUTES:
            raise DataError(f"product {self.id}: bad strength, unit or route")


@dataclass(frozen=True, slots=True)
class Interaction:
    id: str
    title: str
    text: str
    products: tuple[str, ...]
    refs: tuple[str, ...]
    check: Check
    when: Condition = ALWAYS


@dataclass(frozen=True, slots=True)
class Catalogue:
    products: tuple[Product, ...]
    interactions: tuple[Interaction, ...]
    # (regimen id, country) -> the first product that serves it: asked once per plan.
    _serving: dict[tuple[str, str], Product] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        serving: dict[tuple[str, str], Product] = {}
        for product in self.products:
            for regimen_id in product.regimens:
                serving.setdefault((regimen_id, product.jurisdiction), product)
        object.__setattr__(self, "_serving", serving)

    def product_for(self, regimen: Regimen) -> Product | None:
        """The product that serves the regimen in its own country."""
        return self._serving.get((regimen.id, regimen.jurisdiction))


def _check(table: Mapping[str, Any]) -> Check:
    return Check(**table)


def build_catalogue(data: Mapping[str, Any], guideline: Guideline) -> Catalogue:
    """The parsed products.toml, checked against the guideline (regimens, references, facts)."""
    keys = {r.key for r in guideline.references}
    regimens = {r.id: r for r in guideline.regimens}
    facts = guideline.decisions.facts
    try:
        products = tuple(
            Product(
                id=p["id"],
                jurisdiction=p["jurisdiction"],
                generic=p["generic"],
                form=p["form"],
                strength_ug=float(p["strength_ug"]),
                unit=p["unit"],
                route=p["route"],
                status=p["status"],
                regimens=tuple(p.get("regimens", ())),
                directions=p["directions"],
                counselling=tuple(p.get("counselling", ())),
                refs=tuple(p["refs"]),
                check=_check(p["check"]),
                brands=tuple(p.get("brands", ())),
                first_supply=p.get("first_supply", ""),
            )
            for p in data["products"]
        )
        interactions = tuple(
            Interaction(
                id=i["id"],
                title=i["title"],
                text=i["text"],
                products=tuple(i["products"]),
                refs=tuple(i["refs"]),
                check=_check(i["check"]),
                when=parse_condition(i.get("when", {}), facts, f"interaction {i['id']}"),
            )
            for i in data["interactions"]
        )
    except (KeyError, TypeError) as exc:
        raise DataError(f"products data is malformed: {exc!r}") from exc
    ids = {p.id for p in products}
    for product in products:
        unknown = [k for k in (*product.refs, product.check.source) if k not in keys]
        if unknown:
            raise DataError(f"product {product.id}: unknown reference(s) {unknown}")
        for regimen_id in product.regimens:
            regimen = regimens.get(regimen_id)
            if regimen is None or regimen.route != product.route:
                raise DataError(f"product {product.id}: regimen {regimen_id!r} unknown or of another route")
    for interaction in interactions:
        if not set(interaction.products) <= ids or not set(interaction.refs) <= keys:
            raise DataError(f"interaction {interaction.id}: unknown product or reference")
    return Catalogue(products, interactions)


@cache
def load_catalogue() -> Catalogue:
    text = resources.files("calc.data").joinpath("products.toml").read_text(encoding="utf-8")
    return build_catalogue(tomllib.loads(text), load_guideline())


def _units(phase: Phase, product: Product) -> str:
    """The dose in the product's units: 'ONE tablet', 'ONE to THREE tablets', '1 mL', '0.25 to 1 mL'."""
    low = phase.dose_ug.min / product.strength_ug
    high = phase.dose_ug.max / product.strength_ug if phase.dose_ug.max is not None else low
    if product.unit == "mL":
        amount = f"{low:g} mL" if low == high else f"{low:g} to {high:g} mL"
        return amount
    def word(n: float) -> str:
        return _NUMBERS.get(int(n), f"{n:g}") if n == int(n) else f"{n:g}"

    plural = "tablet" if high == 1 else "tablets"
    return f"{word(low)} {plural}" if low == high else f"{word(low)} to {word(high)} {plural}"


def dose_directions(
    regimen: Regimen, product: Product, course: str | None, maintenance_only: bool = False
) -> str:
    """Directions a patient can follow, phase by phase, in the product's units (only the last phase for a
    patient already on maintenance)."""
    parts = []
    phases = regimen.phases[-1:] if maintenance_only else regimen.phases
    for index, phase in enumerate(phases):
        if phase.every is None:
            return ""  # a total in divided doses: no line a patient can follow (children's label regimen)
        how = describe_interval(phase.every, phase.times_per_interval)
        last = index == len(phases) - 1
        open_end = isinstance(phase.duration, str) and last and course
        duration = course if open_end and course else describe_duration(phase)
        verb = "Take " if product.route == "oral" and index == 0 else ""
        route = f" {_ROUTES[product.route]}" if product.route == "im" and index == 0 else ""
        parts.append(" ".join(x for x in (f"{verb}{_units(phase, product)}{route}", how, duration) if x))
    return ", then ".join(parts)


@dataclass(frozen=True, slots=True)
class Prescription:
    product: Product
    directions: str
    checks: tuple[Interaction, ...]

    @property
    def line(self) -> str:
        """One line to dispense from: product and status, directions, first supply."""
        brand = f" ({', '.join(self.product.brands)})" if self.product.brands else ""
        supply = f" Supply: {self.product.first_supply}." if self.product.first_supply else ""
        return f"{self.product.generic}{brand}: {self.directions}.{supply}"

    def as_dict(self) -> dict[str, object]:
        product = self.product
        return {
            "product": product.generic,
            "brands": list(product.brands),
            "status": product.status,
            "directions": self.directions,
            "how_to_take": product.directions,
            "first_supply": product.first_supply or None,
            "line": self.line,
            "counselling": list(product.counselling),
            "checks": [{"title": c.title, "text": c.text, "refs": list(c.refs)} for c in self.checks],
            "refs": list(product.refs),
        }


def prescription_for(
    regimen: Regimen | None,
    course: str | None,
    facts: Mapping[str, FactValue],
    maintenance_only: bool = False,
) -> Prescription | None:
    if regimen is None:
        return None
    catalogue = load_catalogue()
    product = catalogue.product_for(regimen)
    if product is None:
        return None
    directions = dose_directions(regimen, product, course, maintenance_only)
    if not directions:
        return None
    checks = tuple(
        i for i in catalogue.interactions if product.id in i.products and i.when.holds(facts)
    )
    return Prescription(product, directions, checks)

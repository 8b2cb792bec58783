"""Render the guideline data as Markdown tables for the site. Pages include these files with
markdown-include, so a threshold, dose or reference is typed once, in ``calc/data``, and never again in
``docs/``. Build time only: this module is not in the calc wheel.

Citations are rendered as numbered links to the References page with the reference in the link title
(mkdocs-material shows it as a tooltip). Pages use the same :func:`cite` through the site's build hook.
"""

from __future__ import annotations

import html
import urllib.parse
from collections.abc import Callable, Iterable
from typing import Any

from calc.conditions import Condition, describe_condition
from calc.model import (
    EVIDENCE_TYPES,
    VERIFICATION_LABELS,
    VERIFICATION_MEANINGS,
    Check,
    Guideline,
    Reference,
    Regimen,
)
from calc.request import REQUEST_FIELDS
from calc.units import pmol_per_l_per_ng_per_l
from calc.wording import describe_phase

REFERENCES_PAGE = "references.md"


def anchor(key: str) -> str:
    return f"ref-{key}"


def tooltip(ref: Reference) -> str:
    year = f" ({ref.year})" if ref.year else ""
    superseded = f" Superseded by {ref.superseded}." if ref.superseded else ""
    kind = f"{EVIDENCE_TYPES[ref.evidence]}, {ref.jurisdiction}"
    text = f"{ref.authors}{year}. {ref.title}. {kind}.{superseded}"
    return text.replace('"', "'").replace("\n", " ")


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_date(iso: str) -> str:
    """'2026-11-29' -> '29 Nov 2026'."""
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{day} {_MONTHS[month - 1]} {year}"


def badge_label(check: Check) -> str:
    """The short visible label of a verification badge."""
    if check.status == "V":
        return f"Checked {short_date(check.checked)}"
    return VERIFICATION_LABELS[check.status]


def badge_title(check: Check, g: Guideline) -> str:
    """The badge's tooltip: what the status means, the source, the quote, the copy read and the date."""
    ref = g.reference(check.source)
    parts = [f"{VERIFICATION_LABELS[check.status]}: {VERIFICATION_MEANINGS[check.status]}."]
    parts.append(f"Source: [{ref.number}] {ref.authors}, {ref.title}.")
    if check.quote:
        parts.append(f"Quote: \u201c{check.quote}\u201d")
    if check.url:
        parts.append(f"Read at {urllib.parse.urlsplit(check.url).netloc}.")
    if check.note:
        parts.append(check.note)
    parts.append(f"Checked {short_date(check.checked)}.")
    return " ".join(parts)


def badge(check: Check | None, g: Guideline) -> str:
    """A compact verification badge (inline HTML) whose tooltip gives source, quote and date."""
    if check is None:
        return ""
    title = html.escape(badge_title(check, g), quote=True).replace("|", "&#124;")
    return (
        f'<span class="b12-check b12-check--{check.status.lower()}" title="{title}">'
        f"{badge_label(check)}</span>"
    )


def regimen_check(r: Regimen) -> Check | None:
    """The check a regimen's status rests on: the first of its checks with its (weakest) status."""
    return next((c for c in r.checks if c is not None and c.status == r.verification), None)


def cite(keys: Iterable[str], guideline: Guideline, page: str = REFERENCES_PAGE) -> str:
    """``[1] [4]``-style links, sorted by number; raises KeyError for an unknown key."""
    refs = sorted((guideline.reference(k) for k in keys), key=lambda r: r.number)
    return "".join(f'[\\[{r.number}\\]]({page}#{anchor(r.key)} "{tooltip(r)}")' for r in refs)


def cell(text: str) -> str:
    """Text safe inside one cell of a Markdown table."""
    return text.replace("|", "\\|").replace("\n", " ")


#: The class of the paragraph that names the table after it; site_build.pages turns it into the table's
#: <caption> (a Markdown table has no caption syntax). Further classes on it stay on the caption.
CAPTION_CLASS = "b12-caption"
#: A table whose rows stack into labelled blocks on a phone instead of scrolling sideways (extra.css).
STACKED = "b12-stack"


def caption(text: str, *classes: str) -> str:
    """The Markdown of a table's caption: a paragraph placed right before the table."""
    names = " ".join(f".{c}" for c in (CAPTION_CLASS, *classes))
    return f"{text}\n{{: {names} }}\n\n"


def _table(header: list[str], rows: Iterable[list[str]], title: str, *classes: str) -> str:
    """A Markdown table named by ``title`` (its caption: every data table has an accessible name), stacked
    on a phone: none of these tables is a grid whose columns must stay side by side."""
    classes = tuple(dict.fromkeys((*classes, STACKED)))
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return caption(title, *classes) + "\n".join(lines) + "\n"


def _num(value: float, places: int = 1) -> str:
    return f"{round(value, places):g}"


def lab_bands(g: Guideline) -> str:
    factor = pmol_per_l_per_ng_per_l(g.molar_mass_g_per_mol)
    rows = []
    for band in g.bands:

        def both(value: float, unit: str = band.unit, test: str = band.test) -> str:
            # Total B12 is reported in mass or molar units, so show both; active B12 only in pmol/L.
            return f"{value:g} {unit}" + (f" ({_num(value * factor)} pmol/L)" if test == "total_b12" else "")

        low, high = band.deficient_below, band.unlikely_above
        rows.append(
            [
                band.label,
                f"below {both(low)}",
                f"{both(low)} to {both(high)}",
                f"above {both(high)}",
                f"{band.source} {cite(band.refs, g)} {badge(band.check, g)}",
            ]
        )
    note = (
        f"\nBoth edges of the middle band count as indeterminate. pmol/L values are converted with a molar "
        f"mass of {g.molar_mass_g_per_mol:g} g/mol {cite(g.conversion_refs, g)} "
        f"{badge(g.conversion_check, g)} and rounded. "
        f"{g.meta.scope}\n"
    )
    return (
        _table(
            ["Test", "Deficiency confirmed", "Indeterminate", "Deficiency unlikely", "Source"],
            rows,
            "NICE's bands for total and active B12",
        )
        + note
    )


def unit_conversion(g: Guideline) -> str:
    factor = pmol_per_l_per_ng_per_l(g.molar_mass_g_per_mol)
    rows = [
        ["Total B12", "1 ng/L", "1 pg/mL", "same quantity"],
        [
            "Total B12",
            "1 ng/L",
            f"{factor:.4f} pmol/L",
            f"1000 / {g.molar_mass_g_per_mol:g} {cite(g.conversion_refs, g)}",
        ],
        ["Total B12", "1 pmol/L", f"{1 / factor:.4f} ng/L", f"{g.molar_mass_g_per_mol:g} / 1000"],
        ["MMA", "1 µmol/L", "1000 nmol/L", "SI prefixes"],
        ["Doses", "1 mg", "1000 µg (mcg)", "SI prefixes; the calculator stores every dose in µg"],
    ]
    return _table(["Quantity", "From", "Equals", "Basis"], rows, "Unit conversions")


def mma(g: Guideline) -> str:
    limit = g.mma_default_upper_limit_umol_per_l
    return (
        f"- **Default upper limit when the lab's is not given:** {limit:g} µmol/L ({limit * 1000:g} nmol/L). "
        f"{g.mma_default_source} {cite(g.mma_refs, g)} {badge(g.mma_check, g)}\n"
        f"- MMA above the upper limit confirms deficiency after an indeterminate total or active B12; "
        f"at or below it makes deficiency unlikely.\n"
    )


def _phases(regimen: Regimen, g: Guideline) -> str:
    # A phase gets its own badge only where the phases differ in status (the regimen's badge covers the rest).
    statuses = {p.check.status for p in regimen.phases if p.check is not None}
    mixed = len(statuses) > 1
    return "<br>".join(
        f"**{p.name}:** {describe_phase(p)}" + (f" {badge(p.check, g)}" if mixed else "")
        for p in regimen.phases
    )


def _regimen_row(r: Regimen, g: Guideline, with_causes: bool) -> list[str]:
    route = "oral" if r.route == "oral" else "IM"
    row = [
        f"**{r.label}**" + (f"<br>*{r.note}*" if r.note else ""),
        r.whose if r.jurisdiction in r.whose else f"{r.whose}; {r.jurisdiction}",
        f"{r.drug}, {route}",
        _phases(r, g),
        f"{badge(regimen_check(r), g)} {cite(r.refs, g)}",
    ]
    if with_causes:
        causes = ", ".join(g.cause(c).label for c in r.causes)
        if r.after_long_resection:
            causes += f" (more than {g.plan.long_ileal_resection_cm:g} cm resected)"
        row.insert(1, causes)
    return row


def regimens_adult(g: Guideline) -> str:
    # Figures kept in the data only to be named as unsourced (in_calculator false) are not regimens a
    # reader compares: the provenance page lists them (regimens_not_used).
    adult = [r for r in g.regimens if r.population == "adult" and r.in_calculator]
    general = [r for r in adult if not r.causes]
    specific = [r for r in adult if r.causes]
    head = ["Regimen", "Whose", "Drug and route", "Phases", "Evidence"]
    return (
        "### General adult regimens { #general-regimens }\n\n"
        + _table(head, (_regimen_row(r, g, False) for r in general), "General adult regimens", STACKED)
        + "\n### Regimens for a particular cause { #cause-regimens }\n\n"
        # Collapsed: the plan for each cause is in the calculator; this is the comparison behind it.
        + '<details markdown="1">\n'
        + f"<summary>{len(specific)} regimens, each for a cause or population</summary>\n\n"
        + _table(
            [*head[:1], "For", *head[1:]],
            (_regimen_row(r, g, True) for r in specific),
            "Adult regimens for a particular cause",
            STACKED,
        )
        + "\n</details>\n"
    )


def regimens_not_used(g: Guideline) -> str:
    """Figures the site's first source gave that no guideline, label or review gives: named, never shown as
    regimens (for the provenance page only)."""
    rows = [
        [f"**{r.label}**", "<br>".join(describe_phase(p) for p in r.phases), r.note]
        for r in g.regimens
        if not r.in_calculator
    ]
    return _table(["Figure", "Doses", "Why it is not used"], rows, "Figures not used", STACKED)


#: The common situations of an adult with a confirmed deficiency, and the request that describes each: the
#: Home and Treatment pages lead with the calculator's own UK plan for them (its headline, whose it is and
#: its sources), so a page cannot give a different dose from the calculator.
UK_PLAN_SITUATIONS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("No neurological symptoms; cause not yet known", {}),
    ("No neurological symptoms; injections preferred", {"route_preference": "im"}),
    ("Neurological symptoms (numbness, pins and needles, unsteadiness, memory changes)",
     {"neurological_symptoms": True}),
    ("Autoimmune gastritis (pernicious anaemia)", {"causes": ["autoimmune_gastritis"]}),
    ("Vegan diet", {"causes": ["vegan"]}),
    ("After bariatric surgery", {"causes": ["bariatric_surgery"]}),
)


def uk_plan(g: Guideline) -> str:
    """The calculator's UK plan for each common adult situation, deficiency confirmed."""
    from calc import evaluate

    low = g.band("total_b12")
    rows = []
    for situation, extra in UK_PLAN_SITUATIONS:
        # A total B12 just inside NICE's "deficient" band, in the band's own unit.
        request = {"guidance": "uk", "total_b12": low.deficient_below - 1, "total_b12_unit": low.unit}
        request.update(extra)
        plan = evaluate(request)["plan"]
        if plan["action"] != "treat" or not plan["headline"]:
            raise ValueError(f"uk-plan.md: {situation!r} gives no treatment plan ({plan['action']})")
        rows.append([f"**{situation}**", plan["headline"], f"{plan['whose']} {cite(plan['refs'], g)}"])
    return _table(
        ["Situation", "UK plan", "Whose"],
        rows,
        f"The UK plan for adults aged {g.meta.nice_min_age_years} and over with a confirmed deficiency",
        STACKED,
    )


def regimens_children(g: Guideline) -> str:
    head = ["Regimen", "Whose", "Drug and route", "Phases", "Evidence"]
    rows = (_regimen_row(r, g, False) for r in g.regimens if r.population == "child" and r.in_calculator)
    return _table(head, rows, "Children's regimens, for reference", STACKED) + f"\n{g.meta.scope}\n"


def populations(g: Guideline) -> str:
    rows = []
    for cause in g.causes:
        shown = [r.label for r in g.regimens if cause.code in r.causes and r.in_calculator]
        warnings = [w.title for w in g.warnings if _names_cause(w.when, cause.code)]
        monitoring = [m.title for m in g.monitoring if _names_cause(m.when, cause.code)]
        extra = "; ".join(x for x in (", ".join(warnings), ", ".join(monitoring)) if x)
        rows.append(
            [
                f"**{cause.label}**",
                cause.text + (f" {cite(cause.refs, g)}" if cause.refs else "") + f" {badge(cause.check, g)}",
                "<br>".join(shown) or "general options only",
                extra or "-",
            ]
        )
    return _table(
        [
            "Cause or population",
            "What the calculator does",
            "Extra regimens shown",
            "Extra warnings and monitoring",
        ],
        rows,
        "What each cause or population changes",
    )


def _names_cause(condition: Condition, code: str) -> bool:
    """The condition asks for this cause (not merely excludes it)."""
    return any(
        t.fact == "causes" and not t.negate and code in t.values
        for branch in condition.branches()
        for t in branch.tests
    )


def when(condition: Condition, g: Guideline) -> str:
    """A condition in words, as a clause ('when ...') for lists and tables."""
    text = describe_condition(condition, g.decisions.facts)
    return "always" if condition.always else text[:1].lower() + text[1:]


def route_reasons(g: Guideline) -> str:
    kind = {
        "safety": "safety reason",
        "preference": "stated preference",
        "leaning": "leaning (a stated preference overrides it)",
        "default": "shared decision",
    }
    route = g.decisions.facts["route"]
    rows = [
        [
            describe_condition(r.when, g.decisions.facts),
            route.word(r.route),
            kind[r.kind],
            f"{r.text} {cite(r.refs, g)} {badge(r.check, g)}",
        ]
        for r in g.decisions.route
    ]
    return (
        _table(["Situation", "Route", "Kind", "Why"], rows, "How the route is chosen")
        + "\nThe first row that applies decides; safety reasons come first, then a stated preference, then a "
        "leaning.\n"
    )


def _advice_list(items: Iterable[tuple[str, str, tuple[str, ...], str, str]], g: Guideline) -> str:
    return "".join(
        f"- **{title}** ({when}): {text} {cite(refs, g)} {mark}\n" for title, text, refs, when, mark in items
    )


def monitoring(g: Guideline) -> str:
    reviews = [r for r in g.decisions.review if r.months is not None]
    intro = "".join(f"- {r.text} {cite(r.refs, g)} {badge(r.check, g)}\n" for r in reviews) + "\n"
    items = ((m.title, m.text, m.refs, when(m.when, g), badge(m.check, g)) for m in g.monitoring)
    return intro + _advice_list(items, g)


def warnings(g: Guideline) -> str:
    rows = [
        [
            w.severity,
            f"**{w.title}.** {w.text} {cite(w.refs, g)} {badge(w.check, g)}",
            when(w.when, g),
        ]
        for w in g.warnings
    ]
    return _table(["Severity", "Warning", "Shown by the calculator"], rows, "Warnings the calculator shows")


def caveats(g: Guideline) -> str:
    return "".join(f"- {c.text} {cite(c.refs, g)} {badge(c.check, g)}\n" for c in g.caveats)


def dietary_reference_values(g: Guideline) -> str:
    def cell(value: float | None) -> str:
        return "-" if value is None else f"{value:g} µg"

    rows = [
        [
            d.group,
            cell(d.us_rda_ug),
            cell(d.uk_rni_ug),
            cell(d.efsa_ai_ug),
            f"{cite(d.refs, g)} {badge(d.check, g)}",
        ]
        for d in g.dietary_reference_values
    ]
    return _table(["Group", "US RDA", "UK RNI", "EFSA AI", "Sources"], rows, "Dietary reference values")


def references(g: Guideline) -> str:
    blocks = []
    # The article the site began from is no source of any fact: the provenance page names it instead.
    for r in g.references:
        if r.evidence == "source_article":
            continue
        year = f", {r.year}" if r.year else ""
        doi = f" doi:[{r.doi}]({r.link})" if r.doi else f" [{r.url}]({r.url})"
        facets = [EVIDENCE_TYPES[r.evidence], r.jurisdiction]
        if r.checked:
            facets.append(f"checked {short_date(r.checked)}")
        if r.superseded:
            facets.append(f"**Superseded** by {r.superseded}")
        blocks.append(
            f"**\\[{r.number}\\]** {r.authors}. *{r.title}*. {r.publisher}{year}.{doi}<br>"
            f"{' · '.join(facets)}. {r.note}\n"
            f"{{ #{anchor(r.key)} .b12-reference }}\n"
        )
    return "\n".join(blocks)


def risk_factors(g: Guideline) -> str:
    rows = [[f"**{f.group}**", f"{f.items} {cite(f.refs, g)} {badge(f.check, g)}"] for f in g.risk_factors]
    return _table(["Group", "Common risk factors (NICE NG239)"], rows, "Risk factors (NICE NG239)")


def verification_summary(g: Guideline) -> str:
    """How many facts have each status, and the ones not confirmed (for 'How this content is checked')."""
    facts = [(name, c) for name, c in g.fact_checks() if c is not None]
    counts = {s: sum(1 for _, c in facts if c.status == s) for s in ("V", "S", "R")}
    rows = [[VERIFICATION_LABELS[s], VERIFICATION_MEANINGS[s], str(counts[s])] for s in ("V", "S", "R")]
    unconfirmed = [[fact_label(name, g), c.note] for name, c in facts if c.status == "R"]
    return (
        _table(["Status", "Meaning", "Facts"], rows, "Facts by status")
        + f"\n{len(facts)} facts in all, each checked on the date its badge shows.\n\n"
        + "### Not confirmed, and why { #not-confirmed-list }\n\n"
        + _table(["Fact", "Why it is not confirmed"], unconfirmed, "Facts not confirmed, and why")
    )


def fact_label(name: str, g: Guideline) -> str:
    """A fact's name for readers ('regimen bnfc-hydroxocobalamin' -> its label): no internal id on a page."""
    kind, _, key = name.partition(" ")
    if kind == "limit":
        field = next((f for f in REQUEST_FIELDS if f.name == key), None)
        return f"Input limit: {field.label if field else key.replace('_', ' ')}"
    if kind == "regimen":
        regimen_id, _, phase = key.partition(" phase ")
        label = g.regimen(regimen_id).label
        return f"{label}, phase {phase}" if phase else label
    advice = {a.code: a for a in (*g.monitoring, *g.warnings, *g.caveats)}
    if kind in ("caveat", "warning", "monitoring") and key in advice:
        return advice[key].title or advice[key].text
    return name.replace("_", " ").replace("-", " ").capitalize()


def plausibility_limits(g: Guideline) -> str:
    def bound(value: float | None, exclusive: bool) -> str:
        return "-" if value is None else ("more than " if exclusive else "") + f"{value:g}"

    rows = []
    for lim in g.limits:
        lower = bound(lim.min_exclusive, True) if lim.min_exclusive is not None else bound(lim.min, False)
        unit = lim.unit.replace("umol/L", "µmol/L")
        refs = f" {cite(lim.refs, g)}" if lim.refs else ""
        rationale = lim.rationale.replace("umol", "µmol") + refs + f" {badge(lim.check, g)}"
        rows.append([f"`{lim.field}`", f"{lower} to {lim.max:g} {unit}", rationale])
    return _table(["Field", "Accepted", "Why"], rows, "Accepted ranges of the inputs")


def request_fields(g: Guideline) -> str:
    causes = ", ".join(f"`{c.code}`" for c in g.causes)
    rows = []
    for f in REQUEST_FIELDS:
        if f.kind == "causes":
            accepted = f"list of: {causes}"
        elif f.choices:
            accepted = ", ".join(f"`{c}`" for c in f.choices) + (
                f" (default `{f.default}`)" if f.default else ""
            )
        elif f.kind == "boolean":
            accepted = "true or false"
        elif f.kind == "date":
            accepted = "YYYY-MM-DD"
        else:
            unit = f.unit if not f.unit.endswith("_unit") else f"unit from `{f.unit}`"
            accepted = f"number ({unit})"
        rows.append([f"`{f.name}`", f.label, accepted, f.hint])
    return _table(["Field", "Meaning", "Accepted", "Notes"], rows, "Request fields")


def _rows_table(
    rows: Iterable[tuple[str, str, str, tuple[str, ...], Check | None]], g: Guideline, title: str
) -> str:
    body = (
        [str(n), when_text, then, f"{cite(refs, g)} {badge(check, g)}"]
        for n, (when_text, then, _why, refs, check) in enumerate(rows, 1)
    )
    return _table(["#", "When", "Then", "Sources"], body, title)


def decision_table(g: Guideline) -> str:
    """The plan's policy, table by table, row by row: when, what, why, source and check status."""
    t = g.decisions
    facts = t.facts

    def w(row_when: Condition) -> str:
        return describe_condition(row_when, facts)

    def regimen_name(regimen_id: str) -> str:
        return g.regimen(regimen_id).label

    sections = [
        (
            "Route",
            "The first row that applies decides the route; every other safety reason that applies is "
            "shown too.",
            [
                (w(r.when), f"**{facts['route'].word(r.route)}**. {r.text}", "", r.refs, r.check)
                for r in t.route
            ],
        ),
        (
            "Action",
            "The first row that applies decides what to do. Where a row gives no reason of its own, the "
            "result's reading against NICE's bands is the reason.",
            [
                (
                    w(r.when),
                    f"**{facts['action'].word(r.action)}**"
                    + (f" (shown as '{r.status_label}')" if r.status_label else "")
                    + (f". {r.text}" if r.text else ". The result's own reading."),
                    "",
                    r.refs,
                    r.check,
                )
                for r in t.action
            ],
        ),
    ]
    for guidance, word in facts["guidance"].values.items():
        plan_rows = [r for r in t.plan if r.guidance == guidance]
        sections.append(
            (
                f"Regimen: {word}",
                "When the action is to treat or to consider treatment, the first row that applies gives the "
                "one regimen and the alternatives shown beside it (alternatives of the other route are left "
                "out when the route is decided).",
                [
                    (
                        w(r.when),
                        f"**{regimen_name(r.regimen)}**"
                        + (
                            "; alternatives: " + "; ".join(regimen_name(a) for a in r.alternatives)
                            if r.alternatives
                            else ""
                        )
                        + f". {r.text}",
                        "",
                        r.refs,
                        r.check,
                    )
                    for r in plan_rows
                ],
            )
        )
    kinds = {"lifelong": "for life", "indefinite": "no end set", "review": "reviewed", "ends": "ends"}
    sections += [
        (
            "How long",
            "The first row that applies says how long treatment goes on; its words end the plan's headline.",
            [
                (w(r.when), f"**{r.text}** ({kinds[r.kind]}). {r.reason}", "", r.refs, r.check)
                for r in t.course
            ],
        ),
        (
            "Next steps",
            "Every row that applies is shown, in this order.",
            [(w(r.when), r.text, "", r.refs, r.check) for r in t.next_step],
        ),
        (
            "Review",
            "The first row that applies.",
            [(w(r.when), r.text, "", r.refs, r.check) for r in t.review],
        ),
    ]
    out = [
        f"## {title}\n\n{intro}\n\n{_rows_table(rows, g, f'{title}: the rules in order')}\n"
        for title, intro, rows in sections
    ]
    return "\n".join(out)


def products(g: Guideline) -> str:
    """What a pharmacist dispenses for each regimen, with the checks that change a prescription."""
    from calc.products import load_catalogue

    catalogue = load_catalogue()
    rows = []
    for p in catalogue.products:
        regimens = "<br>".join(g.regimen(r).label for r in p.regimens) or "none in the calculator"
        checks = [i.title for i in catalogue.interactions if p.id in i.products]
        brands = f" ({', '.join(p.brands)})" if p.brands else ""
        rows.append(
            [
                f"**{p.generic}**{brands}",
                p.status,
                regimens,
                p.directions + (f" First supply: {p.first_supply}." if p.first_supply else ""),
                "; ".join(checks) or "-",
                f"{badge(p.check, g)} {cite(p.refs, g)}",
            ]
        )
    return _table(
        ["Product", "Status", "For", "How to take", "Pharmacist checks", "Evidence"],
        rows,
        "Products a pharmacist dispenses",
        STACKED,
    )


def pharmacist_checks(g: Guideline) -> str:
    from calc.products import load_catalogue

    catalogue = load_catalogue()
    return "".join(
        f"- **{i.title}.** {i.text} {cite(i.refs, g)} {badge(i.check, g)}\n" for i in catalogue.interactions
    )


RENDERERS: dict[str, Callable[[Guideline], str]] = {
    "lab-bands.md": lab_bands,
    "unit-conversion.md": unit_conversion,
    "mma.md": mma,
    "regimens-adult.md": regimens_adult,
    "regimens-children.md": regimens_children,
    "regimens-not-used.md": regimens_not_used,
    "uk-plan.md": uk_plan,
    "populations.md": populations,
    "route-reasons.md": route_reasons,
    "monitoring.md": monitoring,
    "warnings.md": warnings,
    "caveats.md": caveats,
    "dietary-reference-values.md": dietary_reference_values,
    "references.md": references,
    "risk-factors.md": risk_factors,
    "verification-summary.md": verification_summary,
    "plausibility-limits.md": plausibility_limits,
    "request-fields.md": request_fields,
    "decision-table.md": decision_table,
    "products.md": products,
    "pharmacist-checks.md": pharmacist_checks,
}


def render_all(g: Guideline) -> dict[str, str]:
    """Every generated include, by file name."""
    return {name: render(g) for name, render in RENDERERS.items()}

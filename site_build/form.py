"""Render the calculator's form as HTML from the contract itself, so no field is typed by hand.

    python -m site_build.form            # print the form HTML

Every control comes from ``calc.REQUEST_FIELDS`` (name, kind, group, label, hint, unit, choices, default)
and the cause checkboxes from ``calc.load_guideline().causes``. Each input's ``name`` is its request field
name, so ``docs/javascripts/page/form-state.js`` turns the form into a request (and back) without a field
list of its own. The build hook writes the result to ``build/generated/calculator-form.md``, which
docs/calculator.md includes inside its mount element (``{!calculator-form.md!}``).

The markup has no blank line, so Markdown keeps it as one raw HTML block, and no script: the module
calculator.js wires it up. Without JavaScript the form stays hidden and a note points to the static
tables on the same page.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from calc import REQUEST_FIELDS, load_guideline
from calc.units import UNIT_SPELLINGS, display_unit
from calc.vocabulary import CHOICE_LABELS

if TYPE_CHECKING:
    from calc.model import Guideline
    from calc.request import FieldSpec

FORM_INCLUDE = "calculator-form.md"

#: Headings of the groups of REQUEST_FIELDS (request.Group), in the order they are shown: the review's
#: questions first, so choosing "Review" shows them where the reader is. A field whose group is not here
#: (and that is not a leading field) fails the build rather than drop out of the form.
GROUP_TITLES = {
    "review": "Review",
    "lab": "Lab results",
    "patient": "Patient",
    "causes": "Causes and risk factors",
    "preferences": "Preferences",
}
#: Fields shown above the groups, in this order: whether this is a first visit or a review, then the
#: guidance, which decides which regimen can be the plan, so the reader sets them first.
LEADING_FIELDS = ("visit", "guidance")
#: Choices drawn as a segmented switch (the rest are radios in a row).
SEGMENTED_FIELDS = ("visit", "guidance")




@dataclass(frozen=True, slots=True)
class ShownWhile:
    """A part of the form that counts only while another field has one value: ``value`` is "true" for a
    ticked checkbox, the chosen value of a choice, or a cause whose box is ticked."""

    field: str
    value: str


#: Fields shown only while another field has a value: {field: condition}. The controlling checkbox or
#: radios name the field in aria-controls; calculator.js shows and hides it, and leaves it out of the
#: request, the link and the printed inputs while it is hidden.
SHOWN_WITH = {"holiday_region": ShownWhile("weekdays_only", "true"),
              "ileal_resection_cm": ShownWhile("causes", "ileal_resection")}
#: Groups shown only while another field has a value, alike: {group: condition}.
GROUP_SHOWN_WITH = {"review": ShownWhile("visit", "review")}

def _attrs(**attrs: str | bool | None) -> str:
    """HTML attributes; ``True`` gives a bare attribute, ``None``/``False`` omits it; ``_`` becomes ``-``."""
    out = []
    for key, value in attrs.items():
        name = key.rstrip("_").replace("_", "-")
        if value is True:
            out.append(f" {name}")
        elif value is not None and value is not False:
            out.append(f' {name}="{escape(str(value), quote=True)}"')
    return "".join(out)


def _ids(name: str) -> tuple[str, str, str]:
    """The control, hint and error element ids of a field."""
    return f"b12-{name}", f"b12-{name}-hint", f"b12-{name}-error"


def _group_id(group: str) -> str:
    return f"b12-group-{group}"


def _controlled(field: str, value: str | None = None) -> str | None:
    """The ids of the parts of the form shown only with a value of ``field`` (its aria-controls); with
    ``value``, only those shown with that value (one cause's box)."""
    def controls(shown: ShownWhile) -> bool:
        return shown.field == field and (value is None or shown.value == value)
    ids = [_ids(name)[0] for name, shown in SHOWN_WITH.items() if controls(shown)]
    ids += [_group_id(group) for group, shown in GROUP_SHOWN_WITH.items() if controls(shown)]
    return " ".join(ids) or None


def _shown_while(shown: ShownWhile | None) -> str:
    """The attributes of a part shown only while ``shown`` holds; hidden until calculator.js says so."""
    if shown is None:
        return ""
    return _attrs(data_shown_with=shown.field, data_shown_value=shown.value, hidden=True)


def _check_shown_while(specs: dict[str, FieldSpec], cause_codes: set[str]) -> None:
    """Every condition names a checkbox ("true"), a choice and one of its values, or a cause; every part
    exists."""
    for part, shown in [*SHOWN_WITH.items(), *GROUP_SHOWN_WITH.items()]:
        spec = specs.get(shown.field)
        valid = spec is not None and (
            (spec.kind == "boolean" and shown.value == "true")
            or (spec.kind == "choice" and shown.value in spec.choices)
            or (spec.kind == "causes" and shown.value in cause_codes))
        if not valid:
            raise ValueError(f"{part} is shown with {shown.field}={shown.value!r}: no such value in the form")
    unknown = (set(SHOWN_WITH) - set(specs)) | (set(GROUP_SHOWN_WITH) - set(GROUP_TITLES))
    if unknown:
        raise ValueError(f"SHOWN_WITH/GROUP_SHOWN_WITH name parts the form does not have: {sorted(unknown)}")


def _hint_and_error(spec: FieldSpec) -> str:
    _, hint_id, error_id = _ids(spec.name)
    return (f'<p class="b12-calc__hint" id="{hint_id}">{escape(display_unit(spec.hint))}</p>'
            f'<p class="b12-calc__error" id="{error_id}" data-error-for="{spec.name}" hidden></p>')


def _unit_select(spec: FieldSpec) -> str:
    control_id, hint_id, _ = _ids(spec.name)
    # The spellings calc reads for a unit (lower case, no spaces: "µmol/l", "umol/l") ride on its option,
    # so a link written by hand selects it as the engine would read it: the page keeps no list of its own.
    aliases = {c: " ".join(k for k, u in UNIT_SPELLINGS.items() if u == c) or None for c in spec.choices}
    options = "".join(
        f"<option{_attrs(value=c, selected=c == spec.default, data_aliases=aliases[c])}>"
        f"{escape(display_unit(c))}</option>"
        for c in spec.choices
    )
    attrs = _attrs(id=control_id, name=spec.name, aria_describedby=hint_id, data_kind=spec.kind,
                   data_default=spec.default)
    return (f'<label class="b12-calc__visually-hidden" for="{control_id}">{escape(spec.label)}</label>'
            f"<select{attrs}>{options}</select>")


def _number(spec: FieldSpec, units: dict[str, FieldSpec], placed: set[str]) -> str:
    control_id, hint_id, _ = _ids(spec.name)
    unit_spec = units.get(spec.unit)
    label = escape(spec.label)
    if unit_spec is None and spec.unit:
        label += f' <span class="b12-calc__label-unit">({escape(display_unit(spec.unit))})</span>'
    described = [hint_id]
    after = ""
    if unit_spec is not None and unit_spec.name not in placed:
        # The first number measured in a unit field carries that unit's selector beside it.
        placed.add(unit_spec.name)
        after = _unit_select(unit_spec)
        unit_hint = (f'<p class="b12-calc__hint" id="{_ids(unit_spec.name)[1]}">'
                     f"{escape(display_unit(unit_spec.hint))}</p>")
        unit_error = (f'<p class="b12-calc__error" id="{_ids(unit_spec.name)[2]}" '
                      f'data-error-for="{unit_spec.name}" hidden></p>')
    elif unit_spec is not None:
        # A later number in the same unit field shows that unit, kept current by calculator.js.
        shown = escape(display_unit(unit_spec.default or unit_spec.choices[0]))
        label += (f' <span class="b12-calc__label-unit">('
                  f'<span data-unit-of="{unit_spec.name}">{shown}</span>)</span>')
        unit_hint = unit_error = ""
    else:
        unit_hint = unit_error = ""
    attrs = _attrs(id=control_id, name=spec.name, type="text", inputmode="decimal", autocomplete="off",
                   spellcheck="false", aria_describedby=" ".join(described), data_kind=spec.kind)
    field_input = f"<input{attrs}>"
    return (f'<div class="b12-calc__field b12-calc__field--number" data-field="{spec.name}"'
            f"{_shown_while(SHOWN_WITH.get(spec.name))}>"
            f'<label for="{control_id}">{label}</label>'
            f'<div class="b12-calc__control">{field_input}{after}</div>'
            f"{_hint_and_error(spec)}{unit_hint}{unit_error}</div>")


def _boolean(spec: FieldSpec) -> str:
    control_id, hint_id, _ = _ids(spec.name)
    attrs = _attrs(id=control_id, name=spec.name, type="checkbox", value="true", aria_describedby=hint_id,
                   aria_controls=_controlled(spec.name), data_kind=spec.kind)
    return (f'<div class="b12-calc__field b12-calc__field--check" data-field="{spec.name}">'
            f"<input{attrs}>"
            f'<label for="{control_id}">{escape(spec.label)}</label>'
            f"{_hint_and_error(spec)}</div>")


def _check(attrs: str, control_id: str, text: str) -> str:
    label = f'<label for="{control_id}">{escape(text)}</label>'
    return f'<div class="b12-calc__check"><input{attrs}>{label}</div>'


def _causes(spec: FieldSpec, guideline: Guideline) -> str:
    control_id, hint_id, error_id = _ids(spec.name)
    boxes = []
    for cause in guideline.causes:
        box_id = f"{control_id}-{cause.code}"
        attrs = _attrs(id=box_id, name=spec.name, type="checkbox", value=cause.code,
                       aria_controls=_controlled(spec.name, cause.code), data_kind=spec.kind)
        boxes.append(_check(attrs, box_id, cause.label))
    return (f'<fieldset class="b12-calc__field b12-calc__field--choices" data-field="{spec.name}" '
            f'id="{control_id}" aria-describedby="{hint_id}">'
            f"<legend>{escape(spec.label)}</legend>"
            f'<p class="b12-calc__hint" id="{hint_id}">{escape(spec.hint)}</p>'
            f'<div class="b12-calc__checks">{"".join(boxes)}</div>'
            f'<p class="b12-calc__error" id="{error_id}" data-error-for="{spec.name}" hidden></p></fieldset>')


def _choice(spec: FieldSpec) -> str:
    """Radios (the visit and the guidance as segmented switches); a choice with a default has no empty
    option. Each radio names the parts of the form its field shows (aria-controls)."""
    control_id, hint_id, error_id = _ids(spec.name)
    labels = CHOICE_LABELS.get(spec.name, {})
    values = list(spec.choices) if spec.default else ["", *spec.choices]
    missing = [value for value in values if value not in labels]
    if missing:
        raise ValueError(f"no label for the choice(s) {missing} of {spec.name} (form.py: CHOICE_LABELS)")
    checked = spec.default or ""
    controlled = _controlled(spec.name)
    radios = []
    for value in values:
        radio_id = f"{control_id}-{value or 'none'}"
        attrs = _attrs(id=radio_id, name=spec.name, type="radio", value=value, checked=value == checked,
                       aria_controls=controlled, data_kind=spec.kind, data_default=spec.default)
        radios.append(_check(attrs, radio_id, labels[value]))
    segmented = spec.name in SEGMENTED_FIELDS
    layout = "b12-calc__segmented" if segmented else "b12-calc__checks b12-calc__checks--inline"
    return (f'<fieldset class="b12-calc__field b12-calc__field--choices" data-field="{spec.name}" '
            f'id="{control_id}" aria-describedby="{hint_id}"{_shown_while(SHOWN_WITH.get(spec.name))}>'
            f"<legend>{escape(spec.label)}</legend>"
            f'<p class="b12-calc__hint" id="{hint_id}">{escape(spec.hint)}</p>'
            f'<div class="{layout}">{"".join(radios)}</div>'
            f'<p class="b12-calc__error" id="{error_id}" data-error-for="{spec.name}" hidden></p></fieldset>')


def _regimen(spec: FieldSpec) -> str:
    """A regimen id is chosen on the result (each shown regimen offers it), so the form only holds it."""
    attrs = _attrs(id=_ids(spec.name)[0], name=spec.name, type="hidden", value="", data_kind=spec.kind)
    return f'<p class="b12-calc__error" id="{_ids(spec.name)[2]}" data-error-for="{spec.name}" hidden></p>' \
        f"<input{attrs}>"


def _date(spec: FieldSpec, guideline: Guideline) -> str:
    control_id, hint_id, _ = _ids(spec.name)
    limit = guideline.limit(spec.name)
    low, high = int(limit.lower), int(limit.max or limit.lower)
    attrs = _attrs(id=control_id, name=spec.name, type="date", min=f"{low:04d}-01-01",
                   max=f"{high:04d}-12-31", aria_describedby=hint_id, data_kind=spec.kind)
    field_input = f"<input{attrs}>"
    return (f'<div class="b12-calc__field b12-calc__field--date" data-field="{spec.name}">'
            f'<label for="{control_id}">{escape(spec.label)}</label>'
            f'<div class="b12-calc__control">{field_input}</div>'
            f"{_hint_and_error(spec)}</div>")


def render_form(guideline: Guideline | None = None, page: str = "calculator.md",
                references_page: str = "references.md") -> str:
    """The form, its status line, live region and result container, as one block of HTML.

    The form is laid out from the start (calculator.css hides it when scripting is off, and shows the
    no-JavaScript message instead), so mounting it moves nothing on the page; the result stays hidden
    until there is one.

    ``data-references-url`` is the References page relative to the calculator page's URL (MkDocs'
    directory URLs: ``calculator.md`` is served at ``calculator/``), for the result's citation links.
    """
    g = guideline or load_guideline()
    page_url = posixpath.splitext(page)[0] + "/"
    references_url = posixpath.relpath(posixpath.splitext(references_page)[0], page_url) + "/"
    units = {f.name: f for f in REQUEST_FIELDS if f.kind == "unit"}
    placed: set[str] = set()

    def control(spec: FieldSpec) -> str:
        if spec.kind == "number":
            return _number(spec, units, placed)
        if spec.kind == "boolean":
            return _boolean(spec)
        if spec.kind == "causes":
            return _causes(spec, g)
        if spec.kind == "choice":
            return _choice(spec)
        if spec.kind == "date":
            return _date(spec, g)
        if spec.kind == "regimen":
            return _regimen(spec)
        raise ValueError(f"no form control for field kind {spec.kind!r} ({spec.name})")

    specs = {f.name: f for f in REQUEST_FIELDS}
    _check_shown_while(specs, {cause.code for cause in g.causes})
    leading = [control(specs[name]) for name in LEADING_FIELDS if name in specs]
    groups: list[str] = []
    for group, title in GROUP_TITLES.items():
        parts = [control(spec) for spec in REQUEST_FIELDS
                 if spec.group == group and spec.kind != "unit" and spec.name not in LEADING_FIELDS]
        if parts:
            shown = _shown_while(GROUP_SHOWN_WITH.get(group))
            group_id = f' id="{_group_id(group)}"' if group in GROUP_SHOWN_WITH else ""
            groups.append(f'<fieldset class="b12-calc__group" data-group="{group}"{group_id}{shown}>'
                          f"<legend>{escape(title)}</legend>{''.join(parts)}</fieldset>")
    left_out = [f.name for f in REQUEST_FIELDS
                if f.group not in GROUP_TITLES and f.name not in LEADING_FIELDS and f.kind != "unit"]
    if left_out:
        raise ValueError(f"field(s) {left_out} belong to no group of the form (form.py: GROUP_TITLES)")
    missing = {f.name for f in REQUEST_FIELDS if f.kind == "unit"} - placed
    if missing:  # pragma: no cover - a unit field that no number uses
        raise ValueError(f"unit field(s) {sorted(missing)} are not used by any number field")

    return "".join([
        '<p class="b12-calc__nojs" data-b12="nojs">The calculator needs JavaScript and WebAssembly. '
        "The tables below hold the same rules.</p>",
        f'<div class="b12-calc" data-b12="app" data-references-url="{escape(references_url)}" '
        f'data-content-version="{escape(g.meta.content_version)}">',
        '<div class="b12-calc__live b12-calc__visually-hidden" data-b12="live" role="status" '
        'aria-live="polite" aria-atomic="true"></div>',
        '<div class="b12-calc__status" data-b12="status"></div>',
        '<form class="b12-calc__form" data-b12="form" novalidate autocomplete="off" '
        'aria-label="B12 calculator inputs">',
        '<p class="b12-calc__form-error" data-b12="form-error" data-error-for="request" hidden></p>',
        f'<div class="b12-calc__leading">{"".join(leading)}</div>',
        "".join(groups),
        '<div class="b12-calc__actions"><button type="reset" class="md-button">Clear the form</button></div>',
        "</form>",
        '<div class="b12-calc__result" data-b12="result" role="region" tabindex="-1" '
        'aria-label="Calculator result" hidden></div>',
        "</div>",
    ]) + "\n"


def main() -> int:
    print(render_form(), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

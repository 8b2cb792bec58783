// Form <-> request: pure conversions. The markup (site_build/form.py) says which field is which kind
// (`name` = request field, `data-kind` = its kind), so this module holds no list of fields.

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const UNIT_ALIASES = { "\u00b5mol/L": "umol/L", "\u03bcmol/L": "umol/L" };

function controls(form) {
  return [...form.elements].filter((el) => el.name && el.dataset.kind);
}

// A part of the form shown only while another field has one value (data-shown-with names the field,
// data-shown-value the value: "true" for a ticked checkbox, a choice's value, or one box of a list) counts
// only then: the bank holidays' region goes with "Working days only", the review's questions with Visit:
// Review, the length of ileum resected with the cause "Ileal resection".
function fieldValue(form, name) {
  const item = form.elements.namedItem(name);
  if (!item) return "";
  if (item instanceof RadioNodeList) return item.value; // the checked radio's value, "" if none
  if (item.type === "checkbox" || item.type === "radio") return item.checked ? item.value : "";
  return item.value;
}

function shown(form, part) {
  const { shownWith: name, shownValue: value } = part.dataset;
  const item = form.elements.namedItem(name);
  // A list of checkboxes (the causes): shown while the box of that value is ticked.
  if (item instanceof RadioNodeList && [...item].some((el) => el.type === "checkbox")) {
    return [...item].some((el) => el.checked && el.value === value);
  }
  return fieldValue(form, name) === value;
}

function inactive(form, el) {
  for (let part = el.closest("[data-shown-with]"); part; part = part.parentElement.closest("[data-shown-with]")) {
    if (!shown(form, part)) return true;
  }
  return false;
}

function activeControls(form) {
  return controls(form).filter((el) => !inactive(form, el));
}

/**
 * The request that the form describes. Empty and default fields, and fields hidden with their part of the
 * form (the review's questions at a first visit), are left out (the contract's defaults apply); a number
 * that does not parse is passed as typed, so the engine words the error.
 */
export function formToRequest(form) {
  const request = {};
  for (const el of activeControls(form)) {
    const { name } = el;
    switch (el.dataset.kind) {
      case "number": {
        const text = el.value.trim();
        if (text === "") break;
        const value = NUMBER.test(text) ? Number(text) : NaN;
        request[name] = Number.isFinite(value) ? value : text; // JSON has no Infinity: never send null
        break;
      }
      case "unit":
        if (el.value && el.value !== el.dataset.default) request[name] = el.value;
        break;
      case "boolean":
        if (el.checked) request[name] = true;
        break;
      case "causes":
        if (el.checked) (request[name] ||= []).push(el.value);
        break;
      case "choice":
        if (el.checked && el.value && el.value !== el.dataset.default) request[name] = el.value;
        break;
      case "date":
      case "regimen":
        if (el.value) request[name] = el.value;
        break;
      default:
        break;
    }
  }
  return request;
}

/** Problems the browser's own controls hide from formToRequest (a half-typed date reads as empty). */
export function formProblems(form) {
  return controls(form)
    .filter((el) => el.dataset.kind === "date" && el.validity && el.validity.badInput)
    .map((el) => ({ field: el.name, message: "Enter a complete date, or clear the field." }));
}

/** Set the form to show `request` (fields it does not mention return to their defaults). */
export function requestToForm(form, request) {
  for (const el of controls(form)) {
    const value = request[el.name];
    switch (el.dataset.kind) {
      case "number":
        el.value = value === undefined || value === null ? "" : String(value);
        break;
      case "unit": {
        const unit = typeof value === "string" ? UNIT_ALIASES[value.trim()] || value.trim() : "";
        el.value = [...el.options].some((o) => o.value === unit) ? unit : el.dataset.default || el.options[0].value;
        break;
      }
      case "boolean":
        el.checked = value === true;
        break;
      case "causes":
        el.checked = Array.isArray(value) && value.includes(el.value);
        break;
      case "choice":
        el.checked = (value || el.dataset.default || "") === el.value;
        break;
      case "date":
      case "regimen":
        el.value = typeof value === "string" ? value : "";
        break;
      default:
        break;
    }
  }
  syncUnitLabels(form);
  syncShownFields(form);
}

/** Show each part of the form that goes with a value of another field only while that field has it. */
export function syncShownFields(form) {
  for (const part of form.querySelectorAll("[data-shown-with]")) {
    part.hidden = !shown(form, part);
  }
}

/** Each named control's kind ({name: kind}), read from the markup. */
export function fieldKinds(form) {
  return Object.fromEntries(controls(form).map((el) => [el.name, el.dataset.kind]));
}

/** A number measured in a unit chosen elsewhere shows that unit in its label. */
export function syncUnitLabels(form) {
  for (const span of form.querySelectorAll("[data-unit-of]")) {
    const select = form.elements.namedItem(span.dataset.unitOf);
    if (select && select.selectedOptions && select.selectedOptions[0]) {
      span.textContent = select.selectedOptions[0].textContent;
    }
  }
}

function labelOf(el) {
  const label = el.labels && el.labels[0] ? el.labels[0].textContent : el.getAttribute("aria-label") || el.name;
  return label.replace(/\s+/g, " ").trim();
}

function legendOf(el) {
  const fieldset = el.closest("fieldset[data-field]");
  const legend = fieldset && fieldset.querySelector("legend");
  return legend ? legend.textContent.trim() : el.name;
}

/**
 * The entered values as the reader sees them, [[label, value]], for the printed record: each number with
 * its unit as chosen, the ticked boxes, the chosen options (defaults included), the date.
 */
export function describeForm(form) {
  const rows = [];
  const ticked = new Map();
  for (const el of activeControls(form)) {
    switch (el.dataset.kind) {
      case "number": {
        const text = el.value.trim();
        if (!text) break;
        const unitSelect = el.parentElement && el.parentElement.querySelector("select[data-kind=unit]");
        const unitSpan = el.labels && el.labels[0] && el.labels[0].querySelector(".b12-calc__label-unit");
        const label = labelOf(el).replace(/\s*\(.*\)$/, "");
        let unit = "";
        if (unitSelect) unit = unitSelect.selectedOptions[0].textContent;
        else if (unitSpan) unit = unitSpan.textContent.replace(/[()]/g, "");
        rows.push([label, unit ? `${text} ${unit}` : text]);
        break;
      }
      case "boolean":
        if (el.checked) rows.push([labelOf(el), "yes"]);
        break;
      case "causes":
        if (el.checked) ticked.set(legendOf(el), [...(ticked.get(legendOf(el)) || []), labelOf(el)]);
        break;
      case "choice":
        if (el.checked && el.value) rows.push([legendOf(el), labelOf(el)]);
        break;
      case "date":
        if (el.value) rows.push([labelOf(el), el.value]);
        break;
      default:
        break;
    }
  }
  for (const [legend, labels] of ticked) rows.push([legend, labels.join("; ")]);
  return rows;
}

// Form <-> request: pure conversions. The markup (site_build/form.py) says which field is which kind
// (`name` = request field, `data-kind` = its kind), so this module holds no list of fields.

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

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
        // Only a text that reads back unchanged goes as a number ("150", "0.35"); any other ("1.500",
        // "150,5", "150 ng/L", "1e3") goes as typed, for the engine to read or to ask which was meant
        // (calc/typed_numbers.py): Number("1.500") is 1.5, a silent guess. JSON has no Infinity.
        const value = NUMBER.test(text) ? Number(text) : NaN;
        request[name] = Number.isFinite(value) && String(value) === text ? value : text;
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
        // An option matches its value or a spelling calc reads for it (data-aliases, from calc/units.py:
        // lower case, no spaces).
        const unit = typeof value === "string" ? value.trim() : "";
        const key = unit.replace(/\s+/g, "").toLowerCase();
        const spelt = (o) => o.value === unit || (o.dataset.aliases || "").split(" ").filter(Boolean).includes(key);
        const match = unit ? [...el.options].find(spelt) : null;
        el.value = match ? match.value : el.dataset.default || el.options[0].value;
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

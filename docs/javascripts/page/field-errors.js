// Field-level messages: each error beside its field (aria-invalid, aria-describedby), errors for fields
// without a place of their own in the form's general message. `w` is the mounted widget (calculator.js).

import { h } from "./dom.js";
import { writeFragment } from "./form-address.js";

/** Remember each control's own description, so error ids can be added and removed later. */
export function rememberDescriptions(form) {
  for (const el of [...form.elements, ...form.querySelectorAll("fieldset[data-field]")]) {
    if (el.hasAttribute("aria-describedby")) el.dataset.describedby = el.getAttribute("aria-describedby");
  }
}

/** Show `errors` ([{field, message}]) by their fields; an empty list clears every message. */
export function showErrors(w, errors) {
  const { form } = w;
  const byField = new Map();
  for (const error of errors) {
    const list = byField.get(error.field) || [];
    list.push(error.message);
    byField.set(error.field, list);
  }
  const general = [];
  for (const [field, messages] of byField) {
    if (!form.querySelector(`[data-error-for="${CSS.escape(field)}"]`)) general.push(...messages);
  }
  for (const box of form.querySelectorAll("[data-error-for]")) {
    const field = box.dataset.errorFor;
    const messages = field === "request" ? general.concat(byField.get("request") || []) : byField.get(field) || [];
    box.textContent = messages.join(" ");
    box.hidden = messages.length === 0;
    if (field === "request") continue;
    const targets = [...form.querySelectorAll(`[name="${CSS.escape(field)}"]`)];
    const group = form.querySelector(`fieldset[data-field="${CSS.escape(field)}"]`);
    for (const el of group ? [group, ...targets] : targets) {
      const base = el.dataset.describedby || "";
      if (messages.length) {
        if (el !== group) el.setAttribute("aria-invalid", "true");
        el.setAttribute("aria-describedby", `${base} ${box.id}`.trim());
      } else {
        el.removeAttribute("aria-invalid");
        if (base) el.setAttribute("aria-describedby", base);
        else el.removeAttribute("aria-describedby");
      }
    }
  }
  w.formError.hidden = !w.formError.textContent;
  offerPlanRegimen(w, byField.has("schedule_regimen_id"));
}

// A regimen chosen for the schedule has no control of its own (it is chosen on the result): when it is
// rejected, e.g. in a link made under an older content version, offer the way back to the plan's.
function offerPlanRegimen(w, rejected) {
  const box = w.form.querySelector('[data-error-for="schedule_regimen_id"]');
  if (!box || !rejected) return;
  const button = h("button", { type: "button", class: "b12-calc__link-button" }, "Schedule the plan's regimen instead");
  button.addEventListener("click", () => {
    w.form.elements.namedItem("schedule_regimen_id").value = "";
    writeFragment(w);
    w.run();
  });
  box.append(" ", button);
}

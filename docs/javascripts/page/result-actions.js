// The result's buttons (data-action, drawn by plan-card.js), handled through one delegated listener:
// copy for the notes, copy the link, print (the plan or the patient's sheet), the calendar file, the
// review visit, and the regimen the schedule follows. The texts come from the engine (result-export.js
// moves them off the page). `w` is the mounted widget (calculator.js).

import { h } from "./dom.js";
import { messageOf } from "../engine/engine-client.js";
import { formToRequest, syncShownFields } from "./form-state.js";
import { todayText } from "./format.js";
import { shareUrl, writeFragment } from "./form-address.js";
import { jumpTo } from "./jump.js";
import { PLAN_ID } from "./plan-card.js";
import { copyText, downloadText } from "./result-export.js";

/** Say how an action went beside the button that asked for it (the status bar's or the result's). */
function say(w, button, text) {
  const scope = (button && button.closest("[data-plan-bar]")) || w.resultBox;
  const box = scope.querySelector('[data-b12="action-status"]');
  if (box) box.textContent = text;
}

/** The engine's rendering of the current form in `format`, or null (the reason is shown). */
async function exported(w, button, format) {
  try {
    const answer = await w.eng.render(formToRequest(w.form), format);
    if (answer.export) return answer.export;
    say(w, button, (answer.errors || []).map((e) => e.message).join(" ") || "This could not be prepared.");
  } catch (error) {
    say(w, button, `This could not be prepared: ${messageOf(error)}`);
  }
  return null;
}

function print(w, mode) {
  w.app.dataset.print = mode;
  const date = w.resultBox.querySelector("[data-print-date]");
  if (date) date.textContent = todayText();
  window.print();
}

const ACTIONS = {
  "copy-text": async (w, button) => {
    const notes = await exported(w, button, "notes");
    if (notes) say(w, button, await copyText(notes.text) ? "Copied for the notes." : "Could not copy: select the text and copy it yourself.");
  },
  "copy-link": async (w, button) => {
    writeFragment(w);
    say(w, button, await copyText(shareUrl(w)) ? "Link copied." : "Could not copy: copy the address bar instead.");
  },
  print: (w) => print(w, "plan"),
  "print-patient": async (w, button) => {
    const sheet = await exported(w, button, "patient");
    if (!sheet) return;
    w.patientSheet.replaceChildren(h("pre", {}, sheet.text));
    print(w, "patient");
  },
  "download-ics": async (w, button) => {
    const calendar = await exported(w, button, "ics");
    if (calendar) {
      downloadText(calendar);
      say(w, button, `Downloaded ${calendar.filename}.`);
    }
  },
  // From a first visit's plan: the same values at a review, its questions shown for the reader to fill.
  "review-visit": (w) => {
    const review = w.form.querySelector('input[name="visit"][value="review"]');
    if (!review) return;
    review.checked = true;
    syncShownFields(w.form);
    writeFragment(w);
    w.run();
    const questions = w.form.querySelector('[data-shown-with="visit"][data-shown-value="review"]');
    if (questions) jumpTo(questions, w.status);
  },
  "schedule-regimen": (w, button) => {
    const field = w.form.elements.namedItem("schedule_regimen_id");
    if (!field) return;
    field.value = button.dataset.regimenId || "";
    writeFragment(w);
    // The button is re-rendered away: take the reader (and focus) to the new dates.
    w.root.addEventListener("b12:result", () => {
      const dates = document.querySelector(`#${PLAN_ID} .b12-calc__section--schedule`);
      if (dates) jumpTo(dates, w.status);
    }, { once: true });
    w.run();
  },
};

/** Handle the buttons of the result area (and of any other `containers`) for widget `w`. */
export function wireActions(w, ...containers) {
  for (const container of containers) {
    container.addEventListener("click", (event) => {
      const button = event.target.closest ? event.target.closest("button[data-action]") : null;
      if (!button || !ACTIONS[button.dataset.action]) return;
      ACTIONS[button.dataset.action](w, button);
    });
  }
  window.addEventListener("afterprint", () => {
    delete w.app.dataset.print;
  });
}

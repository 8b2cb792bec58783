// The result area: a new result rendered in place of the last one, keeping the reader's focus, the
// column's scroll position and the groups they opened; or, on bad input, no result at all. Each change
// is announced (once settled) in the live region and reported as an event on the mount element:
//   CustomEvent("b12:result", {detail: result}), CustomEvent("b12:errors", {detail: errors}).
// `w` is the mounted widget (calculator.js).

import { replaceKeepingFocus } from "./dom.js";
import { showErrors } from "./field-errors.js";
import { PLAN_ID, renderResult } from "./plan-card.js";
import { renderStatus } from "./status-bar.js";

const ANNOUNCE_DELAY_MS = 800;

/** Say `text` in the live region once typing has paused (and only if it is news). */
export function announce(w, text) {
  clearTimeout(w.announceTimer);
  w.announceTimer = setTimeout(() => {
    if (text !== w.announced && w.root.isConnected) {
      w.announced = text;
      w.live.textContent = text;
    }
  }, ANNOUNCE_DELAY_MS);
}

export function showResult(w, result) {
  const { resultBox } = w;
  w.lastResult = result;
  const chosen = w.scheduleField ? w.scheduleField.value : "";
  w.scheduleChoice = chosen ? (w.scheduleChoice && w.scheduleChoice.id === chosen ? w.scheduleChoice
    : { id: chosen, plan: result.plan.regimen_id }) : null;
  if (w.linkVersion && w.linkVersion === result.calculator.content_version) w.linkVersion = null;
  resultBox.dataset.status = result.lab.status;
  // Keep the reader's place in the result column (it is re-rendered on every keystroke), unless this is
  // a new patient's result: then every group starts collapsed and the column at its top (the headline).
  const scrolled = w.newPatient ? 0 : resultBox.scrollTop;
  const open = w.newPatient ? new Set()
    : new Set([...resultBox.querySelectorAll("details[open][data-group]")].map((d) => d.dataset.group));
  w.newPatient = false;
  replaceKeepingFocus(resultBox, () => document.getElementById(PLAN_ID),
    renderResult(result, w.referencesUrl));
  for (const details of resultBox.querySelectorAll("details[data-group]")) {
    if (open.has(details.dataset.group)) details.open = true;
  }
  // Written even when 0 (a new patient), as the old content's offset would otherwise survive the swap;
  // writing it forces a layout of the new result at once.
  if (scrolled || resultBox.scrollTop) resultBox.scrollTop = scrolled;
  resultBox.hidden = false;
  renderStatus(w);
  w.watchHeadline();
  w.root.dispatchEvent(new CustomEvent("b12:result", { detail: result }));
  const fallback = w.choiceDropped ? " The schedule follows the plan's regimen again." : "";
  w.choiceDropped = false;
  announce(w, `Result updated.${fallback} ${result.plan.summary}`);
}

export function showInvalid(w, errors) {
  const { resultBox } = w;
  w.lastResult = null;
  w.shownRequest = null;
  showErrors(w, errors);
  delete resultBox.dataset.status;
  resultBox.replaceChildren();
  resultBox.hidden = true;
  renderStatus(w, errors.length);
  w.watchHeadline();
  w.root.dispatchEvent(new CustomEvent("b12:errors", { detail: errors }));
  announce(w, `${errors.length} field${errors.length === 1 ? " needs" : "s need"} attention; no result is shown.`);
}

// The B12 calculator on the main thread: mounts the widget on the calculator page and orchestrates the
// engine, the form and the result. Loaded on every page as a module (mkdocs.yml extra_javascript; it
// imports the rest) and mounted through mkdocs-material's `document$`, so it survives instant
// navigation. Its parts, one concern each:
//   engine-client.js  the engine: one module worker per visit (engine-worker.js holds the protocol)
//   form-state.js     form <-> request conversions (the markup, generated from calc.REQUEST_FIELDS by
//                     site_build/form.py, says which control is which field)
//   form-address.js   the form state in the URL fragment (share-link.js: the conversions)
//   field-errors.js   messages by the fields
//   status-bar.js     loading, failure, or the plan in one line with the take-away shortcuts
//   result-area.js    the result rendered in place (plan-card.js draws it), announced
//   result-actions.js the result's buttons (result-export.js: clipboard and file download)
//   jump.js           in-page jumps that keep the fragment
//   format.js         the date printed (every other word, date and unit comes with the result)
//   prewarm.js        when the engine starts on the other pages
//
// No inline script, no eval, nothing stored on window. The mount element receives
//   CustomEvent("b12:result", {detail: result})   after each result is rendered
//   CustomEvent("b12:errors", {detail: errors})   after field errors are shown ([{field, message}])
// for tests and tools.

import { h } from "./page/dom.js";
import { engineSupported, getEngine, messageOf } from "./engine/engine-client.js";
import { rememberDescriptions, showErrors } from "./page/field-errors.js";
import { followAddress, readFragment, writeFragment } from "./page/form-address.js";
import {
  fieldKinds, formProblems, formToRequest, requestToForm, syncShownFields, syncUnitLabels,
} from "./page/form-state.js";
import { renderResult } from "./page/plan-card.js";
import { armDwellPrewarm, cancelDwellPrewarm, listenForIntent, onCalculatorPage } from "./engine/prewarm.js";
import { wireActions } from "./page/result-actions.js";
import { announce, showInvalid, showResult } from "./page/result-area.js";
import { headlineWatcher, renderStatus } from "./page/status-bar.js";

// Tests and tools import these from calculator.js (tests/browser/conftest.py, scripts/bench_calculator.py).
export { engineSupported, formToRequest, getEngine, renderResult, requestToForm };

const MOUNT_ID = "b12-calculator";

// ------------------------------------------------------------------------------------------------------
// Mounting the widget on the calculator page
// ------------------------------------------------------------------------------------------------------

/** The mounted widget: its elements, its engine and the state its parts share. */
function widgetOf(root, app) {
  const part = (name) => app.querySelector(`[data-b12="${name}"]`);
  const form = part("form");
  return {
    root, app, form,
    status: part("status"),
    resultBox: part("result"),
    live: part("live"),
    formError: part("form-error"),
    // The printable patient sheet (the engine's "patient" text), shown only when printing that version.
    patientSheet: h("div", { class: "b12-calc__patient-sheet", "data-b12": "patient-sheet" }),
    referencesUrl: new URL(app.dataset.referencesUrl || "../references/", document.baseURI),
    eng: getEngine(),
    kinds: fieldKinds(form),
    run: () => {},
    inFlight: false,
    dirty: false,
    lastResult: null,
    // The request (as JSON) whose result is on screen, if one is.
    shownRequest: null,
    announceTimer: 0,
    announced: "",
    // The content version of the link this page was opened from, while it differs from the page's own.
    linkVersion: null,
    // After "Clear the form", or values from a link or Back, the next result is a new patient's: it starts
    // with every group collapsed and at the top of its column (result-area.js).
    newPatient: false,
    watchHeadline: () => {},
    // A regimen chosen for the schedule ("Use this regimen for the schedule") holds for the plan it was
    // chosen beside: {id, plan} once a result has shown it. When the inputs change the plan's regimen, or
    // the choice is no longer shown for the patient, the schedule falls back to the plan's regimen.
    scheduleField: form.elements.namedItem("schedule_regimen_id"),
    scheduleChoice: null,
    choiceDropped: false,
  };
}

/** Whether this answer is to a regimen choice gone stale: the plan it was chosen beside has changed, or
 * the engine no longer shows it for the patient (its only complaint). A choice that never had a result
 * (e.g. from an old link) is not dropped: its error offers the plan's regimen instead. */
function staleChoice(w, answer) {
  const chosen = w.scheduleField ? w.scheduleField.value : "";
  if (!chosen || !w.scheduleChoice || w.scheduleChoice.id !== chosen) return false;
  if (answer.errors) return answer.errors.length > 0 && answer.errors.every((e) => e.field === "schedule_regimen_id");
  return answer.result.plan.regimen_id !== w.scheduleChoice.plan;
}

function dropChoice(w) {
  w.scheduleField.value = "";
  w.scheduleChoice = null;
  w.choiceDropped = true;
  writeFragment(w);
}

/** Send the form and show its answer. With unlessShown, a form whose result is already on screen is
 * not sent again: focus leaving an unchanged date, or the engine becoming ready after it answered, must
 * not re-render the result under a keyboard reader on their way into it. */
async function run(w, { unlessShown = false } = {}) {
  const { eng, root, form } = w;
  if (!root.isConnected) return;
  // While the engine boots, the request waits in the worker and is answered right after its warm-up,
  // not one round trip after the page has heard that it is ready.
  if (eng.state === "failed") return; // Retry runs the form again once the engine is ready
  if (w.inFlight) {
    w.dirty = true;
    return;
  }
  const problems = formProblems(form);
  if (problems.length) {
    showInvalid(w, problems);
    return;
  }
  const request = formToRequest(form);
  const key = JSON.stringify(request);
  if (unlessShown && key === w.shownRequest && !w.resultBox.hidden) return;
  w.inFlight = true;
  w.dirty = false;
  try {
    const answer = await eng.evaluate(request);
    if (!w.dirty && root.isConnected) {
      if (staleChoice(w, answer)) {
        dropChoice(w);
        w.dirty = true; // asked again, for the plan's regimen, as soon as this request settles
      } else if (answer.errors) showInvalid(w, answer.errors);
      else {
        showErrors(w, []);
        showResult(w, answer.result);
        w.shownRequest = key;
      }
    }
  } catch (error) {
    // A failed engine shows the fallback through its state listener; a failure on this one request
    // (a bug, not bad input) is said plainly, and no result is left on screen.
    if (eng.state === "ready" && root.isConnected) {
      showInvalid(w, [{ field: "request", message: `The calculator failed on this input: ${messageOf(error)}` }]);
    }
  } finally {
    w.inFlight = false;
    if (w.dirty) run(w);
  }
}

/** The form's events: every change sends the form (at most one request in flight, the newest wins). */
function wireForm(w) {
  const { form } = w;
  const schedule = () => w.run();
  form.addEventListener("input", (event) => {
    if (event.target && event.target.dataset.kind === "unit") syncUnitLabels(form);
    syncShownFields(form);
    if (event.isTrusted) w.linkVersion = null; // the reader has changed the linked values
    writeFragment(w);
    schedule();
  });
  // A half-typed date changes no value and fires no input event: check it when focus leaves the control.
  form.addEventListener("focusout", (event) => {
    if (event.target && event.target.dataset.kind === "date") w.run({ unlessShown: true });
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    schedule();
  });
  form.addEventListener("reset", () => setTimeout(() => {
    // A hidden input's value is its default, which a native reset keeps: empty every field explicitly, so
    // the next patient gets neither the previous one's schedule regimen nor their values in the address.
    requestToForm(form, {});
    w.scheduleChoice = null;
    w.linkVersion = null;
    w.newPatient = true;
    writeFragment(w);
    schedule();
  }));
}

/** Follow the engine's state: the status bar, announcements, and the form sent when it is ready. */
function followEngine(w, stopFollowingAddress) {
  let previous = null;
  let unsubscribe = null;
  unsubscribe = w.eng.subscribe((e) => {
    if (!w.root.isConnected) {
      if (unsubscribe) unsubscribe();
      stopFollowingAddress();
      return;
    }
    renderStatus(w);
    if (e.state === "booting" && previous !== "booting") announce(w, "Loading calculator engine.");
    if (e.state === "failed" && previous !== "failed") announce(w, `${e.errorTitle || "The calculator could not start"}. The tables below still apply.`);
    // The form is sent once on mounting (while booting too) and again whenever the engine becomes ready,
    // unless a request is still in flight (the one sent while it booted) or its result is on screen.
    if (e.state !== "failed" && !w.inFlight && (previous === null || (e.state === "ready" && previous !== "ready"))) w.run({ unlessShown: true });
    previous = e.state;
  });
}

function mount(root) {
  if (root.dataset.b12Mounted) return;
  const app = root.querySelector('[data-b12="app"]');
  if (!app) return;
  root.dataset.b12Mounted = "true";
  const w = widgetOf(root, app);
  w.run = (options) => run(w, options);
  w.watchHeadline = headlineWatcher(w);
  const nojs = root.querySelector('[data-b12="nojs"]');
  if (nojs) nojs.hidden = true;
  app.hidden = false;
  app.append(w.patientSheet);
  rememberDescriptions(w.form);

  w.resultBox.id = "b12-result";
  w.status.tabIndex = -1;
  wireActions(w, w.resultBox, w.status);
  wireForm(w);
  const stopFollowingAddress = followAddress(w, () => {
    w.scheduleChoice = null; // values from the address: a regimen chosen in them holds for their plan
    w.newPatient = true;
    w.run();
  });
  readFragment(w);
  followEngine(w, stopFollowingAddress);
  syncUnitLabels(w.form);
  syncShownFields(w.form);
}

// ------------------------------------------------------------------------------------------------------
// Start-up: once per full page load; material's document$ then fires on every (instant) page view
// ------------------------------------------------------------------------------------------------------

function onPage() {
  const root = document.getElementById(MOUNT_ID);
  if (root) {
    cancelDwellPrewarm();
    mount(root);
  } else {
    armDwellPrewarm();
  }
}

listenForIntent();

// On the calculator page the engine starts before anything else: this module is loaded with `async`, so
// it may run before the document is parsed and before material's bundle has defined `document$`.
if (onCalculatorPage(MOUNT_ID)) getEngine();

function subscribeToPages() {
  const documentStream = window.document$;
  if (documentStream && typeof documentStream.subscribe === "function") {
    documentStream.subscribe(() => onPage());
  } else {
    onPage(); // no mkdocs-material: a plain page, mounted once
  }
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", subscribeToPages, { once: true });
} else {
  subscribeToPages();
}

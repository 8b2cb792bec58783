// The B12 calculator on the main thread: mounts the widget on the calculator page and orchestrates the
// engine, the form and the result card. Loaded on every page as a module (mkdocs.yml extra_javascript;
// it imports the rest) and mounted through mkdocs-material's `document$`, so it survives instant
// navigation. Its parts, one concern each:
//   engine-client.js  the engine: one module worker per visit (engine-worker.js holds the protocol)
//   form-state.js     form <-> request conversions (the markup, generated from calc.REQUEST_FIELDS by
//                     site_build/form.py, says which control is which field)
//   plan-card.js      the result card (the plan first)
//   format.js         the date printed (every other word, date and unit comes with the result)
//   share-link.js     the form state in the URL fragment (shareable links, reload, back/forward)
//   result-export.js  clipboard and file download (the texts come from the engine)
//   prewarm.js        when the engine starts on the other pages
//
// No inline script, no eval, nothing stored on window. The mount element receives
//   CustomEvent("b12:result", {detail: result})   after each result is rendered
//   CustomEvent("b12:errors", {detail: errors})   after field errors are shown ([{field, message}])
// for tests and tools.

import { h, replaceKeepingFocus } from "./dom.js";
import { engineSupported, getEngine, messageOf } from "./engine-client.js";
import {
  fieldKinds, formProblems, formToRequest, requestToForm, syncShownFields, syncUnitLabels,
} from "./form-state.js";
import { todayText } from "./format.js";
import { actionBadge, PLAN_ID, planLead, renderResult } from "./plan-card.js";
import { copyText, downloadText } from "./result-export.js";
import { fragmentToState, isStateFragment, requestToFragment } from "./share-link.js";
import { armDwellPrewarm, cancelDwellPrewarm, listenForIntent, onCalculatorPage } from "./prewarm.js";

// Tests and tools import these from calculator.js (tests/browser/conftest.py, scripts/bench_calculator.py).
export { engineSupported, formToRequest, getEngine, renderResult, requestToForm };

const MOUNT_ID = "b12-calculator";
// The calculator page's section with the static tables (docs/calculator.md), linked from the fallback.
const FALLBACK_SECTION_ID = "if-the-calculator-cannot-run";
const ANNOUNCE_DELAY_MS = 800;

// In-page jumps scroll and move focus themselves, so the URL fragment keeps the form state (share-link.js).
// The target lands below the sticky header and, on a phone, below the sticky summary bar.
function jumpTo(target, stickyBar) {
  const header = document.querySelector(".md-header");
  let offset = header ? header.getBoundingClientRect().height : 0;
  if (stickyBar && getComputedStyle(stickyBar).position === "sticky") offset += stickyBar.getBoundingClientRect().height;
  target.style.scrollMarginTop = `${Math.ceil(offset) + 8}px`;
  target.scrollIntoView({ block: "start" });
  if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
  target.focus({ preventScroll: true });
}

// A link to "#id" that scrolls and moves focus itself and keeps the event from mkdocs-material's instant
// navigation, which would write the anchor into the address and so drop the form state from it.
function scrollLink(targetId, text, stickyBar = null) {
  const link = h("a", { href: `#${targetId}`, class: "b12-calc__jump" }, text);
  link.addEventListener("click", (event) => {
    const target = document.getElementById(targetId);
    if (!target) return;
    event.preventDefault();
    event.stopPropagation();
    jumpTo(target, stickyBar);
  });
  return link;
}

// ------------------------------------------------------------------------------------------------------
// Mounting the widget on the calculator page
// ------------------------------------------------------------------------------------------------------

function mount(root) {
  if (root.dataset.b12Mounted) return;
  const app = root.querySelector('[data-b12="app"]');
  if (!app) return;
  root.dataset.b12Mounted = "true";
  const part = (name) => app.querySelector(`[data-b12="${name}"]`);
  const form = part("form");
  const status = part("status");
  const resultBox = part("result");
  const live = part("live");
  const formError = part("form-error");
  const nojs = root.querySelector('[data-b12="nojs"]');
  const referencesUrl = new URL(app.dataset.referencesUrl || "../references/", document.baseURI);
  if (nojs) nojs.hidden = true;
  app.hidden = false;
  // The printable patient sheet (the engine's "patient" text), shown only when printing that version.
  const patientSheet = h("div", { class: "b12-calc__patient-sheet", "data-b12": "patient-sheet" });
  app.append(patientSheet);

  // Remember each control's own description, so error ids can be added and removed.
  for (const el of [...form.elements, ...form.querySelectorAll("fieldset[data-field]")]) {
    if (el.hasAttribute("aria-describedby")) el.dataset.describedby = el.getAttribute("aria-describedby");
  }

  const eng = getEngine();
  const kinds = fieldKinds(form);
  let inFlight = false;
  let dirty = false;
  let lastResult = null;
  // The request (as JSON) whose result is on screen, if one is.
  let shownRequest = null;
  let announceTimer = 0;
  let announced = "";
  // The content version of the link this page was opened from, while it differs from the page's own.
  let linkVersion = null;
  // After "Clear the form" the next result starts with every group collapsed again.
  let forgetOpenGroups = false;
  // A regimen chosen for the schedule ("Use this regimen for the schedule") holds for the plan it was
  // chosen beside: {id, plan} once a result has shown it. When the inputs change the plan's regimen, or
  // the choice is no longer shown for the patient, the schedule falls back to the plan's regimen.
  const scheduleField = form.elements.namedItem("schedule_regimen_id");
  let scheduleChoice = null;
  let choiceDropped = false;

  function contentVersion() {
    return lastResult ? lastResult.calculator.content_version : app.dataset.contentVersion || "";
  }

  function announce(text) {
    clearTimeout(announceTimer);
    announceTimer = setTimeout(() => {
      if (text !== announced && root.isConnected) {
        announced = text;
        live.textContent = text;
      }
    }, ANNOUNCE_DELAY_MS);
  }

  // --- the form state in the URL fragment ---------------------------------------------------------

  /** Keep the address in step with the form (one history entry, replaced: not one per keystroke). */
  function writeFragment() {
    const fragment = requestToFragment(formToRequest(form), contentVersion());
    if (fragment === location.hash || (!fragment && !isStateFragment(location.hash))) return;
    const url = `${location.pathname}${location.search}${fragment}`;
    history.replaceState(history.state, "", url);
  }

  /** Fill the form from a state fragment; false when the hash is an ordinary anchor. */
  function readFragment() {
    const state = fragmentToState(location.hash, kinds);
    if (!state) return false;
    requestToForm(form, state.request);
    linkVersion = state.version || null;
    return true;
  }

  function shareUrl() {
    const fragment = requestToFragment(formToRequest(form), contentVersion());
    return `${location.origin}${location.pathname}${location.search}${fragment}`;
  }

  // --- errors and results ----------------------------------------------------------------------------

  function showErrors(errors) {
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
    formError.hidden = !formError.textContent;
    offerPlanRegimen(byField.has("schedule_regimen_id"));
  }

  // A regimen chosen for the schedule has no control of its own (it is chosen on the result): when it is
  // rejected, e.g. in a link made under an older content version, offer the way back to the plan's.
  function offerPlanRegimen(rejected) {
    const box = form.querySelector('[data-error-for="schedule_regimen_id"]');
    if (!box || !rejected) return;
    const button = h("button", { type: "button", class: "b12-calc__link-button" }, "Schedule the plan's regimen instead");
    button.addEventListener("click", () => {
      form.elements.namedItem("schedule_regimen_id").value = "";
      writeFragment();
      run();
    });
    box.append(" ", button);
  }

  /** Whether this answer is to a regimen choice gone stale: the plan it was chosen beside has changed, or
   * the engine no longer shows it for the patient (its only complaint). A choice that never had a result
   * (e.g. from an old link) is not dropped: its error offers the plan's regimen instead. */
  function staleChoice(answer) {
    const chosen = scheduleField ? scheduleField.value : "";
    if (!chosen || !scheduleChoice || scheduleChoice.id !== chosen) return false;
    if (answer.errors) return answer.errors.length > 0 && answer.errors.every((e) => e.field === "schedule_regimen_id");
    return answer.result.plan.regimen_id !== scheduleChoice.plan;
  }

  function dropChoice() {
    scheduleField.value = "";
    scheduleChoice = null;
    choiceDropped = true;
    writeFragment();
  }

  function showResult(result) {
    lastResult = result;
    const chosen = scheduleField ? scheduleField.value : "";
    scheduleChoice = chosen ? (scheduleChoice && scheduleChoice.id === chosen ? scheduleChoice
      : { id: chosen, plan: result.plan.regimen_id }) : null;
    if (linkVersion && linkVersion === result.calculator.content_version) linkVersion = null;
    resultBox.dataset.status = result.lab.status;
    // Keep the reader's place in the result column (it is re-rendered on every keystroke).
    const scrolled = resultBox.scrollTop;
    const open = forgetOpenGroups ? new Set()
      : new Set([...resultBox.querySelectorAll("details[open][data-group]")].map((d) => d.dataset.group));
    forgetOpenGroups = false;
    replaceKeepingFocus(resultBox, () => document.getElementById(PLAN_ID),
      renderResult(result, referencesUrl));
    for (const details of resultBox.querySelectorAll("details[data-group]")) {
      if (open.has(details.dataset.group)) details.open = true;
    }
    if (scrolled) resultBox.scrollTop = scrolled; // writing it forces a layout of the new result at once
    resultBox.hidden = false;
    renderStatus();
    root.dispatchEvent(new CustomEvent("b12:result", { detail: result }));
    const fallback = choiceDropped ? " The schedule follows the plan's regimen again." : "";
    choiceDropped = false;
    announce(`Result updated.${fallback} ${result.plan.summary}`);
  }

  function showInvalid(errors) {
    lastResult = null;
    shownRequest = null;
    showErrors(errors);
    delete resultBox.dataset.status;
    resultBox.replaceChildren();
    resultBox.hidden = true;
    renderStatus(errors.length);
    root.dispatchEvent(new CustomEvent("b12:errors", { detail: errors }));
    announce(`${errors.length} field${errors.length === 1 ? " needs" : "s need"} attention; no result is shown.`);
  }

  /** Send the form and show its answer. With unlessShown, a form whose result is already on screen is
   * not sent again: focus leaving an unchanged date, or the engine becoming ready after it answered, must
   * not re-render the result under a keyboard reader on their way into it. */
  async function run({ unlessShown = false } = {}) {
    if (!root.isConnected) return;
    // While the engine boots, the request waits in the worker and is answered right after its warm-up,
    // not one round trip after the page has heard that it is ready.
    if (eng.state === "failed") return; // Retry runs the form again once the engine is ready
    if (inFlight) {
      dirty = true;
      return;
    }
    const problems = formProblems(form);
    if (problems.length) {
      showInvalid(problems);
      return;
    }
    const request = formToRequest(form);
    const key = JSON.stringify(request);
    if (unlessShown && key === shownRequest && !resultBox.hidden) return;
    inFlight = true;
    dirty = false;
    try {
      const answer = await eng.evaluate(request);
      if (!dirty && root.isConnected) {
        if (staleChoice(answer)) {
          dropChoice();
          dirty = true; // asked again, for the plan's regimen, as soon as this request settles
        } else if (answer.errors) showInvalid(answer.errors);
        else {
          showErrors([]);
          showResult(answer.result);
          shownRequest = key;
        }
      }
    } catch (error) {
      // A failed engine shows the fallback through its state listener; a failure on this one request
      // (a bug, not bad input) is said plainly, and no result is left on screen.
      if (eng.state === "ready" && root.isConnected) {
        showInvalid([{ field: "request", message: `The calculator failed on this input: ${messageOf(error)}` }]);
      }
    } finally {
      inFlight = false;
      if (dirty) run();
    }
  }

  // --- the status bar: loading, failure, or the plan in one line (sticky on a phone) --------------------

  function linkNotice() {
    if (!linkVersion || !lastResult) return null;
    return h("p", { class: "b12-calc__link-notice", "data-b12": "link-notice" },
      `This link was made with content version ${linkVersion}; this page uses ${lastResult.calculator.content_version}. `,
      "The entered values are restored: check the plan again before you use it.");
  }

  function renderStatus(errorCount = 0) {
    status.classList.remove("b12-calc__status--plan");
    if (eng.state === "booting") {
      const { step, steps, label, percent } = eng.progress;
      status.dataset.state = "booting";
      status.replaceChildren(h("div", { class: "b12-calc__progress" },
        h("p", {}, h("strong", {}, "Loading calculator engine\u2026"), " ",
          step ? `Step ${step} of ${steps}: ${label}.` : `${label}.`,
          " You can fill in the form meanwhile."),
        eng.notice ? h("p", { class: "b12-calc__notice" }, eng.notice) : null,
        h("progress", { max: "100", value: String(percent), "aria-label": "Loading calculator engine" }, `${percent}%`)));
      resultBox.hidden = true; // a result from before a restart may not match the form any more
    } else if (eng.state === "failed") {
      status.dataset.state = "failed";
      const retry = h("button", { type: "button", class: "md-button md-button--primary", "data-b12": "retry" }, "Retry");
      retry.addEventListener("click", () => {
        eng.retry();
        status.focus();
      });
      status.replaceChildren(h("div", { class: "admonition failure b12-calc__fallback", role: "alert" },
        h("p", { class: "admonition-title" }, eng.errorTitle || "The calculator could not start"),
        h("p", {}, eng.error),
        h("p", {}, "The tables further down this page hold the same rules, thresholds and regimens. ",
          scrollLink(FALLBACK_SECTION_ID, "Go to the tables")),
        h("p", {}, retry)));
      resultBox.hidden = true;
    } else {
      status.dataset.state = "ready";
      if (lastResult) {
        const { plan } = lastResult;
        status.classList.add("b12-calc__status--plan");
        status.replaceChildren(h("div", {
          class: "b12-calc__bar", "data-plan-bar": "", "data-plan-action": plan.action,
        },
        h("p", { class: "b12-calc__summary" }, actionBadge(plan), " ",
          h("span", { class: "b12-calc__bar-headline", "data-plan-headline": "" }, planLead(plan)), " ",
          scrollLink(PLAN_ID, "See the plan", status))), linkNotice() || "");
      } else if (errorCount) {
        status.replaceChildren(h("p", { class: "b12-calc__summary b12-calc__summary--invalid" },
          `${errorCount} field${errorCount === 1 ? " needs" : "s need"} attention: see the messages by the fields.`));
      } else {
        status.replaceChildren();
      }
    }
  }

  // --- taking the result with you ------------------------------------------------------------------

  function say(text) {
    const box = resultBox.querySelector('[data-b12="action-status"]');
    if (box) box.textContent = text;
  }

  /** The engine's rendering of the current form in `format`, or null (the reason is shown). */
  async function exported(format) {
    try {
      const answer = await eng.render(formToRequest(form), format);
      if (answer.export) return answer.export;
      say((answer.errors || []).map((e) => e.message).join(" ") || "This could not be prepared.");
    } catch (error) {
      say(`This could not be prepared: ${messageOf(error)}`);
    }
    return null;
  }

  function print(mode) {
    app.dataset.print = mode;
    const date = resultBox.querySelector("[data-print-date]");
    if (date) date.textContent = todayText();
    window.print();
  }

  const actions = {
    "copy-text": async () => {
      const notes = await exported("notes");
      if (notes) say(await copyText(notes.text) ? "Copied for the notes." : "Could not copy: select the text and copy it yourself.");
    },
    "copy-link": async () => {
      writeFragment();
      say(await copyText(shareUrl()) ? "Link copied." : "Could not copy: copy the address bar instead.");
    },
    print: () => print("plan"),
    "print-patient": async () => {
      const sheet = await exported("patient");
      if (!sheet) return;
      patientSheet.replaceChildren(h("pre", {}, sheet.text));
      print("patient");
    },
    "download-ics": async () => {
      const calendar = await exported("ics");
      if (calendar) {
        downloadText(calendar);
        say(`Downloaded ${calendar.filename}.`);
      }
    },
    // From a first visit's plan: the same values at a review, its questions shown for the reader to fill.
    "review-visit": () => {
      const review = form.querySelector('input[name="visit"][value="review"]');
      if (!review) return;
      review.checked = true;
      syncShownFields(form);
      writeFragment();
      run();
      const questions = form.querySelector('[data-shown-with="visit"][data-shown-value="review"]');
      if (questions) jumpTo(questions, status);
    },
    "schedule-regimen": (button) => {
      const field = form.elements.namedItem("schedule_regimen_id");
      if (!field) return;
      field.value = button.dataset.regimenId || "";
      writeFragment();
      // The button is re-rendered away: take the reader (and focus) to the new dates.
      root.addEventListener("b12:result", () => {
        const dates = document.querySelector(`#${PLAN_ID} .b12-calc__section--schedule`);
        if (dates) jumpTo(dates, status);
      }, { once: true });
      run();
    },
  };

  resultBox.addEventListener("click", (event) => {
    const button = event.target.closest ? event.target.closest("button[data-action]") : null;
    if (!button || !actions[button.dataset.action]) return;
    actions[button.dataset.action](button);
  });
  window.addEventListener("afterprint", () => {
    delete app.dataset.print;
  });

  // --- wiring ----------------------------------------------------------------------------------------

  resultBox.id = "b12-result";
  status.tabIndex = -1;
  // Every control fires "input" on each change (checkboxes, radios and selects included); at most one
  // request is in flight and the newest form state wins, so fast typing costs no queue.
  const schedule = () => run();
  form.addEventListener("input", (event) => {
    if (event.target && event.target.dataset.kind === "unit") syncUnitLabels(form);
    syncShownFields(form);
    if (event.isTrusted) linkVersion = null; // the reader has changed the linked values
    writeFragment();
    schedule();
  });
  // A half-typed date changes no value and fires no input event: check it when focus leaves the control.
  form.addEventListener("focusout", (event) => {
    if (event.target && event.target.dataset.kind === "date") run({ unlessShown: true });
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    schedule();
  });
  form.addEventListener("reset", () => setTimeout(() => {
    // A hidden input's value is its default, which a native reset keeps: empty every field explicitly, so
    // the next patient gets neither the previous one's schedule regimen nor their values in the address.
    requestToForm(form, {});
    scheduleChoice = null;
    linkVersion = null;
    forgetOpenGroups = true;
    writeFragment();
    schedule();
  }));
  // Back/forward, or a pasted link, within the page: the fragment wins (an ordinary anchor is ignored).
  const onAddressChange = () => {
    if (!root.isConnected) return;
    const current = requestToFragment(formToRequest(form), contentVersion());
    if (isStateFragment(location.hash) && location.hash !== current && readFragment()) {
      scheduleChoice = null; // values from the address: a regimen chosen in them holds for their plan
      schedule();
    }
  };
  window.addEventListener("hashchange", onAddressChange);
  window.addEventListener("popstate", onAddressChange);

  readFragment();

  let previous = null;
  let unsubscribe = null;
  unsubscribe = eng.subscribe((e) => {
    if (!root.isConnected) {
      if (unsubscribe) unsubscribe();
      window.removeEventListener("hashchange", onAddressChange);
      window.removeEventListener("popstate", onAddressChange);
      return;
    }
    renderStatus();
    if (e.state === "booting" && previous !== "booting") announce("Loading calculator engine.");
    if (e.state === "failed" && previous !== "failed") announce(`${e.errorTitle || "The calculator could not start"}. The tables below still apply.`);
    // The form is sent once on mounting (while booting too) and again whenever the engine becomes ready,
    // unless a request is still in flight (the one sent while it booted) or its result is on screen.
    if (e.state !== "failed" && !inFlight && (previous === null || (e.state === "ready" && previous !== "ready"))) run({ unlessShown: true });
    previous = e.state;
  });
  syncUnitLabels(form);
  syncShownFields(form);
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

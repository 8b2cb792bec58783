// The B12 calculator on the main thread: the engine client (one module worker per visit), the form
// wiring, the result card, and the prewarm policy. Loaded on every page as a module (mkdocs.yml
// extra_javascript) and mounted through mkdocs-material's `document$`, so it survives instant navigation.
//
// The form's markup is generated at build time from calc.REQUEST_FIELDS (scripts/site_form.py): every
// control carries `name` = its request field and `data-kind` = the field's kind, so this file holds no
// list of fields. The engine (engine-worker.js) runs calc.evaluate_json in Pyodide; see its header for
// the message protocol.
//
// No inline script, no eval, nothing stored on window: the only shared state is the module-scoped engine
// singleton below (plus the prewarm timer). The mount element receives
//   CustomEvent("b12:result", {detail: result})   after each result is rendered
//   CustomEvent("b12:errors", {detail: errors})   after field errors are shown ([{field, message}])
// for tests and later features (permalinks, print, .ics export); formToRequest/requestToForm are exported
// as pure conversions between the form and a request.
//
// PREWARM POLICY (what starts the engine, which downloads ~6 MB and boots Python in the worker):
//   * On the calculator page: immediately, when this module runs.
//   * On any other page, immediately on intent: pointer over, touch or keyboard focus on a link to the
//     calculator page.
//   * On any other page, after the reader has stayed PREWARM_DWELL_MS (2 s) on it with the page visible,
//     at the next idle moment (requestIdleCallback), unless the browser asks to save data
//     (navigator.connection.saveData) or reports a 2G connection. A reader who leaves sooner loads nothing
//     beyond this small module; content pages stay light.
//   The engine then lives for the rest of the visit (instant navigation keeps this module alive), so a
//   reader who clicks through to the calculator a few seconds later gets a result at once.

const WORKER_URL = new URL("engine-worker.js", import.meta.url);
// Directory URLs: docs/calculator.md is served at <site>/calculator/, beside <site>/javascripts/.
const CALCULATOR_URL = new URL("../calculator/", import.meta.url);
const MOUNT_ID = "b12-calculator";
// The calculator page's section with the static tables (docs/calculator.md), linked from the fallback.
const FALLBACK_SECTION_ID = "if-the-calculator-cannot-run";

const PREWARM_DWELL_MS = 2000;
const IDLE_TIMEOUT_MS = 1500;
const BOOT_TIMEOUT_MS = 60000;
const ANNOUNCE_DELAY_MS = 800;

// ------------------------------------------------------------------------------------------------------
// Engine client: one module worker per visit
// ------------------------------------------------------------------------------------------------------

let engine = null;

export function engineSupported() {
  return typeof Worker === "function" && typeof WebAssembly === "object";
}

export function getEngine() {
  if (!engine) {
    engine = new Engine();
  }
  return engine;
}

class Engine {
  constructor() {
    this.listeners = new Set();
    this.pending = new Map();
    this.nextId = 1;
    this.start();
  }

  start() {
    this.state = "booting";
    this.error = null;
    this.progress = { step: 0, steps: 3, label: "Starting the calculator engine", percent: 0 };
    this.startedAt = performance.now();
    this.readyInfo = null;
    if (!engineSupported()) {
      this.fail("This browser cannot run the calculator: it lacks Web Workers or WebAssembly.");
      return;
    }
    try {
      this.worker = new Worker(WORKER_URL, { type: "module", name: "b12-engine" });
    } catch (error) {
      this.fail(`The calculator engine could not start (${messageOf(error)}).`);
      return;
    }
    this.worker.onmessage = (event) => this.receive(event.data || {});
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.fail(`The calculator engine could not start (${event.message || "worker error"}).`);
    };
    this.worker.onmessageerror = () => this.fail("The calculator engine sent an unreadable message.");
    this.timer = setTimeout(() => {
      this.fail(`The calculator engine did not start within ${BOOT_TIMEOUT_MS / 1000} seconds.`);
    }, BOOT_TIMEOUT_MS);
  }

  receive(message) {
    if (message.id !== undefined) {
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (!waiter) return;
      if (message.fatal) waiter.reject(new Error(message.fatal));
      else waiter.resolve(message);
    } else if (message.progress) {
      this.progress = message.progress;
      this.notify();
    } else if (message.ready) {
      clearTimeout(this.timer);
      this.state = "ready";
      this.readyInfo = { ...message.ready, ms: Math.round(performance.now() - this.startedAt) };
      this.notify();
    } else if (message.fatal) {
      this.fail(`The calculator engine could not start: ${message.fatal}`);
    }
  }

  /** Resolve to {result} or {errors}; reject if the engine fails. */
  evaluate(request) {
    if (this.state === "failed") {
      return Promise.reject(new Error(this.error));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, request });
    });
  }

  fail(message) {
    if (this.state === "failed") return;
    clearTimeout(this.timer);
    this.state = "failed";
    this.error = message;
    if (this.worker) this.worker.terminate();
    this.worker = null;
    for (const waiter of this.pending.values()) waiter.reject(new Error(message));
    this.pending.clear();
    this.notify();
  }

  retry() {
    if (this.state !== "failed") return;
    this.start();
    this.notify();
  }

  subscribe(listener) {
    this.listeners.add(listener);
    listener(this);
    return () => this.listeners.delete(listener);
  }

  notify() {
    for (const listener of [...this.listeners]) listener(this);
  }
}

function messageOf(error) {
  return error && error.message ? error.message : String(error);
}

// ------------------------------------------------------------------------------------------------------
// Form <-> request (pure conversions; the markup says which field is which kind)
// ------------------------------------------------------------------------------------------------------

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const UNIT_ALIASES = { "\u00b5mol/L": "umol/L", "\u03bcmol/L": "umol/L" };

function controls(form) {
  return [...form.elements].filter((el) => el.name && el.dataset.kind);
}

/**
 * The request that the form describes. Empty and default fields are left out (the contract's defaults
 * apply); a number that does not parse is passed as typed, so the engine words the error.
 */
export function formToRequest(form) {
  const request = {};
  for (const el of controls(form)) {
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
        if (el.checked && el.value) request[name] = el.value;
        break;
      case "date":
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
        el.checked = (value || "") === el.value;
        break;
      case "date":
        el.value = typeof value === "string" ? value : "";
        break;
      default:
        break;
    }
  }
  syncUnitLabels(form);
}

function syncUnitLabels(form) {
  for (const span of form.querySelectorAll("[data-unit-of]")) {
    const select = form.elements.namedItem(span.dataset.unitOf);
    if (select && select.selectedOptions && select.selectedOptions[0]) {
      span.textContent = select.selectedOptions[0].textContent;
    }
  }
}

// ------------------------------------------------------------------------------------------------------
// DOM helpers and wording
// ------------------------------------------------------------------------------------------------------

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

const STATUS_LABELS = {
  deficient: "Deficiency confirmed",
  indeterminate: "Indeterminate",
  unlikely: "Deficiency unlikely",
  not_tested: "No B12 result entered",
};
const ROUTE_LABELS = {
  oral: "Oral",
  im: "Intramuscular injection (IM)",
  either: "Either route: a shared decision",
};
const SEVERITY_LABELS = { urgent: "Urgent", caution: "Caution", info: "Note" };
const KIND_LABELS = { dose: "Dose", review: "Review" };

const statusLabel = (status) => STATUS_LABELS[status] || status;
const routeLabel = (route) => ROUTE_LABELS[route] || route;
const unitText = (unit) => String(unit).replace("umol/L", "\u00b5mol/L");

function num(value) {
  if (typeof value !== "number") return String(value);
  return String(Math.round(value * 10) / 10);
}

const DATE_FORMAT = new Intl.DateTimeFormat("en-GB", {
  weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "UTC",
});

function dateText(iso) {
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? iso : DATE_FORMAT.format(date);
}

// ------------------------------------------------------------------------------------------------------
// The result card (a pure function of the result and the References page URL)
// ------------------------------------------------------------------------------------------------------

function citations(keys, ctx) {
  const refs = (keys || []).map((key) => ctx.refs.get(key)).filter(Boolean).sort((a, b) => a.number - b.number);
  if (!refs.length) return null;
  return h("span", { class: "b12-calc__cites" }, refs.map((ref) => {
    const url = new URL(`#ref-${ref.key}`, ctx.referencesUrl);
    const title = `${ref.authors}${ref.year ? ` (${ref.year})` : ""}. ${ref.title}.`;
    return h("a", { href: url.href, title, "data-ref": ref.key }, `[${ref.number}]`);
  }));
}

function section(key, title, ...children) {
  return h("section", { class: `b12-calc__section b12-calc__section--${key}`, "aria-labelledby": `b12-r-${key}` },
    h("h3", { id: `b12-r-${key}` }, title), ...children);
}

function labSection(result, ctx) {
  const { lab, request } = result;
  const rows = [];
  if (lab.total_b12_ng_per_l !== null && lab.total_b12_ng_per_l !== undefined) {
    const entered = request.total_b12_unit && !["ng/L"].includes(request.total_b12_unit)
      ? `${num(request.total_b12)} ${unitText(request.total_b12_unit)} = ` : "";
    rows.push(["Total B12", `${entered}${num(lab.total_b12_ng_per_l)} ng/L = ${num(lab.total_b12_pmol_per_l)} pmol/L`,
      lab.total_b12_band ? statusLabel(lab.total_b12_band) : null]);
  }
  if (request.active_b12 !== null && request.active_b12 !== undefined) {
    rows.push(["Active B12", `${num(request.active_b12)} pmol/L`, lab.active_b12_band ? statusLabel(lab.active_b12_band) : null]);
  }
  if (request.mma !== null && request.mma !== undefined) {
    const limit = lab.mma_upper_limit_umol_per_l;
    const used = lab.mma_used ? "used" : "not needed for this result";
    const limitText = limit !== null && limit !== undefined
      ? `; upper limit ${num(limit)} \u00b5mol/L${lab.mma_default_limit_used ? " (default: no lab limit entered)" : ""}` : "";
    rows.push(["MMA", `${num(request.mma)} ${unitText(request.mma_unit)} (${used}${limitText})`, null]);
  }
  return section("lab", "Lab result",
    h("p", { class: "b12-calc__status-line" },
      h("span", { class: `b12-calc__badge b12-calc__badge--${lab.status}` }, statusLabel(lab.status))),
    h("p", { class: "b12-calc__rule", "data-rule": lab.rule }, lab.rule_text, " ", citations(lab.refs, ctx)),
    rows.length ? h("dl", { class: "b12-calc__values" }, rows.map(([term, value, band]) => [
      h("dt", {}, term), h("dd", {}, value, band ? h("span", { class: "b12-calc__band" }, ` \u2014 ${band}`) : null),
    ])) : null,
    lab.notes.length ? h("ul", { class: "b12-calc__notes" }, lab.notes.map((n) => h("li", {}, n))) : null,
    lab.next_steps.length ? [h("h4", {}, "Next steps"), h("ul", {}, lab.next_steps.map((n) => h("li", {}, n)))] : null,
  );
}

function routeSection(result, ctx) {
  const { route } = result;
  let honoured = null;
  if (route.preference_honoured === true) honoured = "Your preferred route is honoured.";
  else if (route.preference_honoured === false) honoured = "Your preferred route is not the suggested one (see the reasons).";
  return section("route", "Route",
    h("p", { class: "b12-calc__status-line" },
      h("span", { class: "b12-calc__badge b12-calc__badge--route", "data-route": route.preferred }, routeLabel(route.preferred)),
      honoured ? ` ${honoured}` : null),
    h("ul", { class: "b12-calc__reasons" },
      route.reasons.map((r) => h("li", { "data-reason": r.code }, r.text, " ", citations(r.refs, ctx)))),
  );
}

function regimenCard(regimen, ctx) {
  return h("article", {
    class: `b12-calc__regimen${regimen.recommended ? " b12-calc__regimen--recommended" : ""}`,
    "data-regimen-id": regimen.id,
    "aria-labelledby": `b12-reg-${regimen.id}`,
  },
  h("p", { class: "b12-calc__regimen-flags" },
    regimen.recommended
      ? h("span", { class: "b12-calc__badge b12-calc__badge--recommended" }, "Recommended option")
      : h("span", { class: "b12-calc__badge" }, "Also listed"),
    h("span", {
      class: `b12-calc__badge b12-calc__badge--verify-${regimen.verification}`,
      title: "Verification status of the source",
    }, regimen.verification_label)),
  h("h4", { id: `b12-reg-${regimen.id}` }, regimen.label),
  h("dl", { class: "b12-calc__facts" },
    h("dt", {}, "Source"), h("dd", {}, regimen.whose, " ", citations(regimen.refs, ctx)),
    h("dt", {}, "Jurisdiction"), h("dd", {}, regimen.jurisdiction),
    h("dt", {}, "Drug"), h("dd", {}, regimen.drug),
    h("dt", {}, "Route"), h("dd", {}, routeLabel(regimen.route))),
  h("ol", { class: "b12-calc__phases" }, regimen.phases.map((p) => h("li", {}, h("strong", {}, `${p.name}: `), p.text))),
  h("p", { class: "b12-calc__because" }, regimen.applies_because),
  regimen.note ? h("p", { class: "b12-calc__note" }, regimen.note) : null);
}

function regimensSection(result, ctx) {
  const ordered = [...result.regimens].sort((a, b) => Number(b.recommended) - Number(a.recommended));
  const recommended = ordered.filter((r) => r.recommended).length;
  return section("regimens", "Regimen options",
    h("p", {}, `${ordered.length} option${ordered.length === 1 ? "" : "s"} from the sources, `,
      `${recommended} recommended for these answers. Compare them side by side; none is "the dose".`),
    h("div", { class: "b12-calc__regimens" }, ordered.map((r) => regimenCard(r, ctx))));
}

function adviceSection(key, title, items, ctx) {
  if (!items.length) return null;
  return section(key, title, h("ul", { class: "b12-calc__advice" }, items.map((item) => h("li", {
    class: `b12-calc__advice-item b12-calc__advice-item--${item.severity}`,
    "data-code": item.code,
    "data-severity": item.severity,
  },
  h("span", { class: "b12-calc__severity" }, `${SEVERITY_LABELS[item.severity] || item.severity}: `),
  item.text, " ", citations(item.refs, ctx)))));
}

function scheduleSection(result) {
  if (!result.schedule.length) return null;
  const regimen = result.regimens.find((r) => r.id === result.schedule_regimen_id);
  return section("schedule", "Schedule",
    h("div", { class: "md-typeset__scrollwrap" }, h("div", { class: "md-typeset__table" },
      h("table", { "data-schedule-for": result.schedule_regimen_id },
        h("caption", {}, `Dates for ${regimen ? regimen.label : result.schedule_regimen_id}, up to the first review.`),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Date"), h("th", { scope: "col" }, "Type"), h("th", { scope: "col" }, "What"))),
        h("tbody", {}, result.schedule.map((e) => h("tr", { "data-kind": e.kind },
          h("td", {}, h("time", { datetime: e.date }, dateText(e.date))),
          h("td", {}, KIND_LABELS[e.kind] || e.kind),
          h("td", {}, e.label))))))));
}

/** The whole result card (one element; no side effects, so print and copy-as-text can reuse it). */
export function renderResult(result, referencesUrl) {
  const ctx = { referencesUrl, refs: new Map(result.references.map((r) => [r.key, r])) };
  const scope = result.scope;
  const meta = result.calculator;
  return h("div", { class: "b12-calc__card" },
    h("h2", { class: "b12-calc__title" }, "Result"),
    h("div", { class: "admonition warning b12-calc__disclaimer" },
      h("p", { class: "admonition-title" }, "Before you act on this result"),
      h("p", {}, result.disclaimer),
      h("p", { class: "b12-calc__scope" }, scope.text)),
    scope.within_nice_scope ? null : h("div", { class: "admonition danger b12-calc__out-of-scope" },
      h("p", { class: "admonition-title" }, `Outside NICE's scope (under ${scope.nice_min_age_years})`),
      h("p", {}, "The regimens below are shown for reference only: seek a paediatric specialist and the BNF for Children.")),
    labSection(result, ctx),
    routeSection(result, ctx),
    regimensSection(result, ctx),
    adviceSection("warnings", "Warnings", result.warnings, ctx),
    adviceSection("monitoring", "Monitoring and follow-up", result.monitoring, ctx),
    scheduleSection(result),
    h("p", { class: "b12-calc__meta" },
      `${meta.name} ${meta.version}, content version ${meta.content_version}, last reviewed ${meta.last_reviewed}. ${meta.review_status}`));
}

export function summarize(result) {
  const recommended = result.regimens.filter((r) => r.recommended).length;
  const urgent = result.warnings.filter((w) => w.severity === "urgent").length;
  const options = result.regimens.length;
  return `${statusLabel(result.lab.status)}. Route: ${routeLabel(result.route.preferred)}. `
    + `${options} regimen option${options === 1 ? "" : "s"}, ${recommended} recommended.`
    + (urgent ? ` ${urgent} urgent warning${urgent > 1 ? "s" : ""}.` : "");
}

// The URL fragment is kept free (for permalinks later): in-page links scroll and move focus themselves.
function scrollLink(targetId, text) {
  const target = document.getElementById(targetId);
  if (!target) return null;
  const link = h("a", { href: `#${targetId}`, class: "b12-calc__jump" }, text);
  link.addEventListener("click", (event) => {
    event.preventDefault();
    target.scrollIntoView({ block: "start" });
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
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

  // Remember each control's own description, so error ids can be added and removed.
  for (const el of [...form.elements, ...form.querySelectorAll("fieldset[data-field]")]) {
    if (el.hasAttribute("aria-describedby")) el.dataset.describedby = el.getAttribute("aria-describedby");
  }

  const eng = getEngine();
  let inFlight = false;
  let dirty = false;
  let lastResult = null;
  let announceTimer = 0;
  let announced = "";

  function announce(text) {
    clearTimeout(announceTimer);
    announceTimer = setTimeout(() => {
      if (text !== announced && root.isConnected) {
        announced = text;
        live.textContent = text;
      }
    }, ANNOUNCE_DELAY_MS);
  }

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
  }

  function showResult(result) {
    lastResult = result;
    resultBox.dataset.status = result.lab.status;
    resultBox.replaceChildren(renderResult(result, referencesUrl));
    resultBox.hidden = false;
    renderStatus();
    root.dispatchEvent(new CustomEvent("b12:result", { detail: result }));
    announce(`Result updated. ${summarize(result)}`);
  }

  function showInvalid(errors) {
    lastResult = null;
    showErrors(errors);
    delete resultBox.dataset.status;
    resultBox.replaceChildren();
    resultBox.hidden = true;
    renderStatus(errors.length);
    root.dispatchEvent(new CustomEvent("b12:errors", { detail: errors }));
    announce(`${errors.length} field${errors.length === 1 ? " needs" : "s need"} attention; no result is shown.`);
  }

  async function run() {
    if (!root.isConnected) return;
    if (eng.state !== "ready") return; // the engine state listener runs again on "ready"
    if (inFlight) {
      dirty = true;
      return;
    }
    const problems = formProblems(form);
    if (problems.length) {
      showInvalid(problems);
      return;
    }
    inFlight = true;
    dirty = false;
    try {
      const answer = await eng.evaluate(formToRequest(form));
      if (!dirty && root.isConnected) {
        if (answer.errors) showInvalid(answer.errors);
        else {
          showErrors([]);
          showResult(answer.result);
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

  function renderStatus(errorCount = 0) {
    if (eng.state === "booting") {
      const { step, steps, label, percent } = eng.progress;
      status.dataset.state = "booting";
      status.replaceChildren(h("div", { class: "b12-calc__progress" },
        h("p", {}, h("strong", {}, "Loading calculator engine\u2026"), " ",
          step ? `Step ${step} of ${steps}: ${label}.` : `${label}.`,
          " You can fill in the form meanwhile."),
        h("progress", { max: "100", value: String(percent), "aria-label": "Loading calculator engine" }, `${percent}%`)));
    } else if (eng.state === "failed") {
      status.dataset.state = "failed";
      const retry = h("button", { type: "button", class: "md-button md-button--primary", "data-b12": "retry" }, "Retry");
      retry.addEventListener("click", () => {
        eng.retry();
        status.focus();
      });
      status.replaceChildren(h("div", { class: "admonition failure b12-calc__fallback", role: "alert" },
        h("p", { class: "admonition-title" }, "The calculator could not start"),
        h("p", {}, eng.error),
        h("p", {}, "The tables further down this page hold the same rules, thresholds and regimens. ",
          scrollLink(FALLBACK_SECTION_ID, "Go to the tables")),
        h("p", {}, retry)));
      resultBox.hidden = true;
    } else {
      status.dataset.state = "ready";
      if (lastResult) {
        status.replaceChildren(h("p", { class: "b12-calc__summary" }, h("strong", {}, "Result: "),
          summarize(lastResult), " ", jumpLink()));
      } else if (errorCount) {
        status.replaceChildren(h("p", { class: "b12-calc__summary b12-calc__summary--invalid" },
          `${errorCount} field${errorCount === 1 ? " needs" : "s need"} attention: see the messages by the fields.`));
      } else {
        status.replaceChildren();
      }
    }
  }

  const jumpLink = () => scrollLink(resultBox.id, "Jump to the result");

  resultBox.id = "b12-result";
  status.tabIndex = -1;
  // Every control fires "input" on each change (checkboxes, radios and selects included); at most one
  // request is in flight and the newest form state wins, so fast typing costs no queue.
  const schedule = () => run();
  form.addEventListener("input", (event) => {
    if (event.target && event.target.dataset.kind === "unit") syncUnitLabels(form);
    schedule();
  });
  // A half-typed date changes no value and fires no input event: check it when focus leaves the control.
  form.addEventListener("focusout", (event) => {
    if (event.target && event.target.dataset.kind === "date") schedule();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    schedule();
  });
  form.addEventListener("reset", () => setTimeout(() => {
    syncUnitLabels(form);
    schedule();
  }));

  let previous = null;
  let unsubscribe = null;
  unsubscribe = eng.subscribe((e) => {
    if (!root.isConnected) {
      if (unsubscribe) unsubscribe();
      return;
    }
    renderStatus();
    if (e.state === "booting" && previous !== "booting") announce("Loading calculator engine.");
    if (e.state === "failed" && previous !== "failed") announce("The calculator could not start. The tables below still apply.");
    if (e.state === "ready" && previous !== "ready") run();
    previous = e.state;
  });
  syncUnitLabels(form);
}

// ------------------------------------------------------------------------------------------------------
// Prewarm (see the policy at the top of this file)
// ------------------------------------------------------------------------------------------------------

let dwellTimer = 0;

function isCalculatorLink(link) {
  try {
    const url = new URL(link.href, document.baseURI);
    return url.origin === CALCULATOR_URL.origin
      && (url.pathname === CALCULATOR_URL.pathname || url.pathname === `${CALCULATOR_URL.pathname}index.html`);
  } catch {
    return false;
  }
}

function prewarmOnIntent(event) {
  if (engine || !engineSupported()) return;
  const link = event.target && event.target.closest ? event.target.closest("a[href]") : null;
  if (link && isCalculatorLink(link)) getEngine();
}

function saveDataOrSlow() {
  const connection = navigator.connection;
  return Boolean(connection && (connection.saveData || /2g$/.test(connection.effectiveType || "")));
}

function whenIdle(callback) {
  if (typeof requestIdleCallback === "function") requestIdleCallback(callback, { timeout: IDLE_TIMEOUT_MS });
  else setTimeout(callback, 1);
}

function armDwellPrewarm() {
  clearTimeout(dwellTimer);
  if (engine || !engineSupported() || saveDataOrSlow()) return;
  dwellTimer = setTimeout(() => {
    if (document.visibilityState === "hidden") {
      document.addEventListener("visibilitychange", armDwellPrewarm, { once: true });
      return;
    }
    whenIdle(() => {
      if (!engine && document.visibilityState !== "hidden") getEngine();
    });
  }, PREWARM_DWELL_MS);
}

// ------------------------------------------------------------------------------------------------------
// Start-up: once per full page load; material's document$ then fires on every (instant) page view
// ------------------------------------------------------------------------------------------------------

function onPage() {
  const root = document.getElementById(MOUNT_ID);
  if (root) {
    clearTimeout(dwellTimer);
    mount(root);
  } else {
    armDwellPrewarm();
  }
}

for (const type of ["pointerover", "focusin", "touchstart"]) {
  document.addEventListener(type, prewarmOnIntent, { passive: true, capture: true });
}

// On the calculator page the engine starts before anything else: this module is loaded with `async`, so
// it may run before the document is parsed and before material's bundle has defined `document$`.
function onCalculatorPage() {
  const path = location.pathname;
  return path === CALCULATOR_URL.pathname || path === `${CALCULATOR_URL.pathname}index.html`
    || Boolean(document.getElementById(MOUNT_ID));
}
if (onCalculatorPage()) getEngine();

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

// The result card: the plan first, then everything else collapsed. A pure function of the engine's
// result (the plan contract, calc.evaluate) and the References page URL:
// no side effects, and no label map of its own: every reader-facing word, date and unit comes with the
// result (calc/vocabulary.py); format.js gives only the date printed.
//
// Hooks (for tests and tools): the plan element carries data-plan, data-plan-action and
// data-plan-regimen-id; its headline carries data-plan-headline. Buttons carry data-action (handled by
// calculator.js through one delegated listener): copy-text, copy-link, print, print-patient,
// download-ics, schedule-regimen (with data-regimen-id; "" = back to the plan's regimen), review-visit
// (switch the form to a review visit). The prescription carries data-prescription, its line
// data-prescription-line.

import { h } from "./dom.js";
import { todayText } from "./format.js";

export const PLAN_ID = "b12-plan";


const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

// ------------------------------------------------------------------------------------------------------
// Small parts
// ------------------------------------------------------------------------------------------------------

function citations(keys, ctx) {
  const refs = (keys || []).map((key) => ctx.refs.get(key)).filter(Boolean).sort((a, b) => a.number - b.number);
  if (!refs.length) return null;
  for (const ref of refs) ctx.cited.add(ref.key);
  return h("span", { class: "b12-calc__cites" }, refs.map((ref) => {
    const url = new URL(`#ref-${ref.key}`, ctx.referencesUrl);
    const title = `${ref.authors}${ref.year ? ` (${ref.year})` : ""}. ${ref.title}.`;
    return h("a", { href: url.href, title, "data-ref": ref.key }, `[${ref.number}]`);
  }));
}

function block(key, title, ...children) {
  return h("section", { class: `b12-calc__section b12-calc__section--${key}`, "aria-labelledby": `b12-r-${key}` },
    h("h3", { id: `b12-r-${key}` }, title), ...children);
}

function textList(items, ctx, attrs = {}) {
  if (!items || !items.length) return null;
  return h("ul", attrs, items.map((item) => h("li", {}, item.text, " ", citations(item.refs, ctx))));
}

function adviceItem(item, ctx) {
  return h("li", {
    class: `b12-calc__advice-item b12-calc__advice-item--${item.severity}`,
    "data-code": item.code,
    "data-severity": item.severity,
  },
  h("strong", { class: "b12-calc__severity" }, `${item.title}. `),
  item.text, " ", citations(item.refs, ctx));
}

function labLine(result) {
  const text = result.lab.values_text;
  if (!text) return null;
  return h("p", { class: "b12-calc__lab-line", "data-lab-status": result.lab.status },
    h("strong", {}, "Lab: "), text, ".");
}

// ------------------------------------------------------------------------------------------------------
// The plan
// ------------------------------------------------------------------------------------------------------

/** The plan's one line: its headline (the dose) when it treats, else its first next step, else what
 * follows it (a review's "stop": no follow-up unless symptoms return). */
export function planLead(plan) {
  if (plan.headline) return plan.headline;
  const first = (plan.next_steps || [])[0];
  if (first) return first.text;
  return plan.review && plan.review.text ? plan.review.text : plan.summary;
}

export function actionBadge(plan) {
  return h("span", { class: `b12-calc__badge b12-calc__badge--action b12-calc__badge--${plan.action}` },
    plan.action_label);
}

function scheduleTable(result, ctx) {
  if (!result.schedule.length) return null;
  const plan = result.plan;
  const regimen = result.regimens.find((r) => r.id === result.schedule_regimen_id);
  const chosen = plan.regimen_id && result.schedule_regimen_id && result.schedule_regimen_id !== plan.regimen_id;
  return block("schedule", "Schedule",
    h("p", { class: "b12-calc__schedule-for" },
      chosen ? "Dates for the regimen you chose: " : "Dates for the plan: ",
      regimen ? h("span", {}, regimen.headline || regimen.label) : null, " ",
      regimen ? citations(regimen.refs, ctx) : null,
      chosen ? [" ", h("button", {
        type: "button", class: "b12-calc__link-button", "data-action": "schedule-regimen", "data-regimen-id": "",
      }, "Back to the plan's regimen")] : null),
    h("div", { class: "md-typeset__scrollwrap" }, h("div", { class: "md-typeset__table" },
      h("table", { class: "b12-calc__schedule", "data-schedule-for": result.schedule_regimen_id },
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Date"), h("th", { scope: "col" }, "What"))),
        h("tbody", {}, result.schedule.map((e) => h("tr", { "data-kind": e.kind, class: `b12-calc__event--${e.kind}` },
          h("td", {}, h("time", { datetime: e.date }, e.date_text)),
          h("td", {}, e.kind === "dose" ? null : h("strong", { class: "b12-calc__event-kind" }, `${e.kind_label}: `),
            e.label))))))));
}

function actionsBar(result) {
  const hasDates = result.schedule.length > 0;
  return h("div", { class: "b12-calc__take", role: "group", "aria-label": "Take the result with you" },
    h("div", { class: "b12-calc__take-buttons" },
      h("button", { type: "button", class: "md-button md-button--primary", "data-action": "copy-text" }, "Copy for the notes"),
      h("button", { type: "button", class: "md-button", "data-action": "copy-link" }, "Copy link"),
      h("button", { type: "button", class: "md-button", "data-action": "print" }, "Print"),
      h("button", { type: "button", class: "md-button", "data-action": "print-patient" }, "Print for the patient"),
      h("button", {
        type: "button", class: "md-button", "data-action": "download-ics", disabled: !hasDates,
        "aria-describedby": hasDates ? null : "b12-ics-hint",
      }, "Calendar (.ics)")),
    h("p", { class: "b12-calc__take-status", "data-b12": "action-status", role: "status", "aria-live": "polite" }),
    h("p", { class: "b12-calc__hint" }, "The link contains the entered values, in the part after # (never sent to a server)."),
    hasDates ? null : h("p", { class: "b12-calc__hint", id: "b12-ics-hint" }, "Add a start date to get the calendar file."));
}

/** The line a pharmacist can dispense from, its licence, and (collapsed, on screen and in print, where
 * the plan must stay within two pages) the counselling points and the pharmacist checks with their
 * sources. */
function prescriptionBlock(rx, ctx) {
  if (!rx) return null;
  const section = block("prescription", "Prescription",
    h("p", { class: "b12-rx__line", "data-prescription-line": "" }, rx.line, " ", citations(rx.refs, ctx)),
    rx.status ? h("p", { class: "b12-rx__status" }, h("strong", {}, "Licence: "), rx.status) : null,
    rx.counselling && rx.counselling.length ? h("details", {
      class: "b12-calc__group-box b12-rx__more", "data-group": "counselling",
    },
    h("summary", {}, `Counselling: ${plural(rx.counselling.length, "point")}`),
    h("ul", {}, rx.counselling.map((text) => h("li", {}, text)))) : null,
    rx.checks && rx.checks.length ? h("details", {
      class: "b12-calc__group-box b12-rx__more", "data-group": "pharmacist-checks",
    },
    h("summary", {}, `Pharmacist checks: ${plural(rx.checks.length, "item")}`),
    h("ul", { class: "b12-calc__advice" }, rx.checks.map((check) => h("li", { class: "b12-calc__advice-item" },
      h("strong", {}, `${check.title}. `), check.text, " ", citations(check.refs, ctx))))) : null);
  section.classList.add("b12-rx");
  section.dataset.prescription = "";
  return section;
}

/** At a first visit whose next steps send off tests a review reads (the antibodies, coeliac serology):
 * the way to that review, with the values entered so far. */
function reviewOffer(result) {
  // A next step whose result a review visit takes (results_for, from the decision table): offer the review.
  if (result.request.visit === "review" || !result.plan.next_steps.some((step) => step.results_for)) return null;
  return h("p", { class: "b12-calc__review-offer" }, h("button", {
    type: "button", class: "b12-calc__link-button", "data-action": "review-visit",
  }, "When the results come back: review"));
}

/** The next steps after the one the headline already gives (a plan without a dose leads with its first
 * step); no heading at all when none is left and there is no review to offer. */
function nextSteps(result, treating, ctx) {
  const { plan } = result;
  const steps = treating || plan.headline ? plan.next_steps || [] : (plan.next_steps || []).slice(1);
  const offer = reviewOffer(result);
  if (!steps.length && !offer) return null;
  return block("next", "Next steps", textList(steps, ctx), offer);
}

function planSection(result, ctx) {
  const { plan } = result;
  const treating = plan.treating;
  return h("section", {
    class: `b12-plan b12-plan--${plan.action}`,
    id: PLAN_ID,
    tabindex: "-1",
    "data-plan": "",
    "data-plan-action": plan.action,
    "data-plan-regimen-id": plan.regimen_id || "",
    "aria-labelledby": "b12-plan-title",
  },
  h("p", { class: "b12-plan__kicker" }, actionBadge(plan), " ", h("span", {}, plan.guidance_label)),
  h("h2", { class: "b12-plan__title", id: "b12-plan-title" }, plan.title),
  h("p", { class: "b12-plan__headline", "data-plan-headline": "" }, planLead(plan)),
  treating && plan.whose ? h("p", { class: "b12-plan__whose" }, "Whose: ", plan.whose, " ", citations(plan.refs, ctx)) : null,
  prescriptionBlock(plan.prescription, ctx),
  labLine(result),
  plan.why && plan.why.length ? block("why", "Why", textList(plan.why, ctx)) : null,
  nextSteps(result, treating, ctx),
  plan.review ? block("review", "Review",
    h("p", {}, plan.review.date ? [h("time", { datetime: plan.review.date }, plan.review.date_text), ": "] : null,
      plan.review.text, " ", citations(plan.review.refs, ctx))) : null,
  plan.cautions && plan.cautions.length
    ? block("cautions", "Cautions", h("ul", { class: "b12-calc__advice" }, plan.cautions.map((c) => adviceItem(c, ctx)))) : null,
  scheduleTable(result, ctx),
  actionsBar(result));
}

// ------------------------------------------------------------------------------------------------------
// Everything else, collapsed
// ------------------------------------------------------------------------------------------------------

function regimenCard(regimen, reason, ctx, offerSchedule) {
  return h("article", {
    class: "b12-calc__regimen",
    "data-regimen-id": regimen.id,
    "data-group": regimen.group,
    "aria-labelledby": `b12-reg-${regimen.id}`,
  },
  h("h4", { id: `b12-reg-${regimen.id}` }, regimen.label),
  h("p", { class: "b12-calc__regimen-headline" }, regimen.headline),
  reason ? h("p", { class: "b12-calc__because" }, reason) : null,
  h("p", { class: "b12-calc__source" }, "Whose: ", regimen.whose, " ", citations(regimen.refs, ctx)),
  regimen.note ? h("p", { class: "b12-calc__note" }, regimen.note) : null,
  offerSchedule ? h("p", {}, h("button", {
    type: "button", class: "b12-calc__link-button", "data-action": "schedule-regimen", "data-regimen-id": regimen.id,
  }, "Use this regimen for the schedule")) : null);
}

function regimenGroups(result, ctx) {
  const reasons = new Map((result.plan.alternatives || []).map((a) => [a.regimen_id, a.reason]));
  const offerSchedule = Boolean(result.request.start_date);
  return result.regimen_groups.map(({ group, title }) => {
    const regimens = result.regimens.filter((r) => r.group === group);
    return h("details", { class: "b12-calc__group-box", "data-group": group },
      h("summary", {}, `${title}: ${plural(regimens.length, "regimen")}`),
      h("div", { class: "b12-calc__regimens" },
        regimens.map((r) => regimenCard(r, reasons.get(r.id), ctx,
          offerSchedule && r.id !== result.schedule_regimen_id))));
  });
}

function standingCautions(result, ctx) {
  const planned = new Set((result.plan.cautions || []).map((c) => c.code));
  const standing = result.warnings.filter((w) => !planned.has(w.code));
  if (!standing.length) return null;
  return h("details", { class: "b12-calc__group-box b12-calc__standing", "data-group": "standing-cautions" },
    h("summary", {}, `Other cautions: ${plural(standing.length, "item")}`),
    h("ul", { class: "b12-calc__advice" }, standing.map((w) => adviceItem(w, ctx))));
}

function moreDetail(result, ctx) {
  const { lab, route } = result;
  const honoured = route.preference_text;
  return h("details", { class: "b12-calc__group-box b12-calc__detail", "data-group": "detail" },
    h("summary", {}, "Lab rule, route and monitoring"),
    h("p", { class: "b12-calc__rule", "data-rule": lab.rule }, lab.rule_text, " ", citations(lab.refs, ctx)),
    lab.notes.length ? h("ul", { class: "b12-calc__notes" }, lab.notes.map((n) => h("li", {}, n))) : null,
    h("p", { class: "b12-calc__status-line" }, "Route: ",
      h("span", { class: "b12-calc__badge b12-calc__badge--route", "data-route": route.preferred }, route.preferred_label),
      honoured ? ` ${honoured}` : null),
    h("ul", { class: "b12-calc__reasons" },
      route.reasons.map((r) => h("li", { "data-reason": r.code }, r.text, " ", citations(r.refs, ctx)))),
    result.monitoring.length ? [h("h4", {}, "Monitoring"),
      h("ul", { class: "b12-calc__advice" }, result.monitoring.map((m) => adviceItem(m, ctx)))] : null);
}

// ------------------------------------------------------------------------------------------------------
// Print-only parts: the entered values, the references cited, the date printed
// ------------------------------------------------------------------------------------------------------

/** Blank lines on paper for who the plan is for (the page never holds the patient's name). */
function patientLines() {
  return h("div", { class: "b12-calc__print-only b12-calc__patient-lines", "data-print-lines": "" },
    h("p", {}, "Patient's name:"),
    h("p", {}, "NHS or hospital number:"));
}

function enteredValues(entered) {
  if (!entered.length) return null;
  return h("section", { class: "b12-calc__print-only b12-calc__entered", "aria-label": "Entered values" },
    h("h2", {}, "Entered values"),
    h("dl", {}, entered.map(({ label, value }) => [h("dt", {}, label), h("dd", {}, value)])));
}

function referenceList(result, ctx) {
  const cited = result.references.filter((r) => ctx.cited.has(r.key)).sort((a, b) => a.number - b.number);
  if (!cited.length) return null;
  return h("section", { class: "b12-calc__print-only b12-calc__refs" },
    h("h2", {}, "References"),
    h("ol", {}, cited.map((r) => h("li", { value: String(r.number) },
      `${r.authors}${r.year ? ` (${r.year})` : ""}. ${r.title}.`))));
}

/** The whole result card (one element). */
export function renderResult(result, referencesUrl) {
  const ctx = { referencesUrl, refs: new Map(result.references.map((r) => [r.key, r])), cited: new Set() };
  const { scope, calculator: meta } = result;
  const plan = planSection(result, ctx);
  const printedRefs = referenceList(result, ctx); // only what the printed parts cite
  return h("div", { class: "b12-calc__card" },
    patientLines(),
    scope.within_nice_scope ? null : h("p", { class: "b12-calc__out-of-scope" }, scope.text),
    enteredValues(result.entered),
    plan,
    h("div", { class: "b12-calc__more" },
      regimenGroups(result, ctx),
      standingCautions(result, ctx),
      moreDetail(result, ctx)),
    printedRefs,
    h("p", { class: "b12-calc__meta" },
      result.disclaimer, " ",
      scope.within_nice_scope ? scope.text : null, " ",
      `Content version ${meta.content_version}.`,
      h("span", { class: "b12-calc__print-only" }, " Printed ", h("span", { "data-print-date": "" }, todayText()), ".")));
}


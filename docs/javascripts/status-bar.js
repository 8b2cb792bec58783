// The status bar above the form: the engine loading, its failure with the way to the static tables, a
// count of the fields that need attention, or the plan in one line (sticky on a phone). `w` is the
// mounted widget (calculator.js).

import { h } from "./dom.js";
import { scrollLink } from "./jump.js";
import { actionBadge, PLAN_ID, planLead } from "./plan-card.js";

// The calculator page's section with the static tables (docs/calculator.md), linked from the fallback.
const FALLBACK_SECTION_ID = "if-the-calculator-cannot-run";

function linkNotice(w) {
  if (!w.linkVersion || !w.lastResult) return null;
  return h("p", { class: "b12-calc__link-notice", "data-b12": "link-notice" },
    `This link was made with content version ${w.linkVersion}; this page uses ${w.lastResult.calculator.content_version}. `,
    "The entered values are restored: check the plan again before you use it.");
}

function booting(w) {
  const { eng, status } = w;
  const { step, steps, label, percent } = eng.progress;
  status.dataset.state = "booting";
  status.replaceChildren(h("div", { class: "b12-calc__progress" },
    h("p", {}, h("strong", {}, "Loading calculator engine\u2026"), " ",
      step ? `Step ${step} of ${steps}: ${label}.` : `${label}.`,
      " You can fill in the form meanwhile."),
    eng.notice ? h("p", { class: "b12-calc__notice" }, eng.notice) : null,
    h("progress", { max: "100", value: String(percent), "aria-label": "Loading calculator engine" }, `${percent}%`)));
  w.resultBox.hidden = true; // a result from before a restart may not match the form any more
}

function failed(w) {
  const { eng, status } = w;
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
  w.resultBox.hidden = true;
}

function ready(w, errorCount) {
  const { status } = w;
  status.dataset.state = "ready";
  if (w.lastResult) {
    const { plan } = w.lastResult;
    status.classList.add("b12-calc__status--plan");
    status.replaceChildren(h("div", {
      class: "b12-calc__bar", "data-plan-bar": "", "data-plan-action": plan.action,
    },
    h("p", { class: "b12-calc__summary" }, actionBadge(plan), " ",
      h("span", { class: "b12-calc__bar-headline", "data-plan-headline": "" }, planLead(plan)), " ",
      scrollLink(PLAN_ID, "See the plan", status))), linkNotice(w) || "");
  } else if (errorCount) {
    status.replaceChildren(h("p", { class: "b12-calc__summary b12-calc__summary--invalid" },
      `${errorCount} field${errorCount === 1 ? " needs" : "s need"} attention: see the messages by the fields.`));
  } else {
    status.replaceChildren();
  }
}

/** Draw the status bar for the engine's state and the widget's last result (or its error count). */
export function renderStatus(w, errorCount = 0) {
  w.status.classList.remove("b12-calc__status--plan");
  if (w.eng.state === "booting") booting(w);
  else if (w.eng.state === "failed") failed(w);
  else ready(w, errorCount);
}

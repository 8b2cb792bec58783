// The status bar above the form: the engine loading, its failure with the way to the static tables, a
// count of the fields that need attention, or the plan in one line (sticky on a phone) with the
// take-away shortcuts (copy for the notes, copy the link, print: result-actions.js handles them). While
// the plan's own headline is on screen the bar leaves its copy of it out (data-plan-in-view; the
// stylesheet hides it where the bar is sticky). `w` is the mounted widget (calculator.js).

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
      h("span", { class: "b12-calc__bar-headline", "data-plan-headline": "" }, planLead(plan))),
    // The way to the plan sits beside the buttons, not at the end of the summary: the summary is cut to
    // three lines on a phone, and a link in a cut line is hidden yet still takes taps.
    h("div", { class: "b12-calc__bar-row" },
      h("div", { class: "b12-calc__bar-actions", role: "group", "aria-label": "Copy or print the plan" },
        h("button", { type: "button", class: "md-button md-button--primary", "data-action": "copy-text" }, "Copy for notes"),
        h("button", { type: "button", class: "md-button", "data-action": "copy-link" }, "Copy link"),
        h("button", { type: "button", class: "md-button", "data-action": "print" }, "Print"),
        h("span", { class: "b12-calc__bar-said", "data-b12": "action-status", role: "status" })),
      scrollLink(PLAN_ID, "See the plan", status))),
    linkNotice(w) || "");
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

/** Show or leave out the bar's headline. The room it leaves stays below the bar as margin, so the page
 * under a stuck bar does not move (and the plan's headline, now clear of the bar, stays where it was). */
function showHeadline(status, show) {
  if (show === !status.hasAttribute("data-plan-in-view")) return;
  const before = status.offsetHeight;
  status.style.marginBottom = "";
  status.toggleAttribute("data-plan-in-view", !show);
  const freed = before - status.offsetHeight;
  if (!show && freed > 0) {
    status.style.marginBottom = `${parseFloat(getComputedStyle(status).marginBottom) + freed}px`;
  }
}

/** A function that (re)starts watching the plan's headline after each render: while it is on screen
 * below the sticky header and bar, the status element carries data-plan-in-view. */
export function headlineWatcher(w) {
  let observer = null;
  let watched = null;
  return () => {
    const headline = w.resultBox.querySelector(`#${PLAN_ID} .b12-plan__headline`);
    if (headline === watched) return;
    if (observer) observer.disconnect();
    watched = headline;
    if (!headline || typeof IntersectionObserver !== "function") {
      showHeadline(w.status, true);
      return;
    }
    // Only what is below the sticky parts counts as on screen.
    const header = document.querySelector(".md-header");
    const covered = (header ? header.getBoundingClientRect().height : 0) + w.status.getBoundingClientRect().height;
    observer = new IntersectionObserver((entries) => {
      const entry = entries[entries.length - 1];
      showHeadline(w.status, !(entry.isIntersecting && entry.intersectionRatio > 0.99));
    }, { rootMargin: `-${Math.ceil(covered)}px 0px 0px 0px`, threshold: [0, 1] });
    observer.observe(headline);
  };
}

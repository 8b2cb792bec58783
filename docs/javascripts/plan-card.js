// The result card: a pure function of the engine's result and the References page URL (no side
// effects, so print and copy can reuse it), and the one-line summary for the status bar.

import { h } from "./dom.js";

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


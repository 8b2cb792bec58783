// Words the page shows that the engine's result does not carry yet. Each function takes the field the
// result will carry when it has it (calc makes every reader-facing label once) and falls back to the
// wording below only while that field is missing: once calc carries them all, this module goes.
//
//   lab.values_text          the lab line: values with units, the other unit, each test's band
//   schedule[].kind_label    "Reassess" / "Review" before an event's label
//   regimen_groups           [{group, title}] in display order, for the collapsed regimen lists
//   route.preference_text    whether the reader's preferred route was followed
// and plan-card.js takes schedule[].date_text and plan.review.date_text before it formats a date itself.

import { unitText } from "./format.js";

const BAND_WORDS = { deficient: "deficient", indeterminate: "indeterminate", unlikely: "deficiency unlikely" };
const KIND_WORDS = { dose: "Dose", review: "Review", reassess: "Reassess" };
const GROUP_TITLES = { alternative: "Alternatives", other_guidance: "Other guidance", for_comparison: "For comparison" };

const given = (value) => value !== null && value !== undefined;

function num(value) {
  if (typeof value !== "number") return String(value);
  return String(Math.round(value * 10) / 10);
}

/** "Total B12 150 ng/L (110.7 pmol/L), deficient; active B12 30 pmol/L, indeterminate; MMA 0.5 µmol/L",
 * or null when no value was entered. */
export function labValuesText(result) {
  const { lab, request } = result;
  if (lab.values_text !== undefined) return lab.values_text;
  const band = (code) => (code ? `, ${BAND_WORDS[code] || code}` : "");
  const parts = [];
  if (given(lab.total_b12_ng_per_l)) {
    const entered = request.total_b12_unit || "ng/L";
    const total = entered === "pmol/L"
      ? `${num(request.total_b12)} pmol/L (${num(lab.total_b12_ng_per_l)} ng/L)`
      : `${num(request.total_b12)} ${unitText(entered)} (${num(lab.total_b12_pmol_per_l)} pmol/L)`;
    parts.push(`total B12 ${total}${band(lab.total_b12_band)}`);
  }
  if (given(request.active_b12)) parts.push(`active B12 ${num(request.active_b12)} pmol/L${band(lab.active_b12_band)}`);
  if (given(request.mma)) parts.push(`MMA ${num(request.mma)} ${unitText(request.mma_unit || "umol/L")}`);
  if (!parts.length) return null;
  const text = parts.join("; ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The word before a schedule event's label ("Reassess", "Review"). */
export function eventKindText(event) {
  return event.kind_label || KIND_WORDS[event.kind] || event.kind;
}

/** The collapsed regimen lists: [{group, title}], in display order, those with regimens only. */
export function regimenGroups(result) {
  if (result.regimen_groups) return result.regimen_groups;
  return Object.entries(GROUP_TITLES)
    .filter(([group]) => result.regimens.some((r) => r.group === group))
    .map(([group, title]) => ({
      group, title: group === "alternative" ? `${title} (${result.plan.guidance_label})` : title,
    }));
}

/** Whether the reader's preferred route was followed, in a sentence; null without a preference. */
export function routePreferenceText(route) {
  if (route.preference_text !== undefined) return route.preference_text;
  if (route.preference_honoured === true) return "The preferred route is honoured.";
  if (route.preference_honoured === false) return "The preferred route is not the suggested one (see the reasons).";
  return null;
}

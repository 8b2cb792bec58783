// The page's only formatting of its own: one date formatter and one unit display. Every other
// reader-facing word (routes, statuses, bands, event kinds, regimen groups, the notes) comes with the
// engine's result (calc); result-words.js holds the few the result does not carry yet.

const DATE_PARTS = { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" };

/** "Tue, 1 Dec 2026" for "2026-12-01" (without the weekday: "1 Dec 2026"); the text as given if it is
 * not a date. */
export function dateText(iso, { weekday = true } = {}) {
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString("en-GB", weekday ? { weekday: "short", ...DATE_PARTS } : DATE_PARTS);
}

/** Today's date where the reader is, as printed ("1 Dec 2026"). */
export function todayText() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return dateText(`${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`, { weekday: false });
}

/** A unit as readers write it: the request's "umol/L" shows as "µmol/L". */
export function unitText(unit) {
  return String(unit).replace("umol/L", "\u00b5mol/L");
}

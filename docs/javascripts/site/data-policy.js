// How much a visit may download beyond the page in view. The calculator's engine is about 5 MB compressed
// and the offline copy of the site about 6 MB: worth fetching ahead on a desktop on a fast link, not on a
// phone or a metered or slow connection, and never when the browser asks to save data. Read by prewarm.js
// (starting the engine early) and offline.js (making the offline copy).

/** The browser asks to save data (Save-Data / data saver / Lite mode). */
export function saveDataRequested() {
  const connection = navigator.connection;
  return Boolean(connection && connection.saveData);
}

/** A connection the browser reports as slow (2G, 3G) or as mobile data. */
function slowOrMetered() {
  const connection = navigator.connection;
  if (!connection) return false;
  return /(^|-)(2g|3g)$/.test(connection.effectiveType || "") || connection.type === "cellular";
}

/** A phone, as far as a page can tell: a touch screen as the main pointer, or a narrow screen. */
function phoneLike() {
  if (typeof matchMedia !== "function") return false;
  return matchMedia("(pointer: coarse)").matches || matchMedia("(max-width: 600px)").matches;
}

/** True when large downloads the reader has not asked for yet may start: not under Save-Data, not on a
 * slow or metered link, not on a phone. */
export function prefetchWelcome() {
  return !saveDataRequested() && !slowOrMetered() && !phoneLike();
}

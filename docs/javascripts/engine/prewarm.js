// The prewarm policy: what starts the engine (which downloads ~8 MB and boots Python in the worker).
//   * On the calculator page: immediately, when calculator.js runs.
//   * On any other page, immediately on intent: pointer over, touch or keyboard focus on a link to the
//     calculator page (whatever the device or connection: the reader is about to need it).
//   * On any other page, after the reader has stayed PREWARM_DWELL_MS (2 s) on it with the page visible,
//     at the next idle moment (requestIdleCallback), only where large downloads are welcome
//     (data-policy.js: not on a phone, not on a slow or metered link, never under Save-Data). A first
//     visit to a content page on a phone costs what that page needs; a reader who leaves sooner loads
//     nothing beyond these small modules.
//   The engine then lives for the rest of the visit (instant navigation keeps the modules alive), so a
//   reader who clicks through to the calculator a few seconds later gets a result at once.

import { prefetchWelcome } from "../site/data-policy.js";
import { engineStarted, engineSupported, getEngine } from "./engine-client.js";

// Directory URLs: docs/calculator.md is served at <site>/calculator/; this module is <site>/javascripts/engine/.
export const CALCULATOR_URL = new URL("../../calculator/", import.meta.url);

const PREWARM_DWELL_MS = 2000;
const IDLE_TIMEOUT_MS = 1500;

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
  if (engineStarted() || !engineSupported()) return;
  const link = event.target && event.target.closest ? event.target.closest("a[href]") : null;
  if (link && isCalculatorLink(link)) getEngine();
}

function whenIdle(callback) {
  if (typeof requestIdleCallback === "function") requestIdleCallback(callback, { timeout: IDLE_TIMEOUT_MS });
  else setTimeout(callback, 1);
}

export function armDwellPrewarm() {
  clearTimeout(dwellTimer);
  if (engineStarted() || !engineSupported() || !prefetchWelcome()) return;
  dwellTimer = setTimeout(() => {
    if (document.visibilityState === "hidden") {
      document.addEventListener("visibilitychange", armDwellPrewarm, { once: true });
      return;
    }
    whenIdle(() => {
      if (!engineStarted() && document.visibilityState !== "hidden") getEngine();
    });
  }, PREWARM_DWELL_MS);
}

/** Stop a pending dwell prewarm (the reader is on the calculator page, which starts the engine itself). */
export function cancelDwellPrewarm() {
  clearTimeout(dwellTimer);
}

/** True on the calculator page (by its URL, or by its mount element once the document is parsed). */
export function onCalculatorPage(mountId) {
  const path = location.pathname;
  return path === CALCULATOR_URL.pathname || path === `${CALCULATOR_URL.pathname}index.html`
    || Boolean(document.getElementById(mountId));
}

/** Listen for intent (pointer, focus, touch near a calculator link) for the rest of the visit. */
export function listenForIntent() {
  for (const type of ["pointerover", "focusin", "touchstart"]) {
    document.addEventListener(type, prewarmOnIntent, { passive: true, capture: true });
  }
}

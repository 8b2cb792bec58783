// Offline use: registers the site's service worker (sw.js, generated at build time by
// tools/build_service_worker.mjs), says when the offline copy is complete ("Works offline") and offers a
// reload when a new deployment is waiting.
// Loaded on every page as a module (mkdocs.yml extra_javascript); independent of the calculator.
//
// The worker precaches the whole site, the Python runtime and the calculator, so after one visit the
// site works with the network off. A new deployment installs beside the old one and waits: this page
// keeps the version it was loaded with until the reader chooses to reload (never mixed silently). If
// another tab switches to the new version first, this page says so and offers the same reload.

import { prefetchWelcome } from "./data-policy.js";

const SW_URL = new URL("../../sw.js", import.meta.url);
// The site's root, e.g. "/" locally or "/<repo>/" on GitHub Pages: the worker controls only that.
const SCOPE = new URL("../../", import.meta.url).pathname;
// A page left open checks for a new deployment when it becomes visible again, at most this often.
const UPDATE_CHECK_MS = 30 * 60 * 1000;
const REGISTER_DELAY_MS = 3000;
const IDLE_TIMEOUT_MS = 2000;

const MESSAGES = {
  waiting: "A newer version of this site is available. This page stays on the version it was opened "
    + "with until you reload.",
  switched: "This site was updated in another tab. Reload this page to use the new version.",
};
const OFFLINE_READY = "This site now works offline: its pages and the calculator will open in this browser "
  + "without a connection.";
const OFFLINE_CUE = "Works offline in this browser";

let banner = null;
let reloadRequested = false;

/** A note for the reader at the foot of the screen, announced as a status message; `name` names it. */
function statusNote(name) {
  const note = document.createElement("div");
  note.className = "b12-update md-typeset";
  note.setAttribute("role", "status");
  note.dataset.b12 = name;
  document.body.append(note);
  return note;
}

/** A theme button in such a note; `action` names it. */
function noteButton(label, action, onClick, primary = false) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = primary ? "md-button md-button--primary" : "md-button";
  button.dataset.action = action;
  button.textContent = label;
  button.addEventListener("click", onClick);
  return button;
}

function paragraph(text) {
  const p = document.createElement("p");
  p.textContent = text;
  return p;
}

function showBanner(kind, waitingWorker) {
  if (!banner) banner = statusNote("update");
  banner.dataset.kind = kind;
  const reload = noteButton("Reload now", "reload-update", () => {
    reloadRequested = true;
    if (waitingWorker && waitingWorker.state === "installed") {
      // The new worker activates, takes over (controllerchange) and this page reloads.
      waitingWorker.postMessage({ type: "SKIP_WAITING" });
    } else {
      window.location.reload();
    }
  }, true);
  const later = noteButton("Later", "dismiss-update", () => banner.replaceChildren());
  // Filled after insertion so that screen readers announce the status message once.
  banner.replaceChildren(paragraph(MESSAGES[kind]), reload, later);
}

// --- "Works offline" ---------------------------------------------------------------------------------------

let offlineReady = false;

/** The footer's lasting cue, on every page view once the offline copy exists (instant navigation replaces
 * the footer, so it is added again on each page view). */
function showOfflineCue() {
  if (!offlineReady) return;
  const footer = document.querySelector(".md-footer-meta__inner") || document.querySelector("footer");
  if (!footer || footer.querySelector('[data-b12="offline-cue"]')) return;
  const cue = paragraph(OFFLINE_CUE);
  cue.className = "b12-offline-cue";
  cue.dataset.b12 = "offline-cue";
  footer.append(cue);
}

/** Once, when the offline copy is completed during this visit: a short note the reader can dismiss. */
function announceOfflineReady() {
  const note = statusNote("offline-ready");
  const ok = noteButton("OK", "dismiss-offline-ready", () => note.replaceChildren());
  // Filled after insertion so that screen readers announce the status message once.
  note.replaceChildren(paragraph(OFFLINE_READY), ok);
}

function watchOfflineCopy(registration) {
  const alreadyComplete = Boolean(registration.active);
  navigator.serviceWorker.ready.then(() => {
    offlineReady = true;
    showOfflineCue();
    if (!alreadyComplete && !navigator.serviceWorker.controller) announceOfflineReady();
  });
}

// --- updates -------------------------------------------------------------------------------------------------

function watchForUpdates(registration) {
  const offer = (worker) => {
    // No controller means this is the first install (nothing to update from): stay quiet.
    if (navigator.serviceWorker.controller) showBanner("waiting", worker);
  };
  if (registration.waiting) offer(registration.waiting);
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    if (!worker) return;
    worker.addEventListener("statechange", () => {
      if (worker.state === "installed") offer(worker);
    });
  });
  let lastCheck = Date.now();
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && Date.now() - lastCheck > UPDATE_CHECK_MS) {
      lastCheck = Date.now();
      registration.update().catch(() => {}); // offline: try again next time
    }
  });
}

async function register() {
  const hadController = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (reloadRequested) window.location.reload();
    else if (hadController) showBanner("switched", null);
  });
  try {
    const registration = await navigator.serviceWorker.register(SW_URL, { scope: SCOPE });
    watchOfflineCopy(registration);
    watchForUpdates(registration);
  } catch (error) {
    // Offline use is an extra: the site works without it (e.g. private windows may refuse workers).
    console.info("Offline use is not available:", error && error.message ? error.message : error);
  }
}

// Registered a little after the page has loaded, at an idle moment: installing fetches the whole site
// (about 15 MB, 6 MB compressed), which must not compete with the page or the calculator's first boot.
// On the calculator page that means after its first answer (on a 4G first visit the page's load event
// comes seconds before the engine is up), or after ENGINE_WAIT_MAX_MS if the engine never answers; the
// install then takes the engine's files from the HTTP cache (sw-precache-reuse.js). On other pages it
// happens only where large downloads are welcome (data-policy.js: not on a phone, a slow or metered link,
// or under Save-Data): there a first visit costs what the page needs, and the offline copy is made when
// the reader uses the calculator. A site already installed is always registered again (update checks).
const ENGINE_WAIT_MAX_MS = 60_000;

function registerWhenIdle() {
  setTimeout(() => {
    if ("requestIdleCallback" in window) requestIdleCallback(() => register(), { timeout: IDLE_TIMEOUT_MS });
    else register();
  }, REGISTER_DELAY_MS);
}

/** On a content page where the offline copy waits: make it after the calculator's first answer, if the
 * reader goes there by instant navigation (this module stays loaded). */
function listenForCalculator() {
  document.addEventListener("b12:result", () => registerWhenIdle(), { once: true, capture: true });
}

function calculatorAnswered() {
  const calculator = document.getElementById("b12-calculator");
  if (!calculator || calculator.querySelector("[data-plan]")) return Promise.resolve();
  return new Promise((resolve) => {
    for (const kind of ["b12:result", "b12:errors"]) calculator.addEventListener(kind, resolve, { once: true });
    setTimeout(resolve, ENGINE_WAIT_MAX_MS);
  });
}

function offlineCopyWelcome() {
  return Boolean(navigator.serviceWorker.controller) || Boolean(document.getElementById("b12-calculator"))
    || prefetchWelcome();
}

if ("serviceWorker" in navigator) {
  // A page served by the service worker is from the offline copy: say so at once, on every page view.
  if (navigator.serviceWorker.controller) offlineReady = true;
  const pages = window.document$;
  if (pages && typeof pages.subscribe === "function") pages.subscribe(() => showOfflineCue());
  else showOfflineCue();
  const loaded = document.readyState === "complete"
    ? Promise.resolve()
    : new Promise((resolve) => window.addEventListener("load", resolve, { once: true }));
  Promise.all([loaded, calculatorAnswered()]).then(() => {
    if (offlineCopyWelcome()) registerWhenIdle();
    else listenForCalculator();
  });
}

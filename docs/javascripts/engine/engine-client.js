// The engine client: one module worker per visit (engine-worker.js; see its header for the protocol),
// shared by every page view of the visit (instant navigation keeps this module alive).
//
// evaluate(request)        -> {result} | {errors}
// render(request, format)  -> {export: {format, media_type, filename, text}} | {errors}
// Both reject when the engine fails. subscribe() reports the state (booting/ready/failed); while booting,
// `notice` may hold a sentence for the reader (e.g. why the engine is starting again); when failed,
// `errorTitle` and `error` say what happened, and retry() starts it again.
//
// Failure handling (each ends in "failed" with a plain message; the page keeps its static tables):
//   * the runtime cannot be downloaded or compiled, the wheel fails its sha256, Python fails to start:
//     the worker reports {fatal};
//   * the boot never finishes: the boot timeout (BOOT_TIMEOUT_MS, or `data-boot-timeout-ms` on the mount
//     element #b12-calculator, read when the engine starts and again once the page is parsed; the shipped
//     markup has no such attribute: tests add it by rewriting the page);
//   * the worker dies mid-session: it holds a Web Lock for its whole life (engine-worker.js), which the
//     page is granted the moment the worker ends; where Web Locks are missing, an answer that does not
//     come within ANSWER_TIMEOUT_MS counts as a crash. Retry starts a new worker; the page then runs the
//     current form again.
//   * a module missing from the trimmed standard library (at boot or on a request): the worker says
//     {restart}; the client starts a new worker on the full library, once, and says so while it loads.

const WORKER_URL = new URL("engine-worker.js", import.meta.url);
const MOUNT_ID = "b12-calculator";
const BOOT_TIMEOUT_MS = 60000;
const ANSWER_TIMEOUT_MS = 20000;

const TITLE_NOT_STARTED = "The calculator could not start";
const TITLE_STOPPED = "The calculator stopped working";

let engine = null;

/** The worker the calculator page's <head> started before this module loaded (site_build/pyodide_assets.py:
 * add_engine_start), with the events it sent meanwhile; taken once. The slot is then left empty (null), which
 * tells that script, if instant navigation runs it again later in the visit, that the engine exists. */
function takeEarlyWorker() {
  if (typeof window !== "object") return null;
  const early = window.__b12EngineStart;
  window.__b12EngineStart = null;
  if (!early || !(early.worker instanceof Worker) || !Array.isArray(early.early)) return null;
  return early;
}

export function engineSupported() {
  return typeof Worker === "function" && typeof WebAssembly === "object";
}

/** True once something has started the engine in this visit. */
export function engineStarted() {
  return engine !== null;
}

export function getEngine() {
  if (!engine) {
    engine = new Engine();
  }
  return engine;
}

export function messageOf(error) {
  return error && error.message ? error.message : String(error);
}

/** The boot timeout: the mount element's data-boot-timeout-ms if it is a positive number, else the default. */
function bootTimeoutMs() {
  const root = typeof document === "object" ? document.getElementById(MOUNT_ID) : null;
  const value = Number(root && root.dataset.bootTimeoutMs);
  return Number.isFinite(value) && value > 0 ? value : BOOT_TIMEOUT_MS;
}

/** Call `then` once the page's own start-up is over: after its load event, at the first idle moment (a
 * page reached later in the visit, e.g. by instant navigation, is already loaded). */
function afterPageStart(then) {
  const idle = () => (typeof requestIdleCallback === "function"
    ? requestIdleCallback(then, { timeout: 500 }) : setTimeout(then, 0));
  if (typeof document !== "object" || document.readyState === "complete") idle();
  else addEventListener("load", idle, { once: true });
}

class Engine {
  constructor() {
    this.listeners = new Set();
    this.pending = new Map();
    this.nextId = 1;
    // "full-stdlib" once a module was missing from the trimmed standard library: kept for this visit.
    this.stdlib = "trimmed";
    this.snapshotInfo = null;
    this.notice = null;
    this.start("default");
  }

  start(mode) {
    this.state = "booting";
    this.error = null;
    this.errorTitle = null;
    this.progress = { step: 0, steps: 3, label: "Starting the calculator engine", percent: 0 };
    this.startedAt = performance.now();
    this.readyInfo = null;
    if (!engineSupported()) {
      this.fail("This browser cannot run the calculator: it lacks Web Workers or WebAssembly.");
      return;
    }
    let worker;
    const early = mode === "default" ? takeEarlyWorker() : null;
    try {
      worker = early ? early.worker
        : new Worker(WORKER_URL, { type: "module", name: mode === "default" ? "b12-engine" : `b12-engine:${mode}` });
    } catch (error) {
      this.fail(`The calculator engine could not start (${messageOf(error)}).`);
      return;
    }
    this.worker = worker;
    worker.onmessage = (event) => {
      if (worker === this.worker) this.receive(event.data || {});
    };
    worker.onerror = (event) => {
      event.preventDefault();
      if (worker !== this.worker) return;
      if (this.state === "ready") this.crashed(`(${event.message || "worker error"})`);
      else this.fail(`The calculator engine could not start (${event.message || "worker error"}).`);
    };
    worker.onmessageerror = () => {
      if (worker === this.worker) this.fail("The calculator engine sent an unreadable message.");
    };
    // What the early worker said before this client listened, in order, as if it had just arrived.
    if (early) {
      for (const event of early.early) {
        if (event.type === "message") worker.onmessage(event);
        else if (event.type === "error") worker.onerror(event);
        else worker.onmessageerror(event);
      }
    }
    // The worker downloads at once and compiles once the page has started (engine-worker.js).
    if (mode === "default") {
      afterPageStart(() => {
        if (worker === this.worker) worker.postMessage({ pageStarted: true });
      });
    }
    this.armBootTimer();
    if (document.readyState === "loading") {
      // The mount element (and its optional data-boot-timeout-ms) may not be parsed yet.
      document.addEventListener("DOMContentLoaded", () => this.armBootTimer(), { once: true });
    }
  }

  armBootTimer() {
    if (this.state !== "booting") return;
    clearTimeout(this.timer);
    const limit = bootTimeoutMs();
    const left = Math.max(0, limit - (performance.now() - this.startedAt));
    this.timer = setTimeout(() => {
      this.fail(`The calculator engine did not start within ${Math.round(limit / 100) / 10} seconds.`);
    }, left);
  }

  receive(message) {
    if (message.id !== undefined) {
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (!waiter) return;
      clearTimeout(waiter.watchdog);
      if (message.fatal) waiter.reject(new Error(message.fatal));
      else waiter.resolve(message);
    } else if (message.progress) {
      this.progress = message.progress;
      this.notify();
    } else if (message.ready) {
      clearTimeout(this.timer);
      this.state = "ready";
      this.notice = null;
      this.readyInfo = { ...message.ready, ms: Math.round(performance.now() - this.startedAt) };
      this.notify();
    } else if (message.alive) {
      this.watchLife(this.worker, message.alive.lock);
    } else if (message.restart) {
      this.restartWithFullStdlib(message.restart);
    } else if (message.crashed) {
      this.crashed(`(${message.crashed})`);
    } else if (message.snapshot) {
      this.snapshotInfo = message.snapshot;
    } else if (message.fatal) {
      this.fail(`The calculator engine could not start: ${message.fatal}`);
    }
  }

  /** Be told when `worker` ends: the page is granted the lock the worker held for its whole life. */
  watchLife(worker, lock) {
    if (!(navigator.locks && typeof navigator.locks.request === "function")) return;
    navigator.locks.request(lock, () => {
      if (worker === this.worker) this.crashed("");
    }).catch(() => {});
  }

  restartWithFullStdlib({ module, message }) {
    if (this.stdlib === "full") {
      this.fail(`The calculator engine could not start: ${message}`);
      return;
    }
    console.warn(`[b12 engine] ${message}: starting again with the full Python standard library (${module}).`);
    this.stdlib = "full";
    this.stop("The calculator is starting again.");
    this.start("full-stdlib");
    this.notice = "This calculation needs a part of Python that the quick download leaves out, so the calculator is "
      + "loading the full version and will then recalculate.";
    this.notify();
  }

  /** The worker died or hung after it had started. */
  crashed(detail) {
    if (this.state === "failed") return;
    const wasReady = this.state === "ready";
    this.fail(wasReady
      ? `Its engine stopped unexpectedly${detail ? ` ${detail}` : ""}. Retry starts it again and recalculates the form.`
      : `The calculator engine stopped while starting${detail ? ` ${detail}` : ""}.`,
    wasReady ? TITLE_STOPPED : TITLE_NOT_STARTED);
  }

  post(message) {
    if (this.state === "failed") {
      return Promise.reject(new Error(this.error));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const waiter = { resolve, reject, watchdog: 0 };
      // Answers take milliseconds once the engine is ready: a long silence means it hung or died.
      if (this.state === "ready") {
        waiter.watchdog = setTimeout(() => this.crashed("(no answer)"), ANSWER_TIMEOUT_MS);
      }
      this.pending.set(id, waiter);
      this.worker.postMessage({ id, ...message });
    });
  }

  /** Resolve to {result} or {errors}; reject if the engine fails. */
  evaluate(request) {
    return this.post({ request });
  }

  /** Resolve to {export: {format, media_type, filename, text}} or {errors}; reject if the engine fails. */
  render(request, format) {
    return this.post({ request, format });
  }

  /** End the current worker; pending requests are rejected with `reason`. */
  stop(reason) {
    clearTimeout(this.timer);
    const worker = this.worker;
    this.worker = null;
    if (worker) worker.terminate();
    for (const waiter of this.pending.values()) {
      clearTimeout(waiter.watchdog);
      waiter.reject(new Error(reason));
    }
    this.pending.clear();
  }

  fail(message, title = TITLE_NOT_STARTED) {
    if (this.state === "failed") return;
    this.state = "failed";
    this.error = message;
    this.errorTitle = title;
    this.notice = null;
    this.stop(message);
    this.notify();
  }

  retry() {
    if (this.state !== "failed") return;
    // A retry never restores a memory snapshot (the plainest boot); the full library stays if it was needed.
    this.start(this.stdlib === "full" ? "full-stdlib" : "retry");
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

// The engine client: one module worker per visit (engine-worker.js; see its header for the protocol),
// shared by every page view of the visit (instant navigation keeps this module alive).
//
// evaluate(request)        -> {result} | {errors}
// render(request, format)  -> {export: {format, media_type, filename, text}} | {errors}
// Both reject when the engine fails. subscribe() reports the boot state (booting/ready/failed).

const WORKER_URL = new URL("engine-worker.js", import.meta.url);
const BOOT_TIMEOUT_MS = 60000;

let engine = null;

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

class Engine {
  constructor() {
    this.listeners = new Set();
    this.pending = new Map();
    this.nextId = 1;
    this.start();
  }

  start() {
    this.state = "booting";
    this.error = null;
    this.progress = { step: 0, steps: 3, label: "Starting the calculator engine", percent: 0 };
    this.startedAt = performance.now();
    this.readyInfo = null;
    if (!engineSupported()) {
      this.fail("This browser cannot run the calculator: it lacks Web Workers or WebAssembly.");
      return;
    }
    try {
      this.worker = new Worker(WORKER_URL, { type: "module", name: "b12-engine" });
    } catch (error) {
      this.fail(`The calculator engine could not start (${messageOf(error)}).`);
      return;
    }
    this.worker.onmessage = (event) => this.receive(event.data || {});
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.fail(`The calculator engine could not start (${event.message || "worker error"}).`);
    };
    this.worker.onmessageerror = () => this.fail("The calculator engine sent an unreadable message.");
    this.timer = setTimeout(() => {
      this.fail(`The calculator engine did not start within ${BOOT_TIMEOUT_MS / 1000} seconds.`);
    }, BOOT_TIMEOUT_MS);
  }

  receive(message) {
    if (message.id !== undefined) {
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (!waiter) return;
      if (message.fatal) waiter.reject(new Error(message.fatal));
      else waiter.resolve(message);
    } else if (message.progress) {
      this.progress = message.progress;
      this.notify();
    } else if (message.ready) {
      clearTimeout(this.timer);
      this.state = "ready";
      this.readyInfo = { ...message.ready, ms: Math.round(performance.now() - this.startedAt) };
      this.notify();
    } else if (message.fatal) {
      this.fail(`The calculator engine could not start: ${message.fatal}`);
    }
  }

  post(message) {
    if (this.state === "failed") {
      return Promise.reject(new Error(this.error));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
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

  fail(message) {
    if (this.state === "failed") return;
    clearTimeout(this.timer);
    this.state = "failed";
    this.error = message;
    if (this.worker) this.worker.terminate();
    this.worker = null;
    for (const waiter of this.pending.values()) waiter.reject(new Error(message));
    this.pending.clear();
    this.notify();
  }

  retry() {
    if (this.state !== "failed") return;
    this.start();
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

// The page side of the calculator worker, shared by the calculator pages.
//
// One worker serves the whole visit: Material's instant navigation keeps
// this module alive, so a visitor who comes back to a calculator finds the
// runtime warm. startCalculator() shows the loading progress, and the
// failure state when the runtime cannot start (no WebAssembly, blocked
// files, timeout); nothing spins forever.

/** One worker, one ready promise, requests with ids, errors that reject. */
export class CalculatorWorker {
  constructor({ worker, runtime, bundle }) {
    this.worker = new Worker(worker, { type: "module" });
    this.pending = new Map();
    this.nextId = 1;
    this.onProgress = null;
    this.worker.onmessage = ({ data }) => this.receive(data);
    // A worker that cannot even start (e.g. its script is blocked).
    this.worker.onerror = (event) => this.failAll(new Error(event.message || "worker error"));
    this.ready = this.request("init", { runtime, bundle });
  }

  request(type, payload = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, type, ...payload });
    });
  }

  receive(message) {
    if (message.type === "progress") {
      this.onProgress?.(message.received);
      return;
    }
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    this.pending.delete(message.id);
    if (message.type === "reply") waiting.resolve(message.result);
    else waiting.reject(new Error(message.message));
  }

  failAll(error) {
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }

  terminate() {
    this.worker.terminate();
    this.failAll(new Error("terminated"));
  }
}

let shared = null; // the CalculatorWorker of this visit

/** Show the [data-state] element named `state` in `root`, hide the others. */
export function show(root, state) {
  for (const element of root.querySelectorAll("[data-state]")) {
    element.hidden = element.dataset.state !== state;
  }
}

/** Put each string value of `values` into the [data-slot] elements of `scope`. */
export function fillSlots(scope, values) {
  for (const [name, value] of Object.entries(values)) {
    if (typeof value !== "string") continue;
    for (const element of scope.querySelectorAll(`[data-slot="${name}"]`)) {
      element.textContent = value;
    }
  }
}

/** Show the [data-when="name"] elements of `scope` if `visible`, else hide them. */
export function showWhen(scope, name, visible) {
  for (const element of scope.querySelectorAll(`[data-when="${name}"]`)) {
    element.hidden = !visible;
  }
}

/** List `notes` (texts about a link) in root's [data-list="notes"]; hide the box if none. */
export function showNotes(root, notes) {
  const list = root.querySelector('[data-list="notes"]');
  list.replaceChildren(...notes.map((text) => Object.assign(document.createElement("li"), { textContent: text })));
  showWhen(root, "notes", notes.length > 0);
}

function fail(root, reason) {
  for (const element of root.querySelectorAll("[data-reason]")) {
    element.hidden = element.dataset.reason !== reason;
  }
  show(root, "failed");
}

/** Resolve the page's relative asset paths against the current page URL. */
function assetUrls(root) {
  const absolute = (path) => new URL(path, document.baseURI).href;
  return {
    worker: absolute(root.dataset.worker),
    runtime: absolute(root.dataset.runtime),
    bundle: absolute(root.dataset.bundle),
  };
}

/**
 * The warm worker with `packages` loaded (besides the calculator), for the
 * calculator in `root`. While it loads, root's "loading" state shows the
 * bytes received; if it cannot start within data-timeout-ms, root shows
 * the "failed" state with the reason and the promise rejects.
 */
export async function startCalculator(root, packages = []) {
  if (typeof WebAssembly !== "object") {
    fail(root, "no-wasm");
    throw new Error("no-wasm");
  }
  show(root, "loading");
  const received = root.querySelector('[data-slot="received"]');
  const progress = root.querySelector("progress");
  const megabytes = new Intl.NumberFormat("de-DE", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  shared ??= new CalculatorWorker(assetUrls(root));
  const worker = shared;
  worker.onProgress = (bytes) => {
    progress.value = bytes;
    received.textContent = megabytes.format(bytes / 1e6);
  };
  let deadline = 0;
  const timeout = new Promise((_, reject) => {
    deadline = setTimeout(() => reject(new Error("timeout")), Number(root.dataset.timeoutMs));
  });
  const loaded = worker.ready.then(() => packages.length && worker.request("packages", { names: packages }));
  try {
    await Promise.race([loaded, timeout]);
    return worker;
  } catch (error) {
    if (shared === worker) {
      worker.terminate();
      shared = null; // the next visit tries again
    }
    fail(root, error.message === "timeout" ? "timeout" : "error");
    throw error;
  } finally {
    clearTimeout(deadline);
  }
}

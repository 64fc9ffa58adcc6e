// The page side of the calculator worker, shared by the calculator pages.
//
// One worker serves the whole visit: Material's instant navigation keeps
// this module alive, so a visitor who comes back to a calculator finds the
// runtime warm. runCalculator() shows the loading progress; the start gives
// up only when it stalls (no byte and no start-up step for data-stall-ms
// while the worker is free), the worker stops answering (data-busy-ms),
// a file fails or WebAssembly is blocked, and then offers to try again.
// Once running, a request that is rejected, gets no answer within
// data-answer-ms or meets a worker error stops the calculator: its results
// go, a note says so and offers a restart; results already go when an
// answer takes over a second. The limits are on the page's
// .cci-calc-status. The form keeps the visitor's input throughout, and
// nothing spins forever.

/** Why a start or a request failed: `reason` names the note the page shows
 * ("no-wasm", "blocked", "error", "stalled" or "unresponsive"). */
export class CalculatorFault extends Error {
  constructor(reason, message) {
    super(message);
    this.reason = reason;
  }
}

/** A request of a calculator that has stopped; the page already says so,
 * so the caller needs not handle it (see the listener below). */
export class CalculatorStopped extends Error {}

addEventListener("unhandledrejection", (event) => {
  if (event.reason instanceof CalculatorStopped) event.preventDefault();
});

/**
 * One worker, one ready promise, requests with ids, errors that reject.
 * A worker error (an uncaught exception, a script that cannot load) or a
 * request without an answer in time ends the worker: every request, then
 * and later, rejects with the same CalculatorFault.
 */
export class CalculatorWorker {
  constructor({ worker, runtime, bundle }) {
    this.worker = new Worker(worker, { type: "module" });
    this.pending = new Map();
    this.nextId = 1;
    this.received = 0; // bytes the worker has fetched
    this.failure = null;
    this.onProgress = null; // (received) => void, on every byte count and start-up step
    this.onFailure = null; // (fault) => void, once, when the worker ends
    this.worker.onmessage = ({ data }) => this.receive(data);
    this.worker.onmessageerror = () => this.fail(new CalculatorFault("error", "unreadable message"));
    this.worker.onerror = (event) => {
      event.preventDefault(); // reported here, as the calculator's fault
      this.fail(new CalculatorFault("error", `worker error: ${event.message ?? "script did not load"}`));
    };
    this.ready = this.request("init", { runtime, bundle });
  }

  /** Ask for `type`; without an answer within `timeoutMs` (if > 0) the worker counts as dead.
   * Every request names the page's language (<html lang>, "de" or "en"): the
   * worker answers in that edition's words and notation. */
  request(type, payload = {}, timeoutMs = 0) {
    if (this.failure) return Promise.reject(this.failure);
    payload = { lang: document.documentElement.lang || "de", ...payload };
    const id = this.nextId++;
    const silent = () => new CalculatorFault("unresponsive", `no answer to ${type} within ${timeoutMs} ms`);
    return new Promise((resolve, reject) => {
      const timer = timeoutMs > 0 ? setTimeout(() => this.fail(silent()), timeoutMs) : 0;
      this.pending.set(id, { resolve, reject, timer });
      this.worker.postMessage({ id, type, ...payload });
    });
  }

  receive(message) {
    if (message.type === "progress") {
      this.received = message.received;
      this.onProgress?.(message.received);
      return;
    }
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    this.pending.delete(message.id);
    clearTimeout(waiting.timer);
    if (message.type === "reply") waiting.resolve(message.result);
    else waiting.reject(new CalculatorFault(message.reason === "blocked" ? "blocked" : "error", message.message));
  }

  /** End the worker: every pending and later request rejects with `fault`. */
  fail(fault) {
    if (this.failure) return;
    this.failure = fault;
    this.worker.terminate();
    for (const { reject, timer } of this.pending.values()) {
      clearTimeout(timer);
      reject(fault);
    }
    this.pending.clear();
    this.onFailure?.(fault);
  }
}

let shared = null; // the CalculatorWorker of this visit

/**
 * Show the [data-state] element named `state` in `root`, hide the others
 * ("none" hides all). Only while the calculator runs: a stopped or failed
 * one keeps its note, and no result that may belong to other input.
 */
export function show(root, state) {
  if (root.dataset.status === "running") showState(root, state);
}

function showState(root, state) {
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

// Answers take milliseconds; a result whose input changed this long ago
// without an answer goes, so that no figure stays beside other input.
const STALE_MS = 1000;

// Reasons for which "Erneut versuchen" may help (not a missing or blocked WebAssembly).
const RETRYABLE = new Set(["error", "stalled", "unresponsive"]);

/** Show root's status note ("loading", "failed", "stopped") or, "running", none.
 * Results stay as they are while loading and once running (the page may
 * come with the exact answer for its default input, rendered at build
 * time); a failed or stopped calculator shows none. */
function setStatus(root, status) {
  root.dataset.status = status;
  // No answer will come: the page leaves the layout it kept for a link's answer.
  if (status === "failed" || status === "stopped") root.removeAttribute("data-link-pending");
  for (const element of root.querySelectorAll("[data-state]")) {
    if (element.dataset.state !== "results") element.hidden = element.dataset.state !== status;
    else if (status === "failed" || status === "stopped") element.hidden = true;
  }
}

function fail(root, reason) {
  for (const element of root.querySelectorAll("[data-reason]")) {
    element.hidden = element.dataset.reason !== reason;
  }
  showWhen(root, "retry", RETRYABLE.has(reason));
  setStatus(root, "failed");
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

/** Show `received` of the `total` bytes to load as a percentage and, in
 * that proportion, the megabytes of root's data-download left. The page
 * writes the percent sign in its language around the whole number. */
function showProgress(root, received, total) {
  const done = Math.min(received, total);
  const megabytes = new Intl.NumberFormat(document.documentElement.lang || "de", {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  const download = Number(root.dataset.download);
  const loading = root.querySelector('[data-state="loading"]');
  loading.querySelector("progress").value = done;
  fillSlots(loading, {
    load_percent: String(Math.floor((100 * done) / total)),
    load_remaining: megabytes.format((download * (total - done)) / total / 1e6),
  });
}

// How often the start asks the worker whether it is alive.
const PING_MS = 1000;

/**
 * Watch a start: `watching` rejects with a CalculatorFault "stalled" after
 * `stallMs` without a byte or a start-up step, counted only while the
 * worker answers pings (a worker busy compiling waits for nothing), or
 * with "unresponsive" when a ping waits `busyMs` for its answer.
 * `onProgress(received)` sees each byte count; call `stop()` at the end.
 */
function watchStart(worker, { stallMs, busyMs }, onProgress) {
  let quiet = 0; // ms without progress while the worker was free
  let mark = performance.now();
  let pinging = false;
  let fault = null;
  const watching = new Promise((_, reject) => {
    fault = reject;
  });
  const heard = (progressed) => {
    const now = performance.now();
    // A long gap means the worker was busy, not waiting: it counts as one ping.
    quiet = progressed ? 0 : quiet + Math.min(now - mark, 2 * PING_MS);
    mark = now;
    if (quiet >= stallMs) fault(new CalculatorFault("stalled", `no progress for ${stallMs} ms`));
  };
  worker.onProgress = (received) => {
    heard(true);
    onProgress(received);
  };
  const timer = setInterval(() => {
    if (pinging) return;
    pinging = true;
    worker.request("ping", {}, busyMs).then(() => {
      pinging = false;
      heard(false);
    }, () => {});
  }, PING_MS);
  const stop = () => {
    clearInterval(timer);
    worker.onProgress = null;
  };
  return { watching, stop };
}

/**
 * The shared worker with `packages` loaded (besides the calculator), while
 * root shows the progress. Rejects with a CalculatorFault if WebAssembly is
 * missing or blocked, a file fails, or the start stalls or hangs (see
 * watchStart); the worker is then discarded, so the next start is afresh.
 */
async function load(root, packages, limits) {
  if (typeof WebAssembly !== "object") throw new CalculatorFault("no-wasm", "no WebAssembly");
  setStatus(root, "loading");
  if (!shared || shared.failure) shared = new CalculatorWorker(assetUrls(root));
  const worker = shared;
  worker.onFailure = null;
  const total = Number(root.dataset.bytes);
  showProgress(root, worker.received, total);
  const watch = watchStart(worker, limits, (received) => showProgress(root, received, total));
  // Asked at once, not after the start: the worker fetches the wheels while Python starts.
  const loaded = Promise.all([worker.ready, packages.length && worker.request("packages", { names: packages })]);
  try {
    await Promise.race([loaded, watch.watching]);
    return worker;
  } catch (error) {
    worker.fail(error);
    throw error;
  } finally {
    watch.stop();
  }
}

/**
 * Run the calculator in `root` with the wheels `packages` (besides the
 * calculator's own). Each time it is ready (at first, after "Erneut
 * versuchen", after "Neu starten") it calls `onReady(calculator,
 * restarted)`: `calculator.request(type, payload)` asks
 * calculator.browser_api; `restarted` is true after a stop, when the page
 * should compute from its form, which kept the visitor's input. A request
 * that fails stops the calculator (see the top of this file) and rejects
 * with CalculatorStopped, as does any request of a stopped calculator.
 */
export function runCalculator(root, onReady, packages = []) {
  const status = root.querySelector(".cci-calc-status").dataset;
  const limits = { stallMs: Number(status.stallMs), busyMs: Number(status.busyMs) };
  const answerMs = Number(status.answerMs);
  let run = 0; // the current start; requests of an earlier one are refused
  let ranBefore = false;

  function stop(mine, fault) {
    if (mine !== run) return;
    run++;
    console.warn("The calculator stopped:", fault.message);
    root.removeAttribute("aria-busy");
    setStatus(root, "stopped");
  }

  function calculator(worker, mine) {
    const refuse = () => new CalculatorStopped("the calculator stopped");
    return {
      request(type, payload) {
        if (mine !== run) return Promise.reject(refuse());
        const stale = setTimeout(() => show(root, "none"), STALE_MS); // the page shows the answer
        return worker.request(type, payload, answerMs).then(
          (result) => {
            clearTimeout(stale);
            if (mine !== run) throw refuse();
            return result;
          },
          (fault) => {
            clearTimeout(stale);
            worker.fail(fault); // a rejected request ends the worker, too
            stop(mine, fault);
            throw refuse();
          },
        );
      },
    };
  }

  // After "Erneut versuchen" or "Neu starten" the button hides: a keyboard
  // user's focus goes on to the form, or back to the button if it fails again.
  const refocus = (clicked, target) => {
    if (clicked && (document.activeElement === document.body || !document.activeElement)) target?.focus();
  };

  async function start(event) {
    const mine = ++run;
    const clicked = event?.type === "click";
    let worker;
    try {
      worker = await load(root, packages, limits);
    } catch (fault) {
      if (mine !== run) return;
      console.warn("The calculator did not start:", fault.message);
      fail(root, fault.reason ?? "error");
      refocus(clicked, root.querySelector('[data-action="retry"]'));
      return;
    }
    if (mine !== run) return;
    worker.onFailure = (fault) => stop(mine, fault);
    setStatus(root, "running");
    refocus(clicked, root.querySelector("form :is(input, select)"));
    const restarted = ranBefore;
    ranBefore = true;
    try {
      await onReady(calculator(worker, mine), restarted);
    } catch (error) {
      if (!(error instanceof CalculatorStopped)) throw error;
    }
  }

  for (const button of root.querySelectorAll('[data-action="retry"], [data-action="restart"]')) {
    button.addEventListener("click", start);
  }
  start();
}

// The price calculator page: talks to the worker, fills the page's slots.
//
// Loaded on every page (extra_javascript); it acts only where the page has
// a [data-cci-calculator] element. Material's instant navigation keeps this
// module alive across pages, so the warm worker is reused when a visitor
// comes back. Every text shown comes from the page's template or from the
// Python calculator, and is inserted as text, never as HTML.

const DEBOUNCE_MS = 150;

/** One worker, one ready promise, requests with ids, errors that reject. */
class CalculatorWorker {
  constructor({ worker, runtime, bundle }, onProgress) {
    this.worker = new Worker(worker, { type: "module" });
    this.pending = new Map();
    this.nextId = 1;
    this.worker.onmessage = ({ data }) => this.receive(data);
    this.onProgress = onProgress;
    this.ready = this.request("init", { runtime, bundle });
    // A worker that cannot even start (e.g. its script is blocked).
    this.worker.onerror = (event) => this.failAll(new Error(event.message || "worker error"));
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

let calculator = null; // the CalculatorWorker, kept across instant navigation

/** Resolve the page's relative asset paths against the current page URL. */
function assetUrls(root) {
  const absolute = (path) => new URL(path, document.baseURI).href;
  return {
    worker: absolute(root.dataset.worker),
    runtime: absolute(root.dataset.runtime),
    bundle: absolute(root.dataset.bundle),
  };
}

function show(root, state) {
  for (const element of root.querySelectorAll("[data-state]")) {
    element.hidden = element.dataset.state !== state;
  }
}

function fail(root, reason) {
  for (const element of root.querySelectorAll("[data-reason]")) {
    element.hidden = element.dataset.reason !== reason;
  }
  show(root, "failed");
}

/** Put each value of `values` into the [data-slot] elements of `scope`. */
function fillSlots(scope, values) {
  for (const [name, value] of Object.entries(values)) {
    if (typeof value !== "string") continue;
    for (const element of scope.querySelectorAll(`[data-slot="${name}"]`)) {
      element.textContent = value;
    }
  }
}

function renderPlan(root, plan) {
  const card = root.querySelector(`.cci-result[data-plan="${plan.plan}"]`);
  if (!card) return;
  fillSlots(card, plan);
  for (const element of card.querySelectorAll("[data-rule]")) {
    const rule = element.dataset.rule;
    element.hidden = rule === "from" ? !plan.starts_from : rule !== plan.rule;
  }
  card.querySelector('[data-has="effective_rate"]').hidden =
    plan.effective_rate === null || plan.rule === "included";
  const breakdown = root.querySelector(`[data-breakdown="${plan.plan}"]`);
  if (breakdown) renderBreakdown(breakdown, plan);
}

function renderBreakdown(breakdown, plan) {
  const body = breakdown.querySelector("tbody");
  const template = body.querySelector("template[data-line]");
  body.querySelectorAll("tr[data-line-row]").forEach((row) => row.remove());
  for (const line of plan.lines) {
    const row = template.content.firstElementChild.cloneNode(true);
    row.dataset.lineRow = "";
    fillSlots(row, line);
    row.querySelector('[data-when="closed"]').hidden = line.upper === null;
    row.querySelector('[data-when="open"]').hidden = line.upper !== null;
    body.append(row);
  }
  fillSlots(breakdown, { base: plan.base });
  fillSlots(breakdown.querySelector("tfoot"), { monthly: plan.monthly });
}

function render(root, answer) {
  const input = root.querySelector("#cci-usage");
  const error = root.querySelector('[data-slot="error"]');
  if (!answer.ok) {
    error.textContent = answer.message;
    input.setAttribute("aria-invalid", "true");
    show(root, "none"); // stale results must not stay visible
    return;
  }
  error.textContent = "";
  input.removeAttribute("aria-invalid");
  fillSlots(root.querySelector(".cci-calc-summary"), { usage: answer.usage });
  for (const plan of answer.plans) renderPlan(root, plan);
  show(root, "results");
}

function attach(root) {
  const form = root.querySelector("form");
  const input = root.querySelector("#cci-usage");
  const received = root.querySelector('[data-slot="received"]');
  const progress = root.querySelector("progress");
  const megabytes = new Intl.NumberFormat("de-DE", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  let latest = 0;
  let timer = 0;

  if (typeof WebAssembly !== "object") {
    fail(root, "no-wasm");
    return;
  }
  show(root, "loading");
  form.hidden = false; // typing may start while the runtime loads
  calculator ??= new CalculatorWorker(assetUrls(root), null);
  calculator.onProgress = (bytes) => {
    progress.value = bytes;
    received.textContent = megabytes.format(bytes / 1e6);
  };
  const worker = calculator;
  let deadline = 0;
  const timeout = new Promise((_, reject) => {
    deadline = setTimeout(() => reject(new Error("timeout")), Number(root.dataset.timeoutMs));
  });

  async function compute() {
    const ticket = ++latest;
    root.setAttribute("aria-busy", "true");
    try {
      const answer = await worker.request("price", { usage: input.value });
      if (ticket === latest) render(root, answer);
    } finally {
      if (ticket === latest) root.removeAttribute("aria-busy");
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(compute, DEBOUNCE_MS);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    compute();
  });
  Promise.race([worker.ready, timeout]).then(
    () => {
      clearTimeout(deadline);
      return compute();
    },
    (error) => {
      form.hidden = true;
      if (calculator === worker) {
        worker.terminate();
        calculator = null; // the next visit tries again
      }
      fail(root, error.message === "timeout" ? "timeout" : "error");
    },
  );
}

function onPage() {
  const root = document.querySelector("[data-cci-calculator]");
  if (root) attach(root);
}

// Material emits document$ on the first load and after every instant
// navigation; without Material's bundle, run once.
if (typeof document$ !== "undefined") document$.subscribe(onPage);
else onPage();

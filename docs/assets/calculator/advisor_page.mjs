// The Planberater (berater/): which plan meets the visitor's needs, updated
// as they answer, with the whole state in the URL fragment.
//
// The Python calculator reads the answers and decides (request "advice",
// see calculator/advisor.py); this script only turns the form into a
// fragment, and the answer's texts into the page, always as text.
//
// The page comes with the form shown and the answer for the empty form,
// rendered at build time by the same advice_view (macros/pages.py:
// advisor_example), so nothing moves when the runtime answers it; a link's
// answer comes from the runtime into the room the inline script kept, and
// keeps that room's height (scrolling inside it) until the visitor edits:
// its misses may need more or less room than the empty form's answer.

import { fillSlots, runCalculator, show, showNotes, showWhen } from "./worker_client.mjs";

const DEBOUNCE_MS = 150;
const FLAGS = ["tam", "bam", "pruefung"];

export function attachAdvisor(root) {
  const form = root.querySelector("form");
  let worker = null;
  let latest = 0;
  let timer = 0;
  let edited = false; // the visitor changed the form: it, not the link, is the state

  root.toggleAttribute("data-link-pending", location.hash.includes("=")); // removed by render

  /** The form's answers as a fragment (without "#"), in the link's keys. */
  function formFragment() {
    const fields = [];
    const add = (key, value) => {
      if (value.trim()) fields.push(`${key}=${encodeURIComponent(value)}`);
    };
    for (const element of form.querySelectorAll("select, input[type=text]")) add(element.name, element.value);
    add("zeiten", form.querySelector('input[name="zeiten"]:checked')?.value ?? "");
    add("kanaele", [...form.querySelectorAll('input[name="kanaele"]:checked')].map((box) => box.value).join(","));
    for (const name of FLAGS) if (form.elements[name].checked) add(name, "ja");
    return fields.join("&");
  }

  /** Put a link's readable answers into the form. */
  function fillForm(fields) {
    for (const element of form.querySelectorAll("select, input[type=text]")) {
      element.value = element.name === "nutzung" ? "" : (fields[element.name] ?? "");
    }
    for (const radio of form.querySelectorAll('input[name="zeiten"]')) radio.checked = radio.value === (fields.zeiten ?? "");
    const channels = (fields.kanaele ?? "").split(",");
    for (const box of form.querySelectorAll('input[name="kanaele"]')) box.checked = channels.includes(box.value);
    for (const name of FLAGS) form.elements[name].checked = fields[name] === "ja";
  }

  async function update() {
    if (!worker) return; // answered while loading: computed once it is ready
    const ticket = ++latest;
    root.setAttribute("aria-busy", "true");
    try {
      const view = await worker.request("advice", { fragment: formFragment(), source: "form" });
      if (ticket !== latest) return;
      // Replace, not push: no history entry per answer.
      history.replaceState(history.state, "", `#${view.fragment}`);
      render(root, view, []);
    } finally {
      if (ticket === latest) root.removeAttribute("aria-busy");
    }
  }

  async function openLink(fragment) {
    const ticket = ++latest;
    const view = await worker.request("advice", { fragment, source: "link" });
    if (ticket !== latest) return;
    fillForm(view.fields);
    form.elements.nutzung.value = view.usage_input ?? "";
    render(root, view, view.notes);
  }

  function schedule() {
    releaseRoom(root.querySelector('[data-state="results"]')); // moves follow the visitor's input
    latest++; // an answer to a link opened before this edit must not refill the form
    edited = true;
    clearTimeout(timer);
    timer = setTimeout(update, DEBOUNCE_MS);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", (event) => event.preventDefault());
  const onHashChange = () => {
    if (!root.isConnected) window.removeEventListener("hashchange", onHashChange);
    else if (worker && location.hash.includes("=")) openLink(location.hash);
  };
  window.addEventListener("hashchange", onHashChange);

  runCalculator(root, (ready, restarted) => {
    worker = ready;
    // From the form, which kept the visitor's answers (also those given
    // while the runtime was loading: a link must not undo them).
    if (restarted || edited) return update();
    return location.hash.includes("=") ? openLink(location.hash) : update();
  });
}

function render(root, view, notes) {
  for (const error of root.querySelectorAll("[data-error]")) {
    const message = view.errors[error.dataset.error] ?? "";
    error.textContent = message;
    const input = root.querySelector(`[name="${error.dataset.error}"]`);
    if (message) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }
  showNotes(root, notes);
  if (root.hasAttribute("data-link-pending")) keepRoom(root.querySelector('[data-state="results"]'));
  const names = Object.fromEntries(view.plans.map((plan) => [plan.plan, plan.name]));
  for (const plan of view.plans) renderPlan(root, plan, view);
  const chosen = view.recommended ?? view.closest;
  showWhen(root, "recommended", Boolean(view.recommended));
  showWhen(root, "none-meets", !view.recommended);
  showWhen(root, "business-hours", view.business_hours_missed);
  const price = root.querySelector(`tr[data-plan="${chosen}"] [data-price]`);
  fillSlots(root, {
    recommended_name: names[view.recommended] ?? "",
    closest_name: names[view.closest] ?? "",
    recommended_price: visibleText(price),
  });
  const link = root.querySelector('[data-link="quote"]');
  link.href = `${link.dataset.base}#${view.quote_fragment}`;
  show(root, "results");
  root.removeAttribute("data-link-pending");
  root.dataset.answered = ""; // the runtime's answer is on the page
}

function renderPlan(root, plan, view) {
  const row = root.querySelector(`tr[data-plan="${plan.plan}"]`);
  if (!row) return;
  row.toggleAttribute("data-recommended", plan.plan === view.recommended);
  showWhen(row, "meets", plan.meets);
  showWhen(row, "misses", !plan.meets);
  const list = row.querySelector('[data-list="misses"]');
  list.replaceChildren(...plan.misses.map((text) => Object.assign(document.createElement("li"), { textContent: text })));
  showWhen(row, "priced", plan.monthly !== null);
  showWhen(row, "unpriced", plan.monthly === null);
  fillSlots(row, { monthly: plan.monthly ?? "" });
  row.querySelector('[data-rule="from"]').hidden = !plan.starts_from || plan.monthly === null;
}

/** Fix the element's height (CSS px) at what it has now; its content then
 *  scrolls inside it (site.css: .cci-kept-room). */
function keepRoom(element) {
  element.style.height = `${element.getBoundingClientRect().height}px`;
  element.classList.add("cci-kept-room");
}

/** Let the element take its content's height again. */
function releaseRoom(element) {
  if (!element.classList.contains("cci-kept-room")) return;
  element.style.height = "";
  element.classList.remove("cci-kept-room");
}

/** The text of the element's visible parts (hidden alternatives left out). */
function visibleText(element) {
  if (!element) return "";
  const parts = [];
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent);
    else if (node.nodeType === Node.ELEMENT_NODE && !node.hidden) node.childNodes.forEach(walk);
  };
  walk(element);
  return parts.join("").replace(/\s+/g, " ").trim();
}

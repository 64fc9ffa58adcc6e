// The price calculator page (rechner/): prices as the visitor types, and
// quotes for sales whose whole state lives in the URL fragment.
//
// The Python calculator does all reading and writing of numbers and links
// (requests "update", "link" and "price", see calculator/browser_api.py);
// this script only moves text between the form, the worker and the page.
// Each keystroke asks at once (no debounce); while one answer is on its
// way, later keystrokes wait and only the newest input is asked next.

import { fillSlots, runCalculator, show, showNotes, showWhen } from "./worker_client.mjs";

// The address of the quote last shown. An in-page anchor (#rechenbeispiele
// in the table of contents) replaces the address's fragment, and Material
// may render the page anew for it; the quote stays. A quote link has "=".
let lastQuote = { path: "", href: "" };
const isQuoteLink = (hash) => hash.includes("=");

export function attachPriceCalculator(root) {
  const form = root.querySelector("form");
  const actions = root.querySelector(".cci-quote-actions");
  const field = {
    usage: root.querySelector("#cci-usage"),
    plan: root.querySelector("#cci-plan"),
    customer: root.querySelector("#cci-customer"),
    reference: root.querySelector("#cci-reference"),
    valid_until: root.querySelector("#cci-valid-until"),
  };
  // Today in the business-hours zone (data-zone, Europe/Berlin) as YYYY-MM-DD:
  // a quote is a German document, never dated in the visitor's zone.
  const germanDay = new Intl.DateTimeFormat("de-DE", {
    timeZone: root.dataset.zone, year: "numeric", month: "2-digit", day: "2-digit",
  });
  const today = () => {
    const part = Object.fromEntries(germanDay.formatToParts(new Date()).map(({ type, value }) => [type, value]));
    return `${part.year}-${part.month}-${part.day}`;
  };
  let worker = null;
  let latest = 0;
  let dirty = false; // the form changed since the last update was asked
  let pumping = false; // an update loop runs
  let pending = Promise.resolve(); // the last update loop or link opening
  let editNote = null; // said while editing a quote made under another price list
  let opened = null; // the quote link's view while shown read-only

  form.hidden = false; // typing may start while the runtime loads
  actions.hidden = false;

  const formValues = () => Object.fromEntries(Object.entries(field).map(([name, input]) => [name, input.value]));

  /** Recompute from the form, and write the form's state into the address bar. */
  async function update() {
    if (!worker) return; // typed while loading: computed once it is ready
    const ticket = ++latest;
    const values = formValues();
    root.setAttribute("aria-busy", "true");
    try {
      const { prices, fragment, view } = await worker.request("update", { fields: values, today: today() })
        .catch((error) => {
          if (ticket === latest) show(root, "none"); // never a stale result
          throw error;
        });
      if (ticket !== latest) return;
      // Replace, not push: no history entry per keystroke.
      history.replaceState(history.state, "", `#${fragment}`);
      fillSlots(root, { copied: "" }); // "Link kopiert." was about the old link
      const notes = [editNote, ...view.notes, ...view.quote_notes].filter(Boolean);
      renderQuote(root, view, { notes, quoted: null, href: location.href });
      renderPrices(root, prices, values.plan, null);
    } finally {
      if (ticket === latest) root.removeAttribute("aria-busy");
    }
  }

  /** Fill the form from a quote link and show its prices and notes; a
   * quote for a customer shows read-only until "Angebot bearbeiten". */
  async function openLink(fragment) {
    const ticket = ++latest;
    const view = await worker.request("link", { fragment, today: today() });
    if (ticket !== latest) return;
    // A link without a (valid) fee shows the default, as when freshly opened.
    field.usage.value = view.usage || field.usage.defaultValue;
    field.plan.value = view.plan ?? "";
    field.customer.value = view.customer;
    field.reference.value = view.reference;
    field.valid_until.value = view.valid_until_iso ?? "";
    editNote = null;
    setReadOnly(view.is_quote ? view : null);
    const notes = [...view.notes, ...view.quote_notes];
    renderQuote(root, view, { notes, quoted: view.quoted, href: new URL(fragment, location.href).href });
    const prices = view.prices ?? (await worker.request("price", { usage: field.usage.value }));
    if (ticket === latest) renderPrices(root, prices, view.plan ?? "", view);
  }

  /** Read-only for the quote `view` (null: the form is open for editing). */
  function setReadOnly(view) {
    opened = view;
    form.hidden = Boolean(view);
    showWhen(root, "read-only", Boolean(view));
    fillSlots(root, { edit_note: view?.edit_note ?? "" });
    root.querySelector("#cci-edit-note").hidden = !view?.edit_note;
  }

  /** "Angebot bearbeiten": open the sales form; a quote made under another
   * price list says, while edited, that the edited quote uses today's. */
  function edit() {
    editNote = opened?.edit_note ?? null;
    if (editNote) {
      const shown = [...root.querySelectorAll('[data-list="notes"] > li')].map((item) => item.textContent);
      showNotes(root, [editNote, ...shown]);
    }
    setReadOnly(null);
    root.querySelector(".cci-quote-fields").open = true;
    field.usage.focus();
  }

  /** Ask for the form's state now, or, while an answer is on its way, right after it. */
  function runUpdate() {
    dirty = true;
    // The build-time answer is for the default input only: typed while loading, it goes.
    if (!worker) root.querySelector('[data-state="results"]').hidden = true;
    if (!pumping) {
      pumping = true;
      pending = (async () => {
        try {
          while (dirty && worker) {
            dirty = false;
            await update();
          }
        } finally {
          pumping = false;
        }
      })();
    }
    return pending;
  }

  /** The quote of the last keystroke: wait until its update is shown. */
  async function flush() {
    await pending.catch(() => {});
  }

  const open = (fragment) => {
    pending = openLink(fragment);
    return pending;
  };

  for (const input of Object.values(field)) input.addEventListener("input", runUpdate);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    runUpdate();
  });
  root.querySelector('[data-action="edit"]').addEventListener("click", edit);
  root.querySelector('[data-action="copy-link"]').addEventListener("click", async () => {
    await flush();
    copyLink(root, lastQuote.href || location.href);
  });
  root.querySelector('[data-action="print"]').addEventListener("click", async () => {
    await flush();
    window.print();
  });
  const onHashChange = () => {
    if (!root.isConnected) window.removeEventListener("hashchange", onHashChange);
    else if (worker && isQuoteLink(location.hash)) open(location.hash);
  };
  window.addEventListener("hashchange", onHashChange);

  // A quote link's amounts come from the runtime: until it has opened the
  // link, the build-time answer (for the default fee) keeps its room unseen
  // (site.css; the page's inline script marks a link before the first paint).
  root.toggleAttribute("data-link-pending", isQuoteLink(location.hash)); // removed by renderPrices

  runCalculator(
    root,
    (ready, restarted) => {
      worker = ready;
      if (restarted) return runUpdate(); // from the form, which kept the visitor's input
      // Rendered anew for an in-page anchor: show the quote shown before.
      const anchor = location.hash.length > 1 && !isQuoteLink(location.hash);
      const hash = anchor && lastQuote.path === location.pathname ? new URL(lastQuote.href).hash : location.hash;
      return hash.length > 1 ? open(hash) : runUpdate();
    },
  );
}

function renderQuote(root, view, { notes, quoted, href }) {
  lastQuote = { path: location.pathname, href };
  fillSlots(root, {
    date: view.date,
    customer: view.customer,
    reference: view.reference,
    valid_until: view.valid_until ?? "",
    link: href,
    applied_version: view.applied.version,
    applied_effective: view.applied.effective,
  });
  showWhen(root, "customer", Boolean(view.customer));
  showWhen(root, "reference", Boolean(view.reference));
  showWhen(root, "valid_until", Boolean(view.valid_until));
  showWhen(root, "quote", view.is_quote);
  showNotes(root, notes);
  renderQuoted(root, quoted);
}

function renderQuoted(root, quoted) {
  const table = root.querySelector('[data-when="quoted"]');
  table.hidden = !quoted?.plans;
  if (table.hidden) return;
  fillSlots(table, { quoted_version: quoted.version });
  for (const plan of quoted.plans) {
    const row = table.querySelector(`tr[data-plan="${plan.plan}"]`);
    fillSlots(row, { quoted_monthly: plan.monthly });
    row.querySelectorAll('[data-rule="from"]')[0].hidden = !plan.starts_from;
  }
}

/** Show `answer` (a price_view) in the cards; `view` (a quote link's view,
 * or null) gives today's prices for the side-by-side table. */
function renderPrices(root, answer, chosen, view) {
  root.removeAttribute("data-link-pending");
  root.dataset.answered = ""; // the runtime's answer is on the page
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
  root.classList.toggle("cci-has-chosen", Boolean(chosen));
  for (const plan of answer.plans) renderPlan(root, plan, plan.plan === chosen);
  for (const plan of (view?.today ?? answer).plans) renderToday(root, plan);
  show(root, "results");
}

function renderPlan(root, plan, chosen) {
  const card = root.querySelector(`.cci-result[data-plan="${plan.plan}"]`);
  if (!card) return;
  fillSlots(card, plan);
  card.toggleAttribute("data-chosen", chosen);
  showWhen(card, "chosen", chosen);
  for (const element of card.querySelectorAll("[data-rule]")) {
    const rule = element.dataset.rule;
    element.hidden = rule === "from" ? !plan.starts_from : rule !== plan.rule;
  }
  card.querySelector('[data-has="effective_rate"]').hidden =
    plan.effective_rate === null || plan.rule === "included";
  card.querySelector('[data-has="from_note"]').hidden = !plan.from_note;
  fillSlots(card, { from_note: plan.from_note ?? "" });
  const breakdown = root.querySelector(`[data-breakdown="${plan.plan}"]`);
  if (breakdown) {
    breakdown.toggleAttribute("data-chosen", chosen);
    renderBreakdown(breakdown, plan);
  }
}

/** Today's amount of `plan` in the side-by-side table of a quote. */
function renderToday(root, plan) {
  const today = root.querySelector(`[data-when="quoted"] tr[data-plan="${plan.plan}"]`);
  if (today) {
    fillSlots(today, { monthly: plan.monthly });
    today.querySelectorAll('[data-rule="from"]')[1].hidden = !plan.starts_from;
  }
}

function renderBreakdown(breakdown, plan) {
  const body = breakdown.querySelector("tbody");
  const template = body.querySelector("template[data-line]");
  body.querySelectorAll("tr[data-line-row]").forEach((row) => row.remove());
  for (const line of plan.lines) {
    const row = template.content.firstElementChild.cloneNode(true);
    row.dataset.lineRow = "";
    fillSlots(row, line);
    showWhen(row, "closed", line.upper !== null);
    showWhen(row, "open", line.upper === null);
    body.append(row);
  }
  fillSlots(breakdown, { base: plan.base });
  fillSlots(breakdown.querySelector("tfoot"), { monthly: plan.monthly, annual: plan.annual });
}

/** Copy the quote link; where the clipboard is not allowed, show it selected. */
async function copyLink(root, href) {
  const status = root.querySelector('[data-slot="copied"]');
  const copied = root.querySelector('template[data-message="copied"]').content.textContent;
  try {
    await navigator.clipboard.writeText(href);
    status.textContent = copied;
    showWhen(root, "copy-failed", false);
  } catch {
    const link = root.querySelector("#cci-link");
    link.value = href;
    showWhen(root, "copy-failed", true);
    link.focus();
    link.select();
  }
}

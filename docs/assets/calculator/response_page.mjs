// The response-time calculator page (reaktionszeit/): when is the first
// response to a ticket due? The state lives in the URL fragment
// (#plan=basic&schweregrad=3&eingang=2026-11-27T17:30).
//
// calculator/response_view.py computes and words everything (requests
// "response_link" and "response"); this script moves text between the
// form, the worker and the page.

import { fillSlots, runCalculator, show, showNotes, showWhen } from "./worker_client.mjs";

const DEBOUNCE_MS = 150;
const MINUTE_MS = 60_000;

// The fragment of the last answer shown. Material re-renders this page on
// the first jump to an anchor of it (#zusagen, the table of contents): the
// new form then starts from this state, not from the defaults.
let lastState = "";

export function attachResponseCalculator(root) {
  const form = root.querySelector("form");
  const date = root.querySelector("#cci-submitted-date");
  const time = root.querySelector("#cci-submitted-time");
  const zone = root.dataset.zone;
  let worker = null;
  let latest = 0;
  let timer = 0;

  const checked = (name) => form.querySelector(`input[name="${name}"]:checked`)?.value ?? "";
  const check = (name, value) => {
    const radio = form.querySelector(`input[name="${name}"][value="${value}"]`);
    if (radio) radio.checked = true;
  };
  const setNow = () => {
    [date.value, time.value] = wallTimeNow(zone);
  };

  async function update() {
    if (!worker) return; // changed while loading: computed once it is ready
    const ticket = ++latest;
    const request = {
      plan: checked("plan"),
      severity: Number(checked("schweregrad")),
      submitted: date.value && time.value ? `${date.value}T${time.value}` : "",
      now: new Date().toISOString(),
      zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    };
    let answer;
    try {
      answer = await worker.request("response", request);
    } catch (error) {
      if (ticket === latest) show(root, "none"); // never a stale result
      throw error;
    }
    if (ticket !== latest) return;
    lastState = answer.fragment;
    history.replaceState(history.state, "", `#${answer.fragment}`);
    render(root, answer);
  }

  async function openLink(fragment) {
    const link = await worker.request("response_link", { fragment });
    check("plan", link.plan);
    check("schweregrad", link.severity);
    if (link.submitted) [date.value, time.value] = link.submitted.split("T");
    else if (link.submitted === null) setNow();
    else [date.value, time.value] = ["", ""]; // unreadable: the message says so
    showNotes(root, link.notes);
    await update();
  }

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(update, DEBOUNCE_MS);
  };
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    update();
  });
  root.querySelector('[data-action="now"]').addEventListener("click", () => {
    setNow();
    update();
  });
  // Keep "noch … Minuten" current while the page is open.
  const ticking = setInterval(() => {
    if (!root.isConnected) clearInterval(ticking);
    else if (worker) update();
  }, MINUTE_MS);
  // A link opened in this tab that differs only in its fragment (pasted
  // into the address bar) does not load the page again: read it here.
  // Fragments without "=" (#zusagen) are anchors, not calculator state.
  const onHashChange = () => {
    if (!root.isConnected) window.removeEventListener("hashchange", onHashChange);
    else if (worker && location.hash.includes("=")) openLink(location.hash);
  };
  window.addEventListener("hashchange", onHashChange);

  form.hidden = false;
  setNow();
  runCalculator(
    root,
    (ready, restarted) => {
      worker = ready;
      if (restarted) return update(); // from the form, which kept the visitor's input
      // An anchor (#zusagen) is no state: after Material's re-render keep the last one.
      const hash = location.hash;
      const anchor = hash.length > 1 && !hash.includes("=");
      // Without a link the parser's defaults apply (plan, its most severe target, now).
      return openLink(anchor ? lastState : hash);
    },
    ["tzdata"],
  );
}

/** Now as wall time in `zone`: ["YYYY-MM-DD", "HH:MM"]. */
function wallTimeNow(zone) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }).formatToParts(new Date()).map(({ type, value }) => [type, value]),
  );
  return [`${parts.year}-${parts.month}-${parts.day}`, `${parts.hour}:${parts.minute}`];
}

function render(root, answer) {
  const error = root.querySelector('[data-slot="error"]');
  const inputs = root.querySelectorAll("#cci-submitted-date, #cci-submitted-time");
  if (!answer.ok) {
    error.textContent = answer.message;
    inputs.forEach((input) => input.setAttribute("aria-invalid", "true"));
    show(root, "none"); // no stale result
    return;
  }
  error.textContent = "";
  inputs.forEach((input) => input.removeAttribute("aria-invalid"));
  showWhen(root, "target", answer.has_target);
  showWhen(root, "no-target", !answer.has_target);
  if (answer.has_target) renderDue(root, answer);
  else fillSlots(root, { no_target: answer.message });
  show(root, "results");
}

function renderDue(root, answer) {
  fillSlots(root, {
    due: answer.due,
    submitted: answer.submitted,
    starts: answer.starts,
    remaining: answer.remaining ?? "",
    visitor_zone: answer.due_visitor?.zone ?? "",
    visitor_due: answer.due_visitor?.due ?? "",
  });
  showWhen(root, "visitor", Boolean(answer.due_visitor));
  showWhen(root, "remaining", Boolean(answer.remaining));
  showWhen(root, "clock_waits", answer.clock_waits);
  for (const element of root.querySelectorAll("[data-target]")) {
    element.hidden = element.dataset.target !== `${answer.plan}-${answer.severity}`;
  }
  const list = root.querySelector('[data-list="counted"]');
  const template = root.querySelector('[data-when="counted"] template[data-line]');
  list.replaceChildren(
    ...answer.counted.map((interval) => {
      const item = template.content.firstElementChild.cloneNode(true);
      fillSlots(item, interval);
      return item;
    }),
  );
  showWhen(root, "counted", answer.counted.length > 0);
}

// The response-time calculator page (reaktionszeit/): when is the first
// response to a ticket due? The state lives in the URL fragment
// (#plan=basic&schweregrad=3&eingang=2026-11-27T17:30).
//
// Times cross to the worker as instants where the wall time alone is not
// one: "Jetzt" sends UTC, a link's value keeps its offset
// (eingang=2026-10-25T02:30+01:00, the second 02:30 of that night), and in
// the repeated hour the visitor picks MESZ or MEZ; a typed wall time goes
// as it is and the answer says when it is repeated or skipped.
//
// Without a link the page comes with the answer for an example ticket,
// rendered at build time by the same response_view (macros/pages.py:
// response_example); the form holds the example, and the runtime gives
// the very same text for it. The example is no real ticket: it shows no
// remaining time and writes no link until the visitor changes the form.
//
// calculator/response_view.py computes and words everything (requests
// "response_link" and "response"); this script moves text between the
// form, the worker and the page.

import { fillSlots, runCalculator, show, showNotes, showWhen } from "./worker_client.mjs";

const DEBOUNCE_MS = 150;
// A fragment with "=" is a link (plan=…); one without (#zusagen) an anchor.
const isLink = (hash) => hash.includes("=");
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
  // What to send as the submission when it is more than the fields' wall
  // time (an instant from "Jetzt", a link's value, a chosen reading); null:
  // the fields as typed.
  let entered = null;
  let example = true; // date and time hold the build-time example ticket
  let touched = false; // the visitor changed the form or opened a link
  const leaveExample = () => {
    example = false;
    showWhen(root, "example", false);
  };
  const typed = () => (date.value && time.value ? `${date.value}T${time.value}` : "");

  const checked = (name) => form.querySelector(`input[name="${name}"]:checked`)?.value ?? "";
  const check = (name, value) => {
    const radio = form.querySelector(`input[name="${name}"][value="${value}"]`);
    if (radio) radio.checked = true;
  };
  const setNow = () => {
    leaveExample();
    const now = new Date(Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS);
    [date.value, time.value] = wallTime(zone, now);
    entered = now.toISOString(); // the instant: in the repeated hour the wall time is not one
  };

  async function update() {
    if (!worker) return; // changed while loading: computed once it is ready
    const ticket = ++latest;
    const request = {
      plan: checked("plan"),
      severity: Number(checked("schweregrad")),
      submitted: entered ?? typed(),
      now: example ? null : new Date().toISOString(),
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
    if (touched) {
      lastState = answer.fragment;
      history.replaceState(history.state, "", `#${answer.fragment}`);
    }
    render(root, answer);
  }

  async function openLink(fragment) {
    const link = await worker.request("response_link", { fragment });
    touched = true;
    leaveExample();
    check("plan", link.plan);
    check("schweregrad", link.severity);
    entered = null;
    // "2026-10-25T02:30" or, where a clock change makes it ambiguous, "…+01:00"
    if (link.submitted) {
      [date.value, time.value] = [link.submitted.slice(0, 10), link.submitted.slice(11, 16)];
      entered = link.submitted;
    } else if (link.submitted === null) setNow();
    else [date.value, time.value] = ["", ""]; // unreadable: the message says so
    showNotes(root, link.notes);
    await update();
  }

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(update, DEBOUNCE_MS);
  };
  const edited = (event) => {
    touched = true;
    if (event.target === date || event.target === time) {
      entered = null;
      leaveExample();
    }
    else if (event.target.name === "offset") entered = typed() && typed() + event.target.value;
    schedule();
  };
  form.addEventListener("input", edited);
  form.addEventListener("change", edited);
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

  // Until the runtime answers a link, the example's answer keeps its room unseen
  // (site.css; the page's inline script marks a link before the first paint).
  root.toggleAttribute("data-link-pending", isLink(location.hash));
  form.hidden = false;
  runCalculator(
    root,
    (ready, restarted) => {
      worker = ready;
      if (restarted) return update(); // from the form, which kept the visitor's input
      // An anchor (#zusagen) is no state: after Material's re-render keep the last one.
      const hash = location.hash;
      const link = hash.length > 1 && !isLink(hash) ? lastState : hash;
      // Without a link: the example ticket of the form, as rendered at build time.
      return isLink(link) ? openLink(link) : update();
    },
    ["tzdata"],
  );
}

/** `moment` as wall time in `zone`: ["YYYY-MM-DD", "HH:MM"]. */
function wallTime(zone, moment) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }).formatToParts(moment).map(({ type, value }) => [type, value]),
  );
  return [`${parts.year}-${parts.month}-${parts.day}`, `${parts.hour}:${parts.minute}`];
}

function render(root, answer) {
  root.removeAttribute("data-link-pending");
  root.dataset.answered = ""; // the runtime's answer is on the page
  const error = root.querySelector('[data-slot="error"]');
  const inputs = root.querySelectorAll("#cci-submitted-date, #cci-submitted-time");
  renderEntry(root, answer.ok ? answer.entry : null);
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

/** MEZ/MESZ of the entered time, its note, and both readings of a repeated one. */
function renderEntry(root, entry) {
  fillSlots(root, { entry_note: entry?.note ?? "" });
  if (entry) fillSlots(root, { entry_zone: entry.zone });
  const choices = entry?.choices ?? [];
  const radios = root.querySelectorAll('input[name="offset"]');
  choices.forEach((choice, index) => {
    radios[index].value = choice.offset;
    radios[index].checked = choice.offset === entry.offset;
    fillSlots(root, { [`choice_${radios[index].dataset.reading}`]: choice.label });
  });
  showWhen(root, "choices", choices.length === radios.length);
}

/** The visitor's zone in words where the browser can: ["New York", "−5"]; [zone, null] else. */
function zoneInWords(zone, instant) {
  const city = zone.split("/").pop().replaceAll("_", " ");
  try {
    const offset = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "shortOffset" })
      .formatToParts(new Date(instant))
      .find((part) => part.type === "timeZoneName").value;
    return [city, offset.replace(/^GMT/, "").replace("-", "\u2212")];
  } catch {
    return [zone, null];
  }
}

function renderDue(root, answer) {
  const [city, offset] = answer.due_visitor ? zoneInWords(answer.due_visitor.zone, answer.due_iso) : ["", null];
  fillSlots(root, {
    due: answer.due,
    due_zone: answer.due_zone,
    submitted: answer.submitted,
    starts: answer.starts,
    remaining: answer.remaining ?? "",
    visitor_zone: city,
    visitor_offset: offset ?? "",
    visitor_due: answer.due_visitor?.due ?? "",
  });
  showWhen(root, "visitor_offset", offset !== null);
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

// Loads the calculator scripts (assets/calculator/page.mjs) only on pages
// that have a calculator ([data-cci-calculator]); every other page fetches
// nothing more than this file. Listed in extra_javascript, so it runs on
// every page, deferred, after Material's bundle (overrides/main.html).
//
// It checks at once (the page's content is parsed by then), so a
// calculator page starts fetching its scripts as early as before. Material's
// instant navigation swaps pages without reloading: document$ emits after
// every swap, so a calculator reached from another page still gets its
// scripts; without Material's bundle it checks again when the document is
// parsed. page.mjs, once loaded, attaches the calculators itself on every
// page change (and keeps its worker warm).
//
// A module <script> element rather than import(): like the static module
// script it replaces, it delays the load event until page.mjs and its
// imports have run, so nothing typed after "load" precedes the calculator.
(() => {
  "use strict";
  const entry = new URL("calculator/page.mjs", document.currentScript.src).href;
  let requested = false;

  function loadIfNeeded() {
    if (requested || !document.querySelector("[data-cci-calculator]")) return;
    requested = true;
    const script = document.createElement("script");
    script.type = "module";
    script.src = entry;
    script.onerror = () => {
      requested = false; // a later page change may try again
      script.remove();
    };
    document.head.append(script);
  }

  loadIfNeeded();
  if (typeof document$ !== "undefined") document$.subscribe(loadIfNeeded);
  else document.addEventListener("DOMContentLoaded", loadIfNeeded);
})();

// Loads the calculator scripts (assets/calculator/page.mjs) only on pages
// that have a calculator ([data-cci-calculator]); every other page fetches
// nothing more than this file. Listed in extra_javascript, so it runs on
// every page, after Material's bundle.
//
// Material's instant navigation swaps the page without reloading: document$
// emits on the first load and after every swap, so a calculator reached
// from another page still gets its scripts. Without Material's bundle it
// checks once, when the document is parsed. page.mjs, once imported, attaches
// the calculators itself on every page change (and keeps its worker warm).
(() => {
  "use strict";
  const entry = new URL("calculator/page.mjs", document.currentScript.src).href;
  let loading = null;

  function loadIfNeeded() {
    if (loading || !document.querySelector("[data-cci-calculator]")) return;
    loading = import(entry).catch((error) => {
      loading = null; // a later page change may try again
      console.error("calculator scripts failed to load", error);
    });
  }

  if (typeof document$ !== "undefined") document$.subscribe(loadIfNeeded);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", loadIfNeeded);
  else loadIfNeeded();
})();

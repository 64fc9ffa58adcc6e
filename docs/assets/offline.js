// Registers the site's service worker (sw.js at the site root, written by
// the build: macros/offline.py) once the page has loaded, and offers a new
// build once it is ready.
//
// - On a page with a calculator it asks the worker to keep the calculator
//   runtime (about 5 MB) for offline use; other pages never load it.
// - When a new build's worker is installed and waiting, the page shows
//   the notice of overrides/partials/update_notice.html; its button lets
//   the new worker take over, and every open page then reloads, so no page
//   mixes files of two builds.
(() => {
  "use strict";
  if (!("serviceWorker" in navigator)) return;
  const workerUrl = new URL("../sw.js", document.currentScript.src);
  // Only an update reloads: the very first worker takes over no page.
  const updating = Boolean(navigator.serviceWorker.controller);
  const CHECK_EVERY_MS = 60_000;
  let registration = null;
  let lastCheck = Date.now();

  /** Show the update notice of the current page while a new build waits. */
  function showNotice() {
    const notice = document.querySelector("[data-cci-update]");
    if (notice) notice.hidden = !(registration?.waiting && navigator.serviceWorker.controller);
  }

  function watch(found) {
    registration = found;
    found.addEventListener("updatefound", () => {
      const worker = found.installing;
      worker?.addEventListener("statechange", () => {
        if (worker.state === "installed") showNotice();
      });
    });
    showNotice();
  }

  /** On every page: the notice again (Material's instant navigation
   *  replaces it), an update check now and then, the runtime if wanted. */
  function onPage() {
    showNotice();
    if (registration && Date.now() - lastCheck > CHECK_EVERY_MS) {
      lastCheck = Date.now();
      registration.update().catch(() => {});
    }
    if (document.querySelector("[data-cci-calculator]")) {
      navigator.serviceWorker.ready.then((ready) => {
        ready.active?.postMessage({ type: "cci-cache-runtime" });
      });
    }
  }

  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (updating) location.reload();
  });
  document.addEventListener("click", (event) => {
    if (!event.target.closest?.("[data-cci-update-reload]")) return;
    if (registration?.waiting) registration.waiting.postMessage({ type: "cci-skip-waiting" });
    else location.reload();
  });
  // After the load event: the worker's install (its precache) then takes
  // no bandwidth or CPU from the page's own first load.
  const register = () => navigator.serviceWorker
    .register(workerUrl, { scope: new URL("./", workerUrl).pathname })
    .then(watch)
    .catch(() => {}); // no worker (e.g. file://): the site works online as before
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });
  if (typeof document$ !== "undefined") document$.subscribe(onPage);
  else onPage();
})();

// sw.js of the live preview (mkdocs serve): a worker left by a built site
// served at the same address is replaced by this one, which deletes the
// caches and unregisters itself, so the preview always shows the edits.

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.map((name) => caches.delete(name))))
      .then(() => self.registration.unregister()),
  );
});

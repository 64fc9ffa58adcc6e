// The site's service worker. The build (macros/offline.py) writes it to
// sw.js behind `const OFFLINE = {build, workbox, precache, runtime}`, the
// lists of this build's files with their hashes; every URL is relative to
// this file.
//
// - Pages and assets (OFFLINE.precache) are precached by Workbox when this
//   worker installs and served from the cache (a page: its folder's
//   index.html), so every page works offline after one visit.
// - The calculator runtime (OFFLINE.runtime, about 5 MB) is cached only
//   when a calculator page asks ("cci-cache-runtime" from
//   assets/offline.js) or fetches it, in the cache "cci-runtime-<build>".
// - A new build's worker waits until the visitor asks for it
//   ("cci-skip-waiting"); on activation it drops the older builds' caches.
//   Until then the old worker serves the old build's files only.

importScripts(`${OFFLINE.workbox}workbox-sw.js`);
workbox.setConfig({ modulePathPrefix: OFFLINE.workbox, debug: false });

const { precaching, routing, strategies } = workbox;
const RUNTIME_PREFIX = "cci-runtime-";
const RUNTIME_CACHE = RUNTIME_PREFIX + OFFLINE.build;
const absolute = (url) => new URL(url, self.location.href).href;
const RUNTIME = new Map(OFFLINE.runtime.map(({ url, integrity }) => [absolute(url), integrity]));

precaching.precacheAndRoute(OFFLINE.precache, { directoryIndex: "index.html", cleanURLs: false });

routing.registerRoute(
  ({ url }) => RUNTIME.has(url.href),
  new strategies.CacheFirst({ cacheName: RUNTIME_CACHE }),
);

/** Fetch and store the runtime files missing from this build's cache;
 *  the integrity hash refuses a file of another build. */
async function cacheRuntime() {
  const cache = await caches.open(RUNTIME_CACHE);
  await Promise.all(
    [...RUNTIME].map(async ([url, integrity]) => {
      if (await cache.match(url)) return;
      const response = await fetch(new Request(url, { integrity }));
      if (response.ok) await cache.put(url, response);
    }),
  );
}

self.addEventListener("message", (event) => {
  const type = event.data?.type;
  if (type === "cci-skip-waiting") self.skipWaiting();
  // Offline or a deploy under way: the next calculator page asks again.
  else if (type === "cci-cache-runtime") event.waitUntil(cacheRuntime().catch(() => {}));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((names) =>
      Promise.all(
        names
          .filter((name) => name.startsWith(RUNTIME_PREFIX) && name !== RUNTIME_CACHE)
          .map((name) => caches.delete(name)),
      ),
    ),
  );
});

// The site's root wherever it is served, for Material's scripts.
//
// Loaded in <head> in place of Material's inline partial
// (overrides/partials/javascripts/base.html): the same storage helpers,
// scoped to the site's root, found from this file's own address rather than
// from a per-page relative path, so one Content-Security-Policy hash fewer
// per page depth.
//
// Material's instant navigation intercepts a click only if the link is
// listed in sitemap.xml, whose <loc> URLs start with the build's site_url
// (SITE_URL). Material adapts their scheme and host to the page, but not
// their port or path, so a copy served on another port or under a sub-path
// would reload on every click (and lose the calculator's warm worker).
// This script, loaded before Material's bundle, re-bases the sitemap that
// the bundle reads (by XMLHttpRequest) onto the folder the site is served
// from. The file on the server, which search engines read, is unchanged.

// This file is assets/site_root.js: the root is its parent's parent.
var __md_scope = new URL("..", document.currentScript.src);
var __md_hash = (text) => [...text].reduce((h, c) => (h << 5) - h + c.charCodeAt(0), 0);
var __md_get = (key, storage = localStorage, scope = __md_scope) =>
  JSON.parse(storage.getItem(scope.pathname + "." + key));
var __md_set = (key, value, storage = localStorage, scope = __md_scope) => {
  try {
    storage.setItem(scope.pathname + "." + key, JSON.stringify(value));
  } catch (e) {
    // Storage full or disabled: Material works without it.
  }
};

(() => {
  "use strict";
  const root = __md_scope.href;
  const sitemap = new URL("sitemap.xml", root).href;
  const proto = XMLHttpRequest.prototype;
  const open = proto.open;
  const responseText = Object.getOwnPropertyDescriptor(proto, "responseText").get;

  /** The sitemap's text with its home page URL (the shortest <loc>,
   *  i.e. site_url) replaced by `root` wherever it starts a URL. */
  function rebase(text) {
    const locs = [...text.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
    if (locs.length === 0) return text;
    const home = locs.reduce((a, b) => (b.length < a.length ? b : a));
    return text.split(home).join(root);
  }

  // Each page's <head> names itself and its translation (hreflang links,
  // overrides/partials/languages.html). Material's bundle takes every such
  // link for an edition root (its extra.alternate): it asks for a
  // sitemap.xml beside each linked page (a 404 per page, or a request to
  // site_url's host when served elsewhere) and then diverts later clicks on
  // links below that page to the page itself, as a full load without
  // fragment. The header's own switch (language_switch.js) does the
  // language change, so those requests are never sent: Material then keeps
  // no page alternates and leaves clicks to its instant navigation.
  const send = proto.send;
  const unsent = new WeakSet();
  proto.send = function (...args) {
    if (!unsent.has(this)) return send.apply(this, args);
  };

  proto.open = function (method, url, ...rest) {
    const target = new URL(String(url), location.href);
    if (target.pathname.endsWith("/sitemap.xml") && target.href !== sitemap) unsent.add(this);
    if (target.href === sitemap) {
      // Read as text (the bundle asks for a blob) and hand back a blob of
      // the re-based text.
      Object.defineProperty(this, "responseType", { get: () => "blob", set() {} });
      Object.defineProperty(this, "response", {
        get() {
          return new Blob([rebase(responseText.call(this))], { type: "text/xml" });
        },
      });
    }
    return open.call(this, method, url, ...rest);
  };
})();

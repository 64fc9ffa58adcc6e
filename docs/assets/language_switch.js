// The language switch in the header (overrides/partials/alternate.html)
// leads to the current page in the other edition, with the URL fragment, so
// that a quote or response-time link opens in the other language unchanged.
//
// The page's translation is read at click time from the content
// ([data-cci-translation], overrides/main.html): Material's instant
// navigation replaces the content but keeps the header. The switch loads
// the other edition as a whole page (its own search index and sitemap), so
// Material's click handlers do not see the click.
document.addEventListener(
  "click",
  (event) => {
    const link = event.target instanceof Element && event.target.closest("a[data-cci-language-switch]");
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const translation = document.querySelector("a[data-cci-translation]");
    const target = new URL(translation ? translation.getAttribute("href") : link.getAttribute("href"), location.href);
    target.hash = location.hash;
    event.preventDefault();
    event.stopImmediatePropagation();
    location.assign(target.href);
  },
  true,
);

// Entry point of the calculator pages, imported by assets/calculator_loader.js
// on the first page that has a [data-cci-calculator] element; it then acts
// on every page change, only where a page has such an element. Every text
// shown comes from the page's template or from the Python calculator, and
// is inserted as text, never as HTML.

import { attachAdvisor } from "./advisor_page.mjs";
import { attachPriceCalculator } from "./price_page.mjs";
import { attachResponseCalculator } from "./response_page.mjs";

const CALCULATORS = {
  price: attachPriceCalculator,
  response: attachResponseCalculator,
  advisor: attachAdvisor,
};

function onPage() {
  for (const root of document.querySelectorAll("[data-cci-calculator]")) {
    CALCULATORS[root.dataset.cciCalculator]?.(root);
  }
}

// Material emits document$ on the first load and after every instant
// navigation; without Material's bundle, run once.
if (typeof document$ !== "undefined") document$.subscribe(onPage);
else onPage();

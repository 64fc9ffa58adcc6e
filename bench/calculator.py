"""Time the price calculator in Chromium and print a table (not a test).

Usage: .venv/bin/python bench/calculator.py [RUNS]   (default 5; `make bench`)

Builds the site once into a temporary folder (strict mkdocs build, as the
tests do), serves it on 127.0.0.1 (plain HTTP/1.0, no compression) and
drives Debian's Chromium (/usr/bin/chromium, headless) with Playwright:

plain   the reference, in the same run: a plain Pyodide boot in a module
        worker that runs 1+1 (bench-plain/, written into the bench's site
        only), cold (new profile) and warm; every time below is also shown
        as a ratio to the plain boot of the same cache state.
cold    a fresh browser context with a new, empty profile (empty HTTP
        cache, like a first-time visitor) opens rechner/; the time from
        navigation start (the page's performance.timeOrigin) to the moment
        the Advanced monthly slot first shows the right price for the
        pre-filled value (10.000 → 2.300,00 €; the build-time answer counts),
        and to the runtime's own answer (status running, link in the
        address), seen by a MutationObserver in the page; the bytes
        received: the sum over all requests (page and worker) of
        Playwright's request.sizes()["responseBodySize"], i.e. the encoded
        response bodies (headers excluded; a cache hit counts 0); and the
        layout shifts without recent input (PerformanceObserver
        'layout-shift', CLS) until the runtime answered + 0.5 s.
quote   the same with a quote link (#nutzung=25000&plan=advanced → 3.800,00 €),
        cold in a new profile and warm.
warm    the same page again in the same context: HTTP cache warm (on disk),
        new document and new worker; same measures. Also shown: the warm
        visit in Playwright's new_context(), which keeps its cache in memory
        only, like a private window.
recalc  on a loaded page, type a value (Playwright fill) and time, in the
        page, from the input event to the updated Advanced price (no
        debounce: the worker round trip and rendering), and the same
        submitting the form right after the fill.
files   raw and gzip -9 sizes of the calculator's files (brotli: the
        Python package is not installed, so not measured).

No request is routed: Playwright's routing would switch the HTTP cache off.
Requests to other hosts are counted and shown instead (expected: none).
The machine is small and shared: this reports, it asserts nothing.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# First on the path, before bench/ itself: this file is named like the package.
sys.path.insert(0, str(ROOT))

from calculator.price_view import price_view  # noqa: E402
from tests.catalog import real_catalog  # noqa: E402
from tests.helpers import build_output, is_loopback, run_build, serve_directory  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]
PAGE = "rechner/"
SLOT = ".cci-result[data-plan=advanced] [data-slot=monthly]"
TIMEOUT_MS = 60_000
# Values typed for the recalculation figures; each gives another Advanced price.
TYPED = ("25.000", "6.000", "12.345,67", "7.500,00 EUR", "1.000.000", "19.999,99",
         "5.000,01", "250 000 €")

# A quote link opened cold: its Advanced price differs from the default's.
FRAGMENT = "#nutzung=25000&plan=advanced"
FRAGMENT_MONTHLY = "3.800,00 €"

# Runs in every document before its scripts: notes when the slot first shows
# the expected text (by the address's fragment; the parser inserting the
# build-time answer counts), when the runtime has answered (status running,
# no aria-busy, the address carries the form's link), and sums the layout
# shifts without recent input (CLS, as Chromium reports them).
WATCH_FIRST_RESULT = """
(() => {
  const expected = %s[location.hash] ?? null;
  const norm = (text) => text.replace(/[\\u00a0\\u202f]/g, " ").trim();
  window.__cciCls = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__cciCls += entry.value;
  }).observe({ type: "layout-shift", buffered: true });
  const check = () => {
    const slot = document.querySelector(%s);
    const visible = slot?.closest("[data-state]")?.hidden === false;
    if (slot && visible && norm(slot.textContent) === expected && window.__cciFirstResult === undefined) {
      window.__cciFirstResult = performance.now();
    }
    const root = document.querySelector("[data-cci-calculator]");
    if (root?.dataset.status === "running" && !root.hasAttribute("aria-busy") && location.hash.length > 1
        && window.__cciFirstResult !== undefined && window.__cciRuntime === undefined) {
      window.__cciRuntime = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
})();
"""

# Resolves with ms from the input's next input event to the slot showing `expected`.
TIME_UPDATE = """
([selector, expected]) => {
  const norm = (text) => text.replace(/[\\u00a0\\u202f]/g, " ").trim();
  const input = document.querySelector("#cci-usage");
  const slot = document.querySelector(selector);
  window.__cciUpdate = new Promise((resolve) => {
    let start = null;
    input.addEventListener("input", () => { start ??= performance.now(); }, { once: true });
    const observer = new MutationObserver(() => {
      if (start !== null && norm(slot.textContent) === expected) {
        observer.disconnect();
        resolve(performance.now() - start);
      }
    });
    observer.observe(slot, { subtree: true, childList: true, characterData: true });
  });
}
"""


def normalise(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ").strip()


def advanced_monthly(typed: str) -> str:
    """CPython's Advanced monthly price for ``typed``, spaces normalised."""
    view = price_view(real_catalog(), typed)
    return normalise(next(p["monthly"] for p in view["plans"] if p["plan"] == "advanced"))


@dataclass
class Visit:
    ms: float
    body_bytes: int
    requests: int
    foreign: list[str] = field(default_factory=list)
    runtime_ms: float = 0.0  # until the runtime answered
    cls: float = 0.0  # cumulative layout shift until then (+0.5 s)


def visit(page, url: str) -> Visit:
    """Open ``url`` in ``page``; time to the first right result, bytes received."""
    finished = []
    foreign = []

    def on_request(request) -> None:
        if not is_loopback(request.url):
            foreign.append(request.url)

    def on_finished(request) -> None:
        finished.append(request)

    page.context.on("requestfinished", on_finished)
    page.context.on("request", on_request)
    try:
        page.goto(url, wait_until="commit")
        page.wait_for_function("window.__cciFirstResult !== undefined", timeout=TIMEOUT_MS,
                               polling=50)
        ms = page.evaluate("window.__cciFirstResult")
        page.wait_for_function("window.__cciRuntime !== undefined", timeout=TIMEOUT_MS, polling=50)
        runtime_ms = page.evaluate("window.__cciRuntime")
        page.wait_for_load_state("load")
        page.wait_for_timeout(500)  # let late requests and shifts finish
        cls = page.evaluate("window.__cciCls")
        # A cache hit reports a negative body size (0 received minus headers).
        body = sum(max(0, request.sizes()["responseBodySize"]) for request in finished)
        return Visit(ms, body, len(finished), foreign, runtime_ms, cls)
    finally:
        page.context.remove_listener("requestfinished", on_finished)
        page.context.remove_listener("request", on_request)


def recalc(page, typed: str, expected: str, submit: bool) -> float:
    page.evaluate(TIME_UPDATE, [SLOT, expected])
    page.fill("#cci-usage", typed)
    if submit:  # as Enter or a submit button would (the form may have neither)
        page.eval_on_selector("#cci-usage", "input => input.form.requestSubmit()")
    return page.evaluate("window.__cciUpdate")


# The reference: a plain Pyodide boot in a module worker that runs 1+1, from
# the same self-hosted runtime files (and the bundle's lock file).
PLAIN_PAGE = """<!doctype html><meta charset="utf-8"><title>plain</title>
<script>
const worker = new Worker("worker.mjs", { type: "module" });
worker.onmessage = ({ data }) => { window.__plainDone = performance.now(); window.__plainAnswer = data; };
</script>"""
PLAIN_WORKER = """import { loadPyodide } from "../%(runtime)spyodide.mjs";
const pyodide = await loadPyodide({
  indexURL: new URL("../%(runtime)s", import.meta.url).href,
  lockFileURL: new URL("../%(bundle)spyodide-lock.json", import.meta.url).href,
  packages: [],
});
postMessage(pyodide.runPython("1+1"));
"""


def write_plain_boot(site: Path) -> str:
    """Put the plain-boot page into ``site`` (bench only); its path."""
    runtime = next((site / "assets" / "pyodide").iterdir()).relative_to(site).as_posix() + "/"
    bundle = next(p for p in (site / "assets" / "calculator").iterdir() if p.is_dir())
    folder = site / "bench-plain"
    folder.mkdir()
    (folder / "index.html").write_text(PLAIN_PAGE, encoding="utf-8")
    (folder / "worker.mjs").write_text(
        PLAIN_WORKER % {"runtime": runtime, "bundle": bundle.relative_to(site).as_posix() + "/"},
        encoding="utf-8")
    return "bench-plain/"


def plain_boot(page, url: str) -> float:
    """ms from navigation to the worker's answer 2 (a plain Pyodide boot)."""
    page.goto(url, wait_until="commit")
    page.wait_for_function("window.__plainDone !== undefined", timeout=TIMEOUT_MS, polling=50)
    assert page.evaluate("window.__plainAnswer") == 2
    return page.evaluate("window.__plainDone")


def runtime_sizes(site: Path) -> list[tuple[str, int]]:
    rows = []
    for folder in sorted((site / "assets" / "pyodide").iterdir()):
        rows += [(f"assets/pyodide/{folder.name}/{p.name}", p.stat().st_size)
                 for p in sorted(folder.iterdir())]
    for folder in sorted(p for p in (site / "assets" / "calculator").iterdir() if p.is_dir()):
        rows += [(f"assets/calculator/{folder.name}/{p.name}", p.stat().st_size)
                 for p in sorted(folder.iterdir())]
    return rows


def stats_row(name: str, values: list[float], unit: str) -> str:
    scale, fmt = {"s": (1000, "{:.2f} s"), "ms": (1, "{:.0f} ms"), "MB": (1e6, "{:.2f} MB"),
                  "kB": (1e3, "{:.1f} kB"), "": (1, "{:.0f}")}[unit]
    cells = [fmt.format(v / scale) for v in
             (statistics.median(values), min(values), max(values))]
    return f"{name:<48}{cells[0]:>11}{cells[1]:>11}{cells[2]:>11}{len(values):>6}"


def prepare(context, first: str):
    """``context``'s page, watching for the first result; ``context`` set up."""
    context.set_default_timeout(TIMEOUT_MS)
    expected = {"": first, FRAGMENT: FRAGMENT_MONTHLY}
    context.add_init_script(WATCH_FIRST_RESULT % (json.dumps(expected), json.dumps(SLOT)))
    return context.pages[0] if context.pages else context.new_page()


def measure_recalc(page, prefilled: str, first: str, rounds: int) -> tuple[list[float], list[float]]:
    """Recalculation times (ms) when typing and when submitting the form."""
    typing: list[float] = []
    submitting: list[float] = []
    for _ in range(rounds):
        for typed in TYPED:
            for submit, into in ((False, typing), (True, submitting)):
                # Back to the first value, so that every fill changes the price.
                recalc(page, prefilled, first, submit=True)
                into.append(recalc(page, typed, advanced_monthly(typed), submit))
    return typing, submitting


def main(runs: int) -> None:
    from playwright.sync_api import sync_playwright

    options = {"executable_path": CHROMIUM, "headless": True, "args": CHROMIUM_ARGS}
    context_options = {"locale": "de-DE", "timezone_id": "Europe/Berlin",
                       "service_workers": "block"}
    with tempfile.TemporaryDirectory(prefix="cci-bench-") as tmp:
        site = Path(tmp) / "site"
        started = time.perf_counter()
        proc = run_build(ROOT, site)
        if proc.returncode != 0:
            sys.exit(f"the build failed:\n{build_output(proc)}")
        build_s = time.perf_counter() - started
        html = (site / PAGE / "index.html").read_text(encoding="utf-8")
        prefilled = re.search(r'id="cci-usage"[^>]*\bvalue="([^"]*)"', html).group(1)
        first = advanced_monthly(prefilled)

        plain_path = write_plain_boot(site)
        cold: list[Visit] = []
        warm: list[Visit] = []
        cold_fragment: list[Visit] = []
        warm_fragment: list[Visit] = []
        private_warm: list[Visit] = []
        plain_cold: list[float] = []
        plain_warm: list[float] = []
        with serve_directory(site) as base, sync_playwright() as pw:
            url = base + PAGE
            # Playwright's new_context is like a private window: cache in memory only.
            browser = pw.chromium.launch(**options)
            try:
                # Both kinds in turn, so that both see the same (shared) machine.
                for run in range(runs):
                    # A new profile per run: empty disk cache, as for a first-time visitor.
                    with tempfile.TemporaryDirectory(prefix="cci-profile-", dir=tmp) as profile:
                        context = pw.chromium.launch_persistent_context(
                            profile, **options, **context_options)
                        try:
                            page = prepare(context, first)
                            cold.append(visit(page, url))
                            warm.append(visit(page, url))  # new document, new worker
                            if run == runs - 1:
                                typing, submitting = measure_recalc(
                                    page, prefilled, first, rounds=max(1, runs // 4))
                            # A quote link shows read-only (no form), so after the typing.
                            page.goto("about:blank")  # else only the fragment would change
                            warm_fragment.append(visit(page, url + FRAGMENT))
                        finally:
                            context.close()
                    context = browser.new_context(**context_options)
                    try:
                        page = prepare(context, first)
                        visit(page, url)
                        private_warm.append(visit(page, url))
                    finally:
                        context.close()
                    for kind in ("fragment", "plain"):
                        with tempfile.TemporaryDirectory(prefix="cci-profile-", dir=tmp) as profile:
                            context = pw.chromium.launch_persistent_context(
                                profile, **options, **context_options)
                            try:
                                page = prepare(context, first)
                                if kind == "fragment":
                                    cold_fragment.append(visit(page, url + FRAGMENT))
                                else:
                                    plain_cold.append(plain_boot(page, base + plain_path))
                                    plain_warm.append(plain_boot(page, base + plain_path))
                            finally:
                                context.close()
            finally:
                browser.close()

        versions = ", ".join(p.name for p in (site / "assets" / "pyodide").iterdir())
        print(f"Price calculator in headless Chromium ({CHROMIUM}); site built in {build_s:.1f} s, "
              f"served from 127.0.0.1 (HTTP/1.0, no compression, no Cache-Control); "
              f"Pyodide {versions}")
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"Machine: {os.cpu_count()} CPUs, load average {load} (1, 5, 15 min) at the end")
        print(f"First result: {prefilled} → Advanced {first}. Bytes: encoded response bodies "
              f"(Playwright request.sizes()), cache hits count 0.")
        print()
        ref_cold, ref_warm = statistics.median(plain_cold), statistics.median(plain_warm)
        print(f"{'measure':<48}{'median':>11}{'min':>11}{'max':>11}{'runs':>6}  ratio to plain boot")
        print(stats_row("reference: plain Pyodide boot, 1+1, cold", plain_cold, "s"))
        print(stats_row("reference: plain Pyodide boot, 1+1, warm", plain_warm, "s"))
        timed = (
            ("cold: navigation → first right result", [v.ms for v in cold], ref_cold),
            ("cold: navigation → runtime answered", [v.runtime_ms for v in cold], ref_cold),
            ("cold, quote link: → first right result", [v.ms for v in cold_fragment], ref_cold),
            ("warm: navigation → first right result", [v.ms for v in warm], ref_warm),
            ("warm: navigation → runtime answered", [v.runtime_ms for v in warm], ref_warm),
            ("warm, quote link: → first right result", [v.ms for v in warm_fragment], ref_warm),
            ("warm, private context: → runtime answered", [v.runtime_ms for v in private_warm], ref_warm),
        )
        for name, values, ref in timed:
            print(stats_row(name, values, "s") + f"  {statistics.median(values) / ref:.2f}")
        print(stats_row("cold: bytes received", [v.body_bytes for v in cold], "MB"))
        print(stats_row("cold: requests", [v.requests for v in cold], ""))
        print(stats_row("warm: bytes received", [v.body_bytes for v in warm], "kB"))
        print(stats_row("keystroke → result (fill, no debounce)", typing, "ms"))
        print(stats_row("fill + submit → result", submitting, "ms"))
        print(stats_row("CLS × 1000, no fragment (until runtime + 0.5 s)",
                        [v.cls * 1000 for v in cold + warm], ""))
        print(stats_row("CLS × 1000, quote link (read-only view)",
                        [v.cls * 1000 for v in cold_fragment + warm_fragment], ""))
        foreign = sorted({u for v in cold + warm + private_warm for u in v.foreign})
        print(f"requests to other hosts: {len(foreign)}" + "".join(f"\n  {u}" for u in foreign))
        print()
        print("Server-side files of the calculator (raw and gzip -9 bytes; "
              "brotli is not measured: the brotli package is not installed):")
        rows = runtime_sizes(site)
        zipped = {name: len(gzip.compress((site / name).read_bytes(), 9)) for name, _ in rows}
        for name, size in rows:
            print(f"  {size:>12,} {zipped[name]:>12,}  {name}")
        print(f"  {sum(size for _, size in rows):>12,} {sum(zipped.values()):>12,}  total")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)

"""Time the calculators in Chromium and print a table (not a test).

Usage: .venv/bin/python bench/calculator.py [RUNS]   (default 5; `make bench`)

Builds the site once into a temporary folder (strict mkdocs build, as the
tests do) and serves it on 127.0.0.1 with its production nginx
configuration (site/_deploy/nginx.conf with the brotli_static module, as
`make preview` does: macros/local_nginx.py), so the bytes on the wire are
the build's brotli twins and the Cache-Control headers are production's.
Drives Debian's Chromium (/usr/bin/chromium, headless) with Playwright:

plain   the reference, in the same run: a plain Pyodide boot in a module
        worker that runs 1+1 (bench-plain/, written into the bench's site
        only, with npm pyodide's full python_stdlib.zip passed as
        stdLibURL and brotli twins like the site's files; served with the
        worker's headers, the archive immutable like the runtime), cold
        (new profile) and warm; every time below is also shown as a ratio
        to the plain boot of the same cache state.
cold    a fresh browser context with a new, empty profile (empty HTTP
        cache, like a first-time visitor) opens rechner/; the time from
        navigation start (the page's performance.timeOrigin) to the moment
        the Advanced monthly slot first shows the right price for the
        pre-filled value (10.000 → 2.300,00 €; the build-time answer counts),
        and to the runtime's own answer (status running, link in the
        address), seen by a MutationObserver in the page; the bytes on the
        wire: the sum over all requests (page and worker) of Playwright's
        request.sizes() responseBodySize + responseHeadersSize, i.e. the
        encoded (brotli) response bodies and their headers (a cache hit
        counts 0); and the layout shifts without recent input
        (PerformanceObserver 'layout-shift', CLS) until the runtime
        answered + 0.5 s.
quote   the same with a quote link (#nutzung=25000&plan=advanced → 3.800,00 €),
        cold in a new profile and warm (the same profile, second visit).
link    the same with a reaktionszeit/ link (#plan=premium&schweregrad=2&
        eingang=2026-12-23T16:45; the due slot shows CPython's answer),
        cold and warm. It is not the page's build-time example ticket
        (macros/pages.py RESPONSE_EXAMPLE_SUBMITTED), so only the runtime
        can show it.
warm    rechner/ again in the same context: HTTP cache warm (on disk),
        new document and new worker; same measures. Also shown: the warm
        visit in Playwright's new_context(), which keeps its cache in memory
        only, like a private window.
recalc  on a loaded page, type a value (Playwright fill) and time, in the
        page, from the input event to the updated Advanced price (the
        worker round trip and rendering), and the same submitting the form
        right after the fill.
files   raw, .gz and .br twin sizes of the calculator's files.

Goals (issue 10) are printed beside the figures: quote/link ≤ 0.5 × plain
cold, ≤ 0.3 × plain warm; cold rechner/ ≤ 4.0 MB on the wire; CLS ≤ 0.02;
keystroke → result median ≤ 30 ms.

Service workers are blocked (the HTTP cache alone is measured). No request
is routed: Playwright's routing would switch the HTTP cache off. Requests
to other hosts are counted and shown instead (expected: none). The machine
is small and shared: this reports, it asserts nothing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
# First on the path, before bench/ itself: this file is named like the package.
sys.path.insert(0, str(ROOT))

from calculator.price_view import price_view  # noqa: E402
from calculator.response_view import response_view  # noqa: E402
from macros import deploy, local_nginx  # noqa: E402
from tests.catalog import real_catalog  # noqa: E402
from tests.helpers import build_output, is_loopback, run_build  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]
PAGE = "rechner/"
RESPONSE_PAGE = "reaktionszeit/"
SLOT = ".cci-result[data-plan=advanced] [data-slot=monthly]"
DUE_SLOT = '[data-cci-calculator=response] [data-slot="due"]'
TIMEOUT_MS = 60_000
# Values typed for the recalculation figures; each gives another Advanced price.
TYPED = ("25.000", "6.000", "12.345,67", "7.500,00 EUR", "1.000.000", "19.999,99",
         "5.000,01", "250 000 €")

# A quote link opened cold: its Advanced price differs from the default's.
FRAGMENT = "#nutzung=25000&plan=advanced"
FRAGMENT_MONTHLY = "3.800,00 €"
# A response-time link: (plan, severity, submitted) of its fragment; not the
# build-time example (basic, 3, 2026-11-27T17:30), whose answer is on the page
# before any runtime starts.
RESPONSE_LINK = ("premium", 2, "2026-12-23T16:45")
RESPONSE_FRAGMENT = "#plan=%s&schweregrad=%d&eingang=%s" % RESPONSE_LINK

# Goals of issue 10.
GOAL_LINK_COLD = 0.5  # × plain cold boot
GOAL_LINK_WARM = 0.3  # × plain warm boot
GOAL_COLD_MB = 4.0
GOAL_CLS = 0.02
GOAL_KEYSTROKE_MS = 30

# Runs in every document before its scripts: notes when the page's slot
# first shows the expected text (by path and fragment; the parser inserting
# the build-time answer counts), when the runtime has answered (status
# running, no aria-busy, the address carries the form's link), and sums the
# layout shifts without recent input (CLS, as Chromium reports them).
WATCH_FIRST_RESULT = """
(() => {
  const [selector, expected] = %s[location.pathname.replace(/^.*\\/([^/]+\\/)$/, "$1") + location.hash] ?? [null, null];
  const norm = (text) => text.replace(/[\\u00a0\\u202f]/g, " ").trim();
  window.__cciCls = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__cciCls += entry.value;
  }).observe({ type: "layout-shift", buffered: true });
  if (selector === null) return;
  const check = () => {
    const slot = document.querySelector(selector);
    const visible = slot !== null && slot.offsetParent !== null;
    if (visible && norm(slot.textContent) === expected && window.__cciFirstResult === undefined) {
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


def response_due() -> str:
    """CPython's due time for RESPONSE_LINK (German time), spaces normalised."""
    plan, severity, submitted = RESPONSE_LINK
    view = response_view(real_catalog(), plan, severity, submitted, now=None,
                         visitor_zone="Europe/Berlin")
    return normalise(view["due"])


@dataclass
class Visit:
    ms: float
    wire_bytes: int  # encoded bodies + response headers
    requests: int
    foreign: list[str] = field(default_factory=list)
    runtime_ms: float = 0.0  # until the runtime answered
    cls: float = 0.0  # cumulative layout shift until then (+0.5 s)
    sizes: dict[str, int] = field(default_factory=dict)  # URL path → bytes on the wire


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
        page.wait_for_function("() => window.__cciFirstResult !== undefined", timeout=TIMEOUT_MS,
                               polling=50)
        ms = page.evaluate("() => window.__cciFirstResult")
        page.wait_for_function("() => window.__cciRuntime !== undefined", timeout=TIMEOUT_MS, polling=50)
        runtime_ms = page.evaluate("() => window.__cciRuntime")
        page.wait_for_load_state("load")
        page.wait_for_timeout(500)  # let late requests and shifts finish
        cls = page.evaluate("() => window.__cciCls")
        sizes = {urlsplit(r.url).path: wire_size(r) for r in finished}
        return Visit(ms, sum(wire_size(r) for r in finished), len(finished), foreign, runtime_ms, cls,
                     sizes)
    finally:
        page.context.remove_listener("requestfinished", on_finished)
        page.context.remove_listener("request", on_request)


def wire_size(request) -> int:
    """Bytes of ``request``'s response on the wire: encoded body and headers;
    a cache hit reports a negative body size (0 received minus headers)."""
    sizes = request.sizes()
    if sizes["responseBodySize"] < 0:
        return 0
    return sizes["responseBodySize"] + max(0, sizes["responseHeadersSize"])


def recalc(page, typed: str, expected: str, submit: bool) -> float:
    page.evaluate(TIME_UPDATE, [SLOT, expected])
    page.fill("#cci-usage", typed)
    if submit:  # as Enter or a submit button would (the form may have neither)
        page.eval_on_selector("#cci-usage", "input => input.form.requestSubmit()")
    return page.evaluate("() => window.__cciUpdate")


# The reference: a plain Pyodide boot in a module worker that runs 1+1, from
# the same self-hosted runtime files (and the bundle's lock file), with npm
# pyodide's own full stdlib archive. The page's script is a file: the CSP
# allows no inline script.
PLAIN_PAGE = """<!doctype html><meta charset="utf-8"><title>plain</title>
<script src="plain.js"></script>"""
PLAIN_SCRIPT = """const worker = new Worker("worker.mjs", { type: "module" });
worker.onmessage = ({ data }) => { window.__plainDone = performance.now(); window.__plainAnswer = data; };
"""
PLAIN_WORKER = """import { loadPyodide } from "../%(runtime)spyodide.mjs";
const pyodide = await loadPyodide({
  indexURL: new URL("../%(runtime)s", import.meta.url).href,
  lockFileURL: new URL("../%(bundle)spyodide-lock.json", import.meta.url).href,
  stdLibURL: new URL("python_stdlib.zip", import.meta.url).href,
  packages: [],
});
postMessage(pyodide.runPython("1+1"));
"""
PLAIN_STDLIB = ROOT / "node_modules" / "pyodide" / "python_stdlib.zip"
PLAIN_DIR = "bench-plain"


def write_plain_boot(site: Path) -> str:
    """Put the plain-boot page into ``site`` (bench only), with brotli and
    gzip twins and nginx rules (the worker's policy, which allows wasm; the
    archive immutable like the runtime's files); its path."""
    runtime = next((site / "assets" / "pyodide").iterdir()).relative_to(site).as_posix() + "/"
    bundle = next(p for p in (site / "assets" / "calculator").iterdir() if p.is_dir())
    folder = site / PLAIN_DIR
    folder.mkdir()
    (folder / "index.html").write_text(PLAIN_PAGE, encoding="utf-8")
    (folder / "plain.js").write_text(PLAIN_SCRIPT, encoding="utf-8")
    (folder / "worker.mjs").write_text(
        PLAIN_WORKER % {"runtime": runtime, "bundle": bundle.relative_to(site).as_posix() + "/"},
        encoding="utf-8")
    shutil.copyfile(PLAIN_STDLIB, folder / "python_stdlib.zip")
    deploy.precompress(site, ROOT / deploy.CACHE_DIR, folder.iterdir())
    policy = deploy.content_security_policy(deploy.inline_script_hashes(site), wasm=True)
    rules = ((f"^~ /{PLAIN_DIR}/", deploy.CACHE_REVALIDATE),
             (f"= /{PLAIN_DIR}/python_stdlib.zip", deploy.CACHE_IMMUTABLE))
    with (site / deploy.NGINX_FILE).open("a", encoding="utf-8") as conf:
        for match, cache in rules:
            conf.write(f"\n# bench/calculator.py only\nlocation {match} {{\n")
            for name, value in deploy.common_headers(policy, cache).items():
                conf.write(f'    add_header {name} "{value}" always;\n')
            conf.write("    try_files $uri $uri/ =404;\n}\n")
    return f"{PLAIN_DIR}/"


def plain_boot(page, url: str) -> float:
    """ms from navigation to the worker's answer 2 (a plain Pyodide boot)."""
    page.goto(url, wait_until="commit")
    page.wait_for_function("() => window.__plainDone !== undefined", timeout=TIMEOUT_MS, polling=50)
    assert page.evaluate("() => window.__plainAnswer") == 2
    return page.evaluate("() => window.__plainDone")


def runtime_files(site: Path) -> list[Path]:
    """The files a calculator page's worker may fetch, and the plain boot's archive."""
    folders = sorted((site / "assets" / "pyodide").iterdir())
    folders += sorted(p for p in (site / "assets" / "calculator").iterdir() if p.is_dir())
    files = [p for folder in folders for p in sorted(folder.iterdir())]
    files += sorted((site / "assets" / "calculator").glob("*.mjs"))
    return [p for p in files if p.suffix not in (".br", ".gz")]


def stats_row(name: str, values: list[float], unit: str) -> str:
    scale, fmt = {"s": (1000, "{:.2f} s"), "ms": (1, "{:.0f} ms"), "MB": (1e6, "{:.2f} MB"),
                  "kB": (1e3, "{:.1f} kB"), "": (1, "{:.0f}")}[unit]
    cells = [fmt.format(v / scale) for v in
             (statistics.median(values), min(values), max(values))]
    return f"{name:<48}{cells[0]:>11}{cells[1]:>11}{cells[2]:>11}{len(values):>6}"


def prepare(context, first: str, due: str):
    """``context``'s page, watching for the first result; ``context`` set up."""
    context.set_default_timeout(TIMEOUT_MS)
    expected = {PAGE: [SLOT, first], PAGE + FRAGMENT: [SLOT, FRAGMENT_MONTHLY],
                RESPONSE_PAGE + RESPONSE_FRAGMENT: [DUE_SLOT, due]}
    context.add_init_script(WATCH_FIRST_RESULT % json.dumps(expected))
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


def goal(met: bool, text: str) -> str:
    return f"  goal {text}: {'met' if met else 'MISSED'}"


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
        due = response_due()

        plain_path = write_plain_boot(site)
        figures: dict[str, list] = {name: [] for name in (
            "cold", "warm", "cold_quote", "warm_quote", "cold_link", "warm_link",
            "private_warm", "plain_cold", "plain_warm")}
        typing: list[float] = []
        submitting: list[float] = []

        def in_new_profile(work) -> None:
            # A new profile: empty disk cache, as for a first-time visitor.
            with tempfile.TemporaryDirectory(prefix="cci-profile-", dir=tmp) as profile:
                context = pw.chromium.launch_persistent_context(profile, **options, **context_options)
                try:
                    work(prepare(context, first, due))
                finally:
                    context.close()

        with local_nginx.serve(site) as base, sync_playwright() as pw:
            url = base + PAGE
            browser = pw.chromium.launch(**options)
            try:
                # All kinds in turn, so that all see the same (shared) machine.
                for run in range(runs):
                    def rechner(page) -> None:
                        figures["cold"].append(visit(page, url))
                        figures["warm"].append(visit(page, url))  # new document, new worker
                        if run == runs - 1:
                            t, s = measure_recalc(page, prefilled, first, rounds=max(1, runs // 4))
                            typing.extend(t)
                            submitting.extend(s)

                    def quote(page) -> None:
                        figures["cold_quote"].append(visit(page, url + FRAGMENT))
                        page.goto("about:blank")  # else only the fragment would change
                        figures["warm_quote"].append(visit(page, url + FRAGMENT))

                    def link(page) -> None:
                        figures["cold_link"].append(visit(page, base + RESPONSE_PAGE + RESPONSE_FRAGMENT))
                        page.goto("about:blank")
                        figures["warm_link"].append(visit(page, base + RESPONSE_PAGE + RESPONSE_FRAGMENT))

                    def plain(page) -> None:
                        figures["plain_cold"].append(plain_boot(page, base + plain_path))
                        figures["plain_warm"].append(plain_boot(page, base + plain_path))

                    for work in (rechner, quote, link, plain):
                        in_new_profile(work)
                    # Playwright's new_context is like a private window: cache in memory only.
                    context = browser.new_context(**context_options)
                    try:
                        page = prepare(context, first, due)
                        visit(page, url)
                        figures["private_warm"].append(visit(page, url))
                    finally:
                        context.close()
            finally:
                browser.close()

        report(site, build_s, prefilled, first, due, figures, typing, submitting)


def report(site: Path, build_s: float, prefilled: str, first: str, due: str,
           figures: dict[str, list], typing: list[float], submitting: list[float]) -> None:
    versions = ", ".join(p.name for p in (site / "assets" / "pyodide").iterdir())
    print(f"Calculators in headless Chromium ({CHROMIUM}); site built in {build_s:.1f} s, "
          f"served by nginx from 127.0.0.1 with its production configuration "
          f"(brotli_static, HTTP/1.1, Cache-Control as in production); Pyodide {versions}")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Machine: {os.cpu_count()} CPUs, load average {load} (1, 5, 15 min) at the end")
    print(f"First result: {PAGE} {prefilled} → Advanced {first}; {PAGE}{FRAGMENT} → "
          f"{FRAGMENT_MONTHLY}; {RESPONSE_PAGE}{RESPONSE_FRAGMENT} → due {due}.")
    print("Bytes on the wire: encoded response bodies + headers (Playwright request.sizes()), "
          "cache hits count 0.")
    print()
    f = figures
    ref_cold, ref_warm = statistics.median(f["plain_cold"]), statistics.median(f["plain_warm"])
    print(f"{'measure':<48}{'median':>11}{'min':>11}{'max':>11}{'runs':>6}  ratio to plain boot")
    print(stats_row("reference: plain Pyodide boot, 1+1, cold", f["plain_cold"], "s"))
    print(stats_row("reference: plain Pyodide boot, 1+1, warm", f["plain_warm"], "s"))
    timed = (
        ("cold rechner/: → first right result", [v.ms for v in f["cold"]], ref_cold, None),
        ("cold rechner/: → runtime answered", [v.runtime_ms for v in f["cold"]], ref_cold, None),
        ("warm rechner/: → first right result", [v.ms for v in f["warm"]], ref_warm, None),
        ("warm rechner/: → runtime answered", [v.runtime_ms for v in f["warm"]], ref_warm, None),
        ("cold quote link: → first right result", [v.ms for v in f["cold_quote"]], ref_cold, GOAL_LINK_COLD),
        ("warm quote link: → first right result", [v.ms for v in f["warm_quote"]], ref_warm, GOAL_LINK_WARM),
        ("cold reaktionszeit/ link: → first right result", [v.ms for v in f["cold_link"]], ref_cold,
         GOAL_LINK_COLD),
        ("warm reaktionszeit/ link: → first right result", [v.ms for v in f["warm_link"]], ref_warm,
         GOAL_LINK_WARM),
        ("warm, private context: → runtime answered", [v.runtime_ms for v in f["private_warm"]],
         ref_warm, None),
    )
    for name, values, ref, target in timed:
        ratio = statistics.median(values) / ref
        line = stats_row(name, values, "s") + f"  {ratio:.2f}"
        if target is not None:
            line += goal(ratio <= target, f"≤ {target}×")
        print(line)
    cold_mb = statistics.median(v.wire_bytes for v in f["cold"]) / 1e6
    print(stats_row("cold rechner/: bytes on the wire", [v.wire_bytes for v in f["cold"]], "MB")
          + goal(cold_mb <= GOAL_COLD_MB, f"≤ {GOAL_COLD_MB} MB"))
    print(stats_row("cold rechner/: requests", [v.requests for v in f["cold"]], ""))
    largest = sorted(f["cold"][0].sizes.items(), key=lambda item: -item[1])
    print("  largest of the first cold rechner/ visit: " + ", ".join(
        f"{path.rsplit('/', 1)[-1] or path} {size / 1e6:.2f} MB" for path, size in largest[:5])
        + f", {len(largest) - 5} others {sum(size for _, size in largest[5:]) / 1e6:.2f} MB")
    print(stats_row("warm rechner/: bytes on the wire", [v.wire_bytes for v in f["warm"]], "kB"))
    print(stats_row("cold quote link: bytes on the wire", [v.wire_bytes for v in f["cold_quote"]], "MB"))
    print(stats_row("cold reaktionszeit/ link: bytes on the wire",
                    [v.wire_bytes for v in f["cold_link"]], "MB"))
    print(stats_row("keystroke → result (fill)", typing, "ms")
          + goal(statistics.median(typing) <= GOAL_KEYSTROKE_MS, f"≤ {GOAL_KEYSTROKE_MS} ms"))
    print(stats_row("fill + submit → result", submitting, "ms"))
    for name, visits in (("CLS × 1000, rechner/ (until runtime + 0.5 s)", f["cold"] + f["warm"]),
                         ("CLS × 1000, quote link (read-only view)", f["cold_quote"] + f["warm_quote"]),
                         ("CLS × 1000, reaktionszeit/ link", f["cold_link"] + f["warm_link"])):
        worst = max(v.cls for v in visits)
        print(stats_row(name, [v.cls * 1000 for v in visits], "")
              + goal(worst <= GOAL_CLS, f"≤ {GOAL_CLS * 1000:.0f} (worst)"))
    everyone = [v for name, visits in f.items() if not name.startswith("plain") for v in visits]
    foreign = sorted({u for v in everyone for u in v.foreign})
    print(f"requests to other hosts: {len(foreign)}" + "".join(f"\n  {u}" for u in foreign))
    print()
    print("Server-side files of the calculator (raw, .gz and .br twin bytes; '-' no twin):")
    total = [0, 0, 0]
    for path in runtime_files(site) + [site / PLAIN_DIR / "python_stdlib.zip"]:
        sizes = [path.stat().st_size]
        for suffix in (".gz", ".br"):
            twin = path.with_name(path.name + suffix)
            sizes.append(twin.stat().st_size if twin.exists() else None)
        cells = [f"{s:>12,}" if s is not None else f"{'-':>12}" for s in sizes]
        print(f"  {''.join(cells)}  {path.relative_to(site).as_posix()}")
        if path.parent.name != PLAIN_DIR:
            for i, s in enumerate(sizes):
                total[i] += s if s is not None else sizes[0]
    print(f"  {''.join(f'{s:>12,}' for s in total)}  total of the site's files (no twin: raw)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)

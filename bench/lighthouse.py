"""Lighthouse mobile scores of every page and print a table (not a test).

Usage: .venv/bin/python bench/lighthouse.py [RUNS] [PAGE ...] [--reports DIR]
(RUNS default 1; `make bench`). PAGE: only these pages, as paths below the
site root ("berater/", "en/prices/", "" for the start page), to iterate
faster; --reports DIR keeps each run's Lighthouse JSON there (its
diagnostics: mainthread-work-breakdown, bootup-time, long-tasks, …).

Builds the site once into a temporary folder (strict mkdocs build) and
serves it with its production nginx configuration (brotli_static, the
production headers: macros/local_nginx.py, as `make preview` does). For
every page it runs npm `lighthouse` 12.2.3 (node_modules, pinned in
package.json) against Debian's Chromium (CHROME_PATH=/usr/bin/chromium,
headless): the performance category only, mobile form factor with the
default simulated throttling (150 ms RTT, 1.6 Mbit/s, 4× CPU slowdown).
Only 127.0.0.1 is contacted; requests to other hosts seen in Lighthouse's
network log are listed (expected: none).

Printed per page: the performance score (0–100), Largest Contentful Paint
(s), Total Blocking Time (ms) and Cumulative Layout Shift, the median of
RUNS runs; pages with a calculator ([data-cci-calculator]) are grouped
apart. Goals (issue 10): ≥ 98 on every static page, ≥ 95 on the calculator
pages. The machine is small and shared: this reports, it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros import local_nginx  # noqa: E402
from tests.helpers import build_output, discover_pages, is_loopback, run_build  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --no-first-run --disable-sync")
GOAL_STATIC = 98
GOAL_CALCULATOR = 95
RUN_TIMEOUT_S = 300


@dataclass
class Score:
    score: float  # 0–100
    lcp_ms: float
    tbt_ms: float
    cls: float
    foreign: list[str]


ATTEMPTS = 3  # Lighthouse sometimes fails to record a trace (NO_NAVSTART) under load


def lighthouse(url: str, out: Path) -> Score:
    """One Lighthouse mobile run of ``url`` (performance only); a run that
    fails to record its trace is repeated, up to ATTEMPTS in all."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return _lighthouse_once(url, out)
        except (subprocess.CalledProcessError, RuntimeError) as error:
            if attempt == ATTEMPTS:
                raise
            print(f"{url}: Lighthouse failed ({error}); again", file=sys.stderr)
    raise AssertionError("unreachable")


def _lighthouse_once(url: str, out: Path) -> Score:
    subprocess.run(
        [str(LIGHTHOUSE), url, "--only-categories=performance", "--form-factor=mobile",
         "--output=json", f"--output-path={out}", "--quiet", f"--chrome-flags={CHROME_FLAGS}"],
        check=True, timeout=RUN_TIMEOUT_S, env=dict(os.environ, CHROME_PATH=CHROMIUM),
        stdout=subprocess.DEVNULL,
    )
    report = json.loads(out.read_text(encoding="utf-8"))
    if report.get("runtimeError"):
        raise RuntimeError(f"{url}: {report['runtimeError']}")
    audits = report["audits"]
    requests = (audits.get("network-requests", {}).get("details") or {}).get("items", [])
    return Score(
        score=report["categories"]["performance"]["score"] * 100,
        lcp_ms=audits["largest-contentful-paint"]["numericValue"],
        tbt_ms=audits["total-blocking-time"]["numericValue"],
        cls=audits["cumulative-layout-shift"]["numericValue"],
        foreign=[r["url"] for r in requests if r["url"].startswith("http") and not is_loopback(r["url"])],
    )


def has_calculator(site: Path, page: str) -> bool:
    return "data-cci-calculator" in (site / page / "index.html").read_text(encoding="utf-8")


def median_score(runs: list[Score]) -> Score:
    return Score(
        statistics.median(r.score for r in runs), statistics.median(r.lcp_ms for r in runs),
        statistics.median(r.tbt_ms for r in runs), statistics.median(r.cls for r in runs),
        sorted({u for r in runs for u in r.foreign}),
    )


def report_path(folder: Path, page: str, run: int) -> Path:
    """Where run ``run`` of ``page`` keeps its JSON, e.g. ``en_prices-1.json``."""
    return folder / f"{page.strip('/').replace('/', '_') or 'start'}-{run}.json"


def main(runs: int, only: list[str], reports: Path | None) -> None:
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: `make npm` installs it (package.json)")
    with tempfile.TemporaryDirectory(prefix="cci-lighthouse-") as tmp:
        site = Path(tmp) / "site"
        proc = run_build(ROOT, site)
        if proc.returncode != 0:
            sys.exit(f"the build failed:\n{build_output(proc)}")
        pages = discover_pages(site)
        if only:
            unknown = sorted(set(only) - set(pages))
            if unknown:
                sys.exit(f"no such page(s): {unknown}; the site has {pages}")
            pages = [p for p in pages if p in only]
        folder = reports or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        results: dict[str, Score] = {}
        started = time.perf_counter()
        with local_nginx.serve(site) as base:
            for page in pages:
                # In turn, so that all pages see the same (shared) machine.
                results[page] = median_score([
                    lighthouse(base + page, report_path(folder, page, n)) for n in range(runs)])
        report(site, pages, results, runs, time.perf_counter() - started)


def report(site: Path, pages: list[str], results: dict[str, Score], runs: int, took_s: float) -> None:
    version = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True).stdout.strip()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Lighthouse {version}, mobile, default simulated throttling, performance category; "
          f"{CHROMIUM} headless; nginx with the production configuration (brotli) on 127.0.0.1; "
          f"median of {runs} run(s) per page; {took_s:.0f} s in all")
    print(f"Machine: {os.cpu_count()} CPUs, load average {load} (1, 5, 15 min) at the end")
    groups = (("static pages", GOAL_STATIC, [p for p in pages if not has_calculator(site, p)]),
              ("calculator pages", GOAL_CALCULATOR, [p for p in pages if has_calculator(site, p)]))
    for title, target, members in groups:
        print()
        print(f"{title + ' (goal ≥ ' + str(target) + ')':<36}{'score':>7}{'LCP':>9}{'TBT':>9}{'CLS':>8}")
        for page in members:
            r = results[page]
            print(f"  /{page:<33}{r.score:>7.0f}{r.lcp_ms / 1000:>8.2f}s{r.tbt_ms:>7.0f}ms{r.cls:>8.3f}"
                  + ("" if r.score >= target else "  below goal"))
        if not members:
            continue
        lowest = min(results[p].score for p in members)
        print(f"  lowest {lowest:.0f}: goal ≥ {target} {'met' if lowest >= target else 'MISSED'}")
    foreign = sorted({u for r in results.values() for u in r.foreign})
    print(f"\nrequests to other hosts: {len(foreign)}" + "".join(f"\n  {u}" for u in foreign))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Lighthouse mobile scores of the site's pages.")
    parser.add_argument("runs", nargs="?", type=int, default=1, help="runs per page (median)")
    parser.add_argument("pages", nargs="*", help='only these pages, e.g. "berater/" "en/prices/"')
    parser.add_argument("--reports", type=Path, help="keep each run's Lighthouse JSON in this folder")
    arguments = parser.parse_args()
    main(arguments.runs, arguments.pages, arguments.reports)

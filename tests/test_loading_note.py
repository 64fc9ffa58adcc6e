"""Issue 13: the calculators' loading note in each edition's notation.

The note names what a visitor downloads (the brotli twins the build writes
beside the runtime files, ``_deploy/nginx.conf``), not the decoded bytes the
progress bar counts, in the page's notation (``31 %``/``4,1`` in German,
``31%``/``4.1`` in English) at build time and while the browser loads.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Page, expect

from tests.helpers import PageLog

# Page, the wheels it loads (the calculator itself comes in the standard
# library's archive), and the exact note with {percent} {left} {total}.
PAGES = {
    "rechner/": ((), "Der Preisrechner wird geladen: {percent}\u00a0%, noch etwa {left} von {total}\u00a0MB"),
    "reaktionszeit/": (("tzdata",),
                       "Der Reaktionszeit-Rechner wird geladen: {percent}\u00a0%, noch etwa {left} von {total}\u00a0MB"),
    "en/calculator/": ((), "The price calculator is loading: {percent}%, about {left} of {total}\u00a0MB to go"),
    "en/response-time/": (("tzdata",),
                          "The response-time calculator is loading: {percent}%, about {left} of {total}\u00a0MB to go"),
}
LOADING = '[data-state="loading"] p'


def served(path: Path) -> int:
    """Bytes nginx sends a browser that accepts brotli: the twin, if any."""
    twin = path.with_name(path.name + ".br")
    return (twin if twin.is_file() else path).stat().st_size


def start_files(site: Path, page: str, wheels: tuple[str, ...]) -> tuple[list[Path], list[Path]]:
    """(files the worker fetches, modules it imports) for the calculator of ``page``."""
    runtime = next((site / "assets" / "pyodide").iterdir())
    bundle = next(p for p in (site / "assets" / "calculator").iterdir() if p.is_dir())
    catalog = "catalog.en.json" if page.startswith("en/") else "catalog.json"
    fetched = [runtime / "pyodide.asm.wasm", bundle / "python_stdlib.zip", bundle / "pyodide-lock.json",
               bundle / catalog, *(w for w in bundle.glob("*.whl") if w.name.split("-")[0] in wheels)]
    return fetched, [runtime / "pyodide.mjs", runtime / "pyodide.asm.mjs"]


def megabytes(count: float, lang: str) -> str:
    text = f"{round(Decimal(count) / 1_000_000, 1):.1f}"
    return text.replace(".", ",") if lang == "de" else text


def note_of(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").select_one(LOADING).get_text().split(" "))


@pytest.mark.parametrize("page", PAGES)
def test_loading_note_names_the_download_in_the_page_notation(built_site: Path, page: str) -> None:
    wheels, note = PAGES[page]
    fetched, imported = start_files(built_site, page, wheels)
    download = sum(served(path) for path in fetched + imported)
    html = (built_site / page / "index.html").read_text(encoding="utf-8")
    root = BeautifulSoup(html, "html.parser").select_one("[data-cci-calculator]")
    assert int(root["data-bytes"]) == sum(path.stat().st_size for path in fetched)
    assert int(root["data-download"]) == download
    # Compressed: under a third of the decoded bytes (12.6 MB for the price calculator).
    assert 3_000_000 < download < 4_000_000 < 12_000_000 < int(root["data-bytes"])
    lang = "en" if page.startswith("en/") else "de"
    total = megabytes(download, lang)
    assert note_of(html) == note.format(percent=0, left=total, total=total)


def test_loading_note_check_can_fail() -> None:
    """Negative control: the German notation is not the English one."""
    _, english = PAGES["en/calculator/"]
    html = f'<div data-state="loading"><p>The price calculator is loading: <span>0</span>\u00a0%, about 4,1 of 4,1\u00a0MB to go</p></div>'
    assert note_of(html) != english.format(percent=0, left="4.1", total="4.1")


RUNTIME_STDLIB = re.compile(r".*/python_stdlib\.zip$")


@pytest.mark.parametrize("path", ["rechner/", "en/calculator/"])
def test_loading_progress_in_the_page_notation(
    built_site: Path, site_server: str, page: Page, page_log: PageLog, path: str
) -> None:
    """With the standard library held unanswered, the worker has fetched the
    wasm and the lock file: the note shows that share of the decoded bytes
    as the percentage and the same share of the download as left, written
    the page's way."""
    wheels, note = PAGES[path]
    fetched, imported = start_files(built_site, path, wheels)
    received = fetched[0].stat().st_size + fetched[2].stat().st_size  # wasm + lock file
    total = sum(p.stat().st_size for p in fetched)
    download = sum(served(p) for p in fetched + imported)
    lang = "en" if path.startswith("en/") else "de"
    expected = note.format(percent=math.floor(100 * received / total),
                           left=megabytes(download * (total - received) / total, lang),
                           total=megabytes(download, lang))
    page.context.route(RUNTIME_STDLIB, lambda route: None)  # never answered
    page.goto(site_server + path)
    expect(page.locator(LOADING)).to_have_text(expected, timeout=60_000)
    assert page_log.page_errors == []

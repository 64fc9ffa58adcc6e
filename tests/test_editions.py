"""Issue 13: two editions from one build (macros/editions.py, mkdocs.en.yml).

German at the root, English under en/: every page exists in both, named by
the page table ``extra.translations`` of mkdocs.yml; each page declares its
language, the sitemaps link every page's translation (hreflang), the
language switch lands on the translation with the URL fragment kept, each
edition searches its own pages with its own stemmer, and the English
calculator uses the German root's runtime and bundle (nothing twice).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from mkdocs.utils import yaml_load
from playwright.sync_api import Page, Route, expect

from macros.editions import ENDINGS, forms, page_url, translation_problems, words
from macros.search_languages import LUNR_DIR, lunr_files
from tests import helpers
from tests.helpers import REPO_ROOT, PageLog, discover_pages, log_problems, problems_besides_cut_off_loads

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
BOOT_TIMEOUT_MS = 60_000
RUNTIME_ANSWERED_JS = """() => {
    const root = document.querySelector("[data-cci-calculator]");
    return root?.dataset.status === "running" && !root.hasAttribute("aria-busy");
}"""


def table() -> dict[str, str]:
    """mkdocs.yml's page table: German page file → English page file."""
    with open(REPO_ROOT / "mkdocs.yml", encoding="utf-8") as config:
        return yaml_load(config)["extra"]["translations"]


def pairs() -> list[tuple[str, str]]:
    """(German URL path, English URL path) of every page, site-relative."""
    return [(page_url(de), "en/" + page_url(en)) for de, en in table().items()]


def html_of(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


# ─── The built files ───────────────────────────────────────────────────────


def test_both_editions_come_out_of_one_build(built_site: Path) -> None:
    pages = discover_pages(built_site)
    german = [p for p in pages if not p.startswith("en/")]
    english = [p for p in pages if p.startswith("en/")]
    assert len(german) == len(english) == len(table()) == 17
    assert sorted(german) == sorted(de for de, _ in pairs())
    assert sorted(english) == sorted(en for _, en in pairs())
    # English paths, not German ones under en/.
    assert "en/calculator/" in english and "en/response-time/" in english and "en/severity/1/" in english


def test_page_table_refuses_a_page_without_translation(tmp_path: Path) -> None:
    german, english = tmp_path / "docs", tmp_path / "docs" / "en"
    (english / "plans").mkdir(parents=True)
    for name in ("index.md", "rechner.md", "neu.md"):
        (german / name).write_text("# x\n", encoding="utf-8")
    for name in ("index.md", "calculator.md", "plans/extra.md"):
        (english / name).write_text("# x\n", encoding="utf-8")
    good = {"index.md": "index.md", "rechner.md": "calculator.md"}
    assert translation_problems(good, german, english) == [
        "docs/neu.md: keine englische Seite in extra.translations (mkdocs.yml)",
        "docs/en/plans/extra.md: keine deutsche Seite in extra.translations (mkdocs.yml)",
    ]
    assert translation_problems({**good, "neu.md": "new.md", "alt.md": "plans/extra.md"}, german, english) == [
        "extra.translations: alt.md: Datei docs/alt.md fehlt",
        "extra.translations: neu.md: Datei docs/en/new.md fehlt",
    ]


@pytest.mark.parametrize("de, en", pairs(), ids=[de.rstrip("/") or "index" for de, _ in pairs()])
def test_language_and_translation_link_of_each_page(built_site: Path, de: str, en: str) -> None:
    for path, lang, other, other_lang in ((de, "de", en, "en"), (en, "en", de, "de")):
        html = html_of(built_site, path)
        assert re.search(rf'<html lang="{lang}"', html), path
        # The page's translation (the switch reads it after instant navigation) ...
        translation = re.search(r'<a hidden data-cci-translation hreflang="(\w+)" href="([^"]*)"', html)
        assert translation and translation.group(1) == other_lang, path
        assert urljoin("http://h/" + path, translation.group(2)) == "http://h/" + other
        # ... and the switch's own link without JavaScript.
        switch = re.search(r'<a href="([^"]*)" hreflang="(\w+)"[^>]*data-cci-language-switch', html)
        assert switch and switch.group(2) == other_lang, path
        assert urljoin("http://h/" + path, switch.group(1)) == "http://h/" + other


def sitemap_alternates(path: Path) -> dict[str, dict[str, str]]:
    """loc → {hreflang: href} of a sitemap."""
    root = ElementTree.parse(path).getroot()
    return {
        url.findtext("s:loc", namespaces=SITEMAP_NS): {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", SITEMAP_NS)
        }
        for url in root.findall("s:url", SITEMAP_NS)
    }


def test_sitemaps_list_both_editions_with_hreflang_alternates(built_site: Path) -> None:
    base = "http://127.0.0.1:8000/"
    root = sitemap_alternates(built_site / "sitemap.xml")
    english = sitemap_alternates(built_site / "en" / "sitemap.xml")
    assert len(root) == 34 and len(english) == 17
    assert set(english) == {base + en for _, en in pairs()}
    for de, en in pairs():
        wanted = {"de": base + de, "en": base + en, "x-default": base + de}
        assert root[base + de] == root[base + en] == english[base + en] == wanted
    # Negative control: a German page is not listed as English.
    assert base + "rechner/" not in english


HEAD_ALTERNATE = re.compile(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]*)">')


@pytest.mark.parametrize("de, en", pairs(), ids=[de.rstrip("/") or "index" for de, _ in pairs()])
def test_head_names_page_and_translation_like_the_sitemap(built_site: Path, de: str, en: str) -> None:
    base = "http://127.0.0.1:8000/"
    wanted = {"de": base + de, "en": base + en, "x-default": base + de}
    sitemap = sitemap_alternates(built_site / "sitemap.xml")
    for path in (de, en):
        head = html_of(built_site, path).split("</head>")[0]
        links = HEAD_ALTERNATE.findall(head)
        assert len(links) == 3 and dict(links) == wanted == sitemap[base + path], path
    # Negative control: the 404 page has no translation, so no alternates.
    assert not HEAD_ALTERNATE.search((built_site / "404.html").read_text(encoding="utf-8"))


def test_each_edition_has_its_own_search_index(built_site: Path) -> None:
    german = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    english = json.loads((built_site / "en" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert german["config"]["lang"] == ["de"] and english["config"]["lang"] == ["en"]
    assert {doc["location"].split("/")[0] for doc in english["docs"]} >= {"calculator", "severity"}
    assert not any(doc["location"].startswith("en/") for doc in german["docs"])


def test_lunr_files_are_those_materials_search_worker_loads() -> None:
    assert lunr_files(["en"]) == set()
    assert lunr_files(["de"]) == {LUNR_DIR + "min/lunr.stemmer.support.min.js", LUNR_DIR + "min/lunr.de.min.js"}
    assert lunr_files(["en", "ja"]) == {LUNR_DIR + name for name in (
        "min/lunr.stemmer.support.min.js", "min/lunr.ja.min.js", "tinyseg.js", "min/lunr.multi.min.js")}
    assert lunr_files(["th"]) == {LUNR_DIR + name for name in (
        "min/lunr.stemmer.support.min.js", "min/lunr.th.min.js", "wordcut.js")}


def test_each_edition_ships_only_the_search_languages_it_loads(built_site: Path) -> None:
    """Material copies ~40 languages' lunr files into each edition; the
    German keeps its two, the English none (lunr's own). That the German
    search still works with them: test_search_per_edition."""
    for edition, expected in (("", {"min/lunr.de.min.js", "min/lunr.stemmer.support.min.js"}), ("en/", set())):
        folder = built_site / edition / LUNR_DIR
        shipped = {path.relative_to(folder).as_posix() for path in folder.rglob("*.js")} if folder.exists() else set()
        assert shipped == expected, edition
    # Negative control: Material's theme does hold the others.
    from material import templates
    theme_lunr = Path(templates.__file__).parent / LUNR_DIR
    assert len(list(theme_lunr.rglob("*.js"))) > 30


def test_inflected_forms_of_a_page_text() -> None:
    text = "<p>Die <b>Zeit</b>: 4h, Zeiten</p>"
    assert words(text) == {"die", "zeit", "h", "zeiten"}
    # Words under MIN_WORD (4) get none; a form already present is not repeated.
    assert forms(words(text), ("en", "s")) == ["zeitenen", "zeitens", "zeits"]
    english = forms({"response", "time"}, ENDINGS["en"])
    assert "responses" in english and "times" in english and "timing" not in english


def test_search_indexes_hold_inflected_forms(built_site: Path) -> None:
    german = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    english = json.loads((built_site / "en" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert german["config"]["fields"]["forms"] == english["config"]["fields"]["forms"] == {"boost": 0.5}
    by_location = {doc["location"]: doc["forms"].split() for doc in german["docs"]}
    assert "reaktionszeiten" in by_location["reaktionszeit/"]
    assert "responses" in {f for doc in english["docs"] if doc["location"] == "response-time/" for f in doc["forms"].split()}
    # Negative control: no English form in the German index.
    assert not any("responses" in doc["forms"].split() for doc in german["docs"])


def test_english_edition_copies_no_runtime_or_bundle(built_site: Path) -> None:
    assert not (built_site / "en" / "assets" / "pyodide").exists()
    assert not (built_site / "en" / "assets" / "calculator").exists()
    bundles = list((built_site / "assets" / "calculator").glob("*/catalog.en.json"))
    assert len(bundles) == 1
    html = html_of(built_site, "en/calculator/")
    bundle = bundles[0].parent.name
    assert f'data-runtime="../../assets/pyodide/' in html
    assert f'data-bundle="../../assets/calculator/{bundle}/"' in html
    assert 'data-worker="../../assets/calculator/worker.mjs"' in html
    # Page links inside English macro output go to English pages.
    assert 'href="../../severity/1/"' in html_of(built_site, "en/plans/basic/")
    assert "schweregrade/" not in html_of(built_site, "en/plans/basic/")


# ─── In Chromium ───────────────────────────────────────────────────────────


def serve_sitemaps_for(page: Page, base_url: str) -> None:
    """Both editions' sitemaps with the test server's origin."""
    helpers.serve_sitemap_for(page, base_url, ("sitemap.xml", "en/sitemap.xml"))


def switch_language(page: Page) -> None:
    page.locator(".md-header .md-select").hover()
    page.locator("a[data-cci-language-switch]").click()


def test_switch_on_every_page_lands_on_translation_with_fragment(
    page: Page, page_log: PageLog, site_server: str
) -> None:
    fragment = "#nutzung=25000&plan=advanced"
    for de, en in pairs():
        for here, there in ((de, en), (en, de)):
            page.goto(site_server + here + fragment)
            # The switch works once the page has loaded (its script is
            # deferred); a calculator page first answers, so that a
            # calculator writing a wrong fragment would be seen.
            if page.locator("[data-cci-calculator]").count():
                page.wait_for_function(RUNTIME_ANSWERED_JS, timeout=BOOT_TIMEOUT_MS)
            if here.endswith(("reaktionszeit/", "response-time/")):
                # The response-time page writes its own state into the fragment
                # once its runtime answered (the network may be idle before that:
                # its files all come while Python starts); switch after that.
                page.wait_for_function("location.hash.includes('schweregrad=')", timeout=30_000)
            kept = page.evaluate("location.hash")
            assert kept == fragment or here.endswith(("reaktionszeit/", "response-time/")), here
            switch_language(page)
            page.wait_for_url(site_server + there + kept)
            assert page.evaluate("document.documentElement.lang") == ("en" if there.startswith("en/") else "de")
    assert problems_besides_cut_off_loads(page_log, site_server) == []


def test_switch_after_instant_navigation_in_both_editions(
    page: Page, page_log: PageLog, site_server: str
) -> None:
    serve_sitemaps_for(page, site_server)
    for start, nav_target, translation in (("", "plaene/basic/", "en/plans/basic/"),
                                           ("en/", "en/plans/basic/", "plaene/basic/")):
        page.goto(site_server + start)
        page.wait_for_load_state("networkidle")
        page.evaluate("window.__sameDocument = true")
        page.locator(f'article a[href$="{nav_target.removeprefix("en/")}"]').first.click()
        page.wait_for_url(site_server + nav_target)
        # Instant navigation: the same document, the content replaced.
        assert page.evaluate("window.__sameDocument === true")
        switch_language(page)
        page.wait_for_url(site_server + translation)
        assert page.evaluate("window.__sameDocument") is None  # a full load of the other edition
    assert problems_besides_cut_off_loads(page_log, site_server) == []


def visit_and_return(page: Page, base_url: str, start: str, other: str) -> list[dict[str, str]]:
    """Load ``start``, go to ``other`` and back by the navigation's links;
    the head's hreflang links on each of the three pages, and whether the
    last two came by instant navigation (the same document)."""
    page.goto(base_url + start)
    page.wait_for_load_state("networkidle")
    page.evaluate("window.__sameDocument = true")
    seen = []
    for target in (other, start, None):
        seen.append(page.evaluate("""() => Object.fromEntries([...document.head.querySelectorAll(
            'link[rel=alternate][hreflang]')].map(l => [l.hreflang, l.getAttribute("href")]))"""))
        if target is None:
            break
        link = target.removeprefix("en/")
        page.locator(f'a.md-nav__link[href$="/{link}"]').first.click()
        page.wait_for_url(base_url + target)
        # The address changes first, the head when the page has come.
        page.wait_for_function("path => document.querySelector('link[rel=canonical]').href.endsWith(path)",
                               arg="/" + target)
        page.wait_for_load_state("networkidle")
    seen.append({"same document": str(page.evaluate("window.__sameDocument === true"))})
    return seen


BUILD_ORIGIN = "http://127.0.0.1:8000/"


def serve_pages_from(page: Page, base_url: str) -> None:
    """Serve the pages with ``base_url`` for the build's site_url in them
    (head links, canonical): as on a server at the public address."""
    def rewrite(route: Route) -> None:
        response = route.fetch()
        route.fulfill(response=response, body=response.text().replace(BUILD_ORIGIN, base_url))

    page.route(re.compile(re.escape(base_url) + r"(.*/)?$"), rewrite)


def material_sitemap_requests(log: PageLog) -> list[str]:
    return sorted({url for url in log.requests if url.endswith("sitemap.xml")})


@pytest.mark.parametrize("start, other, at_public_address", [
    ("vergleich/", "plaene/basic/", False), ("vergleich/", "plaene/basic/", True),
    ("en/compare/", "en/plans/basic/", True),
])
def test_head_alternates_cost_no_request_and_keep_instant_navigation(
    page: Page, page_log: PageLog, site_server: str, start: str, other: str, at_public_address: bool
) -> None:
    """Served elsewhere than site_url (the links name another host) and at
    the public address (the links name this host)."""
    de, en = ("vergleich/", "plaene/basic/"), ("en/compare/", "en/plans/basic/")
    serve_sitemaps_for(page, site_server)
    if at_public_address:
        serve_pages_from(page, site_server)
    seen = visit_and_return(page, site_server, start, other)
    build = site_server if at_public_address else BUILD_ORIGIN
    heads = [{"de": build + d, "en": build + e, "x-default": build + d} for d, e in zip(de, en)]
    # Instant navigation swaps the head: the links follow the page.
    assert seen == [heads[0], heads[1], heads[0], {"same document": "True"}]
    edition = "en/" if start.startswith("en/") else ""
    assert material_sitemap_requests(page_log) == [site_server + edition + "sitemap.xml"]
    assert log_problems(page_log, site_server) == []


def test_without_unsent_sitemaps_material_fetches_per_page_and_diverts(
    page: Page, page_log: PageLog, site_server: str
) -> None:
    """Negative control: site_root.js without its guard for the page
    alternates' sitemaps (served as changed here)."""
    def unguarded(route: Route) -> None:
        body = route.fetch().text()
        assert "unsent.add(this)" in body
        route.fulfill(body=body.replace("unsent.add(this)", "void 0"), content_type="text/javascript")

    page.route(site_server + "assets/site_root.js", unguarded)
    serve_sitemaps_for(page, site_server)
    seen = visit_and_return(page, site_server, "vergleich/", "plaene/basic/")
    # Served elsewhere: Material asks site_url's host for a sitemap beside
    # each linked page.
    assert BUILD_ORIGIN + "en/compare/sitemap.xml" in page_log.foreign_requests(site_server)
    assert seen[-1] == {"same document": "True"}
    # At the public address: 404s, then the return to the first page is a
    # full load of its address without the slash instead of an instant
    # navigation.
    serve_pages_from(page, site_server)
    seen = visit_and_return(page, site_server, "vergleich/", "plaene/basic/")
    assert seen[-1] == {"same document": "False"}
    assert site_server + "vergleich/sitemap.xml" in page_log.requests
    assert f"404 {site_server}en/compare/sitemap.xml" in page_log.error_responses
    assert site_server + "vergleich" in page_log.requests


def test_quote_link_in_both_editions_from_the_roots_runtime(
    page: Page, page_log: PageLog, site_server: str
) -> None:
    link = "#nutzung=25000&plan=advanced"
    shown = {}
    for path in ("rechner/", "en/calculator/"):
        page.goto(site_server + path + link)
        page.wait_for_function(RUNTIME_ANSWERED_JS, timeout=BOOT_TIMEOUT_MS)
        card = page.locator('.cci-result[data-plan="advanced"] [data-slot="monthly"]')
        # The quote's usage (25.000 | 25,000) shows once the link is read.
        expect(page.locator('.cci-calc-summary [data-slot="usage"]')).to_contain_text("25", timeout=BOOT_TIMEOUT_MS)
        shown[path] = " ".join(card.text_content().split())
    assert shown == {"rechner/": "3.800,00 €", "en/calculator/": "€3,800.00"}
    runtime = [url for url in page_log.requests if "/pyodide" in url or "catalog" in url]
    assert any(url.startswith(site_server + "assets/pyodide/") for url in runtime)
    assert not [url for url in page_log.requests if url.startswith(site_server + "en/assets/pyodide")]
    assert not [url for url in page_log.requests if url.startswith(site_server + "en/assets/calculator")]
    assert any(url.endswith("/catalog.en.json") for url in runtime)
    assert log_problems(page_log, site_server) == []


def search(page: Page, base_url: str, path: str, query: str) -> list[tuple[str, str]]:
    """(href, text) of the search results for ``query`` on ``path``."""
    page.goto(base_url + path)
    page.locator("input.md-search__input").click()
    # Typed before the index is ready, a query stays unanswered.
    expect(page.locator(".md-search-result__meta")).not_to_have_text(
        re.compile("initiali", re.I), timeout=BOOT_TIMEOUT_MS)
    # Filled whole, then one key event (Material answers key events, not a
    # filled value): no list for a shorter prefix, re-rendered while it is
    # read, can be read instead (as in search_pages).
    page.locator("input.md-search__input").fill(query)
    page.locator("input.md-search__input").press("End")
    expect(page.locator(".md-search-result__item a").first).to_be_visible(timeout=BOOT_TIMEOUT_MS)
    return page.eval_on_selector_all(
        ".md-search-result__item a", "links => links.map(a => [a.getAttribute('href'), a.innerHTML])")


def test_search_per_edition(page: Page, page_log: PageLog, site_server: str) -> None:
    english = search(page, site_server, "en/", "response")
    assert english and all(href.startswith(site_server + "en/") for href, _ in english)
    assert any("<mark>response" in text.lower() for _, text in english)
    german = search(page, site_server, "", "Reaktionszeiten")
    assert german and not any(href.startswith(site_server + "en/") for href, _ in german)
    assert any("<mark>reaktionszeit" in text.lower() for _, text in german)
    # Negative control: the German index does not know the English word.
    page.locator("input.md-search__input").fill("")
    page.locator("input.md-search__input").press_sequentially("response")
    expect(page.locator(".md-search-result__meta")).to_contain_text("Keine", timeout=BOOT_TIMEOUT_MS)
    assert log_problems(page_log, site_server) == []


def search_pages(page: Page, base_url: str, path: str, query: str) -> set[str]:
    """The site-relative pages (without query or fragment) that the search for
    ``query`` on ``path`` lists. The whole query is filled, then one key
    event makes Material search it: no answer to a shorter prefix
    ("response" for "responses") can be read instead."""
    page.goto(base_url + path)
    page.locator("input.md-search__input").click()
    expect(page.locator(".md-search-result__meta")).not_to_have_text(
        re.compile("initiali", re.I), timeout=BOOT_TIMEOUT_MS)
    page.locator("input.md-search__input").fill(query)
    page.locator("input.md-search__input").press("End")
    expect(page.locator(".md-search-result__item a").first).to_be_visible(timeout=BOOT_TIMEOUT_MS)
    hrefs = page.eval_on_selector_all(".md-search-result__item a", "links => links.map(a => a.href)")
    return {re.split(r"[?#]", href.removeprefix(base_url))[0] for href in hrefs}


def test_search_stems_in_each_edition(page: Page, page_log: PageLog, site_server: str) -> None:
    # "responses" is nowhere in the English texts: only the stem finds
    # "response" (response-time/, the page named after it).
    english = search_pages(page, site_server, "en/", "responses")
    assert {"en/response-time/", "en/compare/"} <= english
    assert all(p.startswith("en/") for p in english)
    # "Reaktionszeiten" is not on reaktionszeit/ or vergleich/, "Reaktionszeit" is.
    german = search_pages(page, site_server, "", "Reaktionszeiten")
    assert {"reaktionszeit/", "vergleich/"} <= german
    assert not any(p.startswith("en/") for p in german)
    assert log_problems(page_log, site_server) == []


@pytest.mark.parametrize("path, query, none", [("en/", "Reaktionszeiten", "No matching"),
                                               ("", "responses", "Keine")])
def test_search_finds_no_page_of_the_other_language(
    page: Page, site_server: str, path: str, query: str, none: str
) -> None:
    """Negative control: each edition's index holds only its own pages."""
    page.goto(site_server + path)
    page.locator("input.md-search__input").click()
    expect(page.locator(".md-search-result__meta")).not_to_have_text(
        re.compile("initiali", re.I), timeout=BOOT_TIMEOUT_MS)
    page.locator("input.md-search__input").press_sequentially(query)
    expect(page.locator(".md-search-result__meta")).to_contain_text(none, timeout=BOOT_TIMEOUT_MS)
    assert page.locator(".md-search-result__item").count() == 0


# ─── Navigation labels ─────────────────────────────────────────────────────


def nav_entries(config: str) -> list[tuple[str | None, str]]:
    """(title or None, page file) of each page entry of ``config``'s nav, sections flattened."""
    with open(REPO_ROOT / config, encoding="utf-8") as file:
        nav = yaml_load(file)["nav"]
    entries: list[tuple[str | None, str]] = []

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, str):
                entries.append((None, item))
            else:
                ((title, value),) = item.items()
                walk(value) if isinstance(value, list) else entries.append((title, value))

    walk(nav)
    return entries


@pytest.mark.parametrize(("config", "prefix"), [("mkdocs.yml", ""), ("mkdocs.en.yml", "en/")])
def test_nav_labels_come_from_the_pages_h1(built_site: Path, config: str, prefix: str) -> None:
    """An entry without a title shows its page's H1; titles remain only for
    the start and comparison pages (shorter than their H1)."""
    entries = nav_entries(config)
    assert [file for title, file in entries if title] == ["index.md", "vergleich.md" if not prefix else "compare.md"]
    home = BeautifulSoup(html_of(built_site, prefix), "html.parser")
    labels = {
        link["href"]: " ".join(link.get_text().split())
        for link in home.select("nav.md-nav--primary a.md-nav__link[href]")
    }
    for title, file in entries:
        if title:
            continue
        h1 = BeautifulSoup(html_of(built_site, prefix + page_url(file)), "html.parser").select_one("article h1")
        heading = " ".join(h1.get_text().split()).removesuffix("¶").strip()
        assert labels[page_url(file) or "."] == heading, file
    # Not vacuous: the H1 of the response-time page names the entry.
    assert labels[page_url("reaktionszeit.md" if not prefix else "response-time.md")] == (
        "Reaktionszeit-Rechner" if not prefix else "Response-time calculator")

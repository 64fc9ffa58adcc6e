"""Site chrome and the static pages, on the real built site (issue 8).

The start page leads to the calculators (desktop and phone, in Chromium);
the 404 page and the footer are German and the footer names the operator
and links to Impressum and Datenschutz from the data; the Datenschutz page
says what the site does and the browser confirms it; the sales page is out
of the navigation but reachable; the price page says what is a promise and
what is our reading; and the project refers to nothing outside itself.
A build of a changed data file is the negative control for the texts that
come from the data.
"""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from bs4 import BeautifulSoup, Tag
from playwright.sync_api import Page, expect

from calculator import formats_for
from tests.catalog import EDITIONS, edition_page, real_catalog
from tests.helpers import (
    REPO_ROOT,
    PageLog,
    axe_violations,
    build_output,
    build_with_data_edits,
    discover_pages,
    format_violations,
    log_problems,
)
from tests.test_site_content import article, soup, text_of

NBSP = "\u00a0"
TOOLS = [
    ("Preisrechner: Preis für Ihre Nutzung", "rechner/"),
    ("Reaktionszeit-Rechner: wann antwortet der Support?", "reaktionszeit/"),
    ("Planberater: welcher Plan passt zu Ihnen?", "berater/"),
]
# The start page's buttons per edition (hrefs relative to the edition's start page).
EDITION_TOOLS = {
    "de": TOOLS,
    "en": [
        ("Price calculator: the price for your usage", "calculator/"),
        ("Response-time calculator: when will support respond?", "response-time/"),
        ("Plan advisor: which plan suits you?", "advisor/"),
    ],
}
OPERATOR = "Comarch AG – Betreiber dieser Website"
IMPRINT_URL = "https://www.comarch.de/impressum/"
# Material's English defaults and other English chrome a German site must not show.
ENGLISH = re.compile(
    r"\b(Made with|Material for MkDocs|Not found|Permanent link|Skip to content|Back to top|"
    r"Table of contents|Search|Previous|Next|Copy to clipboard|Type to start searching)\b"
)
PRICE_READING = (
    "Was zugesagt ist: Die Preiszeile direkt unter jedem Plannamen gibt die veröffentlichte "
    "Preisangabe von Comarch Cloud Infraspace wörtlich wieder; nur sie ist zugesagt. Alles Weitere "
    "auf dieser Seite und im Preisrechner ist unsere Lesart dieser Zeile: Bei Advanced deckt die "
    "Grundgebühr von {base} eine monatliche CCI-Nutzungsgebühr bis 5.000,00 € ab, und jeder "
    "Prozentsatz gilt nur für den Teil der Nutzungsgebühr, der in seiner Spanne liegt. Bei Premium "
    "nennen wir den Mindestbetrag von {minimum}; den Preis vereinbart der Vertrieb. Im Einzelfall "
    "gilt das Angebot des Vertriebs."
)


def html_files(site: Path) -> list[Path]:
    """Every HTML page of a built site, each edition's 404 page included."""
    pages = [site / page / "index.html" for page in discover_pages(site)]
    return pages + [site / "404.html", site / "en" / "404.html"]


def parsed(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def resolves(site: Path, page: Path, href: str) -> bool:
    """True if ``href`` on ``page`` (absolute: from the site root) names a built file."""
    base = site if href.startswith("/") else page.parent
    target = (base / href.lstrip("/").split("#")[0]).resolve()
    return (target / "index.html").is_file() or target.is_file()


def footer_legal(page: BeautifulSoup) -> Tag:
    legal = page.select_one("footer.md-footer .cci-legal")
    assert legal is not None
    return legal


# ─── Start page ───────────────────────────────────────────────────────────


@pytest.mark.parametrize("lang", EDITIONS)
def test_issue8_start_page_has_a_button_for_each_calculator(built_site: Path, lang: str) -> None:
    buttons = article(built_site, ".", lang).select(".cci-tools a.md-button")
    assert [(text_of(a), a["href"]) for a in buttons] == EDITION_TOOLS[lang]
    assert all("md-button--primary" in a["class"] for a in buttons)
    for (_, href), (_, german) in zip(EDITION_TOOLS[lang], TOOLS, strict=True):
        assert edition_page(lang, "") + href == edition_page(lang, german)
        assert (built_site / edition_page(lang, german) / "index.html").is_file(), href


@pytest.mark.parametrize(
    ("device", "width", "height"),
    [("desktop", 1280, 800), ("phone", 375, 740)],
)
def test_issue8_start_page_buttons_work_on_desktop_and_phone(
    site_server: str, page: Page, page_log: PageLog, device: str, width: int, height: int
) -> None:
    page.set_viewport_size({"width": width, "height": height})
    page.goto(site_server)
    buttons = page.locator(".cci-tools a.md-button")
    expect(buttons).to_have_count(len(TOOLS))
    boxes = [buttons.nth(i).bounding_box() for i in range(len(TOOLS))]
    for box in boxes:
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (device, box)
        assert box["height"] >= 44, (device, box)  # a finger's tap target
    if device == "phone":  # one under the other, each as wide as the text column
        for above, below in zip(boxes, boxes[1:]):
            assert below["y"] >= above["y"] + above["height"], boxes
        assert boxes[0]["width"] >= width - 2 * 24, boxes
    else:  # side by side
        assert boxes[1]["y"] == boxes[0]["y"] and boxes[1]["x"] > boxes[0]["x"] + boxes[0]["width"], boxes
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    buttons.nth(1).click()
    page.wait_for_url(site_server + "reaktionszeit/")
    expect(page.locator("article h1")).to_have_text(re.compile(r"^Reaktionszeit"))
    page.go_back()
    page.locator(".cci-tools a.md-button").first.click()
    page.wait_for_url(site_server + "rechner/")
    expect(page.locator("article h1")).to_have_text(re.compile(r"^Preisrechner"))
    assert page_log.foreign_requests(site_server) == []


# ─── 404 page and footer: German, with operator, Impressum, Datenschutz ─────


# Each edition's 404 page: title, heading, text and buttons (text, href).
NOT_FOUND = {
    "de": ("Seite nicht gefunden – CCI Support", "Seite nicht gefunden",
           "Unter dieser Adresse gibt es keine Seite (Fehler 404).", [
               ("Zur Startseite", "/."),
               ("Zum Preisrechner", "/rechner/"),
               ("Zum Reaktionszeit-Rechner", "/reaktionszeit/"),
           ]),
    "en": ("Page not found – CCI Support", "Page not found",
           "There is no page at this address (error 404).", [
               ("To the start page", "/en/."),
               ("To the price calculator", "/en/calculator/"),
               ("To the response-time calculator", "/en/response-time/"),
           ]),
}


@pytest.mark.parametrize("lang", EDITIONS)
def test_issue8_404_page_is_german_and_leads_back(built_site: Path, lang: str) -> None:
    """Each edition's 404 page is in its language and leads back to its own pages."""
    title, heading, text, buttons = NOT_FOUND[lang]
    path = built_site / edition_page(lang, "") / "404.html"
    page = parsed(path)
    assert text_of(page.select_one("title")) == title
    content = page.select_one("article")
    assert text_of(content.select_one("h1")) == heading
    assert text in text_of(content)
    links = [(text_of(a), a["href"]) for a in content.select("a.md-button")]
    assert links == buttons
    assert all(resolves(built_site, path, href) for _, href in links)


def test_404_page_is_clean_and_accessible(site_server: str, page: Page, page_log: PageLog) -> None:
    """The smoke test's checks for the one page it does not visit."""
    response = page.goto(site_server + "404.html")
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")
    expect(page.locator("article h1")).to_have_text("Seite nicht gefunden")
    assert log_problems(page_log, site_server) == []
    assert format_violations(axe_violations(page)) == ""


# Each edition's footer: operator line, link texts (imprint, privacy page).
FOOTERS = {
    "de": (OPERATOR, "Impressum", "Datenschutz"),
    "en": ("Comarch AG – operator of this website", "Legal notice (Impressum)", "Privacy policy"),
}


def edition_files(site: Path, lang: str) -> list[Path]:
    """html_files of one edition: the English one lives under en/."""
    return [path for path in html_files(site) if (path.relative_to(site).parts[0] == "en") == (lang == "en")]


@pytest.mark.parametrize("lang", FOOTERS)
def test_issue8_footer_names_operator_and_links_impressum_and_datenschutz(built_site: Path, lang: str) -> None:
    operator, imprint, privacy = FOOTERS[lang]
    files = edition_files(built_site, lang)
    assert len(files) == 18  # 17 pages and the 404 page
    for path in files:
        legal = footer_legal(parsed(path))
        assert text_of(legal) == f"{operator} {imprint} {privacy}", path
        links = {text_of(a): a["href"] for a in legal.select("a")}
        assert links[imprint] == IMPRINT_URL, path
        assert resolves(built_site, path, links[privacy]), (path, links)
        assert parsed(path).select_one("footer").find(string=re.compile("Made with")) is None


# Material's German chrome, which the English edition must not show.
GERMAN = re.compile(
    r"\b(Zum Inhalt|Zurück zum Seitenanfang|Inhaltsverzeichnis|Link zu diesem Abschnitt|"
    r"Seite nicht gefunden|Suchbegriff eingeben|Erstellt mit|Betreiber dieser Website)\b"
)


@pytest.mark.parametrize(("lang", "foreign"), [("de", ENGLISH), ("en", GERMAN)])
def test_issue8_no_theme_text_of_the_other_language_on_any_page(built_site: Path, lang: str, foreign: re.Pattern[str]) -> None:
    found = {}
    for path in edition_files(built_site, lang):
        page = parsed(path)
        for tag in page(["script", "style"]):
            tag.decompose()
        labels = " ".join(
            value for tag in page.find_all(True) for name, value in tag.attrs.items()
            if name in {"title", "aria-label", "placeholder", "alt"} and isinstance(value, str)
        )
        words = set(foreign.findall(page.get_text(" ") + " " + labels))
        if words:
            found[path.relative_to(built_site).as_posix()] = sorted(words)
    assert found == {}


def test_issue8_english_check_can_fail() -> None:
    page = "<footer>Made with <a title='Permanent link'>Material for MkDocs</a></footer><h1>404 - Not found</h1>"
    assert ENGLISH.findall(page) == ["Made with", "Permanent link", "Material for MkDocs", "Not found"]
    assert GERMAN.findall("<a>Zum Inhalt</a><h1>Seite nicht gefunden</h1>") == ["Zum Inhalt", "Seite nicht gefunden"]


# ─── Datenschutz ──────────────────────────────────────────────────────────


# What each edition's privacy page must say, sentence by sentence (issue 8;
# issue 13: the advisor's answers, response-time links, the service
# worker's copy, nothing to third parties).
PRIVACY_STATEMENTS = {
    ("datenschutz", "Impressum"): (
        "Sie setzt keine Cookies.",
        "Sie lädt nichts von Dritten: keine Schriften, Skripte oder Bilder von fremden Servern, "
        "keine Analyse-, Statistik- oder Werbedienste, kein Tracking.",
        "Sie gibt nichts an Dritte weiter: weder Ihre Eingaben noch Angebote, Antworten des "
        "Planberaters oder Angaben über Ihren Besuch.",
        "Die Rechner rechnen in Ihrem Browser. Preisrechner, Reaktionszeit-Rechner und Planberater "
        "laufen vollständig auf Ihrem Gerät",
        "Was Sie eingeben, etwa Ihre Nutzungsgebühr, den Zeitpunkt eines Tickets oder Ihre Antworten "
        "im Planberater, verlässt Ihr Gerät nicht.",
        "Ihre Suchbegriffe verlassen Ihr Gerät nicht.",
        "Angebotsdaten bleiben im Link.",
        "Diesen Teil einer Adresse schicken Browser nie an einen Server; die Website speichert kein Angebot.",
        "Reaktionszeit-Links und Antworten des Planberaters ebenso.",
        "Auch dieser Teil geht an keinen Server; wie jede Adresse steht er aber im Verlauf Ihres "
        "Browsers, bis Sie ihn löschen.",
        "legt ein Service Worker die Dateien dieser Website im Cache-Speicher Ihres Browsers ab (Cache Storage)",
        "Darin stehen nur Dateien der Website, keine Eingaben;",
        "Außer dieser Angabe und der Kopie der Website speichert die Website nichts auf Ihrem Gerät.",
    ),
    ("en/privacy", "Legal notice (Impressum)"): (
        "It sets no cookies.",
        "It loads nothing from third parties: no fonts, scripts or images from other servers, "
        "no analytics, statistics or advertising services, no tracking.",
        "It passes nothing to third parties: neither what you enter nor quotes, your answers in "
        "the plan advisor or information about your visit.",
        "The calculators calculate in your browser. The price calculator, the response-time "
        "calculator and the plan advisor run entirely on your device",
        "What you enter, such as your usage fee, the time a ticket was received or your answers "
        "in the plan advisor, does not leave your device.",
        "your search terms do not leave your device.",
        "Quote data stays in the link.",
        "Browsers never send this part of an address to a server; the website stores no quote.",
        "So do response-time links and the plan advisor's answers.",
        "This part is not sent to any server either; like any address, though, it stays in your "
        "browser's history until you delete it.",
        "a service worker keeps this website's files in your browser's cache storage (Cache Storage)",
        "It holds only the website's files, nothing you enter;",
        "Apart from this setting and the copy of the website, the website stores nothing on your device.",
    ),
}


@pytest.mark.parametrize(("path", "imprint_label"), PRIVACY_STATEMENTS)
def test_issue8_datenschutz_page_says_what_the_site_does_and_does_not(
    built_site: Path, path: str, imprint_label: str
) -> None:
    page = article(built_site, path)
    text = text_of(page)
    missing = [s for s in PRIVACY_STATEMENTS[(path, imprint_label)] if s not in text]
    assert missing == []
    imprint = page.select_one("p a")
    assert (text_of(imprint), imprint["href"]) == (imprint_label, IMPRINT_URL)


def test_datenschutz_claims_hold_in_the_browser(
    site_server: str, built_site: Path, page: Page, page_log: PageLog
) -> None:
    page.goto(site_server + "rechner/")
    # Typing only once the calculator has answered: input before that throws
    # in price_page.mjs (worker still null), which is not this test's concern.
    expect(page.locator('[data-cci-calculator][data-status="running"]')).to_be_attached(timeout=180_000)
    page.locator("#cci-usage").fill("25.000")
    page.locator("details.cci-quote-fields summary").click()  # the sales fields
    page.locator("#cci-customer").fill("Muster GmbH")
    monthly = page.locator('.cci-result[data-plan="advanced"] [data-slot="monthly"]')
    expect(monthly).to_have_text(f"3.800,00{NBSP}€", timeout=60_000)
    page.wait_for_function("location.hash.includes('kunde=Muster')", timeout=30_000)
    # The advisor's answers and a response-time link stay in the fragment, too.
    page.goto(site_server + "berater/#sg1=30&kanaele=ticket,chat&kontakte=8")
    expect(page.locator('[data-cci-calculator][data-status="running"]')).to_be_attached(timeout=60_000)
    page.goto(site_server + "reaktionszeit/#plan=basic&schweregrad=3&eingang=2026-11-27T17:30")
    expect(page.locator('[data-cci-calculator][data-status="running"]')).to_be_attached(timeout=60_000)
    page.wait_for_load_state("networkidle")
    stored = page.evaluate(
        """async () => ({
            local: Object.keys(localStorage),
            session: Object.keys(sessionStorage),
            databases: (await indexedDB.databases()).map(d => d.name),
            caches: await caches.keys(),
            cookie: document.cookie,
        })"""
    )
    assert page.context.cookies() == []
    assert stored == {"local": ["/.__palette"], "session": [], "databases": [], "caches": [], "cookie": ""}
    # Nothing from third parties (a favicon cut off by the navigation is no concern here).
    assert page_log.blocked == [] and page_log.foreign_requests(site_server) == []
    assert len(page_log.requests) > 20, "nothing was recorded"
    # The quote's customer, the advisor's answers and the ticket's time stay
    # in the fragment: no request carries them.
    carried = ("Muster", "kunde=", "kanaele=", "kontakte=", "sg1=", "eingang=", "schweregrad=")
    assert [url for url in page_log.requests if any(part in url for part in carried)] == []
    assert any("/berater/" in url for url in page_log.requests)  # the pages were requested
    # The calculator comes as bytecode in the standard library's archive: no
    # calculator wheel travels, only tzdata's, for the response-time page.
    bundle_files = [url.rsplit("/", 1)[-1] for url in page_log.requests if "/assets/calculator/" in url]
    assert "python_stdlib.zip" in bundle_files, bundle_files  # the worker's requests are seen
    tzdata = [path.name for path in built_site.glob("assets/calculator/*/tzdata-*.whl")]
    assert [name for name in bundle_files if name.endswith(".whl")] == tzdata == [
        name for name in bundle_files if name.startswith("tzdata-")]
    assert [url for url in page_log.requests if "cci_calculator" in url] == []


# ─── Navigation: the sales page by link only ──────────────────────────────


def test_issue8_sales_page_is_out_of_the_navigation_but_reachable(built_site: Path) -> None:
    for path in html_files(built_site):
        nav = parsed(path).select("nav.md-nav--primary a[href]")
        assert len(nav) >= 10, path
        assert not [a["href"] for a in nav if "angebotslinks" in a["href"]], path
    assert text_of(article(built_site, "angebotslinks").select_one("h1")).startswith("Angebotslinks für den Vertrieb")
    sales_links = [a["href"] for a in article(built_site, "rechner").select("a[href]") if "angebotslinks" in a["href"]]
    assert sales_links == ["../angebotslinks/"]


# ─── Preise: promise and reading ──────────────────────────────────────────


PRICE_READINGS = {
    "de": PRICE_READING,
    "en": (
        "What is promised: The price row directly below each plan name repeats the published price of "
        "Comarch Cloud Infraspace word for word; only that row is promised. Everything else on this page "
        "and in the price calculator is our reading of that row: For Advanced, the base fee of {base} "
        "covers a monthly CCI usage fee of up to €5,000.00, and each percentage applies only to the part "
        "of the usage fee that lies within its band. For Premium, we state the minimum amount of "
        "{minimum}; the price is agreed with sales. In individual cases, the quote from sales applies."
    ),
}


@pytest.mark.parametrize("lang", EDITIONS)
def test_issue8_price_page_separates_the_published_row_from_our_reading(built_site: Path, lang: str) -> None:
    page = article(built_site, "preise", lang)
    reading = page.select_one("p.cci-price-reading")
    eur = formats_for(lang).format_eur
    assert text_of(reading) == " ".join(
        PRICE_READINGS[lang].format(base=eur(Decimal(1500)), minimum=eur(Decimal(10000))).split())
    # It comes first, before the plans' price rows it talks about.
    assert reading.find_next("p", class_="cci-price-lines") is not None
    assert reading.find_previous("p", class_="cci-price-lines") is None


# ─── Negative control: the texts follow the data ──────────────────────────


@pytest.fixture(scope="module")
def changed_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, CompletedProcess[str]]:
    """The site built from a data file with another operator, Impressum,
    Datenschutz label, base fee and Premium minimum."""
    return build_with_data_edits(tmp_path_factory.mktemp("changed"), {
        f"operator: {OPERATOR}": "operator: Muster AG – Betreiberin",
        f"url: {IMPRINT_URL}": "url: https://example.org/impressum/",
        "label: Datenschutz": "label: Datenschutzhinweise",
        "base: 1500": "base: 1600",
        "minimum: 10000": "minimum: 12000",
        # New amounts need a new price list version (data/price_lists.lock).
        'version: "2026-01"': 'version: "2026-07"',
    })


def test_issue8_footer_and_price_reading_follow_the_data(changed_build: tuple[Path, CompletedProcess[str]]) -> None:
    site, proc = changed_build
    assert proc.returncode == 0, build_output(proc)
    for page in ("", "plaene/premium/", "datenschutz/"):
        legal = footer_legal(parsed(site / page / "index.html"))
        assert text_of(legal) == "Muster AG – Betreiberin Impressum Datenschutzhinweise"
        assert legal.select_one("a")["href"] == "https://example.org/impressum/"
    reading = text_of(article(site, "preise").select_one("p.cci-price-reading"))
    assert reading == PRICE_READING.format(base="1.600,00 €", minimum="12.000,00 €")
    assert "https://example.org/impressum/" in str(article(site, "datenschutz"))
    # Pages outside the navigation are declared, so the build does not list them.
    assert "not included in the \"nav\"" not in proc.stderr


# ─── The project stands alone ─────────────────────────────────────────────

# Built from parts, so that this file does not name them itself.
OUTSIDE = re.compile(re.escape("../" + "shared") + "|" + re.escape("shared" + "/DESIGN") + "|" + re.escape("shared" + "/seed"))
SKIPPED_DIRS = {".git", ".venv", "node_modules", ".cache", "site", "site.tmp", "__pycache__", ".hypothesis", ".pytest_cache"}


def project_files(root: Path) -> list[Path]:
    """The project's own text files (not installed packages, caches or builds)."""
    files = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS and not (Path(folder) / d).is_symlink()]
        files += [Path(folder) / name for name in names if not name.endswith((".pyc", ".whl", ".png"))]
    return files


def test_issue8_no_project_file_refers_to_shared_design() -> None:
    files = project_files(REPO_ROOT)
    assert REPO_ROOT / "README.md" in files and REPO_ROOT / "CONTRIBUTING.md" in files
    offending = [
        f"{path.relative_to(REPO_ROOT)}: {match.group(0)}"
        for path in files
        for match in OUTSIDE.finditer(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert offending == []
    assert "[CONTRIBUTING.md](CONTRIBUTING.md)" in (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def test_issue8_outside_reference_check_can_fail() -> None:
    text = "siehe `../" + "shared" + "/DESIGN.md`, shared" + "/DESIGN.md und shared" + "/seed/"
    assert OUTSIDE.findall(text) == ["../" + "shared", "shared" + "/DESIGN", "shared" + "/seed"]


def test_contributing_carries_the_rules() -> None:
    text = (REPO_ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for rule in (
        "Preis = max(Mindestbetrag, Grundgebühr + Summe der\nSpannenanteile)",
        "(`ROUND_HALF_UP`, ausdrücklich",
        "12 Arbeitsstunden ab Freitag 17:30 enden am Dienstag\n  11:30",
        "Beträge `1.500,00 €`",
        "`10.000 Euro`, `€ 1.250`, `10.000,-`.",
    ):
        assert rule in text, rule
    catalog = real_catalog()
    assert catalog.plan("advanced").price.base == 1500  # the figures above are today's data

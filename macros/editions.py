"""MkDocs hook (``hooks:`` in mkdocs.yml): the English edition in the same build.

German is the site root (mkdocs.yml, docs/); English is a second, plain
MkDocs configuration (mkdocs.en.yml, docs/en/) that this hook builds into
``<site_dir>/en`` at the end of the German build, with ``site_url`` +
``en/``, so that one ``mkdocs build`` or ``mkdocs serve`` makes both
editions, each with its own search index, sitemap and nav; each index
gets its language's inflected forms (``add_forms``).
Runs before deploy.py and offline.py (their ``on_post_build`` is last),
which then cover both editions.

The page table ``extra.translations`` of mkdocs.yml maps each German page
file to its English one; the build refuses a page on either side without
its translation. Both sitemaps list every page with its ``hreflang``
alternates (de, en, x-default = German), and the root sitemap lists both
editions.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path
from typing import Iterable, Mapping

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError

ENGLISH_CONFIG = "mkdocs.en.yml"
ENGLISH_DIR = "en"
SITEMAP = "sitemap.xml"
SEARCH_INDEX = "search/search_index.json"
# German files each edition needs at its own root: site_root.js finds the
# edition's root (Material's storage scope, its sitemap) from its own address.
EDITION_COPIES = ("assets/site_root.js",)
_command = "build"


def on_startup(command: str, dirty: bool) -> None:
    global _command
    _command = command


def page_url(file: str) -> str:
    """Site-relative URL of a page file: ``plaene/basic.md`` → ``plaene/basic/``,
    ``index.md`` → ``""``, ``schweregrade/index.md`` → ``schweregrade/``."""
    stem = file.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def translation_problems(table: Mapping[str, str], german_docs: Path, english_docs: Path) -> list[str]:
    """Pages without a translation: page files of either edition that the
    table lacks, and table entries without their file."""
    german = {p.relative_to(german_docs).as_posix() for p in german_docs.rglob("*.md")
              if not p.relative_to(german_docs).as_posix().startswith(ENGLISH_DIR + "/")}
    english = {p.relative_to(english_docs).as_posix() for p in english_docs.rglob("*.md")}
    problems = [f"docs/{page}: keine englische Seite in extra.translations (mkdocs.yml)"
                for page in sorted(german - set(table))]
    problems += [f"docs/{ENGLISH_DIR}/{page}: keine deutsche Seite in extra.translations (mkdocs.yml)"
                 for page in sorted(english - set(table.values()))]
    problems += [f"extra.translations: {de}: Datei docs/{de} fehlt" for de in table if de not in german]
    problems += [f"extra.translations: {de}: Datei docs/{ENGLISH_DIR}/{en} fehlt"
                 for de, en in table.items() if en not in english]
    return problems


def on_config(config):
    """Refuse a page without its translation before anything is built."""
    docs = Path(config.docs_dir)
    problems = translation_problems(config.extra.get("translations") or {}, docs, docs / ENGLISH_DIR)
    if problems:
        raise PluginError("Übersetzungstabelle:\n" + "\n".join(problems))
    return config


def on_post_build(config) -> None:
    """Build mkdocs.en.yml into <site_dir>/en, then add both editions and
    their alternates to the sitemaps."""
    project = Path(config.config_file_path).parent
    site = Path(config.site_dir)
    site_url = config.site_url or "/"
    english = load_config(
        str(project / ENGLISH_CONFIG),
        site_dir=str(site / ENGLISH_DIR),
        site_url=site_url + ENGLISH_DIR + "/",
        strict=config.strict,
    )
    english.plugins.on_startup(command=_command, dirty=False)
    try:
        build(english)
    finally:
        english.plugins.on_shutdown()
    for name in EDITION_COPIES:
        shutil.copyfile(site / name, site / ENGLISH_DIR / name)
    table = config.extra["translations"]
    write_sitemaps(site, site_url, table)
    for edition in (site, site / ENGLISH_DIR):
        add_forms(edition / SEARCH_INDEX)


def alternates(site_url: str, table: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """Every page's absolute URL → its alternates {hreflang: absolute URL}."""
    result: dict[str, dict[str, str]] = {}
    for de, en in table.items():
        links = {"de": site_url + page_url(de), "en": f"{site_url}{ENGLISH_DIR}/{page_url(en)}"}
        links["x-default"] = links["de"]
        result[links["de"]] = result[links["en"]] = links
    return result


_URL = re.compile(r"<url>\s*<loc>([^<]*)</loc>.*?</url>", re.S)
_XHTML = 'xmlns:xhtml="http://www.w3.org/1999/xhtml"'


def _with_alternates(sitemap: str, links: Mapping[str, Mapping[str, str]]) -> tuple[str, list[str]]:
    """The sitemap with each page's alternates, and its <url> entries."""
    entries = []
    for match in _URL.finditer(sitemap):
        extra = "".join(f'\n         <xhtml:link rel="alternate" hreflang="{lang}" href="{href}"/>'
                        for lang, href in links.get(match.group(1), {}).items())
        entries.append(match.group(0).replace("</loc>", "</loc>" + extra, 1))
    head = sitemap[:sitemap.index("<url>")] if entries else sitemap.split("</urlset>")[0]
    return head.replace("<urlset ", f"<urlset {_XHTML} ", 1), entries


def write_sitemaps(site: Path, site_url: str, table: Mapping[str, str]) -> None:
    """Root sitemap: both editions; en/sitemap.xml: the English pages (what
    Material's instant navigation reads per edition); each URL with its
    hreflang alternates. The .gz copies that MkDocs wrote are rewritten."""
    links = alternates(site_url, table)
    german_head, german = _with_alternates((site / SITEMAP).read_text(encoding="utf-8"), links)
    english_path = site / ENGLISH_DIR / SITEMAP
    english_head, english = _with_alternates(english_path.read_text(encoding="utf-8"), links)
    _write(site / SITEMAP, german_head + "\n    ".join(german + english) + "\n</urlset>\n")
    _write(english_path, english_head + "\n    ".join(english) + "\n</urlset>\n")


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    gz = path.with_name(path.name + ".gz")
    if gz.exists():  # mtime 0: the same bytes on every build
        gz.write_bytes(gzip.compress(text.encode(), mtime=0))


# ─── Inflected forms in the search indexes ──────────────────────────────────
# Inflected forms in each edition's search index, so that a search finds a
# word's other forms ("responses" → "response", "Reaktionszeiten" →
# "Reaktionszeit").
#
# Why not lunr's stemmer: Material's search worker appends ``*`` to every
# query term (prefix search), and lunr runs no pipeline (so no stemmer) on a
# term with a wildcard. With the stemmer in the index the query stays
# unstemmed and no longer matches the stemmed tokens ("reaktionszeiten*" ≠
# "reaktionszeit"); without it (Material's default) "responses*" is no
# prefix of "response". What a prefix query can find is a longer form in the
# index: add_forms gives each document a field ``forms`` with its words'
# inflected forms (word + ending of its language), which Material's worker
# indexes like any field of the index's ``config.fields`` and does not show.
FORMS_FIELD = "forms"
# Below the text's boost (1.0): a literal hit ranks above an inflected one.
FORMS_BOOST = 0.5
# Endings that inflect a noun, adjective or verb of the language.
ENDINGS = {
    "de": ("e", "en", "n", "s", "es", "er", "ern", "em"),
    "en": ("s", "es", "ed", "d", "ing", "er"),
}
MIN_WORD = 4  # characters: shorter words get no forms (few and ambiguous)
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[^\W\d_]+")


def words(text: str) -> set[str]:
    """The lower-case words of an HTML text, without markup."""
    return {w.lower() for w in _WORD.findall(_TAG.sub(" ", text))}


def forms(found: Iterable[str], endings: Iterable[str]) -> list[str]:
    """Each word of ``found`` (at least MIN_WORD characters) with each
    ending, except forms already among the words; sorted."""
    found = set(found)
    return sorted({w + e for w in found if len(w) >= MIN_WORD for e in endings} - found)


def add_forms(index_path: Path) -> None:
    """Rewrite a search_index.json with the field ``forms`` in every document."""
    index = json.loads(index_path.read_text(encoding="utf-8"))
    (lang,) = index["config"]["lang"]
    index["config"]["fields"][FORMS_FIELD] = {"boost": FORMS_BOOST}
    for doc in index["docs"]:
        doc[FORMS_FIELD] = " ".join(forms(words(doc.get("title", "") + " " + doc.get("text", "")), ENDINGS[lang]))
    index_path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")

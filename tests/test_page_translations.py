"""Issue 13: every German page in ``docs/`` has its English translation in
``docs/en/`` with the same structure, compared at the Markdown level.

Same per page: front matter keys (and its non-text settings), heading
levels in order and explicit heading ids (so a fragment survives the
language switch), table rows, list items, ``{{ ... }}`` and ``{% ... %}``
calls in order, HTML comments, and links, where a link to a German page
must become a link to its English page. English prose writes amounts and
dates the English way. The build-level count of the rendered pages is
another test's job; this one needs no build.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.helpers import REPO_ROOT

DOCS = REPO_ROOT / "docs"
EN_DOCS = DOCS / "en"

# German page -> its English page, both relative to their docs folder.
PAGE_TRANSLATIONS: dict[str, str] = {
    "index.md": "index.md",
    "vergleich.md": "compare.md",
    "plaene/basic.md": "plans/basic.md",
    "plaene/advanced.md": "plans/advanced.md",
    "plaene/premium.md": "plans/premium.md",
    "schweregrade/index.md": "severity/index.md",
    "schweregrade/1.md": "severity/1.md",
    "schweregrade/2.md": "severity/2.md",
    "schweregrade/3.md": "severity/3.md",
    "schweregrade/4.md": "severity/4.md",
    "preise.md": "prices.md",
    "rechner.md": "calculator.md",
    "reaktionszeit.md": "response-time.md",
    "berater.md": "advisor.md",
    "kontakt.md": "contact.md",
    "angebotslinks.md": "quote-links.md",
    "datenschutz.md": "privacy.md",
}

# Front matter entries that are texts (translated); all others must match.
TRANSLATED_META = {"title", "description"}

_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.S | re.M)
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*$", re.M)
_HEADING_ID = re.compile(r"\{[^}]*#([\w-]+)[^}]*\}\s*$")
_TABLE_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$", re.M)
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d+\.)[ \t]+\S", re.M)
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
# A Markdown link's target may hold a {{ ... }} expression with brackets.
_MD_LINK = re.compile(r"(?<!!)\[(?:[^\[\]]|\[[^\]]*\])*\]\(((?:\{\{.*?\}\}|[^()\s])+)\)", re.S)
_HTML_LINK = re.compile(r"<a\s[^>]*href=\"([^\"]*)\"", re.S)
_CODE_SPAN = re.compile(r"`[^`\n]*`")
# German ways of writing amounts, percentages and dates, wrong in English prose.
_GERMAN_FORMATS = re.compile(
    r"\d{1,3}(?:\.\d{3})+(?:,\d{2})?(?!\d)"  # 1.500 or 1.500,00
    r"|\d+,\d{2}(?!\d)"                       # 10,50
    r"|\d+\s+%"                               # 19 %
    r"|\d+\s*€"                               # 1500 € (the euro sign goes first)
    r"|\b\d{1,2}\.\d{1,2}\.\d{4}\b"           # 31.12.2026
)


@dataclass(frozen=True)
class PageShape:
    """What a translation must keep of a page."""

    meta: dict[str, object]
    headings: tuple[int, ...]
    heading_ids: tuple[str, ...]
    table_rows: int
    list_items: int
    templates: tuple[str, ...]
    comments: int
    links: tuple[str, ...]


def page_shape(text: str, page: str, link_map: dict[str, str] | None = None) -> PageShape:
    """The structure of the Markdown page ``text`` at ``page`` (path relative
    to its docs folder). Links to other pages are resolved to docs-relative
    paths and translated through ``link_map`` when given."""
    meta, body = _split_front_matter(text)
    body = _FENCE.sub("", body)
    headings = _HEADING.findall(body)
    return PageShape(
        meta={k: ("<text>" if k in TRANSLATED_META else v) for k, v in meta.items()},
        headings=tuple(len(marks) for marks, _ in headings),
        heading_ids=tuple(m.group(1) for _, title in headings if (m := _HEADING_ID.search(title))),
        table_rows=len(_TABLE_ROW.findall(body)),
        list_items=len(_LIST_ITEM.findall(body)),
        templates=tuple(" ".join(t.split()) for t in _TEMPLATE.findall(body)),
        comments=len(_COMMENT.findall(body)),
        links=tuple(_link_target(t, page, link_map) for t in _links(_COMMENT.sub("", body))),
    )


def _split_front_matter(text: str) -> tuple[dict[str, object], str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    return yaml.safe_load(match.group(1)) or {}, text[match.end():]


def _links(body: str) -> list[str]:
    """Link targets in page order: Markdown links first found by position."""
    found = [(m.start(), m.group(1)) for m in _MD_LINK.finditer(body)]
    found += [(m.start(), m.group(1)) for m in _HTML_LINK.finditer(body)]
    return [target for _, target in sorted(found)]


def _link_target(target: str, page: str, link_map: dict[str, str] | None) -> str:
    """A page link as the docs-relative page it leads to (through
    ``link_map``), plus its fragment; any other target unchanged."""
    path, _, fragment = target.partition("#")
    if "{{" in target or "://" in target or not path.endswith(".md"):
        return target
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    if link_map is not None:
        resolved = link_map.get(resolved, f"untranslated:{resolved}")
    return resolved + (f"#{fragment}" if fragment else "")


def german_pages() -> list[str]:
    return sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")
                  if EN_DOCS not in p.parents)


def english_pages() -> list[str]:
    return sorted(p.relative_to(EN_DOCS).as_posix() for p in EN_DOCS.rglob("*.md"))


def shapes(german: str, english: str) -> tuple[PageShape, PageShape]:
    """The German page's shape with its links translated, and the English one's."""
    de = page_shape((DOCS / german).read_text(encoding="utf-8"), german, PAGE_TRANSLATIONS)
    en = page_shape((EN_DOCS / english).read_text(encoding="utf-8"), english)
    return de, en


def prose(text: str) -> str:
    """The words a reader sees, without templates, comments, code and link targets."""
    text = _FENCE.sub("", _split_front_matter(text)[1])
    for pattern in (_TEMPLATE, _COMMENT, _CODE_SPAN):
        text = pattern.sub(" ", text)
    return re.sub(r"\]\([^)]*\)", "]", text)


# ─── Which pages ──────────────────────────────────────────────────────────

def test_every_german_page_has_its_english_page_and_no_other() -> None:
    assert german_pages() == sorted(PAGE_TRANSLATIONS)
    assert english_pages() == sorted(PAGE_TRANSLATIONS.values())
    assert len(PAGE_TRANSLATIONS) == 17


# ─── Same structure, page by page ─────────────────────────────────────────

@pytest.mark.parametrize("german,english", sorted(PAGE_TRANSLATIONS.items()))
def test_english_page_has_the_german_structure(german: str, english: str) -> None:
    de, en = shapes(german, english)
    assert en == de


@pytest.mark.parametrize("german,english", sorted(PAGE_TRANSLATIONS.items()))
def test_english_page_is_translated(german: str, english: str) -> None:
    de_words = prose((DOCS / german).read_text(encoding="utf-8")).split()
    en_words = prose((EN_DOCS / english).read_text(encoding="utf-8")).split()
    if len(de_words) > 3:  # pages beyond a heading of macros
        assert en_words != de_words
    assert not {"der", "die", "das", "und", "Sie", "Ihre", "für"} & set(en_words)


@pytest.mark.parametrize("english", sorted(PAGE_TRANSLATIONS.values()))
def test_english_prose_writes_amounts_and_dates_the_english_way(english: str) -> None:
    text = prose((EN_DOCS / english).read_text(encoding="utf-8"))
    assert _GERMAN_FORMATS.findall(text) == []


def test_figures_of_the_structure() -> None:
    """Concrete counts for two pages, so that the extraction itself can fail."""
    de, en = shapes("angebotslinks.md", "quote-links.md")
    assert en.headings == (1, 2, 2, 2)
    assert en.links == ("calculator.md", "calculator.md")
    assert en.list_items == 11
    assert en.comments == 1
    assert en.templates == ("{{ catalog.price_list.quote_validity_days }}", "{{ link_format() }}")
    _, response = shapes("reaktionszeit.md", "response-time.md")
    assert response.heading_ids == ("feiertage", "zusagen")
    assert response.templates == (
        "{{ response_calculator() }}", "{{ business_holidays() }}", "{{ targets_overview() }}")
    index, _ = shapes("index.md", "index.md")
    assert index.meta == {"hide": ["navigation"]}
    assert index.links == ("calculator.md", "response-time.md", "advisor.md", "compare.md",
                           "severity/index.md", "prices.md", "contact.md")


# ─── Negative controls: the comparison sees a broken translation ──────────

def _broken(english: str, old: str, new: str) -> PageShape:
    text = (EN_DOCS / english).read_text(encoding="utf-8")
    assert old in text
    return page_shape(text.replace(old, new, 1), english)


def test_a_missing_heading_fails_the_comparison() -> None:
    de, _ = shapes("rechner.md", "calculator.md")
    assert _broken("calculator.md", "## Worked examples\n", "Worked examples\n") != de


def test_a_changed_heading_level_or_id_fails_the_comparison() -> None:
    de, _ = shapes("reaktionszeit.md", "response-time.md")
    assert _broken("response-time.md", "## Public holidays", "### Public holidays") != de
    assert _broken("response-time.md", "{ #zusagen }", "{ #commitments }") != de


def test_a_link_to_the_german_page_fails_the_comparison() -> None:
    de, _ = shapes("vergleich.md", "compare.md")
    assert _broken("compare.md", "(advisor.md)", "(../berater.md)") != de


def test_macros_swapped_or_missing_fail_the_comparison() -> None:
    de, _ = shapes("preise.md", "prices.md")
    swapped = _broken("prices.md", "{{ price_reading() }}", "{{ price_rules() }}")
    assert swapped != de
    assert _broken("prices.md", "{{ price_examples() }}", "") != de


def test_a_missing_comment_or_list_item_fails_the_comparison() -> None:
    de, _ = shapes("datenschutz.md", "privacy.md")
    assert _broken("privacy.md", "<!-- Renders:", "<p>Renders:") != de
    assert _broken("privacy.md", "- It sets **no cookies**.\n", "") != de


def test_german_formats_are_found_in_english_prose() -> None:
    found = _GERMAN_FORMATS.findall("From 1.500,00 € or 19 % until 31.12.2026; 10,50 left")
    assert found == ["1.500,00", "19 %", "31.12.2026", "10,50"]
    assert _GERMAN_FORMATS.findall("From €1,500.00 or 19% until 31 Dec 2026") == []

"""Issue 13: the English pages are translations of the German ones, not
different pages. Counted in the built HTML of both editions, page by page,
inside the article (Material's navigation and header differ by language
only in words): headings per level, tables, table rows, links, list items,
calculator widgets and their form controls. They must match exactly.
"""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.test_editions import html_of, pairs

COUNTED_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "li", "a", "input", "select", "button", "textarea"}


class ArticleCounter(HTMLParser):
    """Counts COUNTED_TAGS and calculator roots inside the page's article."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.counts: Counter[str] = Counter()
        self._depth = 0  # open elements inside <article>; 0: outside

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._depth == 0:
            if tag == "article":
                self._depth = 1
            return
        if tag not in VOID_TAGS:
            self._depth += 1
        if tag in COUNTED_TAGS:
            self.counts[tag] += 1
        names = dict(attrs)
        if "data-cci-calculator" in names:
            self.counts[f"calculator:{names['data-cci-calculator']}"] += 1
        if tag == "a" and (names.get("class") or "").split().count("headerlink"):
            self.counts["a"] -= 1  # the permalink of a heading: counted with the heading
            self.counts["permalink"] += 1

    def handle_endtag(self, tag: str) -> None:
        if self._depth and tag not in VOID_TAGS:
            self._depth -= 1


VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def structure(html: str) -> Counter[str]:
    counter = ArticleCounter()
    counter.feed(html)
    return +counter.counts


@pytest.mark.parametrize(("german", "english"), pairs(), ids=[de or "start" for de, _ in pairs()])
def test_issue13_english_page_has_the_german_structure(built_site: Path, german: str, english: str) -> None:
    de, en = structure(html_of(built_site, german)), structure(html_of(built_site, english))
    assert de["h1"] == 1
    assert en == de


def test_issue13_structure_figures(built_site: Path) -> None:
    """Concrete counts of the calculator page, so the comparison above cannot
    pass on two empty articles."""
    counts = structure(html_of(built_site, "rechner/"))
    assert counts["calculator:price"] == 1
    assert counts["h1"] == 1 and counts["h2"] >= 1
    assert counts["table"] >= 1 and counts["tr"] >= 4
    assert counts["input"] >= 1 and counts["button"] >= 2
    total = sum(sum(structure(html_of(built_site, de)).values()) for de, _ in pairs())
    print(f"structure elements compared: {total} per edition over {len(pairs())} pages")
    assert total > 300


def test_issue13_structure_check_finds_a_missing_row() -> None:
    """Negative control: one table row less is a difference."""
    page = "<article><h1>T</h1><table><tr><td>a</td></tr><tr><td>b</td></tr></table></article>"
    assert structure(page) != structure(page.replace("<tr><td>b</td></tr>", ""))
    assert structure("<nav><a href=x>x</a></nav><article><h1>T</h1></article>") == structure("<article><h1>T</h1></article>")

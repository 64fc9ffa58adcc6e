"""Issue 13: every internal link of both editions resolves, and no edition
links to the other's pages except through the language switch.

Links are every ``href``, ``src`` and the calculators' ``data-runtime``,
``data-bundle``, ``data-worker`` and ``data-base`` of every built page and
404 page; the assets under the site root are shared by both editions.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.test_site_pages import edition_files, html_files

LINK_ATTRIBUTES = ("href", "src", "data-runtime", "data-bundle", "data-worker", "data-base")
EXTERNAL = re.compile(r"^([a-z][a-z0-9+.-]*:|//|#|$)", re.I)
# The language switch, and the hidden link it reads after an instant
# navigation, lead to this page in the other edition, by design.
SWITCH = ("data-cci-language-switch", "data-cci-translation")
# Folders the calculator's worker fetches from (runtime, bundle), not pages.
FOLDER_ATTRIBUTES = ("data-runtime", "data-bundle")


def internal_links(path: Path) -> list[tuple[str, str, bool]]:
    """(attribute, link, whether it is the language switch) of each internal
    link of the page at ``path``."""
    page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return [
        (name, tag[name], any(tag.has_attr(switch) for switch in SWITCH))
        for tag in page.find_all(True) for name in LINK_ATTRIBUTES
        if isinstance(tag.get(name), str) and not EXTERNAL.match(tag[name])
    ]


def target_of(site: Path, page: Path, link: str, folder: bool = False) -> Path | None:
    """The built file ``link`` on ``page`` names (a folder's index.html; the
    folder itself if ``folder``), or None."""
    base = site if link.startswith("/") else page.parent
    target = (base / link.lstrip("/").split("#")[0].split("?")[0]).resolve()
    if target.is_dir() and not folder:
        target = target / "index.html"
    exists = target.is_dir() if folder else target.is_file()
    return target if exists and target.is_relative_to(site.resolve()) else None


def edition_of(site: Path, file: Path) -> str:
    return "en" if file.resolve().relative_to(site.resolve()).parts[0] == "en" else "de"


def link_problems(site: Path, pages: list[Path]) -> list[str]:
    """Links of ``pages`` that name no built file, or a page (HTML) of the
    other edition without being the language switch."""
    problems = []
    for page in pages:
        for attribute, link, switch in internal_links(page):
            target = target_of(site, page, link, attribute in FOLDER_ATTRIBUTES)
            name = page.relative_to(site).as_posix()
            if target is None:
                problems.append(f"{name}: {link} names no built file")
            elif target.suffix == ".html" and (edition_of(site, target) != edition_of(site, page)) != switch:
                problems.append(f"{name}: {link} leads to {target.relative_to(site.resolve()).as_posix()}"
                                + ("" if switch else " in the other edition"))
    return problems


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_internal_link_resolves_within_its_edition(built_site: Path, lang: str) -> None:
    pages = edition_files(built_site, lang)
    assert len(pages) == 18  # 17 pages and the 404 page
    assert link_problems(built_site, pages) == []
    # Not vacuous: every page has its chrome's links, the calculators their runtime.
    links = [link for page in pages for _, link, _ in internal_links(page)]
    assert len(links) > 18 * 30
    calculator = built_site / ("en/calculator" if lang == "en" else "rechner") / "index.html"
    assert {link for _, link, _ in internal_links(calculator)} >= {
        "../assets/calculator/worker.mjs" if lang == "de" else "../../assets/calculator/worker.mjs"}


def test_english_macro_links_go_to_english_pages(built_site: Path) -> None:
    """Links the templates write, spot-checked: English paths at the right depth."""
    links = {link for _, link, _ in internal_links(built_site / "en/plans/basic/index.html")}
    assert {"../../severity/1/", "../../compare/#fussnote-business_hours", "../../prices/", "../../advisor/"} <= links
    quote = BeautifulSoup((built_site / "en/quote-links/index.html").read_text(encoding="utf-8"), "html.parser")
    example = quote.select_one('article a[href^="../calculator/#nutzung="]')
    assert example is not None and example.get_text().startswith("calculator/#nutzung=25000&plan=advanced")


def test_link_check_can_fail(tmp_path: Path) -> None:
    """Negative control: a broken link, a link into the other edition and a
    language switch to a missing page are found; the switch itself is allowed."""
    for folder in ("rechner", "en/calculator"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "rechner/index.html").write_text("<a href='../fehlt/'>x</a>", encoding="utf-8")
    (tmp_path / "en/calculator/index.html").write_text(
        "<a href='../../rechner/'>x</a><a data-cci-language-switch href='../../rechner/#a=1'>de</a>"
        "<a href='./'>self</a><a href='https://example.com/'>out</a>", encoding="utf-8")
    assert link_problems(tmp_path, html_files_of(tmp_path)) == [
        "en/calculator/index.html: ../../rechner/ leads to rechner/index.html in the other edition",
        "rechner/index.html: ../fehlt/ names no built file",
    ]


def html_files_of(site: Path) -> list[Path]:
    return sorted(site.rglob("index.html"))

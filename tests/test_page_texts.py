"""Issue 13: the page texts (``ui`` in data/plans.yaml) and the templates.

Every ``ui.<group>.<key>`` a template or theme override reads exists in
the data, every text in the data is read somewhere (no dead texts for
writers to translate), texts are HTML-escaped when filled, and the
browser's catalog does not carry them.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from macros.browser_bundle import catalog_to_json
from macros.pages import TEMPLATES, fill_html
from tests.catalog import real_ui
from tests.helpers import REPO_ROOT

_USE = re.compile(r"\bui\.(\w+)\.(\w+)")
_OVERRIDE_GROUP = re.compile(r'config\.extra\.ui(?: or \{\}\)\.get\("(\w+)"|\.(\w+))')
_OVERRIDE_KEY = re.compile(r"\btexts\.(\w+)")


def template_uses() -> set[tuple[str, str]]:
    """(group, key) of every page text the templates and overrides read."""
    uses: set[tuple[str, str]] = set()
    for path in [*TEMPLATES.iterdir(), *(REPO_ROOT / "overrides").rglob("*.html")]:
        source = path.read_text(encoding="utf-8")
        uses |= set(_USE.findall(source))
        group = _OVERRIDE_GROUP.search(source)
        if group:
            uses |= {(group.group(1) or group.group(2), key) for key in _OVERRIDE_KEY.findall(source)}
    return uses


def test_every_text_a_template_reads_exists_and_every_text_is_read() -> None:
    ui = real_ui()
    in_data = {(group, key) for group, texts in ui.items() for key in texts}
    uses = template_uses()
    assert uses - in_data == set()
    assert in_data - uses == set()
    assert len(in_data) == 231
    # Negative control: the scan finds a known use in a template and in an override.
    assert ("response_calculator", "counted_times") in uses
    assert ("not_found", "home") in uses


def test_fill_escapes_texts_and_values_and_keeps_markup_values() -> None:
    filled = fill_html("{from}–{to}\u00a0Uhr <b> & {name}", **{"from": Markup('<span data-slot="from">09:00</span>'),
                                                              "to": "<i>17:00</i>", "name": "A & B"})
    assert isinstance(filled, Markup)
    assert filled == ('<span data-slot="from">09:00</span>–&lt;i&gt;17:00&lt;/i&gt;&nbsp;Uhr '
                      "&lt;b&gt; &amp; A &amp; B")
    # A placeholder without a value stays as written (calculator.texts.fill).
    assert fill_html("{missing} bleibt") == "{missing} bleibt"


def test_the_browser_catalog_carries_no_page_texts(built_site) -> None:
    bundle_catalogs = list((built_site / "assets").rglob("catalog.json"))
    assert len(bundle_catalogs) == 1
    text = bundle_catalogs[0].read_text(encoding="utf-8")
    assert '"ui"' not in text
    assert '"severity_intro"' in text  # negative control: it is the data
    assert '"ui"' in catalog_to_json({"ui": real_ui()})

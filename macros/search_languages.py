"""MkDocs hook (``hooks:`` in mkdocs.yml and mkdocs.en.yml): an edition
ships only the search languages its search loads.

Material copies lunr's language support for about 40 languages into every
edition (``assets/javascripts/lunr/``; ``wordcut.js`` alone is 680 kB).
Its search worker (``assets/javascripts/workers/search.*.js``) loads only
what the search plugin's ``lang`` names: ``lunr.<lang>.min.js`` for each
language but English (lunr's own), ``tinyseg.js`` for Japanese,
``wordcut.js`` for Hindi and Thai, ``lunr.multi.min.js`` for more than one
language, and ``lunr.stemmer.support.min.js`` before any of them. This hook
leaves the rest out of the build: the German edition keeps two files, the
English one none, and the build copies, precompresses and the service
worker precaches about 80 files fewer.
"""

from __future__ import annotations

from collections.abc import Sequence

LUNR_DIR = "assets/javascripts/lunr/"


def lunr_files(languages: Sequence[str]) -> set[str]:
    """Theme files (site-relative) that Material's search worker loads for
    the search languages ``languages``."""
    used = set()
    for lang in languages:
        if lang == "ja":
            used.add("tinyseg.js")
        if lang in ("hi", "th"):
            used.add("wordcut.js")
        if lang != "en":
            used.add(f"min/lunr.{lang}.min.js")
    if len(languages) > 1:
        used.add("min/lunr.multi.min.js")
    if used:
        used.add("min/lunr.stemmer.support.min.js")
    return {LUNR_DIR + name for name in used}


def on_files(files, config):
    """Drop the lunr files this edition's search does not load (none
    without the search plugin)."""
    search = config.plugins.get("material/search")
    used = lunr_files(search.config.lang if search else [])
    for file in [f for f in files if f.src_uri.startswith(LUNR_DIR) and f.src_uri not in used]:
        files.remove(file)
    return files

"""The real catalog, loaded once for unit tests (no MkDocs involved).

Per edition (``"de"``, ``"en"``): ``edition_catalog`` and ``edition_ui``
are data/plans.yaml with the texts of that edition (data/plans.en.yaml for
English, as the English build loads it), ``edition_page`` the URL path of a
German page in that edition (from mkdocs.yml's page table).
"""

from __future__ import annotations

import functools
from typing import Any

from calculator import Catalog
from macros.plans_file import load_plan_data, load_plans
from macros.translations import load_edition
from tests.helpers import REPO_ROOT

EDITIONS = ("de", "en")


@functools.cache
def real_catalog() -> Catalog:
    """data/plans.yaml of the repository, validated and built."""
    return load_plans(REPO_ROOT / "data" / "plans.yaml", display_name="data/plans.yaml")


@functools.cache
def real_ui() -> dict[str, dict[str, str]]:
    """The page texts (``ui``) of data/plans.yaml, German."""
    return load_plan_data(REPO_ROOT / "data" / "plans.yaml", "data/plans.yaml")[0]["ui"]


@functools.cache
def _edition(lang: str) -> tuple[dict[str, Any], Catalog]:
    return load_edition(lang, REPO_ROOT)


def edition_catalog(lang: str) -> Catalog:
    """The catalog of edition ``lang``: the same facts, that edition's texts."""
    return real_catalog() if lang == "de" else _edition(lang)[1]


def edition_ui(lang: str) -> dict[str, dict[str, str]]:
    """The page texts (``ui``) of edition ``lang``."""
    return real_ui() if lang == "de" else _edition(lang)[0]["ui"]


def edition_page(lang: str, german: str) -> str:
    """The site-relative URL path of German page ``german`` ("vergleich/",
    "" for the start page) in edition ``lang`` ("en/compare/")."""
    from tests.test_editions import pairs  # mkdocs.yml's page table

    return german if lang == "de" else dict(pairs())[german]

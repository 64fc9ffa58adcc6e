"""The real catalog, loaded once for unit tests (no MkDocs involved)."""

from __future__ import annotations

import functools

from calculator import Catalog
from macros.plans_file import load_plan_data, load_plans
from tests.helpers import REPO_ROOT


@functools.cache
def real_catalog() -> Catalog:
    """data/plans.yaml of the repository, validated and built."""
    return load_plans(REPO_ROOT / "data" / "plans.yaml", display_name="data/plans.yaml")


@functools.cache
def real_ui() -> dict[str, dict[str, str]]:
    """The page texts (``ui``) of data/plans.yaml, German."""
    return load_plan_data(REPO_ROOT / "data" / "plans.yaml", "data/plans.yaml")[0]["ui"]

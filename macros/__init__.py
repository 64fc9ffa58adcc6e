"""The mkdocs-macros module of the site.

``define_env`` only loads the validated data, prepares the browser bundle
and registers thin macros over ``macros.pages`` (data → HTML through Jinja2
templates), which is tested without MkDocs. A broken data file stops the
build here, before anything is written, with one
``file:line:column: path: message`` line per problem. ``on_post_build``
copies the browser bundle (Pyodide, calculator wheel, data) into the site.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from mkdocs.exceptions import PluginError

from calculator import Catalog

from . import browser_bundle, pages
from .plans_file import PlansFileError, load_plan_data

DATA_FILE = Path("data") / "plans.yaml"


def define_env(env) -> None:
    """Register the site's variables and macros (mkdocs-macros hook)."""
    project = Path(env.project_dir)
    try:
        plan_data, catalog = load_plan_data(project / DATA_FILE, display_name=DATA_FILE.as_posix())
    except PlansFileError as error:
        raise PluginError(f"{DATA_FILE.as_posix()} refused:\n{error}") from None
    missing = pages.missing_page_files(catalog, Path(env.conf["docs_dir"]))
    if missing:
        raise PluginError("\n".join(missing))
    try:
        bundle = browser_bundle.prepare(project, plan_data)
    except browser_bundle.BundleError as error:
        raise PluginError(f"browser calculator: {error}") from None
    env.variables["catalog"] = catalog
    # The theme's footer (overrides/partials/copyright.html) reads config.extra.
    env.conf["extra"]["legal"] = catalog.legal
    env.variables["bundle"] = bundle
    for name, render in pages.MACROS.items():
        env.macro(_on_current_page(env, catalog, bundle, render), name)


def on_post_build(env) -> None:
    """Copy the browser bundle into the built site (mkdocs-macros hook)."""
    env.variables["bundle"].install(Path(env.conf["site_dir"]))


def _on_current_page(env, catalog: Catalog, bundle: browser_bundle.Bundle,
                     render: Callable[..., str]) -> Callable[..., str]:
    # Links in the output are relative to the page being rendered.
    def macro(*args: object) -> str:
        return render(pages.Context(catalog, bundle, pages.root_of(env.page.url)), *args)

    macro.__doc__ = render.__doc__
    return macro

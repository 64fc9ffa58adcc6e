"""The mkdocs-macros module of the site.

``define_env`` only loads the validated data, prepares the browser bundle
and registers thin macros over ``macros.pages`` (data → HTML through Jinja2
templates), which is tested without MkDocs. A broken data file stops the
build here, before anything is written, with one
``file:line:column: path: message`` line per problem. In the live preview
(``mkdocs serve``, see ``preview_hook``) it prints those lines on every
rebuild and every page shows them instead, so the browser never waits on a
failed build. ``on_post_build`` copies the browser bundle (Pyodide,
calculator wheel, data) into the site.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

from mkdocs.exceptions import PluginError

from calculator import Catalog

from . import browser_bundle, pages
from .plans_file import PlansFileError, load_plan_data
from .preview_hook import PREVIEW_KEY
from .price_lock import LOCK_NAME, LockFileError, PriceLock

DATA_FILE = Path("data") / "plans.yaml"
LOCK_FILE = DATA_FILE.parent / LOCK_NAME
_DATA_ERROR = "data_error"  # the variable holding the refused file's problem lines


def define_env(env) -> None:
    """Register the site's variables and macros (mkdocs-macros hook)."""
    project = Path(env.project_dir)
    docs_dir = Path(env.conf["docs_dir"])
    try:
        lock = PriceLock.read(project / LOCK_FILE, LOCK_FILE.as_posix())
        checks = (lambda catalog: pages.missing_page_files(catalog, docs_dir), lock.problems)
        plan_data, catalog = load_plan_data(project / DATA_FILE, DATA_FILE.as_posix(), checks)
    except (PlansFileError, LockFileError) as error:
        _refuse(env, str(error))
        return
    for version in lock.record_new(catalog):
        print(f"{LOCK_FILE.as_posix()}: Preisliste {version!r} neu eingetragen; "
              f"bitte {LOCK_FILE.as_posix()} mit {DATA_FILE.as_posix()} committen", file=sys.stderr)
    try:
        # The page texts (ui) stay in the pages; the browser's calculator does not need them.
        bundle = browser_bundle.prepare(project, {k: v for k, v in plan_data.items() if k != "ui"})
    except browser_bundle.BundleError as error:
        raise PluginError(f"browser calculator: {error}") from None
    env.variables["catalog"] = catalog
    # The theme's footer (overrides/partials/copyright.html) reads config.extra.
    env.conf["extra"]["legal"] = catalog.legal
    env.conf["extra"]["ui"] = plan_data["ui"]  # and the page texts (overrides/)
    env.variables["bundle"] = bundle
    for name, render in pages.MACROS.items():
        env.macro(_on_current_page(env, catalog, bundle, plan_data["ui"], render), name)


def _refuse(env, problems: str) -> None:
    """Fail the build, or in the preview show ``problems`` on every page."""
    message = f"{DATA_FILE.as_posix()} abgelehnt:\n{problems}"
    if not env.conf.get(PREVIEW_KEY):
        raise PluginError(message)
    # Printed, not logged: MkDocs logs a repeated message only once, and
    # strict mode would turn a logged error into a failed build.
    print(f"ERROR   -  {message}", file=sys.stderr, flush=True)
    env.variables[_DATA_ERROR] = problems.splitlines()


def on_pre_page_macros(env) -> None:
    """While the data is refused, a page's macros are not rendered (mkdocs-macros hook)."""
    if _DATA_ERROR in env.variables:
        env.markdown = ""
        env.page.title = DATA_FILE.as_posix()  # a title may hold macros too


def on_post_page_macros(env) -> None:
    """While the data is refused, every page shows why (mkdocs-macros hook)."""
    if _DATA_ERROR in env.variables:
        env.markdown = pages.data_error_page(DATA_FILE.as_posix(), env.variables[_DATA_ERROR])


def on_post_build(env) -> None:
    """Copy the browser bundle into the built site (mkdocs-macros hook)."""
    if "bundle" in env.variables:
        env.variables["bundle"].install(Path(env.conf["site_dir"]))


def _on_current_page(env, catalog: Catalog, bundle: browser_bundle.Bundle, ui: dict,
                     render: Callable[..., str]) -> Callable[..., str]:
    # Links in the output are relative to the page being rendered.
    def macro(*args: object) -> str:
        return render(pages.Context(catalog, bundle, pages.root_of(env.page.url), ui), *args)

    macro.__doc__ = render.__doc__
    return macro

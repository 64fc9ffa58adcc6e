"""The mkdocs-macros module of the site.

``define_env`` only loads the validated data and registers thin macros over
``macros.pages`` (data → HTML through Jinja2 templates), which is tested
without MkDocs. A broken data file stops the build here, before anything is
written, with one ``file:line:column: path: message`` line per problem.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from mkdocs.exceptions import PluginError

from calculator import Catalog

from . import pages
from .plans_file import PlansFileError, load_plans

DATA_FILE = Path("data") / "plans.yaml"


def define_env(env) -> None:
    """Register the site's variables and macros (mkdocs-macros hook)."""
    try:
        catalog = load_plans(Path(env.project_dir) / DATA_FILE, display_name=DATA_FILE.as_posix())
    except PlansFileError as error:
        raise PluginError(f"{DATA_FILE.as_posix()} refused:\n{error}") from None
    missing = pages.missing_page_files(catalog, Path(env.conf["docs_dir"]))
    if missing:
        raise PluginError("\n".join(missing))
    env.variables["catalog"] = catalog
    for name, render in pages.MACROS.items():
        env.macro(_on_current_page(env, catalog, render), name)


def _on_current_page(env, catalog: Catalog, render: Callable[..., str]) -> Callable[..., str]:
    # Links in the output are relative to the page being rendered.
    def macro(*args: object) -> str:
        return render(catalog, pages.root_of(env.page.url), *args)

    macro.__doc__ = render.__doc__
    return macro

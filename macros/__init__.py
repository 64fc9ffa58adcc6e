"""The mkdocs-macros module of the site.

``define_env`` only loads the validated data, prepares the browser bundle
and registers thin macros over ``macros.pages`` (data → HTML through Jinja2
templates), which is tested without MkDocs. A broken data file stops the
build here, before anything is written, with one
``file:line:column: path: message`` line per problem. In the live preview
(``mkdocs serve``, see ``preview_hook``) it prints those lines on every
rebuild and every page shows them instead, so the browser never waits on a
failed build. ``on_post_build`` copies the browser bundle (Pyodide,
standard library with the calculator, tzdata wheel, data) into the site.

The page language is the configuration's ``theme.language``: "de" for
mkdocs.yml, "en" for mkdocs.en.yml (the English edition, built into en/ by
``macros/editions.py``). An English page renders the English data
(``translations.load_edition``) in English notation; its calculators use
the German root's browser bundle, which holds the data of both editions.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

from mkdocs.exceptions import PluginError

from calculator import Catalog

from . import browser_bundle, pages, translations
from .editions import ENGLISH_DIR, page_url
from .plans_file import PlansFileError
from .preview_hook import PREVIEW_KEY
from .price_lock import LOCK_NAME, LockFileError, PriceLock

DATA_FILE = Path("data") / "plans.yaml"
LOCK_FILE = DATA_FILE.parent / LOCK_NAME
_DATA_ERROR = "data_error"  # the variable holding the refused file's problem lines


def define_env(env) -> None:
    """Register the site's variables and macros (mkdocs-macros hook)."""
    project = Path(env.project_dir)
    docs_dir = Path(env.conf["docs_dir"])
    lang = env.conf["theme"]["language"]
    try:
        lock = PriceLock.read(project / LOCK_FILE, LOCK_FILE.as_posix())
        checks = (lambda catalog: pages.missing_page_files(catalog, docs_dir, lang), lock.problems)
        plan_data, catalog = translations.load_edition("de", project, checks)
        editions = {other: translations.load_edition(other, project)
                    for other in translations.TRANSLATION_FILES}
    except (PlansFileError, LockFileError) as error:
        _refuse(env, str(error))
        return
    for version in lock.record_new(catalog):
        print(f"{LOCK_FILE.as_posix()}: Preisliste {version!r} neu eingetragen; "
              f"bitte {LOCK_FILE.as_posix()} mit {DATA_FILE.as_posix()} committen", file=sys.stderr)
    try:
        # The page texts (ui) stay in the pages; the browser's calculator does not need them.
        bundle = browser_bundle.prepare(project, _without_ui(plan_data),
                                        {other: _without_ui(data) for other, (data, _) in editions.items()})
    except browser_bundle.BundleError as error:
        raise PluginError(f"browser calculator: {error}") from None
    ui = plan_data["ui"]
    if lang in editions:
        catalog = editions[lang][1]
        ui = editions[lang][0]["ui"]
        bundle = bundle.for_edition(lang)
    env.variables["lang"] = lang
    env.variables["catalog"] = catalog
    # The theme's footer (overrides/partials/copyright.html) reads config.extra.
    env.conf["extra"]["legal"] = catalog.legal
    env.conf["extra"]["ui"] = ui  # and the page texts (overrides/)
    env.variables["bundle"] = bundle
    paths = _edition_pages(env.conf, lang)
    # For the theme's templates (overrides/): German page file → this
    # edition's page URL (the 404 page's buttons), and the same by German
    # page URL (the footer's link to the privacy page, a URL in the data).
    env.conf["extra"]["edition_pages"] = paths
    env.conf["extra"]["edition_paths"] = {page_url(de): path for de, path in paths.items()}
    for name, render in pages.MACROS.items():
        env.macro(_on_current_page(env, catalog, bundle, ui, render, lang, paths), name)


def _without_ui(data: dict) -> dict:
    return {key: value for key, value in data.items() if key != "ui"}


def _edition_pages(conf, lang: str) -> dict[str, str]:
    """German page file → this edition's page URL, relative to its root
    (``rechner.md`` → ``rechner/`` | ``calculator/``), from mkdocs.yml's
    table ``extra.translations``."""
    table = conf["extra"].get("translations") or {}
    return {de: page_url(de if lang == "de" else en) for de, en in table.items()}


def _refuse(env, problems: str) -> None:
    """Fail the build, or in the preview show ``problems`` on every page."""
    message = f"{DATA_FILE.as_posix()} abgelehnt:\n{problems}"
    if not env.conf.get(PREVIEW_KEY):
        raise PluginError(message)
    # Printed, not logged: MkDocs logs a repeated message only once, and
    # strict mode would turn a logged error into a failed build. Once per
    # rebuild: the English edition (built inside the German build) only
    # shows it on its pages.
    if env.conf["theme"]["language"] == "de":
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
    """Copy the browser bundle into the built site (mkdocs-macros hook);
    only the German root's: the other editions' pages use it."""
    if "bundle" in env.variables and env.variables.get("lang") == "de":
        env.variables["bundle"].install(Path(env.conf["site_dir"]))


def _on_current_page(env, catalog: Catalog, bundle: browser_bundle.Bundle, ui: dict,
                     render: Callable[..., str], lang: str, paths: dict[str, str]) -> Callable[..., str]:
    # Links in the output are relative to the page being rendered.
    def macro(*args: object) -> str:
        return render(pages.Context(catalog, bundle, pages.root_of(env.page.url), ui, lang, paths,
                                    "" if lang == "de" else f"{ENGLISH_DIR}/"), *args)

    macro.__doc__ = render.__doc__
    return macro

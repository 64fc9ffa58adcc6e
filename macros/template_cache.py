"""MkDocs hook (``hooks:`` in mkdocs.yml): compiled Jinja2 templates are kept.

Each build compiles the theme's templates (Material's ``main.html`` with
its partials) and the site's macro templates (``macros/templates/``) to
Python code, for each edition again, on every ``make build``. The compiled
code is cached in ``.cache/jinja2/``, keyed by Jinja2 on the template's
name and checked against a hash of its source, so an edited template is
compiled afresh; the pages come out the same bytes either way.
(mkdocs-macros compiles each page's Markdown from a string, uncached.)
"""

from __future__ import annotations

from pathlib import Path

import jinja2

CACHE = Path(".cache") / "jinja2"


def bytecode_cache(project: Path, kind: str) -> jinja2.FileSystemBytecodeCache:
    """The compiled-template cache of the project at ``project`` for the
    environment ``kind``. One folder per environment: Jinja2 folds a filter
    applied to a constant into the compiled code, so the code of a template
    holds the filters' results of its environment (e.g. the number format of
    its language)."""
    folder = project / CACHE / kind
    folder.mkdir(parents=True, exist_ok=True)
    return jinja2.FileSystemBytecodeCache(str(folder))


def on_env(env: jinja2.Environment, config, files) -> jinja2.Environment:
    """The theme's environment, with the compiled-template cache."""
    kind = f"theme-{config.theme['language']}"
    env.bytecode_cache = bytecode_cache(Path(config.config_file_path).parent, kind)
    return env

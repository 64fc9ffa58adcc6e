"""Time `make build` against a plain `mkdocs build` of the same pages, and
show where the build's time goes (not a test).

Usage: .venv/bin/python bench/build_time.py [RUNS]   (default 5; `make bench`)

`make build`: a full, clean, strict build into site/ through the Makefile,
exactly as a writer or CI runs it (wall clock, the process included); the
first, untimed run warms the venv stamp and the file cache.

The reference of the same run (issue 10): a plain strict MkDocs build of
the same pages of both editions (mkdocs.yml, then mkdocs.en.yml into en/,
in one process, as the editions hook does) after the macros have expanded
them, with the same theme, overrides, Markdown extensions, navigation and
search plugin, but without mkdocs-macros and the project's hooks (no data
loading and validation, no browser bundle, no server configuration, no
precompression, no service worker). The expanded Markdown is taken from one
in-process build of the real configuration (a plugin registered after the
macros copies each page's Markdown, the English build's too), with docs/'s
other files beside it. Builds alternate, so that both see the same (shared,
noisy) machine; medians are printed and the ratio (goal ≤ 1.5).

Where the time goes: the same in-process build with every plugin and hook
event timed (seconds, summed over pages), the rest being MkDocs itself
(reading, Markdown, templates, copying files); and the import time of the
modules a build needs, in a fresh interpreter.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VPY = ROOT / ".venv" / "bin" / "python"
GOAL_RATIO = 1.5
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")

PLAIN_CONFIG = """\
# bench/build_time.py: the plain reference, the expanded pages without macros and hooks.
INHERIT: {root}/{config}
docs_dir: {docs}
site_url: {site_url}
theme:
  custom_dir: {root}/overrides
plugins:
  - search:
      lang: {lang}
hooks: []
watch: []
"""
# Both editions, as `make build` builds them: German at the root, English
# (mkdocs.en.yml) into en/, one after the other in one process.
EDITIONS = (("de", "mkdocs.yml", "", "http://127.0.0.1:8000/"),
            ("en", "mkdocs.en.yml", "en", "http://127.0.0.1:8000/en/"))
PLAIN_BUILD = """\
import logging, sys
logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
from mkdocs.commands.build import build
from mkdocs.config import load_config
for config, site in zip(sys.argv[1::2], sys.argv[2::2]):
    build(load_config(config, site_dir=site, strict=True))
"""
IMPORTS = "import mkdocs.commands.build, material, macros, calculator, jsonschema, yaml"


def one_build() -> float:
    """Seconds for one `make build`, wall clock."""
    start = time.perf_counter()
    subprocess.run(["make", "--no-print-directory", "build"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def one_plain_build(configs: list[Path], site: Path) -> float:
    """Seconds for one plain strict build of each edition's config in
    ``configs`` (German into ``site``, English into ``site/en``), in one
    process as `mkdocs build` with the editions hook, wall clock."""
    shutil.rmtree(site, ignore_errors=True)
    args = [arg for (_, _, sub, _), config in zip(EDITIONS, configs) for arg in (str(config), str(site / sub))]
    start = time.perf_counter()
    done = subprocess.run([str(VPY), "-c", PLAIN_BUILD, *args],
                          cwd=ROOT, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    took = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"the plain build failed:\n{done.stderr.decode(errors='replace')}")
    return took


class _CopyMarkdown:
    """A plugin event after the macros: each page's expanded Markdown into ``docs``."""

    def __init__(self, docs: Path) -> None:
        self.docs = docs

    def on_page_markdown(self, markdown: str, page, **_) -> str:
        target = self.docs / page.file.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
        return markdown


def _timed(fn: Callable, key: str, spent: dict[str, float]) -> Callable:
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[key] += time.perf_counter() - start
    return wrapper


def profiled_build(site: Path, expanded: Path) -> tuple[float, dict[str, float]]:
    """One in-process build of the real configuration with every event timed;
    writes the expanded pages into ``expanded``. Returns the build's seconds
    (after imports) and seconds per plugin event."""
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    spent: dict[str, float] = defaultdict(float)
    start = time.perf_counter()
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site), strict=True)
    config_s = time.perf_counter() - start
    config.plugins["bench-copy-markdown"] = _CopyMarkdown(expanded)  # type: ignore[assignment]
    _copy_english_markdown(expanded / "en")
    for event, handlers in config.plugins.events.items():
        for i, fn in enumerate(handlers):
            owner = getattr(fn, "__self__", None)
            name = type(owner).__name__ if owner is not None else fn.__module__
            if name == "_CopyMarkdown":
                continue
            handlers[i] = _timed(fn, f"{name}.{event}", spent)
    started = time.perf_counter()
    build(config)
    spent["load and validate mkdocs.yml (plugins' on_startup excluded)"] = config_s
    return time.perf_counter() - started + config_s, dict(spent)


def _copy_english_markdown(target: Path) -> None:
    """Also copy the English edition's expanded pages (built by the editions
    hook, which MkDocs may have loaded as a module of its own) into ``target``."""
    import macros.editions  # noqa: F401

    hooks = [module for module in list(sys.modules.values())
             if Path(getattr(module, "__file__", None) or "-").resolve() == ROOT / "macros" / "editions.py"]
    for editions in hooks:
        def build_with_copy(config, plain_build=editions.build, **kwargs):
            config.plugins["bench-copy-markdown"] = _CopyMarkdown(target)
            return plain_build(config, **kwargs)

        editions.build = build_with_copy


def expanded_docs(tmp: Path) -> tuple[Path, float, dict[str, float]]:
    """docs/ with its pages expanded by the macros, in ``tmp``; and the profile."""
    docs = tmp / "docs"
    shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns("*.md"))
    took, spent = profiled_build(tmp / "profiled-site", docs)
    return docs, took, spent


def import_seconds() -> float:
    """Wall seconds of a fresh interpreter importing what a build needs."""
    start = time.perf_counter()
    subprocess.run([str(VPY), "-c", IMPORTS], cwd=ROOT, check=True, env=ENV)
    return time.perf_counter() - start - interpreter_seconds()


def interpreter_seconds() -> float:
    start = time.perf_counter()
    subprocess.run([str(VPY), "-c", "pass"], check=True)
    return time.perf_counter() - start


def main(runs: int) -> None:
    one_build()  # warm-up, not counted
    times = []
    plain = []
    with tempfile.TemporaryDirectory(prefix="cci-plain-") as tmp_name:
        tmp = Path(tmp_name)
        docs, profiled_s, spent = expanded_docs(tmp)
        configs = []
        for lang, name, sub, site_url in EDITIONS:
            configs.append(tmp / f"mkdocs-plain.{lang}.yml")
            configs[-1].write_text(PLAIN_CONFIG.format(root=ROOT, config=name, docs=docs / sub,
                                                       site_url=site_url, lang=lang), encoding="utf-8")
        for _ in range(runs):  # in turn, so that both see the same machine
            times.append(one_build())
            plain.append(one_plain_build(configs, tmp / "plain-site"))
        imports = statistics.median(import_seconds() for _ in range(3))
    for name, values in (("make build", times),
                         ("plain mkdocs build of both editions' expanded pages", plain)):
        print(f"{name}, {runs} runs: median {statistics.median(values):.2f} s "
              f"(min {min(values):.2f} s, max {max(values):.2f} s)")
    ratio = statistics.median(times) / statistics.median(plain)
    print(f"ratio make build / plain mkdocs build: {ratio:.2f}  "
          f"goal ≤ {GOAL_RATIO}: {'met' if ratio <= GOAL_RATIO else 'MISSED'}")
    print()
    print(f"Where the time goes: one in-process build of mkdocs.yml, {profiled_s:.2f} s after imports")
    print(f"  {imports:6.2f} s  imports ({IMPORTS[7:]}), fresh interpreter, "
          f"before the build (not in the total above)")
    for key, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        if seconds >= 0.005:
            print(f"  {seconds:6.2f} s  {key}")
    print(f"  {profiled_s - sum(spent.values()):6.2f} s  MkDocs itself (reading, Markdown, "
          f"templates, copying; the rest)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)

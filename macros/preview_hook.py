"""MkDocs hook (``hooks:`` in mkdocs.yml), not part of the macros module.

Tells the macros module whether this run is the live preview (``mkdocs
serve``, what ``make serve`` runs): MkDocs names the command only to
``on_startup``, which mkdocs-macros does not pass on. The answer is stored
in the configuration as ``PREVIEW_KEY`` before mkdocs-macros reads it.
"""

from __future__ import annotations

from mkdocs.plugins import event_priority

PREVIEW_KEY = "cci_preview"
_command = "build"


def on_startup(command: str, dirty: bool) -> None:
    global _command
    _command = command


@event_priority(100)  # before mkdocs-macros calls define_env
def on_config(config):
    config[PREVIEW_KEY] = _command == "serve"
    return config

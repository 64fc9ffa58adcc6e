"""Filling the data file's message templates with values.

Templates such as ``Den Plan „{value}“ gibt es nicht`` live in the data
file (``messages``); the values may come from a link, so they are inserted
literally: only the template is searched for ``{name}`` placeholders, never
an inserted value, and a placeholder without a value stays as it is.
"""

from __future__ import annotations

import re

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(template: str, **values: object) -> str:
    """``template`` with each ``{name}`` replaced by ``str(values[name])``."""
    return _PLACEHOLDER.sub(
        lambda match: str(values[match.group(1)]) if match.group(1) in values else match.group(0),
        template,
    )

"""Put a freshly built site in place of the old one in one step.

Run by ``make build`` as a script (``python macros/site_swap.py NEW LIVE``),
not imported. ``LIVE`` (``site/``) never goes missing, not even for a web
server reading it during the swap or when the build is killed: the two
folders are exchanged by one ``renameat2(RENAME_EXCHANGE)`` system call
(Linux ≥ 3.15; coreutils' ``mv --exchange`` needs 9.5), after which the old
site is under ``NEW`` and is removed. A leftover ``NEW`` from a killed
build is removed by the next ``make build`` before it builds.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import sys
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def exchange(first: Path, second: Path) -> None:
    """Swap the names of two existing paths atomically; OSError if impossible."""
    libc = ctypes.CDLL(None, use_errno=True)
    result = libc.renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, os.strerror(error), str(first))


def publish(new: Path, live: Path) -> None:
    """Make ``new`` the content of ``live`` in one step and delete the old content."""
    if not live.exists():
        os.rename(new, live)  # atomic as well: live appears complete
        return
    exchange(new, live)
    shutil.rmtree(new)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: site_swap.py NEW_SITE LIVE_SITE")
    try:
        publish(Path(sys.argv[1]), Path(sys.argv[2]))
    except OSError as error:
        sys.exit(f"site_swap: {sys.argv[1]} could not replace {sys.argv[2]}: {error}")

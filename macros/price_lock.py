"""The record of every price list's amounts: ``data/price_lists.lock``.

A quote link names the price list it was made under (``preisliste=2026-01``)
and is binding, so the amounts of a version must never change once
published. The lock file beside the data records, for each version the data
has ever had (current and past), the fingerprint of its amounts
(``calculator.pricing.price_fingerprint``), one line
``<fingerprint> "<version>"``. The build compares the data with it:

- a version whose amounts differ from its recorded fingerprint is refused
  (the writer adds a new version and moves the old one to
  ``past_price_lists``);
- a version not yet recorded is added to the file, and the build says so,
  so that the writer commits the file with the data.

Versions are never removed from the file, so a version that comes back
must come back with its old amounts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from calculator import Catalog
from calculator.model import PriceModel
from calculator.pricing import price_fingerprint

LOCK_NAME = "price_lists.lock"
"""The lock file's name; it lives beside the data file."""

_HEADER = """\
# The fingerprint of each price list's amounts, by version: written by
# `make build`, checked by every build. A quote link names the price list it
# was made under, so the amounts of a version never change: to change
# prices, add a new price_list.version in data/plans.yaml and move the old
# list to past_price_lists. Commit this file together with data/plans.yaml;
# do not edit it by hand. Format: fingerprint "version".
"""
_LINE = re.compile(r'^([0-9a-f]{8}) ("(?:[^"\\]|\\.)*")$')


class LockFileError(Exception):
    """The lock file cannot be read; the message names file and line."""


@dataclass
class PriceLock:
    """The recorded fingerprints (version → 8 hex digits) of one lock file."""

    path: Path
    recorded: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path, display_name: str) -> PriceLock:
        """The lock file at ``path`` (empty if there is none yet)."""
        lock = cls(path)
        if not path.exists():
            return lock
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            match = _LINE.match(line)
            if match is None:
                raise LockFileError(f'{display_name}:{number}: erwartet 8 Hex-Ziffern und eine Version in '
                                    f'Anführungszeichen, etwa 1a2b3c4d "2026-01"; die Datei nicht von Hand ändern')
            lock.recorded[json.loads(match.group(2))] = match.group(1)
        return lock

    def problems(self, catalog: Catalog) -> list[tuple[str, str]]:
        """(path, message) for each price list whose amounts differ from its record."""
        found = []
        versions = _versions(catalog)
        current = catalog.price_list.version
        wrong = self._differs(current, versions[current])
        if wrong:
            found.append(("price_list.version",
                          f"die Beträge der Preisliste {json.dumps(current, ensure_ascii=False)} sind "
                          f"geändert ({wrong}); Angebotslinks nennen diese Version, ihre Beträge bleiben "
                          "daher gleich: für neue Preise eine neue version (und effective) angeben und die "
                          "bisherige Preisliste mit ihren alten Beträgen unter past_price_lists eintragen"))
        for index, past in enumerate(catalog.past_price_lists):
            wrong = self._differs(past.version, past.prices)
            if wrong:
                found.append((f"past_price_lists[{index}].version",
                              f"die Beträge der früheren Preisliste {json.dumps(past.version, ensure_ascii=False)} "
                              f"sind geändert ({wrong}); Angebotslinks nennen diese Version: ihre Beträge "
                              "wiederherstellen"))
        return found

    def record_new(self, catalog: Catalog) -> list[str]:
        """Add the versions of ``catalog`` not yet recorded; the versions added."""
        versions = _versions(catalog)
        added = [version for version in versions if version not in self.recorded]
        if not added:
            return []
        self.recorded.update((version, price_fingerprint(versions[version])) for version in added)
        lines = [f"{fingerprint} {json.dumps(version, ensure_ascii=False)}"
                 for version, fingerprint in self.recorded.items()]
        self.path.write_text(_HEADER + "\n".join(lines) + "\n", encoding="utf-8")
        return added

    def _differs(self, version: str, prices: Mapping[str, PriceModel]) -> str | None:
        # "Fingerabdruck x statt y" when the version is recorded with other amounts.
        recorded = self.recorded.get(version)
        now = price_fingerprint(prices)
        if recorded is None or recorded == now:
            return None
        return f"Fingerabdruck {now} statt {recorded} laut {self.path.parent.name}/{self.path.name}"


def _versions(catalog: Catalog) -> dict[str, Mapping[str, PriceModel]]:
    """Every price list of the catalog: version → plan id → price model."""
    current = catalog.price_list.version
    versions: dict[str, Mapping[str, PriceModel]] = {current: catalog.prices_for_version(current) or {}}
    versions.update((past.version, past.prices) for past in catalog.past_price_lists)
    return versions

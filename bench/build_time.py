"""Time `make build` several times and print the median (not a test).

Usage: .venv/bin/python bench/build_time.py [RUNS]   (default 5; `make bench`)

Each run is a full, clean, strict build into site/ through the Makefile,
exactly as a writer or CI would run it; the first, untimed run warms the
venv stamp and the file cache so that setup time is not counted. The
reference of the same run: a plain `mkdocs build --strict` into a
temporary folder (no Makefile, no atomic swap), and the ratio.
"""

from __future__ import annotations

import statistics
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def one_build() -> float:
    """Seconds for one `make build`, wall clock."""
    start = time.perf_counter()
    subprocess.run(["make", "--no-print-directory", "build"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def one_plain_build(site: Path) -> float:
    """Seconds for one plain `mkdocs build --strict` into ``site``, wall clock."""
    start = time.perf_counter()
    subprocess.run([str(ROOT / ".venv" / "bin" / "mkdocs"), "build", "--strict", "-q", "-d", str(site)],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    return time.perf_counter() - start


def main(runs: int) -> None:
    one_build()  # warm-up, not counted
    times = []
    plain = []
    with tempfile.TemporaryDirectory(prefix="cci-plain-") as tmp:
        for _ in range(runs):  # in turn, so that both see the same machine
            times.append(one_build())
            plain.append(one_plain_build(Path(tmp) / "site"))
    for name, values in (("make build", times), ("plain mkdocs build", plain)):
        print(f"{name}, {runs} runs: median {statistics.median(values):.2f} s "
              f"(min {min(values):.2f} s, max {max(values):.2f} s)")
    print(f"ratio make build / plain mkdocs build: {statistics.median(times) / statistics.median(plain):.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)

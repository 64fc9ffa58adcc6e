"""Time `make build` several times and print the median (not a test).

Usage: .venv/bin/python bench/build_time.py [RUNS]   (default 5; `make bench`)

Each run is a full, clean, strict build into site/ through the Makefile,
exactly as a writer or CI would run it; the first, untimed run warms the
venv stamp and the file cache so that setup time is not counted.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def one_build() -> float:
    """Seconds for one `make build`, wall clock."""
    start = time.perf_counter()
    subprocess.run(["make", "--no-print-directory", "build"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(runs: int) -> None:
    one_build()  # warm-up, not counted
    times = [one_build() for _ in range(runs)]
    print(f"make build, {runs} runs: median {statistics.median(times):.2f} s "
          f"(min {min(times):.2f} s, max {max(times):.2f} s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)

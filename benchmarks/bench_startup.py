"""Start-up: `custlens --help` and the first answer of `custlens ask` on the demo.

Targets: --help under 0.3 s, first answer under 2 s (heavy libraries are imported lazily; routing
reads the router's exported arrays from the cache, without scikit-learn). Each is the median of
several fresh processes, with a router cache of their own: warmed by one run first, and, for the
one-off cost after installing or changing a plugin, emptied before each run.

    python benchmarks/bench_startup.py
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(cmd: list[str], runs: int, cache: str, empty_cache: bool = False) -> float:
    times = []
    for _ in range(runs):
        if empty_cache:
            shutil.rmtree(cache, ignore_errors=True)
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env={**os.environ, "CUSTLENS_CACHE_DIR": cache})
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    exe = shutil.which("custlens") or str(Path(sys.executable).parent / "custlens")
    ask = [exe, "ask", "total revenue by country", "--demo"]
    cache = tempfile.mkdtemp()
    bare = timed([sys.executable, "-c", "pass"], 5, cache)
    help_s = timed([exe, "--help"], 7, cache)
    timed(ask, 1, cache)  # fits the router and caches it
    ask_s = timed(ask, 5, cache)
    cold_s = timed(ask, 3, cache, empty_cache=True)
    shutil.rmtree(cache, ignore_errors=True)
    print(f"python itself          {bare:6.3f} s")
    print(f"custlens --help        {help_s:6.3f} s   target 0.3 s   ratio to target {help_s / 0.3:.2f}")
    print(f"first answer (--demo)  {ask_s:6.3f} s   target 2.0 s   ratio to target {ask_s / 2.0:.2f}")
    print(f"  with the router fitted first (empty cache: after installing or changing a plugin)  {cold_s:6.3f} s")


if __name__ == "__main__":
    main()

"""Start-up: `custlens --help` and the first answer of `custlens ask` on the demo.

Targets: --help under 0.3 s, first answer under 2 s (heavy libraries are imported lazily; routing
reads the router's exported arrays from the cache, without scikit-learn). Each is the median of
several fresh processes, with a router cache of their own: warmed by one run first, and, for the
one-off cost after installing or changing a plugin, emptied before each run.

    python benchmarks/bench_startup.py
    python benchmarks/bench_startup.py --against DIR   # also an older custlens, run by turns

``--against DIR`` times the same warm first answer with DIR on PYTHONPATH (a directory holding
an older checkout as a ``custlens`` package), alternating with this one run by run, so a load
that changes during the run weighs on both alike.

Python keeps the compiled bytecode of custlens's modules, as it does on a user's machine (into a
folder of the run's own, PYTHONPYCACHEPREFIX); a machine that sets PYTHONDONTWRITEBYTECODE compiles
every module on every start, which the last line measures apart.
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


#: the run's own folder of compiled modules (kept when the router cache is emptied)
PYCACHE = tempfile.mkdtemp(prefix="custlens-pycache-")


def timed(cmd: list[str], runs: int, cache: str, empty_cache: bool = False, bytecode: bool = True) -> float:
    times = []
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} if bytecode else \
        {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env = {**env, "CUSTLENS_CACHE_DIR": cache, "PYTHONPYCACHEPREFIX": PYCACHE}
    for _ in range(runs):
        if empty_cache:
            shutil.rmtree(cache, ignore_errors=True)
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def against(other: str, cache: str, runs: int = 7) -> tuple[float, float]:
    """Median first answer of this custlens and of the one on PYTHONPATH ``other``, by turns
    (each with its own warmed router cache)."""
    ask = [sys.executable, "-c", "from custlens.cli import main; main()", "ask", "total revenue by country", "--demo"]
    this_cache, other_cache = os.path.join(cache, "this"), os.path.join(cache, "other")
    env = {**os.environ, "PYTHONPATH": other, "CUSTLENS_CACHE_DIR": other_cache}
    subprocess.run(ask, check=True, capture_output=True, env=env)
    timed(ask, 1, this_cache)
    this, them = [], []
    for _ in range(runs):
        this.append(timed(ask, 1, this_cache))
        t0 = time.perf_counter()
        subprocess.run(ask, check=True, capture_output=True, env=env)
        them.append(time.perf_counter() - t0)
    return statistics.median(this), statistics.median(them)


def main() -> None:
    exe = shutil.which("custlens") or str(Path(sys.executable).parent / "custlens")
    ask = [exe, "ask", "total revenue by country", "--demo"]
    cache = tempfile.mkdtemp()
    bare = timed([sys.executable, "-c", "pass"], 5, cache)
    help_s = timed([exe, "--help"], 7, cache)
    timed(ask, 1, cache)  # fits the router and caches it
    ask_s = timed(ask, 5, cache)
    cold_s = timed(ask, 3, cache, empty_cache=True)
    print(f"python itself          {bare:6.3f} s")
    print(f"custlens --help        {help_s:6.3f} s   target 0.3 s   ratio to target {help_s / 0.3:.2f}")
    print(f"first answer (--demo)  {ask_s:6.3f} s   target 2.0 s   ratio to target {ask_s / 2.0:.2f}")
    print(f"  with the router fitted first (empty cache: after installing or changing a plugin)  {cold_s:6.3f} s")
    print(f"  without a bytecode cache (PYTHONDONTWRITEBYTECODE=1: every module compiled each time)  "
          f"{timed(ask, 5, cache, bytecode=False):6.3f} s")
    if "--against" in sys.argv:
        this, them = against(sys.argv[sys.argv.index("--against") + 1], cache)
        print(f"first answer by turns  this {this:6.3f} s   against {them:6.3f} s   ratio {this / them:.2f}")
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(PYCACHE, ignore_errors=True)


if __name__ == "__main__":
    main()

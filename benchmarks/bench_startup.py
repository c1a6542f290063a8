"""Start-up: `custlens --help` and the first answer of `custlens ask` on the demo.

Targets: --help under 0.3 s, first answer under 2 s (heavy libraries are imported lazily).
Each is the median of several fresh processes.

    python benchmarks/bench_startup.py
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def timed(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    exe = shutil.which("custlens") or str(Path(sys.executable).parent / "custlens")
    bare = timed([sys.executable, "-c", "pass"], 5)
    help_s = timed([exe, "--help"], 7)
    ask_s = timed([exe, "ask", "total revenue by country", "--demo"], 5)
    print(f"python itself          {bare:6.3f} s")
    print(f"custlens --help        {help_s:6.3f} s   target 0.3 s   ratio to target {help_s / 0.3:.2f}")
    print(f"first answer (--demo)  {ask_s:6.3f} s   target 2.0 s   ratio to target {ask_s / 2.0:.2f}")


if __name__ == "__main__":
    main()

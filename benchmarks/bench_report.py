"""The full customer-analysis report on 1M customers / ~11.6M order lines (the demo store as
Parquet): load, every section the installed analyses allow, recommendations, charts embedded,
written as HTML. Prints the wall time and peak memory of one fresh process, the time of each
section, and the ratio to the target named below.

Targets (issue 20): under 72 s and under 4 GB at its peak (ratio < 1 is met); the report of
issue 4 (completes in under 10 minutes) is the same run.

    CUSTLENS_BENCH_DATA=/work/bench-data flock /tmp/custlens-bench.lock .venv/bin/python benchmarks/bench_report.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _data import demo_parquet  # noqa: E402
from _measure import measure  # noqa: E402

TARGET_SECONDS = 72.0
TARGET_MB = 4096.0

CODE = """
import time
from custlens import Session
from custlens.plugins.report import build_report, write

folder = {folder!r}
session = Session(data=[folder + "/" + name for name in
                        ("orders.parquet", "customers.parquet", "feedback.parquet", "touchpoints.parquet")])
loaded = time.perf_counter() - t0
times, last = {{}}, [time.perf_counter(), None]

def step(done, title):
    now = time.perf_counter()
    if last[1] is not None:
        times[last[1]] = round(now - last[0], 2)
    last[0], last[1] = now, title

report = build_report(session, progress=step)
step(0, None)
t_write = time.perf_counter()
path = write(report, {out!r})[0]
result = {{"load": round(loaded, 2), "sections": times, "write": round(time.perf_counter() - t_write, 2),
           "present": [p.section.title for p in report.present], "bytes": path.stat().st_size}}
"""


def main() -> None:
    import os

    folder = demo_parquet(1_000_000)
    before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        run = measure(CODE.format(folder=str(folder), out=str(Path(tmp) / "report.html")))
    r = run["result"]
    print(f"report on 1,000,000 customers ({folder}); load average {before:.1f} at the start, "
          f"{os.getloadavg()[0]:.1f} at the end")
    print(f"  load {r['load']:.2f} s; write HTML {r['write']:.2f} s ({r['bytes'] / 1e6:.1f} MB)")
    for title, seconds in r["sections"].items():
        print(f"  {title:<32} {seconds:8.2f} s")
    print(f"  sections present: {len(r['present'])} ({', '.join(r['present'])})")
    print(f"  custlens   {run['seconds']:8.2f} s   peak {run['peak_mb']:8.0f} MB   target {TARGET_SECONDS:.0f} s, "
          f"{TARGET_MB:.0f} MB   ratio to target {run['seconds'] / TARGET_SECONDS:.2f} (time), "
          f"{run['peak_mb'] / TARGET_MB:.2f} (memory)")


if __name__ == "__main__":
    main()

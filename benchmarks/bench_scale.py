"""The scale curve (issue 21): RFM segmentation and monthly cohort retention through
``Session.ask`` at growing numbers of order lines, on the embedded DuckDB and on Spark local[2]
(Spark reads the Parquet files itself: ``Session(data=[...], engine="spark")``), each engine and
size in a fresh process; wall time (load, RFM, cohort) and peak memory, and how time grows with
lines.

    CUSTLENS_BENCH_DATA=/work/bench-data flock /tmp/custlens-bench.lock \
        .venv/bin/python benchmarks/bench_scale.py [--sizes 1 10 50] [--engines duckdb spark]

Sizes are millions of order lines. The orders of a size are cut from (or replicated from) the
cached 1M-customer demo store (~11.6M lines), whole customers at a time: below 11.6M a hashed
share of the customers, above it copies of the store with the copy number appended to customer
and order ids (so 50M lines are ~4.3M distinct customers). Written once to
``$CUSTLENS_BENCH_DATA/scale_<N>M/orders.parquet``.

The local Spark's heap is ``custlens.spark_engine.driver_memory()`` (4g here; set
CUSTLENS_SPARK_DRIVER_MEMORY to compare); each Spark line says how many rows each answer brought
back to Python (``Provenance.rows_collected``).

Peak memory: the VmHWM of the Python process. On Spark local the work runs in a JVM that
process starts (a child process): its own VmHWM is read before the session closes and printed
beside (``jvm``); the two are not additive peaks in time but their sum bounds the footprint.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _data import DATA, demo_parquet  # noqa: E402
from _measure import measure  # noqa: E402

BASE_CUSTOMERS = 1_000_000

CHILD = """
import os, time
from custlens import Session

def jvm_peak_mb():
    # the JVM the local Spark starts is a child of this process: its own high-water mark
    peak = 0
    kids = set()
    for task in os.listdir("/proc/self/task"):
        try:
            kids.update(open(f"/proc/self/task/{{task}}/children").read().split())
        except OSError:
            pass
    for pid in kids:
        try:
            status = open(f"/proc/{{pid}}/status").read()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM"):
                peak = max(peak, int(line.split()[1]) / 1024)
    return peak

t = time.perf_counter()
s = Session(data=["transactions={orders}"], engine={engine!r}, entry_points=False)
load = time.perf_counter() - t
print(f"@@STEP@@ load {{load:.1f}}", flush=True)
times, shapes, back = {{}}, {{}}, {{}}
for key, question in (("rfm", "run an RFM analysis"), ("cohort", "monthly cohort retention")):
    t = time.perf_counter()
    a = s.ask(question)
    times[key] = time.perf_counter() - t
    print(f"@@STEP@@ {{key}} {{times[key]:.1f}}", flush=True)
    shapes[key] = [a.analysis] + [(tb.name, tb.total_rows) for tb in a.tables][:3]
    back[key] = a.provenance.rows_collected  # rows the engine sent back (None on DuckDB)
jvm = jvm_peak_mb()
s.close()
result = {{"load": load, **times, "jvm_mb": jvm, "shapes": shapes, "back": back}}
"""


def orders_for(millions: float) -> tuple[Path, int]:
    """The orders Parquet file of ~``millions`` M lines, and its exact line count."""
    import duckdb

    out = DATA / f"scale_{millions:g}M" / "orders.parquet"
    if not out.exists():
        base = demo_parquet(BASE_CUSTOMERS) / "orders.parquet"
        con = duckdb.connect()
        base_lines = con.execute(f"SELECT count(*) FROM '{base}'").fetchone()[0]
        share = millions * 1e6 / base_lines
        whole, part = int(share), share - int(share)
        parts = []
        for copy in range(whole + (1 if part > 1e-9 else 0)):
            keep = "" if copy < whole else f"WHERE hash(customer_id) % 10000 < {round(part * 10000)}"
            suffix = "" if copy == 0 else f"~{copy}"
            parts.append(f"SELECT * REPLACE (customer_id || '{suffix}' AS customer_id, order_id || '{suffix}' "
                         f"AS order_id) FROM '{base}' {keep}")
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(".tmp")
        print(f"writing {out} ({millions:g}M lines from {base_lines:,})...", flush=True)
        con.execute(f"COPY ({' UNION ALL '.join(parts)}) TO '{tmp}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)")
        tmp.rename(out)
        con.close()
    import duckdb

    return out, duckdb.sql(f"SELECT count(*) FROM '{out}'").fetchall()[0][0]


def load_average() -> str:
    return " ".join(open("/proc/loadavg").read().split()[:3])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=float, nargs="+", default=[1, 10], help="millions of order lines")
    ap.add_argument("--engines", nargs="+", default=["duckdb", "spark"], choices=["duckdb", "spark"])
    ap.add_argument("--timeout", type=float, default=None, help="seconds a size may take on an engine")
    args = ap.parse_args()
    rows = []
    if "spark" in args.engines:
        from custlens.spark_engine import driver_memory

        print(f"Spark local[2], driver heap {driver_memory()} (CUSTLENS_SPARK_DRIVER_MEMORY)")
    print(f"{'engine':7} {'lines':>11} {'load':>7} {'RFM':>8} {'cohort':>8} {'peak py':>9} {'peak jvm':>9}  load avg")
    for millions in args.sizes:
        orders, lines = orders_for(millions)
        for engine in args.engines:
            code = CHILD.format(orders=orders, engine=None if engine == "duckdb" else "spark")
            before = load_average()
            t = time.perf_counter()
            try:
                run = measure(code, timeout=args.timeout)
            except subprocess.TimeoutExpired as exc:
                out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
                reached = ", ".join(f"{line.split()[1]} {line.split()[2]} s" for line in out.splitlines()
                                    if line.startswith("@@STEP@@")) or "nothing"
                print(f"{engine:7} {lines:>11,} did not finish within {args.timeout:.0f} s; reached: {reached}  "
                      f"load avg {before} -> {load_average()}", flush=True)
                continue
            except RuntimeError as exc:
                print(f"{engine:7} {lines:>11,} FAILED after {time.perf_counter() - t:.0f} s: "
                      f"{str(exc).strip().splitlines()[-1][:200]}", flush=True)
                continue
            r = run["result"]
            jvm = f"{r['jvm_mb']:7.0f} MB" if engine == "spark" else "        -"
            back = f"  rows back RFM {r['back']['rfm']:,}, cohort {r['back']['cohort']:,}" if engine == "spark" else ""
            print(f"{engine:7} {lines:>11,} {r['load']:6.1f}s {r['rfm']:7.1f}s {r['cohort']:7.1f}s "
                  f"{run['peak_mb']:6.0f} MB {jvm}  {before} -> {load_average()}{back}", flush=True)
            rows.append({"engine": engine, "lines": lines, **r, "peak_mb": run["peak_mb"]})
    print()
    for engine in args.engines:
        got = sorted((r for r in rows if r["engine"] == engine), key=lambda r: r["lines"])
        for a, b in zip(got, got[1:]):
            x = b["lines"] / a["lines"]
            print(f"{engine}: lines x{x:.1f} ({a['lines']:,} -> {b['lines']:,}): RFM time x{b['rfm'] / a['rfm']:.1f}, "
                  f"cohort time x{b['cohort'] / a['cohort']:.1f}, peak x{b['peak_mb'] / a['peak_mb']:.1f}")
    for lines in sorted({r["lines"] for r in rows}):
        pair = {r["engine"]: r for r in rows if r["lines"] == lines}
        if len(pair) == 2:
            d, s = pair["duckdb"], pair["spark"]
            same = d["shapes"] == s["shapes"]
            print(f"{lines:,} lines: Spark/DuckDB time RFM {s['rfm'] / d['rfm']:.1f}x, cohort "
                  f"{s['cohort'] / d['cohort']:.1f}x; same tables (names, row counts): {same}")
            if not same:
                print(f"  duckdb {d['shapes']}\n  spark  {s['shapes']}")


if __name__ == "__main__":
    main()

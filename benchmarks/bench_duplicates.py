"""What counting exact duplicate order lines once costs: the same orders file (1M lines by default,
1% of them exact repeats of another line) loaded through ``Session`` twice, with the default
``duplicate_lines = "once"`` (the transactions view reads ``SELECT DISTINCT *`` of the lines) and
with ``duplicate_lines = "keep"`` in a custlens.toml next to it (the view reads the lines as they
are); then the same queries on both, each the median of several runs:

- the count of duplicate lines, made once per loaded data (``Dataset._duplicate_lines``);
- a sales query over the ``transactions`` view (revenue, orders and customers per product);
- the shared per-order table (``Dataset.per_order_table``), which every per-customer analysis reads;
- the whole overview answer (``Session.ask("overview")``, its shared tables dropped between runs).

    flock /tmp/custlens-bench.lock .venv/bin/python benchmarks/bench_duplicates.py [--lines 1000000] \
        [--formats csv parquet] [--runs 5]

The data is generated in DuckDB (no download) into a temporary folder, removed at the end.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import duckdb

from custlens import Session

SALES = """SELECT product, sum(amount) AS revenue, count(DISTINCT order_id) AS orders,
                  count(DISTINCT customer_id) AS customers FROM transactions GROUP BY 1"""


def make_orders(folder: Path, lines: int, fmt: str) -> Path:
    """``lines`` order lines: ~2.5 lines per order, 1% of the lines an exact repeat of another."""
    base = int(lines / 1.01)
    path = folder / f"orders.{fmt}"
    con = duckdb.connect()
    con.execute(f"""
        CREATE TABLE l AS
        SELECT 'O' || (i // 5 * 2 + (i % 5 > 2)::INT) AS order_id, 'C' || ((i // 5 * 7919) % {max(base // 6, 1)}) AS customer_id,
               DATE '2023-01-01' + INTERVAL (i // 5 % 730) DAY AS order_date, 'P' || (hash(i) % 500) AS product,
               1 + hash(i * 3) % 4 AS quantity, round(1 + (hash(i * 7) % 20000) / 100, 2) AS amount,
               CASE WHEN i % 97 = 0 THEN 'voided' WHEN i % 89 = 0 THEN 'pending' ELSE 'paid' END AS status
        FROM range({base}) t(i)""")
    con.execute(f"INSERT INTO l SELECT * FROM l USING SAMPLE {lines - base} ROWS (reservoir, 7)")
    if fmt == "csv":
        con.execute(f"COPY (SELECT * FROM l ORDER BY random()) TO '{path}' (HEADER)")
    else:
        con.execute(f"COPY (SELECT * FROM l ORDER BY random()) TO '{path}' (FORMAT parquet)")
    con.close()
    return path


def fresh_tables(s: Session) -> None:
    """Drop what the loaded data computed once (per-order table, overview sums) so the next run
    makes it again: a new data version (the answers the Session kept are keyed by it too)."""
    s.dataset._new_version()


def measure(path: Path, runs: int) -> dict:
    """Both sessions loaded, then each step run alternately on one and the other (keep, once,
    keep, once...): a machine whose load changes during the run weighs on both alike."""
    Session(data=[str(path)], entry_points=False).ask("overview")  # warm: the router and the file cache
    sessions, out = {}, {}
    for mode in ("keep", "once"):
        folder = path.parent / mode
        folder.mkdir(exist_ok=True)
        os.link(path, folder / path.name)  # the same file (a symlink would resolve to the folder without the toml)
        (folder / "custlens.toml").write_text(f'[definitions]\nduplicate_lines = "{mode}"\n')
        t = time.perf_counter()
        s = Session(data=[str(folder / path.name)], entry_points=False)
        s.dataset.check()
        load = time.perf_counter() - t
        src = s.dataset.sources[0]
        assert src.deduplicated == (mode == "once"), (mode, src.warnings)
        sessions[mode] = s
        out[mode] = {"load": load, "lines": s.dataset.rows("SELECT count(*) FROM transactions_all")[0][0],
                     "duplicates": src.duplicate_lines}

    def count_duplicates(s):
        src = s.dataset.sources[0]
        src.duplicate_lines = None
        s.dataset._duplicate_lines(src)

    def per_order(s):
        fresh_tables(s)
        s.dataset.per_order_table()

    def overview(s):
        fresh_tables(s)
        s.ask("overview")

    steps = {"count duplicates": (count_duplicates, runs), "sales query": (lambda s: s.dataset.rows(SALES), runs),
             "per-order table": (per_order, runs), "overview": (overview, max(3, runs // 2))}
    for step, (fn, n) in steps.items():
        times = {"keep": [], "once": []}
        for _ in range(n):
            for mode in ("keep", "once"):
                t = time.perf_counter()
                fn(sessions[mode])
                times[mode].append(time.perf_counter() - t)
        for mode in times:
            out[mode][step] = statistics.median(times[mode])
    for s in sessions.values():
        s.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--formats", nargs="+", default=["csv", "parquet"], choices=["csv", "parquet"])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    for fmt in args.formats:
        folder = Path(tempfile.mkdtemp(prefix="custlens-dups-"))
        try:
            path = make_orders(folder, args.lines, fmt)
            r = measure(path, args.runs)
            once, keep = r["once"], r["keep"]
            print(f"\n{fmt}: {keep['lines']:,} lines, {once['duplicates']:,} exact duplicates "
                  f"(counted once: {once['lines']:,} lines in the view)")
            print(f"  load + checks: keep {keep['load']:.2f} s, once {once['load']:.2f} s; counting the duplicates "
                  f"(in both, once per loaded data): {once['count duplicates']:.3f} s")
            print(f"  {'step':<18}{'keep (s)':>10}{'once (s)':>10}{'ratio':>8}")
            for step in ("sales query", "per-order table", "overview"):
                a, b = keep[step], once[step]
                print(f"  {step:<18}{a:>10.3f}{b:>10.3f}{b / a:>8.2f}")
        finally:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

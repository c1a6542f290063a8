"""PostgreSQL: overview and cohort pushed down to the database (``--engine postgresql://``) against
pulling the orders table into the embedded DuckDB first (the way without an engine: read the
table out over the wire, then analyse it locally).

A throwaway PostgreSQL 15 (tests/postgres_server.py) holds the demo store's orders; the figures
are the median of ``--runs`` runs, each in this process with a fresh Session.

    python benchmarks/bench_postgres.py                 # 1,036,638 order lines (90,000 demo customers)
    python benchmarks/bench_postgres.py --customers 20000
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


def main() -> None:
    import pandas as pd
    import psycopg

    import postgres_server
    from custlens import demo
    from custlens.session import Session

    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=90_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    t0 = time.perf_counter()
    store = demo.generate(customers=args.customers, seed=42)
    orders = store.tables["orders"]
    print(f"demo store: {len(orders):,} order lines, {args.customers:,} customers "
          f"({time.perf_counter() - t0:.1f} s to generate)")
    server = postgres_server.start()
    try:
        t0 = time.perf_counter()
        postgres_server.load_demo(server.url, SimpleNamespace(tables={"orders": orders}))
        with psycopg.connect(server.url, autocommit=True) as conn:
            conn.execute("ANALYZE shop.orders")
        print(f"loaded into PostgreSQL in {time.perf_counter() - t0:.1f} s")

        collected: dict[str, int] = {}

        def pushed(analysis: str) -> float:
            t = time.perf_counter()
            s = Session(data=["transactions=pg:shop.orders"], engine=server.url, entry_points=False)
            collected[analysis] = s.run(analysis, {}).provenance.rows_collected  # what came back over the wire
            s.close()
            return time.perf_counter() - t

        def pulled(analysis: str) -> float:
            t = time.perf_counter()
            with psycopg.connect(server.url) as conn, conn.cursor() as cur:
                cur.execute("SELECT * FROM shop.orders")
                frame = pd.DataFrame(cur.fetchall(), columns=[d.name for d in cur.description])
            s = Session(entry_points=False)
            s.dataset.add_frame("orders", frame, "transactions")
            s.run(analysis, {})
            s.close()
            return time.perf_counter() - t

        for analysis in ("overview", "cohort"):
            a = [pushed(analysis) for _ in range(args.runs)]
            b = [pulled(analysis) for _ in range(args.runs)]
            ma, mb = statistics.median(a), statistics.median(b)
            print(f"{analysis:9} pushed down {ma:7.2f} s   pulled into DuckDB {mb:7.2f} s   ratio {ma / mb:.2f}   "
                  f"rows back pushed down {collected[analysis]:,} (pulled: {len(orders):,})")
    finally:
        server.stop()


if __name__ == "__main__":
    main()

"""Issue 20: each question through ``Session`` against the bare DuckDB query that computes what it
asked, in the same process and run, on the demo store's order lines (Parquet; 1M customers is
~11.6M lines), after the load checks that the first question pays (timed apart); then the same
question again, a follow-up that only re-renders, and loading.

    .venv/bin/python benchmarks/bench_speed.py [--customers 1000000] [--telco ../shared/data/telco_churn.csv]

Targets (issue 20): each question within 1.5x of its bare query; the same question again and a
presentation-only follow-up < 0.3 s; load < 1 s; churn follow-up on telco_churn.csv < 1 s.
Bare and custlens alternate question by question, so both see the same machine load."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _data import demo_parquet  # noqa: E402

BARE = {
    "how many customers do we have":
        "SELECT count(DISTINCT customer_id), count(DISTINCT order_id), count(*), sum(amount) FROM {f} WHERE amount >= 0",
    "revenue by month":
        "SELECT date_trunc('month', order_date) AS m, sum(amount) FROM {f} WHERE amount >= 0 GROUP BY 1 ORDER BY 1",
    "top 10 products":
        "SELECT product, sum(amount) FROM {f} WHERE amount >= 0 GROUP BY 1 ORDER BY 2 DESC LIMIT 10",
    "run an RFM analysis":
        "WITH o AS (SELECT customer_id, order_id, max(order_date) AS d, sum(amount) AS a FROM {f} "
        "WHERE amount >= 0 AND customer_id IS NOT NULL GROUP BY 1, 2), "
        "c AS (SELECT customer_id, max(d) AS last, count(*) AS f, sum(a) AS m FROM o GROUP BY 1) "
        "SELECT ntile(5) OVER (ORDER BY last), ntile(5) OVER (ORDER BY f), ntile(5) OVER (ORDER BY m) FROM c",
    "monthly cohort retention":
        "WITH a AS (SELECT customer_id, date_trunc('month', order_date) AS p FROM {f} WHERE amount >= 0 "
        "AND customer_id IS NOT NULL GROUP BY 1, 2), f AS (SELECT customer_id, min(p) AS c FROM a GROUP BY 1) "
        "SELECT f.c, datediff('month', f.c, a.p) AS k, count(*) FROM a JOIN f USING (customer_id) GROUP BY 1, 2",
}


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=1_000_000)
    here = Path(__file__).resolve()
    telco = next((p for p in (here.parents[2] / "shared" / "data" / "telco_churn.csv",  # ../shared from a checkout
                              here.parents[3] / "shared" / "data" / "telco_churn.csv")  # ../../shared from a worktree
                  if p.exists()), here.parents[2] / "shared" / "data" / "telco_churn.csv")
    ap.add_argument("--telco", default=str(telco))
    args = ap.parse_args()
    folder = demo_parquet(args.customers)
    orders = folder / "orders.parquet"
    import duckdb

    from custlens import Session

    import os

    print(f"load average {os.getloadavg()[0]:.1f} at the start")
    load, s = timed(lambda: Session(data=[str(orders)], entry_points=False))
    print(f"{args.customers:,} customers, {orders}\n  load {load:.2f} s (target < 1 s)", flush=True)
    # the checks that read every line wait for the first question that needs them (issue 20, item 4):
    # timed apart, so each question's ratio is its own; the first question a person asks pays them too
    checks, _ = timed(s.dataset.check)
    print(f"  deferred load checks {checks:.2f} s, paid once by the first question that reads the lines", flush=True)
    con = duckdb.connect()
    f = f"read_parquet('{orders}')"
    print(f"\n  {'question':<34} {'custlens':>9} {'bare':>8} {'ratio':>6}   again   SQL again")
    for question, sql in BARE.items():
        ours, _ = timed(lambda: s.ask(question))
        bare, _ = timed(lambda: con.execute(sql.format(f=f)).fetchall())
        n = len(s.dataset.sql_log)
        again, _ = timed(lambda: s.ask(question))
        print(f"  {question:<34} {ours:8.2f}s {bare:7.2f}s {ours / bare:6.2f}   {again:5.3f}s  "
              f"{len(s.dataset.sql_log) - n}", flush=True)
    s.chat("run an RFM analysis")
    follow, _ = timed(lambda: s.chat("go back"))
    print(f"\n  a follow-up that only re-renders (\"go back\") {follow:.3f} s (target < 0.3 s)")
    f2 = s.fork()
    forked, _ = timed(lambda: f2.ask("how many customers do we have"))
    print(f"  the same question in another conversation (fork): {forked:.3f} s (shared aggregates)")
    if Path(args.telco).exists():
        t = Session(data=[f"customers={args.telco}"], entry_points=False)
        first, _ = timed(lambda: t.ask("why do customers churn?"))
        follow, _ = timed(lambda: t.ask("churn by contract type"))
        print(f"\n  churn on {Path(args.telco).name}: first {first:.2f} s, \"churn by contract type\" after it "
              f"{follow:.2f} s (target < 1 s; models reused {t.dataset.shared.reused})")
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()

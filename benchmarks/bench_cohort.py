"""Monthly cohort retention matrix on the 1M-customer demo store (about 11.6M order lines of
Parquet): custlens against the pandas way (read the Parquet file, groupby) and against the bare
DuckDB query that computes the same matrix, each in a fresh process, side by side in one run.

Targets: at least 5x faster than pandas; within 1.5x of the bare query. custlens's time includes
loading the file into a Session (roles, canonical views and the one-pass checks every load makes);
the analysis alone is also reported against the bare query alone.

    CUSTLENS_BENCH_DATA=/work/bench-data flock /tmp/custlens-bench.lock \\
        .venv/bin/python benchmarks/bench_cohort.py [--customers 1000000] [--repeat 2]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _data import demo_parquet  # noqa: E402
from _measure import measure, report  # noqa: E402

#: every contender ends with the same check figures: cohorts, customers, active customer-months,
#: and month-3 retention pooled over the cohorts observed at month 3
CUSTLENS = """
import time
from custlens import Session
s = Session(data=[{path!r}], entry_points=False)
loaded = time.perf_counter()
a = s.run("cohort", {{"grain": "month", "metric": "retention"}})
long = a.table("cohort_periods").frame
m3 = long[long.period == 3]
result = {{"cohorts": int(a.table("cohort_matrix").total_rows), "customers": int(long[long.period == 0].cohort_customers.sum()),
          "active": int(long.active.sum()), "month3": round(float(m3.active.sum() / m3.cohort_customers.sum()), 6),
          "analysis_seconds": time.perf_counter() - loaded}}
"""

BARE = """
import time
import duckdb
con = duckdb.connect()
started = time.perf_counter()
cells = con.execute('''
    WITH a AS (SELECT customer_id, date_trunc('month', order_date) AS p FROM read_parquet({path!r})
               WHERE customer_id IS NOT NULL AND NOT (coalesce(quantity < 0, false) OR coalesce(amount < 0, false))
               GROUP BY 1, 2),
    f AS (SELECT customer_id, min(p) AS c FROM a GROUP BY 1)
    SELECT f.c AS cohort, datediff('month', f.c, a.p) AS k, count(*) AS n FROM a JOIN f USING (customer_id) GROUP BY 1, 2
''').df()
matrix = cells.pivot_table(index="cohort", columns="k", values="n")
retention = matrix.div(matrix[0], axis=0)
m3 = matrix[3].dropna()
result = {{"cohorts": len(matrix), "customers": int(matrix[0].sum()), "active": int(cells.n.sum()),
          "month3": round(float(m3.sum() / matrix.loc[m3.index, 0].sum()), 6),
          "analysis_seconds": time.perf_counter() - started}}
"""

PANDAS = """
import pandas as pd
df = pd.read_parquet({path!r}, columns=["customer_id", "order_date", "quantity", "amount"])
sales = df[df.customer_id.notna() & ~((df.quantity < 0) | (df.amount < 0))]
months = sales.order_date.dt.year * 12 + sales.order_date.dt.month - 1
active = pd.DataFrame({{"customer_id": sales.customer_id, "month": months}}).drop_duplicates()
active["cohort"] = active.groupby("customer_id").month.transform("min")
active["k"] = active.month - active.cohort
matrix = active.groupby(["cohort", "k"]).size().unstack()
retention = matrix.div(matrix[0], axis=0)
m3 = matrix[3].dropna()
result = {{"cohorts": len(matrix), "customers": int(matrix[0].sum()), "active": int(matrix.sum().sum()),
          "month3": round(float(m3.sum() / matrix.loc[m3.index, 0].sum()), 6)}}
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    path = demo_parquet(args.customers) / "orders.parquet"
    print(f"data: {path} ({path.stat().st_size / 1e6:.0f} MB)")
    ours = measure(CUSTLENS.format(path=str(path)), args.repeat)
    bare = measure(BARE.format(path=str(path)), args.repeat)
    peer = measure(PANDAS.format(path=str(path)), args.repeat)
    title = f"monthly cohort retention matrix, {args.customers:,} customers"
    report(f"{title}: against pandas (target: 5x faster)", ours, peer, "pandas")
    report(f"{title}: against the bare DuckDB query (target: within 1.5x)", ours, bare, "bare query")
    a, b = ours["result"].pop("analysis_seconds"), bare["result"].pop("analysis_seconds")
    print(f"\n  analysis alone (after loading): custlens {a:.2f} s, bare query {b:.2f} s, ratio {a / b:.2f}")
    same = ours["result"] == peer["result"] == bare["result"]
    print(f"  same figures: {same}  custlens {ours['result']}")
    if not same:
        print(f"                pandas   {peer['result']}\n                bare     {bare['result']}")


if __name__ == "__main__":
    main()

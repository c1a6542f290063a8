"""RFM + k-means on the 1M-customer demo store (~11.6M order lines of Parquet): custlens's
``segmentation`` (method=kmeans, k=5) against the same computation written the common pandas way
(read the Parquet, groupby on the raw lines for recency / frequency / monetary, quintile scores,
then the same k-means: standardised log R, F, M, fitted on 50,000 customers, predicting all), each
in a fresh process, side by side in one run.

Targets: custlens at least 5x faster than pandas, under 4 GB peak memory.

custlens does more than the peer: it loads the file through the Dataset (role inference and
diagnostics), scores and names RFM segments, saves the labels, and builds the SALES canvas and
the growth ranking. k-means is fitted on a sample in both, so the clustering does not dominate.

A third process measures a floor: the bare DuckDB query for orders, last order and revenue per
customer on the file (two-phase, as exact as custlens's) plus importing scikit-learn's KMeans,
with nothing else. No DuckDB + scikit-learn implementation can be faster than that on this
machine, so pandas' time over the floor is the largest speed-up within reach.

    CUSTLENS_BENCH_DATA=/work/bench-data flock /tmp/custlens-bench.lock \\
        .venv/bin/python benchmarks/bench_segmentation.py
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _data import demo_parquet  # noqa: E402
from _measure import measure, report, same  # noqa: E402

CUSTLENS = """
from custlens import Session
s = Session(data=[{path!r}], entry_points=False)
a = s.run("segmentation", {{"method": "kmeans", "k": 5}})
t = a.table("segments").frame
result = {{"customers": int(t["customers"].sum()), "revenue": round(float(t["revenue"].sum()), 2),
          "clusters": len(t)}}
"""

PANDAS = """
import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
df = pd.read_parquet({path!r}, columns=["customer_id", "order_id", "order_date", "quantity", "amount"])
sales = df[(df.quantity >= 0) & (df.amount >= 0)]  # returns kept apart, as custlens does
rfm = sales.groupby("customer_id").agg(last=("order_date", "max"), frequency=("order_id", "nunique"),
                                       monetary=("amount", "sum"))
rfm["recency"] = (rfm["last"].max().normalize() - rfm["last"].dt.normalize()).dt.days
for col, ascending in (("recency", False), ("frequency", True), ("monetary", True)):
    order = rfm[col].rank(method="first", ascending=ascending)
    tile = pd.qcut(order, 5, labels=False) + 1
    rfm[col[0] + "_score"] = tile.groupby(rfm[col]).transform("min")
x = np.log1p(rfm[["recency", "frequency", "monetary"]].astype(float))
x = ((x - x.mean()) / x.std(ddof=0)).to_numpy()
rng = np.random.default_rng(0)
fit_on = x[rng.choice(len(x), 50_000, replace=False)]
labels = KMeans(5, n_init=4, random_state=0).fit(fit_on).predict(x)
result = {{"customers": len(rfm), "revenue": round(float(rfm["monetary"].sum()), 2),
          "clusters": len(set(labels))}}
"""

FLOOR = """
import duckdb
con = duckdb.connect()
customers = con.execute('''
    SELECT count(*), sum(orders), max(last), sum(revenue) FROM (SELECT customer_id, count(*) AS orders,
           max(last) AS last, sum(revenue) AS revenue
    FROM (SELECT customer_id, order_id, max(order_date) AS last, sum(amount) AS revenue FROM read_parquet({path!r})
          WHERE customer_id IS NOT NULL AND NOT (coalesce(quantity < 0, false) OR coalesce(amount < 0, false))
          GROUP BY 1, 2) GROUP BY 1)''').fetchall()[0][0]
from sklearn.cluster import KMeans  # noqa: F401
result = {{"customers": customers}}
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    path = demo_parquet(args.customers) / "orders.parquet"
    print(f"data: {path} ({path.stat().st_size / 1e6:.0f} MB, {args.customers:,} customers)")
    ours = measure(CUSTLENS.format(path=str(path)), args.repeat)
    peer = measure(PANDAS.format(path=str(path)), args.repeat)
    floor = measure(FLOOR.format(path=str(path)), args.repeat)
    report(f"RFM + k-means (k=5) on {args.customers:,} customers", ours, peer, "pandas")
    print(f"  target: 5x faster, under 4,096 MB peak -> speed-up {peer['seconds'] / ours['seconds']:.1f}x, "
          f"peak {ours['peak_mb']:.0f} MB")
    print(f"  floor (bare per-customer query + scikit-learn import) {floor['seconds']:.2f} s: pandas / floor = "
          f"{peer['seconds'] / floor['seconds']:.1f}x, the largest speed-up within reach here")
    same("figures", ours, peer, "pandas")


if __name__ == "__main__":
    main()

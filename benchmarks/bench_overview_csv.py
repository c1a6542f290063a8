"""Load + overview of a 2M-line orders CSV: custlens versus pandas.read_csv + groupby doing the
same work (headline figures, top products/categories/countries, revenue by month), each in a
fresh process, side by side in one run.

The work is what custlens's overview computes unasked since issue 20: the headline's exact
distinct orders and customers over every purchase, and per product, category, country and month
the sums (revenue, its share) only. The pandas peer counted distinct orders and customers per
product, category, country and month too until 2026-12-03; it does the same work now (those per
group counts, asked by name, are "orders by product" in custlens).

Targets: custlens at least 3x faster and at most half of pandas' peak memory.

    python benchmarks/bench_overview_csv.py [--lines 2000000]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _measure import measure, report, same  # noqa: E402

from _data import DATA  # noqa: E402 - CUSTLENS_BENCH_DATA, else benchmarks/.data

CUSTLENS = """
from custlens import Session
s = Session(data=[{path!r}], entry_points=False)
a = s.ask("give me an overview of the data")
h = dict(a.table("headline").rows)
result = {{"revenue": round(h["revenue"], 2), "orders": h["orders"], "customers": h["customers"],
          "top_product": a.table("by_product").rows[0][0], "months": a.table("by_month").total_rows}}
"""

PANDAS = """
import pandas as pd
df = pd.read_csv({path!r}, parse_dates=["order_date"])
sales = df[(df.quantity > 0) & (df.amount > 0)]
head = dict(customers=sales.customer_id.nunique(), orders=sales.order_id.nunique(), revenue=sales.amount.sum(),
            first=sales.order_date.min(), last=sales.order_date.max())
tops = {{}}
for dim in ("product", "category", "country"):
    g = sales.groupby(dim).agg(revenue=("amount", "sum")).sort_values("revenue", ascending=False)
    g["share"] = g.revenue / g.revenue.sum()
    tops[dim] = g
monthly = sales.groupby(sales.order_date.dt.to_period("M")).agg(revenue=("amount", "sum"))
result = {{"revenue": round(float(head["revenue"]), 2), "orders": int(head["orders"]),
          "customers": int(head["customers"]), "top_product": tops["product"].index[0], "months": len(monthly)}}
"""


def make_csv(lines: int) -> Path:
    path = DATA / f"orders_{lines}.csv"
    if path.exists():
        return path
    from custlens import demo

    DATA.mkdir(parents=True, exist_ok=True)
    customers = max(1000, lines // 12)
    while True:
        store = demo.generate(customers=customers, seed=7)
        orders = store.tables["orders"]
        if len(orders) >= lines:
            break
        customers = int(customers * lines / len(orders) * 1.05)
    orders.head(lines).to_csv(path, index=False)
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=2_000_000)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    path = make_csv(args.lines)
    print(f"data: {path} ({path.stat().st_size / 1e6:.0f} MB, {args.lines:,} lines)")
    ours = measure(CUSTLENS.format(path=str(path)), args.repeat)
    peer = measure(PANDAS.format(path=str(path)), args.repeat)
    report(f"load + overview of {args.lines:,} lines", ours, peer, "pandas")
    same("figures", ours, peer, "pandas")


if __name__ == "__main__":
    main()

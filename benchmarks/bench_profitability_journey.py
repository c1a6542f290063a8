"""Profitability and the funnel on the 1M-customer demo store (Parquet, ~11.6M order lines, ~6.7M
touchpoint events): custlens (load + ``profitability`` + ``journey``) against pandas doing the same
core work (read the Parquet files; per customer: revenue, refunds, cost of goods, feedback
contacts, profit; sessions reaching each funnel stage; first- and last-touch channel of the
converting customers), each in a fresh process, side by side in one run.

No target is set; the ratio to pandas is printed.

    CUSTLENS_BENCH_DATA=/work/bench-data flock /tmp/custlens-bench.lock \\
        .venv/bin/python benchmarks/bench_profitability_journey.py [--customers 1000000]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _data import demo_parquet  # noqa: E402
from _measure import measure, report  # noqa: E402

CUSTLENS = """
from custlens import Session
d = {folder!r}
s = Session(data=[f"{{d}}/orders.parquet", f"{{d}}/customers.parquet", f"{{d}}/feedback.parquet",
                  f"{{d}}/touchpoints.parquet"], entry_points=False)
p = s.run("profitability", {{}})
h = dict(p.table("headline").rows)
j = s.run("journey", {{"by": []}})
f = j.table("funnel").frame
att = j.table("attribution").frame.set_index("channel")
result = {{"profit": round(h["profit"], 2), "loss_makers": int(h["loss-making customers"]),
          "contacts": int(p.table("customers").frame.contacts.sum()),
          "reached": [int(x) for x in f.reached], "first_touch": {{k: int(v) for k, v in att.first_touch.items()}},
          "last_touch": {{k: int(v) for k, v in att.last_touch.items()}}}}
"""

PANDAS = """
import pandas as pd
d = {folder!r}
o = pd.read_parquet(f"{{d}}/orders.parquet")
fb = pd.read_parquet(f"{{d}}/feedback.parquet", columns=["customer_id"])
ev = pd.read_parquet(f"{{d}}/touchpoints.parquet")
o["ret"] = (o.quantity < 0) | (o.amount < 0)
per = o.groupby("customer_id").agg(amount=("amount", "sum"), cost=("cost", "sum"))
per["profit"] = (per.amount - per.cost).round(2)
contacts = fb.groupby("customer_id").size()
stages = ["visit", "product_view", "add_to_cart", "checkout", "purchase"]
reached = ev.groupby("event").session_id.nunique().reindex(stages)
sessions = ev.groupby("session_id").agg(customer_id=("customer_id", "first"), ts=("timestamp", "min"),
                                        channel=("channel", "first"))
conv = ev[ev.event == "purchase"].groupby("customer_id").timestamp.min()
t = sessions[sessions.customer_id.isin(conv.index)]
t = t[t.ts <= t.customer_id.map(conv)].sort_values(["customer_id", "ts"])
g = t.groupby("customer_id").channel
result = {{"profit": round(float(per.profit.sum()), 2), "loss_makers": int((per.profit < 0).sum()),
          "contacts": int(contacts.sum()), "reached": [int(x) for x in reached],
          "first_touch": {{k: int(v) for k, v in g.first().value_counts().items()}},
          "last_touch": {{k: int(v) for k, v in g.last().value_counts().items()}}}}
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    folder = demo_parquet(args.customers)
    print(f"data: {folder}")
    ours = measure(CUSTLENS.format(folder=str(folder)), args.repeat)
    peer = measure(PANDAS.format(folder=str(folder)), args.repeat)
    report(f"load + profitability + funnel and attribution, {args.customers:,} customers", ours, peer, "pandas")
    same = ours["result"] == peer["result"]
    print(f"  same figures: {same}  custlens {ours['result']}")
    if not same:
        print(f"                pandas   {peer['result']}")


if __name__ == "__main__":
    main()

"""CLV fit + score on 1M customers (the demo store, ~11.6M order lines as Parquet), each contender
in a fresh process, side by side in one run:

- custlens end to end: load orders.parquet, RFM summary in SQL, BG/NBD + Gamma-Gamma fits, per-
  customer expected purchases, P(alive), expected spend and 12-month CLV, the whole Answer.
  Target: under 10 s.
- custlens model only: the same fits and scores from the summary table (frequency, recency, T,
  monetary per customer), which is all Lifetimes needs.
- Lifetimes: BetaGeoFitter + GammaGammaFitter fitted on that summary table, then the same
  predictions (conditional_expected_number_of_purchases_up_to_time, conditional_probability_alive,
  conditional_expected_average_profit, customer_lifetime_value). Target: custlens 10x faster.

The summary table is written once (untimed) from a custlens run. Lifetimes 0.11.3 runs unpatched
with pandas 3 / numpy 2 on this path.

    CUSTLENS_BENCH_DATA=/work/bench-data flock /tmp/custlens-bench.lock .venv/bin/python benchmarks/bench_clv.py
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _data import DATA, demo_parquet  # noqa: E402
from _measure import measure, report  # noqa: E402

HORIZON, DISCOUNT = 12, 0.01

END_TO_END = """
from custlens import Session
s = Session(data=[{orders!r}], entry_points=False)
a = s.run("clv", {{"horizon": {horizon}, "discount_rate": {discount}, "margin": 1.0}})
m = {{p: v for _, p, v in a.table("model").rows}}
h = dict(a.table("headline").rows)
result = {{"params": {{k: m[k] for k in ("r", "alpha", "a", "b", "p", "q", "v")}},
          "total_clv": h["total predicted CLV"], "customers": h["customers"]}}
"""

MODEL_ONLY = """
import numpy as np, pandas as pd
from custlens.plugins import _btyd
s = pd.read_parquet({summary!r})
(x, t_x, T), w, idx = _btyd.collapse(s["frequency"], s["recency"], s["T"])
bg = _btyd.fit_bgnbd(x, t_x, T, w)
spenders = s[(s["frequency"] > 0) & (s["monetary"] > 0)]
gg = _btyd.fit_gamma_gamma(spenders["frequency"], spenders["monetary"])
expected = _btyd.expected_purchases(bg.params, {horizon} * 30, x, t_x, T)[idx]
alive = _btyd.probability_alive(bg.params, x, t_x, T)[idx]
spend = _btyd.expected_average_spend(gg.params, s["frequency"], s["monetary"])
clv = _btyd.discounted_clv(bg.params, x, t_x, T, 1.0, {horizon}, "day", {discount})[idx] * spend
result = {{"params": {{k: float(v) for k, v in {{**bg.params, **gg.params}}.items()}}, "total_clv": float(clv.sum()),
          "customers": len(s)}}
"""

LIFETIMES = """
import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter
s = pd.read_parquet({summary!r})
bg = BetaGeoFitter().fit(s["frequency"], s["recency"], s["T"])
spenders = s[(s["frequency"] > 0) & (s["monetary"] > 0)]
gg = GammaGammaFitter().fit(spenders["frequency"], spenders["monetary"])
expected = bg.conditional_expected_number_of_purchases_up_to_time({horizon} * 30, s["frequency"], s["recency"], s["T"])
alive = bg.conditional_probability_alive(s["frequency"], s["recency"], s["T"])
spend = gg.conditional_expected_average_profit(s["frequency"], s["monetary"])
clv = gg.customer_lifetime_value(bg, s["frequency"], s["recency"], s["T"], s["monetary"], time={horizon},
                                 discount_rate={discount}, freq="D")
result = {{"params": {{k: float(v) for k, v in {{**bg.params_.to_dict(), **gg.params_.to_dict()}}.items()}},
          "total_clv": float(clv.sum()), "customers": len(s)}}
"""


def summary_table(orders: Path, customers: int) -> Path:
    """The per-customer RFM summary (what Lifetimes needs), written once from a custlens run."""
    path = DATA / f"clv_summary_{customers}.parquet"
    if not path.exists():
        from custlens import Session

        answer = Session(data=[str(orders)], entry_points=False).run("clv")
        frame = answer.table("customers").frame[["customer_id", "frequency", "recency", "T", "monetary"]]
        frame.sort_values("customer_id").to_parquet(path, index=False)
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=1_000_000)
    args = ap.parse_args()
    orders = demo_parquet(args.customers) / "orders.parquet"
    summary = summary_table(orders, args.customers)
    fill = {"orders": str(orders), "summary": str(summary), "horizon": HORIZON, "discount": DISCOUNT}
    print(f"data: {orders} ({args.customers:,} customers); summary table {summary}")
    ours = measure(END_TO_END.format(**fill))
    model = measure(MODEL_ONLY.format(**fill))
    peer = measure(LIFETIMES.format(**fill))
    print(f"\ncustlens end to end (load + SQL summary + fits + scores + answer): {ours['seconds']:.2f} s, "
          f"peak {ours['peak_mb']:.0f} MB; target < 10 s")
    report(f"fit + score from the summary table of {args.customers:,} customers", model, peer, "Lifetimes")
    print(f"  end to end against Lifetimes' fit alone: {peer['seconds'] / ours['seconds']:.1f}x")
    print("\nparameter     custlens (end to end)   custlens (model)      Lifetimes")
    for k in ("r", "alpha", "a", "b", "p", "q", "v"):
        print(f"  {k:<8} {ours['result']['params'][k]:20.6f} {model['result']['params'][k]:18.6f} "
              f"{peer['result']['params'][k]:14.6f}")
    rel = max(abs(model["result"]["params"][k] - v) / abs(v) for k, v in peer["result"]["params"].items())
    print(f"  max relative parameter difference (model vs Lifetimes): {rel:.1e}")
    print(f"  total 12-month CLV: custlens {ours['result']['total_clv']:,.0f} / {model['result']['total_clv']:,.0f}, "
          f"Lifetimes {peer['result']['total_clv']:,.0f}")


if __name__ == "__main__":
    main()

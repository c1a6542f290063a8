"""Cross-check of the clv analysis against the Lifetimes package on CDNOW (23,570 customers,
69,659 purchase lines, Jan 1997 - Jun 1998): custlens computes the RFM summary in SQL and fits
BG/NBD + Gamma-Gamma; Lifetimes computes its own summary from the same file
(summary_data_from_transaction_data, per day) and fits BetaGeoFitter + GammaGammaFitter. Prints
both summaries' agreement, the parameters side by side, a few customers' predictions and the
maximum relative difference of every per-customer prediction. Agreement to 1e-3 is expected.

    python benchmarks/bench_clv_cdnow.py [--path /work/shared/data/cdnow_master.txt]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

HORIZON, DISCOUNT = 12, 0.01  # months, monthly rate (Lifetimes' defaults)


def ours(path: str) -> tuple[pd.DataFrame, dict, float]:
    from custlens import Session

    t0 = time.perf_counter()
    answer = Session(data=[path], entry_points=False).run(
        "clv", {"horizon": HORIZON, "discount_rate": DISCOUNT, "grain": "day"})
    seconds = time.perf_counter() - t0
    frame = answer.table("customers").frame.set_index("customer_id")
    params = {p: v for _, p, v in answer.table("model").rows}
    return frame, params, seconds


def lifetimes_side(path: str) -> tuple[pd.DataFrame, dict, float]:
    from lifetimes import BetaGeoFitter, GammaGammaFitter
    from lifetimes.utils import summary_data_from_transaction_data

    t0 = time.perf_counter()
    raw = pd.read_csv(path, sep=r"\s+", dtype={"customer_id": str, "date": str})
    raw["date"] = pd.to_datetime(raw["date"], format="%Y%m%d")
    summary = summary_data_from_transaction_data(raw, "customer_id", "date", monetary_value_col="dollar_value",
                                                 freq="D")
    bg = BetaGeoFitter().fit(summary["frequency"], summary["recency"], summary["T"])
    # Gamma-Gamma needs a positive spend: the repeat buyers with monetary_value > 0 (custlens does the same)
    spenders = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
    gg = GammaGammaFitter().fit(spenders["frequency"], spenders["monetary_value"])
    out = summary.copy()
    out["expected_purchases"] = bg.conditional_expected_number_of_purchases_up_to_time(
        HORIZON * 30, summary["frequency"], summary["recency"], summary["T"])
    out["p_alive"] = bg.conditional_probability_alive(summary["frequency"], summary["recency"], summary["T"])
    out["expected_spend"] = gg.conditional_expected_average_profit(summary["frequency"], summary["monetary_value"])
    out["clv"] = gg.customer_lifetime_value(bg, summary["frequency"], summary["recency"], summary["T"],
                                            summary["monetary_value"], time=HORIZON, discount_rate=DISCOUNT, freq="D")
    seconds = time.perf_counter() - t0
    return out, {**bg.params_.to_dict(), **gg.params_.to_dict()}, seconds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--path", default="/work/shared/data/cdnow_master.txt")
    args = ap.parse_args()
    mine, my_params, my_s = ours(args.path)
    peer, peer_params, peer_s = lifetimes_side(args.path)
    peer = peer.loc[mine.index]
    print(f"CDNOW: {len(mine):,} customers; custlens {my_s:.2f} s (load + SQL summary + fits + scoring), "
          f"Lifetimes {peer_s:.2f} s (pandas summary + fits + scoring)")
    same = {c: bool(np.allclose(mine[c], peer[c if c != "monetary" else "monetary_value"], rtol=1e-12))
            for c in ("frequency", "recency", "T", "monetary")}
    print(f"RFM summary identical to Lifetimes': {same}")
    print("\nparameter        custlens        Lifetimes      rel. diff")
    worst = 0.0
    for name in ("r", "alpha", "a", "b", "p", "q", "v"):
        rel = abs(my_params[name] - peer_params[name]) / abs(peer_params[name])
        worst = max(worst, rel)
        print(f"  {name:<8} {my_params[name]:14.6f} {peer_params[name]:14.6f}   {rel:.2e}")
    cols = ["expected_purchases", "p_alive", "expected_spend", "clv"]
    print("\nfirst customers by CLV (custlens / Lifetimes):")
    for cid in mine.index[:5]:
        print(f"  {cid}  " + "   ".join(f"{c} {mine.at[cid, c]:.4f} / {peer.at[cid, c]:.4f}" for c in cols))
    print("\nmax relative difference per customer (where the Lifetimes value > 1e-6):")
    for c in cols:
        keep = np.abs(peer[c].to_numpy()) > 1e-6
        rel = np.max(np.abs(mine[c].to_numpy()[keep] - peer[c].to_numpy()[keep]) / np.abs(peer[c].to_numpy()[keep]))
        worst = max(worst, rel)
        print(f"  {c:<20} {rel:.2e}")
    print(f"\nworst relative difference {worst:.2e}: {'agrees' if worst < 1e-3 else 'DOES NOT agree'} to 1e-3")


if __name__ == "__main__":
    main()

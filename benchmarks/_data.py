"""Shared benchmark inputs, generated once and cached.

``demo_parquet(customers)`` writes the demo store (orders, customers, feedback, touchpoints) as
Parquet, about 11.6 order lines per customer, so 1M customers is the "1M customers / 10M lines"
case the targets name. Set CUSTLENS_BENCH_DATA to share the cache between checkouts; a file
lock keeps two benchmarks from generating it at once."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

DATA = Path(os.environ.get("CUSTLENS_BENCH_DATA") or Path(__file__).parent / ".data")


def demo_parquet(customers: int = 1_000_000, seed: int = 7) -> Path:
    """Directory holding orders/customers/feedback/touchpoints.parquet for ``customers``."""
    from custlens import demo

    out = DATA / f"demo_{customers}_{seed}"
    DATA.mkdir(parents=True, exist_ok=True)
    with open(DATA / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (out / "orders.parquet").exists():
            print(f"generating the demo store for {customers:,} customers into {out} (once)...", flush=True)
            demo.write(demo.generate(customers=customers, seed=seed), out, format="parquet")
    return out

"""1M baskets over 10k products (generated): custlens's basket analysis (items pruned and pairs
and triples counted in DuckDB, no one-hot frame) against the common way (pandas groups the lines
into baskets, mlxtend TransactionEncoder -> dense one-hot pandas frame -> fpgrowth ->
association_rules), same thresholds, each in a fresh process, side by side.

The common way's dense frame needs baskets x products bytes (10 GB at 1M x 10k), so its process
is capped with RLIMIT_AS (--peer-cap-gb, default 8): when it runs out of memory that is the
result. It is also measured at --small baskets (default 100k, a 1 GB frame), where it fits, to
give a speed ratio; both sizes run custlens too.

Targets: at least 5x faster than the common way and under 4 GB peak.

    CUSTLENS_BENCH_DATA=/work/bench-data flock /tmp/custlens-bench.lock \\
        .venv/bin/python benchmarks/bench_basket_large.py [--baskets 1000000] [--small 100000]
"""

from __future__ import annotations

import argparse
import fcntl
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _data import DATA  # noqa: E402
from _measure import measure, report  # noqa: E402

#: planted pairs: (item a, item b, share of baskets holding both); mid-popularity products
PLANTED = ((200, 201, 0.02), (300, 350, 0.015), (400, 450, 0.012), (500, 555, 0.01), (600, 666, 0.008))


def generate(baskets: int, products: int = 10_000, seed: int = 5) -> Path:
    """Parquet of (basket_id, product): 1 + Poisson(4) items a basket drawn from a Zipf-like
    popularity over ``products``, plus the PLANTED pairs. Vectorised numpy; cached."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = DATA / f"baskets_{baskets}x{products}_{seed}.parquet"
    DATA.mkdir(parents=True, exist_ok=True)
    with open(DATA / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists():
            return path
        rng = np.random.default_rng(seed)
        sizes = 1 + rng.poisson(4, baskets)
        weights = 1.0 / (np.arange(products) + 10.0)
        items = rng.choice(products, size=int(sizes.sum()), p=weights / weights.sum())
        ids = np.repeat(np.arange(baskets), sizes)
        extra_ids, extra_items = [], []
        for a, b, share in PLANTED:
            chosen = rng.choice(baskets, size=int(share * baskets), replace=False)
            extra_ids += [chosen, chosen]
            extra_items += [np.full(len(chosen), a), np.full(len(chosen), b)]
        ids = np.concatenate([ids, *extra_ids])
        items = np.concatenate([items, *extra_items])
        names = pa.array([f"P{i:05d}" for i in range(products)])
        table = pa.table({"basket_id": ids.astype(np.int64),
                          "product": pa.DictionaryArray.from_arrays(pa.array(items.astype(np.int32)), names)})
        pq.write_table(table, path)
        return path


CUSTLENS = """
from custlens import Session
s = Session(data=["baskets=" + {path!r}], entry_points=False)
a = s.run("basket", {{"min_support": {support}, "min_confidence": {confidence}, "max_len": 3, "top": 5}})
rules = a.table("rules").frame
result = {{"rules": len(rules), "top": [rules.antecedents[0], rules.consequents[0], round(float(rules.lift[0]), 3)]}}
"""

COMMON = """
import resource
cap = int({cap_gb} * 2**30)
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
try:
    import pandas as pd
    from mlxtend.frequent_patterns import association_rules, fpgrowth
    from mlxtend.preprocessing import TransactionEncoder
    lines = pd.read_parquet({path!r})
    lines["product"] = lines["product"].astype(str)
    baskets = lines.groupby("basket_id")["product"].apply(list).tolist()
    te = TransactionEncoder()
    onehot = pd.DataFrame(te.fit(baskets).transform(baskets), columns=te.columns_)
    itemsets = fpgrowth(onehot, min_support={support}, use_colnames=True, max_len=3)
    rules = association_rules(itemsets, num_itemsets=len(onehot), metric="confidence", min_threshold={confidence})
    rules = rules[(rules.lift >= 1.0) & (rules.consequents.map(len) == 1)]
    rules = rules.sort_values(["lift", "confidence"], ascending=False).reset_index(drop=True)
    result = {{"rules": len(rules), "top": [" + ".join(sorted(rules.antecedents[0])),
              " + ".join(sorted(rules.consequents[0])), round(float(rules.lift[0]), 3)]}}
except MemoryError:
    result = "out of memory (RLIMIT_AS {cap_gb} GB)"
"""


def run(baskets: int, args, peer: bool = True) -> None:
    path = generate(baskets)
    kw = {"path": str(path), "support": args.support, "confidence": args.confidence}
    print(f"\ndata: {path} ({baskets:,} baskets)", flush=True)
    ours = measure(CUSTLENS.format(**kw))
    if not peer:
        print(f"  custlens {ours['seconds']:8.2f} s   peak {ours['peak_mb']:8.0f} MB   {ours['result']}")
        return
    theirs = measure(COMMON.format(cap_gb=args.peer_cap_gb, **kw))
    report(f"{baskets:,} baskets x 10,000 products (min support {args.support}, min confidence "
           f"{args.confidence}, max length 3)", ours, theirs, "common")
    if isinstance(theirs["result"], str):
        print(f"  the common way ran {theirs['result']} after {theirs['seconds']:.1f} s; custlens "
              f"{ours['result']}")
    else:
        print(f"  same rules: {ours['result'] == theirs['result']}  custlens {ours['result']}")
        if ours["result"] != theirs["result"]:
            print(f"              common   {theirs['result']}")
    print(f"  custlens peak {ours['peak_mb'] / 1024:.2f} GB (target < 4 GB)", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baskets", type=int, default=1_000_000)
    ap.add_argument("--small", type=int, default=100_000, help="a size the common way fits in memory (0: skip)")
    ap.add_argument("--support", type=float, default=0.005)
    ap.add_argument("--confidence", type=float, default=0.2)
    ap.add_argument("--peer-cap-gb", type=float, default=8.0)
    args = ap.parse_args()
    if args.small:
        run(args.small, args)
    run(args.baskets, args)


if __name__ == "__main__":
    main()

"""Groceries (9,835 baskets, the R arules package's data) end to end: custlens's basket analysis
against the common way (read the lines, mlxtend TransactionEncoder -> dense one-hot pandas frame
-> fpgrowth -> association_rules), same thresholds, each in a fresh process, side by side.

Target: custlens under 0.5 s. custlens runs twice: with its default engine (mlxtend fpgrowth on
a sparse matrix built in DuckDB) and with engine=sql (itemsets counted in DuckDB). Two figures per
contender: the whole process (imports included)
the work after the libraries are imported (both children import pandas, scipy, duckdb and
mlxtend first), and of that custlens's ``session.run("basket")`` alone, which is what a chat
session pays per question (the rest is importing custlens and building the Session).

    python benchmarks/bench_basket_groceries.py [--path /work/shared/data/groceries.csv]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _measure import measure, report, same  # noqa: E402

IMPORTS = """
import time, pandas, scipy.sparse, duckdb, mlxtend.frequent_patterns
t_work = time.perf_counter()
"""

CUSTLENS = IMPORTS + """
from custlens import Session
s = Session(data=[{path!r}], entry_points=False)
t_run = time.perf_counter()
a = s.run("basket", {{"min_support": {support}, "min_confidence": {confidence}, "max_len": 3, "top": 5,
                     "engine": {engine!r}}})
rules = a.table("rules").frame
result = {{"work_s": time.perf_counter() - t_work, "run_s": time.perf_counter() - t_run, "rules": len(rules),
          "top": [rules.antecedents[0], rules.consequents[0], round(float(rules.lift[0]), 4)]}}
"""

MLXTEND = IMPORTS + """
import pandas as pd
from mlxtend.frequent_patterns import association_rules, fpgrowth
from mlxtend.preprocessing import TransactionEncoder
with open({path!r}) as f:
    baskets = [[i.strip() for i in line.split(",") if i.strip()] for line in f if line.strip()]
te = TransactionEncoder()
onehot = pd.DataFrame(te.fit(baskets).transform(baskets), columns=te.columns_)
itemsets = fpgrowth(onehot, min_support={support}, use_colnames=True, max_len=3)
rules = association_rules(itemsets, num_itemsets=len(onehot), metric="confidence", min_threshold={confidence})
rules = rules[(rules.lift >= 1.0) & (rules.consequents.map(len) == 1)]
rules = rules.sort_values(["lift", "confidence"], ascending=False).reset_index(drop=True)
result = {{"work_s": time.perf_counter() - t_work, "rules": len(rules),
          "top": [" + ".join(sorted(rules.antecedents[0])), " + ".join(sorted(rules.consequents[0])),
                  round(float(rules.lift[0]), 4)]}}
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--path", default="/work/shared/data/groceries.csv")
    ap.add_argument("--support", type=float, default=0.01)
    ap.add_argument("--confidence", type=float, default=0.2)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    kw = {"path": args.path, "support": args.support, "confidence": args.confidence}
    peer = measure(MLXTEND.format(**kw), args.repeat)
    peer_work = peer["result"].pop("work_s")
    # the default (mlxtend fpgrowth on a sparse matrix built in SQL) and the SQL counting path
    for engine in ("mlxtend", "sql"):
        ours = measure(CUSTLENS.format(engine=engine, **kw), args.repeat)
        report(f"Groceries end to end, engine={engine} (min support {args.support}, min confidence "
               f"{args.confidence}, max length 3)", ours, peer, "mlxtend")
        work, run = ours["result"].pop("work_s"), ours["result"].pop("run_s")
        print(f"  after imports: custlens {work:.3f} s (of which the basket analysis {run:.3f} s), mlxtend "
              f"{peer_work:.3f} s, speed-up {peer_work / work:.1f}x; ratio to the 0.5 s target {work / 0.5:.2f}")
        same("rules", ours, peer, "mlxtend")


if __name__ == "__main__":
    main()

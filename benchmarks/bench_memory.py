"""The memory a served process holds: heavy answers (every customer's row: "top 5000 customers by
revenue", RFM segments, CLV per customer) in many conversations of one Assistant, with the byte
bound (``max_answer_bytes``, `custlens serve --max-memory`) and without it (the count bound alone,
as before). Prints, for each, what the answers hold (``Answer.nbytes``: full frames and charts),
per conversation and in all, and the process's resident memory growth and peak, each contender in
a fresh process (``_measure.measure``).

    .venv/bin/python benchmarks/bench_memory.py                               # 5,000 customers, 40 conversations
    .venv/bin/python benchmarks/bench_memory.py --customers 2000 --conversations 10 --bound-mb 2
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _measure import measure  # noqa: E402

QUESTIONS = ["top 5000 customers by revenue", "RFM segmentation", "what is the lifetime value of our customers?",
             "which customers are at risk of churning?", "revenue by month"]

CODE = """
import tempfile
from pathlib import Path
import pandas as pd
from custlens import Assistant, demo

def rss():
    return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmRSS")) / 1024

folder = Path(tempfile.mkdtemp())
store = demo.generate(customers={customers}, seed=7)
store.tables["orders"].to_csv(folder / "orders.csv", index=False)
store.tables["customers"].to_csv(folder / "customers.csv", index=False)
a = Assistant(data=[str(folder / "orders.csv"), str(folder / "customers.csv")], entry_points=False,
              max_answer_bytes={bound})
a.chat("warm-up", "total revenue")
a.close_session("warm-up")
base = rss()
for n in range({conversations}):
    for q in {questions!r}:
        a.chat(f"c{{n}}", q)
held = a.held_bytes()
result = {{"held_mb": held / 2**20, "per_conversation_mb": held / 2**20 / {conversations},
          "rss_growth_mb": rss() - base}}
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--customers", type=int, default=5000)
    ap.add_argument("--conversations", type=int, default=40)
    ap.add_argument("--bound-mb", type=int, default=4, help="the byte bound measured (default 4 MB: below what the run holds)")
    args = ap.parse_args()
    rows = {}
    for label, bound in (("count bound only (before)", None), (f"byte bound {args.bound_mb} MB", args.bound_mb << 20)):
        rows[label] = measure(CODE.format(customers=args.customers, conversations=args.conversations,
                                          questions=QUESTIONS, bound=bound))
    print(f"{args.customers:,} customers, {args.conversations} conversations x {len(QUESTIONS)} heavy answers")
    for label, r in rows.items():
        res = r["result"]
        print(f"  {label:28s} answers hold {res['held_mb']:8.1f} MB ({res['per_conversation_mb']:.2f} MB a "
              f"conversation)   RSS growth {res['rss_growth_mb']:8.1f} MB   peak {r['peak_mb']:8.1f} MB   "
              f"{r['seconds']:.1f} s")
    before = next(iter(rows.values()))["result"]["per_conversation_mb"]
    print(f"  at the defaults (1,000 conversations x 100 answers) the count bound alone allows about "
          f"{before * 1000 * 100 / len(QUESTIONS) / 1024:.1f} GB of such answers; the byte bound holds "
          f"--max-memory (256 MB by default) plus each conversation's last answer")


if __name__ == "__main__":
    main()

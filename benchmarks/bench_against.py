"""This checkout against an older one: the same questions through ``Session.ask`` on the same data.

"No slower than before" (issues 17, 20, 22) measured side by side: each round starts one fresh
process per checkout, by turns, and each process loads the demo store as Parquet and asks every
question once, in order, in one session (so what one answer leaves cached for the next counts, as
it does for a user). The store is the demo's four Parquet files (orders, customers, feedback,
touchpoints). Prints the median time per question over the rounds and the ratio.

    .venv/bin/python benchmarks/bench_against.py --against DIR [--customers 200000] [--rounds 3]

DIR holds the older checkout laid out as a ``custlens`` package (core/ as custlens/, plugins/ as
custlens/plugins/, as for bench_startup.py); ``--layout COMMIT`` builds that from a commit of this
repository instead:

    .venv/bin/python benchmarks/bench_against.py --layout 578a1a8
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

QUESTIONS = [
    "how many customers do we have",
    "revenue by month",
    "top 10 products",
    "revenue by country",
    "run an RFM analysis",
    "monthly cohort retention",
    "why do customers churn",
    "customer lifetime value",
    "how loyal are our customers",
    "which products are bought together",
    "which customers are unprofitable",
    "conversion funnel",
    "what do customers complain about",
]

CHILD = r"""
import json, sys, time
from custlens import Session
folder, questions = sys.argv[1], json.loads(sys.argv[2])
names = ("orders", "customers", "feedback", "touchpoints")
t0 = time.perf_counter()
s = Session(data=[f"{folder}/{name}.parquet" for name in names], entry_points=False)
out = {"load": time.perf_counter() - t0}
for q in questions:
    t0 = time.perf_counter()
    try:
        a = s.ask(q)
        what = a.analysis
    except Exception as exc:  # an older checkout may not answer a question: say so, go on
        what = f"error: {type(exc).__name__}"
    out[q] = (time.perf_counter() - t0, what)
print(json.dumps(out))
"""


def layout(commit: str, root: Path) -> Path:
    """``root``/pkg holding ``commit`` of this repository as a ``custlens`` package."""
    repo = Path(__file__).resolve().parents[1]
    src = root / "src"
    subprocess.run(["git", "-C", str(repo), "worktree", "add", "--detach", str(src), commit], check=True,
                   capture_output=True)
    pkg = root / "pkg" / "custlens"
    shutil.copytree(src / "core", pkg)
    for sub in ("plugins", "connectors", "prompts_and_templates"):
        if (src / sub).exists():
            shutil.copytree(src / sub, pkg / sub, dirs_exist_ok=True)
    subprocess.run(["git", "-C", str(repo), "worktree", "remove", "--force", str(src)], check=True)
    return root / "pkg"


def run(pythonpath: str | None, data: Path, cache: str) -> dict:
    env = {**os.environ, "CUSTLENS_CACHE_DIR": cache}
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    done = subprocess.run([sys.executable, "-c", CHILD, str(data), json.dumps(QUESTIONS)], check=True,
                          capture_output=True, text=True, env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--against", help="directory holding the older custlens package")
    ap.add_argument("--layout", help="a commit of this repository to lay out as the older package")
    ap.add_argument("--customers", type=int, default=200_000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    other = args.against or (str(layout(args.layout, tmp)) if args.layout else None)
    if not other:
        ap.error("give --against DIR or --layout COMMIT")
    from _data import demo_parquet

    data = demo_parquet(args.customers)
    caches = {"this": str(tmp / "cache-this"), "older": str(tmp / "cache-older")}
    run(None, data, caches["this"]), run(other, data, caches["older"])  # fit and cache each router once
    times: dict[str, dict[str, list[float]]] = {"this": {}, "older": {}}
    what: dict[str, dict[str, str]] = {"this": {}, "older": {}}
    for _ in range(args.rounds):
        for name, path in (("this", None), ("older", other)):
            for q, v in run(path, data, caches[name]).items():
                t, w = (v, "") if q == "load" else v
                times[name].setdefault(q, []).append(t)
                what[name][q] = w
    print(f"{args.customers:,} customers, {args.rounds} rounds by turns, median seconds "
          f"(older: {args.layout or other})")
    print(f"  {'question':40} {'this':>8} {'older':>8} {'ratio':>6}  analysis (this / older)")
    total = {"this": 0.0, "older": 0.0}
    for q in ["load", *QUESTIONS]:
        a, b = statistics.median(times["this"][q]), statistics.median(times["older"][q])
        total["this"] += a
        total["older"] += b
        w = "" if q == "load" else f"{what['this'][q]} / {what['older'][q]}"
        print(f"  {q:40} {a:8.2f} {b:8.2f} {a / b:6.2f}  {w}")
    print(f"  {'all':40} {total['this']:8.2f} {total['older']:8.2f} {total['this'] / total['older']:6.2f}")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

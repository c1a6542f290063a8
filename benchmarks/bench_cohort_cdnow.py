"""Cross-check on real data: the monthly cohort retention matrix of the CDNOW purchases (23,570
customers who first bought in Q1 1997, followed to June 1998) from custlens equals an independent
pandas computation. Prints both matrices and the largest difference; also the time of each.

    .venv/bin/python benchmarks/bench_cohort_cdnow.py [--data ../shared/data/cdnow_master.txt]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "cdnow_master.txt"


def with_custlens(path: Path) -> pd.DataFrame:
    from custlens import Session

    s = Session(data=[str(path)], entry_points=False)
    matrix = s.run("cohort", {"grain": "month"}).table("cohort_matrix").frame
    return matrix.set_index("cohort").drop(columns="customers").rename(columns=int)


def with_pandas(path: Path) -> pd.DataFrame:
    """The textbook way: first purchase month per customer, months since it, distinct buyers."""
    df = pd.read_csv(path, sep=r"\s+", dtype={"customer_id": str, "date": str})
    sales = df[(df.number_of_cds >= 0) & (df.dollar_value >= 0)]
    month = pd.to_datetime(sales.date, format="%Y%m%d").dt.to_period("M")
    active = pd.DataFrame({"customer_id": sales.customer_id, "month": month}).drop_duplicates()
    active["cohort"] = active.groupby("customer_id").month.transform("min")
    active["k"] = (active.month - active.cohort).map(lambda d: d.n)
    counts = active.groupby(["cohort", "k"]).customer_id.nunique().unstack(fill_value=0).astype(float)
    last = active.month.max()
    for cohort in counts.index:  # a cohort's months after the data ends are not observed
        counts.loc[cohort, counts.columns > (last - cohort).n] = float("nan")
    matrix = counts.div(counts[0], axis=0).round(4)
    matrix.index = [str(c) for c in matrix.index]
    return matrix


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DEFAULT)
    args = ap.parse_args()
    t0 = time.perf_counter()
    ours = with_custlens(args.data)
    t1 = time.perf_counter()
    theirs = with_pandas(args.data)
    t2 = time.perf_counter()
    pd.set_option("display.width", 250)
    pd.set_option("display.max_columns", 30)
    print(f"custlens ({t1 - t0:.2f} s):\n{ours}\n")
    print(f"pandas ({t2 - t1:.2f} s):\n{theirs}\n")
    theirs = theirs.reindex(index=ours.index, columns=ours.columns)
    nan_same = (ours.isna() == theirs.isna()).all().all()
    diff = (ours - theirs).abs().max().max()
    print(f"cohorts {len(ours)} x months {ours.shape[1]}; same unobserved cells: {nan_same}; "
          f"largest difference: {diff:.6f}")


if __name__ == "__main__":
    main()

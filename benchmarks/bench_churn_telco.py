"""churn on the IBM telco customers table (../shared/data/telco_churn.csv, 7,043 customers):
custlens's churn rates by every attribute against a plain pandas group-by computing the same
(numbers in the same quartile bands: pandas quantile with interpolation="lower" = DuckDB's
quantile_disc), each in a fresh process, side by side in one run. Prints both tables, whether
they are equal, custlens's drivers and cross-validated AUCs, and the times.

The custlens time is the whole answer to "why do customers churn?": load, rates by attribute in
SQL, two models with 5-fold cross-validation, permutation importance and risk scores. The pandas
time is load + the rates only, so the ratio says what the drivers cost on top of a group-by.

Then a rate question, "churn by contract type", in a fresh process: load and the rates in SQL, no
model (the drivers are fitted when asked), against pandas computing the same group-by.

    python benchmarks/bench_churn_telco.py [--data ../shared/data/telco_churn.csv]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _measure import measure, report  # noqa: E402

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "telco_churn.csv"

CUSTLENS = """
from custlens import Session
s = Session(data=[{path!r}], entry_points=False)
a = s.ask("why do customers churn?")
assert a.analysis == "churn", a.analysis
long = a.table("churn_by_attribute").frame
rates = {{}}
for attr, value, n, k, rate in long.itertuples(index=False, name=None):
    rates.setdefault(attr, {{}})[value] = [int(n), int(k), float(rate)]
result = {{"rates": rates, "models": a.table("models").rows, "drivers": a.table("drivers").rows[:6],
          "churn_rate": dict(a.table("headline").rows)["churn rate"]}}
"""

RATE = """
from custlens import Session
s = Session(data=[{path!r}], entry_points=False)
a = s.ask("churn by contract type")
assert a.analysis == "churn" and "drivers" not in [t.name for t in a.tables], [t.name for t in a.tables]
result = {{v: [int(n), int(k), float(r)] for v, n, k, r in a.table("churn_by_contract").rows}}
"""

RATE_PANDAS = """
import pandas as pd
df = pd.read_csv({path!r})
g = df["churn"].eq("Yes").groupby(df["contract"]).agg(["size", "sum", "mean"])
result = {{v: [int(n), int(k), round(float(m), 4)] for v, (n, k, m) in g.iterrows()}}
"""

PANDAS = """
import pandas as pd
df = pd.read_csv({path!r})
churned = df["churn"].eq("Yes")
rates = {{}}
for col in df.columns.drop(["rownames", "churn"]):
    x = df[col]
    if pd.api.types.is_numeric_dtype(x) and x.nunique() > 10:
        c1, c2, c3 = x.quantile([0.25, 0.5, 0.75], interpolation="lower")
        labels = [f"<= {{c1:g}}", f"{{c1:g}} - {{c2:g}}", f"{{c2:g}} - {{c3:g}}", f"> {{c3:g}}"]
        key = pd.cut(x, [-float("inf"), c1, c2, c3, float("inf")], labels=labels).astype(object)
    else:
        key = x.astype(object).where(x.isna(), x.astype(str))
    key = key.where(key.notna(), "(blank)")
    g = churned.groupby(key).agg(["size", "sum", "mean"])
    rates[col] = {{v: [int(n), int(k), round(float(m), 4)] for v, (n, k, m) in g.iterrows()}}
result = {{"rates": rates, "churn_rate": round(float(churned.mean()), 4)}}
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(DEFAULT))
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    path = Path(args.data)
    if not path.is_file():
        sys.exit(f"{path}: not found; pass --data PATH to the telco churn CSV")
    ours = measure(CUSTLENS.format(path=str(path)), args.repeat)
    peer = measure(PANDAS.format(path=str(path)), args.repeat)
    mine, theirs = ours["result"]["rates"], peer["result"]["rates"]
    print(f"data: {path}")
    print(f"churn rate: custlens {ours['result']['churn_rate']}  pandas {peer['result']['churn_rate']}")
    print("\nchurn by attribute (customers, churned, rate)   custlens | pandas")
    for attr in mine:
        for value, row in mine[attr].items():
            other = theirs.get(attr, {}).get(value)
            print(f"  {attr:<18} {value:<26} {str(row):<24} | {other}")
    same = mine == theirs and ours["result"]["churn_rate"] == peer["result"]["churn_rate"]
    print(f"\nsame rates for all {len(mine)} attributes ({sum(len(v) for v in mine.values())} groups): {same}")
    print("\nmodels (5-fold cross-validated ROC AUC):")
    for model, auc, std in ours["result"]["models"]:
        print(f"  {model:<20} {auc:.4f} +- {std:.4f}")
    print("drivers (permutation importance: drop in AUC when shuffled):")
    for attr, drop, words in ours["result"]["drivers"]:
        print(f"  {attr:<18} {drop:.4f}  {words}")
    report("time and peak memory", ours, peer, "pandas")
    print("  (custlens: the whole answer with two cross-validated models; pandas: load + rates only)")
    rate, rate_peer = measure(RATE.format(path=str(path)), args.repeat), measure(RATE_PANDAS.format(path=str(path)),
                                                                                  args.repeat)
    print("\n\"churn by contract type\" (customers, churned, rate)")
    for value, row in rate["result"].items():
        print(f"  {value:<16} {str(row):<24} | {rate_peer['result'].get(value)}")
    print(f"  same: {rate['result'] == rate_peer['result']}")
    report("time and peak memory of the rate question (no model)", rate, rate_peer, "pandas")


if __name__ == "__main__":
    main()

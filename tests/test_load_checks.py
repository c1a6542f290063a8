"""The load's checks on Parquet, answered by filtered queries (Dataset._padded: one exists-query
per text column; the missing-customer count as a WHERE), give what one full pass computing every
flag and count gives, on files whose odd values sit in the last row group (so a dictionary or
statistics shortcut that skipped a row group would show); a CSV (a DuckDB table, checked in one
pass) gives the same."""

from __future__ import annotations

import pandas as pd
import pytest

from custlens import Session

ROWS = 5000
ODD = {  # column -> value written into the last row: what trim() would change, or nothing
    "lead": " x", "trail": "x ", "empty": "", "blanks": "   ", "inner": "a b", "clean": "z"}


def _orders(last_customer: str | None) -> pd.DataFrame:
    n = ROWS
    frame = pd.DataFrame({
        "order_id": [f"O{i // 2:05d}" for i in range(n)],
        "customer_id": [f"C{i % 700:04d}" for i in range(n)],
        "order_date": pd.date_range("2024-01-01", periods=n, freq="h"),
        "amount": [float(i % 50) - (60.0 if i % 97 == 0 else 0.0) for i in range(n)],  # some returns
        **{c: [f"v{i % 5}" for i in range(n)] for c in ODD},
    })
    for c, v in ODD.items():
        frame.loc[n - 1, c] = v
    frame.loc[n - 2, "customer_id"] = None
    frame.loc[n - 1, "customer_id"] = last_customer
    return frame


def _one_pass(s: Session) -> tuple[set[str], int]:
    """The reference: every padding flag in one pass over the raw relation (the former check),
    and the lines whose canonical customer id is missing, counted on the view."""
    src = s.dataset.sources[0]
    text = [c for c, t in src.columns.items() if t == "VARCHAR"]
    flags = s.dataset.con.execute("SELECT " + ", ".join(
        f"coalesce(bool_or(\"{c}\" = '' OR starts_with(\"{c}\", ' ') OR ends_with(\"{c}\", ' ')), false)"
        for c in text) + f" FROM \"{src.raw.relation}\"").fetchall()[0]
    missing = s.dataset.con.execute("SELECT count(*) FROM transactions_all WHERE customer_id IS NULL").fetchall()[0][0]
    return {c for c, f in zip(text, flags) if f}, missing


@pytest.mark.parametrize("last_customer", ["  ", " C0001", "C0002"])
def test_parquet_checks_match_one_pass(tmp_path, last_customer):
    path = tmp_path / "orders.parquet"
    _orders(last_customer).to_parquet(path, row_group_size=1000)  # five row groups: the odd row in the last
    s = Session(data=[str(path)], entry_points=False)
    s.dataset.check()  # deferred from loading to the first question (issue 20)
    src = s.dataset.sources[0]
    padded, missing = _one_pass(s)
    assert src.padded == padded
    assert {"lead", "trail", "empty", "blanks"} <= src.padded and not {"inner", "clean", "order_id"} & src.padded
    assert ("customer_id" in src.padded) == (last_customer != "C0002")
    assert missing == (2 if last_customer == "  " else 1)  # a blank id is no id once trimmed
    assert any(w.startswith(f"{missing} line(s) have no customer id") for w in src.warnings)
    returns = sum(1 for i in range(ROWS) if i % 97 == 0 and i % 50 < 60)
    assert any(w.startswith(f"{returns} return/cancellation line(s)") for w in src.warnings)


def test_csv_checks_match_one_pass(tmp_path):
    path = tmp_path / "orders.csv"
    _orders(" C0001").to_csv(path, index=False)
    s = Session(data=[str(path)], entry_points=False)
    padded, missing = _one_pass(s)
    assert s.dataset.sources[0].padded == padded and missing == 1
    assert any(w.startswith("1 line(s) have no customer id") for w in s.dataset.sources[0].warnings)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_breakdown_groups_of_padded_empty_and_missing_values(tmp_path, fmt):
    """A breakdown's groups read the views' text as the checks left it: " Tea " is Tea, and empty,
    all-space and missing values are one "(blank)" group (the label trims nothing itself), whether
    the checks ran at load (CSV) or with the first question (Parquet). The planted sums are known."""
    products = ["Tea", " Tea ", "Tea ", "", "   ", None, "Coffee", "Coffee"]
    amounts = [10.0, 20.0, 30.0, 1.0, 2.0, 4.0, 100.0, 200.0]
    frame = pd.DataFrame({"order_id": [f"O{i}" for i in range(8)], "customer_id": [f"C{i % 3}" for i in range(8)],
                          "order_date": pd.date_range("2024-03-01", periods=8, freq="D"),
                          "product": products, "amount": amounts})
    path = tmp_path / f"orders.{fmt}"
    frame.to_csv(path, index=False) if fmt == "csv" else frame.to_parquet(path)
    s = Session(data=[str(path)], entry_points=False)
    got = {r[0]: r[1] for r in s.ask("revenue by product").table("by_product").rows}
    assert got == {"Coffee": 300.0, "Tea": 60.0, "(blank)": 7.0}

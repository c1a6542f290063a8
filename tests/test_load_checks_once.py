"""The load checks of a Parquet customers source run once, with the first question (issue 20):
the copy check (rows alike in every column but the id) is not run at load and again after the
checks, and the join check counts the orders' customers found in one pass. Known answers on
small files the tests write."""

import pandas as pd
import pytest

from helpers import session, write

from custlens.dataset import Dataset


def _parquet(path, rows):
    pd.DataFrame(rows[1:], columns=rows[0]).to_parquet(path, index=False)
    return str(path)


@pytest.fixture
def shop(tmp_path):
    orders = _parquet(tmp_path / "orders.parquet", [
        ["customer_id", "order_id", "order_date", "amount"],
        ["K1", "1", "2024-01-05", 100.0], ["K2", "2", "2024-01-06", 150.0], ["K3", "3", "2024-02-01", 80.0],
        ["K9", "4", "2024-02-02", 20.0], [None, "5", "2024-02-03", 5.0]])
    head = ["customer_id", "name", "city", "segment", "age", "phone", "zip", "since"]
    customers = _parquet(tmp_path / "customers.parquet", [
        head, ["K1", "Ann", "Oslo", "retail", 31, "555-01", "0150", "2020-01-02"],
        ["K2", "Bob", "Bergen", "retail", 45, "555-02", "5003", "2021-03-04"],
        ["K3", "Ann", "Oslo", "retail", 31, "555-01", "0150", "2020-01-02"],  # K1 again under another id
        ["K3", "Ann", "Oslo", "retail", 31, "555-01", "0150", "2020-01-02"],  # and K3's row twice
        ["K7", "Eve", "Molde", "trade", 40, "555-07", "6400", "2018-02-03"]])
    return orders, customers


def test_copies_under_another_id_are_counted_once_and_said(shop, monkeypatch):
    calls = []
    real = Dataset._same_but_the_id
    monkeypatch.setattr(Dataset, "_same_but_the_id", lambda self, select: calls.append(select) or real(self, select))
    s = session(*shop)
    assert s.dataset.checks_pending and calls == []  # nothing read at load: the checks come with a question
    a = s.ask("how many customers do we have")
    assert len(calls) == 1
    said = [w for w in s.dataset.warnings_for(["customers"]) if "in every column but the id" in w]
    assert said and said[0].startswith("customers.parquet: 2 customer row(s) are the same as another row")  # K3 twice, K1
    assert "'K1' and 'K3'" in said[0]
    assert a is not None and len(calls) == 1  # a second reading does not count again
    s.ask("revenue by month")
    assert len(calls) == 1


def test_the_join_counts_each_order_customer_once(shop):
    s = session(*shop)
    s.ask("how many customers do we have")
    [src] = [x for x in s.dataset.sources if x.role == "customers"]
    # the orders' customers: K1, K2, K3, K9 (the line without one is no customer); K3 is on two
    # customers rows and K7 has no order: 3 of 4 found, not 4 (K3 twice) nor 5
    assert src.join["found"] == 3 and src.join["of"] == 4


def test_a_csv_customers_source_still_says_its_copies_at_load(tmp_path):
    head = ["customer_id", "name", "city", "segment", "age", "phone", "zip", "since"]
    rows = [head, ["K1", "Ann", "Oslo", "retail", "31", "555-01", "0150", "2020-01-02"],
            ["K2", "Ann", "Oslo", "retail", "31", "555-01", "0150", "2020-01-02"]]
    s = session(write(tmp_path / "customers.csv", rows))
    [src] = s.dataset.sources
    assert any("1 customer row(s) are the same as another row" in w for w in src.warnings)


def test_copies_with_blank_values_are_found_among_many_rows(tmp_path):
    """Rows alike in every column but the id, blanks included, found among rows that differ in one
    column only (the rows whose values repeat are grouped in full, so the count stays exact)."""
    head = ["customer_id", "name", "city", "segment", "age", "phone", "zip", "since"]
    rows = [head] + [[f"N{i:03d}", f"Name{i}", "Oslo", "retail", str(20 + i % 50), f"555-{i:03d}", "0150",
                      "2020-01-02"] for i in range(200)]
    rows += [["K1", "Ann", "", "retail", "31", "", "0150", "2020-01-02"],
             ["K2", "Ann", "", "retail", "31", "", "0150", "2020-01-02"],  # K1 again, blanks and all
             ["K3", "Ann", "", "retail", "31", "", "0150", "2020-01-02"],  # and again
             ["K4", "Ann", "", "retail", "32", "", "0150", "2020-01-02"]]  # one year older: someone else
    s = session(write(tmp_path / "customers.csv", rows))
    said = [w for w in s.dataset.warnings_for(["customers"]) if "in every column but the id" in w]
    assert said and "2 customer row(s) are the same as another row" in said[0] and "'K1' and 'K3'" in said[0]

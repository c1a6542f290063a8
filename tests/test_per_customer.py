"""Dataset.per_customer_sql: the shared per-customer definition, computed in two phases (per
order, then per customer) instead of count(DISTINCT); the awkward cases it must count exactly."""

import pandas as pd
import pytest

from custlens.dataset import Dataset

MEASURES = ["first_order", "last_order", "orders", "purchase_days", "lines", "units", "revenue", "cost",
            "discount"]


@pytest.fixture(scope="module")
def dataset():
    lines = pd.DataFrame([
        # A: order 1 has three lines and runs past midnight; orders 2 and 3 share a day
        ("A", "1", "2024-01-01 23:50", 1, 10.0, 4.0, 0.0),
        ("A", "1", "2024-01-01 23:55", 2, 20.0, 8.0, 1.0),
        ("A", "1", "2024-01-02 00:05", 1, 5.0, 2.0, 0.0),
        ("A", "2", "2024-02-01 10:00", 1, 7.0, None, 0.0),
        ("A", "3", "2024-02-01 18:00", 3, 9.0, 3.0, 0.5),
        ("A", "3", "2024-02-01 18:00", -1, -9.0, -3.0, 0.0),  # a return: not a purchase
        # B: a line without an order id is an order of its own (Dataset._orders_without_id); no cost anywhere
        ("B", None, "2024-03-01 09:00", 1, 4.0, None, 0.0),
        ("B", "4", "2024-03-05 09:00", 2, 6.0, None, 0.0),
        (None, "5", "2024-03-05 09:00", 1, 100.0, 1.0, 0.0),  # no customer: left out
    ], columns=["customer_id", "order_id", "order_date", "quantity", "amount", "cost", "discount"])
    lines["order_date"] = pd.to_datetime(lines["order_date"])
    ds = Dataset()
    ds.add_frame("orders", lines, role="transactions")
    yield ds
    ds.close()


def per_customer(ds, measures=None):
    where, args = ds.scope()
    return ds.query(ds.per_customer_sql(where, measures=measures), args).set_index("customer_id").sort_index()


def distinct_counts(ds):
    """The plain one-pass definition with count(DISTINCT), as a reference."""
    return ds.query("""SELECT customer_id, count(DISTINCT order_id) AS orders,
                              count(DISTINCT CAST(order_date AS DATE)) AS purchase_days, count(*) AS lines,
                              sum(amount) AS revenue, sum(cost) AS cost
                       FROM transactions WHERE customer_id IS NOT NULL GROUP BY 1""").set_index("customer_id")


def test_orders_and_days_are_counted_exactly(dataset):
    f = per_customer(dataset)
    assert list(f.columns) == MEASURES
    assert f.loc["A", "orders"] == 3 and f.loc["A", "purchase_days"] == 3  # Jan 1, Jan 2, Feb 1
    assert f.loc["A", "lines"] == 5 and f.loc["A", "units"] == 8 and f.loc["A", "revenue"] == 51.0
    assert f.loc["A", "cost"] == 17.0 and f.loc["A", "discount"] == 1.5
    assert str(f.loc["A", "first_order"]) == "2024-01-01 23:50:00"
    assert str(f.loc["A", "last_order"]) == "2024-02-01 18:00:00"
    assert f.loc["B", "orders"] == 2 and f.loc["B", "purchase_days"] == 2 and f.loc["B", "lines"] == 2
    assert pd.isna(f.loc["B", "cost"])  # NULL where there is none, not 0
    assert len(f) == 2  # the line without a customer is left out
    ref = distinct_counts(dataset).sort_index()
    for col in ("orders", "purchase_days", "lines", "revenue"):
        assert f[col].tolist() == ref[col].tolist(), col
    assert str(f["lines"].dtype) == "int64" and str(f["orders"].dtype) == "int64"


def test_a_subset_of_measures_gives_the_same_values(dataset):
    full = per_customer(dataset)
    for measures in (["orders", "revenue"], ["purchase_days"], ["last_order", "purchase_days", "units"], []):
        part = per_customer(dataset, measures)
        assert list(part.columns) == measures
        assert part.equals(full[measures]), measures


def test_the_scope_parameters_are_bound_once(dataset):
    where, args = dataset.scope(start=pd.Timestamp("2024-02-01").date())
    f = dataset.query(dataset.per_customer_sql(where), args).set_index("customer_id")
    assert f.loc["A", "orders"] == 2 and f.loc["A", "purchase_days"] == 1 and f.loc["B", "orders"] == 2


def test_an_unknown_measure_is_named():
    with pytest.raises(ValueError, match="unknown measure"):
        Dataset.per_customer_sql(measures=["orderz"])

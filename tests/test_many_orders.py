"""Customers counted by how many orders they placed, above the table's last row: "more than 10
orders" counts those with 11 or more (it read 0 while the table's "10+" row held them), on a planted
shop whose counts are known."""

import pandas as pd
import pytest

from custlens import Session
from custlens.templates import pct

#: customer -> number of orders: 3 customers with 1, 2 with 5, 2 with 10, 3 with 11, 1 with 12, 2 with 15
ORDERS = {**{f"C{i}": 1 for i in range(3)}, "C10": 5, "C11": 5, "C20": 10, "C21": 10,
          "C30": 11, "C31": 11, "C32": 11, "C40": 12, "C50": 15, "C51": 15}


@pytest.fixture(scope="module")
def shop():
    rows, n = [], 0
    for customer, count in ORDERS.items():
        for k in range(count):
            n += 1
            rows.append((customer, f"O{n}", pd.Timestamp("2024-01-01") + pd.Timedelta(days=7 * k), 10.0))
    s = Session(entry_points=False)
    s.dataset.add_frame("orders.csv", pd.DataFrame(rows, columns=["customer_id", "order_id", "order_date", "amount"]))
    return s


@pytest.mark.parametrize("question, least", [
    ("customers with more than 10 orders", 11),
    ("how many customers have 12 or more orders", 12),
    ("customers with at least 10 orders", 10),
    ("customers with more than 4 orders", 5),
])
def test_customers_over_a_number_of_orders_are_counted_past_the_tables_last_row(shop, question, least):
    answer = shop.fork().chat(question)
    want = sum(1 for c in ORDERS.values() if c >= least)
    assert f"min_orders={least}" in answer.understood
    assert f"**{want:,} of {len(ORDERS)} customers" in answer.summary
    rows = {r[0]: r[1] for r in answer.table("customers_by_orders").rows}
    last = max(10, least)
    assert rows[f"{last}+"] == sum(1 for c in ORDERS.values() if c >= last)
    assert sum(rows.values()) == len(ORDERS)


@pytest.mark.parametrize("question", ["how many customers bought more than once",
                                      "what share of customers ordered more than once"])
def test_buying_more_than_once_is_the_repeat_purchase_rate(shop, question):
    """Customers who bought more than once are the repeat purchase rate, loyalty's own figure, where
    the router read loyalty (a count of N or more orders stays the overview's, above)."""
    answer = shop.fork().chat(question)
    once = sum(1 for c in ORDERS.values() if c == 1)
    assert answer.analysis == "loyalty"
    many = len(ORDERS) - once
    assert f"{once:,} ({pct(once / len(ORDERS))}) bought once and **{many:,} ({pct(many / len(ORDERS))}) more than " \
        "once**" in answer.summary

"""Two readings a stranger's trial (Superstore) found wrong, on a planted shop whose answers are known:
"which sub-category loses the most money" is profit by it, the losses first (it was the revenue
ranking); "last quarter" of data that ends two days short of its quarter's end is the quarter before,
and the first line says so, naming the words for the quarter the data ends in."""

import pandas as pd
import pytest

from custlens import Session

#: sub-category, sales, profit: Tables sells most and loses most; Phones sells second and earns most
LINES = [("Tables", 900.0, -300.0), ("Tables", 800.0, -200.0), ("Phones", 700.0, 250.0),
         ("Phones", 600.0, 150.0), ("Binders", 100.0, -20.0), ("Paper", 50.0, 10.0)]


@pytest.fixture(scope="module")
def shop():
    rows = []
    days = pd.date_range("2019-01-05", "2019-12-30", periods=len(LINES) * 4)
    for i, day in enumerate(days):
        sub, sales, profit = LINES[i % len(LINES)]
        rows.append((f"C{i % 5}", f"O{i}", day, sub, sales, profit))
    frame = pd.DataFrame(rows, columns=["customer_id", "order_id", "order_date", "sub_category", "amount", "profit"])
    s = Session(entry_points=False)
    s.dataset.add_frame("orders.csv", frame)
    return s, frame


@pytest.mark.parametrize("question", [
    "which sub-category loses the most money?",
    "loss-making sub categories",
    "which sub category is in the red",
])
def test_losing_money_is_profit_by_the_group_losses_first(shop, question):
    s, frame = shop
    answer = s.fork().chat(question)
    assert answer.analysis == "profitability", answer.understood
    profit = frame.groupby("sub_category")["profit"].sum().sort_values()
    losers = [k for k, v in profit.items() if v < 0]
    assert losers == ["Tables", "Binders"]
    assert f"{len(losers)} of {len(profit)} lose money: **Tables** ({profit['Tables']:,.2f})" in answer.summary


def test_money_lost_to_churn_is_not_read_as_a_loss_making_group(shop):
    s, _ = shop
    assert s.fork().chat("how much money did we lose to churned customers").analysis == "churn"


@pytest.mark.parametrize("question, read, this", [
    ("revenue last quarter", "2019 Q3, the quarter before the one the data ends in (2019-12-30)", "2019 Q4"),
    ("revenue last month", "November 2019, the month before the one the data ends in (2019-12-30)",
     "December 2019"),
    ("sales last quarter vs the quarter before", "2019 Q3", "2019 Q4"),
])
def test_last_period_before_a_nearly_complete_one_is_said(shop, question, read, this):
    s, frame = shop
    answer = s.fork().chat(question)
    assert frame["order_date"].max() == pd.Timestamp("2019-12-30")
    first = " ".join(answer.understood.split())
    assert read in first and f"is {this}" in first


def test_last_period_is_not_explained_where_the_data_ends_mid_period():
    frame = pd.DataFrame({"customer_id": ["A", "B", "C"], "order_id": ["1", "2", "3"], "amount": [1.0, 2.0, 3.0],
                          "order_date": pd.to_datetime(["2019-06-01", "2019-09-01", "2019-11-15"])})
    s = Session(entry_points=False)
    s.dataset.add_frame("orders.csv", frame)
    answer = s.chat("revenue last quarter")
    assert str(answer.params["start"]) == "2019-07-01" and "the quarter before" not in answer.understood

"""Classes of failure found by the eleventh stranger's trial (the Kaggle bakery till "BreadBasket_DMS":
Date, Time, Transaction, Item, no money; the Kaggle "Customer Support Ticket Dataset"), each on a
small file with a known answer."""

from __future__ import annotations

import pytest

from helpers import session, write

# --------------------------------------------------------------------------- a till's item lines without money

# the bakery export's layout: one line per item, the receipt number in "Transaction", no quantity, no
# price; the same item twice in one receipt is two sold (receipt 2 holds two Scandinavians)
BAKERY = [["Date", "Time", "Transaction", "Item"],
          ["2016-10-30", "09:58:11", 1, "Bread"],
          ["2016-10-30", "10:05:34", 2, "Scandinavian"],
          ["2016-10-30", "10:05:34", 2, "Scandinavian"],
          ["2016-10-30", "10:07:57", 3, "Coffee"],
          ["2016-10-30", "10:07:57", 3, "Bread"],
          ["2016-11-02", "11:15:00", 4, "Coffee"],
          ["2016-11-02", "11:15:00", 4, "Coffee"],
          ["2016-11-02", "11:15:00", 4, "Cake"],
          ["2016-11-03", "12:40:10", 5, "Coffee"]]


def test_a_tills_item_lines_without_money_are_sales_with_receipts_as_orders(tmp_path):
    s = session(write(tmp_path / "BreadBasket_DMS.csv", BAKERY))
    [src] = s.dataset.describe()
    assert src["role"] == "transactions"
    m = {c["canonical"]: c["column"] for c in src["columns"] if c["canonical"]}
    assert (m["order_id"], m["order_date"], m["product"]) == ("Transaction", "Date", "Item")
    h = dict(s.ask("how many transactions did we have?").table("headline").rows)
    # 5 receipts; 9 items, the repeated Scandinavian and Coffee lines each one sold
    assert (h["orders"], h["units"]) == (5, 9)
    assert h["revenue"] is None and h["customers"] is None


def test_sales_without_money_are_ranked_in_units_never_by_blank_revenue(tmp_path):
    s = session(write(tmp_path / "BreadBasket_DMS.csv", BAKERY))
    a = s.ask("what are our best-selling items?")
    top = a.table("by_product").frame
    assert list(top["product"][:3]) == ["Coffee", "Bread", "Scandinavian"]
    assert list(top["units"][:3]) == [4, 2, 2]
    assert any("counted in units" in w for w in a.warnings)
    # the narrative of an overview names the top product by units, never "revenue of n/a"
    summary = s.ask("how many transactions did we have?").summary
    assert "n/a" not in summary and "Coffee" in summary
    assert "orders with a blank amount" not in summary
    month = s.ask("sales of Coffee by month").table("by_month").frame.set_index("month")["units"]
    assert (month["2016-10"], month["2016-11"]) == (1, 3)

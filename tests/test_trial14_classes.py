"""Classes of failure found by the fourteenth stranger's trial (Kaggle "Netflix Userbase": a
subscriber table with dates written 15-01-22; UCI "Online Shoppers Purchasing Intention": one row a
web session, a TRUE/FALSE "Revenue" column saying whether it bought), each on a small file with a
known answer."""

from __future__ import annotations

import pytest

from helpers import session, write

# --------------------------------------------------------------------------- dashed dates with a two-digit year


@pytest.mark.parametrize("dates, first", [
    # day first (the Netflix userbase): 15-01-22 is 15 January 2022
    (["15-01-22", "28-01-22", "05-02-22", "14-03-22"], "day"),
    # month first: 01-15-22 is 15 January 2022
    (["01-15-22", "01-28-22", "02-05-22", "03-14-22"], "month"),
])
def test_dashed_dates_with_a_two_digit_year_are_dates(tmp_path, dates, first):
    rows = [["Order ID", "Customer ID", "Order Date", "Amount"]]
    rows += [[f"O{i}", f"C{i % 2}", d, 10 * (i + 1)] for i, d in enumerate(dates)]
    s = session(write(tmp_path / "orders.csv", rows))  # no error: the whole column reads as dates
    by = s.ask("revenue by month in 2022").table("by_month").frame
    assert dict(zip(by["month"].astype(str), by["revenue"])) == {"2022-01": 30, "2022-02": 30, "2022-03": 40}

"""Breakdowns by where a date falls in a cycle: the day of the week and the hour of the day
("sales by day of the week", "what time of day do people order"), through Session.chat on data with
a planted pattern, and words that must not be read as a daily or weekly grain."""

import datetime as dt

import pandas as pd
import pytest

from custlens import Session, slots
from custlens.errors import DataError


@pytest.fixture
def orders(tmp_path):
    """Eight weeks of orders: Mondays sell 100 an order, other days 10; every order is placed at
    9:00 or 20:00, and the evening orders are worth twice as much."""
    rows, start = [], dt.datetime(2025, 3, 3)  # a Monday
    for d in range(56):
        day = start + dt.timedelta(days=d)
        for k, hour in enumerate((9, 20)):
            amount = (100 if day.weekday() == 0 else 10) * (2 if hour == 20 else 1)
            rows.append({"customer_id": f"c{(d + k) % 9}", "order_id": f"o{d}-{k}",
                         "order_date": day.replace(hour=hour, minute=15), "amount": amount})
    frame = pd.DataFrame(rows)
    path = tmp_path / "orders.csv"
    frame.to_csv(path, index=False)
    return path, frame


def test_revenue_by_day_of_the_week_finds_the_planted_monday(orders):
    path, frame = orders
    a = Session(data=[str(path)], entry_points=False).chat("revenue by day of the week")
    assert a.params["by"] == ["weekday"] and "grain=day" not in a.understood
    t = a.table("by_weekday")
    got = dict(zip(t.column("weekday"), t.column("revenue")))
    want = frame.groupby(frame.order_date.dt.day_name()).amount.sum()
    assert len(got) == 7 and got == pytest.approx(want.to_dict())
    assert t.rows[0][0] == "Monday" and "Monday" in a.summary


def test_orders_by_hour_of_the_day(orders):
    path, frame = orders
    a = Session(data=[str(path)], entry_points=False).chat("what time of day do people order")
    assert a.params["by"] == ["hour"]
    t = a.table("by_hour")
    assert sorted(t.column("hour")) == [9, 20]
    got = dict(zip(t.column("hour"), t.column("revenue")))
    assert got[20] == frame[frame.order_date.dt.hour == 20].amount.sum() == 2 * got[9]


def test_by_hour_on_dates_without_a_time_says_why(tmp_path):
    path = tmp_path / "days.csv"
    path.write_text("customer_id,order_id,order_date,amount\nc1,o1,2025-01-02,10\nc2,o2,2025-01-03,20\n")
    with pytest.raises(DataError, match="without a time of day"):
        Session(data=[str(path)], entry_points=False).chat("orders by hour of the day")


@pytest.mark.parametrize("question, by", [
    ("which days of the week are busiest", ["weekday"]),
    ("sales per weekday in 2024", ["weekday"]),
    ("revenue each day of the week by channel", ["weekday", "channel"]),
    ("orders by hour of day", ["hour"]),
    ("hourly orders last month", ["hour"]),
])
def test_cycle_words_are_a_breakdown_not_a_grain(question, by):
    got = slots.extract(question)[0]
    assert got["by"] == by and "grain" not in got


def test_daily_and_weekly_stay_grains():
    assert slots.extract("daily revenue last month")[0]["grain"] == "day"
    assert slots.extract("weekly orders in november")[0]["grain"] == "week"


def test_a_counted_breakdown_the_data_lacks_is_said(orders):
    path, _ = orders
    s = Session(data=[str(path)], entry_points=False)
    a = s.chat("orders by number of kids")
    assert "not read: by number of kids" in a.understood
    assert "not read" not in s.chat("top customers by number of orders").understood

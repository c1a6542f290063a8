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
    assert t.column("hour") == ["09:00", "20:00"]  # in the day's order, as times
    got = dict(zip(t.column("hour"), t.column("revenue")))
    assert got["20:00"] == frame[frame.order_date.dt.hour == 20].amount.sum() == 2 * got["09:00"]


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


# --------------------------------------------------------------------------- a shop's export, in its own time

@pytest.fixture
def shop(tmp_path):
    """A Shopify-like export written in the shop's time with a UTC offset (-0500): most orders on
    Friday evenings at 21:xx, which in UTC would be Saturday 02:xx; a few orders every other day at
    10:xx. One refunded order on a Friday evening is no sale."""
    rows, start = [], dt.datetime(2024, 1, 1)  # a Monday
    n = 0
    for d in range(28):
        day = start + dt.timedelta(days=d)
        peak = day.weekday() == 4
        for k in range(6 if peak else 1):
            n += 1
            at = day.replace(hour=21 if peak else 10, minute=5 + k)
            rows.append({"Name": f"#{1000 + n}", "Email": f"c{n % 11}@shop.test", "Financial Status": "paid",
                         "Created at": at.strftime("%Y-%m-%d %H:%M:%S") + " -0500", "Total": 20.0 if peak else 50.0,
                         "Lineitem quantity": 1, "Lineitem name": "Mug"})
    rows.append({"Name": "#9999", "Email": "c1@shop.test", "Financial Status": "refunded",
                 "Created at": "2024-01-05 21:30:00 -0500", "Total": 500.0, "Lineitem quantity": 1, "Lineitem name": "Mug"})
    frame = pd.DataFrame(rows)
    path = tmp_path / "orders_export.csv"
    frame.to_csv(path, index=False)
    paid = frame[frame["Financial Status"] == "paid"].copy()
    paid["at"] = pd.to_datetime(paid["Created at"].str.slice(0, 19))  # the shop's own clock
    return path, paid


def test_weekdays_and_hours_are_the_shops_own_clock_in_the_weeks_order(shop):
    path, paid = shop
    s = Session(data=[str(path)], entry_points=False)
    a = s.chat("Which day of the week brings the most orders?")
    assert a.params["by"] == ["weekday"] and "clock: weekdays in the data's own local time" in a.understood
    t = a.table("by_weekday")
    assert t.column("weekday") == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    want = paid.groupby(paid["at"].dt.day_name()).size()
    assert dict(zip(t.column("weekday"), t.column("orders"))) == want.to_dict()
    assert want.idxmax() == "Friday" and "**Friday** is highest with 24" in a.summary  # not Saturday, as UTC says
    assert any("-05:00" in w and "not converted to UTC" in w for w in a.warnings)

    h = s.chat("At what hour of the day do most orders come in?")
    t = h.table("by_hour")
    assert h.params["by"] == ["hour"] and t.column("hour") == ["10:00", "21:00"]
    assert dict(zip(t.column("hour"), t.column("orders"))) == {"10:00": 24, "21:00": 24}
    assert "clock: hours in the data's own local time" in h.understood


def test_weekends_vs_weekdays_are_two_groups(shop):
    path, paid = shop
    a = Session(data=[str(path)], entry_points=False).chat("do we sell more on weekends or weekdays?")
    assert a.params["by"] == ["part_of_week"]
    t = a.table("by_part_of_week")
    weekend = paid["at"].dt.day_of_week >= 5
    assert t.column("part_of_week") == ["weekdays (Mon-Fri)", "weekend (Sat-Sun)"]
    assert t.column("revenue") == pytest.approx([paid[~weekend].Total.sum(), paid[weekend].Total.sum()])
    assert t.column("orders") == [int((~weekend).sum()), int(weekend.sum())]
    assert "**weekdays (Mon-Fri)** is highest" in a.summary and "of 2 parts of week" in a.summary


def test_the_quietest_hour_and_a_weekday_split_by_another_breakdown(orders):
    path, frame = orders
    s = Session(data=[str(path)], entry_points=False)
    a = s.chat("which hour of the day brings the least revenue")
    evening, morning = (frame[frame.order_date.dt.hour == h].amount.sum() for h in (20, 9))
    assert a.params["by"] == ["hour"] and a.table("by_hour").column("hour") == ["09:00", "20:00"]
    # "the least revenue": the quietest hour first (it named the busiest)
    assert f"**09:00** is lowest with {morning:,.0f}" in a.summary and f"then 20:00 ({evening:,.0f})" in a.summary
    b = s.chat("revenue by day of the week and by hour")
    assert b.params["by"] == ["weekday", "hour"]
    wide = b.table("weekday_x_hour")
    assert wide.column("weekday") == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    mondays = frame[frame.order_date.dt.day_of_week == 0]
    assert wide.rows[0][1:] == pytest.approx([mondays[mondays.order_date.dt.hour == h].amount.sum() for h in (20, 9)]) \
        or wide.rows[0][1:] == pytest.approx([mondays[mondays.order_date.dt.hour == h].amount.sum() for h in (9, 20)])


@pytest.mark.parametrize("question, by", [
    ("weekends vs weekdays", ["part_of_week"]),
    ("revenue weekday/weekend split", ["part_of_week"]),
    ("orders on weekdays compared to weekends", ["part_of_week"]),
])
def test_parts_of_the_week_are_read(question, by):
    assert slots.extract(question)[0]["by"] == by


@pytest.mark.parametrize("question", ["full report please, I'll read it over the weekend",
                                      "help me write a job ad for a barista, weekends only"])
def test_a_weekend_in_passing_is_no_breakdown(question):
    assert "by" not in slots.extract(question)[0]


def test_the_busiest_day_of_the_week_is_counted_in_orders(shop):
    path, paid = shop
    a = Session(data=[str(path)], entry_points=False).chat("what's our busiest day of the week?")
    assert a.params["metric"] == "orders" and a.params["by"] == ["weekday"]
    busiest = paid.groupby(paid["at"].dt.day_name()).size()
    assert a.summary.startswith(f"Orders by weekday: **{busiest.idxmax()}** is highest with {busiest.max()}")
    assert slots.extract("busiest weekday for revenue")[0]["metric"] == "revenue"  # a metric said stays


def test_the_clock_of_stored_timestamps_is_said_as_the_engines(orders, tmp_path):
    """Timestamps stored as such (a Parquet file; Spark reads a CSV's offsets into its own zone): no
    offset is read as written, so the answer says the hours are the stored ones, not the shop's."""
    _, frame = orders
    path = tmp_path / "orders.parquet"
    frame.to_parquet(path)
    a = Session(data=[str(path)], entry_points=False).chat("orders by hour of the day")
    assert "clock: hours of order_date as its timestamps are stored" in a.understood
    assert dict(zip(a.table("by_hour").column("hour"), a.table("by_hour").column("orders"))) == {"09:00": 56, "20:00": 56}

"""A store export as a stranger's trial brought it (trial 24, a Superstore file made messy): money as
text ("$1,234.50", "-$80.00" for a refund line), return lines dated after their sale, and a Segment and
a Region written in several cases ("Consumer", "CONSUMER", "consumer"). Planted answers: revenue is
the sales, and every answer that gives it says what the return lines take off (never "0.00 in
refunds" when the data has no refund column); "net revenue" is sales less returns, by year and side
by side; a value written in another case is one group in every breakdown, and said once in a filter."""

import pandas as pd
import pytest

from helpers import session

SEGMENTS = ["Consumer", "Corporate", "Home Office"]
REGIONS = ["West", "East", "Central"]
STATES = ["California", "New York", "Texas", "Ontario"]


def amount(i: int) -> float:
    return round(100 + 7.25 * (i % 30), 2)


def cased(value: str, i: int) -> str:
    """Every seventh line in capitals, every eleventh in lower case: the same value, spelt three ways."""
    return value.upper() if i % 7 == 0 else value.lower() if i % 11 == 0 else value


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """300 sale lines over 2023-2024 (order i by customer i % 60) and one on 2024-12-31, and a return
    line for every tenth sale of its whole value, 14 days later, in an order of its own ("-R")."""
    rows = []
    for i in range(300):
        day = pd.Timestamp("2023-01-01") + pd.Timedelta(days=(i * 2) % 720)
        seg, reg = SEGMENTS[i % 3], REGIONS[i % 3 if i % 2 else (i + 1) % 3]
        rows.append({"Order ID": f"O-{i:04d}", "Order Date": day.strftime("%Y-%m-%d"), "Customer ID": f"C{i % 60:03d}",
                     "Segment": cased(seg, i), "Region": cased(reg, i), "State/Province": STATES[i % 4],
                     "Product": f"Item {i % 12}",
                     "Quantity": 1, "Sales": f"${amount(i):,.2f}", "_seg": seg, "_reg": reg, "_day": day,
                     "_amount": amount(i)})
        if i % 10 == 0:
            back = day + pd.Timedelta(days=14)
            rows.append({**rows[-1], "Order ID": f"O-{i:04d}-R", "Order Date": back.strftime("%Y-%m-%d"),
                         "Quantity": -1, "Sales": f"-${amount(i):,.2f}", "_day": back, "_amount": -amount(i)})
    rows.append({**rows[0], "Order ID": "O-LAST", "Order Date": "2024-12-31", "Sales": "$50.00",
                 "_day": pd.Timestamp("2024-12-31"), "_amount": 50.0})  # the data ends with 2024: whole years
    frame = pd.DataFrame(rows)
    path = tmp_path_factory.mktemp("store") / "store_export.csv"
    frame[[c for c in frame.columns if not c.startswith("_")]].to_csv(path, index=False)
    return path, frame


def figures(frame, **where):
    """(sales, returned, net) of the planted lines, restricted by ``where`` (column -> value of _seg/_year)."""
    f = frame
    for col, value in where.items():
        f = f[f[col] == value]
    sales = round(f[f._amount > 0]._amount.sum(), 2)
    returned = round(-f[f._amount < 0]._amount.sum(), 2)
    return sales, returned, round(sales - returned, 2)


@pytest.fixture(scope="module")
def s(store):
    return session(store[0])


def measure(table, name):
    rows = table.frame.set_index("measure")["value"]
    return float(rows[name])


def test_total_revenue_says_what_the_return_lines_take_off(s, store):
    sales, returned, net = figures(store[1])
    a = s.fork().ask("what was our total revenue?")
    head = a.table("headline")
    assert measure(head, "revenue") == pytest.approx(sales)
    assert measure(head, "returned value") == pytest.approx(returned)
    assert measure(head, "revenue net of returns") == pytest.approx(net)
    assert f"revenue is {net:,.2f}" in a.summary
    # no refund column: no refunds figure, and never "0.00 in refunds"
    assert "in refunds" not in a.summary and "refunds" not in head.column("measure")


def test_net_revenue_by_year_is_sales_less_returns_each_on_its_own_date(s, store):
    frame = store[1].assign(_year=store[1]._day.dt.year)
    a = s.fork().ask("what's our net revenue by year?")
    assert a.params["net"] is True
    by_year = a.table("net_revenue_by_year").frame.set_index("year")
    by_year.index = by_year.index.map(str)
    for year in ("2023", "2024"):
        sales, returned, net = figures(frame, _year=int(year))
        assert by_year.loc[year, "sales"] == pytest.approx(sales)
        assert by_year.loc[year, "returned"] == pytest.approx(returned)
        assert by_year.loc[year, "net revenue"] == pytest.approx(net)
    total = figures(frame)[2]
    assert measure(a.table("headline"), "net revenue") == pytest.approx(total)
    assert f"{total:,.2f}" in a.summary  # the narrative's figure is the table's


def test_net_sales_of_two_years_side_by_side(s, store):
    frame = store[1].assign(_year=store[1]._day.dt.year)
    a = s.fork().ask("net sales 2023 vs 2024")
    table = a.table("comparison").frame.set_index("measure")
    assert table.loc["net revenue", "2023"] == pytest.approx(figures(frame, _year=2023)[2])
    assert table.loc["net revenue", "2024"] == pytest.approx(figures(frame, _year=2024)[2])


def test_plain_revenue_is_not_read_as_net(s):
    a = s.fork().ask("revenue by year")
    assert not a.params.get("net") and a.title != "Net revenue"


def test_a_value_written_in_another_case_is_one_group_in_a_breakdown(s, store):
    frame = store[1]
    a = s.fork().ask("revenue by segment")
    table = a.table(next(t.name for t in a.tables if "segment" in t.columns)).frame.set_index("segment")
    assert sorted(table.index) == sorted(SEGMENTS)  # not nine groups
    for seg in SEGMENTS:
        assert table.loc[seg, "revenue"] == pytest.approx(figures(frame, _seg=seg)[0])
    assert any("another case" in w and '"Consumer" counts' in w for w in a.warnings)
    # and a customers' column the same way: by region over the lines
    a = s.fork().ask("orders by region")
    regions = a.table(next(t.name for t in a.tables if "region" in t.columns)).column("region")
    assert sorted(regions) == sorted(REGIONS)


def test_a_filter_on_a_value_in_several_cases_is_said_once(s, store):
    a = s.fork().ask("revenue for corporate customers")
    assert a.params["filters"]["segment"] and "Corporate (in any case)" in a.understood
    assert "CORPORATE" not in a.understood
    assert measure(a.table("headline"), "revenue") == pytest.approx(figures(store[1], _seg="Corporate")[0])


def test_by_state_is_the_state_or_province_column_not_the_region(s, store):
    frame = store[1]
    a = s.fork().ask("revenue by state")
    assert a.params["by"] == ["state_province"]
    table = a.table(next(t.name for t in a.tables if "state_province" in t.columns)).frame.set_index("state_province")
    assert sorted(table.index) == sorted(STATES)
    texas = frame[(frame["State/Province"] == "Texas") & (frame._amount > 0)]._amount.sum()
    assert table.loc["Texas", "revenue"] == pytest.approx(texas)

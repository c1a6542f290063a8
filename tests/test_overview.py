"""overview on a store with known answers (conftest.orders_frame), through Session.ask."""

import datetime as dt

import pytest

from helpers import numbers

from custlens import Session
from custlens.errors import CannotAnswer, DataError, ParamsError


@pytest.fixture
def session(orders_csv):
    return Session(data=[str(orders_csv)], entry_points=False)


def headline(answer):
    return dict(answer.table("headline").rows)


def test_headline_counts_exclude_the_return(session):
    a = session.ask("how many customers do we have and what do they spend?")
    assert a.analysis == "overview"
    h = headline(a)
    assert h["customers"] == 7
    assert h["orders"] == 11
    assert h["revenue"] == 800.0  # 600 + 150 + 50; the -25 return is not a sale
    assert h["return lines"] == 1 and h["returned value"] == 25.0
    assert h["average order value"] == round(800 / 11, 2)
    assert h["first order"] == "2023-01-05" and h["last order"] == "2024-06-05"
    assert any("return" in w for w in a.warnings)


def test_narrative_numbers_come_from_the_tables(session):
    a = session.ask("give me an overview of the data")
    h = headline(a)
    said = numbers(a.summary)
    for value in (h["customers"], h["orders"], h["revenue"], h["average order value"]):
        assert round(value, 2) in [round(x, 2) for x in said], (value, a.summary)


def test_revenue_by_country(session, orders_frame):
    a = session.ask("total revenue by country")
    t = a.table("by_country")
    assert t.columns[:2] == ["country", "revenue"]
    expected = orders_frame[orders_frame.amount > 0].groupby("country").amount.sum().sort_values(ascending=False)
    assert [r[0] for r in t.rows] == list(expected.index)
    assert t.column("revenue") == list(expected.values)
    assert t.column("share of revenue") == [0.75, 0.1875, 0.0625]
    assert "Germany" in a.summary and "75.0%" in a.summary
    assert a.charts and a.charts[0].kind == "bar" and a.charts[0].table == "by_country"


def test_top_n_products_shows_n_keeps_all_for_export(session):
    a = session.ask("top 2 products")
    t = a.table("by_product")
    assert len(t.rows) == 2 and t.total_rows == 4
    assert t.rows[0][0] == "Widget" and t.rows[0][1] == 600.0
    assert len(t.frame) == 4


def test_sales_by_month_in_a_year(session):
    a = session.ask("sales by month in 2023")
    assert a.params["start"] == "2023-01-01" and a.params["end"] == "2023-12-31"
    t = a.table("by_month")
    assert t.columns[0] == "month"
    assert sum(t.column("revenue")) == 4 * 100 + 3 * 50
    assert t.column("month")[0] == "2023-01"  # a month as a table shows it (templates.period_value)
    assert "by: period" in a.understood and "2023" in a.understood


def test_filter_from_data_values(session):
    a = session.ask("revenue by product in Germany")
    assert a.params["filters"] == {"country": ["Germany"]}
    assert headline(a)["revenue"] == 600.0
    assert a.table("by_product").rows[0][:2] == ["Widget", 600.0]


def test_grain_and_metric(session):
    a = session.ask("number of orders per quarter")
    assert a.params["grain"] == "quarter" and a.params["metric"] == "orders"
    t = a.table("by_quarter")
    assert t.columns[:2] == ["quarter", "orders"]
    assert sum(t.column("orders")) == 11


def test_two_dimensions_make_a_pivot(session):
    asked = session.ask("product distribution by country")  # no measure word: overview, or asked back with it
    assert asked.analysis == "overview" or "overview" in asked.table("readings").column("analysis")
    a = session.ask("product distribution by country", analysis="overview")
    assert a.params["by"] == ["product", "country"]
    pivot = a.table("product_x_country")
    assert pivot.columns[0] == "product"
    widget = dict(zip(pivot.columns, pivot.rows[0]))
    assert widget["product"] == "Widget" and widget["Germany"] == 600.0 and widget["France"] == 0


def test_params_override_and_validation(session):
    a = session.ask("overview", params={"by": "category", "top": "1"})
    assert a.table("by_category").rows == [["Tools", 625.0, 7, 4, 0.0, 625.0, 0.78125]]  # nothing of it returned
    with pytest.raises(ParamsError, match="no parameter 'topp'"):
        session.ask("overview", params={"topp": "3"})
    with pytest.raises(ParamsError, match="top"):
        session.ask("overview", params={"top": "lots"})


def test_unknown_filter_value_suggests_close_ones(session):
    with pytest.raises(ParamsError, match="Germany"):
        session.ask("overview", params={"filters": {"country": "Germny"}})


def test_empty_period_is_a_clear_error(session):
    with pytest.raises(DataError, match="no purchases match"):
        session.ask("revenue in 2019")


def test_breakdown_by_missing_column(session):
    with pytest.raises(DataError, match="channel"):
        session.ask("revenue by channel")


def test_unanswerable_and_empty_questions(session):
    with pytest.raises(CannotAnswer) as info:
        session.ask("what's the weather like in Paris tomorrow?")
    assert info.value.suggestions
    with pytest.raises(CannotAnswer):
        session.ask("   \x00\x07  ")


def test_sql_in_the_question_is_never_executed(session):
    a = session.ask("revenue by country'; DROP TABLE transactions; --")
    assert a.analysis == "overview"
    assert session.dataset.scalar("SELECT count(*) FROM transactions") == 11


def test_help_lists_analyses(session):
    a = session.ask("what can you do?")
    assert a.analysis == "help" and "overview" in a.table("analyses").column("analysis")


@pytest.fixture
def with_customers(tmp_path, orders_csv):
    """The orders plus a customers table: C0-C2 (all of Germany's 600) are B2B from referrals,
    C3-C6 are B2C from paid search."""
    customers = tmp_path / "customers.csv"
    customers.write_text("customer_id,segment_type,acquisition_channel,age\n" + "".join(
        f"C{i},{'B2B,referral' if i < 3 else 'B2C,paid search'},{30 + i}\n" for i in range(7)))
    return Session(data=[str(orders_csv), str(customers)], entry_points=False)


def test_customer_attributes_filter_through_join(with_customers):
    a = with_customers.ask("revenue for B2B by country")
    assert a.params["filters"] == {"segment_type": ["B2B"]}
    assert headline(a)["revenue"] == 600.0


def test_last_months_counts_back_from_the_data_not_the_clock(session):
    a = session.ask("sales last 3 months")
    assert a.params["end"] == "2024-06-05"
    assert a.params["start"] == str(dt.date(2024, 3, 6))


def test_a_name_not_in_the_data_is_said_not_ignored(session):
    with pytest.raises(ParamsError, match="no 'Atlantis' in the data"):
        session.ask("what is the revenue in Atlantis")
    slip = session.ask("revenue in Germani by product")  # one letter off a value: read as it, and said
    assert slip.params["filters"] == {"country": ["Germany"]} and "read 'Germani' as germany" in slip.understood
    # names the data does have, periods and month names are not flagged
    assert session.ask("revenue in Germany in March 2023").params["filters"] == {"country": ["Germany"]}
    assert session.ask("sales for Q1 2023").params["start"] == "2023-01-01"


def test_the_narrative_names_the_peak_period(session):
    from custlens.templates import period_name, period_value

    a = session.ask("revenue by quarter")
    t = a.table("by_quarter")
    best = max(zip(t.column("quarter"), t.column("revenue")), key=lambda r: r[1])
    assert best == ("2023 Q1", 350.0)  # Widget in Jan, Feb, Mar (300) and Gadget in March (50)
    # what was asked leads: the peak quarter by name, then the overall figures
    assert a.summary.startswith("Revenue by quarter: highest in **2023 Q1** (350.00); the latest, 2024 Q2, 200.00")
    assert period_name("2024-03-01", "month") == "March 2024"
    assert period_name("2025-11-10", "week") == "the week of 2025-11-10"
    assert period_value("2024-03-01", "month") == "2024-03"  # in tables
    assert period_value("2025-05-10", "quarter", fiscal_start=4) == "FY2025/26 Q1"
    assert period_name("2025-05-10", "year", fiscal_start=4) == "FY2025/26"


def test_breakdown_by_any_attribute_of_the_data(with_customers):
    s = with_customers
    a = s.ask("revenue by acquisition channel")
    assert a.params["by"] == ["acquisition_channel"]
    assert a.table("by_acquisition_channel").rows[0][:2] == ["referral", 600.0]
    with pytest.raises(DataError, match="cannot break down by 'colour'.*acquisition_channel"):
        s.ask("overview", params={"by": "colour"})


@pytest.fixture
def crm_csv(tmp_path):
    """A CRM export without sales: 10 customers, 4 churned, 6 on monthly contracts (3 of them churned)."""
    rows = [("c1", "Monthly", "Yes"), ("c2", "Monthly", "Yes"), ("c3", "Monthly", "Yes"), ("c4", "Monthly", "No"),
            ("c5", "Monthly", "No"), ("c6", "Monthly", "No"), ("c7", "Yearly", "Yes"), ("c8", "Yearly", "No"),
            ("c9", "Yearly", "No"), ("c10", "Two year", "No")]
    path = tmp_path / "crm_contacts.csv"
    path.write_text("customer_id,contract,churn\n" + "".join(",".join(r) + "\n" for r in rows))
    return path


def test_customers_table_alone_gets_a_customer_overview(crm_csv):
    s = Session(data=[str(crm_csv)], entry_points=False)
    a = s.ask("how many customers do we have?")
    assert a.title == "Customer overview"
    assert dict(a.table("headline").rows) == {"customers": 10, "churn rate": 0.4}
    t = a.table("by_contract")
    assert t.rows[0] == ["Monthly", 6, 0.6, 0.5]
    assert "10 customers, of whom 40.0% have churned" in a.summary
    assert "**Monthly** with 6 customers (60.0%)" in a.summary
    assert s.ask("customers by contract").params["by"] == ["contract"]


def test_trend_compares_the_last_months_with_the_months_before(session):
    a = session.ask("give me an overview of the data")
    t = a.table("trend")  # data from 2023-01-05 to 2024-06-05: 17 months, so 3 against 3
    assert t.column("period") == ["the 3 months before", "last 3 months"]
    # last 3 months: 2024-03-06..2024-06-05 -> Widget May + June (200); before: Doohickey in March (25)
    # and Gizmo in February (25) fall in 2023-12-06..2024-03-05
    assert t.column("revenue") == [50.0, 200.0]
    assert "Revenue in the last 3 months was 200, up 300.0% on the 3 months before (50)." in a.summary


def test_saved_segment_labels_filter_and_values(orders_csv):
    """Labels saved by a segmentation are the ``segment`` filter and values for every analysis."""
    import pandas as pd
    from custlens.errors import ParamsError
    from custlens.session import Session

    s = Session(data=[str(orders_csv)], entry_points=False)
    ids = [r[0] for r in s.dataset.con.execute("SELECT DISTINCT customer_id FROM transactions ORDER BY 1").fetchall()]
    labels = pd.DataFrame({"customer_id": ids, "segment": ["Top" if i == ids[0] else "Rest" for i in ids]})
    assert s.dataset.set_segments(labels, "test") == len(ids)
    assert s.dataset.values()["customers"]["segment"] == ["Rest", "Top"]
    where, args = s.dataset.scope({"segment": ["Top"]})
    n = s.dataset.scalar(f"SELECT count(DISTINCT customer_id) FROM transactions t WHERE {where}", args)
    assert n == 1
    with pytest.raises(ParamsError, match="Did you mean 'Top'"):
        s.dataset.scope({"segment": ["Tops"]})
    s.dataset.clear_segments()
    assert "segment" not in s.dataset.values().get("customers", {})


def test_per_customer_sql_counts_purchases_only(session):
    ds = session.dataset
    where, args = ds.scope()
    frame = ds.query(ds.per_customer_sql(where), args).set_index("customer_id")
    assert len(frame) == 7
    assert frame.loc["C0", "orders"] == 2 and frame.loc["C0", "revenue"] == 200.0
    # C6 bought twice (25 + 25); the -25 return is not a purchase
    assert frame.loc["C6", "orders"] == 2 and frame.loc["C6", "revenue"] == 50.0
    assert str(frame.loc["C6", "last_order"].date()) == "2024-03-01"


def test_a_table_with_an_empty_date_column_reads():
    import pandas as pd
    from custlens.answer import Table

    frame = pd.DataFrame({"when": pd.to_datetime(pd.Series([None, None])), "n": [1, 2]})
    assert Table.from_frame("t", frame).rows == [[None, 1], [None, 2]]


def test_units_asked_lead_the_answer(session):
    """"how many units did we sell in 2023": the units total is the first line (7 lines of one unit
    each in 2023; the return in 2024 is not a sale), not only the best month."""
    a = session.ask("how many units did we sell in 2023")
    assert a.params["metric"] == "quantity"
    assert a.summary.splitlines()[0].startswith("**7 units** sold between 2023-")
    assert dict(a.table("headline").rows)["units"] == 7


def test_over_time_by_a_column_keeps_every_period_in_order_and_ranks_the_column(tmp_path):
    # 14 months; the biggest month is the first, so a ranking of periods would put it on top and
    # drop months. Five countries; "top 3" keeps the three biggest countries as columns.
    rows, n = [], 0
    for m in range(14):
        day = (dt.date(2024, 1, 1) + dt.timedelta(days=31 * m)).replace(day=10)
        for country, amount in (("Germany", 100), ("France", 60), ("Spain", 30), ("Italy", 20), ("Malta", 5)):
            n += 1
            rows.append(f"c{n % 7},o{n},{day},{country},{amount * (5 if m == 0 else 1)}")
    path = tmp_path / "orders.csv"
    path.write_text("customer_id,order_id,order_date,country,amount\n" + "\n".join(rows) + "\n")
    a = Session(data=[str(path)], entry_points=False).chat("revenue per month for the top 3 countries")
    t = a.table("month_x_country")
    assert t.columns == ["month", "Germany", "France", "Spain"]
    months = [r[0] for r in t.frame.itertuples(index=False)]
    assert len(months) == 14 and months == sorted(months)
    first = dict(zip(t.columns, t.frame.iloc[0]))
    assert first["Germany"] == 500 and first["Spain"] == 150
    assert "top 3 countries" in t.title and "month" in t.title

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


# --------------------------------------------------------------------------- a customers column of dates kept as an attribute

# a subscriber table as the Netflix userbase holds it: the join date is the signup date, the last
# payment date a column of its own, both written 15-01-22; the latest payment is 15 July 2023
SUBSCRIBERS = [["User ID", "Subscription Type", "Monthly Revenue", "Join Date", "Last Payment Date", "Country"],
               [1, "Basic", 10, "15-01-22", "10-06-23", "Spain"],    # 35 days before 15 July
               [2, "Premium", 15, "05-09-21", "22-06-23", "Canada"],  # 23 days
               [3, "Standard", 12, "28-02-22", "14-05-23", "Spain"],  # 62 days
               [4, "Basic", 10, "20-03-22", "15-07-23", "Canada"],    # 0 days
               [5, "Premium", 15, "13-08-22", "01-07-23", "Spain"]]   # 14 days


def test_a_text_column_of_dates_kept_as_an_attribute_is_a_date_not_a_breakdown(tmp_path):
    s = session(write(tmp_path / "Netflix Userbase.csv", SUBSCRIBERS))
    kinds = s.dataset.relation_columns("customers")
    assert str(kinds["last_payment_date"]).startswith(("DATE", "TIMESTAMP"))
    assert "last_payment_date" not in s.dataset.values().get("customers", {})  # no value list of days
    a = s.ask("how many customers do we have")
    assert "last_payment_date" not in a.params.get("by", []) and "28-06-23" not in a.summary
    assert all("last payment date" not in t.title.lower() for t in a.tables)


def test_days_since_the_last_payment_are_read_from_its_date(tmp_path):
    s = session(write(tmp_path / "Netflix Userbase.csv", SUBSCRIBERS))
    a = s.ask("how many subscribers haven't paid in the last 30 days?")
    assert a.analysis == "churn" and a.params["inactive_days"] == 30
    h = dict(a.table("headline").rows)
    assert h["no purchase for more than 30 days"] == 2  # users 1 and 3, counted to 15 July 2023
    assert sorted(a.table("inactive").frame["customer_id"].astype(str)) == ["1", "3"]
    assert "15 July 2023" in a.summary
    a = s.ask("what is our churn rate")  # no churn flag: the default 90 days of silence, none past it
    assert a.analysis == "churn" and dict(a.table("headline").rows)["no purchase for more than 90 days"] == 0


# --------------------------------------------------------------------------- a web-analytics export of sessions

# UCI Online Shoppers Purchasing Intention's layout: one row a session, no id and no date, Revenue
# TRUE/FALSE whether the session bought; 8 sessions, 3 of them bought (2 of 4 in Nov, 1 of 4 in Dec)
SESSIONS = [["ProductRelated", "ProductRelated_Duration", "BounceRates", "ExitRates", "PageValues", "Month",
             "OperatingSystems", "Browser", "Region", "TrafficType", "VisitorType", "Weekend", "Revenue"],
            [12, 400.5, 0.0, 0.02, 30.1, "Nov", 2, 2, 1, 2, "Returning_Visitor", "FALSE", "TRUE"],
            [3, 20.0, 0.2, 0.2, 0.0, "Nov", 1, 1, 1, 1, "New_Visitor", "FALSE", "FALSE"],
            [40, 1200.0, 0.01, 0.03, 12.5, "Nov", 2, 2, 3, 2, "New_Visitor", "TRUE", "TRUE"],
            [1, 0.0, 0.2, 0.2, 0.0, "Nov", 3, 2, 1, 3, "Returning_Visitor", "FALSE", "FALSE"],
            [8, 150.0, 0.05, 0.07, 0.0, "Dec", 2, 2, 1, 2, "Returning_Visitor", "TRUE", "FALSE"],
            [25, 900.0, 0.0, 0.01, 45.0, "Dec", 2, 4, 2, 2, "Returning_Visitor", "FALSE", "TRUE"],
            [2, 10.0, 0.1, 0.15, 0.0, "Dec", 1, 1, 1, 1, "Returning_Visitor", "FALSE", "FALSE"],
            [6, 80.0, 0.0, 0.05, 0.0, "Dec", 2, 2, 1, 3, "Returning_Visitor", "FALSE", "FALSE"]]


def test_a_table_of_web_sessions_is_read_one_row_a_visit_and_its_bought_flag_is_the_conversion(tmp_path):
    s = session(write(tmp_path / "online_shoppers_intention.csv", SESSIONS))
    [src] = s.dataset.sources
    assert src.role == "customers" and "visits" in src.role_reason  # it was left unused ("role: unknown")
    assert "amount" not in s.dataset.mapping_of(src)  # Revenue TRUE/FALSE is no money
    a = s.ask("what is our conversion rate?")
    assert a.params["measure"] == "revenue" and a.params["stat"] == "share"
    assert dict(a.table("headline").rows)["revenue rate"] == pytest.approx(3 / 8)
    by = s.ask("conversion rate by month").table("by_month").frame.set_index("month")["revenue rate"]
    assert by.to_dict() == pytest.approx({"Nov": 0.5, "Dec": 0.25})
    assert dict(s.ask("what is the average bounce rate?").table("headline").rows)["average bounce rates"] == \
        pytest.approx(sum(r[2] for r in SESSIONS[1:]) / 8)


# --------------------------------------------------------------------------- numbered kinds are groups, not bands

def test_a_number_naming_a_kind_is_one_group_per_value_not_quartile_bands(tmp_path):
    # 12 traffic types (codes 1-12: more than ten values), type 2 the most common; ages of as many values
    # are still banded (a number of amounts)
    types = [2, 2, 2, 2, 1, 1, 1, 3, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    rows = [["Customer ID", "Age", "TrafficType", "Browser"]]
    rows += [[f"C{i}", 20 + i, t, (i % 11) + 1] for i, t in enumerate(types)]
    s = session(write(tmp_path / "customers.csv", rows))
    a = s.ask("which traffic type brings the most customers?")
    by = a.table("by_traffic_type").frame
    assert len(by) == 12 and float(by.iloc[0]["traffic_type"]) == 2 and by.iloc[0]["customers"] == 4
    assert len(s.ask("customers by browser").table("by_browser").frame) == 11
    assert len(s.ask("customers by age").table("by_age").frame) == 4  # quartile bands, as before


def test_buying_said_of_sessions_is_their_bought_flag(tmp_path):
    s = session(write(tmp_path / "online_shoppers_intention.csv", SESSIONS))
    # "made a purchase" counted those who bought, not every returning visitor (6 of them, 2 bought)
    a = s.ask("how many returning visitors made a purchase?")
    assert a.params["filters"] == {"visitor_type": ["Returning_Visitor"]} and a.params["measure"] == "revenue"
    assert dict(a.table("headline").rows)["revenue rate"] == pytest.approx(2 / 6)
    # "those that bought vs those that did not": a breakdown by the flag, not the average of everyone
    a = s.ask("average page value of sessions that bought vs those that did not")
    by = a.table("by_revenue").frame.set_index("revenue")["average page values"]
    assert by.to_dict() == pytest.approx({"TRUE": (30.1 + 12.5 + 45.0) / 3, "FALSE": 0.0})
    # "what drives purchases": the flag's drivers
    a = s.ask("what drives purchases?")
    assert a.analysis == "churn" and a.params["outcome"] == "revenue"



def test_buying_is_the_sales_own_where_sales_are_loaded(tmp_path):
    # orders and a customers table whose one outcome column is a campaign's response: "customers who
    # bought" are the buyers of the orders, never the responders
    orders = write(tmp_path / "orders.csv", [["order_id", "customer_id", "order_date", "amount"],
                                              ["O1", "C1", "2024-01-05", 10], ["O2", "C2", "2024-01-06", 20]])
    customers = write(tmp_path / "customers.csv", [["customer_id", "age", "response"], ["C1", 30, "yes"],
                                                    ["C2", 40, "no"], ["C3", 50, "no"]])
    a = session(orders, customers).ask("how many customers bought in January 2024?")
    assert "response" not in a.params.get("filters", {}) and a.params.get("measure") != "response"


# --------------------------------------------------------------------------- a period on a customers table's signups

def test_signups_by_month_in_a_year_are_that_years_signups(tmp_path):
    s = session(write(tmp_path / "Netflix Userbase.csv", SUBSCRIBERS))
    a = s.ask("how many new subscribers joined each month in 2022?")
    by = a.table("by_month").frame
    # the 2021 signup (user 2) is out; it was listed, and the period said "not applied"
    assert dict(zip(by["month"].astype(str), by["signups"])) == {"2022-01": 1, "2022-02": 1, "2022-03": 1, "2022-08": 1}
    assert "4 in all" in a.summary
    assert not any(w.startswith("not applied") for w in a.warnings)
    assert any("read by the signup date (Join Date)" in w for w in a.warnings)


def test_two_periods_on_customers_alone_point_to_their_signup_dates(tmp_path):
    from custlens.errors import ParamsError

    s = session(write(tmp_path / "Netflix Userbase.csv", SUBSCRIBERS))
    with pytest.raises(ParamsError, match=r"signup dates \(Join Date\) are read.*signups by year"):
        s.ask("how many subscribers joined in 2022 vs 2021?")


# --------------------------------------------------------------------------- a month said of rows without dates

def test_a_month_said_of_rows_without_dates_is_their_month_column(tmp_path):
    from custlens.errors import ParamsError

    s = session(write(tmp_path / "online_shoppers_intention.csv", SESSIONS))
    a = s.ask("how many sessions made a purchase in November?")  # was "not applied: November 2026", all 8
    assert a.params["filters"]["month"] == ["Nov"] and a.params["start"] is None
    assert dict(a.table("headline").rows)["revenue rate"] == pytest.approx(2 / 4)
    assert "read 'November' as month = Nov" in a.understood
    with pytest.raises(ParamsError, match="no April in month: Dec, Nov"):
        s.ask("conversion rate in April")


# --------------------------------------------------------------------------- an average of nothing the data names

def test_an_average_of_words_no_column_holds_is_said_not_read(tmp_path):
    s = session(write(tmp_path / "online_shoppers_intention.csv", SESSIONS))
    a = s.ask("average time spent on product pages")  # was a count of the sessions, nothing said
    assert a.params.get("measure") is None
    assert "not read: average time spent on product pages" in a.understood
    assert any("product_related_duration" in w for w in a.warnings if w.startswith("not read"))
    a = s.ask("average exit rates by month")  # a column named: read, no note
    assert a.params["measure"] == "exit_rates" and "not read" not in a.understood

"""Classes of failure found by the tenth stranger's trial (Kaggle "Sample Sales Data", a bank churn
table), each on a small file with a known answer."""

from __future__ import annotations

import pytest

from helpers import session, write

# --------------------------------------------------------------------------- headers run together

# the Kaggle sample sales export's layout: words run together in capitals, SALES the line's money
# (PRICEEACH is capped at 100 in that export, so SALES is not QUANTITYORDERED x PRICEEACH)
SAMPLE_SALES = [
    ["ORDERNUMBER", "QUANTITYORDERED", "PRICEEACH", "ORDERLINENUMBER", "SALES", "ORDERDATE", "STATUS",
     "PRODUCTLINE", "PRODUCTCODE", "CUSTOMERNAME", "COUNTRY", "DEALSIZE"],
    [10100, 30, 100, 1, 5151.0, "1/6/03", "Shipped", "Vintage Cars", "S18_1749", "Online Diecast Creations Co.", "USA", "Medium"],
    [10100, 50, 67.8, 2, 3390.0, "1/6/03", "Shipped", "Vintage Cars", "S18_2248", "Online Diecast Creations Co.", "USA", "Medium"],
    [10101, 25, 100, 1, 3782.0, "1/9/03", "Shipped", "Classic Cars", "S18_2325", "Blauer See Auto, Co.", "Germany", "Medium"],
    [10102, 39, 100, 1, 4808.31, "1/10/03", "Shipped", "Classic Cars", "S18_1342", "Vitachrome Inc.", "USA", "Medium"],
    [10103, 26, 100, 1, 5404.62, "1/29/03", "Cancelled", "Classic Cars", "S10_1949", "Baane Mini Imports", "Norway", "Medium"],
    [10104, 20, 58.9, 1, 1178.0, "2/3/03", "Shipped", "Motorcycles", "S10_1678", "Blauer See Auto, Co.", "Germany", "Small"],
    [10105, 41, 70.0, 1, 2870.0, "3/4/04", "Shipped", "Classic Cars", "S18_2325", "Online Diecast Creations Co.", "USA", "Small"],
]


def test_headers_whose_words_run_together_are_recognised(tmp_path):
    s = session(write(tmp_path / "sales_data_sample.csv", SAMPLE_SALES))
    [src] = s.dataset.describe()
    m = {c["canonical"]: c["column"] for c in src["columns"] if c["canonical"]}
    assert m["customer_id"] == "CUSTOMERNAME" and m["order_id"] == "ORDERNUMBER"
    assert m["product"] == "PRODUCTCODE" and m["category"] == "PRODUCTLINE"
    assert m["quantity"] == "QUANTITYORDERED" and m["amount"] == "SALES"
    h = dict(s.ask("how many customers do we have?").table("headline").rows)
    # the cancelled order (Baane Mini Imports, 10103) is no sale
    assert (h["customers"], h["orders"]) == (3, 5)
    assert h["revenue"] == pytest.approx(5151 + 3390 + 3782 + 4808.31 + 1178 + 2870)
    top = s.ask("top 3 customers by revenue").table("by_customer").frame
    assert top.iloc[0]["customer"] == "Online Diecast Creations Co."
    assert top.iloc[0]["revenue"] == pytest.approx(5151 + 3390 + 2870)
    lines = s.ask("revenue by product line").table("by_category").frame.set_index("category")["revenue"]
    assert lines["Classic Cars"] == pytest.approx(3782 + 4808.31 + 2870)


def test_a_header_with_its_words_apart_is_taken_before_one_run_together(tmp_path):
    rows = [["customername", "Customer Name", "order date", "total"],
            ["x1", "Anna", "2024-01-05", 10], ["x2", "Ben", "2024-01-06", 20], ["x3", "Anna", "2024-02-01", 5]]
    s = session(write(tmp_path / "sales.csv", rows))
    [src] = s.dataset.describe()
    m = {c["canonical"]: c["column"] for c in src["columns"] if c["canonical"]}
    assert m["customer_id"] == "Customer Name"
    assert dict(s.ask("how many customers do we have?").table("headline").rows)["customers"] == 2


# --------------------------------------------------------------------------- nothing to count customers or orders by

# a till export: a date, a product, an amount, a status; no customer, no order (receipt) id
TILL = [["date", "product", "country", "status", "sales"],
        ["2023-01-10", "Mug", "France", "Shipped", 10.0],
        ["2023-02-11", "Towel", "France", "Shipped", 20.0],
        ["2024-01-12", "Mug", "Spain", "Shipped", 30.0],
        ["2024-01-12", "Mug", "Spain", "Shipped", 30.0],
        ["2024-03-02", "Candle", "France", "Cancelled", 99.0],
        ["2024-03-05", "Candle", "France", "Shipped", 5.0]]


def test_counts_the_data_cannot_make_are_blank_not_zero(tmp_path):
    s = session(write(tmp_path / "till.csv", TILL))
    [src] = s.dataset.describe()
    assert any("no customer id and no order id column" in w for w in src["warnings"])
    a = s.ask("how many customers do we have?")
    h = dict(a.table("headline").rows)
    assert h["revenue"] == pytest.approx(95.0)  # the cancelled line is no sale
    assert h["customers"] is None and h["orders"] is None and h["average order value"] is None
    assert "0 orders" not in a.summary and "0 customers" not in a.summary
    assert any("no customer id and no order id column" in w for w in a.warnings)
    by = s.ask("revenue by country").table("by_country").frame.set_index("country")
    assert by.loc["Spain", "revenue"] == pytest.approx(60.0)
    assert by["orders"].isna().all() and by["customers"].isna().all()
    c = s.ask("how did 2024 compare to 2023?")
    rows = {r[0]: r[1:] for r in c.table("comparison").rows}
    assert rows["revenue"][:2] == [30.0, 65.0]
    assert rows["orders"][:2] == [None, None] and rows["customers"][:2] == [None, None]
    assert "Orders: 0" not in c.summary
    cancelled = s.ask("how many orders were cancelled?")
    head = dict(cancelled.table("headline").rows)
    assert head == {"lines cancelled": 1, "cancelled value": 99.0, "average per line": 99.0}
    assert "1 lines cancelled" in cancelled.summary.replace("*", "") and "99.00" in cancelled.summary


# --------------------------------------------------------------------------- a column named as a breakdown is no metric

def test_a_breakdown_column_whose_name_is_a_metric_phrase_is_the_breakdown(tmp_path):
    # DEALSIZE: "deal size" alone is the average deal (order) value; "revenue by deal size" asks revenue
    s = session(write(tmp_path / "sales_data_sample.csv", SAMPLE_SALES))
    a = s.ask("revenue by deal size")
    [t] = [t for t in a.tables if t.name == "by_dealsize"]
    frame = t.frame.set_index("dealsize")
    assert t.columns[1] == "revenue"
    assert frame.loc["Small", "revenue"] == pytest.approx(1178 + 2870)
    assert frame.loc["Medium", "revenue"] == pytest.approx(5151 + 3390 + 3782 + 4808.31)
    # said alone, it is still the average order value
    b = s.ask("average deal size by country")
    assert b.tables[0].columns[1] == "average order value"


def test_a_check_of_the_parameters_together_is_said_as_a_sentence(tmp_path):
    from custlens.errors import ParamsError

    s = session(write(tmp_path / "sales_data_sample.csv", SAMPLE_SALES))
    with pytest.raises(ParamsError) as err:
        s.ask("which deal sizes are bought together")
    said = str(err.value)
    assert "params=" not in said and "Value error" not in said
    assert "not dealsize" in said and "which products are bought together" in said


# --------------------------------------------------------------------------- breakdowns said loosely (bank churn table)

BANK = [["CustomerId", "Age", "AgeGroup", "IsActiveMember", "Geography", "Exited"]] + [
    [15600000 + i, 25 + (i % 4) * 12, ["20-29", "30-39", "40-49", "Retiree"][i % 4], i % 2,
     ["France", "Spain"][i % 2], 1 if i % 5 == 0 or (i % 2 == 0 and i % 3 == 0) else 0]
    for i in range(40)]


def _truth(column):
    import pandas as pd

    frame = pd.DataFrame(BANK[1:], columns=BANK[0])
    return frame.groupby(column)["Exited"].agg(["sum", "count"])


def test_a_word_beside_its_negation_is_the_breakdown_by_its_column(tmp_path):
    s = session(write(tmp_path / "Churn_Modelling.csv", BANK))
    truth = _truth("IsActiveMember")
    for q in ("churn rate of active vs inactive members", "churn rate for inactive or active members"):
        a = s.ask(q)
        assert "filter" not in a.understood, q  # both groups: "active members" is no filter here
        [t] = [t for t in a.tables if t.name == "churn_by_is_active_member"]
        got = t.frame.set_index("is active member" if "is active member" in t.columns else t.columns[0])
        for flag, row in truth.iterrows():
            key = next(k for k in got.index if str(k) in (str(flag), str(bool(flag))))
            assert (got.loc[key, "customers"], got.loc[key, "churned"]) == (row["count"], row["sum"]), q


def test_a_column_named_whole_is_not_also_the_shorter_column_inside_it(tmp_path):
    s = session(write(tmp_path / "Churn_Modelling.csv", BANK))
    a = s.ask("churn rate by age group")
    assert "by: age_group" in a.understood and "age, age_group" not in a.understood
    assert not any("_x_" in t.name for t in a.tables)
    both = s.ask("churn rate by age and age group")
    assert "age, age_group" in both.understood


# --------------------------------------------------------------------------- empty rows below the data

def test_rows_with_every_field_blank_are_dropped_and_said(tmp_path):
    path = tmp_path / "olist_orders_dataset.csv"
    path.write_text("order_id,customer_id,order_status,order_purchase_timestamp,total\n"
                    "o1,c1,delivered,10/2/2017 10:56,10.5\n"
                    "o2,c2,delivered,7/24/2018 20:41,20\n"
                    "o3,c1,delivered,8/8/2018 8:38,5\n" + ",,,,\n" * 50, encoding="utf-8")
    s = session(path)
    [src] = s.dataset.describe()
    assert src["rows"] == 3
    assert any(w.startswith("50 empty row(s)") for w in src["warnings"])
    assert not any("duplicate" in w or "no customer id" in w for w in src["warnings"])
    h = dict(s.ask("how many customers do we have?").table("headline").rows)
    assert (h["customers"], h["orders"], h["revenue"]) == (2, 3, 35.5)


def test_a_measure_word_inside_the_name_of_the_column_read_is_not_said_unread(tmp_path):
    rows = [["CustomerId", "CreditScore", "HasCrCard", "Exited"]] + [
        [100 + i, 600 + i, 1 if i % 4 else 0, 1 if i % 5 == 0 else 0] for i in range(40)]
    s = session(write(tmp_path / "Churn_Modelling.csv", rows))
    a = s.ask("what share of customers have a credit card?")
    assert "30 of 40 customers (75.0%)" in a.summary
    assert not any("not read: credit" in w for w in a.warnings)
    # said where nothing reads it, the credit score is still said unread
    b = s.ask("churn rate, and the credit too")
    assert any(w.startswith("not read: credit (credit_score") for w in b.warnings)


# --------------------------------------------------------------------------- a row number is no attribute

def test_a_row_number_column_is_no_attribute_of_churn(tmp_path):
    # sorted by the outcome: the row number alone would "predict" churn perfectly
    rows = [["RowNumber", "CustomerId", "Geography", "Tenure", "Exited"]] + [
        [i + 1, 15600000 + 7 * i, ["France", "Spain"][i % 2], (i * 3) % 10, 1 if i >= 45 else 0] for i in range(60)]
    s = session(write(tmp_path / "Churn_Modelling.csv", rows))
    a = s.ask("churn rate")
    attrs = set(a.table("churn_by_attribute").frame["attribute"])
    assert "row_number" not in attrs and {"geography", "tenure"} <= attrs
    why = s.ask("why do customers churn?")
    assert "row_number" not in why.summary
    h = dict(a.table("headline").rows)
    assert (h["customers"], h["churned"]) == (60, 15)


def test_sales_with_orders_but_no_customer_leave_the_customers_blank_and_say_why(tmp_path):
    s = session(write(tmp_path / "pos.csv", [["receipt id", "date", "total"], ["r1", "2024-01-01", 10],
                                             ["r2", "2024-01-02", 5], ["r2", "2024-01-02", 2.5]]))
    a = s.ask("how many customers do we have?")
    h = dict(a.table("headline").rows)
    assert (h["customers"], h["orders"], h["revenue"], h["average order value"]) == (None, 2, 17.5, 8.75)
    assert any("no customer id column: customers cannot be counted" in w for w in a.warnings)


# --------------------------------------------------------------------------- a change % is a fraction

def test_the_change_percent_of_a_compared_breakdown_keeps_its_decimals(tmp_path):
    s = session(write(tmp_path / "sales_data_sample.csv", SAMPLE_SALES))
    a = s.ask("revenue by product line, 2004 vs 2003")
    [t] = [t for t in a.tables if t.name == "compare_by_category"]
    row = t.frame.set_index("category").loc["Classic Cars"]
    before, after = 3782 + 4808.31, 2870.0
    assert (row["2003"], row["2004"]) == (pytest.approx(before), pytest.approx(after))
    assert row["change %"] == pytest.approx(round((after - before) / before, 6))  # -0.666..., not -0.67


# --------------------------------------------------------------------------- a purchase said as not made

def test_a_value_said_as_never_bought_is_no_filter_on_it(tmp_path):
    s = session(write(tmp_path / "sales_data_sample.csv", SAMPLE_SALES))
    total = 5151 + 3390 + 3782 + 4808.31 + 1178 + 2870
    a = s.ask("revenue from customers who never bought Motorcycles")
    assert "filter" not in a.understood and "not applied: never bought Motorcycles" in a.understood
    assert dict(a.table("headline").rows)["revenue"] == pytest.approx(total)  # not the Motorcycles line alone
    b = s.ask("revenue from customers who bought Classic Cars but never Motorcycles")
    assert "filter: category = Classic Cars" in b.understood and "Motorcycles" not in b.understood.split("not applied")[0]
    assert dict(b.table("headline").rows)["revenue"] == pytest.approx(3782 + 4808.31 + 2870)
    c = s.ask("revenue from Motorcycles")  # said as bought, still the filter
    assert dict(c.table("headline").rows)["revenue"] == pytest.approx(1178)

"""Classes of failure found by the thirteenth stranger's trial (Kaggle "Supermarket sales" re-saved
in a European locale: ';'-separated with decimal commas; Kaggle "Retail Sales Dataset" with its
dates day first and month, day and year columns added), each on a small file with a known answer."""

from __future__ import annotations

import pytest

from helpers import session, write

# --------------------------------------------------------------------------- decimal commas with any number of decimals

# the supermarket export's layout: Total = price x quantity + 5% tax, kept to four decimals (548,9715),
# a rating to one (9,1); ';'-separated as a European spreadsheet saves it
SUPERMARKET = """Invoice ID;Branch;City;Customer type;Product line;Unit price;Quantity;Tax 5%;Total;Date;Payment;Rating
750-67-8428;A;Yangon;Member;Health and beauty;74,69;7;26,1415;548,9715;1/5/2019;Ewallet;9,1
226-31-3081;C;Naypyitaw;Normal;Electronic accessories;15,28;5;3,82;80,22;3/8/2019;Cash;9,6
631-41-3108;A;Yangon;Normal;Home and lifestyle;46,33;7;16,2155;340,5255;3/3/2019;Credit card;7,4
123-19-1176;A;Yangon;Member;Health and beauty;58,22;8;23,288;489,048;1/27/2019;Ewallet;8,4
373-73-7910;B;Mandalay;Normal;Sports and travel;86,31;7;30,2085;634,3785;2/8/2019;Ewallet;5,3
"""
TOTALS = [548.9715, 80.22, 340.5255, 489.048, 634.3785]


def test_decimal_commas_with_more_than_two_decimals_are_decimal_marks(tmp_path):
    path = tmp_path / "supermarket_sales - Sheet1.csv"
    path.write_text(SUPERMARKET, encoding="utf-8")
    s = session(path)
    h = dict(s.ask("total sales").table("headline").rows)
    assert h["revenue"] == pytest.approx(sum(TOTALS), abs=0.01)  # not 5489715 + 8022 + ...: the comma is no thousands mark
    by = s.ask("sales by branch").table("by_branch").frame.set_index("branch")["revenue"]
    assert by["A"] == pytest.approx(548.9715 + 340.5255 + 489.048, abs=0.01)
    # every such column is a number, not only the amount: a tax, a rating
    [src] = s.dataset.describe()
    types = {c["column"]: c["type"] for c in src["columns"]}
    assert types["Rating"] == types["Tax 5%"] == types["Total"] == "DOUBLE"
    assert any("decimal commas" in w for w in src["warnings"])


def test_a_thousands_comma_is_not_taken_for_a_decimal_comma(tmp_path):
    # US amounts with thousands commas and decimal points (quoted in a comma file) stay as they are
    path = tmp_path / "orders.csv"
    path.write_text('order_id,customer_id,order_date,amount\n1,a,2024-01-05,"1,234.50"\n2,b,2024-01-06,"2,000"\n'
                    '3,a,2024-02-01,"1,500,000.25"\n4,c,2024-02-03,99.5\n', encoding="utf-8")
    s = session(path)
    h = dict(s.ask("total revenue").table("headline").rows)
    assert h["revenue"] == pytest.approx(1234.50 + 2000 + 1500000.25 + 99.5)


def test_an_amount_with_a_currency_sign_and_four_decimals_after_its_comma(tmp_path):
    # the amount read as text (a sign in it): the same vote tells the comma is the decimal mark
    rows = ["order_id;customer_id;order_date;amount"] + [
        f"{i};c{i % 2};2024-01-0{i};€ {t:.4f}".replace(".", ",") for i, t in enumerate(TOTALS, 1)]
    path = tmp_path / "umsatz.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    h = dict(session(path).ask("total revenue").table("headline").rows)
    assert h["revenue"] == pytest.approx(sum(TOTALS), abs=0.01)


# --------------------------------------------------------------------------- a column that repeats the date's month

# the retail file's layout: the date day first, and a sheet's added Month ("Nov"), Day ("Fri") and Year
RETAIL = [["Transaction ID", "Date", "Customer ID", "Gender", "Age", "Product Category", "Quantity",
           "Price per Unit", "Total Amount", "Month", "Day", "Year"],
          [1, "24-11-2023", "CUST001", "Male", 34, "Beauty", 3, 50, 150, "Nov", "Fri", 2023],
          [2, "13-01-2023", "CUST002", "Female", 26, "Clothing", 2, 500, 1000, "Jan", "Fri", 2023],
          [3, "13-01-2023", "CUST003", "Male", 50, "Electronics", 1, 30, 30, "Jan", "Fri", 2023],
          [4, "01-01-2024", "CUST004", "Male", 37, "Clothing", 1, 500, 500, "Jan", "Mon", 2024],
          [5, "21-05-2023", "CUST005", "Female", 30, "Beauty", 2, 50, 100, "May", "Sun", 2023]]


def test_by_month_beside_a_column_repeating_the_dates_month_keeps_the_years_apart(tmp_path):
    s = session(write(tmp_path / "retail_sales_dataset.csv", RETAIL))
    a = s.ask("revenue by month")
    assert a.params["by"] == ["period"]
    months = a.table("by_month").frame
    got = {str(p)[:7]: r for p, r in zip(months.iloc[:, 0], months["revenue"])}
    # January 2023 (1,030) and January 2024 (500), not one "Jan" of 1,530; in the calendar's order
    assert got == {"2023-01": 1030, "2023-05": 100, "2023-11": 150, "2024-01": 500}
    assert list(got) == sorted(got)
    assert "repeats it" in a.understood


def test_a_month_column_that_is_no_copy_of_the_date_is_still_a_breakdown(tmp_path):
    # a billing month that differs between lines of one date is a column of its own
    rows = [["order_id", "customer_id", "order_date", "amount", "month"],
            [1, "a", "2024-01-05", 10, "March"], [2, "b", "2024-01-05", 20, "April"],
            [3, "a", "2024-02-01", 5, "March"]]
    a = session(write(tmp_path / "orders.csv", rows)).ask("revenue by month")
    assert a.params["by"] == ["month"]
    assert dict(zip(a.table("by_month").frame["month"], a.table("by_month").frame["revenue"])) == {"March": 15, "April": 20}


# --------------------------------------------------------------------------- a text date and its time in another column

def test_a_text_date_beside_a_time_column_is_read_with_its_time(tmp_path):
    # 1/27/2019 (text, month first) and 13:08 in its own column, as the supermarket file holds them
    path = tmp_path / "supermarket_sales - Sheet1.csv"
    path.write_text(SUPERMARKET.replace(";Payment;", ";Time;Payment;").replace(
        "1/5/2019;", "1/5/2019;13:08;").replace("3/8/2019;", "3/8/2019;10:29;").replace(
        "3/3/2019;", "3/3/2019;13:23;").replace("1/27/2019;", "1/27/2019;20:33;").replace(
        "2/8/2019;", "2/8/2019;10:37;"), encoding="utf-8")
    s = session(path)
    by = s.ask("sales by hour").table("by_hour").frame.set_index("hour")
    assert by["orders"].to_dict() == {"10:00": 2, "13:00": 2, "20:00": 1}
    assert by.loc["13:00", "revenue"] == pytest.approx(548.9715 + 340.5255, abs=0.01)
    # "our busiest hours" ranks the hours of the day, as "by hour" does
    a = s.ask("what are our busiest hours?")
    assert a.params["by"] == ["hour"] and a.params["metric"] == "orders"


# --------------------------------------------------------------------------- a number of the sales lines as a breakdown

def test_revenue_by_a_number_of_the_lines_is_in_its_quartile_bands(tmp_path):
    # the buyer's age on each sales line (no customers table): 12 ages, so four quartile bands
    rows = [["Transaction ID", "Date", "Customer ID", "Gender", "Age", "Product Category", "Total Amount"]]
    ages = [20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40, 42]
    for i, age in enumerate(ages, 1):
        rows.append([i, f"2023-0{1 + i % 9}-15", f"C{i}", "Female" if i % 2 else "Male", age, "Beauty", 10 * i])
    s = session(write(tmp_path / "retail.csv", rows))
    for q in ("revenue by age", "revenue by age group"):
        a = s.ask(q)
        assert a.params["by"] == ["age"], q
        got = dict(zip(a.table("by_age").frame["age"], a.table("by_age").frame["revenue"]))
        # quartiles of the 12 ages (quantile_disc): 24, 30, 36
        assert got == {"<= 24": 10 + 20 + 30, "24 - 30": 40 + 50 + 60, "30 - 36": 70 + 80 + 90,
                       "> 36": 100 + 110 + 120}, q
    assert any("quartile bands" in w for w in a.warnings)
    # a filter keeps the bands of the whole column
    women = s.ask("revenue by age for women").table("by_age").frame
    assert dict(zip(women["age"], women["revenue"])) == {"<= 24": 10 + 30, "24 - 30": 50, "30 - 36": 70 + 90,
                                                          "> 36": 110}


# --------------------------------------------------------------------------- a number of the sales lines as the measure

def test_a_number_of_the_sales_lines_named_as_the_measure_is_summarised_over_them(tmp_path):
    path = tmp_path / "supermarket_sales - Sheet1.csv"
    path.write_text(SUPERMARKET, encoding="utf-8")
    s = session(path)
    a = s.ask("average rating by branch")  # the rating of each invoice: not a survey's satisfaction
    assert a.analysis == "overview" and (a.params["measure"], a.params["stat"]) == ("rating", "mean")
    got = a.table("rating_by_branch").frame.set_index("branch")["average rating"]
    assert got.to_dict() == pytest.approx({"A": round((9.1 + 7.4 + 8.4) / 3, 2), "B": 5.3, "C": 9.6})
    tax = s.ask("total tax 5% by product line").table("tax_5_by_category").frame.set_index("category")["total tax 5"]
    assert tax["Health and beauty"] == pytest.approx(26.1415 + 23.288, abs=0.01)
    # said of the lines, without accounts (no subscriptions here)
    assert "account" not in a.summary and not any("per account" in w for w in a.warnings)


def test_the_average_age_of_the_buyers_of_a_category(tmp_path):
    s = session(write(tmp_path / "retail_sales_dataset.csv", RETAIL))
    a = s.ask("What is the average age of customers who buy Beauty products?")
    assert (a.params["measure"], a.params["stat"]) == ("age", "mean")
    assert dict(a.table("headline").rows)["average age"] == pytest.approx((34 + 30) / 2)
    by = s.ask("average age by category").table("age_by_category").frame.set_index("category")["average age"]
    assert by.to_dict() == pytest.approx({"Beauty": 32, "Clothing": (26 + 37) / 2, "Electronics": 50})


def test_the_most_of_a_number_of_the_lines_is_its_total_per_group(tmp_path):
    path = tmp_path / "supermarket_sales - Sheet1.csv"
    path.write_text(SUPERMARKET, encoding="utf-8")
    a = session(path).ask("Which product line brings the most tax 5%?")
    assert (a.params["measure"], a.params["stat"]) == ("tax_5", "sum")
    top = a.table("tax_5_by_category").frame.iloc[0]
    assert top["category"] == "Health and beauty" and top["total tax 5"] == pytest.approx(26.1415 + 23.288, abs=0.01)


# --------------------------------------------------------------------------- spend per visit is per order

def test_spending_more_per_visit_is_the_average_order_value(tmp_path):
    path = tmp_path / "supermarket_sales - Sheet1.csv"
    path.write_text(SUPERMARKET, encoding="utf-8")
    a = session(path).ask("Do members spend more per visit than normal customers?")
    assert a.params["metric"] == "aov" and a.params["by"] == ["customer_type"]
    got = a.table("by_customer_type").frame.set_index("customer_type")["average order value"]
    assert got["Member"] == pytest.approx((548.9715 + 489.048) / 2, abs=0.01)


# --------------------------------------------------------------------------- a top N cut inside a tie

def test_a_top_n_whose_cut_falls_inside_a_tie_says_so(tmp_path):
    # four customers spent 2,000 each: a "top 2" shows two of them, which is no ranking among the four
    rows = [["order_id", "customer_id", "order_date", "amount"]] + [
        [i, c, f"2024-01-{i:02d}", amt] for i, (c, amt) in enumerate(
            [("a", 2000), ("b", 2000), ("c", 2000), ("d", 2000), ("e", 500), ("f", 30)], 1)]
    s = session(write(tmp_path / "orders.csv", rows))
    a = s.ask("top 2 customers by revenue")
    assert a.table("by_customer").frame["revenue"].head(2).tolist() == [2000, 2000]
    assert any("4 customers share the revenue of 2,000 at the cut of the top 2" in w for w in a.warnings)
    # a clean cut says nothing
    assert not any("share the" in w for w in s.ask("top 4 customers by revenue").warnings)


# --------------------------------------------------------------------------- a comparison on a number of the lines

def test_revenue_from_customers_over_an_age_written_on_the_lines(tmp_path):
    s = session(write(tmp_path / "retail_sales_dataset.csv", RETAIL))  # ages 34, 26, 50, 37, 30
    a = s.ask("revenue from customers over 35")
    assert a.params["filters"] == {"age": ["> 35"]}
    assert dict(a.table("headline").rows)["revenue"] == 30 + 500  # ages 50 and 37: not silently every line
    # "aged 30 or younger" is at most 30, not exactly 30
    b = s.ask("revenue from customers aged 30 or younger")
    assert b.params["filters"] == {"age": ["<= 30"]}
    assert dict(b.table("headline").rows)["revenue"] == 1000 + 100


def test_a_year_column_that_is_no_copy_of_the_date_leaves_by_year_to_the_calendar(tmp_path):
    # a car's model year on each line (two of them on one date): "by year" is still the order date's year
    rows = [["order_id", "customer_id", "order_date", "amount", "year", "sales"],
            [1, "a", "2023-05-01", 10, 2019, 10], [2, "b", "2023-05-01", 20, 2021, 20],
            [3, "a", "2024-02-01", 5, 2019, 5], [4, "c", "2024-03-01", 7, 2015, 7],
            [5, "d", "2024-03-02", 1, 2016, 1], [6, "e", "2024-03-03", 2, 2017, 2]]
    s = session(write(tmp_path / "cars.csv", rows))
    a = s.ask("revenue by year")
    assert a.params["by"] == ["period"] and a.params["grain"] == "year"
    assert dict(zip(a.table("by_year").frame["year"].astype(str), a.table("by_year").frame["revenue"])) == \
        {"2023": 30, "2024": 15}


def test_revenue_by_a_number_of_the_customers_table_is_in_its_quartile_bands(tmp_path):
    # the same question where the age is in a customers table joined to the orders: bands, not 12 ages
    orders = [["order_id", "customer_id", "order_date", "amount"]] + [
        [i, f"C{i}", f"2024-0{1 + i % 9}-10", 10 * i] for i in range(1, 13)]
    people = [["customer_id", "age"]] + [[f"C{i}", 18 + 2 * i] for i in range(1, 13)]  # 20, 22, ... 42
    s = session(write(tmp_path / "orders.csv", orders), write(tmp_path / "customers.csv", people))
    a = s.ask("revenue by age")
    got = dict(zip(a.table("by_age").frame["age"], a.table("by_age").frame["revenue"]))
    assert got == {"<= 24": 60, "24 - 30": 150, "30 - 36": 240, "> 36": 330}
    assert any("quartile bands over the customers" in w for w in a.warnings)

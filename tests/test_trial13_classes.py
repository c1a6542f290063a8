"""Classes of failure found by the thirteenth stranger's trial (Kaggle "Supermarket sales" re-saved
in a European locale: ';'-separated with decimal commas; Kaggle "Retail Sales Dataset" with its
dates day first and month, day and year columns added), each on a small file with a known answer."""

from __future__ import annotations

import pytest

from helpers import session

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

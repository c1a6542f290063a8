"""A shop export read as the shop wrote it (the sixth new-user trial, a Shopify store): times
with a UTC offset keep their own calendar, customer e-mails differing only in case or spaces are
one customer, and fractions in tables show as percentages in every renderer. Small files the test
writes, shaped like a Shopify orders and customers export, with the answers known."""

import json
import re

import pytest

from helpers import session, write

from custlens import render
from custlens.answer import Table

HEADER = ["Name", "Email", "Financial Status", "Created at", "Lineitem quantity", "Lineitem name",
          "Lineitem price", "Billing Country"]


def orders(tmp_path, rows, name="orders_export.csv"):
    return write(tmp_path / name, [HEADER, *rows])


def notes(answer):
    return " ".join(answer.warnings)


# --------------------------------------------------------------------------- 1. the store's own calendar

#: evening orders whose UTC time falls in the next month (and year): in store time they are
#: Feb 2021 (2 orders, 60) and Dec 2021 (1 order, 100); in UTC Feb would have 1 and 2021 would lose #3
EVENINGS = [["#1", "a@x.com", "paid", "2021-01-15 10:00:00 -0500", "1", "Mug", "10.00", "US"],
            ["#2", "b@x.com", "paid", "2021-02-28 21:30:00 -0500", "1", "Bowl", "40.00", "US"],
            ["#4", "c@x.com", "paid", "2021-02-10 09:00:00 -0500", "1", "Cup", "20.00", "US"],
            ["#3", "d@x.com", "paid", "2021-12-31 19:27:00 -0500", "1", "Plate", "100.00", "US"],
            ["#5", "e@x.com", "paid", "2022-01-03 08:00:00 -0500", "1", "Mug", "10.00", "US"]]


def test_months_and_years_are_cut_in_the_time_the_data_was_written_in(tmp_path):
    s = session(orders(tmp_path, EVENINGS))
    a = s.ask("revenue by month in 2021")
    months = {str(r[0])[:7]: (r[1], r[2]) for r in a.table("by_month").rows}
    assert months["2021-02"] == (60.0, 2)  # #2 at 21:30 on 28 Feb is February's, not March's
    assert months["2021-12"] == (100.0, 1)  # the evening of 31 Dec counts in 2021
    assert "2021-03" not in months
    said = [w for w in a.warnings if "offsets they were written with" in w]
    assert len(said) == 1 and "(-05:00)" in said[0] and "'Created at'" in said[0]
    year = {str(r[0])[:4]: r[1] for r in s.ask("revenue by year").table("by_year").rows}
    assert year == {"2021": 170.0, "2022": 10.0}
    first = s.dataset.engine.rows("SELECT min(order_date), max(order_date) FROM transactions")[0]
    assert (str(first[0]), str(first[1])) == ("2021-01-15 10:00:00", "2022-01-03 08:00:00")  # the wall clock


@pytest.mark.parametrize("written", ["2021-12-31T19:27:00-05:00", "2021-12-31 19:27:00-05:00",
                                     "2021-12-31T19:27:00.250-05:00", "2021-12-31 19:27:00 +0530"])
def test_every_offset_spelling_keeps_the_local_date(tmp_path, written):
    rows = [["#1", "a@x.com", "paid", written, "1", "Plate", "100.00", "US"],
            ["#2", "b@x.com", "paid", written.replace("2021-12-31", "2022-01-02"), "1", "Mug", "10.00", "US"]]
    s = session(orders(tmp_path, rows))
    assert s.dataset.engine.rows("SELECT CAST(min(order_date) AS DATE) FROM transactions")[0][0].isoformat() \
        == "2021-12-31"
    offset = re.search(r"([+-]\d{2}):?(\d{2})$", written)
    assert any(f"({offset.group(1)}:{offset.group(2)})" in w for w in s.dataset.warnings_for(["transactions"]))


def test_times_without_an_offset_get_no_note(tmp_path):
    rows = [[*r[:3], r[3][:-6], *r[4:]] for r in EVENINGS]
    s = session(orders(tmp_path, rows))
    assert not any("offsets" in w for w in s.dataset.warnings_for(["transactions"]))
    assert s.dataset.engine.rows("SELECT count(*) FROM transactions WHERE order_date IS NOT NULL")[0][0] == 5


# --------------------------------------------------------------------------- 2. e-mails are one customer in any case

def test_emails_differing_only_in_case_or_spaces_are_one_customer(tmp_path):
    rows = [["#1", "Ann@Shop.com", "paid", "2024-01-05 10:00:00", "1", "Mug", "10.00", "US"],
            ["#2", "ann@shop.com ", "paid", "2024-02-05 10:00:00", "1", "Bowl", "30.00", "US"],
            ["#3", " ANN@SHOP.COM", "paid", "2024-03-05 10:00:00", "1", "Cup", "20.00", "US"],
            ["#4", "bob@shop.com", "paid", "2024-03-06 10:00:00", "1", "Mug", "10.00", "US"],
            ["#5", "Bob@shop.com", "paid", "2024-03-07 10:00:00", "1", "Mug", "10.00", "US"],
            ["#6", "cy@shop.com", "paid", "2024-03-08 10:00:00", "1", "Mug", "10.00", "US"]]
    customers = write(tmp_path / "customers_export.csv",
                      [["First Name", "Email", "Accepts Marketing", "Tags"],
                       ["Ann", "ANN@shop.com", "yes", "vip"], ["Bob", "bob@SHOP.com ", "no", "retail"],
                       ["Cy", "cy@shop.com", "no", "retail"]])
    s = session(orders(tmp_path, rows), customers)
    a = s.ask("how many customers do we have")
    assert dict(a.table("headline").rows)["customers"] == 3  # not 6
    said = [w for w in a.warnings if "written in more than one way" in w]
    assert len(said) == 1 and said[0].startswith("orders_export.csv: 2 customer e-mail(s)")
    assert "5 spellings" in said[0] and "count as 2 customer(s)" in said[0]
    # the customers export joins on the same e-mails whatever their case: Ann's three orders are vip
    by = {r[0]: r[1] for r in s.ask("revenue by tags").table("by_tags").rows}
    assert by == {"vip": 60.0, "retail": 30.0}
    # the repeat rate counts Ann and Bob as the repeat buyers they are
    repeat = dict(s.ask("what is our repeat purchase rate?").table("loyalty_headline").rows)["repeat purchase rate"]
    assert repeat == pytest.approx(2 / 3, abs=1e-3)


def test_a_customers_table_merges_emails_and_says_so(tmp_path):
    path = write(tmp_path / "customers_export.csv",
                 [["Email", "Country"], ["Ann@Shop.com", "US"], ["ann@shop.com", "US"], ["bob@shop.com", "CA"]])
    s = session(path)
    assert dict(s.ask("how many customers do we have?").table("headline").rows)["customers"] == 2
    warnings = s.dataset.warnings_for(["customers"])
    assert any("1 customer e-mail(s) are written in more than one way (2 spellings" in w for w in warnings)


def test_ids_that_are_not_emails_keep_their_case(tmp_path):
    path = write(tmp_path / "orders.csv", [["customer_id", "order_id", "order_date", "amount"],
                                           ["AB1", "1", "2024-01-05", "10"], ["ab1", "2", "2024-01-06", "10"],
                                           ["x@y.com", "3", "2024-01-07", "10"]])
    s = session(path)
    assert dict(s.ask("how many customers do we have").table("headline").rows)["customers"] == 3
    assert not any("more than one way" in w for w in s.dataset.warnings_for(["transactions"]))

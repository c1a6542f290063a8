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

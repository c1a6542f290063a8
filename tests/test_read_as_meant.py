"""Questions read as meant (issue 16, understanding): like-with-like comparisons of a partial
period, "last 6 months" said the one way, a comparison that ends with a new question's own shape,
cancelled and lost orders, breakdowns said as the source's column names or misspelt, new vs
returning customers, NPS, and signups per year. Each through ``Session.chat`` on planted data
with known answers."""

import datetime as dt

import pytest

from helpers import numbers, session, write

from custlens import Session


def first_line(answer) -> str:
    return answer.understood


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    """Orders ending 2025-08-14 (a partial year, quarter and month). Completed sales: 2024-03-10
    A 100, 2024-07-01 B 200, 2024-07-20 B 40, 2024-08-20 C 300 (after 14 Aug), 2024-10-05 A 1000,
    2025-02-01 A 150, 2025-07-10 E 60, 2025-08-14 D 250. Cancelled: 2024-06-06 D 30, 2025-05-05 B
    50, 2025-06-06 C 70. So 1 Jan-14 Aug: 2024 = 340, 2025 = 460; 1 Jul-14 Aug: 2024 = 240, 2025
    = 310; 1-14 Aug: 2024 = 0, 2025 = 250; 1-14 Jul 2025 = 60. First orders: A 2024-03, B 2024-07,
    C 2024-08, A returns 2024-10 and 2025-02, E 2025-07 (new), D 2025-08 (new: its cancelled order
    is no purchase)."""
    folder = tmp_path_factory.mktemp("partial")
    rows = [("A", "O1", "2024-03-10", "Germany", "web", "paid", 100),
            ("B", "O2", "2024-07-01", "France", "store", "paid", 200),
            ("B", "O3", "2024-07-20", "France", "store", "paid", 40),
            ("C", "O4", "2024-08-20", "Spain", "web", "paid", 300),
            ("A", "O5", "2024-10-05", "Germany", "web", "paid", 1000),
            ("A", "O6", "2025-02-01", "Germany", "web", "paid", 150),
            ("E", "O7", "2025-07-10", "Spain", "store", "paid", 60),
            ("D", "O8", "2025-08-14", "France", "web", "paid", 250),
            ("D", "O9", "2024-06-06", "France", "web", "cancelled", 30),
            ("B", "O10", "2025-05-05", "France", "store", "cancelled", 50),
            ("C", "O11", "2025-06-06", "Spain", "web", "cancelled", 70)]
    orders = write(folder / "orders.csv", [("customer_id", "order_id", "order_date", "country", "channel", "status",
                                            "amount"), *rows])
    return session(orders)


def compared(answer) -> dict[str, list[float]]:
    table = answer.tables[0]
    return {row[0]: list(row[1:]) for row in table.rows}


# -- 1. like with like ------------------------------------------------------------------------------

def test_this_year_vs_last_year_cuts_last_year_to_the_same_days(shop):
    a = shop.chat("sales this year vs last year")
    assert a.analysis == "overview"
    revenue = compared(a)["revenue"]
    assert revenue[:2] == [340, 460]  # 1 Jan-14 Aug of each year, not all of 2024 (1640)
    assert "2024 cut to 1 Jan–14 Aug to match 2025" in a.summary
    assert "2024 cut to 1 Jan–14 Aug" in first_line(a)


def test_quarter_and_month_are_cut_alike(shop):
    q = shop.chat("revenue Q3 2025 vs Q3 2024")
    assert compared(q)["revenue"][:2] == [240, 310]
    assert "2024 Q3 cut to 1 Jul–14 Aug to match 2025 Q3" in q.summary
    m = shop.chat("how did August compare to July")
    assert compared(m)["revenue"][:2] == [60, 250]  # July cut to 1-14 July: E's 60 only
    assert "July 2025 cut to 1–14 Jul to match August 2025" in m.summary


def test_whole_periods_are_not_cut(shop):
    a = shop.chat("compare Q1 2024 and Q1 2025")
    assert compared(a)["revenue"][:2] == [100, 150]
    assert "cut to" not in a.summary


# -- 2. last N months: one rule, said -----------------------------------------------------------------

def test_last_6_months_is_said_with_its_rule(shop):
    a = shop.chat("revenue in the last 6 months")
    line = first_line(a)
    assert "last 6 months = 15 Feb–14 Aug 2025" in line  # ends on the data's last day
    assert "data's last day" in line
    # 15 Feb-14 Aug 2025: E's 60 and D's 250 (A's 150 on 1 Feb is before)
    assert 310 in numbers(a.summary)


def test_past_3_months_same_rule(shop):
    a = Session.chat(shop, "orders past 3 months")
    assert "last 3 months = 15 May–14 Aug 2025" in first_line(a)


def test_last_6_months_vs_the_6_months_before(shop):
    a = shop.chat("revenue last 6 months vs the 6 months before")
    assert a.analysis == "overview"
    rows = compared(a)
    # 15 Aug 2024-14 Feb 2025: C 300, A 1000, A 150 = 1450; then 310
    assert rows["revenue"][:2] == [1450, 310]


# -- 3. a comparison ends with a question of its own shape ----------------------------------------

def test_comparison_ends_with_a_new_question(shop):
    s = shop.fork()
    first = s.chat("sales 2024 vs 2025")
    assert first.tables[0].name == "comparison"
    kept = s.chat("and by country?")
    assert kept.tables[0].name == "comparison" and any(t.name == "compare_by_country" for t in kept.tables)
    top = s.chat("top 3 customers")
    assert "compare" not in first_line(top)
    assert all(not t.name.startswith("compar") for t in top.tables)

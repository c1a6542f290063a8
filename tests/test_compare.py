"""Comparisons of two periods (issue 16, item 4): read from the question in everyday words and
answered by the overview with both periods side by side and the change, on planted figures."""

import datetime as dt

import pytest

from helpers import numbers

from custlens import Session
from custlens import slots as slotlib
from custlens.slots import comparison, extract
from custlens.templates import period_label

END = dt.date(2025, 12, 31)


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    """Orders with known totals: 2024 Q3 = 300 (3 orders, 2 customers), 2025 Q3 = 450 (3 orders,
    3 customers); Germany 100 -> 300, France 200 -> 150; February 2025 = 40, March 2025 = 60."""
    rows = [("A", "O1", "2024-07-05", "Germany", 100), ("B", "O2", "2024-08-05", "France", 120),
            ("B", "O3", "2024-09-05", "France", 80), ("A", "O4", "2025-07-05", "Germany", 200),
            ("C", "O5", "2025-08-05", "Germany", 100), ("D", "O6", "2025-09-30", "France", 150),
            ("E", "O7", "2025-02-10", "Spain", 40), ("E", "O8", "2025-03-10", "Spain", 60),
            ("F", "O9", "2025-12-31", "Spain", 10)]
    path = tmp_path_factory.mktemp("shop") / "orders.csv"
    path.write_text("customer_id,order_id,order_date,country,amount\n" + "".join(",".join(map(str, r)) + "\n"
                                                                               for r in rows))
    return Session(data=[str(path)], entry_points=False)


@pytest.mark.parametrize("question, periods", [
    ("sales Q3 2024 vs Q3 2025", [("2024-07-01", "2024-09-30"), ("2025-07-01", "2025-09-30")]),
    ("compare 2024 and 2025", [("2024-01-01", "2024-12-31"), ("2025-01-01", "2025-12-31")]),
    ("this year against last year by country", [("2024-01-01", "2024-12-31"), ("2025-01-01", "2025-12-31")]),
    ("how did March compare to February", [("2025-02-01", "2025-02-28"), ("2025-03-01", "2025-03-31")]),
    ("revenue this month versus last month", [("2025-11-01", "2025-11-30"), ("2025-12-01", "2025-12-31")]),
    ("were orders higher in h1 2025 than in h1 2024", [("2024-01-01", "2024-06-30"), ("2025-01-01", "2025-06-30")]),
    ("orders in Q3 2025 compared with Q2 2025", [("2025-04-01", "2025-06-30"), ("2025-07-01", "2025-09-30")]),
    ("last quarter vs this quarter", [("2025-07-01", "2025-09-30"), ("2025-10-01", "2025-12-31")]),
])
def test_two_periods_are_read_earlier_first(question, periods):
    found, _ = extract(question, None, END)
    assert [(a.isoformat(), b.isoformat()) for a, b in found["compare"]] == periods
    assert "start" not in found and "end" not in found  # one period is not silently taken


@pytest.mark.parametrize("question, periods", [
    # a change between two periods, a difference from one, "how does it compare" after the first
    ("has the average order value moved much between 2023 and 2025?", [("2023-01-01", "2023-12-31"),
                                                                      ("2025-01-01", "2025-12-31")]),
    ("how did conversion change between the first and second halves of 2025", [("2025-01-01", "2025-06-30"),
                                                                                ("2025-07-01", "2025-12-31")]),
    ("to what extent did revenue in 2024 differ from 2023?", [("2023-01-01", "2023-12-31"),
                                                               ("2024-01-01", "2024-12-31")]),
    ("what was churn in 2025 and how does it compare with 2024?", [("2024-01-01", "2024-12-31"),
                                                                   ("2025-01-01", "2025-12-31")]),
    ("Compare Q4 2024 revenue against Q4 2025, please", [("2024-10-01", "2024-12-31"), ("2025-10-01", "2025-12-31")]),
    # growth from one period to the next; "more" in one of two periods; the same quarter of the prior year
    ("which countries grew the most from 2024 to 2025?", [("2024-01-01", "2024-12-31"), ("2025-01-01", "2025-12-31")]),
    ("did we lose more people in 2024 or in 2025?", [("2024-01-01", "2024-12-31"), ("2025-01-01", "2025-12-31")]),
    ("orders last quarter vs same qtr prior year", [("2024-10-01", "2024-12-31"), ("2025-10-01", "2025-12-31")]),
    ("sales in the first half of ninety eight compared to the first half of ninety seven",
     [("1997-01-01", "1997-06-30"), ("1998-01-01", "1998-06-30")]),
])
def test_comparisons_said_in_other_words(question, periods):
    found, _ = extract(question, None, END)
    assert [(a.isoformat(), b.isoformat()) for a, b in found["compare"]] == periods
    assert "start" not in found and "end" not in found


@pytest.mark.parametrize("question, start, end", [
    ("revenue between march 2024 and june 2024", "2024-03-01", "2024-06-30"),  # a range, not two periods
    ("orders between 2023 and 2024", "2023-01-01", "2024-12-31"),
    ("sales in ninety days", None, None),  # a count of days, not 1990-something
])
def test_a_range_is_not_a_comparison(question, start, end):
    found, _ = extract(question, None, END)
    assert "compare" not in found
    assert (str(found["start"]) if "start" in found else None, str(found["end"]) if "end" in found else None) == \
        (start, end)


@pytest.mark.parametrize("question", ["customers with more than 5 orders", "revenue in 2024",
                                      "web vs app vs store", "b2b against b2c", "top 10 products by revenue"])
def test_no_comparison_unless_both_sides_are_periods(question):
    assert comparison(question.lower(), END)[0] is None


def test_period_labels_in_one_style():
    assert [period_label(*p) for p in [("2024-01-01", "2024-12-31"), ("2024-07-01", "2024-09-30"),
                                       ("2025-01-01", "2025-06-30"), ("2025-03-01", "2025-03-31"),
                                       ("2025-03-05", "2025-04-01"), ("2025-03-01", None)]] == \
        ["2024", "2024 Q3", "2025 H1", "March 2025", "2025-03-05 to 2025-04-01", "since 2025-03-01"]


def test_the_overview_puts_both_periods_side_by_side_with_the_change(shop):
    a = shop.ask("sales Q3 2024 vs Q3 2025")
    assert a.analysis == "overview" and "compare: 2024 Q3 vs 2025 Q3" in a.understood
    rows = {r[0]: r[1:] for r in a.table("comparison").rows}
    assert rows["revenue"] == [300.0, 450.0, 150.0, 0.5]
    assert rows["orders"][:3] == [2 + 1, 3, 0] and rows["customers"][:3] == [2, 3, 1]
    said = numbers(a.summary)
    assert {300, 450, 150, 50.0} <= set(round(x, 1) for x in said), a.summary  # the narrative's numbers are the table's
    assert "up" in a.summary


def test_a_breakdown_compares_each_value(shop):
    a = shop.chat("compare Q3 2024 with Q3 2025 by country")
    table = a.table("compare_by_country")
    rows = {r[0]: r[1:] for r in table.rows}
    assert rows["Germany"][:3] == [100.0, 300.0, 200.0] and rows["France"][:3] == [200.0, 150.0, -50.0]
    assert rows["France"][3] == -0.25


def test_a_month_against_the_month_before_and_a_period_with_no_sales(shop):
    a = shop.ask("how did March compare to February")
    assert dict((r[0], r[1:3]) for r in a.table("comparison").rows)["revenue"] == [40.0, 60.0]
    b = shop.ask("revenue 2023 vs 2025")
    assert "No purchases match 2023" in b.summary


def test_an_analysis_that_does_not_compare_runs_once_per_period(shop):
    """Any scoped analysis answers "X vs Y": once per period, both shown, each equal to asking for
    that period alone (loyalty's repeat rate here)."""
    both = shop.chat("repeat purchase rate 2024 vs 2025")
    assert both.analysis == "loyalty" and "compare: 2024 vs 2025" in both.understood
    assert both.title.endswith("2025 against 2024") and "**2024**" in both.summary and "**2025**" in both.summary
    alone = {year: shop.run("loyalty", {"start": f"{year}-01-01", "end": f"{year}-12-31"}) for year in (2024, 2025)}
    for year, answer in alone.items():
        first = answer.tables[0]
        mine = both.table(f"{year}_{first.name}")
        assert mine.rows == first.rows and mine.title.startswith(f"{year}: ")
    assert len(both.tables) == len(alone[2024].tables) + len(alone[2025].tables)


@pytest.mark.parametrize("question, periods", [
    ("did dec do better than dec last year", [("2024-12-01", "2024-12-31"), ("2025-12-01", "2025-12-31")]),
    ("churn this year vs last", [("2024-01-01", "2024-12-31"), ("2025-01-01", "2025-12-31")]),
    ("q3 2025 against the quarter before", [("2025-04-01", "2025-06-30"), ("2025-07-01", "2025-09-30")]),
    # on data whose last day closes December, "last month" alone is December (as ``period`` reads it)
    ("revenue last month vs the same month last year", [("2024-12-01", "2024-12-31"), ("2025-12-01", "2025-12-31")]),
    ("nps last q vs q before", [("2025-07-01", "2025-09-30"), ("2025-10-01", "2025-12-31")]),
    ("nps last 6 months vs the 6 before that", [("2025-01-01", "2025-06-30"), ("2025-07-01", "2025-12-31")]),
    ("orders in the last 3 months vs the same 3 months a year earlier",
     [("2024-10-01", "2024-12-31"), ("2025-10-01", "2025-12-31")]),
    ("q2 2025 against the same quarter a year before", [("2024-04-01", "2024-06-30"), ("2025-04-01", "2025-06-30")]),
])
def test_the_other_period_can_be_said_by_reference(question, periods):
    found, _ = extract(question, None, END)
    assert [(a.isoformat(), b.isoformat()) for a, b in found["compare"]] == periods


@pytest.mark.parametrize("question, start, end", [
    ("revenue on 3 March 2025", "2025-03-03", "2025-03-03"),
    ("orders on 2025-03-03", "2025-03-03", "2025-03-03"),
    ("sales 1st March 2024 to 15th March 2024", "2024-03-01", "2024-03-15"),
    ("revenue since 1st March 2025", "2025-03-01", None),  # since a day: no end, not the month
    ("orders until the 30th of june 2024", None, "2024-06-30"),
    ("orders before 1st of march", None, "2025-02-28"),  # no year: the data's last year
    ("top 3 products march 3, 2024", "2024-03-03", "2024-03-03"),
])
def test_days_are_read_as_days(question, start, end):
    found, _ = slotlib.extract(slotlib.clean(question), None, dt.date(2025, 12, 31))
    assert (found.get("start") and str(found["start"]), found.get("end") and str(found["end"])) == (start, end)


def test_two_days_compared_side_by_side(shop):
    a = shop.ask("how did September 30 2025 compare to August 5 2025")
    assert a.params["compare"] == [["2025-08-05", "2025-08-05"], ["2025-09-30", "2025-09-30"]]
    assert "compare: 2025-08-05 vs 2025-09-30" in a.understood
    assert dict((r[0], r[1:4]) for r in a.table("comparison").rows)["revenue"] == [100.0, 150.0, 50.0]

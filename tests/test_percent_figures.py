"""A rate reads the same in an answer's table and in its narrative (trial 10, B13/B15): 448 of 1,193
is 37.552%, once kept to 4 places (0.3755, in binary 0.37549999...) and shown "37.5%" in the table
while the text, from the exact figure, said 37.6%. Every percentage is shown by one formatter
(templates.pct, used by the table cells and the narratives), rounded half up in decimal, from a
fraction kept to 6 places. Planted counts: 448 of 1,193 and 5 of 16 (31.25%, exactly on a half)."""

import math
import re

import pytest

from helpers import session, write

from custlens.render import cell, render
from custlens.templates import RATE_PLACES, pct


def shown(table, key, column):
    """The text a table shows for ``column`` in the row whose first value is ``key``."""
    i = table.columns.index(column)
    [row] = [r for r in table.rows if r[0] == key]
    return cell(row[i], column, table.shows_percent(row, i))


def test_a_fraction_is_shown_rounded_half_up_in_decimal():
    assert pct(0.3755) == "37.6%"  # 0.3755 * 100 is 37.549999... in binary: Python's format says 37.5%
    assert pct(448 / 1193) == pct(round(448 / 1193, RATE_PLACES)) == pct(round(448 / 1193, 4)) == "37.6%"
    assert pct(5 / 16) == "31.3%" and pct(1 / 16) == "6.3%" and pct(1 / 16, 0) == "6%"
    assert pct(5 / 16, sign=True) == "+31.3%" and pct(-5 / 16, sign=True) == "-31.3%"
    assert pct(-0.00001) == "0.0%"  # no "-0.0%"
    assert pct(0.37549) == "37.5%"  # rounded once: kept to 4 places it would read 37.6%
    assert pct(None) == pct(math.nan) == "n/a"
    assert cell(0.3755, "churn rate") == "37.6%" and cell(5 / 16, "share of revenue") == "31.3%"
    # kept to 6 places, the exact figure and the kept one always read the same
    for k, n in [(448, 1193), (5, 16), (1, 16), (3755, 10000), (37549, 100000), (2, 3), (1, 7)]:
        assert pct(k / n) == pct(round(k / n, RATE_PLACES)), (k, n)


BANK_HEADER = ["CustomerId", "Gender", "Geography", "Exited"]


def bank_rows():
    """Germany: 448 of 1,193 churned (37.552%); France 50 of 160 (31.25%); Spain 70 of 200 (35%)."""
    rows, i = [BANK_HEADER], 0
    for geography, n, k, gender in [("Germany", 1193, 448, "Female"), ("France", 160, 50, "Female"),
                                    ("Spain", 200, 70, "Male")]:
        for j in range(n):
            rows.append([15600000 + i, gender, geography, 1 if j < k else 0])
            i += 1
    return rows


@pytest.fixture(scope="module")
def bank(tmp_path_factory):
    return session(write(tmp_path_factory.mktemp("bank") / "Churn_Modelling.csv", bank_rows()))


def test_churn_rates_by_attribute_read_the_same_in_table_and_text(bank):
    a = bank.ask("churn rate by geography")
    by = a.table("churn_by_geography")
    assert shown(by, "Germany", "churn rate") == "37.6%"
    assert shown(by, "France", "churn rate") == "31.3%"
    assert f"**Germany** ({shown(by, 'Germany', 'churn rate')})" in a.summary, a.summary  # highest
    assert f"**France** ({shown(by, 'France', 'churn rate')})" in a.summary, a.summary  # lowest
    overall = shown(a.table("headline"), "churn rate", "value")
    assert overall == "36.6%" and f"({overall})" in a.summary  # 568 of 1,553 = 36.574%
    every = {(r[0], r[1]): r for r in a.table("churn_by_attribute").rows}
    t = a.table("churn_by_attribute")
    i = t.columns.index("churn rate")
    assert cell(every["geography", "Germany"][i], "churn rate", True) == "37.6%"
    text = render(a, "markdown")
    assert "| Germany | 1,193 | 448 | 37.6% |" in text and "37.5%" not in text


def test_the_rate_of_one_group_reads_the_same_in_table_and_text(bank):
    """B13: "churn rate for women in Germany", 448 of 1,193."""
    a = bank.ask("churn rate for women in Germany")
    rate = shown(a.table("headline"), "churn rate", "value")
    assert rate == "37.6%" and f"**448 have churned ({rate})**" in a.summary, a.summary
    assert "37.5%" not in render(a, "markdown")


@pytest.mark.parametrize("amounts, share", [
    ({"Germany": 448, "France": 400, "Spain": 345}, "37.6%"),  # 448 of 1,193
    ({"Germany": 500, "France": 400, "Spain": 400, "Italy": 300}, "31.3%"),  # 500 of 1,600: 31.25%
])
def test_overview_shares_read_the_same_in_table_and_text(tmp_path, amounts, share):
    rows = [["customer_id", "order_id", "order_date", "country", "amount"]]
    rows += [[f"C{i}", f"O{i}", "2025-03-0%d" % (i + 1), country, amount]
             for i, (country, amount) in enumerate(amounts.items())]
    a = session(write(tmp_path / "orders.csv", rows)).ask("revenue by country")
    [t] = [t for t in a.tables if "share of revenue" in t.columns]
    assert shown(t, "Germany", "share of revenue") == share
    assert f"({share} of revenue)" in a.summary, a.summary
    assert share in re.findall(r"\d+\.\d%", a.summary)


def test_a_comparison_of_two_periods_reads_the_same_in_table_and_text(tmp_path):
    """2024 Q3: 16 orders worth 1,193; 2025 Q3: 21 orders worth 1,641: revenue +37.552% (448 of
    1,193), orders and customers +31.25% (5 of 16)."""
    rows = [["customer_id", "order_id", "order_date", "amount"]]
    before = [75] * 15 + [1193 - 75 * 15]
    after = [78] * 20 + [1641 - 78 * 20]
    for year, amounts in (("2024", before), ("2025", after)):
        for i, amount in enumerate(amounts):
            rows.append([f"{year}-{i}", f"O{year}-{i}", f"{year}-0{7 + i % 3}-{10 + i % 18}", amount])
    rows[-1][2] = "2025-09-30"  # the data runs to the end of the quarter: no like-with-like cut
    a = session(write(tmp_path / "orders.csv", rows)).ask("sales Q3 2024 vs Q3 2025")
    t = a.table("comparison")
    assert [r[1:3] for r in t.rows if r[0] == "revenue"] == [[1193.0, 1641.0]]
    revenue, orders = shown(t, "revenue", "change %"), shown(t, "orders", "change %")
    assert (revenue, orders) == ("37.6%", "31.3%")
    assert f"(+{revenue})" in a.summary and f"(+{orders})" in a.summary, a.summary
    for r in t.rows:  # every change the text states is its table's figure
        change = r[t.columns.index("change %")]
        if change is not None and r[0] in ("revenue", "orders", "customers", "average order value"):
            assert f"({pct(change, sign=True)})" in a.summary, (r, a.summary)
            assert pct(change, sign=True).lstrip("+-") == shown(t, r[0], "change %").lstrip("-")

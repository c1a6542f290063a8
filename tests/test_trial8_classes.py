"""Trial 8's remaining classes, on a small planted table in the UCI Online Retail layout (none needs
the trial's files):

1. A day named without a year ("7 december", "dec 7", "the 7th of december") is read like a month
   without one: the year in force, else the data's last year with it, said on the first line; a day
   in figures that reads two ways ("7/12") is not guessed; "since march" is from the data's last March.
2. "what share of revenue comes from the top 10 customers": one concentration figure (their revenue,
   the total, the share), as "the top 10% of customers" gives.
3. Ranking products sets aside service lines (postage, fees, manual adjustments), said with their
   revenue, which stays in the totals.
4. One customer's spend, orders, purchases or last order: the overview of that customer.
5. An analysis the question names wins over "customers with more than 2 orders"."""

import pytest

from helpers import numbers, session, write
from custlens.templates import pct

HEADER = ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"]

#: (invoice, stock code, description, quantity, day, unit price, customer)
ROWS = [
    ("500001", "85123A", "WHITE HANGING HEART", 10, "2023-12-14", 2.5, "17850"),   # 25, a 14 December a year back
    ("500001", "POST", "POSTAGE", 1, "2023-12-14", 40.0, "17850"),                 # 40
    ("500002", "22423", "REGENCY CAKESTAND", 2, "2024-03-05", 12.0, "12583"),      # 24
    ("500003", "84879", "BIRD ORNAMENT", 20, "2024-06-10", 1.5, "13047"),          # 30
    ("500004", "DOT", "DOTCOM POSTAGE", 1, "2024-12-07", 300.0, ""),               # 300, no customer
    ("500004", "22086", "PAPER CHAIN KIT", 5, "2024-12-07", 3.0, ""),              # 15
    ("500005", "85123A", "WHITE HANGING HEART", 4, "2024-12-07", 2.5, "17850"),    # 10
    ("500006", "M", "Manual", 1, "2024-12-09", 100.0, "14000"),                    # 100
    ("500007", "AMAZONFEE", "AMAZON FEE", 1, "2024-12-10", 200.0, ""),             # 200
    ("500008", "22086", "PAPER CHAIN KIT", 3, "2024-12-13", 3.0, "17850"),         # 9
]
#: eleven more customers, 21001..21011, spending 10, 20, ... 110 on the cake stand in November 2024
ROWS += [(f"5001{i:02d}", "22423", "REGENCY CAKESTAND", i, f"2024-11-{i:02d}", 10.0, f"{21000 + i}")
         for i in range(1, 12)]


def amount(row) -> float:
    return row[3] * row[5]


def total(rows=ROWS) -> float:
    return sum(amount(r) for r in rows)


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    path = tmp_path_factory.mktemp("trial8") / "online_retail.csv"
    rows = [HEADER] + [[inv, code, desc, str(q), day, str(p), cust, "United Kingdom"]
                       for inv, code, desc, q, day, p, cust in ROWS]
    return path, write(path, rows)


@pytest.fixture
def s(shop):
    return session(shop[1])


def headline(answer) -> dict:
    return dict(answer.table("headline").rows)


# ------------------------------------------------------------------ 1. days without a year
@pytest.mark.parametrize("question", ["revenue on 7 december", "revenue on the 7th of december", "revenue dec 7",
                                      "what was revenue on december 7"])
def test_a_day_without_a_year_is_the_data_s_last_one(s, question):
    a = s.chat(question)
    assert (str(a.params["start"]), str(a.params["end"])) == ("2024-12-07", "2024-12-07")
    assert headline(a)["revenue"] == pytest.approx(300 + 15 + 10)
    assert "2024-12-07 (no year said" in a.understood


def test_a_day_later_in_the_year_than_the_data_is_the_year_before(s):
    a = s.chat("revenue on 14 december")  # the data ends 2024-12-13: its last 14 December is 2023's
    assert (str(a.params["start"]), str(a.params["end"])) == ("2023-12-14", "2023-12-14")
    assert headline(a)["revenue"] == pytest.approx(65.0)


def test_a_day_in_the_year_in_force(s):
    s.chat("revenue in 2023")
    a = s.chat("and on 14 december?")
    assert (str(a.params["start"]), str(a.params["end"])) == ("2023-12-14", "2023-12-14")
    assert headline(a)["revenue"] == pytest.approx(65.0)


def test_a_day_in_figures_that_reads_two_ways_is_not_guessed(s):
    a = s.chat("revenue on 7/12")
    assert not a.params.get("start") and not a.params.get("end")
    assert "not read: '7/12'" in a.understood
    assert any("day 7 of December or July 12" in w for w in a.warnings)
    assert headline(a)["revenue"] == pytest.approx(total())


def test_a_day_in_figures_that_reads_one_way(s):
    a = s.chat("revenue on 13/12")
    assert (str(a.params["start"]), str(a.params["end"])) == ("2024-12-13", "2024-12-13")
    assert headline(a)["revenue"] == pytest.approx(9.0)


def test_since_a_month_without_a_year(s):
    a = s.chat("revenue since march")
    assert str(a.params["start"]) == "2024-03-01" and not a.params.get("end")
    assert "read 'since march' as from 2024-03-01" in a.understood
    assert headline(a)["revenue"] == pytest.approx(total() - 65.0)


def test_a_range_of_days_without_a_year(s):
    a = s.chat("revenue between 7 and 10 december")
    assert (str(a.params["start"]), str(a.params["end"])) == ("2024-12-07", "2024-12-10")
    assert headline(a)["revenue"] == pytest.approx(325 + 100 + 200)


# ------------------------------------------------------------------ 2. the top N customers' share
def customer_revenue() -> dict[str, float]:
    out: dict[str, float] = {}
    for r in ROWS:
        if r[6]:
            out[r[6]] = out.get(r[6], 0.0) + amount(r)
    return out


@pytest.mark.parametrize("question", ["what share of revenue comes from the top 10 customers",
                                      "how much of our revenue do the top 10 customers account for",
                                      "the top 10 customers' share of revenue"])
def test_the_share_of_the_top_n_customers_is_one_figure(s, question):
    a = s.chat(question)
    spend = customer_revenue()
    top10 = sum(sorted(spend.values(), reverse=True)[:10])
    whole = sum(spend.values())
    assert a.analysis == "overview" and a.params["share_top"] == 10
    row = next(r for r in a.table("concentration").rows if r[-1])
    assert row[1] == 10 and row[2] == pytest.approx(top10) and row[3] == pytest.approx(top10 / whole, abs=1e-4)
    assert f"{pct(top10 / whole)}" in a.summary and f"{top10:,.2f} of {whole:,.2f}" in a.summary
    assert f"{pct(top10 / total())} of all {total():,.2f}" in a.summary  # beside the lines without a customer
    assert len(a.table("top_customers").rows) == 10


def test_the_top_n_customers_with_their_shares_stay_a_ranking(s):
    a = s.chat("top 10 customers and their share of revenue")
    assert not a.params.get("share_top") and "customer" in a.params["by"]


# ------------------------------------------------------------------ 3. service lines set aside
SERVICES = {"POSTAGE": 40.0, "DOTCOM POSTAGE": 300.0, "Manual": 100.0, "AMAZON FEE": 200.0}


@pytest.mark.parametrize("question", ["top 10 products", "what are our best selling products"])
def test_product_rankings_set_service_lines_aside(s, question):
    a = s.chat(question)
    ranked = a.table("by_product").column("product")
    assert not set(ranked) & set(SERVICES)
    assert ranked[0] == "REGENCY CAKESTAND"  # 24 + 660: the top product once postage and fees are aside
    assert "set aside 4 non-product lines: DOTCOM POSTAGE, AMAZON FEE, Manual, POSTAGE (640.00 of revenue)" \
        in a.understood
    note = next(w for w in a.warnings if w.startswith("set aside"))
    assert "the name says postage" in note and "stay in the totals" in note
    assert dict(a.table("headline").rows)["revenue"] == pytest.approx(total())  # never out of the totals


def test_a_service_line_asked_by_name_is_not_set_aside(s):
    a = s.chat("revenue of POSTAGE by product")
    assert a.table("by_product").column("product") == ["POSTAGE"]
    assert not any(w.startswith("set aside") for w in a.warnings)


def test_the_general_overview_s_top_product_is_a_product(s):
    a = s.chat("sales overview")
    assert "Top product: **REGENCY CAKESTAND**" in a.summary
    assert dict(a.table("headline").rows)["revenue"] == pytest.approx(total())


def test_the_top_products_share_is_of_products_and_of_every_line(s):
    a = s.chat("what share of revenue comes from the top 2 products")
    row = next(r for r in a.table("concentration").rows if r[-1])
    assert row[2] == pytest.approx(684 + 35)  # the cake stand and the heart, not DOTCOM POSTAGE's 300
    assert row[3] == pytest.approx((684 + 35) / total(), abs=1e-4)  # of all revenue, the services' too
    assert "set aside 4 non-product lines" in a.understood


@pytest.fixture
def coded(tmp_path):
    """Thirty lines of products with digits in their codes, and one of code 'AMZ' named 'AMAZON' (no
    service word: set aside by its code alone) worth the most."""
    rows = [HEADER] + [[f"6000{i:02d}", f"2{i % 3}001", f"PRODUCT {i % 3}", "1", f"2024-05-{i % 28 + 1:02d}", "10",
                        f"3{i:04d}", "France"] for i in range(30)]
    rows.append(["600099", "AMZ", "AMAZON", "1", "2024-05-30", "500", "", "France"])
    return session(write(tmp_path / "coded.csv", rows))


def test_a_code_of_letters_among_codes_of_digits_is_a_service(coded):
    a = coded.chat("top 5 products")
    assert "AMAZON" not in a.table("by_product").column("product")
    note = next(w for w in a.warnings if w.startswith("set aside 1 non-product line: AMAZON (500.00 of revenue)"))
    assert "stock_code AMZ: letters only, where the other codes have digits" in note


@pytest.fixture
def baskets(tmp_path):
    """Forty orders, each with POSTAGE: twenty hold MUG and PLATE, twenty CUP and BOWL."""
    rows = [HEADER]
    for i in range(40):
        pair = ("MUG", "PLATE") if i % 2 else ("CUP", "BOWL")
        for j, item in enumerate((*pair, "POSTAGE")):
            code = "POST" if item == "POSTAGE" else f"{20000 + len(item) * 10 + j}"
            rows.append([f"7{i:04d}", code, item, "1", f"2024-04-{i % 28 + 1:02d}", "5" if item == "POSTAGE" else "3",
                         f"4{i:04d}", "Spain"])
    return session(write(tmp_path / "baskets.csv", rows))


def test_baskets_pair_products_without_service_lines(baskets):
    a = baskets.chat("which products are bought together")
    assert a.analysis == "basket"
    rules = a.table("rules").frame
    said = set(rules["antecedents"]) | set(rules["consequents"])
    assert said and not any("POSTAGE" in x for x in said)
    assert {"MUG", "PLATE", "CUP", "BOWL"} <= {p for x in said for p in x.split(" + ")}
    assert "set aside 1 non-product line: POSTAGE (200.00 of revenue)" in a.understood


# ------------------------------------------------------------------ 4. one customer's spend and orders
@pytest.mark.parametrize("question", ["how much did customer 17850 spend", "how many orders has customer 17850 placed",
                                      "what did 17850 buy", "total spend of customer 17850"])
def test_one_customer_s_spend_is_their_overview(s, question):
    a = s.chat(question)
    assert a.analysis == "overview" and a.params["filters"] == {"customer_id": ["17850"]}
    assert "filter: customer_id = 17850" in a.understood
    h = headline(a)
    assert h["revenue"] == pytest.approx(84.0) and h["orders"] == 3
    assert a.summary.startswith("Customer **17850**: **84.00** of revenue over **3 orders**")
    assert "first order 2023-12-14, last order 2024-12-13 (the data's last day)" in a.summary
    bought = a.table("customer_products").frame
    assert list(bought["product"]) == ["WHITE HANGING HEART", "PAPER CHAIN KIT"]  # POSTAGE set aside, said
    assert list(bought["revenue"]) == [35.0, 9.0]
    assert any(w.startswith("set aside 1 non-product line: POSTAGE (40.00 of revenue)") for w in a.warnings)


def test_when_a_customer_last_ordered(s):
    a = s.chat("when did customer 12583 last order")
    assert a.analysis == "overview" and a.params["filters"] == {"customer_id": ["12583"]}
    assert "last order 2024-03-05 (283 days before the data's last day, 2024-12-13)" in a.summary


def test_another_analysis_named_of_one_customer_stays(s):
    a = s.chat("what is the rfm segment of customer 17850")
    assert a.analysis == "segmentation"


# ------------------------------------------------------------------ 5. a named analysis wins over "N orders"
@pytest.fixture(scope="module")
def demo():
    from helpers import demo_session

    return demo_session(customers=300, seed=5)


def repeaters(store, n: int) -> int:
    orders = store.tables["orders"]
    return int((orders[orders.amount > 0].groupby("customer_id").order_id.nunique() >= n).sum())


@pytest.mark.parametrize("question, analysis, n", [
    ("churn rate of customers with more than 2 orders", "churn", 3),
    ("segment customers with at least 3 orders", "segmentation", 3),
    ("what is the clv of customers with at least 2 orders", "clv", 2),
])
def test_a_named_analysis_takes_the_orders_as_a_filter(demo, question, analysis, n):
    s, store = demo
    a = s.fork().chat(question)
    assert a.analysis == analysis
    assert a.params["filters"] == {"orders_at_least": [str(n)]}
    assert f"filter: customers with {n} or more orders" in a.understood
    assert a.params.get("top") not in (n, n - 1)  # "at least 3 orders" is no top 3
    expected = repeaters(store, n)
    assert expected < 300  # the filter leaves customers out
    if analysis == "churn":
        assert f"Of {expected:,} customers for customers with {n} or more orders" in a.summary
    elif analysis == "segmentation":
        assert a.summary.startswith(f"{expected:,} customers split")
    else:
        assert f"over {expected:,} customers" in a.summary


def test_customers_with_n_orders_alone_are_still_counted(demo):
    s, store = demo
    a = s.fork().chat("how many customers have more than 2 orders")
    assert a.analysis == "overview" and a.params["min_orders"] == 3
    assert a.summary.startswith(f"**{repeaters(store, 3):,} of")

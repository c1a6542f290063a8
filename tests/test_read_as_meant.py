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
def shop(shop_csv):
    return session(shop_csv)


@pytest.fixture(scope="module")
def shop_csv(tmp_path_factory):
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
    return orders


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


# -- 4. cancelled and lost ----------------------------------------------------------------------------

def test_how_many_orders_were_cancelled(shop):
    a = shop.fork().chat("how many orders were cancelled")
    assert a.analysis == "overview"
    assert "3 orders" in a.summary and "cancelled" in a.summary.lower()


def test_cancelled_orders_by_month(shop):
    a = shop.fork().chat("cancelled orders by month")
    assert a.analysis == "overview"
    table = a.tables[0]
    counts = dict((str(r[0])[:7], r[1]) for r in table.rows)
    assert counts == {"2024-06": 1, "2025-05": 1, "2025-06": 1}


@pytest.fixture(scope="module")
def crm(tmp_path_factory):
    """A CRM deals export: 6 won (3 Web, 3 Referral), 4 lost (3 for Price, 1 for Timing)."""
    folder = tmp_path_factory.mktemp("crm")
    rows = [("D1", "acme", "2025-01-05", "Closed Won", "Web", "", "Germany", 1000),
            ("D2", "beta", "2025-01-15", "Closed Won", "Web", "", "France", 2000),
            ("D3", "gamma", "2025-02-05", "Closed Won", "Referral", "", "France", 3000),
            ("D4", "delta", "2025-02-25", "Closed Won", "Referral", "", "Germany", 500),
            ("D5", "eps", "2025-03-05", "Closed Won", "Web", "", "Spain", 700),
            ("D6", "zeta", "2025-03-15", "Closed Won", "Referral", "", "Spain", 800),
            ("D7", "eta", "2025-01-20", "Closed Lost", "Web", "Price", "Germany", 900),
            ("D8", "theta", "2025-02-10", "Closed Lost", "Web", "Price", "France", 400),
            ("D9", "iota", "2025-03-01", "Closed Lost", "Referral", "Price", "Spain", 300),
            ("D10", "kappa", "2025-03-20", "Closed Lost", "Referral", "Timing", "Spain", 200)]
    deals = write(folder / "deals.csv", [("Deal ID", "Account Name", "Close Date", "Deal Stage", "Lead Source",
                                          "Loss Reason", "Billing Country", "Amount"), *rows])
    return session(deals)


def test_lost_deals_by_reason(crm):
    a = crm.fork().chat("lost deals by reason")
    assert a.analysis == "overview"
    table = a.tables[0]
    assert dict((r[0], r[1]) for r in table.rows) == {"Price": 3, "Timing": 1}


def test_win_rate(crm):
    a = crm.fork().chat("what's our win rate")
    assert a.analysis == "overview"
    assert "60%" in a.summary  # 6 won of 10 closed


# -- 5. breakdowns by the source's own names, misspelt, or under another name ---------------------

def test_breakdown_by_source_column_names(crm):
    a = crm.fork().chat("revenue by Lead Source")
    table = a.tables[0]
    assert dict((r[0], r[1]) for r in table.rows) == {"Referral": 4300, "Web": 3700}
    b = crm.fork().chat("deals per billing_country")
    assert {r[0] for r in b.tables[0].rows} == {"Germany", "France", "Spain"}


@pytest.mark.parametrize("question, column", [("revenue by contry", "country"), ("sales by chanel", "channel")])
def test_misspelt_breakdown_is_read_and_said(shop, question, column):
    a = shop.fork().chat(question)
    assert a.tables[0].columns[0] == column
    assert f"read '{question.split()[-1]}' as {column}" in first_line(a)


@pytest.fixture(scope="module")
def subscribers(tmp_path_factory):
    """Customers with a contract, a signup date and a 0-10 recommend score: signups 2023: 2,
    2024: 3, 2025: 5; scores 10, 9, 9, 9, 8, 7, 6, 5, 3, 0: 4 promoters, 4 detractors of 10 ->
    NPS 0; of the six on Monthly: 10, 9, 8, 6, 3, 0 -> 2 - 3 of 6 = -16.7."""
    folder = tmp_path_factory.mktemp("subs")
    rows = [("c1", "2023-02-01", "Monthly", 10), ("c2", "2023-05-01", "Monthly", 9), ("c3", "2024-01-10", "Yearly", 9),
            ("c4", "2024-03-10", "Yearly", 9), ("c5", "2024-11-10", "Monthly", 8), ("c6", "2025-01-10", "Yearly", 7),
            ("c7", "2025-02-10", "Monthly", 6), ("c8", "2025-03-10", "Yearly", 5), ("c9", "2025-04-10", "Monthly", 3),
            ("c10", "2025-05-10", "Monthly", 0)]
    path = write(folder / "customers.csv", [("customer_id", "signup_date", "contract", "recommend_score"), *rows])
    return session(path)


def test_breakdown_under_another_name_is_said(subscribers):
    a = subscribers.fork().chat("how many customers by plan")
    assert any(t.name == "by_contract" for t in a.tables)
    assert "read 'plan' as contract" in first_line(a)


# -- 6. new vs returning ------------------------------------------------------------------------------

def test_new_vs_returning_customers_by_month(shop):
    a = shop.fork().chat("new vs returning customers by month")
    assert a.analysis == "overview"
    table = next(t for t in a.tables if "new" in t.columns)
    rows = {str(r[0])[:7]: dict(zip(table.columns[1:], r[1:])) for r in table.rows}
    assert rows["2024-10"]["new"] == 0 and rows["2024-10"]["returning"] == 1
    assert rows["2025-08"]["new"] == 1 and rows["2025-08"]["returning"] == 0
    assert rows["2024-07"]["new"] == 1 and rows["2024-07"]["returning"] == 0  # B twice in one month: new
    assert "first purchase" in a.summary  # the definition is said


def test_how_many_first_time_buyers(shop):
    a = shop.fork().chat("how many first-time buyers did we have in 2025")
    assert a.analysis == "overview"
    assert "2 new customers" in a.summary  # E and D; A was a customer before


def test_new_customers_stay_first_time_buyers_after_rfm_segments_are_saved(shop):
    """The RFM segment "New" does not take over "new customers": after an RFM segmentation, new
    customers per quarter are still those of their first purchase (it was the segment, which cannot
    be broken down by period: an error)."""
    s = shop.fork()
    assert s.chat("RFM segmentation please").analysis == "segmentation"
    a = s.chat("how many new customers did we get each quarter in 2025")
    assert a.analysis == "overview" and a.params.get("new_customers")
    assert "segment" not in (a.params.get("filters") or {})
    assert s.chat("revenue of the at risk segment").params["filters"] == {"segment": ["At risk"]}  # a label, cued


def test_a_two_letter_word_is_no_country_on_data_without_countries(tmp_path):
    """"the CD data", "CD store" on a CD shop's log (no column of countries): a word, not the Democratic
    Republic of the Congo reported missing; a country named in full is still said to be missing."""
    path = write(tmp_path / "cds.csv", [("customer_id", "date", "number_of_cds", "dollar_value")]
                 + [(i % 7, f"1997-0{1 + i % 6}-1{i % 9}", 1 + i % 3, 10 + i) for i in range(60)])
    s = Session(data=[str(path)], entry_points=False)
    a = s.chat("How many customers bought from the CD store each month in 1997?")
    assert a.analysis == "overview" and a.params.get("grain") == "month"
    with pytest.raises(Exception, match="no column of countries"):
        s.fork().chat("revenue in Germany")


# -- 7. NPS -------------------------------------------------------------------------------------------

def test_whats_our_nps(subscribers):
    a = subscribers.fork().chat("what's our NPS")
    assert a.analysis == "overview"
    assert "stat=nps" in first_line(a)
    assert "NPS" in a.summary and 0 in numbers(a.summary, signed=True)


def test_nps_by_contract(subscribers):
    a = subscribers.fork().chat("NPS by contract")
    table = next(t for t in a.tables if t.name == "by_contract")
    rows = dict((r[0], r[table.columns.index("NPS")]) for r in table.rows)
    assert rows["Monthly"] == pytest.approx(-16.7, abs=0.1)


# -- 8. signups per year ------------------------------------------------------------------------------

@pytest.mark.parametrize("question", ["signups per year", "new customers per year"])
def test_signups_per_year(subscribers, question):
    a = subscribers.fork().chat(question)
    assert a.analysis == "overview"
    table = next(t for t in a.tables if t.name == "by_year")
    rows = {str(r[0])[:4]: r[1] for r in table.rows}
    assert rows == {"2023": 2, "2024": 3, "2025": 5}


def test_cancelled_on_data_without_a_status_says_so():
    s = Session(demo=True, entry_points=False)
    a = s.chat("how many orders were cancelled")
    assert a.analysis == "overview"  # not churn
    assert "no order status column" in a.summary


def test_last_6_months_on_data_ending_on_a_months_last_day_is_whole_calendar_months(tmp_path):
    rows = [("A", "O1", "2024-12-31", 100), ("B", "O2", "2025-01-01", 10), ("C", "O3", "2025-06-30", 5)]
    s = session(write(tmp_path / "orders.csv", [("customer_id", "order_id", "order_date", "amount"), *rows]))
    a = s.chat("revenue last 6 months")
    assert "start=2025-01-01 · end=2025-06-30" in first_line(a)  # whole calendar months: said by their dates
    assert 15 in numbers(a.summary) and 115 not in numbers(a.summary)  # 31 Dec is not in it
    b = s.chat("revenue last 6 months vs the 6 months before")
    assert compared(b)["revenue"][:2] == [100, 15]  # 1 Jul-31 Dec 2024, then 1 Jan-30 Jun 2025


def test_a_narrowed_ranking_keeps_the_comparison(shop):
    s = shop.fork()
    s.chat("sales 2024 vs 2025")
    a = s.chat("top 2 countries only")
    assert "compare" in first_line(a)


def test_customers_who_cancelled_is_not_an_order_status(shop):
    from custlens.meant import status_asked

    assert status_asked("how many orders were cancelled") == "cancelled"
    assert status_asked("cancellations by month") == "cancelled"
    assert status_asked("closed won vs closed lost ratio per industry") == "win rate"
    for question in ("which customers who cancelled were on monthly plans", "who is most likely to cancel next",
                     "accounts with no won deal in 6 months"):
        assert status_asked(question) is None


def test_a_status_answer_does_not_stick_to_the_next_question(shop):
    s = shop.fork()
    assert s.chat("cancelled orders by month").params["status"] == "cancelled"
    a = s.chat("sales last 3 months")
    assert a.params.get("status") is None and 310 in numbers(a.summary)  # 15 May-14 Aug: 60 + 250
    s.chat("sales 2024 vs 2025")
    b = s.chat("new customers per month")
    assert "compare" not in first_line(b) and b.params.get("new_customers")


def test_a_calendar_year_is_said_by_its_name(shop):
    a = shop.fork().chat("revenue in 2025")
    assert "months =" not in first_line(a) and "start=2025-01-01" in first_line(a)


def test_like_with_like_and_a_read_breakdown_over_http(shop_csv):
    import httpx
    from embedding import serving

    from custlens import Assistant
    from custlens.server import create_app
    from helpers import http_ask

    assistant = Assistant(data=[shop_csv], entry_points=False)
    try:
        with serving(create_app(assistant)) as url, httpx.Client(base_url=url, timeout=60) as client:
            ask = http_ask(client)
            first = ask("sales this year vs last year")
            answer = first["answer"]
            assert "2024 cut to 1 Jan–14 Aug to match 2025" in answer["understood"]
            assert answer["tables"][0]["rows"][0][1:3] == [340, 460]
            by = ask("and by contry?", first["conversation_id"])["answer"]
            assert "read 'contry' as country" in by["understood"]
            assert any(t["name"] == "compare_by_country" for t in by["tables"])
    finally:
        assistant.close()


def test_an_earlier_period_the_data_starts_inside_is_said_not_cut(shop):
    """The data starts on 10 March 2024 (trial 23: 2024 had 5 months of data and "+708%" said nothing of
    it): Q1 2024 is compared whole, and the answer says how little of it the data covers."""
    a = shop.chat("compare Q1 2024 and Q1 2025")
    assert compared(a)["revenue"][:2] == [100, 150]  # not cut: its first weeks may have had no sales
    assert "2024 Q1 has data only from 10 Mar 2024 (22 of its 91 days)" in a.summary
    assert "like with like would be 10–31 Mar of each" in a.summary

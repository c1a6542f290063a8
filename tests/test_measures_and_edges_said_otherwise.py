"""Measures, period edges and group counts said the way a wine merchant, a loyalty manager and the
development authors' remaining errors say them, read as meant (issue 16): "total dollars", "trips",
"avg ticket", "items in an average basket", "how much have we closed won", "top line", "pipe";
"since the relaunch in march" and its "same period last year"; a part said before a period ("the
first fortnight of january"); "date>=2024-07-01"; "apr 24 - mar 25"; "till date"; a window said
without a year beside two years; "4 max"; "does payment method matter"; two of four regions set
against each other kept as the two; "take away the filters"; a measure the routed analysis cannot
take ("gross margin per month") answered by the analysis that declares it."""
import datetime as dt

import pytest

from custlens.slots import extract, period

pytestmark = pytest.mark.usefixtures("router_cache")

END = dt.date(2025, 12, 31)
VALUES = {"transactions": {"channel": ["app", "store", "web"], "category": ["Home", "Kitchen", "Pet"]},
          "customers": {"region": ["APAC", "EMEA", "LATAM", "North America"], "event": ["visit", "purchase"],
                        "payment_method": ["Bank transfer", "Credit card", "Electronic check"],
                        "contract": ["Month-to-month", "One year", "Two year"]}}


@pytest.mark.parametrize("text, metric", [
    ("total dollars in 2024", "revenue"),
    ("whats our biggest month ever", "revenue"),
    ("how many trips in march 2025", "orders"),
    ("weekly trip counts for the last 13 weeks", "orders"),
    ("avg ticket Q1 2024 vs Q1 2025", "aov"),
    ("average ticket size by store", "aov"),
    ("avg spend per trip, app vs web", "aov"),
    ("how many items in an average basket", "quantity"),
    ("cds per order, first half of 97 vs second half", "quantity"),
    ("split of members by channel", "customers"),
    ("daily visitors in november 2025", "customers"),
    # the blank a value leaves is no word between the count and its noun
    ("number of APAC customers per channel", "customers"),
    ("count accounts where region = EMEA", "customers"),
    ("just the headcount please, per region", "customers"),
    ("first half of 2025 compared to the first half of 2024, top line", "revenue"),
    ("whats our monthly run rate exiting the year", "revenue"),
    ("show me pipe by stage", "revenue"),
    ("15 biggest deals of last quarter", "revenue"),
    ("sum of the won deals by region", "revenue"),
    ("how much came in through the app since 1 september 2025?", "revenue"),
    ("what did Kitchen bring in last year?", "revenue"),
    ("avg ACV for EMEA accts", "aov"),
    ("p95 order value?", "aov"),
    ("weekly deal volume in june 2025", "orders"),
])
def test_measures_said_in_a_trades_words(text, metric):
    assert extract(text, VALUES, END)[0].get("metric") == metric


def test_a_support_ticket_is_no_order_value():
    assert extract("average ticket resolution time", VALUES, END)[0].get("metric") != "aov"


@pytest.mark.parametrize("text, start", [
    ("repeat purchase rate since the relaunch in march", "2025-03-01"),
    ("sales since we moved shop in july 2024", "2024-07-01"),
    ("revenue since the price change in september", "2025-09-01"),
    ("churn since the app launched in q2 2024", "2024-04-01"),
])
def test_since_an_event_in_a_month_starts_then_and_runs_on(text, start):
    got = period(text, END)
    assert (str(got[0]), got[1]) == (start, None)


@pytest.mark.parametrize("text, start, stop", [
    ("weekly order count for the final 3 months", "2025-10-01", "2025-12-31"),
    ("yearly sales 2023 2024 2025 side by side", "2023-01-01", "2025-12-31"),
    ("sales jan 2024 on, by month", "2024-01-01", "None"),
    # a part of a period said before it
    ("sales for the first fortnight of january 2025", "2025-01-01", "2025-01-14"),
    ("sales day by day for the first two weeks of February this year", "2025-02-01", "2025-02-14"),
    ("orders in the last week of june 2025", "2025-06-24", "2025-06-30"),
    ("revenue in the second half of march 2025", "2025-03-16", "2025-03-31"),
    ("first 10 days of march 2025", "2025-03-01", "2025-03-10"),
    ("the first 2 months of 2024", "2024-01-01", "2024-02-29"),
    ("the first half of 2025", "2025-01-01", "2025-06-30"),
    # an edge written as a condition
    ("top_n=20 products by units, date>=2024-07-01", "2024-07-01", "None"),
    ("orders date<2025-01-01", "None", "2024-12-31"),
    # two months with the next year in two figures, and an end "till date"
    ("refunds in the last financial year (apr 24 - mar 25)", "2024-04-01", "2025-03-31"),
    ("revenue in FY 25-26 till date", "2025-04-01", "2025-12-31"),
    ("retention by signup month please, for the last year", "2025-01-01", "2025-12-31"),
])
def test_period_edges_said_otherwise(text, start, stop):
    got = period(text, END)
    assert (str(got[0]), str(got[1])) == (start, stop)


@pytest.mark.parametrize("text, first, second", [
    # an open period against the same one a year before: each runs to the data's last day's date
    ("revenue since the relaunch in march vs the same period last yr", ("2024-03-01", "2024-12-31"),
     ("2025-03-01", "2025-12-31")),
    # "2024 on" is no start when a measure follows it
    ("compare dec 2025 to dec 2024 on # of shoppers", ("2024-12-01", "2024-12-31"), ("2025-12-01", "2025-12-31")),
    ("Dec 25 vs Dec 24 revenue", ("2024-12-01", "2024-12-31"), ("2025-12-01", "2025-12-31")),
    # a window said without a year beside two years: the window in each
    ("BFCM rev 2025 vs 2024 - window nov 24 to dec 1 both years", ("2024-11-24", "2024-12-01"),
     ("2025-11-24", "2025-12-01")),
    ("cyber week rev 2025 vs 2024 (nov 24-30)", ("2024-11-24", "2024-11-30"), ("2025-11-24", "2025-11-30")),
    ("june sales 2024 vs 2025", ("2024-06-01", "2024-06-30"), ("2025-06-01", "2025-06-30")),
    ("compare the Umsatz of the 1. half year 1997 with the 1. half year 1998", ("1997-01-01", "1997-06-30"),
     ("1998-01-01", "1998-06-30")),
])
def test_comparisons_with_open_or_loose_edges(text, first, second):
    periods = extract(text, VALUES, END)[0]["compare"]
    assert [tuple(map(str, p)) for p in periods] == [first, second]


def test_this_year_so_far_against_the_same_months_last_year():
    periods = extract("what have we won this year so far compared with the same months last year", VALUES,
                      dt.date(2025, 6, 30))[0]["compare"]
    assert [tuple(map(str, p)) for p in periods] == [("2024-01-01", "2024-06-30"), ("2025-01-01", "2025-06-30")]


@pytest.mark.parametrize("text, k", [
    ("personas for the crm accounts pls, 4 max", 4),
    ("segments by contract and tenure, 4 of em", 4),
    ("cluster the members (5)", 5),
])
def test_the_number_of_groups_said_after_a_comma(text, k):
    assert extract(text, VALUES, END)[0].get("k") == k


def test_a_part_that_does_not_fit_its_period_is_not_read_as_one():
    assert period("the first 40 days of the week of 2025-03-03", END)[1] != dt.date(2025, 4, 11)
    assert period("dec 24 - jan 3", END)[:2] == (dt.date(2024, 12, 24), dt.date(2025, 1, 3))  # days, as said


def test_a_number_after_a_comma_is_no_group_count_without_groups():
    assert "k" not in extract("top products, 5 max", VALUES, END)[0]


def test_two_of_many_values_set_against_each_other_are_the_two_and_of_three_the_whole_column():
    four = extract("revenue EMEA vs APAC", VALUES, END)[0]
    assert four["filters"] == {"region": ["EMEA", "APAC"]} and four["by"] == ["region"]
    three = extract("repeat purchase rate, app vs web", VALUES, END)[0]
    assert "filters" not in three and three["by"] == ["channel"]


@pytest.mark.parametrize("text, by", [
    ("does payment method matter for churn? electronic check looks suspicious to me", ["payment_method"]),
    ("Does payment method have a bearing on churn? Electronic check in particular.", ["payment_method"]),
    ("what is the effect of contract on churn", ["contract"]),
    ("does churn depend on the contract", ["contract"]),
])
def test_a_column_as_what_makes_the_difference_is_a_breakdown(text, by):
    got = extract(text, VALUES, END)[0]
    assert got.get("by") == by and not got.get("filters")


def test_a_value_said_alone_still_filters():
    assert extract("churn of electronic check payers", VALUES, END)[0]["filters"] == {
        "payment_method": ["Electronic check"]}


def test_a_one_word_column_said_with_type():
    assert extract("event counts by event type", VALUES, END)[0].get("by") == ["event"]


@pytest.fixture(scope="module")
def deals(tmp_path_factory):
    from helpers import deal_export, session
    return session(deal_export(tmp_path_factory.mktemp("deals")))


@pytest.mark.parametrize("question", ["how much have we closed won in 2024", "total closed won 2024"])
def test_closed_won_alone_is_the_won_amount(deals, question):
    a = deals.fork().chat(question)
    assert a.analysis == "overview" and a.params.get("status") == "won" and a.params.get("metric") == "revenue"
    headline = a.table("headline").frame.set_index("measure")["value"]
    assert headline["revenue"] == pytest.approx(1000.0)  # the ten won deals of 100, none of the 30 others


def test_closed_won_deals_counted_stay_a_count(deals):
    a = deals.fork().chat("how many deals did we close won in 2024")
    assert a.params.get("metric") == "orders" and a.params.get("status") == "won"


@pytest.mark.parametrize("said", ["take away the filters", "get rid of the filters", "ditch the filters"])
def test_filters_taken_away_in_other_words_are_a_reset(deals, said):
    s = deals.fork()
    s.chat("deal amount by account, only Negotiation")
    assert s.conversation.filters
    s.chat(said)
    assert not s.conversation.filters


def test_units_asked_per_order_are_said_per_order(tmp_path):
    """"how many items in an average basket": the units per order, in the first sentence and the
    headline, not only the total (three orders of 3, 4 and 3 units: 3.33 per order)."""
    from helpers import session, write

    path = write(tmp_path / "lines.csv", [["order_id", "customer_id", "order_date", "product", "quantity", "amount"],
                                          ["O1", "C1", "2024-01-05", "Tea", 2, 10.0], ["O1", "C1", "2024-01-05", "Mug", 1, 8.0],
                                          ["O2", "C2", "2024-02-05", "Tea", 4, 20.0], ["O3", "C1", "2024-03-05", "Mug", 3, 24.0]])
    a = session(path).ask("how many items in an average basket")
    assert a.params["metric"] == "quantity"
    assert "10 units** sold" in a.summary.splitlines()[0] and "3.33 per order" in a.summary.splitlines()[0]
    headline = a.table("headline").frame.set_index("measure")["value"]
    assert headline["units per order"] == pytest.approx(10 / 3, abs=0.005)


def test_a_feedback_topic_said_short_is_its_value():
    values = {"feedback": {"topic": ["delivery", "price", "product quality", "support"]}}
    assert extract("negative comments on quality, show me a few", values, END)[0]["filters"] == {
        "topic": ["product quality"]}
    assert "filters" not in extract("revenue by month", values, END)[0]

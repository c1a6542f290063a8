"""Slot reading by kind of error (issue 16 items 5, 10, 11): relative and ranged periods, metric
words of a CRM or a log's own column names, values of the web events and feedback tables put on
the table the analysis reads, the number and kind of customers a persona is asked for, RFM segment
names said loosely, one customer's or a top share's lifetime value, horizons in words. Phrasings
are our own, not the evaluation corpus's."""

import datetime as dt
import math

import pytest

from helpers import demo_session

from custlens.errors import ParamsError
from custlens.slots import extract, period, rfm_name, segment_named

pytestmark = pytest.mark.usefixtures("router_cache")

END = dt.date(2025, 12, 31)


# ---------------------------------------------------------------------- periods
@pytest.mark.parametrize("text, end, start, stop", [
    # at a quarter's close, "last quarter" is the quarter just closed; inside a quarter, the one before
    ("refunds last quarter", END, "2025-10-01", "2025-12-31"),
    ("refunds last quarter", dt.date(2025, 11, 20), "2025-07-01", "2025-09-30"),
    ("orders last quarter", dt.date(2024, 6, 30), "2024-04-01", "2024-06-30"),
    # a range of years, with or without "from"
    ("units 2021 through 2023", END, "2021-01-01", "2023-12-31"),
    ("aov 2022-2024 by channel", END, "2022-01-01", "2024-12-31"),
    ("from 2020 until 2022", END, "2020-01-01", "2022-12-31"),
])
def test_relative_and_ranged_periods(text, end, start, stop):
    got = period(text, end)
    assert (str(got[0]), str(got[1])) == (start, stop)


@pytest.mark.parametrize("text, stop", [
    ("lifetime value up to the end of 2023", "2023-12-31"),
    ("customers until june 2024", "2024-06-30"),
    ("sales through 1997", "1997-12-31"),
])
def test_an_end_alone_has_no_start(text, stop):
    start, end, _ = period(text, END)
    assert start is None and str(end) == stop


# ---------------------------------------------------------------------- metric words
@pytest.mark.parametrize("text, metric", [
    ("how many deals did we close in 2024", "orders"),
    ("deal count per stage", "orders"),
    ("number of accounts per region", "customers"),
    ("accounts in each industry", "customers"),
    ("how many unique accounts bought training", "customers"),
    ("mean deal value by industry", "aov"),
    ("typical deal size for enterprise", "aov"),
    ("total deal amount by product", "revenue"),
    ("which region made the most $$", "revenue"),
    ("dollar_value by month", "revenue"),      # a log's own name for its amount column
    ("number_of_items per week", "quantity"),  # and for its quantity column
    ("hw much did we sell in may", "revenue"),
])
def test_metric_words(text, metric):
    assert extract(text)[0].get("metric") == metric


def test_first_order_is_no_metric():
    assert "metric" not in extract("date of the first order of each customer")[0]


# ---------------------------------------------------------------------- on the demo
@pytest.fixture(scope="module")
def demo():
    session, _ = demo_session(1200, 7)
    return session


def params(session, question, analysis):
    return session._route(question, analysis=analysis).params


def test_event_values_filter_the_events_table(demo):
    # the demo has "referral" both as the customers' acquisition channel and as the web events'
    # channel: the funnel reads the events, the overview the customers
    assert params(demo, "show the funnel for referral visitors", "journey")["filters"] == {"channel": ["referral"]}
    assert params(demo, "funnel on tablet in 2025", "journey")["filters"] == {"device": ["tablet"]}
    assert params(demo, "revenue from referral customers", "overview")["filters"] == \
        {"acquisition_channel": ["referral"]}


def test_feedback_topics_and_products_are_filters(demo):
    assert params(demo, "what are people saying about delivery this year", "feedback")["filters"] == \
        {"topic": ["delivery"]}
    got = params(demo, "themes in the reviews of the desk lamp", "feedback")
    assert got["filters"] == {"product": ["Desk Lamp"]} and "product" not in got
    # a product filter narrows the comments to that product
    answer = demo.run("feedback", got)
    everything = demo.dataset.con.execute("SELECT count(*) FROM feedback").fetchone()[0]
    lamp = demo.dataset.con.execute("SELECT count(*) FROM feedback WHERE product = 'Desk Lamp'").fetchone()[0]
    assert 0 < lamp < everything
    assert answer.provenance.rows_used == lamp


def test_persona_count_and_customers(demo):
    assert params(demo, "draw up five personas", "persona")["k"] == 5
    assert params(demo, "write 3 buyer personas for the B2C side", "persona") == \
        {"k": 3, "filters": {"customer_type": ["B2C"]}}
    three = demo.run("persona", {"k": 3})
    assert len(three.table("personas").frame) == 3
    assert demo.dataset.segment_method == "kmeans" and any("segmented" in w for w in three.warnings)
    b2b = demo.run("persona", {"filters": {"customer_type": ["B2B"]}})
    saved = demo.dataset.con.execute("SELECT count(*) FROM segments").fetchone()[0]
    want = demo.dataset.con.execute("SELECT count(DISTINCT o.customer_id) FROM transactions o JOIN customers c "
                                    "USING (customer_id) WHERE c.customer_type = 'B2B'").fetchone()[0]
    assert saved == want  # only the B2B customers were segmented
    assert any("customer_type = B2B" in w for w in b2b.warnings)


@pytest.mark.parametrize("said, name", [("at-risk", "At risk"), ("champion", "Champions"),
                                        ("Potential Loyalists", "Potential loyalist"), ("about to  sleep", "About to sleep"),
                                        ("vip", None)])
def test_rfm_names_said_loosely(said, name):
    assert rfm_name(said) == name


def test_segment_names(demo):
    assert params(demo, "persona of a typical champion", "persona")["segment"] == "Champions"
    assert params(demo, "persona for our at-risk buyers", "persona")["segment"] == "At risk"
    # short names ("loyal", "at risk") beside "customers" name an RFM segment when RFM is spoken of
    assert segment_named("the loyal customers by rfm", [])[0] == "Loyal"
    assert segment_named("which loyal customers buy most", [])[0] is None
    assert segment_named("at risk accounts, rfm scores", [])[0] == "At risk"


def test_one_customers_lifetime_value(demo):
    got = params(demo, "what is the ltv of customer C000012", "clv")
    assert got["customer"] == "C000012"
    answer = demo.run("clv", {"customer": "C000012"})
    row = answer.table("customer").frame
    assert list(row["customer_id"]) == ["C000012"]
    ranked = answer.table("customers").frame
    assert "C000012" in answer.summary and "number" in answer.summary
    if "C000012" in list(ranked["customer_id"]):
        assert f"number {list(ranked['customer_id']).index('C000012') + 1:,} of" in answer.summary
    with pytest.raises(ParamsError, match="C999999 has no purchases"):
        demo.run("clv", {"customer": "C999999"})


def test_top_share_of_lifetime_value(demo):
    assert params(demo, "the best 5 percent of customers by lifetime value", "clv")["share"] == pytest.approx(0.05)
    answer = demo.run("clv", {"share": 0.05, "horizon": 12})
    top = answer.table("top_share").frame
    n = demo.dataset.con.execute("SELECT count(DISTINCT customer_id) FROM transactions").fetchone()[0]
    assert len(top) == math.ceil(0.05 * n)
    value = "clv" if "clv" in top.columns else "net_revenue"  # predicted, or historical when no model fits
    assert f"are {len(top):,} of {n:,}" in answer.summary and f"{top[value].sum():,.2f}" in answer.summary


@pytest.mark.parametrize("question, months", [
    ("ltv with a 6m horizon", 6), ("2-year clv forecast", 24), ("predicted 18 months clv per customer", 18),
    ("clv, horizon of two years", 24),
])
def test_horizon_words(demo, question, months):
    assert params(demo, question, "clv")["horizon"] == months

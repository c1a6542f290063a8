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
    ("sales through the end of 1997", "1997-12-31"),
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
    everything = demo.dataset.con.execute("SELECT count(*) FROM feedback").fetchall()[0][0]
    lamp = demo.dataset.con.execute("SELECT count(*) FROM feedback WHERE product = 'Desk Lamp'").fetchall()[0][0]
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
    saved = demo.dataset.con.execute("SELECT count(*) FROM segments").fetchall()[0][0]
    want = demo.dataset.con.execute("SELECT count(DISTINCT o.customer_id) FROM transactions o JOIN customers c "
                                    "USING (customer_id) WHERE c.customer_type = 'B2B'").fetchall()[0][0]
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


@pytest.mark.parametrize("said, name", [
    ("how many people are sitting in at risk right now", "At risk"),  # "at risk" used as a name
    ("list the customers currently classified as at risk", "At risk"),
    ("the at-risk bunch, how many?", "At risk"),
    ("what should we ask at risk folks in an interview", "At risk"),
    ("what about the at risk ones", "At risk"),
    ("at risk customers in the champions segment", "Champions"),  # the segment said with its cue wins
    ("who r my champs", "Champions"),
    ("customers at risk of churning in brazil", None),  # churn's words: at risk OF something
    ("which customers are at risk?", None),
    ("top 20 at-risk customers by value", None),  # churn risk, not the segment, without "the"
    ("how much revenue is at risk from late deliveries", None),
])
def test_at_risk_is_the_segment_only_when_used_as_a_name(said, name):
    assert segment_named(said.lower(), [])[0] == name


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
    n = demo.dataset.con.execute("SELECT count(DISTINCT customer_id) FROM transactions").fetchall()[0][0]
    assert len(top) == math.ceil(0.05 * n)
    value = "clv" if "clv" in top.columns else "net_revenue"  # predicted, or historical when no model fits
    assert f"are {len(top):,} of {n:,}" in answer.summary and f"{top[value].sum():,.2f}" in answer.summary


@pytest.mark.parametrize("question, months", [
    ("ltv with a 6m horizon", 6), ("2-year clv forecast", 24), ("predicted 18 months clv per customer", 18),
    ("clv, horizon of two years", 24),
])
def test_horizon_words(demo, question, months):
    assert params(demo, question, "clv")["horizon"] == months


# ---------------------------------------------------------------------- values said otherwise
VALUES = {"transactions": {"channel": ["app", "store", "web"], "status": ["Completed"]},
          "customers": {"region": ["Europe", "Latin America", "North America"], "country": ["Germany", "Japan"],
                        "contract": ["Month-to-month", "One year"], "segment_tier": ["Mid-Market", "SMB"]},
          "feedback": {"topic": ["price", "support"]}}


@pytest.mark.parametrize("text, filters", [
    ("churn for customers on month to month", {"contract": ["Month-to-month"]}),  # spaces for hyphens
    ("mid market accounts only", {"segment_tier": ["Mid-Market"]}),
    ("complaints about our prices", {"topic": ["price"]}),                      # a plural
    ("revenue of our european customers", {"region": ["Europe"]}),              # an adjective, before people
    ("latin american buyers by month", {"region": ["Latin America"]}),
    ("what do our japanese customers buy", {"country": ["Japan"]}),
    ("completed orders per week", None),  # a column of one value restricts nothing
])
def test_values_said_otherwise(text, filters):
    assert extract(text, VALUES)[0].get("filters") == filters


@pytest.mark.parametrize("text, by, filters", [
    # a column broken down by: its values named are examples of its rows, not a filter
    ("retention by channel - does the app keep people better?", ["channel"], None),
    # unless said as a scope
    ("orders by channel in Germany", ["channel"], {"country": ["Germany"]}),
    ("orders by region for Europe", ["region"], {"region": ["Europe"]}),
    # two values set against each other: side by side, the column's few values all shown
    ("aov app vs web", ["channel"], None),
    # one value against the rest, in so many words
    ("aov for the app vs the rest", ["channel"], None),
])
def test_breakdown_values_are_examples(text, by, filters):
    got = extract(text, VALUES)[0]
    assert got.get("by") == by and got.get("filters") == filters


@pytest.mark.parametrize("text, by, filters", [
    # two of many values set side by side, however they were said ("uk"): by the column, on those two
    ("aov DE vs japan", ["country"], {"country": ["Germany", "Japan"]}),
    ("number of customers germany and japan, which one has more", ["country"], {"country": ["Germany", "Japan"]}),
    ("revenue for germany and japan side by side", ["country"], {"country": ["Germany", "Japan"]}),
    ("revenue in germany and japan", None, {"country": ["Germany", "Japan"]}),  # no contrast: a scope
    # "in some X than others": a breakdown by X
    ("is churn worse in some regions than others?", ["region"], None),
    ("do some contracts churn more than others", ["contract"], None),
    # customers said in passing beside a breakdown are not a second one
    ("segments by region - which gives the best customers", ["region"], None),
    ("profit per customer by contract", ["contract"], None),
    ("top 10 customers by region", ["customer", "region"], None),
    # the one column said again, not also the sales channel
    ("clv by acquisition channel - which channel brings the best?", ["acquisition_channel"], None),
    ("revenue by channel and acquisition channel", ["channel", "acquisition_channel"], None),
    ("which traffic source converts best", ["channel"], None),
])
def test_breakdowns_read_from_comparisons_and_passing_words(text, by, filters):
    countries = ["Germany", "Japan", "France", "Spain", "Italy", "Brazil", "Mexico", "Canada"]  # more than FEW_VALUES
    values = {**VALUES, "customers": {**VALUES["customers"], "country": countries,
                                      "acquisition_channel": ["email", "social"]}}
    got = extract(text, values)[0]
    assert got.get("by") == by and got.get("filters") == filters


@pytest.mark.parametrize("text, by", [
    ("margin by region x contract", ["region", "contract"]),
    ("contract breakdown of the base", ["contract"]),
    ("the split of contracts across customers", ["contract"]),
    ("which contract brings the most", ["contract"]),
    ("what's our best-selling thing", ["product"]),
    ("top 5 most loyal accounts", ["customer"]),
])
def test_breakdowns_said_otherwise(text, by):
    assert extract(text, VALUES)[0].get("by") == by


def test_a_product_line_is_the_category():
    assert extract("profit per product line")[0].get("by") == ["category"]


@pytest.mark.parametrize("text, k", [("cluster the buyers into 6", 6), ("split our base into four audiences", 4),
                                     ("group customers into 3 tiers", 3)])
def test_number_of_segments_in_words(text, k):
    assert extract(text)[0]["k"] == k


def test_split_into_a_share_is_no_k():
    assert "k" not in extract("split the top 10% into ...")[0]
    assert "k" not in extract("break revenue into 12 months")[0]


@pytest.mark.parametrize("text, share", [("the top quintile by value", 0.2), ("top decile of buyers", 0.1),
                                         ("our top quartile", 0.25)])
def test_shares_in_words(text, share):
    assert extract(text)[0]["share"] == pytest.approx(share)


def test_a_grain_said_outright_beats_a_duration():
    assert extract("quarterly retention, by months since signup")[0]["grain"] == "quarter"


def test_whole_years_of_months_are_years_of_days():
    from custlens.slots import days

    assert (days("12 months"), days("24 months"), days("6 months"), days("a year")) == (365, 730, 180, 365)


def test_filters_only_other_tables_have_are_left_out(demo):
    # "support" is a feedback topic on the demo; basket rules read the sales lines
    assert "filters" not in params(demo, "what is bought with the desk lamp, sorted by support", "basket")
    assert params(demo, "themes in support feedback", "feedback")["filters"] == {"topic": ["support"]}


# ---------------------------------------------------------------------- yes/no columns
@pytest.fixture(scope="module")
def telco():
    from pathlib import Path

    from helpers import session

    return session(Path(__file__).parent / "data" / "telco_sample.csv")


@pytest.mark.parametrize("question, by, filters", [
    ("churn with and without a partner", ["partner"], None),
    ("churn of paperless billing vs non paperless billing", ["paperless_billing"], None),
    ("do senior citizens leave more often?", ["senior_citizen"], None),
    ("churn for customers with no partner", None, {"partner": ["0"]}),
    ("churn rate of customers without dependents", None, {"dependents": ["0"]}),
    ("churn of senior citizens", None, {"senior_citizen": ["1"]}),
    # Yes / No / "No internet service": a yes/no column all the same
    ("churn rate for customers who have no tech support", None, {"tech_support": ["No"]}),
    ("churn of customers with online security", None, {"online_security": ["Yes"]}),
    # two values set side by side: a breakdown over the column (of few values: all shown)
    ("compare churn for DSL and Fiber optic", ["internet_service"], None),
    ("difference in churn between one year and two year contracts", ["contract"], None),
    # a kind of customer against the rest, however said
    ("churn seniors vs non", ["senior_citizen"], None),
    ("senior citizens churn more? by how much", ["senior_citizen"], None),
    ("churn rate SeniorCitizen=1 vs 0", ["senior_citizen"], None),
    ("how does churn differ between senior citizens and everyone else", ["senior_citizen"], None),
    ("churn of electronic check payers vs everyone else", ["payment_method"], None),
    # a comparative of a value keeps its filter (its rate is set against the whole)
    ("do electronic check payers churn more?", None, {"payment_method": ["Electronic check"]}),
    ("is churn among senior citizens getting worse", None, {"senior_citizen": ["1"]}),
])
def test_yes_no_columns_contrasted_or_negated(telco, question, by, filters):
    got = telco._route(question, analysis="churn").params
    assert got.get("by") == by and (got.get("filters") or None) == filters


def test_churn_inactivity_words(telco):
    assert params(telco, "churn with a 45 days inactivity window", "churn")["inactive_days"] == 45
    assert params(telco, "accounts with no won deal in 4 months", "churn")["inactive_days"] == 120
    # a period said as the inactivity is not also the period
    got = params(telco, "how many customers have not placed an order in the last 6 months", "churn")
    assert got["inactive_days"] == 180 and not got.get("start")
    assert params(telco, "which accounts havent had a deal in like a year", "churn")["inactive_days"] == 365
    assert params(telco, "list the customers that have been inactive ninety days or more", "churn")["inactive_days"] == 90


# ---------------------------------------------------------------------- scoped report, one customer's segment
def test_report_for_a_period_and_some_customers(demo):
    got = params(demo, "the full customer report for 2024, only Germany", "report")
    assert (str(got["start"]), str(got["end"]), got["filters"]) == ("2024-01-01", "2024-12-31",
                                                                   {"country": ["Germany"]})
    answer = demo.run("report", got)
    assert answer.title.endswith("(2024-01-01 to 2024-12-31; country = Germany)")
    assert answer.summary.startswith("Scope: 2024-01-01 to 2024-12-31; country = Germany.")
    # the overview section answers for that scope: its figures are those of the overview asked alone
    alone = demo.run("overview", {k: got[k] for k in ("start", "end", "filters")}).table("headline").frame
    section = answer.table("overview__headline").frame
    assert section.equals(alone)
    everything = demo.run("overview", {}).table("headline").frame
    assert not section.equals(everything)
    # a section whose analysis takes no period says it is over all the data
    assert any("over all the data" in w for w in answer.warnings)


def test_one_customers_segment(demo):
    got = params(demo, "what segment is customer C000021 in, with rfm scores", "segmentation")
    assert got["customer"] == "C000021"
    answer = demo.run("segmentation", {"customer": "C000021", "method": "rfm"})
    row = answer.table("customer").frame
    saved = demo.dataset.con.execute("SELECT segment FROM segments WHERE customer_id = 'C000021'").fetchall()[0][0]
    assert row["segment"].iloc[0] == saved and f"**{saved}**" in answer.summary
    with pytest.raises(ParamsError, match="C999999 is not among"):
        demo.run("segmentation", {"customer": "C999999", "method": "rfm"})


@pytest.mark.parametrize("text, key, value", [
    ("# of accounts per industry", "metric", "customers"),
    ("the age breakdown of customers", "metric", "customers"),
    ("contract mix across the whole base", "metric", "customers"),
])
def test_customer_counts_in_words(text, key, value):
    assert extract(text, VALUES)[0].get(key) == value


def test_days_counted_are_no_grain():
    got = extract("average days until a second order, per channel", VALUES)[0]
    assert "grain" not in got and got["by"] == ["channel"]
    assert extract("orders per day", VALUES)[0]["grain"] == "day"


@pytest.mark.parametrize("text, filters", [
    ("themes in price-related reviews", {"topic": ["price"]}),
    ("app-only buyers", {"channel": ["app"]}),
    ("our web-shop redesign", None),  # not a compound a value starts
])
def test_values_starting_a_compound(text, filters):
    assert extract(text, VALUES)[0].get("filters") == filters


@pytest.mark.parametrize("text, start, stop", [
    ("units in the second quarter of 2023", "2023-04-01", "2023-06-30"),
    ("aov 2nd quarter 2024", "2024-04-01", "2024-06-30"),
    ("orders in 2023-Q4", "2023-10-01", "2023-12-31"),
    ("q2 of last year", "2024-04-01", "2024-06-30"),
    ("revenue q2 to q4 2024", "2024-04-01", "2024-12-31"),
    ("refunds this quarter", "2025-10-01", "2025-12-31"),
    ("sales between april 2023 and february 2024", "2023-04-01", "2024-02-29"),
    ("orders from 2024-02-10 to 2024-05-20", "2024-02-10", "2024-05-20"),
    ("FY2023 margin", "2023-01-01", "2023-12-31"),
    ("returns over the last fortnight", "2025-12-18", "2025-12-31"),
    ("the past fifteen months", "2024-10-01", "2025-12-31"),
    ("revenue in october", "2025-10-01", "2025-10-31"),
])
def test_periods_in_more_words(text, start, stop):
    got = extract(text, None, END)[0]
    assert (str(got["start"]), str(got["end"])) == (start, stop)
    assert "grain" not in got and "compare" not in got


def test_more_period_words():
    assert extract("customers since q3 2023", None, END)[0]["start"] == dt.date(2023, 7, 1)
    assert extract("customers since q3 2023", None, END)[0]["end"] is None
    assert "start" not in extract("this may be a silly question, revenue", None, END)[0]
    assert extract("orders in november", None, dt.date(1998, 6, 30))[0]["start"] == dt.date(1997, 11, 1)
    assert extract("the difference between 2023 and 2024", None, END)[0]["compare"] == \
        [(dt.date(2023, 1, 1), dt.date(2023, 12, 31)), (dt.date(2024, 1, 1), dt.date(2024, 12, 31))]
    assert (extract("top seventeen products", None, END)[0]["top"], extract("eleven clusters")[0]["k"]) == (17, 11)


@pytest.mark.parametrize("text, start, end", [
    ("revenue in twenty twenty four", "2024-01-01", "2024-12-31"),  # a year said in words
    ("funnel for twenty twenty-five", "2025-01-01", "2025-12-31"),
    ("sales in nineteen ninety seven", "1997-01-01", "1997-12-31"),
    ("two thousand and twenty three signups", "2023-01-01", "2023-12-31"),
    ("orders in twenty oh nine", "2009-01-01", "2009-12-31"),
    ("sales q4 24", "2024-10-01", "2024-12-31"),  # a quarter's year in two digits was lost (q4 of 2025)
    ("sales Q1'97", "1997-01-01", "1997-03-31"),
    ("h2-23 revenue", "2023-07-01", "2023-12-31"),
])
def test_years_said_in_words_or_two_digits(text, start, end):
    got = extract(text, {}, dt.date(2025, 12, 31))[0]
    assert (str(got.get("start")), str(got.get("end"))) == (start, end)


def test_two_digit_years_on_both_sides_of_a_comparison():
    got = extract("first quarter 97 against first quarter 98", {}, dt.date(1998, 6, 30))[0]
    assert [(str(a), str(b)) for a, b in got["compare"]] == [("1997-01-01", "1997-03-31"), ("1998-01-01", "1998-03-31")]
    assert "start" not in got
    assert extract("top twenty customers in q3", {}, dt.date(2025, 12, 31))[0]["top"] == 20  # a count, not a year


@pytest.mark.parametrize("text, periods", [
    ("first half of 1997 vs the second half", [("1997-01-01", "1997-06-30"), ("1997-07-01", "1997-12-31")]),
    ("march 2024 vs april", [("2024-03-01", "2024-03-31"), ("2024-04-01", "2024-04-30")]),
    ("q2 vs q1 2024", [("2024-01-01", "2024-03-31"), ("2024-04-01", "2024-06-30")]),
])
def test_the_side_of_a_comparison_without_a_year_is_in_the_other_sides_year(text, periods):
    """The data ends in 2025 (or 1998): the side said without a year is not that last year's."""
    from custlens.slots import comparison

    got, _ = comparison(text, dt.date(1998, 6, 30) if "1997" in text else dt.date(2025, 8, 14))
    assert [(str(a), str(b)) for a, b in got] == periods


@pytest.mark.parametrize("text, segment", [
    # an everyday segment word names the RFM segment when its customers are counted, listed first or set apart
    ("how many at risk customers do we have in germany", "At risk"),
    ("loyal customers in germany", "Loyal"),
    ("how are the loyal customers different from everyone else?", "Loyal"),
    ("share of loyal customers", "Loyal"),
    # not when it asks about loyalty or churn risk, or the customers lost or new
    ("who are my most loyal customers", None),
    ("how loyal are our customers", None),
    ("which customers are at risk of churning", None),
    ("how many lost customers did we have in 2024", None),
    ("new customers per month", None),
])
def test_everyday_segment_words(text, segment):
    assert extract(text)[0].get("segment") == segment


# ------------------------------------------------------------------ a plural listed
@pytest.mark.parametrize("text, by", [
    ("show me all the countries", ["country"]),
    ("ok, list our product categories", ["category"]),
    ("can I see the channels", ["channel"]),
    ("give me the products, sales only", ["product"]),
])
def test_a_plural_asked_to_be_shown_is_a_breakdown(text, by):
    """"show me the countries": one row per country, not the totals with the word dropped."""
    assert extract(text, None, END)[0].get("by") == by


@pytest.mark.parametrize("text, column", [("show me the customers", "customer"), ("list the segments", "segment"),
                                          ("revenue for all the countries", "country"),
                                          ("show me the country", "country"),
                                          ("show me the products people buy together", "product")])
def test_what_is_not_a_plural_listed(text, column):
    """A list of customers, segments (a segmentation of their own), "for all the countries" (the
    scope widened), a singular and a plural the sentence goes on about ("the products people buy
    together": a basket's rules) are not read as that breakdown."""
    assert column not in (extract(text, None, END)[0].get("by") or [])


@pytest.mark.parametrize("text, by, filters", [
    # every value of a column listed restricts nothing: the person wants each, a breakdown by it
    ("could you break the takings down by app, store and web for last year?", ["channel"], None),
    ("share of sales through store vs online (web + app)", ["channel"], None),
    ("revenue for app, store and web", ["channel"], None),
    # some of them: a filter on those
    ("revenue from app and web", None, {"channel": ["app", "web"]}),
    ("churn for month to month and one year", ["contract"], None),
])
def test_every_value_of_a_column_listed_is_a_breakdown(text, by, filters):
    got = extract(text, VALUES)[0]
    assert got.get("by") == by and got.get("filters") == filters

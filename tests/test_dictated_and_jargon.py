"""Questions dictated into a phone and typed in an ops lead's shorthand (issue 16): numbers said in
words ("top twenty", "march ninety seven", "q four"), words a dictation app mishears ("sails", "the are
eff em thing", "average order valley"), "since" before any period, a month said with a year in two
digits ("dec 25 vs nov 25", "the jan 24 cohort"), "2024-25" as two years, the named month or half of
this year against last year's, a bare season with "the" ("over the winter"), a yes/no column set
against its negation in one word ("senior vs non senior", "the senior clients vs the young"), values
listed as examples of the breakdown they illustrate ("funnel by channel (email, social etc)"), and a
reset said after thanks or as "start fresh"."""
import datetime as dt

import pytest

from custlens import slots
from custlens.slots import clean, extract, flags_named

pytestmark = pytest.mark.usefixtures("router_cache")

D = dt.date
END = D(2025, 12, 31)
VALUES = {"transactions": {"channel": ["app", "store", "web"], "category": ["Coffee", "Kitchen", "Pet"],
                           "product": ["Blender", "Yoga Mat", "Milk Frother", "Desk Lamp"]},
          "customers": {"acquisition_channel": ["email", "social", "referral", "paid search"],
                        "country": ["France", "Germany"]}}


@pytest.mark.parametrize("said, written", [
    ("top twenty customers by spend", "top 20 customers by spend"),
    ("the last three months", "the last 3 months"),
    ("top twenty five products", "top 25 products"),
    ("how did q four do", "how did q4 do"),
    ("weekly sales for march ninety seven", "weekly sales for march 1997"),
    ("how many customers bought in ninety seven", "how many customers bought in 1997"),
    ("the next twelve months", "the next 12 months"),
    ("in ninety days", "in ninety days"),  # a count of days stays as said (the durations read it)
    ("sales by quarter twenty twenty four", "sales by quarter twenty twenty four"),  # a year said, not "quarter 20"
])
def test_numbers_said_in_words_are_figures_where_a_figure_is_meant(said, written):
    assert clean(said) == written


def test_a_rank_said_in_words_is_the_rank_and_its_breakdown():
    got = extract(clean("top twenty customers by spend"), VALUES, END)[0]
    assert got["top"] == 20 and got["by"] == ["customer"]
    start, stop, _ = slots.period(clean("weekly sales for march ninety seven"), D(1998, 6, 30))
    assert (start, stop) == (D(1997, 3, 1), D(1997, 3, 31))


@pytest.mark.parametrize("said, metric", [("how many sails did we do last month", "revenue"),
                                          ("what was the average order valley over the last 30 days", "aov")])
def test_words_a_dictation_app_mishears_are_read_as_meant(said, metric):
    assert extract(clean(said), VALUES, END)[0]["metric"] == metric


@pytest.mark.parametrize("said, start", [
    ("whats the total revenue since march last year", D(2024, 3, 1)),
    ("revenue since last summer", D(2025, 6, 1)),
    ("revenue since the start of last year", D(2024, 1, 1)),
    ("orders since q3 2024", D(2024, 7, 1)),
])
def test_since_any_period_is_from_its_first_day_to_the_end_of_the_data(said, start):
    assert slots.period(said, END)[:2] == (start, None)


@pytest.mark.parametrize("said, sides", [
    ("how does this november compare to last november", ((2024, 11, 11), (2025, 11, 11))),
    ("first half of this year versus first half of last year revenue", ((2024, 1, 6), (2025, 1, 6))),
    ("orders dec 25 vs nov 25", ((2025, 11, 11), (2025, 12, 12))),
    ("M3 retention jan 24 cohort vs jan 25 cohort", ((2024, 1, 1), (2025, 1, 1))),
    # written the Nordic way
    ("turnover 2025-11 compared to 2024-11", ((2024, 11, 11), (2025, 11, 11))),
    ("is retention better for cohorts from q1-24 or from q1-25", ((2024, 1, 3), (2025, 1, 3))),
    ("has the sentiment improved from h1-25 to h2-25", ((2025, 1, 6), (2025, 7, 12))),
])
def test_two_periods_said_the_short_way_are_compared(said, sides):
    got = slots.comparison(slots.period_words(said.lower()), END)[0]
    assert [(a.year, a.month, b.month) for a, b in got] == [s for s in sides]


def test_a_day_said_with_on_stays_a_day_and_two_years_said_short_are_both():
    assert slots.period("sales on dec 25", END)[:2] == (D(2025, 12, 25), D(2025, 12, 25))
    assert slots.period("milk frother sales monthly, 2024-25", END)[:2] == (D(2024, 1, 1), D(2025, 12, 31))
    assert slots.period("sales 2024-05", END)[:2] != (D(2024, 1, 1), D(2025, 12, 31))  # a month, not two years


@pytest.mark.parametrize("said, span", [
    ("customers in france in the autumn", (D(2025, 9, 1), D(2025, 11, 30))),
    ("top ten products over the winter", (D(2024, 12, 1), D(2025, 2, 28))),  # the latest to have ended
])
def test_a_season_said_with_the_is_the_latest_one(said, span):
    assert slots.period(said, END)[:2] == span


@pytest.mark.parametrize("said", ["do we sell more in the summer", "are we always busier over the winter"])
def test_a_season_in_a_question_about_seasons_at_large_is_no_period(said):
    assert slots.period(said, END)[:2] == (None, None)


@pytest.mark.parametrize("text", ["churn senior vs non senior", "churn of the senior clients vs the young",
                                  "how many senior vs non-senior customers"])
def test_a_yes_no_column_against_its_negation_in_one_word_is_both_sides(text):
    out, by = flags_named(text, {"senior_citizen": "1", "partner": "Yes"}, {"senior_citizen": "0", "partner": "No"})
    assert by == ["senior_citizen"] and not out


def test_the_flag_alone_still_filters():
    out, by = flags_named("churn for senior clients only", {"senior_citizen": "1"}, {"senior_citizen": "0"})
    assert out == {"senior_citizen": ["1"]} and by == []


@pytest.mark.parametrize("text, by", [
    ("funnel by channel pls (email social etc)", "channel"),  # the acquisition channel's values, as examples
    ("revenue by acquisition channel (email, paid search, referral etc)", "acquisition_channel"),
    ("top 5 products, is the blender there?", "product"),
])
def test_values_listed_as_examples_of_a_breakdown_are_no_filter(text, by):
    got = extract(text, VALUES, END)[0]
    assert by in got["by"] and not got.get("filters") and "product" not in got, got


@pytest.mark.parametrize("text, column, values", [
    ("revenue by channel for email customers", "acquisition_channel", ["email"]),
    ("revenue by product for the yoga mat and the blender", "product", ["Yoga Mat", "Blender"]),
    ("monthly sales by product, yoga mat only", "product", ["Yoga Mat"]),
])
def test_values_said_as_a_scope_beside_a_breakdown_still_filter(text, column, values):
    got = extract(text, VALUES, END)[0]
    named = got.get("filters", {}).get(column) or got.get("products") or [got.get("product")]
    assert sorted(named) == sorted(values), got


def test_a_reset_after_thanks_or_said_as_start_fresh_clears_the_scope():
    from helpers import demo_session

    s = demo_session(300, 3)[0]
    s.chat("revenue in 2025")
    s.chat("only France")
    a = s.chat("Thank you. Now reset the filters and show me the number of orders by month for the whole file.")
    assert "France" not in a.understood and "2025" not in a.understood.split("·")[0], a.understood
    assert not s.conversation.filters
    s.chat("only web")
    s.chat("start fresh - margin by country all time")
    assert not s.conversation.filters
    s.chat("only app")
    a = s.chat("lovely, reset that and just give me a summary of everything")
    assert not s.conversation.filters and "app" not in a.understood, a.understood


@pytest.mark.parametrize("text, column, values", [
    ("units by category where category in ('Coffee','Kitchen')", "category", ["Coffee", "Kitchen"]),
    ("units by category where category = 'Coffee'", "category", ["Coffee"]),
])
def test_a_filter_written_as_sql_beside_its_breakdown_still_filters(text, column, values):
    assert extract(text, VALUES, END)[0]["filters"] == {column: values}


@pytest.mark.parametrize("text, by", [("does having Partner/Dependents cut churn?", ["partner", "dependents"]),
                                      ("does having a partner cut churn", ["partner"])])
def test_the_effect_of_having_a_yes_no_asked_is_both_sides(text, by):
    flags = {"partner": "Yes", "dependents": "Yes"}
    out, got = flags_named(text, flags, {k: "No" for k in flags})
    assert got == by and not out


def test_shorthand_of_an_ops_lead(router_cache):
    from helpers import demo_session

    s = demo_session(300, 3)[0]
    r = s._route("units sold by product FY25 excl. refunds")
    assert r.analysis == "overview" and r.params["metric"] == "quantity"  # a measure left out is not the measure
    assert s._route("refunds by month").params["metric"] == "refunds"
    assert s._route("churned subs per month 2025 (def: no box in 90d)", analysis="churn").params["inactive_days"] == 90
    assert s._route("spin questions for at risk subs", analysis="spin").params["segment"] == "At risk"
    r = s._route("how much is a B2B customer worth compared to a normal customer over their life", analysis="clv")
    assert r.params.get("by") == ["customer_type"] and not r.params.get("filters"), r.params


def test_when_the_person_reads_is_no_period_and_these_days_is_no_grain():
    said = clean("the full write up for the last two years, i want to print it and read it over the winter")
    assert slots.period(said, END)[:2] == (D(2024, 1, 1), D(2025, 12, 31))
    got = extract("are we selling more in the shop or online these days", VALUES, END)[0]
    assert got.get("by") == ["channel"] and "grain" not in got and not got.get("filters"), got


@pytest.mark.parametrize("text, metric, filters", [
    ("whats the average order on the web shop", "aov", {"channel": ["web"]}),
    ("one big report on the web shop customers only", None, {"channel": ["web"]}),  # not also "shop customers"
])
def test_the_longer_everyday_name_of_a_value_wins(text, metric, filters):
    got = extract(text, {"transactions": {"channel": ["app", "store", "web"]}}, END)[0]
    assert got.get("metric") == metric and got.get("filters") == filters, got


@pytest.mark.parametrize("said, span", [
    ("top 10 products in 2025-03", (D(2025, 3, 1), D(2025, 3, 31))),  # a month, not the year 2025
    ("turnover since 2024-03", (D(2024, 3, 1), None)),
    ("orders during 2025-09 to 2025-11", (D(2025, 9, 1), D(2025, 11, 30))),
    ("retention for the 2025-01 cohort", (D(2025, 1, 1), D(2025, 1, 31))),
    ("sales 2025-03-14", (D(2025, 3, 14), D(2025, 3, 14))),  # a day stays a day
])
def test_a_month_written_year_first_is_that_month(said, span):
    assert slots.period(said, END)[:2] == span


@pytest.mark.parametrize("said, metric, grain", [("försäljning per månad for 2024", "revenue", "month"),
                                                 ("omsättning per kvartal", "revenue", "quarter"),
                                                 ("how many unique kunder did we have", "customers", None),
                                                 ("pcs sold per category in 2025", "quantity", None)])
def test_nordic_words_for_the_measures_and_grains(said, metric, grain):
    got = extract(clean(said), VALUES, END)[0]
    assert got["metric"] == metric and got.get("grain") == grain, got


def test_a_quarter_written_with_a_dash_is_a_period_not_an_unknown_name(router_cache):
    """"turnover per country for Q4-25": the fourth quarter of 2025 (it was an unknown value "Q4-25", an
    error), and "Forget the periods." clears the comparison in force."""
    from helpers import demo_session

    s = demo_session(300, 3)[0]
    a = s.chat("turnover per country for Q4-25")
    assert a.params["start"] == "2025-10-01" and a.params["end"] == "2025-12-31", a.understood
    s.chat("sales q1 2024 vs q1 2025")
    b = s.chat("Forget the periods. How many customers have not bought in 6 months?")
    assert not b.params.get("compare") and not b.params.get("start") and "compare" not in b.understood, b.understood


def test_a_plural_column_said_in_the_singular_and_phones_as_the_mobile_device():
    """"group accounts by employee count" is the column employees; "phones versus desktop" sets the
    device mobile against desktop (a breakdown by device, no filter on desktop alone)."""
    found = slots.attribute_dimensions("group accounts by employee count", {"customers": {"employees": [],
                                                                                          "industry": ["Retail", "Tech"]}})
    assert [col for _, col, _ in found] == ["employees"]
    got = extract("conversion rate on phones versus desktop", {"events": {"device": ["desktop", "mobile", "tablet"]}}, END)[0]
    assert got.get("by") == ["device"] and not got.get("filters"), got

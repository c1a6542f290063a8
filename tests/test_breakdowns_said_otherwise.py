"""Breakdowns and measures said the way a hotel manager and a concert promoter say them (issue 16):
"the biggest category in Japan" and "how many customers are on each type of contract" are a breakdown;
"how many deals sitting in each stage" breaks down by the export's own header ("Stage"); "customers with
dependents vs without" is the column, both sides, not a filter on its yes; "which countries bring in
the most cash" and "which brings in more" ask revenue (not a way to pay, not a count of customers)."""
import datetime as dt

import pytest

from custlens.slots import extract, flags_named

pytestmark = pytest.mark.usefixtures("router_cache")

END = dt.date(2025, 12, 31)
VALUES = {"transactions": {"channel": ["app", "store", "web"], "category": ["Home", "Kitchen", "Pet"],
                           "country": ["Japan", "France", "Italy"], "payment": ["Cash", "Card"]},
          "customers": {"contract": ["Month-to-month", "One year", "Two year"], "dependents": ["Yes", "No"],
                        "partner": ["Yes", "No"]}}


@pytest.mark.parametrize("text, by", [
    ("biggest category in japan?", ["category"]),
    ("which is the largest country for us", ["country"]),
    ("highest revenue product last year", ["product"]),
    ("How many customers are on each type of contract?", ["contract"]),
    ("average spend for every kind of contract", ["contract"]),
])
def test_a_breakdown_said_in_other_words(text, by):
    slots = extract(text, VALUES, END)[0]
    assert slots.get("by") == by, slots
    assert not set(by) & set(slots.get("filters") or {})


TELCO = {"customers": {"contract": ["Month-to-month", "One year", "Two year"], "monthly_charges": [], "tenure": []}}


@pytest.mark.parametrize("text, by", [
    ("the relationship between monthly charges and churn?", ["monthly_charges"]),
    ("is there a link between churn and contract", ["contract"]),
    ("correlation of tenure with churn", ["tenure"]),
    ("churn by how long they've been with us", ["tenure"]),
    ("does how long customers have been subscribed make a difference to who leaves", ["tenure"]),
    ("churn by monthly charges", ["monthly_charges"]),
])
def test_a_column_said_as_a_relationship_or_a_clause(text, by):
    """"Monthly charges" is a column named with a grain: no grain and no metric ("charges"), but a breakdown
    where it is related to churn; tenure said as how long they have been with us."""
    slots = extract(text, TELCO, END)[0]
    assert slots.get("by") == by and "grain" not in slots and "metric" not in slots, slots


@pytest.mark.parametrize("text, slots", [("monthly churn by contract", {"grain": "month", "by": ["period", "contract"]}),
                                         ("average monthly charges by contract", {"by": ["contract"]})])
def test_a_grain_still_read_beside_a_column_named_with_one(text, slots):
    assert extract(text, TELCO, END)[0] == slots


@pytest.mark.parametrize("text, column", [("churn for customers with dependents vs without", "dependents"),
                                          ("churn without a partner vs with one", "partner"),
                                          ("do customers with a partner churn less than those without?", "partner")])
def test_a_yes_no_column_with_vs_without_is_both_sides(text, column):
    flags = {"dependents": "Yes", "partner": "Yes"}
    out, by = flags_named(text, flags, {k: "No" for k in flags})
    assert by == [column] and column not in out
    assert flags_named(f"churn for customers with {column}", flags, {k: "No" for k in flags})[0] == {column: ["Yes"]}


@pytest.mark.parametrize("text, metric", [
    ("which countries bring in the most cash", "revenue"),
    ("platform vs add-on, which brings in more", "revenue"),
    ("which channel brings in the most customers", "customers"),
])
def test_money_said_as_cash_or_bringing_in(text, metric):
    assert extract(text, VALUES, END)[0].get("metric") == metric


@pytest.mark.parametrize("text", ["how many orders were paid in cash", "cash flow by month"])
def test_cash_as_a_way_to_pay_or_a_flow_is_no_revenue(text):
    assert extract(text, VALUES, END)[0].get("metric") != "revenue"


def test_a_column_by_its_exports_header_after_in_each(tmp_path):
    """A CRM export's "Stage" (read as the status column): "in each stage" is a breakdown by it, as "by
    stage" is, counted over every deal."""
    from helpers import session, write

    rows = [["Deal ID", "Account", "Stage", "Amount", "Created"]]
    stages = ["Prospecting", "Negotiation", "Negotiation", "Closed Won", "Closed Won", "Closed Won", "Closed Lost"]
    rows += [[f"D{i}", f"A{i % 3}", stage, 100 * (i + 1), f"2025-0{1 + i % 6}-10"] for i, stage in enumerate(stages)]
    a = session(write(tmp_path / "deals.csv", rows)).chat("how many deals sitting in each stage")
    assert a.params.get("by") == ["status"] or a.params.get("by") == ["stage"], a.understood
    table = next(t for t in a.tables if t.columns and t.columns[0] in ("status", "stage"))
    counts = dict(zip(table.column(table.columns[0]), table.column("orders") if "orders" in table.columns
                      else table.column(table.columns[1])))
    assert counts["Negotiation"] == 2 and counts["Closed Won"] == 3


@pytest.mark.parametrize("follow_up", ["how does it compare with h1 2025", "How does that compare with the first half "
                                       "of 2025?", "how do those numbers stack up against h1 2025"])
def test_the_period_in_force_set_against_one_a_follow_up_names(follow_up):
    """"revenue in 2024", then "how does that compare with the first half of 2025?": both periods side by
    side (it was the first half of 2025 alone, the 2024 in force silently dropped)."""
    from helpers import demo_session

    s = demo_session(300, 3)[0]
    first = s.chat("revenue in 2024")
    a = s.chat(follow_up)
    assert a.params.get("compare") == [["2024-01-01", "2024-12-31"], ["2025-01-01", "2025-06-30"]], a.understood
    rows = a.table("comparison").frame.set_index("measure")
    revenue = first.table("headline").frame.set_index("measure")["value"]["revenue"]
    assert rows.loc["revenue", "2024"] == pytest.approx(revenue)


@pytest.mark.parametrize("asked, dim", [("which products drove the difference?", "product"),
                                        ("where did the growth come from, by country", "country")])
def test_what_drove_the_change_between_two_periods_is_the_comparison_by_it(asked, dim):
    """After "revenue q4 2024 vs q4 2025", "which products drove the difference?" is the same comparison
    by product (it was asked back), and the products' changes add up to the whole change."""
    from helpers import demo_session

    s = demo_session(300, 3)[0]
    s.chat("revenue q4 2024 vs q4 2025")
    a = s.chat(asked)
    assert a.analysis == "overview" and a.params.get("by") == [dim], a.understood
    assert a.params.get("compare") == [["2024-10-01", "2024-12-31"], ["2025-10-01", "2025-12-31"]]
    whole = a.table("comparison").frame.set_index("measure").loc["revenue", "change"]
    assert a.table(f"compare_by_{dim}").frame["change"].sum() == pytest.approx(whole, abs=0.05)


@pytest.mark.parametrize("text", ["persona + interview questions for senior customers", "personas for the senior clientes",
                                  "how loyal are senior buyers"])
def test_the_first_word_of_a_yes_no_column_before_a_word_for_people_is_its_yes(text):
    assert flags_named(text, {"senior_citizen": "1"}, {"senior_citizen": "0"})[0] == {"senior_citizen": ["1"]}
    assert flags_named("senior management wants a report", {"senior_citizen": "1"}, {"senior_citizen": "0"})[0] == {}


@pytest.mark.parametrize("text, scoped", [("full report on 2025 please, I'll read it over the weekend with a cuppa", False),
                                          ("print me the summary, I will look at it over the weekend", False),
                                          ("how much do we sell at the weekend", True), ("sales on weekends", True)])
def test_the_weekend_the_asker_reads_in_is_no_scope_on_weekend_sales(text, scoped):
    from custlens.slots import cycle_scope

    assert bool(cycle_scope(text.lower())[0]) is scoped


def test_a_persona_per_value_of_an_attribute():
    """"personas per customer type": the customers segmented by the attribute first, one persona each, with
    each value's customers (it was the default segmentation's personas, the attribute ignored)."""
    from helpers import demo_session

    s, store = demo_session(300, 3)
    a = s.chat("personas per customer type")
    assert a.analysis == "persona" and a.params.get("by") == ["customer_type"], a.understood
    assert s.dataset.segment_method == "attributes"
    counts = store.tables["customers"]["customer_type"].value_counts().to_dict()
    assert len(counts) == 2
    assert {k: p["customers"] for k, p in s.segment_profiles().items()} == counts


@pytest.mark.parametrize("text, metric", [("how many are month to month", "customers"),
                                          ("how many have fiber optic internet vs DSL?", "customers"),
                                          ("how many pay by electronic check", "customers"),
                                          ("how many orders are pending", "orders"),
                                          ("Which device brought in the most purchases in 2024?", "orders"),
                                          ("sum(amount) - sum(cost) by month, 2025", "margin"),
                                          ("revenue less cost by category", "margin")])
def test_counts_of_people_and_a_spreadsheets_profit(text, metric):
    assert extract(text, VALUES, END)[0].get("metric") == metric


def _phrased(analysis, text):
    from custlens.router import compile_phrases, phrase_params

    return phrase_params(compile_phrases(analysis.name, analysis), analysis.Params, text)[0]


@pytest.mark.parametrize("text, months", [("bg/nbd + gamma-gamma clv, horizon 24m", 24), ("bg/nbd, horizon=24", 24),
                                          ("predicted clv nxt 12 mo", 12), ("predicted 2-year lifetime value by country", 24),
                                          ("Prognose of the customer value for 2 years", 24),
                                          ("which clients will buy more in 2 years", 24),
                                          ("predicted value of the champions for 3 years", 36),
                                          ("clv of the customers who bought in the last 6 months", None)])
def test_a_clv_horizon_said_short_or_after_what_is_predicted(text, months):
    from custlens.plugins.clv import Clv

    assert _phrased(Clv(), text).get("horizon") == months
    assert "grain" not in extract(text, VALUES, END)[0]  # "24m", "12 mo", "2-year": a length of time, no grain


@pytest.mark.parametrize("text, days", [("how many cd buyers went quiet for a year+", 365),
                                        ("which accounts look like they're churning - nothing closed in a year", 365),
                                        ("List the lapsed donors, meaning anyone who hasn't given in 12 months.", 365),
                                        ("donors who haven't donated for 6 months", 180)])
def test_inactivity_said_in_a_charitys_or_a_sellers_words(text, days):
    from custlens.plugins.churn import Churn

    assert _phrased(Churn(), text).get("inactive_days") == days


@pytest.mark.parametrize("text, grain", [("churn rate by moth 2025", "month"), ("# orders per mnth 2025", "month"),
                                         ("ventas por ano", "year"), ("ventas por mes of the cds pls", "month"),
                                         ("quarterly cohorts pls, monthly is too noisy", "quarter"),
                                         ("cohorts by quarter rather than by month? Monthly is too noisy", "quarter"),
                                         ("the moth balls sold", None)])
def test_a_grain_typed_fast_said_in_spanish_or_set_aside(text, grain):
    assert extract(text, VALUES, END)[0].get("grain") == grain


@pytest.mark.parametrize("reset", ["Thanks. Could you reset the filters and show me revenue by month?",
                                   "ok reset and show me revenue by month", "pls clear the filters, then revenue by month"])
def test_a_reset_asked_politely_or_followed_by_and_clears_the_scope_before_the_question(reset):
    """The category in force was kept ("report · filter: category = Outdoor") when the reset was asked with
    "could you" or followed by "and"."""
    from helpers import demo_session

    s = demo_session(300, 3)[0]
    s.chat("revenue for outdoor in 2024")
    assert s.conversation.filters
    a = s.chat(reset)
    assert not s.conversation.filters and not a.params.get("filters"), a.understood
    assert a.params.get("by") == ["period"] and not a.params.get("start")


def test_a_value_another_table_holds_is_read_as_its_other_name_in_the_table_the_analysis_reads():
    """"and the website?" after "only the app": "website" is a feedback topic of the demo, and the sales
    channel "web" by another name (``slots.VALUE_NAMES``): the channel web, applied and not said unapplied."""
    from helpers import demo_session

    s = demo_session(300, 3)[0]
    s.chat("revenue by month")
    s.chat("only the app")
    a = s.chat("and the website?")
    assert a.params.get("filters") == {"channel": ["web"]} and "not applied" not in a.understood, a.understood
    direct = s.fork().ask("revenue by month, web only")
    assert direct.params.get("filters") == {"channel": ["web"]}
    assert a.table("headline").frame.equals(direct.table("headline").frame)


@pytest.mark.parametrize("question, analysis", [
    ("what should i ask at risk custs if i interview them", "persona"),
    ("Could you suggest some bundles we could offer to at-risk customers as a win-back incentive?", "basket")])
def test_at_risk_customers_said_to_an_analysis_of_segments_is_the_rfm_segment(question, analysis):
    from helpers import demo_session

    s = demo_session(300, 3)[0]
    route = s._route(question, analysis=analysis)
    assert route.params.get("segment") == "At risk"
    assert "segment" not in (s._route("which customers are at risk of leaving", analysis="churn").params or {})


@pytest.mark.parametrize("question, horizon", [("how much is customer C000012 worth to us? they're threatening to leave", None),
                                               ("how many more orders will customer C000050 place next year?", 12),
                                               ("how much will spend the cliente C000031 in the next 6 months", 6),
                                               ("probability alive for the top spenders", None)])
def test_a_customers_future_is_clv_not_the_overview_of_their_past(question, horizon):
    """It was the overview of the customer's past orders (the money and order words pulled it there)."""
    from helpers import demo_session

    s = demo_session(300, 3)[0]
    route = s._route(question)
    assert route.analysis == "clv", (route.analysis, route.params)
    assert route.params.get("horizon") == horizon
    assert s._route("how much did customer C000012 spend").analysis == "overview"

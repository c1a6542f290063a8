"""Conversation scope on small planted data, through ``Session.chat`` (issue 16's conversation
classes): values of feedback and events as filters, a filter moved to the column the analysis
reads, "all countries again" / "the whole base" widening the scope, a product narrowing feedback
kept as scope, a basket's product asked back when it is ambiguous, averages of a customers
table's numeric columns per group, and the scope always in the answer's first line. Every
figure is counted from the rows the test wrote."""

from __future__ import annotations

import datetime as dt

from pathlib import Path

import pandas as pd
import pytest

from custlens.session import Session
from custlens import slots as slotlib
from custlens.templates import pct
from helpers import http_ask, numbers

pytestmark = pytest.mark.usefixtures("router_cache")


def planted(folder) -> dict[str, str]:
    """40 customers (C00-C15 came by email, the rest by social; odd ones in Germany), three orders
    each in 2024 (Tent 10, Lamp 20, Stove 30; every fourth customer on the web, the rest in the app),
    one comment each (every third is a delivery complaint scored 2, the rest price praise scored 9;
    odd ones came by e-mail, even ones by phone), 60 web sessions (even ones from paid search, odd
    ones from a newsletter; every third on desktop, the rest on mobile)."""
    cust = pd.DataFrame({"customer_id": [f"C{i:02d}" for i in range(40)],
                         "acquisition_channel": ["email" if i < 16 else "social" for i in range(40)],
                         "country": ["Germany" if i % 2 else "France" for i in range(40)]})
    orders, n = [], 0
    for i in range(40):
        for k in range(3):
            n += 1
            orders.append({"order_id": f"O{n:04d}", "customer_id": f"C{i:02d}",
                           "order_date": dt.date(2024, 1 + k * 3, 1 + i % 28), "product": ["Tent", "Lamp", "Stove"][k],
                           "amount": 10.0 * (k + 1), "channel": "app" if i % 4 else "web"})
    feedback = []
    for i in range(40):
        topic = "delivery" if i % 3 == 0 else "price"
        feedback.append({"customer_id": f"C{i:02d}", "date": dt.date(2024, 5, 1 + i % 28),
                         "score": 2 if topic == "delivery" else 9,
                         "comment": "parcel arrived late and the box was damaged" if topic == "delivery"
                         else "fair price and good value", "product": ["Tent", "Lamp"][i % 2], "topic": topic,
                         "source": "email" if i % 2 else "phone"})
    events = []
    for s in range(60):
        for j, e in enumerate(["visit", "add_to_cart", "purchase"][: 1 + s % 3]):
            events.append({"customer_id": f"C{s % 40:02d}", "session_id": f"S{s:03d}",
                           "timestamp": dt.datetime(2024, 6, 1 + s % 28, 10, j), "event": e,
                           "channel": ["paid search", "newsletter"][s % 2], "device": "desktop" if s % 3 == 0 else "mobile"})
    paths = {}
    for name, frame in (("customers", cust), ("orders", pd.DataFrame(orders)), ("feedback", pd.DataFrame(feedback)),
                        ("events", pd.DataFrame(events))):
        path = folder / f"{name}.csv"
        frame.to_csv(path, index=False)
        paths[name] = str(path)
    return paths


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    paths = planted(tmp_path_factory.mktemp("store"))
    return Session(data=[paths["orders"], f"customers={paths['customers']}", f"feedback={paths['feedback']}",
                         f"events={paths['events']}"], entry_points=False)


def test_feedback_values_are_filters(store):
    """A topic and a source of the comments are filters of the feedback analysis; a follow-up
    changes one of them and keeps the other."""
    s = store.fork()
    a = s.chat("complaints about delivery from email customers")
    assert a.analysis == "feedback"
    assert a.params["filters"] == {"topic": ["delivery"], "source": ["email"]}
    assert "topic = delivery" in a.understood.splitlines()[0] and "source = email" in a.understood
    # delivery (i % 3 == 0) by e-mail (odd i): 3, 9, 15, 21, 27, 33, 39
    assert a.table("comments").total_rows == 7
    b = s.chat("and by phone?")
    assert b.params["filters"] == {"topic": ["delivery"], "source": ["phone"]}
    assert b.table("comments").total_rows == 7  # 0, 6, 12, 18, 24, 30, 36


def test_events_values_are_filters_of_the_funnel(store):
    """"only paid search on mobile" after a funnel: the events' channel and device, not the customers'
    acquisition channel; 20 of the 60 sessions are paid search on mobile."""
    s = store.fork()
    s.chat("show me the conversion funnel")
    a = s.chat("only paid search on mobile")
    assert a.analysis == "journey"
    assert a.params["filters"] == {"channel": ["paid search"], "device": ["mobile"]}
    funnel = a.table("funnel").frame
    assert int(funnel.iloc[0, 1]) == 20


def test_a_value_moves_to_the_column_the_analysis_reads(store):
    """"email" is a comment source for feedback and a customers' acquisition channel for sales: a
    filter carried from one to the other moves to the column that holds it there."""
    s = store.fork()
    s.chat("what do customers complain about")
    s.chat("only email")
    assert s.conversation.filters == {"source": ["email"]}
    a = s.chat("revenue by country")
    assert a.analysis == "overview" and a.params["filters"] == {"acquisition_channel": ["email"]}
    # C00-C15 came by email: 16 customers x (10 + 20 + 30)
    assert abs(a.table("headline").frame.set_index("measure").loc["revenue", "value"] - 16 * 60) < 1e-6


def test_the_whole_base_and_all_of_a_column_widen_the_scope(store):
    s = store.fork()
    s.chat("revenue by month in 2024")
    s.chat("only Germany")
    a = s.chat("and for social customers")
    assert a.params["filters"] == {"country": ["Germany"], "acquisition_channel": ["social"]}
    b = s.chat("all countries again, revenue by channel")
    assert b.params["filters"] == {"acquisition_channel": ["social"]}
    assert any("country=Germany no longer in force" in w for w in b.warnings)
    c = s.chat("across the whole customer base, how many customers bought in the app")
    assert s.conversation.filters == {"channel": ["app"]} and s.conversation.period is None
    assert c.params["filters"] == {"channel": ["app"]} and not c.params.get("start")
    # every customer but each fourth bought in the app
    assert c.table("headline").frame.set_index("measure").loc["customers", "value"] == 30


@pytest.mark.parametrize("drop, then_asks", [
    ("drop germany", None),
    ("forget the Germany bit", None),
    ("Remove the country filter, if you would.", None),
    ("drop the country, revenue by channel", "channel"),
    ("ok cancel the germany filter and show revenue by product", "product"),
    ("ditch germany - by channel please", "channel"),
])
def test_a_filter_dropped_by_its_column_or_value_ends_and_the_rest_is_asked(store, drop, then_asks):
    s = store.fork()
    s.chat("revenue by month in 2024")
    s.chat("only Germany")
    s.chat("and for social customers")
    a = s.chat(drop)
    assert s.conversation.filters == {"acquisition_channel": ["social"]}, a.understood
    assert a.params["filters"] == {"acquisition_channel": ["social"]} and "Germany" not in a.understood
    assert a.params["start"] == "2024-01-01"  # the period stays: only the filter named went
    if then_asks:
        assert a.params["by"] == [then_asks]
    # social customers (C16-C39) of both countries: 24 customers, each 10 + 20 + 30
    assert a.table("headline").frame.set_index("measure").loc["revenue", "value"] == 24 * 60


@pytest.mark.parametrize("drop", ["drop the filter", "remove that filter", "clear the filter."])
def test_the_filter_dropped_unnamed_is_every_filter_and_the_period_stays(store, drop):
    """"drop the filter" names no column: the filters in force go (one or several), the period stays,
    the last question is answered again without them and says what was removed."""
    s = store.fork()
    s.chat("revenue by month in 2024")
    s.chat("only Germany")
    a = s.chat(drop)
    assert a.analysis == "overview" and s.conversation.filters == {} and a.params["start"] == "2024-01-01"
    assert any("country=Germany removed" in w for w in a.warnings)
    assert a.table("headline").frame.set_index("measure").loc["revenue", "value"] == 40 * 60
    s.chat("only Germany")
    s.chat("and for social customers")
    b = s.chat(drop)
    assert s.conversation.filters == {} and b.params["start"] == "2024-01-01"
    none = s.chat(drop)  # nothing left to drop: said, no error
    assert none.analysis == "reset" and "No filter is in force" in none.summary


@pytest.mark.parametrize("adds", ["and France too", "add France as well", "plus France", "France also"])
def test_a_value_added_joins_the_filter_in_force(store, adds):
    s = store.fork()
    s.chat("revenue by month in 2024")
    s.chat("only Germany")
    a = s.chat(adds)
    assert a.params["filters"] == {"country": ["Germany", "France"]}, a.understood
    assert a.table("headline").frame.set_index("measure").loc["revenue", "value"] == 40 * 60
    b = s.chat("only France")  # without "too": in its place
    assert b.params["filters"] == {"country": ["France"]}
    c = s.chat("include only Germany")  # "only": in its place, whatever else is said
    assert c.params["filters"] == {"country": ["Germany"]}


def test_a_segment_named_next_replaces_the_one_in_force(tmp_path):
    from helpers import demo_session

    s, _ = demo_session(customers=400, seed=3)
    s.chat("segment customers with rfm")
    s.chat("how many fall into the at risk group?")
    s.chat("could you write a persona for them?")
    a = s.chat("now the champions, please")
    assert a.params["segment"] == "Champions" and "At risk" not in a.understood
    assert s.conversation.filters == {"segment": ["Champions"]}


def test_dropping_what_is_not_in_force_is_no_filter_change(store):
    s = store.fork()
    s.chat("revenue by month in 2024")
    s.chat("only Germany")
    s.chat("drop the channel split")  # a breakdown, not a filter
    assert s.conversation.filters == {"country": ["Germany"]}


def test_a_product_that_narrows_feedback_stays_in_force(store):
    """"only the tent" in feedback narrows the comments to the Tent; the next question about
    satisfaction keeps it (the Tent's 20 comments: even customers)."""
    s = store.fork()
    s.chat("what do customers complain about")
    a = s.chat("only the tent")
    assert a.params["filters"] == {"product": ["Tent"]} and a.table("comments").total_rows == 20
    assert s.conversation.filters == {"product": ["Tent"]}
    b = s.chat("and the average satisfaction score for it?")
    assert b.analysis == "loyalty" and b.params["filters"] == {"product": ["Tent"]}


# ---------------------------------------------------------------------- a product said alone
def test_a_product_said_alone_in_a_follow_up_is_the_baskets_product(tmp_path):
    """"and beer?" after "what goes with whole milk", on baskets where only "bottled beer" and
    "canned beer" hold the word: the basket answers about the likelier one and says so (before, the
    product was dropped and every rule shown)."""
    lines = ["canned beer,crisps,bread"] * 2 + ["whole milk,bread"] * 10 + ["canned beer,crisps"] * 6 + \
        ["bottled beer,crisps"] * 3 + ["bottled beer,salami"] * 3 + ["whole milk,butter,bread,eggs"] * 4
    path = tmp_path / "baskets.csv"
    path.write_text("\n".join(lines) + "\n")
    s = Session(data=[f"baskets={path}"], entry_points=False)
    a = s.chat("what goes with whole milk")
    assert a.params["product"] == "whole milk"
    b = s.chat("and beer?")
    assert b.analysis == "basket" and b.params["product"] == "beer"
    assert any("'beer' read as 'canned beer'" in w and "bottled beer" in w for w in b.warnings)
    assert b.follow_ups[0] == "what goes with bottled beer"  # the other reading, one click away
    # canned beer is in 8 baskets, with crisps in all 8
    assert "canned beer" in b.summary and "crisps" in b.summary
    c = s.chat("what about salami")
    assert c.params["product"] == "salami" and "bottled beer" in c.summary
    d = s.chat("only rules with lift above 2")  # narrows the salami answer: the product stays
    assert d.analysis == "basket" and d.params["product"] == "salami" and d.params["min_lift"] == 2.0
    assert s.chat("which products are bought together?").params["product"] is None  # a new question: no product


def test_a_product_said_alone_after_feedback_narrows_it(store):
    s = store.fork()
    s.chat("what do customers complain about")
    a = s.chat("and the lamp?")
    assert a.analysis == "feedback" and a.params["filters"] == {"product": ["Lamp"]}
    assert a.table("comments").total_rows == 20


# ---------------------------------------------------------------------- averages of a customers table
@pytest.fixture(scope="module")
def crm(tmp_path_factory):
    """60 customers: Month-to-month pay 80 a month (tenure 5), One year 50 (tenure 20), Two year 20
    (tenure 40); 20 of each; the first 10 of each contract pay by card, the rest by cheque and
    their tenure is 10 more."""
    rows = []
    for c, (contract, charge, tenure) in enumerate((("Month-to-month", 80.0, 5), ("One year", 50.0, 20),
                                                   ("Two year", 20.0, 40))):
        for i in range(20):
            card = i < 10
            rows.append({"customerID": f"K{c}{i:02d}", "Contract": contract, "PaymentMethod": "Card" if card else "Cheque",
                         "tenure": tenure + (0 if card else 10), "MonthlyCharges": charge + (i % 2),
                         "Churn": "Yes" if contract == "Month-to-month" and i < 8 else "No"})
    path = tmp_path_factory.mktemp("crm") / "crm.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return Session(data=[str(path)], entry_points=False)


def test_average_of_a_numeric_column_per_group(crm):
    s = crm.fork()
    a = s.chat("average monthly charges by contract")
    assert a.analysis == "overview" and a.params["measure"] == "monthly_charges" and a.params["stat"] == "mean"
    assert "monthly_charges" in a.understood.splitlines()[0]
    table = a.table("by_contract").frame.set_index("contract")
    assert table.loc["Month-to-month", "average monthly charges"] == pytest.approx(80.5)
    assert table.loc["Two year", "average monthly charges"] == pytest.approx(20.5)
    assert "average monthly charges (column monthly_charges) is **50.50**" in a.summary
    assert ("highest for **Month-to-month** (80.50; only 20 customers, a small sample), lowest for **Two year** "
                           "(20.50; only 20 customers, a small sample)") in a.summary
    b = s.chat("mean tenure by payment method")
    table = b.table("by_payment_method").frame.set_index("payment_method")
    assert table.loc["Card", "average tenure"] == pytest.approx((5 + 20 + 40) / 3, abs=1e-4)
    assert table.loc["Cheque", "average tenure"] == pytest.approx((15 + 30 + 50) / 3, abs=1e-4)


@pytest.mark.parametrize("question", ["average monthly charges for churned vs not churned",
                                      "mean monthly charges by churn",
                                      "compare the average monthly charges of customers who left and who stayed"])
def test_an_average_of_churned_and_current_customers(crm, question):
    """The churn flag splits the customers whose average is asked: the figure of each group (the
    word "churned" does not turn the question into the churn analysis, which has no averages)."""
    a = crm.fork().chat(question)
    assert a.analysis == "overview" and a.params["by"] == ["churned"]
    assert "by: churned" in a.understood.splitlines()[0]
    table = a.table("by_churned").frame.set_index("churned")
    assert table["customers"].to_dict() == {"churned": 8, "not churned": 52}
    if "tenure" in question:  # churned: 8 month-to-month card payers (tenure 5); the rest average 30
        assert table.loc["churned", "average tenure"] == pytest.approx(5.0)
        assert table.loc["not churned", "average tenure"] == pytest.approx(30.0)
    else:
        assert table.loc["churned", "average monthly charges"] == pytest.approx(80.5)
        assert table.loc["not churned", "average monthly charges"] == pytest.approx(2386 / 52, abs=1e-4)
        assert ("highest for **churned** (80.50; only 8 customers, a small sample), lowest for **not churned** "
                "(45.88)") in a.summary


def test_an_average_of_the_churned_customers_alone_is_theirs(crm):
    """"of churned customers" names whom the average is of (a filter on the flag), not two groups
    (the stranger's trial: tests/test_trial_readings.py)."""
    a = crm.fork().chat("what's the average tenure of churned customers")
    assert a.analysis == "overview" and list(a.params["filters"]) == ["churned"] and not a.params.get("by")
    head = dict(a.table("headline").rows)
    assert head["customers"] == 8 and head["average tenure"] == pytest.approx(5.0)


def test_a_churn_question_without_an_average_stays_churn(crm):
    assert crm.fork().chat("churn rate by contract").analysis == "churn"
    assert crm.fork().chat("which customers with the highest monthly charges churned").analysis == "churn"


def test_an_average_of_a_flag_group_against_the_rest():
    """"median tenure for senior citizens vs others": the yes/no column is the breakdown, not a
    filter on its yes value; a column the data lacks (age on a telco table) is not averaged."""
    path = Path(__file__).parent / "data" / "telco_sample.csv"
    s = Session(data=[str(path)], entry_points=False)
    a = s.chat("median tenure for senior citizens vs others")
    assert a.analysis == "overview" and a.params["by"] == ["senior_citizen"] and a.params["stat"] == "median"
    raw = pd.read_csv(path)
    want = raw.groupby("senior_citizen")["tenure"].median()
    got = a.table("by_senior_citizen").frame.set_index("senior_citizen")["median tenure"]
    assert {int(k): float(v) for k, v in got.items()} == {int(k): float(v) for k, v in want.items()}
    assert s.measure_named("average age of churned customers") is None  # no age column here
    # the statistic said after the column: the column averaged, not the yes/no column after the statistic
    a = s.chat("monthly charges avg seniors vs non seniors")
    assert (a.params["measure"], a.params["stat"], a.params["by"]) == ("monthly_charges", "mean", ["senior_citizen"])
    got = a.table("by_senior_citizen").frame.set_index("senior_citizen").iloc[:, -1]
    want = raw.groupby("senior_citizen")["monthly_charges"].mean()
    assert {int(k): round(float(v), 2) for k, v in got.items()} == {int(k): round(float(v), 2) for k, v in want.items()}


def test_an_average_as_a_follow_up_and_back_to_counts(crm):
    s = crm.fork()
    s.chat("how many customers by contract")
    a = s.chat("and the median tenure for each group")
    assert a.analysis == "overview" and a.params["measure"] == "tenure" and a.params["stat"] == "median"
    assert a.table("by_contract").frame.set_index("contract").loc["One year", "median tenure"] == pytest.approx(25)
    b = s.chat("how many customers by payment method")
    assert not b.params.get("measure") and "the largest group" in b.summary


# ---------------------------------------------------------------------- a filter the data does not hold
def test_a_filter_the_data_does_not_hold_is_said_not_dropped(store):
    """"only premium customers" and "orders from the wholesale channel" name values the data does
    not have: the answer says so (and which values there are), instead of answering for everyone;
    the conversation goes on with its scope unchanged."""
    from custlens.errors import ParamsError

    s = store.fork()
    s.chat("revenue by month in 2024")
    with pytest.raises(ParamsError, match=r"I found no 'premium' in the data"):
        s.chat("only premium customers")
    with pytest.raises(ParamsError, match=r"I found no 'wholesale' in channel: app, web, newsletter, paid search"):
        s.chat("orders from the wholesale channel")
    a = s.chat("only Germany")  # still a follow-up of the 2024 answer
    assert a.params["filters"] == {"country": ["Germany"]} and a.params["start"] == "2024-01-01"
    b = s.chat("just returning customers")  # a kind of customer the analyses know: no such complaint
    assert b.analysis != "clarify" or b.summary


def test_the_scope_in_force_is_in_every_first_line(store):
    """A filter an answer could not take, and the scope in force on an answer about an answer
    ("why?"), are in the first line."""
    s = store.fork()
    s.chat("revenue in the app in 2024")
    a = s.chat("what do customers complain about")
    # the sales channel is no column of the comments: said in the first line, not dropped unseen
    first = a.understood.splitlines()[0]
    assert "not applied: channel=app" in first and "2024" in first
    assert a.table("comments").total_rows == 40  # every comment (all are from 2024)
    s.chat("rfm segments")
    p = s.chat("create personas for our segments")
    # personas take the filters (the segments are made over those customers), not the period
    assert "filter: channel = app" in p.understood and "not applied: 2024" in p.understood
    why = s.chat("why?")
    assert why.analysis == "explain" and why.understood.startswith("explain · in force: 2024") and \
        "channel=app" in why.understood


def test_a_breakdown_dropped_by_name(store):
    s = store.fork()
    a = s.chat("revenue by country and channel")
    assert a.params["by"] == ["country", "channel"]
    b = s.chat("drop the channel split")
    assert b.analysis == "overview" and b.params["by"] == ["country"]
    c = s.chat("remove the breakdown - what is the revenue in 2024?")
    assert c.params["by"] == [] and c.params["start"] == "2024-01-01"
    assert c.table("headline").frame.set_index("measure").loc["revenue", "value"] == pytest.approx(40 * 60)


def test_write_personas_for_those_asks_for_personas(store):
    s = store.fork()
    s.chat("segment customers by country")
    a = s.chat("write personas for those")
    assert a.analysis == "persona"


def test_a_count_of_groups_after_rfm_switches_to_clusters(store):
    """"make it 3 groups" after an RFM segmentation: k goes with clustering, so the method the last
    answer had is left out (said), the filter in force kept."""
    s = store.fork()
    s.chat("rfm segmentation")
    s.chat("only France")
    a = s.chat("make it 3 groups")
    assert a.analysis == "segmentation" and a.params["k"] == 3 and a.params["method"] != "rfm"
    assert a.params["filters"] == {"country": ["France"]}
    assert any("method=rfm does not go with" in w for w in a.warnings)
    assert a.table("segments").total_rows == 3


# ---------------------------------------------------------------------- a breakdown nothing holds
@pytest.mark.parametrize("question,word", [("revenue by flavour", "flavour"), ("orders per shoe size", "shoe"),
                                           ("churn rate per subscription plan", "subscription")])
def test_a_breakdown_the_data_does_not_hold_is_said(store, question, word):
    """"revenue by flavour" on data without flavours: answered without the breakdown, and the first
    line says so (it is not taken for a breakdown that came out as one group)."""
    a = store.fork().chat(question)
    assert f"not read: by {word}" in a.understood.splitlines()[0]
    assert any(w.startswith(f"not read: by {word}") and "Columns:" in w and "country" in w for w in a.warnings)


@pytest.mark.parametrize("question", ["revenue by country", "top products by revenue", "sales by month in 2024",
                                      "segment customers by behaviour", "customers ranked by spend",
                                      "which product sells best by far"])
def test_breakdowns_and_orders_that_are_read_are_not_flagged(store, question):
    a = store.fork().chat(question)
    assert "not read" not in a.understood and not any(w.startswith("not read") for w in a.warnings)


# ---------------------------------------------------------------------- periods and values compared
def test_the_same_period_in_another_year(store):
    """"compare it with the same quarter in 2023" after Q2 2024: Q2 2023 against Q2 2024 (the
    planted orders: Lamp orders in April 2024, none in 2023)."""
    s = store.fork()
    s.chat("revenue in q2 2024")
    a = s.chat("compare it with the same quarter in 2023")
    assert a.params["compare"] == [["2023-04-01", "2023-06-30"], ["2024-04-01", "2024-06-30"]]
    b = s.chat("orders in q3 2024")
    assert b.params["start"] == "2024-07-01"
    from custlens.errors import DataError

    with pytest.raises(DataError, match="between 2023-07-01 and 2023-09-30"):  # the data starts in 2024
        s.chat("and the same period last year")


def test_compared_to_another_value_shows_both(store):
    """"compared to France" after "only Germany": both countries, broken down by country (20 each,
    60 per customer)."""
    s = store.fork()
    s.chat("revenue in Germany")
    a = s.chat("compared to France")
    assert a.params["filters"] == {"country": ["Germany", "France"]} and a.params["by"] == ["country"]
    table = a.table("by_country").frame.set_index("country")
    assert table.loc["Germany", "revenue"] == pytest.approx(20 * 60) and \
        table.loc["France", "revenue"] == pytest.approx(20 * 60)


def test_a_segment_named_stays_for_they(store):
    """"for the X customers, build me a persona" then "what do they buy together": the segment named
    stays in force, for analyses with a segment param and for those with filters."""
    s = store.fork()
    s.chat("segment customers by country")
    a = s.chat("for the Germany segment, build me a persona")
    assert a.analysis == "persona"
    assert s.conversation.filters.get("segment") == [a.params["segment"]]
    b = s.chat("and how much revenue do they bring")
    assert b.params["filters"]["segment"] == [a.params["segment"]]
    assert b.table("headline").frame.set_index("measure").loc["customers", "value"] == 20


def test_a_degree_of_an_everyday_segment_is_no_segment(store):
    from custlens.router import Route

    route = Route("loyalty", {"filters": {"segment": ["Loyal"], "country": ["France"]}}, slots={"segment": "Loyal"})
    Session._not_a_segment("who are the most loyal there, top 15", route)
    assert route.params["filters"] == {"country": ["France"]} and "segment" not in route.slots
    kept = Route("loyalty", {"filters": {"segment": ["Loyal"]}}, slots={"segment": "Loyal"})
    Session._not_a_segment("revenue of the loyal customers", kept)
    assert kept.params["filters"] == {"segment": ["Loyal"]}


def test_a_new_question_and_the_whole_range_end_the_scope(store):
    s = store.fork()
    s.chat("what do customers complain about")
    s.chat("only the tent")
    a = s.chat("average satisfaction score by product across the whole range")
    assert not (a.params.get("filters") or {}).get("product")
    s.chat("revenue in Germany in 2024")
    b = s.chat("separate question - how many customers do we have?")
    assert b.analysis == "overview" and not b.params.get("filters") and not b.params.get("start")
    assert b.table("headline").frame.set_index("measure").loc["customers", "value"] == 40


# ---------------------------------------------------------------------- found trying it as a new user
def test_a_month_said_alone_is_in_the_year_in_force(store):
    """"how about april" after January 2024: April 2024 (the 40 Lamp orders of 20), not January again."""
    s = store.fork()
    a = s.chat("revenue in january 2024")
    assert a.table("headline").frame.set_index("measure").loc["revenue", "value"] == pytest.approx(40 * 10)
    b = s.chat("how about april")
    assert (b.params["start"], b.params["end"]) == ("2024-04-01", "2024-04-30")
    assert b.table("headline").frame.set_index("measure").loc["revenue", "value"] == pytest.approx(40 * 20)


@pytest.mark.parametrize("line, start, end, revenue", [
    ("only jan to june", "2024-01-01", "2024-06-30", 400 + 800),
    ("just april", "2024-04-01", "2024-04-30", 800),
    ("april only", "2024-04-01", "2024-04-30", 800),
    ("between april and july", "2024-04-01", "2024-07-31", 800 + 1200),
    ("and in july?", "2024-07-01", "2024-07-31", 1200),
])
def test_months_said_without_a_year_are_in_the_year_in_force(store, line, start, end, revenue):
    """A month or a range of months said without a year, after a period: those months of its year
    (they were dropped, or read in the data's last year, or asked back)."""
    s = store.fork()
    s.chat("sales per month in 2024")
    a = s.chat(line)
    assert a.analysis == "overview" and (a.params["start"], a.params["end"]) == (start, end)
    assert a.table("headline").frame.set_index("measure").loc["revenue", "value"] == pytest.approx(revenue)


def test_a_range_of_months_without_a_year_is_the_datas_last_one(store):
    """With no period in force, "jan to june" is the last January to June the data has (2024 here)."""
    a = store.fork().chat("revenue from jan to june")
    assert (a.params["start"], a.params["end"]) == ("2024-01-01", "2024-06-30")
    assert a.table("headline").frame.set_index("measure").loc["revenue", "value"] == pytest.approx(1200)


def test_versus_last_year_compares_the_same_part_of_it(store):
    s = store.fork()
    s.chat("revenue in q2 2024")
    a = s.chat("vs last year")
    assert a.params["compare"] == [["2023-04-01", "2023-06-30"], ["2024-04-01", "2024-06-30"]]
    s.chat("revenue in 2024")
    b = s.chat("vs last year")  # a whole year in force: the whole year before
    assert b.params["compare"] == [["2023-01-01", "2023-12-31"], ["2024-01-01", "2024-12-31"]]


def test_how_does_it_differ_by_is_a_follow_up(store):
    """"how does it differ by country" after the churn rate is the churn rate by country (it was a
    revenue overview by country); "only the ones from France" narrows it."""
    s = store.fork()
    s.chat("what's our churn rate")
    a = s.chat("how does it differ by country")
    assert a.analysis == "churn" and a.params["by"] == ["country"]
    b = s.chat("only the ones from France")
    assert b.analysis == "churn" and b.params["filters"] == {"country": ["France"]}


def test_a_crm_segment_column_stays_a_filter_after_a_segmentation(tmp_path):
    """A CRM export with its own Segment column (Enterprise, SMB): after an RFM segmentation saves
    its labels, "only enterprise" still filters the accounts' Segment (it became a persona
    question that dropped the filter), and the saved labels still filter as segments."""
    accounts = pd.DataFrame({"customer_id": [f"A{i:02d}" for i in range(30)],
                             "segment": ["Enterprise" if i < 10 else "SMB" for i in range(30)],
                             "region": ["EMEA" if i % 2 else "APAC" for i in range(30)]})
    orders = pd.DataFrame([{"order_id": f"O{i:02d}{k}", "customer_id": f"A{i:02d}",
                            "order_date": dt.date(2024, 1 + k, 1 + i % 28), "amount": 100.0 if i < 10 else 10.0}
                           for i in range(30) for k in range(1 + i % 3)])
    accounts.to_csv(tmp_path / "accounts.csv", index=False)
    orders.to_csv(tmp_path / "orders.csv", index=False)
    s = Session(data=[str(tmp_path / "orders.csv"), f"customers={tmp_path / 'accounts.csv'}"], entry_points=False)
    s.chat("rfm segmentation")
    s.chat("revenue by month")
    a = s.chat("only enterprise")
    assert a.analysis == "overview" and a.params["filters"] == {"segment": ["Enterprise"]}
    enterprise = orders[orders.customer_id.isin(accounts.customer_id[:10])]
    assert a.table("headline").frame.set_index("measure").loc["revenue", "value"] == pytest.approx(enterprise.amount.sum())
    b = s.chat("and for EMEA")
    assert b.params["filters"] == {"segment": ["Enterprise"], "region": ["EMEA"]}


def test_seniors_and_a_breakdown_by_the_filtered_column(tmp_path):
    """"only seniors" is the yes/no column senior_citizen (it was dropped silently); "churn rate by
    senior citizen" then asks about every value of it, so the filter on it ends (said)."""
    rows = [{"customerID": f"T{i:03d}", "SeniorCitizen": int(i < 10), "Contract": "One year" if i % 2 else "Two year",
             "tenure": 12, "MonthlyCharges": 50.0, "Churn": "Yes" if i < 4 or i == 20 else "No"} for i in range(40)]
    path = tmp_path / "telco.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    s = Session(data=[str(path)], entry_points=False)
    s.chat("how many customers by contract")
    a = s.chat("only seniors")
    assert a.params["filters"] == {"senior_citizen": ["1"]}
    assert a.table("headline").frame.set_index("measure").loc["customers", "value"] == 10
    b = s.chat("churn rate by senior citizen")
    assert b.analysis == "churn" and b.params["by"] == ["senior_citizen"] and not b.params.get("filters")
    assert any("senior_citizen=1 no longer in force" in w for w in b.warnings)


def test_the_scope_over_http(tmp_path):
    """The same conversation through POST /ask: a feedback value as a filter, a filter the next
    analysis cannot take on its first line, a value the data does not hold as a 422 that names it."""
    import httpx
    from embedding import serving

    from custlens import Assistant
    from custlens.server import create_app

    paths = planted(tmp_path)
    assistant = Assistant(data=[paths["orders"], f"customers={paths['customers']}", f"feedback={paths['feedback']}"],
                          entry_points=False)
    try:
        with serving(create_app(assistant)) as url, httpx.Client(base_url=url, timeout=60) as client:
            ask = http_ask(client)

            first = ask("complaints about delivery")
            cid = first["conversation_id"]
            assert first["answer"]["params"]["filters"] == {"topic": ["delivery"]}
            comments = next(t for t in first["answer"]["tables"] if t["name"] == "comments")
            assert comments["total_rows"] == 14  # every third of the 40 comments
            revenue = ask("revenue by country", cid)["answer"]
            assert "not applied: topic=delivery" in revenue["understood"]
            assert "wholesale" in ask("orders from the wholesale channel", cid, status=422)["error"]
    finally:
        assistant.close()


# --------------------------------------------------------------------------- scope that a new question cannot use

@pytest.fixture
def two_years(tmp_path):
    """Customers who all first bought in 2023; orders in 2023 and 2024 (planted totals)."""
    rows = []
    for i in range(40):
        rows.append({"customer_id": f"C{i:02}", "order_id": f"A{i}", "order_date": f"2023-0{1 + i % 3}-10",
                     "amount": 100.0})
        if i % 2:
            rows.append({"customer_id": f"C{i:02}", "order_id": f"B{i}", "order_date": "2024-05-10", "amount": 50.0})
    path = tmp_path / "orders.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return Session(data=[str(path)], entry_points=False)


def test_a_comparison_is_not_carried_into_another_analysis(two_years):
    s = two_years
    both = s.chat("compare revenue 2023 vs 2024")
    assert both.params.get("compare") and "4,000" in both.summary and "1,000" in both.summary
    clv = s.chat("customer lifetime value")
    assert clv.analysis == "clv" and not clv.params.get("compare") and not clv.params.get("start")
    assert any("comparison 2023 vs 2024 no longer in force" in w for w in clv.warnings)
    # a follow-up of the same analysis keeps it
    again = s.chat("compare revenue 2023 vs 2024")
    assert s.chat("and by month").params.get("compare") == again.params.get("compare")


def test_a_comparison_stays_in_force_into_another_analysis_of_the_period(two_years):
    """Two periods compared are scope, like one: "the repeat rate for those" answers both periods side by
    side (each its own figures), until the comparison is dropped in words."""
    s = two_years
    both = s.chat("compare revenue 2023 vs 2024")
    rate = s.chat("and what's the repeat purchase rate for those?")
    assert rate.analysis == "loyalty" and rate.params.get("compare") == both.params.get("compare")
    assert "2023" in rate.summary and "2024" in rate.summary and "comparison" not in " ".join(rate.warnings)
    # 2023: 40 customers, none bought twice in 2023; 2024: the 20 who came back bought once each in 2024
    first, second = rate.summary.split("**2024**")
    assert "40" in first and "20" in second
    for said in ("forget the comparison", "ok, stop comparing", "no more comparisons"):
        s.chat("compare revenue 2023 vs 2024")
        after = s.chat(f"{said}. repeat purchase rate")
        assert after.analysis == "loyalty" and not after.params.get("compare") and not after.params.get("start"), said


def test_a_carried_period_that_matches_nothing_widens_with_a_note(two_years):
    """Every customer first bought in 2023: cohorts 'in 2024' (carried, not asked) have no one, so
    the answer is over all the data and says why; asked outright, the error is the user's to see."""
    s = two_years
    s.chat("revenue in 2024")
    cohorts = s.chat("cohort retention by month of first purchase")
    assert cohorts.analysis == "cohort" and not cohorts.params.get("start")
    assert cohorts.warnings[0].startswith("with 2024 in force (from earlier questions)")
    assert "over all the data" in cohorts.warnings[0] and "not applied: 2024" in cohorts.understood
    assert s.conversation.period is not None  # still in force for the next question
    from custlens.errors import DataError

    with pytest.raises(DataError):
        s.chat("reset filters")
        s.chat("cohort retention for customers acquired in 2024")


# ---------------------------------------------------------------------- values said the everyday way
@pytest.fixture(scope="module")
def telco_like(tmp_path_factory):
    """90 subscribers, 30 on each internet service; churned: Fiber optic 15 (50%), DSL 6 (20%), No 3
    (10%); the first half of each service pays by "Credit card (automatic)", the rest by "Electronic check"."""
    rows = []
    for s, (service, churned) in enumerate((("Fiber optic", 15), ("DSL", 6), ("No", 3))):
        for i in range(30):
            rows.append({"customerID": f"T{s}{i:02d}", "InternetService": service,
                         "Contract": ("Month-to-month", "One year", "Two year")[i % 3],
                         "PaymentMethod": "Credit card (automatic)" if i < 15 else "Electronic check",
                         "tenure": 1 + i, "MonthlyCharges": 20.0 + 10 * s, "Churn": "Yes" if i < churned else "No"})
    path = tmp_path_factory.mktemp("telco_like") / "subscribers.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return Session(data=[str(path)], entry_points=False)


def test_values_said_the_everyday_way(telco_like):
    """"fibre" (British, and short) is Fiber optic, "credit card" the data's "Credit card (automatic)",
    "e-check" "Electronic check": filters, not lost words."""
    a = telco_like.fork().chat("how many fibre customers paying by credit card have churned")
    assert a.analysis == "churn"
    assert a.params["filters"] == {"internet_service": ["Fiber optic"], "payment_method": ["Credit card (automatic)"]}
    b = telco_like.fork().chat("churn rate of e-check payers")
    assert b.params["filters"] == {"payment_method": ["Electronic check"]}


def test_x_or_y_asked_which_is_more_is_a_comparison(telco_like):
    """"do we lose more on fiber or dsl": both values side by side (a breakdown by their column),
    not a filter on one of them; the rates are the planted ones."""
    a = telco_like.fork().chat("do we lose more subscribers on fiber or dsl?")
    assert a.analysis == "churn" and "internet_service" in a.params["by"]
    assert "internet_service" not in (a.params.get("filters") or {})  # a column of three values: shown whole
    table = a.table("churn_by_internet_service").frame.set_index("internet_service")
    assert table["churn rate"][["Fiber optic", "DSL"]].to_dict() == pytest.approx({"Fiber optic": 0.5, "DSL": 0.2})
    assert telco_like.fork().chat("churn of customers on fiber or dsl").params["filters"] == \
        {"internet_service": ["Fiber optic", "DSL"]}  # no "more": both values are the scope


def test_a_filter_follow_up_keeps_the_analysis_and_a_number_of_groups_starts_another(telco_like):
    s = telco_like.fork()
    s.chat("churn rate by contract")
    a = s.chat("just fibre optic customers")
    assert a.analysis == "churn" and a.params["filters"] == {"internet_service": ["Fiber optic"]}
    b = s.chat("reset filters, segment the whole base into 4")
    assert b.analysis == "segmentation" and b.params["k"] == 4 and not b.params.get("filters")


def test_polite_and_short_follow_ups_keep_the_analysis(tmp_path):
    """"Restrict that to Germany, if you would." and "since jan 98" (a month's year in two digits)
    are follow-ups of the last analysis; "the CD customers" names no country (CD is Congo's code)."""
    rows = [(f"C{i % 40}", f"O{i}", dt.date(1997, 1, 1) + dt.timedelta(days=7 * i), 10.0 + i % 5,
             ["Germany", "France"][i % 2]) for i in range(80)]
    path = tmp_path / "orders.csv"
    pd.DataFrame(rows, columns=["customer_id", "order_id", "order_date", "amount", "country"]).to_csv(path, index=False)
    s = Session(data=[str(path)], entry_points=False)
    assert s.chat("revenue by quarter").analysis == "overview"
    a = s.chat("Restrict that to Germany, if you would.")
    assert a.analysis == "overview" and a.params["filters"] == {"country": ["Germany"]}
    b = s.chat("since jan 98")
    assert b.analysis == "overview" and str(b.params["start"]) == "1998-01-01"
    assert b.params["filters"] == {"country": ["Germany"]}
    c = Session(data=[str(path)], entry_points=False).chat("could you run an RFM segmentation on the CD customers?")
    assert c.analysis == "segmentation" and not c.params.get("filters")


def test_a_value_said_with_digits_or_short_units_is_the_value(telco_like):
    """"2 yr contract" is the data's "Two year"; "in 2 years" is a period, not the value."""
    values, end = telco_like._values(), telco_like.data_end()
    assert slotlib.extract("churn on 2 yr contracts", values, end)[0]["filters"] == {"contract": ["Two year"]}
    assert slotlib.extract("churn for one-year contracts", values, end)[0]["filters"] == {"contract": ["One year"]}
    assert "filters" not in slotlib.extract("how many will churn in 2 years", values, end)[0]


def test_a_flag_said_as_column_equals_value_is_a_filter(tmp_path):
    """"+ SeniorCitizen=1" (a 0/1 column, whose values are not listed) was "I found no '1' in the
    data"; on a table without purchases "who's at risk next" is churn risk, not the RFM segment.
    Planted: 40 subscribers, seniors are every fourth (10), 6 of them churned."""
    rows = [{"customerID": f"S{i:02d}", "SeniorCitizen": int(i % 4 == 0), "Contract": ("Month-to-month", "One year")[i % 2],
             "tenure": 1 + i, "Churn": "Yes" if (i % 4 == 0 and i < 24) or i % 7 == 1 else "No"} for i in range(40)]
    pd.DataFrame(rows).to_csv(tmp_path / "subs.csv", index=False)
    s = Session(data=[str(tmp_path / "subs.csv")], entry_points=False)
    s.chat("churn rate by Contract")
    a = s.chat("+ SeniorCitizen=1")
    assert a.analysis == "churn" and a.params["filters"] == {"senior_citizen": ["1"]}
    seniors = [r for r in rows if r["SeniorCitizen"]]
    rate = 100 * sum(r["Churn"] == "Yes" for r in seniors) / len(seniors)
    assert round(rate, 1) in [round(x, 1) for x in numbers(a.summary)], a.summary
    assert "all of them are **Month-to-month**" in a.summary  # seniors (even numbers) hold one contract
    b = s.chat("who's at risk next, top 20")
    assert b.analysis == "churn" and "segment" not in (b.params.get("filters") or {})



def test_a_flag_named_without_is_and_a_measure_without_its_unit_word(tmp_path):
    """"active members" is the 0/1 column IsActiveMember, "average cashback" the column
    CashbackAmount (both were silently dropped: the e-commerce churn workbook of the second trial)."""
    rows = [{"CustomerID": 5000 + i, "IsActiveMember": int(i % 3 == 0), "CityTier": 1 + i % 3,
             "CashbackAmount": 100.0 + i, "Churn": int(i % 4 == 0)} for i in range(36)]
    frame = pd.DataFrame(rows)
    frame.to_csv(tmp_path / "ecomm.csv", index=False)
    s = Session(data=[str(tmp_path / "ecomm.csv")], entry_points=False)
    a = s.ask("how many customers are active members?")
    # a count of a flag: one figure with its whole, never a filter on the column it counts
    assert (a.params["measure"], a.params["stat"]) == ("is_active_member", "share") and not a.params.get("filters")
    hits = int((frame.IsActiveMember == 1).sum())
    assert a.summary.startswith(f"**{hits} of {len(frame)} customers ({pct(hits / len(frame))})** have "
                                "is_active_member = 1")
    b = s.ask("average cashback by city tier")
    assert b.params["measure"] == "cashback_amount" and b.params["by"] == ["city_tier"]
    want = frame.groupby("CityTier").CashbackAmount.mean().to_dict()
    assert {int(r[0]): r[-1] for r in b.table("by_city_tier").rows} == pytest.approx(want)


def test_short_words_of_column_names_are_read_as_said(tmp_path):
    """"number of products" is NumOfProducts, "a credit card" HasCrCard; churn's highest group never
    contradicts its table: a smaller group that churns more is said (60 customers at 100% beside 3
    products at 82.7% in the bank churn table of the second trial)."""
    rows = []
    for i in range(400):
        products = 4 if i < 3 else (1, 2, 3)[i % 3]
        churned = i < 3 or (products == 3 and i % 5 != 0) or (products == 1 and i % 4 == 0)
        rows.append({"CustomerId": 15600000 + i, "NumOfProducts": products, "HasCrCard": int(i % 2 == 0),
                     "Exited": int(churned)})
    frame = pd.DataFrame(rows)
    frame.to_csv(tmp_path / "bank.csv", index=False)
    s = Session(data=[str(tmp_path / "bank.csv")], entry_points=False)
    a = s.ask("churn rate by number of products")
    assert a.params["by"] == ["num_of_products"]
    assert "**4**, only 3 customers, is higher still at 100.0%" in a.summary, a.summary
    b = s.ask("how many customers have a credit card?")  # one figure with its whole, not a filter on itself
    assert b.params["measure"] == "has_cr_card" and not b.params["filters"]
    n = int((frame.HasCrCard == 1).sum())
    assert b.summary.startswith(f"**{n} of {len(frame)} customers ({pct(n / len(frame))})** have has_cr_card = 1")


def test_by_country_reads_the_column_that_holds_countries(tmp_path):
    """"churn rate by country" on a bank table whose countries are in Geography (it failed: no column
    country); the rates are the planted ones."""
    rows = [{"CustomerId": 100 + i, "Geography": ("France", "Spain", "Germany")[i % 3],
             "Exited": int(i % 3 == 2 and i % 2 == 0)} for i in range(60)]
    pd.DataFrame(rows).to_csv(tmp_path / "bank.csv", index=False)
    s = Session(data=[str(tmp_path / "bank.csv")], entry_points=False)
    a = s.ask("churn rate by country")
    assert a.params["by"] == ["geography"]
    rates = a.table("churn_by_geography").frame.set_index("geography")["churn rate"].to_dict()
    assert rates == pytest.approx({"Germany": 0.5, "France": 0.0, "Spain": 0.0})


@pytest.mark.parametrize("first, follow_up, column, value", [
    ("cohort retention by month", "for people who came in through social", "acquisition_channel", "social"),
    ("what's the funnel conversion", "only paid search traffic", "channel", "paid search"),
    ("repeat purchase rate", "and for customers ordering through the web", "channel", "web"),
    ("cohort retention by month", "just the ones acquired via email", "acquisition_channel", "email"),
])
def test_a_line_that_only_narrows_in_its_own_words_keeps_the_analysis(store, first, follow_up, column, value):
    """"for people who came in through social", "only paid search traffic": how the customers hold
    the value (came in through, ordering through, traffic, acquired via) asks nothing new, so the
    analysis in force stays, narrowed."""
    s = store.fork()
    before = s.chat(first)
    after = s.chat(follow_up)
    assert after.analysis == before.analysis, (follow_up, after.analysis)
    assert after.params["filters"] == {column: [value]}
    assert f"{column} = {value}" in after.understood


def test_a_difference_between_two_values_follows_up_the_last_answer(store):
    """"any difference between app and web?" after an overview is that overview by channel, its
    period kept (not a segmentation of its own)."""
    chat = store.fork()
    chat.chat("revenue in 2024")
    a = chat.chat("any difference between app and web?")
    assert a.analysis == "overview" and a.params["by"] == ["channel"] and str(a.params["start"]) == "2024-01-01"
    table = {r[0]: r[1] for r in a.table("by_channel").rows}
    assert table == {"app": pytest.approx(30 * 60.0), "web": pytest.approx(10 * 60.0)}  # 30 and 10 customers


def test_how_many_of_them_naming_another_measure_is_that_analysis(store):
    """"how many of those are high LTV" after a churn list counts no filter of the churned: it asks
    for lifetime value, in the scope in force."""
    chat = store.fork()
    chat.chat("customers who have not ordered in 90 days")
    chat.chat("only Germany")
    a = chat.chat("how many of those are high LTV")
    assert a.analysis == "clv" and a.params["filters"] == {"country": ["Germany"]}


def test_a_quarter_without_a_year_is_in_the_year_in_force(store):
    """"Q3 only" after 2024 is Q3 2024 (not the quarter of the data's last year); "and h1?" its first half."""
    chat = store.fork()
    chat.chat("revenue in 2024")
    a = chat.chat("Q3 only")
    assert (str(a.params["start"]), str(a.params["end"])) == ("2024-07-01", "2024-09-30")
    assert a.table("headline").frame.set_index("measure").loc["revenue", "value"] == 40 * 30  # July: the stoves
    b = chat.chat("and h1?")
    assert (str(b.params["start"]), str(b.params["end"])) == ("2024-01-01", "2024-06-30")
    assert b.table("headline").frame.set_index("measure").loc["revenue", "value"] == 40 * (10 + 20)


def test_a_line_opening_with_for_narrows_the_funnel(store):
    chat = store.fork()
    chat.chat("show the funnel")
    a = chat.chat("for paid search traffic")
    assert a.analysis == "journey" and a.params["filters"] == {"channel": ["paid search"]}


def test_a_filter_the_analysis_cannot_read_is_said(store):
    """"only the app" of feedback, whose rows have no sales channel: the answer says the filter was
    not applied (it was dropped silently)."""
    chat = store.fork()
    chat.chat("what do customers complain about")
    a = chat.chat("only the web orders")
    assert a.analysis == "feedback"
    assert any(w.startswith("not applied: channel = web") for w in a.warnings), a.warnings
    assert "not applied: channel = web" in a.understood


@pytest.mark.parametrize("first, line, analysis", [
    ("show the funnel", "ok reset filters. who are my best customers", "overview"),
    ("what do customers complain about", "segments pls", "segmentation"),
    ("customers who have not ordered in 90 days", "segments please", "segmentation"),
])
def test_a_follow_up_that_changes_nothing_is_asked_as_its_own_question(store, first, line, analysis):
    """A line read as a follow-up whose words change none of the last answer's params ("segments
    pls" after a basket) would give that answer again without what it asks: another analysis that
    reads it as its own question answers it (before, the funnel or the complaints came back)."""
    chat = store.fork()
    assert chat.chat(first).analysis != analysis
    a = chat.chat(line)
    assert a.analysis == analysis, (line, a.analysis, a.understood)


def test_a_follow_up_that_changes_nothing_and_asks_nothing_new_keeps_the_answer(store):
    chat = store.fork()
    chat.chat("revenue by month in 2024")
    a = chat.chat("same again")
    assert a.analysis == "overview" and a.params["by"] == ["period"] and str(a.params["start"]) == "2024-01-01"


@pytest.mark.parametrize("first, line, analysis, by", [
    ("what do customers complain about", "which products are they about?", "feedback", ["product"]),
])
def test_which_of_a_breakdown_after_an_answer_is_that_answer_broken_down(store, first, line, analysis, by):
    chat = store.fork()
    chat.chat(first)
    a = chat.chat(line)
    assert a.analysis == analysis and a.params["by"] == by, a.understood


def test_which_of_them_we_are_about_to_lose_after_lifetime_value_is_its_lapsing_list(store):
    chat = store.fork()
    chat.chat("what is the lifetime value of our customers")
    a = chat.chat("which of them are we about to lose?")
    assert a.analysis == "clv" and a.params["focus"] == "at_risk", a.understood


def test_reset_in_spanish_clears_the_filters(store):
    chat = store.fork()
    chat.chat("revenue by month in 2024 for the app")
    a = chat.chat("reset filtros pls")
    assert not a.params.get("filters") and a.params.get("start") is None, a.understood


@pytest.mark.parametrize("opener", ["right,", "well", "yes -", "cheers,", "lovely."])
def test_a_reset_after_an_opening_word_still_resets_and_asks_the_rest(two_years, opener):
    s = two_years
    s.chat("reset filters")
    s.chat("revenue by month in 2023")
    s.chat("only customer C01")
    a = s.chat(f"{opener} reset filters and show me the same for 2024 instead")
    assert a.analysis == "overview" and not a.params.get("filters")
    assert (str(a.params["start"])[:10], str(a.params["end"])[:10]) == ("2024-01-01", "2024-12-31")
    assert "1,000" in a.summary  # 20 customers' 50.0 each in May 2024


def test_a_value_said_in_full_beats_its_shorter_everyday_name(telco_like):
    """"only fiber optic" after a churn answer: the value in full (not its name "fiber" and a word
    "optic" left over, which sent the turn to segmentation), the churn rate of its subscribers."""
    s = telco_like.fork()
    s.chat("churn rate by contract")
    a = s.chat("only fiber optic")
    assert a.analysis == "churn" and a.params["filters"] == {"internet_service": ["Fiber optic"]}, a.understood

"""The conversation engine: each line read as a typed turn, and the cases of issue 16 through
``Session.chat`` (and one through HTTP ``POST /ask``): a why-question is a question, a product named
after "goes with" is the basket's product and never a filter, the conversation survives errors,
"reset filters" clears the period too, scope lasts until changed and is always shown, durations in
words. Every figure is checked against the data the test wrote."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx
import pandas as pd
import pytest

from custlens import Assistant, slots
from custlens.conversation import (Back, Correction, Explain, Export, FollowUp, Map, Pick, Plot, Question, Reset,
                                   read_turn)
from custlens.errors import ParamsError
from custlens.session import Session
from helpers import http_ask

GROCERIES = Path(__file__).parent / "data" / "groceries_500.csv"


pytestmark = pytest.mark.usefixtures("router_cache")


@pytest.fixture(scope="module")
def demo():
    """A demo Session and its store (the known truth)."""
    s = Session(entry_points=False)
    return s, s.load_demo(customers=1000, seed=3)


def fresh(session: Session) -> Session:
    """The same data in a new conversation."""
    return session.fork()


# ---------------------------------------------------------------------- reading a line
@pytest.mark.parametrize("line, kind", [
    ("why?", Explain), ("why", Explain), ("Why is that?", Explain), ("and why?", Explain), ("how come?", Explain),
    ("how did you compute that", Explain), ("how did you calculate these numbers?", Explain),
    ("how was that computed?", Explain), ("show me the sql", Explain), ("what method did you use?", Explain),
    ("explain", Explain), ("explain that please", Explain), ("where does that come from?", Explain),
    ("why do customers churn?", Question), ("why did revenue drop in March", Question),
    ("why are customers leaving", Question), ("explain the churn drivers", Question),
    ("how did you compute the churn rate for B2B customers", Question),
    ("reset filters", Reset), ("clear the period", Reset), ("remove the filters and the period", Reset),
    ("no filters", Reset), ("show all data", Reset), ("all time", Reset), ("reset", Reset),
    ("go back", Back), ("undo", Back), ("export that to excel", Export), ("plot it", Plot),
    ("use Net Sales as the amount", Map), ("no, use k=5", Correction),
    ("reset the filters for customers in Germany who churned", Reset),
])
def test_each_line_is_one_turn_type(line, kind):
    assert type(read_turn(line, pending=False)) is kind


def test_start_over_forgets_everything_and_picks_need_pending_readings():
    assert read_turn("start over", False) == Reset("start over", everything=True)
    assert read_turn("Start again!", False).everything and read_turn("new conversation", False).everything
    assert not read_turn("reset filters", False).everything
    assert read_turn("2", True) == Pick("2", 2) and read_turn("the third one", True) == Pick("the third one", 3)
    assert type(read_turn("2", False)) is Question


# ---------------------------------------------------------------------- 1. only a bare "why" explains
def test_a_question_that_starts_with_why_is_a_new_question(demo):
    s = fresh(demo[0])
    s.chat("sales by month in 2024")
    churn = s.chat("why do customers churn?")
    assert churn.analysis == "churn" and churn.tables  # answered, not the SQL of the last answer
    for line in ("why?", "why is that?", "how did you compute that"):
        why = s.chat(line)
        assert why.analysis == "explain" and why.title == f"How I computed: {churn.title}"
        assert "Method:" in why.summary and any("SELECT" in row[0] for row in why.table("sql").rows)


def test_why_after_an_answer_that_did_not_say_why_says_why(demo):
    """"what's our churn rate in Germany", then "why?": churn again with its drivers (the scope kept),
    not the SQL; asked again, or as "how did you compute that", the method."""
    s = fresh(demo[0])
    rate = s.chat("what's our churn rate in Germany")
    assert rate.analysis == "churn" and not rate.params["explain"]
    why = s.chat("why?")
    assert why.analysis == "churn" and why.params["explain"] and why.params["filters"] == rate.params["filters"]
    assert "churn_by_attribute" in [t.name for t in why.tables]
    assert s.chat("why?").analysis == "explain" and s.chat("how did you compute that").analysis == "explain"


@pytest.mark.parametrize("line", ["what drives it?", "what's driving it, do you reckon?", "how come?",
                                  "any reasons?", "ok so what's behind that"])
def test_asking_for_causes_after_an_answer_that_did_not_say_why_says_why(demo, line):
    """Any turn that asks for causes, not only a literal "why?", runs the answer again with its
    drivers, the scope kept; the method is still there for "how did you compute that"."""
    s = fresh(demo[0])
    rate = s.chat("what's our churn rate in Germany")
    why = s.chat(line)
    assert why.analysis == "churn" and why.params["explain"] and why.params["filters"] == rate.params["filters"]
    assert "churn_by_attribute" in [t.name for t in why.tables]
    assert s.chat("how did you compute that").analysis == "explain"


@pytest.mark.parametrize("line", ["what's driving it, do you reckon?", "what's behind that?", "any reasons?",
                                  "what is causing it", "why tho"])
def test_asking_what_drives_the_last_answer_is_a_why(line):
    assert type(read_turn(line, False)).__name__ == "Explain"
    assert type(read_turn("what's driving churn among seniors?", False)).__name__ == "Question"  # a question


def test_a_correction_that_says_sorry_replaces_the_value(demo):
    s = fresh(demo[0])
    s.chat("orders per week since October 2025")
    s.chat("for India only")
    a = s.chat("sorry, wrong market - make it Singapore")
    assert a.analysis == "overview" and a.params["filters"] == {"country": ["Singapore"]}
    assert a.params["start"] == "2025-10-01"  # the period stays


@pytest.mark.parametrize("correction", ["no, I meant the at risk group, not champions",
                                        "sorry, at risk rather than the champions",
                                        "no wait, the at risk segment instead of the champions"])
def test_a_correction_never_takes_the_segment_it_says_was_not_meant(demo, correction):
    s = fresh(demo[0])
    s.chat("do an RFM segmentation")
    s.chat("what do the champions buy together")
    a = s.chat(correction)
    assert a.analysis == "basket" and a.params["segment"] == "At risk"
    assert "At risk" in a.understood and "Champions" not in a.understood


def test_a_correction_followed_by_a_request_of_another_analysis_answers_that_request(demo):
    s = fresh(demo[0])
    s.chat("do an RFM segmentation")
    s.chat("what do the champions buy together")
    a = s.chat("no sorry, I meant the at risk group, not champions. persona for at risk")
    assert a.analysis == "persona"
    assert a.table("personas").column("segment") == ["At risk"]
    a = s.chat("no, I meant France. show me the cohorts")  # a filter put right, then a request naming cohorts
    assert a.analysis == "cohort" and a.params["filters"].get("country") == ["France"]
    a = s.chat("no, I meant Germany. the store channel")  # names no analysis: the last one, put right
    assert a.analysis == "cohort" and a.params["filters"].get("country") == ["Germany"]


# ---------------------------------------------------------------------- 2. the product after "goes with"
def baskets() -> list[set[str]]:
    return [{item.strip() for item in line.split(",") if item.strip()}
            for line in GROCERIES.read_text().splitlines() if line.strip()]


def together(item: str, companion: str) -> int:
    return sum(item in b and companion in b for b in baskets())


@pytest.mark.parametrize("question, item", [
    ("what goes with beer", None),  # "beer" is no item: the most frequent item holding it
    ("which items are bought with yogurt", "yogurt"),
    ("what goes well with whole milk", "whole milk"),
    ("what goes with milk", "whole milk"),  # the most frequent of the milks
    ("what do people buy together with rolls", "rolls/buns"),
])
def test_a_product_named_after_goes_with_is_the_baskets_product(question, item):
    s = Session(data=[str(GROCERIES)], entry_points=False)
    a = s.chat(question)
    assert a.analysis == "basket" and a.params["product"]
    counts = {}
    for b in baskets():
        for i in b:
            counts[i] = counts.get(i, 0) + 1
    if item is None:  # read as the most frequent item with the word, and said
        item = max((i for i in counts if "beer" in i), key=lambda i: (counts[i], i))
        assert any(f"read as {item!r}" in w for w in a.warnings)
    assert f"goes with {item}" in a.summary.lower() or f"about {item}" in a.summary.lower()
    companions = a.table("companions")
    assert companions.rows
    for row in companions.rows:  # each companion's count is the baskets holding both
        assert row[companions.columns.index("baskets_together")] == together(item, row[0])
    assert s.conversation.filters == {} and s.conversation.describe_scope() == ""
    # not sticky: the next basket question is about every product again
    again = s.chat("which products are bought together?")
    assert again.params.get("product") is None and "companions" not in [t.name for t in again.tables]


def test_what_goes_with_coffee_is_no_filter_and_later_questions_work(demo):
    s, store = fresh(demo[0]), demo[1]
    a = s.chat("what goes with coffee")
    assert a.analysis == "basket" and "coffee" in a.params["product"].lower()
    assert "filters" not in a.params or not a.params["filters"]
    assert s.conversation.filters == {}
    feedback = s.chat("what do customers complain about")
    assert feedback.analysis == "feedback" and not [w for w in feedback.warnings if "filter" in w]
    assert feedback.table("comments").total_rows == fresh(demo[0]).ask("what do customers complain about") \
        .table("comments").total_rows == len(store.tables["feedback"])


def test_a_filter_a_later_analysis_cannot_apply_is_dropped_for_that_answer_with_a_note(demo):
    s, store = fresh(demo[0]), demo[1]
    orders = store.tables["orders"]
    web = orders[(orders.channel == "web") & (orders.quantity > 0)].amount.sum()
    a = s.chat("revenue for the web channel")
    assert dict(a.table("headline").rows)["revenue"] == pytest.approx(web, rel=1e-9)
    feedback = s.chat("what do customers complain about")  # feedback has no channel: dropped, said
    assert feedback.analysis == "feedback"
    assert any(w.startswith("feedback cannot filter on channel: channel=web was not applied") for w in
               feedback.warnings)
    assert feedback.table("comments").total_rows == len(store.tables["feedback"])  # every comment
    assert s.conversation.filters == {"channel": ["web"]}  # still in force for what can apply it
    again = s.chat("total revenue")
    assert "filter: channel = web" in again.understood
    assert dict(again.table("headline").rows)["revenue"] == pytest.approx(web, rel=1e-9)


def test_a_category_in_force_scopes_the_feedback_through_its_products(demo):
    """The feedback names products, the sales put them in categories: "revenue for the Coffee category", then
    "what do customers complain about" is about the Coffee products (it was every comment, with a note)."""
    s, store = fresh(demo[0]), demo[1]
    orders, comments = store.tables["orders"], store.tables["feedback"]
    s.chat("revenue for the Coffee category")
    feedback = s.chat("what do customers complain about")
    coffee = set(orders[orders.category == "Coffee"]["product"])
    assert feedback.params["filters"] == {"category": ["Coffee"]} and "not applied" not in feedback.understood
    assert feedback.table("comments").total_rows == int(comments["product"].isin(coffee).sum())


def test_a_sales_filter_churn_and_a_customers_only_segmentation_cannot_apply_is_a_note(tmp_path):
    """A filter on a column of the sales lines only (channel) carried into churn on a customers'
    flag, or into a segmentation of a customers table alone, is left out of that answer with a
    note, as any other analysis does, never an error; the figures are those of every customer."""
    customers = pd.DataFrame({"customer_id": [f"C{i}" for i in range(200)],
                              "plan": ["Pro" if i % 4 == 0 else "Basic" for i in range(200)],
                              "churned": ["yes" if (i % 4 == 0 and i % 8 == 0) or i % 10 == 1 else "no"
                                          for i in range(200)]})
    orders = pd.DataFrame({"order_id": [f"O{j}" for j in range(800)],
                           "customer_id": [f"C{j % 200}" for j in range(800)],
                           "order_date": [f"2024-{j % 12 + 1:02d}-{j % 27 + 1:02d}" for j in range(800)],
                           "amount": [10 + j % 50 for j in range(800)],
                           "channel": ["online" if j % 3 else "store" for j in range(800)]})
    customers.to_csv(tmp_path / "customers.csv", index=False)
    orders.to_csv(tmp_path / "orders.csv", index=False)
    s = Session(data=[str(tmp_path / "customers.csv"), str(tmp_path / "orders.csv")], entry_points=False)
    online = orders[orders.channel == "online"].amount.sum()
    a = s.chat("revenue in the online channel")
    assert dict(a.table("headline").rows)["revenue"] == pytest.approx(online)
    churn = s.chat("what drives churn")
    assert churn.analysis == "churn"
    assert any(w.startswith("churn cannot filter on channel: channel=online was not applied") for w in churn.warnings)
    rates = dict(churn.table("headline").rows)
    assert rates["customers"] == 200 and rates["churned"] == (customers.churned == "yes").sum()
    assert s.conversation.filters == {"channel": ["online"]}  # still in force for what can apply it

    alone = Session(data=[str(tmp_path / "customers.csv")], entry_points=False)
    with pytest.raises(ParamsError, match="cannot filter on 'region'"):  # what the line itself names is the error
        alone.run("segmentation", {"method": "attributes", "by": ["contract"], "filters": {"region": ["North"]}})


@pytest.mark.parametrize("line", ["which country are they from?", "and their countries?",
                                  "split them by country"])
def test_which_country_are_they_from_after_a_top_n_counts_the_customers_listed_by_country(demo, line):
    """It gave revenue by country over every customer: "they" are the customers just listed."""
    s, store = fresh(demo[0]), demo[1]
    orders, customers = store.tables["orders"], store.tables["customers"].set_index("customer_id")
    bought = orders[(orders.quantity > 0) & (orders.amount > 0)]
    top = list(bought.groupby("customer_id").amount.sum().sort_values(ascending=False).index[:10])
    s.chat("top 10 customers")
    a = s.chat(line)
    assert dict(a.table("by_country").rows) == customers.loc[top, "country"].value_counts().to_dict()
    assert [r[0] for r in a.table("customers").rows] == top
    assert s.conversation.filters == {}  # a question about the list: no scope left behind


def test_how_many_of_them_after_a_top_n_counts_among_the_customers_listed(demo):
    """"How many of them are in <country>" after "top 10 customers" counts among those 10 (it
    answered a top 10 of that country instead), lists them with the column asked, and leaves the
    scope as it was; "what share of them are B2B" is the same count."""
    s, store = fresh(demo[0]), demo[1]
    orders, customers = store.tables["orders"], store.tables["customers"].set_index("customer_id")
    bought = orders[(orders.quantity > 0) & (orders.amount > 0)]
    ranked = bought.groupby("customer_id").amount.sum().sort_values(ascending=False)
    top = list(ranked.index[:10])
    assert ranked.iloc[9] > ranked.iloc[10]  # no tie at the cut
    country = customers.loc[top, "country"].value_counts().index[0]  # planted: the commonest among them
    expected = int((customers.loc[top, "country"] == country).sum())
    listed = s.chat("top 10 customers")
    assert [r[0] for r in listed.tables[0].rows] == top
    a = s.chat(f"how many of them are in {country}")
    assert "count of them (top 10 customers by revenue)" in a.understood
    assert dict(a.table("count").rows)["top 10 customers by revenue"] == 10
    assert dict(a.table("count").rows)[f"of whom country = {country}"] == expected
    assert f"{expected} {'is' if expected == 1 else 'are'} in {country}" in a.summary
    assert [r[0] for r in a.table("customers").rows] == top
    assert [r[1] for r in a.table("customers").rows] == list(customers.loc[top, "country"])
    assert not [w for w in a.warnings if "small sample" in w]  # a top 10 is all of them, no sample
    assert s.conversation.filters == {}  # a count among a list does not narrow what follows
    b2b = int((customers.loc[top, "customer_type"] == "B2B").sum())
    share = s.chat("what share of them are B2B")  # the same list again, read as a share of a value
    assert dict(share.table("count").rows)["of whom customer_type = B2B"] == b2b
    total = s.chat("total revenue")
    assert dict(total.table("headline").rows)["revenue"] == pytest.approx(bought.amount.sum(), rel=1e-9)


@pytest.mark.parametrize("line, country", [("only Germany", "Germany"), ("just customers in France", "France"),
                                           ("Spain only please", "Spain")])
def test_a_first_line_of_nothing_but_a_scope_is_its_headline(demo, line, country):
    """A conversation opened with a scope alone gets the overview of it, not an ask-back."""
    s, store = fresh(demo[0]), demo[1]
    orders, customers = store.tables["orders"], store.tables["customers"]
    ids = set(customers[customers.country == country].customer_id)
    bought = orders[(orders.quantity > 0) & (orders.amount > 0) & orders.customer_id.isin(ids)]
    a = s.chat(line)
    assert a.analysis == "overview" and f"filter: country = {country}" in a.understood
    headline = dict(a.table("headline").rows)
    assert headline["customers"] == bought.customer_id.nunique()
    assert headline["revenue"] == pytest.approx(bought.amount.sum(), rel=1e-9)


def test_a_follow_up_the_last_analysis_cannot_take_is_a_new_question(demo):
    s, store = fresh(demo[0]), demo[1]
    s.chat("which products should we bundle")
    a = s.chat("top 20 customers")
    assert a.analysis == "overview" and len(a.table("by_customer").rows) == 20


# ---------------------------------------------------------------------- 3. a workbook with a Segment column
def crm_workbook(path: Path) -> tuple[Path, pd.DataFrame]:
    """Customers with a Segment and a Region, and their orders: the revenue of each known."""
    customers = pd.DataFrame({"Customer ID": [f"A{i:03d}" for i in range(30)],
                              "Segment": [["Enterprise", "SMB", "Mid-Market"][i % 3] for i in range(30)],
                              "Region": [["EMEA", "Americas", "APAC"][(i // 3) % 3] for i in range(30)]})
    orders = pd.DataFrame({"Order ID": [f"O{i:04d}" for i in range(120)],
                           "Customer ID": [f"A{i % 30:03d}" for i in range(120)],
                           "Order Date": [dt.date(2024, 1 + i % 12, 1 + i % 27) for i in range(120)],
                           "Amount": [100.0 + (i % 30) * 10 + (i % 7) for i in range(120)]})
    with pd.ExcelWriter(path) as writer:
        customers.to_excel(writer, sheet_name="Customers", index=False)
        orders.to_excel(writer, sheet_name="Orders", index=False)
    return path, orders.merge(customers, on="Customer ID")


def revenue_by_segment(table) -> dict[str, float]:
    return {row[0]: row[table.columns.index("revenue")] for row in table.rows}


def expected_by_segment(frame: pd.DataFrame) -> dict[str, float]:
    return frame.groupby("Segment").Amount.sum().to_dict()


def test_a_segment_column_is_a_breakdown_and_the_conversation_survives_errors(tmp_path):
    path, frame = crm_workbook(tmp_path / "crm.xlsx")
    s = Session(data=[str(path)], entry_points=False)
    with pytest.raises(Exception):
        s.chat("revenue in Atlantis")
    assert s.chat("reset filters").analysis == "reset"  # nothing answered yet: still works
    a = s.chat("revenue by segment")
    assert a.analysis == "overview" and a.params["by"] == ["segment"]
    assert revenue_by_segment(a.table("by_segment")) == pytest.approx(expected_by_segment(frame))
    with pytest.raises(ParamsError, match="Atlantis"):
        s.chat("and for Atlantis?")
    emea = s.chat("and for EMEA?")
    assert "filter: region = EMEA" in emea.understood
    assert revenue_by_segment(emea.table("by_segment")) == pytest.approx(
        expected_by_segment(frame[frame.Region == "EMEA"]))
    enterprise = s.chat("only Enterprise")
    assert s.conversation.filters == {"region": ["EMEA"], "segment": ["Enterprise"]}
    expected = frame[(frame.Region == "EMEA") & (frame.Segment == "Enterprise")].Amount.sum()
    assert dict(enterprise.table("headline").rows)["revenue"] == pytest.approx(expected)
    reset = s.chat("reset filters")
    assert reset.understood.startswith("overview") and "filter" not in reset.understood
    assert revenue_by_segment(reset.table("by_segment")) == pytest.approx(expected_by_segment(frame))
    over = s.chat("start over")
    assert over.analysis == "reset" and s.conversation.turns == [] and s.conversation.describe_scope() == ""
    with pytest.raises(Exception, match="no answer yet to explain"):
        s.chat("why?")


def test_the_same_conversation_over_http(tmp_path):
    from embedding import serving

    from custlens.server import create_app

    path, frame = crm_workbook(tmp_path / "crm.xlsx")
    assistant = Assistant(data=[str(path)], entry_points=False)
    try:
        with serving(create_app(assistant)) as url, httpx.Client(base_url=url, timeout=60) as client:
            ask = http_ask(client)

            first = ask("revenue by segment")
            cid = first["conversation_id"]
            assert first["answer"]["analysis"] == "overview"
            assert "Atlantis" in ask("revenue in Atlantis", cid, status=422)["error"]
            emea = ask("and for EMEA?", cid)["answer"]
            assert "filter: region = EMEA" in emea["understood"]
            table = next(t for t in emea["tables"] if t["name"] == "by_segment")
            got = {row[0]: row[table["columns"].index("revenue")] for row in table["rows"]}
            assert got == pytest.approx(expected_by_segment(frame[frame.Region == "EMEA"]))
            assert "segment = Enterprise" in ask("only Enterprise", cid)["answer"]["understood"]
            reset = ask("reset filters", cid)["answer"]
            assert "filter" not in reset["understood"]
            assert ask("start over", cid)["answer"]["analysis"] == "reset"
    finally:
        assistant.close()


# ---------------------------------------------------------------------- 8. the period: cleared, always shown
def test_reset_filters_clears_the_period_and_the_scope_is_always_shown(orders_csv):
    s = Session(data=[str(orders_csv)], entry_points=False)
    a = s.chat("sales by month in 2024")
    assert "start=2024-01-01 · end=2024-12-31" in a.understood and s.conversation.describe_scope() == "2024"
    s.chat("only Germany")
    top = s.chat("top 20 customers")  # the period and filter in force are said on the first line
    assert "start=2024-01-01" in top.understood and "filter: country = Germany" in top.understood
    # Germany in 2024: rows 4 and 5 of the fixture, customers C1 and C2, 100 each
    assert sorted(map(tuple, (r[:2] for r in top.table("by_customer").rows))) == [("C1", 100.0), ("C2", 100.0)]
    assert s.conversation.describe_scope() == "2024, country=Germany"
    reset = s.chat("reset filters")
    assert "start" not in reset.params or reset.params["start"] is None
    assert "start=" not in reset.understood and "filter" not in reset.understood
    assert s.conversation.period is None and s.conversation.filters == {}
    assert len(reset.table("by_customer").rows) == 7  # every customer of both years again


def test_go_back_restores_the_period(orders_csv):
    s = Session(data=[str(orders_csv)], entry_points=False)
    s.chat("revenue in 2023")
    s.chat("what about 2024?")
    assert s.conversation.describe_scope() == "2024"
    s.chat("go back")
    assert s.conversation.describe_scope() == "2023"


# ---------------------------------------------------------------------- 11. scope lasts until changed
def cdnow_like(path: Path) -> tuple[Path, pd.DataFrame]:
    """A CDNOW-shaped text file (id, YYYYMMDD, units, dollars) over 1997-1998: customer i buys in
    1997 Q1 and in quarter (i mod 4) + 1 of 1998, twice in that quarter when i is even."""
    rows = []
    for i in range(1, 17):
        rows.append((i, dt.date(1997, 1 + i % 3, 10), 1, 10.0 + i))
        q = i % 4 + 1
        rows.append((i, dt.date(1998, 3 * q - 2, 5), 2, 20.0 + i))
        if i % 2 == 0:
            rows.append((i, dt.date(1998, 3 * q - 1, 15), 1, 12.0))
    lines = [" customer_id  date number_of_cds  dollar_value"]
    lines += [f" {c:05d} {d:%Y%m%d}  {n}   {v:.2f}" for c, d, n, v in rows]
    path.write_text("\r\n".join(lines) + "\r\n")
    return path, pd.DataFrame(rows, columns=["customer", "date", "units", "dollars"])


def test_just_1998_lasts_into_the_next_question(tmp_path):
    path, frame = cdnow_like(tmp_path / "cdnow_master.txt")
    s = Session(data=[str(path)], entry_points=False)
    s.chat("how many customers per quarter")
    s.chat("just 1998")
    a = s.chat("how many customers was that in each quarter?")
    assert "start=1998-01-01 · end=1998-12-31" in a.understood
    table = a.table("by_quarter")
    got = {str(row[0])[:10]: row[table.columns.index("customers")] for row in table.rows}
    in_1998 = frame[frame.date >= dt.date(1998, 1, 1)]
    quarter = in_1998.date.map(lambda d: f"1998 Q{(d.month - 1) // 3 + 1}")
    assert got == in_1998.groupby(quarter).customer.nunique().to_dict() == {
        "1998 Q1": 4, "1998 Q2": 4, "1998 Q3": 4, "1998 Q4": 4}
    assert s.conversation.describe_scope() == "1998"
    whole = s.chat("and in 1997?")
    assert "start=1997-01-01" in whole.understood and s.conversation.describe_scope() == "1997"


@pytest.mark.parametrize("text, days, months", [
    ("6 months", 180, 6), ("six months", 180, 6), ("a whole year", 365, 12), ("a year", 365, 12),
    ("two years", 730, 24), ("90 days", 90, "90 days"), ("half a year", 180, 6), ("a fortnight", 14, "a fortnight"),
    ("two weeks", 14, "two weeks"), ("soon", "soon", "soon"),
])
def test_durations_in_words(text, days, months):
    assert slots.days(text) == days and slots.months(text) == months


def test_durations_and_horizons_in_questions(tmp_path):
    path, frame = cdnow_like(tmp_path / "cdnow_master.txt")
    s = Session(data=[str(path)], entry_points=False)
    quiet = s.chat("customers who haven't ordered in 6 months")
    assert quiet.analysis == "churn" and quiet.params["inactive_days"] == 180
    # churned: no purchase in the 180 days before the data's last day
    last = frame.groupby("customer").date.max()
    end = frame.date.max()
    assert dict(quiet.table("headline").rows)["churned"] == int(((end - last).map(lambda d: d.days) > 180).sum())
    assert s.chat("which customers have not bought for a whole year").params["inactive_days"] == 365
    clv = s.chat("predict clv two years out")
    assert clv.analysis == "clv" and clv.params["horizon"] == 24 and "horizon=24" in clv.understood
    # "over a whole year" is a length of time, not a yearly breakdown
    found, _ = slots.extract("repeat purchase rate over a whole year")
    assert "grain" not in found and "by" not in found


def test_top_customers_after_how_many_customers_is_answered(tmp_path):
    """The follow-up keeps metric=customers, which a per-customer table has no column for: the
    customers are ranked by revenue (it raised KeyError: 'customers')."""
    path, frame = cdnow_like(tmp_path / "cdnow_master.txt")
    s = Session(data=[str(path)], entry_points=False)
    s.chat("how many customers per quarter")
    top = s.chat("top 20 customers")
    table = top.table("by_customer")
    spend = frame.groupby("customer").dollars.sum()
    assert table.total_rows == frame.customer.nunique() == 16
    assert int(table.rows[0][0]) == spend.idxmax()
    assert table.rows[0][table.columns.index("revenue")] == pytest.approx(spend.max())


def test_clearing_the_period_keeps_the_filters(orders_csv):
    s = Session(data=[str(orders_csv)], entry_points=False)
    s.chat("revenue in Germany in 2024")
    assert s.conversation.describe_scope() == "2024, country=Germany"
    a = s.chat("clear the period")
    assert s.conversation.describe_scope() == "country=Germany" and "start=" not in a.understood
    assert dict(a.table("headline").rows)["revenue"] == 600.0  # Germany over both years (conftest)
    assert read_turn("all time", False).period_only and not read_turn("reset filters", False).period_only
    s.chat("what about 2023?")
    b = s.chat("reset filters")  # filters and period both
    assert s.conversation.describe_scope() == "" and dict(b.table("headline").rows)["revenue"] == 800.0


def test_one_filter_is_removed_by_name_and_the_rest_of_the_scope_stays(orders_csv):
    assert read_turn("remove the country filter", False) == Reset("remove the country filter", column="country")
    assert read_turn("drop the filter on customer type", False).column == "customer_type"
    assert read_turn("clear the date filter", False) == Reset("clear the date filter", period_only=True)
    assert read_turn("remove all filters", False) == Reset("remove all filters")  # every filter, as before
    from custlens import Session

    s = Session(data=[str(orders_csv)], entry_points=False)
    s.chat("revenue by product")
    s.chat("for Germany and France in 2023")
    assert s.conversation.filters == {"country": ["Germany", "France"]} and s.conversation.period
    answer = s.chat("remove the country filter")
    assert s.conversation.filters == {} and s.conversation.period  # the period stays
    widget = dict((r[0], r[1]) for r in answer.table("by_product").rows)
    assert widget["Widget"] == 400 and widget["Gadget"] == 150  # 2023 only, every country
    missing = s.chat("remove the segment filter")
    assert missing.analysis == "reset" and "No filter on 'segment'" in missing.summary


# ---------------------------------------------------------------------- follow-ups read as meant
def telco_like(path: Path) -> tuple[Path, pd.DataFrame]:
    """A churn-flag table with CamelCase columns: 48 customers, fibre customers churn unless their
    number is a multiple of 3, electronic-check payers when it is a multiple of 5."""
    rows = []
    for i in range(48):
        net, pay = ["DSL", "Fiber optic", "No"][(i // 4) % 3], ["Electronic check", "Mailed check"][(i // 12) % 2]
        churn = "Yes" if net == "Fiber optic" and i % 3 or pay == "Electronic check" and i % 5 == 0 else "No"
        rows.append({"customerID": f"{i:04d}-X", "gender": ["Female", "Male"][i % 2],
                     "Partner": ["Yes", "No"][(i // 2) % 2], "InternetService": net, "PaymentMethod": pay,
                     "tenure": 1 + i, "MonthlyCharges": 50 + i, "Churn": churn})
    frame = pd.DataFrame(rows)
    frame.to_csv(path, index=False)
    return path, frame


def churn_rates(table) -> dict[str, tuple[int, int]]:
    return {row[0]: (row[table.columns.index("customers")], row[table.columns.index("churned")]) for row in table.rows}


def expected_rates(frame: pd.DataFrame, column: str) -> dict[str, tuple[int, int]]:
    return {k: (len(g), int((g.Churn == "Yes").sum())) for k, g in frame.groupby(column)}


def test_short_follow_ups_name_columns_values_and_changes_of_the_last_analysis(tmp_path):
    """Lines made of columns (CamelCase, snake_case, spaced), "column = value", everyday values
    ("women", "n men?") and words that change the last analysis are its follow-ups, never declined."""
    path, frame = telco_like(tmp_path / "telco.csv")
    s = Session(data=[str(path)], entry_points=False)
    a = s.chat("churn rate by InternetService")
    assert a.analysis == "churn" and a.params["by"] == ["internet_service"]
    assert churn_rates(a.table("churn_by_internet_service")) == expected_rates(frame, "InternetService")
    b = s.chat("add payment_method to the breakdown")  # added to the breakdown, not in place of it
    assert b.analysis == "churn" and b.params["by"] == ["internet_service", "payment_method"]
    c = s.chat("where Partner = Yes")
    partners = frame[frame.Partner == "Yes"]
    assert c.analysis == "churn" and s.conversation.filters == {"partner": ["Yes"]}
    assert dict(c.table("headline").rows)["churned"] == int((partners.Churn == "Yes").sum())
    d = s.chat("ok, restrict to women")
    women = partners[partners.gender == "Female"]
    assert d.analysis == "churn" and s.conversation.filters == {"partner": ["Yes"], "gender": ["Female"]}
    assert churn_rates(d.table("churn_by_internet_service")) == expected_rates(women, "InternetService")
    e = s.chat("n men?")
    men = partners[partners.gender == "Male"]
    assert e.analysis == "churn" and s.conversation.filters["gender"] == ["Male"]
    assert dict(e.table("headline").rows)["customers"] == len(men)
    # the rates said no why (a churn flag's model waits to be asked): "why tho" asks for it, the scope kept
    why = s.chat("why tho")  # 12 male partners: too few to model, and said
    assert why.analysis == "churn" and why.params["explain"] and s.conversation.filters["gender"] == ["Male"]
    assert any("too few of one kind to fit a model" in w for w in why.warnings)
    assert s.chat("why tho").analysis == "explain"  # said: the method


@pytest.mark.parametrize("line", ["units instead", "quarterly grain instead", "restrict to Germany",
                                  "bottom 3 only", "by category instead", "2024 orders only", "and for Toys?"])
def test_a_line_of_slots_columns_metrics_and_follow_up_words_is_a_follow_up(orders_csv, line):
    s = Session(data=[str(orders_csv)], entry_points=False)
    s.chat("revenue by month")
    assert s.follows_up(line)


@pytest.mark.parametrize("line", ["which customers are about to churn", "what do customers complain about",
                                  "how many customers do we have", "revenue by country"])
def test_a_new_question_is_not_a_follow_up(demo, line):
    s = fresh(demo[0])
    s.chat("churn rate by country")  # churn has no metric: "revenue by country" asks something new
    assert not s.follows_up(line)


def test_a_comparison_stays_in_force_like_a_period_and_reset_clears_it(orders_csv):
    s = Session(data=[str(orders_csv)], entry_points=False)
    a = s.chat("revenue 2023 vs 2024")
    assert a.params["compare"] and s.conversation.describe_scope() == "2023 vs 2024"
    germany = s.chat("only Germany")  # 2023: four orders of 100, 2024: two
    assert "compare: 2023 vs 2024" in germany.understood and "filter: country = Germany" in germany.understood
    row = dict((r[0], r[1:3]) for r in germany.table("comparison").rows)
    assert row["revenue"] == [400.0, 200.0] and row["orders"] == [4.0, 2.0]
    units = s.chat("units instead")
    assert units.params["metric"] == "quantity" and units.params["compare"] == germany.params["compare"]
    assert s.conversation.describe_scope() == "2023 vs 2024, country=Germany"
    one = s.chat("what about 2024?")  # a period named replaces the comparison
    assert not one.params.get("compare") and s.conversation.describe_scope() == "2024, country=Germany"
    assert dict(one.table("headline").rows)["revenue"] == 200.0
    s.chat("go back")
    assert s.conversation.describe_scope() == "2023 vs 2024, country=Germany"
    reset = s.chat("ok reset filters")
    assert reset.analysis == "overview" and not reset.params.get("compare") and s.conversation.describe_scope() == ""
    assert dict(reset.table("headline").rows)["revenue"] == 800.0


def test_a_reset_then_a_question_answers_the_question_without_the_old_scope(orders_csv):
    s = Session(data=[str(orders_csv)], entry_points=False)
    s.chat("revenue in Germany in 2024")
    a = s.chat("reset filters. revenue by country")
    assert a.analysis == "overview" and s.conversation.describe_scope() == ""
    got = {r[0]: r[a.table("by_country").columns.index("revenue")] for r in a.table("by_country").rows}
    assert got == {"Germany": 600.0, "France": 150.0, "Spain": 50.0}
    assert any(w.startswith("Cleared 2024, country=Germany") for w in a.warnings)
    s.chat("only France")
    b = s.chat("drop the filter - what was revenue in 2023")
    assert dict(b.table("headline").rows)["revenue"] == 550.0 and s.conversation.describe_scope() == "2023"
    c = s.chat("start over, revenue in 2024")
    assert dict(c.table("headline").rows)["revenue"] == 250.0 and len(s.conversation.turns) == 1
    assert read_turn("reset the filters for customers in Germany who churned", False).then == ""


def test_a_follow_up_that_changes_one_param_stays_with_the_last_analysis(tmp_path):
    path, frame = cdnow_like(tmp_path / "cdnow_master.txt")
    s = Session(data=[str(path)], entry_points=False)
    weekly = s.chat("weekly cohorts in 1997, retention")
    assert weekly.analysis == "cohort" and weekly.params["grain"] == "week"
    monthly = s.chat("monthly grain instead")
    assert monthly.analysis == "cohort" and monthly.params["grain"] == "month"
    assert s.conversation.describe_scope() == "1997"
    # customer i first buys in month 1 + i % 3 of 1997: monthly cohorts of 5, 6 and 5
    assert [tuple(r[:2]) for r in monthly.table("cohort_sizes").rows] == [("1997-01", 5), ("1997-02", 6), ("1997-03", 5)]
    s.chat("all time")
    clv = s.chat("predicted clv for the next 12 months")
    assert clv.analysis == "clv" and clv.params["horizon"] == 12
    longer = s.chat("extend to 24m")
    assert longer.analysis == "clv" and longer.params["horizon"] == 24


def test_same_for_another_product_after_a_basket_question_swaps_the_product():
    s = Session(data=[str(GROCERIES)], entry_points=False)
    s.chat("what goes with whole milk")
    for line, item in (("same for yogurt", "yogurt"), ("just the ones involving butter", "butter")):
        a = s.chat(line)
        assert a.analysis == "basket" and a.params["product"] == item and s.conversation.filters == {}
        companions = a.table("companions")
        for row in companions.rows:
            assert row[companions.columns.index("baskets_together")] == together(item, row[0])


def test_a_channel_named_after_an_overview_filters_it(demo):
    s, store = fresh(demo[0]), demo[1]
    orders = store.tables["orders"]
    s.chat("revenue by month in 2025")
    a = s.chat("web channel only")
    assert a.analysis == "overview" and s.conversation.filters == {"channel": ["web"]}
    in_2025 = orders[(orders.channel == "web") & (orders.quantity > 0) & (orders.order_date.dt.year == 2025)]
    assert dict(a.table("headline").rows)["revenue"] == pytest.approx(in_2025.amount.sum())


def test_a_line_pointing_back_keeps_the_last_analysis_and_its_segment(demo):
    s, store = fresh(demo[0]), demo[1]
    s.chat("rfm segments")
    s.chat("drill into the at risk segment")
    at_risk = {r[0] for r in s.dataset.con.execute("SELECT customer_id FROM segments WHERE segment = 'At risk'").fetchall()}
    a = s.chat("how many of them are in Germany")
    assert a.analysis == "segmentation"
    assert s.conversation.filters == {"segment": ["At risk"], "country": ["Germany"]}
    customers = store.tables["customers"]
    german = set(customers[customers.country == "Germany"].customer_id)
    table = a.table("segments")  # the at-risk customers in Germany, and only they, segmented
    assert sum(r[table.columns.index("customers")] for r in table.rows) == len(at_risk & german) > 0


def test_a_period_compared_with_the_one_in_force_and_a_reset_that_keeps_that_period(orders_csv):
    s = Session(data=[str(orders_csv)], entry_points=False)
    s.chat("revenue in 2024")
    a = s.chat("compare it with 2023")
    assert s.conversation.describe_scope() == "2023 vs 2024"
    row = dict((r[0], r[1:3]) for r in a.table("comparison").rows)
    assert row["revenue"] == [550.0, 250.0]
    b = s.chat("put 2023 and 2024 side by side")
    assert b.params["compare"] == a.params["compare"]
    s.chat("what about 2024?")
    s.chat("only Germany")
    c = s.chat("reset filters - what was revenue in that year")  # the filters go, "that year" stays
    assert s.conversation.describe_scope() == "2024" and dict(c.table("headline").rows)["revenue"] == 250.0


def test_last_months_on_events_only_data_count_back_from_the_last_event(tmp_path):
    path = tmp_path / "events.csv"
    rows = ["visitor_id,session_id,timestamp,event,channel,device"]
    for i in range(60):  # one session a week from 2024-01-01, the last on 2025-02-17
        day = dt.date(2024, 1, 1) + dt.timedelta(weeks=i)
        rows += [f"V{i % 7},S{i},{day} 10:00:00,visit,email,{['mobile', 'desktop'][i % 2]}",
                 f"V{i % 7},S{i},{day} 10:05:00,purchase,email,{['mobile', 'desktop'][i % 2]}"]
    path.write_text("\n".join(rows) + "\n")
    s = Session(data=[str(path)], entry_points=False)
    s.chat("conversion funnel")
    a = s.chat("by device")
    assert a.analysis == "journey" and a.params["by"] == ["device"]
    b = s.chat("last 6 months only")
    assert b.analysis == "journey" and (b.params["start"], b.params["end"]) == ("2024-08-18", "2025-02-17")

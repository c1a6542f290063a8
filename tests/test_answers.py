"""Issue 16, items 6, 7 and 9 through ``Session.chat``: everyday questions get a real answer of the
right kind (never "I can't answer" or an ask-back), segments are computed when a question names
one that is not saved, "each customer" asks for a per-customer table, "the top 10% of customers"
is one concentration figure; and the guided Five Forces interview is conversation state (chat,
pause, resume, HTTP). Every figure is checked against the data the test made."""

from __future__ import annotations

import math

import httpx
import pandas as pd
import pytest

from custlens import Assistant, slots
from custlens.errors import CannotAnswer
from custlens.session import Session, segments_named
from custlens.templates import pct


pytestmark = pytest.mark.usefixtures("router_cache")


@pytest.fixture(scope="module")
def demo():
    s = Session(entry_points=False)
    return s, s.load_demo(customers=600, seed=5)


def purchases(store) -> pd.DataFrame:
    o = store.tables["orders"]
    return o[(o.quantity > 0) & (o.amount > 0)]


def chat(session: Session, question: str):
    """A question in a new conversation on the same data: answered, never declined or asked back."""
    s = session.fork()
    a = s.chat(question)
    assert a.analysis not in ("clarify", "help"), (question, a.summary)
    return s, a


# ---------------------------------------------------------------------- 6. the right kind of answer
@pytest.mark.parametrize("question", ["how are we doing", "how are we doing?", "how is business going",
                                      "give me a summary", "summarise our sales", "give me an overview"])
def test_how_are_we_doing_is_the_overview(demo, question):
    _, a = chat(demo[0], question)
    assert a.analysis == "overview"
    assert dict(a.table("headline").rows)["orders"] == purchases(demo[1]).order_id.nunique()


@pytest.mark.parametrize("question", ["what's in this dataset?", "what date range does the data cover",
                                      "what is in the data", "which period does the data cover",
                                      "how far back does the data go", "what data do you have"])
def test_what_the_data_covers_leads_the_overview(demo, question):
    _, a = chat(demo[0], question)
    assert a.analysis == "overview" and a.params["focus"] == "data"
    data = a.tables[0]
    assert data.name == "data"
    rows = {r[0]: dict(zip(data.columns, r)) for r in data.rows}
    orders = demo[1].tables["orders"]
    assert rows["demo orders"]["rows"] == len(orders) and rows["demo orders"]["columns"] == len(orders.columns)
    assert rows["demo customers"]["rows"] == len(demo[1].tables["customers"])
    first, last = str(orders.order_date.min().date()), str(orders.order_date.max().date())
    assert str(rows["demo orders"]["from"])[:10] == first and str(rows["demo orders"]["to"])[:10] == last
    lead = a.summary.split("\n")[0]  # the first thing said is what the data covers
    assert lead.startswith("**The data**: 4 sources") and first in lead and last in lead
    assert f"{len(orders):,} rows" in lead


@pytest.mark.parametrize("question", ["who are my best customers", "who are our best customers?",
                                      "our best clients"])
def test_best_customers_are_a_ranking_of_customers(demo, question):
    _, a = chat(demo[0], question)
    assert a.analysis == "overview" and a.params["by"] == ["customer"]
    spend = purchases(demo[1]).groupby("customer_id").amount.sum().sort_values(ascending=False)
    table = a.table("by_customer")
    assert [r[0] for r in table.rows[:3]] == list(spend.index[:3])
    assert table.rows[0][table.columns.index("revenue")] == pytest.approx(spend.iloc[0])


@pytest.mark.parametrize("question, analysis, table", [
    ("which customers should I win back", "churn", "churned"),
    ("list customers we are about to lose", "churn", "at_risk"),
    ("which customers are about to leave us", "churn", "at_risk"),
    ("how loyal are our customers", "loyalty", "loyalty_index"),
    ("how loyal are our clients?", "loyalty", "loyalty_index"),
    ("frequent itemsets", "basket", "rules"),
    ("show me the frequent item sets", "basket", "rules"),
])
def test_everyday_questions_get_an_answer_of_the_right_kind(demo, question, analysis, table):
    _, a = chat(demo[0], question)
    assert a.analysis == analysis and a.table(table).total_rows > 0


def rfm_truth(session: Session) -> pd.DataFrame:
    """The RFM labels the segmentation gives on this data, in a conversation of their own."""
    s = session.fork()
    s.run("segmentation", {"method": "rfm"})
    return s.dataset.query("SELECT customer_id, segment FROM segments")


@pytest.mark.parametrize("question, shown", [
    ("who are my champions and who is at risk", ["Champions", "At risk"]),
    ("which customers are at risk and which are champions?", ["At risk", "Champions"]),
    ("who is hibernating and who is a champion", ["Hibernating", "Champions"]),
])
def test_champions_and_at_risk_is_an_rfm_segmentation_computed_when_none_is_saved(demo, question, shown):
    truth = rfm_truth(demo[0])
    s, a = chat(demo[0], question)
    assert a.analysis == "segmentation" and a.params["method"] == "rfm" and a.params["show"] == shown
    assert s.dataset.segment_method == "rfm" and not a.params.get("filters")
    sizes = {r[0]: r[1] for r in a.table("segments").rows}
    assert sizes == truth.segment.value_counts().to_dict()
    customers = a.table("customers")
    assert customers.total_rows == len(truth)
    # the segments named come first, in the order named
    seg = customers.frame["segment"].tolist()
    head = sum(truth.segment.isin(shown))
    assert set(seg[:head]) == set(shown) and seg[0] == shown[0]
    assert not s.conversation.filters  # the names were shown, not made a filter that lasts
    # the scores are the segmentation's: R 5 and FM 4-5 is a champion
    frame = customers.frame
    champions = frame[frame.segment == "Champions"]
    assert (champions.r_score == 5).all() and champions.fm_score.isin([4, 5]).all()


def test_a_filter_on_an_rfm_segment_computes_the_segments_first(demo):
    truth = rfm_truth(demo[0])
    s, a = chat(demo[0], "revenue for the champions")
    assert any("computed the RFM segmentation first" in w for w in a.warnings)
    champions = set(truth[truth.segment == "Champions"].customer_id)
    p = purchases(demo[1])
    assert dict(a.table("headline").rows)["revenue"] == pytest.approx(p[p.customer_id.isin(champions)].amount.sum())
    assert s.conversation.filters == {"segment": ["Champions"]}
    again = s.chat("and the at risk segment?")  # saved now: no second computation
    assert not any("computed" in w for w in again.warnings)
    at_risk = set(truth[truth.segment == "At risk"].customer_id)
    assert dict(again.table("headline").rows)["customers"] == len(at_risk)


@pytest.mark.parametrize("question", ["what percent of revenue comes from the top 10% of customers",
                                      "what share of sales do the top 10 percent of clients bring?",
                                      "how much of our revenue comes from the top ten percent of buyers"])
def test_the_top_10_percent_of_customers_is_one_concentration_figure(demo, question):
    _, a = chat(demo[0], question)
    assert a.analysis == "overview" and a.params["share"] == 0.1 and "share=0.1" in a.understood
    spend = purchases(demo[1]).groupby("customer_id").amount.sum().sort_values(ascending=False)
    top = math.ceil(0.1 * len(spend))
    expected = spend.iloc[:top].sum() / spend.sum()
    row = next(r for r in a.table("concentration").rows if r[0] == "top 10%")
    assert row[1] == top and row[3] == pytest.approx(expected, abs=1e-4)
    assert a.summary.startswith(f"The top 10% of customers ({top:,} of {len(spend):,}) bring "
                                f"**{pct(expected)}** of revenue")
    assert a.table("top_customers").total_rows == top


@pytest.mark.parametrize("text, share", [
    ("the top 10% of customers", 0.1), ("top 20 percent of clients", 0.2), ("the top five percent", 0.05),
    ("the best fifth of our customers", 0.2), ("top 2.5% of accounts", 0.025), ("top 10 customers", None),
    ("top 100% of customers", None), ("10% of orders were returned", None)])
def test_share_reading(text, share):
    assert slots.share(text)[0] == (pytest.approx(share) if share else None)
    found, _ = slots.extract(text)
    assert found.get("share") == (pytest.approx(share) if share else None)
    if share:
        assert "top" not in found  # a share is not a count


def test_loyalty_score_for_each_customer_is_a_per_customer_table(demo):
    for question in ("loyalty score for each customer", "loyalty index per customer",
                     "show the loyalty score of every customer"):
        _, a = chat(demo[0], question)
        assert a.analysis == "loyalty" and a.tables[0].name == "loyalty_index", question
        assert "per customer" in a.understood and "customer" not in a.params["by"]
        table = a.tables[0]
        assert table.total_rows == purchases(demo[1]).customer_id.nunique()
        scores = table.column("loyalty_index")
        assert scores == sorted(scores, reverse=True) and all(0 <= x <= 100 for x in scores)


@pytest.mark.parametrize("question", ["show the RFM scores for each customer", "RFM score per customer",
                                      "rfm segment of every customer"])
def test_rfm_scores_for_each_customer(demo, question):
    truth = rfm_truth(demo[0])
    _, a = chat(demo[0], question)
    assert a.analysis == "segmentation" and a.tables[0].name == "customers"
    frame = a.tables[0].frame
    assert {"r_score", "f_score", "m_score", "fm_score", "segment"} <= set(frame.columns)
    assert len(frame) == len(truth)
    got = frame.set_index("customer_id").segment.sort_index()
    assert got.to_dict() == truth.set_index("customer_id").segment.sort_index().to_dict()
    p = purchases(demo[1])
    one = frame.iloc[0]
    assert one["orders"] == p[p.customer_id == one["customer_id"]].order_id.nunique()


# ---------------------------------------------------------------------- 7. persona of the at risk customers
def test_persona_for_the_at_risk_customers_after_an_attribute_segmentation(demo):
    truth = rfm_truth(demo[0])
    s = demo[0].fork()
    s.chat("segment customers by age band and gender")
    assert s.dataset.segment_method == "attributes"
    for question in ("write a persona for the at risk customers", "persona of the at-risk clients"):
        a = s.chat(question)
        assert a.analysis == "persona"
        personas = a.table("personas")
        assert [r[personas.columns.index("segment")] for r in personas.rows] == ["At risk"], question
        assert personas.rows[0][personas.columns.index("customers")] == int((truth.segment == "At risk").sum())
        assert "age unknown" not in a.summary
    assert s.dataset.segment_method == "rfm"
    assert any("in place of the saved attributes segments" in w for w in s.history[-2].warnings)


def test_persona_without_segments_runs_the_default_segmentation_through_the_session(demo):
    s = demo[0].fork()
    a = s.chat("create personas for our segments")
    assert a.analysis == "persona" and s.dataset.segment_method == "rfm"
    assert any("no segments were saved, so I ran the rfm segmentation first" in w for w in a.warnings)


def test_segments_named():
    assert segments_named("who are my champions and who is at risk") == ["Champions", "At risk"]
    assert segments_named("which new customers have we lost") == ["New", "Lost"]
    assert segments_named("revenue by country") == []


# ---------------------------------------------------------------------- guided interviews are conversation turns
RATINGS = {"rivalry": 4, "new_entrants": 2, "supplier_power": 3, "buyer_power": 1, "substitutes": 5}


def force_answers(key: str, rating: int) -> list[str]:
    from custlens.templates import guide as load_guide

    n = len(next(f for f in load_guide("five_forces.yaml")["forces"] if f["key"] == key)["questions"])
    return [f"{key} answer {i}" for i in range(1, n)] + ["skip", str(rating), f"{key} evidence"]


@pytest.mark.parametrize("line, name", [
    ("interview five forces", "five_forces"), ("interview five_forces", "five_forces"),
    ("start the five forces interview", "five_forces"), ("Interview Porter's five forces", "five_forces"),
    ("begin a five forces interview", "five_forces"), ("write a customer interview guide", None),
    ("interview customers about churn", None), ("interview", None)])
def test_which_lines_start_an_interview(demo, line, name):
    turn = demo[0].fork().engine.interview_named(line)
    assert (turn.analysis if turn else None) == name


def test_five_forces_interview_through_chat_pause_and_resume(demo, tmp_path):
    import yaml

    s = demo[0].fork()
    s.export_dir = str(tmp_path)
    first = s.chat("interview five forces")
    assert first.analysis == "interview" and "Force 1 of 5: Competitive rivalry" in first.summary
    assert "data (evidence, not verdict)" in first.summary and s.conversation.interview is not None
    keys = list(RATINGS)
    for line in force_answers(keys[0], RATINGS[keys[0]]):
        a = s.chat(line)
    assert "Force 2 of 5" in a.summary
    # while it runs, a line that reads like a question is the interview's answer
    taken = s.chat("how are we doing")
    assert taken.analysis == "interview" and taken.summary.startswith("2. ")
    paused = s.chat("pause")
    saved = tmp_path / "five_forces_interview.yaml"
    assert paused.analysis == "interview" and f"saved {saved}" in paused.summary and s.conversation.interview is None
    state = yaml.safe_load(saved.read_text())
    assert state["forces"]["rivalry"]["rating"] == 4 and state["position"] == {"force": 1, "step": 1}
    assert state["forces"]["new_entrants"]["answers"][0] == "how are we doing"
    # the conversation goes on between
    assert s.chat("total revenue").analysis == "overview"
    resumed = s.chat("resume the five forces interview")
    assert "resuming" in resumed.summary and "1 of 5 forces rated" in resumed.summary
    answers = force_answers(keys[1], RATINGS[keys[1]])
    # the first question of force 2 was answered ("how are we doing") before the pause
    for line in answers[1:] + [x for k in keys[2:] for x in force_answers(k, RATINGS[k])]:
        card = s.chat(line)
    assert card.analysis == "five_forces" and card.title == "Five Forces scorecard"
    got = {row[0]: row[1] for row in card.table("scorecard").rows}
    from custlens.templates import guide as load_guide

    names = {f["key"]: f["name"] for f in load_guide("five_forces.yaml")["forces"]}
    assert got == {names[k]: v for k, v in RATINGS.items()}
    assert dict(card.table("overall").rows)["average force strength (1-5)"] == sum(RATINGS.values()) / 5
    assert s.conversation.interview is None and s.chat("export that to csv").analysis == "export"


def test_five_forces_interview_over_http(tmp_path):
    import yaml
    from embedding import serving

    from custlens.server import create_app

    assistant = Assistant(demo=True, entry_points=False)
    keys = list(RATINGS)
    try:
        with serving(create_app(assistant)) as url, httpx.Client(base_url=url, timeout=120) as client:
            def ask(question, cid=None):
                r = client.post("/ask", json={"question": question} | ({"conversation_id": cid} if cid else {}))
                assert r.status_code == 200, r.text
                return r.json()

            first = ask("start the five forces interview")
            cid = first["conversation_id"]
            assert "Force 1 of 5" in first["answer"]["summary"]
            for line in force_answers(keys[0], 4) + force_answers(keys[1], 2)[:2]:
                ask(line, cid)
            paused = ask("pause", cid)
            assert "paused with 1 of 5 forces rated" in paused["answer"]["summary"]
            link = next(f for f in paused["files"] if f.endswith("five_forces_interview.yaml"))
            state = yaml.safe_load(client.get(link).text)
            assert state["forces"]["rivalry"]["rating"] == 4 and state["position"] == {"force": 1, "step": 2}
            assert ask("revenue by country", cid)["answer"]["analysis"] == "overview"
            resumed = ask("interview five forces", cid)["answer"]
            assert "resuming" in resumed["summary"] and "Force 2 of 5" in resumed["summary"]
            rest = force_answers(keys[1], 2)[2:] + [x for k in keys[2:] for x in force_answers(k, RATINGS[k])]
            for line in rest:
                last = ask(line, cid)["answer"]
            assert last["title"] == "Five Forces scorecard"
            overall = next(t for t in last["tables"] if t["name"] == "overall")
            assert dict(overall["rows"])["average force strength (1-5)"] == sum(RATINGS.values()) / 5
    finally:
        assistant.close()


def test_a_breakdown_by_segments_not_yet_saved_makes_them_first_and_says_so(demo):
    """"margin by segment" before any segmentation (it was silently the whole, then "not read"): the
    RFM segments are computed first, the answer says so, and its table is per RFM segment; the
    segments' margins add up to the whole."""
    s = demo[0].fork()
    whole = s.ask("total margin")
    for q in ("margin by segment", "profitability per RFM segment"):
        a = s.fork().ask(q)
        assert a.params["by"] == ["segment"] and "not read" not in a.understood, q
        assert any("ran the rfm segmentation first" in w for w in a.warnings), (q, a.warnings)
    a = s.ask("margin by segment")
    labels = set(s.segment_labels())
    assert {"Champions", "At risk"} <= labels
    table = next(t for t in a.tables if "segment" in t.columns)
    assert {r[table.columns.index("segment")] for r in table.rows} <= labels
    assert a.params["by"] == ["segment"] and "not read" not in s.ask("margin by segment").understood
    assert s.ask("segment the customers into 3 groups").params.get("by") in (None, [])

"""Questions in the words of four more kinds of user (issue 16): a Lucknow shop owner in Hinglish
("pichle 3 mahine ki sale", "kitne customer chhod gaye", "category wise"), a Seoul seller mixing Korean
("maechul", "gogaek 수", "재구매 주기"), a growth lead writing chatbot prompts ("Act as ... Task: ...
Output: ...", "Step 1:") and an operations lead typing keywords as into a search box ("churn payment
method", "revenue 2023..2025", "clusters 6"). Each class is checked on phrasings of its own beside the
corpus's."""
import datetime as dt

import pytest

from helpers import demo_session, session, telco_export

from custlens.slots import clean, extract, keyword_query, prompt_frame

pytestmark = pytest.mark.usefixtures("router_cache")

D = dt.date
END = D(2025, 12, 31)
VALUES = {"transactions": {"channel": ["app", "store", "web"], "category": ["Coffee", "Kitchen", "Pet"],
                           "product": ["Blender", "Yoga Mat"], "country": ["France", "Germany", "India"]},
          "customers": {"gender": ["F", "M"], "customer_type": ["B2B", "B2C"],
                        "acquisition_channel": ["email", "referral", "social"]}}


def read(text: str) -> dict:
    return extract(clean(text), VALUES, END)[0]


@pytest.fixture(scope="module")
def demo():
    return demo_session(300, 7)[0]


@pytest.fixture(scope="module")
def telco(tmp_path_factory):
    return session(telco_export(tmp_path_factory.mktemp("telco")))


# --------------------------------------------------------------------------- Hinglish
@pytest.mark.parametrize("said, expected", [
    ("pichle 6 mahine ki bikri", {"metric": "revenue", "start": D(2025, 7, 1), "end": D(2025, 12, 31)}),
    ("is saal kitne order aaye", {"metric": "orders", "start": D(2025, 1, 1), "end": D(2025, 12, 31)}),
    ("pichle saal country wise kitna paisa aaya", {"by": ["country"], "start": D(2024, 1, 1), "end": D(2024, 12, 31)}),
    ("har hafte ki sale 2025 me", {"grain": "week", "start": D(2025, 1, 1), "end": D(2025, 12, 31)}),
    ("India me kitne grahak hai", {"metric": "customers", "filters": {"country": ["India"]}}),
])
def test_hinglish_measures_periods_and_grains(said, expected):
    got = read(said)
    assert {k: got.get(k) for k in expected} == expected, (said, got)


@pytest.mark.parametrize("said, analysis", [
    ("kaun sa product sabse zyada bikta hai", "overview"),
    ("kitne customer chhod ke chale gaye pichle saal", "churn"),
    ("kaunse customer jaane wale hai", "churn"),
    ("sabse wafadar customer kaun hai", "loyalty"),
    ("delivery ko leke kitni shikayat aayi", "feedback"),
])
def test_hinglish_reaches_the_analysis_meant(demo, said, analysis):
    assert demo._route(said).analysis == analysis, said


def test_hinglish_follow_ups_narrow_the_last_answer(demo):
    s = demo.fork()
    s.chat("revenue by category in 2024")
    a = s.chat("sirf app wale orders")
    assert a.analysis == "overview" and a.params["filters"] == {"channel": ["app"]}, a.understood
    a = s.chat("nahi yaar, mera matlab web tha")
    assert a.params["filters"] == {"channel": ["web"]}, a.understood


def test_english_words_are_not_read_as_hindi():
    assert clean("show me the log in sessions") == "show me the log in sessions"
    assert clean("sales in KE") == "sales in KE"  # a country's code, not the Hindi "of"
    assert read("show me revenue by channel")["by"] == ["channel"]


def test_customers_who_left_are_churn(demo):
    assert demo._route("how many customers left us in 2024").analysis == "churn"


# --------------------------------------------------------------------------- Korean
@pytest.mark.parametrize("said, expected", [
    ("maechul by month 2024", {"metric": "revenue", "grain": "month"}),
    ("gogaek 수 by country", {"metric": "customers", "by": ["country"]}),
    ("객단가 by channel", {"metric": "aov", "by": ["channel"]}),
])
def test_korean_words_for_the_measures(said, expected):
    got = read(said)
    assert {k: got.get(k) for k in expected} == expected, (said, got)


def test_korean_repurchase_and_bought_together(demo):
    assert demo._route("재구매 주기 for Coffee category").analysis == "loyalty"
    assert demo._route("Blender 같이 사는거 top 3").analysis == "basket"


# --------------------------------------------------------------------------- chatbot prompts
@pytest.mark.parametrize("said, left", [
    ("Act as a data analyst. Task: give me total revenue for 2023. Output: one number.",
     "give me total revenue for 2023. one number."),
    ("You are a BI assistant. Question: how many orders per month in 2025? Answer in one sentence.",
     "how many orders per month in 2025?"),
    ("Step 1: pull revenue per country. Step 2: sort it.", "pull revenue per country. sort it."),
    ("the task: churn by contract", "the task: churn by contract"),  # a label only where a part starts
    ("you are great, revenue by month", "you are great, revenue by month"),  # no role
    ("Note: revenue by month", "Note: revenue by month"),
])
def test_a_prompts_frame_is_left_out(said, left):
    assert prompt_frame(said) == left


def test_a_prompt_is_answered_as_its_question(demo, telco):
    r = telco._route("Act as a retention analyst. Task: which contract types lose the most customers? "
                     "Output: table + 3 bullet insights.")
    assert r.analysis == "churn" and r.params.get("by") == ["contract"] and not r.params.get("k"), r.params
    r = demo._route("You are a merchandiser. Context: planning bundles. Task: products bought together. "
                    "Output: top 7 pairs as a table.")
    assert r.analysis == "basket" and r.params.get("top") == 7, r.params
    r = demo._route("Context: we ran a promo in March 2025. Question: how did revenue per week look since then?")
    assert r.analysis == "overview" and r.params.get("grain") == "week", r.params


# --------------------------------------------------------------------------- keywords
@pytest.mark.parametrize("said, keywords", [
    ("churn payment method", True), ("revenue country:france 2023..2024", True),
    ("what is the churn by payment method", False), ("churn", False),
    ("show revenue", False),
])
def test_a_keyword_query_is_nouns_without_a_sentence(said, keywords):
    assert keyword_query(said) is keywords


def test_a_column_named_in_a_keyword_query_is_its_breakdown(telco):
    assert telco._route("churn payment method").params["by"] == ["payment_method"]
    assert read("revenue acquisition channel 2024")["by"] == ["acquisition_channel"]
    # in a sentence a column needs its "by" (or another cue) to be a breakdown
    assert read("what did the email acquisition channel bring in 2024").get("by") in (None, [])


@pytest.mark.parametrize("said, start, end", [
    ("revenue 2023..2025", D(2023, 1, 1), D(2025, 12, 31)),
    ("orders 2024~2025", D(2024, 1, 1), D(2025, 12, 31)),
])
def test_a_range_of_years_written_as_a_search_range(said, start, end):
    got = read(said)
    assert (got["start"], got["end"]) == (start, end), got


@pytest.mark.parametrize("said, k", [("clusters 6 germany", 6), ("kmeans 3 b2b buyers", 3), ("segments x4", 4)])
def test_a_number_beside_clusters_in_a_keyword_query_is_k(said, k):
    assert read(said).get("k") == k


def test_a_year_beside_segments_is_no_number_of_them():
    assert read("segments 2024").get("k") is None
    assert read("clusters 12 months").get("k") is None


# --------------------------------------------------------------------------- conversation
def test_a_question_after_a_reset_without_a_stop_is_asked(telco):
    s = telco.fork()
    s.chat("churn rate by contract")
    a = s.chat("reset filters whats the overall customer count")
    assert a.analysis == "overview" and a.params.get("metric") == "customers", a.understood


def test_n_before_what_is_counted_is_the_number_not_and(telco):
    s = telco.fork()
    s.chat("churn rate by contract")
    a = s.chat("n customers by payment method")
    assert a.analysis == "overview" and a.params["by"] == ["payment_method"], a.understood
    s = telco.fork()
    s.chat("churn rate by contract")
    assert s.chat("n by payment method?").analysis == "churn"


def test_a_period_said_with_that_is_narrows_the_last_answer(tmp_path):
    from helpers import deal_export

    s = session(deal_export(tmp_path))
    s.chat("what's our win rate")
    a = s.chat("in Q2 2024 that is")
    assert a.analysis == "journey" and str(a.params["start"]) == "2024-04-01", a.understood

"""Questions in the words of ten more kinds of user (issue 16): a Lagos seller's pidgin ("for France
alone", "abeg", "no buy for 180 days"), a São Paulo manager's Portuguese ("last semester", "taxa de
ganho", "safra", "open by produto"), an analyst's pseudo-SQL, a crafter's chatty asides, a Cape Town
retailer's English ("the web store", "surely tiny?"), a Japanese manager's textbook English ("the
number of persons", "claims", "fiscal year 2024", "2024/04/01"), a Dubai retailer, a Manila assistant's
Taglish ("for B2B only po", "for the boss report"), a sceptical CFO ("not counting the UK") and a Kiwi
farm shop's southern seasons ("winter 2025 (jun to aug)", "summer 24/25"). Each class is checked on
phrasings of its own beside the corpus's."""
import datetime as dt

import pytest

from helpers import demo_session

from custlens.conversation import AGAIN_WORDS
from custlens.slots import clean, extract, slip_put_right

pytestmark = pytest.mark.usefixtures("router_cache")

D = dt.date
END = D(2025, 12, 31)
VALUES = {"transactions": {"channel": ["app", "store", "web"], "category": ["Coffee", "Kitchen", "Pet"],
                           "product": ["Blender", "Yoga Mat", "Milk Frother", "Desk Lamp"],
                           "country": ["France", "Germany", "United Kingdom"]},
          "customers": {"region": ["Europe", "North America"], "country": ["France", "Germany", "United Kingdom"]}}


def read(text: str, end: dt.date = END) -> dict:
    return extract(clean(text), VALUES, end)[0]


@pytest.fixture(scope="module")
def demo():
    return demo_session(300, 3)[0]


# --------------------------------------------------------------------------- a slip put right in the line
@pytest.mark.parametrize("said, meant", [
    ("oya only Nigeria... sorry i mean United Kingdom", "oya only United Kingdom"),
    ("top 10 products, no wait I meant top 20", "top 20 products"),
    ("revenue by country sorry i mean by channel", "revenue by channel"),
    ("sales for Germany, sorry I meant France", "sales for France"),
    ("orders in 2023 oops i mean 2024", "orders in 2024"),
    ("customers who left, no I mean who are about to leave", "customers who are about to leave"),
    # a line that opens with its correction is the conversation's to read; "i mean" alone is no slip
    ("no, I meant France", "no, I meant France"),
    ("i mean, how are we doing", "i mean, how are we doing"),
])
def test_a_slip_is_put_right_where_it_was_said(said, meant):
    assert slip_put_right(said) == meant


def test_a_slip_put_right_reads_the_value_meant():
    assert read("revenue for Germany... sorry i mean France")["filters"] == {"country": ["France"]}
    assert read("sales by category, no wait I meant by channel")["by"] == ["channel"]


# --------------------------------------------------------------------------- periods
@pytest.mark.parametrize("said, start, end", [
    ("ticket médio by channel in the last semester", D(2025, 7, 1), END),
    ("revenue over the past half-year", D(2025, 7, 1), END),
    ("orders in the first semester of 2024", D(2024, 1, 1), D(2024, 6, 30)),
    ("sales of the 2nd semestre 2024", D(2024, 7, 1), D(2024, 12, 31)),
    # a year named, "the year" after it is that year, not the data's last
    ("can i see sales by month for 2024 please? just want to get a feel for the year", D(2024, 1, 1), D(2024, 12, 31)),
    ("margin for the year", D(2025, 1, 1), END),
    ("Only the cohorts from 2024/01 to 2024/03.", D(2024, 1, 1), D(2024, 3, 31)),
])
def test_periods_said_as_a_semester_or_with_the_year_named(said, start, end):
    got = read(said)
    assert (got.get("start"), got.get("end")) == (start, end), got


# --------------------------------------------------------------------------- values
@pytest.mark.parametrize("said, filters", [
    ("and just the web store?", {"channel": ["web"]}),
    # "the online shop" is how a web business names itself (87 of 87 development questions with "online"
    # filter nothing), and the app is online too: no channel
    ("revenue of our online shop last year", None),
    ("the physical store vs the app", None),  # two channels set side by side: a breakdown
    ("i meant the whole Europe region", {"region": ["Europe"]}),
    ("carrying the whole store", None),  # all of the business
])
def test_a_shop_said_with_its_kind_and_a_whole_named_region(said, filters):
    assert read(said).get("filters") == filters


# --------------------------------------------------------------------------- routing words
@pytest.mark.parametrize("said, analysis", [
    ("How many customers do we have in total? Please tell me the number of persons.", "overview"),
    ("dormant customers more than 1 year, how many persons?", "churn"),
    ("What are the main claims about delivery?", "feedback"),
    ("How many repeaters do we have in Japan?", "loyalty"),
    ("share of customers with more than 1 order", "loyalty"),
    ("could you write up pretend customer characters from the data", "persona"),
    ("Which accounts stopped doing business with us?", "churn"),
    ("spend of each safra over the months", "cohort"),
    ("how fiel are the clients?", "loyalty"),
    ("relatório completo please", "report"),
    ("just give me the lay of the land", "overview"),
    ("organise the customers into 4 segments", "segmentation"),
    ("churn rate for the B2B customers, surely tiny?", "churn"),
])
def test_words_of_these_users_reach_the_analysis_meant(demo, said, analysis):
    assert demo._route(said).analysis == analysis


def test_an_english_word_is_not_read_as_a_slip_of_another(demo):
    """"surely" is near "survey" but English uses it as written; "costumers" is a slip of customers."""
    spell = demo.router.spell
    assert spell("surely") == "surely" and spell("persons") == "persons"
    assert spell("costumers") == "customers"


def test_crm_words_for_the_win_rate(tmp_path):
    from helpers import deal_export, session

    s = session(deal_export(tmp_path))
    for said in ("what's our closing ratio", "taxa de ganho in 2024", "close rate per month"):
        assert s._route(said).analysis == "journey", said


# --------------------------------------------------------------------------- the conversation
def test_a_reset_that_asks_for_the_last_answer_again(demo):
    assert {"everybody", "everything", "again", "run"} <= AGAIN_WORDS
    s = demo.fork()
    s.chat("revenue by month")
    a = s.chat("only Germany")
    assert a.params["filters"] == {"country": ["Germany"]}
    for line in ("reset filters, show me everybody again", "reset filters please. run it again on everything"):
        s.chat("only Germany")
        a = s.chat(line)
        assert a.analysis == "overview" and not a.params.get("filters"), line
        assert a.params["by"] == ["period"] and "Germany" not in a.understood, line


def test_a_follow_up_said_with_alone_or_a_particle(demo):
    s = demo.fork()
    s.chat("churn rate abeg")
    a = s.chat("for France alone")
    assert a.analysis == "churn" and a.params["filters"] == {"country": ["France"]}
    a = s.chat("oya only Germany... sorry i mean Italy")
    assert a.analysis == "churn" and a.params["filters"] == {"country": ["Italy"]}


def test_open_by_is_a_breakdown_of_the_last_answer(demo):
    s = demo.fork()
    s.chat("NPS of 2025")
    a = s.chat("open by product")
    assert a.analysis == "loyalty" and a.params["by"] == ["product"]
    assert (str(a.params["start"]), str(a.params["end"])) == ("2025-01-01", "2025-12-31")


@pytest.mark.parametrize("said, expected", [
    ("I want to know the number of orders from 2024/04/01 to 2025/03/31.",
     {"start": D(2024, 4, 1), "end": D(2025, 3, 31), "metric": "orders"}),
    ("Daily sales from 2025/12/01 to 2025/12/31 please.", {"start": D(2025, 12, 1), "end": D(2025, 12, 31), "grain": "day"}),
    ("Daily number of purchases in 2025/11.", {"start": D(2025, 11, 1), "end": D(2025, 11, 30)}),
    ("faturamento per category in the last trimester", {"start": D(2025, 10, 1), "end": END, "by": ["category"]}),
    ("3rd trimestre 2025 vs 3rd trimestre 2024",
     {"compare": [(D(2024, 7, 1), D(2024, 9, 30)), (D(2025, 7, 1), D(2025, 9, 30))]}),
    ("faturamento 2024 x 2025, how much we grew?",
     {"compare": [(D(2024, 1, 1), D(2024, 12, 31)), (D(2025, 1, 1), D(2025, 12, 31))], "metric": "revenue"}),
    ("Could you show me the ranking of categories by number of orders?", {"by": ["category"], "metric": "orders"}),
    ("the ranking of products by profit", {"by": ["product"], "metric": "margin"}),
    ("quantity of orders per day in the last 30 days", {"metric": "orders", "grain": "day"}),
])
def test_dates_with_slashes_trimesters_rankings_and_quantities_of(said, expected):
    got = read(said)
    assert {k: got.get(k) for k in expected} == expected, got


@pytest.mark.parametrize("said, days", [("customers wey no buy for 180 days", 180),
                                        ("visitors wey no come back for 90 days", 90),
                                        ("accounts that dont close any deal since one year", 365),
                                        ("customers who have disappeared for 8 months", 240)])
def test_inactivity_said_with_no_or_disappeared(demo, said, days):
    assert demo._route(said, analysis="churn").params["inactive_days"] == days


def test_two_kinds_of_customer_without_each_are_two_filters(tmp_path):
    from helpers import session, write

    rows = [["customerID", "Partner", "Dependents", "tenure", "Churn"]] + [
        [f"C{i}", "Yes" if i % 2 else "No", "Yes" if i % 3 else "No", i % 60, "Yes" if i % 4 == 0 else "No"]
        for i in range(200)]
    s = session(write(tmp_path / "telco.csv", rows))
    r = s._route("churn rate for the customers without partner and without dependents")
    assert r.params["filters"] == {"partner": ["No"], "dependents": ["No"]} and not r.params.get("by")
    assert s._route("churn for customers with dependents vs without").params["by"] == ["dependents"]


def test_a_count_or_sum_within_the_datas_own_segment_column(tmp_path):
    """Deals whose accounts carry a Segment column (Enterprise 100 a deal, Mid-Market 40, SMB 10): a
    count or a sum named by those segments is the sales summary over them, not a segmentation made
    on the word; asking to make segments still makes them."""
    import pandas as pd

    from custlens import Session

    segments = {"Enterprise": 100.0, "Mid-Market": 40.0, "SMB": 10.0}
    names = list(segments)
    frame = pd.DataFrame([(f"D{j}", f"A{j % 30}", dt.date(2024, 1, 1) + dt.timedelta(days=5 * j),
                           segments[names[j % 3]], names[j % 3]) for j in range(150)],
                         columns=["deal_id", "account_id", "close_date", "amount", "Segment"])
    frame.to_csv(tmp_path / "deals.csv", index=False)
    s = Session(data=[str(tmp_path / "deals.csv")], entry_points=False)
    a = s.fork().chat("how much did the Mid-Market accounts bring in")
    assert a.analysis == "overview" and a.params["filters"] == {"segment": ["Mid-Market"]}
    assert "2,000" in a.summary  # 50 deals of 40
    for said in ("how many deals in the SMB", "count accounts where segment = 'Enterprise'",
                 "Mid-Market only, by quarter"):
        assert s._route(said).analysis == "overview", said
    assert s._route("segment my accounts into 3 clusters").analysis == "segmentation"


@pytest.mark.parametrize("said, kept", [("sales not counting the UK", ["France", "Germany"]),
                                        ("revenue setting aside Germany", ["France", "United Kingdom"]),
                                        ("orders not including France", ["Germany", "United Kingdom"])])
def test_a_value_left_out_in_other_words_is_no_filter_on_itself(tmp_path, said, kept):
    """A value said after "not counting", "setting aside", "not including" is left out: the filter is
    on the other values (it was a filter on the value itself, the opposite answer)."""
    from helpers import session, write

    rows = [["customer_id", "order_id", "order_date", "amount", "country"]] + [
        [f"C{i % 30}", f"O{i}", f"2025-0{1 + i % 9}-1{i % 9}", 10 + i, ["France", "Germany", "United Kingdom"][i % 3]]
        for i in range(120)]
    s = session(write(tmp_path / "orders.csv", rows))
    assert s._route(said).params["filters"] == {"country": kept}


@pytest.mark.parametrize("said, start, end", [
    # a start said "until now": from then to the data's last day (it was the start's month or year alone)
    ("sales from march 2024 until now", D(2024, 3, 1), None),
    ("orders from 2023 to date", D(2023, 1, 1), None),
    ("yearly sales from 2023 till now", D(2023, 1, 1), None),
    ("the yearly deal amount of LATAM from 2023", D(2023, 1, 1), None),
    ("sales from 2023", D(2023, 1, 1), D(2023, 12, 31)),  # no grain of years, no "till now": that year
    ("revenue from jan 2024 to june 2024", D(2024, 1, 1), D(2024, 6, 30)),
    # a cohort "from" a period is that period's cohort
    ("cohorts from Q1 1997 only", D(1997, 1, 1), D(1997, 3, 31)),
    ("the cohort of cd buyers from january 1997", D(1997, 1, 1), D(1997, 1, 31)),
    ("from january 2025 cohort how many still buy after 3 months", D(2025, 1, 1), D(2025, 1, 31)),
    # "as of" a day is the data up to it; as of the data's last day, no period at all
    ("how many have not bought in 180 days as of end of jun 2025", None, D(2025, 6, 30)),
    ("churn as at 30 june 2025", None, D(2025, 6, 30)),
    ("how many loyal customers as of the last day of data", None, None),
])
def test_starts_until_now_cohorts_from_and_as_of(said, start, end):
    got = read(said)
    assert (got.get("start"), got.get("end")) == (start, end), got


# --------------------------------------------------------------------------- batch four's classes
@pytest.mark.parametrize("said, start, end", [
    ("revenue per category for winter 2025 (jun to aug, our winter eh)", D(2025, 6, 1), D(2025, 8, 31)),
    ("units sold by category, autumn 2025 (mar-may)", D(2025, 3, 1), D(2025, 5, 31)),
    ("sales by month over summer 24/25", D(2024, 12, 1), D(2025, 2, 28)),  # two years: the southern summer
    ("winter 2024/25 revenue", D(2024, 12, 1), D(2025, 2, 28)),
    ("summer 2024 sales", D(2024, 6, 1), D(2024, 8, 31)),  # nothing said: the northern months
])
def test_a_season_read_by_the_months_said_beside_it(said, start, end):
    got = read(said)
    assert (got.get("start"), got.get("end")) == (start, end), got


def test_a_seasons_months_said_once_hold_for_both_sides():
    got = read("orders in spring 2025 vs spring 2024 (sept-nov), was it busier")
    assert got["compare"] == [(D(2024, 9, 1), D(2024, 11, 30)), (D(2025, 9, 1), D(2025, 11, 30))]


@pytest.mark.parametrize("said, analysis", [
    ("top 10 products last month po, for the boss report", "overview"),
    ("hello po, revenue in the last 90 days? pls round off to nearest dollar", "overview"),
    ("spin questions for my boss's sales call with a wholesale buyer", "spin"),
    ("write the full report for the board", "report"),
    ("no of customers who purchased anything in november 2025", "overview"),
    ("how many refunds did we process last year, and what were they worth", "overview"),
    ("kindly make 5 clusters of customers", "segmentation"),
    ("sausage plus what? bbq pack ideas", "basket"),
    ("how many customers have not ordered in 6 months? boss wants to send a winback email", "churn"),
])
def test_particles_purposes_and_asides_do_not_pick_the_analysis(demo, said, analysis):
    r = demo._route(said)
    assert r is not None and r.analysis == analysis, said


def test_a_conversation_with_particles_openers_and_a_reference_back(demo):
    s = demo.fork()
    s.chat("churn rate")
    a = s.chat("for B2B only po")
    assert a.analysis == "churn" and a.params["filters"] == {"customer_type": ["B2B"]}
    a = s.chat("what's driving it for that group")
    assert a.analysis == "churn" and a.params["explain"] and a.params["filters"] == {"customer_type": ["B2B"]}
    a = s.chat("righto reset filters and just give me total turnover")
    assert a.analysis == "overview" and not a.params.get("filters")
    s.chat("revenue by month")
    s.chat("only app")
    a = s.chat("reset filters pls then how many customers do we have")
    assert a.analysis == "overview" and a.params["metric"] == "customers" and not a.params.get("filters")


def test_a_kind_of_customer_negated_by_its_first_word(tmp_path):
    from helpers import session, write

    rows = [["customerID", "SeniorCitizen", "tenure", "Churn"]] + [
        [f"C{i}", str(int(i % 5 == 0)), i % 60, "Yes" if i % 4 == 0 else "No"] for i in range(200)]
    s = session(write(tmp_path / "telco.csv", rows))
    for said in ("churn for non senior customers", "churn rate of the non-seniors"):
        assert s._route(said).params["filters"] == {"senior_citizen": ["0"]}, said
    s.chat("churn rate for senior citizens")
    assert s.chat("and for non senior?").params["filters"] == {"senior_citizen": ["0"]}

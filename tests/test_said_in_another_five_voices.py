"""Questions in the words of five more kinds of user (issue 16): a Galway publican ("grand, and for
Spain?", "what are they giving out about", "how did the Yoga Mat get on"), a dyslexic garden-centre
owner who writes by ear ("chern by contract", "wich contry", "havent bort in 90 days", "agenst"), a
statistician ("marginal counts of", "n customers", "stratify by", "add X as a second condition", "where
Churn = Yes"), a Texas car dealer ("bail on us", "underwater", "how'd Kitchen do in Q3") and a Melbourne
deli owner writing English with Italian ("vendite al mese", "quanti sono", "in average for one order",
"here at home"). Each class is checked on phrasings of its own beside the corpus's."""
import datetime as dt
from pathlib import Path

import pytest

from helpers import demo_session, session, telco_export

from custlens.slots import clean, extract, period

pytestmark = pytest.mark.usefixtures("router_cache")

D = dt.date
END = D(2025, 12, 31)
VALUES = {"transactions": {"channel": ["app", "store", "web"], "category": ["Coffee", "Home", "Kitchen", "Pet"],
                           "product": ["Blender", "Yoga Mat", "Milk Frother"], "country": ["France", "Germany", "Italy"]},
          "customers": {"region": ["Europe", "North America"], "gender": ["F", "M"],
                        "customer_type": ["B2B", "B2C"]}}


def read(text: str, end: dt.date = END) -> dict:
    return extract(clean(text), VALUES, end)[0]


@pytest.fixture(scope="module")
def demo():
    return demo_session(300, 5)[0]


@pytest.fixture(scope="module")
def telco(tmp_path_factory):
    return session(telco_export(tmp_path_factory.mktemp("telco")))


# --------------------------------------------------------------------------- words written by ear
def test_a_word_that_differs_only_in_its_vowels_is_the_word_meant(demo, telco):
    """One letter in five wrong is below the spelling correction's bar ("cross" is no "gross"), but
    a word whose consonants all stand where a known word's do, and whose vowels alone differ, is
    that word written by ear; an English word is never read as another ("drove" stays)."""
    spell = demo.router.spell
    assert [spell(w) for w in ("chern", "cohert", "segmant", "coharts")] == ["churn", "cohort", "segment", "cohorts"]
    assert spell("drove") == "drove" and spell("sails") == "sails"
    r = telco._route("chern rate by payment methd")
    assert r.analysis == "churn" and r.params["by"] == ["payment_method"], r.params
    assert demo._route("which cohert of customers stuck with us longest").analysis == "cohort"


def test_which_and_country_written_by_ear(demo):
    assert demo._route("wich contry spends the most").params["by"] == ["country"]


@pytest.mark.parametrize("said, expected", [
    ("revenue lastyear", {"start": D(2024, 1, 1), "end": D(2024, 12, 31)}),
    ("orders q2 2024 agenst q2 2025", {"compare": [(D(2024, 4, 1), D(2024, 6, 30)), (D(2025, 4, 1), D(2025, 6, 30))]}),
])
def test_words_too_short_or_too_far_for_the_spelling_correction(said, expected):
    got = read(said)
    assert {k: got.get(k) for k in expected} == expected, got


def test_bought_written_by_ear_is_inactivity(demo):
    assert demo._route("customers that havent bort anything in 60 days", analysis="churn").params["inactive_days"] == 60


# --------------------------------------------------------------------------- breakdowns and counts
@pytest.mark.parametrize("said, by", [
    ("churn by type of contract", ["contract"]),
    ("churn per kind of payment", ["payment_method"]),
    ("churn by the type of internet", ["internet_service"]),
])
def test_a_column_said_as_the_type_of_it_is_its_breakdown(telco, said, by):
    assert telco._route(said).params["by"] == by, said


def test_the_type_of_a_kind_column_is_that_column():
    assert read("revenue by type of customer")["by"] == ["customer_type"]
    assert read("revenue per kind of customer")["by"] == ["customer_type"]


@pytest.mark.parametrize("said, metric", [
    ("marginal counts of customers by channel", "customers"),  # a table's margin, not profit
    ("counts of customers per region", "customers"),
    ("n orders by month", "orders"),
    ("give n customers per country", "customers"),
    ("how many heads bought from us in 2024", "customers"),
    ("the customers in Germany, how many?", "customers"),
    ("how many carts had the Blender in them", "orders"),
    ("how much do they spend on average per order", "aov"),
    ("how much they spend the clients in average for one order?", "aov"),
])
def test_what_is_counted_in_these_words(said, metric):
    assert read(said).get("metric") == metric, said


def test_n_said_between_two_things_is_still_and():
    assert read("revenue n customers by country").get("metric") == "revenue"


def test_what_they_spend_per_order_is_no_breakdown_by_what_they_buy(demo):
    r = demo._route("what do they spend per order")
    assert r.params.get("metric") == "aov" and "category" not in (r.params.get("by") or []), r.params


def test_none_of_a_column_is_its_no_value(telco):
    """InternetService holds DSL, Fiber optic and No: "no internet" and "without internet service" are
    its No, not a lost filter."""
    for said in ("how many folks got no internet at all", "churn for customers without internet service"):
        assert telco._route(said).params["filters"] == {"internet_service": ["No"]}, said
    assert telco._route("internet service breakdown").params.get("filters") in (None, {})


def test_home_said_of_where_people_live_is_no_category():
    assert "category" not in (read("sales from Italy in 2025, here at home").get("filters") or {})
    assert "category" not in (read("personas of the customers who miss home").get("filters") or {})
    assert read("revenue of the Home category")["filters"] == {"category": ["Home"]}


# --------------------------------------------------------------------------- the analysis meant
@pytest.mark.parametrize("said, analysis", [
    ("what are people giving out about", "feedback"),
    ("who's about to bail on us", "churn"),
    ("which products are underwater", "profitability"),
    ("which category makes the most after costs", "profitability"),
    ("write it all up for the board", "report"),
    ("top 3 things that ride along with the Blender", "basket"),
])
def test_everyday_words_of_these_users_reach_the_analysis_meant(demo, said, analysis):
    assert demo._route(said).analysis == analysis, said


def test_survival_and_walking_away_are_churn(telco):
    for said in ("survival by contract type", "the ones who walked away, how long had they been with us"):
        assert telco._route(said).analysis == "churn", said


@pytest.mark.parametrize("said, filters", [
    ("how'd the Pet category do in Q3 2025", {"category": ["Pet"]}),
    ("how did Germany get on last year", {"country": ["Germany"]}),
    ("how is the app channel performing", {"channel": ["app"]}),
])
def test_how_a_part_of_the_business_did_is_its_sales(demo, said, filters):
    r = demo._route(said)
    assert r.analysis == "overview" and r.decision == "route" and r.params["filters"] == filters, (said, r)


def test_how_a_group_of_an_analysis_did_stays_with_it(demo):
    assert demo._route("how are the champions doing").analysis == "segmentation"
    assert demo._route("how is churn looking for the app").analysis == "churn"


def test_italian_words_for_sales_and_grains():
    got = read("vendite al mese nel 2024")
    assert (got.get("metric"), got.get("grain"), got.get("start"), got.get("end")) == \
        ("revenue", "month", D(2024, 1, 1), D(2024, 12, 31)), got
    assert read("quanti clienti in Germany").get("metric") == "customers"
    assert read("sales trend year after year").get("grain") == "year"
    assert read("orders week after week").get("grain") == "week"


# --------------------------------------------------------------------------- periods
@pytest.mark.parametrize("said, start, end", [
    # a period said without a year gives way to one said with it in another clause, or lying outside it
    ("orders by month in 2024 and why did they drop in july", D(2024, 1, 1), D(2024, 12, 31)),
    ("sales by month for 2025? I want to see whether the spring was slow", D(2025, 1, 1), D(2025, 12, 31)),
    ("customers who joined mar-may 2024 during the spring promo", D(2024, 3, 1), D(2024, 5, 31)),
    ("signups of oct 2024 (the 10.10 sale), do they come back", D(2024, 10, 1), D(2024, 10, 31)),
    # inside it in the same clause, or spelt out after it, it narrows it
    ("revenue in 2025 over the summer", D(2025, 6, 1), D(2025, 8, 31)),
    ("how did the summer do in 2024? june thru august", D(2024, 6, 1), D(2024, 8, 31)),
    ("discounts in the 2025 sale i.e. 20 oct to 5 nov", D(2025, 10, 20), D(2025, 11, 5)),
])
def test_which_of_two_periods_is_the_scope(said, start, end):
    assert period(clean(said), END)[:2] == (start, end), said


def test_a_month_said_as_always_is_no_period():
    assert period(clean("our best month ever, is it always december"), END) == (None, None, "")


@pytest.mark.parametrize("said, years", [
    ("has churn gone up in 2025 comparing to 2024", (2024, 2025)),
    ("orders 2025 contra 2024", (2024, 2025)),
    ("aov 2023 compared w/ 2025", (2023, 2025)),
    ("how many customers bought in 2023 and how many in 2024", (2023, 2024)),
    ("did the 2024 cohort behave differently than the 2023 one", (2023, 2024)),
])
def test_two_years_compared_in_these_words(said, years):
    compare = read(said).get("compare")
    assert compare and (compare[0][0].year, compare[1][0].year) == years, (said, compare)


# --------------------------------------------------------------------------- baskets
def test_a_product_set_aside_is_not_the_one_asked_about():
    path = Path(__file__).parent / "data" / "groceries_500.csv"
    s = session(path)
    assert s._route("forget the shopping bags, what else goes with root vegetables?").params["product"] == \
        "root vegetables"
    assert s._route("ignoring the soda, what is bought with yogurt").params["product"] == "yogurt"


# --------------------------------------------------------------------------- conversation
def test_an_irish_or_italian_word_of_assent_opens_a_follow_up(demo):
    for opener in ("grand, and for France?", "allora, and for France?"):
        s = demo.fork()
        s.chat("revenue by month in 2025")
        a = s.chat(opener)
        assert a.analysis == "overview" and a.params["filters"] == {"country": ["France"]}, (opener, a.understood)
        assert str(a.params["start"]) == "2025-01-01", a.understood
    assert demo.fork().chat("grand total revenue in 2024").params.get("filters") in (None, {})


def test_a_value_added_as_a_second_condition_keeps_the_first(telco):
    s = telco.fork()
    s.chat("churn for customers without a partner")
    a = s.chat("add month-to-month as a second condition")
    assert a.analysis == "churn" and a.params["filters"].get("contract") == ["Month-to-month"], a.understood
    assert a.params["filters"].get("partner") == ["No"], a.understood


def test_stratify_by_after_an_answer_breaks_it_down(demo):
    s = demo.fork()
    s.chat("customer lifetime value")
    a = s.chat("stratify by country")
    assert a.analysis == "clv" and a.params["by"] == ["country"], a.understood


def test_a_churn_flag_said_equal_to_yes_is_the_churned_customers(telco):
    r = telco._route("monthly charges by contract where Churn = Yes")
    assert r.analysis == "overview" and list(r.params["filters"]) == ["churned"], r.params
    assert r.params["by"] == ["contract"]

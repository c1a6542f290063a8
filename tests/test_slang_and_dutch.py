"""Questions in the words of four more kinds of user (issue 16): an Australian shop owner's slang ("the
aussies", "last fin year", "chuck them into 4 clusters"), a wholesaler's trade words ("invoices", "average
drop size", "GP", "accounts gone quiet for 8 weeks+", "YTD vs LY"), a texter's shorthand ("tiktok n ig",
"who ghosted us", "r", "rn", "ngl") and a Dutch owner's English ("omzet per maand vorig jaar", "klachten
per product", "segments on age"). Each class is checked on phrasings of its own, beside the corpus's."""
import datetime as dt

import pandas as pd
import pytest

from custlens import countries, slots
from custlens.conversation import CORRECTION
from custlens.session import Session
from custlens.slots import clean, extract

pytestmark = pytest.mark.usefixtures("router_cache")

D = dt.date
END = D(2025, 12, 31)
VALUES = {"transactions": {"channel": ["app", "store", "web"], "category": ["Coffee", "Kitchen", "Pet"],
                           "product": ["Blender", "Yoga Mat", "Milk Frother", "Desk Lamp"]},
          "customers": {"acquisition_channel": ["email", "social", "referral", "paid search", "organic search"],
                        "country": ["Australia", "France", "Germany", "United Kingdom", "United States"],
                        "gender": ["F", "M", "X"], "age": []}}


def read(text: str) -> dict:
    return extract(clean(text), VALUES, END)[0]


# --------------------------------------------------------------------------- Dutch words in English
@pytest.mark.parametrize("said, expected", [
    ("omzet per maand vorig jaar", {"metric": "revenue", "grain": "month", "start": D(2024, 1, 1), "end": D(2024, 12, 31)}),
    ("bestellingen per kwartaal dit jaar", {"metric": "orders", "grain": "quarter", "start": D(2025, 1, 1)}),
    ("winst per jaar", {"metric": "margin", "grain": "year"}),
    ("gemiddelde orderwaarde per kanaal", {"metric": "aov", "by": ["channel"]}),
    ("how many klanten in februari 2025", {"metric": "customers", "start": D(2025, 2, 1), "end": D(2025, 2, 28)}),
])
def test_dutch_words_for_measures_grains_and_periods_are_read(said, expected):
    got = read(said)
    assert {k: got.get(k) for k in expected} == expected, got


def test_dutch_months_and_inactivity_in_maanden(router_cache):
    from helpers import demo_session

    s = demo_session(300, 3)[0]
    assert s._route("klachten over de levering per product").analysis == "feedback"
    assert s._route("klanten that did not order since 3 maanden", analysis="churn").params["inactive_days"] == 90
    r = s._route("the cohort of maart 2024, how many still buy")
    assert (r.params["start"], r.params["end"]) == (D(2024, 3, 1), D(2024, 3, 31))
    assert s._route("jaarverslag of the whole shop please").analysis == "report"


@pytest.mark.parametrize("said, by", [("segments on age and gender", ["age", "gender"]),
                                      ("orders split on category", ["category"])])
def test_a_breakdown_said_with_on_as_dutch_and_german_say_it(said, by):
    assert [b for b in read(said)["by"] if b != "customer"] == by


# --------------------------------------------------------------------------- people of a country, slang
@pytest.mark.parametrize("said, code", [("repeat rate for aussies", "AU"), ("do the brits spend more", "GB"),
                                        ("just aussie", "AU"), ("how many germans bought twice", "DE"),
                                        ("segment just the us customers", "US"), ("sales to canadians", "CA")])
def test_the_people_of_a_country_said_alone_name_it(said, code):
    assert [m.code for m in countries.mentions(said)] == [code]


@pytest.mark.parametrize("said", ["customers who bought from us", "tell us customers count", "a kiwi fruit smoothie"])
def test_words_that_only_look_like_people_of_a_country_name_none(said):
    assert countries.mentions(said) == []


def test_aussie_customers_are_australia_in_a_question():
    assert read("avg spend per order for aussie customers")["filters"] == {"country": ["Australia"]}


# --------------------------------------------------------------------------- periods of a wholesaler and an aussie
@pytest.mark.parametrize("said, first, second", [
    ("turnover YTD vs LY", (D(2024, 1, 1), D(2024, 12, 31)), (D(2025, 1, 1), D(2025, 12, 31))),
    ("our aov this year, is it up on last year?", (D(2024, 1, 1), D(2024, 12, 31)), (D(2025, 1, 1), D(2025, 12, 31))),
    ("orders in march, down from february?", (D(2025, 2, 1), D(2025, 2, 28)), (D(2025, 3, 1), D(2025, 3, 31))),
    ("how is november looking vs nov the year before", (D(2024, 11, 1), D(2024, 11, 30)), (D(2025, 11, 1), D(2025, 11, 30))),
    ("q2 against q2 a year earlier", (D(2024, 4, 1), D(2024, 6, 30)), (D(2025, 4, 1), D(2025, 6, 30))),
])
def test_a_period_set_against_last_years_in_trade_words_is_a_comparison(said, first, second):
    compared, _ = slots.comparison(clean(said), END)
    assert compared == [first, second]


@pytest.mark.parametrize("said", ["we need to follow up on last year", "pick up on last year's trend"])
def test_up_on_after_a_verb_is_no_comparison(said):
    assert slots.comparison(clean(said), END)[0] is None


@pytest.mark.parametrize("said, year", [("how much did we turn over last financial year", 2024),
                                        ("customers this fin year so far", 2025), ("b2b vs b2c last fy", 2024)])
def test_a_financial_year_said_relative_is_a_year_never_dropped(said, year):
    got = read(said)
    assert (got["start"], got["end"]) == (D(year, 1, 1), D(year, 12, 31)), got


# --------------------------------------------------------------------------- a wholesaler's measures
@pytest.mark.parametrize("said, metric", [("invoice count by quarter", "orders"), ("avg drop size by channel", "aov"),
                                          ("average drop for B2B accounts", "aov"), ("total billed by country", "revenue"),
                                          ("top 5 cities for customer numbers", "customers"),
                                          ("GP by category", "margin")])
def test_trade_words_for_the_measures(said, metric):
    assert read(said)["metric"] == metric


def test_gp_is_gross_profit_never_a_country_code():
    got = read("GP by category, H1 2025")
    assert "filters" not in got and got["by"] == ["category"]


# --------------------------------------------------------------------------- values by their platform, examples
@pytest.mark.parametrize("said, column, value", [("does tiktok traffic convert", "acquisition_channel", "social"),
                                                 ("revenue from google ads customers", "acquisition_channel", "paid search"),
                                                 ("instagram customers in 2025", "acquisition_channel", "social")])
def test_a_platform_named_is_its_channel(said, column, value):
    assert read(said)["filters"] == {column: [value]}


@pytest.mark.parametrize("said", ["where do our sales come from - socials, referrals, google ads etc",
                                  "revenue by how people found us, like social vs referral vs email",
                                  "revenue from email, social and so on"])
def test_values_listed_as_examples_are_a_breakdown_by_their_column(said):
    got = read(said)
    assert "filters" not in got and got["by"] == ["acquisition_channel"], got


def test_values_said_as_a_scope_stay_a_filter_beside_examples_words():
    assert read("sales for social and referral")["filters"] == {"acquisition_channel": ["social", "referral"]}


def test_the_whole_store_is_the_business_not_the_store_channel():
    assert "filters" not in read("which category is carrying the whole store")
    assert read("which category sells best in store")["filters"] == {"channel": ["store"]}


@pytest.mark.parametrize("said, k", [("tier the accounts into 3 bands", 3), ("sort customers into 5 buckets", 5),
                                     ("chuck the customers into 4 clusters", 4)])
def test_groups_asked_in_everyday_verbs_and_nouns_set_k(said, k):
    assert read(said)["k"] == k


def test_a_word_between_the_rank_and_the_customers_keeps_the_ranking():
    got = read("top 10 trade accounts by turnover")
    assert got["top"] == 10 and got["by"] == ["customer"]


# --------------------------------------------------------------------------- a texter's shorthand, routed
def test_a_texters_shorthand_routes_as_meant(router_cache):
    from helpers import demo_session

    s = demo_session(300, 3)[0]
    assert s._route("who ghosted us in 2025").analysis == "churn"
    assert s._route("paint me a picture of the at risk lot").analysis == "persona"
    assert s._route("chuck em into 3 clusters").analysis == "segmentation"
    assert s._route("questions for our QBR with a big account").analysis == "spin"
    assert s._route("customers that went quiet for 6 weeks+", analysis="churn").params["inactive_days"] == 42
    assert clean("which customers r high risk rn ngl") == "which customers are high risk"
    assert clean("tiktok n ig") == "tiktok and ig" and clean("top n customers") == "top n customers"


# --------------------------------------------------------------------------- corrections and the churners
@pytest.mark.parametrize("said, rest", [("nvm make that france", "france"), ("nah scrap that, canada instead", "canada instead"),
                                        ("never mind, use germany", "germany"), ("wait, make it the app", "the app")])
def test_a_correction_opened_with_slang_is_a_correction(said, rest):
    m = CORRECTION.match(said)
    assert m and (m.group("rest") or m.group("rest2")) == rest


def test_a_correction_replaces_the_filter_in_a_conversation():
    from helpers import demo_session

    s = demo_session(300, 3)[0]
    s.chat("which customers lose us money")
    s.chat("in germany")
    a = s.chat("nvm make that france")
    assert a.analysis == "profitability" and a.params["filters"] == {"country": ["France"]}, a.params


@pytest.fixture(scope="module")
def contracts(tmp_path_factory):
    """60 customers: monthly contracts churn when their number is odd, the others never; electronic check
    every third customer."""
    rows = [{"customerID": f"C{i:03d}", "Contract": ["Month-to-month", "One year", "Two year"][i % 3],
             "PaymentMethod": "Electronic check" if i % 3 == 0 else "Mailed check", "tenure": i + 1,
             "MonthlyCharges": 20.0 + i, "Churn": "Yes" if i % 3 == 0 and i % 2 else "No"} for i in range(60)]
    frame = pd.DataFrame(rows)
    path = tmp_path_factory.mktemp("contracts") / "customers.csv"
    frame.to_csv(path, index=False)
    return Session(data=[str(path)], entry_points=False), frame


def test_contracts_and_churners_said_the_everyday_way(contracts):
    s, frame = contracts
    r = s._route("churn for electronic check payers on monthly contracts", analysis="churn")
    assert r.params["filters"] == {"payment_method": ["Electronic check"], "contract": ["Month-to-month"]}
    a = s.ask("churn rate for people on monthly contracts")
    monthly = frame[frame.Contract == "Month-to-month"]
    churned = int((monthly.Churn == "Yes").sum())
    assert f"Of {len(monthly)} customers for contract = Month-to-month, **{churned} have churned " \
           f"({churned / len(monthly):.1%})**" in a.summary, a.summary
    assert s._route("persona of a typical churner", analysis="persona").params["filters"] == {"churned": ["true"]}
    assert s._route("churn by contract type and payment type").params["by"] == ["contract", "payment_method"]


# --------------------------------------------------------------------------- Polish English and Singlish
@pytest.mark.parametrize("said, expected", [
    ("sprzedaż by month in 2024", {"metric": "revenue", "grain": "month", "start": D(2024, 1, 1)}),
    ("how many klienci we have in Germany", {"metric": "customers", "filters": {"country": ["Germany"]}}),
    ("zamówienia per kwartał", {"metric": "orders", "grain": "quarter"}),
    ("zysk by category", {"metric": "margin", "by": ["category"]}),
    ("aov since 3 months", {"metric": "aov", "start": D(2025, 10, 1), "end": D(2025, 12, 31)}),
    ("orders since two weeks", {"metric": "orders", "start": D(2025, 12, 18), "end": D(2025, 12, 31)}),
])
def test_polish_words_and_since_a_count_of_months_are_read(said, expected):
    got = read(said)
    assert {k: got.get(k) for k in expected} == expected, got


@pytest.mark.parametrize("said, expected", [
    ("how many pax bought the Blender", {"metric": "customers", "product": "Blender"}),
    ("sales last 6 mths growing anot", {"metric": "revenue", "start": D(2025, 7, 1)}),
    ("Desk Lamp go with wat", {"product": "Desk Lamp"}),
    ("handphone vs desktop conversion", {}),
])
def test_singlish_words_and_particles_are_read(said, expected):
    got = read(said)
    assert {k: got.get(k) for k in expected} == expected, got
    assert clean("France only leh") == "France only"
    assert clean("who are the champions ah?").replace(" ?", "?") == "who are the champions?"


def test_a_particle_after_a_follow_up_keeps_it_a_follow_up():
    from helpers import demo_session

    s = demo_session(300, 3)[0]
    s.chat("revenue by month in 2025")
    a = s.chat("Germany only lah")
    assert a.analysis == "overview" and a.params["filters"] == {"country": ["Germany"]}
    assert (a.params["start"], a.params["end"]) == ("2025-01-01", "2025-12-31")


@pytest.mark.parametrize("said, day", [("11.11 this year how many orders", D(2025, 11, 11)),
                                       ("revenue on 12.12 last year", D(2024, 12, 12)),
                                       ("the 9.9 sale revenue", D(2025, 9, 9)),
                                       ("orders on 24 december last year", D(2024, 12, 24)),
                                       ("sales 3rd of march this year", D(2025, 3, 3))])
def test_a_day_with_this_or_last_year_is_that_day_of_that_year(said, day):
    assert slots.period(clean(said), END)[:2] == (day, day)


def test_a_day_in_figures_that_reads_two_ways_is_still_not_guessed():
    assert slots.period(clean("sales on 7/12 last year"), END)[:2] != (D(2024, 12, 7), D(2024, 12, 7))


# --------------------------------------------------------------------------- words that are not filters
@pytest.mark.parametrize("said", ["top 10 best sellers, the girls keep asking what to push",
                                  "make 3 personas I can pin up for the girls", "ring list for our boys: who's at risk"])
def test_the_staff_called_the_girls_are_no_gender_filter(said):
    assert "gender" not in (read(said).get("filters") or {})


@pytest.mark.parametrize("said", ["revenue from girls", "do the girls who shop here spend more", "only women"])
def test_women_and_girls_as_customers_stay_the_gender(said):
    assert read(said)["filters"]["gender"] == ["F"]


@pytest.mark.parametrize("said, value", [("profit per client for the trade accounts", "B2B"),
                                         ("lifetime value of trade clients", "B2B")])
def test_trade_clients_are_the_business_customers(said, value):
    got = extract(clean(said), {**VALUES, "customers": {**VALUES["customers"], "customer_type": ["B2B", "B2C"]}}, END)[0]
    assert got["filters"]["customer_type"] == [value]


def test_a_value_ending_in_y_said_in_the_plural_is_the_value():
    values = {**VALUES, "feedback": {"topic": ["delivery", "price", "quality"]}}
    assert extract(clean("any comments about deliveries being late"), values, END)[0]["filters"] == {"topic": ["delivery"]}


# --------------------------------------------------------------------------- turns opened with "actually", "ah"
def test_a_reset_opened_with_actually_or_ok_is_a_reset_then_the_question():
    from helpers import demo_session

    s = demo_session(300, 3)[0]
    s.chat("revenue in 2025")
    s.chat("only France")
    a = s.chat("actually, scrap the filters - churn rate please")
    assert a.analysis == "churn" and not s.conversation.filters and "France" not in a.understood
    s.chat("only web")
    s.chat("ok reset filters")
    assert not s.conversation.filters


def test_a_correction_opened_with_ah_replaces_the_value():
    from helpers import demo_session

    s = demo_session(300, 3)[0]
    s.chat("revenue by month in 2025")
    s.chat("Japan only")
    a = s.chat("ah sorry i mean Germany")
    assert a.params["filters"] == {"country": ["Germany"]}, a.params


# --------------------------------------------------------------------------- one concentration figure
@pytest.mark.parametrize("said", ["what share of revenue comes from the top 10 customers",
                                  "top 10% customers make what share of revenue",
                                  "how much of our turnover is from the top 5% of accounts?"])
def test_a_share_of_the_top_customers_is_one_figure_not_the_five_forces_guide(said):
    from helpers import demo_session

    s = demo_session(300, 3)[0]
    assert s._route(said).analysis == "overview"


def test_a_share_asked_for_the_five_forces_is_the_five_forces():
    from helpers import demo_session

    s = demo_session(300, 3)[0]
    assert s._route("share of revenue from the top 10% of customers, for our porter's five forces").analysis == "five_forces"

"""Questions in Greek (its letters or Greeklish) and Malay, and in the plain words of people new to the trade
(issue 16): measures, periods, breakdowns, inactivity and horizons; a month span "of this year"; a day range
said "from the 18th to the 24th of December"; a count of people "who spent the most"; what someone "usually
spends each visit"; and three turns of a conversation (a bare year, "let us start again", "without any
filter"). The phrasings are this file's own, not the corpus authors'."""
import datetime as dt

import pytest

from helpers import demo_session, session, telco_export

from custlens.conversation import Conversation
from custlens.slots import clean, extract

pytestmark = pytest.mark.usefixtures("router_cache")

D = dt.date
END = D(2025, 12, 31)
VALUES = {"transactions": {"channel": ["app", "store", "web"], "category": ["Beauty", "Kitchen", "Pet"],
                           "country": ["Germany", "Italy", "Japan", "Singapore", "Spain"]},
          "customers": {"customer_type": ["B2B", "B2C"], "gender": ["F", "M", "X"]}}


def read(text: str) -> dict:
    return extract(clean(text), VALUES, END)[0]


def some(got: dict, expected: dict) -> dict:
    return {k: got.get(k) for k in expected}


@pytest.fixture(scope="module")
def demo():
    return demo_session(300, 7)[0]


@pytest.fixture(scope="module")
def telco(tmp_path_factory):
    return session(telco_export(tmp_path_factory.mktemp("telco")))


@pytest.mark.parametrize("said, expected", [
    # Greek
    ("πωλήσεις ανά μήνα πέρσι", {"metric": "revenue", "grain": "month", "start": D(2024, 1, 1), "end": D(2024, 12, 31)}),
    ("poses paraggelies fetos stin Ιταλία", {"metric": "orders", "start": D(2025, 1, 1),
                                              "filters": {"country": ["Italy"]}}),
    ("τζίρος τους τελευταίους 4 μήνες ανά κανάλι", {"metric": "revenue", "start": D(2025, 9, 1), "by": ["channel"]}),
    ("posoi pelates apo Γερμανία", {"metric": "customers", "filters": {"country": ["Germany"]}}),
    ("μέση αξία παραγγελίας φέτος", {"metric": "aov", "start": D(2025, 1, 1)}),
    # Malay
    ("jualan bulan lepas ikut saluran", {"metric": "revenue", "start": D(2025, 12, 1), "by": ["channel"]}),
    ("berapa ramai pelanggan tahun lepas", {"metric": "customers", "start": D(2024, 1, 1), "end": D(2024, 12, 31)}),
    ("jualan suku ketiga 2024", {"start": D(2024, 7, 1), "end": D(2024, 9, 30)}),
    ("pesanan dari Jepun tahun ni", {"metric": "orders", "filters": {"country": ["Japan"]}, "start": D(2025, 1, 1)}),
    # plain words
    ("takings from October to December of this year", {"start": D(2025, 10, 1), "end": D(2025, 12, 31)}),
    ("sales in february, march and april of last year", {"start": D(2024, 2, 1), "end": D(2024, 4, 30)}),
    ("orders from the 3rd to the 9th of March 2025", {"start": D(2025, 3, 3), "end": D(2025, 3, 9)}),
    ("who are the fifteen people who have spent the most money with us", {"top": 15}),
    ("what do people usually spend each time they visit", {"metric": "aov"}),
    ("what is the typical amount spent on a single order", {"metric": "aov"}),
])
def test_measures_periods_and_breakdowns(said, expected):
    got = read(said)
    assert some(got, expected) == expected, (said, clean(said), got)


def test_greek_and_malay_inactivity_and_horizon(demo):
    for said, days in (("πελάτες που δεν έχουν αγοράσει τίποτα εδώ και 5 μήνες", 150),
                       ("senarai pelanggan yang 60 hari tak beli", 60),
                       ("pelanggan tak beli apa-apa dalam 2 bulan", 60)):
        route = demo._route(clean(said))
        assert (route.analysis, route.params.get("inactive_days")) == ("churn", days), (said, clean(said))
    assert demo._route(clean("CLV για τους επόμενους 9 μήνες"), analysis="clv").params["horizon"] == 9


def test_malay_churn_by_contract_type(telco):
    route = telco._route(clean("kadar churn ikut jenis kontrak"))
    assert route.analysis == "churn" and route.params["by"] == ["contract"]


def chat(s, *turns):
    s.conversation, s.history = Conversation(), []
    return [s.chat(t) for t in turns]


def test_a_bare_year_after_an_answer_moves_its_period(demo):
    answers = chat(demo, "revenue in Spain in 2025", "2024?", "2023")
    assert [str(a.params["start"]) for a in answers] == ["2025-01-01", "2024-01-01", "2023-01-01"]
    assert all(a.params["filters"] == {"country": ["Spain"]} for a in answers)


@pytest.mark.parametrize("reset", ["Thank you. Let us start again: revenue by month",
                                   "Now, without any filter, please show revenue by month.",
                                   "with no filters, revenue by month"])
def test_starting_again_said_in_full_sentences_clears_the_scope(demo, reset):
    answers = chat(demo, "revenue for Germany in 2024", reset)
    assert not answers[-1].params.get("filters") and answers[-1].params.get("start") is None, reset
    assert answers[-1].params["grain"] == "month"

"""Questions as people who know none of the trade's words ask them (issue 16): breakdowns said as "each of the
regions" or "the different age groups", products as "goods", "things" and "stuff", one kind of customer set against
"ordinary people", "guys or girls" and "whether they're men or women", "the summer last year", "from the start of
2024", "the last few months", "every three months", "half of year", and a South Asian "party-wise" and Ukrainian
"prodazhi". The phrasings are this file's own, not the corpus authors'; the look-alikes keep their meaning ("a
different country", "cost of goods", "first half of year", "the guys in Germany")."""
import datetime as dt

import pytest

from helpers import demo_session

from custlens.slots import clean, extract

pytestmark = pytest.mark.usefixtures("router_cache")

D = dt.date
END = D(2025, 12, 31)
VALUES = {"transactions": {"channel": ["app", "store", "web"], "category": ["Beauty", "Kitchen", "Pet"],
                           "product": ["Blender", "Yoga Mat", "Desk Lamp"],
                           "country": ["Canada", "France", "Germany", "Italy", "Japan", "Netherlands", "Spain"]},
          "customers": {"customer_type": ["B2B", "B2C"], "gender": ["F", "M", "X"], "age": [],
                        "region": ["Asia Pacific", "Europe", "Latin America", "North America"]}}


def read(text: str) -> dict:
    return extract(clean(text), VALUES, END)[0]


def some(got: dict, expected: dict) -> dict:
    return {k: got.get(k) for k in expected}


@pytest.mark.parametrize("said, expected", [
    # the groups apart: a breakdown
    ("how did revenue look in each of the regions last year", {"by": ["region"], "start": D(2024, 1, 1)}),
    ("orders for the various channels in 2023", {"by": ["channel"], "end": D(2023, 12, 31)}),
    ("average spend for the different age groups", {"by": ["age"]}),
    ("revenue in different countries", {"by": ["country"]}),
    # products said as goods, things and stuff, ranked
    ("which goods sold best in 2024", {"by": ["product"]}),
    ("which of our things bring in the most money", {"by": ["product"], "metric": "revenue"}),
    ("what stuff sells most on the app", {"by": ["product"], "filters": {"channel": ["app"]}}),
    # one kind of customer and the everyday kind: both, side by side
    ("do businesses spend more than ordinary customers", {"by": ["customer_type"], "filters": None}),
    ("orders from business buyers or the regular shoppers", {"by": ["customer_type"], "filters": None}),
    ("who orders more often, guys or girls?", {"by": ["gender"], "filters": None}),
    ("revenue for women, for men and for everyone else", {"by": ["gender"], "filters": None}),
    ("whether they are women or men, how much do they spend", {"by": ["gender"], "filters": None}),
    # periods in everyday words
    ("revenue over the summer last year", {"start": D(2024, 6, 1), "end": D(2024, 8, 31)}),
    ("what did we take for each country over the summer last year", {"by": ["country"], "start": D(2024, 6, 1),
                                                                     "end": D(2024, 8, 31)}),
    ("did we sell more over the summer this year than last summer", {"compare": [(D(2024, 6, 1), D(2024, 8, 31)),
                                                                                 (D(2025, 6, 1), D(2025, 8, 31))]}),
    ("turnover from the beginning of 2024 until the end of march 2025", {"start": D(2024, 1, 1), "end": D(2025, 3, 31)}),
    ("orders in the past few months", {"start": D(2025, 10, 1), "end": END}),
    ("sales for the last couple of months", {"start": D(2025, 11, 1), "end": END}),
    ("revenue for every three months in 2024", {"grain": "quarter", "start": D(2024, 1, 1)}),
    # South Asian and Ukrainian words
    ("party wise revenue for 2025", {"by": ["customer"], "metric": "revenue"}),
    ("prodazhi in 2024 by country", {"metric": "revenue", "by": ["country"]}),
    ("скільки замовлень in Kitchen", {"metric": "orders", "filters": {"category": ["Kitchen"]}}),
    ("3 customer profiles for the b2b buyers", {"k": 3, "filters": {"customer_type": ["B2B"]}}),
    # a column said as a clause
    ("put the customers in groups by how old they are", {"by": ["age"]}),
    ("revenue for each kind of goods in 2025", {"by": ["category"]}),
    ("is churn higher in some of the regions than in others", {"by": ["region"]}),
])
def test_a_newcomers_words(said, expected):
    assert some(read(said), expected) == expected


@pytest.mark.parametrize("said, expected", [
    ("sales for a different country", {"by": None}),
    ("cost of goods by month", {"by": ["period"]}),
    ("first half of year revenue", {"start": D(2025, 1, 1), "end": D(2025, 6, 30), "inactive_days": None}),
    ("revenue from the guys in germany", {"filters": {"country": ["Germany"]}}),
    ("revenue from business customers", {"filters": {"customer_type": ["B2B"]}, "by": None}),
    ("orders over the summer", {"start": D(2025, 6, 1), "end": D(2025, 8, 31)}),
])
def test_words_that_look_alike_keep_their_meaning(said, expected):
    assert some(read(said), expected) == expected


@pytest.fixture(scope="module")
def demo():
    return demo_session(300, 7)[0]


def test_a_newcomer_asks_by_product_and_by_kind_of_customer(demo):
    """Through the Session on the demo: the breakdown asked in everyday words is the answer's table, with a row per
    product or per kind of customer, and the narrative names the largest of them."""
    things = demo.ask("which of my things bring in the most money")
    assert things.analysis == "overview" and things.params.get("by") == ["product"]
    table = things.tables[0].frame
    assert "product" in table.columns and len(table) > 3
    kinds = demo.ask("do businesses spend more than ordinary customers")
    assert kinds.params.get("by") == ["customer_type"] and not kinds.params.get("filters")
    rows = kinds.tables[0].frame
    assert set(rows["customer_type"]) == {"B2B", "B2C"}
    quiet = demo.ask("which customers have not ordered for half of a year")
    assert quiet.analysis == "churn" and quiet.params.get("inactive_days") == 180

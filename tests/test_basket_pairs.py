"""Two products asked about as a pair ("how many baskets have both X and Y", "are X and Y bought
together", "do people buy X with Y"): the basket analysis's answer about the two, led by how often
they are together, each one's share with the other and the lift; never the baskets holding either."""

import datetime as dt

import pandas as pd
import pytest

from custlens import Session
from custlens.errors import ParamsError

#: 120 baskets: apples and bread together in 24, apples alone 12 (with milk), bread alone 24 (with
#: cheese), 60 of tea (baskets of every length: a basket file). Apples 36, bread 48: apples -> bread 66.7%, bread -> apples 50%,
#: lift 24 * 120 / (36 * 48) = 1.67
BASKETS = ["apples,bread"] * 24 + ["apples,milk"] * 12 + ["bread,cheese"] * 24 + ["tea,biscuits"] * 45 + ["tea,biscuits,jam"] * 10 + ["tea,jam,honey,scones"] * 5


@pytest.fixture(scope="module")
def baskets(tmp_path_factory):
    path = tmp_path_factory.mktemp("pairs") / "till_rolls.csv"
    path.write_text("\n".join(BASKETS) + "\n")
    return Session(data=[str(path)], entry_points=False)


def pair_of(answer):
    return {r[0]: dict(zip(answer.table("pair").columns, r)) for r in answer.table("pair").rows}


@pytest.mark.parametrize("question", [
    "how many baskets have both apples and bread",
    "are apples and bread bought together much?",
    "apples & bread in the same basket: how often?",
    "do people buy apples with bread",
    "what share of receipts contain both the apples and bread",
    "how often do apples and bread end up together",
])
def test_a_pair_is_counted_together(baskets, question):
    a = baskets.fork().chat(question)
    assert a.analysis == "basket" and "paired_with=bread" in a.understood and "product=apples" in a.understood
    pair = pair_of(a)
    assert pair["apples"]["baskets"] == 36 and pair["bread"]["baskets"] == 48
    assert pair["apples"]["baskets_together"] == 24
    assert pair["apples"]["with_the_other"] == pytest.approx(24 / 36) and pair["bread"]["with_the_other"] == 0.5
    assert pair["apples"]["lift"] == pytest.approx(24 * 120 / (36 * 48))
    # the narrative from the table: the pair first, then each one's share with the other
    assert a.summary.startswith("**apples and bread are bought together in 24 of 120 baskets (20.0%)**: 66.7% of the "
                                "36 baskets with apples hold bread, and 50.0% of the 48 with bread hold apples; lift 1.67 "
                                "(more often together"), a.summary


def test_a_pair_never_seen_together_says_so_and_a_misspelt_name_is_read_as_meant(baskets):
    a = baskets.fork().chat("are aples and tea bought together")  # "aples": the item apples, said so
    assert pair_of(a)["apples"]["baskets_together"] == 0 and "product=apples" in a.understood
    assert a.summary.startswith("**apples and tea are bought together in 0 of 120 baskets (0.0%)**.")


def test_one_product_stays_what_goes_with_it(baskets):
    a = baskets.fork().chat("what goes with apples")
    assert a.analysis == "basket" and "pair" not in [t.name for t in a.tables]
    assert a.params.get("paired_with") is None


def test_the_same_product_twice_is_a_clear_error(baskets):
    with pytest.raises(ParamsError, match="both read as 'apples'"):
        baskets.run("basket", {"product": "apples", "paired_with": "apple"})


def test_a_pair_in_orders_of_sales_lines(tmp_path):
    """Sales lines: an order is a basket. Coffee and filters share 3 of 5 orders; one customer buying
    them in two orders is no pair."""
    rows = []
    for i, items in enumerate([["Coffee", "Filters"], ["Coffee", "Filters", "Mug"], ["Coffee", "Filters"],
                               ["Coffee"], ["Filters"]]):
        for item in items:
            rows.append({"order_id": f"O{i}", "customer_id": f"C{i % 3}", "order_date": dt.date(2024, 1, 1 + i),
                         "product": item, "amount": 10.0})
    path = tmp_path / "orders.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    s = Session(data=[str(path)], entry_points=False)
    a = s.fork().chat("how many orders had both coffee and filters in them")
    assert a.analysis == "basket"
    pair = pair_of(a)
    assert pair["Coffee"]["baskets"] == 4 and pair["Filters"]["baskets_together"] == 3
    assert "3 of 5 baskets" in a.summary and "Only 3 baskets hold both: a small sample." in a.summary
    # so few orders that no rule passes: an answer that says so, not a crash (it raised KeyError)
    alone = s.fork().chat("what goes with the mug")
    assert alone.analysis == "basket" and "no rule passes the thresholds" in " ".join(alone.warnings)


def test_words_that_only_look_like_a_pair_are_none(baskets, orders_csv):
    a = baskets.fork().chat("what goes well with the apples in the same basket")
    assert a.analysis == "basket" and a.params.get("product") == "apples" and not a.params.get("paired_with")
    s = Session(data=[str(orders_csv)], entry_points=False)
    for question in ("total revenue for Tools + Toys together in 2023", "revenue by country and category together"):
        a = s.fork().chat(question)
        assert a.analysis == "overview" and not a.params.get("paired_with"), question

"""Feedback names the product, the sales put each product in a category: "reviews of the Beauty category"
are the feedback on the Beauty products (it answered with every review and "not applied: category = Beauty").
The category said with its name ("the Kitchen category split across channels", "category Kitchen", "the
Outdoor and Fitness categories") is a filter, with no breakdown by category beside it."""

import pandas as pd
import pytest

from custlens import Session
from custlens.errors import ParamsError

PRODUCTS = {"Lipstick": "Beauty", "Perfume": "Beauty", "Kettle": "Kitchen", "Toaster": "Kitchen",
            "Tent": "Outdoor", "Dumbbell": "Fitness"}


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    folder = tmp_path_factory.mktemp("shop")
    orders, feedback = [], []
    for i in range(240):
        product = list(PRODUCTS)[i % 6]
        orders.append({"order_id": f"O{i}", "customer_id": f"C{i % 40}", "order_date": f"2024-{1 + i % 12:02d}-10",
                       "product": product, "category": PRODUCTS[product], "channel": ["app", "web", "store"][i % 3],
                       "amount": 10.0 * (1 + i % 6)})
    for i in range(120):
        product = list(PRODUCTS)[i % 6]
        beauty = PRODUCTS[product] == "Beauty"  # every Beauty review scores 2 and complains; the others 9
        feedback.append({"customer_id": f"C{i % 40}", "date": f"2024-{1 + i % 12:02d}-20", "product": product,
                         "score": 2 if beauty else 9,
                         "comment": "Terrible, it broke and smells awful." if beauty else "Lovely, works great."})
    feedback.append({"customer_id": "C1", "date": "2024-05-05", "product": "Gift card", "score": 5,
                     "comment": "Fine."})  # a product no sale names: in no category
    pd.DataFrame(orders).to_csv(folder / "orders.csv", index=False)
    pd.DataFrame(feedback).to_csv(folder / "feedback.csv", index=False)
    s = Session(data=[f"transactions={folder / 'orders.csv'}", f"feedback={folder / 'feedback.csv'}"],
                entry_points=False)
    return s, pd.DataFrame(orders), pd.DataFrame(feedback)


@pytest.mark.parametrize("question", ["sentiment of reviews for the Beauty category", "any complaints on beauty stuff?",
                                      "what do reviews of Beauty products say"])
def test_feedback_on_a_category_is_the_feedback_on_its_products(shop, question):
    s, _, feedback = shop
    a = s.fork().ask(question)
    assert a.analysis == "feedback" and a.params["filters"].get("category") == ["Beauty"]
    assert "not applied" not in a.understood and "category = Beauty" in a.understood
    beauty = feedback[feedback["product"].map(PRODUCTS) == "Beauty"]
    assert f"{len(beauty)} comments" in a.summary.replace("**", "")
    assert "0.0% positive" in a.summary.replace("**", "")  # only the planted complaints


def test_a_category_the_sales_do_not_have_is_said(shop):
    s, _, _ = shop
    with pytest.raises(ParamsError, match=r"no 'garden' in category: Beauty, Fitness, Kitchen, Outdoor"):
        s.fork().ask("reviews for the Garden category")


@pytest.mark.parametrize("question,by", [("how does the Kitchen category split across channels", ["channel"]),
                                         ("Kitchen category revenue by channel", ["channel"]),
                                         ("revenue by channel, category Kitchen", ["channel"]),
                                         ("top 3 products in the category Kitchen", ["product"])])
def test_a_category_said_with_its_name_is_a_filter_not_a_breakdown(shop, question, by):
    s, orders, _ = shop
    a = s.fork().ask(question)
    assert a.params["filters"] == {"category": ["Kitchen"]} and a.params["by"] == by
    table = a.tables[0].frame
    kitchen = orders[orders.category == "Kitchen"]
    assert float(table["revenue"].sum()) == pytest.approx(kitchen.amount.sum())


def test_two_categories_said_with_their_name_are_both_kept(shop):
    s, orders, _ = shop
    a = s.fork().ask("Outdoor and Fitness categories - revenue by channel")
    assert sorted(a.params["filters"]["category"]) == ["Fitness", "Outdoor"] and a.params["by"] == ["channel"]
    both = orders[orders.category.isin(["Outdoor", "Fitness"])]
    assert float(a.tables[0].frame["revenue"].sum()) == pytest.approx(both.amount.sum())


@pytest.mark.parametrize("question", ["revenue by channel app web store", "orders per category Kitchen Beauty and Pet"])
def test_values_listed_after_a_breakdown_by_their_column_stay_its_examples(shop, question):
    s, _, _ = shop
    a = s.fork().ask(question)
    assert not a.params.get("filters") and len(a.params["by"]) == 1


def test_satisfaction_of_a_category_is_of_the_answers_about_its_products(shop):
    """Loyalty's NPS reads the feedback through the same scope: the answers about the Beauty products (every
    one scores 2: NPS -100), not every answer of the customers who once bought something Beauty."""
    s, _, feedback = shop
    a = s.fork().ask("NPS for the Beauty category")
    beauty = feedback[feedback["product"].map(PRODUCTS) == "Beauty"]
    said = a.summary.replace("**", "")
    assert "NPS is -100.0" in said and f"from {len(beauty)} answers" in said


@pytest.mark.parametrize("question", ["how much did the Kitchen category bring in?",
                                      "Kitchen category sales please"])
def test_the_sales_of_a_category_said_with_its_name_stay_sales(shop, question):
    """The column's name said with its value made no breakdown, and was taken from what the router reads too:
    "how much did the Pet category bring in" went to lifetime value."""
    s, orders, _ = shop
    a = s.fork().ask(question)
    assert a.analysis == "overview" and a.params["filters"] == {"category": ["Kitchen"]}
    kitchen = orders[orders.category == "Kitchen"]
    assert f"{kitchen.amount.sum():,.0f}" in a.summary.replace("**", "")

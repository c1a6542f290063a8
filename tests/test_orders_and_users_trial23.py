"""An online shop's order lines and its users in two files, as a stranger's trial brought them (trial 23,
TheLook's BigQuery export): the users file lists everyone who signed up (created_at), buyers or not, and
writes a missing city as the text "null". Planted answers: "how many customers never placed an order" is
the users without a purchase, not a churn rate; "how many customers do we have in China" counts the users
in China beside the buyers there; "how many signed up in 2025" reads the signup dates, not the orders;
a "null" city is a blank, never a city of its own at the top of a ranking."""

import pandas as pd
import pytest

from helpers import session

COUNTRIES = ["China", "Brasil", "United States"]


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    """90 users (user u in COUNTRIES[u % 3], signed up in January-April of 2024 when u < 40, else of 2025; every fifth user's city
    "null"); the first 30 users buy: user u places orders on days u and u + 100 of 2025 when u is even, once
    when odd, each of one line worth 10 + u, from the city "Big City" unless null."""
    root = tmp_path_factory.mktemp("thelook")
    users = pd.DataFrame({
        "id": list(range(90)),
        "first_name": [f"U{u}" for u in range(90)],
        "country": [COUNTRIES[u % 3] for u in range(90)],
        "city": ["null" if u % 5 == 0 else f"Town {u % 4}" for u in range(90)],
        "created_at": [f"{2024 if u < 40 else 2025}-{u % 4 + 1:02d}-03 10:00:00" for u in range(90)],
    })
    lines = []
    for u in range(30):
        for k, day in enumerate([u, u + 100] if u % 2 == 0 else [u]):
            lines.append({"id": len(lines), "order_id": u * 10 + k, "user_id": u, "status": "Complete",
                          "created_at": (pd.Timestamp("2025-01-01") + pd.Timedelta(days=day)).strftime("%Y-%m-%d %H:%M:%S"),
                          "sale_price": 10.0 + u})
    orders = pd.DataFrame(lines)
    users.to_csv(root / "users.csv", index=False)
    orders.to_csv(root / "order_items.csv", index=False)
    return session(root / "order_items.csv", root / "users.csv"), users, orders


def test_customers_who_never_placed_an_order_are_the_users_without_a_purchase(shop):
    s, users, orders = shop
    a = s.fork().ask("How many customers never placed an order?")
    never = len(set(users.id) - set(orders.user_id))
    assert a.analysis == "overview" and f"{never:,} never bought" in a.summary  # 60 of 90


def test_how_many_customers_in_a_country_counts_the_customers_table_beside_the_buyers(shop):
    s, users, orders = shop
    a = s.fork().ask("How many customers do we have in China?")
    listed = users[users.country == "China"]
    bought = listed.id.isin(orders.user_id).sum()
    assert f"lists **{len(listed):,} customers**" in a.summary
    assert f"{bought:,} of whom bought: **{len(listed) - bought:,} never bought**" in a.summary


def test_signups_in_a_year_are_read_from_the_signup_dates(shop):
    s, users, _ = shop
    a = s.fork().ask("How many customers signed up in 2025?")
    assert a.params.get("signups") is True
    head = a.table("headline").frame.set_index("measure")["value"]
    assert int(head["customers"]) == int((users.created_at.str[:4] == "2025").sum())  # 50, not the 2025 buyers


def test_a_null_city_is_a_blank_not_a_city(shop):
    s, users, orders = shop
    a = s.fork().ask("top 10 cities by revenue")
    cities = a.table(next(t.name for t in a.tables if t.columns and t.columns[0] == "city")).column("city")
    assert "null" not in cities
    lead = a.summary.split("Overall")[0]
    assert "(blank)" not in lead and "Lines with no city bring" in lead  # no city is not ranked as one
    assert any("'null' read as blank" in w for w in a.warnings)  # said, with the column


def test_an_average_over_a_handful_of_customers_is_said_to_be_a_small_sample(shop):
    s, users, orders = shop
    a = s.fork().ask("average order value by country")  # 10 buyers per country
    assert "only 10 customers: a small sample" in a.summary
    a = s.fork().ask("revenue by country")  # a sum is no estimate: nothing to caveat
    assert "small sample" not in a.summary

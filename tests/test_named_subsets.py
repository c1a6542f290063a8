"""A subset the question names is applied, never dropped (trial 7, classes 1, 6 and 7): a product
named by the leading words its variants share ("Leila Pullover" of "Leila Pullover - Noire / S"),
a country named in words where the orders hold ISO codes and the customers names, and money said
per period ("monthly bill") on a customers table. Through Session, on small files written here."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from custlens import Session
from custlens.errors import ParamsError

pytestmark = pytest.mark.usefixtures("router_cache")

#: the variants of two product families, with (quantity per line, price)
FAMILIES = {"Leila Pullover": (2, 100.0), "Omni Bra Top": (1, 40.0)}
COLOURS = ("Noire", "Sand")
SIZES = ("S", "M")
#: each customer's country: in the orders as a code, in the customers file as a name
COUNTRIES = {"CA": "Canada", "AU": "Australia", "US": "United States"}


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    """orders.csv: 4 variants of each family (each sold on 3 lines) beside 300 one-off products
    (more than the 300 values a column is otherwise listed with), the country as an ISO code;
    customers.csv: the same customers' countries as names."""
    folder = tmp_path_factory.mktemp("shop")
    rows, n = [], 0
    codes = list(COUNTRIES)

    def line(product, quantity, price):
        nonlocal n
        n += 1
        rows.append({"order_id": f"#{1000 + n}", "customer_id": f"C{n % 12:02d}",
                     "order_date": dt.date(2024, 1 + n % 12, 1 + n % 27), "product": product,
                     "quantity": quantity, "amount": quantity * price, "country": codes[(n % 12) % 3]})

    for family, (quantity, price) in FAMILIES.items():
        for colour in COLOURS:
            for size in SIZES:
                for _ in range(3):
                    line(f"{family} - {colour} / {size}", quantity, price)
    for i in range(300):
        line(f"Velvet Sock {i:03d}", 1, 5.0)
    orders = pd.DataFrame(rows)
    orders.to_csv(folder / "orders.csv", index=False)
    customers = pd.DataFrame({"customer_id": [f"C{i:02d}" for i in range(12)],
                              "signup_date": ["2023-06-01"] * 12,
                              "country": [COUNTRIES[codes[i % 3]] for i in range(12)]})
    customers.to_csv(folder / "customers.csv", index=False)
    return folder, orders


@pytest.fixture
def session(shop):
    folder, _ = shop
    return Session(data=[str(folder / "orders.csv"), str(folder / "customers.csv")], entry_points=False)


def headline(answer):
    return dict(answer.table("headline").rows)


def test_a_product_family_filters_to_all_its_variants(session, shop):
    _, orders = shop
    leila = orders[orders["product"].str.startswith("Leila Pullover")]
    a = session.ask("how many Leila Pullover did we sell")
    assert sorted(a.params["filters"]["product"]) == sorted(leila["product"].unique())
    assert headline(a)["units"] == leila["quantity"].sum() == 24
    assert "product = Leila Pullover (4 variants)" in a.understood
    omni = orders[orders["product"].str.startswith("Omni Bra Top")]
    b = session.ask("revenue from Omni Bra Top")
    assert headline(b)["revenue"] == omni["amount"].sum() == 480.0


def test_an_exact_variant_filters_to_it(session, shop):
    _, orders = shop
    a = session.ask("units sold of Leila Pullover - Noire / S")
    assert a.params["filters"]["product"] == ["Leila Pullover - Noire / S"]
    assert headline(a)["units"] == orders.loc[orders["product"] == "Leila Pullover - Noire / S", "quantity"].sum() == 6


def test_an_unknown_product_is_a_short_clear_error(session):
    with pytest.raises(ParamsError) as err:
        session.ask("revenue for Zebra Pullover")
    message = str(err.value)
    assert "Zebra Pullover" in message and "product" in message and "Leila Pullover" in message
    assert len(message) < 400, message  # a few close values of one column, not every column's values


def test_country_names_find_the_codes_of_the_orders(session, shop):
    _, orders = shop
    a = session.ask("revenue for Canada")
    assert a.params["filters"] == {"country": ["CA"]}
    assert headline(a)["revenue"] == orders.loc[orders["country"] == "CA", "amount"].sum()
    b = session.ask("how many orders from Australia")
    assert headline(b)["orders"] == orders.loc[orders["country"] == "AU", "order_id"].nunique()
    session.chat("revenue by month")
    c = session.chat("and for Canada?")
    assert c.params["filters"] == {"country": ["CA"]}
    assert headline(c)["revenue"] == headline(a)["revenue"]


@pytest.fixture
def telco(tmp_path):
    contracts = {"Month-to-month": [70.0, 80.0, 90.0], "One year": [50.0, 60.0], "Two year": [20.0, 30.0, 40.0]}
    rows = []
    for contract, charges in contracts.items():
        for i, charge in enumerate(charges):
            rows.append({"customerID": f"{contract[:3]}-{i}", "Contract": contract, "tenure": 5 + i,
                         "MonthlyCharges": charge, "TotalCharges": charge * (5 + i),
                         "Churn": "Yes" if contract == "Month-to-month" and i < 2 else "No"})
    path = tmp_path / "telco.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return Session(data=[str(path)], entry_points=False)


def test_monthly_bill_is_the_monthly_charges_column_not_a_grain(telco):
    a = telco.ask("average monthly bill by contract type")
    assert a.params["measure"] == "monthly_charges" and a.params["stat"] == "mean"
    assert "period" not in (a.params.get("by") or [])
    means = {r[0]: r[-1] for r in a.tables[1].rows}
    assert means == {"Month-to-month": 80.0, "One year": 55.0, "Two year": 30.0}, a.tables[1].rows
    assert "read 'monthly bill' as monthly_charges" in a.understood


@pytest.mark.parametrize("question", ["what's the average monthly bill of churned customers",
                                      "average monthly fee by churn", "mean monthly payment per churned"])
def test_monthly_money_words_read_the_column(telco, question):
    a = telco.ask(question)
    assert a.params.get("measure") == "monthly_charges", (question, a.understood)
    assert "grain=" not in a.understood and "period" not in (a.params.get("by") or [])

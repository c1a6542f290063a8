"""Misreadings a stranger's trial found on public data (CDNOW, Telco, Groceries, the demo), fixed by
class and checked here on small files with planted answers (none needs ../shared/data):

1. "customers who first bought/joined/signed up in PERIOD": an acquisition cohort (their first purchase in
   the period, every later purchase counted), said on the first line, not a window on the purchases.
2. "of/among churned customers", "customers who left": a filter on the churn flag, not a breakdown by it.
3. "churn by contract and payment method": both attributes crossed in one table.
4. "which customers spent the most": the top customers by revenue (overview), not CLV.
5. "are X or Y more popular?": each product's own figures side by side, not one filter of both.
6. "monthly revenue lost to churned customers" on a customers table: their charges summed, with its share.
7. "products by country": a product breakdown by country, not profitability.
8. After CLV, "which of those are about to lapse" stays on CLV's customers (probability alive)."""

import datetime as dt

import pytest

from helpers import demo_session, numbers, session, write

from custlens.errors import CustlensError


# ------------------------------------------------------------------ orders with planted cohorts
#: (customer, day, amount, product, country): January 2024 buyers C1-C4 (C1 and C2 come back in March and
#: June), February 2024 buyers C5-C7 (C5 back in April); C9 first bought in December 2023 and buys again in
#: January 2024, so a window on January's purchases would count it and a cohort must not.
ORDERS = [
    ("C1", "2024-01-05", 100.0, "Lamp", "Germany"), ("C1", "2024-03-10", 300.0, "Desk", "Germany"),
    ("C2", "2024-01-20", 50.0, "Lamp", "France"), ("C2", "2024-06-01", 150.0, "Chair", "France"),
    ("C3", "2024-01-11", 20.0, "Lamp", "Germany"), ("C4", "2024-01-31", 30.0, "Chair", "France"),
    ("C5", "2024-02-02", 40.0, "Desk", "Germany"), ("C5", "2024-04-02", 60.0, "Lamp", "Germany"),
    ("C6", "2024-02-14", 70.0, "Chair", "France"), ("C7", "2024-02-29", 80.0, "Lamp", "Germany"),
    ("C9", "2023-12-01", 500.0, "Desk", "France"), ("C9", "2024-01-15", 900.0, "Desk", "France"),
]
JANUARY = {"customers": 4, "orders": 6, "revenue": 650.0}  # C1-C4, all their orders
JANUARY_LATER = 450.0  # what C1 and C2 bought after January


@pytest.fixture
def orders(tmp_path):
    rows = [["customer_id", "order_id", "order_date", "amount", "product", "country"]]
    rows += [[c, f"O{i:03d}", day, str(amount), product, country]
             for i, (c, day, amount, product, country) in enumerate(ORDERS)]
    return session(write(tmp_path / "orders.csv", rows))


def headline(answer) -> dict:
    return dict(answer.table("headline").rows)


@pytest.mark.parametrize("question", [
    "revenue from customers who first bought in January 2024",
    "total sales of the customers who made their first purchase in January 2024",
    "revenue from customers who signed up in January 2024",
])
def test_first_bought_in_a_period_is_an_acquisition_cohort(orders, question):
    a = orders.ask(question)
    assert a.analysis == "overview"
    assert not a.params.get("start") and not a.params.get("end")  # no window on the purchases
    assert a.params["filters"] == {"first_purchase": ["2024-01-01..2024-01-31"]}
    h = headline(a)
    assert h["customers"] == JANUARY["customers"] and h["orders"] == JANUARY["orders"]
    assert h["revenue"] == pytest.approx(JANUARY["revenue"])  # later purchases counted, C9 not
    first = a.understood
    assert "acquired: first purchase in January 2024" in first and "later ones too" in first
    assert "customers whose first purchase is in January 2024" in a.summary
    assert "first_purchase =" not in a.summary


def test_a_cohort_beside_a_window_on_the_purchases(orders):
    a = orders.ask("revenue in Q2 2024 from customers who first bought in January 2024")
    assert (str(a.params["start"]), str(a.params["end"])) == ("2024-04-01", "2024-06-30")
    assert a.params["filters"] == {"first_purchase": ["2024-01-01..2024-01-31"]}
    assert headline(a)["revenue"] == pytest.approx(150.0)  # C2's June order only


@pytest.mark.parametrize("question", ["how many customers who first bought in January 2024 came back",
                                      "how much did customers that joined in jan 2024 spend",
                                      "retention of customers who were acquired in January 2024"])
def test_a_cohort_question_counts_its_customers_only(orders, question):
    a = orders.ask(question)
    if a.analysis == "cohort":  # its period is when its cohorts were acquired: kept, and said so
        assert (str(a.params["start"]), str(a.params["end"])) == ("2024-01-01", "2024-01-31")
        assert "as the cohorts acquired then (their later purchases count)" in a.understood
        long = a.table("cohort_long") if any(t.name == "cohort_long" for t in a.tables) else None
        assert long is None or max(r[long.columns.index("period")] for r in long.rows) == 5  # June counted
    else:
        assert a.params["filters"] == {"first_purchase": ["2024-01-01..2024-01-31"]}
        assert not a.params.get("start") and not a.params.get("end")
        assert "acquired: first purchase in January 2024" in a.understood
    assert "4 customers" in a.summary


def test_the_cohort_stays_in_force_and_a_bad_value_is_said(orders):
    orders.chat("revenue from customers who first bought in February 2024")
    b = orders.chat("by product")
    assert b.params["filters"] == {"first_purchase": ["2024-02-01..2024-02-29"]}
    assert sum(r[1] for r in b.table("by_product").rows) == pytest.approx(250.0)  # C5, C6, C7: 40+60+70+80
    with pytest.raises(CustlensError, match="START..END"):
        orders.run("overview", {"filters": {"first_purchase": ["January"]}})


# ------------------------------------------------------------------ a customers table with a churn flag
#: churned: 4 customers, monthly charges 10+20+30+40 = 100, tenure 1-4 (mean 2.5); staying: 8 at 50 = 400.
#: Crossed: Month-to-month x Electronic check 2 of 2 churned, Month-to-month x Mailed check 1 of 3,
#: One year x Electronic check 1 of 2, One year x Mailed check 0 of 2, Two year x Mailed check 0 of 3.
CUSTOMERS = [
    ("K01", "Yes", "Month-to-month", "Electronic check", 10, 1),
    ("K02", "Yes", "Month-to-month", "Electronic check", 20, 2),
    ("K03", "Yes", "Month-to-month", "Mailed check", 30, 3),
    ("K04", "Yes", "One year", "Electronic check", 40, 4),
    ("K05", "No", "Month-to-month", "Mailed check", 50, 10), ("K06", "No", "Month-to-month", "Mailed check", 50, 10),
    ("K07", "No", "One year", "Electronic check", 50, 20), ("K08", "No", "One year", "Mailed check", 50, 30),
    ("K09", "No", "One year", "Mailed check", 50, 30), ("K10", "No", "Two year", "Mailed check", 50, 40),
    ("K11", "No", "Two year", "Mailed check", 50, 40), ("K12", "No", "Two year", "Mailed check", 50, 40),
]


@pytest.fixture
def telco(tmp_path):
    rows = [["customerID", "Churn", "Contract", "PaymentMethod", "MonthlyCharges", "tenure"]]
    rows += [[c, churn, contract, pay, str(charges), str(tenure)] for c, churn, contract, pay, charges, tenure in CUSTOMERS]
    return session(write(tmp_path / "telco_customers.csv", rows))


@pytest.mark.parametrize("question", ["average monthly charges of churned customers",
                                      "what are the mean monthly charges among the churned customers",
                                      "avg monthly charges for customers who left"])
def test_of_churned_customers_is_a_filter(telco, question):
    a = telco.ask(question)
    assert a.analysis == "overview" and a.params["measure"] == "monthly_charges" and a.params["stat"] == "mean"
    assert list(a.params["filters"]) == ["churned"] and "churned" not in (a.params.get("by") or [])
    h = headline(a)
    assert h["customers"] == 4 and h["average monthly charges"] == pytest.approx(25.0)
    assert "churned" in a.understood and "**25.00** over 4 customers" in a.summary


def test_the_contract_most_common_among_churned_customers(telco):
    a = telco.ask("among churned customers, which contract is most common")
    assert a.analysis == "overview" and a.params["by"] == ["contract"] and list(a.params["filters"]) == ["churned"]
    rows = {r[0]: r[1] for r in a.table("by_contract").rows}
    assert rows == {"Month-to-month": 3, "One year": 1}
    assert "**Month-to-month** with 3 customers (75.0%)" in a.summary


def test_tenure_of_customers_who_left(telco):
    a = telco.ask("tenure of customers who left")
    assert a.analysis == "overview" and a.params["measure"] == "tenure"
    assert headline(a)["average tenure"] == pytest.approx(2.5)


def test_churned_set_against_the_rest_is_still_a_breakdown(telco):
    a = telco.ask("average monthly charges for churned vs not churned")
    assert a.params["by"] == ["churned"] and not a.params.get("filters")
    rows = {r[0]: r[-1] for r in a.table("by_churned").rows}
    assert rows == pytest.approx({"churned": 25.0, "not churned": 50.0})


def test_the_churn_rate_of_the_churned_is_not_applied_and_said(telco):
    a = telco.ask("what is the churn rate of churned customers by contract")
    assert a.analysis == "churn" and not a.params.get("filters")
    assert "not applied: churned" in a.understood
    assert headline(a)["churned"] == 4 and headline(a)["customers"] == 12


@pytest.mark.parametrize("question", ["how much monthly revenue did we lose to churned customers",
                                      "how much money did we lose from customers who left",
                                      "how much monthly revenue walks out the door with the churners?"])
def test_money_lost_to_churn_is_said_with_its_share(telco, question):
    a = telco.ask(question)
    assert a.analysis == "churn" and a.params["lost"] == "monthly_charges"
    h = headline(a)
    assert h["monthly charges of churned customers"] == pytest.approx(100.0)
    assert h["monthly charges of all customers"] == pytest.approx(500.0)
    assert h["share of monthly charges lost"] == pytest.approx(0.2)
    assert a.summary.startswith("Churned customers account for **100.00** of monthly charges (column monthly_charges): "
                                "**20.0%** of the 500.00 of all customers.")
    assert "monthly_charges" in a.understood and h["churned"] == 4


@pytest.mark.parametrize("question", ["total monthly charges of churned customers",
                                      "monthly billing of the churned customers"])
def test_money_of_churned_customers_is_their_charges_and_its_share(telco, question):
    a = telco.ask(question)
    assert a.analysis == "overview" and (a.params["measure"], a.params["stat"]) == ("monthly_charges", "sum")
    assert list(a.params["filters"]) == ["churned"] and not a.params.get("by")
    h = headline(a)
    assert h["total monthly charges"] == pytest.approx(100.0)
    assert h["total monthly charges of all customers"] == pytest.approx(500.0)
    assert h["share of the total"] == pytest.approx(0.2)
    assert "**100.00**" in a.summary and "**20.0%** of the 500.00 of all 12 customers" in a.summary
    assert "monthly_charges" in a.understood


@pytest.mark.parametrize("question", ["churn by contract and payment method",
                                      "churn rate by contract type and payment method",
                                      "how does churn vary by contract and by payment method"])
def test_two_attributes_are_crossed_in_one_table(telco, question):
    a = telco.ask(question)
    assert a.analysis == "churn" and a.params["by"] == ["contract", "payment_method"]
    assert "contract, payment_method" in a.understood
    table = a.table("churn_by_contract_x_payment_method")
    assert table.columns[:2] == ["contract", "payment_method"]
    rates = {(r[0], r[1]): r[table.columns.index("churn rate")] for r in table.rows}
    assert rates == pytest.approx({("Month-to-month", "Electronic check"): 1.0, ("Month-to-month", "Mailed check"): 1 / 3,
                                   ("One year", "Electronic check"): 0.5, ("One year", "Mailed check"): 0.0,
                                   ("Two year", "Mailed check"): 0.0}, abs=1e-4)
    assert sum(r[table.columns.index("customers")] for r in table.rows) == 12
    assert "By contract and payment method: churn is highest for **Month-to-month · Electronic check** (100.0%" \
        in a.summary
    # every rate the narrative states is one of the tables' (the crossed one's included)
    said = {float(n) for n in __import__("re").findall(r"(\d+\.\d)%", a.summary)}
    rates_shown = {round(100 * r[t.columns.index("churn rate")], 1) for t in a.tables if "churn rate" in t.columns
                   for r in t.rows} | {round(100 * headline(a)[rate], 1) for rate in ("churn rate", "retention rate")}
    assert said <= rates_shown
    # the crossed table comes before each attribute's own
    names = [t.name for t in a.tables]
    assert names.index("churn_by_contract_x_payment_method") < names.index("churn_by_contract")


def test_churn_from_purchases_crosses_two_attributes_too():
    s, _ = demo_session(customers=300, seed=5)
    a = s.ask("churn rate by country and channel")
    table = a.table("churn_by_country_x_channel")
    head = headline(a)
    assert sum(r[table.columns.index("customers")] for r in table.rows) == head["customers"]
    assert sum(r[table.columns.index("churned")] for r in table.rows) == head["churned"]
    assert "By country and channel: churn is highest for" in a.summary


# ------------------------------------------------------------------ the top customers, products by country
@pytest.mark.parametrize("question", ["which customers spent the most", "who spent the most money",
                                      "who are our biggest spenders", "which clients have spent the most"])
def test_who_spent_the_most_is_the_top_customers_by_revenue(orders, question):
    a = orders.ask(question)
    assert a.analysis == "overview" and a.params["by"] == ["customer"] and a.params.get("metric", "revenue") == "revenue"
    table = a.table("by_customer")
    assert [r[0] for r in table.rows[:3]] == ["C9", "C1", "C2"]  # 1,400, 400, 200
    assert table.rows[0][1] == pytest.approx(1400.0)


def test_who_will_spend_the_most_stays_a_prediction(orders):
    assert orders._route("which customers will spend the most next year").analysis == "clv"
    assert orders._route("who are the biggest spenders and what are they worth").analysis == "clv"


@pytest.mark.parametrize("question", ["products by country", "top products in each country",
                                      "show me products by country"])
def test_products_by_country_is_a_product_breakdown(orders, question):
    a = orders.ask(question)
    assert a.analysis == "overview" and a.params["by"] == ["product", "country"]
    crossed = a.table("product_x_country")
    desk = next(r for r in crossed.rows if r[0] == "Desk")
    cols = crossed.columns
    assert desk[cols.index("France")] == pytest.approx(1400.0) and desk[cols.index("Germany")] == pytest.approx(340.0)


# ------------------------------------------------------------------ two products side by side
#: whole milk in 5 baskets, yogurt in 3, both in 2; 8 baskets in all
BASKETS = ["whole milk,yogurt,bread", "whole milk,yogurt", "whole milk,soda,rolls/buns,beef", "whole milk",
           "whole milk,bread,butter,eggs,sugar", "yogurt,soda,chocolate", "soda,rolls/buns,bread,beef,coffee",
           "bread,butter"]


@pytest.fixture
def baskets(tmp_path):
    path = tmp_path / "baskets.csv"
    path.write_text("\n".join(BASKETS) + "\n")
    return session(path)


@pytest.mark.parametrize("question", ["are whole milk or yogurt more popular?", "which sells more, whole milk or yogurt",
                                      "is yogurt bought more often than whole milk", "whole milk vs yogurt"])
def test_two_products_compared_each_on_its_own(baskets, question):
    a = baskets.ask(question)
    assert a.analysis == "overview" and a.params["by"] == ["product"]
    assert sorted(a.params["filters"]["product"]) == ["whole milk", "yogurt"]
    rows = {r[0]: r[1:] for r in a.table("by_product").rows}
    assert rows["whole milk"][:2] == [5, pytest.approx(0.625)] and rows["yogurt"][:2] == [3, pytest.approx(0.375)]
    assert headline(a)["baskets with both"] == 2
    assert a.summary.startswith("**whole milk** is in more baskets: **5** (62.5% of 8), against **yogurt** 3 (37.5%)")


def test_either_product_and_bought_together_keep_their_readings(baskets):
    a = baskets.ask("how many baskets have whole milk or yogurt")
    assert headline(a)["baskets with whole milk or yogurt"] == 6  # 5 + 3 - 2: one filter of both
    assert baskets._route("are whole milk and yogurt bought together more than expected").analysis == "basket"


def test_two_products_of_sales_side_by_side(orders):
    a = orders.ask("which sells more, lamp or desk")
    assert a.analysis == "overview" and a.params["filters"]["product"] == ["Lamp", "Desk"]
    rows = {r[0]: r[1] for r in a.table("by_product").rows}
    assert rows == pytest.approx({"Desk": 1740.0, "Lamp": 310.0})


# ------------------------------------------------------------------ after CLV, who is about to lapse
def test_which_of_those_are_about_to_lapse_stays_on_clv():
    s, _ = demo_session(customers=2000, seed=42)
    s.chat("what is the lifetime value of our customers")
    a = s.chat("which of those are about to lapse")
    assert a.analysis == "clv" and a.params["focus"] == "at_risk"
    risk = a.tables[1]
    assert risk.name == "at_risk" and risk.columns[:5] == ["customer_id", "net_revenue", "purchases", "last_order",
                                                           "p_alive"]
    assert all(r[4] < 0.5 for r in risk.rows)
    first = numbers(a.summary.split("high-value customers")[0])[0]
    assert first == risk.total_rows
    if risk.rows:
        assert a.summary.index(str(risk.rows[0][0])) < a.summary.index("Historical CLV")
    b = s.chat("which of them are still active")
    assert b.analysis == "clv"
    c = s.chat("churn by country")  # a question of its own still leaves CLV
    assert c.analysis == "churn"


def test_about_to_lapse_without_a_fitted_model_says_so():
    s, _ = demo_session(customers=400, seed=11)  # the spend model does not settle on 400 demo customers
    s.chat("what is the lifetime value of our customers")
    a = s.chat("which of those are about to lapse")
    assert a.analysis == "clv" and a.params["focus"] == "at_risk"
    assert any("needs the fitted model (probability alive)" in w for w in a.warnings)


def test_three_attributes_stay_apart(telco):
    a = telco.run("churn", {"by": ["contract", "payment_method", "tenure"]})
    assert not any("_x_" in t.name for t in a.tables)
    assert {"churn_by_contract", "churn_by_payment_method", "churn_by_tenure"} <= {t.name for t in a.tables}


def test_signing_up_is_the_signup_date_where_the_customers_have_one():
    s, _ = demo_session(customers=300, seed=5)  # the demo's customers have a signup date
    route = s._route("customers who signed up in 2024 by channel")
    assert "first_purchase" not in (route.params.get("filters") or {})
    assert route.params.get("basis") == "signup" or route.params.get("start")
    bought = s._route("revenue from customers who first bought in March 2024")
    assert bought.params["filters"] == {"first_purchase": ["2024-03-01..2024-03-31"]}


@pytest.mark.parametrize("question, value", [
    ("revenue from customers who first bought in the first Quartal 2024", "2024-01-01..2024-03-31"),  # German
    ("revenue from customers who first bought in Q1 2024", "2024-01-01..2024-03-31"),
    ("revenue from customers who first bought in the first quarter of 2024", "2024-01-01..2024-03-31"),
])
def test_an_acquisition_cohort_said_in_shorthand_or_german_is_its_quarter(orders, question, value):
    """The cohort's period is read as the rest of a question is ("Quartal" is a quarter): the first
    quarter, not the whole year."""
    assert orders.ask(question).params["filters"] == {"first_purchase": [value]}
    assert orders._route(question).params["filters"] == {"first_purchase": [value]}  # read alike unspelt

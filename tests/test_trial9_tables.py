"""Trial 9 (a one-row-per-purchase shop table, Superstore's order lines), fixed by class and checked
here on small planted tables of the same shapes (none needs the trial's files):

2. A customers table with a money column (Kaggle "Customer Shopping Trends": one purchase per customer
   id, no dates) reads revenue, sales and spend as that column (summed, or averaged where an average
   is said or spending is compared), said on the first line; ``--map amount=COLUMN`` names it. It stays
   a customers table: one row per customer, no dates, so no periods or repeat orders (said in a note).
8. A plain "Size" of clothes (S/M/L/XL) is no company size; "states" is the Location of US states;
   "items" the Item Purchased.
3/9. "customers over 50", "how many subscribers" (a yes/no column named by its noun), "share of
   purchases that used a promo code", "average previous purchases for subscribers".
10. A breakdown filtered to one group does not compare the group with itself."""

import pytest

from helpers import session, write
from custlens.templates import pct

SEASONS = ("Winter", "Spring", "Summer", "Fall")
STATES = ("Montana", "Illinois", "California", "Kansas")
ITEMS = ("Sunglasses", "Pants", "Shirt", "Hat", "Boots")
CATEGORIES = {"Sunglasses": "Accessories", "Pants": "Clothing", "Shirt": "Clothing", "Hat": "Accessories",
              "Boots": "Footwear"}
SIZES = ("S", "M", "L", "XL")


def shop_rows():
    header = ["Customer ID", "Age", "Gender", "Item Purchased", "Category", "Purchase Amount (USD)", "Location",
              "Size", "Season", "Subscription Status", "Discount Applied", "Promo Code Used", "Previous Purchases"]
    rows = [header]
    for i in range(1, 61):
        item = ITEMS[(i * 3) % 5]
        sub = "Yes" if i % 4 == 0 else "No"
        disc = "Yes" if i % 3 == 0 else "No"
        rows.append([i, 18 + (i * 7) % 53, ("Male", "Female")[i % 2], item, CATEGORIES[item],
                     20 + (i * 13) % 80 + (15 if disc == "No" else 0), STATES[i % 4], SIZES[i % 4], SEASONS[(i // 2) % 4],
                     sub, disc, disc, 1 + (i * 11) % 50])
    return rows


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    rows = shop_rows()
    path = write(tmp_path_factory.mktemp("shop") / "shopping_trends.csv", rows)
    return session(path), [dict(zip(rows[0], r)) for r in rows[1:]], path


def first_line(answer) -> str:
    from custlens import render

    return render.render(answer, "text", 400).splitlines()[0]


def table_of(answer) -> dict:
    t = next(t for t in answer.tables if t.name != "headline")
    return {str(r[0]): r[-1] for r in t.rows}


def total_by(rows, column, value=lambda r: r["Purchase Amount (USD)"], stat=sum):
    out = {}
    for r in rows:
        out.setdefault(str(r[column]), []).append(value(r))
    return {k: stat(v) for k, v in out.items()}


def mean(values):
    return sum(values) / len(values)


@pytest.mark.parametrize("question, column", [("revenue by season", "Season"),
                                              ("which category brings the most revenue?", "Category")])
def test_revenue_of_a_customers_table_is_its_money_column_summed(shop, question, column):
    s, rows, _ = shop
    a = s.chat(question)
    assert a.params["measure"] == "purchase_amount_usd" and a.params["stat"] == "sum"
    assert "read 'revenue' as the sum of purchase_amount_usd" in first_line(a)
    got = table_of(a)
    want = total_by(rows, column)
    assert {k: float(v) for k, v in got.items()} == pytest.approx({k: float(v) for k, v in want.items()})
    assert max(want, key=want.get) in a.summary.split("highest for")[1][:40]
    assert any("no order dates" in w for w in a.warnings)  # the reading chosen, said


@pytest.mark.parametrize("question, column, flag", [
    ("subscribers vs non-subscribers: average spend", "subscription_status", "Subscription Status"),
    ("do customers who got a discount spend less?", "discount_applied", "Discount Applied"),
])
def test_spend_compared_between_flag_groups_is_the_average_money(shop, question, column, flag):
    s, rows, _ = shop
    a = s.chat(question)
    assert a.analysis == "overview"
    assert a.params["by"] == [column] and a.params["measure"] == "purchase_amount_usd" and a.params["stat"] == "mean"
    assert "as the average of purchase_amount_usd" in first_line(a)
    got = {k: float(v) for k, v in table_of(a).items()}
    assert got == pytest.approx(total_by(rows, flag, stat=mean))


def test_map_amount_names_the_money_column_of_a_customers_table(tmp_path):
    rows = [["Customer ID", "Gender", "Season", "Paid", "Tip"]] + [
        [i, ("Male", "Female")[i % 2], ("Winter", "Summer")[i % 2], 10 * i, i] for i in range(1, 21)]
    from custlens import Session

    path = write(tmp_path / "shop.csv", rows)
    s = Session(data=[path], maps=["amount=Tip"], entry_points=False)  # two money-like columns: the mapped one
    a = s.chat("revenue by season")
    assert a.params["measure"] == "tip" and a.params["stat"] == "sum"
    got = {k: float(v) for k, v in table_of(a).items()}
    assert got == {"Summer": float(sum(i for i in range(1, 21) if i % 2)), "Winter": float(sum(i for i in range(2, 21, 2)))}


def test_clothing_sizes_are_no_company_size(shop):
    s, _, _ = shop
    assert "company_size" not in s.dataset.columns("customers")
    assert "size" in s.dataset.columns("customers")
    a = s.chat("how many customers do we have?")
    assert "company size" not in a.summary


def test_a_size_in_employee_bands_is_still_company_size(tmp_path):
    rows = [["Customer ID", "Industry", "Size"]] + [[i, "Retail", ("1-10", "11-50", "51-200")[i % 3]] for i in range(9)]
    s = session(write(tmp_path / "accounts.csv", rows))
    assert "company_size" in s.dataset.columns("customers")


def test_states_are_the_location_and_items_the_item_purchased(shop):
    s, rows, _ = shop
    a = s.chat("top 3 states by revenue")
    assert "read 'region' as location" in first_line(a)
    want = total_by(rows, "Location")
    got = {k: float(v) for k, v in table_of(a).items()}
    assert list(got) == sorted(want, key=want.get, reverse=True)[:3]
    s.chat("reset")
    a = s.chat("top 3 items in winter")
    assert "read 'product' as item_purchased" in first_line(a) and a.params["filters"] == {"season": ["Winter"]}
    winter = total_by([r for r in rows if r["Season"] == "Winter"], "Item Purchased", value=lambda r: 1)
    got = table_of(a)
    t = next(t for t in a.tables if t.name != "headline")
    counts = {str(r[0]): r[1] for r in t.rows}
    assert counts == {k: winter[k] for k in counts}
    assert max(winter.values()) == max(counts.values())


def test_people_over_an_age_and_subscribers_by_their_noun_are_counted(shop):
    s, rows, _ = shop
    a = s.chat("how many customers are over 50?")
    assert a.params["filters"] == {"age": ["> 50"]}
    assert f"{sum(r['Age'] > 50 for r in rows):,} customers" in a.summary
    s.chat("reset")
    a = s.chat("how many subscribers do we have?")
    subs = sum(r["Subscription Status"] == "Yes" for r in rows)
    assert f"{subs:,} of {len(rows):,} customers" in a.summary


def test_share_of_purchases_with_a_promo_code_and_average_of_subscribers(shop):
    s, rows, _ = shop
    a = s.chat("what share of purchases used a promo code?")
    assert a.analysis == "overview" and a.params["measure"] == "promo_code_used"
    share = sum(r["Promo Code Used"] == "Yes" for r in rows) / len(rows)
    assert f"({pct(share)})" in a.summary
    s.chat("reset")
    a = s.chat("average previous purchases for subscribers")
    assert a.analysis == "overview" and a.params["measure"] == "previous_purchases" and a.params["stat"] == "mean"
    assert a.params["filters"] == {"subscription_status": ["Yes"]}
    subs = [r["Previous Purchases"] for r in rows if r["Subscription Status"] == "Yes"]
    assert f"{mean(subs):.2f}" in a.summary


def test_a_breakdown_of_one_group_is_not_compared_with_itself(shop):
    s, _, _ = shop
    a = s.chat("average previous purchases by gender for female customers")
    assert "one group, nothing to compare it with" in a.summary
    assert "lowest for **Female**" not in a.summary


# ------------------------------------------------------------------ order lines: conditions on their own numbers
def line_rows():
    """Superstore-like lines: Sales after the discount, Discount a rate, Profit (negative on some)."""
    header = ["Row ID", "Order ID", "Order Date", "Customer ID", "Category", "Product Name", "Sales", "Quantity",
              "Discount", "Profit"]
    rows = [header]
    rates = (0.0, 0.2, 0.5, 0.0, 0.8, 0.1, 0.3)
    for i in range(1, 71):
        order = f"O-{(i + 1) // 2:03d}"  # two lines an order
        rate = rates[(i % 9) % len(rates)]  # each customer its own rate: those at 50% and 80% lose money
        sales = round(100 + 13.37 * (i % 9), 2)
        profit = round(sales * (0.35 - rate), 2)
        rows.append([i, order, f"2023-{1 + i % 12:02d}-{1 + i % 27:02d}", f"C-{i % 9}",
                     ("Furniture", "Technology", "Office Supplies")[i % 3], f"Item {i % 11}", f"{sales:.2f}", 1 + i % 3,
                     rate, f"{profit:.2f}"])
    return rows


@pytest.fixture(scope="module")
def lines(tmp_path_factory):
    rows = line_rows()
    path = write(tmp_path_factory.mktemp("lines") / "superstore.csv", rows)
    return session(path), [dict(zip(rows[0], r)) for r in rows[1:]]


def headline(answer) -> dict:
    return dict(answer.table("headline").rows)


def test_orders_with_a_discount_above_a_rate_are_counted(lines):
    s, rows = lines
    s.chat("reset")
    a = s.chat("how many orders had a discount above 20%?")
    assert a.params["filters"] == {"discount": ["> 20%"]}
    want = {r["Order ID"] for r in rows if r["Discount"] > 0.2}
    assert int(str(headline(a)["orders"]).replace(",", "")) == len(want)
    assert "filter: discount > 20%" in first_line(a) and "of their list value" in first_line(a)
    s.chat("reset")
    a = s.chat("how many orders got a discount?")
    assert a.params["filters"] == {"discount": ["> 0"]}
    assert int(str(headline(a)["orders"]).replace(",", "")) == len({r["Order ID"] for r in rows if r["Discount"] > 0})


def test_sales_of_lines_with_negative_profit(lines):
    s, rows = lines
    s.chat("reset")
    a = s.chat("sales of orders with negative profit")
    assert a.params["filters"] == {"profit": ["< 0"]}
    assert "filter: profit < 0" in first_line(a)
    want = round(sum(float(r["Sales"]) for r in rows if float(r["Profit"]) < 0), 2)
    assert f"{want:,.2f}" in a.summary


@pytest.mark.parametrize("question", ["customer lifetime value of orders with a discount above 20%",
                                      "churn of customers with negative profit"])
def test_a_condition_is_applied_or_said_not_applied(lines, question):
    s, _ = lines
    s.chat("reset")
    a = s.chat(question)
    line = first_line(a)
    said = [k for k in ("profit", "discount") if k in question]
    assert any(f"filter: {k}" in line or f"not applied: {k}" in line for k in said), line


def test_one_group_of_a_margin_breakdown_is_not_compared_with_itself(lines):
    s, _ = lines
    s.chat("reset")
    a = s.chat("profit margin by category for Technology")
    assert "the worst Technology" not in a.summary
    assert "one group, nothing to compare it with" in a.summary


def test_all_the_profit_and_the_profitable_customers_agree(lines):
    s, _ = lines
    s.chat("reset")
    a = s.chat("which customers are profitable?")
    h = headline(a)
    assert f"{h['profitable customers']:,} profitable customers (profit above 0)" in a.summary
    assert "most profitable customers" in a.summary and "bring all the profit" not in a.summary


def test_a_household_income_is_no_revenue(tmp_path):
    rows = [["ID", "Education", "Income", "Recency"]] + [[i, ("PhD", "Master")[i % 2], 1000 * i, i] for i in range(1, 21)]
    s = session(write(tmp_path / "marketing.csv", rows))
    a = s.chat("revenue by education")
    assert a.params.get("measure") != "income"
    assert "as the sum of income" not in first_line(a)

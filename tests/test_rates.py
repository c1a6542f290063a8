"""Money columns that hold something else (TRIAL4, Tableau's "Sample - Superstore"): a discount of
rates beside sales already after it, a profit column where there is no cost, and a data column
named Segment beside the RFM segments. Small files with the pattern planted."""

from __future__ import annotations

import pytest

from helpers import session, write


SUBCATS = {  # sub-category: (category, profit share of the sale): Tables and Bookcases lose money
    "Tables": ("Furniture", -0.30), "Bookcases": ("Furniture", -0.05), "Chairs": ("Furniture", 0.10),
    "Paper": ("Office Supplies", 0.40), "Binders": ("Office Supplies", 0.20)}
SEGMENTS = ("Consumer", "Corporate", "Home Office")
RATES = (0.0, 0.2, 0.5, 0.0, 0.8, 0.15)


def superstore_rows():
    """A Superstore-like export: Sales after the discount, Discount a rate, Profit, Segment."""
    header = ["Row ID", "Order ID", "Order Date", "Customer ID", "Customer Name", "Segment", "Region",
              "Category", "Sub-Category", "Product Name", "Sales", "Quantity", "Discount", "Profit"]
    rows, i = [header], 0
    for c in range(12):
        for o in range(3):
            for k, (sub, (cat, share)) in enumerate(SUBCATS.items()):
                if (c + o + k) % 2:
                    continue
                i += 1
                sales = round(40 + 7.5 * ((c * 7 + o * 3 + k) % 11), 2)
                rate = RATES[i % len(RATES)]
                rows.append([i, f"CA-{c:02d}-{o}", f"2023-{1 + (c + o * 4) % 12:02d}-{1 + k * 5:02d}",
                             f"C-{c:02d}", f"Person {c:02d}", SEGMENTS[c % 3], ("West", "East")[c % 2], cat, sub,
                             f"{sub} item {k}", f"{sales:.2f}", 1 + k % 3, rate, f"{sales * share:.4f}"])
    return rows


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    rows = superstore_rows()
    path = write(tmp_path_factory.mktemp("superstore") / "superstore.csv", rows)
    return session(path), rows


def col(rows, name):
    i = rows[0].index(name)
    return [r[i] for r in rows[1:]]


def test_a_discount_of_rates_is_money_given_beside_sales_after_it(store):
    s, rows = store
    sales, rates = [float(v) for v in col(rows, "Sales")], [float(v) for v in col(rows, "Discount")]
    given = sum(a * r / (1 - r) for a, r in zip(sales, rates))
    cents = 0.005 * len(sales)  # each line's discount is rounded to the cent
    assert max(rates) == 0.8 and given > 1000  # rates summed as money would be ~20
    a = s.ask("how much did we give in discounts")
    head = dict(a.table("headline").rows)
    assert head["discounts"] == pytest.approx(given, abs=cents)
    assert head["gross sales"] == pytest.approx(sum(sales) + given, abs=cents)
    assert head["revenue"] == pytest.approx(sum(sales), abs=0.01)  # Sales is the net, untouched
    assert f"{head['discounts']:,.2f} in discounts" in a.summary
    note = next(w for w in a.warnings if "holds discount rates" in w)
    assert "'Discount'" in note and "0% to 80%" in note and "after the discount" in note


def test_the_rate_note_comes_with_answers_that_show_discounts_only(store):
    s, _ = store
    by_region = s.ask("total sales by region")
    assert by_region.analysis == "overview" and "discount" not in by_region.summary.lower()
    assert not any("holds discount rates" in w for w in by_region.warnings)
    profit = s.run("profitability", {})
    assert any("holds discount rates" in w for w in profit.warnings)
    assert any("cost = 'Sales' - 'Profit'" in w for w in profit.warnings)


def test_a_discount_in_money_stays_money(tmp_path):
    rows = [["Order ID", "Order Date", "Customer ID", "Sales", "Discount"],
            ["1", "2024-01-02", "A", "100.00", "12.50"], ["2", "2024-01-05", "B", "80.00", "0.00"],
            ["3", "2024-02-01", "A", "60.00", "5.00"], ["4", "2024-02-03", "C", "40.00", "0.75"]]
    s = session(write(tmp_path / "orders.csv", rows))
    head = dict(s.run("overview", {}).table("headline").rows)
    assert head["discounts"] == pytest.approx(18.25) and head["gross sales"] == pytest.approx(298.25)
    assert not any(keys and "rates" in n for keys, n in s.dataset.rate_notes())


def test_a_discount_of_0_to_1_on_lines_that_small_is_money(tmp_path):
    """Cents off lines of a euro or two: 0-1 values that are not rates."""
    rows = [["Order ID", "Order Date", "Customer ID", "Amount", "Discount"]] + [
        [str(i), f"2024-01-{1 + i:02d}", f"C{i % 4}", f"{1 + (i % 3) * 0.5:.2f}", f"{(i % 4) * 0.1:.2f}"]
        for i in range(20)]
    s = session(write(tmp_path / "orders.csv", rows))
    head = dict(s.run("overview", {}).table("headline").rows)
    assert head["discounts"] == pytest.approx(sum((i % 4) * 0.1 for i in range(20)), abs=0.001)
    assert not s.dataset.rate_notes()


def test_a_discount_of_a_few_percent_of_the_line_is_money(tmp_path):
    """1.00 off a line of 20, 0.50 off one of 9: money, as a rate it would be 100% and 50% off."""
    rows = [["Order ID", "Order Date", "Customer ID", "Amount", "Discount"],
            ["1", "2024-01-01", "A", "10", "0"], ["1", "2024-01-01", "A", "20", "1.0"],
            ["2", "2024-02-01", "A", "9", "0.5"], ["3", "2024-03-05", "B", "6", "0"]]
    s = session(write(tmp_path / "orders.csv", rows))
    assert dict(s.run("overview", {}).table("headline").rows)["discounts"] == pytest.approx(1.5)
    assert not s.dataset.rate_notes()


def test_a_percent_discount_comes_off_the_list_price(tmp_path):
    """'Discount %' 0-100 with quantity and unit price: taken off quantity x price."""
    rows = [["Order ID", "Order Date", "Customer ID", "Quantity", "Unit Price", "Discount %"],
            ["1", "2024-01-02", "A", "2", "50.00", "10"], ["2", "2024-01-05", "B", "1", "80.00", "0"],
            ["3", "2024-02-01", "A", "4", "25.00", "25"], ["4", "2024-02-03", "C", "1", "40.00", "50"]]
    s = session(write(tmp_path / "orders.csv", rows))
    head = dict(s.run("overview", {}).table("headline").rows)
    assert head["discounts"] == pytest.approx(10 + 0 + 25 + 20)
    assert head["revenue"] == pytest.approx(90 + 80 + 75 + 20)
    assert head["gross sales"] == pytest.approx(320)
    note = s.dataset.rate_notes()[0][1]
    assert "'Discount %' holds discount rates (values 0% to 50%)" in note and "quantity x unit price" in note


def test_a_profit_column_gives_the_cost_and_which_sub_categories_lose_money(store):
    s, rows = store
    truth: dict[str, float] = {}
    for sub, profit in zip(col(rows, "Sub-Category"), col(rows, "Profit")):
        truth[sub] = truth.get(sub, 0) + float(profit)
    a = s.ask("which sub-categories lose money")
    assert a.analysis == "profitability"
    t = a.table("margin_by_sub_category")
    frame = t.frame.set_index("sub_category")
    assert len(t.rows) == len(SUBCATS)  # every row shown: the loss-makers sort last
    for sub, profit in truth.items():
        assert frame.profit[sub] == pytest.approx(profit, abs=0.01)
    losers = sorted((p, sub) for sub, p in truth.items() if p < 0)
    first = a.summary.split("\n")[0]
    assert first.startswith(f"By sub category: {len(losers)} of {len(SUBCATS)} lose money: ")
    assert [first.index(f"**{sub}** ({p:,.2f})") for p, sub in losers] == sorted(
        first.index(f"**{sub}**") for _, sub in losers)
    assert a.tables[1].name == "margin_by_sub_category"  # the breakdown asked for comes first
    head = dict(a.table("headline").rows)
    assert head["profit"] == pytest.approx(sum(truth.values()), abs=0.05)


@pytest.mark.parametrize("question, by", [
    ("which sub-categories lose money", "sub_category"), ("which regions are losing money", "region"),
    ("which categories lost money", "category"), ("which products are in the red", "product"),
    ("profit by sub-category", "sub_category"), ("which segments lose money", "segment")])
def test_losing_money_is_profitability_not_churn(store, question, by):
    route = store[0]._route(question)
    assert (route.decision, route.analysis) == ("route", "profitability"), question
    assert route.params.get("by") == [by] and not route.params.get("filters")


def test_losing_customers_is_still_churn(store):
    for question in ("are we losing customers", "how many customers did we lose"):
        assert store[0]._route(question).analysis == "churn", question


def test_a_margin_column_of_rates_gives_the_cost(tmp_path):
    rows = [["Order ID", "Order Date", "Customer ID", "Product", "Sales", "Margin %"],
            ["1", "2024-01-02", "A", "kettle", "100.00", "40"], ["2", "2024-01-05", "B", "kettle", "50.00", "40"],
            ["3", "2024-02-01", "A", "toaster", "200.00", "-10"], ["4", "2024-02-03", "C", "mug", "20.00", "50"]]
    s = session(write(tmp_path / "orders.csv", rows))
    a = s.run("profitability", {"by": ["product"]})
    frame = a.table("margin_by_product").frame.set_index("product")
    assert frame.profit.to_dict() == pytest.approx({"kettle": 60.0, "toaster": -20.0, "mug": 10.0})
    assert "1 of 3 loses money: **toaster** (-20.00)" in a.summary


def test_a_segment_column_of_the_data_is_a_filter_not_rfm(store):
    s, rows = store
    corporate = sum(float(v) for v, seg in zip(col(rows, "Sales"), col(rows, "Segment")) if seg == "Corporate")
    a = s.ask("sales for the Corporate segment")
    assert a.analysis == "overview" and a.params["filters"] == {"segment": ["Corporate"]}
    assert dict(a.table("headline").rows)["revenue"] == pytest.approx(corporate, abs=0.01)
    assert not s.dataset.has_segments


def test_only_a_segment_value_after_sales_by_segment(tmp_path):
    rows = superstore_rows()
    s = session(write(tmp_path / "superstore.csv", rows))
    s.chat("sales by segment")
    a = s.chat("only Corporate")
    assert a.params["filters"] == {"segment": ["Corporate"]} and not s.dataset.has_segments
    corporate = sum(float(v) for v, seg in zip(col(rows, "Sales"), col(rows, "Segment")) if seg == "Corporate")
    assert dict(a.table("headline").rows)["revenue"] == pytest.approx(corporate, abs=0.01)
    churn = s.chat("what is our churn rate?")  # the Corporate filter stays
    assert churn.params["filters"] == {"segment": ["Corporate"]}


def test_the_champions_segment_stays_rfm(tmp_path):
    s = session(write(tmp_path / "superstore.csv", superstore_rows()))
    route = s._route("sales for the champions segment")
    assert route.analysis == "overview" and route.params["filters"] == {"segment": ["Champions"]}
    note = s.ensure_segments(["Champions"])  # what asking runs first: the RFM segmentation
    assert "is an RFM segment" in note and s.dataset.segment_method == "rfm"


def test_top_customers_show_the_name_beside_the_id(store):
    s, rows = store
    spend: dict[str, float] = {}
    for cid, sales in zip(col(rows, "Customer ID"), col(rows, "Sales")):
        spend[cid] = spend.get(cid, 0) + float(sales)
    best = max(spend, key=spend.get)
    a = s.ask("who are our top 5 customers by sales")
    t = a.table("by_customer")
    assert t.columns[:3] == ["customer", "customer name", "revenue"]
    assert t.rows[0][:3] == [best, f"Person {best[2:]}", pytest.approx(spend[best])]
    assert all(r[1] == f"Person {r[0][2:]}" for r in t.rows)
    assert f"**{best} – Person {best[2:]}** is highest" in a.summary


def test_the_customer_ranking_without_names_is_unchanged(tmp_path):
    rows = [["Order ID", "Order Date", "Customer ID", "Sales"],
            ["1", "2024-01-02", "A", "10"], ["2", "2024-01-05", "B", "30"], ["3", "2024-02-01", "A", "5"]]
    t = session(write(tmp_path / "orders.csv", rows)).ask("top customers by sales").table("by_customer")
    assert t.columns[:2] == ["customer", "revenue"] and [r[:2] for r in t.rows] == [["B", 30.0], ["A", 15.0]]


def test_plurals_are_made_in_one_place():
    from custlens.kit import plural

    assert [plural(w) for w in ("segment", "category", "country", "status", "sub_category", "sales", "day",
                                "box", "ship_mode")] == \
        ["segments", "categories", "countries", "statuses", "sub categories", "sales", "days", "boxes", "ship modes"]
    assert plural("country", 1) == "country" and plural("country", 2) == "countries"


def test_breakdown_narratives_count_their_values_in_good_grammar(store):
    a = store[0].ask("sales by segment")
    assert "of 3 segments." in a.summary and a.table("by_segment").title == "Top 3 segments by revenue"
    one = store[0].ask("sales by segment for the Corporate segment")
    assert "of 1 segment." in one.summary and one.table("by_segment").title == "Top 1 segment by revenue"

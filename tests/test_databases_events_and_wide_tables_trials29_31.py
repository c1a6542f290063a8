"""Files of the shapes strangers' trials brought (trials 29-31): a music shop's SQLite database whose lookup
tables (albums, artists, employees) have ids of their own, a shop's clickstream of views, carts and
purchases, a wide marketing table of one row per customer with the spend split over product columns and
its join date written month first, and invoices with credit notes. Planted answers: the top customers
carry their own names (they carried an album's); revenue counts the purchase events only (it counted
every view); "how many sessions" counts the sessions (it answered with the buyers); "total spend by
country" sums the spend columns (it counted customers); the average age comes from the year of birth; a
breakdown by revenue shows the returns each group had, and who comes first net of them."""

import random
import sqlite3

import pandas as pd
import pytest

from helpers import numbers, session, write


# ---------------------------------------------------------------------------------------- a database
@pytest.fixture(scope="module")
def shop_db(tmp_path_factory):
    """Customer (CustomerId, FirstName, LastName, Country, SupportRepId 3-5), Invoice (CustomerId, InvoiceDate, Total),
    and two tables of other things keyed 1..n like the customers: Album (AlbumId, Title) and Employee
    (EmployeeId, FirstName, LastName, Email). Customer i spends 10 * i over two invoices in 2024."""
    path = tmp_path_factory.mktemp("db") / "music.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE Customer (CustomerId INTEGER PRIMARY KEY, FirstName TEXT, LastName TEXT, "
                   "Country TEXT, SupportRepId INTEGER)")
        db.executemany("INSERT INTO Customer VALUES (?, ?, ?, ?, ?)",
                       [(i, f"Ann{i}", f"Smith{i}", ["Canada", "Brazil"][i % 2], 3 + i % 3) for i in range(1, 41)])
        db.execute("CREATE TABLE Invoice (InvoiceId INTEGER PRIMARY KEY, CustomerId INTEGER, InvoiceDate TEXT, "
                   "Total REAL)")
        db.executemany("INSERT INTO Invoice VALUES (?, ?, ?, ?)",
                       [(2 * i + k, i, f"2024-{1 + k * 5:02d}-{1 + i % 27:02d}", 5.0 * i)
                        for i in range(1, 41) for k in range(2)])
        db.execute("CREATE TABLE Album (AlbumId INTEGER PRIMARY KEY, Title TEXT)")
        db.executemany("INSERT INTO Album VALUES (?, ?)", [(i, f"Album {i}") for i in range(1, 301)])
        db.execute("CREATE TABLE Employee (EmployeeId INTEGER PRIMARY KEY, FirstName TEXT, LastName TEXT, "
                   "Email TEXT)")
        db.executemany("INSERT INTO Employee VALUES (?, ?, ?, ?)",
                       [(i, f"Emp{i}", f"Staff{i}", f"emp{i}@shop.example") for i in range(1, 9)])
    return session(path)


def test_a_database_s_lookup_tables_are_not_customers(shop_db):
    roles = {s.name.split("#")[-1]: s.role for s in shop_db.dataset.sources}
    assert roles["Customer"] == "customers" and roles["Invoice"] == "transactions"
    assert roles["Album"] is None and roles["Employee"] is None
    said = " ".join(w for s in shop_db.dataset.sources for w in s.warnings)
    assert "album records, one per AlbumId, not customers" in said
    a = shop_db.fork().ask("how many customers do we have?")
    assert "lists 40 customers" in a.summary or "40 customers" in a.summary
    assert "never bought" not in a.summary or "0 never bought" in a.summary


def test_the_top_customers_carry_their_own_names_from_first_and_last(shop_db):
    a = shop_db.fork().ask("who are our top 3 customers by spend?")
    table = a.tables[0]
    assert table.columns[:2] == ["customer", "customer name"]
    assert [r[:2] for r in table.rows] == [["40", "Ann40 Smith40"], ["39", "Ann39 Smith39"], ["38", "Ann38 Smith38"]] \
        or [[str(r[0]), r[1]] for r in table.rows] == [["40", "Ann40 Smith40"], ["39", "Ann39 Smith39"],
                                                       ["38", "Ann38 Smith38"]]
    assert "Album" not in a.summary and "Emp" not in a.summary


@pytest.mark.parametrize("question", ["which support rep has the highest revenue?",
                                      "which sales support rep's customers spend the most?"])
def test_groups_named_in_several_words_before_the_verb_are_the_breakdown(shop_db, question):
    a = shop_db.fork().ask(question)
    assert a.params["by"] == ["support_rep_id"], a.understood
    spend = {r: sum(10.0 * i for i in range(1, 41) if 3 + i % 3 == r) for r in (3, 4, 5)}
    table = a.tables[0]
    assert {int(float(r[0])): r[1] for r in table.rows} == pytest.approx(spend)


@pytest.mark.parametrize("question, word", [("which genres sell the most?", "genres"),
                                            ("which artists bring in the most revenue?", "artists"),
                                            ("which genre sells the most tracks?", "genre"),
                                            ("top 5 genres by units sold", "genres")])
def test_groups_the_data_does_not_hold_are_said_as_not_read(shop_db, question, word):
    a = shop_db.fork().ask(question)
    assert f"not read: by {word}" in a.understood  # never the whole overview as if it were by them
    assert not a.params.get("by")


@pytest.mark.parametrize("question", ["average spend per customer by country", "revenue per customer by country"])
def test_the_average_spend_per_customer_of_groups_is_their_revenue_over_their_customers(shop_db, question):
    a = shop_db.fork().ask(question)
    assert a.params.get("per_customer") is True
    table = a.tables[0]
    assert table.columns[:2] == ["country", "revenue per customer"]
    # Canada: the even customers (10 x 2 + ... + 10 x 40 over 20), Brazil the odd ones
    assert [(r[0], r[1]) for r in table.rows] == [("Canada", 210.0), ("Brazil", 200.0)]
    assert a.summary.startswith("Revenue per customer by country: **Canada** is highest with 210.00")


def test_the_average_spend_per_customer_is_one_figure(shop_db):
    a = shop_db.fork().ask("what is the average spend per customer?")
    assert not a.params.get("by")
    assert "205.00 per customer" in a.summary.replace("\n", " ")  # (10 + 20 + ... + 400) / 40 customers


# ---------------------------------------------------------------------------------------- a clickstream
@pytest.fixture(scope="module")
def clicks(tmp_path_factory):
    """A shop's events: 60 users, each in one session (s<user>) viewing 3 products; users 0, 6, 12, ...
    (every sixth) add one to the cart and buy it at 100 + user; users 3, 9, ... buy another without a
    cart at 50. Brand "acme" gets every first view, "zeta" the others."""
    rows = [["event_time", "event_type", "product_id", "brand", "price", "user_id", "user_session"]]
    for u in range(60):
        t = f"2024-03-{1 + u % 28:02d} 10:{u % 60:02d}:00 UTC"
        for k in range(3):
            rows.append([t, "view", f"P{k}", "acme" if k == 0 else "zeta", 10.0 + k, f"U{u}", f"s{u}"])
        if u % 6 == 0:
            rows.append([t, "cart", "P0", "acme", 10.0, f"U{u}", f"s{u}"])
        if u % 6 == 0:
            rows.append([t, "purchase", "P0", "acme", 100.0 + u, f"U{u}", f"s{u}"])
        elif u % 6 == 3:
            rows.append([t, "purchase", "P1", "zeta", 50.0, f"U{u}", f"s{u}"])
    path = write(tmp_path_factory.mktemp("clicks") / "events.csv", rows)
    return path, pd.read_csv(path)


def test_revenue_of_a_clickstream_counts_the_purchase_events_only(clicks):
    path, frame = clicks
    s = session(path)
    bought = frame[frame.event_type == "purchase"]
    a = s.fork().ask("what was the total revenue?")
    assert a.analysis == "overview"
    head = dict(a.tables[0].rows)
    assert head["revenue"] == pytest.approx(bought.price.sum())  # not every view's price
    assert head["customers"] == bought.user_id.nunique() and head["orders"] == bought.user_session.nunique()
    assert any("the sales are the 20 'purchase' rows" in w for w in a.warnings)
    a = s.fork().ask("which brands sell best?")
    by = {r[0]: r[1] for r in a.tables[0].rows}
    assert by == pytest.approx(bought.groupby("brand").price.sum().to_dict())


def test_loaded_as_sales_an_events_file_still_counts_only_its_purchases(clicks):
    path, frame = clicks
    from custlens import Session

    s = Session(data=[f"transactions={path}"], entry_points=False)
    s.dataset.map("amount", "price")
    a = s.fork().ask("total revenue")
    assert dict(a.tables[0].rows)["revenue"] == pytest.approx(frame[frame.event_type == "purchase"].price.sum())
    assert any("only the rows whose event_type is a purchase are sales" in w for w in a.warnings)


@pytest.mark.parametrize("question", ["how many sessions were there?", "how many distinct users visited the shop?",
                                      "how many events of each type?", "how many unique users are in the data?"])
def test_questions_about_the_events_count_the_events_not_the_buyers(clicks, question):
    path, frame = clicks
    a = session(path).fork().ask(question)
    assert a.title == "Events overview"
    head = dict(a.tables[0].rows)
    assert head["events"] == len(frame) and head["visitors"] == 60 and head["sessions"] == 60
    types = {r[0]: r[1] for r in a.tables[-1].rows}
    assert types == frame.event_type.value_counts().to_dict()
    assert f"{len(frame):,} events from 60 visitors in 60 sessions" in a.summary


def test_users_who_bought_are_the_buyers(clicks):
    path, frame = clicks
    a = session(path).fork().ask("how many users bought something?")
    assert a.title != "Events overview"
    assert dict(a.tables[0].rows)["customers"] == frame[frame.event_type == "purchase"].user_id.nunique()


def test_which_brands_get_the_most_views_ranks_the_views(clicks):
    path, frame = clicks
    a = session(path).fork().ask("which brands get the most views?")
    table = a.tables[-1]
    views = frame[frame.event_type == "view"].brand.value_counts()
    assert table.columns[:2] == ["brand", "view"]
    assert [(r[0], r[1]) for r in table.rows] == list(views.items())  # zeta (120) before acme (60)
    assert "zeta has the most view events (120 of 180)" in a.summary


def test_a_funnel_stage_reached_more_often_than_the_one_before_loses_nobody(clicks):
    path, _ = clicks
    a = session(path).fork().ask("show me the conversion funnel")
    funnel = a.tables[0]
    rows = {r[0]: dict(zip(funnel.columns, r)) for r in funnel.rows}
    assert rows["cart"]["reached"] == 10 and rows["purchase"]["reached"] == 20
    for row in rows.values():  # never a negative loss nor a step above 100%
        assert row["lost at step"] is None or row["lost at step"] >= 0
        assert row["step conversion"] is None or row["step conversion"] != row["step conversion"] \
            or row["step conversion"] <= 1


# ---------------------------------------------------------------------------------------- a wide marketing table
@pytest.fixture(scope="module")
def marketing(tmp_path_factory):
    """One row per customer: YearBirth 1950 + i % 40, MaritalStatus (every third Married, then Together,
    Single), the join date month first (m/d/yyyy, 2013-2014: every day above 12 once), and spend in
    MntWines, MntFruits, MntGoldProds; Country Spain or Germany."""
    rng = random.Random(7)
    rows = [["ID", "YearBirth", "MaritalStatus", "CustomerEnroll", "MntWines", "MntFruits", "MntGoldProds", "Country"]]
    for i in range(120):
        month, day = 1 + i % 12, 1 + (i * 7) % 28
        rows.append([1000 + i, 1950 + i % 40, ["Married", "Together", "Single"][i % 3],
                     f"{month}/{day}/{2013 + i % 2}", rng.randint(0, 900), rng.randint(0, 90), rng.randint(0, 60),
                     "Spain" if i % 4 else "Germany"])
    path = write(tmp_path_factory.mktemp("wide") / "marketing_data.csv", rows)
    frame = pd.read_csv(path)
    frame["spend"] = frame.MntWines + frame.MntFruits + frame.MntGoldProds
    return session(path), frame


def test_spend_split_over_columns_is_their_sum(marketing):
    s, frame = marketing
    a = s.fork().ask("total spend by country")
    table = next(t for t in a.tables if t.columns[0] == "country")
    got = {r[0]: r[table.columns.index("sum of total spend")] for r in table.rows}
    assert got == pytest.approx(frame.groupby("Country").spend.sum().to_dict())
    a = s.fork().ask("average spend per customer by marital status")
    table = next(t for t in a.tables if t.columns[0] == "marital_status" or t.columns[0] == "marital status")
    col = next(c for c in table.columns if "average" in c)
    got = {r[0]: r[table.columns.index(col)] for r in table.rows}
    assert got == pytest.approx(frame.groupby("MaritalStatus").spend.mean().round(2).to_dict(), abs=0.01)


def test_spend_on_one_kind_reads_its_own_column(marketing):
    s, frame = marketing
    a = s.fork().ask("how much do married customers spend on gold on average?")
    assert a.params.get("measure") == "mnt_gold_prods"
    want = frame[frame.MaritalStatus == "Married"].MntGoldProds.mean()
    assert f"{want:,.2f}" in a.summary
    a = s.fork().ask("how much do we sell in wine by country")
    assert a.params.get("measure") == "mnt_wines" and a.params.get("stat") == "sum"


def test_a_join_date_written_month_first_counts_signups_by_month(marketing):
    s, frame = marketing
    dates = pd.to_datetime(frame.CustomerEnroll, format="%m/%d/%Y")
    a = s.fork().ask("how many customers joined in 2013?")
    assert "not applied" not in a.understood
    assert a.summary.startswith(f"{int((dates.dt.year == 2013).sum()):,} customers")


def test_the_average_age_comes_from_the_year_of_birth(marketing):
    s, frame = marketing
    a = s.fork().ask("what is the average age of our customers?")
    ref = pd.to_datetime(frame.CustomerEnroll, format="%m/%d/%Y").dt.year.max()  # the data's own year
    assert f"{(ref - frame.YearBirth).mean():,.2f}" in a.summary


@pytest.mark.parametrize("question", ["what percentage are married or living together?",
                                      "what percentage of our customers are married or living together?"])
def test_a_share_of_customers_said_by_their_values_is_given(marketing, question):
    s, frame = marketing
    a = s.fork().ask(question)  # (the second went to loyalty, which needs sales, by "together")
    share = frame.MaritalStatus.isin(["Married", "Together"]).mean()
    assert f"That is {100 * share:.1f}% of all 120 customers." in a.summary


# ---------------------------------------------------------------------------------------- returns beside revenue
@pytest.fixture(scope="module")
def credited(tmp_path_factory):
    """Invoices of 12 customers in 2024: C00 buys 2,000 and is credited 1,500 back (an upgrade's proration),
    C01 buys 1,000 with no credit, C02-C11 240 to 960; C03, C06 and C09 are credited 50 each."""
    rows = [["invoice_id", "customer_id", "invoice_date", "amount_usd"]]
    n = 0
    for c in range(12):
        for k in range(4):
            n += 1
            amount = 500.0 if c == 0 else 250.0 if c == 1 else 20.0 * (c + 1)
            rows.append([f"I{n}", f"C{c:02d}", f"2024-{1 + k * 3:02d}-10", amount])
        if c == 0:
            rows.append([f"I{n}R", "C00", "2024-11-01", -1500.0])
        elif c > 1 and c % 3 == 0:
            rows.append([f"I{n}R", f"C{c:02d}", "2024-11-02", -50.0])
    path = write(tmp_path_factory.mktemp("credits") / "invoices.csv", rows)
    return session(path), pd.read_csv(path)


def test_a_revenue_ranking_shows_what_came_back_and_who_leads_net(credited):
    s, frame = credited
    a = s.fork().ask("top 5 customers by revenue")
    table = a.tables[0]
    assert table.columns[:2] == ["customer", "revenue"] and "net revenue" in table.columns
    rows = {r[0]: dict(zip(table.columns, r)) for r in table.rows}
    assert list(rows)[0] == "C00" and rows["C00"]["revenue"] == 2000  # revenue as every answer counts it
    assert rows["C00"]["returned"] == 1500 and rows["C00"]["net revenue"] == 500
    assert rows["C01"]["returned"] == 0 and str(rows["C01"]["returned"]) != "-0.0"
    note = next(w for w in a.warnings if "return lines" in w)
    assert "net of returns, C01 comes first (1,000.00)" in note
    assert numbers(note)[0] == (frame.amount_usd < 0).sum()


def test_even_a_small_return_is_beside_the_ranking_which_stays(tmp_path):
    """10 of 10,000 came back: the ranking stays as sales rank it, and the returned value and net revenue are
    beside it (since the twenty-third session: at 1.5% of sales credit notes had reordered a ledger's accounts
    unseen)."""
    rows = [["invoice_id", "customer_id", "invoice_date", "amount"]] + \
        [[f"I{i}", f"C{i % 5}", f"2024-0{1 + i % 9}-10", 100.0] for i in range(100)] + [["R1", "C1", "2024-10-01", -10.0]]
    a = session(write(tmp_path / "orders.csv", rows)).fork().ask("revenue by customer")
    t = a.tables[0]
    rows_by = {r[0]: dict(zip(t.columns, r)) for r in t.rows}
    assert rows_by["C1"]["revenue"] == 2000 and rows_by["C1"]["returned"] == 10 and rows_by["C1"]["net revenue"] == 1990
    assert any("are not taken off revenue here" in w for w in a.warnings)


# ---------------------------------------------------------------------------------------- RFM on equal spend
def test_customers_who_spent_the_same_get_the_same_rfm_score(tmp_path):
    """Spend summed from floating amounts in another order (0.1 + 0.2 against 0.3) is equal to the cent:
    the same monetary score every time."""
    rows = [["order_id", "customer_id", "order_date", "amount"]]
    n = 0
    for c in range(50):
        parts = [0.1, 0.2] if c % 2 else [0.3]
        for k, p in enumerate(parts):
            n += 1
            rows.append([f"O{n}", f"C{c:02d}", f"2024-0{1 + c % 9}-{10 + k}", p + (c // 10)])
    s = session(write(tmp_path / "orders.csv", rows))
    scores = []
    for _ in range(2):
        frame = s.fork().ask("segment our customers with rfm").tables
        table = next(t for t in frame if "m_score" in t.columns)
        got = table.frame.set_index("customer_id")
        scores.append(got.m_score.to_dict())
        money = got.revenue.round(2)
        for value in money.unique():  # equal spend, equal score
            assert got[money == value].m_score.nunique() == 1
    assert scores[0] == scores[1]


# ---------------------------------------------------------------------------------------- nested JSON orders
@pytest.fixture(scope="module")
def nested_orders(tmp_path_factory):
    """NDJSON orders as a shop's API writes them (Kibana's sample shop, trial 32): each order with a list of
    categories, a geoip object (country_iso_code, city_name, a location object) and its products, a list of
    line objects (product_name, category, quantity, price). Order i (0-59) from customer i % 6 in DE when i is
    even, else US; two lines: "Boots" (quantity 1 + i % 2, price 50) and "Shirt" (quantity 1, price 10)
    for every third order, else "Scarf" (quantity 2, price 5)."""
    import json

    path = tmp_path_factory.mktemp("json") / "orders.ndjson"
    with open(path, "w") as fh:
        for i in range(60):
            second = {"product_name": "Shirt", "category": "Men's Clothing", "quantity": 1, "price": 10.0} if i % 3 == 0 \
                else {"product_name": "Scarf", "category": "Accessories", "quantity": 2, "price": 5.0}
            lines = [{"product_name": "Boots", "category": "Shoes", "quantity": 1 + i % 2, "price": 50.0}, second]
            fh.write(json.dumps({
                "order_id": 1000 + i, "customer_id": i % 6, "order_date": f"2024-03-{1 + i % 28:02d}T10:00:00+00:00",
                "category": sorted({line["category"] for line in lines}),
                "geoip": {"country_iso_code": "DE" if i % 2 == 0 else "US", "city_name": "Berlin" if i % 2 == 0 else "Austin",
                          "location": {"lat": 1.0, "lon": 2.0}},
                "products": lines, "taxful_total_price": sum(x["quantity"] * x["price"] for x in lines)}) + "\n")
    return session(path)


def test_nested_json_orders_are_read_one_row_per_line_with_their_objects_as_columns(nested_orders):
    s = nested_orders
    a = s.fork().ask("revenue by country")
    got = {r[0]: r[1] for r in a.tables[0].rows}
    # DE: even orders (quantity 1 of Boots): 30 x 50 + 10 shirts (i % 6 == 0) x 10 + 20 scarves x 10
    assert got == pytest.approx({"DE": 30 * 50 + 10 * 10 + 20 * 10, "US": 30 * 100 + 10 * 10 + 20 * 10})
    assert dict(a.tables[-1].rows)["orders"] == 60
    a = s.fork().ask("which products sell the most units")
    assert [(r[0], r[1]) for r in a.tables[0].rows] == [("Boots", 90), ("Scarf", 80), ("Shirt", 20)]
    a = s.fork().ask("revenue by category")
    assert {r[0] for r in a.tables[0].rows} == {"Shoes", "Men's Clothing", "Accessories"}  # not lists of them
    notes = " ".join(n for src in s.dataset.sources for n in src.raw.notes)
    assert "products: one row per line (60 records, 120 lines)" in notes and "category of the record read as order_category" in notes


# ---------------------------------------------------------------------------------------- a Parquet file of lines
@pytest.fixture(scope="module")
def retail_parquet(tmp_path_factory):
    """A retail transactions file as Parquet (trial 33): customer_id, trans_date written month first as text
    (M/D/YYYY), tran_amount; 40 customers, customer c buying 10 + c on each of c % 5 + 1 days of 2014-2015.
    With it a response file (customer_id, response 0/1) like a campaign's."""
    folder = tmp_path_factory.mktemp("parquet")
    rows = [(f"CS{c:03d}", f"{1 + k}/{1 + (c * 3 + k) % 27}/{2014 + k % 2}", 10 + c)
            for c in range(40) for k in range(c % 5 + 1)]
    lines = pd.DataFrame(rows, columns=["customer_id", "trans_date", "tran_amount"])
    lines.to_parquet(folder / "retail_transactions.parquet")
    pd.DataFrame({"customer_id": [f"CS{c:03d}" for c in range(40)], "response": [c % 4 == 0 for c in range(40)]}
                 ).astype({"response": int}).to_parquet(folder / "retail_response.parquet")
    return session(folder / "retail_transactions.parquet", folder / "retail_response.parquet"), lines


def test_a_parquet_file_of_transactions_with_text_dates_is_read_as_sales(retail_parquet):
    s, lines = retail_parquet
    roles = {src.name: src.role for src in s.dataset.sources}
    assert roles == {"retail_transactions.parquet": "transactions", "retail_response.parquet": "customers"}
    a = s.fork().ask("what is our total revenue?")
    head = dict(a.tables[0].rows)
    assert head["revenue"] == lines.tran_amount.sum() and head["customers"] == 40


@pytest.mark.parametrize("question, who, cmp", [
    ("how many customers spent more than 100 in total?", "customer", lambda v: v > 100),
    ("clients who paid at least 150", "customer", lambda v: v >= 150),
    ("how many transactions were over 40 dollars?", "order", lambda v: v > 40)])
def test_money_compared_with_an_amount_counts_the_customers_or_orders(retail_parquet, question, who, cmp):
    s, lines = retail_parquet
    a = s.fork().ask(question)
    assert a.params.get("spent_by") == who and "not applied" not in a.understood
    key = ["customer_id"] if who == "customer" else ["customer_id", "trans_date"]
    values = lines.groupby(key).tran_amount.sum()
    hit = int(cmp(values).sum())
    assert 0 < hit < len(values)
    assert a.summary.startswith(f"**{hit:,} of {len(values):,} {who}s")
    assert dict(a.tables[0].rows)["their revenue"] == pytest.approx(values[cmp(values)].sum())


def test_an_amount_like_a_year_after_spent_is_no_year(retail_parquet):
    s, lines = retail_parquet
    a = s.fork().ask("how many customers spent more than 2000 in total?")
    assert not a.params.get("start") and a.params.get("spent") == "> 2000"
    assert a.summary.startswith("**0 of 40 customers")


# ---------------------------------------------------------------------------------------- a returns sheet
@pytest.fixture(scope="module")
def returns_workbook(tmp_path_factory):
    """A Superstore-like workbook (trial 35): Orders (Order ID, Order Date, Customer ID, Category, Sales; 60
    orders of two lines each, 100 and 50) and Returns (Returned = Yes, Order ID) listing every sixth order,
    plus one id that is no order and one row saying No."""
    folder = tmp_path_factory.mktemp("workbook")
    lines = pd.DataFrame([{"Order ID": f"CA-2024-{i:04d}", "Order Date": pd.Timestamp("2024-01-01") + pd.Timedelta(days=i),
                           "Customer ID": f"C{i % 15:02d}", "Category": ["Furniture", "Technology"][k],
                           "Sales": [100.0, 50.0][k]} for i in range(60) for k in range(2)])
    returns = pd.DataFrame({"Returned": ["Yes"] * 10 + ["Yes", "No"],
                            "Order ID": [f"CA-2024-{i:04d}" for i in range(0, 60, 6)] + ["XX-0000", "CA-2024-0001"]})
    path = folder / "superstore.xlsx"
    with pd.ExcelWriter(path) as xl:
        lines.to_excel(xl, sheet_name="Orders", index=False)
        returns.to_excel(xl, sheet_name="Returns", index=False)
    return session(path), lines


def test_a_sheet_of_returned_order_ids_makes_those_orders_returns(returns_workbook):
    s, lines = returns_workbook
    roles = {src.name.split("#")[-1]: src.role for src in s.dataset.sources}
    assert roles == {"Orders": "transactions", "Returns": "returned orders"}
    a = s.fork().ask("how many orders were returned?")
    assert "Refunds, returns and cancellations: 10 orders worth 1,500.00 in all" in a.summary  # it said 0
    a = s.fork().ask("total sales")
    assert dict(a.tables[0].rows)["revenue"] == 150.0 * 50  # the 10 returned orders are refunds, not sales
    assert any("10 orders (20 lines) listed in superstore.xlsx#Returns as returned are refunds" in w for w in a.warnings)
    a = s.fork().ask("refunds by category")
    assert {r[0]: r[1] for r in a.tables[0].rows} == {"Furniture": 1000.0, "Technology": 500.0}

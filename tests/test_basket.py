"""basket: rules and itemsets equal mlxtend's own on a dense one-hot frame (a Groceries fixture:
the first 500 baskets of the R arules package's Groceries data), the SQL counting path equals the
mlxtend path, the demo's planted bundles come out on top, cross-/up-selling find planted moves,
and bad input gets a clear message."""

import datetime as dt
import itertools
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import demo_session

from custlens import Session
from custlens.errors import DataError, ParamsError
from custlens.plugins.basket import mining
from custlens.templates import pct

GROCERIES = Path(__file__).parent / "data" / "groceries_500.csv"
METRICS = ["support", "confidence", "lift", "leverage", "conviction", "antecedent_support", "consequent_support"]


@pytest.fixture(scope="module")
def groceries():
    return Session(data=[str(GROCERIES)], entry_points=False)


@pytest.fixture(scope="module")
def demo():
    return demo_session(2000, 7)


def mlxtend_dense(min_support, min_confidence, max_len):
    """The common way: TransactionEncoder -> dense boolean frame -> fpgrowth -> association_rules
    (rules with lift of at least 1, basket's default)."""
    from mlxtend.frequent_patterns import association_rules, fpgrowth
    from mlxtend.preprocessing import TransactionEncoder

    baskets = [[i.strip() for i in line.split(",") if i.strip()] for line in GROCERIES.read_text().splitlines()]
    te = TransactionEncoder()
    frame = pd.DataFrame(te.fit(baskets).transform(baskets), columns=te.columns_)
    itemsets = fpgrowth(frame, min_support=min_support, use_colnames=True, max_len=max_len)
    rules = association_rules(itemsets, num_itemsets=len(frame), metric="confidence", min_threshold=min_confidence)
    return itemsets, rules[rules["lift"] >= 1.0], len(frame)


def keyed(frame, left, right=None):
    sides = [frozenset(frame[left].split(" + ")) if isinstance(frame[left], str) else frame[left]]
    if right is not None:
        sides.append(frozenset(frame[right].split(" + ")) if isinstance(frame[right], str) else frame[right])
    return tuple(sides)


@pytest.mark.parametrize("engine,algorithm", [("mlxtend", "fpgrowth"), ("mlxtend", "apriori"),
                                              ("mlxtend", "hmine"), ("sql", "fpgrowth")])
def test_itemsets_and_rules_equal_mlxtend_on_a_dense_frame(groceries, engine, algorithm):
    a = groceries.run("basket", {"min_support": 0.02, "min_confidence": 0.1, "max_len": 3, "engine": engine,
                                 "algorithm": algorithm, "multi_consequent": True, "top": 1000})
    itemsets, rules, n = mlxtend_dense(0.02, 0.1, 3)
    expected = {s: v for s, v in zip(itemsets["itemsets"], itemsets["support"]) if len(s) >= 2}
    got = a.table("bundles").frame
    assert len(got) == len(expected) > 20
    for row in got.itertuples():
        assert row.support == pytest.approx(expected[frozenset(row.items.split(" + "))], abs=1e-6)
        assert row.baskets == round(row.support * n)
    ours = a.table("rules").frame
    assert len(ours) == len(rules) > 10
    theirs = {(r["antecedents"], r["consequents"]): r for r in rules.to_dict("records")}
    for row in ours.to_dict("records"):
        ref = theirs[keyed(row, "antecedents", "consequents")]
        for m in METRICS:
            want = ref[m.replace("_", " ") if m.endswith("_support") else m]
            assert (math.isnan(row[m]) and math.isinf(want)) or row[m] == pytest.approx(want, abs=1e-6), m
        assert row["baskets"] == round(ref["support"] * n)
        assert row["antecedent_baskets"] == round(ref["antecedent support"] * n)


def test_one_item_on_the_right_by_default(groceries):
    a = groceries.run("basket", {"min_support": 0.02, "min_confidence": 0.1, "top": 1000})
    _, rules, _ = mlxtend_dense(0.02, 0.1, 3)
    single = rules[rules["consequents"].map(len) == 1]
    assert {keyed(r, "antecedents", "consequents") for r in a.table("rules").frame.to_dict("records")} == \
        {(r.antecedents, r.consequents) for r in single.itertuples()}
    assert all(" + " not in c for c in a.table("rules").column("consequents"))


def test_default_support_adapts_and_is_reported(groceries):
    a = groceries.run("basket", {})
    chosen = float(re.search(r"minimum support of \*\*([\d.]+)%", a.summary).group(1)) / 100
    assert chosen in mining.LADDER
    assert "chosen to give a readable number of rules" in a.summary
    assert a.table("rules").total_rows >= 10  # readable: at least READABLE_RULES one-to-one rules...
    higher = [s for s in mining.LADDER if s > chosen]
    if higher:  # ...which the next support up does not give
        b = groceries.run("basket", {"min_support": higher[-1], "max_len": 2})
        assert b.table("rules").total_rows < mining.READABLE_RULES


def test_narrative_numbers_come_from_the_rules_table(groceries):
    a = groceries.run("basket", {"min_support": 0.02})
    top = a.table("rules").frame.iloc[0]
    line = (f"Customers who buy {top.antecedents} buy **{top.consequents}** {top.lift:.1f}x as often as everyone "
            f"else; {pct(top.support)} of baskets contain both")
    assert line in a.summary
    assert f"{a.table('rules').total_rows:,} rules" in a.summary
    kinds = {c.kind for c in a.charts}
    assert kinds == {"scatter", "network"} and all(c.table == "rules" for c in a.charts)


def test_product_is_fuzzy_matched_and_on_either_side(groceries):
    a = groceries.run("basket", {"product": "milk", "min_support": 0.01})
    assert any("'milk' read as 'whole milk'" in w for w in a.warnings)
    assert a.readings == {"product": "whole milk"}  # and said in the first line
    assert a.understood.startswith("basket · product=whole milk (said: milk)")
    exact = groceries.run("basket", {"product": "whole milk", "min_support": 0.01})
    assert exact.readings == {} and "said:" not in exact.understood
    rules = a.table("rules").frame
    assert len(rules) and all("whole milk" in (r.antecedents + " + " + r.consequents).split(" + ")
                              for r in rules.itertuples())
    assert {"whole milk"} & set(rules.antecedents) and {"whole milk"} & set(rules.consequents)
    comp = a.table("companions").frame
    lines = [[i.strip() for i in ln.split(",")] for ln in GROCERIES.read_text().splitlines()]
    first = comp.iloc[0]
    together = sum("whole milk" in b and first.companion in b for b in lines)
    assert first.baskets_together == together
    assert first.lift == pytest.approx(together * len(lines) / (sum("whole milk" in b for b in lines) *
                                                                 sum(first.companion in b for b in lines)), abs=1e-5)
    assert "What goes with whole milk" in a.summary
    adaptive = groceries.run("basket", {"product": "whole milk"})  # support chosen for rules about the product
    assert adaptive.table("rules").total_rows >= mining.READABLE_FOCUS
    assert "rules about whole milk" in adaptive.summary


def test_unknown_product_names_close_ones(groceries):
    with pytest.raises(ParamsError, match=r"no product matching 'yoghurt smoothie' in the baskets\. "
                                          r"Close names: .*'yogurt'"):
        groceries.run("basket", {"product": "yoghurt smoothie"})


@pytest.mark.parametrize("params,message", [
    ({"min_support": 1.5}, "min_support=1.5: Input should be less than or equal to 1"),
    ({"min_support": 0}, "min_support=0: Input should be greater than 0"),
    ({"min_confidence": -0.1}, "min_confidence=-0.1: Input should be greater than 0"),
    ({"min_lift": 0}, "min_lift=0: Input should be greater than 0"),
    ({"max_len": 1}, "max_len=1: Input should be greater than or equal to 2"),
])
def test_thresholds_out_of_range(groceries, params, message):
    with pytest.raises(ParamsError, match=re.escape(message)):
        groceries.run("basket", params)


def test_a_basket_file_cannot_take_periods_or_segments(groceries):
    with pytest.raises(ParamsError, match="basket file has only baskets and items.*a period"):
        groceries.run("basket", {"start": "2024-01-01"})


def test_demo_planted_bundles_come_out_on_top(demo):
    s, store = demo
    a = s.run("basket", {"focus": "bundles"})
    assert a.tables[0].name == "bundles"
    planted = [frozenset(b) for b in store.truth["bundles"]]
    parts = {frozenset(c) for b in store.truth["bundles"] for k in range(2, len(b) + 1)
             for c in itertools.combinations(b, k)}
    ranked = [frozenset(x.split(" + ")) for x in a.table("bundles").column("items")]
    assert set(ranked[:len(parts)]) == parts  # every planted bundle and its parts before anything else
    assert set(planted) <= set(ranked[:len(parts)])
    top = a.table("bundles").frame.iloc[0]
    assert f"**{top['items']}**: in {pct(top.support)} of baskets ({top.baskets:,})" in a.summary


def test_sql_counting_equals_mlxtend_on_the_demo(demo):
    s, _ = demo
    kw = {"min_support": 0.002, "min_confidence": 0.05, "max_len": 4, "top": 1000}
    by_sql = s.run("basket", {**kw, "engine": "sql"}).table("rules").frame
    by_mlxtend = s.run("basket", {**kw, "engine": "mlxtend"}).table("rules").frame
    assert len(by_sql) > 10
    pd.testing.assert_frame_equal(by_sql, by_mlxtend)


def test_baskets_are_orders_without_returns_and_periods_narrow_them(demo):
    s, _ = demo
    orders = s.dataset.scalar("SELECT count(DISTINCT order_id) FROM transactions")
    a = s.run("basket", {"min_support": 0.01})
    assert f"{orders:,} baskets from the orders" in a.summary
    start, end = dt.date(2024, 1, 1), dt.date(2024, 6, 30)
    n = s.dataset.scalar("SELECT count(DISTINCT order_id) FROM transactions WHERE order_date >= ? AND "
                         "order_date < CAST(? AS DATE) + INTERVAL 1 DAY", [start, end])
    b = s.run("basket", {"min_support": 0.01, "start": start, "end": end})
    assert f"{n:,} baskets from the orders from 2024-01-01 to 2024-06-30" in b.summary


def test_category_level_rules(demo):
    s, _ = demo
    # the planted bundles lie within one category each, so categories go together hardly above chance
    a = s.run("basket", {"level": "category", "min_support": 0.005, "min_confidence": 0.05, "min_lift": 0.5})
    categories = set(s.dataset.query("SELECT DISTINCT category FROM transactions")["category"])
    rules = a.table("rules").frame
    assert len(rules) and set(rules.antecedents.str.split(" + ", regex=False).explode()) | set(rules.consequents) \
        <= categories
    counts = s.dataset.query("SELECT category AS item, count(DISTINCT order_id) AS baskets FROM transactions "
                             "GROUP BY 1 ORDER BY 2 DESC, 1")
    assert a.table("items").frame[["item", "baskets"]].values.tolist() == counts.values.tolist()


def test_customer_cross_sell_uses_their_segment(demo):
    s, store = demo
    s.dataset.set_segments(store.truth["segments"], "test")
    try:
        buyers = s.dataset.query("""
            SELECT customer_id FROM transactions GROUP BY 1
            HAVING bool_or(product = 'Espresso Machine') AND NOT bool_or(product = 'Coffee Grinder')
            ORDER BY 1 LIMIT 1""")
        customer = buyers.customer_id[0]
        segment = store.truth["segments"].set_index("customer_id").segment[customer]
        a = s.run("basket", {"customer": customer, "min_support": 0.005})
        recs = a.table("recommendations").frame
        assert "Coffee Grinder" in set(recs.recommend)
        bought = set(s.dataset.query("SELECT DISTINCT product FROM transactions WHERE customer_id = ?",
                                     [customer])["product"])
        assert not set(recs.recommend) & bought
        assert f"segment {segment}" in a.summary
        seg_orders = s.dataset.scalar("SELECT count(DISTINCT order_id) FROM transactions WHERE customer_id IN "
                                      "(SELECT customer_id FROM segments WHERE segment = ?)", [segment])
        assert f"{seg_orders:,} baskets from the orders of segment = {segment}" in a.summary
        with pytest.raises(ParamsError, match="no purchases by customer 'C9999999'. Closest ids"):
            s.run("basket", {"customer": "C9999999"})
    finally:
        s.dataset.clear_segments()
    with pytest.raises(ParamsError, match="no segment labels are saved"):
        s.run("basket", {"segment": "vip"})


def up_sell_store(tmp_path):
    """Fitness: mat 20, premium mat 80. C1-C3 bought the mat then the premium one; C4-C6 only the mat;
    C7 bought the premium mat first (not a move). Books, one price: no move."""
    rows, n = [], 0

    def add(customer, product, category, price, day):
        nonlocal n
        n += 1
        rows.append({"order_id": f"O{n}", "customer_id": customer, "order_date": dt.date(2024, 1, day),
                     "product": product, "category": category, "quantity": 1, "unit_price": price, "amount": price})

    for c in ("C1", "C2", "C3"):
        add(c, "Mat", "Fitness", 20.0, 1)
        add(c, "Premium Mat", "Fitness", 80.0, 10)
    for c in ("C4", "C5", "C6"):
        add(c, "Mat", "Fitness", 20.0, 2)
    add("C7", "Premium Mat", "Fitness", 80.0, 1)
    add("C7", "Mat", "Fitness", 20.0, 5)
    add("C8", "Novel", "Books", 10.0, 3)
    path = tmp_path / "orders.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_up_sell_finds_the_move_and_who_has_not_made_it(tmp_path):
    s = Session(data=[str(up_sell_store(tmp_path))], entry_points=False)
    a = s.run("basket", {"focus": "up_sell"})
    paths = a.table("upsell_paths").frame
    assert paths[["from_product", "to_product", "moved", "from_customers", "not_yet"]].values.tolist() == \
        [["Mat", "Premium Mat", 3, 7, 3]]  # C7 bought both, just not in that order
    assert a.table("upsell_candidates").column("customer_id") == ["C4", "C5", "C6"]
    assert "**Mat** (20.00) -> **Premium Mat** (80.00): 3 of its 7 buyers moved (42.9%); 3 have not" in a.summary
    assert "3 customers have not yet made the move" in a.summary
    assert s.run("basket", {"focus": "up_sell", "product": "premium"}).table("upsell_paths").total_rows == 1
    with pytest.raises(DataError, match="no customer moved from a cheaper to a dearer product .* from or to Novel"):
        s.run("basket", {"focus": "up_sell", "product": "novel"})


def test_up_sell_lists_the_likeliest_candidates_and_counts_them_all(tmp_path, monkeypatch):
    """Past MAX_CANDIDATES rows the list is cut (the likeliest first) and says so; the count of
    customers who have not moved, in the narrative, is over all of them."""
    from custlens.plugins.basket import selling

    monkeypatch.setattr(selling, "MAX_CANDIDATES", 2)
    s = Session(data=[str(up_sell_store(tmp_path))], entry_points=False)
    a = s.run("basket", {"focus": "up_sell"})
    assert a.table("upsell_candidates").column("customer_id") == ["C4", "C5"]
    assert "3 customers have not yet made the move" in a.summary
    assert any("the 2 likeliest of 3 up-sell candidates" in w for w in a.warnings)
    monkeypatch.setattr(selling, "MAX_CANDIDATES", 3)
    b = Session(data=[str(up_sell_store(tmp_path))], entry_points=False).run("basket", {"focus": "up_sell"})
    assert b.table("upsell_candidates").column("customer_id") == ["C4", "C5", "C6"]
    assert not any("likeliest" in w for w in b.warnings)


def test_up_sell_same_day_purchase_and_other_category_are_not_moves(tmp_path):
    """Bag 30 -> Big Bag 90: C1, C2 moved; C3 bought both the same day (not a move, but not a
    candidate either); C4 only the bag. Gloves (Garden, dearer, bought later) are another category."""
    rows = [("C1", "Bag", "Bags", 30.0, 1), ("C1", "Big Bag", "Bags", 90.0, 5), ("C1", "Gloves", "Garden", 100.0, 9),
            ("C2", "Bag", "Bags", 30.0, 1), ("C2", "Big Bag", "Bags", 90.0, 6), ("C2", "Gloves", "Garden", 100.0, 9),
            ("C3", "Bag", "Bags", 30.0, 3), ("C3", "Big Bag", "Bags", 90.0, 3), ("C4", "Bag", "Bags", 30.0, 4)]
    path = tmp_path / "orders.csv"
    pd.DataFrame([{"order_id": f"O{i}", "customer_id": c, "order_date": dt.date(2024, 1, day), "product": p,
                   "category": cat, "quantity": 1, "unit_price": price, "amount": price}
                  for i, (c, p, cat, price, day) in enumerate(rows)]).to_csv(path, index=False)
    s = Session(data=[str(path)], entry_points=False)
    a = s.run("basket", {"focus": "up_sell"})
    assert a.table("upsell_paths").frame[["from_product", "to_product", "moved", "from_customers", "not_yet"]] \
        .values.tolist() == [["Bag", "Big Bag", 2, 4, 1]]
    assert a.table("upsell_candidates").column("customer_id") == ["C4"]
    assert s.dataset.query("SELECT * FROM duckdb_tables() WHERE table_name LIKE '__upsell%'").empty


def test_every_basket_of_one_item(tmp_path):
    s = Session(data=[str(up_sell_store(tmp_path))], entry_points=False)  # one line per order
    with pytest.raises(DataError, match="every one of the 12 baskets in the orders holds a single item"):
        s.run("basket", {})


def test_no_order_ids_and_no_basket_file(tmp_path):
    path = tmp_path / "customers.csv"
    pd.DataFrame({"customer_id": ["a", "b", "c"], "country": ["DE", "FR", "DE"]}).to_csv(path, index=False)
    s = Session(data=[str(path)], entry_points=False)
    with pytest.raises(DataError, match="basket analysis needs baskets: sales lines with an order id and a product"
                                        ".*or a basket file.*no sales data is loaded.*--data baskets=PATH"):
        s.run("basket", {})
    lines = tmp_path / "lines.csv"  # sales without an order id, nor a customer and date to derive one from
    pd.DataFrame({"customer_id": ["c1", "c2", "c1"], "product": ["a", "b", "a"], "quantity": [1, 2, 1],
                  "amount": [1.0, 2.0, 3.0]}).to_csv(lines, index=False)
    s = Session(data=[f"transactions={lines}"], entry_points=False)
    with pytest.raises(DataError, match="the sales data has no order_id. Map the columns with --map order_id="):
        s.run("basket", {})


def big_baskets(tmp_path):
    """300 baskets over 60 items with a planted pair (p1, p2) in a third of them, plus one basket of
    400 distinct items (wholesale)."""
    rng = np.random.default_rng(3)
    lines = []
    for b in range(300):
        items = {f"item{i}" for i in rng.choice(60, size=rng.integers(2, 6), replace=False)}
        if b % 3 == 0:
            items |= {"p1", "p2"}
        lines.append(",".join(sorted(items)))
    lines.append(",".join(f"bulk{i}" for i in range(340)) + "," + ",".join(f"item{i}" for i in range(60)))
    path = tmp_path / "big.basket"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_basket_of_hundreds_of_items_is_handled(tmp_path):
    s = Session(data=[str(big_baskets(tmp_path))], entry_points=False)
    kw = {"min_support": 0.02, "min_confidence": 0.1, "top": 1000}
    by_sql = s.run("basket", {**kw, "engine": "sql"})
    by_mlxtend = s.run("basket", {**kw, "engine": "mlxtend"})
    pd.testing.assert_frame_equal(by_sql.table("rules").frame, by_mlxtend.table("rules").frame)
    top = by_sql.table("rules").rows[0]
    assert {"p1", "p2"} <= set(top[0].split(" + ")) | {top[1]}
    assert any("largest basket holds 400 items" in w for w in by_sql.warnings)


def test_threshold_is_raised_when_pairs_would_explode(groceries, monkeypatch):
    monkeypatch.setattr(mining, "MAX_PAIRS", 20)
    a = groceries.run("basket", {"min_support": 0.005, "max_len": 2, "top": 1000})
    warning = next(w for w in a.warnings if "too many frequent items or pairs" in w)
    raised = float(re.search(r"raised to ([\d.]*\d)", warning).group(1))
    assert raised > 0.005
    assert len(a.table("bundles").frame) <= 20


def test_routing_smoke(demo):
    s, _ = demo
    assert s.ask("which products are bought together?").analysis == "basket"
    assert s.ask("market basket analysis").analysis == "basket"


def test_by_segment_mines_each_segment_and_by_category_means_category_level(demo):
    s, store = demo
    s.dataset.set_segments(store.truth["segments"], "test")
    try:
        a = s.run("basket", {"by": ["segment"], "min_support": 0.01, "top": 3})
        per = a.table("rules_by_segment").frame
        labels = set(store.truth["segments"].segment)
        assert set(per.segment) <= labels and len(set(per.segment)) >= 3
        vip = per[per.segment == "vip"].iloc[0]
        alone = s.run("basket", {"segment": "vip", "min_support": 0.01}).table("rules").frame.iloc[0]
        assert (vip.antecedents, vip.consequents, vip.lift) == (alone.antecedents, alone.consequents, alone.lift)
        assert f"vip: customers who buy {vip.antecedents} buy **{vip.consequents}** {vip.lift:.1f}x" in a.summary
    finally:
        s.dataset.clear_segments()
    assert s.run("basket", {"by": ["category"], "min_support": 0.01}).params["level"] == "category"
    with pytest.raises(ParamsError, match="over products, categories or saved segments, not country"):
        s.run("basket", {"by": ["country"]})


def test_a_product_read_as_a_filter_is_the_focus_and_line_filters_keep_whole_orders(demo):
    s, _ = demo
    a = s.run("basket", {"filters": {"product": ["Coffee Grinder"]}})  # how the router reads "with coffee grinder"
    assert a.table("companions").rows[0][0] == "Espresso Machine"
    b = s.run("basket", {"filters": {"category": ["Fitness"]}, "min_support": 0.01})
    orders = s.dataset.scalar("SELECT count(DISTINCT order_id) FROM transactions WHERE category = 'Fitness'")
    assert f"{orders:,} baskets from the orders holding category = Fitness" in b.summary
    assert "Resistance Bands" in set(b.table("rules").frame.consequents)
    fitness = set(s.dataset.query("SELECT DISTINCT product FROM transactions WHERE category = 'Fitness'")["product"])
    assert set(b.table("items").frame["item"]) - fitness  # the other lines of those orders count too


def test_threshold_is_raised_when_items_would_explode(groceries, monkeypatch):
    monkeypatch.setattr(mining, "MAX_ITEMS", 5)
    a = groceries.run("basket", {"min_support": 0.005, "max_len": 2, "min_confidence": 0.05, "top": 1000})
    warning = next(w for w in a.warnings if "raised to" in w and "over 5 items" in w)
    raised = float(re.search(r"raised to ([\d.]*\d)", warning).group(1))
    support = a.table("items").frame["support"]
    assert support[5] <= raised < support[4]  # just above the 6th item: the 5 most frequent items stay


@pytest.mark.parametrize("question, key, value", [
    ("association rules with lift above 2", "min_lift", 2.0),
    ("rules with confidence of at least 40%", "min_confidence", 0.4),
    ("which items go together, support > 2%", "min_support", 0.02),
    ("rules with a lift greater than 1.5 and confidence over 30", "min_confidence", 0.3),
])
def test_thresholds_said_in_words_are_applied(groceries, question, key, value):
    a = groceries.ask(question)
    assert a.analysis == "basket" and a.params[key] == pytest.approx(value)
    if key == "min_lift":
        assert a.tables[0].rows and all(row[a.tables[0].columns.index("lift")] >= 2 for row in a.tables[0].rows)


def test_a_threshold_follow_up_keeps_the_rules(groceries):
    s = groceries.fork()
    s.chat("which products are bought together")
    a = s.chat("only with lift above 3")
    assert a.analysis == "basket" and a.params["min_lift"] == 3.0


def test_rules_from_a_few_baskets_carry_a_small_sample_caveat(tmp_path):
    """Three baskets of jeans, belt and cap among forty: the rule jeans + belt -> cap has a lift of
    over 10, from 3 baskets: said as a small sample; not once the same baskets are twenty times as many."""
    lines = ["denim jeans,leather belt,cap"] * 3 + ["mug,plate"] * 20 + ["mug,bowl"] * 10 + ["plate,bowl"] * 6 + \
        ["mug,plate,bowl,spoon"]  # lines of every length: a basket file, not a table
    path = tmp_path / "baskets.csv"
    path.write_text("\n".join(lines) + "\n")
    a = Session(data=[f"baskets={path}"], entry_points=False).run("basket", {"min_support": 0.05})
    rules = a.table("rules").frame
    assert (rules["baskets"] == 3).any() and rules["lift"].max() > 10
    caveat = [w for w in a.warnings if "fewer than 30 baskets" in w]
    assert caveat and caveat[0].startswith(f"{int((rules['baskets'] < 30).sum())} of the {len(rules)} rules")
    path.write_text("\n".join(lines * 20) + "\n")  # the same baskets twenty times: every rule on 60 baskets or more
    a = Session(data=[f"baskets={path}"], entry_points=False).run("basket", {"min_support": 0.05})
    assert a.table("rules").frame["baskets"].min() >= 60
    assert not [w for w in a.warnings if "fewer than 30 baskets" in w]


def test_reset_filters_after_rules_about_one_product_gives_the_general_rules(tmp_path):
    """Trial 7: after "what goes with yogurt" and "top 5", "reset filters" said plain `basket` on its
    first line while its body was still the rules about yogurt. The product narrows the answer like a
    filter: said on every first line while in force, and a reset is the whole data again."""
    path = tmp_path / "baskets.csv"
    lines = ["bread,milk,water,salt"] + ["bread,milk"] * 30 + ["yogurt,fruit"] * 20 + ["yogurt,milk"] * 5 \
        + ["beer,chips"] * 15 + ["water", "salt,water,bread"] * 15
    path.write_text("\n".join(lines) + "\n")
    s = Session(data=[str(path)], entry_points=False)
    first = s.chat("what goes with yogurt")
    assert first.params["product"] == "yogurt" and [r[0] for r in first.table("companions").rows] == ["fruit"]
    top = s.chat("top 5")
    assert top.params["product"] == "yogurt" and "product=yogurt" in top.understood  # still in force: said
    reset = s.chat("reset filters")
    assert reset.analysis == "basket" and not reset.params.get("product") and "product" not in reset.understood
    pairs = {frozenset((r[0], r[1])) for r in reset.table("rules").rows}
    assert frozenset(("beer", "chips")) in pairs and frozenset(("fruit", "yogurt")) in pairs  # not only yogurt's
    assert "about yogurt" not in reset.summary

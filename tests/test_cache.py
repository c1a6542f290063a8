"""Issue 20: what is computed once and reused. The per-order and per-customer tables and exact
counts per loaded data (shared with forks, remade when the data or a mapping changes); answers
per conversation by (data, segments, analysis, parameters); fitted models by their inputs. Checked
by counting the SQL statements run (``Dataset.sql_log``) and the models fitted, never by time."""

from pathlib import Path

import pandas as pd
import pytest

from custlens import Session
from helpers import write

TELCO = Path(__file__).parent / "data" / "telco_sample.csv"


def ran(session, question: str):
    """(answer, SQL statements the question ran)."""
    start = len(session.dataset.sql_log)
    answer = session.ask(question)
    return answer, len(session.dataset.sql_log) - start


def same(a, b) -> bool:
    return a.summary == b.summary and [(t.name, t.columns, t.rows) for t in a.tables] == \
        [(t.name, t.columns, t.rows) for t in b.tables]


@pytest.fixture
def demo():
    s = Session(entry_points=False)
    s.load_demo(customers=600, seed=5)
    return s


def orders_file(tmp_path, amount_column="amount"):
    rows = [["customer_id", "order_id", "order_date", "product", "amount", "net"]]
    for i in range(40):
        rows.append([f"C{i % 7}", f"O{i // 2}", f"2024-{1 + i % 12:02d}-{1 + i % 27:02d}", f"P{i % 3}",
                     10 + i, 5 + i])
    return write(tmp_path / "orders.csv", rows)


# ------------------------------------------------------------------ answers
def test_the_same_question_again_runs_no_sql_and_answers_the_same(demo):
    for question in ("how many customers do we have", "total revenue by country", "run an RFM analysis",
                     "monthly cohort retention", "what is our churn rate?"):
        first, n1 = ran(demo, question)
        again, n2 = ran(demo, question)
        assert n1 > 0 and n2 == 0, question
        assert same(first, again), question
        assert again.provenance.sql == first.provenance.sql  # "how did you compute that" still says it


def test_cached_answers_are_copies(demo):
    first, _ = ran(demo, "total revenue by country")
    first.tables.pop()
    first.warnings.append("changed by a front end")
    again, n = ran(demo, "total revenue by country")
    assert n == 0 and "changed by a front end" not in again.warnings
    assert len(again.tables) == len(first.tables) + 1


def test_go_back_export_and_plot_do_not_recompute(demo, tmp_path):
    demo.export_dir = str(tmp_path)
    demo.chat("total revenue by country")
    demo.chat("by product instead")
    start = len(demo.dataset.sql_log)
    back = demo.chat("go back")
    demo.chat("export that to csv")
    assert len(demo.dataset.sql_log) == start
    assert back.table("by_country") is not None


def test_answers_are_the_same_with_and_without_the_cache(demo, tmp_path):
    """The overview's headline and breakdowns from the shared aggregates against the same
    figures computed from the lines with pandas."""
    lines = demo.dataset.query("SELECT * FROM transactions")
    a = demo.ask("how many customers do we have")
    h = dict(a.table("headline").rows)
    assert h["customers"] == lines.customer_id.nunique() and h["orders"] == lines.order_id.nunique()
    assert h["revenue"] == pytest.approx(round(lines.amount.sum(), 2), abs=0.011)
    by_country = a.table("by_country").frame.set_index("country")["revenue"]
    truth = lines.groupby("country").amount.sum().round(2)
    assert by_country.to_dict() == pytest.approx(truth.to_dict(), abs=0.011)
    # a fresh session without any cached work answers the same
    fresh = Session(entry_points=False)
    fresh.load_demo(customers=600, seed=5)
    fresh.answers.max_answers = 0
    assert same(fresh.ask("how many customers do we have"), a)


def test_map_and_load_invalidate_answers(tmp_path):
    s = Session(data=[orders_file(tmp_path)], entry_points=False)
    before, _ = ran(s, "total revenue")
    s.map("amount=net")
    after, n = ran(s, "total revenue")
    assert n > 0 and len(s.answers) == 1  # the answers of the data before the mapping are let go
    assert dict(after.table("headline").rows)["revenue"] == dict(before.table("headline").rows)["revenue"] - 5 * 40
    more = write(tmp_path / "more.csv", [["customer_id", "order_id", "order_date", "product", "amount", "net"],
                                        ["C99", "O99", "2024-06-01", "P1", 1000, 1000]])
    s.load(more)
    loaded, n = ran(s, "how many customers do we have")
    assert n > 0 and dict(loaded.table("headline").rows)["customers"] == 8


def test_a_filter_or_period_is_another_answer(demo):
    ran(demo, "total revenue by country")
    germany, n = ran(demo, "total revenue by country for Germany")
    assert n > 0 and [r[0] for r in germany.table("by_country").rows] == ["Germany"]
    _, n = ran(demo, "total revenue by country in 2024")
    assert n > 0


def test_segment_answers_follow_the_saved_labels(demo):
    ran(demo, "segment customers with rfm")
    by_rfm, _ = ran(demo, "total revenue by segment")
    again, n = ran(demo, "segment customers with rfm")
    assert n == 0  # the labels it saved are still in force
    ran(demo, "cluster customers into 3 groups")
    by_kmeans, n = ran(demo, "total revenue by segment")
    assert n > 0 and {r[0] for r in by_kmeans.table("by_segment").rows} != {r[0] for r in by_rfm.table("by_segment").rows}
    back, n = ran(demo, "segment customers with rfm")
    assert n > 0  # another segmentation's labels were saved since: it saves its own again
    assert demo.dataset.segment_method == "rfm"
    assert {r[0] for r in ran(demo, "total revenue by segment")[0].table("by_segment").rows} == \
        {r[0] for r in by_rfm.table("by_segment").rows}


def test_two_conversations_never_see_each_others_answers(demo):
    a, b = demo.fork(), demo.fork()
    ran(a, "segment customers with rfm")
    ran(a, "total revenue by segment")
    # b has no segments: its question is its own, not a's answer (it makes its own segments first, and says so)
    assert not b.dataset.has_segments
    own = b.run("overview", {"by": ["segment"]})
    assert any("segmentation first" in w for w in own.warnings) and b.dataset.has_segments
    _, n = ran(b, "total revenue by country")
    assert n > 0  # a's answers are a's
    a.close()
    b.close()


# ------------------------------------------------------------------ per-order and per-customer tables
def test_per_customer_table_equals_the_query_over_the_lines(demo):
    ds = demo.dataset
    cached = ds.query(ds.per_customer()).sort_values("customer_id").reset_index(drop=True)
    direct = ds.query(ds.per_customer_sql()).sort_values("customer_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(cached, direct, check_exact=False, rtol=1e-12)
    scoped = ds.per_customer("t.country = 'Germany'", ["orders"])
    assert "__custlens_per_customer" not in scoped  # a scope reads the lines


def test_per_customer_table_is_made_once_and_shared_with_forks(demo):
    made = lambda s: [q for q in s.dataset.sql_log if "TABLE __custlens_per_customer_first_order" in q]  # noqa: E731
    a, b = demo.fork(), demo.fork()
    ran(a, "run an RFM analysis")
    ran(b, "what is our churn rate?")
    ran(a, "loyalty of our customers")
    assert len(made(a)) == 1 and made(b) == []
    # RFM reads the recency/frequency/spend group only: the wider groups wait for who reads them
    assert not [q for q in a.dataset.sql_log if "__custlens_per_customer_lines" in q]
    assert [q for q in b.dataset.sql_log if "TABLE __custlens_per_customer_purchase_days" in q]
    a.close()
    b.close()


def test_a_mapping_makes_new_tables(tmp_path):
    s = Session(data=[orders_file(tmp_path)], entry_points=False)
    pc = lambda: s.dataset.query(s.dataset.per_customer(measures=["revenue"])).set_index("customer_id")["revenue"]  # noqa: E731
    before = pc()
    s.map("amount=net")
    after = pc()
    assert (before - after).round(2).to_dict() == {c: 5.0 * n for c, n in
                                                   s.dataset.query("SELECT customer_id, count(*) AS n FROM transactions "
                                                                   "GROUP BY 1").set_index("customer_id")["n"].items()}
    assert s.dataset.exact_counts() == {"customers": 7, "orders": 20, "priced_orders": 20, "priced_customers": 7}


def test_the_views_columns_are_described_again_after_a_mapping(tmp_path):
    """relation_columns describes the data's views once per data version: a mapping that takes the
    extra column ``net`` as the amount is seen at once (it is no longer a column of its own)."""
    s = Session(data=[orders_file(tmp_path)], entry_points=False)
    assert s.dataset.relation_columns("transactions")["net"] == "BIGINT"
    s.dataset.relation_columns("transactions")["extra"] = "VARCHAR"  # a caller's change is its own
    assert "extra" not in s.dataset.relation_columns("transactions")
    s.map("amount=net")
    assert "net" not in s.dataset.relation_columns("transactions")


def test_a_fork_that_maps_keeps_its_own_tables(tmp_path):
    s = Session(data=[orders_file(tmp_path)], entry_points=False)
    shared = s.dataset.query(s.dataset.per_customer(measures=["revenue"]))["revenue"].sum()
    f = s.fork()
    f.map("amount=net")
    mine = f.dataset.query(f.dataset.per_customer(measures=["revenue"]))["revenue"].sum()
    assert mine == pytest.approx(shared - 5 * 40)
    assert s.dataset.query(s.dataset.per_customer(measures=["revenue"]))["revenue"].sum() == pytest.approx(shared)
    f.close()
    assert s.dataset.query(s.dataset.per_customer(measures=["revenue"]))["revenue"].sum() == pytest.approx(shared)


# ------------------------------------------------------------------ fitted models
def test_churn_follow_up_reuses_the_driver_models():
    s = Session(data=[f"customers={TELCO}"], entry_points=False)
    first, _ = ran(s, "why do customers churn?")
    fitted = len(s.dataset.shared.models)
    assert fitted == 1
    by_contract, _ = ran(s, "churn by contract type")
    assert len(s.dataset.shared.models) == fitted and s.dataset.shared.reused >= 1
    assert first.table("models").rows == by_contract.table("models").rows


def test_kmeans_and_clv_fits_are_reused_by_follow_ups(demo):
    ran(demo, "cluster customers into 4 groups")
    ran(demo, "what is the lifetime value of our customers")
    fitted = len(demo.dataset.shared.models)
    reused = demo.dataset.shared.reused
    ran(demo, "what is the lifetime value of our customers by country")
    assert len(demo.dataset.shared.models) == fitted and demo.dataset.shared.reused > reused


# ------------------------------------------------------------------ Parquet: checks with the first question
def test_parquet_load_defers_its_scans_to_the_first_question(tmp_path):
    frame = pd.DataFrame({"customer_id": [" C1", "C2", "C2", "C3", None],
                          "order_id": ["O1", "O2", "O3", "O4", "O5"],
                          "order_date": pd.to_datetime(["2024-01-05", "2024-02-01", "2024-03-01", "2024-03-02",
                                                        "2024-03-03"]),
                          "amount": [10.0, 20.0, -5.0, 30.0, 7.0]})
    path = tmp_path / "orders.parquet"
    frame.to_parquet(path)
    s = Session(data=[str(path)], entry_points=False)
    assert s.dataset.checks_pending  # nothing read every line yet
    a = s.ask("how many customers do we have")
    assert not s.dataset.checks_pending
    said = " ".join(a.warnings)
    assert "1 return/cancellation line(s)" in said and "1 line(s) have no customer id" in said
    h = dict(a.table("headline").rows)
    assert h["customers"] == 3  # " C1" trimmed: the padded column was found and kept trimmed
    version = s.dataset.data_version
    s.ask("total revenue by month")
    assert s.dataset.data_version == version  # the checks ran once


def test_a_parquet_column_that_does_not_read_is_said_at_the_first_question(tmp_path):
    frame = pd.DataFrame({"customer_id": ["C1", "C2", "C3"], "order_date": ["soon", "later", "2024-01-01"],
                          "amount": [1.0, 2.0, 3.0]})
    path = tmp_path / "orders.parquet"
    frame.to_parquet(path)
    s = Session(data=[str(path)], entry_points=False)
    from custlens.errors import DataError

    with pytest.raises(DataError, match="order_date"):
        s.ask("total revenue")


def test_a_served_process_lets_kept_answers_go_past_its_memory_bound(tmp_path):
    """The answers a conversation keeps for re-asking hold full tables too: past the Assistant's
    byte bound, those of every conversation but the most recent are let go (and asked again,
    computed again), so the bound on what answers hold is not undone by the cache."""
    from embedding import demo_assistant

    a = demo_assistant(tmp_path, customers=400)
    try:
        first, second = a.new_conversation(), a.new_conversation()
        a.chat(first, "top 300 customers by revenue")
        assert len(a.session(first).answers) == 1
        a.max_answer_bytes = 1  # everything is over it now
        a.chat(second, "top 300 customers by revenue")
        assert len(a.session(first).answers) == 0 and len(a.session(second).answers) == 1
        start = len(a.session(first).dataset.sql_log)
        a.chat(first, "top 300 customers by revenue")
        assert len(a.session(first).dataset.sql_log) > start
    finally:
        a.close()


def test_on_many_lines_a_breakdown_counts_distinct_orders_only_when_asked(demo, monkeypatch):
    """Above EXACT_LINES purchase lines, "revenue by country" is the revenue per country (and its
    share) without the distinct orders and customers per country, said in a warning; "orders by
    country" has them (estimated, see below), "the exact number of orders by country" exactly; the
    headline's counts stay exact."""
    from custlens.plugins import overview

    lines = demo.dataset.query("SELECT * FROM transactions")
    monkeypatch.setattr(overview, "EXACT_LINES", len(lines) - 1)
    revenue = demo.ask("total revenue by country")
    # the demo's returns beside the revenue (overview.NET_BESIDE), never the distinct counts
    assert revenue.table("by_country").columns == ["country", "revenue", "returned", "net revenue", "share of revenue"]
    assert any("orders and customers per country are left out" in w and "orders by country" in w
               for w in revenue.warnings)
    orders = demo.ask("the exact number of orders by country").table("by_country").frame.set_index("country")["orders"]
    assert orders.to_dict() == lines.groupby("country").order_id.nunique().to_dict()
    assert dict(revenue.table("headline").rows)["orders"] == lines.order_id.nunique()
    monkeypatch.setattr(overview, "EXACT_LINES", len(lines))
    demo.answers.clear()  # the threshold is a constant: the kept answer was made under the other one
    assert demo.ask("total revenue by country").table("by_country").columns[2:4] == ["orders", "customers"]


def test_the_first_question_on_parquet_runs_the_checks_before_making_tables(tmp_path):
    """The deferred checks rebuild the views (a new data version): they run before any table of
    the version is made, so an analysis never reads a table its own checks dropped."""
    frame = pd.DataFrame({"customer_id": [f"C{(i // 2) % 40}" for i in range(400)],
                          "order_id": [f"O{i // 2}" for i in range(400)],
                          "order_date": pd.date_range("2023-01-01", periods=400, freq="D"),
                          "amount": [float(10 + i % 17) for i in range(400)]})
    path = tmp_path / "orders.parquet"
    frame.to_parquet(path)
    s = Session(data=[str(path)], entry_points=False)
    a = s.run("segmentation", {"method": "kmeans", "k": 3})  # the per-customer table first thing
    assert not s.dataset.checks_pending and a.tables
    b = Session(data=[str(path)], entry_points=False)
    assert b.dataset.query(b.dataset.per_customer(measures=["orders"]))["orders"].sum() == 200


def test_the_last_order_date_is_read_once_per_data_not_per_segmentation(demo, tmp_path):
    """Routing counts "last 6 months" back from the last order: read once per data version, not
    again whenever segments are saved (a scan of every line at 1M customers); a mapping reads it again."""
    demo.ask("total revenue")
    read = demo._data_end
    demo.ask("segment customers with rfm")
    demo.ask("total revenue by country")
    assert demo._data_end is read
    s = Session(data=[orders_file(tmp_path)], entry_points=False)
    s.ask("total revenue")
    read = s._data_end
    s.map("amount=net")
    s.ask("total revenue")
    assert s._data_end is not read and s._data_end[0] == s.dataset.data_version


def test_saving_segments_does_not_read_the_datas_values_again(demo):
    """The values questions are read with (filters, completion) are the data's plus the saved
    segment labels: saving or clearing segments changes only the labels."""
    data = demo.dataset.values()
    demo.ask("segment customers with rfm")
    after = demo.dataset.values()
    assert after is not data and after["transactions"] == data["transactions"]
    assert after["transactions"]["country"] is data["transactions"]["country"]  # not read again
    assert "Champions" in after["customers"]["segment"]
    fork = demo.fork()  # a new conversation has no segments of its own, so no segment values
    assert "segment" not in fork.dataset.values().get("customers", {})
    demo.dataset.clear_segments()
    assert "segment" not in demo.dataset.values().get("customers", {})
    fork.close()


def test_per_order_table_rolls_up_the_lines_and_answers_the_exact_counts(demo):
    ds = demo.dataset
    lines = ds.query("SELECT * FROM transactions")
    orders = ds.query(f"SELECT * FROM {ds.per_order_table()}")
    assert len(orders) == len(lines.groupby(["customer_id", "order_id"], dropna=False))
    assert int(orders["lines"].sum()) == len(lines)
    assert orders["revenue"].sum() == pytest.approx(lines["amount"].sum())
    one = orders.set_index("order_id").loc[lines.order_id.iloc[0]]
    assert one["lines"] == (lines.order_id == lines.order_id.iloc[0]).sum()
    assert ds.exact_counts() == {"customers": lines.customer_id.nunique(), "orders": lines.order_id.nunique(),
                                 "priced_orders": lines.dropna(subset=["amount"]).order_id.nunique(),
                                 "priced_customers": lines.dropna(subset=["amount"]).customer_id.nunique()}
    start = len(ds.sql_log)
    ds.exact_counts()
    ds.per_order_table()
    assert len(ds.sql_log) == start  # both once per loaded data


def test_a_fingerprint_ignores_the_last_bits_of_a_float_sum():
    """The same per-customer sums from two queries may differ in their last bits (DuckDB adds in
    parallel): the fitted model is still the one already made."""
    import numpy as np

    from custlens.cache import fingerprint

    a = pd.DataFrame({"id": ["A", "B"], "monetary": [0.1 + 0.2, 1234.5678]})
    b = pd.DataFrame({"id": ["A", "B"], "monetary": [0.3, 1234.5678 + 1e-12]})
    assert fingerprint(a) == fingerprint(b)
    assert fingerprint(a) != fingerprint(a.assign(monetary=[0.3, 1234.57]))
    assert fingerprint(np.array([0.1 + 0.2])) == fingerprint(np.array([0.3]))


# ------------------------------------------------------------------ approximate distinct counts (item 5)
def test_on_many_lines_distinct_counts_per_value_are_estimates_said_with_their_bound(demo, monkeypatch):
    """Above EXACT_LINES lines, "orders by product" counts the orders per product with HyperLogLog
    and says so with the bound; "exact counts of orders by product" (or exact=True) is
    count(DISTINCT) exactly, without the note; the headline stays exact either way."""
    from custlens.plugins import overview

    lines = demo.dataset.query("SELECT * FROM transactions")
    monkeypatch.setattr(overview, "EXACT_LINES", len(lines) - 1)
    truth = lines.groupby("product").order_id.nunique()
    approx = demo.ask("number of orders by product")
    assert approx.params.get("exact") is not True
    got = approx.table("by_product").frame.set_index("product")["orders"]
    note = [w for w in approx.warnings if "approximate" in w]
    assert len(note) == 1 and "Orders per product" in note[0] and "within 7%" in note[0] and "exact counts" in note[0]
    err = (got - truth[got.index]).abs() / truth[got.index]
    assert (err <= overview.APPROX_BOUND).mean() >= 0.9 and err.max() <= 2 * overview.APPROX_BOUND  # 90 values
    assert (err > 0).any()  # estimates, not the exact counts under another name
    assert "approx_count_distinct" in approx.provenance.sql[-1] or any(
        "approx_count_distinct" in q for q in approx.provenance.sql)
    for question in ("exact counts of orders by product", "the exact number of orders per product"):
        exact = demo.ask(question)
        assert exact.params.get("exact") is True, question
        counts = exact.table("by_product").frame.set_index("product")["orders"]
        assert counts.to_dict() == truth[counts.index].to_dict(), question
        assert not any("approximate" in w for w in exact.warnings), question
        assert dict(exact.table("headline").rows)["orders"] == lines.order_id.nunique()
    # customers per month and the average order value per country: estimated too, and said
    customers = demo.ask("how many customers each month")
    assert any("Customers per month are approximate" in w for w in customers.warnings)
    aov = demo.run("overview", {"by": ["country"], "metric": "aov"})
    assert any("Average order values" in w and "approximate" in w for w in aov.warnings)
    exact_aov = demo.run("overview", {"by": ["country"], "metric": "aov", "exact": True})
    want = (lines.groupby("country").amount.sum() / lines.groupby("country").order_id.nunique()).round(2)
    got = exact_aov.table("by_country").frame.set_index("country")["average order value"]
    assert got.to_dict() == pytest.approx(want[got.index].to_dict())
    # below the threshold nothing is estimated
    monkeypatch.setattr(overview, "EXACT_LINES", len(lines))
    demo.answers.clear()
    small = demo.ask("number of orders by product")
    assert not any("approximate" in w for w in small.warnings)
    assert small.table("by_product").frame.set_index("product")["orders"].to_dict() == truth.to_dict()


def test_the_stated_bound_of_the_estimates_holds_on_planted_counts():
    """APPROX_SE / APPROX_BOUND, as the answers state them, against count(DISTINCT) on 120 groups of
    known sizes (500 to 60,000 distinct ids, text ids like order ids): 19 in 20 within the bound,
    the spread about the standard error. Deterministic (the estimates hash the values)."""
    import duckdb
    import numpy as np

    from custlens.plugins.overview import APPROX_BOUND, APPROX_SE

    con = duckdb.connect()
    frame = con.execute("""
        WITH ids AS (SELECT g, 'O' || lpad(CAST(g * 100000 + i AS VARCHAR), 9, '0') AS id
                     FROM range(120) r(g), range(60000) s(i) WHERE i < 500 + g * 495)
        SELECT g, count(DISTINCT id) AS exact, approx_count_distinct(id) AS approx FROM ids GROUP BY g""").df()
    assert (frame.exact == 500 + frame.g * 495).all()
    err = (frame.approx - frame.exact) / frame.exact
    assert (err.abs() <= APPROX_BOUND).mean() >= 0.95
    assert float(np.sqrt((err ** 2).mean())) <= 1.5 * APPROX_SE


# ------------------------------------------------------------------ per-customer-day and per-customer-product tables
def test_per_customer_day_and_product_tables_roll_up_the_lines(demo):
    ds = demo.dataset
    lines = ds.query("SELECT * FROM transactions WHERE customer_id IS NOT NULL")
    days = ds.query(f"SELECT * FROM {ds.per_customer_day_table()}")
    want = lines.assign(d=lines.order_date.dt.normalize()).groupby(["customer_id", "d"], dropna=False).agg(
        lines=("amount", "size"), revenue=("amount", "sum"), units=("quantity", "sum"))
    assert len(days) == len(want) and int(days["lines"].sum()) == len(lines)
    assert days["revenue"].sum() == pytest.approx(lines["amount"].sum())
    assert days["units"].sum() == pytest.approx(lines["quantity"].sum())
    products = ds.query(f"SELECT * FROM {ds.per_customer_product_table()}")
    pairs = lines.groupby(["customer_id", "product"], dropna=False).order_date.agg(["min", "max"])
    assert len(products) == len(pairs)
    one = products.iloc[0]
    assert (one["first"], one["last"]) == tuple(pairs.loc[(one.customer_id, one["product"])])
    start = len(ds.sql_log)
    ds.per_customer_day_table(), ds.per_customer_product_table()
    assert len(ds.sql_log) == start  # once per loaded data


def test_churn_clv_and_loyalty_read_the_lines_per_day_once(demo):
    """Churn's gaps, the purchase days, CLV's history and loyalty's active periods all group the
    per-customer-day table: the lines are grouped per customer and day once, in one conversation
    or across forks."""
    grouped = lambda s: [q for q in s.dataset.sql_log  # noqa: E731
                         if "GROUP BY" in q and "CAST(t.order_date AS DATE)" in q and "FROM transactions" in q]
    a, b = demo.fork(), demo.fork()
    ran(a, "what is our churn rate?")
    ran(b, "what is the customer lifetime value")
    ran(b, "customer retention and repeat purchase rate")
    assert len(grouped(a)) == 1 and grouped(b) == []
    assert any("__custlens_per_customer_day" in q for q in b.dataset.sql_log)
    a.close()
    b.close()


def test_a_mapping_or_a_filter_never_reads_another_datas_day_table(tmp_path):
    """``map amount=net`` is new data: a new per-customer-day table with the new amounts (the
    CLV revenue moves by 5 a line); a filter ("for P1") reads the lines it keeps, not the table."""
    s = Session(data=[orders_file(tmp_path)], entry_points=False)
    before = s.dataset.query(f"SELECT sum(revenue) FROM {s.dataset.per_customer_day_table()}").iloc[0, 0]
    clv = s.run("clv", {})
    old_table = s.dataset.per_customer_day_table()
    s.map("amount=net")
    assert s.dataset.per_customer_day_table() != old_table
    after = s.dataset.query(f"SELECT sum(revenue) FROM {s.dataset.per_customer_day_table()}").iloc[0, 0]
    assert before - after == pytest.approx(5 * 40)
    net = s.run("clv", {})
    assert clv.table("historical").column("value") != net.table("historical").column("value")
    start = len(s.dataset.sql_log)
    scoped = s.run("clv", {"filters": {"product": ["P1"]}})
    assert not any("__custlens_per_customer_day" in q for q in s.dataset.sql_log[start:])
    assert scoped.provenance.rows_used < net.provenance.rows_used


def test_segment_profiles_are_computed_once_per_saved_labels(demo):
    """Personas after a segmentation read the profiles it made (no second sales-mix pass); new
    labels are new profiles; another conversation's labels are never read."""
    mixes = lambda s: [q for q in s.dataset.sql_log if "codes AS (SELECT segment" in q]  # noqa: E731
    demo.run("segmentation", {"method": "rfm"})
    first = demo.segment_profiles()
    assert len(mixes(demo)) == 1
    demo.run("persona", {})
    assert len(mixes(demo)) == 1 and demo.segment_profiles() == first
    first["Champions"]["words"].append("changed by a caller")
    assert "changed by a caller" not in demo.segment_profiles()["Champions"]["words"]
    labels = demo.dataset.query("SELECT customer_id FROM segments")
    labels["segment"] = ["odd" if i % 2 else "even" for i in range(len(labels))]
    demo.dataset.set_segments(labels, "planted")
    again = demo.segment_profiles()
    assert sorted(again) == ["even", "odd"] and len(mixes(demo)) == 2
    other = demo.fork()
    other.run("segmentation", {"method": "rfm"})
    assert sorted(other.segment_profiles()) == sorted(first) and sorted(demo.segment_profiles()) == ["even", "odd"]
    other.close()


def test_exact_counts_with_blank_amounts_and_lines_without_a_customer(tmp_path):
    """The filtered distinct counts (orders with an amount, customers with one, orders with a
    customer) are counted only when some line lacks an amount or a customer: with and without such
    lines they are what pandas counts over the purchase lines."""
    rows = [["customer_id", "order_id", "order_date", "product", "amount"]]
    for i in range(30):
        rows.append([f"C{i % 6}", f"O{i // 2}", f"2024-{1 + i % 12:02d}-03", f"P{i % 3}", 10 + i])
    clean = Session(data=[write(tmp_path / "clean.csv", rows)], entry_points=False).dataset
    rows += [["C9", "O90", "2024-05-01", "P1", ""], ["C9", "O90", "2024-05-01", "P2", ""],  # no amount at all
             ["C1", "O91", "2024-05-02", "P1", ""], ["C1", "O91", "2024-05-02", "P2", "4"],  # one blank line
             ["", "O92", "2024-05-03", "P1", "7"], ["", "O93", "2024-05-03", "P1", "8"]]  # no customer
    dirty = Session(data=[write(tmp_path / "dirty.csv", rows)], entry_points=False).dataset
    for ds in (clean, dirty):
        lines = ds.query("SELECT customer_id, order_id, amount FROM transactions")
        priced, known = lines.dropna(subset=["amount"]), lines.dropna(subset=["customer_id"])
        assert ds.exact_counts() == {"customers": lines.customer_id.nunique(), "orders": lines.order_id.nunique(),
                                     "priced_orders": priced.order_id.nunique(),
                                     "priced_customers": priced.customer_id.nunique()}
        assert ds.customer_totals() == {"customer_orders": known.order_id.nunique(),
                                        "customer_revenue": pytest.approx(known.amount.sum())}
    assert dirty.exact_counts()["priced_orders"] == dirty.exact_counts()["orders"] - 1  # O90
    assert dirty.customer_totals()["customer_orders"] == dirty.exact_counts()["orders"] - 2  # O92, O93


def test_the_overview_counts_orders_and_customers_in_its_pass_of_sums(tmp_path):
    """The headline's distinct orders and customers come from the overview's one statement of sums
    (grouping sets by order and by customer id): the same as pandas counts, over every purchase and
    within a filter, with blank amounts and lines without a customer; and the Dataset's exact
    counts are read back from it, not counted again."""
    rows = [["customer_id", "order_id", "order_date", "product", "amount"]]
    for i in range(30):
        rows.append([f"C{i % 6}", f"O{i // 2}", f"2024-{1 + i % 12:02d}-03", f"P{i % 3}", 10 + i])
    rows += [["C9", "O90", "2024-05-01", "P1", ""], ["C9", "O90", "2024-05-01", "P2", ""],
             ["C1", "O91", "2024-05-02", "P1", ""], ["C1", "O91", "2024-05-02", "P2", "4"],
             ["", "O92", "2024-05-03", "P1", "7"], ["", "O93", "2024-05-03", "P1", "8"]]
    s = Session(data=[write(tmp_path / "orders.csv", rows)], entry_points=False)
    lines = s.dataset.query("SELECT customer_id, order_id, product, amount FROM transactions")
    for filters, part in (({}, lines), ({"product": ["P1"]}, lines[lines["product"] == "P1"])):
        head = dict(s.run("overview", {"filters": filters}).table("headline").rows)
        priced = part.dropna(subset=["amount"])
        assert (head["orders"], head["customers"]) == (part.order_id.nunique(), part.customer_id.nunique())
        assert head["average order value"] == pytest.approx(priced.amount.sum() / priced.order_id.nunique(), abs=0.01)
    start = len(s.dataset.sql_log)
    assert s.dataset.exact_counts()["orders"] == lines.order_id.nunique()
    assert s.dataset.customer_totals()["customer_orders"] == lines.dropna(subset=["customer_id"]).order_id.nunique()
    assert len(s.dataset.sql_log) == start  # read back from the overview's pass


def test_the_first_question_on_parquet_finds_padded_columns_and_duplicates_in_one_scan(tmp_path):
    """The deferred checks of a Parquet orders file (text columns that need trimming, exact
    duplicate lines) read it once: " C1" and "C1 " are customer C1, "tea " is tea, and the line
    given twice is counted once."""
    frame = pd.DataFrame({"customer_id": ["C1", " C1", "C2 ", "C2", "C3", "C3"],
                          "order_id": ["O1", "O2", "O3", "O4", "O5", "O5"],
                          "order_date": pd.to_datetime(["2024-01-05", "2024-02-01", "2024-03-01", "2024-03-02",
                                                        "2024-03-03", "2024-03-03"]),
                          "product": ["tea", "tea ", "cup", "cup", "pot", "pot"],
                          "amount": [10.0, 20.0, 5.0, 30.0, 7.0, 7.0]})
    path = tmp_path / "orders.parquet"
    frame.to_parquet(path)
    s = Session(data=[str(path)], entry_points=False)
    a = s.ask("how many customers do we have")
    src = s.dataset.sources[0]
    assert src.padded == {"customer_id", "product"} and src.duplicate_lines == 1
    h = dict(a.table("headline").rows)
    assert (h["customers"], h["orders"], h["revenue"]) == (3, 5, 72.0)
    products = dict((r[0], r[1]) for r in s.ask("revenue by product").table("by_product").rows)
    assert products == {"tea": 30.0, "cup": 35.0, "pot": 7.0}


def test_a_parquet_customers_file_is_read_into_a_table_once_and_again_after_a_mapping(tmp_path):
    """The customers view of a Parquet customers file reads a table made by the first question that
    joins the customers (once per loaded data, its one row per id kept); a mapping makes the data
    new, and its table is made again from the mapped columns."""
    orders = pd.DataFrame({"customer_id": ["C1", "C2", "C2", "C3"], "order_id": ["O1", "O2", "O3", "O4"],
                           "order_date": pd.to_datetime(["2024-01-05", "2024-02-01", "2024-03-01", "2024-03-02"]),
                           "amount": [10.0, 20.0, 5.0, 30.0]})
    customers = pd.DataFrame({"customer_id": ["C1", "C2", "C3", "C3"], "country": ["DE", "FR", "FR", "IT"],
                              "region": ["north", "south", "north", "north"]})
    orders.to_parquet(tmp_path / "orders.parquet")
    customers.to_parquet(tmp_path / "customers.parquet")
    s = Session(data=[str(tmp_path / "orders.parquet"), f"customers={tmp_path / 'customers.parquet'}"],
                entry_points=False)
    by = dict((r[0], r[1]) for r in s.ask("revenue by country").table("by_country").rows)
    assert by == {"FR": 55.0, "DE": 10.0}  # C3's first row (FR) kept
    assert s.dataset.made("customers")
    old = s.dataset.shared.tables[(s.dataset.data_version, "customers")]
    assert "__custlens_customers" in s.dataset.scalar(
        "SELECT sql FROM duckdb_views() WHERE view_name = 'customers' AND NOT temporary")
    s.dataset.map("country", "region", "customers.parquet")
    assert not s.dataset.made("customers")
    assert not s.dataset.rows(f"SELECT * FROM duckdb_tables() WHERE table_name = '{old.strip(chr(34))}'")
    by = dict((r[0], r[1]) for r in s.ask("revenue by country").table("by_country").rows)
    assert by == {"south": 25.0, "north": 40.0}
    assert s.dataset.made("customers")


def test_on_many_lines_an_overview_leaves_unasked_breakdowns_for_follow_ups(demo, monkeypatch):
    """Above EXACT_LINES lines, "how many customers do we have" computes the headline, the trend
    and the period (a few hundred groups) and no grouping by product, category or country: those
    are said in a note and offered as follow-ups; its figures are those of the full overview. The
    report's overview (``breakdowns``) has them all, and once their pass is made for the data the
    unasked overview shows them again (read back, not recomputed)."""
    from custlens.plugins import overview

    full = demo.ask("how many customers do we have")
    every = {"by_product", "by_category", "by_country", "by_month"}
    assert every <= {t.name for t in full.tables}
    n = demo.dataset.scalar("SELECT count(*) FROM transactions")
    monkeypatch.setattr(overview, "EXACT_LINES", n - 1)
    demo.dataset.build()  # another data version: nothing kept from the full pass
    a = demo.ask("how many customers do we have")
    assert {t.name for t in a.tables} & every == {"by_month"}
    assert dict(a.table("headline").rows) == dict(full.table("headline").rows)
    assert a.table("by_month").rows == full.table("by_month").rows
    assert a.table("trend").rows == full.table("trend").rows
    assert not any("product" in sql or "country" in sql for sql in a.provenance.sql)
    assert any("left out" in w and '"top 10 products"' in w and '"revenue by country"' in w for w in a.warnings)
    assert a.follow_ups[:3] == ["top 10 products", "revenue by category", "revenue by country"]
    top = demo.ask("top 10 products").table("by_product")
    assert [r[:2] for r in top.rows] == [r[:2] for r in full.table("by_product").rows]
    report = demo.run("overview", {"breakdowns": True})
    assert every <= {t.name for t in report.tables}
    demo.answers.clear()
    start = len(demo.dataset.sql_log)
    again = demo.ask("how many customers do we have")
    assert every <= {t.name for t in again.tables}
    assert not any("GROUPING SETS" in sql for sql in demo.dataset.sql_log[start:])

"""Speed pass 8 (issue 20): work an answer had made already is not made again, and the figures stay
the same.

1. The last order date (``Dataset.last_order_date``: "last 6 months" counts back from it) reads the
   purchases only from the last date of every line on, and the whole view when the latest lines are
   no purchases (returns); once per loaded data, read again when the data or a mapping changes.
2. The service lines set aside from a product ranking (``kit.service_products``) are told from the
   products of an unscoped "top products" breakdown when no stock code column is there, instead of a
   second grouping of every line; a scoped breakdown (some products left out) gives none."""

import datetime as dt

import pandas as pd
import pytest

from custlens import Session, kit


def orders(tmp_path, name="orders.parquet", **extra):
    """Eight lines: the last one (2024-03-20) a return, so the last purchase is on 2024-03-10."""
    frame = pd.DataFrame({
        "customer_id": ["C1", "C2", "C3", "C1", "C2", "C4", "C4", "C1"],
        "order_id": ["O1", "O2", "O3", "O4", "O5", "O6", "O6", "O7"],
        "order_date": pd.to_datetime(["2024-01-05", "2024-01-20", "2024-02-01", "2024-02-15", "2024-03-01",
                                      "2024-03-10", "2024-03-10", "2024-03-20"]),
        "product": ["MUG", "POSTAGE", "PLATE", "Bank Charges", "MUG", "PLATE", None, "MUG"],
        "country": ["France", "Germany", "France", "Germany", "France", "France", "France", "France"],
        "quantity": [2, 1, 1, 1, 3, 1, 1, -1],
        "amount": [10.0, 40.0, 25.0, 5.0, 15.0, 25.0, 3.0, -5.0], **extra})
    path = tmp_path / name
    frame.to_parquet(path)
    return path


def watched(path) -> Session:
    """A Session whose engine keeps every statement it runs (``ran``), logged for provenance or not."""
    s = Session(data=[str(path)], entry_points=False)
    s.ran = []
    rows = s.dataset.engine.rows
    s.dataset.engine.rows = lambda sql, params=None: s.ran.append(" ".join(sql.split())) or rows(sql, params)
    return s


def grouped_products(session) -> list[str]:
    """The statements that grouped every line by product to tell the service lines."""
    return [q for q in session.ran if "count(*) FROM transactions WHERE product IS NOT NULL GROUP BY 1, 2" in q]


# ------------------------------------------------------------------ 1. the last order date
def test_the_last_order_date_is_the_last_purchase_not_a_later_return(tmp_path):
    s = Session(data=[str(orders(tmp_path))], entry_points=False)
    assert s.data_end() == dt.date(2024, 3, 10)  # the return of 2024-03-20 is no purchase
    assert s.dataset.last_order_date() == pd.Timestamp("2024-03-10")


def test_the_last_order_date_is_read_once_and_again_when_the_data_changes(tmp_path):
    s = watched(orders(tmp_path))
    first = s.dataset.last_order_date()
    assert [q for q in s.ran if "max(order_date)" in q]
    version, s.ran[:] = s.dataset.data_version, []
    assert s.dataset.last_order_date() == first and not s.ran  # kept for the loaded data
    s.map("order_date=order_date")  # a mapping given again: a new data version, read again
    assert s.dataset.data_version != version
    assert s.dataset.last_order_date() == first and [q for q in s.ran if "max(order_date)" in q]


def test_the_last_order_date_when_the_last_line_is_a_purchase(tmp_path):
    frame = pd.DataFrame({"customer_id": ["C1", "C2", "C1"], "order_id": ["O1", "O2", "O3"],
                          "order_date": pd.to_datetime(["2024-01-05 00:00", "2024-05-02 13:30", "2024-02-01 00:00"]),
                          "amount": [10.0, -3.0, 7.0]})
    frame.loc[3] = ["C3", "O4", pd.Timestamp("2024-05-02 09:00"), 12.0]  # same day as the return, earlier
    path = tmp_path / "o.parquet"
    frame.to_parquet(path)
    s = Session(data=[str(path)], entry_points=False)
    assert s.dataset.last_order_date() == pd.Timestamp("2024-05-02 09:00")  # the purchase's time, not the return's
    assert s.data_end() == dt.date(2024, 5, 2)


def test_a_period_counted_back_from_the_last_purchase(tmp_path):
    s = Session(data=[str(orders(tmp_path))], entry_points=False)
    a = s.ask("revenue in the last 30 days")
    # 2024-02-10 to 2024-03-10: 5 (Bank Charges) + 15 + 25 + 3; not counted back from the return's 2024-03-20
    assert dict(a.table("headline").rows)["revenue"] == pytest.approx(48.0)


# ------------------------------------------------------------------ 2. service lines from the ranking's products
def test_top_products_tells_services_from_its_own_breakdown(tmp_path):
    s = watched(orders(tmp_path))
    a = s.ask("top 10 products")
    assert not grouped_products(s)  # no second grouping of every line
    assert a.table("by_product").column("product") == ["PLATE", "MUG", "(blank)"]
    note = next(w for w in a.warnings if w.startswith("set aside"))
    assert note.startswith("set aside 2 non-product lines: POSTAGE, Bank Charges (45.00 of revenue)")
    assert dict(a.table("headline").rows)["revenue"] == pytest.approx(123.0)  # the totals keep them


def test_services_are_the_same_with_and_without_the_breakdown_first(tmp_path):
    path = orders(tmp_path)
    told = watched(path)
    told.ask("top 10 products")
    scanned = watched(path)
    assert kit.service_products(scanned.dataset) == kit.service_products(told.dataset) == {
        "POSTAGE": "the name says postage", "Bank Charges": "the name says charges"}
    assert grouped_products(scanned) and not grouped_products(told)
    assert same(told.ask("top 10 products"), scanned.ask("top 10 products"))


def same(a, b) -> bool:
    return a.summary == b.summary and a.warnings == b.warnings and \
        [(t.name, t.columns, t.rows) for t in a.tables] == [(t.name, t.columns, t.rows) for t in b.tables]


def test_a_scoped_ranking_does_not_stand_for_every_product(tmp_path):
    s = watched(orders(tmp_path))
    s.ask("top 10 products in France")  # POSTAGE and Bank Charges are sold in Germany only
    assert grouped_products(s)  # every product read: the French ranking's are not all of them
    a = s.ask("top 10 products")
    assert not {"POSTAGE", "Bank Charges"} & set(a.table("by_product").column("product"))
    assert any(w.startswith("set aside 2 non-product lines") for w in a.warnings)


def test_services_are_told_again_for_new_data(tmp_path):
    s = Session(data=[str(orders(tmp_path))], entry_points=False)
    s.ask("top 10 products")
    version = s.dataset.data_version
    s.map("product=country")  # the products are now the countries: no service among them
    assert s.dataset.data_version != version
    a = s.ask("top 10 products")
    assert not any(w.startswith("set aside") for w in a.warnings)
    assert kit.service_products(s.dataset) == {}


def test_with_a_stock_code_column_the_codes_are_still_read(tmp_path):
    path = orders(tmp_path, stock_code=["1001", "POST", "1002", "B", "1001", "1002", "1003", "1001"])
    s = watched(path)
    a = s.ask("top 10 products")
    assert grouped_products(s)  # the codes are read: a code of letters is a service too
    assert any(w.startswith("set aside 2 non-product lines") for w in a.warnings)


# ------------------------------------------------------------------ 3. RFM's sales mix from the last purchase
def test_segment_growth_counts_back_from_the_last_purchase(tmp_path):
    """Revenue of the last 6 months against the 6 before, per segment, from the last purchase
    (2024-12-31), not from a later return (2025-03-01, which would move C1's 100 and C2's 20 around)."""
    from custlens.plugins import segmentation

    frame = pd.DataFrame({
        "customer_id": ["C1", "C1", "C2", "C2", "C3", "C3", "C3"],
        "order_id": ["O1", "O2", "O3", "O4", "O5", "O6", "O7"],
        "order_date": pd.to_datetime(["2024-10-01", "2024-03-01", "2024-12-31", "2024-01-15", "2024-09-01",
                                      "2023-06-01", "2025-03-01"]),
        "product": ["MUG"] * 7, "quantity": [1, 1, 1, 1, 1, 1, -1],
        "amount": [100.0, 50.0, 20.0, 30.0, 10.0, 40.0, -10.0]})
    path = tmp_path / "o.parquet"
    frame.to_parquet(path)
    s = watched(path)
    s.dataset.set_segments(pd.DataFrame({"customer_id": ["C1", "C2", "C3"], "segment": ["A", "A", "B"]}), "test")
    profiles = {"A": {"growth": None}, "B": {"growth": None}}
    segmentation._sales_mix(s.dataset, profiles)
    assert profiles["A"]["growth"] == pytest.approx((120 - 80) / 80)  # recent 100 + 20, before 50 + 30
    assert profiles["B"]["growth"] is None  # 10 recent, nothing in the 6 months before (40 is older)
    mix = next(q for q in s.dataset.sql_log if "codes AS" in q)
    assert "max(order_date)" not in mix  # the last date read once for the data, not again here


# ------------------------------------------------------------------ 4. padded text found from the file's statistics
PADDING = pd.DataFrame({
    "clean": ["A1", "B2", "C3", "D4"],
    "trailing": ["A1", "B2 ", "C3", "D4"],  # least value starts above a space: only the end is looked at
    "leading": ["A1", " B2", "C3", "D4"],
    "empty": ["A1", "", "C3", "D4"],
    "tab": ["\tA1", "B2", "C3", "D4"],  # trim strips spaces only: a tab is no padding, before or now
    "blank": [None, None, None, None],
    "amount": [1.0, 2.0, 3.0, 4.0]})


@pytest.mark.parametrize("statistics", [True, False])
def test_padded_columns_are_the_same_with_the_file_s_statistics(tmp_path, statistics):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "p.parquet"
    pq.write_table(pa.Table.from_pandas(PADDING), path, write_statistics=statistics)
    s = watched(path)
    s.ran[:] = []
    src = s.dataset.sources[0]
    found = s.dataset._padded(src.raw, src.columns)
    assert found == {"trailing", "leading", "empty"}  # what a trim would change, as every line read says
    looked = " ".join(q for q in s.ran if "LIMIT 1" in q)
    # with statistics the clean columns are asked about their end only; without, nothing is asked of them
    assert ('ends_with("clean", chr(32)) LIMIT 1' in looked) == statistics
    assert "starts_with(\"trailing\"" not in looked if statistics else "starts_with(\"trailing\"" in looked
    assert "starts_with(\"leading\"" in looked and "starts_with(\"tab\"" in looked


# ------------------------------------------------------------------ 5. the trend's sums from the lines grouped once
def test_the_unasked_overview_sums_its_trend_from_one_grouping(tmp_path, monkeypatch):
    """On more than EXACT_LINES lines the overview nobody asked a breakdown of sums the totals, months
    and days only: from the lines grouped once by month and day, with the same figures."""
    from custlens.plugins import overview

    monkeypatch.setattr(overview, "EXACT_LINES", 0)  # these 8 lines read as a large file's
    s = watched(orders(tmp_path))
    a = s.ask("how many customers do we have")
    assert any("WITH d AS" in q and "GROUPING SETS" in q for q in s.dataset.sql_log)
    h = dict(a.table("headline").rows)
    assert (h["customers"], h["orders"], h["revenue"], h["units"]) == (4, 6, 123, 10)  # the return kept apart
    assert (h["first order"], h["last order"]) == ("2024-01-05", "2024-03-10")
    assert a.table("by_month").rows == [["2024-01", 50.0, 0.406504], ["2024-02", 30.0, 0.243902],
                                        ["2024-03", 43.0, 0.349593]]
    assert "The best period was January 2024 with revenue of 50.00" in a.summary
    scoped = s.ask("how many customers in Germany")  # a scope: grouped once too, over its own lines
    assert (dict(scoped.table("headline").rows)["revenue"], dict(scoped.table("headline").rows)["orders"]) == (45, 2)

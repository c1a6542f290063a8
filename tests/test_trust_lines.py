"""No silent wrong answer from the order lines themselves: exact duplicate lines of an orders file
with an order id are counted once (``[definitions] duplicate_lines``), orders whose payment never
completed (voided, pending, authorized, failed, cancelled) are neither sales nor refunds, a blank
amount is not a zero, units are counts, and the terminal prints notes as plain text. Each on small
files the tests write, with the figures worked out by hand from the planted lines."""

import re

import pytest

from helpers import session, write

from custlens import render
from custlens.errors import DataError

HEADER = ["order_id", "customer_id", "order_date", "product", "quantity", "amount", "status"]
#: 8 paid orders of 5 customers (12 distinct lines), worth 10+20 / 30 / 15+5 / 40 / 25 / 12 / 8+2 / 50
PAID = [
    ["1", "A", "2025-01-05", "tea", "1", "10.00", "paid"],
    ["1", "A", "2025-01-05", "cup", "2", "20.00", "paid"],
    ["2", "B", "2025-01-06", "tea", "3", "30.00", "paid"],
    ["3", "C", "2025-01-07", "pot", "1", "15.00", "paid"],
    ["3", "C", "2025-01-07", "tea", "1", "5.00", "paid"],
    ["4", "A", "2025-02-01", "pot", "2", "40.00", "paid"],
    ["5", "D", "2025-02-03", "cup", "1", "25.00", "paid"],
    ["6", "E", "2025-02-04", "tea", "4", "12.00", "paid"],
    ["7", "B", "2025-03-01", "tea", "1", "8.00", "paid"],
    ["7", "B", "2025-03-01", "cup", "1", "2.00", "paid"],
    ["8", "C", "2025-03-02", "pot", "5", "50.00", "paid"],
]
#: the export repeated three lines of two orders (every column equal)
DUPLICATES = [PAID[1], PAID[1], PAID[5]]
REVENUE = 10 + 20 + 30 + 15 + 5 + 40 + 25 + 12 + 8 + 2 + 50  # 217
ORDERS, CUSTOMERS, UNITS = 8, 5, 1 + 2 + 3 + 1 + 1 + 2 + 1 + 4 + 1 + 1 + 5


def headline(answer) -> dict:
    return dict(answer.table("headline").rows)


def notes(answer) -> str:
    return " | ".join(answer.warnings)


def orders_file(tmp_path, rows, name="orders.csv", header=HEADER):
    return write(tmp_path / name, [header, *rows])


# --------------------------------------------------------------------------- 1. exact duplicate lines

def test_exact_duplicate_lines_are_counted_once(tmp_path):
    s = session(orders_file(tmp_path, PAID + DUPLICATES))
    a = s.ask("overview")
    h = headline(a)
    assert (h["revenue"], h["orders"], h["customers"], h["units"]) == (REVENUE, ORDERS, CUSTOMERS, UNITS)
    assert h["average order value"] == pytest.approx(REVENUE / ORDERS, abs=0.01)
    assert "3 exact duplicate lines" in notes(a) and "counted once" in notes(a)
    assert "3 exact duplicate lines (every column equal, same order) counted once" in a.summary
    # every analysis reads the same lines: products, customers, the shared per-order table
    products = {r[0]: r[1] for r in s.ask("revenue by product").table("by_product").rows}
    assert products == {"tea": 10 + 30 + 5 + 12 + 8, "cup": 20 + 25 + 2, "pot": 15 + 40 + 50}
    d = s.dataset
    assert d.rows(f"SELECT sum(lines), sum(revenue) FROM {d.per_order_table()}")[0] == (len(PAID), REVENUE)
    per_customer = dict(d.rows(f"SELECT customer_id, revenue FROM {d.per_customer_table()}"))
    assert per_customer == {"A": 70, "B": 40, "C": 70, "D": 25, "E": 12}
    # and describe says it
    described = s.dataset.describe()[0]["warnings"]
    assert any(w.startswith("3 exact duplicate lines") for w in described)
    assert d.duplicates_dropped() == 3
    fork = s.fork()  # a served conversation reads the same lines
    assert headline(fork.ask("overview"))["revenue"] == REVENUE
    fork.close()


@pytest.mark.parametrize("table_up_to", [2_000_000, 0])  # a table of the distinct lines, or DISTINCT per query
def test_duplicate_lines_of_a_parquet_file_are_counted_once(tmp_path, monkeypatch, table_up_to):
    import pandas as pd

    from custlens import dataset

    monkeypatch.setattr(dataset, "DISTINCT_TABLE_LINES", table_up_to)
    path = tmp_path / "orders.parquet"
    pd.DataFrame(PAID + DUPLICATES, columns=HEADER).astype({"quantity": int, "amount": float}).to_parquet(path)
    s = session(path)
    a = s.ask("overview")
    h = headline(a)
    assert (h["revenue"], h["orders"], h["customers"], h["units"]) == (REVENUE, ORDERS, CUSTOMERS, UNITS)
    assert "3 exact duplicate lines (every column equal) counted once" in notes(a)
    assert (s.dataset.sources[0].distinct_relation is None) == (table_up_to == 0)


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_lines_alike_but_in_one_column_are_not_duplicates(tmp_path, suffix):
    """The duplicate check hashes the columns that tell an order's lines apart (order id, date,
    product, quantity, amount) and compares the lines whose hash repeats in every column: a second
    line of order 2 alike in those but sold in the shop is a line of its own; the repeat of order
    1's first line (every column equal) is counted once."""
    import pandas as pd

    header = HEADER + ["channel"]
    rows = [r + ["web"] for r in PAID] + [PAID[2] + ["shop"], PAID[0] + ["web"]]
    path = tmp_path / f"orders.{suffix}"
    if suffix == "csv":
        orders_file(tmp_path, rows, name=path.name, header=header)
    else:
        pd.DataFrame(rows, columns=header).astype({"quantity": int, "amount": float}).to_parquet(path)
    s = session(path)
    h = headline(s.ask("overview"))
    assert (h["revenue"], h["orders"], h["units"]) == (REVENUE + 30, ORDERS, UNITS + 3)
    assert s.dataset.duplicates_dropped() == 1
    by_channel = dict(s.ask("revenue by channel").table("by_channel").rows[i][:2] for i in range(2))
    assert by_channel == {"web": REVENUE, "shop": 30}


def test_duplicate_lines_keep_is_a_definition(tmp_path):
    path = orders_file(tmp_path, PAID + DUPLICATES)
    (tmp_path / "custlens.toml").write_text('[definitions]\nduplicate_lines = "keep"\n')
    a = session(path).ask("overview")
    h = headline(a)
    assert h["revenue"] == REVENUE + 20 + 20 + 40 and h["orders"] == ORDERS and h["units"] == UNITS + 2 + 2 + 2
    assert 'each counted (duplicate_lines = "keep"' in notes(a)
    assert "counted once" not in a.summary and "3 exact duplicate lines (every column equal) are each counted" \
        in a.summary
    (tmp_path / "custlens.toml").write_text('[definitions]\nduplicate_lines = "twice"\n')
    with pytest.raises(DataError, match="duplicate_lines = 'twice' is not valid"):
        session(path)


def test_without_an_order_id_duplicates_are_kept_and_said(tmp_path):
    header = ["customer_id", "order_date", "product", "amount"]
    rows = [["A", "2025-01-05", "tea", "10.00"], ["A", "2025-01-05", "tea", "10.00"],
            ["B", "2025-01-06", "cup", "7.00"]]
    a = session(write(tmp_path / "sales.csv", [header, *rows])).ask("overview")
    assert headline(a)["revenue"] == 27  # a customer may well buy the same tea twice
    assert "1 exact duplicate line (every column equal) kept: without an order id" in notes(a)
    assert "1 exact duplicate line (every column equal) is counted" in a.summary


def test_no_duplicates_no_note(tmp_path):
    s = session(orders_file(tmp_path, PAID))
    a = s.ask("overview")
    assert headline(a)["revenue"] == REVENUE and "duplicate" not in notes(a) + a.summary
    assert s.dataset.duplicates_dropped() == 0


# --------------------------------------------------------------------------- 2. payments never completed

def test_voided_and_pending_orders_are_neither_sales_nor_refunds(tmp_path):
    others = [["9", "F", "2025-03-03", "tea", "1", "60.00", "voided"],
              ["10", "F", "2025-03-04", "tea", "1", "70.00", "pending"],
              ["11", "G", "2025-03-05", "cup", "2", "80.00", "authorized"],
              ["12", "A", "2025-03-06", "pot", "1", "90.00", "refunded"]]
    s = session(orders_file(tmp_path, PAID + others))
    a = s.ask("overview")
    h = headline(a)
    assert (h["revenue"], h["orders"], h["customers"]) == (REVENUE, ORDERS, CUSTOMERS)  # F and G bought nothing
    assert h["orders voided or not completed (not sales)"] == 3 and h["value voided or not completed"] == 210
    assert h["orders refunded in full"] == 1 and h["value refunded in full"] == 90
    # 3 of the 12 orders in the file
    assert "3 authorized/pending/voided orders (25.0%) not counted as sales" in notes(a)
    assert "1 refunded order (8.3%) counted as a refund, not sales" in notes(a)
    assert "3 cancelled, voided, pending or failed orders (25.0% of orders, 210) are not counted as sales" in a.summary
    # refunded stays a refund; the voided ones are no refund
    r = s.ask("how much did we refund?")
    assert r.params["metric"] == "refunds"
    assert "1 orders worth 90.00" in r.summary or "1 order worth 90.00" in r.summary, r.summary


def test_woocommerce_status_labels(tmp_path):
    header = ["Order Number", "Order Status", "Order Date", "Billing Email", "Item Name", "Quantity", "Order Total"]
    rows = [["100", "Completed", "2025-01-02", "a@x.com", "Mug", "1", "20.00"],
            ["101", "Processing", "2025-01-03", "b@x.com", "Mug", "1", "20.00"],
            ["102", "On hold", "2025-01-04", "c@x.com", "Plate", "1", "35.00"],
            ["103", "Cancelled", "2025-01-05", "a@x.com", "Plate", "1", "35.00"],
            ["104", "Failed", "2025-01-06", "d@x.com", "Bowl", "1", "12.00"],
            ["105", "Refunded", "2025-01-07", "b@x.com", "Bowl", "1", "12.00"]]
    a = session(write(tmp_path / "woo_orders.csv", [header, *rows])).ask("overview")
    h = headline(a)
    assert (h["revenue"], h["orders"], h["customers"]) == (40, 2, 2)
    assert h["orders voided or not completed (not sales)"] == 3 and h["orders refunded in full"] == 1
    assert "3 cancelled/failed/on hold orders (50.0%) not counted as sales" in notes(a)


def test_shopify_financial_status(tmp_path):
    header = ["Name", "Email", "Financial Status", "Created at", "Lineitem quantity", "Lineitem name",
              "Lineitem price"]
    rows = [["#1", "a@x.com", "paid", "2024-01-10 10:00:00", "2", "Mug", "10.00"],
            ["#1", "a@x.com", "", "2024-01-10 10:00:00", "1", "Plate", "20.00"],
            ["#2", "b@x.com", "voided", "2024-02-10 10:00:00", "1", "Bowl", "50.00"],
            ["#3", "c@x.com", "authorized", "2024-02-20 10:00:00", "1", "Mug", "10.00"],
            ["#3", "c@x.com", "", "2024-02-20 10:00:00", "1", "Plate", "20.00"],
            ["#4", "b@x.com", "paid", "2024-03-01 10:00:00", "3", "Plate", "20.00"]]
    a = session(write(tmp_path / "orders_export.csv", [header, *rows])).ask("overview")
    h = headline(a)
    assert (h["revenue"], h["orders"], h["customers"]) == (40 + 60, 2, 2)  # both lines of #3 are not sales
    assert "2 authorized/voided orders (50.0%) not counted as sales" in notes(a)


# --------------------------------------------------------------------------- 3. blank amounts

def test_a_blank_amount_is_not_a_zero(tmp_path):
    blank = [["9", "F", "2025-03-03", "tea", "1", "", "paid"],  # an order without any amount
             ["4", "A", "2025-02-01", "cup", "1", "", "paid"]]  # a line of a priced order
    s = session(orders_file(tmp_path, PAID + blank))
    a = s.ask("overview")
    h = headline(a)
    assert (h["revenue"], h["orders"], h["customers"]) == (REVENUE, ORDERS + 1, CUSTOMERS + 1)
    assert h["average order value"] == pytest.approx(REVENUE / ORDERS, abs=0.01)  # not / 9
    assert h["orders without an amount (not in the average)"] == 1
    assert "2 purchase lines with a blank amount (not zero): left out of revenue totals; 1 order without any " \
           "amount left out of the average order value" in notes(a)
    assert "1 order with a blank amount (not zero) is left out of the average order value (revenue over the " \
           "8 orders with an amount)" in a.summary
    by = {r[0]: r[1] for r in s.ask("average order value by product").table("by_product").rows}
    # tea: orders 1, 2, 3, 6, 7 with an amount (65 over 5, not over 6): order 9's blank tea is not a zero
    assert by["tea"] == pytest.approx(65 / 5, abs=0.01)
    scoped = headline(s.ask("overview for March 2025"))  # a scope: counted over its lines
    assert scoped["average order value"] == pytest.approx((8 + 2 + 50) / 2, abs=0.01)


# --------------------------------------------------------------------------- 4. units are counts

def test_units_sold_are_units_not_money(tmp_path):
    a = session(orders_file(tmp_path, PAID)).ask("units sold per product")
    t = a.table("by_product")
    assert t.columns[1] == "units"
    assert {r[0]: r[1] for r in t.rows} == {"tea": 10, "pot": 8, "cup": 4}
    assert "tea** is highest with 10 units" in a.summary and "10.00" not in a.summary
    text = render.render(a, "text")
    row = next(line for line in text.splitlines() if "│ tea" in line)
    assert re.search(r"│\s+10 │", row) and "10.00" not in row.split("│")[2]
    assert render.cell(3.0, "units") == "3" and render.cell(3.0, "revenue") == "3.00"


# --------------------------------------------------------------------------- 5. notes as plain text

def test_notes_print_as_plain_text(tmp_path):
    path = orders_file(tmp_path, PAID + DUPLICATES)
    a = session(path).ask("overview")
    a.warnings.append("a **bold** word, `code` and a [link](http://x)")
    text = render.render(a, "text", width=400)
    lines = [line for line in text.splitlines() if line.startswith("note:")]
    assert any("under [definitions] in custlens.toml" in line for line in lines)  # brackets are no markup
    assert "note: a bold word, code and a link" in lines
    assert not any(mark in line for line in lines for mark in ("**", "`"))
    assert render.plain("2 * 3 and **4**") == "2 * 3 and 4"


def test_a_shopify_refund_of_tax_and_shipping_takes_no_line_below_zero(tmp_path):
    """Order #2 (lines 18.50 + 22.00, shipping and tax 10.19) is refunded 50.69, its whole total: its
    lines give back their 40.50 and no more (the rest was tax and shipping, never counted as sales),
    so revenue is #1's 30.00, not 30.00 - 10.19; #3 refunds 11.00 of its 44.00 line."""
    header = ["Name", "Email", "Financial Status", "Created at", "Lineitem quantity", "Lineitem name",
              "Lineitem price", "Total", "Refunded Amount"]
    rows = [["#1", "a@x.com", "paid", "2024-01-10 10:00:00", "3", "Mug", "10.00", "35.00", "0.00"],
            ["#2", "b@x.com", "partially_refunded", "2024-02-10 10:00:00", "1", "Tote", "18.50", "50.69", "50.69"],
            ["#2", "b@x.com", "", "2024-02-10 10:00:00", "1", "Cap", "22.00", "", ""],
            ["#3", "c@x.com", "partially_refunded", "2024-03-01 10:00:00", "2", "Plate", "22.00", "49.00", "11.00"]]
    s = session(write(tmp_path / "orders_export.csv", [header, *rows]))
    a = s.ask("overview")
    h = headline(a)
    assert h["revenue"] == pytest.approx(30.00 + 0.0 + 44.00 - 11.00)
    assert h["refunds"] == pytest.approx(40.50 + 11.00)
    assert "a line's refund is at most its value" in " ".join(s.dataset.describe()[0]["derived"])


def test_duplicates_of_a_parquet_file_are_counted_line_by_line(tmp_path):
    """The duplicates are found by a hash of every column, then compared column by column: lines
    that differ in one column only (a blank against a value, another quantity) are no duplicates,
    and repeats with blanks in them are."""
    import duckdb

    near = [["9", "F", "2025-04-01", "tea", "1", "10.00", "paid"], ["9", "F", "2025-04-01", "tea", "2", "10.00", "paid"],
            ["9", "F", "2025-04-01", "tea", "1", "10.00", ""], ["9", "F", "2025-04-01", "tea", "1", "10.00", ""]]
    csv = orders_file(tmp_path, PAID + DUPLICATES + near)
    path = tmp_path / "orders.parquet"
    duckdb.sql(f"COPY (SELECT * FROM read_csv('{csv}', all_varchar=true)) TO '{path}' (FORMAT parquet)")
    s = session(path)
    a = s.ask("overview")
    assert "4 exact duplicate lines" in notes(a)  # the three planted and the repeat with a blank status
    h = headline(a)
    assert (h["orders"], h["customers"]) == (ORDERS + 1, CUSTOMERS + 1)
    assert h["revenue"] == pytest.approx(REVENUE + 30)

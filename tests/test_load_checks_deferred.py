"""The load checks that read every line of the sales (an order's figure repeated on each of its lines, an
order Total on its first line only, lines without an order id) wait, with a Parquet file's other checks,
for the first question that needs them (issue 20: loading does not scan every line; 7.0 s of the 1M-customer
file's load was these), and answer as on a CSV of the same lines. Over many orders they read a sample of the
orders first, which decides as all of them do."""

import duckdb
import pandas as pd
import pytest

from custlens import Session, kit


def _lines() -> pd.DataFrame:
    """60 orders of 1-3 lines: an order discount of 6.00 repeated on each line of the even orders, and the
    21 lines of orders 50-59 without an order id, each one customer's purchase at its own time."""
    rows = []
    for o in range(60):
        for n in range(1 + o % 3):
            rows.append({"order_id": f"O{o:04d}" if o < 50 else None, "customer_id": f"C{o % 20:02d}",
                         "order_date": pd.Timestamp("2024-03-01") + pd.Timedelta(hours=o * 7 + n * (o >= 50)),
                         "product": f"P{n}", "quantity": 1, "unit_price": 20.0, "amount": 20.0,
                         "discount": 6.0 if o % 2 == 0 else 0.0})
    return pd.DataFrame(rows)


def _write(frame: pd.DataFrame, folder, kind: str) -> str:
    path = folder / f"orders.{kind}"
    frame.to_parquet(path) if kind == "parquet" else frame.to_csv(path, index=False)
    return str(path)


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_checks_of_every_line_answer_alike_and_wait_for_a_question_on_parquet(tmp_path, kind):
    frame = _lines()
    s = Session(data=[_write(frame, tmp_path, kind)], entry_points=False)
    src = s.dataset.sources[0]
    assert (src.raw.scans == {}) == (kind == "parquet")  # a Parquet file's lines are not read at load
    a = s.ask("how many orders and how much revenue?")
    assert src.raw.scans  # read with the first question
    # orders: 50 with an id, and each of the 21 lines without one is an order of its own (its own time)
    assert f"{50 + frame.order_id.isna().sum()} orders" in a.summary.replace("**", "")
    # the discount 6.00 of each even order is the order's, counted once (shared out over its lines)
    orders = frame.order_id.fillna(pd.Series(frame.index.astype(str), index=frame.index))
    discounts = frame.groupby(orders).discount.first().sum()
    assert any("the same on every line of an order" in w for w in src.warnings)
    total = float(s.dataset.engine.rows("SELECT sum(discount) FROM transactions")[0][0])
    assert total == pytest.approx(discounts) and total < frame.discount.sum()


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_a_total_on_each_order_s_first_line_waits_and_is_read_as_the_order_s(tmp_path, kind):
    rows = []
    for o in range(30):
        lines = [("Candle", 1, 10.0), ("Throw", 1, 100.0)] if o % 2 else [("Throw", 2, 100.0)]
        total = sum(q * p for _, q, p in lines)
        for n, (name, qty, price) in enumerate(lines):
            rows.append({"Order Number": f"#{1000 + o}", "Created At": f"2024-05-{1 + o % 28:02d} 10:00:00",
                         "Customer Email": f"c{o % 9}@x.example", "Lineitem name": name, "Lineitem quantity": qty,
                         "Lineitem price": price, "Total": total if n == 0 else None})
    s = Session(data=[_write(pd.DataFrame(rows), tmp_path, kind)], entry_points=False)
    frame = s.ask("revenue by product").table("by_product").frame.set_index("product")
    assert float(frame.loc["Candle", "revenue"]) == 150.0 and float(frame.loc["Throw", "revenue"]) == 4500.0
    notes = s.dataset.sources[0].raw.notes
    assert any("'Total' is the order's total, on one of its lines only (100" in n for n in notes), notes


@pytest.fixture(scope="module")
def many_orders():
    """20,000 orders of two lines: ``shipping`` is the order's figure on both of its lines, ``price`` each
    line's own; 2% of the orders carry a ``fee`` on both lines, and ``rare`` is on 5 orders only."""
    con = duckdb.connect()
    con.execute("""CREATE TABLE lines AS SELECT 'O' || (i // 2) AS o, (i // 2) % 7 + 1.5 AS shipping,
                   i % 5 + 1.0 AS price, CASE WHEN (i // 2) % 50 = 0 THEN 3.0 ELSE 0 END AS fee,
                   CASE WHEN i // 2 < 5 THEN 9.0 ELSE 0 END AS rare FROM range(40000) t(i)""")
    return con


def _counted(con):
    asked = []

    def rows(sql):
        asked.append(sql)
        return con.execute(sql).fetchall()
    return rows, asked


@pytest.mark.parametrize("columns,repeated,reads", [(("shipping", "price"), {"shipping"}, 1), (("price",), set(), 1),
                                                    (("fee",), {"fee"}, 2), (("rare",), set(), 2)])
def test_a_sample_of_the_orders_decides_as_all_of_them(many_orders, columns, repeated, reads):
    values = {c: c for c in columns}
    assert kit.repeated_per_order(_counted(many_orders)[0], "lines", "o", values) == repeated
    rows, asked = _counted(many_orders)
    assert kit.repeated_per_order(rows, "lines", "o", values, sampled=True) == repeated
    # the sample (1 in 16 orders: ~1,250) tells for columns on enough of its orders; a column on few orders
    # (fee: ~25 in the sample; rare: 5 orders in all) is then read over every order
    assert len(asked) == reads


@pytest.mark.parametrize("kind", ["csv", "parquet"])
@pytest.mark.parametrize("amount_sign", ["negative", "positive"])
def test_returns_are_told_by_the_amount_alone_only_when_the_quantity_says_nothing_more(tmp_path, kind, amount_sign):
    """A returned line with a negative quantity and amount is told by its amount; an export that writes the
    returned quantity negative and its amount positive keeps reading the quantity: 8 returns either way."""
    frame = _lines()
    returned = frame.index[frame.index % 15 == 3]  # 8 lines given back
    frame.loc[returned, "quantity"] = -1
    frame.loc[returned, "amount"] = -20.0 if amount_sign == "negative" else 20.0
    s = Session(data=[_write(frame, tmp_path, kind)], entry_points=False)
    s.dataset.check()
    src = s.dataset.sources[0]
    assert ("quantity" in src.exprs["is_return"]) == (amount_sign == "positive")
    assert s.dataset.engine.rows("SELECT count(*) FROM returns")[0][0] == len(returned) == 8
    kept = frame.drop(returned)
    assert s.dataset.engine.rows("SELECT sum(amount) FROM transactions")[0][0] == pytest.approx(kept.amount.sum())
    assert any("8 return/cancellation line(s) kept apart" in w for w in src.warnings)

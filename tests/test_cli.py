"""The command line: each command's contract, driven with click's CliRunner."""

import json

import pandas as pd
from click.testing import CliRunner

from custlens.answer import Answer
from custlens.cli import cli


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_ask_json_is_exactly_the_answer_model(orders_csv):
    res = run("ask", "total revenue by country", "--data", str(orders_csv), "--format", "json")
    assert res.exit_code == 0, res.output
    answer = Answer.model_validate_json(res.stdout)  # nothing but the model on stdout
    assert answer.analysis == "overview"
    assert answer.table("by_country").rows[0][:2] == ["Germany", 600.0]
    assert set(json.loads(res.stdout)) == set(Answer.model_fields)


def test_ask_text_markdown_html(orders_csv):
    text = run("ask", "top 2 products", "--data", str(orders_csv)).output
    assert "Widget" in text and "600.00" in text and "2 of 4 rows" in text
    md = run("ask", "top 2 products", "--data", str(orders_csv), "--format", "markdown").output
    assert "| product | revenue |" in md.replace("revenue | orders", "revenue |") or "| product |" in md
    html = run("ask", "top 2 products", "--data", str(orders_csv), "--format", "html").output
    assert html.startswith("<!doctype html>") and "<td>Widget</td>" in html
    assert "http://" not in html and "https://" not in html


def test_out_writes_full_tables(orders_csv, tmp_path):
    out = tmp_path / "answer.xlsx"
    res = run("ask", "top 1 products", "--data", str(orders_csv), "--out", str(out))
    assert res.exit_code == 0, res.output
    sheets = pd.read_excel(out, sheet_name=None)
    assert len(sheets["by_product"]) == 4  # all products, not only the one shown
    out = tmp_path / "answer.json"
    run("ask", "top 1 products", "--data", str(orders_csv), "--out", str(out))
    assert Answer.model_validate_json(out.read_text()).analysis == "overview"


def test_param_sets_fields_and_rejects_unknown(orders_csv):
    res = run("ask", "overview", "--data", str(orders_csv), "--param", "by=country,product", "--param", "top=1",
              "--format", "json")
    answer = Answer.model_validate_json(res.stdout)
    assert answer.params["by"] == ["country", "product"] and answer.params["top"] == 1
    res = run("ask", "overview", "--data", str(orders_csv), "--param", "filters.country=France", "--format", "json")
    assert dict(Answer.model_validate_json(res.stdout).table("headline").rows)["revenue"] == 150.0
    res = CliRunner().invoke(cli, ["ask", "overview", "--data", str(orders_csv), "--param", "colour=red"])
    assert res.exit_code == 1 and "no parameter 'colour'" in res.output and "Traceback" not in res.output
    res = CliRunner().invoke(cli, ["ask", "overview", "--data", str(orders_csv), "--param", "grain=fortnight"])
    assert res.exit_code == 1 and "grain" in res.output


def test_describe_says_role_canonical_and_why(orders_csv):
    res = run("describe", "--data", str(orders_csv), "--format", "json")
    [src] = json.loads(res.output)
    assert src["role"] == "transactions"
    cols = {c["column"]: (c["canonical"], c["reason"]) for c in src["columns"]}
    assert cols["amount"] == ("amount", "header 'amount'")
    text = run("describe", "--data", str(orders_csv)).output
    assert "transactions" in text and "header 'order_date'" in text


def test_map_override_on_the_command_line(tmp_path):
    f = tmp_path / "sales.csv"
    f.write_text("who,when,Gross,Net\na,2024-01-01,10,8\nb,2024-01-02,20,15\n")
    res = run("describe", "--data", str(f), "--format", "json")
    assert {c["column"]: c["canonical"] for c in json.loads(res.output)[0]["columns"]}["Gross"] is None
    res = run("ask", "total revenue", "--data", str(f), "--map", "amount=Net", "--map", "customer_id=who",
              "--map", "order_date=when", "--format", "json")
    assert res.exit_code == 0, res.output
    assert dict(Answer.model_validate_json(res.stdout).table("headline").rows)["revenue"] == 23.0


def test_custlens_toml_next_to_the_data(tmp_path):
    f = tmp_path / "sales.csv"
    f.write_text("customer,date,Gross,Net\na,2024-01-01,10,8\nb,2024-01-02,20,15\n")
    (tmp_path / "custlens.toml").write_text('[map]\namount = "Net"\n')
    res = run("describe", "--data", str(f), "--format", "json")
    cols = {c["column"]: (c["canonical"], c["reason"]) for c in json.loads(res.output)[0]["columns"]}
    assert cols["Net"] == ("amount", "override")


def test_header_less_file_maps_column_numbers(tmp_path):
    f = tmp_path / "export.csv"
    f.write_text("".join(f"c{i % 3},2024-0{1 + i % 5}-1{i},{10 * (i + 1)}.5\n" for i in range(8)))
    res = run("ask", "total revenue", "--data", str(f), "--map", "customer_id=column0", "--map", "amount=column2",
              "--format", "json")
    assert res.exit_code == 0, res.output
    h = dict(Answer.model_validate_json(res.stdout).table("headline").rows)
    assert h["revenue"] == sum(10 * (i + 1) + 0.5 for i in range(8)) and h["customers"] == 3


def test_version_and_help_do_not_need_data():
    assert run("--version").output.startswith("custlens, version")
    assert "chat" in run("--help").output


def test_demo_writes_the_store_and_refuses_to_overwrite(tmp_path):
    out = tmp_path / "demo"
    res = CliRunner().invoke(cli, ["demo", str(out), "--customers", "300"])
    assert res.exit_code == 0, res.output
    assert {p.name for p in out.iterdir()} == {"orders.csv", "customers.xlsx", "feedback.csv", "touchpoints.csv"}
    res = run("describe", "--data", str(out / "orders.csv"), "--data", str(out / "customers.xlsx"), "--format", "json")
    roles = {s["source"]: s["role"] for s in json.loads(res.output)}
    assert roles["orders.csv"] == "transactions" and roles["customers.xlsx#customers"] == "customers"
    before = (out / "orders.csv").read_bytes()
    res = CliRunner().invoke(cli, ["demo", str(out), "--customers", "300"])
    assert res.exit_code == 1 and "overwrite" in res.output
    assert (out / "orders.csv").read_bytes() == before


def test_answers_carry_only_the_notes_of_the_sources_they_use(orders_csv, tmp_path):
    odd = tmp_path / "lookup.csv"
    odd.write_text("colour,shade\nred,dark\nblue,light\n")
    res = run("ask", "total revenue", "--data", str(orders_csv), "--data", str(odd), "--format", "json")
    answer = Answer.model_validate_json(res.stdout)
    # a file loaded and not used is said (only that: the user loaded it for something), nothing else of it
    lookup = [w for w in answer.warnings if "lookup.csv" in w]
    assert len(lookup) == 1 and lookup[0].startswith("lookup.csv: could not tell what it holds") \
        and "not used" in lookup[0]
    assert any("orders.csv" in w and "return" in w for w in answer.warnings)
    described = json.loads(run("describe", "--data", str(odd), "--format", "json").output)[0]
    assert described["role"] is None and "not used" in described["warnings"][0]


def test_a_sheet_whose_name_starts_with_a_hash_is_picked_by_a_second_hash(tmp_path, orders_frame):
    """"book.xlsx##sharp" is sheet "#sharp"; the file is the shortest prefix before a "#" that exists,
    so a folder or file name holding "#" works too."""
    folder = tmp_path / "q#1"
    folder.mkdir()
    book = folder / "book#2.xlsx"
    with pd.ExcelWriter(book) as xl:
        orders_frame.head(3).to_excel(xl, sheet_name="plain", index=False)
        orders_frame.to_excel(xl, sheet_name="#sharp", index=False)
        orders_frame.head(5).to_excel(xl, sheet_name="a#b", index=False)
    for spec, rows in ((f"{book}##sharp", len(orders_frame)), (f"{book}#a#b", 5), (f"{book}#plain", 3)):
        res = run("describe", "--data", spec, "--format", "json")
        assert res.exit_code == 0, res.output
        (source,) = json.loads(res.output)
        assert source["rows"] == rows and source["source"].endswith("#" + spec.split(".xlsx#", 1)[1]), source
    res = CliRunner().invoke(cli, ["describe", "--data", f"{book}#nosuch"])
    assert res.exit_code == 1 and "nosuch" in res.output and "#sharp" in res.output, res.output

"""Chat lines that were misread (issue 18, item 14): "export that to results.xlsx" in the shell
wrote a file named "that to results.xlsx"; a question in another script silently re-ran the last
analysis. Through the shell (click's CliRunner) and Session.chat."""

from __future__ import annotations

import csv

import pytest
from click.testing import CliRunner

from custlens.cli import cli
from custlens.errors import CannotAnswer
from custlens.session import Session


@pytest.fixture
def orders(tmp_path):
    path = tmp_path / "orders.csv"
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["customer_id", "order_id", "order_date", "product", "amount", "country"])
        for i in range(40):
            w.writerow([f"C{i % 8}", f"O{i}", f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", f"P{i % 5}",
                        10 + i, ["Germany", "France"][i % 2]])
    return path


def shell(tmp_path, orders, text):
    res = CliRunner().invoke(cli, ["chat", "--data", str(orders), "--history", str(tmp_path / "h")], input=text)
    assert res.exit_code == 0, res.output
    assert "Traceback" not in res.output and "unexpected" not in res.output, res.output
    return res.output


def test_shell_export_sentences_go_to_the_conversation(tmp_path, orders, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = shell(tmp_path, orders, "top 5 products\nexport that to results.xlsx\nexport it as csv\n"
                                  "export 'my results.json'\nexport plain.md\n")
    names = sorted(p.name for p in tmp_path.iterdir() if p.name not in ("orders.csv", "h"))
    assert "results.xlsx" in names and "my results.json" in names and "plain.md" in names, names
    assert not [n for n in names if n.startswith(("that", "it ", "as "))], names
    assert any(n.startswith("overview") and n.endswith(".csv") for n in names), names
    assert out.count("error:") == 0, out


@pytest.mark.parametrize("question", ["顧客は何人いますか", "რამდენი მომხმარებელი", "Где ближайшая станция?"])
def test_a_question_in_another_script_is_not_a_follow_up(tmp_path, orders, question):
    session = Session(data=[str(orders)], entry_points=False)
    first = session.chat("total revenue by country")
    with pytest.raises(CannotAnswer, match="I can't read this"):
        session.chat(question)
    assert session.conversation.last.answer is first  # nothing re-ran
    with pytest.raises(CannotAnswer, match="I can't read this"):
        Session(data=[str(orders)], entry_points=False).ask(question)
    out = shell(tmp_path, orders, f"total revenue by country\n{question}\n")
    assert "error: I can't read this" in out
    assert out.count("Total revenue") <= 1 or out.count("overview") <= 1


@pytest.mark.parametrize("question, metric, by", [("сколько у нас клиентов?", "customers", []),
                                                  ("Какая выручка по странам", "revenue", ["country"])])
def test_a_question_in_russian_is_read_as_a_new_question(orders, question, metric, by):
    """Russian words for the measures and breakdowns are read (``slots.ABBREVIATIONS``) as their English ones
    would be, the reading said in the first line."""
    a = Session(data=[str(orders)], entry_points=False).ask(question)
    assert a.analysis == "overview" and a.params["metric"] == metric and a.params["by"] == by, a.understood


def test_a_follow_up_with_a_word_in_another_script_is_not_taken_as_filler(orders):
    """"and for Москва" (no such value): a word the follow-up rule cannot place is not filler."""
    session = Session(data=[str(orders)], entry_points=False)
    session.chat("total revenue by country")
    assert session.follows_up("and for France")
    assert not session.follows_up("revenue Москва Париж")  # words it cannot place are not filler
    # mixed with English it is read, and the name it does not know is said, not silently dropped
    for name in ("Москва", "Zürich", "Ελλάδα"):
        with pytest.raises(Exception, match=f"I found no '{name}' in"):  # Greek names a country now: "in country: ..."
            session.chat(f"and for {name}")

"""The shipped examples work the way examples/README.md says: the question file piped into the
shell answers every question, on each sample export and on the demo."""

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from custlens.cli import cli

EXAMPLES = Path(__file__).parent.parent / "examples"
QUESTIONS = (EXAMPLES / "questions.txt").read_text()
ASKED = [q for q in QUESTIONS.splitlines() if q.strip() and not q.startswith("#")]


@pytest.mark.parametrize("data", [["--data", str(EXAMPLES / "shopify_orders.csv")],
                                  ["--data", str(EXAMPLES / "store_workbook.xlsx")],
                                  ["--demo"]], ids=["shopify", "workbook", "demo"])
def test_question_file_piped_into_chat(data, tmp_path):
    res = CliRunner().invoke(cli, ["chat", *data, "--history", str(tmp_path / "h")], input=QUESTIONS)
    assert res.exit_code == 0, res.output
    assert "error:" not in res.output, res.output
    prompt = re.compile(r"^(?:\[[^\]]*\])?> ")  # "[2024]> ": the period in force, once a question named it
    assert [prompt.sub("", ln) for ln in res.output.splitlines() if prompt.match(ln)] == ASKED
    assert "[2024]> number of orders by channel" in res.output  # "in 2024" lasts until changed
    titles = [ln for ln in res.output.splitlines() if ln.strip() == "Sales overview"]
    assert len(titles) == len(ASKED) - ASKED.count("help")


def test_crm_examples_are_recognised():
    import json

    res = CliRunner().invoke(cli, ["describe", "--format", "json",
                                   "--data", str(EXAMPLES / "hubspot_contacts.csv"),
                                   "--data", str(EXAMPLES / "salesforce_opportunities.csv")])
    assert res.exit_code == 0, res.output
    roles = {s["source"]: s["role"] for s in json.loads(res.output)}
    assert roles == {"hubspot_contacts.csv": "customers", "salesforce_opportunities.csv": "transactions"}


def test_embedding_example_keeps_one_conversation_per_thread(questions_read):
    import subprocess
    import sys

    res = subprocess.run([sys.executable, str(EXAMPLES / "embed.py")], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    turns = res.stdout.strip().split("\n\n")
    assert [t.splitlines()[0] for t in turns] == ["[#sales] segment my customers", "[#support] who is about to churn",
                                                  "[#sales] revenue for the champions by month",
                                                  "[#sales] and for Germany?"]
    # the follow-up in #sales keeps that thread's segment filter and adds the country
    assert "filter: segment = Champions · filter: country = Germany" in turns[3]

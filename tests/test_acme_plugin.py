"""examples/acme_plugin as a user gets it: installed beside custlens, found through its entry point
by the ``custlens`` command, its connector reading the sample export and the router sending an
MRR question to its analysis. Also runs the plugin's own tests, so the example cannot rot.

It is installed by the ``dev_install`` fixture (conftest.py): a development install from its
pyproject.toml, as ``pip install -e`` would make, without building a wheel.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

PLUGIN = Path(__file__).resolve().parents[1] / "examples" / "acme_plugin"
SAMPLE = PLUGIN / "sample" / "subscriptions.acme.json"


@pytest.fixture(scope="module")
def env(dev_install):
    """The environment of a process that has custlens-acme installed."""
    return dev_install(PLUGIN)


def custlens(env, *args):
    done = subprocess.run([sys.executable, "-m", "custlens.cli", *args], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_custlens_plugins_lists_the_analysis_and_the_connector(env):
    listed = json.loads(custlens(env, "plugins", "--json"))
    assert listed["errors"] == []
    mine = {(r["kind"], r["name"]): r for r in listed["registered"] if r["plugin"] == "acme"}
    assert set(mine) == {("analysis", "mrr"), ("connector", "acme_export")}
    assert mine["analysis", "mrr"]["version"] == "0.1.0"
    assert {"register_analyses", "register_connectors"} <= set(mine["analysis", "mrr"]["hooks"])


def test_question_routed_to_the_plugin_with_the_right_numbers(env):
    answer = json.loads(custlens(env, "ask", "what is our MRR churn by month", "--data", str(SAMPLE),
                                 "--format", "json"))
    assert answer["analysis"] == "mrr"
    table = next(t for t in answer["tables"] if t["name"] == "mrr_by_month")
    months = {row[0]: dict(zip(table["columns"], row)) for row in table["rows"]}
    # planted in the sample: two cancellations in March (100 + 100), one in June (50), an upgrade
    # of 50 in April, a downgrade of 100 and a comeback of 100 in May
    assert {m: r["churned"] for m, r in months.items()} == {
        "2024-01": 0, "2024-02": 0, "2024-03": 200, "2024-04": 0, "2024-05": 0, "2024-06": 50}
    assert months["2024-04"]["expansion"] == 50 and months["2024-05"]["contraction"] == 100
    assert months["2024-05"]["reactivation"] == 100 and months["2024-06"]["mrr"] == 650
    assert "MRR was 650.00 in 2024-06" in answer["summary"]


def test_the_plugins_own_tests_pass(questions_read):
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=PLUGIN,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:]
    assert " passed" in done.stdout

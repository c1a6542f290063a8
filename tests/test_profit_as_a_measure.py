"""Profit said as the measure of an overview question ("profit per month this year", "gross margin by
category", "total profit 2025 vs 2024"): the overview answers with gross profit (net revenue less cost of
goods, net of returns) in total, per value of the breakdown and for two periods side by side, with the
same figures the profitability analysis shows for the same lines (``kit.gross_profit_sql``)."""

import pytest

from custlens.errors import DataError

from helpers import demo_session, session, write

HEADER = ["order_id", "customer_id", "order_date", "category", "quantity", "amount", "cost"]
#: Tea: sales 100 + 60, cost 40 + 30, one Tea line of 20 (cost 8) returned -> net 140, cost 62, profit 78
#: Mugs: sales 50 (cost 60: a loss) in 2024, 80 (cost 30) in 2025 -> profit -10 in 2024, 50 in 2025
LINES = [["O1", "C1", "2024-03-05", "Tea", 2, 100.0, 40.0], ["O2", "C2", "2024-04-05", "Mugs", 1, 50.0, 60.0],
         ["O3", "C1", "2025-03-07", "Tea", 1, 60.0, 30.0], ["O3", "C1", "2025-03-07", "Mugs", 1, 80.0, 30.0],
         ["R1", "C1", "2025-03-06", "Tea", -1, -20.0, -8.0]]


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    return session(write(tmp_path_factory.mktemp("profit") / "sales.csv", [HEADER, *LINES]))


def figures(table, key):
    frame = table.frame.set_index(table.columns[0])
    return {k: (frame.loc[k, "gross profit"], frame.loc[k, "margin"]) for k in key}


def test_profit_by_a_column_is_the_overview_with_the_planted_figures(shop):
    a = shop.fork().ask("gross margin by category", analysis="overview")
    assert a.params["metric"] == "margin", a.understood
    by = figures(a.table("profit_by_category"), ["Tea", "Mugs"])
    assert by["Tea"] == (pytest.approx(78), pytest.approx(78 / 140, abs=1e-6))
    assert by["Mugs"] == (pytest.approx(40), pytest.approx(40 / 130, abs=1e-6))
    head = a.table("headline").frame.set_index("measure")["value"]
    assert head["gross profit"] == pytest.approx(118) and head["net revenue"] == pytest.approx(270)
    first = a.summary.splitlines()[0]
    assert "118" in first and "43.7%" in first  # the narrative says the headline's figures
    assert "Tea** brings the most (78" in a.summary


def test_profit_per_month_is_a_trend_and_a_losing_month_is_said(shop):
    a = shop.fork().ask("profit per month in 2024", analysis="overview")
    months = a.table("profit_by_month").frame.set_index("month")["gross profit"].to_dict()
    assert months == {"2024-03": pytest.approx(60), "2024-04": pytest.approx(-10)}
    assert "1 of them lose money: 2024-04" in a.summary


def test_two_years_of_profit_side_by_side_with_the_change(shop):
    a = shop.fork().ask("total profit 2025 vs 2024", analysis="overview")
    rows = a.table("comparison").frame.set_index("measure")
    # the sales end on 7 March 2025: 2024 is cut to 7 March as well (the April loss on Mugs is after it)
    assert rows.loc["gross profit", "2024"] == pytest.approx(60) and rows.loc["gross profit", "2025"] == pytest.approx(68)
    assert rows.loc["gross profit", "change"] == pytest.approx(8)
    assert rows.loc["margin %", "change"] == pytest.approx(68 / 120 - 60 / 100, abs=1e-6)
    assert a.summary.splitlines()[0].startswith("**Gross profit: 68 in 2025 against 60 in 2024**, up 8 (+13.3%)")
    assert "Like with like: 2024 cut to" in a.summary


@pytest.fixture(scope="module")
def demo():
    return demo_session(400, 5)[0]


@pytest.mark.parametrize("question", ["profit per month this year, roughly", "total profit 2025 vs 2024",
                                      "what was total profit last year"])
def test_profit_over_time_on_the_demo_is_the_overview_answered(demo, question):
    """(The overview had no margin: such questions were an error about metric='margin', then the
    profitability's per-customer report.)"""
    a = demo.fork().chat(question)
    assert a.analysis == "overview" and a.params["metric"] == "margin", a.understood
    assert a.summary.startswith("**Gross profit")


def test_the_overview_and_the_profitability_agree_on_the_same_lines(demo):
    s = demo
    overview = s.fork().ask("gross margin by category H1 2025", analysis="overview")
    assert not overview.understood.lower().startswith("error")
    profit = s.fork().run("profitability", {"by": ["category"], "start": "2025-01-01", "end": "2025-06-30"})
    theirs = profit.table("margin_by_category").frame.set_index("category")["profit"]
    ours = overview.table("profit_by_category").frame.set_index("category")["gross profit"]
    assert len(ours) > 3 and ours.sort_index().to_dict() == pytest.approx(theirs.sort_index().to_dict())


def test_profit_without_a_cost_column_says_what_to_give(tmp_path):
    path = write(tmp_path / "nocost.csv", [HEADER[:-1], *(line[:-1] for line in LINES)])
    for analysis in ("overview", "profitability"):
        with pytest.raises(DataError, match=r"needs the cost of goods of each sales line .*columns: amount, "
                                            r"category, .* map it with --map cost=COLUMN"):
            session(path).ask("profit by month", analysis=analysis)


def test_lines_without_a_cost_are_counted_at_zero_and_said(tmp_path):
    lines = [*LINES, ["O9", "C3", "2025-05-01", "Tea", 1, 30.0, ""]]
    a = session(write(tmp_path / "gaps.csv", [HEADER, *lines])).ask("gross profit by category", analysis="overview")
    assert any("1 purchase line(s) have no cost" in w for w in a.warnings)
    assert figures(a.table("profit_by_category"), ["Tea"])["Tea"][0] == pytest.approx(108)

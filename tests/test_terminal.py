"""What a person sees in a terminal: answers rendered at a fixed width (rich's Console(width=80)
and 100) through the same ``print_answer`` the shell uses. Wide tables keep the columns that
matter most and say what they left out; dates and numbers never break across lines."""

import io
import re

import pandas as pd
import pytest
from rich.console import Console

from custlens.answer import Answer, Table
from custlens.render import print_answer, text
from helpers import demo_session

WIDTHS = (80, 100)
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")


@pytest.fixture(scope="module")
def demo():
    session, _ = demo_session(customers=1500, seed=3)
    return session


def screen(answer: Answer, width: int) -> str:
    """The answer as the shell prints it on a terminal ``width`` characters wide."""
    out = io.StringIO()
    print_answer(answer, Console(file=out, width=width, force_terminal=False, color_system=None))
    return out.getvalue()


def block(shown: str, title: str) -> list[str]:
    """The lines of the table titled ``title``: from its title to the line after its bottom border
    (its note), or the next title."""
    lines = shown.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(title))
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("└"))
    return lines[start:end + 4]


def header(lines: list[str]) -> list[str]:
    """The column headers of a table block (header rows joined: a header may wrap at words)."""
    rows = [line for line in lines[2:lines.index(next(x for x in lines if x.startswith("┡")))]]
    cells = [[c.strip() for c in row.strip("┃").split("┃")] for row in rows]
    return [" ".join(part for part in col if part) for col in zip(*cells)]


@pytest.mark.parametrize("width", WIDTHS)
def test_cohort_heatmap_shows_the_recent_cohorts_and_first_periods_that_fit(demo, width):
    answer = demo.ask("cohort analysis")
    matrix = answer.table("cohort_matrix")
    shown = screen(answer, width)
    assert max(map(len, shown.splitlines())) <= width
    lines = block(shown, matrix.title)
    heads = header(lines)
    # the cohort, its size and the first periods, whole, in order
    assert heads[:5] == ["cohort", "customers", "0", "1", "2"]
    assert len(heads) < len(matrix.columns)  # 38 columns do not fit
    body = [line for line in lines if line.startswith("│")]
    cohorts = [row[0] for row in matrix.rows]
    assert len(cohorts) == 36
    # the newest cohorts: the last is shown, the first (oldest) is not
    assert body[-1].split("│")[1].strip() == cohorts[-1]
    assert not any(cohorts[0] in line for line in body)
    # every cell is a whole value (no "0 / . / 3 / 7" one character per line)
    for line in body:
        for value in [c.strip() for c in line.strip("│").split("│")[2:]]:
            assert value == "" or re.fullmatch(r"\d[\d,]*\.\d+%?|0\.\d+", value), line
    # the note: what was left out, how to get it all
    note = " ".join(lines[-3:])
    assert f"of {len(matrix.columns)} columns" in note and "not shown" in note
    assert f"of {len(cohorts)} rows" in note and "export" in note and "csv" in note


@pytest.mark.parametrize("width", WIDTHS)
def test_rules_show_the_columns_that_matter_most_in_full(demo, width):
    answer = demo.ask("which products are bought together")
    rules = answer.table("rules")
    assert rules.priority[:4] == ["antecedents", "consequents", "confidence", "lift"]
    lines = block(screen(answer, width), rules.title)
    heads = header(lines)
    assert heads[:2] == ["antecedents", "consequents"]
    assert "confidence" in heads and "lift" in heads  # the declared priority, whole
    assert all(len(h) >= 4 for h in heads)  # no "antec/edent" header fragments
    left = [c for c in rules.columns if c.replace("_", " ") not in heads]
    assert left and "not shown" in " ".join(lines[-3:])
    # the JSON keeps every column
    assert Answer.model_validate_json(answer.model_dump_json()).table("rules").columns == rules.columns


@pytest.mark.parametrize("width", WIDTHS)
def test_timestamps_and_dates_never_break_across_lines(demo, width):
    clv = demo.ask("customer lifetime value")
    shown = screen(clv, width)
    for name in ("customers", "at_risk"):
        table = clv.table(name)
        lines = block(shown, table.title)
        joined = "\n".join(lines)
        heads = header(lines)
        assert "p alive" in heads and "clv" in heads
        dated = [c for c in ("first_order", "last_order") if c.replace("_", " ") in heads]
        assert dated or width < 100  # at 100 characters a date column fits
        for column in dated:
            for stamp in table.column(column):  # each one whole on a line
                assert TIMESTAMP.fullmatch(stamp) and stamp in joined, stamp
        assert not re.search(r"│ \d\d:\d\d|\d{4}-\d\d- |-\d\d +│\n│ +\d\d", joined)  # no date cut in two
    churn = demo.ask("which customers are at risk of churning")
    table = churn.table("at_risk")
    joined = "\n".join(block(screen(churn, width), table.title))
    for day in table.column("last purchase"):
        assert re.search(rf"│ {day} +│", joined), day
    assert "revenue per year at stake" in header(block(screen(churn, width), table.title))


def test_a_table_declares_its_priority_columns_and_the_screen_keeps_them():
    frame = pd.DataFrame({f"measure_{i}": [1234.5678 * i, 2.0] for i in range(10)})
    frame.insert(0, "customer_id", ["C001", "C002"])
    frame["signed_up"] = ["2025-01-31 10:11:12", "2025-02-01 00:00:01"]
    frame["note"] = ["a long comment about the parcel that arrived late and broken", "fine"]
    table = Table.from_frame("wide", frame, "A wide table", priority=["customer_id", "signed_up", "measure_9"])
    shown = text(Answer(analysis="x", title="t", tables=[table]), width=60)
    assert max(map(len, shown.splitlines())) <= 60
    lines = block(shown, "A wide table")
    heads = header(lines)
    assert heads[0] == "customer id" and "signed up" in heads and "measure 9" in heads
    assert heads.index("signed up") > heads.index("measure 9")  # shown in table order
    assert "2025-01-31 10:11:12" in shown and "11,111.11" in shown
    assert "measure 1" not in heads and "not shown" in shown
    # without a width (Markdown, export) every column stays
    assert table.frame.shape[1] == 13


def test_a_table_with_few_columns_is_unchanged(demo):
    answer = demo.ask("number of orders by country")
    shown = screen(answer, 80)
    assert "not shown" not in shown
    lines = block(shown, answer.table("by_country").title)
    assert header(lines)[:2] == ["country", "orders"]


def test_a_value_that_looks_like_markup_is_shown_as_text(orders_frame, tmp_path):
    """A product called "<b>Widget</b>" is named in the narrative as typed, not dropped as HTML."""
    from custlens import Session

    frame = orders_frame.assign(product=orders_frame["product"].replace({"Widget": "<b>Widget</b>"}))
    frame.to_csv(tmp_path / "orders.csv", index=False)
    session = Session(data=[str(tmp_path / "orders.csv")], entry_points=False)
    shown = screen(session.ask("top 10 products"), 80)
    assert "<b>Widget</b> is highest" in shown

"""Answers a person can read (issue 19): specific questions lead with what was asked, period
labels in one style, report and HTML text without raw Markdown or placeholders, and "export
that" after an ask-back exports the last real answer."""

import pandas as pd
import pytest

from custlens.conversation import Conversation
from helpers import demo_session


@pytest.fixture(scope="module")
def demo():
    session, _ = demo_session(customers=1500, seed=3)
    return session


def test_export_after_an_ask_back_writes_the_last_real_answer(demo, tmp_path, monkeypatch):
    demo.conversation = Conversation()
    demo.export_dir = str(tmp_path)
    revenue = demo.chat("total revenue by country")
    assert revenue.analysis == "overview"
    monkeypatch.setattr(demo.router, "min_confidence", 1.01)  # every question is unsure now
    monkeypatch.setattr("custlens.router.CLOSE_RUNNER_UP", 0.0)
    asked = demo.chat("which customers are about to leave us")
    assert asked.analysis == "clarify"
    done = demo.chat("export that to csv")
    assert done.analysis == "export" and "Sales overview" in done.title
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written and not any("clarify" in name for name in written)
    by_country = next(p for p in tmp_path.iterdir() if "by_country" in p.name)
    frame = pd.read_csv(by_country)
    assert list(frame["country"]) == list(revenue.table("by_country").frame["country"])  # the full result


MONTH, QUARTER = r"\d{4}-\d{2}", r"\d{4} Q[1-4]"


@pytest.mark.parametrize("question, table, column, pattern", [
    ("revenue by month", "by_month", "month", MONTH),
    ("revenue per quarter", "by_quarter", "quarter", QUARTER),
    ("customer churn per month", "churn_by_period", "period", MONTH),
    ("cohort analysis", "cohort_matrix", "cohort", MONTH),
    ("quarterly cohorts", "cohort_matrix", "cohort", QUARTER),
    ("repeat purchase rate and retention", "retention_by_period", "quarter", QUARTER),
    ("what are the themes in the feedback", "theme_trend", "quarter", QUARTER),
    ("margin by month", "margin_by_month", "month", MONTH),
])
def test_period_labels_are_one_style_in_every_analysis(demo, question, table, column, pattern):
    import re

    answer = demo.ask(question)
    names = [t.name for t in answer.tables]
    shown = answer.table(table if table in names else next(n for n in names if n.endswith(column)))
    values = shown.column(column)
    assert values and all(re.fullmatch(pattern, str(v)) for v in values), values[:5]


def test_period_values_and_names_are_made_in_one_place():
    """core/templates.py writes periods; no plugin keeps its own copy."""
    import datetime as dt
    import pathlib

    import custlens.plugins as plugins
    from custlens.templates import period_name, period_start, period_value

    assert period_value("2025-01-01", "month") == "2025-01" == period_value(dt.date(2025, 1, 31), "month")
    assert period_value(pd.Timestamp("2025-10-01"), "quarter") == "2025 Q4"
    assert period_value("2025-10-06 00:00:00", "week") == "2025-10-06" and period_value(dt.date(2025, 3, 1), "year") == "2025"
    assert period_name("2025-10", "month") == "October 2025" and period_name("2025 Q4", "quarter") == "2025 Q4"
    assert period_start("October 2025") == period_start("2025-10") == dt.date(2025, 10, 1)
    assert period_value(None, "month") == "" and period_value("(unknown)", "month") == "(unknown)"
    for path in pathlib.Path(plugins.__file__).parent.rglob("*.py"):
        source = path.read_text()
        assert 'strftime("%B' not in source and "Q{(" not in source and "def period_label" not in source, path

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

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
    monkeypatch.setattr("custlens.router.KNOWN_QUESTION", 1.01)  # not even a known question is sure
    asked = demo.chat("which customers are about to leave us")
    assert asked.analysis == "clarify"
    done = demo.chat("export that to csv")
    assert done.analysis == "export" and "Sales overview" in done.title
    written = sorted(p.name for p in tmp_path.iterdir())
    assert done.understood.startswith("export · overview · to ") and written[0] in done.understood  # its first line
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


def test_a_failed_model_fit_says_what_it_means_and_what_to_do():
    from custlens.plugins._btyd import Fit
    from custlens.plugins.clv import fit_failed

    said = fit_failed("Gamma-Gamma", Fit({"p": 1.0}, -1.0, 965, False, "ABNORMAL: "), "day")
    assert "ABNORMAL" not in said and "converge" not in said
    assert "spend per purchase" in said and "965 customers" in said and "nothing here is a forecast" in said
    assert "--param grain=week" in said and "longer stretch of history" in said
    said = fit_failed("BG/NBD", Fit({}, -1.0, 12, False, "ABNORMAL_TERMINATION_IN_LNSRCH"), "month")
    assert "buy again" in said and "grain=" not in said and "ABNORMAL" not in said


def test_report_text_has_no_raw_markdown_placeholders_or_doubled_words(demo, tmp_path):
    """The report as Markdown and HTML: persona headings and key findings without raw '##', no
    '<NA>' in the funnel or retention tables, no 'mean mean score', themes as readable phrases."""
    import re

    md, html = tmp_path / "r.md", tmp_path / "r.html"
    answer = demo.run("report", {"out": str(md)})
    demo.run("report", {"out": str(html)})
    for path in (md, html):
        text = path.read_text()
        assert "<NA>" not in text and "&lt;NA&gt;" not in text, path
        assert "mean mean" not in text, path
        assert "ABNORMAL" not in text, path
    page = html.read_text()
    assert not re.search(r"<(?:p|li)>[^<]*(?:<strong>[^<]*</strong>[^<]*)?##", page)  # no raw '##' in a paragraph
    assert re.search(r"<h[3-6]>\w+, one of the ", page)  # a persona's name is a heading
    findings = md.read_text().split("**Key findings**")[1].split("<a id=")[0]
    assert "##" not in findings and "Personas" in findings
    assert answer is not None


def test_feedback_themes_are_labelled_with_readable_phrases(demo):
    import re

    answer = demo.ask("what are the themes in the feedback")
    labels = answer.table("themes").column("theme")
    comments = answer.table("comments").frame
    assert len(labels) >= 4 and len(set(labels)) == len(labels)
    for label in labels:
        assert "," not in label, label  # not a list of top words ("far, far expensive, big wasteful")
        assert 2 <= len(label.split()) <= 8, label
        # a phrase people wrote: a run of words of one of the theme's own comments
        texts = comments.loc[comments["theme"] == label, "text"].dropna().str.lower()
        assert any(label in " ".join(re.findall(r"[a-z][a-z'-]*", t)) for t in texts), label


def test_theme_phrase_finds_the_shortest_run_holding_the_top_words():
    from custlens.plugins.feedback import theme_phrase

    comments = ["Not happy. Far too expensive for what you get.", "Far too expensive, sadly."]
    assert theme_phrase(["far", "far expensive", "expensive", "get"], comments) == "far too expensive"
    assert theme_phrase(["sturdy", "money"], ["Very well made and sturdy. Keep it up."]) == "very well made and sturdy"
    assert theme_phrase(["zzz", "yyy"], ["nothing in common"]) == "zzz / yyy"


@pytest.mark.parametrize("width", (80, 100))
def test_a_specific_question_leads_with_what_was_asked(demo, width):
    """'average order value by channel': the narrative and the first table answer it; the overall
    figures follow, shorter (no trend table, no gross/discount lines), on the screen a person sees."""
    import io
    import re

    from rich.console import Console

    from custlens.render import print_answer

    answer = demo.ask("average order value by channel")
    by = answer.table("by_channel")
    assert answer.tables[0].name == "by_channel" and [t.name for t in answer.tables] == ["by_channel", "headline"]
    frame = by.frame.set_index("channel")["average order value"]
    top = frame.idxmax()
    first = answer.summary.split("\n")[0]
    assert first.startswith(f"Average order value by channel: **{top}** is highest with {frame.max():,.2f}")
    assert f"of {len(frame)} channels" in first
    overall = dict(answer.table("headline").rows)
    assert set(overall) == {"customers", "orders", "revenue", "average order value", "first order", "last order"}
    assert f"({overall['average order value']:,.2f} per order)" in answer.summary  # the overall AOV, after
    out = io.StringIO()
    print_answer(answer, Console(file=out, width=width, force_terminal=False, color_system=None))
    screen = out.getvalue()
    # on the screen: the answer's table comes before any general figures
    overall_table = re.search(r"^Overall *$", screen, re.M).start()
    assert screen.index("Top 3 channels by average order value") < overall_table
    assert "Headline figures" not in screen and "last 12 months" not in screen
    assert re.search(rf"│ {top} +│ +{frame.max():,.2f} │", screen)
    # the general question still gets the full overview
    general = demo.ask("give me an overview of the data")
    assert general.tables[0].name == "headline" and "trend" in [t.name for t in general.tables]

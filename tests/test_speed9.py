"""Speed pass 9 (issue 20): work the report did twice done once, with the same results.

- charts are laid out once before savefig (savefig with a layout engine drew each figure twice):
  the same PNG bytes as savefig's own layout, for every chart kind;
- a segment's comment words and its low-score comment words come from one pass over the
  comments: the same words as counting each apart (checked against a count in Python);
- feedback's per-theme, per-place and per-group tables read the columns they need: the answer is
  the same as the one computed from the full rows (checked on planted data).
"""

from __future__ import annotations

import re
from collections import Counter

import pandas as pd
import pytest

from custlens import Session, charts
from custlens.plugins import segmentation

from test_charts import small_answer


# ---------------------------------------------------------------------- charts
def test_every_chart_kind_is_laid_out_once_and_draws_the_same_png(monkeypatch):
    from matplotlib.figure import Figure

    answer = small_answer()
    draws = []
    real_draw = Figure.draw

    def counted(self, renderer):
        draws.append(1)
        return real_draw(self, renderer)

    monkeypatch.setattr(Figure, "draw", counted)
    now = []
    for chart in answer.charts:
        draws.clear()
        now.append(charts.png_bytes(answer, chart))
        assert len(draws) == 1, chart.kind  # one draw: the layout ran before savefig
    # savefig's own layout (the engine left on the figure): two draws, the same bytes
    monkeypatch.setattr(charts, "_laid_out", lambda fig: None)
    for chart, png in zip(answer.charts, now):
        draws.clear()
        assert charts.png_bytes(answer, chart) == png, chart.kind
        assert len(draws) == 2, chart.kind


def test_a_figure_without_axes_is_left_as_it_is():
    fig, ax = charts._figure()
    fig.delaxes(ax)
    charts._laid_out(fig)  # no axes: nothing to lay out, no error
    assert fig.get_layout_engine() is None


# ---------------------------------------------------------------------- comment words
@pytest.fixture
def planted(tmp_path):
    """Four customers in two planted segments; comments with known words, some with low scores,
    one with no score and one with no text."""
    orders = pd.DataFrame({"customer_id": ["A", "B", "C", "D", "E"], "order_id": ["1", "2", "3", "4", "5"],
                           "order_date": ["2024-01-05", "2024-02-05", "2024-03-05", "2024-04-05", "2024-04-06"],
                           "product": ["P"] * 5, "quantity": [1] * 5, "unit_price": [10.0] * 5})
    feedback = pd.DataFrame({
        "customer_id": ["A", "A", "B", "B", "C", "C", "D", "D", "E", "E"],
        "date": ["2024-05-01"] * 10,
        "score": [9, 2, 3, 10, 1, None, 8, 4, 10, None],
        "comment": ["lovely parcel lovely service", "broken parcel arrived broken", "broken handle",
                    "lovely lovely lovely", "refund refund late parcel", "late late late late late",
                    None, "slow refund", "great value", "quick delivery"]})
    orders.to_csv(tmp_path / "orders.csv", index=False)
    feedback.to_csv(tmp_path / "feedback.csv", index=False)
    s = Session(data=[str(tmp_path / "orders.csv"), str(tmp_path / "feedback.csv")])
    s.dataset.set_segments(pd.DataFrame({"customer_id": ["A", "B", "C", "D", "E"],
                                         "segment": ["one", "one", "two", "two", "three"]}), "planted")
    yield s, feedback
    s.close()


def _expected(feedback: pd.DataFrame, segments: dict, low: bool, n: int = 5) -> dict:
    """The words counted in Python, as the two statements of before did (each apart)."""
    top = feedback.score.max()
    cut = 6 if top > 5 else 2
    counts: dict[str, Counter] = {}
    for row in feedback.itertuples():
        if not isinstance(row.comment, str) or (low and not (row.score == row.score and row.score <= cut)):
            continue
        for w in re.split("[^a-z]+", row.comment.lower()):
            if len(w) > 2 and w not in segmentation.STOPWORDS:
                counts.setdefault(segments[row.customer_id], Counter())[w] += 1
    return {s: [w for w, _ in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]
            for s, c in sorted(counts.items())}


def test_comment_words_and_low_score_words_in_one_pass(planted):
    s, feedback = planted
    segments = {"A": "one", "B": "one", "C": "two", "D": "two", "E": "three"}
    start = len(s.dataset.sql_log)
    every, low = segmentation._comment_words(s.dataset)
    assert every == _expected(feedback, segments, low=False)
    assert low == _expected(feedback, segments, low=True)
    # known answers, not only the Python count: "lovely" leads segment one over every comment; its
    # low-score comments (2 and 3 of 10) say "broken"; C's unscored comment counts only in "every"
    assert every["one"][:2] == ["lovely", "broken"] and low["one"][0] == "broken"
    assert every["two"][0] == "late" and "late" in low["two"] and low["two"][0] == "refund"
    assert len([q for q in s.dataset.sql_log[start:] if "regexp_split_to_array" in q]) <= 1
    assert "three" in every and "three" not in low  # E's comments: a high score and none
    two = segmentation._comment_words(s.dataset, n=1)
    assert two == ({"one": ["lovely"], "three": ["delivery"], "two": ["late"]},
                   {"one": ["broken"], "two": ["refund"]})


def test_comment_words_follow_new_labels(planted):
    s, feedback = planted
    labels = {"A": "x", "B": "y", "C": "y", "D": "x", "E": "x"}
    s.dataset.set_segments(pd.DataFrame({"customer_id": list(labels), "segment": list(labels.values())}), "planted")
    every, low = segmentation._comment_words(s.dataset)
    assert every == _expected(feedback, labels, low=False)
    assert low == _expected(feedback, labels, low=True)
    assert set(every) == {"x", "y"}


# ---------------------------------------------------------------------- feedback
def test_feedback_tables_agree_with_the_comments_they_group():
    """The themes table, the trend, the complaints by group and the promoters' themes are read from
    the comments table's own rows: each figure recounted here from it (the per-theme and per-group
    frames read only the columns they need now)."""
    from helpers import demo_session

    s, _ = demo_session(3000, 42)
    answer = s.run("feedback", {})
    c = answer.table("comments").frame  # every comment (the rows shown are fewer)
    assert len(c) == answer.table("comments").total_rows
    themed = c[c.theme.notna()]
    themes = answer.table("themes").frame.set_index("theme")
    assert int(themes.comments.sum()) == len(themed)
    for label, t in themed.groupby("theme"):
        row = themes.loc[label]
        assert row.comments == len(t)
        assert row["share"] == round(len(t) / len(themed), 6)
        assert row["average score"] == round(float(t.score.mean()), 2)
        assert row["average sentiment"] == round(float(t.sentiment.mean()), 3)
        assert row["negative share"] == round(float((t.sentiment <= -0.05).mean()), 6)
        assert set(row["examples"].split(" | ")) <= set(t.text)
    by_product = answer.table("complaints_by_product").frame.set_index("product")
    complaints = c[c.score <= 6]
    for product, t in c.groupby("product"):
        row = by_product.loc[product]
        assert row.comments == len(t) and row.complaints == int((t.score <= 6).sum())
        mine = complaints[(complaints["product"] == product) & complaints.theme.notna()].theme
        if len(mine):
            assert row["top complaint theme"] == mine.value_counts().index[0]
    shares = answer.table("promoters_vs_detractors").frame.set_index("theme")
    promoters = themed[themed.score >= 9]
    for label in shares.index:
        assert shares.loc[label, "promoters"] == round(float((promoters.theme == label).mean()), 6)
    s.close()


# ---------------------------------------------------------------------- the last order date
def _orders(tmp_path, last_day: str, name: str = "orders.csv"):
    rows = []
    for i, c in enumerate(["A", "B", "C", "D", "E", "F"]):
        for k, day in enumerate(["2023-01-10", "2023-04-12", "2023-09-03", "2024-02-20"][: 1 + i % 4]):
            rows.append((c, f"{c}{k}", day, "P" if k % 2 else "Q", 1, 10.0 + i))
    rows.append(("A", "Alast", last_day, "P", 1, 12.0))
    rows.append(("B", "Bret", "2030-01-01", "P", -1, 10.0))  # a return dated last: not a purchase
    path = tmp_path / name
    pd.DataFrame(rows, columns=["customer_id", "order_id", "order_date", "product", "quantity",
                                "unit_price"]).to_csv(path, index=False)
    return path


def _scans(s, start):
    return [q for q in s.dataset.sql_log[start:] if re.search(r"max\((t\.)?order_date\)\s*(AS \w+ )?FROM transactions\b", q)
            and "transactions_all" not in q]


def test_loyalty_cohort_churn_count_back_from_the_kept_last_date(tmp_path, monkeypatch):
    """The last purchase date is read once per loaded data (a return dated later is not it); loyalty,
    cohort and churn take it from there instead of scanning every purchase for it, with the same
    answers as with that scan; a new data version reads its own."""
    from custlens import kit

    s = Session(data=[str(_orders(tmp_path, "2024-06-30 15:00:00"))])
    assert kit.last_date_sql(s.dataset) == "TIMESTAMP '2024-06-30 15:00:00'"
    runs = [("loyalty", {}), ("cohort", {}), ("churn", {})]
    start = len(s.dataset.sql_log)
    fast = [s.run(a, p) for a, p in runs]
    assert _scans(s, start) == []
    loyalty = fast[0].table("loyalty_index").frame.set_index("customer_id")
    scan = "(SELECT max(order_date) FROM transactions)"
    monkeypatch.setattr(kit, "last_date_sql", lambda dataset: scan)
    s2 = Session(data=[str(_orders(tmp_path, "2024-06-30 15:00:00"))])
    slow = [s2.run(a, p) for a, p in runs]
    for a, b in zip(fast, slow):
        assert a.summary == b.summary and a.warnings == b.warnings
        for t in a.tables:
            pd.testing.assert_frame_equal(t.frame.reset_index(drop=True), b.table(t.name).frame.reset_index(drop=True))
    monkeypatch.undo()
    assert loyalty.loc["A", "recency_days"] == 0  # recency counts back from 2024-06-30: A bought then
    assert loyalty.loc["F", "recency_days"] == (pd.Timestamp("2024-06-30") - pd.Timestamp("2023-04-12")).days
    # another file with a later last purchase: a new data version, its own last date
    other = Session(data=[str(_orders(tmp_path, "2024-08-15", "later.csv"))])
    assert kit.last_date_sql(other.dataset) == "TIMESTAMP '2024-08-15 00:00:00'"
    cohort = other.run("cohort", {})
    assert cohort.table("cohort_periods").frame["period_start"].astype(str).max() >= "2024-08"
    for x in (s, s2, other):
        x.close()


def test_the_last_date_follows_a_filter_and_a_mapping(tmp_path):
    """A mapping that changes which column is the order date gives a new data version and a new
    last date; a filter does not change the data's last date (recency counts to the data's end)."""
    from custlens import kit

    path = _orders(tmp_path, "2024-06-30")
    frame = pd.read_csv(path)
    frame["shipped"] = pd.to_datetime(frame.order_date) + pd.Timedelta(days=3)
    frame.to_csv(path, index=False)
    s = Session(data=[str(path)])
    before = kit.last_date_sql(s.dataset)
    assert before == "TIMESTAMP '2024-06-30 00:00:00'"
    scoped = s.run("loyalty", {"filters": {"product": ["Q"]}})
    assert scoped.table("loyalty_headline") is not None and kit.last_date_sql(s.dataset) == before
    version = s.dataset.data_version
    s.dataset.map("order_date", "shipped")
    assert s.dataset.data_version != version
    assert kit.last_date_sql(s.dataset) == "TIMESTAMP '2024-07-03 00:00:00'"
    assert s.run("loyalty", {}).table("loyalty_headline") is not None
    s.close()


def _same_answers(a, b):
    assert a.summary == b.summary and a.warnings == b.warnings
    assert [t.name for t in a.tables] == [t.name for t in b.tables]
    for t in a.tables:
        pd.testing.assert_frame_equal(t.frame.reset_index(drop=True), b.table(t.name).frame.reset_index(drop=True))


@pytest.mark.parametrize("extra", [None, "BOOLEAN", "DECIMAL(6, 2)", "DATE"])
def test_feedback_rows_through_arrow_give_the_same_answer(tmp_path, monkeypatch, extra):
    """The feedback rows come through Arrow when every column is of a type whose frame is the same
    (text, whole numbers, doubles, timestamps), the usual way otherwise (a yes/no, a decimal, a
    date among the attributes): the answer is the same either way."""
    import duckdb

    from custlens.plugins import feedback as fb

    n = 240
    frame = pd.DataFrame({"customer_id": [f"C{i % 60}" for i in range(n)],
                          "date": [f"2024-{1 + i % 12:02d}-{1 + i % 27:02d}" for i in range(n)],
                          "score": [i % 11 for i in range(n)],
                          "comment": [["Parcel arrived late again", "Great quality, very happy", "Too expensive for "
                                       "what it is", "Friendly support, quick refund", None][i % 5] for i in range(n)],
                          "product": [f"P{i % 7}" for i in range(n)],
                          "extra": [i % 2 for i in range(n)]})
    frame["extra"] = ["2024-01-0" + str(1 + i % 9) for i in range(n)] if extra == "DATE" else frame["extra"]
    csv, path = tmp_path / "feedback.csv", tmp_path / "feedback.parquet"
    frame.to_csv(csv, index=False)
    cast = f"CAST(extra AS {extra}) AS extra" if extra else "extra"
    duckdb.sql(f"COPY (SELECT * EXCLUDE (extra), {cast} FROM read_csv_auto('{csv}')) TO '{path}' (FORMAT parquet)")
    used = []
    s = Session(data=[str(path)])
    real = s.dataset.query_arrow
    monkeypatch.setattr(s.dataset, "query_arrow", lambda *a, **k: used.append(1) or real(*a, **k))
    fast = s.run("feedback", {})
    types = set(s.dataset.relation_columns("feedback").values())
    assert bool(used) == (types <= fb.ARROW_SAME) == (extra is None), types
    monkeypatch.setattr(fb, "ARROW_SAME", frozenset())
    s2 = Session(data=[str(path)])
    _same_answers(fast, s2.run("feedback", {}))
    s.close()
    s2.close()

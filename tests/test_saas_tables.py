"""Tables a new user brings that are not what their headers first suggest (the sixth new-user
trial): a subscriptions table keyed by account (read as lines, not one row per customer), k-means
on a customers table alone whose own columns carry RFM names ("Recency"), and a measure the
question names that the answer does not use (said on the first line). Data made here, shaped like
the real files."""

import numpy as np
import pandas as pd
import pytest

from custlens import Session
from custlens.errors import CustlensError, PluginError


def marketing_frame(n: int = 240, seed: int = 3) -> pd.DataFrame:
    """A marketing-campaign customer table: one row per customer, spend per category, a Recency
    column (days since the last purchase), 0/1 campaign flags, a constant Z_Revenue, and Spent.
    Two planted groups: big spenders (wine and meat) and small ones."""
    rng = np.random.default_rng(seed)
    big = np.arange(n) < n // 3
    wines = np.where(big, rng.integers(600, 900, n), rng.integers(0, 60, n))
    meat = np.where(big, rng.integers(300, 500, n), rng.integers(0, 40, n))
    return pd.DataFrame({
        "ID": np.arange(1000, 1000 + n), "Year_Birth": rng.integers(1950, 1995, n),
        "Education": rng.choice(["Graduation", "PhD", "Master"], n),
        "Marital_Status": rng.choice(["Single", "Married", "Together"], n),
        "Income": np.where(big, rng.integers(60000, 90000, n), rng.integers(15000, 40000, n)),
        "Kidhome": np.where(big, 0, rng.integers(0, 3, n)),
        "Dt_Customer": pd.Timestamp("2013-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D"),
        "Recency": rng.integers(0, 100, n), "MntWines": wines, "MntMeatProducts": meat,
        "NumWebPurchases": rng.integers(1, 10, n), "AcceptedCmp1": rng.integers(0, 2, n),
        "Complain": rng.integers(0, 2, n), "Z_Revenue": 11, "Response": rng.integers(0, 2, n),
        "Spent": wines + meat,
    })


def customers_session(frame: pd.DataFrame, name: str = "marketing_campaign.csv") -> Session:
    s = Session(entry_points=False)
    s.dataset.add_frame(name, frame, "customers")
    return s


def test_kmeans_on_a_customers_table_with_a_recency_column_clusters_its_attributes():
    frame = marketing_frame()
    s = customers_session(frame)
    answer = s.ask("cluster customers into 4 groups")
    assert answer.analysis == "segmentation"
    segments = answer.table("segments").frame
    assert len(segments) == 4 and segments["customers"].sum() == len(frame)
    said = " ".join(answer.warnings)
    # which attributes it clustered on is said, Recency among them (an attribute, not the RFM recency)
    assert "clustered on the customer attributes" in said and "recency" in said and "mnt_wines" in said
    assert "z_revenue" not in said.split("segment value")[0]  # a constant separates nothing
    # the segments are valued by Spent, not by the constant Z_Revenue
    assert "spent" in segments.columns and "z_revenue" not in segments.columns
    assert segments["spent"].sum() == pytest.approx(frame["Spent"].sum())
    # the planted big spenders sit apart: the most valuable cluster holds only them
    top = segments.iloc[0]
    assert top["spent per customer"] > 2 * frame["Spent"].mean()


def test_every_example_question_on_a_customers_table_alone_answers_or_says_why(tmp_path, monkeypatch):
    """Each analysis's example questions through Session.chat on a customers-only table: an
    answer or a clear CustlensError, never a plugin crash (a traceback shown as 'plugin failed')."""
    monkeypatch.chdir(tmp_path)  # "export personas" writes files
    s = customers_session(marketing_frame(120))
    crashed = []
    for name, analysis in s.analyses.items():
        for question in analysis.examples:
            conversation = s.fork()
            try:
                conversation.chat(question)
            except PluginError as exc:
                crashed.append((name, question, str(exc)[:200]))
            except CustlensError:
                pass  # a sentence saying what is needed
    assert not crashed, crashed

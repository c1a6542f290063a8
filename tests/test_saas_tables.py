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
from custlens.templates import pct


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


# --------------------------------------------------------------------------- subscriptions, keyed by account

def subscriptions_frame(accounts: int = 60, per: int = 8, seed: int = 5) -> pd.DataFrame:
    """A SaaS subscriptions export (the RavenStack layout): several subscriptions per account, each
    with its own start and end date, plan tier, seats, MRR and ARR, flags and billing frequency.
    Planted: Enterprise carries most MRR; an account's churn flag is set on its latest
    subscription for every fifth account."""
    rng = np.random.default_rng(seed)
    rows = []
    for a in range(accounts):
        starts = sorted(pd.Timestamp("2023-06-01") + pd.to_timedelta(rng.choice(540, per, replace=False), unit="D"))
        for i, start in enumerate(starts):
            tier = rng.choice(["Basic", "Pro", "Enterprise"], p=[0.3, 0.4, 0.3])
            mrr = int({"Basic": 100, "Pro": 400, "Enterprise": 2500}[tier] * rng.uniform(0.5, 1.5))
            last = i == per - 1
            churned = bool(last and a % 5 == 0 or not last and rng.random() < 0.1)
            rows.append({"subscription_id": f"S-{a:03d}{i}", "account_id": f"A-{a:03d}", "start_date": start,
                         "end_date": start + pd.Timedelta(days=90) if churned else pd.NaT, "plan_tier": tier,
                         "seats": int(rng.integers(1, 60)), "mrr_amount": mrr, "arr_amount": 12 * mrr,
                         "is_trial": bool(rng.random() < 0.15), "churn_flag": churned,
                         "billing_frequency": rng.choice(["monthly", "annual"])})
    return pd.DataFrame(rows).sample(frac=1, random_state=1).reset_index(drop=True)  # not in date order


@pytest.fixture(scope="module")
def saas():
    frame = subscriptions_frame()
    s = Session(entry_points=False)
    s.dataset.add_frame("saas_subscriptions.csv", frame)
    return s, frame


def test_a_subscriptions_table_is_read_as_lines_of_its_accounts(saas):
    s, frame = saas
    roles = {src.name: src.role for src in s.dataset.sources}
    assert roles == {"saas_subscriptions.csv": "transactions", "saas_subscriptions.csv (accounts)": "customers"}
    lines = s.dataset.sources[0]
    mapping = {c: m.column for c, m in s.dataset.mapping_of(lines).items()}
    assert mapping["customer_id"] == "account_id" and mapping["order_date"] == "start_date"
    assert mapping["amount"] == "mrr_amount" and mapping["order_id"] == "subscription_id"
    assert s.dataset.scalar("SELECT count(*) FROM transactions") == len(frame)  # no row dropped
    assert s.dataset.scalar("SELECT count(*) FROM customers") == frame["account_id"].nunique()


def test_mrr_by_plan_tier_sums_the_active_subscriptions_and_says_what_it_summed(saas):
    s, frame = saas
    answer = s.ask("MRR by plan tier")
    assert "metric=revenue" in answer.understood and "by: plan_tier" in answer.understood
    day = frame["start_date"].max()
    assert f"active on {day.date()}, trials out" in answer.understood
    table = answer.tables[0].frame
    got = dict(zip(table["plan_tier"], table["MRR"]))
    live = frame[(frame["start_date"] <= day) & (frame["end_date"].isna() | (frame["end_date"] > day))
                 & ~frame["is_trial"]]
    truth = live.groupby("plan_tier")["mrr_amount"].sum().to_dict()
    assert got == pytest.approx(truth)
    assert got != pytest.approx(frame.groupby("plan_tier")["mrr_amount"].sum().to_dict())  # not every row
    assert max(got, key=got.get) == "Enterprise"
    said = " ".join(answer.warnings)
    assert "read as subscriptions" in said and "mrr_amount" in said and "active on the data's last day" in said


def test_churn_of_a_subscriptions_table_is_an_account_with_no_open_subscription(saas):
    """An account whose latest subscription churned but whose earlier ones are still open has not
    churned (it was 12, every fifth account's latest subscription); the subscriptions' own churn is
    said beside it."""
    s, frame = saas
    answer = s.ask("what is our churn rate?")
    head = dict(answer.table("headline").rows)
    day = frame["start_date"].max()
    open_ = frame[frame["end_date"].isna() | (frame["end_date"] > day)]
    latest = frame.sort_values(["start_date", "subscription_id"]).groupby("account_id").tail(1)
    assert head["customers"] == frame["account_id"].nunique()
    assert head["churned"] == frame["account_id"].nunique() - open_["account_id"].nunique()
    assert head["churned"] != latest["churn_flag"].sum() == 12  # not the latest subscription's flag
    assert "churned only when none of its subscriptions is open" in " ".join(answer.warnings)
    ended = frame["end_date"].notna() & (frame["end_date"] <= day)
    lines = dict(answer.table("subscriptions_churn").rows)
    assert lines["subscriptions ended"] == ended.sum() and lines["subscriptions"] == len(frame)
    assert f"{ended.sum():,} have ended ({pct(ended.mean())})" in answer.summary


def test_subscriptions_started_per_month_are_counted_as_rows(saas):
    s, frame = saas
    answer = s.ask("how many subscriptions started each month in 2024?")
    assert "metric=orders" in answer.understood and "grain=month" in answer.understood
    table = answer.tables[0].frame
    started = frame[frame["start_date"].dt.year == 2024]
    truth = started.groupby(started["start_date"].dt.strftime("%Y-%m")).size().to_dict()
    assert dict(zip(table.iloc[:, 0].astype(str), table["orders"])) == truth


def test_a_customers_table_with_a_few_repeated_ids_stays_customers_and_says_so():
    rng = np.random.default_rng(2)
    frame = pd.DataFrame({"customer_id": [f"C{i:03d}" for i in range(100)],
                          "signup_date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 300, 100), unit="D"),
                          "plan": rng.choice(["Basic", "Pro"], 100), "monthly_charges": rng.integers(20, 90, 100)})
    frame = pd.concat([frame, frame.iloc[:3].assign(plan="Enterprise")], ignore_index=True)
    s = Session(entry_points=False)
    s.dataset.add_frame("crm.csv", frame)
    assert [src.role for src in s.dataset.sources] == ["customers"]
    answer = s.ask("how many customers do we have?")
    said = [w for w in answer.warnings if "more than one row" in w]
    assert said and "3 customer id(s)" in said[0] and "3 of them with rows that differ (in contract" in said[0]
    assert "the first in the file" in said[0]


def test_a_subscriptions_table_said_to_be_customers_stays_customers():
    s = Session(entry_points=False)
    s.dataset.add_frame("saas_subscriptions.csv", subscriptions_frame(20, 4), role="customers")
    assert [src.role for src in s.dataset.sources] == ["customers"]


# --------------------------------------------------------------------------- a measure said is read, or said unread

def accounts_frame(n: int = 90, seed: int = 8) -> pd.DataFrame:
    """One row per account (a CRM export of a SaaS): plan tier, seats, MRR; planted: Enterprise
    accounts pay ten times what Basic ones do."""
    rng = np.random.default_rng(seed)
    tier = rng.choice(["Basic", "Pro", "Enterprise"], n)
    mrr = np.array([{"Basic": 100, "Pro": 400, "Enterprise": 1000}[t] for t in tier]) + rng.integers(0, 50, n)
    return pd.DataFrame({"account_id": [f"A-{i:03d}" for i in range(n)], "plan_tier": tier,
                         "seats": rng.integers(1, 40, n), "mrr_amount": mrr,
                         "churn_flag": rng.random(n) < 0.2})


def test_mrr_by_plan_tier_on_accounts_sums_the_mrr_column_and_says_so():
    frame = accounts_frame()
    s = customers_session(frame, "accounts.csv")
    answer = s.ask("MRR by plan tier")
    assert "measure=mrr_amount" in answer.understood and "stat=sum" in answer.understood
    assert "read 'MRR' as the sum of mrr_amount" in answer.understood
    table = next(t.frame for t in answer.tables if "plan_tier" in t.frame.columns)
    got = dict(zip(table["plan_tier"], table.iloc[:, -1]))
    assert got == pytest.approx(frame.groupby("plan_tier")["mrr_amount"].sum().to_dict())
    current = s.ask("what is our current MRR and how many accounts do we have?")
    assert "read 'MRR' as the sum of mrr_amount" in current.understood
    assert dict(current.table("headline").rows)["total mrr amount"] == pytest.approx(frame["mrr_amount"].sum())


def test_arr_said_ranks_by_the_arr_column_and_the_amount_by_name_is_revenue(saas):
    s, frame = saas
    answer = s.ask("top 10 accounts by ARR")  # ranked by arr_amount summed over the active subscriptions
    assert "not read" not in answer.understood and "lead=arr_amount" in answer.understood
    day = frame["start_date"].max()
    live = frame[(frame["start_date"] <= day) & (frame["end_date"].isna() | (frame["end_date"] > day))
                 & ~frame["is_trial"]]
    truth = live.groupby("account_id")["arr_amount"].sum().sort_values(ascending=False).head(10)
    table = answer.tables[0].frame
    assert list(table["ARR"]) == list(truth) and set(table["account"]) <= set(truth.index)
    # the amount of the lines, said by its column's name, is revenue: read, not "not read"
    total = s.ask("total mrr_amount by plan_tier")
    assert "metric=revenue" in total.understood and "not read" not in total.understood
    assert dict(zip(total.tables[0].frame["plan_tier"], total.tables[0].frame["revenue"])) == \
        pytest.approx(frame.groupby("plan_tier")["mrr_amount"].sum().to_dict())


def test_measures_read_or_not_named_are_not_said_unread():
    s = customers_session(marketing_frame())
    for question in ("average spent by education", "average income by marital status", "customers by kidhome",
                     "how many new customers joined each quarter?"):
        assert "not read" not in s.ask(question).understood, question
    # a text column whose name starts with a numeric one's: "by shipping country" is not "shipping"
    orders = pd.DataFrame({"Email": ["a@x.io", "b@x.io", "c@x.io"], "Name": ["#1", "#2", "#3"],
                           "Created at": pd.to_datetime(["2024-01-02", "2024-02-03", "2024-03-04"]),
                           "Total": [10.0, 20.0, 30.0], "Shipping": [1.0, 2.0, 0.0],
                           "Shipping Country": ["US", "CA", "US"]})
    shop = Session(entry_points=False)
    shop.dataset.add_frame("orders_export.csv", orders, "transactions")
    assert "not read" not in shop.ask("total revenue by shipping country").understood


def test_a_subscriptions_table_mapped_back_to_customers_loses_its_accounts_copy():
    s = Session(entry_points=False)
    s.dataset.add_frame("saas_subscriptions.csv", subscriptions_frame(20, 4))
    assert len(s.dataset.sources) == 2
    s.dataset.map("role", "customers", "saas_subscriptions.csv")
    assert [(src.name, src.role) for src in s.dataset.sources] == [("saas_subscriptions.csv", "customers")]
    assert s.dataset.scalar("SELECT count(*) FROM customers") == 20

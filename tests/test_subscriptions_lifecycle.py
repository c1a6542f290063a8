"""Subscriptions with an end date of their own (a SaaS export read as lines of its accounts): an
end is dated by end_date ("how many subscriptions ended in 2024", "churned subscriptions by
month"), a figure "now" is of the subscriptions active on the data's last day, trials left out
("current MRR", "MRR by plan tier"), and an account's figures are the sums over its active
subscriptions, its plan its latest subscription's ("top accounts by MRR", "accounts by plan tier").
A small file with planted figures, asked through Session.chat, checked against pandas."""

import pandas as pd
import pytest

from custlens import Session

#: 3 accounts, 7 subscriptions. The data's last day is 2024-12-15 (the latest start). Active then:
#: S2 (500), S5 (300), S7 (150); S6 is a trial (0), S1, S3, S4 ended in 2024 (Feb, Jul, Nov).
ROWS = [
    ("S1", "A1", "2023-03-01", "2024-02-10", "Pro", 5, 100, False, True),
    ("S2", "A1", "2024-02-11", None, "Enterprise", 20, 500, False, False),
    ("S3", "A2", "2023-06-01", "2024-07-15", "Basic", 2, 50, False, True),
    ("S4", "A2", "2024-03-01", "2024-11-30", "Pro", 8, 200, False, True),
    ("S5", "A3", "2024-01-05", None, "Pro", 10, 300, False, False),
    ("S6", "A3", "2024-12-01", None, "Basic", 3, 0, True, False),
    ("S7", "A1", "2024-12-15", None, "Pro", 4, 150, False, False),
]
DAY = pd.Timestamp("2024-12-15")


def frame() -> pd.DataFrame:
    f = pd.DataFrame(ROWS, columns=["subscription_id", "account_id", "start_date", "end_date", "plan_tier", "seats",
                                    "mrr_amount", "is_trial", "churn_flag"])
    f["arr_amount"] = 12 * f["mrr_amount"]
    f["billing_frequency"] = "monthly"
    return f


@pytest.fixture(scope="module")
def saas(tmp_path_factory):
    f = frame()
    path = tmp_path_factory.mktemp("saas") / "saas_subscriptions.csv"
    f.to_csv(path, index=False)
    s = Session(entry_points=False)
    s.load(str(path))
    for col in ("start_date", "end_date"):
        f[col] = pd.to_datetime(f[col])
    return s, f


def active(f: pd.DataFrame) -> pd.DataFrame:
    return f[(f["start_date"] <= DAY) & (f["end_date"].isna() | (f["end_date"] > DAY)) & ~f["is_trial"]]


def ask(s: Session, question: str):
    return s.fork().chat(question)


def test_subscriptions_ended_in_a_year_are_counted_by_their_end_date(saas):
    s, f = saas
    answer = ask(s, "how many subscriptions ended in 2024")
    ended = f[f["end_date"].dt.year == 2024]
    head = dict(answer.table("headline").rows)
    assert head["subscriptions"] == len(ended) == 3
    assert len(f[f["start_date"].dt.year == 2024]) != 3  # by start date it would be another number
    assert head["MRR"] == ended["mrr_amount"].sum() == 350
    assert "dated by end_date" in answer.understood
    assert "**3 subscriptions ended**" in answer.summary and "end_date" in answer.summary


def test_churned_subscriptions_by_month_are_by_the_month_they_ended(saas):
    s, f = saas
    answer = ask(s, "churned subscriptions by month")
    assert answer.analysis == "overview" and "dated by end_date" in answer.understood
    table = answer.tables[0].frame
    ended = f[f["end_date"].notna()]
    truth = ended.groupby(ended["end_date"].dt.strftime("%Y-%m")).size().to_dict()
    assert dict(zip(table["period"], table["subscriptions"])) == truth == {"2024-02": 1, "2024-07": 1, "2024-11": 1}


@pytest.mark.parametrize("question", ["current MRR", "what's our MRR now"])
def test_current_mrr_sums_the_subscriptions_active_on_the_last_day_without_trials(saas, question):
    s, f = saas
    answer = ask(s, question)
    head = dict(answer.table("headline").rows)
    now = active(f)
    assert head["MRR"] == now["mrr_amount"].sum() == 950  # not 1,300: ended ones left out
    assert head["subscriptions"] == len(now) == 3  # the trial S6 is not counted
    # the assumptions on the first line and in the narrative: which day, trials out
    assert "active on 2024-12-15" in answer.understood and "trials out" in answer.understood
    assert "2024-12-15" in answer.summary and "trials (is_trial) are left out" in answer.summary
    assert "950.00" in answer.summary


def test_mrr_by_plan_tier_is_of_the_active_subscriptions(saas):
    s, f = saas
    answer = ask(s, "MRR by plan tier")
    table = answer.tables[0].frame
    truth = active(f).groupby("plan_tier")["mrr_amount"].sum().to_dict()
    assert dict(zip(table["plan_tier"], table["MRR"])) == truth == {"Enterprise": 500, "Pro": 450}
    assert "active on 2024-12-15" in answer.understood
    assert "**Enterprise** (MRR 500" in answer.summary


def test_top_accounts_by_mrr_sum_each_accounts_active_subscriptions(saas):
    s, f = saas
    answer = ask(s, "top 10 accounts by MRR")
    table = answer.tables[0].frame
    truth = active(f).groupby("account_id")["mrr_amount"].sum().sort_values(ascending=False)
    assert list(table["account"]) == list(truth.index) == ["A1", "A3"]  # A2 has nothing active
    assert list(table["MRR"]) == list(truth) == [650, 300]  # A1: S2 + S7 summed, not one of them
    assert "per account: an account's MRR is the sum of its subscriptions' MRR" in answer.understood


def test_accounts_by_plan_tier_count_each_account_once_under_its_latest_plan(saas):
    s, f = saas
    answer = ask(s, "accounts by plan tier")
    table = answer.tables[0].frame
    latest = f.sort_values("start_date").groupby("account_id").tail(1).set_index("account_id")["plan_tier"]
    truth = latest[active(f)["account_id"].unique()].value_counts().to_dict()
    assert dict(zip(table["plan_tier"], table["accounts"])) == truth == {"Pro": 1, "Basic": 1}
    assert table["accounts"].sum() == active(f)["account_id"].nunique()  # each account once
    assert "latest subscription's plan_tier" in answer.understood


def test_the_accounts_table_sums_mrr_and_seats_and_takes_the_latest_plan(saas):
    s, f = saas
    got = s.dataset.query("SELECT customer_id, plan_tier, mrr_amount, seats FROM customers ORDER BY 1")
    now = active(f).groupby("account_id")[["mrr_amount", "seats"]].sum()
    latest = f.sort_values("start_date").groupby("account_id").tail(1).set_index("account_id")["plan_tier"]
    for row in got.itertuples():
        assert row.plan_tier == latest[row.customer_id]
        assert row.mrr_amount == (now["mrr_amount"].get(row.customer_id, 0))
        assert row.seats == (now["seats"].get(row.customer_id, 0))
    assert list(got["mrr_amount"]) == [650, 0, 300] and list(got["seats"]) == [24, 0, 10]
    said = " ".join(w for src in s.dataset.sources for w in src.warnings)
    assert "per account: seats, mrr_amount, arr_amount summed over its subscriptions active" in said
    assert "trials (is_trial) left out" in said and "churned only when none of its subscriptions is open" in said


def test_mrr_by_month_is_the_mrr_active_at_each_months_end(saas):
    s, f = saas
    answer = ask(s, "MRR by month in 2024")
    table = answer.tables[0].frame
    got = dict(zip(table["period"], table["MRR"]))
    for month in ("2024-01", "2024-02", "2024-07", "2024-11", "2024-12"):
        end = min(pd.Period(month).end_time.normalize(), DAY)
        live = f[(f["start_date"] <= end) & (f["end_date"].isna() | (f["end_date"] > end)) & ~f["is_trial"]]
        assert (got[month] or 0) == live["mrr_amount"].sum(), month
    assert got["2024-12"] == 950


def test_orders_tables_are_not_read_by_a_lifecycle():
    """A shop's orders (no end date) answer "current revenue" and "cancelled orders" as before."""
    s = Session(entry_points=False)
    s.dataset.add_frame("orders.csv", pd.DataFrame({
        "order_id": ["O1", "O2", "O3"], "customer_id": ["C1", "C2", "C1"],
        "order_date": pd.to_datetime(["2024-01-02", "2024-02-03", "2024-03-04"]), "amount": [10.0, 20.0, 30.0]}),
        "transactions")
    assert s.dataset.lifecycle() is None
    answer = s.ask("what is our revenue now")
    assert "lifecycle" not in answer.understood and dict(answer.table("headline").rows)["revenue"] == 60


def test_arr_and_seats_said_lead_the_active_figures(saas):
    s, f = saas
    arr = ask(s, "what is our ARR now")
    assert dict(arr.table("headline").rows)["ARR"] == active(f)["arr_amount"].sum() == 11400
    assert "**ARR on 2024-12-15: 11,400.00**" in arr.summary and "not read" not in arr.understood
    seats = ask(s, "top 10 accounts by seats")
    table = seats.tables[0].frame
    truth = active(f).groupby("account_id")["seats"].sum().sort_values(ascending=False)
    assert list(table["account"]) == list(truth.index) and list(table["seats"]) == list(truth) == [24, 10]
    assert "an account's seats is the sum of its subscriptions' seats" in seats.understood


def test_an_average_over_the_accounts_says_how_an_account_is_made(saas):
    s, f = saas
    answer = ask(s, "average seats per account")
    per = active(f).groupby("account_id")["seats"].sum().reindex(f["account_id"].unique(), fill_value=0)
    assert dict(answer.table("headline").rows)["average seats"] == pytest.approx(per.mean(), abs=1e-4)  # 34 / 3, rounded
    assert "per account: seats, mrr_amount, arr_amount summed over its subscriptions active on 2024-12-15, " \
           "trials out; churned when none is open, other yes/no flags when any has them, is_trial its latest's; " \
        "other columns from its latest subscription" in answer.understood


def test_a_follow_up_keeps_the_active_set_until_a_metric_is_named(saas):
    s, f = saas
    c = s.fork()
    c.chat("current MRR")
    tier = c.chat("by plan tier")  # narrows: still the active subscriptions
    assert "active on 2024-12-15" in tier.understood
    assert dict(zip(tier.tables[0].frame["plan_tier"], tier.tables[0].frame["MRR"])) == {"Enterprise": 500, "Pro": 450}
    sales = c.chat("revenue by month")  # names a metric: the subscriptions started each month, as before
    assert "active on" not in sales.understood and "lifecycle" not in sales.understood

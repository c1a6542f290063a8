"""Accounts made from their subscriptions, and the subscriptions' own churn and ends, on a small
planted export whose answers are known (checked against pandas on the same frame):

- an account has churned only when none of its subscriptions is open on the data's last day (not
  when its latest subscription's churn flag is set: A6's latest ended, its older one is open);
- a yes/no flag of an account (upgraded) is yes when any of its subscriptions has it;
- "churn by billing frequency" also gives the subscriptions' own churn by that column, and
  "monthly vs annual billing" is that breakdown, not a time grain;
- "ended in Q4 2024 vs Q4 2023" compares the ends, dated by end_date, not the starts.
"""

import pandas as pd
import pytest

from custlens import Session
from custlens.templates import pct

#: subscription, account, start, end, plan, billing, seats, mrr, trial, upgraded. The last day is 2024-12-31.
ROWS = [
    ("S01", "A1", "2023-01-10", "2023-11-15", "Pro", "monthly", 5, 100, False, True),
    ("S02", "A1", "2023-11-16", None, "Enterprise", "annual", 20, 900, False, False),
    ("S03", "A2", "2023-03-01", "2024-10-20", "Basic", "monthly", 2, 50, False, False),
    ("S04", "A2", "2024-02-01", "2024-12-01", "Pro", "annual", 8, 300, False, False),
    ("S05", "A3", "2024-01-05", None, "Pro", "monthly", 10, 400, False, False),
    ("S06", "A3", "2024-12-31", None, "Basic", "annual", 3, 0, True, False),
    ("S07", "A4", "2023-05-01", "2023-12-20", "Basic", "monthly", 1, 60, False, False),
    ("S08", "A5", "2024-06-01", "2024-11-11", "Basic", "monthly", 4, 80, False, False),
    ("S09", "A5", "2024-06-02", None, "Pro", "annual", 6, 350, False, True),
    ("S10", "A6", "2024-01-01", None, "Enterprise", "annual", 30, 1200, False, False),
    ("S11", "A6", "2024-05-01", "2024-08-01", "Pro", "monthly", 7, 250, False, False),
]
DAY = pd.Timestamp("2024-12-31")


def frame() -> pd.DataFrame:
    f = pd.DataFrame(ROWS, columns=["subscription_id", "account_id", "start_date", "end_date", "plan_tier",
                                    "billing_frequency", "seats", "mrr_amount", "is_trial", "upgrade_flag"])
    f["start_date"], f["end_date"] = pd.to_datetime(f["start_date"]), pd.to_datetime(f["end_date"])
    f["arr_amount"] = 12 * f["mrr_amount"]
    f["churn_flag"] = f["end_date"].notna()
    return f


@pytest.fixture(scope="module")
def saas():
    f = frame()
    s = Session(entry_points=False)
    s.dataset.add_frame("subscriptions.csv", f)
    return s, f


def ask(s: Session, question: str):
    return s.fork().chat(question)


def open_accounts(f: pd.DataFrame) -> set:
    return set(f.loc[f["end_date"].isna() | (f["end_date"] > DAY), "account_id"])


def test_an_account_has_churned_only_when_none_of_its_subscriptions_is_open(saas):
    s, f = saas
    answer = ask(s, "what is our churn rate?")
    head = dict(answer.table("headline").rows)
    churned = set(f["account_id"]) - open_accounts(f)
    assert churned == {"A2", "A4"}
    latest = f.sort_values("start_date").groupby("account_id").tail(1)
    assert latest["churn_flag"].sum() == 3  # A6's latest subscription ended, its first is open
    assert head["customers"] == 6 and head["churned"] == len(churned) == 2
    assert "churned only when none of its subscriptions is open" in " ".join(answer.warnings)
    assert "An account has churned only when none of its subscriptions is open on 2024-12-31" in answer.summary


def test_the_subscriptions_own_churn_is_said_in_all_and_by_a_column_of_theirs(saas):
    s, f = saas
    answer = ask(s, "Monthly vs annual billing: which has the higher churn rate?")
    assert "by: billing_frequency" in answer.understood and "grain=year" not in answer.understood
    ended = f["end_date"].notna() & (f["end_date"] <= DAY)
    lines = dict(answer.table("subscriptions_churn").rows)
    assert (lines["subscriptions"], lines["subscriptions ended"]) == (len(f), ended.sum()) == (11, 6)
    by = answer.table("subscriptions_churn_by_billing_frequency").frame.set_index("billing_frequency")
    truth = ended.groupby(f["billing_frequency"]).mean().round(6)
    assert by["churn rate"].to_dict() == truth.to_dict()
    assert by["ended"].to_dict() == ended.groupby(f["billing_frequency"]).sum().to_dict()
    assert truth.idxmax() == "monthly"
    assert f"highest for **monthly** ({pct(truth['monthly'])} of {(f['billing_frequency'] == 'monthly').sum()})" \
        in answer.summary


def test_a_billing_value_said_as_a_filter_keeps_the_subscriptions_to_it(saas):
    s, f = saas
    c = s.fork()
    c.chat("churn rate by plan tier")
    answer = c.chat("only annual billing")
    assert "billing_frequency = annual" in answer.understood and "grain" not in answer.understood
    annual = f[f["billing_frequency"] == "annual"]
    lines = dict(answer.table("subscriptions_churn").rows)
    assert lines["subscriptions"] == len(annual) == 5
    assert lines["subscriptions ended"] == (annual["end_date"].notna() & (annual["end_date"] <= DAY)).sum() == 1


def test_an_accounts_yes_no_flag_is_yes_when_any_of_its_subscriptions_has_it(saas):
    s, f = saas
    answer = ask(s, "upgrade rate by plan tier")
    upgraded = f.groupby("account_id")["upgrade_flag"].any()
    head = dict(answer.table("headline").rows)
    assert head["upgrade rate"] == pytest.approx(upgraded.mean(), abs=1e-4)  # A1 (its first), A5: 2 of 6
    assert upgraded.sum() == 2
    assert "other yes/no flags when any has them" in answer.understood


def test_ends_of_two_periods_are_compared_by_the_end_date(saas):
    s, f = saas
    answer = ask(s, "How many subscriptions ended in Q4 2024 vs Q4 2023?")
    assert "dated by end_date" in answer.understood
    rows = {r[0]: r[1:] for r in answer.table("comparison").rows}
    e = f["end_date"]
    q4_23 = f[(e >= "2023-10-01") & (e < "2024-01-01")]
    q4_24 = f[(e >= "2024-10-01") & (e < "2025-01-01")]
    assert rows["subscriptions"][:2] == [len(q4_23), len(q4_24)] == [2, 3]
    assert rows["MRR"][:2] == [q4_23["mrr_amount"].sum(), q4_24["mrr_amount"].sum()]
    started = f["start_date"]
    assert ((started >= "2024-10-01") & (started < "2025-01-01")).sum() != 3  # not the starts
    assert "2 subscriptions in 2023 Q4 and 3 in 2024 Q4" in answer.summary


def test_mrr_of_two_period_ends_is_of_the_subscriptions_active_then(saas):
    s, f = saas
    answer = ask(s, "current MRR in Q3 2024 vs Q4 2024")
    rows = {r[0]: r[1:] for r in answer.table("comparison").rows}

    def mrr_on(day):
        day = pd.Timestamp(day)
        live = f[(f["start_date"] <= day) & (f["end_date"].isna() | (f["end_date"] > day)) & ~f["is_trial"]]
        return float(live["mrr_amount"].sum())

    assert rows["MRR"][:2] == [mrr_on("2024-09-30"), mrr_on("2024-12-31")]


def test_cohorts_of_accounts_follow_their_open_subscriptions_and_show_percentages(saas):
    """A4's only subscription ran May to 20 December 2023: its cohort (2023-05) is active in months
    0-7 and not in month 8, whatever it started; every cell is a share, shown as a percentage."""
    from custlens.render import markdown as to_text

    s, f = saas
    answer = ask(s, "monthly cohort analysis of accounts by first subscription month")
    assert answer.analysis == "cohort"
    matrix = answer.table("cohort_matrix").frame.set_index("cohort")
    row = matrix.loc["2023-05"]
    assert [row[str(k)] for k in range(9)] == [1.0] * 8 + [0.0]
    starts = f[f["account_id"] == "A4"]["start_date"].dt.to_period("M")
    assert list(starts.astype(str)) == ["2023-05"]  # one start: new starts would give 1.0 then 0.0
    assert "3" in answer.table("cohort_matrix").percent
    assert "100.0%" in to_text(answer) and "0.5000" not in to_text(answer)
    assert "open at some time in it" in " ".join(answer.warnings)


def test_accounts_with_more_than_one_subscription_are_counted(saas):
    s, f = saas
    answer = ask(s, "How many accounts have more than one subscription?")
    per = f.groupby("account_id")["subscription_id"].nunique()
    assert (per > 1).sum() == 5 and len(per) == 6  # A4 has one
    assert "min_orders=2" in answer.understood
    assert f"**{(per > 1).sum()} of {len(per)} accounts ({pct((per > 1).mean())}) have more than one subscription" \
        in answer.summary
    table = dict((r[0], r[1]) for r in answer.table("accounts_by_subscriptions").rows)
    assert table == {str(k): v for k, v in per.value_counts().sort_index().items()}


@pytest.mark.parametrize("question, least", [
    ("how many customers have at least 3 orders", 3),
    ("customers who bought more than twice", 3),
    ("accounts with multiple subscriptions", 2),
    ("clients with 2+ orders", 2),
    ("customers with multiple addresses", None),
    ("customers who have more than 5 years tenure", None),
    ("how many customers have more than 100 in revenue", None),
])
def test_a_count_of_orders_per_customer_is_read_only_where_orders_are_counted(question, least):
    from custlens import meant

    assert meant.orders_at_least(question) == least


def active_paid(f: pd.DataFrame, day=DAY) -> pd.DataFrame:
    return f[(f["start_date"] <= day) & (f["end_date"].isna() | (f["end_date"] > day)) & ~f["is_trial"]]


def test_an_average_by_a_column_that_varies_within_an_account_is_over_the_subscriptions(saas):
    """A1 holds a Pro and an Enterprise subscription: under its latest plan it would carry the
    other's seats. The average is of the subscriptions active on the last day, said on the first line."""
    s, f = saas
    answer = ask(s, "average seats by plan tier")
    live = active_paid(f)
    truth = live.groupby("plan_tier")["seats"].mean().round(2).to_dict()
    table = answer.tables[0].frame.set_index("plan_tier")["average seats"].to_dict()
    assert table == truth
    assert dict(answer.table("headline").rows)["average seats"] == round(live["seats"].mean(), 2)
    assert "per account: not used, read over the subscriptions active on 2024-12-31" in answer.understood


def test_revenue_summed_over_started_subscriptions_is_said_to_be_new_mrr(saas):
    s, f = saas
    answer = ask(s, "revenue in 2024")
    assert answer.summary.startswith("Revenue here is new MRR: the mrr_amount of the subscriptions started")
    now = active_paid(f)["mrr_amount"].sum()
    assert f"active on 2024-12-31 is {now:,.2f}" in answer.summary
    started = f[f["start_date"].dt.year == 2024]["mrr_amount"].sum()
    assert f"{started:,}" in answer.summary  # the figure itself is unchanged, only said for what it is


def test_an_average_of_the_active_subscriptions_is_applied_not_dropped(saas):
    s, f = saas
    answer = ask(s, "average seats of active subscriptions")
    live = active_paid(f)
    assert dict(answer.table("headline").rows)["average seats"] == round(live["seats"].mean(), 2)
    assert dict(answer.table("headline").rows)["subscriptions"] == len(live) == 4  # S02, S05, S09, S10 (S06 a trial)
    assert "active on 2024-12-31, trials out" in answer.understood


def test_the_subscriptions_churn_is_broken_down_by_categories_only(saas):
    s, _ = saas
    answer = ask(s, "what is our churn rate?")
    names = [t.name for t in answer.tables]
    assert not any(n.startswith("subscriptions_churn_by_") and n.endswith(("seats", "mrr_amount", "arr_amount"))
                   for n in names)


@pytest.mark.parametrize("question", ["current MRR of annual subscriptions", "what is the MRR of annual plans now"])
def test_a_billing_value_before_the_rows_noun_is_a_filter_not_a_grain(saas, question):
    s, f = saas
    answer = ask(s, question)
    assert answer.params["filters"] == {"billing_frequency": ["annual"]} and "period" not in answer.params.get("by", [])
    live = active_paid(f)
    mrr = float(live.loc[live["billing_frequency"] == "annual", "mrr_amount"].sum())
    assert dict(answer.table("headline").rows)["MRR"] == mrr == 2450.0  # S02, S09, S10


def test_ended_subscriptions_of_one_billing_value_are_counted_by_end_date(saas):
    s, f = saas
    answer = ask(s, "how many monthly subscriptions ended in 2024")
    assert answer.params["filters"] == {"billing_frequency": ["monthly"]}
    ended = f[(f["billing_frequency"] == "monthly") & (f["end_date"].dt.year == 2024)]
    assert dict(answer.table("headline").rows)["subscriptions"] == len(ended) == 3  # S03, S08, S11

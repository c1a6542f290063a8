"""A CRM deals export laid out like Salesforce's as a stranger's trial brought it (trial 25: opp_id,
account_id, rep_id, region, close_date, stage Closed Won / Closed Lost / open stages, amount, is_won).
Planted answers: "win rate by rep" is one group per rep (rep_id is an id, never banded into quartiles of
its numbers); "how many new accounts did we win each quarter" counts each account in the quarter of its
first won deal, not every account active in the quarter; "what share of won revenue comes from renewals"
is the renewals' share of the won revenue (it filtered on the renewals and said 100%)."""

import pandas as pd
import pytest

from helpers import session

REPS = list(range(1001, 1025))  # 24 reps: more values than a number column is kept whole at


@pytest.fixture(scope="module")
def crm(tmp_path_factory):
    """480 deals closing over 2025 (deal j on day 3j mod 360): account 5000 + 7j mod 40, rep REPS[j % 24],
    every seventh deal still open (Negotiation), the others won when j % 12 < 6 + j % 3, else lost; every
    fifth deal a renewal."""
    rows = []
    for j in range(480):
        close = pd.Timestamp("2025-01-01") + pd.Timedelta(days=(j * 3) % 360)
        open_deal = j % 7 == 0
        won = not open_deal and (j % 12) < 6 + j % 3
        rows.append({"opp_id": 100000 + j, "account_id": 5000 + (j * 7) % 40, "rep_id": REPS[j % 24],
                     "region": ["Northeast", "West"][j % 2], "close_date": close.date().isoformat(),
                     "stage": "Negotiation" if open_deal else "Closed Won" if won else "Closed Lost",
                     "amount": 1000 + 10 * (j % 50), "is_won": won, "is_renewal": j % 5 == 0})
    frame = pd.DataFrame(rows)
    path = tmp_path_factory.mktemp("crm") / "opportunities.csv"
    frame.to_csv(path, index=False)
    return session(path), frame


def test_win_rate_by_rep_is_one_group_per_rep(crm):
    s, frame = crm
    a = s.fork().ask("win rate by rep")
    table = next(t for t in a.tables if t.columns and t.columns[0] == "rep_id")
    reps = [str(r[0]) for r in table.rows]
    assert set(reps) <= {str(r) for r in REPS} and table.total_rows == len(REPS)  # not "<= 1003", "1003 - 1006"...


def test_new_accounts_won_each_quarter_count_each_account_at_its_first_win(crm):
    s, frame = crm
    won = frame[frame.stage == "Closed Won"].assign(q=lambda f: pd.to_datetime(f.close_date).dt.quarter)
    first = won.groupby("account_id").q.min().value_counts().sort_index()
    a = s.fork().ask("How many new accounts did we win each quarter?")
    assert a.params.get("new_customers") is True
    table = next(t for t in a.tables if "new" in t.columns)
    got = {str(r[0])[-1]: r[table.columns.index("new")] for r in table.rows}
    assert {str(q): int(n) for q, n in first.items()} == {q: int(n) for q, n in got.items() if n}


def test_the_share_of_won_revenue_from_renewals_is_measured_not_filtered(crm):
    s, frame = crm
    won = frame[frame.stage == "Closed Won"]
    a = s.fork().ask("What share of won revenue comes from renewals?")
    assert a.params["measure"] == "is_renewal" and "is_renewal" not in (a.params.get("filters") or {})
    share = won[won.is_renewal].amount.sum() / won.amount.sum()
    assert f"({share:.1%})" in a.summary, a.summary
    assert f"{int(won.is_renewal.sum())} of {len(won)} orders" in a.summary

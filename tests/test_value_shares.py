"""A share of a value, of a yes/no column's yes or of a filled column is one figure with its whole
(the sixth new-user trial's R8: "what share of customers have a PhD" went to loyalty and failed, "%
of subscriptions with auto renew on" and "share of orders with a discount code" got the general
overview, "share of ARR from Enterprise" a filter with no share); a yes/no column set against its
other side is a breakdown and "exclude X" its no value (R5); "are there duplicate customers" is
answered from the load checks (R10). Small files the tests write, with planted answers."""

import pandas as pd
import pytest

from helpers import numbers, session, write

from custlens.errors import DataError
from custlens.templates import pct


# ------------------------------------------------------------------ a customers table (a gym's members)
#: 20 members: plan Gold 6 (North 4, South 2), Silver 9, Bronze 5; locker yes for 8
MEMBERS = [["member_id", "level", "region", "locker", "visits"]] + [
    [f"M{i:03d}", plan, region, locker, str(3 + i)]
    for i, (plan, region, locker) in enumerate(
        [("Gold", "North", "yes")] * 4 + [("Gold", "South", "no")] * 2 + [("Silver", "North", "yes")] * 3
        + [("Silver", "South", "no")] * 6 + [("Bronze", "North", "yes")] + [("Bronze", "South", "no")] * 4)]


@pytest.fixture(scope="module")
def members(tmp_path_factory):
    return session(write(tmp_path_factory.mktemp("gym") / "members.csv", MEMBERS))


@pytest.mark.parametrize("question", ["What share of members are on the Gold level?",
                                      "how many percent of our clients are Gold",
                                      "proportion of customers with Gold membership"])
def test_the_share_of_a_value_is_its_count_of_the_whole(members, question):
    a = members.fork().chat(question)
    assert a.analysis == "overview"
    assert (a.params["measure"], a.params["stat"], a.params["values"]) == ("level", "share", ["Gold"])
    assert not (a.params.get("filters") or {}).get("level")  # counted, not a filter that leaves no whole
    assert "6 of 20 customers (30.0%)" in a.summary
    rows = {r[0]: r[1] for r in a.table("by_level").rows}  # the column's values, counted
    assert rows == {"Gold": 6, "Silver": 9, "Bronze": 5}


def test_a_value_said_before_the_whole_stays_a_filter(members):
    a = members.fork().chat("what fraction of North customers are Gold?")
    assert a.params["filters"] == {"region": ["North"]} and a.params["values"] == ["Gold"]
    assert "4 of 8 customers (50.0%)" in a.summary and "region = North" in a.summary


def test_a_yes_no_column_is_still_its_rate(members):
    a = members.fork().chat("what percentage of members have a locker?")
    assert (a.params["measure"], a.params["stat"]) == ("locker", "share") and not a.params.get("values")
    assert dict(a.table("headline").rows)["locker rate"] == pytest.approx(8 / 20)


# ------------------------------------------------------------------ orders with a coupon column
#: 10 orders (12 lines): coupon on 4 orders (its first line only, as Shopify writes it), gift wrap on 3
ORDERS = [["order_id", "customer_id", "order_date", "amount", "coupon", "gift_wrap", "channel"],
          ["O1", "C1", "2024-01-05", "100", "SPRING10", "yes", "web"],
          ["O1", "C1", "2024-01-05", "50", "", "yes", "web"],
          ["O2", "C2", "2024-01-09", "80", "", "no", "store"],
          ["O3", "C3", "2024-02-01", "40", "SPRING10", "no", "web"],
          ["O4", "C1", "2024-02-11", "60", "", "no", "store"],
          ["O5", "C4", "2024-03-02", "200", "VIP20", "yes", "web"],
          ["O5", "C4", "2024-03-02", "20", "", "yes", "web"],
          ["O6", "C5", "2024-03-15", "30", "", "no", "store"],
          ["O7", "C2", "2024-04-01", "70", "", "no", "web"],
          ["O8", "C6", "2024-04-20", "90", "SPRING10", "no", "store"],
          ["O9", "C3", "2024-05-02", "10", "", "yes", "store"],
          ["O10", "C7", "2024-05-30", "50", "", "no", "web"]]


@pytest.fixture(scope="module")
def orders(tmp_path_factory):
    return session(write(tmp_path_factory.mktemp("shop") / "orders.csv", ORDERS))


def _truth():
    f = pd.DataFrame(ORDERS[1:], columns=ORDERS[0])
    f["amount"] = f["amount"].astype(float)
    per = f.groupby("order_id").agg(coupon=("coupon", lambda c: (c != "").any()),
                                    wrap=("gift_wrap", lambda c: (c == "yes").any()),
                                    channel=("channel", "first"), revenue=("amount", "sum"))
    return per


@pytest.mark.parametrize("question", ["What share of orders used a coupon?",
                                      "what % of orders have a coupon",
                                      "proportion of purchases with any coupon"])
def test_the_share_of_orders_with_a_filled_column(orders, question):
    per = _truth()
    a = orders.fork().chat(question)
    assert (a.params["measure"], a.params["stat"], a.params.get("unit")) == ("coupon", "filled", "orders")
    head = dict(a.table("headline").rows)
    assert head["orders with a coupon"] == per["coupon"].sum() == 4
    assert head["share of orders"] == pytest.approx(0.4)
    assert head["revenue with a coupon"] == pytest.approx(per.loc[per["coupon"], "revenue"].sum())  # 150+40+220+90
    assert "4 of 10 orders (40.0%)" in a.summary
    # the codes, by use: SPRING10 on 3 orders first
    codes = [r for r in a.table("by_coupon").rows if r[0] not in (None, "", "(blank)")]
    assert codes[0][0] == "SPRING10" and codes[0][a.table("by_coupon").columns.index("orders")] == 3


def test_the_share_of_orders_of_a_yes_no_line_column(orders):
    a = orders.fork().chat("What percentage of orders have gift wrap?")
    assert (a.params["measure"], a.params["stat"]) == ("gift_wrap", "share")
    assert "3 of 10 orders (30.0%)" in a.summary


def test_the_share_of_revenue_of_a_value(orders):
    per = _truth()
    a = orders.fork().chat("what proportion of revenue comes from the web channel?")
    assert (a.params["measure"], a.params["values"], a.params["metric"]) == ("channel", ["web"], "revenue")
    web, total = per.loc[per["channel"] == "web", "revenue"].sum(), per["revenue"].sum()
    assert web == 530 and total == 800
    assert f"530.00 of 800.00 revenue ({pct(web / total)})" in a.summary


# ------------------------------------------------------------------ subscriptions (lines of accounts)
def _subscriptions() -> pd.DataFrame:
    """8 accounts x 4 subscriptions; one of each account's a trial (MRR 0: the first, or for odd
    accounts the latest), auto renew on 2 of 3, upgrades on 5; plan Gold for accounts 0-2, else
    Basic; two of the 32 ended."""
    rows = []
    for a in range(8):
        trial = 3 if a % 2 else 0
        for k in range(4):
            n = 4 * a + k
            rows.append((f"S{n:02d}", f"A{a}", f"2024-0{k + 1}-1{a}", "2024-06-01" if n in (5, 9) else None,
                         "Gold" if a < 3 else "Basic", 2 + k, 0 if k == trial else 100 * (k + 1) + 10 * a,
                         k == trial, n in (3, 7, 11, 20, 30), n in (5, 9), n % 3 != 0))
    f = pd.DataFrame(rows, columns=["subscription_id", "account_id", "start_date", "end_date", "plan_tier", "seats",
                                    "mrr_amount", "is_trial", "upgrade_flag", "churn_flag", "auto_renew_flag"])
    f["arr_amount"] = 12 * f["mrr_amount"]
    return f


@pytest.fixture(scope="module")
def saas(tmp_path_factory):
    f = _subscriptions()
    path = tmp_path_factory.mktemp("saas") / "subscriptions.csv"
    f.to_csv(path, index=False)
    return session(path), f


def test_a_share_of_subscriptions_is_over_the_lines(saas):
    s, f = saas
    a = s.fork().chat("How many % of subscriptions have auto renew on?")
    assert (a.params["measure"], a.params.get("unit")) == ("auto_renew_flag", "orders")
    k = int(f["auto_renew_flag"].sum())
    assert k == 21 and f"{k} of 32 subscriptions ({pct(k / 32)})" in a.summary


def test_a_share_of_the_money_now_is_of_the_active_subscriptions(saas):
    s, f = saas
    a = s.fork().chat("What share of total ARR comes from the Gold tier?")
    assert (a.params["measure"], a.params["values"], a.params.get("lifecycle")) == ("plan_tier", ["Gold"], "active")
    day = pd.Timestamp(f["start_date"].max())
    live = f[(pd.to_datetime(f["start_date"]) <= day) & (f["end_date"].isna() | (pd.to_datetime(f["end_date"]) > day))
             & ~f["is_trial"]]
    gold, total = live.loc[live["plan_tier"] == "Gold", "arr_amount"].sum(), live["arr_amount"].sum()
    assert f"{gold:,.2f} of {total:,.2f} ARR ({pct(gold / total)})" in a.summary
    assert "filter" not in a.params or "plan_tier" not in a.params["filters"]


def test_a_share_and_how_many_of_another_flag_is_one_answer(saas):
    s, f = saas
    a = s.fork().chat("What share of subscriptions are trials, and how many upgraded?")
    assert a.params["measure"] == "is_trial" and a.params["by"] == ["upgrade_flag"]
    assert not (a.params.get("filters") or {})  # neither is a filter: 8 trials of 32, 5 upgraded
    assert int(f["is_trial"].sum()) == 8 and "8 of 32 subscriptions (25.0%)" in a.summary
    rows = {str(r[0]): r[1] for r in a.table("by_upgrade_flag").rows}
    assert rows == {"True": 5, "False": 27} == {str(k): v for k, v in f["upgrade_flag"].value_counts().items()}


@pytest.mark.parametrize("question", ["churn rate of trial vs paid subscriptions",
                                      "churn rate for trials versus non-trials"])
def test_a_flag_set_against_its_other_side_is_a_breakdown(saas, question):
    s, _ = saas
    a = s.fork().chat(question)
    assert a.analysis == "churn" and "is_trial" in a.params["by"] and not (a.params.get("filters") or {})


@pytest.mark.parametrize("follow_up", ["exclude trials", "excluding the trials", "paid only", "non-trial only"])
def test_excluding_a_flag_narrows_the_answer_in_force(saas, follow_up):
    s, _ = saas
    chat = s.fork()
    chat.chat("churn rate by plan tier")
    a = chat.chat(follow_up)
    assert a.analysis == "churn" and a.params["by"] == ["plan_tier"]
    assert a.params["filters"] == {"is_trial": ["False"]}
    assert "is_trial = False" in a.summary.split("\n")[0] or "is_trial = False" in (a.title + a.summary)


# ------------------------------------------------------------------ duplicates
def test_duplicates_are_answered_from_the_load_checks(tmp_path):
    head = ["customer_id", "name", "city", "segment", "age", "phone", "zip", "since"]
    rows = [head, ["K1", "Ann", "Oslo", "retail", "31", "555-01", "0150", "2020-01-02"],
            ["K2", "Bob", "Bergen", "retail", "45", "555-02", "5003", "2021-03-04"],
            ["K3", "Ann", "Oslo", "retail", "31", "555-01", "0150", "2020-01-02"],  # K1 again under another id
            ["K4", "Cid", "Oslo", "trade", "50", "555-04", "0151", "2019-05-06"],
            ["K4", "Cid", "Oslo", "trade", "51", "555-04", "0151", "2019-05-06"],  # an id on two rows
            ["K5", "Dee", "Bergen", "trade", "28", "555-05", "5004", "2022-07-08"]]
    s = session(write(tmp_path / "customers.csv", rows))
    a = s.chat("Are there duplicate customers?")
    assert a.params.get("focus") == "duplicates"
    assert a.summary.startswith("**Yes")
    found = " ".join(r[1] for r in a.table("duplicates").rows)
    assert "1 customer id(s) appear on more than one row" in found
    assert "1 customer row(s) are the same as another row in every column but the id" in found


def test_no_duplicates_is_said_with_what_was_checked(tmp_path):
    rows = [["customer_id", "name", "city", "age"], ["K1", "Ann", "Oslo", "31"], ["K2", "Bob", "Bergen", "45"]]
    a = session(write(tmp_path / "customers.csv", rows)).chat("Do we have duplicate customers?")
    assert a.summary.startswith("**No duplicates found") and "every customer id is on one row" in a.summary


def test_a_share_of_a_column_holding_no_yes_no_is_a_clear_error(members):
    with pytest.raises(DataError, match="cannot take the share of yes of 'region'"):
        members.fork().ask("x", params={"measure": "region", "stat": "share"}, analysis="overview")
    assert numbers("6 of 20") == [6, 20]


# ------------------------------------------------------------------ a value left out
@pytest.mark.parametrize("question", ["average visits by level excluding Bronze", "average visits by level except bronze",
                                      "average visits by level, Bronze excluded"])
def test_a_value_left_out_is_a_filter_on_the_others_said_first(members, question):
    a = members.fork().chat(question)
    assert a.params["filters"] == {"level": ["Gold", "Silver"]} or a.params["filters"] == {"level": ["Silver", "Gold"]}
    assert "Bronze" not in [r[0] for r in a.table("by_level").rows]
    assert "read 'excluding Bronze' as level = " in a.understood


def test_a_value_left_out_of_the_sales(orders):
    a = orders.fork().chat("revenue by month other than the store channel")
    assert a.params["filters"] == {"channel": ["web"]}
    assert dict(a.table("headline").rows)["revenue"] == pytest.approx(530)


def test_a_share_of_customers_of_a_column_only_the_sales_have(orders):
    """coupon is on the order lines only: a customer counts when any of their orders has one."""
    f = pd.DataFrame(ORDERS[1:], columns=ORDERS[0])
    used = f.groupby("customer_id")["coupon"].apply(lambda c: (c != "").any())
    a = orders.fork().chat("What fraction of customers used a coupon?")
    assert (a.params["measure"], a.params["stat"], a.params["unit"]) == ("coupon", "filled", "customers")
    assert used.sum() == 4 and len(used) == 7
    assert "4 of 7 customers (57.1%)" in a.summary

"""A CRM opportunities export shaped like Maven's "CRM Sales Opportunities" (opportunity_id,
sales_agent, product, account, deal_stage, engage_date, close_date, close_value; the account blank
on some open deals, close_value 0 when lost, close_date blank while open) is read, with no --map,
as the deals of their account: customer = account, order = opportunity_id, date = close_date (the
engage_date where it is blank), amount = close_value, status = deal_stage. Each question through
``Session.chat`` on a table planted here, checked against pandas on the same rows."""

import random

import pandas as pd
import pytest

from custlens import Session
from custlens.templates import pct

PRODUCTS = ["GTXPro", "MG Advanced", "GTX Basic"]
PRICE = {"GTXPro": 4800, "MG Advanced": 3400, "GTX Basic": 550}


def opportunities() -> pd.DataFrame:
    """12 accounts, 300 deals: Won/Lost/Engaging/Prospecting in 5:3:2:1; closed deals close in 2017
    (engaged 10-90 days before); open deals have no close date, Prospecting no engage date, and a
    third of the open deals no account. Accounts A10 and A11 close nothing after May 2017."""
    rng = random.Random(11)
    rows = []
    stages = ["Won"] * 5 + ["Lost"] * 3 + ["Engaging"] * 2 + ["Prospecting"]
    for j in range(300):
        stage = stages[j % len(stages)]
        account = f"A{j % 12:02d}"
        product = PRODUCTS[(j // 11) % 3]
        month = rng.randrange(1, 6) if account in ("A10", "A11") else rng.randrange(1, 13)
        close = pd.Timestamp(2017, month, rng.randrange(1, 28))
        engage = close - pd.Timedelta(days=rng.randrange(10, 90))
        row = {"opportunity_id": f"OPP{j:05d}", "sales_agent": ["Ann Lee", "Bo Chan", "Cy Park"][j % 3],
               "product": product, "account": account, "deal_stage": stage,
               "engage_date": engage.date().isoformat(), "close_date": close.date().isoformat(),
               "close_value": PRICE[product] + (j % 7) * 10 if stage == "Won" else 0}
        if stage in ("Engaging", "Prospecting"):
            row["close_date"], row["close_value"] = None, None
            if stage == "Prospecting":
                row["engage_date"] = None
            if j % 3 == 0:
                row["account"] = None
        rows.append(row)
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def crm(tmp_path_factory):
    frame = opportunities()
    path = tmp_path_factory.mktemp("crm") / "sales_pipeline.csv"
    frame.to_csv(path, index=False)
    truth = frame.assign(close_date=pd.to_datetime(frame.close_date), engage_date=pd.to_datetime(frame.engage_date))
    return Session(data=[str(path)], entry_points=False), truth


def ask(crm, question):
    return crm[0].fork().chat(question)


def won(truth):
    return truth[truth.deal_stage == "Won"]


def test_read_as_deals_of_their_account_without_a_map(crm):
    s, _ = crm
    [src] = s.dataset.sources
    assert src.role == "transactions"
    mapping = {c: m.column for c, m in s.dataset.mapping_of(src).items()}
    assert mapping["customer_id"] == "account" and mapping["amount"] == "close_value"
    assert mapping["order_id"] == "opportunity_id" and mapping["status"] == "deal_stage"
    assert mapping["order_date"] == "close_date"


def test_how_many_accounts_and_the_open_deals_without_one(crm):
    s, truth = crm
    a = ask(crm, "how many accounts do we have?")
    assert dict(a.table("headline").rows)["customers"] == truth.account.nunique() == 12
    blank = truth[truth.account.isna()]
    note = next(w for w in a.warnings if "have no account" in w)
    assert f": {len(blank):,} open deal(s) have no account" in note
    for stage, n in blank.deal_stage.value_counts().items():
        assert f"{stage} {n:,}" in note


def test_top_accounts_by_revenue_are_the_won_deals(crm):
    _, truth = crm
    a = ask(crm, "top 10 accounts by revenue")
    want = won(truth).groupby("account").close_value.sum().nlargest(10)
    got = {r[0]: float(r[1]) for r in a.tables[0].rows}
    assert got == pytest.approx(want.to_dict())


def test_revenue_by_quarter_comparison_reads_the_close_date(crm):
    _, truth = crm
    a = ask(crm, "revenue in Q4 2017 vs Q3 2017")
    w = won(truth)
    q = {k: float(v) for k, v in w.groupby(w.close_date.dt.quarter).close_value.sum().items()}
    assert f"{q[4]:,.0f} in 2017 Q4" in a.summary and f"{q[3]:,.0f} in 2017 Q3" in a.summary


def test_open_deals_are_dated_by_their_engage_date_and_said(crm):
    s, truth = crm
    a = ask(crm, "what's our open pipeline")
    engaging = truth[(truth.deal_stage == "Engaging")]
    assert any(f": {len(engaging):,} deal(s) without a close_date (open deals) are dated by their engage_date" in w
               for w in a.warnings)
    assert "date: close_date (else engage_date)" in a.understood


def test_win_rate_and_by_product_unmapped(crm):
    _, truth = crm
    closed = truth[truth.deal_stage.isin(["Won", "Lost"])]
    a = ask(crm, "what's our win rate?")
    rate = (closed.deal_stage == "Won").mean()
    assert f"a win rate of {pct(rate)} of the closed deals" in a.summary
    b = ask(crm, "win rate by product")
    table = next(t for t in b.tables if t.name == "deals_by_product")
    got = {r[0]: r[table.columns.index("win rate")] for r in table.rows}
    want = closed.assign(w=closed.deal_stage == "Won").groupby("product").w.mean()
    assert got == pytest.approx(want.round(4).to_dict(), abs=1e-4)


def test_funnel_places_a_common_open_stage_and_counts_every_deal(crm):
    _, truth = crm
    a = ask(crm, "show me the deal funnel")
    stages = [r[0] for r in a.table("funnel").rows]
    assert stages == ["Prospecting", "Engaging", "Won"]
    assert a.summary.startswith(f"{len(truth):,} deals entered the pipeline")
    assert "partial" not in a.summary and not any("could not place" in w for w in a.warnings)


def test_a_stage_left_unplaced_makes_the_conversion_partial(tmp_path):
    frame = opportunities()
    frame.loc[frame.deal_stage == "Engaging", "deal_stage"] = "Zorbing"
    path = tmp_path / "pipeline.csv"
    frame.to_csv(path, index=False)
    a = Session(data=[str(path)], entry_points=False).chat("show me the deal funnel")
    n = int((frame.deal_stage == "Zorbing").sum())
    assert f"The conversion is partial: {n:,} deal(s) in Zorbing are left out" in a.summary


# --------------------------------------------------------------------------- a duration between two dates

def test_average_time_to_close_a_deal_is_the_days_of_the_won_deals(crm):
    _, truth = crm
    w = won(truth)
    days = (w.close_date - w.engage_date).dt.days
    a = ask(crm, "average time to close a deal in days")
    assert "days_between: engage_date, order_date" in a.understood and "days_of=won" in a.understood
    head = dict(a.table("headline").rows)
    assert head["deals"] == len(w)
    assert head["average days"] == pytest.approx(round(days.mean(), 1))
    assert head["median days"] == pytest.approx(days.median())
    assert f"**{round(days.mean(), 1):,.1f} days on average** from engage_date to close_date" in a.summary
    assert any(w.startswith("days of the won deals only") for w in a.warnings)


def test_days_from_engage_date_to_close_date_of_closed_deals_by_product(crm):
    _, truth = crm
    closed = truth[truth.deal_stage.isin(["Won", "Lost"])]
    days = (closed.close_date - closed.engage_date).dt.days
    a = ask(crm, "average days from engage date to close date for closed deals by product")
    assert "days_of=closed" in a.understood
    assert dict(a.table("headline").rows)["average days"] == pytest.approx(round(days.mean(), 1))
    table = next(t for t in a.tables if t.name == "days_by_product")
    got = {r[0]: r[table.columns.index("average days")] for r in table.rows}
    want = days.groupby(closed["product"]).mean().round(1).to_dict()
    assert got == pytest.approx(want)


# --------------------------------------------------------------------------- who has closed nothing since a date

def test_accounts_that_have_not_closed_a_deal_since_june(crm):
    _, truth = crm
    closed = truth[truth.deal_stage.isin(["Won", "Lost"])]
    last = closed.groupby("account").close_date.max()
    want = sorted(last[last < "2017-06-01"].index)
    assert want == ["A10", "A11"]
    a = ask(crm, "which accounts havent closed a deal since june 2017?")
    assert a.analysis == "overview" and "last_before=2017-06-01" in a.understood
    assert f"**{len(want)} of {truth.account.nunique()} accounts** have not closed a deal" in a.summary
    table = next(t for t in a.tables if t.name == "last_before")
    assert sorted(r[0] for r in table.rows) == want
    dates = {r[0]: r[1] for r in table.rows}
    assert dates == {k: last[k].date().isoformat() for k in want}


def test_none_silent_since_a_date_all_have_closed_after(crm):
    _, truth = crm
    a = ask(crm, "which accounts haven't closed a deal since january 2017")
    assert f"**0 of {truth.account.nunique()} accounts**" in a.summary


# --------------------------------------------------------------------------- values said with another spacing

def test_a_value_said_with_a_space_the_data_does_not_have_is_read(crm):
    _, truth = crm
    w = won(truth)
    a = ask(crm, "GTX Pro vs MG Advanced: won value")
    assert a.analysis == "overview" and "filter: product = GTXPro, MG Advanced" in a.understood
    got = {r[0]: float(r[1]) for r in a.tables[0].rows}
    assert got == pytest.approx(w[w["product"].isin(["GTXPro", "MG Advanced"])].groupby("product")
                                .close_value.sum().to_dict())
    b = ask(crm, "revenue of MGAdvanced")
    assert "filter: product = MG Advanced" in b.understood


def test_a_side_of_a_comparison_not_in_the_data_is_said(crm):
    from custlens.errors import ParamsError

    with pytest.raises(ParamsError) as e:
        ask(crm, "GTX Ultra vs MG Advanced: won value")
    assert str(e.value).startswith("I found no 'GTX Ultra' in product: ")


# --------------------------------------------------------------------------- messages name the file's columns

def test_map_on_a_customers_table_names_the_file_columns_and_what_to_do(tmp_path):
    from custlens.errors import ParamsError

    path = tmp_path / "shoppers.csv"
    pd.DataFrame({"customer_id": range(1, 41), "age": [20 + i % 40 for i in range(40)],
                  "gender": ["Male", "Female"] * 20, "item_purchased": ["Shirt", "Hat"] * 20,
                  "purchase_amount_usd": [10 + i for i in range(40)]}).to_csv(path, index=False)
    s = Session(data=[str(path)], entry_points=False)
    assert s.dataset.sources[0].role == "customers"
    s.dataset.map("amount", "purchase_amount_usd")  # a customers table's money column: taken (t9table)
    with pytest.raises(ParamsError) as e:  # a sales column a customers table cannot take: its own columns said
        s.dataset.map("order_date", "age")
    msg = str(e.value)
    assert "The file's columns are customer_id, age, gender, item_purchased, purchase_amount_usd." in msg
    assert f"--data transactions={path} --map order_date=age" in msg
    assert "signup_date" not in msg  # no canonical column the file does not have


def test_no_dates_names_the_date_columns_of_a_table_read_as_customers(tmp_path):
    from custlens.errors import ParamsError

    frame = opportunities()
    path = tmp_path / "pipeline.csv"
    frame.to_csv(path, index=False)
    s = Session(data=[f"customers={path}"], entry_points=False)
    with pytest.raises(ParamsError) as e:
        s.chat("revenue in Q4 2017 vs Q3 2017")
    msg = str(e.value)
    assert "has the date column(s) close_date but is read as customers" in msg
    assert f"--data transactions={path} --map order_date=close_date" in msg


def test_another_deal_layout_is_read_by_the_meaning_of_its_names(tmp_path):
    """id, company, stage, deal_value, expected_value, created_at, closed_at: the company is the customer,
    deal_value the money (not the expected one), closed_at the date (created_at where it is blank)."""
    rows = [{"id": i, "company": f"Co{i % 5}", "stage": ["Closed Won", "Closed Lost", "Negotiation"][i % 3],
             "deal_value": 1000 + 10 * i, "expected_value": 50 * i,
             "created_at": f"2024-0{1 + i % 6}-01", "closed_at": None if i % 3 == 2 else f"2024-0{2 + i % 6}-15"}
            for i in range(30)]
    frame = pd.DataFrame(rows)
    path = tmp_path / "deals.csv"
    frame.to_csv(path, index=False)
    s = Session(data=[str(path)], entry_points=False)
    [src] = s.dataset.sources
    mapping = {c: m.column for c, m in s.dataset.mapping_of(src).items()}
    assert src.role == "transactions"
    assert (mapping["customer_id"], mapping["amount"], mapping["order_date"], mapping["status"]) == \
        ("company", "deal_value", "closed_at", "stage")
    a = s.chat("total revenue")
    assert dict(a.table("headline").rows)["revenue"] == pytest.approx(frame[frame.stage == "Closed Won"].deal_value.sum())
    assert any(": 10 deal(s) without a closed_at (open deals) are dated by their created_at" in w for w in a.warnings)


def test_the_most_of_deals_by_quarter_is_the_largest_quarter_and_undated_deals_are_said(crm):
    """"Lost GTX Basic deals by quarter": the line naming the most names the largest quarter, not the
    first in time; the note on dates counts the deals with neither date (Prospecting) apart."""
    s, truth = crm
    a = ask(crm, "lost GTX Basic deals by quarter")
    lost = truth[(truth.deal_stage == "Lost") & (truth["product"] == "GTX Basic")]
    per = lost.groupby(lost.close_date.dt.to_period("Q")).size()
    assert per.idxmax() != per.index.min()  # planted: the largest quarter is not the first
    assert f"The most by period: **{per.idxmax().year} Q{per.idxmax().quarter}** ({per.max():,})" in a.summary
    neither = truth.close_date.isna() & truth.engage_date.isna()
    note = next(w for w in s.dataset.sources[0].warnings if "dated by their engage_date" in w)
    filled = truth.close_date.isna() & truth.engage_date.notna()
    assert note.startswith(f"{filled.sum():,} deal(s) without a close_date")
    assert f"{neither.sum():,} have neither and are left out of anything by date" in note

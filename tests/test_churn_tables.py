"""Customer tables as churn datasets are published (TRIAL8, the Kaggle credit-card churn table):
an id column named CLIENTNUM, a churn flag written "Attrited Customer" / "Existing Customer", a
column named Avg_Open_To_Buy, and hostile column names and values. Planted synthetic tables with
known answers, never the trial's file."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from rich.console import Console

from custlens import Session
from custlens import slots as slotlib
from custlens.errors import DataError
from custlens.render import print_answer
from custlens.templates import pct

N = 1200
CARDS = {"Blue": 0.10, "Silver": 0.30, "Gold": 0.55}  # planted churn rate per card


def headline(answer):
    return dict(answer.table("headline").rows)


def bank_frame(seed: int = 3) -> pd.DataFrame:
    """A bank's customers in the Kaggle layout: CLIENTNUM (9-digit integers, one per row), the
    attrition flag as words, churn planted by card category and by the number of transactions."""
    rng = np.random.default_rng(seed)
    card = np.array(list(CARDS))[np.arange(N) % 3]
    churned = rng.random(N) < np.array([CARDS[c] for c in card])
    trans_ct = np.where(churned, rng.integers(10, 50, N), rng.integers(40, 120, N))
    return pd.DataFrame({
        "CLIENTNUM": 700_000_000 + rng.choice(99_000_000, N, replace=False),
        "Attrition_Flag": np.where(churned, "Attrited Customer", "Existing Customer"),
        "Customer_Age": rng.integers(26, 70, N),
        "Gender": np.where(np.arange(N) % 2, "F", "M"),
        "Card_Category": card,
        "Months_Inactive_12_mon": rng.integers(0, 6, N),
        "Credit_Limit": np.round(rng.uniform(1500, 35000, N), 1),
        "Avg_Open_To_Buy": np.round(rng.uniform(0, 30000, N), 1),
        "Total_Trans_Ct": trans_ct,
    })


@pytest.fixture(scope="module")
def bank(tmp_path_factory):
    frame = bank_frame()
    path = tmp_path_factory.mktemp("bank") / "bank_churners.csv"
    frame.to_csv(path, index=False)
    return frame, path


@pytest.mark.parametrize("spec", ["customers={}", "{}"])
def test_the_kaggle_layout_is_read_with_its_id_and_flag(bank, spec):
    """CLIENTNUM is the customer id and Attrition_Flag the churn flag, given the role or not."""
    frame, path = bank
    s = Session(data=[spec.format(path)], entry_points=False)
    mapping = {m: c.column for m, c in s.dataset.mapping_of(s.dataset.sources[0]).items()}
    assert mapping["customer_id"] == "CLIENTNUM" and mapping["churned"] == "Attrition_Flag"
    assert headline(s.ask("how many customers do we have?"))["customers"] == N


def test_churn_rate_without_a_map_says_which_value_was_read_as_churned(bank):
    frame, path = bank
    s = Session(data=[f"customers={path}"], entry_points=False)
    a = s.ask("what's our churn rate?")
    churned = int((frame.Attrition_Flag == "Attrited Customer").sum())
    assert a.analysis == "churn"
    assert headline(a)["churned"] == churned and headline(a)["customers"] == N
    assert f"{churned:,} have churned ({pct(churned / N)})" in a.summary
    assert "Attrition_Flag: 'Attrited Customer' read as churned, 'Existing Customer' as not churned" in a.summary


def test_a_rate_by_card_matches_pandas_and_waits_for_no_model(bank):
    """A rate or a breakdown is SQL only: no drivers model, and the answer says how to ask for it."""
    frame, path = bank
    s = Session(data=[f"customers={path}", ], maps=["customer_id=CLIENTNUM", "churned=Attrition_Flag"],
                entry_points=False)
    a = s.chat("churn rate by card category")
    got = {r[0]: (r[1], r[2]) for r in a.table("churn_by_card_category").rows}
    want = frame.assign(c=frame.Attrition_Flag.eq("Attrited Customer")).groupby("Card_Category").c.agg(["size", "sum"])
    assert got == {k: (int(v["size"]), int(v["sum"])) for k, v in want.iterrows()}
    names = [t.name for t in a.tables]
    assert "drivers" not in names and "models" not in names and "at_risk" not in names
    assert "why do customers churn?" in a.summary and "why do customers churn?" in a.follow_ups
    assert "--map" not in a.summary  # the flag mapped: nothing to fix
    # "why?" after it: churn again, with the drivers; the planted driver first
    why = s.chat("why?")
    assert why.analysis == "churn" and why.table("drivers").rows[0][0] in ("total_trans_ct", "card_category")
    assert s.ask("which customers are at risk of churning?").table("at_risk").frame["churn score"].between(0, 1).all()


def test_what_drives_churn_finds_the_planted_drivers(bank):
    frame, path = bank
    s = Session(data=[f"customers={path}"], entry_points=False)
    a = s.ask("what drives churn?")
    drivers = a.table("drivers").frame
    assert drivers.attribute.iloc[0] == "total_trans_ct"
    assert set(drivers.attribute[drivers["importance (AUC drop)"] >= 0.01]) <= {"total_trans_ct", "card_category"}


def test_non_churn_questions_keep_working_with_the_flag_mapped(bank):
    frame, path = bank
    s = Session(data=[f"customers={path}"], maps=["customer_id=CLIENTNUM", "churned=Attrition_Flag"],
                entry_points=False)
    a = s.ask("average credit limit by card category")
    table = next(t for t in a.tables if "card_category" in t.columns)
    got = {r[0]: r[table.columns.index(next(c for c in table.columns if "credit" in c))] for r in table.rows}
    want = frame.groupby("Card_Category").Credit_Limit.mean()
    assert {k: round(v, 2) for k, v in got.items()} == {k: round(v, 2) for k, v in want.items()}
    assert headline(s.ask("how many customers do we have?"))["customers"] == N


def test_an_id_and_a_flag_no_header_names_are_found_by_their_values(tmp_path):
    """member_no (one per row, named like an id) and Status ("Closed Account" / "Open Account"): the
    reasons say how they were found."""
    frame = bank_frame().rename(columns={"CLIENTNUM": "member_no", "Attrition_Flag": "Status"})
    frame["Status"] = frame.Status.map({"Attrited Customer": "Closed Account", "Existing Customer": "Open Account"})
    path = tmp_path / "members.csv"
    frame.to_csv(path, index=False)
    s = Session(data=[f"customers={path}"], entry_points=False)
    mapping = s.dataset.mapping_of(s.dataset.sources[0])
    assert mapping["customer_id"].column == "member_no" and "one value per row" in mapping["customer_id"].reason
    assert mapping["churned"].column == "Status" and "'Closed Account' read as churned" in mapping["churned"].reason
    assert headline(s.ask("what is the churn rate?"))["churned"] == int((frame.Status == "Closed Account").sum())


def test_no_churn_column_names_the_candidates(tmp_path):
    """Neither a repeated id-like column nor a yes/no column without a churn word is taken; the error
    names the columns that could be the flag and how to map one."""
    frame = bank_frame().drop(columns=["Attrition_Flag"]).assign(
        Account_Code=lambda f: f.Card_Category,  # named like an id, but repeated: no id
        Code_A=lambda f: np.where(f.Total_Trans_Ct < 45, "A", "E"))
    path = tmp_path / "accounts.csv"
    frame.to_csv(path, index=False)
    s = Session(data=[f"customers={path}"], entry_points=False)
    mapping = s.dataset.mapping_of(s.dataset.sources[0])
    assert mapping["customer_id"].column == "CLIENTNUM" and "churned" not in mapping
    with pytest.raises(DataError, match=r"columns that could hold it: .*Code_A \('A', 'E'\).*--map churned=COLUMN"):
        s.run("churn", {})


# --------------------------------------------------------------------------- hostile names and values
HOSTILE = ["a(b", "c+d", "[x]", "*", "\\", "?"]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """600 customers whose plan is one of the hostile values (100 each; those on "a(b" all churned),
    and columns with hostile names beside one named Avg_Open_To_Buy."""
    rows = []
    for i in range(600):
        plan = HOSTILE[i % 6]
        rows.append({"customer_id": f"K{i:04d}", "churned": "yes" if plan == "a(b" or i % 10 == 0 else "no",
                     "Avg_Open_To_Buy": 1000 + i, "plan": plan,
                     **{name: HOSTILE[(i + k) % 6] for k, name in enumerate(HOSTILE)}})
    frame = pd.DataFrame(rows)
    path = tmp_path_factory.mktemp("hostile") / "hostile.csv"
    frame.to_csv(path, index=False)
    return frame, Session(data=[f"customers={path}"], entry_points=False)


def test_hostile_column_names_make_patterns_that_compile():
    """Every column name a file may hold gives a working pattern: ``attribute_dimensions`` cut the
    last character of a pattern ending in a group ("avg_open_to_buy": unterminated subpattern)."""
    values = {"customers": {c: [] for c in ["avg_open_to_buy", "industry", *HOSTILE, "a(b)y", "[x]y", "c+dy"]}}
    found = {col for _, col, _ in slotlib.attribute_dimensions("churn by avg open to buy", values)}
    assert found == {"avg_open_to_buy"}
    assert {col for _, col, _ in slotlib.attribute_dimensions("revenue across industries", values)} == {"industry"}
    for q in ["customers by a(b", "churn per [x]y", "split by c+dy", "by * and ?", "by \\"]:
        slotlib.attribute_dimensions(q, values)
        slotlib.column_mentions(q, list(values["customers"]))
        slotlib.after_as_by(q.replace("by", "after"), values)


@pytest.mark.parametrize("question", ["how many customers do we have?", "customers by plan",
                                      "churn rate by plan", "average avg open to buy by plan",
                                      "what's the average Avg_Open_To_Buy?", "churn by a(b", "customers by [x]",
                                      "how many customers have plan c+d?", "churn for plan [x]"])
def test_hostile_names_and_values_load_and_answer(hostile, question):
    frame, s = hostile
    a = s.ask(question)  # "customers by [x]" may ask back which column: never an error
    assert a.analysis in ("overview", "churn") and a.tables or a.analysis == "clarify"


def test_hostile_values_are_counted_filtered_and_shown_as_written(hostile):
    frame, s = hostile
    by_plan = s.ask("customers by plan")
    table = next(t for t in by_plan.tables if t.name != "headline" and "customers" in t.columns)
    assert {r[0]: r[table.columns.index("customers")] for r in table.rows} == {v: 100 for v in HOSTILE}
    churn = s.ask("churn rate by plan")
    rates = {r[0]: r[3] for r in churn.tables[1].rows}
    assert rates["a(b"] == 1.0 and rates["c+d"] == pytest.approx(frame[frame.plan == "c+d"].churned.eq("yes").mean(), abs=1e-4)
    one = s.ask("churn for plan [x]")
    assert headline(one)["customers"] == 100 and "[x]" in one.understood
    out = io.StringIO()
    print_answer(one, Console(file=out, width=120, color_system=None))
    assert "[x]" in out.getvalue().splitlines()[0]  # the terminal shows the value, not rich markup
    out = io.StringIO()
    print_answer(by_plan, Console(file=out, width=120, color_system=None))
    assert all(f"│ {v} " in out.getvalue() for v in HOSTILE)


def subscriptions_csv(tmp_path, status_header: str = "status") -> str:
    """A subscription export (Trial 18, a Chargebee-like layout): one row per subscription, a status of
    active, non_renewing, paused or cancelled. Web: 10 cancelled of 40; app: 6 of 10."""
    rows = []
    for i in range(50):
        web = i < 40
        cancelled = i < 10 or 40 <= i < 46
        status = "cancelled" if cancelled else ("non_renewing" if i % 7 == 0 else "paused" if i % 11 == 0 else "active")
        rows.append({"id": 9000 + i, "created_at": f"2024-0{1 + i % 5}-1{i % 9} 10:00:00", "channel": "web" if web else "app",
                     status_header: status, "cancelled_at": "2024-06-01 00:00:00" if cancelled else ""})
    path = tmp_path / "raw_subscriptions.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return str(path)


def test_a_subscription_status_is_the_churn_flag_every_other_status_not_churned(tmp_path):
    s = Session(data=[subscriptions_csv(tmp_path)], entry_points=False)
    a = s.chat("churn rate by channel")
    assert a.analysis == "churn"
    h = headline(a)
    assert (h["customers"], h["churned"]) == (50, 16)  # non_renewing and paused have not left yet
    by = {r[0]: r for r in a.table("churn_by_channel").rows}
    assert by["web"][1:3] == [40, 10] and by["app"][1:3] == [10, 6]
    assert "status: 'cancelled' read as churned, 'active', 'non_renewing', 'paused' as not churned" in a.summary
    assert "16 have churned (32.0%)** and 34 stayed (68.0%)" in a.summary


def test_a_status_is_a_churn_flag_only_when_named_and_valued_so(tmp_path):
    """The same values under a name that says nothing of status, and a lifecycle of no churn word, are
    no churn flag: churn asks which column says who churned."""
    s = Session(data=[subscriptions_csv(tmp_path, status_header="colour")], entry_points=False)
    with pytest.raises(DataError, match="columns that could hold it: colour"):
        s.run("churn", {})
    frame = pd.DataFrame({"customer_id": [f"K{i}" for i in range(30)],
                          "lifecycle_stage": ["lead", "customer", "opportunity"] * 10, "country": ["DE"] * 30})
    path = tmp_path / "contacts.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError, match="churn needs sales"):
        Session(data=[str(path)], entry_points=False).run("churn", {})

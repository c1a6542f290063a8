"""A conversation on a workbook shaped like the public e-commerce churn workbook (a "Data Dict"
sheet first, the customers on a second sheet "E Comm", one row per customer, no orders), from the
third new-user trial: a follow-up that only adds a filter keeps the analysis in force, "how many of
them complained" counts among the churned customers of the last answer, an ask-back offers only
analyses the data can answer, the bands of a numeric column are the same under any filter, and
values spelt two ways ("CC" and "Credit Card") are said, not merged. Every figure is counted from
the rows the test wrote."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from custlens import kit
from custlens.errors import CustlensError
from custlens.session import Session
from helpers import numbers

pytestmark = pytest.mark.usefixtures("router_cache")

N = 600


def ecomm_frame() -> pd.DataFrame:
    """600 customers. Planted: churn is ~45% for complainers and for tenure under 3 months, ~7%
    otherwise; Computer users are mostly long-standing (tenure 12-30), so their own quartiles of
    tenure are not the whole column's; payment modes and order categories hold one value spelt two
    ways ("CC"/"Credit Card", "COD"/"Cash on Delivery", "Mobile"/"Mobile Phone"), login devices
    "Phone" beside "Mobile Phone"."""
    rng = np.random.default_rng(11)
    device = np.array(["Mobile Phone", "Phone", "Computer"])[np.arange(N) % 3]
    tenure = np.where(device == "Computer", rng.integers(12, 31, N), rng.integers(0, 31, N)).astype(float)
    complain = (np.arange(N) % 4 == 0).astype(int)
    p = np.where((complain == 1) | (tenure < 3), 0.45, 0.07)
    churn = (rng.random(N) < p).astype(int)
    pay = np.array(["Debit Card", "UPI", "CC", "Cash on Delivery", "E wallet", "COD", "Credit Card"])[np.arange(N) % 7]
    cat = np.array(["Laptop & Accessory", "Mobile", "Mobile Phone", "Fashion", "Grocery", "Others"])[(np.arange(N) // 2) % 6]
    return pd.DataFrame({
        "CustomerID": np.arange(50001, 50001 + N), "Churn": churn, "Tenure": tenure,
        "PreferredLoginDevice": device, "CityTier": 1 + np.arange(N) % 3,
        "WarehouseToHome": rng.integers(5, 36, N).astype(float), "PreferredPaymentMode": pay,
        "Gender": np.where(np.arange(N) % 5 < 3, "Male", "Female"), "HourSpendOnApp": rng.integers(0, 5, N).astype(float),
        "NumberOfDeviceRegistered": rng.integers(1, 7, N), "PreferedOrderCat": cat,
        "SatisfactionScore": rng.integers(1, 6, N), "MaritalStatus": np.array(["Single", "Married", "Divorced"])[np.arange(N) % 3],
        "NumberOfAddress": rng.integers(1, 12, N), "Complain": complain,
        "OrderAmountHikeFromlastYear": rng.integers(11, 27, N).astype(float), "CouponUsed": rng.integers(0, 6, N).astype(float),
        "OrderCount": rng.integers(1, 10, N).astype(float), "DaySinceLastOrder": rng.integers(0, 16, N).astype(float),
        "CashbackAmount": rng.uniform(110, 330, N).round(2)})


@pytest.fixture(scope="module")
def ecomm(tmp_path_factory):
    frame = ecomm_frame()
    path = tmp_path_factory.mktemp("ecomm") / "E Commerce Dataset.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"Data": ["E Comm"] * len(frame.columns), "Variable": frame.columns,
                      "Discerption": [f"about {c}" for c in frame.columns]}).to_excel(writer, sheet_name="Data Dict", index=False)
        frame.to_excel(writer, sheet_name="E Comm", index=False)
    session = Session(data=[str(path)], entry_points=False)
    return session, frame


def fresh(session: Session) -> Session:
    s = session.fork()
    return s


def headline(answer) -> dict:
    return dict(answer.table("headline").rows)


@pytest.mark.parametrize("line, column, value", [
    ("only those who log in on a computer", "preferred_login_device", "Computer"),
    ("customers who pay by UPI", "preferred_payment_mode", "UPI"),
    ("just the ones using a phone", "preferred_login_device", "Phone"),
    ("and only single customers?", "marital_status", "Single"),
    ("only customers who complained", "complain", "1"),
])
def test_a_follow_up_that_only_adds_a_filter_keeps_the_analysis(ecomm, line, column, value):
    s, frame = fresh(ecomm[0]), ecomm[1]
    s.chat("why do customers churn?")
    a = s.chat(line)
    assert a.analysis == "churn" and s.conversation.filters == {column: [value]}, a.understood
    source = {"preferred_login_device": "PreferredLoginDevice", "preferred_payment_mode": "PreferredPaymentMode",
              "marital_status": "MaritalStatus", "complain": "Complain"}[column]
    picked = frame[frame[source].astype(str) == value]
    assert headline(a)["customers"] == len(picked) and headline(a)["churned"] == picked.Churn.sum()


def test_a_line_that_narrows_and_asks_something_else_is_a_new_question(ecomm):
    s = fresh(ecomm[0])
    s.chat("why do customers churn?")
    try:
        a = s.chat("only computer users: what is their lifetime value")
    except CustlensError as exc:  # CLV needs orders: said, not answered as churn
        assert "clv" in str(exc)
    else:
        assert a.analysis != "churn"


def test_how_many_of_them_complained_counts_among_the_churned_of_the_last_answer(ecomm):
    s, frame = fresh(ecomm[0]), ecomm[1]
    s.chat("why do customers churn?")
    s.chat("only those who log in on a computer")
    a = s.chat("how many of them complained")
    computer_churned = frame[(frame.PreferredLoginDevice == "Computer") & (frame.Churn == 1)]
    complained = int(computer_churned.Complain.sum())
    assert 0 < complained < len(computer_churned)
    assert s.conversation.filters == {"preferred_login_device": ["Computer"], "complain": ["1"]}
    count = dict(a.table("count").rows)
    assert list(count.values())[:2] == [len(computer_churned), complained]
    said = numbers(a.summary)
    assert len(computer_churned) in said and complained in said and "churned customers" in a.summary
    assert round(100 * complained / len(computer_churned), 1) in said
    # the analysis stays in force, under both filters: "by tenure" is churn among Computer complainers
    b = s.chat("by tenure")
    picked = frame[(frame.PreferredLoginDevice == "Computer") & (frame.Complain == 1)]
    assert b.analysis == "churn" and headline(b)["customers"] == len(picked) and headline(b)["churned"] == complained


def test_what_share_of_them_counts_among_the_churned_under_no_filter(ecomm):
    s, frame = fresh(ecomm[0]), ecomm[1]
    s.chat("what is our churn rate?")
    a = s.chat("what share of them are female")
    churned = frame[frame.Churn == 1]
    women = int((churned.Gender == "Female").sum())
    assert a.analysis == "churn" and s.conversation.filters == {"gender": ["Female"]}
    assert list(dict(a.table("count").rows).values())[:2] == [len(churned), women]


def test_an_ask_back_offers_only_analyses_the_data_can_answer(ecomm):
    """On a customers table without orders, basket, loyalty, cohort, CLV and feedback cannot
    answer: no ask-back offers them, and nor do the suggestions."""
    s = fresh(ecomm[0])
    asked_back = 0
    for line in ("what do they buy", "who gets the most cashback", "tell me about our customers",
                 "how do our customers behave", "customer engagement"):
        s.conversation.__init__()
        try:
            a = s.chat(line)
        except CustlensError:
            continue
        if a.analysis == "clarify":
            asked_back += 1
            readings = [row[1] for row in a.table("readings").rows]
            assert len(readings) >= 2 and all(s.applies(r) for r in readings), (line, readings)
    assert asked_back
    for name in ("basket", "loyalty", "cohort", "clv", "feedback"):
        assert not s.applies(name)
    assert all(any(ex == a.examples[0] and s.applies(n) for n, a in s.analyses.items()) for ex in s.suggestions())


def test_the_bands_of_a_numeric_column_are_the_same_under_any_filter(ecomm):
    s, frame = fresh(ecomm[0]), ecomm[1]
    whole = s.chat("churn by tenure").table("churn_by_tenure")
    computer = s.chat("churn by tenure for Computer users").table("churn_by_tenure")
    # the bands are the whole column's quartiles, which are not the Computer users' own
    edges = kit.numeric_bands(s.dataset, "tenure")
    assert edges == sorted({float(x) for x in frame.Tenure.quantile([.25, .5, .75], interpolation="lower")})
    users = frame[frame.PreferredLoginDevice == "Computer"]
    assert sorted({float(x) for x in users.Tenure.quantile([.25, .5, .75], interpolation="lower")}) != edges
    assert {r[0] for r in computer.rows} <= {r[0] for r in whole.rows}
    bounds = [-np.inf, *edges, np.inf]
    labels = [kit.band_label(None if lo == -np.inf else lo, None if hi == np.inf else hi)
              for lo, hi in zip(bounds[:-1], bounds[1:])]
    want = pd.cut(users.Tenure, bounds, labels=labels).value_counts()
    assert {r[0]: r[1] for r in computer.rows} == {k: v for k, v in want.items() if v}


@pytest.mark.parametrize("a, b, why", [
    ("Mobile Phone", "Phone", "one ends the other"), ("CC", "Credit Card", "initials"),
    ("COD", "Cash on Delivery", "initials"), ("Mobile", "Mobile Phone", "one starts the other"),
    ("E wallet", "E-Wallet", "the same letters"), ("UK", "United Kingdom", "initials"),
    ("Male", "Female", None), ("Mobile", "Desktop", None), ("One year", "Two year", None),
    ("No", "No phone service", None), ("Debit Card", "Credit Card", None), ("DSL", "Fiber optic", None),
    ("Month-to-month", "One year", None), ("1000+", "201-1000", None), ("1,000", "1000", "the same letters"),
    ("Shirt", "T-shirt", None), ("Book", "e-Book", None)])
def test_one_value_spelt_two_ways_is_told_by_a_fixed_rule(a, b, why):
    assert kit.same_thing(a, b) == why and kit.same_thing(b, a) == why


def test_a_breakdown_says_values_spelt_two_ways_once_with_their_counts(ecomm):
    s, frame = fresh(ecomm[0]), ecomm[1]
    a = s.chat("churn rate by preferred payment mode")
    notes = [w for w in a.warnings if w.startswith(kit.SPELT_TWO_WAYS)]
    assert len(notes) == 1
    counts = frame.PreferredPaymentMode.value_counts()
    for short, long_ in (("CC", "Credit Card"), ("COD", "Cash on Delivery")):
        assert f'"{short}" ({counts[short]:,} customers) and "{long_}" ({counts[long_]:,})' in notes[0]
    table = a.table("churn_by_preferred_payment_mode")  # said, not merged: both spellings keep their rows
    assert {"CC", "Credit Card", "COD", "Cash on Delivery"} <= {r[0] for r in table.rows}
    assert s.chat("churn rate by preferred payment mode").warnings.count(notes[0]) == 1  # the answer again
    s.chat("customers by gender")
    assert s.chat("go back").warnings.count(notes[0]) == 1


def test_no_note_where_values_are_distinct(tmp_path):
    rows = [{"customerID": f"T{i:03d}", "gender": ("Male", "Female")[i % 2], "Contract": ("One year", "Two year",
             "Month-to-month")[i % 3], "Device": ("Mobile", "Desktop")[i % 2 == 0 and i % 3 == 0],
             "MultipleLines": ("No", "Yes", "No phone service")[i % 3], "tenure": i % 40,
             "Churn": "Yes" if i % 5 == 0 else "No"} for i in range(120)]
    pd.DataFrame(rows).to_csv(tmp_path / "telco.csv", index=False)
    s = Session(data=[str(tmp_path / "telco.csv")], entry_points=False)
    a = s.chat("churn rate by contract")
    assert not [w for w in a.warnings if w.startswith(kit.SPELT_TWO_WAYS)]


def test_segment_ranges_are_the_whole_columns_under_a_filter_and_blanks_are_their_own(ecomm, tmp_path):
    """"segment by tenure" cut its ranges at the quartiles of the customers segmented; a blank
    tenure (the real workbook has some) raised an AttributeError."""
    frame = ecomm_frame()
    frame.loc[::50, "Tenure"] = np.nan
    frame.to_csv(tmp_path / "ecomm.csv", index=False)
    s = Session(data=[str(tmp_path / "ecomm.csv")], entry_points=False)
    whole = {r[0] for r in s.ask("segment customers by tenure").table("segments").rows}
    computer = s.ask("segment customers by tenure for Computer users")
    labels = {r[0] for r in computer.table("segments").rows}
    assert "tenure unknown" in whole and labels <= whole
    users = frame[frame.PreferredLoginDevice == "Computer"]
    counts = {r[0]: r[computer.table("segments").columns.index("customers")] for r in computer.table("segments").rows}
    assert counts["tenure unknown"] == users.Tenure.isna().sum()
    assert sum(counts.values()) == len(users)

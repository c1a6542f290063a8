"""loyalty: repeat and retention rates, time between purchases and the loyalty index on a store
small enough to count by hand; NPS and CSAT against their formulas; the demo's planted groups
(VIP customers most loyal, Germany's late-delivery complaints least satisfied); bad input."""

import re

import pandas as pd
import pytest

from custlens import Session
from custlens.errors import DataError
from custlens.templates import pct

# A: three orders a month apart; B: two orders two months apart; C and D: one order each
ORDERS = pd.DataFrame({
    "customer_id": ["A", "A", "A", "B", "B", "C", "D"],
    "order_id": ["O1", "O2", "O3", "O4", "O5", "O6", "O7"],
    "order_date": ["2024-01-10", "2024-02-10", "2024-03-10", "2024-01-15", "2024-03-15", "2024-02-01", "2024-03-20"],
    "amount": [30.0, 30.0, 30.0, 50.0, 50.0, 20.0, 10.0],
})


def session_with(folder, orders=ORDERS, feedback=None, customers=None) -> Session:
    folder.mkdir(exist_ok=True)
    specs = []
    for role, frame in (("transactions", orders), ("feedback", feedback), ("customers", customers)):
        if frame is not None:
            path = folder / f"{role}.csv"
            frame.to_csv(path, index=False)
            specs.append(f"{role}={path}")
    return Session(data=specs, entry_points=False)


def headline(answer) -> dict:
    return dict(answer.table("loyalty_headline").rows)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return session_with(tmp_path_factory.mktemp("small"))


def test_repeat_rate_retention_and_time_between_purchases(small):
    a = small.run("loyalty", {"focus": "retention", "grain": "month"})
    h = headline(a)
    assert h["customers"] == 4 and h["repeat purchase rate"] == 0.5
    assert h["orders per customer"] == 7 / 4
    # Jan {A, B} -> Feb {A, C}: A stays (1 of 2); Feb {A, C} -> Mar {A, B, D}: A stays (1 of 2)
    per = a.table("retention_by_period").frame.set_index("month")
    assert list(per["retention rate"].dropna()) == [0.5, 0.5]
    assert list(per["returning customers"]) == [0, 0, 1]  # B skips February and comes back
    assert h["retention rate (month over month)"] == 0.5
    assert h["median days between purchases"] == 31  # gaps 31, 29 and 60
    assert {r[0]: r[1] for r in a.table("purchase_frequency").rows} == {"1": 2, "2": 1, "3": 1}
    assert h["median tenure (days, first to last purchase)"] == 30  # 60, 60, 0, 0
    assert "2 (50.0%) bought once and **2 (50.0%) more than once**" in a.summary and "a median 31 days" in a.summary


def expected_index(orders: pd.DataFrame, satisfaction: dict | None = None) -> pd.Series:
    """The documented index, computed independently: percentile ranks (0-100, ties at their lowest
    rank) of orders, recency (recent = high) and tenure, and the 0-100 satisfaction where known."""
    o = orders.assign(order_date=pd.to_datetime(orders.order_date))
    end = o.order_date.max()
    per = o.groupby("customer_id").agg(orders=("order_id", "nunique"), first=("order_date", "min"),
                                       last=("order_date", "max"))
    n = len(per)

    def prank(values):
        return 100 * (values.rank(method="min") - 1) / (n - 1)

    parts = pd.DataFrame({"f": prank(per.orders), "r": prank(-(end - per["last"]).dt.days),
                          "t": prank((per["last"] - per["first"]).dt.days)})
    if satisfaction:
        parts["s"] = pd.Series(satisfaction)
    return parts.mean(axis=1)


def test_loyalty_index_follows_its_documented_formula(tmp_path):
    s = session_with(tmp_path / "plain")
    scored = s.run("loyalty", {}).table("loyalty_index").frame.set_index("customer_id")["loyalty_index"]
    expected = expected_index(ORDERS)
    assert scored.to_dict() == pytest.approx(expected.round(1).to_dict(), abs=0.051)
    assert scored.idxmax() in ("A", "B") and scored.idxmin() == "C"
    # up to the end of February, recency counts back from 2024-02-29: A (Feb 10) is the most recent
    feb = s.run("loyalty", {"end": "2024-02-29"}).table("loyalty_index").frame.set_index("customer_id")
    assert feb.loc["A", "recency_days"] == 19 and feb.loc["C", "recency_days"] == 28
    # A answered a survey with a 10 (100 on 0-100): satisfaction joins A's index
    feedback = pd.DataFrame({"customer_id": ["A"], "date": ["2024-03-11"], "score": [10]})
    with_sat = session_with(tmp_path / "sat", feedback=feedback).run("loyalty", {}).table("loyalty_index").frame
    got = with_sat.set_index("customer_id")["loyalty_index"]
    assert got["A"] == pytest.approx(expected_index(ORDERS, {"A": 100.0})["A"], abs=0.051)
    assert got["B"] == scored["B"]


NPS_SCORES = [10, 10, 9, 8, 7, 6, 0, 3, 9, 10, 10, 5]  # 6 promoters, 2 passives, 4 detractors of 12


def nps_feedback(scores, products=("Mug", "Tea")):
    return pd.DataFrame({"customer_id": [f"K{i % 6}" for i in range(len(scores))],
                         "date": [f"2024-0{1 + i % 3}-05" for i in range(len(scores))], "score": scores,
                         "product": [products[i % 2] for i in range(len(scores))]})


def test_nps_equals_the_formula(tmp_path):
    fb = nps_feedback(NPS_SCORES)
    s = session_with(tmp_path, orders=None, feedback=fb)
    a = s.run("loyalty", {"focus": "satisfaction", "grain": "month"})
    row = dict(zip(a.table("satisfaction").columns, a.table("satisfaction").rows[0]))
    promoters = sum(x >= 9 for x in NPS_SCORES) / len(NPS_SCORES)
    detractors = sum(x <= 6 for x in NPS_SCORES) / len(NPS_SCORES)
    assert row["nps"] == round(100 * (promoters - detractors), 1) == 16.7
    assert row["promoters"] == round(promoters, 6) and row["answers"] == 12 and row["customers"] == 6
    assert "NPS is **16.7**" in a.summary
    by_product = {r[0]: r for r in a.table("satisfaction_by_product").rows}
    mug = [x for i, x in enumerate(NPS_SCORES) if i % 2 == 0]
    assert by_product["Mug"][a.table("satisfaction_by_product").columns.index("nps")] == round(
        100 * (sum(x >= 9 for x in mug) - sum(x <= 6 for x in mug)) / len(mug), 1)
    assert a.table("satisfaction_by_period").total_rows == 3
    assert any("read as NPS" in w for w in a.warnings)


def test_tied_satisfaction_is_listed_by_name(tmp_path):
    scores = [10, 9, 3, 7] * 3  # every product gets the same four scores, so every measure ties
    fb = pd.DataFrame({"customer_id": [f"K{i}" for i in range(12)], "date": ["2024-01-05"] * 12, "score": scores,
                       "product": ["Zebra"] * 4 + ["Apple"] * 4 + ["Mango"] * 4})
    a = session_with(tmp_path, orders=None, feedback=fb).run("loyalty", {"focus": "satisfaction"})
    assert a.table("satisfaction_by_product").column("product") == ["Apple", "Mango", "Zebra"]


def test_csat_and_scales(tmp_path):
    scores = [5, 4, 4, 3, 1, 2, 5]
    a = session_with(tmp_path / "csat", orders=None, feedback=nps_feedback(scores)).run(
        "loyalty", {"focus": "satisfaction"})
    row = dict(zip(a.table("satisfaction").columns, a.table("satisfaction").rows[0]))
    assert row["csat"] == round(100 * 4 / 7, 1) and "CSAT is **57.1%**" in a.summary
    with pytest.raises(DataError, match="neither NPS .0-10. nor CSAT"):
        session_with(tmp_path / "pct", orders=None, feedback=nps_feedback([80, 95, 40])).run(
            "loyalty", {"focus": "satisfaction"})


def test_satisfaction_without_feedback_says_what_is_needed(small):
    with pytest.raises(DataError, match=r"needs feedback data: .*customer id, a score \(NPS 0-10 or CSAT 1-5\)"):
        small.run("loyalty", {"focus": "satisfaction"})
    with pytest.raises(DataError, match="--data feedback=PATH"):
        small.ask("what is our NPS?")


def test_one_time_buyers_and_a_single_period(tmp_path):
    once = pd.DataFrame({"customer_id": ["A", "B", "C"], "order_id": ["1", "2", "3"],
                         "order_date": ["2024-05-01", "2024-05-02", "2024-05-03"], "amount": [1.0, 2.0, 3.0]})
    a = session_with(tmp_path, orders=once).run("loyalty", {})
    assert headline(a)["repeat purchase rate"] == 0
    assert "Every one of the 3 customers" in a.summary and "bought once" in a.summary
    assert any("every customer bought once" in w for w in a.warnings)
    assert any("single quarter" in w for w in a.warnings)


@pytest.fixture(scope="module")
def demo():
    s = Session(entry_points=False)
    store = s.load_demo(customers=2500)
    s.dataset.set_segments(store.truth["segments"], "planted demo segments")
    return s, store.truth


def test_demo_frequent_buyers_most_loyal_one_time_buyers_least(demo):
    """Planted: vip and bargain customers order every few weeks, one_time customers once."""
    s, _ = demo
    a = s.run("loyalty", {})
    scored = a.table("loyalty_index").frame
    overall = scored["segment"].value_counts(normalize=True)
    top = scored[scored["quintile"] == 5]["segment"].value_counts(normalize=True)
    assert set(top[top > 2 * overall[top.index]].index) == {"vip", "bargain"}
    assert set(scored[scored["quintile"] == 1]["segment"]) == {"one_time"}
    profile = a.table("loyalty_profile").frame
    seg = profile[profile["attribute"] == "segment"].set_index("group")["value"]
    assert seg["top 20%"] in ("vip", "bargain") and seg["bottom 20%"] == "one_time"
    groups = a.table("loyalty_groups").frame.set_index("group")
    assert groups.loc["most loyal 20%", "mean revenue"] > 5 * groups.loc["least loyal 20%", "mean revenue"]
    # narrative against tables
    h = headline(a)
    assert f"({pct(h['repeat purchase rate'])}) more than once**" in a.summary
    top = groups.loc["most loyal 20%"]
    assert f"order {top['mean orders']:,.2f} times and spend {top['mean revenue']:,.2f}" in a.summary
    assert f"more often segment {seg['top 20%']}" in a.summary


def test_demo_least_satisfied_are_germans_with_late_deliveries(demo):
    s, truth = demo
    a = s.ask("what is our NPS?")
    assert a.analysis == "loyalty" and a.params["focus"] == "satisfaction"
    profile = a.table("satisfaction_profile").frame
    bottom = profile[profile["group"] == "bottom 20%"]
    assert truth["complaint_theme"]["country"] in set(bottom["value"])
    nps = dict(zip(a.table("satisfaction").columns, a.table("satisfaction").rows[0]))["nps"]
    assert f"NPS is **{nps:.1f}**" in a.summary
    by_region = a.table("satisfaction_by_region").frame
    assert by_region["answers"].sum() == nps_answers(s)
    numbers = [float(x) for x in re.findall(r"highest \*\*[^*]+\*\* \((-?[\d.]+)\)", a.summary)]
    assert numbers and numbers[0] == by_region[by_region["answers"] >= max(5, 0.2 * by_region["answers"].median())][
        "nps"].max()


def nps_answers(s) -> int:
    return s.dataset.scalar("SELECT count(score) FROM feedback")


def test_routing_smoke(demo):
    s, _ = demo
    a = s.ask("what is our repeat purchase rate")
    assert a.analysis == "loyalty" and a.params["focus"] == "loyalty"


def test_products_of_the_most_and_least_satisfied_match_the_lines(demo):
    """The buyers of each product per satisfaction group come from the shared per-customer-product
    table (up-sell's): the shares equal a pandas count of distinct buyers over the lines."""
    s, _ = demo
    a = s.run("loyalty", {"focus": "satisfaction"})
    people = a.table("satisfaction_customers").frame
    lines = s.dataset.query("SELECT customer_id, product FROM transactions WHERE product IS NOT NULL")
    quintile = people.set_index("customer_id")["quintile"]
    pairs = lines.drop_duplicates().assign(q=lambda f: f.customer_id.map(quintile)).dropna(subset=["q"])
    products = a.table("satisfaction_products").frame
    assert len(products)
    for _, row in products.iterrows():
        q = 5 if row["group"] == "most satisfied 20%" else 1
        group = pairs[pairs.q == q]
        want = (group["product"] == row["product"]).sum() / (quintile == q).sum()
        assert row["share of group buying"] == pytest.approx(round(want, 6))
        assert row["share of all buying"] == pytest.approx(round((pairs["product"] == row["product"]).sum()
                                                                 / len(quintile), 6))
    assert s.dataset.made("per_customer_product")


@pytest.mark.parametrize("question", [
    "customers by number of orders", "how many customers ordered only once", "how many one-time buyers do we have",
    "what share of our customers bought just once?",
])
def test_how_many_times_customers_buy_is_the_purchase_frequency(small, question):
    """Counting customers by their number of orders is loyalty's purchase frequency (not the
    overview's headline), and the narrative says how many bought once, as the table counts them."""
    a = small.fork().chat(question)
    assert a.analysis == "loyalty" and a.params["focus"] == "retention"
    once = {r[0]: r[1] for r in a.table("purchase_frequency").rows}["1"]
    assert once == 2 and "2 (50.0%) bought once" in a.summary  # C and D

"""profitability on the demo store (planted loss-makers) and on exports without costs."""

from pathlib import Path

import pytest

from helpers import demo_session, numbers

from custlens import Session
from custlens.errors import DataError
from custlens.templates import pct

EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture(scope="module")
def demo():
    return demo_session(2000, 7)


@pytest.fixture(scope="module")
def answer(demo):
    return demo[0].run("profitability", {"by": ["category", "region"]})


def headline(a):
    return dict(a.table("headline").rows)


def test_planted_loss_makers_are_found(demo, answer):
    found = set(answer.table("loss_makers").frame.customer_id)
    truth = set(demo[1].truth["loss_makers"])
    hits = len(found & truth)
    assert hits / len(found) >= 0.95 and hits / len(truth) >= 0.95, (len(found), len(truth), hits)


def test_profit_reconciles_with_revenue_minus_costs_to_the_cent(demo, answer):
    orders = demo[1].tables["orders"]
    c = answer.table("customers").frame
    assert round(c.revenue.sum(), 2) == round(orders.amount[orders.quantity > 0].sum(), 2)
    assert round(c.profit.sum(), 2) == round(orders.amount.sum() - orders.cost.sum(), 2)
    assert round((c.net_revenue - c.cost_of_goods - c.cost_to_serve - c.profit).abs().max(), 2) == 0
    h = headline(answer)
    assert h["profit"] == round(c.profit.sum(), 2)


def test_unit_costs_to_serve_come_off_the_profit(demo, answer):
    s, store = demo
    a = s.run("profitability", {"contact_cost": 2.5, "shipping_cost": 4.0, "return_cost": 1.0})
    orders, fb = store.tables["orders"], store.tables["feedback"]
    sales = orders[orders.quantity > 0]
    serve = 2.5 * len(fb) + 4.0 * sales.order_id.nunique() + 1.0 * (orders.quantity < 0).sum()
    assert round(a.table("customers").frame.cost_to_serve.sum(), 2) == round(serve, 2)
    assert round(headline(a)["profit"], 2) == round(headline(answer)["profit"] - serve, 2)
    assert "Cost to serve is not counted" not in a.summary and "Cost to serve is not counted" in answer.summary


def test_loss_makers_stand_apart_by_discounts_and_returns(answer):
    g = {r["group"]: r for r in answer.table("profitable_vs_unprofitable").frame.to_dict("records")}
    assert g["loss-making"]["discount rate"] > 5 * g["profitable"]["discount rate"]
    assert g["loss-making"]["return rate"] > 5 * g["profitable"]["return rate"]
    assert g["loss-making"]["profit"] < 0 < g["profitable"]["profit"]


def test_concentration_curve_says_how_many_bring_all_the_profit(answer):
    curve = answer.table("concentration").frame
    total = headline(answer)["profit"]
    assert curve["cumulative profit"].iloc[-1] == pytest.approx(total, abs=0.01)
    assert curve["cumulative profit"].max() > total  # the loss-makers give some back
    c = answer.table("customers").frame.sort_values("profit", ascending=False)
    n = int((c.profit.cumsum() < total).sum()) + 1
    assert f"{n:,} most profitable customers" in answer.summary
    assert f"{headline(answer)['profitable customers']:,} profitable customers" in answer.summary  # the table's count, said as such
    assert answer.charts[0].table == "concentration"


def test_narrative_numbers_come_from_the_tables(answer):
    h = headline(answer)
    said = [round(x, 2) for x in numbers(answer.summary, signed=True)]
    for key in ("customers", "net revenue", "profit", "cost of goods", "discounts", "refunds"):
        assert round(h[key], 2) in said, (key, h[key], answer.summary)
    assert f"{h['loss-making customers']:,} loss-makers" in answer.summary
    assert f"{pct(h['margin'])}" in answer.summary


def test_margin_by_product_adds_up_to_gross_profit(demo):
    a = demo[0].run("profitability", {"by": ["product"]})
    t = a.table("margin_by_product").frame
    c = a.table("customers").frame
    assert round(t.profit.sum(), 2) == round(c.gross_profit.sum(), 2)
    assert t.profit.is_monotonic_decreasing


def test_margin_by_segment_uses_saved_segments(demo):
    s, store = demo
    s.dataset.set_segments(store.truth["segments"], "planted")
    try:
        a = s.run("profitability", {"by": ["segment"]})
    finally:
        s.dataset.clear_segments()
    t = a.table("margin_by_segment").frame.set_index("segment")
    assert t.loss_makers.sum() == headline(a)["loss-making customers"]
    assert set(t.index[t.loss_makers > 0]) <= {"regular", "bargain"}
    traits = a.table("loss_maker_traits").frame
    top = traits.iloc[0]
    assert (top.attribute, top.value) in {("segment", "bargain"), ("segment", "regular")} and top.lift > 1.5


def test_missing_cost_column_says_what_is_needed():
    s = Session(data=[str(EXAMPLES / "shopify_orders.csv")], entry_points=False)
    with pytest.raises(DataError, match=r"profitability needs the cost of goods.*--map cost="):
        s.run("profitability", {})


def test_unknown_dimension_is_refused(demo):
    with pytest.raises(DataError, match="cannot show margin by 'colour'"):
        demo[0].run("profitability", {"by": ["colour"]})


def test_routing_smoke(demo):
    assert demo[0].ask("which customers lose us money").analysis == "profitability"


def test_returns_without_purchases_in_the_period_are_reported(demo):
    s, store = demo
    a = s.run("profitability", {"start": "2025-12-15"})
    o = store.tables["orders"]
    o = o[o.order_date >= "2025-12-15"]
    orphans = int((~o.customer_id[o.quantity < 0].isin(o.customer_id[o.quantity > 0])).sum())
    assert orphans > 0
    assert any(w.startswith(f"{orphans:,} return line(s) belong to customers with no purchase") for w in a.warnings)


def test_loss_maker_traits_count_each_customer_once(tmp_path):
    """Known answer: 40 women (20 losing money), 40 men (5), 10 customers with no gender (5) and 10
    with no customers row (2); the traits are counted over the customers with a value."""
    import csv

    def write(name, rows):
        with open(tmp_path / name, "w", newline="") as f:
            csv.writer(f).writerows(rows)
        return str(tmp_path / name)

    orders, customers = [["customer_id", "order_id", "order_date", "amount", "cost"]], [["customer_id", "gender"]]
    groups = [("F", 40, 20), ("M", 40, 5), ("", 10, 5), (None, 10, 2)]  # None: no customers row
    n = 0
    for gender, size, losing in groups:
        for i in range(size):
            n += 1
            cid = f"C{n:03d}"
            orders.append([cid, f"O{n:03d}", "2024-03-01", "10" if i < losing else "100", "100" if i < losing else "10"])
            if gender is not None:
                customers.append([cid, gender])
    s = Session(data=[write("orders.csv", orders), write("customers.csv", customers)], entry_points=False)
    a = s.run("profitability", {})
    traits = a.table("loss_maker_traits").frame.set_index(["attribute", "value"])
    base = 32 / 100
    assert traits.loc[("gender", "F"), "customers"] == 40 and traits.loc[("gender", "M"), "customers"] == 40
    assert traits.loc[("gender", "F"), "loss-maker share"] == 0.5
    assert traits.loc[("gender", "M"), "loss-maker share"] == 0.125
    assert traits.loc[("gender", "F"), "lift"] == round(0.5 / base, 2)
    assert len(traits) == 2 and list(traits.index.get_level_values("value")) == ["F", "M"]

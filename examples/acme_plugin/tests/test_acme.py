"""custlens-acme on exports with known answers: a generated one with planted MRR movements, and
the sample shipped with the plugin (its figures are in the README). Run from examples/acme_plugin:
``pytest`` (the plugin need not be installed: pyproject puts it on the path)."""

import json
import re
from pathlib import Path

import pytest

import custlens_acme
from custlens import Session
from custlens.errors import DataError, ParamsError

SAMPLE = Path(__file__).resolve().parents[1] / "sample" / "subscriptions.acme.json"


def write_export(path, subscriptions):
    path.write_text(json.dumps({"exported_at": "2024-07-01T00:00:00Z", "subscriptions": subscriptions}))
    return path


def subscription(customer, months, day=5, plan="pro"):
    """{month number: amount} in 2024 -> an ACME subscription record."""
    return {"customer": customer, "plan": plan,
            "invoices": [{"date": f"2024-{m:02d}-{day:02d}", "amount": a} for m, a in sorted(months.items())]}


def planted():
    """30 customers at 100 a month, January to June. In April 5 upgrade to 180 (expansion 400), 3
    downgrade to 60 (contraction 120), 4 cancel (churned 400) and 2 newcomers start at 250 (new
    500); in May 2 of the April cancellations come back at 100 (reactivation 200)."""
    subs = []
    for i in range(30):
        months = {m: 100.0 for m in range(1, 7)}
        if i < 5:
            months.update({m: 180.0 for m in (4, 5, 6)})
        elif i < 8:
            months.update({m: 60.0 for m in (4, 5, 6)})
        elif i < 12:
            for m in (4, 5, 6):
                del months[m]
            if i < 10:
                months.update({5: 100.0, 6: 100.0})
        subs.append(subscription(f"K{i:02d}", months))
    subs += [subscription(f"N{i}", {m: 250.0 for m in (4, 5, 6)}, plan="business") for i in range(2)]
    return subs


def session_for(*paths):
    return Session(data=[str(p) for p in paths], plugins=[custlens_acme], entry_points=False)


@pytest.fixture(scope="module")
def sample():
    return session_for(SAMPLE)


def by_month(answer):
    return {row["month"]: row for row in answer.table("mrr_by_month").frame.to_dict("records")}


def test_planted_movements(tmp_path):
    s = session_for(write_export(tmp_path / "planted.acme.json", planted()))
    months = by_month(s.run("mrr"))
    april, may = months["2024-04"], months["2024-05"]
    assert months["2024-03"]["mrr"] == 3000.0
    assert (april["new"], april["expansion"], april["contraction"], april["churned"]) == (500.0, 400.0, 120.0, 400.0)
    assert april["reactivation"] == 0.0 and april["churned customers"] == 4
    assert april["mrr"] == 3000.0 + 500 + 400 - 120 - 400
    assert april["net revenue retention rate"] == pytest.approx((3000 + 400 - 120 - 400) / 3000)
    assert april["gross revenue churn rate"] == pytest.approx((120 + 400) / 3000)
    assert may["reactivation"] == 200.0 and may["churned"] == 0.0 and may["new"] == 0.0
    assert months["2024-06"]["mrr"] == april["mrr"] + 200


def test_mrr_bridge_adds_up_every_month(sample):
    rows = list(by_month(sample.run("mrr")).values())
    for before, row in zip(rows, rows[1:]):
        moved = row["new"] + row["expansion"] + row["reactivation"] - row["contraction"] - row["churned"]
        assert row["mrr"] == pytest.approx(before["mrr"] + moved), row["month"]
        assert row["net new mrr"] == pytest.approx(moved)


def test_sample_figures(sample):
    """The README's figures for the sample export."""
    answer = sample.ask("what is our MRR churn by month")
    assert answer.analysis == "mrr"
    months = by_month(answer)
    assert [months[m]["mrr"] for m in sorted(months)] == [600.0, 650.0, 450.0, 700.0, 700.0, 650.0]
    assert months["2024-03"]["churned"] == 200.0 and months["2024-03"]["churned customers"] == 2
    assert months["2024-04"]["expansion"] == 50.0 and months["2024-04"]["new"] == 200.0
    assert months["2024-05"]["contraction"] == 100.0 and months["2024-05"]["reactivation"] == 100.0
    assert months["2024-06"]["churned"] == 50.0
    assert months["2024-03"]["gross revenue churn rate"] == pytest.approx(200 / 650)
    assert {c.table for c in answer.charts} == {"mrr_by_month"}


def test_charts_draw(sample):
    from custlens import charts

    answer = sample.run("mrr")
    for chart in answer.charts:
        assert charts.png_bytes(answer, chart).startswith(b"\x89PNG"), chart.title


def test_narrative_numbers_come_from_the_tables(sample):
    answer = sample.run("mrr")
    june = by_month(answer)["2024-06"]
    head = dict(answer.table("mrr_headline").rows)
    assert f"MRR was {june['mrr']:,.2f} in 2024-06 from {june['customers']} paying customers" in answer.summary
    assert f"{june['churned']:,.2f} churned (1 customer)" in answer.summary
    assert f"net revenue retention {100 * june['net revenue retention rate']:.1f}%" in answer.summary
    assert f"highest in {head['month with the highest gross revenue churn']} at 30.8%" in answer.summary
    assert not any("incomplete" in w for w in answer.warnings)


def test_period_compares_its_first_month_with_the_one_before(sample):
    answer = sample.ask("MRR from April 2024")
    months = by_month(answer)
    assert min(months) == "2024-04"
    assert months["2024-04"]["new"] == 200.0 and months["2024-04"]["net revenue retention rate"] == pytest.approx(500 / 450)


def test_plan_filter(sample):
    answer = sample.ask("MRR for the pro plan")
    assert answer.params["filters"] == {"product": ["pro"]}
    months = by_month(answer)
    # in May C04 moves from business to pro (new on the pro plan) and C06 comes back to pro
    assert months["2024-05"]["mrr"] == 200.0
    assert (months["2024-05"]["new"], months["2024-05"]["reactivation"]) == (100.0, 100.0)
    assert months["2024-04"]["churned"] == 100.0  # C02 left pro for plus: churned from pro's point of view


def test_router_sends_mrr_questions_here_and_others_elsewhere(sample):
    for q in ("what is our MRR", "monthly recurring revenue churn", "net revenue retention over the last 12 months",
              "how much recurring revenue did we lose to downgrades"):
        assert sample.ask(q).analysis == "mrr", q
    assert sample.ask("top 5 products").analysis == "overview"


def test_quarterly_grain_is_refused(sample):
    with pytest.raises(ParamsError, match="grain"):
        sample.run("mrr", {"grain": "quarter"})


def test_invoices_on_several_days_of_a_month_add_up_with_a_warning(tmp_path):
    subs = [subscription("A", {1: 100.0, 2: 100.0}), subscription("B", {1: 50.0, 2: 50.0})]
    subs[0]["invoices"].append({"date": "2024-02-20", "amount": 30.0})  # an add-on billed mid-month
    answer = session_for(write_export(tmp_path / "addon.acme.json", subs)).run("mrr")
    feb = by_month(answer)["2024-02"]
    assert feb["mrr"] == 180.0 and feb["expansion"] == 30.0
    assert any(w.startswith("1 customer-month had invoices on more than one day") for w in answer.warnings)
    assert not any("more than one day" in w for w in session_for(SAMPLE).run("mrr").warnings)


def test_cut_off_last_month_is_warned(tmp_path):
    subs = [subscription("A", {m: 100.0 for m in range(1, 4)}, day=3),
            subscription("B", {1: 100.0, 2: 100.0}, day=20)]  # B's March invoice is after the data ends
    answer = session_for(write_export(tmp_path / "cut.acme.json", subs)).run("mrr")
    assert any("2024-03" in w and "incomplete" in w for w in answer.warnings)


# ------------------------------------------------------------------ the connector


def test_connector_claims_acme_exports_only(tmp_path):
    conn = custlens_acme.AcmeExport()
    marked = write_export(tmp_path / "export.json", planted()[:2])
    plain = tmp_path / "orders.json"
    plain.write_text(json.dumps([{"customer": "A", "date": "2024-01-01", "amount": 1}]))
    assert conn.sniff(SAMPLE) == 0.9
    assert conn.sniff(marked) == 0.8
    assert conn.sniff(plain) == 0.0
    s = session_for(marked, plain)
    assert [src.raw.connector for src in s.dataset.sources] == ["acme_export", "json"]
    first = s.dataset.sources[0]
    assert first.role == "transactions" and {"customer_id", "order_date", "amount", "product"} <= set(first.mapping)
    assert first.role_reason == "read by the acme_export connector"


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d["subscriptions"][1]["invoices"][2].update(date="2024-13-01"),
     r"subscriptions\[1\] \(customer K01\), invoices\[2\]: date '2024-13-01' is not a date"),
    (lambda d: d["subscriptions"][0]["invoices"][0].update(amount="12,50"),
     r"subscriptions\[0\] \(customer K00\), invoices\[0\]: amount '12,50' is not a number"),
    (lambda d: d["subscriptions"][1].pop("customer"), r'subscriptions\[1\] has no "customer"'),
    (lambda d: d.pop("subscriptions"), r'not an ACME export: expected an object with a "subscriptions" list'),
])
def test_bad_records_are_named(tmp_path, mutate, message):
    doc = {"exported_at": "2024-07-01", "subscriptions": planted()[:3]}
    mutate(doc)
    path = tmp_path / "bad.acme.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(DataError, match=re.escape(str(path)) + ".*" + message):
        session_for(path)


def test_broken_json_names_the_line(tmp_path):
    path = tmp_path / "broken.acme.json"
    path.write_text('{"exported_at": "2024-07-01",\n "subscriptions": [\n {"customer": "A",, }]}')
    with pytest.raises(DataError, match=r"broken\.acme\.json: not valid JSON \(line 3"):
        session_for(path)

"""journey on the demo store (planted drop-off), on hand-made event files and on a Salesforce export."""

from pathlib import Path

import pandas as pd
import pytest

from helpers import demo_session, numbers

from custlens import Session
from custlens import demo as demolib
from custlens.errors import DataError, ParamsError
from custlens.templates import pct

EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture(scope="module")
def demo():
    return demo_session(2000, 11)


@pytest.fixture(scope="module")
def answer(demo):
    return demo[0].run("journey", {})


def funnel(a):
    return a.table("funnel").frame.set_index("stage")


def test_stages_are_inferred_in_order_and_counted(demo, answer):
    truth = demo[1].truth["dropoff"]
    f = funnel(answer)
    assert list(f.index) == list(demolib.EVENTS)
    assert f.reached.to_dict() == truth["sessions_reaching"]
    assert f["overall conversion"]["purchase"] == round(truth["sessions_reaching"]["purchase"]
                                                        / truth["sessions_reaching"]["visit"], 6)


def test_planted_dropoff_is_the_biggest(demo, answer):
    truth = demo[1].truth["dropoff"]
    f = funnel(answer)
    step = f["step conversion"].dropna()
    assert step.idxmin() == truth["to"]
    assert f["lost at step"].dropna().astype(int).idxmax() == truth["to"]
    assert f"**{truth['from']} to {truth['to']}**" in answer.summary
    assert answer.charts[0].kind == "funnel" and answer.charts[0].table == "funnel"


def test_time_between_stages_matches_the_events(demo, answer):
    ev = demo[1].tables["touchpoints"]
    first = ev.groupby(["session_id", "event"]).timestamp.min().unstack()
    gap = (first["checkout"] - first["add_to_cart"]).dropna().dt.total_seconds().median() / 60
    assert funnel(answer)["median minutes from previous stage"]["checkout"] == round(gap, 2)


def test_attribution_first_and_last_touch(demo, answer):
    ev = demo[1].tables["touchpoints"]
    sessions = ev.groupby("session_id").agg(customer_id=("customer_id", "first"), ts=("timestamp", "min"),
                                            channel=("channel", "first"))
    conv = ev[ev.event == "purchase"].groupby("customer_id").timestamp.min()
    touches = sessions[sessions.customer_id.isin(conv.index)]
    touches = touches[touches.ts <= touches.customer_id.map(conv)].sort_values(["customer_id", "ts"])
    first = touches.groupby("customer_id").channel.first().value_counts()
    last = touches.groupby("customer_id").channel.last().value_counts()
    t = answer.table("attribution").frame.set_index("channel")
    assert t.first_touch.to_dict() == first.to_dict()
    assert t.last_touch.to_dict() == last.to_dict()
    assert t["linear share"].sum() == pytest.approx(1, abs=0.01)
    assert answer.table("paths").frame.customers.sum() == len(conv)


def test_narrative_numbers_come_from_the_tables(answer):
    f = funnel(answer)
    said = numbers(answer.summary)
    for stage in demolib.EVENTS:
        assert f.reached[stage] in said
    assert f"{pct(f['overall conversion']['purchase'])}" in answer.summary
    top = answer.table("attribution").frame.iloc[0]
    assert f"**{top.channel}** leads ({pct(top['linear share'])})" in answer.summary


def test_split_by_period_and_segment(demo, answer):
    s, store = demo
    a = s.run("journey", {"by": ["period"], "grain": "quarter"})
    t = a.table("funnel_by_quarter").frame
    assert t["visit"].sum() == funnel(answer).reached["visit"]
    assert list(t.quarter) == sorted(t.quarter)
    s.dataset.set_segments(store.truth["segments"], "planted")
    try:
        a = s.run("journey", {"by": ["segment"]})
    finally:
        s.dataset.clear_segments()
    assert set(a.table("funnel_by_segment").frame.segment) <= set(demolib.SEGMENTS)


def test_stages_override_and_unknown_stage(demo):
    s = demo[0]
    a = s.run("journey", {"stages": ["visit", "add_to_cart", "purchase"]})
    assert list(funnel(a).index) == ["visit", "add_to_cart", "purchase"]
    assert any("left out" in w and "checkout" in w for w in a.warnings)
    with pytest.raises(ParamsError, match="'add_to_cart'"):
        s.run("journey", {"stages": ["visit", "add_to_kart"]})


def test_customers_with_no_events_are_reported(answer, demo):
    ev = demo[1].tables["touchpoints"]
    silent = 2000 - ev.customer_id.nunique()
    assert any(f"{silent:,} of 2,000 customers have no events" in w for w in answer.warnings)


def write(tmp_path, rows, name="web_events.csv"):
    path = tmp_path / name
    pd.DataFrame(rows).to_csv(path, index=False)
    return str(path)


def test_events_without_timestamps_order_by_counts(tmp_path):
    rows = [{"session_id": f"S{i}", "event": e, "channel": "email"}
            for i in range(20) for e in ["landing", "signup", "paid"][: 1 + (i < 12) + (i < 3)]]
    s = Session(data=[f"events={write(tmp_path, rows)}"], entry_points=False)
    a = s.run("journey", {})
    f = funnel(a)
    assert list(f.index) == ["landing", "signup", "paid"] and f.reached.tolist() == [20, 12, 3]
    assert f["median minutes from previous stage"].isna().all()
    assert any("no timestamps" in w for w in a.warnings)
    with pytest.raises(DataError, match="no timestamp column"):
        s.run("journey", {"start": "2024-01-01"})


def test_stages_out_of_order_are_flagged(tmp_path):
    rows = []
    for i in range(10):
        flip = i < 4  # these sessions pay before they sign up
        rows += [{"session_id": f"S{i}", "timestamp": "2024-01-01 10:00", "event": "landing"},
                 {"session_id": f"S{i}", "timestamp": f"2024-01-01 10:{'09' if flip else '05'}", "event": "signup"},
                 {"session_id": f"S{i}", "timestamp": f"2024-01-01 10:{'07' if flip else '08'}", "event": "paid"}]
    s = Session(data=[write(tmp_path, rows)], entry_points=False)
    a = s.run("journey", {"stages": ["landing", "signup", "paid"]})
    assert any("4 sessions reached paid before signup" in w for w in a.warnings)
    assert funnel(a)["median minutes from previous stage"]["paid"] == 3.0  # the 6 in order only


def test_events_without_any_id_are_refused(tmp_path):
    rows = [{"timestamp": f"2024-01-0{d} 10:00", "event": e} for d in range(1, 4) for e in ("landing", "paid")]
    s = Session(data=[f"events={write(tmp_path, rows)}"], entry_points=False)
    with pytest.raises(DataError, match="session id or a customer id"):
        s.run("journey", {})


def test_salesforce_deal_pipeline():
    s = Session(data=[str(EXAMPLES / "salesforce_opportunities.csv")], entry_points=False)
    a = s.run("journey", {})
    f = funnel(a)
    assert list(f.index) == ["Prospecting", "Qualification", "Value Proposition", "Id. Decision Makers",
                             "Proposal/Price Quote", "Negotiation/Review", "Closed Won"]
    assert f.reached["Prospecting"] == 18 and f.reached["Closed Won"] == 9
    assert "win rate of 75.0%" in a.summary
    assert any("3 lost deal(s)" in w for w in a.warnings)
    by = s.run("journey", {"by": ["channel"]}).table("deals_by_channel").frame.set_index("channel")
    assert by.deals.sum() == 18 and by.won.sum() == 9 and by.lost.sum() == 3
    assert by.loc["Web", "win rate"] == 0.75  # 3 won, 1 lost


def test_no_events_and_no_deals_says_what_is_needed():
    s = Session(data=[str(EXAMPLES / "shopify_orders.csv")], entry_points=False)
    with pytest.raises(DataError, match="journey needs touchpoint events"):
        s.run("journey", {})


def test_routing_smoke(demo):
    assert demo[0].ask("where do customers drop off in the funnel").analysis == "journey"

"""spin: SPIN questions filled from the data for a customer, a product, a segment or everyone
(facts checked against pandas on the demo's planted structure), the persona interview guide and
the purchase-driver survey with options from the data, and clear errors."""

from __future__ import annotations

import pandas as pd
import pytest

from custlens import Session, demo
from custlens.errors import DataError, ParamsError
from custlens.plugins.spin import cadence
from custlens.templates import pct


@pytest.fixture(scope="module")
def store():
    return demo.generate(customers=1500, seed=5)


@pytest.fixture(scope="module")
def session(store):
    s = Session(entry_points=False)
    for name, frame in store.tables.items():
        role = {"orders": "transactions", "customers": "customers", "feedback": "feedback", "touchpoints": "events"}[name]
        s.dataset.add_frame(f"demo {name}", frame, role, build=False)
    s.dataset.build()
    return s


@pytest.fixture(scope="module")
def sales(store):
    orders = store.tables["orders"]
    return orders[(orders.amount > 0) & (orders.quantity > 0)]


def questions(answer, stage=None):
    t = answer.table("questions")
    return [r[2] for r in t.rows if stage is None or r[0] == stage]


def facts(answer):
    return dict(answer.table("facts").rows)


def test_a_lapsed_customer_is_asked_what_changed(session, store, sales):
    """A planted lapsed customer ordered monthly, then stopped: the problem question says when."""
    customer = store.truth["churned"][0]
    mine = sales[sales.customer_id == customer]
    days = pd.Series(sorted(mine.order_date.dt.normalize().unique()))
    gap = days.diff().dt.days.dropna().median()
    last = mine.order_date.max()
    a = session.run("spin", {"customer": customer})
    f = facts(a)
    assert f["orders"] == mine.order_id.nunique() and f["cadence_days"] == gap and f["lapsed"] == "True"
    expected = f"You ordered {cadence(gap)} until {last:%B %Y} and have not since: what changed?"
    assert expected in questions(a, "Problem")
    assert expected in a.summary
    assert any(q.startswith(f"You have ordered {f['orders']} times since") for q in questions(a, "Situation"))


def test_an_active_customer_is_not_asked_what_changed(session, sales):
    end = sales.order_date.max()
    recent = sales[sales.order_date > end - pd.Timedelta(days=20)].customer_id
    regulars = sales[sales.customer_id.isin(recent)].groupby("customer_id").order_id.nunique()
    customer = regulars[regulars >= 5].index[0]
    a = session.run("spin", {"customer": customer})
    assert facts(a)["lapsed"] == "False"
    assert not any("what changed" in q for q in questions(a))


def test_questions_follow_the_spin_order_with_guidance(session):
    a = session.ask("what should I ask in a discovery call")
    assert a.analysis == "spin"
    stages = list(dict.fromkeys(r[0] for r in a.table("questions").rows))
    assert stages == ["Situation", "Problem", "Implication", "Need-payoff"]
    assert "Ask in order: Situation, Problem, Implication, Need-payoff" in a.summary
    assert all(r[3] for r in a.table("questions").rows)  # what to listen for, per question


def test_everyone_facts_equal_pandas(session, sales):
    a = session.run("spin")
    f = facts(a)
    per = sales.groupby("customer_id").agg(orders=("order_id", "nunique"), last=("order_date", "max"))
    end = sales.order_date.max()
    assert f["customers"] == len(per)
    assert f["orders_per_customer"] == round(per.orders.mean(), 2)
    assert f["one_time_share"] == round((per.orders == 1).mean(), 6)
    assert f["lapsed_share"] == round((per["last"] < end - pd.Timedelta(days=180)).mean(), 6)
    assert f"{pct(f['lapsed_share'], 0)} of our customers have not ordered in 6 months" in a.summary


def test_a_product_brings_its_bundle_partner(session, sales):
    """Espresso Machine and Coffee Grinder are a planted bundle: the need-payoff question offers it."""
    a = session.run("spin", {"product": "Espresso Machine"})
    f = facts(a)
    buyers = sales[sales["product"] == "Espresso Machine"].groupby("customer_id").order_id.nunique()
    assert f["buyers"] == len(buyers) and f["repeat_share"] == round((buyers > 1).mean(), 6)
    assert f["paired_with"] == "Coffee Grinder"
    assert ("Most people who buy Espresso Machine also take Coffee Grinder: would a bundle of the two be useful "
            "to you?") in questions(a, "Need-payoff")


def test_a_saved_segment(session, store):
    labels = store.truth["segments"]
    session.dataset.set_segments(labels, "truth")
    try:
        a = session.run("spin", {"segment": "lapsed"})
        f = facts(a)
        assert f["customers"] == (labels.segment == "lapsed").sum()
        assert f["lapsed_share"] > 0.9  # the planted lapsed customers have not ordered for 8+ months
        assert any(q.startswith("Customers in the lapsed segment place about") for q in questions(a, "Situation"))
        with pytest.raises(ParamsError, match="Did you mean 'vip'"):
            session.run("spin", {"segment": "vips"})
    finally:
        session.dataset.clear_segments()


def test_persona_interview_guide(session):
    a = session.ask("write a customer interview guide")
    assert a.analysis == "spin" and a.params["kind"] == "interview"
    sections = list(dict.fromkeys(r[0] for r in a.table("questions").rows))
    assert sections == ["Who the person is", "What they do", "How they use what you sell", "What affects them",
                        "What troubles them", "What gives them value"]
    f = facts(a)
    assert f"most customers here came through {f['acquisition']}" in a.summary
    assert "face to face" in a.summary


def test_survey_options_come_from_the_data(session, store):
    a = session.ask("draft a survey about why customers buy")
    assert a.analysis == "spin" and a.params["kind"] == "survey"
    t = a.table("questions")
    rows = {r[2]: r for r in t.rows}
    assert list(dict.fromkeys(r[0] for r in t.rows)) == ["Buying criteria", "Purchase process and patterns",
                                                         "Demographics"]
    channels = sorted(store.tables["orders"].channel.unique())
    assert rows["Where do you usually buy from us?"][4] == ", ".join(channels)
    assert rows["Which of these have you bought from us?"][4].split(", ") == sorted(store.tables["orders"].category.unique())


def test_survey_leaves_out_what_the_data_cannot_fill(orders_csv):
    a = Session(data=[str(orders_csv)], entry_points=False).run("spin", {"kind": "survey"})
    assert "How did you first hear of us?" not in [r[2] for r in a.table("questions").rows]
    assert any("How did you first hear of us?" in w and "acquisition_channel" in w for w in a.warnings)


def test_errors(session, tmp_path):
    with pytest.raises(ParamsError, match="no customer_id 'C0000011' in the data"):
        session.run("spin", {"customer": "C0000011"})
    with pytest.raises(ParamsError, match="no product 'Espreso Machine'.*Espresso Machine"):
        session.run("spin", {"product": "Espreso Machine"})
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("customer_id,country\nc1,DE\n")
    crm = Session(data=[str(contacts)], entry_points=False)
    with pytest.raises(DataError, match="need sales data"):
        crm.run("spin", {"customer": "c1"})
    generic = crm.run("spin")  # without sales data: generic questions, nothing invented
    assert questions(generic, "Situation") == ["Who else is involved when you decide to buy, and who uses what you buy?"]


@pytest.mark.parametrize("days, text", [(1, "every day"), (4, "every 4 days"), (21, "every 3 weeks"),
                                        (7.4, "every week"), (31, "every month"), (45, "every 6 weeks"), (92, "every 3 months"),
                                        (None, None)])
def test_cadence_words(days, text):
    assert cadence(days) == text

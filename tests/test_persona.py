"""persona: one persona per saved segment, data-backed fields equal to the data, assumptions with
interview questions, one file per persona, a CRM customers table alone."""

import re
from pathlib import Path

import pytest

from helpers import demo_session

from custlens import Session
from custlens.answer import Answer
from custlens.errors import ParamsError
from custlens.plugins.persona import QUESTIONS, write_personas
from custlens.templates import pct

TELCO = Path(__file__).parent / "data" / "telco_sample.csv"


@pytest.fixture(scope="module")
def demo():
    return demo_session(2000, 3)


@pytest.fixture(scope="module")
def personas(demo):
    session, _ = demo
    session.dataset.clear_segments()
    return session.run("persona", {})


def fields_of(answer, persona):
    frame = answer.table("persona_fields").frame
    rows = frame[frame.persona == persona]
    return {r.field: r for r in rows.itertuples()}


def test_segments_run_first_and_one_persona_each(demo, personas):
    session, _ = demo
    assert session.dataset.segment_method == "rfm"
    assert any("ran the rfm segmentation first" in w for w in personas.warnings)
    sizes = dict(session.dataset.con.execute("SELECT segment, count(*) FROM segments GROUP BY 1").fetchall())
    table = personas.table("personas").frame
    assert dict(zip(table.segment, table.customers)) == sizes
    assert table.persona.is_unique


def test_seed_fields_are_data_or_assumptions_with_questions(personas):
    for name in personas.table("personas").column("persona"):
        fields = fields_of(personas, name)
        assert set(QUESTIONS) <= set(fields)
        for field in QUESTIONS:
            row = fields[field]
            assert row.source in ("data", "assumption to validate")
            if row.source != "data":
                assert row.question == QUESTIONS[field] and f'Ask: "{row.question}"' in personas.summary
        assert fields["products used"].source == "data"
        assert fields["goals"].source == "assumption to validate"


def test_data_fields_equal_the_data(demo, personas):
    session, store = demo
    labels = session.dataset.query("SELECT customer_id, segment FROM segments")
    customers = store.tables["customers"].merge(labels, on="customer_id")
    orders = store.tables["orders"]
    sales = orders[orders.amount > 0].merge(labels, on="customer_id")
    feedback = store.tables["feedback"].merge(labels, on="customer_id")
    for row in personas.table("personas").frame.to_dict("records"):
        seg = row["segment"]
        assert row["typical age"] == f"{customers[customers.segment == seg].age.median():.0f} (median)"
        per_customer = sales[sales.segment == seg].amount.sum() / (labels.segment == seg).sum()
        assert row["spend"].startswith(f"{per_customer:,.2f} per customer")
        answers = feedback[feedback.segment == seg].score
        if len(answers):
            assert row["satisfaction"].startswith(f"average score {answers.mean():.2f}")
        else:  # no feedback from this segment: nothing said
            assert row["satisfaction"] != row["satisfaction"] or row["satisfaction"] is None


def test_narrative_numbers_equal_the_tables(personas):
    for row in personas.table("personas").frame.to_dict("records"):
        assert f"## {row['persona']}" in personas.summary
        assert f"**{row['segment']}** segment: {row['customers']:,} customers ({pct(row['share of customers'])}" \
            in personas.summary
        assert f"- Spend: {row['spend']}" in personas.summary


def test_persona_for_one_segment_by_everyday_name(demo, personas):
    session, _ = demo
    a = session.run("persona", {"segment": "at-risk customers"})
    assert a.table("personas").column("segment") == ["At risk"]
    with pytest.raises(ParamsError, match="no segment 'VIPs' is saved.*Segments: .*Champions"):
        session.run("persona", {"segment": "VIPs"})


def test_complaints_of_the_planted_hotspot_become_troubles(demo):
    session, store = demo
    session.run("segmentation", {"by": ["country"]})
    a = session.run("persona", {"segment": "Germany"})
    troubles = fields_of(a, a.table("personas").column("persona")[0])["troubles"].value
    assert re.search(store.truth["complaint_theme"]["pattern"], troubles), troubles


def test_write_one_file_per_persona(personas, tmp_path):
    md = write_personas(personas, tmp_path / "md")
    names = personas.table("personas").column("persona")
    assert len(md) == len(names) and all(p.suffix == ".md" for p in md)
    text = (tmp_path / "md" / "persona_champions.md").read_text()
    assert text.startswith("## ") and "Champions" in text and QUESTIONS["dreams"] in text
    again = Answer.model_validate_json(personas.model_dump_json())  # from JSON: the rows alone
    html = write_personas(again, tmp_path / "html", "html")
    page = (tmp_path / "html" / "persona_can_t_lose_them.html").read_text()
    assert page.startswith("<!doctype html>") and "Can&#39;t lose them" in page
    assert sorted(p.stem for p in html) == sorted(p.stem for p in md)
    with pytest.raises(ParamsError):
        write_personas(personas, tmp_path, "pdf")


def test_customers_table_alone():
    s = Session(data=[str(TELCO)], entry_points=False)
    s.run("segmentation", {"by": ["contract"]})
    a = s.run("persona", {"segment": "month to month"})
    fields = fields_of(a, a.table("personas").column("persona")[0])
    assert fields["company or household"].source == "data" and "partner" in fields["company or household"].value
    assert "contract: mostly Month-to-month (100%)" in fields["products used"].value
    assert "churn rate" in fields and "tenure" in fields


def test_routing_smoke(demo):
    session, _ = demo
    assert session.ask("create personas for our segments").analysis == "persona"

"""Breakdowns and measures said in plain words that name a column loosely: the words of a column's name
run together ("kids at home": Kidhome), split from CamelCase ("Year_Of_Birth" for "age band"),
plural or singular, "number of X" for a count column X, a numbered column said as a word and its
number ("campaign 2": AcceptedCmp2). Each is read as the column and said on the answer's first line;
what no column fits is said "not read", never dropped. Planted figures are checked against pandas."""

import pandas as pd
import pytest

from custlens import Session
from custlens.templates import pct


@pytest.fixture
def people(tmp_path):
    """A customers table of a marketing campaign: 400 customers; the fewer kids at home the more
    respond (0 kids: 30%, 1 kid: 10%, 2 kids: none); campaign 2 is accepted by PhDs only."""
    rows = []
    for i in range(400):
        kids, education = i % 3, ("PhD", "Master", "Basic", "Graduation")[i % 4]
        responded = int(kids == 0 and i % 10 < 3 or kids == 1 and i % 10 == 0)
        rows.append({"ID": 1000 + i, "Year_Of_Birth": 1950 + i % 50, "Education": education, "Kidhome": kids,
                     "Teenhome": (i // 3) % 2, "CarsOwned": i % 4 // 2, "AcceptedCmp1": int(i % 7 == 0),
                     "AcceptedCmp2": int(education == "PhD" and i % 5 == 0), "Response": responded,
                     "TotalSpent": 100 + 10 * (i % 13) + 300 * (kids == 0)})
    frame = pd.DataFrame(rows)
    path = tmp_path / "campaign_customers.csv"
    frame.to_csv(path, index=False)
    return path, frame


def _rates(answer, column):
    t = next(t for t in answer.tables if t.columns[0] == column)
    rate = next(c for c in t.columns if c.endswith("rate") or c.startswith("average"))
    return dict(zip(t.column(column), t.column(rate)))


def test_a_count_said_as_number_of_x_at_home_is_the_run_together_column(people):
    path, frame = people
    a = Session(data=[str(path)], entry_points=False).chat("Response rate by number of kids at home")
    assert a.params["by"] == ["kidhome"] and a.params["stat"] == "share"
    assert "read 'number of kids at home' as kidhome" in a.understood
    want = frame.groupby("Kidhome").Response.mean()
    got = _rates(a, "kidhome")
    assert got == pytest.approx(want.round(4).to_dict(), abs=1e-3) and want.idxmax() == 0
    # the narrative names the groups as the table does: 0 kids, not "0.0"
    assert f"highest for **0** ({pct(got[0])})" in a.summary and f"lowest for **2** ({pct(got[2])})" in a.summary


@pytest.mark.parametrize("question, column", [
    ("average total spent by teenagers at home", "teenhome"),
    ("response rate by children at home", "kidhome"),
    ("how many customers by cars owned", "cars_owned"),
    ("average spent by number of cars", "cars_owned"),
])
def test_other_words_for_the_same_columns(people, question, column):
    path, _ = people
    a = Session(data=[str(path)], entry_points=False).chat(question)
    assert a.params["by"] == [column] and f"by: {column}" in a.understood


def test_a_breakdown_no_column_fits_is_said_not_dropped(people):
    path, _ = people
    s = Session(data=[str(path)], entry_points=False)
    a = s.chat("response rate by number of pets at home")
    assert "not read: by number of pets" in a.understood and not a.params.get("by")
    b = s.chat("customers by home")  # kidhome or teenhome: two fit as well, none is guessed
    assert "kidhome" not in (b.params.get("by") or []) and "teenhome" not in (b.params.get("by") or [])


def test_age_band_is_read_from_the_year_of_birth_beside_another_breakdown(people):
    path, _ = people
    a = Session(data=[str(path)], entry_points=False).chat("Segment customers by age band and education")
    assert a.analysis == "segmentation" and set(a.params["by"]) == {"education", "year_of_birth"}
    assert "read 'age band' as year_of_birth" in a.understood


def test_a_numbered_column_said_as_a_word_and_its_number(people):
    path, frame = people
    a = Session(data=[str(path)], entry_points=False).chat("Acceptance rate of campaign 2 by education")
    assert a.params["measure"] == "accepted_cmp2" and a.params["by"] == ["education"]
    assert "read 'campaign 2' as accepted_cmp2" in a.understood
    want = frame.groupby("Education").AcceptedCmp2.mean()
    assert _rates(a, "education") == pytest.approx(want.round(4).to_dict(), abs=1e-3)
    assert want.idxmax() == "PhD" and "highest for **PhD**" in a.summary


def test_what_customers_spend_on_average_is_their_spent_column(people):
    path, frame = people
    a = Session(data=[str(path)], entry_points=False).chat(
        "How many customers do we have and what do they spend on average?")
    assert a.params["measure"] == "total_spent" and a.params["stat"] == "mean"
    assert "read 'spend' as total_spent" in a.understood
    assert f"is **{frame.TotalSpent.mean():,.2f}** over {len(frame):,} customers" in a.summary


def test_a_loose_breakdown_as_a_follow_up_keeps_the_measure_and_the_filter(people):
    path, frame = people
    s = Session(data=[str(path)], entry_points=False)
    s.chat("average total spent by education")
    s.chat("only PhD")
    a = s.chat("by number of kids at home instead")
    assert a.params["by"] == ["kidhome"] and a.params["measure"] == "total_spent"
    assert a.params["filters"] == {"education": ["PhD"]}
    phd = frame[frame.Education == "PhD"]
    assert _rates(a, "kidhome") == pytest.approx(phd.groupby("Kidhome").TotalSpent.mean().to_dict(), abs=0.01)


def test_a_breakdown_by_a_number_of_many_values_is_in_quartile_bands(people):
    """"response rate by age": the birth years in four bands fixed from the whole column, not fifty
    groups of one year; a count of few values (kids at home) stays one group per value."""
    path, frame = people
    s = Session(data=[str(path)], entry_points=False)
    a = s.chat("response rate by age")
    assert a.params["by"] == ["year_of_birth"] and "read 'age' as year_of_birth" in a.understood
    got = _rates(a, "year_of_birth")
    assert len(got) == 4
    edges = sorted(frame.Year_Of_Birth.quantile([0.25, 0.5, 0.75], interpolation="lower"))
    bands = pd.cut(frame.Year_Of_Birth, [-1e9, *edges, 1e9])
    want = frame.groupby(bands, observed=True).Response.mean().to_list()
    labels = [f"<= {edges[0]:g}", f"{edges[0]:g} - {edges[1]:g}", f"{edges[1]:g} - {edges[2]:g}", f"> {edges[2]:g}"]
    assert [got[label] for label in labels] == pytest.approx(want, abs=1e-3)
    assert sorted(_rates(s.chat("response rate by kids at home"), "kidhome")) == [0, 1, 2]

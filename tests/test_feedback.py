"""feedback on the demo store (planted late-delivery complaints in Germany) and on small files."""

import datetime as dt
import re

import pandas as pd
import pytest

from helpers import demo_session, numbers

from custlens import Session
from custlens.errors import DataError
from custlens.plugins.feedback import looks_english, sentiment


@pytest.fixture(scope="module")
def demo():
    return demo_session(3000, 42)


@pytest.fixture(scope="module")
def answer(demo):
    return demo[0].run("feedback", {})


def test_planted_complaint_theme_is_found_where_and_when_it_happened(demo, answer):
    truth = demo[1].truth["complaint_theme"]
    themes = answer.table("themes").frame
    late = themes[themes["top words"].str.split(", ").map(
        lambda ws: any(re.search(truth["pattern"], w) for w in ws[:3]))]
    assert len(late) >= 1 and set(late["found in"]) == {"complaints"}
    hot = answer.table("theme_hotspots").frame.set_index("theme").loc[late.theme.iloc[0]]
    assert hot["value"] == truth["country"]
    start, end = (dt.date.fromisoformat(d) for d in truth["period"])
    assert abs((dt.date.fromisoformat(str(hot["from"])) - start).days) <= 31
    assert abs((dt.date.fromisoformat(str(hot["to"])) - end).days) <= 31
    assert hot["share there"] > 5 * hot["share elsewhere"]
    assert f"concentrated in {truth['country']}" in answer.summary


def test_late_comments_land_in_the_late_theme(demo, answer):
    truth = demo[1].truth["complaint_theme"]
    c = answer.table("comments").frame
    late = c.text.fillna("").str.contains(truth["pattern"], flags=re.I)
    top = c.theme[late].value_counts()
    assert top.iloc[0] / late.sum() > 0.6  # most late-delivery comments share one theme
    assert re.search(truth["pattern"], top.index[0])


def test_lexicon_sentiment():
    assert sentiment("Great experience, very happy") > 0.5
    assert sentiment("The box was damaged and arrived late") < -0.3
    assert sentiment("Not happy this time") < 0 < sentiment("happy this time")
    assert sentiment("very slow") < sentiment("slow") < 0
    assert sentiment("The parcel came on Tuesday") == 0
    assert looks_english("My parcel arrived two weeks late")
    assert not looks_english("Die Lieferung kam viel zu spät an")


def test_sentiment_agrees_with_scores(answer):
    c = answer.table("comments").frame.dropna(subset=["sentiment"])
    assert c.sentiment[c.score >= 9].mean() > 0.3
    assert c.sentiment[c.score <= 6].mean() < 0


def test_complaints_are_detractor_scores_split_by_product_and_country(demo, answer):
    fb = demo[1].tables["feedback"]
    complaints = int((fb.score <= 6).sum())
    by_product = answer.table("complaints_by_product").frame
    assert by_product.complaints.sum() == complaints and by_product.comments.sum() == len(fb)
    by_country = answer.table("complaints_by_country").frame
    assert by_country.complaints.sum() == complaints
    assert by_country.iloc[0]["country"] == "Germany"  # the hotspot makes it the most complained-of country
    assert by_country.complaints.is_monotonic_decreasing


def test_promoters_praise_and_detractors_complain(answer):
    words = answer.table("praise_and_complaints").frame.set_index("group")["words"]
    assert "late" in words["detractors complain about"].split(", ")
    assert "late" not in words["promoters praise"].split(", ")
    assert f"Detractors complain about: {words['detractors complain about']}" in answer.summary


def test_narrative_numbers_come_from_the_tables(answer):
    said = numbers(answer.summary)
    themes = answer.table("themes").frame
    for n in themes.comments:
        assert n in said
    c = answer.table("comments").frame
    assert c.text.notna().sum() in said
    assert int(answer.table("complaints_by_product").frame.complaints.sum()) in said


def test_empty_comments_are_counted_and_all_empty_is_refused(demo, answer, tmp_path):
    fb = demo[1].tables["feedback"]
    empty = int(fb.comment.isna().sum())
    assert any(w.startswith(f"{empty:,} of {len(fb):,} feedback rows have an empty comment") for w in answer.warnings)
    path = tmp_path / "survey.csv"
    pd.DataFrame({"respondent id": ["a", "b", "c"], "nps": [9, 3, 7], "comment": ["", " ", None]}).to_csv(path, index=False)
    s = Session(data=[f"feedback={path}"], entry_points=False)
    with pytest.raises(DataError, match="no comment text in any of its 3 rows"):
        s.run("feedback", {})


def test_another_language_is_flagged(tmp_path):
    english = ["The delivery was late again", "Great quality and fast shipping", "Support was rude to me"] * 10
    german = ["Die Lieferung kam viel zu spät an", "Leider war das Paket beschädigt worden"]
    path = tmp_path / "reviews.csv"
    pd.DataFrame({"review": english + german, "rating": [2, 5, 1] * 10 + [1, 2]}).to_csv(path, index=False)
    a = Session(data=[f"feedback={path}"], entry_points=False).run("feedback", {})
    assert any("2 comment(s) look like another language" in w for w in a.warnings)
    assert a.table("comments").frame.sentiment.notna().sum() == 30
    path2 = tmp_path / "bewertungen.csv"
    pd.DataFrame({"review": german * 5, "rating": [1, 2] * 5}).to_csv(path2, index=False)
    with pytest.raises(DataError, match="look like another language"):
        Session(data=[f"feedback={path2}"], entry_points=False).run("feedback", {})


def test_without_scores_negative_sentiment_counts_as_complaint(tmp_path):
    texts = ["The parcel arrived late and damaged", "Great quality, love it", "Fast shipping, happy"] * 8
    path = tmp_path / "comments.csv"
    pd.DataFrame({"comment": texts, "date": pd.date_range("2024-01-01", periods=24, freq="W")}).to_csv(path, index=False)
    a = Session(data=[f"feedback={path}"], entry_points=False).run("feedback", {})
    assert "With no scores, negative comments count as complaints: 8 complaints" in a.summary
    assert not any(t.name == "promoters_vs_detractors" for t in a.tables)


def test_consultations_time_to_resolution(tmp_path):
    rows = []
    for i in range(30):
        dept = ["billing", "shipping", "returns"][i % 3]
        opened = dt.datetime(2024, 1, 1) + dt.timedelta(days=i)
        rows.append({"customer id": f"C{i}", "date": opened, "department": dept, "product": "Widget",
                     "message": f"Question about my {dept} please help",
                     "resolved at": opened + dt.timedelta(days={"billing": 1, "shipping": 4, "returns": 2}[dept])
                     if i < 27 else None})
    path = tmp_path / "tickets.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    a = Session(data=[f"feedback={path}"], entry_points=False).run("feedback", {})
    t = a.table("consultations_by_topic").frame.set_index("topic")
    assert t["median days to resolution"].to_dict() == {"billing": 1.0, "returns": 2.0, "shipping": 4.0}
    assert t.open.sum() == 3 and t.enquiries.sum() == 30
    assert "Most enquiries by topic" in a.summary


def test_routing_smoke(demo):
    assert demo[0].ask("what do customers complain about").analysis == "feedback"


def test_feedback_filters_go_through_the_shared_scope(demo):
    """Filters on feedback are checked like every analysis's: a customers attribute works, and a
    value the data lacks names the close ones instead of answering for nothing."""
    from custlens.errors import ParamsError

    session, _ = demo
    germany = session.run("feedback", {"filters": {"country": ["Germany"]}})
    everyone = session.run("feedback", {})
    assert germany.provenance.rows_used < everyone.provenance.rows_used
    with pytest.raises(ParamsError, match="Did you mean 'Germany'"):
        session.run("feedback", {"filters": {"country": ["Germani"]}})


def test_hotspot_shares_are_the_comments_counted_there_and_elsewhere(demo, answer):
    """The hotspot's figures against a count of the comments themselves: the window is the place in
    the months from..to; elsewhere is every other comment with a text, a place and a date."""
    customers = demo[1].tables["customers"][["customer_id", "country"]]
    c = answer.table("comments").frame.merge(customers, on="customer_id", how="left")
    c = c[c.text.notna() & c.country.notna() & c.date.notna()]
    month = pd.to_datetime(c.date).dt.to_period("M")
    hot = answer.table("theme_hotspots").frame
    assert len(hot)
    for row in hot.itertuples():
        there = (c.country == row.value) & (month >= pd.Period(row._4, "M")) & (month <= pd.Period(row.to, "M"))
        hit = c.theme == row.theme
        assert row.comments == int((there & hit).sum())
        assert row._7 == round((there & hit).sum() / there.sum(), 6)  # share there
        assert row._8 == round((~there & hit).sum() / (~there).sum(), 6)  # share elsewhere

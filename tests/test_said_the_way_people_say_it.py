"""Periods, breakdowns and comparisons said the way people say them, read as meant (issue 16; the
classes a new set of corpus authors found unseen): fiscal years of two calendar years, ISO week
numbers, "the month before last", spans with filler words, "X wise" breakdowns, the periods' "vs"
beside a values' "vs", "Q1 vs Q1 last year", two labels of a workbook's segment column set side by
side, and a story told after the question (no scope)."""
import datetime as dt

import pandas as pd
import pytest

from custlens.session import Session
from custlens.slots import comparison, extract, period

pytestmark = pytest.mark.usefixtures("router_cache")

END = dt.date(2025, 12, 31)


@pytest.mark.parametrize("text, start, stop", [
    # a fiscal year said with its two calendar years starts in April
    ("revenue FY 2024-25", "2024-04-01", "2025-03-31"),
    ("summary for the board for fy24/25", "2024-04-01", "2025-03-31"),
    ("profit by product, financial year 2023-2024", "2023-04-01", "2024-03-31"),
    # ISO week numbers with their year, one or a range
    ("revenue week 12 2025", "2025-03-17", "2025-03-23"),
    ("units sold weeks 10-14 2025 by category", "2025-03-03", "2025-04-06"),
    ("add to cart rate, wk 47-48 of 2025", "2025-11-17", "2025-11-30"),
    # the one before the last
    ("units of yoga mat last to last month", "2025-11-01", "2025-11-30"),
    ("revenue in the quarter before last", "2025-07-01", "2025-09-30"),
    ("the year before last", "2023-01-01", "2023-12-31"),
    # spans with filler words and arrows
    ("sales per quarter from 2023 right through to 2025", "2023-01-01", "2025-12-31"),
    ("channel mix per year 2023 -> 2025", "2023-01-01", "2025-12-31"),
    ("won amounts from 2023 up to the middle of 2025", "2023-01-01", "2025-06-30"),
    ("revenue from 2022 to march 2024", "2022-01-01", "2024-03-31"),
    # a start said with "from" and nothing after it, or "onwards": from then on
    ("category wise sales, quarterly, from jan 2024 onwards", "2024-01-01", "None"),
    ("complaints on quality (from may 2025)", "2025-05-01", "None"),
    ("revenue from q2 2024 on", "2024-04-01", "None"),
    ("revenue from march 2024 to june 2024", "2024-03-01", "2024-06-30"),
])
def test_periods_said_in_other_ways(text, start, stop):
    got = period(text, END)
    assert (str(got[0]), str(got[1])) == (start, stop)


def test_what_is_no_fiscal_year_or_week_stays_unread():
    assert period("fy 2024-26 revenue", END)[2] != "april 2024 through march 2026"  # not one fiscal year
    assert str(period("revenue week 53 2025", END)[0]) == "2025-01-01"  # 2025 has no week 53: the year


@pytest.mark.parametrize("text, first, second", [
    ("Q1 vs Q1 last year, revenue", ("2024-01-01", "2024-03-31"), ("2025-01-01", "2025-03-31")),
    ("h2 this year vs h2 last year", ("2024-07-01", "2024-12-31"), ("2025-07-01", "2025-12-31")),
    ("how did February this year compare to February last year", ("2024-02-01", "2024-02-29"),
     ("2025-02-01", "2025-02-28")),
    # the periods' "vs" after a values' "vs"
    ("kitchen vs home revenue, 2024 vs 2025", ("2024-01-01", "2024-12-31"), ("2025-01-01", "2025-12-31")),
    ("Beauty + Books units, weeks 36-39 2025 vs wk 36-39 2024", ("2024-09-02", "2024-09-29"),
     ("2025-09-01", "2025-09-28")),
    # "the same ... YEAR": those days (the same ISO weeks) that year; a side said with "from" is whole
    ("GM for Pet, weeks 10-14 2025 vs same weeks 2024", ("2024-03-04", "2024-04-07"), ("2025-03-03", "2025-04-06")),
    ("q1 2025 vs the same quarter in 2023", ("2023-01-01", "2023-03-31"), ("2025-01-01", "2025-03-31")),
    ("revenue from jan 2024 vs jan 2025", ("2024-01-01", "2024-01-31"), ("2025-01-01", "2025-01-31")),
])
def test_comparisons_said_in_other_ways(text, first, second):
    periods, _ = comparison(text, END)
    assert [(str(a), str(b)) for a, b in periods] == [first, second]


VALUES = {"transactions": {"channel": ["app", "store", "web"], "category": ["Home", "Kitchen", "Pet"]},
          "customers": {"gender": ["F", "M"], "contract": ["Month-to-month", "One year", "Two year"],
                        "payment_method": ["Bank transfer", "Electronic check"], "city": ["Berlin", "Paris"],
                        "country": ["Germany", "France"]}}


@pytest.mark.parametrize("text, by", [
    ("gender wise sales", ["gender"]),
    ("kindly share churn contract type wise", ["contract"]),
    ("payment method-wise count of customers", ["payment_method"]),
    ("category wise revenue for 2025", ["category"]),
])
def test_wise_is_a_breakdown(text, by):
    assert extract(text, VALUES, END)[0].get("by") == by


def test_otherwise_is_no_breakdown():
    assert "by" not in extract("otherwise revenue is fine?", VALUES, END)[0]


@pytest.mark.parametrize("text, filters", [
    ("how much did we sell in Germany in 2024? a lovely lady from Berlin keeps ordering",
     {"country": ["Germany"]}),
    ("what sells best in Kitchen? I might put some near the till", {"category": ["Kitchen"]}),
    ("how many customers? my sister reckons most are women from Paris", None),
    # not a story: what follows the question still scopes it
    ("revenue by month? only for the app", {"channel": ["app"]}),
    ("how did we do? I mean in France", {"country": ["France"]}),
])
def test_a_story_after_the_question_is_no_scope(text, filters):
    assert extract(text, VALUES, END)[0].get("filters") == filters


@pytest.fixture(scope="module")
def crm(tmp_path_factory):
    """A workbook-like deals table whose accounts carry a Segment column (Enterprise, Mid-Market, SMB):
    planted deal amounts, Enterprise 100 each, SMB 10 each, Mid-Market 40 each."""
    folder = tmp_path_factory.mktemp("crm")
    segments = {"Enterprise": 100.0, "Mid-Market": 40.0, "SMB": 10.0}
    rows = [(f"A{i}", list(segments)[i % 3]) for i in range(30)]
    deals = [(f"D{j}", f"A{j % 30}", dt.date(2024, 1, 1) + dt.timedelta(days=5 * j), segments[rows[j % 30][1]])
             for j in range(150)]
    frame = pd.DataFrame(deals, columns=["deal_id", "account_id", "close_date", "amount"])
    frame["Segment"] = [rows[j % 30][1] for j in range(150)]
    path = folder / "deals.csv"
    frame.to_csv(path, index=False)
    return Session(data=[str(path)], entry_points=False)


def test_two_segment_labels_set_side_by_side(crm):
    """"enterprise vs smb" on a Segment column: the segments side by side with their planted average
    deal sizes, not the first label alone read as a saved segment and the second lost."""
    a = crm.fork().chat("avg deal size enterprise vs smb")
    assert a.analysis == "overview" and a.params["metric"] == "aov"
    assert not a.params.get("filters") and a.params["by"] == ["segment"]
    frame = next(t.frame for t in a.tables if "segment" in t.frame.columns)
    got = frame.set_index("segment")["average order value"].to_dict()
    assert got == pytest.approx({"Enterprise": 100.0, "Mid-Market": 40.0, "SMB": 10.0})


@pytest.mark.parametrize("text, metric", [
    ("avg $ per purchase", "aov"),
    ("whats the average amount people spend each time they order?", "aov"),
    ("is the average order bigger on the app or on the website?", "aov"),
    ("GM% by month, 2025", "margin"),
    ("top 3 categories by GM$ in 2025", "margin"),
    ("how many items do people usually put in one basket?", "quantity"),
    ("how many CDs do people buy on average each time they shop?", "quantity"),
    ("total CDs per quarter", "quantity"),
    ("number of cd sold per month 1998", "quantity"),
    ("cds vendidos por trimestre", "quantity"),
    ("total cd sales in 1997", "revenue"),
])
def test_measures_said_in_everyday_words(text, metric):
    got = extract(text, VALUES, END)[0]
    assert got.get("metric") == metric
    if "each time" in text:  # no breakdown by period
        assert "period" not in (got.get("by") or [])


def test_cds_counted_per_quarter_are_the_units_sold(tmp_path):
    """A CD store's log (CDNOW's columns): "number of CD per quarter" sums number_of_cds by quarter, not dollars."""
    rows = [{"customer_id": i % 7, "date": f"1997{1 + i % 6:02d}15", "number_of_cds": 1 + i % 3,
             "dollar_value": 15.0 * (1 + i % 3)} for i in range(60)]
    frame = pd.DataFrame(rows)
    frame.to_csv(tmp_path / "cdnow.csv", index=False)
    a = Session(data=[str(tmp_path / "cdnow.csv")], entry_points=False).ask("number of CD per quarter")
    assert a.params["metric"] == "quantity"
    table = next(t.frame for t in a.tables if "units" in t.frame.columns)
    assert float(table["units"].sum()) == frame.number_of_cds.sum()


@pytest.fixture(scope="module")
def demo():
    from helpers import demo_session
    return demo_session(400, 5)[0]


@pytest.mark.parametrize("question, analysis, expected", [
    # a ranking of members, custs, shoppers is one of customers
    ("top 20 members by spend", "overview", {"by": ["customer"], "top": 20}),
    ("list custs with negative margin in 2024", "overview", {"by": ["customer"]}),
    ("best 5 sellers in Fitness this year", "overview", {"by": ["product"], "top": 5}),
    # a column said as a clause
    ("avg lifetime value by how they found us", "clv", {"by": ["acquisition_channel"]}),
    ("group customers by where they came from - instagram, google, word of mouth", "overview",
     {"by": ["acquisition_channel"]}),
    # inactivity said otherwise
    ("inactive customers for more than one year, what is the count", "churn", {"inactive_days": 365}),
    ("visitors who stopped coming back - not seen in 60 days", "churn", {"inactive_days": 60}),
    ("which accounts have not done any deal in the last 12 months", "churn", {"inactive_days": 365}),
    # an RFM segment named in quotes, or as members
    ("describe our at risk members as a persona", "persona", {"segment": "At risk"}),
    ("what should I ask our loyal customers in interviews", "spin", {"segment": "Loyal"}),
])
def test_customers_columns_and_segments_said_otherwise(demo, question, analysis, expected):
    params = demo._route(question, analysis=analysis).params
    assert {k: params.get(k) for k in expected} == expected, params


def test_members_counted_are_no_ranking(demo):
    params = demo._route("how many members do we have", analysis="overview").params
    assert params["metric"] == "customers" and not params.get("by")


@pytest.fixture(scope="module")
def deals(tmp_path_factory):
    from helpers import deal_export, session
    return session(deal_export(tmp_path_factory.mktemp("deals")))


@pytest.mark.parametrize("question", [
    "how much did we win in deals in 2024?",
    "total deal amount in 2024, only the ones that closed won",
    "won amounts in 2024",
])
def test_won_deals_said_otherwise_are_the_won_ones(deals, question):
    a = deals.fork().chat(question)
    assert a.analysis == "overview" and a.params.get("status") == "won", a.params
    headline = a.table("headline").frame.set_index("measure")["value"]
    assert headline["revenue"] == pytest.approx(1000.0) and headline["orders"] == 10  # the ten won deals of 100


def test_a_year_after_over_is_a_span_and_no_condition(demo):
    """"avg unit price by month over 2024": 2024 is the period, not a unit price above 2,024."""
    params = demo._route("avg unit_price of Blender by month over 2024", analysis="overview").params
    assert "unit_price" not in (params.get("filters") or {}) and str(params["start"]) == "2024-01-01"
    priced = demo._route("orders with unit price over 200", analysis="overview").params
    assert priced["filters"]["unit_price"] == ["> 200"]


def test_count_only_counts_what_was_named():
    assert extract("how many orders in 2025 had a discount? count only", VALUES, END)[0]["metric"] == "orders"
    assert extract("customers in germany, count only", VALUES, END)[0]["metric"] == "customers"


@pytest.mark.parametrize("text, metric", [
    # the measure said after "i mean", or beside "not the other one", is the one meant
    ("can you compare the profit of 2024 vs 2025, by profit i mean total revenue", "revenue"),
    ("my boss asked how much profit we made last year (i mean like all the sales money)", "revenue"),
    ("the profit per quarter in 2023 (the sales number, not the margin one)", "revenue"),
    ("sales, not profit, by month", "revenue"),
    ("margin by month, not revenue", "margin"),
])
def test_a_measure_corrected_in_the_question(text, metric):
    assert extract(text, VALUES, END)[0]["metric"] == metric


def test_a_value_left_out_keeps_the_other_values_of_its_own_table(demo):
    """"not for the app": the sales lines' other channels (store, web), not also the web touchpoints'
    channels of the same column name (email, social, ...)."""
    route = demo._route("revenue by month but not for the app", analysis="overview")
    assert sorted(route.params["filters"]["channel"]) == ["store", "web"]


@pytest.mark.parametrize("question", ["revenue by employee size", "deal value by number of employees",
                                      "revenue by employee count bands", "accounts by employee size band"])
def test_a_header_named_by_its_synonyms_is_its_breakdown(tmp_path, question):
    """The accounts' size is an 'Employees' column: "by employee size", "by number of employees", in bands or
    not, is the breakdown by it (it was no breakdown at all)."""
    sizes = {"A0": 10, "A1": 250, "A2": 5000}
    deals = pd.DataFrame([{"deal_id": f"D{j}", "account_id": f"A{j % 3}", "close_date": f"2024-{1 + j % 12:02d}-05",
                           "amount": 100.0 * (1 + j % 3), "Employees": sizes[f"A{j % 3}"]} for j in range(30)])
    deals.to_csv(tmp_path / "deals.csv", index=False)
    a = Session(data=[str(tmp_path / "deals.csv")], entry_points=False).ask(question)
    assert a.params.get("by") in (["employees"], ["company_size"]), a.params
    table = a.tables[0].frame
    assert len(table) == 3 and {str(v) for v in table.iloc[:, 0]} == {"10", "250", "5000"}


@pytest.mark.parametrize("question,filters", [
    ("ventas de Holanda per mes in 2024", {"country": ["Netherlands"]}),
    ("ventas en Europa the primer semestre 2025", {"region": ["Europe"]}),
    ("kategori apa yg paling laris di Eropa", {"region": ["Europe"]}),
    ("ventas of the B2B clientes in latinoamerica", {"region": ["Latin America"], "customer_type": ["B2B"]}),
    ("whats the revenue split across the european countries", {"region": ["Europe"]})])
def test_places_said_in_other_languages_or_as_adjectives(demo, question, filters):
    params = demo._route(demo._clean(question)[0]).params
    assert params.get("filters") == filters, params

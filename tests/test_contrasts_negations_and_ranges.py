"""Words the readers lost or misread, found on the development corpus and three new authors written for it
(issue 16; an Urdu-speaking exporter, a New York reseller, a Zürich chocolatier): values set against each
other beside the breakdown asked ("churn by acquisition channel: paid search vs referral"), a yes/no said
with "don't have", deal stages said as a range ("prospecting thru negotiation"), "us" beside another
country, lists of years, German and Hindi words for periods and inactivity, a parenthesis that restates
a period. Each class is checked on phrasings of its own beside the corpus's."""
import datetime as dt

import pytest

from helpers import demo_session, numbers, session, telco_export, write

from custlens.render import text
from custlens.slots import clean, extract

pytestmark = pytest.mark.usefixtures("router_cache")

D = dt.date
END = D(2025, 12, 31)
CHANNELS = ["email", "marketplace", "organic search", "paid search", "referral", "social"]
VALUES = {"transactions": {"channel": ["app", "store", "web"], "category": ["Coffee", "Kitchen", "Pet"],
                           "product": ["Blender", "Yoga Mat"],
                           "country": ["Canada", "France", "Germany", "United Kingdom", "United States"]},
          "customers": {"customer_type": ["B2B", "B2C"], "acquisition_channel": CHANNELS,
                        "region": ["Asia Pacific", "Europe", "Latin America", "North America"]}}


def read(text: str, end: dt.date = END) -> dict:
    return extract(clean(text), VALUES, end)[0]


@pytest.fixture(scope="module")
def demo():
    return demo_session(300, 7)[0]


@pytest.fixture(scope="module")
def telco(tmp_path_factory):
    return session(telco_export(tmp_path_factory.mktemp("telco")))


# --------------------------------------------------------------------------- values set side by side
@pytest.mark.parametrize("said, column", [
    ("churn by acquisition channel. are the paid search customers churning faster than referral?",
     "acquisition_channel"),
    ("revenue by region, asia pacific vs europe vs north america", "region"),
    ("customers per acquisition channel - social v email v the rest", "acquisition_channel"),
    ("lifetime value by how they found us: does referral beat marketplace?", "acquisition_channel"),
])
def test_values_set_against_each_other_beside_their_breakdown_filter_nothing(said, column):
    got = read(said)
    assert column in got.get("by", []) and column not in (got.get("filters") or {}), (said, got)


@pytest.mark.parametrize("said, filters", [
    ("revenue by month for referral and social only", {"acquisition_channel": ["referral", "social"]}),
    ("paid search vs referral, aov", {"acquisition_channel": ["paid search", "referral"]}),  # no breakdown said
])
def test_values_said_as_the_scope_stay_filters(said, filters):
    assert read(said).get("filters") == filters, said


# --------------------------------------------------------------------------- an e-mail to write is no channel
@pytest.mark.parametrize("said", [
    "group my buyers into 4 clusters, and tell me which ones to email first",
    "total gross profit for 2024 - just the headline number for the recap email",
    "what should we recommend to customer C000117? like a 'you might also love' email",
    "top products last month for the newsletter email",
])
def test_an_email_to_write_names_no_channel(said):
    assert "acquisition_channel" not in (read(said).get("filters") or {}), said


def test_customers_who_came_by_email_are_still_a_filter():
    assert read("revenue from email customers")["filters"] == {"acquisition_channel": ["email"]}


# --------------------------------------------------------------------------- periods
@pytest.mark.parametrize("said, start, end", [
    ("profit per customer 2025, top 10 most profitable", D(2025, 1, 1), D(2025, 12, 31)),  # a year, no customer id
    ("I would like the total revenue per year: 2023, 2024 e 2025", D(2023, 1, 1), D(2025, 12, 31)),
    ("total sales for 2023, 24 and 25", D(2023, 1, 1), D(2025, 12, 31)),
    ("revenue 2025, 2023 and 2024", D(2023, 1, 1), D(2025, 12, 31)),
    ("quarterly revenue from 2023 up to the latest", D(2023, 1, 1), None),
    ("revenue from june 2024 to the most recent month", D(2024, 6, 1), None),
    ("revenue in the first half of 2025 (01.01.2025 - 30.06.2025)", D(2025, 1, 1), D(2025, 6, 30)),
    ("sales in the second half of 2024 (jul to dec)", D(2024, 7, 1), D(2024, 12, 31)),
    ("the Umsatz per Monat for the Vorjahr", D(2024, 1, 1), D(2024, 12, 31)),
    ("Marge per Kunde for the letztes Quartal", D(2025, 10, 1), D(2025, 12, 31)),
])
def test_periods(said, start, end):
    got = read(said)
    assert (got.get("start"), got.get("end")) == (start, end), (said, got)


def test_the_german_month_is_a_grain_and_the_previous_year_a_comparison():
    assert read("Umsatz pro Monat 2025")["grain"] == "month"
    got = read("the Bestellungen in the letztes Quartal against the same quarter of the Vorjahr")
    assert got["compare"] == [(D(2024, 10, 1), D(2024, 12, 31)), (D(2025, 10, 1), D(2025, 12, 31))]


@pytest.mark.parametrize("said, year", [("cds sold per month in 97", 1997), ("sales in 98", 1998),
                                        ("revenue for 97 please", 1997)])
def test_a_year_in_two_figures_is_one_of_the_datas(said, year):
    got = read(said, D(1998, 6, 30))
    assert got["start"] == D(year, 1, 1), (said, got)


@pytest.mark.parametrize("said", ["top 10 in 50", "customers inactive for 90 days in 97 stores", "in 12 months"])
def test_a_number_that_is_no_recent_year_stays_a_number(said):
    assert read(said, D(1998, 6, 30)).get("start") in (None, D(1997, 7, 1)), said


def test_first_vs_last_touch_compares_no_periods():
    got = read("attribution for H1 2024, first vs last touch")
    assert "compare" not in got and (got["start"], got["end"]) == (D(2024, 1, 1), D(2024, 6, 30))


# --------------------------------------------------------------------------- countries
@pytest.mark.parametrize("said, countries", [
    ("how many orders us + canada h1 2025", {"United States", "Canada"}),
    ("avg ltv uk v us", {"United Kingdom", "United States"}),
    ("churn in Canada compared with the States", {"Canada", "United States"}),
    ("the pet stuff, hows that selling in the States", {"United States"}),
    ("what do customers from canada think of us", {"Canada"}),
])
def test_us_beside_another_country_is_the_united_states(said, countries):
    assert set((read(said).get("filters") or {}).get("country", [])) == countries, said


def test_us_alone_is_still_no_country():
    assert "filters" not in read("which customers bought from us twice")


# --------------------------------------------------------------------------- yes/no columns said negatively
@pytest.mark.parametrize("said, filters", [
    ("churn amongst senior citizens who don't have a partner", {"partner": ["No"], "senior_citizen": ["1"]}),
    ("churn for people with no partner and no kids", {"partner": ["No"], "dependents": ["No"]}),
    ("churn for customers who do not have dependents", {"dependents": ["No"]}),
    ("churn of those who never had a partner", {"partner": ["No"]}),
    ("churn of customers with children", {"dependents": ["Yes"]}),
])
def test_yes_no_columns_said_with_dont_have_and_in_everyday_words(telco, said, filters):
    got = telco._route(said).params.get("filters") or {}
    assert {k: got.get(k) for k in filters} == filters, (said, got)


# --------------------------------------------------------------------------- deal stages said as a range
@pytest.fixture(scope="module")
def deals(tmp_path_factory):
    stages = ["Prospecting", "Qualification", "Proposal", "Negotiation", "Closed Won", "Closed Lost"]
    amounts = {"Prospecting": 100.0, "Qualification": 200.0, "Proposal": 400.0, "Negotiation": 800.0,
               "Closed Won": 1600.0, "Closed Lost": 3200.0}
    rows = [["deal_id", "account_id", "close_date", "stage", "amount"]] + [
        [f"D{i}", f"A{i % 7}", dt.date(2025, 1, 3) + dt.timedelta(days=5 * i), stages[i % 6], amounts[stages[i % 6]]]
        for i in range(60)]  # ten deals of each stage
    return session(write(tmp_path_factory.mktemp("deals") / "deals.csv", rows))


@pytest.mark.parametrize("said", ["whats the total value of open pipeline (prospecting thru negotiation)",
                                  "deal value from Prospecting up to Negotiation",
                                  "pipeline prospecting to negotiation, how much"])
def test_stages_said_as_a_range_are_every_stage_between(deals, said):
    route = deals._route(said)
    assert set(route.params["filters"]["status"]) == {"Prospecting", "Qualification", "Proposal", "Negotiation"}
    assert 15_000 in numbers(text(deals.fork().ask(said)))  # ten deals of each: 10 x (100 + 200 + 400 + 800)


def test_two_stages_said_apart_stay_two(deals):
    assert set(deals._route("deals in prospecting and negotiation").params["filters"]["status"]) == \
        {"Prospecting", "Negotiation"}


# --------------------------------------------------------------------------- Hindi and Urdu
@pytest.mark.parametrize("said, days", [("kitne grahak 6 mahine se koi order nahi kar rahe", 180),
                                        ("90 din se jinhone kuch nahi kharida unki list do", 90),
                                        ("ek saal se inactive customers kitne hain", 365)])
def test_inactivity_said_before_its_length(demo, said, days):
    route = demo._route(said)
    assert (route.analysis, route.params.get("inactive_days")) == ("churn", days), said


@pytest.mark.parametrize("said, expected", [
    ("customers ke hisab se top 5 countries kaunsi hain", {"metric": "customers", "by": ["country"], "top": 5}),
    ("2025 mein category ke hisab se margin", {"by": ["category"], "start": D(2025, 1, 1)}),
    ("acquisition channel wise grahak kitne hain", {"metric": "customers", "by": ["acquisition_channel"]}),
    ("data ke aakhri 3 mahine mein kitni bikri", {"start": D(2025, 10, 1), "metric": "revenue"}),
])
def test_hindi_breakdowns_and_measures(said, expected):
    got = read(said)
    assert {k: got.get(k) for k in expected} == expected, (said, got)


def test_hone_is_no_half_year(demo):
    route = demo._route("Germany ke kaun se B2B grahak churn hone wale hain")
    assert "start" not in route.params and route.params["filters"]["country"] == ["Germany"]
    assert read("revenue in h two 2024")["start"] == D(2024, 7, 1)  # spoken, with its space


# --------------------------------------------------------------------------- measures said otherwise
@pytest.mark.parametrize("said", ["what was the sale on 18th oct 2025", "sale split by category pls",
                                  "which products sell less, the worst 5", "Healthcare in APAC sale 2024 how much"])
def test_the_sale_and_what_sells_are_the_takings(said):
    assert read(said).get("metric") == "revenue", said


@pytest.mark.parametrize("said", ["how many items on sale did we sell", "how many yoga mats did we sell"])
def test_units_sold_stay_units(said):
    assert read(said).get("metric") == "quantity", said


def test_rfm_segments_set_side_by_side_are_a_breakdown():
    for said in ("segment profitability champs vs at risk", "champions vs hibernating, how much do they spend"):
        got = read(said)
        assert got.get("by") == ["segment"] and "segment" not in got, (said, got)
    assert read("revenue from the champions")["segment"] == "Champions"


@pytest.fixture(scope="module")
def phone_company(tmp_path_factory):
    rows = [["customerID", "gender", "SeniorCitizen", "PhoneService", "Contract", "MonthlyCharges", "Churn"]] + [
        [f"C{i:03d}", "Female" if i % 2 else "Male", int(i % 5 == 0), "No" if i % 10 == 0 else "Yes",
         ["Month-to-month", "One year", "Two year"][i % 3], 20 + i % 50, "Yes" if i % 4 == 0 else "No"]
        for i in range(200)]
    return session(write(tmp_path_factory.mktemp("phone") / "telco.csv", rows))


@pytest.mark.parametrize("said", ["split the phone customers by gender", "top twenty most valuable phone customers",
                                  "segment the phone customers by contract"])
def test_a_phone_companys_phone_customers_are_all_of_them(phone_company, said):
    assert "phone_service" not in (phone_company._route(said).params.get("filters") or {}), said


@pytest.mark.parametrize("said, value", [("churn of customers with phone service", "Yes"),
                                         ("churn of customers without phone service", "No")])
def test_the_phone_service_said_whole_is_the_flag(phone_company, said, value):
    assert phone_company._route(said).params["filters"]["phone_service"] == [value], said


@pytest.mark.parametrize("said, column", [("do klanten with short tenure churn more", "tenure"),
                                          ("do newer customers churn more, like low tenure", "tenure"),
                                          ("are customers with high monthly charges leaving faster", "monthly_charges")])
def test_a_columns_low_or_high_end_set_against_the_rest_is_a_breakdown(telco, said, column):
    assert column in (telco._route(said).params.get("by") or []), said


def test_a_columns_end_said_as_a_bound_stays_a_filter(telco):
    assert telco._route("churn for customers with tenure under 6 months").params["filters"] == {"tenure": ["< 6"]}


# --------------------------------------------------------------------------- products and saved labels
PRODUCTS = {"transactions": {"product": ["Platform", "Analytics Add-on", "Support Plan", "Training"]}}


@pytest.mark.parametrize("said", ["which product brings in the most money - Platform or the Analytics Add-on?",
                                  "Amount per product: Platform, Analytics Add-on, Support Plan and Training",
                                  "per product, Training vs Support Plan, which is bigger"])
def test_products_named_beside_their_breakdown_filter_nothing(said):
    got = extract(clean(said), PRODUCTS, END)[0]
    assert got.get("by") == ["product"] and "products" not in got and "product" not in got, (said, got)


def test_two_products_set_against_each_other_alone_stay_the_two():
    got = extract(clean("revenue for Platform vs Training"), PRODUCTS, END)[0]
    assert got["by"] == ["product"] and got["products"] == ["Platform", "Training"]


def test_a_saved_label_that_is_a_columns_value_is_that_columns_filter():
    values = {"customers": {"industry": ["Healthcare", "Retail"], "segment": ["Healthcare", "Retail", "VIP"]}}
    assert extract(clean("healthcare. why so low?"), values, END)[0]["filters"] == {"industry": ["Healthcare"]}
    assert extract(clean("personas for the VIP segment"), values, END)[0]["segment"] == "VIP"
    assert extract(clean("personas for the Healthcare segment"), values, END)[0]["segment"] == "Healthcare"


def test_a_label_said_with_a_space_for_its_hyphen():
    values = {"customers": {"segment": ["Enterprise", "Mid-Market", "SMB"]}}
    assert extract(clean("win rate for mid market last year"), values, END)[0]["segment"] == "Mid-Market"


# --------------------------------------------------------------------------- counts and horizons said otherwise
@pytest.mark.parametrize("said, top", [("most loyal 20 members", 20), ("10 accounts with the highest lifetime value", 10),
                                       ("best selling 3 products in store only", 3),
                                       ("recommend 3 products for customer C000077", 3), ("Suggest 5 bundles", 5)])
def test_a_count_of_the_things_ranked(said, top):
    assert read(said).get("top") == top, said


def test_two_words_between_a_count_and_its_groups():
    assert read("can we get like 3 broad customer groups, nothing fancy")["k"] == 3
    assert read("3 B2B buyer personas, each with interview prompts")["k"] == 3


@pytest.mark.parametrize("said, months", [("predicted clv 12 months", 12), ("clv forecast accounts 12 mo", 12),
                                          ("prediksi nilai pelanggan 12 bulan ke depan", 12),
                                          ("CLV 2 tahun ke depan", 24), ("cuánto gastarán en los próximos 12 meses", 12),
                                          ("predicted CLV a 2 años para el cliente C000301", 24)])
def test_a_clv_horizon_said_otherwise(demo, said, months):
    route = demo._route(said, analysis="clv")
    assert route.params.get("horizon") == months, said


def test_a_period_behind_is_no_horizon(demo):
    route = demo._route("clv of customers from the last 12 months", analysis="clv")
    assert "horizon" not in route.params and route.params.get("start") == D(2025, 1, 1)


# --------------------------------------------------------------------------- a period set against the same a year earlier
@pytest.mark.parametrize("said, end, compare", [
    ("howd december go compared to the december before, sales wise", END,
     [(D(2024, 12, 1), D(2024, 12, 31)), (D(2025, 12, 1), D(2025, 12, 31))]),
    ("how did december go compared to the december before", D(2025, 6, 30),  # the data's last December, 2024
     [(D(2023, 12, 1), D(2023, 12, 31)), (D(2024, 12, 1), D(2024, 12, 31))]),
    ("ventas del último trimestre vs el mismo trimestre del año anterior", END,
     [(D(2024, 10, 1), D(2024, 12, 31)), (D(2025, 10, 1), D(2025, 12, 31))]),
    ("2025 me NPS kaisa raha 2024 ke mukable", END, [(D(2024, 1, 1), D(2024, 12, 31)), (D(2025, 1, 1), D(2025, 12, 31))]),
    ("2025 ka funnel 2024 se compare karo", END, [(D(2024, 1, 1), D(2024, 12, 31)), (D(2025, 1, 1), D(2025, 12, 31))]),
    ("pichle 6 mahine vs usse pehle wale 6 mahine", END,
     [(D(2025, 1, 1), D(2025, 6, 30)), (D(2025, 7, 1), D(2025, 12, 31))]),
])
def test_the_same_period_a_year_earlier_said_otherwise(said, end, compare):
    assert read(said, end).get("compare") == compare, said

"""Slots in the words people type (issue 16, item 5 and the corpus's lessons): shorthand, calendar
periods, units and durations, metrics said in passing, and two values set against each other."""

import datetime as dt

import pytest

from custlens import Session
from custlens.errors import ParamsError
from custlens.slots import clean, extract

END = dt.date(2025, 12, 31)


@pytest.fixture(scope="module")
def demo():
    s = Session(entry_points=False)
    s.load_demo(customers=300)
    return s


@pytest.mark.parametrize("typed, spelt", [
    ("rev per cust this yr", "revenue per customers this year"),
    ("custs w/o an order in 90d", "customers without an order in 90 days"),
    ("who hasnt bought since", "who hasn't bought since"),
    ("a 6-month window, 2yrs out", "a 6 months window, 2 years out"),
    ("US and UK sales, 45+ days", "US and UK sales, 45 days"),  # codes in capitals stay codes
    ("export that to cust.xlsx or rev.csv", "export that to cust.xlsx or rev.csv"),  # file names stay
])
def test_shorthand_is_spelt_out(typed, spelt):
    assert clean(typed) == spelt


@pytest.mark.parametrize("question, start, end", [
    ("orders last year", "2024-01-01", "2024-12-31"),
    # "last quarter" and "last month" at their close are the ones just closed (as reporting says it);
    # before the close, the one before (test_last_month_before_the_month_closes)
    ("revenue last month", "2025-12-01", "2025-12-31"),
    ("sales last quarter", "2025-10-01", "2025-12-31"),
    ("revenue over the last 12 months", "2025-01-01", "2025-12-31"),
    ("units sold, trailing 3 months", "2025-10-01", "2025-12-31"),
    ("revenue ytd", "2025-01-01", "2025-12-31"),
    ("orders quarter to date", "2025-10-01", "2025-12-31"),
    ("what did we sell from april to june 2024", "2024-04-01", "2024-06-30"),
    ("sales feb-mar 2025", "2025-02-01", "2025-03-31"),
    ("orders in oct '24", "2024-10-01", "2024-10-31"),
    ("aov in june 97", "1997-06-01", "1997-06-30"),
])
def test_periods_in_calendar_words(question, start, end):
    found, _ = extract(question, None, END)
    assert (str(found["start"]), str(found["end"])) == (start, end)


@pytest.mark.parametrize("question, start, end", [
    # days in figures: day first unless a date can only be month first
    ("turnover for the period 01/04/2024 to 30/06/2024", "2024-04-01", "2024-06-30"),
    ("top 10 products for the financial year 01/04/2024 to 31/03/2025", "2024-04-01", "2025-03-31"),
    ("orders between 1.7.2025 and 30.9.2025", "2025-07-01", "2025-09-30"),
    ("orders placed on 04/30/2024", "2024-04-30", "2024-04-30"),
    # two days of one year, the year said once
    ("customers who ordered between 1 April and 30 June 2025", "2025-04-01", "2025-06-30"),
    ("units sold between 1 july and 30 septmber 2024", "2024-07-01", "2024-09-30"),
    ("revenue 5th-20th june 2025", "2025-06-05", "2025-06-20"),
    ("daily rev for cyber week nov 24-30 2025", "2025-11-24", "2025-11-30"),
    ("orders between march 3 and april 9 2025", "2025-03-03", "2025-04-09"),
    ("takings for the week commencing 01/12/2025", "2025-12-01", "2025-12-07"),
    ("sales the week of 2025-03-10", "2025-03-10", "2025-03-16"),
    # months and years with their years, and years listed
    ("quarterly turnover from January 2023 through to December 2025", "2023-01-01", "2025-12-31"),
    ("orders jan 2024 - mar 2024", "2024-01-01", "2024-03-31"),
    ("sales for 2023, 2024 and 2025, year by year", "2023-01-01", "2025-12-31"),
    ("yearly rev 2023 / 2024 / 2025", "2023-01-01", "2025-12-31"),
    ("gross revenue year-to-date", "2025-01-01", "2025-12-31"),
    ("turnover per quarter during FY24", "2024-01-01", "2024-12-31"),
    # a length of time up to a day, as accounts say it
    ("revenue by category for the twelve months ended 31/12/2025", "2025-01-01", "2025-12-31"),
    ("margin for the year ended 30/06/2025", "2024-07-01", "2025-06-30"),
    ("churn in the quarter ending 30 September 2025", "2025-07-01", "2025-09-30"),
    ("sales for the 4 weeks to 2025-11-30", "2025-11-03", "2025-11-30"),
    ("how much did Beauty do in Sept 2024", "2024-09-01", "2024-09-30"),
    # "over the last year" is the past twelve months ("last year" alone the year before)
    ("customers lost each month over the last year", "2025-01-01", "2025-12-31"),
    ("top products in the last year", "2025-01-01", "2025-12-31"),
])
def test_periods_bounded_by_days_and_listed_years(question, start, end):
    found, _ = extract(question, None, END)
    assert (str(found["start"]), str(found["end"])) == (start, end)


def test_years_listed_out_of_order_are_no_range():
    found, _ = extract("revenue 2021, 2023 and 2025", None, END)
    assert (str(found.get("start")), str(found.get("end"))) != ("2021-01-01", "2025-12-31")


@pytest.mark.parametrize("question, metric", [
    ("how many blenders did we sell in 2024", "quantity"),
    ("how much did we sell in march 2025", "revenue"),
    ("what did the spring campaign bring in", None),
    ("how many people bought something in q2", "customers"),
    ("order volume by week", "orders"),
    ("average spend per order by country", "aov"),
    ("distinct customers per month", "customers"),
    # a shop's takings, a subscription's charges, a CRM's bookings; subscribers, accounts and visitors
    # counted are customers; baskets counted are orders; things shifted are units
    ("weekly takings for december", "revenue"),
    ("total monthly charges by contract type", "revenue"),
    ("h1 2025 vs h1 2024 bookings", "revenue"),
    ("how much did we close in q2 2025?", "revenue"),
    ("how many subs total, split by internet service", "customers"),
    ("no. of buyers h1 97 vs h1 98", "customers"),
    ("unique visitors per month", "customers"),
    ("how many baskets in the file", "orders"),
    ("how many grinders did we shift in 2024", "quantity"),
    ("how many telco customers pay by electronic check?", "customers"),
    ("customers by contract type", "customers"),
    ("sub count by payment method", "customers"),
    ("avg order val this yr", "aov"),
    ("what does a typical order come to", "aov"),
    ("avg purchase value first half of 1998", "aov"),
    ("closed won amt this yr", "revenue"),
    ("top 5 markets by GMV", "revenue"),
    ("how much did the Pet stuff do in 2023", "revenue"),
    ("what did the Coffee category book over the last 6 months", "revenue"),
    ("monthly cds sold", "quantity"),
])
def test_metrics_said_in_passing(question, metric):
    assert extract(question, None, END)[0].get("metric") == metric


def test_two_values_against_each_other_are_a_breakdown(demo):
    values, end = demo._values(), demo.data_end()
    both = extract("do b2c customers spend more than b2b ones", values, end)[0]
    assert both.get("by") == ["customer_type"] and "filters" not in both  # both values: no filter needed
    two = extract("app versus web revenue", values, end)[0]  # a column of few values: shown whole, store beside
    assert two["by"] == ["channel"] and "filters" not in two
    devices = extract("conversion mobile vs desktop", values, end)[0]  # the touchpoints' device (3 values)
    assert devices["by"] == ["device"] and "filters" not in devices
    products = extract("revenue coffee grinder vs yoga mat", values, end)[0]  # many products: the two named
    assert products["by"] == ["product"] and products["products"] == ["Coffee Grinder", "Yoga Mat"]
    assert demo.ask("revenue coffee grinder vs yoga mat").params["filters"] == {"product": ["Coffee Grinder", "Yoga Mat"]}
    plain = extract("sales in the app and on the web", values, end)[0]
    assert "by" not in plain and sorted(plain["filters"]["channel"]) == ["app", "web"]


@pytest.mark.parametrize("question, days", [
    ("who hasnt ordered in 4 months", 120), ("customers who haven't been back in 60 days", 60),
    ("lapsed for over a year", 365), ("list customers inactive for 45+ days", 45),
    ("no purchase in 200d, how many", 200),
])
def test_inactivity_in_everyday_words(demo, question, days):
    route = demo._route(question, analysis="churn")
    assert route.params["inactive_days"] == days and route.params.get("start") is None


@pytest.mark.parametrize("question, n", [("my 3 worst selling products", 3), ("bottom 20 products by revenue", 20),
                                         ("the 5 lowest countries by orders", 5), ("lowest 4 categories", 4)])
def test_the_lowest_first_is_never_read_as_the_top(question, n):
    found, _ = extract(question, None, END)
    assert found["top"] == n and found["bottom"] is True


def test_the_overview_ranks_the_lowest_first_and_says_so(orders_csv):
    s = Session(data=[str(orders_csv)], entry_points=False)
    worst = s.ask("my 2 worst selling countries")
    table = worst.table("by_country")
    assert table.title.startswith("Bottom 2 countries") and [r[0] for r in table.rows] == ["Spain", "France"]
    assert "**Spain** is lowest" in worst.summary and "the highest is Germany" not in worst.summary
    best = s.ask("top 2 countries")
    assert [r[0] for r in best.table("by_country").rows] == ["Germany", "France"]
    note = s.ask("10 least profitable customers", analysis="churn").warnings
    assert any("cannot use the lowest first" in w for w in note)  # an analysis without it says so


def test_a_column_named_monthly_is_not_a_monthly_grain(tmp_path):
    path = tmp_path / "telco.csv"
    path.write_text("customerID,Contract,MonthlyCharges,Churn\n" + "".join(
        f"{i:03d},{['Month-to-month', 'Two year'][i % 2]},{20 + i},{['Yes', 'No'][i % 3 > 0]}\n" for i in range(30)))
    s = Session(data=[str(path)], entry_points=False)
    found = extract("average monthly charges by contract", s._values(), s.data_end())[0]
    assert found.get("by") == ["contract"] and "grain" not in found
    assert extract("churn by contract, monthly", s._values(), s.data_end())[0]["grain"] == "month"


def test_last_month_before_the_month_closes():
    found, _ = extract("revenue last month", None, dt.date(2025, 12, 15))
    assert (str(found["start"]), str(found["end"])) == ("2025-11-01", "2025-11-30")


@pytest.mark.parametrize("said, written", [
    ("show me the r f m score for customer c zero zero zero one two three", "show me the rfm score for customer c000123"),
    ("segment the b two b customers", "segment the b2b customers"),
    ("group the accounts in e m e a into clusters", "group the accounts in emea into clusters"),
    ("top_n=20 products by units", "top 20 products by units"),
    ("a b test results", "a b test results"),  # two letters are no code
])
def test_codes_said_out_loud_are_written(said, written):
    assert clean(said) == written


@pytest.mark.parametrize("question, key, value", [
    ("compare revenue q three twenty twenty four against q three twenty twenty five", "compare",
     [(dt.date(2024, 7, 1), dt.date(2024, 9, 30)), (dt.date(2025, 7, 1), dt.date(2025, 9, 30))]),
    ("which ten products generated the highest sales", "top", 10),
    ("identify the 50 customers most likely to churn next", "top", 50),
])
def test_everyday_counts_and_quarters(question, key, value):
    assert extract(clean(question), None, END)[0][key] == value



@pytest.mark.parametrize("question, slots", [
    ("revnue by gender", {"metric": "revenue", "by": ["gender"]}),
    ("churn rate per quater", {"grain": "quarter"}),
    ("top 10 prodcuts by turnover", {"top": 10, "by": ["product"], "metric": "revenue"}),
    ("Sales by regoin", {"metric": "revenue", "by": ["region"]}),
    ("clv by acquistion channel", {"by": ["acquisition_channel"]}),
])
def test_misspelt_slot_words_are_read_as_meant(demo, question, slots):
    """A measure, breakdown or grain misspelt ("revnue", "quater", "regoin") is read as the word
    meant: the router's spelling of words its training texts do not hold, kept to slot words."""
    route = demo._route(question)
    assert {k: route.params.get(k) for k in slots} == slots, route.params
    assert route.slots.get("spelt")  # said on the answer's first line: "read 'revnue' as revenue"


def test_a_data_value_is_never_spelt_into_a_slot_word(demo):
    """A word of the data's values stays as written, however close to a slot word ("Frother" is a
    product, not a typo): the filter on it is kept."""
    assert demo._route("milk frother sales").params.get("filters") == {"product": ["Milk Frother"]}


@pytest.mark.parametrize("question, filters", [
    ("whats the revenu in germny", {"country": ["Germany"]}),
    ("sales in the netherlnds by month", {"country": ["Netherlands"]}),
    ("revenue in united kingdon", {"country": ["United Kingdom"]}),
    ("how many espreso machines did we sell", {"product": ["Espresso Machine"]}),
])
def test_misspelt_data_values_are_read_as_meant_and_said(demo, question, filters):
    """A value of the data misspelt ("germny") is the value meant, said on the first line; the
    answer is the one for the value spelt right, not the whole shop's."""
    route = demo._route(question)
    assert route.params.get("filters") == filters, route.params
    assert route.slots.get("spelt")
    answer = demo.fork().ask(question)
    assert answer.params["filters"] == filters and "read '" in answer.understood
    right = demo.fork().ask(question, params={"filters": filters})
    assert answer.table("headline").rows == right.table("headline").rows


@pytest.mark.parametrize("question, product", [
    ("revenue by month, trailing 12 months", "Training"),    # "trailing" is English, not a slip of Training
    ("revenue of the trainings", "Training"),                 # the value itself, a plural
])
def test_an_english_word_is_never_read_as_a_slip_of_a_value(question, product):
    """A word of the language ("trailing") is meant as written, however close to a value of the data
    ("Training"); the value itself is read."""
    values = {"transactions": {"product": ["Training", "Platform", "Support Plan"]}}
    route = Session(entry_points=False).router.route(question, values, dt.date(2025, 6, 30))
    said = "trainings" in question
    assert (route.params.get("filters") or {}).get("product") == ([product] if said else None), route.params
    assert not route.slots.get("spelt")


def test_a_misspelling_close_to_two_values_is_not_guessed(demo):
    """"blendrs" is as close to "blend" (House Blend) as to "blender": neither is guessed."""
    route = demo._route("how many blendrs did we sell")
    assert not route.params.get("filters") and not route.slots.get("spelt")


@pytest.mark.parametrize("question, filters, by, grain", [
    ("only annual billing", {"billing_frequency": ["annual"]}, None, None),
    ("monthly revenue for annual billing", {"billing_frequency": ["annual"]}, ["period"], "month"),
    ("monthly vs annual billing", None, ["billing_frequency"], None),
    ("monthly revenue", None, ["period"], "month"),  # no column's name: the grain
])
def test_a_value_that_is_a_grain_word_is_read_with_its_columns_name(question, filters, by, grain):
    """A billing frequency's "annual" and "monthly" are its values when said with the column's name
    ("annual billing"), set against each other ("monthly vs annual billing": a breakdown); alone
    they stay grains."""
    values = {"transactions": {"billing_frequency": ["annual", "monthly"], "plan_tier": ["Basic", "Pro"]}}
    found, _ = extract(question, values, dt.date(2024, 12, 31))
    assert found.get("filters") == filters and found.get("by") == by and found.get("grain") == grain, found


TELCO_VALUES = {"customers": {"contract": ["Month-to-month", "One year"], "payment_method": ["Mailed check"],
                              "gender": ["F", "M"]}}


@pytest.mark.parametrize("question, by", [
    ("give me the sales of 2024 after country", ["country"]),  # German "nach": by
    ("churn rate after contract type", ["contract"]),
    ("segments after payment method and gender", ["payment_method", "gender"]),
])
def test_after_a_breakdown_is_by(question, by):
    assert extract(question, TELCO_VALUES, END)[0]["by"] == by


@pytest.mark.parametrize("question", ["revenue after march 2024", "customers who came back after the first order",
                                      "what do they buy after coffee"])
def test_after_a_date_or_an_event_is_no_breakdown(question):
    assert "by" not in extract(question, TELCO_VALUES, END)[0]


@pytest.mark.parametrize("question, metric, grain", [
    ("Umsatz per Quartal for 2025, bitte", "revenue", "quarter"),
    ("how many Kunden have we in total", "customers", None),
    ("how many Bestellungen come from the app", "orders", None),
    ("Durchschnittlicher Bestellwert of B2B customers", "aov", None),
])
def test_german_words_for_measures(question, metric, grain):
    found = extract(question, None, END)[0]
    assert found["metric"] == metric and found.get("grain") == grain


def test_values_listed_after_split_are_a_breakdown(demo):
    found = extract("sales split app / web / store for 2025", demo._values(), demo.data_end())[0]
    assert found["by"] == ["channel"]


@pytest.mark.parametrize("question, slots", [
    ("faturamento by country in 2024", {"metric": "revenue", "by": ["country"]}),
    ("the sells of last month, how much was?", {"metric": "revenue"}),
    ("how many pedidos per month this year", {"metric": "orders", "grain": "month"}),
    ("what is the ticket medio of the orders?", {"metric": "aov"}),
    ("quantos clientes we have", {"metric": "customers"}),
    ("lucro total of 2025?", {"metric": "margin"}),
    ("how is going the sells of the Coffee category mes a mes", {"metric": "revenue", "grain": "month"}),
    ("which product sells best", {"metric": None}),  # the verb stays a verb
    ("ventas del año pasado por pais", {"metric": "revenue", "by": ["country"], "start": dt.date(2024, 1, 1)}),
    ("faturamento por categoria este ano", {"metric": "revenue", "by": ["category"], "start": dt.date(2025, 1, 1)}),
    ("top produtos this month", {"by": ["product"]}),
    ("the land rover sales", {"by": None}),  # an English word that is a German one stays English
])
def test_business_words_of_other_languages_and_second_language_english(question, slots):
    """The words for sales, orders, customers, profit and the average ticket in Portuguese, Spanish,
    French and Italian, and "sells" for sales as people writing in a second language use it, read as
    their English words."""
    got = extract(clean(question), end=dt.date(2025, 12, 31))[0]
    assert {k: got.get(k) for k in slots} == slots, got


def test_a_first_and_second_semester_are_the_halves():
    got = extract(clean("primeiro semestre vs segundo semestre 2025, sells"), end=dt.date(2025, 12, 31))[0]
    assert got["compare"] == [(dt.date(2025, 1, 1), dt.date(2025, 6, 30)), (dt.date(2025, 7, 1), dt.date(2025, 12, 31))]


def test_a_question_in_second_language_english_is_answered_as_meant(demo):
    answer = demo.fork().chat("faturamento by country in 2024")
    assert answer.analysis == "overview" and answer.params["by"] == ["country"]
    assert str(answer.params["start"]) == "2024-01-01" and answer.params.get("metric") == "revenue"


@pytest.mark.parametrize("question, metric", [
    ("which city has the most customers", "customers"),
    ("number of B2B customers per region", "customers"),
    ("avg basket size in units? like how many items per order", "quantity"),
    ("how many orders did we ship last month?", "orders"),
    ("how many blenders went out the door in the last 6 months", "quantity"),
    ("average value of order per channel", "aov"),
    ("how much has Japan bought from us since March 2025", "revenue"),
    ("closed won by month for the last 12 months", "revenue"),
    ("how many closed won deals", "orders"),
    ("average basket size", "aov"),
    ("the most loyal customers", None),
])
def test_measures_said_in_everyday_words(question, metric):
    assert extract(clean(question), end=dt.date(2025, 12, 31))[0].get("metric") == metric


@pytest.mark.parametrize("question, cleaned", [
    ("what sells?", "what sells?"), ("which product sells best", "which product sells best"),
    ("it sells well", "it sells well"), ("the sells of last month", "the sales of last month"),
    ("sells by channel", "sales by channel"), ("top 5 countries in sells", "top 5 countries in sales"),
])
def test_sells_is_sales_only_as_a_noun(question, cleaned):
    assert clean(question) == cleaned


@pytest.mark.parametrize("question", [
    "how many come back 6 or 12 months later?",
    "which customers came back 2 or 3 months later?",
])
def test_two_numbers_before_a_period_word_are_read_without_error(demo, question):
    # "6 or 12 months": a number, then two words before "months" (no grouping word) once crashed
    # the breakdown reading with an AttributeError
    answer = demo.chat(question)
    assert answer.understood
    assert "grain" not in extract(question, demo.dataset.values())


@pytest.mark.parametrize("question, by", [
    ("revenue by country, channel and category", ["country", "channel", "category"]),
    ("revenue by country & channel", ["country", "channel"]),
    ("revenue by category/channel", ["category", "channel"]),
    ("sales by region + channel", ["region", "channel"]),
    ("orders by country n channel", ["country", "channel"]),
])
def test_every_item_of_a_breakdown_list_is_read_whatever_sets_them_apart(demo, question, by):
    # only "and" used to join a second breakdown: "&", "/", "+", "," and "n" lost every item after the first
    assert demo._route(question).params["by"] == by


@pytest.fixture(scope="module")
def crm(tmp_path_factory):
    """A CRM workbook: accounts (Industry, Segment, Employees) and their deals."""
    import pandas as pd

    path = tmp_path_factory.mktemp("crm") / "crm.xlsx"
    accounts = pd.DataFrame({"Account ID": [f"A{i:03d}" for i in range(60)],
                             "Industry": [("Software", "Retail", "Finance")[i % 3] for i in range(60)],
                             "Segment": [("Enterprise", "SMB")[i % 2] for i in range(60)],
                             "Employees": [50 + 97 * i for i in range(60)]})
    deals = pd.DataFrame({"Deal ID": [f"D{i:04d}" for i in range(300)], "Account ID": [f"A{i % 60:03d}" for i in range(300)],
                          "Stage": [("Closed Won", "Closed Lost", "Proposal")[i % 3] for i in range(300)],
                          "Amount": [1000.0 + i for i in range(300)], "Product": [("Platform", "Training")[i % 2] for i in range(300)],
                          "Close Date": pd.date_range("2024-01-01", periods=300, freq="2D")})
    with pd.ExcelWriter(path) as xl:
        accounts.to_excel(xl, sheet_name="Accounts", index=False)
        deals.to_excel(xl, sheet_name="Deals", index=False)
    return Session(data=[str(path)], entry_points=False)


@pytest.mark.parametrize("question", [
    "segment accounts by Industry & Employees",
    "segment the accounts by industry and by number of employees",
    "group accounts by industry and headcount",
])
def test_a_column_said_by_its_header_or_another_name_later_in_a_breakdown_list(crm, question):
    # the second item is the workbook's own "Employees" header (read as the company's size) or its synonym
    assert crm._route(question, "segmentation").params["by"] == ["industry", "company_size"]


@pytest.mark.parametrize("question, metric", [
    ("closed won $ by quarter 2024", "revenue"),
    ("$ per month across 2025", "revenue"),
    ("avg order $ first half 2025", "aov"),
    ("customers who spent over $100", None),  # a sign on a number is no measure
])
def test_a_currency_sign_said_alone_is_the_money(question, metric):
    assert extract(clean(question), end=END)[0].get("metric") == metric


@pytest.mark.parametrize("question, start, end", [
    ("monthly revenue jan 97 through june 98. was there a cliff?", "1997-01-01", "1998-06-30"),
    ("retention of customers who first bought in january ninety seven", "1997-01-01", "1997-01-31"),
    ("weekly orders nov", "1997-11-01", "1997-11-30"),
    ("give me december's headline numbers", "1997-12-01", "1997-12-31"),
    ("what did Outdoor bring in during summer 1997, June to August?", "1997-06-01", "1997-08-31"),
    ("ventas de diciembre 1997", "1997-12-01", "1997-12-31"),
    ("may I see the sales", None, None),  # "may" and "march" alone stay words
])
def test_months_said_alone_spoken_or_beside_a_year(question, start, end):
    got = extract(clean(question), end=dt.date(1998, 6, 30))[0]
    assert (str(got.get("start")) if got.get("start") else None, str(got.get("end")) if got.get("end") else None) \
        == (start, end), got


@pytest.mark.parametrize("question, filters", [
    ("what goes with the yoga mat for a cross sell email", {}),
    ("product recs for C000012 - next email", {}),
    ("show me the champions, my boss wants to send them an email", {}),
    ("most satisfied customers, top 30 - candidates for the referral program", {}),
    ("how many customers do we have on the books in Mexico?", {"country": ["Mexico"]}),
    ("orders from email customers", {"acquisition_channel": ["email"]}),  # the channel, still
    ("revenue from referral customers", {"acquisition_channel": ["referral"]}),
])
def test_a_value_word_said_in_its_everyday_sense_is_no_filter(demo, question, filters):
    found = extract(question, demo._values(), demo.data_end())[0]
    assert {c: v for c, v in (found.get("filters") or {}).items() if c != "segment"} == filters


def test_negative_words_about_a_thing_are_no_condition_on_its_number(demo):
    route = demo._route("negative comments about price in 2025")
    assert route.analysis == "feedback" and "unit_price" not in (route.params.get("filters") or {})


def test_a_word_of_how_one_buys_is_no_product(demo):
    route = demo._route("cohorts only for the customers who buy over the app")
    assert route.params.get("filters") == {"channel": ["app"]}


def test_a_measure_by_an_unknown_word_is_answered_and_says_what_it_did_not_read(demo):
    answer = demo.fork().chat("customers by hometown")
    assert answer.analysis == "overview" and "not read: by hometown" in answer.understood


@pytest.mark.parametrize("question, slots", [
    ("How many active donors did we have over the last 12 months?", {"metric": "customers"}),
    ("What was our average gift size in 2024, please?", {"metric": "aov"}),
    ("weekly gift counts for the last 3 months", {"metric": "orders", "grain": "week"}),
    ("Please compare total giving in 2024 against 2025", {"metric": "revenue"}),
    ("How much did female donors give last year?", {"metric": "revenue"}),
    ("gift card sales by month", {"metric": "revenue"}),  # a gift card is a product, its sales the money
])
def test_a_charitys_words_for_customers_orders_and_money(question, slots):
    got = extract(clean(question), end=END)[0]
    assert {k: got.get(k) for k in slots} == slots, got


@pytest.mark.parametrize("question, slots", [
    ("ventas mes pasado?", {"metric": "revenue", "start": dt.date(2025, 12, 1)}),
    ("ventas por categoria the ultimo trimestre", {"by": ["category"], "start": dt.date(2025, 10, 1)}),
    ("ventas en the ultimos 6 meses", {"start": dt.date(2025, 7, 1), "end": END}),
    ("pedidos por canal de adquisicion", {"metric": "orders"}),
    ("ventas mensuales 2025", {"grain": "month"}),
    ("cuanto vendimos en julio 2025", {"metric": "revenue", "start": dt.date(2025, 7, 1), "end": dt.date(2025, 7, 31)}),
    ("make 4 grupos of clientes", {"k": 4}),
])
def test_spanish_words_for_periods_grains_and_groups(question, slots):
    got = extract(clean(question), end=END)[0]
    assert {k: got.get(k) for k in slots} == slots, got


def test_the_churned_as_the_population_is_read_when_the_analysis_is_picked_too(tmp_path):
    # an ask-back pick or --analysis reads the question's slots for the analysis named: "the customers who
    # churned" is the churn flag's filter there as it is when the router chooses
    import pandas as pd

    path = tmp_path / "subscribers.csv"
    pd.DataFrame({"customerID": [f"S{i}" for i in range(40)], "Contract": ["Monthly", "Yearly"] * 20,
                  "tenure": list(range(40)), "Churn": ["Yes", "No", "No", "No"] * 10}).to_csv(path, index=False)
    s = Session(data=[f"customers={path}"], entry_points=False)
    chosen = s._route("segment the customers who churned")
    picked = s._route("segment the customers who churned", "segmentation")
    assert chosen.params["filters"] == picked.params["filters"] == {"churned": ["true"]}


@pytest.mark.parametrize("typed, spelt", [
    ("aov L6M", "aov last 6 months"), ("revenue LTM", "revenue last 12 months"),
    ("orders wow last 30d", "orders week over week last 30 days"),
    ("avg deal size enterprise v smb", "average deal size enterprise vs smb"),
    ("at risk seg size", "at risk segment size"), ("profit per acct", "profit per account"),
    ("vitamin v", "vitamin v"),  # a v that sets nothing apart stays
])
def test_a_growth_teams_shorthand_is_spelt_out(typed, spelt):
    assert clean(typed) == spelt


def test_a_value_said_after_not_beside_the_one_meant_is_corrected_away(demo):
    chat = demo.fork()
    chat.chat("revenue by month for customers from paid search")
    a = chat.chat("sorry, meant social not paid search")
    assert a.params["filters"] == {"acquisition_channel": ["social"]}, a.understood
    assert demo._route("revenue for Spain, not Portugal").params["filters"] == {"country": ["Spain"]}


@pytest.mark.parametrize("question, start, end", [
    ("how many clients bought cds in the first 3 months of 1997", "1997-01-01", "1997-03-31"),
    ("sales in the last two months of 2024", "2024-11-01", "2024-12-31"),
    ("QTD turnover", "2025-10-01", "2025-12-31"),
    ("NPS for the year", "2025-01-01", "2025-12-31"),
    ("revenue for the year 2024", "2024-01-01", "2024-12-31"),
    ("revenue for FY ending March 2025", "2024-04-01", "2025-03-31"),
    ("revenue for the year ended june 2024", "2023-07-01", "2024-06-30"),
])
def test_parts_of_a_year_and_years_that_end_in_a_month(question, start, end):
    got = extract(clean(question), end=END)[0]
    assert (str(got.get("start")), str(got.get("end"))) == (start, end), got


@pytest.mark.parametrize("question, days", [
    ("customers with no orders in the last year", 365),
    ("inactive customers list, nothing bought in the last 120 days", 120),
    ("which customers have gone cold - no purchases at all in the past year?", 365),
])
def test_no_purchases_in_the_last_year_is_an_inactivity_window_not_a_period(demo, question, days):
    params = demo._route(question, "churn").params
    assert params.get("inactive_days") == days and not params.get("start"), params


def test_a_product_line_on_data_whose_products_have_no_category_is_the_product(crm):
    answer = crm.fork().ask("which product line brought in the most revenue?")
    assert answer.params["by"] == ["product"] and "read 'product line' as product" in answer.understood
    table = answer.tables[0]
    assert set(table.column("product")) == {"Platform", "Training"}


@pytest.mark.parametrize("question, filters", [
    ("any segments we're overlooking? esp latam", {"region": ["Latin America"]}),
    ("customer count by country for latam", {"region": ["Latin America"]}),
    ("how satisfied are the B2B guys", {"customer_type": ["B2B"]}),  # guys are people, not men
    ("product affinities for German orders", {"country": ["Germany"]}),
    ("retention for German cohorts", {"country": ["Germany"]}),
    ("value of the top 1% of customers over 3 years", {}),  # a span of time, not an age
    ("how many customers are over 50 years old", {"age": ["> 50"]}),
    ("units sold by month, Coffee category", {"category": ["Coffee"]}),  # a value with its column's name
])
def test_regions_people_and_ages_said_in_everyday_words(demo, question, filters):
    assert (demo._route(question).params.get("filters") or {}) == filters


@pytest.mark.parametrize("question", ["repeat rate by channel app/web/store",
                                      "could you break the takings down by app, store and web for last year?"])
def test_values_listed_after_by_name_no_column_that_looks_like_one(demo, question):
    # "store" is a channel, not the feedback's score column spelt close to it
    assert demo._route(question).params["by"] == ["channel"]


@pytest.mark.parametrize("question, top, bottom", [
    ("most loyal 25 custs", 25, None),
    ("Which 50 customers are worth the most over their lifetime?", 50, None),
    ("10 strongest item pairings", 10, None),
    ("Which 5 pairs of items come the most often together?", 5, None),
    ("How dependent are we on our 10 largest accounts?", 10, None),
    ("the 3 weakest countries after turnover?", 3, True),
    ("revenue over the 2 years", None, None),
])
def test_how_many_of_the_ranked_things_said_in_other_words(question, top, bottom):
    got = extract(clean(question), end=END)[0]
    assert (got.get("top"), got.get("bottom")) == (top, bottom), got


def test_which_products_after_a_margin_answer_is_the_margin_by_product(demo):
    chat = demo.fork()
    chat.chat("what is our profit margin by country")
    a = chat.chat("which products")
    assert a.analysis == "profitability" and a.params["by"] == ["product"], a.understood


@pytest.mark.parametrize("question", ["recipe with whole milk and butter pls", "what is our share price doing",
                                      "who won the champions league last night", "regex to validate ids like C000001?"])
def test_subjects_no_customer_data_speaks_to_are_declined_whatever_data_words_they_hold(demo, question):
    assert demo._route(question) is None


def test_the_count_of_the_most_loyal_keeps_loyal_for_the_router(demo):
    route = demo._route("most loyal 25 custs")
    assert route.analysis == "loyalty" and route.params["top"] == 25


@pytest.mark.parametrize("question, start, end", [
    ("orders per month in the summer, jun jul aug 2025", "2025-06-01", "2025-08-31"),  # months in a row, listed
    ("order count for nov + dec 2025", "2025-11-01", "2025-12-31"),
    ("revenue september, october and november 2024", "2024-09-01", "2024-11-30"),
    ("how did the summer do in 2024? june thru august, sales wise", "2024-06-01", "2024-08-31"),  # the year said apart
    ("blender sales by month over 2024 and 2025", "2024-01-01", "2025-12-31"),  # a span, not a comparison
    ("orders from the 01/10/2023 up to the 31/12/2023", "2023-10-01", "2023-12-31"),
    ("turnover from april 2024 to the end of march 2025", "2024-04-01", "2025-03-31"),
    ("deals per quarter since the start of 2024", "2024-01-01", "None"),  # from then on, not 2024 alone
])
def test_periods_said_as_lists_spans_and_edges(question, start, end):
    found, _ = extract(clean(question), None, END)
    assert (str(found.get("start")), str(found.get("end"))) == (start, end), found


@pytest.mark.parametrize("question, metric", [
    ("top 20 customers by how much theyve spent", "revenue"),
    ("top 20 customers by dollars spent", "revenue"),
    ("how much have we taken through the app this year", "revenue"),
    ("how many punters bought something last year", "customers"),
    ("num customers by customer_type", "customers"),
    ("how many of the members are from France", "customers"),
    ("members per country", "customers"),
])
def test_money_and_head_counts_in_everyday_words(demo, question, metric):
    assert demo._route(question, analysis="overview").params.get("metric") == metric


@pytest.mark.parametrize("question, expected", [
    ("top10 prods by units", {"top": 10, "by": ["product"], "metric": "quantity"}),
    ("rev by product order by revenue desc limit 5", {"top": 5, "by": ["product"], "metric": "revenue"}),
    ("dau last 30 days", {"grain": "day", "metric": "customers"}),
    ("mau", {"grain": "month", "metric": "customers"}),
])
def test_a_keyword_typists_shorthand(demo, question, expected):
    params = demo._route(question, analysis="overview").params
    assert {k: params.get(k) for k in expected} == expected, params


@pytest.mark.parametrize("question", ["how many orders went through the till in q4 2025",
                                      "sales by category in the shops only", "margin on shop sales this year"])
def test_the_shops_and_the_till_are_the_store_channel(demo, question):
    assert demo._route(question, analysis="overview").params.get("filters") == {"channel": ["store"]}


def test_a_quoted_value_after_a_column_is_read_without_its_quotes(demo):
    assert demo._route("orders where country = 'DE'", analysis="overview").params["filters"] == {"country": ["Germany"]}
    with pytest.raises(ParamsError, match="no 'Narnia' in country"):  # a value the data lacks is said
        demo.ask("orders where country = 'Narnia'")


def test_values_of_the_breakdown_said_with_only_restrict_it(demo):
    answer = demo.ask("rev split by category, kitchen + coffee only")
    assert answer.params["filters"] == {"category": ["Kitchen", "Coffee"]} and answer.params["by"] == ["category"]
    assert sorted(r[0] for r in answer.tables[0].rows) == ["Coffee", "Kitchen"]


@pytest.mark.parametrize("question, expected", [
    ("what are the top sellers this year", {"by": ["product"]}),
    ("whats the most common stuff people buy", {"by": ["product"]}),
    ("most popular items", {"by": ["product"]}),
    ("item freq top 20", {"by": ["product"], "top": 20}),
    ("on average how many items in one basket", {"metric": "quantity"}),
    ("what sold best in kitchen last quarter", {"by": ["product"], "filters": {"category": ["Kitchen"]}}),
    ("what did we sell most of through the app in 2024?", {"by": ["product"]}),
    ("could you sort the products by turnover, biggest first? top 10 will do", {"by": ["product"], "top": 10}),
])
def test_rankings_of_things_said_without_by(demo, question, expected):
    params = demo._route(question, analysis="overview").params
    assert {k: params.get(k) for k in expected} == expected, params


@pytest.mark.parametrize("question, analysis", [
    ("do i lose more people on the app or the website", "churn"),
    ("is churn worse on the app than on the website?", "churn"),
    ("lifetime value for business customers versus normal ones", "clv"),
    ("are business customers more profitable than the normal ones?", "profitability"),
])
def test_two_kinds_set_against_each_other_in_everyday_names_are_a_breakdown(demo, question, analysis):
    """"the website" is the web channel beside "the app" (not the feedback topic "website");
    "business customers" are B2B, and "the normal ones" the rest: a breakdown by the column."""
    params = demo._route(question, analysis=analysis).params
    column = "customer_type" if "business" in question else "channel"
    assert params.get("by") == [column] and not params.get("filters"), params


def test_an_everyday_name_alone_stays_the_value_written_in_the_data(demo):
    assert demo._route("complaints about the website", analysis="feedback").params["filters"] == {"topic": ["website"]}
    assert demo._route("revenue from consumers in 2024", analysis="overview").params["filters"] == \
        {"customer_type": ["B2C"]}


def test_without_a_flag_is_its_no_whatever_the_article():
    """"customers without a partner" had been read as partner = Yes (the negation missed "a")."""
    from pathlib import Path

    import pandas as pd

    telco = Path(__file__).parent / "data" / "telco_sample.csv"
    s = Session(data=[str(telco)], entry_points=False)
    for question in ("churn rate for customers without a partner", "churn for those without any partner",
                     "churn of customers without dependents"):
        column = "dependents" if "dependents" in question else "partner"
        assert s._route(question, analysis="churn").params["filters"] == {column: ["0"]}, question  # its no
    frame = pd.read_csv(telco)
    alone = frame[frame.partner == 0]
    answer = s.ask("churn rate for customers without a partner")
    assert f"{len(alone):,}" in answer.summary and f"{(alone.churn == 'Yes').sum():,}" in answer.summary


@pytest.mark.parametrize("question, expected", [
    ("biggest 5 markets by sales in 2023", {"top": 5, "by": ["country"], "start": dt.date(2023, 1, 1)}),  # no 5 March
    ("revenue groupby country 2024", {"by": ["country"]}),
    ("um most profitable categories last year", {"by": ["category"]}),
    ("which country has the most customers", {"by": ["country"], "metric": "customers"}),
])
def test_a_word_that_starts_like_a_month_is_no_day_and_most_ranks(demo, question, expected):
    params = demo._route(question, analysis="overview").params
    assert {k: params.get(k) for k in expected} == expected, params


@pytest.mark.parametrize("text, day", [("sales on 7 december", (12, 7)), ("on 13 sept", (9, 13)), ("24 decemb", (12, 24)),
                                       ("since 3 feb.", (2, 3)), ("5 markets", None), ("3 junk mails", None)])
def test_days_are_read_with_their_month_however_shortened(text, day):
    from custlens.slots import day_named

    got = day_named(text)
    assert (got[:2] if got else None) == day


@pytest.mark.parametrize("question, k", [
    ("build a couple of buyer personas", 2), ("crm personas x4", 4),
    ("group the customers into a handful of types, 4 say", 4), ("a couple of questions about segments", None),
])
def test_how_many_groups_in_everyday_words(question, k):
    assert extract(clean(question), end=END)[0].get("k") == k


@pytest.mark.parametrize("question", ["is turnover up or down on last year? like for like please, 2025 v 2024",
                                      "is turnover up on last year, 2025 vs 2024"])
def test_the_periods_compared_are_the_ones_next_to_vs(question):
    """Both sides had been 2024: the left side's first period ("last year") was taken, not the one
    beside "v"."""
    from custlens.slots import comparison

    assert comparison(clean(question), END)[0] == [(dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
                                                   (dt.date(2025, 1, 1), dt.date(2025, 12, 31))]
